//! Stage 5: writing the site, without ever losing a file brief did not write.
//!
//! 1. The output folder is checked: never the site itself or one of its source folders, and a
//!    folder that is not empty must hold a [`manifest`] (`.brief-manifest`) from an earlier
//!    build, or brief refuses it. Host files (`.git`, `CNAME`, `.nojekyll`) do not count.
//! 2. The whole build is written into a hidden staging folder *inside* the output folder (same
//!    file system, so it works for mount points, symlinked folders and folders whose parent is
//!    not writable). A failed build removes it and leaves the output as it was.
//! 3. On [`Staging::commit`] every new or changed file is moved into place with an atomic
//!    rename (a reader never sees half a file), files of the previous build that this one no
//!    longer makes are removed, and the new manifest is written. A file brief did not write
//!    that is in the way of a new one stops the commit before anything moves.
//!
//! Staging folders hold a lock ([`cleanup`]), so the next run removes those of killed runs.

pub mod cleanup;
pub mod manifest;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Errors, Kind};
use crate::fsutil::relative;
use crate::theme::{StaticFile, StaticSource};
pub use cleanup::Cleanup;
use cleanup::LockedDir;
pub use manifest::{MANIFEST, Manifest};

/// Folders of a site that an output folder must never be, or be inside of.
const SOURCE_DIRS: &[&str] = &["content", "static", "templates", "themes"];

/// Name of the staging folders inside an output folder, followed by the process id.
pub const STAGING_PREFIX: &str = ".brief-staging-";

/// Name of `brief check`'s scratch folders in the system's temporary folder.
const CHECK_PREFIX: &str = "brief-check-";

/// A build being written, not yet in its output folder.
#[derive(Debug)]
pub struct Staging {
    /// The output folder; `None` for a scratch build that is never committed (`brief check`).
    target: Option<PathBuf>,
    dir: Option<LockedDir>,
    /// What the previous build wrote into the output folder.
    old: Manifest,
    /// The output folder did not exist: remove it again if nothing is committed.
    created_target: bool,
    cleanup: Cleanup,
    /// See [`Staging::skip_unchanged`].
    skip_unchanged: bool,
}

impl Staging {
    /// Starts a build into `target`, refusing a folder whose files brief could overwrite.
    /// `cleanup` learns the staging folder, so a signal handler can remove it.
    pub fn new(root: &Path, target: &Path, cleanup: &Cleanup) -> Result<Staging, Diagnostic> {
        let old = check_output_folder(root, target)?;
        let created_target = !target.exists();
        if created_target {
            std::fs::create_dir_all(target).map_err(|e| cannot_write(target, &e))?;
            cleanup.add_empty_dir(target);
        }
        cleanup::sweep(target, STAGING_PREFIX);
        if let (Some(parent), Some(name)) = (target.parent(), target.file_name()) {
            let parent = match parent.as_os_str().is_empty() {
                true => Path::new("."),
                false => parent,
            };
            let name = name.to_string_lossy();
            cleanup::sweep_legacy(parent, |n| n == name);
        }
        let dir = LockedDir::create(target, STAGING_PREFIX).map_err(|e| {
            if created_target {
                let _ = std::fs::remove_dir(target);
                cleanup.forget(target);
            }
            cannot_write(target, &e)
        })?;
        cleanup.add_tree(dir.path());
        Ok(Staging {
            target: Some(target.to_path_buf()),
            dir: Some(dir),
            old,
            created_target,
            cleanup: cleanup.clone(),
            skip_unchanged: false,
        })
    }

    /// A build that is only looked at, in a folder of the system's temporary folder that is
    /// removed when the value is dropped. Scratch folders of killed runs are removed first.
    pub fn scratch(cleanup: &Cleanup) -> Result<Staging, Diagnostic> {
        let temp = std::env::temp_dir();
        cleanup::sweep(&temp, CHECK_PREFIX);
        cleanup::sweep_legacy(&temp, |name| name.starts_with(CHECK_PREFIX));
        let dir = LockedDir::create(&temp, CHECK_PREFIX)
            .map_err(|e| Diagnostic::io("create a temporary folder", &temp, &e))?;
        cleanup.add_tree(dir.path());
        Ok(Staging {
            target: None,
            dir: Some(dir),
            old: Manifest::default(),
            created_target: false,
            cleanup: cleanup.clone(),
            skip_unchanged: false,
        })
    }

