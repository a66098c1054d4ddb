//! `vigie`: the command-line front of the Vigie pipeline. Each subcommand is a thin
//! layer over a library crate; errors are reported here, at the edge, with `anyhow`.

mod cmd;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Extraction allocates many small strings; mimalloc is markedly faster than glibc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    disable_transparent_huge_pages();
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

/// Pages are parsed into short-lived buffers; with transparent huge pages every fresh
/// arena costs a 2 MiB zeroing fault, which measured at a fifth of extraction time.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
