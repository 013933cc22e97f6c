//! Citation benchmark: `cargo bench --bench citations -- [N]` (default 1000 briefs).
//!
//! Generates the `build` bench's corpus of N briefs three times: as it is; with a 2,000-entry
//! BibTeX bibliography in config.toml and 20 citations in each brief (`[@wK]`, `[@wK, p. 12]`,
//! `[see @wK; @wJ]` and narrative `@wK`, spread over its paragraphs, in Chicago notes, the
//! default and heaviest style: every citation becomes a note); and with the notes and
//! references list those citations become written by hand, as footnotes and a Markdown list
//! (no bibliography: the cost of the same content without the citation engine, nor the
//! Scholar tags and JSON-LD it adds). Runs the release `brief build` on each three times after
//! a warm-up, all in turn, and prints the median wall time, the median CPU time (user +
//! system, from `wait4`'s rusage: less moved by other work on the machine than the wall
//! time), the peak resident memory (`ru_maxrss`) and the ratios of the corpora. No timing
//! assertion; the target is under 1.5x, cited over no citations. It does this twice:
//! - warm: a default `brief build` of a site built before (the warm-up's `public/` kept, briefs
//!   from the build cache): what a writer's next build costs;
//! - cold: `brief build --no-cache` into an empty `public/`, as a site's first build: every
//!   brief loaded and its citations formatted (the PDFs still come from the PDF cache, so that
//!   typesetting does not drown the citations).
//!
//! `BRIEF_BASELINE=/path/to/an/older/brief` builds both corpora with that binary too, in the
//! same rounds (each round: plain and cited with this build, then with the baseline; each
//! binary on copies of its own, since a build keeps caches for its binary only), so that
//! a change is measured before and after under the same load. `--keep` keeps the generated
//! sites (their folder is printed), e.g. to profile a build by hand.
//!
//! `--no-pdf` builds without PDFs (`brief build --no-pdf`): the warm-up then typesets none
//! (1,000 PDFs a corpus copy take minutes), and the figures are the pages alone.
//! `--dir=DIR` generates the sites in DIR instead of the system's temporary folder: on Linux
//! `--dir=/dev/shm` keeps the disk out of the figures (on ext4, a cold round's deleting and
//! re-creating `public/` cost more system time every round).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "support/reap.rs"]
mod reap;

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
    let no_pdf = std::env::args().any(|a| a == "--no-pdf");
    let dir = std::env::args().find_map(|a| a.strip_prefix("--dir=").map(String::from));
    let bin = Path::new(env!("CARGO_BIN_EXE_brief"));
    let temp = tempfile::Builder::new()
        .prefix("brief-citations-")
        .tempdir_in(dir.unwrap_or_else(|| std::env::temp_dir().display().to_string()))
        .expect("create a temporary folder");
    let mut binaries = vec![("this build".to_string(), bin.to_path_buf())];
    if let Some(baseline) = std::env::var_os("BRIEF_BASELINE") {
        binaries.push(("baseline".to_string(), baseline.into()));
    }
    // Each binary builds copies of its own: the build and PDF caches a build keeps are its
    // binary's, and another binary's build would replace them every round.
    let mut sites = Vec::new();
    for (i, _) in binaries.iter().enumerate() {
        let plain = temp.path().join(format!("plain-{i}"));
        let hand = temp.path().join(format!("hand-{i}"));
        let cited = temp.path().join(format!("cited-{i}"));
        corpus::generate_site(&plain, n).expect("generate the site");
        corpus::generate_site(&hand, n).expect("generate the site");
        corpus::generate_site(&cited, n).expect("generate the site");
        rewrite_briefs(&hand, write_out).expect("write the notes out");
        add_citations(&cited).expect("add citations");
        sites.push([plain, hand, cited]);
    }
    eprintln!(
        "{n} briefs, {ENTRIES} works, {CITES_PER_BRIEF} citations a brief, at {}",
        temp.path().display()
    );
    let runs: Vec<(&Path, &Path)> = binaries
        .iter()
        .zip(&sites)
        .flat_map(|((_, bin), corpora)| corpora.iter().map(|site| (bin.as_path(), site.as_path())))
        .collect();
    for cold in [false, true] {
        let measured = measure(&runs, cold, no_pdf);
        let how = match cold {
            true => "cold: `brief build --no-cache`",
            false => "warm: `brief build`, after a warm-up",
        };
        let pdfs = if no_pdf { " (and `--no-pdf`)" } else { "" };
        println!("\n{how}{pdfs}\n");
        println!("| binary | corpus | build (median of {RUNS}) | CPU (median) | peak RSS |");
        println!("|---|---|---:|---:|---:|");
        for ((name, _), corpora) in binaries.iter().zip(measured.chunks(3)) {
            let [a, h, b] = corpora else {
                unreachable!("three corpora a binary")
            };
            let row = |corpus: &str, m: &Measured| {
                println!(
                    "| {name} | {corpus} | {:.2} s | {:.2} s | {} MB |",
                    m.wall.as_secs_f64(),
                    m.cpu.as_secs_f64(),
                    m.max_rss / 1024
                )
            };
            let ratio = |what: &str, b: &Measured, a: &Measured| {
                println!(
                    "| {name} | {what} | {:.2}x | {:.2}x | {:.2}x |",
                    b.wall.as_secs_f64() / a.wall.as_secs_f64(),
                    b.cpu.as_secs_f64() / a.cpu.as_secs_f64(),
                    b.max_rss as f64 / a.max_rss as f64
                )
            };
            row(&format!("{n} briefs, no citations"), a);
            row("the same notes and references written by hand", h);
            row(
                &format!("{n} briefs × {CITES_PER_BRIEF} citations of {ENTRIES} works"),
                b,
            );
            ratio("ratio, cited / no citations", b, a);
            ratio("ratio, by hand / no citations", h, a);
            ratio("ratio, cited / by hand", b, h);
        }
    }
    if keep {
        eprintln!("kept {}", temp.keep().display());
    }
}

