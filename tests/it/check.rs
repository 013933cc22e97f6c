//! `brief check`: each problem of the `check` fixture is reported at its exact line, errors and
//! warnings apart, with exit 1; clean sites pass with exit 0; `@/` links fail `build` too;
//! `--external` asks a local server and caches its answers.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{brief, copy_to_temp, fixture};

fn run_check(dir: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    let output = brief(dir).arg("check").args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn reports_every_problem_of_the_fixture_at_its_line_and_exits_1() {
    let (stdout, stderr, code) = run_check(&fixture("check"), &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let p = "content/briefs/problems.md";
    let expected = [
        format!("{p}:11: error: leftover boilerplate \"Lorem ipsum\": remove it"),
        format!("{p}:18: error: link `#missing`: /research/briefs/problems/ has no element with id `missing`"),
        format!("{p}:18: error: link `../nowhere/` points nowhere: nothing is published at /research/briefs/nowhere/"),
        format!("{p}:18: error: link `@/briefs/good.md#nope`: /research/briefs/good/ has no element with id `nope`"),
        format!("{p}:20: error: link `https://check.example.org/research/briefs/gone/` points nowhere: nothing is published at /research/briefs/gone/"),
        format!("{p}:24: error: image `missing.svg` not found: nothing is published at /research/briefs/problems/missing.svg; put it beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`"),
        format!("{p}:26: error: leftover boilerplate \"Leave a reply\": remove it"),
        format!("{p}:28: error: image `gone.png` not found: nothing is published at /research/briefs/problems/gone.png; put it beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`"),
        "content/pages/about.md:7: error: leftover boilerplate \"Deja una respuesta\": remove it".to_string(),
        "content/briefs/bundle/index.md:6: warning: hero image has no credit: add credit = \"Photo: ...\" under [hero]".to_string(),
        format!("{p}: warning: note [^unused] is defined but never referenced, so it is left out"),
        format!("{p}:2: warning: title is 128 characters; keep it to 110 so search results and share cards show it whole"),
        format!("{p}:5: warning: summary is 352 characters; keep it to 300 so listings and search results show it whole"),
        format!("{p}:7: warning: hero image has no credit: add credit = \"Photo: ...\" under [hero]"),
        format!("{p}:7: warning: the hero image has no alt text; add alt = \"what the photo shows\" under [hero]"),
        format!("{p}:22: warning: image without alt text; describe it between the brackets: ![A chart of …](file.png)"),
        "9 errors, 7 warnings in 5 files; links and images checked: 16".to_string(),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "\n{stdout}");
}

#[test]
fn clean_sites_pass_with_exit_0() {
    for site in [
        fixture("features"),
        fixture("minimal"),
        fixture("..").join(".."),
    ] {
        let (stdout, stderr, code) = run_check(&site, &[]);
        assert_eq!(code, 0, "{}:\n{stdout}{stderr}", site.display());
        assert!(stdout.contains("0 errors"), "{stdout}");
    }
}

#[test]
fn check_writes_nothing_into_the_site() {
    let site = copy_to_temp(&fixture("minimal"));
    let (_, _, code) = run_check(site.path(), &[]);
    assert_eq!(code, 0);
    assert!(!site.path().join("public").exists());
}

/// An editor's slips that build fine but publish badly, each a warning at its line.
#[test]
fn warns_of_skipped_heading_levels_captions_without_photo_and_leftover_shortcodes() {
    let site = copy_to_temp(&fixture("minimal"));
    let text = [
        "+++",                                                // 1
        "title = \"First Brief\"",                            // 2
        "date = 2024-01-15",                                  // 3
        "authors = [\"jane-doe\"]",                           // 4
        "",                                                   // 5
        "[hero]",                                             // 6
        "caption = \"Leaders meet.\"",                        // 7
        "credit = \"Agency\"",                                // 8
        "+++",                                                // 9
        "",                                                   // 10
        "Intro.",                                             // 11
        "",                                                   // 12
        "## Context",                                         // 13
        "",                                                   // 14
        "#### Too deep",                                      // 15
        "",                                                   // 16
        "{{< figure src=\"map.png\" caption=\"The map\" >}}", // 17
        "",                                                   // 18
        "See {% include note.html %} and {{ site.title }}.",  // 19
        "",                                                   // 20
        "```",                                                // 21
        "{{< shown on purpose >}}",                           // 22
        "```",                                                // 23
        "",                                                   // 24
        "Inline `{% raw %}` is code too.",                    // 25
        "",                                                   // 26
        "### Fine after an h4",                               // 27
    ]
    .join("\n");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), text).unwrap();
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 0, "warnings only:\n{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    let expected = [
        format!(
            "{p}:6: warning: [hero] has a caption and a credit but no image, so the page shows no photo and no caption or credit: add image = \"hero.jpg\" under [hero], or remove the caption and credit"
        ),
        format!(
            "{p}:15: warning: heading level skips from h2 to h4: write it with ### (h3), or add the h3 it belongs under"
        ),
        format!(
            "{p}:17: warning: Hugo shortcode `{{{{< figure src=\"map.png\" caption=\"The …` is published as literal text: write it as Markdown (an image is ![What it shows](file.jpg))"
        ),
        format!(
            "{p}:19: warning: Liquid tag `{{% include note.html %}}` is published as literal text: remove it, or write out what it stood for"
        ),
        format!(
            "{p}:19: warning: template expression `{{{{ site.title }}}}` is published as literal text: brief does not run templates in content; write the value itself"
        ),
        "0 errors, 5 warnings in 2 files; links and images checked: 0".to_string(),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "\n{stdout}");
}

