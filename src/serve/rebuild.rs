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

use rayon::prelude::*;

use crate::build::{self, BuildOptions};
use crate::config::Config;
use crate::content::publication::Download;
use crate::error::{Diagnostic, Errors};
use crate::output::{Cleanup, Manifest, Staging, write_if_changed};
use crate::outputs::affected::{self, Showing};
use crate::outputs::{self, OutputFile, Refresh, Scope, Sink, Tally};
use crate::render;
use crate::site::{BriefCache, LoadOptions, Site};
use crate::theme::{StaticFile, Theme};

use super::classify::Plan;
use super::record::{Fingerprint, Needs, Session};

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
    /// The warnings printed so far that still hold, so that each is printed once.
    pub warned: BTreeSet<String>,
    /// The served folder's `.brief-manifest` as the last full build wrote it (only a full
    /// build changes it): read once, not on every edit, as it lists every file of the site.
    manifest: Option<Manifest>,
    /// The pages of the incremental rebuilds whose other files [`State::finish`] has yet to
    /// write.
    pending: Option<BTreeSet<String>>,
    /// Whether `output` is a folder kept between starts ([`super::kept`]), which full rebuilds
    /// update through the build cache's record of it ([`super::record`]).
    kept: bool,
    /// The record of the kept folder since the last full rebuild.
    session: Option<Session>,
}

