//! `brief init` and `brief new`: files a user starts from. Never overwrites an existing file.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Diagnostic, Kind};
use crate::theme::{DEFAULT_THEME, all_files};

/// A minimal site: config, one brief, one author, an About page.
static STARTER_SITE: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// Creates a new site in `dir` with the default theme; `dir` must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("{} already exists and is not empty", dir.display()),
        )
        .help("choose a new folder name, e.g. brief init my-site"));
    }
    for file in all_files(&STARTER_SITE) {
        write_new(&dir.join(file.path()), file.contents())?;
    }
    for file in all_files(&DEFAULT_THEME) {
        write_new(
            &dir.join("themes/default").join(file.path()),
            file.contents(),
        )?;
    }
    Ok(())
}

/// Creates `content/briefs/<slug>.md` dated today with every front-matter key, most commented out.
pub fn new_brief(root: &Path, title: &str) -> Result<PathBuf, Diagnostic> {
    let slug = slug_of(title)?;
    let today = jiff::ZonedDateTime::now().date();
    let text = format!(
        r#"+++
title = {title}
# subtitle = "The dek under the title"
date = {today}
# updated = {today}
authors = ["author-id"]  # file names in content/authors/, without .md
# summary = "One or two sentences for listings and search results (default: the first paragraph)."
# topics = ["Arms Control"]
# regions = ["East Asia"]
# program = "Nuclear Policy Program"
# series = "A series name"
# key_takeaways = ["First point.", "Second point."]
# pull_quotes = ["Words repeated exactly from the text below."]
# toc = true             # default: shown when there are two or more headings
draft = true             # remove when ready to publish
# featured = true        # shown first on the home page
# slug = "{slug}"
# template = "brief.html"
# doi = "10.1234/example"      # cited and linked as https://doi.org/...
# report_number = "PB-01"
# recommendations = ["First recommendation.", "Second."]
# pdf = "brief.pdf"            # beside index.md in a bundle folder, or /pdfs/x.pdf from static/
# disclaimer = "Replaces the site's disclaimer; \"\" shows none."
# originally_published = {{ outlet = "Outlet", url = "https://...", date = {today} }}
# lang = "es"                 # this brief's language; default: config.toml's `language`
# translations = {{ en = "slug-of-the-english-version" }}

# [hero]
# image = "hero.jpg"     # beside index.md in a bundle folder, or /images/x.jpg from static/
# alt = "What the photo shows"
# caption = "The caption"
# credit = "Photographer/Agency"

# [extra]
# anything = "your templates can use as brief.extra.anything"
+++

The first paragraph.

## A heading
"#,
        title = toml_string(title),
    );
    let path = root.join("content/briefs").join(format!("{slug}.md"));
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// Creates `content/authors/<id>.md` with every front-matter key.
pub fn new_author(root: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let id = slug_of(name)?;
    let text = format!(
        r#"+++
name = {name}
# title = "Senior Fellow"
# affiliation = "Institute name"
# photo = "/authors/{id}.jpg"   # a file in static/
# given_name = "Given"          # for citations, only when the name splits wrongly by rule
# family_name = "Family"        # ("Xi Jinping": given_name = "Jinping", family_name = "Xi")

[links]
# website = "https://example.org/"
# email = "name@example.org"
# orcid = "0000-0000-0000-0000"
# x = "https://x.com/handle"
# linkedin = "https://www.linkedin.com/in/handle"
+++

A short bio, in Markdown.
"#,
        name = toml_string(name),
    );
    let path = root.join("content/authors").join(format!("{id}.md"));
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// Creates `content/pages/<slug>.md`.
pub fn new_page(root: &Path, title: &str) -> Result<PathBuf, Diagnostic> {
    let slug = slug_of(title)?;
    let text = format!(
        "+++\ntitle = {}\n# summary = \"\"\n# draft = true\n+++\n\nThe page's text.\n",
        toml_string(title)
    );
    let path = root.join("content/pages").join(format!("{slug}.md"));
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

fn slug_of(title: &str) -> Result<String, Diagnostic> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("cannot make a file name from \"{title}\""),
        )
        .help("use a title with letters or digits"));
    }
    Ok(slug)
}

/// A TOML string literal, quoted and escaped by the toml crate.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if path.exists() {
        return Err(
            Diagnostic::new(Kind::Usage, format!("{} already exists", path.display())).help(
                "brief never overwrites a file; choose another title or remove the file first",
            ),
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Diagnostic::io("write", path, &e))
}
