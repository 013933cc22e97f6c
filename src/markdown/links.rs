//! Pass: link and image destinations become the addresses they have in the built site.
//!
//! - `@/briefs/x.md`, `@/briefs/x/index.md`, `@/pages/about.md`, `@/authors/jane.md` (Zola's
//!   convention: a path below content/, with an optional `#anchor`) become the target's URL
//!   path, honouring its `slug` and the base_url's path;
//! - a root-relative `/images/x.png` gets the base_url's path in front (`/research/images/x.png`),
//!   so that content written for a domain root also works when the site lives under a sub-path;
//! - everything else (relative, absolute, `#anchor`) is left as written.
//!
//! The `href` and `src` of raw HTML (`<a href="/x/">`, `<img src="/y.png">`) get the same
//! treatment, through [`super::html_urls`]; an `@/` link there that points nowhere is left as
//! written (only Markdown links are reported).
//!
//! [`references`] lists a document's links and images with their byte offsets, for `brief check`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::error::{Diagnostic, Kind, Location, did_you_mean, line_col};

/// Where each content file is published: the map `@/` links are resolved with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkMap {
    /// The base_url's path, `/` or e.g. `/research/`.
    root_path: String,
    /// Content path (below content/, e.g. `briefs/x.md`) -> site path (`briefs/slug/`).
    targets: BTreeMap<String, String>,
    /// Content paths of drafts left out of this build, for a clearer error.
    drafts: BTreeSet<String>,
}

/// Why an `@/` link could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    Missing,
    Draft,
}

/// An `@/` link of a document that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The destination as written, e.g. `@/briefs/typo.md#x`.
    pub dest: String,
    pub why: Unresolved,
    /// Byte offset of the link in the Markdown it was found in.
    pub offset: usize,
}

/// An empty map for a site at a domain root (for tests and stand-alone rendering).
impl Default for LinkMap {
    fn default() -> Self {
        LinkMap::new("/")
    }
}

impl LinkMap {
    pub fn new(root_path: &str) -> Self {
        LinkMap {
            root_path: root_path.to_string(),
            targets: BTreeMap::new(),
            drafts: BTreeSet::new(),
        }
    }

    /// Records that the content file `content_path` (e.g. `briefs/x/index.md`) is published
    /// at `site_path` (e.g. `briefs/x/`).
    pub fn insert(&mut self, content_path: &str, site_path: String) {
        self.targets.insert(content_path.to_string(), site_path);
    }

    /// Records a draft that this build leaves out.
    pub fn insert_draft(&mut self, content_path: &str) {
        self.drafts.insert(content_path.to_string());
    }

    /// The address `dest` has in the built site (see the module docs).
    pub fn href<'d>(&self, dest: &'d str) -> Result<CowStr<'d>, Unresolved> {
        if let Some(target) = dest.strip_prefix("@/") {
            let (file, anchor) = match target.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target, None),
            };
            let Some(site_path) = self.targets.get(file) else {
                return Err(match self.drafts.contains(file) {
                    true => Unresolved::Draft,
                    false => Unresolved::Missing,
                });
            };
            let mut href = format!("{}{site_path}", self.root_path);
            if let Some(anchor) = anchor {
                href.push('#');
                href.push_str(anchor);
            }
            return Ok(href.into());
        }
        let root_relative = dest.starts_with('/') && !dest.starts_with("//");
        if root_relative && self.root_path != "/" && !dest.starts_with(&self.root_path) {
            return Ok(format!("{}{}", self.root_path, &dest[1..]).into());
        }
        Ok(dest.into())
    }

    /// The content path closest to a mistyped `@/` target.
    fn suggest(&self, dest: &str) -> Option<&str> {
        let file = dest
            .trim_start_matches("@/")
            .split('#')
            .next()
            .unwrap_or("");
        did_you_mean(file, self.targets.keys().map(String::as_str))
    }

    /// Errors for broken `@/` links of the document `rel` whose body starts at `body_line`.
    pub fn diagnostics(
        &self,
        broken: &[Broken],
        rel: &Path,
        body: &str,
        body_line: usize,
    ) -> Vec<Diagnostic> {
        broken
            .iter()
            .map(|b| {
                let (line, column) = line_col(body, b.offset);
                self.diagnostic(b, Location::at(rel, body_line + line - 1, column))
            })
            .collect()
    }

    /// The error for the broken `@/` link `b`, found at `location`.
    pub fn diagnostic(&self, b: &Broken, location: Location) -> Diagnostic {
        let file = b
            .dest
            .trim_start_matches("@/")
            .split('#')
            .next()
            .unwrap_or("");
        let (message, mut help) = match b.why {
            Unresolved::Draft => (
                format!("link `{}` points to a draft, which this build leaves out", b.dest),
                "publish the target (remove `draft = true`), remove the link, or build with --drafts".to_string(),
            ),
            Unresolved::Missing => (
                format!("link `{}` points to content/{file}, which does not exist", b.dest),
                "write the path of a content file below content/, e.g. `@/briefs/<name>.md`, `@/pages/<name>.md` or `@/authors/<id>.md`".to_string(),
            ),
        };
        if let Some(close) = self.suggest(&b.dest) {
            help = format!("did you mean `@/{close}`? {help}");
        }
        Diagnostic::new(Kind::MissingFile, message)
            .at(location)
            .help(help)
    }
}

