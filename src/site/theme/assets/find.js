// pmbook search ranking and the header's search box, on every page.
//
// `window.pmbookFind(docs, query)` ranks the incidents of `search-index.js`
// with BM25F: each query word matches the words of an incident exactly, as
// the start of a longer word (as you type), or, from five letters on, with
// one typo (a letter added, dropped, changed or two swapped). Fields weigh
// differently: title and id 5, services, tags and cause 3, text 1.
// Results are built with textContent: nothing from the index is parsed as
// HTML.
(function () {
  "use strict";
  var WEIGHTS = { title: 5, meta: 3, body: 1 };
  var PREFIX = 0.6;
  var TYPO = 0.4;
  var K1 = 1.2;
  var B = 0.75;
  var engine = null;

  function words(text) {
    return String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  function idOf(doc) {
    return doc.u.replace(/^.*\//, "").replace(/\.html$/, "");
  }

  // word -> [doc, weighted title and field count, text count, ...]
  function build(docs) {
    var postings = {};
    var lengths = [];
    var total = 0;
    docs.forEach(function (doc, n) {
      var counts = {};
      function add(list, field, times) {
        list.forEach(function (w) {
          var c = counts[w] || (counts[w] = { fields: 0, body: 0 });
          if (field === "body") { c.body += times; } else { c.fields += WEIGHTS[field] * times; }
        });
      }
      add(words(doc.t), "title", 1);
      add(words(idOf(doc)), "title", 1);
      add(words([].concat(doc.v, doc.g, doc.c || []).join(" ")), "meta", 1);
      var length = 0;
      (doc.w || "").split("|").forEach(function (group, i) {
        var list = group ? group.split(" ") : [];
        add(list, "body", i + 1);
        length += list.length * (i + 1);
      });
      lengths.push(length);
      total += length;
      Object.keys(counts).forEach(function (w) {
        (postings[w] || (postings[w] = [])).push(n, counts[w].fields, counts[w].body);
      });
    });
    return {
      docs: docs,
      postings: postings,
      vocabulary: Object.keys(postings).sort(),
      lengths: lengths,
      average: docs.length ? total / docs.length || 1 : 1
    };
  }

  // One edit apart: a letter added, dropped, changed, or two neighbours swapped.
  function oneTypo(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i += 1; }
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) { return true; }
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The words of the index a query word stands for, with their factor.
  function expand(e, term) {
    var found = {};
    var v = e.vocabulary;
    var lo = 0;
    var hi = v.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (v[mid] < term) { lo = mid + 1; } else { hi = mid; }
    }
    for (var i = lo; i < v.length && v[i].lastIndexOf(term, 0) === 0; i += 1) {
      found[v[i]] = v[i] === term ? 1 : PREFIX;
    }
    if (term.length >= 5) {
      v.forEach(function (w) {
        if (!(w in found) && oneTypo(term, w)) { found[w] = TYPO; }
      });
    }
    return found;
  }

  // The ranked incidents among `allowed` (doc positions, or null for all):
  // [{ doc, score, words: the matched words of the index }], best first.
  function find(docs, query, allowed) {
    if (!engine || engine.docs !== docs) { engine = build(docs); }
    var e = engine;
    var terms = words(query);
    var n = docs.length;
    var hits = {};
    var matched = {};
    terms.forEach(function (term, t) {
      var expansions = expand(e, term);
      Object.keys(expansions).forEach(function (w) {
        var list = e.postings[w];
        var df = list.length / 3;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var i = 0; i < list.length; i += 3) {
          var d = list[i];
          if (allowed && !allowed[d]) { continue; }
          var tf = list[i + 1] + list[i + 2] / (1 - B + B * e.lengths[d] / e.average);
          var score = expansions[w] * idf * tf * (K1 + 1) / (tf + K1);
          var h = hits[d] || (hits[d] = { best: [], words: {} });
          if (h.best[t] === undefined || score > h.best[t]) { h.best[t] = score; }
          h.words[w] = true;
          matched[w] = true;
        }
      });
    });
    var ranked = [];
    Object.keys(hits).forEach(function (d) {
      var h = hits[d];
      var score = 0;
      for (var t = 0; t < terms.length; t += 1) {
        if (h.best[t] === undefined) { return; }
        score += h.best[t];
      }
      ranked.push({ doc: docs[d], position: Number(d), score: score, words: h.words });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    return ranked;
  }

  // Appends `text` to `parent`, the words in `marked` inside <mark>.
  function highlight(parent, text, marked) {
    var parts = String(text).split(/([\p{L}\p{N}]+)/u);
    parts.forEach(function (part, i) {
      if (!part) { return; }
      if (i % 2 === 1 && marked[part.toLowerCase()]) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  // Up to `size` characters of `text` around its first marked word.
  function snippet(text, marked, size) {
    text = String(text || "");
    if (text.length <= size) { return text; }
    var re = /[\p{L}\p{N}]+/gu;
    var m;
    var at = 0;
    while ((m = re.exec(text)) !== null) {
      if (marked[m[0].toLowerCase()]) { at = m.index; break; }
    }
    var start = Math.max(0, Math.min(at - Math.floor(size / 3), text.length - size));
    var cut = text.slice(start, start + size);
    return (start > 0 ? "…" : "") + cut + (start + size < text.length ? "…" : "");
  }

  window.pmbookFind = find;
  window.pmbookFind.highlight = highlight;
  window.pmbookFind.snippet = snippet;

  // The header's box: the top results under it as you type.
  var LIMIT = 8;
  var form = document.querySelector("form.search-form");
  var input = form && form.elements.q;
  var list = document.getElementById("quick-results");
  if (!input || !list) { return; }
  var active = -1;
  var shown = [];

  function at(url) {
    return new URL(url, form.action).href;
  }

  function load() {
    if (window.pmbookSearch || document.getElementById("search-index")) { return; }
    var script = document.createElement("script");
    script.id = "search-index";
    script.src = at("search-index.js");
    script.addEventListener("load", function () {
      // The ranking's tables are built once, before the first word typed.
      find(window.pmbookSearch || [], "", null);
      render();
    });
    document.head.appendChild(script);
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    shown = [];
  }

  function select(n) {
    var options = list.querySelectorAll("[role=option]");
    active = n;
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === n ? "true" : "false"); });
    if (n >= 0 && options[n]) {
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render() {
    var docs = window.pmbookSearch;
    if (!docs || document.activeElement !== input || !words(input.value).length) { close(); return; }
    shown = find(docs, input.value, null).slice(0, LIMIT);
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!shown.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.id = "quick-result-none";
      none.textContent = "No incident found";
      list.appendChild(none);
    }
    shown.forEach(function (r, i) {
      var option = document.createElement("li");
      option.id = "quick-result-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.href = at(r.doc.u);
      var title = document.createElement("span");
      title.className = "title";
      highlight(title, r.doc.t, r.words);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [r.doc.d, r.doc.s].concat(r.doc.v).join(" · ");
      option.appendChild(title);
      option.appendChild(meta);
      option.addEventListener("mousedown", function (e) { e.preventDefault(); });
      option.addEventListener("click", function () { location.href = option.dataset.href; });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  input.addEventListener("focus", function () { load(); render(); });
  input.addEventListener("input", render);
  input.addEventListener("blur", close);
  input.addEventListener("keydown", function (e) {
    var count = shown.length;
    if (e.key === "ArrowDown" && count) {
      e.preventDefault();
      select((active + 1) % count);
    } else if (e.key === "ArrowUp" && count) {
      e.preventDefault();
      select(active <= 0 ? count - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0 && shown[active]) {
      e.preventDefault();
      location.href = at(shown[active].doc.u);
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); } else { input.blur(); }
    }
  });

  // `/` or `s` focuses the box, unless the reader is typing in a field.
  document.addEventListener("keydown", function (e) {
    if ((e.key !== "/" && e.key !== "s") || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    e.preventDefault();
    input.focus();
  });
})();
