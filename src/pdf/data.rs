//! What the PDF template reads about a brief: `/brief.json` and `/body.typ`.
//!
//! The same data the brief's page shows, from the same sources, with each rich field (a
//! takeaway, a recommendation, a caption, a bio, the disclaimer, the citation) as Typst markup
//! that the template shows with `eval(x, mode: "markup")`; plain fields (title, names, summary)
//! are plain strings for the document's metadata. Labels and dates are in the brief's language.

use std::collections::BTreeMap;

use serde::Serialize;

use super::markup::{self, Links, rich_from_html};
use crate::content::{Asset, Brief};
use crate::error::Diagnostic;
use crate::i18n::Catalog;
use crate::site::Site;

/// The generated files of one brief and the PDF's stable identifier.
pub struct Inputs {
    pub json: Vec<u8>,
    pub body: String,
    /// The brief's address: the PDF's /ID, so the same brief gives the same bytes.
    pub ident: String,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: &'a str,
    site: &'a str,
    /// `/site/<path>` of the site's logo, when it is an SVG, PNG or JPEG.
    logo: Option<String>,
    program: Option<&'a str>,
    series: Option<&'a str>,
    title: &'a str,
    subtitle: Option<&'a str>,
    /// The title up to its first colon, cut at a word to fit the running header.
    short_title: String,
    summary: &'a str,
    topics: &'a [String],
    authors: Vec<AuthorData<'a>>,
    /// Names only, for the document's metadata.
    author_names: Vec<&'a str>,
    date: String,
    updated: Option<String>,
    year: i16,
    month: i8,
    day: i8,
    hero: Option<Hero>,
    key_takeaways: Vec<String>,
    recommendations: Vec<String>,
    /// The references list, each entry as markup, in the style's order.
    references: Vec<String>,
    show_toc: bool,
    cite_as: String,
    url: String,
    disclaimer: Option<String>,
    doi: Option<&'a str>,
    report_number: Option<&'a str>,
    /// Interface strings in the brief's language (the theme's i18n files).
    t: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct AuthorData<'a> {
    name: &'a str,
    title: Option<&'a str>,
    affiliation: Option<&'a str>,
    /// Markup.
    bio: String,
}

#[derive(Serialize)]
struct Hero {
    image: String,
    alt: String,
    caption: Option<String>,
    credit: Option<String>,
}

/// The labels a PDF template uses.
const LABELS: &[&str] = &[
    "by",
    "and",
    "key_takeaways",
    "contents",
    "recommendations",
    "references",
    "notes",
    "about_the_author",
    "about_the_authors",
    "cite_as",
    "updated",
    "pdf_page_of",
    "figure_note",
    "figure_source",
    "figure_credit",
    "figure_n",
    "table_n",
];

/// Letters of the running title: with the site's name at 8 pt, it fits the 14 cm column.
const RUNNING_TITLE: usize = 60;

/// The title up to its first colon; a longer one is cut after its last whole word that
/// fits, with an ellipsis, so that the header stays one line.
fn running_title(title: &str) -> String {
    let short = title.split(':').next().unwrap_or(title).trim();
    if short.chars().count() <= RUNNING_TITLE {
        return short.to_string();
    }
    let mut cut = String::new();
    for word in short.split_whitespace() {
        let longer = cut.chars().count() + word.chars().count() + usize::from(!cut.is_empty());
        if longer > RUNNING_TITLE - 1 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = short.chars().take(RUNNING_TITLE - 1).collect();
    }
    let cut = cut.trim_end_matches([',', ';', '.', '–', '—', '-']);
    format!("{cut}…")
}

/// Image formats Typst shows.
fn typst_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The generated files of `brief`; without `images`, no logo, hero or image is shown (each
/// image of the body is its alt text), for a brief whose images Typst cannot use.
pub fn inputs(
    site: &Site,
    i18n: &Catalog,
    brief: &Brief,
    images: bool,
) -> Result<Inputs, Diagnostic> {
    let base = &site.config.base_url;
    let code = brief.language(&site.config.language);
    let language = i18n.language(code);
    let url = base.url_of(&brief.site_path());
    let source = site.root.join(&brief.source);
    let bundle_folder = source
        .parent()
        .filter(|_| source.file_name().is_some_and(|n| n == "index.md"))
        .map(std::path::Path::to_path_buf);
    let links = Links {
        map: &site.links,
        origin: base.origin(),
        page_url: &url,
        root_path: base.root_path(),
        images,
        charts: bundle_folder.as_deref().map(|f| (f, language)),
    };
    let front = &brief.front;
    let inline = |text: &str| markup::inline(text, &links);
    let authors: Vec<AuthorData> = front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id))
        .map(|a| AuthorData {
            name: &a.front.name,
            title: a.front.title.as_deref(),
            affiliation: a.front.affiliation.as_deref(),
            bio: rich_from_html(&a.bio),
        })
        .collect();
    let hero = match (&brief.hero_image, &front.hero) {
        (Some(Asset::Local { site_path }), Some(fields)) if images && typst_image(site_path) => {
            Some(Hero {
                image: format!("/site/{site_path}"),
                alt: fields.alt.clone().unwrap_or_default(),
                caption: fields.caption.as_deref().map(inline),
                credit: fields.credit.as_deref().map(inline),
            })
        }
        _ => None,
    };
    let extras = crate::brief_page::extras(site, brief, language);
    let t = LABELS
        .iter()
        .map(|&key| (key, language.t(key, None)))
        .collect();
    let data = Data {
        lang: code,
        site: &site.config.title,
        logo: site
            .config
            .logo
            .as_deref()
            .filter(|l| images && typst_image(l))
            .map(|l| format!("/site/{}", l.trim_start_matches('/'))),
        program: front.program.as_deref(),
        series: front.series.as_deref(),
        title: &front.title,
        subtitle: front.subtitle.as_deref(),
        short_title: running_title(&front.title),
        summary: &brief.summary,
        topics: &front.topics,
        author_names: authors.iter().map(|a| a.name).collect(),
        authors,
        date: language.date(front.date),
        updated: front.updated.map(|d| language.date(d)),
        year: front.date.0.year(),
        month: front.date.0.month(),
        day: front.date.0.day(),
        hero,
        key_takeaways: front.key_takeaways.iter().map(|t| inline(t)).collect(),
        recommendations: front.recommendations.iter().map(|r| inline(r)).collect(),
        references: brief.references.iter().map(|r| rich_from_html(r)).collect(),
        show_toc: brief.show_toc,
        cite_as: rich_from_html(&extras.citation.chicago),
        url: url.clone(),
        disclaimer: extras.disclaimer.as_deref().map(rich_from_html),
        doi: brief.publication.doi.as_deref(),
        report_number: front.report_number.as_deref(),
        t,
    };
    let json = serde_json::to_vec_pretty(&data).expect("brief data serializes");
    let body = body(site, brief, &links)?;
    Ok(Inputs {
        json,
        body,
        ident: url,
    })
}

