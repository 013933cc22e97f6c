//! `brief init` and `brief new`: files a user starts from. Never overwrites an existing file,
//! and `new` only writes inside an existing site (a folder with config.toml).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::CONFIG_FILE;
use crate::error::{Diagnostic, Kind};
use crate::theme::all_files;

/// A minimal site: config, one brief, one author, an About page.
static STARTER_SITE: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// What `templates/README.md` of a new site says.
const TEMPLATES_README_TEXT: &str = "\
# Template overrides

This site uses the default theme built into brief. To change one template, copy it from brief's
`themes/default/templates/` (see docs/theming.md) into this folder under the same name, e.g.
`partials/byline.html` or `fragments/sidenote.html`, and edit it: it replaces the theme's, and
every other template stays the theme's. brief does not read this README as a template.
";

/// Longest slug `new` makes from a title: file names stay well under the 255-byte limit of
/// most file systems, and addresses stay readable.
const MAX_SLUG: usize = 80;

/// The id `new brief` writes when it cannot tell which author to name.
pub const AUTHOR_PLACEHOLDER: &str = "author-id";

/// Creates a new site in `dir`; `dir` must not exist or hold nothing but a `.git` folder (a
/// freshly cloned or `git init`ed repository). The theme is not copied: `theme = "default"`
/// uses the one built into the binary, so the site gets its fixes with each release, and an
/// empty `templates/` (with a README) is where the site overrides single templates.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let holds_files = |dir: &Path| {
        std::fs::read_dir(dir).map_or(true, |entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name() != ".git")
        })
    };
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("{} is a file, not a folder", dir.display()),
        )
        .help("name a new folder for the site, e.g. brief init my-site"));
    }
    if dir.exists() && holds_files(dir) {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("{} already exists and is not empty", dir.display()),
        )
        .help("choose a new folder name, e.g. brief init my-site"));
    }
    for file in all_files(&STARTER_SITE) {
        write_new(&dir.join(file.path()), file.contents())?;
    }
    write_new(
        &dir.join(crate::theme::TEMPLATES_README),
        TEMPLATES_README_TEXT.as_bytes(),
    )?;
    Ok(())
}

/// What `brief new brief` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewBrief {
    pub title: String,
    /// The author id to name; default: the site's only author, else a placeholder.
    pub author: Option<String>,
    /// Write `content/briefs/<slug>/index.md`, a folder for the brief's images and files.
    pub bundle: bool,
}

/// A created brief: its file, and what the user still has to fill in.
#[derive(Debug, Clone)]
pub struct NewBriefFile {
    pub path: PathBuf,
    /// Set when the author could not be chosen: says which ids the site has.
    pub author_note: Option<String>,
}

