// pmbook search page: the incidents ranked by find.js, the matched words
// highlighted, with facet filters. The index is
// `search-index.js`, a script, so search works from file:// too. Results are
// built with textContent: nothing from the index is parsed as HTML.
(function () {
  "use strict";
  var docs = window.pmbookSearch || [];
  var form = document.getElementById("search-form");
  var query = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var facets = { severity: "s", service: "v", tag: "g" };

  function fill(select, key) {
    var values = {};
    docs.forEach(function (d) { [].concat(d[key]).forEach(function (v) { if (v) { values[v] = true; } }); });
    Object.keys(values).sort().forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      select.appendChild(option);
    });
  }

  // The status line's words, from the catalogue (its data-* attributes;
  // English when a custom search.html has none), with the count for {n}.
  var english = {
    all: "{n} incidents. Type words to search, or pick a filter.",
    one: "{n} incident found.",
    other: "{n} incidents found."
  };
  function words(key, n) {
    return (status.dataset[key] || english[key]).replace("{n}", n);
  }

  function run() {
    var wanted = {};
    Object.keys(facets).forEach(function (name) { wanted[name] = form.elements[name].value; });
    var allowed = {};
    var all = [];
    docs.forEach(function (doc, n) {
      if (Object.keys(facets).every(function (name) {
        return !wanted[name] || [].concat(doc[facets[name]]).indexOf(wanted[name]) >= 0;
      })) {
        allowed[n] = true;
        all.push({ doc: doc, words: {} });
      }
    });
    var typed = /[\p{L}\p{N}]/u.test(query.value);
    var found = typed ? window.pmbookFind(docs, query.value, allowed) : all;
    var filtered = typed || Object.keys(wanted).some(function (k) { return wanted[k]; });
    results.textContent = "";
    if (!filtered) {
      status.textContent = words("all", docs.length);
      return;
    }
    var one = found.length === 1 || (found.length === 0 && status.dataset.zeroIsOne === "true");
    status.textContent = words(one ? "one" : "other", found.length);
    found.slice(0, 200).forEach(function (r) {
      var doc = r.doc;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.u;
      window.pmbookFind.highlight(link, doc.t, r.words);
      var meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = [doc.d, doc.s].concat(doc.v).join(" · ");
      var summary = document.createElement("div");
      window.pmbookFind.highlight(summary, window.pmbookFind.snippet(doc.m, r.words, 240), r.words);
      item.appendChild(link);
      item.appendChild(meta);
      item.appendChild(summary);
      results.appendChild(item);
    });
    var params = new URLSearchParams();
    if (query.value) { params.set("q", query.value); }
    Object.keys(wanted).forEach(function (k) { if (wanted[k]) { params.set(k, wanted[k]); } });
    try {
      history.replaceState(null, "", "?" + params.toString());
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the results still show.
    }
  }

  Object.keys(facets).forEach(function (name) { fill(form.elements[name], facets[name]); });
  var params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  Object.keys(facets).forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
  form.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  run();
  // The ranking's tables are built once, before the first word typed.
  setTimeout(function () { window.pmbookFind(docs, "", null); }, 0);
})();
