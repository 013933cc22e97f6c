//! Stage 1: the site's `config.toml`, parsed into a typed [`Config`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Errors, Kind, Location, did_you_mean, line_col};
use crate::fsutil::read_text;
use crate::tomlkeys::{self, Failure, Lines, Schema};
use crate::urls::BaseUrl;

pub const CONFIG_FILE: &str = "config.toml";

/// The keys a site's `config.toml` may set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default = "default_toc_depth")]
    pub toc_depth: u8,
    /// Briefs per listing page; 0 or absent means [`DEFAULT_PAGINATE_BY`].
    #[serde(default)]
    pub paginate_by: i64,
    /// Header navigation; absent means the default menu.
    pub menu: Option<Vec<RawMenuItem>>,
    /// Footer text, inline Markdown.
    pub footer: Option<String>,
    /// Disclaimer below every brief, inline Markdown; a brief's own `disclaimer` replaces it.
    pub disclaimer: Option<String>,
    /// Path of the logo image in static/.
    pub logo: Option<String>,
    /// Briefs in each Atom feed.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Which feeds carry each brief's full text rather than its summary.
    #[serde(default)]
    pub feed_full_text: FeedFullText,
    /// Write each brief's BibTeX and RIS files (`<slug>.bib`, `<slug>.ris`) for the "Cite this
    /// brief" box to link to; off, the box carries them in its download links.
    #[serde(default)]
    pub citation_files: bool,
    /// Minify HTML pages and CSS files (and name assets by content, unless `hash_assets = false`).
    #[serde(default)]
    pub minify: bool,
    /// Name CSS and JS files by a hash of their bytes; absent means the value of `minify`.
    pub hash_assets: Option<bool>,
    /// Typeset every brief as a PDF (`briefs/<slug>/<slug>.pdf`); on unless `pdf = false`.
    #[serde(default = "default_pdf")]
    pub pdf: bool,
    /// Bibliography files every brief can cite from, relative to the site's folder.
    #[serde(default)]
    pub bibliography: crate::content::brief::OneOrMany,
    /// A style of `bibliography::STYLES` or the path of a `.csl` file; absent is Chicago notes.
    pub citation_style: Option<String>,
    /// How images are published: `[images]`.
    pub images: Option<RawImages>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[images]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImages {
    /// Widths every image is published at (up to its own), in pixels.
    pub widths: Option<Vec<i64>>,
    /// Megabytes above which `brief check` warns about an image file.
    pub max_size_mb: Option<f64>,
}

/// `feed_full_text`: which Atom feeds carry each brief's full text; the others carry its
/// summary and a link. Full text in every author's and topic's feed repeats each brief in
/// several feeds (at 10,000 briefs and 650 authors, 170 MB nobody reads), so by default only
/// the site's own feed has it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFullText {
    /// The site's feed (`feed.xml`) only.
    #[default]
    Site,
    /// Every feed, including each author's, topic's, region's and program's.
    All,
    /// No feed: summaries everywhere.
    None,
}

/// One `[[menu]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMenuItem {
    pub name: String,
    pub url: String,
}

/// Briefs per listing page when config.toml does not say.
pub const DEFAULT_PAGINATE_BY: usize = 10;

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}
fn default_toc_depth() -> u8 {
    3
}
fn default_pdf() -> bool {
    true
}
fn default_feed_limit() -> usize {
    20
}

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "output_dir",
    "toc_depth",
    "paginate_by",
    "menu",
    "footer",
    "disclaimer",
    "logo",
    "feed_limit",
    "feed_full_text",
    "citation_files",
    "minify",
    "hash_assets",
    "pdf",
    "bibliography",
    "citation_style",
    "images",
    "extra",
];

/// Every key config.toml may set, top level and in each `[[menu]]` entry.
const SCHEMA: Schema = Schema {
    keys: CONFIG_KEYS,
    tables: &[("menu", MENU_KEYS), ("images", IMAGES_KEYS)],
};

const IMAGES_KEYS: &[&str] = &["widths", "max_size_mb"];

