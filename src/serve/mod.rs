//! `brief serve`: build the site, serve it over HTTP, and rebuild it when a file changes, with
//! the open page reloading itself. Serve is build plus a loop: the first build and every full
//! rebuild go through [`crate::build::load`] and [`crate::build::write_site`], and an edit to
//! one brief or author re-renders only the pages that show it, with the same [`crate::render`]
//! jobs.
//!
//! - [`classify`]: changed path -> what to rebuild (pure, table-tested).
//! - [`watch`]: notify's debouncer over the source folders.
//! - [`rebuild`]: full and incremental rebuilds into the served folder, atomically per file.
//! - [`kept`]: the served folder kept between starts, and [`record`], the build cache's record
//!   of it, so that a second start on an unchanged site writes nothing.
//! - [`http`]: the server, the injected live-reload script, the event stream.

pub mod classify;
pub mod http;
pub mod kept;
pub mod rebuild;
pub mod record;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Errors, Kind};
use crate::output::cleanup::{LockedDir, sweep};
use crate::pdf::background::{Batch, Job, Worker};
use classify::Plan;
use http::Shared;
use kept::{Kept, Unavailable};
use rebuild::State;
use watch::{Msg, Watcher};

/// What `brief serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Serve from this folder instead of the one kept in the site's `.brief-cache/serve/`
    /// (or, when another server uses that, a temporary one, removed on exit).
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Open the site in the default browser once it is built.
    pub open: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            output: None,
            drafts: true,
            open: false,
        }
    }
}

/// Serves until Ctrl-C (or SIGTERM); returns once everything is stopped and cleaned up.
pub fn serve(options: &ServeOptions) -> Result<(), Errors> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::new(Kind::Io, format!("could not start the server: {e}")))?;
    runtime.block_on(run(options))
}

/// A temporary output folder, removed when dropped. It holds a lock while this server runs, so
/// that the next `brief serve` removes the folder of one that was killed (`kill -9`).
struct TempOutput(Option<LockedDir>);

/// Name of serve's temporary folders in the system's temporary folder, followed by the pid.
const TEMP_PREFIX: &str = "brief-serve-";

impl Drop for TempOutput {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let path = dir.path().to_path_buf();
            drop(dir);
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

async fn run(options: &ServeOptions) -> Result<(), Errors> {
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| Diagnostic::io("open the site folder", &options.root, &e))?;
    // Not a site at all: say so now rather than serving an error page.
    crate::config::Config::load(&root)?;
    // The same rules as `brief build`, before anything is served: a refused folder (the site
    // itself, `/`, a folder of someone else's files) stops serve rather than being served.
    if let Some(dir) = &options.output {
        crate::output::check_output_folder(&root, dir)?;
    }

    let (output, temp, kept) = match &options.output {
        Some(dir) => (absolute(dir), TempOutput(None), None),
        None => match Kept::claim(&root, options.drafts) {
            Ok(kept) => (kept.site().to_path_buf(), TempOutput(None), Some(kept)),
            Err(why) => {
                match why {
                    Unavailable::InUse => println!(
                        "Another `brief serve` of this site is running: this one builds into a temporary folder."
                    ),
                    Unavailable::Failed(e) => eprintln!(
                        "warning: cannot keep the served site in {}/ ({e}); building into a temporary folder",
                        kept::DIR
                    ),
                }
                let (dir, temp) = temp_output()?;
                (dir, temp, None)
            }
        },
    };

    let address = SocketAddr::new(options.bind, options.port);
    let last_port = kept.as_ref().and_then(Kept::last_port);
    let listener = bind(address, last_port.filter(|_| options.port == 0)).await?;
    let local = listener.local_addr().map_err(|e| bind_error(address, &e))?;
    if let Some(kept) = &kept {
        kept.remember_port(local.port());
    }
    let host = match local.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let origin = format!("http://{host}:{}", local.port());

    let output_in_root = output.strip_prefix(&root).ok().map(Path::to_path_buf);

