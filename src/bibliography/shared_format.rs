//! A brief's citations and references list put together from [`Memo`]'s shared formatting,
//! when that gives what hayagriva would give for the whole brief (see `shared`'s module docs).

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

use hayagriva::citationberg::{Layout, ToFormatting};
use hayagriva::{Elem, ElemChild, ElemChildren, ElemMeta, Entry, Formatted as Text, Formatting};

use super::html::Joiner;
use super::shared::{Context, Ibid, Item, LocatorKey, Memo};
use super::{Planned, Works, locator};

impl Works<'_> {
    /// Each citation's HTML and the references, or `None` when the brief must be formatted
    /// whole: it has its own bibliography, the style numbers works or groups the works of a
    /// citation, or two of its works would be disambiguated or share a "———".
    pub(super) fn format_shared(&self, planned: &[Planned]) -> Option<(Vec<String>, Vec<String>)> {
        let style = self.site.style();
        let memo: &Memo = &self.site.memo;
        if !self.own.is_empty() || !memo.usable(style) {
            return None;
        }
        let citation = &style.citation;
        let groups = citation.sort.is_some()
            || citation.collapse.is_some()
            || citation.cite_group_delimiter.is_some();
        if groups && planned.iter().any(|p| p.items.len() > 1) {
            return None;
        }
        let locale = self.locale();
        let locales = self.site.locales(&locale);
        let locales = &*locales;
        let contexts = contexts(planned, citation.near_note_distance as usize)?;
        let mut compared: HashMap<String, &str> = HashMap::new();
        let mut ibid_works: Vec<&str> = Vec::new();
        let mut texts = Vec::with_capacity(planned.len());
        for (request, contexts) in planned.iter().zip(&contexts) {
            let mut items = Vec::with_capacity(request.items.len());
            for (item, &context) in request.items.iter().zip(contexts) {
                let key = item.entry.key();
                let at = locator(item.suffix);
                let bare = memo.item(
                    item.entry,
                    None,
                    None,
                    item.purpose,
                    context,
                    style,
                    &locale,
                    locales,
                );
                let formatted = match at {
                    Some(at) => memo.located(
                        item.entry,
                        at,
                        item.purpose,
                        context,
                        &bare,
                        style,
                        &locale,
                        locales,
                    ),
                    None => std::sync::Arc::clone(&bare),
                };
                // hayagriva disambiguates works whose citations (without locators) read
                // alike; "Ibid." reads alike for every work.
                if context.ibid != Ibid::Different {
                    if !ibid_works.contains(&key) {
                        ibid_works.push(key);
                    }
                    if ibid_works.len() > 1 {
                        return None;
                    }
                } else {
                    let text = bare.compared.clone();
                    match compared.entry(text) {
                        Slot::Occupied(slot) if *slot.get() != key => return None,
                        Slot::Occupied(_) => {}
                        Slot::Vacant(slot) => {
                            slot.insert(key);
                        }
                    }
                }
                items.push(formatted);
            }
            texts.push(if request.items.iter().all(|i| i.hidden) {
                String::new()
            } else if request.items.iter().any(|i| i.no_author) {
                request.html(&citation_children(&items, &citation.layout, request))
            } else {
                citation_html(&items, &citation.layout, request)
            });
        }
        let references = self.references_shared(planned)?;
        Some((texts, references))
    }

    /// The references list from shared entries, in the style's order.
    fn references_shared(&self, planned: &[Planned]) -> Option<Vec<String>> {
        let style = self.site.style();
        let Some(bibliography) = &style.bibliography else {
            return Some(Vec::new());
        };
        let memo = &self.site.memo;
        let locale = self.locale();
        let locales = self.site.locales(&locale);
        let locales = &*locales;
        let mut entries: Vec<&Entry> = Vec::new();
        for item in planned.iter().flat_map(|p| &p.items) {
            if !entries.iter().any(|e| e.key() == item.entry.key()) {
                entries.push(item.entry);
            }
        }
        let sorted = memo.sorted(&entries, &self.site.library, style, &locale, locales);
        let references: Vec<_> = sorted
            .iter()
            .map(|entry| memo.reference(entry, style, &locale, locales))
            .collect();
        if bibliography.subsequent_author_substitute.is_some() {
            let mut names: Vec<&String> =
                references.iter().filter_map(|r| r.names.as_ref()).collect();
            let count = names.len();
            names.sort();
            names.dedup();
            if names.len() != count {
                return None;
            }
        }
        Some(references.iter().map(|r| r.html.clone()).collect())
    }
}