const MENU_KEYS: &[&str] = &["name", "url"];

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: BaseUrl,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    /// Deepest heading level listed in a table of contents (2..=6).
    pub toc_depth: u8,
    /// Briefs per listing page (at least 1).
    pub paginate_by: usize,
    /// Header navigation; `None` means the default menu.
    pub menu: Option<Vec<MenuItem>>,
    /// Footer text: inline Markdown as written, which [`crate::site::Site::load`] replaces with
    /// its HTML once it knows where each document is published (for its links).
    pub footer: Option<String>,
    /// Default disclaimer below every brief, as `footer` is.
    pub disclaimer: Option<String>,
    /// Site-relative path of the logo, e.g. `images/logo.svg`; checked to exist by [`Config::load`].
    pub logo: Option<String>,
    /// Briefs in each Atom feed, newest first (at least 1).
    pub feed_limit: usize,
    /// Which feeds carry each brief's full text rather than its summary.
    pub feed_full_text: FeedFullText,
    /// Write `<slug>.bib` and `<slug>.ris` beside each brief and link them; otherwise the
    /// download links carry the files as `data:` addresses (two files fewer per brief: at
    /// 10,000 briefs, 20,000 of a build's 37,000 files).
    pub citation_files: bool,
    /// Minify HTML pages and CSS files.
    pub minify: bool,
    /// Write CSS and JS files as `name.<hash>.ext` and link to those names.
    pub hash_assets: bool,
    /// Typeset a PDF of every brief (`pdf = false` or `brief build --no-pdf` turn it off).
    pub pdf: bool,
    pub extra: toml::Table,
    /// Bibliography files of `bibliography`, as written.
    pub bibliography: crate::content::brief::OneOrMany,
    pub citation_style: Option<String>,
    /// The citation style and the works of `bibliography`, read by [`Config::load`].
    pub citations: std::sync::Arc<crate::bibliography::Citations>,
    /// `[images]`: the widths images are published at and the size `brief check` warns above.
    pub images: crate::images::Settings,
    /// Where each key is in config.toml, for errors found after parsing (a missing logo).
    pub keys: Lines,
}

/// A link of the header navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub name: String,
    pub target: MenuTarget,
}

impl MenuItem {
    /// Its address in the header: a path of this site under base_url's path, else as written.
    pub fn href(&self, base: &BaseUrl) -> String {
        match &self.target {
            MenuTarget::Site(path) => base.path_of(path),
            MenuTarget::External(url) => url.clone(),
        }
    }

    /// Its url as written (trimmed): `/about/`, `https://…`.
    pub fn url(&self) -> String {
        match &self.target {
            MenuTarget::Site(path) => format!("/{path}"),
            MenuTarget::External(url) => url.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuTarget {
    /// A path of this site, e.g. `about/`, resolved against base_url.
    Site(String),
    /// An address elsewhere, used as written.
    External(String),
}

impl Config {
    /// Reads and validates `<root>/config.toml`.
    pub fn load(root: &Path) -> Result<Config, Errors> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Diagnostic::new(
                Kind::Config,
                format!("no {CONFIG_FILE} found in {}", root.display()),
            )
            .help("run brief in the site's folder, pass --root DIR, or create a site with `brief init DIR`").into());
        }
        let text = read_text(&path, Path::new(CONFIG_FILE))?;
        let mut config = Config::parse(&text)?;
        config.citations = std::sync::Arc::new(config.load_citations(root)?);
        if let Some(logo) = &config.logo {
            if !crate::content::stays_inside(logo) {
                return Err(config_error(
                    &config.keys,
                    "logo",
                    format!("logo `{logo}` points outside the site's static/ folder"),
                )
                .help("put the image in the site's static/ folder and give its path from there, e.g. logo = \"images/logo.svg\"; `..` is not allowed").into());
            }
            let file = root.join(crate::content::STATIC_DIR).join(logo);
            if !file.is_file() {
                return Err(config_error(
                    &config.keys,
                    "logo",
                    format!("logo `{logo}` not found: there is no file static/{logo}"),
                )
                .help("put the image in the site's static/ folder and give its path from there, e.g. logo = \"images/logo.svg\"").into());
            }
        }
        Ok(config)
    }