/// What the runs of one binary on one site measured.
struct Measured {
    /// Median wall time.
    wall: Duration,
    /// Median CPU time, user and system.
    cpu: Duration,
    /// Largest peak RSS, KiB.
    max_rss: u64,
}

/// Each of `runs` (a binary and a site) `RUNS` times after one untimed warm-up each (which
/// also fills the PDF cache), all of them in turn in each round, so that a change in the
/// machine's load falls on every one. `cold`: each build with `--no-cache`, into an empty
/// `public/`; warm builds keep the last build's `public/`, as a writer's builds do. `no_pdf`:
/// each build with `--no-pdf`.
fn measure(runs: &[(&Path, &Path)], cold: bool, no_pdf: bool) -> Vec<Measured> {
    let mut walls = vec![Vec::new(); runs.len()];
    let mut cpus = vec![Vec::new(); runs.len()];
    let mut rss = vec![0; runs.len()];
    for round in 0..=RUNS {
        for (i, (bin, site)) in runs.iter().enumerate() {
            if cold {
                let _ = fs::remove_dir_all(site.join("public"));
            }
            let (wall, cpu, max_rss) = run_brief(bin, site, cold, no_pdf);
            if round > 0 {
                eprintln!(
                    "{} on {}: {:.2} s, {:.2} s CPU",
                    bin.display(),
                    site.display(),
                    wall.as_secs_f64(),
                    cpu.as_secs_f64()
                );
                walls[i].push(wall);
                cpus[i].push(cpu);
                rss[i] = rss[i].max(max_rss);
            }
        }
    }
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    walls
        .into_iter()
        .zip(cpus)
        .zip(rss)
        .map(|((wall, cpu), max_rss)| Measured {
            wall: median(wall),
            cpu: median(cpu),
            max_rss,
        })
        .collect()
}

