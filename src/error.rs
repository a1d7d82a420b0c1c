//! Errors that stop a command (exit code 2): usage, configuration and I/O.
//! Problems found in postmortems are not errors but diagnostics.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use crate::model::Span;

#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A problem in a file the user wrote (the config), with its location.
    Source(SourceError),
    /// Any other configuration or usage problem, as a full sentence.
    Config(String),
}

#[derive(Debug)]
pub struct SourceError {
    pub path: PathBuf,
    pub text: String,
    pub span: Option<Span>,
    pub message: String,
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The error as pmbook prints it: `pmbook: error: …`, or, for a problem
    /// at a place in a file, the message, the `path:line:col` and the source
    /// line with a caret, as lint diagnostics are shown.
    pub fn report(&self) -> String {
        let Error::Source(e) = self else {
            return format!("pmbook: error: {self}");
        };
        let path = e.path.display().to_string();
        let title = Level::ERROR.primary_title(e.message.as_str());
        let group = match e.span {
            Some(span) => {
                let source = crate::model::Source::new(e.text.clone());
                let lines = source.line_span(span);
                let start = span.start - lines.start;
                let end = span
                    .end
                    .min(lines.end)
                    .saturating_sub(lines.start)
                    .max(start);
                title.element(
                    Snippet::source(e.text[lines.range()].to_owned())
                        .line_start(source.line_of(lines.start))
                        .path(path)
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            None => title.element(Origin::path(path)),
        };
        Renderer::styled().render(&[group])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Source(e) => {
                let source = crate::model::Source::new(e.text.clone());
                match e.span {
                    Some(span) => {
                        let at = source.position(span.start);
                        write!(
                            f,
                            "{}:{}:{}: {}",
                            e.path.display(),
                            at.line,
                            at.column,
                            e.message
                        )
                    }
                    None => write!(f, "{}: {}", e.path.display(), e.message),
                }
            }
            Error::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}
