//! `brief import wordpress EXPORT.xml`: a WordPress export (WXR 1.1/1.2, Tools -> Export).
//!
//! 1. [`parse`] reads the XML with quick-xml into plain values (authors, categories, items);
//!    a malformed file is an error naming its line;
//! 2. [`plan`] turns posts into briefs, pages into pages and `wp:author`s (and co-author terms)
//!    into authors; each item is converted on its own, so a bad one is listed and skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::frontmatter::{Front, document};
use super::html_md::plain_text;
use super::wp_content::{self, Attachment};
use super::{Plan, RESERVED_PAGE_SLUGS, unique};
use crate::error::{Diagnostic, Kind, Location, line_col};

/// Where WordPress categories go in brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CategoriesAs {
    #[default]
    Topics,
    Programs,
    Regions,
}

/// What the WordPress import needs besides the export.
#[derive(Debug, Clone)]
pub struct WordPressOptions {
    pub export: PathBuf,
    pub uploads: Option<PathBuf>,
    pub categories_as: CategoriesAs,
    /// Brief's own menu entries, which no imported page's title may repeat.
    pub menu: Vec<super::MenuEntry>,
}

/// One `<item>`, the fields brief uses.
#[derive(Debug, Default, Clone)]
pub struct Item {
    pub line: usize,
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: String,
    pub date: String,
    pub date_gmt: String,
    pub modified_gmt: String,
    pub name: String,
    pub status: String,
    pub parent: String,
    pub post_type: String,
    pub password: String,
    pub sticky: bool,
    pub attachment_url: String,
    /// (domain, nicename, name) of each `<category>`.
    pub terms: Vec<(String, String, String)>,
    pub meta: Vec<(String, String)>,
    pub comments: Vec<String>,
}

impl Item {
    fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A `<wp:author>`.
#[derive(Debug, Default, Clone)]
pub struct Author {
    pub login: String,
    pub display_name: String,
    pub description: String,
}

/// The parts of an export brief uses.
#[derive(Debug, Default, Clone)]
pub struct Export {
    pub base_url: String,
    pub authors: Vec<Author>,
    /// Category nicename -> parent nicename ("" at the top).
    pub category_parents: BTreeMap<String, String>,
    /// Category nicename -> its name.
    pub category_names: BTreeMap<String, String>,
    /// Tag slug -> its name.
    pub tags: BTreeMap<String, String>,
    /// Co-author terms: slug -> description.
    pub author_terms: BTreeMap<String, String>,
    pub items: Vec<Item>,
}

/// Reads an export; `display` is the file as named to the user.
pub fn parse(xml: &str, display: &Path) -> Result<Export, Diagnostic> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut export = Export::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut item: Option<Item> = None;
    let mut author: Option<Author> = None;
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut term_attrs: (String, String) = Default::default();
    let mut meta_key = String::new();
    let mut lines = LineCounter::default();
    let mut saw_channel = false;
    // Every WXR element of WordPress's own is `wp:` (the version, each post's type and id).
    let mut saw_wordpress = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let (line, column) = line_col(xml, reader.error_position() as usize);
            Diagnostic::new(
                Kind::Usage,
                format!("the export is not well-formed XML: {e}"),
            )
            .at(Location::at(display, line, column))
            .help("export again from WordPress (Tools -> Export), or fix the XML at this line")
        })?;
        match event {
            Event::Start(start) => {
                let name = start.name().as_ref().to_string();
                saw_wordpress |= name.starts_with("wp:");
                text.clear();
                match name.as_str() {
                    "channel" => saw_channel = true,
                    "item" => {
                        let offset = reader.buffer_position() as usize;
                        item = Some(Item {
                            line: lines.line_at(xml, offset),
                            ..Item::default()
                        });
                    }
                    "wp:author" => author = Some(Author::default()),
                    "wp:category" | "wp:term" | "wp:tag" => fields.clear(),
                    "category" => {
                        let attr = |key: &str| {
                            start
                                .attributes()
                                .flatten()
                                .find(|a| a.key.as_ref() == key)
                                .and_then(|a| {
                                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()
                                })
                                .map(|v| v.into_owned())
                                .unwrap_or_default()
                        };
                        term_attrs = (attr("domain"), attr("nicename"));
                    }
                    _ => {}
                }
                path.push(name);
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.into_inner()),
            Event::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.push(c),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => text.push_str(&format!("&{name};")),
                    },
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text);
                let parent = path.last().map(String::as_str).unwrap_or("");
                end_element(
                    &name,
                    parent,
                    value,
                    &mut State {
                        export: &mut export,
                        item: &mut item,
                        author: &mut author,
                        fields: &mut fields,
                        term_attrs: &term_attrs,
                        meta_key: &mut meta_key,
                    },
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // quick-xml ends without an error where the file ends, even inside an element: an export
    // cut short (a download that stopped) would import its first posts and drop the rest.
    if let Some(open) = path.last() {
        let (line, column) = line_col(xml, xml.len());
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("the export is cut short: it ends inside <{open}>, before </rss>"),
        )
        .at(Location::at(display, line, column))
        .help("export again from WordPress (Tools -> Export) and check that the download finished: the file ends with </rss>"));
    }
    if !saw_channel {
        return Err(Diagnostic::new(
            Kind::Usage,
            "this is not a WordPress export: it has no <channel>",
        )
        .in_file(display)
        .help("export the site from WordPress with Tools -> Export -> All content"));
    }
    if !saw_wordpress {
        // A saved feed (/feed/) is RSS like an export, but holds only the latest posts, without
        // their ids, types, authors, categories' slugs, pages or drafts.
        return Err(Diagnostic::new(
            Kind::Usage,
            "this is an RSS feed, not a WordPress export: it has no <wp:…> elements",
        )
        .in_file(display)
        .help("export the whole site from WordPress with Tools -> Export -> All content (the file starts with <wp:wxr_version>)"));
    }
    Ok(export)
}

