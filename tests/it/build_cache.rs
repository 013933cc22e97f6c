//! The build cache (`.brief-cache/build/`): a build of an unchanged site writes nothing, a
//! damaged or foreign cache is ignored with a warning, a file removed from the output comes
//! back, and after any sequence of edits the output is the same as a clean build's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::common::{brief, copy_to_temp, files, fixture};

const CACHE: &str = ".brief-cache/build";

/// Runs `brief build --output out` (with `extra`) in `root`; (success, stdout, stderr).
fn build(root: &Path, out: &Path, extra: &[&str]) -> (bool, String, String) {
    let output = brief(root)
        .args(["build", "--output"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        output.status.success(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// The files of a clean build of `root` (no cache, a new folder), or `None` if it fails.
fn clean_build(root: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let (ok, _, _) = build(root, &out, &["--no-cache"]);
    ok.then(|| files(&out))
}

/// The one record of the site's cache.
fn record(root: &Path) -> PathBuf {
    let mut records: Vec<PathBuf> = std::fs::read_dir(root.join(CACHE))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    records.remove(0)
}

fn mtimes(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("warning")).collect()
}

#[test]
fn unchanged_site_is_not_built_again() {
    let site = copy_to_temp(&fixture("features"));
    let out = site.path().join("public");
    let (ok, stdout, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("Built "), "{stdout}");
    let before = mtimes(&out);
    let (ok, stdout, stderr_again) = build(site.path(), &out, &[]);
    assert!(ok);
    assert!(
        stdout.starts_with("Nothing changed since the last build"),
        "{stdout}"
    );
    // Not a file, not a folder written, replaced or touched.
    assert_eq!(mtimes(&out), before);
    // The warnings of the last build are repeated, not lost.
    assert_eq!(warnings(&stderr_again), warnings(&stderr));
    // Saving a file without changing it is no change either.
    let brief_file = site.path().join("content/briefs/short-note.md");
    std::fs::write(&brief_file, std::fs::read(&brief_file).unwrap()).unwrap();
    let (_, stdout, _) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Nothing changed"), "{stdout}");
}

#[test]
fn damaged_cache_is_ignored_with_a_warning() {
    let site = copy_to_temp(&fixture("minimal"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    let file = record(site.path());
    let bytes = std::fs::read(&file).unwrap();
    // Cut short, as by a full disk, after a change to the site.
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let index = out.join("index.html");
    std::fs::remove_file(&index).unwrap();
    let (ok, stdout, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("Built "), "{stdout}");
    let name = file
        .strip_prefix(site.path())
        .unwrap()
        .display()
        .to_string();
    let warned = warnings(&stderr);
    assert_eq!(warned.len(), 1, "{stderr}");
    let start = format!("warning: {name}: ignoring the build cache: it is damaged (EOF while");
    assert!(warned[0].starts_with(&start), "{stderr}");
    assert!(
        warned[0].ends_with("); this build writes a new one"),
        "{stderr}"
    );
    assert_eq!(Some(files(&out)), clean_build(site.path()));
    // The record was written again and is used.
    let (_, stdout, stderr) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Nothing changed"), "{stdout}");
    assert_eq!(warnings(&stderr), Vec::<&str>::new());
}

#[test]
fn cache_of_another_build_of_brief_is_not_trusted() {
    let site = copy_to_temp(&fixture("minimal"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    let file = record(site.path());
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    value["binary"] = "0123456789abcdef0123456789abcdef".into();
    std::fs::write(&file, serde_json::to_vec(&value).unwrap()).unwrap();
    let (ok, stdout, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("Built "), "{stdout}");
    let warned = warnings(&stderr);
    assert_eq!(warned.len(), 1, "{stderr}");
    assert!(
        warned[0].contains(".brief-cache/build/")
            && warned[0].contains("another build of brief wrote it"),
        "{stderr}"
    );
    value["binary"] = "x".into();
    value["version"] = "0.0.1".into();
    std::fs::write(&file, serde_json::to_vec(&value).unwrap()).unwrap();
    let (_, _, stderr) = build(site.path(), &out, &[]);
    assert!(stderr.contains("brief 0.0.1 wrote it"), "{stderr}");
}

#[test]
fn output_files_deleted_or_edited_by_hand_are_written_again() {
    let site = copy_to_temp(&fixture("minimal"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    let built = files(&out);
    let index = out.join("index.html");
    std::fs::remove_file(&index).unwrap();
    let (_, stdout, _) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert_eq!(files(&out), built);
    std::fs::write(&index, "edited by hand").unwrap();
    let (_, stdout, _) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert_eq!(files(&out), built);
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let site = copy_to_temp(&fixture("minimal"));
    let out = site.path().join("public");
    let (ok, stdout, _) = build(site.path(), &out, &["--no-cache"]);
    assert!(ok && stdout.starts_with("Built "), "{stdout}");
    assert!(!site.path().join(CACHE).exists());
    // Nor leaves the spill file of the briefs' bodies behind.
    let spilled = walkdir::WalkDir::new(site.path().join(".brief-cache"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("bodies-"))
        .count();
    assert_eq!(spilled, 0);
    assert!(build(site.path(), &out, &[]).0);
    std::fs::write(record(site.path()), "not json").unwrap();
    let (ok, stdout, stderr) = build(site.path(), &out, &["--no-cache"]);
    assert!(ok && stdout.starts_with("Built "), "{stdout}");
    assert_eq!(warnings(&stderr), Vec::<&str>::new());
}

/// A small xorshift generator: the same edits on every run, no extra crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The Markdown files of briefs, sorted.
fn brief_files(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/briefs"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    found.sort();
    found
}

fn pick(rng: &mut Rng, paths: &[PathBuf]) -> PathBuf {
    paths[rng.below(paths.len())].clone()
}

/// Replaces the first line of `path` starting with `key` by `line`.
fn set_line(path: &Path, key: &str, line: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| match !done && l.starts_with(key) {
            true => {
                done = true;
                line.to_string()
            }
            false => l.to_string(),
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// One random edit of the site at `root`: a brief's text, title or date, a brief added or
/// removed, an author, config.toml, a template, a static file, or a file saved unchanged.
fn edit(rng: &mut Rng, root: &Path, step: usize) -> String {
    let briefs = brief_files(root);
    let authors: Vec<PathBuf> = ["ada-lovelace", "charles-de-gaulle", "xi-jinping"]
        .iter()
        .map(|a| root.join(format!("content/authors/{a}.md")))
        .collect();
    match rng.below(9) {
        // Only briefs added here: the fixture's own are linked from others.
        4 if briefs
            .iter()
            .any(|p| p.to_string_lossy().contains("added-")) =>
        {
            let added: Vec<PathBuf> = briefs
                .into_iter()
                .filter(|p| p.to_string_lossy().contains("added-"))
                .collect();
            let path = pick(rng, &added);
            std::fs::remove_file(&path).unwrap();
            format!("removed {}", path.display())
        }
        0 | 4 => {
            let path = pick(rng, &briefs);
            append(&path, &format!("\nA new paragraph, number {step}.\n"));
            format!("appended to {}", path.display())
        }
        1 => {
            let path = pick(rng, &briefs);
            set_line(&path, "title =", &format!("title = \"Retitled {step}\""));
            format!("retitled {}", path.display())
        }
        2 => {
            let path = pick(rng, &briefs);
            let date = format!(
                "date = 2023-{:02}-{:02}",
                1 + rng.below(12),
                1 + rng.below(28)
            );
            set_line(&path, "date =", &date);
            format!("{date} in {}", path.display())
        }
        3 => {
            let author = ["ada-lovelace", "charles-de-gaulle"][rng.below(2)];
            let topic = ["Energy", "Trade", "Cyber"][rng.below(3)];
            let path = root.join(format!("content/briefs/added-{step}.md"));
            let text = format!(
                "+++\ntitle = \"Added {step}\"\ndate = 2024-03-{:02}\nauthors = [\"{author}\"]\ntopics = [\"{topic}\"]\n+++\n\nA brief added at step {step}.\n",
                1 + rng.below(28)
            );
            std::fs::write(&path, text).unwrap();
            format!("added {}", path.display())
        }
        5 => {
            let path = pick(rng, &authors);
            append(&path, &format!("\nMore about them, {step}.\n"));
            format!("appended to {}", path.display())
        }
        6 => {
            let line = format!("description = \"Described at step {step}.\"");
            set_line(&root.join("config.toml"), "description =", &line);
            "changed config.toml".into()
        }
        7 => match rng.below(2) {
            0 => {
                // Still a child template: only the block changes.
                let text = format!(
                    "{{% extends \"base.html\" %}}\n{{% block content %}}<h1>Lost at step {step}</h1>{{% endblock content %}}\n"
                );
                std::fs::write(root.join("templates/404.html"), text).unwrap();
                "changed templates/404.html".into()
            }
            _ => {
                let text = format!("User-agent: *\nDisallow: /{step}/\n");
                std::fs::write(root.join("static/robots-test.txt"), text).unwrap();
                "changed static/robots-test.txt".into()
            }
        },
        _ => {
            let path = pick(rng, &briefs);
            std::fs::write(&path, std::fs::read(&path).unwrap()).unwrap();
            format!("saved {} unchanged", path.display())
        }
    }
}

/// Gives the site at `root` a page whose template prints everything a page's template sees
/// (`__tera_context`), so that anything an edit to a brief or author changes in it (a list
/// of briefs, a count) makes a partial build that does not render the page differ from a
/// clean build.
fn add_context_page(root: &Path) {
    let page = "+++\ntitle = \"Everything\"\ntemplate = \"context.html\"\n+++\n\nAll of it.\n";
    std::fs::write(root.join("content/pages/everything.md"), page).unwrap();
    let template = "{% extends \"base.html\" %}\n{% block content %}<pre>{{ __tera_context }}</pre>{% endblock content %}\n";
    std::fs::write(root.join("templates/context.html"), template).unwrap();
}

#[test]
fn random_edits_build_the_same_as_a_clean_build() {
    let site = copy_to_temp(&fixture("features"));
    let root = site.path();
    add_context_page(root);
    let out = root.join("public");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut done = Vec::new();
    let mut partial = 0;
    for step in 0..16 {
        done.push(edit(&mut rng, root, step));
        let (ok, stdout, stderr) = build(root, &out, &[]);
        partial += usize::from(stdout.starts_with("Rebuilt the "));
        let clean = clean_build(root);
        // A failed build (a removed brief another links to) fails without the cache too.
        assert_eq!(ok, clean.is_some(), "after {done:?}: {stderr}");
        let Some(clean) = clean else { continue };
        let warm = files(&out);
        let differ: Vec<&String> = warm
            .keys()
            .chain(clean.keys())
            .filter(|k| warm.get(*k) != clean.get(*k))
            .collect();
        assert!(differ.is_empty(), "after {done:?} these differ: {differ:?}");
    }
    // Some edits wrote only the pages showing them.
    assert!(partial > 0, "{done:?}");
}

#[test]
fn edited_brief_rewrites_only_the_pages_showing_it() {
    let site = copy_to_temp(&fixture("features"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    append(
        &site.path().join("content/briefs/short-note.md"),
        "\nOne more sentence.\n",
    );
    let (ok, stdout, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("Rebuilt the "), "{stdout}");
    assert_eq!(Some(files(&out)), clean_build(site.path()));
    // An author's text shows on their page and in their briefs' bylines.
    append(
        &site.path().join("content/authors/ada-lovelace.md"),
        "\nShe also wrote notes.\n",
    );
    let (_, stdout, _) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Rebuilt the "), "{stdout}");
    assert_eq!(Some(files(&out)), clean_build(site.path()));
    // A new date moves the brief in every list: everything is written.
    set_line(
        &site.path().join("content/briefs/short-note.md"),
        "date =",
        "date = 2020-01-01",
    );
    let (_, stdout, _) = build(site.path(), &out, &[]);
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert_eq!(Some(files(&out)), clean_build(site.path()));
}

/// The entries of the load cache (one per brief), sorted.
fn entries(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(CACHE).join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

#[test]
fn damaged_or_misplaced_brief_entries_are_ignored_with_a_warning() {
    let site = copy_to_temp(&fixture("features"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    let found = entries(site.path());
    // One per published brief (the draft is left out).
    assert_eq!(found.len(), 6, "{found:?}");
    let shown = |path: &Path| {
        path.strip_prefix(site.path())
            .unwrap()
            .display()
            .to_string()
    };
    // Cut short.
    let bytes = std::fs::read(&found[0]).unwrap();
    std::fs::write(&found[0], &bytes[..bytes.len() / 2]).unwrap();
    // An author's edit: every brief is loaded, none has a new text.
    let author = site.path().join("content/authors/ada-lovelace.md");
    append(&author, "\nOne more sentence.\n");
    let (ok, _, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    let warned = warnings(&stderr);
    let start = format!(
        "warning: {}: ignoring a damaged entry of the build cache (",
        shown(&found[0])
    );
    assert!(warned.iter().any(|w| w.starts_with(&start)), "{stderr}");
    assert_eq!(Some(files(&out)), clean_build(site.path()));
    // Written again: the next build has no warning about it.
    append(&author, "\nAnd another.\n");
    let (_, _, stderr) = build(site.path(), &out, &[]);
    assert!(!stderr.contains("damaged entry"), "{stderr}");
    // An entry copied over another brief's is not taken for it.
    let found = entries(site.path());
    std::fs::copy(&found[1], &found[2]).unwrap();
    append(&author, "\nAnd a third.\n");
    let (_, _, stderr) = build(site.path(), &out, &[]);
    let start = format!(
        "warning: {}: ignoring a damaged entry of the build cache (it names another brief)",
        shown(&found[2])
    );
    assert!(
        warnings(&stderr).iter().any(|w| w.starts_with(&start)),
        "{stderr}"
    );
    assert_eq!(Some(files(&out)), clean_build(site.path()));
}

#[test]
fn briefs_numbered_in_a_replaced_or_damaged_search_lexicon_are_loaded_again() {
    let site = copy_to_temp(&fixture("features"));
    let root = site.path();
    let out = root.join("public");
    let lexicon = root.join(CACHE).join("lexicon.bin");
    assert!(build(root, &out, &[]).0);
    let first = std::fs::read(&lexicon).unwrap();
    // New words, numbered after the stored ones.
    let briefs = ["short-note.md", "three-authors.md", "same-day-b.md"]
        .map(|name| root.join("content/briefs").join(name));
    append(&briefs[0], "\nA zyzzyva met a quokka.\n");
    assert!(build(root, &out, &[]).0);
    assert_eq!(Some(files(&out)), clean_build(root));
    // Another build (other options) saved its own lexicon over this one, with other words
    // under the same new numbers: the first brief's entry must not be read with them.
    std::fs::write(&lexicon, &first).unwrap();
    append(&briefs[1], "\nAn aardwolf and a numbat.\n");
    let (ok, stdout, stderr) = build(root, &out, &[]);
    assert!(ok && stdout.starts_with("Rebuilt the "), "{stdout}{stderr}");
    assert_eq!(Some(files(&out)), clean_build(root));
    let search = |word: &str| {
        files(&out).iter().any(|(path, bytes)| {
            path.contains("search/words/")
                && bytes.windows(word.len()).any(|w| w == word.as_bytes())
        })
    };
    assert!(search("zyzzyva") && search("aardwolf"));
    // A damaged lexicon: a warning naming it, and the same output.
    std::fs::write(&lexicon, b"brief lexicon 2\n\xff\xff").unwrap();
    append(&briefs[2], "\nOne more sentence.\n");
    let (ok, _, stderr) = build(root, &out, &[]);
    assert!(ok, "{stderr}");
    let start = format!("warning: {CACHE}/lexicon.bin: ignoring a damaged search lexicon");
    assert!(
        warnings(&stderr).iter().any(|w| w.starts_with(&start)),
        "{stderr}"
    );
    assert_eq!(Some(files(&out)), clean_build(root));
}

#[test]
fn a_flipped_byte_in_an_entry_or_its_body_is_noticed_and_the_brief_loaded_again() {
    let site = copy_to_temp(&fixture("features"));
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).0);
    // An entry is its magic line, the lengths of its two parts and their checksums, the
    // brief, then the body. One changed byte in either is read back by bincode as another
    // value (a number, a letter), not as an error.
    let found = entries(site.path());
    let light_of = |bytes: &[u8]| {
        let magic = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        let light = u64::from_le_bytes(bytes[magic..magic + 8].try_into().unwrap()) as usize;
        (magic + 24, light)
    };
    for (path, in_body) in [(&found[0], false), (&found[1], true)] {
        let mut bytes = std::fs::read(path).unwrap();
        let (start, light) = light_of(&bytes);
        let at = if in_body {
            start + light + (bytes.len() - start - light) / 2
        } else {
            start + light / 2
        };
        bytes[at] ^= 0x01;
        std::fs::write(path, &bytes).unwrap();
    }
    // Every page written again, the briefs taken from their entries where they are sound.
    std::fs::remove_dir_all(&out).unwrap();
    let (ok, _, stderr) = build(site.path(), &out, &[]);
    assert!(ok, "{stderr}");
    let shown = |path: &Path| {
        path.strip_prefix(site.path())
            .unwrap()
            .display()
            .to_string()
    };
    let warned = warnings(&stderr);
    let damaged = |path: &Path| {
        format!(
            "warning: {}: ignoring a damaged entry of the build cache (its checksum does not match); the brief is loaded again",
            shown(path)
        )
    };
    // One warning a build, for the first damaged entry found.
    assert!(
        warned
            .iter()
            .any(|w| *w == damaged(&found[0]) || *w == damaged(&found[1])),
        "{stderr}"
    );
    assert_eq!(Some(files(&out)), clean_build(site.path()));
    // Both written again.
    std::fs::remove_dir_all(&out).unwrap();
    let (ok, _, stderr) = build(site.path(), &out, &[]);
    assert!(ok && !stderr.contains("damaged entry"), "{stderr}");
}
