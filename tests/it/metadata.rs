//! Metadata in the head of each page: title, description, canonical link, Open Graph and X
//! cards, JSON-LD (parsed as JSON), and Google Scholar's `citation_*` tags.

use serde_json::Value;

use crate::common::{Site, build_site as build, built, copy_to_temp, fixture, read_output as read};

const BASE: &str = "https://user.example.io/repo/";
const BUNDLE: &str = "briefs/bundle-brief/index.html";

/// The parsed JSON-LD of a page; there must be exactly one.
fn json_ld(page: &str) -> Value {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    assert_eq!(page.matches(OPEN).count(), 1, "one JSON-LD script");
    let start = page.find(OPEN).unwrap() + OPEN.len();
    let len = page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..start + len])
        .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{}", &page[start..start + len]))
}

/// The `content` of every `<meta {attr}="{name}">`, unescaped, in page order.
fn meta(page: &str, attr: &str, name: &str) -> Vec<String> {
    let open = format!(r#"<meta {attr}="{name}" content=""#);
    page.match_indices(&open)
        .map(|(at, _)| {
            let rest = &page[at + open.len()..];
            let value = &rest[..rest.find('"').unwrap()];
            value
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

fn one(page: &str, attr: &str, name: &str) -> String {
    let values = meta(page, attr, name);
    assert_eq!(values.len(), 1, "one <meta {attr}=\"{name}\">: {values:?}");
    values[0].clone()
}

/// The features fixture in a temporary folder with one more brief, `extra.md`.
fn features_with(brief_text: &str) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("features"));
    std::fs::write(site.path().join("content/briefs/extra.md"), brief_text).unwrap();
    site
}

#[test]
fn brief_json_ld_has_authors_publisher_image_series_and_doi() {
    let out = built(Site::Fixture("features"), false);
    let ld = json_ld(&read(out, BUNDLE));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "ScholarlyArticle", "it has a DOI");
    assert_eq!(ld["identifier"]["value"], "10.5555/features.2024.7");
    assert_eq!(ld["reportNumber"], "TR-7");
    assert_eq!(
        ld["encoding"]["contentUrl"],
        format!("{BASE}briefs/bundle-brief/brief.pdf")
    );
    assert_eq!(ld["headline"], r#"A Bundle Brief <with> "Quotes""#);
    assert_eq!(ld["url"], format!("{BASE}briefs/bundle-brief/"));
    assert_eq!(
        ld["description"],
        "Summary given in front matter & escaped."
    );
    assert_eq!(ld["datePublished"], "2024-03-01");
    assert_eq!(ld["dateModified"], "2024-03-10");
    let ada = &ld["author"][0];
    assert_eq!(ada["@type"], "Person");
    assert_eq!(ada["name"], "Ada Lovelace");
    assert_eq!(ada["url"], format!("{BASE}authors/ada-lovelace/"));
    assert_eq!(ada["affiliation"]["name"], "Analytical Engine Institute");
    let same_as = ada["sameAs"].as_array().unwrap();
    assert!(
        same_as.contains(&"https://orcid.org/0000-0002-1825-0097".into()),
        "{same_as:?}"
    );
    assert!(
        !same_as
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("mailto:"))
    );
    assert_eq!(ld["author"][1]["name"], "Charles de Gaulle");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Features & Fixtures Institute");
    assert_eq!(ld["publisher"]["url"], BASE);
    assert_eq!(
        ld["image"]["url"],
        format!("{BASE}briefs/bundle-brief/hero.svg")
    );
    assert_eq!(ld["image"]["creditText"], "Photo: Example Archive");
    assert_eq!(ld["isPartOf"]["@type"], "CreativeWorkSeries");
    assert_eq!(ld["isPartOf"]["name"], "Engines");
    assert_eq!(
        ld["keywords"],
        serde_json::json!(["Arms Control", "Sanctions"])
    );
    let plain = json_ld(&read(out, "briefs/short-note/index.html"));
    assert_eq!(plain["@type"], "Report", "no DOI");
    assert!(plain.get("image").is_none() && plain.get("identifier").is_none());
}

#[test]
fn home_is_a_website_author_pages_a_person_and_plain_pages_a_web_page() {
    let out = built(Site::Fixture("features"), false);
    let home = json_ld(&read(out, "index.html"));
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(home["name"], "Features & Fixtures Institute");
    assert_eq!(home["url"], BASE);
    let ada = json_ld(&read(out, "authors/ada-lovelace/index.html"));
    assert_eq!(ada["@type"], "Person");
    assert_eq!(ada["@context"], "https://schema.org");
    assert_eq!(ada["jobTitle"], "Senior Fellow");
    assert_eq!(ada["image"], format!("{BASE}images/ada.svg"));
    let contact = json_ld(&read(out, "contact/index.html"));
    assert_eq!(contact["@type"], "WebPage");
    assert_eq!(contact["name"], "Contact");
}

#[test]
fn a_brief_without_text_or_summary_is_described_by_the_site() {
    let site = features_with(
        "+++\ntitle = 'Placeholder'\ndate = 2024-05-01\nauthors = [\"ada-lovelace\"]\n+++\n",
    );
    let (_t, out) = build(site.path(), &["--no-pdf"]);
    let page = read(&out, "briefs/extra/index.html");
    let site_description = "A fixture site that uses every feature.";
    assert_eq!(one(&page, "name", "description"), site_description);
    assert_eq!(one(&page, "property", "og:description"), site_description);
    assert_eq!(one(&page, "name", "twitter:description"), site_description);
}

#[test]
fn a_title_with_a_script_end_tag_cannot_break_out_of_the_json_ld() {
    let title = r#"Oops </script><script>alert("x")</script> & <!-- more"#;
    let site = features_with(&format!(
        "+++\ntitle = '{title}'\ndate = 2024-05-01\nauthors = [\"ada-lovelace\"]\n+++\n\nText.\n"
    ));
    let (_t, out) = build(site.path(), &[]);
    let page = read(&out, "briefs/extra/index.html");
    assert!(
        !page.contains("<script>alert"),
        "no live script from the title"
    );
    assert_eq!(
        page.matches("</script>").count(),
        page.matches("<script").count(),
        "every end tag closes a script the theme opened"
    );
    assert_eq!(json_ld(&page)["headline"], title);
}

#[test]
fn brief_has_open_graph_and_x_card_tags_with_absolute_image() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, BUNDLE);
    let image = format!("{BASE}briefs/bundle-brief/hero.svg");
    assert_eq!(one(&page, "property", "og:type"), "article");
    assert_eq!(
        one(&page, "property", "og:title"),
        r#"A Bundle Brief <with> "Quotes""#
    );
    assert_eq!(
        one(&page, "property", "og:description"),
        "Summary given in front matter & escaped."
    );
    assert_eq!(
        one(&page, "property", "og:url"),
        format!("{BASE}briefs/bundle-brief/")
    );
    assert_eq!(one(&page, "property", "og:image"), image);
    assert_eq!(
        one(&page, "property", "og:image:alt"),
        "A diagram of the engine"
    );
    assert_eq!(
        one(&page, "property", "article:published_time"),
        "2024-03-01"
    );
    assert_eq!(
        one(&page, "property", "article:modified_time"),
        "2024-03-10"
    );
    assert_eq!(
        meta(&page, "property", "article:author"),
        [
            format!("{BASE}authors/ada-lovelace/"),
            format!("{BASE}authors/charles-de-gaulle/")
        ]
    );
    assert_eq!(
        meta(&page, "property", "article:tag"),
        ["Arms Control", "Sanctions"]
    );
    assert_eq!(one(&page, "name", "twitter:card"), "summary_large_image");
    assert_eq!(one(&page, "name", "twitter:image"), image);
    assert_eq!(
        one(&page, "name", "twitter:title"),
        r#"A Bundle Brief <with> "Quotes""#
    );
    assert_eq!(
        one(&page, "name", "description"),
        "Summary given in front matter & escaped."
    );
    assert!(page.contains(&format!(
        r#"<link rel="canonical" href="{BASE}briefs/bundle-brief/">"#
    )));
    // A brief without a hero gets the small card and no image.
    let short = read(out, "briefs/short-note/index.html");
    assert_eq!(one(&short, "name", "twitter:card"), "summary");
    assert!(meta(&short, "property", "og:image").is_empty());
}