/// Rewrites the destinations of links and images (see the module docs); returns the events
/// without their offsets and the `@/` links that point nowhere.
pub fn rewrite<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    map: &LinkMap,
) -> (Vec<Event<'a>>, Vec<Broken>) {
    let mut broken = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for (event, range) in events {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: resolved(dest_url, map, range.start, &mut broken),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: resolved(dest_url, map, range.start, &mut broken),
                title,
                id,
            }),
            Event::Html(html) => Event::Html(raw_html_resolved(html, map)),
            Event::InlineHtml(html) => Event::InlineHtml(raw_html_resolved(html, map)),
            other => other,
        };
        out.push(event);
    }
    (out, broken)
}

/// Raw HTML with its `href` and `src` values resolved like Markdown links.
fn raw_html_resolved<'a>(html: CowStr<'a>, map: &LinkMap) -> CowStr<'a> {
    if !html.contains("href") && !html.contains("src") {
        return html;
    }
    let mut changed = false;
    let rewritten = super::html_urls::rewrite(&html, |value| match map.href(value) {
        Ok(CowStr::Borrowed(_)) | Err(_) => None,
        Ok(href) => {
            changed = true;
            Some(href.into_string())
        }
    });
    if changed {
        CowStr::from(rewritten)
    } else {
        html
    }
}

fn resolved<'a>(
    dest: CowStr<'a>,
    map: &LinkMap,
    offset: usize,
    broken: &mut Vec<Broken>,
) -> CowStr<'a> {
    match map.href(&dest) {
        Ok(CowStr::Borrowed(_)) => dest,
        Ok(href) => CowStr::from(href.into_string()),
        Err(why) => {
            broken.push(Broken {
                dest: dest.to_string(),
                why,
                offset,
            });
            dest
        }
    }
}

/// A link or image of a document, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub image: bool,
    /// As written: a URL, or for a block's `image` a file's name ([`Reference::named_file`]).
    pub dest: String,
    /// A block's `image` or `fallback` naming a file (`map #2.png`), whose every character is
    /// part of the name: its address is [`crate::urls::file_address`], not `dest` read as a URL.
    pub named_file: bool,
    /// Plain text of the link, or the image's alt text.
    pub text: String,
    /// Byte offset in the Markdown.
    pub offset: usize,
}

/// Every link and image of a Markdown document, in order.
pub fn references(markdown: &str) -> Vec<Reference> {
    let mut reader = ReferenceReader::default();
    // A figure block's `image` and an embed's `fallback` are images too, at their block.
    let mut blocks = super::figures::BlockImageReader::default();
    let mut block_images = Vec::new();
    let mut block_start = 0;
    for (event, range) in Parser::new_ext(markdown, super::parser_options()).into_offset_iter() {
        reader.read(&event, range.start);
        blocks.read(&event);
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = range.start,
            Event::End(TagEnd::CodeBlock) => {
                let images = std::mem::take(&mut blocks).finish();
                block_images.extend(images.into_iter().map(|name| Reference {
                    image: true,
                    named_file: !super::figures::is_address(&name),
                    dest: name,
                    text: String::new(),
                    offset: block_start,
                }));
            }
            _ => {}
        }
    }
    let mut found = reader.finish();
    found.extend(block_images);
    found.sort_by_key(|r| r.offset);
    found
}

/// Reads the links and images of a document from its events: for [`references`], and for
/// [`super::scan`], which reads a body once for several readers.
#[derive(Debug, Default)]
pub struct ReferenceReader {
    found: Vec<Reference>,
    /// Index in `found` of the links and images whose text is being read (they can nest).
    open: Vec<usize>,
}

