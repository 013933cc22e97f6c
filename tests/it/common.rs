//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use assert_cmd::Command;

/// The `brief` binary under test, run in `dir`.
pub fn brief(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("brief").expect("binary builds");
    cmd.current_dir(dir);
    cmd
}

/// A fixture folder under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a folder tree (a fixture) into a fresh temporary folder and returns it.
pub fn copy_to_temp(from: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    // Not the caches a build of the fixture in place keeps (PDFs, images): other tests may
    // be writing them at this moment, and a copy starts cold like a fresh clone.
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".brief-cache")
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let to = temp.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    temp
}

/// Builds the site at `root` into a fresh folder (with extra `build` arguments); returns the
/// temporary folder, which must be kept alive, and the output folder inside it.
pub fn build_site(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    brief(root)
        .args(["build", "--output"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (temp, out)
}

/// A built file's text.
pub fn read_output(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file below `dir` with its bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The example site at the repository root.
pub fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A site the tests read but never change: a fixture by name, or the example site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Site {
    Fixture(&'static str),
    Example,
}

impl Site {
    fn root(self) -> PathBuf {
        match self {
            Site::Fixture(name) => fixture(name),
            Site::Example => example_site(),
        }
    }
}

/// The output of `site` as `brief build` writes it (with `--drafts` when `drafts`), built once
/// per test process through the library, whichever test asks first; the others wait for it
/// and share it. Read it, never change it: a test that edits the site or its output copies
/// the fixture and builds its own (`copy_to_temp`, `build_site`).
pub fn built(site: Site, drafts: bool) -> &'static Path {
    type Builds = Mutex<BTreeMap<(Site, bool), &'static OnceLock<PathBuf>>>;
    static BUILDS: OnceLock<Builds> = OnceLock::new();
    // One cell per output, taken under the lock and filled outside it, so that different
    // outputs build in parallel and each builds once. A cell lives as long as the process.
    let cell: &'static OnceLock<PathBuf> = BUILDS
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry((site, drafts))
        .or_insert_with(|| Box::leak(Box::default()));
    cell.get_or_init(|| build_once(site, drafts))
}

fn build_once(site: Site, drafts: bool) -> PathBuf {
    let name = match site {
        Site::Fixture(name) => name,
        Site::Example => "example",
    };
    let out = shared_folder().join(format!("{name}{}", if drafts { "-drafts" } else { "" }));
    brief::build(&brief::BuildOptions {
        root: site.root(),
        output: Some(out.clone()),
        drafts,
        ..brief::BuildOptions::default()
    })
    .unwrap_or_else(|errors| panic!("{name} does not build:\n{errors}"));
    out
}

/// The folder the shared outputs are built in: one per test process, under the target's
/// temporary folder, removed when the process exits.
fn shared_folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let folder = tempfile::Builder::new()
            .prefix("shared-outputs-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a temporary folder")
            .keep();
        // Statics are never dropped, so the folder is removed by an exit hook; the test
        // harness leaves through `exit`, which runs it. A killed run leaves it in target/tmp.
        extern "C" fn remove_shared_folder() {
            if let Some(folder) = FOLDER.get() {
                let _ = std::fs::remove_dir_all(folder);
            }
        }
        // SAFETY: registers a plain function with no arguments, as atexit requires.
        unsafe { libc::atexit(remove_shared_folder) };
        folder
    })
}
