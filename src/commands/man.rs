//! `pmbook man`

use std::process::ExitCode;

use clap::CommandFactory;

use super::{CLEAN, write_stdout};
use crate::cli::Cli;
use crate::error::Error;

pub fn run() -> Result<ExitCode, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .expect("rendering into memory does not fail");
    write_stdout(&page)?;
    Ok(ExitCode::from(CLEAN))
}
