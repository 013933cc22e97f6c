//! Every brief as a PDF, typeset by Typst as a library (issue 13).
//!
//! The layout is the theme's `pdf/brief.typ` (a site's own `pdf/` folder overrides any of its
//! files, as `templates/` does for pages); its fonts are the theme's `pdf/fonts/`. A brief
//! reaches the template as two generated files: `/brief.json` (title, authors, dates, labels
//! in the brief's language, takeaways, recommendations, citation, each rich field as Typst
//! markup) and `/body.typ` (the Markdown body as Typst markup, [`markup`]). Images of the site
//! are served at `/site/<site path>`.
//!
//! Typeset PDFs live in the cache folder `.brief-cache/pdf/` ([`cache`]), keyed by a hash of
//! everything the compile read, so a rebuild of an unchanged site typesets nothing; the build
//! copies them into place as `briefs/<slug>/<slug>.pdf`.

pub mod cache;
mod data;
pub mod markup;
mod world;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::content::publication::Download;
use crate::content::{Asset, Brief};
use crate::error::{Diagnostic, Errors, Kind, Location};
use crate::site::Site;
use crate::theme::Theme;

pub use world::Layer;
use world::{BriefWorld, Shared, SiteFiles, file_id, hex};

/// The typst release PDFs are made with: part of the cache key.
pub const TYPST_VERSION: &str = "0.15.1";
/// The template every PDF starts from, in the template folders.
pub const MAIN: &str = "brief.typ";
/// Briefs typeset between two evictions of Typst's memo cache, so memory stays flat.
const CHUNK: usize = 64;

/// What typesetting a site's briefs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub typeset: usize,
    pub reused: usize,
}

/// The template folders of a site: its own `pdf/`, then its theme's (on disk, or built in).
pub fn layers(root: &Path, theme_name: &str) -> Vec<Layer> {
    let mut layers = Vec::new();
    let site = root.join("pdf");
    if site.is_dir() {
        layers.push(Layer::Disk(site, "pdf".into()));
    }
    let theme = root.join("themes").join(theme_name).join("pdf");
    if theme.is_dir() {
        layers.push(Layer::Disk(theme, format!("themes/{theme_name}/pdf")));
    }
    // A theme on disk without pdf/ (written before PDFs) gets the built-in template.
    layers.push(Layer::Embedded);
    layers
}

/// A typeset PDF.
pub struct Made {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// The site files the compile read, with their hashes (for the cache).
    pub served: Vec<(String, String)>,
}

/// Typesets every brief that has no PDF of the editor's own, reusing cached PDFs, and records
/// each one in its brief's `publication.pdf` (so the page, JSON-LD and Scholar tags link it).
/// A brief whose PDF cannot be made is an error like any content error.
pub fn typeset_site(site: &mut Site, theme: &Theme) -> Result<Stats, Errors> {
    let shared = Shared::new(layers(&site.root, &site.config.theme));
    let cache = cache::Cache::new(&site.root);
    let todo: Vec<usize> = (0..site.briefs.len())
        .filter(|&i| needs_pdf(&site.briefs[i]))
        .collect();
    let stats = Mutex::new(Stats::default());
    let mut results: Vec<(usize, Result<Download, Diagnostic>)> = Vec::new();
    for chunk in todo.chunks(CHUNK) {
        let made: Vec<_> = chunk
            .par_iter()
            .map(|&i| {
                let result = one(site, theme, &shared, &cache, &site.briefs[i], &stats);
                (i, result)
            })
            .collect();
        results.extend(made);
        comemo::evict(2);
    }
    comemo::evict(0);
    let mut errors = Errors::default();
    // A template error stops every brief the same way: it is reported once.
    let mut seen = std::collections::HashSet::new();
    for (i, result) in results {
        match result {
            Ok(download) => site.briefs[i].publication.pdf = Some(download),
            Err(diagnostic) => {
                let key = format!("{:?}|{}", diagnostic.location, diagnostic.message);
                if diagnostic.kind != Kind::Template || seen.insert(key) {
                    errors.push(diagnostic);
                }
            }
        }
    }
    // A PDF the editor put in the bundle under the generated name is the brief's PDF.
    for brief in site.briefs.iter_mut() {
        if brief.publication.pdf.is_none() {
            let route = crate::outputs::routes::brief_pdf(&brief.slug);
            if let Some((disk, _)) = brief.assets.iter().find(|(_, out)| *out == route) {
                brief.publication.pdf = Some(Download {
                    asset: Asset::Local { site_path: route },
                    bytes: std::fs::metadata(disk).ok().map(|m| m.len()),
                    pages: None,
                    made: None,
                });
            }
        }
    }
    let stats = stats.into_inner().unwrap_or_default();
    errors.sorted().into_result(stats)
}

/// Whether brief makes this brief's PDF: not when its front matter names one (`pdf = ...`) or
/// its bundle holds `<slug>.pdf`.
fn needs_pdf(brief: &Brief) -> bool {
    let route = crate::outputs::routes::brief_pdf(&brief.slug);
    brief.publication.pdf.is_none() && !brief.assets.iter().any(|(_, out)| *out == route)
}

