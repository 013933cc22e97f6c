//! Pass: numbered figures, tables and charts, written as fenced blocks whose options are TOML.
//!
//! ````markdown
//! ```figure
//! id = "fig-launches"
//! image = "launches.png"
//! alt = "Column chart: launches rose from 4 in 2019 to 69 in 2022"
//! title = "Missile launches by year"
//! source = "CSIS Missile Defense Project"
//! ```
//! ````
//!
//! A `table` block holds a Markdown table after a `+++` line; a `chart` block draws its CSV
//! ([`super::chart`]). Figures and charts are numbered "Figure 1", "Figure 2"…, tables "Table 1"…
//! in the order they appear, and each becomes a `<figure>` with a `<figcaption>` (its label,
//! title and caption) and a source line. Ids start with `fig-` or `tbl-`, so that `@fig-launches`
//! in the text can link to them ([`super::xrefs`]). The pass runs before
//! [`super::links::rewrite`], so a root-relative image path gets the site's sub-path like any
//! other link.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Deserialize;

use super::render_inline;

/// What the pass needs besides the Markdown: the document's language (for "Figure 1" and the
/// other labels) and the text of the CSV files of its bundle, by path inside the bundle.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub lang: &'a str,
    pub data: &'a BTreeMap<String, String>,
    /// The bundle's images published in several widths, by path inside the bundle.
    pub pictures: &'a BTreeMap<String, crate::images::Picture>,
    /// Whether the document's first image is the first a reader sees (a brief without a hero,
    /// a page): then it is fetched at once, not lazily ([`crate::images::Fetch`]).
    pub eager_first: bool,
}

static NO_DATA: BTreeMap<String, String> = BTreeMap::new();
static NO_PICTURES: BTreeMap<String, crate::images::Picture> = BTreeMap::new();

impl Default for Inputs<'_> {
    fn default() -> Self {
        Inputs {
            lang: crate::i18n::FALLBACK,
            data: &NO_DATA,
            pictures: &NO_PICTURES,
            eager_first: false,
        }
    }
}

/// A problem that stops the build, at a byte offset of the Markdown, or in a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub help: String,
    /// The data file (path inside the bundle), line and column when the problem is in it.
    pub in_data: Option<(String, usize, usize)>,
}

/// Events with their byte ranges in the Markdown, as the passes before [`super::links::rewrite`]
/// take and give them.
pub type Located<'a> = Vec<(Event<'a>, Range<usize>)>;

/// What the pass found: numbers, problems, warnings and the bundle files the document uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Id -> label ("fig-launches" -> "Figure 2"), for cross-references.
    pub labels: BTreeMap<String, String>,
    pub problems: Vec<Problem>,
    /// Warnings at byte offsets of the Markdown.
    pub warnings: Vec<(usize, String)>,
    /// Relative paths of images and data files the document refers to.
    pub files: BTreeSet<String>,
    /// Byte offset of the image (a Markdown image or a `figure` block) to fetch first, when
    /// [`Inputs::eager_first`]: the first of the document.
    pub first_image: Option<usize>,
}

/// The kinds of block, by the fenced block's info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Figure,
    Table,
    Chart,
    Embed,
}

impl Kind {
    /// The kind of block a fenced code block's info string names, if it is one of these.
    pub fn of(info: &str) -> Option<Kind> {
        match info.trim() {
            "figure" => Some(Kind::Figure),
            "table" => Some(Kind::Table),
            "chart" => Some(Kind::Chart),
            "embed" => Some(Kind::Embed),
            _ => None,
        }
    }

    /// The id prefix of its kind: tables are counted apart from everything else.
    fn prefix(self) -> &'static str {
        match self {
            Kind::Table => "tbl-",
            _ => "fig-",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Figure => "figure",
            Kind::Table => "table",
            Kind::Chart => "chart",
            Kind::Embed => "embed",
        }
    }
}

/// The options of [`Caption`], which every kind of block takes: rendered as inline Markdown,
/// raw HTML and all (an embed's `title` is its caption's title too).
pub const CAPTION_KEYS: &[&str] = &["title", "caption", "source", "credit", "note"];

