//! The pipeline end to end: config -> theme -> site model -> rendered pages -> output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::Staging;
use crate::render::{self, Renderer};
use crate::seo;
use crate::site::{LoadOptions, Site};
use crate::theme::{self, Theme};
use crate::urls::BaseUrl;

/// What `brief build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from config (relative to the current folder, like any CLI path).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from config for this build.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files_copied: usize,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

/// Loads config, theme and content: everything short of writing.
pub fn load(options: &BuildOptions) -> Result<(Site, Theme), Errors> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = BaseUrl::parse(base_url).map_err(|msg| {
            Diagnostic::new(crate::error::Kind::Usage, format!("--base-url: {msg}"))
        })?;
    }
    let theme = Theme::load(&options.root, &config.theme);
    let has_template = |name: &str| theme.as_ref().is_ok_and(|t| t.has_template(name));
    let site = Site::load(
        &options.root,
        config,
        &LoadOptions {
            include_drafts: options.drafts,
            has_template: &has_template,
        },
    );
    match (site, theme) {
        (Ok(mut site), Ok(theme)) => {
            // Once per language the site uses, not once per page.
            let brief_langs = site.briefs.iter().filter_map(|b| b.front.lang.as_deref());
            let used = std::iter::once(site.config.language.as_str()).chain(brief_langs);
            let warnings = theme.i18n.warnings(used);
            site.warnings.extend(warnings);
            Ok((site, theme))
        }
        (site, theme) => {
            // Report theme and content problems together.
            let mut errors = theme.err().unwrap_or_default();
            errors.0.extend(site.err().unwrap_or_default().0);
            Err(errors)
        }
    }
}

/// Builds the site into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let (site, theme) = load(options)?;
    let target = output_dir(options, &site);
    let staging = Staging::new(&options.root, &target)?;
    let (pages, files_copied) = write_site(&site, &theme, &staging, options.drafts)?;
    let output_dir = staging.commit()?;
    Ok(BuildReport {
        output_dir,
        pages,
        files_copied,
        warnings: site.warnings,
        elapsed: started.elapsed(),
    })
}

/// The folder a build writes to: `--output`, else `output_dir` under the site root.
pub fn output_dir(options: &BuildOptions, site: &Site) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir))
}

/// Renders every page in parallel and writes each as soon as it is rendered, so memory holds
/// only the pages in flight; then copies the theme's, the site's and the bundles' files.
pub fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    drafts_shown: bool,
) -> Result<(usize, usize), Errors> {
    // Stylesheets are read (and minified and named by hash) first: pages link to their names.
    let assets = crate::assets::of_site(site, theme)?;
    let renderer = Renderer::new(site, theme, drafts_shown).with_assets(&assets);
    let jobs = render::jobs(site);
    let mut errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            renderer
                .render(*job)
                .and_then(|html| staging.write(&job.output_path(), html.as_bytes()))
                .err()
        })
        .collect();
    for (site_path, xml) in seo::machine_files(site, &jobs) {
        errors.extend(staging.write(&site_path, xml.as_bytes()).err());
    }
    for (site_path, text) in crate::brief_page::citation_files(site) {
        errors.extend(staging.write(&site_path, text.as_bytes()).err());
    }
    for (site_path, bytes) in crate::search::files(site) {
        errors.extend(staging.write(&site_path, &bytes).err());
    }
    // Before the static files are copied, so that a site's own static/robots.txt wins.
    let robots = seo::sitemap::robots(&site.config.base_url);
    errors.extend(staging.write("robots.txt", robots.as_bytes()).err());
    for (site_path, bytes) in &assets.written {
        errors.extend(staging.write(site_path, bytes).err());
    }
    // The theme's and the site's static files, the site's winning on the same path.
    let mut copies = assets.copies;
    let bundle_files = site.briefs.iter().flat_map(|b| b.assets.iter());
    copies.extend(bundle_files.map(|(from, to)| theme::StaticFile {
        site_path: to.clone(),
        source: theme::StaticSource::Disk(from.clone()),
    }));
    for file in &copies {
        if let Err(e) = staging.copy(file) {
            errors.push(e);
        }
    }
    Errors(errors)
        .sorted()
        .into_result((jobs.len(), copies.len() + assets.written.len()))
}
