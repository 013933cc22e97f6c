//! Search without a server: the index a build writes (`search/index.json`), the search page,
//! and the page's script in a real browser (Debian's Chromium, headless; see browser.rs).

use std::path::Path;

use serde_json::Value;

use crate::browser::{chromium_or_skip, eval, launch, wait_until};
use crate::common::{brief, copy_to_temp, fixture};
use crate::serve::Server;

/// Builds the search fixture (`--drafts` when asked) and returns the site and its output.
fn build(args: &[&str]) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("search"));
    brief(site.path())
        .arg("build")
        .args(args)
        .assert()
        .success();
    site
}

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join("public").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The index's rows as objects keyed by its field names.
fn rows(site: &Path) -> Vec<serde_json::Map<String, Value>> {
    let index: Value = serde_json::from_str(&read(site, "search/index.json")).unwrap();
    let fields: Vec<&str> = index["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    index["briefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let row = row.as_array().unwrap();
            assert_eq!(row.len(), fields.len(), "one value per field");
            fields
                .iter()
                .map(|f| f.to_string())
                .zip(row.iter().cloned())
                .collect()
        })
        .collect()
}

#[test]
fn index_holds_each_brief_with_its_metadata_and_text_newest_first() {
    let site = build(&[]);
    let rows = rows(site.path());
    let titles: Vec<&str> = rows.iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Sanctions on Iran: What Comes Next",
            "Défense économique de l’Europe",
            "European Sanctions Policy After 2022",
            "Water Security in the Sahel",
            "Cyber <script>alert(1)</script> Norms & Rules",
        ]
    );
    let iran = &rows[0];
    assert_eq!(iran["authors"], serde_json::json!(["Ana García"]));
    assert_eq!(iran["topics"], serde_json::json!(["Sanctions", "Energy"]));
    assert_eq!(iran["regions"], serde_json::json!(["Middle East"]));
    assert_eq!(iran["program"], "Economics Program");
    assert_eq!(iran["year"], 2024);
    assert_eq!(iran["date"], "2024-05-10");
    assert_eq!(iran["path"], "/research/briefs/iran-sanctions/");
    assert_eq!(
        iran["summary"],
        "Where the sanctions regime goes after the latest round."
    );
    assert_eq!(
        iran["text"],
        "Oil exports have recovered despite the measures. Enforcement Shipping insurers are the weak link.",
        "plain text: no markup, blocks apart"
    );
}

#[test]
fn drafts_are_never_in_the_index_even_in_a_preview_build() {
    let site = build(&["--drafts"]);
    assert!(
        site.path()
            .join("public/briefs/secret-draft/index.html")
            .is_file(),
        "the preview build has the draft's page"
    );
    let index = read(site.path(), "search/index.json");
    assert!(!index.contains("Secret Sanctions Draft"), "{index}");
    assert!(!index.contains("Unpublished"), "{index}");
}

#[test]
fn long_texts_are_capped_at_a_word_boundary() {
    let site = copy_to_temp(&fixture("search"));
    let body: String = (0..2000).map(|i| format!("word{i} ")).collect();
    std::fs::write(
        site.path().join("content/briefs/long.md"),
        format!(
            "+++\ntitle = \"Long\"\ndate = 2020-01-01\nauthors = [\"ana-garcia\"]\n+++\n\n{body}\n"
        ),
    )
    .unwrap();
    brief(site.path()).arg("build").assert().success();
    let rows = rows(site.path());
    let long = rows.iter().find(|r| r["title"] == "Long").unwrap();
    let text = long["text"].as_str().unwrap();
    assert!(
        text.chars().count() <= brief::search::TEXT_LIMIT,
        "{}",
        text.len()
    );
    assert!(text.starts_with("word0 word1 "));
    let last = text.rsplit(' ').next().unwrap();
    assert!(
        body.contains(&format!("{last} ")),
        "ends with a whole word: {last}"
    );
}

#[test]
fn search_page_is_a_get_form_that_works_under_a_sub_path() {
    let site = build(&[]);
    let html = read(site.path(), "search/index.html");
    for needle in [
        r#"<form class="search-form" role="search" action="/research/search/" method="get">"#,
        r#"<label class="search-label" for="search-q">"#,
        r#"id="search-q" name="q" type="search""#,
        r#"data-index="/research/search/index.json""#,
        r#"<script src="/research/search.js" defer></script>"#,
        r#"<label>Topic <select id="search-topic" name="topic">"#,
        r#"role="status" aria-live="polite""#,
        "Search needs JavaScript",
        r#"<a href="/research/briefs/">all briefs</a>"#,
        r#"<a href="/research/topics/">by topic</a>"#,
    ] {
        assert!(html.contains(needle), "search page lacks {needle}");
    }
    assert!(site.path().join("public/search.js").is_file());
    // The default menu links to it on every page.
    let home = read(site.path(), "index.html");
    assert!(
        home.contains(r#"<li><a href="/research/search/">Search</a></li>"#),
        "menu"
    );
}

#[test]
fn a_page_may_not_take_the_search_address() {
    let site = copy_to_temp(&fixture("search"));
    std::fs::create_dir_all(site.path().join("content/pages")).unwrap();
    std::fs::write(
        site.path().join("content/pages/search.md"),
        "+++\ntitle = \"Search\"\n+++\n\nMine.\n",
    )
    .unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("page slug `search` is the address of the site's /search/ listing"),
        "{stderr}"
    );
}

