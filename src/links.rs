//! Where the relative links of a postmortem lead: to another postmortem,
//! to an attachment (an image, a log, a PDF beside it), or out of the
//! project. Read by the `broken-link` rule and by the site, which links
//! postmortems to their pages and copies attachments.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a link destination written in a postmortem names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A URL with a scheme, a same-page `#anchor`, an absolute path or
    /// nothing: left as written.
    Elsewhere,
    /// A file: its path relative to the repository root (`/`-separated),
    /// and the `#fragment` after it.
    File {
        path: String,
        fragment: Option<String>,
    },
    /// A path that climbs out of the project directory.
    Outside,
}

/// Where the files are: the repository root (postmortem paths are
/// relative to it) and the project directory, which links may not leave.
#[derive(Debug, Clone)]
pub struct Disk {
    pub repo_root: PathBuf,
    pub project_root: PathBuf,
}

impl Disk {
    pub fn of(project: &crate::config::Project) -> Disk {
        Disk {
            repo_root: project.repo_root.clone(),
            project_root: project.root.clone(),
        }
    }

    /// The project directory relative to the repository root, with `/`
    /// (empty when they are one).
    pub fn project_dir(&self) -> String {
        let relative = self
            .project_root
            .strip_prefix(&self.repo_root)
            .unwrap_or(Path::new(""));
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// `dest`, written in the postmortem at `from` (relative to the
    /// repository root).
    pub fn resolve(&self, dest: &str, from: &str) -> Target {
        resolve(dest, from, &self.project_dir())
    }

    /// The file at `path` (relative to the repository root), checked: it
    /// exists, is a file, and is in the project directory once symbolic
    /// links are followed.
    pub fn locate(&self, path: &str) -> Result<PathBuf, Problem> {
        let full = self.repo_root.join(path);
        let real = std::fs::canonicalize(&full).map_err(|_| Problem::Missing)?;
        let root = std::fs::canonicalize(&self.project_root).map_err(|_| Problem::Missing)?;
        if !real.starts_with(&root) {
            return Err(Problem::Outside);
        }
        if !real.is_file() {
            return Err(Problem::NotAFile);
        }
        Ok(real)
    }
}

/// Why a linked file cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    Missing,
    NotAFile,
    Outside,
}

/// `dest` written in the postmortem at `from` (relative to the repository
/// root), in a project at `project` (relative to the repository root).
pub fn resolve(dest: &str, from: &str, project: &str) -> Target {
    let dest = dest.trim();
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if dest.is_empty() || dest.starts_with(['#', '/', '\\']) || has_scheme {
        return Target::Elsewhere;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_owned())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    let inside = project.is_empty()
        || joined
            .strip_prefix(project)
            .is_some_and(|rest| rest.starts_with('/'));
    if !inside {
        return Target::Outside;
    }
    Target::File {
        path: joined,
        fragment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, fragment: Option<&str>) -> Target {
        Target::File {
            path: path.to_owned(),
            fragment: fragment.map(str::to_owned),
        }
    }

    #[test]
    fn relative_paths_resolve_from_the_postmortem_directory() {
        let from = "postmortems/2026/a.md";
        assert_eq!(
            resolve("img/p99.png", from, ""),
            file("postmortems/2026/img/p99.png", None)
        );
        assert_eq!(
            resolve("../b.md#timeline", from, ""),
            file("postmortems/b.md", Some("timeline"))
        );
        assert_eq!(
            resolve("./p99%20graph.png?raw=1", from, ""),
            file("postmortems/2026/p99 graph.png", None)
        );
        assert_eq!(resolve("../../../secret", from, ""), Target::Outside);
        assert_eq!(resolve("../../secret", from, "pm"), Target::Outside);
        assert_eq!(
            resolve("../x.png", "pm/postmortems/a.md", "pm"),
            file("pm/x.png", None)
        );
        for elsewhere in [
            "https://example.com/a.md",
            "mailto:a@example.com",
            "#impact",
            "/etc/passwd",
            "",
        ] {
            assert_eq!(
                resolve(elsewhere, from, ""),
                Target::Elsewhere,
                "{elsewhere}"
            );
        }
    }
}
