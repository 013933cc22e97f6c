//! `brief import hugo|jekyll|zola DIR`: another static site's content into this one.
//!
//! 1. [`find_documents`] lists the source's Markdown files: briefs (Hugo and Zola sections,
//!    Jekyll's `_posts/` and `_drafts/`) and pages (files at the top of the content folder);
//! 2. each file's front matter (YAML `---`, TOML `+++` or JSON `{`) is read into a JSON value
//!    and mapped key by key ([`map_front`]); a key brief has no place for goes to the report;
//! 3. the body's shortcodes and links are rewritten ([`rewrite_body`]): Hugo `figure`,
//!    `youtube`, `ref`/`relref`, Zola `@/` links, Jekyll `post_url` and `include`;
//! 4. a bundle's files are copied beside the brief, root-relative images from the source's
//!    static folder into `static/`; each post's old address (from the source's default
//!    permalinks, Jekyll's `permalink` setting, and `aliases`/`redirect_from`) is listed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::frontmatter::{Front, document};
use super::{Plan, RESERVED_PAGE_SLUGS, unique};
use crate::error::{Diagnostic, Kind, Location};

/// Which generator the source folder is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Hugo,
    Jekyll,
    Zola,
}

impl Generator {
    fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Zola => "Zola",
        }
    }
}

/// One source document.
#[derive(Debug, Clone)]
struct Document {
    /// The file, and its path relative to the source folder for messages.
    file: PathBuf,
    rel: String,
    /// Its folder when it is a bundle (`index.md` with files beside it).
    bundle: Option<PathBuf>,
    is_brief: bool,
    draft_folder: bool,
    /// The default slug: Jekyll's name without the date, the bundle's folder, or the stem.
    stem: String,
    /// The date in a Jekyll file name.
    name_date: Option<jiff::civil::Date>,
    /// The section folders between the content folder and the file (for old addresses).
    section: String,
}

/// Imports the site in `source` (a Hugo, Jekyll or Zola site folder, or its content folder).
pub fn plan(generator: Generator, source: &Path, root: &Path) -> Result<Plan, Diagnostic> {
    if !source.is_dir() {
        return Err(super::input_error(
            format!("{}: no such folder", source.display()),
            "give the folder of the site to import (the one with its config file)",
        ));
    }
    let mut plan = Plan::default();
    plan.report.source = format!("{} site {}", generator.name(), source.display());
    let documents = find_documents(generator, source);
    if generator != Generator::Jekyll {
        plan.report
            .not_imported
            .push("section list pages (_index.md): brief makes its own listings".into());
    }
    let permalink = jekyll_permalink(source);
    // First pass: slugs, so that links between documents can be rewritten.
    let mut slugs = BTreeSet::new();
    let mut page_slugs = BTreeSet::new();
    let mut parsed = Vec::new();
    for doc in documents {
        match read_document(&doc) {
            Ok((front, body)) => {
                let wanted = front
                    .get("slug")
                    .and_then(Value::as_str)
                    .map(slug::slugify)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| slug::slugify(&doc.stem));
                let slug = match doc.is_brief {
                    true => unique(&wanted, &mut slugs),
                    false => {
                        let wanted = match RESERVED_PAGE_SLUGS.contains(&wanted.as_str()) {
                            true => format!("{wanted}-page"),
                            false => wanted,
                        };
                        unique(&wanted, &mut page_slugs)
                    }
                };
                parsed.push((doc, front, body, slug));
            }
            Err(problem) => plan.report.skipped.push((problem.0, problem.1)),
        }
    }
    let links = Links::new(&parsed);
    let menu = super::own_menu_entries(root, page_slugs.len());
    let mut authors = BTreeMap::new();
    for (doc, front, body, slug) in &parsed {
        let context = Context {
            generator,
            source,
            links: &links,
            permalink: permalink.as_deref(),
            menu: &menu,
        };
        convert(doc, front, body, slug, &context, &mut authors, &mut plan);
    }
    for (id, name) in authors {
        if root.join(format!("content/authors/{id}.md")).exists() {
            continue;
        }
        let mut front = Front::default();
        front.set("name", name);
        let path = format!("content/authors/{id}.md");
        plan.report.authors.push(path.clone());
        plan.text(path, front.render());
    }
    Ok(plan)
}

struct Context<'a> {
    generator: Generator,
    source: &'a Path,
    links: &'a Links,
    permalink: Option<&'a str>,
    /// Brief's own menu entries, which no imported page's title may repeat.
    menu: &'a [super::MenuEntry],
}

