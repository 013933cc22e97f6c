//! The command line: parse arguments, call the library, print the outcome, pick the exit code
//! (0 success, 1 content or build error, 2 usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{BuildOptions, build, build_cached};
use crate::error::Errors;
use crate::output::Cleanup;
use crate::scaffold;

/// `brief check` sums up the kinds of problem of a report longer than this.
const MOST_COMMON_AFTER: usize = 20;

#[derive(Debug, Parser)]
#[command(
    name = "brief",
    // "0.1.0 (commit 1a2b3c4d5e6f)": the version and the commit, stamped by build.rs.
    version = env!("BRIEF_VERSION_LINE"),
    about = "A static site generator for policy briefs"
)]
pub struct Cli {
    /// The site's folder (the one with config.toml)
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default)
    Build {
        /// Write the site here instead of output_dir from config.toml
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish under this address instead of base_url from config.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include briefs and pages marked draft = true
        #[arg(long)]
        drafts: bool,
        /// Make no PDFs of briefs (as `pdf = false` in config.toml does)
        #[arg(long)]
        no_pdf: bool,
        /// Build everything, neither reading nor writing the build cache (.brief-cache/build/)
        #[arg(long)]
        no_cache: bool,
    },
    /// Check the site before publishing: broken links and anchors, missing images and alt
    /// text, lengths, leftover boilerplate; exit 1 on errors
    Check {
        /// Check as if published under this address instead of base_url from config.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include briefs and pages marked draft = true
        #[arg(long)]
        drafts: bool,
        /// Also check links to other sites (answers are cached for a day in .brief-check-cache.json)
        #[arg(long)]
        external: bool,
        /// External requests in flight at once
        #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        concurrency: u16,
        /// Seconds to wait for an external site (1 to 3600)
        #[arg(long, default_value_t = 10, value_name = "SECS",
              value_parser = clap::value_parser!(u64).range(1..=crate::check::external::MAX_TIMEOUT_SECS))]
        timeout: u64,
    },
    /// Create a new site in DIR with a sample brief, an author and the default theme
    Init {
        /// Folder to create (must not exist, or be empty but for a .git folder)
        dir: PathBuf,
    },
    /// Build the site, serve it locally and rebuild it on every save, reloading the open page
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Serve from this folder instead of the one kept in .brief-cache/serve/ between starts
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Leave out briefs and pages marked draft = true (shown by default)
        #[arg(long)]
        no_drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Import an archive (a WordPress export) into this site; see import-report.md after
    Import {
        #[command(subcommand)]
        from: crate::import::cli::ImportCommand,
    },
    /// Create a new content file from a template with every front-matter key
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A brief: content/briefs/<slug>.md dated today, as a draft
    Brief {
        /// The brief's title
        title: String,
        /// The author's id (a file name in content/authors/); default: the site's only author
        #[arg(long, value_name = "ID")]
        author: Option<String>,
        /// Make a folder content/briefs/<slug>/ with index.md, for the brief's images and files
        #[arg(long)]
        bundle: bool,
    },
    /// An author profile: content/authors/<id>.md
    Author {
        /// The author's full name
        name: String,
    },
    /// A plain page: content/pages/<slug>.md
    Page {
        /// The page's title
        title: String,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    if !matches!(cli.command, Command::Serve { .. }) {
        quiet_on_closed_output();
    }
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            // Empty when the command already said what went wrong (`brief check`).
            if !errors.is_empty() {
                eprintln!("{errors}");
            }
            ExitCode::from(1)
        }
    }
}