/// Counts lines incrementally, since items come in order.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            return line_col(text, offset).0;
        }
        self.line += text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.line + 1
    }
}

struct State<'a> {
    export: &'a mut Export,
    item: &'a mut Option<Item>,
    author: &'a mut Option<Author>,
    fields: &'a mut BTreeMap<String, String>,
    term_attrs: &'a (String, String),
    meta_key: &'a mut String,
}

fn end_element(name: &str, parent: &str, value: String, s: &mut State) {
    if let Some(item) = s.item.as_mut() {
        match name {
            "item" => {
                if let Some(item) = s.item.take() {
                    s.export.items.push(item);
                }
            }
            "title" if parent == "item" => item.title = value,
            "link" if parent == "item" => item.link = value,
            "dc:creator" => item.creator = value,
            "content:encoded" => item.content = value,
            "excerpt:encoded" => item.excerpt = value,
            "wp:post_id" => item.post_id = value,
            "wp:post_date" => item.date = value,
            "wp:post_date_gmt" => item.date_gmt = value,
            "wp:post_modified_gmt" => item.modified_gmt = value,
            "wp:post_name" => item.name = value,
            "wp:status" => item.status = value,
            "wp:post_parent" => item.parent = value,
            "wp:post_type" => item.post_type = value,
            "wp:post_password" => item.password = value,
            "wp:is_sticky" => item.sticky = value.trim() == "1",
            "wp:attachment_url" => item.attachment_url = value,
            "category" => item.terms.push((
                s.term_attrs.0.clone(),
                s.term_attrs.1.clone(),
                value.trim().to_string(),
            )),
            "wp:meta_key" => *s.meta_key = value,
            "wp:meta_value" => item.meta.push((std::mem::take(s.meta_key), value)),
            "wp:comment_type" => item.comments.push(value),
            _ => {}
        }
        return;
    }
    if let Some(author) = s.author.as_mut() {
        match name {
            "wp:author" => {
                if let Some(author) = s.author.take() {
                    s.export.authors.push(author);
                }
            }
            "wp:author_login" => author.login = value,
            "wp:author_display_name" => author.display_name = value,
            "wp:author_description" => author.description = value,
            _ => {}
        }
        return;
    }
    match name {
        "link" if parent == "channel" && s.export.base_url.is_empty() => {
            s.export.base_url = value.trim().to_string();
        }
        "wp:base_blog_url" => s.export.base_url = value.trim().to_string(),
        "wp:category" => {
            let nicename = s.fields.remove("wp:category_nicename").unwrap_or_default();
            let parent = s.fields.remove("wp:category_parent").unwrap_or_default();
            let name = s.fields.remove("wp:cat_name").unwrap_or_default();
            s.export.category_names.insert(nicename.clone(), name);
            s.export.category_parents.insert(nicename, parent);
        }
        "wp:tag" => {
            let slug = s.fields.remove("wp:tag_slug").unwrap_or_default();
            let name = s.fields.remove("wp:tag_name").unwrap_or_default();
            s.export.tags.insert(slug, name);
        }
        "wp:term" if s.fields.get("wp:term_taxonomy").map(String::as_str) == Some("author") => {
            let slug = s.fields.remove("wp:term_slug").unwrap_or_default();
            let description = s.fields.remove("wp:term_description").unwrap_or_default();
            s.export.author_terms.insert(slug, description);
        }
        _ if matches!(parent, "wp:category" | "wp:term" | "wp:tag") => {
            s.fields.insert(name.to_string(), value);
        }
        _ => {}
    }
}

/// Turns an export into the files of a brief site.
pub fn plan(export: &Export, options: &WordPressOptions, root: &Path) -> Plan {
    let mut plan = Plan::default();
    plan.report.source = format!("WordPress export {}", options.export.display());
    let attachments = attachments(export);
    let mut authors = Authors::new(export, root);
    let mut targets = Targets::default();
    let mut slugs = BTreeSet::new();
    let mut page_slugs = BTreeSet::new();
    // First pass: every post's and page's new address, so links between them can be rewritten.
    let mut planned: Vec<(&Item, String)> = Vec::new();
    for item in &export.items {
        let kind = item.post_type.as_str();
        if kind != "post" && kind != "page" {
            continue;
        }
        let wanted = wanted_slug(item);
        let slug = if kind == "post" {
            unique(&wanted, &mut slugs)
        } else {
            let wanted = match RESERVED_PAGE_SLUGS.contains(&wanted.as_str()) {
                true => format!("{wanted}-page"),
                false => wanted,
            };
            unique(&wanted, &mut page_slugs)
        };
        targets.add(item, &slug, &export.base_url);
        planned.push((item, slug));
    }
    for (item, slug) in &planned {
        let converted = convert_item(
            item,
            slug,
            &Shared {
                export,
                attachments: &attachments,
                options,
                targets: &targets,
            },
        );
        match converted {
            Ok(files) => files.add_to(&mut plan, &mut authors, item),
            Err(why) => plan
                .report
                .skipped
                .push((format!("{}:{}", options.export.display(), item.line), why)),
        }
    }
    authors.add_to(&mut plan);
    archive_redirects(export, options, root, &mut plan);
    not_imported(export, &mut plan);
    plan
}

