//! `lint --fix`. A fix is data: byte-range edits of a postmortem's text,
//! made by the rule that finds the problem (it knows best what is safe) and
//! attached to its violation. This module applies them, parses and lints the
//! result again, and repeats until nothing is left to fix, so that a second
//! run changes nothing.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use super::rules::required_field;
use super::{Context, Patterns, check_with_fixes};
use crate::actions::tracker::Tracker;
use crate::config::{Config, Project};
use crate::corpus::{Corpus, IdIndex};
use crate::diagnostics::Report;
use crate::error::Error;
use crate::links::Disk;
use crate::model::source::BOM;
use crate::model::{PostmortemFile, Span};
use crate::parse;
use crate::parse::ids::FileIds;

/// One change of a postmortem's text. Offsets are those of
/// [`crate::model::Source::text`], which excludes the BOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            span: Span::new(at, at),
            replacement: text.into(),
        }
    }

    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: text.into(),
        }
    }
}

/// What `lint --fix` may change to solve one problem: edits made all together
/// or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as a past-tense verb ("added") and its object
    /// ("## Impact"): the report lists the objects of one verb together.
    pub verb: &'static str,
    pub object: String,
    pub edits: Vec<Edit>,
}

/// Rounds of fixing per file. One round normally fixes everything (fixes
/// whose edits overlap wait for the next); the limit stops a fix that keeps
/// finding work.
const MAX_ROUNDS: usize = 4;

/// A file that `lint --fix` changed.
pub struct Fixed {
    /// Where the file is (absolute).
    path: PathBuf,
    /// Its path as reports show it.
    pub display: String,
    /// What was done: "added ## Impact, ## Communication; sorted the timeline".
    pub summary: String,
    /// The file's text as it was read, BOM included.
    original: String,
    /// The fixed text, BOM included.
    text: String,
}

/// Fixes the files of `corpus` and writes each file that changed, calling
/// `written` after each; then lints the texts as written and returns what
/// is left.
///
/// A file reached through a symbolic link is not fixed: its target is, when
/// it is a postmortem too, and a fix made through the link could give the
/// target the link's name as its id.
pub fn run(
    project: &Project,
    corpus: Corpus,
    today: Date,
    mut written: impl FnMut(&Fixed),
) -> Result<Report, Error> {
    let config = &project.config;
    let patterns = Patterns::new(config)?;
    let parsed: Vec<FileIds> = corpus
        .files
        .par_iter()
        .filter_map(|file| {
            let text = file.text.as_ref().ok()?;
            Some(FileIds::of(&parse::parse(
                file.path.clone(),
                text.clone(),
                config,
            )))
        })
        .collect();
    let mut index = IdIndex::of_files(parsed.into_iter().chain(corpus.others.iter().cloned()));
    claim_shared_names(&mut index, &corpus.files);
    let tracker = Tracker::configured(project)?;
    let fixer = Fixer {
        config,
        today,
        disk: corpus.disk.as_ref(),
        index: &index,
        patterns: &patterns,
        tracker: tracker.as_ref(),
    };
    let mut fixed: Vec<(usize, Fixed)> = corpus
        .files
        .par_iter()
        .enumerate()
        .filter_map(|(n, file)| {
            let original = file.text.as_ref().ok()?;
            let path = file.on_disk.as_ref()?;
            if std::fs::symlink_metadata(path).ok()?.is_symlink() {
                return None;
            }
            let (text, done) = fixer.fix(&file.path, original);
            let text = if original.starts_with(BOM) {
                format!("{BOM}{text}")
            } else {
                text
            };
            (!done.is_empty() && text != *original).then(|| {
                (
                    n,
                    Fixed {
                        path: path.clone(),
                        display: file.path.clone(),
                        summary: summary(&done),
                        original: original.clone(),
                        text,
                    },
                )
            })
        })
        .collect();
    fixed.sort_by(|(_, a), (_, b)| a.display.cmp(&b.display));
    let mut files = corpus.files;
    for (n, file) in fixed {
        file.write()?;
        written(&file);
        files[n].text = Ok(file.text);
    }
    // A link's target may have been fixed under its own name.
    for file in &mut files {
        if let Some(path) = &file.on_disk
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink())
        {
            file.text = crate::discover::read(project, path);
        }
    }
    let mut after = Corpus::of_texts(files, corpus.others);
    after.disk = corpus.disk;
    super::run(config, after, today, tracker.as_ref())
}

