//! Stage 2: finding and reading the site's content files, and parsing each into a typed value.
//!
//! `content/briefs/<slug>.md` or `content/briefs/<slug>/index.md` (a bundle, with its images
//! beside it), `content/authors/<id>.md`, `content/pages/<slug>.md`. Checks that need more than
//! one file (unknown authors, duplicate slugs) happen in [`crate::site`].

pub mod aliases;
pub mod author;
pub mod body;
pub mod brief;
pub mod control;
pub mod frontmatter;
pub mod page;
pub mod publication;
pub mod targets;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Kind};
use crate::fsutil::{read_text, relative};

pub use author::Author;
pub use brief::Brief;
pub use page::Page;

pub const CONTENT_DIR: &str = "content";
pub const STATIC_DIR: &str = "static";

/// Which kind of document a content file holds, by the folder it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Brief,
    Author,
    Page,
}

/// A content file found on disk, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    pub section: Section,
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub rel: PathBuf,
    /// For a bundle (`<slug>/index.md`), its folder.
    pub bundle: Option<PathBuf>,
}

/// A content file's text, with where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: SourcePath,
    pub text: String,
}

impl SourcePath {
    pub fn read(&self) -> Result<Source, Diagnostic> {
        Ok(Source {
            path: self.clone(),
            text: read_text(&self.path, &self.rel)?,
        })
    }

    /// The file or bundle name, which is the default slug or id.
    pub fn stem(&self) -> String {
        let named = self.bundle.as_deref().unwrap_or(&self.path);
        named
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The content files of a site, and warnings for those it leaves unpublished.
pub struct Discovered {
    /// Sorted by path so that builds are deterministic.
    pub sources: Vec<SourcePath>,
    /// A Markdown file where no document is read (`content/briefs/x/notes.md`), and a brief's
    /// folder without `index.md` (an index.md renamed): published by nothing, silently, were
    /// they not named.
    pub unpublished: Vec<Diagnostic>,
}

/// Lists the Markdown files of every section, and the files left unpublished.
pub fn discover(root: &Path) -> Result<Discovered, Diagnostic> {
    let mut found = Vec::new();
    let mut unpublished = Vec::new();
    // Brief folders, and whether each has a Markdown file (one that is not index.md is
    // reported itself).
    let mut folders: std::collections::BTreeMap<PathBuf, bool> = Default::default();
    for (folder, section) in [
        ("briefs", Section::Brief),
        ("authors", Section::Author),
        ("pages", Section::Page),
    ] {
        let dir = root.join(CONTENT_DIR).join(folder);
        if !dir.is_dir() {
            continue;
        }
        // Ignored names (hidden, editor files) as serve's watcher ignores them; symbolic links
        // followed as everywhere else (see `crate::ignored::site_files`).
        let walker = WalkDir::new(&dir)
            .min_depth(1)
            .max_depth(2)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !crate::ignored::is_ignored_name(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().map(|p| relative(p, root)).unwrap_or_default();
                Diagnostic::new(Kind::Io, format!("could not read the folder: {e}")).in_file(path)
            })?;
            // The walk knows the file's type (of the link's target: links are followed), so
            // the path is not looked up again.
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if section == Section::Brief && entry.depth() == 2 {
                let has = folders.entry(path.parent().unwrap_or(path).to_path_buf());
                *has.or_default() |= path.extension().is_some_and(|e| e == "md");
            }
            match classify_source(path, entry.depth(), section, root) {
                Some(source) => found.push(source),
                None if path.extension().is_some_and(|e| e == "md") => {
                    unpublished.push(unread_markdown(&relative(path, root), section));
                }
                None => {}
            }
        }
    }
    for (folder, _) in folders.into_iter().filter(|(_, has)| !has) {
        let shown = relative(&folder, root);
        unpublished.push(
            Diagnostic::warning(
                Kind::Markdown,
                "this folder has no index.md, so nothing in it is published",
            )
            .in_file(&shown)
            .help("a brief in a folder is its index.md: name the brief's file index.md, or move the folder out of content/briefs/"),
        );
    }
    Ok(Discovered {
        sources: found,
        unpublished,
    })
}

/// The warning for a Markdown file no document is read from.
fn unread_markdown(rel: &Path, section: Section) -> Diagnostic {
    let help = match section {
        Section::Brief => {
            "in a brief's folder only index.md is the brief: rename it index.md if it is the brief, or move it out of content/"
        }
        Section::Author | Section::Page => {
            "authors and pages are files directly in their folder: move it up, or out of content/"
        }
    };
    Diagnostic::warning(
        Kind::Markdown,
        "this Markdown file is not published: brief reads no document here",
    )
    .in_file(rel)
    .help(help)
}

/// The content file at `depth` below its section folder (a file, not a folder), or `None` for
/// anything else (a bundle's images, editor backups).
fn classify_source(path: &Path, depth: usize, section: Section, root: &Path) -> Option<SourcePath> {
    if path.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    let bundle = match depth {
        1 => None,
        // Only briefs have bundles; in a bundle only index.md is a document.
        2 if section == Section::Brief && name == "index.md" => Some(path.parent()?.to_path_buf()),
        _ => return None,
    };
    Some(SourcePath {
        section,
        path: path.to_path_buf(),
        rel: relative(path, root),
        bundle,
    })
}

