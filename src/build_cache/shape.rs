//! What a build records so that the next one, after edits to briefs or authors only, writes
//! just the pages showing them ([`crate::outputs::affected`], as `brief serve` does) and the
//! outputs that list every brief, instead of every output.
//!
//! That is safe when the edit keeps the site's [`outline`](crate::outputs::affected::outline)
//! (its files and term names), whether any draft is shown, and, for each edited brief, what
//! places it on other pages (slug, date, terms, authors, translations) and the files made from
//! its folder. Anything else is a full build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fingerprint::{Hashes, hash};
use crate::outputs::affected::{self, Showing};
use crate::outputs::{Job, routes};
use crate::site::Site;

/// The shape of a built site, as [`Shape::affected`] compares it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shape {
    /// Hash of the site's outline.
    outline: String,
    /// Whether a draft is shown (every page then has a banner).
    drafts: bool,
    /// Brief source -> hash of what places it on other pages and the files made for it.
    briefs: BTreeMap<String, String>,
    /// Author source -> id.
    authors: BTreeMap<String, String>,
    /// Output name -> the files it wrote, for the outputs written in every build.
    pub always: BTreeMap<String, Vec<String>>,
}

impl Shape {
    pub fn of(site: &Site) -> Shape {
        // In parallel: hashing 10,000 briefs' placements was a serial fiftieth of a build.
        let briefs: Vec<(String, String)> = site
            .briefs
            .par_iter()
            .map(|b| (source_key(&b.source), placement(b)))
            .collect();
        let briefs = briefs.into_iter().collect();
        let authors = site
            .authors
            .values()
            .map(|a| (source_key(&a.source), a.id.clone()))
            .collect();
        Shape {
            outline: hash(affected::outline(site).join("\n").as_bytes()),
            drafts: crate::render::has_drafts(site),
            briefs,
            authors,
            always: BTreeMap::new(),
        }
    }

    /// The output paths of the pages to write again for `edited` (sources of briefs and
    /// authors) now that the site is `site` (of shape `self`) and was of shape `before`;
    /// `None` when the edit changes more than those pages, and every output must be written.
    pub fn affected(
        &self,
        before: &Shape,
        site: &Site,
        edited: &[String],
    ) -> Option<BTreeSet<String>> {
        if self.outline != before.outline || self.drafts != before.drafts {
            return None;
        }
        let mut pages = BTreeSet::new();
        for rel in edited {
            if let Some(now) = self.briefs.get(rel) {
                if before.briefs.get(rel) != Some(now) {
                    return None;
                }
                let brief = site.briefs.iter().find(|b| source_key(&b.source) == *rel)?;
                let showing = affected::showing_brief(site, &brief.slug);
                pages.extend(Showing::changed(&showing, &showing));
                pages.extend(translation_pages(site, &brief.slug));
            } else if let Some(id) = self.authors.get(rel) {
                if before.authors.get(rel) != Some(id) {
                    return None;
                }
                let showing = affected::showing_author(site, id);
                pages.extend(Showing::changed(&showing, &showing));
            } else {
                // A draft left out, or a file that is no brief or author.
                return None;
            }
        }
        Some(pages)
    }
}

/// The brief and author files among the inputs that changed from `before` to `now`, when they
/// are all that changed: no file added or removed, nothing else edited.
pub fn edited_documents(before: &Hashes, now: &Hashes) -> Option<Vec<String>> {
    if before.len() != now.len() || before.keys().ne(now.keys()) {
        return None;
    }
    let edited: Vec<String> = now
        .iter()
        .filter(|(path, hash)| before.get(*path) != Some(*hash))
        .map(|(path, _)| path.clone())
        .collect();
    edited
        .iter()
        .all(|path| is_document(path))
        .then_some(edited)
}

/// A brief's or an author's Markdown file, by its site path.
pub(super) fn is_document(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["content", "briefs", file] | ["content", "authors", file] => file.ends_with(".md"),
        ["content", "briefs", _, "index.md"] => true,
        _ => false,
    }
}

fn source_key(source: &Path) -> String {
    source.to_string_lossy().replace('\\', "/")
}

/// What places a brief on other pages and which files are made for it, hashed.
fn placement(brief: &crate::content::Brief) -> String {
    let front = &brief.front;
    let text = format!(
        "{:?}",
        (
            &brief.slug,
            front.date,
            (&front.topics, &front.regions, &front.program, &front.series),
            (
                &front.authors,
                front.draft,
                &front.lang,
                &front.translations
            ),
            (&brief.assets, &brief.images, &brief.social_card),
        )
    );
    hash(text.as_bytes())
}

/// The pages of the briefs that are translations of the brief `slug`, or name it as one: they
/// link to it by its title.
fn translation_pages(site: &Site, slug: &str) -> Vec<String> {
    let Some(brief) = site.briefs.iter().find(|b| b.slug == slug) else {
        return Vec::new();
    };
    site.briefs
        .iter()
        .filter(|other| {
            brief.front.translations.values().any(|s| *s == other.slug)
                || other.front.translations.values().any(|s| s == slug)
        })
        .map(|other| Job::Brief(other).output_path())
        .chain(std::iter::once(routes::HOME.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(pairs: &[(&str, &str)]) -> Hashes {
        pairs
            .iter()
            .map(|(p, h)| (p.to_string(), h.to_string()))
            .collect()
    }

    #[test]
    fn only_edits_to_briefs_and_authors_in_place_are_edited_documents() {
        let before = hashes(&[
            ("config.toml", "1"),
            ("content/authors/ada.md", "2"),
            ("content/briefs/a.md", "3"),
            ("content/briefs/b/index.md", "4"),
            ("content/briefs/b/chart.csv", "5"),
            ("content/pages/about.md", "6"),
        ]);
        let with = |path: &str, hash: &str| {
            let mut now = before.clone();
            now.insert(path.to_string(), hash.to_string());
            now
        };
        let edited = |now: &Hashes| edited_documents(&before, now);
        assert_eq!(edited(&before), Some(vec![]));
        assert_eq!(
            edited(&with("content/briefs/a.md", "x")),
            Some(vec!["content/briefs/a.md".to_string()])
        );
        assert_eq!(
            edited(&with("content/briefs/b/index.md", "x")),
            Some(vec!["content/briefs/b/index.md".to_string()])
        );
        assert_eq!(
            edited(&with("content/authors/ada.md", "x")),
            Some(vec!["content/authors/ada.md".to_string()])
        );
        // A bundle's data file, a page, config, or a file added: a full build.
        assert_eq!(edited(&with("content/briefs/b/chart.csv", "x")), None);
        assert_eq!(edited(&with("content/pages/about.md", "x")), None);
        assert_eq!(edited(&with("config.toml", "x")), None);
        assert_eq!(edited(&with("content/briefs/new.md", "3")), None);
        let mut removed = before.clone();
        removed.remove("content/briefs/a.md");
        assert_eq!(edited(&removed), None);
    }
}
