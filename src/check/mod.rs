//! `brief check`: what an editor runs before publishing.
//!
//! 1. load the site exactly as `brief build` does (same errors: front matter, authors, pull
//!    quotes, `@/` links, missing hero images and PDFs);
//! 2. build it into a temporary folder (see [`check`] for why);
//! 3. check every brief, page and author file against that output ([`document`]): links and
//!    `#anchors`, images and their alt text, lengths, hero credit, leftover boilerplate;
//! 4. optionally ask other sites about external links ([`external`]).
//!
//! Errors are what would be broken on the published site; warnings are what an editor should
//! look at but may publish (lengths, missing credit, notes never cited, links that could not
//! be checked).

pub mod built;
mod dates;
pub mod document;
pub mod external;

use std::path::{Path, PathBuf};

use crate::build::{self, BuildOptions};
use crate::error::{Diagnostic, Errors, Kind, Severity};
use crate::output::{Cleanup, Staging};
use crate::outputs::Job;
use built::Built;
use document::{Document, Found};
pub use external::ExternalOptions;

/// What `brief check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from config, as for `brief build`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also check external links, with these settings.
    pub external: Option<ExternalOptions>,
    /// Learns the check's temporary folder, so that a signal handler can remove it.
    pub cleanup: Cleanup,
}

/// A finding of `brief check` at `line` of `path`, which would be broken on the published site.
pub fn error_at(path: &Path, line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic::new(Kind::Check, message).at_line(path, line)
}

/// A finding of `brief check` that an editor should look at but may publish.
pub fn warning_at(path: &Path, line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic::warning(Kind::Check, message).at_line(path, line)
}

/// What a check found: errors first, then warnings, each by file and line.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub problems: Vec<Diagnostic>,
    pub documents: usize,
    /// Links and images looked at: in bodies, Markdown front-matter fields, and config.toml's
    /// menu, footer and disclaimer.
    pub references: usize,
    /// External addresses asked about (or found in the cache).
    pub external: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    /// The kinds of problem of a long report, most frequent first, as (how many, "severity:
    /// message" with its quoted parts left out): an imported archive's check repeats a few
    /// problems hundreds of times ("link `/category/…/` points nowhere"), and an editor fixes
    /// them by kind. Only kinds of more than one problem, at most `limit`.
    pub fn most_common(&self, limit: usize) -> Vec<(usize, String)> {
        let mut kinds: std::collections::HashMap<String, usize> = Default::default();
        for problem in &self.problems {
            let kind = format!("{}: {}", problem.severity.as_str(), shape(&problem.message));
            *kinds.entry(kind).or_default() += 1;
        }
        let mut kinds: Vec<(usize, String)> = kinds
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(kind, n)| (n, kind))
            .collect();
        kinds.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        kinds.truncate(limit);
        kinds
    }

    /// The last line of the output, e.g. "2 errors, 1 warning in 9 files; links and images checked: 40".
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| match n {
            1 => format!("1 {word}"),
            n => format!("{n} {word}s"),
        };
        let mut summary = format!(
            "{}, {} in {}; links and images checked: {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
            plural(self.documents, "file"),
            self.references
        );
        if self.external > 0 {
            summary.push_str(&format!("; external addresses: {}", self.external));
        }
        summary
    }
}

/// A message with what it quotes (`…`, "…") and its numbers left out: what problems of one
/// kind have in common.
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(close) if c == close => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
    }
    // A quote left open is kept as written.
    if quote.is_some() {
        return message.to_string();
    }
    // Addresses and paths written without quotes ("nothing is published at /x/;").
    let word = |w: &str| {
        let bare = w.trim_end_matches(['.', ',', ';', ':', ')']);
        if bare.starts_with('/') || bare.contains("://") {
            format!("…{}", &w[bare.len()..])
        } else {
            w.to_string()
        }
    };
    out.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

