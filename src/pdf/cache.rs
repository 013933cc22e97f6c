//! The persistent PDF cache, `.brief-cache/pdf/` under the site root: per brief, the typeset
//! `<slug>.pdf` and `<slug>.json` (its key, page count, and the site files its compile read
//! with their hashes). A brief whose key and files are unchanged is not typeset again. An entry
//! that cannot be read, or whose PDF is missing or not a PDF, is ignored and typeset anew.
//!
//! A PDF just typeset goes first into a [`Pending`] folder inside the cache folder, and into
//! the cache proper only once the build's output is committed ([`Pending::keep`]): a failed
//! build leaves the cache as it was.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Made;
use super::world::{SiteFiles, hex};
use crate::error::Diagnostic;
use crate::output::cleanup::LockedDir;

/// The cache folder, relative to the site root.
pub const DIR: &str = ".brief-cache/pdf";

/// Name of the folders of PDFs typeset by builds not yet committed, followed by the pid.
const PENDING_PREFIX: &str = ".pending-";

pub struct Cache {
    dir: PathBuf,
}

/// A cached PDF.
pub struct Entry {
    pub path: PathBuf,
    pub bytes: u64,
    pub pages: usize,
    /// Why the PDF was typeset the way it was (not PDF/UA-1, without its images), repeated
    /// by every build that reuses it.
    pub warning: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Index {
    key: String,
    pages: usize,
    /// (site path, SHA-256) of each site file the compile read; an empty hash for a file
    /// that was missing.
    files: Vec<(String, String)>,
    #[serde(default)]
    warning: Option<String>,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(DIR),
        }
    }

    fn paths(&self, slug: &str) -> (PathBuf, PathBuf) {
        (
            self.dir.join(format!("{slug}.pdf")),
            self.dir.join(format!("{slug}.json")),
        )
    }

    /// The cached PDF of `slug`, if it was made from the same inputs.
    pub fn lookup(&self, slug: &str, key: &str, site: &SiteFiles) -> Option<Entry> {
        let (pdf, index) = self.paths(slug);
        let index: Index = serde_json::from_slice(&std::fs::read(index).ok()?).ok()?;
        if index.key != key {
            return None;
        }
        let unchanged = index.files.iter().all(|(path, hash)| {
            let now = site
                .find(path)
                .and_then(|file| std::fs::read(file).ok())
                .map(|bytes| hex(&Sha256::digest(&bytes)))
                .unwrap_or_default();
            now == *hash
        });
        if !unchanged {
            return None;
        }
        let mut head = [0u8; 5];
        let mut file = std::fs::File::open(&pdf).ok()?;
        std::io::Read::read_exact(&mut file, &mut head).ok()?;
        if &head != b"%PDF-" {
            return None;
        }
        let bytes = file.metadata().ok()?.len();
        Some(Entry {
            path: pdf,
            bytes,
            pages: index.pages,
            warning: index.warning,
        })
    }

    /// A folder for the PDFs this build typesets, kept by [`Pending::keep`] after the build.
    /// It is made when the first PDF is stored, and locked while this process runs.
    pub fn pending(&self) -> Pending {
        // The folders a build that fails must not leave behind.
        let missing = [self.dir.parent(), Some(self.dir.as_path())]
            .into_iter()
            .flatten()
            .filter(|dir| !dir.exists())
            .map(Path::to_path_buf)
            .collect();
        Pending {
            cache: self.dir.clone(),
            dir: std::sync::Mutex::new(None),
            made: std::sync::Mutex::new(Vec::new()),
            missing,
            kept: false,
        }
    }

    /// Removes the pending folders of builds that were killed (`kill -9`, a crash): those whose
    /// lock no process holds. Another build's or serve's, still running on the same site, are
    /// left alone.
    pub fn sweep(&self) {
        crate::output::cleanup::sweep(&self.dir, PENDING_PREFIX);
    }
}

/// PDFs typeset by a build that is not committed yet; removed unless kept.
pub struct Pending {
    cache: PathBuf,
    /// `.pending-<pid>[-<n>]` in the cache folder, once a PDF is stored.
    dir: std::sync::Mutex<Option<LockedDir>>,
    /// The slugs stored.
    made: std::sync::Mutex<Vec<String>>,
    /// The cache folders that did not exist before: removed again unless the PDFs are kept.
    missing: Vec<PathBuf>,
    kept: bool,
}

impl Pending {
    /// Stores a PDF just made (each file written whole, then renamed into place).
    pub fn store(
        &self,
        slug: &str,
        key: &str,
        made: &Made,
        warning: Option<String>,
    ) -> Result<Entry, Diagnostic> {
        let dir = self.dir()?;
        let pdf = dir.join(format!("{slug}.pdf"));
        write_whole(&pdf, &made.bytes)?;
        let index = Index {
            key: key.to_string(),
            pages: made.pages,
            files: made.served.clone(),
            warning: warning.clone(),
        };
        let json = serde_json::to_vec(&index).expect("cache index serializes");
        write_whole(&dir.join(format!("{slug}.json")), &json)?;
        if let Ok(mut slugs) = self.made.lock() {
            slugs.push(slug.to_string());
        }
        Ok(Entry {
            path: pdf,
            bytes: made.bytes.len() as u64,
            pages: made.pages,
            warning,
        })
    }

    /// The pending folder, made (with the cache folder) on first use.
    fn dir(&self) -> Result<PathBuf, Diagnostic> {
        let mut dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = dir.as_ref() {
            return Ok(dir.path().to_path_buf());
        }
        std::fs::create_dir_all(&self.cache)
            .map_err(|e| Diagnostic::io("create the PDF cache folder", &self.cache, &e))?;
        let made = LockedDir::create(&self.cache, PENDING_PREFIX)
            .map_err(|e| Diagnostic::io("create a folder in the PDF cache", &self.cache, &e))?;
        let path = made.path().to_path_buf();
        *dir = Some(made);
        Ok(path)
    }

    /// Whether `path` is a PDF of this folder (to be found in the cache after [`Pending::keep`]).
    pub fn holds(&self, path: &Path) -> bool {
        let dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        dir.as_ref().is_some_and(|dir| path.starts_with(dir.path()))
    }

    /// Moves the PDFs made into the cache, once the build that made them is committed. A cache
    /// that cannot be written costs only time on the next build.
    pub fn keep(mut self) {
        self.kept = true;
        let slugs = std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()));
        let dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        let Some(dir) = dir.as_ref() else {
            return;
        };
        for slug in slugs {
            // The PDF before its index: an index names a PDF that is in place.
            for name in [format!("{slug}.pdf"), format!("{slug}.json")] {
                let _ = std::fs::rename(dir.path().join(&name), self.cache.join(&name));
            }
        }
    }

    /// Where a pending PDF is once kept.
    pub fn kept_path(&self, path: &Path) -> PathBuf {
        match path.file_name() {
            Some(name) => self.cache.join(name),
            None => path.to_path_buf(),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let dir = self.dir.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(dir) = dir {
            let path = dir.path().to_path_buf();
            // Unlocked first: Windows removes no open file.
            drop(dir);
            let _ = std::fs::remove_dir_all(path);
        }
        if !self.kept {
            // Innermost first; only if empty.
            for dir in self.missing.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = path.with_extension(format!(
        "{}.tmp-{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).map_err(|e| Diagnostic::io("write the PDF cache", &tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| Diagnostic::io("write the PDF cache", path, &e))
}
