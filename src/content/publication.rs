//! How a brief is published beyond its own page: its DOI, a PDF to download, the outlet it
//! first appeared in, and the disclaimer below it. Checked and resolved while the brief loads,
//! so a bad DOI or a missing PDF is an error at its line.

use std::path::Path;

use serde::Deserialize;

use super::brief::FrontMatter;
use super::frontmatter::{Lines, PubDate};
use super::{Asset, asset_location, resolve_asset};
use crate::cite::normalize_doi;
use crate::error::{Diagnostic, Kind};
use crate::markdown::render_inline_linked;

/// The `originally_published` table: where a syndicated brief first appeared.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginalPublication {
    pub outlet: String,
    pub url: String,
    pub date: Option<PubDate>,
}

pub const ORIGINAL_KEYS: &[&str] = &["outlet", "url", "date"];

/// A file offered for download, with its size when it is a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Download {
    pub asset: Asset,
    /// Size in bytes, read at build time; `None` for an external address.
    pub bytes: Option<u64>,
    /// Pages, when brief typeset it ([`crate::pdf`]).
    pub pages: Option<usize>,
    /// The typeset file (in the PDF cache) that the build copies into place.
    pub made: Option<std::path::PathBuf>,
}

/// The resolved publishing details of a brief.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Publication {
    /// The DOI without a `https://doi.org/` prefix, e.g. `10.1234/abc`.
    pub doi: Option<String>,
    pub pdf: Option<Download>,
    /// The brief's own disclaimer as inline HTML; `Some("")` turns the site default off.
    pub disclaimer: Option<String>,
}

/// Where a document's files are: the site root, and the bundle folder with its output path.
pub struct Places<'a> {
    pub root: &'a Path,
    pub bundle: Option<(&'a Path, &'a str)>,
    /// Where the site's documents are published, for the disclaimer's links.
    pub links: &'a crate::markdown::links::LinkMap,
}

/// Checks and resolves the publishing keys of `front`; `rel` and `text` are for messages.
pub fn load(
    front: &FrontMatter,
    keys: &Lines,
    rel: &Path,
    places: &Places,
) -> Result<Publication, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let doi = match front.doi.as_deref().map(normalize_doi) {
        None => None,
        Some(Ok(doi)) => Some(doi),
        Some(Err(message)) => {
            errors.push(
                Diagnostic::new(Kind::FrontMatter, message)
                    .at(keys.location(rel, "doi"))
                    .help("a DOI starts with `10.`, a registrant number and a slash, e.g. doi = \"10.1234/brief.2024.7\"; leave the key out if the brief has none"),
            );
            None
        }
    };
    let pdf = match front.pdf.as_deref() {
        None => None,
        Some(value) => match resolve_asset(value, places.root, places.bundle) {
            Ok(asset) => {
                let bytes = match &asset {
                    Asset::External(_) => None,
                    Asset::Local { .. } => {
                        let (file, _) =
                            asset_location(value, places.root, places.bundle).unwrap_or_default();
                        std::fs::metadata(file).ok().map(|m| m.len())
                    }
                };
                Some(Download {
                    asset,
                    bytes,
                    pages: None,
                    made: None,
                })
            }
            Err(problem) => {
                errors.push(
                    problem.diagnostic("PDF", value, "put the PDF beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`")
                        .at(keys.location(rel, "pdf")),
                );
                None
            }
        },
    };
    if let Some(original) = &front.originally_published
        && !(original.url.starts_with("https://") || original.url.starts_with("http://"))
    {
        errors.push(
            Diagnostic::new(
                Kind::FrontMatter,
                format!(
                    "originally_published url `{}` is not a full address",
                    original.url
                ),
            )
            .at(keys.location(rel, "originally_published.url"))
            .help("write the address of the original article, starting with https://"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Publication {
        doi,
        pdf,
        // Its broken `@/` links are reported with the other front matter's ([`super::brief`]).
        disclaimer: front
            .disclaimer
            .as_deref()
            .map(|d| render_inline_linked(d, places.links).0),
    })
}

/// An unknown or missing key inside `originally_published` is reported with the brief's
/// keys by serde; name the table's own keys instead. `text` is the whole file.
pub fn original_help(diagnostic: Diagnostic, text: &str) -> Diagnostic {
    let Some(line) = diagnostic.location.as_ref().and_then(|l| l.line) else {
        return diagnostic;
    };
    let lines: Vec<&str> = text.lines().take(line).collect();
    let inline = lines
        .last()
        .is_some_and(|l| l.trim_start().starts_with("originally_published"));
    let in_table = lines
        .iter()
        .rev()
        .find(|l| l.trim_start().starts_with('['))
        .is_some_and(|l| l.trim() == "[originally_published]");
    let about_keys = diagnostic.message.starts_with("unknown key")
        || diagnostic.message.starts_with("required key");
    if about_keys && (inline || in_table) {
        diagnostic.help(format!(
            "originally_published takes {}, e.g. originally_published = {{ outlet = \"Foreign Affairs\", url = \"https://...\", date = 2024-01-15 }}",
            ORIGINAL_KEYS.join(", ")
        ))
    } else {
        diagnostic
    }
}

/// A file size as a file manager shows it, in `language`'s words and decimal separator:
/// "1.2 MB", "640 KB", "1,2 Mo" in French (`size_kb`… of the i18n files).
pub fn human_size(bytes: u64, language: &crate::i18n::Language) -> String {
    if bytes < 1000 {
        return language.t("size_bytes", Some(bytes as i64));
    }
    const UNITS: [&str; 4] = ["size_kb", "size_mb", "size_gb", "size_tb"];
    let (mut value, mut unit) = (bytes as f64 / 1000.0, 0);
    while value >= 999.5 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let unit = language.t(UNITS[unit], None);
    match value < 9.95 {
        true => format!("{value:.1} {unit}").replacen('.', &language.decimal, 1),
        false => format!("{value:.0} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        let markup = crate::markdown::fragments::Markup::default();
        let (en, fr) = (markup.language("en"), markup.language("fr"));
        assert_eq!(human_size(1, en), "1 byte");
        assert_eq!(human_size(420, en), "420 bytes");
        assert_eq!(human_size(1_000, en), "1.0 KB");
        assert_eq!(human_size(640_400, en), "640 KB");
        assert_eq!(human_size(999_999, en), "1.0 MB");
        assert_eq!(human_size(1_234_567, en), "1.2 MB");
        assert_eq!(human_size(25_600_000, en), "26 MB");
        assert_eq!(human_size(3_000_000_000, en), "3.0 GB");
        assert_eq!(human_size(1_234_567, fr), "1,2 Mo");
        assert_eq!(human_size(640_400, fr), "640 Ko");
        assert_eq!(human_size(420, fr), "420 octets");
    }
}
