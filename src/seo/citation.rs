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
/// site: as the institution of a technical report when the brief has a `report_number`.
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
        add("citation_author", &author.front.name);
        if let Some(affiliation) = &author.front.affiliation {
            add("citation_author_institution", affiliation);
        }
    }
    // Scholar reads dates as YYYY/MM/DD.
    add(
        "citation_publication_date",
        &front.date.iso().replace('-', "/"),
    );
    match &front.report_number {
        Some(number) => {
            add("citation_technical_report_institution", &config.title);
            add("citation_technical_report_number", number);
        }
        None => add("citation_publisher", &config.title),
    }
    if let Some(doi) = &brief.publication.doi {
        add("citation_doi", doi);
    }
    if let Some(pdf) = &brief.publication.pdf {
        add("citation_pdf_url", &asset_url(&config.base_url, &pdf.asset));
    }
    add(
        "citation_abstract_html_url",
        &config.base_url.url_of(&brief.site_path()),
    );
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
