//! The pipeline end to end: config -> theme -> site model -> rendered pages -> output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::collections::BTreeSet;

use crate::build_cache::shape::Shape;
use crate::build_cache::{self, Cache};
use crate::config::Config;
use crate::content::body::Spill;
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
    /// Make no PDFs (`--no-pdf`), whatever config.toml says.
    pub no_pdf: bool,
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
    /// PDFs typeset and reused from the cache; `None` when PDFs are off or nothing was built.
    pub pdfs: Option<crate::pdf::Stats>,
    /// Output files written, replaced or removed.
    pub files_changed: usize,
    /// The build cache showed that nothing changed since the last build, which wrote nothing.
    pub up_to_date: bool,
    /// Only the pages showing edited briefs or authors were written, with the outputs
    /// written in every build (`pages` counts those pages).
    pub partial: bool,
}

/// Loads config, theme and content: everything short of writing.
pub fn load(options: &BuildOptions) -> Result<(Site, Theme), Errors> {
    load_cached(options, None)
}

/// [`load`], taking the briefs that `cache` has from it instead of parsing them again.
pub fn load_cached(
    options: &BuildOptions,
    cache: Option<&dyn crate::site::BriefCache>,
) -> Result<(Site, Theme), Errors> {
    load_with(options, cache, None)
}

/// [`load_cached`], each brief's body put in `spill` once it is loaded.
fn load_with(
    options: &BuildOptions,
    cache: Option<&dyn crate::site::BriefCache>,
    spill: Option<&std::sync::Arc<Spill>>,
) -> Result<(Site, Theme), Errors> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = BaseUrl::parse(base_url).map_err(|msg| {
            Diagnostic::new(crate::error::Kind::Usage, format!("--base-url: {msg}"))
        })?;
    }
    let theme = Theme::load(&options.root, &config.theme);
    // A theme that failed to load may well have the template: only its own errors are told.
    let has_template = |name: &str| match &theme {
        Ok(theme) => theme.has_template(name),
        Err(_) => true,
    };
    // With a broken theme the content is still checked, with the default theme's markup.
    let default_markup = crate::markdown::fragments::Markup::default();
    let site = Site::load(
        &options.root,
        config,
        &LoadOptions {
            include_drafts: options.drafts,
            has_template: &has_template,
            markup: theme.as_ref().map_or(&default_markup, |t| &t.markup),
            // Briefs loaded with another theme's markup are not those of this one.
            cache: cache.filter(|_| theme.is_ok()),
            spill,
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
    build_site(options, Instant::now(), None, None).map(|built| built.report)
}

/// Builds the site into its output folder with the build cache ([`crate::build_cache`]):
/// when no input changed since the last build into it and its files are still as that build
/// left them, nothing is written; when only briefs or authors were edited, only the pages
/// showing them are written again (with the outputs that list every brief). Output is the
/// same as [`build`]'s.
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
        options.no_pdf,
    );
    let build_cache::Taken {
        previous,
        inputs,
        stamps,
        binary,
        intact,
        note,
    } = cache.take(&options.root, &target, config_named(&config));
    if let Some(previous) = &previous
        && intact
        && previous.inputs == inputs
    {
        return Ok(BuildReport {
            output_dir: target,
            pages: previous.pages,
            files_copied: previous.files_copied,
            drafts_left_out: previous.drafts_left_out,
            warnings: previous.warnings.clone(),
            elapsed: started.elapsed(),
            pdfs: None,
            files_changed: 0,
            up_to_date: true,
            partial: false,
        });
    }
    // Pages written again only where the output is as the last build left it.
    let edit = previous.as_ref().filter(|_| intact).and_then(|p| {
        let edited = build_cache::shape::edited_documents(&p.inputs, &inputs)?;
        Some((&p.shape, edited))
    });
    let environment = build_cache::loads::Loads::environment(
        &binary.hash,
        &inputs,
        &options.root,
        options.drafts,
    );
    let loads = build_cache::loads::Loads::new(&options.root, environment, inputs.clone());
    let built = build_site(options, started, edit, Some(&loads))?;
    let mut report = built.report;
    let mut inputs = inputs;
    for name in &built.named {
        if !inputs.contains_key(name) {
            let hash = build_cache::fingerprint::inputs_named(&options.root, name);
            inputs.insert(name.clone(), hash);
        }
    }
    let mut record = cache.record(binary.hash.clone(), inputs, built.named);
    record.stamps = stamps;
    record.shape = built.shape;
    (record.pages, record.files_copied) = match (report.partial, &previous) {
        (true, Some(previous)) => (previous.pages, previous.files_copied),
        _ => (report.pages, report.files_copied),
    };
    record.drafts_left_out = report.drafts_left_out;
    record.warnings = report.warnings.clone();
    let written = Manifest::read(&report.output_dir)
        .ok()
        .flatten()
        .unwrap_or_default();
    let manifest = crate::output::MANIFEST.to_string();
    let listed = written.0.iter().chain(std::iter::once(&manifest));
    record.outputs = match (&built.changed, &previous) {
        (Some(changed), Some(previous)) => {
            build_cache::stamps_after(&report.output_dir, listed, &previous.outputs, changed)
        }
        _ => build_cache::stamps(&report.output_dir, listed),
    };
    report.warnings.extend(note);
    report.warnings.extend(built.cache_warnings);
    match cache.write(&record) {
        Ok(()) => binary.remember(),
        Err(problem) => report.warnings.push(problem),
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// config.toml as far as the build cache needs it (the output folder, the files it names);
/// `None` when it cannot be read, which the build then reports.
pub(crate) fn read_config(root: &std::path::Path) -> Option<Config> {
    let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).ok()?;
    Config::parse(&text).ok()
}