    let (tx, rx) = mpsc::channel();
    let watcher = Watcher::start(&root, tx.clone())?;
    let mut state = State::new(root.clone(), output.clone(), options.drafts, origin.clone());
    if kept.is_some() {
        state = state.kept();
    }
    let shared = Shared::new(output.clone(), state.base_path());
    rebuild_and_report(&mut state, &Plan::everything(), &shared);
    let url = format!("{origin}{}", shared.base_path());
    // Listened for from here on, before the lines that say "Press Ctrl-C" (a Ctrl-C during the
    // first build still ends serve at once; the next serve sweeps its temporary folder).
    let shutdown = shutdown_signal();
    println!("Serving {} at {url}", root.display());
    if !local.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines on the network can read the preview{}",
            local.ip(),
            if options.drafts {
                ", drafts included (--no-drafts hides them)"
            } else {
                ""
            }
        );
    }
    println!(
        "Output in {}{}; drafts {}. Press Ctrl-C to stop.",
        output.display(),
        match (&temp.0, &kept) {
            (Some(_), _) => " (temporary)",
            (None, Some(_)) => " (kept for the next start)",
            (None, None) => "",
        },
        if options.drafts { "shown" } else { "hidden" },
    );

    let loop_shared = Arc::clone(&shared);
    let tx_loop = tx.clone();
    let rebuilder = std::thread::Builder::new()
        .name("brief-rebuild".into())
        .spawn(move || rebuild_loop(state, watcher, (tx_loop, rx), &loop_shared, output_in_root))
        .map_err(|e| Diagnostic::new(Kind::Io, format!("could not start the rebuild loop: {e}")))?;

    if options.open {
        open_browser(&url);
    }
    let app = http::router(shared);
    tokio::select! {
        result = axum::serve(listener, app) => {
            if let Err(e) = result {
                eprintln!("error: the server stopped: {e}");
            }
        }
        () = shutdown => {}
    }
    // Let a rebuild in progress finish, then remove the temporary output.
    let _ = tx.send(Msg::Stop);
    let _ = rebuilder.join();
    drop(temp);
    drop(kept);
    println!("Stopped.");
    Ok(())
}

/// Listens on `address`; with `--port 0`, on `preferred` first when it is free (the port the
/// kept folder was last served on, see [`Kept::last_port`]).
async fn bind(
    address: SocketAddr,
    preferred: Option<u16>,
) -> Result<tokio::net::TcpListener, Diagnostic> {
    if let Some(port) = preferred
        && let Ok(listener) =
            tokio::net::TcpListener::bind(SocketAddr::new(address.ip(), port)).await
    {
        return Ok(listener);
    }
    tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| bind_error(address, &e))
}

/// A new temporary output folder, and the folder to serve in it (those of servers that were
/// killed are removed first).
fn temp_output() -> Result<(PathBuf, TempOutput), Diagnostic> {
    let temp_root = std::env::temp_dir();
    sweep(&temp_root, TEMP_PREFIX);
    let dir = LockedDir::create(&temp_root, TEMP_PREFIX)
        .map_err(|e| Diagnostic::io("create a temporary folder", &temp_root, &e))?;
    Ok((dir.path().join("site"), TempOutput(Some(dir))))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

fn bind_error(address: SocketAddr, error: &std::io::Error) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Kind::Usage,
        format!("could not listen on {address}: {error}"),
    );
    match error.kind() {
        std::io::ErrorKind::AddrInUse => diagnostic.help(format!(
            "port {} is in use (another `brief serve`?); choose another with --port, or --port 0 for any free port",
            address.port()
        )),
        _ => diagnostic.help("choose another address with --bind or another port with --port"),
    }
}

/// Waits for Ctrl-C, or SIGTERM on Unix. The handlers are installed when this is called, not
/// when the future is first polled, so a Ctrl-C pressed as soon as serve says "Press Ctrl-C"
/// stops it cleanly instead of killing it with its temporary output left behind.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                (Ok(mut interrupt), Err(_)) => {
                    interrupt.recv().await;
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// How long the edits must pause before what an incremental rebuild leaves for later (the
/// search index, feeds, sitemap: about a second on a site of 10,000 briefs) is written.
const SETTLE: Duration = Duration::from_millis(250);

