//! HTML comments of a Markdown source are notes among its editors ("<!-- TODO: check with
//! legal -->"): they change nothing a reader sees, and published they would be readable by
//! anyone who opens the page's source or its feed. This pass takes them out of the raw HTML
//! of the event stream, before any other pass, so that no output carries them.
//!
//! The content of `<script>`, `<style>` and `<textarea>` elements is raw text, wherever they
//! open in a block: there `<!--` is text (an old script's hiding idiom), and stays.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

/// Elements whose content HTML reads as raw text, with their closing tags.
const RAW_TEXT: [(&str, &str); 3] = [
    ("<script", "</script"),
    ("<style", "</style"),
    ("<textarea", "</textarea"),
];

/// Where the scan of the raw HTML is, from one piece of it to the next.
#[derive(Default)]
struct Scan {
    /// Inside a comment opened in an earlier piece.
    in_comment: bool,
    /// Inside a raw-text element: the closing tag that ends it.
    raw_until: Option<&'static str>,
}

/// `events` with every HTML comment removed from their raw HTML. A comment may run over
/// several events (a block's lines, or a paragraph's lines); an event left empty is dropped.
pub fn drop<'a>(events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    if !events.iter().any(|(event, _)| holds_comment(event)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut scan = Scan::default();
    for (event, range) in events {
        match event {
            Event::Html(html) => {
                if let Some(kept) = scan.keep(html) {
                    out.push((Event::Html(kept), range));
                }
            }
            Event::InlineHtml(html) => {
                if let Some(kept) = scan.keep(html) {
                    out.push((Event::InlineHtml(kept), range));
                }
            }
            // A comment left open ends with its block, not at some later `-->`.
            Event::End(TagEnd::HtmlBlock | TagEnd::Paragraph) => {
                scan = Scan::default();
                out.push((event, range));
            }
            // Text between the lines of a comment in a paragraph is the comment's.
            Event::Text(_) | Event::SoftBreak | Event::HardBreak if scan.in_comment => {}
            event => out.push((event, range)),
        }
    }
    out
}

fn holds_comment(event: &Event) -> bool {
    matches!(event, Event::Html(html) | Event::InlineHtml(html) if html.contains("<!--"))
}

impl Scan {
    /// `html` without its comments, or `None` when nothing but space is left.
    fn keep<'a>(&mut self, html: CowStr<'a>) -> Option<CowStr<'a>> {
        if !self.in_comment && self.raw_until.is_none() && !html.contains("<!--") {
            // Still, a raw-text element may open here and hold a `<!--` further on.
            self.raw_until = last_open_raw(&html);
            return Some(html);
        }
        let mut kept = String::with_capacity(html.len());
        let mut rest: &str = &html;
        while !rest.is_empty() {
            if self.in_comment {
                let Some(end) = rest.find("-->") else { break };
                rest = &rest[end + 3..];
                self.in_comment = false;
            } else if let Some(close) = self.raw_until {
                match find_ignoring_case(rest, close) {
                    Some(at) => {
                        kept.push_str(&rest[..at + close.len()]);
                        rest = &rest[at + close.len()..];
                        self.raw_until = None;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            } else {
                let comment = rest.find("<!--");
                let raw = first_raw_open(rest);
                match (comment, raw) {
                    (_, Some((at, open, close))) if comment.is_none_or(|c| at < c) => {
                        kept.push_str(&rest[..at + open.len()]);
                        rest = &rest[at + open.len()..];
                        self.raw_until = Some(close);
                    }
                    (Some(at), _) => {
                        kept.push_str(&rest[..at]);
                        let after = &rest[at + 4..];
                        // `<!-->` and `<!--->` are whole (empty) comments in HTML.
                        rest = match after.strip_prefix('>').or_else(|| after.strip_prefix("->")) {
                            Some(after) => after,
                            None => {
                                self.in_comment = true;
                                after
                            }
                        };
                    }
                    (None, _) => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        // A block's line that held only a comment leaves its newline alone: drop that too.
        if kept.trim().is_empty() {
            None
        } else {
            Some(CowStr::from(kept))
        }
    }
}

/// The closing tag of the last raw-text element `html` opens and does not close.
fn last_open_raw(html: &str) -> Option<&'static str> {
    let mut rest = html;
    while let Some((at, open, close)) = first_raw_open(rest) {
        rest = &rest[at + open.len()..];
        match find_ignoring_case(rest, close) {
            Some(end) => rest = &rest[end + close.len()..],
            None => return Some(close),
        }
    }
    None
}

/// The first raw-text element opened in `html`: where, its opening and its closing tag.
fn first_raw_open(html: &str) -> Option<(usize, &'static str, &'static str)> {
    RAW_TEXT
        .iter()
        .filter_map(|&(open, close)| Some((find_ignoring_case(html, open)?, open, close)))
        .min_by_key(|(at, _, _)| *at)
}

/// The byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;
    use crate::markdown::parser_options;

    fn html_of(source: &str) -> String {
        let events = drop(
            Parser::new_ext(source, parser_options())
                .into_offset_iter()
                .collect(),
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn a_block_comment_of_several_lines_is_gone() {
        let source = "Before.\n\n<!-- TODO: legal\nsays no -->\n\nAfter.\n";
        assert_eq!(html_of(source), "<p>Before.</p>\n<p>After.</p>\n");
    }

    #[test]
    fn an_inline_comment_is_gone_and_the_text_around_it_stays() {
        assert_eq!(
            html_of("A paragraph <!-- a note --> after.\n"),
            "<p>A paragraph  after.</p>\n"
        );
        assert_eq!(
            html_of("One <!-- a note\nover two lines --> two.\n"),
            "<p>One  two.</p>\n"
        );
    }

    #[test]
    fn a_comment_inside_html_goes_and_the_html_stays() {
        assert_eq!(
            html_of("<div class=\"box\"><!-- why -->\n<p>Kept</p>\n</div>\n"),
            "<div class=\"box\">\n<p>Kept</p>\n</div>\n"
        );
    }

    #[test]
    fn a_comment_in_pre_is_a_comment() {
        assert_eq!(
            html_of("<pre>\n<!-- SECRET in pre -->\ncode\n</pre>\n"),
            "<pre>\ncode\n</pre>\n"
        );
    }

    #[test]
    fn a_script_or_textarea_inside_a_block_keeps_its_text() {
        let source =
            "<div>\n<script>\nvar x = 1; <!-- not closed\n</script>\n<!-- gone -->\n</div>\n";
        assert_eq!(
            html_of(source),
            "<div>\n<script>\nvar x = 1; <!-- not closed\n</script>\n</div>\n"
        );
        let source = "<div>\n<textarea>\n<!-- shown -->\n</textarea>\n</div>\n";
        assert_eq!(html_of(source), source);
        let source = "<div><script><!-- hide\nrun(); //--></script></div>\n";
        assert_eq!(html_of(source), source);
    }

    #[test]
    fn code_and_scripts_keep_what_looks_like_a_comment() {
        let source = "`<!-- shown -->`\n\n```html\n<!-- shown too -->\n```\n\n<script>\n<!-- js\n</script>\n";
        let html = html_of(source);
        assert!(html.contains("<code>&lt;!-- shown --&gt;</code>"), "{html}");
        assert!(html.contains("&lt;!-- shown too --&gt;"), "{html}");
        assert!(html.contains("<script>\n<!-- js\n</script>"), "{html}");
    }
}
