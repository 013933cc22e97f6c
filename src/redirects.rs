//! Redirects from the old addresses of briefs and pages (their `aliases`) to the new ones:
//! a small HTML page at each alias, which any static host serves (a `refresh` to the new
//! address, a canonical link to it, `noindex`, and a visible link), and one `_redirects` file
//! in Netlify's and Cloudflare Pages' syntax, with which those hosts answer `301` instead.
//!
//! Only the briefs and pages the build publishes have their aliases written: a draft's are left
//! out with it. Redirect pages are files, not pages of the site: no sitemap lists them.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark_escape::escape_html;

use crate::content::aliases::output_path;
use crate::error::{Diagnostic, Kind, Location};
use crate::outputs::routes::reserved_for_alias;
use crate::site::Site;
use crate::urls::BaseUrl;

/// The file in the output folder that Netlify and Cloudflare Pages read redirects from.
pub use crate::outputs::routes::REDIRECTS as REDIRECTS_FILE;

/// One old address of a brief or page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias<'a> {
    /// As written in the front matter, `/2023/09/15/old-slug/`.
    pub alias: &'a str,
    /// Where its redirect page is written, `2023/09/15/old-slug/index.html`.
    pub output: String,
    /// The site path of the brief or page it leads to, `briefs/putin-kim/`.
    pub target: String,
    pub title: &'a str,
    /// The file that lists it, relative to the site root.
    pub source: &'a Path,
    /// The language of the page it leads to.
    pub lang: &'a str,
}

/// Every alias of the published briefs and pages, in the site's order.
pub fn aliases(site: &Site) -> Vec<Alias<'_>> {
    let language = site.config.language.as_str();
    let briefs = site.briefs.iter().flat_map(|b| {
        let lang = b.language(language);
        let target = b.site_path();
        b.front
            .aliases
            .iter()
            .map(move |a| (a, target.clone(), &b.front.title, b.source.as_path(), lang))
    });
    let pages = site.pages.iter().flat_map(|p| {
        let target = p.site_path();
        p.front.aliases.iter().map(move |a| {
            (
                a,
                target.clone(),
                &p.front.title,
                p.source.as_path(),
                language,
            )
        })
    });
    briefs
        .chain(pages)
        // Load has refused any alias without an output path.
        .filter_map(|(alias, target, title, source, lang)| {
            Some(Alias {
                alias,
                output: output_path(alias)?,
                target,
                title,
                source,
                lang,
            })
        })
        .collect()
}

/// The redirect page of one alias.
pub fn page(base: &BaseUrl, alias: &Alias) -> String {
    page_to(&base.url_of(&alias.target), alias.title, alias.lang)
}

/// A redirect page to `target` (an address, absolute or relative to the page), titled
/// `title`, in `lang`. Its script goes first and keeps the address's `#anchor` (a link into a
/// section of the renamed brief), which a refresh drops; the refresh is for browsers without
/// scripts.
pub fn page_to(target: &str, title: &str, lang: &str) -> String {
    let url = escaped(target);
    // A JSON string is a JavaScript string; `<` escaped, it cannot close the script.
    let script = serde_json::to_string(target)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let title = escaped(title);
    let lang = escaped(lang);
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"{lang}\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{url}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <script>location.replace({script} + location.hash)</script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n\
         </head>\n\
         <body>\n\
         <p><a href=\"{url}\">{title}</a></p>\n\
         </body>\n\
         </html>\n"
    )
}

/// `_redirects`: `/old/ /new/ 301` per alias, both under the base_url's path, sorted.
pub fn netlify(base: &BaseUrl, aliases: &[Alias]) -> String {
    let mut lines: Vec<String> = aliases
        .iter()
        .map(|a| {
            format!(
                "{} {} 301\n",
                base.path_of(a.alias),
                base.path_of(&a.target)
            )
        })
        .collect();
    lines.sort();
    lines.concat()
}

