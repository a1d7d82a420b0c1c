// pmbook: draws the page's Mermaid diagrams with the renderer copied into
// the site (assets/mermaid.min.js, loaded just before this script on pages
// that have a diagram), in the page's theme, again when the theme changes.
// A classic script: it works from file:// and needs no network.
(function () {
  "use strict";
  if (!window.mermaid) return;
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  var sources = blocks.map(function (block) { return block.textContent; });
  function draw() {
    var dark = document.documentElement.getAttribute("data-theme") === "dark";
    blocks.forEach(function (block, i) {
      block.removeAttribute("data-processed");
      block.textContent = sources[i];
    });
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
    window.mermaid.run({ nodes: blocks });
  }
  draw();
  new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
})();
