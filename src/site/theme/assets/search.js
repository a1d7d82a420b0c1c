// pmbook search page: the incidents ranked by find.js, the matched words
// highlighted, with facet filters. The index is in shards, scripts that
// find.js loads as a query needs them, so search works from file:// too.
// The results list is aria-busy while they load. Results are built with
// textContent: nothing from the index is parsed as HTML.
(function () {
  "use strict";
  var PAGE = 10;
  var find = window.pmbookFind;
  var top = window.pmbookSearch || { n: 0, f: {} };
  var form = document.getElementById("search-form");
  var query = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.createElement("button");
  var facets = ["severity", "service", "tag"];
  var asked = 0;
  var found = [];
  var listed = 0;

  // The status line's words, from the catalogue (its data-* attributes;
  // English when a custom search.html has none), with the count for {n}.
  var english = {
    all: "{n} incidents. Type words to search, or pick a filter.",
    one: "{n} incident found.",
    other: "{n} incidents found.",
    more: "More results"
  };
  function words(key, n) {
    return (status.dataset[key] || english[key]).replace("{n}", n);
  }

  more.type = "button";
  more.id = "search-more";
  more.textContent = words("more");
  more.hidden = true;
  results.parentNode.insertBefore(more, results.nextSibling);

  function fill(select, name) {
    (top.f[name] || []).forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      select.appendChild(option);
    });
  }

  // A promise of the allowed positions (as object keys), or null for all.
  function allowed(wanted) {
    var chosen = facets.filter(function (name) { return wanted[name]; });
    if (!chosen.length) { return Promise.resolve(null); }
    return Promise.all(chosen.map(function (name) { return find.facet(name, wanted[name]); })).then(function (sets) {
      var both = {};
      Object.keys(sets[0]).forEach(function (p) {
        if (sets.every(function (s) { return s[p]; })) { both[p] = true; }
      });
      return both;
    });
  }

  // Shows the next PAGE results of `found`.
  function page(mine) {
    var next = found.slice(listed, listed + PAGE);
    results.setAttribute("aria-busy", "true");
    return find.docs(next.map(function (r) { return r.position; })).then(function (docs) {
      if (mine !== asked) { return; }
      next.forEach(function (r, i) {
        var doc = docs[i];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = doc.u;
        find.highlight(link, doc.t, r.words);
        var meta = document.createElement("div");
        meta.className = "meta";
        meta.textContent = [doc.d, doc.s].concat(doc.v).join(" · ");
        var summary = document.createElement("div");
        find.highlight(summary, find.snippet(doc.m, r.words, 240), r.words);
        item.appendChild(link);
        item.appendChild(meta);
        item.appendChild(summary);
        results.appendChild(item);
      });
      listed += next.length;
      more.hidden = listed >= found.length;
      results.setAttribute("aria-busy", "false");
    });
  }

  function run() {
    var mine = asked += 1;
    var wanted = {};
    facets.forEach(function (name) { wanted[name] = form.elements[name].value; });
    var typed = find.words(query.value).length > 0;
    var filtered = typed || facets.some(function (k) { return wanted[k]; });
    results.setAttribute("aria-busy", "true");
    if (filtered) { remember(wanted); }
    allowed(wanted).then(function (only) {
      if (typed) { return find(query.value, only); }
      var all = [];
      for (var p = 0; p < top.n; p += 1) {
        if (!only || only[p]) { all.push({ position: p, words: {} }); }
      }
      return all;
    }).then(function (ranked) {
      if (mine !== asked) { return null; }
      results.textContent = "";
      found = filtered ? ranked : [];
      listed = 0;
      more.hidden = true;
      if (!filtered) {
        status.textContent = words("all", top.n);
        results.setAttribute("aria-busy", "false");
        return null;
      }
      var one = found.length === 1 || (found.length === 0 && status.dataset.zeroIsOne === "true");
      status.textContent = words(one ? "one" : "other", found.length);
      return page(mine);
    });
  }

  function remember(wanted) {
    var params = new URLSearchParams();
    if (query.value) { params.set("q", query.value); }
    facets.forEach(function (k) { if (wanted[k]) { params.set(k, wanted[k]); } });
    try {
      history.replaceState(null, "", "?" + params.toString());
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the results still show.
    }
  }

  facets.forEach(function (name) { fill(form.elements[name], name); });
  var params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  facets.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
  form.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  more.addEventListener("click", function () { page(asked); });
  run();
})();
