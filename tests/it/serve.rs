//! `brief serve` end to end: a real process on a free port (tests/it/server.rs), a copy of a
//! fixture site, edits in every save style editors use, pages read over HTTP and the
//! live-reload event stream.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::{copy_to_temp, fixture};
use crate::server::{Server, TIMEOUT};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn brief_text(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n{body}\n"
    )
}

const FIRST: &str = "content/briefs/first-brief.md";

#[test]
fn serves_pages_with_the_reload_script_mime_types_and_404() {
    let server = Server::start("serve", &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(home.body.contains("First Brief"));
    assert!(home.body.contains("/__brief/live.js"), "script injected");
    let brief = server.get("/briefs/first-brief/");
    assert_eq!(brief.status, 200);
    assert!(brief.body.contains("The first paragraph"));
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(!css.body.contains("__brief"));
    let redirect = server.get("/briefs/first-brief");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/briefs/first-brief/"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404.html"
    );
    assert!(missing.body.contains("/__brief/live.js"));
    let script = server.get("/__brief/live.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .contains("javascript")
    );
    // Links point at the local server, not at base_url.
    assert!(
        home.body
            .contains(&format!("{}briefs/first-brief/", server.url))
            || home.body.contains("\"/briefs/first-brief/\"")
    );
    assert!(
        !home.body.contains("https://example.org/"),
        "base_url replaced"
    );
}

#[test]
fn drafts_are_shown_by_default_and_hidden_with_no_drafts() {
    let server = Server::start("serve", &[]);
    let page = server.get("/briefs/draft-brief/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Draft"));
    drop(server);
    let server = Server::start("serve", &["--no-drafts"]);
    assert_eq!(server.get("/briefs/draft-brief/").status, 404);
    assert!(!server.get("/").body.contains("Draft Brief"));
}

#[test]
fn refuses_paths_and_symlinks_out_of_the_folder() {
    let server = Server::start("serve", &[]);
    for path in [
        "/../config.toml",
        "/briefs/../../config.toml",
        "/%2e%2e/config.toml",
        "/..%2fconfig.toml",
    ] {
        let (status, answer) = raw_get(&server.addr, path);
        assert_eq!(status, 403, "{path}: {answer}");
    }
    let secret = server.path("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, server.output.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(server.site.path(), server.output.join("leakdir")).unwrap();
        for path in ["/leak.txt", "/leakdir/secret.txt", "/leakdir/"] {
            let response = server.get(path);
            assert_eq!(response.status, 403, "{path}: {response:?}");
            assert!(!response.body.contains("top secret"));
        }
    }
}

