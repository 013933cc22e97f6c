//! The pages a site has: one [`Job`] per output page, and which pages show a given brief or
//! author (for serve's incremental rebuilds).

use std::collections::{BTreeMap, BTreeSet};

use crate::content::{Author, Brief, Page};
use crate::paginate::{page_count, page_path};
use crate::site::Site;
use crate::taxonomy::{Term, TermKind};

/// One page of output: what to render and where it goes.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    Home,
    Brief(&'a Brief),
    /// One page (1-based) of an author's profile and briefs.
    Author(&'a Author, usize),
    Page(&'a Page),
    NotFound,
    /// One page of the archive of every brief, `briefs/`.
    Archive(usize),
    /// One page of a topic's (region's, …) listing.
    Term(&'a Term, usize),
    /// The index of one kind of term, `topics/`.
    Terms(TermKind),
    /// The index of all authors, `authors/`.
    Authors,
    /// The search page, `search/`; it shows no brief itself (the script loads the index).
    Search,
}

pub use crate::taxonomy::RELATED_LIMIT;
/// Site-relative path of the archive of every brief.
pub const ARCHIVE_PATH: &str = "briefs/";
/// Site-relative path of the authors index.
pub const AUTHORS_PATH: &str = "authors/";

impl Job<'_> {
    /// Site-relative path of the file this job writes.
    pub fn output_path(&self) -> String {
        match self {
            Job::Home => "index.html".into(),
            Job::Brief(b) => format!("{}index.html", b.site_path()),
            Job::Author(a, n) => format!("{}index.html", page_path(&a.site_path(), *n)),
            Job::Page(p) => format!("{}index.html", p.site_path()),
            Job::NotFound => "404.html".into(),
            Job::Archive(n) => format!("{}index.html", page_path(ARCHIVE_PATH, *n)),
            Job::Term(t, n) => format!("{}index.html", page_path(&t.site_path(), *n)),
            Job::Terms(kind) => format!("{}index.html", kind.site_path()),
            Job::Authors => format!("{AUTHORS_PATH}index.html"),
            Job::Search => format!("{}index.html", crate::search::SEARCH_PATH),
        }
    }
}

/// Every page a site has, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job<'_>> {
    let per_page = site.config.paginate_by;
    let pages_of = |items: usize| 1..=page_count(items, per_page);
    let tax = &site.taxonomies;
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Authors, Job::Search];
    jobs.extend(TermKind::ALL.map(Job::Terms));
    jobs.extend(pages_of(site.briefs.len()).map(Job::Archive));
    jobs.extend(site.briefs.iter().map(Job::Brief));
    for author in site.authors.values() {
        jobs.extend(pages_of(tax.briefs_by(&author.id).len()).map(|n| Job::Author(author, n)));
    }
    for term in tax.all() {
        jobs.extend(pages_of(term.briefs.len()).map(|n| Job::Term(term, n)));
    }
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs
}

/// What decides which files a build writes and what every page's links say: the output
/// paths and the name of each term. An incremental rebuild that changes it must be a full one.
pub fn outline(site: &Site) -> Vec<String> {
    let mut outline: Vec<String> = jobs(site).iter().map(Job::output_path).collect();
    // An alias removed must take its redirect page with it.
    outline.extend(
        crate::redirects::aliases(site)
            .into_iter()
            .map(|a| a.output),
    );
    outline.extend(
        site.taxonomies
            .all()
            .map(|t| format!("{} = {}", t.site_path(), t.name)),
    );
    // Briefs are listed in date order, which an edit may change without changing any file.
    outline.sort();
    outline
}

/// The pages that show one brief or one author's briefs, for incremental rebuilds: single
/// pages by output path, and for each paginated list the pages it is shown on.
#[derive(Debug, Clone, Default)]
pub struct Showing {
    pages: BTreeSet<String>,
    /// List site path -> (first page, last page, total pages) showing it.
    lists: BTreeMap<String, (usize, usize, usize)>,
}