#[test]
fn other_pages_have_open_graph_tags_of_their_own() {
    let out = built(Site::Fixture("features"), false);
    let ada = read(out, "authors/ada-lovelace/index.html");
    assert_eq!(one(&ada, "property", "og:type"), "profile");
    assert_eq!(one(&ada, "property", "og:title"), "Ada Lovelace");
    assert_eq!(
        one(&ada, "property", "og:image"),
        format!("{BASE}images/ada.svg")
    );
    assert_eq!(
        one(&ada, "name", "description"),
        "Ada Lovelace, Senior Fellow, Analytical Engine Institute"
    );
    let home = read(out, "index.html");
    assert_eq!(one(&home, "property", "og:type"), "website");
    assert_eq!(one(&home, "property", "og:url"), BASE);
    assert_eq!(one(&home, "name", "twitter:card"), "summary");
    let contact = read(out, "contact/index.html");
    assert_eq!(one(&contact, "property", "og:title"), "Contact");
}

#[test]
fn open_graph_names_the_pages_locale_and_a_briefs_translations() {
    let out = built(Site::Fixture("features"), false);
    let spanish = read(out, "briefs/nota-breve/index.html");
    assert_eq!(one(&spanish, "property", "og:locale"), "es_ES");
    assert_eq!(one(&spanish, "property", "og:locale:alternate"), "en_US");
    let english = read(out, "briefs/short-note/index.html");
    assert_eq!(one(&english, "property", "og:locale"), "en_US");
    assert_eq!(one(&english, "property", "og:locale:alternate"), "es_ES");
    let alone = read(out, BUNDLE);
    assert!(meta(&alone, "property", "og:locale:alternate").is_empty());
    for other in [
        "index.html",
        "authors/ada-lovelace/index.html",
        "contact/index.html",
    ] {
        assert_eq!(
            one(&read(out, other), "property", "og:locale"),
            "en_US",
            "{other}"
        );
    }
}

