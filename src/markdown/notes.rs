//! Pass: footnotes become numbered endnotes with a back-link to every reference.
//!
//! pulldown-cmark's own footnote HTML uses bare numeric ids and no back-links, so the
//! definitions are taken out of the stream here and handed to the template as data.
//!
//! Labels match as CommonMark link labels do: case-insensitively, with runs of whitespace as
//! one space (`Text[^Note]` cites `[^note]: …`). Ids are `note-N` and `ref-N` after the
//! document's id prefix (see [`super::RenderSettings::id_prefix`]), so an author's bio embedded
//! in a brief keeps its notes apart from the brief's.
//!
//! Each note's text is also placed once in the body, right after its first reference, as a
//! `<span class="sidenote" aria-hidden="true">` that the stylesheet shows in the margin on wide
//! screens (no JavaScript). The copy is phrasing content only, carries no ids and its links
//! are out of the tab order, so screen readers and keyboards meet each note once, in the list.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

/// One endnote, numbered in the order of its first reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Note {
    pub number: usize,
    /// Element id of the note, `note-N` (after the document's id prefix).
    pub id: String,
    /// The note's content as HTML.
    pub html: String,
    /// Ids of the references to this note in the text, `ref-N`, `ref-N-2`, ...
    pub backrefs: Vec<String>,
}

/// The key a label is matched by: lower case, runs of whitespace as one space (the PDF's
/// notes match by the same rule).
pub fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Removes footnote definitions from `events`, replaces each reference with a numbered link, and
/// returns the notes in number order with warnings for notes never referenced, never defined or
/// defined twice. `id_prefix` goes in front of every id and `#` link the pass writes; `lang` is
/// the language of the references' accessible names ("Note 3").
pub fn extract<'a>(
    events: Vec<Event<'a>>,
    id_prefix: &str,
    lang: &str,
    markup: &super::fragments::Markup,
) -> (Vec<Event<'a>>, Vec<Note>, Vec<String>) {
    let Split {
        body,
        definitions,
        mut warnings,
    } = split_definitions(events);
    let mut numbering = Numbering {
        prefix: id_prefix.to_string(),
        label: markup.language(lang).t("note_n", None),
        ..Numbering::default()
    };
    let body = numbering.replace_references(body, &definitions, true, markup);
    for label in undefined_references(&body) {
        warnings.push(format!("note [^{label}] is referenced but never defined"));
    }

    let mut notes = Vec::new();
    // A note may itself reference a later note, so number while rendering until none is left.
    let mut next = 0;
    while next < numbering.order.len() {
        let key = numbering.order[next].clone();
        next += 1;
        let content = definitions[key.as_str()].events.clone();
        let content = numbering.replace_references(content, &definitions, false, markup);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, content.into_iter());
        let number = next;
        notes.push(Note {
            number,
            id: format!("{id_prefix}note-{number}"),
            html: html.trim_end().to_string(),
            backrefs: numbering.backrefs.remove(&key).unwrap_or_default(),
        });
    }
    // Every note is numbered now, so the sidenote copies can show the numbers of notes they cite.
    // A note referenced in a heading (a citation in a note style, `## Sanctions [@un2017]`)
    // keeps its number there but has its copy after the heading: the note's text is no part
    // of the heading (its style, its accessible name), and floats beside the section's start.
    let mut with_sidenotes = Vec::with_capacity(body.len());
    let mut after_heading = Vec::new();
    let mut in_heading = false;
    for event in body {
        let Event::FootnoteReference(label) = event else {
            match event {
                Event::Start(Tag::Heading { .. }) => in_heading = true,
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                _ => {}
            }
            with_sidenotes.push(event);
            if !in_heading {
                with_sidenotes.append(&mut after_heading);
            }
            continue;
        };
        let key = label_key(&label);
        let number = numbering.numbers[&key];
        if let Some(content) = sidenote_html(&definitions[&key].events, &numbering.numbers) {
            let sidenote = super::furniture(markup.sidenote(number, &content));
            if in_heading {
                after_heading.extend(sidenote);
            } else {
                with_sidenotes.extend(sidenote);
            }
        }
    }
    let body = with_sidenotes;
    let mut unreferenced: Vec<_> = definitions
        .iter()
        .filter(|(key, _)| !numbering.numbers.contains_key(key.as_str()))
        .map(|(_, d)| d.label.as_str())
        .collect();
    unreferenced.sort();
    for label in unreferenced {
        warnings.push(format!(
            "note [^{label}] is defined but never referenced, so it is left out"
        ));
    }
    (body, notes, warnings)
}

