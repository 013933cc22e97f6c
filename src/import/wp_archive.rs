//! Redirects from a WordPress site's archive addresses (`/category/asia/korea/`, `/tag/x/`,
//! `/author/jdoe/`, their feeds and numbered pages, `/feed/`) to their nearest brief
//! equivalents. Terms and authors have no `aliases` of their own, so import writes what an
//! alias gives: a small redirect page at each address, as a file in `static/` (which any host
//! serves), and the same redirects as lines in `static/_redirects` (a `301` on Netlify and
//! Cloudflare Pages), inside a marked block that a re-import replaces, keeping the user's lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::Plan;
use super::wordpress::{self, CategoriesAs, Export, Item};

/// WordPress's default "Blog pages show at most" setting, which the export does not record:
/// the numbered pages of an archive that get a redirect page.
const WORDPRESS_PAGE_SIZE: usize = 10;

/// First and last lines of the block import writes into `static/_redirects`.
pub const BLOCK_START: &str = "# brief import wordpress: the old site's category, tag, author and feed addresses (a re-import replaces these lines)";
pub const BLOCK_END: &str = "# end of brief import wordpress";

/// One old address and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The path on the old site, `/blog/category/asia/korea/`, or with `*` for a `_redirects`
    /// rule of many (`/category/x/page/*`).
    pub old: String,
    /// The site path it leads to, `topics/korea/`, `feed.xml`.
    pub new: String,
    /// The text of its redirect page's title and link.
    pub title: String,
}

/// The redirects of one export's archives, with how many of each kind for the report.
#[derive(Debug, Default)]
pub struct Archives {
    pub redirects: Vec<Redirect>,
    pub categories: usize,
    pub tags: usize,
    pub authors: usize,
    pub feeds: usize,
    pub numbered_pages: usize,
}

/// What the published posts of the export become, to tell which term and author pages exist.
#[derive(Default)]
struct Published {
    topics: BTreeSet<String>,
    regions: BTreeSet<String>,
    programs: BTreeSet<String>,
    authors: BTreeSet<String>,
    /// Posts in each category (with its subcategories', as WordPress lists them), tag and author.
    in_category: BTreeMap<String, usize>,
    in_tag: BTreeMap<String, usize>,
    by_author: BTreeMap<String, usize>,
}

fn published(export: &Export, categories_as: CategoriesAs) -> Published {
    let mut out = Published::default();
    let posts = export.items.iter().filter(|i| {
        i.post_type == "post" && !wordpress::is_draft(i) && wordpress::item_date(i).is_ok()
    });
    for item in posts {
        let authors = wordpress::post_authors(item, export);
        if authors.is_empty() {
            continue; // Not imported.
        }
        let terms = wordpress::post_terms(item, export, categories_as);
        out.topics.extend(terms.topics);
        out.regions.extend(terms.regions);
        out.programs.extend(terms.program);
        let mut categories = BTreeSet::new();
        for (_, nicename, _) in item.terms.iter().filter(|t| t.0 == "category") {
            categories.insert(nicename.clone());
            categories.extend(wordpress::category_ancestors(nicename, export));
        }
        for category in categories {
            *out.in_category.entry(category).or_default() += 1;
        }
        for (_, slug, _) in item.terms.iter().filter(|t| t.0 == "post_tag") {
            *out.in_tag.entry(slug.clone()).or_default() += 1;
        }
        for id in authors {
            *out.by_author.entry(id.clone()).or_default() += 1;
            out.authors.insert(id);
        }
    }
    out
}

