//! The persistent build cache, in `.brief-cache/build/` under the site root: what the last build
//! into an output folder read (a content hash of every input, [`fingerprint`]) and wrote (the
//! size and modification time of every file it put in the output folder), so that `brief build`
//! on a site that has not changed checks that and stops, writing nothing.
//!
//! One record per output folder and build options (`--base-url`, `--drafts`), named by their
//! hash, the newest [`KEEP`] kept. The folder is safe to delete. A record that cannot be read,
//! is damaged or cut short, or was written by another version or another build of brief is
//! ignored with a one-line warning naming it, and the build runs in full and replaces it.

pub mod fingerprint;
pub mod lexicon;
pub mod loads;
pub mod seal;
pub mod shape;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Kind};
use fingerprint::Hashes;

/// The cache's folder, relative to the site root.
pub const DIR: &str = ".brief-cache/build";

/// The folder of a build's spill file ([`crate::content::body::Spill`]), relative to the site
/// root: the cache's parent, so that the file is on the site's disk and a `.gitignore` of the
/// cache covers it. The file is removed as soon as it is made.
pub const SPILL_DIR: &str = ".brief-cache";

/// Version of the record's layout; a record of another layout is ignored.
const FORMAT: u32 = 4;

/// Records kept (one per output folder and options); older ones are removed.
const KEEP: usize = 8;

/// What one build into one output folder read and wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// brief's version and the hash of its binary.
    version: String,
    binary: String,
    /// Every input file's hash ([`fingerprint::inputs`]).
    pub inputs: Hashes,
    /// The stamps of the inputs that vouch for their hashes in the next build
    /// ([`fingerprint::FileStamp`]).
    #[serde(default)]
    pub stamps: fingerprint::Stamps,
    /// Files config.toml and the briefs name that may be outside the input folders.
    pub named: Vec<String>,
    /// Site path -> (size, modification time in ns) of every file brief wrote into the output
    /// folder, its manifest included.
    pub outputs: BTreeMap<String, (u64, u64)>,
    /// The last build's report, repeated when nothing changed.
    pub pages: usize,
    pub files_copied: usize,
    pub drafts_left_out: usize,
    pub warnings: Vec<Diagnostic>,
    /// What decides which pages an edit to briefs or authors changes.
    pub shape: shape::Shape,
}

/// What [`Cache::take`] found.
pub struct Taken {
    /// The last record, when the running binary wrote it.
    pub previous: Option<Record>,
    pub inputs: Hashes,
    pub stamps: fingerprint::Stamps,
    pub binary: fingerprint::Binary,
    /// Whether every file of the previous record is in the output as it was written.
    pub intact: bool,
    /// Why the last record was not used, when it was there.
    pub note: Option<Diagnostic>,
}

/// The record file of one output folder and set of build options.
#[derive(Debug, Clone)]
pub struct Cache {
    file: PathBuf,
    /// The file as named in messages: relative to the site root.
    shown: String,
}

impl Cache {
    /// The cache of the site at `root` for builds into `output` with these options (each
    /// option that changes the output, such as `--no-pdf`, has its own record).
    pub fn new(
        root: &Path,
        output: &Path,
        base_url: Option<&str>,
        drafts: bool,
        no_pdf: bool,
    ) -> Cache {
        // The same key before the folder exists as after.
        let output = crate::output::canonical_target(output);
        let key = fingerprint::hash(
            format!("{}\n{base_url:?}\n{drafts}\n{no_pdf}", output.display()).as_bytes(),
        );
        let name = format!("{key}.json");
        Cache {
            file: root.join(DIR).join(&name),
            shown: format!("{DIR}/{name}"),
        }
    }

    /// The last build's record; `None` (with a warning when a record was there but cannot be
    /// trusted) when there is none to use. See also [`Cache::written_by`].
    pub fn read(&self) -> (Option<Record>, Option<Diagnostic>) {
        let bytes = match std::fs::read(&self.file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, None),
            Err(e) => {
                return (
                    None,
                    Some(self.ignored(&format!("it cannot be read ({e})"))),
                );
            }
        };
        let record: Record = match serde_json::from_slice(&bytes) {
            Ok(record) => record,
            Err(e) => return (None, Some(self.ignored(&format!("it is damaged ({e})")))),
        };
        if record.format != FORMAT || record.version != env!("CARGO_PKG_VERSION") {
            let why = format!("brief {} wrote it", record.version);
            return (None, Some(self.ignored(&why)));
        }
        (Some(record), None)
    }

    /// The inputs of a build of the site at `root` into `output`, taken before the site is
    /// read, with the last record when the running binary wrote it. `config_named`: the files
    /// config.toml names, hashed with those the last record named.
    pub fn take(&self, root: &Path, output: &Path, config_named: Vec<String>) -> Taken {
        let (previous, mut note) = self.read();
        // The files named last time are hashed with the others; those named for the first
        // time are hashed after the build.
        let mut named = previous
            .as_ref()
            .map(|r| r.named.clone())
            .unwrap_or_default();
        named.extend(config_named);
        named.sort();
        named.dedup();
        // The binary first (remembered, so cheap after the first build): only a record it
        // wrote may vouch for the hashes of files whose stamps did not change.
        let binary = fingerprint::binary(&root.join(DIR));
        let previous = previous.and_then(|record| {
            self.written_by(record, &binary.hash)
                .map_err(|problem| note = Some(problem))
                .ok()
        });
        let known = previous.as_ref().map(|p| (&p.inputs, &p.stamps));
        let (inputs, stamps) = fingerprint::inputs(root, &named, known);
        let intact = previous
            .as_ref()
            .is_some_and(|p| outputs_intact(output, &p.outputs));
        Taken {
            previous,
            inputs,
            stamps,
            binary,
            intact,
            note,
        }
    }

    /// `record` if the binary whose hash is `binary` (the running one) wrote it.
    pub fn written_by(&self, record: Record, binary: &str) -> Result<Record, Diagnostic> {
        match record.binary == binary {
            true => Ok(record),
            false => Err(self.ignored("another build of brief wrote it")),
        }
    }

    fn ignored(&self, why: &str) -> Diagnostic {
        Diagnostic::warning(
            Kind::Io,
            format!("ignoring the build cache: {why}; this build writes a new one"),
        )
        .in_file(&self.shown)
    }

    /// A new record, for the binary whose hash is `binary`.
    pub fn record(&self, binary: String, inputs: Hashes, named: Vec<String>) -> Record {
        Record {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            binary,
            inputs,
            stamps: fingerprint::Stamps::new(),
            named,
            outputs: BTreeMap::new(),
            pages: 0,
            files_copied: 0,
            drafts_left_out: 0,
            warnings: Vec::new(),
            shape: shape::Shape::default(),
        }
    }

    /// Saves `record` (beside its final name, then renamed over it, so a build killed meanwhile
    /// leaves the old record or none), and removes the oldest records past [`KEEP`].
    pub fn write(&self, record: &Record) -> Result<(), Diagnostic> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let failed = |e: &dyn std::fmt::Display| {
            Diagnostic::warning(Kind::Io, format!("could not save the build cache: {e}"))
                .in_file(&self.shown)
                .help("the next build runs in full; check that the site folder is writable")
        };
        std::fs::create_dir_all(dir).map_err(|e| failed(&e))?;
        let bytes = serde_json::to_vec(record).map_err(|e| failed(&e))?;
        let temp = self
            .file
            .with_extension(format!("{}.new", std::process::id()));
        std::fs::write(&temp, bytes)
            .and_then(|()| std::fs::rename(&temp, &self.file))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                failed(&e)
            })?;
        prune(dir, KEEP);
        Ok(())
    }
}

