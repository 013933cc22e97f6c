//! `minify = true` and `hash_assets`: smaller pages, stylesheets and scripts published under
//! names that carry a hash of their bytes, every page linking to those names, and builds that
//! stay byte-for-byte reproducible.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{brief, copy_to_temp, fixture};

/// The features fixture (base_url under `/repo/`) with `extra` added to its config.toml, built.
fn build(extra: &str) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("features"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    // Top-level keys go before the first table.
    let (head, tables) = text.split_at(text.find("\n[").map_or(text.len(), |i| i + 1));
    std::fs::write(&config, format!("{head}{extra}\n{tables}")).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    site
}

/// Every file of the output: site path -> bytes.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = site.join("public");
    walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

/// The one output file named `<stem>.<8 hex digits>.<ext>`.
fn hashed(files: &BTreeMap<String, Vec<u8>>, stem: &str, ext: &str) -> String {
    let found: Vec<&String> = files
        .keys()
        .filter(|p| {
            p.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "one hashed {stem}.{ext}: {found:?}");
    found[0].clone()
}

#[test]
fn minified_pages_are_smaller_and_keep_their_content() {
    let plain = files(build("").path());
    let minified = files(build("minify = true").path());
    let html_bytes = |files: &BTreeMap<String, Vec<u8>>| -> usize {
        let pages = files.iter().filter(|(p, _)| p.ends_with(".html"));
        pages.map(|(_, b)| b.len()).sum()
    };
    // The minifier only drops what cannot change the rendering (indentation, comments, runs of
    // spaces), so the gain is modest on pages that are mostly text.
    let (before, after) = (html_bytes(&plain), html_bytes(&minified));
    assert!(
        after * 100 < before * 96,
        "all pages: {before} -> {after} bytes"
    );
    for page in [
        "index.html",
        "briefs/bundle-brief/index.html",
        "search/index.html",
    ] {
        let (before, after) = (text(&plain, page), text(&minified, page));
        assert!(
            after.len() < before.len(),
            "{page}: {} -> {} bytes",
            before.len(),
            after.len()
        );
        assert!(after.starts_with("<!DOCTYPE html>"), "{page}");
        for needle in ["</head>", "</body>", "</html>", "<main id=\"main\""] {
            assert!(after.contains(needle), "{page} lacks {needle}");
        }
    }
    let brief = text(&minified, "briefs/bundle-brief/index.html");
    assert!(
        brief.contains("A Bundle Brief &lt;with&gt;"),
        "escaping kept"
    );
    assert!(!brief.contains("\n    "), "indentation removed");
    let plain_css = &plain["style.css"];
    let css = &minified[&hashed(&minified, "style", "css")];
    assert!(
        css.len() < plain_css.len() * 9 / 10,
        "CSS minified: {} -> {}",
        plain_css.len(),
        css.len()
    );
}

#[test]
fn every_page_links_to_the_hashed_stylesheet_and_none_to_the_plain_name() {
    let files = files(build("minify = true").path());
    let style = hashed(&files, "style", "css");
    let script = hashed(&files, "search", "js");
    assert!(!files.contains_key("style.css") && !files.contains_key("search.js"));
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 10);
    for page in pages {
        let html = text(&files, page);
        assert!(
            html.contains(&format!("href=\"/repo/{style}\"")),
            "{page} does not link /repo/{style}"
        );
        assert!(!html.contains("style.css"), "{page} still names style.css");
        assert!(!html.contains("search.js"), "{page} still names search.js");
    }
    let search = text(&files, "search/index.html");
    assert!(
        search.contains(&format!("src=\"/repo/{script}\"")),
        "{search}"
    );
}

#[test]
fn hash_assets_alone_renames_without_minifying_and_can_be_turned_off() {
    let plain = files(build("").path());
    let hashed_only = files(build("hash_assets = true").path());
    let style = hashed(&hashed_only, "style", "css");
    assert_eq!(
        hashed_only[&style], plain["style.css"],
        "same bytes, new name"
    );
    assert_eq!(
        text(&hashed_only, "index.html").len(),
        text(&plain, "index.html").len() + style.len() - "style.css".len(),
        "pages not minified: only the link changed"
    );

    let minified_only = files(build("minify = true\nhash_assets = false").path());
    assert!(minified_only["style.css"].len() < plain["style.css"].len());
    assert!(text(&minified_only, "index.html").contains("href=\"/repo/style.css\""));
}

#[test]
fn a_sites_own_stylesheet_is_the_one_hashed() {
    let site = copy_to_temp(&fixture("features"));
    std::fs::write(
        site.path().join("static/style.css"),
        "body { color: red; }\n",
    )
    .unwrap();
    let config = site.path().join("config.toml");
    let text_before = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("minify = true\n{text_before}")).unwrap();
    brief(site.path()).arg("build").assert().success();
    let files = files(site.path());
    let style = hashed(&files, "style", "css");
    assert_eq!(text(&files, &style), "body{color:red;}");
}

#[test]
fn two_minified_builds_are_identical() {
    let first = files(build("minify = true").path());
    let second = files(build("minify = true").path());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between builds");
    }
}

#[test]
fn serve_rebuilds_one_brief_with_the_same_minified_pages_and_hashed_links_as_a_full_build() {
    let site = copy_to_temp(&fixture("serve"));
    crate::server::without_pdfs(site.path());
    let config = site.path().join("config.toml");
    let text_before = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("minify = true\n{text_before}")).unwrap();
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    let mut server = crate::server::Server::start_in(site, &["--output", served.to_str().unwrap()]);
    let mut events = server.events();
    std::fs::write(
        server.path("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief, revised\"\ndate = 2024-05-01\nauthors = [\"ann-lee\"]\n+++\n\nNew   text.\n",
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(crate::serve::LISTS_UPDATED));

    crate::serve::matches_full_build(&server, &served, "after editing a brief");
    let page = std::fs::read_to_string(served.join("briefs/first-brief/index.html")).unwrap();
    assert!(
        page.contains("New text.") && !page.contains("style.css"),
        "{page}"
    );
}
