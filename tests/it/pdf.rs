//! Every brief as a PDF (issue 13): what poppler's tools read back from the example's PDF,
//! template errors, `--no-pdf`, and the cache that keeps a rebuild from typesetting again.

use std::path::Path;
use std::process::Command as Process;

use crate::common::{Site, brief, build_site, built, copy_to_temp, example_site, fixture};

const SLUG: &str = "sanctions-enforcement-after-the-summit";

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Process::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Letters and digits only, lower case: text compared across line breaks, hyphenation,
/// ligatures and curly quotes.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The paragraphs of a Markdown body as plain words (notes' definitions apart).
fn paragraphs(markdown: &str) -> (Vec<String>, Vec<String>) {
    let body = markdown.splitn(3, "+++").nth(2).unwrap();
    let mut paragraphs = Vec::new();
    let mut notes = Vec::new();
    for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let plain = strip_markdown(block);
        if let Some(rest) = block.strip_prefix("[^") {
            notes.push(strip_markdown(rest.split_once("]:").unwrap().1));
        } else if !block.starts_with('#') && !block.starts_with("```") {
            paragraphs.push(plain);
        }
    }
    (paragraphs, notes)
}

fn strip_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = &rest[rest.find(']').map_or(rest.len(), |e| e + 1)..];
    }
    out.push_str(rest);
    // The example's one cross-reference reads as its figure's number in the PDF.
    out.replace(['*', '_'], "")
        .replace("@fig-resolutions", "Figure 1")
}

