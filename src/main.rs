use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pmbook::cli::Cli::parse();
    match pmbook::commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            anstream::eprintln!("{}", error.report());
            ExitCode::from(2)
        }
    }
}