/// Removes all but the `keep` newest records of `dir`.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut records: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    records.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (_, path) in records.into_iter().skip(keep) {
        let _ = std::fs::remove_file(path);
    }
}

/// Size and modification time (ns since 1970) of the file at `path`; `None` when it is not a
/// file.
fn stamp(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    meta.is_file().then(|| {
        (
            meta.len(),
            u64::try_from(modified.as_nanos()).unwrap_or(u64::MAX),
        )
    })
}

/// The stamps of `site_paths` in the output folder `dir`.
pub fn stamps<'a>(
    dir: &Path,
    site_paths: impl Iterator<Item = &'a String>,
) -> BTreeMap<String, (u64, u64)> {
    let paths: Vec<&String> = site_paths.collect();
    paths
        .par_iter()
        .filter_map(|p| Some(((*p).clone(), stamp(&dir.join(p))?)))
        .collect()
}

/// [`stamps`] after a build that wrote or removed only the files `changed` (and the manifest)
/// in an output folder whose files were as `before` stamped them (checked by
/// [`outputs_intact`] when the build started): the others keep their stamps, unread.
pub fn stamps_after<'a>(
    dir: &Path,
    site_paths: impl Iterator<Item = &'a String>,
    before: &BTreeMap<String, (u64, u64)>,
    changed: &[String],
) -> BTreeMap<String, (u64, u64)> {
    let changed: std::collections::HashSet<&str> = changed.iter().map(String::as_str).collect();
    let (kept, fresh): (Vec<&String>, Vec<&String>) = site_paths.partition(|p| {
        !changed.contains(p.as_str())
            && p.as_str() != crate::output::MANIFEST
            && before.contains_key(*p)
    });
    let mut stamped = stamps(dir, fresh.into_iter());
    stamped.extend(kept.into_iter().map(|p| (p.clone(), before[p])));
    stamped
}

/// Whether every file of `outputs` is still in `dir` as brief left it (same size and time):
/// a file deleted or edited by hand is written again by a full build.
pub fn outputs_intact(dir: &Path, outputs: &BTreeMap<String, (u64, u64)>) -> bool {
    !outputs.is_empty()
        && outputs
            .par_iter()
            .all(|(path, recorded)| stamp(&dir.join(path)) == Some(*recorded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_a_damaged_one_is_ignored_naming_the_file() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path(), &temp.path().join("public"), None, false, false);
        assert!(matches!(cache.read(), (None, None)));
        let record = cache.record("b1".into(), Hashes::new(), vec!["refs.bib".into()]);
        cache.write(&record).unwrap();
        let (read, note) = cache.read();
        assert!(note.is_none());
        let read = read.unwrap();
        assert_eq!(read.named, ["refs.bib"]);
        assert!(cache.written_by(read.clone(), "b1").is_ok());
        let foreign = cache.written_by(read, "b2").unwrap_err().to_string();
        assert!(foreign.contains("another build of brief"), "{foreign}");
        std::fs::write(&cache.file, "{\"format\":").unwrap();
        let (read, note) = cache.read();
        assert!(read.is_none());
        let note = note.unwrap().to_string();
        assert!(
            note.contains(&cache.shown) && note.contains("damaged"),
            "{note}"
        );
    }

    #[test]
    fn only_the_newest_records_are_kept() {
        let temp = tempfile::tempdir().unwrap();
        for i in 0..KEEP + 3 {
            let cache = Cache::new(
                temp.path(),
                &temp.path().join(format!("out{i}")),
                None,
                false,
                false,
            );
            cache
                .write(&cache.record(String::new(), Hashes::new(), Vec::new()))
                .unwrap();
        }
        let left = std::fs::read_dir(temp.path().join(DIR)).unwrap().count();
        assert_eq!(left, KEEP);
    }
}
