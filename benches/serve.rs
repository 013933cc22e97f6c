//! `brief serve` latency benchmark: `cargo bench --bench serve` (not a timed test).
//!
//! 1. Save-to-visible in a real browser (Debian's Chromium, headless) for the example site
//!    (the repository's own content/ and config.toml) and for a generated site of 1,000 briefs:
//!    the bench writes a brief's Markdown with a new marker, notes the wall-clock time, and polls
//!    the page every 2 ms until the marker shows (the page is morphed in place, not reloaded, so
//!    there is no new `DOMContentLoaded` to read); the difference is one sample.
//! 2. The rebuild time for one edited brief in a generated site of 10,000 briefs, as the server
//!    reports it on its terminal line (`incremental rebuild ... in N ms`).
//!
//! Prints the median (and min/max) of each. Needs Chromium for part 1 (skipped, with a note,
//! when there is none). Options after `--`: `--samples N` (default 15). The comparison with
//! `hugo server` on the issue-11 corpus is benches/preview/preview.mjs.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use headless_chrome::{Browser, LaunchOptions, Tab};

struct Server {
    child: Child,
    url: String,
    lines: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("brief serve starts");
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            lines,
        };
        let serving = server.line(|l| l.starts_with("Serving "));
        server.url = serving.rsplit(" at ").next().unwrap().to_string();
        server
    }

    fn line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(600))
                .expect("server output");
            if pred(&line) {
                return line;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

fn brief(i: usize, marker: &str) -> String {
    let author = format!("author-{}", i % 50);
    let mut text = format!(
        "+++\ntitle = \"Generated brief {i}\"\ndate = {}-{:02}-{:02}\nauthors = [\"{author}\"]\ntopics = [\"topic-{}\"]\n+++\n\n{marker}\n\n",
        2000 + i % 25,
        1 + i % 12,
        1 + i % 28,
        i % 10
    );
    for p in 0..8 {
        text.push_str(&format!("## Section {p}\n\nParagraph {p} of brief {i}: sanctions, deterrence, verification and the politics of arms control, discussed at modest length so that the page is of a realistic size.\n\n"));
    }
    text
}

/// A site of `n` generated briefs and 50 authors.
fn generate(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/briefs")).unwrap();
    std::fs::create_dir_all(root.join("content/authors")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        "title = \"Generated\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    for a in 0..50 {
        std::fs::write(
            root.join(format!("content/authors/author-{a}.md")),
            format!("+++\nname = \"Author {a}\"\n+++\n\nBio of author {a}.\n"),
        )
        .unwrap();
    }
    for i in 0..n {
        std::fs::write(
            root.join(format!("content/briefs/brief-{i}.md")),
            brief(i, "Start."),
        )
        .unwrap();
    }
    dir
}

/// The repository's example site, copied.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("config.toml"), dir.path().join("config.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

fn chromium() -> Option<PathBuf> {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.is_file()))
}

fn eval(tab: &Tab, expression: &str) -> Option<serde_json::Value> {
    tab.evaluate(expression, false).ok().and_then(|r| r.value)
}

/// Save-to-visible samples, in ms, for edits of `file` shown at `page`.
fn browser_latency(
    browser: &Browser,
    server: &Server,
    file: &Path,
    page: &str,
    make: &dyn Fn(&str) -> String,
    samples: usize,
) -> Vec<f64> {
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}{page}", server.url))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let mut out = Vec::new();
    for i in 0..samples + 2 {
        let marker = format!("Latency marker {i} {}", now_ms() as u64);
        let saved = now_ms();
        std::fs::write(file, make(&marker)).unwrap();
        let check = format!("document.body && document.body.innerText.includes('{marker}')");
        let deadline = Instant::now() + Duration::from_secs(30);
        while eval(&tab, &check) != Some(serde_json::Value::Bool(true)) {
            assert!(Instant::now() < deadline, "edit {i} never showed");
            std::thread::sleep(Duration::from_millis(2));
        }
        let ready = now_ms();
        // The first two warm the caches.
        if i >= 2 {
            out.push(ready - saved);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    out
}

fn summary(name: &str, samples: &mut [f64]) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "{name}: median {median:.1} ms (min {:.1}, max {:.1}, n = {})",
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let samples = args
        .iter()
        .position(|a| a == "--samples")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);

    match chromium() {
        None => println!("save-to-visible: skipped, no Chromium (apt-get install -y chromium)"),
        Some(path) => {
            let profile = tempfile::tempdir().unwrap();
            let browser = Browser::new(LaunchOptions {
                headless: true,
                sandbox: false,
                path: Some(path),
                user_data_dir: Some(profile.path().to_path_buf()),
                args: [
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ]
                .iter()
                .map(OsStr::new)
                .collect(),
                idle_browser_timeout: Duration::from_secs(600),
                ..LaunchOptions::default()
            })
            .expect("Chromium starts");

            let site = example();
            let server = Server::start(site.path());
            let file = site
                .path()
                .join("content/briefs/what-putin-and-kim-want-from-each-other.md");
            let original = std::fs::read_to_string(&file).unwrap();
            let make = |marker: &str| {
                // Put the marker at the start of the body, after the front matter.
                let end = original[3..].find("+++").unwrap() + 6;
                format!("{}\n\n{marker}\n{}", &original[..end], &original[end..])
            };
            let mut s = browser_latency(
                &browser,
                &server,
                &file,
                "briefs/what-putin-and-kim-want-from-each-other/",
                &make,
                samples,
            );
            summary("save-to-visible, example site", &mut s);
            drop(server);

            let site = generate(1000);
            let server = Server::start(site.path());
            let file = site.path().join("content/briefs/brief-500.md");
            let mut s = browser_latency(
                &browser,
                &server,
                &file,
                "briefs/brief-500/",
                &|m| brief(500, m),
                samples,
            );
            summary("save-to-visible, 1,000 briefs", &mut s);
        }
    }

    let site = generate(10_000);
    let started = Instant::now();
    let mut server = Server::start(site.path());
    println!(
        "10,000 briefs: first build and start in {} ms",
        started.elapsed().as_millis()
    );
    let file = site.path().join("content/briefs/brief-5000.md");
    let mut times = Vec::new();
    for i in 0..samples + 1 {
        std::fs::write(&file, brief(5000, &format!("Edit {i}."))).unwrap();
        let line = server.line(|l| l.contains("brief-5000.md:"));
        let ms: f64 = line
            .rsplit(" in ")
            .next()
            .and_then(|t| t.trim_end_matches(" ms").parse().ok())
            .unwrap_or_else(|| panic!("unexpected line {line}"));
        assert!(line.contains("incremental"), "{line}");
        if i > 0 {
            times.push(ms);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    summary("one-brief rebuild, 10,000 briefs", &mut times);
}
