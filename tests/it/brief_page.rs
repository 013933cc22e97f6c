//! The brief page: "Cite this brief" and its .bib/.ris files, notes as endnotes and sidenotes,
//! recommendations, syndication, disclaimer, PDF, share links, word count. Builds the
//! `features` fixture (served under the sub-path /repo/) and reads the files written.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Site, brief, built, copy_to_temp, fixture};

const BUNDLE: &str = "content/briefs/bundle-brief/index.md";

/// Builds `site` into a fresh folder; returns the folder and stderr, asserting success.
fn build(site: &Path) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let output = brief(site)
        .args(["build", "--output"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "build failed:\n{stderr}");
    (out, stderr)
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The features fixture's output, built once for all the tests that only read it.
fn features() -> &'static Path {
    built(Site::Fixture("features"), false)
}

fn page(out: &Path, slug: &str) -> String {
    read(out, &format!("briefs/{slug}/index.html"))
}

#[track_caller]
fn assert_contains(html: &str, needle: &str) {
    assert!(
        html.contains(needle),
        "page does not contain\n  {needle}\n{html}"
    );
}

/// Builds a copy of the fixture after `edit` changed it; returns exit code and stderr.
fn build_edited(edit: impl FnOnce(&Path)) -> (Option<i32>, String) {
    let site = copy_to_temp(&fixture("features"));
    edit(site.path());
    let out = tempfile::tempdir().unwrap();
    let output = brief(site.path())
        .args(["build", "--output"])
        .arg(out.path())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn replace_in(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn cite_box_gives_chicago_apa_and_mla_with_escaped_italic_title() {
    let out = features();
    let html = page(out, "bundle-brief");
    assert_contains(&html, r#"<h2 id="cite-title">Cite this brief</h2>"#);
    assert_contains(
        &html,
        "<dd>Lovelace, Ada, and Charles de Gaulle. <i>A Bundle Brief &lt;with&gt; &quot;Quotes&quot;</i>. No. TR\u{2011}7. Features &amp; Fixtures Institute, 2024. <a href=\"https://doi.org/10.5555/features.2024.7\">https://doi.org/10.5555/features.2024.7</a>.</dd>",
    );
    assert_contains(
        &html,
        "<dd>Lovelace, A., &amp; de Gaulle, C. (2024). <i>A Bundle Brief &lt;with&gt; &quot;Quotes&quot;</i> (No. TR\u{2011}7). Features &amp; Fixtures Institute. <a href=\"https://doi.org/10.5555/features.2024.7\">https://doi.org/10.5555/features.2024.7</a></dd>",
    );
    assert_contains(
        &html,
        "<dd>Lovelace, Ada, and Charles de Gaulle. <i>A Bundle Brief &lt;with&gt; &quot;Quotes&quot;</i>. no. TR\u{2011}7, Features &amp; Fixtures Institute, 1 Mar. 2024, <a href=\"https://doi.org/10.5555/features.2024.7\">https://doi.org/10.5555/features.2024.7</a>.</dd>",
    );
}

#[test]
fn three_authors_are_all_listed_except_in_mla_and_explicit_name_parts_are_used() {
    let out = features();
    // This brief reprints a Foreign Affairs article, so it is cited as that article.
    let html = page(out, "three-authors");
    assert_contains(
        &html,
        "<dd>Lovelace, Ada, Charles de Gaulle, and Xi Jinping. \u{201C}Three Authors, One Question?\u{201D} <i>Foreign Affairs</i>, January 10, 2024. <a href=\"https://www.foreignaffairs.com/articles/three-authors\">https://www.foreignaffairs.com/articles/three-authors</a>.</dd>",
    );
    assert_contains(
        &html,
        "<dd>Lovelace, A., de Gaulle, C., &amp; Xi Jinping. (2024, January 10). Three Authors, One Question? <i>Foreign Affairs</i>. <a href=\"https://www.foreignaffairs.com/articles/three-authors\">https://www.foreignaffairs.com/articles/three-authors</a></dd>",
    );
    assert_contains(
        &html,
        "<dd>Lovelace, Ada, et al. \u{201C}Three Authors, One Question?\u{201D} <i>Foreign Affairs</i>, 10 Jan. 2024, <a href=\"https://www.foreignaffairs.com/articles/three-authors\">https://www.foreignaffairs.com/articles/three-authors</a>.</dd>",
    );
    assert!(
        !html.contains("Features &amp; Fixtures Institute, January"),
        "a reprint names the site as publisher:\n{html}"
    );
}

#[test]
fn one_author_particle_name_is_inverted_as_each_style_inverts_it() {
    let out = features();
    let html = page(out, "short-note");
    // Chicago demotes the particle ("Gaulle, Charles de"), APA and MLA keep it in front.
    assert_contains(&html, "<dd>Gaulle, Charles de. <i>A Short Note</i>.");
    assert_contains(&html, "<dd>de Gaulle, C. (2024).");
    assert_contains(
        &html,
        "<dd>de Gaulle, Charles. <i>A Short Note</i>. Features",
    );
}

#[test]
fn bibtex_and_ris_files_are_written_beside_the_brief_and_linked_for_download() {
    let out = features();
    let html = page(out, "bundle-brief");
    assert_contains(
        &html,
        r#"<a href="/repo/briefs/bundle-brief/bundle-brief.bib" download="bundle-brief.bib""#,
    );
    assert_contains(
        &html,
        r#"<a href="/repo/briefs/bundle-brief/bundle-brief.ris" download="bundle-brief.ris""#,
    );
    assert_eq!(
        read(out, "briefs/bundle-brief/bundle-brief.bib"),
        "@techreport{lovelace2024bundle,\n  author = {Lovelace, Ada and de Gaulle, Charles},\n  title = {{A Bundle Brief <with> \"Quotes\"}},\n  institution = {Features \\& Fixtures Institute},\n  number = {TR-7},\n  year = {2024},\n  month = mar,\n  date = {2024-03-01},\n  url = {https://user.example.io/repo/briefs/bundle-brief/},\n  doi = {10.5555/features.2024.7},\n  langid = {english},\n}\n"
    );
    assert_eq!(
        read(out, "briefs/bundle-brief/bundle-brief.ris"),
        "TY  - RPRT\r\nAU  - Lovelace, Ada\r\nAU  - de Gaulle, Charles\r\nTI  - A Bundle Brief <with> \"Quotes\"\r\nPY  - 2024\r\nDA  - 2024/03/01\r\nPB  - Features & Fixtures Institute\r\nSN  - TR-7\r\nLA  - en\r\nUR  - https://user.example.io/repo/briefs/bundle-brief/\r\nDO  - 10.5555/features.2024.7\r\nER  - \r\n"
    );
    // Without a report number, the entry is still the site's @techreport, without `number`.
    let bib = read(out, "briefs/short-note/short-note.bib");
    assert!(bib.starts_with("@techreport{degaulle2024short,\n"), "{bib}");
    assert!(
        bib.contains("institution = {Features \\& Fixtures Institute},") && !bib.contains("number"),
        "{bib}"
    );
    // A reprint is the @article of its outlet, at the original's address.
    let bib = read(out, "briefs/three-authors/three-authors.bib");
    assert!(bib.starts_with("@article{lovelace2024three,\n"), "{bib}");
    assert!(
        bib.contains("author = {Lovelace, Ada and de Gaulle, Charles and Xi, Jinping},"),
        "{bib}"
    );
    assert!(bib.contains("journal = {Foreign Affairs},"), "{bib}");
    assert!(
        bib.contains("url = {https://www.foreignaffairs.com/articles/three-authors},"),
        "{bib}"
    );
    assert!(!bib.contains("Fixtures Institute"), "{bib}");
    let ris = read(out, "briefs/three-authors/three-authors.ris");
    assert!(ris.starts_with("TY  - MGZN\r\n"), "{ris}");
    assert!(ris.contains("T2  - Foreign Affairs\r\n"), "{ris}");
    assert!(ris.contains("DA  - 2024/01/10\r\n"), "{ris}");
    assert!(!ris.contains("Fixtures Institute"), "{ris}");
}

#[test]
fn notes_are_endnotes_with_a_backlink_per_reference_and_sidenotes_beside_them() {
    let out = features();
    let html = page(out, "three-authors");
    assert_contains(
        &html,
        r##"<sup class="note-ref" id="ref-1"><a href="#note-1" aria-label="Note 1">1</a></sup><span class="sidenote" aria-hidden="true"><span class="sidenote-number">1</span> A note referenced twice.</span>"##,
    );
    assert_eq!(html.matches(r#"class="sidenote""#).count(), 1, "{html}");
    assert_contains(
        &html,
        r##"<a href="#ref-1" class="backref" aria-label="Back to reference 1 a">"##,
    );
    assert_contains(
        &html,
        r##"<a href="#ref-1-2" class="backref" aria-label="Back to reference 1 b">"##,
    );
    assert_contains(
        &html,
        r#"<li id="note-1" value="1"><p>A note referenced twice.</p>"#,
    );
    // The sidenote's link is out of the tab order; the endnote keeps the real one.
    let bundle = page(out, "bundle-brief");
    assert_contains(
        &bundle,
        r#"<span class="sidenote-number">1</span> First note, with a <a href="https://example.org/note" tabindex="-1">link</a>.</span>"#,
    );
}

#[test]
fn no_id_appears_twice_on_a_brief_page() {
    let out = features();
    for slug in ["bundle-brief", "three-authors", "short-note", "same-day-b"] {
        let html = page(out, slug);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, _) in html.match_indices(" id=\"") {
            let rest = &html[i + 5..];
            let id = &rest[..rest.find('"').unwrap()];
            *seen.entry(id).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{slug}: ids used twice: {twice:?}");
    }
}

#[test]
fn recommendations_and_notes_close_the_table_of_contents() {
    let out = features();
    let html = page(out, "bundle-brief");
    assert_contains(
        &html,
        "<li><a href=\"#custom-id\">Custom</a></li>\n  <li><a href=\"#recommendations-title\">Recommendations</a></li>\n  <li><a href=\"#notes-title\">Notes</a></li>\n</ol>",
    );
    assert_contains(
        &html,
        r#"<section class="recommendations" aria-labelledby="recommendations-title">"#,
    );
    assert_contains(&html, "<li>Fund the <em>engine</em>.</li>");
    assert_contains(&html, "<li>Publish the tables &amp; the notes.</li>");
    let recommendations = html.find(r#"class="recommendations""#).unwrap();
    let notes = html.find(r#"class="endnotes""#).unwrap();
    assert!(
        recommendations < notes,
        "recommendations come before the notes"
    );
    // A brief without them has neither the section nor the entry.
    let html = page(out, "three-authors");
    assert!(!html.contains("recommendations-title"), "{html}");
}

#[test]
fn syndicated_brief_says_where_it_first_appeared_and_points_canonical_there() {
    let out = features();
    let html = page(out, "three-authors");
    assert_contains(
        &html,
        r#"<link rel="canonical" href="https://www.foreignaffairs.com/articles/three-authors">"#,
    );
    assert_contains(
        &html,
        r#"<p class="syndication">Originally published in <a href="https://www.foreignaffairs.com/articles/three-authors">Foreign Affairs</a> on <time datetime="2024-01-10">January 10, 2024</time>.</p>"#,
    );
    let own = page(out, "bundle-brief");
    assert_contains(
        &own,
        r#"<link rel="canonical" href="https://user.example.io/repo/briefs/bundle-brief/">"#,
    );
    assert!(!own.contains("Originally published"));
}

#[test]
fn brief_disclaimer_replaces_the_site_default() {
    let out = features();
    assert_contains(
        &page(out, "bundle-brief"),
        r#"<p class="disclaimer">Views are the <em>authors’</em> own &amp; not the institute’s.</p>"#,
    );
    let own = page(out, "three-authors");
    assert_contains(
        &own,
        r#"<p class="disclaimer">First published elsewhere; reprinted with permission.</p>"#,
    );
    assert!(!own.contains("not the institute"), "{own}");
}

#[test]
fn empty_brief_disclaimer_hides_the_site_default() {
    let site = copy_to_temp(&fixture("features"));
    replace_in(site.path(), BUNDLE, "doi = ", "disclaimer = \"\"\ndoi = ");
    let (out, _) = build(site.path());
    let html = page(out.path(), "bundle-brief");
    assert!(!html.contains("class=\"disclaimer\""), "{html}");
}

#[test]
fn pdf_is_copied_and_linked_with_its_size() {
    let out = features();
    assert_contains(
        &page(out, "bundle-brief"),
        r#"<a href="/repo/briefs/bundle-brief/brief.pdf" download type="application/pdf">Download PDF (588 bytes)</a>"#,
    );
    let pdf = std::fs::read(out.join("briefs/bundle-brief/brief.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // A brief without a PDF of its own links the one `brief build` typeset.
    let short = page(out, "short-note");
    assert_contains(
        &short,
        r#"<a href="/repo/briefs/short-note/short-note.pdf" download type="application/pdf">Download PDF ("#,
    );
    let typeset = std::fs::read(out.join("briefs/short-note/short-note.pdf")).unwrap();
    assert!(typeset.starts_with(b"%PDF-"));
}

#[test]
fn share_links_are_plain_encoded_links_without_third_party_scripts() {
    let out = features();
    let html = page(out, "three-authors");
    let url = "https%3A%2F%2Fuser.example.io%2Frepo%2Fbriefs%2Fthree-authors%2F";
    let title = "Three%20Authors%2C%20One%20Question%3F";
    assert_contains(
        &html,
        r#"<a class="share-copy" href="https://user.example.io/repo/briefs/three-authors/">Copy link</a>"#,
    );
    // The script shows the copy button in the link's place; without script it stays hidden.
    assert_contains(
        &html,
        r#"<button class="share-copy" type="button" data-copy-link="https://user.example.io/repo/briefs/three-authors/" hidden>Copy link</button>"#,
    );
    assert_contains(
        &html,
        &format!(r#"href="mailto:?subject={title}&amp;body={url}">Email</a>"#),
    );
    assert_contains(
        &html,
        &format!(r#"href="https://x.com/intent/tweet?text={title}&amp;url={url}""#),
    );
    assert_contains(
        &html,
        &format!(r#"href="https://www.linkedin.com/sharing/share-offsite/?url={url}""#),
    );
    assert_contains(
        &html,
        &format!(r#"href="https://bsky.app/intent/compose?text={title}%20{url}""#),
    );
    assert!(!html.contains("<script src"), "no external scripts");
}

#[test]
fn word_count_and_updated_date_are_in_the_meta_line() {
    let out = features();
    let html = page(out, "bundle-brief");
    assert_contains(&html, r#"<span class="reading-time">1 min read</span>"#);
    assert_contains(&html, r#"<span class="word-count">59 words</span>"#);
    assert_contains(
        &html,
        r#"<span class="updated">Updated <time datetime="2024-03-10">March 10, 2024</time></span>"#,
    );
    assert!(!page(out, "short-note").contains("Updated"));
}

#[test]
fn undefined_and_unreferenced_notes_are_warnings_naming_file_and_label() {
    let site = copy_to_temp(&fixture("features"));
    std::fs::write(
        site.path().join("content/briefs/loose-notes.md"),
        "+++\ntitle = \"Loose Notes\"\ndate = 2024-01-02\nauthors = [\"ada-lovelace\"]\n+++\n\nCites a missing note.[^missing]\n\n[^spare]: Never cited.\n",
    )
    .unwrap();
    let (out, stderr) = build(site.path());
    assert!(
        stderr.contains(
            "warning: content/briefs/loose-notes.md: note [^missing] is referenced but never defined"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: content/briefs/loose-notes.md: note [^spare] is defined but never referenced"
        ),
        "{stderr}"
    );
    assert!(page(out.path(), "loose-notes").contains("Cites a missing note.[^missing]"));
}

#[test]
fn bad_doi_is_an_error_at_its_line() {
    let (code, stderr) = build_edited(|site| {
        replace_in(site, BUNDLE, "10.5555/features.2024.7", "10.5555");
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {BUNDLE}:14:1: `10.5555` is not a DOI")),
        "{stderr}"
    );
    assert!(stderr.contains("help: a DOI starts with `10.`"), "{stderr}");
}

#[test]
fn missing_pdf_is_an_error_naming_the_file_and_line() {
    let (code, stderr) = build_edited(|site| {
        std::fs::remove_file(site.join("content/briefs/bundle-brief/brief.pdf")).unwrap();
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {BUNDLE}:16:1: PDF `brief.pdf` not found (looked for content/briefs/bundle-brief/brief.pdf)"
        )),
        "{stderr}"
    );
}

#[test]
fn unknown_originally_published_key_lists_the_valid_ones() {
    let (code, stderr) = build_edited(|site| {
        replace_in(
            site,
            "content/briefs/three-authors.md",
            "outlet = ",
            "publication = ",
        );
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/briefs/three-authors.md:6:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("originally_published takes outlet, url, date"),
        "{stderr}"
    );
}