/// A block's text split into its options and, for a table, the Markdown table after its
/// `+++` line (empty for the other kinds, or a table without that line).
pub fn split_options(kind: Kind, text: &str) -> (&str, &str) {
    match kind {
        Kind::Table => match text.split_once("\n+++") {
            Some((options, rest)) => (options, rest.split_once('\n').map_or("", |(_, b)| b)),
            None => (text, ""),
        },
        _ => (text, ""),
    }
}

/// The lines around a figure's content, common to every kind: all inline Markdown.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Caption {
    pub title: Option<String>,
    pub caption: Option<String>,
    pub source: Option<String>,
    pub credit: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureOptions {
    id: Option<String>,
    image: String,
    alt: Option<String>,
    title: Option<String>,
    caption: Option<String>,
    source: Option<String>,
    credit: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableOptions {
    id: Option<String>,
    title: Option<String>,
    caption: Option<String>,
    source: Option<String>,
    credit: Option<String>,
    note: Option<String>,
}

/// One block found in the document.
struct Block {
    kind: Kind,
    /// Its text (the options, and a table's Markdown).
    text: String,
    /// Byte offset of the block's fence, and of its first line of text.
    start: usize,
    text_start: usize,
}

/// A block's id and label, once numbered.
pub struct Numbered<'l> {
    pub id: Option<String>,
    pub label: String,
    pub language: &'l crate::i18n::Language,
}

/// Replaces every figure, table, chart and embed block with its HTML.
pub fn place<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    inputs: &Inputs,
    markup: &super::fragments::Markup,
) -> (Vec<(Event<'a>, Range<usize>)>, Report) {
    let mut report = Report {
        first_image: inputs.eager_first.then(|| first_image(&events)).flatten(),
        ..Report::default()
    };
    let language = markup.language(inputs.lang);
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<Block> = None;
    let mut counts = (0, 0);
    for (event, range) in events {
        match (&mut open, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                match Kind::of(&info) {
                    Some(kind) => {
                        open = Some(Block {
                            kind,
                            text: String::new(),
                            start: range.start,
                            text_start: range.end,
                        })
                    }
                    None => out.push((
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))),
                        range,
                    )),
                }
            }
            (Some(block), Event::Text(text)) => {
                if block.text.is_empty() {
                    block.text_start = range.start;
                }
                block.text.push_str(&text);
            }
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let block = open.take().expect("a block is open");
                let n = if block.kind == Kind::Table {
                    counts.1 += 1;
                    counts.1
                } else {
                    counts.0 += 1;
                    counts.0
                };
                let html = render_block(&block, n, language, inputs, &mut report);
                let at = block.start..range.end;
                out.push((Event::Html(CowStr::from(html)), at));
            }
            (None, Event::Start(Tag::Table(alignments))) => {
                let open = scroll_open(&language.t("table", None));
                out.push((Event::Html(CowStr::from(open)), range.start..range.start));
                out.push((Event::Start(Tag::Table(alignments)), range));
            }
            (None, Event::End(TagEnd::Table)) => {
                let end = range.end;
                out.push((Event::End(TagEnd::Table), range));
                out.push((Event::Html(CowStr::Borrowed(SCROLL_CLOSE)), end..end));
            }
            (_, event) => out.push((event, range)),
        }
    }
    for (event, _) in &out {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            note_file(dest_url, &mut report.files);
        }
    }
    (out, report)
}

/// The box a table scrolls in when it is wider than the page (on a phone). A box that scrolls
/// must be reachable by keyboard (WCAG 2.1.1; Safari does not make it so by itself), and
/// then it needs a name to be announced by: "Table", or a numbered table's label. A group,
/// not a region: a page of several tables would otherwise list as many landmarks.
fn scroll_open(name: &str) -> String {
    format!(
        "<div class=\"table-scroll\" role=\"group\" tabindex=\"0\" aria-label=\"{}\">\n",
        attr(name)
    )
}

const SCROLL_CLOSE: &str = "</div>\n";

/// Byte offset of the first Markdown image or `figure` block of `events`.
fn first_image(events: &Located) -> Option<usize> {
    events.iter().find_map(|(event, range)| match event {
        Event::Start(Tag::Image { .. }) => Some(range.start),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            if Kind::of(info) == Some(Kind::Figure) =>
        {
            Some(range.start)
        }
        _ => None,
    })
}

