//! Editorial correctness on whole pages: notes of pages and author bios, ids unique on every
//! page a document appears on, clashing `{#id}`s, raw-HTML links, feeds and topics.

use std::collections::BTreeMap;

use crate::common::{brief, build_site, copy_to_temp, fixture, read_output};

/// The minimal fixture with `files` (path below the site root, text) written over it.
pub fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    for (path, text) in files {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    site
}

/// Every `id="…"` of a page with the number of times it occurs.
pub fn id_counts(html: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (at, _) in html.match_indices(" id=\"") {
        let value = &html[at + 5..];
        let value = &value[..value.find('"').unwrap()];
        *counts.entry(value.to_string()).or_default() += 1;
    }
    counts
}

fn assert_unique_ids(html: &str) {
    let repeated: Vec<_> = id_counts(html)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect();
    assert!(repeated.is_empty(), "repeated ids {repeated:?}");
}

const BIO: &str = "+++\nname = \"Jane Doe\"\n+++\n\n## Intro\n\nJane writes briefs.[^Src] See [above](#intro).\n\n[^src]: Her CV.\n";
const BRIEF: &str = "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n## Intro\n\nThe first paragraph.[^a]\n\n## Related title\n\nMore.\n\n[^a]: The brief's note.\n";

#[test]
fn a_bio_keeps_its_notes_and_ids_apart_on_every_page() {
    let site = site_with(&[
        ("content/authors/jane-doe.md", BIO),
        ("content/briefs/first-brief.md", BRIEF),
    ]);
    let (_temp, out) = build_site(site.path(), &[]);
    let brief_page = read_output(&out, "briefs/first-brief/index.html");
    assert_unique_ids(&brief_page);
    let ids = id_counts(&brief_page);
    for id in [
        "intro",
        "note-1",
        "ref-1",
        "bio-jane-doe--intro",
        "bio-jane-doe--note-1",
        "bio-jane-doe--ref-1",
        "related-title-1",
    ] {
        assert!(ids.contains_key(id), "no id {id} in {ids:?}");
    }
    // The bio's reference and its own anchor lead to the bio's note and heading.
    assert!(brief_page.contains(r##"<a href="#bio-jane-doe--note-1" aria-label="Note 1">1</a>"##));
    assert!(brief_page.contains(r##"href="#bio-jane-doe--intro">above"##));
    assert!(brief_page.contains("Her CV."), "the bio's note is shown");

    let author_page = read_output(&out, "authors/jane-doe/index.html");
    assert_unique_ids(&author_page);
    assert!(author_page.contains(r#"<li id="bio-jane-doe--note-1" value="1">"#));
    assert!(author_page.contains(r#"aria-labelledby="bio-jane-doe--notes-title""#));
}

#[test]
fn a_page_shows_its_notes() {
    let site = site_with(&[(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\n\nWe publish briefs.[^1]\n\n[^1]: Since 2024.\n",
    )]);
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "about/index.html");
    assert!(
        page.contains(r##"<a href="#note-1" aria-label="Note 1">1</a>"##),
        "{page}"
    );
    assert!(page.contains(r#"<li id="note-1" value="1">"#), "{page}");
    assert!(page.contains("Since 2024."));
    assert_unique_ids(&page);
}

#[test]
fn explicit_ids_that_clash_are_errors_at_their_line() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n## One {#same}\n\n## Two {#same}\n\n## Skip {#main}\n\n## Note {#note-1}\n",
    )]);
    let output = brief(site.path()).arg("build").assert().code(1);
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    for (line, id) in [(9, "same"), (11, "main"), (13, "note-1")] {
        let expected = format!("content/briefs/first-brief.md:{line}:1: heading id `{{#{id}}}`");
        assert!(stderr.contains(&expected), "no `{expected}` in {stderr}");
    }
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_heading_without_text_makes_no_empty_contents_entry() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\ntoc = true\n+++\n\n## One\n\n##\n\n## Two\n",
    )]);
    let output = brief(site.path()).arg("build").assert().success();
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    assert!(
        stderr.contains("content/briefs/first-brief.md: a heading has no text"),
        "{stderr}"
    );
    let page = read_output(&site.path().join("public"), "briefs/first-brief/index.html");
    assert!(
        !page.contains("<h2></h2>") && !page.contains("id=\"section\""),
        "{page}"
    );
    assert!(!page.contains(r##"href="#section""##), "{page}");
}

#[test]
fn check_accepts_an_email_autolink() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nWrite to <press@example.org>.\n",
    )]);
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("points nowhere"), "{stdout}");
}

#[test]
fn raw_html_links_move_under_a_sub_path_base_url() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nSee <a href=\"/authors/\">the authors</a>.\n\n<img src=\"/y.png\" alt=\"A chart\">\n",
    )]);
    let (_temp, out) = build_site(site.path(), &["--base-url", "https://example.org/repo/"]);
    let page = read_output(&out, "briefs/first-brief/index.html");
    assert!(
        page.contains(r#"<a href="/repo/authors/">the authors</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"<img src="/repo/y.png""#), "{page}");
}

#[test]
fn a_feed_shows_each_note_once_in_the_briefs_language_and_leaves_code_alone() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"Primer informe\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nlang = \"es\"\n+++\n\nTexto.[^a] Escriba `<a href=\"/docs/\">` y [vea](/x/).\n\n[^a]: Una nota única.\n",
    )]);
    let (_temp, out) = build_site(site.path(), &[]);
    let xml = read_output(&out, "feed.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(content.matches("Una nota única.").count(), 1, "{content}");
    assert!(content.contains("<h2>Notas</h2>"), "{content}");
    assert!(
        content.contains(r#"<code>&lt;a href="/docs/"&gt;</code>"#),
        "{content}"
    );
    assert!(
        content.contains(r#"<a href="https://example.org/x/">vea</a>"#),
        "{content}"
    );
}

fn failed_build(files: &[(&str, &str)]) -> String {
    let site = site_with(files);
    let output = brief(site.path()).arg("build").assert().code(1);
    assert!(!site.path().join("public").exists());
    String::from_utf8_lossy(&output.get_output().stderr).to_string()
}

#[test]
fn c_plus_plus_and_c_are_two_topics() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\ntopics = [\"C++\", \"C\", \"C#\"]\n+++\n\nText.\n",
    )]);
    let (_temp, out) = build_site(site.path(), &[]);
    for (path, name) in [
        ("topics/c-plus-plus/index.html", "C++"),
        ("topics/c/index.html", "C"),
        ("topics/c-sharp/index.html", "C#"),
    ] {
        let page = read_output(&out, path);
        assert!(
            page.contains(&format!("<h1 class=\"page-title\">{name}</h1>")) || page.contains(name),
            "{path}"
        );
    }
}

