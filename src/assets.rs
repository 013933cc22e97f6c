//! Stylesheets and scripts as they are published. With `minify = true` CSS files are minified;
//! with `hash_assets` (on with `minify` unless set to false) every CSS and JS file of the theme
//! and the site is written as `name.<hash>.ext`, where the hash is of the bytes written, and
//! templates link to it through `asset_path(path="style.css")`. A changed file gets a new name,
//! so hosts can cache these files for a year (docs/caching.md).
//!
//! Steps: pick the files (the site's `static/` wins over the theme's on the same path) ->
//! read the CSS and JS ones -> minify CSS -> name by hash. Other files are copied as they are.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{Diagnostic, Kind};
use crate::fsutil::relative;
use crate::theme::{StaticFile, StaticSource};

/// Hex digits of the content hash in a file name: 32 bits, so two versions of one file that
/// share a name are a one-in-four-billion event.
const HASH_LEN: usize = 8;

/// The static files of a build, split into those copied as they are and those rewritten.
#[derive(Debug, Default)]
pub struct Assets {
    /// Site path as templates name it (`style.css`) -> site path written (`style.3f2a1c0b.css`),
    /// for each file written under another name.
    pub names: BTreeMap<String, String>,
    /// Files copied as they are.
    pub copies: Vec<StaticFile>,
    /// Files written with new bytes or a new name, as (site path, bytes), sorted by path.
    pub written: Vec<(String, Vec<u8>)>,
}

/// The assets of a site: the theme's static files, then the site's own `static/` folder.
pub fn of_site(
    site: &crate::site::Site,
    theme: &crate::theme::Theme,
) -> Result<Assets, Diagnostic> {
    let mut files = theme.static_files.clone();
    files.extend(crate::theme::site_static(&site.root));
    prepare(&site.config, files, &site.root)
}

/// Sorts `files` (theme first, then the site's, later ones winning on the same path) into
/// copies and rewritten files for `config`. `root` is the site root, for messages.
pub fn prepare(config: &Config, files: Vec<StaticFile>, root: &Path) -> Result<Assets, Diagnostic> {
    let mut assets = Assets::default();
    if !config.minify && !config.hash_assets {
        assets.copies = files;
        return Ok(assets);
    }
    // One file per path, the last given winning (the site's over the theme's).
    let mut by_path: BTreeMap<String, StaticFile> = BTreeMap::new();
    for file in files {
        by_path.insert(file.site_path.clone(), file);
    }
    for (site_path, file) in by_path {
        let kind = AssetKind::of(&site_path);
        if kind == AssetKind::Other {
            assets.copies.push(file);
            continue;
        }
        let mut bytes = read(&file, root)?;
        if config.minify && kind == AssetKind::Css {
            bytes = minify_css(&bytes, &file, root)?;
        }
        let written = match config.hash_assets {
            true => hashed_name(&site_path, &bytes),
            false => site_path.clone(),
        };
        if written != site_path {
            assets.names.insert(site_path, written.clone());
        }
        assets.written.push((written, bytes));
    }
    assets.written.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(assets)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AssetKind {
    Css,
    Js,
    Other,
}

impl AssetKind {
    fn of(site_path: &str) -> AssetKind {
        match Path::new(site_path).extension().and_then(|e| e.to_str()) {
            Some("css") => AssetKind::Css,
            Some("js") | Some("mjs") => AssetKind::Js,
            _ => AssetKind::Other,
        }
    }
}

fn read(file: &StaticFile, root: &Path) -> Result<Vec<u8>, Diagnostic> {
    match &file.source {
        StaticSource::Embedded(bytes) => Ok(bytes.to_vec()),
        StaticSource::Stripped { bytes, .. } => Ok(bytes.clone()),
        StaticSource::Disk(path) => std::fs::read(path)
            .map_err(|e| Diagnostic::io("read the file", &relative(path, root), &e)),
    }
}

/// Where a static file came from, for messages.
fn shown(file: &StaticFile, root: &Path) -> String {
    match &file.source {
        StaticSource::Embedded(_) => format!("(built-in default theme) static/{}", file.site_path),
        StaticSource::Disk(path) | StaticSource::Stripped { from: path, .. } => {
            relative(path, root).display().to_string()
        }
    }
}

fn minify_css(bytes: &[u8], file: &StaticFile, root: &Path) -> Result<Vec<u8>, Diagnostic> {
    let problem = |why: String| {
        Diagnostic::new(Kind::Io, format!("could not minify the stylesheet: {why}"))
            .in_file(shown(file, root))
            .help("fix the CSS (an unclosed comment, string or brace), or set minify = false in config.toml")
    };
    let text = std::str::from_utf8(bytes).map_err(|_| problem("it is not UTF-8 text".into()))?;
    minifier::css::minify(text)
        .map(|m| m.to_string().into_bytes())
        .map_err(|e| problem(e.to_string()))
}

/// `css/style.css` -> `css/style.<first 8 hex digits of SHA-256>.css`. SHA-256 rather than
/// std's hasher, whose output may change between Rust versions: names must stay the same for
/// the same bytes, or every deploy would empty the caches.
pub fn hashed_name(site_path: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest
        .iter()
        .take(HASH_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    let (dir, name) = match site_path.rfind('/') {
        Some(i) => site_path.split_at(i + 1),
        None => ("", site_path),
    };
    match name.rfind('.') {
        Some(dot) if dot > 0 => format!("{dir}{}.{hex}{}", &name[..dot], &name[dot..]),
        _ => format!("{dir}{name}.{hex}"),
    }
}

/// Minifies one rendered page. Whitespace inside `pre`, `textarea` and `code` is kept (code
/// samples and tables of figures depend on it), and so are closing tags, which `brief serve`
/// needs to find `</body>`.
pub fn minify_html(html: &str) -> String {
    let mut minifier = html_minifier::HTMLMinifier::new();
    minifier.set_minify_code(false);
    match minifier
        .digest(html)
        .and_then(|()| minifier.into_html())
        .map(String::from_utf8)
    {
        Ok(Ok(minified)) => minified,
        // The minifier rejects only malformed markup, which a browser would still render: keep
        // the page as it was rather than fail the build over whitespace.
        _ => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_folder_and_extension() {
        let name = hashed_name("css/style.css", b"body{}");
        assert!(
            name.starts_with("css/style.") && name.ends_with(".css"),
            "{name}"
        );
        assert_eq!(name.len(), "css/style..css".len() + HASH_LEN);
        assert_eq!(name, hashed_name("css/style.css", b"body{}"), "stable");
        assert_ne!(name, hashed_name("css/style.css", b"body{ }"));
        assert!(hashed_name("LICENSE", b"x").starts_with("LICENSE."));
    }

    #[test]
    fn minified_html_keeps_preformatted_text_and_closing_tags() {
        let html = "<!DOCTYPE html>\n<html>\n  <body>\n    <p>One   two</p>\n    <pre>a\n   b</pre>\n  </body>\n</html>\n";
        let out = minify_html(html);
        assert!(out.len() < html.len(), "{out}");
        assert!(out.contains("<pre>a\n   b</pre>"), "{out}");
        assert!(out.contains("</body>"), "{out}");
        assert!(out.contains("One two"), "{out}");
    }
}