    /// The files of `bibliography` and the `citation_style`, read from the site's folder.
    fn load_citations(&self, root: &Path) -> Result<crate::bibliography::Citations, Errors> {
        let files = self
            .bibliography
            .to_vec()
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f, self.bibliography.key("bibliography", i)))
            .collect();
        let settings = crate::bibliography::SiteSettings {
            files,
            style: self.citation_style.as_deref(),
        };
        crate::bibliography::load_site(root, &settings, &|key| {
            self.keys.location(Path::new(CONFIG_FILE), key)
        })
        .map_err(|problems| Errors(problems).sorted())
    }

    /// Parses the text of a `config.toml`, reporting every unknown key and wrong value.
    pub fn parse(text: &str) -> Result<Config, Errors> {
        let (raw, positions): (RawConfig, _) = tomlkeys::read(text, &SCHEMA)
            .map_err(|failures| Errors(failures.iter().map(|f| toml_error(f, text)).collect()))?;
        let keys = positions.in_file(text, 0);
        let mut errors = Errors::default();
        let base_url = BaseUrl::parse(&raw.base_url).map_err(|msg| {
            config_error(&keys, "base_url", msg)
                .help("write the full address the site is published at, e.g. base_url = \"https://example.org/\" or \"https://user.github.io/repo/\"")
        });
        if let Err(problem) = check_theme_name(&raw.theme, &keys) {
            errors.push(problem);
        }
        if !(2..=6).contains(&raw.toc_depth) {
            errors.push(
                config_error(
                    &keys,
                    "toc_depth",
                    format!("toc_depth must be between 2 and 6, not {}", raw.toc_depth),
                )
                .help("toc_depth = 3 lists h2 and h3 headings"),
            );
        }
        let paginate_by = match raw.paginate_by {
            0 => DEFAULT_PAGINATE_BY,
            n if n > 0 => n as usize,
            n => {
                errors.push(config_error(
                    &keys,
                    "paginate_by",
                    format!("paginate_by must be a number of briefs per page, not {n}"),
                )
                .help(format!("paginate_by = 10 lists ten briefs per page; leave it out for {DEFAULT_PAGINATE_BY}")));
                DEFAULT_PAGINATE_BY
            }
        };
        if raw.feed_limit == 0 {
            errors.push(
                config_error(&keys, "feed_limit", "feed_limit must be at least 1")
                    .help("feed_limit = 20 puts the 20 newest briefs in each feed"),
            );
        }
        if let Some((message, help)) = crate::i18n::language_tag_problem(&raw.language) {
            errors.push(config_error(&keys, "language", message).help(help));
        }
        let mut menu_items = Vec::new();
        for (i, item) in raw.menu.into_iter().flatten().enumerate() {
            match menu_item(item, &keys, i) {
                Ok(item) => menu_items.push(item),
                Err(problem) => errors.push(problem),
            }
        }
        let menu = keys.line("menu").map(|_| menu_items);
        let images = image_settings(raw.images.as_ref(), &keys, &mut errors);
        let base_url = match base_url {
            Ok(base_url) => base_url,
            Err(problem) => {
                errors.push(problem);
                return Err(errors.sorted());
            }
        };
        let logo = raw
            .logo
            .map(|l| l.trim().trim_start_matches('/').to_string());
        errors.sorted().into_result(Config {
            title: raw.title,
            base_url,
            description: raw.description,
            language: crate::i18n::canonical_tag(&raw.language),
            theme: raw.theme,
            output_dir: raw.output_dir,
            toc_depth: raw.toc_depth,
            paginate_by,
            menu,
            footer: raw.footer,
            disclaimer: raw.disclaimer,
            logo,
            feed_limit: raw.feed_limit,
            feed_full_text: raw.feed_full_text,
            citation_files: raw.citation_files,
            minify: raw.minify,
            hash_assets: raw.hash_assets.unwrap_or(raw.minify),
            pdf: raw.pdf,
            extra: raw.extra,
            bibliography: raw.bibliography,
            citation_style: raw.citation_style,
            citations: Default::default(),
            images,
            keys,
        })
    }
}