/// Redirects from the old site's category, tag, author and feed addresses ([`super::wp_archive`]).
fn archive_redirects(export: &Export, options: &WordPressOptions, root: &Path, plan: &mut Plan) {
    let archives = super::wp_archive::archives(export, options.categories_as);
    let config = crate::config::Config::load(root).ok();
    let root_path = config
        .as_ref()
        .map_or("/", |c| c.base_url.root_path())
        .to_string();
    let language = config.as_ref().map_or("en", |c| c.language.as_str());
    let refused = super::wp_archive::add_to(&archives, plan, root, &root_path, language);
    for note in refused {
        plan.report
            .unconverted
            .push((format!("static/{}", crate::redirects::REDIRECTS_FILE), note));
    }
    plan.report.archive_redirects = vec![
        (["category", "categories"], archives.categories),
        (["tag", "tags"], archives.tags),
        (["author", "authors"], archives.authors),
        (["feed", "feeds"], archives.feeds),
        (["numbered page", "numbered pages"], archives.numbered_pages),
    ];
}

/// What converting one item needs from the whole export.
struct Shared<'a> {
    export: &'a Export,
    attachments: &'a BTreeMap<String, Attachment>,
    options: &'a WordPressOptions,
    targets: &'a Targets,
}

/// The slug a post asks for: its percent-decoded `post_name`, else its title's.
fn wanted_slug(item: &Item) -> String {
    let decoded = percent_encoding::percent_decode_str(item.name.trim())
        .decode_utf8_lossy()
        .into_owned();
    let slug = slug::slugify(&decoded);
    if slug.is_empty() {
        match slug::slugify(plain_text(&item.title)) {
            s if s.is_empty() => format!("post-{}", item.post_id),
            s => s,
        }
    } else {
        slug
    }
}

/// Old addresses of imported posts and pages, to rewrite links between them.
#[derive(Default)]
struct Targets {
    /// Old path (`/2023/09/x/`) -> (new path, draft). New paths rather than `@/` links,
    /// since whether a brief becomes a bundle is known only once its images are found.
    by_path: BTreeMap<String, (String, bool)>,
    /// `wp:post_id` -> (new path, draft), for WordPress's own `/?p=123` and `/?page_id=45`.
    by_id: BTreeMap<String, (String, bool)>,
}

impl Targets {
    fn add(&mut self, item: &Item, slug: &str, base: &str) {
        let target = (new_path(item, slug), is_draft(item));
        if let Some(path) = old_path(&item.link, base) {
            self.by_path.insert(path, target.clone());
        }
        let id = item.post_id.trim();
        if !id.is_empty() {
            self.by_id.insert(id.to_string(), target);
        }
    }
}

/// The path of `link` on the old site, when it is on it and is not a `?p=` address.
fn old_path(link: &str, base: &str) -> Option<String> {
    let path = old_site_path(link, base)?;
    if path.contains('?') || path == "/" || path.starts_with("/#") {
        return None;
    }
    Some(path)
}

/// The path, query and anchor of `link` when it is an absolute address on the old site.
pub(super) fn old_site_path(link: &str, base: &str) -> Option<String> {
    let split = |u: &str| {
        let rest = u.trim().split("://").nth(1)?;
        let at = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        Some((rest[..at].to_string(), rest[at..].to_string()))
    };
    let (host, path) = split(link)?;
    if split(base).is_some_and(|(h, _)| !h.is_empty() && h != host) {
        return None;
    }
    Some(match path.starts_with('/') {
        true => path,
        false => format!("/{path}"),
    })
}

/// The post id of a WordPress address by id on the old site (`/?p=123`, `/?page_id=45`,
/// `/index.php?p=123`, under the folder WordPress is installed in: `/blog/?p=123`), with its
/// `#anchor` ("" when none).
fn query_id(absolute: &str, base: &str) -> Option<(String, String)> {
    let (query, anchor) = front_page_query(absolute, base)?;
    let id = crate::urls::wordpress_post_id(&query)?;
    Some((id.to_string(), anchor))
}

/// The attachment id of an attachment page's address on the old site (`/?attachment_id=123`),
/// read as [`query_id`] reads a post's.
fn attachment_query_id(absolute: &str, base: &str) -> Option<String> {
    let (query, _) = front_page_query(absolute, base)?;
    crate::urls::wordpress_attachment_id(&query).map(str::to_string)
}

