//! HTML to Markdown with `htmd`, plus what brief needs around it: a figure's caption becomes
//! an italic line under its image, and elements Markdown has no form for (iframes, video,
//! audio, forms, SVG) are kept as raw HTML blocks and named, so the report can list them.
//! Scripts and styles are dropped and named too: an import must not carry code into pages.

use std::rc::Rc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::NodeData;

/// Elements kept as they are, as raw HTML blocks in the Markdown.
const KEPT_RAW: &[&str] = &[
    "iframe", "video", "audio", "object", "form", "svg", "canvas",
];
/// Elements removed with their content.
const DROPPED: &[&str] = &["script", "style", "noscript"];

/// Marks a placeholder for a raw block or a note reference; private-use characters that no
/// converter escapes and no real text contains.
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

/// The Markdown of some HTML, and what was kept raw or dropped on the way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    /// One line per element kept as raw HTML ("kept <iframe> as raw HTML") or dropped.
    pub notes: Vec<String>,
}

/// Converts an HTML fragment to Markdown.
pub fn convert(html: &str) -> Converted {
    convert_keeping(html, Vec::new())
}

/// Converts an HTML fragment in which the caller already replaced some parts with
/// [`raw_marker`] placeholders; `raw` holds those parts, put back as raw HTML blocks.
pub fn convert_keeping(html: &str, mut raw: Vec<String>) -> Converted {
    let mut notes = Vec::new();
    let html = cut_raw_elements(html, &mut raw, &mut notes);
    let markdown = converter().convert(&html).unwrap_or_default();
    let markdown = restore_raw(&markdown, &raw);
    Converted {
        markdown: tidy(&markdown),
        notes,
    }
}

/// Inline HTML (a title, an excerpt, a caption) as plain text: tags removed, entities decoded.
pub fn plain_text(html: &str) -> String {
    let converter = HtmlToMarkdown::builder()
        .add_handler(PLAIN_BLOCKS.to_vec(), |h: &dyn Handlers, e: Element| {
            Some(HandlerResult::from(format!(
                " {} ",
                h.walk_children(e.node).content
            )))
        })
        .build();
    // Convert, then undo htmd's Markdown escapes: this text goes into front matter, not Markdown.
    let text = converter.convert(html).unwrap_or_default();
    let unescaped = unescape_markdown(&text);
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Blocks whose Markdown form (`> `, `- `, `# `) plain text must not carry.
const PLAIN_BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "blockquote",
    "figure",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out.replace("**", "").replace(['*', '_'], "")
}

fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .add_handler(vec!["figcaption"], caption_handler)
        .build()
}

/// `<figcaption>` becomes an italic paragraph under the image.
fn caption_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let text = handlers.walk_children(element.node).content;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(HandlerResult::from(format!("\n\n*{text}*\n\n")))
}

