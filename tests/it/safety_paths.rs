//! Nothing outside the site leaks into it: paths from content and config stay inside the
//! site's folders, links run no code, `serve` answers only this machine's names and never
//! redirects elsewhere, and build and serve agree on which files are editors' temporaries.

use std::path::Path;
use std::time::Duration;

use crate::common::{brief, build_site, fixture, read_output};
use crate::editorial::site_with;
use crate::server::Server;

/// Builds `site`, expecting failure; returns stderr.
fn build_fails(site: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = brief(site)
        .args(["build", "--output"])
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

const BRIEF_HEAD: &str =
    "+++\ntitle = \"First Brief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n";

fn brief_with(front: &str) -> String {
    format!("{BRIEF_HEAD}{front}+++\n\nThe first paragraph.\n")
}

#[test]
fn hero_and_pdf_paths_outside_the_site_are_errors_at_their_line() {
    for value in [
        "../../../../etc/passwd",
        "/../../../../etc/passwd",
        "//etc/passwd",
        "./../config.toml",
    ] {
        let text = brief_with(&format!("pdf = \"{value}\"\n[hero]\nimage = \"{value}\"\n"));
        let site = site_with(&[("content/briefs/first-brief.md", &text)]);
        let stderr = build_fails(site.path());
        // Each at its own key, although both hold the same text.
        assert!(
            stderr.contains(&format!(
                "content/briefs/first-brief.md:7:1: hero image `{value}` points outside the site's folders"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "content/briefs/first-brief.md:5:1: PDF `{value}` points outside"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_bundle_hero_cannot_climb_out_of_its_folder() {
    let text = brief_with("[hero]\nimage = \"../other/photo.jpg\"\nalt = \"x\"\n");
    let site = site_with(&[
        ("content/briefs/x/index.md", &text),
        ("content/briefs/other/photo.jpg", "jpg"),
    ]);
    std::fs::remove_file(site.path().join("content/briefs/first-brief.md")).unwrap();
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains("content/briefs/x/index.md:6:1: hero image `../other/photo.jpg` points outside the site's folders"),
        "{stderr}"
    );
}

#[test]
fn an_author_photo_outside_the_site_is_an_error() {
    let site = site_with(&[(
        "content/authors/jane-doe.md",
        "+++\nname = \"Jane Doe\"\nphoto = \"/../../../etc/hostname\"\n+++\n\nBio.\n",
    )]);
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "content/authors/jane-doe.md:3:1: photo `/../../../etc/hostname` points outside"
        ),
        "{stderr}"
    );
}

#[test]
fn logo_and_theme_outside_their_folders_are_config_errors() {
    let config = std::fs::read_to_string(fixture("minimal/config.toml")).unwrap();
    let site = site_with(&[(
        "config.toml",
        &format!("{config}logo = \"../../../../etc/passwd\"\n"),
    )]);
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains("config.toml:3:1: logo `../../../../etc/passwd` points outside the site's static/ folder"),
        "{stderr}"
    );

    let site = site_with(&[("config.toml", &format!("{config}theme = \"../..\"\n"))]);
    std::fs::create_dir_all(site.path().join("themes")).unwrap();
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "config.toml:3:1: theme `../..` must be the name of a folder under themes/, not a path"
        ),
        "{stderr}"
    );
}

#[test]
fn a_template_name_cannot_leave_the_templates() {
    let site = site_with(&[
        (
            "content/briefs/first-brief.md",
            &brief_with("template = \"../config.toml\"\n"),
        ),
        ("templates/ok.html", "x"),
    ]);
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains("first-brief.md:5:1: template `../config.toml` does not exist"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_hero_and_static_files_are_published() {
    let text = brief_with("[hero]\nimage = \"hero.jpg\"\nalt = \"A photo\"\n");
    let site = site_with(&[
        ("content/briefs/x/index.md", &text),
        ("shared/style-extra.css", "p{}"),
    ]);
    std::fs::remove_file(site.path().join("content/briefs/first-brief.md")).unwrap();
    // A real photo: a bundle's images are decoded and published in several widths.
    std::fs::copy(
        crate::common::fixture("images/turned.jpg"),
        site.path().join("shared/photo.jpg"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site.path().join("shared/photo.jpg"),
        site.path().join("content/briefs/x/hero.jpg"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        site.path().join("shared/style-extra.css"),
        site.path().join("static/extra.css"),
    )
    .unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(
        image::open(out.join("briefs/x/hero.jpg")).is_ok(),
        "the photo published"
    );
    assert_eq!(read_output(&out, "extra.css"), "p{}");
    assert!(read_output(&out, "briefs/x/index.html").contains("/briefs/x/hero.jpg"));
}

#[test]
fn a_body_image_leaving_the_site_is_a_check_error_at_its_line() {
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        &format!("{BRIEF_HEAD}+++\n\nText.\n\n![A file](../../../../etc/passwd)\n"),
    )]);
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("content/briefs/first-brief.md:9: error: image `../../../../etc/passwd`"),
        "{stdout}"
    );
}

#[test]
fn author_links_other_than_web_and_mail_are_errors() {
    for value in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\\tscript:alert(1)",
        "data:text/html,x",
        "example.org",
    ] {
        let site = site_with(&[(
            "content/authors/jane-doe.md",
            &format!(
                "+++\nname = \"Jane Doe\"\n[links]\nemail = \"jane@example.org\"\nwebsite = \"{value}\"\n+++\n\nBio.\n"
            ),
        )]);
        let stderr = build_fails(site.path());
        assert!(
            stderr.contains("content/authors/jane-doe.md:5:1: link `website` is `"),
            "{value}: {stderr}"
        );
        assert!(stderr.contains("not a web or mail address"), "{stderr}");
    }
}

