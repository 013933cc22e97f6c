//! The checks `brief check` makes on one content file: its links and images (against the built
//! site), front-matter lengths and hero credit, leftover boilerplate, heading levels that skip,
//! and Hugo shortcodes or Liquid tags left in the text.

use std::path::Path;

use super::built::{Built, Target, classify_link};
use super::{error_at, warning_at};
use crate::content::Brief;
use crate::content::frontmatter::{self, Split};
use crate::error::Diagnostic;
use crate::error::line_col;
use crate::markdown::figures;
use crate::markdown::links::references;
use crate::site::Site;

/// Text that comes from a blog platform or template, never from the author. Case-insensitive.
pub const BOILERPLATE: &[&str] = &[
    "Leave a reply",
    "Leave a comment",
    "Deja una respuesta",
    "Deja un comentario",
    "Your email address will not be published",
    "Tu dirección de correo electrónico no será publicada",
    "Lorem ipsum",
    "Click here to edit",
];

/// Longest title that search results and share cards show whole.
pub const MAX_TITLE: usize = 110;
/// Longest summary that listings and meta descriptions show whole.
pub const MAX_SUMMARY: usize = 300;

/// One content file to check and where it is published.
pub struct Document<'a> {
    /// Relative to the site root, e.g. `content/briefs/x.md`.
    pub source: &'a Path,
    /// Its page's site path, e.g. `briefs/x/`.
    pub site_path: String,
    /// The prefix of its ids on the page (an author's bio: `bio-<id>--`), which its own `#x`
    /// links take when the build writes them.
    pub id_prefix: String,
}

/// An external link, with where it was written.
pub struct ExternalLink {
    pub url: String,
    pub source: std::path::PathBuf,
    pub line: Option<usize>,
}

/// What checking a document found.
#[derive(Default)]
pub struct Found {
    pub problems: Vec<Diagnostic>,
    pub external: Vec<ExternalLink>,
    pub references: usize,
}

/// Checks one document's text: links and images of its body, and boilerplate anywhere.
pub fn check_text(site: &Site, built: &Built, doc: &Document, found: &mut Found) {
    let Ok(text) = std::fs::read_to_string(site.root.join(doc.source)) else {
        return; // Loading the site read it a moment ago; a file removed since is not our finding.
    };
    let Ok(split) = frontmatter::split(&text, doc.source) else {
        return;
    };
    for (number, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        for phrase in BOILERPLATE {
            if lower.contains(&phrase.to_lowercase()) {
                found.problems.push(error_at(
                    doc.source,
                    Some(number + 1),
                    format!("leftover boilerplate \"{phrase}\": remove it"),
                ));
            }
        }
    }
    body_active_content(doc.source, &split, found);
    check_references(site, built, doc, &split, found);
    check_heading_levels(doc.source, &split, found);
    check_template_tags(doc.source, &split, found);
}

/// Warns about code that would run in a reader's browser (`<script>`, an `on…=` attribute, a
/// `javascript:` address) in a body: on every line outside code blocks, and in the options of
/// figure, table, chart and embed blocks that are rendered as Markdown, and a table's rows.
/// Other code blocks are shown, not run. Editors are trusted, so these are warnings, but a
/// pasted embed code should be seen.
fn body_active_content(source: &Path, split: &Split, found: &mut Found) {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let body = split.body;
    let line_of = |offset| split.body_line + line_col(body, offset).0 - 1;
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    // The figure, table, chart or embed block being read: its kind, text and first line.
    let mut block: Option<(figures::Kind, String, Option<usize>)> = None;
    for (event, range) in
        Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                code.push(range);
                if let CodeBlockKind::Fenced(info) = kind {
                    block = figures::Kind::of(&info).map(|k| (k, String::new(), None));
                }
            }
            Event::Text(text) => {
                if let Some((_, block_text, first)) = &mut block {
                    first.get_or_insert(line_of(range.start));
                    block_text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((kind, text, Some(first))) = block.take() {
                    block_active_content(kind, &text, first, source, found);
                }
            }
            _ => {}
        }
    }
    let mut start = 0;
    for (number, line) in body.split_inclusive('\n').enumerate() {
        let end = start + line.len();
        let in_code = code.iter().any(|r| r.start < end && start < r.end);
        start = end;
        if in_code {
            continue;
        }
        if let Some(what) = active_content(line) {
            let line = split.body_line + number;
            found
                .problems
                .push(active_warning(source, Some(line), what));
        }
    }
}

