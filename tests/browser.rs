//! The built site in a real headless Chromium: navigation, search, indexes,
//! the theme toggle, console errors, script payloads and axe-core's
//! accessibility checks. These tests need Chromium at `/usr/bin/chromium`
//! (and axe-core, for its test), so they are ignored by a plain `cargo
//! test` (which says so: "ignored, needs chromium") and run by
//! `tests/run.sh`, the test command, which installs Debian's `chromium` and
//! includes ignored tests. Run that way, a missing Chromium fails them: they
//! never pass without a browser.

mod common;
#[path = "browser/search.rs"]
mod search;
#[path = "browser/shards.rs"]
mod shards;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::{Project, stderr, valid_with};
use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

const CHROMIUM: &str = "/usr/bin/chromium";

fn browser() -> Browser {
    assert!(
        Path::new(CHROMIUM).exists(),
        "these tests need Chromium, and {CHROMIUM} is missing (apt-get install chromium)"
    );
    let args = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
    ]
    .map(std::ffi::OsStr::new);
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .sandbox(false)
        .headless(true)
        .window_size(Some((1280, 900)))
        .args(args.to_vec())
        .idle_browser_timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("launch options");
    Browser::new(options).expect("Chromium starts")
}

/// Builds `project` into `out/` and returns the `file://` URL of the site.
fn build(project: &Project) -> String {
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    format!("file://{}/", project.path().join("out").display())
}

/// Errors logged or thrown in `tab`, collected as they happen.
fn collect_errors(tab: &Arc<Tab>) -> Arc<Mutex<Vec<String>>> {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = errors.clone();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let message = match event {
            Event::LogEntryAdded(e) if e.params.entry.level == LogEntryLevel::Error => {
                Some(e.params.entry.text.clone())
            }
            Event::RuntimeExceptionThrown(e) => {
                Some(format!("{:?}", e.params.exception_details.text))
            }
            Event::PageJavascriptDialogOpening(e) => Some(format!("dialog: {}", e.params.message)),
            _ => None,
        };
        if let Some(message) = message {
            sink.lock().unwrap().push(message);
        }
    }))
    .unwrap();
    errors
}

fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .and_then(|t| t.wait_until_navigated())
        .unwrap_or_else(|e| panic!("{url}: {e}"));
}

