//! The output folder is never a place where brief loses a file: a folder it did not make is
//! refused, files it did not write survive every rebuild, mount points, symlinked folders and
//! folders with a read-only parent get the build, a stopped build or check leaves nothing
//! behind, and `serve --output` refuses what `build` refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{brief, copy_to_temp, files, fixture};

const MANIFEST: &str = ".brief-manifest";

/// The minimal fixture in a temporary folder, and an output path beside it (not created).
fn site_and_output() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let site = copy_to_temp(&fixture("minimal"));
    let outside = tempfile::tempdir().unwrap();
    let out = outside.path().join("out");
    (site, outside, out)
}

fn build_into(site: &Path, out: &Path) -> assert_cmd::assert::Assert {
    brief(site).args(["build", "--output"]).arg(out).assert()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn is_root() -> bool {
    (unsafe { libc::geteuid() }) == 0
}

/// Every path below `dir` (folders too), relative to it.
fn entries(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

#[test]
fn a_gh_pages_checkout_keeps_git_cname_nojekyll_and_foreign_files() {
    let (site, _outside, out) = site_and_output();
    write(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    write(&out.join(".git/objects/ab/cdef"), "object");
    write(&out.join("CNAME"), "research.example.org\n");
    write(&out.join(".nojekyll"), "");
    write(&out.join("thesis.pdf"), "%PDF mine");

    // A foreign file and no manifest: brief did not make this folder, so it refuses it.
    let before = files(&out);
    let refused = build_into(site.path(), &out).code(1);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("refusing to write the site into") && stderr.contains("thesis.pdf"),
        "{stderr}"
    );
    assert!(
        stderr.contains(MANIFEST) && stderr.contains("help:"),
        "{stderr}"
    );
    assert_eq!(files(&out), before, "nothing touched");

    // Only host files: it counts as empty, and they are kept.
    std::fs::rename(out.join("thesis.pdf"), site.path().join("thesis.pdf")).unwrap();
    build_into(site.path(), &out).success();
    assert!(out.join("index.html").is_file());
    assert!(out.join(MANIFEST).is_file());
    // A file added after the first build survives the next.
    std::fs::rename(site.path().join("thesis.pdf"), out.join("thesis.pdf")).unwrap();
    build_into(site.path(), &out).success();
    let after = files(&out);
    for path in [
        ".git/HEAD",
        ".git/objects/ab/cdef",
        "CNAME",
        ".nojekyll",
        "thesis.pdf",
    ] {
        assert_eq!(after.get(path), before.get(path), "{path} kept as it was");
    }
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(manifest.lines().any(|l| l == "index.html"), "{manifest}");
    assert!(
        !manifest.contains("thesis.pdf") && !manifest.contains("CNAME"),
        "{manifest}"
    );
}

#[test]
fn a_folder_with_only_someone_elses_index_html_is_refused_and_untouched() {
    let (site, _outside, out) = site_and_output();
    write(&out.join("index.html"), "<p>my own page</p>");
    let refused = build_into(site.path(), &out).code(1);
    let stderr = stderr_of(&refused);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert!(stderr.contains("delete it and build again"), "{stderr}");
    assert_eq!(entries(&out), ["index.html"]);
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "<p>my own page</p>"
    );
}

#[test]
fn a_rebuild_prunes_a_deleted_briefs_files_but_keeps_a_file_added_by_hand() {
    let (site, _outside, out) = site_and_output();
    write(
        &site.path().join("content/briefs/second-brief.md"),
        "+++\ntitle = \"Second Brief\"\ndate = 2024-02-01\nauthors = [\"jane-doe\"]\n+++\n\nText.\n",
    );
    build_into(site.path(), &out).success();
    assert!(out.join("briefs/second-brief/index.html").is_file());
    write(&out.join("downloads/annual-report.pdf"), "%PDF mine");
    write(&out.join("briefs/second-brief/notes.txt"), "mine too");

    std::fs::remove_file(site.path().join("content/briefs/second-brief.md")).unwrap();
    build_into(site.path(), &out).success();
    assert!(
        !out.join("briefs/second-brief/index.html").exists(),
        "pruned"
    );
    assert!(out.join("briefs/first-brief/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("downloads/annual-report.pdf")).unwrap(),
        "%PDF mine"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("briefs/second-brief/notes.txt")).unwrap(),
        "mine too",
        "a folder holding a foreign file is kept with it"
    );
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(!manifest.contains("second-brief"), "{manifest}");
}

#[test]
fn a_symlinked_output_folder_gets_the_build_through_the_link() {
    let (site, outside, _) = site_and_output();
    let webroot = outside.path().join("webroot");
    std::fs::create_dir(&webroot).unwrap();
    let link = outside.path().join("public");
    std::os::unix::fs::symlink(&webroot, &link).unwrap();
    build_into(site.path(), &link).success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(webroot.join("index.html").is_file());
    assert!(webroot.join("briefs/first-brief/index.html").is_file());
    // And again, now that the folder holds a build.
    build_into(site.path(), &link).success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        entries(outside.path())
            .iter()
            .filter(|e| !e.starts_with("webroot"))
            .count(),
        1
    );
}

