//! The README's examples stay true: each front-matter and config example parses with the same
//! strict types the build uses, so a renamed or removed key shows up here.

use std::path::Path;

use brief::config::Config;
use brief::content::{author, brief as brief_fm, page};

/// The first ```toml block after `heading` in the README; for a content file, only its front
/// matter (between the `+++` lines).
fn readme_toml(heading: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find(heading).unwrap_or_else(|| panic!("{heading}"))..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + section[start..].find("```").unwrap();
    let block = &section[start..end];
    match block.split("+++\n").collect::<Vec<_>>().as_slice() {
        [_, front, ..] => front.to_string(),
        _ => block.to_string(),
    }
}

#[test]
fn readme_config_example_is_a_valid_config() {
    let config = Config::parse(&readme_toml("### config.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.base_url.as_str(), "https://example.org/");
}

#[test]
fn readme_brief_example_uses_only_valid_keys() {
    let front: brief_fm::FrontMatter =
        toml::from_str(&readme_toml("### A brief")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(front.title, "What Putin and Kim Want From Each Other");
    assert!(front.hero.is_some());
}

#[test]
fn readme_author_and_page_examples_use_only_valid_keys() {
    let author: author::FrontMatter =
        toml::from_str(&readme_toml("### An author")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(author.name, "Ankit Panda");
    let page: page::FrontMatter =
        toml::from_str(&readme_toml("### A page")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.title, "About");
}

/// The text between `open` and the next `close` after `heading` in docs/figures.md.
fn figures_doc_block(open: &str, close: &str) -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/figures.md"))
            .unwrap();
    let start = doc.find(open).unwrap_or_else(|| panic!("{open}")) + open.len();
    let end = start + doc[start..].find(close).unwrap();
    doc[start..end].to_string()
}

/// The first ```<lang> block of docs/citations.md.
fn citations_doc_block(lang: &str) -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/citations.md"))
            .unwrap();
    let fence = format!("```{lang}\n");
    let start = doc
        .find(&fence)
        .unwrap_or_else(|| panic!("no {lang} block"))
        + fence.len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

#[test]
fn figures_doc_example_builds_with_every_kind_of_figure() {
    let body = figures_doc_block("````markdown\n", "````\n");
    let csv = figures_doc_block("```csv\n", "```\n");
    let front = "+++\ntitle = \"Trade\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n";
    let site = crate::editorial::site_with(&[
        ("content/briefs/trade/index.md", &format!("{front}{body}")),
        ("content/briefs/trade/trade.csv", &csv),
    ]);
    std::fs::copy(
        crate::common::fixture("images/map.png"),
        site.path().join("content/briefs/trade/bridge.png"),
    )
    .unwrap();
    let output = crate::common::brief(site.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
    let (_temp, out) = crate::common::build_site(site.path(), &[]);
    let page = crate::common::read_output(&out, "briefs/trade/index.html");
    for expected in [
        "<a class=\"xref\" href=\"#fig-trade\">Figure 2</a>",
        "<a class=\"xref\" href=\"#tbl-ports\">Table 1</a>",
        "<figure class=\"figure figure-image\" id=\"fig-bridge\">",
        "srcset=\"bridge-480.webp 480w, bridge.webp 600w\"",
        "<svg class=\"chart chart-column\"",
        "<figure class=\"figure figure-embed\" id=\"fig-map\">",
    ] {
        assert!(page.contains(expected), "no {expected} in {page}");
    }
}

#[test]
fn citations_doc_examples_cite_the_doc_bibliography_without_error() {
    let library = brief::bibliography::parse(&citations_doc_block("bibtex"), Path::new("refs.bib"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let site = brief::bibliography::Citations::default();
    let works = brief::bibliography::Works {
        site: &site,
        own: library,
        nocite: Vec::new(),
        language: "en".into(),
    };
    let settings = brief::markdown::RenderSettings {
        toc_depth: 3,
        pull_quotes: &[],
        links: &Default::default(),
        id_prefix: "",
        markup: &Default::default(),
        figures: Default::default(),
    };
    let rendered =
        brief::markdown::render_cited(&citations_doc_block("markdown"), &settings, Some(&works));
    assert!(
        rendered.citations.unknown.is_empty(),
        "{:?}",
        rendered.citations.unknown
    );
    assert_eq!(
        rendered.citations.cited,
        ["ostrom1990", "acemoglu2019", "un2015"]
    );
    // Chicago notes: every citation a note, the works listed.
    assert_eq!(rendered.notes.len(), 5);
    assert_eq!(rendered.citations.references.len(), 3);
}