fn escaped(text: &str) -> String {
    let mut out = String::new();
    escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Aliases published where brief writes something else (`generated`: output path -> what
/// is there, naming its file), where brief reserves a path, or where another alias is: an
/// error each, naming both files.
pub fn collisions(
    aliases: &[Alias],
    generated: &BTreeMap<String, String>,
    root: &Path,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut taken: BTreeMap<&str, &Alias> = BTreeMap::new();
    for alias in aliases {
        let clash = match (
            reserved_for_alias(&alias.output),
            taken.get(alias.output.as_str()),
        ) {
            (Some(what), _) => Some(format!("is reserved for {what}")),
            (None, Some(first)) if first.alias == alias.alias => {
                Some(format!("is also an alias of {}", first.source.display()))
            }
            (None, Some(first)) => Some(format!(
                "is published at the same file as alias `{}` of {}",
                first.alias,
                first.source.display()
            )),
            (None, None) => in_the_way(&alias.output, generated),
        };
        match clash {
            Some(clash) => errors.push(
                Diagnostic::new(
                    Kind::DuplicateSlug,
                    format!("alias `{}` {clash}", alias.alias),
                )
                .at(location(root, alias))
                .help("remove the alias from the front matter: an old address cannot lead to this page while something else is published there"),
            ),
            None => {
                taken.insert(&alias.output, alias);
            }
        }
    }
    errors
}

/// Where an alias is written: the line of its source file that holds it in quotes (a brief
/// keeps its aliases, not their lines; a clash is rare enough to read the file again for it).
fn location(root: &Path, alias: &Alias) -> Location {
    let quoted = [format!("\"{}\"", alias.alias), format!("'{}'", alias.alias)];
    let found = std::fs::read_to_string(root.join(alias.source))
        .ok()
        .and_then(|text| {
            text.lines().enumerate().find_map(|(i, line)| {
                quoted
                    .iter()
                    .find_map(|q| line.find(q.as_str()))
                    .map(|at| (i + 1, line[..at].chars().count() + 1))
            })
        });
    match found {
        Some((line, column)) => Location::at(alias.source, line, column),
        None => Location::file(alias.source),
    }
}

/// What brief writes at `output`, or at a folder of it that is a file (`feed.xml` for an
/// alias `/feed.xml/`).
fn in_the_way(output: &str, generated: &BTreeMap<String, String>) -> Option<String> {
    if let Some(what) = generated.get(output) {
        return Some(format!("would replace {what}"));
    }
    let folders = output.match_indices('/').map(|(i, _)| &output[..i]);
    folders
        .into_iter()
        .find_map(|folder| generated.get(folder))
        .map(|what| format!("would need a folder where brief writes {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias<'a>(alias: &'a str, source: &'a str) -> Alias<'a> {
        Alias {
            alias,
            output: output_path(alias).unwrap(),
            target: "briefs/new/".into(),
            title: "New <title>",
            source: Path::new(source),
            lang: "en",
        }
    }

    #[test]
    fn collisions_name_both_files() {
        let generated = BTreeMap::from([(
            "about/index.html".to_string(),
            "the page of content/pages/about.md".to_string(),
        )]);
        let aliases = [
            alias("/about/", "content/briefs/a.md"),
            alias("/old/", "content/briefs/a.md"),
            alias("/old", "content/pages/b.md"),
        ];
        let messages: Vec<String> = collisions(&aliases, &generated, Path::new("."))
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("content/pages/about.md"),
            "{messages:?}"
        );
        assert!(messages[1].contains("content/pages/b.md"), "{messages:?}");
        assert!(messages[1].contains("content/briefs/a.md"), "{messages:?}");
    }

    #[test]
    fn redirects_file_is_under_the_base_path() {
        let base = BaseUrl::parse("https://e.org/research/").unwrap();
        let aliases = [alias("/z/", "a.md"), alias("/2023/old.html", "a.md")];
        assert_eq!(
            netlify(&base, &aliases),
            "/research/2023/old.html /research/briefs/new/ 301\n/research/z/ /research/briefs/new/ 301\n"
        );
    }
}
