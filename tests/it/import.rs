//! `brief import`: the files an import writes (compared whole with the expected files beside
//! each fixture; `BLESS=1` rewrites them), that the imported site builds and checks clean,
//! re-runs, dry runs and errors on bad input.

use std::path::Path;

use crate::common::{brief, copy_to_temp, files, fixture};

/// A fresh site with only a config.toml.
fn empty_site() -> tempfile::TempDir {
    copy_to_temp(&fixture("import/site"))
}

/// Compares every file the import wrote under `content/` with `expected/` beside the
/// fixture, failing on missing and extra files.
fn assert_matches_expected(site: &Path, expected: &Path) {
    let actual = files(&site.join("content"));
    // Old addresses are `aliases` in the front matter now, not a list to set up by hand.
    assert!(!site.join("import-redirects.txt").exists());
    // Copied images are compared by presence only.
    let actual: std::collections::BTreeMap<String, Vec<u8>> = actual
        .into_iter()
        .map(|(k, v)| match k.ends_with(".md") || k.ends_with(".txt") {
            true => (k, v),
            false => (k, b"(copied)".to_vec()),
        })
        .collect();
    if std::env::var_os("BLESS").is_some() {
        let _ = std::fs::remove_dir_all(expected);
        for (path, bytes) in &actual {
            let to = expected.join(path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
        return;
    }
    let wanted = files(expected);
    let names =
        |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&actual), names(&wanted), "files written");
    for (path, bytes) in &wanted {
        assert_eq!(
            String::from_utf8_lossy(&actual[path]),
            String::from_utf8_lossy(bytes),
            "{path} differs from the expected file (BLESS=1 to update)"
        );
    }
}

/// `brief build` and `brief check` succeed on the site with zero errors.
fn assert_builds_and_checks_clean(site: &Path) {
    let temp = tempfile::tempdir().unwrap();
    brief(site)
        .args(["build", "--output"])
        .arg(temp.path().join("out"))
        .assert()
        .success();
    let output = brief(site).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "check failed:\n{stdout}");
    assert!(stdout.contains("0 errors"), "{stdout}");
}

fn import_wordpress(site: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let wp = fixture("import/wordpress");
    brief(site)
        .args(["import", "wordpress"])
        .arg(wp.join("export.xml"))
        .arg("--uploads")
        .arg(wp.join("uploads"))
        .args(extra)
        .assert()
}

