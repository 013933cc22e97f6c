//! The load cache, in `.brief-cache/build/briefs/`: each brief as an earlier build loaded it
//! (its Markdown rendered, its words counted, its search terms, files and warnings), so that a
//! build after an edit to one brief parses and renders that brief alone.
//!
//! An entry is named by a hash of the brief's text and path and of everything else its
//! loading reads ([`Loads::environment`]): the `brief` binary (the built-in theme, the code),
//! every input file that is not a brief or author (config.toml, the site's templates, theme,
//! i18n, static and bundle files, bibliographies), the build options, the site's folder, and
//! where every document is published (`@/` links). Any change to those gives every brief a
//! new name, so an entry is used only for exactly the inputs it was made from; the front
//! matter is read from the file again (it is small, and that keeps its parsed form out of the
//! cache). An entry that cannot be read, is damaged or cut short, or names another key is
//! ignored with one warning naming it, and the brief is loaded and its entry written again.
//! Only briefs that loaded without errors are kept; the entries a build did not use are
//! removed, so the folder holds one entry per brief.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fingerprint::{Hashes, hash};
use crate::bibliography::Cited;
use crate::content::publication::{Download, Publication};
use crate::content::{Asset, Brief, Source, brief};
use crate::error::{Diagnostic, Kind};
use crate::images::{Card, Job};
use crate::markdown::links::LinkMap;
use crate::markdown::{Note, TocEntry};
use crate::search::Lexicon;
use crate::search::terms::Spelled;
use crate::site::{BriefCache, Site};

/// The entries' folder, inside the build cache's.
pub const FOLDER: &str = "briefs";

/// What every entry file starts with; the number is the layout's version (the binary's hash
/// is in the key too, so a layout change is caught either way).
const MAGIC: &[u8] = b"brief load cache 1\n";

/// The briefs of one build's site, as earlier builds loaded them.
pub struct Loads {
    dir: PathBuf,
    /// `dir` as named in messages: relative to the site root.
    shown: String,
    /// See [`Loads::environment`].
    environment: String,
    /// The environment with the site's `@/` link targets, once they are known.
    keyed: OnceLock<String>,
    /// The site's language, for search terms of a brief without `lang`.
    language: String,
    /// Keys of the entries this build used.
    used: Mutex<HashSet<String>>,
    /// Briefs loaded because they had no entry: (source, key).
    missed: Mutex<Vec<(PathBuf, String)>>,
    /// The first entry found damaged.
    problem: Mutex<Option<Diagnostic>>,
    /// The PDF of each brief loaded, as loaded: the build links typeset PDFs to briefs
    /// afterwards, which an entry must not keep.
    pdfs: Mutex<HashMap<PathBuf, Option<Download>>>,
}

/// An entry: a [`Brief`] but for its source, its front matter (read again from the file) and
/// its search terms, which are spelled out instead of numbered in one build's lexicon.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The key the entry was written under, checked on reading.
    key: String,
    slug: String,
    summary: String,
    body: String,
    furniture: Vec<Range<usize>>,
    toc: Vec<TocEntry>,
    show_toc: bool,
    notes: Vec<Note>,
    references: Vec<String>,
    cited: Vec<Cited>,
    key_takeaways: Vec<String>,
    word_count: usize,
    search: Spelled,
    hero_image: Option<Asset>,
    hero_caption: Option<String>,
    recommendations: Vec<String>,
    publication: Publication,
    assets: Vec<(PathBuf, String)>,
    images: Vec<Job>,
    static_images: Vec<Job>,
    hero_picture: Option<Job>,
    card: Option<Card>,
    social_card: Option<Asset>,
    warnings: Vec<Diagnostic>,
}