/// `theme` names a folder under themes/: not empty, not a path (`""` would read themes/ itself
/// as the theme and fail later with a confusing template error).
fn check_theme_name(theme: &str, keys: &Lines) -> Result<(), Diagnostic> {
    let trimmed = theme.trim();
    let problem = if trimmed.is_empty() {
        "theme is empty".to_string()
    } else if trimmed != theme || !is_folder_name(theme) {
        format!("theme `{theme}` must be the name of a folder under themes/, not a path")
    } else {
        return Ok(());
    };
    Err(config_error(keys, "theme", problem).help(
        "write theme = \"default\" for the built-in theme, or the name of a folder under themes/; or remove the line",
    ))
}

/// A `[[menu]]` url: `/about/` is a page of this site, `https://…` (or `mailto:`) is elsewhere.
fn menu_item(item: RawMenuItem, keys: &Lines, index: usize) -> Result<MenuItem, Diagnostic> {
    let url = item.url.trim();
    let target = if let Some(path) = url.strip_prefix('/') {
        MenuTarget::Site(path.to_string())
    } else if crate::content::is_allowed_link(url) {
        MenuTarget::External(url.to_string())
    } else {
        return Err(Diagnostic::new(
            Kind::Config,
            format!("menu item `{}` has url `{}`, which is neither a path of this site nor a full address", item.name, item.url),
        )
        .at(keys.location(Path::new(CONFIG_FILE), &format!("menu[{index}].url")))
        .help(format!("write url = \"/{}\" for a page of this site (base_url is added for you), or a full address starting with https://", url.trim_start_matches("./"))));
    };
    Ok(MenuItem {
        name: item.name,
        target,
    })
}

/// Whether `name` is one plain folder name, so that `themes/<name>` stays inside themes/.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', ':'])
}

/// An error about one key of config.toml, pointing at the key.
/// Widths images are published at above this are refused: wider than any screen's need.
const WIDEST_WIDTH: i64 = 8192;

/// `[images]` checked: widths between 16 and [`WIDEST_WIDTH`] pixels, sorted, without
/// repeats; a positive size limit. A wrong value is reported and the default used.
fn image_settings(
    raw: Option<&RawImages>,
    keys: &Lines,
    errors: &mut Errors,
) -> crate::images::Settings {
    let mut settings = crate::images::Settings::default();
    let Some(raw) = raw else {
        return settings;
    };
    if let Some(widths) = &raw.widths {
        let bad: Vec<&i64> = widths
            .iter()
            .filter(|w| !(16..=WIDEST_WIDTH).contains(*w))
            .collect();
        if widths.is_empty() || !bad.is_empty() {
            let what = match bad.first() {
                Some(w) => format!(
                    "[images] widths has {w}, not a width in pixels between 16 and {WIDEST_WIDTH}"
                ),
                None => "[images] widths is empty".to_string(),
            };
            errors.push(config_error(keys, "images.widths", what).help(
                "list the widths images are published at, e.g. widths = [480, 960, 1600, 2400]; leave it out for those",
            ));
        } else {
            let mut widths: Vec<u32> = widths.iter().map(|w| *w as u32).collect();
            widths.sort_unstable();
            widths.dedup();
            settings.widths = widths;
        }
    }
    if let Some(mb) = raw.max_size_mb {
        if mb > 0.0 && mb.is_finite() {
            settings.large = (mb * 1_000_000.0) as u64;
        } else {
            errors.push(
                config_error(
                    keys,
                    "images.max_size_mb",
                    format!("[images] max_size_mb must be a number of megabytes above 0, not {mb}"),
                )
                .help("max_size_mb = 20 makes `brief check` warn about image files over 20 MB"),
            );
        }
    }
    settings
}

