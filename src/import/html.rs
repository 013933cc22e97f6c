//! `brief import html FILE...`: a saved article page (`.html`) or the text copied from one
//! (`.txt`) becomes one brief.
//!
//! A page goes through [`readable::extract`] (Mozilla's Readability algorithm), which finds
//! the article among the site's chrome and reads the page's metadata: title, byline, excerpt
//! (the `summary`), publication date, lead image (the hero) and language. The article's HTML is
//! converted to Markdown, then read as blocks of text like a `.txt` copy, which fills what the
//! metadata lacks: the title (the first block, or the page's `<h1>`/`<title>`), a byline
//! (`By Name`), a photo caption repeated by the copy (kept once, the credit split off), the
//! author's bio at the end (`Name is ...`, moved into the author's file), and everything from
//! a comment form's heading on ("Leave a reply", "Deja una respuesta": the phrases `brief
//! check` flags) dropped. A page in which the extractor finds no article is read whole, without
//! its `nav`, `header`, `footer`, `aside`, forms and buttons.

use std::path::{Path, PathBuf};

use htmd::HtmlToMarkdown;

use super::frontmatter::{Front, document};
use super::readable::{self, Extracted};
use super::{Plan, input_error};
use crate::check::document::BOILERPLATE;
use crate::error::Diagnostic;

/// An article read out of a page or its text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    /// The dek: the line under the title that the page also gives as its description.
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub summary: Option<String>,
    pub date: Option<jiff::civil::Date>,
    /// The page's language when it names one ("es").
    pub lang: Option<String>,
    /// The lead image's address and text alternative.
    pub image: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// (author name, bio paragraph).
    pub bio: Option<(String, String)>,
    /// Body blocks (Markdown paragraphs, headings, images), in order.
    pub blocks: Vec<String>,
    /// How many blocks of chrome or boilerplate were left out.
    pub dropped: usize,
    /// What else a person should review, for the report (chrome left out, raw HTML kept).
    pub notes: Vec<String>,
}

/// Reads an article from plain text or Markdown: blocks separated by blank lines.
pub fn from_text(text: &str) -> Article {
    let mut blocks = split_blocks(text);
    let mut title = String::new();
    if !blocks.is_empty() && !blocks[0].contains('\n') {
        title = blocks.remove(0).trim_start_matches("# ").to_string();
    }
    let mut article = read_body(blocks);
    article.title = title;
    keep_bio_of_others(&mut article);
    article
}

fn split_blocks(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect()
}