/// Labels of `[^label]` left as text: pulldown-cmark only links references that have a
/// definition. Text of code blocks is code, not a reference.
fn undefined_references(events: &[Event]) -> Vec<String> {
    let mut text = String::new();
    let mut in_code = false;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => text.push_str(t),
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

/// A note's definition: its label as first written and its content.
struct Definition<'a> {
    label: String,
    events: Vec<Event<'a>>,
}

/// Definitions by [`label_key`].
type Definitions<'a> = HashMap<String, Definition<'a>>;

struct Split<'a> {
    body: Vec<Event<'a>>,
    definitions: Definitions<'a>,
    warnings: Vec<String>,
}

fn split_definitions(events: Vec<Event<'_>>) -> Split<'_> {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: Definitions = HashMap::new();
    let mut warnings = Vec::new();
    // Positions in `body` where a definition was taken out, to drop the container it leaves empty.
    let mut holes = Vec::new();
    let mut current: Option<(String, Vec<Event>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = current.take() {
                    holes.push(body.len());
                    // The first definition of a label wins, as in CommonMark link references.
                    let key = label_key(&label);
                    match definitions.entry(key) {
                        Entry::Occupied(_) => warnings.push(format!(
                            "note [^{label}] is defined more than once; the first definition is used, remove the others"
                        )),
                        Entry::Vacant(slot) => {
                            slot.insert(Definition { label, events });
                        }
                    }
                }
            }
            event => match &mut current {
                Some((_, content)) => content.push(event),
                None => body.push(event),
            },
        }
    }
    Split {
        body: without_emptied_containers(body, &holes),
        definitions,
        warnings,
    }
}

/// Drops the block quotes and list items that held nothing but note definitions (`> [^n]: …`),
/// which would otherwise be left as empty boxes. Containers the author left empty stay.
fn without_emptied_containers<'a>(body: Vec<Event<'a>>, holes: &[usize]) -> Vec<Event<'a>> {
    let mut keep = vec![true; body.len()];
    for &hole in holes {
        let (mut before, mut after) = (hole, hole);
        while before > 0 && after < body.len() {
            let wraps = matches!(
                (&body[before - 1], &body[after]),
                (
                    Event::Start(Tag::BlockQuote(_)),
                    Event::End(TagEnd::BlockQuote(_))
                ) | (Event::Start(Tag::Item), Event::End(TagEnd::Item))
            );
            if !wraps {
                break;
            }
            keep[before - 1] = false;
            keep[after] = false;
            before -= 1;
            after += 1;
        }
    }
    body.into_iter()
        .zip(keep)
        .filter_map(|(event, keep)| keep.then_some(event))
        .collect()
}

