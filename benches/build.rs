//! End-to-end build benchmark: `cargo bench --bench build -- [N...]` (default: 1000 10000).
//!
//! For each N it generates a site of N briefs (plus 50 authors and an about page) in a temporary
//! folder, then runs the release `brief` binary as a child process, `brief --root <site> build`,
//! three times after an untimed warm-up. Each run is timed by wall clock, and the child's peak resident memory is read
//! from the `rusage` that `wait4` returns when it is reaped (no polling, so no peak is missed).
//! As a baseline measured in the same run, the bench itself reads every generated `.md`, renders
//! its body with pulldown-cmark and writes the HTML out, sequentially; brief's time is reported
//! as a ratio to that loop. Then, with the build cache, it times a build with nothing changed
//! and one after a paragraph is appended to one brief (median of three each). It ends with
//! Markdown tables for the README.
//!
//! Options after `--`: the brief counts to build, and `--keep` to keep the generated sites (their
//! paths are printed), e.g. to profile a build by hand.
//!
//! The generated text is deterministic: brief `i` is the same text at every N and on every
//! machine, so figures from different runs and commits compare like for like.
//!
//! The sites go in the system's temporary folder (`$TMPDIR`, else /tmp); 10,000 briefs need about
//! 2 GB. Nothing is deleted until every measurement is done: each run writes to a fresh folder
//! (brief's `public/` is renamed aside after each run) and the temporary folders are removed at
//! the end. Deleting tens of thousands of files shortly before a timed run can slow its file
//! creation several times over on some file systems (ext4 without a journal, as on the machine
//! this was written on, will not reuse an inode freed in the last minute or more, and checks
//! every such inode each time it creates a file), which would measure the file system rather than
//! brief. For the same reason, leave a few minutes between two invocations of this bench (or
//! after deleting many files), or take the disk out of the measurement with `TMPDIR=/dev/shm`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pulldown_cmark::{Options, Parser};

// The text generator, 900 lines of word lists and prose rules.
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/reap.rs"]
mod reap;
use corpus::{AUTHORS, generate_site};

/// Timed runs of each measurement; the table shows their median (time) and maximum (memory).
const RUNS: usize = 3;
const DEFAULT_COUNTS: &[usize] = &[1000, 10_000];

fn main() {
    let mut counts = Vec::new();
    let mut keep = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--keep" => keep = true,
            // cargo bench passes `--bench`; other libtest-style flags are ignored as well.
            a if a.starts_with('-') => {}
            a => match a.replace('_', "").parse::<usize>() {
                Ok(n) if n > 0 => counts.push(n),
                _ => {
                    eprintln!(
                        "usage: cargo bench --bench build -- [--keep] [N...]   (N = briefs, e.g. 1000 10000)"
                    );
                    std::process::exit(2);
                }
            },
        }
    }
    if counts.is_empty() {
        counts = DEFAULT_COUNTS.to_vec();
    }

    let brief_bin = Path::new(env!("CARGO_BIN_EXE_brief"));
    eprintln!("brief binary: {}", brief_bin.display());
    eprintln!("machine: {}", machine());

    let mut rows = Vec::new();
    // Kept until the end: see the module comment on deleting files between timed runs.
    let mut temps = Vec::new();
    for &n in &counts {
        let (row, temp) = bench_one(n, brief_bin);
        rows.push(row);
        temps.push(temp);
    }

    println!();
    println!("{}", table(&rows));
    println!(
        "Median of {RUNS} runs; peak RSS is the largest `ru_maxrss` of the {RUNS} `brief build` processes. \
         Baseline: the same Markdown files read, rendered with pulldown-cmark and written as HTML \
         in one sequential loop, no templates. brief runs on all cores, the loop on one. Machine: {} \
         (load average at the end: {}).",
        machine(),
        load_average()
    );
    if !keep {
        eprintln!("removing the temporary folders");
    }
    for temp in temps {
        if keep {
            eprintln!("kept {}", temp.keep().display());
        }
    }
}

struct Row {
    /// `brief build` with the build cache, nothing changed: (wall, CPU), medians.
    warm: (Duration, Duration),
    /// The same after appending a paragraph to one brief: (wall, CPU), medians.
    edit: (Duration, Duration),
    briefs: usize,
    pages: usize,
    words: usize,
    brief_median: Duration,
    /// brief's user + system CPU time, median of the runs: unlike wall time, it barely moves when
    /// other processes compete for the cores.
    brief_cpu_median: Duration,
    peak_rss_kib: u64,
    baseline_median: Duration,
}