/// [`body_active_content`] of one figure, table, chart or embed block whose `text` starts at
/// line `first`: its caption options (inline Markdown), and a table's rows.
fn block_active_content(
    kind: figures::Kind,
    text: &str,
    first: usize,
    source: &Path,
    found: &mut Found,
) {
    let line_at = |offset: usize| first + text[..offset].matches('\n').count();
    let (options, rows) = figures::split_options(kind, text);
    // Wrong options stop the build, which reports them; nothing is published then.
    if let Ok(table) = toml::from_str::<toml::Table>(options) {
        let positions = crate::tomlkeys::positions(options);
        for key in figures::CAPTION_KEYS {
            let Some(value) = table.get(*key).and_then(toml::Value::as_str) else {
                continue;
            };
            if let Some(what) = active_content(value) {
                let at = positions.get(key).map_or(0, |r| r.start);
                found
                    .problems
                    .push(active_warning(source, Some(line_at(at)), what));
            }
        }
    }
    // `rows` is the end of `text`.
    let rows_start = text.len() - rows.len();
    for (i, row) in rows.lines().enumerate() {
        if let Some(what) = active_content(row) {
            let line = line_at(rows_start) + i;
            found
                .problems
                .push(active_warning(source, Some(line), what));
        }
    }
}

/// Warns about code that would run in a brief's front-matter fields rendered as Markdown
/// (takeaways, recommendations, the hero's caption, the disclaimer, pull quotes), each at its
/// key. The other fields (title, summary, a hero's credit…) are shown escaped, as plain text.
fn front_active_content(brief: &Brief, found: &mut Found) {
    let front = &brief.front;
    let mut fields = front.linked_fields();
    fields.extend(
        front
            .pull_quotes
            .iter()
            .enumerate()
            .map(|(i, quote)| (format!("pull_quotes[{i}]"), quote.as_str())),
    );
    for (key, text) in fields {
        if let Some(what) = active_content(text) {
            let line = brief.keys.line(&key);
            found
                .problems
                .push(active_warning(&brief.source, line, what));
        }
    }
}

/// config.toml's Markdown shown on pages, as written: the footer and the default disclaimer of
/// briefs, each with its key. (The loaded [`crate::config::Config`] holds their HTML.)
fn config_markdown(config_text: &str) -> Vec<(&'static str, String)> {
    let Ok(table) = toml::from_str::<toml::Table>(config_text) else {
        return Vec::new();
    };
    ["footer", "disclaimer"]
        .into_iter()
        .filter_map(|key| Some((key, table.get(key)?.as_str()?.to_string())))
        .collect()
}

fn active_warning(source: &Path, line: Option<usize>, what: &str) -> Diagnostic {
    warning_at(
        source,
        line,
        format!(
            "{what} would run in readers' browsers; remove it unless you mean it (an embed code, say)"
        ),
    )
}

/// What kind of active content `line` holds, if any.
pub fn active_content(line: &str) -> Option<&'static str> {
    let lower = line.to_ascii_lowercase();
    if lower.contains("<script") {
        Some("a <script> element")
    } else if lower.contains("javascript:") {
        Some("a `javascript:` address")
    } else if has_event_attribute(&lower) {
        Some("an `on…=` event attribute")
    } else {
        None
    }
}

