// pmbook: theme toggle (remembered across pages), sidebar toggle, the
// anchor links of an incident's headings and the action-item board filters. Loaded in <head> so the theme applies before
// the first paint.
(function () {
  "use strict";
  var KEY = "pmbook-theme";
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try { localStorage.setItem(KEY, value); } catch (e) { /* storage disabled: the toggle still works for this page */ }
  }
  function preferred() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.documentElement.setAttribute("data-theme", stored() || preferred());

  function markCurrentPage() {
    var here = location.pathname.split("/").pop() || "index.html";
    var section = location.pathname.split("/").slice(-2, -1)[0];
    document.querySelectorAll(".sidebar a").forEach(function (link) {
      var target = link.getAttribute("href");
      if (target && (target.endsWith("/" + here) || target === here) && (target.indexOf("/") < 0 || target.indexOf(section + "/") >= 0)) {
        link.setAttribute("aria-current", "page");
      }
    });
  }

  // The page carries its headings' ids and the label's words once; each
  // heading gets its link here rather than in every page's bytes.
  function addAnchors() {
    var article = document.querySelector("[data-anchor]");
    if (!article) { return; }
    var label = article.dataset.anchor;
    article.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]").forEach(function (heading) {
      var link = document.createElement("a");
      link.className = "anchor";
      link.href = "#" + heading.id;
      link.setAttribute("aria-label", label.replace("{heading}", heading.textContent));
      heading.appendChild(link);
    });
  }

  function filterActions() {
    var form = document.getElementById("action-filters");
    if (!form) { return; }
    var rows = document.querySelectorAll("table.actions tbody tr.action");
    var count = document.getElementById("action-count");
    function apply() {
      var status = form.elements.status.value;
      var owner = form.elements.owner.value.trim().toLowerCase();
      var service = form.elements.service.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!status || row.dataset.status === status || (status === "open" && row.dataset.status === "overdue")) &&
          (!owner || row.dataset.owner.toLowerCase().indexOf(owner) >= 0) &&
          (!service || row.dataset.services.toLowerCase().split(" ").indexOf(service) >= 0);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = (count.dataset.text || "{shown} of {total} items")
        .replace("{shown}", shown).replace("{total}", rows.length);
    }
    if (location.hash === "#overdue") { form.elements.status.value = "overdue"; }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("theme-toggle").addEventListener("click", function () {
      var next = document.documentElement.getAttribute("data-theme") === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      store(next);
    });
    document.getElementById("sidebar-toggle").addEventListener("click", function () {
      var narrow = window.matchMedia("(max-width: 50rem)").matches;
      document.body.classList.toggle(narrow ? "sidebar-shown" : "sidebar-hidden");
    });
    markCurrentPage();
    addAnchors();
    filterActions();
  });
})();