fn bench_one(n: usize, brief_bin: &Path) -> (Row, tempfile::TempDir) {
    let temp = tempfile::Builder::new()
        .prefix(&format!("brief-bench-{n}-"))
        .tempdir()
        .expect("create a temporary folder");
    let site = temp.path().join("site");
    let started = Instant::now();
    let generated = generate_site(&site, n).expect("generate the site");
    let bytes = dir_size(&site.join("content"));
    eprintln!(
        "\n== {n} briefs: generated {} files, {:.1} MB, {} words of brief text in {:.2} s at {}",
        generated.files,
        bytes as f64 / 1e6,
        generated.words,
        started.elapsed().as_secs_f64(),
        site.display()
    );

    let public = site.join("public");
    let mut brief_times = Vec::new();
    let mut brief_cpu = Vec::new();
    let mut baseline_times = Vec::new();
    let mut peak_rss_kib = 0;
    let mut pages = 0;
    // Baseline and brief alternate so that load from other users of the machine hits both alike.
    // Run 0 is an untimed warm-up of each: the first files created in a fresh part of the disk
    // cost more, and the binary and content are not yet in the page cache.
    for run in 0..=RUNS {
        sync();
        let baseline_out = temp.path().join(format!("baseline-run{run}"));
        let (elapsed, rendered) = baseline(&site.join("content"), &baseline_out);

        sync();
        let outcome = run_brief(brief_bin, &site);
        pages = count_index_html(&public);
        // Listing pages (home, archives, authors, ...) vary as the theme grows; every brief and
        // author must have its page whatever else there is.
        let brief_pages = count_pages_at_depth(&public.join("briefs"), 2);
        let author_pages = count_pages_at_depth(&public.join("authors"), 2);
        if brief_pages != n || author_pages < AUTHORS {
            eprintln!(
                "warning: brief wrote {brief_pages} brief pages (expected {n}) and {author_pages} author pages (expected at least {AUTHORS})"
            );
        }
        // Renamed, not deleted, so that the next run starts from the same state without paying
        // for a deletion (see the module comment).
        fs::rename(&public, site.join(format!("public-run{run}"))).expect("move the output aside");
        let label = if run == 0 {
            "warm-up".to_string()
        } else {
            format!("run {run}/{RUNS}")
        };
        eprintln!(
            "{label}: brief {:>7.3} s (CPU {:>6.3} s), peak RSS {:>6.1} MiB, {pages} pages | pulldown-cmark loop {:>7.3} s, {rendered} files | load average {}",
            outcome.elapsed.as_secs_f64(),
            outcome.cpu.as_secs_f64(),
            outcome.max_rss_kib as f64 / 1024.0,
            elapsed.as_secs_f64(),
            load_average(),
        );
        if !outcome.warnings.is_empty() {
            eprintln!(
                "  brief printed {} warning line(s), first: {}",
                outcome.warnings.len(),
                outcome.warnings[0]
            );
        }
        if run > 0 {
            baseline_times.push(elapsed);
            brief_times.push(outcome.elapsed);
            brief_cpu.push(outcome.cpu);
            peak_rss_kib = peak_rss_kib.max(outcome.max_rss_kib);
        }
    }
    let (warm, edit) = warm_builds(brief_bin, &site);
    let row = Row {
        warm,
        edit,
        briefs: n,
        pages,
        words: generated.words,
        brief_median: median(&mut brief_times),
        brief_cpu_median: median(&mut brief_cpu),
        peak_rss_kib,
        baseline_median: median(&mut baseline_times),
    };
    (row, temp)
}

