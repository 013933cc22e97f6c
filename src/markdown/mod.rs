//! Stage 3: Markdown to HTML, as small passes over pulldown-cmark's event stream.
//!
//! 1. parse with the options of [`parser_options`] (the only place they are set), and drop
//!    HTML comments, which are notes among editors ([`comments::drop`]);
//! 2. [`figures::place`] turns `figure`, `table`, `chart` and `embed` blocks into numbered
//!    `<figure>`s ([`chart`], [`embed`]), and [`xrefs::link`] makes `@fig-…`/`@tbl-…` links to them;
//!    Images of the bundle get their widths ([`responsive::replace`]);
//! 3. [`links::rewrite`] resolves `@/` links and puts root-relative ones under base_url's path,
//!    in Markdown links and in raw HTML ([`html_urls`]);
//!    [`citations::apply`] (briefs with a bibliography, see [`render_cited`]) puts formatted
//!    citations in the place of `[@key]`: in a note style as notes of their own;
//! 4. [`notes::extract`] pulls footnote definitions out and numbers the references;
//! 5. [`headings::assign_ids`] gives every heading an id unique on the page and a self-link
//!    (explicit `{#id}`s that would clash are reported by [`headings::check_explicit`]); in a
//!    document with an id prefix (a bio), [`headings::prefix_anchors`] makes its own `#` links
//!    follow;
//! 6. [`pull_quotes::place`] puts each pull quote after the block that contains it;
//! 7. [`text`] takes the summary and word count; the TOC is built by [`toc::build`].

pub mod chart;
pub mod chart_data;
pub mod citations;
pub mod comments;
pub mod embed;
pub mod figures;
pub mod fragments;
pub mod headings;
pub mod html_urls;
pub mod images;
pub mod links;
pub mod notes;
pub mod pull_quotes;
pub mod responsive;
pub mod scan;
pub mod text;
pub mod toc;
pub mod xrefs;

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser};

pub use notes::Note;
pub use toc::TocEntry;

/// How a document is rendered.
#[derive(Debug, Clone)]
pub struct RenderSettings<'a> {
    /// Deepest heading level listed in the table of contents.
    pub toc_depth: u8,
    /// Entries of the brief's `pull_quotes`, in front-matter order.
    pub pull_quotes: &'a [String],
    /// Where `@/` links point.
    pub links: &'a links::LinkMap,
    /// Put in front of every id the document's headings and notes get, so that a document
    /// shown on other documents' pages keeps ids of its own: "" for briefs and pages,
    /// [`headings::bio_prefix`] for author bios.
    pub id_prefix: &'a str,
    /// The theme's markup for pull quotes, notes and heading links, and its reserved ids.
    pub markup: &'a fragments::Markup,
    /// The language of the figures' labels and the bundle's data files, for figure blocks.
    pub figures: figures::Inputs<'a>,
}

/// A rendered Markdown document and what was learnt from it on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Number of headings that the TOC would list (decides whether it is shown by default).
    pub toc_headings: usize,
    pub notes: Vec<Note>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Plain text of the whole document, one space between blocks (for the search index).
    pub text: String,
    pub word_count: usize,
    /// Pull quotes (as given) that appear nowhere in the text.
    pub missing_quotes: Vec<String>,
    /// Problems that do not stop the build (e.g. a note that is never referenced).
    pub warnings: Vec<String>,
    /// `@/` links to content that does not exist (a build error).
    pub broken_links: Vec<links::Broken>,
    /// Explicit heading ids that would not be unique on the page (a build error).
    pub bad_ids: Vec<headings::BadId>,
    /// What the citation pass found: the references list, unknown keys, the works cited.
    pub citations: citations::Found,
    /// Byte ranges of `html` that only the page needs (sidenotes, heading self-links, pull
    /// quotes), in order: a feed, which shows the notes at the end and no margin, leaves them
    /// out ([`without_furniture`]).
    pub furniture: Vec<Range<usize>>,
    /// Figures, tables, charts and embeds: their labels, problems (build errors), warnings
    /// (a missing source or alt text, a reference to no figure) and the bundle files they use.
    pub figures: figures::Report,
}

