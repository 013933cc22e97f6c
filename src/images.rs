//! Responsive images of brief bundles: every JPEG, PNG and WebP beside a brief's `index.md` is
//! published in a few widths (never wider than it is), with EXIF orientation applied and every
//! byte of metadata (EXIF, GPS, comments) left out, since each file is decoded and encoded
//! again; the brief's `<img>`s get `srcset`, `sizes`, `width` and `height`.
//!
//! - At load, [`probe`] reads only an image's header (size, format, orientation), so the
//!   Markdown passes can write the markup ([`Picture::html`]) before anything is resized.
//! - At write, [`write_all`] makes the files; each is kept in a cache folder under the site
//!   root ([`CACHE_DIR`]) named by the hash of the source's bytes, so a rebuild only processes
//!   new or changed images. Deleting the folder is safe: it is made again.
//! - The largest variant keeps the file's own name, so a link to `photo.jpg` still works.
//! - PNGs also get WebP variants (lossless, smaller than PNG). JPEG photos do not: the `image`
//!   crate encodes WebP losslessly only, which makes a photo larger than its JPEG, and a lossy
//!   encoder would mean compiling libwebp.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Kind};

/// Widths published, in pixels, up to the image's own; the widest is [`MAX_WIDTH`].
pub const WIDTHS: [u32; 4] = [480, 960, 1600, MAX_WIDTH];
pub const MAX_WIDTH: u32 = 2400;
/// The cache of processed images, under the site root.
pub const CACHE_DIR: &str = ".brief-cache/images";
/// How the body column is laid out, for the browser to pick a width before CSS is loaded.
const SIZES: &str = "(min-width: 48rem) 44rem, 100vw";
/// Above this size an image is reported by `brief check`: it slows every build that has to
/// process it, and is most likely an export at print resolution.
pub const LARGE: u64 = 20 * 1000 * 1000;
/// The size of the social card made from a hero image (`og:image`): what Facebook, LinkedIn
/// and X show uncropped.
pub const CARD: (u32, u32) = (1200, 630);
/// Changes when the processing changes, so that old cached files are not reused.
const VERSION: &str = "v1";
const JPEG_QUALITY: u8 = 82;

/// The formats processed; any other file of a bundle is copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// An image as published: its path in the bundle, its size once upright and at most
/// [`MAX_WIDTH`] wide, and the widths it is written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Path inside the bundle, `photos/port.jpg`.
    pub name: String,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Ascending; the last is `width`.
    pub widths: Vec<u32>,
}

impl Picture {
    fn new(name: &str, format: Format, width: u32, height: u32) -> Picture {
        let largest = width.min(MAX_WIDTH);
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < largest).collect();
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
        Picture::new(name, Format::Jpeg, width, height)
    }

    /// The file name of the social card made from this image, `hero-card.jpg`.
    pub fn card_name(&self) -> String {
        let stem = self
            .name
            .rsplit_once('.')
            .map_or(self.name.as_str(), |(s, _)| s);
        format!("{stem}-card.jpg")
    }

    /// Whether WebP copies are written beside the image (see the module docs).
    pub fn has_webp(&self) -> bool {
        self.format == Format::Png
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

    fn srcset(&self, webp: bool) -> String {
        self.widths
            .iter()
            .map(|w| {
                let mut url = String::new();
                pulldown_cmark_escape::escape_href(&mut url, &self.variant(*w, webp))
                    .expect("writing to a String cannot fail");
                format!("{url} {w}w")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The `<img>` (in a `<picture>` with a WebP source when there is one), lazily loaded.
    pub fn html(&self, alt: &str) -> String {
        use crate::markdown::figures::{attr, url_attr};
        let img = format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            url_attr(&self.variant(self.width, false)),
            attr(&self.srcset(false)),
            self.width,
            self.height,
            attr(alt)
        );
        if !self.has_webp() {
            return img;
        }
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">{img}</picture>",
            attr(&self.srcset(true))
        )
    }
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1))).max(1)
        as u32
}