/// Runs every check on the site at `options.root`. `Err` holds the errors that stop a build,
/// reported as `brief build` reports them.
pub fn check(options: &CheckOptions) -> Result<Report, Errors> {
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: options.base_url.clone(),
        drafts: options.drafts,
        cleanup: options.cleanup.clone(),
        // The checks read pages, not PDFs.
        no_pdf: true,
    };
    let (site, theme) = build::load(&build_options)?;
    // Every output (crate::outputs::OUTPUTS) built into a temporary folder and inspected there
    // rather than rendered in memory: the check then sees exactly the files a deploy would hold
    // (theme assets, bundle files, feeds, citation files), through the one list `build` uses. The
    // scratch folder is removed when `staging` is dropped (or by the signal handler that
    // `options.cleanup` serves), and a later check removes those of killed runs.
    let staging = Staging::scratch(&options.cleanup)?;
    build::write_site(&site, &theme, &staging, options.drafts)?;
    let built = Built::new(staging.dir(), &crate::redirects::aliases(&site));

    // Briefs first, in the order of `site.briefs`, which the loop over their front matter
    // below relies on.
    let mut documents: Vec<Document> = Vec::new();
    documents.extend(site.briefs.iter().map(|b| Document {
        source: &b.source,
        site_path: Job::Brief(b).site_path(),
        id_prefix: String::new(),
    }));
    documents.extend(site.pages.iter().map(|p| Document {
        source: &p.source,
        site_path: Job::Page(p).site_path(),
        id_prefix: String::new(),
    }));
    documents.extend(site.authors.values().map(|a| Document {
        source: &a.source,
        site_path: Job::Author(a, 1).site_path(),
        id_prefix: crate::markdown::headings::bio_prefix(&a.id),
    }));
    let mut found = Found::default();
    for doc in &documents {
        document::check_text(&site, &built, doc, &mut found);
    }
    // The day in UTC: a day early or late near midnight changes nothing an editor acts on.
    let today = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    for (brief, doc) in site.briefs.iter().zip(&documents) {
        document::check_brief(brief, &mut found);
        document::check_front_links(&site, &built, doc, brief, &mut found);
        found.problems.extend(dates::warnings(brief, today));
    }
    document::check_config(&site, &built, &mut found);
    found.problems.extend(site.warnings.iter().cloned());
    let mut external = 0;
    if let Some(settings) = &options.external {
        let urls: Vec<String> = found.external.iter().map(|e| e.url.clone()).collect();
        let outcomes = external::check(&urls, settings);
        external = outcomes.len();
        found.problems.extend(
            found
                .external
                .iter()
                .filter_map(|link| external_problem(link, outcomes.get(&link.url)?, settings)),
        );
    }
    let mut problems = found.problems;
    problems.sort_by(|a, b| (a.severity, a.sort_key()).cmp(&(b.severity, b.sort_key())));
    problems.dedup();
    Ok(Report {
        problems,
        documents: documents.len(),
        references: found.references,
        external,
    })
}

fn external_problem(
    link: &document::ExternalLink,
    outcome: &external::LinkStatus,
    settings: &ExternalOptions,
) -> Option<Diagnostic> {
    use external::LinkStatus;
    let (source, line, url) = (&link.source, link.line, &link.url);
    match outcome {
        LinkStatus::Ok(_) => None,
        LinkStatus::Gone(code) => Some(error_at(
            source,
            line,
            format!("external link {url} is gone (HTTP {code})"),
        )),
        LinkStatus::Status(code) => Some(warning_at(
            source,
            line,
            format!("external link {url} answered HTTP {code}; check it in a browser"),
        )),
        LinkStatus::Unreachable(why) if why == "timed out" => Some(warning_at(
            source,
            line,
            format!(
                "external link {url} did not answer within {} s",
                settings.timeout.as_secs_f32()
            ),
        )),
        LinkStatus::Unreachable(why) => Some(warning_at(
            source,
            line,
            format!("external link {url} could not be reached: {why}"),
        )),
    }
}
