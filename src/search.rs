//! The search index: every published brief as one row of `search/index.json`, which the
//! theme's `search.js` loads in the browser (lazily: on the first keystroke, or at once when
//! the page is opened with `?q=`) and searches with no server.
//!
//! An index of our own rather than pagefind's Rust library: pagefind brings a large dependency
//! tree (and its own JS bundle and WASM) for what is, at the size of a think tank's catalogue
//! (hundreds to a few thousand briefs), a small JSON file searched by a few lines of JS.
//!
//! The file is compact: the field names once, then one array per brief in that order:
//!
//! ```json
//! {"version":1,"fields":["title","subtitle",…],"briefs":[["Title",null,…],…]}
//! ```

use serde::Serialize;

use crate::content::Brief;
use crate::site::Site;
use crate::taxonomy::TermKind;

/// Site-relative path of the search page.
pub const SEARCH_PATH: &str = "search/";
/// Site-relative path of the index.
pub const INDEX_PATH: &str = "search/index.json";
/// Characters of body text kept per brief (cut when the brief is loaded, see
/// [`crate::content::brief::SEARCH_TEXT_LIMIT`]).
pub use crate::content::brief::SEARCH_TEXT_LIMIT as TEXT_LIMIT;
/// Bumped when the layout of a row changes, so that a cached script can tell.
pub const FORMAT_VERSION: u32 = 1;

/// The order of the values in each row; `search.js` reads them by these names.
pub const FIELDS: [&str; 13] = [
    "title",
    "subtitle",
    "authors",
    "topics",
    "regions",
    "program",
    "series",
    "year",
    "date",
    "date_display",
    "path",
    "summary",
    "text",
];

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    fields: [&'static str; 13],
    briefs: Vec<Row<'a>>,
}

/// One brief, serialised as an array in the order of [`FIELDS`].
#[derive(Serialize)]
struct Row<'a>(
    &'a str,
    Option<&'a str>,
    Vec<&'a str>,
    Vec<&'a str>,
    Vec<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    i16,
    String,
    String,
    String,
    &'a str,
    &'a str,
);

/// The index as JSON: the site's briefs in publication order, drafts never included (even in
/// a preview build, so that a preview's index can be published by mistake without harm).
pub fn index_json(site: &Site) -> String {
    let briefs = site
        .briefs
        .iter()
        .filter(|b| !b.front.draft)
        .map(|b| row(site, b))
        .collect();
    let index = Index {
        version: FORMAT_VERSION,
        fields: FIELDS,
        briefs,
    };
    serde_json::to_string(&index).expect("the index serialises")
}

/// The files the search adds to a build, as (site path, contents).
pub fn files(site: &Site) -> Vec<(String, String)> {
    vec![(INDEX_PATH.to_string(), index_json(site))]
}

fn row<'a>(site: &'a Site, brief: &'a Brief) -> Row<'a> {
    let front = &brief.front;
    let authors = front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id))
        .map(|a| a.front.name.as_str())
        .collect();
    Row(
        &front.title,
        front.subtitle.as_deref(),
        authors,
        names(site, TermKind::Topic, brief),
        names(site, TermKind::Region, brief),
        names(site, TermKind::Program, brief).pop(),
        names(site, TermKind::Series, brief).pop(),
        front.date.0.year(),
        front.date.iso(),
        front.date.display(),
        site.config.base_url.path_of(&brief.site_path()),
        &brief.summary,
        brief.text.as_str(),
    )
}

/// The brief's terms of one kind under the names their listings show, so that "Arms control"
/// and "Arms Control" are one choice of the topic filter, as they are one listing.
fn names<'a>(site: &'a Site, kind: TermKind, brief: &'a Brief) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<&str> = Vec::new();
    for value in kind.values(brief) {
        let name = site
            .taxonomies
            .term(kind, value)
            .map_or(value, |t| t.name.as_str());
        // A set, not a search of the list: a brief may have thousands of topics.
        if seen.insert(name) {
            names.push(name);
        }
    }
    names
}
