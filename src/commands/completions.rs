//! `pmbook completions SHELL`

use std::process::ExitCode;

use clap::CommandFactory;

use super::{CLEAN, write_stdout};
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;

pub fn run(args: CompletionsArgs) -> Result<ExitCode, Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "pmbook", &mut script);
    write_stdout(&script)?;
    Ok(ExitCode::from(CLEAN))
}