/// What a successful rebuild did.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    pub full: bool,
    /// A full rebuild that found the kept folder up to date, or needing only the pages of
    /// briefs and authors edited since it was written.
    pub warm: bool,
    /// Pages rendered.
    pub pages: usize,
    /// Site paths of the output files that were written, replaced or removed.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// The site's base path, e.g. `/` or `/research/`.
    pub base_path: String,
    /// The site's warnings now (all of them, not only the rebuild's).
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl State {
    /// Whether the served folder holds a site (from an earlier build, or an earlier start).
    pub fn served(&self) -> bool {
        self.output.join("index.html").is_file()
    }

    pub fn new(root: PathBuf, output: PathBuf, drafts: bool, origin: String) -> State {
        State {
            root,
            output,
            drafts,
            origin,
            loaded: None,
            pdfs_missing: BTreeSet::new(),
            pdfs_failed: BTreeSet::new(),
            warned: BTreeSet::new(),
            manifest: None,
            pending: None,
            kept: false,
            session: None,
        }
    }

    /// Serves from a folder kept between starts: full rebuilds write only what the build
    /// cache's record of it shows has changed.
    pub fn kept(mut self) -> State {
        self.kept = true;
        self
    }

    /// Saves the build cache's record of the kept folder as the server leaves it (see
    /// [`Session::close`]); a warning when it cannot be saved.
    pub fn close(&mut self) -> Option<Diagnostic> {
        self.session.take()?.close(&self.output)
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
        let not_the_pages =
            |o: &outputs::Output| !with_the_page(o) && o.refresh != Refresh::FullBuild;
        let result = write_in_place(
            site,
            theme,
            self.drafts,
            &self.output,
            manifest,
            pages,
            not_the_pages,
        );
        match result {
            Ok(Some(lists)) => {
                let changed = self.settle_search_files(lists)?;
                Ok(Some(changed))
            }
            other => {
                self.loaded = None;
                other.map(|_| None)
            }
        }
    }

    /// Records the files new to the served folder (PDFs written in place) in the manifest,
    /// so the next full rebuild knows they are its own.
    fn add_to_manifest(&mut self, added: BTreeSet<String>) -> Result<(), Errors> {
        if let Some(manifest) = self.manifest.as_mut()
            && !added.is_empty()
        {
            manifest.0.extend(added);
            manifest.write(&self.output)?;
        }
        Ok(())
    }

    /// The search index is written whole, and as it grows or shrinks a shard may split or go:
    /// the files new to it join the manifest, and those it no longer has are removed, so the
    /// served folder stays what a full build makes.
    fn settle_search_files(&mut self, lists: InPlaceWrite) -> Result<Vec<String>, Errors> {
        let Some(manifest) = self.manifest.as_mut() else {
            return Ok(lists.changed);
        };
        let mut changed = lists.changed;
        let stale: Vec<String> = manifest
            .0
            .iter()
            .filter(|p| is_search_index_file(p) && !lists.search_files.contains(*p))
            .cloned()
            .collect();
        let grew = lists.search_files.iter().any(|p| !manifest.contains(p));
        if stale.is_empty() && !grew {
            return Ok(changed);
        }
        if let Some(session) = self.session.as_mut() {
            let files = lists.search_files.iter().cloned().collect();
            session
                .always_mut()
                .insert(SEARCH_OUTPUT.to_string(), files);
        }
        manifest.0.extend(lists.search_files);
        for site_path in stale {
            let path = self.output.join(&site_path);
            std::fs::remove_file(&path)
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => Ok(()),
                    _ => Err(e),
                })
                .map_err(|e| Diagnostic::io("remove a file of the previous build", &path, &e))?;
            manifest.0.remove(&site_path);
            changed.push(site_path);
        }
        manifest.write(&self.output)?;
        changed.sort();
        Ok(changed)
    }

    fn full(&mut self) -> Result<RebuildReport, Errors> {
        let base_path = self.base_path();
        let base_url = format!("{}{}", self.origin, base_path);
        let options = BuildOptions {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            base_url: Some(base_url.clone()),
            drafts: self.drafts,
            cleanup: Cleanup::new(),
            no_pdf: false,
        };
        self.loaded = None;
        self.manifest = None;
        self.pending = None;
        self.session = None;
        // Before anything is read: an edit made during the build is then seen by the next.
        let fingerprint = match self.kept {
            true => Fingerprint::take(&self.root, &self.output, &base_url, self.drafts),
            false => None,
        };
        let loads = fingerprint
            .as_ref()
            .map(|f| f.loads(&self.root, self.drafts));
        let (mut site, theme) =
            build::load_cached(&options, loads.as_ref().map(|l| l as &dyn BriefCache))?;
        if let Some(loads) = &loads {
            loads.loaded(&site);
            hold_bodies(&mut site)?;
        }
        // PDFs as `brief build` makes them, from the cache; the missing ones are typeset in
        // the background, so the preview's pages then link the same PDF as the published ones.
        let typeset = typeset(&mut site, &theme, None)?;
        let mut warnings = site.warnings.clone();
        if let Some(note) = fingerprint.as_ref().and_then(|f| f.note.clone()) {
            warnings.push(note);
        }
        let needs = fingerprint
            .as_ref()
            .map_or(Needs::Everything, |f| f.needs(&site));
        let warm = match needs {
            Needs::Everything => None,
            needs => self.write_warm(&mut site, &theme, needs)?,
        };
        let (
            warm,
            FullWrite {
                pages,
                changed,
                always,
            },
        ) = match warm {
            Some(written) => (true, written),
            None => (false, self.write_everything(&site, &theme, &options)?),
        };
        if let Some(loads) = &loads {
            warnings.extend(loads.save(&site));
        }
        self.manifest = Some(Manifest::read(&self.output)?.unwrap_or_default());
        if let Some(fingerprint) = fingerprint {
            let (session, problem) = fingerprint.save(&site, &self.output, always);
            warnings.extend(problem);
            self.session = Some(session);
        }
        if let Some(mut typeset) = typeset {
            warnings.append(&mut typeset.warnings);
            self.pdfs_missing.append(&mut typeset.missing);
            typeset.keep_for(&mut site);
        }
        self.loaded = Some((site, theme));
        Ok(RebuildReport {
            full: true,
            warm,
            pages,
            changed,
            elapsed: Duration::ZERO,
            base_path,
            warnings,
        })
    }

    /// Writes every output through a staging folder, as `brief build` does.
    fn write_everything(
        &self,
        site: &Site,
        theme: &Theme,
        options: &BuildOptions,
    ) -> Result<FullWrite, Errors> {
        // Serve stops only between rebuilds, so no signal handler needs to know this folder.
        let staging = Staging::new(&self.root, &self.output, &options.cleanup)?;
        let cx = outputs::Inputs::new(site, theme, self.drafts)?;
        let guard = outputs::Guard::new(&staging, &site.root);
        let (written, always) = outputs::write_recorded(&cx, &Scope::All, &guard)?;
        drop(cx);
        let changed = staging.commit()?;
        Ok(FullWrite {
            pages: written.pages,
            changed,
            always,
        })
    }

    /// Brings the kept folder up to date in place when its record shows that it needs
    /// nothing or only the pages of edited briefs and authors; `None` when it needs a full
    /// build after all (its files are not those the record lists, or a file is new to it).
    fn write_warm(
        &mut self,
        site: &mut Site,
        theme: &Theme,
        needs: Needs,
    ) -> Result<Option<FullWrite>, Errors> {
        let Some(mut manifest) = Manifest::read(&self.output)? else {
            return Ok(None);
        };
        // The pages in the folder link the PDFs that were in the cache when they were
        // written: those made since are linked by the background worker's batches.
        let Some(unlinked) = pdfs_not_served(site, &manifest) else {
            return Ok(None);
        };
        self.pdfs_missing.extend(unlinked);
        let (pages, before) = match needs {
            Needs::Nothing { always } => {
                let changed = Vec::new();
                return Ok(Some(FullWrite {
                    pages: 0,
                    changed,
                    always,
                }));
            }
            Needs::Pages { pages, always } => (pages, always),
            Needs::Everything => return Ok(None),
        };
        let cx = outputs::Inputs::new(site, theme, self.drafts)?;
        let sink = InPlace::new(&self.output, &manifest);
        let (written, always) = outputs::write_recorded(&cx, &Scope::Shown(pages), &sink)?;
        drop(cx);
        let added = sink.added();
        let Some(mut changed) = sink.commit()? else {
            return Ok(None);
        };
        // Files an output that lists every brief no longer makes (a search index shard).
        let made: BTreeSet<&String> = always.values().flatten().collect();
        let gone: Vec<&String> = before
            .values()
            .flatten()
            .filter(|p| !made.contains(p))
            .collect();
        let listed = manifest.0.len();
        manifest.0.extend(added);
        manifest.0.extend(made.into_iter().cloned());
        for site_path in gone {
            remove_served(&self.output, site_path)?;
            manifest.0.remove(site_path);
            changed.push(site_path.clone());
        }
        if manifest.0.len() != listed || !changed.is_empty() {
            manifest.write(&self.output)?;
        }
        changed.sort();
        Ok(Some(FullWrite {
            pages: written.pages,
            changed,
            always,
        }))
    }

    /// `Ok(None)` when the change cannot be applied in place.
    fn incremental(&mut self, plan: &Plan) -> Result<Option<RebuildReport>, Errors> {
        let (Some((site, theme)), Some(manifest)) = (self.loaded.as_mut(), &self.manifest) else {
            return Ok(None);
        };
        // Before they are read: the record then never vouches for them, even if this fails.
        if let Some(session) = self.session.as_mut() {
            session.edited(
                plan.briefs
                    .iter()
                    .chain(&plan.authors)
                    .map(PathBuf::as_path),
            );
        }
        let Some(pages) = reload(site, theme, plan, self.drafts)? else {
            return Ok(None);
        };
        // The PDFs of the briefs whose pages are rewritten (their text, or authors, changed).
        let typeset = match site.config.pdf {
            true => typeset(site, theme, Some(&briefs_shown(site, &pages)))?,
            false => None,
        };
        let (site_ref, theme) = (&*site, &*theme);
        let site = site_ref;
        self.pending
            .get_or_insert_with(BTreeSet::new)
            .extend(pages.iter().cloned());
        let written = write_in_place(
            site,
            theme,
            self.drafts,
            &self.output,
            manifest,
            pages,
            with_the_page,
        )?;
        let Some(InPlaceWrite {
            pages,
            changed,
            added,
            ..
        }) = written
        else {
            return Ok(None);
        };
        let base_path = site.config.base_url.root_path().to_string();
        let mut warnings = site.warnings.clone();
        self.add_to_manifest(added)?;
        if let Some(mut typeset) = typeset
            && let Some((site, _)) = self.loaded.as_mut()
        {
            warnings.append(&mut typeset.warnings);
            self.pdfs_missing.append(&mut typeset.missing);
            typeset.keep_for(site);
        }
        Ok(Some(RebuildReport {
            full: false,
            warm: false,
            pages,
            changed,
            elapsed: Duration::ZERO,
            base_path,
            warnings,
        }))
    }
}

