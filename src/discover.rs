//! Finding postmortem files on disk and reading them safely.

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::config::{self, Project};
use crate::error::{Error, SourceError};
use crate::model::FileProblem;

/// Every postmortem file under the project's `src` directory, sorted.
pub fn postmortem_files(project: &Project) -> Result<Vec<PathBuf>, Error> {
    let src = project.src_dir();
    if !src.is_dir() {
        return Err(missing_src(project, &src));
    }
    walk(project, &src)
}

/// The error for a postmortem directory that does not exist: at `[book]
/// src` when the configuration sets it, so the user sees what to correct.
fn missing_src(project: &Project, src: &Path) -> Error {
    let shown = project.display_path(src);
    let written = project.config_path.as_ref().and_then(|path| {
        let text = std::fs::read_to_string(path).ok()?;
        let at = config::located(&text, &["book", "src"])?;
        Some((path, text, at))
    });
    match written {
        Some((path, text, at)) => Error::Source(SourceError {
            path: path.clone(),
            text,
            span: Some(at.value),
            message: format!(
                "the postmortem directory `{shown}` does not exist; create it, or correct `[book] src`"
            ),
        }),
        None => Error::Config(format!(
            "the postmortem directory `{shown}` does not exist; create it (`pmbook init`) or set `[book] src` in pmbook.toml"
        )),
    }
}

/// The postmortem files named on the command line: files as given,
/// directories walked like `src`.
pub fn named_files(
    project: &Project,
    base: &Path,
    paths: &[PathBuf],
) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let path = base.join(path);
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            files.extend(walk(project, &path)?);
        } else {
            files.push(absolute(&path));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn absolute(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .map(|p| p.join(name))
        .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

fn walk(project: &Project, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let filter = PostmortemFilter::new(project)?;
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_dir() && filter.accepts(entry.path()) {
            files.push(entry.path().to_path_buf());
        }
    }
    Ok(files)
}

/// Which paths are postmortems: Markdown files under `[book] src` that no
/// `[book] exclude` pattern matches.
pub struct PostmortemFilter {
    src: PathBuf,
    excluded: GlobSet,
}

impl PostmortemFilter {
    pub fn new(project: &Project) -> Result<PostmortemFilter, Error> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &project.config.book.exclude {
            let glob = Glob::new(pattern)
                .map_err(|e| Error::Config(format!("invalid pattern in `[book] exclude`: {e}")))?;
            builder.add(glob);
        }
        let excluded = builder
            .build()
            .map_err(|e| Error::Config(format!("invalid `[book] exclude`: {e}")))?;
        Ok(PostmortemFilter {
            src: project.src_dir(),
            excluded,
        })
    }

    /// The postmortem directory (absolute).
    pub fn src(&self) -> &Path {
        &self.src
    }

    /// Whether the file at absolute `path` is a postmortem. Files outside
    /// `src` (named on the command line) are judged by their name alone.
    pub fn accepts(&self, path: &Path) -> bool {
        let is_markdown = path.extension().is_some_and(|ext| ext == "md");
        let relative = path.strip_prefix(&self.src).unwrap_or(path);
        is_markdown && !self.excluded.is_match(relative)
    }

    /// Whether `path` is a postmortem inside `src`.
    pub fn accepts_in_src(&self, path: &Path) -> bool {
        path.starts_with(&self.src) && self.accepts(path)
    }
}

/// The text of a postmortem file, or why it cannot be linted. A symlink is
/// only read when its target stays inside the project.
pub fn read(project: &Project, path: &Path) -> Result<String, (FileProblem, String)> {
    let unreadable = |e: std::io::Error| (FileProblem::Unreadable(e.to_string()), String::new());
    let meta = std::fs::symlink_metadata(path).map_err(unreadable)?;
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(unreadable)?;
        if !target.starts_with(&project.root) {
            let target = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err((FileProblem::SymlinkOutside { target }, String::new()));
        }
    }
    let limit = project.config.lint.max_file_bytes;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            // Sized once: growing by doubling would hold up to twice the
            // text of every file a command keeps.
            let size = file.metadata().map_or(0, |m| m.len().min(limit + 1));
            bytes.reserve_exact(usize::try_from(size).unwrap_or(0));
            file.take(limit + 1).read_to_end(&mut bytes)
        })
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(limit + 1, |m| m.len());
        return Err((FileProblem::TooLarge { bytes: size, limit }, String::new()));
    }
    decode(bytes)
}

/// Decodes file bytes; on failure, also returns what decoded, to locate it.
pub fn decode(bytes: Vec<u8>) -> Result<String, (FileProblem, String)> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err((FileProblem::Binary, String::new()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        (FileProblem::NotUtf8 { offset }, lossy)
    })
}
