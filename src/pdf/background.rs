//! `serve`'s PDF worker: one thread at low priority that typesets the PDFs missing from the
//! cache after the server is up, so serve starts as fast as without PDFs and an edit's pages
//! never wait for Typst. Each batch it finishes goes back to serve's rebuild loop, which
//! rewrites only the pages of those briefs, from the site as loaded, now linking their PDFs
//! from the cache ([`crate::serve::rebuild::State::link_pdfs`]).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Errors};
use crate::i18n::Catalog;
use crate::site::Site;

use super::{Mode, typeset_site};

/// Briefs typeset between two checks for Ctrl-C and for newer requests.
const CHUNK: usize = 2;
/// A batch is reported (its pages rebuilt) once this much time went into it, or when nothing
/// is left: a large site's pages get their links as they go, without a rebuild per brief.
/// The wait doubles after each report up to [`REPORT_AT_MOST`]: each report is a live reload
/// of the open pages of its briefs, which should not come every few seconds.
const REPORT_FIRST: Duration = Duration::from_secs(5);
const REPORT_AT_MOST: Duration = Duration::from_secs(80);
/// A batch is also reported once it holds this many chunks' PDFs: each chunk's wait in a
/// pending folder of their own until the batch is kept, and a site of thousands of briefs
/// should not leave thousands of folders open.
const CHUNKS_AT_MOST: usize = 32;

/// PDFs to make: the site as serve has it now, and the slugs of the briefs missing theirs.
pub struct Job {
    pub site: Site,
    pub i18n: Catalog,
    pub slugs: BTreeSet<String>,
    /// Increases with every request, so a batch says which requests it covers.
    pub seq: u64,
}

/// What the worker did since its last report.
#[derive(Default)]
pub struct Batch {
    /// The PDFs made, to be kept in the cache ([`Batch::keep`]) just before the pages that
    /// link them are rebuilt: until then serve's rebuilds do not see them, so they never link
    /// a PDF the served folder does not have yet.
    pub made: Vec<super::Typeset>,
    /// The briefs typeset (or found in the cache), by slug, with their source files.
    pub done: Vec<(String, PathBuf)>,
    /// The briefs that got no PDF (their text, or the template, failed): not asked again
    /// until the site changes.
    pub failed: BTreeSet<String>,
    pub typeset: usize,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    /// The last request this batch covers, and whether any of it is still left.
    pub seq: u64,
    pub left: usize,
}

impl Batch {
    /// Whether this batch has `slug` done (or failed).
    fn holds(&self, slug: &str) -> bool {
        self.failed.contains(slug) || self.done.iter().any(|(s, _)| s == slug)
    }

    /// Moves the PDFs made into the cache.
    pub fn keep(&mut self) {
        for typeset in self.made.drain(..) {
            typeset.keep();
        }
    }
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("done", &self.done)
            .field("failed", &self.failed)
            .field("seq", &self.seq)
            .field("left", &self.left)
            .finish_non_exhaustive()
    }
}

