//! `brief import`: brings an archive from another system into the site.
//!
//! Each source ([`wordpress`], [`static_site`]) turns its input into a [`Plan`]: the files it
//! would create (front matter and Markdown, or images to copy) and a [`Report`] of what it found.
//! [`apply`] then writes the plan: it never overwrites an existing file unless `--force`, so an
//! import can be re-run after fixing the source, and `--dry-run` only says what it would do.
//! The same summary is printed and written as `import-report.md`. Every old address of a post
//! becomes an entry of its `aliases`, so that the build writes a redirect from it.

pub mod cli;
pub mod frontmatter;
pub mod html;
pub mod html_md;
pub mod page_notes;
pub mod readable;
pub mod static_site;
pub mod wordpress;
pub mod wp_archive;
pub mod wp_content;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Kind};

/// How the plan is written.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site's folder (the one with config.toml).
    pub root: PathBuf,
    /// Only say what would be written.
    pub dry_run: bool,
    /// Replace files that already exist.
    pub force: bool,
}

/// Where a planned file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Text(String),
    /// A file to copy as it is (an image from the uploads folder or a bundle).
    Copy(PathBuf),
}

/// One file the import would create, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub contents: Contents,
    /// A file the import keeps up to date itself, its text made of what is there (its block
    /// of `static/_redirects`): written without `--force`.
    pub own: bool,
}

/// Everything an import would write, and what it found on the way.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<Planned>,
    pub report: Report,
}

impl Plan {
    /// A text file to write; an old page's Windows-1252 punctuation read as C1 controls
    /// (U+0092 for "’") is repaired, which a build would refuse.
    pub fn text(&mut self, path: impl Into<PathBuf>, text: String) {
        self.files.push(Planned {
            path: path.into(),
            contents: Contents::Text(crate::content::control::repair_windows_1252(text)),
            own: false,
        });
    }

    pub fn copy(&mut self, path: impl Into<PathBuf>, from: PathBuf) {
        self.files.push(Planned {
            path: path.into(),
            contents: Contents::Copy(from),
            own: false,
        });
    }

    /// A text file made of what is there and the import's part of it (see [`Planned::own`]).
    pub fn own_text(&mut self, path: impl Into<PathBuf>, text: String) {
        self.files.push(Planned {
            path: path.into(),
            contents: Contents::Text(text),
            own: true,
        });
    }
}

/// What an import found: counts, and every item a person should look at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// What was imported, e.g. "WordPress export export.xml".
    pub source: String,
    pub briefs: Vec<String>,
    pub pages: Vec<String>,
    pub authors: Vec<String>,
    /// (content file, address) of images left as absolute links.
    pub images_remote: Vec<(String, String)>,
    /// (content file, what) of content kept as raw HTML or changed in a way to review.
    pub unconverted: Vec<(String, String)>,
    /// (content file, key = value) of source front-matter keys brief has no place for.
    pub unknown_keys: Vec<(String, String)>,
    /// (source, problem) of items that were not imported.
    pub skipped: Vec<(String, String)>,
    /// Old address -> new address, written as `aliases` of the new document.
    pub redirects: Vec<(String, String)>,
    /// What the source had that an import does not bring over (comments, menus, ...).
    pub not_imported: Vec<String>,
    /// What (singular, plural) and how many of the old site's archive addresses are redirected
    /// (WordPress's categories, tags, authors, feeds), by redirect pages in `static/` and
    /// `static/_redirects`.
    pub archive_redirects: Vec<([&'static str; 2], usize)>,
}

/// What [`apply`] did with each planned file: what this run changed, and what it found there.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Files that were not there.
    pub created: Vec<PathBuf>,
    /// Files that were there with other contents, replaced (`--force`, or the import's own).
    pub replaced: Vec<PathBuf>,
    /// Files already there with the same contents.
    pub unchanged: Vec<PathBuf>,
    /// Files already there with other contents, left alone (no `--force`).
    pub kept: Vec<PathBuf>,
    /// Files copied as they are (images) among those created or replaced.
    pub copied: usize,
    /// Where the report of the run before was moved, `import-report-1.md`.
    pub previous_report: Option<PathBuf>,
}

impl Applied {
    /// The files this run wrote (or, in a dry run, would write).
    pub fn written(&self) -> impl Iterator<Item = &PathBuf> {
        self.created.iter().chain(&self.replaced)
    }
}