/// The brief's Markdown body (read again from its file) as Typst markup.
fn body(site: &Site, brief: &Brief, links: &Links) -> Result<String, Diagnostic> {
    let path = site.root.join(&brief.source);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Diagnostic::io("read the brief again for its PDF", &path, &e))?;
    let split = crate::content::frontmatter::split(&text, &brief.source)?;
    let works = works(site, brief);
    // The citations as loading the brief formatted them (kept in the build cache with it).
    let replay = works.as_ref().map(|w| crate::markdown::citations::Replay {
        engine: w,
        made: &brief.citations,
        references: &brief.references,
    });
    let engine = replay
        .as_ref()
        .map(|r| r as &dyn crate::markdown::citations::Engine);
    let converted = markup::body(split.body, links, &brief.front.pull_quotes, engine);
    Ok(converted.markup)
}

/// The works a brief can cite (the site's bibliography and its own), as loading the brief
/// found them; none when there are none, or its own files cannot be read (loading reported
/// that already).
fn works<'a>(site: &'a Site, brief: &Brief) -> Option<crate::bibliography::Works<'a>> {
    let folder = brief.source.parent().unwrap_or(std::path::Path::new(""));
    let bundle = brief.source.file_name().is_some_and(|n| n == "index.md");
    let own = crate::bibliography::read_brief_files(
        &site.root,
        folder,
        &brief.front.bibliography.to_vec(),
        bundle,
        &|_| crate::error::Location::file(&brief.source),
    )
    .ok()?;
    let works = crate::bibliography::Works {
        site: &site.config.citations,
        own,
        nocite: brief.front.nocite.clone(),
        language: brief
            .front
            .lang
            .clone()
            .unwrap_or_else(|| site.config.language.clone()),
    };
    (!works.is_empty()).then_some(works)
}

#[cfg(test)]
mod tests {
    use super::markup::escape;
    use super::*;

    #[test]
    fn the_running_title_is_the_title_to_its_colon_cut_at_a_word_when_long() {
        assert_eq!(running_title("Deterrence: A Primer"), "Deterrence");
        assert_eq!(
            running_title(
                "How Germany’s Export Licensing Backlog Undermines Transatlantic Controls on \
                 Semiconductor Equipment"
            ),
            "How Germany’s Export Licensing Backlog Undermines…"
        );
        assert_eq!(
            running_title(&"x".repeat(80)),
            format!("{}…", "x".repeat(59))
        );
    }

    /// The citations fixture, loaded as `brief build` loads it.
    fn cited_site() -> (Site, crate::theme::Theme) {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/citations");
        let options = crate::build::BuildOptions {
            root,
            output: None,
            base_url: None,
            drafts: false,
            cleanup: Default::default(),
            no_pdf: false,
        };
        crate::build::load(&options).expect("the citations fixture loads")
    }

    #[test]
    fn a_briefs_pdf_puts_in_the_citations_its_loading_formatted() {
        let (site, theme) = cited_site();
        let mut checked = 0;
        for brief in site.briefs.iter().filter(|b| !b.citations.texts.is_empty()) {
            let replayed = inputs(&site, &theme.i18n, brief, true).unwrap().body;
            let mut unformatted = brief.clone();
            unformatted.citations = Default::default();
            let formatted = inputs(&site, &theme.i18n, &unformatted, true).unwrap().body;
            assert_eq!(replayed, formatted, "{}", brief.slug);
            // The PDF finds the same citations as the page: it takes their kept texts.
            let mut marked = brief.clone();
            for text in &mut marked.citations.texts {
                text.note = text.note.as_ref().map(|_| "KEPT".to_string());
                if !text.inline.is_empty() {
                    text.inline = "KEPT".to_string();
                }
            }
            let body = inputs(&site, &theme.i18n, &marked, true).unwrap().body;
            assert_eq!(
                body.matches("KEPT").count(),
                brief
                    .citations
                    .texts
                    .iter()
                    .filter(|t| t.note.is_some())
                    .count()
                    + brief
                        .citations
                        .texts
                        .iter()
                        .filter(|t| !t.inline.is_empty())
                        .count(),
                "{}",
                brief.slug
            );
            checked += 1;
        }
        assert!(checked >= 2, "{checked} briefs with citations");
    }

    #[test]
    fn only_formats_typst_shows_are_images() {
        assert!(typst_image("images/logo.SVG"));
        assert!(!typst_image("images/logo.pdf"));
        assert_eq!(escape("a.b"), "a\\.b");
    }
}