/// Lists the Markdown documents of the source, sorted by path.
fn find_documents(generator: Generator, source: &Path) -> Vec<Document> {
    let mut found = Vec::new();
    match generator {
        Generator::Jekyll => {
            for (folder, draft) in [("_posts", false), ("_drafts", true)] {
                for file in markdown_files(&source.join(folder), 8) {
                    found.push(jekyll_post(source, &file, draft));
                }
            }
            for file in markdown_files(source, 1) {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                if ["readme.md", "index.md", "404.md", "changelog.md"]
                    .contains(&name.to_lowercase().as_str())
                {
                    continue;
                }
                found.push(simple_document(source, &file, false));
            }
        }
        Generator::Hugo | Generator::Zola => {
            let content = match source.join("content") {
                c if c.is_dir() => c,
                _ => source.to_path_buf(),
            };
            for file in markdown_files(&content, 8) {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                if name.starts_with('_') {
                    continue; // `_index.md`: a section's list page, which brief makes itself.
                }
                let depth = file
                    .strip_prefix(&content)
                    .map_or(0, |p| p.components().count());
                let mut doc = simple_document(&content, &file, depth > 1);
                doc.rel = rel(source, &file);
                found.push(doc);
            }
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found
}

fn markdown_files(dir: &Path, depth: usize) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .collect()
}

fn rel(base: &Path, file: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A Hugo or Zola document (or a Jekyll page): `x.md`, or `x/index.md` as a bundle.
fn simple_document(content: &Path, file: &Path, is_brief: bool) -> Document {
    let stem = file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let parent = file.parent().unwrap_or(content);
    let bundle = (stem == "index" && parent != content).then(|| parent.to_path_buf());
    let named = match &bundle {
        Some(dir) => dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        None => stem,
    };
    let section_dir = bundle.as_deref().and_then(Path::parent).unwrap_or(parent);
    let section = rel(content, section_dir);
    Document {
        file: file.to_path_buf(),
        rel: rel(content, file),
        bundle,
        is_brief,
        draft_folder: false,
        stem: named,
        name_date: None,
        section,
    }
}

/// `_posts/2023-09-15-putin-kim.md`: the date and slug are in the name.
fn jekyll_post(source: &Path, file: &Path, draft: bool) -> Document {
    let stem = file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let date = stem
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let slug = match (date, stem.get(11..)) {
        (Some(_), Some(rest)) => rest.to_string(),
        _ => stem.clone(),
    };
    Document {
        file: file.to_path_buf(),
        rel: rel(source, file),
        bundle: None,
        is_brief: true,
        draft_folder: draft,
        stem: slug,
        name_date: date,
        section: String::new(),
    }
}

/// Jekyll's `permalink` setting in `_config.yml`, if set.
fn jekyll_permalink(source: &Path) -> Option<String> {
    let text = std::fs::read_to_string(source.join("_config.yml")).ok()?;
    let config: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
    config.get("permalink")?.as_str().map(String::from)
}

/// A document's front matter (as JSON) and body; or where and why it could not be read.
fn read_document(doc: &Document) -> Result<(Value, String), (String, String)> {
    let text = std::fs::read_to_string(&doc.file)
        .map_err(|e| (doc.rel.clone(), format!("could not read the file: {e}")))?;
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    split_front(&text, Path::new(&doc.rel))
        .map_err(|d| (location_of(&d, &doc.rel), d.message.clone()))
}

fn location_of(d: &Diagnostic, fallback: &str) -> String {
    d.location
        .as_ref()
        .map_or(fallback.to_string(), |l| l.to_string())
}

/// Splits off and parses the front matter; a file without any is all body.
pub fn split_front(text: &str, display: &Path) -> Result<(Value, String), Diagnostic> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let (fence, format) = match first {
        "---" => ("---", "YAML"),
        "+++" => ("+++", "TOML"),
        _ if first.starts_with('{') => return split_json(text, display),
        _ => return Ok((Value::Object(Default::default()), text.to_string())),
    };
    let after = &text[first.len()..].trim_start_matches([' ', '\t']);
    let after = after.strip_prefix('\n').unwrap_or(after);
    let close = format!("\n{fence}");
    let (front, body) = match after.strip_prefix(fence) {
        Some(rest) => ("", rest),
        None => match after.find(&close) {
            Some(i) => (&after[..i + 1], &after[i + close.len()..]),
            None => {
                return Err(Diagnostic::new(
                    Kind::FrontMatter,
                    format!("the {format} front matter is never closed"),
                )
                .at(Location::at(display, 1, 1))
                .help(format!("end it with a line `{fence}`")));
            }
        },
    };
    let body = body.split_once('\n').map_or("", |(_, b)| b).to_string();
    let value = match format {
        "YAML" => serde_yaml_ng::from_str::<Value>(front).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line() + 1);
            (line, e.to_string())
        }),
        _ => toml::from_str::<Value>(front).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |s| front[..s.start].matches('\n').count() + 1)
                + 1;
            (line, e.message().to_string())
        }),
    };
    let value = value.map_err(|(line, message)| {
        Diagnostic::new(
            Kind::FrontMatter,
            format!("the {format} front matter is not valid: {message}"),
        )
        .at(Location::at(display, line, 1))
    })?;
    Ok((null_to_object(value), body))
}

