//! An author profile: `content/authors/<id>.md`, whose body is the bio.

use serde::Deserialize;

use super::frontmatter;
use super::{Asset, Source, resolve_asset};
use crate::error::{Diagnostic, Kind};
use crate::markdown::{self, Note, RenderSettings};

/// The keys an author's front matter may set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub name: String,
    pub title: Option<String>,
    pub affiliation: Option<String>,
    pub photo: Option<String>,
    /// Name parts for citations, for names the usual rule (last word, with particles such as
    /// "de" or "van", is the family name) splits wrongly, e.g. "Xi Jinping".
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Profile links by kind: website, email, x, bluesky, linkedin, orcid, github, or any other.
    #[serde(default)]
    pub links: toml::Table,
    #[serde(default)]
    pub extra: toml::Table,
}

pub const KEYS: &[&str] = &[
    "name",
    "title",
    "affiliation",
    "photo",
    "given_name",
    "family_name",
    "links",
    "extra",
];

/// The keys an author's front matter may set, for [`frontmatter::read`]; `links` takes any key.
pub const SCHEMA: frontmatter::Schema = frontmatter::Schema {
    keys: KEYS,
    tables: &[],
};

/// An author, parsed, with the bio rendered.
#[derive(Debug, Clone)]
pub struct Author {
    pub id: String,
    pub source: std::path::PathBuf,
    pub front: FrontMatter,
    pub bio: String,
    /// The bio's footnotes; their ids (like the bio's heading ids) start with
    /// [`markdown::headings::bio_prefix`], so the bio can sit on any brief's page.
    pub notes: Vec<Note>,
    /// Problems that do not stop the build, each starting with the file.
    pub warnings: Vec<Diagnostic>,
    pub photo: Option<Asset>,
    /// The photo as published in several widths, when it is a JPEG, PNG or WebP of `static/`.
    pub photo_picture: Option<crate::images::Job>,
    pub links: Vec<Link>,
}

/// One profile link, in a fixed order of kinds so pages do not reshuffle between builds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub kind: String,
    pub label: String,
    pub url: String,
}

/// Known link kinds, in display order, with their labels.
const LINK_KINDS: &[(&str, &str)] = &[
    ("website", "Website"),
    ("email", "Email"),
    ("orcid", "ORCID"),
    ("x", "X"),
    ("twitter", "X"),
    ("bluesky", "Bluesky"),
    ("mastodon", "Mastodon"),
    ("linkedin", "LinkedIn"),
    ("github", "GitHub"),
];

impl Author {
    pub fn site_path(&self) -> String {
        site_path(&self.id)
    }

    /// The name as citations need it: `family_name` (and `given_name`) when set, else `name`
    /// split by rule.
    pub fn citation_name(&self) -> crate::cite::Name {
        match &self.front.family_name {
            Some(family) => crate::cite::Name::with_parts(
                &self.front.name,
                self.front.given_name.as_deref().unwrap_or(""),
                family,
            ),
            None => crate::cite::Name::parse(&self.front.name),
        }
    }
}

pub fn site_path(id: &str) -> String {
    crate::outputs::routes::author(id)
}

/// Why an author file's name cannot be an address, if it cannot: a space, or a character a
/// URL reads as something else (`#` an anchor, `?` a query, `%` an escape).
fn id_problem(id: &str) -> Option<&'static str> {
    if id.chars().any(char::is_whitespace) {
        Some("has a space")
    } else if id.contains(['#', '?', '%', '&', '"', '\'', '<', '>', '\\']) {
        Some("has a character a web address cannot hold as it is (# ? % & \" ' < > \\)")
    } else {
        None
    }
}

