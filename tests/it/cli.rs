//! The command line end to end: init, new, build and its flags, version, usage errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{brief, copy_to_temp, fixture};

/// Every file under `dir` (relative path -> bytes).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Runs `brief <args>` in `dir`, asserts success, returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = brief(dir).args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "brief {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `brief <args>` in `dir`, asserts the exit code, returns stderr.
fn exits(dir: &Path, args: &[&str], code: i32) -> String {
    let output = brief(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "brief {args:?}\nstdout:\n{}\nstderr:\n{stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
    stderr
}

/// Today's date as `brief new` writes it.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// A brief file with the given front-matter lines after title/date/authors.
fn write_brief(site: &Path, slug: &str, title: &str, date: &str, extra: &str) {
    let text = format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nauthors = [\"jane-doe\"]\n{extra}+++\n\nThe text of {title}.[^1]\n\n## One\n\nMore text.\n\n## Two\n\nEven more.\n\n[^1]: A note.\n"
    );
    std::fs::write(site.join("content/briefs").join(format!("{slug}.md")), text).unwrap();
}

#[test]
fn init_then_build_writes_every_page() {
    let temp = tempfile::tempdir().unwrap();
    ok(temp.path(), &["init", "site"]);
    let site = temp.path().join("site");
    assert!(site.join("config.toml").is_file());
    ok(&site, &["build"]);
    let public = site.join("public");
    for file in ["index.html", "404.html", "style.css"] {
        assert!(public.join(file).is_file(), "no public/{file}");
    }
    let stems = |section: &str| -> Vec<String> {
        std::fs::read_dir(site.join("content").join(section))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let briefs = stems("briefs");
    let authors = stems("authors");
    assert!(
        !briefs.is_empty() && !authors.is_empty(),
        "init wrote a brief and an author"
    );
    for slug in &briefs {
        assert!(
            public.join(format!("briefs/{slug}/index.html")).is_file(),
            "no page for brief {slug}"
        );
    }
    for id in &authors {
        assert!(
            public.join(format!("authors/{id}/index.html")).is_file(),
            "no page for author {id}"
        );
    }
}

#[test]
fn init_sample_brief_cites_a_work_of_the_sample_bibliography() {
    let temp = tempfile::tempdir().unwrap();
    ok(temp.path(), &["init", "site"]);
    let site = temp.path().join("site");
    ok(&site, &["build"]);
    let page = std::fs::read_to_string(site.join("public/briefs/first-brief/index.html")).unwrap();
    assert!(
        page.contains("Elinor Ostrom, <i>Governing the Commons"),
        "no note citing Ostrom"
    );
    assert!(
        page.contains(r#"<section class="references""#),
        "no references list"
    );
}

#[test]
fn init_into_a_non_empty_folder_fails_and_leaves_its_files_alone() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("todo.txt"), "my notes").unwrap();
    let before = files(&dir);
    let stderr = exits(temp.path(), &["init", "notes"], 1);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(files(&dir), before);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "nothing added");
    // A file of that name is left alone too, and called a file.
    std::fs::write(temp.path().join("notes.txt"), "more notes").unwrap();
    let stderr = exits(temp.path(), &["init", "notes.txt"], 1);
    assert!(
        stderr.contains("notes.txt is a file, not a folder"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(temp.path().join("notes.txt")).unwrap(),
        "more notes"
    );
}

#[test]
fn new_brief_is_a_dated_draft_that_builds_with_drafts() {
    let site = copy_to_temp(&fixture("minimal"));
    let before = today();
    ok(site.path(), &["new", "brief", "Some Title"]);
    let after = today();
    let path = site.path().join("content/briefs/some-title.md");
    let text = read(&path);
    assert!(text.starts_with("+++\n"), "{text}");
    assert!(text.contains("title = \"Some Title\""), "{text}");
    assert!(
        text.contains(&format!("date = {before}")) || text.contains(&format!("date = {after}")),
        "dated today ({before}):\n{text}"
    );
    assert!(text.contains("draft = true"), "{text}");
    // The site's only author is named, so the new draft builds as it is.
    assert!(text.contains("authors = [\"jane-doe\"]"), "{text}");
    ok(site.path(), &["build", "--drafts"]);
    let page = read(site.path().join("public/briefs/some-title/index.html"));
    assert!(page.contains("Some Title"));
}

/// A site copy with a second author, so `new brief` cannot pick one by itself.
fn site_with_two_authors() -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/authors/john-roe.md"),
        "+++\nname = \"John Roe\"\n+++\n\nBio.\n",
    )
    .unwrap();
    site
}

