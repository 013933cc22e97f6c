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

pub mod background;
pub mod cache;
mod data;
mod glyphs;
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
use crate::i18n::Catalog;
use crate::site::Site;

pub use world::Layer;
use world::{BriefWorld, Shared, SiteFiles, file_id, hex};

/// The typst release PDFs are made with: part of the cache key.
pub const TYPST_VERSION: &str = "0.15.1";
/// The template every PDF starts from, in the template folders.
pub const MAIN: &str = "brief.typ";
/// Briefs typeset per thread between two evictions of Typst's memo cache, so memory stays
/// flat: each brief's layout stays memoized until evicted (64 briefs a chunk with the last two
/// chunks kept took 865 MB for 1,000 briefs).
const CHUNK_PER_THREAD: usize = 4;

/// What typesetting a site's briefs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub typeset: usize,
    pub reused: usize,
    /// The CPU time typesetting took per brief typeset (on all threads, divided by the briefs
    /// typeset), for the build's report: it says what typesetting costs even on a busy machine.
    pub cpu_per_brief: Option<std::time::Duration>,
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
    /// Why the PDF is not PDF/UA-1, when it could not be.
    pub standard_dropped: Option<String>,
}

/// What typesetting did, and the PDFs it made, waiting for the build to succeed.
pub struct Typeset {
    pub stats: Stats,
    /// PDFs typeset short of the design (not PDF/UA-1, without images), or not at all.
    pub warnings: Vec<Diagnostic>,
    /// The briefs left without a PDF because theirs is not in the cache
    /// ([`Mode::CachedOnly`]), by slug.
    pub missing: std::collections::BTreeSet<String>,
    pending: cache::Pending,
}

/// Whether a brief whose PDF is not in the cache is typeset now, or left without a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `brief build`, and serve's background worker.
    Typeset,
    /// `serve`'s rebuilds: the page must not wait for Typst, so the missing PDFs are left to
    /// the background worker ([`background`]) and listed in [`Typeset::missing`].
    CachedOnly,
}

impl Typeset {
    /// Keeps the PDFs made in the cache: called once the build's output is committed.
    pub fn keep(self) {
        self.pending.keep();
    }

    /// Keeps the PDFs made in the cache and points the briefs at them there (`serve` keeps its
    /// site between rebuilds).
    pub fn keep_for(self, site: &mut Site) {
        for brief in site.briefs.iter_mut() {
            if let Some(made) = brief.publication.pdf.as_mut().and_then(|p| p.made.as_mut())
                && self.pending.holds(made)
            {
                *made = self.pending.kept_path(made);
            }
        }
        self.pending.keep();
    }
}

