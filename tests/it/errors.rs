//! Failed builds: every error case runs the real binary on a temporary copy of the `minimal`
//! fixture with the case's folder (tests/fixtures/errors/<case>/) laid over it, and checks the
//! exit code, the message, the file and line it points at, and that nothing was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{brief, copy_to_temp, fixture};

/// The brief of the `minimal` fixture that most cases replace.
const FIRST_BRIEF: &str = "content/briefs/first-brief.md";

/// A temporary copy of `minimal` with `errors/<case>/` copied over it (the case's files win).
fn site_with(case: &str) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("minimal"));
    let overlay = fixture("errors").join(case);
    assert!(overlay.is_dir(), "no fixture folder {}", overlay.display());
    for entry in walkdir::WalkDir::new(&overlay)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = site
            .path()
            .join(entry.path().strip_prefix(&overlay).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    site
}

/// Every file and folder under `dir` with its bytes (folders as `None`).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| std::fs::read(entry.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// Runs `brief build <args>` in `site`, asserts that it failed with exit code 1, reported
/// `errors` problems, and wrote nothing at all (no public/, no temporary folder, no change to
/// any file); returns stderr.
fn build_fails(site: &Path, args: &[&str], errors: usize) -> String {
    let before = snapshot(site);
    let output = brief(site).arg("build").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected exit code 1\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        !stdout.contains("Built"),
        "a failed build must not report success\nstdout:\n{stdout}"
    );
    let summary = match errors {
        1 => "1 error; nothing was written.".to_string(),
        n => format!("{n} errors; nothing was written."),
    };
    assert_eq!(
        stderr.trim_end().lines().last(),
        Some(summary.as_str()),
        "last line of stderr\n{stderr}"
    );
    assert!(
        !site.join("public").exists(),
        "a failed build created public/\n{stderr}"
    );
    let after = snapshot(site);
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let removed: Vec<_> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(p, bytes)| after.get(*p).is_some_and(|b| b != *bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "a failed build touched the site: added {added:?}, removed {removed:?}, changed {changed:?}\n{stderr}"
    );
    stderr
}

/// Builds the case's site, expecting exactly one error.
fn fails(case: &str) -> String {
    let site = site_with(case);
    build_fails(site.path(), &[], 1)
}

/// The `error: ...` line of stderr that starts with `prefix` (after `error: `).
fn error_line<'a>(stderr: &'a str, prefix: &str) -> &'a str {
    let wanted = format!("error: {prefix}");
    stderr
        .lines()
        .find(|line| line.starts_with(&wanted))
        .unwrap_or_else(|| panic!("no line starting with `{wanted}` in stderr:\n{stderr}"))
}

/// Asserts that stderr contains every one of `needles`.
#[track_caller]
fn assert_mentions(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr does not mention `{needle}`:\n{stderr}"
        );
    }
}

#[test]
fn missing_front_matter_is_reported_at_line_1_with_how_to_start_it() {
    let stderr = fails("missing_front_matter");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:1:"));
    assert!(line.contains("no front matter"), "{stderr}");
    assert_mentions(&stderr, &["help:", "+++"]);
}

#[test]
fn unterminated_front_matter_says_it_is_never_closed() {
    let stderr = fails("unterminated_front_matter");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:1:"));
    assert!(line.contains("never closed"), "{stderr}");
    assert_mentions(&stderr, &["help:", "`+++`"]);
}

#[test]
fn yaml_front_matter_error_shows_the_toml_equivalent() {
    let stderr = fails("yaml_front_matter");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:1:"));
    assert!(line.contains("YAML"), "{stderr}");
    assert!(line.contains("TOML"), "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "title = \"First Brief\"",
            "authors = [\"jane-doe\"]",
            "topics = [\"Arms Control\"]",
        ],
    );
    // A line that introduces something with a colon must be followed by it, not by the summary.
    let lines: Vec<&str> = stderr.lines().collect();
    for pair in lines.windows(2) {
        if pair[0].trim_end().ends_with(':') {
            assert!(
                pair[1].starts_with(' ') && !pair[1].trim_start().starts_with("help:"),
                "`{}` introduces something that does not follow it:\n{stderr}",
                pair[0]
            );
        }
    }
}

