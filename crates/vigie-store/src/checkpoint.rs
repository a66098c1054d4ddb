//! Checkpoints of the records' write-ahead log, on a thread of their own.
//!
//! In WAL mode SQLite appends each commit to the log, and whoever commits past a
//! threshold copies the log back into the database and syncs both files, waiting for
//! the disk. That was the writer: during an ingest a quarter of its time, in which
//! nothing was written and the extracting threads, their chunks queued, waited too.
//! Here a thread with a connection of its own copies the log back a few times a
//! second while the writer goes on. The writer still checkpoints by itself should the
//! log grow far beyond ([`crate::records::WRITER_CHECKPOINT_PAGES`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::StoreError;

/// How often the log is copied back while the store is open for writing.
const EVERY: Duration = Duration::from_millis(250);

#[derive(Default)]
struct State {
    stop: bool,
    /// The first error met, reported by [`Checkpointer::finish`].
    error: Option<rusqlite::Error>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// The checkpointing thread of a store open for writing. Stops (after a last
/// checkpoint) on [`Checkpointer::finish`] or when dropped.
pub(crate) struct Checkpointer {
    shared: Shared,
    thread: Option<JoinHandle<()>>,
    path: PathBuf,
}

impl Checkpointer {
    /// Starts checkpointing the records database at `path`.
    pub(crate) fn start(path: &Path) -> Result<Checkpointer, StoreError> {
        let sql = |e| StoreError::sqlite(path, e);
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        let shared: Shared = Arc::default();
        let thread = std::thread::Builder::new()
            .name("vigie-checkpoint".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || run(&conn, &shared)
            })
            .map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
            path: path.to_path_buf(),
        })
    }

    /// Asks the thread to make its last checkpoint and stop, without waiting: the
    /// caller can finish other work meanwhile, then call [`Checkpointer::finish`].
    pub(crate) fn request_stop(&self) {
        let (lock, wake) = &*self.shared;
        if let Ok(mut state) = lock.lock() {
            state.stop = true;
        }
        wake.notify_one();
    }

    /// Stops the thread after its last checkpoint; returns the first error it met.
    pub(crate) fn finish(mut self) -> Result<(), StoreError> {
        self.stop_and_wait();
        let error = self
            .shared
            .0
            .lock()
            .map(|mut state| state.error.take())
            .unwrap_or(None);
        match error {
            Some(e) => Err(StoreError::sqlite(&self.path, e)),
            None => Ok(()),
        }
    }

    fn stop_and_wait(&mut self) {
        self.request_stop();
        if let Some(thread) = self.thread.take() {
            // A panic in the thread leaves the log as it was: nothing is lost.
            let _ = thread.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop_and_wait();
    }
}

fn run(conn: &Connection, shared: &Shared) {
    let (lock, wake) = &**shared;
    loop {
        let stop = match lock.lock() {
            Ok(state) => match wake.wait_timeout_while(state, EVERY, |s| !s.stop) {
                Ok((state, _)) => state.stop,
                Err(_) => return,
            },
            Err(_) => return,
        };
        // PASSIVE: copies what no reader still needs and never blocks the writer.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            if let Ok(mut state) = lock.lock() {
                state.error.get_or_insert(e);
            }
        }
        if stop {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_bytes(path: &Path) -> u64 {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }

    #[test]
    fn the_log_is_copied_back_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("records.sqlite");
        let writer = Connection::open(&path).expect("open");
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        // The writer never checkpoints by itself here.
        writer
            .pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no auto checkpoint");
        writer
            .execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(100000));")
            .expect("write");
        // The blob is in the log only.
        assert!(database_bytes(&path) < 100_000);
        let checkpointer = Checkpointer::start(&path).expect("start");
        checkpointer.finish().expect("no error");
        // Copied into the database file by the checkpointer's last checkpoint.
        assert!(database_bytes(&path) > 100_000);
        assert_eq!(
            writer
                .query_row("SELECT length(x) FROM t", [], |r| r.get::<_, i64>(0))
                .expect("read"),
            100_000
        );
    }
}
