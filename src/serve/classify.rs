//! What a changed path means for the site: the pure function at the heart of `brief serve`'s
//! watcher, so that every save style is decided by the path alone (not by the kind of event
//! an editor's save produced) and can be tested with a table.

use std::path::{Component, Path, PathBuf};

/// What a rebuild must do for one changed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing: a file the site does not read (editor temp files, the output folder, README...).
    Ignore,
    /// One brief's Markdown file (`content/briefs/<slug>.md` or `content/briefs/<slug>/index.md`),
    /// relative to the site root.
    Brief(PathBuf),
    /// One author's file (`content/authors/<id>.md`), relative to the site root.
    Author(PathBuf),
    /// Anything that may show on every page: config, templates, themes, static files, pages,
    /// bundle files, the site's own PDF templates and fonts (`pdf/`).
    Full,
}

/// Classifies `rel`, a changed path relative to the site root. `output` is the output folder
/// relative to the root when it is inside it.
pub fn classify_change(rel: &Path, output: Option<&Path>) -> Change {
    if rel.as_os_str().is_empty() || output.is_some_and(|out| rel.starts_with(out)) {
        return Change::Ignore;
    }
    let parts: Vec<&str> = match rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
    {
        Some(parts) => parts,
        None => return Change::Ignore,
    };
    // A hidden folder anywhere (.git, .idea) or an editor's temp file is never site input; the
    // same rule as build's, so every file build reads is watched.
    if parts.iter().any(|p| crate::ignored::is_ignored_name(p)) {
        return Change::Ignore;
    }
    let is_md = |name: &str| name.ends_with(".md");
    match parts.as_slice() {
        ["config.toml"] => Change::Full,
        ["templates" | "themes" | "static" | "pdf", ..] => Change::Full,
        ["content", "briefs", file] if is_md(file) => Change::Brief(rel.to_path_buf()),
        ["content", "briefs", _, "index.md"] => Change::Brief(rel.to_path_buf()),
        ["content", "authors", file] if is_md(file) => Change::Author(rel.to_path_buf()),
        // A folder itself (created, renamed, removed) or anything else under content/: pages,
        // bundle images, new bundles.
        ["content", ..] => Change::Full,
        // A bibliography or citation style config.toml names, anywhere in the site.
        [.., file] if is_citation_source(file) => Change::Full,
        _ => Change::Ignore,
    }
}