fn config_error(keys: &Lines, key: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Kind::Config, message).at(keys.location(Path::new(CONFIG_FILE), key))
}

fn toml_error(failure: &Failure, text: &str) -> Diagnostic {
    let (line, column) = failure.offset().map_or((1, 1), |at| line_col(text, at));
    let message = match failure {
        Failure::UnknownKey {
            key, table: None, ..
        } => format!("unknown key `{key}`"),
        Failure::UnknownKey {
            key,
            table: Some(table),
            ..
        } => {
            return Diagnostic::new(Kind::Config, format!("unknown key `{key}` in [[{table}]]"))
                .at(Location::at(CONFIG_FILE, line, column))
                .help(format!(
                    "each [[{table}]] entry takes {}",
                    MENU_KEYS.join(", ")
                ));
        }
        Failure::Toml(err) => {
            if let Some((c, column)) = crate::content::control::on_line(text, line) {
                return crate::content::control::error(c, Location::at(CONFIG_FILE, line, column));
            }
            if let Some((message, help)) = crate::tomlkeys::syntax(err.message()) {
                return Diagnostic::new(Kind::Config, message)
                    .at(Location::at(CONFIG_FILE, line, column))
                    .help(help);
            }
            if let Some((message, help)) = readable_toml_error(err.message(), text, failure, line) {
                let diagnostic = Diagnostic::new(Kind::Config, message).at(Location::at(
                    CONFIG_FILE,
                    line,
                    column,
                ));
                return match help {
                    Some(help) => diagnostic.help(help),
                    None => diagnostic,
                };
            }
            err.message().trim().to_string()
        }
    };
    let mut diagnostic =
        Diagnostic::new(Kind::Config, message.clone()).at(Location::at(CONFIG_FILE, line, column));
    if let Some(key) = unknown_field(&message).or(message
        .strip_prefix("unknown key `")
        .and_then(|r| r.split('`').next()))
    {
        let mut help = String::new();
        if let Some(close) = did_you_mean(key, CONFIG_KEYS.iter().copied()) {
            help.push_str(&format!("did you mean `{close}`? "));
        }
        help.push_str(&format!(
            "valid keys are {}; put your own settings under [extra]",
            CONFIG_KEYS.join(", ")
        ));
        diagnostic = diagnostic.help(help);
    }
    diagnostic
}

/// A wrong type or a key set twice in an editor's words, with an example line for the help
/// when one fits: "`toc_depth` must be a whole number, but found the text \"3\"" (serde:
/// "invalid type: string \"3\", expected u8"). The key comes from the value's span, or for a
/// syntax error (a key set twice) from the text of its line.
fn readable_toml_error(
    message: &str,
    text: &str,
    failure: &Failure,
    line: usize,
) -> Option<(String, Option<String>)> {
    let key = failure
        .offset()
        .and_then(|at| crate::tomlkeys::key_at(text, at))
        .map(|(_, key)| key)
        .or_else(|| {
            let written = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?.0;
            Some(written.trim().to_string())
        })
        .filter(|key| !key.is_empty())?;
    if let Some(wrong) = crate::tomlkeys::WrongType::of(message) {
        // The value itself, or an item of a list (`widths = [480, "960"]`).
        let item = failure
            .offset()
            .and_then(|at| text.get(..at))
            .is_some_and(|before| !before.trim_end().ends_with('='));
        let subject = match item {
            true => format!("each item of `{key}`"),
            false => format!("`{key}`"),
        };
        // Only a single value makes an example line; of a list or table the README shows what.
        let help = wrong
            .example
            .filter(|example| !item && !example.starts_with('['))
            .map(|example| format!("write it as {key} = {example}"));
        return Some((
            format!(
                "{subject} must be {}, but found {}",
                wrong.wanted, wrong.found
            ),
            help,
        ));
    }
    (message.trim() == "duplicate key").then(|| {
        (
            format!("`{key}` is set twice"),
            Some(format!(
                "a key is set once: remove one of the `{key} = ...` lines"
            )),
        )
    })
}