fn split_json(text: &str, display: &Path) -> Result<(Value, String), Diagnostic> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match stream.next() {
        Some(Ok(value)) => {
            let body = text[stream.byte_offset()..].trim_start_matches('\n');
            Ok((null_to_object(value), body.to_string()))
        }
        Some(Err(e)) => Err(Diagnostic::new(
            Kind::FrontMatter,
            format!("the JSON front matter is not valid: {e}"),
        )
        .at(Location::at(display, e.line(), e.column()))),
        None => Ok((Value::Object(Default::default()), String::new())),
    }
}

fn null_to_object(value: Value) -> Value {
    match value {
        Value::Null => Value::Object(Default::default()),
        other => other,
    }
}

/// Keys that are read (besides those mapped to brief's keys) and need no report line.
/// Hugo's and Jekyll's own: how the page is laid out or listed there.
const IGNORED: &[&str] = &["layout", "type", "template", "comments"];

/// Maps the source's front matter to brief's; unknown keys go to the report.
fn map_front(
    front: &Value,
    doc: &Document,
    slug: &str,
    menu: &[super::MenuEntry],
    notes: &mut Vec<String>,
    unknown: &mut Vec<String>,
) -> (Front, Vec<String>, Vec<String>) {
    let mut out = Front::default();
    let map = front.as_object().cloned().unwrap_or_default();
    let text = |key: &str| map.get(key).and_then(value_text);
    let title = text("title").unwrap_or_else(|| {
        notes.push("no title; named after the file".into());
        doc.stem.replace('-', " ")
    });
    let title = match super::distinct_page_title(&title, menu) {
        Some((distinct, note)) if !doc.is_brief => {
            notes.push(note);
            distinct
        }
        _ => title,
    };
    out.set("title", title);
    let date = ["date", "publishDate", "pubdate"]
        .iter()
        .find_map(|k| text(k))
        .and_then(|d| {
            d.get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        })
        .or(doc.name_date);
    let updated = ["lastmod", "last_modified_at", "updated", "modified"]
        .iter()
        .find_map(|k| text(k))
        .and_then(|d| {
            d.get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        });
    let mut authors: Vec<String> = Vec::new();
    // Zola has no author key of its own; sites put it under [extra].
    let mut extra = map.get("extra").and_then(Value::as_object).cloned();
    for key in ["authors", "author"] {
        authors.extend(list(map.get(key)));
        if let Some(extra) = extra.as_mut() {
            authors.extend(list(extra.remove(key).as_ref()));
        }
    }
    if doc.is_brief {
        let date = date.unwrap_or_else(|| {
            notes.push("no date; dated 1970-01-01, set the real one".into());
            jiff::civil::date(1970, 1, 1)
        });
        out.set_date("date", date);
        if let Some(updated) = updated.filter(|u| *u > date) {
            out.set_date("updated", updated);
        }
        if authors.is_empty() {
            notes.push("no author; credited to \"Staff\"".into());
            authors.push("Staff".into());
        }
        let ids: Vec<String> = authors.iter().map(slug::slugify).collect();
        out.set_list("authors", &ids);
    }
    let summary = ["summary", "description", "excerpt"]
        .iter()
        .find_map(|k| text(k));
    out.set_text("summary", summary.as_deref());
    let mut topics = Vec::new();
    for key in ["tags", "categories"] {
        topics.extend(list(map.get(key)));
    }
    if let Some(taxonomies) = map.get("taxonomies").and_then(Value::as_object) {
        for (_, terms) in taxonomies {
            topics.extend(list(Some(terms)));
        }
    }
    let mut seen = BTreeSet::new();
    topics.retain(|t| seen.insert(slug::slugify(t)));
    if doc.is_brief {
        out.set_list("topics", &topics);
    }
    let draft = map.get("draft").and_then(Value::as_bool).unwrap_or(false)
        || map.get("published").and_then(Value::as_bool) == Some(false)
        || doc.draft_folder;
    if draft {
        out.set("draft", true);
    }
    if let Some(toc) = map
        .get("toc")
        .and_then(Value::as_bool)
        .filter(|_| doc.is_brief)
    {
        out.set("toc", toc);
    }
    if map.get("featured").and_then(Value::as_bool) == Some(true) && doc.is_brief {
        out.set("featured", true);
    }
    if let Some(wanted) = text("slug").filter(|s| slug::slugify(s) == slug && s != slug) {
        out.set("slug", wanted);
    }
    let mut aliases = Vec::new();
    for key in ["aliases", "redirect_from"] {
        aliases.extend(list(map.get(key)));
    }
    const MAPPED: &[&str] = &[
        "title",
        "date",
        "publishDate",
        "pubdate",
        "lastmod",
        "last_modified_at",
        "updated",
        "modified",
        "author",
        "authors",
        "summary",
        "description",
        "excerpt",
        "tags",
        "categories",
        "taxonomies",
        "draft",
        "published",
        "featured",
        "toc",
        "image",
        "featured_image",
        "cover",
        "slug",
        "aliases",
        "redirect_from",
        "permalink",
        "url",
    ];
    let mut map = map;
    match extra.filter(|e| !e.is_empty()) {
        Some(extra) => map.insert("extra".into(), Value::Object(extra)),
        None => map.remove("extra"),
    };
    for (key, value) in &map {
        if !MAPPED.contains(&key.as_str()) && !IGNORED.contains(&key.as_str()) {
            let value = serde_json::to_string(value).unwrap_or_default();
            unknown.push(format!("{key} = {value}"));
        }
    }
    (out, authors, aliases)
}

