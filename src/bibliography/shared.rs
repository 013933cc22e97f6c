//! Formatting shared between briefs: hayagriva's output for one work in one situation, kept for
//! the whole build so that a work cited by a hundred briefs is formatted a handful of times,
//! not a hundred.
//!
//! hayagriva formats a document at once (`BibliographyDriver`): each citation's form depends on
//! what came before it (first, subsequent, ibid, near a previous note), on the other works cited
//! (disambiguation), and the references list on the order of the works and on their neighbours
//! ("———" for a repeated author). Most of that is a function of a few facts about the citation,
//! so [`Memo`] keeps, per work and language:
//!
//! - a citation's item text for each [`Context`] (and locator, and purpose), formatted by
//!   hayagriva in a small made-up document that puts the work in that same context;
//! - the references-list entry, and the author alone (a narrative citation in a note style).
//!
//! A brief is formatted from these only when nothing else can change them (see
//! [`Memo::usable`] and `Works::format_shared`): no two of its works format alike (hayagriva
//! would then disambiguate them), no "———" between two of them, no own bibliography (its keys
//! may mean other works), and a style without citation numbers. Otherwise the brief is
//! formatted whole by hayagriva, as before. The references list's order is always hayagriva's:
//! it sorts the brief's works with the style's sort keys in a copy of the style whose layouts
//! are empty, which costs the sort and not the formatting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, ElemMeta, Entry, Library, LocatorPayload, SpecificLocator,
};

/// Where a citation of a work stands among the document's citations: the facts CSL's
/// `position` tests read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Context {
    /// No earlier citation of the work.
    pub first: bool,
    pub ibid: Ibid,
    /// A citation among the last `near-note-distance` ones cites the work.
    pub near: bool,
    /// The citation is a note (a note style, outside the brief's own notes).
    pub note: bool,
}

/// Whether the citation just before names the same work (CSL's ibid positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ibid {
    Different,
    WithLocator,
    Same,
}

/// A citation item's locator as a key: its kind and text.
pub type LocatorKey = Option<(Locator, String)>;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    key: String,
    locale: String,
    locator: LocatorKey,
    purpose: Option<CitePurpose>,
    context: Context,
}

/// One work's citation item as hayagriva formats it in one context.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item, without the style's brackets around the whole citation.
    pub children: ElemChildren,
    /// hayagriva's text of the item, which it compares to find works to disambiguate.
    pub compared: String,
    /// Its HTML, written once for every citation of the work in this context.
    pub piece: super::html::Piece,
}

impl Item {
    fn new(children: ElemChildren) -> Item {
        Item {
            compared: format!("{children}"),
            piece: super::html::piece(&children),
            children,
        }
    }
}

/// A references-list entry, and the names it starts with (for "———").
#[derive(Debug, Clone)]
pub struct Reference {
    pub html: String,
    pub names: Option<String>,
}

/// The shared formatting of one site's style (see the module docs).
#[derive(Debug, Default)]
pub struct Memo {
    items: Mutex<HashMap<ItemKey, Arc<Item>>>,
    references: Mutex<HashMap<(String, String), Arc<Reference>>>,
    authors: Mutex<HashMap<(String, String), Arc<String>>>,
    /// The style without a bibliography, for citations; with empty layouts, for sorting;
    /// whether the style can be shared at all.
    styles: OnceLock<Styles>,
    /// The library's works in the references-list order, once ranking them pays.
    pub(super) rankings: super::ranking::Rankings,
}

#[derive(Debug)]
struct Styles {
    citations: IndependentStyle,
    sorting: IndependentStyle,
    /// Without the brackets and period the layout puts around a citation.
    unaffixed: IndependentStyle,
    /// With an empty citation layout, for one work's references-list entry: hayagriva then
    /// renders no note beside it (a lone work has nothing to disambiguate its entry from).
    references: IndependentStyle,
    usable: bool,
    /// The style prints a locator only as written (no `<number variable="locator">`, which
    /// may make "12" an ordinal or a roman numeral): a plain-number locator can be put into
    /// a note formatted at [`PLACEHOLDER`].
    locator_as_written: bool,
    filler: Library,
}

/// The locator a note is formatted at once per work and context, for the citations of the
/// work at any plain-number locator (see [`Memo::located`]). A plain number, as the
/// locators it stands for, that no work's text is likely to hold.
const PLACEHOLDER: &str = "918273645";

