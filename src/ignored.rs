//! Which files are never site input: hidden files and the files editors write beside the real
//! one while saving, or keep as backups and locks. One definition, used by content discovery
//! ([`crate::content::discover`]), the theme loader ([`crate::theme`]) and the serve watcher
//! ([`crate::serve::classify`]), so that a file `build` publishes is one whose edits `serve`
//! sees, and the other way round.
//!
//! Only real editor patterns, at the start or the end of a name: `us~china.md` and
//! `plan.tmp.notes.md` are ordinary files.

use std::path::{Component, Path};

/// Name endings of editor swap, temporary and backup files.
const SUFFIXES: &[&str] = &[
    // emacs, vim, nano, gedit backups
    "~",
    // vim swap files (usually hidden as well)
    ".swp",
    ".swo",
    ".swx",
    ".swn",
    // kate
    ".kate-swp",
    // Chrome's File System Access API (VS Code for the web)
    ".crswap",
    // VS Code's and others' atomic saves: `name.md.<random>.tmp`
    ".tmp",
    // JetBrains' safe write
    "___jb_tmp___",
    "___jb_old___",
    // backups kept by editors and merge tools
    ".bak",
    ".orig",
];

/// Whether a file or folder named `name` is never site input: hidden (`.x`, which covers
/// emacs's `.#x` locks and vim's `.x.swp`), an emacs autosave `#x#`, an Office lock `~$x`, the
/// `4913` file vim writes to test a folder, or a name ending as in [`SUFFIXES`].
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || name == "4913"
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Whether any part of `rel` (a path relative to a folder the site reads) is ignored: a file
/// inside a hidden folder (`.git/`, `.obsidian/`) is ignored too.
pub fn is_ignored_path(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(name) => is_ignored_name(&name.to_string_lossy()),
        _ => false,
    })
}

/// The files below `dir` that are site input, sorted by path, skipping ignored files and
/// folders. Symbolic links are followed, as the existence checks of asset fields follow them,
/// so a linked file is published like any other (not checked, then silently left out).
pub fn site_files(dir: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_only_real_editor_patterns() {
        let table: &[(&str, bool)] = &[
            // Ordinary files, however they are named.
            ("brief.md", false),
            ("us~china.md", false),
            ("plan.tmp.notes.md", false),
            ("x.md.tmp.1234", false),
            ("temporary.md", false),
            ("chart#1.png", false),
            ("style.css", false),
            ("49130", false),
            // Hidden files and editor files.
            (".DS_Store", true),
            (".x.md.swp", true),
            (".#x.md", true),
            ("#x.md#", true),
            ("x.md~", true),
            ("x.md.swp", true),
            ("x.md.swo", true),
            ("4913", true),
            ("~$report.docx", true),
            ("x.md.tmp", true),
            ("x.md.1a2b.tmp", true),
            ("x.md___jb_tmp___", true),
            ("x.md___jb_old___", true),
            (".base.html.kate-swp", true),
            ("style.css.crswap", true),
            ("x.css.bak", true),
            ("x.md.orig", true),
        ];
        for (name, ignored) in table {
            assert_eq!(is_ignored_name(name), *ignored, "{name}");
        }
    }

    #[test]
    fn a_hidden_folder_hides_its_files() {
        assert!(is_ignored_path(Path::new(".obsidian/workspace.json")));
        assert!(is_ignored_path(Path::new("briefs/.git/index")));
        assert!(!is_ignored_path(Path::new("briefs/us~china/index.md")));
    }
}
