//! Pass: Pandoc's citation syntax (`[@key]`, `[see @a, p. 33; @b]`, `[-@key]`, narrative
//! `@key says`) becomes formatted citations.
//!
//! The pass only finds citations and puts the engine's text back in their place; what a
//! citation looks like comes from an [`Engine`] (`crate::bibliography` formats with CSL styles).
//! In a note style each citation in the body becomes a footnote of its own, which the notes
//! pass ([`super::notes::extract`], run after this one) numbers in one sequence with the brief's
//! own notes; a citation inside a note is written into that note. In an author-date style the
//! citation is written in the text.
//!
//! Text inside code, links and raw HTML is left alone, an `@` after a letter or digit (an email
//! address) is not a citation, and keys starting with `fig-` or `tbl-` are cross-references for
//! the figures pass, not citations.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// One work cited: `[see @key, p. 33]` is prefix "see", key "key", locator "p. 33".
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Cite {
    pub key: String,
    /// Text before the key ("see").
    pub prefix: String,
    /// What follows the key's comma, as written ("p. 33", "chap. 2", "emphasis added").
    pub suffix: String,
    /// `[-@key]`: the author is named in the text already.
    pub suppress_author: bool,
}

/// A citation as written: one or more works, in brackets or narrative (`@key says`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Citation {
    pub cites: Vec<Cite>,
    /// Written without brackets, as part of the sentence.
    pub narrative: bool,
    /// Written inside a footnote of the brief (so it cannot become a note itself).
    pub in_note: bool,
    /// Notes of the brief referenced in the text before this citation.
    pub notes_before: usize,
}

/// What the engine made of a document's citations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Formatted {
    /// One per citation, in order.
    pub texts: Vec<CitationText>,
    /// The entries of the references list, as HTML, in the style's order.
    pub references: Vec<String>,
}

/// The HTML of one citation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CitationText {
    /// Shown in the sentence (an author-date citation, a narrative author's name); may be "".
    pub inline: String,
    /// The content of the note the citation makes, in a note style.
    pub note: Option<String>,
}

/// The texts an engine gave a document's citations, with the citations they were given for:
/// kept with a brief, so that its PDF (which finds the same citations in the same Markdown)
/// puts them in without formatting them again ([`Replay`]). A build whose briefs come from the
/// build cache formats no citation at all.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Made {
    /// The citations formatted: those with at least one known work, in order.
    pub citations: Vec<Citation>,
    /// One per citation.
    pub texts: Vec<CitationText>,
}

/// An engine that gives the texts of [`Made`] when asked for the same citations, and asks
/// `engine` otherwise (a Markdown read differently, or by a newer pass).
pub struct Replay<'a> {
    pub engine: &'a dyn Engine,
    pub made: &'a Made,
    /// The references list formatted with them.
    pub references: &'a [String],
}

impl Engine for Replay<'_> {
    fn has(&self, key: &str) -> bool {
        self.engine.has(key)
    }

    fn format(&self, citations: &[Citation]) -> Formatted {
        if citations == self.made.citations.as_slice() {
            Formatted {
                texts: self.made.texts.clone(),
                references: self.references.to_vec(),
            }
        } else {
            self.engine.format(citations)
        }
    }
}

/// Formats citations; implemented over a bibliography by `crate::bibliography::Works`.
pub trait Engine: Sync {
    /// Whether the bibliography has a work with this key.
    fn has(&self, key: &str) -> bool;
    /// Formats every citation of one document, in order, and its references list.
    fn format(&self, citations: &[Citation]) -> Formatted;
}

/// A citation of a key that is not in the bibliography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub key: String,
    /// Byte offset of the `@` in the Markdown.
    pub offset: usize,
}

/// What the pass found besides the events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub references: Vec<String>,
    pub unknown: Vec<Unknown>,
    /// Keys of the works cited, each once, in order of first citation.
    pub cited: Vec<String>,
    /// The citations formatted and their texts.
    pub made: Made,
}

/// Label of the footnote the `n`th citation becomes; a control character keeps it apart from
/// any label an author can write.
fn note_label(n: usize) -> String {
    format!("\u{1}cite-{n}")
}

