//! `brief serve` in a real browser: Debian's Chromium, headless, driven over the DevTools
//! protocol (headless_chrome without its browser-download feature). An edit to a brief's
//! Markdown must show in the open page with no manual reload, keeping the scroll position; a
//! CSS edit must apply without a reload; a bad edit must show the error overlay, and the fix
//! must clear it.
//!
//! Skips, saying why, only where no Chromium is installed and `CI` is unset; in CI a missing
//! Chromium fails the test.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::server::Server;

/// The Chromium to drive, or why there is none.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// Chromium, or `None` after printing why the test is skipped; panics in CI.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("{test}: Chromium is required in CI (apt-get install -y chromium)");
        }
        eprintln!(
            "SKIPPED {test}: no Chromium found (apt-get install -y chromium, or set CHROMIUM)"
        );
    }
    found
}

pub fn launch(chromium: PathBuf, profile: &std::path::Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium),
        user_data_dir: Some(profile.to_path_buf()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts")
}

/// Evaluates a JavaScript expression in the page; `None` while the page is between documents.
pub fn eval(tab: &Tab, expression: &str) -> Option<serde_json::Value> {
    tab.evaluate(expression, false).ok().and_then(|r| r.value)
}

/// Waits until `expression` is true in the page. The deadline only stops a hung test: it is
/// generous because the browser tests run side by side on busy machines (the search test
/// missed a 20 s deadline once while the a11y tests were loading every page).
pub fn wait_until(tab: &Tab, expression: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if eval(tab, expression) == Some(serde_json::Value::Bool(true)) {
            return;
        }
        if Instant::now() > deadline {
            let text = eval(tab, "document.body && document.body.innerText");
            panic!("page never satisfied `{expression}`; it shows: {text:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_open_page_shows_an_edit_without_a_manual_reload() {
    let Some(chromium) = chromium_or_skip("the_open_page_shows_an_edit_without_a_manual_reload")
    else {
        return;
    };
    let server = Server::start("serve", &[]);
    let file = server.path("content/briefs/first-brief.md");
    let long_body: String = (0..150)
        .map(|i| format!("Paragraph {i} of a long brief, long enough to scroll.\n\n"))
        .collect();
    let brief = |marker: &str| {
        format!(
            "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n{marker}\n\n{long_body}"
        )
    };
    std::fs::write(&file, brief("Version one.")).unwrap();
    server.wait_for_content("/briefs/first-brief/", "Version one.");

    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}briefs/first-brief/", server.url))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_until(&tab, "document.body.innerText.includes('Version one.')");
    // Let the page's event stream connect, then scroll down.
    std::thread::sleep(Duration::from_millis(300));
    eval(&tab, "window.scrollTo(0, 1200), window.scrollY");
    wait_until(&tab, "window.scrollY >= 1000");

    // Edit the Markdown: the page reloads itself and stays where it was.
    std::fs::write(&file, brief("Version two, edited in the editor.")).unwrap();
    wait_until(
        &tab,
        "document.body.innerText.includes('Version two, edited in the editor.')",
    );
    wait_until(
        &tab,
        "document.readyState === 'complete' && Math.abs(window.scrollY - 1200) < 50",
    );

    // A CSS edit applies without a reload: a mark set on the window survives.
    eval(&tab, "window.__briefMark = 'kept', true");
    let css = server.path("static/style.css");
    std::fs::create_dir_all(css.parent().unwrap()).unwrap();
    std::fs::write(&css, "body { color: rgb(102, 51, 153); }\n").unwrap();
    wait_until(
        &tab,
        "getComputedStyle(document.body).color === 'rgb(102, 51, 153)'",
    );
    assert_eq!(
        eval(&tab, "window.__briefMark"),
        Some(serde_json::json!("kept")),
        "the stylesheet was swapped without reloading the page"
    );

    // A bad edit: the overlay names the file; the last good page stays underneath.
    std::fs::write(&file, "+++\ntitle = \"Broken\"\n\nno closing line\n").unwrap();
    wait_until(&tab, "!!document.getElementById('brief-serve-errors')");
    wait_until(
        &tab,
        "document.getElementById('brief-serve-errors').innerText.includes('content/briefs/first-brief.md')",
    );
    wait_until(
        &tab,
        "document.body.innerText.includes('Version two, edited in the editor.')",
    );
    // The fix clears it and shows the new text.
    std::fs::write(&file, brief("Version three, fixed.")).unwrap();
    wait_until(
        &tab,
        "document.body.innerText.includes('Version three, fixed.')",
    );
    wait_until(&tab, "!document.getElementById('brief-serve-errors')");
}

#[test]
fn an_edit_is_morphed_into_the_open_page_keeping_scroll_and_focus() {
    let test = "an_edit_is_morphed_into_the_open_page_keeping_scroll_and_focus";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    // With PDFs: an edit's page comes first without its PDF link, and the background worker's
    // batch then adds it (and Scholar's `citation_pdf_url` to the head): both are morphs.
    let mut server = Server::start("serve", &[]);
    let pdfs_linked = |server: &mut Server| {
        server.wait_for_line(|l| l.contains("PDFs:") && l.contains("none waiting"));
    };
    pdfs_linked(&mut server);
    let file = server.path("content/briefs/first-brief.md");
    let long_body: String = (0..150)
        .map(|i| format!("Paragraph {i} of a long brief, with [a link](#p{i}).\n\n"))
        .collect();
    let brief = |title: &str, marker: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n{marker}\n\n{long_body}"
        )
    };
    std::fs::write(&file, brief("First Brief", "Version one.")).unwrap();
    pdfs_linked(&mut server);
    server.wait_for_content("/briefs/first-brief/", "Download PDF (");

    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}briefs/first-brief/", server.url))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_until(&tab, "document.body.innerText.includes('Version one.')");
    std::thread::sleep(Duration::from_millis(300));
    // A mark on the window is lost by a reload and kept by a morph; a link far down the page
    // is focused (focusing it scrolls to it), and the scroll position is noted.
    eval(
        &tab,
        "window.__briefMark = 'kept', \
         [...document.querySelectorAll('a')].find(a => a.textContent === 'a link' && a.getAttribute('href') === '#p120').focus(), \
         window.__briefScroll = window.scrollY, true",
    );
    wait_until(&tab, "window.scrollY > 1000");
    let kept = |tab: &Tab| {
        eval(
            tab,
            "JSON.stringify([window.__briefMark, window.scrollY === window.__briefScroll, \
              document.activeElement.getAttribute('href')])",
        )
    };
    let has_pdf_link = "[...document.querySelectorAll('a[href$=\"first-brief.pdf\"]')]\
        .some(a => a.textContent.startsWith('Download PDF (')) \
        && !!document.querySelector('meta[name=\"citation_pdf_url\"]')";

    std::fs::write(&file, brief("First Brief", "Version two, morphed.")).unwrap();
    wait_until(
        &tab,
        "document.body.innerText.includes('Version two, morphed.')",
    );
    assert_eq!(
        kept(&tab),
        Some(serde_json::json!(r##"["kept",true,"#p120"]"##)),
        "the page was updated in place, at the same place, with the same link focused"
    );
    // The cite box's script sets it up again: one style shown, with its switcher.
    assert_eq!(
        eval(
            &tab,
            "JSON.stringify([document.querySelector('.cite').classList.contains('is-switchable'), \
              document.querySelector('.cite-controls').hidden, \
              [...document.querySelectorAll('.cite-styles > div')].filter(d => !d.hidden).length])"
        ),
        Some(serde_json::json!("[true,false,1]")),
        "the cite box is switchable after the morph"
    );
    // The PDF of the new text is typeset in the background; its link is morphed in too.
    pdfs_linked(&mut server);
    wait_until(
        &tab,
        &format!("document.body.innerText.includes('Version two, morphed.') && {has_pdf_link}"),
    );
    assert_eq!(
        kept(&tab),
        Some(serde_json::json!(r##"["kept",true,"#p120"]"##)),
        "the PDF's link was morphed into the page, at the same place, with the same link focused"
    );

    // A new title is a change of the head the morph applies too.
    std::fs::write(&file, brief("First Brief, Retitled", "Version three.")).unwrap();
    wait_until(&tab, "document.body.innerText.includes('Version three.')");
    wait_until(&tab, "document.title.includes('First Brief, Retitled')");
    pdfs_linked(&mut server);
    wait_until(
        &tab,
        &format!("document.body.innerText.includes('Version three.') && {has_pdf_link}"),
    );
    assert_eq!(
        eval(&tab, "window.__briefMark"),
        Some(serde_json::json!("kept"))
    );

    // An edit to another brief that this page does not show leaves it alone, and so does the
    // batch that links its PDF.
    let other = server.path("content/briefs/second-brief.md");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{text}\nAnother paragraph.\n")).unwrap();
    server.wait_for_content("/briefs/second-brief/", "Another paragraph.");
    pdfs_linked(&mut server);
    server.wait_for_content("/briefs/second-brief/", "Download PDF (");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        eval(
            &tab,
            "JSON.stringify([window.__briefMark, document.activeElement.getAttribute('href')])"
        ),
        Some(serde_json::json!(r##"["kept","#p120"]"##))
    );
}
