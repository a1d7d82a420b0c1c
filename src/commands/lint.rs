//! `pmbook lint`

use std::io::Write;
use std::process::ExitCode;

use super::{CLEAN, FINDINGS, project, today};
use crate::cli::{GlobalArgs, LintArgs};
use crate::diagnostics::{self, Format, Severity};
use crate::discover;
use crate::error::Error;
use crate::lint::{self, Targets};

pub fn run(global: &GlobalArgs, args: LintArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let targets = if args.paths.is_empty() {
        Targets::All
    } else {
        Targets::Files(discover::named_files(&project, &dir, &args.paths)?)
    };
    let report = lint::run(&project, targets, today(global))?;
    let stdout = anstream::stdout();
    let styled = stdout.current_choice() != anstream::ColorChoice::Never;
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Human => diagnostics::human::render(&report, styled, &mut out),
        Format::Json => diagnostics::json::render(&report, &mut out),
        Format::Sarif => diagnostics::sarif::render(&report, &mut out),
        Format::Github => diagnostics::github::render(&report, &mut out),
    };
    match written.and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(Error::io(std::path::Path::new("<stdout>"), e)),
        Ok(()) => {}
    }
    let failed = report.count(Severity::Error) > 0
        || (args.deny_warnings && report.count(Severity::Warning) > 0);
    Ok(ExitCode::from(if failed { FINDINGS } else { CLEAN }))
}