/// Waits for changes and rebuilds; changes that arrive during a rebuild make the next one. The
/// PDFs the rebuilds found missing are typeset by a background worker, whose batches come back
/// here to rebuild the pages that link them.
fn rebuild_loop(
    mut state: State,
    mut watcher: Watcher,
    (tx, rx): (mpsc::Sender<Msg>, mpsc::Receiver<Msg>),
    shared: &Shared,
    output_in_root: Option<PathBuf>,
) {
    let worker = Worker::start(move |batch| {
        let _ = tx.send(Msg::Pdfs(batch));
    });
    let mut requested = 0;
    request_pdfs(&mut state, &worker, &mut requested);
    loop {
        let first = if state.has_pending() {
            match rx.recv_timeout(SETTLE) {
                Ok(msg) => msg,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    finish_and_report(&mut state, shared);
                    request_pdfs(&mut state, &worker, &mut requested);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(msg) => msg,
                Err(_) => break,
            }
        };
        let mut paths = Vec::new();
        let mut rescan = false;
        let mut stop = false;
        let mut batches = Vec::new();
        let mut take = |msg: Msg| match msg {
            Msg::Changed {
                paths: more,
                rescan: r,
            } => {
                paths.extend(more);
                rescan |= r;
            }
            Msg::Pdfs(batch) => batches.push(batch),
            Msg::Stop => stop = true,
        };
        take(first);
        while let Ok(msg) = rx.try_recv() {
            take(msg);
        }
        if stop {
            // An --output folder is left complete.
            if state.has_pending() {
                finish_and_report(&mut state, shared);
            }
            for mut batch in batches {
                batch.keep();
            }
            break;
        }
        watcher.refresh_for(&paths);
        let mut plan = Plan::from_paths(
            paths.iter().map(PathBuf::as_path),
            output_in_root.as_deref(),
        );
        plan.full |= rescan;
        if !plan.is_empty() {
            // The site changed: a PDF that failed may be made now.
            state.pdfs_failed.clear();
            rebuild_and_report(&mut state, &plan, shared);
        }
        if !batches.is_empty() {
            pdfs_made(&mut state, batches, requested, shared);
        }
        request_pdfs(&mut state, &worker, &mut requested);
    }
    worker.stop();
    // PDFs made but not yet linked still serve the next start.
    while let Ok(msg) = rx.try_recv() {
        if let Msg::Pdfs(mut batch) = msg {
            batch.keep();
        }
    }
    if let Some(problem) = state.close() {
        eprintln!("{problem}");
    }
}

/// Hands the PDFs the last rebuild left missing to the worker.
fn request_pdfs(state: &mut State, worker: &Worker, requested: &mut u64) {
    if let Some((site, i18n, slugs)) = state.pdf_work() {
        *requested += 1;
        let seq = *requested;
        worker.request(Job {
            site,
            i18n,
            slugs,
            seq,
        });
    }
}

