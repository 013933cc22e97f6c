//! Plain text out of events: for summaries, word counts, heading titles and quote matching.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The text of `events` with Markdown markup dropped and line breaks as spaces. Inline HTML
/// (an author-date citation, a note's marker) is dropped with the space before it when
/// punctuation follows: "a market [@key]." reads "a market.", not "a market .".
pub fn plain(events: &[Event]) -> String {
    let mut out = String::new();
    let mut after_html = false;
    let mut code = CodeElement::default();
    for event in events {
        if code.hides(event) {
            continue;
        }
        match event {
            Event::Text(t) | Event::Code(t) => {
                if after_html && t.starts_with(['.', ',', ';', ':', '!', '?', ')']) {
                    out.truncate(out.trim_end().len());
                }
                out.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
        after_html = matches!(event, Event::InlineHtml(_));
    }
    out
}

/// The text of `events` with markup dropped, a space between blocks and table cells (so that
/// words of adjacent blocks do not run together), and runs of whitespace collapsed.
pub fn blocks(events: &[Event]) -> String {
    let mut out = String::new();
    let mut code = CodeElement::default();
    for event in events {
        if code.hides(event) {
            continue;
        }
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if !is_inline(end) => out.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&out)
}

/// Whether the events read are inside an inline `<script>` or `<style>` element: its text is
/// code for the browser, not words of the brief (a summary must not read "var secret = …").
#[derive(Default)]
struct CodeElement {
    open: bool,
}

impl CodeElement {
    /// Takes the next event; true when it is the element's tag or text.
    fn hides(&mut self, event: &Event) -> bool {
        let Event::InlineHtml(html) = event else {
            return self.open;
        };
        let lower = html.to_ascii_lowercase();
        if lower.starts_with("<script") || lower.starts_with("<style") {
            self.open = !(lower.contains("</script") || lower.contains("</style"));
            return true;
        }
        if self.open && (lower.starts_with("</script") || lower.starts_with("</style")) {
            self.open = false;
            return true;
        }
        self.open
    }
}

fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Plain text of the first top-level paragraph, with runs of whitespace collapsed.
pub fn first_paragraph(events: &[Event]) -> String {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                    .map_or(events.len(), |p| i + p);
                return collapse_whitespace(&plain(&events[i + 1..end]));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    String::new()
}

/// Words in the text of `events`.
pub fn word_count(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => words_in(t),
            _ => 0,
        })
        .sum()
}

/// Minutes to read `words` at 230 words a minute, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(230).max(1)
}

/// The first `limit` characters of `text`, cut at the last space before the limit so that no
/// word is cut in half.
pub fn cap(text: &str, limit: usize) -> &str {
    let Some((end, _)) = text.char_indices().nth(limit) else {
        return text;
    };
    let head = &text[..end];
    head.rfind(' ').map_or(head, |space| &head[..space])
}

/// `text.split_whitespace().count()` in one pass over its characters.
fn words_in(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word = !c.is_whitespace();
        count += usize::from(word && !in_word);
        in_word = word;
    }
    count
}

/// The words of `text` joined by single spaces, written straight into the result (not
/// collected into a list and joined: both were a tenth of loading a brief).
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parser_options;
    use pulldown_cmark::Parser;

    fn events(source: &str) -> Vec<Event<'_>> {
        Parser::new_ext(source, parser_options()).collect()
    }

    #[test]
    fn words_are_counted_and_joined_as_split_whitespace_splits_them() {
        for text in [
            "",
            "  ",
            "one",
            " two  words\n",
            "a\u{a0}b\u{2003}c\td\u{b}e",
            "é — ü ",
        ] {
            assert_eq!(words_in(text), text.split_whitespace().count(), "{text:?}");
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), joined, "{text:?}");
        }
    }

    #[test]
    fn the_code_of_an_inline_script_or_style_is_no_text() {
        let events: Vec<Event> = pulldown_cmark::Parser::new(
            "Intro <script>var secret = \"tok\";</script> and <style>p{}</style>text.\n",
        )
        .collect();
        assert_eq!(first_paragraph(&events), "Intro and text.");
        assert_eq!(blocks(&events), "Intro and text.");
    }

    #[test]
    fn first_paragraph_skips_headings_and_nested_blocks() {
        let e = events("## Title\n\n> quoted\n\nThe *first*\nparagraph.\n\nSecond.");
        assert_eq!(first_paragraph(&e), "The first paragraph.");
    }

    #[test]
    fn dropped_inline_html_takes_the_space_before_punctuation_with_it() {
        // An author-date citation is one inline HTML event by the time the summary is taken
        // (markdown::citations), as a note's marker is.
        let e = vec![
            Event::Start(Tag::Paragraph),
            Event::Text("Governed without a market ".into()),
            Event::InlineHtml("<cite>(Ostrom 1990)</cite>".into()),
            Event::Text(". Growth ".into()),
            Event::InlineHtml("<sup>1</sup>".into()),
            Event::Text(", too ".into()),
            Event::InlineHtml("<x/>".into()),
            Event::Text(" and more.".into()),
            Event::End(TagEnd::Paragraph),
        ];
        assert_eq!(
            first_paragraph(&e),
            "Governed without a market. Growth, too and more."
        );
    }

    #[test]
    fn blocks_keeps_words_of_adjacent_blocks_apart() {
        let e =
            events("## Title\n\nOne *two*.\n\n- three\n- four\n\n| a | b |\n|---|---|\n| c | d |");
        assert_eq!(blocks(&e), "Title One two. three four a b c d");
    }

    #[test]
    fn cap_keeps_short_text_and_cuts_long_text_at_a_space() {
        assert_eq!(cap("short text", 100), "short text");
        assert_eq!(cap("one two three", 9), "one two");
        assert_eq!(cap("ééé ééé", 5), "ééé");
    }

    #[test]
    fn counts_words_and_minutes() {
        assert_eq!(word_count(&events("One *two* three.\n\nFour")), 4);
        assert_eq!(reading_time(0), 1);
        assert_eq!(reading_time(231), 2);
    }
}