impl Memo {
    fn styles(&self, style: &IndependentStyle) -> &Styles {
        self.styles.get_or_init(|| {
            let mut citations = style.clone();
            citations.bibliography = None;
            let mut sorting = style.clone();
            sorting.citation.layout.elements.clear();
            sorting.citation.disambiguate_add_givenname = false;
            sorting.citation.disambiguate_add_names = false;
            sorting.citation.disambiguate_add_year_suffix = false;
            if let Some(bibliography) = &mut sorting.bibliography {
                bibliography.layout.elements.clear();
                bibliography.subsequent_author_substitute = None;
            }
            let mut references = style.clone();
            references.citation.layout.elements.clear();
            let mut unaffixed = style.clone();
            unaffixed.citation.layout.prefix = None;
            unaffixed.citation.layout.suffix = None;
            // A style that numbers its works, or reads the note a work was first cited in,
            // formats a work differently in every brief.
            let xml = Style::Independent(style.clone())
                .to_xml()
                .unwrap_or_default();
            let usable = !xml.is_empty()
                && !xml.contains("citation-number")
                && !xml.contains("first-reference-note-number");
            let locator_as_written = !xml.is_empty() && !numbers_locator(&xml);
            let filler = filler_work();
            Styles {
                citations,
                sorting,
                unaffixed,
                references,
                usable,
                locator_as_written,
                filler,
            }
        })
    }

    /// `style` without the brackets and period around a citation (for an author's name).
    pub fn unaffixed(&self, style: &IndependentStyle) -> &IndependentStyle {
        &self.styles(style).unaffixed
    }

    /// Whether briefs can share formatting in `style` (it numbers nothing per document).
    pub fn usable(&self, style: &IndependentStyle) -> bool {
        self.styles(style).usable
    }

    /// The work's citation item in `context`, formatted on first use.
    #[allow(clippy::too_many_arguments)]
    pub fn item(
        &self,
        entry: &Entry,
        locator: Option<SpecificLocator>,
        locator_key: LocatorKey,
        purpose: Option<CitePurpose>,
        context: Context,
        style: &IndependentStyle,
        locale: &LocaleCode,
        locales: &[Locale],
    ) -> Arc<Item> {
        let key = ItemKey {
            key: entry.key().to_string(),
            locale: locale.0.clone(),
            locator: locator_key,
            purpose,
            context,
        };
        if let Some(item) = lock(&self.items).get(&key) {
            return item.clone();
        }
        let styles = self.styles(style);
        let filler = styles.filler.iter().next();
        let item = Arc::new(situated(
            entry,
            locator,
            purpose,
            context,
            Made {
                style: &styles.citations,
                locale,
                locales,
                filler,
                distance: style.citation.near_note_distance as usize,
            },
        ));
        lock(&self.items).insert(key, item.clone());
        item
    }

    /// The work's citation item at `locator` in `context`. A plain-number locator ("12") in
    /// a style that prints it as written is put into the item formatted at [`PLACEHOLDER`]
    /// (one hayagriva run per work and context instead of one per page cited); any other
    /// locator, or a placeholder that does not show exactly once, is formatted itself.
    /// `bare` is the item without a locator, in the same context: a work whose text holds the
    /// placeholder's digits is formatted itself too.
    #[allow(clippy::too_many_arguments)]
    pub fn located(
        &self,
        entry: &Entry,
        locator: SpecificLocator,
        purpose: Option<CitePurpose>,
        context: Context,
        bare: &Item,
        style: &IndependentStyle,
        locale: &LocaleCode,
        locales: &[Locale],
    ) -> Arc<Item> {
        let kind = locator.0;
        let text = match &locator.1 {
            LocatorPayload::Str(text) => Some(*text),
            LocatorPayload::Transparent(_) => None,
        };
        if let Some(text) = text.filter(|t| plain_number(t))
            && self.styles(style).locator_as_written
            && !bare.compared.contains(PLACEHOLDER)
        {
            let template = self.item(
                entry,
                Some(SpecificLocator(kind, LocatorPayload::Str(PLACEHOLDER))),
                Some((kind, PLACEHOLDER.to_string())),
                purpose,
                context,
                style,
                locale,
                locales,
            );
            if let Some(item) = put_locator(&template, text) {
                return Arc::new(item);
            }
        }
        let key = Some((kind, text.unwrap_or_default().to_string()));
        self.item(
            entry,
            Some(locator),
            key,
            purpose,
            context,
            style,
            locale,
            locales,
        )
    }

    /// How many citation items hayagriva formatted.
    #[cfg(test)]
    pub fn formatted_items(&self) -> usize {
        lock(&self.items).len()
    }

    /// How many of them at [`PLACEHOLDER`].
    #[cfg(test)]
    pub fn formatted_at_placeholder(&self) -> usize {
        lock(&self.items)
            .keys()
            .filter(|k| k.locator.as_ref().is_some_and(|l| l.1 == PLACEHOLDER))
            .count()
    }

