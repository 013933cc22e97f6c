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
    #[serde(default)]
    pub extra: toml::Table,
}

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

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "output_dir",
    "toc_depth",
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
    pub extra: toml::Table,
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
        Config::parse(&text)
    }

    /// Parses the text of a `config.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&e, text))?;
        let base_url = BaseUrl::parse(&raw.base_url).map_err(|msg| {
            config_error(text, "base_url", msg)
                .help("write the full address the site is published at, e.g. base_url = \"https://example.org/\" or \"https://user.github.io/repo/\"")
        })?;
        if !(2..=6).contains(&raw.toc_depth) {
            return Err(config_error(
                text,
                "toc_depth",
                format!("toc_depth must be between 2 and 6, not {}", raw.toc_depth),
            )
            .help("toc_depth = 3 lists h2 and h3 headings"));
        }
        Ok(Config {
            title: raw.title,
            base_url,
            description: raw.description,
            language: raw.language,
            theme: raw.theme,
            output_dir: raw.output_dir,
            toc_depth: raw.toc_depth,
            extra: raw.extra,
        })
    }
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
    fn relative_base_url_is_rejected() {
        let err = Config::parse("title = \"T\"\nbase_url = \"/docs/\"\n").unwrap_err();
        assert!(err.to_string().contains("config.toml:2"), "{err}");
    }
}
