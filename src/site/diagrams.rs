//! Mermaid diagrams, drawn in the reader's browser by the renderer of the
//! npm `mermaid` package, copied into the site: no network is needed, and
//! the classic script (no module, no fetch) works from `file://`.

use std::fmt::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use comrak::adapters::CodefenceRendererAdapter;
use comrak::nodes::Sourcepos;

use super::highlight::escape;
use crate::config::Project;
use crate::error::Error;

/// The info string of a diagram block.
pub const MERMAID: &str = "mermaid";

/// Where `npm install mermaid` in the project directory puts the renderer,
/// used when `[site] mermaid` is not set.
pub const INSTALLED: &str = "node_modules/mermaid/dist/mermaid.min.js";

/// The renderer in the site, and the script that starts it.
pub const SCRIPT: &str = "assets/mermaid.min.js";

/// The renderer: `[site] mermaid` (an error when that file is missing),
/// else the one `npm install mermaid` put in the project, else none.
pub fn renderer(project: &Project) -> Result<Option<PathBuf>, Error> {
    match &project.config.site.mermaid {
        Some(configured) => {
            let path = project.root.join(configured);
            if path.is_file() {
                Ok(Some(path))
            } else {
                Err(Error::Config(format!(
                    "[site] mermaid: {} is not a file (the path is relative to the directory \
                     of pmbook.toml; `npm install mermaid` there puts the renderer at {INSTALLED})",
                    path.display()
                )))
            }
        }
        None => {
            let path = project.root.join(INSTALLED);
            Ok(path.is_file().then_some(path))
        }
    }
}

/// What becomes of a `mermaid` block: a `<pre class="mermaid">` the
/// renderer draws when the site has one, else the code and a note.
pub struct Diagrams {
    /// The site has the renderer.
    pub renderer: bool,
    /// A diagram was written for the renderer to draw.
    pub drawn: AtomicBool,
}

impl Diagrams {
    pub fn new(renderer: bool) -> Diagrams {
        Diagrams {
            renderer,
            drawn: AtomicBool::new(false),
        }
    }
}

/// The class of the note under a diagram shown as code.
pub const NOTE_CLASS: &str = "diagram-note";

/// The one-line note under a diagram shown as code.
pub const NOTE: &str = "This diagram is shown as its source: to draw it, run \
    <code>npm install mermaid</code> next to <code>pmbook.toml</code> or set \
    <code>[site] mermaid</code> to the path of <code>mermaid.min.js</code>.";

impl CodefenceRendererAdapter for Diagrams {
    fn write(
        &self,
        output: &mut dyn Write,
        lang: &str,
        _meta: &str,
        code: &str,
        _sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        if self.renderer {
            self.drawn.store(true, Ordering::Relaxed);
            writeln!(output, r#"<pre class="mermaid">{}</pre>"#, escape(code))
        } else {
            writeln!(
                output,
                r#"<pre><code class="language-{lang}">{}</code></pre>"#,
                escape(code)
            )?;
            writeln!(output, r#"<p class="{NOTE_CLASS}">{NOTE}</p>"#)
        }
    }
}