#[test]
fn yaml_front_matter_error_suggests_toml_that_builds() {
    let site = site_with("yaml_front_matter");
    let stderr = build_fails(site.path(), &[], 1);
    // The suggested front matter: the indented block from one `+++` line to the next.
    let block: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "+++")
        .skip(1)
        .take_while(|l| *l != "+++")
        .collect();
    assert!(!block.is_empty(), "no +++ block in stderr:\n{stderr}");
    let text = format!("+++\n{}\n+++\n\nWritten with TOML now.\n", block.join("\n"));
    std::fs::write(site.path().join(FIRST_BRIEF), text).unwrap();
    brief(site.path()).arg("build").assert().success();
    let page =
        std::fs::read_to_string(site.path().join("public/briefs/first-brief/index.html")).unwrap();
    assert!(page.contains("First Brief"));
    assert!(page.contains("January 15, 2024"), "the date survived");
}

#[test]
fn bad_toml_syntax_is_reported_at_the_line_of_the_md_file() {
    let stderr = fails("bad_toml_syntax");
    // The unclosed string is on line 5 of the file (line 4 of the TOML between the `+++` lines).
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(line.contains("a text value has no closing"), "{stderr}");
}

#[test]
fn unknown_key_is_named_with_the_close_one_and_the_valid_keys() {
    let stderr = fails("unknown_key");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:1:"));
    assert!(line.contains("`sumary`"), "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "did you mean `summary`?",
            "valid keys are title, subtitle, date, updated, authors, summary",
            "[extra]",
        ],
    );
}

/// A post converted from Jekyll with keys brief does not know and values of the wrong type:
/// all five are reported by one build, each at its own line and column.
#[test]
fn every_unknown_key_and_wrong_value_is_reported_in_one_build() {
    let site = site_with("jekyll_keys");
    let stderr = build_fails(site.path(), &[], 5);
    let layout = error_line(&stderr, &format!("{FIRST_BRIEF}:5:1: unknown key `layout`"));
    assert!(layout.contains("`layout`"), "{stderr}");
    let topics = error_line(
        &stderr,
        &format!("{FIRST_BRIEF}:6:10: `topics` must be a list"),
    );
    assert!(topics.contains("found the text \"Sanctions\""), "{stderr}");
    error_line(&stderr, &format!("{FIRST_BRIEF}:7:1: unknown key `tags`"));
    error_line(
        &stderr,
        &format!("{FIRST_BRIEF}:8:7: `toc` must be true or false"),
    );
    error_line(
        &stderr,
        &format!("{FIRST_BRIEF}:12:1: unknown key `categorie` in [hero]"),
    );
    assert_mentions(&stderr, &["[hero] takes image, alt, caption, credit"]);
}

#[test]
fn missing_title_is_named() {
    let stderr = fails("missing_title");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:"));
    assert!(
        line.contains("missing") && line.contains("`title`"),
        "{stderr}"
    );
    assert_mentions(&stderr, &["help: add a line such as title = \""]);
}

#[test]
fn missing_date_is_named() {
    let stderr = fails("missing_date");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:"));
    assert!(
        line.contains("missing") && line.contains("`date`"),
        "{stderr}"
    );
    assert_mentions(&stderr, &["help: add a line such as date = 20"]);
}

#[test]
fn missing_authors_is_named() {
    let stderr = fails("missing_authors");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:"));
    assert!(
        line.contains("missing") && line.contains("`authors`"),
        "{stderr}"
    );
    assert_mentions(&stderr, &["help: add a line such as authors = ["]);
}

#[test]
fn authors_given_as_text_asks_for_a_list() {
    let stderr = fails("authors_not_a_list");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:4:"));
    assert!(line.contains("list"), "{stderr}");
    assert_mentions(&stderr, &["authors = [\"jane-doe\"]"]);
}