/// Clicks the element and waits for the page it leads to.
fn follow(tab: &Tab, selector: &str) {
    let before = tab.get_url();
    tab.wait_for_element(selector).unwrap().click().unwrap();
    for _ in 0..100 {
        if tab.get_url() != before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("main").unwrap();
}

/// Waits until the search page has shown the results of the latest query
/// (its results list is no longer `aria-busy`).
fn settled(tab: &Tab) {
    let done = "document.getElementById('search-results').getAttribute('aria-busy') === 'false'";
    for _ in 0..600 {
        if eval(tab, &format!("String({done})")) == "true" {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let scripts = eval(
        tab,
        "JSON.stringify([[...document.scripts].map(s => s.src), \
         performance.getEntriesByType('resource').map(e => e.name + ' ' + e.responseStatus)])",
    );
    panic!("the search page is still loading results; scripts and loads: {scripts}");
}

fn eval(tab: &Tab, js: &str) -> String {
    let value = tab.evaluate(js, false).unwrap().value.unwrap_or_default();
    match value {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

#[test]
#[ignore = "needs chromium"]
fn readers_navigate_search_and_filter_the_example_site() {
    let browser = browser();
    let project = Project::example();
    let site = build(&project);
    let tab = browser.new_tab().unwrap();
    let errors = collect_errors(&tab);

    // The sidebar leads to an incident page.
    open(&tab, &format!("{site}index.html"));
    follow(&tab, ".sidebar a[href='timeline.html']");
    assert!(
        tab.get_url().ends_with("/timeline.html"),
        "{}",
        tab.get_url()
    );
    follow(&tab, "a[href='incidents/2026-11-03-checkout-latency.html']");
    assert_eq!(
        eval(&tab, "document.querySelector('h1').textContent"),
        "Checkout latency after cache deploy"
    );

    // Search finds an incident by a word that appears only in its body.
    open(&tab, &format!("{site}search.html?q=ketama"));
    tab.wait_for_element("#search-results li a").unwrap();
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#search-results li').length"
        ),
        "1"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#search-results li a').textContent"
        ),
        "Checkout latency after cache deploy"
    );
    // Typing in the box searches too, and facets narrow the results.
    let input = tab.wait_for_element("#search-query").unwrap();
    input.click().unwrap();
    tab.evaluate("document.getElementById('search-query').value = ''", false)
        .unwrap();
    tab.type_str("cache").unwrap();
    settled(&tab);
    let all = eval(
        &tab,
        "document.querySelectorAll('#search-results li').length",
    );
    tab.evaluate(
        "const s = document.getElementById('facet-severity'); s.value = 'SEV2'; s.dispatchEvent(new Event('input', {bubbles: true}))",
        false,
    )
    .unwrap();
    settled(&tab);
    let sev2 = eval(
        &tab,
        "document.querySelectorAll('#search-results li').length",
    );
    assert!(
        all.parse::<u32>().unwrap() > sev2.parse::<u32>().unwrap(),
        "{all} then {sev2}"
    );
    assert!(sev2.parse::<u32>().unwrap() >= 1);

    // A service index lists its incidents.
    open(&tab, &format!("{site}services/payments.html"));
    let listed = eval(
        &tab,
        "[...document.querySelectorAll('table.incidents tbody a[href^=\"../incidents/\"]')].map(a => a.textContent).join('|')",
    );
    assert!(
        listed.contains("Payment") || listed.contains("payment") || listed.contains("PSP"),
        "{listed}"
    );
    assert_eq!(listed.split('|').count(), 2, "{listed}");

    // The theme toggle persists across pages.
    open(&tab, &format!("{site}index.html"));
    let before = eval(&tab, "document.documentElement.dataset.theme");
    tab.wait_for_element("#theme-toggle")
        .unwrap()
        .click()
        .unwrap();
    let after = eval(&tab, "document.documentElement.dataset.theme");
    assert_ne!(before, after);
    open(&tab, &format!("{site}timeline.html"));
    assert_eq!(eval(&tab, "document.documentElement.dataset.theme"), after);

    // The action board filters in the page.
    open(&tab, &format!("{site}actions.html#overdue"));
    let visible = eval(
        &tab,
        "[...document.querySelectorAll('tr.action')].filter(r => !r.hidden).length",
    );
    let overdue = eval(
        &tab,
        "document.querySelectorAll('tr.action.overdue').length",
    );
    assert_eq!(visible, overdue);

    // No page logs an error.
    for page in [
        "index.html",
        "timeline.html",
        "actions.html",
        "metrics.html",
        "search.html",
        "404.html",
        "services/index.html",
        "severities/sev2.html",
        "tags/index.html",
        "causes/external.html",
        "incidents/2024-11-29-checkout-black-friday-capacity.html",
    ] {
        open(&tab, &format!("{site}{page}"));
        tab.wait_for_element("main").unwrap();
    }
    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
#[ignore = "needs chromium"]
fn script_payloads_in_a_postmortem_never_run() {
    let browser = browser();
    let project = Project::new();
    let id = "2026-11-03-checkout-latency";
    let hostile = valid_with("Checkout latency after cache deploy", "<script>window.pwned='title'</script><img src=x onerror=window.pwned='title-img'>")
        .replace("\"deploy\"]", "\"<img src=x onerror=window.pwned='tag'>\"]")
        .replace(
            "12 % of checkouts",
            "<script>window.pwned='body'</script> <img src=x onerror=\"window.pwned='img'\"> <svg onload=\"window.pwned='svg'\"></svg> <a id=\"js\" href=\"javascript:window.pwned='link'\">link</a> [md](javascript:window.pwned='md') 12 % of checkouts",
        )
        .replace("- **Tooling**:", "- **<img src=x onerror=window.pwned='bone'>**:");
    project.postmortem(&format!("{id}.md"), hostile);
    let site = build(&project);
    let tab = browser.new_tab().unwrap();
    let errors = collect_errors(&tab);
    for page in [
        format!("incidents/{id}.html"),
        "index.html".to_owned(),
        "search.html?q=checkout".to_owned(),
        "tags/index.html".to_owned(),
        "actions.html".to_owned(),
        "feed.xml".to_owned(),
    ] {
        open(&tab, &format!("{site}{page}"));
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(
            eval(&tab, "String(window.pwned)"),
            "undefined",
            "a payload ran on {page}"
        );
    }
    // Links that made it through are harmless when clicked.
    open(&tab, &format!("{site}incidents/{id}.html"));
    let clicked = eval(
        &tab,
        "[...document.querySelectorAll('main a')].filter(a => a.protocol === 'javascript:').length",
    );
    assert_eq!(clicked, "0");
    let dialogs: Vec<String> = errors
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.starts_with("dialog"))
        .cloned()
        .collect();
    assert!(dialogs.is_empty(), "{dialogs:?}");
}

/// Every kind of page of the example site, with a postmortem holding a
/// wide table, a long code line and an image beside it.
fn small_screen_site() -> (Project, String) {
    let project = Project::example();
    let dir = project.path().join("postmortems");
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    let mut text = std::fs::read_to_string(&first).unwrap();
    let wide_row = (1..=14).map(|i| format!("column{i}")).collect::<Vec<_>>();
    text.push_str(&format!(
        "\n## Appendix\n\n![p99 latency](p99.png)\n\n| {} |\n|{}\n| {} |\n\n```\n{}\n```\n\n{}\n",
        wide_row.join(" | "),
        " --- |".repeat(14),
        wide_row.join(" | "),
        "x".repeat(300),
        "averyveryverylongwordwithoutanybreak".repeat(6),
    ));
    std::fs::write(&first, text).unwrap();
    std::fs::write(dir.join("p99.png"), PNG).unwrap();
    let site = build(&project);
    (project, site)
}

/// A 2×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0xf4, 0x22, 0x7f,
    0x8a, 0x00, 0x00, 0x00, 0x0e, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x84, 0x01, 0x11, 0xf7, 0x03, 0xfd, 0xe3, 0xc5, 0xf5, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
#[ignore = "needs chromium"]
fn no_page_scrolls_sideways_on_a_phone_and_images_load() {
    let (project, site) = small_screen_site();
    let out = project.path().join("out");
    let mut pages: Vec<String> = [
        "index.html",
        "timeline.html",
        "actions.html",
        "metrics.html",
        "search.html",
        "404.html",
        "services/index.html",
        "tags/index.html",
    ]
    .map(str::to_owned)
    .to_vec();
    for dir in ["incidents", "services", "tags"] {
        for entry in std::fs::read_dir(out.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".html") && name != "index.html" {
                pages.push(format!("{dir}/{name}"));
            }
        }
    }
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: 390,
        height: 844,
        device_scale_factor: 1.0,
        mobile: false,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
    let mut wide = Vec::new();
    for page in &pages {
        open(&tab, &format!("{site}{page}"));
        let widths = eval(
            &tab,
            "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])",
        );
        let [scroll, inner]: [u64; 2] = serde_json::from_str(&widths).unwrap();
        assert_eq!(inner, 390, "{page}: the viewport is not a phone's");
        if scroll > inner {
            wide.push(format!("{page}: {scroll} px"));
        }
    }
    assert!(wide.is_empty(), "pages wider than 390 px: {wide:?}");
    let incident = pages
        .iter()
        .find(|p| {
            p.starts_with("incidents/")
                && std::fs::read_to_string(out.join(p.as_str()))
                    .unwrap()
                    .contains("p99.png")
        })
        .expect("the page with the image");
    open(&tab, &format!("{site}{incident}"));
    let loaded = tab
        .evaluate(
            "(async () => { const img = document.querySelector('img[alt=\"p99 latency\"]'); \
             if (!img.complete) await new Promise(r => img.onload = img.onerror = r); \
             return String(img.naturalWidth); })()",
            true,
        )
        .unwrap()
        .value;
    let loaded = loaded.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
    assert_eq!(loaded, "2", "the image does not load");
    let code = eval(
        &tab,
        "getComputedStyle(document.querySelector('.body pre')).backgroundColor",
    );
    let body = eval(&tab, "getComputedStyle(document.body).backgroundColor");
    assert_ne!(code, body, "code blocks look like prose");
}

/// axe-core's script, installed by `tests/run.sh` from npm into
/// `target/test-tools` (or the file `AXE_CORE` names).
fn axe_core() -> String {
    let path = std::env::var_os("AXE_CORE").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/test-tools/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "this test needs axe-core, and {} cannot be read ({e}): install it with \
             `npm install --prefix target/test-tools axe-core@4.14.1` (tests/run.sh does) \
             or set AXE_CORE to its axe.min.js",
            path.display()
        )
    })
}

