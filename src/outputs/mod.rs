//! Every file a site publishes, in one list: [`OUTPUTS`].
//!
//! Each entry is one kind of output: its route (where it is published, spelled in
//! [`routes`]), the function that renders it and hands each file to a [`Sink`] as soon as it
//! is made (so a build holds only the files in flight, never the whole site), and when an
//! incremental rebuild must write it again ([`Refresh`]). The callers:
//!
//! - `brief build` writes every entry into its staging folder through a [`Guard`], which
//!   refuses a static file or an alias published over another output;
//! - `brief serve` writes, after an edit to one brief or author, the entries that depend on it
//!   ([`Scope::Shown`], with the pages from [`affected`]) into the served folder;
//! - `brief check` builds every entry into a scratch folder and inspects the files there.
//!
//! A new kind of output (a PDF per brief, image variants, chart downloads) is one more entry
//! in [`OUTPUTS`] and, if it has a fixed address, one more route in [`routes`], which also
//! reserves it against page slugs and aliases.
//!
//! [`routes`] and [`pages`] depend on the site model only; `render` and `seo` use them, and
//! only the writers here use `render` and `seo`, so there is no import cycle between files.

pub mod affected;
mod guard;
pub mod pages;
pub mod routes;
mod writers;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::assets::Assets;
use crate::error::{Diagnostic, Errors};
use crate::redirects::Alias;
use crate::render::Renderer;
use crate::site::Site;
use crate::theme::{StaticFile, StaticSource, Theme};

pub use guard::Guard;
pub use pages::{Job, jobs};

/// One kind of output a site has.
pub struct Output {
    /// What it is, for people: "pages", "feeds", …
    pub name: &'static str,
    /// Where its files are published (see [`routes`]).
    pub route: &'static str,
    /// When an incremental rebuild writes it again.
    pub refresh: Refresh,
    /// What a build's report counts its files as.
    pub tally: Tally,
    /// Renders the files of `scope` and hands each to the sink; returns how many it wrote.
    pub write: fn(&Inputs, &Scope, &dyn Sink) -> Result<usize, Errors>,
}

/// When an incremental rebuild (one brief or author edited in place) writes an output again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Only in a full build: it depends on config, the theme or static files, any change to
    /// which is a full rebuild.
    FullBuild,
    /// For the pages showing the edit: the pages themselves, files made per page, and the
    /// feeds listing the edit.
    Shown,
    /// Always: it lists every brief (its text, title, authors or dates), and is cheap.
    Always,
}

/// How a build's report counts an output's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Page,
    /// A static file, as copied or as rewritten (minified, renamed by hash).
    Copied,
    File,
}

/// Every output, in the order written. Order matters twice: `robots.txt` is written before
/// the static files, so that a site's own `static/robots.txt` replaces it; and redirect pages
/// come after everything else brief generates, so that the [`Guard`] can tell an alias
/// published over another output, and static files last, for the same reason.
pub const OUTPUTS: &[Output] = &[
    Output {
        name: "pages",
        route: "index.html, 404.html, briefs/<slug>/, authors/<id>/, <kind>/<slug>/, <page>/, search/ (lists paginated as page/<n>/)",
        refresh: Refresh::Shown,
        tally: Tally::Page,
        write: writers::pages,
    },
    Output {
        name: "feeds",
        route: "feed.xml, <kind>/<slug>/feed.xml, authors/<id>/feed.xml",
        refresh: Refresh::Shown,
        tally: Tally::File,
        write: writers::feeds,
    },
    Output {
        name: "sitemap",
        route: "sitemap.xml (and sitemap-<n>.xml past 50,000 addresses)",
        refresh: Refresh::Always,
        tally: Tally::File,
        write: writers::sitemap,
    },
    Output {
        name: "citation files",
        route: "briefs/<slug>/<slug>.bib, briefs/<slug>/<slug>.ris (with citation_files = true)",
        refresh: Refresh::Shown,
        tally: Tally::File,
        write: writers::citation_files,
    },
    Output {
        name: "PDFs",
        route: "briefs/<slug>/<slug>.pdf (typeset by `brief build`, copied from .brief-cache/pdf/)",
        refresh: Refresh::Shown,
        tally: Tally::File,
        write: writers::pdfs,
    },
    Output {
        name: "search index",
        route: "search/meta.json, search/{words,postings,docs,filters}/…",
        refresh: Refresh::Always,
        tally: Tally::File,
        write: writers::search_index,
    },
    Output {
        name: "robots.txt",
        route: "robots.txt",
        refresh: Refresh::FullBuild,
        tally: Tally::File,
        write: writers::robots,
    },
    Output {
        name: "rewritten assets",
        route: "<static path>, minified or renamed <name>.<hash>.<ext>",
        refresh: Refresh::FullBuild,
        tally: Tally::Copied,
        write: writers::rewritten_assets,
    },
    Output {
        name: "images",
        route: "briefs/<slug>/<image> and <static image>, each as <image>-<width>.<ext> and .webp; briefs/<slug>/<hero>-card.jpg (crate::images)",
        refresh: Refresh::Shown,
        tally: Tally::File,
        write: writers::images,
    },
    Output {
        name: "redirect pages",
        route: "<alias>/index.html, _redirects",
        refresh: Refresh::Always,
        tally: Tally::File,
        write: writers::redirects,
    },
    Output {
        name: "static files",
        route: "<static path> (the theme's static/, then the site's)",
        refresh: Refresh::FullBuild,
        tally: Tally::Copied,
        write: writers::static_files,
    },
    Output {
        name: "bundle files",
        route: "briefs/<slug>/<file> (the files beside a bundle's index.md)",
        refresh: Refresh::FullBuild,
        tally: Tally::Copied,
        write: writers::bundle_files,
    },
];

