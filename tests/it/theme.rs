//! The default theme as a reader meets it, checked on the built files (the browser checks are in
//! tests/browser_tests): what the brief page weighs, the footer, the favicon, the fonts it
//! ships, and the preview banner.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Site, built, example_site, fixture, read_output};

const PANDA: &str = "briefs/what-putin-and-kim-want-from-each-other/index.html";

/// The size of `bytes` compressed with `gzip -9`, as a server would send them.
fn gzipped(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout.len()
}

#[test]
fn the_example_brief_weighs_under_60_kb_compressed_without_images_and_fonts() {
    let out = built(Site::Example, false);
    let html = read_output(out, PANDA);
    // Everything the page loads that is not an image or a font: the page (with its inline
    // scripts) and its stylesheet; it loads no script file.
    assert!(
        !html.contains("<script src"),
        "the brief loads no script file"
    );
    let css = std::fs::read(out.join("style.css")).unwrap();
    let total = gzipped(html.as_bytes()) + gzipped(&css);
    eprintln!("example brief, HTML + CSS + JS, gzip -9: {total} bytes");
    assert!(total < 60_000, "{total} bytes compressed");
}

#[test]
fn the_theme_ships_its_fonts_with_their_license_under_150_kb() {
    let out = built(Site::Example, false);
    let fonts = out.join("fonts");
    let mut total = 0;
    for face in [
        "source-serif-4-regular",
        "source-serif-4-italic",
        "source-serif-4-bold",
        "source-sans-3-regular",
        "source-sans-3-semibold",
    ] {
        let file = fonts.join(format!("{face}.woff2"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(&bytes[..4], b"wOF2", "{face} is WOFF2");
        total += bytes.len();
    }
    assert!(total < 150_000, "fonts weigh {total} bytes");
    let license = read_output(out, "fonts/OFL.txt");
    assert!(license.contains("SIL OPEN FONT LICENSE Version 1.1"));
    let css = read_output(out, "style.css");
    assert_eq!(css.matches("font-display: swap").count(), 10, "{css}");
    // Each face's Greek and Cyrillic: a file of its own, fetched for those letters only.
    let ranged: Vec<&str> = css
        .split("@font-face")
        .filter(|rule| rule.contains("unicode-range: U+0370-03FF, U+0400-045F"))
        .filter_map(|rule| rule.split("url(\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(ranged.len(), 5, "{css}");
    for path in ranged {
        assert!(path.ends_with("-greek-cyrillic.woff2"), "{path}");
        let bytes = std::fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(&bytes[..4], b"wOF2", "{path} is WOFF2");
    }
    let html = read_output(out, PANDA);
    assert!(
        html.contains(r#"<link rel="preload" href="/fonts/source-serif-4-regular.woff2" as="font" type="font/woff2" crossorigin>"#),
        "the body face is preloaded"
    );
}

#[test]
fn every_page_links_a_favicon_that_exists_and_the_footer_reads_tagline_and_copyright() {
    let out = built(Site::Example, false);
    assert!(
        out.join("favicon.ico").is_file(),
        "/favicon.ico is not a 404"
    );
    assert!(read_output(out, "favicon.svg").starts_with("<svg"));
    for page in ["index.html", PANDA, "topics/index.html", "404.html"] {
        let html = read_output(out, page);
        assert!(
            html.contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
            "{page}"
        );
        assert!(
            html.contains(
                r#"<p class="footer-tagline">Policy analysis in ten minutes or less</p>"#
            ),
            "{page}"
        );
        assert!(
            html.contains(r#"<p class="footer-copyright">© 2023 Brief Example Institute</p>"#),
            "{page}"
        );
    }
    // A tagline is escaped like any other text from the site's files.
    let features = built(Site::Fixture("features"), false);
    let home = read_output(features, "index.html");
    assert!(home.contains("Testing &lt;everything&gt;"), "{home}");
    assert!(
        !home.contains("footer-copyright"),
        "no copyright set, none shown"
    );
}

#[test]
fn the_preview_banner_shows_only_when_a_draft_is_shown() {
    // The example has no drafts: a preview build of it says nothing about drafts.
    let out = built(Site::Example, true);
    assert!(!read_output(out, "index.html").contains("preview-banner"));
    // The features fixture has one: its preview build says so on every page.
    let features = built(Site::Fixture("features"), true);
    assert!(read_output(features, "index.html").contains(r#"<p class="preview-banner">"#));
    let published = built(Site::Fixture("features"), false);
    assert!(!read_output(published, "index.html").contains("preview-banner"));
}

#[test]
fn listing_headers_and_the_home_page_read_as_designed() {
    let out = built(Site::Example, false);
    // The count is its own item of the meta line (a bare text node was clipped to "briefs").
    let briefs = read_output(out, "briefs/index.html");
    assert!(
        briefs
            .contains(r#"<p class="meta list-meta"><span class="list-count">2 briefs</span></p>"#),
        "{briefs}"
    );
    let authors = read_output(out, "authors/index.html");
    assert!(
        authors.contains(r#"<p class="author-count"><span class="term-count">1 brief</span></p>"#),
        "{authors}"
    );
    // The site's name is the header's, not repeated as a display heading on the home page.
    let home = read_output(out, "index.html");
    assert!(home.contains(r#"<h1 class="visually-hidden">Brief Example Institute</h1>"#));
    assert!(home.contains(r#"class="lead-story""#), "{home}");
}

/// A site using a copy of the default theme, named `custom`, whose theme.toml is `manifest`.
fn site_with_theme(manifest: &str) -> tempfile::TempDir {
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    let from = example_site().join("themes/default");
    let dir = site.path().join("themes/custom");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    std::fs::write(dir.join("theme.toml"), manifest).unwrap();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = if text.contains("theme =") {
        text.replace("theme = \"default\"", "theme = \"custom\"")
    } else {
        format!("theme = \"custom\"\n{text}")
    };
    std::fs::write(&config, text).unwrap();
    site
}

/// `brief build` of `site`, which must fail with exit 1; its stderr.
fn build_fails(site: &std::path::Path) -> String {
    let output = crate::common::brief(site).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

#[test]
fn a_malformed_theme_toml_is_an_error_at_its_line() {
    let site = site_with_theme("name = \"custom\"\nreserved_ids = \"masthead\"\n");
    let stderr = build_fails(site.path());
    assert!(stderr.contains("themes/custom/theme.toml:2"), "{stderr}");
}

#[test]
fn a_heading_cannot_take_an_id_the_theme_toml_reserves() {
    let site = site_with_theme("name = \"custom\"\nreserved_ids = [\"masthead\"]\n");
    let briefs = site.path().join("content/briefs");
    let brief = std::fs::read_dir(&briefs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let mut text = std::fs::read_to_string(&brief).unwrap();
    text.push_str("\n## Top {#masthead}\n\nText.\n");
    std::fs::write(&brief, text).unwrap();
    let stderr = build_fails(site.path());
    assert!(stderr.contains("`{#masthead}` is not unique"), "{stderr}");
}

#[test]
fn a_theme_missing_the_pages_every_site_has_is_told_which() {
    // A theme started from scratch: its own base.html, nothing else yet.
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    let templates = site.path().join("themes/mine/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("base.html"),
        "<html><body>{% block content %}{% endblock content %}</body></html>\n",
    )
    .unwrap();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"mine\"\n{text}")).unwrap();
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains("error: themes/mine/templates: theme `mine` has no index.html, list.html, authors.html, 404.html, search.html"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: add them to themes/mine/templates/ (brief's own are in its repository's themes/default/templates/"),
        "{stderr}"
    );
    // Not blamed on the built-in theme's search page, which does not fit this base.html.
    assert!(!stderr.contains("built-in"), "{stderr}");
}

#[test]
fn a_theme_without_an_i18n_folder_speaks_the_default_themes_languages() {
    let site = site_with_theme("name = \"custom\"\n");
    let root = site.path();
    std::fs::remove_dir_all(root.join("themes/custom/i18n")).unwrap();
    let path = root.join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("title =", "lang = \"es\"\ntitle =", 1)).unwrap();
    let output = crate::common::brief(root).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("no strings for language"), "{stderr}");
    let html = std::fs::read_to_string(root.join("public/briefs/first-brief/index.html")).unwrap();
    assert!(html.contains("15 de enero de 2024"), "{html}");
}

#[test]
fn asset_path_of_a_file_that_is_not_there_is_an_error_at_its_line() {
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    let root = site.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/brief.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<script src=\"{{ asset_path(path=\"nope.js\") }}\"></script>\n{% endblock content %}\n",
    )
    .unwrap();
    let stderr = build_fails(root);
    assert!(
        stderr.contains("error: templates/brief.html:3:17: asset_path: there is no static file `nope.js` (in the theme's static/ or the site's static/ folder); check its name (while rendering content/briefs/first-brief.md)\n"),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn a_key_a_themes_english_lacks_is_in_english_with_a_warning() {
    // A theme written before brief added a string: its en.toml lacks it.
    let site = site_with_theme("name = \"custom\"\n");
    let root = site.path();
    let en = root.join("themes/custom/i18n/en.toml");
    let text = std::fs::read_to_string(&en).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("cite_this_brief ="))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text);
    std::fs::write(&en, without).unwrap();
    let output = crate::common::brief(root).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning: themes/custom/i18n/en.toml: missing cite_this_brief; English is used for it"
        ),
        "{stderr}"
    );
    let html = std::fs::read_to_string(root.join("public/briefs/first-brief/index.html")).unwrap();
    assert!(html.contains(">Cite this brief</h2>"), "{html}");
}
