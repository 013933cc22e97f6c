//! Markdown to Typst markup: the brief's body as `/body.typ`, and short fields (takeaways,
//! recommendations, captions) as markup strings the template evaluates.
//!
//! Everything taken from content is escaped ([`escape`]), so no text of a brief can run
//! Typst code. Structure is written with function calls (`#emph[..]`, `#list(..)`), never with
//! Typst's own delimiters, so that nesting and escaping stay simple.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::markdown::pull_quotes::{GAP, normalize};
use crate::markdown::{inline_text, parser_options};

/// How links and images of a body resolve.
pub struct Links<'a> {
    /// Resolves `@/` links (the site's map).
    pub map: &'a crate::markdown::links::LinkMap,
    /// The site's address, for root-relative links: `https://example.org/`.
    pub origin: &'a str,
    /// The brief's own address, for relative links.
    pub page_url: &'a str,
    /// The path of the site's address, `/` or `/repo/`: taken off image paths.
    pub root_path: &'a str,
    /// Whether images are shown; without them (the fallback when an image cannot be used,
    /// see [`super::typeset`]) each image is its alt text.
    pub images: bool,
    /// The brief's bundle folder on disk, where a chart's CSV is, and the brief's language
    /// (a chart's labels); a chart without them is its description.
    pub charts: Option<(&'a std::path::Path, &'a crate::i18n::Language)>,
}

/// A body converted: its markup and the site paths of the images it shows.
pub struct Body {
    pub markup: String,
    pub images: Vec<String>,
}

/// Escapes text for Typst markup: every ASCII character that could start markup gets a
/// backslash (Typst reads `\` before any non-space character as that character).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // Right after an embedded expression (`#link(..)[..]`), a `;` would end it and be
            // lost, and a `(` would call its result.
            '\\' | '#' | '*' | '_' | '`' | '$' | '@' | '<' | '>' | '[' | ']' | '~' | '"' | '\''
            | '/' | '=' | '-' | '+' | '.' | '{' | '}' | ';' | '(' => {
                out.push('\\');
                out.push(c);
            }
            // Line breaks inside a text become spaces: a line start would be markup.
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The events of `source`, without its HTML comments: editors' notes are in no output
/// ([`crate::markdown::comments`]).
fn without_comments(source: &str) -> Vec<(Event<'_>, std::ops::Range<usize>)> {
    crate::markdown::comments::drop(
        Parser::new_ext(source, parser_options())
            .into_offset_iter()
            .collect(),
    )
}

/// Short inline Markdown (a takeaway, a caption) as Typst markup.
pub fn inline(source: &str, links: &Links) -> String {
    let mut writer = Writer::new(links, &[]);
    writer.run(
        without_comments(source)
            .into_iter()
            .map(|(e, _)| e)
            .collect(),
    );
    writer.out.trim().to_string()
}

/// The Markdown table's column alignments as Typst's, as the page sets them: a column
/// without one is left-aligned (in a figure too, which would centre it).
fn column_alignments(alignments: &[pulldown_cmark::Alignment]) -> String {
    use pulldown_cmark::Alignment;
    let each: Vec<&str> = alignments
        .iter()
        .map(|a| match a {
            Alignment::None | Alignment::Left => "left",
            Alignment::Center => "center",
            Alignment::Right => "right",
        })
        .collect();
    match each.as_slice() {
        [] => "left,".to_string(),
        [one] => format!("{one},"),
        _ => each.join(", "),
    }
}

/// Plain text of an HTML fragment (a disclaimer or bio as the site keeps them), escaped.
pub fn from_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    escape(html_escape::decode_html_entities(&text).trim())
}