/// Writes the plan's files under `options.root` (or only lists them with `dry_run`), then the
/// report of this run; the report of a run before is kept under the next free number.
pub fn apply(plan: &Plan, options: &ImportOptions) -> Result<Applied, Diagnostic> {
    let mut applied = Applied::default();
    for file in &plan.files {
        let target = options.root.join(&file.path);
        let list = match target.exists() {
            false => &mut applied.created,
            true if same_contents(&target, &file.contents) => {
                applied.unchanged.push(file.path.clone());
                continue;
            }
            true if options.force || file.own => &mut applied.replaced,
            true => {
                applied.kept.push(file.path.clone());
                continue;
            }
        };
        list.push(file.path.clone());
        if matches!(file.contents, Contents::Copy(_)) {
            applied.copied += 1;
        }
        if !options.dry_run {
            write_file(&target, &file.path, &file.contents)?;
        }
    }
    if !options.dry_run {
        applied.previous_report = keep_previous_report(&options.root)?;
        let report = render_report(&plan.report, &applied);
        write_file(
            &options.root.join(REPORT_FILE),
            Path::new(REPORT_FILE),
            &Contents::Text(report),
        )?;
    }
    Ok(applied)
}

pub const REPORT_FILE: &str = "import-report.md";

/// Whether the file at `target` already holds `contents` (a file that cannot be read does not).
fn same_contents(target: &Path, contents: &Contents) -> bool {
    let Ok(there) = std::fs::read(target) else {
        return false;
    };
    match contents {
        Contents::Text(text) => there == text.as_bytes(),
        Contents::Copy(from) => std::fs::read(from).is_ok_and(|bytes| bytes == there),
    }
}

/// Moves an existing `import-report.md` to `import-report-N.md`, N the first free number, so
/// that the numbers follow the runs; returns the new name.
fn keep_previous_report(root: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let current = root.join(REPORT_FILE);
    if !current.is_file() {
        return Ok(None);
    }
    let stem = REPORT_FILE.trim_end_matches(".md");
    let name = (1..)
        .map(|n| PathBuf::from(format!("{stem}-{n}.md")))
        .find(|name| !root.join(name).exists())
        .expect("some number is free");
    std::fs::rename(&current, root.join(&name))
        .map_err(|e| Diagnostic::io("keep the previous report as", &name, &e))?;
    Ok(Some(name))
}

/// Writes through a temporary file renamed into place, so a failure never leaves half a file.
fn write_file(target: &Path, display: &Path, contents: &Contents) -> Result<(), Diagnostic> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create the folder", display, &e))?;
    }
    let temp = target.with_extension("brief-import-tmp");
    let written = match contents {
        Contents::Text(text) => std::fs::write(&temp, text),
        Contents::Copy(from) => std::fs::copy(from, &temp).map(|_| ()),
    };
    written
        .and_then(|()| std::fs::rename(&temp, target))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Diagnostic::io("write the file", display, &e)
        })
}