/// The field name in serde's "unknown field `x`, expected ..." message.
pub fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The field name in serde's "missing field `x`" message.
pub fn missing_field(message: &str) -> Option<&str> {
    let rest = message.trim().strip_prefix("missing field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_optional_keys() {
        let config = Config::parse("title = \"T\"\nbase_url = \"https://example.org\"").unwrap();
        assert_eq!(config.theme, "default");
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.base_url.as_str(), "https://example.org/");
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let err = Config::parse("title = \"T\"\nbase_url = \"https://e.org/\"\ntheem = \"x\"\n")
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("config.toml:3:1"), "{shown}");
        assert!(shown.contains("did you mean `theme`"), "{shown}");
    }

    #[test]
    fn every_unknown_key_and_every_bad_value_is_reported_at_once() {
        let text = "title = \"T\"\nbase_url = \"https://e.org/\"\ntheem = \"x\"\ntoc_depth = 9\nfeed_limt = 3\n[[menu]]\nname = \"A\"\nurl = \"about\"\nlink = \"x\"\n";
        let shown = Config::parse(text).unwrap_err().to_string();
        for expected in [
            "config.toml:3:1: unknown key `theem`",
            "config.toml:5:1: unknown key `feed_limt`",
            "config.toml:9:1: unknown key `link` in [[menu]]",
            "3 errors",
        ] {
            assert!(shown.contains(expected), "{expected}\n{shown}");
        }
        // Values are checked once every key is known: all of those problems at once too.
        let text = "title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"\"\ntoc_depth = 9\nfeed_limit = 0\n";
        let shown = Config::parse(text).unwrap_err().to_string();
        for expected in [
            "config.toml:3:1: theme is empty",
            "config.toml:4:1: toc_depth must be between 2 and 6",
            "config.toml:5:1: feed_limit must be at least 1",
            "3 errors",
        ] {
            assert!(shown.contains(expected), "{expected}\n{shown}");
        }
        let text = "title = \"T\"\nbase_url = \"https://e.org/\"\n[[menu]]\nname = \"A\"\nurl = \"about\"\n";
        let shown = Config::parse(text).unwrap_err().to_string();
        assert!(shown.contains("config.toml:5:1: menu item `A`"), "{shown}");
    }

    #[test]
    fn paginate_by_zero_or_absent_means_the_default() {
        let base = "title = \"T\"\nbase_url = \"https://e.org/\"\n";
        assert_eq!(
            Config::parse(base).unwrap().paginate_by,
            DEFAULT_PAGINATE_BY
        );
        let zero = format!("{base}paginate_by = 0\n");
        assert_eq!(
            Config::parse(&zero).unwrap().paginate_by,
            DEFAULT_PAGINATE_BY
        );
    }

    #[test]
    fn menu_urls_are_site_paths_or_full_addresses() {
        let text = "title = \"T\"\nbase_url = \"https://e.org/\"\n[[menu]]\nname = \"A\"\nurl = \"/about/\"\n[[menu]]\nname = \"B\"\nurl = \"https://x.org/\"\n";
        let targets: Vec<_> = Config::parse(text)
            .unwrap()
            .menu
            .unwrap()
            .into_iter()
            .map(|m| m.target)
            .collect();
        assert_eq!(
            targets,
            [
                MenuTarget::Site("about/".into()),
                MenuTarget::External("https://x.org/".into())
            ]
        );
    }

    #[test]
    fn empty_or_path_theme_is_rejected_at_its_line() {
        for theme in ["", " ", "../other", "themes/default"] {
            let text =
                format!("title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"{theme}\"\n");
            let err = Config::parse(&text).unwrap_err().to_string();
            assert!(err.contains("config.toml:3:"), "{err}");
            assert!(err.contains("theme = \"default\""), "{err}");
        }
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let err = Config::parse("title = \"T\"\nbase_url = \"/docs/\"\n").unwrap_err();
        assert!(err.to_string().contains("config.toml:2"), "{err}");
    }
}