/// What pdftotext reads in a PDF.
fn pdftotext(pdf: &Path) -> String {
    let out = Process::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF, as [`letters`].
fn pdf_text(pdf: &Path) -> String {
    letters(&pdftotext(pdf))
}

/// The text of a PDF with its runs of whitespace as one space (line ends, dot leaders' gaps).
fn pdf_words(pdf: &Path) -> String {
    pdftotext(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of the minimal site's brief's PDF, after a build of `site`.
fn first_brief_pdf_words(site: &Path) -> String {
    build_ok(site);
    pdf_words(&site.join("public/briefs/first-brief/first-brief.pdf"))
}

fn example_pdf() -> std::path::PathBuf {
    built(Site::Example, false).join(format!("briefs/{SLUG}/{SLUG}.pdf"))
}

#[test]
fn the_example_pdf_holds_title_authors_every_paragraph_in_order_and_every_note() {
    let pdf = example_pdf();
    let text = pdf_text(&pdf);
    assert!(text.contains(&letters("Sanctions Enforcement After the Kim-Putin Summit")));
    assert!(text.contains(&letters("Maria Ortega")), "the author's name");
    let markdown =
        std::fs::read_to_string(example_site().join(format!("content/briefs/{SLUG}/index.md")))
            .unwrap();
    let (paragraphs, notes) = paragraphs(&markdown);
    assert!(paragraphs.len() >= 8 && notes.len() == 3);
    // Each paragraph's opening and closing words, in order (a page break, its running header
    // or footnotes may fall inside a paragraph).
    let mut from = 0;
    for paragraph in &paragraphs {
        let words: Vec<&str> = paragraph.split_whitespace().collect();
        let head = letters(&words[..words.len().min(6)].join(" "));
        let tail = letters(&words[words.len().saturating_sub(5)..].join(" "));
        let at = text[from..]
            .find(&head)
            .unwrap_or_else(|| panic!("paragraph missing or out of order: {paragraph}"));
        from += at + head.len();
        assert!(text[from..].contains(&tail), "end of: {paragraph}");
    }
    for note in &notes {
        let words: Vec<&str> = note.split_whitespace().collect();
        let head = letters(&words[..6].join(" "));
        assert!(text.contains(&head), "note: {note}");
    }
}

/// The chart's note and source are under it, labelled as on the page, with the source's
/// punctuation (a `;` right after a link was lost); the title in "Cite as" is in italics, as
/// on the page (set in the sans serif's italic, which nothing else in this brief uses).
#[test]
fn the_example_pdf_keeps_a_figures_note_and_source_and_the_citations_italics() {
    let pdf = example_pdf();
    // A page break is whitespace too.
    let text = pdf_words(&pdf).replace("- ", "-");
    assert!(
        text.contains("Note: Counts resolutions that imposed or expanded measures"),
        "{text}"
    );
    assert!(
        text.contains("Source: UN Security Council, 1718 Sanctions Committee; the draft vetoed"),
        "{text}"
    );
    let fonts = tool("pdffonts", &[], &pdf);
    assert!(fonts.contains("SourceSans3-It"), "{fonts}");
}

#[test]
fn the_example_pdf_embeds_its_fonts_and_names_title_author_and_pages() {
    let pdf = example_pdf();
    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts}");
    for row in rows {
        // Columns: name, type, encoding, emb, sub, uni, object ID.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "not embedded: {row}");
    }
    let info = tool("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Sanctions Enforcement After the Kim-Putin Summit"),
        "{info}"
    );
    assert!(
        info.lines()
            .any(|l| l.starts_with("Author:") && l.contains("Maria Ortega")),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    // The page offers the PDF with its page count and size.
    let page = std::fs::read_to_string(
        built(Site::Example, false).join(format!("briefs/{SLUG}/index.html")),
    )
    .unwrap();
    let link = format!("({pages} pages, ");
    assert!(page.contains(&format!("/briefs/{SLUG}/{SLUG}.pdf")), "link");
    assert!(page.contains(&link), "the link says {link}");
    assert!(page.contains("citation_pdf_url"));
    // Links are live: the web address in "Cite as".
    let urls = tool("pdfinfo", &["-url"], &pdf);
    assert!(
        urls.contains(&format!("https://example.org/briefs/{SLUG}/")),
        "{urls}"
    );
}

#[test]
fn a_broken_pdf_template_is_an_error_at_its_line_and_keeps_the_last_good_pdf() {
    let site = copy_to_temp(&fixture("minimal"));
    let (_temp, out) = build_site(site.path(), &[]);
    let pdf = out.join("briefs/first-brief/first-brief.pdf");
    let good = std::fs::read(&pdf).expect("a PDF for the minimal brief");
    std::fs::create_dir_all(site.path().join("pdf")).unwrap();
    std::fs::write(
        site.path().join("pdf/brief.typ"),
        "#let d = json(\"/brief.json\")\n#set document(title: d.title)\n#text(fill: nocolor)[x]\n",
    )
    .unwrap();
    let assert = brief(site.path())
        .args(["build", "--output"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("pdf/brief.typ:3:"), "{stderr}");
    assert!(stderr.contains("nocolor"), "{stderr}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the last good PDF stays"
    );
}

#[test]
fn no_pdf_flag_and_config_key_make_none() {
    let site = copy_to_temp(&fixture("minimal"));
    let (_temp, out) = build_site(site.path(), &["--no-pdf"]);
    assert!(!out.join("briefs/first-brief/first-brief.pdf").exists());
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("pdf = false\n{text}")).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(!out.join("briefs/first-brief/first-brief.pdf").exists());
    let page = std::fs::read_to_string(out.join("briefs/first-brief/index.html")).unwrap();
    assert!(!page.contains(".pdf"));
}

#[test]
fn a_rebuild_of_an_unchanged_site_typesets_nothing() {
    // `--no-cache`: the build cache would skip an unchanged site before any typesetting; this
    // is about the PDF cache under it.
    let site = copy_to_temp(&fixture("minimal"));
    // The fixture's own cache, left by the tests that build it in place, is not this site's.
    let _ = std::fs::remove_dir_all(site.path().join(".brief-cache"));
    let first = brief(site.path())
        .args(["build", "--no-cache"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&first.get_output().stdout).into_owned();
    assert!(stdout.contains("PDFs: 1 typeset, 0 unchanged"), "{stdout}");
    let entry = site.path().join(".brief-cache/pdf/first-brief.pdf");
    let made = std::fs::metadata(&entry).unwrap().modified().unwrap();
    let second = brief(site.path())
        .args(["build", "--no-cache"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&second.get_output().stdout).into_owned();
    assert!(stdout.contains("PDFs: 0 typeset, 1 unchanged"), "{stdout}");
    assert_eq!(std::fs::metadata(&entry).unwrap().modified().unwrap(), made);
    assert!(
        site.path()
            .join("public/briefs/first-brief/first-brief.pdf")
            .exists()
    );
    // A corrupt entry is typeset again.
    std::fs::write(&entry, b"not a pdf").unwrap();
    let third = brief(site.path())
        .args(["build", "--no-cache"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&third.get_output().stdout).into_owned();
    assert!(stdout.contains("PDFs: 1 typeset, 0 unchanged"), "{stdout}");
    // An edit to the brief typesets it again.
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{text}\nA second paragraph.\n")).unwrap();
    let fourth = brief(site.path())
        .args(["build", "--no-cache"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&fourth.get_output().stdout).into_owned();
    assert!(stdout.contains("PDFs: 1 typeset, 0 unchanged"), "{stdout}");
}

#[test]
fn an_editors_pdf_in_the_bundle_replaces_the_typeset_one() {
    let site = copy_to_temp(&fixture("minimal"));
    let briefs = site.path().join("content/briefs");
    std::fs::create_dir_all(briefs.join("first-brief")).unwrap();
    std::fs::rename(
        briefs.join("first-brief.md"),
        briefs.join("first-brief/index.md"),
    )
    .unwrap();
    let own = b"%PDF-1.4\n% the editor's own\n";
    std::fs::write(briefs.join("first-brief/first-brief.pdf"), own).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    assert_eq!(
        std::fs::read(out.join("briefs/first-brief/first-brief.pdf")).unwrap(),
        own
    );
    let page = std::fs::read_to_string(out.join("briefs/first-brief/index.html")).unwrap();
    assert!(
        page.contains("first-brief.pdf"),
        "the page links the editor's PDF"
    );
}

/// Builds `site` into its public/ folder, expecting success; returns stdout and stderr.
/// A build without the build cache (which would skip an unchanged site altogether), so the
/// PDF cache is what a rebuild uses.
fn build_ok(site: &Path) -> (String, String) {
    let done = brief(site).args(["build", "--no-cache"]).assert().success();
    let output = done.get_output();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_brief_pdf_ua_refuses_is_typeset_without_it_with_a_warning_naming_the_brief() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    // A heading without text: fine on the page, refused by PDF/UA-1.
    std::fs::write(&md, format!("{text}\n## \n\nAfter an empty heading.\n")).unwrap();
    let (_, stderr) = build_ok(site.path());
    let warning = stderr
        .lines()
        .find(|l| l.contains("PDF/UA-1"))
        .unwrap_or_else(|| panic!("a warning about PDF/UA-1: {stderr}"));
    assert!(
        warning.starts_with("warning: content/briefs/first-brief.md"),
        "{stderr}"
    );
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    assert!(
        pdf_text(&pdf).contains("afteranemptyheading"),
        "the PDF has the brief's text"
    );
    // Reused from the cache, with the same warning.
    let (stdout, stderr) = build_ok(site.path());
    assert!(stdout.contains("PDFs: 0 typeset, 1 unchanged"), "{stdout}");
    assert!(stderr.contains("PDF/UA-1"), "{stderr}");
}

/// Generated briefs with pull quotes, notes with links, headings and lists, as an archive has
/// them: every one is typeset as PDF/UA-1 (a pull quote marked as an artifact lost it for 7 of
/// these 40, when typst laid a footnote out beside the quote).
#[test]
fn briefs_with_pull_quotes_and_linked_notes_are_all_pdf_ua() {
    let site = tempfile::tempdir().unwrap();
    crate::corpus::generate_site(site.path(), 40).unwrap();
    let (stdout, stderr) = build_ok(site.path());
    assert!(stdout.contains("PDFs: 40 typeset"), "{stdout}");
    let refused: Vec<&str> = stderr.lines().filter(|l| l.contains("PDF/UA")).collect();
    assert!(refused.is_empty(), "{refused:#?}");
}

#[test]
fn an_image_typst_cannot_use_is_left_out_of_the_pdf_until_it_can() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        format!("{text}\n![A map of the region](/images/map.png)\n\nAfter the map.\n"),
    )
    .unwrap();
    let (_, stderr) = build_ok(site.path());
    assert!(
        stderr.contains("warning: content/briefs/first-brief.md")
            && stderr.contains("images are left out of the PDF"),
        "{stderr}"
    );
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("amapoftheregion"),
        "the alt text stands in: {text}"
    );
    assert!(text.contains("afterthemap"), "{text}");
    // Once the image exists, the PDF is typeset again, with it.
    std::fs::create_dir_all(site.path().join("static/images")).unwrap();
    std::fs::copy(
        fixture("images/map.png"),
        site.path().join("static/images/map.png"),
    )
    .unwrap();
    let (stdout, stderr) = build_ok(site.path());
    assert!(stdout.contains("PDFs: 1 typeset, 0 unchanged"), "{stdout}");
    assert!(!stderr.contains("left out of the PDF"), "{stderr}");
}

/// Punctuation right after a link or an italic title is text, not Typst syntax: a `(` no
/// longer stops the brief's PDF (it called the link), a `;` is no longer lost.
#[test]
fn punctuation_right_after_a_link_stays_in_the_pdf() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        format!("{text}\nSee [the data](https://example.org/data)(2019); [the map](https://example.org/map); *Title*(2020).\n"),
    )
    .unwrap();
    let text = first_brief_pdf_words(site.path());
    assert!(
        text.contains("See the data(2019); the map; Title(2020)."),
        "{text}"
    );
}

#[test]
fn a_failed_build_leaves_no_pdf_cache_behind() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/brief.html"),
        "{{ brief.nope.deeper }}\n",
    )
    .unwrap();
    brief(site.path()).args(["build"]).assert().code(1);
    assert!(!site.path().join(".brief-cache").exists());
}