/// The query and `#anchor` of an address of the old site's front page (`/`, `/index.php`).
fn front_page_query(absolute: &str, base: &str) -> Option<(String, String)> {
    let path = old_site_path(absolute, base)?;
    let (link, anchor) = match path.split_once('#') {
        Some((link, anchor)) => (link, format!("#{anchor}")),
        None => (path.as_str(), String::new()),
    };
    let (path, query) = link.split_once('?')?;
    let folder = old_site_path(base, base).unwrap_or_default();
    let folder = folder.trim_end_matches('/');
    let inside = path.strip_prefix(folder).unwrap_or(path);
    let front_page =
        matches!(inside, "/" | "/index.php") || (inside.is_empty() && !folder.is_empty());
    front_page.then(|| (query.to_string(), anchor))
}

/// How many plain pages the import of `export` writes: its published pages.
pub fn published_pages(export: &Export) -> usize {
    export
        .items
        .iter()
        .filter(|i| i.post_type == "page" && !is_draft(i))
        .count()
}

pub(super) fn is_draft(item: &Item) -> bool {
    matches!(
        item.status.as_str(),
        "draft" | "pending" | "future" | "private" | "auto-draft"
    ) || !item.password.is_empty()
}

fn attachments(export: &Export) -> BTreeMap<String, Attachment> {
    export
        .items
        .iter()
        .filter(|i| i.post_type == "attachment")
        .map(|i| {
            let credit = i
                .meta("_wp_attachment_metadata")
                .and_then(php_credit)
                .unwrap_or_default();
            let attachment = Attachment {
                id: i.post_id.clone(),
                parent: i.parent.clone(),
                url: i.attachment_url.trim().to_string(),
                alt: i.meta("_wp_attachment_image_alt").unwrap_or("").to_string(),
                caption: plain_text(&i.excerpt),
                credit,
            };
            (i.post_id.clone(), attachment)
        })
        .collect()
}

/// The `credit` of an image's metadata, which WordPress stores as serialized PHP:
/// `s:6:"credit";s:12:"Getty Images";`.
fn php_credit(meta: &str) -> Option<String> {
    let at = meta.find("s:6:\"credit\";s:")?;
    let rest = &meta[at + "s:6:\"credit\";s:".len()..];
    let (len, rest) = rest.split_once(':')?;
    let len: usize = len.parse().ok()?;
    let value = rest.strip_prefix('"')?.get(..len)?;
    Some(value.to_string()).filter(|v| !v.trim().is_empty())
}

/// The files one post or page becomes.
struct ItemFiles {
    /// The Markdown file, relative to the site root.
    path: PathBuf,
    text: String,
    /// Images to copy: (relative target, source file).
    copies: Vec<(PathBuf, PathBuf)>,
    remote: Vec<String>,
    notes: Vec<String>,
    authors: Vec<String>,
    redirect: Option<(String, String)>,
    is_page: bool,
}

impl ItemFiles {
    fn add_to(self, plan: &mut Plan, authors: &mut Authors, _item: &Item) {
        let file = self.path.display().to_string();
        for id in &self.authors {
            authors.used(id);
        }
        for (to, from) in self.copies {
            plan.copy(to, from);
        }
        for url in self.remote {
            plan.report.images_remote.push((file.clone(), url));
        }
        for note in self.notes {
            plan.report.unconverted.push((file.clone(), note));
        }
        if let Some(redirect) = self.redirect {
            plan.report.redirects.push(redirect);
        }
        match self.is_page {
            true => plan.report.pages.push(file),
            false => plan.report.briefs.push(file),
        }
        plan.text(self.path, self.text);
    }
}

