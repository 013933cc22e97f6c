//! Where each output is published: the one place the site's own addresses are spelled, and
//! the addresses a page slug or an alias may therefore not take (derived from them, so a new
//! listing or top-level file is reserved by being named here).

use crate::taxonomy::TermKind;

/// The home page.
pub const HOME: &str = "index.html";
/// The page hosts show for an unknown address.
pub const NOT_FOUND: &str = "404.html";
/// The archive of every brief; a brief's page is under it.
pub const ARCHIVE: &str = "briefs/";
/// The index of all authors; an author's page is under it.
pub const AUTHORS: &str = "authors/";
/// The search page; its index files are under it.
pub const SEARCH: &str = "search/";
/// The index's metadata, the file the search page loads first.
pub const SEARCH_INDEX: &str = "search/meta.json";
/// The file name of every feed: the site's at the top, a term's or author's in its folder.
pub const FEED: &str = "feed.xml";
/// The sitemap, or past 50,000 addresses the index of `sitemap-N.xml` files.
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The file Netlify and Cloudflare Pages read redirects from.
pub const REDIRECTS: &str = "_redirects";

/// The file an HTML page at the folder `site_path` (`briefs/x/`, or `""` for the home page) is.
pub fn page_file(site_path: &str) -> String {
    format!("{site_path}{HOME}")
}

/// Whether `path` is the file of the page of the brief `slug`, `briefs/<slug>/index.html`,
/// without making that path: a one-brief rebuild asks this of every brief for each output.
pub fn is_brief_page(path: &str, slug: &str) -> bool {
    path.strip_prefix(ARCHIVE)
        .and_then(|rest| rest.strip_prefix(slug))
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(HOME)
}

/// Folder of a brief's page, `briefs/<slug>/`.
pub fn brief(slug: &str) -> String {
    format!("{ARCHIVE}{slug}/")
}

/// A brief's PDF, `briefs/<slug>/<slug>.pdf`: typeset by [`crate::pdf`], or the editor's own
/// file of that name in the bundle.
pub fn brief_pdf(slug: &str) -> String {
    format!("{}{slug}.pdf", brief(slug))
}

/// Folder of an author's page, `authors/<id>/`.
pub fn author(id: &str) -> String {
    format!("{AUTHORS}{id}/")
}

/// Folder of a plain page, `<slug>/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Folder of the index of one kind of term, `topics/`.
pub fn terms(kind: TermKind) -> String {
    format!("{}/", kind.plural())
}

/// Folder of one term's listing, `topics/<slug>/`.
pub fn term(kind: TermKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.plural())
}

/// The feed of the page at the folder `site_path` (`""` for the site's own).
pub fn feed(site_path: &str) -> String {
    format!("{site_path}{FEED}")
}

/// The `n`th part of a sitemap split past its limit, `sitemap-1.xml`.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The top folders of the site's own listings, each paginated (`briefs/page/2/`).
pub fn listings() -> Vec<&'static str> {
    let mut names = vec![first_segment(ARCHIVE), first_segment(AUTHORS)];
    names.extend(TermKind::ALL.map(TermKind::plural));
    names
}

/// Slugs a plain page may not take, with what is published there: the listings and the
/// search page (a page there would overwrite them), and the names an editor would mistake for
/// the site's `static/` folder and its 404 page.
pub fn reserved_page_slug(slug: &str) -> Option<String> {
    if slug == first_segment(SEARCH) || listings().contains(&slug) {
        return Some(format!("the address of the site's /{slug}/ listing"));
    }
    match slug {
        "static" => Some("the name of the site's static/ folder".into()),
        "404" => Some("the name of the site's 404 page".into()),
        _ => None,
    }
}

/// What brief keeps for itself at an alias's output path, if anything: the listings and
/// their numbered pages, the search page and its index, and the files at the top of every
/// site (feeds, sitemaps, robots, redirects, 404).
pub fn reserved_for_alias(output: &str) -> Option<String> {
    let (first, rest) = output.split_once('/').unwrap_or((output, ""));
    let top_file = [FEED, SITEMAP, ROBOTS, REDIRECTS, NOT_FOUND].contains(&first)
        || (first.starts_with("sitemap-") && first.ends_with(".xml"));
    if top_file {
        return Some(format!("/{first}, a file brief writes"));
    }
    if first == first_segment(SEARCH) {
        return Some(format!("/{SEARCH}, the search page and its index"));
    }
    let listing = rest == HOME || rest.starts_with("page/");
    if listings().contains(&first) && listing {
        return Some(format!("the site's /{first}/ listing"));
    }
    None
}

fn first_segment(route: &str) -> &str {
    route.split('/').next().unwrap_or(route)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_page_is_recognised_exactly_as_its_path_is_made() {
        for slug in ["x", "putin-kim", "2024/putin-kim"] {
            let page = page_file(&brief(slug));
            assert!(is_brief_page(&page, slug), "{page}");
            for other in [
                format!("{page}x"),
                format!("{}index.html", brief(&format!("{slug}-2"))),
                format!("{}feed.xml", brief(slug)),
                format!("authors/{slug}/index.html"),
                brief(slug),
            ] {
                assert!(!is_brief_page(&other, slug), "{other} for {slug}");
            }
        }
    }

    #[test]
    fn reserved_alias_paths_are_the_listings_search_and_top_files() {
        for output in [
            "briefs/index.html",
            "briefs/page/2/index.html",
            "topics/index.html",
            "series/page/3/index.html",
            "search/x/index.html",
            "feed.xml/index.html",
            "sitemap-2.xml/index.html",
            "_redirects/index.html",
        ] {
            assert!(reserved_for_alias(output).is_some(), "{output}");
        }
        for output in [
            "briefs/old-slug/index.html",
            "topics/old/index.html",
            "about/index.html",
        ] {
            assert_eq!(reserved_for_alias(output), None, "{output}");
        }
    }

    #[test]
    fn reserved_page_slugs_are_the_listings_search_static_and_404() {
        for slug in [
            "briefs", "authors", "topics", "regions", "programs", "series", "search", "static",
            "404",
        ] {
            assert!(reserved_page_slug(slug).is_some(), "{slug}");
        }
        assert_eq!(reserved_page_slug("about"), None);
    }
}
