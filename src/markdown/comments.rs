//! HTML comments of a Markdown source are notes among its editors ("<!-- TODO: check with
//! legal -->"): they change nothing a reader sees, and published they would be readable by
//! anyone who opens the page's source or its feed. This pass takes them out of the raw HTML
//! of the event stream, before any other pass, so that no output carries them.
//!
//! The raw text of `<script>`, `<style>`, `<pre>` and `<textarea>` blocks is left as written:
//! there `<!--` is text, not a comment.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// `events` with every HTML comment removed from their raw HTML. A comment may run over
/// several events (a block's lines, or a paragraph's lines); an event left empty is dropped.
pub fn drop<'a>(events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    if !events.iter().any(|(event, _)| holds_comment(event)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut in_comment = false;
    // Whether the HTML block being read is raw text; `None` before its first line.
    let mut raw_block: Option<bool> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                raw_block = None;
                out.push((event, range));
            }
            Event::Html(html) => {
                let raw = *raw_block.get_or_insert_with(|| !in_comment && opens_raw_text(&html));
                if raw {
                    out.push((Event::Html(html), range));
                } else if let Some(kept) = without_comments(html, &mut in_comment) {
                    out.push((Event::Html(kept), range));
                }
            }
            Event::InlineHtml(html) => {
                if let Some(kept) = without_comments(html, &mut in_comment) {
                    out.push((Event::InlineHtml(kept), range));
                }
            }
            // A comment left open ends with its block, not at some later `-->`.
            Event::End(TagEnd::HtmlBlock | TagEnd::Paragraph) => {
                in_comment = false;
                out.push((event, range));
            }
            // Text between the lines of a comment in a paragraph is the comment's.
            Event::Text(_) | Event::SoftBreak | Event::HardBreak if in_comment => {}
            event => out.push((event, range)),
        }
    }
    out
}

fn holds_comment(event: &Event) -> bool {
    matches!(event, Event::Html(html) | Event::InlineHtml(html) if html.contains("<!--"))
}

/// Whether a block's first line opens an element whose content is raw text.
fn opens_raw_text(html: &str) -> bool {
    let start = html.trim_start().as_bytes();
    ["<script", "<style", "<pre", "<textarea"]
        .iter()
        .any(|tag| {
            start.len() >= tag.len() && start[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
        })
}

/// `html` without its comments, or `None` when nothing is left. `in_comment` says whether a
/// comment opened before `html` is still open, and is updated for the next piece.
fn without_comments<'a>(html: CowStr<'a>, in_comment: &mut bool) -> Option<CowStr<'a>> {
    if !*in_comment && !html.contains("<!--") {
        return Some(html);
    }
    let mut kept = String::with_capacity(html.len());
    let mut rest: &str = &html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => break,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    kept.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    // `<!-->` and `<!--->` are whole (empty) comments in HTML.
                    rest = rest
                        .strip_prefix('>')
                        .or_else(|| rest.strip_prefix("->"))
                        .unwrap_or_else(|| {
                            *in_comment = true;
                            rest
                        });
                }
                None => {
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
    fn code_and_scripts_keep_what_looks_like_a_comment() {
        let source = "`<!-- shown -->`\n\n```html\n<!-- shown too -->\n```\n\n<script>\n<!-- js\n</script>\n";
        let html = html_of(source);
        assert!(html.contains("<code>&lt;!-- shown --&gt;</code>"), "{html}");
        assert!(html.contains("&lt;!-- shown too --&gt;"), "{html}");
        assert!(html.contains("<script>\n<!-- js\n</script>"), "{html}");
    }
}