/// A build killed while typesetting (`kill -9`) leaves its pending folder of PDFs, with a lock
/// no process holds any more: the next build removes it. A folder whose lock is held (another
/// build or serve on the same site, here this test) is left alone.
#[test]
fn a_killed_builds_pending_pdfs_are_swept_by_the_next_build_but_not_a_running_ones() {
    let site = copy_to_temp(&fixture("minimal"));
    let cache = site.path().join(".brief-cache/pdf");
    let killed = cache.join(".pending-4194303-7");
    let running = cache.join(".pending-4194302");
    for dir in [&killed, &running] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("half-typeset.pdf"), "%PDF-").unwrap();
    }
    std::fs::write(killed.join(".brief-lock"), "").unwrap();
    let lock = std::fs::File::create(running.join(".brief-lock")).unwrap();
    lock.lock().unwrap();
    brief(site.path()).args(["build"]).assert().success();
    assert!(!killed.exists(), "the killed build's folder was removed");
    assert!(
        running.join("half-typeset.pdf").exists(),
        "the running build's folder was kept"
    );
    drop(lock);
    let left: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pending"))
        .collect();
    assert_eq!(left, [".pending-4194302"], "and no folder of this build");
}

#[test]
fn citations_references_and_cross_references_are_resolved_in_the_pdf() {
    let (_temp, out) = build_site(&fixture("citations"), &[]);
    let text = pdf_text(&out.join("briefs/citing/citing.pdf"));
    // Notes of the note style, the references list, and no citation left as written.
    assert!(text.contains(&letters("Governing the Commons")), "{text}");
    assert!(text.contains("references"), "{text}");
    assert!(
        text.contains(&letters("Acemoglu, Daron, Suresh Naidu")),
        "{text}"
    );
    assert!(!text.contains("ostrom1990argues"), "{text}");
    // A work's DOI is a live link, in its note as in the references list.
    let links = tool("pdfinfo", &["-url"], &out.join("briefs/citing/citing.pdf"));
    assert!(links.contains("https://doi.org/10.1086/700936"), "{links}");
    let (_temp, out) = build_site(&fixture("features"), &[]);
    let text = pdf_text(&out.join("briefs/figures-brief/figures-brief.pdf"));
    // `(@fig-column); @tbl-ports lists the ports and @fig-port shows one`.
    assert!(
        text.contains("recoveredfigure2table1liststheportsandfigure1showsone"),
        "{text}"
    );
    // The chart is drawn: its axis labels are text of the PDF.
    assert!(text.contains("trade"), "{text}");
}

