//! Making the files of [`super::Job`]s and [`super::Card`]s, through the cache.
//!
//! Each image is decoded once (by `image`), turned upright, and resized widest first, each
//! width from the one before it (`fast_image_resize`, SIMD): never from the original again.
//! Images are processed in parallel (rayon, one image a task).
//!
//! - JPEG is written by `jpeg-encoder` (SIMD) at [`JPEG_QUALITY`], 4:2:0 chroma as libjpeg does
//!   below quality 90. When the widest variant is the source's own size and the source needs
//!   no turning, that variant is the source's own bytes with every metadata segment left out
//!   ([`super::strip`]): no second lossy generation, no encoding time.
//! - WebP: PNGs get lossless WebP from the `image` crate (smaller than the PNG, alpha kept);
//!   JPEG photos get lossy WebP from libwebp (`libwebp-sys`), since a lossless WebP of a
//!   photo is larger than its JPEG and would never be worth sending.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize as fir;
use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat, ImageReader};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{CARD, Card, Format, Job, scaled_height};
use crate::error::{Diagnostic, Kind};

/// Changes when the processing changes, so that old cached files are not reused.
const VERSION: &str = "v4";
/// `jpeg-encoder`'s quality (libjpeg's scale, standard tables).
pub const JPEG_QUALITY: u8 = 82;
/// libwebp's quality for photos: at 80 a WebP is about a third smaller than the JPEG at 82
/// with no difference to see.
pub const WEBP_QUALITY: f32 = 80.0;
/// libwebp's effort, 0 (fastest) to 6. 2 analyses every block's intra modes, which 1 skips:
/// on a real 2268x1512 photo 2 wrote 94 KB where 1 wrote 115 KB (the JPEG: 187 KB), so every
/// reader gets a fifth fewer bytes for about 11 ms more CPU a photo, once (the result is
/// cached). 0 writes files larger again, and the default 4 takes about twice the time of 2
/// for files a few per cent smaller.
pub const WEBP_METHOD: i32 = 2;

