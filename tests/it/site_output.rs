//! Whole sites built end to end: the example site at the repository root and the `features`
//! fixture (sub-path base_url, bundle, notes, nested TOC, drafts, overrides).

use std::path::Path;

use crate::common::{Site, built, read_output as read};

fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"))
}

const PANDA: &str = "briefs/what-putin-and-kim-want-from-each-other/index.html";

#[test]
fn example_brief_page_has_every_part_in_reading_order() {
    let out = built(Site::Example, false);
    let page = read(out, PANDA);
    let order = [
        "Nuclear Policy Program",                                          // kicker
        "<h1",                                                             // title
        r#"<a href="/authors/ankit-panda/" rel="author">Ankit Panda</a>"#, // byline
        r#"<time datetime="2023-09-15">September 15, 2023</time>"#,
        "Key takeaways",
        r#"<nav class="toc""#,
        "After more than three years", // body
        "About the author",
        "Ankit Panda is the Stanton senior fellow", // bio
    ];
    let mut last = 0;
    for part in order {
        let at = position(&page, part);
        assert!(at >= last, "`{part}` is out of order");
        last = at;
    }
    assert_eq!(
        page.matches(r#"<aside class="pull-quote" aria-hidden="true">"#)
            .count(),
        3
    );
    assert!(
        !page.contains("<img"),
        "no photo was given, so no (broken) image"
    );
    assert!(
        !page.contains("Mikhail Metzel") && !page.contains("<figure"),
        "a caption and credit without a photo show no figure"
    );
    assert!(!page.contains("Deja una respuesta"));
    assert!(page.contains(r##"<a href="#why-russia-not-china">Why Russia, Not China</a>"##));
    assert!(page.contains(r#"<h3 id="why-russia-not-china">"#));
}

#[test]
fn example_brief_credits_foreign_policy_where_it_first_appeared() {
    let out = built(Site::Example, false);
    let page = read(out, PANDA);
    let original = "https://foreignpolicy.com/?s=What+Putin+and+Kim+Want+From+Each+Other";
    let escaped = original.replace('&', "&amp;");
    assert!(page.contains(&format!(r#"<link rel="canonical" href="{escaped}">"#)));
    assert!(page.contains(&format!(r#"<meta property="og:url" content="{escaped}">"#)));
    assert!(page.contains(&format!(
        r#"Originally published in <a href="{escaped}">Foreign Policy</a>."#
    )));
    assert!(
        page.contains("<i>Foreign Policy</i>, September 15, 2023."),
        "Chicago"
    );
    assert!(page.contains("(2023, September 15). What Putin"), "APA");
    assert!(
        !page.contains("Brief Example Institute, September 15, 2023"),
        "the example institute is not the publisher of a Foreign Policy article"
    );
    assert!(
        page.contains("were added by the editors of this example"),
        "the brief says what the example's editors added"
    );
    assert!(
        !page.contains("Getty Images"),
        "no credit for a photo that is not there"
    );
    // The site leaves `citation_files` off: the download links carry the files.
    let bib = download(&page, "what-putin-and-kim-want-from-each-other.bib");
    assert!(bib.starts_with("@article{panda2023what,\n"), "{bib}");
    assert!(bib.contains("journal = {Foreign Policy},"), "{bib}");
    let ris = download(&page, "what-putin-and-kim-want-from-each-other.ris");
    assert!(ris.starts_with("TY  - MGZN\r\n"), "{ris}");
    assert!(ris.contains("T2  - Foreign Policy\r\n"), "{ris}");
    assert!(!ris.contains("Brief Example Institute"), "{ris}");
    let folder = out.join("briefs/what-putin-and-kim-want-from-each-other");
    for file in [
        "what-putin-and-kim-want-from-each-other.bib",
        "what-putin-and-kim-want-from-each-other.ris",
    ] {
        assert!(
            !folder.join(file).exists(),
            "{file} is written, though citation_files is off"
        );
    }
}

/// The file a page's download link named `file` holds in its `data:` address, decoded.
fn download(page: &str, file: &str) -> String {
    let link = page
        .split("<a href=\"")
        .find_map(|a| a.split_once(&format!("\" download=\"{file}\"")))
        .unwrap_or_else(|| panic!("no download link for {file}"))
        .0;
    let (kind, data) = link
        .split_once(";charset=utf-8,")
        .unwrap_or_else(|| panic!("not a data: address: {link}"));
    assert!(kind.starts_with("data:application/x-"), "{kind}");
    percent_encoding::percent_decode_str(data)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

#[test]
fn example_site_writes_every_page_and_nothing_under_content() {
    let out = built(Site::Example, false);
    for path in [
        "index.html",
        "404.html",
        "style.css",
        PANDA,
        "briefs/sanctions-enforcement-after-the-summit/index.html",
        "authors/ankit-panda/index.html",
        "authors/maria-ortega/index.html",
        "about/index.html",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
    let home = read(out, "index.html");
    assert!(
        position(&home, "Sanctions Enforcement") < position(&home, "What Putin and Kim Want"),
        "newest first"
    );
    let author = read(out, "authors/ankit-panda/index.html");
    assert!(author.contains("What Putin and Kim Want From Each Other"));
    assert!(
        !author.contains("Sanctions Enforcement After"),
        "only the author's own briefs"
    );
}

#[test]
fn sub_path_base_url_prefixes_every_link_and_asset() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, "briefs/bundle-brief/index.html");
    assert!(page.contains(r#"href="/repo/style.css""#));
    assert!(page.contains(
        r#"<img src="/repo/briefs/bundle-brief/hero.svg" alt="A diagram of the engine""#
    ));
    assert!(page.contains(r#"href="/repo/authors/ada-lovelace/""#));
    assert!(
        page.contains(r#"src="/repo/images/ada.svg""#),
        "author photo from static/"
    );
    assert!(page.contains(
        r#"<link rel="canonical" href="https://user.example.io/repo/briefs/bundle-brief/">"#
    ));
    for (path, _) in walk(out) {
        if path.ends_with(".html") {
            let html = read(out, &path);
            for attr in ["href=\"", "src=\""] {
                for (i, _) in html.match_indices(attr) {
                    let value = &html[i + attr.len()..];
                    if value.starts_with('/') {
                        assert!(
                            value.starts_with("/repo/"),
                            "{path}: {}",
                            &value[..40.min(value.len())]
                        );
                    }
                }
            }
        }
    }
    assert!(
        out.join("briefs/bundle-brief/hero.svg").is_file(),
        "bundle files are copied"
    );
    assert!(out.join("images/ada.svg").is_file() && out.join("robots-test.txt").is_file());
}

#[test]
fn notes_are_numbered_with_a_back_link_per_reference() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, "briefs/bundle-brief/index.html");
    assert!(page.contains(
        r##"<sup class="note-ref" id="ref-1"><a href="#note-1" aria-label="Note 1">1</a></sup>"##
    ));
    assert!(page.contains(
        r##"<sup class="note-ref" id="ref-1-2"><a href="#note-1" aria-label="Note 1">1</a></sup>"##
    ));
    assert!(page.contains(r##"<a href="#note-2" aria-label="Note 2">2</a>"##));
    assert!(page.contains(r#"id="note-1""#) && page.contains(r#"id="note-2""#));
    assert!(page.contains(r##"href="#ref-1""##) && page.contains(r##"href="#ref-1-2""##));
    assert!(page.contains("First note, with a"));
}

#[test]
fn toc_nests_skips_deep_levels_and_numbers_repeated_headings() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, "briefs/bundle-brief/index.html");
    let toc = &page[position(&page, r#"<nav class="toc""#)..];
    let toc = &toc[..position(toc, "</nav>")];
    let order = [
        "#background\"",
        "#sub-section\"",
        "#background-1\"",
        "#custom-id\"",
    ];
    let mut last = 0;
    for id in order {
        let at = position(toc, id);
        assert!(at > last, "{id} out of order");
        last = at;
    }
    assert!(!toc.contains("deep-detail"), "h4 is below toc_depth = 3");
    assert!(!toc.contains("<li></li>") && !toc.contains("<ol></ol>"));
    assert!(
        page.contains(r#"<h4 id="deep-detail">"#),
        "every heading still gets an id"
    );

    let short = read(out, "briefs/short-note/index.html");
    assert!(
        !short.contains(r#"class="toc""#),
        "one heading: no table of contents"
    );
    let forced_off = read(out, "briefs/same-day-b/index.html");
    assert!(!forced_off.contains(r#"class="toc""#), "toc = false");
}

#[test]
fn pull_quotes_follow_the_paragraph_after_theirs_and_are_hidden_from_screen_readers() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, "briefs/bundle-brief/index.html");
    let quote = position(
        &page,
        "<aside class=\"pull-quote\" aria-hidden=\"true\"><p>analytical engine",
    );
    // A little away from the sentence it repeats: after the next paragraph.
    assert!(position(&page, "Text under a skipped level") < quote);
    assert!(quote < position(&page, r#"<h3 id="sub-section">"#));
    let list_quote = position(
        &page,
        "<aside class=\"pull-quote\" aria-hidden=\"true\"><p>Second quote",
    );
    assert!(
        position(&page, "</ul>") < list_quote,
        "a quote from a list follows the list"
    );
}

#[test]
fn content_is_escaped_and_drafts_are_left_out() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, "briefs/bundle-brief/index.html");
    assert!(
        page.contains("A Bundle Brief &lt;with&gt;"),
        "title is escaped"
    );
    assert!(!page.contains("<with>"));
    assert!(page.contains("Photo: Example Archive"));
    assert!(
        page.contains("The engine, <em>drawn</em> in 1843."),
        "caption is inline Markdown"
    );
    assert!(!out.join("briefs/unfinished").exists());
    let home = read(out, "index.html");
    assert!(!home.contains("An Unfinished Draft"));
    let order = [">A Bundle Brief", ">Same Day B<", ">A Short Note<"];
    let mut last = 0;
    for title in order {
        let at = position(&home, title);
        assert!(at > last, "{title}: newest first, then by slug");
        last = at;
    }
    let with_drafts = built(Site::Fixture("features"), true);
    assert!(with_drafts.join("briefs/unfinished/index.html").is_file());
}

#[test]
fn site_templates_override_the_theme() {
    let out = built(Site::Fixture("features"), false);
    assert!(read(out, "404.html").contains("the site's own 404 override"));
    assert!(read(out, "contact/index.html").contains("Write to us."));
}

/// Every file below `dir`, as (site-relative path, size).
fn walk(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.metadata().unwrap().len())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn links_in_the_footer_and_front_matter_follow_the_base_path() {
    // Written for a domain root and with `@/` paths, as a body's links are; published under
    // a sub-path.
    let site = crate::common::copy_to_temp(&crate::common::fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}footer = \"© Institute · [Contact](/contact/)\"\ndisclaimer = \"See [our method](@/briefs/first-brief.md#method).\"\n"),
    )
    .unwrap();
    let brief = site.path().join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&brief).unwrap().replacen(
        "authors = [\"jane-doe\"]\n",
        "authors = [\"jane-doe\"]\nkey_takeaways = [\"See [the brief](@/briefs/first-brief.md) and [us](/about/).\"]\nrecommendations = [\"Read [this](https://example.com/x).\"]\n",
        1,
    );
    std::fs::write(&brief, text).unwrap();
    let (_t, out) = crate::common::build_site(
        site.path(),
        &["--no-pdf", "--base-url", "https://example.org/think/"],
    );
    let page = read(&out, "briefs/first-brief/index.html");
    for link in [
        r#"<a href="/think/contact/">Contact</a>"#,
        r#"<a href="/think/briefs/first-brief/#method">our method</a>"#,
        r#"<a href="/think/briefs/first-brief/">the brief</a> and <a href="/think/about/">us</a>"#,
        r#"<a href="https://example.com/x">this</a>"#,
    ] {
        assert!(page.contains(link), "no {link} in\n{page}");
    }
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<a href="/think/contact/">Contact</a>"#));
}

#[test]
fn the_home_page_names_the_most_used_topics_and_links_to_all_of_them() {
    let site = crate::editorial::site_with(&[]);
    // 14 topics: "Topic 01" on one brief, "Topic 02" on two, … "Topic 14" on fourteen.
    for n in 1..=14 {
        let topics: Vec<String> = (n..=14).map(|t| format!("\"Topic {t:02}\"")).collect();
        std::fs::write(
            site.path().join(format!("content/briefs/brief-{n}.md")),
            format!(
                "+++\ntitle = \"Brief {n}\"\ndate = 2024-01-{n:02}\nauthors = [\"jane-doe\"]\ntopics = [{}]\n+++\n\nText.\n",
                topics.join(", ")
            ),
        )
        .unwrap();
    }
    let (_temp, out) = crate::common::build_site(site.path(), &["--no-pdf"]);
    let home = crate::common::read_output(&out, "index.html");
    let sidebar = &home[home.find("class=\"home-terms\"").expect("the topics")..];
    let named: Vec<&str> = sidebar
        .split("\">Topic ")
        .skip(1)
        .map(|s| &s[..2])
        .collect();
    assert_eq!(
        named,
        [
            "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14"
        ],
        "the twelve most used, in name order"
    );
    assert!(
        sidebar.contains("<a href=\"/topics/\">All 14 topics →</a>"),
        "{sidebar}"
    );
}