    /// Where files are being written until [`Staging::commit`].
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), LockedDir::path)
    }

    /// From now on, a file the previous build wrote with the same bytes is not staged again,
    /// so a commit of only some outputs ([`Staging::commit_partial`]) leaves it in place.
    /// Without this, a build after a one-brief edit stages, compares and drops the thousands
    /// of files of the search index that did not change.
    pub fn skip_unchanged(&mut self) {
        self.skip_unchanged = true;
    }

    /// Whether the output folder holds `bytes` at `site_path`, written by the previous build.
    fn has_already(&self, site_path: &str, bytes: &[u8]) -> bool {
        let Some(target) = &self.target else {
            return false;
        };
        let path = target.join(site_path);
        self.old.contains(site_path)
            && std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&path).is_ok_and(|old| old == bytes)
    }

    /// Writes `bytes` at the site-relative path `site_path`.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if self.skip_unchanged && self.has_already(site_path, bytes) {
            return Ok(());
        }
        let _hold = self.cleanup.hold();
        let path = self.dir().join(site_path);
        create_parent(&path)?;
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::io("write the output file", Path::new(site_path), &e))
    }

    /// Copies a static file into place.
    pub fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        match &file.source {
            StaticSource::Embedded(bytes) => self.write(&file.site_path, bytes),
            StaticSource::Stripped { bytes, .. } => self.write(&file.site_path, bytes),
            StaticSource::Disk(from) => {
                let _hold = self.cleanup.hold();
                let to = self.dir().join(&file.site_path);
                create_parent(&to)?;
                std::fs::copy(from, &to)
                    .map(|_| ())
                    .map_err(|e| Diagnostic::io("copy the file", from, &e))
            }
        }
    }

    /// Moves the finished build into the output folder: new and changed files by atomic
    /// rename, then removes the previous build's files this one does not make, then records
    /// the new manifest. Returns the site paths written or removed, sorted.
    pub fn commit(self) -> Result<Vec<String>, Errors> {
        self.commit_with(None)
    }

    /// Commits a build that wrote only some outputs ([`crate::outputs::Scope::Shown`]): the
    /// previous build's files that it did not write stay, except those of `remove` (files an
    /// output it wrote in full no longer makes).
    pub fn commit_partial(self, remove: &BTreeSet<String>) -> Result<Vec<String>, Errors> {
        self.commit_with(Some(remove))
    }

    fn commit_with(mut self, partial: Option<&BTreeSet<String>>) -> Result<Vec<String>, Errors> {
        let Some(target) = self.target.clone() else {
            return Err(Diagnostic::new(Kind::Io, "a scratch build has no output folder").into());
        };
        let cleanup = self.cleanup.clone();
        // A signal now waits until the output folder is consistent again.
        let _hold = cleanup.hold();
        let staged_root = self.dir().to_path_buf();
        let staged = staged_files(&staged_root);
        let mut plan = plan(&target, &staged_root, &staged, &self.old)?;
        let mut stale: Vec<String> = match partial {
            None => self.old.0.difference(&plan.recorded).cloned().collect(),
            Some(remove) => {
                let kept = self.old.0.iter().filter(|p| !remove.contains(*p));
                let kept: Vec<String> = kept.cloned().collect();
                plan.recorded.extend(kept);
                self.old.0.difference(&plan.recorded).cloned().collect()
            }
        };
        stale.retain(|p| !manifest::is_host_file(p));
        // Listed before they are moved: a commit cut short leaves no file of ours unlisted.
        let union = self.old.0.union(&plan.recorded).cloned().collect();
        Manifest(union).write(&target)?;
        for site_path in &plan.clear {
            remove_path(&target.join(site_path)).map_err(|e| {
                Diagnostic::io(
                    "remove a file of the previous build",
                    &target.join(site_path),
                    &e,
                )
            })?;
        }
        let mut changed = Vec::new();
        // A folder the output does not have yet moves whole, with one rename for all its files
        // (a first build moves a handful of folders, not tens of thousands of files).
        let mut moved_dir: Option<String> = None;
        for site_path in &plan.moves {
            let inside_moved = moved_dir
                .as_ref()
                .is_some_and(|dir| is_below(site_path, dir));
            if !inside_moved {
                moved_dir = missing_folder(&target, site_path)
                    .filter(|dir| move_folder(&staged_root, &target, dir));
                if moved_dir.is_none() {
                    move_into_place(&staged_root.join(site_path), &target, site_path)?;
                }
            }
            changed.push(site_path.clone());
        }
        for site_path in stale {
            if prune(&target, &site_path) {
                changed.push(site_path);
            }
        }
        Manifest(plan.recorded).write(&target)?;
        self.created_target = false;
        changed.sort();
        changed.dedup();
        Ok(changed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut listed = Vec::new();
        {
            let _hold = self.cleanup.hold();
            if let Some(dir) = self.dir.take() {
                let path = dir.path().to_path_buf();
                drop(dir);
                let _ = std::fs::remove_dir_all(&path);
                listed.push(path);
            }
            if let Some(target) = &self.target {
                if self.created_target {
                    let _ = std::fs::remove_dir(target);
                }
                listed.push(target.clone());
            }
        }
        for path in listed {
            self.cleanup.forget(&path);
        }
    }
}

