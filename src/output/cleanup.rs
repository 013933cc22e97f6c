//! Temporary folders that must not outlive the run that made them.
//!
//! Each one holds a lock file for as long as its run is alive, so that a later run can tell a
//! folder left by a killed run (its lock is free) from one still in use (by `brief serve`, or a
//! second build into the same folder) and remove only the former. A run stopped by Ctrl-C or
//! SIGTERM removes its own folders: the command line keeps a [`Cleanup`] list, which the library
//! fills and empties as folders come and go, and empties it on a signal before exiting.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The lock file inside a temporary folder.
const LOCK: &str = ".brief-lock";

/// The temporary folders of this run, to remove if it is stopped by a signal. Clones share
/// one list.
#[derive(Debug, Clone, Default)]
pub struct Cleanup(Arc<RwLock<Vec<Entry>>>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A folder and everything in it.
    Tree(PathBuf),
    /// A folder the run created, removed only if it is empty (an output folder).
    EmptyDir(PathBuf),
}

/// Proof that [`Cleanup::remove_all`] is not running: held while writing into a listed folder.
pub struct Hold<'a> {
    _guard: RwLockReadGuard<'a, Vec<Entry>>,
}

/// Returned by [`Cleanup::remove_all`]: while it lives, no write into a listed folder starts.
pub struct Removed<'a> {
    _guard: RwLockWriteGuard<'a, Vec<Entry>>,
}

impl Cleanup {
    pub fn new() -> Cleanup {
        Cleanup::default()
    }

    /// Waits for [`Cleanup::remove_all`] to be impossible until the guard is dropped, so that a
    /// write and the removal of its folder never run at the same time.
    pub fn hold(&self) -> Hold<'_> {
        Hold {
            _guard: self.0.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn list(&self) -> RwLockWriteGuard<'_, Vec<Entry>> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Lists `dir` (and all it holds) for removal on a signal.
    pub(crate) fn add_tree(&self, dir: &Path) {
        self.list().push(Entry::Tree(dir.to_path_buf()));
    }

    /// Lists `dir` for removal on a signal if it is empty by then.
    pub(crate) fn add_empty_dir(&self, dir: &Path) {
        self.list().push(Entry::EmptyDir(dir.to_path_buf()));
    }

    /// Takes `dir` off the list (it was removed or is kept).
    pub(crate) fn forget(&self, dir: &Path) {
        self.list().retain(|entry| match entry {
            Entry::Tree(path) | Entry::EmptyDir(path) => path != dir,
        });
    }

    /// Removes every listed folder, once every write in progress has finished. The returned
    /// guard keeps later writes waiting: hold it until the process exits.
    pub fn remove_all(&self) -> Removed<'_> {
        let mut list = self.list();
        for entry in list.iter() {
            if let Entry::Tree(dir) = entry {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        for entry in list.iter() {
            if let Entry::EmptyDir(dir) = entry {
                let _ = std::fs::remove_dir(dir);
            }
        }
        list.clear();
        Removed { _guard: list }
    }
}

/// A temporary folder holding its lock; removing the folder is left to its owner.
#[derive(Debug)]
pub struct LockedDir {
    path: PathBuf,
    _lock: File,
}

/// How many names [`LockedDir::create`] tries. One process may hold many such folders at
/// once (serve's PDF worker keeps one per chunk of briefs until their pages are rebuilt); the
/// bound only ends the search on a file system that answers "exists" to every name.
const MOST_NAMES: u32 = 10_000;

impl LockedDir {
    /// Creates a new folder `<prefix><pid>` (or `<prefix><pid>-<n>` when that is taken) in
    /// `parent` and locks it.
    pub fn create(parent: &Path, prefix: &str) -> io::Result<LockedDir> {
        let pid = std::process::id();
        for n in 1.. {
            let name = match n {
                1 => format!("{prefix}{pid}"),
                n => format!("{prefix}{pid}-{n}"),
            };
            let path = parent.join(name);
            match std::fs::create_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < MOST_NAMES => continue,
                Err(e) => return Err(e),
            }
            // Where the file system cannot lock (some network file systems) the folder is
            // still used; a later run then never takes it for abandoned, which is the safe side.
            let lock = File::create(path.join(LOCK)).inspect(|file| {
                let _ = file.lock();
            });
            return match lock {
                Ok(lock) => Ok(LockedDir { path, _lock: lock }),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&path);
                    Err(e)
                }
            };
        }
        unreachable!("the loop returns")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `name` is this folder's lock file rather than something written into it.
    pub fn is_lock_file(name: &str) -> bool {
        name == LOCK
    }
}