#[test]
fn new_brief_takes_author_and_explains_the_placeholder_when_it_cannot_choose() {
    let site = site_with_two_authors();
    let stdout = ok(site.path(), &["new", "brief", "Open Question"]);
    assert!(
        stdout.contains("replace `author-id` in `authors` with one or more of: jane-doe, john-roe"),
        "{stdout}"
    );
    // The placeholder breaks the build, with an error that says what to do.
    let stderr = exits(site.path(), &["build"], 1);
    assert!(
        stderr.contains("error: content/briefs/open-question.md:6:12: unknown author `author-id`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`author-id` is the placeholder `brief new brief` writes: replace it with the id of the brief's author, one of: jane-doe, john-roe"),
        "{stderr}"
    );

    ok(
        site.path(),
        &["new", "brief", "Named", "--author", "john-roe"],
    );
    let text = read(site.path().join("content/briefs/named.md"));
    assert!(text.contains("authors = [\"john-roe\"]"), "{text}");
    let stderr = exits(
        site.path(),
        &["new", "brief", "Typo", "--author", "jon-roe"],
        1,
    );
    assert!(stderr.contains("unknown author `jon-roe`"), "{stderr}");
    assert!(stderr.contains("did you mean `john-roe`?"), "{stderr}");
    assert!(!site.path().join("content/briefs/typo.md").exists());
}