/// Checks that a build may write into `target` and returns what earlier builds wrote there.
/// A folder brief did not make is refused unless it is empty (host files aside), and never
/// the site itself, one of its source folders, or a file.
pub fn check_output_folder(root: &Path, target: &Path) -> Result<Manifest, Diagnostic> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let resolved = canonical_target(target);
    let shown = match relative(&resolved, &root) {
        rel if rel.as_os_str().is_empty() => target.to_path_buf(),
        rel => rel,
    };
    let refuse = |why: String, help: &str| {
        Diagnostic::new(
            Kind::Usage,
            format!("refusing to write the site into {}: {why}", shown.display()),
        )
        .help(help)
    };
    let another = "choose another folder with --output or output_dir in config.toml, e.g. public";
    if resolved == root {
        return Err(refuse("it is the site's own folder".into(), another));
    }
    if root.starts_with(&resolved) {
        return Err(refuse("it contains the site's own files".into(), another));
    }
    for dir in SOURCE_DIRS {
        if resolved.starts_with(root.join(dir)) {
            return Err(refuse(
                format!("it is inside the site's {dir}/ folder"),
                another,
            ));
        }
    }
    if resolved.is_file() {
        return Err(refuse("it is a file".into(), another));
    }
    if !resolved.is_dir() {
        return Ok(Manifest::default());
    }
    if let Some(manifest) = Manifest::read(&resolved)? {
        return Ok(manifest);
    }
    let foreign = foreign_entries(&resolved)
        .map_err(|e| Diagnostic::io("read the output folder", target, &e))?;
    if foreign.is_empty() {
        return Ok(Manifest::default());
    }
    let mut listed = foreign
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if foreign.len() > 3 {
        listed.push_str(", …");
    }
    Err(refuse(
        format!(
            "it is not empty ({listed}) and has no {MANIFEST}, the list of files brief wrote, so a build could overwrite or delete files that are not brief's"
        ),
        "build into a new or empty folder with --output (a folder holding only .git, CNAME or .nojekyll counts as empty); if the folder holds only an earlier build by brief, made before brief kept a .brief-manifest, delete it and build again",
    ))
}

/// Names at the top of `dir` other than host files and brief's own staging folders, sorted.
fn foreign_entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !manifest::is_host_file(&name) && !name.starts_with(STAGING_PREFIX) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Canonical form of a path that may not exist yet (its parent may not either).
pub fn canonical_target(target: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(target) {
        return path;
    }
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical_target(parent).join(name)
        }
        _ => std::env::current_dir()
            .map(|d| d.join(target))
            .unwrap_or_else(|_| target.to_path_buf()),
    }
}