/// Reads the header of the image at `path` (named `name` in the bundle): its format, and its
/// size once turned upright by its EXIF orientation.
pub fn probe(path: &Path, name: &str) -> Result<Picture, String> {
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
    Ok(Picture::new(name, format, width, height))
}

/// An image to publish: the source file and the bundle's folder in the output (`briefs/x/`).
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub source: PathBuf,
    pub out_dir: String,
    pub picture: Picture,
    /// Whether a social card is made from it too (it is a brief's hero).
    pub card: bool,
}

/// Writes every variant of every image into `sink`, processing only the images the cache
/// under `root` lacks; returns how many files it wrote, or every problem (an image that cannot
/// be decoded, a file that cannot be written).
pub fn write_all(
    jobs: &[&Job],
    root: &Path,
    sink: &dyn crate::outputs::Sink,
) -> Result<usize, crate::error::Errors> {
    let cache = root.join(CACHE_DIR);
    let results: Vec<Result<usize, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            let files = variants(job, &cache, root).map_err(|e| vec![e])?;
            let errors: Vec<Diagnostic> = files
                .iter()
                .filter_map(|(name, bytes)| {
                    let site_path = format!("{}{name}", job.out_dir);
                    let file = crate::outputs::OutputFile {
                        site_path: &site_path,
                        what: crate::outputs::What::Generated,
                    };
                    sink.write(file, bytes).err()
                })
                .collect();
            if errors.is_empty() {
                Ok(files.len())
            } else {
                Err(errors)
            }
        })
        .collect();
    let mut errors = crate::error::Errors::default();
    let mut count = 0;
    for result in results {
        match result {
            Ok(n) => count += n,
            Err(problems) => errors.0.extend(problems),
        }
    }
    errors.into_result(count)
}

/// The variants of one image, from the cache or made (and cached).
fn variants(job: &Job, cache: &Path, root: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let display = crate::fsutil::relative(&job.source, root);
    let bytes =
        std::fs::read(&job.source).map_err(|e| Diagnostic::io("read the image", &display, &e))?;
    let key = format!("{:x}", Sha256::digest(&bytes));
    let picture = &job.picture;
    let mut names: Vec<(String, u32, bool)> = picture
        .widths
        .iter()
        .map(|w| (picture.variant(*w, false), *w, false))
        .collect();
    if picture.has_webp() {
        names.extend(
            picture
                .widths
                .iter()
                .map(|w| (picture.variant(*w, true), *w, true)),
        );
    }
    let cached = |w: u32, webp: bool| {
        let ext = if webp {
            "webp"
        } else {
            picture.name.rsplit_once('.').map_or("", |(_, e)| e)
        };
        cache.join(format!("{}-{VERSION}-{w}.{ext}", &key[..32]))
    };
    let card_cache = cache.join(format!("{}-{VERSION}-card.jpg", &key[..32]));
    let mut wanted: Vec<(String, PathBuf)> = names
        .iter()
        .map(|(name, w, webp)| (name.clone(), cached(*w, *webp)))
        .collect();
    if job.card {
        wanted.push((picture.card_name(), card_cache.clone()));
    }
    if let Some(files) = wanted
        .iter()
        .map(|(name, path)| std::fs::read(path).ok().map(|b| (name.clone(), b)))
        .collect::<Option<Vec<_>>>()
    {
        return Ok(files);
    }
    let bad = |e: String| {
        Diagnostic::new(Kind::Io, format!("could not read the image: {e}"))
            .in_file(&display)
            .help(
                "open and save it again as JPEG, PNG or WebP, or remove it from the brief's folder",
            )
    };
    let upright = decode(&bytes, picture.format).map_err(bad)?;
    let mut files = Vec::new();
    if job.card {
        // Filled and cropped around the centre, in JPEG whatever the source: a card is a photo.
        let card = upright.resize_to_fill(CARD.0, CARD.1, image::imageops::FilterType::CatmullRom);
        let encoded = encode(&card, Format::Jpeg).map_err(|e| bad(e.to_string()))?;
        save(cache, &card_cache, &encoded);
        files.push((picture.card_name(), encoded));
    }
    // Widest first, each width made from the one before: a step of at most 2x is cheap with a
    // triangle filter and loses nothing visible, where every width from the full image with a
    // wider filter cost several times as much.
    let mut current = upright;
    for &w in picture.widths.iter().rev() {
        if w != current.width() {
            let h = scaled_height(current.width(), current.height(), w);
            current = current.resize_exact(w, h, image::imageops::FilterType::Triangle);
        }
        for (name, _, webp) in names.iter().filter(|(_, width, _)| *width == w) {
            let encoded = encode(&current, if *webp { Format::WebP } else { picture.format })
                .map_err(|e| bad(e.to_string()))?;
            save(cache, &cached(w, *webp), &encoded);
            files.push((name.clone(), encoded));
        }
    }
    Ok(files)
}

