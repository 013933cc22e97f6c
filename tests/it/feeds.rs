//! Atom feeds (checked against RFC 4287's required elements with an XML parser), the sitemap
//! and robots.txt.

use roxmltree::{Document, Node};

use crate::common::{
    Site, brief, build_site as build, built, copy_to_temp, fixture, read_output as read,
};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const BASE: &str = "https://user.example.io/repo/";

fn child<'a>(node: Node<'a, 'a>, name: &str) -> Node<'a, 'a> {
    children(node, name)
        .next()
        .unwrap_or_else(|| panic!("<{}> has no <{name}>", node.tag_name().name()))
}

fn children<'a>(node: Node<'a, 'a>, name: &str) -> impl Iterator<Item = Node<'a, 'a>> {
    let name = name.to_string();
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text<'a>(node: Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).text().unwrap_or("")
}

/// Whether a feed's entries carry the brief's full text or only its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entries {
    FullText,
    Summary,
}

/// The kind of entries of `path` under the default `feed_full_text = "site"`.
fn default_entries(path: &str) -> Entries {
    match path {
        "feed.xml" => Entries::FullText,
        _ => Entries::Summary,
    }
}

/// Asserts what RFC 4287 requires of a feed and of each entry, returning the entries' titles.
fn check_atom(xml: &str, feed_url: &str) -> Vec<String> {
    let path = feed_url.strip_prefix(BASE).unwrap_or(feed_url);
    check_atom_with(xml, feed_url, default_entries(path))
}

/// [`check_atom`] for a feed whose entries are `entries`.
fn check_atom_with(xml: &str, feed_url: &str, entries: Entries) -> Vec<String> {
    let doc = Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(text(feed, "id"), feed_url);
    assert!(!text(feed, "title").is_empty());
    assert!(is_timestamp(text(feed, "updated")));
    let self_link = children(feed, "link")
        .find(|l| l.attribute("rel") == Some("self"))
        .expect("a rel=self link");
    assert_eq!(self_link.attribute("href"), Some(feed_url));
    let mut titles = Vec::new();
    for entry in children(feed, "entry") {
        let id = text(entry, "id");
        assert!(id.starts_with(BASE), "absolute entry id {id}");
        titles.push(text(entry, "title").to_string());
        assert!(is_timestamp(text(entry, "updated")));
        assert!(is_timestamp(text(entry, "published")));
        assert!(!text(child(entry, "author"), "name").is_empty());
        let link = child(entry, "link");
        assert_eq!(link.attribute("href"), Some(id));
        assert!(
            !text(entry, "summary").is_empty(),
            "an entry without a summary"
        );
        if entries == Entries::Summary {
            assert_eq!(
                children(entry, "content").count(),
                0,
                "full text in {feed_url}"
            );
            continue;
        }
        let content = child(entry, "content");
        assert_eq!(content.attribute("type"), Some("html"));
        let html = content.text().unwrap_or("");
        assert!(!html.is_empty());
        for root_relative in ["href=\"/", "src=\"/", "href=\"#"] {
            assert!(!html.contains(root_relative), "`{root_relative}` in {html}");
        }
    }
    titles
}

/// Atom dates must be RFC 3339 timestamps.
fn is_timestamp(text: &str) -> bool {
    text.parse::<jiff::Timestamp>().is_ok()
}