/// An output folder that cannot be written: read-only, or on a read-only file system.
fn cannot_write(target: &Path, error: &std::io::Error) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Kind::Io,
        format!(
            "cannot write into the output folder {}: {error}",
            target.display()
        ),
    );
    match error.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            diagnostic.help(format!(
                "make the folder writable for this user (e.g. `chmod u+w {}`), or build into another folder with --output",
                target.display()
            ))
        }
        _ => diagnostic.help("build into another folder with --output"),
    }
}

/// Creates the folder `path` goes in, unless it exists: a stat first, because `mkdir` of a
/// folder that exists still takes the file system's locks (on a busy disk 90 µs against 5 µs,
/// for each of the tens of thousands of files a large site writes, twice).
fn create_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) if parent.is_dir() => Ok(()),
        Some(parent) => std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create an output folder", parent, &e)),
        None => Ok(()),
    }
}

/// Site paths of the files of a staging folder, sorted (its lock file left out).
fn staged_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !(e.depth() == 1 && LockedDir::is_lock_file(&e.file_name().to_string_lossy())))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// What a commit will do, worked out before anything moves.
#[derive(Debug, Default)]
struct Plan {
    /// Staged files to move into place.
    moves: Vec<String>,
    /// Files and folders of the previous build in the way of new ones (a page that became a
    /// folder), removed before the moves.
    clear: Vec<String>,
    /// What the new manifest lists.
    recorded: BTreeSet<String>,
}

fn plan(
    target: &Path,
    staged_root: &Path,
    staged: &[String],
    old: &Manifest,
) -> Result<Plan, Errors> {
    let mut plan = Plan::default();
    let mut errors = Errors::default();
    for site_path in staged {
        if !manifest::is_writable_path(site_path) {
            errors.push(Diagnostic::new(
                Kind::Usage,
                format!("the build makes a file named {site_path}, which brief keeps for itself or the host"),
            ).help("rename the file in static/ or in the brief's folder"));
            continue;
        }
        match blocking_ancestor(target, site_path) {
            Some(ancestor) if old.contains(&ancestor) => plan.clear.push(ancestor),
            Some(ancestor) => {
                errors.push(in_the_way(target, &ancestor, site_path));
                continue;
            }
            None => {}
        }
        let to = target.join(site_path);
        let in_old = old.contains(site_path);
        match std::fs::symlink_metadata(&to) {
            Err(_) => {}
            Ok(meta) if meta.is_file() => {
                if same_bytes(&staged_root.join(site_path), &to) {
                    // Nothing to write; a file brief did not write stays unlisted and unowned.
                    if in_old {
                        plan.recorded.insert(site_path.clone());
                    }
                    continue;
                }
                if !in_old {
                    errors.push(in_the_way(target, site_path, site_path));
                    continue;
                }
            }
            Ok(meta) if meta.is_dir() && only_listed_below(&to, site_path, old) => {
                plan.clear.push(site_path.clone());
            }
            Ok(_) => {
                errors.push(in_the_way(target, site_path, site_path));
                continue;
            }
        }
        plan.moves.push(site_path.clone());
        plan.recorded.insert(site_path.clone());
    }
    plan.clear.sort();
    plan.clear.dedup();
    errors.sorted().into_result(plan)
}

/// The first folder of `site_path` under `target` that exists but is not a real folder (a file,
/// or a link brief would write through).
fn blocking_ancestor(target: &Path, site_path: &str) -> Option<String> {
    let parts: Vec<&str> = site_path.split('/').collect();
    for end in 1..parts.len() {
        let ancestor = parts[..end].join("/");
        match std::fs::symlink_metadata(target.join(&ancestor)) {
            Err(_) => return None,
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Some(ancestor),
        }
    }
    None
}

