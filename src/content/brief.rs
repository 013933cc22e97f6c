//! A brief: its front matter, and the brief as loaded from one file.

use serde::{Deserialize, Serialize};

use super::frontmatter::{self, Lines, PubDate, Split};
use super::{Asset, Source, resolve_asset};
use crate::error::{Diagnostic, Kind, Location};
use crate::markdown::{self, RenderSettings};

/// The keys a brief's front matter may set. (Serialized only into the build cache, as read:
/// [`crate::build_cache::loads`].)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub subtitle: Option<String>,
    pub date: PubDate,
    pub updated: Option<PubDate>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    pub program: Option<String>,
    pub series: Option<String>,
    #[serde(default)]
    pub key_takeaways: Vec<String>,
    #[serde(default)]
    pub pull_quotes: Vec<String>,
    pub toc: Option<bool>,
    #[serde(default)]
    pub draft: bool,
    /// Shown first on the home page (the newest featured brief, if several are).
    #[serde(default)]
    pub featured: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    pub hero: Option<HeroFields>,
    /// DOI of the brief, `10.1234/abc`; cited and linked as https://doi.org/...
    pub doi: Option<String>,
    /// Report or working-paper number, e.g. "PB-24-03"; makes the BibTeX a @techreport.
    pub report_number: Option<String>,
    /// Policy recommendations (inline Markdown), shown as their own section.
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// Where a syndicated brief first appeared; the canonical link points there.
    pub originally_published: Option<super::publication::OriginalPublication>,
    /// Disclaimer below the article (inline Markdown); overrides the site's, "" hides it.
    pub disclaimer: Option<String>,
    /// A PDF version, in the bundle folder or static/.
    pub pdf: Option<String>,
    /// The brief's language ("es"); absent means config's `language`.
    pub lang: Option<String>,
    /// Other-language versions of this brief: language -> slug, `{ es = "slug-es" }`.
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, String>,
    /// Old addresses of this brief (`/2023/09/15/old-slug/`), each given a redirect page.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Bibliography files of this brief (besides the site's and a bundle's references.bib),
    /// relative to the brief's folder.
    #[serde(default)]
    pub bibliography: OneOrMany,
    /// Works listed in the references without being cited; `["*"]` lists every work.
    #[serde(default)]
    pub nocite: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
}

impl FrontMatter {
    /// The fields rendered as inline Markdown with their links rewritten as a body's (takeaways,
    /// recommendations, the hero's caption, the disclaimer), each with its key as
    /// [`Lines`] names it (`key_takeaways[0]`, `hero.caption`). Pull quotes are Markdown too,
    /// but repeat the body's text and are rendered without its links.
    pub fn linked_fields(&self) -> Vec<(String, &str)> {
        let mut fields: Vec<(String, &str)> = Vec::new();
        for (key, items) in [
            ("key_takeaways", &self.key_takeaways),
            ("recommendations", &self.recommendations),
        ] {
            fields.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, text)| (format!("{key}[{i}]"), text.as_str())),
            );
        }
        if let Some(caption) = self.hero.as_ref().and_then(|h| h.caption.as_deref()) {
            fields.push(("hero.caption".to_string(), caption));
        }
        if let Some(disclaimer) = self.disclaimer.as_deref() {
            fields.push(("disclaimer".to_string(), disclaimer));
        }
        fields
    }
}

/// A value written as one string or a list of them (`bibliography`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }

    /// The key of the `i`th value in front matter or config (`bibliography[1]`).
    pub fn key(&self, name: &str, i: usize) -> String {
        match self {
            OneOrMany::Many(_) => format!("{name}[{i}]"),
            _ => name.to_string(),
        }
    }
}

pub const KEYS: &[&str] = &[
    "title",
    "subtitle",
    "date",
    "updated",
    "authors",
    "summary",
    "topics",
    "regions",
    "program",
    "series",
    "key_takeaways",
    "pull_quotes",
    "toc",
    "draft",
    "featured",
    "slug",
    "template",
    "hero",
    "doi",
    "report_number",
    "recommendations",
    "originally_published",
    "disclaimer",
    "pdf",
    "lang",
    "translations",
    "aliases",
    "bibliography",
    "nocite",
    "extra",
];

/// The `[hero]` table: the photo at the top of a brief.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeroFields {
    pub image: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// What the social card keeps in view: `[0.3, 0.5]` or `"top left"` ([`crate::images::Focal`]).
    pub focal_point: Option<toml::Value>,
}

const HERO_KEYS: &[&str] = &["image", "alt", "caption", "credit", "focal_point"];