/// Keeps a processed file; a cache that cannot be written costs only time on the next build.
fn save(cache: &Path, path: &Path, bytes: &[u8]) {
    if std::fs::create_dir_all(cache).is_ok() {
        let _ = std::fs::write(path, bytes);
    }
}

/// The image decoded and turned upright (its EXIF orientation applied).
fn decode(bytes: &[u8], format: Format) -> Result<DynamicImage, String> {
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    if image.width() > MAX_WIDTH {
        let h = scaled_height(image.width(), image.height(), MAX_WIDTH);
        image = image.resize_exact(MAX_WIDTH, h, image::imageops::FilterType::Triangle);
    }
    Ok(image)
}

/// The pixels alone in `format`: the encoders write no metadata.
fn encode(image: &DynamicImage, format: Format) -> image::ImageResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            rgb.write_with_encoder(encoder)?;
        }
        Format::Png => image.write_to(&mut out, ImageFormat::Png)?,
        Format::WebP => {
            let rgba = DynamicImage::ImageRgba8(image.to_rgba8());
            rgba.write_to(&mut out, ImageFormat::WebP)?;
        }
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_stop_at_the_image_and_the_largest_keeps_the_name() {
        let picture = Picture::new("photos/port.jpg", Format::Jpeg, 1200, 800);
        assert_eq!(picture.widths, [480, 960, 1200]);
        assert_eq!(picture.variant(480, false), "photos/port-480.jpg");
        assert_eq!(picture.variant(1200, false), "photos/port.jpg");
        assert_eq!((picture.width, picture.height), (1200, 800));
        let huge = Picture::new("a.png", Format::Png, 6000, 4000);
        assert_eq!(huge.widths, [480, 960, 1600, 2400]);
        assert_eq!(huge.height, 1600);
        assert_eq!(huge.variant(960, true), "a-960.webp");
        let small = Picture::new("a.png", Format::Png, 300, 100);
        assert_eq!(small.widths, [300]);
    }

    #[test]
    fn markup_has_srcset_sizes_and_dimensions() {
        let picture = Picture::new("a b.png", Format::Png, 1000, 500);
        assert_eq!(
            picture.html("A \"map\""),
            concat!(
                "<picture><source type=\"image/webp\" srcset=\"a%20b-480.webp 480w, a%20b-960.webp 960w, a%20b.webp 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\">",
                "<img src=\"a%20b.png\" srcset=\"a%20b-480.png 480w, a%20b-960.png 960w, a%20b.png 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1000\" height=\"500\" alt=\"A &quot;map&quot;\" loading=\"lazy\" decoding=\"async\"></picture>"
            )
        );
        let photo = Picture::new("p.jpg", Format::Jpeg, 400, 300);
        assert!(
            photo
                .html("x")
                .starts_with("<img src=\"p.jpg\" srcset=\"p.jpg 400w\"")
        );
    }
}
