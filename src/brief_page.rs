//! Stage 4b, brief pages: the views of what a brief page shows besides its text (the "Cite
//! this brief" box, share links, the PDF download, the syndication line, the disclaimer,
//! recommendations), and the citation files the box links to.
//!
//! Kept apart from [`crate::render`] so that the theme contract for these parts is in one
//! place; `render` flattens [`Extras`] into the `brief` variable.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::cite::{self, Work};
use crate::content::publication::human_size;
use crate::content::{Asset, Brief};
use crate::site::Site;

/// The brief page's extra fields, flattened into `brief` (see docs/theming.md).
#[derive(Debug, Serialize)]
pub struct Extras<'a> {
    /// Inline HTML items of `recommendations`.
    pub recommendations: &'a [String],
    /// The references list: each work cited (and `nocite`) as HTML, in the style's order.
    pub references: &'a [String],
    pub citation: Citation,
    pub share: Share,
    pub pdf: Option<Pdf>,
    pub originally_published: Option<OriginalCredit<'a>>,
    /// Inline HTML: the brief's disclaimer, else the site's; null when neither (or "").
    pub disclaimer: Option<String>,
    pub doi: Option<&'a str>,
    /// `https://doi.org/<doi>`.
    pub doi_url: Option<String>,
    pub report_number: Option<&'a str>,
    /// `word_count` with the language's group separator: "2,345", "2.345".
    pub word_count_display: String,
}

/// The "Cite this brief" box: each style as HTML (titles in `<i>`, text escaped) and the files.
#[derive(Debug, Serialize)]
pub struct Citation {
    pub chicago: String,
    pub apa: String,
    pub mla: String,
    /// The download links of the BibTeX and RIS files: `data:` addresses that hold them, or
    /// (with `citation_files = true`) the root-relative paths of the files written beside the
    /// page; and the files' names.
    pub bibtex_path: String,
    pub bibtex_file: String,
    pub ris_path: String,
    pub ris_file: String,
}

/// Share links: plain addresses with the title and URL percent-encoded.
#[derive(Debug, Serialize)]
pub struct Share {
    pub email: String,
    pub x: String,
    pub linkedin: String,
    pub bluesky: String,
}

#[derive(Debug, Serialize)]
pub struct Pdf {
    /// Root-relative path (or the address, for an external PDF).
    pub path: String,
    /// "1.2 MB"; null for an external PDF.
    pub size: Option<String>,
    /// "12 pages" in the page's language, for a PDF brief typeset; else null.
    pub pages: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OriginalCredit<'a> {
    pub outlet: &'a str,
    pub url: &'a str,
    pub date: Option<String>,
    pub date_display: Option<String>,
}

/// Media types of the citation files, as the page's download links name them too.
const BIBTEX_TYPE: &str = "application/x-bibtex";
const RIS_TYPE: &str = "application/x-research-info-systems";

/// A file as a `data:` address, for a download link (`<a download>` saves it under the
/// link's name, in every current browser, with no request and no script).
fn data_url(media_type: &str, text: &str) -> String {
    format!("data:{media_type};charset=utf-8,{}", encode(text))
}

/// File names of a brief's citation files, `<slug>.bib` and `<slug>.ris`.
fn file_names(brief: &Brief) -> (String, String) {
    (format!("{}.bib", brief.slug), format!("{}.ris", brief.slug))
}

/// The extra fields of `brief`'s page.
/// The extras of `brief`'s page; numbers are written as `language` writes them.
pub fn extras<'a>(
    site: &'a Site,
    brief: &'a Brief,
    language: &crate::i18n::Language,
) -> Extras<'a> {
    let base = &site.config.base_url;
    let work = work(site, brief);
    let styled = cite::styled(&work, &site.config.citations);
    let (bib, ris) = file_names(brief);
    let (bibtex_path, ris_path) = if site.config.citation_files {
        let folder = brief.site_path();
        (
            base.path_of(&format!("{folder}{bib}")),
            base.path_of(&format!("{folder}{ris}")),
        )
    } else {
        (
            data_url(BIBTEX_TYPE, &cite::bibtex(&work)),
            data_url(RIS_TYPE, &cite::ris(&work)),
        )
    };
    let publication = &brief.publication;
    let disclaimer = publication
        .disclaimer
        .clone()
        .or_else(|| site.config.disclaimer.clone())
        .filter(|d| !d.trim().is_empty());
    Extras {
        recommendations: &brief.recommendations,
        references: &brief.references,
        citation: Citation {
            chicago: styled.chicago,
            apa: styled.apa,
            mla: styled.mla,
            bibtex_path,
            ris_path,
            bibtex_file: bib,
            ris_file: ris,
        },
        // The reader shares this page, even when a reprint cites the original.
        share: share(&brief.front.title, &base.url_of(&brief.site_path())),
        pdf: publication.pdf.as_ref().map(|pdf| Pdf {
            path: match &pdf.asset {
                Asset::External(url) => url.clone(),
                Asset::Local { site_path } => base.file_path_of(site_path),
            },
            size: pdf.bytes.map(|bytes| human_size(bytes, language)),
            pages: pdf.pages.map(|n| language.t("pdf_pages", Some(n as i64))),
        }),
        originally_published: brief
            .front
            .originally_published
            .as_ref()
            .map(|o| OriginalCredit {
                outlet: &o.outlet,
                url: &o.url,
                date: o.date.map(|d| d.iso()),
                date_display: o.date.map(|d| d.display()),
            }),
        disclaimer,
        doi: publication.doi.as_deref(),
        doi_url: publication
            .doi
            .as_ref()
            .map(|d| format!("https://doi.org/{d}")),
        report_number: brief.front.report_number.as_deref(),
        word_count_display: language.number(brief.word_count as i64),
    }
}