#[test]
fn topics_given_as_text_help_shows_topics_not_authors() {
    let stderr = fails("topics_not_a_list");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(line.contains("list"), "{stderr}");
    assert_mentions(&stderr, &["topics = ["]);
    assert!(
        !stderr.contains("authors = ["),
        "the help shows an example for another key:\n{stderr}"
    );
}

#[test]
fn toc_given_as_text_asks_for_true_or_false_not_a_list() {
    let stderr = fails("toc_not_a_boolean");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(
        line.contains("boolean") || line.contains("true or false"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("list"),
        "toc takes true or false, not a list:\n{stderr}"
    );
}

#[test]
fn date_in_words_asks_for_yyyy_mm_dd() {
    let stderr = fails("date_in_words");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:3:"));
    assert!(line.contains("`Sept 15` is not a date"), "{stderr}");
    assert!(line.contains("YYYY-MM-DD"), "{stderr}");
}

#[test]
fn unquoted_date_in_words_says_how_to_write_it_not_the_toml_parser_message() {
    let stderr = fails("date_unquoted_words");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:3:"));
    assert!(
        line.contains("`date` must be a date written YYYY-MM-DD, not `Sept 15 2023`"),
        "{stderr}"
    );
    assert_mentions(&stderr, &["help: write date = 2023-09-15"]);
}

#[test]
fn hugo_style_date_with_offset_says_how_to_write_it() {
    let stderr = fails("date_hugo_offset");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:3:"));
    assert!(line.contains("not `2023-09-15 10:00:00 -0400`"), "{stderr}");
    assert!(!stderr.contains("invalid offset"), "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "write date = 2023-09-15",
            "date = 2023-09-15T10:00:00-04:00",
        ],
    );
}

#[test]
fn brief_key_written_below_hero_says_to_move_it_above() {
    let stderr = fails("key_after_hero");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:8:1:"));
    assert!(line.contains("unknown key `topics` in [hero]"), "{stderr}");
    assert_mentions(&stderr, &["after the [hero] line", "move it above [hero]"]);
}

#[test]
fn unusable_slug_is_reported_at_the_slug_line() {
    let stderr = fails("slug_unusable");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(line.contains("slug `???`"), "{stderr}");
    assert_mentions(&stderr, &["help: set slug = \"a-short-name\""]);
}

#[test]
fn empty_pull_quote_is_reported_at_its_line() {
    let stderr = fails("pull_quote_empty");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:8:"));
    assert!(line.contains("pull quote"), "{stderr}");
}

#[test]
fn carriage_return_line_endings_are_named_not_missing_front_matter() {
    let site = copy_to_temp(&fixture("minimal"));
    let text =
        "+++\rtitle = \"First Brief\"\rdate = 2024-01-15\rauthors = [\"jane-doe\"]\r+++\r\rText.\r";
    std::fs::write(site.path().join(FIRST_BRIEF), text).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:1:"));
    assert!(line.contains("carriage return"), "{stderr}");
    assert!(!line.contains("no front matter"), "{stderr}");
    assert_mentions(&stderr, &["help:", "line endings"]);
}

#[test]
fn empty_theme_is_a_config_error_at_its_line() {
    let stderr = fails("theme_empty");
    let line = error_line(&stderr, "config.toml:3:");
    assert!(line.contains("theme is empty"), "{stderr}");
    assert_mentions(&stderr, &["theme = \"default\""]);
    assert!(!stderr.contains("template"), "{stderr}");
}

#[test]
fn base_url_with_a_space_or_empty_host_part_is_refused() {
    let stderr = fails("base_url_space");
    let line = error_line(&stderr, "config.toml:2:");
    assert!(line.contains("contains a space"), "{stderr}");
    let stderr = fails("base_url_dot_dot");
    let line = error_line(&stderr, "config.toml:2:");
    assert!(line.contains("empty part"), "{stderr}");
}

#[test]
fn impossible_date_is_rejected_at_its_line() {
    let stderr = fails("impossible_date");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:3:"));
    assert!(line.contains("date"), "{stderr}");
    assert!(line.contains("month"), "{stderr}");
}