/// A plain image in the text is not a numbered figure, on the page or in the PDF: the figure
/// after it is "Figure 1" in both, and so is its cross-reference.
#[test]
fn figure_numbers_in_the_pdf_are_the_pages_with_a_plain_image_before() {
    let site = copy_to_temp(&fixture("features"));
    let index = site.path().join("content/briefs/figures-brief/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    let text = text.replacen(
        "+++\n\nTrade fell",
        "+++\n\n![A plain photo of the harbour](port.png)\n\nTrade fell",
        1,
    );
    std::fs::write(&index, text).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    let page = crate::common::read_output(&out, "briefs/figures-brief/index.html");
    assert!(page.contains("A plain photo of the harbour"), "{page}");
    assert!(page.contains("Figure 1"), "{page}");
    let text = pdf_text(&out.join("briefs/figures-brief/figures-brief.pdf"));
    // `(@fig-column); @tbl-ports lists the ports and @fig-port shows one`, as on the page.
    assert!(
        text.contains("recoveredfigure2table1liststheportsandfigure1showsone"),
        "{text}"
    );
    // The captions too: the port is Figure 1, and the last figure is the page's last.
    assert!(text.contains("figure1theportofrajin"), "{text}");
    assert!(page.contains("Figure 8") && !page.contains("Figure 9"));
    assert!(
        text.contains("figure8") && !text.contains("figure9"),
        "{text}"
    );
}

