//! Responsive images: every JPEG, PNG and WebP a site uses (beside a brief's `index.md`, or in
//! `static/` when a brief's body, its raw HTML, a hero or an author's photo names it) is published in a few
//! widths (never wider than it is), with EXIF orientation applied and every byte of metadata
//! (EXIF, GPS, comments) left out, since each file is decoded and encoded again; the `<img>`s
//! get `srcset`, `sizes`, `width` and `height`.
//!
//! - At load, [`probe`] reads only an image's header (size, format, orientation), so the
//!   Markdown passes and templates can write the markup ([`Picture::html`]) before anything
//!   is resized.
//! - At write, [`write_all`] makes the files; each is kept in a cache folder under the site
//!   root ([`CACHE_DIR`]) named by the hash of the source's bytes, so a rebuild only processes
//!   new or changed images. Deleting the folder is safe: it is made again.
//! - The largest variant keeps the file's own name, so a link to `photo.jpg` still works (and
//!   a processed image of `static/` replaces its copy there).
//! - Every other JPEG, PNG and WebP of `static/` (a logo, a CSS background) is published as it
//!   is, less its metadata ([`stripped_copy`], [`strip`]).
//! - Every image also gets WebP variants: lossless for PNG (smaller than PNG), lossy for JPEG
//!   through libwebp ([`process`] says why).
//! - A brief's hero also gives its social card ([`Card`], 1200x630, cropped around the hero's
//!   [`Focal`] point) and the thumbnails of listings and search results (the narrowest width).

pub mod focal;
mod process;
pub mod strip;
pub mod uses;

use std::path::{Path, PathBuf};

use image::{ImageDecoder, ImageFormat, ImageReader};

pub use focal::Focal;
pub use process::write_all;

/// Widths published by default, in pixels, up to the image's own (`[images] widths`).
pub const DEFAULT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// The cache of processed images, under the site root.
pub const CACHE_DIR: &str = ".brief-cache/images";
/// How the body column is laid out, for the browser to pick a width before CSS is loaded.
const SIZES: &str = "(min-width: 48rem) 44rem, 100vw";
/// Above this size (by default) an image is reported by `brief check`: it slows every build
/// that has to process it, and is most likely an export at print resolution.
pub const DEFAULT_LARGE_MB: u64 = 20;
/// The size of the social card made from a hero image (`og:image`): what Facebook, LinkedIn
/// and X show uncropped.
pub const CARD: (u32, u32) = (1200, 630);

/// How a site's images are published: `[images]` of config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Ascending, without repeats; the last is the widest an image is published at.
    pub widths: Vec<u32>,
    /// Bytes above which `brief check` warns about an image.
    pub large: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: DEFAULT_WIDTHS.to_vec(),
            large: DEFAULT_LARGE_MB * 1_000_000,
        }
    }
}

impl Settings {
    /// The widest an image is published at.
    pub fn max_width(&self) -> u32 {
        self.widths.last().copied().unwrap_or(DEFAULT_WIDTHS[2])
    }

    /// The warning for an image file over [`Settings::large`], if `file` is one.
    pub fn size_warning(&self, file: &Path, shown: &Path) -> Option<crate::error::Diagnostic> {
        let len = std::fs::metadata(file).ok()?.len();
        (len > self.large).then(|| {
            crate::error::Diagnostic::warning(
                crate::error::Kind::Io,
                format!(
                    "the image is over {} MB ({:.1} MB): every build without its cache decodes all of it; export it at {} pixels wide or less (or raise [images] max_size_mb)",
                    self.large as f64 / 1e6,
                    len as f64 / 1e6,
                    self.max_width()
                ),
            )
            .in_file(shown)
        })
    }
}

/// The formats processed; any other file of a bundle is copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The format of a file name, by its extension.
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
        }
    }
}

/// An image as published: its path in the bundle (or the site, for `static/`), its size once
/// upright and at most as wide as the widest of [`Settings::widths`], and the widths it is
/// written in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    /// Path inside the bundle, `photos/port.jpg`, or in the site, `images/port.jpg`.
    pub name: String,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Ascending; the last is `width`.
    pub widths: Vec<u32>,
}