/// Which outputs to write.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every output: a full build.
    All,
    /// After an edit in place: the pages and feeds with these output paths (from
    /// [`affected`]), the files made for the pages, and the outputs that list every brief.
    Shown(BTreeSet<String>),
}

impl Scope {
    /// Whether the page written at `output_path` is to be written.
    pub fn includes_page(&self, output_path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Shown(paths) => paths.contains(output_path),
        }
    }

    /// Whether `job`'s page is to be written. A brief's is found among the few shown paths
    /// without making its own path (two allocations for each of a large site's briefs, once
    /// per output, were half of a one-brief rebuild in `brief serve`).
    pub fn includes_job(&self, job: &Job) -> bool {
        match (self, job) {
            (Scope::All, _) => true,
            (Scope::Shown(paths), Job::Brief(b)) => {
                paths.iter().any(|p| routes::is_brief_page(p, &b.slug))
            }
            (Scope::Shown(paths), job) => paths.contains(&job.output_path()),
        }
    }

    fn includes(&self, refresh: Refresh) -> bool {
        matches!(self, Scope::All) || refresh != Refresh::FullBuild
    }
}

/// One generated file handed to a [`Sink`].
#[derive(Debug, Clone, Copy)]
pub struct OutputFile<'a> {
    pub site_path: &'a str,
    pub what: What<'a>,
}

/// What a generated file is, for a message about something published over it.
#[derive(Debug, Clone, Copy)]
pub enum What<'a> {
    /// An HTML page, and the file it shows (a brief's, a page's, an author's first page).
    Page(Option<&'a Path>),
    /// A feed, sitemap, citation file, search index file or robots.txt.
    Generated,
    /// A static file as rewritten (minified, renamed by hash): it stands for the static file.
    Asset,
    /// The redirect page of an alias.
    Redirect(&'a Alias<'a>),
    /// `_redirects`.
    RedirectList,
}

/// Where outputs go as they are made: a staging folder, or the served folder.
pub trait Sink: Sync {
    /// Writes one generated file.
    fn write(&self, file: OutputFile, bytes: &[u8]) -> Result<(), Diagnostic>;

    /// Copies one static file into place.
    fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic>;

    /// The aliases published where something else is (see [`Guard`]); a sink that does not
    /// keep track finds none.
    fn alias_clashes(&self, _aliases: &[Alias]) -> Vec<Diagnostic> {
        Vec::new()
    }
}

impl Sink for crate::output::Staging {
    fn write(&self, file: OutputFile, bytes: &[u8]) -> Result<(), Diagnostic> {
        crate::output::Staging::write(self, file.site_path, bytes)
    }

    fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        crate::output::Staging::copy(self, file)
    }
}

/// What the writers read: the site, its theme, its static files as published, and the
/// renderer of its pages.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub assets: Assets,
    pub renderer: Renderer<'a>,
}

impl<'a> Inputs<'a> {
    /// Reads (and minifies and names by hash) the stylesheets first: pages link to their names.
    pub fn new(site: &'a Site, theme: &'a Theme, drafts_shown: bool) -> Result<Self, Diagnostic> {
        let assets = crate::assets::of_site(site, theme)?;
        let renderer = Renderer::new(site, theme, drafts_shown).with_assets(&assets);
        Ok(Inputs {
            site,
            theme,
            assets,
            renderer,
        })
    }
}

/// How many files of each tally a write made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub copied: usize,
    pub files: usize,
}