fn convert_item(item: &Item, slug: &str, shared: &Shared) -> Result<ItemFiles, String> {
    let is_page = item.post_type == "page";
    let date = item_date(item)?;
    let body = wp_content::to_markdown(
        &item.content,
        &wp_content::Context {
            attachments: shared.attachments,
            post_id: &item.post_id,
            footnotes: item.meta("footnotes"),
        },
    );
    let mut notes = body.notes;
    let hero = match is_page {
        true => None,
        false => item
            .meta("_thumbnail_id")
            .and_then(|id| shared.attachments.get(id.trim())),
    };
    let mut media = Media::new(shared, slug, is_page);
    let markdown = super::rewrite_links(&body.markdown, &mut |dest, image| {
        media.rewrite(dest, image)
    });
    let hero_image = hero.map(|h| media.local_or_remote(&h.url, true));
    notes.extend(std::mem::take(&mut media.notes));

    let mut front = Front::default();
    let title = plain_text(&item.title);
    if title.is_empty() {
        notes.push("the post has no title; titled \"Untitled\"".into());
    }
    let title = match super::distinct_page_title(&title, &shared.options.menu) {
        Some((distinct, note)) if is_page => {
            notes.push(note);
            distinct
        }
        _ => title,
    };
    front.set(
        "title",
        if title.is_empty() {
            "Untitled".to_string()
        } else {
            title
        },
    );
    let authors = if is_page {
        Vec::new()
    } else {
        post_authors(item, shared.export)
    };
    if !is_page {
        front.set_date("date", date);
        if let Some(updated) = parse_wp_date(&item.modified_gmt).filter(|u| *u > date) {
            front.set_date("updated", updated);
        }
        if authors.is_empty() {
            return Err("the post has no author (dc:creator is empty)".into());
        }
        front.set_list("authors", &authors);
    }
    // The excerpt, else the description an SEO plugin kept for search results (written with
    // as much care, and the same length); one made of its `%%title%%` variables is none.
    let seo = [
        "_yoast_wpseo_metadesc",
        "rank_math_description",
        "_aioseop_description",
    ]
    .iter()
    .filter_map(|key| item.meta(key))
    .find(|d| !d.trim().is_empty() && !d.contains("%%"));
    let summary = match (plain_text(&item.excerpt), seo) {
        (excerpt, Some(description)) if excerpt.trim().is_empty() => plain_text(description),
        (excerpt, _) => excerpt,
    };
    front.set_text("summary", Some(&summary));
    if !is_page {
        set_terms(&mut front, item, shared, &mut notes);
        front.set_list("pull_quotes", &body.pull_quotes);
    }
    if is_draft(item) {
        front.set("draft", true);
        if !item.password.is_empty() {
            notes.push("the post is password-protected; imported as a draft".into());
        }
    }
    if item.sticky && !is_page {
        front.set("featured", true);
    }
    let decoded = percent_encoding::percent_decode_str(item.name.trim())
        .decode_utf8_lossy()
        .into_owned();
    // Keeps the original (non-ASCII) name on record; the build makes the same slug of it.
    if !decoded.is_empty() && decoded != slug && slug::slugify(&decoded) == slug {
        front.set("slug", decoded.clone());
    }
    if let (Some(hero), Some(image)) = (hero, hero_image) {
        front.hero("image", Some(&image));
        front.hero("alt", Some(&hero.alt));
        front.hero("caption", Some(&hero.caption));
        front.hero("credit", Some(&hero.credit));
    }
    let new = new_path(item, slug);
    // Drafts, private and scheduled posts had no public address to redirect from.
    let old = old_path(&item.link, &shared.export.base_url).filter(|_| !is_draft(item));
    let (aliases, refused) = super::aliases_of(old, &new);
    notes.extend(refused);
    front.set_list("aliases", &aliases);
    let redirect = aliases.into_iter().next().map(|old| (old, new));
    let bundle = !media.copies.is_empty();
    let path = match (is_page, bundle) {
        (true, _) => PathBuf::from(format!("content/pages/{slug}.md")),
        (false, true) => PathBuf::from(format!("content/briefs/{slug}/index.md")),
        (false, false) => PathBuf::from(format!("content/briefs/{slug}.md")),
    };
    Ok(ItemFiles {
        path,
        text: document(&front, &markdown),
        copies: media.copies,
        remote: media.remote,
        notes,
        authors,
        redirect,
        is_page,
    })
}

/// Where brief publishes the item: its slug as written in front matter, made a slug by the build.
fn new_path(item: &Item, slug: &str) -> String {
    match item.post_type.as_str() {
        "page" => format!("/{slug}/"),
        _ => format!("/briefs/{slug}/"),
    }
}

/// The publication date: `post_date_gmt`, else `post_date` (drafts have no GMT date).
pub(super) fn item_date(item: &Item) -> Result<jiff::civil::Date, String> {
    parse_wp_date(&item.date_gmt)
        .or_else(|| parse_wp_date(&item.date))
        .ok_or_else(|| {
            format!(
                "the post has no date (post_date_gmt `{}`, post_date `{}`)",
                item.date_gmt, item.date
            )
        })
}

/// `2023-09-15 10:00:00` (WordPress's zero date `0000-00-00 ...` is none).
fn parse_wp_date(text: &str) -> Option<jiff::civil::Date> {
    text.trim().get(..10)?.parse::<jiff::civil::Date>().ok()
}

/// The post's author ids: its `dc:creator`, then co-author terms.
pub(super) fn post_authors(item: &Item, export: &Export) -> Vec<String> {
    let mut ids = Vec::new();
    let co_authors: Vec<&(String, String, String)> =
        item.terms.iter().filter(|t| t.0 == "author").collect();
    let mut push = |id: String| {
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    };
    if co_authors.is_empty() {
        push(author_id(&item.creator, export));
    }
    for (_, nicename, name) in co_authors {
        let login = nicename.strip_prefix("cap-").unwrap_or(nicename);
        let known = export
            .authors
            .iter()
            .find(|a| a.login == *name || slug::slugify(&a.login) == login);
        match known {
            Some(a) => push(author_id(&a.login, export)),
            None => push(slug::slugify(login)),
        }
    }
    ids
}

