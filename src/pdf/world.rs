//! The Typst [`World`] of one brief: its template files, its generated data and body, the
//! site's images, the theme's fonts. No packages, no system fonts, no clock, no network:
//! the same brief gives the same PDF on every machine.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use sha2::{Digest, Sha256};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::error::{Diagnostic, Kind};
use crate::theme::DEFAULT_THEME;

/// Typst's standard library, once per process: every brief shares it, so comemo reuses the
/// template's evaluation across briefs.
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Where the files of the PDF template come from, first match wins: the site's `pdf/`, then
/// the theme's `pdf/` (or the built-in default theme's).
#[derive(Debug, Clone)]
pub enum Layer {
    /// A folder, and how messages name it relative to the site root (`themes/x/pdf`).
    Disk(PathBuf, String),
    /// The default theme's `pdf/` built into the binary.
    Embedded,
}

impl Layer {
    /// The bytes of `path` (relative, `/`-separated) in this layer, and how to name the file.
    fn read(&self, path: &str) -> Option<(Vec<u8>, String)> {
        match self {
            Layer::Disk(dir, origin) => {
                let file = dir.join(path);
                let bytes = std::fs::read(&file).ok()?;
                Some((bytes, format!("{origin}/{path}")))
            }
            Layer::Embedded => {
                let file = DEFAULT_THEME.get_file(format!("pdf/{path}"))?;
                Some((
                    file.contents().to_vec(),
                    format!("(built-in default theme) pdf/{path}"),
                ))
            }
        }
    }

    /// Every file of the layer's `fonts/` folder.
    /// The font files of this folder: (where, bytes), or the file that cannot be read.
    fn fonts(&self) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        match self {
            Layer::Disk(dir, origin) => {
                let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("fonts"))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| is_font(p))
                    .collect();
                paths.sort();
                paths
                    .iter()
                    .map(|p| {
                        let name = p.file_name().unwrap_or_default().to_string_lossy();
                        let shown = format!("{origin}/fonts/{name}");
                        std::fs::read(p)
                            .map(|bytes| (shown.clone(), bytes))
                            .map_err(|e| Diagnostic::io("read the PDF font", Path::new(&shown), &e))
                    })
                    .collect()
            }
            Layer::Embedded => Ok(DEFAULT_THEME
                .get_dir("pdf/fonts")
                .map(|dir| {
                    dir.files()
                        .filter(|f| is_font(f.path()))
                        .map(|f| {
                            let shown =
                                format!("(built-in default theme) pdf/{}", f.path().display());
                            (shown, f.contents().to_vec())
                        })
                        .collect()
                })
                .unwrap_or_default()),
        }
    }

    fn hash_into(&self, hasher: &mut Sha256) {
        match self {
            Layer::Disk(dir, _) => {
                let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
                    .sort_by_file_name()
                    .into_iter()
                    .flatten()
                    .filter(|e| e.file_type().is_file())
                    .map(|e| e.into_path())
                    .collect();
                files.sort();
                for file in files {
                    hasher.update(
                        file.strip_prefix(dir)
                            .unwrap_or(&file)
                            .to_string_lossy()
                            .as_bytes(),
                    );
                    hasher.update(std::fs::read(&file).unwrap_or_default());
                }
            }
            Layer::Embedded => {
                hasher.update(b"embedded ");
                hasher.update(env!("BRIEF_VERSION_LINE").as_bytes());
                if let Some(dir) = DEFAULT_THEME.get_dir("pdf") {
                    hash_embedded(dir, hasher);
                }
            }
        }
    }
}

fn hash_embedded(dir: &include_dir::Dir, hasher: &mut Sha256) {
    for file in dir.files() {
        hasher.update(file.path().to_string_lossy().as_bytes());
        hasher.update(file.contents());
    }
    for sub in dir.dirs() {
        hash_embedded(sub, hasher);
    }
}

fn is_font(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("otf" | "ttf" | "ttc" | "otc")
    )
}

/// What every brief's compile shares: template layers, fonts, parsed template sources.
pub struct Shared {
    pub layers: Vec<Layer>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Template sources parsed once per build.
    sources: Mutex<HashMap<FileId, Source>>,
    /// Hash of every template file and font.
    pub hash: [u8; 32],
}