/// Replaces the citations of `events` with the engine's text (see the module docs). `source`
/// is the Markdown the offsets point into.
pub fn apply<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &str,
    engine: &dyn Engine,
) -> (Vec<(Event<'a>, Range<usize>)>, Found) {
    let scanned = scan_events(events, source);
    let mut found = Found::default();
    let mut known = Vec::new();
    for (citation, offsets) in &scanned.citations {
        let mut kept = citation.clone();
        kept.cites.clear();
        for (cite, &offset) in citation.cites.iter().zip(offsets) {
            if engine.has(&cite.key) {
                if !found.cited.contains(&cite.key) {
                    found.cited.push(cite.key.clone());
                }
                kept.cites.push(cite.clone());
            } else {
                found.unknown.push(Unknown {
                    key: cite.key.clone(),
                    offset,
                });
            }
        }
        known.push(kept);
    }
    let to_format: Vec<Citation> = known
        .iter()
        .filter(|c| !c.cites.is_empty())
        .cloned()
        .collect();
    let formatted = engine.format(&to_format);
    found.references = formatted.references;
    found.made = Made {
        citations: to_format,
        texts: formatted.texts,
    };
    let mut texts = found.made.texts.clone().into_iter();
    let mut out = Vec::with_capacity(scanned.events.len());
    let mut definitions = Vec::new();
    let mut events = scanned.events.into_iter().peekable();
    while let Some((event, range)) = events.next() {
        let Event::InlineHtml(html) = &event else {
            out.push((event, range));
            continue;
        };
        let Some(index) = placeholder_index(html) else {
            out.push((event, range));
            continue;
        };
        let citation = &known[index];
        if citation.cites.is_empty() {
            // Unknown keys only: reported as an error; the text shows what was written.
            let keys: Vec<String> = scanned.citations[index]
                .0
                .cites
                .iter()
                .map(|c| format!("@{}", c.key))
                .collect();
            out.push((Event::Text(CowStr::from(keys.join("; "))), range));
            continue;
        }
        let text = texts.next().unwrap_or_default();
        match text.note {
            Some(note) if !citation.in_note => {
                // A note's number follows the word, and punctuation, directly: "market.¹",
                // and for a narrative citation "as the World Bank.¹" (Pandoc's rule too).
                let period = text.inline.ends_with('.');
                if text.inline.is_empty() {
                    trim_end(&mut out);
                } else {
                    out.push((Event::InlineHtml(text.inline.into()), range.clone()));
                }
                if let Some(punctuation) = leading_punctuation(events.peek_mut()) {
                    // "Acemoglu et al." takes no second period.
                    let punctuation = match punctuation.strip_prefix('.') {
                        Some(rest) if period => rest.to_string(),
                        _ => punctuation,
                    };
                    if !punctuation.is_empty() {
                        out.push((Event::Text(punctuation.into()), range.clone()));
                    }
                }
                let label = note_label(index);
                out.push((
                    Event::FootnoteReference(label.clone().into()),
                    range.clone(),
                ));
                definitions.push((
                    Event::Start(Tag::FootnoteDefinition(label.into())),
                    range.clone(),
                ));
                definitions.push((Event::Start(Tag::Paragraph), range.clone()));
                definitions.push((Event::InlineHtml(note.into()), range.clone()));
                definitions.push((Event::End(TagEnd::Paragraph), range.clone()));
                definitions.push((Event::End(TagEnd::FootnoteDefinition), range));
            }
            Some(note) => {
                // Written into one of the brief's own notes: the style ends the note's
                // citation with a period, so the author's own ("See [@key].") would be a
                // second one.
                if note.ends_with('.') {
                    drop_leading_period(events.peek_mut());
                }
                out.push((Event::InlineHtml(note.into()), range));
            }
            None => out.push((Event::InlineHtml(text.inline.into()), range)),
        }
    }
    out.extend(definitions);
    (out, found)
}

/// Takes one period off the start of the next text.
fn drop_leading_period(next: Option<&mut (Event, Range<usize>)>) {
    if let Some((Event::Text(text), _)) = next
        && let Some(rest) = text.strip_prefix('.')
    {
        *text = CowStr::from(rest.to_string());
    }
}

/// Drops the space the author left before a citation that becomes a note.
fn trim_end(out: &mut [(Event, Range<usize>)]) {
    if let Some((Event::Text(text), _)) = out.last_mut() {
        let trimmed = text.trim_end();
        if trimmed.len() != text.len() {
            *text = CowStr::from(trimmed.to_string());
        }
    }
}

/// Takes the closing punctuation off the start of the next text, which goes before a note's
/// number as Chicago and Pandoc set it: "a market [@key]." becomes "a market.¹".
fn leading_punctuation(next: Option<&mut (Event, Range<usize>)>) -> Option<String> {
    let Some((Event::Text(text), _)) = next else {
        return None;
    };
    let end = text
        .char_indices()
        .find(|(_, c)| !matches!(c, '.' | ',' | ';' | ':' | '!' | '?'))
        .map_or(text.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let punctuation = text[..end].to_string();
    *text = CowStr::from(text[end..].to_string());
    Some(punctuation)
}

const PLACEHOLDER: &str = "\u{1}citation:";

fn placeholder_index(html: &str) -> Option<usize> {
    html.strip_prefix(PLACEHOLDER)?.parse().ok()
}

struct Scanned<'a> {
    /// The events with each citation replaced by a placeholder naming its index.
    events: Vec<(Event<'a>, Range<usize>)>,
    /// Each citation with the source offset of each of its keys.
    citations: Vec<(Citation, Vec<usize>)>,
}

/// Finds the citations in runs of text (see the module docs for what is skipped).
fn scan_events<'a>(events: Vec<(Event<'a>, Range<usize>)>, source: &str) -> Scanned<'a> {
    let mut out = Vec::with_capacity(events.len());
    let mut citations = Vec::new();
    let mut run: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    let mut skip = 0usize;
    let mut in_note = false;
    let mut notes_seen = std::collections::HashSet::new();
    for (event, range) in events {
        let is_text = matches!(event, Event::Text(_) | Event::SoftBreak);
        if is_text && skip == 0 {
            run.push((event, range));
            continue;
        }
        flush(
            &mut run,
            &mut out,
            &mut citations,
            source,
            in_note,
            notes_seen.len(),
        );
        match &event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::HtmlBlock,
            ) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::HtmlBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Start(Tag::FootnoteDefinition(_)) => in_note = true,
            Event::End(TagEnd::FootnoteDefinition) => in_note = false,
            Event::FootnoteReference(label) if !in_note => {
                notes_seen.insert(label.to_lowercase());
            }
            _ => {}
        }
        out.push((event, range));
    }
    flush(
        &mut run,
        &mut out,
        &mut citations,
        source,
        in_note,
        notes_seen.len(),
    );
    Scanned {
        events: out,
        citations,
    }
}

