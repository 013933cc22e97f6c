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
    pub line: usize,
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
    active_content_warnings(&text, doc.source, found);
    check_references(site, built, doc, &split, found);
    check_heading_levels(doc.source, &split, found);
    check_template_tags(doc.source, &split, found);
}

/// Warns about code that would run in a reader's browser: `<script>`, an `on…=` attribute,
/// a `javascript:` address, in the body or in front matter fields rendered as Markdown (key
/// takeaways, captions, recommendations, the disclaimer) or config.toml's footer. Editors are
/// trusted, so these are warnings, but a pasted embed code should be seen. Lines inside fenced
/// code blocks are shown, not run, and are skipped.
pub fn active_content_warnings(text: &str, source: &Path, found: &mut Found) {
    let mut fence: Option<&str> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    None => Some(marker),
                    Some(open) if open == marker => None,
                    other => other,
                };
            }
        }
        if fence.is_some() || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            continue;
        }
        if let Some(what) = active_content(line) {
            found.problems.push(warning_at(
                source,
                Some(number + 1),
                format!("{what} would run in readers' browsers; remove it unless you mean it (an embed code, say)"),
            ));
        }
    }
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

fn check_references(site: &Site, built: &Built, doc: &Document, split: &Split, found: &mut Found) {
    let base = &site.config.base_url;
    let page_dir = base.path_of(&doc.site_path);
    let mut warnings = Vec::new();
    for reference in references(split.body) {
        found.references += 1;
        let line = split.body_line + line_col(split.body, reference.offset).0 - 1;
        let what = if reference.image { "image" } else { "link" };
        let dest = &reference.dest;
        let mut problem = |message: String| {
            found
                .problems
                .push(error_at(doc.source, Some(line), message))
        };
        // Images without alt text are a load warning (content::brief), reported with the rest.
        // Loading the site already reported `@/` links that point nowhere.
        let Ok(href) = site.links.href(dest) else {
            continue;
        };
        match classify_link(&href, &page_dir, base) {
            Target::Internal { site_path, anchor } => match built.file(&site_path) {
                None if reference.image => problem(format!(
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
                                Some(line),
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

/// Checks a brief's front matter: title and summary lengths, hero credit (a missing hero alt
/// text is already a load warning).
pub fn check_brief(brief: &Brief, found: &mut Found) {
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
    for (start, tag) in template_tags(split.body) {
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let line = split.body_line + line_col(split.body, start).0 - 1;
        let shown: String = match tag.chars().count() > 40 {
            true => format!("{} …", tag.chars().take(38).collect::<String>().trim_end()),
            false => tag.to_string(),
        };
        let (what, help) = if tag.starts_with("{{<") || tag.starts_with("{{%") {
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

/// What a link to an old address should say instead: the page's address as Markdown writes
/// it (from the site's root, which a build puts under `base_url`'s path), with the link's
/// `#anchor`; for a brief, also its `@/` form, which follows the brief wherever it moves.
fn new_address(target: &str, anchor: Option<&str>, listed_by: &std::path::Path) -> String {
    let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    let path = format!("/{}{fragment}", target.trim_start_matches('/'));
    let file = listed_by.to_string_lossy().replace('\\', "/");
    match file.strip_prefix("content/").filter(|f| f.ends_with(".md")) {
        Some(source) => format!(
            "link to `{path}` instead, or to `@/{source}{fragment}`, which follows the brief wherever it moves"
        ),
        None => format!("link to `{path}` instead"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
