//! A WordPress post's content to Markdown. WordPress stores HTML that its own filters finish at
//! display time, so those steps are redone here before [`html_md`] converts it:
//!
//! 1. footnotes of the block editor (`<sup data-fn>` references, the notes in post meta)
//!    become placeholders for Markdown footnotes;
//! 2. block-editor comments (`<!-- wp:... -->`): pull quotes are taken out as candidates for
//!    `pull_quotes`, embeds become links, custom HTML blocks are kept raw;
//! 3. shortcodes `[caption]`, `[gallery]`, `[embed]`, `[video]`, `[audio]`; others are listed;
//! 4. for classic-editor text, WordPress's autop (blank line = paragraph, newline = `<br>`), and
//!    bare URLs on their own line (embeds) become links;
//! 5. HTML to Markdown; placeholders become `[^n]` references and notes.

use std::collections::BTreeMap;

use super::html_md::{self, CLOSE, OPEN, attribute, raw_marker};
use super::page_notes;

/// An image of the media library, as posts and galleries refer to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub parent: String,
    pub url: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// What content conversion needs besides the HTML.
pub struct Context<'a> {
    pub attachments: &'a BTreeMap<String, Attachment>,
    /// The post's id, for galleries without `ids` (the images attached to the post).
    pub post_id: &'a str,
    /// The `footnotes` post meta of the block editor (JSON), if any.
    pub footnotes: Option<&'a str>,
}

/// A post's body as Markdown, with its pull quote candidates and what to review.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Body {
    pub markdown: String,
    /// Pull quotes whose words appear in the text (for `pull_quotes`).
    pub pull_quotes: Vec<String>,
    /// What was kept raw, changed, or left as text.
    pub notes: Vec<String>,
}

/// Converts a post's `content:encoded` to Markdown.
pub fn to_markdown(html: &str, context: &Context) -> Body {
    let mut notes = Vec::new();
    let html = html.replace("\r\n", "\n");
    let (html, footnotes) = take_footnotes(&html, context.footnotes);
    let block_editor = html.contains("<!-- wp:");
    let mut raw = Vec::new();
    let (html, quotes) = if block_editor {
        blocks(&html, &mut raw, &mut notes)
    } else {
        (html, Vec::new())
    };
    let html = shortcodes(&html, context, &mut notes);
    let html = if block_editor {
        html
    } else {
        autop(&bare_urls(&html, &mut notes))
    };
    // Footnotes as links within the page (pasted from Word, or a plugin's) once the classic
    // editor's paragraphs are made: a note is a paragraph or a list item.
    let (html, footnotes) = match footnotes.is_empty() {
        true => match page_notes::take(&html) {
            Some((html, found)) => {
                notes.push(page_notes::report(found.len()));
                (html, found)
            }
            None => (html, footnotes),
        },
        false => (html, footnotes),
    };
    let converted = html_md::convert_keeping(&html, raw);
    notes.extend(converted.notes);
    notes.extend(page_notes::missing(&footnotes));
    let mut markdown = page_notes::references(&converted.markdown, footnotes.len());
    if !footnotes.is_empty() {
        markdown.push('\n');
        markdown.push_str(&page_notes::definitions(&footnotes));
    }
    notes.extend(page_notes::unpaired(&markdown));
    let (markdown, pull_quotes) = place_pull_quotes(&markdown, &quotes, &mut notes);
    Body {
        markdown,
        pull_quotes,
        notes,
    }
}

fn quote_marker(i: usize) -> String {
    format!("{OPEN}pq{i}{CLOSE}")
}

/// Replaces the block editor's footnote references with placeholders numbered in order of
/// first use; returns the notes' HTML in that order.
fn take_footnotes(html: &str, meta: Option<&str>) -> (String, Vec<String>) {
    let Some(meta) = meta else {
        return (html.to_string(), Vec::new());
    };
    #[derive(serde::Deserialize)]
    struct Note {
        id: String,
        content: String,
    }
    let Ok(notes) = serde_json::from_str::<Vec<Note>>(meta) else {
        return (html.to_string(), Vec::new());
    };
    let mut order: Vec<String> = Vec::new();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<sup data-fn=") {
        let Some(len) = rest[start..].find("</sup>") else {
            break;
        };
        let end = start + len + "</sup>".len();
        let id = attribute(&rest[start..end], "data-fn").unwrap_or_default();
        out.push_str(&rest[..start]);
        let n = match order.iter().position(|o| *o == id) {
            Some(i) => i + 1,
            None => {
                order.push(id);
                order.len()
            }
        };
        out.push_str(&page_notes::marker(n));
        rest = &rest[end..];
    }
    out.push_str(rest);
    let texts = order
        .iter()
        .map(|id| {
            notes
                .iter()
                .find(|n| &n.id == id)
                .map(|n| n.content.clone())
                .unwrap_or_default()
        })
        .collect();
    (out, texts)
}