/// One brief: from the cache when its key matches, else typeset and stored.
fn one(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    cache: &cache::Cache,
    brief: &Brief,
    stats: &Mutex<Stats>,
) -> Result<Download, Diagnostic> {
    let inputs = data::inputs(site, theme, brief)?;
    let key = key(shared, &inputs);
    let source = site.root.join(&brief.source);
    let bundle = source.file_name().is_some_and(|n| n == "index.md");
    let site_files = SiteFiles {
        root: &site.root,
        bundle: &brief.assets,
        folder: source
            .parent()
            .filter(|_| bundle)
            .map(|dir| (dir.to_path_buf(), brief.site_path())),
    };
    let entry = match cache.lookup(&brief.slug, &key, &site_files) {
        Some(entry) => {
            if let Ok(mut s) = stats.lock() {
                s.reused += 1;
            }
            entry
        }
        None => {
            let made = typeset(shared, site_files, &inputs, brief)?;
            if let Ok(mut s) = stats.lock() {
                s.typeset += 1;
            }
            cache.store(&brief.slug, &key, &made)?
        }
    };
    Ok(Download {
        asset: Asset::Local {
            site_path: crate::outputs::routes::brief_pdf(&brief.slug),
        },
        bytes: Some(entry.bytes),
        pages: Some(entry.pages),
        made: Some(entry.path),
    })
}

/// The cache key of a brief's generated inputs with the template and fonts; the site files
/// read are checked separately ([`cache::Cache::lookup`]).
fn key(shared: &Shared, inputs: &data::Inputs) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("BRIEF_VERSION_LINE").as_bytes());
    hasher.update(TYPST_VERSION.as_bytes());
    hasher.update(shared.hash);
    hasher.update(&inputs.json);
    hasher.update(inputs.body.as_bytes());
    hasher.update(inputs.ident.as_bytes());
    hex(&hasher.finalize())
}

/// Compiles and exports one brief.
fn typeset(
    shared: &Shared,
    site: SiteFiles,
    inputs: &data::Inputs,
    brief: &Brief,
) -> Result<Made, Diagnostic> {
    let main = file_id(&format!("/{MAIN}"));
    let mut generated = HashMap::new();
    generated.insert(file_id("/brief.json"), Bytes::new(inputs.json.clone()));
    generated.insert(
        file_id("/body.typ"),
        Bytes::from_string(inputs.body.clone()),
    );
    let date = brief.front.date.0;
    let world = BriefWorld {
        shared,
        main,
        generated,
        site,
        date: Datetime::from_ymd(
            i32::from(date.year()),
            date.month().unsigned_abs(),
            date.day().unsigned_abs(),
        )
        .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("a valid date")),
        served: Mutex::new(Vec::new()),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    let doc = compiled
        .output
        .map_err(|errors| report(&world, shared, brief, &errors))?;
    let options = PdfOptions {
        ident: Smart::Custom(inputs.ident.clone()),
        timestamp: None,
        standards: PdfStandards::new(&[PdfStandard::V_1_7, PdfStandard::Ua_1])
            .expect("PDF 1.7 and PDF/UA-1 go together"),
        tagged: true,
        ..Default::default()
    };
    let bytes =
        typst_pdf::pdf(&doc, &options).map_err(|errors| report(&world, shared, brief, &errors))?;
    let served = world.served.into_inner().unwrap_or_default();
    Ok(Made {
        pages: doc.pages().len(),
        bytes,
        served,
    })
}

/// Typst's errors as one diagnostic: at the template file, line and column when the first
/// error is in a template; at the brief otherwise (its text made markup Typst refused, a
/// character no font has).
fn report(
    world: &BriefWorld,
    shared: &Shared,
    brief: &Brief,
    errors: &[SourceDiagnostic],
) -> Diagnostic {
    let errors: Vec<&SourceDiagnostic> = errors
        .iter()
        .filter(|e| e.severity == Severity::Error)
        .collect();
    let first = errors.first();
    let message = first.map_or_else(|| "Typst failed".to_string(), |e| e.message.to_string());
    let mut detail: Vec<String> = errors
        .iter()
        .skip(1)
        .map(|e| format!("also: {}", e.message))
        .collect();
    for hint in first.iter().flat_map(|e| e.hints.iter()) {
        detail.push(format!("hint: {}", hint.v));
    }
    let location = first.and_then(|e| template_location(world, shared, e));
    let mut diagnostic = Diagnostic::new(
        if location.is_some() {
            Kind::Template
        } else {
            Kind::Markdown
        },
        format!("the PDF of this brief could not be typeset: {message}"),
    );
    diagnostic = match location {
        Some(location) => diagnostic
            .at(location)
            .help(format!(
                "fix the PDF template at the line shown (typesetting briefs/{}/{}.pdf); https://typst.app/docs/ documents the syntax",
                brief.slug, brief.slug
            )),
        None => diagnostic.in_file(&brief.source).help(
            "check the brief's text for characters the PDF fonts lack, or set pdf = false in config.toml",
        ),
    };
    if !detail.is_empty() {
        diagnostic = diagnostic.detail(detail.join("\n"));
    }
    diagnostic
}

/// Where a Typst error is, when it is in a template file (not the generated ones).
fn template_location(
    world: &BriefWorld,
    shared: &Shared,
    error: &SourceDiagnostic,
) -> Option<Location> {
    let id = error.span.id()?;
    if world.generated.contains_key(&id) {
        return None;
    }
    let path = id.vpath().get_without_slash().to_string();
    let (_, origin) = shared.template_file(&path)?;
    let range = world.range(error.span)?;
    let source = typst::World::source(world, id).ok()?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    Some(Location::at(PathBuf::from(origin), line + 1, column + 1))
}

/// The PDFs of a site are copied from the cache into the output: the files to copy, as
/// (site path, cached file).
pub fn made_files(site: &Site) -> Vec<(String, PathBuf)> {
    site.briefs
        .iter()
        .filter_map(|b| {
            let pdf = b.publication.pdf.as_ref()?;
            let made = pdf.made.clone()?;
            match &pdf.asset {
                Asset::Local { site_path } => Some((site_path.clone(), made)),
                Asset::External(_) => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_load() {
        let shared = Shared::new(vec![Layer::Embedded]);
        assert!(shared.font_count() >= 8, "{}", shared.font_count());
        assert!(shared.template_file(MAIN).is_some());
    }
}
