//! One rebuild of the served site: a full build through the same pipeline as `brief build`
//! (load, [`write_site`] into a staging folder), or an incremental one that reloads only the
//! edited brief or author and re-renders the pages that show it. Either way the new files are
//! moved into the served folder one by one with an atomic rename, so a reader never sees half
//! a file, and only files whose bytes changed are touched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{self, BuildOptions, write_site};
use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::Staging;
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
pub struct Outcome {
    pub full: bool,
    /// Pages rendered.
    pub pages: usize,
    /// Site paths of the output files that were written, replaced or removed.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// The site's base path, e.g. `/` or `/research/`.
    pub base_path: String,
    pub warnings: Vec<String>,
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
    pub fn rebuild(&mut self, plan: &Plan) -> Result<Outcome, Errors> {
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

    fn full(&mut self) -> Result<Outcome, Errors> {
        let base_path = self.base_path();
        let options = BuildOptions {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            base_url: Some(format!("{}{}", self.origin, base_path)),
            drafts: self.drafts,
        };
        self.loaded = None;
        let (site, theme) = build::load(&options)?;
        let staging = Staging::new(&self.root, &self.output)?;
        let (pages, _) = write_site(&site, &theme, &staging, self.drafts)?;
        let changed = merge_into(staging.dir(), &self.output)?;
        drop(staging);
        let warnings = site.warnings.clone();
        self.loaded = Some((site, theme));
        Ok(Outcome {
            full: true,
            pages,
            changed,
            elapsed: Duration::ZERO,
            base_path,
            warnings,
        })
    }

    /// `Ok(None)` when the change cannot be applied in place.
    fn incremental(&mut self, plan: &Plan) -> Result<Option<Outcome>, Errors> {
        let Some((site, theme)) = self.loaded.as_mut() else {
            return Ok(None);
        };
        let has_template = |name: &str| theme.has_template(name);
        let options = LoadOptions {
            include_drafts: self.drafts,
            has_template: &has_template,
        };
        // Output paths of the pages to render again.
        let mut paths = BTreeSet::new();
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
            let Some(id) = site.reload_author(rel)? else {
                return Ok(None);
            };
            let shown = render::showing_author(site, &id);
            paths.extend(render::Showing::changed(&shown, &shown));
        }
        let site = &*site;
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
        let mut changed = Vec::new();
        for (site_path, html) in &pages {
            if write_if_changed(&self.output, site_path, html.as_bytes())? {
                changed.push(site_path.clone());
            }
        }
        // Feeds carry full texts, author names and dates, and the sitemap dates: any edit may
        // change them, and they are cheap, so all are made again (only changed bytes written).
        for (site_path, xml) in seo::machine_files(site, &render::jobs(site)) {
            if write_if_changed(&self.output, &site_path, xml.as_bytes())? {
                changed.push(site_path);
            }
        }
        // Citation files show a brief's title and author names: remade for the briefs whose
        // pages were rendered again. The search index holds every brief's text: made again.
        let rerendered = jobs.iter().filter_map(|job| match job {
            Job::Brief(brief) => Some(*brief),
            _ => None,
        });
        let machine = crate::brief_page::citation_files_of(site, rerendered);
        let machine = machine
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()));
        for (site_path, bytes) in machine.chain(crate::search::files(site)) {
            if write_if_changed(&self.output, &site_path, &bytes)? {
                changed.push(site_path);
            }
        }
        Ok(Some(Outcome {
            full: false,
            pages: pages.len(),
            changed,
            elapsed: Duration::ZERO,
            base_path: site.config.base_url.root_path().to_string(),
            warnings: site.warnings.clone(),
        }))
    }
}

/// Writes `bytes` at `site_path` under `out` unless the file already holds them; the new file is
/// written beside the old one and renamed over it. Returns whether it wrote.
pub fn write_if_changed(out: &Path, site_path: &str, bytes: &[u8]) -> Result<bool, Diagnostic> {
    let path = out.join(site_path);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let parent = path.parent().unwrap_or(out);
    std::fs::create_dir_all(parent)
        .map_err(|e| Diagnostic::io("create an output folder", parent, &e))?;
    let temp = temp_name(&path);
    std::fs::write(&temp, bytes)
        .map_err(|e| Diagnostic::io("write the output file", Path::new(site_path), &e))?;
    std::fs::rename(&temp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Diagnostic::io("move the output file into place", Path::new(site_path), &e)
    })?;
    Ok(true)
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.brief-new"))
}

/// Moves every file of a finished build (`staged`) into `out` where its bytes differ, each with
/// an atomic rename, then removes files of `out` that the build no longer makes. Returns the
/// site paths that changed, sorted.
pub fn merge_into(staged: &Path, out: &Path) -> Result<Vec<String>, Diagnostic> {
    std::fs::create_dir_all(out)
        .map_err(|e| Diagnostic::io("create the output folder", out, &e))?;
    let mut changed = Vec::new();
    let mut made = BTreeSet::new();
    for entry in walkdir::WalkDir::new(staged)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(staged).unwrap_or(entry.path());
        let site_path = rel.to_string_lossy().replace('\\', "/");
        let target = out.join(rel);
        made.insert(site_path.clone());
        if same_bytes(entry.path(), &target) {
            continue;
        }
        if target.is_dir() {
            let _ = std::fs::remove_dir_all(&target);
        }
        if let Some(parent) = target.parent() {
            if parent.is_file() {
                let _ = std::fs::remove_file(parent);
            }
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io("create an output folder", parent, &e))?;
        }
        std::fs::rename(entry.path(), &target)
            .map_err(|e| Diagnostic::io("move the output file into place", rel, &e))?;
        changed.push(site_path);
    }
    // Files the build no longer makes (a deleted brief, a renamed static file).
    let mut stale_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let site_path = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            stale_dirs.push(entry.path().to_path_buf());
        } else if !made.contains(&site_path) {
            let _ = std::fs::remove_file(entry.path());
            changed.push(site_path);
        }
    }
    // Deepest first, so that emptied parents go too; non-empty folders stay.
    stale_dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in stale_dirs {
        let _ = std::fs::remove_dir(dir);
    }
    changed.sort();
    Ok(changed)
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.is_file() && mb.is_file() && ma.len() == mb.len() => {
            std::fs::read(a).ok() == std::fs::read(b).ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_moves_changed_files_and_removes_stale_ones() {
        let temp = tempfile::tempdir().unwrap();
        let (staged, out) = (temp.path().join("staged"), temp.path().join("out"));
        for (dir, files) in [
            (
                &staged,
                &[("index.html", "new"), ("a/index.html", "same")][..],
            ),
            (
                &out,
                &[
                    ("index.html", "old"),
                    ("a/index.html", "same"),
                    ("gone/index.html", "x"),
                ][..],
            ),
        ] {
            for (path, text) in files {
                std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
                std::fs::write(dir.join(path), text).unwrap();
            }
        }
        let changed = merge_into(&staged, &out).unwrap();
        assert_eq!(changed, ["gone/index.html", "index.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("gone").exists());
        assert!(out.join("a/index.html").exists());
    }

    #[test]
    fn write_if_changed_skips_identical_bytes() {
        let temp = tempfile::tempdir().unwrap();
        assert!(write_if_changed(temp.path(), "x/index.html", b"a").unwrap());
        assert!(!write_if_changed(temp.path(), "x/index.html", b"a").unwrap());
        assert!(write_if_changed(temp.path(), "x/index.html", b"b").unwrap());
        let names: Vec<_> = std::fs::read_dir(temp.path().join("x")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left");
    }
}
