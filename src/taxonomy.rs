//! Stage 3: the site's structure. Groups briefs by topic, region, program and series (the
//! terms, each with a listing page) and by author, as indexes into `Site::briefs`; and picks
//! the related briefs of a brief from those indexes.
//!
//! Two spellings that slug the same ("Arms control", "Arms Control") are one term, named by the
//! spelling that sorts first, so the result does not depend on which brief was read first.
//! Spellings that differ in more than case ("Arms-control") are warned about
//! ([`spelling_warnings`]); a name that makes no slug at all ("???") is an error when the brief
//! is loaded ([`slug_errors`]). `+` and `#` after a letter count ([`term_slug`]), so "C++" and
//! "C#" are not "C".

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use crate::content::Brief;
use crate::error::{Diagnostic, Kind, Location};

/// A kind of term, each with its own index page and listing pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    Topic,
    Region,
    Program,
    Series,
}

impl TermKind {
    pub const ALL: [TermKind; 4] = [
        TermKind::Topic,
        TermKind::Region,
        TermKind::Program,
        TermKind::Series,
    ];

    /// The first segment of its URLs: `topics`, `regions`, `programs`, `series`.
    pub fn plural(self) -> &'static str {
        match self {
            TermKind::Topic => "topics",
            TermKind::Region => "regions",
            TermKind::Program => "programs",
            TermKind::Series => "series",
        }
    }

    /// Label of one term: "Topic", …
    pub fn singular(self) -> &'static str {
        match self {
            TermKind::Topic => "Topic",
            TermKind::Region => "Region",
            TermKind::Program => "Program",
            TermKind::Series => "Series",
        }
    }

    /// Site-relative path of the index page, `topics/`.
    pub fn site_path(self) -> String {
        crate::outputs::routes::terms(self)
    }

    /// The values a brief gives for this kind, as written.
    pub fn values(self, brief: &Brief) -> Vec<&str> {
        let front = &brief.front;
        match self {
            TermKind::Topic => front.topics.iter().map(String::as_str).collect(),
            TermKind::Region => front.regions.iter().map(String::as_str).collect(),
            TermKind::Program => front.program.as_deref().into_iter().collect(),
            TermKind::Series => front.series.as_deref().into_iter().collect(),
        }
    }

    /// The front-matter key of the `index`th of [`TermKind::values`], e.g. `topics[1]`.
    fn key(self, index: usize) -> String {
        match self {
            TermKind::Topic => format!("topics[{index}]"),
            TermKind::Region => format!("regions[{index}]"),
            TermKind::Program => "program".to_string(),
            TermKind::Series => "series".to_string(),
        }
    }
}

/// The slug of a term's name: [`slug::slugify`], except that `+` and `#` right after a letter,
/// digit or another of them are spelled out, so "C++" is `c-plus-plus` and "C#" `c-sharp`
/// rather than all three `c`. ("Arms + control" keeps `arms-control`.)
pub fn term_slug(name: &str) -> String {
    let mut spelled = String::with_capacity(name.len());
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let attached = previous.is_some_and(|p| p.is_alphanumeric() || p == '+' || p == '#');
        match c {
            '+' if attached => spelled.push_str(" plus "),
            '#' if attached => spelled.push_str(" sharp "),
            _ => spelled.push(c),
        }
        previous = Some(c);
    }
    slug::slugify(spelled)
}

/// Errors for the term names of a brief that make no slug ("???", "—"): such a term can have no
/// listing page, so it would silently be left out.
pub fn slug_errors(
    brief: &crate::content::brief::FrontMatter,
    keys: &crate::content::frontmatter::Lines,
    rel: &std::path::Path,
) -> Vec<crate::error::Diagnostic> {
    let listed = |key: &str, names: &[String]| -> Vec<(String, String)> {
        let entries = names.iter().enumerate();
        entries
            .map(|(i, n)| (format!("{key}[{i}]"), n.clone()))
            .collect()
    };
    let single = |key: &str, name: &Option<String>| -> Vec<(String, String)> {
        name.iter().map(|n| (key.to_string(), n.clone())).collect()
    };
    let values = [
        (TermKind::Topic, listed("topics", &brief.topics)),
        (TermKind::Region, listed("regions", &brief.regions)),
        (TermKind::Program, single("program", &brief.program)),
        (TermKind::Series, single("series", &brief.series)),
    ];
    let mut errors = Vec::new();
    for (kind, names) in values {
        for (key, name) in names.into_iter().filter(|(_, n)| term_slug(n).is_empty()) {
            errors.push(
                Diagnostic::new(
                    Kind::FrontMatter,
                    format!(
                        "{} \"{name}\" has no letters or digits, so it can have no page",
                        kind.singular().to_lowercase()
                    ),
                )
                .at(keys.location(rel, &key))
                .help("write a name with letters or digits, or remove it"),
            );
        }
    }
    errors
}

