//! Deploying: the built site works from a domain root and from a sub-path (every internal link
//! and asset of every HTML page and feed leads to a file), and the recipes of docs/deploy.md
//! stay true (the GitHub Pages workflow parses and builds the way the README says).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{brief, fixture};

/// Values of `href`, `src` and `srcset` attributes (and of `<link>`/`<loc>`/`<id>` text in feeds).
/// Extracted by hand: the output is our own, with quoted attributes.
fn references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=", " src=", " srcset="] {
        for (at, _) in text.match_indices(attribute) {
            let rest = &text[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let value = &rest[1..rest[1..].find(quote).map_or(1, |e| e + 1)];
            let value = value.replace("&amp;", "&");
            if attribute == " srcset=" {
                found.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(String::from),
                );
            } else {
                found.push(value);
            }
        }
    }
    for tag in ["<link>", "<loc>"] {
        for (at, _) in text.match_indices(tag) {
            let rest = &text[at + tag.len()..];
            if let Some(end) = rest.find('<') {
                found.push(rest[..end].trim().to_string());
            }
        }
    }
    found
}

/// The file `reference` leads to from the page at `page` (a file below `out`), or `None` for
/// an address of another site; panics with the page's name for one that escapes the site.
fn target(out: &Path, page: &Path, reference: &str, base: &str) -> Option<PathBuf> {
    let origin_end = base.find("://").unwrap() + 3;
    let root = &base[origin_end + base[origin_end..].find('/').unwrap()..];
    let reference = reference.split(['#', '?']).next().unwrap();
    let path = if let Some(rest) = reference.strip_prefix(base) {
        PathBuf::from(rest)
    } else if reference.is_empty() || reference.contains(':') || reference.starts_with("//") {
        return None;
    } else if let Some(absolute) = reference.strip_prefix('/') {
        let below = format!("/{absolute}");
        let Some(rest) = below.strip_prefix(root) else {
            panic!(
                "{} links to {reference}, outside the base path {root}",
                page.display()
            );
        };
        PathBuf::from(rest)
    } else {
        page.parent()
            .unwrap()
            .strip_prefix(out)
            .unwrap()
            .join(reference)
    };
    let decoded = percent_decode(&path.to_string_lossy());
    let mut file = out.join(decoded.trim_start_matches('/'));
    if decoded.is_empty() || decoded.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    Some(file)
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Builds `site` with `base` and follows every internal reference of every page and feed.
fn assert_every_internal_reference_resolves(site: &Path, base: &str) {
    let (_temp, out) = crate::common::build_site(site, &["--base-url", base]);
    let mut broken = BTreeSet::new();
    let mut followed = 0;
    for entry in walkdir::WalkDir::new(out.as_path())
        .into_iter()
        .filter_map(Result::ok)
    {
        let page = entry.path();
        if !page.extension().is_some_and(|e| e == "html" || e == "xml") {
            continue;
        }
        let text = std::fs::read_to_string(page).unwrap();
        for reference in references(&text) {
            let Some(file) = target(out.as_path(), page, &reference, base) else {
                continue;
            };
            followed += 1;
            if !file.is_file() {
                broken.insert(format!(
                    "{}: {reference}",
                    page.strip_prefix(out.as_path()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "built with {base}, these lead nowhere:\n{broken:#?}"
    );
    assert!(followed > 50, "only {followed} references followed");
}

fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn every_internal_link_and_asset_resolves_under_a_sub_path() {
    for site in [fixture("features"), example_site()] {
        assert_every_internal_reference_resolves(&site, "https://user.example.io/repo/");
    }
}

#[test]
fn every_internal_link_and_asset_resolves_at_a_domain_root() {
    for site in [fixture("features"), example_site()] {
        assert_every_internal_reference_resolves(&site, "https://briefs.example.net/");
    }
}

#[test]
fn github_pages_workflow_parses_and_builds_as_the_readme_says() {
    let root = example_site();
    let text = std::fs::read_to_string(root.join("docs/github-pages.yml")).unwrap();
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    // A released wheel, pinned, and never a compile on every deploy (that is the fallback
    // the comments describe).
    assert!(
        runs.iter()
            .any(|r| installs_a_pinned_wheel(r, workflow["env"]["BRIEF_VERSION"].as_str())),
        "{runs:?}"
    );
    assert!(!runs.iter().any(|r| r.contains("cargo ")), "{runs:?}");
    assert!(
        text.contains("cargo install --locked --git"),
        "the compile fallback"
    );
    let build = runs
        .iter()
        .flat_map(|r| r.lines())
        .find(|l| l.trim_start().starts_with("brief build"))
        .expect("a `brief build` step")
        .trim();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("brief build"),
        "the README shows `brief build`"
    );
    assert!(build.starts_with("brief build --base-url "), "{build}");
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-pages-artifact@")),
        "{uses:?}"
    );
    let deploy = workflow["jobs"]["deploy"]["steps"]
        .as_sequence()
        .expect("deploy steps");
    assert!(deploy.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/deploy-pages@"))
    }));
    // The recipe in docs/deploy.md shows the same build command as the workflow.
    let guide = std::fs::read_to_string(root.join("docs/deploy.md")).unwrap();
    assert!(
        guide.contains(build),
        "docs/deploy.md should show `{build}`"
    );
}

/// The nginx recipe for a sub-path (docs/deploy.md), run for real on a loopback port when
/// nginx is installed: a page and the 404 page are served from the sub-path build.
#[test]
fn nginx_sub_path_recipe_serves_pages_and_the_404_page() {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file());
    let Some(nginx) = nginx else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nginx (scripts/test installs it)"
        );
        eprintln!("skipping: nginx is not installed (apt-get install nginx-light)");
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("public");
    let built = brief(&fixture("features"))
        .args([
            "build",
            "--base-url",
            "https://example.org/research/",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let prefix = temp.path().display().to_string();
    // The location block is the one docs/deploy.md shows.
    let guide = std::fs::read_to_string(example_site().join("docs/deploy.md")).unwrap();
    let start = guide
        .find("location /research/ {")
        .expect("sub-path recipe");
    let block = &guide[start..start + guide[start..].find("\n}").unwrap() + 2];
    let block = block.replace("/srv/research/public/", &format!("{}/", out.display()));
    // One process (`master_process off`), so that killing it leaves no worker behind.
    // As root, workers would drop to `nobody` and could not read the private temp folder.
    let user = if unsafe { libc::geteuid() } == 0 {
        "user root;"
    } else {
        ""
    };
    let config = format!(
        "{user}\ndaemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n\
         http {{\n access_log off;\n client_body_temp_path {prefix}/body;\n proxy_temp_path {prefix}/proxy;\n\
         fastcgi_temp_path {prefix}/fastcgi;\n uwsgi_temp_path {prefix}/uwsgi;\n scgi_temp_path {prefix}/scgi;\n\
         server {{\n listen 127.0.0.1:{port};\n {block}\n }}\n}}\n"
    );
    std::fs::write(temp.path().join("nginx.conf"), config).unwrap();
    let mut server = std::process::Command::new(nginx)
        .arg("-p")
        .arg(temp.path())
        .arg("-c")
        .arg(temp.path().join("nginx.conf"))
        // A worker holding the test's output open would keep the test runner waiting.
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |path: &str| {
        for _ in 0..50 {
            if let Ok(mut response) = agent.get(format!("http://127.0.0.1:{port}{path}")).call() {
                let status = response.status().as_u16();
                return (status, response.body_mut().read_to_string().unwrap());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("nginx did not answer");
    };
    let page = get("/research/briefs/bundle-brief/");
    let missing = get("/research/no-such-page/");
    let home = get("/research/");
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(temp.path().join("error.log")).unwrap_or_default();
    assert_eq!(page.0, 200, "{log}");
    assert!(page.1.contains("A Bundle Brief"), "{}", page.1);
    assert_eq!(home.0, 200, "{log}");
    assert_eq!(missing.0, 404, "{log}");
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert_eq!(missing.1, not_found, "the site's 404 page is served");
}

/// Whether `command` installs brief's wheel at a pinned version, refusing to compile: the
/// version is written out, or is `$BRIEF_VERSION` with `env_version` its value.
fn installs_a_pinned_wheel(command: &str, env_version: Option<&str>) -> bool {
    let Some(at) = command.find("pip install --only-binary=:all: ") else {
        return false;
    };
    let package = command[at..].split_whitespace().nth(3).unwrap_or_default();
    let package = package.trim_matches('"');
    let version = match package.strip_prefix("brief-ssg==") {
        Some("$BRIEF_VERSION") => env_version.unwrap_or_default(),
        Some(version) => version,
        None => return false,
    };
    version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u32>().is_ok())
}

#[test]
fn pinned_wheel_installs_are_recognised() {
    let pip = "pip install --only-binary=:all:";
    assert!(installs_a_pinned_wheel(
        &format!("{pip} brief-ssg==0.1.0 && x"),
        None
    ));
    assert!(installs_a_pinned_wheel(
        &format!("{pip} \"brief-ssg==$BRIEF_VERSION\""),
        Some("1.2.3")
    ));
    assert!(!installs_a_pinned_wheel(&format!("{pip} brief-ssg"), None));
    assert!(!installs_a_pinned_wheel(
        &format!("{pip} brief-ssg==$BRIEF_VERSION"),
        None
    ));
    assert!(!installs_a_pinned_wheel(
        "pip install brief-ssg==0.1.0",
        None
    ));
}

/// The fenced code block of `lang` that follows `heading` in docs/deploy.md.
fn recipe_block(heading: &str, lang: &str) -> String {
    let guide = std::fs::read_to_string(example_site().join("docs/deploy.md")).unwrap();
    let section = &guide[guide.find(heading).unwrap_or_else(|| panic!("{heading}"))..];
    let start = section.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

#[test]
fn netlify_recipe_is_valid_toml_that_checks_builds_and_publishes_the_output() {
    let config: toml::Table = toml::from_str(&recipe_block("## Netlify", "toml")).unwrap();
    let build = config["build"].as_table().unwrap();
    let command = build["command"].as_str().unwrap();
    assert!(command.contains("brief check") && command.contains("brief build --base-url"));
    assert!(installs_a_pinned_wheel(command, None), "{command}");
    assert!(!command.contains("cargo "), "{command}");
    assert_eq!(build["publish"].as_str(), Some("public"));
    let headers = config["headers"].as_array().unwrap();
    assert!(
        headers
            .iter()
            .any(|h| h["values"]["Cache-Control"].as_str() == Some("no-cache"))
    );
}

#[test]
fn s3_recipe_syncs_the_built_folder_with_cache_headers() {
    let script = recipe_block("## An S3 bucket", "sh");
    assert!(script.contains("brief build"), "{script}");
    assert_eq!(script.matches("--cache-control").count(), 2, "{script}");
    assert!(script.contains("--cache-control \"no-cache\""), "{script}");
    assert!(
        script.contains("aws s3 sync public/ s3://my-bucket/ --delete"),
        "{script}"
    );
}

#[test]
fn cloudflare_recipe_installs_the_pinned_release_then_checks_and_builds() {
    let command = recipe_block("## Cloudflare Pages", "sh");
    assert!(installs_a_pinned_wheel(&command, None), "{command}");
    let install = command.find("pip install").unwrap();
    let check = command.find("brief check").expect("brief check");
    let build = command.find("brief build --base-url").expect("brief build");
    assert!(install < check && check < build, "{command}");
}

#[test]
fn the_compile_route_is_documented_as_the_fallback_for_unreleased_versions() {
    let install = recipe_block("## Installing brief", "sh");
    assert!(installs_a_pinned_wheel(&install, None), "{install}");
    let guide = std::fs::read_to_string(example_site().join("docs/deploy.md")).unwrap();
    let fallback = &guide[guide.find("**An unreleased version**").expect("fallback")..];
    let block = &fallback[fallback.find("```sh\n").unwrap()..];
    assert!(
        block.contains("cargo install --locked --git \"$BRIEF_REPO\" --rev <commit> brief"),
        "{block}"
    );
    // Outside that fallback no recipe compiles brief.
    let before = &guide[..guide.find("**An unreleased version**").unwrap()];
    let after = &fallback[fallback.find("```sh\n").unwrap() + 6..];
    let after = &after[after.find("```").unwrap() + 3..];
    for part in [before, after] {
        assert!(!part.contains("cargo install"), "{part}");
    }
}

/// Every file of an output folder with its modification time.
fn mtimes(out: &Path) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (rel, e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

/// `rsync` and `aws s3 sync` upload what changed by size and time: a rebuild must leave the
/// files whose bytes are the same as they were, and still equal a clean build.
#[test]
fn a_rebuild_rewrites_only_the_files_whose_content_changed() {
    let site = crate::common::copy_to_temp(&fixture("features"));
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let build = |out: &Path| {
        brief(site.path())
            .args(["build", "--output"])
            .arg(out)
            .assert()
            .success();
    };
    build(&out);
    let first = mtimes(&out);
    // Coarse file-system clocks: a rewritten file must get a later time.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build(&out);
    assert_eq!(mtimes(&out), first, "an unchanged site rewrote files");

    let note = site.path().join("content/briefs/short-note.md");
    let text = std::fs::read_to_string(&note).unwrap();
    let edited = text.replacen("\n\n", "\n\nA sentence added by the test.\n\n", 2);
    assert_ne!(edited, text);
    std::fs::write(&note, edited).unwrap();
    build(&out);
    let second = mtimes(&out);
    let changed: BTreeSet<&String> = second
        .iter()
        .filter(|(path, time)| first.get(*path) != Some(*time))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.contains(&"briefs/short-note/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"contact/index.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.len() < first.len() / 2, "{changed:?}");

    let clean = temp.path().join("clean");
    build(&clean);
    assert_eq!(crate::common::files(&out), crate::common::files(&clean));
}