#[test]
fn every_save_style_lands_and_sends_a_reload() {
    let server = Server::start("serve", &[]);
    let mut events = server.events();
    let file = server.path(FIRST);
    let dir = file.parent().unwrap().to_path_buf();
    let page = "/briefs/first-brief/";

    // Write in place.
    std::fs::write(&file, brief_text("First Brief", "Saved in place.")).unwrap();
    events.next("reload");
    server.wait_for_content(page, "Saved in place.");

    // vim with backupcopy=no: the original becomes the backup, a new file takes its name.
    std::fs::rename(&file, dir.join("first-brief.md~")).unwrap();
    std::fs::write(&file, brief_text("First Brief", "Saved like vim.")).unwrap();
    std::fs::remove_file(dir.join("first-brief.md~")).unwrap();
    events.next("reload");
    server.wait_for_content(page, "Saved like vim.");

    // JetBrains safe write.
    let tmp = dir.join("first-brief.md___jb_tmp___");
    let old = dir.join("first-brief.md___jb_old___");
    std::fs::write(&tmp, brief_text("First Brief", "Saved like JetBrains.")).unwrap();
    std::fs::rename(&file, &old).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    std::fs::remove_file(&old).unwrap();
    events.next("reload");
    server.wait_for_content(page, "Saved like JetBrains.");

    // Helix / VS Code: write a temp file beside it, rename over the original.
    let tmp = dir.join(".first-brief.md.tmp");
    std::fs::write(&tmp, brief_text("First Brief", "Saved atomically.")).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    events.next("reload");
    server.wait_for_content(page, "Saved atomically.");

    // Delete and re-create.
    std::fs::remove_file(&file).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    std::fs::write(&file, brief_text("First Brief", "Deleted and re-created.")).unwrap();
    events.next("reload");
    server.wait_for_content(page, "Deleted and re-created.");

    // A new file.
    write(
        &dir.join("brand-new.md"),
        &brief_text("Brand New", "A new brief."),
    );
    events.next("reload");
    server.wait_for_content("/briefs/brand-new/", "A new brief.");
    server.wait_for_content("/", "Brand New");

    // A renamed file: old address gone, new one served.
    // (The reload that writes the new page: the PDF worker's page refreshes send reloads too.)
    std::fs::rename(dir.join("brand-new.md"), dir.join("renamed.md")).unwrap();
    events.reload_writing("briefs/renamed/index.html");
    server.wait_for_content("/briefs/renamed/", "A new brief.");
    assert_eq!(server.get("/briefs/brand-new/").status, 404);

    // A new folder (a bundle), then the folder renamed.
    let bundle = dir.join("new-bundle");
    std::fs::create_dir(&bundle).unwrap();
    write(
        &bundle.join("index.md"),
        &brief_text("New Bundle", "In a new folder."),
    );
    events.next("reload");
    server.wait_for_content("/briefs/new-bundle/", "In a new folder.");
    std::fs::rename(&bundle, dir.join("moved-bundle")).unwrap();
    events.reload_writing("briefs/moved-bundle/index.html");
    server.wait_for_content("/briefs/moved-bundle/", "In a new folder.");
    assert_eq!(server.get("/briefs/new-bundle/").status, 404);

    // A folder that did not exist when the server started.
    write(&server.path("static/extra.txt"), "static file");
    events.next("reload");
    server.wait_for_content("/extra.txt", "static file");

    let (status, _) = server.stop();
    assert!(status.success());
}

#[test]
fn two_quick_saves_both_land() {
    let server = Server::start("serve", &[]);
    let file = server.path(FIRST);
    std::fs::write(&file, brief_text("First Brief", "Save one.")).unwrap();
    std::thread::sleep(Duration::from_millis(10));
    std::fs::write(&file, brief_text("First Brief", "Save two.")).unwrap();
    server.wait_for_content("/briefs/first-brief/", "Save two.");
    // A save while a rebuild runs: edit repeatedly; the last one must be what is served.
    for i in 0..10 {
        std::fs::write(&file, brief_text("First Brief", &format!("Burst {i}."))).unwrap();
        std::thread::sleep(Duration::from_millis(7 * i));
    }
    server.wait_for_content("/briefs/first-brief/", "Burst 9.");
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.get("/briefs/first-brief/").body.contains("Burst 9."));
}

