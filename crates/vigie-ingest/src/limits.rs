use crate::IngestError;

/// Every limit the readers enforce, with its default. Each one defuses a hostile or
/// broken input (a gzip bomb, a 1 GB "feed", 100,000 nested elements) with an error
/// that names the field to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Feeds (RSS, Atom, JSON Feed) larger than this are refused (default 32 MiB; the
    /// largest real news feeds weigh a few MiB).
    pub max_feed_bytes: usize,
    /// Sitemaps, OPML files and URL lists larger than this are refused (default 64 MiB;
    /// the sitemap protocol caps a file at 50 MB uncompressed).
    pub max_document_bytes: usize,
    /// Gzip input stops expanding past this many bytes (default 64 MiB).
    pub max_decompressed_bytes: usize,
    /// XML nested deeper than this is refused (default 128; feeds and sitemaps need
    /// fewer than 10 levels).
    pub max_depth: usize,
    /// A sitemap or sitemap index listing more entries is refused (default 50,000, the
    /// protocol's own limit).
    pub max_sitemap_entries: usize,
    /// Feed entries, OPML subscriptions and URL-list lines past this count are refused
    /// (default 100,000).
    pub max_entries: usize,
    /// A WARC record's header block longer than this is an error (default 64 KiB).
    pub max_warc_header_bytes: usize,
    /// WARC response records larger than this are skipped, not read into memory
    /// (default 32 MiB).
    pub max_warc_record_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_feed_bytes: 32 * 1024 * 1024,
            max_document_bytes: 64 * 1024 * 1024,
            max_decompressed_bytes: 64 * 1024 * 1024,
            max_depth: 128,
            max_sitemap_entries: 50_000,
            max_entries: 100_000,
            max_warc_header_bytes: 64 * 1024,
            max_warc_record_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Refuses an input of `size` bytes over `limit`, naming the input and the `Limits`
/// field (`option`) to raise.
pub(crate) fn check_size(
    input: &'static str,
    size: usize,
    limit: usize,
    option: &'static str,
) -> Result<(), IngestError> {
    if size > limit {
        return Err(IngestError::TooLarge {
            input,
            size,
            limit,
            option,
        });
    }
    Ok(())
}

/// A document's bytes, gunzipped when gzip: its size checked against
/// [`Limits::max_document_bytes`] before and after decompression.
pub(crate) fn document<'a>(
    input: &'static str,
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<std::borrow::Cow<'a, [u8]>, IngestError> {
    let max = limits.max_document_bytes;
    check_size(input, bytes.len(), max, "max_document_bytes")?;
    let bytes = crate::kind::decompress(bytes, limits)?;
    check_size(input, bytes.len(), max, "max_document_bytes")?;
    Ok(bytes)
}
