//! Pass: cross-references to figures and tables. `@fig-launches` in the text becomes a link
//! to the figure reading its label ("Figure 2"), as in Quarto; an id that no figure or table
//! of the document has stays as written and is reported as a warning. Only `@fig-…` and
//! `@tbl-…` are taken: every other `@key` is a citation's (issue 14), and text in code, code
//! blocks and links is left alone.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Replaces references in `events`; returns the events and warnings at byte offsets.
pub fn link<'a>(
    events: super::figures::Located<'a>,
    labels: &BTreeMap<String, String>,
) -> (super::figures::Located<'a>, Vec<(usize, String)>) {
    let mut out = Vec::with_capacity(events.len());
    let mut warnings = Vec::new();
    // Inside a code block or a link, text is not prose to link from.
    let mut skip = 0usize;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. }) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link) => skip = skip.saturating_sub(1),
            Event::Text(text)
                if skip == 0 && (text.contains("@fig-") || text.contains("@tbl-")) =>
            {
                let text = text.to_string();
                // The text maps byte for byte onto the source unless it held escapes or
                // entities; then a warning points at the start of the text.
                let exact = range.len() == text.len();
                let mut at = 0;
                for piece in split(&text) {
                    let offset = if exact { range.start + at } else { range.start };
                    at += match piece {
                        Piece::Text(t) => t.len(),
                        Piece::Ref(id) => id.len() + 1,
                    };
                    match piece {
                        Piece::Text(t) => {
                            out.push((Event::Text(CowStr::from(t.to_string())), range.clone()))
                        }
                        Piece::Ref(id) => match labels.get(id) {
                            Some(label) => out.push((
                                Event::InlineHtml(CowStr::from(format!(
                                    "<a class=\"xref\" href=\"#{}\">{}</a>",
                                    super::figures::attr(id),
                                    super::figures::attr(label)
                                ))),
                                range.clone(),
                            )),
                            None => {
                                warnings.push((
                                    offset,
                                    format!("`@{id}` refers to no figure or table of this document; give one id = \"{id}\", or correct the reference"),
                                ));
                                out.push((
                                    Event::Text(CowStr::from(format!("@{id}"))),
                                    range.clone(),
                                ));
                            }
                        },
                    }
                }
                continue;
            }
            _ => {}
        }
        out.push((event, range));
    }
    (out, warnings)
}

#[derive(Debug, PartialEq)]
enum Piece<'t> {
    Text(&'t str),
    /// The id, without its `@`.
    Ref(&'t str),
}

/// Splits text into plain runs and references. A reference is a citation key (the citations
/// pass's rule, Pandoc's, so that both passes read `@key` alike: not after a letter or digit, as
/// in `me@fig-tree.org`, and never ending in punctuation) that starts with `fig-` or `tbl-`.
fn split(text: &str) -> Vec<Piece<'_>> {
    use super::citations::{is_cross_reference, key_len, narrative_start};
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find('@') {
        let start = at + found;
        let rest = &text[start + 1..];
        let id = narrative_start(text, start)
            .then(|| key_len(rest))
            .flatten()
            .map(|len| &rest[..len])
            .filter(|id| is_cross_reference(id) && id.len() > 4);
        let Some(id) = id else {
            at = start + 1;
            continue;
        };
        if from < start {
            pieces.push(Piece::Text(&text[from..start]));
        }
        pieces.push(Piece::Ref(id));
        from = start + 1 + id.len();
        at = from;
    }
    if from < text.len() {
        pieces.push(Piece::Text(&text[from..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references_out_of_text() {
        assert_eq!(
            split("See @fig-trade-2, and @tbl-x."),
            [
                Piece::Text("See "),
                Piece::Ref("fig-trade-2"),
                Piece::Text(", and "),
                Piece::Ref("tbl-x"),
                Piece::Text("."),
            ]
        );
        assert_eq!(
            split("me@fig-tree.org @smith @fig-"),
            [Piece::Text("me@fig-tree.org @smith @fig-")]
        );
    }

    #[test]
    fn known_ids_become_links_and_unknown_ones_warnings() {
        let labels = BTreeMap::from([("fig-a".to_string(), "Figure 1".to_string())]);
        let source = "As @fig-a shows, and `@fig-a` and @fig-b.\n";
        let events: Vec<_> = pulldown_cmark::Parser::new(source)
            .into_offset_iter()
            .collect();
        let (events, warnings) = link(events, &labels);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        assert_eq!(
            html,
            "<p>As <a class=\"xref\" href=\"#fig-a\">Figure 1</a> shows, and <code>@fig-a</code> and @fig-b.</p>\n"
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].1.contains("`@fig-b`"));
    }
}