/// Runs `brief --root <site> build` (with `--no-cache` if `cold`, `--no-pdf` if `no_pdf`);
/// wall time, the child's CPU time (user + system) and its peak RSS ([`reap::run`]).
fn run_brief(bin: &Path, site: &Path, cold: bool, no_pdf: bool) -> (Duration, Duration, u64) {
    let usage = reap::run(
        Command::new(bin)
            .arg("--root")
            .arg(site)
            .arg("build")
            .args(cold.then_some("--no-cache"))
            .args(no_pdf.then_some("--no-pdf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    assert!(
        usage.succeeded,
        "brief build failed on {} (wait status {:#x})",
        site.display(),
        usage.status
    );
    (usage.elapsed, usage.cpu, usage.max_rss_kib)
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
    rewrite_briefs(site, cite)
}

/// Each brief of `site` as `rewrite` makes it of its text and its number (in name order).
fn rewrite_briefs(site: &Path, rewrite: fn(&str, usize) -> String) -> io::Result<()> {
    let briefs = site.join("content/briefs");
    let mut paths: Vec<_> = fs::read_dir(&briefs)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    for (i, path) in paths.iter().enumerate() {
        let text = fs::read_to_string(path)?;
        fs::write(path, rewrite(&text, i))?;
    }
    Ok(())
}

/// `text` with 20 citations of works picked by the brief's number `i`, in turn at the end of
/// each paragraph (the rest after the last one).
fn cite(text: &str, i: usize) -> String {
    let work = |j: usize| (i * 37 + j * 101) % ENTRIES;
    let citation = |j: usize| match j % 4 {
        0 => format!(" [@w{}]", work(j)),
        1 => format!(" [@w{}, p. {}]", work(j), j + 3),
        2 => format!(" [see @w{}; @w{}]", work(j), work(j + 20)),
        _ => format!(" as @w{} shows", work(j)),
    };
    let mut out = placed(text, citation);
    out.push('\n');
    out
}

/// `text` with the notes and references list that [`cite`]'s citations become in Chicago
/// notes, written by hand: footnotes `[^cN]` and a "References" list, no bibliography.
/// What the same content costs a build without the citation engine.
fn write_out(text: &str, i: usize) -> String {
    let work = |j: usize| (i * 37 + j * 101) % ENTRIES;
    let mut notes: Vec<String> = Vec::new();
    let mut cited: Vec<usize> = Vec::new();
    let citation = |j: usize| {
        let (text, works, inline) = match j % 4 {
            0 => (
                format!("{}.", work_note(work(j))),
                vec![work(j)],
                String::new(),
            ),
            1 => (
                format!("{}, {}.", work_note(work(j)), j + 3),
                vec![work(j)],
                String::new(),
            ),
            2 => (
                format!("See {}; {}.", work_note(work(j)), work_note(work(j + 20))),
                vec![work(j), work(j + 20)],
                String::new(),
            ),
            _ => (
                format!("{}.", work_note(work(j))),
                vec![work(j)],
                format!(" as {} shows", work_author(work(j))),
            ),
        };
        notes.push(text);
        cited.extend(works);
        format!("{inline}[^c{}]", notes.len())
    };
    let mut out = placed(text, citation);
    let mut references: Vec<String> = cited.into_iter().map(work_reference).collect();
    references.sort();
    references.dedup();
    out.push_str("\n## References\n\n");
    for reference in references {
        writeln!(out, "- {reference}").unwrap();
    }
    out.push('\n');
    for (n, text) in notes.iter().enumerate() {
        writeln!(out, "[^c{}]: {text}", n + 1).unwrap();
    }
    out
}

/// `text` with `citation(j)` for j = 0..20 at the end of each paragraph in turn, the rest
/// after the last one.
fn placed(text: &str, mut citation: impl FnMut(usize) -> String) -> String {
    let body_at = text[3..].find("+++").map_or(0, |at| at + 6);
    let (front, body) = text.split_at(body_at);
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
    out
}

/// Work `k`'s first note in Chicago notes as brief formats it, without the final period.
fn work_note(k: usize) -> String {
    match k % 3 {
        0 => format!(
            "Ann Author{k} and Bob Other{k}, *A Book on Policy {k}* (Press {}, {})",
            k % 40,
            1950 + k % 70
        ),
        1 => format!(
            "Cy Writer{k}, \u{201C}An Article on Trade {k},\u{201D} *Journal {}* {}, no. {} ({}): 1\u{2013}{}, <https://doi.org/10.1000/j.{k}>",
            k % 25,
            k % 60,
            k % 4 + 1,
            1980 + k % 44,
            k % 90 + 10
        ),
        _ => format!(
            "Institute {}, *Report {k} on Security* (Institute {}, {}), <https://example.org/r/{k}>",
            k % 30,
            k % 30,
            2000 + k % 24
        ),
    }
}

/// Work `k`'s references-list entry in Chicago notes.
fn work_reference(k: usize) -> String {
    match k % 3 {
        0 => format!(
            "Author{k}, Ann, and Bob Other{k}. *A Book on Policy {k}*. Press {}, {}.",
            k % 40,
            1950 + k % 70
        ),
        1 => format!(
            "Writer{k}, Cy. \u{201C}An Article on Trade {k}.\u{201D} *Journal {}* {}, no. {} ({}): 1\u{2013}{}. <https://doi.org/10.1000/j.{k}>.",
            k % 25,
            k % 60,
            k % 4 + 1,
            1980 + k % 44,
            k % 90 + 10
        ),
        _ => format!(
            "Institute {}. *Report {k} on Security*. Institute {}, {}. <https://example.org/r/{k}>.",
            k % 30,
            k % 30,
            2000 + k % 24
        ),
    }
}

/// Work `k`'s author as a narrative citation names them.
fn work_author(k: usize) -> String {
    match k % 3 {
        0 => format!("Ann Author{k} and Bob Other{k}"),
        1 => format!("Cy Writer{k}"),
        _ => format!("Institute {}", k % 30),
    }
}
