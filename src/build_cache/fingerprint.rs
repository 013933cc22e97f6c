//! Content hashes of what a build reads: every file of config.toml, content/, static/,
//! templates/ and themes/, the bibliography and style files config.toml and the briefs name
//! (which may be anywhere in the site), and the `brief` binary itself (which holds the built-in
//! theme). Files are read and hashed in parallel (SHA-256, which this machine's CPUs run in
//! hardware: a 10,000-brief site's 120 MB in well under 0.1 s).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The folders of a site whose every file is an input.
/// `pdf/` holds the site's own PDF templates and fonts (src/pdf), which replace the theme's.
const INPUT_DIRS: &[&str] = &["content", "static", "templates", "themes", "pdf"];

/// Hash of a file that could not be read (gone, or a folder now).
const UNREADABLE: &str = "-";

/// Site-relative path (with `/`) -> hash of the file's bytes.
pub type Hashes = BTreeMap<String, String>;

/// The first 128 bits of the SHA-256 of `bytes`, in hex: plenty to tell two versions of a
/// file apart.
pub fn hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The running binary's hash, and the memo to write for the next build when it was hashed.
#[derive(Debug, Clone)]
pub struct Binary {
    pub hash: String,
    /// (memo file, its text), written by [`Binary::remember`].
    memo: Option<(PathBuf, String)>,
}

impl Binary {
    /// Writes the memo of the binary's hash (after a successful build only: a failed build
    /// writes nothing into the site).
    pub fn remember(&self) {
        let Some((memo, text)) = &self.memo else {
            return;
        };
        let temp = memo.with_extension(format!("{}.new", std::process::id()));
        let dir = memo.parent().unwrap_or(Path::new("."));
        let saved = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temp, text))
            .and_then(|()| std::fs::rename(&temp, memo));
        if saved.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

/// Hash of the running binary; a cache another build of brief wrote is not trusted. Read
/// from the memo in `cache_dir` when it is still valid ([`FileStamp`]), else hashed (a debug
/// binary is hundreds of MB), with the memo for [`Binary::remember`] to write.
pub fn binary(cache_dir: &Path) -> Binary {
    match std::env::current_exe() {
        Ok(exe) => file_memoized(&exe, cache_dir, std::time::SystemTime::now()),
        Err(_) => Binary {
            hash: UNREADABLE.to_string(),
            memo: None,
        },
    }
}

/// The hash of the file `exe`, through the memo in `cache_dir`, at the time `now`.
fn file_memoized(exe: &Path, cache_dir: &Path, now: std::time::SystemTime) -> Binary {
    let memo = cache_dir.join(BINARY_MEMO);
    let stamp = FileStamp::of(exe);
    if let Some(stamp) = &stamp
        && let Some(hash) = memoized(&memo, &stamp.key(exe))
    {
        return Binary { hash, memo: None };
    }
    let Ok(bytes) = std::fs::read(exe) else {
        return Binary {
            hash: UNREADABLE.to_string(),
            memo: None,
        };
    };
    let hash = hash(&bytes);
    // Unchanged since it was read, and settled (see `FileStamp::is_settled`): memoized.
    let memo = stamp
        .filter(|s| FileStamp::of(exe).as_ref() == Some(s) && s.is_settled(now))
        .map(|stamp| (memo, format!("{}\n{hash}\n", stamp.key(exe))));
    Binary { hash, memo }
}

/// The file in the cache folder remembering the binary's hash.
pub const BINARY_MEMO: &str = "binary-hash";

/// The hash the memo at `memo` holds for the binary of stamp `key`, if it is the one memoized.
fn memoized(memo: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(memo).ok()?;
    let (memo_key, hash) = text.split_once('\n')?;
    let hash = hash.trim_end();
    let well_formed = hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (memo_key == key && well_formed).then(|| hash.to_string())
}

