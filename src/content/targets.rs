//! Where each content file will be published, known before any body is rendered, so that
//! `@/` links between documents can be resolved while rendering (see
//! [`crate::markdown::links`]). Reads only the `slug` and `draft` keys of each front matter;
//! a file whose front matter does not parse keeps its file-name slug here, and the full load
//! reports its error.

use serde::Deserialize;

use super::{Section, Source, SourcePath, frontmatter};
use crate::markdown::links::LinkMap;

/// The two keys that decide a document's address and whether it is built.
#[derive(Debug, Deserialize, Default)]
struct Address {
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// What the link map needs to know of one document, read from its front matter.
#[derive(Debug)]
pub struct Target {
    content_path: String,
    section: Section,
    stem: String,
    address: Address,
}

/// The address of one source; `None` for a file outside content/.
pub fn target(source: &Source) -> Option<Target> {
    Some(Target {
        content_path: content_path(&source.path)?,
        section: source.path.section,
        stem: source.path.stem(),
        address: frontmatter::split(&source.text, &source.path.rel)
            .ok()
            .and_then(|split| toml::from_str(split.front).ok())
            .unwrap_or_default(),
    })
}

/// The address of a file whose front matter is already read (its `slug` and `draft`), without
/// reading the file.
pub fn target_of(path: &SourcePath, slug: Option<&str>, draft: bool) -> Option<Target> {
    Some(Target {
        content_path: content_path(path)?,
        section: path.section,
        stem: path.stem(),
        address: Address {
            slug: slug.map(str::to_string),
            draft,
        },
    })
}

/// The map from content path (below content/) to site path, for every source.
pub fn link_map(sources: &[Source], root_path: &str, include_drafts: bool) -> LinkMap {
    link_map_of(sources.iter().filter_map(target), root_path, include_drafts)
}

/// The map from content path (below content/) to site path, for every target.
pub fn link_map_of(
    targets: impl IntoIterator<Item = Target>,
    root_path: &str,
    include_drafts: bool,
) -> LinkMap {
    let mut map = LinkMap::new(root_path);
    for target in targets {
        if target.address.draft && !include_drafts {
            map.insert_draft(&target.content_path);
            continue;
        }
        let slug = || slug::slugify(target.address.slug.clone().unwrap_or(target.stem.clone()));
        let site_path = match target.section {
            Section::Brief => super::brief::site_path(&slug()),
            Section::Page => format!("{}/", slug()),
            // An author's id is the file name; authors have no `slug` key.
            Section::Author => super::author::site_path(&target.stem),
        };
        map.insert(&target.content_path, site_path);
    }
    map
}

/// `briefs/x.md` for `content/briefs/x.md`, with `/` separators on every system.
fn content_path(path: &SourcePath) -> Option<String> {
    let below = path.rel.strip_prefix(super::CONTENT_DIR).ok()?;
    let parts: Vec<_> = below
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SourcePath;
    use std::path::PathBuf;

    fn source(section: Section, rel: &str, bundle: bool, front: &str) -> Source {
        let rel = PathBuf::from(rel);
        Source {
            path: SourcePath {
                section,
                path: rel.clone(),
                bundle: bundle.then(|| rel.parent().unwrap().to_path_buf()),
                rel,
            },
            text: format!("+++\n{front}\n+++\nBody.\n"),
        }
    }

    #[test]
    fn maps_each_document_to_its_address_by_slug_key_or_file_name() {
        let sources = [
            source(
                Section::Brief,
                "content/briefs/a.md",
                false,
                "slug = \"Other Name\"",
            ),
            source(
                Section::Brief,
                "content/briefs/b/index.md",
                true,
                "title = \"B\"",
            ),
            source(
                Section::Page,
                "content/pages/about.md",
                false,
                "title = 'x'",
            ),
            source(
                Section::Author,
                "content/authors/jane.md",
                false,
                "name = 'J'",
            ),
            source(Section::Brief, "content/briefs/d.md", false, "draft = true"),
        ];
        let map = link_map(&sources, "/r/", false);
        assert_eq!(
            map.href("@/briefs/a.md").unwrap(),
            "/r/briefs/other-name/".into()
        );
        assert_eq!(
            map.href("@/briefs/b/index.md").unwrap(),
            "/r/briefs/b/".into()
        );
        assert_eq!(map.href("@/pages/about.md").unwrap(), "/r/about/".into());
        assert_eq!(
            map.href("@/authors/jane.md").unwrap(),
            "/r/authors/jane/".into()
        );
        assert!(map.href("@/briefs/d.md").is_err());
        let with_drafts = link_map(&sources, "/", true);
        assert_eq!(
            with_drafts.href("@/briefs/d.md").unwrap(),
            "/briefs/d/".into()
        );
    }
}