#[test]
fn a_font_that_cannot_be_read_is_an_error_naming_it() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::create_dir_all(site.path().join("pdf/fonts")).unwrap();
    std::fs::write(site.path().join("pdf/fonts/Broken.otf"), b"wOF2 not a font").unwrap();
    let assert = brief(site.path()).args(["build"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("error: pdf/fonts/Broken.otf") && stderr.contains("cannot be read"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing was written");
}

/// Serve with an empty PDF cache: the site is served first, the PDFs typeset after by the
/// background worker, and then the brief's page links its PDF, which is served.
#[test]
fn serve_serves_before_the_pdfs_are_typeset_then_links_them() {
    let mut server = crate::server::Server::start("serve", &[]);
    let done = server.wait_for_line(|l| l.contains("PDFs:") && l.contains("none waiting"));
    assert!(done.contains("typeset"), "{done}");
    let page = server.wait_for_content("/briefs/first-brief/", "Download PDF (");
    assert!(
        page.body.contains("first-brief.pdf"),
        "the page links its PDF:\n{}",
        page.body
    );
    let pdf = server.get("/briefs/first-brief/first-brief.pdf");
    assert_eq!(pdf.status, 200);
    // An edit: its page is rebuilt at once, its PDF typeset again in the background.
    std::fs::write(
        server.path("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief, revised\"\ndate = 2024-05-01\nauthors = [\"ann-lee\"]\n+++\n\nNew text.\n",
    )
    .unwrap();
    server.wait_for_line(|l| l.contains("first-brief.md: incremental rebuild"));
    let again = server.wait_for_line(|l| l.contains("PDFs:") && l.contains("none waiting"));
    assert!(again.contains("PDFs: 1 typeset"), "{again}");
    let (status, lines) = server.stop();
    assert!(status.success());
    // In the order printed: the server was up before any PDF was typeset.
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle));
    let serving = at("Serving ").expect("serving line");
    let first_pdfs = at("PDFs:").expect("PDFs line");
    assert!(serving < first_pdfs, "{lines:#?}");
}

/// A batch of the worker's PDFs is linked by rewriting only the pages of its briefs (and
/// copying their PDFs), never by a full rebuild: the open pages of other briefs are left alone.
#[test]
fn serve_links_a_batch_of_pdfs_by_rewriting_only_the_pages_of_its_briefs() {
    let mut server = crate::server::Server::start("serve", &[]);
    // The startup batches (more than one on a slow machine).
    loop {
        let line = server.wait_for_line(|l| l.contains("PDFs:"));
        assert!(!line.contains("full rebuild"), "{line}");
        if line.contains("none waiting") {
            break;
        }
    }
    let mut events = server.events();
    let file = server.path("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nA new paragraph.\n")).unwrap();
    let line = server.wait_for_line(|l| l.contains("PDFs:") && l.contains("none waiting"));
    assert!(
        line.contains("PDFs: 1 typeset") && line.contains("; 1 page rendered, 2 files changed"),
        "{line}"
    );
    let linked = loop {
        let reload = events.next("reload");
        if reload["paths"].to_string().contains(".pdf") {
            break reload;
        }
    };
    assert_eq!(
        linked["paths"],
        serde_json::json!([
            "briefs/first-brief/first-brief.pdf",
            "briefs/first-brief/index.html"
        ])
    );
    let page = server.get("/briefs/first-brief/");
    assert!(page.body.contains("A new paragraph."), "{}", page.body);
    assert!(page.body.contains("Download PDF ("), "{}", page.body);
}

