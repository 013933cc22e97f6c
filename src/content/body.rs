//! A brief's rendered body: its HTML, the ranges of it only the page shows, its contents and its
//! notes. It is most of a loaded brief (about 12 KB of a brief's 29 KB) and only the brief's own
//! page and full-text feed entries read it, so a build does not keep it in memory: once a brief
//! is loaded its body goes to a [`Spill`] file, and a brief taken from the build cache points at
//! the body in its entry ([`crate::build_cache::loads`]). Either is read back when a page needs
//! it, so memory holds the bodies of the pages in flight, not of every brief.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Kind};
use crate::markdown::{Note, TocEntry};

/// What a brief's page shows of its Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub html: String,
    /// Byte ranges of `html` that only the page shows (sidenotes, heading links, pull quotes).
    pub furniture: Vec<std::ops::Range<usize>>,
    pub toc: Vec<TocEntry>,
    pub notes: Vec<Note>,
}

/// Where a brief's body is.
#[derive(Debug, Clone)]
pub enum Stored {
    /// In memory (a brief loaded outside a build, e.g. by `brief serve`).
    Held(Arc<Body>),
    /// In this build's spill file.
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        len: u64,
    },
    /// In the file `name` of a folder of the build cache, at `at`, `len` bytes, as bincode.
    InFile {
        folder: Arc<Folder>,
        name: Box<str>,
        at: u64,
        len: u64,
    },
}

/// A folder of files holding bodies.
#[derive(Debug)]
pub struct Folder {
    pub dir: PathBuf,
    /// As named in messages: relative to the site root.
    pub shown: String,
}

impl Stored {
    pub fn held(body: Body) -> Stored {
        Stored::Held(Arc::new(body))
    }

    /// The body, read back from its file when it is not in memory.
    pub fn get(&self) -> Result<Arc<Body>, Diagnostic> {
        let (file, shown, at, len) = match self {
            Stored::Held(body) => return Ok(body.clone()),
            Stored::Spilled { spill, at, len } => (
                Ok(spill.file.clone()),
                spill.path.display().to_string(),
                *at,
                *len,
            ),
            Stored::InFile {
                folder,
                name,
                at,
                len,
            } => (
                File::open(folder.dir.join(&**name)).map(Arc::new),
                format!("{}/{name}", folder.shown),
                *at,
                *len,
            ),
        };
        let unreadable = |why: String| {
            let problem = Diagnostic::new(
                Kind::Io,
                format!("could not read back a brief's rendered body: {why}"),
            )
            .in_file(shown.clone());
            match self {
                // Damaged or changed under the build: removed, so that the next build loads
                // the brief again instead of failing the same way.
                Stored::InFile { folder, name, .. } => {
                    let _ = std::fs::remove_file(folder.dir.join(&**name));
                    problem.help("the build cache's entry was removed; run the build again")
                }
                _ => problem.help("check the disk the site is on; run the build again"),
            }
        };
        let bytes = file
            .and_then(|file| read_at(&file, at, len))
            .map_err(|e| unreadable(e.to_string()))?;
        bincode::deserialize(&bytes)
            .map(Arc::new)
            .map_err(|e| unreadable(e.to_string()))
    }
}

/// A file that holds the bodies of one build's briefs until their pages are written: removed
/// from its folder as soon as it is made (on Unix), so that nothing is left behind whatever
/// way the build ends; elsewhere removed when dropped.
#[derive(Debug)]
pub struct Spill {
    file: Arc<File>,
    path: PathBuf,
    /// Where the next body goes.
    end: AtomicU64,
    removed: bool,
    /// The folder, when this made it: removed too if it is left empty.
    made: Option<PathBuf>,
}

impl Spill {
    /// A new spill file in `dir` (made if missing).
    pub fn new(dir: &Path) -> io::Result<Arc<Spill>> {
        let made = (!dir.exists()).then(|| dir.to_path_buf());
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("bodies-{}.tmp", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        let removed = cfg!(unix) && std::fs::remove_file(&path).is_ok();
        Ok(Arc::new(Spill {
            file: Arc::new(file),
            path,
            end: AtomicU64::new(0),
            removed,
            made,
        }))
    }

    /// `body`, written to the spill file; kept in memory if it cannot be written.
    pub fn keep(self: &Arc<Spill>, body: &Body) -> Stored {
        let written = bincode::serialize(body)
            .map_err(io::Error::other)
            .and_then(|bytes| {
                let len = bytes.len() as u64;
                let at = self.end.fetch_add(len, Ordering::Relaxed);
                write_at(&self.file, &bytes, at).map(|()| (at, len))
            });
        match written {
            Ok((at, len)) => Stored::Spilled {
                spill: self.clone(),
                at,
                len,
            },
            Err(_) => Stored::held(body.clone()),
        }
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if !self.removed {
            let _ = std::fs::remove_file(&self.path);
        }
        // Only if empty: a build with `--no-cache` leaves no cache folder behind.
        if let Some(dir) = &self.made {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn read_at(file: &File, at: u64, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len).map_err(io::Error::other)?];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, at)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut bytes[done..],
                at + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
    }
    Ok(bytes)
}

fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    #[cfg(unix)]
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            done +=
                std::os::windows::fs::FileExt::seek_write(file, &bytes[done..], at + done as u64)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body {
            html: format!("<p>{text}</p>"),
            furniture: vec![0..3, 5..7],
            toc: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn spilled_bodies_read_back_as_written_and_leave_no_file() {
        let temp = tempfile::tempdir().unwrap();
        let spill = Spill::new(&temp.path().join("cache")).unwrap();
        let stored: Vec<Stored> = (0..20).map(|i| spill.keep(&body(&i.to_string()))).collect();
        for (i, stored) in stored.iter().enumerate() {
            assert!(matches!(stored, Stored::Spilled { .. }));
            assert_eq!(*stored.get().unwrap(), body(&i.to_string()));
        }
        drop((stored, spill));
        assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_body_whose_file_changed_is_an_error_naming_the_file_which_is_removed() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("entry.bin");
        std::fs::write(&path, b"short").unwrap();
        let folder = Folder {
            dir: temp.path().to_path_buf(),
            shown: ".brief-cache/build/briefs".into(),
        };
        let stored = Stored::InFile {
            folder: Arc::new(folder),
            name: "entry.bin".into(),
            at: 2,
            len: 100,
        };
        let problem = stored.get().unwrap_err().to_string();
        assert!(
            problem.contains(".brief-cache/build/briefs/entry.bin"),
            "{problem}"
        );
        assert!(problem.contains("rendered body"), "{problem}");
        // So that the next build loads the brief again.
        assert!(!path.exists());
    }
}
