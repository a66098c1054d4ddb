use thiserror::Error;

/// Why a source could not be read.
///
/// Every message names the kind of input (feed, sitemap, OPML, WARC archive…) and the
/// problem, with a position where there is one. The readers see bytes, not file names
/// or addresses: a caller that knows the source's name attaches it with
/// [`IngestError::in_source`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum IngestError {
    /// The input holds nothing but white space.
    #[error("the {input} is empty")]
    Empty {
        /// What was being read ("feed", "sitemap"…).
        input: &'static str,
    },
    /// The input is larger than the configured limit.
    #[error("the {input} is {size} bytes, over the {limit}-byte limit (Limits::{option})")]
    TooLarge {
        /// What was being read.
        input: &'static str,
        /// Size of the input.
        size: usize,
        /// The limit in force.
        limit: usize,
        /// The [`Limits`](crate::Limits) field that sets it.
        option: &'static str,
    },
    /// Gzip data expands past the configured limit (a gzip bomb, or a limit set too low).
    #[error("the gzip data expands to more than {limit} bytes (Limits::max_decompressed_bytes)")]
    DecompressedTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// Gzip data is corrupt or cut short.
    #[error("the gzip data is corrupt: {message}")]
    Gzip {
        /// What the decompressor said.
        message: String,
    },
    /// The input is of another kind than the reader expects.
    #[error("not a {expected}: the input looks like {found}")]
    WrongKind {
        /// What the reader reads.
        expected: &'static str,
        /// What the input looks like.
        found: String,
    },
    /// XML that is not well formed (truncated, binary, mismatched tags).
    #[error("the {input} is not well-formed XML at byte {position}: {message}")]
    Xml {
        /// What was being read.
        input: &'static str,
        /// Byte offset of the problem in the (decoded) text.
        position: u64,
        /// What the XML reader said.
        message: String,
    },
    /// Elements nested deeper than the configured limit.
    #[error("the {input} nests elements deeper than {limit} levels (Limits::max_depth)")]
    TooDeep {
        /// What was being read.
        input: &'static str,
        /// The limit in force.
        limit: usize,
    },
    /// More entries than the configured limit.
    #[error("the {input} holds more than {limit} entries (Limits::{option})")]
    TooManyEntries {
        /// What was being read.
        input: &'static str,
        /// The limit in force.
        limit: usize,
        /// The [`Limits`](crate::Limits) field that sets it.
        option: &'static str,
    },
    /// The feed parser refused the feed.
    #[error("the feed cannot be parsed: {message}")]
    Feed {
        /// What `feed-rs` said.
        message: String,
    },
    /// A WARC archive that breaks the format.
    #[error("the WARC archive is malformed in record {record} (byte {offset} of the uncompressed stream): {message}")]
    Warc {
        /// 1-based number of the record.
        record: u64,
        /// Offset of the record's start in the uncompressed stream.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A WARC archive that stops in the middle of a record.
    #[error("the WARC archive is truncated: it ends inside record {record} (byte {offset} of the uncompressed stream), after {good} complete records")]
    WarcTruncated {
        /// 1-based number of the unfinished record.
        record: u64,
        /// Offset of that record's start in the uncompressed stream.
        offset: u64,
        /// Records read completely before it.
        good: u64,
    },
    /// Reading the underlying stream failed.
    #[error("cannot read the {input}: {message}")]
    Io {
        /// What was being read.
        input: &'static str,
        /// The I/O error.
        message: String,
    },
    /// A string that is not an absolute URL Vigie may fetch.
    #[error("{url:?} is not a usable URL: {reason}")]
    Url {
        /// The string as given.
        url: String,
        /// Why it is refused.
        reason: String,
    },
}

impl IngestError {
    /// Attaches the source's name (file path or address) to the error.
    pub fn in_source(self, source: impl Into<String>) -> SourceError {
        SourceError {
            source: source.into(),
            error: self,
        }
    }
}

/// An [`IngestError`] with the name of the source it came from: `feeds.opml: the OPML
/// file is not well-formed XML at byte 120: …`.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{source}: {error}")]
pub struct SourceError {
    /// The file path or address of the source.
    pub source: String,
    /// The problem.
    #[source]
    pub error: IngestError,
}