/// Moves a run of text events to `out`, with its citations replaced by placeholders.
fn flush<'a>(
    run: &mut Vec<(Event<'a>, Range<usize>)>,
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    citations: &mut Vec<(Citation, Vec<usize>)>,
    source: &str,
    in_note: bool,
    notes_before: usize,
) {
    if run.is_empty() {
        return;
    }
    let mut text = String::new();
    // Where each event's text starts in `text`, and where it is in the source.
    let mut pieces = Vec::with_capacity(run.len());
    for (event, range) in run.iter() {
        pieces.push((text.len(), range.clone()));
        match event {
            Event::Text(t) => text.push_str(t),
            _ => text.push('\n'),
        }
    }
    let found = scan(&text);
    // `\@` is written to be an at sign, not a citation.
    let found: Vec<_> = found
        .into_iter()
        .filter(|(_, _, keys)| !keys.iter().any(|&k| escaped(k, &pieces, &text, source)))
        .collect();
    if found.is_empty() {
        out.append(run);
        return;
    }
    let first_range = run[0].1.clone();
    let whole = first_range.start..run.last().map_or(first_range.end, |(_, r)| r.end);
    run.clear();
    let mut from = 0;
    for (span, mut citation, keys) in found {
        if span.start > from {
            out.push((
                Event::Text(CowStr::from(text[from..span.start].to_string())),
                whole.clone(),
            ));
        }
        citation.in_note = in_note;
        citation.notes_before = notes_before;
        let offsets: Vec<usize> = keys
            .iter()
            .map(|&k| source_offset(k, &pieces, &text, source))
            .collect();
        let at = offsets.first().copied().unwrap_or(whole.start);
        out.push((
            Event::InlineHtml(CowStr::from(format!("{PLACEHOLDER}{}", citations.len()))),
            at..at,
        ));
        citations.push((citation, offsets));
        from = span.end;
    }
    if from < text.len() {
        out.push((Event::Text(CowStr::from(text[from..].to_string())), whole));
    }
}

/// The piece of `text` that `at` falls in, and that piece's source range.
fn piece_at(at: usize, pieces: &[(usize, Range<usize>)]) -> &(usize, Range<usize>) {
    let i = pieces
        .partition_point(|(start, _)| *start <= at)
        .saturating_sub(1);
    &pieces[i]
}