/// A reader that stops reading the output (`brief import … | head`) ends the command quietly,
/// as it does other command-line tools, instead of a panic of `println!`. Rust ignores SIGPIPE
/// so that a write to a closed pipe is an error; that stays so for `serve`, where a browser
/// closing its connection must end only that connection.
fn quiet_on_closed_output() {
    #[cfg(unix)]
    // SAFETY: sets this process's action for one signal back to the system's default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn execute(cli: Cli) -> Result<(), Errors> {
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            no_pdf,
            no_cache,
        } => {
            let cleanup = Cleanup::new();
            remove_on_signal(&cleanup);
            let options = BuildOptions {
                root: cli.root,
                output,
                base_url,
                drafts,
                cleanup,
                no_pdf,
            };
            let report = match no_cache {
                true => build(&options)?,
                false => build_cached(&options)?,
            };
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            if report.up_to_date {
                println!(
                    "Nothing changed since the last build: {} is up to date ({} ms)",
                    report.output_dir.display(),
                    report.elapsed.as_millis()
                );
                return Ok(());
            }
            if report.partial {
                let changed = match report.files_changed {
                    1 => "1 file".to_string(),
                    n => format!("{n} files"),
                };
                println!(
                    "Rebuilt the {} pages showing the edited briefs and authors ({changed} changed) in {} in {} ms",
                    report.pages,
                    report.output_dir.display(),
                    report.elapsed.as_millis()
                );
                print_pdfs(&report);
                return Ok(());
            }
            println!(
                "Built {} pages and copied {} files into {} in {} ms",
                report.pages,
                report.files_copied,
                report.output_dir.display(),
                report.elapsed.as_millis()
            );
            if let Some(note) = drafts_note(report.drafts_left_out) {
                println!("{note}");
            }
            print_pdfs(&report);
            Ok(())
        }
        Command::Serve {
            bind,
            port,
            output,
            no_drafts,
            open,
        } => crate::serve::serve(&crate::serve::ServeOptions {
            root: cli.root,
            bind,
            port,
            output,
            drafts: !no_drafts,
            open,
        }),
        Command::Check {
            base_url,
            drafts,
            external,
            concurrency,
            timeout,
        } => {
            let external = external.then(|| crate::check::ExternalOptions {
                concurrency: concurrency.into(),
                timeout: std::time::Duration::from_secs(timeout),
                ..crate::check::ExternalOptions::new(&cli.root)
            });
            let cleanup = Cleanup::new();
            remove_on_signal(&cleanup);
            let report = crate::check::check(&crate::check::CheckOptions {
                root: cli.root,
                base_url,
                drafts,
                external,
                cleanup,
            })?;
            for problem in &report.problems {
                println!("{}", problem.check_line());
            }
            // A long report ends with what it is mostly made of, so that an editor of a large
            // archive sees which few kinds of problem to fix.
            if report.problems.len() > MOST_COMMON_AFTER {
                let kinds = report.most_common(5);
                if !kinds.is_empty() {
                    println!("Most common:");
                    for (n, kind) in kinds {
                        println!("  {n} × {kind}");
                    }
                }
            }
            println!("{}", report.summary());
            match report.errors() {
                0 => Ok(()),
                // The problems are printed above; only the exit code is left to set.
                _ => Err(Errors::default()),
            }
        }
        Command::Init { dir } => {
            scaffold::init(&dir)?;
            println!("Created a new site in {}", dir.display());
            println!("Next: cd {}, then", dir.display());
            println!(
                "  brief serve                 preview it at http://127.0.0.1:1111/ as you edit"
            );
            println!(
                "  brief new brief \"Title\"     start a brief (a draft until you publish it)"
            );
            Ok(())
        }
        Command::Import { from } => crate::import::cli::run(&cli.root, from),
        Command::New { what } => {
            let path = match what {
                NewCommand::Brief {
                    title,
                    author,
                    bundle,
                } => {
                    let created = scaffold::new_brief(
                        &cli.root,
                        &scaffold::NewBrief {
                            title,
                            author,
                            bundle,
                        },
                    )?;
                    if let Some(note) = created.author_note {
                        println!("Note: {note}");
                    }
                    created.path
                }
                NewCommand::Author { name } => scaffold::new_author(&cli.root, &name)?,
                NewCommand::Page { title } => scaffold::new_page(&cli.root, &title)?,
            };
            println!("Created {}", path.display());
            Ok(())
        }
    }
}

/// "1 draft left out (--drafts to include it)", or nothing when no draft was left out.
/// The build's PDF line: how many were typeset and how many came from the PDF cache.
fn print_pdfs(report: &crate::build::BuildReport) {
    if let Some(pdfs) = &report.pdfs {
        let cost = pdfs
            .cpu_per_brief
            .map(|m| format!("; {} ms of CPU a brief", m.as_millis()))
            .unwrap_or_default();
        println!(
            "PDFs: {} typeset, {} unchanged (from {}){cost}",
            pdfs.typeset,
            pdfs.reused,
            crate::pdf::cache::DIR
        );
    }
}

fn drafts_note(count: usize) -> Option<String> {
    match count {
        0 => None,
        1 => Some("1 draft left out (--drafts to include it)".into()),
        n => Some(format!("{n} drafts left out (--drafts to include them)")),
    }
}

/// On Ctrl-C, SIGTERM or SIGHUP during a build or check: waits for a write in progress, removes
/// the run's temporary folders (listed in `cleanup` by the library) and exits with 128 + the
/// signal's number. Without it a stopped build would leave its staging folder behind. `brief
/// serve` stops on its own terms, after the rebuild in progress.
fn remove_on_signal(cleanup: &Cleanup) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    // Listening starts here, before the build does, not when the thread first runs.
    let signals = {
        let _context = runtime.enter();
        Signals::listen()
    };
    let Ok(mut signals) = signals else {
        return;
    };
    let cleanup = cleanup.clone();
    let _ = std::thread::Builder::new()
        .name("brief-signals".into())
        .spawn(move || {
            let code = runtime.block_on(signals.next());
            let _removed = cleanup.remove_all();
            eprintln!("Stopped; temporary files removed.");
            std::process::exit(code);
        });
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn listen() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for the next signal; returns the exit code for it.
    async fn next(&mut self) -> i32 {
        tokio::select! {
            _ = self.interrupt.recv() => 130,
            _ = self.terminate.recv() => 143,
            _ = self.hangup.recv() => 129,
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn listen() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn next(&mut self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        130
    }
}