impl Entry {
    /// The entry of `brief` (as loaded, before PDFs were linked) under `key`.
    fn of(key: String, brief: &Brief, lexicon: &Lexicon) -> Entry {
        // Every field named, so that a field added to `Brief` cannot be forgotten here.
        let Brief {
            source: _,
            front: _,
            keys: _,
            slug,
            summary,
            body,
            furniture,
            toc,
            show_toc,
            notes,
            references,
            cited,
            key_takeaways,
            word_count,
            search,
            hero_image,
            hero_caption,
            recommendations,
            publication,
            assets,
            images,
            static_images,
            hero_picture,
            card,
            social_card,
            warnings,
        } = brief;
        Entry {
            key,
            slug: slug.clone(),
            summary: summary.clone(),
            body: body.clone(),
            furniture: furniture.clone(),
            toc: toc.clone(),
            show_toc: *show_toc,
            notes: notes.clone(),
            references: references.clone(),
            cited: cited.clone(),
            key_takeaways: key_takeaways.clone(),
            word_count: *word_count,
            search: lexicon.spell(search),
            hero_image: hero_image.clone(),
            hero_caption: hero_caption.clone(),
            recommendations: recommendations.clone(),
            publication: publication.clone(),
            assets: assets.clone(),
            images: images.clone(),
            static_images: static_images.clone(),
            hero_picture: hero_picture.clone(),
            card: card.clone(),
            social_card: social_card.clone(),
            warnings: warnings.clone(),
        }
    }

    /// The brief of this entry, whose file is `source`; `None` when its front matter cannot
    /// be read (the brief is then loaded, which says why).
    fn into_brief(self, source: &Source, lexicon: &Lexicon, site_language: &str) -> Option<Brief> {
        let (front, keys) = brief::front_matter(source)?;
        let language = front.lang.as_deref().unwrap_or(site_language);
        let search = lexicon.respelled(language, &self.search);
        Some(Brief {
            source: source.path.rel.clone(),
            front,
            keys,
            slug: self.slug,
            summary: self.summary,
            body: self.body,
            furniture: self.furniture,
            toc: self.toc,
            show_toc: self.show_toc,
            notes: self.notes,
            references: self.references,
            cited: self.cited,
            key_takeaways: self.key_takeaways,
            word_count: self.word_count,
            search,
            hero_image: self.hero_image,
            hero_caption: self.hero_caption,
            recommendations: self.recommendations,
            publication: self.publication,
            assets: self.assets,
            images: self.images,
            static_images: self.static_images,
            hero_picture: self.hero_picture,
            card: self.card,
            social_card: self.social_card,
            warnings: self.warnings,
        })
    }
}

impl Loads {
    /// The load cache of the site at `root` for a build whose environment is `environment`
    /// ([`Loads::environment`]) in a site whose language is `language`.
    pub fn new(root: &Path, environment: String, language: &str) -> Loads {
        Loads {
            dir: root.join(super::DIR).join(FOLDER),
            shown: format!("{}/{FOLDER}", super::DIR),
            environment,
            keyed: OnceLock::new(),
            language: language.to_string(),
            used: Mutex::new(HashSet::new()),
            missed: Mutex::new(Vec::new()),
            problem: Mutex::new(None),
            pdfs: Mutex::new(HashMap::new()),
        }
    }

    /// A hash of everything a brief's loading reads but its own file and the site's link
    /// targets: the binary's hash, every input that is not a brief or author file (a brief's
    /// loading reads no author), the build options that reach the loading, and the site's
    /// folder (bundle files are found by their full path).
    pub fn environment(
        binary: &str,
        inputs: &Hashes,
        root: &Path,
        base_url: Option<&str>,
        drafts: bool,
    ) -> String {
        let mut text = format!(
            "{}\n{binary}\n{}\n{base_url:?}\n{drafts}\n",
            String::from_utf8_lossy(MAGIC),
            root.display()
        );
        for (path, hash) in inputs {
            if !super::shape::is_document(path) {
                text.push_str(&format!("{path}\t{hash}\n"));
            }
        }
        hash(text.as_bytes())
    }

    /// The name of the entry of `source`: its path and text in the environment, or `None`
    /// before the link targets are known.
    fn key(&self, source: &Source) -> Option<String> {
        let keyed = self.keyed.get()?;
        let mut bytes = Vec::with_capacity(source.text.len() + 128);
        bytes.extend_from_slice(keyed.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(source.path.rel.to_string_lossy().as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(source.text.as_bytes());
        Some(hash(&bytes))
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.bin"))
    }

    /// Notes the first damaged entry, for one warning.
    fn damaged(&self, key: &str, why: &str) {
        let mut problem = self.problem.lock().unwrap_or_else(|e| e.into_inner());
        problem.get_or_insert_with(|| {
            Diagnostic::warning(
                Kind::Io,
                format!(
                    "ignoring a damaged entry of the build cache ({why}); the brief is loaded again"
                ),
            )
            .in_file(format!("{}/{key}.bin", self.shown))
        });
    }

    /// The entry named `key`, if it is there and sound.
    fn read(&self, key: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.file(key)).ok()?;
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            self.damaged(key, "it is not an entry of this version of brief");
            return None;
        };
        match bincode::deserialize::<Entry>(body) {
            Ok(entry) if entry.key == key => Some(entry),
            Ok(_) => {
                self.damaged(key, "it names another brief");
                None
            }
            Err(e) => {
                self.damaged(key, &e.to_string());
                None
            }
        }
    }

