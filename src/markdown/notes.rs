//! Pass: footnotes become numbered endnotes with a back-link to every reference.
//!
//! pulldown-cmark's own footnote HTML uses bare numeric ids and no back-links, so the
//! definitions are taken out of the stream here and handed to the template as data.
//!
//! Each note's text is also placed once in the body, right after its first reference, as a
//! `<span class="sidenote" aria-hidden="true">` that the stylesheet shows in the margin on wide
//! screens (no JavaScript). The copy is phrasing content only, carries no ids and its links
//! are out of the tab order, so screen readers and keyboards meet each note once, in the list.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

/// One endnote, numbered in the order of its first reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub number: usize,
    /// Element id of the note, `note-N`.
    pub id: String,
    /// The note's content as HTML.
    pub html: String,
    /// Ids of the references to this note in the text, `ref-N`, `ref-N-2`, ...
    pub backrefs: Vec<String>,
}

/// Removes footnote definitions from `events`, replaces each reference with a numbered link, and
/// returns the notes in number order with warnings for notes never referenced or never defined.
pub fn extract(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Note>, Vec<String>) {
    let (body, definitions) = split_definitions(events);
    let mut numbering = Numbering::default();
    let mut warnings = Vec::new();
    let body = numbering.replace_references(body, &definitions, true);
    for label in undefined_references(&body) {
        warnings.push(format!("note [^{label}] is referenced but never defined"));
    }

    let mut notes = Vec::new();
    // A note may itself reference a later note, so number while rendering until none is left.
    let mut next = 0;
    while next < numbering.order.len() {
        let label = numbering.order[next].clone();
        next += 1;
        let content = definitions[label.as_str()].clone();
        let content = numbering.replace_references(content, &definitions, false);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, content.into_iter());
        let number = next;
        notes.push(Note {
            number,
            id: format!("note-{number}"),
            html: html.trim_end().to_string(),
            backrefs: numbering.backrefs.remove(&label).unwrap_or_default(),
        });
    }
    // Every note is numbered now, so the sidenote copies can show the numbers of notes they cite.
    let body = body
        .into_iter()
        .map(|event| match event {
            Event::FootnoteReference(label) => {
                let number = numbering.numbers[label.as_ref()];
                let content = sidenote_html(&definitions[label.as_ref()], &numbering.numbers);
                Event::InlineHtml(CowStr::from(format!(
                    r#"<span class="sidenote" aria-hidden="true"><span class="sidenote-number">{number}</span> {content}</span>"#
                )))
            }
            other => other,
        })
        .collect();
    let mut unreferenced: Vec<_> = definitions
        .keys()
        .filter(|label| !numbering.numbers.contains_key(label.as_str()))
        .collect();
    unreferenced.sort();
    for label in unreferenced {
        warnings.push(format!(
            "note [^{label}] is defined but never referenced, so it is left out"
        ));
    }
    (body, notes, warnings)
}

/// Labels of `[^label]` left as text: pulldown-cmark only links references that have a definition.
fn undefined_references(events: &[Event]) -> Vec<String> {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) => text.push_str(t),
            _ => text.push('\n'),
        }
    }
    let mut labels = Vec::new();
    for (i, _) in text.match_indices("[^") {
        let rest = &text[i + 2..];
        if let Some(end) = rest.find(']') {
            let label = &rest[..end];
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                labels.push(label.to_string());
            }
        }
    }
    labels
}

type Definitions<'a> = HashMap<String, Vec<Event<'a>>>;

fn split_definitions(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Definitions<'_>) {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions = HashMap::new();
    let mut current: Option<(String, Vec<Event>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, content)) = current.take() {
                    // The first definition of a label wins, as in CommonMark link references.
                    definitions.entry(label).or_insert(content);
                }
            }
            event => match &mut current {
                Some((_, content)) => content.push(event),
                None => body.push(event),
            },
        }
    }
    (body, definitions)
}

#[derive(Default)]
struct Numbering {
    numbers: HashMap<String, usize>,
    order: Vec<String>,
    backrefs: HashMap<String, Vec<String>>,
}

impl Numbering {
    /// Replaces each reference with its numbered link. With `sidenotes`, the first reference
    /// to a note is followed by the reference event itself, as a marker for its sidenote.
    fn replace_references<'a>(
        &mut self,
        events: Vec<Event<'a>>,
        definitions: &Definitions,
        sidenotes: bool,
    ) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            match event {
                Event::FootnoteReference(label) if definitions.contains_key(label.as_ref()) => {
                    let first = !self.backrefs.contains_key(label.as_ref());
                    out.push(Event::InlineHtml(self.reference(&label).into()));
                    if sidenotes && first {
                        out.push(Event::FootnoteReference(label));
                    }
                }
                // Left as text, like an undefined link; `undefined_references` reports it.
                Event::FootnoteReference(label) => {
                    out.push(Event::Text(CowStr::from(format!("[^{label}]"))))
                }
                other => out.push(other),
            }
        }
        out
    }

    /// The HTML of one reference to `label`, numbering the note at its first reference.
    fn reference(&mut self, label: &str) -> String {
        let number = match self.numbers.get(label) {
            Some(n) => *n,
            None => {
                self.order.push(label.to_string());
                self.numbers.insert(label.to_string(), self.order.len());
                self.order.len()
            }
        };
        let refs = self.backrefs.entry(label.to_string()).or_default();
        let id = match refs.len() {
            0 => format!("ref-{number}"),
            n => format!("ref-{number}-{}", n + 1),
        };
        refs.push(id.clone());
        format!(r##"<sup class="note-ref" id="{id}"><a href="#note-{number}">{number}</a></sup>"##)
    }
}