/// Ctrl-C while the worker typesets: serve stops, keeping what was made, and leaves no
/// pending folder in the cache.
#[test]
fn ctrl_c_during_background_typesetting_leaves_no_pending_folder() {
    let mut server = crate::server::Server::start("serve", &[]);
    // The site folder outlives the server, to be looked at after it stopped.
    let site = std::mem::replace(&mut server.site, tempfile::tempdir().unwrap());
    let (status, _) = server.stop();
    assert!(status.success());
    let cache = site.path().join(".brief-cache/pdf");
    let left: Vec<String> = std::fs::read_dir(&cache)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".pending") || n.contains(".tmp-"))
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_note_in_a_heading_is_typeset_once_and_numbered_as_on_the_page() {
    // Typst copies a heading's text into the contents: a note there was typeset twice and
    // numbered before the body's notes.
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    let front = &text[..text.rfind("+++").unwrap() + 3];
    std::fs::write(
        &md,
        format!(
            "{front}\n\nIntro.\n\n## Background\n\nFirst text.[^a]\n\n## Sanctions[^b]\n\nText after.[^c]\n\n\
             ## Outlook[^b]\n\nMore.\n\n[^a]: Note alpha.\n[^b]: Note beta.\n[^c]: Note gamma.\n"
        ),
    )
    .unwrap();
    let text = first_brief_pdf_words(site.path());
    for note in ["Note alpha.", "Note beta.", "Note gamma."] {
        assert_eq!(text.matches(note).count(), 1, "{note} in {text}");
    }
    // The page's numbers: a 1, b 2 (twice), c 3; the contents list the headings' words only.
    for numbered in ["First text.1", "Sanctions2", "Text after.3", "Outlook2"] {
        assert!(text.contains(numbered), "no {numbered} in {text}");
    }
    for entry in ["Background . .", "Sanctions . .", "Outlook . ."] {
        assert!(text.contains(entry), "no contents entry {entry} in {text}");
    }
}

#[test]
fn a_link_within_the_page_after_a_line_break_or_emphasis_is_typeset() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nLine one.  \n[see the background](#background) for more, and *this*[also](#background).\n\n## Background\n\nText.\n",
    )
    .unwrap();
    let (_, stderr) = build_ok(site.path());
    assert!(!stderr.contains("no PDF was made"), "{stderr}");
    let words = pdf_words(
        &site
            .path()
            .join("public/briefs/first-brief/first-brief.pdf"),
    );
    assert!(
        words.contains("Line one. see the background for more, and thisalso."),
        "{words}"
    );
}

