//! Citations from a bibliography: the notes and the references list a brief gets, in Chicago
//! notes and APA, in English and Spanish, compared whole with the expected files in
//! tests/golden/citations/<style>/<brief>.html (re-bless with `BLESS=1`); and the metadata
//! that names the works cited.

use std::path::Path;

use crate::common::{Site, build_site, built, copy_to_temp, fixture, read_output};

const BRIEFS: [&str; 3] = ["citing", "espanol", "bundle-brief"];

/// The part of a brief page that citations make: from the body to the end of the
/// references list (the notes between them).
fn cited_part(page: &str) -> String {
    let start = page
        .find(r#"<div class="brief-body prose">"#)
        .expect("a brief body");
    let references = page[start..]
        .find(r#"<section class="references""#)
        .map(|at| start + at)
        .expect("a references list");
    let end =
        references + page[references..].find("</section>").expect("its end") + "</section>".len();
    format!("{}\n", &page[start..end])
}

/// Compares (or, with `BLESS=1`, writes) each brief's cited part with its expected file.
fn check_style(style: &str, out: &Path) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/citations")
        .join(style);
    for brief in BRIEFS {
        let actual = cited_part(&read_output(out, &format!("briefs/{brief}/index.html")));
        let file = dir.join(format!("{brief}.html"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: {e} (bless with BLESS=1)", file.display()));
        if let Some((n, (want, got))) = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            panic!(
                "{style}/{brief}.html differs at line {}:\nexpected: {want}\nactual:   {got}",
                n + 1
            );
        }
        assert_eq!(expected, actual, "{style}/{brief}.html differs in length");
    }
}

#[test]
fn chicago_notes_are_numbered_with_the_briefs_own_notes_and_listed_as_references() {
    check_style("chicago-notes", built(Site::Fixture("citations"), false));
}

#[test]
fn apa_citations_are_written_in_the_text() {
    let site = copy_to_temp(&fixture("citations"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("chicago-notes", "apa")).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    check_style("apa", &out);
}

#[test]
fn later_citations_of_a_work_take_the_short_form() {
    let page = read_output(
        built(Site::Fixture("citations"), false),
        "briefs/citing/index.html",
    );
    let part = cited_part(&page);
    let full = "Elinor Ostrom, <i>Governing the Commons";
    let short = "<p>Ostrom, <i>Governing the Commons: The Evolution of Institutions for Collective Action</i>, 12;";
    assert_eq!(part.matches(&format!("<p>{full}")).count(), 1, "{part}");
    assert!(part.contains(short), "{part}");
}

#[test]
fn an_email_address_code_and_cross_references_stay_as_written() {
    let page = read_output(
        built(Site::Fixture("citations"), false),
        "briefs/citing/index.html",
    );
    assert!(
        page.contains("Write to jane@example.org, not @jane; see @fig-growth."),
        "{page}"
    );
    assert!(page.contains("<code>[@ostrom1990]</code>"));
    assert!(page.contains("@acemoglu2019 in a code block"));
}

#[test]
fn scholar_tags_and_json_ld_name_the_works_cited() {
    let page = read_output(
        built(Site::Fixture("citations"), false),
        "briefs/citing/index.html",
    );
    assert!(
        page.contains(r#"<meta name="citation_reference" content="citation_title=Democracy Does Cause Growth; citation_author=Acemoglu, Daron;"#),
        "{page}"
    );
    assert!(page.contains(r#""citation":[{"#), "{page}");
    // A name BibTeX keeps whole ({{World Bank}}) is an institution; a given name, a person.
    assert!(
        page.contains(r#""author":[{"@type":"Organization","name":"World Bank"}]"#),
        "{page}"
    );
    assert!(
        page.contains(r#""author":[{"@type":"Person","name":"Acemoglu, Daron"}"#),
        "{page}"
    );
    assert!(
        page.contains(r#""sameAs":"https://doi.org/10.1086/700936""#),
        "{page}"
    );
}

#[test]
fn the_feeds_full_text_ends_with_the_references_as_the_page_does() {
    let out = built(Site::Fixture("citations"), false);
    let page = read_output(out, "briefs/citing/index.html");
    let feed = read_output(out, "feed.xml");
    // The entry's references: the page's list items, escaped as the feed's content is.
    let listed = page
        .split("<ul class=\"references-list\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("the page lists references");
    let first = listed
        .split("<li>")
        .nth(1)
        .and_then(|item| item.split("</li>").next())
        .unwrap();
    let escaped = first
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        feed.contains("&lt;section&gt;&lt;h2&gt;References&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;")
            && feed.contains(&escaped),
        "{escaped}\n{feed}"
    );
}

#[test]
fn nocite_and_a_bundle_bibliography_add_to_the_references() {
    let page = read_output(
        built(Site::Fixture("citations"), false),
        "briefs/bundle-brief/index.html",
    );
    let part = cited_part(&page);
    // Cited from the bundle's references.bib, and listed by `nocite` from the site's.
    assert!(part.contains("Institute for Local Studies."), "{part}");
    assert!(part.contains("Chatham House."), "{part}");
}

#[test]
fn a_wrong_nocite_key_and_a_wrong_citation_are_reported_together() {
    let site = copy_to_temp(&fixture("citations"));
    let brief = site.path().join("content/briefs/citing.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    let text = text
        .replacen("+++\n", "+++\nnocite = [\"un2105\"]\n", 1)
        .replacen("[@brookings2021]", "[@brookings2012]", 1);
    std::fs::write(&brief, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = crate::common::brief(site.path())
        .args(["build", "--output"])
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/briefs/citing.md:2:11: nocite lists `un2105`")
            && stderr.contains("did you mean `un2015`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("citation `@brookings2012` names no work")
            && stderr.contains("did you mean `@brookings2021`?"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

/// A brief of the citations site with a citation in each of two headings and a narrative
/// citation at the end of a sentence; its page built in Chicago notes.
fn heading_brief_page() -> String {
    let site = copy_to_temp(&fixture("citations"));
    std::fs::write(
        site.path().join("content/briefs/headings.md"),
        "+++\ntitle = \"Headings That Cite\"\ndate = 2024-03-05\nauthors = [\"jane-doe\"]\n+++\n\n\
         Intro.\n\n## Sanctions [@un2015]\n\nThe figures come from the World Bank [@worldbank2024].\n\n\
         ## Growth and *democracy* [@acemoglu2019, p. 4]\n\nAs argued by @stiglitz2002. And by @acemoglu2019, too.\n",
    )
    .unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    read_output(&out, "briefs/headings/index.html")
}

#[test]
fn a_citation_in_a_heading_stays_out_of_its_id_contents_entry_and_heading_text() {
    let page = heading_brief_page();
    let toc = &page[page.find(r#"<nav class="toc""#).expect("contents")..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    assert!(
        toc.contains(r##"<a href="#sanctions">Sanctions</a>"##),
        "{toc}"
    );
    assert!(
        toc.contains(r##"<a href="#growth-and-democracy">Growth and democracy</a>"##),
        "{toc}"
    );
    // The note's number stays in the heading, as Pandoc sets it; the note's text goes after.
    let start = page
        .find(r#"<h2 id="sanctions">"#)
        .expect("the heading's id");
    let heading = &page[start..start + page[start..].find("</h2>").unwrap()];
    assert!(
        heading.contains(r##"<a href="#note-1" aria-label="Note 1">1</a></sup>"##),
        "{heading}"
    );
    assert!(!heading.contains("sidenote"), "{heading}");
    assert!(!heading.contains("United Nations"), "{heading}");
    let after = &page[start + heading.len()..];
    assert!(
        after.starts_with("</h2>\n<span class=\"sidenote\" aria-hidden=\"true\"><span class=\"sidenote-number\">1</span> United Nations"),
        "{after}"
    );
}

#[test]
fn a_narrative_citations_note_number_follows_the_punctuation_after_the_name() {
    let page = heading_brief_page();
    assert!(
        page.contains("World Bank.<sup class=\"note-ref\""),
        "{page}"
    );
    assert!(
        page.contains("As argued by Stiglitz.<sup class=\"note-ref\""),
        "{page}"
    );
    // "Acemoglu et al." ends with a period of its own: no second one; a comma follows it.
    assert!(
        page.contains("And by Acemoglu et al.,<sup class=\"note-ref\""),
        "{page}"
    );
}

#[test]
fn a_citation_ending_a_briefs_own_note_takes_no_second_period() {
    let site = copy_to_temp(&fixture("citations"));
    std::fs::write(
        site.path().join("content/briefs/in-note.md"),
        "+++\ntitle = \"A Note That Cites\"\ndate = 2024-03-05\nauthors = [\"jane-doe\"]\n+++\n\n\
         Growth follows democracy.[^1]\n\n[^1]: See [@acemoglu2019].\n",
    )
    .unwrap();
    let (_temp, out) = build_site(site.path(), &["--no-pdf"]);
    let page = read_output(&out, "briefs/in-note/index.html");
    let start = page.find("<li id=\"note-1\"").expect("the note");
    let note = &page[start..start + page[start..].find("</li>").unwrap()];
    assert!(
        note.contains("https://doi.org/10.1086/700936</a>.</p>"),
        "{note}"
    );
    assert!(!note.contains(".."), "{note}");
}

/// A work whose `url` is no web address (`javascript:` in a page a Zotero user saved) is
/// cited with its address as text, never as a link that would run code on the page.
#[test]
fn a_works_address_that_is_no_web_address_is_not_a_link() {
    let site = copy_to_temp(&fixture("citations"));
    let bib = site.path().join("references.bib");
    let mut text = std::fs::read_to_string(&bib).unwrap();
    text.push_str("\n@misc{trap2024,\n  author = {Doe, John},\n  title = {A Web Page},\n  year = {2024},\n  url = {javascript:alert(document.cookie)},\n}\n");
    std::fs::write(&bib, text).unwrap();
    let md = site.path().join("content/briefs/citing.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\nAs shown [@trap2024].\n");
    std::fs::write(&md, text).unwrap();
    let (_temp, out) = build_site(site.path(), &["--no-pdf"]);
    let page = read_output(&out, "briefs/citing/index.html");
    assert!(page.contains("A Web Page"), "the work is cited");
    assert!(
        page.contains("javascript:alert(document.cookie)"),
        "its address shows as text"
    );
    assert!(!page.contains("href=\"javascript:"), "{page}");
}

#[test]
fn a_semicolon_in_a_cited_title_does_not_end_its_scholar_field() {
    let site = copy_to_temp(&fixture("citations"));
    let bib = site.path().join("references.bib");
    let mut text = std::fs::read_to_string(&bib).unwrap();
    text.push_str("\n@report{panel2024,\n  author = {{UN Panel of Experts}},\n  title = {Final Report; Annex 5: Ship-to-ship transfers},\n  year = {2024},\n}\n");
    std::fs::write(&bib, text).unwrap();
    let md = site.path().join("content/briefs/citing.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\nAs the panel found [@panel2024].\n");
    std::fs::write(&md, text).unwrap();
    let (_temp, out) = build_site(site.path(), &["--no-pdf"]);
    let page = read_output(&out, "briefs/citing/index.html");
    assert!(
        page.contains(r#"<meta name="citation_reference" content="citation_title=Final Report, Annex 5: Ship-to-ship transfers; citation_author=UN Panel of Experts; citation_publication_date=2024">"#),
        "{page}"
    );
}
