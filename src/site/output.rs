//! The output directory: built in a temporary directory next to it and
//! swapped in only when complete, so an interrupted build leaves the
//! previous site intact; a non-empty directory pmbook did not create is
//! never written into.
//!
//! A rebuild of `serve` writes into the site it built before instead
//! ([`Staging::over`]): only the files whose bytes change are replaced,
//! each atomically, and the files the new build no longer makes are
//! removed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;

/// What a build wrote: for each file (relative path), a digest of its
/// bytes and, for a page, of what its template was given.
#[derive(Default)]
pub struct Written {
    files: HashMap<String, Digests>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Digests {
    bytes: u64,
    context: Option<u64>,
}

/// A digest that stays the same for the same input within a process.
pub fn digest(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Present in every directory `pmbook build` made.
pub const MARKER: &str = ".pmbook-site";

/// A build in progress.
pub struct Staging {
    out: PathBuf,
    /// Where the files go: a new temporary directory, or `out` itself for
    /// a rebuild over an earlier build.
    temp: PathBuf,
    /// The files of the earlier build, for a rebuild over it.
    earlier: Option<Written>,
    written: Mutex<Written>,
    /// How many files were replaced or added (a rebuild over an earlier
    /// build).
    rewritten: AtomicUsize,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the temporary directory.
    pub fn new(out: &Path) -> Result<Staging, Error> {
        if let Ok(meta) = std::fs::symlink_metadata(out) {
            if !meta.is_dir() {
                return Err(Error::Config(format!(
                    "{} exists and is not a directory; choose another output with --out",
                    out.display()
                )));
            }
            let empty = std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_none();
            if !empty && !out.join(MARKER).exists() {
                return Err(Error::Config(format!(
                    "{} is not empty and was not made by `pmbook build`; refusing to replace it. \
                     Choose another output with --out, or empty it first",
                    out.display()
                )));
            }
        }
        let name = out
            .file_name()
            .ok_or_else(|| {
                Error::Config(format!("{} cannot be an output directory", out.display()))
            })?
            .to_string_lossy()
            .into_owned();
        let parent = out.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let temp = parent.join(format!(".{name}.pmbook-tmp-{}", std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp).map_err(|e| Error::io(&temp, e))?;
        }
        std::fs::create_dir(&temp).map_err(|e| Error::io(&temp, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            temp,
            earlier: None,
            written: Mutex::default(),
            rewritten: AtomicUsize::new(0),
        })
    }

    /// A rebuild over `earlier`, what the last build wrote into `out`:
    /// files are written in place, and only where their bytes change.
    /// Without `out` (removed since), a new build.
    pub fn over(out: &Path, earlier: Written) -> Result<Staging, Error> {
        if !out.join(MARKER).is_file() {
            return Staging::new(out);
        }
        Ok(Staging {
            out: out.to_path_buf(),
            temp: out.to_path_buf(),
            earlier: Some(earlier),
            written: Mutex::default(),
            rewritten: AtomicUsize::new(0),
        })
    }

    /// Whether this is a rebuild over an earlier build.
    pub fn is_over(&self) -> bool {
        self.earlier.is_some()
    }

    /// Whether the page at `relative` is the earlier build's when its
    /// template is given what `context` digests: then it is kept as it
    /// is, and need not be rendered.
    pub fn keeps_page(&self, relative: &str, context: u64) -> bool {
        let Some(earlier) = self.earlier.as_ref() else {
            return false;
        };
        match earlier.files.get(relative) {
            Some(digests)
                if digests.context == Some(context) && self.out.join(relative).is_file() =>
            {
                self.record(relative, *digests);
                true
            }
            _ => false,
        }
    }

    /// Keeps the earlier build's file at `relative`, if there is one: a
    /// file whose inputs did not change. Returns whether it was kept.
    pub fn keep(&self, relative: &str) -> bool {
        match self.earlier.as_ref().and_then(|e| e.files.get(relative)) {
            Some(digests) if self.out.join(relative).is_file() => {
                self.record(relative, *digests);
                true
            }
            _ => false,
        }
    }

    /// Whether the earlier build's file at `relative` was kept as it is.
    pub fn kept(&self, relative: &str) -> bool {
        let earlier = self.earlier.as_ref().and_then(|e| e.files.get(relative));
        earlier.is_some()
            && earlier
                == self
                    .written
                    .lock()
                    .expect("written lock")
                    .files
                    .get(relative)
    }

    /// Keeps every file of the earlier build that this one has not
    /// written, but those `remade` says this build makes whole (which it
    /// no longer makes when it did not write them): a rebuild that knows
    /// the others are unchanged.
    /// Returns `false` when one of them is no longer in the output.
    pub fn keep_the_rest(&self, remade: impl Fn(&str) -> bool) -> bool {
        let Some(earlier) = &self.earlier else {
            return false;
        };
        let mut written = self.written.lock().expect("written lock");
        for (relative, digests) in &earlier.files {
            if remade(relative) || written.files.contains_key(relative) {
                continue;
            }
            if !self.out.join(relative).is_file() {
                return false;
            }
            written.files.insert(relative.clone(), *digests);
        }
        true
    }

    /// Writes the page at `relative`, rendered from what `context` digests.
    pub fn write_page(&self, relative: &str, bytes: &[u8], context: u64) -> Result<(), Error> {
        self.put(relative, bytes, Some(context))
    }

    fn record(&self, relative: &str, digests: Digests) {
        self.written
            .lock()
            .expect("written lock")
            .files
            .insert(relative.to_owned(), digests);
    }

    /// Writes `bytes` at `relative` (a `/`-separated path made by the site
    /// builder) inside the temporary directory.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        self.put(relative, bytes, None)
    }

    fn put(&self, relative: &str, bytes: &[u8], context: Option<u64>) -> Result<(), Error> {
        let path = Path::new(relative);
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Error::Config(format!(
                "refusing to write outside the output: {relative}"
            )));
        }
        let digests = Digests {
            bytes: digest(bytes),
            context,
        };
        self.record(relative, digests);
        let target = self.temp.join(path);
        let Some(earlier) = &self.earlier else {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            return std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e));
        };
        let same = earlier
            .files
            .get(relative)
            .is_some_and(|e| e.bytes == digests.bytes);
        if same && target.is_file() {
            return Ok(());
        }
        self.rewritten.fetch_add(1, Ordering::Relaxed);
        replace(&target, bytes)
    }

    /// Replaces the output directory with the finished build, or, over an
    /// earlier build, removes the files it made that this one did not.
    pub fn finish(mut self) -> Result<Finished, Error> {
        self.write(
            MARKER,
            b"This directory is generated by `pmbook build` and replaced by it.\n",
        )?;
        let written = std::mem::take(&mut *self.written.lock().expect("written lock"));
        let rewritten = self.rewritten.load(Ordering::Relaxed);
        if let Some(earlier) = self.earlier.take() {
            let mut removed = 0;
            for relative in earlier.files.keys() {
                if !written.files.contains_key(relative) {
                    let path = self.out.join(relative);
                    match std::fs::remove_file(&path) {
                        Ok(()) => removed += 1,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(Error::io(&path, e)),
                    }
                    // The directories left empty go too (a build makes none).
                    let mut dir = path.parent();
                    while let Some(empty) = dir.filter(|d| *d != self.out) {
                        if std::fs::remove_dir(empty).is_err() {
                            break;
                        }
                        dir = empty.parent();
                    }
                }
            }
            return Ok(Finished {
                out: self.out.clone(),
                written,
                rewritten: rewritten + removed,
            });
        }
        let rewritten = written.files.len();
        if self.out.exists() {
            let name = self
                .out
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let old = self
                .out
                .with_file_name(format!(".{name}.pmbook-old-{}", std::process::id()));
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
            std::fs::rename(&self.temp, &self.out).map_err(|e| Error::io(&self.temp, e))?;
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        } else {
            std::fs::rename(&self.temp, &self.out).map_err(|e| Error::io(&self.temp, e))?;
        }
        Ok(Finished {
            out: self.out.clone(),
            written,
            rewritten,
        })
    }
}

/// A finished build.
pub struct Finished {
    pub out: PathBuf,
    /// What it wrote, for a rebuild over it.
    pub written: Written,
    /// How many files it wrote, replaced or removed.
    pub rewritten: usize,
}

/// Writes `bytes` to `target` through a temporary file in its directory,
/// so that the server never serves a half-written file.
fn replace(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| Error::io(target, e))?;
    file.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    Ok(())
}

impl Drop for Staging {
    /// A build that failed half-way leaves no temporary directory behind
    /// (a rebuild over an earlier build has none).
    fn drop(&mut self) {
        if self.earlier.is_none() && self.temp != self.out {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}
