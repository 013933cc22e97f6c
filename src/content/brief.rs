//! A brief: its front matter, and the brief as loaded from one file.

use serde::Deserialize;

use super::frontmatter::{self, Lines, PubDate, Split};
use super::{Asset, Source, resolve_asset};
use crate::error::{Diagnostic, Kind, Location};
use crate::markdown::{self, Note, RenderSettings, TocEntry, render_inline};

/// The keys a brief's front matter may set.
#[derive(Debug, Clone, Deserialize)]
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
    #[serde(default)]
    pub extra: toml::Table,
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
    "extra",
];

/// The `[hero]` table: the photo at the top of a brief.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeroFields {
    pub image: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

const HERO_KEYS: &[&str] = &["image", "alt", "caption", "credit"];

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
    pub body: String,
    /// Byte ranges of `body` that only the page shows (sidenotes, heading links, pull quotes).
    pub furniture: Vec<std::ops::Range<usize>>,
    pub toc: Vec<TocEntry>,
    pub show_toc: bool,
    pub notes: Vec<Note>,
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
    /// Files of a bundle other than index.md, as (file on disk, path in the output).
    pub assets: Vec<(std::path::PathBuf, String)>,
    pub warnings: Vec<Diagnostic>,
}

impl Brief {
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
    let (front, keys) = read_front(source, &split)?;
    let slug = slug::slugify(front.slug.clone().unwrap_or_else(|| source.path.stem()));
    let mut errors = super::control::errors(&source.text, &split, &keys, rel);
    errors.extend(front_errors(&front, &keys, &slug, rel, settings));
    let rendered = render_body(&split, &front, settings);
    errors.extend(body_errors(&rendered, &split, &front, &keys, rel, settings));
    let files = match files(source, &front, &keys, &slug, settings) {
        Ok(files) if errors.is_empty() => files,
        Ok(_) => return Err(errors),
        Err(problems) => {
            errors.extend(problems);
            return Err(errors);
        }
    };
    let warnings = warnings(&rendered, &front, &split, &keys, rel);
    let brief = assemble(rel, slug, front, keys, rendered, files, settings);
    Ok(Brief { warnings, ..brief })
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
    if front.authors.is_empty() {
        errors.push(
            Diagnostic::new(Kind::FrontMatter, "a brief needs at least one author")
                .at(keys.location(rel, "authors"))
                .help("list author ids, the file names in content/authors/, e.g. authors = [\"jane-doe\"]"),
        );
    }
    errors
}

/// The Markdown body rendered through every pass (notes, pull quotes, links, headings…).
fn render_body(split: &Split, front: &FrontMatter, settings: &LoadSettings) -> markdown::Rendered {
    markdown::render(
        split.body,
        &RenderSettings {
            toc_depth: settings.toc_depth,
            pull_quotes: &front.pull_quotes,
            links: settings.links,
            id_prefix: "",
            markup: settings.markup,
        },
    )
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
}

/// Finds the files the front matter names (beside the brief in a bundle, or under static/)
/// and the bundle's own files; every one missing is an error.
fn files(
    source: &Source,
    front: &FrontMatter,
    keys: &Lines,
    slug: &str,
    settings: &LoadSettings,
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
    };
    let publication = match super::publication::load(front, keys, rel, &places) {
        Ok(publication) => publication,
        Err(problems) => {
            errors.extend(problems);
            Default::default()
        }
    };
    let assets = match &source.path.bundle {
        Some(dir) => bundle_assets(dir, &bundle_out),
        None => Vec::new(),
    };
    match errors.is_empty() {
        true => Ok(Files {
            hero_image,
            publication,
            assets,
        }),
        false => Err(errors),
    }
}

/// What does not stop the build: the body's warnings and images without alt text.
fn warnings(
    rendered: &markdown::Rendered,
    front: &FrontMatter,
    split: &Split,
    keys: &Lines,
    rel: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = rendered
        .warnings
        .iter()
        .map(|w| super::body_warning(rel, w))
        .collect();
    warnings.extend(alt_warnings(front, split, keys, rel));
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
    let inline = |items: &[String]| items.iter().map(|t| render_inline(t)).collect();
    Brief {
        source: rel.to_path_buf(),
        slug,
        summary,
        body: rendered.html,
        furniture: rendered.furniture,
        toc: markdown::toc::with_back_matter(
            rendered.toc,
            !front.recommendations.is_empty(),
            !rendered.notes.is_empty(),
        ),
        show_toc,
        notes: rendered.notes,
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
            .map(render_inline),
        assets: files.assets,
        warnings: Vec::new(),
        front,
        keys,
    }
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
    let mut counts = crate::search::Counts::default();
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
    for line in markdown::images::missing_alt(split.body) {
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