#[test]
fn a_pdfs_figures_are_labelled_and_referred_to_as_on_the_page() {
    let site = copy_to_temp(&fixture("minimal"));
    let bundle = site.path().join("content/briefs/first-brief");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::remove_file(site.path().join("content/briefs/first-brief.md")).unwrap();
    std::fs::write(bundle.join("d.csv"), "annee,valeur\n2020,1200\n2021,1300\n").unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"Les négociations\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nlang = \"fr\"\n+++\n\nComme le montre @fig-a.\n\n```chart\nid = \"fig-a\"\ntype = \"column\"\ndata = \"d.csv\"\nx = \"annee\"\ny = [\"valeur\"]\ntitle = \"Échanges\"\nsource = \"Douanes\"\n```\n",
    )
    .unwrap();
    // The theme's words, `figure_n` of fr.toml ("Figure {n}"), not Typst's ("Fig. 1. –").
    let words = first_brief_pdf_words(site.path());
    assert!(
        words.contains("Comme le montre Figure 1.") && words.contains("Figure 1: Échanges"),
        "{words}"
    );
}

#[test]
fn a_hero_with_a_caption_is_in_the_pdf_beside_numbered_figures() {
    let site = copy_to_temp(&fixture("minimal"));
    let bundle = site.path().join("content/briefs/first-brief");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::remove_file(site.path().join("content/briefs/first-brief.md")).unwrap();
    std::fs::copy(fixture("images/map.png"), bundle.join("map.png")).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"A Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n[hero]\nimage = \"map.png\"\nalt = \"A map\"\ncaption = \"The port at dawn.\"\ncredit = \"Agency\"\n+++\n\nText.\n",
    )
    .unwrap();
    let (_, stderr) = build_ok(site.path());
    assert!(!stderr.contains("not as designed"), "{stderr}");
    let words = first_brief_pdf_words(site.path());
    assert!(words.contains("The port at dawn."), "{words}");
}

/// Russian and Greek sources and French citations' "nᵒ" print in the theme's own fonts. Letters no font has (Georgian
/// here) are named in one warning with their script and where to put a font; a font put in
/// the site's `pdf/fonts/` then prints them, and the warning goes.
#[test]
fn letters_no_pdf_font_has_are_named_and_a_font_in_the_sites_pdf_fonts_prints_them() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        format!("{text}\nКремль и Αθήνα, nᵒ 3, 2ᵉ éd.: Тбилиси is თბილისი.\n"),
    )
    .unwrap();
    let (_, stderr) = build_ok(site.path());
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(
        warnings,
        [
            "warning: content/briefs/first-brief.md: the PDF of this brief is not as designed: \
             it is not PDF/UA-1 (accessible): its fonts have no letters for \"თბილს\" \
             (Georgian), shown as empty boxes: put a font that has them (an .otf or .ttf \
             file, e.g. one of the Noto fonts) in the site's pdf/fonts/ folder"
        ],
        "{stderr}"
    );
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    assert!(
        pdf_words(&pdf).contains("Кремль и Αθήνα, nᵒ 3, 2ᵉ éd.: Тбилиси is"),
        "the PDF's text"
    );

    // Debian's fonts-dejavu-core (scripts/test installs it) has Georgian letters.
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    let fonts = site.path().join("pdf/fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(dejavu, fonts.join("DejaVuSans.ttf"))
        .expect("fonts-dejavu-core is needed (apt-get install fonts-dejavu-core)");
    let (stdout, stderr) = build_ok(site.path());
    assert!(stdout.contains("PDFs: 1 typeset"), "{stdout}");
    assert!(!stderr.contains("PDF"), "{stderr}");
    assert!(
        pdf_words(&pdf).contains("Тбилиси is თბილისი."),
        "{}",
        pdf_words(&pdf)
    );
}

/// A body's image is a URL, its file's name percent-encoded (`map%20%232.png` for
/// `map #2.png`): the PDF reads the file by its name, as the page does.
#[test]
fn a_body_image_with_an_encoded_name_is_in_the_pdf() {
    let site = copy_to_temp(&fixture("minimal"));
    let folder = site.path().join("content/briefs/first-brief");
    std::fs::create_dir_all(&folder).unwrap();
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::remove_file(&md).unwrap();
    std::fs::write(
        folder.join("index.md"),
        format!("{text}\n![A map](map%20%232.png)\n"),
    )
    .unwrap();
    let pixels = image::RgbImage::from_pixel(80, 50, image::Rgb([0, 90, 200]));
    pixels.save(folder.join("map #2.png")).unwrap();
    let (_, stderr) = build_ok(site.path());
    assert!(!stderr.contains("PDF"), "{stderr}");
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    let images = tool("pdfimages", &["-list"], &pdf);
    assert_eq!(images.lines().count(), 3, "one image: {images}");
}

