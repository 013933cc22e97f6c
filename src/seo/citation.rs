//! Google Scholar's Highwire Press tags for a brief (`citation_title`, `citation_author`, …),
//! as (name, content) pairs that the theme prints as `<meta name content>`.

use serde::Serialize;

use super::asset_url;
use crate::content::Brief;
use crate::site::Site;

/// One `<meta name="citation_…" content="…">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub name: &'static str,
    pub content: String,
}

/// The tags of one brief, in the order Scholar's guidelines list them. The publisher is the
/// site: as the institution of a technical report when the brief has a `report_number`. A
/// syndicated brief is the article it reprints, as its canonical link and cite box say: in its
/// outlet, on the original's date, and not at this page's address.
pub fn tags(site: &Site, brief: &Brief) -> Vec<Tag> {
    let config = &site.config;
    let front = &brief.front;
    let mut tags = Vec::new();
    let mut add = |name, content: &str| {
        tags.push(Tag {
            name,
            content: content.to_string(),
        })
    };
    add("citation_title", &front.title);
    for author in front.authors.iter().filter_map(|id| site.authors.get(id)) {
        // "Family, Given", split as the cite box splits it: with no comma, Scholar and Zotero
        // take the last word for the family name, which "Charles de Gaulle" is not (nor is
        // "Xi Jinping", once the author file sets `family_name`).
        add("citation_author", &author.citation_name().sorted());
        if let Some(affiliation) = &author.front.affiliation {
            add("citation_author_institution", affiliation);
        }
    }
    let original = front.originally_published.as_ref();
    let date = original.and_then(|o| o.date).unwrap_or(front.date);
    // Scholar reads dates as YYYY/MM/DD.
    add("citation_publication_date", &date.iso().replace('-', "/"));
    match (original, &front.report_number) {
        (Some(original), _) => add("citation_journal_title", &original.outlet),
        (None, Some(number)) => {
            add("citation_technical_report_institution", &config.title);
            add("citation_technical_report_number", number);
        }
        (None, None) => add("citation_publisher", &config.title),
    }
    if let Some(doi) = &brief.publication.doi {
        add("citation_doi", doi);
    }
    if let Some(pdf) = &brief.publication.pdf {
        add("citation_pdf_url", &asset_url(&config.base_url, &pdf.asset));
    }
    if original.is_none() {
        add(
            "citation_abstract_html_url",
            &config.base_url.url_of(&brief.site_path()),
        );
    }
    add("citation_language", brief.language(&config.language));
    for topic in &front.topics {
        add("citation_keywords", topic);
    }
    // The works the brief cites, which Scholar links as its references.
    for work in &brief.cited {
        add("citation_reference", &work.scholar());
    }
    tags
}