#[test]
#[ignore = "needs chromium and axe-core: bash tests/run.sh installs them"]
fn axe_finds_no_violation_on_any_kind_of_page_in_either_theme() {
    let axe = axe_core();
    let project = Project::example();
    let site = build(&project);
    let out = project.path().join("out");
    let mut pages: Vec<String> = [
        "index.html",
        "timeline.html",
        "actions.html",
        "metrics.html",
        "search.html",
        "search.html?q=checkout",
        "404.html",
        "services/index.html",
        "severities/index.html",
        "causes/index.html",
        "tags/index.html",
    ]
    .map(str::to_owned)
    .to_vec();
    // Every incident, and the first page of each index.
    for entry in std::fs::read_dir(out.join("incidents")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        pages.push(format!("incidents/{name}"));
    }
    for dir in ["services", "severities", "causes", "tags"] {
        let first = std::fs::read_dir(out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "index.html")
            .min()
            .unwrap();
        pages.push(format!("{dir}/{first}"));
    }
    pages.sort();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let run = "axe.run(document, { runOnly: { type: 'tag', values: \
               ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })\
               .then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.help + ' at ' + \
               v.nodes.map(n => n.target.join(' ')).join(', '))))";
    let mut violations = Vec::new();
    for theme in ["light", "dark"] {
        open(&tab, &format!("{site}index.html"));
        eval(
            &tab,
            &format!("localStorage.setItem('pmbook-theme', '{theme}')"),
        );
        for page in &pages {
            open(&tab, &format!("{site}{page}"));
            assert_eq!(
                eval(&tab, "document.documentElement.dataset.theme"),
                theme,
                "{page}"
            );
            if page.contains("?q=") {
                tab.wait_for_element("#search-results li").unwrap();
            }
            tab.evaluate(&axe, false).unwrap();
            let found = tab.evaluate(run, true).unwrap().value.unwrap();
            let found: Vec<String> = serde_json::from_str(found.as_str().unwrap()).unwrap();
            violations.extend(found.into_iter().map(|v| format!("{page} ({theme}): {v}")));
        }
    }
    assert!(
        violations.is_empty(),
        "{} violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// `mermaid.min.js` of the npm `mermaid` package, as tests/run.sh installs
/// it (`$MERMAID_JS`).
fn mermaid_js() -> PathBuf {
    let install = "npm install --prefix target/test-tools mermaid@12.3.0 \
                   (tests/run.sh does it and sets MERMAID_JS)";
    let path = std::env::var_os("MERMAID_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("this test needs MERMAID_JS, the path of mermaid.min.js: {install}")
        });
    assert!(path.is_file(), "{} is missing: {install}", path.display());
    path
}

#[test]
#[ignore = "needs chromium and mermaid: tests/run.sh installs them"]
fn a_mermaid_diagram_draws_an_svg_from_file_urls() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with(
            "12 % of checkouts timed out between 09:12 and 10:30 UTC.\n",
            "```mermaid\ngraph LR\n  deploy --> cache --> checkout\n```\n",
        ),
    );
    project.file(
        "pmbook.toml",
        format!(
            "[site]\nmermaid = {}\n",
            serde_json::Value::from(mermaid_js().to_string_lossy())
        ),
    );
    let site = build(&project);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let errors = collect_errors(&tab);
    open(
        &tab,
        &format!("{site}incidents/2026-11-03-checkout-latency.html"),
    );
    let labels = tab
        .wait_for_element_with_custom_timeout("pre.mermaid svg", std::time::Duration::from_secs(30))
        .map(|_| {
            eval(
                &tab,
                "document.querySelector('pre.mermaid svg').textContent",
            )
        })
        .unwrap_or_else(|e| panic!("no SVG drawn ({e}); errors: {:?}", errors.lock().unwrap()));
    for node in ["deploy", "cache", "checkout"] {
        assert!(
            labels.contains(node),
            "{node} is not in the diagram: {labels}"
        );
    }
    // Switching the theme draws the diagram again, in the other palette.
    eval(
        &tab,
        "document.querySelector('pre.mermaid svg').dataset.old = 'yes'",
    );
    tab.wait_for_element("#theme-toggle")
        .unwrap()
        .click()
        .unwrap();
    tab.wait_for_element_with_custom_timeout(
        "pre.mermaid svg:not([data-old])",
        std::time::Duration::from_secs(30),
    )
    .unwrap();
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}
