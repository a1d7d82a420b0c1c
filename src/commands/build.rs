//! `pmbook build`

use std::io::IsTerminal;
use std::process::ExitCode;

use super::{CLEAN, FINDINGS, project, today};
use crate::cli::{BuildArgs, GlobalArgs};
use crate::config::Project;
use crate::corpus::Corpus;
use crate::error::Error;
use crate::site::{self, BuildOptions, Outcome};

/// The project and build options that `build` and `serve` share.
pub fn options(global: &GlobalArgs, args: &BuildArgs) -> Result<(Project, BuildOptions), Error> {
    let (project, dir) = project(global)?;
    let out = match &args.out {
        Some(out) => dir.join(out),
        None => project.root.join(&project.config.site.out),
    };
    let options = BuildOptions {
        out,
        public: args.public,
        drafts: (args.drafts || project.config.site.drafts) && !args.public,
        today: today(global),
        progress: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
    };
    Ok((project, options))
}

pub fn run(global: &GlobalArgs, args: BuildArgs) -> Result<ExitCode, Error> {
    let (project, options) = options(global, &args)?;
    let corpus = Corpus::work_tree(&project)?;
    super::verbose(global, &corpus);
    let report = match site::build(&project, corpus, &options)? {
        Outcome::Built(report) => report,
        Outcome::Refused(diagnostics) => {
            eprint!("{}", site::refusal(&diagnostics));
            return Ok(ExitCode::from(FINDINGS));
        }
    };
    for problem in report.problems() {
        eprintln!("pmbook: {problem}");
    }
    if let Some(note) = report.drafts_note() {
        println!("pmbook: {note}");
    }
    let index = report.out.join("index.html");
    println!(
        "pmbook: built {} incident {} ({} pages in all){} in {}\nopen {}",
        report.incidents,
        if report.incidents == 1 {
            "page"
        } else {
            "pages"
        },
        report.pages,
        if args.public { ", public edition," } else { "" },
        report.out.display(),
        index.display()
    );
    Ok(ExitCode::from(CLEAN))
}
