//! What the binary's integration tests share: running `vigie`, reading its output,
//! the repository's example pages.
#![allow(dead_code)] // each test file uses its own part

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `vigie` with `args`.
pub fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("vigie runs")
}

/// Runs `vigie --data DATA` with `args`.
pub fn vigie_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("vigie runs")
}

/// Runs `vigie` with `args` and `input` on its standard input.
pub fn vigie_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vigie runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("stdin accepts");
    child.wait_with_output().expect("vigie ends")
}

/// The JSON a successful run printed.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh data directory holding what `vigie ingest --json INPUT` stored, and the
/// ingest's summary.
pub fn ingested(input: &Path) -> (tempfile::TempDir, serde_json::Value) {
    let data = tempfile::tempdir().unwrap();
    let out = json(&vigie_in(
        data.path(),
        &["ingest", "--json", input.to_str().unwrap()],
    ));
    (data, out)
}

/// The pages that ship in the repository's `examples/pages`.
pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages")
}