/// The number of pages of a PDF, as pdfinfo reads it.
fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo names the number of pages")
}

#[test]
fn the_cite_as_block_never_stands_alone_on_the_last_page() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    let paragraph = "The alliance between Moscow and Pyongyang deepens as both seek arms, money \
                     and cover at the United Nations, and each sentence adds a line.";
    let pages_with = |n: usize| {
        let body = vec![paragraph; n].join("\n\n");
        std::fs::write(
            &md,
            format!("+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n{body}\n"),
        )
        .unwrap();
        build_ok(site.path());
        page_count(&pdf)
    };
    // The fewest paragraphs that make a second page: there the last thing that did not fit
    // went over, which is the "Cite as" block unless it is kept with what comes before it.
    let (mut fits, mut over) = (1, 40);
    assert_eq!(pages_with(fits), 1);
    assert!(pages_with(over) > 1, "{over} paragraphs should fill a page");
    while over - fits > 1 {
        let mid = (fits + over) / 2;
        if pages_with(mid) == 1 {
            fits = mid;
        } else {
            over = mid;
        }
    }
    assert_eq!(pages_with(over), 2);
    let last_page = Process::new("pdftotext")
        .args(["-f", "2", "-l", "2", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let last_page = String::from_utf8_lossy(&last_page.stdout);
    let last_page = last_page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        last_page.contains("Jane writes briefs.") && last_page.contains("Cite as"),
        "the last page holds only: {last_page}"
    );
}

#[test]
fn headings_that_skip_a_level_keep_the_pdf_ua_and_their_nesting() {
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    // As imported archives have them: a body opening with `####`, then `##` to `#####`.
    std::fs::write(
        &md,
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n#### Opening\n\nText.\n\n## Context\n\nMore.\n\n#### Detail\n\nLast.\n\n##### Finer\n\nFine.\n\n#### Sibling\n\nEnd.\n",
    )
    .unwrap();
    let (stdout, stderr) = build_ok(site.path());
    assert!(stdout.contains("PDFs: 1 typeset"), "{stdout}");
    assert!(!stderr.contains("PDF/UA"), "{stderr}");
    let pdf = site
        .path()
        .join("public/briefs/first-brief/first-brief.pdf");
    // The bookmarks, as poppler nests them: "Sibling" is Detail's sibling, not Finer's.
    let xml = tool("pdftohtml", &["-xml", "-stdout", "-i", "-q"], &pdf);
    let outline: String = xml
        .lines()
        .filter(|l| l.contains("<outline") || l.contains("</outline") || l.contains("<item"))
        .map(|l| {
            if l.contains("<item") {
                let title = l
                    .split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("");
                format!("{title};")
            } else if l.contains("</outline") {
                ")".to_string()
            } else {
                "(".to_string()
            }
        })
        .collect();
    assert!(
        outline.contains("Opening;Context;(Detail;(Finer;)Sibling;)"),
        "{outline}\n{xml}"
    );
}

#[test]
fn editors_comments_are_not_in_the_pdf() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nkey_takeaways = [\"Kept <!-- SECRET-3 -->takeaway.\"]\n+++\n\nOpening <!-- SECRET-1 --> words.\n\n> quote <!-- note\n> SECRET-2 legal says no -->text\n\nClosing words.\n",
    )
    .unwrap();
    let text = first_brief_pdf_words(site.path());
    assert!(!text.contains("SECRET"), "{text}");
    for kept in [
        "Opening words.",
        "quote text",
        "Closing words.",
        "Kept takeaway.",
    ] {
        assert!(text.contains(kept), "{kept} missing from {text}");
    }
}