/// Removes the folders `<prefix>…` in `parent` left by runs that were killed (no process holds
/// their lock). Folders still in use, and anything not made by brief, are left alone.
pub fn sweep(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_ours = entry.file_name().to_string_lossy().starts_with(prefix);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_ours && is_dir && abandoned(&entry.path()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes temporary folders in `parent` left by brief versions before the staging folder moved
/// inside the output folder: `.<name>.brief-tmp-<pid>` and `….old`, where `<name>` is accepted
/// by `is_name`, once no process `<pid>` runs. Those versions kept no lock, so the process is
/// looked up by id, which only Linux's /proc answers cheaply; elsewhere they are left alone.
pub fn sweep_legacy(parent: &Path, is_name: impl Fn(&str) -> bool) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = legacy_pid(&file_name, &is_name) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let running = Path::new("/proc").join(pid.to_string()).exists();
        if is_dir && !running {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in an old temporary folder's name.
fn legacy_pid(file_name: &str, is_name: impl Fn(&str) -> bool) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (name, pid) = rest.rsplit_once(".brief-tmp-")?;
    let pid = pid.strip_suffix(".old").unwrap_or(pid);
    match is_name(name) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
        true => pid.parse().ok(),
        false => None,
    }
}

/// A folder whose lock file can be locked: its run is gone. Without a lock file it is either
/// being created this instant or not ours, so it is kept.
fn abandoned(dir: &Path) -> bool {
    File::open(dir.join(LOCK)).is_ok_and(|file| file.try_lock().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_removes_abandoned_folders_only() {
        let temp = tempfile::tempdir().unwrap();
        let live = LockedDir::create(temp.path(), ".t-").unwrap();
        let dead = LockedDir::create(temp.path(), ".t-").unwrap();
        assert_ne!(live.path(), dead.path());
        let dead_path = dead.path().to_path_buf();
        drop(dead);
        std::fs::create_dir(temp.path().join(".t-unlocked")).unwrap();
        std::fs::create_dir(temp.path().join("other")).unwrap();
        sweep(temp.path(), ".t-");
        assert!(live.path().is_dir(), "in use");
        assert!(!dead_path.exists(), "abandoned");
        assert!(temp.path().join(".t-unlocked").is_dir(), "no lock: kept");
        assert!(temp.path().join("other").is_dir());
    }

    #[test]
    fn one_process_may_hold_hundreds_of_folders_at_once() {
        let temp = tempfile::tempdir().unwrap();
        let held: Vec<LockedDir> = (0..300)
            .map(|_| LockedDir::create(temp.path(), ".p-").unwrap())
            .collect();
        let names: std::collections::BTreeSet<_> = held.iter().map(|d| d.path()).collect();
        assert_eq!(names.len(), 300);
    }

    #[test]
    fn finds_the_process_of_old_temporary_folders() {
        let public = |name: &str| name == "public";
        assert_eq!(legacy_pid(".public.brief-tmp-123", public), Some(123));
        assert_eq!(legacy_pid(".public.brief-tmp-123.old", public), Some(123));
        assert_eq!(legacy_pid(".docs.brief-tmp-123", public), None);
        assert_eq!(legacy_pid(".public.brief-tmp-12x", public), None);
        assert_eq!(legacy_pid("public", public), None);
        let check = |name: &str| name.starts_with("brief-check-");
        assert_eq!(legacy_pid(".brief-check-77.brief-tmp-77", check), Some(77));
    }

    #[test]
    fn remove_all_removes_listed_folders() {
        let temp = tempfile::tempdir().unwrap();
        let (tree, empty, full) = (
            temp.path().join("tree"),
            temp.path().join("empty"),
            temp.path().join("full"),
        );
        std::fs::create_dir_all(tree.join("a")).unwrap();
        std::fs::create_dir_all(&empty).unwrap();
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("x"), "x").unwrap();
        let cleanup = Cleanup::new();
        cleanup.add_tree(&tree);
        cleanup.add_empty_dir(&empty);
        cleanup.add_empty_dir(&full);
        drop(cleanup.remove_all());
        assert!(!tree.exists() && !empty.exists());
        assert!(full.join("x").is_file(), "a folder with files is kept");
    }
}
