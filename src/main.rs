use std::process::ExitCode;

use clap::Parser;

// The build allocates and frees many small strings from several threads;
// glibc's allocator spends a fifth of a build's time on them and keeps
// freed memory in per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