/// Writes the outputs `scope` names, in [`OUTPUTS`] order, into `sink`; every error of
/// every output, sorted.
pub fn write(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<Written, Errors> {
    write_recorded(cx, scope, sink).map(|(written, _)| written)
}

/// [`write`], also returning the site paths each output of [`Refresh::Always`] wrote, by
/// output name: a later build that writes only some outputs ([`Scope::Shown`]) removes the
/// files of those that they no longer make.
pub fn write_recorded(
    cx: &Inputs,
    scope: &Scope,
    sink: &dyn Sink,
) -> Result<(Written, BTreeMap<String, Vec<String>>), Errors> {
    let outputs: Vec<&Output> = OUTPUTS
        .iter()
        .filter(|o| scope.includes(o.refresh))
        .collect();
    let made = match scope {
        // The pages alone first: beside every page, the whole index in memory would raise a
        // large site's peak. Then the search index beside the outputs after the pages.
        Scope::All => {
            let pages = outputs.iter().take_while(|o| o.name == PAGES).count();
            let (pages, rest) = outputs.split_at(pages);
            let mut made: Vec<Made> = pages
                .iter()
                .map(|o| write_one(cx, scope, sink, o))
                .collect();
            made.extend(write_beside_search(cx, scope, sink, rest));
            made
        }
        Scope::Shown(_) => write_beside_search(cx, scope, sink, &outputs),
    };
    let mut written = Written::default();
    let mut errors = Errors::default();
    let mut recorded = BTreeMap::new();
    for (output, (result, paths)) in outputs.iter().zip(made) {
        match result {
            Ok(n) => match output.tally {
                Tally::Page => written.pages += n,
                Tally::Copied => written.copied += n,
                Tally::File => written.files += n,
            },
            Err(e) => errors.0.extend(e.0),
        }
        if let Some(paths) = paths {
            recorded.insert(output.name.to_string(), paths);
        }
    }
    errors.sorted().into_result((written, recorded))
}

/// What [`write_one`] made of one output: the count or errors, and the site paths it wrote
/// when it is of [`Refresh::Always`].
type Made = (Result<usize, Errors>, Option<Vec<String>>);

/// The search index's entry in [`OUTPUTS`].
const SEARCH_INDEX: &str = "search index";

/// The pages' entry in [`OUTPUTS`].
const PAGES: &str = "pages";

/// [`write_one`] for each of `outputs` (in [`OUTPUTS`] order), the search index on a thread
/// of its own while the outputs before it are written: after one edit, the search index is
/// made whole again, one thread's work that was a third of the build, and the pages and feeds
/// showing the edit fit beside it; in a full build (given the outputs after the pages) it was
/// the one stretch where a single core worked, and the feeds fill the other. The outputs after
/// it (redirect pages, static files) still come after everything else, as the [`Guard`]
/// needs.
fn write_beside_search(
    cx: &Inputs,
    scope: &Scope,
    sink: &dyn Sink,
    outputs: &[&Output],
) -> Vec<Made> {
    let write = |o: &&Output| write_one(cx, scope, sink, o);
    let Some(at) = outputs.iter().position(|o| o.name == SEARCH_INDEX) else {
        return outputs.iter().map(write).collect();
    };
    let (before, rest) = outputs.split_at(at);
    let (search, after) = rest.split_at(1);
    let (mut made, search): (Vec<Made>, Vec<Made>) = rayon::join(
        || before.iter().map(write).collect(),
        || search.iter().map(write).collect(),
    );
    made.extend(search);
    made.extend(after.iter().map(write));
    made
}

/// Writes one output into `sink`, noting the paths it wrote when it is of
/// [`Refresh::Always`].
fn write_one(cx: &Inputs, scope: &Scope, sink: &dyn Sink, output: &Output) -> Made {
    let recording = Recording {
        inner: sink,
        paths: std::sync::Mutex::new(Vec::new()),
    };
    let out: &dyn Sink = match output.refresh {
        Refresh::Always => &recording,
        _ => sink,
    };
    let result = (output.write)(cx, scope, out);
    let paths = (output.refresh == Refresh::Always).then(|| {
        let mut paths = recording
            .paths
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        paths.sort();
        paths
    });
    (result, paths)
}

/// A sink that notes the site path of every file it passes on.
struct Recording<'a> {
    inner: &'a dyn Sink,
    paths: std::sync::Mutex<Vec<String>>,
}

impl Recording<'_> {
    fn note(&self, site_path: &str) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.push(site_path.to_string());
    }
}

impl Sink for Recording<'_> {
    fn write(&self, file: OutputFile, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.note(file.site_path);
        self.inner.write(file, bytes)
    }

    fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        self.note(&file.site_path);
        self.inner.copy(file)
    }

    fn alias_clashes(&self, aliases: &[Alias]) -> Vec<Diagnostic> {
        self.inner.alias_clashes(aliases)
    }
}

/// The bytes of a static file, for a sink that writes rather than copies.
pub fn static_bytes(file: &StaticFile) -> Result<std::borrow::Cow<'static, [u8]>, Diagnostic> {
    match &file.source {
        StaticSource::Embedded(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
        StaticSource::Stripped { bytes, .. } => Ok(std::borrow::Cow::Owned(bytes.clone())),
        StaticSource::Disk(path) => std::fs::read(path)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| Diagnostic::io("read the file", path, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_are_written_first() {
        assert_eq!(OUTPUTS[0].name, PAGES);
    }

    #[test]
    fn the_search_index_written_beside_the_pages_is_an_output() {
        let at = OUTPUTS.iter().position(|o| o.name == SEARCH_INDEX);
        let last_before_redirects = OUTPUTS.iter().position(|o| o.name == "redirect pages");
        assert!(at.is_some() && at < last_before_redirects, "{at:?}");
    }
}
