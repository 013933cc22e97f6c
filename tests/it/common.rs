//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

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
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
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