/// What [`build_site`] did, with what the build cache records of it.
struct Built {
    report: BuildReport,
    /// See [`named_files`].
    named: Vec<String>,
    shape: Shape,
    /// Problems with the load cache: warned of once, not repeated when nothing changed.
    cache_warnings: Vec<Diagnostic>,
    /// The output files a partial build wrote or removed (`None` after a full build).
    changed: Option<Vec<String>>,
}

/// Loads the site and writes its outputs: only the pages showing `edit`'s documents (and the
/// outputs written in every build) when the last build's shape says that is enough, else all.
fn build_site(
    options: &BuildOptions,
    started: Instant,
    edit: Option<(&Shape, Vec<String>)>,
    loads: Option<&build_cache::loads::Loads>,
) -> Result<Built, Errors> {
    let cache = loads.map(|l| l as &dyn crate::site::BriefCache);
    // Bodies on disk until their pages are rendered: at 100,000 briefs they are gigabytes. A
    // site folder that cannot take the file keeps them in memory.
    let spill = Spill::new(&options.root.join(crate::build_cache::SPILL_DIR)).ok();
    let (mut site, theme) = load_with(options, cache, spill.as_ref())?;
    // Before PDFs are linked to the briefs: an entry holds the brief as loaded.
    if let Some(loads) = loads {
        loads.loaded(&site);
    }
    // Memory is given back between stages of a full build; a build after an edit loads
    // little and frees little, and trimming the heap cost it 30 ms.
    let full = edit.is_none();
    if full {
        crate::memory::release_freed();
    }
    let target = output_dir(options, &site);
    // First: an output folder that cannot be used is refused before any typesetting.
    let staging = Staging::new(&options.root, &target, &options.cleanup)?;
    // Before the pages: each brief page links its PDF with its page count and size.
    let mut typeset = if site.config.pdf && !options.no_pdf {
        Some(crate::pdf::typeset_site(
            &mut site,
            &theme.i18n,
            None,
            crate::pdf::Mode::Typeset,
        )?)
    } else {
        None
    };
    let mut shape = Shape::of(&site);
    let pages =
        edit.and_then(|(before, edited)| Some((before, shape.affected(before, &site, &edited)?)));
    let scope = match &pages {
        Some((_, pages)) => Scope::Shown(pages.clone()),
        None => Scope::All,
    };
    let mut staging = staging;
    if pages.is_some() {
        staging.skip_unchanged();
    }
    let cx = outputs::Inputs::new(&site, &theme, options.drafts)?;
    let guard = outputs::Guard::new(&staging, &site.root);
    let (written, always) = outputs::write_recorded(&cx, &scope, &guard)?;
    // Only once the outputs are made: a build that fails writes nothing into the cache.
    let cache_warnings = loads.map(|l| l.save(&site)).unwrap_or_default();
    drop(cx);
    shape.always = always;
    let drafts_left_out = site.drafts_left_out;
    let mut warnings = std::mem::take(&mut site.warnings);
    if let Some(typeset) = &mut typeset {
        warnings.append(&mut typeset.warnings);
    }
    let named = named_files(&site);
    // The site model is most of the memory a build holds; the commit needs none of it.
    // Freeing 10,000 briefs is 50 ms, which the other core does while this one commits.
    let dropping = match full {
        true => drop_aside(((site, theme), Trim)),
        false => {
            let _ = drop_aside((site, theme));
            None
        }
    };
    let changed = match &pages {
        Some((before, _)) => staging.commit_partial(&no_longer_made(before, &shape)),
        None => staging.commit(),
    };
    // The briefs hold the spill file, whose folder a build without the cache removes when it
    // is dropped: gone before a full build returns.
    if let Some(dropping) = dropping {
        let _ = dropping.join();
    }
    let changed = changed?;
    // Only a committed build's PDFs enter the cache: a failed build leaves it as it was.
    let pdfs = typeset.map(|typeset| {
        let stats = typeset.stats;
        typeset.keep();
        stats
    });
    let report = BuildReport {
        output_dir: target,
        pages: written.pages,
        files_copied: written.copied,
        drafts_left_out,
        warnings,
        elapsed: started.elapsed(),
        pdfs,
        files_changed: changed.len(),
        up_to_date: false,
        partial: pages.is_some(),
    };
    Ok(Built {
        report,
        named,
        shape,
        cache_warnings,
        changed: pages.is_some().then_some(changed),
    })
}

/// Drops `value` on a thread of its own, so that the caller goes on meanwhile (in place if no
/// thread can be started); the thread, to be joined if the caller must know it is done. A
/// process that ends first just ends: the memory is the system's again either way.
fn drop_aside<T: Send + 'static>(value: T) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value))
        .ok()
}

/// Gives freed memory back to the system when dropped: dropped after what it is paired with,
/// on the thread that drops them ([`drop_aside`]).
struct Trim;

impl Drop for Trim {
    fn drop(&mut self) {
        crate::memory::release_freed();
    }
}

/// The files that the outputs written in every build made last time but not this time.
fn no_longer_made(before: &Shape, now: &Shape) -> BTreeSet<String> {
    let made: BTreeSet<&String> = now.always.values().flatten().collect();
    before
        .always
        .values()
        .flatten()
        .filter(|p| !made.contains(p))
        .cloned()
        .collect()
}

/// The bibliography and style files config.toml and the briefs name, site-relative: inputs
/// that may be outside the folders whose every file is one.
pub(crate) fn named_files(site: &Site) -> Vec<String> {
    let mut named = config_named(&site.config);
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

/// The bibliography and style files config.toml names.
pub(crate) fn config_named(config: &Config) -> Vec<String> {
    let mut named = config.bibliography.to_vec();
    named.extend(
        config
            .citation_style
            .clone()
            .filter(|s| s.ends_with(".csl")),
    );
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
