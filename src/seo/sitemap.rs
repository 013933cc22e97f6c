//! `sitemap.xml` (sitemaps.org 0.9) listing every HTML page but those [`super::noindex`] keeps
//! out of search engines and syndicated briefs, split into a sitemap index and `sitemap-N.xml` files past 50,000 URLs;
//! and `robots.txt` naming it.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::xml_text;
use crate::content::frontmatter::PubDate;
use crate::outputs::Job;
use crate::site::Site;
use crate::urls::BaseUrl;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// The most URLs one sitemap file may list (sitemaps.org).
pub const MAX_URLS: usize = 50_000;
pub use crate::outputs::routes::SITEMAP as SITEMAP_FILE;

/// One page in a sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlEntry {
    pub loc: String,
    /// When the page last changed, `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// The sitemap entries of the pages of `jobs`: HTML pages only, without those search engines
/// are asked not to index.
pub fn entries(site: &Site, jobs: &[Job]) -> Vec<UrlEntry> {
    let base = &site.config.base_url;
    let newest = |briefs: &mut dyn Iterator<Item = &crate::content::Brief>| {
        briefs
            .filter(|b| !b.front.draft)
            .map(changed)
            .max()
            .map(|d| d.iso())
    };
    jobs.iter()
        // A syndicated brief's canonical page is elsewhere, so it is not this site's to list.
        .filter(|job| {
            !super::noindex(site, job)
                && !matches!(job, Job::Brief(b) if b.front.originally_published.is_some())
        })
        .filter_map(|job| {
            let path = job.output_path();
            let page = path.strip_suffix("index.html")?;
            let lastmod = match job {
                Job::Brief(brief) => Some(changed(brief).iso()),
                Job::Home => newest(&mut site.briefs.iter()),
                Job::Archive(1) => newest(&mut site.briefs.iter()),
                Job::Author(author, 1) => newest(&mut site.briefs_by(&author.id)),
                Job::Term(term, 1) => {
                    newest(&mut term.briefs.iter().filter_map(|&i| site.briefs.get(i)))
                }
                _ => None,
            };
            Some(UrlEntry {
                loc: base.url_of(page),
                lastmod,
            })
        })
        .collect()
}

fn changed(brief: &crate::content::Brief) -> PubDate {
    brief.front.updated.unwrap_or(brief.front.date)
}

/// The sitemap files as (site path, XML): one `sitemap.xml` for up to `limit` URLs; past
/// that, `sitemap-1.xml`, `sitemap-2.xml`, … of `limit` each and a `sitemap.xml` index of them.
pub fn files(entries: &[UrlEntry], base: &BaseUrl, limit: usize) -> Vec<(String, String)> {
    if entries.len() <= limit {
        return vec![(SITEMAP_FILE.to_string(), url_set(entries))];
    }
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (i, chunk) in entries.chunks(limit.max(1)).enumerate() {
        let path = crate::outputs::routes::sitemap_part(i + 1);
        let lastmod = chunk.iter().filter_map(|e| e.lastmod.clone()).max();
        parts.push(UrlEntry {
            loc: base.url_of(&path),
            lastmod,
        });
        files.push((path, url_set(chunk)));
    }
    files.insert(0, (SITEMAP_FILE.to_string(), index(&parts)));
    files
}

/// `robots.txt` allowing everything and naming the sitemap. A site's own `static/robots.txt`
/// is copied after it and wins.
pub fn robots(base: &BaseUrl) -> String {
    format!(
        "User-agent: *\nDisallow:\n\nSitemap: {}\n",
        base.url_of(SITEMAP_FILE)
    )
}

fn url_set(entries: &[UrlEntry]) -> String {
    document("urlset", "url", entries)
}

fn index(parts: &[UrlEntry]) -> String {
    document("sitemapindex", "sitemap", parts)
}

fn document(root: &str, item: &str, entries: &[UrlEntry]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_document(&mut writer, root, item, entries).expect("writing to memory cannot fail");
    String::from_utf8(writer.into_inner()).expect("quick-xml writes the UTF-8 it is given")
}

fn write_document(
    w: &mut Writer<Vec<u8>>,
    root: &str,
    item: &str,
    entries: &[UrlEntry],
) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element(root)
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for entry in entries {
                w.create_element(item).write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&xml_text(&entry.loc)))?;
                    if let Some(lastmod) = &entry.lastmod {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(lastmod))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> UrlEntry {
        UrlEntry {
            loc: format!("https://e.org/p{n}/?a=1&b=2"),
            lastmod: Some(format!("2024-01-{:02}", n + 1)),
        }
    }

    #[test]
    fn up_to_the_limit_is_one_url_set() {
        let base = BaseUrl::parse("https://e.org/").unwrap();
        let files = files(&[entry(1), entry(2)], &base, 2);
        assert_eq!(files.len(), 1);
        let (path, xml) = &files[0];
        assert_eq!(path, "sitemap.xml");
        assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert!(
            xml.contains("<loc>https://e.org/p1/?a=1&amp;b=2</loc>"),
            "{xml}"
        );
        assert!(xml.contains("<lastmod>2024-01-03</lastmod>"), "{xml}");
    }

    #[test]
    fn past_the_limit_splits_into_an_index_and_parts() {
        let base = BaseUrl::parse("https://e.org/sub/").unwrap();
        let entries: Vec<_> = (0..5).map(entry).collect();
        let files = files(&entries, &base, 2);
        let paths: Vec<_> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://e.org/sub/sitemap-3.xml</loc>"),
            "{index}"
        );
        // A part's lastmod is its newest page's.
        assert!(index.contains("<lastmod>2024-01-02</lastmod>"), "{index}");
        assert_eq!(files[3].1.matches("<url>").count(), 1);
        assert_eq!(files[1].1.matches("<url>").count(), 2);
    }

    #[test]
    fn robots_names_the_absolute_sitemap() {
        let base = BaseUrl::parse("https://e.org/sub").unwrap();
        assert!(robots(&base).contains("Sitemap: https://e.org/sub/sitemap.xml\n"));
    }
}
