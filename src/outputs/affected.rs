//! Which outputs an edit changes, for `brief serve`'s incremental rebuilds.
//!
//! - config, a theme template or static file, a page, a bundle file, or a new, removed or
//!   renamed brief or author: everything ([`super::Scope::All`]), a full build;
//! - one brief or author edited in place, as long as the [`outline`] stays the same: the pages
//!   showing it ([`showing_brief`], [`showing_author`], [`Showing::changed`]), the feeds
//!   listing it, and the files derived from them, plus the outputs that list every brief (see
//!   [`super::Refresh`]).

use std::collections::{BTreeMap, BTreeSet};

use super::pages::Job;
use super::routes::{self, ARCHIVE, AUTHORS};
use crate::paginate::{page_count, page_path};
use crate::seo::feed::Feed;
use crate::site::Site;
use crate::taxonomy::TermKind;

/// What decides which files a build writes and what every page's links say, besides the set
/// of briefs and pages (an edit in place keeps those, or its caller sees a new slug): the name
/// and number of pages of each term's list, the number of pages of each author's, and every
/// alias. An incremental rebuild that changes it must be a full one. Built from counts, not
/// from every page's path, so that it costs next to nothing on a site of 10,000 briefs.
pub fn outline(site: &Site) -> Vec<String> {
    let per_page = site.config.paginate_by;
    let tax = &site.taxonomies;
    let mut outline: Vec<String> = tax
        .all()
        .map(|t| {
            let pages = page_count(t.briefs.len(), per_page);
            format!("{} = {} ({pages})", t.site_path(), t.name)
        })
        .collect();
    outline.extend(site.authors.keys().map(|id| {
        let pages = page_count(tax.briefs_by(id).len(), per_page);
        format!("{id} ({pages})")
    }));
    // An alias removed must take its redirect page with it.
    let briefs = site.briefs.iter().map(|b| &b.front.aliases);
    let pages = site.pages.iter().map(|p| &p.front.aliases);
    outline.extend(briefs.chain(pages).flatten().map(|a| format!("alias {a}")));
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
            paths.extend(pages.map(|n| routes::page_file(&page_path(list, n))));
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
/// place in the archive and in each of its terms' and authors' lists, the pages that show
/// counts (home, term and author indexes), and the feeds listing it (by their file's path).
pub fn showing_brief(site: &Site, slug: &str) -> Showing {
    let mut showing = Showing::default();
    showing.pages.insert(routes::HOME.into());
    showing.pages.insert(routes::page_file(AUTHORS));
    showing
        .pages
        .extend(TermKind::ALL.map(|k| routes::page_file(&k.site_path())));
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
    showing.list(ARCHIVE.into(), index, site.briefs.len(), per_page);
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
    showing.pages.extend(feeds_listing(site, index));
    showing
}

/// The paths of the feeds listing the brief at `index`: of the feeds that could (the site's,
/// its terms' and its authors'), those whose newest entries include it. Feeds carry full
/// texts, so on a site of many authors re-rendering every feed after an edit would cost more
/// than everything else an edit does.
fn feeds_listing(site: &Site, index: usize) -> Vec<String> {
    let brief = &site.briefs[index];
    let terms = TermKind::ALL.into_iter().flat_map(|kind| {
        kind.values(brief)
            .into_iter()
            .filter_map(move |v| site.taxonomies.term(kind, v))
    });
    let authors = brief
        .front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id));
    std::iter::once(Feed::Site)
        .chain(terms.map(Feed::Term))
        .chain(authors.map(Feed::Author))
        .filter(|feed| feed.entries(site).iter().any(|b| std::ptr::eq(*b, brief)))
        .map(|feed| feed.site_path())
        .collect()
}

/// The pages showing an author: every page of theirs and every page showing one of their briefs.
pub fn showing_author(site: &Site, id: &str) -> Showing {
    let mut showing = Showing::default();
    showing.pages.insert(routes::page_file(AUTHORS));
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
