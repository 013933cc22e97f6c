//! The record of what brief wrote into an output folder: `.brief-manifest`, one site path a
//! line. A build replaces and removes only the files listed there, so whatever else the folder
//! holds (a gh-pages checkout's `.git`, a `CNAME`, a PDF put there by hand) is never touched.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use crate::error::Diagnostic;

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".brief-manifest";

/// Names at the top of an output folder that belong to the host, not to brief: never removed,
/// and their presence does not make a folder "not empty".
pub const HOST_FILES: &[&str] = &[".git", "CNAME", ".nojekyll"];

const HEADER: &str = "# The files brief wrote into this folder, which the next build may replace or remove.\n# brief leaves every other file here alone. Written by brief; do not edit.\n";

/// The site paths brief wrote into an output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest(pub BTreeSet<String>);

impl Manifest {
    /// The manifest of `dir`; `None` when there is none (brief did not make the folder).
    pub fn read(dir: &Path) -> Result<Option<Manifest>, Diagnostic> {
        let path = dir.join(MANIFEST);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(Manifest::parse(&text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Diagnostic::io(
                "read the list of files brief wrote",
                &path,
                &e,
            )),
        }
    }

    /// Lines that are not a plain path inside the folder are dropped: a damaged or edited
    /// manifest must not make a build remove files elsewhere.
    fn parse(text: &str) -> Manifest {
        let paths = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter(|line| is_writable_path(line))
            .map(str::to_string);
        Manifest(paths.collect())
    }

    pub fn contains(&self, site_path: &str) -> bool {
        self.0.contains(site_path)
    }

    /// Writes the manifest into `dir`, replacing the old one in one rename.
    pub fn write(&self, dir: &Path) -> Result<(), Diagnostic> {
        let mut text = String::from(HEADER);
        for path in &self.0 {
            text.push_str(path);
            text.push('\n');
        }
        super::write_if_changed(dir, MANIFEST, text.as_bytes()).map(|_| ())
    }
}

/// A site path brief may write or remove: relative, made of plain names, not the manifest, not
/// in `.git/` and not in a temporary folder of brief's.
pub fn is_writable_path(site_path: &str) -> bool {
    let path = Path::new(site_path);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    let first = site_path.split('/').next().unwrap_or_default();
    plain
        && !site_path.is_empty()
        && !site_path.contains('\\')
        && first != ".git"
        && first != MANIFEST
        && !first.starts_with(super::STAGING_PREFIX)
}

/// A host file at the top of the folder (`CNAME`), which brief never removes.
pub fn is_host_file(site_path: &str) -> bool {
    HOST_FILES.contains(&site_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_paths_inside_the_folder() {
        let manifest = Manifest::parse(
            "# header\nindex.html\n\nbriefs/a/index.html\n../../etc/passwd\n/etc/passwd\n.git/config\n.brief-manifest\nCNAME\n",
        );
        let paths: Vec<&str> = manifest.0.iter().map(String::as_str).collect();
        assert_eq!(paths, ["CNAME", "briefs/a/index.html", "index.html"]);
    }

    #[test]
    fn written_manifest_reads_back() {
        let temp = tempfile::tempdir().unwrap();
        let manifest = Manifest(["a/b.html", "index.html"].map(String::from).into());
        manifest.write(temp.path()).unwrap();
        assert_eq!(Manifest::read(temp.path()).unwrap(), Some(manifest));
        assert_eq!(Manifest::read(&temp.path().join("none")).unwrap(), None);
    }
}
