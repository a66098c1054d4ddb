use thiserror::Error;

/// Why a page could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExtractError {
    /// The input holds nothing but white space.
    #[error("the page is empty")]
    Empty,
    /// The input is larger than the configured limit.
    #[error("the page is {size} bytes, over the {limit}-byte limit (raise it with --max-bytes)")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The input is binary data, not text or HTML.
    #[error("the input is binary data, not a web page or text")]
    NotText,
}
