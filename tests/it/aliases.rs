//! `aliases`: the old addresses of briefs and pages get redirect pages and `_redirects`.

use std::path::Path;

use crate::common::{brief, build_site, copy_to_temp, fixture, read_output};

/// The minimal site, with its brief given `aliases` and an About page with its own.
fn site_with_aliases(brief_aliases: &str, page_aliases: &str) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    write(
        site.path(),
        "content/briefs/first-brief.md",
        &format!(
            "+++\ntitle = \"First <Brief> & Co\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\naliases = {brief_aliases}\n+++\n\nThe first paragraph of the first brief.\n"
        ),
    );
    write(
        site.path(),
        "content/pages/about.md",
        &format!("+++\ntitle = \"About\"\naliases = {page_aliases}\n+++\n\nAbout us.\n"),
    );
    site
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn set_base_url(root: &Path, base_url: &str) {
    write(
        root,
        "config.toml",
        &format!("title = \"Minimal Site\"\nbase_url = \"{base_url}\"\n"),
    );
}

/// Runs `brief build` expecting exit 1; returns stderr.
fn build_fails(root: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = brief(root)
        .args(["build", "--output"])
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        !out.path().join("out").exists(),
        "a failed build wrote files"
    );
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn redirect_page_at_the_domain_root() {
    let site = site_with_aliases(r#"["/2024/01/15/first/"]"#, "[]");
    let (_temp, out) = build_site(site.path(), &[]);
    assert_eq!(
        read_output(&out, "2024/01/15/first/index.html"),
        "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>First &lt;Brief&gt; &amp; Co</title>
<link rel=\"canonical\" href=\"https://example.org/briefs/first-brief/\">
<meta name=\"robots\" content=\"noindex\">
<script>location.replace(\"https://example.org/briefs/first-brief/\" + location.hash)</script>
<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/briefs/first-brief/\">
</head>
<body>
<p><a href=\"https://example.org/briefs/first-brief/\">First &lt;Brief&gt; &amp; Co</a></p>
</body>
</html>
"
    );
}

#[test]
fn redirect_page_and_redirects_file_under_a_sub_path() {
    let site = site_with_aliases(
        r#"["/2024/01/15/first/", "/old/first.html"]"#,
        r#"["/about-us/"]"#,
    );
    set_base_url(site.path(), "https://example.org/research/");
    let (_temp, out) = build_site(site.path(), &[]);
    assert_eq!(
        read_output(&out, "old/first.html"),
        "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>First &lt;Brief&gt; &amp; Co</title>
<link rel=\"canonical\" href=\"https://example.org/research/briefs/first-brief/\">
<meta name=\"robots\" content=\"noindex\">
<script>location.replace(\"https://example.org/research/briefs/first-brief/\" + location.hash)</script>
<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/research/briefs/first-brief/\">
</head>
<body>
<p><a href=\"https://example.org/research/briefs/first-brief/\">First &lt;Brief&gt; &amp; Co</a></p>
</body>
</html>
"
    );
    assert!(
        read_output(&out, "about-us/index.html")
            .contains("url=https://example.org/research/about/\""),
    );
    assert_eq!(
        read_output(&out, "_redirects"),
        "/research/2024/01/15/first/ /research/briefs/first-brief/ 301
/research/about-us/ /research/about/ 301
/research/old/first.html /research/briefs/first-brief/ 301
"
    );
}

#[test]
fn no_redirects_file_without_aliases() {
    let site = site_with_aliases("[]", "[]");
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(!out.join("_redirects").exists());
}

#[test]
fn sitemap_leaves_redirect_pages_out() {
    let site = site_with_aliases(r#"["/2024/01/15/first/"]"#, r#"["/about-us/"]"#);
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(out.join("about-us/index.html").is_file());
    let sitemap = read_output(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/about/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("2024/01/15"), "{sitemap}");
    assert!(!sitemap.contains("about-us"), "{sitemap}");
}

#[test]
fn drafts_aliases_are_not_written() {
    let site = site_with_aliases("[]", r#"["/about-us/"]"#);
    write(
        site.path(),
        "content/briefs/draft.md",
        "+++\ntitle = \"Draft\"\ndate = 2024-02-01\nauthors = [\"jane-doe\"]\ndraft = true\naliases = [\"/old-draft/\"]\n+++\n\nNot yet.\n",
    );
    let (_temp, out) = build_site(site.path(), &[]);
    assert!(!out.join("old-draft").exists());
    assert_eq!(
        read_output(&out, "_redirects"),
        "/about-us/ /about/ 301\n",
        "the draft's alias is in _redirects"
    );
    // Shown with --drafts, like the draft's page.
    let (_temp, out) = build_site(site.path(), &["--drafts"]);
    assert!(out.join("old-draft/index.html").is_file());
}

#[test]
fn alias_of_a_real_page_is_an_error_naming_both_files() {
    let site = site_with_aliases(r#"["/about/"]"#, "[]");
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "error: content/briefs/first-brief.md:5:12: alias `/about/` would replace the page of content/pages/about.md"
        ),
        "{stderr}"
    );
}

/// A retired topic's address kept as an alias, then the topic used again: the error says at
/// which line, and which page is in the way.
#[test]
fn alias_of_a_generated_page_names_its_address() {
    let site = site_with_aliases(r#"["/topics/energy/"]"#, "[]");
    write(
        site.path(),
        "content/briefs/second.md",
        "+++\ntitle = \"Second\"\ndate = 2024-02-01\nauthors = [\"jane-doe\"]\ntopics = [\"Energy\"]\n+++\n\nText.\n",
    );
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "error: content/briefs/first-brief.md:5:12: alias `/topics/energy/` would replace the page brief generates at /topics/energy/"
        ),
        "{stderr}"
    );
}

#[test]
fn alias_listed_by_two_files_is_an_error_naming_both() {
    let site = site_with_aliases(r#"["/old/"]"#, r#"["/old"]"#);
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "error: content/pages/about.md:3:12: alias `/old` is published at the same file as alias `/old/` of content/briefs/first-brief.md"
        ),
        "{stderr}"
    );
}

#[test]
fn alias_at_a_reserved_path_is_an_error() {
    for (alias, reserved) in [
        ("/topics/", "the site's /topics/ listing"),
        ("/briefs/page/2/", "the site's /briefs/ listing"),
        ("/search/", "/search/"),
        ("/feed.xml", "/feed.xml, a file brief writes"),
        ("/_redirects", "/_redirects, a file brief writes"),
    ] {
        let site = site_with_aliases(&format!("[\"{alias}\"]"), "[]");
        let stderr = build_fails(site.path());
        assert!(
            stderr.contains(&format!(
                "error: content/briefs/first-brief.md:5:12: alias `{alias}` is reserved for {reserved}"
            )),
            "{alias}: {stderr}"
        );
    }
}

#[test]
fn static_file_where_a_redirect_page_goes_is_an_error_naming_both() {
    let site = site_with_aliases(r#"["/old/"]"#, "[]");
    write(site.path(), "static/old/index.html", "mine");
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "error: static/old/index.html: this file would be published at old/index.html, replacing the redirect page of alias `/old/` of content/briefs/first-brief.md"
        ),
        "{stderr}"
    );
}

#[test]
fn invalid_alias_is_an_error_at_its_line() {
    let site = site_with_aliases(
        "[\n  \"/fine/\",\n  \"https://old.example.org/2024/first/\",\n]",
        "[\"old/about/\"]",
    );
    let stderr = build_fails(site.path());
    assert!(
        stderr.contains(
            "error: content/briefs/first-brief.md:7:1: alias `https://old.example.org/2024/first/` is a full address"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: content/pages/about.md:3:1: alias `old/about/` does not start with `/`"
        ),
        "{stderr}"
    );
}

#[test]
fn check_warns_of_a_link_to_an_old_address() {
    let site = site_with_aliases(r#"["/2024/01/15/first/"]"#, "[]");
    write(
        site.path(),
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\n\nSee [the brief](/2024/01/15/first/) and [its text](/2024/01/15/first/#missing).\n",
    );
    // The address to write instead is the one Markdown takes, from the site's root, whatever
    // path the site is deployed under.
    for base in [None, Some("https://example.org/research/")] {
        let mut command = brief(site.path());
        command.arg("check");
        if let Some(base) = base {
            command.args(["--base-url", base]);
        }
        let output = command.output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        assert!(
            stdout.contains(
                "content/pages/about.md:5: warning: link `/2024/01/15/first/` leads to an old address (alias of content/briefs/first-brief.md): link to `/briefs/first-brief/` instead, or to `@/briefs/first-brief.md`, which follows the brief wherever it moves"
            ),
            "{stdout}"
        );
        // Its anchor is kept.
        assert!(
            stdout.contains(
                "content/pages/about.md:5: warning: link `/2024/01/15/first/#missing` leads to an old address (alias of content/briefs/first-brief.md): link to `/briefs/first-brief/#missing` instead, or to `@/briefs/first-brief.md#missing`"
            ),
            "{stdout}"
        );
    }
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The anchor is looked for on the page the old address leads to.
    assert!(
        stdout.contains(
            "content/pages/about.md:5: error: link `/2024/01/15/first/#missing`: /briefs/first-brief/ has no element with id `missing`"
        ),
        "{stdout}"
    );
}

#[test]
fn serve_removes_the_redirect_page_of_an_alias_taken_out() {
    use crate::serve::matches_full_build;
    use crate::server::Server;
    let output = tempfile::tempdir().unwrap();
    let served = output.path().join("site");
    let server = Server::start("serve", &["--output", served.to_str().unwrap()]);
    let mut events = server.events();
    let file = server.path("content/briefs/first-brief.md");
    let edit = |title: &str, aliases: &str| {
        let text = format!(
            "+++\ntitle = \"{title}\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\naliases = {aliases}\n+++\n\nThe text.\n"
        );
        std::fs::write(&file, text).unwrap();
    };
    // Reload events also come from serve's background PDFs, so each step waits for its files.
    let wait_until = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + crate::server::TIMEOUT;
        while !done() {
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    edit("First", r#"["/old-a/", "/old-b/"]"#);
    events.next("reload");
    wait_until("the redirect page is written", &|| {
        served.join("old-a/index.html").is_file()
    });
    // Only taken out: no new file forces a full rebuild.
    edit("First", r#"["/old-b/"]"#);
    events.next("reload");
    wait_until("a stale redirect page is left", &|| {
        !served.join("old-a").exists()
    });
    assert!(served.join("old-b/index.html").is_file());
    matches_full_build(&server, &served, "after changing an alias");
    // A new title only: the redirect page shows it too.
    edit("First, renamed", r#"["/old-b/"]"#);
    events.next("reload");
    wait_until("the redirect page shows the new title", &|| {
        std::fs::read_to_string(served.join("old-b/index.html"))
            .is_ok_and(|page| page.contains("<title>First, renamed</title>"))
    });
    matches_full_build(&server, &served, "after changing the title");
    let (status, _) = server.stop();
    assert!(status.success());
}

#[test]
fn own_static_redirects_rules_come_first_in_the_one_written() {
    let site = site_with_aliases("[]", "[]");
    write(site.path(), "static/_redirects", "/x /y 302\n");
    let (_temp, out) = build_site(site.path(), &[]);
    assert_eq!(read_output(&out, "_redirects"), "/x /y 302\n");
    // Netlify and Cloudflare Pages read one file: the site's rules (its old feed address,
    // say) and then the aliases', the first match winning. No newline at the end is needed.
    let site = site_with_aliases(r#"["/old/"]"#, "[]");
    write(site.path(), "static/_redirects", "/feed/ /feed.xml 301");
    let (_temp, out) = build_site(site.path(), &[]);
    assert_eq!(
        read_output(&out, "_redirects"),
        "/feed/ /feed.xml 301\n# The aliases of briefs and pages, written by brief:\n/old/ /briefs/first-brief/ 301\n"
    );
}

/// The nginx `map` recipe of docs/deploy.md, run for real when nginx is installed: the old
/// address answers 301 to the new one.
#[test]
fn nginx_map_recipe_redirects_old_addresses() {
    let Some(nginx) = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file())
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have nginx");
        eprintln!("skipping: nginx is not installed (apt-get install nginx-light)");
        return;
    };
    let site = site_with_aliases(r#"["/2024/01/15/first/"]"#, r#"["/about-us/"]"#);
    // A rule of the site's own, which a map cannot read: the recipe leaves it out.
    write(
        site.path(),
        "static/_redirects",
        "/old-blog/* /briefs/:splat 302\n",
    );
    let (temp, out) = build_site(site.path(), &[]);
    let prefix = temp.path().display().to_string();
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md"))
            .unwrap();
    // The recipe's command as written, on this build's files.
    let start = guide.find("sed -n '/^# The aliases").expect("map command");
    let command = &guide[start..start + guide[start..].find(" && nginx -s reload").unwrap()];
    let command = command
        .replace(
            "public/_redirects",
            &out.join("_redirects").display().to_string(),
        )
        .replace("/etc/nginx/", &format!("{prefix}/"));
    let made = std::process::Command::new("sh")
        .args(["-c", &command])
        .status()
        .unwrap();
    assert!(made.success(), "{command}");
    let map = std::fs::read_to_string(temp.path().join("brief-redirects.map")).unwrap();
    assert_eq!(
        map, "/2024/01/15/first/ /briefs/first-brief/;\n/about-us/ /about/;\n",
        "only the aliases' lines"
    );
    let start = guide
        .find("map $uri $brief_redirect {")
        .expect("map recipe");
    let map_block = &guide[start..start + guide[start..].find("\n}").unwrap() + 2];
    let map_block = map_block.replace("/etc/nginx/", &format!("{prefix}/"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let user = if unsafe { libc::geteuid() } == 0 {
        "user root;"
    } else {
        ""
    };
    let config = format!(
        "{user}\ndaemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n\
         http {{\n access_log off;\n client_body_temp_path {prefix}/body;\n proxy_temp_path {prefix}/proxy;\n\
         fastcgi_temp_path {prefix}/fastcgi;\n uwsgi_temp_path {prefix}/uwsgi;\n scgi_temp_path {prefix}/scgi;\n\
         {map_block}\n\
         server {{\n listen 127.0.0.1:{port};\n root {};\n if ($brief_redirect) {{ return 301 $brief_redirect; }}\n }}\n}}\n",
        out.display()
    );
    std::fs::write(temp.path().join("nginx.conf"), config).unwrap();
    let mut server = std::process::Command::new(nginx)
        .arg("-p")
        .arg(temp.path())
        .arg("-c")
        .arg(temp.path().join("nginx.conf"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let get = |path: &str| {
        for _ in 0..50 {
            if let Ok(response) = agent.get(format!("http://127.0.0.1:{port}{path}")).call() {
                let location = response
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string());
                return (response.status().as_u16(), location);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("nginx did not answer");
    };
    let old = get("/2024/01/15/first/");
    let page = get("/about/");
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(temp.path().join("error.log")).unwrap_or_default();
    assert_eq!(old.0, 301, "{log}");
    assert!(
        old.1
            .as_deref()
            .unwrap_or("")
            .ends_with("/briefs/first-brief/"),
        "{old:?}"
    );
    assert_eq!(page, (200, None), "{log}");
}