    /// The work's references-list entry, formatted on first use.
    pub fn reference(
        &self,
        entry: &Entry,
        style: &IndependentStyle,
        locale: &LocaleCode,
        locales: &[Locale],
    ) -> Arc<Reference> {
        let key = (entry.key().to_string(), locale.0.clone());
        if let Some(reference) = lock(&self.references).get(&key) {
            return reference.clone();
        }
        let references = &self.styles(style).references;
        let mut driver = BibliographyDriver::new();
        driver.citation(CitationRequest::new(
            vec![CitationItem::new(entry, None, None, true, None)],
            references,
            Some(locale.clone()),
            locales,
            Some(1),
        ));
        let rendered = driver.finish(BibliographyRequest::new(
            references,
            Some(locale.clone()),
            locales,
        ));
        let content = rendered
            .bibliography
            .and_then(|b| b.items.into_iter().next())
            .map(|item| item.content)
            .unwrap_or_default();
        let reference = Arc::new(Reference {
            html: super::html(&content),
            names: first_name(&content.0).map(|name| format!("{name:?}")),
        });
        lock(&self.references).insert(key, reference.clone());
        reference
    }

    /// The author alone, as `make` formats it, on first use.
    pub fn author(
        &self,
        entry: &Entry,
        locale: &LocaleCode,
        make: impl FnOnce() -> String,
    ) -> Arc<String> {
        let key = (entry.key().to_string(), locale.0.clone());
        if let Some(author) = lock(&self.authors).get(&key) {
            return author.clone();
        }
        let author = Arc::new(make());
        lock(&self.authors).insert(key, author.clone());
        author
    }

    /// `entries`, works of the site's `library`, in the style's references-list order, by
    /// hayagriva's sort (ties keep the order given, as hayagriva's do): by their ranks in the
    /// library once it is ranked (see [`super::ranking`]), else by sorting them.
    pub fn sorted<'e>(
        &self,
        entries: &[&'e Entry],
        library: &Library,
        style: &IndependentStyle,
        locale: &LocaleCode,
        locales: &[Locale],
    ) -> Vec<&'e Entry> {
        let sorting = &self.styles(style).sorting;
        if sorting
            .bibliography
            .as_ref()
            .is_none_or(|b| b.sort.is_none())
            || entries.len() < 2
        {
            return entries.to_vec();
        }
        if let Some(ranks) = self
            .rankings
            .ranks(library, sorting, locale, locales, entries.len())
        {
            let ranked: Option<Vec<(usize, &Entry)>> = entries
                .iter()
                .map(|e| ranks.get(e.key()).map(|rank| (*rank, *e)))
                .collect();
            if let Some(mut ranked) = ranked {
                // Stable: works of one rank keep the brief's order.
                ranked.sort_by_key(|(rank, _)| *rank);
                return ranked.into_iter().map(|(_, e)| e).collect();
            }
        }
        let rendered = references_of(entries.iter().copied(), sorting, locale, locales);
        let order: Vec<String> = rendered
            .bibliography
            .map(|b| b.items.into_iter().map(|item| item.key).collect())
            .unwrap_or_default();
        let mut sorted: Vec<&Entry> = order
            .iter()
            .filter_map(|key| entries.iter().find(|e| e.key() == key).copied())
            .collect();
        if sorted.len() != entries.len() {
            sorted = entries.to_vec();
        }
        sorted
    }
}

/// hayagriva's rendering of a document that cites each of `entries` once: its references list
/// is what `style` makes of them (their order, or one entry's reference).
pub(crate) fn references_of<'e>(
    entries: impl IntoIterator<Item = &'e Entry>,
    style: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> hayagriva::Rendered {
    let mut driver = BibliographyDriver::new();
    for entry in entries {
        driver.citation(CitationRequest::new(
            vec![CitationItem::new(entry, None, None, true, None)],
            style,
            Some(locale.clone()),
            locales,
            None,
        ));
    }
    driver.finish(BibliographyRequest::new(
        style,
        Some(locale.clone()),
        locales,
    ))
}

/// The work that stands between two citations of another in a made-up document: a title and
/// author from Unicode's private use area, which no real work's text holds (and YAML accepts,
/// unlike a control character), so it is never taken for, or disambiguated from, a real one.
pub(super) fn filler_work() -> Library {
    hayagriva::io::from_yaml_str(
        "brief-filler-work:\n  type: misc\n  title: \"\u{E000}\"\n  author: \"\u{E000}\"\n",
    )
    .unwrap_or_default()
}

/// What a made-up document is formatted with.
struct Made<'a> {
    style: &'a IndependentStyle,
    locale: &'a LocaleCode,
    locales: &'a [Locale],
    /// A work that is not the one formatted, to stand between two citations of it.
    filler: Option<&'a Entry>,
    distance: usize,
}