/// Links the PDFs the worker made: only the pages of their briefs are written, from the site
/// as loaded (an edit made meanwhile is applied by its own rebuild, and the PDF of a brief
/// edited since the worker's copy is asked for again). Prints one line: `PDFs: N typeset,
/// none waiting` once every request is done.
fn pdfs_made(state: &mut State, batches: Vec<Batch>, requested: u64, shared: &Shared) {
    let started = Instant::now();
    let mut slugs = BTreeSet::new();
    let (mut typeset, mut errors) = (0, Vec::new());
    let mut waiting = 0;
    let mut covered = 0;
    for mut batch in batches {
        batch.keep();
        slugs.extend(batch.done.into_iter().map(|(slug, _)| slug));
        state.pdfs_failed.extend(batch.failed);
        typeset += batch.typeset;
        for warning in &batch.warnings {
            eprintln!("{warning}");
        }
        errors.extend(batch.errors);
        (waiting, covered) = (batch.left, batch.seq);
    }
    if !errors.is_empty() {
        for diagnostic in &errors {
            eprintln!("{diagnostic}");
        }
        shared.failed(&Errors(errors), state.served());
    }
    let waiting = if waiting == 0 && covered == requested {
        "none waiting".to_string()
    } else {
        format!("{} waiting", waiting.max(1))
    };
    let line = |linked: &str| {
        println!(
            "{} PDFs: {typeset} typeset, {waiting}{linked} in {} ms",
            clock(),
            started.elapsed().as_millis()
        );
    };
    // After a failed rebuild the pages wait for the fix, whose full rebuild links the PDFs.
    if slugs.is_empty() || !state.is_loaded() {
        line("");
        return;
    }
    match state.link_pdfs(&slugs) {
        Ok(Some(outcome)) => {
            shared.published(&outcome.changed, &outcome.base_path);
            line(&format!(
                "; {} rendered, {} changed",
                count(outcome.pages, "page"),
                count(outcome.changed.len(), "file")
            ));
        }
        // Something the last full build did not write is in the served folder's way.
        Ok(None) => {
            line("");
            let plan = Plan {
                changed: vec![PathBuf::from("PDFs")],
                ..Plan::everything()
            };
            rebuild_and_report(state, &plan, shared);
        }
        // The site stays loaded and served as it was; the next rebuild of these pages links
        // their PDFs.
        Err(errors) => {
            line("; pages not updated");
            for diagnostic in &errors.0 {
                eprintln!("{diagnostic}");
            }
        }
    }
}

/// "1 file", "2 files" (serve's lines are English, as the rest of the command line).
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// Runs one rebuild, prints one line about it, and tells the browsers.
fn rebuild_and_report(state: &mut State, plan: &Plan, shared: &Shared) {
    let started = Instant::now();
    let what = plan.describe();
    match state.rebuild(plan) {
        Ok(outcome) => {
            // Each warning once, when it appears: an edit's own (an unused note) is told at
            // that edit, the site's standing ones are not repeated at every save.
            let now: BTreeSet<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
            for warning in now.difference(&state.warned) {
                eprintln!("{warning}");
            }
            state.warned = now;
            println!(
                "{} {what}: {} rebuild, {} rendered, {} changed in {} ms",
                clock(),
                match (outcome.full, outcome.warm) {
                    (true, true) => "warm",
                    (true, false) => "full",
                    (false, _) => "incremental",
                },
                count(outcome.pages, "page"),
                count(outcome.changed.len(), "file"),
                started.elapsed().as_millis()
            );
            shared.published(&outcome.changed, &outcome.base_path);
        }
        Err(errors) => report_failure(&what, started, &errors, state.served(), shared),
    }
}

/// Writes what incremental rebuilds left for later (feeds, search index, sitemap), prints one
/// line about it, and tells the browsers; a full rebuild when that cannot be done in place.
fn finish_and_report(state: &mut State, shared: &Shared) {
    let started = Instant::now();
    match state.finish() {
        Ok(Some(changed)) => {
            println!(
                "{} feeds, search index and sitemap updated, {} changed in {} ms",
                clock(),
                count(changed.len(), "file"),
                started.elapsed().as_millis()
            );
            shared.published(&changed, &shared.base_path());
        }
        Ok(None) => rebuild_and_report(state, &Plan::everything(), shared),
        Err(errors) => report_failure(
            "feeds and search index",
            started,
            &errors,
            state.served(),
            shared,
        ),
    }
}

/// `served`: whether an earlier build is there to be served meanwhile.
fn report_failure(what: &str, started: Instant, errors: &Errors, served: bool, shared: &Shared) {
    eprintln!(
        "{} {what}: rebuild failed in {} ms; {}",
        clock(),
        started.elapsed().as_millis(),
        match served {
            true => "still serving the last good build",
            false => "nothing to serve until it builds",
        }
    );
    for diagnostic in &errors.0 {
        eprintln!("{diagnostic}");
    }
    shared.failed(errors, served);
}