#[test]
fn unknown_author_lists_known_ids() {
    let stderr = fails("unknown_author");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:4:"));
    assert!(line.contains("unknown author `jane-do`"), "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "did you mean `jane-doe`?",
            "known author ids: jane-doe, john-roe",
            "content/authors/jane-do.md",
        ],
    );
}

#[test]
fn file_and_bundle_with_the_same_slug_are_both_named() {
    let stderr = fails("duplicate_slug_bundle");
    let line = error_line(&stderr, "content/briefs/first-brief");
    assert!(line.contains("slug `first-brief`"), "{stderr}");
    assert!(line.contains("content/briefs/first-brief.md"), "{stderr}");
    assert!(
        line.contains("content/briefs/first-brief/index.md"),
        "{stderr}"
    );
}

#[test]
fn two_briefs_with_the_same_slug_key_are_both_named() {
    let stderr = fails("duplicate_slug_key");
    let line = error_line(&stderr, "content/briefs/");
    assert!(line.contains("slug `first-brief`"), "{stderr}");
    assert!(line.contains("content/briefs/first-brief.md"), "{stderr}");
    assert!(line.contains("content/briefs/another-brief.md"), "{stderr}");
    assert_mentions(&stderr, &["help:", "slug"]);
}

#[test]
fn pull_quote_not_in_text_quotes_the_entry() {
    let stderr = fails("pull_quote_not_in_text");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(
        line.contains("\"Deterrence is a conversation, not a wall.\""),
        "{stderr}"
    );
    assert!(line.contains("does not appear in the text"), "{stderr}");
}

#[test]
fn missing_hero_image_names_the_path_looked_for() {
    let stderr = fails("missing_hero_image");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:7:"));
    assert!(
        line.contains("hero image `/images/hero.jpg` not found"),
        "{stderr}"
    );
    assert!(line.contains("static/images/hero.jpg"), "{stderr}");
}

#[test]
fn unknown_template_is_named_at_its_line() {
    let stderr = fails("unknown_template");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(line.contains("template `wide-brief.html`"), "{stderr}");
    assert_mentions(&stderr, &["help:", "templates/"]);
}

#[test]
fn template_syntax_error_names_the_override_file_and_line() {
    let stderr = fails("template_syntax_error");
    // `{{ brief.title }` on line 3 of the site's templates/brief.html.
    error_line(&stderr, "templates/brief.html:3:");
    assert_mentions(&stderr, &["{{ brief.title }</h1>"]);
}

#[test]
fn a_broken_template_is_the_only_error_of_a_brief_that_asks_for_another() {
    let site = copy_to_temp(&fixture("minimal"));
    let root = site.path();
    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    std::fs::write(
        root.join("templates/wide.html"),
        "{% extends \"base.html\" %}\n{% block content %}{{ brief.title }}{% endblock content %}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/partials/byline.html"),
        "By {{ authors | length }\n",
    )
    .unwrap();
    let path = root.join("content/briefs/first-brief.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("title =", "template = \"wide.html\"\ntitle =", 1),
    )
    .unwrap();
    let output = brief(root).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with("error: templates/partials/byline.html:1:"),
        "{stderr}"
    );
}

#[test]
fn toml_syntax_errors_say_what_is_missing_where_it_is_missing() {
    let site = copy_to_temp(&fixture("minimal"));
    let path = site.path().join("content/briefs/first-brief.md");
    let good = std::fs::read_to_string(&path).unwrap();
    let cases = [
        // A list left open: the parser stumbles on the next line, the mistake is above it.
        (
            ("title =", "topics = [\"Sanctions\", \"Trade\"\ntitle ="),
            "2:31: the list on this line is not closed\n  help: end it with `]`",
        ),
        (
            ("title = \"First Brief\"", "title = \"First Brief"),
            "2:21: a text value has no closing `\"` on its line\n  help: end it on the same line",
        ),
        (
            ("title = \"First Brief\"", "title = First Brief"),
            "2:9: a text value is not in quotes\n  help: put it in double quotes: key = \"text\"\n",
        ),
        (
            ("title = \"First Brief\"", "title: \"First Brief\""),
            "2:8: a key has no `=` and value\n  help: write key = value (TOML takes `=`, where YAML takes `:`)\n",
        ),
    ];
    for ((from, to), wanted) in cases {
        std::fs::write(&path, good.replacen(from, to, 1)).unwrap();
        let stderr = build_fails(site.path(), &[], 1);
        assert!(
            stderr.contains(&format!("error: {FIRST_BRIEF}:{wanted}")),
            "{to}:\n{stderr}"
        );
    }
}