/// Warm builds with the build cache into `site/public`: one untimed build to fill the cache,
/// then [`RUNS`] timed rounds of a build with nothing changed and a build after appending a
/// paragraph to one brief (another brief each round). Returns the medians of (wall, CPU).
fn warm_builds(brief_bin: &Path, site: &Path) -> ((Duration, Duration), (Duration, Duration)) {
    run_brief(brief_bin, site);
    let mut briefs: Vec<_> = fs::read_dir(site.join("content/briefs"))
        .expect("list the briefs")
        .map(|e| e.expect("list the briefs").path())
        .collect();
    briefs.sort();
    let (mut warm, mut warm_cpu, mut edit, mut edit_cpu) = (vec![], vec![], vec![], vec![]);
    for run in 1..=RUNS {
        sync();
        let unchanged = run_brief(brief_bin, site);
        let brief = &briefs[run * briefs.len() / (RUNS + 1)];
        let mut text = fs::read_to_string(brief).expect("read a brief");
        text.push_str(&format!("\nA paragraph added in round {run}.\n"));
        fs::write(brief, text).expect("edit a brief");
        sync();
        let edited = run_brief(brief_bin, site);
        eprintln!(
            "warm run {run}/{RUNS}: nothing changed {:.3} s (CPU {:.3} s) | one brief edited {:.3} s (CPU {:.3} s) | load average {}",
            unchanged.elapsed.as_secs_f64(),
            unchanged.cpu.as_secs_f64(),
            edited.elapsed.as_secs_f64(),
            edited.cpu.as_secs_f64(),
            load_average(),
        );
        warm.push(unchanged.elapsed);
        warm_cpu.push(unchanged.cpu);
        edit.push(edited.elapsed);
        edit_cpu.push(edited.cpu);
    }
    (
        (median(&mut warm), median(&mut warm_cpu)),
        (median(&mut edit), median(&mut edit_cpu)),
    )
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| Briefs | Words | Pages written | `brief build` wall (median) | Pages/s | brief CPU, user+sys (median) | Peak RSS (max) | pulldown-cmark loop (median) | brief ÷ loop |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let secs = r.brief_median.as_secs_f64();
        let base = r.baseline_median.as_secs_f64();
        let _ = writeln!(
            out,
            "| {} | {:.1} M | {} | {:.2} s | {} | {:.2} s | {:.0} MiB | {:.2} s | {:.2}× |",
            thousands(r.briefs),
            r.words as f64 / 1e6,
            thousands(r.pages),
            secs,
            thousands((r.pages as f64 / secs).round() as usize),
            r.brief_cpu_median.as_secs_f64(),
            r.peak_rss_kib as f64 / 1024.0,
            base,
            secs / base,
        );
    }
    out.push_str(
        "\n| Briefs | warm build, nothing changed: wall (CPU) | warm build, one brief edited: wall (CPU) |\n",
    );
    out.push_str("|---:|---:|---:|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {:.2} s ({:.2} s) | {:.2} s ({:.2} s) |",
            thousands(r.briefs),
            r.warm.0.as_secs_f64(),
            r.warm.1.as_secs_f64(),
            r.edit.0.as_secs_f64(),
            r.edit.1.as_secs_f64(),
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running brief

struct Outcome {
    elapsed: Duration,
    cpu: Duration,
    max_rss_kib: u64,
    warnings: Vec<String>,
}

/// Runs `brief --root <site> build` and measures it ([`reap::run`]).
fn run_brief(brief_bin: &Path, site: &Path) -> Outcome {
    let log_dir = site.parent().unwrap();
    let stdout_path = log_dir.join("brief.stdout");
    let stderr_path = log_dir.join("brief.stderr");
    // Files, not pipes: a build with many warnings would fill a pipe and block while we wait.
    let stdout = fs::File::create(&stdout_path).expect("create stdout file");
    let stderr = fs::File::create(&stderr_path).expect("create stderr file");
    let usage = reap::run(
        Command::new(brief_bin)
            .arg("--root")
            .arg(site)
            .arg("build")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr),
    );
    let stdout = fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    if !usage.succeeded {
        panic!(
            "brief build failed (wait status {:#x})\n--- stdout\n{stdout}\n--- stderr\n{}",
            usage.status,
            stderr.chars().take(5000).collect::<String>()
        );
    }
    Outcome {
        elapsed: usage.elapsed,
        cpu: usage.cpu,
        max_rss_kib: usage.max_rss_kib,
        warnings: stderr
            .lines()
            .filter(|l| l.starts_with("warning"))
            .map(str::to_string)
            .collect(),
    }
}

fn count_index_html(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == "index.html")
        .count()
}

/// Pages `<dir>/<name>/index.html`, such as one brief's or one author's (not `<dir>/page/2/`).
fn count_pages_at_depth(dir: &Path, depth: usize) -> usize {
    walkdir::WalkDir::new(dir)
        .min_depth(depth)
        .max_depth(depth)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == "index.html")
        .count()
}

// ---------------------------------------------------------------------------------------------
// Baseline: the least an SSG could do with the same files

/// Reads every `.md` under `content`, renders the body after its front matter with pulldown-cmark
/// (with the extensions brief enables, so both parse the same Markdown), and writes it to
/// `<out>/<section>/<stem>/index.html`, one file after another. No templates, no front matter
/// parsing, no site model: what is left is Markdown and file I/O, which brief's time is compared
/// to. Returns the elapsed time and the number of files rendered.
fn baseline(content: &Path, out: &Path) -> (Duration, usize) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let started = Instant::now();
    let mut html = String::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
    {
        let text = fs::read_to_string(entry.path()).expect("read a generated file");
        let body = strip_front_matter(&text);
        html.clear();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(body, options));
        let rel = entry
            .path()
            .strip_prefix(content)
            .unwrap()
            .with_extension("");
        let dir = out.join(rel);
        fs::create_dir_all(&dir).expect("create an output folder");
        fs::write(dir.join("index.html"), html.as_bytes()).expect("write a page");
        files += 1;
    }
    (started.elapsed(), files)
}

fn strip_front_matter(text: &str) -> &str {
    text.strip_prefix("+++\n")
        .and_then(|rest| rest.find("\n+++\n").map(|i| &rest[i + 5..]))
        .unwrap_or(text)
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Flushes written files to disk so that writeback of one step is not billed to the next.
fn sync() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The 1-, 5- and 15-minute load averages, to judge how busy the machine was during a run.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cpu}, {threads} hardware threads available, {}",
        std::env::consts::OS
    )
}
