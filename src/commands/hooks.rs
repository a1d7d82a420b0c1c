//! `pmbook hooks install|uninstall`

use std::process::ExitCode;

use super::{CLEAN, project};
use crate::cli::{GlobalArgs, HooksAction, HooksArgs};
use crate::error::Error;
use crate::hooks;
use crate::repo::Git;

pub fn run(global: &GlobalArgs, args: HooksArgs) -> Result<ExitCode, Error> {
    let (project, _) = project(global)?;
    let dir = Git::open(&project)?.hooks_dir()?;
    let done = match args.action {
        HooksAction::Install { chain } => hooks::install(&dir, chain)?,
        HooksAction::Uninstall => hooks::uninstall(&dir)?,
    };
    for line in done {
        println!("{line}");
    }
    Ok(ExitCode::from(CLEAN))
}