#[test]
fn a_language_name_instead_of_its_code_is_an_error_at_its_line() {
    let site = copy_to_temp(&fixture("minimal"));
    let path = site.path().join("content/briefs/first-brief.md");
    let brief_text = std::fs::read_to_string(&path).unwrap();
    let french = brief_text.replacen("title =", "lang = \"French\"\ntitle =", 1);
    std::fs::write(&path, french).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    assert!(
        stderr.contains(&format!(
            "error: {FIRST_BRIEF}:2:1: `French` is not a language code\n  help: write the language's code: \"fr\", as in lang = \"fr\"\n"
        )),
        "{stderr}"
    );
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("language = \"english\"\n{text}")).unwrap();
    std::fs::write(&path, brief_text).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: config.toml:1:1: `english` is not a language code\n  help: write the language's code: \"en\"\n"),
        "{stderr}"
    );
}

#[test]
fn template_render_error_names_the_template_and_the_brief() {
    let stderr = fails("template_render_error");
    // `{{ brief.nope.deeper }}` on line 4 of the site's templates/brief.html.
    let line = error_line(&stderr, "templates/brief.html:4:");
    assert!(
        line.contains(FIRST_BRIEF),
        "names the brief being rendered:\n{stderr}"
    );
    assert_mentions(&stderr, &["nope"]);
}

#[test]
fn template_filter_on_wrong_type_names_the_template_and_the_brief() {
    let stderr = fails("template_filter_type_error");
    // `{{ brief.authors | upper }}` on line 4 of the site's templates/brief.html.
    let line = error_line(&stderr, "templates/brief.html:4:");
    assert!(
        line.contains(FIRST_BRIEF),
        "names the brief being rendered:\n{stderr}"
    );
    assert_mentions(&stderr, &["upper"]);
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let site = copy_to_temp(&fixture("minimal"));
    // Latin-1 `é` (0xE9) in the title, column 13 of line 2.
    let mut bytes = b"+++\ntitle = \"Caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nText.\n");
    std::fs::write(site.path().join(FIRST_BRIEF), bytes).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:2:13:"));
    assert!(line.contains("not valid UTF-8"), "{stderr}");
    assert_mentions(&stderr, &["help:", "UTF-8"]);
}

#[test]
fn config_syntax_error_is_reported_at_its_line() {
    let stderr = fails("config_syntax_error");
    let line = error_line(&stderr, "config.toml:2:");
    assert!(line.contains("a text value has no closing"), "{stderr}");
    assert_mentions(&stderr, &["help: end it on the same line"]);
}

#[test]
fn config_unknown_key_suggests_the_close_one() {
    let stderr = fails("config_unknown_key");
    let line = error_line(&stderr, "config.toml:3:1:");
    assert!(line.contains("`theem`"), "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "did you mean `theme`?",
            // Other keys follow, ending with `extra`.
            "valid keys are title, base_url, description, language, theme, output_dir, toc_depth,",
            "extra; put your own settings under [extra]",
        ],
    );
}

#[test]
fn two_broken_briefs_are_reported_together_in_file_order() {
    let site = site_with("two_broken_briefs");
    let stderr = build_fails(site.path(), &[], 2);
    let first = error_line(&stderr, &format!("{FIRST_BRIEF}:4:"));
    assert!(first.contains("unknown author `nobody`"), "{stderr}");
    let second = error_line(&stderr, "content/briefs/second-brief.md:3:");
    assert!(second.contains("`Sept 15` is not a date"), "{stderr}");
    assert!(
        stderr.find(first).unwrap() < stderr.find(second).unwrap(),
        "sorted by file:\n{stderr}"
    );
}