/// One `<!-- wp:name {attrs} -->` comment: where it is, its name and attributes.
struct Comment<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    attrs: &'a str,
    closing: bool,
    self_closing: bool,
}

fn next_comment(html: &str, from: usize) -> Option<Comment<'_>> {
    let start = from + html[from..].find("<!-- ")?;
    let inner_start = start + "<!-- ".len();
    let end = inner_start + html[inner_start..].find("-->")? + "-->".len();
    let inner = html[inner_start..end - 3].trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let Some(inner) = inner.strip_prefix("wp:") else {
        return next_comment(html, end);
    };
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/').trim();
    let (name, attrs) = inner.split_once(' ').unwrap_or((inner, ""));
    Some(Comment {
        start,
        end,
        name,
        attrs: attrs.trim(),
        closing,
        self_closing,
    })
}

/// Handles the block editor's comments: pull quotes become placeholders (their text returned),
/// embeds become links, custom HTML is kept raw, every other comment is removed.
fn blocks(html: &str, raw: &mut Vec<String>, notes: &mut Vec<String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut quotes = Vec::new();
    let mut at = 0;
    while let Some(comment) = next_comment(html, at) {
        out.push_str(&html[at..comment.start]);
        at = comment.end;
        if comment.closing || comment.self_closing {
            continue;
        }
        let whole = matches!(
            comment.name,
            "pullquote" | "embed" | "html" | "video" | "audio"
        ) || comment.name.starts_with("core-embed/");
        if !whole {
            continue;
        }
        let close = format!("<!-- /wp:{} -->", comment.name);
        let (inner, after) = match html[at..].find(&close) {
            Some(i) => (&html[at..at + i], at + i + close.len()),
            None => (&html[at..], html.len()),
        };
        at = after;
        match comment.name {
            "pullquote" => {
                let text = pull_quote_text(inner);
                if !text.is_empty() {
                    out.push_str(&format!("<p>{}</p>", quote_marker(quotes.len())));
                    quotes.push(text);
                }
            }
            "html" => {
                notes.push("kept a custom HTML block as raw HTML".into());
                out.push_str(&raw_marker(raw.len()));
                raw.push(inner.trim().to_string());
            }
            "video" | "audio" => out.push_str(inner),
            _ => {
                let url = serde_json::from_str::<serde_json::Value>(comment.attrs)
                    .ok()
                    .and_then(|v| v.get("url").and_then(|u| u.as_str()).map(String::from))
                    .unwrap_or_else(|| html_md::plain_text(inner));
                out.push_str(&embed_link(&url, notes));
            }
        }
    }
    out.push_str(&html[at..]);
    (out, quotes)
}

/// The quoted words of a pull quote block: its paragraphs, without the `<cite>`.
fn pull_quote_text(inner: &str) -> String {
    let without_cite = match (inner.find("<cite"), inner.find("</cite>")) {
        (Some(a), Some(b)) if b > a => format!("{}{}", &inner[..a], &inner[b + 7..]),
        _ => inner.to_string(),
    };
    html_md::plain_text(&without_cite)
}

/// An embed (a video, a post on another site) as a link to it, noted for review.
fn embed_link(url: &str, notes: &mut Vec<String>) -> String {
    let url = url.trim();
    notes.push(format!("embed of {url} converted to a link"));
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!("<p><a href=\"{escaped}\">{escaped}</a></p>")
}

/// Pull quotes found in the text stay in the front matter (brief places them); a quote whose
/// words are not in the text becomes a block quote where it stood, so nothing is lost.
fn place_pull_quotes(
    markdown: &str,
    quotes: &[String],
    notes: &mut Vec<String>,
) -> (String, Vec<String>) {
    if quotes.is_empty() {
        return (markdown.to_string(), Vec::new());
    }
    let mut without = markdown.to_string();
    for i in 0..quotes.len() {
        without = without.replace(&quote_marker(i), "");
    }
    let rendered = crate::markdown::render(
        &without,
        &crate::markdown::RenderSettings {
            toc_depth: 3,
            pull_quotes: quotes,
            links: &crate::markdown::links::LinkMap::default(),
            id_prefix: "",
            markup: &Default::default(),
            figures: Default::default(),
        },
    );
    let mut out = markdown.to_string();
    let mut kept = Vec::new();
    for (i, quote) in quotes.iter().enumerate() {
        if rendered.missing_quotes.contains(quote) {
            notes.push(format!(
                "pull quote \"{quote}\" is not in the text; kept as a block quote"
            ));
            out = out.replace(&quote_marker(i), &format!("> {quote}"));
        } else {
            out = out.replace(&quote_marker(i), "");
            kept.push(quote.clone());
        }
    }
    (tidy_blank_lines(&out), kept)
}

fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank < 2 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Expands the shortcodes brief can express; lists any other `[name]...[/name]` left as text.
fn shortcodes(html: &str, context: &Context, notes: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = find_shortcode(rest) {
        out.push_str(&rest[..open.start]);
        let after_open = &rest[open.end..];
        let close = format!("[/{}]", open.name);
        let (inner, consumed) = match after_open.find(&close) {
            Some(i) if open.name != "gallery" => (&after_open[..i], open.end + i + close.len()),
            _ => ("", open.end),
        };
        out.push_str(&expand(&open, inner, context, notes));
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    let mut unknown: Vec<&str> = Vec::new();
    for (i, _) in out.match_indices("[/") {
        let name = out[i + 2..].split(']').next().unwrap_or("");
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !unknown.contains(&name)
        {
            unknown.push(name);
        }
    }
    for name in self_closing(&out) {
        if !unknown.contains(&name) {
            unknown.push(name);
        }
    }
    for name in unknown {
        notes.push(format!("shortcode [{name}] left as text"));
    }
    out
}

/// Names of shortcodes without a closing tag (`[contact-form-7 id="42"]`, `[ninja_form
/// id=3]`, `[newsletter_signup]`), most real ones: a name with attributes (`=`) or a `/`
/// inside the brackets, or one with `_` or `-` in it. Bracketed prose ("[sic]", "[1]") has
/// neither.
fn self_closing(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for (i, _) in text.match_indices('[') {
        let rest = &text[i + 1..];
        let Some(end) = rest.find(']') else { continue };
        let inside = &rest[..end];
        let name_len = inside
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(inside.len());
        let name = &inside[..name_len];
        let tail = &inside[name_len..];
        let named = name.starts_with(|c: char| c.is_ascii_lowercase());
        let shaped = (tail.starts_with(' ')
            && (tail.contains('=') || tail.trim_end().ends_with('/')))
            || (tail.is_empty() && name.contains(['_', '-']));
        if named && shaped && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// An opening shortcode tag of a name brief handles.
struct Shortcode<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    attrs: &'a str,
}

const HANDLED: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
];

fn find_shortcode(html: &str) -> Option<Shortcode<'_>> {
    let mut from = 0;
    while let Some(i) = html[from..].find('[') {
        let start = from + i;
        from = start + 1;
        let tail = &html[start + 1..];
        let name_len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let name = &tail[..name_len];
        if !HANDLED.contains(&name) {
            continue;
        }
        let after = &tail[name_len..];
        if !(after.starts_with(']') || after.starts_with(' ')) {
            continue;
        }
        let close = after.find(']')?;
        return Some(Shortcode {
            start,
            end: start + 1 + name_len + close + 1,
            name,
            attrs: after[..close].trim(),
        });
    }
    None
}

fn expand(code: &Shortcode, inner: &str, context: &Context, notes: &mut Vec<String>) -> String {
    let attr = |name: &str| attribute(&format!(" {}", code.attrs), name);
    match code.name {
        "caption" | "wp_caption" => caption_figure(inner, attr("caption")),
        "gallery" => gallery(attr("ids"), context, notes),
        "embed" => embed_link(inner, notes),
        _ => {
            let url = [
                "src", "mp4", "webm", "ogv", "m4v", "mp3", "ogg", "wav", "m4a",
            ]
            .iter()
            .find_map(|k| attr(k))
            .unwrap_or_else(|| inner.trim().to_string());
            notes.push(format!("{} {url} converted to a link", code.name));
            let kind = if code.name == "video" {
                "Video"
            } else {
                "Audio"
            };
            format!("<p><a href=\"{url}\">{kind}: {url}</a></p>")
        }
    }
}