/// Wall-clock time of day (UTC) for the terminal lines.
fn clock() -> String {
    let now = jiff::Timestamp::now();
    now.strftime("%H:%M:%S").to_string()
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the fixture site `name` in a temporary folder.
    fn fixture(name: &str) -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let to = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = to.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        to
    }

    /// A copy of the fixture site `name` as serve has it after its first build: the site, the
    /// folder holding the served one (`site/` in it), and the state.
    fn served_fixture(name: &str) -> (tempfile::TempDir, tempfile::TempDir, State) {
        let site = fixture(name);
        let output = tempfile::tempdir().unwrap();
        let served = output.path().join("site");
        let origin = "http://127.0.0.1:1".to_string();
        let mut state = State::new(site.path().to_path_buf(), served, true, origin);
        state.rebuild(&Plan::everything()).unwrap();
        (site, output, state)
    }

    /// The worker's batch comes back while a brief's file is half written (an editor's save in
    /// progress): linking its PDF reads no content file, so the site stays loaded and the
    /// save's own rebuild is an incremental one (it was a failed rebuild of the batch, and a
    /// full rebuild for the save, in CI).
    #[test]
    fn a_pdf_batch_during_a_save_keeps_the_site_loaded_for_the_saves_rebuild() {
        let (site, output, mut state) = served_fixture("serve");
        let shared = Shared::new(output.path().join("site"), "/".into());

        let source = PathBuf::from("content/briefs/first-brief.md");
        let file = site.path().join(&source);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, &text[..20]).unwrap();
        let batch = Batch {
            done: vec![("first-brief".into(), source.clone())],
            seq: 1,
            ..Batch::default()
        };
        pdfs_made(&mut state, vec![batch], 1, &shared);
        assert!(state.is_loaded(), "the batch left the site loaded");

        std::fs::write(&file, format!("{text}\nSaved.\n")).unwrap();
        let plan = Plan::from_paths([source.as_path()], None);
        let outcome = state.rebuild(&plan).unwrap();
        assert!(!outcome.full, "the save's rebuild is incremental");
        assert!(
            outcome
                .changed
                .contains(&"briefs/first-brief/index.html".to_string())
        );
    }

    /// A brief renamed while the worker waits to typeset it (an editor's save by rename, or
    /// the user renaming the file): the worker reads the body again from the file, which is
    /// gone; that is no error for the browser's overlay and no failure, and the rename's
    /// rebuild asks for the PDF under the new name.
    #[test]
    fn a_brief_renamed_before_the_worker_reads_it_is_neither_an_error_nor_failed() {
        let (site, _output, mut state) = served_fixture("serve");
        let (copy, i18n, slugs) = state.pdf_work().expect("the PDFs are missing");
        assert!(slugs.contains("first-brief"));

        let briefs = site.path().join("content/briefs");
        std::fs::rename(briefs.join("first-brief.md"), briefs.join("renamed.md")).unwrap();
        let (tx, rx) = mpsc::channel();
        let worker = Worker::start(move |batch| {
            let _ = tx.send(batch);
        });
        worker.request(Job {
            site: copy,
            i18n,
            slugs: BTreeSet::from(["first-brief".to_string()]),
            seq: 1,
        });
        let batch = rx.recv_timeout(Duration::from_secs(120)).unwrap();
        worker.stop();
        assert!(batch.errors.is_empty(), "{:?}", batch.errors);
        assert!(batch.failed.is_empty() && batch.done.is_empty());

        let renamed = PathBuf::from("content/briefs/renamed.md");
        let gone = PathBuf::from("content/briefs/first-brief.md");
        state
            .rebuild(&Plan::from_paths([gone.as_path(), renamed.as_path()], None))
            .unwrap();
        let (_, _, slugs) = state
            .pdf_work()
            .expect("the renamed brief's PDF is asked for");
        assert!(slugs.contains("renamed") && !slugs.contains("first-brief"));
    }
}