pub struct Worker {
    jobs: Option<Sender<Job>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker; each batch is handed to `report`.
    pub fn start(report: impl Fn(Batch) + Send + 'static) -> Worker {
        let (jobs, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("brief-pdf".into())
            .spawn(move || run(&rx, &flag, &report))
            .ok();
        Worker {
            jobs: Some(jobs),
            stop,
            thread,
        }
    }

    pub fn request(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Stops after the briefs in progress; a batch not kept ([`Batch::keep`]) removes its
    /// pending folder when dropped.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(rx: &Receiver<Job>, stop: &AtomicBool, report: &dyn Fn(Batch)) {
    lower_priority();
    // One thread, so the preview's rebuilds and requests keep the other cores.
    let Ok(pool) = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .start_handler(|_| lower_priority())
        .build()
    else {
        return;
    };
    while let Ok(first) = rx.recv() {
        let mut job = first;
        let mut left: BTreeSet<String> = std::mem::take(&mut job.slugs);
        let mut batch = Batch::default();
        let mut since = Instant::now();
        let mut every = REPORT_FIRST;
        loop {
            // Newer requests bring the site as it is now; what this batch made is not in the
            // cache yet, so serve asks for it again: it is not typeset twice.
            while let Ok(mut newer) = rx.try_recv() {
                newer.slugs.retain(|slug| !batch.holds(slug));
                left.append(&mut newer.slugs);
                job = newer;
            }
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let chunk: BTreeSet<String> = left.iter().take(CHUNK).cloned().collect();
            for slug in &chunk {
                left.remove(slug);
            }
            if !chunk.is_empty() {
                pool.install(|| one_chunk(&mut job.site, &job.i18n, &chunk, &mut batch));
            }
            if left.is_empty() {
                // A request that came meanwhile goes in this batch's count.
                if let Ok(mut newer) = rx.try_recv() {
                    newer.slugs.retain(|slug| !batch.holds(slug));
                    left = std::mem::take(&mut newer.slugs);
                    job = newer;
                    continue;
                }
            }
            if left.is_empty() || since.elapsed() >= every || batch.made.len() >= CHUNKS_AT_MOST {
                batch.seq = job.seq;
                batch.left = left.len();
                report(std::mem::take(&mut batch));
                since = Instant::now();
                every = (every * 2).min(REPORT_AT_MOST);
            }
            if left.is_empty() {
                break;
            }
        }
    }
}

/// Typesets `chunk` into the cache, noting in `batch` what came of each brief.
///
/// The worker's copy of the site was loaded before the latest saves, and a brief's body is
/// read again from its file: a brief whose file has gone since (renamed, deleted, or half-way
/// through an editor's save by rename) is neither made nor failed, and its errors are not
/// shown. The rebuild of that change asks for its PDF again, or drops the brief.
fn one_chunk(site: &mut Site, i18n: &Catalog, chunk: &BTreeSet<String>, batch: &mut Batch) {
    let mut chunk = chunk.clone();
    let gone = gone_from_disk(site, &chunk);
    chunk.retain(|slug| !gone.contains(slug));
    if chunk.is_empty() {
        return;
    }
    let result: Result<_, Errors> = typeset_site(site, i18n, Some(&chunk), Mode::Typeset);
    let gone = gone_from_disk(site, &chunk);
    let made: BTreeSet<String> = site
        .briefs
        .iter()
        .filter(|b| chunk.contains(&b.slug))
        .filter(|b| b.publication.pdf.as_ref().is_some_and(|p| p.made.is_some()))
        .map(|b| b.slug.clone())
        .collect();
    match result {
        Ok(mut typeset) => {
            batch.typeset += typeset.stats.typeset;
            batch.warnings.append(&mut typeset.warnings);
            batch.made.push(typeset);
        }
        Err(mut errors) => {
            let sources: Vec<PathBuf> = site
                .briefs
                .iter()
                .filter(|b| gone.contains(&b.slug))
                .map(|b| site.root.join(&b.source))
                .collect();
            errors.0.retain(|e| !is_about_any(e, &site.root, &sources));
            batch.errors.append(&mut errors.0);
        }
    }
    for brief in site.briefs.iter().filter(|b| chunk.contains(&b.slug)) {
        if made.contains(&brief.slug) {
            batch.done.push((brief.slug.clone(), brief.source.clone()));
        } else if !gone.contains(&brief.slug) {
            batch.failed.insert(brief.slug.clone());
        }
    }
}

/// The briefs of `chunk` whose source file is no longer where the site was loaded from.
fn gone_from_disk(site: &Site, chunk: &BTreeSet<String>) -> BTreeSet<String> {
    site.briefs
        .iter()
        .filter(|b| chunk.contains(&b.slug) && !site.root.join(&b.source).is_file())
        .map(|b| b.slug.clone())
        .collect()
}

/// Whether `diagnostic` is located in one of `sources` (its path is absolute or relative to
/// the site's root).
fn is_about_any(diagnostic: &Diagnostic, root: &std::path::Path, sources: &[PathBuf]) -> bool {
    diagnostic
        .location
        .as_ref()
        .is_some_and(|l| sources.contains(&root.join(&l.path)))
}

/// Typesetting yields to the preview: the thread runs at the lowest priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only changes the calling thread's nice value (a thread id of 0 is
    // the caller on Linux).
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}