/// Every key a brief's front matter may set, top level and in its tables: the one list that
/// unknown keys are reported against.
pub const SCHEMA: frontmatter::Schema = frontmatter::Schema {
    keys: KEYS,
    tables: &[
        ("hero", HERO_KEYS),
        ("originally_published", super::publication::ORIGINAL_KEYS),
    ],
};

/// What loading a brief needs to know about the rest of the site.
pub struct LoadSettings<'a> {
    pub root: &'a std::path::Path,
    pub toc_depth: u8,
    /// Whether the theme (or the site's templates/) has a template of this name.
    pub has_template: &'a (dyn Fn(&str) -> bool + Sync),
    /// Where `@/` links point.
    pub links: &'a crate::markdown::links::LinkMap,
    /// The site's language, for a brief without `lang` (stemming of its search terms).
    pub language: &'a str,
    /// Numbers the words of the site's briefs for the search index.
    pub lexicon: &'a crate::search::Lexicon,
    /// The theme's markup for pull quotes, notes and heading links.
    pub markup: &'a crate::markdown::fragments::Markup,
    /// The citation style and the site's bibliography.
    pub citations: &'a crate::bibliography::Citations,
    /// The widths images are published at, and the size above which one is reported.
    pub images: &'a crate::images::Settings,
}

/// A brief, parsed and rendered, ready for the site model.
#[derive(Debug, Clone)]
pub struct Brief {
    pub source: std::path::PathBuf,
    pub slug: String,
    pub front: FrontMatter,
    /// Where each front-matter key is in the file, for problems found after loading.
    pub keys: Lines,
    /// `front.summary`, or the first paragraph's text.
    pub summary: String,
    /// Its HTML, contents and notes: on disk once the brief is loaded by a build, read back
    /// for its page ([`super::body`]).
    pub body: super::body::Stored,
    pub show_toc: bool,
    /// The references list: works cited (and `nocite`), as HTML in the style's order.
    pub references: Vec<String>,
    /// Its citations as formatted, for the PDF to put in without formatting them again.
    pub citations: markdown::citations::Made,
    /// The works cited, for Google Scholar's `citation_reference` and JSON-LD `citation`.
    pub cited: Vec<crate::bibliography::Cited>,
    pub key_takeaways: Vec<String>,
    pub word_count: usize,
    /// Its words for the search index, counted by field (the text itself is not kept).
    pub search: crate::search::Terms,
    pub hero_image: Option<Asset>,
    pub hero_caption: Option<String>,
    /// `front.recommendations` rendered as inline HTML.
    pub recommendations: Vec<String>,
    /// DOI, PDF and disclaimer, checked and resolved.
    pub publication: super::publication::Publication,
    /// Files of a bundle other than index.md and its images, as (file on disk, path in the
    /// output): copied as they are.
    pub assets: Vec<(std::path::PathBuf, String)>,
    /// The bundle's JPEG, PNG and WebP images, published in several widths.
    pub images: Vec<crate::images::Job>,
    /// The images of `static/` the body or the hero uses, published in several widths too.
    pub static_images: Vec<crate::images::Job>,
    /// The hero image as published, when it is a JPEG, PNG or WebP of the site.
    pub hero_picture: Option<crate::images::Job>,
    /// The 1200x630 card made from it, for `og:image`.
    pub card: Option<crate::images::Card>,
    /// Where the card is published.
    pub social_card: Option<Asset>,
    pub warnings: Vec<Diagnostic>,
}

impl Brief {
    /// The brief's language: its `lang`, else the site's.
    pub fn language<'a>(&'a self, site_language: &'a str) -> &'a str {
        self.front.lang.as_deref().unwrap_or(site_language)
    }

    /// Site-relative folder of the brief's page, `briefs/<slug>/`.
    pub fn site_path(&self) -> String {
        site_path(&self.slug)
    }
}

pub fn site_path(slug: &str) -> String {
    crate::outputs::routes::brief(slug)
}

