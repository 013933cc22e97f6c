//! The load cache, in `.brief-cache/build/briefs/`: each brief as an earlier build loaded it
//! (its Markdown rendered, its words counted, its search terms, files and warnings), so that a
//! build after an edit to one brief parses and renders that brief alone. Search terms stay
//! numbered in the stored search lexicon ([`super::lexicon`]), and the related-brief lists of
//! the whole site are kept beside it ([`RELATED`]), so that a warm build neither numbers every
//! word of every brief again nor ranks every pair of briefs.
//!
//! An entry is named by a hash of the brief's text and path and of everything else its
//! loading reads ([`Loads::environment`]): the `brief` binary (the built-in theme, the code),
//! every input file that is not a brief or author (config.toml, the site's templates, theme,
//! i18n, static and bundle files, bibliographies), the build options and the site's folder.
//! Any change to those gives every brief a new name. Where every document is published (`@/`
//! links) is known only once every front matter is read, so an entry holds a hash of that
//! instead, and is used only if it matches: an entry is used only for exactly the inputs it
//! was made from. The entry holds the brief's front matter as parsed (with where each key is),
//! so that a brief found in the cache is not read at all: on a 10,000-brief site, reading
//! every file and parsing its TOML again was a fifth of a build after one edit. An entry that
//! cannot be read, is damaged or cut short, or names another key is ignored with one warning
//! naming it, and the brief is loaded and its entry written again.
//! Only briefs that loaded without errors are kept; the entries that none of the last
//! [`ENVIRONMENTS`] builds used are removed, so the folder holds one or two entries per brief.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fingerprint::{Hashes, hash};
use crate::bibliography::Cited;
use crate::content::body::{Folder, Stored};
use crate::content::brief::FrontMatter;
use crate::content::publication::{Download, Publication};
use crate::content::{Asset, Brief, Source, SourcePath};
use crate::error::{Diagnostic, Kind};
use crate::images::{Card, Job};
use crate::markdown::links::LinkMap;
use crate::search::Lexicon;
use crate::search::terms::Terms;
use crate::site::{BriefCache, CachedBrief, Site};

/// The entries' folder, inside the build cache's.
pub const FOLDER: &str = "briefs";

/// The folder, in the build cache's, of what is kept per environment ([`Loads::environment`]):
/// `<environment>/keys`, the entries its last build used, and `<environment>/related.bin`.
/// The entries of the [`ENVIRONMENTS`] newest environments are kept, so that alternating
/// `brief build` and `brief serve` (whose drafts and options differ) does not load every brief
/// again at each switch.
const ENVS: &str = "envs";

/// Environments whose entries are kept.
const ENVIRONMENTS: usize = 2;

/// The file keeping the related-brief lists of the last build of an environment that made
/// them, in its folder ([`ENVS`]): (key, lists). The key hashes the environment and every
/// brief's inputs to them ([`crate::taxonomy::related_inputs`]), so they are used only for
/// exactly those.
const RELATED: &str = "related.bin";
const RELATED_MAGIC: &[u8] = b"brief related 2\n";

/// What every entry file starts with; the number is the layout's version (the binary's hash
/// is in the key too, so a layout change is caught either way).
const MAGIC: &[u8] = b"brief load cache 5\n";

/// Bytes before an entry: [`MAGIC`], the two lengths and their checksums.
const HEAD: usize = MAGIC.len() + 24;