/// A picture's files as templates use them, every address ready to print.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct View {
    /// The widest variant, for `src`.
    pub src: String,
    pub srcset: String,
    /// The same widths in WebP, for a `<source type="image/webp">`, when there are some.
    pub webp_srcset: Option<String>,
    pub width: u32,
    pub height: u32,
    /// The narrowest variant and its size, for thumbnails in lists and search results.
    pub thumb: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
}

impl Picture {
    fn new(name: &str, format: Format, width: u32, height: u32, sizes: &[u32]) -> Picture {
        let widest = sizes.last().copied().unwrap_or(DEFAULT_WIDTHS[2]);
        let largest = width.min(widest);
        let mut widths: Vec<u32> = sizes.iter().copied().filter(|w| *w < largest).collect();
        widths.push(largest);
        Picture {
            name: name.to_string(),
            format,
            width: largest,
            height: scaled_height(width, height, largest),
            widths,
        }
    }

    /// A JPEG picture of the given size, for tests of the markup.
    #[cfg(test)]
    pub fn probe_free(name: &str, width: u32, height: u32) -> Picture {
        Picture::new(name, Format::Jpeg, width, height, &DEFAULT_WIDTHS)
    }

    /// The same picture under another name (an address the markup is to use).
    pub fn renamed(&self, name: String) -> Picture {
        Picture {
            name,
            ..self.clone()
        }
    }

    /// Whether WebP copies are written beside the image (see the module docs): not for a
    /// WebP, which is one already.
    pub fn has_webp(&self) -> bool {
        self.format != Format::WebP
    }

    /// The file name of the variant `width` wide, in the image's format or WebP: the image's own
    /// name for the largest, `port-480.jpg` for the others.
    pub fn variant(&self, width: u32, webp: bool) -> String {
        let (stem, ext) = self.name.rsplit_once('.').unwrap_or((&self.name, ""));
        let ext = if webp { "webp" } else { ext };
        if width == self.width {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{width}.{ext}")
        }
    }

    /// `srcset` of the widths in the image's format or WebP, each variant's name turned into
    /// an address by `url`.
    fn srcset_with(&self, webp: bool, url: &dyn Fn(&str) -> String) -> String {
        self.widths
            .iter()
            .map(|w| format!("{} {w}w", url(&self.variant(*w, webp))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn srcset(&self, webp: bool) -> String {
        self.srcset_with(webp, &crate::urls::file_address)
    }

    /// The addresses and sizes templates need, each variant's name turned into an address by
    /// `url` (the caller knows the folder and the site's base path).
    pub fn view(&self, url: &dyn Fn(&str) -> String) -> View {
        let narrowest = self.widths.first().copied().unwrap_or(self.width);
        View {
            src: url(&self.variant(self.width, false)),
            srcset: self.srcset_with(false, url),
            webp_srcset: self.has_webp().then(|| self.srcset_with(true, url)),
            width: self.width,
            height: self.height,
            thumb: url(&self.variant(narrowest, false)),
            thumb_width: narrowest,
            thumb_height: scaled_height(self.width, self.height, narrowest),
        }
    }

    /// The `<img>` (in a `<picture>` with a WebP source when there is one), fetched as `fetch`
    /// says.
    pub fn html(&self, alt: &str, fetch: Fetch) -> String {
        use crate::markdown::figures::attr;
        use crate::urls::file_address;
        let img = format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" {} decoding=\"async\">",
            file_address(&self.variant(self.width, false)),
            self.srcset(false),
            self.width,
            self.height,
            attr(alt),
            fetch.attribute()
        );
        if !self.has_webp() {
            return img;
        }
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">{img}</picture>",
            self.srcset(true)
        )
    }
}

/// When the browser fetches an image of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    /// The first image a reader sees (the body's first, when no hero is above it): at once
    /// and before the others, as the theme does for a hero.
    First,
    /// Any other: when scrolled near.
    Lazy,
}

