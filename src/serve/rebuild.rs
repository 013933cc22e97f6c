//! One rebuild of the served site: a full build through the same pipeline as `brief build`
//! (load, [`write_site`] into a staging folder, committed by [`crate::output`]), or an
//! incremental one that reloads only the edited brief or author and writes, through the same
//! list of outputs ([`crate::outputs`]), the pages that show it and what depends on them.
//! Either way the new files are moved into the served folder one by one with an atomic
//! rename, so a reader never sees half a file, and only files whose bytes changed are touched.
//!
//! An incremental rebuild writes in two steps. [`State::rebuild`] writes the pages showing the
//! edit, which the browsers are told of at once. [`State::finish`] writes, once the edits have
//! paused, the files no open page shows: the feeds listing the edits, their citation files,
//! and the outputs that list every brief (the search index, the sitemap, redirects), which on a
//! site of 10,000 briefs take longer than everything else together. A save that comes first
//! does not wait for them: its pages are written, and the lists once, after both.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions, write_site};
use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::{Cleanup, Manifest, Staging, write_if_changed};
use crate::outputs::affected::{self, Showing};
use crate::outputs::{self, OutputFile, Refresh, Scope, Sink, Tally};
use crate::render;
use crate::site::{LoadOptions, Site};
use crate::theme::{StaticFile, Theme};

use super::classify::Plan;

/// The loaded site kept between rebuilds.
pub struct State {
    pub root: PathBuf,
    /// Where the site is served from.
    pub output: PathBuf,
    pub drafts: bool,
    /// `http://host:port`, to which the site's own base_url path is appended.
    pub origin: String,
    loaded: Option<(Site, Theme)>,
    /// The served folder's `.brief-manifest` as the last full build wrote it (only a full
    /// build changes it): read once, not on every edit, as it lists every file of the site.
    manifest: Option<Manifest>,
    /// The pages of the incremental rebuilds whose other files [`State::finish`] has yet to
    /// write.
    pending: Option<BTreeSet<String>>,
}

