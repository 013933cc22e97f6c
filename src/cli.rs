//! The command line: parse arguments, call the library, print the outcome, pick the exit code
//! (0 success, 1 content or build error, 2 usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{BuildOptions, build};
use crate::error::Errors;
use crate::scaffold;

#[derive(Debug, Parser)]
#[command(
    name = "brief",
    version,
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
        /// Folder to create (must not exist or be empty)
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
        /// Serve from this folder instead of a temporary one (removed on exit)
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Leave out briefs and pages marked draft = true (shown by default)
        #[arg(long)]
        no_drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Create a new content file from a template with every front-matter key
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A brief: content/briefs/<slug>.md dated today
    Brief {
        /// The brief's title
        title: String,
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

fn execute(cli: Cli) -> Result<(), Errors> {
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
        } => {
            let report = build(&BuildOptions {
                root: cli.root,
                output,
                base_url,
                drafts,
            })?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Built {} pages and copied {} files into {} in {} ms",
                report.pages,
                report.files_copied,
                report.output_dir.display(),
                report.elapsed.as_millis()
            );
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
            let report = crate::check::check(&crate::check::CheckOptions {
                root: cli.root,
                base_url,
                drafts,
                external,
            })?;
            for problem in &report.problems {
                println!("{problem}");
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
            println!("Next: cd {} && brief build", dir.display());
            Ok(())
        }
        Command::New { what } => {
            let path = match what {
                NewCommand::Brief { title } => scaffold::new_brief(&cli.root, &title)?,
                NewCommand::Author { name } => scaffold::new_author(&cli.root, &name)?,
                NewCommand::Page { title } => scaffold::new_page(&cli.root, &title)?,
            };
            println!("Created {}", path.display());
            Ok(())
        }
    }
}
