//! End-to-end build benchmark: `cargo bench --bench build -- [N...]` (default: 1000 10000).
//!
//! For each N it generates a site of N briefs (plus 50 authors and an about page) in a temporary
//! folder, then runs the release `brief` binary as a child process, `brief --root <site> build`,
//! three times after an untimed warm-up. Each run is timed by wall clock, and the child's peak resident memory is read
//! from the `rusage` that `wait4` returns when it is reaped (no polling, so no peak is missed).
//! As a baseline measured in the same run, the bench itself reads every generated `.md`, renders
//! its body with pulldown-cmark and writes the HTML out, sequentially; brief's time is reported
//! as a ratio to that loop. It ends with a Markdown table for the README.
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
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pulldown_cmark::{Options, Parser};

/// Timed runs of each measurement; the table shows their median (time) and maximum (memory).
const RUNS: usize = 3;
const AUTHORS: usize = 50;
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
    let row = Row {
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

/// Runs `brief --root <site> build` and reaps it with `wait4`, whose `rusage` gives the child's
/// peak resident set (`ru_maxrss`, in KiB on Linux) and CPU time. (Checked on Linux 6.18: the
/// figure is the child's own; it does not inherit this process's peak across the spawn.)
fn run_brief(brief_bin: &Path, site: &Path) -> Outcome {
    let log_dir = site.parent().unwrap();
    let stdout_path = log_dir.join("brief.stdout");
    let stderr_path = log_dir.join("brief.stderr");
    // Files, not pipes: a build with many warnings would fill a pipe and block while we wait.
    let stdout = fs::File::create(&stdout_path).expect("create stdout file");
    let stderr = fs::File::create(&stderr_path).expect("create stderr file");
    let started = Instant::now();
    let child = Command::new(brief_bin)
        .arg("--root")
        .arg(site)
        .arg("build")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("start brief");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data that wait4 fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let elapsed = started.elapsed();
    // The child is reaped; dropping the handle only closes our side (std never waits in Drop).
    drop(child);
    assert_eq!(reaped, pid, "wait4 failed: {}", io::Error::last_os_error());
    let stdout = fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        panic!(
            "brief build failed (wait status {status:#x})\n--- stdout\n{stdout}\n--- stderr\n{}",
            stderr.chars().take(5000).collect::<String>()
        );
    }
    let timeval = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Outcome {
        elapsed,
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
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
// Generating the site

/// xorshift64*: a few lines of code, fast, and good enough to vary made-up prose. A crate such as
/// `rand` would add a dependency (and its output may change between its versions, which would
/// silently change the benchmark's input); this generator's sequence is fixed forever.
struct Rng(u64);

impl Rng {
    /// Seeds through splitmix64 so that neighbouring seeds (brief 41, brief 42) diverge at once.
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }

    /// Like `pick`, but early items are chosen far more often, as with words in real text.
    fn pick_skewed<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.skewed_index(items.len())]
    }

    fn skewed_index(&mut self, len: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * len as f64) as usize).min(len - 1)
    }

    /// `k` distinct indices below `len`, skewed like `pick_skewed`.
    fn distinct(&mut self, k: usize, len: usize, skewed: bool) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let i = if skewed {
                self.skewed_index(len)
            } else {
                self.range(0, len - 1)
            };
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

