//! The HTML pages a site has: one [`Job`] per page, with the file it is written to. What each
//! page shows is [`crate::render::Renderer`]'s business; which pages an edit changes is
//! [`super::affected`]'s.

use std::path::Path;

use super::routes::{self, ARCHIVE, AUTHORS, SEARCH};
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

impl Job<'_> {
    /// Site-relative path of the file this job writes.
    pub fn output_path(&self) -> String {
        match self {
            Job::Home => routes::HOME.into(),
            Job::NotFound => routes::NOT_FOUND.into(),
            _ => routes::page_file(&self.site_path()),
        }
    }

    /// Site-relative address of the page: its folder (`briefs/x/`, `""` for the home page),
    /// or the file itself for the 404 page.
    pub fn site_path(&self) -> String {
        match self {
            Job::Home => String::new(),
            Job::Brief(b) => b.site_path(),
            Job::Author(a, n) => page_path(&a.site_path(), *n),
            Job::Page(p) => p.site_path(),
            Job::NotFound => routes::NOT_FOUND.into(),
            Job::Archive(n) => page_path(ARCHIVE, *n),
            Job::Term(t, n) => page_path(&t.site_path(), *n),
            Job::Terms(kind) => kind.site_path(),
            Job::Authors => AUTHORS.into(),
            Job::Search => SEARCH.into(),
        }
    }

    /// The file a page shows, for messages: a brief's, a page's, an author's (first page).
    pub fn source(&self) -> Option<&Path> {
        match self {
            Job::Brief(b) => Some(&b.source),
            Job::Page(p) => Some(&p.source),
            Job::Author(a, 1) => Some(&a.source),
            _ => None,
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
