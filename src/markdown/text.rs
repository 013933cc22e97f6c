//! Plain text out of events: for summaries, word counts, heading titles and quote matching.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The text of `events` with Markdown markup dropped and line breaks as spaces.
pub fn plain(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The text of `events` with markup dropped, a space between blocks and table cells (so that
/// words of adjacent blocks do not run together), and runs of whitespace collapsed.
pub fn blocks(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if !is_inline(end) => out.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&out)
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
            Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
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

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn first_paragraph_skips_headings_and_nested_blocks() {
        let e = events("## Title\n\n> quoted\n\nThe *first*\nparagraph.\n\nSecond.");
        assert_eq!(first_paragraph(&e), "The first paragraph.");
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