/// A tmpfs mounted for one test; unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Mounts a tmpfs at `dir`, or says why it cannot.
    fn tmpfs(dir: &Path, options: &str) -> Result<Mount, String> {
        if !is_root() {
            return Err("mounting a tmpfs needs root".into());
        }
        std::fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "brief-test"])
            .arg(dir)
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("could not run mount: {e}"))?;
        match status.status.success() {
            true => Ok(Mount(dir.to_path_buf())),
            false => Err(format!(
                "mount failed: {}",
                String::from_utf8_lossy(&status.stderr).trim()
            )),
        }
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_mount_point_can_be_the_output_folder() {
    let (site, outside, _) = site_and_output();
    let mnt = outside.path().join("volume");
    let mount = match Mount::tmpfs(&mnt, "size=64m") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    build_into(site.path(), &mnt).success();
    assert!(mnt.join("index.html").is_file());
    build_into(site.path(), &mnt).success();
    assert!(mnt.join("briefs/first-brief/index.html").is_file());
    drop(mount);
}

#[test]
fn an_output_folder_whose_parent_is_read_only_gets_the_build() {
    use std::os::unix::fs::PermissionsExt;
    let (site, outside, _) = site_and_output();
    let parent = outside.path().join("www");
    let out = parent.join("site");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = parent.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
        println!("skipped: this user (root) can write into a read-only folder anyway");
        return;
    }
    let result = build_into(site.path(), &out);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    result.success();
    assert!(out.join("index.html").is_file());
    assert_eq!(
        entries(&parent)
            .iter()
            .filter(|e| !e.starts_with("site"))
            .count(),
        0
    );
}

#[test]
fn a_read_only_output_folder_is_a_clear_error_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let (site, outside, out) = site_and_output();
    // As root, permissions do not stop a write; a read-only file system does.
    let mount = match is_root() {
        true => match Mount::tmpfs(&out, "size=64m") {
            Ok(mount) => Some(mount),
            Err(why) => {
                println!("skipped: running as root and {why}");
                return;
            }
        },
        false => None,
    };
    build_into(site.path(), &out).success();
    let before = files(&out);
    write(
        &site.path().join("content/briefs/first-brief.md"),
        "+++\ntitle = \"Changed\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nNew.\n",
    );
    match &mount {
        Some(mount) => mount.remount("ro"),
        None => std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap(),
    }
    let result = build_into(site.path(), &out);
    if mount.is_none() {
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stderr = stderr_of(&result.code(1));
    assert!(
        stderr.contains("cannot write into the output folder")
            && stderr.contains(&out.display().to_string()),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
    assert_eq!(files(&out), before, "the old build is kept as it was");
    let _ = outside;
}

/// The minimal site with `count` more briefs, enough for a build that lasts a while.
fn large_site(count: usize) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    let dir = site.path().join("content/briefs");
    for i in 0..count {
        std::fs::write(
            dir.join(format!("brief-{i:05}.md")),
            format!(
                "+++\ntitle = \"Brief number {i}\"\ndate = 2024-01-{:02}\nauthors = [\"jane-doe\"]\ntopics = [\"Topic {}\"]\n+++\n\nParagraph {i} of a generated brief, with a few words in it.\n",
                i % 28 + 1,
                i % 50
            ),
        )
        .unwrap();
    }
    site
}

/// Runs `brief` with `args`, waits until `watched` holds at least `files` files, then sends
/// SIGTERM; returns the exit status.
fn stop_once_written(
    site: &Path,
    args: &[&str],
    env: &[(&str, &Path)],
    watched: &Path,
    files: usize,
) -> std::process::ExitStatus {
    let mut command = Command::new(env!("CARGO_BIN_EXE_brief"));
    command
        .current_dir(site)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("brief finished ({status}) before it could be stopped; make the site larger");
        }
        let written = walkdir::WalkDir::new(watched)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .take(files)
            .count();
        if written >= files {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no files written"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    child.wait().unwrap()
}

