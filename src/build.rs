//! The pipeline end to end: config -> theme -> site model -> rendered pages -> output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::build_cache::{self, Cache};
use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::{Cleanup, Manifest, Staging};
use crate::outputs::{self, Scope};
use crate::site::{LoadOptions, Site};
use crate::theme::Theme;
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
    /// Output files written, replaced or removed.
    pub files_changed: usize,
    /// The build cache showed that nothing changed since the last build, which wrote nothing.
    pub up_to_date: bool,
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
    build_in_full(options, Instant::now()).map(|(report, _)| report)
}

/// Builds the site into its output folder unless the build cache ([`crate::build_cache`])
/// shows that no input changed since the last build into it and its files are still as that
/// build left them; then nothing is written. A full build records what it read and wrote.
pub fn build_cached(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    // Config's own problems are reported by the build, with their context.
    let Some(config) = read_config(&options.root) else {
        return build(options);
    };
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&config.output_dir));
    let cache = Cache::new(
        &options.root,
        &target,
        options.base_url.as_deref(),
        options.drafts,
    );
    let (previous, mut note) = cache.read();
    // The files named last time are hashed with the others; those named for the first time
    // are hashed after the build.
    let named = previous
        .as_ref()
        .map(|r| r.named.clone())
        .unwrap_or_default();
    let (binary, inputs) = rayon::join(build_cache::fingerprint::binary, || {
        build_cache::fingerprint::inputs(&options.root, &named)
    });
    let previous = previous.and_then(|record| {
        cache
            .written_by(record, &binary)
            .map_err(|problem| note = Some(problem))
            .ok()
    });
    if let Some(previous) = previous
        && previous.inputs == inputs
        && build_cache::outputs_intact(&target, &previous.outputs)
    {
        return Ok(BuildReport {
            output_dir: target,
            pages: previous.pages,
            files_copied: previous.files_copied,
            drafts_left_out: previous.drafts_left_out,
            warnings: previous.warnings,
            elapsed: started.elapsed(),
            files_changed: 0,
            up_to_date: true,
        });
    }
    let (mut report, named) = build_in_full(options, started)?;
    let mut inputs = inputs;
    for name in &named {
        if !inputs.contains_key(name) {
            let hash = build_cache::fingerprint::inputs_named(&options.root, name);
            inputs.insert(name.clone(), hash);
        }
    }
    let mut record = cache.record(binary, inputs, named);
    record.pages = report.pages;
    record.files_copied = report.files_copied;
    record.drafts_left_out = report.drafts_left_out;
    record.warnings = report.warnings.clone();
    let written = Manifest::read(&report.output_dir)
        .ok()
        .flatten()
        .unwrap_or_default();
    let manifest = crate::output::MANIFEST.to_string();
    let listed = written.0.iter().chain(std::iter::once(&manifest));
    record.outputs = build_cache::stamps(&report.output_dir, listed);
    report.warnings.extend(note);
    if let Err(problem) = cache.write(&record) {
        report.warnings.push(problem);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// config.toml as far as the build cache needs it (the output folder, the files it names);
/// `None` when it cannot be read, which the build then reports.
fn read_config(root: &std::path::Path) -> Option<Config> {
    let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).ok()?;
    Config::parse(&text).ok()
}

/// A build of every output, with the files config.toml and the briefs name that it read
/// (see [`named_files`]).
fn build_in_full(
    options: &BuildOptions,
    started: Instant,
) -> Result<(BuildReport, Vec<String>), Errors> {
    let (mut site, theme) = load(options)?;
    crate::memory::release_freed();
    let target = output_dir(options, &site);
    let staging = Staging::new(&options.root, &target, &options.cleanup)?;
    let written = write_site(&site, &theme, &staging, options.drafts)?;
    let drafts_left_out = site.drafts_left_out;
    let warnings = std::mem::take(&mut site.warnings);
    let named = named_files(&site);
    // The site model is most of the memory a build holds; the commit needs none of it.
    drop((site, theme));
    crate::memory::release_freed();
    let changed = staging.commit()?;
    let report = BuildReport {
        output_dir: target,
        pages: written.pages,
        files_copied: written.copied,
        drafts_left_out,
        warnings,
        elapsed: started.elapsed(),
        files_changed: changed.len(),
        up_to_date: false,
    };
    Ok((report, named))
}

/// The bibliography and style files config.toml and the briefs name, site-relative: inputs
/// that may be outside the folders whose every file is one.
fn named_files(site: &Site) -> Vec<String> {
    let config = &site.config;
    let mut named = config.bibliography.to_vec();
    named.extend(
        config
            .citation_style
            .clone()
            .filter(|s| s.ends_with(".csl")),
    );
    for brief in &site.briefs {
        let folder = brief.source.parent().unwrap_or(std::path::Path::new(""));
        for file in brief.front.bibliography.to_vec() {
            let path = folder.join(file);
            named.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
    named.sort();
    named.dedup();
    named
}

/// The folder a build writes to: `--output`, else `output_dir` under the site root.
pub fn output_dir(options: &BuildOptions, site: &Site) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir))
}

/// Writes every output of the site ([`crate::outputs::OUTPUTS`]) into `staging`, each file as
/// soon as it is rendered (pages in parallel), so memory holds only the files in flight;
/// refuses outputs published over one another ([`outputs::Guard`]).
pub fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    drafts_shown: bool,
) -> Result<outputs::Written, Errors> {
    let cx = outputs::Inputs::new(site, theme, drafts_shown)?;
    let guard = outputs::Guard::new(staging, &site.root);
    outputs::write(&cx, &Scope::All, &guard)
}
