//! Text helpers every layer may use: percent-encoding for URLs.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a URL component keeps as it is: RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a path keeps as it is: the unreserved characters and `/`.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Percent-encodes `text` for one URL component (a path segment, a query
/// value, a fragment).
pub fn url_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Percent-encodes a `/`-separated path for use in a URL, keeping the `/`.
pub fn url_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_escape_slashes_and_paths_keep_them() {
        assert_eq!(super::url_component("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(super::url_path("dir/a b#c.md"), "dir/a%20b%23c.md");
        assert_eq!(super::url_path("é~_-."), "%C3%A9~_-.");
    }
}
