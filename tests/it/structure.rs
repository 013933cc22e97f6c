//! Site structure: term listings and indexes, pagination, the authors index, the home page,
//! related briefs, and the configurable menu, footer and logo, built from the `structure`
//! fixture (paginate_by = 2, base_url under /think/).

use std::path::Path;

use crate::common::{Site, brief, built, copy_to_temp, files, fixture};
use crate::serve::matches_full_build;
use crate::server::Server;

/// The `structure` fixture's output, built once for all the tests that only read it.
fn structure() -> &'static Path {
    built(Site::Fixture("structure"), false)
}

/// Builds a temporary copy of the `structure` fixture with `brief build` and returns the copy;
/// the site is in its public/ folder.
fn build_copy() -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("structure"));
    let output = brief(site.path()).arg("build").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    site
}

fn page(out: &Path, rel: &str) -> String {
    let path = out.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{rel} was not written"))
}

/// The titles of the brief cards in `html`, in order (`<h3 class="card-title"><a …>Title</a>`).
fn card_titles(html: &str) -> Vec<String> {
    html.split("class=\"card-title\">")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_string()
        })
        .collect()
}

/// The part of `html` from the start of the element with `marker` to the end of `main`.
fn from<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    &html[start..html.find("</main>").unwrap_or(html.len())]
}

#[test]
fn topic_listing_pages_list_their_briefs_newest_first_two_a_page() {
    let out = structure();
    let first = page(out, "topics/arms-control/index.html");
    // "Arms Control" and "Arms control" are one topic, named by the spelling that sorts first.
    assert!(
        first.contains("<h1 class=\"page-title\">Arms Control</h1>"),
        "{first}"
    );
    assert!(first.contains("4 briefs"), "{first}");
    assert_eq!(
        card_titles(&first),
        ["Arms Talks Resume", "Verification Tools"]
    );
    let second = page(out, "topics/arms-control/page/2/index.html");
    assert_eq!(card_titles(&second), ["Missile Defense", "Treaty History"]);
    assert!(!out.join("topics/arms-control/page/3").exists());
    assert!(!out.join("topics/arms-control-2").exists());
    assert!(!out.join("topics/arms-control/page/1").exists());
}