impl Shared {
    /// The fonts of every layer, each of which must be an OpenType or TrueType font.
    pub fn new(layers: Vec<Layer>) -> Result<Shared, Diagnostic> {
        let mut fonts: Vec<Font> = Vec::new();
        for layer in &layers {
            for (shown, data) in layer.fonts()? {
                let faces: Vec<Font> = Font::iter(Bytes::new(data)).collect();
                if faces.is_empty() {
                    return Err(Diagnostic::new(
                        Kind::Template,
                        "this PDF font cannot be read: it is not an OpenType or TrueType font",
                    )
                    .in_file(shown)
                    .help("replace it with an .otf, .ttf or .ttc file (a .woff or .woff2 web font can be converted with fontTools), or remove it"));
                }
                fonts.extend(faces);
            }
        }
        let mut hasher = Sha256::new();
        for layer in &layers {
            layer.hash_into(&mut hasher);
        }
        Ok(Shared {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            layers,
            sources: Mutex::new(HashMap::new()),
            hash: hasher.finalize().into(),
        })
    }

    #[cfg(test)]
    pub fn font_count(&self) -> usize {
        self.fonts.len()
    }

    /// A template file and the name messages give it.
    pub fn template_file(&self, path: &str) -> Option<(Vec<u8>, String)> {
        self.layers.iter().find_map(|l| l.read(path))
    }
}

/// An interned id of a project file, `/brief.typ`.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Finds the files of the site (`/site/<site path>`): a bundle's files, then `static/`.
pub struct SiteFiles<'a> {
    pub root: &'a Path,
    /// (file on disk, output path) of the brief's bundle.
    pub bundle: &'a [(PathBuf, String)],
    /// The bundle's folder and its site path (`briefs/<slug>/`): its images are found there
    /// even when the build publishes them resized under other names.
    pub folder: Option<(PathBuf, String)>,
}

impl SiteFiles<'_> {
    pub fn find(&self, site_path: &str) -> Option<PathBuf> {
        if let Some((disk, _)) = self.bundle.iter().find(|(_, out)| out == site_path) {
            return Some(disk.clone());
        }
        if !crate::content::stays_inside(site_path) {
            return None;
        }
        if let Some((dir, prefix)) = &self.folder
            && let Some(inner) = site_path.strip_prefix(prefix.as_str())
            && dir.join(inner).is_file()
        {
            return Some(dir.join(inner));
        }
        let file = self.root.join(crate::content::STATIC_DIR).join(site_path);
        file.is_file().then_some(file)
    }
}

pub struct BriefWorld<'a> {
    pub shared: &'a Shared,
    pub main: FileId,
    pub generated: HashMap<FileId, Bytes>,
    pub site: SiteFiles<'a>,
    pub date: Datetime,
    /// Each site file served, with its hash: part of the cache key.
    pub served: Mutex<Vec<(String, String)>>,
}

impl BriefWorld<'_> {
    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.generated.get(&id) {
            return Ok(bytes.clone());
        }
        if matches!(id.root(), VirtualRoot::Package(_)) {
            return Err(FileError::Other(Some(
                "Typst packages are not available: a brief's PDF template uses only its own files"
                    .into(),
            )));
        }
        let path = id.vpath().get_without_slash().to_string();
        if let Some(site_path) = path.strip_prefix("site/") {
            let Some(file) = self.site.find(site_path) else {
                // Recorded as missing: the cached PDF is made again once the file exists.
                if let Ok(mut served) = self.served.lock() {
                    served.push((site_path.to_string(), String::new()));
                }
                return Err(FileError::NotFound(PathBuf::from(site_path)));
            };
            let bytes = std::fs::read(&file).map_err(|e| FileError::from_io(e, &file))?;
            let hash = hex(&Sha256::digest(&bytes));
            if let Ok(mut served) = self.served.lock() {
                served.push((site_path.to_string(), hash));
            }
            // Typst embeds a JPEG's own bytes, EXIF (GPS) and all: the PDF gets the image as
            // a copy in `static/` is published (crate::images::strip). One that cannot be
            // stripped stops the build elsewhere (decoding it, or copying it).
            let bytes = match crate::images::Format::of(site_path) {
                Some(_) => crate::images::strip::copy(&bytes).unwrap_or(bytes),
                None => bytes,
            };
            return Ok(Bytes::new(bytes));
        }
        self.shared
            .template_file(&path)
            .map(|(bytes, _)| Bytes::new(bytes))
            .ok_or_else(|| FileError::NotFound(PathBuf::from(format!("pdf/{path}"))))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl World for BriefWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let generated = self.generated.contains_key(&id);
        if !generated
            && let Some(source) = self
                .shared
                .sources
                .lock()
                .ok()
                .and_then(|s| s.get(&id).cloned())
        {
            return Ok(source);
        }
        let bytes = self.read(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.to_string());
        if !generated && let Ok(mut sources) = self.shared.sources.lock() {
            sources.insert(id, source.clone());
        }
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.date)
    }
}