/// Parses and renders one brief, collecting every problem in it.
pub fn load(source: &Source, settings: &LoadSettings) -> Result<Brief, Vec<Diagnostic>> {
    let rel = &source.path.rel;
    let split = frontmatter::split(&source.text, rel).map_err(|d| vec![d])?;
    let (mut front, keys) = read_front(source, &split)?;
    // `lang = "FR"` is French: tags are compared as written everywhere after this.
    front.lang = front.lang.map(|tag| crate::i18n::canonical_tag(&tag));
    front.translations = std::mem::take(&mut front.translations)
        .into_iter()
        .map(|(tag, slug)| (crate::i18n::canonical_tag(&tag), slug))
        .collect();
    let slug = slug::slugify(front.slug.clone().unwrap_or_else(|| source.path.stem()));
    let mut errors = super::control::errors(&source.text, &split, &keys, rel);
    errors.extend(front_errors(&front, &keys, &slug, rel, settings));
    errors.extend(front_link_errors(&front, &keys, rel, settings.links));
    let (mut bundle, bundle_errors) = read_bundle(source, &slug, settings);
    errors.extend(bundle_errors);
    let scan = markdown::scan::scan(split.body);
    let statics =
        crate::images::uses::in_body(&scan, settings.root, settings.images, settings.links, rel);
    errors.extend(statics.errors);
    bundle.statics = statics.pictures;
    let (works, work_errors) = works(source, &front, &keys, settings);
    errors.extend(work_errors);
    let rendered = render_body(&split, &front, settings, &bundle, works.as_ref());
    errors.extend(body_errors(&rendered, &split, &front, &keys, rel, settings));
    if let Some(works) = &works {
        let unknown = &rendered.citations.unknown;
        errors.extend(works.unknown_keys(unknown, rel, split.body, split.body_line));
    }
    let cited = works
        .as_ref()
        .map(|w| w.cited(&rendered.citations.cited))
        .unwrap_or_default();
    let (figure_errors, figure_warnings) = super::figure_diagnostics(
        &rendered.figures,
        rel,
        split.body,
        split.body_line,
        source.path.bundle.as_ref().and(rel.parent()),
    );
    errors.extend(figure_errors);
    let mut used = rendered.figures.files.clone();
    for src in &scan.raw_images {
        markdown::figures::note_file(src, &mut used);
    }
    let unused = unused_images(&bundle, &used, &front, rel);
    let mut large_images = std::mem::take(&mut bundle.warnings);
    let mut static_images = statics.jobs;
    let hero = match hero_images(&front, &keys, &bundle, rel, settings) {
        Ok(hero) => hero,
        Err(problem) => {
            errors.push(problem);
            HeroImages::default()
        }
    };
    if let Some(job) = hero.picture.as_ref().filter(|j| j.out_dir.is_empty()) {
        static_images.push(job.clone());
    }
    large_images.extend(static_images.iter().filter_map(|job| {
        settings.images.size_warning(
            &job.source,
            &crate::fsutil::relative(&job.source, settings.root),
        )
    }));
    let files = match files(source, &front, &keys, &slug, settings, bundle) {
        Ok(files) if errors.is_empty() => files,
        Ok(_) => return Err(errors),
        Err(problems) => {
            errors.extend(problems);
            return Err(errors);
        }
    };
    let mut warnings = warnings(&rendered, &front, &split, &scan, &keys, rel);
    warnings.extend(figure_warnings);
    warnings.extend(unused);
    warnings.extend(large_images);
    let brief = assemble(rel, slug, front, keys, rendered, files, settings);
    Ok(Brief {
        warnings,
        cited,
        static_images,
        social_card: hero.card.as_ref().map(|c| Asset::Local {
            site_path: c.site_path.clone(),
        }),
        hero_picture: hero.picture,
        card: hero.card,
        ..brief
    })
}

/// The front matter of `source` and where each key is, as [`load`] reads them; `None` when it
/// cannot be read (then [`load`] reports why).
pub fn front_matter(source: &Source) -> Option<(FrontMatter, Lines)> {
    let split = frontmatter::split(&source.text, &source.path.rel).ok()?;
    read_front(source, &split).ok()
}

/// The front matter, with a hint added to errors in `originally_published`.
fn read_front(source: &Source, split: &Split) -> Result<(FrontMatter, Lines), Vec<Diagnostic>> {
    frontmatter::read(&source.text, split, &source.path.rel, &SCHEMA).map_err(|problems| {
        problems
            .into_iter()
            .map(|d| super::publication::original_help(d, &source.text))
            .collect()
    })
}