/// The copy of the source's static file that the root-relative address `dest` names
/// (`/images/a.png?v=2`), as (path in the site, source file); `Some(None)` when the source
/// has no such file; `None` for an address that names no static file (a page, `//cdn…/x.png`,
/// a full URL).
fn static_file(dest: &str, static_dir: &Path) -> Option<Option<(PathBuf, PathBuf)>> {
    if dest.starts_with("//") {
        return None;
    }
    let path = dest.strip_prefix('/')?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    // Only files (a name with an extension) come from the static folder; pages do not.
    if !path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        return None;
    }
    let file = static_dir.join(path);
    let inside = !path.split('/').any(|part| part == ".." || part.is_empty());
    Some((inside && file.is_file()).then(|| (PathBuf::from("static").join(path), file)))
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        // A TOML datetime reaches JSON as a one-key object.
        Value::Object(map) => map.values().next().and_then(value_text),
        _ => None,
    }
}

/// A string or list of strings (Jekyll also allows a space-separated string of tags).
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(items)) => items.iter().filter_map(value_text).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// New addresses of the documents, found by the names other documents use to link to them.
struct Links {
    /// Source path relative to the content folder (`posts/x.md`), file stem, Jekyll name
    /// (`2023-09-15-x`) -> new path.
    by_name: BTreeMap<String, String>,
}

impl Links {
    fn new(parsed: &[(Document, Value, String, String)]) -> Self {
        let mut by_name = BTreeMap::new();
        for (doc, _, _, slug) in parsed {
            let new = match doc.is_brief {
                true => format!("/briefs/{slug}/"),
                false => format!("/{slug}/"),
            };
            let content_rel = doc.rel.trim_start_matches("content/").to_string();
            let file_stem = doc
                .file
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            for name in [content_rel, file_stem, doc.stem.clone()] {
                by_name.entry(name).or_insert_with(|| new.clone());
            }
            if let Some(bundle) = &doc.bundle {
                let dir = bundle
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                by_name.entry(dir).or_insert_with(|| new.clone());
            }
        }
        Links { by_name }
    }

    /// The new path of a document named as `name` (`posts/x.md`, `x.md`, `x`, with an anchor).
    fn find(&self, name: &str) -> Option<String> {
        let (name, anchor) = match name.split_once('#') {
            Some((n, a)) => (n, format!("#{a}")),
            None => (name, String::new()),
        };
        let name = name.trim().trim_start_matches('/');
        let candidates = [
            name.to_string(),
            name.trim_end_matches(".md").to_string(),
            name.rsplit('/')
                .next()
                .unwrap_or(name)
                .trim_end_matches(".md")
                .to_string(),
            name.trim_end_matches("/index.md").to_string(),
        ];
        candidates
            .iter()
            .find_map(|c| self.by_name.get(c))
            .map(|p| format!("{p}{anchor}"))
    }
}

