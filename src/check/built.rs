//! The built site as `brief check` sees it: which addresses lead to a file, and which ids each
//! HTML file has, so that a link's `#anchor` can be checked against the page it leads to.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::markdown::html_urls;
use crate::urls::BaseUrl;

/// Where a link of a page leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by site path (`briefs/x/`, `images/a.png`), and an anchor in it.
    Internal {
        site_path: String,
        anchor: Option<String>,
    },
    /// An `http(s)://` address of another site.
    External(String),
    /// A root-relative path that is not below the base_url's path.
    Outside(String),
    /// `mailto:`, `tel:` and other schemes nobody can check.
    Other,
}

/// Where `href` (as it is in the built page) leads from the page at root-relative `page_dir`
/// (e.g. `/repo/briefs/x/`).
pub fn classify_link(href: &str, page_dir: &str, base: &BaseUrl) -> Target {
    let root = base.root_path();
    let path = if let Some(rest) = href.strip_prefix(base.as_str()) {
        format!("{root}{rest}")
    } else if href.starts_with("//") {
        return Target::External(format!("https:{href}"));
    } else if has_scheme(href) {
        let lower = href.to_ascii_lowercase();
        return match lower.starts_with("http://") || lower.starts_with("https://") {
            true => Target::External(href.to_string()),
            false => Target::Other,
        };
    } else if href.starts_with('/') {
        href.to_string()
    } else if href.starts_with('#') || href.is_empty() {
        format!("{page_dir}{href}")
    } else {
        join(page_dir, href)
    };
    let (path, anchor) = match path.split_once('#') {
        Some((p, a)) => (p.to_string(), Some(decode(a)).filter(|a| !a.is_empty())),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    match path.strip_prefix(root) {
        Some(site_path) => Target::Internal {
            site_path: decode(site_path),
            anchor,
        },
        None if format!("{path}/") == root => Target::Internal {
            site_path: String::new(),
            anchor,
        },
        None => Target::Outside(path.to_string()),
    }
}

fn has_scheme(href: &str) -> bool {
    href.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Resolves a relative reference against a folder path, removing `.` and `..` segments.
fn join(dir: &str, relative: &str) -> String {
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let parts: Vec<&str> = relative.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" if i + 1 < parts.len() => {}
            other => segments.push(other),
        }
    }
    let mut path = format!("/{}", segments.join("/"));
    if relative.ends_with('/') && !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// An output folder, with the ids of its HTML files read on demand.
pub struct Built {
    dir: PathBuf,
    ids: RefCell<HashMap<PathBuf, BTreeSet<String>>>,
    /// Redirect pages of aliases, by file: the site path they lead to, and the file listing it.
    aliases: HashMap<PathBuf, (String, PathBuf)>,
}

impl Built {
    pub fn new(dir: &Path, aliases: &[crate::redirects::Alias]) -> Self {
        Built {
            dir: dir.to_path_buf(),
            ids: RefCell::default(),
            aliases: aliases
                .iter()
                .map(|a| {
                    let to = (a.target.clone(), a.source.to_path_buf());
                    (dir.join(&a.output), to)
                })
                .collect(),
        }
    }

    /// For a redirect page of an alias: the site path it leads to and the file that lists it.
    pub fn alias(&self, file: &Path) -> Option<&(String, PathBuf)> {
        self.aliases.get(file)
    }

    /// The file a site path is served from (`x/` and `x` as folders serve `x/index.html`).
    pub fn file(&self, site_path: &str) -> Option<PathBuf> {
        let path = self.dir.join(site_path.trim_start_matches('/'));
        if site_path.is_empty() || site_path.ends_with('/') {
            let index = path.join("index.html");
            return index.is_file().then_some(index);
        }
        if path.is_file() {
            return Some(path);
        }
        let index = path.join("index.html");
        index.is_file().then_some(index)
    }

    /// Whether the HTML file has an element with this id.
    pub fn has_id(&self, file: &Path, id: &str) -> bool {
        let mut cache = self.ids.borrow_mut();
        let ids = cache.entry(file.to_path_buf()).or_insert_with(|| {
            std::fs::read_to_string(file)
                .map(|html| ids(&html))
                .unwrap_or_default()
        });
        ids.contains(id)
    }
}

/// The `id` attributes of an HTML document, found tag by tag ([`html_urls::values`]) so that
/// text showing an attribute (`` `id="x"` `` in a code span) is not taken for one.
pub fn ids(html: &str) -> BTreeSet<String> {
    html_urls::values(html, "id")
        .into_iter()
        .map(|id| html_escape::decode_html_entities(&id).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(site_path: &str, anchor: Option<&str>) -> Target {
        Target::Internal {
            site_path: site_path.into(),
            anchor: anchor.map(String::from),
        }
    }

    #[test]
    fn classifies_links_of_a_page_under_a_sub_path() {
        let base = BaseUrl::parse("https://user.example.io/repo/").unwrap();
        let page = "/repo/briefs/x/";
        let cases = [
            ("#risks", internal("briefs/x/", Some("risks"))),
            ("chart.png", internal("briefs/x/chart.png", None)),
            ("../y/#a", internal("briefs/y/", Some("a"))),
            ("/repo/about/", internal("about/", None)),
            ("/repo", internal("", None)),
            (
                "https://user.example.io/repo/briefs/z/?q=1",
                internal("briefs/z/", None),
            ),
            ("/about/", Target::Outside("/about/".into())),
            (
                "https://example.org/a",
                Target::External("https://example.org/a".into()),
            ),
            (
                "//cdn.example.org/a",
                Target::External("https://cdn.example.org/a".into()),
            ),
            ("mailto:a@b.org", Target::Other),
            ("/repo/caf%C3%A9/", internal("café/", None)),
        ];
        for (href, expected) in cases {
            assert_eq!(classify_link(href, page, &base), expected, "{href}");
        }
    }

    #[test]
    fn finds_quoted_ids_only_as_attributes() {
        let html = r#"<h2 id="a">x</h2><p data-id="no">x <code>id="code"</code> id="text"</p><a id='c&amp;d'><b id="&quot;q&#39;&lt;&#x27;&gt;">"#;
        let found: Vec<_> = ids(html).into_iter().collect();
        assert_eq!(found, ["\"q'<'>", "a", "c&d"]);
    }
}
