//! Stamps the binary with the commit it was built from, for `brief --version`
//! ("brief 0.1.0 (commit 1a2b3c4d5e6f)").
//!
//! The commit comes from git when the crate is built from a checkout of its own repository;
//! otherwise (an sdist of the wheel, a container build without `.git`, a crates.io download)
//! from the `BRIEF_COMMIT` environment variable, which the release workflow and the Dockerfile
//! set; otherwise it is "unknown". A git failure never fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed=BRIEF_COMMIT");
    // The default theme and the starter site are embedded with `include_dir!`, which cargo
    // cannot see: rerunning this script when they change makes cargo rebuild the crate, so the
    // binary never carries a stale theme.
    for embedded in ["themes/default", "src/scaffold/site"] {
        println!("cargo:rerun-if-changed={embedded}");
    }
    // A missing file would make cargo rerun this script on every build.
    for path in watched_git_files(&dir).iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let line = version_line(
        &std::env::var("CARGO_PKG_VERSION").expect("set by cargo"),
        git_commit(&dir),
        std::env::var("BRIEF_COMMIT").ok(),
    );
    println!("cargo:rustc-env=BRIEF_VERSION_LINE={line}");
}

/// "0.1.0 (commit 1a2b3c4d5e6f)": the commit from git, else from `BRIEF_COMMIT` (blank counts
/// as unset; a full hash, as CI passes it, is abbreviated like git's), else "unknown".
fn version_line(version: &str, git: Option<String>, env: Option<String>) -> String {
    let env = env.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let env = env.map(|v| {
        if v.chars().all(|c| c.is_ascii_hexdigit()) {
            v.chars().take(12).collect()
        } else {
            v
        }
    });
    let commit = git.or(env).unwrap_or_else(|| "unknown".to_string());
    format!("{version} (commit {commit})")
}

/// The abbreviated commit of HEAD when `dir` is the top of a git work tree, not merely a
/// folder inside someone else's repository (as an unpacked sdist may be).
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if !same_dir(Path::new(&top), dir) {
        return None;
    }
    git(dir, &["rev-parse", "--short=12", "HEAD"])
}

/// The files whose change means HEAD moved: HEAD itself (checkout), the current branch's ref
/// (commit) and packed-refs. In a linked worktree `.git` is a file; `--git-path` names the
/// real ones.
fn watched_git_files(dir: &Path) -> Vec<PathBuf> {
    if git_commit(dir).is_none() {
        return Vec::new();
    }
    let git_path = |name: &str| git(dir, &["rev-parse", "--git-path", name]).map(|p| dir.join(p));
    let mut watched: Vec<PathBuf> = ["HEAD", "packed-refs"]
        .into_iter()
        .filter_map(git_path)
        .collect();
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]).and_then(|b| git_path(&b)) {
        // A packed branch has no file of its own until the next commit writes one there.
        if branch.is_file() {
            watched.push(branch);
        } else {
            watched.extend(branch.parent().map(Path::to_path_buf));
        }
    }
    watched
}

/// The trimmed output of a successful `git` command run in `dir`, else `None` (no git, not a
/// repository, a detached or unborn HEAD for `symbolic-ref`).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

// Compiled into the integration tests by tests/it/release.rs (a build script has no tests).
#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh repository with one commit, or `None` where git is missing (CI has it).
    fn repository() -> Option<(tempfile::TempDir, String)> {
        let temp = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(temp.path())
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
        };
        run(&["init", "-q", "-b", "main"])?;
        std::fs::write(temp.path().join("a.txt"), "a").unwrap();
        run(&["add", "a.txt"])?;
        run(&["commit", "-q", "-m", "first"])?;
        let head = run(&["rev-parse", "--short=12", "HEAD"])?;
        let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
        Some((temp, head))
    }

    #[test]
    fn the_commit_comes_from_git_then_brief_commit_then_unknown() {
        let git = Some("1a2b3c4d5e6f".to_string());
        let env = Some(" 0f9e8d7c ".to_string());
        assert_eq!(
            version_line("0.1.0", git.clone(), env.clone()),
            "0.1.0 (commit 1a2b3c4d5e6f)"
        );
        assert_eq!(version_line("0.1.0", None, env), "0.1.0 (commit 0f9e8d7c)");
        let full = "0123456789abcdef0123456789abcdef01234567".to_string();
        assert_eq!(
            version_line("0.1.0", None, Some(full)),
            "0.1.0 (commit 0123456789ab)"
        );
        assert_eq!(
            version_line("0.1.0", None, Some("  ".into())),
            "0.1.0 (commit unknown)"
        );
        assert_eq!(version_line("0.1.0", None, None), "0.1.0 (commit unknown)");
    }

    #[test]
    fn a_repository_gives_its_head_and_the_files_that_move_with_it() {
        let Some((repo, head)) = repository() else {
            assert!(std::env::var_os("CI").is_none(), "CI must have git");
            return;
        };
        assert_eq!(git_commit(repo.path()), Some(head));
        let watched = watched_git_files(repo.path());
        let git_dir = repo.path().join(".git");
        assert!(watched.contains(&git_dir.join("HEAD")), "{watched:?}");
        assert!(
            watched.contains(&git_dir.join("refs/heads/main")),
            "{watched:?}"
        );
    }

    #[test]
    fn a_folder_inside_another_repository_has_no_commit() {
        let Some((repo, _)) = repository() else {
            assert!(std::env::var_os("CI").is_none(), "CI must have git");
            return;
        };
        let unpacked = repo.path().join("brief_ssg-0.1.0");
        std::fs::create_dir(&unpacked).unwrap();
        assert_eq!(git_commit(&unpacked), None);
        assert!(watched_git_files(&unpacked).is_empty());
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(git_commit(outside.path()), None);
    }
}
