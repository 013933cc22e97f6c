//! A fuzz-style property test on stable Rust: random bytes, and real briefs, authors, pages
//! and configs (the `features` fixture and the example site) with random edits, go through
//! load, render and check (`brief::check::check` builds the site and checks every file). It
//! must never panic, and every failure must be diagnostics with a message.
//!
//! CI runs `FUZZ_CASES` cases (default 200); for a long run:
//! `FUZZ_CASES=100000 FUZZ_SECONDS=600 cargo test --test it fuzz:: -- --nocapture`,
//! which stops after FUZZ_SECONDS and prints how many cases ran.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// The failure a case reports when FUZZ_SECONDS are spent, which is not a failure.
const OUT_OF_TIME: &str = "time budget spent";

use crate::common::fixture;

/// Text fragments that front matter, Markdown and config parsers treat specially.
const TOKENS: &[&str] = &[
    "+++",
    "---",
    "[hero]",
    "image = \"../../../../etc/passwd\"",
    "pdf = \"//etc/passwd\"",
    "photo = \"/../x.jpg\"",
    "theme = \"../..\"",
    "logo = \"../../x\"",
    "template = \"../brief.html\"",
    "topics = [\"a\", \"A\", \"\", \"-\", \"a\"]",
    "authors = []",
    "authors = [\"nobody\"]",
    "date = 2024-02-30",
    "date = \"soon\"",
    "lang = \"xx\"",
    "translations = { es = \"missing\" }",
    "[links]\nwebsite = \"javascript:alert(1)\"",
    "slug = \"\"",
    "toc = \"yes\"",
    "paginate_by = -1",
    "toc_depth = 99",
    "base_url = \"not a url\"",
    "[[menu]]\nname = \"x\"\nurl = \"x\"",
    "[^1]",
    "[^1]: A note.",
    "[link](@/briefs/nowhere.md)",
    "![](../../../../etc/passwd)",
    "<script>alert(1)</script>",
    "```",
    "# ",
    "## Heading {#id}",
    "{{ page.title }}",
    "{% if %}",
    "\u{0}",
    "\u{feff}",
    "é",
    "👩‍👩‍👧",
    "\r\n",
    "\"\"\"",
    "'''",
    "= \"",
    "[",
    "]",
];

#[derive(Debug, Clone)]
enum Edit {
    /// Insert bytes at a fraction (in thousandths) of the length.
    Insert(u16, Vec<u8>),
    /// Insert a token on a line of its own, at line n (modulo the line count).
    Token(usize, usize),
    /// Delete `len` bytes from a fraction of the length.
    Delete(u16, u16),
    /// Repeat line n.
    Duplicate(usize),
    /// Cut the file at a fraction of its length.
    Truncate(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u16..=1000, proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(line, token)| Edit::Token(line, token)),
        (0u16..=1000, 1u16..64).prop_map(|(at, len)| Edit::Delete(at, len)),
        any::<usize>().prop_map(Edit::Duplicate),
        (0u16..=1000).prop_map(Edit::Truncate),
    ]
}

fn at(fraction: u16, len: usize) -> usize {
    len * usize::from(fraction) / 1000
}

fn apply(text: &mut Vec<u8>, edit: &Edit) {
    let len = text.len();
    match edit {
        Edit::Insert(fraction, bytes) => {
            let i = at(*fraction, len);
            text.splice(i..i, bytes.iter().copied());
        }
        Edit::Token(line, token) => {
            let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = line % (lines.len() + 1);
            lines.insert(i, TOKENS[*token].as_bytes().to_vec());
            *text = lines.join(&b'\n');
        }
        Edit::Delete(fraction, n) => {
            let i = at(*fraction, len);
            let end = (i + usize::from(*n)).min(len);
            text.drain(i..end);
        }
        Edit::Duplicate(line) => {
            let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = line % lines.len();
            let copy = lines[i].clone();
            lines.insert(i, copy);
            *text = lines.join(&b'\n');
        }
        Edit::Truncate(fraction) => text.truncate(at(*fraction, len)),
    }
}

