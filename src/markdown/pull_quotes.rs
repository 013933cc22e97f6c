//! Pass: each pull quote is placed, once, as an `<aside>` a little after the block that
//! contains it: after the next paragraph (or list or quotation), so that the display quote never
//! sits beside the sentence it repeats, and at least [`GAP`] such blocks after the previous
//! quote, so that two never crowd one screen. Quotes still waiting at the end close the text.
//!
//! Matching compares normalised text, so a quote still matches when the body uses curly quotes
//! or em dashes where the entry has straight ones, wraps differently, or adds emphasis.

use pulldown_cmark::{Event, Tag};

use super::{inline_text, render_inline, text};

/// Prose blocks between two pull quotes, at least (the PDF's rule too, [`crate::pdf::markup`]).
pub const GAP: usize = 3;

/// Inserts the quotes into `events`; returns the new events and the entries that were not found.
pub fn place<'a>(
    events: Vec<Event<'a>>,
    quotes: &[String],
    markup: &super::fragments::Markup,
) -> (Vec<Event<'a>>, Vec<String>) {
    if quotes.is_empty() {
        return (events, Vec::new());
    }
    // A quote's closing full stop may be a comma in the text ("..., so"), so it is not compared.
    let needles: Vec<String> = quotes
        .iter()
        .map(|q| {
            let needle = normalize(&inline_text(q));
            needle
                .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                .to_string()
        })
        .collect();
    // Normalising every paragraph is the costly part, so a paragraph is only normalised when
    // its raw text holds the longest word of a quote still to place (words survive normalising).
    let keys: Vec<&str> = needles.iter().map(|n| longest_word(n)).collect();
    let mut placed = vec![false; quotes.len()];
    let mut out = Vec::with_capacity(events.len() + quotes.len());
    let mut depth = 0usize;
    let mut block_start = 0;
    // Asides found but not yet placed, and prose blocks since the last one placed.
    let mut waiting: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    let mut since_last = GAP;
    for event in events {
        match &event {
            Event::Start(_) => {
                if depth == 0 {
                    block_start = out.len();
                }
                depth += 1;
                out.push(event);
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                let is_paragraph_block = depth == 0
                    && matches!(out.get(block_start), Some(Event::Start(tag)) if holds_prose(tag));
                out.push(event);
                if !is_paragraph_block {
                    continue;
                }
                since_last += 1;
                if since_last >= GAP
                    && let Some(aside) = waiting.pop_front()
                {
                    out.extend(super::furniture(aside));
                    since_last = 0;
                }
                if placed.contains(&false) {
                    let raw = text::plain(&out[block_start..]);
                    let candidates: Vec<usize> = (0..needles.len())
                        .filter(|&i| !placed[i] && !needles[i].is_empty() && raw.contains(keys[i]))
                        .collect();
                    if !candidates.is_empty() {
                        let haystack = normalize(&raw);
                        for i in candidates {
                            if haystack.contains(needles[i].as_str()) {
                                placed[i] = true;
                                waiting.push_back(aside(&quotes[i], markup));
                            }
                        }
                    }
                }
            }
            _ => out.push(event),
        }
    }
    out.extend(waiting.into_iter().flat_map(super::furniture));
    let missing = quotes
        .iter()
        .zip(placed)
        .filter(|(_, found)| !found)
        .map(|(q, _)| q.clone())
        .collect();
    (out, missing)
}

/// The longest run of letters and digits in `text`.
fn longest_word(text: &str) -> &str {
    text.split(|c: char| !c.is_alphanumeric())
        .max_by_key(|w| w.len())
        .unwrap_or("")
}

/// Blocks whose text a pull quote may come from.
fn holds_prose(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::BlockQuote(_) | Tag::List(_) | Tag::Item
    )
}

/// The pull quote's block, from the theme's `fragments/pull_quote.html`.
fn aside(quote: &str, markup: &super::fragments::Markup) -> String {
    markup.pull_quote(&render_inline(quote.trim()))
}

/// Folds the differences an edited text may have from its quote: case of quote marks and dashes,
/// whitespace, and the ellipsis spelling.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        let mapped = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2026}' => {
                out.push_str("...");
                last_space = false;
                continue;
            }
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            // "--" and "---" typed as dashes become one dash, like an en or em dash.
            if mapped == '-' && out.ends_with('-') {
                continue;
            }
            out.push(mapped);
            last_space = false;
        }
    }
    // Spaces around dashes vary by house style ("a — b" vs "a—b"), so drop them.
    out.trim().replace(" -", "-").replace("- ", "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parser_options;
    use pulldown_cmark::Parser;

    fn html(source: &str, quotes: &[&str]) -> (String, Vec<String>) {
        let quotes: Vec<String> = quotes.iter().map(|s| s.to_string()).collect();
        let events: Vec<Event> = Parser::new_ext(source, parser_options()).collect();
        let (events, missing) = place(events, &quotes, &Default::default());
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        (out.replace(crate::markdown::MARK, ""), missing)
    }

    #[test]
    fn quote_goes_once_after_the_paragraph_that_follows_its_own() {
        let (out, missing) = html(
            "First para.\n\nSecond has the line.\n\n## Heading\n\nThird has the line too.\n\nFourth.",
            &["the line"],
        );
        assert!(missing.is_empty());
        assert_eq!(out.matches("pull-quote").count(), 1);
        let aside = out.find("<aside").unwrap();
        assert!(
            out.find("Third").unwrap() < aside && aside < out.find("Fourth").unwrap(),
            "{out}"
        );
        assert!(out.contains(r#"aria-hidden="true""#));
    }

    #[test]
    fn matching_ignores_quotes_dashes_whitespace_and_emphasis() {
        let source = "He said “sacred struggle”—and *meant*\nit, didn’t he?";
        let (_, missing) = html(
            source,
            &["said \"sacred struggle\" -- and meant it, didn't he?"],
        );
        assert!(missing.is_empty(), "{missing:?}");
        let (_, missing) = html(source, &["said *“sacred   struggle”* — and meant it"]);
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn closing_punctuation_of_the_quote_may_differ() {
        let (_, missing) = html(
            "Words of the text, so a quote can never drift.",
            &["Words of the text."],
        );
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn quote_not_in_text_is_reported() {
        let (out, missing) = html("Some text.", &["Not here."]);
        assert_eq!(missing, ["Not here."]);
        assert!(!out.contains("aside"));
    }

    #[test]
    fn quotes_keep_their_distance_and_the_last_ones_close_the_text() {
        let source = "One A.\n\nTwo B.\n\nThree.\n\nFour.\n\nFive.";
        let (out, missing) = html(source, &["One A", "Two B"]);
        assert!(missing.is_empty());
        let first = out.find("<aside").unwrap();
        let second = out.rfind("<aside").unwrap();
        assert!(out.find("Two B").unwrap() < first && first < out.find("Three").unwrap());
        assert!(out.find("Five").unwrap() < second, "{out}");
    }

    #[test]
    fn quote_in_a_list_goes_after_the_list() {
        let (out, missing) = html("- item one\n- item two\n\nAfter.", &["item two"]);
        assert!(missing.is_empty());
        assert!(
            out.find("</ul>").unwrap() < out.find("<aside").unwrap(),
            "{out}"
        );
    }
}
