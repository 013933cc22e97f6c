use super::*;

fn write(dir: &Path, site_path: &str, text: &str) {
    let path = dir.join(site_path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(dir: &Path, site_path: &str) -> String {
    std::fs::read_to_string(dir.join(site_path)).unwrap()
}

/// Builds `files` into `out` and returns the site paths the commit changed.
fn build(root: &Path, out: &Path, files: &[(&str, &str)]) -> Result<Vec<String>, String> {
    let staging = Staging::new(root, out, &Cleanup::new()).map_err(|e| e.to_string())?;
    for (path, text) in files {
        staging.write(path, text.as_bytes()).unwrap();
    }
    staging.commit().map_err(|e| e.to_string())
}

#[test]
fn refuses_source_folders_and_the_root() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    for bad in [
        site.path().to_path_buf(),
        site.path().join("content"),
        site.path().join("content/x"),
    ] {
        let err = Staging::new(site.path(), &bad, &Cleanup::new()).unwrap_err();
        assert!(err.message.contains("refusing"), "{err}");
    }
    let err = check_output_folder(site.path(), site.path()).unwrap_err();
    assert!(
        err.message.contains(&format!(
            "into {}: it is the site's own folder",
            site.path().display()
        )),
        "{err}"
    );
}

#[test]
fn refuses_a_folder_brief_did_not_build() {
    let site = tempfile::tempdir().unwrap();
    let docs = site.path().join("docs");
    write(&docs, "index.html", "mine");
    let err = Staging::new(site.path(), &docs, &Cleanup::new()).unwrap_err();
    assert!(err.message.contains("index.html"), "{err}");
    assert_eq!(read(&docs, "index.html"), "mine");
    assert_eq!(std::fs::read_dir(&docs).unwrap().count(), 1);
}

#[test]
fn host_files_count_as_empty_and_are_kept() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    write(&out, ".git/HEAD", "ref");
    write(&out, "CNAME", "example.org");
    write(&out, ".nojekyll", "");
    build(
        site.path(),
        &out,
        &[("index.html", "one"), ("a/index.html", "a")],
    )
    .unwrap();
    assert_eq!(read(&out, ".git/HEAD"), "ref");
    assert_eq!(read(&out, "CNAME"), "example.org");
    assert!(out.join(".nojekyll").is_file());
    let manifest = Manifest::read(&out).unwrap().unwrap();
    assert_eq!(manifest.0.len(), 2, "{manifest:?}");
}

#[test]
fn rebuild_replaces_and_prunes_only_its_own_files() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    let first = [
        ("index.html", "1"),
        ("gone/index.html", "x"),
        ("same.txt", "s"),
    ];
    build(site.path(), &out, &first).unwrap();
    write(&out, "gone/notes.pdf", "mine");
    write(&out, "extra.txt", "mine");
    let changed = build(site.path(), &out, &[("index.html", "2"), ("same.txt", "s")]).unwrap();
    assert_eq!(changed, ["gone/index.html", "index.html"]);
    assert_eq!(read(&out, "index.html"), "2");
    assert_eq!(read(&out, "gone/notes.pdf"), "mine");
    assert_eq!(read(&out, "extra.txt"), "mine");
    assert!(!out.join("gone/index.html").exists());
}

#[test]
fn a_foreign_file_in_the_way_stops_the_commit_before_anything_moves() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    build(site.path(), &out, &[("index.html", "1")]).unwrap();
    write(&out, "about/index.html", "mine");
    let err = build(
        site.path(),
        &out,
        &[("index.html", "2"), ("about/index.html", "page")],
    )
    .unwrap_err();
    assert!(err.contains("about/index.html is in the way"), "{err}");
    assert_eq!(read(&out, "index.html"), "1");
    assert_eq!(read(&out, "about/index.html"), "mine");
    assert_eq!(staging_folders(&out), 0);
}

#[test]
fn failed_build_leaves_nothing_behind() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    {
        let staging = Staging::new(site.path(), &out, &Cleanup::new()).unwrap();
        staging.write("index.html", b"new").unwrap();
    }
    assert!(!out.exists(), "a folder made for a failed build is removed");
    build(site.path(), &out, &[("index.html", "old")]).unwrap();
    {
        let staging = Staging::new(site.path(), &out, &Cleanup::new()).unwrap();
        staging.write("index.html", b"new").unwrap();
    }
    assert_eq!(read(&out, "index.html"), "old");
    assert_eq!(staging_folders(&out), 0);
}

#[test]
fn a_page_may_become_a_folder_and_back() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    build(site.path(), &out, &[("a", "file")]).unwrap();
    build(site.path(), &out, &[("a/index.html", "page")]).unwrap();
    assert_eq!(read(&out, "a/index.html"), "page");
    build(site.path(), &out, &[("a", "file again")]).unwrap();
    assert_eq!(read(&out, "a"), "file again");
}

#[test]
fn cleanup_removes_the_staging_folder_on_a_signal() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    let cleanup = Cleanup::new();
    let staging = Staging::new(site.path(), &out, &cleanup).unwrap();
    staging.write("index.html", b"x").unwrap();
    assert_eq!(staging_folders(&out), 1);
    drop(cleanup.remove_all());
    assert!(!out.exists(), "staging and the new output folder removed");
    std::mem::forget(staging);
}

#[test]
fn temporary_folders_of_older_versions_are_removed_once_their_process_is_gone() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("public");
    // Above Linux's largest process id, so never a running process.
    let dead = site.path().join(".public.brief-tmp-999999999");
    let dead_old = site.path().join(".public.brief-tmp-999999999.old");
    let live = site
        .path()
        .join(format!(".public.brief-tmp-{}", std::process::id()));
    for dir in [&dead, &dead_old, &live] {
        write(dir, "index.html", "old");
    }
    build(site.path(), &out, &[("index.html", "new")]).unwrap();
    if Path::new("/proc/self").exists() {
        assert!(!dead.exists() && !dead_old.exists());
    }
    assert!(live.exists(), "its process is running");
}

fn staging_folders(out: &Path) -> usize {
    std::fs::read_dir(out)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
                .count()
        })
        .unwrap_or(0)
}