impl State {
    /// Links the PDFs the background worker made for the briefs `slugs` (now in the cache):
    /// the loaded site's briefs are pointed at them, and only their pages and PDFs are written
    /// in place. Nothing is read from the content files, so an edit made meanwhile cannot make
    /// this fail (the edit's own rebuild applies it), and on failure the loaded site is left as
    /// it was. `Ok(None)` when nothing is loaded (the rebuild after the fix links them) or the
    /// served folder has something in the way that only a full rebuild deals with.
    pub fn link_pdfs(&mut self, slugs: &BTreeSet<String>) -> Result<Option<RebuildReport>, Errors> {
        let started = Instant::now();
        let (Some((site, theme)), Some(manifest)) = (self.loaded.as_mut(), &self.manifest) else {
            return Ok(None);
        };
        let before: Vec<(usize, Option<Download>)> = site
            .briefs
            .iter()
            .enumerate()
            .filter(|(_, b)| slugs.contains(&b.slug))
            .map(|(i, b)| (i, b.publication.pdf.clone()))
            .collect();
        let restore = |site: &mut Site| {
            for (i, pdf) in &before {
                site.briefs[*i].publication.pdf = pdf.clone();
            }
        };
        let typeset = match typeset(site, theme, Some(slugs)) {
            Ok(typeset) => typeset,
            Err(errors) => {
                restore(site);
                return Err(errors);
            }
        };
        // Only a brief's own page shows its PDF (the download link, JSON-LD, Scholar's tags).
        let pages: BTreeSet<String> = before
            .iter()
            .filter(|(i, pdf)| site.briefs[*i].publication.pdf != *pdf)
            .map(|(i, _)| outputs::Job::Brief(&site.briefs[*i]).output_path())
            .collect();
        let written = if pages.is_empty() {
            Ok(Some(InPlaceWrite::default()))
        } else {
            write_in_place(
                site,
                theme,
                self.drafts,
                &self.output,
                manifest,
                pages,
                with_the_page,
            )
        };
        let InPlaceWrite {
            pages,
            changed,
            added,
            ..
        } = match written {
            Ok(Some(written)) => written,
            other => {
                restore(site);
                return other.map(|_| None);
            }
        };
        if let Some(mut typeset) = typeset {
            // A brief edited since the worker's copy of the site: asked for again.
            self.pdfs_missing.append(&mut typeset.missing);
            typeset.keep_for(site);
        }
        let base_path = site.config.base_url.root_path().to_string();
        let warnings = site.warnings.clone();
        self.add_to_manifest(added)?;
        Ok(Some(RebuildReport {
            full: false,
            warm: false,
            pages,
            changed,
            elapsed: started.elapsed(),
            base_path,
            warnings,
        }))
    }
}