/// The summary printed at the end and written as `import-report.md`.
pub fn render_report(report: &Report, applied: &Applied) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Import report\n\nSource: {}\n", report.source);
    let _ = writeln!(out, "| | |\n| --- | ---: |");
    for (label, count) in [
        ("briefs", report.briefs.len()),
        ("pages", report.pages.len()),
        ("authors", report.authors.len()),
        ("images and files copied", applied.copied),
        ("images left remote", report.images_remote.len()),
        ("items with unconverted content", unconverted_files(report)),
        ("items not imported", report.skipped.len()),
        ("files created", applied.created.len()),
        ("files replaced", applied.replaced.len()),
        ("files already there, unchanged", applied.unchanged.len()),
        (
            "files already there and different, kept",
            applied.kept.len(),
        ),
    ] {
        let _ = writeln!(out, "| {label} | {count} |");
    }
    if let Some(previous) = &applied.previous_report {
        let _ = writeln!(
            out,
            "\nThe report of the import before is {}.",
            previous.display()
        );
    }
    section(
        &mut out,
        "Not imported",
        report.not_imported.iter().cloned(),
    );
    section(
        &mut out,
        "Items not imported",
        report
            .skipped
            .iter()
            .map(|(at, why)| format!("{at}: {why}")),
    );
    section(
        &mut out,
        "Unconverted content (kept as raw HTML or changed; review it)",
        report
            .unconverted
            .iter()
            .map(|(file, what)| format!("{file}: {what}")),
    );
    section(
        &mut out,
        "Images left as absolute links",
        report
            .images_remote
            .iter()
            .map(|(file, url)| format!("{file}: <{url}>")),
    );
    section(
        &mut out,
        "Front-matter keys brief has no place for (not imported)",
        report
            .unknown_keys
            .iter()
            .map(|(file, key)| format!("{file}: `{key}`")),
    );
    section(
        &mut out,
        "Files already there and different, kept (use --force to replace them)",
        applied.kept.iter().map(|p| p.display().to_string()),
    );
    if !report.redirects.is_empty() {
        let _ = writeln!(
            out,
            "\n## Old addresses\n\n{} old addresses are in the `aliases` of their briefs and pages: \
             `brief build` writes a redirect page at each, and a `_redirects` file for Netlify and \
             Cloudflare Pages (docs/deploy.md has the nginx equivalent).",
            report.redirects.len()
        );
    }
    if !report.archive_redirects.is_empty() {
        let counts: Vec<String> = report
            .archive_redirects
            .iter()
            .map(|([one, many], n)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        let _ = writeln!(
            out,
            "\n## Old archive addresses\n\nRedirected to their nearest pages here: {}. Each has a \
             redirect page in `static/` and a line in `static/_redirects` (between brief's marker \
             lines, which a re-import replaces).",
            counts.join(", ")
        );
    }
    out
}

fn unconverted_files(report: &Report) -> usize {
    let files: std::collections::BTreeSet<&String> =
        report.unconverted.iter().map(|(f, _)| f).collect();
    files.len()
}

fn section(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {title}\n");
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
}

/// The old addresses of a document that can be its `aliases` (`new` is its new address):
/// each once, without the new address itself; the others, with why, for the report.
pub fn aliases_of(old: impl IntoIterator<Item = String>, new: &str) -> (Vec<String>, Vec<String>) {
    let (mut kept, mut refused) = (Vec::new(), Vec::new());
    for address in old {
        let address = match address.starts_with('/') {
            true => address,
            false => format!("/{address}"),
        };
        if address == new || kept.contains(&address) {
            continue;
        }
        let output = crate::content::aliases::output_path(&address);
        match output.as_deref().map(crate::outputs::routes::reserved_for_alias) {
            None => refused.push(format!(
                "old address {address} is not a path brief can redirect from; set up a redirect on the host"
            )),
            Some(Some(what)) => refused.push(format!(
                "old address {address} is reserved for {what}; no redirect from it"
            )),
            Some(None) => kept.push(address),
        }
    }
    (kept, refused)
}

/// Rewrites the destinations of a Markdown document's links and images: `rewrite(dest,
/// is_image)` returns the new destination, or `None` to leave it.
pub fn rewrite_links(
    markdown: &str,
    rewrite: &mut dyn FnMut(&str, bool) -> Option<String>,
) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let parser = Parser::new_ext(markdown, crate::markdown::parser_options());
    for (event, range) in parser.into_offset_iter() {
        let (dest, image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        let Some(new) = rewrite(&dest, image) else {
            continue;
        };
        // The destination as written follows the last `](` of the link's source text.
        let source = &markdown[range.clone()];
        let Some(open) = source.rfind("](") else {
            continue;
        };
        let start = range.start + open + 2;
        let written = &markdown[start..range.end];
        let len = written
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(written.len());
        if len > 0 {
            edits.push((start..start + len, new));
        }
    }
    let mut out = markdown.to_string();
    // From the end, so earlier offsets stay valid (a linked image's link ends after its image).
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        let new = match new.contains(' ') {
            true => format!("<{new}>"),
            false => new,
        };
        out.replace_range(range, &new);
    }
    out
}

/// A usage error about the import's input (a folder or file that is not there).
pub fn input_error(message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Kind::Usage, message).help(help.to_string())
}

/// Gives `wanted` a suffix (`-2`, `-3`, ...) until `taken` does not hold it, then records it.
pub fn unique(wanted: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// A menu entry brief makes itself (when config.toml sets no `[[menu]]`): its name in the
/// site's language and what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub name: String,
    pub leads_to: &'static str,
    /// Added to the title of a page that repeats the entry: "(old site)" in the site's language.
    pub old_site: String,
}

