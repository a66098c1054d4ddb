//! Raw pages in append-only pack files, beside the records.
//!
//! A raw page is written once and read back only to extract it again. Kept in SQLite,
//! each one went through overflow pages of the B-tree, the write-ahead log, then the
//! copy back into the database: about a tenth of an ingest's time. In a pack it is
//! written once; the version's row keeps where (`raw_pack`, `raw_at`, `raw_len`).
//!
//! Bytes are appended before the transaction that refers to them commits. Bytes no
//! committed row refers to (a batch that failed, a crash in between) are cut off: at
//! once when a batch fails, else when the store is next opened for writing (in the
//! last pack; a batch that had just started a new pack leaves its first bytes in the
//! previous one, unused).
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

/// A pack is closed and the next one started past this size.
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

impl Packs {
    /// Opens the last pack of the store in `dir`, cutting off the bytes no committed
    /// version of `conn` refers to.
    pub(crate) fn open(
        dir: &Path,
        conn: &Connection,
        cap: Option<u64>,
    ) -> Result<Packs, StoreError> {
        let packs_dir = dir.join(DIR);
        let io = |path: &Path, source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(&packs_dir).map_err(|e| io(&packs_dir, e))?;
        let mut last = 0u32;
        let mut total = 0u64;
        for entry in std::fs::read_dir(&packs_dir).map_err(|e| io(&packs_dir, e))? {
            let entry = entry.map_err(|e| io(&packs_dir, e))?;
            let name = entry.file_name();
            let Some(n) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".pack"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            last = last.max(n);
            total += entry.metadata().map_err(|e| io(&entry.path(), e))?.len();
        }
        let pack = last.max(1);
        let p = path(dir, pack);
        let file = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&p)
            .map_err(|e| io(&p, e))?;
        let on_disk = file.metadata().map_err(|e| io(&p, e))?.len();
        let referred: i64 = conn
            .query_row(
                "SELECT coalesce(max(raw_at + raw_len), 0) FROM versions WHERE raw_pack = ?1",
                [pack],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::sqlite(dir, e))?;
        let mut packs = Packs {
            dir: dir.to_path_buf(),
            pack,
            file,
            len: on_disk,
            cap,
            total,
        };
        packs.truncate(referred.max(0) as u64)?;
        Ok(packs)
    }

    /// The current end of the packs, to [`Packs::truncate`] back to if a batch fails.
    pub(crate) fn mark(&self) -> (u32, u64) {
        (self.pack, self.len)
    }

    /// Appends `bytes`; returns where they are.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> Result<Location, StoreError> {
        let n = bytes.len() as u64;
        if self.cap.is_some_and(|cap| self.total + n > cap) {
            return Err(StoreError::Full {
                path: self.dir.join(DIR),
            });
        }
        if self.len > 0 && self.len + n > PACK_BYTES {
            self.next_pack()?;
        }
        let p = path(&self.dir, self.pack);
        let at = self.len;
        let io = |source| StoreError::Io {
            path: p.clone(),
            source,
        };
        self.file.seek(SeekFrom::Start(at)).map_err(io)?;
        if let Err(e) = self.file.write_all(bytes) {
            // Whatever part was written belongs to no page.
            let _ = self.file.set_len(at);
            return Err(io(e));
        }
        self.len += n;
        self.total += n;
        Ok(Location {
            pack: self.pack,
            at,
            len: n,
        })
    }

    /// Cuts the packs back to a [`Packs::mark`] (a batch failed after appending).
    pub(crate) fn rewind(&mut self, (pack, len): (u32, u64)) -> Result<(), StoreError> {
        if pack != self.pack {
            // The batch started a pack: drop it, and go back to the one before.
            let p = path(&self.dir, self.pack);
            self.total = self.total.saturating_sub(self.len);
            std::fs::remove_file(&p).map_err(|source| StoreError::Io { path: p, source })?;
            let p = path(&self.dir, pack);
            self.file = File::options()
                .read(true)
                .write(true)
                .open(&p)
                .map_err(|source| StoreError::Io { path: p, source })?;
            self.pack = pack;
            self.len = self
                .file
                .metadata()
                .map_err(|source| StoreError::Io {
                    path: path(&self.dir, pack),
                    source,
                })?
                .len();
        }
        self.truncate(len)
    }

    fn truncate(&mut self, len: u64) -> Result<(), StoreError> {
        if self.len > len {
            let p = path(&self.dir, self.pack);
            self.file
                .set_len(len)
                .map_err(|source| StoreError::Io { path: p, source })?;
            self.total = self.total.saturating_sub(self.len - len);
            self.len = len;
        }
        Ok(())
    }

    fn next_pack(&mut self) -> Result<(), StoreError> {
        let p = path(&self.dir, self.pack + 1);
        self.file = File::options()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&p)
            .map_err(|source| StoreError::Io { path: p, source })?;
        self.pack += 1;
        self.len = 0;
        Ok(())
    }
}