/// An author's id: their display name as a slug, else their login's.
pub(super) fn author_id(login: &str, export: &Export) -> String {
    let known = export.authors.iter().find(|a| a.login == login);
    let name = known
        .map(|a| a.display_name.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or(login);
    match slug::slugify(name) {
        s if s.is_empty() => slug::slugify(login),
        s => s,
    }
}

/// Categories (leaf names of the hierarchy) and tags as topics, programs or regions.
fn set_terms(front: &mut Front, item: &Item, shared: &Shared, notes: &mut Vec<String>) {
    let terms = post_terms(item, shared.export, shared.options.categories_as);
    if let Some(note) = terms.note {
        notes.push(note);
    }
    front.set_list("topics", &terms.topics);
    front.set_list("regions", &terms.regions);
    front.set_text("program", terms.program.as_deref());
}

/// The terms a post's categories and tags become.
#[derive(Debug, Default)]
pub(super) struct PostTerms {
    pub topics: Vec<String>,
    pub regions: Vec<String>,
    pub program: Option<String>,
    note: Option<String>,
}

pub(super) fn post_terms(item: &Item, export: &Export, categories_as: CategoriesAs) -> PostTerms {
    let assigned: Vec<&(String, String, String)> =
        item.terms.iter().filter(|t| t.0 == "category").collect();
    let is_ancestor = |nicename: &str| {
        assigned.iter().any(|(_, other, _)| {
            category_ancestors(other, export)
                .iter()
                .any(|a| a == nicename)
        })
    };
    let categories: Vec<String> = assigned
        .iter()
        .filter(|(_, nicename, _)| nicename != "uncategorized" && !is_ancestor(nicename))
        .map(|(_, _, name)| plain_text(name))
        .collect();
    let mut terms = PostTerms::default();
    match categories_as {
        CategoriesAs::Topics => terms.topics.extend(categories),
        CategoriesAs::Regions => terms.regions.extend(categories),
        CategoriesAs::Programs => {
            let mut categories = categories.into_iter();
            terms.program = categories.next();
            let rest: Vec<String> = categories.collect();
            if !rest.is_empty() {
                terms.note = Some(format!(
                    "a brief has one program; other categories made topics: {}",
                    rest.join(", ")
                ));
                terms.topics.extend(rest);
            }
        }
    }
    for (_, _, name) in item.terms.iter().filter(|t| t.0 == "post_tag") {
        let name = plain_text(name);
        if !terms.topics.contains(&name) {
            terms.topics.push(name);
        }
    }
    terms
}

/// The nicenames of a category's parent, grandparent, ... (a loop in the export ends it).
pub(super) fn category_ancestors(nicename: &str, export: &Export) -> Vec<String> {
    let mut ancestors = Vec::new();
    let mut parent = export.category_parents.get(nicename);
    while let Some(p) = parent.filter(|p| !p.is_empty() && ancestors.len() < 20) {
        ancestors.push(p.clone());
        parent = export.category_parents.get(p.as_str());
    }
    ancestors
}

/// Images and files of one item: copied from `--uploads` when there, else left remote.
struct Media<'a> {
    shared: &'a Shared<'a>,
    slug: String,
    is_page: bool,
    /// Source URL -> the link written in the Markdown.
    done: BTreeMap<String, String>,
    /// Local file -> its link, so two sizes of one image are copied once.
    by_file: BTreeMap<PathBuf, String>,
    names: BTreeSet<String>,
    copies: Vec<(PathBuf, PathBuf)>,
    remote: Vec<String>,
    notes: Vec<String>,
}