#[derive(Default)]
struct Numbering {
    prefix: String,
    /// A reference's accessible name with `{n}` for its number: a screen reader says
    /// "Note 3", not a bare "3".
    label: String,
    /// Note numbers by [`label_key`].
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
        markup: &super::fragments::Markup,
    ) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            match event {
                Event::FootnoteReference(label) if definitions.contains_key(&label_key(&label)) => {
                    let key = label_key(&label);
                    let first = !self.backrefs.contains_key(&key);
                    out.push(Event::InlineHtml(self.reference(&key, markup).into()));
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

    /// The HTML of one reference to the note `key`, numbering the note at its first reference.
    fn reference(&mut self, key: &str, markup: &super::fragments::Markup) -> String {
        let number = match self.numbers.get(key) {
            Some(n) => *n,
            None => {
                self.order.push(key.to_string());
                self.numbers.insert(key.to_string(), self.order.len());
                self.order.len()
            }
        };
        let refs = self.backrefs.entry(key.to_string()).or_default();
        let prefix = &self.prefix;
        let id = match refs.len() {
            0 => format!("{prefix}ref-{number}"),
            n => format!("{prefix}ref-{number}-{}", n + 1),
        };
        // The digits as shown, not grouped: the name holds the visible label.
        let label = self.label.replace("{n}", &number.to_string());
        let html = markup.note_ref(&id, &format!("#{prefix}note-{number}"), number, &label);
        refs.push(id);
        html
    }
}

/// A note's content as phrasing HTML for its sidenote, or `None` when it has nothing to show.
///
/// The sidenote is a `<span>` inside the paragraph that cites the note, and a span may hold
/// only phrasing content. So the sidenote shows the note's leading paragraphs (joined by line
/// breaks) and stops, with "…", at the first block of another kind: a list, table, quote, code
/// or HTML block. Flattening those into one line would lose what makes them readable (items run
/// together, cells lose their columns), and the endnote, one click away, shows the whole note.
/// A note that starts with such a block has no sidenote; its number still links to the endnote.
/// Links leave the tab order, and references to other notes are bare numbers (no ids to
/// duplicate).
fn sidenote_html(content: &[Event], numbers: &HashMap<String, usize>) -> Option<String> {
    let mut events: Vec<Event> = Vec::with_capacity(content.len());
    let mut paragraphs = 0;
    let mut cut = false;
    let mut in_paragraph = false;
    for event in content {
        if !in_paragraph {
            match event {
                Event::Start(Tag::Paragraph) => {
                    if paragraphs > 0 {
                        events.push(Event::InlineHtml("<br>".into()));
                    }
                    paragraphs += 1;
                    in_paragraph = true;
                }
                _ => {
                    cut = true;
                    break;
                }
            }
            continue;
        }
        let inline = match event {
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                None
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => Some(Event::InlineHtml(link_open(dest_url, title).into())),
            Event::FootnoteReference(label) => Some(match numbers.get(&label_key(label)) {
                Some(n) => Event::InlineHtml(format!("<sup>{n}</sup>").into()),
                None => Event::Text(format!("[^{label}]").into()),
            }),
            other => Some(other.clone()),
        };
        events.extend(inline);
    }
    if paragraphs == 0 {
        return None;
    }
    if cut {
        events.push(Event::Text(" …".into()));
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Some(html.trim_end().to_string())
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
        let (body, notes, warnings) = extract(events, "", "en", &Default::default());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.into_iter());
        (html.replace(crate::markdown::MARK, ""), notes, warnings)
    }

    #[test]
    fn numbers_in_order_of_first_reference() {
        let (html, notes, warnings) = run("B[^b] then A[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n");
        assert_eq!(notes[0].html, "<p>Note B.</p>");
        assert_eq!(notes[1].html, "<p>Note A.</p>");
        assert!(
            html.contains(r##"<sup class="note-ref" id="ref-1"><a href="#note-1" aria-label="Note 1">1</a></sup>"##)
        );
        assert!(
            !html.contains("<p>Note A.</p>"),
            "definitions leave the body: {html}"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_reference_is_named_as_a_note_in_the_documents_language() {
        let events: Vec<Event> =
            Parser::new_ext("A[^n].\n\n[^n]: N.\n", parser_options()).collect();
        let (body, _, _) = extract(events, "", "de", &Default::default());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.into_iter());
        assert!(
            html.contains(r##"<a href="#note-1" aria-label="Anmerkung 1">1</a></sup>"##),
            "{html}"
        );
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
        let sidenote = r##"<sup class="note-ref" id="ref-1"><a href="#note-1" aria-label="Note 1">1</a></sup><span class="sidenote" aria-hidden="true"><span class="sidenote-number">1</span> See <a href="https://e.org/?a=1&amp;b=2" title="T" tabindex="-1">the <em>source</em></a>.<br>More.</span>"##;
        assert!(html.contains(sidenote), "{html}");
        assert_eq!(html.matches("class=\"sidenote\"").count(), 1, "{html}");
        assert!(!html.contains("<p>See"), "{html}");
    }

    #[test]
    fn a_note_in_a_heading_keeps_its_number_there_and_its_sidenote_after_it() {
        let (html, notes, _) = run("## Sanctions[^a]\n\nText.\n\n[^a]: The source.\n");
        assert_eq!(notes.len(), 1);
        let heading = &html[html.find("<h2").unwrap()..html.find("</h2>").unwrap()];
        assert!(heading.contains(r#"id="ref-1""#), "{html}");
        assert!(!heading.contains("sidenote"), "{html}");
        assert!(
            html.contains("</h2>\n<span class=\"sidenote\" aria-hidden=\"true\"><span class=\"sidenote-number\">1</span> The source.</span>"),
            "{html}"
        );
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

    #[test]
    fn labels_match_case_insensitively() {
        let (html, notes, warnings) = run("Text[^Note] and[^ NOTE ].\n\n[^note]: The note.\n");
        assert_eq!(notes.len(), 1, "{html}");
        assert_eq!(notes[0].backrefs, ["ref-1", "ref-1-2"]);
        assert!(!html.contains("[^Note]"), "{html}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_reference_in_code_is_not_reported() {
        let (_, _, warnings) = run("```\nText[^y]\n```\n\nAnd `[^z]`.\n");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_definition_in_a_block_quote_leaves_no_empty_quote() {
        let (html, notes, _) = run("A[^n].\n\n> [^n]: In a quote.\n\n> Kept.\n\n>\n");
        assert_eq!(notes.len(), 1);
        assert_eq!(html.matches("<blockquote>").count(), 2, "{html}");
        assert!(html.contains("<blockquote>\n<p>Kept.</p>"), "{html}");
    }

    #[test]
    fn a_second_definition_of_a_label_warns() {
        let (_, notes, warnings) = run("A[^a].\n\n[^a]: One.\n[^A]: Two.\n");
        assert_eq!(notes[0].html, "<p>One.</p>");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("[^A] is defined more than once"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_note_of_block_html_has_no_sidenote() {
        let (html, notes, _) = run("A[^hb].\n\n[^hb]: <div>block</div>\n");
        assert!(!html.contains("<div>"), "{html}");
        assert!(!html.contains("sidenote"), "{html}");
        assert!(notes[0].html.contains("<div>block</div>"));
        assert!(
            html.contains(r##"<a href="#note-1" aria-label="Note 1">1</a>"##),
            "{html}"
        );
    }

    #[test]
    fn a_sidenote_stops_before_a_list_or_table() {
        let (html, notes, _) = run(
            "A[^l] B[^t].\n\n[^l]: Reasons:\n\n    - one\n    - two\n\n[^t]: | a | b |\n    |---|---|\n    | 1 | 2 |\n",
        );
        assert!(
            html.contains(r#"<span class="sidenote-number">1</span> Reasons: …</span>"#),
            "{html}"
        );
        assert!(!html.contains("<br>"), "{html}");
        assert_eq!(html.matches("class=\"sidenote\"").count(), 1, "{html}");
        assert!(notes[0].html.contains("<li>two</li>"), "{}", notes[0].html);
        assert!(notes[1].html.contains("<table>"), "{}", notes[1].html);
    }

    #[test]
    fn the_id_prefix_goes_before_every_id_and_link() {
        let events: Vec<Event> =
            Parser::new_ext("A[^n][^n].\n\n[^n]: N.\n", parser_options()).collect();
        let (body, notes, _) = extract(events, "bio-jane--", "en", &Default::default());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.into_iter());
        let html = html.replace(crate::markdown::MARK, "");
        assert_eq!(notes[0].id, "bio-jane--note-1");
        assert_eq!(notes[0].backrefs, ["bio-jane--ref-1", "bio-jane--ref-1-2"]);
        assert!(
            html.contains(
                r##"id="bio-jane--ref-1"><a href="#bio-jane--note-1" aria-label="Note 1">"##
            ),
            "{html}"
        );
    }
}