/// The `@/` links of the front matter's Markdown (takeaways, recommendations, the hero's
/// caption, the disclaimer) that point nowhere, each at its key.
fn front_link_errors(
    front: &FrontMatter,
    keys: &Lines,
    rel: &std::path::Path,
    links: &markdown::links::LinkMap,
) -> Vec<Diagnostic> {
    front
        .linked_fields()
        .into_iter()
        // Only text with an `@/` link can have a broken one.
        .filter(|(_, text)| text.contains("@/"))
        .flat_map(|(key, text)| {
            let (_, broken) = markdown::render_inline_linked(text, links);
            let location = keys.location(rel, &key);
            broken
                .iter()
                .map(|b| links.diagnostic(b, location.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Problems of the front matter alone: no usable slug, a missing template, no author.
fn front_errors(
    front: &FrontMatter,
    keys: &Lines,
    slug: &str,
    rel: &std::path::Path,
    settings: &LoadSettings,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if slug.is_empty() {
        // From the `slug` key if there is one, else from the file name: point at the key, or
        // at the front matter's first line where one would be added.
        let (message, line) = match &front.slug {
            Some(given) => (
                format!("slug `{given}` has no letters or digits to make an address from"),
                keys.location(rel, "slug"),
            ),
            None => (
                "the file name gives the brief no usable slug (it has no letters or digits)"
                    .to_string(),
                Location::at(rel, 1, 1),
            ),
        };
        errors.push(
            Diagnostic::new(Kind::FrontMatter, message)
                .at(line)
                .help("set slug = \"a-short-name\" in the front matter"),
        );
    }
    if let Some(template) = &front.template
        && !(settings.has_template)(template)
    {
        errors.push(
            Diagnostic::new(Kind::Template, format!("template `{template}` does not exist"))
                .at(keys.location(rel, "template"))
                .help("add it to the site's templates/ folder, or remove the `template` key to use brief.html"),
        );
    }
    if let Some((message, help)) = front
        .lang
        .as_deref()
        .and_then(crate::i18n::language_tag_problem)
    {
        errors.push(
            Diagnostic::new(Kind::FrontMatter, message)
                .at(keys.location(rel, "lang"))
                .help(format!("{help}, as in lang = \"fr\"")),
        );
    }
    if front.authors.is_empty() {
        errors.push(
            Diagnostic::new(Kind::FrontMatter, "a brief needs at least one author")
                .at(keys.location(rel, "authors"))
                .help("list author ids, the file names in content/authors/, e.g. authors = [\"jane-doe\"]"),
        );
    }
    errors
}

/// The Markdown body rendered through every pass (figures, citations, notes, pull quotes,
/// links, headings…), with the bundle's data files and images for its charts and pictures;
/// `works` formats the citations of a brief that has a bibliography.
fn render_body(
    split: &Split,
    front: &FrontMatter,
    settings: &LoadSettings,
    bundle: &Bundle,
    works: Option<&crate::bibliography::Works>,
) -> markdown::Rendered {
    let mut pictures: std::collections::BTreeMap<String, crate::images::Picture> = bundle
        .images
        .iter()
        .map(|job| (job.picture.name.clone(), job.picture.clone()))
        .collect();
    pictures.extend(bundle.statics.clone());
    markdown::render_cited(
        split.body,
        &RenderSettings {
            toc_depth: settings.toc_depth,
            pull_quotes: &front.pull_quotes,
            links: settings.links,
            id_prefix: "",
            markup: settings.markup,
            figures: markdown::figures::Inputs {
                lang: front.lang.as_deref().unwrap_or(settings.language),
                data: &bundle.data,
                pictures: &pictures,
                // With a hero, the hero is the image at the top of the page.
                eager_first: front.hero.as_ref().and_then(|h| h.image.as_ref()).is_none(),
            },
        },
        works.map(|w| w as &dyn markdown::citations::Engine),
    )
}

/// The files of a brief's bundle folder, read before its body is rendered.
#[derive(Default)]
struct Bundle {
    /// The brief's folder in the output, `briefs/<slug>/`.
    out: String,
    /// Every file but index.md, as (file on disk, path in the output).
    all: Vec<(std::path::PathBuf, String)>,
    /// The CSV files' text, by path inside the bundle, for charts.
    data: std::collections::BTreeMap<String, String>,
    /// The JPEG, PNG and WebP images, probed, published in several widths.
    images: Vec<crate::images::Job>,
    /// The other files, copied as they are.
    others: Vec<(std::path::PathBuf, String)>,
    /// The images of `static/` the body uses, by the address written, for the Markdown passes.
    statics: std::collections::BTreeMap<String, crate::images::Picture>,
    /// Images over the size of [`crate::images::Settings::large`].
    warnings: Vec<Diagnostic>,
}

/// Lists a bundle's files, reads its CSV files and the headers of its images; an unreadable
/// one is an error naming it.
fn read_bundle(source: &Source, slug: &str, settings: &LoadSettings) -> (Bundle, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let out = site_path(slug);
    let all = match &source.path.bundle {
        Some(dir) => bundle_assets(dir, &out),
        None => Vec::new(),
    };
    let data = read_data(&all, &out, settings.root, &mut errors);
    let (images, others) = bundle_images(&all, &out, settings, &mut errors);
    let warnings = images
        .iter()
        .filter_map(|job| {
            settings.images.size_warning(
                &job.source,
                &crate::fsutil::relative(&job.source, settings.root),
            )
        })
        .collect();
    let bundle = Bundle {
        out,
        all,
        data,
        images,
        others,
        statics: Default::default(),
        warnings,
    };
    (bundle, errors)
}

/// Problems found while rendering the body, and those of keys checked against it: broken
/// `@/` links, bad heading ids, aliases, pull quotes (as written and missing from the text),
/// term names without a slug.
fn body_errors(
    rendered: &markdown::Rendered,
    split: &Split,
    front: &FrontMatter,
    keys: &Lines,
    rel: &std::path::Path,
    settings: &LoadSettings,
) -> Vec<Diagnostic> {
    let mut errors =
        settings
            .links
            .diagnostics(&rendered.broken_links, rel, split.body, split.body_line);
    errors.extend(markdown::headings::diagnostics(
        &rendered.bad_ids,
        rel,
        split.body,
        split.body_line,
    ));
    errors.extend(super::aliases::errors(
        &front.aliases,
        |alias| entry_line(&front.aliases, alias, "aliases", keys),
        rel,
    ));
    errors.extend(pull_quote_errors(&front.pull_quotes, keys, rel));
    errors.extend(crate::taxonomy::slug_errors(front, keys, rel));
    for quote in &rendered.missing_quotes {
        errors.push(
            Diagnostic::new(
                Kind::PullQuote,
                format!("pull quote \"{quote}\" does not appear in the text of the brief"),
            )
            .at(quote_location(&front.pull_quotes, quote, keys, rel))
            .help("a pull quote must repeat words of the text; edit the quote to match the text, or remove it"),
        );
    }
    errors
}

/// The files a brief names or carries: its hero image, its PDF and other publication
/// files, and the files of its bundle folder.
struct Files {
    hero_image: Option<Asset>,
    publication: super::publication::Publication,
    assets: Vec<(std::path::PathBuf, String)>,
    images: Vec<crate::images::Job>,
}

/// Finds the files the front matter names (beside the brief in a bundle, or under static/)
/// and the bundle's own files; every one missing is an error.
fn files(
    source: &Source,
    front: &FrontMatter,
    keys: &Lines,
    slug: &str,
    settings: &LoadSettings,
    bundle_files: Bundle,
) -> Result<Files, Vec<Diagnostic>> {
    let rel = &source.path.rel;
    let mut errors = Vec::new();
    let bundle_out = site_path(slug);
    let bundle = source
        .path
        .bundle
        .as_deref()
        .map(|dir| (dir, bundle_out.as_str()));
    let hero_image = match front.hero.as_ref().and_then(|h| h.image.as_deref()) {
        None => None,
        Some(image) => match resolve_asset(image, settings.root, bundle) {
            Ok(asset) => Some(asset),
            Err(problem) => {
                errors.push(
                    problem.diagnostic("hero image", image, "put the image beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`")
                        .at(keys.location(rel, "hero.image")),
                );
                None
            }
        },
    };
    let places = super::publication::Places {
        root: settings.root,
        bundle,
        links: settings.links,
    };
    let publication = match super::publication::load(front, keys, rel, &places) {
        Ok(publication) => publication,
        Err(problems) => {
            errors.extend(problems);
            Default::default()
        }
    };
    match errors.is_empty() {
        true => Ok(Files {
            hero_image,
            publication,
            assets: bundle_files.others,
            images: bundle_files.images,
        }),
        false => Err(errors),
    }
}

/// What does not stop the build: the body's warnings and images without alt text.
fn warnings(
    rendered: &markdown::Rendered,
    front: &FrontMatter,
    split: &Split,
    scan: &markdown::scan::Scan,
    keys: &Lines,
    rel: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = rendered
        .warnings
        .iter()
        .map(|w| super::body_warning(rel, w))
        .collect();
    warnings.extend(alt_warnings(front, split, scan, keys, rel));
    warnings
}

/// The brief from its checked parts (its warnings are added by [`load`]).
fn assemble(
    rel: &std::path::Path,
    slug: String,
    front: FrontMatter,
    keys: Lines,
    rendered: markdown::Rendered,
    files: Files,
    settings: &LoadSettings,
) -> Brief {
    let summary = front
        .summary
        .clone()
        .unwrap_or_else(|| rendered.first_paragraph.clone());
    let show_toc = front.toc.unwrap_or(rendered.toc_headings >= 2);
    let search = search_terms(&front, &summary, &rendered.text, settings);
    // Broken `@/` links of these are reported by `front_link_errors`.
    let linked = |text: &str| markdown::render_inline_linked(text, settings.links).0;
    let inline = |items: &[String]| items.iter().map(|t| linked(t)).collect();
    Brief {
        source: rel.to_path_buf(),
        slug,
        summary,
        body: super::body::Stored::held(super::body::Body {
            html: rendered.html,
            furniture: rendered.furniture,
            toc: markdown::toc::with_references(
                markdown::toc::with_back_matter(
                    rendered.toc,
                    !front.recommendations.is_empty(),
                    !rendered.notes.is_empty(),
                ),
                !rendered.citations.references.is_empty(),
            ),
            notes: rendered.notes,
        }),
        show_toc,
        references: rendered.citations.references,
        citations: rendered.citations.made,
        cited: Vec::new(),
        key_takeaways: inline(&front.key_takeaways),
        word_count: rendered.word_count,
        search,
        hero_image: files.hero_image,
        recommendations: inline(&front.recommendations),
        publication: files.publication,
        hero_caption: front
            .hero
            .as_ref()
            .and_then(|h| h.caption.as_deref())
            .map(linked),
        assets: files.assets,
        images: files.images,
        static_images: Vec::new(),
        hero_picture: None,
        card: None,
        social_card: None,
        warnings: Vec::new(),
        front,
        keys,
    }
}

/// The works this brief can cite, or `None` when neither it nor the site has a bibliography
/// (then `@` is never a citation) or its own cannot be read; and the problems found. A wrong
/// `nocite` key keeps the works, so that the body's citations are still checked.
fn works<'a>(
    source: &Source,
    front: &FrontMatter,
    keys: &Lines,
    settings: &LoadSettings<'a>,
) -> (Option<crate::bibliography::Works<'a>>, Vec<Diagnostic>) {
    let rel = &source.path.rel;
    let folder = rel.parent().unwrap_or(std::path::Path::new(""));
    let own = match crate::bibliography::read_brief_files(
        settings.root,
        folder,
        &front.bibliography.to_vec(),
        source.path.bundle.is_some(),
        &|i| keys.location(rel, &front.bibliography.key("bibliography", i)),
    ) {
        Ok(own) => own,
        Err(problems) => return (None, problems),
    };
    let works = crate::bibliography::Works {
        site: settings.citations,
        own,
        nocite: front.nocite.clone(),
        language: front
            .lang
            .clone()
            .unwrap_or_else(|| settings.language.to_string()),
    };
    let mut errors = Vec::new();
    for (i, key) in front.nocite.iter().enumerate() {
        if key != "*" && !markdown::citations::Engine::has(&works, key) {
            let close = works
                .suggest(key)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            errors.push(
                Diagnostic::new(Kind::FrontMatter, format!("nocite lists `{key}`, which is in no bibliography"))
                    .at(keys.location(rel, &format!("nocite[{i}]")))
                    .help(format!("{close}use a key of the site's or the brief's bibliography, or \"*\" for every work")),
            );
        }
    }
    ((!works.is_empty()).then_some(works), errors)
}

/// Fewest words and characters of a pull quote. A shorter one matches too many places to be
/// placed reliably (a one-letter quote matches any "a") and does not read as a quotation.
pub const PULL_QUOTE_MIN_WORDS: usize = 4;
pub const PULL_QUOTE_MIN_CHARS: usize = 20;

/// Pull quotes too short to place, and any listed twice (which would show twice).
fn pull_quote_errors(quotes: &[String], keys: &Lines, rel: &std::path::Path) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, quote) in quotes.iter().enumerate() {
        let plain = markdown::inline_text(quote);
        let plain = plain.trim();
        // An empty entry is reported as not found in the text.
        if plain.is_empty() {
            continue;
        }
        let at = keys.location(rel, &format!("pull_quotes[{i}]"));
        let words = plain.split_whitespace().count();
        if words < PULL_QUOTE_MIN_WORDS || plain.chars().count() < PULL_QUOTE_MIN_CHARS {
            errors.push(
                Diagnostic::new(Kind::PullQuote, format!("pull quote \"{quote}\" is too short"))
                    .at(at)
                    .help(format!(
                        "a pull quote repeats a whole phrase of the text: at least {PULL_QUOTE_MIN_WORDS} words and {PULL_QUOTE_MIN_CHARS} characters"
                    )),
            );
        } else if !seen.insert(quote_key(plain)) {
            errors.push(
                Diagnostic::new(
                    Kind::PullQuote,
                    format!("pull quote \"{quote}\" is listed twice"),
                )
                .at(at)
                .help("remove the second entry"),
            );
        }
    }
    errors
}

/// What two entries of one pull quote have in common: normalised text without closing
/// punctuation, as the quote is matched with.
fn quote_key(plain: &str) -> String {
    let normal = markdown::pull_quotes::normalize(plain);
    normal
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .to_lowercase()
}

/// The line of the entry `value` of the list `key` (its first, if listed twice); the key's
/// line if it is not there.
pub fn entry_line(list: &[String], value: &str, key: &str, keys: &Lines) -> usize {
    list.iter()
        .position(|v| v == value)
        .and_then(|i| keys.line(&format!("{key}[{i}]")))
        .or_else(|| keys.line(key))
        .unwrap_or(1)
}

/// Where the pull quote `quote` is listed (its first entry), for a quote not found in the text.
fn quote_location(quotes: &[String], quote: &str, keys: &Lines, rel: &std::path::Path) -> Location {
    match quotes.iter().position(|q| q == quote) {
        Some(i) => keys.location(rel, &format!("pull_quotes[{i}]")),
        None => keys.location(rel, "pull_quotes"),
    }
}

/// Every word of the brief for the search index, weighted by the field it is in.
fn search_terms(
    front: &FrontMatter,
    summary: &str,
    text: &str,
    settings: &LoadSettings,
) -> crate::search::Terms {
    use crate::search::terms::{META, SUBTITLE, SUMMARY, TITLE};
    let mut counts = crate::search::Counts::for_text(text.len());
    counts.add(&front.title, TITLE);
    if let Some(subtitle) = &front.subtitle {
        counts.add(subtitle, SUBTITLE);
    }
    let terms = front.topics.iter().chain(&front.regions);
    for value in terms.chain(&front.program).chain(&front.series) {
        counts.add(value, META);
    }
    counts.add(summary, SUMMARY);
    for line in front.key_takeaways.iter().chain(&front.recommendations) {
        counts.add(line, SUMMARY);
    }
    counts.add_text(text);
    let language = front.lang.as_deref().unwrap_or(settings.language);
    settings.lexicon.terms(language, counts)
}

/// Images a reader using a screen reader would miss: a hero image without `alt`, and body
/// images written `![](chart.png)`.
fn alt_warnings(
    front: &FrontMatter,
    split: &Split,
    scan: &markdown::scan::Scan,
    keys: &Lines,
    rel: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(hero) = &front.hero
        && hero.image.is_some()
        && hero.alt.as_deref().is_none_or(|a| a.trim().is_empty())
    {
        warnings.push(
            Diagnostic::warning(
                Kind::FrontMatter,
                "the hero image has no alt text; add alt = \"what the photo shows\" under [hero]",
            )
            .at_line(rel, keys.line("hero")),
        );
    }
    for &line in &scan.missing_alt {
        warnings.push(
            Diagnostic::warning(
                Kind::Markdown,
                "image without alt text; describe it between the brackets: ![A chart of …](file.png)",
            )
            .at_line(rel, Some(split.body_line + line - 1)),
        );
    }
    warnings
}

/// The CSV files of a bundle, by path inside it, for the brief's charts.
fn read_data(
    assets: &[(std::path::PathBuf, String)],
    bundle_out: &str,
    root: &std::path::Path,
    errors: &mut Vec<Diagnostic>,
) -> std::collections::BTreeMap<String, String> {
    let mut data = std::collections::BTreeMap::new();
    for (file, out) in assets {
        let is_csv = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if !is_csv {
            continue;
        }
        let display = crate::fsutil::relative(file, root);
        match crate::fsutil::read_text(file, &display) {
            Ok(text) => {
                let inner = out.strip_prefix(bundle_out).unwrap_or(out);
                data.insert(inner.to_string(), text);
            }
            Err(problem) => errors.push(problem),
        }
    }
    data
}

/// The bundle's images that [`crate::images`] publishes, each read to its header (an image that
/// cannot be read is an error naming it), and the other files, copied as they are.
#[allow(clippy::type_complexity)]
fn bundle_images(
    assets: &[(std::path::PathBuf, String)],
    bundle_out: &str,
    settings: &LoadSettings,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<crate::images::Job>, Vec<(std::path::PathBuf, String)>) {
    let root = settings.root;
    let mut images = Vec::new();
    let mut others = Vec::new();
    for (file, out) in assets {
        let name = out.strip_prefix(bundle_out).unwrap_or(out);
        if crate::images::Format::of(name).is_none() {
            others.push((file.clone(), out.clone()));
            continue;
        }
        match crate::images::probe(file, name, settings.images) {
            Ok(picture) => images.push(crate::images::Job {
                source: file.clone(),
                out_dir: bundle_out.to_string(),
                picture,
            }),
            Err(e) => errors.push(
                Diagnostic::new(Kind::Io, format!("could not read the image: {e}"))
                    .in_file(crate::fsutil::relative(file, root))
                    .help("open and save it again as JPEG, PNG or WebP, or remove it from the brief's folder"),
            ),
        }
    }
    (images, others)
}

/// The hero as published and the social card made from it.
#[derive(Default)]
struct HeroImages {
    picture: Option<crate::images::Job>,
    card: Option<crate::images::Card>,
}

/// The hero's image as a processed image (of the bundle, or of `static/`, probed here) and
/// its social card cropped around `focal_point`; nothing for an SVG, an address elsewhere or
/// a missing file (reported with the other files). A bad `focal_point` or an unreadable image
/// is an error.
fn hero_images(
    front: &FrontMatter,
    keys: &Lines,
    bundle: &Bundle,
    rel: &std::path::Path,
    settings: &LoadSettings,
) -> Result<HeroImages, Diagnostic> {
    let Some(hero) = &front.hero else {
        return Ok(HeroImages::default());
    };
    let focal = match &hero.focal_point {
        None => crate::images::Focal::default(),
        Some(value) => crate::images::Focal::parse(value).map_err(|problem| {
            Diagnostic::new(Kind::FrontMatter, problem)
                .at(keys.location(rel, "hero.focal_point"))
                .help(crate::images::focal::FOCAL_HELP)
        })?,
    };
    let Some(image) = hero.image.as_deref() else {
        return Ok(HeroImages::default());
    };
    let in_bundle = || {
        let name = markdown::responsive::bundle_name(image);
        bundle
            .images
            .iter()
            .find(|job| job.picture.name == name)
            .cloned()
    };
    // A path with `/` is in static/, so is a relative one in a brief without a bundle.
    let in_static = match image.strip_prefix('/') {
        Some(_) if image.starts_with("//") => None,
        Some(site_path) => Some(site_path),
        None if bundle.all.is_empty() && !image.contains("://") => Some(image),
        None => None,
    };
    let job = match in_static {
        Some(site_path) => {
            match crate::images::uses::job(settings.root, site_path, settings.images) {
                Some(Ok(job)) => Some(job),
                Some(Err(problem)) => {
                    return Err(crate::images::uses::unreadable(
                        problem,
                        settings.root,
                        site_path,
                        rel,
                    ));
                }
                None => None,
            }
        }
        None => in_bundle(),
    };
    let card = job.as_ref().map(|job| crate::images::Card {
        source: job.source.clone(),
        format: job.picture.format,
        site_path: crate::images::card_path(&bundle.out, &job.picture),
        focal,
    });
    Ok(HeroImages { picture: job, card })
}

/// Image extensions `brief check` looks for among a bundle's files.
const IMAGE_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "tif"];

/// Images of the bundle that neither the body, a figure nor the hero uses: left over from an
/// edit, they are published all the same.
fn unused_images(
    bundle: &Bundle,
    used: &std::collections::BTreeSet<String>,
    front: &FrontMatter,
    rel: &std::path::Path,
) -> Vec<Diagnostic> {
    let hero = front.hero.as_ref().and_then(|h| h.image.as_deref());
    bundle
        .all
        .iter()
        .filter(|(file, _)| {
            file.extension().is_some_and(|e| {
                IMAGE_EXTENSIONS
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            })
        })
        .filter_map(|(_, out)| out.strip_prefix(bundle.out.as_str()))
        .filter(|inner| !used.contains(*inner) && hero.map(|h| h.trim_start_matches("./")) != Some(*inner))
        .map(|inner| {
            Diagnostic::warning(
                Kind::Markdown,
                format!("the image `{inner}` in the brief's folder is used by nothing in the brief; it is published all the same"),
            )
            .in_file(rel)
        })
        .collect()
}

/// Every file in a bundle folder except its index.md, with its path in the output.
fn bundle_assets(dir: &std::path::Path, out: &str) -> Vec<(std::path::PathBuf, String)> {
    crate::ignored::site_files(dir)
        .filter(|e| !(e.depth() == 1 && e.file_name() == "index.md"))
        .filter_map(|e| {
            let inner = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((e.path().to_path_buf(), format!("{out}{inner}")))
        })
        .collect()
}
