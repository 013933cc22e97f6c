//! Splitting a list of briefs into pages: page 1 at the list's own address, page N at
//! `<list>/page/N/`, and the `paginator` view templates use for prev/next and numbered links.

use serde::Serialize;

use crate::urls::BaseUrl;

/// Numbered links shown on either side of the current page; the first and last are always shown.
const WINDOW: usize = 2;

/// Number of pages a list of `items` takes (at least 1: an empty list still has its page).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The items of page `page` (1-based).
pub fn page_items<T>(items: &[T], per_page: usize, page: usize) -> &[T] {
    let per_page = per_page.max(1);
    let start = ((page.max(1) - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}

/// Site-relative folder of page `page` of the list at `list_path` (which ends in `/`).
pub fn page_path(list_path: &str, page: usize) -> String {
    match page {
        0 | 1 => list_path.to_string(),
        n => format!("{list_path}page/{n}/"),
    }
}

/// The `paginator` template variable.
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// 1-based.
    pub current: usize,
    pub total_pages: usize,
    pub first_path: String,
    pub last_path: String,
    pub prev_path: Option<String>,
    pub next_path: Option<String>,
    /// Absolute URLs of the same, for `<link rel="prev/next">`.
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The numbered links to show: first, last, and the pages near the current one.
    pub pages: Vec<PageNumberLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PageNumberLink {
    pub number: usize,
    pub path: String,
    /// Whether numbers were skipped before this one (show "…").
    pub gap_before: bool,
}

impl Paginator {
    pub fn new(base: &BaseUrl, list_path: &str, current: usize, total_pages: usize) -> Paginator {
        let at = |n: usize| base.path_of(&page_path(list_path, n));
        let url_at = |n: usize| base.url_of(&page_path(list_path, n));
        let prev = (current > 1).then(|| current - 1);
        let next = (current < total_pages).then(|| current + 1);
        // A window rather than every number: a 1,000-page archive would otherwise put 1,000
        // links on each of its 1,000 pages.
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for number in 1..=total_pages {
            let near = number.abs_diff(current) <= WINDOW;
            if number == 1 || number == total_pages || near {
                pages.push(PageNumberLink {
                    number,
                    path: at(number),
                    gap_before: number > last_shown + 1,
                });
                last_shown = number;
            }
        }
        Paginator {
            current,
            total_pages,
            first_path: at(1),
            last_path: at(total_pages),
            prev_path: prev.map(at),
            next_path: next.map(at),
            prev_url: prev.map(url_at),
            next_url: next.map(url_at),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_slices_pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        let items = [1, 2, 3, 4, 5];
        assert_eq!(page_items(&items, 2, 3), [5]);
        assert_eq!(page_items(&items, 2, 4), [] as [i32; 0]);
    }

    #[test]
    fn page_one_is_the_list_itself() {
        assert_eq!(page_path("topics/x/", 1), "topics/x/");
        assert_eq!(page_path("topics/x/", 2), "topics/x/page/2/");
    }

    #[test]
    fn shows_a_window_of_numbers_with_gaps_under_a_sub_path() {
        let base = BaseUrl::parse("https://e.org/sub/").unwrap();
        let p = Paginator::new(&base, "briefs/", 6, 20);
        let shown: Vec<_> = p.pages.iter().map(|l| (l.number, l.gap_before)).collect();
        assert_eq!(
            shown,
            [
                (1, false),
                (4, true),
                (5, false),
                (6, false),
                (7, false),
                (8, false),
                (20, true)
            ]
        );
        assert_eq!(p.prev_path.as_deref(), Some("/sub/briefs/page/5/"));
        assert_eq!(p.first_path, "/sub/briefs/");
        assert_eq!(
            p.next_url.as_deref(),
            Some("https://e.org/sub/briefs/page/7/")
        );
        let single = Paginator::new(&base, "briefs/", 1, 1);
        assert_eq!((single.prev_path, single.next_path), (None, None));
    }
}