const NOUNS: &[&str] = &[
    "sanctions regime",
    "alliance",
    "treaty",
    "government",
    "ministry",
    "coalition",
    "deterrent",
    "arsenal",
    "negotiation",
    "summit",
    "border",
    "economy",
    "budget",
    "parliament",
    "export control",
    "supply chain",
    "inspection",
    "missile program",
    "reactor",
    "election",
    "ceasefire",
    "embargo",
    "delegation",
    "security council",
    "defense industry",
    "enrichment facility",
    "shipping lane",
    "tariff",
    "central bank",
    "refinery",
    "pipeline",
    "port",
    "garrison",
    "satellite",
    "drone fleet",
    "cyber unit",
    "grain corridor",
    "aid package",
    "loan",
    "credit line",
    "fishing fleet",
    "navy",
    "air force",
    "militia",
    "court",
    "constitution",
    "referendum",
    "protest movement",
    "opposition",
    "ruling party",
    "intelligence service",
    "verification regime",
    "hotline",
    "framework agreement",
    "peace process",
    "mediation effort",
    "stockpile",
    "warhead",
    "launcher",
    "test site",
    "reform",
    "investment screening",
    "chip industry",
    "rare earth supply",
    "currency",
    "debt",
    "bond market",
    "energy price",
    "power grid",
    "water agreement",
    "refugee flow",
    "visa policy",
    "trade deal",
    "doctrine",
    "posture",
    "exercise",
    "patrol",
    "buffer zone",
    "monitoring mission",
];
const ADJECTIVES: &[&str] = &[
    "new",
    "fragile",
    "regional",
    "bilateral",
    "multilateral",
    "strategic",
    "limited",
    "costly",
    "informal",
    "formal",
    "credible",
    "uncertain",
    "modest",
    "ambitious",
    "aging",
    "rival",
    "domestic",
    "foreign",
    "naval",
    "nuclear",
    "conventional",
    "economic",
    "political",
    "legal",
    "covert",
    "public",
    "sweeping",
    "narrow",
    "short-term",
    "long-term",
    "outdated",
    "expanding",
    "shrinking",
    "contested",
    "neglected",
    "reluctant",
    "overdue",
    "decisive",
    "gradual",
    "sudden",
    "hidden",
    "visible",
    "coordinated",
    "divided",
    "cautious",
    "assertive",
    "stable",
    "volatile",
];
const VERBS: &[&str] = &[
    "weakened",
    "strengthened",
    "undermined",
    "reshaped",
    "delayed",
    "accelerated",
    "complicated",
    "clarified",
    "tested",
    "exposed",
    "ignored",
    "rewarded",
    "punished",
    "financed",
    "blocked",
    "approved",
    "challenged",
    "replaced",
    "extended",
    "limited",
    "redirected",
    "constrained",
    "encouraged",
    "discouraged",
    "outlasted",
    "mirrored",
    "overshadowed",
    "revived",
    "stalled",
    "narrowed",
    "widened",
    "absorbed",
    "fragmented",
    "anchored",
    "eroded",
    "sustained",
    "reversed",
];
const ADVERBS: &[&str] = &[
    "quietly",
    "openly",
    "steadily",
    "sharply",
    "briefly",
    "repeatedly",
    "largely",
    "partly",
    "rarely",
    "increasingly",
    "deliberately",
    "unexpectedly",
    "slowly",
    "quickly",
    "formally",
];
const PREPOSITIONS: &[&str] = &[
    "in", "across", "near", "against", "under", "beyond", "within", "along", "after", "before",
    "despite", "without", "toward", "around", "between",
];
const PROPER: &[&str] = &[
    "Moscow",
    "Beijing",
    "Washington",
    "Brussels",
    "Pyongyang",
    "Seoul",
    "Tokyo",
    "Tehran",
    "New Delhi",
    "Islamabad",
    "Ankara",
    "Kyiv",
    "Warsaw",
    "Berlin",
    "Paris",
    "London",
    "Riyadh",
    "Cairo",
    "Nairobi",
    "Addis Ababa",
    "Abuja",
    "Brasilia",
    "Mexico City",
    "Canberra",
    "Jakarta",
    "Hanoi",
    "Manila",
    "Taipei",
    "Astana",
    "Tbilisi",
    "Baku",
    "Yerevan",
    "the Baltic states",
    "the Gulf states",
    "the Sahel",
    "the Arctic Council",
    "NATO",
    "the IAEA",
    "ASEAN",
    "the African Union",
    "the European Commission",
    "the G-20",
    "the UN Security Council",
];
const CONNECTORS: &[&str] = &[
    "However,",
    "Meanwhile,",
    "In practice,",
    "For now,",
    "Even so,",
    "By contrast,",
    "As a result,",
    "In the short term,",
    "Over time,",
    "Above all,",
    "Still,",
    "At the same time,",
    "Put simply,",
    "In effect,",
    "Crucially,",
    "Predictably,",
    "Perhaps more importantly,",
];
const CLAUSES: &[&str] = &[
    "which few officials expected",
    "although the details remain unclear",
    "as several analysts have noted",
    "at least for the time being",
    "even as budgets tightened",
    "while talks continued behind closed doors",
    "because neither side wanted to move first",
    "despite repeated warnings",
    "which changed the calculus in several capitals",
    "and the costs were borne by others",
    "though the evidence is mixed",
    "as the deadline approached",
];
const TOPICS: &[&str] = &[
    "Nuclear Weapons",
    "Arms Control",
    "Sanctions",
    "Export Controls",
    "Cybersecurity",
    "Energy Security",
    "Trade Policy",
    "Climate and Security",
    "Maritime Security",
    "Space Policy",
    "Migration",
    "Democracy and Governance",
    "Defense Budgets",
    "Emerging Technology",
];
const REGIONS: &[&str] = &[
    "East Asia",
    "Korean Peninsula",
    "Russia",
    "Europe",
    "Middle East",
    "South Asia",
    "Southeast Asia",
    "Sub-Saharan Africa",
    "Latin America",
    "Central Asia",
    "Arctic",
    "North America",
];
const PROGRAMS: &[&str] = &[
    "Nuclear Policy Program",
    "Economic Statecraft Program",
    "Technology and International Affairs Program",
    "Democracy, Conflict, and Governance Program",
    "Sustainability, Climate, and Geopolitics Program",
];
const SERIES: &[&str] = &[
    "Russia-North Korea Relations",
    "The Future of Arms Control",
    "Sanctions in Practice",
    "Chips and Power",
    "Arctic Futures",
    "Elections in 2024",
];
const FIRST_NAMES: &[&str] = &[
    "Amara", "Ben", "Chen", "Dalia", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jia", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tomas", "Uma", "Viktor",
    "Wen", "Yara", "Zoltan",
];
const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Nakamura",
    "Kowalski",
    "Mensah",
    "Petrov",
    "Alvarez",
    "Singh",
    "Moreau",
    "Bauer",
    "Osei",
    "Tanaka",
    "Rahman",
    "Novak",
    "Costa",
    "Kim",
    "Ibrahim",
    "Jensen",
    "Silva",
    "Yilmaz",
    "Dubois",
    "Hoang",
    "Mwangi",
    "Reyes",
];
const AFFILIATIONS: &[&str] = &[
    "Brief Example Institute",
    "Center for Strategic Futures",
    "Institute for Security Studies",
    "Global Governance Forum",
    "University of Example",
];
const PUBLISHERS: &[&str] = &[
    "Congressional Research Service",
    "SIPRI",
    "International Crisis Group",
    "RAND Corporation",
    "Chatham House",
    "UN Panel of Experts",
    "IISS",
    "Brookings Institution",
];

