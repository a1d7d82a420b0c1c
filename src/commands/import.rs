//! `pmbook import PATH...`: one pmbook draft per original, in the
//! postmortem directory. Sources are only read; a file is only ever
//! created (atomically, never over an existing one), and a source imported
//! before maps back to the file made from it, so importing twice changes
//! nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::{CLEAN, project, write_stdout};
use crate::cli::{GlobalArgs, ImportArgs, ImportFormat};
use crate::config::Project;
use crate::error::Error;
use crate::import::{self, Note};
use crate::parse::front_matter;

/// Exit code when a source could not be read or converted.
const FAILED: u8 = 2;

#[derive(Serialize)]
struct FileReport {
    source: String,
    target: Option<String>,
    /// `created`, `would create`, `unchanged`, `kept`, `skipped` or
    /// `failed`.
    status: &'static str,
    notes: Vec<Note>,
}

pub fn run(global: &GlobalArgs, args: ImportArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let src = project.src_dir();
    let mut reports = Vec::new();
    let mut sources = Vec::new();
    for path in &args.paths {
        let full = dir.join(path);
        if full.is_dir() {
            sources.extend(markdown_under(&full));
        } else if full.is_file() {
            sources.push(full);
        } else {
            reports.push(failed(
                path.display().to_string(),
                "no such file or directory",
            ));
        }
    }
    let mut existing = existing(&src);
    let mut aliases: Option<BTreeMap<String, Vec<String>>> = args.aliases.then(BTreeMap::new);
    let src_real = std::fs::canonicalize(&src).ok();
    for source in sources {
        let shown = project.display_path(&source);
        let real = std::fs::canonicalize(&source).ok();
        if let (Some(real), Some(src_real)) = (&real, &src_real)
            && real.starts_with(src_real)
        {
            reports.push(FileReport {
                source: shown,
                target: None,
                status: "skipped",
                notes: vec![Note {
                    text: "already in the postmortem directory: not imported".to_owned(),
                    todo: false,
                }],
            });
            continue;
        }
        let report = import_one(
            &project,
            &source,
            &shown,
            &mut existing,
            args.dry_run,
            aliases.as_mut(),
        )
        .unwrap_or_else(|message| failed(shown, &message));
        reports.push(report);
    }
    let mut failures = reports.iter().any(|r| r.status == "failed");
    let config_note = match aliases {
        Some(aliases) => match add_aliases(&project, &aliases, args.dry_run) {
            Ok(note) => note,
            Err(message) => {
                failures = true;
                Some(format!("pmbook.toml: not changed: {message}"))
            }
        },
        None => None,
    };
    let mut text = match args.format {
        ImportFormat::Json => {
            serde_json::to_string_pretty(&reports).expect("reports serialize") + "\n"
        }
        ImportFormat::Human => human(&reports),
    };
    if let Some(note) = config_note {
        match args.format {
            ImportFormat::Human => text.push_str(&format!("{note}\n")),
            ImportFormat::Json => eprintln!("pmbook: {note}"),
        }
    }
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::from(if failures { FAILED } else { CLEAN }))
}

/// Adds the kept headings to `[sections.aliases]` of the project's
/// `pmbook.toml` (made if there is none): only added to, replaced
/// atomically. What was done, if anything.
fn add_aliases(
    project: &Project,
    aliases: &BTreeMap<String, Vec<String>>,
    dry_run: bool,
) -> Result<Option<String>, String> {
    let path = project
        .config_path
        .clone()
        .unwrap_or_else(|| project.root.join("pmbook.toml"));
    let shown = project.display_path(&path);
    let before = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    let after = import::aliases::add(&before, aliases).map_err(|e| format!("{shown}: {e}"))?;
    if after == before {
        return Ok(None);
    }
    let listed = aliases
        .iter()
        .map(|(section, names)| format!("{section}: {}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    if dry_run {
        return Ok(Some(format!(
            "{shown}: would add section aliases ({listed})"
        )));
    }
    replace_atomically(&path, &after).map_err(|e| format!("{shown}: {e}"))?;
    Ok(Some(format!("{shown}: added section aliases ({listed})")))
}

/// Writes `text` to a temporary file next to `path`, then renames it over
/// `path`, keeping its permissions: readers see the old file or the new one.
fn replace_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temp = temp_beside(path, text, std::fs::metadata(path).ok())?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// A new temporary file next to `path` holding `text`, synced to disk,
/// with the permissions of `like` when given; removed again on failure.
fn temp_beside(
    path: &Path,
    text: &str,
    like: Option<std::fs::Metadata>,
) -> std::io::Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Some(meta) = like {
            file.set_permissions(meta.permissions())?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn failed(source: String, message: &str) -> FileReport {
    FileReport {
        source,
        target: None,
        status: "failed",
        notes: vec![Note {
            text: message.to_owned(),
            todo: true,
        }],
    }
}

/// Every Markdown file under `dir`, sorted.
fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .collect();
    files.sort();
    files
}

/// What the postmortem directory already holds: the file made from each
/// imported source, and the ids in use.
struct Existing {
    by_source: HashMap<String, PathBuf>,
    ids: HashSet<String>,
}

fn existing(src: &Path) -> Existing {
    let mut found = Existing {
        by_source: HashMap::new(),
        ids: HashSet::new(),
    };
    if !src.is_dir() {
        return found;
    }
    for path in markdown_under(src) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(id) = front_matter::scan_id(&text) {
            found.ids.insert(id);
        }
        let imported_from = front_matter::locate(&text)
            .ok()
            .and_then(|block| front_matter::parse(&text, block).ok())
            .and_then(|fm| fm.imported_from)
            .map(|f| f.value);
        if let Some(from) = imported_from {
            found.by_source.insert(from, path);
        }
    }
    found
}