/// Marks the start and the end of page furniture in the HTML as it is written. [`render`]
/// replaces every NUL of its input with U+FFFD (as CommonMark requires), so no text holds one.
pub(crate) const MARK: char = '\0';

/// The events of a piece of page furniture: its HTML between two [`MARK`]s.
pub(crate) fn furniture<'a>(html: String) -> Vec<Event<'a>> {
    let block = html.ends_with('\n');
    vec![
        Event::InlineHtml(CowStr::Borrowed("\0")),
        Event::InlineHtml(CowStr::from(html)),
        // The HTML writer starts the next block on a new line unless the last thing written
        // ended one; after block furniture it did, so the closing mark ends one too, and
        // `split_furniture` drops that newline again.
        Event::InlineHtml(CowStr::Borrowed(if block { "\0\n" } else { "\0" })),
    ]
}

/// The HTML without its [`MARK`]s (and the newline a block's closing mark brings, see
/// [`furniture`]), and the byte ranges the marks enclosed.
fn split_furniture(marked: &str) -> (String, Vec<Range<usize>>) {
    let mut html = String::with_capacity(marked.len());
    let mut ranges = Vec::new();
    let mut open = None;
    let mut rest = marked;
    while let Some(at) = rest.find(MARK) {
        html.push_str(&rest[..at]);
        rest = &rest[at + MARK.len_utf8()..];
        match open.take() {
            None => open = Some(html.len()),
            Some(start) => {
                ranges.push(start..html.len());
                if html.ends_with('\n') {
                    rest = rest.strip_prefix('\n').unwrap_or(rest);
                }
            }
        }
    }
    html.push_str(rest);
    (html, ranges)
}

/// `html` without the byte ranges `furniture` (as [`Rendered::furniture`] gives them).
pub fn without_furniture(html: &str, furniture: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for range in furniture {
        out.push_str(&html[from..range.start]);
        from = range.end;
    }
    out.push_str(&html[from..]);
    out
}

/// The parser options used for every piece of Markdown, so that all of it behaves alike.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a whole document: body of a brief, page or author bio.
pub fn render(source: &str, settings: &RenderSettings) -> Rendered {
    render_cited(source, settings, None)
}

/// Renders a document whose citations (`[@key]`) `engine` formats; [`render`] without one
/// leaves every `@` as written.
pub fn render_cited(
    source: &str,
    settings: &RenderSettings,
    engine: Option<&dyn citations::Engine>,
) -> Rendered {
    // CommonMark replaces NUL with U+FFFD (pulldown-cmark leaves it), which also keeps [`MARK`]
    // out of the text. Content files with one are refused at load (`content::control`), so the
    // shifted offsets of this copy never reach a message.
    let replaced;
    let source = if source.contains(MARK) {
        replaced = source.replace(MARK, "\u{FFFD}");
        replaced.as_str()
    } else {
        source
    };
    let parsed = comments::drop(
        Parser::new_ext(source, parser_options())
            .into_offset_iter()
            .collect(),
    );
    let bad_ids = headings::check_explicit(&parsed, settings.markup.reserved_ids());
    let (parsed, mut figures) = figures::place(parsed, &settings.figures, settings.markup);
    let (parsed, xref_warnings) = xrefs::link(parsed, &figures.labels);
    let parsed = responsive::replace(parsed, settings.figures.pictures, figures.first_image);
    figures.warnings.extend(xref_warnings);
    // After the cross-references, which take the `@fig-…` and `@tbl-…` keys.
    let (parsed, citations) = match engine {
        Some(engine) => citations::apply(parsed, source, engine),
        None => (parsed, citations::Found::default()),
    };
    let (events, broken_links) = links::rewrite(parsed, settings.links);
    let prefix = settings.id_prefix;
    let (events, notes, mut warnings) =
        notes::extract(events, prefix, settings.figures.lang, settings.markup);
    let (events, found) = headings::assign_ids(events, prefix, settings.markup);
    let events = headings::prefix_anchors(events, prefix, &found.local_ids);
    warnings.extend(found.warnings);
    let toc_headings: Vec<_> = found
        .headings
        .into_iter()
        .filter(|h| (2..=settings.toc_depth).contains(&h.level))
        .collect();
    let first_paragraph = text::first_paragraph(&events);
    let word_count = text::word_count(&events);
    let plain_text = text::blocks(&events);
    let (events, missing_quotes) =
        pull_quotes::place(events, settings.pull_quotes, settings.markup);
    let mut marked = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut marked, events.into_iter());
    // Bodies stay in memory until their page is written; `split_furniture` allocates just
    // what the HTML needs.
    let (mut html, furniture) = split_furniture(&marked);
    html.shrink_to_fit();
    warnings.sort();
    Rendered {
        html,
        toc_headings: toc_headings.len(),
        toc: toc::build(&toc_headings),
        notes,
        first_paragraph,
        text: plain_text,
        word_count,
        missing_quotes,
        warnings,
        broken_links,
        bad_ids,
        citations,
        furniture,
        figures,
    }
}