#[test]
fn warns_of_a_brief_with_no_text() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n",
    )
    .unwrap();
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 0, "a warning only:\n{stdout}{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "content/briefs/first-brief.md: warning: the brief has no text: its page shows only the title, and listings and search the summary (or the site's description); write the body below the closing +++",
            "0 errors, 1 warning in 2 files; links and images checked: 0",
        ],
        "\n{stdout}"
    );
}

#[test]
fn at_link_to_a_missing_file_fails_build_and_check_at_its_line() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nIntro.\n\nSee [the other](@/briefs/first-brif.md).\n",
    )
    .unwrap();
    let build = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8(build.stderr).unwrap();
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: content/briefs/first-brief.md:9:5: link `@/briefs/first-brif.md` points to content/briefs/first-brif.md, which does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `@/briefs/first-brief.md`?"),
        "{stderr}"
    );
    let (_, check_stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        check_stderr.contains("first-brief.md:9:5: link"),
        "{check_stderr}"
    );
}

#[test]
fn at_links_become_the_targets_address_in_build() {
    let site = copy_to_temp(&fixture("check"));
    let out = site.path().join("out");
    let build = brief(site.path())
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(build.status.success(), "{build:?}");
    let good = std::fs::read_to_string(out.join("briefs/good/index.html")).unwrap();
    assert!(
        good.contains(r##"href="/research/briefs/bundle/#findings""##),
        "{good}"
    );
    let problems = std::fs::read_to_string(out.join("briefs/problems/index.html")).unwrap();
    assert!(problems.contains(r#"href="/research/briefs/good/""#));
    assert!(problems.contains(r#"src="/research/images/chart.svg""#));
    let author = std::fs::read_to_string(out.join("authors/ann-author/index.html")).unwrap();
    assert!(author.contains(r#"href="/research/briefs/bundle/""#));
}

/// A tiny HTTP server: `/ok` 200, `/gone` 404, `/slow` answers after 3 s; counts requests by path.
fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let mut parts = request.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                log.lock().unwrap().push(format!("{method} {path}"));
                let status = match path {
                    "/ok" => "200 OK",
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let _ = write!(
                    &stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (address, seen)
}

#[test]
fn external_links_are_checked_once_and_cached() {
    let (server, seen) = serve();
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/first-brief.md"),
        format!("+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n[ok]({server}/ok) and [again]({server}/ok).\n\n[gone]({server}/gone)\n\n[slow]({server}/slow)\n"),
    )
    .unwrap();
    let args = ["--external", "--timeout", "1", "--concurrency", "2"];
    let (stdout, stderr, code) = run_check(site.path(), &args);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    assert!(
        stdout.contains(&format!(
            "{p}:9: error: external link {server}/gone is gone (HTTP 404)"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{p}:11: warning: external link {server}/slow did not answer within 1 s"
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("/ok"), "{stdout}");
    let count = |path: &str| {
        let seen = seen.lock().unwrap();
        seen.iter()
            .filter(|r| r.ends_with(&format!(" {path}")))
            .count()
    };
    // Asked once although linked twice; 404 after HEAD is asked again with GET.
    assert_eq!((count("/ok"), count("/gone")), (1, 2));
    assert!(site.path().join(".brief-check-cache.json").is_file());

    let (again, _, code) = run_check(site.path(), &args);
    assert_eq!(code, 1);
    assert!(again.contains("is gone (HTTP 404)"), "{again}");
    // Definite answers come from the cache; the one that timed out is asked again.
    assert_eq!((count("/ok"), count("/gone")), (1, 2));
    assert_eq!(count("/slow"), 4);
}

/// brief has no embargo: a brief dated in the future is published at once, first in every
/// list; and an `updated` before the `date` reads "updated before it was published". Both are
/// warnings at their lines.
#[test]
fn check_warns_of_a_date_in_the_future_and_an_update_before_the_date() {
    let site = crate::common::copy_to_temp(&crate::common::fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/embargoed.md"),
        "+++\ntitle = \"Embargoed\"\ndate = 2999-01-15\nupdated = 2998-01-01\nauthors = [\"jane-doe\"]\n+++\n\nText.\n",
    )
    .unwrap();
    let output = crate::common::brief(site.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let dated: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("embargoed.md"))
        .collect();
    assert_eq!(
        dated,
        [
            "content/briefs/embargoed.md:3: warning: dated 2999-01-15, after today: it is published now, first in every list and feed; take it out of content/ (or set draft = true) until that day",
            "content/briefs/embargoed.md:4: warning: updated 2998-01-01 is before its date 2999-01-15: the page would say it was updated before it was published"
        ],
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(0), "warnings only: {stdout}");
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";

/// A page renamed or a topic merged leaves a dead link in the header, the footer or a takeaway
/// of every page: each is an error at its line in config.toml or the front matter, worded as a
/// body's, and a link to an old address is a warning there too.
#[test]
fn links_of_the_menu_footer_and_markdown_front_matter_are_checked_at_their_lines() {
    let config = [
        "title = \"Minimal Site\"",                                            // 1
        "base_url = \"https://example.org/research/\"",                        // 2
        "footer = \"[Contact us](/contact/) · [Our team](/about/#team)\"",     // 3
        "disclaimer = \"Views are the authors' ([policy](/about/#policy)).\"", // 4
        "",                                                                    // 5
        "[[menu]]",                                                            // 6
        "name = \"Energy\"",                                                   // 7
        "url = \"/topics/energy-security/\"",                                  // 8
        "[[menu]]",                                                            // 9
        "name = \"About\"",                                                    // 10
        "url = \"/about/\"",                                                   // 11
        "[[menu]]",                                                            // 12
        "name = \"Launch\"",                                                   // 13
        "url = \"/launch/\"",                                                  // 14
    ]
    .join("\n");
    let brief = [
        "+++",                                                     // 1
        "title = \"First Brief\"",                                 // 2
        "date = 2024-01-15",                                       // 3
        "authors = [\"jane-doe\"]",                                // 4
        "aliases = [\"/launch/\"]",                                // 5
        "key_takeaways = [",                                       // 6
        "  \"See [our energy work](/topics/energy-security/).\",", // 7
        "  \"Read [about us](/about/#team).\",",                   // 8
        "]",                                                       // 9
        "recommendations = [\"Fund [the plan](#plan).\"]",         // 10
        "",                                                        // 11
        "[hero]",                                                  // 12
        "image = \"/x.svg\"",                                      // 13
        "alt = \"A map\"",                                         // 14
        "credit = \"Agency\"",                                     // 15
        "caption = \"As [launched](/launch/).\"",                  // 16
        "+++",                                                     // 17
        "",                                                        // 18
        "The first paragraph, [about us](/about/).",               // 19
    ]
    .join("\n");
    let site = crate::editorial::site_with(&[
        ("config.toml", &config),
        ("content/briefs/first-brief.md", &brief),
        ("static/x.svg", SVG),
        (
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\n\n## Team\n\nWe are few.\n",
        ),
    ]);
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    let launch = "leads to an old address (alias of content/briefs/first-brief.md): link to `/briefs/first-brief/` instead, or to `@/briefs/first-brief.md`, which follows the brief wherever it moves";
    let expected = [
        "config.toml:3: error: link `/contact/` points nowhere: nothing is published at /research/contact/".to_string(),
        "config.toml:4: error: link `/about/#policy`: /research/about/ has no element with id `policy`".to_string(),
        "config.toml:8: error: link `/topics/energy-security/` points nowhere: nothing is published at /research/topics/energy-security/".to_string(),
        format!("{p}:7: error: link `/topics/energy-security/` points nowhere: nothing is published at /research/topics/energy-security/"),
        format!("{p}:10: error: link `#plan`: /research/briefs/first-brief/ has no element with id `plan`"),
        format!("config.toml:14: warning: link `/launch/` {launch}"),
        format!("{p}:16: warning: link `/launch/` {launch}"),
        "5 errors, 2 warnings in 3 files; links and images checked: 11".to_string(),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "\n{stdout}");
}

/// Code in a figure's or table's Markdown options and a table's rows would run: a warning at
/// its line. Fields shown escaped as plain text (a title, a summary, a hero's credit, a page's
/// title, config.toml's description) warn of nothing, nor does a code block.
#[test]
fn warns_of_code_in_block_fields_and_table_rows_but_not_in_escaped_fields() {
    let config = [
        "title = \"Minimal Site\"",                                 // 1
        "base_url = \"https://example.org/\"",                      // 2
        "description = \"Notes on <script> tags\"",                 // 3
        "footer = \"<span onmouseover=\\\"x()\\\">Footer</span>\"", // 4
    ]
    .join("\n");
    let brief = [
        "+++",                                                              // 1
        "title = \"Why <script> tags matter\"",                             // 2
        "subtitle = \"And <b onclick=go()>handlers</b>\"",                  // 3
        "date = 2024-01-15",                                                // 4
        "authors = [\"jane-doe\"]",                                         // 5
        "summary = \"About <img src=x onerror=alert(1)> and javascript:\"", // 6
        "key_takeaways = [\"Kept: <span onclick=\\\"go()\\\">x</span>\"]",  // 7
        "",                                                                 // 8
        "[hero]",                                                           // 9
        "image = \"/x.svg\"",                                               // 10
        "alt = \"A map\"",                                                  // 11
        "credit = \"Photo: <script>x</script>\"",                           // 12
        "caption = \"<a href='javascript:go()'>Map</a>\"",                  // 13
        "+++",                                                              // 14
        "",                                                                 // 15
        "Text.",                                                            // 16
        "",                                                                 // 17
        "```figure",                                                        // 18
        "image = \"/x.svg\"",                                               // 19
        "alt = \"a\"",                                                      // 20
        "title = \"Chart <script>alert(5)</script>\"",                      // 21
        "caption = \"<img src=x onerror=alert(7)>\"",                       // 22
        "source = \"[Source](javascript:alert(6))\"",                       // 23
        "```",                                                              // 24
        "",                                                                 // 25
        "```table",                                                         // 26
        "source = \"s\"",                                                   // 27
        "+++",                                                              // 28
        "| a | b |",                                                        // 29
        "|---|---|",                                                        // 30
        "| <img src=x onerror=alert(2)> | c |",                             // 31
        "| d | [j](javascript:alert(3)) |",                                 // 32
        "```",                                                              // 33
        "",                                                                 // 34
        "```html",                                                          // 35
        "<script>shown as code</script>",                                   // 36
        "```",                                                              // 37
    ]
    .join("\n");
    let site = crate::editorial::site_with(&[
        ("config.toml", &config),
        ("content/briefs/first-brief.md", &brief),
        ("static/x.svg", SVG),
        (
            "content/pages/about.md",
            "+++\ntitle = \"On <script> and onload= <b onclick=x>\"\n+++\n\nAbout.\n",
        ),
    ]);
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 0, "warnings only:\n{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    let run = "would run in readers' browsers; remove it unless you mean it (an embed code, say)";
    let expected = [
        format!("config.toml:4: warning: an `on…=` event attribute {run}"),
        format!("{p}:7: warning: an `on…=` event attribute {run}"),
        format!("{p}:13: warning: a `javascript:` address {run}"),
        format!("{p}:21: warning: a <script> element {run}"),
        format!("{p}:22: warning: an `on…=` event attribute {run}"),
        format!("{p}:23: warning: a `javascript:` address {run}"),
        format!("{p}:31: warning: an `on…=` event attribute {run}"),
        format!("{p}:32: warning: a `javascript:` address {run}"),
        "0 errors, 8 warnings in 3 files; links and images checked: 1".to_string(),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "\n{stdout}");
}

/// The footer is on every page: a link in it relative to the page (`about/`) resolves from
/// the home page only, so it is a warning that says how to write it.
#[test]
fn a_relative_link_in_the_footer_is_a_warning() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("footer = \"See [about](about/).\"\n{text}"),
    )
    .unwrap();
    let (stdout, _, _) = run_check(site.path(), &[]);
    let footer: Vec<&str> = stdout.lines().filter(|l| l.contains("`footer`")).collect();
    assert_eq!(
        footer,
        [
            "config.toml:1: warning: `footer` links `about/` relative to each page it is shown on, so it leads elsewhere from every folder; write it from the site's root (`/about/`) or as an `@/` link"
        ],
        "{stdout}"
    );
}

/// Shortcodes a WordPress archive left in the text reach readers as text: a warning each at
/// its line, also as the import writes them (`\[...\]`); bracketed prose, links, notes,
/// citations and task boxes are not shortcodes.
#[test]
fn warns_of_leftover_wordpress_shortcodes_but_not_bracketed_prose() {
    let site = copy_to_temp(&fixture("minimal"));
    let text = [
        "+++",                                                  // 1
        "title = \"First Brief\"",                              // 2
        "date = 2024-01-15",                                    // 3
        "authors = [\"jane-doe\"]",                             // 4
        "+++",                                                  // 5
        "",                                                     // 6
        "Intro, as he said [sic], in 2023 [1] and later.[^1]",  // 7
        "",                                                     // 8
        "\\[contact-form-7 id=\"42\" title=\"Newsletter\"\\]",  // 9
        "",                                                     // 10
        "- [x] done, [emphasis added], [the home page](/)",     // 11
        "",                                                     // 12
        "Photo of the summit.[/caption] [gallery ids=\"1,2\"]", // 13
        "",                                                     // 14
        "`[gallery]` shown on purpose.",                        // 15
        "",                                                     // 16
        "[^1]: A note.",                                        // 17
    ]
    .join("\n");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), text).unwrap();
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 0, "warnings only:\n{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    let help = "remove it, or write what it showed as Markdown (an image is ![What it shows](file.jpg), a form or video a link to it)";
    let expected = [
        format!(
            "{p}:9: warning: WordPress shortcode `[contact-form-7 id=\"42\" title=\"Newslet …` is published as literal text: {help}"
        ),
        format!(
            "{p}:13: warning: WordPress shortcode `[/caption]` is published as literal text: {help}"
        ),
        format!(
            "{p}:13: warning: WordPress shortcode `[gallery ids=\"1,2\"]` is published as literal text: {help}"
        ),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[..3], expected, "\n{stdout}");
    assert_eq!(lines.len(), 4, "\n{stdout}");
}

/// WordPress's links by id (`/?p=10`, an attachment page's `/?attachment_id=7`) find the home
/// page, which ignores the query: an error, not a pass because `/` exists.
#[test]
fn a_wordpress_link_by_id_is_an_error_though_the_home_page_exists() {
    let site = copy_to_temp(&fixture("minimal"));
    let text = [
        "+++",
        "title = \"First Brief\"",
        "date = 2024-01-15",
        "authors = [\"jane-doe\"]",
        "+++",
        "",
        "As we wrote [in May](/?p=10), see [about us](https://example.org/?page_id=4#team).",
        "",
        "The [home page](/) and a [search](/search/?q=p%3D1) are fine.",
        "",
        "The [map](/?attachment_id=7) was on an attachment page.",
    ]
    .join("\n");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), text).unwrap();
    let (stdout, stderr, code) = run_check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let p = "content/briefs/first-brief.md";
    let expected = [
        format!(
            "{p}:7: error: link `/?p=10` is a WordPress address by id (post 10), which here leads to the home page: link to the post's new address (`brief import wordpress` rewrites those of the posts it imports)"
        ),
        format!(
            "{p}:7: error: link `https://example.org/?page_id=4#team` is a WordPress address by id (post 4), which here leads to the home page: link to the post's new address (`brief import wordpress` rewrites those of the posts it imports)"
        ),
        format!(
            "{p}:11: error: link `/?attachment_id=7` is a WordPress attachment page (attachment 7), which here leads to the home page: link to the file itself (`brief import wordpress` rewrites those of the attachments it imports)"
        ),
        "3 errors, 0 warnings in 2 files; links and images checked: 5".to_string(),
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "\n{stdout}");
}

#[test]
fn a_long_report_ends_with_its_most_common_kinds_of_problem() {
    let site = copy_to_temp(&fixture("minimal"));
    // As an imported archive has them: old category links in 24 briefs, one kind of problem.
    for n in 1..=24 {
        std::fs::write(
            site.path().join(format!("content/briefs/old-{n}.md")),
            format!(
                "+++\ntitle = \"Old {n}\"\ndate = 2020-01-01\nauthors = [\"jane-doe\"]\n+++\n\nSee [more](/category/topic-{n}/).\n"
            ),
        )
        .unwrap();
    }
    let (stdout, _, code) = run_check(site.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let tail: Vec<&str> = stdout.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "24 errors, 0 warnings in 26 files; links and images checked: 24",
            "  24 × error: link `…` points nowhere: nothing is published at …",
            "Most common:",
        ],
        "{stdout}"
    );
}