/// Parses one author file.
pub fn load(
    source: &Source,
    root: &std::path::Path,
    link_map: &crate::markdown::links::LinkMap,
    markup: &crate::markdown::fragments::Markup,
    images: &crate::images::Settings,
) -> Result<Author, Vec<Diagnostic>> {
    let rel = &source.path.rel;
    let split = frontmatter::split(&source.text, rel).map_err(|d| vec![d])?;
    let (front, keys): (FrontMatter, _) = frontmatter::read(&source.text, &split, rel, &SCHEMA)?;
    let mut errors = super::control::errors(&source.text, &split, &keys, rel);
    let links = match links(&front.links) {
        Ok(links) => links,
        Err(problems) => {
            for (key, problem) in problems {
                errors.push(problem.at(keys.location(rel, &format!("links.{key}"))));
            }
            Vec::new()
        }
    };
    if front.given_name.is_some() && front.family_name.is_none() {
        errors.push(
            Diagnostic::new(Kind::FrontMatter, "given_name is set without family_name")
                .at(keys.location(rel, "given_name"))
                .help("citations need both parts: add family_name = \"...\", or remove given_name to split `name` by rule"),
        );
    }
    let photo = match front.photo.as_deref() {
        None => None,
        Some(photo) => match resolve_asset(photo, root, None) {
            Ok(asset) => Some(asset),
            Err(problem) => {
                errors.push(
                    problem.diagnostic("photo", photo, "put the photo in static/ (e.g. static/authors/name.jpg) and write photo = \"/authors/name.jpg\"")
                        .at(keys.location(rel, "photo")),
                );
                None
            }
        },
    };
    let photo_picture = match &photo {
        Some(Asset::Local { site_path }) => {
            match crate::images::uses::job(root, site_path, images) {
                Some(Ok(job)) => Some(job),
                Some(Err(problem)) => {
                    errors.push(crate::images::uses::unreadable(
                        problem, root, site_path, rel,
                    ));
                    None
                }
                None => None,
            }
        }
        _ => None,
    };
    let mut warnings: Vec<Diagnostic> = photo_picture
        .iter()
        .filter_map(|job| {
            images.size_warning(&job.source, &crate::fsutil::relative(&job.source, root))
        })
        .collect();
    let id = source.path.stem();
    if let Some(problem) = id_problem(&id) {
        errors.push(
            Diagnostic::new(
                Kind::FrontMatter,
                format!("the author file's name `{id}` {problem}: it is the author's id and address (/authors/{id}/)"),
            )
            .in_file(rel)
            .help(format!(
                "rename the file to `{}.md` and write that id in the briefs' `authors`",
                slug::slugify(&id)
            )),
        );
    }
    let id_prefix = markdown::headings::bio_prefix(&id);
    let rendered = markdown::render(
        split.body,
        &RenderSettings {
            toc_depth: 2,
            pull_quotes: &[],
            links: link_map,
            id_prefix: &id_prefix,
            markup,
            figures: Default::default(),
        },
    );
    errors.extend(link_map.diagnostics(&rendered.broken_links, rel, split.body, split.body_line));
    errors.extend(markdown::headings::diagnostics(
        &rendered.bad_ids,
        rel,
        split.body,
        split.body_line,
    ));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Author {
        id,
        source: rel.clone(),
        bio: rendered.html,
        notes: rendered.notes,
        warnings: {
            warnings.extend(
                rendered
                    .warnings
                    .iter()
                    .map(|w| super::body_warning(rel, w)),
            );
            warnings
        },
        photo,
        photo_picture,
        links,
        front,
    })
}

/// The profile links in display order; `Err` lists each bad link's key and problem: a value
/// that is not text, or an address that is not http(s) or mailto (a `javascript:` link would
/// run on the author page and in every bio box).
fn links(table: &toml::Table) -> Result<Vec<Link>, Vec<(String, Diagnostic)>> {
    let mut links = Vec::new();
    let mut problems = Vec::new();
    for (key, value) in table {
        let Some(text) = value.as_str().map(str::trim) else {
            let message = format!("link `{key}` must be text, e.g. {key} = \"https://...\"");
            problems.push((key.clone(), Diagnostic::new(Kind::FrontMatter, message)));
            continue;
        };
        let url = match key.as_str() {
            "email" if !text.starts_with("mailto:") => format!("mailto:{text}"),
            "orcid" if !text.starts_with("http") => format!("https://orcid.org/{text}"),
            _ => text.to_string(),
        };
        if !super::is_allowed_link(&url) {
            let message = format!("link `{key}` is `{text}`, which is not a web or mail address");
            problems.push((
                key.clone(),
                Diagnostic::new(Kind::FrontMatter, message)
                    .help("write a full address starting with https:// (or mailto: for email)"),
            ));
            continue;
        }
        let label = LINK_KINDS
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| capitalize(key), |(_, label)| label.to_string());
        links.push(Link {
            kind: key.clone(),
            label,
            url,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let rank = |kind: &str| {
        LINK_KINDS
            .iter()
            .position(|(k, _)| *k == kind)
            .unwrap_or(usize::MAX)
    };
    links.sort_by(|a, b| rank(&a.kind).cmp(&rank(&b.kind)).then(a.kind.cmp(&b.kind)));
    Ok(links)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