/// Renders a short piece of inline Markdown (a caption, a pull quote) without the `<p>` around it.
pub fn render_inline(source: &str) -> String {
    let events = comments::drop(
        Parser::new_ext(source, parser_options())
            .into_offset_iter()
            .collect(),
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    unwrap_paragraph(&html)
}

/// [`render_inline`] for text that may link (a takeaway, a footer): its links and images
/// rewritten as a body's are ([`links::rewrite`]: under the base_url's path, `@/` resolved),
/// with the `@/` links that point nowhere (kept as written).
pub fn render_inline_linked(source: &str, map: &links::LinkMap) -> (String, Vec<links::Broken>) {
    let parsed = comments::drop(
        Parser::new_ext(source, parser_options())
            .into_offset_iter()
            .collect(),
    );
    let (events, broken) = links::rewrite(parsed, map);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (unwrap_paragraph(&html), broken)
}

/// The HTML of one paragraph without its `<p>`; anything else as it is.
fn unwrap_paragraph(html: &str) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        // Only unwrap a single paragraph; "<p>a</p>\n<p>b</p>" keeps its structure.
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Plain text of a short piece of inline Markdown.
pub fn inline_text(source: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(source, parser_options()).collect();
    text::plain(&events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_drops_paragraph_only() {
        assert_eq!(render_inline("Hello *world*"), "Hello <em>world</em>");
        assert_eq!(render_inline("a\n\nb"), "<p>a</p>\n<p>b</p>");
    }

    #[test]
    fn raw_text_is_escaped() {
        assert_eq!(
            render_inline("Tom & \"Jerry\" <3"),
            "Tom &amp; “Jerry” &lt;3"
        );
    }

    #[test]
    fn render_combines_passes() {
        let quotes = vec!["a quote here".to_string()];
        let settings = RenderSettings {
            toc_depth: 3,
            pull_quotes: &quotes,
            links: &links::LinkMap::default(),
            id_prefix: "",
            markup: &fragments::Markup::default(),
            figures: Default::default(),
        };
        let out = render(
            "## One\n\nText with a quote here.[^n]\n\n## Two\n\n[^n]: The note.\n",
            &settings,
        );
        assert_eq!(out.toc.len(), 2);
        assert_eq!(out.notes.len(), 1);
        assert!(out.missing_quotes.is_empty());
        assert!(out.html.contains(r#"<h2 id="one">"#), "{}", out.html);
        assert!(
            out.html
                .contains(r##"<a href="#note-1" aria-label="Note 1">1</a>"##),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<aside class="pull-quote""#),
            "{}",
            out.html
        );
        assert_eq!(out.first_paragraph, "Text with a quote here.");
    }

    #[test]
    fn a_nul_in_the_text_is_never_taken_for_a_furniture_mark() {
        let settings = RenderSettings {
            toc_depth: 3,
            pull_quotes: &[],
            links: &links::LinkMap::default(),
            id_prefix: "",
            markup: &fragments::Markup::default(),
            figures: Default::default(),
        };
        let out = render(
            "## A\0B\n\nText \0 and <span>\0</span> `\0`\n\n<div>\0</div>\n",
            &settings,
        );
        assert!(!out.html.contains(MARK), "{:?}", out.html);
        assert_eq!(out.furniture.len(), 1, "{:?}", out.html);
        assert!(out.html[out.furniture[0].clone()].starts_with("<a class=\"heading-anchor\""));
    }
}