impl Fetch {
    /// The `<img>` attribute saying so.
    pub fn attribute(self) -> &'static str {
        match self {
            Fetch::First => "fetchpriority=\"high\"",
            Fetch::Lazy => "loading=\"lazy\"",
        }
    }
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1))).max(1)
        as u32
}

/// Reads the header of the image at `path` (named `name` in the bundle or site): its format, and its
/// size once turned upright by its EXIF orientation.
pub fn probe(path: &Path, name: &str, settings: &Settings) -> Result<Picture, String> {
    let named = Format::of(name).ok_or("not a JPEG, PNG or WebP file")?;
    let reader = ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| e.to_string())?;
    // The bytes decide, not the name: a PNG saved as `photo.jpg` is read (and written) as PNG.
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::WebP,
        _ => named,
    };
    let mut decoder = ImageReader::with_format(reader.into_inner(), format.image_format())
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    // A quarter turn swaps the sides.
    let turned = decoder.orientation().is_ok_and(|o| {
        use image::metadata::Orientation::*;
        matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    if width == 0 || height == 0 {
        return Err("the image has no pixels".to_string());
    }
    Ok(Picture::new(name, format, width, height, &settings.widths))
}

/// `file` of the site's `static/` as published when it is a JPEG, PNG or WebP (by its name):
/// its own bytes less their metadata ([`strip`]); `None` for any other file, copied as it is.
/// A file that is not what its name says, or is cut short, is an error: copied as it is, it
/// could publish the position its EXIF block holds, and a processed image in that state stops
/// the build too.
pub fn stripped_copy(
    file: &crate::theme::StaticFile,
    root: &Path,
) -> Result<Option<crate::theme::StaticFile>, crate::error::Diagnostic> {
    use crate::theme::{StaticFile, StaticSource};
    let StaticSource::Disk(from) = &file.source else {
        // The built-in theme's files, which hold no metadata.
        return Ok(None);
    };
    if Format::of(&file.site_path).is_none() {
        return Ok(None);
    }
    let shown = crate::fsutil::relative(from, root);
    let bytes = std::fs::read(from)
        .map_err(|e| crate::error::Diagnostic::io("read the image", &shown, &e))?;
    let stripped = strip::copy(&bytes).map_err(|why| {
        crate::error::Diagnostic::new(
            crate::error::Kind::Io,
            format!("could not remove the image's metadata (camera, GPS position): {why}"),
        )
        .in_file(&shown)
        .help("open and save it again as JPEG, PNG or WebP (or give it the extension of what it is), or remove it")
    })?;
    Ok(Some(StaticFile {
        site_path: file.site_path.clone(),
        source: StaticSource::Stripped {
            from: from.clone(),
            bytes: stripped,
        },
    }))
}

/// An image to publish: the source file and the folder its variants go to in the output
/// (`briefs/x/` for a bundle's, empty for one of `static/`, whose name is its site path).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Job {
    pub source: PathBuf,
    pub out_dir: String,
    pub picture: Picture,
}

impl Job {
    /// Where the widest variant is published, relative to the site root.
    pub fn site_path(&self) -> String {
        format!("{}{}", self.out_dir, self.picture.name)
    }

    /// Where the narrowest variant is published: the thumbnail of search results.
    pub fn thumb_path(&self) -> String {
        let narrowest = self
            .picture
            .widths
            .first()
            .copied()
            .unwrap_or(self.picture.width);
        format!("{}{}", self.out_dir, self.picture.variant(narrowest, false))
    }
}

/// A social card to make from a hero image: 1200x630 JPEG, cropped around `focal`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    pub source: PathBuf,
    pub format: Format,
    /// Where it is published, `briefs/x/hero-card.jpg`.
    pub site_path: String,
    pub focal: Focal,
}