/// Formats `entry` in a document whose earlier citations put its last citation in `context`:
/// none before a first citation; the work itself just before an ibid; another work between,
/// and enough others to be far from the previous note when it is not near.
fn situated(
    entry: &Entry,
    locator: Option<SpecificLocator>,
    purpose: Option<CitePurpose>,
    context: Context,
    made: Made,
) -> Item {
    let mut before: Vec<(&Entry, Option<SpecificLocator>)> = Vec::new();
    if !context.first {
        match context.ibid {
            Ibid::Same => before.push((entry, locator.clone())),
            Ibid::WithLocator => before.push((entry, None)),
            Ibid::Different => {
                before.push((entry, None));
                let fillers = if context.near || !context.note {
                    1
                } else {
                    made.distance.max(1)
                };
                if let Some(filler) = made.filler {
                    before.extend((0..fillers).map(|_| (filler, None)));
                }
            }
        }
    }
    // The filler reads like no real work, so nothing here is ambiguous: one rendering each.
    let mut driver = BibliographyDriver::new().assume_unambiguous();
    let count = before.len();
    for (n, (work, at)) in before.into_iter().enumerate() {
        driver.citation(CitationRequest::new(
            vec![CitationItem::new(work, at, None, false, None)],
            made.style,
            Some(made.locale.clone()),
            made.locales,
            context.note.then_some(n + 1),
        ));
    }
    driver.citation(CitationRequest::new(
        vec![CitationItem::new(entry, locator, None, false, purpose)],
        made.style,
        Some(made.locale.clone()),
        made.locales,
        context.note.then_some(count + 1),
    ));
    let rendered = driver.finish(BibliographyRequest::new(
        made.style,
        Some(made.locale.clone()),
        made.locales,
    ));
    let children = rendered
        .citations
        .last()
        .map(|c| item_of(&c.citation))
        .unwrap_or_default();
    Item::new(children)
}

/// Whether a locator is a number as hayagriva prints it back: digits without a leading zero,
/// small enough for its numbers (it reads "012" as 12, and "3-5" or "iv" are no numbers).
fn plain_number(text: &str) -> bool {
    (1..=9).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && !text.starts_with('0')
}

/// Whether a style's XML prints the locator through `<number>`, whose form (ordinal, roman)
/// depends on the number.
fn numbers_locator(xml: &str) -> bool {
    xml.match_indices("<number").any(|(at, _)| {
        let tag = &xml[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        tag.contains("variable=\"locator\"") || tag.contains("variable='locator'")
    })
}

/// `template`, formatted at [`PLACEHOLDER`], with `locator` in its place; `None` when the
/// placeholder shows more than once or inside a link (whose address it may be part of).
fn put_locator(template: &Item, locator: &str) -> Option<Item> {
    let mut found = 0;
    let children = replaced(&template.children, locator, &mut found)?;
    if found > 1 {
        return None;
    }
    Some(Item::new(children))
}

/// `children` with each [`PLACEHOLDER`] of their text replaced by `locator`, counted in
/// `found`; `None` if one is in a link.
fn replaced(children: &ElemChildren, locator: &str, found: &mut usize) -> Option<ElemChildren> {
    let mut out = Vec::with_capacity(children.0.len());
    for child in &children.0 {
        out.push(match child {
            ElemChild::Text(text) if text.text.contains(PLACEHOLDER) => {
                *found += text.text.matches(PLACEHOLDER).count();
                ElemChild::Text(hayagriva::Formatted {
                    text: text.text.replace(PLACEHOLDER, locator),
                    formatting: text.formatting,
                })
            }
            ElemChild::Elem(elem) => ElemChild::Elem(hayagriva::Elem {
                children: replaced(&elem.children, locator, found)?,
                display: elem.display,
                meta: elem.meta.clone(),
            }),
            ElemChild::Link { text, url }
                if text.text.contains(PLACEHOLDER) || url.contains(PLACEHOLDER) =>
            {
                return None;
            }
            ElemChild::Markup(markup) if markup.contains(PLACEHOLDER) => return None,
            other => other.clone(),
        });
    }
    Some(ElemChildren(out))
}

/// The one item of a formatted citation: the element hayagriva marks as an entry.
fn item_of(citation: &ElemChildren) -> ElemChildren {
    citation
        .0
        .iter()
        .find_map(|child| match child {
            ElemChild::Elem(elem) if matches!(elem.meta, Some(ElemMeta::Entry(_))) => {
                Some(elem.children.clone())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// The first name in a formatted entry: two entries can share a "———" only if they share it.
fn first_name(children: &[ElemChild]) -> Option<&hayagriva::Elem> {
    children.iter().find_map(|child| match child {
        ElemChild::Elem(elem) if matches!(elem.meta, Some(ElemMeta::Name(..))) => Some(elem),
        ElemChild::Elem(elem) => first_name(&elem.children.0),
        _ => None,
    })
}

/// The map behind a lock; a panic while it was held leaves a map that is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