/// What a successful rebuild did.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    pub full: bool,
    /// Pages rendered.
    pub pages: usize,
    /// Site paths of the output files that were written, replaced or removed.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// The site's base path, e.g. `/` or `/research/`.
    pub base_path: String,
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl State {
    pub fn new(root: PathBuf, output: PathBuf, drafts: bool, origin: String) -> State {
        State {
            root,
            output,
            drafts,
            origin,
            loaded: None,
            manifest: None,
            pending: None,
        }
    }

    /// The base path the site will be served under, from config.toml (`/` if it cannot be read).
    pub fn base_path(&self) -> String {
        Config::load(&self.root)
            .map(|c| c.base_url.root_path().to_string())
            .unwrap_or_else(|_| "/".to_string())
    }

    /// Rebuilds for `plan`; on failure the served files stay as they were and the next rebuild
    /// is a full one. An incremental rebuild writes only the pages; see [`State::finish`].
    pub fn rebuild(&mut self, plan: &Plan) -> Result<RebuildReport, Errors> {
        let started = Instant::now();
        let result = match (&plan.full, self.loaded.is_some()) {
            (false, true) => match self.incremental(plan) {
                Ok(Some(outcome)) => Ok(outcome),
                Ok(None) => self.full(),
                Err(errors) => Err(errors),
            },
            _ => self.full(),
        };
        match result {
            Ok(mut outcome) => {
                outcome.elapsed = started.elapsed();
                Ok(outcome)
            }
            Err(errors) => {
                self.loaded = None;
                self.pending = None;
                Err(errors)
            }
        }
    }

    /// Whether incremental rebuilds left files for [`State::finish`] to write.
    pub fn has_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Writes what the incremental rebuilds since the last call left: the feeds and citation
    /// files of their pages, the search index, the sitemap and redirects. The site paths of
    /// the files changed, or `None` when only a full rebuild can write them (a file the last
    /// full build did not write). On failure the next rebuild is a full one.
    pub fn finish(&mut self) -> Result<Option<Vec<String>>, Errors> {
        let Some(pages) = self.pending.take() else {
            return Ok(Some(Vec::new()));
        };
        let (Some((site, theme)), Some(manifest)) = (&self.loaded, &self.manifest) else {
            return Ok(Some(Vec::new()));
        };
        let result = write_lists(site, theme, self.drafts, &self.output, manifest, pages);
        if !matches!(result, Ok(Some(_))) {
            self.loaded = None;
        }
        result
    }

    fn full(&mut self) -> Result<RebuildReport, Errors> {
        let base_path = self.base_path();
        let options = BuildOptions {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            base_url: Some(format!("{}{}", self.origin, base_path)),
            drafts: self.drafts,
            cleanup: Cleanup::new(),
        };
        self.loaded = None;
        self.manifest = None;
        self.pending = None;
        let (site, theme) = build::load(&options)?;
        // Serve stops only between rebuilds, so no signal handler needs to know this folder.
        let staging = Staging::new(&self.root, &self.output, &options.cleanup)?;
        let pages = write_site(&site, &theme, &staging, self.drafts)?.pages;
        let changed = staging.commit()?;
        self.manifest = Some(Manifest::read(&self.output)?.unwrap_or_default());
        let warnings = site.warnings.clone();
        self.loaded = Some((site, theme));
        Ok(RebuildReport {
            full: true,
            pages,
            changed,
            elapsed: Duration::ZERO,
            base_path,
            warnings,
        })
    }

    /// `Ok(None)` when the change cannot be applied in place.
    fn incremental(&mut self, plan: &Plan) -> Result<Option<RebuildReport>, Errors> {
        let (Some((site, theme)), Some(manifest)) = (self.loaded.as_mut(), &self.manifest) else {
            return Ok(None);
        };
        let Some(pages) = reload(site, theme, plan, self.drafts)? else {
            return Ok(None);
        };
        let (site, theme) = (&*site, &*theme);
        // Static files did not change (an edit to one would be a full rebuild), but pages must
        // link to the same published names as the full build did.
        let cx = outputs::Inputs::new(site, theme, self.drafts)?;
        // Only files the last full build wrote are replaced in place; anything else (a file
        // new to the site, or the served folder changed by hand) goes through a full rebuild,
        // which checks the folder first.
        let sink = InPlace::new(&self.output, manifest);
        self.pending
            .get_or_insert_with(BTreeSet::new)
            .extend(pages.iter().cloned());
        let scope = Scope::Shown(pages);
        let written = write_refreshed(&cx, &scope, &sink, |o| o.tally == Tally::Page)?;
        let Some(changed) = sink.commit()? else {
            return Ok(None);
        };
        Ok(Some(RebuildReport {
            full: false,
            pages: written.pages,
            changed,
            elapsed: Duration::ZERO,
            base_path: site.config.base_url.root_path().to_string(),
            warnings: site.warnings.clone(),
        }))
    }
}

/// The second step of incremental rebuilds (see [`State::finish`]): every output but the
/// pages and those only a full build writes, for the pages of `pages`.
fn write_lists(
    site: &Site,
    theme: &Theme,
    drafts: bool,
    output: &Path,
    manifest: &Manifest,
    pages: BTreeSet<String>,
) -> Result<Option<Vec<String>>, Errors> {
    let cx = outputs::Inputs::new(site, theme, drafts)?;
    let sink = InPlace::new(output, manifest);
    let scope = Scope::Shown(pages);
    write_refreshed(&cx, &scope, &sink, |o| {
        o.tally != Tally::Page && o.refresh != Refresh::FullBuild
    })?;
    Ok(sink.commit()?)
}

/// Writes the outputs of `scope` that `which` picks, in [`outputs::OUTPUTS`] order.
fn write_refreshed(
    cx: &outputs::Inputs,
    scope: &Scope,
    sink: &dyn Sink,
    which: impl Fn(&outputs::Output) -> bool,
) -> Result<outputs::Written, Errors> {
    let mut written = outputs::Written::default();
    let mut errors = Errors::default();
    for output in outputs::OUTPUTS.iter().filter(|o| which(o)) {
        match (output.write)(cx, scope, sink) {
            Ok(n) if output.tally == Tally::Page => written.pages += n,
            Ok(_) => {}
            Err(e) => errors.0.extend(e.0),
        }
    }
    errors.sorted().into_result(written)
}