/// Creates `content/briefs/<slug>.md` (or `<slug>/index.md`) dated today with every
/// front-matter key, most commented out.
pub fn new_brief(root: &Path, request: &NewBrief) -> Result<NewBriefFile, Diagnostic> {
    require_site(root)?;
    let title = request.title.as_str();
    let slug = slug_of(title)?;
    let known = author_ids(root);
    let (author, author_note) = match (&request.author, known.as_slice()) {
        (Some(id), _) if known.contains(id) => (id.clone(), None),
        (Some(id), _) => return Err(unknown_author(id, &known)),
        (None, [only]) => (only.clone(), None),
        (None, []) => (
            AUTHOR_PLACEHOLDER.to_string(),
            Some("the site has no authors yet: add one with `brief new author \"Name\"`, then put its id in `authors`".to_string()),
        ),
        (None, several) => (
            AUTHOR_PLACEHOLDER.to_string(),
            Some(format!(
                "replace `{AUTHOR_PLACEHOLDER}` in `authors` with one or more of: {} (or pass --author ID)",
                several.join(", ")
            )),
        ),
    };
    let today = jiff::ZonedDateTime::now().date();
    let text = format!(
        r#"+++
title = {title}
# subtitle = "The dek under the title"
date = {today}
# updated = {today}
authors = [{author}]  # file names in content/authors/, without .md
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
# aliases = ["/2023/09/15/old-address/"]   # old addresses of this brief; each redirects here
# bibliography = "sources.bib"  # works to cite, besides config.toml's and a bundle's references.bib
# nocite = ["key"]              # listed in the references without a citation; ["*"] for all

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

A note of your own goes here.[^1]

<!-- Cite a work of the bibliography (config.toml's `bibliography`) by its key: [@key],
[@key, p. 33], [see @a, chap. 2; @b], [-@key] without the author, or in the sentence:
@key argues. The style makes notes or (Author Year) of them and lists the works at the end. -->

[^1]: A note of the brief's own.
"#,
        title = toml_string(title),
        author = toml_string(&author),
    );
    let briefs = root.join("content/briefs");
    let (file, folder) = (briefs.join(format!("{slug}.md")), briefs.join(&slug));
    // Either form would take the slug: a second one is a duplicate-slug error at build.
    for taken in [&file, &folder.join("index.md")] {
        if taken.exists() {
            return Err(already_exists(taken));
        }
    }
    let path = match request.bundle {
        true => folder.join("index.md"),
        false => file,
    };
    write_new(&path, text.as_bytes())?;
    Ok(NewBriefFile { path, author_note })
}

/// `new` adds to a site; without config.toml the folder is not one (a typo in --root, or
/// the wrong folder), and writing content/ there would only scatter files.
fn require_site(root: &Path) -> Result<(), Diagnostic> {
    if root.join(CONFIG_FILE).is_file() {
        return Ok(());
    }
    Err(Diagnostic::new(
        Kind::Config,
        format!(
            "no {CONFIG_FILE} found in {}, so it is not a site; nothing was created",
            root.display()
        ),
    )
    .help("run brief new in the site's folder, pass --root DIR, or create a site first with `brief init DIR`"))
}

/// The ids of the site's authors (file names in content/authors/), sorted.
fn author_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("content/authors"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    ids.sort();
    ids
}

fn unknown_author(id: &str, known: &[String]) -> Diagnostic {
    let mut help = String::new();
    if let Some(close) = crate::error::did_you_mean(id, known.iter().map(String::as_str)) {
        help.push_str(&format!("did you mean `{close}`? "));
    }
    help.push_str(&match known.is_empty() {
        true => "the site has no authors yet; add one with `brief new author \"Name\"`".into(),
        false => format!("known author ids: {}", known.join(", ")),
    });
    Diagnostic::new(Kind::Usage, format!("--author: unknown author `{id}`")).help(help)
}

/// Creates `content/authors/<id>.md` with every front-matter key.
pub fn new_author(root: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    require_site(root)?;
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
    require_site(root)?;
    let slug = slug_of(title)?;
    // Refused here rather than by the next build, which would fail on the new file.
    if let Some(what) = crate::outputs::routes::reserved_page_slug(&slug) {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("a page titled \"{title}\" would be published at /{slug}/, {what}"),
        )
        .help("choose another title for the page (its file name and address come from it)"));
    }
    // The menu lists a few pages beside brief's own entries: "Buscar" twice in a Spanish site.
    let menu = crate::import::own_menu_entries(root, 1);
    if let Some(entry) = crate::import::menu_entry_named(title, &menu) {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!(
                "a page titled \"{title}\" would be a second \"{}\" in the menu, beside the entry for {}",
                entry.name, entry.leads_to
            ),
        )
        .help("choose another title for the page (its file name and address come from it)"));
    }
    let text = format!(
        "+++\ntitle = {}\n# summary = \"\"\n# draft = true\n+++\n\nThe page's text.\n",
        toml_string(title)
    );
    let path = root.join("content/pages").join(format!("{slug}.md"));
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// The file name for a title: its slug, cut at a word boundary to [`MAX_SLUG`] characters.
fn slug_of(title: &str) -> Result<String, Diagnostic> {
    // The build refuses a control character in the file: refused here, before it is written.
    if let Some(c) = title.chars().find(|c| c.is_control()) {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!(
                "\"{}\" holds the invisible control character U+{:04X}",
                title.escape_debug(),
                c as u32
            ),
        )
        .help("type the title again without it (it often comes from pasting)"));
    }
    let slug = shorten(&slug::slugify(title), MAX_SLUG).to_string();
    if slug.is_empty() {
        return Err(Diagnostic::new(
            Kind::Usage,
            format!("cannot make a file name from \"{title}\""),
        )
        .help("use a title with letters or digits"));
    }
    Ok(slug)
}

/// `slug` cut to at most `max` bytes at a `-` (a word boundary), or at `max` for one long word.
fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    // Slugs are ASCII, so any byte index is a character boundary.
    match slug[..=max].rfind('-') {
        Some(0) | None => &slug[..max],
        Some(cut) => &slug[..cut],
    }
}

/// Why `write_new` refuses `path`.
fn already_exists(path: &Path) -> Diagnostic {
    Diagnostic::new(Kind::Usage, format!("{} already exists", path.display()))
        .help("brief never overwrites a file; choose another title or remove the file first")
}

/// A TOML string literal, quoted and escaped by the toml crate.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if path.exists() {
        return Err(already_exists(path));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Diagnostic::io("write", path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_slugs_are_cut_at_a_word_boundary() {
        let title = "word ".repeat(60);
        let slug = slug_of(&title).unwrap();
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert!(slug.ends_with("word") && !slug.ends_with('-'), "{slug}");
        assert_eq!(shorten("short-slug", MAX_SLUG), "short-slug");
        assert_eq!(shorten(&"x".repeat(100), MAX_SLUG).len(), MAX_SLUG);
    }
}