#[test]
fn output_into_content_is_refused_without_touching_content() {
    let site = copy_to_temp(&fixture("minimal"));
    let stderr = build_fails(site.path(), &["--output", "content"], 1);
    let line = error_line(&stderr, "refusing");
    assert!(line.contains("content"), "{stderr}");
    assert_mentions(&stderr, &["help:", "--output"]);
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let site = site_with("unknown_author");
    // First a good build: the minimal site as it is.
    std::fs::copy(
        fixture("minimal").join(FIRST_BRIEF),
        site.path().join(FIRST_BRIEF),
    )
    .unwrap();
    brief(site.path()).arg("build").assert().success();
    let public = site.path().join("public");
    let good = snapshot(&public);
    assert!(good.contains_key(Path::new("briefs/first-brief/index.html")));

    // Then break the brief and build again.
    std::fs::copy(
        fixture("errors/unknown_author").join(FIRST_BRIEF),
        site.path().join(FIRST_BRIEF),
    )
    .unwrap();
    let before = snapshot(site.path());
    let output = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unknown author `jane-do`"), "{stderr}");
    assert_eq!(
        snapshot(&public),
        good,
        "public/ changed after a failed build"
    );
    assert_eq!(
        snapshot(site.path()),
        before,
        "a failed build left something in the site folder"
    );
}

#[test]
fn citation_of_an_unknown_key_is_reported_at_its_at_sign_with_the_close_key() {
    let stderr = fails("citation_unknown_key");
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:9:14"));
    assert!(line.contains("`@ostrm1990`"), "{stderr}");
    assert_mentions(&stderr, &["did you mean `@ostrom1990`?"]);
}

#[test]
fn malformed_bibliography_is_reported_at_its_line() {
    let stderr = build_fails(site_with("bibliography_malformed").path(), &[], 1);
    let line = error_line(&stderr, "references.bib:");
    assert!(line.contains("not valid BibTeX"), "{stderr}");
    let at: usize = line["error: references.bib:".len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (7..=12).contains(&at),
        "line {at} is not in the broken entry\n{stderr}"
    );
}

#[test]
fn missing_bibliography_names_the_front_matter_line_and_is_reported_with_other_errors() {
    let stderr = build_fails(site_with("bibliography_missing").path(), &[], 2);
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:5:"));
    assert!(
        line.contains("bibliography `content/briefs/sources.bib`"),
        "{stderr}"
    );
    // The other brief's own bibliography is read, and its typo found in the same build.
    let typo = error_line(&stderr, "content/briefs/second-brief.md:8:");
    assert!(typo.contains("`@dow2020`"), "{stderr}");
    assert_mentions(&stderr, &["did you mean `@doe2020`?"]);
}

#[test]
fn a_broken_author_file_is_one_error_not_one_per_brief() {
    // Two briefs by the author whose file has an error: the file's error alone, not
    // "unknown author" in each brief.
    let site = site_with("author_file_broken");
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(&stderr, "content/authors/jane-doe.md:3:");
    assert!(line.contains("/authors/jane.jpg"), "{stderr}");
    assert!(!stderr.contains("unknown author"), "{stderr}");
}