fn convert(
    doc: &Document,
    front: &Value,
    body: &str,
    slug: &str,
    context: &Context,
    authors: &mut BTreeMap<String, String>,
    plan: &mut Plan,
) {
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    let (mut out, names, aliases) =
        map_front(front, doc, slug, context.menu, &mut notes, &mut unknown);
    for name in names {
        authors.entry(slug::slugify(&name)).or_insert(name);
    }
    let body = rewrite_body(body, context, &mut notes);
    let mut copies: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let (Some(bundle), true) = (&doc.bundle, doc.is_brief) {
        for entry in walkdir::WalkDir::new(bundle)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path() != doc.file)
        {
            let inner = rel(bundle, entry.path());
            copies.push((
                PathBuf::from(format!("content/briefs/{slug}/{inner}")),
                entry.path().to_path_buf(),
            ));
        }
    }
    let static_dir = match context.generator {
        Generator::Jekyll => context.source.to_path_buf(),
        _ => context.source.join("static"),
    };
    let mut from_static = |dest: &str| match static_file(dest, &static_dir) {
        Some(Some(copy)) => copies.push(copy),
        Some(None) => notes.push(format!("{dest} not found in the source's static files")),
        None => {}
    };
    let body = super::rewrite_links(&body, &mut |dest, _image| {
        from_static(dest);
        None
    });
    // PaperMod and others write `cover = { image = "…", alt = "…" }`.
    let hero_of = |value: &Value| match value.get("image") {
        Some(image) => value_text(image),
        None => value_text(value),
    };
    if let Some(hero) = ["image", "featured_image", "cover"]
        .iter()
        .find_map(|k| front.get(*k).and_then(hero_of))
        .filter(|_| doc.is_brief)
    {
        // A hero in the source's static folder comes over with it, as the text's images do.
        from_static(&hero);
        out.hero("image", Some(&hero));
    }
    let path = match (doc.is_brief, doc.bundle.is_some() && !copies.is_empty()) {
        (false, _) => PathBuf::from(format!("content/pages/{slug}.md")),
        (true, true) => PathBuf::from(format!("content/briefs/{slug}/index.md")),
        (true, false) => PathBuf::from(format!("content/briefs/{slug}.md")),
    };
    let file = path.display().to_string();
    let new_path = match doc.is_brief {
        true => format!("/briefs/{slug}/"),
        false => format!("/{slug}/"),
    };
    let mut old = aliases;
    // A draft had no public address to redirect from.
    if !out_is_draft(&out) {
        old.push(old_address(doc, front, slug, context));
    }
    let (aliases, refused) = super::aliases_of(old, &new_path);
    notes.extend(refused);
    for alias in &aliases {
        plan.report
            .redirects
            .push((alias.clone(), new_path.clone()));
    }
    out.set_list("aliases", &aliases);
    // The hero may be an image of the text too.
    copies.sort();
    copies.dedup();
    for (to, from) in copies {
        plan.copy(to, from);
    }
    for note in notes {
        plan.report.unconverted.push((file.clone(), note));
    }
    for key in unknown {
        plan.report.unknown_keys.push((doc.rel.clone(), key));
    }
    match doc.is_brief {
        true => plan.report.briefs.push(file),
        false => plan.report.pages.push(file),
    }
    plan.text(path, document(&out, &body));
}

fn out_is_draft(front: &Front) -> bool {
    front.render().contains("\ndraft = true\n")
}