#[test]
fn the_404_page_has_no_canonical_address() {
    // The theme's own 404 page (the features fixture has one of its own).
    let out = built(Site::Fixture("minimal"), false);
    let page = read(out, "404.html");
    assert!(!page.contains(r#"rel="canonical""#), "{page}");
    assert_eq!(one(&page, "name", "robots"), "noindex");
    let home = read(out, "index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://example.org/">"#));
}

#[test]
fn brief_has_google_scholar_tags_one_author_each() {
    let out = built(Site::Fixture("features"), false);
    let page = read(out, BUNDLE);
    assert_eq!(
        one(&page, "name", "citation_title"),
        r#"A Bundle Brief <with> "Quotes""#
    );
    assert_eq!(
        meta(&page, "name", "citation_author"),
        ["Lovelace, Ada", "de Gaulle, Charles"],
        "family name first, as the citations split it: no reader takes \"Gaulle\" for it"
    );
    assert_eq!(
        one(&page, "name", "citation_publication_date"),
        "2024/03/01"
    );
    // It has a report number: the site is the report's institution, not a publisher.
    assert_eq!(
        one(&page, "name", "citation_technical_report_institution"),
        "Features & Fixtures Institute"
    );
    assert_eq!(
        one(&page, "name", "citation_technical_report_number"),
        "TR-7"
    );
    assert!(meta(&page, "name", "citation_publisher").is_empty());
    assert_eq!(
        one(&page, "name", "citation_doi"),
        "10.5555/features.2024.7"
    );
    assert_eq!(
        one(&page, "name", "citation_pdf_url"),
        format!("{BASE}briefs/bundle-brief/brief.pdf")
    );
    let short = read(out, "briefs/short-note/index.html");
    assert_eq!(
        meta(&short, "name", "citation_author"),
        ["de Gaulle, Charles"]
    );
    assert_eq!(
        one(&short, "name", "citation_publisher"),
        "Features & Fixtures Institute"
    );
    assert!(meta(&short, "name", "citation_doi").is_empty());
    // Its PDF is the one `brief build` typeset.
    assert_eq!(
        one(&short, "name", "citation_pdf_url"),
        format!("{BASE}briefs/short-note/short-note.pdf")
    );
    assert!(meta(&short, "name", "citation_technical_report_number").is_empty());
    assert!(meta(&read(out, "index.html"), "name", "citation_title").is_empty());
}

#[test]
fn a_syndicated_brief_is_canonical_at_its_original() {
    let out = built(Site::Fixture("features"), false);
    let original = "https://www.foreignaffairs.com/articles/three-authors";
    let page = read(out, "briefs/three-authors/index.html");
    assert!(page.contains(&format!(r#"<link rel="canonical" href="{original}">"#)));
    assert_eq!(one(&page, "property", "og:url"), original);
    let based_on = &json_ld(&page)["isBasedOn"];
    assert_eq!(based_on["url"], original, "{based_on}");
    assert_eq!(
        based_on["publisher"]["name"], "Foreign Affairs",
        "{based_on}"
    );
    // Google Scholar is told of the article it reprints, as the cite box tells readers.
    assert_eq!(
        one(&page, "name", "citation_journal_title"),
        "Foreign Affairs"
    );
    assert_eq!(
        one(&page, "name", "citation_publication_date"),
        "2024/01/10"
    );
    assert_eq!(
        meta(&page, "name", "citation_author"),
        ["Lovelace, Ada", "de Gaulle, Charles", "Xi, Jinping"]
    );
    for absent in ["citation_publisher", "citation_abstract_html_url"] {
        assert!(meta(&page, "name", absent).is_empty(), "{absent}");
    }
    let own = read(out, "briefs/short-note/index.html");
    assert!(json_ld(&own).get("isBasedOn").is_none());
    assert!(own.contains(&format!(
        r#"<link rel="canonical" href="{BASE}briefs/short-note/">"#
    )));
}

/// The minimal site with `logo` in config.toml and a file of that name in static/.
fn minimal_with_logo(logo: &str, bytes: &[u8]) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("logo = \"{logo}\"\n{text}")).unwrap();
    let file = site.path().join("static").join(logo);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, bytes).unwrap();
    site
}

#[test]
fn a_page_without_a_picture_shares_the_logo_unless_it_is_an_svg() {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(64, 64, image::Rgb([20, 60, 120]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let site = minimal_with_logo("images/our logo.png", &png);
    let (_t, out) = build(site.path(), &[]);
    let logo = "https://example.org/images/our%20logo.png";
    let brief_page = read(&out, "briefs/first-brief/index.html");
    assert_eq!(one(&brief_page, "property", "og:image"), logo);
    assert_eq!(json_ld(&brief_page)["image"], logo);
    assert_eq!(one(&read(&out, "index.html"), "property", "og:image"), logo);

    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>"#;
    let site = minimal_with_logo("logo.svg", svg);
    let (_t, out) = build(site.path(), &[]);
    let brief_page = read(&out, "briefs/first-brief/index.html");
    assert!(meta(&brief_page, "property", "og:image").is_empty());
    assert!(meta(&read(&out, "index.html"), "property", "og:image").is_empty());
    assert_eq!(
        json_ld(&brief_page)["publisher"]["logo"]["url"],
        "https://example.org/logo.svg",
        "search engines read an SVG logo"
    );
}
