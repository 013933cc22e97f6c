//! The `brief import` subcommands: arguments, running the import, printing the summary.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::static_site::{self, Generator};
use super::wordpress::{self, CategoriesAs, WordPressOptions};
use super::{ImportOptions, Plan, apply, input_error, render_report};
use crate::error::Errors;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (WXR, from Tools -> Export): posts become briefs, pages pages
    Wordpress {
        /// The export file (.xml)
        export: PathBuf,
        /// The site's wp-content/uploads folder: images found there are copied beside the briefs
        #[arg(long, value_name = "DIR")]
        uploads: Option<PathBuf>,
        /// What WordPress categories become (tags always become topics)
        #[arg(long, value_enum, default_value_t = CategoriesAs::Topics)]
        categories_as: CategoriesAs,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// A Hugo site: content/ with its page bundles, static/ for root-relative images
    Hugo {
        /// The Hugo site's folder (or its content folder)
        dir: PathBuf,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// A Jekyll site: _posts/, _drafts/ and the pages at its top
    Jekyll {
        /// The Jekyll site's folder
        dir: PathBuf,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Saved article pages (.html) or the text copied from them (.txt): one brief each
    Html {
        /// The files to import
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// A Zola site: content/ with its sections and page bundles, static/
    Zola {
        /// The Zola site's folder (or its content folder)
        dir: PathBuf,
        #[command(flatten)]
        write: WriteArgs,
    },
}

/// How the import writes, shared by every source.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Only print what would be written
    #[arg(long)]
    pub dry_run: bool,
    /// Replace files that already exist (by default they are kept and listed)
    #[arg(long)]
    pub force: bool,
}

/// Runs one import in the site at `root`.
pub fn run(root: &Path, command: ImportCommand) -> Result<(), Errors> {
    if !root.join("config.toml").is_file() {
        return Err(input_error(
            format!(
                "{} has no config.toml: import into a brief site",
                root.display()
            ),
            "create one with `brief init DIR`, then run the import in DIR (or pass --root DIR)",
        )
        .into());
    }
    let (plan, write) = match command {
        ImportCommand::Wordpress {
            export,
            uploads,
            categories_as,
            write,
        } => {
            let text = read_input(&export)?;
            let parsed = wordpress::parse(&text, &export)?;
            if let Some(dir) = uploads.as_ref().filter(|d| !d.is_dir()) {
                return Err(input_error(
                    format!("--uploads {}: no such folder", dir.display()),
                    "give the wp-content/uploads folder copied from the WordPress server",
                )
                .into());
            }
            let options = WordPressOptions {
                export,
                uploads,
                categories_as,
                menu: super::own_menu_entries(root, wordpress::published_pages(&parsed)),
            };
            (wordpress::plan(&parsed, &options, root), write)
        }
        ImportCommand::Hugo { dir, write } => {
            (static_site::plan(Generator::Hugo, &dir, root)?, write)
        }
        ImportCommand::Jekyll { dir, write } => {
            (static_site::plan(Generator::Jekyll, &dir, root)?, write)
        }
        ImportCommand::Html { files, write } => (super::html::plan(&files, root)?, write),
        ImportCommand::Zola { dir, write } => {
            (static_site::plan(Generator::Zola, &dir, root)?, write)
        }
    };
    finish(root, &plan, &write)
}

fn read_input(path: &Path) -> Result<String, Errors> {
    crate::fsutil::read_text(path, path).map_err(|d| {
        let d = match path.exists() {
            true => d,
            false => input_error(
                format!("{}: no such file", path.display()),
                "give the path of the export file",
            ),
        };
        Errors::from(d)
    })
}

fn finish(root: &Path, plan: &Plan, write: &WriteArgs) -> Result<(), Errors> {
    let options = ImportOptions {
        root: root.to_path_buf(),
        dry_run: write.dry_run,
        force: write.force,
    };
    let applied = apply(plan, &options)?;
    if write.dry_run {
        for path in applied.written() {
            println!("would write {}", path.display());
        }
        for path in &applied.unchanged {
            println!("would leave {} (already there, the same)", path.display());
        }
        for path in &applied.kept {
            println!("would keep {} (already there)", path.display());
        }
    }
    print!("{}", render_report(&plan.report, &applied));
    if !write.dry_run {
        println!(
            "\nWrote {}. Next: brief build && brief check",
            super::REPORT_FILE
        );
    }
    Ok(())
}