/// `[caption]<img ...> The caption[/caption]` as a figure.
fn caption_figure(inner: &str, caption_attr: Option<String>) -> String {
    let media_end = match inner.find("<img") {
        Some(img) => {
            let tag_end = inner[img..].find('>').map_or(inner.len(), |j| img + j + 1);
            match inner[tag_end..].trim_start().starts_with("</a>") {
                true => inner[tag_end..]
                    .find("</a>")
                    .map_or(tag_end, |k| tag_end + k + 4),
                false => tag_end,
            }
        }
        None => 0,
    };
    let caption = caption_attr.unwrap_or_else(|| inner[media_end..].trim().to_string());
    format!(
        "<figure>{}<figcaption>{}</figcaption></figure>",
        &inner[..media_end],
        caption.trim()
    )
}

fn gallery(ids: Option<String>, context: &Context, notes: &mut Vec<String>) -> String {
    let images: Vec<&Attachment> = match &ids {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| {
                let found = context.attachments.get(id.trim());
                if found.is_none() {
                    notes.push(format!("gallery image {} is not in the export", id.trim()));
                }
                found
            })
            .collect(),
        None => context
            .attachments
            .values()
            .filter(|a| a.parent == context.post_id)
            .collect(),
    };
    images.iter().map(|a| figure(a)).collect()
}

/// An attachment as a figure, escaped for HTML.
pub fn figure(a: &Attachment) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let caption = match a.caption.trim() {
        "" => String::new(),
        c => format!("<figcaption>{}</figcaption>", esc(c)),
    };
    format!(
        "<figure><img src=\"{}\" alt=\"{}\">{caption}</figure>",
        esc(&a.url),
        esc(&a.alt)
    )
}

