#!/usr/bin/env node
// What a browser loads to search a built site for one word.
//
//   node bench/search_payload.js pmbook   SITE_DIR WORD
//   node bench/search_payload.js pagefind SITE_DIR WORD
//
// Serves SITE_DIR on 127.0.0.1 (a small static server in this script, no
// compression, no caching), starts /usr/bin/chromium headless with a fresh
// profile through playwright-core (found on NODE_PATH: bench/run.sh installs
// it, pinned, into the target directory), and
//
//   pmbook:   opens search.html, waits until the page has loaded, puts WORD
//             into the search field (one input event, as a paste or a
//             `?q=` link does) and waits until results are listed;
//   pagefind: opens a page this script writes into SITE_DIR (a copy: run
//             `pagefind --site` on it first) that imports /pagefind/pagefind.js,
//             searches WORD and loads the data of the first 10 results, which
//             is what a results page shows.
//
// Prints one JSON line: the body bytes of every response (counted by the
// server, so that the requests of Pagefind's web worker count too, which
// Chromium's per-page network events miss), the same gzip-compressed at
// level 6 (what a host that compresses sends; a file that does not shrink,
// such as Pagefind's already compressed ones, counts as is), the number of
// requests, each split into page, engine (the search code) and index (the
// index shards or files); the time from the input to the results shown,
// measured in the page; and the number of results found.
"use strict";

const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");
const zlib = require("zlib");
const { chromium } = require("playwright-core");

const CHROMIUM = "/usr/bin/chromium";
const SHOWN = 10;
const PAGEFIND_PAGE = "__bench-pagefind.html";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".xml": "application/xml",
  ".wasm": "application/wasm",
};

// Which part of the payload a path is.
const PARTS = {
  pmbook: (p) =>
    p === "/search-index.js" || p.startsWith("/search/") ? "index"
      : p === "/assets/find.js" || p === "/assets/search.js" ? "engine"
        : "page",
  pagefind: (p) =>
    /^\/pagefind\/(index|fragment)\//.test(p) || /\.pf_meta$/.test(p) || p === "/pagefind/pagefind-entry.json" ? "index"
      : p.startsWith("/pagefind/") ? "engine"
        : "page",
};

function usage() {
  process.stderr.write("usage: search_payload.js pmbook|pagefind SITE_DIR WORD\n");
  process.exit(2);
}

// A static server over `root` that records the body bytes of each response.
function serve(root, served) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
    fs.readFile(file, (err, body) => {
      if (err) {
        served.push({ path: rel, status: 404, bytes: 0, gzip: 0 });
        res.writeHead(404, { "Content-Type": "text/plain" }).end();
        return;
      }
      served.push({ path: rel, status: 200, bytes: body.length, gzip: Math.min(body.length, zlib.gzipSync(body, { level: 6 }).length) });
      res.writeHead(200, {
        "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
      });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function pagefindPage() {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind search</title></head>
<body><script>
window.benchSearch = async function (word) {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  const found = await pagefind.search(word);
  const data = await Promise.all(found.results.slice(0, ${SHOWN}).map((r) => r.data()));
  return { ms: performance.now() - t0, found: found.results.length, shown: data.length };
};
</script></body></html>
`;
}

// In the page: puts `word` into the search field and resolves when results
// are listed and no longer busy.
function pmbookSearch(word) {
  return new Promise((resolve) => {
    const field = document.getElementById("search-query");
    const results = document.getElementById("search-results");
    const status = document.getElementById("search-status");
    const t0 = performance.now();
    const done = () => {
      if (results.querySelector("li") && results.getAttribute("aria-busy") === "false") {
        observer.disconnect();
        const n = (status.textContent.replace(/[,\u202f\u00a0 ]/g, "").match(/\d+/) || ["0"])[0];
        resolve({ ms: performance.now() - t0, found: Number(n), shown: results.querySelectorAll("li").length });
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(results, { childList: true, attributes: true, subtree: true });
    field.value = word;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

// Resolves once the server has had no request for `ms` milliseconds.
async function quiet(served, ms) {
  let seen = -1;
  while (seen !== served.length) {
    seen = served.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function sum(list, key, part, classify) {
  return list.filter((r) => !part || classify(r.path) === part).reduce((s, r) => s + r[key], 0);
}

async function main() {
  const [mode, site, word] = process.argv.slice(2);
  if (!PARTS[mode] || !site || !word) { usage(); }
  const root = fs.realpathSync(site);
  const classify = PARTS[mode];
  let start = "/search.html";
  if (mode === "pagefind") {
    if (!fs.existsSync(path.join(root, "pagefind", "pagefind.js"))) {
      process.stderr.write(`search_payload: no pagefind/pagefind.js in ${root}: run pagefind --site on it first\n`);
      process.exit(2);
    }
    fs.writeFileSync(path.join(root, PAGEFIND_PAGE), pagefindPage());
    start = "/" + PAGEFIND_PAGE;
  }

  const served = [];
  const server = await serve(root, served);
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pmbook-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(base + start, { waitUntil: "networkidle" });
    const loaded = served.length;
    const result = mode === "pmbook"
      ? await page.evaluate(pmbookSearch, word)
      : await page.evaluate((w) => window.benchSearch(w), word);
    await quiet(served, 500);
    if (errors.length) { throw new Error("errors in the page: " + errors.join("; ")); }
    if (!result.found) { throw new Error(`no result for "${word}"`); }

    if (process.env.BENCH_DEBUG) { process.stderr.write(JSON.stringify(served, null, 1) + "\n"); }
    const ok = served.filter((r) => r.status === 200);
    const parts = {};
    for (const part of ["page", "engine", "index"]) {
      parts[part] = {
        bytes: sum(served, "bytes", part, classify),
        gzip: sum(served, "gzip", part, classify),
        requests: ok.filter((r) => classify(r.path) === part).length,
      };
    }
    const line = {
      mode,
      word,
      bytes: sum(served, "bytes"),
      gzip: sum(served, "gzip"),
      requests: ok.length,
      requests_after_load: served.slice(loaded).filter((r) => r.status === 200).length,
      not_found: served.filter((r) => r.status !== 200).map((r) => r.path),
      parts,
      ms: Math.round(result.ms * 10) / 10,
      found: result.found,
      shown: result.shown,
    };
    process.stdout.write(JSON.stringify(line) + "\n");
  } finally {
    await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
    if (mode === "pagefind") { fs.rmSync(path.join(root, PAGEFIND_PAGE), { force: true }); }
  }
}

main().catch((e) => {
  process.stderr.write(`search_payload: ${e.stack || e}\n`);
  process.exit(1);
});