/// One case: which site, which of its files, and what is done to it.
#[derive(Debug, Clone)]
enum Case {
    Edited {
        site: usize,
        file: usize,
        edits: Vec<Edit>,
    },
    Random {
        site: usize,
        file: usize,
        bytes: Vec<u8>,
    },
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        4 => (0..2usize, any::<usize>(), proptest::collection::vec(edit(), 1..6))
            .prop_map(|(site, file, edits)| Case::Edited { site, file, edits }),
        1 => (0..2usize, any::<usize>(), proptest::collection::vec(any::<u8>(), 0..512))
            .prop_map(|(site, file, bytes)| Case::Random { site, file, bytes }),
    ]
}

/// A site copied to a temporary folder, with the files a case may change.
struct Site {
    dir: tempfile::TempDir,
    /// Relative paths of the config and content files, and their original bytes.
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Site {
    fn copy(from: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for part in ["config.toml", "content", "static", "templates"] {
            for entry in walkdir::WalkDir::new(from.join(part))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let rel = entry.path().strip_prefix(from).unwrap().to_path_buf();
                let to = dir.path().join(&rel);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), &to).unwrap();
                let is_text = rel.extension().is_some_and(|e| e == "md" || e == "toml");
                if is_text {
                    files.push((rel, std::fs::read(entry.path()).unwrap()));
                }
            }
        }
        files.sort();
        Site { dir, files }
    }
}

/// Loads, renders and checks the site: a panic fails the test (proptest catches it and
/// shrinks the case), and so does an error that is not a diagnostic with a message.
fn check_site(root: &Path) -> Result<(), TestCaseError> {
    let options = brief::check::CheckOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    match brief::check::check(&options) {
        Ok(report) => {
            for problem in &report.problems {
                prop_assert!(!problem.message.is_empty(), "empty problem: {problem:?}");
            }
        }
        Err(errors) => {
            prop_assert!(!errors.0.is_empty(), "a failure without diagnostics");
            for diagnostic in &errors.0 {
                prop_assert!(
                    !diagnostic.message.trim().is_empty(),
                    "a diagnostic without a message: {diagnostic:?}"
                );
            }
            let _shown = errors.to_string();
        }
    }
    Ok(())
}

#[test]
fn no_input_makes_load_render_or_check_panic() {
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let budget = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let sites = [
        Site::copy(&fixture("features")),
        Site::copy(Path::new(env!("CARGO_MANIFEST_DIR"))),
    ];
    let started = Instant::now();
    let ran = std::cell::Cell::new(0u64);
    let failed = std::cell::Cell::new(false);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), |case| {
        // Not while shrinking a real failure, which this would hide.
        if !failed.get() && budget.is_some_and(|b| started.elapsed() > b) {
            // Ends the run: proptest stops at the first failure (shrinking a failure that
            // fails again at once is quick), and this one is recognised below.
            return Err(TestCaseError::fail(OUT_OF_TIME));
        }
        ran.set(ran.get() + 1);
        let (site, file, bytes) = match &case {
            Case::Edited { site, file, edits } => {
                let site = &sites[*site];
                let (rel, original) = &site.files[file % site.files.len()];
                let mut bytes = original.clone();
                for edit in edits {
                    apply(&mut bytes, edit);
                }
                (site, rel, bytes)
            }
            Case::Random { site, file, bytes } => {
                let site = &sites[*site];
                let (rel, _) = &site.files[file % site.files.len()];
                (site, rel, bytes.clone())
            }
        };
        let path = site.dir.path().join(file);
        std::fs::write(&path, &bytes).unwrap();
        let outcome = std::panic::catch_unwind(|| check_site(site.dir.path()));
        // Put the file back before anything else, so the next case starts from the real site.
        let original = &site.files.iter().find(|(rel, _)| rel == file).unwrap().1;
        std::fs::write(&path, original).unwrap();
        if !matches!(outcome, Ok(Ok(()))) {
            failed.set(true);
        }
        match outcome {
            Ok(result) => result,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(TestCaseError::fail(format!(
                    "panicked on {}: {message}\n--- file ---\n{}",
                    file.display(),
                    String::from_utf8_lossy(&bytes)
                )))
            }
        }
    });
    eprintln!(
        "fuzz: {} cases in {:.0} s",
        ran.get(),
        started.elapsed().as_secs_f64()
    );
    match result {
        Err(TestError::Fail(reason, _)) if reason.message() == OUT_OF_TIME => {}
        Err(failure) => panic!("{failure}"),
        Ok(()) => {}
    }
}