/// Writes the outputs `which` selects for `pages` into the served folder in place. Static
/// files did not change (an edit to one is a full rebuild), so pages link the same published
/// names as the last full build. Only files that build wrote are replaced: `None` when
/// anything else is in the way (a file new to the site, or the folder changed by hand), which
/// a full rebuild deals with, as it checks the folder first.
fn write_in_place(
    site: &Site,
    theme: &Theme,
    drafts: bool,
    output: &Path,
    manifest: &Manifest,
    pages: BTreeSet<String>,
    which: impl Fn(&outputs::Output) -> bool,
) -> Result<Option<InPlaceWrite>, Errors> {
    let cx = outputs::Inputs::new(site, theme, drafts)?;
    let sink = InPlace::new(output, manifest);
    let written = write_refreshed(&cx, &Scope::Shown(pages), &sink, which)?;
    let added = sink.added();
    let search_files = sink.search_files();
    Ok(sink.commit()?.map(|changed| InPlaceWrite {
        pages: written.pages,
        changed,
        added,
        search_files,
    }))
}

/// What [`write_in_place`] did: the pages rendered, the files changed (site paths), the files
/// new to the served folder (PDFs) for the manifest, and every file of the search index.
#[derive(Default)]
struct InPlaceWrite {
    pages: usize,
    changed: Vec<String>,
    added: BTreeSet<String>,
    search_files: BTreeSet<String>,
}

/// What a full rebuild wrote: the pages rendered, the files changed (site paths), and the
/// files each output written in every build made ([`outputs::write_recorded`]).
struct FullWrite {
    pages: usize,
    changed: Vec<String>,
    always: std::collections::BTreeMap<String, Vec<String>>,
}

/// The briefs whose PDF is in the cache but not in the served folder `manifest` lists, whose
/// pages there do not link it yet: their PDFs are taken off `site` (so that the pages written
/// now match those) for the background worker to link. `None` when the folder has a PDF the
/// cache has not (the pages there link it), which only a full build puts right.
fn pdfs_not_served(site: &mut Site, manifest: &Manifest) -> Option<BTreeSet<String>> {
    let mut unlinked = BTreeSet::new();
    for brief in &mut site.briefs {
        let served = manifest.contains(&outputs::routes::brief_pdf(&brief.slug));
        let made = brief
            .publication
            .pdf
            .as_ref()
            .is_some_and(|p| p.made.is_some());
        match (made, served) {
            (true, false) => {
                brief.publication.pdf = None;
                unlinked.insert(brief.slug.clone());
            }
            (false, true) if brief.publication.pdf.is_none() => return None,
            _ => {}
        }
    }
    Some(unlinked)
}

