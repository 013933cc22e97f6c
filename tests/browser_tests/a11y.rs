//! Validity, accessibility and layout in a real browser. The example site and the features
//! fixture are built and served over local HTTP; every HTML page must pass html-validate, and in
//! Debian's headless Chromium every page must have zero axe-core violations in light and dark
//! mode, no horizontal scrolling at 390px wide, and no layout shift while it loads (its fonts
//! included). A brief starts its text on the first screen, and its pull quotes keep away from
//! the sentences they repeat.
//!
//! The tools come from npm (tests/browser/package.json, installed by `npm ci` in scripts/test).
//! Rules of html-validate's recommended set that are turned off are listed, each with its
//! reason, in tests/browser/README.md.
//!
//! Skips, saying why, where Chromium, node or the npm packages are missing and `CI` is unset.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Emulation;

use crate::browser::{chromium_or_skip, eval, launch};
use crate::common::{brief, fixture};

/// Where the npm packages are installed.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Whether node and the npm packages are there; panics in CI, prints a skip elsewhere.
pub fn node_tools_or_skip(test: &str) -> bool {
    let node = Command::new("node").arg("--version").output().is_ok();
    let installed = tools_dir()
        .join("node_modules/axe-core/axe.min.js")
        .is_file()
        && tools_dir()
            .join("node_modules/.bin/html-validate")
            .is_file();
    if node && installed {
        return true;
    }
    let why = "node and `npm ci` in tests/browser are needed";
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why} (scripts/test installs them)");
    }
    eprintln!("SKIPPED {test}: {why}");
    false
}

/// A site built into a temporary folder and served from it over HTTP on a free local port.
pub struct Served {
    pub url: String,
    pub out: PathBuf,
    _dir: tempfile::TempDir,
}

/// Builds the site at `root` with its base_url pointing at a local server, and serves it.
pub fn build_and_serve(root: &Path) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    brief(root)
        .args(["build", "--output"])
        .arg(&out)
        .args(["--base-url", &url])
        .assert()
        .success();
    let served = out.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(stream, &served);
        }
    });
    Served {
        url,
        out,
        _dir: dir,
    }
}

/// One GET answered from `dir`: a static file server small enough to write here rather than
/// depend on one; 404.html for anything missing, as a host would.
fn respond(mut stream: std::net::TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file = dir.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let (status, body, file) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body, file),
        _ => {
            let missing = dir.join("404.html");
            ("404 Not Found", std::fs::read(&missing)?, missing)
        }
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Every HTML page of a built site, as paths under its root (`briefs/x/`, `404.html`), sorted.
fn pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            rel.strip_suffix("index.html")
                .map(String::from)
                .unwrap_or(rel)
        })
        .collect();
    pages.sort();
    pages
}

