//! The search page's script in a real browser (Debian's Chromium, headless; see browser.rs):
//! typing a query shows the matching briefs, a filter narrows them.

use serde_json::Value;

use crate::browser::{chromium_or_skip, eval, launch, wait_until};
use crate::server::Server;

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
            "document.querySelectorAll('#search-results li')[2].querySelector('.search-snippet').textContent"
        ),
        Some(Value::from("Droughts, migration and the politics of dams.")),
        "a text match shows the summary"
    );

    // The region filter, filled from the index (slugs as values), narrows the results.
    wait_until(
        &tab,
        "[...document.querySelectorAll('#search-region option')].some(o => o.value === 'europe' && o.textContent === 'Europe')",
    );
    eval(
        &tab,
        "(s => { s.value = 'europe'; s.dispatchEvent(new Event('change')); return true })(document.getElementById('search-region'))",
    );
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '1 result for “sanc”.'",
    );
    assert_eq!(titles(&tab), ["European Sanctions Policy After 2022"]);
    assert!(
        eval(&tab, "location.search")
            .and_then(|v| v.as_str().map(String::from))
            .is_some_and(|s| s.contains("q=sanc") && s.contains("region=europe")),
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

    // Every word must match; each word found is marked.
    eval(
        &tab,
        "(s => { s.value = ''; s.dispatchEvent(new Event('change')); return true })(document.getElementById('search-region'))",
    );
    eval(
        &tab,
        "(i => { i.value = 'sanctions regime'; i.dispatchEvent(new Event('input')); return true })(document.getElementById('search-q'))",
    );
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '1 result for “sanctions regime”.'",
    );
    assert_eq!(
        eval(
            &tab,
            "[...document.querySelectorAll('#search-results .search-snippet mark')].map(m => m.textContent).join(' ')"
        ),
        Some(Value::from("sanctions regime"))
    );

    // A form no brief uses is looked up by its start without its ending: "sanctioned" finds
    // the briefs that say "sanctions".
    eval(
        &tab,
        "(i => { i.value = 'sanctioned'; i.dispatchEvent(new Event('input')); return true })(document.getElementById('search-q'))",
    );
    wait_until(
        &tab,
        "document.getElementById('search-status').textContent === '3 results for “sanctioned”.'",
    );

    // Filters named in the address by slug or by name; a filter alone lists its briefs,
    // newest first.
    for query in ["topic=sanctions", "topic=Sanctions"] {
        tab.navigate_to(&format!("{}search/?{query}", server.url))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        wait_until(
            &tab,
            "document.getElementById('search-status').textContent === '2 results.'",
        );
        assert_eq!(
            titles(&tab),
            [
                "Sanctions on Iran: What Comes Next",
                "European Sanctions Policy After 2022"
            ],
            "{query}"
        );
        assert_eq!(
            eval(&tab, "document.getElementById('search-topic').value"),
            Some(Value::from("sanctions"))
        );
    }

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
