//! The checks `brief check` makes on one content file: its links and images (against the built
//! site), front-matter lengths and hero credit, and leftover boilerplate.

use std::path::Path;

use super::Problem;
use super::built::{Built, Target, classify};
use crate::content::Brief;
use crate::content::frontmatter::{self, Split};
use crate::error::line_col;
use crate::markdown::links::references;
use crate::site::Site;

/// Text that comes from a blog platform or template, never from the author. Case-insensitive.
pub const BOILERPLATE: &[&str] = &[
    "Leave a reply",
    "Leave a comment",
    "Deja una respuesta",
    "Deja un comentario",
    "Your email address will not be published",
    "Tu dirección de correo electrónico no será publicada",
    "Lorem ipsum",
    "Click here to edit",
];

/// Longest title that search results and share cards show whole.
pub const MAX_TITLE: usize = 110;
/// Longest summary that listings and meta descriptions show whole.
pub const MAX_SUMMARY: usize = 300;

/// One content file to check and where it is published.
pub struct Document<'a> {
    /// Relative to the site root, e.g. `content/briefs/x.md`.
    pub source: &'a Path,
    /// Its page's site path, e.g. `briefs/x/`.
    pub site_path: String,
}

/// An external link, with where it was written.
pub struct ExternalLink {
    pub url: String,
    pub source: std::path::PathBuf,
    pub line: usize,
}

/// What checking a document found.
#[derive(Default)]
pub struct Found {
    pub problems: Vec<Problem>,
    pub external: Vec<ExternalLink>,
    pub references: usize,
}

/// Checks one document's text: links and images of its body, and boilerplate anywhere.
pub fn check_text(site: &Site, built: &Built, doc: &Document, found: &mut Found) {
    let Ok(text) = std::fs::read_to_string(site.root.join(doc.source)) else {
        return; // Loading the site read it a moment ago; a file removed since is not our finding.
    };
    let Ok(split) = frontmatter::split(&text, doc.source) else {
        return;
    };
    for (number, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        for phrase in BOILERPLATE {
            if lower.contains(&phrase.to_lowercase()) {
                found.problems.push(Problem::error(
                    doc.source,
                    Some(number + 1),
                    format!("leftover boilerplate \"{phrase}\": remove it"),
                ));
            }
        }
    }
    check_references(site, built, doc, &split, found);
}

fn check_references(site: &Site, built: &Built, doc: &Document, split: &Split, found: &mut Found) {
    let base = &site.config.base_url;
    let page_dir = base.path_of(&doc.site_path);
    for reference in references(split.body) {
        found.references += 1;
        let line = split.body_line + line_col(split.body, reference.offset).0 - 1;
        let what = if reference.image { "image" } else { "link" };
        let dest = &reference.dest;
        let mut problem = |message: String| {
            found
                .problems
                .push(Problem::error(doc.source, Some(line), message))
        };
        // Images without alt text are a load warning (content::brief), reported with the rest.
        // Loading the site already reported `@/` links that point nowhere.
        let Ok(href) = site.links.href(dest) else {
            continue;
        };
        match classify(&href, &page_dir, base) {
            Target::Internal { site_path, anchor } => match built.file(&site_path) {
                None if reference.image => problem(format!(
                    "image `{dest}` not found: nothing is published at {}; put it beside index.md in the brief's folder, or in static/ and write its path from there starting with `/`",
                    base.path_of(&site_path)
                )),
                None => problem(format!(
                    "link `{dest}` points nowhere: nothing is published at {}",
                    base.path_of(&site_path)
                )),
                Some(file) => {
                    let html = file.extension().is_some_and(|e| e == "html");
                    if let Some(anchor) = anchor.filter(|_| html)
                        && !built.has_id(&file, &anchor)
                    {
                        problem(format!(
                            "{what} `{dest}`: {} has no element with id `{anchor}`",
                            base.path_of(&site_path)
                        ));
                    }
                }
            },
            Target::Outside(path) => problem(format!(
                "{what} `{dest}` leads to {path}, outside the site (base path {})",
                base.root_path()
            )),
            Target::External(url) => found.external.push(ExternalLink {
                url,
                source: doc.source.to_path_buf(),
                line,
            }),
            Target::Other => {}
        }
    }
}

/// Checks a brief's front matter: title and summary lengths, hero credit (a missing hero alt
/// text is already a load warning).
pub fn check_brief(site: &Site, brief: &Brief, found: &mut Found) {
    let Ok(text) = std::fs::read_to_string(site.root.join(&brief.source)) else {
        return;
    };
    let Ok(split) = frontmatter::split(&text, &brief.source) else {
        return;
    };
    let key_line = |key| Some(crate::content::brief::key_line(&text, &split, key));
    let front = &brief.front;
    let title = front.title.chars().count();
    if title > MAX_TITLE {
        found.problems.push(Problem::warning(
            &brief.source,
            key_line("title"),
            format!("title is {title} characters; keep it to {MAX_TITLE} so search results and share cards show it whole"),
        ));
    }
    if let Some(summary) = &front.summary {
        let length = summary.chars().count();
        if length > MAX_SUMMARY {
            found.problems.push(Problem::warning(
                &brief.source,
                key_line("summary"),
                format!("summary is {length} characters; keep it to {MAX_SUMMARY} so listings and search results show it whole"),
            ));
        }
    }
    let Some(hero) = front.hero.as_ref().filter(|h| h.image.is_some()) else {
        return;
    };
    let hero_line = text
        .lines()
        .position(|l| l.trim() == "[hero]")
        .map(|i| i + 1)
        .or_else(|| key_line("hero"));
    if hero.credit.as_deref().is_none_or(|c| c.trim().is_empty()) {
        found.problems.push(Problem::warning(
            &brief.source,
            hero_line,
            "hero image has no credit: add credit = \"Photo: ...\" under [hero]".into(),
        ));
    }
}