#[test]
fn a_translation_of_a_broken_brief_is_not_reported_as_unknown() {
    let site = site_with("translation_of_broken_brief");
    // Another brief's wrong translation is still reported by the same build.
    std::fs::write(
        site.path().join("content/briefs/other.md"),
        "+++\ntitle = \"Other\"\ndate = 2024-01-16\nauthors = [\"jane-doe\"]\ntranslations = { es = \"otro\" }\n+++\n\nText.\n",
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 2);
    let line = error_line(&stderr, "content/briefs/premier-brief.md:3:");
    assert!(line.contains("date"), "{stderr}");
    let line = error_line(&stderr, "content/briefs/other.md:5:");
    assert!(
        line.contains("the es translation `otro` is not a brief of this site"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`premier-brief` is not a brief"),
        "{stderr}"
    );
}

#[test]
fn a_base_url_with_a_double_slash_is_refused() {
    // `//x/` links would point at another host; a deploy script's `$URL/` slip.
    let site = copy_to_temp(&fixture("minimal"));
    let stderr = build_fails(site.path(), &["--base-url", "https://example.org//"], 1);
    assert_mentions(
        &stderr,
        &[
            "https://example.org//",
            "empty folder (`//`)",
            "write each `/` once",
        ],
    );
}

#[test]
fn a_broken_at_link_in_a_takeaway_or_the_footer_is_an_error_at_its_line() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}footer = \"[Us](@/pages/abuot.md)\"\n"),
    )
    .unwrap();
    let brief = site.path().join(FIRST_BRIEF);
    let text = std::fs::read_to_string(&brief).unwrap().replacen(
        "authors = [\"jane-doe\"]\n",
        "authors = [\"jane-doe\"]\nkey_takeaways = [\n  \"Fine.\",\n  \"See [it](@/briefs/frist-brief.md).\",\n]\n",
        1,
    );
    std::fs::write(&brief, text).unwrap();
    let stderr = build_fails(site.path(), &[], 2);
    let line = error_line(&stderr, &format!("{FIRST_BRIEF}:7:"));
    assert!(
        line.contains("link `@/briefs/frist-brief.md` points to content/briefs/frist-brief.md, which does not exist"),
        "{stderr}"
    );
    assert_mentions(&stderr, &["did you mean `@/briefs/first-brief.md`?"]);
    let line = error_line(&stderr, "config.toml:3:");
    assert!(
        line.contains("footer: link `@/pages/abuot.md` points to content/pages/abuot.md"),
        "{stderr}"
    );
}

/// Help that leads to a fix: a value of the wanted type, and the key set twice named.
#[test]
fn wrong_types_and_keys_set_twice_are_explained_with_a_fix() {
    let site = copy_to_temp(&fixture("minimal"));
    let brief = site.path().join(FIRST_BRIEF);
    let text = std::fs::read_to_string(&brief).unwrap().replacen(
        "authors = [\"jane-doe\"]\n",
        "authors = [\"jane-doe\"]\nfeatured = \"yes\"\n",
        1,
    );
    std::fs::write(&brief, text).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(
        &stderr,
        &format!("{FIRST_BRIEF}:5:12: `featured` must be true or false"),
    );
    assert!(line.contains("found the text \"yes\""), "{stderr}");
    assert_mentions(&stderr, &["help: write it as featured = true"]);

    let text = std::fs::read_to_string(&brief).unwrap().replacen(
        "featured = \"yes\"\n",
        "title = \"Again\"\n",
        1,
    );
    std::fs::write(&brief, text).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    error_line(&stderr, &format!("{FIRST_BRIEF}:5:1: `title` is set twice"));
    assert_mentions(
        &stderr,
        &["help: a key is set once: remove one of the `title = ...` lines"],
    );
}

#[test]
fn config_wrong_types_and_keys_set_twice_are_explained_with_a_fix() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}toc_depth = \"3\"\n")).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(
        &stderr,
        "config.toml:3:13: `toc_depth` must be a whole number",
    );
    assert!(line.contains("found the text \"3\""), "{stderr}");
    assert_mentions(&stderr, &["help: write it as toc_depth = 3"]);

    std::fs::write(&config, format!("{text}title = \"Again\"\n")).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    error_line(&stderr, "config.toml:3:1: `title` is set twice");
    assert_mentions(
        &stderr,
        &["help: a key is set once: remove one of the `title = ...` lines"],
    );
}

