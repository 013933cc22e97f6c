//! The plain, serialisable values each template sees (the theme contract documented in
//! docs/theming.md). Built by [`super::Renderer`]; URLs are already resolved against base_url.

use serde::Serialize;

use crate::content::author::Link;
use crate::markdown::{Note, TocEntry};
use crate::taxonomy::TermKind;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) root: &'a str,
    pub(super) extra: &'a toml::Table,
    /// Footer text, inline HTML.
    pub(super) footer: Option<&'a str>,
    /// Root-relative path of the logo.
    pub(super) logo: Option<String>,
    /// Absolute URL of the logo, for metadata.
    pub(super) logo_url: Option<String>,
    /// The logo's absolute URL when link previews can show it (not an SVG), else none.
    pub(super) share_image_url: Option<String>,
}

/// One link of the header navigation.
#[derive(Serialize)]
pub(super) struct MenuLink {
    pub(super) name: String,
    /// Root-relative for the site's own pages, absolute otherwise.
    pub(super) path: String,
    pub(super) external: bool,
}

/// A topic, region, program or series, as linked to.
#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) kind: TermKind,
    /// "Topic", "Region", "Program", "Series" (in the site's language).
    pub(super) label: String,
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) path: String,
    pub(super) url: String,
    pub(super) count: usize,
}

/// The link from the home page to a terms index that names more than it shows.
#[derive(Serialize)]
pub(super) struct TermsIndexLink {
    pub(super) path: String,
    /// How many terms the index lists.
    pub(super) count: usize,
}

/// The `kind` of a terms index page.
#[derive(Serialize)]
pub(super) struct KindView {
    pub(super) kind: TermKind,
    /// "Topics", … (in the site's language)
    pub(super) title: String,
    /// "Topic", …
    pub(super) label: String,
    pub(super) path: String,
    pub(super) url: String,
}

/// The `list` of a list page: a term's listing or the archive.
#[derive(Serialize)]
pub(super) struct ListView<'a> {
    /// "topic", "region", "program", "series" or "archive".
    pub(super) kind: &'a str,
    /// "Topic", … ; null for the archive.
    pub(super) label: Option<String>,
    pub(super) title: String,
    pub(super) count: usize,
    pub(super) path: String,
    pub(super) url: String,
    /// The index of this kind of term; null for the archive.
    pub(super) index: Option<KindView>,
}

#[derive(Serialize)]
pub(super) struct AuthorEntry<'a> {
    #[serde(flatten)]
    pub(super) author: AuthorView<'a>,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct PlainPageLink {
    pub(super) title: String,
    pub(super) path: String,
}

#[derive(Serialize)]
pub(super) struct AuthorRef<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) path: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct AuthorView<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) affiliation: Option<&'a str>,
    pub(super) photo: Option<String>,
    /// The photo's widths, when it is published in several ([`crate::images::View`]).
    pub(super) photo_image: Option<crate::images::View>,
    /// Absolute URL of the photo, for metadata.
    pub(super) photo_url: Option<String>,
    pub(super) bio: &'a str,
    /// The bio's notes; ids start with `bio-<id>--` so the bio can sit on any brief's page.
    pub(super) notes: &'a [Note],
    /// Id for the heading of the bio's notes, `bio-<id>--notes-title`.
    pub(super) notes_title_id: String,
    pub(super) path: String,
    pub(super) url: String,
    pub(super) links: &'a [Link],
    pub(super) extra: &'a toml::Table,
}

#[derive(Serialize)]
pub(super) struct HeroView<'a> {
    pub(super) image: Option<String>,
    /// The image's widths and thumbnail, when it is published in several.
    pub(super) picture: Option<crate::images::View>,
    /// Absolute URL of the image, for metadata.
    pub(super) image_url: Option<String>,
    pub(super) alt: Option<&'a str>,
    pub(super) caption: Option<&'a str>,
    pub(super) credit: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct BriefCard<'a, A> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) subtitle: Option<&'a str>,
    pub(super) summary: &'a str,
    pub(super) date: String,
    /// `date` in the brief's language, "15 de septiembre de 2023".
    pub(super) date_display: String,
    /// The brief's language: its `lang`, else the site's.
    pub(super) lang: &'a str,
    pub(super) updated: Option<String>,
    pub(super) updated_display: Option<String>,
    pub(super) authors: Vec<A>,
    pub(super) program: Option<&'a str>,
    pub(super) series: Option<&'a str>,
    pub(super) topics: &'a [String],
    pub(super) regions: &'a [String],
    pub(super) path: String,
    pub(super) url: String,
    pub(super) reading_time: usize,
    pub(super) word_count: usize,
    pub(super) draft: bool,
    pub(super) hero: Option<HeroView<'a>>,
    pub(super) featured: bool,
    pub(super) topic_links: Vec<TermView<'a>>,
    pub(super) region_links: Vec<TermView<'a>>,
    pub(super) program_link: Option<TermView<'a>>,
    pub(super) series_link: Option<TermView<'a>>,
}

/// Another language's version of a brief.
#[derive(Serialize)]
pub(super) struct TranslationLink<'a> {
    /// Its language code, for `hreflang` and `lang`.
    pub(super) lang: &'a str,
    /// The language's name in itself, "Español".
    pub(super) name: String,
    pub(super) title: &'a str,
    pub(super) path: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct BriefView<'a> {
    #[serde(flatten)]
    pub(super) card: BriefCard<'a, AuthorView<'a>>,
    pub(super) body: &'a str,
    /// The brief's TOC, its Recommendations and Notes entries in the brief's language.
    pub(super) toc: Vec<TocEntry>,
    pub(super) show_toc: bool,
    pub(super) key_takeaways: &'a [String],
    pub(super) notes: &'a [Note],
    pub(super) extra: &'a toml::Table,
    pub(super) translations: Vec<TranslationLink<'a>>,
    /// Citation, share links, PDF, syndication, disclaimer, recommendations.
    #[serde(flatten)]
    pub(super) page: crate::brief_page::Extras<'a>,
}

/// The `search` of the search page: where the form sends the query, where the script finds
/// the index, and the listings to browse instead.
#[derive(Serialize)]
pub(super) struct SearchView {
    pub(super) path: String,
    pub(super) url: String,
    pub(super) index_path: String,
    pub(super) archive_path: String,
    pub(super) topics_path: String,
    pub(super) authors_path: String,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) body: &'a str,
    pub(super) notes: &'a [Note],
    pub(super) path: String,
    pub(super) url: String,
    pub(super) extra: &'a toml::Table,
}
