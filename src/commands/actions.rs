//! `pmbook actions`

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use super::{CLEAN, FINDINGS, project, today};
use crate::actions::digest::{self, Digest};
use crate::actions::render::{self, Summary};
use crate::actions::stats::{ActionStats, HistorySummary};
use crate::actions::tracker::Tracker;
use crate::actions::{self, Action, Filter, Row, Status, Times, history, reconcile};
use crate::cli::{ActionsArgs, ActionsFormat, GlobalArgs};
use crate::config::Project;
use crate::corpus::Corpus;
use crate::error::Error;
use crate::repo::Git;

pub fn run(global: &GlobalArgs, args: ActionsArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let today = today(global);
    let tracker = match &args.tracker {
        Some(file) => Some((Tracker::load(&dir.join(file))?, file.display().to_string())),
        None => None,
    };
    if args.digest {
        Git::open_for(
            &project,
            "`pmbook actions --digest` reads when items were closed from the git history: run it inside the repository's work tree",
        )?;
        if args.format == ActionsFormat::Csv {
            return Err(Error::Config(
                "--digest prints Markdown or JSON: use --format markdown or json".into(),
            ));
        }
    }
    // Without a repository, --history fails before any work is done.
    let wants_history = args.history || args.digest;
    if wants_history {
        Git::open_for(&project, history::NEEDS_GIT)?;
    }
    let corpus = Corpus::work_tree(&project)?;
    super::verbose(global, &corpus);
    let indexed = actions::index(corpus, &project.config, args.include_drafts, wants_history);
    let history = wants_history
        .then(|| history::read(&project, indexed.versions))
        .transpose()?;
    let index = indexed.actions;
    let drafts = crate::drafts::left_out(&indexed.drafts);
    let filter = Filter {
        status: match (args.done, args.all) {
            (true, _) => Status::Done,
            (_, true) => Status::All,
            _ => Status::Open,
        },
        overdue: args.overdue,
        owners: args.owners,
        services: args.services,
        kinds: args.kinds,
        severities: args.severities,
        postmortems: args.postmortems,
        today,
    };
    if let (true, Some(history)) = (args.digest, &history) {
        return digest(&project, &index, &filter, history, today, args.format);
    }
    if let Some((tracker, file)) = tracker {
        return reconcile(&project, &index, &filter, &tracker, &file, args.format);
    }
    let scope: Vec<Row> = index
        .iter()
        .filter(|a| filter.in_scope(a))
        .map(|action| Row {
            action,
            overdue: action.overdue(today),
            history: history
                .as_ref()
                .map(|h| Times::of(action, h.get(&action.key))),
        })
        .collect();
    let rows: Vec<Row> = scope
        .iter()
        .copied()
        .filter(|r| filter.matches(r.action))
        .collect();
    let summary = Summary {
        counts: ActionStats::of(scope.iter().map(|r| (r.action, r.history)), today),
        history: history.as_ref().map(|_| HistorySummary::of(&scope)),
        drafts,
    };
    if let (Some(drafts), ActionsFormat::Json | ActionsFormat::Csv) = (&summary.drafts, args.format)
    {
        eprintln!("pmbook: note: {drafts} (--include-drafts counts them)");
    }
    let ticket_url = project.config.actions.ticket_url.as_deref();
    let written = match args.format {
        ActionsFormat::Table => write(true, |out| render::table(&rows, &summary, out)),
        ActionsFormat::Json => write(false, |out| render::json(&rows, out)),
        ActionsFormat::Csv => write(false, |out| render::csv(&rows, args.history, out)),
        ActionsFormat::Markdown => write(false, |out| {
            render::markdown(&rows, &summary, ticket_url, out)
        }),
    };
    stdout_result(written)?;
    Ok(ExitCode::from(CLEAN))
}

/// `--digest`: per owner, the items in scope that are overdue, due soon
/// or recently closed.
fn digest(
    project: &Project,
    index: &[Action],
    filter: &Filter,
    history: &history::History,
    today: jiff::civil::Date,
    format: ActionsFormat,
) -> Result<ExitCode, Error> {
    let site_url = project.config.site.url.as_deref();
    if site_url.is_none() {
        eprintln!(
            "pmbook: note: the links are relative to the site's root: add `url` under `[site]` in pmbook.toml to make them absolute"
        );
    }
    let scope = index.iter().filter(|a| filter.in_scope(a));
    let digest = Digest::of(scope, history, today, site_url);
    let written = match format {
        ActionsFormat::Json => write(false, |out| digest::json(&digest, out)),
        _ => write(false, |out| digest::markdown(&digest, out)),
    };
    stdout_result(written)?;
    Ok(ExitCode::from(CLEAN))
}

/// `--tracker`: the items in scope whose ticket disagrees with the export.
fn reconcile(
    project: &Project,
    index: &[Action],
    filter: &Filter,
    tracker: &Tracker,
    file: &str,
    format: ActionsFormat,
) -> Result<ExitCode, Error> {
    let ticket_url = project.config.actions.ticket_url.as_deref();
    let scope = index.iter().filter(|a| filter.in_scope(a));
    let (findings, checked) = reconcile::reconcile(scope, tracker, ticket_url);
    let written = match format {
        ActionsFormat::Table => write(false, |out| reconcile::text(&findings, checked, file, out)),
        ActionsFormat::Json => write(false, |out| reconcile::json(&findings, out)),
        ActionsFormat::Markdown => write(false, |out| {
            reconcile::markdown(&findings, checked, file, out)
        }),
        ActionsFormat::Csv => {
            return Err(Error::Config(
                "--tracker prints a table, JSON or Markdown: use --format table, json or markdown"
                    .into(),
            ));
        }
    };
    stdout_result(written)?;
    Ok(ExitCode::from(if findings.is_empty() {
        CLEAN
    } else {
        FINDINGS
    }))
}

/// A write error, except a reader that stopped early (`| head`).
fn stdout_result(written: std::io::Result<()>) -> Result<(), Error> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(std::path::Path::new("<stdout>"), e)),
        Ok(()) => Ok(()),
    }
}

/// Runs `render` on buffered stdout: tens of thousands of rows would
/// otherwise cost a write per line. Only the table is styled, through
/// anstream, which drops the colour when it is off.
fn write(
    styled: bool,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if styled {
        let mut out = BufWriter::new(anstream::stdout().lock());
        render(&mut out).and_then(|()| out.flush())
    } else {
        let mut out = BufWriter::new(std::io::stdout().lock());
        render(&mut out).and_then(|()| out.flush())
    }
}