/// A note's content as phrasing HTML for its sidenote: blocks become line breaks, links leave
/// the tab order, and references to other notes are bare numbers (no ids to duplicate).
fn sidenote_html(content: &[Event], numbers: &HashMap<String, usize>) -> String {
    let mut events: Vec<Event> = Vec::with_capacity(content.len());
    let mut started = false;
    for event in content {
        let inline = match event {
            Event::Start(tag) => match tag {
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Image { .. } => Some(event.clone()),
                Tag::Link {
                    dest_url, title, ..
                } => Some(Event::InlineHtml(link_open(dest_url, title).into())),
                _ => {
                    if started {
                        events.push(Event::InlineHtml("<br>".into()));
                    }
                    None
                }
            },
            Event::End(end) => match end {
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Image
                | TagEnd::Link => Some(event.clone()),
                _ => None,
            },
            Event::FootnoteReference(label) => Some(match numbers.get(label.as_ref()) {
                Some(n) => Event::InlineHtml(format!("<sup>{n}</sup>").into()),
                None => Event::Text(format!("[^{label}]").into()),
            }),
            Event::Rule | Event::TaskListMarker(_) => None,
            other => Some(other.clone()),
        };
        if let Some(event) = inline {
            started = true;
            events.push(event);
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

/// `<a href=".." tabindex="-1">`: the sidenote is a visual copy; the list keeps the real link.
fn link_open(url: &str, title: &str) -> String {
    let mut out = String::from(r#"<a href=""#);
    escape_href(&mut out, url).expect("writing to a String cannot fail");
    out.push('"');
    if !title.is_empty() {
        out.push_str(r#" title=""#);
        escape_html(&mut out, title).expect("writing to a String cannot fail");
        out.push('"');
    }
    out.push_str(r#" tabindex="-1">"#);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parser_options;
    use pulldown_cmark::Parser;

    fn run(source: &str) -> (String, Vec<Note>, Vec<String>) {
        let events: Vec<Event> = Parser::new_ext(source, parser_options()).collect();
        let (body, notes, warnings) = extract(events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.into_iter());
        (html, notes, warnings)
    }

    #[test]
    fn numbers_in_order_of_first_reference() {
        let (html, notes, warnings) = run("B[^b] then A[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n");
        assert_eq!(notes[0].html, "<p>Note B.</p>");
        assert_eq!(notes[1].html, "<p>Note A.</p>");
        assert!(
            html.contains(r##"<sup class="note-ref" id="ref-1"><a href="#note-1">1</a></sup>"##)
        );
        assert!(
            !html.contains("<p>Note A.</p>"),
            "definitions leave the body: {html}"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn repeated_references_each_get_a_backref() {
        let (html, notes, _) = run("One[^x], two[^x].\n\n[^x]: Shared.\n");
        assert_eq!(notes[0].backrefs, ["ref-1", "ref-1-2"]);
        assert!(html.contains(r#"id="ref-1-2""#));
    }

    #[test]
    fn unused_and_undefined_notes_warn() {
        let (html, notes, warnings) = run("Text[^missing].\n\n[^unused]: Never cited.\n");
        assert!(notes.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("[^unused]") && w.contains("never referenced"))
        );
        assert!(html.contains("Text"), "{html}");
    }

    #[test]
    fn first_reference_is_followed_by_a_sidenote_without_ids() {
        let (html, _, _) = run(
            "One[^x], two[^x].\n\n[^x]: See [the *source*](https://e.org/?a=1&b=2 \"T\").\n\n    More.\n",
        );
        let sidenote = r##"<sup class="note-ref" id="ref-1"><a href="#note-1">1</a></sup><span class="sidenote" aria-hidden="true"><span class="sidenote-number">1</span> See <a href="https://e.org/?a=1&amp;b=2" title="T" tabindex="-1">the <em>source</em></a>.<br>More.</span>"##;
        assert!(html.contains(sidenote), "{html}");
        assert_eq!(html.matches("class=\"sidenote\"").count(), 1, "{html}");
        assert!(!html.contains("<p>See"), "{html}");
    }

    #[test]
    fn sidenote_of_a_note_citing_another_shows_its_number_without_an_id() {
        let (html, notes, _) = run("A[^a].\n\n[^a]: Cites[^b].\n[^b]: Inner.\n");
        assert_eq!(notes.len(), 2);
        assert!(
            html.contains(r#"<span class="sidenote-number">1</span> Cites<sup>2</sup>.</span>"#),
            "{html}"
        );
        assert!(notes[0].html.contains(r#"id="ref-2""#), "{}", notes[0].html);
        assert_eq!(html.matches(r#"id="ref-2""#).count(), 0, "{html}");
    }
}