#[test]
fn new_brief_bundle_makes_a_folder_with_index_md() {
    let site = copy_to_temp(&fixture("minimal"));
    let stdout = ok(site.path(), &["new", "brief", "With Photos", "--bundle"]);
    let path = site.path().join("content/briefs/with-photos/index.md");
    assert!(stdout.contains("with-photos/index.md"), "{stdout}");
    assert!(read(&path).contains("title = \"With Photos\""));
    ok(site.path(), &["build", "--drafts"]);
    assert!(
        site.path()
            .join("public/briefs/with-photos/index.html")
            .is_file()
    );
    // The same title again, in either form, would take the same slug.
    let stderr = exits(site.path(), &["new", "brief", "With Photos"], 1);
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn new_brief_with_a_very_long_title_gets_a_short_file_name() {
    let site = copy_to_temp(&fixture("minimal"));
    let title = "A Very Long Title About Deterrence ".repeat(9);
    assert!(title.len() > 300);
    ok(site.path(), &["new", "brief", &title]);
    let names: Vec<String> = std::fs::read_dir(site.path().join("content/briefs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("a-very-long"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let stem = names[0].trim_end_matches(".md");
    assert!(stem.len() <= 80 && !stem.ends_with('-'), "{stem}");
    let full = title.trim().to_lowercase().replace(' ', "-");
    assert!(
        full.starts_with(&format!("{stem}-")),
        "cut at a word: {stem}"
    );
}

#[test]
fn new_outside_a_site_refuses_and_creates_nothing() {
    let temp = tempfile::tempdir().unwrap();
    for args in [
        &["new", "brief", "Lost"][..],
        &["new", "author", "Ann Smith"],
        &["new", "page", "Contact"],
        &["--root", "sitte", "new", "brief", "Lost"],
    ] {
        let stderr = exits(temp.path(), args, 1);
        assert!(stderr.contains("no config.toml found in"), "{stderr}");
        assert!(stderr.contains("brief init"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_dir(temp.path()).unwrap().count(),
        0,
        "nothing created"
    );
}

#[test]
fn init_accepts_a_folder_holding_only_git_and_says_what_to_run_next() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("repo");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let stdout = ok(temp.path(), &["init", "repo"]);
    assert!(dir.join("config.toml").is_file());
    assert_eq!(read(dir.join(".git/HEAD")), "ref: refs/heads/main\n");
    assert!(stdout.contains("brief serve"), "{stdout}");
    assert!(stdout.contains("brief new brief \"Title\""), "{stdout}");
    assert!(!stdout.contains("brief build"), "{stdout}");
}

#[test]
fn build_says_how_many_drafts_it_left_out() {
    let site = copy_to_temp(&fixture("minimal"));
    let stdout = ok(site.path(), &["build"]);
    assert!(!stdout.contains("draft"), "{stdout}");
    write_brief(site.path(), "one", "One", "2024-02-01", "draft = true\n");
    let stdout = ok(site.path(), &["build"]);
    assert!(
        stdout.contains("1 draft left out (--drafts to include it)"),
        "{stdout}"
    );
    write_brief(site.path(), "two", "Two", "2024-02-02", "draft = true\n");
    let stdout = ok(site.path(), &["build"]);
    assert!(
        stdout.contains("2 drafts left out (--drafts to include them)"),
        "{stdout}"
    );
    let stdout = ok(site.path(), &["build", "--drafts"]);
    assert!(!stdout.contains("left out"), "{stdout}");
}

#[test]
fn new_brief_refuses_to_overwrite_an_existing_file() {
    let site = copy_to_temp(&fixture("minimal"));
    ok(site.path(), &["new", "brief", "Some Title"]);
    let path = site.path().join("content/briefs/some-title.md");
    let edited = read(&path).replace("The first paragraph.", "My own words.");
    std::fs::write(&path, &edited).unwrap();
    let stderr = exits(site.path(), &["new", "brief", "Some Title"], 1);
    assert!(stderr.contains("some-title.md already exists"), "{stderr}");
    assert_eq!(read(&path), edited, "the file was changed");
}

/// A title pasted with a control character would make a file the next build refuses: it is
/// refused before anything is written.
#[test]
fn new_brief_refuses_a_title_with_a_control_character() {
    let site = copy_to_temp(&fixture("minimal"));
    let stderr = exits(site.path(), &["new", "brief", "Sanctions\u{1} relief"], 1);
    assert_eq!(
        stderr,
        "error: \"Sanctions\\u{1} relief\" holds the invisible control character U+0001\n  help: type the title again without it (it often comes from pasting)\n1 error; nothing was written.\n"
    );
    assert!(
        !site
            .path()
            .join("content/briefs/sanctions-relief.md")
            .exists()
    );
}

#[test]
fn new_author_creates_a_profile_that_builds() {
    let site = copy_to_temp(&fixture("minimal"));
    ok(site.path(), &["new", "author", "Ann Smith"]);
    let text = read(site.path().join("content/authors/ann-smith.md"));
    assert!(text.contains("name = \"Ann Smith\""), "{text}");
    ok(site.path(), &["build"]);
    let page = read(site.path().join("public/authors/ann-smith/index.html"));
    assert!(page.contains("Ann Smith"));
}

#[test]
fn new_page_creates_a_page_that_builds() {
    let site = copy_to_temp(&fixture("minimal"));
    ok(site.path(), &["new", "page", "Contact Us"]);
    let text = read(site.path().join("content/pages/contact-us.md"));
    assert!(text.contains("title = \"Contact Us\""), "{text}");
    ok(site.path(), &["build"]);
    let page = read(site.path().join("public/contact-us/index.html"));
    assert!(page.contains("Contact Us"));
}

#[test]
fn new_page_refuses_a_title_whose_address_brief_keeps() {
    let site = copy_to_temp(&fixture("minimal"));
    for (title, slug) in [("Search", "search"), ("Briefs", "briefs")] {
        let stderr = exits(site.path(), &["new", "page", title], 1);
        assert!(
            stderr.contains(&format!(
                "error: a page titled \"{title}\" would be published at /{slug}/, the address of the site's /{slug}/ listing"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("choose another title"), "{stderr}");
        assert!(
            !site
                .path()
                .join(format!("content/pages/{slug}.md"))
                .exists()
        );
    }
    ok(site.path(), &["build"]);
}

#[test]
fn version_prints_the_package_version() {
    let temp = tempfile::tempdir().unwrap();
    let stdout = ok(temp.path(), &["--version"]);
    // The commit after the version is checked in release.rs.
    let prefix = format!("brief {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(stdout.trim().starts_with(&prefix), "{stdout}");
}

#[test]
fn help_lists_the_commands() {
    let temp = tempfile::tempdir().unwrap();
    let stdout = ok(temp.path(), &["help"]);
    for command in ["build", "init", "new"] {
        assert!(stdout.contains(command), "{stdout}");
    }
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let site = copy_to_temp(&fixture("minimal"));
    let stderr = exits(site.path(), &["frobnicate"], 2);
    assert!(stderr.contains("frobnicate"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = copy_to_temp(&fixture("minimal"));
    let stderr = exits(site.path(), &["build", "--frobnicate"], 2);
    assert!(stderr.contains("--frobnicate"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn drafts_flag_includes_a_draft_that_a_plain_build_leaves_out() {
    let site = copy_to_temp(&fixture("minimal"));
    write_brief(
        site.path(),
        "secret-plan",
        "Secret Plan",
        "2024-02-01",
        "draft = true\n",
    );
    let public = site.path().join("public");

    ok(site.path(), &["build"]);
    assert!(!read(public.join("index.html")).contains("Secret Plan"));
    assert!(!public.join("briefs/secret-plan").exists());
    assert!(read(public.join("index.html")).contains("First Brief"));

    ok(site.path(), &["build", "--drafts"]);
    assert!(read(public.join("index.html")).contains("Secret Plan"));
    assert!(read(public.join("briefs/secret-plan/index.html")).contains("Secret Plan"));
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let site = copy_to_temp(&fixture("minimal"));
    ok(
        site.path(),
        &["build", "--base-url", "https://example.org/sub/"],
    );
    let public = site.path().join("public");
    let mut root_links = 0;
    for (path, bytes) in files(&public) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                let value = &value[..value.find('"').unwrap()];
                if value.starts_with('/') {
                    root_links += 1;
                    assert!(
                        value.starts_with("/sub/"),
                        "{}: link {value}",
                        path.display()
                    );
                } else if value.starts_with("https://example.org") {
                    assert!(
                        value.starts_with("https://example.org/sub/"),
                        "{}: link {value}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(root_links > 0, "no links found");
    assert!(read(public.join("index.html")).contains("href=\"/sub/briefs/first-brief/\""));
    assert!(read(public.join("index.html")).contains("href=\"/sub/style.css\""));
}

#[test]
fn output_flag_writes_the_site_there() {
    let site = copy_to_temp(&fixture("minimal"));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site-out");
    ok(site.path(), &["build", "--output", out.to_str().unwrap()]);
    assert!(out.join("index.html").is_file());
    assert!(out.join("briefs/first-brief/index.html").is_file());
    assert!(!site.path().join("public").exists(), "public/ written too");

    // Relative to the current folder, with --root pointing at the site.
    let cwd = tempfile::tempdir().unwrap();
    ok(
        cwd.path(),
        &[
            "--root",
            site.path().to_str().unwrap(),
            "build",
            "--output",
            "rel-out",
        ],
    );
    assert!(cwd.path().join("rel-out/index.html").is_file());
    assert!(!site.path().join("public").exists());
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = copy_to_temp(&fixture("minimal"));
    // Several briefs on one date, so their order depends on the tie-break, not on threads.
    for i in 1..=6 {
        write_brief(
            site.path(),
            &format!("brief-{i}"),
            &format!("Brief {i}"),
            "2024-03-01",
            &format!("topics = [\"Topic {i}\", \"Common\"]\n"),
        );
    }
    ok(site.path(), &["build", "--output", "one"]);
    ok(site.path(), &["build", "--output", "two"]);
    let one = files(&site.path().join("one"));
    let two = files(&site.path().join("two"));
    assert!(one.len() >= 10, "{:?}", one.keys());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &one {
        assert!(
            two[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn init_leaves_the_theme_built_in_and_one_template_can_be_overridden() {
    let temp = tempfile::tempdir().unwrap();
    ok(temp.path(), &["init", "site"]);
    let site = temp.path().join("site");
    assert!(!site.join("themes").exists(), "init copied the theme");
    assert!(read(site.join("templates/README.md")).contains("fragments/sidenote.html"));
    write_brief(&site, "noted", "Noted", "2024-01-02", "");
    std::fs::create_dir_all(site.join("templates/fragments")).unwrap();
    std::fs::write(
        site.join("templates/fragments/sidenote.html"),
        "<small class=\"margin-note\">{{ number }}: {{ content | safe }}</small>\n",
    )
    .unwrap();
    ok(&site, &["build"]);
    let page = read(site.join("public/briefs/noted/index.html"));
    assert!(
        page.contains("<small class=\"margin-note\">1: A note.</small>"),
        "{page}"
    );
    assert!(!page.contains("class=\"sidenote\""), "{page}");
    // The other fragments stay the theme's.
    assert!(
        page.contains("<sup class=\"note-ref\" id=\"ref-1\">"),
        "{page}"
    );
}

#[test]
fn a_closed_output_pipe_ends_a_command_quietly() {
    // `brief check | head -1`: the reader is gone before brief writes.
    let site = copy_to_temp(&fixture("minimal"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .current_dir(site.path())
        .arg("check")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

/// The menu lists every page beside brief's own entries: a page titled as one of them, in
/// the site's language, would show twice.
#[test]
fn new_page_refuses_a_title_of_the_menus_own_entries_in_the_sites_language() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = read(&config);
    std::fs::write(&config, format!("language = \"es\"\n{text}")).unwrap();
    let stderr = exits(site.path(), &["new", "page", "Buscar"], 1);
    assert!(
        stderr.contains(
            "error: a page titled \"Buscar\" would be a second \"Buscar\" in the menu, beside the entry for the search page"
        ),
        "{stderr}"
    );
    assert!(!site.path().join("content/pages/buscar.md").exists());
    ok(site.path(), &["new", "page", "Contacto"]);
}