/// Bibliography files (BibTeX, Hayagriva YAML) and CSL styles, which config.toml may name
/// from any folder of the site.
fn is_citation_source(name: &str) -> bool {
    [".bib", ".yml", ".yaml", ".csl"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// What one rebuild does for a batch of changed paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub full: bool,
    pub briefs: Vec<PathBuf>,
    pub authors: Vec<PathBuf>,
    /// The changed paths that mattered, relative to the root, for the terminal line.
    pub changed: Vec<PathBuf>,
}

impl Plan {
    /// Merges the classified paths of a batch.
    pub fn from_paths<'a>(
        paths: impl IntoIterator<Item = &'a Path>,
        output: Option<&Path>,
    ) -> Plan {
        let mut plan = Plan::default();
        for rel in paths {
            let change = classify_change(rel, output);
            if change != Change::Ignore && !plan.changed.iter().any(|p| p == rel) {
                plan.changed.push(rel.to_path_buf());
            }
            match change {
                Change::Ignore => {}
                Change::Full => plan.full = true,
                Change::Brief(p) if !plan.briefs.contains(&p) => plan.briefs.push(p),
                Change::Author(p) if !plan.authors.contains(&p) => plan.authors.push(p),
                Change::Brief(_) | Change::Author(_) => {}
            }
        }
        plan.changed.sort();
        plan
    }

    pub fn is_empty(&self) -> bool {
        !self.full && self.briefs.is_empty() && self.authors.is_empty()
    }

    /// A full rebuild for everything, e.g. the first build or after a failed one.
    pub fn everything() -> Plan {
        Plan {
            full: true,
            ..Plan::default()
        }
    }

    /// `content/briefs/x.md`, or `3 files`, for the terminal.
    pub fn describe(&self) -> String {
        match self.changed.as_slice() {
            [] => "startup".to_string(),
            [one] => one.display().to_string(),
            [first, rest @ ..] => format!("{} and {} more", first.display(), rest.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths_by_what_they_are() {
        let brief = |p: &str| Change::Brief(PathBuf::from(p));
        let author = |p: &str| Change::Author(PathBuf::from(p));
        let table: &[(&str, Change)] = &[
            ("config.toml", Change::Full),
            ("templates/base.html", Change::Full),
            ("templates/partials/card.html", Change::Full),
            ("themes/default/templates/brief.html", Change::Full),
            ("themes/default/static/style.css", Change::Full),
            ("static/logo.svg", Change::Full),
            ("pdf/brief.typ", Change::Full),
            ("pdf/fonts/Serif.otf", Change::Full),
            ("references.bib", Change::Full),
            ("sources/house-style.csl", Change::Full),
            ("notes.txt", Change::Ignore),
            ("content/briefs/x.md", brief("content/briefs/x.md")),
            (
                "content/briefs/x/index.md",
                brief("content/briefs/x/index.md"),
            ),
            ("content/briefs/x/hero.jpg", Change::Full),
            ("content/briefs/x", Change::Full),
            ("content/briefs", Change::Full),
            ("content/authors/jane.md", author("content/authors/jane.md")),
            ("content/pages/about.md", Change::Full),
            // Editor temp files and backups.
            ("content/briefs/.x.md.swp", Change::Ignore),
            ("content/briefs/x.md.swp", Change::Ignore),
            ("content/briefs/x.md~", Change::Ignore),
            ("content/briefs/4913", Change::Ignore),
            ("content/briefs/#x.md#", Change::Ignore),
            ("content/briefs/.#x.md", Change::Ignore),
            ("content/briefs/x.md___jb_tmp___", Change::Ignore),
            ("content/briefs/x.md___jb_old___", Change::Ignore),
            ("content/briefs/x.md.tmp", Change::Ignore),
            // Names with `~` or `.tmp.` inside are ordinary files, published by build.
            ("content/briefs/x.md.tmp.1234", Change::Full),
            (
                "content/briefs/us~china.md",
                brief("content/briefs/us~china.md"),
            ),
            (
                "content/briefs/plan.tmp.notes.md",
                brief("content/briefs/plan.tmp.notes.md"),
            ),
            ("static/x.css.bak", Change::Ignore),
            ("templates/.base.html.kate-swp", Change::Ignore),
            ("static/style.css.crswap", Change::Ignore),
            // Not site input.
            ("public/index.html", Change::Ignore),
            ("README.md", Change::Ignore),
            (".git/index", Change::Ignore),
            ("target/debug/brief", Change::Ignore),
            ("content/.obsidian/workspace.json", Change::Ignore),
            ("", Change::Ignore),
        ];
        for (path, expected) in table {
            assert_eq!(
                &classify_change(Path::new(path), Some(Path::new("public"))),
                expected,
                "{path}"
            );
        }
    }

    #[test]
    fn output_inside_content_like_names_is_ignored() {
        assert_eq!(
            classify_change(
                Path::new("site-out/briefs/x/index.html"),
                Some(Path::new("site-out"))
            ),
            Change::Ignore
        );
    }

    #[test]
    fn plan_merges_a_batch() {
        let paths = [
            Path::new("content/briefs/a.md"),
            Path::new("content/briefs/.a.md.swp"),
            Path::new("content/briefs/a.md"),
            Path::new("content/authors/j.md"),
        ];
        let plan = Plan::from_paths(paths, None);
        assert!(!plan.full);
        assert_eq!(plan.briefs, vec![PathBuf::from("content/briefs/a.md")]);
        assert_eq!(plan.authors, vec![PathBuf::from("content/authors/j.md")]);
        assert_eq!(plan.changed.len(), 2);
        assert!(Plan::from_paths([Path::new("x.swp")], None).is_empty());
        let full = Plan::from_paths(
            [Path::new("content/briefs/a.md"), Path::new("config.toml")],
            None,
        );
        assert!(full.full);
    }
}
