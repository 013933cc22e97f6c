//! One rebuild of the served site: a full build through the same pipeline as `brief build`
//! (load, [`write_site`] into a staging folder, committed by [`crate::output`]), or an
//! incremental one that reloads only the edited brief or author and re-renders the pages that
//! show it. Either way the new files are moved into the served folder one by one with an
//! atomic rename, so a reader never sees half a file, and only files whose bytes changed are
//! touched.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{self, BuildOptions, write_site};
use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::{Cleanup, Manifest, Staging, write_if_changed};
use crate::render::{self, Job, Renderer};
use crate::seo;
use crate::site::{LoadOptions, Site};
use crate::theme::Theme;

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
        }
    }

    /// The base path the site will be served under, from config.toml (`/` if it cannot be read).
    pub fn base_path(&self) -> String {
        Config::load(&self.root)
            .map(|c| c.base_url.root_path().to_string())
            .unwrap_or_else(|_| "/".to_string())
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
        };
        self.loaded = None;
        let (site, theme) = build::load(&options)?;
        // Serve stops only between rebuilds, so no signal handler needs to know this folder.
        let staging = Staging::new(&self.root, &self.output, &options.cleanup)?;
        let (pages, _) = write_site(&site, &theme, &staging, self.drafts)?;
        let changed = staging.commit()?;
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
        let Some((site, theme)) = self.loaded.as_mut() else {
            return Ok(None);
        };
        let has_template = |name: &str| theme.has_template(name);
        let options = LoadOptions {
            include_drafts: self.drafts,
            has_template: &has_template,
            markup: &theme.markup,
        };
        // Output paths of the pages to render again.
        let mut paths = BTreeSet::new();
        let had_drafts = render::has_drafts(site);
        for rel in &plan.briefs {
            let shown_before = site
                .briefs
                .iter()
                .find(|b| b.source == *rel)
                .map(|b| render::showing_brief(site, &b.slug))
                .unwrap_or_default();
            let outline = render::outline(site);
            let Some((before, after)) = site.reload_brief(rel, &options)? else {
                return Ok(None);
            };
            // A new address or other bundle files would leave old files behind, and new or
            // renamed terms or a page more or less change other pages: load it all.
            if before.slug != after.slug
                || before.assets != after.assets
                || render::outline(site) != outline
            {
                return Ok(None);
            }
            let shown_after = render::showing_brief(site, &after.slug);
            paths.extend(render::Showing::changed(&shown_before, &shown_after));
        }
        for rel in &plan.authors {
            let Some(id) = site.reload_author(rel, &options)? else {
                return Ok(None);
            };
            let shown = render::showing_author(site, &id);
            paths.extend(render::Showing::changed(&shown, &shown));
        }
        let site = &*site;
        // The last draft published, or a first one added: every page's preview banner changes.
        if render::has_drafts(site) != had_drafts {
            paths.extend(render::jobs(site).iter().map(Job::output_path));
        }
        let jobs: Vec<Job> = render::jobs(site)
            .into_iter()
            .filter(|job| paths.contains(&job.output_path()))
            .collect();
        // Static files did not change (an edit to one would be a full rebuild), but pages must
        // link to the same published names as the full build did.
        let assets = crate::assets::of_site(site, theme)?;
        let renderer = Renderer::new(site, theme, self.drafts).with_assets(&assets);
        let rendered: Vec<Result<(String, String), Diagnostic>> = jobs
            .par_iter()
            .map(|job| renderer.render(*job).map(|html| (job.output_path(), html)))
            .collect();
        let mut errors = Errors::default();
        let mut pages = Vec::new();
        for result in rendered {
            match result {
                Ok(page) => pages.push(page),
                Err(e) => errors.push(e),
            }
        }
        let pages = errors.sorted().into_result(pages)?;
        let page_count = pages.len();
        let mut files = pages;
        // Feeds carry full texts, author names and dates, and the sitemap dates: any edit may
        // change them, and they are cheap, so all are made again (only changed bytes written).
        files.extend(seo::machine_files(site, &render::jobs(site), &theme.i18n));
        // Citation files show a brief's title and author names: remade for the briefs whose
        // pages were rendered again. The search index holds every brief's text: made again.
        let rerendered = jobs.iter().filter_map(|job| match job {
            Job::Brief(brief) => Some(*brief),
            _ => None,
        });
        files.extend(crate::brief_page::citation_files_of(site, rerendered));
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect();
        files.extend(crate::search::files(site, &theme.i18n));
        // Redirect pages show the title of the page they lead to.
        files.extend(crate::redirects::files(site));
        // Only files the last full build wrote are replaced in place; anything else (a file
        // new to the site, or the served folder changed by hand) goes through a full rebuild,
        // which checks the folder first.
        let manifest = Manifest::read(&self.output)?.unwrap_or_default();
        if files.iter().any(|(path, _)| !manifest.contains(path)) {
            return Ok(None);
        }
        let mut changed = Vec::new();
        for (site_path, bytes) in &files {
            if write_if_changed(&self.output, site_path, bytes)? {
                changed.push(site_path.clone());
            }
        }
        Ok(Some(RebuildReport {
            full: false,
            pages: page_count,
            changed,
            elapsed: Duration::ZERO,
            base_path: site.config.base_url.root_path().to_string(),
            warnings: site.warnings.clone(),
        }))
    }
}
