//! The persistent PDF cache, `.brief-cache/pdf/` under the site root: per brief, the typeset
//! `<slug>.pdf` and `<slug>.json` (its key, page count, and the site files its compile read
//! with their hashes). A brief whose key and files are unchanged is not typeset again. An entry
//! that cannot be read, or whose PDF is missing or not a PDF, is ignored and typeset anew.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Made;
use super::world::{SiteFiles, hex};
use crate::error::Diagnostic;

/// The cache folder, relative to the site root.
pub const DIR: &str = ".brief-cache/pdf";

pub struct Cache {
    dir: PathBuf,
}

/// A cached PDF.
pub struct Entry {
    pub path: PathBuf,
    pub bytes: u64,
    pub pages: usize,
}

#[derive(Serialize, Deserialize)]
struct Index {
    key: String,
    pages: usize,
    /// (site path, SHA-256) of each site file the compile read.
    files: Vec<(String, String)>,
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
            site.find(path)
                .and_then(|file| std::fs::read(file).ok())
                .is_some_and(|bytes| hex(&Sha256::digest(&bytes)) == *hash)
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
        })
    }

    /// Stores a PDF just made (each file written whole, then renamed into place).
    pub fn store(&self, slug: &str, key: &str, made: &Made) -> Result<Entry, Diagnostic> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Diagnostic::io("create the PDF cache folder", &self.dir, &e))?;
        let (pdf, index_path) = self.paths(slug);
        write_whole(&pdf, &made.bytes)?;
        let index = Index {
            key: key.to_string(),
            pages: made.pages,
            files: made.served.clone(),
        };
        let json = serde_json::to_vec(&index).expect("cache index serializes");
        write_whole(&index_path, &json)?;
        Ok(Entry {
            path: pdf,
            bytes: made.bytes.len() as u64,
            pages: made.pages,
        })
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
