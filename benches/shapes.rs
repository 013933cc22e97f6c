//! Build time on adversarial site shapes: `cargo bench --bench shapes -- [options]`.
//!
//! The default shape is one brief with 10,000 topics and 5,000 authors who wrote 5,000 briefs
//! between them (each brief by two authors, a few hundred of them translated), the shape that
//! exposes work quadratic in topics, authors, briefs or languages (a card rendered on each of
//! a brief's n term pages with n links each, every author's feed scanning every brief). It
//! generates the site in a temporary folder, runs `brief --root <site> build` once and prints
//! the wall time; there is no timing assertion. The generated text is deterministic.
//!
//! Options: `--topics N`, `--authors N`, `--briefs N`, `--bin PATH` (a `brief` binary to time
//! instead of the one cargo built, e.g. an older release), `--timeout SECS` (give up on a build
//! that runs longer; default 600), `--keep` (keep the site, its path is printed).
//! `cargo test --bench shapes -- --topics 1000` runs it on the debug binary.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Shape {
    topics: usize,
    authors: usize,
    briefs: usize,
}

fn main() {
    let mut shape = Shape {
        topics: 10_000,
        authors: 5_000,
        briefs: 5_000,
    };
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_brief"));
    let mut timeout = Duration::from_secs(600);
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || -> usize {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| usage())
        };
        match arg.as_str() {
            "--topics" => shape.topics = number(),
            "--authors" => shape.authors = number().max(2),
            "--briefs" => shape.briefs = number().max(1),
            "--timeout" => timeout = Duration::from_secs(number() as u64),
            "--bin" => bin = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--keep" => keep = true,
            // cargo bench passes `--bench`; other libtest-style flags are ignored as well.
            a if a.starts_with('-') => {}
            _ => usage(),
        }
    }
    let temp = tempfile::Builder::new()
        .prefix("brief-shapes-")
        .tempdir()
        .expect("create a temporary folder");
    let site = temp.path().join("site");
    generate(&site, &shape).expect("generate the site");
    eprintln!(
        "site: {} briefs, {} authors, one brief with {} topics, at {}",
        shape.briefs,
        shape.authors,
        shape.topics,
        site.display()
    );
    eprintln!("binary: {}", bin.display());
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .arg("--root")
        .arg(&site)
        .arg("build")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run brief");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for brief") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed().as_secs_f64();
    match status {
        Some(status) if status.success() => println!(
            "topics={} authors={} briefs={}: build {elapsed:.2} s",
            shape.topics, shape.authors, shape.briefs
        ),
        Some(status) => {
            let mut stderr = String::new();
            io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).ok();
            println!("build failed ({status}) after {elapsed:.2} s:\n{stderr}");
        }
        None => println!(
            "topics={} authors={} briefs={}: build still running after {elapsed:.0} s, stopped",
            shape.topics, shape.authors, shape.briefs
        ),
    }
    if keep {
        eprintln!("kept {}", temp.keep().display());
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo bench --bench shapes -- [--topics N] [--authors N] [--briefs N] [--bin PATH] [--timeout SECS] [--keep]"
    );
    std::process::exit(2);
}

/// Writes the site: config, `authors` author files, `briefs` briefs; brief 0 has `topics`
/// topics, the others three of a pool of 40; one brief in ten has a French or Spanish version.
fn generate(site: &Path, shape: &Shape) -> io::Result<()> {
    let authors_dir = site.join("content/authors");
    let briefs_dir = site.join("content/briefs");
    fs::create_dir_all(&authors_dir)?;
    fs::create_dir_all(&briefs_dir)?;
    fs::write(
        site.join("config.toml"),
        "title = \"Shapes\"\nbase_url = \"https://example.org/\"\n",
    )?;
    for a in 0..shape.authors {
        fs::write(
            authors_dir.join(format!("a{a:05}.md")),
            format!(
                "+++\nname = \"Author {a}\"\n[links]\nwebsite = \"https://example.org/{a}\"\n+++\n\nAuthor {a} writes briefs.\n"
            ),
        )?;
    }
    for b in 0..shape.briefs {
        let first = b % shape.authors;
        let second = (b * 7 + 3) % shape.authors;
        let second = if second == first {
            (first + 1) % shape.authors
        } else {
            second
        };
        let topics: Vec<String> = match b {
            0 => (0..shape.topics).map(|t| format!("Topic {t:05}")).collect(),
            _ => (0..3)
                .map(|k| format!("Pool {}", (b + k * 13) % 40))
                .collect(),
        };
        let mut front = String::new();
        writeln!(front, "+++").unwrap();
        writeln!(front, "title = \"Brief {b}\"").unwrap();
        writeln!(front, "date = 2024-{:02}-{:02}", b % 12 + 1, b % 28 + 1).unwrap();
        writeln!(front, "authors = [\"a{first:05}\", \"a{second:05}\"]").unwrap();
        writeln!(front, "topics = {topics:?}").unwrap();
        writeln!(front, "regions = [\"Region {}\"]", b % 9).unwrap();
        writeln!(front, "program = \"Program {}\"", b % 5).unwrap();
        // Brief 10k+1 is the French version of 10k, 10k+2 the Spanish one.
        match b % 10 {
            1 | 2 if b > 1 => {
                let lang = if b % 10 == 1 { "fr" } else { "es" };
                writeln!(front, "lang = \"{lang}\"").unwrap();
                writeln!(front, "translations = {{ en = \"b{:05}\" }}", b - b % 10).unwrap();
            }
            _ => {}
        }
        writeln!(front, "+++").unwrap();
        let body = format!(
            "{front}\nBrief {b} opens with its argument.\n\n## Background\n\nSome text about topic {}.\n",
            b % 40
        );
        fs::write(briefs_dir.join(format!("b{b:05}.md")), body)?;
    }
    Ok(())
}