/// The site path of the social card of the brief published in `brief_dir` whose hero is
/// `picture`: `briefs/x/hero-card.jpg` (in the brief's folder even for a hero of `static/`,
/// since two briefs may crop one photo differently).
pub fn card_path(brief_dir: &str, picture: &Picture) -> String {
    let file = picture.name.rsplit('/').next().unwrap_or(&picture.name);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    format!("{brief_dir}{stem}-card.jpg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_stop_at_the_image_and_the_largest_keeps_the_name() {
        let picture = Picture::new("photos/port.jpg", Format::Jpeg, 1200, 800, &DEFAULT_WIDTHS);
        assert_eq!(picture.widths, [480, 960, 1200]);
        assert_eq!(picture.variant(480, false), "photos/port-480.jpg");
        assert_eq!(picture.variant(1200, false), "photos/port.jpg");
        assert_eq!((picture.width, picture.height), (1200, 800));
        let huge = Picture::new("a.png", Format::Png, 6000, 4000, &DEFAULT_WIDTHS);
        assert_eq!(huge.widths, [480, 960, 1600]);
        assert_eq!(huge.height, 1067);
        assert_eq!(huge.variant(960, true), "a-960.webp");
        let small = Picture::new("a.png", Format::Png, 300, 100, &DEFAULT_WIDTHS);
        assert_eq!(small.widths, [300]);
    }

    #[test]
    fn markup_has_srcset_sizes_and_dimensions() {
        let picture = Picture::new("a b.png", Format::Png, 1000, 500, &DEFAULT_WIDTHS);
        assert_eq!(
            picture.html("A \"map\"", Fetch::Lazy),
            concat!(
                "<picture><source type=\"image/webp\" srcset=\"a%20b-480.webp 480w, a%20b-960.webp 960w, a%20b.webp 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\">",
                "<img src=\"a%20b.png\" srcset=\"a%20b-480.png 480w, a%20b-960.png 960w, a%20b.png 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1000\" height=\"500\" alt=\"A &quot;map&quot;\" loading=\"lazy\" decoding=\"async\"></picture>"
            )
        );
        let photo = Picture::new("p.jpg", Format::Jpeg, 400, 300, &DEFAULT_WIDTHS);
        assert!(
            photo
                .html("x", Fetch::Lazy)
                .starts_with("<picture><source type=\"image/webp\" srcset=\"p.webp 400w\"")
        );
        let webp = Picture::new("p.webp", Format::WebP, 400, 300, &DEFAULT_WIDTHS);
        assert!(
            webp.html("x", Fetch::First)
                .starts_with("<img src=\"p.webp\" srcset=\"p.webp 400w\"")
        );
    }

    #[test]
    fn configured_widths_replace_the_defaults_and_never_upscale() {
        let picture = Picture::new("a.jpg", Format::Jpeg, 2000, 1000, &[320, 640, 1280]);
        assert_eq!(picture.widths, [320, 640, 1280]);
        assert_eq!((picture.width, picture.height), (1280, 640));
        let small = Picture::new("a.jpg", Format::Jpeg, 500, 250, &[320, 640, 1280]);
        assert_eq!(small.widths, [320, 500]);
    }

    #[test]
    fn a_view_has_addresses_of_every_width_and_a_thumbnail() {
        let picture = Picture::new("images/a.jpg", Format::Jpeg, 1000, 500, &DEFAULT_WIDTHS);
        let view = picture.view(&|name| format!("/sub/{name}"));
        assert_eq!(view.src, "/sub/images/a.jpg");
        assert_eq!(
            view.srcset,
            "/sub/images/a-480.jpg 480w, /sub/images/a-960.jpg 960w, /sub/images/a.jpg 1000w"
        );
        assert_eq!(
            view.webp_srcset.as_deref(),
            Some(
                "/sub/images/a-480.webp 480w, /sub/images/a-960.webp 960w, /sub/images/a.webp 1000w"
            )
        );
        assert_eq!(view.thumb, "/sub/images/a-480.jpg");
        assert_eq!((view.thumb_width, view.thumb_height), (480, 240));
    }

    #[test]
    fn a_card_goes_in_the_briefs_folder() {
        let picture = Picture::new("images/port.jpg", Format::Jpeg, 1000, 500, &DEFAULT_WIDTHS);
        assert_eq!(card_path("briefs/x/", &picture), "briefs/x/port-card.jpg");
    }
}