/// Whether a tag in `lower` (a lowercased line) has an attribute like ` onclick=` or `/onload =`.
fn has_event_attribute(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b' ' | b'\t' | b'/' | b'"' | b'\'' if in_tag => {
                let rest = &bytes[i + 1..];
                if !rest.starts_with(b"on") {
                    continue;
                }
                let name_end = rest[2..]
                    .iter()
                    .position(|c| !c.is_ascii_alphabetic())
                    .map_or(rest.len(), |p| p + 2);
                let after = lower[i + 1 + name_end..].trim_start();
                if name_end > 2 && after.starts_with('=') {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// A link or image of a document: as written, as the built page has it, and where.
struct Written {
    /// As written, e.g. `@/briefs/x.md#a` or `/topics/x/`.
    dest: String,
    /// Its address in the built page (`@/` resolved, under base_url's path).
    href: String,
    image: bool,
    line: Option<usize>,
}

/// The links and images of the Markdown `text`, each at the line `line_of` gives for its byte
/// offset, counted in `found.references`.
fn written_links(
    site: &Site,
    text: &str,
    line_of: impl Fn(usize) -> Option<usize>,
    found: &mut Found,
) -> Vec<Written> {
    references(text)
        .into_iter()
        .filter_map(|reference| {
            found.references += 1;
            // Loading the site already reported `@/` links that point nowhere.
            let address = match reference.named_file {
                true => crate::urls::file_address(&reference.dest),
                false => reference.dest.clone(),
            };
            let href = site.links.href(&address).ok()?.into_string();
            Some(Written {
                href,
                line: line_of(reference.offset),
                dest: reference.dest,
                image: reference.image,
            })
        })
        .collect()
}

fn check_references(site: &Site, built: &Built, doc: &Document, split: &Split, found: &mut Found) {
    let line_of = |offset| Some(split.body_line + line_col(split.body, offset).0 - 1);
    let written = written_links(site, split.body, line_of, found);
    check_links(site, built, doc, written, found);
}

/// Checks the links of a brief's front-matter fields rendered as Markdown (takeaways,
/// recommendations, the hero's caption, the disclaimer) as its body's, each at its key.
pub fn check_front_links(
    site: &Site,
    built: &Built,
    doc: &Document,
    brief: &Brief,
    found: &mut Found,
) {
    let mut written = Vec::new();
    for (key, text) in brief.front.linked_fields() {
        let line = brief.keys.line(&key);
        written.extend(written_links(site, text, |_| line, found));
    }
    check_links(site, built, doc, written, found);
}

/// Checks config.toml: the links of each `[[menu]]` item, of the footer and of the default
/// disclaimer, each at its key, as a body's links from the home page (they are on every
/// page); and code in the footer and disclaimer that would run in readers' browsers.
pub fn check_config(site: &Site, built: &Built, found: &mut Found) {
    let source = Path::new(crate::config::CONFIG_FILE);
    let keys = &site.config.keys;
    let Ok(text) = std::fs::read_to_string(site.root.join(source)) else {
        return; // Loading the site read it a moment ago.
    };
    let mut written = Vec::new();
    for (i, item) in site.config.menu.iter().flatten().enumerate() {
        found.references += 1;
        written.push(Written {
            dest: item.url(),
            href: item.href(&site.config.base_url),
            image: false,
            line: keys.line(&format!("menu[{i}].url")),
        });
    }
    for (key, markdown) in config_markdown(&text) {
        let line = keys.line(key);
        if let Some(what) = active_content(&markdown) {
            found.problems.push(active_warning(source, line, what));
        }
        let links = written_links(site, &markdown, |_| line, found);
        // Shown on every page, a relative link leads somewhere else from each: checked from
        // the home page below, it is a warning for the others.
        for link in links.iter().filter(|l| is_relative(&l.dest)) {
            found.problems.push(warning_at(
                source,
                line,
                format!(
                    "`{key}` links `{}` relative to each page it is shown on, so it leads elsewhere from every folder; write it from the site's root (`/{}`) or as an `@/` link",
                    link.dest,
                    link.dest.trim_start_matches("./")
                ),
            ));
        }
        written.extend(links);
    }
    let home = Document {
        source,
        site_path: String::new(),
        id_prefix: String::new(),
    };
    check_links(site, built, &home, written, found);
}

/// Whether a link is relative to the page it is on (`about/`, `../x/`), not to the site's
/// root, an anchor of the page, an `@/` file or another site.
fn is_relative(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !(dest.is_empty() || dest.starts_with(['/', '#', '@']) || scheme)
}

/// Checks where each link and image of `doc` leads in the built site: a missing file or
/// `#anchor` is an error, an old address (an alias) a warning; external links are kept for
/// `--external`.
fn check_links(
    site: &Site,
    built: &Built,
    doc: &Document,
    written: Vec<Written>,
    found: &mut Found,
) {
    let base = &site.config.base_url;
    let page_dir = base.path_of(&doc.site_path);
    let mut warnings = Vec::new();
    for link in written {
        let (dest, line) = (&link.dest, link.line);
        let what = if link.image { "image" } else { "link" };
        let mut problem =
            |message: String| found.problems.push(error_at(doc.source, line, message));
        // Images without alt text are a load warning (content::brief), reported with the rest.
        match classify_link(&link.href, &page_dir, base) {
            // The home page ignores WordPress's `?p=123`: the link would not reach the post.
            Target::Internal { site_path, .. }
                if site_path.is_empty()
                    && let Some(id) = wordpress_id(&link.href, crate::urls::wordpress_post_id) =>
            {
                problem(format!(
                    "{what} `{dest}` is a WordPress address by id (post {id}), which here leads to the home page: link to the post's new address (`brief import wordpress` rewrites those of the posts it imports)"
                ))
            }
            Target::Internal { site_path, .. }
                if site_path.is_empty()
                    && let Some(id) =
                        wordpress_id(&link.href, crate::urls::wordpress_attachment_id) =>
            {
                problem(format!(
                    "{what} `{dest}` is a WordPress attachment page (attachment {id}), which here leads to the home page: link to the file itself (`brief import wordpress` rewrites those of the attachments it imports)"
                ))
            }
            Target::Internal { site_path, anchor } => match built.file(&site_path) {
                None if link.image => problem(format!(
                    "image `{dest}` not found: nothing is published at {}; put it beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`",
                    base.path_of(&site_path)
                )),
                None => problem(format!(
                    "link `{dest}` points nowhere: nothing is published at {}",
                    base.path_of(&site_path)
                )),
                Some(file) => {
                    // A link to an old address works (through a redirect page), but costs a
                    // hop and leads to a page search engines do not index: a warning.
                    let (file, site_path) = match built.alias(&file) {
                        Some((target, listed_by)) => {
                            warnings.push(warning_at(
                                doc.source,
                                line,
                                format!(
                                    "{what} `{dest}` leads to an old address (alias of {}): {}",
                                    listed_by.display(),
                                    new_address(target, anchor.as_deref(), listed_by)
                                ),
                            ));
                            match built.file(target) {
                                Some(file) => (file, target.clone()),
                                None => continue,
                            }
                        }
                        None => (file, site_path),
                    };
                    let html = file.extension().is_some_and(|e| e == "html");
                    let own = dest.starts_with('#');
                    let prefixed = |a: &str| format!("{}{a}", doc.id_prefix);
                    if let Some(anchor) = anchor.filter(|_| html)
                        && !built.has_id(&file, &anchor)
                        && !(own && built.has_id(&file, &prefixed(&anchor)))
                    {
                        problem(format!(
                            "{what} `{dest}`: {} has no element with id `{anchor}`",
                            base.path_of(&site_path)
                        ));
                    }
                }
            },
            Target::Outside(path) => problem(format!(
                "{what} `{dest}` leads to {path}, outside the site (base path {})",
                base.root_path()
            )),
            Target::External(url) => found.external.push(ExternalLink {
                url,
                source: doc.source.to_path_buf(),
                line,
            }),
            Target::Other => {}
        }
    }
    found.problems.extend(warnings);
}

/// The id `read` finds in the query of a WordPress address by id (`?p=123`, `?page_id=45`,
/// `?attachment_id=7`).
fn wordpress_id(href: &str, read: fn(&str) -> Option<&str>) -> Option<&str> {
    let (_, query) = href.split('#').next()?.split_once('?')?;
    read(query)
}

/// Checks a brief's front matter: code that would run in its Markdown fields, title and
/// summary lengths, hero credit (a missing hero alt text is already a load warning).
pub fn check_brief(brief: &Brief, found: &mut Found) {
    front_active_content(brief, found);
    let key_line = |key| brief.keys.line(key);
    let front = &brief.front;
    let title = front.title.chars().count();
    if title > MAX_TITLE {
        found.problems.push(warning_at(
            &brief.source,
            key_line("title"),
            format!("title is {title} characters; keep it to {MAX_TITLE} so search results and share cards show it whole"),
        ));
    }
    if let Some(summary) = &front.summary {
        let length = summary.chars().count();
        if length > MAX_SUMMARY {
            found.problems.push(warning_at(
                &brief.source,
                key_line("summary"),
                format!("summary is {length} characters; keep it to {MAX_SUMMARY} so listings and search results show it whole"),
            ));
        }
    }
    if brief.word_count == 0 {
        found.problems.push(warning_at(
            &brief.source,
            None,
            "the brief has no text: its page shows only the title, and listings and search the summary (or the site's description); write the body below the closing +++".into(),
        ));
    }
    let hero_line = key_line("hero");
    check_hero_without_image(brief, hero_line, found);
    let Some(hero) = front.hero.as_ref().filter(|h| h.image.is_some()) else {
        return;
    };
    if hero.credit.as_deref().is_none_or(|c| c.trim().is_empty()) {
        found.problems.push(warning_at(
            &brief.source,
            hero_line,
            "hero image has no credit: add credit = \"Photo: ...\" under [hero]".into(),
        ));
    }
}

/// A hero `caption` or `credit` without an `image`: the page shows no figure, so the caption
/// and credit are lost (or, worse, credit a photo that is not there).
fn check_hero_without_image(brief: &Brief, hero_line: Option<usize>, found: &mut Found) {
    let Some(hero) = brief.front.hero.as_ref().filter(|h| h.image.is_none()) else {
        return;
    };
    let filled = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let keys: Vec<&str> = [("caption", &hero.caption), ("credit", &hero.credit)]
        .into_iter()
        .filter(|(_, value)| filled(value))
        .map(|(key, _)| key)
        .collect();
    if keys.is_empty() {
        return;
    }
    found.problems.push(warning_at(
        &brief.source,
        hero_line,
        format!(
            "[hero] has a {} but no image, so the page shows no photo and no {}: add image = \"hero.jpg\" under [hero], or remove the {}",
            keys.join(" and a "),
            keys.join(" or "),
            keys.join(" and ")
        ),
    ));
}

/// Headings that skip a level (an h2 followed by an h4): screen-reader users navigate by
/// heading level, and the page fails accessibility checks. The page title is the h1.
fn check_heading_levels(source: &Path, split: &Split, found: &mut Found) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut previous = 1usize;
    let parser = Parser::new_ext(split.body, crate::markdown::parser_options());
    for (event, range) in parser.into_offset_iter() {
        let Event::Start(Tag::Heading { level, .. }) = event else {
            continue;
        };
        let level = level as usize;
        if level > previous + 1 {
            let line = split.body_line + line_col(split.body, range.start).0 - 1;
            found.problems.push(warning_at(
                source,
                Some(line),
                format!(
                    "heading level skips from h{previous} to h{level}: write it with {} (h{}), or add the h{} it belongs under",
                    "#".repeat(previous + 1),
                    previous + 1,
                    previous + 1
                ),
            ));
        }
        previous = level;
    }
}

/// Hugo shortcodes (`{{< figure >}}`, `{{% note %}}`) and Liquid tags (`{% include %}`,
/// `{{ site.title }}`) pasted from another generator: brief publishes them as literal text.
/// Code blocks and code spans are left alone, since they may show such tags on purpose.
fn check_template_tags(source: &Path, split: &Split, found: &mut Found) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let parser = Parser::new_ext(split.body, crate::markdown::parser_options());
    for (event, range) in parser.into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
            code.push(range);
        }
    }
    let mut tags = template_tags(split.body);
    tags.extend(wordpress_shortcodes(split.body));
    tags.sort_by_key(|(start, _)| *start);
    for (start, tag) in tags {
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let line = split.body_line + line_col(split.body, start).0 - 1;
        let tag = unescape(tag);
        let shown: String = match tag.chars().count() > 40 {
            true => format!("{} …", tag.chars().take(38).collect::<String>().trim_end()),
            false => tag.to_string(),
        };
        let (what, help) = if tag.starts_with('[') {
            (
                "WordPress shortcode",
                "remove it, or write what it showed as Markdown (an image is ![What it shows](file.jpg), a form or video a link to it)",
            )
        } else if tag.starts_with("{{<") || tag.starts_with("{{%") {
            (
                "Hugo shortcode",
                "write it as Markdown (an image is ![What it shows](file.jpg))",
            )
        } else if tag.starts_with("{%") {
            ("Liquid tag", "remove it, or write out what it stood for")
        } else {
            (
                "template expression",
                "brief does not run templates in content; write the value itself",
            )
        };
        found.problems.push(warning_at(
            source,
            Some(line),
            format!("{what} `{shown}` is published as literal text: {help}"),
        ));
    }
}