/// The HTML of one block, or an empty string when its options are wrong (then a problem).
fn render_block(
    block: &Block,
    n: usize,
    language: &crate::i18n::Language,
    inputs: &Inputs,
    report: &mut Report,
) -> String {
    let (options, body) = split_options(block.kind, &block.text);
    let label_key = if block.kind == Kind::Table {
        "table_n"
    } else {
        "figure_n"
    };
    let number = Numbered {
        id: None,
        label: language.t(label_key, Some(n as i64)),
        language,
    };
    let problems_before = report.problems.len();
    let html = match block.kind {
        Kind::Figure => parse(options, block, report).map(|o: FigureOptions| {
            let number = numbered(number, o.id.as_deref(), block, report);
            let fetch = if report.first_image == Some(block.start) {
                crate::images::Fetch::First
            } else {
                crate::images::Fetch::Lazy
            };
            figure(&o, &number, inputs.pictures, fetch, block.start, report)
        }),
        Kind::Table => parse(options, block, report).map(|o: TableOptions| {
            let number = numbered(number, o.id.as_deref(), block, report);
            table(&o, body, &number, block.start, report)
        }),
        Kind::Chart => parse(options, block, report).map(|o: super::chart::ChartOptions| {
            let number = numbered(number, o.id.as_deref(), block, report);
            super::chart::render(&o, &number, inputs.data, block.start, report)
        }),
        Kind::Embed => parse(options, block, report).map(|o: super::embed::EmbedOptions| {
            let number = numbered(number, o.id.as_deref(), block, report);
            super::embed::render(&o, &number, block.start, report)
        }),
    };
    if report.problems.len() > problems_before {
        return String::new();
    }
    html.unwrap_or_default()
}

/// The block's options, or a problem at the line of the TOML error.
fn parse<T: serde::de::DeserializeOwned>(
    options: &str,
    block: &Block,
    report: &mut Report,
) -> Option<T> {
    match toml::from_str::<T>(options) {
        Ok(value) => Some(value),
        Err(e) => {
            let offset = block.text_start + e.span().map_or(0, |s| s.start);
            report.problems.push(Problem {
                offset,
                message: format!(
                    "the options of this `{}` block are not valid: {}",
                    block.kind.name(),
                    e.message()
                ),
                help: help_for(block.kind).to_string(),
                in_data: None,
            });
            None
        }
    }
}

fn help_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Figure => {
            "a figure block takes image (required), id, alt, title, caption, source, credit and note, as TOML: image = \"chart.png\""
        }
        Kind::Table => {
            "a table block takes id, title, caption, source, credit and note as TOML, then a line `+++`, then the Markdown table"
        }
        Kind::Chart => {
            "a chart block takes type, data, x, y (required), id, title, caption, source, credit, note, x_label, y_label, unit and alt, as TOML"
        }
        Kind::Embed => {
            "an embed block takes url and title (required), id, fallback, alt, aspect, height, caption, source, credit and note, as TOML"
        }
    }
}

/// Checks the block's id and records its label for cross-references.
fn numbered<'l>(
    mut number: Numbered<'l>,
    id: Option<&str>,
    block: &Block,
    report: &mut Report,
) -> Numbered<'l> {
    let Some(id) = id else {
        return number;
    };
    let prefix = block.kind.prefix();
    let valid = id.len() > prefix.len()
        && id.starts_with(prefix)
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        report.problems.push(Problem {
            offset: block.text_start,
            message: format!("the id `{id}` of this {} is not usable", block.kind.name()),
            help: format!(
                "an id starts with `{prefix}` and has only letters, digits, `-` and `_`: id = \"{prefix}launches\""
            ),
            in_data: None,
        });
    } else if report.labels.contains_key(id) {
        report.problems.push(Problem {
            offset: block.text_start,
            message: format!("the id `{id}` is used by another figure or table of this document"),
            help: "give each figure and table an id of its own".to_string(),
            in_data: None,
        });
    } else {
        report.labels.insert(id.to_string(), number.label.clone());
        number.id = Some(id.to_string());
    }
    number
}

