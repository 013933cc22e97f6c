//! Image processing benchmark: `cargo bench --bench images -- [N]` (default 1000).
//!
//! Generates N photo-like 2400x1600 JPEGs (smooth gradients with grain, 1-2 MB each, as a
//! camera exports them), ten to a bundle brief, then runs the `brief` binary as a child
//! process, `brief --root <site> build --no-pdf`, twice: cold (no `.brief-cache/images`) and
//! warm (the cache the cold run left). Without PDFs: typesetting 100 briefs of ten photos each
//! is typst's work, not image processing (the PDF figures are in README "PDF"); `BRIEF_PDF=1`
//! builds them too. Each run is timed by wall clock, with its CPU time and peak
//! resident memory from the `rusage` that `wait4` returns. It checks that the warm run made
//! no cached file (every variant a cache hit), and ends with a Markdown table for the README.
//!
//! Encoding 1,000 distinct JPEGs would take the bench longer than the builds it measures, so
//! it encodes 20 and gives each copy a comment segment with its number: every file has its
//! own hash (no cache hit in the cold run) and the same work to decode.
//!
//! `BRIEF_BIN=path` runs another binary (e.g. `target/debug/brief`) than the one cargo built.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "support/reap.rs"]
mod reap;

const DEFAULT_PHOTOS: usize = 1000;
const DISTINCT: usize = 20;
const PER_BRIEF: usize = 10;
const SIZE: (u32, u32) = (2400, 1600);

fn main() {
    let photos = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .find_map(|a| a.replace('_', "").parse::<usize>().ok())
        .unwrap_or(DEFAULT_PHOTOS);
    let brief_bin = std::env::var_os("BRIEF_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_brief")));
    let temp = tempfile::tempdir().expect("temporary folder");
    let site = temp.path().join("site");
    eprintln!("generating {photos} photos in {}", site.display());
    let bytes = generate_site(&site, photos);
    eprintln!("{:.0} MB of JPEG; building cold", bytes as f64 / 1e6);
    let cold = run_brief(&brief_bin, &site);
    let cache = site.join(".brief-cache/images");
    let before = cache_stamps(&cache);
    fs::rename(site.join("public"), temp.path().join("public-cold")).expect("move output aside");
    eprintln!("building warm");
    let warm = run_brief(&brief_bin, &site);
    let made_again = before != cache_stamps(&cache);
    println!("| run | wall clock | CPU | peak memory |");
    println!("| --- | --- | --- | --- |");
    for (name, outcome) in [("cold", &cold), ("warm", &warm)] {
        println!(
            "| {name} | {:.1} s | {:.1} s | {} MB |",
            outcome.elapsed.as_secs_f64(),
            outcome.cpu.as_secs_f64(),
            outcome.max_rss_kib / 1024
        );
    }
    println!(
        "\n{photos} JPEGs of {}x{} ({:.0} MB), {} cached files, PDFs: {}; warm run made a cached file again: {made_again}. Binary: {}. Load average at the end: {}.",
        SIZE.0,
        SIZE.1,
        bytes as f64 / 1e6,
        before.len(),
        pdf_args().is_empty(),
        brief_bin.display(),
        fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    assert!(!made_again, "the warm build processed an image again");
}

/// Writes a site of `photos / PER_BRIEF` bundle briefs, each showing its photos; returns the
/// bytes of JPEG written.
fn generate_site(site: &Path, photos: usize) -> u64 {
    let write = |path: PathBuf, bytes: &[u8]| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    write(
        site.join("config.toml"),
        b"title = \"Photos\"\nbase_url = \"https://example.org/\"\n",
    );
    write(
        site.join("content/authors/jane-doe.md"),
        b"+++\nname = \"Jane Doe\"\n+++\n",
    );
    let originals: Vec<Vec<u8>> = (0..DISTINCT).map(|i| photo(i as u32)).collect();
    let mut total = 0;
    for b in 0..photos.div_ceil(PER_BRIEF) {
        let dir = site.join(format!("content/briefs/photos-{b}"));
        let mut body = format!(
            "+++\ntitle = \"Photos {b}\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n"
        );
        for i in (b * PER_BRIEF)..((b + 1) * PER_BRIEF).min(photos) {
            let bytes = numbered(&originals[i % DISTINCT], i);
            total += bytes.len() as u64;
            write(dir.join(format!("photo-{i}.jpg")), &bytes);
            body.push_str(&format!("![Photo {i}](photo-{i}.jpg)\n\n"));
        }
        write(dir.join("index.md"), body.as_bytes());
    }
    total
}

/// A photo-like JPEG: gradients that differ per `seed`, with pseudo-random grain.
fn photo(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let pixels = image::RgbImage::from_fn(SIZE.0, SIZE.1, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 24) as i32 - 12;
        let channel = |v: u32| ((v % 256) as i32 + grain).clamp(0, 255) as u8;
        image::Rgb([
            channel(x / 10 + seed * 7),
            channel(y / 7 + seed * 13),
            channel((x + y) / 16),
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&pixels)
        .expect("encode");
    jpeg
}

/// `jpeg` with a comment segment naming `n` after its start marker: other bytes, same pixels.
fn numbered(jpeg: &[u8], n: usize) -> Vec<u8> {
    let text = format!("photo {n}");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xFE]);
    out.extend(((text.len() + 2) as u16).to_be_bytes());
    out.extend(text.as_bytes());
    out.extend(&jpeg[2..]);
    out
}

/// Every cached file with its modification time.
fn cache_stamps(cache: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(cache)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| (e.path(), e.metadata().unwrap().modified().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

struct Outcome {
    elapsed: Duration,
    cpu: Duration,
    max_rss_kib: u64,
}

/// `--no-pdf` unless `BRIEF_PDF` is set (see the module docs).
fn pdf_args() -> &'static [&'static str] {
    if std::env::var_os("BRIEF_PDF").is_some() {
        &[]
    } else {
        &["--no-pdf"]
    }
}

/// Runs `brief --root <site> build` and measures it ([`reap::run`]).
fn run_brief(brief_bin: &Path, site: &Path) -> Outcome {
    let usage = reap::run(
        Command::new(brief_bin)
            .arg("--root")
            .arg(site)
            .arg("build")
            .args(pdf_args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit()),
    );
    assert!(
        usage.succeeded,
        "brief build failed (wait status {:#x})",
        usage.status
    );
    Outcome {
        elapsed: usage.elapsed,
        cpu: usage.cpu,
        max_rss_kib: usage.max_rss_kib,
    }
}
