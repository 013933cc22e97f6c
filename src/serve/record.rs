//! The build cache's record ([`crate::build_cache`]) of a folder `brief serve` keeps between
//! starts ([`super::kept`]): what the inputs were when the site in it was built, and the size
//! and time of every file in it. A full rebuild of the served site first takes the inputs'
//! fingerprint ([`Fingerprint::take`]), before anything is read, and after writing saves the
//! record; then, when the next start finds the same inputs and the folder as that record left
//! it, it writes nothing, and when only briefs or authors were edited, only the pages showing
//! them. Anything written into the folder afterwards (a rebuild, a server killed mid-write)
//! changes the files' times, so the next start no longer trusts the record.
//!
//! When the server stops, [`Session::close`] saves the record again for the folder as it is,
//! with the inputs of the first build except for the files edited while it ran: those are
//! marked as edited, so the next start renders their pages again rather than trusting that
//! the served ones show their last version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::build_cache::fingerprint::{self, Binary, Hashes, Stamps};
use crate::build_cache::loads::Loads;
use crate::build_cache::shape::{self, Shape};
use crate::build_cache::{self, Cache, Record};
use crate::error::Diagnostic;
use crate::output::{MANIFEST, Manifest};
use crate::site::Site;

/// The hash given to an input edited while the server ran: never the hash of a file, so the
/// next start takes the file as edited.
const EDITED_WHILE_SERVING: &str = "edited while serving";

/// The inputs of a full rebuild into a kept folder, taken before the site is loaded, with the
/// folder's last record.
pub struct Fingerprint {
    cache: Cache,
    /// The last record, when the running binary wrote it.
    previous: Option<Record>,
    inputs: Hashes,
    stamps: Stamps,
    binary: Binary,
    /// Whether every file of the previous record is in the folder as it was written.
    intact: bool,
    /// Why the last record was not used, when it was there.
    pub note: Option<Diagnostic>,
}

/// What the served folder needs, by the record.
pub enum Needs {
    /// Nothing: the inputs and the folder are those of the record. `always`: the files each
    /// output written in every build made ([`crate::outputs::write_recorded`]).
    Nothing {
        always: BTreeMap<String, Vec<String>>,
    },
    /// Only these pages (output paths), those showing the briefs and authors edited since,
    /// with the outputs written in every build (which made `always` last time).
    Pages {
        pages: BTreeSet<String>,
        always: BTreeMap<String, Vec<String>>,
    },
    /// Every output.
    Everything,
}

impl Fingerprint {
    /// The inputs of the site at `root` for a build into `output` with `base_url`; `None` when
    /// config.toml cannot be read (the build reports why).
    pub fn take(root: &Path, output: &Path, base_url: &str, drafts: bool) -> Option<Fingerprint> {
        let config = crate::build::read_config(root)?;
        let cache = Cache::new(root, output, Some(base_url), drafts, false);
        let taken = cache.take(root, output, crate::build::config_named(&config));
        Some(Fingerprint {
            cache,
            previous: taken.previous,
            inputs: taken.inputs,
            stamps: taken.stamps,
            binary: taken.binary,
            intact: taken.intact,
            note: taken.note,
        })
    }

    /// The load cache for this build's briefs.
    pub fn loads(&self, root: &Path, drafts: bool) -> Loads {
        let environment = Loads::environment(&self.binary.hash, &self.inputs, root, drafts);
        Loads::new(root, environment, self.inputs.clone())
    }

    /// What the folder needs to show the site now loaded as `site`.
    pub fn needs(&self, site: &Site) -> Needs {
        let Some(previous) = self.previous.as_ref().filter(|_| self.intact) else {
            return Needs::Everything;
        };
        let always = previous.shape.always.clone();
        if previous.inputs == self.inputs {
            return Needs::Nothing { always };
        }
        let Some(edited) = shape::edited_documents(&previous.inputs, &self.inputs) else {
            return Needs::Everything;
        };
        let now = Shape::of(site);
        match now.affected(&previous.shape, site, &edited) {
            Some(pages) => Needs::Pages { pages, always },
            None => Needs::Everything,
        }
    }

    /// Saves the record of the folder `output` as this build left it, showing `site`; the
    /// session that keeps it up to date while the server runs. A warning when it cannot be
    /// saved (the next start then builds in full).
    pub fn save(
        self,
        site: &Site,
        output: &Path,
        always: BTreeMap<String, Vec<String>>,
    ) -> (Session, Option<Diagnostic>) {
        let mut inputs = self.inputs;
        let named = crate::build::named_files(site);
        for name in &named {
            if !inputs.contains_key(name) {
                let hash = fingerprint::inputs_named(&site.root, name);
                inputs.insert(name.clone(), hash);
            }
        }
        let mut record = self.cache.record(self.binary.hash.clone(), inputs, named);
        record.stamps = self.stamps;
        record.shape = Shape::of(site);
        record.shape.always = always;
        record.drafts_left_out = site.drafts_left_out;
        record.outputs = served_stamps(output);
        let problem = self.cache.write(&record).err();
        if problem.is_none() {
            self.binary.remember();
        }
        let session = Session {
            cache: self.cache,
            record,
            edited: BTreeSet::new(),
        };
        (session, problem)
    }
}

/// The stamps of every file brief wrote into `output`, its manifest included.
fn served_stamps(output: &Path) -> BTreeMap<String, (u64, u64)> {
    let written = Manifest::read(output).ok().flatten().unwrap_or_default();
    let manifest = MANIFEST.to_string();
    build_cache::stamps(output, written.0.iter().chain(std::iter::once(&manifest)))
}

/// The record of a kept folder since its last full rebuild, and the inputs edited since.
pub struct Session {
    cache: Cache,
    record: Record,
    edited: BTreeSet<String>,
}

impl Session {
    /// Notes that the served folder now shows `paths` (site paths of inputs) as they were
    /// read after the record was saved.
    pub fn edited<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.edited
                .insert(path.to_string_lossy().replace('\\', "/"));
        }
    }

    /// The files each output written in every build made, for the record.
    pub fn always_mut(&mut self) -> &mut BTreeMap<String, Vec<String>> {
        &mut self.record.shape.always
    }

    /// Saves the record of the folder `output` as the server leaves it: the files as they are
    /// now, the inputs edited meanwhile marked as edited (and their stamps dropped, so they
    /// are read again). A warning when it cannot be saved.
    pub fn close(mut self, output: &Path) -> Option<Diagnostic> {
        for path in &self.edited {
            if let Some(hash) = self.record.inputs.get_mut(path) {
                *hash = EDITED_WHILE_SERVING.to_string();
            }
            self.record.stamps.remove(path);
        }
        self.record.outputs = served_stamps(output);
        self.cache.write(&self.record).err()
    }
}
