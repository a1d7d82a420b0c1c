//! `pmbook build`

use std::io::IsTerminal;
use std::process::ExitCode;

use super::{CLEAN, project, today};
use crate::cli::{BuildArgs, GlobalArgs};
use crate::config::Project;
use crate::error::Error;
use crate::site::{self, BuildOptions};

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
        today: today(global),
        progress: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
    };
    Ok((project, options))
}

pub fn run(global: &GlobalArgs, args: BuildArgs) -> Result<ExitCode, Error> {
    let (project, options) = options(global, &args)?;
    let report = site::build(&project, &options)?;
    for (path, reason) in &report.skipped {
        eprintln!("pmbook: left out of the site: {path}: {reason} (see `pmbook lint`)");
    }
    let index = report.out.join("index.html");
    println!(
        "pmbook: built {} incident pages ({} pages in all){} in {}\nopen {}",
        report.incidents,
        report.pages,
        if args.public { ", public edition," } else { "" },
        report.out.display(),
        index.display()
    );
    Ok(ExitCode::from(CLEAN))
}
