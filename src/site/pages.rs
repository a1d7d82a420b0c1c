//! Long lists over several pages, so that no page of the site grows with
//! the number of incidents: the timeline, each index term's page and the
//! action board's lists hold at most [`PAGE_SIZE`] entries a page.
//!
//! Page 1 of a list keeps the list's address (`timeline.html`); page `n`
//! is `n.html` in a directory named like it (`timeline/2.html`,
//! `services/billing/3.html`). A slug has no `/`, so these never meet
//! another page's address, and the same input gives the same pages.

use std::ops::Range;

use serde::Serialize;

/// Entries per page: a list row is under 1 KB, so a page stays far below
/// 1 MB whatever the number of incidents.
pub const PAGE_SIZE: usize = 200;

/// The address of page `number` (from 1) of the list whose first page is
/// `first`.
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_owned()
    } else {
        format!("{}/{number}.html", first.trim_end_matches(".html"))
    }
}

/// What a page of a list says about the others: links relative to the
/// site's root.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Every page of the list, for the numbered links.
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
}

/// One page of a list: where it is written, which entries it holds.
pub struct ListPage {
    pub path: String,
    pub range: Range<usize>,
    pub pager: Pager,
}

/// The pages of a list of `len` entries whose first page is `first`: at
/// least one, empty when the list is.
pub fn paginate(first: &str, len: usize) -> Vec<ListPage> {
    let count = len.div_ceil(PAGE_SIZE).max(1);
    let links: Vec<PageLink> = (1..=count)
        .map(|number| PageLink {
            number,
            url: page_path(first, number),
        })
        .collect();
    (1..=count)
        .map(|number| ListPage {
            path: page_path(first, number),
            range: (number - 1) * PAGE_SIZE..(number * PAGE_SIZE).min(len),
            pager: Pager {
                number,
                count,
                prev: (number > 1).then(|| page_path(first, number - 1)),
                next: (number < count).then(|| page_path(first, number + 1)),
                pages: if count > 1 { links.clone() } else { Vec::new() },
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_keeps_the_address_and_the_others_sit_beside_it() {
        let pages = paginate("services/billing.html", 2 * PAGE_SIZE + 1);
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "services/billing.html",
                "services/billing/2.html",
                "services/billing/3.html"
            ]
        );
        assert_eq!(pages[2].range, 400..401);
        assert_eq!(pages[0].pager.prev, None);
        assert_eq!(
            pages[1].pager.prev.as_deref(),
            Some("services/billing.html")
        );
        assert_eq!(
            pages[1].pager.next.as_deref(),
            Some("services/billing/3.html")
        );
        assert_eq!(pages[2].pager.next, None);
    }

    #[test]
    fn an_empty_list_has_one_page_without_links() {
        let pages = paginate("timeline.html", 0);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].range, 0..0);
        assert!(pages[0].pager.pages.is_empty());
    }
}
