//! `vigie`: the command-line front of the Vigie pipeline. Each subcommand is a thin
//! layer over a library crate; errors are reported here, at the edge, with `anyhow`.

mod cmd;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Vigie: news intelligence in one binary.
#[derive(Parser)]
#[command(name = "vigie", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read pages (HTML or scraped text) and print their articles.
    Extract(cmd::extract::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => cmd::extract::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vigie: {e:#}");
            ExitCode::FAILURE
        }
    }
}