/// What identifies one version of a file without reading it: its device, inode, size,
/// modification time and status-change time (`ctime`). Used for the binary and for every
/// input file, so that a build hashes only the files that changed.
///
/// Why the memo is safe: any change to the file's bytes in place (a write, `cp` over it, a
/// linker rewriting it) or to its times (`touch`, `cp -p`, `tar`, which can set the
/// modification time back) sets its `ctime` to the current time, and no program can set
/// `ctime` itself; a new file in its place (`cargo build`, an upgrade, `mv`) has another
/// inode or `ctime`. So a file with the memoized stamp has the memoized bytes, with one gap,
/// the one git's index has ("racy git"): file times have a coarse clock, so a change within
/// the same tick as the stamp would keep it. The memo is therefore written only for a file
/// whose `ctime` is [`SETTLED`] in the past, long after any tick.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

/// How long ago the binary's file must have last changed for its hash to be memoized.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl FileStamp {
    /// The stamp of the file at `path`; `None` where the platform has no inode and `ctime`
    /// (then the binary is hashed on every build).
    #[cfg(unix)]
    fn of(path: &Path) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            device: meta.dev(),
            inode: meta.ino(),
            size: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<FileStamp> {
        None
    }

    /// Whether the file last changed at least [`SETTLED`] before `now`.
    fn is_settled(&self, now: std::time::SystemTime) -> bool {
        let now = now
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let changed = u64::try_from(self.changed.0).unwrap_or(u64::MAX);
        now.saturating_sub(changed) > SETTLED.as_secs()
    }

    /// The stamp of the file at `path` as one line of text.
    fn key(&self, path: &Path) -> String {
        let path = path.to_string_lossy().replace('\n', " ");
        format!(
            "{path} dev={} ino={} size={} mtime={}.{:09} ctime={}.{:09}",
            self.device,
            self.inode,
            self.size,
            self.modified.0,
            self.modified.1,
            self.changed.0,
            self.changed.1
        )
    }
}

/// The stamps of the input files whose stamps can vouch for their hash ([`FileStamp`]).
pub type Stamps = BTreeMap<String, FileStamp>;

/// The hashes of every file in the input folders of `root` (and config.toml), skipping ignored
/// names ([`crate::ignored`]), plus those of `named` (site-relative paths of files named in
/// config or front matter, wherever they are). The output folder is never inside an input
/// folder ([`crate::output::check_output_folder`] refuses that). A file whose stamp is the one
/// in `known` keeps the hash `known` has for it instead of being read (see [`FileStamp`] for
/// why that is safe); the stamps returned are those settled enough to vouch for next time.
pub fn inputs(
    root: &Path,
    named: &[String],
    known: Option<(&Hashes, &Stamps)>,
) -> (Hashes, Stamps) {
    inputs_at(root, named, known, std::time::SystemTime::now())
}

/// [`inputs`], at the time `now`.
fn inputs_at(
    root: &Path,
    named: &[String],
    known: Option<(&Hashes, &Stamps)>,
    now: std::time::SystemTime,
) -> (Hashes, Stamps) {
    let mut files: Vec<(String, PathBuf)> = vec![(
        crate::config::CONFIG_FILE.to_string(),
        root.join(crate::config::CONFIG_FILE),
    )];
    for dir in INPUT_DIRS {
        files.extend(walk(root, &root.join(dir)));
    }
    files.extend(named.iter().map(|rel| (rel.clone(), root.join(rel))));
    let hashed: Vec<(String, String, Option<FileStamp>)> = files
        .par_iter()
        .map(|(rel, path)| {
            let stamp = FileStamp::of(path);
            let vouched = known.and_then(|(hashes, stamps)| {
                let same = stamp.is_some() && stamps.get(rel) == stamp.as_ref();
                hashes.get(rel).filter(|_| same)
            });
            let hash = match vouched {
                Some(hash) => hash.clone(),
                None => std::fs::read(path).map_or_else(|_| UNREADABLE.to_string(), |b| hash(&b)),
            };
            // Read after its stamp was taken: vouches only if it is still the same and settled.
            let stamp = stamp
                .filter(|s| vouched.is_some() || FileStamp::of(path).as_ref() == Some(s))
                .filter(|s| s.is_settled(now) && hash != UNREADABLE);
            (rel.clone(), hash, stamp)
        })
        .collect();
    let mut hashes = Hashes::new();
    let mut stamps = Stamps::new();
    for (rel, hash, stamp) in hashed {
        if let Some(stamp) = stamp {
            stamps.insert(rel.clone(), stamp);
        }
        hashes.insert(rel, hash);
    }
    (hashes, stamps)
}