/// Each `{{ … }}` or `{% … %}` in `text` (closed on the same line), with its byte offset.
fn template_tags(text: &str) -> Vec<(usize, &str)> {
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(['{']) {
        let start = from + found;
        let rest = &text[start..];
        let close = if rest.starts_with("{{") {
            Some("}}")
        } else if rest.starts_with("{%") {
            Some("%}")
        } else {
            None
        };
        let line_end = rest.find('\n').unwrap_or(rest.len());
        match close.and_then(|c| rest[2..line_end].find(c).map(|i| i + 2 + c.len())) {
            Some(end) => {
                tags.push((start, &rest[..end]));
                from = start + end;
            }
            None => from = start + 1,
        }
    }
    tags
}

/// Shortcodes of WordPress and its common plugins, flagged even written bare (`[gallery]`);
/// any other name only with attributes (`[name key="value"]`) or as a closing `[/name]`.
const WORDPRESS_SHORTCODES: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
    "contact-form-7",
    "contact-form",
    "gravityform",
    "wpforms",
    "ninja_form",
    "mc4wp_form",
    "fluentform",
    "formidable",
    "rev_slider",
    "foogallery",
    "envira-gallery",
    "soliloquy",
    "toc",
    "ez-toc",
    "tweet",
    "pullquote",
];