/// Reads the `image` of every `figure` block and the `fallback` of every `embed` block of a
/// body from its events ([`super::scan`]), as written, in order: what [`crate::images::uses`]
/// looks for in `static/` besides the Markdown images. A block whose options are not valid
/// TOML is left out here and reported by [`place`].
#[derive(Debug, Default)]
pub struct BlockImageReader {
    images: Vec<String>,
    /// The options of the figure or embed block being read.
    open: Option<String>,
}

impl BlockImageReader {
    pub fn read(&mut self, event: &Event) {
        #[derive(Deserialize)]
        struct ImageOnly {
            image: Option<String>,
            fallback: Option<String>,
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if matches!(Kind::of(info), Some(Kind::Figure | Kind::Embed)) =>
            {
                self.open = Some(String::new());
            }
            Event::Text(text) => {
                if let Some(options) = &mut self.open {
                    options.push_str(text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let options = self.open.take().unwrap_or_default();
                if let Ok(found) = toml::from_str::<ImageOnly>(&options) {
                    let named = [found.image, found.fallback].into_iter().flatten();
                    self.images
                        .extend(named.map(|image| image.trim().to_string()));
                }
            }
            _ => {}
        }
    }

    pub fn finish(self) -> Vec<String> {
        self.images
    }
}

/// Records `url` as a bundle file the document uses, when it is a path inside the bundle: the
/// file's name, its `%20`s decoded. A block's field names a file as it is: give it as
/// [`file_attr`] writes it.
pub fn note_file(url: &str, files: &mut BTreeSet<String>) {
    let url = url.split(['#', '?']).next().unwrap_or("");
    let url = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let relative = !url.is_empty()
        && !url.starts_with('/')
        && !url.starts_with('@')
        && !url.contains("://")
        && !url.contains(':');
    if relative {
        files.insert(url.trim_start_matches("./").to_string());
    }
}

/// An attribute value, escaped.
pub fn attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_html(&mut out, value).expect("writing to a String cannot fail");
    out
}

/// A URL for an `href` or `src`, escaped (`escape_href` escapes `&` and `'` for HTML too:
/// escaping it again made `&amp;amp;`).
pub fn url_attr(value: &str) -> String {
    let mut href = String::with_capacity(value.len());
    escape_href(&mut href, value).expect("writing to a String cannot fail");
    href
}

/// Whether a block's `image` is a full address rather than the name of a file of the site.
pub fn is_address(value: &str) -> bool {
    value.contains("://") || value.starts_with("data:")
}

/// The `src` or `href` of a file a block names (`image = "map #2.png"`): a file's name, each
/// character as it is (a `?` or `#` too), unless it is a full address.
pub fn file_attr(value: &str) -> String {
    if is_address(value) {
        url_attr(value)
    } else {
        crate::urls::file_address(value)
    }
}

/// `<figure>`, its `<figcaption>` (label, title, caption), `content`, and the source line.
pub fn wrap(kind: &str, number: &Numbered, caption: &Caption, content: &str) -> String {
    let mut html = format!("<figure class=\"figure figure-{kind}\"");
    if let Some(id) = &number.id {
        html.push_str(&format!(" id=\"{}\"", attr(id)));
    }
    html.push_str(">\n<figcaption>");
    html.push_str(&format!(
        "<span class=\"figure-label\">{}</span>",
        attr(&number.label)
    ));
    if let Some(title) = nonempty(&caption.title) {
        html.push_str(&format!(
            " <span class=\"figure-title\">{}</span>",
            render_inline(title)
        ));
    }
    if let Some(text) = nonempty(&caption.caption) {
        html.push_str(&format!(
            " <span class=\"figure-caption\">{}</span>",
            render_inline(text)
        ));
    }
    html.push_str("</figcaption>\n");
    html.push_str(content);
    html.push_str(&source_line(caption, number.language));
    html.push_str("</figure>\n");
    html
}

/// "Note: … Source: … Credit: …" under a figure, or nothing.
fn source_line(caption: &Caption, language: &crate::i18n::Language) -> String {
    let parts: Vec<String> = [
        ("figure_note", "figure-note", &caption.note),
        ("figure_source", "figure-source", &caption.source),
        ("figure_credit", "figure-credit", &caption.credit),
    ]
    .into_iter()
    .filter_map(|(key, class, value)| {
        let value = nonempty(value)?;
        Some(format!(
            "<span class=\"{}\"><span class=\"figure-key\">{}</span> {}</span>",
            class,
            attr(&language.t(key, None)),
            render_inline(value)
        ))
    })
    .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!("<p class=\"figure-footer\">{}</p>\n", parts.join(" "))
}

pub fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Warns when a figure has no source: a reader cannot check where its evidence comes from.
pub fn warn_without_source(caption: &Caption, what: &str, offset: usize, report: &mut Report) {
    if nonempty(&caption.source).is_none() {
        report.warnings.push((
            offset,
            format!(
                "{what} without a source; add source = \"Who published the data\" to its block"
            ),
        ));
    }
}

fn figure(
    o: &FigureOptions,
    number: &Numbered,
    pictures: &BTreeMap<String, crate::images::Picture>,
    fetch: crate::images::Fetch,
    offset: usize,
    report: &mut Report,
) -> String {
    note_file(&file_attr(o.image.trim()), &mut report.files);
    let caption = Caption {
        title: o.title.clone(),
        caption: o.caption.clone(),
        source: o.source.clone(),
        credit: o.credit.clone(),
        note: o.note.clone(),
    };
    warn_without_source(&caption, &number.label, offset, report);
    let alt = nonempty(&o.alt).unwrap_or("");
    if alt.is_empty() {
        report.warnings.push((
            offset,
            format!(
                "{} has no alt text; add alt = \"what the image shows\" to its block",
                number.label
            ),
        ));
    }
    let name = super::responsive::bundle_name(o.image.trim());
    let image = match pictures.get(name) {
        Some(picture) => format!("{}\n", picture.html(alt, fetch)),
        None => format!(
            "<img src=\"{}\" alt=\"{}\" {} decoding=\"async\">\n",
            file_attr(o.image.trim()),
            attr(alt),
            fetch.attribute()
        ),
    };
    wrap("image", number, &caption, &image)
}

fn table(
    o: &TableOptions,
    markdown: &str,
    number: &Numbered,
    offset: usize,
    report: &mut Report,
) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, super::parser_options()).collect();
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Table(_))))
    {
        report.problems.push(Problem {
            offset,
            message: format!("{} has no Markdown table", number.label),
            help:
                "after the options, write a line `+++` and then the table: | Year | Designations |"
                    .to_string(),
            in_data: None,
        });
        return String::new();
    }
    let caption = Caption {
        title: o.title.clone(),
        caption: o.caption.clone(),
        source: o.source.clone(),
        credit: o.credit.clone(),
        note: o.note.clone(),
    };
    warn_without_source(&caption, &number.label, offset, report);
    let mut body = scroll_open(&number.label);
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    body.push_str(SCROLL_CLOSE);
    wrap("table", number, &caption, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(markdown: &str) -> (String, Report) {
        let events: Vec<_> = Parser::new_ext(markdown, super::super::parser_options())
            .into_offset_iter()
            .collect();
        let markup = super::super::fragments::Markup::default();
        let (events, report) = place(events, &Inputs::default(), &markup);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        (html, report)
    }

    #[test]
    fn block_images_are_each_figures_image_and_embeds_fallback_as_written() {
        let markdown = concat!(
            "![inline](/images/a.png)\n\n```figure\nimage = \" /images/b.jpg \"\n```\n\n",
            "```chart\ntype = \"bar\"\n```\n\n```figure\nimage = \n```\n\n",
            "```embed\nurl = \"https://x.org/\"\nfallback = \"/images/d.png\"\n```\n\n",
            "```figure\nimage = \"c.png\"\nalt = \"C\"\n```\n"
        );
        assert_eq!(
            super::super::scan::scan(markdown).block_images,
            ["/images/b.jpg", "/images/d.png", "c.png"]
        );
    }

    #[test]
    fn the_first_image_of_a_document_without_a_hero_is_fetched_first() {
        let markdown = "Text.\n\n```figure\nimage = \"a.svg\"\nalt = \"A\"\n```\n\n```figure\nimage = \"b.svg\"\nalt = \"B\"\n```\n";
        let events: Vec<_> = Parser::new_ext(markdown, super::super::parser_options())
            .into_offset_iter()
            .collect();
        let markup = super::super::fragments::Markup::default();
        let inputs = Inputs {
            eager_first: true,
            ..Inputs::default()
        };
        let (events, report) = place(events, &inputs, &markup);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        assert_eq!(report.first_image, Some(7));
        assert!(
            html.contains(
                "<img src=\"a.svg\" alt=\"A\" fetchpriority=\"high\" decoding=\"async\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<img src=\"b.svg\" alt=\"B\" loading=\"lazy\" decoding=\"async\">"),
            "{html}"
        );
        // With a hero above it (the default), the first image is lazy like the others.
        let (html, report) = run(markdown);
        assert_eq!(report.first_image, None);
        assert!(!html.contains("fetchpriority"), "{html}");
    }

    #[test]
    fn a_figure_block_becomes_a_numbered_figure_with_its_caption_and_source() {
        let (html, report) = run(concat!(
            "```figure\nid = \"fig-map\"\nimage = \"map.png\"\nalt = \"A map\"\n",
            "title = \"The *border*\"\nsource = \"UN\"\ncredit = \"A & B\"\n```\n"
        ));
        assert!(
            html.contains("<figure class=\"figure figure-image\" id=\"fig-map\">"),
            "{html}"
        );
        assert!(html.contains("<span class=\"figure-label\">Figure 1</span> <span class=\"figure-title\">The <em>border</em></span></figcaption>"), "{html}");
        assert!(
            html.contains("<img src=\"map.png\" alt=\"A map\" loading=\"lazy\""),
            "{html}"
        );
        assert!(html.contains("Source:</span> UN</span>"), "{html}");
        assert!(html.contains("Credit:</span> A &amp; B</span>"), "{html}");
        assert_eq!(report.labels["fig-map"], "Figure 1");
        assert!(report.files.contains("map.png"));
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    #[test]
    fn figures_and_tables_are_numbered_apart() {
        let (html, report) = run(concat!(
            "```figure\nimage = \"a.png\"\nalt = \"a\"\nsource = \"s\"\n```\n\n",
            "```table\nid = \"tbl-x\"\nsource = \"s\"\n+++\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n\n",
            "```figure\nid = \"fig-b\"\nimage = \"b.png\"\nalt = \"b\"\nsource = \"s\"\n```\n",
        ));
        assert_eq!(report.labels["tbl-x"], "Table 1");
        assert_eq!(report.labels["fig-b"], "Figure 2");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn missing_alt_and_source_are_warnings() {
        let (_, report) = run("```figure\nimage = \"a.png\"\n```\n");
        let warnings: Vec<&str> = report.warnings.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("no alt text")));
        assert!(warnings.iter().any(|w| w.contains("without a source")));
    }

    #[test]
    fn bad_options_and_ids_are_problems_at_their_line() {
        let source = "Text.\n\n```figure\nimage = \"a.png\"\nwidth = 3\n```\n";
        let (_, report) = run(source);
        assert_eq!(report.problems.len(), 1);
        let problem = &report.problems[0];
        assert!(problem.message.contains("width"), "{}", problem.message);
        assert_eq!(crate::error::line_col(source, problem.offset).0, 5);
        let (_, report) = run("```table\nid = \"fig-x\"\n+++\n| a |\n|---|\n```\n");
        assert!(
            report.problems[0].help.contains("tbl-"),
            "{:?}",
            report.problems
        );
        let (_, report) = run("```table\nid = \"tbl-x\"\n```\n");
        assert!(report.problems[0].message.contains("no Markdown table"));
    }

    #[test]
    fn other_code_blocks_are_left_alone() {
        let (html, report) = run("```toml\nimage = \"a.png\"\n```\n");
        assert!(
            html.contains("<pre><code class=\"language-toml\">"),
            "{html}"
        );
        assert!(report.labels.is_empty());
    }
}
