//! `pmbook lsp`

use std::process::ExitCode;

use super::{CLEAN, working_dir};
use crate::cli::{GlobalArgs, LspArgs};
use crate::error::Error;
use crate::lsp::Start;

pub fn run(global: &GlobalArgs, args: LspArgs) -> Result<ExitCode, Error> {
    let dir = working_dir(global)?;
    let start = Start {
        // Without `-C`, the editor's workspace folder says where the project is.
        directory: global.directory.is_some().then(|| dir.clone()),
        config: global.config.as_ref().map(|c| dir.join(c)),
        today: global.today,
        rules_url: args.rules_url,
    };
    crate::lsp::run(start)?;
    Ok(ExitCode::from(CLEAN))
}