/// The menu entries brief makes itself (Briefs, Topics, Authors, Search, in the site's
/// language, with its theme's words) when the site will show its plain pages beside them;
/// none when config.toml sets its own `[[menu]]`, which then lists no page unless it names
/// it, or when the site's pages and the `new_pages` the import adds are too many for the
/// header ([`crate::render::MENU_PAGES`]): then no page title can repeat an entry there.
pub fn own_menu_entries(root: &Path, new_pages: usize) -> Vec<MenuEntry> {
    let config = crate::config::Config::load(root).ok();
    if config.as_ref().is_some_and(|c| c.menu.is_some()) {
        return Vec::new();
    }
    let pages = walkdir::WalkDir::new(root.join("content/pages"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    if pages + new_pages > crate::render::MENU_PAGES {
        return Vec::new();
    }
    let language = config.as_ref().map_or("en", |c| c.language.as_str());
    let theme = config
        .as_ref()
        .and_then(|c| crate::theme::Theme::load(root, &c.theme).ok());
    let catalog = match theme {
        Some(theme) => theme.i18n,
        None => crate::theme::embedded_catalog(),
    };
    let strings = catalog.language(language);
    // Import's own words, not the theme's: from the default theme's strings, which have them
    // whatever theme the site uses.
    let old_site = crate::theme::embedded_catalog()
        .language(language)
        .t("import_old_site", None);
    [
        ("briefs", "the list of briefs"),
        ("topics", "the list of topics"),
        ("authors", "the list of authors"),
        ("search", "the search page"),
    ]
    .into_iter()
    .map(|(key, leads_to)| MenuEntry {
        name: strings.t(key, None),
        leads_to,
        old_site: old_site.clone(),
    })
    .collect()
}

/// The entry of brief's own menu that a page titled `title` would repeat, if any.
pub fn menu_entry_named<'a>(title: &str, menu: &'a [MenuEntry]) -> Option<&'a MenuEntry> {
    let title = title.trim().to_lowercase();
    menu.iter()
        .find(|entry| entry.name.trim().to_lowercase() == title)
}

/// A page title that reads as one of brief's own menu entries, which the menu would show
/// twice ("Search" and "Search"): the title made distinct, and the note for the report.
pub fn distinct_page_title(title: &str, menu: &[MenuEntry]) -> Option<(String, String)> {
    let entry = menu_entry_named(title, menu)?;
    let new = format!("{title} {}", entry.old_site);
    Some((
        new.clone(),
        format!(
            "the page's title \"{title}\" is also the name of the menu's entry for {}, so the menu would show it twice: titled \"{new}\"; give it a title of its own",
            entry.leads_to
        ),
    ))
}

/// Page slugs that brief keeps for its own sections.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "briefs", "authors", "topics", "regions", "programs", "series", "search", "static", "404",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_link_and_image_destinations() {
        let md = "A [link](https://old.org/x/) and ![img](https://old.org/a.jpg \"t\") [keep](k).";
        let out = rewrite_links(md, &mut |dest, image| match (dest, image) {
            ("https://old.org/x/", false) => Some("/briefs/x/".into()),
            ("https://old.org/a.jpg", true) => Some("a.jpg".into()),
            _ => None,
        });
        assert_eq!(
            out,
            "A [link](/briefs/x/) and ![img](a.jpg \"t\") [keep](k)."
        );
    }

    #[test]
    fn unique_adds_a_number_to_taken_names() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("a", &mut taken), "a");
        assert_eq!(unique("a", &mut taken), "a-2");
        assert_eq!(unique("a", &mut taken), "a-3");
    }

    #[test]
    fn apply_keeps_existing_files_without_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "mine").unwrap();
        let mut plan = Plan::default();
        plan.text("a.md", "theirs".into());
        plan.text("b/c.md", "new".into());
        let options = ImportOptions {
            root: dir.path().to_path_buf(),
            dry_run: false,
            force: false,
        };
        let applied = apply(&plan, &options).unwrap();
        assert_eq!(applied.kept, [PathBuf::from("a.md")]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b/c.md")).unwrap(),
            "new"
        );
        apply(
            &plan,
            &ImportOptions {
                force: true,
                ..options
            },
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
            "theirs"
        );
    }
}
