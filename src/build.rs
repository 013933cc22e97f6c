//! The pipeline end to end: config -> theme -> site model -> rendered pages -> output folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{Diagnostic, Errors};
use crate::output::{Cleanup, Staging};
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
    /// PDFs typeset and reused from the cache; `None` when PDFs are off.
    pub pdfs: Option<crate::pdf::Stats>,
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
    let written = write_site(&site, &theme, &staging, options.drafts)?;
    let drafts_left_out = site.drafts_left_out;
    let mut warnings = std::mem::take(&mut site.warnings);
    if let Some(typeset) = &mut typeset {
        warnings.append(&mut typeset.warnings);
    }
    // The site model is most of the memory a build holds; the commit needs none of it.
    drop((site, theme));
    crate::memory::release_freed();
    staging.commit()?;
    // Only a committed build's PDFs enter the cache: a failed build leaves it as it was.
    let pdfs = typeset.map(|typeset| {
        let stats = typeset.stats;
        typeset.keep();
        stats
    });
    Ok(BuildReport {
        output_dir: target,
        pages: written.pages,
        files_copied: written.copied,
        drafts_left_out,
        warnings,
        elapsed: started.elapsed(),
        pdfs,
    })
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
