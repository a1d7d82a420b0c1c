//! `pmbook lint`

use std::io::Write;
use std::process::ExitCode;

use jiff::civil::Date;

use super::{CLEAN, FINDINGS, project, today};
use crate::actions::tracker::Tracker;
use crate::cli::{GlobalArgs, LintArgs};
use crate::config::Project;
use crate::diagnostics::{self, Format, Report, Severity};
use crate::discover;
use crate::error::Error;
use crate::lint::{self, Targets};
use crate::repo::Git;

pub fn run(global: &GlobalArgs, args: LintArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let today = today(global);
    let report = if args.staged || args.pre_commit {
        let git = Git::open(&project)?;
        let snapshot = match pre_commit_push_refs() {
            Some((from, to)) if args.pre_commit => git.at_commit(&project, &to, Some(&from))?,
            _ if args.pre_commit => {
                let files = discover::named_files(&project, &dir, &args.paths)?;
                git.pre_commit(&project, &files)?
            }
            _ => git.staged(&project)?,
        };
        print_notes(&snapshot.notes);
        if snapshot.targets.is_empty() {
            // Nothing to check: a commit without postmortems pays nothing.
            return Ok(ExitCode::from(CLEAN));
        }
        let disk = Some(crate::links::Disk::of(&project));
        let tracker = Tracker::configured(&project)?;
        lint::lint_inputs(
            &project.config,
            snapshot.targets,
            snapshot.other_ids,
            today,
            disk,
            tracker,
        )?
    } else if let Some(rev) = &args.commit {
        let snapshot =
            Git::open(&project)?.at_commit(&project, rev, args.changed_since.as_deref())?;
        print_notes(&snapshot.notes);
        // An old commit's attachments are not on disk: only links that
        // leave the project are checked.
        lint::lint_inputs(
            &project.config,
            snapshot.targets,
            snapshot.other_ids,
            today,
            None,
            Tracker::configured(&project)?,
        )?
    } else if let Some(since) = &args.changed_since {
        let changes = Git::open(&project)?.changed_in_worktree(&project, since)?;
        print_notes(&changes.notes);
        let targets = Targets::Changed {
            files: changes.files,
            old_ids: changes.old_ids,
        };
        lint::run(&project, targets, today)?
    } else {
        let targets = if args.paths.is_empty() {
            Targets::All
        } else {
            Targets::Files(discover::named_files(&project, &dir, &args.paths)?)
        };
        if args.fix {
            fix(&project, targets, today)?
        } else {
            lint::run(&project, targets, today)?
        }
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

/// Notes on how git was read go to standard error, so that standard output
/// stays the report, in any format.
fn print_notes(notes: &[String]) {
    for note in notes {
        anstream::eprintln!("pmbook: note: {note}");
    }
}

/// `--fix`: names each fixed file on standard error, so that standard output
/// stays the report of what is left, in any format.
fn fix(project: &Project, targets: Targets, today: Date) -> Result<Report, Error> {
    lint::fix::run(project, targets, today, |file| {
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
    match format {
        Format::Human => diagnostics::human::render(report, styled, out),
        Format::Json => diagnostics::json::render(report, out),
        Format::Sarif => {
            diagnostics::sarif::render(report, project.config.lint.rules_url.as_deref(), out)
        }
        Format::Github => diagnostics::github::render(report, out),
        Format::Gitlab => diagnostics::gitlab::render(report, out),
    }?;
    out.flush()
}
