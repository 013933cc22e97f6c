//! The article inside a saved web page, found with `readabilityrs` (a port of Mozilla's
//! Readability, the algorithm behind Firefox's Reader View): it scores the page's blocks by
//! text and link density and by class names, keeps the best one with its siblings, and leaves
//! the chrome behind (menus, cookie banners, share buttons, sign-up boxes, related-article
//! rails, comments). It also reads the page's metadata (JSON-LD, Open Graph, `<meta>`): title,
//! byline, excerpt, publication time, lead image, language.
//!
//! This module only asks readabilityrs and tidies its answer into plain values; turning them
//! into a brief is [`super::html`]'s job.

use readabilityrs::{Readability, ReadabilityOptions};

/// What the extractor found in a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub title: Option<String>,
    /// The authors' names as the page gives them ("Maria Chen and David Okafor").
    pub byline: Option<String>,
    pub excerpt: Option<String>,
    /// The publication date, from the metadata or the first `<time datetime>`.
    pub date: Option<jiff::civil::Date>,
    /// The lead image's address (Open Graph or JSON-LD).
    pub image: Option<String>,
    /// The page's language, primary subtag only ("en" for `en-US`).
    pub lang: Option<String>,
    /// The page's own address (`<link rel="canonical">` or `og:url`), to make its relative
    /// links absolute.
    pub address: Option<url::Url>,
    /// The article's HTML, without the page around it.
    pub content: String,
}

/// Finds the article in `html`; `None` when the page holds no block of text that reads as one.
pub fn extract(html: &str) -> Option<Extracted> {
    let options = ReadabilityOptions::builder().build();
    let article = Readability::new(html, None, Some(options)).ok()?.parse()?;
    let content = article.content.unwrap_or_default();
    if article.length == 0 || content.trim().is_empty() {
        return None;
    }
    let published = article
        .published_time
        .as_deref()
        .and_then(date_of)
        .or_else(|| first_time_element(html));
    Some(Extracted {
        title: clean(article.title),
        byline: clean(article.byline).map(|b| strip_by(&b)),
        // Without a description in the metadata, readabilityrs makes the excerpt from the
        // first paragraph: that is body text, not a summary.
        excerpt: clean(article.excerpt).filter(|_| has_description(html)),
        date: published,
        image: clean(article.image).filter(|i| is_web_address(i)),
        lang: clean(article.lang)
            .or_else(|| page_language(html))
            .map(|l| primary_language(&l)),
        address: page_address(html),
        content,
    })
}

/// The page's own address: its canonical link, else its Open Graph `og:url`.
pub fn page_address(html: &str) -> Option<url::Url> {
    let lower = html.to_ascii_lowercase();
    let tag_value = |open: &str, key: &str, wanted: &str, value: &str| {
        lower.match_indices(open).find_map(|(start, _)| {
            let end = lower[start..].find('>').map_or(lower.len(), |i| start + i);
            let tag = &html[start..end];
            let matches = super::html_md::attribute(tag, key)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted));
            matches
                .then(|| super::html_md::attribute(tag, value))
                .flatten()
        })
    };
    let address = tag_value("<link", "rel", "canonical", "href")
        .or_else(|| tag_value("<meta", "property", "og:url", "content"))?;
    url::Url::parse(address.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

fn clean(value: Option<String>) -> Option<String> {
    let value = value?;
    let value = super::html_md::decode_entities(value.trim());
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!value.is_empty()).then_some(value)
}

/// "By Maria Chen" -> "Maria Chen" (pages put the word in the byline's text).
fn strip_by(byline: &str) -> String {
    let lower = byline.to_lowercase();
    match lower.starts_with("by ") {
        true => byline[3..].trim().to_string(),
        false => byline.to_string(),
    }
}

/// The date at the start of an ISO 8601 time ("2024-04-18T09:30:00+00:00" -> 2024-04-18).
pub fn date_of(time: &str) -> Option<jiff::civil::Date> {
    time.trim().get(..10)?.parse().ok()
}

/// The date of the first `<time datetime="...">` in the page: news pages without metadata
/// still mark their dateline this way.
fn first_time_element(html: &str) -> Option<jiff::civil::Date> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<time") {
        let start = from + i;
        let end = start + lower[start..].find('>')?;
        if let Some(date) =
            super::html_md::attribute(&html[start..end], "datetime").and_then(|t| date_of(&t))
        {
            return Some(date);
        }
        from = end;
    }
    None
}

/// Whether the page describes itself: a `description` meta tag (plain, Open Graph or
/// Twitter) or a JSON-LD `description`.
fn has_description(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let in_meta = lower.match_indices("<meta").any(|(start, _)| {
        let end = lower[start..].find('>').map_or(lower.len(), |i| start + i);
        let tag = &lower[start..end];
        ["name", "property"].iter().any(|key| {
            super::html_md::attribute(tag, key).is_some_and(|v| {
                matches!(
                    v.trim(),
                    "description" | "og:description" | "twitter:description"
                )
            })
        })
    });
    in_meta || (lower.contains("application/ld+json") && lower.contains("\"description\""))
}

