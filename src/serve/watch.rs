//! Watching the site's files with notify's full debouncer. The site root is watched on its own
//! (for config.toml and for source folders that appear later) and each source folder
//! recursively; events carry only paths, which [`super::classify`] turns into work, so every
//! editor's way of saving (in place, temp file + rename, delete + re-create) lands the same way.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Diagnostic, Kind};

/// The folders of a site that hold input, watched recursively.
pub const SOURCE_DIRS: &[&str] = &["content", "static", "templates", "themes", "pdf"];

/// How long the debouncer waits for a burst of events (one save) to end.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// A message to the rebuild loop.
#[derive(Debug)]
pub enum Msg {
    /// Changed paths, relative to the site root; `rescan` when the watcher lost track and
    /// everything must be rebuilt.
    Changed {
        paths: Vec<PathBuf>,
        rescan: bool,
    },
    /// PDFs the background worker typeset: their pages are rebuilt to link them.
    Pdfs(crate::pdf::background::Batch),
    Stop,
}

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (an absolute path); changes are sent to `tx`.
    pub fn start(root: &Path, tx: Sender<Msg>) -> Result<Watcher, Diagnostic> {
        let base = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let msg = match result {
                Ok(events) => {
                    let mut rescan = false;
                    let mut paths = Vec::new();
                    for event in events {
                        // Opening and reading files (our own builds do) changes nothing.
                        if matches!(event.kind, notify::EventKind::Access(_)) {
                            continue;
                        }
                        rescan |= event.need_rescan();
                        for path in &event.paths {
                            if let Ok(rel) = path.strip_prefix(&base) {
                                paths.push(rel.to_path_buf());
                            }
                        }
                    }
                    if paths.is_empty() && !rescan {
                        return;
                    }
                    Msg::Changed { paths, rescan }
                }
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: file watcher: {error}");
                    }
                    Msg::Changed {
                        paths: Vec::new(),
                        rescan: true,
                    }
                }
            };
            let _ = tx.send(msg);
        };
        let debouncer =
            new_debouncer(DEBOUNCE, None, handler).map_err(|e| watch_error(root, &e))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        watcher.refresh();
        Ok(watcher)
    }

    /// After a batch of changes: a source folder named in it may have been removed, created or
    /// replaced, so watch it afresh.
    pub fn refresh_for(&mut self, changed: &[PathBuf]) {
        for name in SOURCE_DIRS {
            if changed.iter().any(|p| p == Path::new(name)) {
                let dir = self.root.join(name);
                let _ = self.debouncer.unwatch(&dir);
                self.watched.retain(|d| *d != dir);
            }
        }
        self.refresh();
    }

    /// Watches source folders that exist now but were not watched (created, or deleted and
    /// re-created since), and forgets those that are gone.
    pub fn refresh(&mut self) {
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            let is_watched = self.watched.contains(&dir);
            match (dir.is_dir(), is_watched) {
                (true, false) => match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(dir),
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                },
                (false, true) => {
                    let _ = self.debouncer.unwatch(&dir);
                    self.watched.retain(|d| *d != dir);
                }
                _ => {}
            }
        }
    }
}

fn watch_error(root: &Path, error: &notify::Error) -> Diagnostic {
    Diagnostic::new(
        Kind::Io,
        format!("could not watch the site's files: {error}"),
    )
    .in_file(root)
    .help("on Linux, raise fs.inotify.max_user_watches if the limit was reached")
}
