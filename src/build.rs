//! The pipeline end to end: config -> theme -> site model -> rendered pages -> output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::fsutil::relative;
use crate::output::{Cleanup, Staging};
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
    /// Learns the build's temporary folder, so that a signal handler can remove it.
    pub cleanup: Cleanup,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files_copied: usize,
    /// Briefs and pages marked draft that this build left out.
    pub drafts_left_out: usize,
    pub warnings: Vec<crate::error::Diagnostic>,
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
    // With a broken theme the content is still checked, with the default theme's markup.
    let default_markup = crate::markdown::fragments::Markup::default();
    let site = Site::load(
        &options.root,
        config,
        &LoadOptions {
            include_drafts: options.drafts,
            has_template: &has_template,
            markup: theme.as_ref().map_or(&default_markup, |t| &t.markup),
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
    let (mut site, theme) = load(options)?;
    crate::memory::release_freed();
    let target = output_dir(options, &site);
    let staging = Staging::new(&options.root, &target, &options.cleanup)?;
    let (pages, files_copied) = write_site(&site, &theme, &staging, options.drafts)?;
    let drafts_left_out = site.drafts_left_out;
    let warnings = std::mem::take(&mut site.warnings);
    // The site model is most of the memory a build holds; the commit needs none of it.
    drop((site, theme));
    crate::memory::release_freed();
    staging.commit()?;
    Ok(BuildReport {
        output_dir: target,
        pages,
        files_copied,
        drafts_left_out,
        warnings,
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
    let machine: Vec<(String, Vec<u8>)> = seo::machine_files(site, &jobs, &theme.i18n)
        .into_iter()
        .chain(crate::brief_page::citation_files(site))
        .map(|(path, text)| (path, text.into_bytes()))
        .chain(crate::search::files(site, &theme.i18n))
        .collect();
    let mut copies = assets.copies;
    let bundle_files = site.briefs.iter().flat_map(|b| b.assets.iter());
    copies.extend(bundle_files.map(|(from, to)| theme::StaticFile {
        site_path: to.clone(),
        source: theme::StaticSource::Disk(from.clone()),
    }));
    Errors(collisions(site, &jobs, &machine, &copies))
        .sorted()
        .into_result(())?;
    // Checked against the other generated files above, so written after them.
    let machine: Vec<(String, Vec<u8>)> = machine
        .into_iter()
        .chain(crate::redirects::files(site))
        .collect();
    // Feeds, sitemaps, citation files and the search index, written (and their bytes let go)
    // before the pages are rendered, so that they are not held in memory beside them.
    let mut errors: Vec<Diagnostic> = Vec::new();
    for (site_path, bytes) in machine {
        errors.extend(staging.write(&site_path, &bytes).err());
    }
    crate::memory::release_freed();
    let page_errors = jobs.par_iter().filter_map(|job| {
        renderer
            .render(*job)
            .and_then(|html| staging.write(&job.output_path(), html.as_bytes()))
            .err()
    });
    errors.extend(page_errors.collect::<Vec<_>>());
    // Before the static files are copied, so that a site's own static/robots.txt wins.
    let robots = seo::sitemap::robots(&site.config.base_url);
    errors.extend(staging.write("robots.txt", robots.as_bytes()).err());
    for (site_path, bytes) in &assets.written {
        errors.extend(staging.write(site_path, bytes).err());
    }
    // The theme's and the site's static files, the site's winning on the same path, and the
    // files of brief bundles.
    for file in &copies {
        if let Err(e) = staging.copy(file) {
            errors.push(e);
        }
    }
    Errors(errors)
        .sorted()
        .into_result((jobs.len(), copies.len() + assets.written.len()))
}

/// A static file (theme, site `static/`, or a brief bundle's) published where brief writes a
/// page, feed or index would silently replace it: an error naming both. The one exception is
/// the site's own `static/robots.txt`, documented as replacing the generated one. Likewise an
/// alias's redirect page (see [`crate::redirects::collisions`]), and a static file where a
/// redirect page goes.
fn collisions(
    site: &Site,
    jobs: &[render::Job],
    machine: &[(String, Vec<u8>)],
    copies: &[theme::StaticFile],
) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut generated: BTreeMap<String, String> = BTreeMap::new();
    for job in jobs {
        let source = match job {
            render::Job::Brief(b) => Some(&b.source),
            render::Job::Page(p) => Some(&p.source),
            render::Job::Author(a, 1) => Some(&a.source),
            _ => None,
        };
        let what = match source {
            Some(source) => format!("the page of {}", source.display()),
            None => "a page brief generates".to_string(),
        };
        generated.insert(job.output_path(), what);
    }
    for (site_path, _) in machine {
        generated.insert(site_path.clone(), "a file brief generates".to_string());
    }
    generated.insert("robots.txt".into(), "a file brief generates".into());
    let aliases = crate::redirects::aliases(site);
    let mut errors = crate::redirects::collisions(&aliases, &generated);
    for alias in &aliases {
        let what = format!(
            "the redirect page of alias `{}` of {}",
            alias.alias,
            alias.source.display()
        );
        generated.entry(alias.output.clone()).or_insert(what);
    }
    if !aliases.is_empty() {
        let what = "_redirects, which brief writes from the aliases of briefs and pages";
        generated.insert(crate::redirects::REDIRECTS_FILE.into(), what.into());
    }
    let site_static = site.root.join(crate::content::STATIC_DIR);
    let is_site_robots = |file: &theme::StaticFile| match &file.source {
        theme::StaticSource::Disk(path) => path == &site_static.join("robots.txt"),
        theme::StaticSource::Embedded(_) => false,
    };
    for file in copies {
        let Some(what) = generated.get(&file.site_path) else {
            continue;
        };
        if is_site_robots(file) {
            continue;
        }
        let shown = match &file.source {
            theme::StaticSource::Disk(path) => relative(path, &site.root).display().to_string(),
            theme::StaticSource::Embedded(_) => {
                format!("(built-in default theme) static/{}", file.site_path)
            }
        };
        errors.push(
            Diagnostic::new(
                crate::error::Kind::Usage,
                format!(
                    "this file would be published at {}, replacing {what}",
                    file.site_path
                ),
            )
            .in_file(&shown)
            .help(format!(
                "rename or remove {shown}: a static file may not replace a page, feed or index brief writes (only static/robots.txt may replace robots.txt)"
            )),
        );
    }
    errors
}