fn import_one(
    project: &Project,
    source: &Path,
    shown: &str,
    existing: &mut Existing,
    dry_run: bool,
    aliases: Option<&mut BTreeMap<String, Vec<String>>>,
) -> Result<FileReport, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = match aliases {
        Some(_) => import::convert_keeping_headings(&text, &stem, &project.config),
        None => import::convert(&text, &stem, &project.config),
    }
    .map_err(|message| format!("{shown}:{message}"))?;
    if let Some(aliases) = aliases {
        for (section, names) in &imported.aliases {
            let list = aliases.entry(section.clone()).or_default();
            for name in names {
                if !list.contains(name) {
                    list.push(name.clone());
                }
            }
        }
    }
    let report = |target: &Path, status| FileReport {
        source: shown.to_owned(),
        target: Some(project.display_path(target)),
        status,
        notes: imported.notes.clone(),
    };
    if let Some(target) = existing.by_source.get(shown) {
        let id = front_matter::scan_id(&std::fs::read_to_string(target).unwrap_or_default())
            .unwrap_or_else(|| imported.id.clone());
        let now = std::fs::read(target).unwrap_or_default();
        let status = if now == imported.render(&id, shown).as_bytes() {
            "unchanged"
        } else {
            "kept"
        };
        return Ok(report(target, status));
    }
    let src = project.src_dir();
    for n in 1.. {
        let id = match n {
            1 => imported.id.clone(),
            n => format!("{}-{n}", imported.id),
        };
        let target = src.join(format!("{id}.md"));
        if existing.ids.contains(&id) || target.exists() {
            continue;
        }
        if dry_run {
            existing.ids.insert(id);
            return Ok(report(&target, "would create"));
        }
        std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        if !create_atomically(&target, &imported.render(&id, shown))
            .map_err(|e| format!("{}: {e}", target.display()))?
        {
            continue;
        }
        existing.ids.insert(id);
        existing.by_source.insert(shown.to_owned(), target.clone());
        return Ok(report(&target, "created"));
    }
    unreachable!("the numeric suffixes do not run out")
}

/// Writes `text` to a temporary file next to `path`, then links it to
/// `path`, which fails if `path` exists: the file appears whole or not at
/// all, and nothing is replaced. `false` when `path` exists.
fn create_atomically(path: &Path, text: &str) -> std::io::Result<bool> {
    let temp = temp_beside(path, text, None)?;
    let linked = match std::fs::hard_link(&temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&temp);
    linked
}

fn human(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        match &r.target {
            Some(target) => out.push_str(&format!("{}: {} {}\n", r.source, r.status, target)),
            None => out.push_str(&format!("{}: {}\n", r.source, r.status)),
        }
        for note in &r.notes {
            let mark = if note.todo { "to do" } else { "note" };
            out.push_str(&format!("  {mark}: {}\n", note.text));
        }
    }
    let count = |status| reports.iter().filter(|r| r.status == status).count();
    out.push_str(&format!(
        "{} file(s): {} created, {} would be created, {} unchanged, {} kept as edited, {} skipped, {} failed\n",
        reports.len(),
        count("created"),
        count("would create"),
        count("unchanged"),
        count("kept"),
        count("skipped"),
        count("failed")
    ));
    out
}