impl<'a> Media<'a> {
    fn new(shared: &'a Shared<'a>, slug: &str, is_page: bool) -> Self {
        Media {
            shared,
            slug: slug.to_string(),
            is_page,
            done: BTreeMap::new(),
            by_file: BTreeMap::new(),
            names: BTreeSet::new(),
            copies: Vec::new(),
            remote: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The new destination of a link or image, or `None` to keep it.
    fn rewrite(&mut self, dest: &str, image: bool) -> Option<String> {
        if self.uploads_path(dest).is_some() {
            return Some(self.local_or_remote(dest, image));
        }
        if image {
            self.remote(dest);
            return None;
        }
        let base = &self.shared.export.base_url;
        let absolute = match dest.starts_with('/') && !dest.starts_with("//") {
            true => format!("{}{dest}", base.trim_end_matches('/')),
            false => dest.to_string(),
        };
        if let Some((id, anchor)) = query_id(&absolute, base) {
            return self.rewrite_by_id(dest, &absolute, &id, &anchor);
        }
        if let Some(id) = attachment_query_id(&absolute, base) {
            return self.rewrite_attachment(dest, &absolute, &id);
        }
        let path = old_path(&absolute, base)?;
        let (path, anchor) = match path.split_once('#') {
            Some((p, a)) => (p.to_string(), format!("#{a}")),
            None => (path, String::new()),
        };
        let with_slash = format!("{}/", path.trim_end_matches('/'));
        match self.shared.targets.by_path.get(&with_slash) {
            Some((new_path, false)) => Some(format!("{new_path}{anchor}")),
            _ if dest.starts_with('/') => {
                self.notes.push(format!(
                    "link {dest} is not an imported page; now {absolute}"
                ));
                Some(absolute)
            }
            _ => None,
        }
    }

    /// A link to `/?p=<id>`: the new address of the post or page with that id; else it is
    /// listed, and made absolute when it was written from the root.
    fn rewrite_by_id(
        &mut self,
        dest: &str,
        absolute: &str,
        id: &str,
        anchor: &str,
    ) -> Option<String> {
        let why = match self.shared.targets.by_id.get(id) {
            Some((new_path, false)) => return Some(format!("{new_path}{anchor}")),
            Some((_, true)) => format!("post {id} is a draft"),
            None => format!("the export has no post or page {id}"),
        };
        let relative = dest.starts_with('/');
        let now = match relative {
            true => format!("; now {absolute}"),
            false => String::new(),
        };
        self.notes
            .push(format!("link {dest} is not an imported page ({why}){now}"));
        relative.then(|| absolute.to_string())
    }

    /// A link to an attachment page, `/?attachment_id=<id>`: the attachment's file, copied
    /// like an image in the text when `--uploads` has it, else its address on the old site;
    /// an id the export has no attachment for is listed, and made absolute when it was
    /// written from the root.
    fn rewrite_attachment(&mut self, dest: &str, absolute: &str, id: &str) -> Option<String> {
        let file = self
            .shared
            .attachments
            .get(id)
            .map(|a| a.url.clone())
            .filter(|url| !url.is_empty());
        if let Some(url) = file {
            return Some(self.local_or_remote(&url, false));
        }
        let relative = dest.starts_with('/');
        let now = match relative {
            true => format!("; now {absolute}"),
            false => String::new(),
        };
        self.notes.push(format!(
            "link {dest} is an attachment page, but the export has no attachment {id}{now}"
        ));
        relative.then(|| absolute.to_string())
    }

    fn remote(&mut self, url: &str) {
        if (url.starts_with("http://") || url.starts_with("https://"))
            && !self.remote.iter().any(|u| u == url)
        {
            self.remote.push(url.to_string());
        }
    }

    /// Path below `--uploads` of an address under the old site's `wp-content/uploads/`.
    fn uploads_path(&self, url: &str) -> Option<String> {
        let at = url.find("/wp-content/uploads/")?;
        let rest = &url[at + "/wp-content/uploads/".len()..];
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        Some(
            percent_encoding::percent_decode_str(rest)
                .decode_utf8_lossy()
                .into_owned(),
        )
    }

    fn local_or_remote(&mut self, url: &str, image: bool) -> String {
        if let Some(done) = self.done.get(url) {
            return done.clone();
        }
        let found = self.shared.options.uploads.as_ref().and_then(|dir| {
            let rel = self.uploads_path(url)?;
            if rel.split('/').any(|part| part == ".." || part.is_empty()) {
                return None;
            }
            [rel.clone(), original_size(&rel)]
                .into_iter()
                .map(|r| dir.join(r))
                .find(|p| p.is_file())
        });
        let new = match found {
            Some(file) if self.by_file.contains_key(&file) => self.by_file[&file].clone(),
            Some(file) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = unique_file_name(&name, &mut self.names);
                let (target, link) = match self.is_page {
                    true => {
                        let rel = self.uploads_path(url).unwrap_or_default();
                        let rel = format!("uploads/{rel}");
                        (PathBuf::from("static").join(&rel), format!("/{rel}"))
                    }
                    false => (
                        PathBuf::from(format!("content/briefs/{}/{name}", self.slug)),
                        name,
                    ),
                };
                self.copies.push((target, file.clone()));
                self.by_file.insert(file, link.clone());
                link
            }
            None => {
                if image {
                    self.remote(url);
                }
                url.to_string()
            }
        };
        self.done.insert(url.to_string(), new.clone());
        new
    }
}

/// `photo-1024x683.jpg` -> `photo.jpg`: WordPress's resized copies are often not exported.
fn original_size(rel: &str) -> String {
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let trimmed = match stem.rsplit_once('-') {
        Some((base, size))
            if size.split_once('x').is_some_and(|(w, h)| {
                !w.is_empty()
                    && !h.is_empty()
                    && w.chars().all(|c| c.is_ascii_digit())
                    && h.chars().all(|c| c.is_ascii_digit())
            }) =>
        {
            base
        }
        _ => stem,
    };
    match ext {
        "" => trimmed.to_string(),
        ext => format!("{trimmed}.{ext}"),
    }
}

fn unique_file_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(name.to_string()) {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|n| match ext {
            "" => format!("{stem}-{n}"),
            ext => format!("{stem}-{n}.{ext}"),
        })
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("some number is free")
}

/// The authors to write: every `wp:author`, and co-authors that posts name.
struct Authors<'a> {
    export: &'a Export,
    root: &'a Path,
    used: BTreeSet<String>,
}

impl<'a> Authors<'a> {
    fn new(export: &'a Export, root: &'a Path) -> Self {
        Authors {
            export,
            root,
            used: BTreeSet::new(),
        }
    }

