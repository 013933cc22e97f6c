//! schema.org JSON-LD: `Report` (or `ScholarlyArticle`) for a brief, `Person` for an author,
//! `WebSite` for the home page, `WebPage` for a plain page.
//!
//! Built as `serde_json::Value`s so quoting is serde_json's business, then printed by
//! [`to_script`] in a form that cannot end the `<script>` element it sits in.

use serde_json::{Map, Value, json};

use super::asset_url;
use crate::content::{Author, Brief, Page};
use crate::outputs::Job;
use crate::site::Site;
use crate::taxonomy::TermKind;

const CONTEXT: &str = "https://schema.org";

/// The JSON-LD of one page of output, if that kind of page has one.
pub fn for_job(site: &Site, job: &Job) -> Option<Value> {
    match job {
        Job::Home => Some(website(site)),
        Job::Brief(brief) => Some(brief_report(site, brief)),
        Job::Author(author, _) => Some(with_context(person(site, author))),
        Job::Page(page) => Some(web_page(site, page)),
        _ => None,
    }
}

/// Serialises `value` for a `<script type="application/ld+json">` element. `<`, `>` and `&`
/// only occur inside JSON strings, where `\u003c` and friends mean the same characters, so the
/// result is the same JSON but can hold no `</script>` or `<!--`. U+2028/2029 are escaped too,
/// as older JavaScript parsers end a string at them.
pub fn to_script(value: &Value) -> String {
    let text = value.to_string();
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

/// The site's publisher: its title, address and (when config sets `logo`) logo.
pub fn publisher(site: &Site) -> Value {
    let config = &site.config;
    let mut org = object(json!({
        "@type": "Organization",
        "name": config.title,
        "url": config.base_url.as_str(),
    }));
    if let Some(logo) = &config.logo {
        org.insert(
            "logo".into(),
            json!({ "@type": "ImageObject", "url": config.base_url.file_url_of(logo) }),
        );
    }
    Value::Object(org)
}

/// `WebSite`, for the home page.
pub fn website(site: &Site) -> Value {
    let config = &site.config;
    let mut value = object(json!({
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": config.title,
        "url": config.base_url.as_str(),
        "inLanguage": config.language,
        "publisher": publisher(site),
    }));
    insert_text(&mut value, "description", &config.description);
    Value::Object(value)
}

/// `Report` for a brief (`ScholarlyArticle` when it has a DOI), with its authors, publisher,
/// dates, hero image, series, topics, regions, report number, DOI and PDF.
pub fn brief_report(site: &Site, brief: &Brief) -> Value {
    let base = &site.config.base_url;
    let front = &brief.front;
    let url = base.url_of(&brief.site_path());
    let authors: Vec<Value> = front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id))
        .map(|a| person(site, a))
        .collect();
    let mut value = object(json!({
        "@context": CONTEXT,
        "@type": "Report",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": front.title,
        "name": front.title,
        "datePublished": front.date.iso(),
        "dateModified": front.updated.unwrap_or(front.date).iso(),
        "inLanguage": brief.language(&site.config.language),
        "author": authors,
        "publisher": publisher(site),
        "wordCount": brief.word_count,
    }));
    if let Some(subtitle) = &front.subtitle {
        insert_text(&mut value, "alternativeHeadline", subtitle);
    }
    insert_text(&mut value, "description", &brief.summary);
    if let Some(image) = &brief.hero_image {
        let hero = front.hero.as_ref();
        let mut object = object(json!({
            "@type": "ImageObject",
            "url": asset_url(base, image),
            "contentUrl": asset_url(base, image),
        }));
        if let Some(credit) = hero.and_then(|h| h.credit.as_deref()) {
            insert_text(&mut object, "creditText", credit);
        }
        if let Some(alt) = hero.and_then(|h| h.alt.as_deref()) {
            insert_text(&mut object, "description", alt);
        }
        value.insert("image".into(), Value::Object(object));
    } else if let Some(logo) = super::share_image_url(&site.config) {
        value.insert("image".into(), json!(logo));
    }
    if let Some(series) = &front.series {
        let mut part_of = object(json!({ "@type": "CreativeWorkSeries", "name": series }));
        if let Some(term) = site.taxonomies.term(TermKind::Series, series) {
            part_of.insert("url".into(), json!(base.url_of(&term.site_path())));
        }
        value.insert("isPartOf".into(), Value::Object(part_of));
    }
    if !front.topics.is_empty() {
        value.insert("keywords".into(), json!(front.topics));
    }
    if !front.regions.is_empty() {
        let places: Vec<Value> = front
            .regions
            .iter()
            .map(|r| json!({ "@type": "Place", "name": r }))
            .collect();
        value.insert("spatialCoverage".into(), Value::Array(places));
    }
    if let Some(number) = &front.report_number {
        insert_text(&mut value, "reportNumber", number);
    }
    if let Some(doi) = &brief.publication.doi {
        // schema.org has no DOI property: an identifier naming it, and the resolver address.
        value.insert("@type".into(), json!("ScholarlyArticle"));
        value.insert(
            "identifier".into(),
            json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": doi }),
        );
        value.insert("sameAs".into(), json!(format!("https://doi.org/{doi}")));
    }
    if let Some(original) = &front.originally_published {
        // A syndicated brief names the work it reprints, as its canonical link does.
        let mut work = json!({
            "@type": "CreativeWork",
            "url": original.url,
            "publisher": { "@type": "Organization", "name": original.outlet },
        });
        if let Some(date) = original.date {
            work["datePublished"] = json!(date.iso());
        }
        value.insert("isBasedOn".into(), work);
    }
    if let Some(pdf) = &brief.publication.pdf {
        value.insert(
            "encoding".into(),
            json!({
                "@type": "MediaObject",
                "contentUrl": asset_url(base, &pdf.asset),
                "encodingFormat": "application/pdf",
            }),
        );
    }
    if !brief.cited.is_empty() {
        let works: Vec<Value> = brief.cited.iter().map(cited_work).collect();
        value.insert("citation".into(), Value::Array(works));
    }
    Value::Object(value)
}