#[test]
fn sigterm_during_a_build_leaves_no_temporary_folder_and_the_next_build_succeeds() {
    let site = large_site(1500);
    let outside = tempfile::tempdir().unwrap();
    let out = outside.path().join("out");
    let args = ["build", "--output", out.to_str().unwrap()];
    let status = stop_once_written(site.path(), &args, &[], outside.path(), 200);
    assert!(!status.success(), "stopped: {status}");
    assert_eq!(
        entries(outside.path()),
        Vec::<String>::new(),
        "nothing left beside or in the output folder"
    );
    brief(site.path()).args(args).assert().success();
    assert!(out.join("briefs/brief-01499/index.html").is_file());
    let staging = entries(&out)
        .into_iter()
        .filter(|e| e.contains("brief-staging") || e.contains("brief-tmp"))
        .count();
    assert_eq!(staging, 0);
}

#[test]
fn sigterm_during_a_check_leaves_nothing_in_the_temporary_folder() {
    let site = large_site(1500);
    let tmp = tempfile::tempdir().unwrap();
    let status = stop_once_written(
        site.path(),
        &["check"],
        &[("TMPDIR", tmp.path())],
        tmp.path(),
        200,
    );
    assert!(!status.success(), "stopped: {status}");
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
}

#[test]
fn serve_exits_with_an_error_when_it_refuses_the_output_folder() {
    let site = copy_to_temp(&fixture("minimal"));
    for refused in ["/", "."] {
        let assert = brief(site.path())
            .args(["serve", "--port", "0", "--output", refused])
            .timeout(Duration::from_secs(60))
            .assert()
            .code(1);
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains("refusing to write the site into"),
            "{refused}: {stderr}"
        );
    }
    let stderr = stderr_of(
        &brief(site.path())
            .args(["build", "--output", "."])
            .assert()
            .code(1),
    );
    assert!(
        stderr.contains("refusing to write the site into .: it is the site's own folder"),
        "{stderr}"
    );
}

#[test]
fn a_static_file_that_would_replace_a_generated_one_is_an_error_naming_both() {
    let site = copy_to_temp(&fixture("minimal"));
    let out = site.path().join("public");
    write(
        &site.path().join("static/briefs/first-brief/index.html"),
        "<p>stale copy</p>",
    );
    write(&site.path().join("static/feed.xml"), "<rss/>");
    write(
        &site.path().join("static/robots.txt"),
        "User-agent: *\nDisallow: /\n",
    );
    let stderr = stderr_of(&brief(site.path()).arg("build").assert().code(1));
    assert!(
        stderr.contains("static/briefs/first-brief/index.html")
            && stderr.contains("published at briefs/first-brief/index.html")
            && stderr.contains("content/briefs/first-brief.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("static/feed.xml") && stderr.contains("published at feed.xml"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("robots.txt:"),
        "static/robots.txt may replace robots.txt: {stderr}"
    );
    assert!(!out.exists(), "nothing written");
    brief(site.path()).arg("check").assert().code(1);

    // Without the two, the site's robots.txt replaces the generated one.
    std::fs::remove_file(site.path().join("static/feed.xml")).unwrap();
    std::fs::remove_dir_all(site.path().join("static/briefs")).unwrap();
    brief(site.path()).arg("build").assert().success();
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /\n"
    );
}

/// Starts `brief serve` on the minimal fixture with `TMPDIR` set, and returns the process and
/// the temporary output folder it printed.
fn serve_with_tmpdir(site: &Path, tmpdir: &Path) -> (std::process::Child, PathBuf) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("--root")
        .arg(site)
        .args(["serve", "--port", "0"])
        .env("TMPDIR", tmpdir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = stdout
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Output in "))
        .expect("serve prints its output folder");
    let dir = line.trim_start_matches("Output in ");
    let dir = &dir[..dir.find(" (temporary)").expect("a temporary output")];
    (child, PathBuf::from(dir))
}

#[test]
fn serve_removes_the_temporary_folder_of_a_killed_serve() {
    let site = copy_to_temp(&fixture("minimal"));
    // No folder can be kept in the site's .brief-cache/ (a file is in its way), so serve
    // builds into a temporary folder.
    std::fs::write(site.path().join(".brief-cache"), "").unwrap();
    let tmpdir = tempfile::tempdir().unwrap();
    let (mut first, first_output) = serve_with_tmpdir(site.path(), tmpdir.path());
    let left = first_output.parent().unwrap().to_path_buf();
    first.kill().unwrap(); // SIGKILL: no chance to clean up
    first.wait().unwrap();
    assert!(left.is_dir(), "a killed serve leaves its folder");

    let (mut second, second_output) = serve_with_tmpdir(site.path(), tmpdir.path());
    assert!(!left.exists(), "the next serve removed {}", left.display());
    assert!(second_output.join("index.html").is_file());
    let pid = second.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while second.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        std::fs::read_dir(tmpdir.path()).unwrap().next().is_none(),
        "a stopped serve leaves nothing in the temporary folder: {:?}",
        walkdir::WalkDir::new(tmpdir.path())
            .into_iter()
            .flatten()
            .map(|e| e.into_path())
            .collect::<Vec<_>>()
    );
}