/// HTML of a formatted field (a citation, a reference, a bio, the disclaimer) as Typst markup:
/// its text, escaped, with italics and bold kept (a citation's titles are in `<i>`) and links
/// to web and mail addresses live (a work's DOI); other tags are left out. Only what opens
/// here is closed here, so stray tags make no markup.
pub fn rich_from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<&'static str> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&text_of(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let style = match name.as_str() {
            "i" | "em" | "cite" => "emph",
            "b" | "strong" => "strong",
            "a" => "link",
            _ => continue,
        };
        if !closing {
            if style == "link" {
                match web_href(tag) {
                    Some(href) => out.push_str(&format!("#link({})[", string(&href))),
                    None => continue,
                }
            } else {
                out.push_str(&format!("#{style}["));
            }
            open.push(style);
        } else if open.last() == Some(&style) {
            open.pop();
            out.push(']');
        }
    }
    out.push_str(&text_of(rest));
    for _ in open {
        out.push(']');
    }
    out.trim().to_string()
}

/// The `href` of an `<a …>` tag's inside, when it is a web or mail address: a `javascript:`
/// or page-relative link has no place in a PDF.
fn web_href(tag: &str) -> Option<String> {
    let at = tag.find("href=")? + "href=".len();
    let rest = &tag[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    let href = html_escape::decode_html_entities(value).into_owned();
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then_some(href)
}

/// A run of HTML text (entities decoded) as escaped Typst text.
fn text_of(html: &str) -> String {
    escape(&html_escape::decode_html_entities(html))
}

/// A whole body: notes become footnotes at their references, pull quotes (the brief's
/// `pull_quotes`) display quotes after the block that holds them.
/// With an `engine` (a brief with a bibliography), citations are formatted as on the page:
/// in the text, or as footnotes in a note style.
pub fn body(
    source: &str,
    links: &Links,
    pull_quotes: &[String],
    engine: Option<&dyn crate::markdown::citations::Engine>,
) -> Body {
    let parsed = without_comments(source);
    let parsed = match engine {
        Some(engine) => crate::markdown::citations::apply(parsed, source, engine).0,
        None => parsed,
    };
    // `@fig-x` and `@tbl-x` become references to the figure or table block with that id,
    // numbered by Typst; as on the page, an id no block has stays as written.
    let labels = block_ids(source)
        .into_iter()
        .map(|id| (id.clone(), id))
        .collect();
    let (parsed, _) = crate::markdown::xrefs::link(parsed, &labels);
    let events: Vec<Event> = parsed.into_iter().map(|(event, _)| event).collect();
    let mut writer = Writer::new(links, pull_quotes);
    writer.run(events);
    // Quotes still waiting, then those never matched, close the text, as on the page.
    let rest: Vec<usize> = std::mem::take(&mut writer.waiting)
        .into_iter()
        .chain((0..pull_quotes.len()).filter(|&i| !writer.placed[i]))
        .collect();
    for i in rest {
        writer.push_quote(i);
    }
    let markup = match writer.heading_notes {
        true => format!(
            "#{BODY_STATE}.update(true)\n{}\n#{BODY_STATE}.update(false)\n",
            writer.out
        ),
        false => writer.out,
    };
    Body {
        markup,
        images: writer.images,
    }
}

struct Writer<'l, 'q> {
    links: &'l Links<'l>,
    out: String,
    images: Vec<String>,
    /// Footnote definitions by label key, as events.
    notes: HashMap<String, Vec<Event<'static>>>,
    /// Notes already cited, by label key, with their number.
    cited: HashMap<String, usize>,
    /// Closing text of each open element, innermost last.
    closers: Vec<&'static str>,
    /// Depth of block nesting, to know when a top-level block ends.
    depth: usize,
    /// Plain text of the current top-level block, for pull quotes.
    block_text: String,
    quotes: &'q [String],
    needles: Vec<String>,
    placed: Vec<bool>,
    /// Quotes found, waiting for their place, and prose blocks since the last one placed.
    waiting: std::collections::VecDeque<usize>,
    since_quote: usize,
    /// Inside an image: its alt text is collected, not written.
    image_alt: Option<String>,
    /// Inside a table head.
    in_head: bool,
    /// Inside a numbered figure block: its kind.
    figure: Option<String>,
    /// Inside a code or figure block: its text as written.
    code: Option<String>,
    /// Inside a heading, and whether any heading had a note (see [`BODY_STATE`]).
    in_heading: bool,
    heading_notes: bool,
    /// The open sections as (Markdown level, PDF level), outermost first.
    sections: Vec<(usize, usize)>,
}

/// A note in a heading is written inside `context`, shown only where this state is on: in
/// the body, which turns it on and off around itself. Typst copies a heading's text into the
/// contents, the PDF's bookmarks and its tags; a footnote there would be typeset a second
/// time and numbered before the body's (typst/typst#1880), and hiding it with a show rule
/// still counts it.
const BODY_STATE: &str = "state(\"brief-body\", false)";

impl<'l, 'q> Writer<'l, 'q> {
    fn new(links: &'l Links<'l>, quotes: &'q [String]) -> Self {
        let needles = quotes
            .iter()
            .map(|q| {
                normalize(&inline_text(q))
                    .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                    .to_string()
            })
            .collect();
        Writer {
            links,
            out: String::new(),
            images: Vec::new(),
            notes: HashMap::new(),
            cited: HashMap::new(),
            closers: Vec::new(),
            depth: 0,
            block_text: String::new(),
            quotes,
            needles,
            placed: vec![false; quotes.len()],
            waiting: std::collections::VecDeque::new(),
            since_quote: GAP,
            image_alt: None,
            sections: Vec::new(),
            in_head: false,
            figure: None,
            code: None,
            in_heading: false,
            heading_notes: false,
        }
    }

    /// Takes the footnote definitions out, then writes the rest.
    fn run(&mut self, events: Vec<Event>) {
        let mut body = Vec::with_capacity(events.len());
        let mut current: Option<(String, Vec<Event<'static>>)> = None;
        for event in events {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    current = Some((crate::markdown::notes::label_key(&label), Vec::new()));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((key, events)) = current.take() {
                        self.notes.entry(key).or_insert(events);
                    }
                }
                other => match &mut current {
                    Some((_, events)) => events.push(other.into_static()),
                    None => body.push(other),
                },
            }
        }
        for event in body {
            self.event(event);
        }
    }

    fn open(&mut self, start: &str, closer: &'static str) {
        self.out.push_str(start);
        self.closers.push(closer);
    }

    fn close(&mut self) {
        if let Some(closer) = self.closers.pop() {
            self.out.push_str(closer);
        }
    }

    fn href(&self, dest: &str) -> Option<String> {
        if dest.starts_with('#') || dest.is_empty() {
            return None;
        }
        let dest = match self.links.map.href(dest) {
            Ok(resolved) => resolved.into_string(),
            Err(_) => dest.to_string(),
        };
        if dest.contains("://") || dest.starts_with("mailto:") {
            Some(dest)
        } else if let Some(path) = dest.strip_prefix('/') {
            Some(format!(
                "{}/{path}",
                self.links.origin.trim_end_matches('/')
            ))
        } else {
            Some(format!("{}{dest}", self.links.page_url))
        }
    }

    fn event(&mut self, event: Event) {
        if let Some(alt) = &mut self.image_alt {
            match event {
                Event::End(TagEnd::Image) => self.close_image(),
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.code.is_some() => {
                if let Some(code) = &mut self.code {
                    code.push_str(&text);
                }
            }
            Event::Text(text) => {
                self.block_text.push_str(&text);
                self.out.push_str(&escape(&text));
            }
            Event::Code(code) => {
                self.block_text.push_str(&code);
                self.out.push_str(&format!("#raw({})", string(&code)));
            }
            Event::SoftBreak => {
                self.block_text.push(' ');
                self.out.push(' ');
            }
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self
                .out
                .push_str("\n#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::FootnoteReference(label) => self.footnote(&label),
            Event::TaskListMarker(done) => self.out.push_str(if done { "☑ " } else { "☐ " }),
            // Raw HTML and math have no PDF form; math text is kept as text.
            Event::InlineMath(t) | Event::DisplayMath(t) => self.out.push_str(&escape(&t)),
            Event::InlineHtml(html) if xref_id(&html).is_some() => {
                let id = xref_id(&html).unwrap_or_default();
                self.out.push_str(&format!("#ref(label({}))", string(&id)));
            }
            // A formatted citation with its italics and links, or a tag (which makes none).
            Event::InlineHtml(html) => {
                self.block_text.push_str(&from_html(&html));
                self.out.push_str(&rich_from_html(&html));
            }
            Event::Html(_) => {}
        }
    }

    fn footnote(&mut self, label: &str) {
        let key = crate::markdown::notes::label_key(label);
        // The braces keep heading text that follows ("else …") out of the code.
        let (open, close) = match self.in_heading {
            true => {
                self.heading_notes = true;
                (format!("#context {{ if {BODY_STATE}.get() [#"), "] }")
            }
            false => (String::from("#"), ""),
        };
        // A note cited again refers to its first footnote, as the page's list has it once.
        if let Some(n) = self.cited.get(&key) {
            self.out
                .push_str(&format!("{open}footnote(<brief-note-{n}>){close}"));
            return;
        }
        let Some(events) = self.notes.get(&key).cloned() else {
            return;
        };
        let n = self.cited.len() + 1;
        self.cited.insert(key, n);
        // A note's text without its paragraph breaks: one paragraph per note reads best.
        self.out.push_str(&open);
        self.out.push_str("footnote[");
        let saved_text = std::mem::take(&mut self.block_text);
        let depth = self.depth;
        for event in events {
            match event {
                Event::Start(Tag::Paragraph) => {}
                Event::End(TagEnd::Paragraph) => self.out.push(' '),
                // A note citing a note is not expanded again.
                Event::FootnoteReference(_) => {}
                other => self.event(other),
            }
        }
        self.depth = depth;
        self.block_text = saved_text;
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out.push_str(&format!("]<brief-note-{n}>{close}"));
    }

    fn start(&mut self, tag: Tag) {
        if is_block(&tag) {
            if self.depth == 0 {
                self.block_text.clear();
            }
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph => self.open("", "\n\n"),
            Tag::Heading { level, .. } => {
                // `##` is the first level inside a brief (its title is the `#`).
                let wanted = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    HeadingLevel::H4 => 3,
                    HeadingLevel::H5 => 4,
                    HeadingLevel::H6 => 5,
                };
                // PDF/UA refuses a skipped level (`##` then `####`), common in imported
                // archives, and the PDF would lose its tags for it: a heading is one level
                // below the section it is in, and a sibling of a heading of its own level
                // (`##`, `####`, `#####`, `####` gives 1, 2, 3, 2). `brief check` tells the
                // editor of the skip.
                while self
                    .sections
                    .last()
                    .is_some_and(|&(level, _)| level >= wanted)
                {
                    self.sections.pop();
                }
                let n = self.sections.last().map_or(1, |&(_, pdf)| pdf + 1);
                self.sections.push((wanted, n));
                self.in_heading = true;
                self.open(&format!("\n#heading(level: {n})["), "]\n\n");
            }
            Tag::BlockQuote(_) => self.open("#quote(block: true)[", "]\n\n"),
            Tag::CodeBlock(CodeBlockKind::Fenced(info))
                if matches!(info.trim(), "figure" | "chart" | "embed" | "table") =>
            {
                // A numbered figure block (src/markdown/figures.rs): its TOML is collected
                // like code and written as a figure at its end.
                self.figure = Some(info.trim().to_string());
                self.code = Some(String::new());
                self.closers.push("FIGURE");
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) if !lang.is_empty() => {
                        format!(
                            ", lang: {}",
                            string(lang.split_whitespace().next().unwrap_or(""))
                        )
                    }
                    _ => String::new(),
                };
                // The code's text arrives as Text events; collected through the string below.
                self.out.push_str(&format!("#raw(block: true{lang}, "));
                self.closers.push("CODE");
                self.code = Some(String::new());
            }
            Tag::List(Some(start)) => self.open(&format!("#enum(start: {start}, "), ")\n\n"),
            Tag::List(None) => self.open("#list(", ")\n\n"),
            Tag::Item => self.open("[", "], "),
            Tag::Table(alignments) => {
                self.open(
                    &format!(
                        "#table(columns: {}, align: ({}), ",
                        alignments.len().max(1),
                        column_alignments(&alignments)
                    ),
                    ")\n\n",
                );
            }
            Tag::TableHead => {
                self.in_head = true;
                self.open("table.header(", "), ");
            }
            Tag::TableRow => self.closers.push(""),
            Tag::TableCell => {
                if self.in_head {
                    self.open("[#strong[", "]], ");
                } else {
                    self.open("[", "], ");
                }
            }
            Tag::Emphasis => self.open("#emph[", "]"),
            Tag::Strong => self.open("#strong[", "]"),
            Tag::Strikethrough => self.open("#strike[", "]"),
            Tag::Superscript => self.open("#super[", "]"),
            Tag::Subscript => self.open("#sub[", "]"),
            Tag::Link { dest_url, .. } => match self.href(&dest_url) {
                Some(href) => self.open(&format!("#link({})[", string(&href)), "]"),
                // `#[`, not `[`: right after an expression (`#linebreak()`, `#emph[..]`) a
                // bare `[` would be taken as one more argument of it.
                None => self.open("#[", "]"),
            },
            Tag::Image { dest_url, .. } => {
                let local = self.links.images
                    && !dest_url.contains("://")
                    && !dest_url.starts_with("data:");
                self.image_alt = Some(String::new());
                self.closers.push(if local { "IMAGE" } else { "" });
                self.images.push(dest_url.to_string());
            }
            Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.closers.push(""),
        }
    }

    fn close_image(&mut self) {
        let alt = self.image_alt.take().unwrap_or_default();
        let dest = self.images.last().cloned().unwrap_or_default();
        let closer = self.closers.pop().unwrap_or("");
        if closer != "IMAGE" {
            self.images.pop();
            self.out.push_str(&escape(&alt));
            return;
        }
        // A Markdown image is a URL (`map%20%232.png?v=2`); a block's `image` is a file's name.
        let file = dest.split(['?', '#']).next().unwrap_or_default();
        let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
        let path = image_path(&file, self.links);
        // Not a Typst figure: only the numbered blocks count as figures, as on the page.
        self.out.push_str(&format!(
            "#block(width: 100%, image({}, alt: {}, width: 100%))",
            string(&path),
            string(&alt)
        ));
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::CodeBlock if self.figure.is_some() => {
                let kind = self.figure.take().unwrap_or_default();
                let text = self.code.take().unwrap_or_default();
                let figure = self.figure_block(&kind, &text);
                self.out.push_str(&figure);
                self.closers.pop();
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.out.push_str(&string(&code));
                self.closers.pop();
                self.out.push_str(")\n\n");
            }
            TagEnd::TableHead => {
                self.in_head = false;
                self.close();
            }
            TagEnd::Heading(_) => {
                self.in_heading = false;
                self.close();
            }
            _ => self.close(),
        }
        if is_block_end(&tag) {
            self.depth = self.depth.saturating_sub(1);
            if self.depth == 0 {
                let prose = matches!(
                    tag,
                    TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::List(_)
                );
                self.place_quotes(prose);
            }
        }
    }

    /// A `figure`, `chart`, `embed` or `table` block as a Typst figure: a figure's image, a
    /// table's Markdown table; a chart or embed (drawn for the web page) as its text
    /// description, with the page's address. The caption is the block's title and caption.
    fn figure_block(&mut self, kind: &str, text: &str) -> String {
        let (options, table) = match (kind, text.split_once("\n+++")) {
            ("table", Some((toml, table))) => (toml, Some(table)),
            _ => (text, None),
        };
        let options: toml::Table = options.parse().unwrap_or_default();
        let field = |key: &str| {
            options
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let links = self.links;
        let mut caption: Vec<String> = Vec::new();
        if let Some(title) = field("title") {
            caption.push(format!("#strong[{}]", inline(&title, links)));
        }
        if let Some(text) = field("caption") {
            caption.push(inline(&text, links));
        }
        // Under the figure, as on the page: "Note: …  Source: …  Credit: …", each word in the
        // brief's language (brief.json's labels).
        let footer: Vec<String> = ["note", "source", "credit"]
            .into_iter()
            .filter_map(|key| {
                let value = field(key).filter(|v| !v.trim().is_empty())?;
                Some(format!(
                    "#strong(json(\"/brief.json\").t.figure_{key}) {}",
                    inline(&value, links)
                ))
            })
            .collect();
        let footer = match footer.is_empty() {
            true => String::new(),
            false => format!(
                "\n#block(width: 100%)[{}]<figure-footer>",
                footer.join(" #h(0.6em) ")
            ),
        };
        let alt = field("alt").unwrap_or_default();
        let content = match (kind, table) {
            ("figure", _) => match field("image") {
                Some(image) if links.images && !image.contains("://") => {
                    self.images.push(image.clone());
                    format!(
                        "image({}, alt: {}, width: 100%)",
                        string(&image_path(&image, links)),
                        string(if alt.is_empty() { "Figure" } else { &alt })
                    )
                }
                _ => format!("[{}]", escape(&alt)),
            },
            ("chart", _) => match self.chart(text) {
                Some(chart) => chart,
                None => format!(
                    "block(width: 100%, inset: 10pt, stroke: 0.5pt + luma(180))[{} #link({})[{}]]",
                    escape(&alt),
                    string(links.page_url),
                    escape(links.page_url)
                ),
            },
            ("table", Some(table)) => {
                let converted = body(table, links, &[], None);
                format!("[{}]", converted.markup)
            }
            _ => format!(
                "block(width: 100%, inset: 10pt, stroke: 0.5pt + luma(180))[{} #link({})[{}]]",
                escape(&alt),
                string(links.page_url),
                escape(links.page_url)
            ),
        };
        // Tables are counted apart, and everything else as "Figure" (a chart or embed whose
        // content Typst cannot tell apart would otherwise be guessed).
        let kind_arg = if kind == "table" {
            ", kind: table"
        } else {
            ", kind: image"
        };
        let label = field("id")
            .filter(|id| is_label(id))
            .map(|id| format!(" <{id}>"))
            .unwrap_or_default();
        // The caption under the title, on a line of its own as on the page.
        format!(
            "#figure([#{content}{footer}]{kind_arg}, caption: [{}]){label}\n\n",
            caption.join(" \\ ")
        )
    }

    /// A chart block drawn as on the page: the same SVG, from the CSV of the bundle.
    fn chart(&self, block: &str) -> Option<String> {
        let (folder, language) = self.links.charts?;
        if !self.links.images {
            return None;
        }
        let options: toml::Table = block.parse().ok()?;
        let file = options
            .get("data")?
            .as_str()?
            .trim()
            .trim_start_matches("./");
        if !crate::content::stays_inside(file) {
            return None;
        }
        let csv = std::fs::read_to_string(folder.join(file)).ok()?;
        let (svg, desc) = crate::markdown::chart::standalone_svg(block, &csv, language)?;
        // A file of its own: the namespace, and the PDF's sans-serif for its text.
        let svg = svg.replacen(
            "<svg ",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Source Sans 3\" ",
            1,
        );
        Some(format!(
            "image(bytes({}), format: \"svg\", alt: {}, width: 100%)",
            string(&svg),
            string(&desc)
        ))
    }

    /// After a top-level block: as on the page ([`crate::markdown::pull_quotes`]), a display
    /// quote comes after the prose block *following* the one that holds its sentence, so the
    /// reader never meets the sentence twice in a row, and at least [`GAP`] prose blocks after
    /// the previous quote.
    fn place_quotes(&mut self, prose: bool) {
        if self.quotes.is_empty() || !prose {
            return;
        }
        self.since_quote += 1;
        if self.since_quote >= GAP
            && let Some(i) = self.waiting.pop_front()
        {
            self.push_quote(i);
            self.since_quote = 0;
        }
        let text = normalize(&self.block_text);
        let found: Vec<usize> = (0..self.quotes.len())
            .filter(|&i| !self.placed[i] && !self.needles[i].is_empty())
            .filter(|&i| text.contains(&self.needles[i]))
            .collect();
        for i in found {
            self.placed[i] = true;
            self.waiting.push_back(i);
        }
    }

    fn push_quote(&mut self, i: usize) {
        self.placed[i] = true;
        let quote = escape(&inline_text(&self.quotes[i]));
        self.out
            .push_str(&format!("#quote(block: true)[{quote}]<pullquote>\n\n"));
    }
}