#[test]
fn site_feed_is_atom_with_full_absolute_content_newest_first() {
    let out = built(Site::Fixture("features"), false);
    let xml = read(out, "feed.xml");
    let titles = check_atom(&xml, &format!("{BASE}feed.xml"));
    assert_eq!(
        titles,
        // Same day: by slug, as everywhere on the site.
        [
            r#"A Bundle Brief <with> "Quotes""#,
            "Figures, Tables and Charts",
            "Una nota breve",
            "Same Day B",
            "A Short Note",
            "Three Authors, One Question?"
        ]
    );
    let doc = Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    // The newest entry's date, not the build time: two builds are identical.
    assert_eq!(text(feed, "updated"), "2024-03-10T00:00:00Z");
    let entry = child(feed, "entry");
    let categories: Vec<_> = children(entry, "category")
        .map(|c| c.attribute("term").unwrap())
        .collect();
    assert_eq!(categories, ["Arms Control", "Sanctions"]);
    let authors: Vec<_> = children(entry, "author").map(|a| text(a, "name")).collect();
    assert_eq!(authors, ["Ada Lovelace", "Charles de Gaulle"]);
    let html = text(entry, "content");
    assert!(html.contains("Opening paragraph of the bundle brief."));
    assert!(
        html.contains(&format!(r#"src="{BASE}briefs/bundle-brief/hero.svg""#)),
        "{html}"
    );
    assert!(
        html.contains(&format!(r##"href="{BASE}briefs/bundle-brief/#note-1""##)),
        "{html}"
    );
    // A reader sees the number alone; the name "Note 1" is for screen readers only.
    assert!(
        html.contains(r#" aria-label="Note 1">1</a></sup>"#),
        "{html}"
    );
    assert!(html.contains("Second note."), "notes are part of the text");
    let (_t2, again) = build(&fixture("features"), &[]);
    assert_eq!(read(&again, "feed.xml"), xml);
}

#[test]
fn each_topic_region_program_and_author_has_a_feed() {
    let out = built(Site::Fixture("features"), false);
    for (path, expected) in [
        (
            "topics/arms-control/feed.xml",
            &["A Bundle Brief <with> \"Quotes\""][..],
        ),
        (
            "regions/europe/feed.xml",
            &["A Bundle Brief <with> \"Quotes\""][..],
        ),
        (
            "programs/technology-program/feed.xml",
            &["A Bundle Brief <with> \"Quotes\""][..],
        ),
        (
            "authors/ada-lovelace/feed.xml",
            &[
                "A Bundle Brief <with> \"Quotes\"",
                "Figures, Tables and Charts",
                "Same Day B",
                "Three Authors, One Question?",
            ][..],
        ),
        (
            "authors/charles-de-gaulle/feed.xml",
            &[
                "A Bundle Brief <with> \"Quotes\"",
                "Una nota breve",
                "A Short Note",
                "Three Authors, One Question?",
            ][..],
        ),
    ] {
        let titles = check_atom(&read(out, path), &format!("{BASE}{path}"));
        assert_eq!(titles, expected, "{path}");
    }
}

#[test]
fn pages_link_the_site_feed_and_their_own() {
    let out = built(Site::Fixture("features"), false);
    let link = |path: &str| {
        format!(
            r#"<link rel="alternate" type="application/atom+xml" title="{{}}" href="{BASE}{path}">"#
        )
    };
    let site_feed = link("feed.xml").replace("{}", "Features &amp; Fixtures Institute");
    for page in [
        "index.html",
        "briefs/short-note/index.html",
        "contact/index.html",
    ] {
        assert!(read(out, page).contains(&site_feed), "{page}");
    }
    let ada = read(out, "authors/ada-lovelace/index.html");
    assert!(ada.contains(&site_feed));
    assert!(
        ada.contains(
            &link("authors/ada-lovelace/feed.xml")
                .replace("{}", "Ada Lovelace | Features &amp; Fixtures Institute")
        )
    );
    let topic = read(out, "topics/arms-control/index.html");
    assert!(topic.contains(&format!(r#"href="{BASE}topics/arms-control/feed.xml""#)));
}

#[test]
fn feed_limit_caps_every_feed() {
    let site = copy_to_temp(&fixture("features"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("toc_depth = 3", "toc_depth = 3\nfeed_limit = 1"),
    )
    .unwrap();
    let (_t, out) = build(site.path(), &[]);
    let titles = check_atom(&read(&out, "feed.xml"), &format!("{BASE}feed.xml"));
    assert_eq!(titles, [r#"A Bundle Brief <with> "Quotes""#]);
    let titles = check_atom(
        &read(&out, "authors/charles-de-gaulle/feed.xml"),
        &format!("{BASE}authors/charles-de-gaulle/feed.xml"),
    );
    assert_eq!(titles.len(), 1);
}

/// Builds the features fixture with `line` added to its config.toml.
fn build_with_config_line(line: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = copy_to_temp(&fixture("features"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("toc_depth = 3", &format!("toc_depth = 3\n{line}")),
    )
    .unwrap();
    let (temp, out) = build(site.path(), &[]);
    drop(site);
    (temp, out)
}

#[test]
fn feed_full_text_all_puts_the_full_text_in_every_feed() {
    let (_t, out) = build_with_config_line("feed_full_text = \"all\"");
    for path in [
        "feed.xml",
        "topics/arms-control/feed.xml",
        "authors/charles-de-gaulle/feed.xml",
    ] {
        let titles = check_atom_with(
            &read(&out, path),
            &format!("{BASE}{path}"),
            Entries::FullText,
        );
        assert!(!titles.is_empty(), "{path}");
    }
}

#[test]
fn feed_full_text_none_leaves_summaries_in_every_feed() {
    let (_t, out) = build_with_config_line("feed_full_text = \"none\"");
    for path in ["feed.xml", "authors/charles-de-gaulle/feed.xml"] {
        let titles = check_atom_with(
            &read(&out, path),
            &format!("{BASE}{path}"),
            Entries::Summary,
        );
        assert!(!titles.is_empty(), "{path}");
    }
}

#[test]
fn a_wrong_feed_full_text_is_an_error_naming_the_choices() {
    let site = copy_to_temp(&fixture("features"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "toc_depth = 3",
            "toc_depth = 3\nfeed_full_text = \"authors\"",
        ),
    )
    .unwrap();
    let output = brief(site.path()).arg("build").assert().failure().code(1);
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    assert!(stderr.contains("config.toml:"), "{stderr}");
    assert!(
        stderr.contains("`authors`") && stderr.contains("`site`, `all`, `none`"),
        "{stderr}"
    );
}

#[test]
fn feed_limit_of_zero_is_an_error_at_its_line() {
    let site = copy_to_temp(&fixture("features"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("\n[extra]", "\nfeed_limit = 0\n\n[extra]"),
    )
    .unwrap();
    let output = brief(site.path()).arg("build").assert().failure().code(1);
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    assert!(stderr.contains("feed_limit must be at least 1"), "{stderr}");
    assert!(stderr.contains("config.toml:"), "{stderr}");
}

#[test]
fn drafts_are_in_no_feed_or_sitemap_even_in_a_preview_build() {
    let out = built(Site::Fixture("features"), true);
    assert!(
        out.join("briefs/unfinished/index.html").is_file(),
        "preview has the draft"
    );
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "xml") {
            let xml = std::fs::read_to_string(path).unwrap();
            assert!(
                !xml.contains("unfinished"),
                "{} lists the draft",
                path.display()
            );
            assert!(!xml.contains("An Unfinished Draft"), "{}", path.display());
        }
    }
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_robots_points_to_it() {
    let out = built(Site::Fixture("features"), false);
    let xml = read(out, "sitemap.xml");
    let doc = Document::parse(&xml).unwrap();
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    let urls: Vec<(String, Option<String>)> = children(urlset, "url")
        .map(|u| {
            let lastmod = children(u, "lastmod").next().and_then(|l| l.text());
            (text(u, "loc").to_string(), lastmod.map(str::to_string))
        })
        .collect();
    let lastmod = |loc: &str| {
        urls.iter()
            .find(|(l, _)| l == &format!("{BASE}{loc}"))
            .unwrap_or_else(|| panic!("{loc} not in the sitemap: {urls:?}"))
            .1
            .clone()
    };
    assert_eq!(
        lastmod("briefs/bundle-brief/").as_deref(),
        Some("2024-03-10"),
        "updated wins"
    );
    assert_eq!(
        lastmod("briefs/short-note/").as_deref(),
        Some("2024-02-01"),
        "else date"
    );
    assert_eq!(lastmod("").as_deref(), Some("2024-03-10"));
    lastmod("authors/ada-lovelace/");
    lastmod("contact/");
    assert!(!xml.contains("404"), "no 404 page");
    assert!(
        !xml.contains("/search/"),
        "no search page, a form until a reader types"
    );
    assert!(!xml.contains("feed.xml"));
    assert!(
        !xml.contains("briefs/three-authors/"),
        "a syndicated brief's canonical page is elsewhere"
    );
    assert_eq!(
        read(out, "robots.txt"),
        format!("User-agent: *\nDisallow:\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn a_site_robots_txt_wins_and_syndicated_briefs_stay_out_of_the_sitemap() {
    let site = copy_to_temp(&fixture("features"));
    std::fs::write(
        site.path().join("static/robots.txt"),
        "User-agent: *\nDisallow: /\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/briefs/elsewhere.md"),
        concat!(
            "+++\ntitle = \"Elsewhere first\"\ndate = 2024-05-01\nauthors = [\"ada-lovelace\"]\n\n",
            "[originally_published]\noutlet = \"Outlet\"\nurl = \"https://outlet.example/piece\"\n+++\n\nText.\n",
        ),
    )
    .unwrap();
    let (_t, out) = build(site.path(), &[]);
    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nDisallow: /\n");
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        !sitemap.contains("briefs/elsewhere/"),
        "canonical elsewhere: {sitemap}"
    );
    assert!(sitemap.contains("briefs/short-note/"));
}

/// Two briefs of one day: the time of their `date` orders them (newest first, in the feed
/// and the list, whatever their file names), as moments: 18:00 in Tokyo (09:00 UTC) is before
/// 10:00 UTC; and it is the feed's time. An `updated` of that day without a time is not
/// before the publication.
#[test]
fn a_dates_time_of_day_orders_a_days_briefs_and_is_the_feeds_time() {
    let site = copy_to_temp(&fixture("minimal"));
    let write = |name: &str, title: &str, dates: &str| {
        std::fs::write(
            site.path().join(format!("content/briefs/{name}.md")),
            format!("+++\ntitle = \"{title}\"\n{dates}\nauthors = [\"jane-doe\"]\n+++\n\nText.\n"),
        )
        .unwrap();
    };
    write(
        "a-tokyo",
        "Tokyo Evening",
        "date = 2030-03-15T18:00:00+09:00",
    );
    write(
        "b-london",
        "London Morning",
        "date = 2030-03-15T10:00:00Z\nupdated = 2030-03-15",
    );
    let (_temp, out) = build(site.path(), &["--no-pdf"]);
    let xml = read(&out, "feed.xml");
    let doc = Document::parse(&xml).unwrap();
    let entries: Vec<(&str, &str, &str)> = children(doc.root_element(), "entry")
        .take(2)
        .map(|e| (text(e, "title"), text(e, "published"), text(e, "updated")))
        .collect();
    assert_eq!(
        entries,
        [
            (
                "London Morning",
                "2030-03-15T10:00:00Z",
                "2030-03-15T10:00:00Z"
            ),
            (
                "Tokyo Evening",
                "2030-03-15T18:00:00+09:00",
                "2030-03-15T18:00:00+09:00"
            )
        ]
    );
    assert_eq!(text(doc.root_element(), "updated"), "2030-03-15T10:00:00Z");
    let list = read(&out, "briefs/index.html");
    let london = list.find("/briefs/b-london/").unwrap();
    let tokyo = list.find("/briefs/a-tokyo/").unwrap();
    assert!(london < tokyo, "newest first");
}

#[test]
fn a_draft_page_is_kept_from_search_engines_like_a_draft_brief() {
    let site = copy_to_temp(&fixture("minimal"));
    let page = site.path().join("content/pages/hidden.md");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(
        &page,
        "+++\ntitle = \"Hidden page\"\ndraft = true\n+++\n\nSecret.\n",
    )
    .unwrap();
    let (_t, out) = build(site.path(), &["--drafts"]);
    let html = read(&out, "hidden/index.html");
    assert!(
        html.contains(r#"<meta name="robots" content="noindex">"#),
        "{html}"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(!sitemap.contains("hidden"), "{sitemap}");
    assert!(sitemap.contains("briefs/first-brief/"), "{sitemap}");
}