/// The hash of one named file (see [`inputs`]).
pub fn inputs_named(root: &Path, rel: &str) -> String {
    std::fs::read(root.join(rel)).map_or_else(|_| UNREADABLE.to_string(), |b| hash(&b))
}

/// The files below `dir` (links followed, as the build follows them), as (site path, path).
fn walk(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::ignored::is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (site_path(e.path(), root), e.path().to_path_buf()))
        .collect()
}

/// `path` relative to `root`, with `/` separators.
pub fn site_path(path: &Path, root: &Path) -> String {
    crate::fsutil::relative(path, root)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn binary_hash_is_memoized_only_once_settled_and_only_for_that_file() {
        let temp = tempfile::tempdir().unwrap();
        let (exe, cache) = (temp.path().join("brief"), temp.path().join("cache"));
        std::fs::write(&exe, b"version one").unwrap();
        let memo = cache.join(BINARY_MEMO);
        // Just written: its time stamps could still change within the clock's tick.
        let hashed = |now| {
            let binary = file_memoized(&exe, &cache, now);
            binary.remember();
            binary.hash
        };
        let now = SystemTime::now();
        assert_eq!(hashed(now), hash(b"version one"));
        assert!(!memo.exists());
        let later = now + Duration::from_secs(10);
        let binary = file_memoized(&exe, &cache, later);
        assert!(!memo.exists(), "written only when the build succeeded");
        binary.remember();
        assert!(memo.exists());
        // The memo is what answers now: a wrong hash in it shows through.
        let text = std::fs::read_to_string(&memo).unwrap();
        let (key, _) = text.split_once('\n').unwrap();
        let fake = "0123456789abcdef0123456789abcdef";
        std::fs::write(&memo, format!("{key}\n{fake}\n")).unwrap();
        assert_eq!(hashed(later), fake);
        // Rewritten with the same size and modification time: its ctime changed.
        let modified = std::fs::metadata(&exe).unwrap().modified().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&exe, b"version two").unwrap();
        let file = std::fs::File::options().write(true).open(&exe).unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        assert_eq!(hashed(later), hash(b"version two"));
        // A damaged memo is not used.
        std::fs::write(&memo, "nonsense").unwrap();
        assert_eq!(hashed(later), hash(b"version two"));
    }

    #[test]
    fn unchanged_stamps_vouch_for_hashes_and_any_rewrite_is_read_again() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        std::fs::create_dir_all(root.join("content/briefs")).unwrap();
        std::fs::write(root.join("config.toml"), "title = \"x\"\n").unwrap();
        let brief = root.join("content/briefs/a.md");
        std::fs::write(&brief, "one").unwrap();
        // Just written: no stamp vouches for them yet.
        let (hashes, stamps) = inputs_at(root, &[], None, SystemTime::now());
        assert_eq!(hashes["content/briefs/a.md"], hash(b"one"));
        assert!(stamps.is_empty());
        let later = SystemTime::now() + Duration::from_secs(10);
        let (mut hashes, stamps) = inputs_at(root, &[], None, later);
        assert_eq!(stamps.len(), 2);
        // The stamp answers, not the file: a hash planted in the record shows through.
        hashes.insert("content/briefs/a.md".into(), "planted".into());
        let (again, _) = inputs_at(root, &[], Some((&hashes, &stamps)), later);
        assert_eq!(again["content/briefs/a.md"], "planted");
        // Rewritten with the same size: read and hashed again.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&brief, "two").unwrap();
        let (again, _) = inputs_at(root, &[], Some((&hashes, &stamps)), later);
        assert_eq!(again["content/briefs/a.md"], hash(b"two"));
        assert_eq!(again["config.toml"], hash(b"title = \"x\"\n"));
    }
}
