//! `brief serve` keeps the served folder between starts (`.brief-cache/serve/`): a second start
//! on an unchanged site writes nothing, edits made while it was stopped show after a restart,
//! a folder that is no longer as its record says is built again, and a second server of the
//! same site serves from a temporary folder.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::common::{copy_to_temp, fixture};
use crate::serve::matches_full_build;
use crate::server::{Server, without_pdfs};

/// A copy of the serve fixture without PDFs (whose background typesetting would write pages
/// again after the start).
fn site() -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("serve"));
    without_pdfs(site.path());
    site
}

/// Each file of `dir` with its bytes and modification time.
fn files_with_times(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let time = e.metadata().unwrap().modified().unwrap();
            (rel, (std::fs::read(e.path()).unwrap(), time))
        })
        .collect()
}

/// The terminal line of the first build (printed before the server says where it serves).
fn startup_line(server: &Server) -> String {
    let lines = server.lines();
    let line = lines.iter().find(|l| l.contains("startup:"));
    line.unwrap_or_else(|| panic!("{lines:?}")).clone()
}

/// The page at `path` without the live-reload script (whose version counts this server's
/// rebuilds).
fn page(server: &Server, path: &str) -> String {
    let body = server.get(path).body;
    let lines = body.lines().filter(|l| !l.contains("__brief/live.js"));
    lines.collect::<Vec<_>>().join("\n")
}

const BRIEF: &str = "content/briefs/first-brief.md";

fn append(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    let mut body = std::fs::read_to_string(&path).unwrap();
    body.push_str(text);
    std::fs::write(&path, body).unwrap();
}

#[test]
fn a_second_start_writes_nothing_and_serves_the_same_site() {
    let first = Server::start_in(site(), &[]);
    assert!(startup_line(&first).contains("full rebuild"));
    let output = first.output.clone();
    assert!(output.starts_with(first.site.path().join(".brief-cache/serve")));
    let (url, home) = (first.url.clone(), page(&first, "/"));
    let (_, site) = first.stop_keeping_site();
    let before = files_with_times(&output);
    assert!(before.contains_key("index.html"), "the folder is kept");

    let second = Server::start_in(site, &[]);
    let line = startup_line(&second);
    assert!(
        line.contains("warm rebuild, 0 pages rendered, 0 files changed"),
        "{line}"
    );
    assert_eq!(second.output, output);
    assert_eq!(second.url, url, "--port 0 takes the port of the last start");
    assert_eq!(page(&second, "/"), home);
    assert_eq!(second.get("/.brief-manifest").status, 404);
    let (_, _site) = second.stop_keeping_site();
    assert!(files_with_times(&output) == before, "a file was written");
}

#[test]
fn edits_made_while_stopped_or_while_serving_show_after_a_restart() {
    let first = Server::start_in(site(), &[]);
    append(first.site.path(), BRIEF, "\nEdited while serving.\n");
    first.wait_for_content("/briefs/first-brief/", "Edited while serving.");
    let (_, site) = first.stop_keeping_site();
    append(site.path(), BRIEF, "\nEdited while stopped.\n");
    let author = "content/authors/jane-doe.md";
    append(site.path(), author, "\nAn author's edit.\n");

    let second = Server::start_in(site, &[]);
    let line = startup_line(&second);
    assert!(line.contains("warm rebuild"), "{line}");
    let page = second.get("/briefs/first-brief/").body;
    assert!(page.contains("Edited while serving.") && page.contains("Edited while stopped."));
    matches_full_build(&second, &second.output, "after the restart");
}

#[test]
fn a_kept_folder_changed_or_left_half_written_is_built_again() {
    let first = Server::start_in(site(), &[]);
    let output = first.output.clone();
    let site = first.kill_keeping_site();
    // As a rebuild killed mid-write leaves it: one page replaced, another gone.
    std::fs::write(output.join("briefs/first-brief/index.html"), "<p>half").unwrap();
    std::fs::remove_file(output.join("index.html")).unwrap();

    let second = Server::start_in(site, &[]);
    let line = startup_line(&second);
    assert!(line.contains("full rebuild"), "{line}");
    matches_full_build(&second, &output, "a damaged folder");
    let (_, site) = second.stop_keeping_site();

    // A damaged record is not trusted either.
    let records = site.path().join(".brief-cache/build");
    for entry in std::fs::read_dir(&records).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::write(&path, "{\"format\":").unwrap();
        }
    }
    let mut third = Server::start_in(site, &[]);
    let line = startup_line(&third);
    assert!(line.contains("full rebuild"), "{line}");
    // On stderr, which may come before or after the startup line on stdout.
    if !third.lines().iter().any(|l| l.contains("damaged")) {
        third.wait_for_line(|l| l.contains("damaged"));
    }
    matches_full_build(&third, &output, "a damaged record");
}

#[test]
fn two_servers_of_one_site_both_work_and_the_second_removes_its_folder() {
    let first = Server::start_in(site(), &[]);
    let second = Server::start_beside(&first, &[]);
    assert!(
        second
            .lines()
            .iter()
            .any(|l| l.contains("Another `brief serve` of this site is running")),
        "{:?}",
        second.lines()
    );
    assert_ne!(second.output, first.output);
    assert!(!second.output.starts_with(first.site.path()));
    append(first.site.path(), BRIEF, "\nSeen by both.\n");
    first.wait_for_content("/briefs/first-brief/", "Seen by both.");
    second.wait_for_content("/briefs/first-brief/", "Seen by both.");

    let temporary = second.output.clone();
    let (status, lines) = second.stop();
    assert!(status.success(), "{lines:?}");
    assert!(!temporary.exists(), "the temporary folder is removed");
    let kept = first.output.clone();
    let (_, _site) = first.stop_keeping_site();
    assert!(kept.join("index.html").is_file(), "the kept folder stays");
}

/// Each entry of the build cache's load cache (one per brief and setting) with its
/// modification time.
fn entry_times(site: &Path) -> BTreeMap<String, SystemTime> {
    let dir = site.join(".brief-cache/build/briefs");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let time = e.metadata().unwrap().modified().unwrap();
            (e.file_name().to_string_lossy().into_owned(), time)
        })
        .collect()
}

#[test]
fn alternating_build_and_serve_loads_only_the_edited_brief() {
    let site = site();
    let root = site.path().to_path_buf();
    let build = || {
        let out = crate::common::brief(&root).arg("build").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build();
    // The server shows drafts and names its own address: other settings than the build's.
    let (_, site) = Server::start_in(site, &[]).stop_keeping_site();
    let before = entry_times(&root);
    assert!(before.len() >= 3, "{before:?}");
    append(&root, BRIEF, "\nOne more sentence.\n");
    build();
    let after = entry_times(&root);
    // The build's entry of the edited brief is replaced; every other entry, the build's and
    // the server's, is as it was, not loaded again.
    let kept = before
        .iter()
        .filter(|(name, time)| after.get(*name) == Some(time));
    assert_eq!(kept.count(), before.len() - 1, "{before:?}\n{after:?}");
    assert_eq!(after.len(), before.len(), "{before:?}\n{after:?}");
    // And the server, started again, finds its own entries.
    let again = Server::start_in(site, &[]);
    let line = startup_line(&again);
    assert!(line.contains("warm rebuild"), "{line}");
    let (_, _site) = again.stop_keeping_site();
    let last = entry_times(&root);
    let kept = after
        .iter()
        .filter(|(name, time)| last.get(*name) == Some(time));
    assert_eq!(kept.count(), after.len() - 1, "{after:?}\n{last:?}");
}
