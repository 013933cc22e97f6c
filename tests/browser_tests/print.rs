//! Printing a brief: headless Chromium's `--print-to-pdf` of a features-fixture brief, read
//! back with pdftotext. The first page carries the masthead, the title block, the byline, the
//! date and the "Cite as" line with the URL once; later pages carry the running title and every
//! page its number; the document has the takeaways, the notes and the bios, and none of the
//! navigation, share buttons, pull quotes or site footer.

use std::path::Path;
use std::process::Command;

use crate::a11y::build_and_serve;
use crate::browser::chromium_or_skip;
use crate::common::{copy_to_temp, fixture};

/// The PDF's text, from `first` to `last` page (0 = to the end).
fn pdf_text(pdf: &Path, first: u32, last: u32) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-layout", "-f", &first.to_string()]);
    if last > 0 {
        cmd.args(["-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Layout mode keeps columns; collapse runs of spaces so that phrases can be matched.
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_printed_brief_is_a_clean_document_with_the_citation_on_page_one() {
    let test = "a_printed_brief_is_a_clean_document_with_the_citation_on_page_one";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("{test}: pdftotext is required in CI (apt-get install -y poppler-utils)");
        }
        eprintln!("SKIPPED {test}: no pdftotext (apt-get install -y poppler-utils)");
        return;
    }
    let site = build_and_serve(&fixture("features"));
    let url = format!("{}briefs/bundle-brief/", site.url);
    let work = tempfile::tempdir().unwrap();
    let pdf = print(&chromium, &url, work.path());

    let first = pdf_text(&pdf, 1, 1);
    for expected in [
        "A Bundle Brief <with> \"Quotes\"",
        "By Ada Lovelace and Charles de Gaulle",
        "March 1, 2024",
        "Cite as: Lovelace, Ada, and Charles de Gaulle.",
        &url,
    ] {
        assert!(
            first.contains(expected),
            "page 1 lacks {expected:?}:\n{first}"
        );
    }
    let all = pdf_text(&pdf, 1, 0);
    // Section headings are set in small capitals (text-transform), which pdftotext keeps.
    let lower = all.to_lowercase();
    for expected in [
        "key takeaways",
        "first takeaway.",
        "notes 1. first note",
        "about the authors",
        "ada writes about engines",
    ] {
        assert!(
            lower.contains(expected),
            "the PDF lacks {expected:?}:\n{all}"
        );
    }
    for absent in [
        "skip to main content",
        "copy link",
        "linkedin",
        "bluesky",
        "download bibtex",
        "contents",
        "share",
    ] {
        assert!(!lower.contains(absent), "the PDF shows {absent:?}:\n{all}");
    }
    // Pull quotes would repeat the text on paper: their words show once, in the text.
    assert_eq!(
        all.matches("Second quote sits in a list item").count(),
        1,
        "{all}"
    );
    // The URL once in "Cite as": the citation names the DOI, so the page's address follows it.
    assert_eq!(first.matches(url.as_str()).count(), 1, "{first}");
    // The masthead: the institute's name above the title.
    assert!(
        first.find("Features & Fixtures Institute").unwrap()
            < first.find("A Bundle Brief").unwrap(),
        "{first}"
    );
    // Page numbers ("1 / 2") on every page; the running title on the pages after the first.
    let pages = page_count(&pdf);
    assert!(pages >= 2, "{pages} pages");
    let numbered = |text: &str, n: u32| text.replace(" / ", "/").contains(&format!("{n}/{pages}"));
    assert!(numbered(&first, 1), "{first}");
    let second = pdf_text(&pdf, 2, 2);
    assert!(numbered(&second, 2), "{second}");
    assert!(
        second.contains("A Bundle Brief <with> \"Quotes\""),
        "no running title: {second}"
    );
    // The site footer is not printed (it would stand alone on a last page).
    assert!(
        !all.contains("A fixture site that uses every feature."),
        "{all}"
    );
}

/// Chromium's print of the page at `url`, as `work/brief.pdf`.
fn print(chromium: &Path, url: &str, work: &Path) -> std::path::PathBuf {
    let pdf = work.join("brief.pdf");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        pdf.is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    pdf
}

/// A table wider than the text column scrolls on screen; paper cannot scroll, so its every
/// column is printed (it lost its last two, and printed a scrollbar).
#[test]
fn a_printed_wide_table_keeps_every_column() {
    let test = "a_printed_wide_table_keeps_every_column";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let site = copy_to_temp(&fixture("minimal"));
    let md = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        format!(
            "{text}\n| Date | Vessel | Flag | Built | DWT | Location | Incident | Insurer of record | Outcome |\n\
             |---|---|---|---|---:|---|---|---|---|\n\
             | 2023-05-14 | Pablo | Gabon | 1997 | 105,000 | Off Johor, Malaysia | Explosion and fire after a transfer | None found | Total loss; three crew missing |\n"
        ),
    )
    .unwrap();
    let served = build_and_serve(site.path());
    let work = tempfile::tempdir().unwrap();
    let pdf = print(
        &chromium,
        &format!("{}briefs/first-brief/", served.url),
        work.path(),
    );
    let all = pdf_text(&pdf, 1, 0);
    for cell in ["Gabon", "105,000", "Insurer", "Outcome", "Total"] {
        assert!(all.contains(cell), "the print lacks {cell:?}:\n{all}");
    }
}

/// The number of pages of a PDF, from pdfinfo.
fn page_count(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}