struct Generated {
    files: usize,
    words: usize,
}

fn author_id(i: usize) -> String {
    // i and i + 25 share a first name but not a last name, so all 50 names differ.
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i * 3 + i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    format!("{first} {last}")
}

fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn generate_site(site: &Path, n: usize) -> io::Result<Generated> {
    let content = site.join("content");
    for dir in ["briefs", "authors", "pages"] {
        fs::create_dir_all(content.join(dir))?;
    }
    fs::write(
        site.join("config.toml"),
        "title = \"Benchmark Institute\"\n\
         base_url = \"https://bench.example.org/\"\n\
         description = \"A generated site for benchmarking brief.\"\n\
         language = \"en\"\n\
         theme = \"default\"\n\
         output_dir = \"public\"\n\
         toc_depth = 3\n\n\
         [extra]\n\
         tagline = \"Generated briefs\"\n",
    )?;
    fs::write(
        content.join("pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"About this generated site.\"\n+++\n\n\
         This site was generated by `benches/build.rs` to measure how fast brief builds.\n",
    )?;
    let mut files = 2;

    let ids: Vec<String> = (0..AUTHORS).map(|i| slugify(&author_id(i))).collect();
    for (i, id) in ids.iter().enumerate() {
        let mut rng = Rng::new(0xA0_0000 + i as u64);
        let name = author_id(i);
        let mut text = String::new();
        let _ = writeln!(text, "+++\nname = {}", toml_str(&name));
        let _ = writeln!(
            text,
            "title = {}",
            toml_str(&format!("Senior Fellow, {}", rng.pick(PROGRAMS)))
        );
        let _ = writeln!(text, "affiliation = {}", toml_str(rng.pick(AFFILIATIONS)));
        let _ = writeln!(
            text,
            "\n[links]\nwebsite = \"https://bench.example.org/people/{id}/\""
        );
        if rng.chance(50) {
            let _ = writeln!(text, "email = \"{id}@bench.example.org\"");
        }
        if rng.chance(30) {
            let _ = writeln!(
                text,
                "orcid = \"0000-0002-{:04}-{:04}\"",
                rng.range(0, 9999),
                rng.range(0, 9999)
            );
        }
        text.push_str("+++\n\n");
        let mut words = 0;
        paragraph(&mut rng, &mut text, 4, &mut words);
        text.push_str("\n\n");
        paragraph(&mut rng, &mut text, 3, &mut words);
        text.push('\n');
        fs::write(content.join("authors").join(format!("{id}.md")), text)?;
        files += 1;
    }

    let mut words = 0;
    let mut text = String::with_capacity(16 * 1024);
    for i in 0..n {
        text.clear();
        let (slug, w) = brief(i, &ids, &mut text);
        words += w;
        fs::write(content.join("briefs").join(format!("{slug}.md")), &text)?;
        files += 1;
    }
    Ok(Generated { files, words })
}

/// A sentence in the making: its text, and whether it carries no markup (so that it can be used
/// verbatim as a pull quote, and compares equal however brief normalises text).
struct Sentence {
    text: String,
    plain: bool,
}

/// One sentence of made-up policy prose, 8 to 30 words. Past tense needs no verb agreement.
fn sentence(rng: &mut Rng, words: &mut usize) -> Sentence {
    let mut s = String::new();
    let mut plain = true;
    if rng.chance(25) {
        s.push_str(rng.pick(CONNECTORS));
        s.push(' ');
    }
    if rng.chance(20) {
        s.push_str(rng.pick(PROPER));
    } else {
        s.push_str(if rng.chance(15) { "this " } else { "the " });
        if rng.chance(60) {
            s.push_str(rng.pick_skewed(ADJECTIVES));
            s.push(' ');
        }
        s.push_str(rng.pick_skewed(NOUNS));
        if rng.chance(40) {
            s.push_str(" of ");
            s.push_str(rng.pick(PROPER));
        }
    }
    s.push(' ');
    if rng.chance(30) {
        s.push_str(rng.pick(ADVERBS));
        s.push(' ');
    }
    s.push_str(rng.pick_skewed(VERBS));
    s.push_str(" the ");
    let emphasis = rng.chance(6);
    let object_adj = rng.pick_skewed(ADJECTIVES);
    if emphasis {
        plain = false;
        let _ = write!(s, "*{object_adj}* ");
    } else if rng.chance(50) {
        s.push_str(object_adj);
        s.push(' ');
    }
    let object = rng.pick_skewed(NOUNS);
    if rng.chance(4) {
        plain = false;
        let _ = write!(
            s,
            "[{object}](https://bench.example.org/glossary/{})",
            slugify(object)
        );
    } else {
        s.push_str(object);
    }
    for _ in 0..rng.range(0, 2) {
        let _ = write!(s, " {} {}", rng.pick(PREPOSITIONS), rng.pick(PROPER));
    }
    if rng.chance(20) {
        let _ = write!(s, " in {}", rng.range(1991, 2025));
    }
    if rng.chance(10) {
        let _ = write!(s, " by {} percent", rng.range(2, 60));
    }
    match rng.range(0, 9) {
        0 => {
            plain = false;
            let _ = write!(
                s,
                "---what officials called \"{} {}\"",
                rng.pick_skewed(ADJECTIVES),
                rng.pick_skewed(NOUNS)
            );
        }
        1 | 2 => {
            let _ = write!(s, ", {}", rng.pick(CLAUSES));
        }
        3 => {
            plain = false;
            let _ = write!(s, ", and {}'s officials said so", rng.pick(PROPER));
        }
        _ => {}
    }
    s.push('.');
    let first = s.chars().next().unwrap();
    if first.is_lowercase() {
        s.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    *words += s.split_whitespace().count();
    Sentence { text: s, plain }
}

/// Appends a paragraph of `sentences` sentences (with no pull quotes or notes) to `out`.
fn paragraph(rng: &mut Rng, out: &mut String, sentences: usize, words: &mut usize) {
    for k in 0..sentences {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(rng, words).text);
    }
}

fn title_case(words: &str) -> String {
    words
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let small = ["of", "and", "the", "in", "for", "to", "a"];
            let mut c = w.chars();
            match c.next() {
                Some(f) if i == 0 || !small.contains(&w) => f.to_uppercase().chain(c).collect(),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A block of a brief's body, kept as data until pull quotes and note references are placed.
enum Block {
    Heading(usize, String),
    Paragraph(Vec<Sentence>),
    List(Vec<String>),
    Quote(String),
}

/// Writes brief `i` (front matter and body) into `out`; returns its slug and its body's words.
fn brief(i: usize, author_ids: &[String], out: &mut String) -> (String, usize) {
    let mut rng = Rng::new(i as u64);
    let mut words = 0;
    let mut scratch = 0;

    let title = title_case(&match rng.range(0, 3) {
        0 => format!(
            "the {} {} and the {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(NOUNS)
        ),
        1 => format!(
            "what {} wants from the {}",
            rng.pick(PROPER),
            rng.pick(NOUNS)
        ),
        2 => format!(
            "why the {} {} {}",
            rng.pick(NOUNS),
            rng.pick(VERBS),
            rng.pick(PROPER)
        ),
        _ => format!(
            "a {} {} for {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PROPER)
        ),
    });
    let slug = format!("{:05}-{}", i, slugify(&title));

    // Body: 4-6 headings, ~1,500 words in paragraphs, with the odd list and block quote.
    let target_words = rng.range(1400, 1600);
    let headings = rng.range(4, 6);
    let mut blocks = Vec::new();
    let intro_share = target_words / (headings + 1);
    let mut body_words = 0;
    let push_paragraphs =
        |rng: &mut Rng, blocks: &mut Vec<Block>, budget: usize, words: &mut usize| {
            let start = *words;
            while *words - start < budget {
                if rng.chance(7) {
                    let items = (0..rng.range(3, 5))
                        .map(|_| {
                            let s = sentence(rng, words);
                            s.text.trim_end_matches('.').to_string()
                        })
                        .collect();
                    blocks.push(Block::List(items));
                } else if rng.chance(3) {
                    blocks.push(Block::Quote(sentence(rng, words).text));
                } else {
                    let para = (0..rng.range(3, 7)).map(|_| sentence(rng, words)).collect();
                    blocks.push(Block::Paragraph(para));
                }
            }
        };
    push_paragraphs(&mut rng, &mut blocks, intro_share, &mut body_words);
    for h in 0..headings {
        // The first heading is always `##`; later ones are sometimes a `###` under the previous.
        let level = if h > 0 && rng.chance(30) { 3 } else { 2 };
        let text = title_case(&format!(
            "{} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            if rng.chance(50) {
                format!("in {}", rng.pick(PROPER))
            } else {
                String::new()
            }
        ));
        blocks.push(Block::Heading(level, text.trim_end().to_string()));
        let remaining = target_words.saturating_sub(body_words);
        let share = remaining / (headings - h);
        push_paragraphs(&mut rng, &mut blocks, share.max(60), &mut body_words);
    }
    words += body_words;

    // Two pull quotes: plain sentences from two different paragraphs.
    let paragraphs: Vec<usize> = (0..blocks.len())
        .filter(|&b| matches!(&blocks[b], Block::Paragraph(ss) if ss.iter().any(|s| s.plain)))
        .collect();
    let mut pull_quotes = Vec::new();
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    for p in rng.distinct(2.min(paragraphs.len()), paragraphs.len(), false) {
        let b = paragraphs[p];
        let Block::Paragraph(ss) = &blocks[b] else {
            unreachable!()
        };
        let plain: Vec<usize> = (0..ss.len()).filter(|&k| ss[k].plain).collect();
        let k = plain[rng.range(0, plain.len() - 1)];
        pull_quotes.push(ss[k].text.clone());
        quoted.push((b, k));
    }

    // 3-5 notes; the first is referenced twice. References go at the end of other sentences.
    let notes = rng.range(3, 5);
    let labels: Vec<String> = (0..notes)
        .map(|k| {
            if rng.chance(50) {
                format!("{}", k + 1)
            } else {
                format!("src{}", k + 1)
            }
        })
        .collect();
    let mut refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    refs.push(&labels[0]);
    let all_paragraphs: Vec<usize> = (0..blocks.len())
        .filter(|&b| matches!(blocks[b], Block::Paragraph(_)))
        .collect();
    for (r, label) in refs.iter().enumerate() {
        // Spread the references through the text, in order, so note numbers rise as one reads.
        let lo = all_paragraphs.len() * r / refs.len();
        let hi = (all_paragraphs.len() * (r + 1) / refs.len()).max(lo + 1) - 1;
        let b = all_paragraphs[rng.range(lo, hi.min(all_paragraphs.len() - 1))];
        let Block::Paragraph(ss) = &mut blocks[b] else {
            unreachable!()
        };
        let candidates: Vec<usize> = (0..ss.len())
            .filter(|&k| !quoted.contains(&(b, k)))
            .collect();
        let k = candidates[rng.range(0, candidates.len() - 1)];
        let _ = write!(ss[k].text, "[^{label}]");
        ss[k].plain = false;
    }

    // Front matter.
    let year = rng.range(2010, 2025);
    let (month, day) = (rng.range(1, 12), rng.range(1, 28));
    let n_authors = match rng.range(0, 9) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let authors: Vec<String> = rng
        .distinct(n_authors, author_ids.len(), true)
        .into_iter()
        .map(|a| author_ids[a].clone())
        .collect();
    let pick_some = |rng: &mut Rng, pool: &[&str], lo: usize, hi: usize| -> Vec<String> {
        let k = rng.range(lo, hi);
        rng.distinct(k, pool.len(), true)
            .into_iter()
            .map(|t| pool[t].to_string())
            .collect()
    };
    let topics = pick_some(&mut rng, TOPICS, 1, 3);
    let regions = pick_some(&mut rng, REGIONS, 1, 3);
    let takeaways: Vec<String> = (0..rng.range(3, 5))
        .map(|_| {
            let s = sentence(&mut rng, &mut scratch).text;
            // Some takeaways bold their first words, as editors do.
            let w: Vec<&str> = s.splitn(4, ' ').collect();
            match (rng.chance(40), w.as_slice()) {
                (true, [a, b, c, rest]) => format!("**{a} {b} {c}** {rest}"),
                _ => s,
            }
        })
        .collect();

    out.push_str("+++\n");
    let _ = writeln!(out, "title = {}", toml_str(&title));
    if rng.chance(60) {
        let _ = writeln!(
            out,
            "subtitle = {}",
            toml_str(&sentence(&mut rng, &mut scratch).text)
        );
    }
    let _ = writeln!(out, "date = {year}-{month:02}-{day:02}");
    if rng.chance(15) {
        let _ = writeln!(
            out,
            "updated = {}-{:02}-{:02}",
            (year + 1).min(2025),
            rng.range(1, 12),
            rng.range(1, 28)
        );
    }
    let _ = writeln!(out, "authors = {}", toml_list(&authors));
    if rng.chance(50) {
        let summary = format!(
            "{} {}",
            sentence(&mut rng, &mut scratch).text,
            sentence(&mut rng, &mut scratch).text
        );
        let _ = writeln!(out, "summary = {}", toml_str(&summary));
    }
    let _ = writeln!(out, "topics = {}", toml_list(&topics));
    let _ = writeln!(out, "regions = {}", toml_list(&regions));
    if rng.chance(70) {
        let _ = writeln!(out, "program = {}", toml_str(rng.pick(PROGRAMS)));
    }
    if rng.chance(20) {
        let _ = writeln!(out, "series = {}", toml_str(rng.pick(SERIES)));
    }
    out.push_str("key_takeaways = [\n");
    for t in &takeaways {
        let _ = writeln!(out, "  {},", toml_str(t));
    }
    out.push_str("]\npull_quotes = [\n");
    for q in &pull_quotes {
        let _ = writeln!(out, "  {},", toml_str(q));
    }
    out.push_str("]\n+++\n\n");

    // Body.
    for block in &blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "{} {text}\n", "#".repeat(*level));
            }
            Block::Paragraph(ss) => {
                for (k, s) in ss.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    out.push_str(&s.text);
                }
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {item}");
                }
                out.push('\n');
            }
            Block::Quote(text) => {
                let _ = writeln!(out, "> {text}\n");
            }
        }
    }
    for (k, label) in labels.iter().enumerate() {
        let _ = write!(
            out,
            "[^{label}]: {} {}, *{}* ({}, {})",
            rng.pick(FIRST_NAMES),
            rng.pick(LAST_NAMES),
            title_case(&format!("the {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))),
            rng.pick(PUBLISHERS),
            rng.range(1995, 2025),
        );
        if k % 2 == 0 {
            let _ = write!(
                out,
                ", <https://bench.example.org/sources/{slug}/{}>",
                k + 1
            );
        }
        out.push_str(".\n\n");
    }
    (slug, words)
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
