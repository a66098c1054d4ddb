//! Raw pages in append-only pack files, beside the records.
//!
//! A raw page is written once and read back only to extract it again. Kept in SQLite,
//! each one went through overflow pages of the B-tree, the write-ahead log, then the
//! copy back into the database: about a tenth of an ingest's time. In a pack it is
//! written once; the version's row keeps where (`raw_pack`, `raw_at`, `raw_len`).
//!
//! Bytes are appended before the transaction that refers to them commits. Bytes no
//! committed row refers to (a batch that failed, a crash in between) are cut off: at
//! once when a batch fails, else when the store is next opened for writing. A batch
//! never spans two packs, so its bytes are always at the end of the last one.
//!
//! Neither the packs nor the records are synced at each commit (the records' log is
//! synced by its checkpoints). A crash of the process loses nothing; a power cut may
//! lose the last commits, as before, and may also keep a last version whose raw page
//! did not reach the disk: its article is intact, and reading its raw page again
//! (`reextract`) says the record is damaged.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::StoreError;

/// The directory of the packs, in the store's directory.
pub const DIR: &str = "raw";

/// A batch that begins past this size starts the next pack.
const PACK_BYTES: u64 = 1 << 30;

/// Where a raw page is: pack number, offset, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The pack's number (its file name).
    pub pack: u32,
    /// Offset of the first byte in the pack.
    pub at: u64,
    /// Length in bytes.
    pub len: u64,
}

/// The pack file of a number.
pub fn path(dir: &Path, pack: u32) -> PathBuf {
    dir.join(DIR).join(format!("{pack:08}.pack"))
}

/// Reads the bytes at `location` from the packs of the store in `dir`.
pub fn read(dir: &Path, location: Location) -> Result<Vec<u8>, StoreError> {
    let p = path(dir, location.pack);
    let io = |source| StoreError::Io {
        path: p.clone(),
        source,
    };
    let mut file = File::open(&p).map_err(io)?;
    file.seek(SeekFrom::Start(location.at)).map_err(io)?;
    let len = usize::try_from(location.len).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "a raw page longer than memory",
        ))
    })?;
    let mut bytes = vec![0; len];
    file.read_exact(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// The pack being appended to, for the store's one writer.
pub(crate) struct Packs {
    dir: PathBuf,
    pack: u32,
    file: File,
    /// Bytes of the pack (the offset of the next append).
    len: u64,
    /// Cap on the bytes of all packs (the store's size limit), and their bytes so far.
    cap: Option<u64>,
    total: u64,
}

/// The end of the pack when a batch began: what [`Packs::rewind`] cuts back to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark(u64);

impl Packs {
    /// Opens the last pack of the store in `dir`, cutting off the bytes no committed
    /// version of `conn` refers to.
    pub(crate) fn open(
        dir: &Path,
        conn: &Connection,
        cap: Option<u64>,
    ) -> Result<Packs, StoreError> {
        let packs_dir = dir.join(DIR);
        let io = |source| StoreError::Io {
            path: packs_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&packs_dir).map_err(io)?;
        let mut last = 0u32;
        let mut total = 0u64;
        for entry in std::fs::read_dir(&packs_dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let Some(n) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".pack"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            last = last.max(n);
            total += entry.metadata().map_err(io)?.len();
        }
        let pack = last.max(1);
        let (file, len) = open_pack(dir, pack)?;
        let referred: i64 = conn
            .query_row(
                "SELECT coalesce(max(raw_at + raw_len), 0) FROM versions WHERE raw_pack = ?1",
                [pack],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::sqlite(&dir.join(crate::embedded::RECORDS), e))?;
        let mut packs = Packs {
            dir: dir.to_path_buf(),
            pack,
            file,
            len,
            cap,
            total,
        };
        packs.rewind(Mark(referred.max(0) as u64))?;
        Ok(packs)
    }

    /// Begins a batch: starts the next pack when this one is full (a batch never spans
    /// two packs, so a failed one is cut off in one place), and returns the mark to
    /// [`Packs::rewind`] to should the batch fail.
    pub(crate) fn begin_batch(&mut self) -> Result<Mark, StoreError> {
        if self.len >= PACK_BYTES {
            let (file, len) = open_pack(&self.dir, self.pack + 1)?;
            self.pack += 1;
            self.file = file;
            self.len = len;
        }
        Ok(Mark(self.len))
    }

    /// Appends `bytes`; returns where they are.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> Result<Location, StoreError> {
        let n = bytes.len() as u64;
        if self.cap.is_some_and(|cap| self.total + n > cap) {
            return Err(StoreError::Full {
                path: self.dir.join(DIR),
            });
        }
        let at = self.len;
        let written = self
            .file
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.file.write_all(bytes));
        if let Err(source) = written {
            // Whatever part was written belongs to no page.
            let _ = self.file.set_len(at);
            return Err(StoreError::Io {
                path: path(&self.dir, self.pack),
                source,
            });
        }
        self.len += n;
        self.total += n;
        Ok(Location {
            pack: self.pack,
            at,
            len: n,
        })
    }

    /// Cuts the pack back to a [`Mark`] (a batch failed after appending).
    pub(crate) fn rewind(&mut self, Mark(len): Mark) -> Result<(), StoreError> {
        if self.len > len {
            self.file.set_len(len).map_err(|source| StoreError::Io {
                path: path(&self.dir, self.pack),
                source,
            })?;
            self.total = self.total.saturating_sub(self.len - len);
            self.len = len;
        }
        Ok(())
    }
}

/// Opens (creating if needed) a pack for appending; returns it and its length.
fn open_pack(dir: &Path, pack: u32) -> Result<(File, u64), StoreError> {
    let p = path(dir, pack);
    let io = |source| StoreError::Io {
        path: p.clone(),
        source,
    };
    let file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&p)
        .map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    Ok((file, len))
}
