//! One rebuild of the served site: a full build through the same pipeline as `brief build`
//! (load, [`write_site`] into a staging folder, committed by [`crate::output`]), or an
//! incremental one that reloads only the edited brief or author and writes, through the same
//! list of outputs ([`crate::outputs`]), the pages that show it and what depends on them. Either way the new files are moved into the served folder one by one with an
//! atomic rename, so a reader never sees half a file, and only files whose bytes changed are
//! touched.

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
use crate::outputs::{self, OutputFile, Scope, Sink};
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
    /// Briefs whose PDFs the rebuilds left to the background worker ([`crate::pdf::background`]),
    /// and those it could not make (not asked again until the next edit).
    pdfs_missing: BTreeSet<String>,
    pub pdfs_failed: BTreeSet<String>,
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
            pdfs_missing: BTreeSet::new(),
            pdfs_failed: BTreeSet::new(),
        }
    }

    /// The base path the site will be served under, from config.toml (`/` if it cannot be read).
    pub fn base_path(&self) -> String {
        Config::load(&self.root)
            .map(|c| c.base_url.root_path().to_string())
            .unwrap_or_else(|_| "/".to_string())
    }

    /// Whether the last rebuild succeeded (the site is loaded).
    pub fn is_loaded(&self) -> bool {
        self.loaded.is_some()
    }

    /// The PDFs for the background worker to typeset, with the site as it is now.
    pub fn pdf_work(&mut self) -> Option<(Site, crate::i18n::Catalog, BTreeSet<String>)> {
        let slugs: BTreeSet<String> = std::mem::take(&mut self.pdfs_missing)
            .difference(&self.pdfs_failed)
            .cloned()
            .collect();
        let (site, theme) = self.loaded.as_ref()?;
        (!slugs.is_empty()).then(|| (site.clone(), theme.i18n.clone(), slugs))
    }

    /// Rebuilds for `plan`; on failure the served files stay as they were and the next rebuild
    /// is a full one.
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
                Err(errors)
            }
        }
    }

    fn full(&mut self) -> Result<RebuildReport, Errors> {
        let base_path = self.base_path();
        let options = BuildOptions {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            base_url: Some(format!("{}{}", self.origin, base_path)),
            drafts: self.drafts,
            cleanup: Cleanup::new(),
            no_pdf: false,
        };
        self.loaded = None;
        let (mut site, theme) = build::load(&options)?;
        // Serve stops only between rebuilds, so no signal handler needs to know this folder.
        let staging = Staging::new(&self.root, &self.output, &options.cleanup)?;
        // PDFs as `brief build` makes them, from the cache; the missing ones are typeset in
        // the background, so the preview's pages then link the same PDF as the published ones.
        let typeset = typeset(&mut site, &theme, None)?;
        let pages = write_site(&site, &theme, &staging, self.drafts)?.pages;
        let changed = staging.commit()?;
        let mut warnings = site.warnings.clone();
        if let Some(mut typeset) = typeset {
            warnings.append(&mut typeset.warnings);
            self.pdfs_missing.append(&mut typeset.missing);
            typeset.keep_for(&mut site);
        }
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
        let Some((site, theme)) = self.loaded.as_mut() else {
            return Ok(None);
        };
        let Some(pages) = reload(site, theme, plan, self.drafts)? else {
            return Ok(None);
        };
        // The PDFs of the briefs whose pages are rewritten (their text, or authors, changed).
        let shown: BTreeSet<String> = site
            .briefs
            .iter()
            .filter(|b| pages.contains(&outputs::Job::Brief(b).output_path()))
            .map(|b| b.slug.clone())
            .collect();
        let typeset = typeset(site, theme, Some(&shown))?;
        let (site_ref, theme) = (&*site, &*theme);
        let site = site_ref;
        // Static files did not change (an edit to one would be a full rebuild), but pages must
        // link to the same published names as the full build did.
        let cx = outputs::Inputs::new(site, theme, self.drafts)?;
        // Only files the last full build wrote are replaced in place; anything else (a file
        // new to the site, or the served folder changed by hand) goes through a full rebuild,
        // which checks the folder first.
        let manifest = Manifest::read(&self.output)?.unwrap_or_default();
        let sink = InPlace::new(&self.output, manifest);
        let written = outputs::write(&cx, &Scope::Shown(pages), &sink)?;
        let Some(changed) = sink.commit()? else {
            return Ok(None);
        };
        let base_path = site.config.base_url.root_path().to_string();
        let mut warnings = site.warnings.clone();
        let pages = written.pages;
        if let Some(mut typeset) = typeset
            && let Some((site, _)) = self.loaded.as_mut()
        {
            warnings.append(&mut typeset.warnings);
            self.pdfs_missing.append(&mut typeset.missing);
            typeset.keep_for(site);
        }
        Ok(Some(RebuildReport {
            full: false,
            pages,
            changed,
            elapsed: Duration::ZERO,
            base_path,
            warnings,
        }))
    }
}

/// The cached PDFs of the briefs named (all when `None`), unless the site makes none.
fn typeset(
    site: &mut Site,
    theme: &Theme,
    only: Option<&BTreeSet<String>>,
) -> Result<Option<crate::pdf::Typeset>, Errors> {
    if !site.config.pdf {
        return Ok(None);
    }
    crate::pdf::typeset_site(site, &theme.i18n, only, crate::pdf::Mode::CachedOnly).map(Some)
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
    manifest: Manifest,
    changed: Mutex<Vec<(String, Vec<u8>)>>,
    unknown: AtomicBool,
}

impl<'a> InPlace<'a> {
    fn new(dir: &'a Path, manifest: Manifest) -> Self {
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