/// Replaces each element of [`KEPT_RAW`] with a placeholder paragraph and removes those of
/// [`DROPPED`]; returns the new HTML and the raw elements in order.
fn cut_raw_elements(html: &str, raw: &mut Vec<String>, notes: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((start, tag)) = next_element(rest) {
        let end = element_end(rest, start, tag);
        out.push_str(&rest[..start]);
        let element = &rest[start..end];
        if DROPPED.contains(&tag) {
            notes.push(format!("removed a <{tag}> element"));
        } else {
            notes.push(format!("kept an <{tag}> element as raw HTML"));
            out.push_str(&raw_marker(raw.len()));
            raw.push(element.to_string());
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The placeholder paragraph for the raw block numbered `i`.
pub fn raw_marker(i: usize) -> String {
    format!("<p>{OPEN}raw{i}{CLOSE}</p>")
}

/// The first `<tag` of [`KEPT_RAW`] or [`DROPPED`] in `html`, by byte offset.
fn next_element(html: &str) -> Option<(usize, &'static str)> {
    let lower = html.to_ascii_lowercase();
    KEPT_RAW
        .iter()
        .chain(DROPPED)
        .filter_map(|tag| {
            let open = format!("<{tag}");
            let mut from = 0;
            while let Some(i) = lower[from..].find(&open) {
                let at = from + i;
                let next = lower[at + open.len()..].chars().next();
                if next.is_none_or(|c| c == '>' || c == '/' || c.is_whitespace()) {
                    return Some((at, *tag));
                }
                from = at + open.len();
            }
            None
        })
        .min_by_key(|(at, _)| *at)
}

/// Where the element opened at `start` ends: after its `</tag>`, or after its opening tag if
/// it is never closed.
fn element_end(html: &str, start: usize, tag: &str) -> usize {
    let lower = html[start..].to_ascii_lowercase();
    let close = format!("</{tag}");
    match lower.find(&close) {
        Some(i) => {
            let after = start + i;
            html[after..]
                .find('>')
                .map_or(html.len(), |j| after + j + 1)
        }
        None => html[start..]
            .find('>')
            .map_or(html.len(), |j| start + j + 1),
    }
}

fn restore_raw(markdown: &str, raw: &[String]) -> String {
    let mut out = markdown.to_string();
    for (i, element) in raw.iter().enumerate() {
        let marker = format!("{OPEN}raw{i}{CLOSE}");
        // A raw block must start a line and end before a blank line to stay HTML in Markdown.
        let block = format!("\n\n{}\n\n", element.trim().replace("\n\n", "\n"));
        out = out.replace(&marker, &block);
    }
    out
}

/// At most one blank line in a row, no trailing spaces except a hard break's two.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    let mut after_break = false;
    for line in markdown.trim().lines() {
        // htmd indents the line after a `<br>` by the space that followed it in the HTML.
        let line = if after_break { line.trim_start() } else { line };
        after_break = line.ends_with("  ") && !line.trim().is_empty();
        let line = if line.ends_with("  ") && !line.trim().is_empty() {
            line
        } else {
            line.trim_end()
        };
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The value of attribute `name` in an opening tag's text, e.g. `src` in `<img src="x">`.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next()? {
            q @ ('"' | '\'') => rest[1..].split(q).next()?,
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
        };
        return Some(decode_entities(value));
    }
    None
}

/// Decodes the entities an attribute value or a title may hold, by parsing it as HTML.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let dom = HtmlToMarkdown::new()
        .html_to_tree(&format!("<p>{}</p>", text.replace('<', "&lt;")))
        .ok();
    dom.map(|node| text_of(&node))
        .unwrap_or_else(|| text.to_string())
}

/// The text of a node and all below it.
pub(super) fn text_of(node: &Rc<htmd::Node>) -> String {
    let mut out = String::new();
    if let NodeData::Text { contents } = &node.data {
        out.push_str(&contents.borrow());
    }
    for child in node.children.borrow().iter() {
        out.push_str(&text_of(child));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_caption_is_an_italic_line_under_the_image() {
        let md = convert(
            r#"<figure><img src="a.jpg" alt="A"><figcaption>The <b>caption</b></figcaption></figure><p>Text</p>"#,
        );
        assert_eq!(md.markdown, "![A](a.jpg)\n\n*The **caption***\n\nText\n");
    }

    #[test]
    fn iframes_are_kept_raw_and_scripts_dropped() {
        let md = convert(
            "<p>A</p><iframe src=\"https://x.org/e\"></iframe><script>alert(1)</script><p>B</p>",
        );
        assert_eq!(
            md.markdown,
            "A\n\n<iframe src=\"https://x.org/e\"></iframe>\n\nB\n"
        );
        assert_eq!(
            md.notes,
            [
                "kept an <iframe> element as raw HTML",
                "removed a <script> element"
            ]
        );
    }

    #[test]
    fn attributes_and_entities() {
        let tag = r#"<img class="x" src='a.jpg' alt="Tom &amp; Jerry">"#;
        assert_eq!(attribute(tag, "src").as_deref(), Some("a.jpg"));
        assert_eq!(attribute(tag, "alt").as_deref(), Some("Tom & Jerry"));
        assert_eq!(attribute(tag, "title"), None);
        assert_eq!(
            plain_text("Kim&#8217;s <em>plan</em> &amp; more"),
            "Kim’s plan & more"
        );
    }
}
