//! Atom 1.0 feeds (RFC 4287) of the latest briefs: one for the site (`feed.xml`) and one per
//! topic, region, program (`topics/<slug>/feed.xml`, …) and author (`authors/<id>/feed.xml`).
//!
//! Each entry carries the brief's summary; in the feeds `feed_full_text` names (by default only
//! the site's), also its full text with every link made absolute, since a feed reader shows it
//! away from the site: the page's body without what only the page needs (sidenotes,
//! pull quotes, heading links: byte ranges the Markdown passes mark, not found by searching the
//! HTML), then the notes once, under a heading in the brief's language. Drafts are never in a feed, even in a preview build. A feed's
//! `updated` is its newest entry's date, never the build time, so builds stay identical.

use std::io;

use pulldown_cmark_escape::escape_html;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::Serialize;

use super::{asset_url, xml_text};
use crate::config::FeedFullText;
use crate::content::body::Body;
use crate::content::{Author, Brief};
use crate::error::{Diagnostic, Kind};
use crate::i18n::Catalog;
use crate::markdown::{self, html_urls};
use crate::outputs::Job;
use crate::site::Site;
use crate::taxonomy::{Term, TermKind};
use crate::urls::BaseUrl;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
/// The kinds of term that get a feed; series are read in order, not followed.
/// Topics given as categories of one feed entry, at most: a brief is an entry in the feed of
/// each of its topics, so with n topics all of them in every entry would be n² in all.
const FEED_CATEGORIES: usize = 25;
const FEED_KINDS: [TermKind; 3] = [TermKind::Topic, TermKind::Region, TermKind::Program];

/// One feed of the site.
#[derive(Debug, Clone, Copy)]
pub enum Feed<'a> {
    Site,
    Term(&'a Term),
    Author(&'a Author),
}

/// A feed as the `<link rel="alternate">` of a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
}

/// Every feed the site has: the site's, then each term's and author's with a published brief.
pub fn feeds(site: &Site) -> Vec<Feed<'_>> {
    let mut feeds = Vec::new();
    if !Feed::Site.entries(site).is_empty() {
        feeds.push(Feed::Site);
    }
    let terms = FEED_KINDS
        .iter()
        .flat_map(|kind| site.taxonomies.terms(*kind))
        .map(Feed::Term);
    let authors = site.authors.values().map(Feed::Author);
    feeds.extend(terms.chain(authors).filter(|f| !f.entries(site).is_empty()));
    feeds
}

/// The feeds a page links to in its head: the site's, and the one of the author or term the
/// page is about.
pub fn alternates(site: &Site, job: &Job, i18n: &Catalog) -> Vec<FeedLink> {
    let mut feeds = vec![Feed::Site];
    match job {
        Job::Author(author, _) => feeds.push(Feed::Author(author)),
        Job::Term(term, _) if FEED_KINDS.contains(&term.kind) => feeds.push(Feed::Term(term)),
        _ => {}
    }
    feeds
        .into_iter()
        .filter(|f| !f.entries(site).is_empty())
        .map(|f| FeedLink {
            title: f.title(site, i18n),
            url: site.config.base_url.url_of(&f.site_path()),
        })
        .collect()
}

impl<'a> Feed<'a> {
    /// Site-relative path of the feed file.
    pub fn site_path(&self) -> String {
        crate::outputs::routes::feed(&self.page_path())
    }

    /// Site-relative path of the HTML page the feed follows.
    fn page_path(&self) -> String {
        match self {
            Feed::Site => String::new(),
            Feed::Term(term) => term.site_path(),
            Feed::Author(author) => author.site_path(),
        }
    }

    /// The feed's title in the site's language: "Topic: Energy | Site" in English,
    /// "Tema: Energía | Sitio" in Spanish (the language file's `feed_title_term`).
    pub fn title(&self, site: &Site, i18n: &Catalog) -> String {
        let site_title = &site.config.title;
        let lang = i18n.language(&site.config.language);
        match self {
            Feed::Site => site_title.clone(),
            Feed::Term(term) => {
                let kind = match term.kind {
                    TermKind::Topic => "topic",
                    TermKind::Region => "region",
                    TermKind::Program => "program",
                    TermKind::Series => "series_one",
                };
                crate::i18n::fill(
                    &lang.t("feed_title_term", None),
                    &[
                        ("kind", &lang.t(kind, None)),
                        ("name", &term.name),
                        ("site", site_title),
                    ],
                )
            }
            Feed::Author(author) => crate::i18n::fill(
                &lang.t("feed_title_author", None),
                &[("name", &author.front.name), ("site", site_title)],
            ),
        }
    }

