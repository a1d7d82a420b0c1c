//! One module per subcommand; each returns the process exit code.

mod actions;
mod build;
mod completions;
mod hooks;
mod import;
mod init;
mod lint;
mod lsp;
mod man;
mod new;
mod rules;
mod schema;
mod serve;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs};
use crate::config::Project;
use crate::error::Error;

/// Exit code for a clean run.
pub const CLEAN: u8 = 0;
/// Exit code when lint errors were found.
pub const FINDINGS: u8 = 1;

pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.global.color {
        ColorChoice::Auto => {}
        ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
    }
    let verbose = cli.global.verbose;
    let code = match cli.command {
        Command::Lint(args) => lint::run(&cli.global, args),
        Command::Rules(args) => rules::run(args),
        Command::Actions(args) => actions::run(&cli.global, args),
        Command::Stats(args) => stats::run(&cli.global, args),
        Command::Hooks(args) => hooks::run(&cli.global, args),
        Command::Build(args) => build::run(&cli.global, args),
        Command::Serve(args) => serve::run(&cli.global, args),
        Command::Lsp(args) => lsp::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, &args),
        Command::New(args) => new::run(&cli.global, args),
        Command::Import(args) => import::run(&cli.global, args),
        Command::Schema(args) => schema::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man => man::run(),
    }?;
    if verbose {
        let loads = crate::corpus::loads();
        anstream::eprintln!(
            "pmbook: read the postmortems {loads} time{}",
            if loads == 1 { "" } else { "s" }
        );
    }
    Ok(code)
}

/// With `--verbose`, says what `corpus` holds and where it was read from.
fn verbose(global: &GlobalArgs, corpus: &crate::corpus::Corpus) {
    if global.verbose {
        anstream::eprintln!("pmbook: {}", corpus.describe());
    }
}

/// Writes `bytes` to stdout; a reader that stopped early (`| head`) is not
/// an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io(std::path::Path::new("<stdout>"), e))
        }
        _ => Ok(()),
    }
}

/// The directory the command runs in (`-C` or the working directory).
fn working_dir(global: &GlobalArgs) -> Result<PathBuf, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(std::path::Path::new("."), e))?;
    Ok(match &global.directory {
        Some(dir) => cwd.join(dir),
        None => cwd,
    })
}

fn project(global: &GlobalArgs) -> Result<(Project, PathBuf), Error> {
    let dir = working_dir(global)?;
    let config = global.config.as_ref().map(|c| dir.join(c));
    let rules = crate::lint::registry::ids();
    Ok((Project::discover(&dir, config.as_deref(), &rules)?, dir))
}

fn today(global: &GlobalArgs) -> jiff::civil::Date {
    global.today.unwrap_or_else(|| jiff::Zoned::now().date())
}