/// Reads into memory the bodies of the briefs taken from the build cache, which point at its
/// entries: serve keeps the site while it runs, and a `brief build` meanwhile (with other
/// options) removes the entries it does not use.
fn hold_bodies(site: &mut Site) -> Result<(), Errors> {
    use crate::content::body::Stored;
    let bodies: Vec<Result<Option<Stored>, Diagnostic>> = site
        .briefs
        .par_iter()
        .map(|brief| match &brief.body {
            Stored::Held(_) => Ok(None),
            stored => stored.get().map(|body| Some(Stored::Held(body))),
        })
        .collect();
    let mut errors = Errors::default();
    for (brief, body) in site.briefs.iter_mut().zip(bodies) {
        match body {
            Ok(Some(body)) => brief.body = body,
            Ok(None) => {}
            Err(problem) => errors.push(problem),
        }
    }
    errors.into_result(())
}

/// Removes the file at `site_path` of the served folder `output`, if it is there.
fn remove_served(output: &Path, site_path: &str) -> Result<(), Diagnostic> {
    let path = output.join(site_path);
    std::fs::remove_file(&path)
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        })
        .map_err(|e| Diagnostic::io("remove a file of the previous build", &path, &e))
}

/// The slugs of the briefs whose own pages are among `pages` (output paths), found without
/// making each brief's path: making it for each of 10,000 briefs was a sixth of a one-brief
/// rebuild.
fn briefs_shown(site: &Site, pages: &BTreeSet<String>) -> BTreeSet<String> {
    site.briefs
        .iter()
        .filter(|b| {
            pages
                .iter()
                .any(|p| outputs::routes::is_brief_page(p, &b.slug))
        })
        .map(|b| b.slug.clone())
        .collect()
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

/// The outputs an incremental rebuild writes at once: the pages, and the PDFs they link (a page
/// never links a PDF the served folder does not have yet).
fn with_the_page(output: &outputs::Output) -> bool {
    output.tally == Tally::Page || output.name == "PDFs"
}

/// A file of the search index (not the search page).
fn is_search_index_file(site_path: &str) -> bool {
    site_path.starts_with(outputs::routes::SEARCH) && site_path != SEARCH_PAGE
}

const SEARCH_PAGE: &str = "search/index.html";

/// The name of the search index in [`outputs::OUTPUTS`].
const SEARCH_OUTPUT: &str = "search index";

/// A brief's PDF, `briefs/<slug>/<slug>.pdf` ([`outputs::routes::brief_pdf`]).
fn is_brief_pdf(site_path: &str) -> bool {
    site_path
        .strip_prefix(outputs::routes::ARCHIVE)
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(slug, file)| file.strip_suffix(".pdf") == Some(slug))
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
        cache: None,
        spill: None,
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
    /// Every search index file handed over, changed or not.
    search: Mutex<BTreeSet<String>>,
    /// Files new to the served folder (a brief's PDF made since the last full build).
    added: Mutex<BTreeSet<String>>,
    unknown: AtomicBool,
}

impl<'a> InPlace<'a> {
    /// Whether `site_path` is free for a new file: nothing there, in a real folder that brief
    /// wrote files into (not a link).
    fn is_free(&self, site_path: &str) -> bool {
        let path = self.dir.join(site_path);
        let parent_is_ours = Path::new(site_path).parent().is_some_and(|parent| {
            let folder = parent.to_string_lossy();
            self.manifest.0.iter().any(|p| {
                p.strip_prefix(folder.as_ref())
                    .is_some_and(|rest| rest.starts_with('/'))
            }) && std::fs::symlink_metadata(self.dir.join(parent)).is_ok_and(|m| m.is_dir())
        });
        parent_is_ours && std::fs::symlink_metadata(path).is_err()
    }

    fn added(&self) -> BTreeSet<String> {
        self.added.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn search_files(&self) -> BTreeSet<String> {
        self.search
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn new(dir: &'a Path, manifest: &'a Manifest) -> Self {
        InPlace {
            dir,
            manifest,
            changed: Mutex::new(Vec::new()),
            search: Mutex::new(BTreeSet::new()),
            added: Mutex::new(BTreeSet::new()),
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
        let search_file = is_search_index_file(file.site_path);
        if search_file {
            let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
            search.insert(file.site_path.to_string());
        }
        // A new shard of the search index goes in brief's own search folder, and a brief's
        // new PDF in its own folder, where nothing else may be; any other new file, or
        // anything in its way, takes a full rebuild.
        let known = self.manifest.contains(file.site_path);
        let new_pdf = is_brief_pdf(file.site_path);
        if !known && !((search_file || new_pdf) && self.is_free(file.site_path)) {
            self.unknown.store(true, Ordering::Relaxed);
            return Ok(());
        }
        if !known && new_pdf {
            let mut added = self.added.lock().unwrap_or_else(|e| e.into_inner());
            added.insert(file.site_path.to_string());
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