/// The redirects from every category, tag and author archive of the export, their feeds and
/// numbered pages, and the site's feed; all under the folder WordPress was installed in.
pub fn archives(export: &Export, categories_as: CategoriesAs) -> Archives {
    let published = published(export, categories_as);
    let folder = wordpress::old_site_path(&export.base_url, &export.base_url).unwrap_or_default();
    let folder = folder.trim_end_matches('/');
    let mut archives = Archives::default();
    let mut add = |path: &str, page: String, feed: String, title: &str, posts: usize| {
        let old = format!("{folder}/{path}/");
        archives.redirects.push(Redirect {
            old: old.clone(),
            new: page.clone(),
            title: title.to_string(),
        });
        archives.redirects.push(Redirect {
            old: format!("{old}feed/"),
            new: feed,
            title: title.to_string(),
        });
        archives.feeds += 1;
        // Page 2 on: the first page of the new listing (its own pages number differently).
        for n in 2..=posts.div_ceil(WORDPRESS_PAGE_SIZE) {
            archives.redirects.push(Redirect {
                old: format!("{old}page/{n}/"),
                new: page.clone(),
                title: title.to_string(),
            });
            archives.numbered_pages += 1;
        }
        archives.redirects.push(Redirect {
            old: format!("{old}page/*"),
            new: page,
            title: title.to_string(),
        });
    };
    for (nicename, name) in categories(export) {
        let (page, feed) = category_target(&nicename, &name, categories_as, &published);
        let posts = published.in_category.get(&nicename).copied().unwrap_or(0);
        add(&category_path(&nicename, export), page, feed, &name, posts);
        archives.categories += 1;
    }
    for (slug, name) in tags(export) {
        let (page, feed) = match published.topics.contains(&name) {
            true => term_target("topics", &name),
            false => ("briefs/".to_string(), "feed.xml".to_string()),
        };
        let posts = published.in_tag.get(&slug).copied().unwrap_or(0);
        add(&format!("tag/{slug}"), page, feed, &name, posts);
        archives.tags += 1;
    }
    for author in &export.authors {
        let id = wordpress::author_id(&author.login, export);
        let nicename = slug::slugify(&author.login);
        if nicename.is_empty() {
            continue;
        }
        let page = format!("authors/{id}/");
        // An author without a published brief has a page but no feed.
        let feed = match published.authors.contains(&id) {
            true => format!("{page}feed.xml"),
            false => "feed.xml".to_string(),
        };
        let name = match author.display_name.trim() {
            "" => author.login.trim(),
            name => name,
        };
        let posts = published.by_author.get(&id).copied().unwrap_or(0);
        add(&format!("author/{nicename}"), page, feed, name, posts);
        archives.authors += 1;
    }
    archives.redirects.push(Redirect {
        old: format!("{folder}/feed/"),
        new: "feed.xml".to_string(),
        title: "Feed".to_string(),
    });
    archives.feeds += 1;
    archives
}

/// Every category of the export (its list, and those only its posts name): nicename -> name.
fn categories(export: &Export) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = export_terms(export, "category");
    for (nicename, name) in &export.category_names {
        all.insert(nicename.clone(), super::html_md::plain_text(name));
    }
    all.retain(|nicename, _| !nicename.is_empty());
    all
}

fn tags(export: &Export) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = export_terms(export, "post_tag");
    for (slug, name) in &export.tags {
        all.insert(slug.clone(), super::html_md::plain_text(name));
    }
    all.retain(|slug, _| !slug.is_empty());
    all
}

fn export_terms(export: &Export, domain: &str) -> BTreeMap<String, String> {
    export
        .items
        .iter()
        .flat_map(|i: &Item| i.terms.iter())
        .filter(|t| t.0 == domain)
        .map(|(_, slug, name)| (slug.clone(), super::html_md::plain_text(name)))
        .collect()
}

/// `category/asia/korea`: WordPress's address of a subcategory names its parents.
fn category_path(nicename: &str, export: &Export) -> String {
    let mut chain = wordpress::category_ancestors(nicename, export);
    chain.reverse();
    chain.push(nicename.to_string());
    format!("category/{}", chain.join("/"))
}

/// A category's page and feed: its term's, where a published brief has it as the kind import
/// made categories; else that kind's list and the site's feed ("Uncategorized": the briefs).
fn category_target(
    nicename: &str,
    name: &str,
    categories_as: CategoriesAs,
    published: &Published,
) -> (String, String) {
    let site_feed = "feed.xml".to_string();
    if nicename == "uncategorized" {
        return ("briefs/".to_string(), site_feed);
    }
    let (kind, has) = match categories_as {
        CategoriesAs::Topics => ("topics", published.topics.contains(name)),
        CategoriesAs::Regions => ("regions", published.regions.contains(name)),
        CategoriesAs::Programs => {
            if !published.programs.contains(name) && published.topics.contains(name) {
                // A post's second category became a topic.
                return term_target("topics", name);
            }
            ("programs", published.programs.contains(name))
        }
    };
    match has {
        true => term_target(kind, name),
        false => (format!("{kind}/"), site_feed),
    }
}

