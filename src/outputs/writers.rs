//! One function per entry of [`super::OUTPUTS`]: render the files of one kind of output and
//! hand each to the sink as soon as it is made.

use rayon::prelude::*;

use super::pages::{Job, jobs};
use super::{Inputs, OutputFile, Scope, Sink, What, routes};
use crate::error::{Diagnostic, Errors};
use crate::seo::{feed, sitemap};
use crate::theme::{StaticFile, StaticSource};

/// Collects the errors of writes made one after another.
fn each<T>(
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(T) -> Result<(), Diagnostic>,
) -> Result<usize, Errors> {
    let mut errors = Errors::default();
    let mut count = 0;
    for item in items {
        match write(item) {
            Ok(()) => count += 1,
            Err(e) => errors.push(e),
        }
    }
    errors.into_result(count)
}

/// Collects the errors of writes made in parallel.
fn each_parallel<T: Sync>(
    items: &[T],
    write: impl Fn(&T) -> Result<(), Diagnostic> + Sync,
) -> Result<usize, Errors> {
    let errors: Vec<Diagnostic> = items
        .par_iter()
        .filter_map(|item| write(item).err())
        .collect();
    Errors(errors).into_result(items.len())
}

fn generated(site_path: &str) -> OutputFile<'_> {
    OutputFile {
        site_path,
        what: What::Generated,
    }
}

/// Every HTML page, rendered in parallel; then the briefs' cards the listings used are freed
/// (the later outputs need none), so that they do not add to the memory the search index
/// takes after them.
pub fn pages(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let jobs: Vec<Job> = jobs(cx.site)
        .into_iter()
        .filter(|job| scope.includes_job(job))
        .collect();
    let written = each_parallel(&jobs, |job| {
        let html = cx.renderer.render(*job)?;
        let site_path = job.output_path();
        let file = OutputFile {
            site_path: &site_path,
            what: What::Page(job.source()),
        };
        sink.write(file, html.as_bytes())
    });
    cx.renderer.forget_cards();
    if matches!(scope, Scope::All) {
        crate::memory::release_freed();
    }
    written
}

/// The site's feed and those of terms and authors, rendered in parallel; after an edit, those
/// listing what was edited (see [`super::affected`]).
pub fn feeds(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let mut feeds = feed::feeds(cx.site);
    feeds.retain(|f| scope.includes_page(&f.site_path()));
    each_parallel(&feeds, |f| {
        let xml = feed::render(cx.site, f, &cx.theme.i18n)?;
        sink.write(generated(&f.site_path()), xml.as_bytes())
    })
}

pub fn sitemap(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let entries = sitemap::entries(cx.site, &jobs(cx.site));
    let files = sitemap::files(&entries, &cx.site.config.base_url, sitemap::MAX_URLS);
    each(files, |(path, xml)| {
        sink.write(generated(&path), xml.as_bytes())
    })
}

/// BibTeX and RIS beside each brief's page: those of the briefs whose pages are written.
pub fn citation_files(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    if !cx.site.config.citation_files {
        // The "Cite this brief" box carries them in its links.
        return Ok(0);
    }
    let briefs = cx
        .site
        .briefs
        .iter()
        .filter(|b| scope.includes_job(&Job::Brief(b)));
    let files =
        briefs.flat_map(|b| crate::brief_page::citation_files_of(cx.site, std::iter::once(b)));
    each(files, |(path, text)| {
        sink.write(generated(&path), text.as_bytes())
    })
}

/// Each brief's typeset PDF, copied from the PDF cache ([`crate::pdf`]): those of the briefs
/// whose pages are written; none when PDFs are off, the brief has one of the editor's own, or
/// the build is `check`'s.
pub fn pdfs(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let briefs = cx
        .site
        .briefs
        .iter()
        .filter(|b| scope.includes_job(&Job::Brief(b)));
    let files = crate::pdf::made_files(briefs);
    each(files, |(site_path, made)| {
        sink.copy(&StaticFile {
            site_path,
            source: StaticSource::Disk(made),
        })
    })
}

/// The search index's files, each written as soon as it is made (the whole index of a large
/// site is a hundred megabytes).
pub fn search_index(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let mut errors = Errors::default();
    let mut count = 0;
    crate::search::write(cx.site, &cx.theme.i18n, &mut |path, bytes| match sink
        .write(generated(path), bytes)
    {
        Ok(()) => count += 1,
        Err(e) => errors.push(e),
    });
    errors.into_result(count)
}

pub fn robots(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let robots = sitemap::robots(&cx.site.config.base_url);
    each([()], |()| {
        sink.write(generated(routes::ROBOTS), robots.as_bytes())
    })
}

/// Stylesheets and scripts as minified or renamed by hash ([`crate::assets`]).
pub fn rewritten_assets(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    each(&cx.assets.written, |(site_path, bytes)| {
        let file = OutputFile {
            site_path,
            what: What::Asset,
        };
        sink.write(file, bytes)
    })
}

