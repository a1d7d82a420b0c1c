//! The fenced code blocks of the guide (`book/src`), for the tests that run
//! what the pages tell readers to type.
//!
//! A block's info string says whether it is run: `sh`, `bash` and
//! `console` blocks are (a `console` block's commands are its `$ ` lines);
//! `sh,norun` is a shell block shown but not run, because it cannot run as
//! written in a test (it installs, benchmarks or serves).

use std::path::{Path, PathBuf};

/// The guide's source directory.
pub fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

/// Every page of the guide, relative to `book/src` with `/`, sorted.
pub fn pages() -> Vec<String> {
    let src = book_src();
    let mut pages: Vec<String> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let parts: Vec<String> = p
                .strip_prefix(&src)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        })
        .collect();
    pages.sort();
    pages
}

/// A fenced code block of a page.
#[derive(Debug)]
pub struct CodeBlock {
    /// The page, relative to `book/src`.
    pub page: String,
    /// The line of the opening fence (1-based).
    pub line: usize,
    /// The info string: `sh`, `sh,norun`, `yaml`, …
    pub info: String,
    /// The lines between the fences, as written.
    pub body: Vec<String>,
}

impl CodeBlock {
    /// The language: the info string before any `,`.
    pub fn lang(&self) -> &str {
        self.info.split(',').next().unwrap_or_default()
    }

    /// Whether the guide means the block to be run as written.
    pub fn runnable(&self) -> bool {
        matches!(self.info.as_str(), "sh" | "bash" | "console")
    }

    /// The commands of a shell block: its lines without blank lines and
    /// comments (`sh`, `bash`), or its `$ ` lines (`console`).
    pub fn commands(&self) -> Vec<String> {
        let lines = self.body.iter().map(|l| l.trim());
        if self.lang() == "console" {
            lines
                .filter_map(|l| l.strip_prefix("$ "))
                .map(str::to_owned)
                .collect()
        } else {
            lines
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect()
        }
    }

    /// Where the block is, for messages: `page.md:12`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.page, self.line)
    }
}

/// The fenced code blocks of a page (`page` relative to `book/src`) that
/// have an info string, in order. Fences may be indented (in list items).
pub fn code_blocks(page: &str) -> Vec<CodeBlock> {
    let text = std::fs::read_to_string(book_src().join(page)).unwrap();
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let body: Vec<String> = lines
            .by_ref()
            .take_while(|(_, l)| l.trim() != "```")
            .map(|(_, l)| l.to_owned())
            .collect();
        if !info.trim().is_empty() {
            blocks.push(CodeBlock {
                page: page.to_owned(),
                line: n + 1,
                info: info.trim().to_owned(),
                body,
            });
        }
    }
    blocks
}