    /// Notes the briefs loaded as they are before PDFs are linked to them. Called right after
    /// the site is loaded.
    pub fn loaded(&self, site: &Site) {
        let missed: HashSet<PathBuf> = self
            .missed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(source, _)| source.clone())
            .collect();
        let mut pdfs = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
        for brief in site.briefs.iter().filter(|b| missed.contains(&b.source)) {
            pdfs.insert(brief.source.clone(), brief.publication.pdf.clone());
        }
    }

    /// Writes the entries of the briefs this build loaded (as [`Loads::loaded`] saw them),
    /// and removes those it did not use; a warning when an entry was damaged or could not be
    /// written. Called once the build's outputs are made.
    pub fn save(&self, site: &Site) -> Vec<Diagnostic> {
        let mut warnings: Vec<Diagnostic> = self
            .problem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .into_iter()
            .collect();
        let missed = std::mem::take(&mut *self.missed.lock().unwrap_or_else(|e| e.into_inner()));
        let pdfs = std::mem::take(&mut *self.pdfs.lock().unwrap_or_else(|e| e.into_inner()));
        let by_source: HashMap<&Path, &Brief> = site
            .briefs
            .iter()
            .map(|b| (b.source.as_path(), b))
            .collect();
        let written: Vec<Result<String, std::io::Error>> = missed
            .par_iter()
            .filter_map(|(source, key)| {
                let brief = by_source.get(source.as_path())?;
                let pdf = pdfs.get(source)?;
                Some(
                    self.write(key, brief, pdf, &site.lexicon)
                        .map(|()| key.clone()),
                )
            })
            .collect();
        let mut keep = std::mem::take(&mut *self.used.lock().unwrap_or_else(|e| e.into_inner()));
        for result in written {
            match result {
                Ok(key) => {
                    keep.insert(key);
                }
                Err(e) if warnings.is_empty() => warnings.push(
                    Diagnostic::warning(Kind::Io, format!("could not save the build cache: {e}"))
                        .in_file(&self.shown)
                        .help("the next build loads every brief again; check that the site folder is writable"),
                ),
                Err(_) => {}
            }
        }
        self.prune(&keep);
        warnings
    }

    /// Writes the entry of `brief` (beside its name, then renamed into place, so that a build
    /// killed meanwhile leaves no entry cut short).
    fn write(
        &self,
        key: &str,
        brief: &Brief,
        pdf: &Option<Download>,
        lexicon: &Lexicon,
    ) -> std::io::Result<()> {
        let mut entry = Entry::of(key.to_string(), brief, lexicon);
        entry.publication.pdf.clone_from(pdf);
        let mut bytes = MAGIC.to_vec();
        bincode::serialize_into(&mut bytes, &entry).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        let file = self.file(key);
        let temp = file.with_extension(format!("{}.new", std::process::id()));
        std::fs::write(&temp, bytes)
            .and_then(|()| std::fs::rename(&temp, &file))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            })
    }

    /// Removes the entries not named in `keep`.
    fn prune(&self, keep: &HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if let Some(key) = name.strip_suffix(".bin")
                && !keep.contains(key)
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl BriefCache for Loads {
    fn links(&self, links: &LinkMap) {
        // The map's `Debug` text holds every target; it is stable for one binary, whose hash
        // is in the environment.
        let text = format!("{}\n{links:?}", self.environment);
        let _ = self.keyed.set(hash(text.as_bytes()));
    }

    fn get(&self, source: &Source, lexicon: &Lexicon) -> Option<Brief> {
        let key = self.key(source)?;
        let brief = self
            .read(&key)?
            .into_brief(source, lexicon, &self.language)?;
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.insert(key);
        Some(brief)
    }

    fn missed(&self, source: &Source) {
        if let Some(key) = self.key(source) {
            let mut missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
            missed.push((source.path.rel.clone(), key));
        }
    }
}
