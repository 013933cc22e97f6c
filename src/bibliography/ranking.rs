//! The references-list order of every work of the site's bibliography, found once per build
//! and language, so that a brief's list is put in order without sorting it again.
//!
//! hayagriva sorts a references list with the style's sort keys, and each comparison renders
//! the keys' macros and builds an ICU collator: sorting each brief's 20-odd works cost more
//! than formatting them. A ranking is one hayagriva sort of the whole library, plus a check of
//! each pair of neighbours, which tells apart the works the sort keys order from those they
//! cannot (equal rank). A brief's works sorted by rank, ties in the brief's own order, are
//! then what hayagriva's stable sort of them gives.
//!
//! Ranking the library costs about as much as sorting it once, which a site with a large
//! library and few briefs never repays; so briefs are sorted one by one until they have sorted
//! as many works as the library holds, and the first brief past that point ranks the library
//! (the others go on sorting theirs meanwhile).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode};
use hayagriva::{Entry, Library};

use super::shared::references_of;

/// Each work's place in the style's order, by key; works the sort keys cannot tell apart
/// share one.
pub type Ranks = HashMap<String, usize>;

/// The rankings of one build, by language.
#[derive(Debug, Default)]
pub struct Rankings {
    /// Works sorted brief by brief so far.
    sorted_alone: AtomicUsize,
    by_locale: Mutex<HashMap<String, Arc<Ranking>>>,
}

#[derive(Debug, Default)]
struct Ranking {
    started: AtomicBool,
    /// `None` when hayagriva's order could not be read back (then briefs sort alone).
    ranks: OnceLock<Option<Arc<Ranks>>>,
}

impl Rankings {
    /// The ranks of the library's works in `locale`, once they pay: `None` until briefs have
    /// sorted as many works as the library holds, and while another thread ranks. `works` is
    /// how many the caller will otherwise sort.
    pub fn ranks(
        &self,
        library: &Library,
        sorting: &IndependentStyle,
        locale: &LocaleCode,
        locales: &[Locale],
        works: usize,
    ) -> Option<Arc<Ranks>> {
        let ranking = self.ranking(locale);
        if let Some(ranks) = ranking.ranks.get() {
            return ranks.clone();
        }
        let sorted = self.sorted_alone.fetch_add(works, Ordering::Relaxed) + works;
        if sorted < library.len() || ranking.started.swap(true, Ordering::AcqRel) {
            return None;
        }
        ranking
            .ranks
            .get_or_init(|| rank(library, sorting, locale, locales).map(Arc::new))
            .clone()
    }

    fn ranking(&self, locale: &LocaleCode) -> Arc<Ranking> {
        let mut map = self
            .by_locale
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(locale.0.clone()).or_default().clone()
    }
}

/// The ranks of every work of `library` in `sorting`'s references-list order.
fn rank(
    library: &Library,
    sorting: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> Option<Ranks> {
    let order = order_of(library.iter(), library, sorting, locale, locales)?;
    let mut ranks = Ranks::with_capacity(order.len());
    let mut rank = 0;
    for (i, entry) in order.iter().enumerate() {
        if i > 0 && !tied(order[i - 1], entry, library, sorting, locale, locales)? {
            rank += 1;
        }
        ranks.insert(entry.key().to_string(), rank);
    }
    Some(ranks)
}

/// Whether the sort keys cannot tell `a` from `b`, which follows it in their order: a stable
/// sort then keeps `b` first when given first.
fn tied(
    a: &Entry,
    b: &Entry,
    library: &Library,
    sorting: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> Option<bool> {
    let order = order_of([b, a], library, sorting, locale, locales)?;
    Some(order.first().is_some_and(|first| first.key() == b.key()))
}

/// `entries` in the order hayagriva's references list puts them, or `None` if its keys do
/// not name them all.
fn order_of<'l>(
    entries: impl IntoIterator<Item = &'l Entry>,
    library: &'l Library,
    sorting: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> Option<Vec<&'l Entry>> {
    let entries: Vec<&Entry> = entries.into_iter().collect();
    let rendered = references_of(entries.iter().copied(), sorting, locale, locales);
    let order: Vec<&Entry> = rendered
        .bibliography?
        .items
        .iter()
        .map(|item| library.get(&item.key))
        .collect::<Option<_>>()?;
    (order.len() == entries.len()).then_some(order)
}