#[test]
fn a_bad_edit_shows_an_overlay_and_a_fix_clears_it() {
    let mut server = Server::start("serve", &[]);
    let mut events = server.events();
    let file = server.path(FIRST);
    let good = std::fs::read_to_string(&file).unwrap();

    // Bad front matter: the closing +++ is missing.
    std::fs::write(
        &file,
        "+++\ntitle = \"Broken\"\ndate = 2024-01-15\n\nNo end.\n",
    )
    .unwrap();
    let report = events.next("build-error");
    let first = &report["errors"][0];
    assert_eq!(first["file"], FIRST, "{report}");
    assert!(first["message"].as_str().unwrap().len() > 5);
    server.wait_for_line(|l| l.contains("rebuild failed"));
    // The last good page is still served, and a page loaded now learns of the error.
    let page = server.get("/briefs/first-brief/");
    assert!(page.body.contains("The first paragraph"));
    let mut late = server.events();
    assert!(late.hello["error"]["errors"].is_array(), "{}", late.hello);

    // A pull quote that is not in the text, with its line.
    std::fs::write(
        &file,
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\npull_quotes = [\"words that are nowhere\"]\n+++\n\nThe first paragraph.\n",
    )
    .unwrap();
    let report = events.next("build-error");
    let first = &report["errors"][0];
    assert_eq!(first["file"], FIRST, "{report}");
    assert!(first["line"].as_u64().is_some(), "{report}");

    // A template error.
    write(
        &server.path("templates/brief.html"),
        "{% extends \"base.html\" %}{% block content %}{{ brief.title | nosuchfilter }}{% endblock content %}",
    );
    let report = events.next("build-error");
    assert!(
        report["text"]
            .as_str()
            .unwrap()
            .contains("templates/brief.html"),
        "{report}"
    );
    std::fs::remove_file(server.path("templates/brief.html")).unwrap();

    // Fixing the brief clears the overlay (the same output as before: `ok`, else `reload`).
    std::fs::write(&file, &good).unwrap();
    events.cleared();
    late.cleared();
    assert!(server.events().hello["error"].is_null());
}

#[test]
fn a_warning_an_edit_causes_is_printed_once() {
    let mut server = Server::start("serve", &[]);
    let file = server.path(FIRST);
    let orphan = "[^orphan]: A note that nothing refers to.";
    std::fs::write(
        &file,
        brief_text("First Brief", &format!("Text.\n\n{orphan}")),
    )
    .unwrap();
    // stdout (the rebuild lines) and stderr (warnings) are read apart, so their lines come in
    // either order: count both.
    let (rebuilds, warnings) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let count = |l: &str| {
        if l.contains(" rebuild, ") {
            rebuilds.set(rebuilds.get() + 1);
        }
        if l.contains("[^orphan]") {
            assert!(
                l.starts_with(&format!("warning: {FIRST}:")) && l.contains("never referenced"),
                "{l}"
            );
            warnings.set(warnings.get() + 1);
        }
    };
    server.wait_for_line(|l| {
        count(l);
        rebuilds.get() >= 1 && warnings.get() >= 1
    });
    // The next save keeps the warning: it is not printed again.
    std::fs::write(
        &file,
        brief_text("First Brief", &format!("More.\n\n{orphan}")),
    )
    .unwrap();
    server.wait_for_line(|l| {
        count(l);
        rebuilds.get() >= 2
    });
    let (_, lines) = server.stop();
    let printed = lines.iter().filter(|l| l.contains("[^orphan]")).count();
    assert_eq!(printed, 1, "{lines:#?}");
}

#[test]
fn a_site_broken_at_the_start_is_said_to_have_nothing_to_serve_until_fixed() {
    let site = crate::common::copy_to_temp(&crate::common::fixture("serve"));
    let file = site.path().join(FIRST);
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "+++\ntitle = \"Broken\n+++\n").unwrap();
    let server = Server::start_in(site, &[]);
    let events = server.events();
    assert_eq!(events.hello["error"]["served"], false, "{}", events.hello);
    std::fs::write(&file, good).unwrap();
    server.wait_for_content("/briefs/first-brief/", "The first paragraph");
    let (_, lines) = server.stop();
    assert!(
        lines.iter().any(|l| l.contains("startup: rebuild failed")
            && l.ends_with("; nothing to serve until it builds")),
        "{lines:#?}"
    );
}

#[test]
fn a_css_only_change_swaps_the_stylesheet() {
    let mut server = Server::start("serve", &[]);
    // The pages rebuilt for the PDFs typeset after startup are a reload of their own.
    server.wait_for_line(|l| l.contains("PDFs:") && l.contains("none waiting"));
    let mut events = server.events();
    write(
        &server.path("static/style.css"),
        "body { color: rebeccapurple; }\n",
    );
    let reload = events.next("reload");
    assert_eq!(reload["css_only"], true, "{reload}");
    assert_eq!(reload["paths"], serde_json::json!(["style.css"]));
    server.wait_for_content("/style.css", "rebeccapurple");
}