/// A work the brief cites, as a `CreativeWork`.
fn cited_work(work: &crate::bibliography::Cited) -> Value {
    let mut value = object(json!({ "@type": "CreativeWork" }));
    insert_text(&mut value, "name", &work.title);
    if !work.authors.is_empty() {
        let authors: Vec<Value> = work
            .authors
            .iter()
            .map(|a| {
                let kind = if a.organization {
                    "Organization"
                } else {
                    "Person"
                };
                json!({ "@type": kind, "name": a.name })
            })
            .collect();
        value.insert("author".into(), Value::Array(authors));
    }
    if let Some(year) = work.year {
        value.insert("datePublished".into(), json!(year.to_string()));
    }
    if let Some(container) = &work.container {
        value.insert("isPartOf".into(), json!({ "name": container }));
    }
    if let Some(doi) = &work.doi {
        value.insert("sameAs".into(), json!(format!("https://doi.org/{doi}")));
    }
    if let Some(url) = &work.url {
        value.insert("url".into(), json!(url));
    }
    Value::Object(value)
}

/// `Person` for an author: name, page, role, affiliation, photo and profile links (`sameAs`,
/// ORCID included; email is left out, it is no profile).
pub fn person(site: &Site, author: &Author) -> Value {
    let base = &site.config.base_url;
    let front = &author.front;
    let url = base.url_of(&author.site_path());
    let mut value = object(json!({
        "@type": "Person",
        "@id": format!("{url}#person"),
        "name": front.name,
        "url": url,
    }));
    // Only the parts an author set: a split by rule may be wrong ("Xi Jinping").
    if let Some(family) = &front.family_name {
        insert_text(&mut value, "familyName", family);
        if let Some(given) = &front.given_name {
            insert_text(&mut value, "givenName", given);
        }
    }
    if let Some(title) = &front.title {
        insert_text(&mut value, "jobTitle", title);
    }
    if let Some(affiliation) = &front.affiliation {
        value.insert(
            "affiliation".into(),
            json!({ "@type": "Organization", "name": affiliation }),
        );
    }
    if let Some(photo) = &author.photo {
        value.insert("image".into(), json!(asset_url(base, photo)));
    }
    let same_as: Vec<&str> = author
        .links
        .iter()
        .filter(|l| l.kind != "email")
        .map(|l| l.url.as_str())
        .collect();
    if !same_as.is_empty() {
        value.insert("sameAs".into(), json!(same_as));
    }
    Value::Object(value)
}

/// `WebPage` for a plain page.
pub fn web_page(site: &Site, page: &Page) -> Value {
    let base = &site.config.base_url;
    let mut value = object(json!({
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": page.front.title,
        "url": base.url_of(&page.site_path()),
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": base.as_str() },
    }));
    if let Some(summary) = &page.front.summary {
        insert_text(&mut value, "description", summary);
    }
    Value::Object(value)
}

fn with_context(value: Value) -> Value {
    let mut with = Map::new();
    with.insert("@context".into(), json!(CONTEXT));
    if let Value::Object(fields) = value {
        with.extend(fields);
    }
    Value::Object(with)
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Sets `key` unless `text` is empty: an empty `description` is worse than none.
fn insert_text(map: &mut Map<String, Value>, key: &str, text: &str) {
    if !text.trim().is_empty() {
        map.insert(key.into(), json!(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element_and_is_the_same_json() {
        let value = json!({ "name": "a</script><script>alert(1)</script> & <!-- b\u{2028}" });
        let text = to_script(&value);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