#[test]
fn page_two_links_back_to_page_one_and_has_rel_links() {
    let out = structure();
    let second = page(out, "topics/arms-control/page/2/index.html");
    assert!(
        second.contains(r#"<a href="/think/topics/arms-control/" rel="prev">"#),
        "{second}"
    );
    assert!(
        second
            .contains(r#"<link rel="prev" href="https://example.org/think/topics/arms-control/">"#),
        "{second}"
    );
    assert!(!second.contains("rel=\"next\""), "last page has no next");
    assert!(
        second
            .contains(r#"<a href="/think/topics/arms-control/page/2/" aria-current="page">2</a>"#),
        "{second}"
    );
    let first = page(out, "topics/arms-control/index.html");
    assert!(
        first.contains(
            r#"<link rel="next" href="https://example.org/think/topics/arms-control/page/2/">"#
        ),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""), "first page has no prev");
    // A one-page listing shows no pagination at all.
    let sanctions = page(out, "topics/sanctions/index.html");
    assert!(!sanctions.contains("class=\"pagination\""), "{sanctions}");
}

#[test]
fn archive_lists_every_brief_across_pages() {
    let out = structure();
    let pages: Vec<Vec<String>> = [
        "briefs/index.html",
        "briefs/page/2/index.html",
        "briefs/page/3/index.html",
    ]
    .iter()
    .map(|rel| card_titles(&page(out, rel)))
    .collect();
    assert_eq!(
        pages,
        [
            vec!["Arms Talks Resume", "Sanctions Slip"],
            vec!["Verification Tools", "Missile Defense"],
            vec!["Treaty History", "Farm Subsidies"],
        ]
    );
    let middle = page(out, "briefs/page/2/index.html");
    assert!(
        middle.contains(r#"href="/think/briefs/" rel="prev""#),
        "{middle}"
    );
    assert!(
        middle.contains(r#"href="/think/briefs/page/3/" rel="next""#),
        "{middle}"
    );
}

#[test]
fn index_pages_list_every_term_with_its_count_sorted_by_name() {
    let out = structure();
    let topics = page(out, "topics/index.html");
    let listed: Vec<&str> = ["Agriculture", "Arms Control", "Missiles", "Sanctions"]
        .into_iter()
        .filter(|name| topics.contains(&format!(">{name}</a>")))
        .collect();
    assert_eq!(listed.len(), 4, "{topics}");
    let positions: Vec<usize> = listed
        .iter()
        .map(|n| topics.find(&format!(">{n}</a>")).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "sorted by name: {topics}"
    );
    assert!(
        topics.contains(r#"<a href="/think/topics/arms-control/">Arms Control</a> <span class="term-count">4 briefs</span>"#),
        "{topics}"
    );
    assert!(topics.contains("1 brief<"), "singular count: {topics}");
    let programs = page(out, "programs/index.html");
    assert!(
        programs.contains(r#"href="/think/programs/nuclear-policy/">Nuclear Policy</a>"#),
        "{programs}"
    );
    let regions = page(out, "regions/index.html");
    assert!(
        regions.contains(">Asia</a>") && regions.contains(">Europe</a>"),
        "{regions}"
    );
    let series = page(out, "series/explainers/index.html");
    assert_eq!(card_titles(&series), ["Verification Tools"]);
}

#[test]
fn brief_page_links_its_topics_regions_program_and_series() {
    let out = structure();
    let html = page(out, "briefs/missile-defense/index.html");
    assert!(
        html.contains(r#"<a href="/think/topics/arms-control/" rel="tag">Arms Control</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/think/topics/missiles/" rel="tag">Missiles</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/think/regions/asia/" rel="tag">Asia</a>"#),
        "{html}"
    );
    let featured = page(out, "briefs/verification-tools/index.html");
    assert!(
        featured.contains(
            r#"<a class="kicker-program" href="/think/programs/nuclear-policy/">Nuclear Policy</a>"#
        ),
        "{featured}"
    );
    assert!(
        featured.contains(
            r#"<a class="kicker-series" href="/think/series/explainers/">Explainers</a>"#
        ),
        "{featured}"
    );
}

#[test]
fn home_shows_the_featured_brief_first_then_the_latest_then_programs_and_topics() {
    let out = structure();
    let home = page(out, "index.html");
    // Verification Tools is featured though two briefs are newer; the latest list then holds
    // one page's worth (2) of the others, and links to the archive.
    assert_eq!(
        card_titles(&home),
        ["Verification Tools", "Arms Talks Resume", "Sanctions Slip"]
    );
    assert!(home.find("featured-title").unwrap() < home.find("latest-title").unwrap());
    assert!(
        home.contains(r#"<a href="/think/briefs/">All 6 briefs</a>"#),
        "{home}"
    );
    let terms = from(&home, "class=\"home-terms\"");
    assert!(
        terms.contains(r#"href="/think/programs/nuclear-policy/">Nuclear Policy</a>"#),
        "{terms}"
    );
    assert!(
        terms.contains(r#"href="/think/topics/sanctions/">Sanctions</a>"#),
        "{terms}"
    );
}

#[test]
fn home_features_the_newest_brief_when_none_is_featured() {
    let site = copy_to_temp(&fixture("structure"));
    let path = site.path().join("content/briefs/verification-tools.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("featured = true\n", "");
    std::fs::write(&path, text).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert!(output.status.success());
    let home = page(&site.path().join("public"), "index.html");
    assert_eq!(
        card_titles(&home),
        ["Arms Talks Resume", "Sanctions Slip", "Verification Tools"]
    );
}

#[test]
fn authors_index_lists_every_author_and_author_pages_paginate() {
    let out = structure();
    let index = page(out, "authors/index.html");
    for (id, name) in [
        ("alice-adams", "Alice Adams"),
        ("bob-brown", "Bob Brown"),
        ("carol-chen", "Carol Chen"),
        ("dan-diaz", "Dan Diaz"),
    ] {
        assert!(
            index.contains(&format!(r#"href="/think/authors/{id}/">{name}</a>"#)),
            "{name} missing: {index}"
        );
    }
    assert!(index.find("Alice Adams").unwrap() < index.find("Dan Diaz").unwrap());
    let alice = page(out, "authors/alice-adams/index.html");
    assert_eq!(
        card_titles(&alice),
        ["Arms Talks Resume", "Verification Tools"]
    );
    let alice_2 = page(out, "authors/alice-adams/page/2/index.html");
    assert_eq!(card_titles(&alice_2), ["Treaty History"]);
    assert!(
        alice_2.contains(r#"href="/think/authors/alice-adams/" rel="prev""#),
        "{alice_2}"
    );
    assert!(
        alice_2.contains("Alice Adams"),
        "the profile is on every page"
    );
}

#[test]
fn related_briefs_are_at_most_three_ranked_by_what_they_share_and_none_for_strangers() {
    let out = structure();
    let related = |slug: &str| {
        let html = page(out, &format!("briefs/{slug}/index.html"));
        match html.find("id=\"related-title\"") {
            Some(_) => card_titles(from(&html, "id=\"related-title\"")),
            None => Vec::new(),
        }
    };
    // Treaty History shares topic, program and author with the first two, topic and author with
    // Missile Defense, and only an author with Sanctions Slip, which is left out (three at most).
    assert_eq!(
        related("treaty-history"),
        ["Arms Talks Resume", "Verification Tools", "Missile Defense"]
    );
    // Equal scores: newest first.
    assert_eq!(
        related("arms-talks-resume"),
        ["Verification Tools", "Treaty History", "Missile Defense"]
    );
    assert_eq!(
        related("sanctions-slip"),
        ["Missile Defense", "Treaty History"]
    );
    assert_eq!(related("farm-subsidies"), Vec::<String>::new());
    let html = page(out, "briefs/farm-subsidies/index.html");
    assert!(!html.contains("Related briefs"), "{html}");
}

#[test]
fn menu_footer_and_logo_render_under_the_sub_path() {
    let out = structure();
    let about = page(out, "about/index.html");
    let nav = from(&about, "class=\"site-nav\"");
    assert!(
        nav.contains(r#"<a href="/think/briefs/">Research</a>"#),
        "{nav}"
    );
    assert!(
        nav.contains(r#"<a href="/think/about/" aria-current="page">About us</a>"#),
        "{nav}"
    );
    assert!(
        nav.contains(r#"<a href="https://social.example/@structure">Mastodon</a>"#),
        "{nav}"
    );
    assert!(
        !nav[..nav.find("</nav>").unwrap()].contains(">Topics<"),
        "the menu replaces the default one"
    );
    assert!(
        about.contains(r#"<img class="site-logo" src="/think/images/logo.svg" alt="""#),
        "{about}"
    );
    assert!(out.join("images/logo.svg").is_file());
    assert!(
        about.contains(r#"© 2024 Structure Institute · <a href="mailto:press@example.org">Press</a> · <em>Independent analysis</em>"#),
        "{about}"
    );
}

#[test]
fn default_menu_links_briefs_topics_authors_and_pages() {
    let site = copy_to_temp(&fixture("structure"));
    let config = std::fs::read_to_string(site.path().join("config.toml")).unwrap();
    let without_menu = &config[..config.find("[[menu]]").unwrap()];
    std::fs::write(site.path().join("config.toml"), without_menu).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert!(output.status.success());
    let topics = page(&site.path().join("public"), "topics/index.html");
    let nav = from(&topics, "class=\"site-nav\"");
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let expected = [
        r#"<a href="/think/briefs/">Briefs</a>"#,
        r#"<a href="/think/topics/" aria-current="page">Topics</a>"#,
        r#"<a href="/think/authors/">Authors</a>"#,
        r#"<a href="/think/about/">About</a>"#,
    ];
    let positions: Vec<usize> = expected
        .iter()
        .map(|link| {
            nav.find(link)
                .unwrap_or_else(|| panic!("{link} missing: {nav}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{nav}");
}

#[test]
fn a_missing_logo_is_an_error_naming_config_toml() {
    let site = copy_to_temp(&fixture("structure"));
    std::fs::remove_file(site.path().join("static/images/logo.svg")).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml:5"), "{stderr}");
    assert!(
        stderr.contains("logo `images/logo.svg` not found"),
        "{stderr}"
    );
    assert!(stderr.contains("static/"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn bad_paginate_by_and_menu_urls_are_errors_naming_the_line() {
    let site = copy_to_temp(&fixture("structure"));
    let config_path = site.path().join("config.toml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    std::fs::write(
        &config_path,
        config.replace("paginate_by = 2", "paginate_by = -3"),
    )
    .unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml:4"), "{stderr}");
    assert!(
        stderr.contains("paginate_by must be a number of briefs per page, not -3"),
        "{stderr}"
    );

    std::fs::write(
        &config_path,
        config.replace("url = \"/about/\"", "url = \"about\""),
    )
    .unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml:14"), "{stderr}");
    assert!(stderr.contains("menu item `About us`"), "{stderr}");
    assert!(stderr.contains("url = \"/about\""), "{stderr}");
}

#[test]
fn two_builds_are_identical() {
    // The shared output (built through the library) and a fresh `brief build` of a copy.
    let again = build_copy();
    assert_eq!(files(structure()), files(&again.path().join("public")));
}

#[test]
fn incremental_rebuilds_of_listed_and_related_briefs_match_a_full_build() {
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    let mut server =
        Server::start_without_pdfs("structure", &["--output", served.to_str().unwrap()]);
    let mut events = server.events();
    // Newest now: moves from the last page of the archive, its topic and its authors' lists to
    // the first, and changes title on the related lists of three briefs.
    let treaty = server.path("content/briefs/treaty-history.md");
    let text = std::fs::read_to_string(&treaty).unwrap();
    std::fs::write(
        &treaty,
        text.replace("Treaty History", "Treaty History, Revised")
            .replace("2024-02-01", "2024-07-01"),
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("treaty-history.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(crate::serve::LISTS_UPDATED));
    matches_full_build(&server, &served, "after moving a brief to the front");
    // Joins another topic's list.
    let missile = server.path("content/briefs/missile-defense.md");
    let text = std::fs::read_to_string(&missile).unwrap();
    std::fs::write(
        &missile,
        text.replace("\"Missiles\"]", "\"Missiles\", \"Sanctions\"]"),
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("missile-defense.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(crate::serve::LISTS_UPDATED));
    matches_full_build(&server, &served, "after a brief joined a topic");
    // An author's name shows on every card of their briefs.
    std::fs::write(
        server.path("content/authors/alice-adams.md"),
        "+++\nname = \"Alice Q. Adams\"\n+++\n\nAlice studies arms control.\n",
    )
    .unwrap();
    events.next("reload");
    server.wait_for_line(|l| l.contains("alice-adams.md: incremental rebuild"));
    server.wait_for_line(|l| l.contains(crate::serve::LISTS_UPDATED));

    matches_full_build(&server, &served, "after editing an author");
    let (status, _) = server.stop();
    assert!(status.success());
}

/// A brief's index.md renamed, or a folder of images left behind, would vanish from the site
/// without a word: each is a warning saying what is not published and how to fix it.
#[test]
fn content_files_nothing_publishes_are_named_in_warnings() {
    let site = crate::common::copy_to_temp(&crate::common::fixture("minimal"));
    let briefs = site.path().join("content/briefs");
    std::fs::create_dir_all(briefs.join("renamed")).unwrap();
    std::fs::copy(
        briefs.join("first-brief.md"),
        briefs.join("renamed/brief.md"),
    )
    .unwrap();
    std::fs::create_dir_all(briefs.join("left")).unwrap();
    std::fs::write(
        briefs.join("left/map.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let output = crate::common::brief(site.path())
        .args(["build", "--no-pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "warning: content/briefs/renamed/brief.md: this Markdown file is not published: brief reads no document here\n  help: in a brief's folder only index.md is the brief: rename it index.md if it is the brief, or move it out of content/\nwarning: content/briefs/left: this folder has no index.md, so nothing in it is published\n  help: a brief in a folder is its index.md: name the brief's file index.md, or move the folder out of content/briefs/\n"
    );
}

#[test]
fn past_four_plain_pages_the_default_menu_leaves_them_to_the_footer() {
    let site = copy_to_temp(&fixture("structure"));
    let config = std::fs::read_to_string(site.path().join("config.toml")).unwrap();
    let without_menu = &config[..config.find("[[menu]]").unwrap()];
    std::fs::write(site.path().join("config.toml"), without_menu).unwrap();
    // The fixture's About and four more: five plain pages, as an imported archive has more.
    for title in ["Contact", "Donate", "Press", "Careers"] {
        std::fs::write(
            site.path()
                .join(format!("content/pages/{}.md", title.to_lowercase())),
            format!("+++\ntitle = \"{title}\"\n+++\n\nText.\n"),
        )
        .unwrap();
    }
    let output = brief(site.path()).arg("build").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let topics = page(&site.path().join("public"), "topics/index.html");
    let nav = from(&topics, "class=\"site-nav\"");
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(
        nav.contains(r#"<a href="/think/briefs/">Briefs</a>"#),
        "{nav}"
    );
    assert!(
        !nav.contains("/think/about/") && !nav.contains("/think/careers/"),
        "{nav}"
    );
    let footer = &topics[topics.find("class=\"footer-nav\"").expect("a footer menu")..];
    for page in ["about", "careers", "contact", "donate", "press"] {
        assert!(
            footer.contains(&format!("href=\"/think/{page}/\"")),
            "{page}: {footer}"
        );
    }
}