#[test]
fn a_topic_without_letters_is_an_error_at_its_line() {
    let stderr = failed_build(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\ntopics = [\"Trade\",\n  \"???\"]\nregions = [\"—\"]\n+++\n\nText.\n",
    )]);
    assert!(
        stderr
            .contains("content/briefs/first-brief.md:6:3: topic \"???\" has no letters or digits"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("content/briefs/first-brief.md:7:12: region \"—\" has no letters or digits"),
        "{stderr}"
    );
}

#[test]
fn two_spellings_of_a_topic_are_a_warning() {
    let site = site_with(&[
        (
            "content/briefs/first-brief.md",
            "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\ntopics = [\"Arms control\"]\n+++\n\nText.\n",
        ),
        (
            "content/briefs/second.md",
            "+++\ntitle = \"Second\"\ndate = 2024-01-16\nauthors = [\"jane-doe\"]\ntopics = [\"Arms-control\"]\n+++\n\nText.\n",
        ),
    ]);
    let output = brief(site.path()).arg("build").assert().success();
    let stderr = String::from_utf8_lossy(&output.get_output().stderr);
    assert!(
        stderr.contains("warning: content/briefs/second.md:5: topic \"Arms-control\" and \"Arms control\" (content/briefs/first-brief.md) make the same address, topics/arms-control/"),
        "{stderr}"
    );
}

#[test]
fn short_and_repeated_pull_quotes_are_errors() {
    let stderr = failed_build(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\npull_quotes = [\n  \"a\",\n  \"The first paragraph of the brief\",\n  \"The first paragraph of the brief.\",\n]\n+++\n\nThe first paragraph of the brief, and a letter a.\n",
    )]);
    assert!(
        stderr.contains("content/briefs/first-brief.md:6:3: pull quote \"a\" is too short"),
        "{stderr}"
    );
    assert!(stderr.contains("content/briefs/first-brief.md:8:3: pull quote \"The first paragraph of the brief.\" is listed twice"), "{stderr}");
}

#[test]
fn control_characters_are_an_error_not_published() {
    let stderr = failed_build(&[(
        "content/briefs/first-brief.md",
        "+++\ntitle = \"First Brief\\u0007\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nText\u{0}.\n",
    )]);
    assert!(
        stderr.contains("content/briefs/first-brief.md:7:5: invisible control character U+0000"),
        "{stderr}"
    );
    let stderr = failed_build(&[(
        "content/authors/jane-doe.md",
        "+++\nname = \"Jane\\u0000 Doe\"\n+++\n\nBio.\n",
    )]);
    assert!(
        stderr.contains("content/authors/jane-doe.md:2:1: invisible control character U+0000"),
        "{stderr}"
    );
}

#[test]
fn check_follows_a_bios_own_anchors_to_their_prefixed_ids() {
    let site = site_with(&[(
        "content/authors/jane-doe.md",
        "+++\nname = \"Jane Doe\"\n+++\n\n## Intro\n\nSee [above](#intro) and [nowhere](#gone).\n",
    )]);
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("`#intro`"), "{stdout}");
    assert!(
        stdout.contains("content/authors/jane-doe.md:7: error: link `#gone`"),
        "{stdout}"
    );
}

#[test]
fn editors_comments_are_in_no_output() {
    let brief_text = "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nkey_takeaways = [\"Kept takeaway <!-- SECRET-3 -->\"]\n+++\n\nOpening paragraph <!-- SECRET-1 --> continues.\n\n<!-- SECRET-2: legal says\nwe cannot name Ambassador X -->\n\n## Closing\n\nLast words.\n\n```html\n<!-- shown in code -->\n```\n";
    let bio = "+++\nname = \"Jane Doe\"\n+++\n\nJane writes briefs.<!-- SECRET-4 -->\n";
    let site = site_with(&[
        ("content/authors/jane-doe.md", bio),
        ("content/briefs/first-brief.md", brief_text),
    ]);
    let (_temp, out) = build_site(site.path(), &[]);
    let leaks: Vec<_> = crate::common::files(&out)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(7).any(|w| w == b"SECRET-"))
        .map(|(path, _)| path)
        .collect();
    assert!(leaks.is_empty(), "comments published in {leaks:?}");
    let page = read_output(&out, "briefs/first-brief/index.html");
    for kept in [
        "<p>Opening paragraph  continues.</p>",
        "Kept takeaway",
        "Last words.",
        "&lt;!-- shown in code --&gt;",
        "Jane writes briefs.",
    ] {
        assert!(page.contains(kept), "{kept} missing from the page");
    }
}