    /// Whether this feed's entries carry the full text under the site's `feed_full_text`.
    pub fn has_full_text(&self, setting: FeedFullText) -> bool {
        match setting {
            FeedFullText::All => true,
            FeedFullText::Site => matches!(self, Feed::Site),
            FeedFullText::None => false,
        }
    }

    /// The published briefs of the feed, newest first, at most `feed_limit`.
    pub fn entries<'s>(&self, site: &'s Site) -> Vec<&'s Brief> {
        let limit = site.config.feed_limit;
        let published = |b: &&Brief| !b.front.draft;
        match self {
            Feed::Site => site.briefs.iter().filter(published).take(limit).collect(),
            Feed::Term(term) => term
                .briefs
                .iter()
                .filter_map(|&i| site.briefs.get(i))
                .filter(published)
                .take(limit)
                .collect(),
            // From the author index, newest first, not a scan of every brief for every author.
            Feed::Author(author) => site
                .taxonomies
                .briefs_by(&author.id)
                .iter()
                .filter_map(|&i| site.briefs.get(i))
                .filter(published)
                .take(limit)
                .collect(),
        }
    }
}

/// The Atom document of one feed; an error when a brief's body cannot be read back
/// ([`crate::content::body`]).
pub fn render(site: &Site, feed: &Feed, i18n: &Catalog) -> Result<String, Diagnostic> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to memory cannot fail: an error is a body that could not be read back.
    write_feed(&mut writer, site, feed, i18n).map_err(|e| {
        let text = e.to_string();
        e.into_inner()
            .and_then(|inner| inner.downcast::<Diagnostic>().ok())
            .map_or_else(|| Diagnostic::new(Kind::Io, text), |problem| *problem)
    })?;
    Ok(String::from_utf8(writer.into_inner()).expect("quick-xml writes the UTF-8 it is given"))
}

