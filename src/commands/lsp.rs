//! `pmbook lsp`

use std::process::ExitCode;

use super::{CLEAN, working_dir};
use crate::cli::{GlobalArgs, LspArgs};
use crate::error::Error;
use crate::lsp::Start;

pub fn run(global: &GlobalArgs, args: LspArgs) -> Result<ExitCode, Error> {
    let start = Start {
        directory: global
            .directory
            .is_some()
            .then(|| working_dir(global))
            .transpose()?,
        config: global.config.clone(),
        today: global.today,
        rules_url: args.rules_url,
    };
    crate::lsp::run(start)?;
    Ok(ExitCode::from(CLEAN))
}