/// Warnings for names that make the same slug while differing in more than case ("Arms
/// control", "Arms-control"): they are listed as one term, under the first spelling, which an
/// editor should know and make consistent.
pub fn spelling_warnings(briefs: &[Brief]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for kind in TermKind::ALL {
        // Slug -> lower-case spelling -> (spelling as written, file), first seen.
        let mut by_slug: BTreeMap<String, BTreeMap<String, (&str, Location)>> = BTreeMap::new();
        for brief in briefs {
            for (i, value) in kind.values(brief).into_iter().enumerate() {
                let slug = term_slug(value);
                if slug.is_empty() {
                    continue;
                }
                by_slug
                    .entry(slug)
                    .or_default()
                    .entry(value.to_lowercase())
                    .or_insert((value, brief.keys.location(&brief.source, &kind.key(i))));
            }
        }
        for (slug, spellings) in by_slug {
            let mut spellings = spellings.into_values();
            let Some((first, first_file)) = spellings.next() else {
                continue;
            };
            for (other, at) in spellings {
                let message = format!(
                    "{kind} \"{other}\" and \"{first}\" ({}) make the same address, {}/{slug}/, so they are listed as one; write them the same way",
                    first_file.path.display(),
                    kind.plural(),
                    kind = kind.singular().to_lowercase(),
                );
                // Warnings name the line only, as all of `brief build`'s warnings do.
                let warning = Diagnostic::warning(Kind::FrontMatter, message);
                warnings.push(warning.at_line(at.path, at.line));
            }
        }
    }
    warnings
}