    fn used(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    fn add_to(self, plan: &mut Plan) {
        let mut written = BTreeSet::new();
        for author in &self.export.authors {
            let id = author_id(&author.login, self.export);
            if !written.insert(id.clone()) {
                continue;
            }
            let name = match author.display_name.trim() {
                "" => author.login.trim(),
                name => name,
            };
            write_author(plan, &id, name, &author.description);
        }
        for id in &self.used {
            if written.contains(id) {
                continue;
            }
            let path = self.root.join(format!("content/authors/{id}.md"));
            if path.exists() {
                continue; // The site already has this author; reuse it.
            }
            let term = self
                .export
                .author_terms
                .get(&format!("cap-{id}"))
                .or_else(|| self.export.author_terms.get(id));
            let name = term
                .and_then(|d| guest_name(d))
                .unwrap_or_else(|| title_case(id));
            write_author(plan, id, &name, "");
        }
    }
}

/// Co-Authors Plus keeps a guest author's details in the term description:
/// "Display Name First Last login id email"; the display name is not delimited, so take
/// the words before the repeated first name.
fn guest_name(description: &str) -> Option<String> {
    let words: Vec<&str> = description.split_whitespace().collect();
    let half = (1..words.len()).find(|&i| i + 1 < words.len() && words[i] == words[0])?;
    Some(words[..half].join(" ")).filter(|n| !n.is_empty())
}

fn title_case(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_author(plan: &mut Plan, id: &str, name: &str, bio: &str) {
    let mut front = Front::default();
    front.set("name", name.to_string());
    let bio = super::html_md::convert(bio).markdown;
    let path = format!("content/authors/{id}.md");
    plan.report.authors.push(path.clone());
    plan.text(path, document(&front, &bio));
}

/// Lists what the export holds that brief does not import.
fn not_imported(export: &Export, plan: &mut Plan) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut comments = 0;
    let mut trackbacks = 0;
    for item in &export.items {
        for kind in &item.comments {
            match kind.as_str() {
                "trackback" | "pingback" => trackbacks += 1,
                _ => comments += 1,
            }
        }
        match item.post_type.as_str() {
            "post" | "page" | "attachment" => {}
            other => *counts.entry(other.to_string()).or_default() += 1,
        }
    }
    let report = &mut plan.report.not_imported;
    report.push(format!("{comments} comments (brief has no comments)"));
    report.push(format!("{trackbacks} trackbacks and pingbacks"));
    for (kind, count) in counts {
        let what = match kind.as_str() {
            "nav_menu_item" => "menu items (set [[menu]] in config.toml instead)".to_string(),
            other => format!("items of type `{other}`"),
        };
        report.push(format!("{count} {what}"));
    }
    report.push(
        "attachments are imported only as the images posts use (featured images and images in the text)"
            .into(),
    );
    report.push(
        "redirects from addresses by id (`/?p=123`, `/?page_id=45`: WordPress's plain permalinks and shortlinks): a redirect page or a `_redirects` line matches a path, not a query, so only the old paths are redirected (see Old addresses); links to them in the imported text lead to the new addresses"
            .into(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_credit_out_of_serialized_php() {
        let meta = r#"a:1:{s:10:"image_meta";a:2:{s:6:"credit";s:12:"Getty Images";s:7:"caption";s:0:"";}}"#;
        assert_eq!(php_credit(meta).as_deref(), Some("Getty Images"));
    }

    #[test]
    fn resized_copies_point_to_the_original() {
        assert_eq!(
            original_size("2023/09/photo-1024x683.jpg"),
            "2023/09/photo.jpg"
        );
        assert_eq!(
            original_size("2023/09/my-photo.jpg"),
            "2023/09/my-photo.jpg"
        );
    }

    #[test]
    fn old_paths_are_on_the_old_site_only() {
        let base = "https://old.example.org";
        assert_eq!(
            old_path("https://old.example.org/2023/09/x/", base).as_deref(),
            Some("/2023/09/x/")
        );
        assert_eq!(old_path("https://other.org/x/", base), None);
        assert_eq!(old_path("https://old.example.org/?p=4", base), None);
    }

    #[test]
    fn addresses_by_id_give_the_post_id() {
        let base = "https://old.example.org";
        let id = |link: &str| query_id(link, base);
        let found = |id: &str, anchor: &str| Some((id.to_string(), anchor.to_string()));
        assert_eq!(id("https://old.example.org/?p=12"), found("12", ""));
        assert_eq!(id("http://old.example.org?page_id=4#a"), found("4", "#a"));
        assert_eq!(
            id("https://old.example.org/index.php?preview=true&p=7"),
            found("7", "")
        );
        assert_eq!(id("https://other.org/?p=12"), None);
        assert_eq!(id("https://old.example.org/2023/x/?p=12"), None);
        assert_eq!(id("https://old.example.org/?p=draft"), None);
        assert_eq!(id("https://old.example.org/?s=p=12"), None);
        // WordPress installed in a folder of its site.
        let base = "https://example.org/blog";
        let id = |link: &str| query_id(link, base);
        assert_eq!(id("https://example.org/blog/?p=12"), found("12", ""));
        assert_eq!(id("https://example.org/blog?p=12"), found("12", ""));
        assert_eq!(
            id("https://example.org/blog/index.php?page_id=4"),
            found("4", "")
        );
        assert_eq!(id("https://example.org/shop/?p=12"), None);
    }

    #[test]
    fn attachment_pages_give_the_attachment_id() {
        let base = "https://example.org/blog";
        let id = |link: &str| attachment_query_id(link, base);
        assert_eq!(
            id("https://example.org/blog/?attachment_id=30").as_deref(),
            Some("30")
        );
        assert_eq!(
            id("https://example.org/blog/index.php?attachment_id=30#top").as_deref(),
            Some("30")
        );
        assert_eq!(id("https://example.org/blog/?p=30"), None);
        assert_eq!(id("https://example.org/shop/?attachment_id=30"), None);
    }

    #[test]
    fn guest_author_names_come_from_the_term_description() {
        assert_eq!(
            guest_name("Maria Ortega Maria Ortega mortega 12 m@example.org").as_deref(),
            Some("Maria Ortega")
        );
    }

    #[test]
    fn a_plain_rss_feed_is_refused() {
        let err = parse(
            "<rss version=\"2.0\"><channel><title>Blog</title><item><title>A post</title></item></channel></rss>",
            Path::new("feed.xml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("error: feed.xml: this is an RSS feed, not a WordPress export"),
            "{err}"
        );
        assert!(err.contains("Tools -> Export -> All content"), "{err}");
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let err = parse(
            "<rss>\n<channel>\n<item><title>x</item>\n</channel></rss>",
            Path::new("e.xml"),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("error: e.xml:3:"), "{err}");
    }
}
