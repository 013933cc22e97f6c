//! Stage 5: writing the site. Everything goes into a temporary folder beside the output folder,
//! which replaces the old output only once the whole build has succeeded; a failed build leaves
//! the previous output as it was and no half-written folder behind.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Kind};
use crate::fsutil::relative;
use crate::theme::{StaticFile, StaticSource};

/// Folders of a site that an output folder must never be, or be inside of.
const SOURCE_DIRS: &[&str] = &["content", "static", "templates", "themes"];

/// An output folder being written.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a build into `target`, refusing targets whose replacement would lose the user's files.
    pub fn new(root: &Path, target: &Path) -> Result<Staging, Diagnostic> {
        check_target(root, target)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create the output's parent folder", parent, &e))?;
        let temp = parent.join(format!(".{name}.brief-tmp-{}", std::process::id()));
        if temp.exists() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        std::fs::create_dir_all(&temp)
            .map_err(|e| Diagnostic::io("create a temporary output folder", &temp, &e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// Where files are being written until [`Staging::commit`].
    pub fn dir(&self) -> &Path {
        &self.temp
    }

    /// Writes `bytes` at the site-relative path `site_path`.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.temp.join(site_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io("create an output folder", parent, &e))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::io("write the output file", Path::new(site_path), &e))
    }

    /// Copies a static file into place.
    pub fn copy(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        match &file.source {
            StaticSource::Embedded(bytes) => self.write(&file.site_path, bytes),
            StaticSource::Disk(from) => {
                let to = self.temp.join(&file.site_path);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| Diagnostic::io("create an output folder", parent, &e))?;
                }
                std::fs::copy(from, &to)
                    .map(|_| ())
                    .map_err(|e| Diagnostic::io("copy the file", from, &e))
            }
        }
    }

    /// Swaps the finished folder in for the old output.
    pub fn commit(mut self) -> Result<PathBuf, Diagnostic> {
        let old = self.temp.with_file_name(format!(
            "{}.old",
            self.temp.file_name().unwrap_or_default().to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| Diagnostic::io("move the previous output aside", &self.target, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Diagnostic::io(
                "move the new output into place",
                &self.target,
                &e,
            ));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// The output folder is replaced wholesale, so it must not hold anything but a previous build.
fn check_target(root: &Path, target: &Path) -> Result<(), Diagnostic> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let resolved = canonical_target(target);
    let shown = relative(&resolved, &root);
    let refuse = |why: String| {
        Diagnostic::new(
            Kind::Usage,
            format!("refusing to write the site into {}: {why}", shown.display()),
        )
        .help("choose another folder with --output or output_dir in config.toml, e.g. public")
    };
    if root.starts_with(&resolved) {
        return Err(refuse("it contains the site's own files".into()));
    }
    for dir in SOURCE_DIRS {
        if resolved.starts_with(root.join(dir)) {
            return Err(refuse(format!("it is inside the site's {dir}/ folder")));
        }
    }
    if resolved.is_file() {
        return Err(refuse("it is a file".into()));
    }
    if resolved.is_dir() && !looks_like_output(&resolved) {
        return Err(refuse(
            "it is not empty and does not look like a brief build (no index.html), so replacing it could lose files".into(),
        ));
    }
    Ok(())
}

/// Canonical form of a path that may not exist yet (its parent may not either).
fn canonical_target(target: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(target) {
        return path;
    }
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical_target(parent).join(name)
        }
        _ => std::env::current_dir()
            .map(|d| d.join(target))
            .unwrap_or_else(|_| target.to_path_buf()),
    }
}

fn looks_like_output(dir: &Path) -> bool {
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(_) => return false,
    };
    entries.next().is_none() || dir.join("index.html").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_source_folders_and_the_root() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        for bad in [
            site.path().to_path_buf(),
            site.path().join("content"),
            site.path().join("content/x"),
        ] {
            let err = Staging::new(site.path(), &bad).unwrap_err();
            assert!(err.message.contains("refusing"), "{err}");
        }
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_previous_build() {
        let site = tempfile::tempdir().unwrap();
        let docs = site.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("notes.txt"), "mine").unwrap();
        assert!(Staging::new(site.path(), &docs).is_err());
    }

    #[test]
    fn uncommitted_staging_leaves_old_output_untouched() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::new(site.path(), &out).unwrap();
            staging.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(site.path()).unwrap().count(),
            1,
            "temp folder removed"
        );
        let staging = Staging::new(site.path(), &out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1);
    }
}