/// Offset in the source of byte `at` of the merged text: exact where the event's text is the
/// source as written, else the event's start.
fn source_offset(at: usize, pieces: &[(usize, Range<usize>)], text: &str, source: &str) -> usize {
    let (start, range) = piece_at(at, pieces);
    let len = range.len();
    let written = source.get(range.clone()).unwrap_or("");
    if text.get(*start..*start + len) == Some(written) {
        range.start + (at - start)
    } else {
        range.start
    }
}

/// Whether the `@` at byte `at` of the merged text was written `\@`.
fn escaped(at: usize, pieces: &[(usize, Range<usize>)], text: &str, source: &str) -> bool {
    let offset = source_offset(at, pieces, text, source);
    source.get(offset..).is_some_and(|s| s.starts_with("\\@"))
        || source[..offset.min(source.len())].ends_with('\\')
}

/// Citations in a piece of text: (byte span replaced, the citation, offset of each key's `@`).
fn scan(text: &str) -> Vec<(Range<usize>, Citation, Vec<usize>)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' => {
                if let Some((end, citation, keys)) = bracketed(text, i) {
                    found.push((i..end, citation, keys));
                    i = end;
                    continue;
                }
            }
            b'@' if narrative_start(text, i) => {
                if let Some(len) = key_len(&text[i + 1..]) {
                    let key = &text[i + 1..i + 1 + len];
                    if !is_cross_reference(key) {
                        let citation = Citation {
                            cites: vec![Cite {
                                key: key.to_string(),
                                ..Cite::default()
                            }],
                            narrative: true,
                            in_note: false,
                            notes_before: 0,
                        };
                        found.push((i..i + 1 + len, citation, vec![i]));
                    }
                    i += 1 + len;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// A key the figures pass owns: `@fig-…` and `@tbl-…` are cross-references.
pub(super) fn is_cross_reference(key: &str) -> bool {
    key.starts_with("fig-") || key.starts_with("tbl-")
}

/// Whether the `@` at `at` can start a narrative citation: not inside a word (an email
/// address) or after another `@`.
pub(super) fn narrative_start(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => {
            !(c.is_alphanumeric() || matches!(c, '@' | '_' | '.' | '-' | '+' | '\\' | '/' | ':'))
        }
    }
}

/// Length of the citation key at the start of `s` (Pandoc's rule: a letter, digit or `_`
/// first, then those and inner punctuation `:.#$%&-+?<>~/`, never ending in punctuation).
pub(super) fn key_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut end = first.len_utf8();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            end = at + c.len_utf8();
        } else if ":.#$%&-+?<>~/".contains(c) {
            // Inner punctuation only: it must be followed by a key character.
            match chars.peek() {
                Some((_, next)) if next.is_alphanumeric() || *next == '_' => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    Some(end)
}

/// A bracketed citation starting at the `[` at `open`: its end and the offsets of its keys.
fn bracketed(text: &str, open: usize) -> Option<(usize, Citation, Vec<usize>)> {
    let rest = &text[open + 1..];
    let close = rest.find([']', '['])?;
    if rest.as_bytes()[close] != b']' {
        return None;
    }
    let inner = &rest[..close];
    if !inner.contains('@') {
        return None;
    }
    let mut cites = Vec::new();
    let mut keys = Vec::new();
    let mut from = open + 1;
    for part in inner.split(';') {
        let (cite, at) = cite_item(part)?;
        keys.push(from + at);
        cites.push(cite);
        from += part.len() + 1;
    }
    if cites.iter().any(|c| is_cross_reference(&c.key)) {
        return None;
    }
    let citation = Citation {
        cites,
        narrative: false,
        in_note: false,
        notes_before: 0,
    };
    Some((open + 1 + close + 1, citation, keys))
}

/// One item of a bracketed citation, `see -@key, p. 33`, and the offset of its `@` in `part`.
fn cite_item(part: &str) -> Option<(Cite, usize)> {
    let mut search = 0;
    let at = loop {
        let at = search + part[search..].find('@')?;
        let before = part[..at].chars().next_back();
        let ok = match before {
            None => true,
            Some('-') => part[..at - 1]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace),
            Some(c) => c.is_whitespace(),
        };
        if ok {
            break at;
        }
        search = at + 1;
    };
    let len = key_len(&part[at + 1..])?;
    let key = &part[at + 1..at + 1 + len];
    let suppress_author = part[..at].ends_with('-');
    let prefix = part[..at].trim_end_matches('-').trim();
    let after = part[at + 1 + len..].trim();
    let suffix = after.strip_prefix(',').unwrap_or(after).trim();
    Some((
        Cite {
            key: key.to_string(),
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
            suppress_author,
        },
        at,
    ))
}

#[cfg(test)]
mod tests;