/// One file to make: an image's variants, or a card.
enum Work<'a> {
    Variants(&'a Job),
    Card(&'a Card),
}

/// Writes every variant of every image and every card into `sink`, processing only what the
/// cache under `root` lacks; an image of `static/` used by several briefs is written once.
/// Returns how many files it wrote, or every problem (an image that cannot be decoded, a file
/// that cannot be written).
pub fn write_all(
    jobs: &[&Job],
    cards: &[&Card],
    root: &Path,
    sink: &dyn crate::outputs::Sink,
) -> Result<usize, crate::error::Errors> {
    if !jobs.is_empty() || !cards.is_empty() {
        reuse_freed_buffers();
    }
    let cache = root.join(super::CACHE_DIR);
    let unique: BTreeMap<String, &Job> = jobs.iter().map(|j| (j.site_path(), *j)).collect();
    let work: Vec<Work> = unique
        .into_values()
        .map(Work::Variants)
        .chain(cards.iter().map(|c| Work::Card(c)))
        .collect();
    let results: Vec<Result<usize, Vec<Diagnostic>>> = work
        .par_iter()
        .map(|work| {
            let files = match work {
                Work::Variants(job) => variants(job, &cache, root),
                Work::Card(card) => card_file(card, &cache, root).map(|f| vec![f]),
            }
            .map_err(|e| vec![e])?;
            let errors: Vec<Diagnostic> = files
                .iter()
                .filter_map(|(site_path, bytes)| {
                    let file = crate::outputs::OutputFile {
                        site_path,
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

/// Has glibc's allocator keep freed memory for the next allocation instead of handing it back
/// to the kernel: by default each photo's buffers (11.5 MB decoded, 5 MB resized, libwebp's
/// and the JPEG encoder's) are returned when freed and faulted in, zeroed, again for the next
/// photo, about a tenth of a cold build's CPU (300 of the bench's photos: 29.9-31.1 s of CPU
/// with these settings, 34.0-35.9 s without; peak memory the same, 84 MB). Process-wide, like
/// the `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_` variables that set the same.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reuse_freed_buffers() {
    // SAFETY: mallopt only sets two of the allocator's thresholds, which may change at any
    // time (glibc takes its own locks); a refused value leaves the default in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// Other allocators than glibc's are left as they are.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn reuse_freed_buffers() {}

/// The source's bytes and the cache key (hash) of them.
fn read_source(source: &Path, root: &Path) -> Result<(Vec<u8>, String), Diagnostic> {
    let display = crate::fsutil::relative(source, root);
    let bytes =
        std::fs::read(source).map_err(|e| Diagnostic::io("read the image", &display, &e))?;
    let key = format!("{:x}", Sha256::digest(&bytes));
    Ok((bytes, key[..32].to_string()))
}

/// The error for an image that cannot be decoded or encoded.
fn unreadable(source: &Path, root: &Path, e: String) -> Diagnostic {
    Diagnostic::new(Kind::Io, format!("could not read the image: {e}"))
        .in_file(crate::fsutil::relative(source, root))
        .help("open and save it again as JPEG, PNG or WebP, or remove it from the brief's folder")
}

/// The variants of one image, as (site path, bytes), from the cache or made (and cached).
fn variants(job: &Job, cache: &Path, root: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let (bytes, key) = read_source(&job.source, root)?;
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
    let cached = |w: u32, webp: bool| -> PathBuf {
        let ext = if webp {
            "webp"
        } else {
            picture.name.rsplit_once('.').map_or("", |(_, e)| e)
        };
        cache.join(format!("{key}-{VERSION}-{w}.{ext}"))
    };
    let site_path = |name: &str| format!("{}{name}", job.out_dir);
    if let Some(files) = names
        .iter()
        .map(|(name, w, webp)| {
            std::fs::read(cached(*w, *webp))
                .ok()
                .map(|b| (site_path(name), b))
        })
        .collect::<Option<Vec<_>>>()
    {
        return Ok(files);
    }
    let bad = |e: String| unreadable(&job.source, root, e);
    let (mut current, orientation) = decode(&bytes, picture.format).map_err(bad)?;
    // The source as it is, less its metadata, when it is already the widest variant.
    let untouched = picture.format == Format::Jpeg
        && orientation == Orientation::NoTransforms
        && current.width() == picture.width;
    let mut resizer = fir::Resizer::new();
    let mut files = Vec::new();
    for &w in picture.widths.iter().rev() {
        if w != current.width() {
            let h = scaled_height(current.width(), current.height(), w);
            current = resize(&mut resizer, &current, w, h).map_err(bad)?;
        }
        for (name, _, webp) in names.iter().filter(|(_, width, _)| *width == w) {
            let format = if *webp { Format::WebP } else { picture.format };
            let stripped = (untouched && !*webp && w == picture.width)
                .then(|| super::strip::jpeg::variant(&bytes))
                .flatten();
            let encoded = match stripped {
                Some(stripped) => stripped,
                None => encode(&current, format, picture.format).map_err(bad)?,
            };
            save(cache, &cached(w, *webp), &encoded);
            files.push((site_path(name), encoded));
        }
    }
    Ok(files)
}

/// The social card of a hero, as (site path, bytes), from the cache or made (and cached):
/// the largest part of the image of the card's shape around the focal point, scaled to
/// 1200x630, in JPEG whatever the source (a card is a photo).
fn card_file(card: &Card, cache: &Path, root: &Path) -> Result<(String, Vec<u8>), Diagnostic> {
    let (bytes, key) = read_source(&card.source, root)?;
    let cached = cache.join(format!("{key}-{VERSION}-card-{}.jpg", card.focal.key()));
    if let Ok(bytes) = std::fs::read(&cached) {
        return Ok((card.site_path.clone(), bytes));
    }
    let bad = |e: String| unreadable(&card.source, root, e);
    let (image, _) = decode(&bytes, card.format).map_err(bad)?;
    let (x, y, w, h) = card.focal.crop(image.width(), image.height(), CARD);
    let cropped = resize(
        &mut fir::Resizer::new(),
        &image.crop_imm(x, y, w, h),
        CARD.0,
        CARD.1,
    )
    .map_err(bad)?;
    let encoded = encode(&cropped, Format::Jpeg, Format::Jpeg).map_err(bad)?;
    save(cache, &cached, &encoded);
    Ok((card.site_path.clone(), encoded))
}

/// Keeps a processed file; a cache that cannot be written costs only time on the next build.
fn save(cache: &Path, path: &Path, bytes: &[u8]) {
    if std::fs::create_dir_all(cache).is_ok() {
        let _ = std::fs::write(path, bytes);
    }
}

/// The image decoded and turned upright (its EXIF orientation applied), with the orientation
/// it had.
fn decode(bytes: &[u8], format: Format) -> Result<(DynamicImage, Orientation), String> {
    use image::ImageDecoder;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok((image, orientation))
}

/// `image` resized to `width` x `height` with a bilinear filter widened to the scale (a tent
/// over every source pixel that falls in a destination pixel, as `image`'s `Triangle` filter
/// this replaces), alpha premultiplied while resizing.
fn resize(
    resizer: &mut fir::Resizer,
    image: &DynamicImage,
    width: u32,
    height: u32,
) -> Result<DynamicImage, String> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Bilinear));
    resizer
        .resize(image, &mut resized, &options)
        .map_err(|e| format!("resizing failed: {e}"))?;
    Ok(resized)
}

/// The pixels alone in `format` (the encoders write no metadata); `source` is the format the
/// image came in, which picks lossy or lossless WebP.
fn encode(image: &DynamicImage, format: Format, source: Format) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    let written = match format {
        Format::Jpeg => return encode_jpeg(image),
        Format::Png => image.write_to(&mut out, ImageFormat::Png),
        Format::WebP if source == Format::Jpeg => return encode_lossy_webp(&rgb(image)),
        Format::WebP => {
            let rgba = DynamicImage::ImageRgba8(image.to_rgba8());
            rgba.write_to(&mut out, ImageFormat::WebP)
        }
    };
    written.map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// A lossy WebP of a photo at [`WEBP_QUALITY`] and [`WEBP_METHOD`], through libwebp itself.
///
/// The `webp` crate's encoder asks libwebp for an ARGB picture (`use_argb`), which libwebp
/// then converts to the YUV it encodes: an extra copy of 4 bytes a pixel, about 4 ms a photo.
/// Importing the RGB straight into YUV gives the same file.
fn encode_lossy_webp(rgb: &image::RgbImage) -> Result<Vec<u8>, String> {
    use libwebp_sys as webp;
    let failed = |what: &str| format!("WebP encoding failed: {what}");
    let mut config = webp::WebPConfig::new().map_err(|()| failed("libwebp could not start"))?;
    config.quality = WEBP_QUALITY;
    config.method = WEBP_METHOD;
    let mut picture = webp::WebPPicture::new().map_err(|()| failed("libwebp could not start"))?;
    picture.use_argb = 0;
    picture.width = i32::try_from(rgb.width()).map_err(|_| failed("too wide"))?;
    picture.height = i32::try_from(rgb.height()).map_err(|_| failed("too tall"))?;
    let stride = picture
        .width
        .checked_mul(3)
        .ok_or_else(|| failed("too wide"))?;
    let mut writer = std::mem::MaybeUninit::<webp::WebPMemoryWriter>::uninit();
    // SAFETY: `rgb` holds `height` rows of `stride` bytes (an `RgbImage` of that size), which
    // is all that the import reads. The picture's writer is the memory writer initialised just
    // before, which lives until the end of this block; the picture and the writer are freed
    // once each, on every path, after the last use of what they hold.
    unsafe {
        let imported = webp::WebPPictureImportRGB(&mut picture, rgb.as_raw().as_ptr(), stride);
        webp::WebPMemoryWriterInit(writer.as_mut_ptr());
        picture.writer = Some(webp::WebPMemoryWrite);
        picture.custom_ptr = writer.as_mut_ptr().cast();
        let encoded = imported != 0 && webp::WebPEncode(&config, &mut picture) != 0;
        let error = picture.error_code;
        webp::WebPPictureFree(&mut picture);
        let mut writer = writer.assume_init();
        let result = if encoded && !writer.mem.is_null() {
            Ok(std::slice::from_raw_parts(writer.mem, writer.size).to_vec())
        } else {
            Err(failed(&format!("{error:?}")))
        };
        webp::WebPMemoryWriterClear(&mut writer);
        result
    }
}

/// A JPEG of the pixels alone (grey stays grey; alpha is dropped, as JPEG has none).
fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let too_big = |_| format!("{}x{} is too large for JPEG", image.width(), image.height());
    let width = u16::try_from(image.width()).map_err(too_big)?;
    let height = u16::try_from(image.height()).map_err(too_big)?;
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    let written = match image {
        DynamicImage::ImageLuma8(grey) => {
            encoder.encode(grey.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
        _ => {
            let rgb = rgb(image);
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
    };
    written.map_err(|e| format!("JPEG encoding failed: {e}"))?;
    Ok(out)
}

/// The image's RGB pixels, copied only when they are in another layout.
fn rgb(image: &DynamicImage) -> std::borrow::Cow<'_, image::RgbImage> {
    match image.as_rgb8() {
        Some(rgb) => std::borrow::Cow::Borrowed(rgb),
        None => std::borrow::Cow::Owned(image.to_rgb8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A photo-like picture: gradients with some grain.
    fn photo(width: u32, height: u32) -> DynamicImage {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| {
            let grain = ((x * 7 + y * 13) % 11) as u8;
            image::Rgb([
                (x / 3) as u8 ^ grain,
                (y / 2) as u8,
                ((x + y) / 5) as u8 + grain,
            ])
        });
        DynamicImage::ImageRgb8(pixels)
    }

    #[test]
    fn a_photos_webp_is_a_webp_of_its_size_smaller_than_its_jpeg() {
        let image = photo(640, 427);
        let jpeg = encode(&image, Format::Jpeg, Format::Jpeg).unwrap();
        let webp = encode(&image, Format::WebP, Format::Jpeg).unwrap();
        let decoded = image::load_from_memory_with_format(&webp, ImageFormat::WebP).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (640, 427));
        assert!(
            webp.len() < jpeg.len(),
            "WebP {} bytes, JPEG {}",
            webp.len(),
            jpeg.len()
        );
    }
}