/// Where each item of each citation stands (hayagriva's rules for positions), or `None`
/// for a context [`Memo`] cannot make up (an ibid far from the note before).
fn contexts(planned: &[Planned], distance: usize) -> Option<Vec<Vec<Context>>> {
    let mut seen: Vec<&str> = Vec::new();
    let mut last: Option<(&str, LocatorKey, bool)> = None;
    let mut out = Vec::with_capacity(planned.len());
    for (n, request) in planned.iter().enumerate() {
        let note = request.note_number.is_some();
        let mut contexts = Vec::with_capacity(request.items.len());
        for item in &request.items {
            let key = item.entry.key();
            let at: LocatorKey = locator(item.suffix).map(|l| (l.0, locator_text(&l.1)));
            let first = !seen.contains(&key);
            if first {
                seen.push(key);
            }
            let ibid = match &last {
                Some((k, l, hidden)) if *k == key && !hidden => {
                    if *l == at {
                        Ibid::Same
                    } else if at.is_none() {
                        Ibid::Different
                    } else {
                        Ibid::WithLocator
                    }
                }
                _ => Ibid::Different,
            };
            let near = note
                && planned[n.saturating_sub(distance)..n].iter().any(|p| {
                    p.note_number.is_some() && p.items.iter().any(|i| i.entry.key() == key)
                });
            if !first && ibid != Ibid::Different && note && !near {
                return None;
            }
            contexts.push(Context {
                first,
                ibid,
                near,
                note,
            });
            last = Some((key, at, item.hidden));
        }
        out.push(contexts);
    }
    Some(out)
}

fn locator_text(payload: &hayagriva::LocatorPayload) -> String {
    match payload {
        hayagriva::LocatorPayload::Str(text) => text.to_string(),
        hayagriva::LocatorPayload::Transparent(_) => String::new(),
    }
}

/// A citation as hayagriva assembles one: the layout's prefix, the items joined by its
/// delimiter, its suffix unless the last item ends with it; affixes only when no item asks
/// for a special form (a narrative citation).
fn citation_children(
    items: &[std::sync::Arc<Item>],
    layout: &Layout,
    request: &Planned,
) -> ElemChildren {
    let formatting = formatting(layout);
    let affixes = request.items.iter().all(|i| i.purpose.is_none());
    let text = |text: &str| {
        ElemChild::Text(Text {
            text: text.to_string(),
            formatting,
        })
    };
    let mut children = Vec::new();
    if let Some(prefix) = layout.prefix.as_deref().filter(|_| affixes) {
        children.push(text(prefix));
    }
    for (i, item) in items.iter().enumerate() {
        if i != 0
            && let Some(delimiter) = layout.delimiter.as_deref()
        {
            children.push(text(delimiter));
        }
        children.push(ElemChild::Elem(Elem {
            children: item.children.clone(),
            display: None,
            meta: Some(ElemMeta::Entry(i)),
        }));
    }
    if let Some(suffix) = layout.suffix.as_deref().filter(|_| affixes)
        && last_text(&children).is_none_or(|t| !t.ends_with(suffix))
    {
        children.push(text(suffix));
    }
    ElemChildren(children)
}

/// The HTML of the citation [`citation_children`] makes, written from its items' pieces.
fn citation_html(items: &[std::sync::Arc<Item>], layout: &Layout, request: &Planned) -> String {
    let formatting = formatting(layout);
    let affixes = request.items.iter().all(|i| i.purpose.is_none());
    let text = |text: &str| Text {
        text: text.to_string(),
        formatting,
    };
    let mut joiner = Joiner::default();
    if let Some(prefix) = layout.prefix.as_deref().filter(|_| affixes) {
        joiner.text(&text(prefix));
    }
    for (i, item) in items.iter().enumerate() {
        if i != 0
            && let Some(delimiter) = layout.delimiter.as_deref()
        {
            joiner.text(&text(delimiter));
        }
        joiner.item(&item.piece, &item.children);
    }
    if let Some(suffix) = layout.suffix.as_deref().filter(|_| affixes) {
        // hayagriva's test: the last leaf of the citation so far.
        let last = match items.last() {
            Some(item) => last_text(&item.children.0),
            None => layout.prefix.as_deref().filter(|_| affixes),
        };
        if last.is_none_or(|t| !t.ends_with(suffix)) {
            joiner.text(&text(suffix));
        }
    }
    joiner.finish()
}

/// The text of the last leaf, as hayagriva checks it before adding a citation's suffix.
fn last_text(children: &[ElemChild]) -> Option<&str> {
    children.last().and_then(|child| match child {
        ElemChild::Text(text) => Some(text.text.as_str()),
        ElemChild::Elem(elem) => last_text(&elem.children.0),
        _ => None,
    })
}

/// The layout's own formatting, applied to its affixes and delimiters.
fn formatting(layout: &Layout) -> Formatting {
    let own = layout.to_formatting();
    let mut out = Formatting::default();
    if let Some(style) = own.font_style {
        out.font_style = style;
    }
    if let Some(variant) = own.font_variant {
        out.font_variant = variant;
    }
    if let Some(weight) = own.font_weight {
        out.font_weight = weight;
    }
    if let Some(decoration) = own.text_decoration {
        out.text_decoration = decoration;
    }
    if let Some(align) = own.vertical_align {
        out.vertical_align = align;
    }
    out
}