fn term_target(kind: &str, name: &str) -> (String, String) {
    let page = format!("{kind}/{}/", crate::taxonomy::term_slug(name));
    let feed = format!("{page}feed.xml");
    (page, feed)
}

/// Adds the redirect pages to `plan` under `static/`, and the import's block to
/// `static/_redirects` (the site's own lines kept); `root_path` is the path of the site's
/// `base_url` (`/`, `/research/`), which `_redirects` lines carry. Returns the notes of
/// addresses brief cannot publish a page at.
pub fn add_to(
    archives: &Archives,
    plan: &mut Plan,
    root: &Path,
    root_path: &str,
    language: &str,
) -> Vec<String> {
    let mut refused = Vec::new();
    let mut lines = String::new();
    for redirect in &archives.redirects {
        let _ = writeln!(
            lines,
            "{}{} {}{} 301",
            root_path,
            redirect.old.trim_start_matches('/'),
            root_path,
            redirect.new
        );
        if redirect.old.contains('*') {
            continue;
        }
        let output = crate::content::aliases::output_path(&redirect.old);
        match output.as_deref().map(crate::outputs::routes::reserved_for_alias) {
            Some(None) => plan.text(
                format!("static/{}", output.unwrap_or_default()),
                page(redirect, language),
            ),
            _ => refused.push(format!(
                "old address {} is not a path brief can publish a redirect page at; only its `_redirects` line leads on",
                redirect.old
            )),
        }
    }
    let path = root.join("static").join(crate::redirects::REDIRECTS_FILE);
    let own = std::fs::read_to_string(&path).unwrap_or_default();
    plan.own_text(
        format!("static/{}", crate::redirects::REDIRECTS_FILE),
        with_block(&own, &lines),
    );
    refused
}

/// The site's `_redirects` text with the import's block (`lines`) in place of an earlier one,
/// else after the site's own lines: those come first, and the first rule that matches wins.
pub fn with_block(own: &str, lines: &str) -> String {
    let mut kept = String::new();
    let mut inside = false;
    for line in own.lines() {
        match line {
            BLOCK_START => inside = true,
            BLOCK_END if inside => inside = false,
            _ if !inside => {
                kept.push_str(line);
                kept.push('\n');
            }
            _ => {}
        }
    }
    format!("{kept}{BLOCK_START}\n{lines}{BLOCK_END}\n")
}

/// A redirect page like those of aliases, but with a relative address of the new page, so
/// that it leads there under whatever `base_url` the site is built with.
fn page(redirect: &Redirect, language: &str) -> String {
    let depth = redirect.old.trim_matches('/').split('/').count();
    let target = format!("{}{}", "../".repeat(depth), redirect.new);
    crate::redirects::page_to(&target, &redirect.title, language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reimport_replaces_its_block_and_keeps_the_sites_lines() {
        let first = with_block("/old/ /new/ 301", "/a/ /b/ 301\n");
        assert_eq!(
            first,
            format!("/old/ /new/ 301\n{BLOCK_START}\n/a/ /b/ 301\n{BLOCK_END}\n")
        );
        let mine = format!("{first}/mine/ /x/ 301\n");
        assert_eq!(
            with_block(&mine, "/c/ /d/ 301\n"),
            format!("/old/ /new/ 301\n/mine/ /x/ 301\n{BLOCK_START}\n/c/ /d/ 301\n{BLOCK_END}\n")
        );
    }

    #[test]
    fn a_redirect_page_leads_up_to_the_site_root() {
        let html = page(
            &Redirect {
                old: "/blog/category/asia/korea/".into(),
                new: "topics/korea/".into(),
                title: "Korea".into(),
            },
            "en",
        );
        assert!(html.contains("url=../../../../topics/korea/\""), "{html}");
    }
}