/// One topic, region, program or series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    /// The spelling shown: the first, alphabetically, of those that make this slug.
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::briefs`, in its order (newest first).
    pub briefs: Vec<usize>,
}

impl Term {
    /// Site-relative path of its listing, `topics/<slug>/`.
    pub fn site_path(&self) -> String {
        crate::outputs::routes::term(self.kind, &self.slug)
    }
}

/// Every term of a site, and every author's briefs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taxonomies {
    /// By kind, each sorted by name (case-insensitively, then as written).
    terms: BTreeMap<TermKind, Vec<Term>>,
    /// Term slug -> position in its kind's list.
    lookup: HashMap<(TermKind, String), usize>,
    /// Author id -> indexes of their briefs, newest first.
    by_author: HashMap<String, Vec<usize>>,
}

impl Taxonomies {
    /// Groups `briefs` (in site order) by term and by author.
    pub fn of(briefs: &[Brief]) -> Taxonomies {
        let mut terms = BTreeMap::new();
        let mut lookup = HashMap::new();
        for kind in TermKind::ALL {
            let mut by_slug: BTreeMap<String, (BTreeSet<&str>, Vec<usize>)> = BTreeMap::new();
            for (index, brief) in briefs.iter().enumerate() {
                for value in kind.values(brief) {
                    let slug = term_slug(value);
                    if slug.is_empty() {
                        continue; // No letters or digits: nothing to make an address of.
                    }
                    let entry = by_slug.entry(slug).or_default();
                    entry.0.insert(value);
                    // A brief listing "Arms control" twice, or two spellings of it, counts once.
                    if entry.1.last() != Some(&index) {
                        entry.1.push(index);
                    }
                }
            }
            let mut list: Vec<Term> = by_slug
                .into_iter()
                .map(|(slug, (spellings, briefs))| Term {
                    kind,
                    name: spellings.first().copied().unwrap_or_default().to_string(),
                    slug,
                    briefs,
                })
                .collect();
            list.sort_by(|a, b| {
                (a.name.to_lowercase(), &a.name).cmp(&(b.name.to_lowercase(), &b.name))
            });
            for (position, term) in list.iter().enumerate() {
                lookup.insert((kind, term.slug.clone()), position);
            }
            terms.insert(kind, list);
        }
        let mut by_author: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, brief) in briefs.iter().enumerate() {
            for id in &brief.front.authors {
                let list = by_author.entry(id.clone()).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
        }
        Taxonomies {
            terms,
            lookup,
            by_author,
        }
    }

    /// The terms of one kind, sorted by name.
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        self.terms.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// Every term of every kind, kind by kind.
    pub fn all(&self) -> impl Iterator<Item = &Term> {
        self.terms.values().flatten()
    }

    /// The term a value written in a brief belongs to.
    pub fn term(&self, kind: TermKind, value: &str) -> Option<&Term> {
        let position = self.lookup.get(&(kind, term_slug(value)))?;
        self.terms(kind).get(*position)
    }

    /// Indexes of an author's briefs, newest first.
    pub fn briefs_by(&self, author_id: &str) -> &[usize] {
        self.by_author.get(author_id).map_or(&[], Vec::as_slice)
    }

    /// Up to `limit` briefs related to `briefs[index]`: those sharing the most topics, regions,
    /// program and authors with it (one point for each thing shared), newest first among equals.
    /// Briefs sharing nothing are never related.
    pub fn related(&self, briefs: &[Brief], index: usize, limit: usize) -> Vec<usize> {
        self.related_scored(briefs, index, limit, &mut vec![0; briefs.len()])
    }

    /// [`Taxonomies::related`] with a score per brief in `scores` (all zero, and left so), so
    /// that ranking every brief reuses one buffer rather than zeroing one per brief.
    fn related_scored(
        &self,
        briefs: &[Brief],
        index: usize,
        limit: usize,
        scores: &mut [u8],
    ) -> Vec<usize> {
        let brief = &briefs[index];
        let mut groups: Vec<&[usize]> = Vec::new();
        for kind in [TermKind::Topic, TermKind::Region, TermKind::Program] {
            // Distinct terms only: two spellings of one topic are one thing shared.
            let mut seen = BTreeSet::new();
            for value in kind.values(brief) {
                if let Some(term) = self.term(kind, value)
                    && seen.insert(&term.slug)
                {
                    groups.push(&term.briefs);
                }
            }
        }
        let authors: BTreeSet<&String> = brief.front.authors.iter().collect();
        groups.extend(authors.into_iter().map(|id| self.briefs_by(id)));
        // A flat score per brief rather than a map: every brief is ranked against all others
        // sharing anything with it, which on a large site with few topics is most of them.
        let mut touched = Vec::new();
        for group in groups {
            for &other in group {
                if other != index {
                    if scores[other] == 0 {
                        touched.push(other);
                    }
                    scores[other] = scores[other].saturating_add(1);
                }
            }
        }
        // Site order is newest first, so a lower index is newer.
        let rank = |a: &usize, b: &usize| scores[*b].cmp(&scores[*a]).then(a.cmp(b));
        if touched.len() > limit {
            touched.select_nth_unstable_by(limit, rank);
        }
        // A new vector of `limit` at most: `touched` can hold most of the site, and a list
        // kept per brief with its capacity would make memory grow with the square of the site.
        let mut best: Vec<usize> = touched.iter().take(limit).copied().collect();
        best.sort_unstable_by(rank);
        for other in touched {
            scores[other] = 0;
        }
        best
    }
}

/// Briefs shown under "Related briefs" on a brief page, at most.
pub const RELATED_LIMIT: usize = 3;

/// For every brief (by index), its related briefs, best first. Computed once per load (in
/// parallel) rather than per page, so serve can also ask which briefs show a given one.
pub fn related_lists(taxonomies: &Taxonomies, briefs: &[Brief]) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    (0..briefs.len())
        .into_par_iter()
        .map_init(
            || vec![0; briefs.len()],
            |scores, index| taxonomies.related_scored(briefs, index, RELATED_LIMIT, scores),
        )
        .collect()
}

/// Everything [`related_lists`] reads of `briefs`, as bytes: each brief's topics, regions,
/// program and authors, in site order. Briefs with the same inputs have the same lists.
pub fn related_inputs(briefs: &[Brief]) -> Vec<u8> {
    let mut text = String::new();
    for brief in briefs {
        let front = &brief.front;
        let _ = writeln!(
            text,
            "{:?}",
            (
                &front.topics,
                &front.regions,
                &front.program,
                &front.authors
            )
        );
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::brief::{LoadSettings, load};
    use crate::content::{Section, Source, SourcePath};

    /// A brief loaded through the real loader, so the test keeps up with new fields.
    fn brief(slug: &str, topics: &[&str], program: Option<&str>, authors: &[&str]) -> Brief {
        let program = program.map_or(String::new(), |p| format!("program = \"{p}\"\n"));
        let text = format!(
            "+++\ntitle = \"{slug}\"\ndate = 2024-01-01\nauthors = {authors:?}\ntopics = {topics:?}\n{program}+++\n\nText.\n"
        );
        let rel = std::path::PathBuf::from(format!("content/briefs/{slug}.md"));
        let source = Source {
            path: SourcePath {
                section: Section::Brief,
                path: rel.clone(),
                rel,
                bundle: None,
            },
            text,
        };
        let settings = LoadSettings {
            root: std::path::Path::new("."),
            toc_depth: 3,
            has_template: &|_| true,
            links: &Default::default(),
            language: "en",
            lexicon: &Default::default(),
            markup: &Default::default(),
            citations: &Default::default(),
            images: &Default::default(),
        };
        load(&source, &settings).unwrap()
    }

    #[test]
    fn spellings_that_slug_the_same_are_one_term_named_by_the_first() {
        let briefs = [
            brief("a", &["Arms control"], None, &["x"]),
            brief("b", &["Arms Control", "Sanctions"], None, &["x"]),
        ];
        let tax = Taxonomies::of(&briefs);
        let names: Vec<_> = tax
            .terms(TermKind::Topic)
            .iter()
            .map(|t| (t.name.as_str(), t.briefs.clone()))
            .collect();
        assert_eq!(
            names,
            [("Arms Control", vec![0, 1]), ("Sanctions", vec![1])]
        );
        assert_eq!(
            tax.term(TermKind::Topic, "arms control")
                .unwrap()
                .site_path(),
            "topics/arms-control/"
        );
    }

    #[test]
    fn related_ranks_by_things_shared_then_newest_and_skips_strangers() {
        let briefs = [
            brief("new-one-topic", &["Nuclear"], None, &["y"]),
            brief("topic-and-program", &["Nuclear"], Some("Asia"), &["z"]),
            brief("subject", &["Nuclear", "Trade"], Some("Asia"), &["x"]),
            brief("old-one-topic", &["Trade"], None, &["w"]),
            brief("stranger", &["Farming"], None, &["v"]),
            brief("older-one-topic", &["Trade"], None, &["u"]),
        ];
        let tax = Taxonomies::of(&briefs);
        assert_eq!(tax.related(&briefs, 2, 3), [1, 0, 3]);
        assert_eq!(tax.related(&briefs, 4, 3), Vec::<usize>::new());
    }

    /// Each list is kept for the whole build: holding every candidate's room (most of the site
    /// when topics are few) made a 30,000-brief build need 4 GiB.
    #[test]
    fn related_lists_hold_only_the_briefs_they_show() {
        let briefs: Vec<Brief> = (0..50)
            .map(|i| brief(&format!("b{i:02}"), &["Nuclear"], None, &["x"]))
            .collect();
        let tax = Taxonomies::of(&briefs);
        let lists = related_lists(&tax, &briefs);
        assert_eq!(lists[0], [1, 2, 3]);
        assert!(lists.iter().all(|l| l.capacity() <= RELATED_LIMIT));
    }

    #[test]
    fn plus_and_sharp_after_a_letter_make_their_own_slug() {
        assert_eq!(term_slug("C++"), "c-plus-plus");
        assert_eq!(term_slug("C#"), "c-sharp");
        assert_eq!(term_slug("C"), "c");
        assert_eq!(term_slug("Arms + control"), "arms-control");
        assert_eq!(term_slug("???"), "");
        let briefs = [brief("a", &["C++", "C"], None, &["x"])];
        let tax = Taxonomies::of(&briefs);
        assert_eq!(tax.terms(TermKind::Topic).len(), 2);
    }

    #[test]
    fn spellings_beyond_case_are_warned_about() {
        let briefs = [
            brief("a", &["Arms control"], None, &["x"]),
            brief("b", &["Arms Control", "Arms-control"], None, &["x"]),
        ];
        let warnings = spelling_warnings(&briefs);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].to_string().starts_with("warning: content/briefs/b.md:5: topic \"Arms-control\" and \"Arms control\" (content/briefs/a.md) make the same address, topics/arms-control/"),
            "{warnings:?}"
        );
    }
}
