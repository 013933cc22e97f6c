//! `brief import html FILE...`: a saved article page (`.html`) or the text copied from one
//! (`.txt`) becomes one brief.
//!
//! HTML is converted with htmd, leaving out the page's chrome (`nav`, `header`, `footer`,
//! `aside`, forms, buttons); then both kinds are read as blocks of text: the title (the first
//! block, or the page's `<h1>`/`<title>`), a byline (`By Name`), a photo caption repeated by
//! the copy (kept once, the credit split off), the author's bio at the end (`Name is ...`,
//! moved into the author's file), and everything from a comment form's heading on ("Leave a
//! reply", "Deja una respuesta": the phrases `brief check` flags) dropped.

use std::path::{Path, PathBuf};

use htmd::HtmlToMarkdown;

use super::frontmatter::{Front, document};
use super::{Plan, input_error};
use crate::check::document::BOILERPLATE;
use crate::error::Diagnostic;

/// An article read out of a page or its text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    pub byline: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// (author name, bio paragraph).
    pub bio: Option<(String, String)>,
    /// Body blocks (Markdown paragraphs, headings, images), in order.
    pub blocks: Vec<String>,
    /// How many blocks of chrome or boilerplate were left out.
    pub dropped: usize,
}

/// Reads an article from plain text or Markdown: blocks separated by blank lines.
pub fn from_text(text: &str) -> Article {
    let mut blocks: Vec<String> = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    let mut article = Article::default();
    if let Some(at) = blocks.iter().position(|b| is_boilerplate(b)) {
        article.dropped = blocks.len() - at;
        blocks.truncate(at);
    }
    if !blocks.is_empty() && !blocks[0].contains('\n') {
        article.title = blocks.remove(0).trim_start_matches("# ").to_string();
    }
    if let Some(at) = blocks.iter().position(|b| byline(b).is_some()) {
        article.byline = byline(&blocks[at]);
        blocks.remove(at);
    }
    if let Some(at) = blocks.iter().position(|b| repeated_line(b).is_some()) {
        let caption = repeated_line(&blocks[at]).unwrap_or_default();
        let (caption, credit) = split_credit(&caption);
        article.caption = Some(caption);
        article.credit = credit;
        blocks.remove(at);
    }
    if let Some(last) = blocks.last()
        && let Some(name) = bio_name(last)
    {
        article.bio = Some((name, blocks.pop().unwrap_or_default()));
    }
    article.blocks = blocks;
    article
}

/// Reads an article from a saved HTML page, without its navigation and other chrome.
pub fn from_html(html: &str) -> Article {
    let converter = HtmlToMarkdown::builder()
        .skip_tags(vec![
            "head", "nav", "header", "footer", "aside", "form", "button", "script", "style",
            "noscript", "iframe", "svg",
        ])
        .build();
    let markdown = converter.convert(html).unwrap_or_default();
    let mut article = from_text(&markdown);
    if article.title.is_empty() || article.title.starts_with('!') {
        article.title = page_title(html).unwrap_or_default();
    }
    article
}

fn page_title(html: &str) -> Option<String> {
    let start = html.find("<title")?;
    let open_end = start + html[start..].find('>')? + 1;
    let end = open_end + html[open_end..].find("</title>")?;
    let title = super::html_md::decode_entities(html[open_end..end].trim());
    // "Article title | Site name": the site's name is chrome.
    Some(
        title
            .split(" | ")
            .next()
            .unwrap_or(&title)
            .trim()
            .to_string(),
    )
}

fn is_boilerplate(block: &str) -> bool {
    // A heading ("### Deja una respuesta") counts as well as a line.
    let lower = block.trim_start_matches(['#', ' ']).to_lowercase();
    BOILERPLATE
        .iter()
        .any(|phrase| lower.starts_with(&phrase.to_lowercase()))
}

/// `By Jane Doe` (or `By Jane Doe and Li Wei`) on its own.
fn byline(block: &str) -> Option<String> {
    let name = block.strip_prefix("By ")?;
    (!block.contains('\n') && name.split_whitespace().count() <= 8).then(|| name.to_string())
}

/// A block that is one line written twice or more: the caption of a photo, copied both
/// from the image's text alternative and from its caption.
fn repeated_line(block: &str) -> Option<String> {
    let lines: Vec<&str> = block.lines().map(str::trim).collect();
    (lines.len() >= 2 && lines.iter().all(|l| *l == lines[0])).then(|| lines[0].to_string())
}

/// "…on Sept. 13. Mikhail Metzel/Pool/AFP via Getty Images" -> caption and credit: the
/// credit is the last sentence-less run naming a photographer or agency.
pub fn split_credit(caption: &str) -> (String, Option<String>) {
    const MARKS: &[&str] = &[
        "/",
        " via ",
        "Getty",
        "Reuters",
        "AFP",
        "Photo",
        "Images",
        "AP",
        "EPA",
        "Bloomberg",
    ];
    for (i, _) in caption
        .match_indices(". ")
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        // "J. Doe/AP": the full stop of an initial does not end the caption.
        let word = caption[..i].rsplit(' ').next().unwrap_or("");
        if word.len() == 1 && word.chars().all(char::is_uppercase) {
            continue;
        }
        let credit = caption[i + 2..].trim();
        let looks_like_credit = !credit.ends_with('.')
            && credit.len() < 100
            && MARKS.iter().any(|m| credit.contains(m));
        if looks_like_credit {
            return (caption[..=i].trim().to_string(), Some(credit.to_string()));
        }
    }
    (caption.to_string(), None)
}

