//! Stage 1: the site's `config.toml`, parsed into a typed [`Config`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Kind, Location, did_you_mean, line_col};
use crate::fsutil::read_text;
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
    /// Minify HTML pages and CSS files (and name assets by content, unless `hash_assets = false`).
    #[serde(default)]
    pub minify: bool,
    /// Name CSS and JS files by a hash of their bytes; absent means the value of `minify`.
    pub hash_assets: Option<bool>,
    #[serde(default)]
    pub extra: toml::Table,
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
    "minify",
    "hash_assets",
    "extra",
];

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
    /// Footer text as inline HTML, rendered from Markdown.
    pub footer: Option<String>,
    /// Default disclaimer below every brief, as inline HTML rendered from Markdown.
    pub disclaimer: Option<String>,
    /// Site-relative path of the logo, e.g. `images/logo.svg`; checked to exist by [`Config::load`].
    pub logo: Option<String>,
    /// Briefs in each Atom feed, newest first (at least 1).
    pub feed_limit: usize,
    /// Minify HTML pages and CSS files.
    pub minify: bool,
    /// Write CSS and JS files as `name.<hash>.ext` and link to those names.
    pub hash_assets: bool,
    pub extra: toml::Table,
}

/// A link of the header navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub name: String,
    pub target: MenuTarget,
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
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Diagnostic::new(
                Kind::Config,
                format!("no {CONFIG_FILE} found in {}", root.display()),
            )
            .help("run brief in the site's folder, pass --root DIR, or create a site with `brief init DIR`"));
        }
        let text = read_text(&path, Path::new(CONFIG_FILE))?;
        let config = Config::parse(&text)?;
        if let Some(logo) = &config.logo {
            let file = root.join(crate::content::STATIC_DIR).join(logo);
            if !file.is_file() {
                return Err(config_error(
                    &text,
                    "logo",
                    format!("logo `{logo}` not found: there is no file static/{logo}"),
                )
                .help("put the image in the site's static/ folder and give its path from there, e.g. logo = \"images/logo.svg\""));
            }
        }
        Ok(config)
    }

    /// Parses the text of a `config.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
        let base_url = BaseUrl::parse(&raw.base_url).map_err(|msg| {
            config_error(text, "base_url", msg)
                .help("write the full address the site is published at, e.g. base_url = \"https://example.org/\" or \"https://user.github.io/repo/\"")
        })?;
        check_theme_name(&raw.theme, text)?;
        if !(2..=6).contains(&raw.toc_depth) {
            return Err(config_error(
                text,
                "toc_depth",
                format!("toc_depth must be between 2 and 6, not {}", raw.toc_depth),
            )
            .help("toc_depth = 3 lists h2 and h3 headings"));
        }
        let paginate_by = match raw.paginate_by {
            0 => DEFAULT_PAGINATE_BY,
            n if n > 0 => n as usize,
            n => {
                return Err(config_error(
                    text,
                    "paginate_by",
                    format!("paginate_by must be a number of briefs per page, not {n}"),
                )
                .help(format!("paginate_by = 10 lists ten briefs per page; leave it out for {DEFAULT_PAGINATE_BY}")));
            }
        };
        if raw.feed_limit == 0 {
            return Err(
                config_error(text, "feed_limit", "feed_limit must be at least 1")
                    .help("feed_limit = 20 puts the 20 newest briefs in each feed"),
            );
        }
        let menu = match raw.menu {
            None => None,
            Some(items) => Some(
                items
                    .into_iter()
                    .map(|item| menu_item(item, text))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let logo = raw
            .logo
            .map(|l| l.trim().trim_start_matches('/').to_string());
        Ok(Config {
            title: raw.title,
            base_url,
            description: raw.description,
            language: raw.language,
            theme: raw.theme,
            output_dir: raw.output_dir,
            toc_depth: raw.toc_depth,
            paginate_by,
            menu,
            footer: raw.footer.as_deref().map(crate::markdown::render_inline),
            disclaimer: raw
                .disclaimer
                .as_deref()
                .map(crate::markdown::render_inline),
            logo,
            feed_limit: raw.feed_limit,
            minify: raw.minify,
            hash_assets: raw.hash_assets.unwrap_or(raw.minify),
            extra: raw.extra,
        })
    }
}

/// `theme` names a folder under themes/: not empty, not a path (`""` would read themes/ itself
/// as the theme and fail later with a confusing template error).
fn check_theme_name(theme: &str, text: &str) -> Result<(), Diagnostic> {
    let trimmed = theme.trim();
    let problem = if trimmed.is_empty() {
        "theme is empty".to_string()
    } else if trimmed != theme || theme.contains(['/', '\\']) || theme == "." || theme == ".." {
        format!("theme `{theme}` must be the name of a folder under themes/, not a path")
    } else {
        return Ok(());
    };
    Err(config_error(text, "theme", problem).help(
        "write theme = \"default\" for the built-in theme, or the name of a folder under themes/; or remove the line",
    ))
}

/// A `[[menu]]` url: `/about/` is a page of this site, `https://…` (or `mailto:`) is elsewhere.
fn menu_item(item: RawMenuItem, text: &str) -> Result<MenuItem, Diagnostic> {
    let url = item.url.trim();
    let target = if let Some(path) = url.strip_prefix('/') {
        MenuTarget::Site(path.to_string())
    } else if url.contains("://") || url.starts_with("mailto:") {
        MenuTarget::External(url.to_string())
    } else {
        let line = text
            .lines()
            .position(|l| l.contains(&format!("\"{}\"", item.url)))
            .map_or(1, |i| i + 1);
        return Err(Diagnostic::new(
            Kind::Config,
            format!("menu item `{}` has url `{}`, which is neither a path of this site nor a full address", item.name, item.url),
        )
        .at(Location::at(CONFIG_FILE, line, 1))
        .help(format!("write url = \"/{}\" for a page of this site (base_url is added for you), or a full address starting with https://", url.trim_start_matches("./"))));
    };
    Ok(MenuItem {
        name: item.name,
        target,
    })
}

/// An error about one key of config.toml, pointing at the line that sets it.
fn config_error(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 1);
    Diagnostic::new(Kind::Config, message).at(Location::at(CONFIG_FILE, line, 1))
}

fn toml_error(err: &toml::de::Error, text: &str) -> Diagnostic {
    let (line, column) = err.span().map_or((1, 1), |s| line_col(text, s.start));
    let message = err.message().trim().to_string();
    let mut diagnostic =
        Diagnostic::new(Kind::Config, message.clone()).at(Location::at(CONFIG_FILE, line, column));
    if let Some(key) = unknown_field(&message) {
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