/// A file an image or download field refers to, resolved to where it is and where it goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Asset {
    /// An absolute `http(s)://` address, used as is.
    External(String),
    /// A file of the site; `site_path` is where it is served, relative to the site root.
    Local { site_path: String },
}

/// The errors and warnings of a document's figures ([`crate::markdown::figures`]) in the file
/// `rel`, whose body starts on `body_line`; a problem in a data file is reported in that file,
/// `bundle` being the folder (relative to the site root) it is in.
pub fn figure_diagnostics(
    report: &crate::markdown::figures::Report,
    rel: &Path,
    body: &str,
    body_line: usize,
    bundle: Option<&Path>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    use crate::error::{Location, line_col};
    let at = |offset: usize| {
        let (line, column) = line_col(body, offset);
        Location::at(rel, body_line + line - 1, column)
    };
    let errors = report
        .problems
        .iter()
        .map(|problem| {
            let block = at(problem.offset);
            match &problem.in_data {
                Some((file, line, column)) => {
                    let path = bundle.map_or_else(|| PathBuf::from(file), |dir| dir.join(file));
                    Diagnostic::new(Kind::Markdown, format!("chart data: {}", problem.message))
                        .at(Location::at(path, *line, *column))
                        .help(format!("{} (the chart is at {block})", problem.help))
                }
                None => Diagnostic::new(Kind::Markdown, problem.message.clone())
                    .at(block)
                    .help(problem.help.clone()),
            }
        })
        .collect();
    let warnings = report
        .warnings
        .iter()
        .map(|(offset, message)| {
            Diagnostic::warning(Kind::Markdown, message.clone()).at(at(*offset))
        })
        .collect();
    (errors, warnings)
}

/// A warning of the Markdown passes (a note never cited, a heading id used twice) in the file
/// `rel`; the passes do not know the file, so it is named here.
pub fn body_warning(rel: &Path, warning: &str) -> Diagnostic {
    Diagnostic::warning(Kind::Markdown, warning).in_file(rel)
}

/// Whether a link from front matter or config may be put in an `href`: http, https and mailto
/// only. Anything else (`javascript:`, `data:`, or a scheme hidden by a tab or a capital,
/// which browsers accept) is refused; a whitelist of prefixes catches all of them.
pub fn is_allowed_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// Why an asset field does not name a file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetError {
    /// The path leaves the folder it is looked up in (a `..` part, or a second leading `/`).
    Outside,
    /// There is no file there; the path looked at, relative to the site root.
    Missing(String),
}

impl AssetError {
    /// The diagnostic for `field` ("hero image") set to `value`; `missing_help` says where such
    /// a file goes.
    pub fn diagnostic(&self, field: &str, value: &str, missing_help: &str) -> Diagnostic {
        match self {
            AssetError::Outside => Diagnostic::new(
                Kind::MissingFile,
                format!("{field} `{value}` points outside the site's folders"),
            )
            .help(format!(
                "`..` and absolute paths are not allowed here; {missing_help}"
            )),
            AssetError::Missing(looked_at) => Diagnostic::new(
                Kind::MissingFile,
                format!("{field} `{value}` not found (looked for {looked_at})"),
            )
            .help(missing_help),
        }
    }
}

/// Resolves an asset field: `/x.jpg` is `static/x.jpg`; a relative name is looked up in the
/// bundle folder (copied to `bundle_out/`) or, for a single-file document, in `static/`.
/// A path that leaves that folder is refused, so a page never links to (or reports the size
/// of) a file outside the site. Symbolic links inside the folder are followed, here and when
/// the files are copied.
pub fn resolve_asset(
    value: &str,
    root: &Path,
    bundle: Option<(&Path, &str)>,
) -> Result<Asset, AssetError> {
    if value.starts_with("http://") || value.starts_with("https://") {
        return Ok(Asset::External(value.to_string()));
    }
    let (file, site_path) = asset_location(value, root, bundle)?;
    if file.is_file() {
        Ok(Asset::Local { site_path })
    } else {
        Err(AssetError::Missing(
            relative(&file, root).display().to_string(),
        ))
    }
}

/// Where a local asset field points: the file on disk and its site path (see [`resolve_asset`]).
pub fn asset_location(
    value: &str,
    root: &Path,
    bundle: Option<(&Path, &str)>,
) -> Result<(PathBuf, String), AssetError> {
    let (inner, in_static) = match value.strip_prefix('/') {
        Some(rest) => (rest, true),
        None => (value, false),
    };
    if !stays_inside(inner) {
        return Err(AssetError::Outside);
    }
    Ok(match (in_static, bundle) {
        (true, _) | (false, None) => (root.join(STATIC_DIR).join(inner), inner.to_string()),
        (false, Some((dir, out))) => (dir.join(inner), format!("{out}{inner}")),
    })
}

/// Whether the relative path `inner` names something below the folder it is joined to: only
/// plain names (and `.`), no `..`, no root, no drive, no backslash (a separator on Windows).
pub fn stays_inside(inner: &str) -> bool {
    use std::path::Component;
    !inner.is_empty()
        && !inner.contains('\\')
        && Path::new(inner)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}