#[test]
fn menu_links_that_run_code_are_config_errors() {
    let config = std::fs::read_to_string(fixture("minimal/config.toml")).unwrap();
    let site = site_with(&[(
        "config.toml",
        &format!("{config}\n[[menu]]\nname = \"X\"\nurl = \"javascript://%0aalert(1)\"\n"),
    )]);
    let stderr = build_fails(site.path());
    assert!(stderr.contains("menu item `X`"), "{stderr}");
}

#[test]
fn check_warns_about_code_that_would_run() {
    let config = std::fs::read_to_string(fixture("minimal/config.toml")).unwrap();
    let body = format!(
        "{BRIEF_HEAD}key_takeaways = [\"See <a href='javascript:go()'>this</a>\"]\n+++\n\nText.\n\n<script src=\"https://embed.example/x.js\"></script>\n\n<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n\n```html\n<script>shown as code</script>\n```\n"
    );
    let site = site_with(&[
        ("content/briefs/first-brief.md", &body),
        (
            "config.toml",
            &format!("{config}footer = \"<span onmouseover=\\\"x()\\\">Footer</span>\"\n"),
        ),
    ]);
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "content/briefs/first-brief.md:5: warning: a `javascript:` address would run",
        "content/briefs/first-brief.md:10: warning: a <script> element would run",
        "content/briefs/first-brief.md:12: warning: an `on…=` event attribute would run",
        "config.toml:3: warning: an `on…=` event attribute would run",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
    assert!(!stdout.contains("first-brief.md:15:"), "{stdout}");
}

#[test]
fn a_huge_external_timeout_is_a_usage_error() {
    let site = site_with(&[]);
    let output = brief(site.path())
        .args(["check", "--external", "--timeout", "18446744073709551615"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not in 1..=3600"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn build_and_serve_agree_on_editor_files() {
    let site = site_with(&[
        (
            "content/briefs/us~china.md",
            &format!("{BRIEF_HEAD}+++\n\nTrade talks.\n"),
        ),
        ("static/x.css.bak", "old"),
        ("static/#x.css#", "autosave"),
        ("static/site.css", "p{}"),
    ]);
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(out.join("briefs/us-china/index.html").is_file());
    assert!(out.join("site.css").is_file());
    assert!(!out.join("x.css.bak").exists());
    assert!(!out.join("#x.css#").exists());

    // serve sees the edit of a name with `~` inside, which it used to take for a backup.
    let server = Server::start_in(site, &[]);
    server.wait_for_content("/briefs/us-china/", "Trade talks.");
    std::fs::write(
        server.path("content/briefs/us~china.md"),
        format!("{BRIEF_HEAD}+++\n\nTalks resumed.\n"),
    )
    .unwrap();
    server.wait_for_content("/briefs/us-china/", "Talks resumed.");
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

#[test]
fn serve_answers_only_names_of_this_machine() {
    let server = Server::start("minimal", &[]);
    let url = format!("http://{}/", server.addr);
    let port = server.addr.rsplit(':').next().unwrap();
    let status = |host: &str| {
        agent()
            .get(&url)
            .header("Host", host)
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(status(&format!("attacker.example:{port}")), 421);
    assert_eq!(status("attacker.example"), 421);
    assert_eq!(status(&format!("localhost.attacker.example:{port}")), 421);
    assert_eq!(status(&format!("localhost:{port}")), 200);
    assert_eq!(status(&server.addr), 200);
}

#[test]
fn serve_redirects_only_to_its_own_paths() {
    let server = Server::start("minimal", &[]);
    let response = agent()
        .get(format!("http://{}//briefs", server.addr))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 301);
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(location, "/briefs/");
}

#[test]
fn serve_sends_pages_whole_whatever_the_range() {
    let server = Server::start("minimal", &[]);
    let mut response = agent()
        .get(format!("http://{}/briefs/first-brief/", server.addr))
        .header("Range", "bytes=0-9")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers().get("content-range").is_none());
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
    assert!(body.contains("/__brief/live.js"), "{body}");
    assert!(body.trim_end().ends_with("</html>"), "{body}");
}

#[test]
fn serve_warns_when_the_network_can_see_drafts() {
    let server = Server::start("minimal", &["--bind", "0.0.0.0"]);
    let (_, log) = server.stop();
    assert!(
        log.iter()
            .any(|l| l.contains("other machines on the network") && l.contains("drafts")),
        "{log:?}"
    );
    let server = Server::start("minimal", &[]);
    let (_, log) = server.stop();
    assert!(!log.iter().any(|l| l.contains("other machines")), "{log:?}");
}

#[test]
fn a_brief_with_many_topics_keeps_each_feed_entry_small() {
    let topics: Vec<String> = (0..30).map(|t| format!("Topic {t:02}")).collect();
    let site = site_with(&[(
        "content/briefs/first-brief.md",
        &brief_with(&format!("topics = {topics:?}\n")),
    )]);
    let (_temp, out) = build_site(site.path(), &[]);
    // Every topic's feed holds the brief; its entry names 25 of the topics, not all 30 (with
    // n topics, all of them in every topic's feed would be n² in all).
    for slug in ["topic-00", "topic-29"] {
        let feed = read_output(&out, &format!("topics/{slug}/feed.xml"));
        assert_eq!(feed.matches("<category ").count(), 25, "{slug}");
    }
    // The brief's own page links every topic.
    let page = read_output(&out, "briefs/first-brief/index.html");
    for slug in ["topic-00", "topic-29"] {
        assert!(page.contains(&format!("/topics/{slug}/\"")), "{slug}");
    }
}
