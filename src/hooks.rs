//! Installing and removing pmbook's git hooks (`hooks/` in the source tree,
//! built into the binary). A hook file pmbook did not write is never
//! overwritten or deleted: installing refuses, or with `--chain` keeps it
//! under another name and runs it first.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Every hook pmbook writes starts with this line after the shebang.
const MARKER: &str = "# pmbook-hook:";

/// The hooks pmbook installs: (git hook name, script).
pub const HOOKS: [(&str, &str); 2] = [
    ("pre-commit", include_str!("../hooks/pre-commit")),
    ("pre-push", include_str!("../hooks/pre-push")),
];

/// Where a foreign hook is kept when pmbook's is chained in front of it.
fn chained_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.pmbook-chained"))
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|text| text.lines().nth(1).is_some_and(|l| l.starts_with(MARKER)))
}

/// Installs the hooks into `dir`; returns one line per hook saying what
/// was done. Nothing is changed when a foreign hook is in the way and
/// `chain` is false.
pub fn install(dir: &Path, chain: bool) -> Result<Vec<String>, Error> {
    let foreign: Vec<&str> = HOOKS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            let path = dir.join(name);
            std::fs::symlink_metadata(&path).is_ok() && !is_ours(&path)
        })
        .collect();
    if !foreign.is_empty() && !chain {
        return Err(Error::Config(format!(
            "{} already has a {} hook that pmbook did not install; nothing was changed.\n\
             Rerun with `pmbook hooks install --chain` to keep it and run it before pmbook's, \
             or remove it first.",
            dir.display(),
            foreign.join(" and a ")
        )));
    }
    for name in &foreign {
        if std::fs::symlink_metadata(chained_path(dir, name)).is_ok() {
            return Err(Error::Config(format!(
                "{} already exists; remove or rename it before chaining another {name} hook",
                chained_path(dir, name).display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut done = Vec::new();
    for (name, script) in HOOKS {
        let path = dir.join(name);
        if foreign.contains(&name) {
            let kept = chained_path(dir, name);
            std::fs::rename(&path, &kept).map_err(|e| Error::io(&path, e))?;
            write_executable(&path, script)?;
            done.push(format!(
                "{name}: installed; the existing hook is kept as {} and runs first",
                kept.display()
            ));
        } else if std::fs::read_to_string(&path).is_ok_and(|text| text == script) {
            done.push(format!("{name}: already installed"));
        } else {
            let verb = if path.exists() {
                "updated"
            } else {
                "installed"
            };
            write_executable(&path, script)?;
            done.push(format!("{name}: {verb} at {}", path.display()));
        }
    }
    Ok(done)
}

/// Removes the hooks pmbook installed from `dir`, restoring chained ones.
pub fn uninstall(dir: &Path) -> Result<Vec<String>, Error> {
    let mut done = Vec::new();
    for (name, _) in HOOKS {
        let path = dir.join(name);
        let kept = chained_path(dir, name);
        if std::fs::symlink_metadata(&path).is_err() {
            done.push(format!("{name}: not installed"));
            continue;
        }
        if !is_ours(&path) {
            done.push(format!("{name}: not installed by pmbook; left as it is"));
            continue;
        }
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        if std::fs::symlink_metadata(&kept).is_ok() {
            std::fs::rename(&kept, &path).map_err(|e| Error::io(&kept, e))?;
            done.push(format!(
                "{name}: removed; the previous hook is back in place"
            ));
        } else {
            done.push(format!("{name}: removed"));
        }
    }
    Ok(done)
}

/// Writes `text` to `path` through a temporary file and a rename, so that
/// git never runs a half-written hook.
fn write_executable(path: &Path, text: &str) -> Result<(), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.pmbook-tmp"));
    std::fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(&temp, permissions).map_err(|e| Error::io(&temp, e))?;
    }
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
}