fn example_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_page_passes_html_validate() {
    if !node_tools_or_skip("every_page_passes_html_validate") {
        return;
    }
    for root in [example_site(), fixture("features")] {
        let site = build_and_serve(&root);
        let files: Vec<PathBuf> = walkdir::WalkDir::new(&site.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| e.into_path())
            .collect();
        assert!(files.len() > 10, "{} pages built", files.len());
        let output = Command::new("node")
            .arg(tools_dir().join("node_modules/.bin/html-validate"))
            .args(["--config", ".htmlvalidate.json", "--formatter", "text"])
            .args(&files)
            .current_dir(tools_dir())
            .output()
            .expect("node runs");
        assert!(
            output.status.success(),
            "html-validate found errors in {}:\n{}{}",
            root.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Loads `url`, runs axe-core in it, and returns the violations as readable lines.
fn axe_violations(tab: &Tab, url: &str, axe: &str) -> Vec<String> {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.evaluate(axe, false).expect("axe-core loads");
    // Heading levels inside a brief's text are the editor's (the features fixture skips from
    // h2 to h4 on purpose, to test the TOC); the theme's own headings are all checked.
    let run = "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(\
        r.violations.map(v => ({ v, nodes: v.nodes.filter(n => !(v.id === 'heading-order' && \
        document.querySelector(n.target[0]).closest('.prose'))) })).filter(x => x.nodes.length)\
        .map(({ v, nodes }) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + \
        nodes.map(n => n.target.join(' ')).join(', '))))";
    let result = tab.evaluate(run, true).expect("axe.run").value;
    let text = result.and_then(|v| v.as_str().map(String::from));
    serde_json::from_str(&text.unwrap_or_else(|| "[]".into())).unwrap()
}

fn set_color_scheme(tab: &Tab, scheme: &str) {
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .unwrap();
}

fn set_width(tab: &Tab, width: u32) {
    set_viewport(tab, width, 844);
}

/// Emulates a window of `width` x `height` CSS pixels.
fn set_viewport(tab: &Tab, width: u32, height: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

#[test]
fn every_page_has_no_axe_violations_in_light_and_dark_mode_and_fits_390px() {
    let test = "every_page_has_no_axe_violations_in_light_and_dark_mode_and_fits_390px";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    if !node_tools_or_skip(test) {
        return;
    }
    let axe =
        std::fs::read_to_string(tools_dir().join("node_modules/axe-core/axe.min.js")).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for root in [example_site(), fixture("features")] {
        let site = build_and_serve(&root);
        let mut pages = pages(&site.out);
        // A path nothing is at: the server answers with the site's 404 page.
        pages.push("no-such-page/".into());
        for page in pages {
            let url = format!("{}{page}", site.url);
            for scheme in ["light", "dark"] {
                set_color_scheme(&tab, scheme);
                set_width(&tab, 1280);
                for v in axe_violations(&tab, &url, &axe) {
                    problems.push(format!("{url} ({scheme}): {v}"));
                }
            }
            set_color_scheme(&tab, "light");
            set_width(&tab, 390);
            tab.navigate_to(&url)
                .unwrap()
                .wait_until_navigated()
                .unwrap();
            let widths = tab
                .evaluate(
                    "JSON.stringify([window.innerWidth, document.documentElement.scrollWidth])",
                    false,
                )
                .expect("the page answers")
                .value;
            let widths: Vec<u64> = widths
                .as_ref()
                .and_then(|v| serde_json::from_str(v.as_str()?).ok())
                .unwrap_or_else(|| panic!("{url}: widths {widths:?}"));
            assert_eq!(widths.first(), Some(&390), "viewport of {url}");
            if widths.get(1).is_none_or(|w| *w > 390) {
                problems.push(format!("{url}: scrolls sideways at 390px ({widths:?})"));
            }
            // Small screens get their own axe run: the menu and tables lay out differently.
            for v in axe_violations(&tab, &url, &axe) {
                problems.push(format!("{url} (390px): {v}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} pages checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn notes_and_contents_are_reachable_by_keyboard_and_pull_quotes_are_hidden_from_screen_readers() {
    let test = "notes_and_contents_are_reachable_by_keyboard";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let site = build_and_serve(&fixture("features"));
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    let url = format!("{}briefs/bundle-brief/", site.url);
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    // Tab through the page, collecting what takes the focus.
    let mut focused: Vec<String> = Vec::new();
    let reached = |focused: &[String], what: &str| focused.iter().any(|f| f.starts_with(what));
    for _ in 0..200 {
        if ["toc #", "ref #", "notes #"]
            .iter()
            .all(|w| reached(&focused, w))
        {
            break;
        }
        tab.press_key("Tab").unwrap();
        let here = eval(
            &tab,
            "(() => { const a = document.activeElement; return (a.closest('.toc') ? 'toc ' : a.closest('.prose') && a.classList.contains('note-ref') || a.closest('.note-ref') ? 'ref ' : a.closest('.endnotes') ? 'notes ' : '') + (a.getAttribute('href') || a.tagName); })()",
        );
        let here = here
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        // On a narrow window the contents are a disclosure: a keyboard user opens it.
        if here == "toc SUMMARY"
            && eval(&tab, "document.querySelector('.toc details').open")
                == Some(serde_json::Value::Bool(false))
        {
            tab.press_key("Enter").unwrap();
        }
        focused.push(here);
    }
    assert!(
        focused.iter().any(|f| f.starts_with("toc #")),
        "{focused:?}"
    );
    assert!(
        focused.iter().any(|f| f.starts_with("ref #")),
        "{focused:?}"
    );
    assert!(
        focused.iter().any(|f| f.starts_with("notes #")),
        "{focused:?}"
    );
    let hidden = eval(
        &tab,
        "[...document.querySelectorAll('.pull-quote')].every(q => q.closest('[aria-hidden=true]'))",
    );
    assert_eq!(hidden, Some(serde_json::Value::Bool(true)));
}

/// The page's cumulative layout shift once loaded and its fonts are in, from the Layout
/// Instability API (buffered entries, so shifts before this script ran count), with the
/// elements that moved.
fn layout_shift(tab: &Tab, url: &str) -> (f64, String) {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let measure = "new Promise(done => document.fonts.ready.then(() => setTimeout(() => { \
        let total = 0; const moved = []; \
        new PerformanceObserver(list => { for (const e of list.getEntries()) { \
          if (e.hadRecentInput) continue; total += e.value; \
          for (const s of e.sources || []) moved.push(s.node ? (s.node.nodeName + '.' + (s.node.className || '')) : '?'); } }) \
        .observe({ type: 'layout-shift', buffered: true }); \
        setTimeout(() => done(JSON.stringify([total, moved.join(', ')])), 200); }, 300)))";
    let value = tab.evaluate(measure, true).expect("layout shift").value;
    let text = value.and_then(|v| v.as_str().map(String::from)).unwrap();
    let (total, moved): (f64, String) = serde_json::from_str(&text).unwrap();
    (total, moved)
}

#[test]
fn no_page_shifts_its_layout_while_it_loads() {
    let test = "no_page_shifts_its_layout_while_it_loads";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for root in [example_site(), fixture("features")] {
        let site = build_and_serve(&root);
        let mut pages = pages(&site.out);
        pages.push("no-such-page/".into());
        for page in pages {
            let url = format!("{}{page}", site.url);
            for (width, height) in [(1280, 800), (390, 844)] {
                set_viewport(&tab, width, height);
                let (shift, moved) = layout_shift(&tab, &url);
                if shift > 0.0 {
                    problems.push(format!(
                        "{url} at {width}px: layout shift {shift:.4} ({moved})"
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} pages checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where the first paragraph of a brief's text starts, in CSS pixels from the top of the page.
fn first_paragraph_top(tab: &Tab, url: &str) -> f64 {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let top = tab
        .evaluate(
            "document.fonts.ready.then(() => document.querySelector('.brief-body > p').getBoundingClientRect().top + window.scrollY)",
            true,
        )
        .expect("the page answers")
        .value;
    top.and_then(|v| v.as_f64())
        .unwrap_or_else(|| panic!("{url}: no first paragraph"))
}

#[test]
fn a_brief_starts_its_text_on_the_first_screen_and_pull_quotes_keep_away_from_their_sentences() {
    let test = "a_brief_starts_its_text_on_the_first_screen";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    let example = build_and_serve(&example_site());
    let panda = format!(
        "{}briefs/what-putin-and-kim-want-from-each-other/",
        example.url
    );

    // A brief without a hero image: at 1280x800 the text starts on the first screen, with at
    // least two lines of it in view.
    set_viewport(&tab, 1280, 800);
    let top = first_paragraph_top(&tab, &panda);
    assert!(
        top <= 740.0,
        "the first paragraph starts at {top}px at 1280x800"
    );
    // A brief with a hero image: on a phone the text is reached within one scroll.
    let features = build_and_serve(&fixture("features"));
    set_viewport(&tab, 390, 844);
    let bundle = format!("{}briefs/bundle-brief/", features.url);
    let top = first_paragraph_top(&tab, &bundle);
    assert!(
        top < 2.0 * 844.0,
        "the first paragraph starts at {top}px at 390x844"
    );

    // Each pull quote is at least 200px (vertically) from the sentence it repeats, and two
    // quotes are never on one screen, on a wide screen and on a phone.
    // Quote marks and spaces are folded one character for one, so that offsets stay valid.
    let distances = r#"(() => {
        const fold = t => t.replace(/[\u2018\u2019]/g, "'").replace(/[\u201C\u201D]/g, '"').replace(/\s/g, ' ');
        const body = document.querySelector('.brief-body');
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
            acceptNode: n => n.parentElement.closest('.pull-quote, .sidenote')
                ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
        const texts = [];
        while (walker.nextNode()) texts.push(walker.currentNode);
        return JSON.stringify([...document.querySelectorAll('.pull-quote')].map(q => {
            const words = fold(q.textContent).trim().replace(/[.,;:!?]+$/, '');
            const head = words.slice(0, 25);
            const node = texts.find(t => fold(t.textContent).includes(head));
            if (!node) return ['no source for ' + words, 0, 0];
            const start = fold(node.textContent).indexOf(head);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, Math.min(node.length, start + words.length));
            const s = range.getBoundingClientRect();
            const b = q.getBoundingClientRect();
            return [words, Math.max(b.top - s.bottom, s.top - b.bottom), b.top + window.scrollY];
        }));
    })()"#;
    for (width, height) in [(1280, 800), (390, 844)] {
        set_viewport(&tab, width, height);
        tab.navigate_to(&panda)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        let found = eval(&tab, distances).and_then(|v| v.as_str().map(String::from));
        let found: Vec<(String, f64, f64)> = serde_json::from_str(&found.unwrap()).unwrap();
        assert_eq!(found.len(), 3, "{found:?}");
        for (quote, gap, _) in &found {
            assert!(
                *gap >= 200.0,
                "at {width}px the pull quote {quote:?} is {gap}px from its sentence"
            );
        }
        for pair in found.windows(2) {
            assert!(
                pair[1].2 - pair[0].2 >= f64::from(height),
                "at {width}px two pull quotes share a screen: {pair:?}"
            );
        }
    }
}

#[test]
fn the_footer_keeps_the_sites_name_on_one_line_however_many_pages_it_lists() {
    let test = "the_footer_keeps_the_sites_name_on_one_line";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    // An imported archive brings a dozen plain pages or more, each listed in the footer.
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    for title in [
        "Contact",
        "Events",
        "Press",
        "Privacy Policy",
        "Staff",
        "Support Us",
        "Annual Reports",
        "Careers",
        "Newsletter",
        "Donate",
        "2019 Annual Report",
        "Methodology",
        "Our Funders",
    ] {
        let file = site
            .path()
            .join("content/pages")
            .join(format!("{}.md", title.to_lowercase().replace(' ', "-")));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, format!("+++\ntitle = \"{title}\"\n+++\n\nText.\n")).unwrap();
    }
    let served = build_and_serve(site.path());
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    for width in [800, 1280] {
        set_viewport(&tab, width, 900);
        tab.navigate_to(&format!("{}contact/", served.url))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        let lines = eval(
            &tab,
            "document.querySelector('.footer-title a').getClientRects().length",
        );
        assert_eq!(
            lines.and_then(|v| v.as_u64()),
            Some(1),
            "at {width}px the site's name in the footer takes more than one line"
        );
    }
}

#[test]
fn the_contents_in_the_margin_cannot_be_closed_by_key_or_click() {
    let test = "the_contents_in_the_margin_cannot_be_closed";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let example = build_and_serve(&example_site());
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    set_viewport(&tab, 1300, 900);
    tab.navigate_to(&format!(
        "{}briefs/what-putin-and-kim-want-from-each-other/",
        example.url
    ))
    .unwrap()
    .wait_until_navigated()
    .unwrap();
    let open = |tab: &Tab| eval(tab, "document.querySelector('.toc details').open");
    assert_eq!(open(&tab), Some(serde_json::Value::Bool(true)));
    assert_eq!(
        eval(&tab, "document.querySelector('.toc summary').tabIndex"),
        Some(serde_json::json!(-1)),
        "a title here, not a control in the Tab order"
    );
    eval(&tab, "document.querySelector('.toc summary').focus()");
    tab.press_key("Enter").unwrap();
    assert_eq!(
        open(&tab),
        Some(serde_json::Value::Bool(true)),
        "after Enter"
    );
    eval(&tab, "document.querySelector('.toc summary').click()");
    assert_eq!(
        open(&tab),
        Some(serde_json::Value::Bool(true)),
        "after a click"
    );
    // On a phone it is a disclosure again, in the Tab order.
    set_viewport(&tab, 390, 844);
    assert_eq!(
        eval(&tab, "document.querySelector('.toc summary').tabIndex"),
        Some(serde_json::json!(0))
    );
}

#[test]
fn a_wide_table_on_a_phone_scrolls_in_a_box_the_keyboard_reaches() {
    let test = "a_wide_table_on_a_phone_scrolls_in_a_box_the_keyboard_reaches";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    if !node_tools_or_skip(test) {
        return;
    }
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    let row = |cells: &[&str]| format!("| {} |", cells.join(" | "));
    let head = [
        "Country",
        "Exports 2021",
        "Exports 2022",
        "Imports 2021",
        "Imports 2022",
        "Balance",
        "Partner rank",
    ];
    let table = [
        row(&head),
        row(&["---"; 7]),
        row(&[
            "Democratic People's Republic of Korea",
            "1,234",
            "1,456",
            "2,345",
            "2,567",
            "-1,111",
            "12",
        ]),
        row(&[
            "Russian Federation",
            "98,765",
            "87,654",
            "76,543",
            "65,432",
            "22,222",
            "3",
        ]),
    ]
    .join("\n");
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        format!(
            "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nTrade in figures.\n\n{table}\n\n```table\ntitle = \"Trade by partner\"\nsource = \"Customs\"\n+++\n{table}\n```\n"
        ),
    )
    .unwrap();
    let served = build_and_serve(site.path());
    let axe =
        std::fs::read_to_string(tools_dir().join("node_modules/axe-core/axe.min.js")).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    set_viewport(&tab, 375, 812);
    let url = format!("{}briefs/first-brief/", served.url);
    let violations = axe_violations(&tab, &url, &axe);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // Both tables are wider than the phone, each in a box that scrolls and takes the focus.
    let boxes = eval(
        &tab,
        "JSON.stringify([...document.querySelectorAll('.table-scroll')].map(b => [b.scrollWidth > b.clientWidth, b.tabIndex, b.getAttribute('aria-label')]))",
    );
    assert_eq!(
        boxes.and_then(|v| v.as_str().map(String::from)).as_deref(),
        Some(r#"[[true,0,"Table"],[true,0,"Table 1"]]"#)
    );
}

#[test]
fn escape_closes_the_phone_menu_and_gives_the_focus_back_to_its_button() {
    let test = "escape_closes_the_phone_menu";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let served = build_and_serve(&fixture("minimal"));
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    set_viewport(&tab, 390, 844);
    tab.navigate_to(&served.url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let expanded = |tab: &Tab| {
        eval(
            tab,
            "document.querySelector('.menu-button').getAttribute('aria-expanded')",
        )
    };
    eval(&tab, "document.querySelector('.menu-button').click()");
    assert_eq!(expanded(&tab), Some(serde_json::json!("true")));
    eval(&tab, "document.querySelector('#site-menu a').focus()");
    tab.press_key("Escape").unwrap();
    assert_eq!(expanded(&tab), Some(serde_json::json!("false")));
    assert_eq!(
        eval(
            &tab,
            "document.activeElement === document.querySelector('.menu-button')"
        ),
        Some(serde_json::Value::Bool(true))
    );
}

#[test]
fn copy_link_is_a_button_that_space_and_enter_press_without_scrolling() {
    let test = "copy_link_is_a_button_that_space_and_enter_press";
    let Some(chromium) = chromium_or_skip(test) else {
        return;
    };
    let served = build_and_serve(&fixture("minimal"));
    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    set_viewport(&tab, 1280, 600);
    let page = format!("{}briefs/first-brief/", served.url);
    tab.navigate_to(&page)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    // The script shows the button in the place of the link the page has without it.
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('a.share-copy').hidden + ' ' + document.querySelector('button.share-copy').hidden"
        ),
        Some(serde_json::json!("true false"))
    );
    // What the page writes to the clipboard, without asking the browser for the permission.
    eval(
        &tab,
        "navigator.clipboard.writeText = function (text) { window.copied = text; return Promise.resolve(); }",
    );
    let status = "document.querySelector('.share-status').textContent";
    for key in [" ", "Enter"] {
        eval(
            &tab,
            "window.copied = null; document.querySelector('.share-status').textContent = ''; window.scrollTo(0, 0); document.querySelector('button.share-copy').focus({ preventScroll: true })",
        );
        let before = eval(&tab, "window.scrollY");
        tab.press_key(key).unwrap();
        crate::browser::wait_until(&tab, &format!("{status} === 'Link copied'"));
        assert_eq!(
            eval(&tab, "window.copied"),
            Some(serde_json::json!(page)),
            "{key:?} copies the page's address"
        );
        assert_eq!(
            eval(&tab, "window.scrollY"),
            before,
            "{key:?} scrolls the page"
        );
    }
}