/// The address search engines should index for `brief`: the original article when it was
/// syndicated, else its own page.
fn canonical_url(site: &Site, brief: &Brief) -> String {
    let own = site.config.base_url.url_of(&brief.site_path());
    crate::seo::canonical_url(&crate::outputs::Job::Brief(brief), own)
}

/// The reference data of a brief: its authors (by their citation names), the site as
/// publisher, its own address. A reprint (`originally_published`) is cited as the article
/// it reprints: in that outlet, at the original's address and date.
fn work(site: &Site, brief: &Brief) -> Work {
    let original = brief.front.originally_published.as_ref();
    Work {
        title: brief.front.title.clone(),
        authors: brief
            .front
            .authors
            .iter()
            .filter_map(|id| site.authors.get(id))
            .map(|a| a.citation_name())
            .collect(),
        date: original.and_then(|o| o.date).unwrap_or(brief.front.date).0,
        publisher: site.config.title.clone(),
        periodical: original.map(|o| o.outlet.clone()),
        url: canonical_url(site, brief),
        doi: brief.publication.doi.clone(),
        report_number: brief.front.report_number.clone(),
        language: brief
            .front
            .lang
            .clone()
            .unwrap_or_else(|| site.config.language.clone()),
    }
}

/// The BibTeX and RIS files of some briefs of the site, as (site path, text), written beside
/// their pages when the site sets `citation_files = true` (serve remakes only those it
/// re-renders).
pub fn citation_files_of<'a>(
    site: &Site,
    briefs: impl Iterator<Item = &'a Brief>,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for brief in briefs {
        let work = work(site, brief);
        let (bib, ris) = file_names(brief);
        let folder = brief.site_path();
        files.push((format!("{folder}{bib}"), cite::bibtex(&work)));
        files.push((format!("{folder}{ris}"), cite::ris(&work)));
    }
    files
}

/// Everything but the unreserved characters of RFC 3986 is encoded, so a title's `&`, `#` or
/// spaces cannot break out of the query string.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY).to_string()
}

/// Share addresses of the services' own "share" pages: no scripts of theirs on ours.
pub fn share(title: &str, url: &str) -> Share {
    let (t, u) = (encode(title), encode(url));
    Share {
        email: format!("mailto:?subject={t}&body={u}"),
        x: format!("https://x.com/intent/tweet?text={t}&url={u}"),
        linkedin: format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        bluesky: format!(
            "https://bsky.app/intent/compose?text={}",
            encode(&format!("{title} {url}"))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_encode_title_and_url() {
        let share = share("Guns & Butter: #1?", "https://e.org/briefs/a b/");
        assert_eq!(
            share.email,
            "mailto:?subject=Guns%20%26%20Butter%3A%20%231%3F&body=https%3A%2F%2Fe.org%2Fbriefs%2Fa%20b%2F"
        );
        assert!(
            share
                .x
                .starts_with("https://x.com/intent/tweet?text=Guns%20%26%20Butter")
        );
        assert!(
            share
                .x
                .ends_with("&url=https%3A%2F%2Fe.org%2Fbriefs%2Fa%20b%2F")
        );
        assert_eq!(
            share.linkedin,
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fe.org%2Fbriefs%2Fa%20b%2F"
        );
        assert!(
            share
                .bluesky
                .ends_with("%3F%20https%3A%2F%2Fe.org%2Fbriefs%2Fa%20b%2F")
        );
    }
}
