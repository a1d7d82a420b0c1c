//! Fenced code on the incident page: highlighted at build time, and
//! `mermaid` blocks left for the renderer copied into the site (or shown as
//! code with a note when the project has none). The browser test that the
//! renderer draws is in tests/browser.rs.

mod common;

use common::{Project, stderr, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// Where the valid fixture's impact text is.
const IMPACT: &str = "12 % of checkouts timed out between 09:12 and 10:30 UTC.\n";

const DIAGRAM: &str = "```mermaid\ngraph LR\n  deploy --> cache --> checkout\n```\n";

const CODE: &str = r#"```log
2026-11-03T09:20:01Z ERROR checkout: upstream timed out after 2000 ms
```

```sh
kubectl rollout undo deploy/cache # roll back
```

```sql
SELECT count(*) FROM orders WHERE status = 'failed';
```

```yaml
replicas: 3
```

```json
{"p99_ms": 2100}
```

```toml
[cache]
eviction = "lru"
```

```hcl
resource "aws_elasticache_cluster" "cache" {
  num_cache_nodes = 3
}
```

```text
plain <b>text</b>
```

```sh
echo '</code><script>alert("x")</script>'
```
"#;

/// A stand-in for `mermaid.min.js`: the build copies it, never runs it.
const RENDERER: &str = "/* a stand-in for mermaid.min.js */\n";

fn project(impact: &str) -> Project {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), valid_with(IMPACT, impact));
    project
}

fn read(path: impl AsRef<std::path::Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// The impact section of the incident page.
fn impact(page: &str) -> String {
    let start = page.find("<h2 id=\"impact\"").expect("the impact section");
    let end = page[start + 1..]
        .find("<h2 ")
        .map_or(page.len(), |i| start + 1 + i);
    page[start..end].to_owned()
}

#[test]
fn code_blocks_are_highlighted_and_diagrams_left_for_the_configured_renderer() {
    let project = project(&format!("{DIAGRAM}\n{CODE}"));
    project.file(
        "pmbook.toml",
        "[site]\nmermaid = \"vendor/mermaid.min.js\"\n",
    );
    project.file("vendor/mermaid.min.js", RENDERER);
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    let section = impact(&page);
    insta::assert_snapshot!("highlighted-code-and-diagram", section);
    assert!(
        section.contains(
            "<pre class=\"mermaid\">graph LR\n  deploy --&gt; cache --&gt; checkout\n</pre>"
        ),
        "{section}"
    );
    for scope in [
        "hl-text hl-log",
        "hl-source hl-shell hl-bash",
        "hl-source hl-sql",
        "hl-source hl-yaml",
        "hl-source hl-json",
        "hl-source hl-toml",
        "hl-source hl-terraform",
    ] {
        assert!(
            section.contains(&format!("<span class=\"{scope}\">")),
            "no {scope}:\n{section}"
        );
    }
    assert!(
        section.contains("plain &lt;b&gt;text&lt;/b&gt;"),
        "{section}"
    );
    assert!(!section.contains("<script"), "{section}");
    assert!(!section.contains("diagram-note"), "{section}");
    assert!(page.contains("<script src=\"../assets/mermaid.min.js\"></script>\n<script src=\"../assets/diagrams.js\"></script>"));
    assert_eq!(read(out.join("assets/mermaid.min.js")), RENDERER);
    assert!(out.join("assets/diagrams.js").is_file());
}

#[test]
fn only_pages_with_a_diagram_load_the_renderer_and_a_site_without_one_has_no_copy() {
    let project = project(CODE);
    project.postmortem(
        "2026-11-04-second.md",
        valid_with(IMPACT, DIAGRAM)
            .replace(ID, "2026-11-04-second")
            .replace("started_at = 2026-11-03", "started_at = 2026-11-04"),
    );
    project.file(
        "pmbook.toml",
        "[site]\nmermaid = \"vendor/mermaid.min.js\"\n",
    );
    project.file("vendor/mermaid.min.js", RENDERER);
    let out = project.build(&[]);
    let without = read(out.join(format!("incidents/{ID}.html")));
    assert!(!without.contains("mermaid.min.js"), "{without}");
    let with = read(out.join("incidents/2026-11-04-second.html"));
    assert!(
        with.contains("<script src=\"../assets/mermaid.min.js\">"),
        "{with}"
    );
    assert!(!read(out.join("index.html")).contains("mermaid.min.js"));

    std::fs::remove_file(project.path().join("postmortems/2026-11-04-second.md")).unwrap();
    let out = project.build(&[]);
    assert!(!out.join("assets/mermaid.min.js").exists());
}

#[test]
fn without_a_renderer_a_diagram_shows_as_code_with_a_note() {
    let project = project(DIAGRAM);
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    let section = impact(&page);
    insta::assert_snapshot!("diagram-without-renderer", section);
    assert!(
        section.contains(
            "<pre><code class=\"language-mermaid\">graph LR\n  deploy --&gt; cache --&gt; checkout\n</code></pre>\n<p class=\"diagram-note\">This diagram is shown as its source: to draw it, run <code>npm install mermaid</code> next to <code>pmbook.toml</code> or set <code>[site] mermaid</code> to the path of <code>mermaid.min.js</code>.</p>"
        ),
        "{section}"
    );
    assert!(!page.contains("mermaid.min.js\"></script>"), "{page}");
    assert!(!out.join("assets/mermaid.min.js").exists());
}

#[test]
fn the_renderer_npm_installed_in_the_project_is_found() {
    let project = project(DIAGRAM);
    project.file("node_modules/mermaid/dist/mermaid.min.js", RENDERER);
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    assert!(page.contains("<pre class=\"mermaid\">"), "{page}");
    assert!(!page.contains("diagram-note"), "{page}");
    assert_eq!(read(out.join("assets/mermaid.min.js")), RENDERER);
}

#[test]
fn a_configured_renderer_that_is_missing_stops_the_build() {
    let project = project(DIAGRAM);
    project.file(
        "pmbook.toml",
        "[site]\nmermaid = \"vendor/mermaid.min.js\"\n",
    );
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("[site] mermaid"), "{err}");
    assert!(
        err.contains(
            &project
                .path()
                .join("vendor/mermaid.min.js")
                .display()
                .to_string()
        ),
        "{err}"
    );
    assert!(!project.path().join("out").exists());
}

#[test]
fn raw_html_keeps_only_the_classes_of_highlighting_and_diagrams() {
    let project = project(
        "<span class=\"sidebar\">a</span> <span class=\"hl-comment hl-line\">b</span>\n\
         <span class=\"hl-string page\">c</span>\n\n\
         <p class=\"skip-link\">d</p>\n\n<p class=\"diagram-note\">e</p>\n\n\
         <pre class=\"topbar\">f</pre>\n",
    );
    let out = project.build(&[]);
    let section = impact(&read(out.join(format!("incidents/{ID}.html"))));
    for kept in [
        "<span>a</span>",
        "<span class=\"hl-comment hl-line\">b</span>",
        "<span>c</span>",
        "<p>d</p>",
        "<p class=\"diagram-note\">e</p>",
        "<pre>f</pre>",
    ] {
        assert!(section.contains(kept), "no {kept}:\n{section}");
    }
}