impl ReferenceReader {
    /// Takes the next event, which starts at byte `offset`.
    pub fn read(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            })
            | Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                // An email autolink, `<press@example.org>`, is written without its scheme.
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                self.open.push(self.found.len());
                self.found.push(Reference {
                    image,
                    named_file: false,
                    dest,
                    text: String::new(),
                    offset,
                });
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                self.open.pop();
            }
            Event::Text(text) | Event::Code(text) => {
                for &i in &self.open {
                    self.found[i].text.push_str(text);
                }
            }
            _ => {}
        }
    }

    pub fn finish(self) -> Vec<Reference> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(root: &str) -> LinkMap {
        let mut map = LinkMap::new(root);
        map.insert("briefs/old-name.md", "briefs/new-slug/".into());
        map.insert("briefs/bundle/index.md", "briefs/bundle/".into());
        map.insert("pages/about.md", "about/".into());
        map.insert_draft("briefs/secret.md");
        map
    }

    fn html(markdown: &str, map: &LinkMap) -> (String, Vec<Broken>) {
        let events = Parser::new_ext(markdown, super::super::parser_options())
            .into_offset_iter()
            .collect();
        let (events, broken) = rewrite(events, map);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, broken)
    }

    #[test]
    fn at_links_take_the_targets_slug_anchor_and_base_path() {
        let (out, broken) = html(
            "[a](@/briefs/old-name.md#risks) [b](@/briefs/bundle/index.md) [c](@/pages/about.md)",
            &map("/repo/"),
        );
        assert!(broken.is_empty());
        assert!(
            out.contains(r##"href="/repo/briefs/new-slug/#risks""##),
            "{out}"
        );
        assert!(out.contains(r#"href="/repo/briefs/bundle/""#), "{out}");
        assert!(out.contains(r#"href="/repo/about/""#), "{out}");
    }

    #[test]
    fn root_relative_links_and_images_move_under_the_base_path() {
        let (out, _) = html(
            "![chart](/images/c.png) [x](/repo/already/) [y](rel/) [z](https://a.org/) [w](#n)",
            &map("/repo/"),
        );
        assert!(out.contains(r#"src="/repo/images/c.png""#), "{out}");
        assert!(out.contains(r#"href="/repo/already/""#), "{out}");
        assert!(out.contains(r#"href="rel/""#), "{out}");
        assert!(out.contains(r#"href="https://a.org/""#), "{out}");
        assert!(out.contains(r##"href="#n""##), "{out}");
        let (root, _) = html("![chart](/images/c.png)", &map("/"));
        assert!(root.contains(r#"src="/images/c.png""#), "{root}");
    }

    #[test]
    fn raw_html_links_move_under_the_base_path_too() {
        let (out, _) = html(
            "<a href=\"/x/\">x</a> and <img src=\"/y.png\" alt=\"y\">\n\n<div><a href='/z/'>z</a></div>\n\n`<a href=\"/docs/\">`",
            &map("/repo/"),
        );
        assert!(out.contains(r#"<a href="/repo/x/">x</a>"#), "{out}");
        assert!(out.contains(r#"<img src="/repo/y.png" alt="y">"#), "{out}");
        assert!(out.contains(r#"<a href='/repo/z/'>z</a>"#), "{out}");
        assert!(
            out.contains(r#"<code>&lt;a href="/docs/"&gt;</code>"#),
            "{out}"
        );
    }

    #[test]
    fn broken_at_links_are_reported_at_their_line_with_a_suggestion() {
        let body =
            "First line.\n\nSee [the other](@/briefs/old-nam.md) and [s](@/briefs/secret.md).\n";
        let m = map("/");
        let (_, broken) = html(body, &m);
        assert_eq!(broken.len(), 2);
        let problems = m.diagnostics(&broken, Path::new("content/briefs/x.md"), body, 5);
        let first = problems[0].to_string();
        assert!(first.starts_with("error: content/briefs/x.md:7:5: link `@/briefs/old-nam.md` points to content/briefs/old-nam.md, which does not exist"), "{first}");
        assert!(
            first.contains("did you mean `@/briefs/old-name.md`?"),
            "{first}"
        );
        assert!(
            problems[1].message.contains("points to a draft"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn references_include_figure_images_and_embed_fallbacks_at_their_block() {
        let md = "Text ![a](x.png).\n\n```figure\nimage = \"f.png\"\nalt = \"F\"\n```\n\n\
                  ```embed\nurl = \"https://e.org/\"\ntitle = \"E\"\nfallback = \"/images/e.png\"\n```\n\n\
                  ```toml\nimage = \"not-a-figure.png\"\n```\n";
        let refs = references(md);
        let summary: Vec<_> = refs
            .iter()
            .map(|r| (r.image, r.dest.as_str(), r.offset))
            .collect();
        assert_eq!(
            summary,
            [
                (true, "x.png", 5),
                (true, "f.png", 19),
                (true, "/images/e.png", 60)
            ]
        );
    }

    #[test]
    fn references_list_links_and_images_with_text_and_offsets() {
        let refs = references("A [link *here*](a/) and\n![alt `x`](i.png) ![](j.png) <a@b.org>");
        let summary: Vec<_> = refs
            .iter()
            .map(|r| (r.image, r.dest.as_str(), r.text.as_str(), r.offset))
            .collect();
        assert_eq!(
            summary,
            [
                (false, "a/", "link here", 2),
                (true, "i.png", "alt x", 24),
                (true, "j.png", "", 42),
                (false, "mailto:a@b.org", "a@b.org", 53)
            ]
        );
    }
}
