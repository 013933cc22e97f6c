//! What a full build refuses: a static file (the theme's, the site's `static/`, or a brief
//! bundle's) published where brief writes a page, feed or index, which would silently replace
//! it; and an alias whose redirect page would go where something else is, or where brief
//! reserves a path. The exceptions are the site's own `static/robots.txt`, documented as
//! replacing the generated one, and its `static/_redirects`, whose rules the generated one
//! already holds ([`super::writers::redirects`]).
//!
//! The [`Guard`] sits between the writers and the staging folder and remembers where each
//! generated file went (its path and what it is, not its bytes). Since redirect pages are
//! written after every other generated file, and static files last, each is checked against
//! a complete list when it comes. A build with such an error is never committed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use super::{OutputFile, Sink, What, routes};
use crate::error::{Diagnostic, Kind};
use crate::fsutil::relative;
use crate::redirects::Alias;
use crate::theme::{StaticFile, StaticSource};

/// A sink that refuses outputs published over one another, then writes into `inner`.
pub struct Guard<'a, S: Sink> {
    inner: &'a S,
    /// The site root, for messages and to tell the site's own `static/robots.txt`.
    root: &'a Path,
    /// Site path -> what brief generates there.
    published: Mutex<BTreeMap<String, String>>,
}

impl<'a, S: Sink> Guard<'a, S> {
    pub fn new(inner: &'a S, root: &'a Path) -> Self {
        Guard {
            inner,
            root,
            published: Mutex::new(BTreeMap::new()),
        }
    }

    fn published(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        // A writer that panicked while holding the lock left a usable map behind.
        self.published.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `file` is the site's own `static/<name>`.
    fn is_site_file(&self, file: &StaticFile, name: &str) -> bool {
        let own = self.root.join(crate::content::STATIC_DIR).join(name);
        matches!(&file.source, StaticSource::Disk(path) if *path == own)
    }
}

/// What a message calls the generated file at `site_path`, or `None` for a rewritten static
/// file.
fn describe(what: What, site_path: &str) -> Option<String> {
    Some(match what {
        What::Page(Some(source)) => format!("the page of {}", source.display()),
        // A topic's, an author's or a list's page: its address says which.
        What::Page(None) => format!(
            "the page brief generates at /{}",
            site_path.trim_end_matches("index.html")
        ),
        What::Generated => "a file brief generates".to_string(),
        What::Asset => return None,
        What::Redirect(alias) => format!(
            "the redirect page of alias `{}` of {}",
            alias.alias,
            alias.source.display()
        ),
        What::RedirectList => {
            "_redirects, which brief writes from the aliases of briefs and pages".to_string()
        }
    })
}

impl<S: Sink> Sink for Guard<'_, S> {
    fn write(&self, file: OutputFile, bytes: &[u8]) -> Result<(), Diagnostic> {
        if let Some(what) = describe(file.what, file.site_path) {
            // The first alias of two at one path stays named; the second was refused.
            self.published()
                .entry(file.site_path.to_string())
                .or_insert(what);
        }
        self.inner.write(file, bytes)
    }

    fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        let clash = self.published().get(&file.site_path).cloned();
        match clash {
            Some(_) if self.is_site_file(file, routes::REDIRECTS) => Ok(()),
            Some(what) if !self.is_site_file(file, routes::ROBOTS) => {
                Err(static_clash(file, &what, self.root))
            }
            _ => self.inner.copy(file),
        }
    }

    fn alias_clashes(&self, aliases: &[Alias]) -> Vec<Diagnostic> {
        crate::redirects::collisions(aliases, &self.published(), self.root)
    }
}

fn static_clash(file: &StaticFile, what: &str, root: &Path) -> Diagnostic {
    let shown = match &file.source {
        StaticSource::Disk(path) | StaticSource::Stripped { from: path, .. } => {
            relative(path, root).display().to_string()
        }
        StaticSource::Embedded(_) => {
            format!("(built-in default theme) static/{}", file.site_path)
        }
    };
    Diagnostic::new(
        Kind::Usage,
        format!(
            "this file would be published at {}, replacing {what}",
            file.site_path
        ),
    )
    .in_file(&shown)
    .help(format!(
        "rename or remove {shown}: a static file may not replace a page, feed or index brief writes (only static/robots.txt may replace robots.txt)"
    ))
}