/// Reads the blocks after the title: the comment form and what follows it, a byline, a
/// repeated caption and a closing bio are taken out of the body.
fn read_body(mut blocks: Vec<String>) -> Article {
    let mut article = Article::default();
    if let Some(at) = blocks.iter().position(|b| is_boilerplate(b)) {
        article.dropped = blocks.len() - at;
        blocks.truncate(at);
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

/// Puts a closing `Name is ...` paragraph back into the body when the byline names other
/// people: it is then about someone else, not the author's bio.
fn keep_bio_of_others(article: &mut Article) {
    let names = article
        .byline
        .as_deref()
        .map(split_names)
        .unwrap_or_default();
    if let Some((name, _)) = &article.bio
        && !names.is_empty()
        && !names.contains(name)
        && let Some((_, bio)) = article.bio.take()
    {
        article.blocks.push(bio);
    }
}

/// Reads an article from a saved HTML page: the extractor's article with its metadata, or,
/// when it finds none, the whole page without its tagged chrome.
pub fn from_html(html: &str) -> Article {
    match readable::extract(html) {
        Some(found) => from_extracted(html, found),
        None => from_tags(html),
    }
}

/// The article the extractor found, its metadata filled in from the text where missing.
fn from_extracted(page: &str, found: Extracted) -> Article {
    let (content, furniture) = readable::without_chrome(&found.content);
    let (content, notes) = super::page_notes::take(&content).unwrap_or((content, Vec::new()));
    let converted = super::html_md::convert(&content);
    let mut blocks = split_blocks(&super::page_notes::references(
        &converted.markdown,
        notes.len(),
    ));
    let heading_title = take_title_heading(&mut blocks, found.title.as_deref());
    let lead = take_lead_figure(&mut blocks, found.image.as_deref(), 4);
    let subtitle = take_dek(&mut blocks, found.excerpt.as_deref());
    let mut article = read_body(blocks);
    article.title = match (found.title.clone(), heading_title) {
        // "Title | Site": the article's own heading has the title without the site's name.
        (Some(title), Some(heading)) if title.starts_with(&heading) || names_site(&title) => {
            heading
        }
        (title, heading) => title
            .or(heading)
            .or_else(|| page_title(page))
            .unwrap_or_default(),
    };
    article.subtitle = subtitle;
    article.summary = found.excerpt.clone();
    article.date = found.date;
    article.lang = found.lang.clone();
    if found.byline.is_some() {
        article.byline = found.byline.clone();
    }
    // The extractor may leave the lead photo, the dateline and the author's bio box outside
    // the article; the whole page still has them.
    let page_blocks = split_blocks(&super::html_md::convert(page).markdown);
    let lead = lead.or_else(|| {
        let mut blocks = page_blocks.clone();
        let within = blocks.len();
        take_lead_figure(&mut blocks, Some(found.image.as_deref()?), within)
    });
    set_hero(&mut article, lead, &found);
    fill_from_page(&mut article, &page_blocks);
    let (page_words, kept) = (words(page), words(&content));
    if page_words > kept {
        let inside = match furniture {
            0 => String::new(),
            n => format!(", {n} block(s) of them inside it"),
        };
        article.notes.push(format!(
            "left out {} of the page's {page_words} words around the article (menus, banners, share and sign-up boxes, related links, comments){inside}; check that none of the article is missing",
            page_words - kept
        ));
    }
    article.notes.extend(converted.notes);
    article
        .notes
        .extend(super::page_notes::unpaired(&converted.markdown));
    keep_bio_of_others(&mut article);
    if !notes.is_empty() {
        article.notes.push(super::page_notes::report(notes.len()));
        article.notes.extend(super::page_notes::missing(&notes));
        article.blocks.push(
            super::page_notes::definitions(&notes)
                .trim_end()
                .to_string(),
        );
    }
    absolute_links(&mut article, found.address.as_ref());
    article
}

/// The hero: the lead figure with its alt text, caption and credit, else the page's lead
/// image alone. Only a photo on the web can be the hero: a relative address in a saved page
/// points nowhere in the site, so it is made absolute from the page's address first.
fn set_hero(article: &mut Article, lead: Option<Figure>, found: &Extracted) {
    let lead = lead
        .map(|mut figure| {
            figure.image = absolute(&figure.image, found.address.as_ref()).unwrap_or(figure.image);
            figure
        })
        .filter(|figure| readable::is_web_address(&figure.image));
    let Some(figure) = lead else {
        article.image = found.image.clone();
        return;
    };
    article.image = Some(figure.image);
    article.alt = figure.alt;
    let (caption, credit) = split_credit(figure.caption.as_deref().unwrap_or(""));
    article.caption = Some(caption)
        .filter(|c| !c.is_empty())
        .or(article.caption.take());
    article.credit = credit.or(article.credit.take());
}

/// A byline from a dateline ("Posted ... by Name") and an author's bio found anywhere on the
/// page, when the article lacks them.
fn fill_from_page(article: &mut Article, page_blocks: &[String]) {
    if article.byline.is_none() {
        article.byline = page_blocks.iter().find_map(|b| dateline_author(b));
    }
    if article.bio.is_none() {
        let names = article
            .byline
            .as_deref()
            .map(split_names)
            .unwrap_or_default();
        article.bio = page_blocks.iter().find_map(|block| {
            bio_name(block)
                .filter(|n| names.contains(n))
                .map(|n| (n, block.clone()))
        });
    }
}

/// Makes the body's links and images that are relative to the original site absolute, from
/// the page's own address: in this site they would point nowhere. Without an address, the
/// report lists them.
fn absolute_links(article: &mut Article, address: Option<&url::Url>) {
    let mut unresolved = 0;
    for block in &mut article.blocks {
        *block = super::rewrite_links(block, &mut |dest, _| {
            if dest.starts_with('#') || dest.contains(':') && !dest.starts_with("//") {
                return None;
            }
            let resolved = absolute(dest, address);
            unresolved += usize::from(resolved.is_none());
            resolved
        });
    }
    if unresolved > 0 {
        article.notes.push(format!(
            "{unresolved} link(s) or image(s) relative to the original site, and the page does not give its address (canonical link): make them absolute"
        ));
    }
}

/// `dest` made absolute against `address`; `None` without an address.
fn absolute(dest: &str, address: Option<&url::Url>) -> Option<String> {
    address?.join(dest).ok().map(String::from)
}

/// Reads a page the extractor found no article in: the whole page without the elements that
/// are chrome by their tag.
fn from_tags(html: &str) -> Article {
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
    // A page without an article (an error page, a listing) still has a line or two of text.
    let text_words: usize = article
        .blocks
        .iter()
        .map(|b| plain_markdown(b).split_whitespace().count())
        .sum();
    if text_words < MIN_WORDS {
        article.blocks.clear();
    }
    if !article.blocks.is_empty() {
        article.notes.push(
            "no article found by the extractor: the whole page was read, without its nav, header, footer and aside; check it for left-over chrome".into(),
        );
    }
    article
}

/// Fewer words than this, outside links, is not an article.
const MIN_WORDS: usize = 30;

/// A block's text without its links' text and destinations and without image lines.
fn plain_markdown(block: &str) -> String {
    let mut out = String::new();
    let mut rest = block;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after
            .find("](")
            .and_then(|mid| Some(mid + after[mid..].find(')')? + 1))
        {
            Some(end) => rest = &after[end..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("![", "")
}

/// "Posted 5 March 2024 by Farah Siddiqui": the name after a closing "by" in a short line
/// of the page (a dateline the extractor left out).
fn dateline_author(block: &str) -> Option<String> {
    if block.contains('\n') || block.split_whitespace().count() > 12 {
        return None;
    }
    let (_, name) = block.rsplit_once(" by ")?;
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ((2..=4).contains(&words.len()) && capitalised).then(|| words.join(" "))
}

/// "Title | Site", "Site :: Title": a page title that carries the site's name.
fn names_site(title: &str) -> bool {
    [" | ", " - ", " – ", " — ", " :: ", " » "]
        .iter()
        .any(|separator| title.contains(separator))
}

/// Removes the article's own title heading from the first blocks and returns its text: a
/// heading of any level that repeats `title`, else the first `# ` heading.
fn take_title_heading(blocks: &mut Vec<String>, title: Option<&str>) -> Option<String> {
    let text = |b: &str| b.trim_start_matches('#').trim().to_string();
    let repeats = |b: &String| {
        b.starts_with('#') && title.is_some_and(|t| text(b).eq_ignore_ascii_case(t.trim()))
    };
    let at = match blocks.iter().take(3).position(repeats) {
        Some(at) => at,
        None => blocks.iter().take(3).position(|b| b.starts_with("# "))?,
    };
    Some(text(&blocks.remove(at)))
}

/// The lead photo: an image among the first blocks (the page's lead image, or the first image
/// when the page names none), with the italic caption line under it.
struct Figure {
    image: String,
    alt: Option<String>,
    caption: Option<String>,
}

/// Takes the lead figure out of the first `within` blocks.
fn take_lead_figure(blocks: &mut Vec<String>, lead: Option<&str>, within: usize) -> Option<Figure> {
    let at = blocks.iter().take(within).position(|b| {
        image_block(b).is_some_and(|(_, src)| lead.is_none_or(|lead| same_image(&src, lead)))
    })?;
    let (alt, image) = image_block(&blocks[at])?;
    blocks.remove(at);
    let caption = blocks
        .get(at)
        .and_then(|b| italic_line(b))
        .map(|c| c.to_string());
    if caption.is_some() {
        blocks.remove(at);
    }
    Some(Figure {
        image,
        alt: Some(alt).filter(|a| !a.is_empty()),
        caption,
    })
}

/// `![alt](src)` alone in a block -> (alt, src).
fn image_block(block: &str) -> Option<(String, String)> {
    let rest = block.strip_prefix("![")?;
    let (alt, rest) = rest.split_once("](")?;
    let src = rest.strip_suffix(')')?;
    let src = src.trim_start_matches('<').trim_end_matches('>');
    // `![a](x.jpg)](/link)` is an image inside a link, not an image alone.
    if src.contains([')', '(', '[', ']']) {
        return None;
    }
    (!block.contains('\n') && !src.contains(' ')).then(|| (alt.replace('\\', ""), src.to_string()))
}

/// The same image, perhaps at another size (`photo-1024x576.jpg` for `photo.jpg`).
fn same_image(src: &str, lead: &str) -> bool {
    let stem = |s: &str| {
        let name = s.rsplit('/').next().unwrap_or(s);
        let name = name.split(['?', '#']).next().unwrap_or(name);
        name.rsplit_once('.')
            .map_or(name, |(stem, _)| stem)
            .to_string()
    };
    src == lead || stem(lead).starts_with(&stem(src)) || stem(src).starts_with(&stem(lead))
}

/// `*text*` -> `text` (the caption line the converter writes under a figure's image).
fn italic_line(block: &str) -> Option<&str> {
    let inner = block.strip_prefix('*')?.strip_suffix('*')?;
    (!block.contains('\n') && !inner.starts_with('*')).then_some(inner.trim())
}

/// Removes the first block when it is the page's description (the dek under the title).
fn take_dek(blocks: &mut Vec<String>, excerpt: Option<&str>) -> Option<String> {
    let excerpt = excerpt?;
    let at = blocks
        .iter()
        .take(2)
        .position(|b| super::html_md::plain_text(b) == excerpt)?;
    Some(blocks.remove(at))
}

/// How many words the text of some HTML has, without scripts and styles.
fn words(html: &str) -> usize {
    fn count(node: &htmd::Node) -> usize {
        use markup5ever_rcdom::NodeData;
        match &node.data {
            NodeData::Text { contents } => contents.borrow().split_whitespace().count(),
            NodeData::Element { name, .. }
                if matches!(
                    &*name.local,
                    "head" | "script" | "style" | "noscript" | "template"
                ) =>
            {
                0
            }
            _ => node.children.borrow().iter().map(|c| count(c)).sum(),
        }
    }
    HtmlToMarkdown::new()
        .html_to_tree(html)
        .map_or(0, |tree| count(&tree))
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

/// Imports each file as one brief. A file without an article is listed in the report and
/// the others go on; when no file has one, nothing is written and the import fails.
pub fn plan(files: &[PathBuf], root: &Path) -> Result<Plan, Diagnostic> {
    let mut plan = Plan::default();
    plan.report.source = format!("{} saved page(s)", files.len());
    let today = jiff::ZonedDateTime::now().date();
    let language = site_language(root);
    let mut slugs = std::collections::BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| {
            input_error(
                format!("{}: could not read the file: {e}", file.display()),
                "give saved pages (.html) or text copied from them (.txt)",
            )
        })?;
        let is_html = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let mut article = match is_html {
            true => from_html(&text),
            false => from_text(&text),
        };
        if article.lang.as_deref() == Some(language.as_str()) {
            article.lang = None;
        }
        let context = Context { file, today, root };
        add_article(&mut plan, &article, &context, &mut slugs);
    }
    if plan.report.briefs.is_empty() {
        let why: Vec<String> = plan
            .report
            .skipped
            .iter()
            .map(|(file, why)| format!("{file}: {why}"))
            .collect();
        return Err(input_error(
            format!("nothing imported:\n  {}", why.join("\n  ")),
            "give the page of the article itself, saved after it loaded (File -> Save Page As, \"Web Page, complete\" or \"HTML only\"), or copy the article's text into a .txt file",
        ));
    }
    Ok(plan)
}

/// The site's `language` (config.toml), to leave out a brief's `lang` when it is the same.
fn site_language(root: &Path) -> String {
    std::fs::read_to_string(root.join("config.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|config| config.get("language")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "en".into())
}

/// Where an article comes from, and the date to give it when its page has none.
struct Context<'a> {
    file: &'a Path,
    today: jiff::civil::Date,
    root: &'a Path,
}

fn add_article(
    plan: &mut Plan,
    article: &Article,
    context: &Context,
    slugs: &mut std::collections::BTreeSet<String>,
) {
    let source = context.file.display().to_string();
    if article.title.is_empty() || article.blocks.is_empty() {
        plan.report.skipped.push((
            source,
            "no article found: no title, or no text besides the page's menus, links and boilerplate"
                .into(),
        ));
        return;
    }
    let slug = super::unique(&slug::slugify(&article.title), slugs);
    let path = format!("content/briefs/{slug}.md");
    let mut notes = Vec::new();
    let names = author_names(article);
    if names.is_empty() {
        notes.push("no author found; credited to \"Staff\"".into());
    }
    let names = match names.is_empty() {
        true => vec!["Staff".to_string()],
        false => names,
    };
    let ids: Vec<String> = names.iter().map(slug::slugify).collect();
    let mut front = Front::default();
    front.set("title", article.title.clone());
    front.set_text("subtitle", article.subtitle.as_deref());
    let date = article.date.unwrap_or_else(|| {
        notes.push(format!(
            "no date in the page; dated {}, set the real date",
            context.today
        ));
        context.today
    });
    front.set_date("date", date);
    front.set_list("authors", &ids);
    front.set_text("summary", article.summary.as_deref());
    front.set_text("lang", article.lang.as_deref());
    front.hero("image", article.image.as_deref());
    front.hero("alt", article.alt.as_deref());
    front.hero("caption", article.caption.as_deref());
    front.hero("credit", article.credit.as_deref());
    if article.image.is_some() && article.alt.is_none() {
        notes.push("the hero image has no alt text: add alt under [hero]".into());
    }
    if article.dropped > 0 {
        notes.push(format!(
            "left out {} block(s) of comment form or boilerplate at the end",
            article.dropped
        ));
    }
    notes.extend(counted(&article.notes));
    for note in notes {
        plan.report.unconverted.push((path.clone(), note));
    }
    if let Some(image) = &article.image {
        plan.report
            .images_remote
            .push((path.clone(), image.clone()));
    }
    for (name, id) in names.iter().zip(&ids) {
        let author_path = format!("content/authors/{id}.md");
        if context.root.join(&author_path).exists() || plan.report.authors.contains(&author_path) {
            continue;
        }
        let mut author = Front::default();
        author.set("name", name.clone());
        let bio = match &article.bio {
            Some((bio_name, bio)) if bio_name == name => bio.as_str(),
            _ => "",
        };
        plan.report.authors.push(author_path.clone());
        plan.text(author_path, document(&author, bio));
    }
    plan.report.briefs.push(path.clone());
    plan.text(path, document(&front, &article.blocks.join("\n\n")));
}

/// Each note once, with how many times it was made ("kept an <svg> element as raw HTML (3
/// times)"), in the order first made.
fn counted(notes: &[String]) -> Vec<String> {
    let mut seen: Vec<(&String, usize)> = Vec::new();
    for note in notes {
        match seen.iter_mut().find(|(n, _)| *n == note) {
            Some((_, count)) => *count += 1,
            None => seen.push((note, 1)),
        }
    }
    seen.into_iter()
        .map(|(note, count)| match count {
            1 => note.clone(),
            n => format!("{note} ({n} times)"),
        })
        .collect()
}

/// The authors' names: from the byline ("Maria Chen and David Okafor", "A, B & C"), else
/// the name of the closing bio. A bio whose name is not in the byline stays in the body.
fn author_names(article: &Article) -> Vec<String> {
    let mut names: Vec<String> = article
        .byline
        .as_deref()
        .map(split_names)
        .unwrap_or_default();
    if let Some((name, _)) = &article.bio
        && names.is_empty()
    {
        names.push(name.clone());
    }
    names
}

fn split_names(byline: &str) -> Vec<String> {
    byline
        .replace(" and ", ",")
        .replace(" & ", ",")
        .replace(" y ", ",")
        .split([',', ';', '|'])
        .filter_map(person_name)
        .collect()
}

/// A name out of a byline's part: up to the first word with a digit ("Nathan Willis March
/// 25" -> "Nathan Willis", a date run into the byline); `None` when no name is left.
fn person_name(part: &str) -> Option<String> {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut words: Vec<&str> = part
        .split_whitespace()
        .take_while(|w| !w.contains(|c: char| c.is_ascii_digit()))
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| MONTHS.contains(w)) {
        words.pop();
    }
    (!words.is_empty() && words.len() <= 5).then(|| words.join(" "))
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
        let first = "Sanctions work best when allies apply them together. ".repeat(4);
        let second = "Trade between the two countries has grown every year since 2019. ".repeat(3);
        let html = format!(
            "<html><head><title>T | Site</title></head><body><nav><a href='/'>Home</a></nav><article><h1>The Title</h1><p>{first}</p><p>{second}</p></article><footer>© Site</footer></body></html>"
        );
        let article = from_html(&html);
        assert_eq!(article.title, "The Title");
        assert_eq!(article.blocks, [first.trim(), second.trim()]);
        // A line or two is a page without an article, not a short one.
        let article = from_html(
            "<html><body><nav><a href='/'>Home</a></nav><h1>Not found</h1><p>Sorry.</p></body></html>",
        );
        assert!(article.blocks.is_empty());
    }

    #[test]
    fn bylines_name_each_author() {
        assert_eq!(
            split_names("Maria Chen and David Okafor"),
            ["Maria Chen", "David Okafor"]
        );
        assert_eq!(split_names("A B, C D & E F"), ["A B", "C D", "E F"]);
        assert_eq!(
            split_names("Nathan Willis March 25, 2015"),
            ["Nathan Willis"]
        );
        assert_eq!(
            counted(&["a".into(), "b".into(), "a".into()]),
            ["a (2 times)", "b"]
        );
    }

    #[test]
    fn the_lead_figure_becomes_the_hero() {
        let mut blocks: Vec<String> = [
            "![Ships at anchor](https://x.org/up/port-1024x576.jpg)",
            "*Ships off Odesa. Photo: N. Lyashonok/Reuters*",
            "First.",
        ]
        .map(String::from)
        .to_vec();
        let figure = take_lead_figure(&mut blocks, Some("https://x.org/up/port.jpg"), 4).unwrap();
        assert_eq!(figure.image, "https://x.org/up/port-1024x576.jpg");
        assert_eq!(figure.alt.as_deref(), Some("Ships at anchor"));
        assert_eq!(
            figure.caption.as_deref(),
            Some("Ships off Odesa. Photo: N. Lyashonok/Reuters")
        );
        assert_eq!(blocks, ["First."]);
        // An image in the body that is not the page's lead image stays where it is.
        let mut blocks = vec!["![Chart](chart.png)".to_string(), "Text.".into()];
        assert!(take_lead_figure(&mut blocks, Some("https://x.org/port.jpg"), 4).is_none());
        assert_eq!(image_block("![a](x.jpg)](/news/x/)"), None);
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn a_closing_paragraph_about_someone_else_stays_in_the_body() {
        let mut article = from_text("T\n\nBy Ana Ruiz\n\nText.\n\nJohn Smith is a diplomat.");
        assert_eq!(article.bio, None);
        assert_eq!(article.blocks, ["Text.", "John Smith is a diplomat."]);
        article = from_text("T\n\nBy Ana Ruiz\n\nText.\n\nAna Ruiz is a fellow.");
        assert_eq!(
            article.bio.map(|(name, _)| name).as_deref(),
            Some("Ana Ruiz")
        );
    }
}