/// Files without an id are given their file name as id; two of them with
/// the same name (in different directories) would get the same one. Their
/// name is claimed in the index for both, so neither gets it.
fn claim_shared_names(index: &mut IdIndex, files: &[PostmortemFile]) {
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for file in files {
        let Ok(text) = &file.text else { continue };
        if parse::front_matter::scan_id(text).is_none()
            && let Some(id) = required_field::id_from_file_name(&file.path)
        {
            by_name.entry(id).or_default().push(&file.path);
        }
    }
    for (id, paths) in by_name {
        if paths.len() > 1 {
            for path in paths {
                index.add(id.to_owned(), path.to_owned());
            }
        }
    }
}

/// What every round of linting needs besides the text.
struct Fixer<'a> {
    config: &'a Config,
    today: Date,
    disk: Option<&'a Disk>,
    index: &'a IdIndex,
    patterns: &'a Patterns,
    tracker: Option<&'a Tracker>,
}

impl Fixer<'_> {
    /// Fixes `text` round after round; returns the text (without its BOM)
    /// and the fixes made. A fix that comes back in the next round did not
    /// work (a section added at the end of a file that ends inside a code
    /// block becomes code): its round is undone and done again without it.
    fn fix(&self, path: &str, text: &str) -> (String, Vec<Fix>) {
        let mut text = text.to_owned();
        let mut done: Vec<Fix> = Vec::new();
        let mut refused: Vec<Fix> = Vec::new();
        // The text before the last round, and how many fixes were done then.
        let mut undo: Option<(String, usize)> = None;
        for round in 0..=MAX_ROUNDS {
            let pm = parse::parse(path.to_owned(), text, self.config);
            let context = Context {
                pm: &pm,
                config: self.config,
                today: self.today,
                disk: self.disk,
                index: Some(self.index),
                patterns: self.patterns,
                tracker: self.tracker,
            };
            let mut fixes = check_with_fixes(&context).1;
            fixes.retain(|fix| !refused.iter().any(|r| same_problem(r, fix)));
            let fixes = select(fixes);
            let current = pm.source.text;
            if let Some((before, len)) = undo.take() {
                let failed: Vec<Fix> = done[len..]
                    .iter()
                    .filter(|f| fixes.iter().any(|fix| same_problem(f, fix)))
                    .cloned()
                    .collect();
                if !failed.is_empty() {
                    refused.extend(failed);
                    done.truncate(len);
                    text = before;
                    continue;
                }
            }
            if fixes.is_empty() || round == MAX_ROUNDS {
                return (current, done);
            }
            text = apply(&current, &fixes);
            undo = Some((current, done.len()));
            done.extend(fixes);
        }
        // The last round undid the one before it.
        (text, done)
    }
}

/// Whether two fixes solve the same problem: the same fix, made on
/// different texts.
fn same_problem(a: &Fix, b: &Fix) -> bool {
    a.verb == b.verb && a.object == b.object
}

/// The fixes that can be made together, in order: a fix with an edit that
/// overlaps one of an earlier fix waits for the next round, and a fix
/// attached to several violations is made once.
fn select(fixes: Vec<Fix>) -> Vec<Fix> {
    let mut chosen: Vec<Fix> = Vec::new();
    for fix in fixes {
        let clashes = chosen.iter().any(|c| {
            *c == fix
                || c.edits
                    .iter()
                    .any(|a| fix.edits.iter().any(|b| overlap(a.span, b.span)))
        });
        if !clashes {
            chosen.push(fix);
        }
    }
    chosen
}

