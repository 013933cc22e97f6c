//! Citation benchmark: `cargo bench --bench citations -- [N]` (default 1000 briefs).
//!
//! Generates the `build` bench's corpus of N briefs twice: as it is, and with a 2,000-entry
//! BibTeX bibliography in config.toml and 20 citations in each brief (`[@wK]`, `[@wK, p. 12]`,
//! `[see @wK; @wJ]` and narrative `@wK`, spread over its paragraphs, in Chicago notes, the
//! default and heaviest style: every citation becomes a note). Runs the release `brief build`
//! on each three times after a warm-up, the two in turn, and prints the median wall time, the
//! peak resident memory (`ru_maxrss` from `wait4`) and the ratio of the two. No timing
//! assertion; the target is under 1.5x. `--keep` keeps the generated sites (their
//! folder is printed), e.g. to profile a build by hand.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

const RUNS: usize = 3;
const ENTRIES: usize = 2000;
const CITES_PER_BRIEF: usize = 20;

fn main() {
    let n = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1000);
    let keep = std::env::args().any(|a| a == "--keep");
    let bin = Path::new(env!("CARGO_BIN_EXE_brief"));
    let temp = tempfile::Builder::new()
        .prefix("brief-citations-")
        .tempdir()
        .expect("create a temporary folder");
    let plain = temp.path().join("plain");
    let cited = temp.path().join("cited");
    corpus::generate_site(&plain, n).expect("generate the site");
    corpus::generate_site(&cited, n).expect("generate the site");
    add_citations(&cited).expect("add citations");
    eprintln!(
        "{n} briefs, {ENTRIES} works, {CITES_PER_BRIEF} citations a brief, at {}",
        temp.path().display()
    );
    let (a, b) = measure(bin, &plain, &cited);
    println!("| corpus | build (median of {RUNS}) | peak RSS |");
    println!("|---|---:|---:|");
    println!(
        "| {n} briefs, no citations | {:.2} s | {} MB |",
        a.0.as_secs_f64(),
        a.1 / 1024
    );
    println!(
        "| {n} briefs × {CITES_PER_BRIEF} citations of {ENTRIES} works | {:.2} s | {} MB |",
        b.0.as_secs_f64(),
        b.1 / 1024
    );
    println!(
        "ratio: {:.2}x time, {:.2}x memory",
        b.0.as_secs_f64() / a.0.as_secs_f64(),
        b.1 as f64 / a.1 as f64
    );
    if keep {
        eprintln!("kept {}", temp.keep().display());
    }
}

/// Median time and largest peak RSS (KiB) of `RUNS` builds of each site after one untimed
/// warm-up each (which also fills the PDF cache), the two interleaved so that a change in the
/// machine's load falls on both.
fn measure(bin: &Path, a: &Path, b: &Path) -> ((Duration, u64), (Duration, u64)) {
    let mut times = [Vec::new(), Vec::new()];
    let mut rss = [0, 0];
    for run in 0..=RUNS {
        for (i, site) in [a, b].into_iter().enumerate() {
            let _ = fs::remove_dir_all(site.join("public"));
            let (elapsed, max_rss) = run_brief(bin, site);
            if run > 0 {
                eprintln!("{}: {:.2} s", site.display(), elapsed.as_secs_f64());
                times[i].push(elapsed);
                rss[i] = rss[i].max(max_rss);
            }
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let [ta, tb] = &mut times;
    ((median(ta), rss[0]), (median(tb), rss[1]))
}

/// Runs `brief --root <site> build`; wall time and the child's peak RSS from `wait4`.
fn run_brief(bin: &Path, site: &Path) -> (Duration, u64) {
    let started = Instant::now();
    let child = Command::new(bin)
        .arg("--root")
        .arg(site)
        .arg("build")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start brief");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data that wait4 fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        assert_eq!(r, pid, "wait4 failed");
        break;
    }
    drop(child);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "brief build failed on {}",
        site.display()
    );
    (started.elapsed(), usage.ru_maxrss as u64)
}

/// Writes references.bib (books, articles and reports in turn), names it in config.toml and
/// puts 20 citations in each brief, at the ends of its paragraphs.
fn add_citations(site: &Path) -> io::Result<()> {
    let mut bib = String::new();
    for k in 0..ENTRIES {
        match k % 3 {
            0 => writeln!(
                bib,
                "@book{{w{k}, author = {{Author{k}, Ann and Other{k}, Bob}}, title = {{A Book on Policy {k}}}, publisher = {{Press {}}}, address = {{London}}, year = {{{}}}}}\n",
                k % 40,
                1950 + k % 70
            ),
            1 => writeln!(
                bib,
                "@article{{w{k}, author = {{Writer{k}, Cy}}, title = {{An Article on Trade {k}}}, journal = {{Journal {}}}, volume = {{{}}}, number = {{{}}}, pages = {{1--{}}}, year = {{{}}}, doi = {{10.1000/j.{k}}}}}\n",
                k % 25,
                k % 60,
                k % 4 + 1,
                k % 90 + 10,
                1980 + k % 44
            ),
            _ => writeln!(
                bib,
                "@report{{w{k}, author = {{{{Institute {}}}}}, title = {{Report {k} on Security}}, institution = {{Institute {}}}, year = {{{}}}, url = {{https://example.org/r/{k}}}}}\n",
                k % 30,
                k % 30,
                2000 + k % 24
            ),
        }
        .unwrap();
    }
    fs::write(site.join("references.bib"), bib)?;
    let config = site.join("config.toml");
    let text = fs::read_to_string(&config)?;
    fs::write(
        &config,
        text.replacen("\n", "\nbibliography = \"references.bib\"\n", 1),
    )?;
    let briefs = site.join("content/briefs");
    let mut paths: Vec<_> = fs::read_dir(&briefs)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    for (i, path) in paths.iter().enumerate() {
        let text = fs::read_to_string(path)?;
        fs::write(path, cite(&text, i))?;
    }
    Ok(())
}

/// `text` with 20 citations of works picked by the brief's number `i`, in turn at the end of
/// each paragraph (the rest after the last one).
fn cite(text: &str, i: usize) -> String {
    let body_at = text[3..].find("+++").map_or(0, |at| at + 6);
    let (front, body) = text.split_at(body_at);
    let work = |j: usize| (i * 37 + j * 101) % ENTRIES;
    let citation = |j: usize| match j % 4 {
        0 => format!(" [@w{}]", work(j)),
        1 => format!(" [@w{}, p. {}]", work(j), j + 3),
        2 => format!(" [see @w{}; @w{}]", work(j), work(j + 20)),
        _ => format!(" as @w{} shows", work(j)),
    };
    let mut out = String::from(front);
    let mut placed = 0;
    let lines: Vec<&str> = body.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        let paragraph = !line.is_empty()
            && !line.starts_with(['#', '>', '-', '*', '|', '!', '['])
            && lines.get(n + 1).is_none_or(|next| next.is_empty());
        if paragraph && placed < CITES_PER_BRIEF {
            out.push_str(&citation(placed));
            placed += 1;
        }
        out.push('\n');
    }
    while placed < CITES_PER_BRIEF {
        out.push_str(&citation(placed));
        placed += 1;
    }
    out.push('\n');
    out
}
