//! `pmbook serve`

use std::process::ExitCode;

use super::{CLEAN, FINDINGS};
use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::Error;

pub fn run(global: &GlobalArgs, args: ServeArgs) -> Result<ExitCode, Error> {
    let (project, options) = super::build::options(global, &args.build)?;
    if crate::serve::serve(&project, &options, args.port)? {
        Ok(ExitCode::from(CLEAN))
    } else {
        Ok(ExitCode::from(FINDINGS))
    }
}
