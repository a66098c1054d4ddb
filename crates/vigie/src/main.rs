//! `vigie`: the command-line front of the Vigie pipeline. Each subcommand is a thin
//! layer over a library crate; errors are reported here, at the edge, with `anyhow`.

mod cmd;
mod input;
mod pages;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Extraction allocates many small strings; mimalloc is markedly faster than glibc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Vigie: news intelligence in one binary.
#[derive(Parser)]
#[command(name = "vigie", version, about, long_about = None)]
struct Cli {
    /// The data directory of the store (default: the platform's data directory,
    /// e.g. ~/.local/share/vigie).
    #[arg(long, global = true, env = "VIGIE_DATA")]
    data: Option<PathBuf>,
    /// Fetch from loopback, private, link-local and other non-public addresses, which
    /// are refused by default (a page or feed could otherwise make Vigie read internal
    /// services). For tests against a local server and intranet sources.
    #[arg(long, global = true)]
    allow_private_addresses: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read pages (HTML or scraped text) and print their articles.
    Extract(cmd::extract::Args),
    /// Read pages, extract them and keep them in the store.
    Ingest(cmd::ingest::Args),
    /// Search the stored articles.
    Search(cmd::search::SearchArgs),
    /// Print one stored article.
    Show(cmd::search::ShowArgs),
    /// Count the stored articles by site, language and day.
    Stats(cmd::search::StatsArgs),
    /// Rebuild the search index from the stored records.
    Reindex,
    /// Merge the search index into one part: faster searches after a large ingest.
    Compact,
    /// Extract every stored raw page again with this version of Vigie.
    Reextract,
    /// The people, places and organisations of a page or stored article.
    Entities(cmd::entities::Args),
    /// What the store knows of one person, place or organisation: its names by
    /// language, mentions per day, and the entities named beside it.
    Entity(cmd::entities::EntityArgs),
    /// The quotations of a page or stored article, and who said them.
    Quotes(cmd::entities::QuotesArgs),
    /// Manage the watched sources: feeds, sitemaps, URL lists, directories.
    #[command(subcommand)]
    Sources(cmd::sources::Command),
    /// Poll the sources on their intervals and store their new articles (Ctrl-C stops
    /// cleanly; a second Ctrl-C at once).
    Watch(cmd::watch::Args),
    /// Benchmarks that need a whole program run.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Search latency on a large generated store, side by side with SQLite FTS5.
    Store(cmd::bench::StoreArgs),
    /// Watch throughput on a local server of many hosts, and the politeness proof.
    Watch(cmd::bench_watch::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli);
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vigie: {}", cmd::describe(&e));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Only the commands that use the store need (and create) its directory.
    let data = || cmd::data_dir(cli.data.as_deref());
    let allow_private = cli.allow_private_addresses;
    match cli.command {
        Command::Extract(mut args) => {
            args.read.allow_private_addresses = allow_private;
            cmd::extract::run(args)
        }
        Command::Bench(BenchCommand::Store(args)) => cmd::bench::store(args),
        Command::Entities(mut args) => {
            args.read.allow_private_addresses = allow_private;
            cmd::entities::run(args, &data).map(|()| ExitCode::SUCCESS)
        }
        Command::Quotes(mut args) => {
            args.read.allow_private_addresses = allow_private;
            cmd::entities::quotes(args, &data).map(|()| ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Watch(args)) => cmd::bench_watch::run(args, allow_private),
        Command::Ingest(mut args) => {
            args.read.allow_private_addresses = allow_private;
            keep_freed_memory();
            cmd::ingest::run(args, &data()?)
        }
        Command::Entity(args) => cmd::entities::entity(args, &data()?),
        Command::Search(args) => cmd::search::search(args, &data()?),
        Command::Show(args) => cmd::search::show(args, &data()?),
        Command::Stats(args) => cmd::search::stats(args, &data()?),
        Command::Reindex => cmd::maintain::reindex(&data()?),
        Command::Reextract => cmd::maintain::reextract(&data()?),
        Command::Compact => cmd::maintain::compact(&data()?),
        Command::Sources(command) => {
            cmd::sources::run(command, &data()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Watch(mut args) => {
            args.net.allow_private_addresses = allow_private;
            cmd::watch::run(args, &data()?)
        }
    }
}

/// `mi_option_purge_delay` in mimalloc.h (the same in its versions 2 and 3); the Rust
/// binding does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a batch that ends with the process: memory it frees stays with the allocator
/// instead of going back to the system. Giving it back cost a system call per 64 KiB
/// and a page fault again when reused, and at exit hundreds of calls for memory about
/// to go anyway (`MIMALLOC_PURGE_DELAY=-1`: 2–4 % of an ingest of the development
/// pages). A long-running `watch` keeps the default.
fn keep_freed_memory() {
    // SAFETY: sets one of the allocator's options, which it reads atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Pages are parsed into short-lived buffers; with transparent huge pages every fresh
/// arena costs a 2 MiB zeroing fault, which measured at a fifth of extraction time.
///
/// Run by the loader before `main`: the runtime allocates before `main` (the main
/// thread's name), and that first allocation faulted the allocator's first huge page
/// in, some 3 ms of every run.
#[cfg(target_os = "linux")]
extern "C" fn disable_transparent_huge_pages() {
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The loader calls the functions of `.init_array` before the runtime starts.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static DISABLE_TRANSPARENT_HUGE_PAGES: extern "C" fn() = disable_transparent_huge_pages;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads and sets options of the allocator, which are atomics.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // mimalloc 3's default purge delay, in milliseconds: no other option of
            // that number has it.
            assert_eq!(get(), 1000);
        }
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}