#[test]
fn wordpress_export_becomes_briefs_pages_and_authors() {
    let site = empty_site();
    let out = import_wordpress(site.path(), &[]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for line in [
        "| briefs | 5 |",
        "| pages | 1 |",
        "| authors | 3 |",
        "| images and files copied | 2 |",
        "| images left remote | 2 |",
        "1 comments (brief has no comments)",
        "1 trackbacks and pingbacks",
        "1 menu items",
        "export.xml:230: the post has no date",
        "content/briefs/putin-kim/index.md: shortcode [su_note] left as text",
        "content/briefs/putin-kim/index.md: 1 footnote written as in-page links made [^n] notes: check their text",
        "content/briefs/privet-mir.md: kept a custom HTML block as raw HTML",
        "content/briefs/privet-mir.md: <https://cdn.example.net/chart.png>",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    let report = std::fs::read_to_string(site.path().join("import-report.md")).unwrap();
    assert!(
        stdout.starts_with(&report),
        "the report file is the printed summary"
    );
    assert_matches_expected(site.path(), &fixture("import/wordpress/expected"));
    assert_builds_and_checks_clean(site.path());
}

#[test]
fn wordpress_categories_can_become_regions_or_a_program() {
    let site = empty_site();
    import_wordpress(site.path(), &["--categories-as", "regions"]).success();
    let brief =
        std::fs::read_to_string(site.path().join("content/briefs/putin-kim/index.md")).unwrap();
    assert!(
        brief
            .contains("topics = [\"Sanctions\"]\nregions = [\"Nuclear Weapons\", \"East Asia\"]\n"),
        "{brief}"
    );

    let site = empty_site();
    import_wordpress(site.path(), &["--categories-as", "programs"]).success();
    let brief =
        std::fs::read_to_string(site.path().join("content/briefs/putin-kim/index.md")).unwrap();
    assert!(
        brief.contains("topics = [\"East Asia\", \"Sanctions\"]\nprogram = \"Nuclear Weapons\"\n"),
        "{brief}"
    );
    assert_builds_and_checks_clean(site.path());
}

/// The number in the report's row `label`.
fn report_count(report: &str, label: &str) -> usize {
    let row = format!("| {label} | ");
    let at = report
        .find(&row)
        .unwrap_or_else(|| panic!("no {row} in:\n{report}"))
        + row.len();
    report[at..].split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn import_keeps_existing_files_unless_forced() {
    let site = empty_site();
    let author = site.path().join("content/authors/jane-doe.md");
    std::fs::create_dir_all(author.parent().unwrap()).unwrap();
    std::fs::write(&author, "+++\nname = \"Dr. Jane Doe\"\n+++\n").unwrap();
    let first = import_wordpress(site.path(), &[]).success();
    let first = String::from_utf8_lossy(&first.get_output().stdout).into_owned();
    assert_eq!(
        std::fs::read_to_string(&author).unwrap(),
        "+++\nname = \"Dr. Jane Doe\"\n+++\n"
    );
    assert_eq!(report_count(&first, "images and files copied"), 2);
    assert_eq!(
        report_count(&first, "files already there and different, kept"),
        1
    );
    let created = report_count(&first, "files created");
    let first_report = std::fs::read_to_string(site.path().join("import-report.md")).unwrap();
    // A second run changes nothing and says so: nothing copied, everything there already.
    let before = files(&site.path().join("content"));
    let again = import_wordpress(site.path(), &[]).success();
    let stdout = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    for (label, count) in [
        ("images and files copied", 0),
        ("files created", 0),
        ("files replaced", 0),
        // The guest author's file, there now, is reused rather than planned again.
        ("files already there, unchanged", created - 1),
        ("files already there and different, kept", 1),
    ] {
        assert_eq!(report_count(&stdout, label), count, "{label}: {stdout}");
    }
    assert_eq!(files(&site.path().join("content")), before);
    // The first run's report is kept beside the new one.
    assert!(
        stdout.contains("\nThe report of the import before is import-report-1.md.\n"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("import-report-1.md")).unwrap(),
        first_report
    );
    let forced = import_wordpress(site.path(), &["--force"]).success();
    let forced = String::from_utf8_lossy(&forced.get_output().stdout).into_owned();
    assert_eq!(report_count(&forced, "files replaced"), 1, "{forced}");
    assert!(
        std::fs::read_to_string(&author)
            .unwrap()
            .contains("name = \"Jane Doe\"")
    );
    let second_report = std::fs::read_to_string(site.path().join("import-report-2.md")).unwrap();
    assert!(
        second_report.contains("| files created | 0 |"),
        "{second_report}"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let site = empty_site();
    let out = import_wordpress(site.path(), &["--dry-run"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("would write content/briefs/putin-kim/index.md"),
        "{stdout}"
    );
    assert!(!site.path().join("content").exists());
    assert!(!site.path().join("import-report.md").exists());
}

#[test]
fn malformed_export_is_an_error_naming_file_and_line() {
    let site = empty_site();
    let export = site.path().join("bad.xml");
    std::fs::write(
        &export,
        "<rss>\n<channel>\n<item>\n<title>Unclosed</item>\n</channel>\n</rss>\n",
    )
    .unwrap();
    let out = brief(site.path())
        .args(["import", "wordpress", "bad.xml"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.starts_with("error: bad.xml:4:"), "{stderr}");
    assert!(stderr.contains("not well-formed XML"), "{stderr}");
    assert!(!site.path().join("content").exists());
}

fn import_static(generator: &str) -> (tempfile::TempDir, String) {
    let site = empty_site();
    let out = brief(site.path())
        .args(["import", generator])
        .arg(fixture(&format!("import/{generator}")))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    (site, stdout)
}

#[test]
fn hugo_site_becomes_briefs_pages_and_authors() {
    let (site, stdout) = import_static("hugo");
    for line in [
        "| briefs | 3 |",
        "| pages | 1 |",
        "| authors | 3 |",
        "content/briefs/first-post.md: shortcode tweet left as text",
        "content/briefs/first-post.md: YouTube video abc123 converted to a link",
        "content/posts/first-post.md: `series_order = 2`",
        // Hugo's order in its lists has no place in brief: reported, not dropped.
        "content/posts/third.md: `weight = 3`",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert_matches_expected(site.path(), &fixture("import/hugo-expected"));
    assert!(site.path().join("static/images/map.png").is_file());
    assert_builds_and_checks_clean(site.path());
}

#[test]
fn jekyll_site_becomes_briefs_pages_and_authors() {
    let (site, stdout) = import_static("jekyll");
    for line in [
        "| briefs | 3 |",
        "| pages | 1 |",
        "| authors | 2 |",
        "_posts/2023-09-15-putin-kim.md: `image_credit = \"AFP\"`",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert_matches_expected(site.path(), &fixture("import/jekyll-expected"));
    assert!(site.path().join("static/assets/chart.png").is_file());
    assert_builds_and_checks_clean(site.path());
}

#[test]
fn malformed_front_matter_skips_that_file_only() {
    let source = copy_to_temp(&fixture("import/jekyll"));
    std::fs::write(
        source.path().join("_posts/2023-11-01-broken.md"),
        "---\ntitle: Broken\ntags: [a\n---\nText\n",
    )
    .unwrap();
    let site = empty_site();
    let out = brief(site.path())
        .args(["import", "jekyll"])
        .arg(source.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("- _posts/2023-11-01-broken.md:4:1: the YAML front matter is not valid"),
        "{stdout}"
    );
    assert!(stdout.contains("| briefs | 3 |"), "{stdout}");
    assert_builds_and_checks_clean(site.path());
}

#[test]
fn zola_site_links_and_taxonomies_carry_over() {
    let (site, stdout) = import_static("zola");
    assert!(stdout.contains("| briefs | 2 |"), "{stdout}");
    assert!(
        !stdout.contains("`extra"),
        "extra.author is read as the author: {stdout}"
    );
    let brief = std::fs::read_to_string(site.path().join("content/briefs/alliances.md")).unwrap();
    assert!(brief.contains("authors = [\"jane-doe\"]\n"), "{brief}");
    assert!(
        brief.contains("topics = [\"Security\", \"Alliances\"]\n"),
        "{brief}"
    );
    assert!(
        brief.contains("[the follow-up](/briefs/follow-up/#details)"),
        "{brief}"
    );
    assert!(
        brief.contains("aliases = [\"/blog/alliances/\"]\n"),
        "{brief}"
    );
    assert_builds_and_checks_clean(site.path());
    // The build redirects from the old address.
    let (_temp, out) = crate::common::build_site(site.path(), &[]);
    let redirects = crate::common::read_output(&out, "_redirects");
    assert!(
        redirects.contains("/blog/alliances/ /briefs/alliances/ 301\n"),
        "{redirects}"
    );
    let page = crate::common::read_output(&out, "blog/alliances/index.html");
    assert!(
        page.contains("content=\"0; url=https://example.org/briefs/alliances/\""),
        "{page}"
    );
}

/// The Markdown paragraphs of a brief's body, without headings and note definitions, with
/// emphasis and note references taken out (the example brief adds them; the source text
/// has neither).
fn body_paragraphs(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.splitn(3, "+++\n").nth(2).unwrap().to_string();
    let mut paragraphs = Vec::new();
    for block in body.split("\n\n").map(str::trim) {
        if block.is_empty() || block.starts_with('#') || block.starts_with("[^") {
            continue;
        }
        let mut plain = block.replace(['*', '_'], "");
        while let Some(start) = plain.find("[^") {
            let end = plain[start..]
                .find(']')
                .map_or(plain.len(), |i| start + i + 1);
            plain.replace_range(start..end, "");
        }
        paragraphs.push(plain);
    }
    paragraphs
}

#[test]
fn article_text_reproduces_the_example_brief() {
    let site = empty_site();
    brief(site.path())
        .args(["import", "html"])
        .arg(fixture("import/html/article.txt"))
        .assert()
        .success();
    let imported = site
        .path()
        .join("content/briefs/what-putin-and-kim-want-from-each-other.md");
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content/briefs/what-putin-and-kim-want-from-each-other.md");
    let paragraphs = body_paragraphs(&imported);
    assert_eq!(paragraphs.len(), 22);
    assert_eq!(paragraphs, body_paragraphs(&example));
    let text = std::fs::read_to_string(&imported).unwrap();
    assert!(text.contains("authors = [\"ankit-panda\"]\n"), "{text}");
    assert!(text.contains("\n[hero]\ncaption = \"Russian President Vladimir Putin shakes hands with North Korean leader Kim Jong Un during their meeting at the Vostochny Cosmodrome in Russia's Amur region on Sept. 13.\"\ncredit = \"Mikhail Metzel/Pool/AFP via Getty Images\"\n"), "{text}");
    assert_eq!(
        text.matches("Vostochny Cosmodrome in Russia's Amur region")
            .count(),
        1
    );
    assert!(!text.contains("Deja una respuesta"), "{text}");
    assert!(!text.contains("is the Stanton senior fellow"), "{text}");
    let author =
        std::fs::read_to_string(site.path().join("content/authors/ankit-panda.md")).unwrap();
    assert!(author.contains("name = \"Ankit Panda\""), "{author}");
    assert!(
        author.contains("\nAnkit Panda is the Stanton senior fellow"),
        "{author}"
    );
    assert_builds_and_checks_clean(site.path());
}

#[test]
fn saved_page_loses_its_chrome_and_comment_form() {
    let site = empty_site();
    brief(site.path())
        .args(["import", "html"])
        .arg(fixture("import/html/page.html"))
        .assert()
        .success();
    let text = std::fs::read_to_string(
        site.path()
            .join("content/briefs/sanciones-y-sus-limites.md"),
    )
    .unwrap();
    let body = text.splitn(3, "+++\n").nth(2).unwrap();
    assert_eq!(
        body,
        "\nLas sanciones funcionan mejor con aliados.\n\n## El contexto\n\nRusia y Corea del Norte comercian más que nunca.\n"
    );
    assert!(text.contains("authors = [\"lucia-gomez\"]"), "{text}");
    let author =
        std::fs::read_to_string(site.path().join("content/authors/lucia-gomez.md")).unwrap();
    assert!(author.contains("Lucía Gómez is an analyst"), "{author}");
    assert_builds_and_checks_clean(site.path());
}

/// Imports one saved page into an empty site and compares the brief and author files it
/// wrote with `tests/fixtures/import/html/expected/<name>/`.
fn import_saved_page(name: &str) -> tempfile::TempDir {
    let site = empty_site();
    brief(site.path())
        .args(["import", "html"])
        .arg(fixture(&format!("import/html/{name}.html")))
        .assert()
        .success();
    assert_matches_expected(
        site.path(),
        &fixture(&format!("import/html/expected/{name}")),
    );
    assert_builds_and_checks_clean(site.path());
    site
}

#[test]
fn think_tank_page_gives_only_the_article_with_its_metadata() {
    // Menus, cookie banner, share buttons, a sign-up box inside the article, a related-articles
    // rail and the comments are left out; the meta tags give the date, authors and summary,
    // the lead figure the hero, and the bio box the first author's bio.
    let site = import_saved_page("think-tank");
    let report = std::fs::read_to_string(site.path().join("import-report.md")).unwrap();
    assert!(
        report.contains("- content/briefs/why-grain-corridors-fail-without-insurance.md: left out 220 of the page's 538 words around the article (menus, banners, share and sign-up boxes, related links, comments), 4 block(s) of them inside it; check that none of the article is missing\n"),
        "{report}"
    );
}

#[test]
fn an_export_cut_short_is_an_error_and_writes_nothing() {
    let site = empty_site();
    let whole = std::fs::read_to_string(fixture("import/wordpress/export.xml")).unwrap();
    // Cut after the first item: a download that stopped.
    let end = whole.find("</item>").unwrap() + "</item>".len();
    let cut = site.path().join("cut.xml");
    std::fs::write(&cut, &whole[..end]).unwrap();
    let before = files(site.path());
    let out = brief(site.path())
        .args(["import", "wordpress"])
        .arg(&cut)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let line = whole[..end].lines().count();
    assert!(
        stderr.contains(&format!("error: {}:{line}:", cut.display()))
            && stderr
                .contains(": the export is cut short: it ends inside <channel>, before </rss>\n"),
        "{stderr}"
    );
    assert_eq!(files(site.path()), before, "nothing written");
}

#[test]
fn page_with_endnotes_gets_markdown_notes() {
    // pandoc's shape: `<sup id="fnref1"><a href="#fn1">` and a list of notes linking back; a
    // note referred to twice keeps one number.
    let site = import_saved_page("endnotes");
    let report = std::fs::read_to_string(site.path().join("import-report.md")).unwrap();
    assert!(
        report.contains("- content/briefs/sanctions-and-shells.md: 2 footnotes written as in-page links made [^n] notes: check their text\n"),
        "{report}"
    );
}

#[test]
fn news_page_loses_its_ads_and_rails() {
    import_saved_page("news");
}

#[test]
fn page_without_an_article_element_is_read_by_its_text() {
    // An old table-and-div layout: no <article>, no metadata but a <time> and a "by" dateline.
    import_saved_page("no-article-element");
}

#[test]
fn page_without_an_article_is_an_error_and_writes_nothing() {
    let site = empty_site();
    let out = brief(site.path())
        .args(["import", "html"])
        .arg(fixture("import/html/no-article.html"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("error: nothing imported:\n  ")
            && stderr.contains("no-article.html: no article found: no title, or no text besides the page's menus, links and boilerplate\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: give the page of the article itself"),
        "{stderr}"
    );
    assert!(!site.path().join("content").exists());
    assert!(!site.path().join("import-report.md").exists());
}

#[test]
fn a_page_without_an_article_does_not_stop_the_others() {
    let site = empty_site();
    brief(site.path())
        .args(["import", "html"])
        .arg(fixture("import/html/no-article.html"))
        .arg(fixture("import/html/news.html"))
        .assert()
        .success();
    let report = std::fs::read_to_string(site.path().join("import-report.md")).unwrap();
    assert!(report.contains("| briefs | 1 |\n"), "{report}");
    assert!(
        report.contains("no-article.html: no article found: "),
        "{report}"
    );
    assert!(
        site.path()
            .join("content/briefs/baltic-states-agree-to-pool-air-defence-purchases.md")
            .is_file()
    );
}

#[test]
fn import_needs_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = brief(dir.path())
        .args(["import", "jekyll"])
        .arg(fixture("import/jekyll"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("has no config.toml"), "{stderr}");
    assert!(!dir.path().join("content").exists());
}

/// A WordPress export of the old site https://old.example.org with one author and `items`.
fn small_export(site: &Path, items: &[String]) -> std::path::PathBuf {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old Site</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example.org</wp:base_site_url><wp:base_blog_url>https://old.example.org</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[mchen]]></wp:author_login><wp:author_display_name><![CDATA[Maria Chen]]></wp:author_display_name></wp:author>
{}
</channel></rss>
"#,
        items.join("\n")
    );
    let path = site.join("export.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

/// One `<item>`: a post or page with its id, slug, status and HTML.
fn wp_item(kind: &str, id: u32, slug: &str, status: &str, title: &str, html: &str) -> String {
    let link = match status {
        "publish" => format!("https://old.example.org/{slug}/"),
        _ => format!("https://old.example.org/?p={id}"),
    };
    format!(
        r#"<item><title>{title}</title><link>{link}</link><dc:creator><![CDATA[mchen]]></dc:creator>
<content:encoded><![CDATA[{html}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2019-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2019-05-01 09:00:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
</item>"#
    )
}

fn import_small(site: &Path, items: &[String]) -> String {
    let export = small_export(site, items);
    let out = brief(site)
        .args(["import", "wordpress"])
        .arg(&export)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// WordPress's default links and shortlinks (`/?p=10`, `?page_id=20`) lead to the new
/// addresses like pretty ones; one to a post not imported is listed, and the report says that
/// addresses by id are not redirected.
#[test]
fn links_by_post_id_point_to_the_new_addresses() {
    let site = empty_site();
    let html = concat!(
        r#"<p>As we wrote <a href="https://old.example.org/?p=10">in May</a>, "#,
        r#"<a href="/?p=10#findings">its findings</a>, <a href="http://old.example.org/index.php?page_id=20">about us</a>, "#,
        r#"<a href="https://old.example.org/first-brief/">pretty</a>, "#,
        r#"<a href="/?p=12">a draft</a>, <a href="https://old.example.org/?p=99">gone</a>, "#,
        r#"<a href="https://elsewhere.org/?p=10">another site</a>.</p>"#
    );
    let stdout = import_small(
        site.path(),
        &[
            wp_item(
                "post",
                10,
                "first-brief",
                "publish",
                "First brief",
                "<h2>Findings</h2><p>Hello.</p>",
            ),
            wp_item("post", 11, "second-brief", "publish", "Second brief", html),
            wp_item("post", 12, "later", "draft", "Later", "<p>Soon.</p>"),
            wp_item("page", 20, "about-us", "publish", "About us", "<p>Us.</p>"),
        ],
    );
    let brief =
        std::fs::read_to_string(site.path().join("content/briefs/second-brief.md")).unwrap();
    assert!(
        brief.ends_with(concat!(
            "As we wrote [in May](/briefs/first-brief/), [its findings](/briefs/first-brief/#findings), ",
            "[about us](/about-us/), [pretty](/briefs/first-brief/), ",
            "[a draft](https://old.example.org/?p=12), [gone](https://old.example.org/?p=99), ",
            "[another site](https://elsewhere.org/?p=10).\n"
        )),
        "{brief}"
    );
    for line in [
        "- content/briefs/second-brief.md: link /?p=12 is not an imported page (post 12 is a draft); now https://old.example.org/?p=12\n",
        "- content/briefs/second-brief.md: link https://old.example.org/?p=99 is not an imported page (the export has no post or page 99)\n",
        "- redirects from addresses by id (`/?p=123`, `/?page_id=45`: WordPress's plain permalinks and shortlinks): a redirect page or a `_redirects` line matches a path, not a query, so only the old paths are redirected (see Old addresses); links to them in the imported text lead to the new addresses\n",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("?p=10"), "{stdout}");
    assert_builds_and_checks_clean(site.path());
}

/// A page titled as one of brief's own menu entries ("Search") would show twice in the menu:
/// it is kept under a distinct title, at the address reserved slugs get, and the report says so.
#[test]
fn a_page_titled_as_a_menu_entry_gets_a_distinct_title() {
    let site = empty_site();
    let stdout = import_small(
        site.path(),
        &[
            wp_item(
                "post",
                10,
                "first-brief",
                "publish",
                "First brief",
                "<p>Hello.</p>",
            ),
            wp_item(
                "page",
                20,
                "search",
                "publish",
                "Search",
                "<p>Use the box.</p>",
            ),
            wp_item(
                "page",
                21,
                "our-topics",
                "publish",
                "topics",
                "<p>All of them.</p>",
            ),
            wp_item(
                "page",
                22,
                "search-tips",
                "publish",
                "Search tips",
                "<p>Quotes.</p>",
            ),
        ],
    );
    let read =
        |name: &str| std::fs::read_to_string(site.path().join("content/pages").join(name)).unwrap();
    assert!(read("search-page.md").starts_with("+++\ntitle = \"Search (old site)\"\n"));
    assert!(read("our-topics.md").starts_with("+++\ntitle = \"topics (old site)\"\n"));
    assert!(read("search-tips.md").starts_with("+++\ntitle = \"Search tips\"\n"));
    for line in [
        "- content/pages/search-page.md: the page's title \"Search\" is also the name of the menu's entry for the search page, so the menu would show it twice: titled \"Search (old site)\"; give it a title of its own\n",
        "- content/pages/our-topics.md: the page's title \"topics\" is also the name of the menu's entry for the list of topics, so the menu would show it twice: titled \"topics (old site)\"; give it a title of its own\n",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("\"Search tips\""), "{stdout}");
    assert_builds_and_checks_clean(site.path());
}

/// A site of more than four plain pages lists none of them in its header, where brief's own
/// entries are: a page titled "Search" then keeps its title.
#[test]
fn with_more_pages_than_the_header_lists_a_page_keeps_a_menu_entrys_title() {
    let site = empty_site();
    let mut items = vec![wp_item(
        "post",
        10,
        "first-brief",
        "publish",
        "First brief",
        "<p>Hello.</p>",
    )];
    for (id, slug, title) in [
        (20, "search", "Search"),
        (21, "contact", "Contact"),
        (22, "donate", "Donate"),
        (23, "press", "Press"),
        (24, "careers", "Careers"),
    ] {
        items.push(wp_item("page", id, slug, "publish", title, "<p>Text.</p>"));
    }
    let stdout = import_small(site.path(), &items);
    let page = std::fs::read_to_string(site.path().join("content/pages/search-page.md")).unwrap();
    assert!(page.starts_with("+++\ntitle = \"Search\"\n"), "{page}");
    assert!(!stdout.contains("(old site)"), "{stdout}");
    assert_builds_and_checks_clean(site.path());
}

/// The same rule for a Hugo site's page titled "Search".
#[test]
fn a_hugo_page_titled_as_a_menu_entry_gets_a_distinct_title() {
    let site = empty_site();
    let hugo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(hugo.path().join("content")).unwrap();
    std::fs::write(
        hugo.path().join("content/search.md"),
        "---\ntitle: Search\n---\nUse the box.\n",
    )
    .unwrap();
    let out = brief(site.path())
        .args(["import", "hugo"])
        .arg(hugo.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout);
    let page = std::fs::read_to_string(site.path().join("content/pages/search-page.md")).unwrap();
    assert!(
        page.starts_with("+++\ntitle = \"Search (old site)\"\n"),
        "{page}"
    );
    assert!(
        stdout.contains("- content/pages/search-page.md: the page's title \"Search\" is also the name of the menu's entry for the search page, so the menu would show it twice: titled \"Search (old site)\"; give it a title of its own\n"),
        "{stdout}"
    );
}

/// An export of WordPress installed at https://old.example.org/blog, with two authors, the
/// nested categories Asia > Korea, Nuclear (11 posts: two pages of WordPress's archive), the
/// tags Sanctions (on a post) and Unused (on none).
fn archive_export(site: &Path) -> std::path::PathBuf {
    let post = |n: u32, login: &str, terms: &str| {
        format!(
            r#"<item><title>Post {n}</title><link>https://old.example.org/blog/2019/05/post-{n}/</link><dc:creator><![CDATA[{login}]]></dc:creator>
<content:encoded><![CDATA[<p>Text {n}.</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2019-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2019-05-01 09:00:00</wp:post_date_gmt>
<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
{terms}</item>"#
        )
    };
    let mut items: Vec<String> = (1..=11)
        .map(|n| {
            post(
                n,
                "jdoe",
                r#"<category domain="category" nicename="nuclear"><![CDATA[Nuclear]]></category>"#,
            )
        })
        .collect();
    items.push(post(
        12,
        "mchen",
        r#"<category domain="category" nicename="korea"><![CDATA[Korea]]></category><category domain="post_tag" nicename="sanctions"><![CDATA[Sanctions]]></category>"#,
    ));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old Site</title><link>https://old.example.org/blog</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example.org</wp:base_site_url><wp:base_blog_url>https://old.example.org/blog</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[jdoe]]></wp:author_login><wp:author_display_name><![CDATA[Jane Doe]]></wp:author_display_name></wp:author>
<wp:author><wp:author_login><![CDATA[mchen]]></wp:author_login><wp:author_display_name><![CDATA[Maria Chen]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[asia]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Asia]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[korea]]></wp:category_nicename><wp:category_parent><![CDATA[asia]]></wp:category_parent><wp:cat_name><![CDATA[Korea]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[nuclear]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Nuclear]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>5</wp:term_id><wp:tag_slug><![CDATA[sanctions]]></wp:tag_slug><wp:tag_name><![CDATA[Sanctions]]></wp:tag_name></wp:tag>
<wp:tag><wp:term_id>6</wp:term_id><wp:tag_slug><![CDATA[unused]]></wp:tag_slug><wp:tag_name><![CDATA[Unused]]></wp:tag_name></wp:tag>
{}
</channel></rss>
"#,
        items.join("\n")
    );
    let path = site.join("export.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

/// The old site's category, tag, author and feed addresses (WordPress in /blog) lead to the
/// nearest pages of the new site: by a redirect page on any host, and by a `_redirects` line
/// after the site's own, which a re-import replaces and does not repeat.
#[test]
fn wordpress_archive_addresses_redirect_to_topics_authors_and_feeds() {
    let site = empty_site();
    let own = site.path().join("static/_redirects");
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(&own, "/donate/ https://give.example.org/ 302\n").unwrap();
    let export = archive_export(site.path());
    let import = || {
        let out = brief(site.path())
            .args(["import", "wordpress"])
            .arg(&export)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let stdout = import();
    assert!(
        stdout.contains("Redirected to their nearest pages here: 3 categories, 2 tags, 2 authors, 8 feeds, 2 numbered pages."),
        "{stdout}"
    );
    // A re-import leaves the file as it was.
    let first = std::fs::read_to_string(&own).unwrap();
    import();
    assert_eq!(std::fs::read_to_string(&own).unwrap(), first);

    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    brief(site.path())
        .args(["build", "--output"])
        .arg(&public)
        .assert()
        .success();
    let redirects = std::fs::read_to_string(public.join("_redirects")).unwrap();
    assert_eq!(
        redirects,
        "/donate/ https://give.example.org/ 302
# brief import wordpress: the old site's category, tag, author and feed addresses (a re-import replaces these lines)
/blog/category/asia/ /topics/ 301
/blog/category/asia/feed/ /feed.xml 301
/blog/category/asia/page/* /topics/ 301
/blog/category/asia/korea/ /topics/korea/ 301
/blog/category/asia/korea/feed/ /topics/korea/feed.xml 301
/blog/category/asia/korea/page/* /topics/korea/ 301
/blog/category/nuclear/ /topics/nuclear/ 301
/blog/category/nuclear/feed/ /topics/nuclear/feed.xml 301
/blog/category/nuclear/page/2/ /topics/nuclear/ 301
/blog/category/nuclear/page/* /topics/nuclear/ 301
/blog/tag/sanctions/ /topics/sanctions/ 301
/blog/tag/sanctions/feed/ /topics/sanctions/feed.xml 301
/blog/tag/sanctions/page/* /topics/sanctions/ 301
/blog/tag/unused/ /briefs/ 301
/blog/tag/unused/feed/ /feed.xml 301
/blog/tag/unused/page/* /briefs/ 301
/blog/author/jdoe/ /authors/jane-doe/ 301
/blog/author/jdoe/feed/ /authors/jane-doe/feed.xml 301
/blog/author/jdoe/page/2/ /authors/jane-doe/ 301
/blog/author/jdoe/page/* /authors/jane-doe/ 301
/blog/author/mchen/ /authors/maria-chen/ 301
/blog/author/mchen/feed/ /authors/maria-chen/feed.xml 301
/blog/author/mchen/page/* /authors/maria-chen/ 301
/blog/feed/ /feed.xml 301
# end of brief import wordpress
# The aliases of briefs and pages, written by brief:
"
        .to_string()
            + &[1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9]
                .map(|n| format!("/blog/2019/05/post-{n}/ /briefs/post-{n}/ 301\n"))
                .join("")
    );
    assert_eq!(
        std::fs::read_to_string(public.join("blog/category/asia/korea/index.html")).unwrap(),
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Korea</title>
<link rel="canonical" href="../../../../topics/korea/">
<meta name="robots" content="noindex">
<script>location.replace("../../../../topics/korea/" + location.hash)</script>
<meta http-equiv="refresh" content="0; url=../../../../topics/korea/">
</head>
<body>
<p><a href="../../../../topics/korea/">Korea</a></p>
</body>
</html>
"#
    );
    // Every redirect page leads, relative to its own address, to a page the build wrote.
    let mut pages = 0;
    for line in redirects
        .lines()
        .filter(|l| l.starts_with("/blog/") && !l.contains('*'))
    {
        let mut parts = line.split(' ');
        let (old, new) = (parts.next().unwrap(), parts.next().unwrap());
        let html = std::fs::read_to_string(public.join(&old[1..]).join("index.html")).unwrap();
        if old.starts_with("/blog/2019/") {
            continue; // The aliases' own pages.
        }
        let depth = old.trim_matches('/').split('/').count();
        let relative = format!("{}{}", "../".repeat(depth), &new[1..]);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={relative}\">"
            )),
            "{old}: {html}"
        );
        let target = public.join(&new[1..]);
        let target = match new.ends_with('/') {
            true => target.join("index.html"),
            false => target,
        };
        assert!(
            target.is_file(),
            "{old} leads to {new}, which the build did not write"
        );
        pages += 1;
    }
    assert_eq!(pages, 17);
    assert_builds_and_checks_clean(site.path());
}

/// Links to WordPress's attachment pages (`?attachment_id=30`, absolute or from the root) lead
/// to the attachment's file, copied beside the brief; an id the export lacks is listed.
#[test]
fn attachment_page_links_lead_to_the_file() {
    let site = empty_site();
    let uploads = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(uploads.path().join("2019/05")).unwrap();
    std::fs::write(uploads.path().join("2019/05/report.pdf"), b"%PDF-1.4\n").unwrap();
    let html = concat!(
        r#"<p>Read <a href="https://old.example.org/?attachment_id=30">the report</a>, "#,
        r#"<a href="/?attachment_id=30">again</a>, <a href="/?attachment_id=99">the annex</a>.</p>"#
    );
    let attachment = r#"<item><title>report</title><link>https://old.example.org/?attachment_id=30</link><dc:creator><![CDATA[mchen]]></dc:creator>
<wp:post_id>30</wp:post_id><wp:post_date>2019-05-01 10:00:00</wp:post_date><wp:post_name>report</wp:post_name><wp:status>inherit</wp:status><wp:post_parent>10</wp:post_parent><wp:post_type>attachment</wp:post_type>
<wp:attachment_url><![CDATA[https://old.example.org/wp-content/uploads/2019/05/report.pdf]]></wp:attachment_url></item>"#;
    let export = small_export(
        site.path(),
        &[
            wp_item("post", 10, "with-report", "publish", "With report", html),
            attachment.to_string(),
        ],
    );
    let out = brief(site.path())
        .args(["import", "wordpress"])
        .arg(&export)
        .arg("--uploads")
        .arg(uploads.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let brief =
        std::fs::read_to_string(site.path().join("content/briefs/with-report/index.md")).unwrap();
    assert!(
        brief.ends_with(
            "Read [the report](report.pdf), [again](report.pdf), [the annex](https://old.example.org/?attachment_id=99).\n"
        ),
        "{brief}"
    );
    assert!(
        site.path()
            .join("content/briefs/with-report/report.pdf")
            .is_file()
    );
    assert!(
        stdout.contains("- content/briefs/with-report/index.md: link /?attachment_id=99 is an attachment page, but the export has no attachment 99; now https://old.example.org/?attachment_id=99\n"),
        "{stdout}"
    );
    assert_builds_and_checks_clean(site.path());
}

/// On a French site the menu's entry is "Rechercher", and a page of that title gets the
/// words for "(old site)" in French.
#[test]
fn a_page_titled_as_a_menu_entry_is_told_apart_in_the_sites_language() {
    let site = empty_site();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}language = \"fr\"\n")).unwrap();
    let stdout = import_small(
        site.path(),
        &[wp_item(
            "page",
            20,
            "recherche",
            "publish",
            "Rechercher",
            "<p>La boîte.</p>",
        )],
    );
    let page = std::fs::read_to_string(site.path().join("content/pages/recherche.md")).unwrap();
    assert!(
        page.starts_with("+++\ntitle = \"Rechercher (ancien site)\"\n"),
        "{page}"
    );
    assert!(
        stdout.contains("titled \"Rechercher (ancien site)\""),
        "{stdout}"
    );
    assert_builds_and_checks_clean(site.path());
}
