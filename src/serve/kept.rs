//! The folder `brief serve` builds into when no `--output` is given: kept between starts in the
//! site's build cache folder, `.brief-cache/serve/<drafts shown|hidden>/site/`, so that a second
//! start on an unchanged site writes nothing ([`super::rebuild::State::start`] checks it against
//! the build cache's record of it, which a server killed mid-rebuild leaves out of date).
//!
//! One server at a time uses a kept folder: it holds the lock file beside the folder while it
//! runs, and a second server of the same site falls back to a temporary folder. Only `site/` is
//! served; the lock file next to it is not in it.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Where the kept folders are, relative to the site root.
pub const DIR: &str = ".brief-cache/serve";

/// A kept output folder, locked for this server until dropped.
#[derive(Debug)]
pub struct Kept {
    site: PathBuf,
    /// The file holding the port the folder was last served on.
    port: PathBuf,
    _lock: File,
}

/// Why there is no kept folder to use.
#[derive(Debug)]
pub enum Unavailable {
    /// Another `brief serve` of this site (with the same drafts option) holds it.
    InUse,
    /// It cannot be made or locked (a read-only site folder, a file system without locks).
    Failed(std::io::Error),
}

impl Kept {
    /// The kept folder of the site at `root` for serving with drafts shown or hidden, locked.
    pub fn claim(root: &Path, drafts: bool) -> Result<Kept, Unavailable> {
        let dir = root.join(DIR).join(if drafts {
            "drafts-shown"
        } else {
            "drafts-hidden"
        });
        std::fs::create_dir_all(&dir).map_err(Unavailable::Failed)?;
        let lock = File::create(dir.join("lock")).map_err(Unavailable::Failed)?;
        match lock.try_lock() {
            Ok(()) => Ok(Kept {
                site: dir.join("site"),
                port: dir.join("port"),
                _lock: lock,
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Unavailable::InUse),
            Err(std::fs::TryLockError::Error(e)) => Err(Unavailable::Failed(e)),
        }
    }

    /// The folder served (it may not exist yet).
    pub fn site(&self) -> &Path {
        &self.site
    }

    /// The port the folder was last served on. Its pages name their address with the port
    /// (canonical links, feeds, the sitemap), so `--port 0` tries this one first: served on
    /// another port, every page changes.
    pub fn last_port(&self) -> Option<u16> {
        std::fs::read_to_string(&self.port)
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Notes the port the folder is served on, for [`Kept::last_port`].
    pub fn remember_port(&self, port: u16) {
        let _ = std::fs::write(&self.port, format!("{port}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_at_a_time_holds_a_kept_folder() {
        let root = tempfile::tempdir().unwrap();
        let first = Kept::claim(root.path(), true).unwrap();
        assert!(matches!(
            Kept::claim(root.path(), true),
            Err(Unavailable::InUse)
        ));
        let hidden = Kept::claim(root.path(), false).unwrap();
        assert_ne!(first.site(), hidden.site(), "drafts hidden: another folder");
        assert!(first.site().starts_with(root.path().join(DIR)));
        first.remember_port(4321);
        drop(first);
        let again = Kept::claim(root.path(), true).expect("free once dropped");
        assert_eq!(again.last_port(), Some(4321));
        assert_eq!(hidden.last_port(), None);
    }
}
