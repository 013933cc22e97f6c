//! Whole-output checks: each fixture site is built once, through the library, and every file
//! it writes is compared with the expected tree in `tests/golden/<name>/` (pages, feeds,
//! sitemap, search index, citation files, assets). A missing, extra or different file fails
//! the test with the first lines that differ, so a change in any output shows up in review.
//!
//! After an intended change, re-bless the trees with `BLESS=1 cargo test --test it golden::`
//! and read the diff of tests/golden/ before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Site, built};

/// Compares (or, with `BLESS=1`, writes) the golden tree of `site`'s output, built once for
/// the test process (the other tests that read it share the build).
fn check_golden(name: &str, site: Site) {
    let out = built(site, false);
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let actual = tree(out);
    if std::env::var_os("BLESS").is_some() {
        bless(&expected_dir, &actual);
        return;
    }
    let expected = tree(&expected_dir);
    let problems = differences(&expected, &actual);
    assert!(
        problems.is_empty(),
        "the output of {name} differs from tests/golden/{name} (re-bless with BLESS=1 if intended):\n{}",
        problems.join("\n")
    );
}

/// Every file below `dir` by its `/`-separated relative path, except the default theme's
/// static files published byte for byte as they are (stylesheet, scripts, fonts, icons): they
/// are source files of the repository already, and a copy per fixture would only repeat them.
/// Rewritten ones (minified, renamed by hash) differ from the source and are compared.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let theme_static = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(e.path()).unwrap();
            let from_theme = std::fs::read(theme_static.join(rel)).is_ok_and(|t| t == bytes);
            (!from_theme).then_some((key, bytes))
        })
        .collect()
}

fn bless(dir: &Path, actual: &BTreeMap<String, Vec<u8>>) {
    let _ = std::fs::remove_dir_all(dir);
    for (path, bytes) in actual {
        let to: PathBuf = dir.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, bytes).unwrap();
    }
}

/// One line per missing, extra or different file; for text files the first differing line.
fn differences(
    expected: &BTreeMap<String, Vec<u8>>,
    actual: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
        problems.push(format!("missing: {path}"));
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        problems.push(format!("extra:   {path}"));
    }
    for (path, want) in expected {
        let Some(got) = actual.get(path) else {
            continue;
        };
        if want == got {
            continue;
        }
        problems.push(
            match (std::str::from_utf8(want), std::str::from_utf8(got)) {
                (Ok(want), Ok(got)) => first_difference(path, want, got),
                _ => format!(
                    "differs: {path} ({} bytes expected, {} written)",
                    want.len(),
                    got.len()
                ),
            },
        );
    }
    problems
}

fn first_difference(path: &str, want: &str, got: &str) -> String {
    let (mut want_lines, mut got_lines) = (want.lines(), got.lines());
    let mut number = 1;
    loop {
        match (want_lines.next(), got_lines.next()) {
            (Some(w), Some(g)) if w == g => number += 1,
            (w, g) => {
                return format!(
                    "differs: {path}:{number}\n  expected: {}\n  written:  {}",
                    w.unwrap_or("<end of file>"),
                    g.unwrap_or("<end of file>")
                );
            }
        }
    }
}

#[test]
fn minimal_fixture_output_matches_golden_tree() {
    check_golden("minimal", Site::Fixture("minimal"));
}

#[test]
fn features_fixture_output_matches_golden_tree() {
    check_golden("features", Site::Fixture("features"));
}

#[test]
fn structure_fixture_output_matches_golden_tree() {
    check_golden("structure", Site::Fixture("structure"));
}

#[test]
fn example_site_output_matches_golden_tree() {
    check_golden("example", Site::Example);
}

#[test]
fn differences_name_missing_extra_and_changed_files() {
    let file = |s: &str| s.as_bytes().to_vec();
    let expected = BTreeMap::from([
        ("a.html".to_string(), file("one\ntwo\n")),
        ("gone.xml".to_string(), file("x")),
    ]);
    let actual = BTreeMap::from([
        ("a.html".to_string(), file("one\nTWO\n")),
        ("new.json".to_string(), file("{}")),
    ]);
    assert_eq!(
        differences(&expected, &actual),
        [
            "missing: gone.xml",
            "extra:   new.json",
            "differs: a.html:2\n  expected: two\n  written:  TWO",
        ]
    );
}