/// Classic-editor text: a URL alone on its line is an embed (WordPress shows the video).
fn bare_urls(text: &str, notes: &mut Vec<String>) -> String {
    text.lines()
        .map(|line| {
            let t = line.trim();
            let is_url = (t.starts_with("https://") || t.starts_with("http://"))
                && !t.contains(char::is_whitespace)
                && !t.contains('<')
                && !t.contains('"');
            if is_url {
                format!("\n{}\n", embed_link(t, notes))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tags that start a block: text beginning with one is not wrapped in `<p>` (as wpautop).
const BLOCK_TAGS: &[&str] = &[
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "col",
    "colgroup",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
    "iframe",
    "video",
    "audio",
    "object",
    "script",
];

fn starts_block(line: &str) -> bool {
    let Some(tag) = line.trim_start().strip_prefix('<') else {
        return false;
    };
    let tag = tag.trim_start_matches('/');
    let name_len = tag
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    BLOCK_TAGS.contains(&tag[..name_len].to_ascii_lowercase().as_str())
        || line.trim_start().starts_with("<!--")
        || line.contains(OPEN)
}

/// WordPress's autop for classic-editor text: a blank line separates paragraphs, a single
/// newline is a line break, block-level HTML stays as it is, `<pre>` is left untouched.
pub fn autop(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(start) = rest.find("<pre") {
        let end = rest[start..]
            .find("</pre>")
            .map_or(rest.len(), |i| start + i + "</pre>".len());
        out.push_str(&autop_text(&rest[..start]));
        out.push_str(&rest[start..end]);
        out.push('\n');
        rest = &rest[end..];
    }
    out.push_str(&autop_text(rest));
    out
}

fn autop_text(text: &str) -> String {
    let mut out = String::new();
    for chunk in split_paragraphs(text) {
        let mut lines: Vec<&str> = Vec::new();
        for line in chunk.lines().filter(|l| !l.trim().is_empty()) {
            if starts_block(line) {
                flush_paragraph(&mut out, &mut lines);
                out.push_str(line);
                out.push('\n');
            } else {
                lines.push(line.trim());
            }
        }
        flush_paragraph(&mut out, &mut lines);
    }
    out
}

fn flush_paragraph(out: &mut String, lines: &mut Vec<&str>) {
    if !lines.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", lines.join("<br />")));
        lines.clear();
    }
}

fn split_paragraphs(text: &str) -> Vec<String> {
    let mut chunks = vec![String::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            if !chunks.last().is_some_and(String::is_empty) {
                chunks.push(String::new());
            }
        } else {
            let last = chunks.last_mut().expect("never empty");
            last.push_str(line);
            last.push('\n');
        }
    }
    chunks.retain(|c| !c.is_empty());
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(html: &str) -> Body {
        let attachments = BTreeMap::new();
        to_markdown(
            html,
            &Context {
                attachments: &attachments,
                post_id: "1",
                footnotes: None,
            },
        )
    }

    #[test]
    fn autop_makes_paragraphs_and_line_breaks() {
        assert_eq!(
            autop("One\ntwo\n\nThree\n<h2>Head</h2>\nFour"),
            "<p>One<br />two</p>\n<p>Three</p>\n<h2>Head</h2>\n<p>Four</p>\n"
        );
    }

    #[test]
    fn classic_text_becomes_paragraphs_with_hard_breaks() {
        let body = convert("First line\nsecond line\n\nA &amp; B");
        assert_eq!(body.markdown, "First line  \nsecond line\n\nA & B\n");
    }

    #[test]
    fn caption_shortcode_is_an_image_with_its_caption() {
        let body = convert(
            "[caption id=\"a\" width=\"300\"]<img src=\"https://x.org/a.jpg\" alt=\"A\" /> The caption[/caption]\n\nText",
        );
        assert_eq!(
            body.markdown,
            "![A](https://x.org/a.jpg)\n\n*The caption*\n\nText\n"
        );
    }

    #[test]
    fn unknown_shortcodes_are_listed() {
        let body = convert("[contact-form]Hi[/contact-form]");
        assert_eq!(body.notes, ["shortcode [contact-form] left as text"]);
    }

    #[test]
    fn shortcodes_without_a_closing_tag_are_listed_but_bracketed_prose_is_not() {
        let body = convert(
            "<p>Sign up: [contact-form-7 id=\"42\" title=\"Newsletter\"] or [ninja_form id=3].</p>\
             <p>[newsletter_signup] and [gallery_widget /] but not [sic], [1] or [Editor's note].</p>",
        );
        assert_eq!(
            body.notes,
            [
                "shortcode [contact-form-7] left as text",
                "shortcode [ninja_form] left as text",
                "shortcode [newsletter_signup] left as text",
                "shortcode [gallery_widget] left as text",
            ]
        );
    }

    #[test]
    fn word_footnotes_in_the_classic_editor_become_notes() {
        // As WordPress stores a post pasted from Word: paragraphs are blank lines, not `<p>`.
        let body = convert(
            "Kim wants arms.<a title=\"\" href=\"#_ftn1\" name=\"_ftnref1\"><sup>[1]</sup></a> Putin wants shells.<a href=\"#_ftn2\" name=\"_ftnref2\">[2]</a>\n\n\
             &nbsp;\n\n<hr align=\"left\" size=\"1\" width=\"33%\" />\n\n\
             <a title=\"\" href=\"#_ftnref1\" name=\"_ftn1\">[1]</a> Reuters, <em>13 September</em> 2023.\n\n\
             <a href=\"#_ftnref2\" name=\"_ftn2\">[2]</a> See 38 North.",
        );
        assert_eq!(
            body.markdown,
            "Kim wants arms.[^1] Putin wants shells.[^2]\n\n\
             [^1]: Reuters, *13 September* 2023.\n[^2]: See 38 North.\n"
        );
        assert_eq!(
            body.notes,
            ["2 footnotes written as in-page links made [^n] notes: check their text"]
        );
    }

    #[test]
    fn footnote_links_without_their_notes_are_reported() {
        let body = convert(
            "<p>Word style.<a href=\"#_ftn1\" name=\"_ftnref1\"><sup>[1]</sup></a></p>\
             <p>The notes were lost in an earlier migration.</p>",
        );
        assert_eq!(
            body.notes,
            ["footnotes written as in-page links (#_ftn1) left as links: make them [^n] notes"]
        );
        let body = convert(
            "<p>Plain.</p><p>A <a href=\"#top\">link</a> and <a href=\"#fname\">one</a>.</p>",
        );
        assert!(body.notes.is_empty(), "{:?}", body.notes);
    }

    #[test]
    fn pull_quote_in_the_text_goes_to_front_matter_else_stays() {
        let html = "<!-- wp:paragraph --><p>Each man has much to offer the other.</p><!-- /wp:paragraph -->\n<!-- wp:pullquote --><figure class=\"wp-block-pullquote\"><blockquote><p>much to offer the other</p><cite>X</cite></blockquote></figure><!-- /wp:pullquote -->\n<!-- wp:pullquote --><figure><blockquote><p>Not in the text</p></blockquote></figure><!-- /wp:pullquote -->";
        let body = convert(html);
        assert_eq!(body.pull_quotes, ["much to offer the other"]);
        assert_eq!(
            body.markdown,
            "Each man has much to offer the other.\n\n> Not in the text\n"
        );
    }
}
