//! `pmbook lint`

use std::io::Write;
use std::process::ExitCode;

use jiff::civil::Date;

use super::{CLEAN, FINDINGS, project, today};
use crate::actions::tracker::Tracker;
use crate::cli::{GlobalArgs, LintArgs};
use crate::config::Project;
use crate::corpus::{Corpus, Selection};
use crate::diagnostics::{Report, Severity};
use crate::discover;
use crate::error::Error;
use crate::lint;
use crate::report::Format;

pub fn run(global: &GlobalArgs, args: LintArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let today = today(global);
    let corpus = if args.staged || args.pre_commit {
        let corpus = match pre_commit_push_refs() {
            Some((from, to)) if args.pre_commit => Corpus::at_commit(&project, &to, Some(&from))?,
            _ if args.pre_commit => {
                let files = discover::named_files(&project, &dir, &args.paths)?;
                Corpus::pre_commit(&project, &files)?
            }
            _ => Corpus::staged(&project)?,
        };
        if corpus.files.is_empty() {
            print_notes(global, &corpus);
            // Nothing to check: a commit without postmortems pays nothing.
            return Ok(ExitCode::from(CLEAN));
        }
        corpus
    } else if let Some(rev) = &args.commit {
        Corpus::at_commit(&project, rev, args.changed_since.as_deref())?
    } else if let Some(since) = &args.changed_since {
        Corpus::changed_since(&project, since)?
    } else if args.paths.is_empty() {
        Corpus::work_tree(&project)?
    } else {
        let files = discover::named_files(&project, &dir, &args.paths)?;
        Corpus::of_work_tree(&project, Selection::Files(files))?
    };
    print_notes(global, &corpus);
    let report = if args.fix {
        fix(&project, corpus, today)?
    } else {
        let tracker = Tracker::configured(&project)?;
        lint::run(&project.config, corpus, today, tracker.as_ref())?
    };
    // Machine formats go straight to a buffer: the colour-stripping stream
    // is for the human format only, and scanning megabytes of JSON for
    // escape codes is slow.
    let written = if args.format == Format::Human {
        let stdout = anstream::stdout();
        let styled = stdout.current_choice() != anstream::ColorChoice::Never;
        render(
            args.format,
            &report,
            &project,
            styled,
            &mut std::io::BufWriter::new(stdout.lock()),
        )
    } else {
        render(
            args.format,
            &report,
            &project,
            false,
            &mut std::io::BufWriter::new(std::io::stdout().lock()),
        )
    };
    match written {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(Error::io(std::path::Path::new("<stdout>"), e)),
        Ok(()) => {}
    }
    let failed = report.count(Severity::Error) > 0
        || (args.deny_warnings && report.count(Severity::Warning) > 0);
    Ok(ExitCode::from(if failed { FINDINGS } else { CLEAN }))
}

/// The refs of a push that the pre-commit framework runs its hooks for
/// (`pre-commit run --from-ref A --to-ref B`, or its pre-push hook).
fn pre_commit_push_refs() -> Option<(String, String)> {
    let from = std::env::var("PRE_COMMIT_FROM_REF").ok()?;
    let to = std::env::var("PRE_COMMIT_TO_REF").ok()?;
    (!from.is_empty() && !to.is_empty()).then_some((from, to))
}

/// Notes on how the postmortems were read go to standard error, so that
/// standard output stays the report, in any format.
fn print_notes(global: &GlobalArgs, corpus: &Corpus) {
    for note in &corpus.notes {
        anstream::eprintln!("pmbook: note: {note}");
    }
    super::verbose(global, corpus);
}

/// `--fix`: names each fixed file on standard error, so that standard output
/// stays the report of what is left, in any format.
fn fix(project: &Project, corpus: Corpus, today: Date) -> Result<Report, Error> {
    lint::fix::run(project, corpus, today, |file| {
        anstream::eprintln!("fixed {}: {}", file.display, file.summary);
    })
}

fn render(
    format: Format,
    report: &Report,
    project: &Project,
    styled: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rules_url = project.config.lint.rules_url.as_deref();
    crate::report::render(format, report, rules_url, styled, out)
}
