//! Which images of `static/` a document uses, probed so that its markup can have their widths:
//! the root-relative images of a Markdown body (`![A map](/images/map.png)`), of its
//! `figure` blocks (`image = "/images/map.png"`) and of its raw HTML (`<img
//! src="/images/map.png">`), a hero and an author's photo. Bundle images are found by [`crate::content::brief`] with the bundle's files.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Format, Job, Picture, Settings, probe};
use crate::error::{Diagnostic, Kind};

/// The images of `static/` a body uses.
#[derive(Debug, Default)]
pub struct StaticImages {
    /// One per file, to publish.
    pub jobs: Vec<Job>,
    /// By the address written in the Markdown (`/images/map.png`), the picture whose name is
    /// the address under the site's base path, for [`crate::markdown::responsive`].
    pub pictures: BTreeMap<String, Picture>,
    /// Images that cannot be read, each naming the file and the document.
    pub errors: Vec<Diagnostic>,
}

/// Finds the images of `body` (Markdown images, `figure` blocks, raw HTML `<img>`s) written with a
/// root-relative path to a JPEG, PNG or WebP file that exists in `static/` (others are left to
/// the link checks); `doc` names the document in errors, `links` gives the base path.
pub fn in_body(
    body: &crate::markdown::scan::Scan,
    root: &Path,
    settings: &Settings,
    links: &crate::markdown::links::LinkMap,
    doc: &Path,
) -> StaticImages {
    let mut found = StaticImages::default();
    for dest in body.images() {
        if found.pictures.contains_key(dest) {
            continue;
        }
        let Some(site_path) = static_path(dest) else {
            continue;
        };
        match job(root, site_path, settings) {
            Some(Ok(job)) => {
                let address = links
                    .href(dest)
                    .map_or_else(|_| dest.to_string(), |h| h.into_string());
                found
                    .pictures
                    .insert(dest.to_string(), job.picture.renamed(address));
                found.jobs.push(job);
            }
            Some(Err(problem)) => found.errors.push(unreadable(problem, root, site_path, doc)),
            None => {}
        }
    }
    found
}

/// The site path of a root-relative image address (`/images/a.jpg` -> `images/a.jpg`) of a
/// processed format, or `None`.
fn static_path(dest: &str) -> Option<&str> {
    let inner = dest.strip_prefix('/').filter(|_| !dest.starts_with("//"))?;
    let inner = inner.split(['?', '#']).next()?;
    (Format::of(inner).is_some() && crate::content::stays_inside(inner)).then_some(inner)
}

/// The job publishing `static/<site_path>`: `None` when there is no such file or it is not a
/// processed format, `Err` when it cannot be read as an image.
pub fn job(root: &Path, site_path: &str, settings: &Settings) -> Option<Result<Job, String>> {
    Format::of(site_path)?;
    let source = root.join(crate::content::STATIC_DIR).join(site_path);
    if !source.is_file() {
        return None;
    }
    Some(probe(&source, site_path, settings).map(|picture| Job {
        source,
        out_dir: String::new(),
        picture,
    }))
}

/// The error for an image of `static/` that a document uses and that cannot be read.
pub fn unreadable(problem: String, root: &Path, site_path: &str, doc: &Path) -> Diagnostic {
    let file = root.join(crate::content::STATIC_DIR).join(site_path);
    Diagnostic::new(
        Kind::Io,
        format!(
            "could not read the image: {problem} (used by {})",
            doc.display()
        ),
    )
    .in_file(crate::fsutil::relative(&file, root))
    .help("open and save it again as JPEG, PNG or WebP, or stop using it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_root_relative_images_of_processed_formats_are_static() {
        assert_eq!(static_path("/images/a.jpg"), Some("images/a.jpg"));
        assert_eq!(static_path("/images/a.PNG?v=2"), Some("images/a.PNG"));
        assert_eq!(static_path("//cdn.example.org/a.jpg"), None);
        assert_eq!(static_path("a.jpg"), None);
        assert_eq!(static_path("/images/a.svg"), None);
        assert_eq!(static_path("/../secret.jpg"), None);
    }
}