fn write_feed(w: &mut Writer<Vec<u8>>, site: &Site, feed: &Feed, i18n: &Catalog) -> io::Result<()> {
    let config = &site.config;
    let base = &config.base_url;
    let entries = feed.entries(site);
    let updated = entries
        .iter()
        .map(|b| {
            b.front
                .updated
                .map_or(b.front.date, |u| u.max(b.front.date))
        })
        .max()
        // [`feeds`] makes no feed without entries; an empty one still needs some fixed date.
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.timestamp());
    let feed_url = base.url_of(&feed.site_path());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", config.language.as_str()))
        .write_inner_content(|w| {
            text(w, "id", &feed_url)?;
            text(w, "title", &feed.title(site, i18n))?;
            if !config.description.is_empty() {
                text(w, "subtitle", &config.description)?;
            }
            text(w, "updated", &updated)?;
            link(w, "self", &feed_url, "application/atom+xml")?;
            link(w, "alternate", &base.url_of(&feed.page_path()), "text/html")?;
            w.create_element("generator")
                .write_text_content(BytesText::new("brief"))?;
            if let Some(logo) = &config.logo {
                text(w, "icon", &base.url_of(logo))?;
            }
            let full_text = feed.has_full_text(config.feed_full_text);
            for brief in entries {
                write_entry(w, site, brief, i18n, full_text)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_entry(
    w: &mut Writer<Vec<u8>>,
    site: &Site,
    brief: &Brief,
    i18n: &Catalog,
    full_text: bool,
) -> io::Result<()> {
    let base = &site.config.base_url;
    let front = &brief.front;
    let url = base.url_of(&brief.site_path());
    let language = brief.language(&site.config.language);
    let mut entry = w.create_element("entry");
    // The feed's `xml:lang` is the site's; a brief in another language says so.
    if language != site.config.language {
        entry = entry.with_attribute(("xml:lang", language));
    }
    entry.write_inner_content(|w| {
        text(w, "id", &url)?;
        text(w, "title", &front.title)?;
        text(w, "published", &front.date.timestamp())?;
        text(
            w,
            "updated",
            // Never before `published`: an `updated` of the same day without a time is
            // midnight, before a `date` with one.
            &front
                .updated
                .map_or(front.date, |u| u.max(front.date))
                .timestamp(),
        )?;
        link(w, "alternate", &url, "text/html")?;
        for author in front.authors.iter().filter_map(|id| site.authors.get(id)) {
            w.create_element("author").write_inner_content(|w| {
                text(w, "name", &author.front.name)?;
                text(w, "uri", &base.url_of(&author.site_path()))?;
                Ok(())
            })?;
        }
        for topic in front.topics.iter().take(FEED_CATEGORIES) {
            w.create_element("category")
                .with_attribute(("term", xml_text(topic).as_ref()))
                .with_attribute(("scheme", base.url_of("topics/").as_str()))
                .write_empty()?;
        }
        if !brief.summary.is_empty() {
            text(w, "summary", &brief.summary)?;
        }
        if !full_text {
            return Ok(());
        }
        let lang = i18n.language(language);
        let titles = Titles {
            takeaways: lang.t("key_takeaways", None),
            recommendations: lang.t("recommendations", None),
            notes: lang.t("notes", None),
            references: lang.t("references", None),
        };
        // Read back for this entry alone: the site model does not hold the briefs' bodies.
        let body = brief.body.get().map_err(io::Error::other)?;
        let html = absolute_links(&content_html(site, brief, &body, &titles), &url, base);
        w.create_element("content")
            .with_attribute(("type", "html"))
            .write_text_content(BytesText::new(&xml_text(&html)))?;
        Ok(())
    })?;
    Ok(())
}

/// The headings of a brief's parts, in its language.
struct Titles {
    takeaways: String,
    recommendations: String,
    notes: String,
    references: String,
}

/// The full text of a brief as one piece of HTML, in the page's order: hero figure, key
/// takeaways, body, recommendations, notes and references (which the theme prints apart from
/// the body), each part under its heading.
fn content_html(site: &Site, brief: &Brief, body: &Body, titles: &Titles) -> String {
    let mut html = String::new();
    if let (Some(image), Some(hero)) = (&brief.hero_image, &brief.front.hero) {
        html.push_str("<figure><img src=\"");
        escape_html(&mut html, &asset_url(&site.config.base_url, image)).expect("String");
        html.push_str("\" alt=\"");
        escape_html(&mut html, hero.alt.as_deref().unwrap_or("")).expect("String");
        html.push_str("\">");
        let credit = hero.credit.as_deref().unwrap_or("");
        if brief.hero_caption.is_some() || !credit.is_empty() {
            html.push_str("<figcaption>");
            // The caption is HTML we rendered from Markdown; the credit is plain text.
            html.push_str(brief.hero_caption.as_deref().unwrap_or(""));
            if !credit.is_empty() {
                html.push(' ');
                escape_html(&mut html, credit).expect("String");
            }
            html.push_str("</figcaption>");
        }
        html.push_str("</figure>\n");
    }
    list_section(&mut html, &titles.takeaways, "ul", &brief.key_takeaways);
    // What only the page needs (sidenotes, pull quotes, `#` heading links), as the Markdown
    // passes marked it: the notes follow below, and a feed has no margin.
    html.push_str(&markdown::without_furniture(&body.html, &body.furniture));
    list_section(
        &mut html,
        &titles.recommendations,
        "ol",
        &brief.recommendations,
    );
    if !body.notes.is_empty() {
        html.push_str("<section><h2>");
        escape_html(&mut html, &titles.notes).expect("String");
        html.push_str("</h2><ol>");
        for note in &body.notes {
            html.push_str(&format!(
                "<li id=\"{}\" value=\"{}\">{}</li>",
                note.id, note.number, note.html
            ));
        }
        html.push_str("</ol></section>\n");
    }
    list_section(&mut html, &titles.references, "ul", &brief.references);
    html
}

/// A section of `items` (HTML made from Markdown) under `title`, as a `tag` list; nothing
/// when there are none.
fn list_section(html: &mut String, title: &str, tag: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    html.push_str("<section><h2>");
    escape_html(&mut *html, title).expect("String");
    html.push_str(&format!("</h2><{tag}>"));
    for item in items {
        html.push_str(&format!("<li>{item}</li>"));
    }
    html.push_str(&format!("</{tag}></section>\n"));
}

/// Makes every `href` and `src` in `html` absolute: `/x` against the site's origin (as a browser
/// would on the page), `#x` and relative names (bundle images) against `page_url`. Attributes
/// are found tag by tag ([`html_urls`]), so code that shows a link (`<code>&lt;a href="/x"&gt;`)
/// stays as written.
pub fn absolute_links(html: &str, page_url: &str, base: &BaseUrl) -> String {
    html_urls::rewrite(html, |value| {
        if value.starts_with("//") || has_scheme(value) || value.is_empty() {
            None
        } else if value.starts_with('/') {
            Some(format!("{}{value}", base.origin()))
        } else {
            Some(format!("{page_url}{value}"))
        }
    })
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`, `data:`, …).
fn has_scheme(url: &str) -> bool {
    let scheme_len = url
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(0);
    scheme_len > 0 && url[scheme_len..].starts_with(':') && url.starts_with(char::is_alphabetic)
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(value)))?;
    Ok(())
}

fn link(w: &mut Writer<Vec<u8>>, rel: &str, href: &str, kind: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", kind))
        .with_attribute(("href", href))
        .write_empty()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://e.org/sub/").unwrap()
    }

    #[test]
    fn links_become_absolute_each_by_its_kind() {
        let html = concat!(
            r#"<a href="/sub/about/">a</a> <img src="chart.png" alt="x"> "#,
            r##"<a href="#note-1">1</a> <a href="https://x.org/">x</a> "##,
            r#"<a href="mailto:a@b.c">m</a> <a href="//cdn.org/y">y</a>"#,
        );
        let out = absolute_links(html, "https://e.org/sub/briefs/b/", &base());
        assert_eq!(
            out,
            concat!(
                r#"<a href="https://e.org/sub/about/">a</a> <img src="https://e.org/sub/briefs/b/chart.png" alt="x"> "#,
                r##"<a href="https://e.org/sub/briefs/b/#note-1">1</a> <a href="https://x.org/">x</a> "##,
                r#"<a href="mailto:a@b.c">m</a> <a href="//cdn.org/y">y</a>"#,
            )
        );
    }

    #[test]
    fn text_that_looks_like_an_attribute_is_left_alone() {
        let html = r#"<p>write href=&quot;/x&quot; or xhref="/y"</p><code>asrc="/z"</code>"#;
        assert_eq!(absolute_links(html, "https://e.org/p/", &base()), html);
        let code = r#"<p><code>&lt;a href="/docs/"&gt;</code> and href="/x" in text</p>"#;
        assert_eq!(absolute_links(code, "https://e.org/p/", &base()), code);
    }

    #[test]
    fn sidenotes_pull_quotes_and_heading_links_stay_on_the_page() {
        let links = crate::markdown::links::LinkMap::default();
        let quotes = ["Text with a note".to_string()];
        let rendered = crate::markdown::render(
            "## Head\n\nText with a note.[^a] More[^b].\n\n[^a]: See <span>this.\n[^b]: Two.\n",
            &crate::markdown::RenderSettings {
                toc_depth: 3,
                pull_quotes: &quotes,
                links: &links,
                id_prefix: "",
                markup: &Default::default(),
                figures: Default::default(),
            },
        );
        assert_eq!(rendered.html.matches("class=\"sidenote\"").count(), 2);
        assert!(rendered.html.contains("pull-quote") && rendered.html.contains("heading-anchor"));
        assert!(!rendered.html.contains(crate::markdown::MARK));
        assert_eq!(
            markdown::without_furniture(&rendered.html, &rendered.furniture),
            concat!(
                "<h2 id=\"head\">Head</h2>\n",
                "<p>Text with a note.<sup class=\"note-ref\" id=\"ref-1\"><a href=\"#note-1\" aria-label=\"Note 1\">1</a></sup> ",
                "More<sup class=\"note-ref\" id=\"ref-2\"><a href=\"#note-2\" aria-label=\"Note 2\">2</a></sup>.</p>\n"
            )
        );
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://x") && has_scheme("mailto:a") && has_scheme("data:x"));
        assert!(!has_scheme("chart.png") && !has_scheme("a/b:c") && !has_scheme(":x"));
    }
}