#[test]
fn incremental_rebuilds_match_a_full_build() {
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    // With PDFs: the background worker's batches come between the edits, and never make an
    // edit's rebuild a full one (each line below says "incremental").
    let mut server = Server::start("serve", &["--output", served.to_str().unwrap()]);
    let mut events = server.events();
    // A brief's text, its date (order on the home page) and its authors; then an author.
    std::fs::write(
        server.path("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief, revised\"\ndate = 2024-05-01\nauthors = [\"ann-lee\"]\n+++\n\nNew text.\n",
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    std::fs::write(
        server.path("content/authors/jane-doe.md"),
        "+++\nname = \"Jane Q. Doe\"\n+++\n\nJane writes more briefs.\n",
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("jane-doe.md: incremental rebuild"));
    std::fs::write(
        server.path("content/briefs/draft-brief.md"),
        "+++\ntitle = \"Draft Brief\"\ndate = 2024-03-01\nauthors = [\"ann-lee\"]\n+++\n\nNo longer a draft.\n",
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("draft-brief.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(LISTS_UPDATED));

    matches_full_build(
        &server,
        &served,
        "after editing a brief, an author and a draft",
    );
    let (status, _) = server.stop();
    assert!(status.success());
    assert!(served.join("index.html").is_file(), "--output is kept");
}

/// Every file below `dir` with its bytes, as serve has them now: a file serve renames away
/// while it is read is left out (the next look finds its successor).
fn files_now(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?.display().to_string();
            Some((rel, std::fs::read(e.path()).ok()?))
        })
        .collect()
}

#[test]
fn an_edited_page_is_announced_before_the_search_index() {
    let mut server = Server::start_without_pdfs("serve", &[]);
    let mut events = server.events();
    std::fs::write(
        server.path(FIRST),
        brief_text("First Brief", "Zanzibarian marmalade."),
    )
    .unwrap();
    let paths = |event: &serde_json::Value| -> Vec<String> {
        serde_json::from_value(event["paths"].clone()).unwrap()
    };
    // First the page (the open page can show it at once), then the index of every brief.
    let first = paths(&events.next("reload"));
    assert!(
        first.contains(&"briefs/first-brief/index.html".to_string()),
        "{first:?}"
    );
    assert!(!first.iter().any(|p| p.starts_with("search/")), "{first:?}");
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    let second = paths(&events.next("reload"));
    assert!(
        second.iter().any(|p| p.starts_with("search/")),
        "{second:?}"
    );
    server.wait_for_line(|l| l.contains(LISTS_UPDATED));
}

/// The terminal line once the files an edit leaves for later are written.
pub const LISTS_UPDATED: &str = "feeds, search index and sitemap updated";

#[test]
fn feeds_follow_an_edit_that_moves_a_brief_in_or_out_of_them() {
    let site = copy_to_temp(&fixture("serve"));
    crate::server::without_pdfs(site.path());
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    // One entry per feed: the newest brief of the site, of each topic and of each author.
    std::fs::write(&config, format!("feed_limit = 1\n{text}")).unwrap();
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    let mut server = Server::start_in(site, &["--output", served.to_str().unwrap()]);
    let feed = || std::fs::read_to_string(served.join("feed.xml")).unwrap();
    assert!(feed().contains("Second Brief"));

    // The newest brief becomes the oldest: the first brief takes its place in the feeds.
    let second = server.path("content/briefs/second-brief.md");
    let text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(
        &second,
        text.replace("date = 2024-02-20", "date = 2023-02-20"),
    )
    .unwrap();
    server.wait_for_line(|l| l.contains("second-brief.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(LISTS_UPDATED));
    assert!(feed().contains("First Brief"), "{}", feed());
    matches_full_build(&server, &served, "after moving a brief out of the feeds");

    // An edit to the text of a brief in the feed shows in it (the site's feed has full texts).
    std::fs::write(
        server.path(FIRST),
        brief_text("First Brief", "Fresh words for the feed."),
    )
    .unwrap();
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(LISTS_UPDATED));
    assert!(feed().contains("Fresh words for the feed."));
    matches_full_build(&server, &served, "after editing the brief in the feed");
}

#[test]
fn the_search_index_grows_and_shrinks_in_place() {
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    let mut server = Server::start_without_pdfs("serve", &["--output", served.to_str().unwrap()]);
    // Thousands of new words make the index's word shards split into new files...
    let words: Vec<String> = (0..3000).map(|i| format!("zqx{i:05}")).collect();
    std::fs::write(
        server.path(FIRST),
        brief_text("First Brief", &words.join(" ")),
    )
    .unwrap();
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    let line = server.wait_for_line(|l| l.contains(LISTS_UPDATED) || l.contains("full rebuild"));
    assert!(line.contains(LISTS_UPDATED), "{line}");
    matches_full_build(&server, &served, "after the index grew");
    // ...and taking them out again leaves no shard behind.
    std::fs::write(
        server.path(FIRST),
        brief_text("First Brief", "Short again."),
    )
    .unwrap();
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    let line = server.wait_for_line(|l| l.contains(LISTS_UPDATED) || l.contains("full rebuild"));
    assert!(line.contains(LISTS_UPDATED), "{line}");
    matches_full_build(&server, &served, "after the index shrank");
}

/// One GET written by hand on a raw socket: an HTTP client (ureq included) resolves `..` in
/// a path before sending it, and this test is about what the server does with a path that
/// climbs out of the folder. Returns the status and the whole answer (head and body).
fn raw_get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"));
    (status, answer)
}

/// Asserts that the served output is the same, file for file, as a full build of the site now,
/// once serve's background worker has typeset the PDFs the edits left missing (the served
/// folder is read again until it matches, or the time is up).
pub fn matches_full_build(server: &Server, served: &Path, step: &str) {
    let (_temp, full) =
        crate::common::build_site(server.site.path(), &["--drafts", "--base-url", &server.url]);
    let full_files = crate::common::files(&full);
    let deadline = std::time::Instant::now() + crate::server::TIMEOUT;
    loop {
        let served_files = files_now(served);
        let differing: Vec<&String> = full_files
            .iter()
            .filter(|(path, bytes)| served_files.get(*path) != Some(bytes))
            .map(|(path, _)| path)
            .collect();
        let same = differing.is_empty() && served_files.len() == full_files.len();
        if same || std::time::Instant::now() > deadline {
            assert!(
                differing.is_empty(),
                "{step}: incremental output differs: {differing:?}"
            );
            assert_eq!(served_files.len(), full_files.len(), "{step}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn serves_the_site_under_its_base_url_path() {
    let site = copy_to_temp(&fixture("serve"));
    std::fs::write(
        site.path().join("config.toml"),
        "title = \"Serve Fixture\"\nbase_url = \"https://example.org/research/\"\n",
    )
    .unwrap();
    let server = Server::start_in(site, &[]);
    assert!(server.url.ends_with("/research/"), "{}", server.url);
    let home = server.get("/research/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("/research/briefs/first-brief/"));
    assert_eq!(server.get("/research/briefs/first-brief/").status, 200);
    assert_eq!(server.get("/research/style.css").status, 200);
    let root = server.get("/");
    assert_eq!(root.status, 301);
    assert_eq!(root.header("location"), Some("/research/"));
    assert_eq!(server.get("/research").status, 301);
    assert_eq!(server.get("/briefs/first-brief/").status, 404);
}

#[test]
fn ctrl_c_stops_cleanly_and_keeps_the_served_folder_for_the_next_start() {
    let server = Server::start("serve", &[]);
    let output = server.output.clone();
    assert!(output.join("index.html").is_file());
    let (lines, _site) = server.stop_keeping_site();
    assert!(lines.iter().any(|l| l == "Stopped."), "{lines:?}");
    assert!(output.join("index.html").is_file(), "kept");
    // (The temporary folder of a second server is removed: see serve_kept.)
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = copy_to_temp(&fixture("serve"));
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("--root")
        .arg(site.path())
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn build_output_has_no_reload_script() {
    let site = copy_to_temp(&fixture("serve"));
    let out = site.path().join("public");
    let built = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("--root")
        .arg(site.path())
        .args(["build", "--drafts"])
        .output()
        .unwrap();
    assert!(built.status.success());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("__brief"));
}