impl Showing {
    fn list(&mut self, path: String, position: usize, items: usize, per_page: usize) {
        let page = position / per_page.max(1) + 1;
        let total = page_count(items, per_page);
        let spot = self.lists.entry(path).or_insert((page, page, total));
        *spot = (spot.0.min(page), spot.1.max(page), total);
    }

    /// Output paths to re-render when the site went from showing `before` to showing `after`.
    /// A list the brief stayed in changes from its old to its new page (the pages between
    /// shift); a list it joined or left changes on every page (the count and the order).
    pub fn changed(before: &Showing, after: &Showing) -> BTreeSet<String> {
        let mut paths: BTreeSet<String> = before.pages.union(&after.pages).cloned().collect();
        let mut add = |list: &str, pages: std::ops::RangeInclusive<usize>| {
            paths.extend(pages.map(|n| format!("{}index.html", page_path(list, n))));
        };
        for (list, &(first, last, total)) in &before.lists {
            match after.lists.get(list) {
                Some(&(a_first, a_last, _)) => add(list, first.min(a_first)..=last.max(a_last)),
                None => add(list, 1..=total),
            }
        }
        for (list, &(_, _, total)) in &after.lists {
            if !before.lists.contains_key(list) {
                add(list, 1..=total);
            }
        }
        paths
    }
}

/// The pages showing the brief `slug`: its own page, the briefs that list it as related, its
/// place in the archive and in each of its terms' and authors' lists, and the pages that show
/// counts (home, term and author indexes).
pub fn showing_brief(site: &Site, slug: &str) -> Showing {
    let mut showing = Showing::default();
    showing.pages.insert("index.html".into());
    showing.pages.insert(format!("{AUTHORS_PATH}index.html"));
    showing
        .pages
        .extend(TermKind::ALL.map(|k| format!("{}index.html", k.site_path())));
    let Some(index) = site.briefs.iter().position(|b| b.slug == slug) else {
        return showing;
    };
    let (tax, per_page) = (&site.taxonomies, site.config.paginate_by);
    let brief = &site.briefs[index];
    showing.pages.insert(Job::Brief(brief).output_path());
    // Briefs listing this one among their related briefs show its card.
    for (other, related) in site.related.iter().enumerate() {
        if related.contains(&index) {
            showing
                .pages
                .insert(Job::Brief(&site.briefs[other]).output_path());
        }
    }
    showing.list(ARCHIVE_PATH.into(), index, site.briefs.len(), per_page);
    // Only the brief's own terms (each term's list is in site order), not every term's list.
    for kind in TermKind::ALL {
        for term in kind
            .values(brief)
            .into_iter()
            .filter_map(|v| tax.term(kind, v))
        {
            if let Ok(position) = term.briefs.binary_search(&index) {
                showing.list(term.site_path(), position, term.briefs.len(), per_page);
            }
        }
    }
    for id in &brief.front.authors {
        let list = tax.briefs_by(id);
        if let Some(position) = list.iter().position(|&i| i == index) {
            showing.list(
                crate::content::author::site_path(id),
                position,
                list.len(),
                per_page,
            );
        }
    }
    showing
}

/// The pages showing an author: every page of theirs and every page showing one of their briefs.
pub fn showing_author(site: &Site, id: &str) -> Showing {
    let mut showing = Showing::default();
    showing.pages.insert(format!("{AUTHORS_PATH}index.html"));
    let list = site.taxonomies.briefs_by(id);
    let total = page_count(list.len(), site.config.paginate_by);
    showing
        .lists
        .insert(crate::content::author::site_path(id), (1, total, total));
    for &index in list {
        let more = showing_brief(site, &site.briefs[index].slug);
        showing.pages.extend(more.pages);
        for (path, (first, last, total)) in more.lists {
            let spot = showing.lists.entry(path).or_insert((first, last, total));
            *spot = (spot.0.min(first), spot.1.max(last), total);
        }
    }
    showing
}