/// Reloads the edited briefs and authors of `plan` into `site`, and returns the output paths
/// of the pages showing them ([`crate::outputs::affected`]); `Ok(None)` when the edit changes
/// which files the site has, so that only a full rebuild can apply it.
fn reload(
    site: &mut Site,
    theme: &Theme,
    plan: &Plan,
    drafts: bool,
) -> Result<Option<BTreeSet<String>>, Errors> {
    let has_template = |name: &str| theme.has_template(name);
    let options = LoadOptions {
        include_drafts: drafts,
        has_template: &has_template,
        markup: &theme.markup,
    };
    let mut paths = BTreeSet::new();
    let had_drafts = render::has_drafts(site);
    for rel in &plan.briefs {
        let shown_before = site
            .briefs
            .iter()
            .find(|b| b.source == *rel)
            .map(|b| affected::showing_brief(site, &b.slug))
            .unwrap_or_default();
        let outline = affected::outline(site);
        let Some((before, after)) = site.reload_brief(rel, &options)? else {
            return Ok(None);
        };
        // A new address or other bundle files would leave old files behind, and new or
        // renamed terms or a page more or less change other pages: load it all.
        if before.slug != after.slug
            || before.assets != after.assets
            || affected::outline(site) != outline
        {
            return Ok(None);
        }
        let shown_after = affected::showing_brief(site, &after.slug);
        paths.extend(Showing::changed(&shown_before, &shown_after));
    }
    for rel in &plan.authors {
        let Some(id) = site.reload_author(rel, &options)? else {
            return Ok(None);
        };
        let shown = affected::showing_author(site, &id);
        paths.extend(Showing::changed(&shown, &shown));
    }
    // The last draft published, or a first one added: every page's preview banner changes.
    if render::has_drafts(site) != had_drafts {
        paths.extend(outputs::jobs(site).iter().map(outputs::Job::output_path));
    }
    Ok(Some(paths))
}

/// Writes an incremental rebuild into the served folder: a file whose bytes are unchanged is
/// left alone, a changed one is held until every output is made (so a failed rebuild leaves
/// the served files as they were; memory holds only the files that changed), and a file the
/// last full build did not write makes the rebuild a full one.
struct InPlace<'a> {
    dir: &'a Path,
    manifest: &'a Manifest,
    changed: Mutex<Vec<(String, Vec<u8>)>>,
    unknown: AtomicBool,
}

impl<'a> InPlace<'a> {
    fn new(dir: &'a Path, manifest: &'a Manifest) -> Self {
        InPlace {
            dir,
            manifest,
            changed: Mutex::new(Vec::new()),
            unknown: AtomicBool::new(false),
        }
    }

    /// Moves the changed files into place; their site paths, sorted, or `None` when the
    /// rebuild must be a full one.
    fn commit(self) -> Result<Option<Vec<String>>, Diagnostic> {
        if self.unknown.into_inner() {
            return Ok(None);
        }
        let mut files = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut changed = Vec::new();
        for (site_path, bytes) in files {
            if write_if_changed(self.dir, &site_path, &bytes)? {
                changed.push(site_path);
            }
        }
        Ok(Some(changed))
    }
}

impl Sink for InPlace<'_> {
    fn write(&self, file: OutputFile, bytes: &[u8]) -> Result<(), Diagnostic> {
        if !self.manifest.contains(file.site_path) {
            self.unknown.store(true, Ordering::Relaxed);
            return Ok(());
        }
        let path = self.dir.join(file.site_path);
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        let mut changed = self.changed.lock().unwrap_or_else(|e| e.into_inner());
        changed.push((file.site_path.to_string(), bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        let bytes = outputs::static_bytes(file)?;
        let what = outputs::What::Generated;
        let site_path = &file.site_path;
        self.write(OutputFile { site_path, what }, &bytes)
    }
}
