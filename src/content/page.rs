//! A plain page (about, contact): `content/pages/<slug>.md`, published at `/<slug>/`.

use serde::Deserialize;

use super::{Source, frontmatter};
use crate::error::{Diagnostic, Kind};
use crate::markdown::{self, Note, RenderSettings};

/// The keys a page's front matter may set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    /// Old addresses of this page, each given a redirect page.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
}

pub const KEYS: &[&str] = &[
    "title", "summary", "draft", "slug", "template", "aliases", "extra",
];

/// The keys a page's front matter may set, for [`frontmatter::read`].
pub const SCHEMA: frontmatter::Schema = frontmatter::Schema {
    keys: KEYS,
    tables: &[],
};

/// A page, parsed and rendered.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub source: std::path::PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// The page's footnotes, shown as endnotes by page.html.
    pub notes: Vec<Note>,
    /// Problems that do not stop the build, each starting with the file.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// The images of `static/` the body shows, published in several widths.
    pub images: Vec<crate::images::Job>,
}

impl Page {
    pub fn site_path(&self) -> String {
        crate::outputs::routes::page(&self.slug)
    }
}

/// Where a page's images are: the site root and how images are published.
pub struct ImagePlaces<'a> {
    pub root: &'a std::path::Path,
    pub settings: &'a crate::images::Settings,
}

/// Parses one page file.
pub fn load(
    source: &Source,
    has_template: &(dyn Fn(&str) -> bool + Sync),
    links: &crate::markdown::links::LinkMap,
    markup: &crate::markdown::fragments::Markup,
    images: &ImagePlaces,
) -> Result<Page, Vec<Diagnostic>> {
    let rel = &source.path.rel;
    let split = frontmatter::split(&source.text, rel).map_err(|d| vec![d])?;
    let (front, keys): (FrontMatter, _) = frontmatter::read(&source.text, &split, rel, &SCHEMA)?;
    let slug = slug::slugify(front.slug.clone().unwrap_or_else(|| source.path.stem()));
    let mut errors = super::control::errors(&source.text, &split, &keys, rel);
    if slug.is_empty() {
        errors.push(
            Diagnostic::new(Kind::FrontMatter, "a page cannot be published at //")
                .in_file(rel)
                .help("give the page a file name or a `slug` key with letters or digits"),
        );
    }
    // Reserved by the routes of the site's own outputs (crate::outputs::routes).
    if let Some(what) = crate::outputs::routes::reserved_page_slug(&slug) {
        errors.push(
            Diagnostic::new(Kind::DuplicateSlug, format!("page slug `{slug}` is {what}"))
                .in_file(rel)
                .help("give the page another file name or a `slug` key in its front matter"),
        );
    }
    if let Some(template) = &front.template
        && !has_template(template)
    {
        let at = keys.location(rel, "template");
        errors.push(
            Diagnostic::new(Kind::Template, format!("template `{template}` does not exist"))
                .at(at)
                .help("add it to the site's templates/ folder, or remove the `template` key to use page.html"),
        );
    }
    errors.extend(super::aliases::errors(
        &front.aliases,
        |alias| super::brief::entry_line(&front.aliases, alias, "aliases", &keys),
        rel,
    ));
    let scan = markdown::scan::scan(split.body);
    let statics = crate::images::uses::in_body(&scan, images.root, images.settings, links, rel);
    errors.extend(statics.errors);
    let rendered = markdown::render(
        split.body,
        &RenderSettings {
            toc_depth: 2,
            pull_quotes: &[],
            links,
            id_prefix: "",
            markup,
            figures: markdown::figures::Inputs {
                pictures: &statics.pictures,
                // A page has no hero: its first image is the first a reader sees.
                eager_first: true,
                ..Default::default()
            },
        },
    );
    errors.extend(links.diagnostics(&rendered.broken_links, rel, split.body, split.body_line));
    errors.extend(markdown::headings::diagnostics(
        &rendered.bad_ids,
        rel,
        split.body,
        split.body_line,
    ));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Page {
        slug,
        source: rel.clone(),
        front,
        body: rendered.html,
        notes: rendered.notes,
        warnings: rendered
            .warnings
            .iter()
            .map(|w| super::body_warning(rel, w))
            .chain(statics.jobs.iter().filter_map(|job| {
                images.settings.size_warning(
                    &job.source,
                    &crate::fsutil::relative(&job.source, images.root),
                )
            }))
            .collect(),
        images: statics.jobs,
    })
}