/// The `lang` of the page's `<html>` element (readabilityrs reads only `<meta>` tags).
fn page_language(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<html")?;
    let end = start + lower[start..].find('>')?;
    super::html_md::attribute(&html[start..end], "lang").filter(|l| !l.trim().is_empty())
}

/// Words in a `class` or `id` that mark page furniture: Readability weighs them down, but
/// readabilityrs 0.1.4 still keeps such blocks when they sit inside the article (a share bar
/// under the headline, a sign-up box between paragraphs, the dateline).
const CHROME_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "newsletter",
    "newsletters",
    "signup",
    "subscribe",
    "subscription",
    "related",
    "promo",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "byline",
    "meta",
    "breadcrumb",
    "breadcrumbs",
    "comment",
    "comments",
    "cookie",
    "consent",
    "gdpr",
    "tags",
    "kicker",
    "category",
    "categories",
    "toolbar",
    "popup",
    "modal",
];

/// The article's HTML without the blocks whose class or id names page furniture, and how
/// many were removed. The HTML is readabilityrs's own serialisation (lower-case tags, quoted
/// attributes), so a scan for tags is exact.
pub fn without_chrome(content: &str) -> (String, usize) {
    let mut out = String::with_capacity(content.len());
    let mut removed = 0;
    let mut rest = content;
    while let Some(start) = rest.find('<') {
        let Some(tag_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let tag = &rest[start..tag_end];
        let name: String = tag[1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !name.is_empty() && is_chrome(tag) {
            out.push_str(&rest[..start]);
            rest = &rest[element_end(rest, start, &name)..];
            removed += 1;
        } else {
            out.push_str(&rest[..tag_end]);
            rest = &rest[tag_end..];
        }
    }
    out.push_str(rest);
    (out, removed)
}

fn is_chrome(tag: &str) -> bool {
    ["class", "id"].iter().any(|attribute| {
        super::html_md::attribute(tag, attribute).is_some_and(|value| {
            value
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| CHROME_WORDS.contains(&word.to_ascii_lowercase().as_str()))
        })
    })
}

/// Where the element `<name ...>` opened at `start` ends: after its matching close tag,
/// counting nested elements of the same name; after the opening tag for a void element.
fn element_end(html: &str, start: usize, name: &str) -> usize {
    let open_end = html[start..]
        .find('>')
        .map_or(html.len(), |i| start + i + 1);
    if html[start..open_end].ends_with("/>") || VOID.contains(&name) {
        return open_end;
    }
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut at = open_end;
    while depth > 0 {
        let next_open = html[at..].find(&open).map(|i| at + i);
        let Some(next_close) = html[at..].find(&close).map(|i| at + i) else {
            return html.len();
        };
        match next_open {
            Some(o) if o < next_close && !is_longer_name(html, o + open.len()) => {
                depth += 1;
                at = o + open.len();
            }
            Some(o) if o < next_close => at = o + open.len(),
            _ => {
                depth -= 1;
                at = next_close + close.len();
            }
        }
    }
    at
}

/// `<p` followed by `re>`: the tag is another element (`<pre>`), not a nested `<p>`.
fn is_longer_name(html: &str, after: usize) -> bool {
    html[after..].starts_with(|c: char| c.is_ascii_alphanumeric())
}

const VOID: &[&str] = &["img", "br", "hr", "input", "meta", "link", "source", "wbr"];

pub fn is_web_address(value: &str) -> bool {
    value.starts_with("https://") || value.starts_with("http://")
}

fn primary_language(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_languages_are_read_plainly() {
        assert_eq!(
            date_of("2024-04-18T09:30:00+00:00"),
            Some(jiff::civil::date(2024, 4, 18))
        );
        assert_eq!(date_of("April 18"), None);
        assert_eq!(primary_language("en-US"), "en");
        assert_eq!(strip_by("By Maria Chen"), "Maria Chen");
        assert_eq!(
            first_time_element(r#"<p>Posted <time class="d" datetime="2024-03-05">5 March</time>"#),
            Some(jiff::civil::date(2024, 3, 5))
        );
    }

    #[test]
    fn furniture_inside_the_article_is_removed_with_what_it_holds() {
        let html = r#"<div><p class="entry-meta">By A <span>x</span></p><p>Keep.</p><div class="newsletter-signup widget"><div><p>Sign up</p></div></div><pre>code</pre><img src="a.jpg" class="ad"><p>Too.</p></div>"#;
        let (clean, removed) = without_chrome(html);
        assert_eq!(clean, "<div><p>Keep.</p><pre>code</pre><p>Too.</p></div>");
        assert_eq!(removed, 3);
        assert!(!is_chrome(r#"<p class="standfirst">"#));
        assert_eq!(
            page_address(r#"<meta property="og:url" content="https://x.org/a/b/">"#)
                .map(String::from)
                .as_deref(),
            Some("https://x.org/a/b/")
        );
        assert_eq!(
            page_language(r#"<!doctype html><html class="x" lang="en-GB">"#).as_deref(),
            Some("en-GB")
        );
    }
}