/// Whether `site_path` is below the folder `dir` (both site-relative).
fn is_below(site_path: &str, dir: &str) -> bool {
    site_path
        .strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The outermost folder of `site_path` that does not exist under `target`, if any.
fn missing_folder(target: &Path, site_path: &str) -> Option<String> {
    let parts: Vec<&str> = site_path.split('/').collect();
    (1..parts.len())
        .map(|end| parts[..end].join("/"))
        .find(|dir| std::fs::symlink_metadata(target.join(dir)).is_err())
}

/// Moves the staged folder `dir` to the same place under `target` with one rename. Returns
/// false where it cannot (a mount point between them): its files are then moved one by one.
fn move_folder(staged_root: &Path, target: &Path, dir: &str) -> bool {
    let to = target.join(dir);
    create_parent(&to).is_ok() && std::fs::rename(staged_root.join(dir), &to).is_ok()
}

/// Whether every file below the folder `dir` (at `site_path`) is one brief wrote.
fn only_listed_below(dir: &Path, site_path: &str, old: &Manifest) -> bool {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .all(|entry| match entry {
            Ok(e) if e.file_type().is_dir() => true,
            Ok(e) => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let path = format!("{site_path}/{}", rel.to_string_lossy().replace('\\', "/"));
                old.contains(&path)
            }
            Err(_) => false,
        })
}

fn in_the_way(target: &Path, existing: &str, site_path: &str) -> Diagnostic {
    let what = match existing == site_path {
        true => format!("this build writes {site_path}"),
        false => format!("this build writes {site_path} inside it"),
    };
    Diagnostic::new(
        Kind::Usage,
        format!(
            "{} is in the way: brief did not write it (it is not in {MANIFEST}), and {what}",
            target.join(existing).display()
        ),
    )
    .help(
        "move or delete that file, or build into another folder with --output; nothing was changed",
    )
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.is_file() && mb.is_file() && ma.len() == mb.len() => {
            std::fs::read(a).ok() == std::fs::read(b).ok()
        }
        _ => false,
    }
}

fn remove_path(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    }
}

/// Moves a staged file to `site_path` under `target` with one rename. Where the output has a
/// mount point of its own below it (rename cannot cross it), the file is copied beside its
/// final name first and renamed from there.
fn move_into_place(from: &Path, target: &Path, site_path: &str) -> Result<(), Diagnostic> {
    let to = target.join(site_path);
    create_parent(&to)?;
    if std::fs::rename(from, &to).is_ok() {
        return Ok(());
    }
    let bytes =
        std::fs::read(from).map_err(|e| Diagnostic::io("read the staged file", from, &e))?;
    write_if_changed(target, site_path, &bytes).map(|_| ())
}

/// Removes a file of the previous build, and the folders it leaves empty. Returns whether a
/// file was removed. Nothing is removed through a link or outside `target`.
fn prune(target: &Path, site_path: &str) -> bool {
    if blocking_ancestor(target, site_path).is_some() {
        return false;
    }
    let path = target.join(site_path);
    let removed = match std::fs::symlink_metadata(&path) {
        Ok(meta) if !meta.is_dir() => std::fs::remove_file(&path).is_ok(),
        _ => false,
    };
    let mut parent = Path::new(site_path).parent();
    while let Some(dir) = parent.filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::remove_dir(target.join(dir)).is_err() {
            break;
        }
        parent = dir.parent();
    }
    removed
}

/// Writes `bytes` at `site_path` under `out` unless the file already holds them; the new file
/// is written beside the old one and renamed over it, so a reader never sees half a file.
/// Returns whether it wrote.
pub fn write_if_changed(out: &Path, site_path: &str, bytes: &[u8]) -> Result<bool, Diagnostic> {
    let path = out.join(site_path);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    create_parent(&path)?;
    let temp = temp_name(&path);
    std::fs::write(&temp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Diagnostic::io("write the output file", &path, &e)
    })?;
    std::fs::rename(&temp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Diagnostic::io("move the output file into place", &path, &e)
    })?;
    Ok(true)
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.brief-new"))
}

#[cfg(test)]
mod tests;
