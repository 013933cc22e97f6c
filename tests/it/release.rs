//! Shipping brief: `--version` names the commit, and the files that build what users install
//! (pyproject.toml for the wheel, the Dockerfile, the GitHub release workflow) say what the
//! README promises. The wheel itself is built and installed by scripts/release-check; the
//! image and the workflow cannot run on this machine (no Docker engine, no GitHub runner), so
//! these tests read them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::brief;

// build.rs's own tests (which commit it picks, with and without git) run from here.
#[allow(dead_code)]
#[path = "../../build.rs"]
mod build_script;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml_file(path: &str) -> toml::Table {
    toml::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml_file(path: &str) -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What build.rs finds for this checkout: git's HEAD, else BRIEF_COMMIT, else "unknown".
fn expected_commit() -> String {
    let git = std::process::Command::new("git")
        .arg("-C")
        .arg(repo())
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    git.or_else(|| std::env::var("BRIEF_COMMIT").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let temp = tempfile::tempdir().unwrap();
    let output = brief(temp.path()).arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        format!(
            "brief {} (commit {})",
            env!("CARGO_PKG_VERSION"),
            expected_commit()
        )
    );
}

#[test]
fn shipped_binaries_use_the_tuned_dist_profile() {
    let cargo = toml_file("Cargo.toml");
    let dist = cargo["profile"]["dist"].as_table().expect("[profile.dist]");
    assert_eq!(dist["inherits"].as_str(), Some("release"));
    assert_eq!(dist["lto"].as_str(), Some("fat"));
    assert_eq!(dist["codegen-units"].as_integer(), Some(1));
    assert_eq!(dist["strip"].as_bool(), Some(true));
    assert!(dist.contains_key("panic"), "the panic strategy is chosen");
    // Every shipping route builds with it.
    let pyproject = toml_file("pyproject.toml");
    assert_eq!(
        pyproject["tool"]["maturin"]["profile"].as_str(),
        Some("dist")
    );
    assert!(read("Dockerfile").contains("cargo build --profile dist --locked"));
    assert!(read(".github/workflows/release.yml").contains("profile: dist"));
}

#[test]
fn the_wheel_carries_the_brief_binary_under_a_free_pypi_name() {
    let pyproject = toml_file("pyproject.toml");
    assert_eq!(
        pyproject["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    let project = pyproject["project"].as_table().unwrap();
    // `brief` and `briefs` are taken on PyPI; brief-ssg was free (see the README, Install).
    assert_eq!(project["name"].as_str(), Some("brief-ssg"));
    assert!(
        project["dynamic"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str() == Some("version")),
        "the wheel's version is Cargo.toml's"
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
}

/// The Dockerfile's instructions (keyword in capitals, arguments), continuation lines
/// joined and comments dropped.
fn dockerfile() -> Vec<(String, String)> {
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in read("Dockerfile").lines() {
        let line = line.trim();
        if current.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                let (keyword, rest) = current.split_once(' ').unwrap_or((&current, ""));
                instructions.push((keyword.to_uppercase(), rest.trim().to_string()));
                current.clear();
            }
        }
    }
    instructions
}

#[test]
fn dockerfile_builds_in_one_stage_and_ships_only_the_binary_in_another() {
    let instructions = dockerfile();
    let froms: Vec<&str> = instructions
        .iter()
        .filter(|(k, _)| k == "FROM")
        .map(|(_, a)| a.as_str())
        .collect();
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert!(
        froms[0].starts_with("rust:") && froms[0].ends_with(" AS build"),
        "{froms:?}"
    );
    assert!(
        froms[1].starts_with("gcr.io/distroless/cc"),
        "a runtime image with no shell or toolchain: {froms:?}"
    );
    let runtime: Vec<&(String, String)> = instructions
        .iter()
        .skip_while(|(k, a)| !(k == "FROM" && a == froms[1]))
        .collect();
    let has = |keyword: &str, args: &str| runtime.iter().any(|(k, a)| k == keyword && a == args);
    assert!(
        has(
            "COPY",
            "--from=build /usr/local/bin/brief /usr/local/bin/brief"
        ),
        "{runtime:?}"
    );
    assert!(
        has("ENTRYPOINT", r#"["/usr/local/bin/brief"]"#),
        "{runtime:?}"
    );
    assert!(has("WORKDIR", "/site"), "{runtime:?}");
    assert!(has("EXPOSE", "1111"), "{runtime:?}");
    // Nothing but the binary is copied into the runtime stage.
    assert_eq!(runtime.iter().filter(|(k, _)| k == "COPY").count(), 1);
    let build = instructions
        .iter()
        .find(|(k, a)| k == "RUN" && a.contains("cargo build"))
        .expect("a cargo build step");
    assert!(
        build
            .1
            .contains("cargo build --profile dist --locked --bin brief"),
        "{build:?}"
    );
}

/// The README's shell lines that start with `prefix`.
fn readme_commands(prefix: &str) -> Vec<String> {
    read("README.md")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(prefix))
        .map(String::from)
        .collect()
}

#[test]
fn readme_docker_commands_match_the_dockerfile() {
    let args: BTreeSet<String> = dockerfile()
        .into_iter()
        .filter(|(k, _)| k == "ARG")
        .map(|(_, a)| a.split('=').next().unwrap().to_string())
        .collect();
    let builds = readme_commands("docker build ");
    assert!(
        !builds.is_empty(),
        "the README shows how to build the image"
    );
    for build in &builds {
        for (at, _) in build.match_indices("--build-arg ") {
            let name = build[at + "--build-arg ".len()..]
                .split('=')
                .next()
                .unwrap();
            assert!(
                args.contains(name),
                "{build}: the Dockerfile has no ARG {name}"
            );
        }
        assert!(
            build.contains("-t brief ") && build.ends_with(" ."),
            "{build}"
        );
    }
    let runs = readme_commands("docker run ");
    let run_with = |command: &str| {
        runs.iter()
            .find(|r| r.contains(&format!(" brief {command}")))
            .unwrap_or_else(|| panic!("no `docker run … brief {command}` in {runs:?}"))
    };
    for command in ["build", "serve"] {
        assert!(
            run_with(command).contains(r#"-v "$PWD":/site "#),
            "the site is mounted at the image's WORKDIR"
        );
    }
    let serve = run_with("serve");
    assert!(serve.contains("--bind 0.0.0.0"), "{serve}");
    assert!(serve.contains("-p 127.0.0.1:1111:1111 "), "{serve}");
}

#[test]
fn docker_context_keeps_what_cargo_build_reads_and_leaves_out_the_rest() {
    let ignored: BTreeSet<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_start_matches('/').to_string())
        .collect();
    // Cargo refuses a manifest whose declared [[bench]] files are missing.
    let cargo = toml_file("Cargo.toml");
    let benches = cargo["bench"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| format!("benches/{}.rs", b["name"].as_str().unwrap()));
    for needed in ["src", "themes", "build.rs", "Cargo.toml", "Cargo.lock"]
        .into_iter()
        .map(String::from)
        .chain(benches)
    {
        let top = needed.split('/').next().unwrap();
        assert!(
            !ignored.contains(top) && repo().join(&needed).exists(),
            "{needed}"
        );
    }
    for heavy in ["target", ".git"] {
        assert!(ignored.contains(heavy), "{heavy} is not sent to Docker");
    }
}

#[test]
fn release_workflow_builds_every_platform_with_checksums() {
    let workflow = yaml_file(".github/workflows/release.yml");
    let tags = workflow["on"]["push"]["tags"]
        .as_sequence()
        .expect("on a tag");
    assert!(!tags.is_empty());
    let jobs = workflow["jobs"].as_mapping().unwrap();
    let names: BTreeSet<&str> = jobs.keys().filter_map(|k| k.as_str()).collect();
    for job in jobs.values() {
        let needs = match &job["needs"] {
            serde_yaml_ng::Value::String(one) => vec![one.as_str()],
            other => other
                .as_sequence()
                .map(|s| s.iter().filter_map(|n| n.as_str()).collect())
                .unwrap_or_default(),
        };
        assert!(needs.iter().all(|n| names.contains(n)), "{needs:?}");
        for step in job["steps"].as_sequence().expect("steps") {
            if let Some(uses) = step["uses"].as_str() {
                assert!(uses.contains('@'), "{uses} is pinned to a version");
            }
        }
    }
    let steps = |job: &str| workflow["jobs"][job]["steps"].as_sequence().unwrap();
    let step_using = |job: &str, action: &str| {
        steps(job)
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
            .unwrap_or_else(|| panic!("{job} uses {action}"))
            .clone()
    };

    let targets: BTreeSet<&str> = workflow["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(target), "{target} in {targets:?}");
    }
    let upload = step_using("binaries", "taiki-e/upload-rust-binary-action@");
    assert_eq!(upload["with"]["bin"].as_str(), Some("brief"));
    assert_eq!(upload["with"]["checksum"].as_str(), Some("sha256"));

    let wheels: Vec<(String, String)> = workflow["jobs"]["wheels"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|w| {
            let os = w["os"].as_str().unwrap().to_string();
            let flavour = w["manylinux"].as_str().unwrap_or("native");
            (os, format!("{} {flavour}", w["target"].as_str().unwrap()))
        })
        .collect();
    for (os, target) in [
        ("ubuntu", "x86_64 auto"),
        ("ubuntu", "aarch64 auto"),
        ("ubuntu", "x86_64 musllinux_1_2"),
        ("macos", "x86_64 native"),
        ("macos", "aarch64 native"),
        ("windows", "x64 native"),
    ] {
        assert!(
            wheels.iter().any(|(o, t)| o.starts_with(os) && t == target),
            "{os} {target} in {wheels:?}"
        );
    }
    step_using("wheels", "PyO3/maturin-action@");
    let sdist = step_using("sdist", "PyO3/maturin-action@");
    assert_eq!(sdist["with"]["command"].as_str(), Some("sdist"));
    let runs: Vec<&str> = steps("publish-wheels")
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(runs.iter().any(|r| r.contains("sha256sum")), "{runs:?}");
    assert!(
        runs.iter()
            .any(|r| r.contains("gh release upload") && r.contains("SHA256SUMS")),
        "{runs:?}"
    );
    step_using("publish-wheels", "pypa/gh-action-pypi-publish@");
}

/// Files a reader of the repository follows to install or deploy brief.
fn install_docs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "README.md",
        "Cargo.toml",
        "pyproject.toml",
        "Dockerfile",
        ".github/workflows/release.yml",
    ]
    .into_iter()
    .map(|f| repo().join(f))
    .collect();
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        // docs/screenshots/ and docs/*.png are images, not install instructions.
        let image = path
            .extension()
            .is_some_and(|e| ["png", "jpg", "svg"].iter().any(|i| e == *i));
        if path.is_file() && !image {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_placeholder_repository_address_is_written_in_one_place() {
    let mut found = Vec::new();
    for file in install_docs() {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| l.contains("your-org")) {
            found.push(format!("{}: {line}", file.display()));
        }
    }
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("PLACEHOLDER"), "{found:?}");
}

#[test]
fn every_pinned_install_names_the_same_released_version() {
    let mut versions = BTreeSet::new();
    for file in install_docs() {
        let text = std::fs::read_to_string(&file).unwrap();
        for marker in ["brief-ssg==", "BRIEF_VERSION=", "BRIEF_VERSION: "] {
            for (at, _) in text.match_indices(marker) {
                let version: String = text[at + marker.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '$')
                    .collect();
                if !version.starts_with('$') {
                    versions.insert(version);
                }
            }
        }
    }
    assert_eq!(versions.len(), 1, "one version everywhere: {versions:?}");
    let version = versions.pop_first().unwrap();
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{version}"
    );
}
