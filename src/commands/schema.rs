//! `pmbook schema [postmortem|config]`

use std::process::ExitCode;

use super::{CLEAN, write_stdout};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::error::Error;
use crate::schema;

pub fn run(args: SchemaArgs) -> Result<ExitCode, Error> {
    let schema = match args.kind {
        SchemaKind::Postmortem => schema::postmortem(),
        SchemaKind::Config => schema::config(),
    };
    let text = serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n";
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::from(CLEAN))
}