/// Typesets every brief (or only the briefs whose slugs are in `only`) that has no PDF of the
/// editor's own, reusing cached PDFs, and records each one in its brief's `publication.pdf`
/// (so the page, JSON-LD and Scholar tags link it). A brief whose PDF cannot be PDF/UA-1, or
/// whose images Typst cannot use, is typeset without them, with a warning; only an error of
/// the template itself stops the build.
pub fn typeset_site(
    site: &mut Site,
    i18n: &Catalog,
    only: Option<&std::collections::BTreeSet<String>>,
    mode: Mode,
) -> Result<Typeset, Errors> {
    let shared = Shared::new(layers(&site.root, &site.config.theme))?;
    let cache = cache::Cache::new(&site.root);
    if only.is_none() {
        // A whole site (`brief build`, serve's start and full rebuilds): a killed build's
        // PDFs are cleared away first.
        cache.sweep();
    }
    let pending = cache.pending();
    let todo: Vec<usize> = (0..site.briefs.len())
        .filter(|&i| only.is_none_or(|slugs| slugs.contains(&site.briefs[i].slug)))
        .filter(|&i| needs_pdf(&site.briefs[i]))
        .collect();
    let started = crate::memory::cpu_time();
    let stats = Mutex::new(Stats::default());
    let mut results: Vec<(usize, Result<Outcome, Diagnostic>)> = Vec::new();
    let chunk_size = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    for chunk in todo.chunks(chunk_size) {
        let made: Vec<_> = chunk
            .par_iter()
            .map(|&i| {
                let brief = &site.briefs[i];
                let result = one(site, i18n, &shared, &cache, &pending, brief, &stats, mode);
                (i, result)
            })
            .collect();
        results.extend(made);
        // Nothing of one brief's layout serves the next; the template's evaluation, which
        // would, is a few milliseconds.
        comemo::evict(0);
    }
    comemo::evict(0);
    let mut errors = Errors::default();
    let mut warnings = Vec::new();
    let mut missing = std::collections::BTreeSet::new();
    // A template error stops every brief the same way: it is reported once.
    let mut seen = std::collections::HashSet::new();
    for (i, result) in results {
        match result {
            Ok(outcome) => {
                if outcome.missing {
                    missing.insert(site.briefs[i].slug.clone());
                }
                site.briefs[i].publication.pdf = outcome.download;
                warnings.extend(outcome.warning);
            }
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
    let mut stats = stats.into_inner().unwrap_or_default();
    let spent = crate::memory::cpu_time().saturating_sub(started);
    stats.cpu_per_brief = u32::try_from(stats.typeset)
        .ok()
        .filter(|&n| n > 0)
        .map(|n| spent / n);
    let typeset = Typeset {
        stats,
        warnings,
        missing,
        pending,
    };
    errors.sorted().into_result(typeset)
}

/// Whether brief makes this brief's PDF: not when its front matter names one (`pdf = ...`) or
/// its bundle holds `<slug>.pdf`. One typeset before (`serve` keeps its site between
/// rebuilds) is made again: its author may have changed.
fn needs_pdf(brief: &Brief) -> bool {
    let route = crate::outputs::routes::brief_pdf(&brief.slug);
    let own = brief
        .publication
        .pdf
        .as_ref()
        .is_some_and(|p| p.made.is_none());
    !own && !brief.assets.iter().any(|(_, out)| *out == route)
}

/// A brief's PDF (none when even the fallback failed), and the warning saying how it fell
/// short.
struct Outcome {
    download: Option<Download>,
    warning: Option<Diagnostic>,
    /// Not in the cache, and not typeset ([`Mode::CachedOnly`]).
    missing: bool,
}

/// One brief: from the cache when its key matches, else typeset and stored (or, in
/// [`Mode::CachedOnly`], left without a PDF).
#[allow(clippy::too_many_arguments)]
fn one(
    site: &Site,
    i18n: &Catalog,
    shared: &Shared,
    cache: &cache::Cache,
    pending: &cache::Pending,
    brief: &Brief,
    stats: &Mutex<Stats>,
    mode: Mode,
) -> Result<Outcome, Diagnostic> {
    let inputs = data::inputs(site, i18n, brief, true)?;
    let key = key(shared, &inputs);
    let source = site.root.join(&brief.source);
    let bundle = source.file_name().is_some_and(|n| n == "index.md");
    let site_files = || SiteFiles {
        root: &site.root,
        bundle: &brief.assets,
        folder: source
            .parent()
            .filter(|_| bundle)
            .map(|dir| (dir.to_path_buf(), brief.site_path())),
    };
    let entry = match cache.lookup(&brief.slug, &key, &site_files()) {
        Some(entry) => {
            if let Ok(mut s) = stats.lock() {
                s.reused += 1;
            }
            entry
        }
        None if mode == Mode::CachedOnly => {
            return Ok(Outcome {
                download: None,
                warning: None,
                missing: true,
            });
        }
        None => {
            let (mut made, warning) = match typeset(shared, site_files(), &inputs, brief) {
                Ok(made) => (made, None),
                Err(failed) => {
                    // Without images (the logo, the hero, the body's), so an image Typst
                    // cannot read or decode costs the PDF only that image.
                    let plain = data::inputs(site, i18n, brief, false)?;
                    match typeset(shared, site_files(), &plain, brief) {
                        Ok(mut made) => {
                            // The first try's reads too: the missing image, once added,
                            // makes the PDF again.
                            made.served.extend(failed.served);
                            let warning =
                                format!("its images are left out of the PDF: {}", failed.message);
                            (made, Some(warning))
                        }
                        Err(again) => {
                            return match again.location {
                                Some(_) => Err(again.error(brief)),
                                None => Ok(Outcome {
                                    download: None,
                                    warning: Some(again.warning(brief, "no PDF was made")),
                                    missing: false,
                                }),
                            };
                        }
                    }
                }
            };
            let warning = match (warning, made.standard_dropped.take()) {
                (None, None) => None,
                (w, u) => Some(w.into_iter().chain(u).collect::<Vec<_>>().join("; ")),
            };
            if let Ok(mut s) = stats.lock() {
                s.typeset += 1;
            }
            pending.store(&brief.slug, &key, &made, warning)?
        }
    };
    let warning = entry.warning.as_ref().map(|w| {
        Diagnostic::warning(
            Kind::Markdown,
            format!("the PDF of this brief is not as designed: {w}"),
        )
        .in_file(&brief.source)
        .help("fix the brief as the message says; the page itself is not affected")
    });
    Ok(Outcome {
        download: Some(Download {
            asset: Asset::Local {
                site_path: crate::outputs::routes::brief_pdf(&brief.slug),
            },
            bytes: Some(entry.bytes),
            pages: Some(entry.pages),
            made: Some(entry.path),
        }),
        warning,
        missing: false,
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

/// A compile or export that failed: Typst's first error, where it is when that is in a
/// template file, and the site files the compile read.
struct Failed {
    message: String,
    detail: Vec<String>,
    location: Option<Location>,
    served: Vec<(String, String)>,
}

impl Failed {
    /// An error of the template: at its file, line and column.
    fn error(self, brief: &Brief) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(
            Kind::Template,
            format!(
                "the PDF of this brief could not be typeset: {}",
                self.message
            ),
        );
        if let Some(location) = self.location {
            diagnostic = diagnostic.at(location);
        }
        diagnostic = diagnostic.help(format!(
            "fix the PDF template at the line shown (typesetting briefs/{}/{}.pdf); https://typst.app/docs/ documents the syntax",
            brief.slug, brief.slug
        ));
        if !self.detail.is_empty() {
            diagnostic = diagnostic.detail(self.detail.join("\n"));
        }
        diagnostic
    }

    /// A problem of the brief's own text: a warning at the brief.
    fn warning(self, brief: &Brief, outcome: &str) -> Diagnostic {
        let mut diagnostic = Diagnostic::warning(
            Kind::Markdown,
            format!("{outcome}: {}", self.message),
        )
        .in_file(&brief.source)
        .help("check the brief's text for characters the PDF fonts lack, or set pdf = false in config.toml");
        if !self.detail.is_empty() {
            diagnostic = diagnostic.detail(self.detail.join("\n"));
        }
        diagnostic
    }
}

/// Compiles and exports one brief: as PDF/UA-1, else (a heading without text, an image
/// without alt text, a character no font has) as plain tagged PDF, saying why in
/// [`Made::standard_dropped`].
fn typeset(
    shared: &Shared,
    site: SiteFiles,
    inputs: &data::Inputs,
    brief: &Brief,
) -> Result<Made, Box<Failed>> {
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
    let failed = |world: &BriefWorld, errors: &[SourceDiagnostic]| {
        let served = world.served.lock().map(|s| s.clone()).unwrap_or_default();
        report(world, shared, errors, served)
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    let doc = compiled.output.map_err(|errors| failed(&world, &errors))?;
    let options = |standards: &[PdfStandard]| PdfOptions {
        ident: Smart::Custom(inputs.ident.clone()),
        timestamp: None,
        standards: PdfStandards::new(standards).expect("PDF 1.7 and PDF/UA-1 go together"),
        tagged: true,
        ..Default::default()
    };
    let mut standard_dropped = None;
    let exported = typst_pdf::pdf(&doc, &options(&[PdfStandard::V_1_7, PdfStandard::Ua_1]));
    let bytes = match exported {
        Ok(bytes) => bytes,
        Err(errors) => {
            // Letters without a font are the likely cause, and Typst names only the first.
            let why = glyphs::missing(&doc).unwrap_or_else(|| failed(&world, &errors).message);
            standard_dropped = Some(format!("it is not PDF/UA-1 (accessible): {why}"));
            typst_pdf::pdf(&doc, &options(&[PdfStandard::V_1_7]))
                .map_err(|errors| failed(&world, &errors))?
        }
    };
    let served = world.served.into_inner().unwrap_or_default();
    Ok(Made {
        pages: doc.pages().len(),
        bytes,
        served,
        standard_dropped,
    })
}

/// Typst's errors, the first one located when it is in a template file.
fn report(
    world: &BriefWorld,
    shared: &Shared,
    errors: &[SourceDiagnostic],
    served: Vec<(String, String)>,
) -> Box<Failed> {
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
    Box::new(Failed {
        message,
        detail,
        location: first.and_then(|e| template_location(world, shared, e)),
        served,
    })
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

/// The PDFs of `briefs` are copied from the cache into the output: the files to copy, as
/// (site path, cached file).
pub fn made_files<'a>(briefs: impl Iterator<Item = &'a Brief>) -> Vec<(String, PathBuf)> {
    briefs
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
        let shared = Shared::new(vec![Layer::Embedded]).expect("the built-in fonts load");
        assert!(shared.font_count() >= 8, "{}", shared.font_count());
        assert!(shared.template_file(MAIN).is_some());
    }
}