/// "Ankit Panda is the Stanton senior fellow…": the name before " is ", two to four
/// capitalised words.
fn bio_name(block: &str) -> Option<String> {
    let (name, _) = block.split_once(" is ")?;
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ((2..=4).contains(&words.len()) && capitalised && !block.contains('\n'))
        .then(|| name.to_string())
}

/// Imports each file as one brief.
pub fn plan(files: &[PathBuf], root: &Path) -> Result<Plan, Diagnostic> {
    let mut plan = Plan::default();
    plan.report.source = format!("{} saved page(s)", files.len());
    let today = jiff::ZonedDateTime::now().date();
    let mut slugs = std::collections::BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| {
            input_error(
                format!("{}: could not read the file: {e}", file.display()),
                "give saved pages (.html) or text copied from them (.txt)",
            )
        })?;
        let is_html = file.extension().is_some_and(|e| e == "html" || e == "htm");
        let article = match is_html {
            true => from_html(&text),
            false => from_text(&text),
        };
        add_article(&mut plan, &article, file, today, root, &mut slugs);
    }
    Ok(plan)
}

fn add_article(
    plan: &mut Plan,
    article: &Article,
    file: &Path,
    today: jiff::civil::Date,
    root: &Path,
    slugs: &mut std::collections::BTreeSet<String>,
) {
    let source = file.display().to_string();
    if article.title.is_empty() || article.blocks.is_empty() {
        plan.report
            .skipped
            .push((source, "no title or no text found".into()));
        return;
    }
    let slug = super::unique(&slug::slugify(&article.title), slugs);
    let path = format!("content/briefs/{slug}.md");
    let mut notes = vec![format!(
        "no date in the page; dated {today}, set the real date"
    )];
    let name = article
        .bio
        .as_ref()
        .map(|(name, _)| name.clone())
        .or_else(|| article.byline.clone())
        .unwrap_or_else(|| {
            notes.push("no author found; credited to \"Staff\"".into());
            "Staff".into()
        });
    let id = slug::slugify(&name);
    let mut front = Front::default();
    front.set("title", article.title.clone());
    front.set_date("date", today);
    front.set_list("authors", std::slice::from_ref(&id));
    front.hero("caption", article.caption.as_deref());
    front.hero("credit", article.credit.as_deref());
    if article.dropped > 0 {
        notes.push(format!(
            "left out {} block(s) of comment form or boilerplate at the end",
            article.dropped
        ));
    }
    for note in notes {
        plan.report.unconverted.push((path.clone(), note));
    }
    let author_path = format!("content/authors/{id}.md");
    if !root.join(&author_path).exists() {
        let mut author = Front::default();
        author.set("name", name);
        let bio = article.bio.as_ref().map_or("", |(_, bio)| bio.as_str());
        plan.report.authors.push(author_path.clone());
        plan.text(author_path, document(&author, bio));
    }
    plan.report.briefs.push(path.clone());
    plan.text(path, document(&front, &article.blocks.join("\n\n")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_credit_off_a_caption() {
        let (caption, credit) = split_credit(
            "Putin shakes hands with Kim in Russia's Amur region on Sept. 13. Mikhail Metzel/Pool/AFP via Getty Images",
        );
        assert_eq!(
            caption,
            "Putin shakes hands with Kim in Russia's Amur region on Sept. 13."
        );
        assert_eq!(
            credit.as_deref(),
            Some("Mikhail Metzel/Pool/AFP via Getty Images")
        );
        assert_eq!(split_credit("A plain caption.").1, None);
    }

    #[test]
    fn reads_title_caption_bio_and_drops_the_comment_form() {
        let text = "The Title\n\nA cap. J. Doe/AP\nA cap. J. Doe/AP\n\nFirst.\n\nSecond.\n\nJane Doe is a fellow.\n\nLeave a reply\n\nName *";
        let article = from_text(text);
        assert_eq!(article.title, "The Title");
        assert_eq!(article.caption.as_deref(), Some("A cap."));
        assert_eq!(article.credit.as_deref(), Some("J. Doe/AP"));
        assert_eq!(article.blocks, ["First.", "Second."]);
        assert_eq!(
            article.bio,
            Some(("Jane Doe".into(), "Jane Doe is a fellow.".into()))
        );
        assert_eq!(article.dropped, 2);
    }

    #[test]
    fn html_pages_lose_their_chrome() {
        let html = "<html><head><title>T | Site</title></head><body><nav><a href='/'>Home</a></nav><article><h1>The Title</h1><p>First.</p><p>Second.</p></article><footer>© Site</footer></body></html>";
        let article = from_html(html);
        assert_eq!(article.title, "The Title");
        assert_eq!(article.blocks, ["First.", "Second."]);
    }
}