/// Where the source published the document, by its generator's default rules.
fn old_address(doc: &Document, front: &Value, slug: &str, context: &Context) -> String {
    if let Some(url) = front
        .get("url")
        .or(front.get("permalink"))
        .and_then(value_text)
    {
        return url;
    }
    let name = front
        .get("slug")
        .and_then(value_text)
        .unwrap_or_else(|| doc.stem.clone());
    match context.generator {
        Generator::Hugo | Generator::Zola => match doc.section.as_str() {
            "" => format!("/{name}/"),
            section => format!("/{section}/{name}/"),
        },
        Generator::Jekyll if !doc.is_brief => format!("/{}.html", doc.stem),
        Generator::Jekyll => {
            let date = doc.name_date.map(|d| d.strftime("%Y/%m/%d").to_string());
            let date = date.unwrap_or_default();
            let categories: Vec<String> = list(front.get("categories"))
                .iter()
                .map(slug::slugify)
                .collect();
            let prefix = match categories.is_empty() {
                true => String::new(),
                false => format!("/{}", categories.join("/")),
            };
            let _ = slug;
            // Jekyll's built-in styles, as its docs define them.
            let pattern = match context.permalink {
                Some("pretty") => Some("/:categories/:year/:month/:day/:title/"),
                Some("ordinal") => Some("/:categories/:year/:y_day/:title:output_ext"),
                Some("weekdate") => Some("/:categories/:year/W:week/:short_day/:title:output_ext"),
                Some("none") => Some("/:categories/:title:output_ext"),
                Some(p) if p.contains(':') => Some(p),
                _ => None,
            };
            match pattern {
                Some(p) => jekyll_pattern(p, doc, &prefix),
                None => format!("{prefix}/{date}/{}.html", doc.stem),
            }
        }
    }
}

fn jekyll_pattern(pattern: &str, doc: &Document, categories: &str) -> String {
    let d = doc.name_date.unwrap_or(jiff::civil::date(1970, 1, 1));
    let f = |format: &str| d.strftime(format).to_string();
    let categories = categories.trim_start_matches('/');
    // Each `:name` read whole, so that `:slug` is not taken out of `:slugified_categories`;
    // a name Jekyll does not have stays as written.
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "categories" | "slugified_categories" => categories.to_string(),
            "output_ext" => ".html".to_string(),
            "year" => f("%Y"),
            "short_year" => f("%y"),
            "month" => f("%m"),
            "i_month" => d.month().to_string(),
            "short_month" => f("%b"),
            "long_month" => f("%B"),
            "day" => f("%d"),
            "i_day" => d.day().to_string(),
            "y_day" => f("%j"),
            "short_day" => f("%a"),
            "long_day" => f("%A"),
            "week" => f("%V"),
            "hour" | "minute" | "second" => "00".to_string(),
            "title" | "slug" | "name" => doc.stem.clone(),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        match value(&after[..len]) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[at..at + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out.replace("//", "/")
}

/// Rewrites the shortcodes and links of the source's Markdown.
fn rewrite_body(body: &str, context: &Context, notes: &mut Vec<String>) -> String {
    let mut out = body.to_string();
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}")] {
        out = replace_tags(&out, open, close, &mut |inner| {
            hugo_shortcode(inner, context, notes)
        });
    }
    // Liquid's `{% … %}` is Jekyll's; in Hugo it is part of a `{{% … %}}` shortcode.
    if context.generator == Generator::Jekyll {
        out = replace_tags(&out, "{%", "%}", &mut |inner| {
            jekyll_tag(inner, context, notes)
        });
    }
    out = out
        .replace("{{ site.baseurl }}", "")
        .replace("{{site.baseurl}}", "");
    out = super::rewrite_links(&out, &mut |dest, _| {
        let target = dest.strip_prefix("@/")?;
        match context.links.find(target) {
            Some(new) => Some(new),
            None => {
                notes.push(format!("link {dest} points to no imported document"));
                None
            }
        }
    });
    for left in ["{{<", "{{%", "{%"] {
        // `{%` of a Hugo `{{%` is that.
        let alone = |at: usize| left != "{%" || !out[..at].ends_with('{');
        if out.match_indices(left).any(|(at, _)| alone(at)) {
            notes.push(format!("template code `{left} … ` left as text"));
        }
    }
    // Liquid's `{{ … }}`, which Jekyll evaluates in content, outside the `{% raw %}` that
    // keeps it as written.
    if context.generator == Generator::Jekyll && outside_raw(body).contains("{{") {
        notes.push("template code `{{ … ` left as text".to_string());
    }
    out
}