/// The briefs of one build's site, as earlier builds loaded them.
pub struct Loads {
    dir: PathBuf,
    /// `dir` as named in messages: relative to the site root.
    shown: String,
    /// The two, for the bodies the briefs' pages read back from their entries.
    folder: std::sync::Arc<Folder>,
    /// See [`Loads::environment`].
    environment: String,
    /// The build's input files' hashes ([`super::fingerprint::inputs`]).
    hashes: Hashes,
    /// The hash of the site's `@/` link targets, once they are known.
    links: OnceLock<String>,
    /// Related-brief lists made by this build, with their key, to keep for the next.
    related: Mutex<Option<(String, Vec<Vec<usize>>)>>,
    /// The stored lexicon as [`BriefCache::lexicon`] read it, and its ids.
    lexicon: OnceLock<(super::lexicon::Kept, HashSet<String>)>,
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

/// An entry: a [`Brief`] but for its source and its body. Its search terms are numbered in the
/// stored lexicon ([`LEXICON`]) whose id it names. The file is [`MAGIC`], the lengths of the
/// entry and of the body (`u64`, little endian), their CRC-32s (`u32`), the entry, then the body
/// ([`crate::content::body::Body`]), which only the brief's page reads: a build reads the
/// entry, reads the body only to check its CRC, and leaves it where it is ([`Stored::InFile`])
/// until a page needs it. (The check reads every body of a one-edit build: at 10,000 briefs
/// it cost 0.01-0.02 s of 0.62 s.)
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The key the entry was written under, checked on reading.
    key: String,
    /// The id of the stored lexicon its terms are numbered in.
    lexicon: String,
    /// The hash of the site's link targets it was loaded with ([`BriefCache::links`]).
    links: String,
    /// The front matter as parsed, in CBOR: a self-describing format, which its TOML values
    /// (`extra`) and its keys of one type or another (`bibliography`) need, and bincode is not.
    front: Vec<u8>,
    keys: crate::tomlkeys::Lines,
    slug: String,
    summary: String,
    show_toc: bool,
    references: Vec<String>,
    citations: crate::markdown::citations::Made,
    cited: Vec<Cited>,
    key_takeaways: Vec<String>,
    word_count: usize,
    search: Terms,
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
    fn of(key: String, brief: &Brief, lexicon: String, links: String) -> std::io::Result<Entry> {
        // Every field named, so that a field added to `Brief` cannot be forgotten here.
        let Brief {
            source: _,
            front,
            keys,
            slug,
            summary,
            body: _,
            show_toc,
            references,
            citations,
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
        Ok(Entry {
            key,
            lexicon,
            links,
            front: front_bytes(front)?,
            keys: keys.clone(),
            slug: slug.clone(),
            summary: summary.clone(),
            show_toc: *show_toc,
            references: references.clone(),
            citations: citations.clone(),
            cited: cited.clone(),
            key_takeaways: key_takeaways.clone(),
            word_count: *word_count,
            search: search.clone(),
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
        })
    }

    /// The brief of this entry, whose file is `rel` and whose body is `body`; an error when
    /// its front matter cannot be read back.
    fn into_brief(self, rel: &Path, body: Stored) -> Result<Brief, String> {
        let front = front_of(&self.front)?;
        Ok(Brief {
            source: rel.to_path_buf(),
            front,
            keys: self.keys,
            slug: self.slug,
            summary: self.summary,
            body,
            show_toc: self.show_toc,
            references: self.references,
            citations: self.citations,
            cited: self.cited,
            key_takeaways: self.key_takeaways,
            word_count: self.word_count,
            search: self.search,
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
    /// ([`Loads::environment`]).
    pub fn new(root: &Path, environment: String, hashes: Hashes) -> Loads {
        let dir = root.join(super::DIR).join(FOLDER);
        let shown = format!("{}/{FOLDER}", super::DIR);
        Loads {
            folder: std::sync::Arc::new(Folder {
                dir: dir.clone(),
                shown: shown.clone(),
            }),
            dir,
            shown,
            environment,
            hashes,
            links: OnceLock::new(),
            lexicon: OnceLock::new(),
            related: Mutex::new(None),
            used: Mutex::new(HashSet::new()),
            missed: Mutex::new(Vec::new()),
            problem: Mutex::new(None),
            pdfs: Mutex::new(HashMap::new()),
        }
    }

    /// A hash of everything a brief's loading reads but its own file and the site's link
    /// targets: the binary's hash, every input that is not a brief or author file (a brief's
    /// loading reads no author), whether drafts are built, and the site's folder (bundle files
    /// are found by their full path). Not the base URL: a brief's loading uses only its path,
    /// which is in the link map every entry is checked against ([`Entry::links`]), so that
    /// `brief serve` on any port shares the entries of `brief build`'s drafts setting.
    pub fn environment(binary: &str, inputs: &Hashes, root: &Path, drafts: bool) -> String {
        let mut text = format!(
            "{}\n{binary}\n{}\n{drafts}\n",
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

    /// The name of the entry of the brief whose file is `rel` and whose text hashes to
    /// `text` ([`hash`], as the build's fingerprint hashes files): its path and text in the
    /// environment. (The link targets are checked apart, [`Entry::links`]: they are known only
    /// once every brief's front matter is read, which an entry spares.)
    fn key(&self, rel: &Path, text: &str) -> String {
        let rel = rel.to_string_lossy();
        hash(format!("{}\0{rel}\0{text}", self.environment).as_bytes())
    }

    /// The name of the entry to look for for the file `path`: by the hash the fingerprint
    /// found for it, so that it is not read (nor hashed) again; a file the fingerprint did not
    /// see is read and hashed. (Were the file edited since, the entry is the brief as
    /// fingerprinted, which the build cache's record then names; the next build sees the new
    /// version.) `None` when the file cannot be read.
    fn key_to_find(&self, path: &SourcePath) -> Option<String> {
        let rel = &path.rel;
        match self.hashes.get(&*rel.to_string_lossy().replace('\\', "/")) {
            Some(text) => Some(self.key(rel, text)),
            None => {
                let source = path.read().ok()?;
                Some(self.key(rel, &hash(source.text.as_bytes())))
            }
        }
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

    /// The entry named `key`, if it is there and sound, and where its body is.
    fn read(&self, key: &str) -> Option<(Entry, Stored)> {
        let mut file = std::fs::File::open(self.file(key)).ok()?;
        let (light, heavy) = match entry_lengths(&mut file) {
            Ok(Some(lengths)) => lengths,
            Ok(None) => {
                self.damaged(key, "it is not an entry of this version of brief");
                return None;
            }
            Err(e) => {
                self.damaged(key, &e.to_string());
                return None;
            }
        };
        let mut bytes = vec![0; light.len];
        if let Err(e) = file.read_exact(&mut bytes) {
            self.damaged(key, &e.to_string());
            return None;
        }
        // The body is read here only to check it: a damaged one found when its page is
        // written could no longer be loaded again.
        let mut body = Vec::new();
        if let Err(e) = file.read_to_end(&mut body) {
            self.damaged(key, &e.to_string());
            return None;
        }
        if super::seal::checksum(&bytes) != light.sum || super::seal::checksum(&body) != heavy.sum {
            self.damaged(key, "its checksum does not match");
            return None;
        }
        drop(body);
        let body = Stored::InFile {
            folder: self.folder.clone(),
            name: format!("{key}.bin").into(),
            at: (HEAD + light.len) as u64,
            len: heavy.len as u64,
        };
        let entry = match bincode::deserialize::<Entry>(&bytes) {
            // Numbered in a lexicon that is not the stored one's past: loaded again.
            Ok(entry) if entry.key == key && !self.numbered_in(&entry.lexicon) => None,
            Ok(entry) if entry.key == key && !entry.search.fits(self.lexicon_words()) => {
                self.damaged(key, "its search words are not in the lexicon");
                None
            }
            Ok(entry) if entry.key == key => Some(entry),
            Ok(_) => {
                self.damaged(key, "it names another brief");
                None
            }
            Err(e) => {
                self.damaged(key, &e.to_string());
                None
            }
        }?;
        Some((entry, body))
    }

    /// How many words the stored lexicon numbers.
    fn lexicon_words(&self) -> usize {
        self.lexicon.get().map_or(0, |(kept, _)| kept.words())
    }

    /// Whether `id` names a version of the stored lexicon the site's lexicon starts with.
    fn numbered_in(&self, id: &str) -> bool {
        self.lexicon.get().is_some_and(|(_, ids)| ids.contains(id))
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
        let (lexicon, grown) = match self.lexicon.get() {
            Some((kept, _)) => super::lexicon::version(kept, &site.lexicon.lock()),
            None => (String::new(), None),
        };
        let lexicon_file = super::lexicon::path(self.dir.parent().unwrap_or(&self.dir));
        let mut missed = missed;
        if self.lexicon.get().is_none() {
            // No lexicon was read, so no number of this build's can be kept.
            missed.clear();
        }
        if let Some(bytes) = grown
            && let Err(e) = super::lexicon::write(&lexicon_file, &bytes)
        {
            warnings.push(
                Diagnostic::warning(Kind::Io, format!("could not save the build cache: {e}"))
                    .in_file(format!("{}/{}", super::DIR, super::lexicon::FILE))
                    .help("the next build loads the edited briefs again; check that the site folder is writable"),
            );
            // Their terms are numbered in a lexicon that was not kept.
            missed.clear();
        }
        if let Some((key, lists)) = self
            .related
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            && let Err(e) = self.write_related(&key, &lists)
        {
            warnings.push(
                Diagnostic::warning(Kind::Io, format!("could not save the build cache: {e}"))
                    .in_file(format!(
                        "{}/{ENVS}/{}/{RELATED}",
                        super::DIR,
                        self.environment
                    )),
            );
        }
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
                Some(self.write(key, brief, pdf, &lexicon).map(|()| key.clone()))
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
        let keep = self.recent_keys(keep);
        self.prune(&keep);
        warnings
    }

    /// This environment's folder ([`ENVS`]).
    fn env_dir(&self) -> PathBuf {
        let cache = self.dir.parent().unwrap_or(&self.dir);
        cache.join(ENVS).join(&self.environment)
    }

    /// `used`, the keys of the entries this build used or wrote, with those the other recent
    /// environments' last builds used: notes `used` as this environment's, and forgets all but
    /// the [`ENVIRONMENTS`] newest environments.
    fn recent_keys(&self, mut used: HashSet<String>) -> HashSet<String> {
        let mine = self.env_dir();
        let mut keys: Vec<&str> = used.iter().map(String::as_str).collect();
        keys.sort_unstable();
        // Were the list not saved, the next build of another environment would remove this
        // one's entries: a cost, not a fault.
        let _ = super::lexicon::write(&mine.join("keys"), keys.join("\n").as_bytes());
        let Some(envs) = mine.parent() else {
            return used;
        };
        let mut others: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(envs)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|path| *path != mine)
            .map(|path| {
                let time = std::fs::metadata(path.join("keys")).and_then(|m| m.modified());
                (time.unwrap_or(std::time::UNIX_EPOCH), path)
            })
            .collect();
        others.sort_by(|a, b| b.cmp(a));
        for (rank, (_, path)) in others.into_iter().enumerate() {
            if rank + 1 >= ENVIRONMENTS {
                let _ = std::fs::remove_dir_all(&path);
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(path.join("keys")) {
                used.extend(text.lines().map(str::to_string));
            }
        }
        used
    }

    /// Writes the entry of `brief` (beside its name, then renamed into place, so that a build
    /// killed meanwhile leaves no entry cut short).
    fn write(
        &self,
        key: &str,
        brief: &Brief,
        pdf: &Option<Download>,
        lexicon: &str,
    ) -> std::io::Result<()> {
        let links = self.links.get().cloned().unwrap_or_default();
        let mut entry = Entry::of(key.to_string(), brief, lexicon.to_string(), links)?;
        entry.publication.pdf.clone_from(pdf);
        let light = bincode::serialize(&entry).map_err(std::io::Error::other)?;
        let body = brief.body.get().map_err(std::io::Error::other)?;
        let heavy = bincode::serialize(&*body).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(HEAD + light.len() + heavy.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(light.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&(heavy.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&super::seal::checksum(&light).to_le_bytes());
        bytes.extend_from_slice(&super::seal::checksum(&heavy).to_le_bytes());
        bytes.extend_from_slice(&light);
        bytes.extend_from_slice(&heavy);
        std::fs::create_dir_all(&self.dir)?;
        let file = self.file(key);
        let temp = file.with_extension(format!("{}.new", std::process::id()));
        std::fs::write(&temp, bytes)
            .and_then(|()| std::fs::rename(&temp, &file))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            })
    }

    /// The related-brief lists kept under `key`, if they are there and sound for `briefs`
    /// briefs.
    fn read_related(&self, key: &str, briefs: usize) -> Option<Vec<Vec<usize>>> {
        let file = self.env_dir().join(RELATED);
        let bytes = std::fs::read(file).ok()?;
        let (kept, lists): (String, Vec<Vec<u32>>) =
            bincode::deserialize(super::seal::open(RELATED_MAGIC, &bytes)?).ok()?;
        let sound = kept == key
            && lists.len() == briefs
            && lists.iter().flatten().all(|&i| (i as usize) < briefs);
        sound.then(|| {
            lists
                .into_iter()
                .map(|list| list.into_iter().map(|i| i as usize).collect())
                .collect()
        })
    }

    fn write_related(&self, key: &str, lists: &[Vec<usize>]) -> std::io::Result<()> {
        let lists: Vec<Vec<u32>> = lists
            .iter()
            .map(|list| list.iter().map(|&i| i as u32).collect())
            .collect();
        let bytes = bincode::serialize(&(key, lists)).map_err(std::io::Error::other)?;
        let bytes = super::seal::seal(RELATED_MAGIC, &bytes);
        super::lexicon::write(&self.env_dir().join(RELATED), &bytes)
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

/// `front` as an entry keeps it ([`Entry::front`]).
fn front_bytes(front: &FrontMatter) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    ciborium::into_writer(front, &mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes)
}

/// The front matter an entry keeps, read back.
fn front_of(bytes: &[u8]) -> Result<FrontMatter, String> {
    ciborium::from_reader(bytes).map_err(|e| format!("its front matter cannot be read ({e})"))
}

/// The length and checksum of one part of an entry file.
struct Part {
    len: usize,
    sum: u32,
}

/// The entry's and the body's [`Part`] in the entry file `file`, read from its start; `None`
/// when it does not start with [`MAGIC`], an error when it is cut short.
fn entry_lengths(file: &mut std::fs::File) -> std::io::Result<Option<(Part, Part)>> {
    let mut head = [0; HEAD];
    file.read_exact(&mut head)?;
    let Some(numbers) = head.strip_prefix(MAGIC) else {
        return Ok(None);
    };
    let number = |at: usize| {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(&numbers[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let sum = |at: usize| {
        let mut bytes = [0; 4];
        bytes.copy_from_slice(&numbers[at..at + 4]);
        u32::from_le_bytes(bytes)
    };
    let (light, heavy) = (number(0), number(8));
    let size = file.metadata()?.len();
    if Some(size)
        != light
            .checked_add(heavy)
            .and_then(|n| n.checked_add(HEAD as u64))
    {
        return Err(std::io::Error::other("it is cut short"));
    }
    let len = |n: u64| usize::try_from(n).map_err(std::io::Error::other);
    Ok(Some((
        Part {
            len: len(light)?,
            sum: sum(16),
        },
        Part {
            len: len(heavy)?,
            sum: sum(20),
        },
    )))
}

impl BriefCache for Loads {
    fn links(&self, links: &LinkMap) -> String {
        // The map's `Debug` text holds every target; it is stable for one binary, whose hash
        // is in the environment.
        let text = format!("{}\n{links:?}", self.environment);
        self.links.get_or_init(|| hash(text.as_bytes())).clone()
    }

    fn lexicon(&self) -> Lexicon {
        let file = super::lexicon::path(self.dir.parent().unwrap_or(&self.dir));
        let shown = format!("{}/{}", super::DIR, super::lexicon::FILE);
        let (vocabulary, kept, problem) = super::lexicon::read(&file, &shown);
        if let Some(problem) = problem {
            let mut first = self.problem.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(problem);
        }
        let ids = kept.chain.iter().cloned().collect();
        // Called once per load; a second call would number the site's briefs anew.
        if self.lexicon.set((kept, ids)).is_err() {
            return Lexicon::default();
        }
        Lexicon::with(vocabulary)
    }

    fn related(&self, inputs: &[u8], make: &dyn Fn() -> Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        let mut bytes = self.environment.as_bytes().to_vec();
        bytes.push(0);
        bytes.extend_from_slice(inputs);
        let key = hash(&bytes);
        // One line of inputs per brief.
        let briefs = inputs.iter().filter(|&&b| b == b'\n').count();
        if let Some(lists) = self.read_related(&key, briefs) {
            return lists;
        }
        let lists = make();
        *self.related.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, lists.clone()));
        lists
    }

    fn get(&self, path: &SourcePath, _lexicon: &Lexicon) -> Option<CachedBrief> {
        let key = self.key_to_find(path)?;
        let (mut entry, body) = self.read(&key)?;
        let links = std::mem::take(&mut entry.links);
        let brief = match entry.into_brief(&path.rel, body) {
            Ok(brief) => brief,
            Err(why) => {
                self.damaged(&key, &why);
                return None;
            }
        };
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.insert(key);
        Some(CachedBrief { brief, links })
    }

    fn missed(&self, source: &Source) {
        // Under the hash of the text it is loaded from, whatever the fingerprint found.
        let key = self.key(&source.path.rel, &hash(source.text.as_bytes()));
        let mut missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
        missed.push((source.path.rel.clone(), key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Section, brief};

    #[test]
    fn an_entry_gives_back_the_front_matter_as_parsed() {
        let text = r#"+++
title = "A \"quoted\" title"
subtitle = "Sub"
date = 2024-03-05T10:00:00Z
updated = 2024-04-01
authors = ["ada", "grace"]
summary = "Short."
topics = ["Energy"]
regions = []
program = "Tech"
series = "Notes"
key_takeaways = ["One", "Two"]
pull_quotes = ["Said."]
toc = false
draft = true
featured = true
slug = "a-slug"
template = "wide.html"
doi = "10.1234/abc"
report_number = "PB-24-03"
recommendations = ["Do *this*."]
disclaimer = ""
pdf = "paper.pdf"
lang = "es"
translations = { en = "a-slug-en" }
aliases = ["/old/"]
bibliography = "refs.bib"
nocite = ["*"]

[hero]
image = "hero.jpg"
alt = "Alt"
focal_point = [0.3, 0.5]

[originally_published]
outlet = "Paper"
url = "https://example.org/"
date = 2023-01-02

[extra]
when = 1979-05-27T07:32:00-08:00
day = 1979-05-27
nan = nan
big = 9007199254740993
list = [1, "two", 3.5, true]
nested = { deep = { deeper = "yes" } }
+++
Body.
"#;
        let path = SourcePath {
            section: Section::Brief,
            path: "content/briefs/x.md".into(),
            rel: "content/briefs/x.md".into(),
            bundle: None,
        };
        let source = Source {
            path,
            text: text.to_string(),
        };
        let (front, _) = brief::front_matter(&source).expect("it parses");
        let back = front_of(&front_bytes(&front).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{front:?}"));
        // A bibliography given as a list comes back as a list.
        let many = source.text.replace(
            "bibliography = \"refs.bib\"",
            "bibliography = [\"a.bib\", \"b.bib\"]",
        );
        let source = Source {
            text: many,
            ..source
        };
        let (front, _) = brief::front_matter(&source).expect("it parses");
        let back = front_of(&front_bytes(&front).unwrap()).unwrap();
        assert_eq!(back.bibliography.to_vec(), ["a.bib", "b.bib"]);
        assert_eq!(format!("{back:?}"), format!("{front:?}"));
    }

    #[test]
    fn a_damaged_front_matter_is_an_error_not_a_panic() {
        assert!(front_of(b"\xff\x00garbage").is_err());
        assert!(front_of(b"").is_err());
    }
}
