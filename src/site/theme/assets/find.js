// pmbook search ranking and the header's search box, on every page.
//
// The index is in shards (see src/site/search.rs), each a script that calls
// a global function, so that they load from file:// too: `search-index.js`
// (the shard map), `search/terms-KEY.js` (the words starting with KEY, with
// each incident's BM25F weight), `search/docs-N.js` (what a result shows)
// and `search/facet-NAME.js`. A query loads only the shards of its words.
//
// `pmbookFind(query, allowed)` ranks the incidents: each query word matches
// the words of an incident exactly, as the start of a longer word (as you
// type), or, from five letters on, with one typo (a letter added, dropped,
// changed or two swapped) after the letters that pick its shard. Results
// are built with textContent: nothing from the index is parsed as HTML.
(function () {
  "use strict";
  var PREFIX = 0.6;
  var TYPO = 0.4;
  // A word shorter than the keys of the shards it starts loads them all
  // when they weigh up to this many kB together, else only its own shard.
  var PREFIX_KB = 100;
  var me = document.currentScript;
  var root = me ? me.src.replace(/assets\/find\.js([?#].*)?$/, "") : "";
  var scripts = {};
  var terms = {};
  var vocabularies = {};
  var docShards = {};
  var facets = {};
  var keys = null;

  window.pmbookSearchShard = function (key, postings) { terms[key] = postings; };
  window.pmbookSearchDocs = function (n, docs) { docShards[n] = docs; };
  window.pmbookSearchFacet = function (name, lists) { facets[name] = lists; };

  // Loads `path` (relative to the site root) once; resolves when it has run.
  function script(path, id) {
    if (!scripts[path]) {
      scripts[path] = new Promise(function (resolve) {
        var s = document.createElement("script");
        if (id) { s.id = id; }
        s.src = root + path;
        s.onload = resolve;
        s.onerror = resolve;
        document.head.appendChild(s);
      });
    }
    return scripts[path];
  }

  // The top-level script: resolves with its stats and map.
  function index() {
    if (window.pmbookSearch) { return Promise.resolve(window.pmbookSearch); }
    return script("search-index.js", "search-index").then(function () {
      return window.pmbookSearch || { n: 0, p: 1, k: [], f: {} };
    });
  }

  function shardKeys(top) {
    if (!keys) {
      keys = [];
      for (var i = 0; i < top.k.length; i += 2) { keys.push({ key: top.k[i], kb: top.k[i + 1] }); }
    }
    return keys;
  }

  function words(text) {
    return String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  function file(key) {
    return "search/terms-" + Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }

  // The shard keys a query word needs: the longest key it starts with, and
  // those that start with it, within PREFIX_KB.
  function shardsOf(top, term) {
    var own = null;
    var longer = [];
    var kb = 0;
    shardKeys(top).forEach(function (s) {
      if (term.lastIndexOf(s.key, 0) === 0 && (!own || s.key.length > own.key.length)) { own = s; }
      if (s.key.length > term.length && s.key.lastIndexOf(term, 0) === 0) { longer.push(s.key); kb += s.kb; }
    });
    var found = own ? [own.key] : [];
    return kb + (own ? own.kb : 0) <= PREFIX_KB ? found.concat(longer) : found;
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

  function vocabulary(key) {
    return vocabularies[key] || (vocabularies[key] = Object.keys(terms[key] || {}).sort());
  }

  // The postings a query word stands for: [[postings, factor, word], ...].
  function expand(term, shards) {
    var found = [];
    shards.forEach(function (key) {
      var postings = terms[key] || {};
      vocabulary(key).forEach(function (w) {
        if (w === term) {
          found.push([postings[w], 1, w]);
        } else if (w.lastIndexOf(term, 0) === 0) {
          found.push([postings[w], PREFIX, w]);
        } else if (term.length >= 5 && oneTypo(term, w)) {
          found.push([postings[w], TYPO, w]);
        }
      });
    });
    return found;
  }

  // The ranked incidents among `allowed` (doc positions, or null for all):
  // a promise of [{ position, score, words: the matched words }], best first.
  function find(query, allowed) {
    var list = words(query);
    return index().then(function (top) {
      var needed = list.map(function (term) { return shardsOf(top, term); });
      var files = [];
      needed.forEach(function (keys) { keys.forEach(function (k) { files.push(script(file(k))); }); });
      return Promise.all(files).then(function () { return rank(top.n, list, needed, allowed); });
    });
  }

  function rank(n, list, needed, allowed) {
    var hits = {};
    list.forEach(function (term, t) {
      expand(term, needed[t]).forEach(function (match) {
        var postings = match[0];
        var df = postings.length / 2;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        var d = 0;
        for (var i = 0; i < postings.length; i += 2) {
          d += postings[i];
          if (allowed && !allowed[d]) { continue; }
          var score = match[1] * idf * postings[i + 1] / 100;
          var h = hits[d] || (hits[d] = { best: [], words: {} });
          if (h.best[t] === undefined || score > h.best[t]) { h.best[t] = score; }
          h.words[match[2]] = true;
        }
      });
    });
    var ranked = [];
    Object.keys(hits).forEach(function (d) {
      var h = hits[d];
      var score = 0;
      for (var t = 0; t < list.length; t += 1) {
        if (h.best[t] === undefined) { return; }
        score += h.best[t];
      }
      ranked.push({ position: Number(d), score: score, words: h.words });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    return ranked;
  }

  // A promise of what results show of the incidents at `positions`.
  function docs(positions) {
    return index().then(function (top) {
      var files = positions.map(function (p) {
        return script("search/docs-" + Math.floor(p / top.p) + ".js");
      });
      return Promise.all(files).then(function () {
        return positions.map(function (p) {
          return (docShards[Math.floor(p / top.p)] || [])[p % top.p] || { t: "", u: "", d: "", s: "", v: [], m: "" };
        });
      });
    });
  }

  // A promise of the positions (as object keys) of the incidents whose
  // facet `name` has `value`.
  function facet(name, value) {
    return index().then(function (top) {
      return script("search/facet-" + name + ".js").then(function () {
        var at = (top.f[name] || []).indexOf(value);
        var found = {};
        var p = 0;
        ((facets[name] || [])[at] || []).forEach(function (gap) { p += gap; found[p] = true; });
        return found;
      });
    });
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
  window.pmbookFind.index = index;
  window.pmbookFind.docs = docs;
  window.pmbookFind.facet = facet;
  window.pmbookFind.words = words;
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

  // The latest query asked for: answers to earlier ones are dropped.
  var asked = 0;

  function render() {
    var mine = asked += 1;
    if (document.activeElement !== input || !words(input.value).length) { close(); return; }
    find(input.value, null).then(function (ranked) {
      ranked = ranked.slice(0, LIMIT);
      return docs(ranked.map(function (r) { return r.position; })).then(function (found) {
        if (mine !== asked || document.activeElement !== input) { return; }
        ranked.forEach(function (r, i) { r.doc = found[i]; });
        show(ranked);
      });
    });
  }

  function show(ranked) {
    var chosen = active >= 0 && shown[active] ? shown[active].doc.u : null;
    shown = ranked;
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!shown.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.id = "quick-result-none";
      // The catalogue's words (the box's data-none; English when a
      // custom theme's box has none).
      none.textContent = input.dataset.none || "No incident found";
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
    // The result chosen with the arrows stays chosen while it is listed.
    shown.forEach(function (r, i) { if (r.doc.u === chosen) { select(i); } });
  }

  input.addEventListener("focus", function () { index(); render(); });
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