/// WordPress shortcodes left in the text (`[contact-form-7 id="42"]`, `[gallery]`,
/// `[/caption]`, also as Markdown escapes them, `\[gallery\]`), with their byte offsets.
/// Bracketed prose is not one: "[sic]", "[1]", links, notes `[^1]`, citations `[@key]`,
/// task boxes `[x]`, "[emphasis added]".
fn wordpress_shortcodes(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find('[') {
        let open = from + i;
        let start = match open > 0 && text.as_bytes()[open - 1] == b'\\' {
            true => open - 1,
            false => open,
        };
        match shortcode_len(&text[open..]) {
            Some(len) => {
                found.push((start, &text[start..open + len]));
                from = open + len;
            }
            None => from = open + 1,
        }
    }
    found
}

/// The length of the shortcode tag that `rest` starts with (at its `[`), if it is one.
fn shortcode_len(rest: &str) -> Option<usize> {
    let b = &rest.as_bytes()[..rest.find('\n').unwrap_or(rest.len())];
    // Markdown escapes `_` and `]` in text that is not a link: `[ninja\_form\]`.
    let word = |mut i: usize, lower: bool| {
        let from = i;
        while let Some(&c) = b.get(i) {
            match c {
                b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => i += 1,
                b'A'..=b'Z' if !lower => i += 1,
                b'\\' if matches!(b.get(i + 1), Some(b'_' | b'-')) => i += 2,
                _ => break,
            }
        }
        (i > from).then_some(i)
    };
    let end_at = |i: usize| match (b.get(i), b.get(i + 1)) {
        // `[gallery](x)`, `[gallery][x]`, `[gallery]: x` are a link and its definition.
        (Some(b']'), Some(b'(' | b'[' | b':')) => None,
        (Some(b']'), _) => Some(i + 1),
        (Some(b'\\'), Some(b']')) => Some(i + 2),
        _ => None,
    };
    let closing = b.get(1) == Some(&b'/');
    let name_from = 1 + usize::from(closing);
    if !b.get(name_from).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let mut i = word(name_from, true)?;
    let name = String::from_utf8_lossy(&b[name_from..i]).replace('\\', "");
    if let Some(end) = end_at(i) {
        let known = WORDPRESS_SHORTCODES.contains(&name.as_str()) || name.contains('_');
        return (closing || known).then_some(end);
    }
    if closing {
        return None;
    }
    // Then one or more `key=value`, `key="value"` or `key='value'`, each after a space.
    let mut attributes = 0;
    while b.get(i) == Some(&b' ') {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if let Some(end) = end_at(i) {
            return (attributes > 0).then_some(end);
        }
        i = word(i, false)?;
        if b.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        i = match b.get(i) {
            Some(&quote @ (b'"' | b'\'')) => i + 2 + b[i + 1..].iter().position(|&c| c == quote)?,
            _ => {
                let from = i;
                while b
                    .get(i)
                    .is_some_and(|&c| c != b' ' && c != b']' && end_at(i).is_none())
                {
                    i += 1;
                }
                (i > from).then_some(i)?
            }
        };
        attributes += 1;
    }
    end_at(i).filter(|_| attributes > 0)
}