/// `body` without its `{% raw %} … {% endraw %}` parts, and without the `{{ site.baseurl }}`
/// the import takes out.
fn outside_raw(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("{%") {
        let Some(close) = rest[start..].find("%}") else {
            break;
        };
        let tag_end = start + close + 2;
        let tag =
            rest[start + 2..start + close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        out.push_str(&rest[..start]);
        if tag != "raw" {
            out.push_str(&rest[start..tag_end]);
            rest = &rest[tag_end..];
            continue;
        }
        // Past the `{% endraw %}`, or to the end when there is none.
        let end = rest[tag_end..]
            .find("endraw")
            .and_then(|e| rest[tag_end + e..].find("%}").map(|c| tag_end + e + c + 2));
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out.replace("{{ site.baseurl }}", "")
        .replace("{{site.baseurl}}", "")
}

/// Replaces each `open … close` with what `replace` returns for its inside (or keeps it).
fn replace_tags(
    text: &str,
    open: &str,
    close: &str,
    replace: &mut dyn FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let Some(len) = rest[start + open.len()..].find(close) else {
            break;
        };
        let end = start + open.len() + len + close.len();
        let inner = rest[start + open.len()..end - close.len()].trim();
        out.push_str(&rest[..start]);
        match replace(inner) {
            Some(new) => out.push_str(&new),
            None => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Splits `name a="b" c` into the name and its arguments (named, or positional by number).
fn arguments(inner: &str) -> (String, BTreeMap<String, String>) {
    let mut args = BTreeMap::new();
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    let mut tokens = tokens.into_iter();
    let name = tokens.next().unwrap_or_default();
    for (i, token) in tokens.enumerate() {
        match token.split_once('=') {
            Some((k, v)) if !k.contains('/') && !k.contains(':') => {
                args.insert(k.to_string(), v.to_string())
            }
            _ => args.insert(i.to_string(), token),
        };
    }
    (name, args)
}

fn hugo_shortcode(inner: &str, context: &Context, notes: &mut Vec<String>) -> Option<String> {
    let (name, args) = arguments(inner);
    let arg = |k: &str| args.get(k).cloned();
    match name.as_str() {
        "figure" => {
            let src = arg("src")?;
            let alt = arg("alt").or(arg("title")).unwrap_or_default();
            let caption = arg("caption").or(arg("title"));
            let mut md = format!("![{alt}]({src})");
            if let Some(caption) = caption {
                md.push_str(&format!("\n\n*{caption}*"));
            }
            if let Some(credit) = arg("attr") {
                md.push_str(&format!(" *({credit})*"));
            }
            Some(md)
        }
        "youtube" => {
            let id = arg("id").or(arg("0"))?;
            notes.push(format!("YouTube video {id} converted to a link"));
            let url = format!("https://www.youtube.com/watch?v={id}");
            Some(format!("<{url}>"))
        }
        "ref" | "relref" => {
            let target = arg("0").or(arg("path"))?;
            match context.links.find(&target) {
                Some(new) => Some(new),
                None => {
                    notes.push(format!("{name} to {target}, which was not imported"));
                    None
                }
            }
        }
        _ => {
            notes.push(format!("shortcode {name} left as text"));
            None
        }
    }
}

fn jekyll_tag(inner: &str, context: &Context, notes: &mut Vec<String>) -> Option<String> {
    let (name, args) = arguments(inner);
    match name.as_str() {
        "post_url" => {
            let target = args.get("0")?;
            match context.links.find(target) {
                Some(new) => Some(new),
                None => {
                    notes.push(format!("post_url {target}: no such post"));
                    None
                }
            }
        }
        "include" => {
            let file = args.get("0")?;
            let path = context.source.join("_includes").join(file);
            match std::fs::read_to_string(&path) {
                Ok(text)
                    if !file.contains("..") && !text.contains("{%") && !text.contains("{{") =>
                {
                    notes.push(format!("included _includes/{file}"));
                    Some(text.trim().to_string())
                }
                _ => {
                    notes.push(format!(
                        "include {file} left as text (missing or uses Liquid)"
                    ));
                    None
                }
            }
        }
        "highlight" | "endhighlight" | "raw" | "endraw" => Some(match name.as_str() {
            "highlight" => format!("```{}", args.get("0").cloned().unwrap_or_default()),
            "endhighlight" => "```".to_string(),
            _ => String::new(),
        }),
        _ => {
            notes.push(format!("Liquid tag {name} left as text"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_root_relative_files_the_source_has_are_copied_from_static() {
        let source = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(source.path().join("images")).unwrap();
        std::fs::write(source.path().join("images/map.png"), "png").unwrap();
        let dir = source.path();
        assert_eq!(
            static_file("/images/map.png?v=2", dir),
            Some(Some((
                PathBuf::from("static/images/map.png"),
                dir.join("images/map.png")
            )))
        );
        assert_eq!(static_file("/images/gone.png", dir), Some(None));
        assert_eq!(static_file("/../images/map.png", dir), Some(None));
        // Another host, a page, a full address: nothing to copy, nothing to report.
        for dest in [
            "//cdn.example.org/images/map.png",
            "/about/",
            "https://e.org/a.png",
        ] {
            assert_eq!(static_file(dest, dir), None, "{dest}");
        }
    }

    #[test]
    fn reads_yaml_toml_and_json_front_matter() {
        let p = Path::new("x.md");
        let (v, body) = split_front("---\ntitle: A\ntags: [x, y]\n---\nBody\n", p).unwrap();
        assert_eq!(v["title"], "A");
        assert_eq!(body, "Body\n");
        let (v, body) = split_front("+++\ntitle = \"B\"\n+++\n\nBody\n", p).unwrap();
        assert_eq!(v["title"], "B");
        assert_eq!(body, "\nBody\n");
        let (v, body) = split_front("{\n\"title\": \"C\"\n}\nBody\n", p).unwrap();
        assert_eq!(v["title"], "C");
        assert_eq!(body, "Body\n");
    }

    #[test]
    fn bad_front_matter_names_the_line() {
        let err = split_front("---\ntitle: A\ntags: [x\n---\n", Path::new("p.md")).unwrap_err();
        assert!(err.to_string().starts_with("error: p.md:"), "{err}");
        let err = split_front("+++\ntitle = \"A\"\ndate = \n+++\n", Path::new("p.md")).unwrap_err();
        assert!(err.to_string().starts_with("error: p.md:3:"), "{err}");
    }

    /// `body` rewritten as from a `generator` site with no other documents, and the notes.
    fn rewritten(generator: Generator, body: &str) -> (String, Vec<String>) {
        let links = Links {
            by_name: BTreeMap::new(),
        };
        let context = Context {
            generator,
            source: Path::new("."),
            links: &links,
            permalink: None,
            menu: &[],
        };
        let mut notes = Vec::new();
        (rewrite_body(body, &context, &mut notes), notes)
    }

    #[test]
    fn a_hugo_shortcode_with_percent_signs_is_not_taken_for_liquid() {
        let body = "{{% notice info %}}Read this.{{% /notice %}}\n";
        let (text, notes) = rewritten(Generator::Hugo, body);
        assert_eq!(text, body);
        assert_eq!(
            notes,
            [
                "shortcode notice left as text",
                "shortcode /notice left as text",
                "template code `{{% … ` left as text",
            ]
        );
    }

    #[test]
    fn a_liquid_expression_left_in_the_text_is_listed() {
        let body = "Welcome to {{ site.title }}.\n";
        let (text, notes) = rewritten(Generator::Jekyll, body);
        assert_eq!(text, body);
        assert_eq!(notes, ["template code `{{ … ` left as text"]);
        // Kept as written on purpose, or not Liquid at all.
        let (_, notes) = rewritten(
            Generator::Jekyll,
            "In Jekyll you write {% raw %}`{{ page.title }}`{% endraw %}.\n",
        );
        assert!(notes.is_empty(), "{notes:?}");
        let (_, notes) = rewritten(Generator::Hugo, "Code: `{{ .Title }}`.\n");
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn jekyll_permalink_placeholders_make_the_old_address() {
        let doc = Document {
            file: PathBuf::from("_posts/2023-05-04-water-wars.md"),
            rel: "_posts/2023-05-04-water-wars.md".into(),
            bundle: None,
            is_brief: true,
            draft_folder: false,
            stem: "water-wars".into(),
            name_date: Some(jiff::civil::date(2023, 5, 4)),
            section: String::new(),
        };
        for (pattern, address) in [
            (
                "/:categories/:year/:month/:day/:title:output_ext",
                "/water/2023/05/04/water-wars.html",
            ),
            (
                "/:categories/:year/:y_day/:title:output_ext",
                "/water/2023/124/water-wars.html",
            ),
            ("/:short_year/:i_month/:i_day/:slug/", "/23/5/4/water-wars/"),
            ("/:year/:short_month/:title", "/2023/May/water-wars"),
            ("/:slugified_categories/:title/", "/water/water-wars/"),
        ] {
            assert_eq!(
                jekyll_pattern(pattern, &doc, "/water"),
                address,
                "{pattern}"
            );
        }
    }

    #[test]
    fn shortcode_arguments() {
        let (name, args) = arguments(r#"figure src="a.jpg" caption="A b""#);
        assert_eq!(name, "figure");
        assert_eq!(args["src"], "a.jpg");
        assert_eq!(args["caption"], "A b");
        let (_, args) = arguments(r#"ref "posts/x.md#y""#);
        assert_eq!(args["0"], "posts/x.md#y");
    }
}