/// A redirect page per alias of a published brief or page, and `_redirects`; none if an
/// alias is published where something else is. A site's own `static/_redirects` (its other
/// rules: `/feed/ /feed.xml 301`) comes first in the one written, since Netlify and
/// Cloudflare Pages read a single file and the first rule that matches wins.
pub fn redirects(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let aliases = crate::redirects::aliases(cx.site);
    Errors(sink.alias_clashes(&aliases)).into_result(())?;
    let base = &cx.site.config.base_url;
    let mut written = each(&aliases, |alias| {
        let file = OutputFile {
            site_path: &alias.output,
            what: What::Redirect(alias),
        };
        sink.write(file, crate::redirects::page(base, alias).as_bytes())
    })?;
    if !aliases.is_empty() {
        let mut list = site_redirects(&cx.site.root)?;
        list.push_str(&crate::redirects::netlify(base, &aliases));
        let file = OutputFile {
            site_path: routes::REDIRECTS,
            what: What::RedirectList,
        };
        written += each([()], |()| sink.write(file, list.as_bytes()))?;
    }
    Ok(written)
}

/// The rules of the site's own `static/_redirects`, ending with a line that says where brief's
/// begin; empty without one.
fn site_redirects(root: &std::path::Path) -> Result<String, Errors> {
    let path = root
        .join(crate::content::STATIC_DIR)
        .join(routes::REDIRECTS);
    if !path.is_file() {
        return Ok(String::new());
    }
    let own = std::fs::read_to_string(&path)
        .map_err(|e| Errors::from(Diagnostic::io("read the site's redirects", &path, &e)))?;
    let newline = if own.is_empty() || own.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Ok(format!(
        "{own}{newline}# The aliases of briefs and pages, written by brief:\n"
    ))
}

/// The theme's and the site's static files, the site's winning on the same path; images that
/// [`crate::images`] publishes in several widths are not copied (their widest variant, without
/// metadata, takes their place), and other JPEG, PNG and WebP files are copied without their
/// metadata ([`crate::images::stripped_copy`]).
pub fn static_files(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let processed: std::collections::BTreeSet<String> = static_images(cx.site, &Scope::All)
        .map(|job| job.site_path())
        .collect();
    // One file per path: without minify or hash_assets the theme's and the site's files of
    // one path are both listed, and the site's, coming later, is the one published.
    let by_path: std::collections::BTreeMap<&str, &StaticFile> = cx
        .assets
        .copies
        .iter()
        .filter(|file| !processed.contains(&file.site_path))
        .map(|file| (file.site_path.as_str(), file))
        .collect();
    let copies: Vec<&StaticFile> = by_path.into_values().collect();
    each_parallel(&copies, |file| {
        match crate::images::stripped_copy(file, &cx.site.root)? {
            Some(stripped) => sink.copy(&stripped),
            None => sink.copy(file),
        }
    })
}

/// The images of `static/` used by the briefs, authors and pages whose pages `scope` writes.
fn static_images<'a>(
    site: &'a crate::site::Site,
    scope: &'a Scope,
) -> impl Iterator<Item = &'a crate::images::Job> + 'a {
    let briefs = site
        .briefs
        .iter()
        .filter(|b| scope.includes_job(&Job::Brief(b)))
        .flat_map(|b| &b.static_images);
    let authors = site
        .authors
        .values()
        .filter(|a| scope.includes_job(&Job::Author(a, 1)))
        .filter_map(|a| a.photo_picture.as_ref());
    let pages = site
        .pages
        .iter()
        .filter(|p| scope.includes_job(&Job::Page(p)))
        .flat_map(|p| &p.images);
    briefs.chain(authors).chain(pages)
}

/// The files of brief bundles, beside their pages.
pub fn bundle_files(cx: &Inputs, _scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let files = cx.site.briefs.iter().flat_map(|b| b.assets.iter());
    each(files, |(from, to)| {
        sink.copy(&StaticFile {
            site_path: to.clone(),
            source: StaticSource::Disk(from.clone()),
        })
    })
}

/// The images of brief bundles and those of `static/` that briefs and authors use, in several
/// widths and without metadata, and the social cards of heroes ([`crate::images`]); after an
/// edit, those of the pages rewritten (the cache makes the others' files cost a read).
pub fn images(cx: &Inputs, scope: &Scope, sink: &dyn Sink) -> Result<usize, Errors> {
    let briefs: Vec<_> = cx
        .site
        .briefs
        .iter()
        .filter(|b| scope.includes_job(&Job::Brief(b)))
        .collect();
    let jobs: Vec<_> = briefs
        .iter()
        .flat_map(|b| &b.images)
        .chain(static_images(cx.site, scope))
        .collect();
    let cards: Vec<_> = briefs.iter().filter_map(|b| b.card.as_ref()).collect();
    crate::images::write_all(&jobs, &cards, &cx.site.root, sink)
}