/// Text as it reads once Markdown's backslash escapes are taken out.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// What a link to an old address should say instead: the page's address as Markdown writes
/// it (from the site's root, which a build puts under `base_url`'s path), with the link's
/// `#anchor`; for a brief or page, also its `@/` form, which follows it wherever it moves.
fn new_address(target: &str, anchor: Option<&str>, listed_by: &std::path::Path) -> String {
    let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    let path = format!("/{}{fragment}", target.trim_start_matches('/'));
    let file = listed_by.to_string_lossy().replace('\\', "/");
    match file.strip_prefix("content/").filter(|f| f.ends_with(".md")) {
        Some(source) => {
            let what = if source.starts_with("briefs/") {
                "brief"
            } else {
                "page"
            };
            format!(
                "link to `{path}` instead, or to `@/{source}{fragment}`, which follows the {what} wherever it moves"
            )
        }
        None => format!("link to `{path}` instead"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_shortcodes_are_found_but_not_bracketed_prose() {
        let text = concat!(
            "[contact-form-7 id=\"42\" title=\"News\"] \\[gallery ids=\"1,2\"\\] [/caption]\n",
            "[gallery] [ninja\\_form\\] [su_box title='x' style=flat] [embed]\n",
            "[sic] [1] [^1] [@key] [x] [ ] [emphasis added] [n=30] [link](x) [gallery](x) ",
            "[ref]: x [Note: y] [a b] [where x = 2] [caption\n",
        );
        let found: Vec<&str> = wordpress_shortcodes(text)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            found,
            [
                "[contact-form-7 id=\"42\" title=\"News\"]",
                "\\[gallery ids=\"1,2\"\\]",
                "[/caption]",
                "[gallery]",
                "[ninja\\_form\\]",
                "[su_box title='x' style=flat]",
                "[embed]",
            ]
        );
        assert_eq!(wordpress_shortcodes(text)[1].0, 38);
    }

    #[test]
    fn template_tags_are_found_with_their_offsets() {
        let text =
            "A {{< figure src=\"x.jpg\" >}} b {% include x.html %}\n{{ site.title }} {not} {{ open";
        let tags: Vec<&str> = template_tags(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            tags,
            [
                "{{< figure src=\"x.jpg\" >}}",
                "{% include x.html %}",
                "{{ site.title }}"
            ]
        );
    }
}

#[cfg(test)]
mod active_tests {
    use super::*;

    #[test]
    fn finds_code_that_would_run() {
        let table: &[(&str, Option<&str>)] = &[
            ("<script src=\"x.js\"></script>", Some("a <script> element")),
            ("<SCRIPT>alert(1)</SCRIPT>", Some("a <script> element")),
            ("[x](javascript:alert(1))", Some("a `javascript:` address")),
            (
                "<img src=x onerror=alert(1)>",
                Some("an `on…=` event attribute"),
            ),
            (
                "<a href=\"#\" onClick = \"go()\">",
                Some("an `on…=` event attribute"),
            ),
            ("<svg/onload=alert(1)>", Some("an `on…=` event attribute")),
            ("Talks went on = no progress", None),
            ("<p class=\"one\">on the record</p>", None),
            ("plain text about scripts and Java", None),
        ];
        for (line, expected) in table {
            assert_eq!(active_content(line), *expected, "{line}");
        }
    }
}