/// Whether two edits touch the same bytes. Insertions at one offset do not
/// (they are made in order), but an insertion where a replacement starts
/// does: which goes first would be a guess.
fn overlap(a: Span, b: Span) -> bool {
    let inside = a.start < b.end && b.start < a.end;
    let same_start = a.start == b.start && (a.start != a.end || b.start != b.end);
    inside || same_start
}

/// `text` with the edits of `fixes` made, from the end backwards so that
/// every offset still points where it did. Insertions at one offset come
/// out in the order of their fixes.
fn apply(text: &str, fixes: &[Fix]) -> String {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| e.span.start);
    let mut out = text.to_owned();
    for edit in edits.iter().rev() {
        out.replace_range(edit.span.range(), &edit.replacement);
    }
    out
}

/// "added ## Impact, ## Communication; sorted the timeline".
fn summary(done: &[Fix]) -> String {
    let mut by_verb: Vec<(&str, Vec<&str>)> = Vec::new();
    for fix in done {
        match by_verb.iter_mut().find(|(verb, _)| *verb == fix.verb) {
            Some((_, objects)) => objects.push(&fix.object),
            None => by_verb.push((fix.verb, vec![&fix.object])),
        }
    }
    by_verb
        .iter()
        .map(|(verb, objects)| format!("{verb} {}", objects.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Fixed {
    /// Replaces the file with its fixed text: written to a temporary file
    /// in the same directory, then renamed over it, so that no reader sees
    /// half a file and a failure leaves the file as it was. A file that
    /// changed since it was read (an editor saved it) is left alone.
    fn write(&self) -> Result<(), Error> {
        let path = &self.path;
        let io = |e| Error::io(path, e);
        if std::fs::read(path).map_err(io)? != self.original.as_bytes() {
            return Err(Error::Config(format!(
                "{} changed while pmbook was fixing it; it was left as it is, run `pmbook lint --fix` again",
                self.display
            )));
        }
        let permissions = std::fs::metadata(path).map_err(io)?.permissions();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temp = path.with_file_name(format!(".{name}.{}.pmbook-fix", std::process::id()));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| {
                file.write_all(self.text.as_bytes())?;
                file.set_permissions(permissions)?;
                file.sync_all()
            })
            .and_then(|()| std::fs::rename(&temp, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(e));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(verb: &'static str, object: &str, edits: Vec<Edit>) -> Fix {
        Fix {
            verb,
            object: object.to_owned(),
            edits,
        }
    }

    #[test]
    fn edits_are_made_from_the_end_and_insertions_keep_their_order() {
        let fixes = [
            fix("added", "a", vec![Edit::insert(3, "A")]),
            fix("added", "b", vec![Edit::insert(3, "B")]),
            fix("sorted", "x", vec![Edit::replace(Span::new(0, 1), "xx")]),
            fix("added", "c", vec![Edit::insert(6, "C")]),
        ];
        assert_eq!(apply("0123456", &fixes), "xx12AB345C6");
    }

    #[test]
    fn overlapping_fixes_wait_and_duplicates_are_dropped() {
        let sort = fix("sorted", "t", vec![Edit::replace(Span::new(2, 5), "x")]);
        let fixes = vec![
            sort.clone(),
            sort.clone(),
            fix("added", "at the start", vec![Edit::insert(2, "y")]),
            fix("added", "inside", vec![Edit::insert(3, "y")]),
            fix("added", "at the end", vec![Edit::insert(5, "y")]),
            fix("added", "before", vec![Edit::insert(1, "y")]),
        ];
        let objects: Vec<String> = select(fixes).into_iter().map(|f| f.object).collect();
        assert_eq!(objects, ["t", "at the end", "before"]);
    }

    #[test]
    fn the_summary_groups_objects_by_verb() {
        let done = [
            fix("added", "## Impact", vec![]),
            fix("sorted", "the timeline", vec![]),
            fix("added", "## Communication", vec![]),
        ];
        assert_eq!(
            summary(&done),
            "added ## Impact, ## Communication; sorted the timeline"
        );
    }
}