#[test]
fn every_missing_required_key_is_reported_by_one_build() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join(FIRST_BRIEF),
        "+++\nsummary = \"Only a summary.\"\n+++\n\nText.\n",
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 3);
    for (key, example) in [
        ("title", "title = \"A Clear Title\""),
        ("date", "date = 2024-01-15"),
        ("authors", "authors = [\"jane-doe\"]"),
    ] {
        assert_mentions(
            &stderr,
            &[
                &format!("required key `{key}` is missing"),
                &format!("add a line such as {example}"),
            ],
        );
    }
}

#[test]
fn config_type_errors_name_a_lists_item_and_a_table_in_plain_words() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}[images]\nwidths = [480, \"960\"]\n"),
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(&stderr, "config.toml:4:");
    assert!(
        line.contains("each item of `widths` must be a whole number, but found the text \"960\""),
        "{stderr}"
    );
    // No example line that would be wrong for a list.
    assert!(!stderr.contains("help: write it as widths"), "{stderr}");
    std::fs::write(&config, format!("{text}images = \"large\"\n")).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    let line = error_line(&stderr, "config.toml:3:");
    assert!(
        line.contains("`images` must be a table, but found the text \"large\""),
        "{stderr}"
    );
    assert!(!stderr.contains("struct"), "{stderr}");
}

/// An author file's name is the author's id and address: one with a space or a `#` would
/// give every byline a broken link, so it is an error naming the file and the name to use.
#[test]
fn an_author_file_name_that_cannot_be_an_address_is_an_error_with_the_name_to_use() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/authors/ana ruiz #2.md"),
        "+++\nname = \"Ana Ruiz\"\n+++\n\nBio.\n",
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    assert_eq!(
        stderr,
        "error: content/authors/ana ruiz #2.md: the author file's name `ana ruiz #2` has a space: it is the author's id and address (/authors/ana ruiz #2/)\n  help: rename the file to `ana-ruiz-2.md` and write that id in the briefs' `authors`\n1 error; nothing was written.\n"
    );
}

/// Word's Shift-Enter pastes U+000B; inside a quoted value TOML refuses it as an "invalid
/// basic string", which read as a quote left open. It is reported as the character it is,
/// in front matter and in config.toml.
#[test]
fn a_control_character_inside_a_quoted_value_is_named_not_taken_for_an_open_quote() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/pasted.md"),
        "+++\ntitle = \"Sanctions\u{b} relief\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nText.\n",
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    assert_eq!(
        stderr,
        "error: content/briefs/pasted.md:2:19: invisible control character U+000B in the text\n  help: delete it (it often comes from pasting out of a PDF or a word processor)\n1 error; nothing was written.\n"
    );
    std::fs::remove_file(site.path().join("content/briefs/pasted.md")).unwrap();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("tagline = \"Ideas\u{b}\"\n{text}")).unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    assert!(
        stderr.starts_with(
            "error: config.toml:1:17: invisible control character U+000B in the text\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_theme_that_is_not_there_is_an_error_at_its_line_in_config() {
    let site = copy_to_temp(&fixture("minimal"));
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\ntheme = \"house\"\n")).unwrap();
    let line = text.lines().count() + 2;
    let stderr = build_fails(site.path(), &[], 1);
    assert_eq!(
        stderr,
        format!(
            "error: config.toml:{line}:9: theme `house` not found: there is no folder themes/house\n  help: set theme = \"default\" (built in), or add the theme's folder under themes/\n1 error; nothing was written.\n"
        )
    );
}

/// An old page's "’" in Windows-1252, read as Latin-1, is the invisible C1 control U+0092:
/// an error at its place that says which character it stood for.
#[test]
fn a_c1_control_of_an_old_page_is_an_error_naming_the_character_it_stood_for() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/old.md"),
        "+++\ntitle = \"Old\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\nThe minister\u{92}s reply.\n",
    )
    .unwrap();
    let stderr = build_fails(site.path(), &[], 1);
    assert_eq!(
        stderr,
        "error: content/briefs/old.md:7:13: invisible control character U+0092 in the text\n  help: it is the `’` of an old page read in the wrong encoding: replace it with ’\n1 error; nothing was written.\n"
    );
}