/// Texts of the result titles shown.
const TITLES: &str =
    "JSON.stringify([...document.querySelectorAll('#search-results h2')].map(h => h.textContent))";

fn titles(tab: &headless_chrome::Tab) -> Vec<String> {
    let value = eval(tab, TITLES).expect("titles");
    serde_json::from_str(value.as_str().unwrap()).unwrap()
}

#[test]
fn typing_a_query_shows_the_matching_briefs_and_a_filter_narrows_them() {
    let Some(chromium) =
        chromium_or_skip("typing_a_query_shows_the_matching_briefs_and_a_filter_narrows_them")
    else {
        return;
    };
    // Served under the fixture's sub-path, /research/, drafts included in the pages (as
    // `brief serve` does) but not in the index.
    let server = Server::start("search", &[]);
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}search/", server.url))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_until(&tab, "!!document.querySelector('.search-ready')");

    tab.wait_for_element("#search-q")
        .unwrap()
        .type_into("sanc")
        .unwrap();
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '3 results for “sanc”.'",
    );
    // Title matches first (newest first among them), the brief that mentions it in its text last.
    assert_eq!(
        titles(&tab),
        [
            "Sanctions on Iran: What Comes Next",
            "European Sanctions Policy After 2022",
            "Water Security in the Sahel",
        ]
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#search-results h2 mark').textContent"
        ),
        Some(Value::from("Sanc")),
        "the matched start of the word is highlighted"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#search-results li')[2].querySelector('.search-snippet').textContent.includes('targeted sanctions on traders')"
        ),
        Some(Value::Bool(true)),
        "a text match shows the words around it"
    );

    // The region filter, filled from the index, narrows the results.
    wait_until(
        &tab,
        "[...document.querySelectorAll('#search-region option')].some(o => o.value === 'Europe')",
    );
    eval(
        &tab,
        "(s => { s.value = 'Europe'; s.dispatchEvent(new Event('change')); return true })(document.getElementById('search-region'))",
    );
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '1 result for “sanc”.'",
    );
    assert_eq!(titles(&tab), ["European Sanctions Policy After 2022"]);
    assert!(
        eval(&tab, "location.search")
            .and_then(|v| v.as_str().map(String::from))
            .is_some_and(|s| s.contains("q=sanc") && s.contains("region=Europe")),
        "the address keeps the search"
    );

    // Accents are ignored: "defense" finds "Défense".
    eval(
        &tab,
        "(i => { i.value = 'defense'; i.dispatchEvent(new Event('input')); return true })(document.getElementById('search-q'))",
    );
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '1 result for “defense”.'",
    );
    assert_eq!(titles(&tab), ["Défense économique de l’Europe"]);

    // Opened with ?q=: searches at once; the title's markup is shown as text, never run.
    tab.navigate_to(&format!("{}search/?q=cyber", server.url))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '1 result for “cyber”.'",
    );
    assert_eq!(
        titles(&tab),
        ["Cyber <script>alert(1)</script> Norms & Rules"]
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#search-results script, #search-results b').length"
        ),
        Some(Value::from(0))
    );
    assert_eq!(
        eval(&tab, "document.getElementById('search-q').value"),
        Some(Value::from("cyber"))
    );
}

#[test]
fn a_theme_written_before_search_gets_the_built_in_search_page_and_script() {
    let site = copy_to_temp(&fixture("search"));
    let theme = site.path().join("themes/old");
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&default)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = theme.join(entry.path().strip_prefix(&default).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    std::fs::remove_file(theme.join("templates/search.html")).unwrap();
    std::fs::remove_file(theme.join("static/search.js")).unwrap();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"old\"\n{text}")).unwrap();
    brief(site.path()).arg("build").assert().success();
    assert!(read(site.path(), "search/index.html").contains("id=\"search-q\""));
    assert_eq!(
        read(site.path(), "search.js"),
        std::fs::read_to_string(default.join("static/search.js")).unwrap()
    );
}