/// The ids of a body's figure, chart, embed and table blocks that can be Typst labels.
fn block_ids(source: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut block: Option<String> = None;
    for event in Parser::new_ext(source, parser_options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if matches!(info.trim(), "figure" | "chart" | "embed" | "table") =>
            {
                block = Some(String::new());
            }
            Event::Text(text) => {
                if let Some(block) = &mut block {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let text = block.take().unwrap_or_default();
                let options = text.split_once("\n+++").map_or(text.as_str(), |(o, _)| o);
                let id = options
                    .parse::<toml::Table>()
                    .ok()
                    .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string));
                ids.extend(id.filter(|id| is_label(id)));
            }
            _ => {}
        }
    }
    ids
}

/// Whether `id` can be written as a Typst label, `<id>`.
fn is_label(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// The id a cross-reference of the xrefs pass links to.
fn xref_id(html: &str) -> Option<String> {
    let rest = html.strip_prefix("<a class=\"xref\" href=\"#")?;
    let id = &rest[..rest.find('"')?];
    is_label(id).then(|| id.to_string())
}

/// Where the World finds an image of the body: `/site/<site path>`.
fn image_path(dest: &str, links: &Links) -> String {
    let url = if let Some(path) = dest.strip_prefix('/') {
        format!("/{path}")
    } else {
        format!("{}{dest}", links.page_url)
    };
    // Keep only the path, made site-relative by the World.
    let path = match url.find("://") {
        Some(at) => url[at + 3..]
            .find('/')
            .map_or("/".to_string(), |p| url[at + 3 + p..].to_string()),
        None => url,
    };
    let path = path
        .strip_prefix(links.root_path)
        .unwrap_or(path.trim_start_matches('/'));
    format!("/site/{path}")
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::HtmlBlock
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::HtmlBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> crate::markdown::links::LinkMap {
        crate::markdown::links::LinkMap::new("/")
    }

    fn convert(md: &str) -> String {
        convert_with_quotes(md, &[])
    }

    fn convert_with_quotes(md: &str, quotes: &[String]) -> String {
        let map = links();
        let links = Links {
            map: &map,
            origin: "https://e.org/",
            page_url: "https://e.org/briefs/x/",
            root_path: "/",
            images: true,
            charts: None,
        };
        body(md, &links, quotes, None).markup
    }

    /// As on the page: never right after the sentence it repeats, and a quote with no
    /// paragraph after its own comes at the end.
    #[test]
    fn a_pull_quote_comes_a_paragraph_after_its_sentence() {
        let quotes = [
            "Each man has much to offer.".to_string(),
            "Last words.".to_string(),
        ];
        let md = "One. Each man has much to offer.\n\n## Next\n\nTwo.\n\nThree. Last words.\n";
        let out = convert_with_quotes(md, &quotes);
        let at = |needle: &str| {
            out.find(needle)
                .unwrap_or_else(|| panic!("{needle}: {out}"))
        };
        let first = at("#quote(block: true)[Each");
        assert!(at("Two") < first && first < at("Three"), "{out}");
        assert!(at("Three") < at("#quote(block: true)[Last"), "{out}");
    }

    #[test]
    fn text_cannot_run_code() {
        let out = convert("a #let x = 1 and $math$ and <b> // not a comment @ref");
        assert!(out.contains("\\#let x \\= 1"));
        assert!(out.contains("\\/\\/ not a comment"));
        assert!(out.contains("\\$math\\$"));
    }

    #[test]
    fn notes_become_footnotes_at_their_reference() {
        let out = convert("Claim.[^1]\n\n[^1]: The *source*.\n");
        assert!(
            out.contains("Claim\\.#footnote[The #emph[source]\\.]<brief-note-1>"),
            "{out}"
        );
    }

    #[test]
    fn a_note_in_a_heading_is_shown_in_the_body_only() {
        let out = convert("## Risk[^a]\n\nText.[^a]\n\n[^a]: A note.\n");
        let state = "state(\"brief-body\", false)";
        assert!(
            out.starts_with(&format!("#{state}.update(true)\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "#heading(level: 1)[Risk#context {{ if {state}.get() [#footnote[A note\\.]<brief-note-1>] }}]"
            )),
            "{out}"
        );
        // Cited again in the text: the same footnote, outside any `context`.
        assert!(out.contains("Text\\.#footnote(<brief-note-1>)"), "{out}");
        assert!(
            out.trim_end().ends_with(&format!("#{state}.update(false)")),
            "{out}"
        );
        // Without a note in a heading, no state at all.
        assert!(!convert("## Risk\n\nText.[^a]\n\n[^a]: A note.\n").contains("state("));
    }

    #[test]
    fn lists_links_and_headings() {
        let out = convert("## Why\n\n- one\n- [two](/briefs/y/)\n");
        assert!(out.contains("#heading(level: 1)[Why]"), "{out}");
        assert!(
            out.contains("#list([one], [#link(\"https://e.org/briefs/y/\")[two]], )"),
            "{out}"
        );
    }

    #[test]
    fn code_keeps_its_text() {
        let out = convert("```rust\nlet a = \"b\";\n```\n");
        assert!(
            out.contains("#raw(block: true, lang: \"rust\", \"let a = \\\"b\\\";\\n\")"),
            "{out}"
        );
    }

    #[test]
    fn cross_references_point_at_the_labelled_block_and_unknown_ones_stay() {
        let out = convert(
            "See @tbl-ports and @fig-none.\n\n```table\nid = \"tbl-ports\"\ntitle = \"Ports\"\n+++\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n",
        );
        assert!(out.contains("See #ref(label(\"tbl-ports\"))"), "{out}");
        assert!(out.contains("\\@fig\\-none"), "{out}");
        assert!(
            out.contains("kind: table, caption: [#strong[Ports]]) <tbl-ports>"),
            "{out}"
        );
    }

    #[test]
    fn formatted_fields_keep_italics_and_bold_and_stray_tags_make_no_markup() {
        assert_eq!(
            rich_from_html(
                "Ortega, Maria. <i>A Title [1]</i>. <a href=\"x\">Link</a> &amp; <b>b</b>"
            ),
            "Ortega, Maria\\. #emph[A Title \\[1\\]]\\. Link & #strong[b]"
        );
        assert_eq!(
            rich_from_html(
                "<a href=\"https://doi.org/10.1086/700936\">doi.org/10.1086</a> \
                 <a href='javascript:alert(1)'>x</a>"
            ),
            "#link(\"https://doi.org/10.1086/700936\")[doi\\.org\\/10\\.1086] x"
        );
        assert_eq!(rich_from_html("</i>a <em>b"), "a #emph[b]");
        assert_eq!(rich_from_html("a <i>b</b> c"), "a #emph[b c]");
    }

    #[test]
    fn a_tables_columns_keep_their_markdown_alignment() {
        let out = convert("| Entry | Licences | Mid |\n|---|---:|:-:|\n| 3B001 | 412 | x |\n");
        assert!(
            out.contains("#table(columns: 3, align: (left, right, center), "),
            "{out}"
        );
        let out = convert("| One |\n|---|\n| a |\n");
        assert!(out.contains("#table(columns: 1, align: (left,), "), "{out}");
    }

    #[test]
    fn inline_html_keeps_only_its_text() {
        let out = convert("A <span class=\"x\">word</span> and <abbr>UN</abbr>.\n");
        assert!(out.contains("A word and UN\\."), "{out}");
    }
}
