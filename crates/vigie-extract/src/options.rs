use chrono::{DateTime, FixedOffset};

/// What kind of input a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Decide from the content.
    #[default]
    Auto,
    /// An HTML page.
    Html,
    /// Text a scraper already extracted, one block per line.
    Text,
}

/// Settings of the extractor. Every limit is named here with its default.
#[derive(Debug, Clone)]
pub struct Options {
    /// Pages larger than this are refused (default 64 MiB).
    pub max_input_bytes: usize,
    /// Elements nested deeper are flattened (default 256).
    pub max_depth: usize,
    /// Parsing stops after this many nodes (default 2,000,000).
    pub max_nodes: usize,
    /// Charset from the transport (HTTP `Content-Type`), which beats the page's own.
    pub declared_charset: Option<String>,
    /// Input kind; `Auto` detects it.
    pub input: InputKind,
    /// The moment the page was captured (fetched or saved). Relative datelines ("il y a
    /// 3 heures", "3 hours ago", "gestern, 17:53 Uhr") are read against it, and only
    /// when it is set: without it a page's relative dates are ignored, never guessed
    /// from the current time (default: none).
    pub reference_time: Option<DateTime<FixedOffset>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_input_bytes: 64 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 2_000_000,
            declared_charset: None,
            input: InputKind::Auto,
            reference_time: None,
        }
    }
}
