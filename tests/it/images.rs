//! Images outside brief bundles (issue 15): the images of `static/` a body, a hero or an
//! author's photo uses are published in several widths without metadata, heroes give
//! thumbnails to listings and search results and a social card cropped around
//! `focal_point`, `[images]` sets the widths and the size `brief check` warns above.

use std::path::Path;

use crate::common::{brief, build_site, read_output};
use crate::editorial::site_with;

/// A JPEG `w` x `h` painted by `paint`, with an EXIF block and a comment naming a place, as a
/// phone would leave them.
fn photo(w: u32, h: u32, paint: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(w, h, |x, y| image::Rgb(paint(x, y)));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&pixels)
        .unwrap();
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend(((body.len() + 2) as u16).to_be_bytes());
        s.extend(body);
        s
    };
    let exif = segment(0xE1, b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0");
    let comment = segment(0xFE, b"GPS-SECRET 51.5074N 0.1278W");
    let mut out = jpeg[..2].to_vec();
    out.extend(exif);
    out.extend(comment);
    out.extend(&jpeg[2..]);
    out
}

/// A smooth picture (what a photo compresses like).
fn gradient(x: u32, y: u32) -> [u8; 3] {
    [(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]
}

fn write(site: &Path, path: &str, bytes: &[u8]) {
    let path = site.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const BRIEF: &str = "+++\ntitle = \"Ports\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n\n[hero]\nimage = \"/images/hero.jpg\"\nalt = \"A harbour\"\nfocal_point = \"right\"\n+++\n\nThe port.\n\n![The port at dawn](/images/port.jpg)\n";
const AUTHOR: &str =
    "+++\nname = \"Jane Doe\"\nphoto = \"/authors/jane.jpg\"\n+++\n\nJane writes briefs.\n";

/// The minimal site with a brief using a static image in its body and a static hero (left
/// half blue, right half red), and an author photo in static/.
fn site_with_static_images(config: &str) -> tempfile::TempDir {
    let site = site_with(&[
        ("content/briefs/first-brief.md", BRIEF),
        ("content/authors/jane-doe.md", AUTHOR),
        ("config.toml", config),
    ]);
    write(
        site.path(),
        "static/images/port.jpg",
        &photo(1000, 500, gradient),
    );
    let halves = |x: u32, _| if x < 2000 { [0, 0, 255] } else { [255, 0, 0] };
    write(
        site.path(),
        "static/images/hero.jpg",
        &photo(4000, 1000, halves),
    );
    write(
        site.path(),
        "static/authors/jane.jpg",
        &photo(300, 300, gradient),
    );
    site
}

const CONFIG: &str = "title = \"Minimal Site\"\nbase_url = \"https://example.org/\"\n";

fn dimensions(path: &Path) -> (u32, u32) {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (image.width(), image.height())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn static_images_of_a_body_a_hero_and_an_author_are_published_in_widths() {
    let site = site_with_static_images(CONFIG);
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/first-brief/index.html");
    assert!(
        page.contains("<picture><source type=\"image/webp\" srcset=\"/images/port-480.webp 480w, /images/port-960.webp 960w, /images/port.webp 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\"><img src=\"/images/port.jpg\" srcset=\"/images/port-480.jpg 480w, /images/port-960.jpg 960w, /images/port.jpg 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1000\" height=\"500\" alt=\"The port at dawn\" loading=\"lazy\" decoding=\"async\"></picture>"),
        "{page}"
    );
    // The hero is at the top: fetched first, never lazily.
    assert!(
        page.contains("<img src=\"/images/hero.jpg\" srcset=\"/images/hero-480.jpg 480w, /images/hero-960.jpg 960w, /images/hero.jpg 1600w\" sizes=\"(min-width: 72rem) 68rem, 100vw\" width=\"1600\" height=\"400\" alt=\"A harbour\" fetchpriority=\"high\" decoding=\"async\">"),
        "{page}"
    );
    assert!(
        page.contains("<img class=\"byline-photo\" src=\"/authors/jane.jpg\" srcset=\"/authors/jane.jpg 300w\" sizes=\"3rem\" width=\"300\" height=\"300\" alt=\"\" loading=\"lazy\" decoding=\"async\">"),
        "{page}"
    );
    for (file, size) in [
        ("images/port.jpg", (1000, 500)),
        ("images/port-480.jpg", (480, 240)),
        ("images/port-960.webp", (960, 480)),
        ("images/hero.jpg", (1600, 400)),
        ("images/hero-960.webp", (960, 240)),
        ("authors/jane.jpg", (300, 300)),
        ("authors/jane.webp", (300, 300)),
        ("briefs/first-brief/hero-card.jpg", (1200, 630)),
    ] {
        assert_eq!(dimensions(&out.join(file)), size, "{file}");
    }
    // The copy of static/ is replaced by the processed file: nothing of the phone's is left.
    for file in ["images/port.jpg", "images/hero.jpg", "authors/jane.jpg"] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(!contains(&bytes, b"Exif"), "{file} kept its EXIF block");
        assert!(!contains(&bytes, b"GPS-SECRET"), "{file} kept its comment");
    }
    // The widest port is the source's own size and upright: its compressed pixels are kept as
    // they are (no second generation of JPEG loss), only the metadata goes.
    let source = image::load_from_memory(&photo(1000, 500, gradient)).unwrap();
    let published = image::open(out.join("images/port.jpg")).unwrap();
    assert_eq!(source.to_rgb8(), published.to_rgb8());
    // JPEG photos get lossy WebP (VP8), a third or so smaller than the JPEG.
    let webp = std::fs::read(out.join("images/port-960.webp")).unwrap();
    let jpeg = std::fs::read(out.join("images/port-960.jpg")).unwrap();
    assert!(contains(&webp, b"VP8 "), "not lossy WebP");
    assert!(webp.len() < jpeg.len(), "{} >= {}", webp.len(), jpeg.len());
    assert!(
        page.contains("<meta property=\"og:image\" content=\"https://example.org/briefs/first-brief/hero-card.jpg\">"),
        "{page}"
    );
}

#[test]
fn the_social_card_keeps_the_focal_point_in_view() {
    let site = site_with_static_images(CONFIG);
    let (_temp, out) = build_site(site.path(), &[]);
    let card = image::open(out.join("briefs/first-brief/hero-card.jpg"))
        .unwrap()
        .to_rgb8();
    // focal_point = "right": the whole card is cut from the red right half; a card cropped
    // around the centre would start in the blue half.
    for x in [5, 600, 1195] {
        let pixel = card.get_pixel(x, 315).0;
        assert!(pixel[0] > 200 && pixel[2] < 60, "{x}: {pixel:?}");
    }
    let centred = BRIEF.replace("focal_point = \"right\"\n", "");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), centred).unwrap();
    let (_temp2, out) = build_site(site.path(), &[]);
    let card = image::open(out.join("briefs/first-brief/hero-card.jpg"))
        .unwrap()
        .to_rgb8();
    assert!(
        card.get_pixel(5, 315).0[2] > 200,
        "the centred card starts in the blue half"
    );
}

#[test]
fn listings_author_pages_and_search_results_show_the_heros_thumbnail() {
    let site = site_with_static_images(CONFIG);
    let (_temp, out) = build_site(site.path(), &[]);
    let thumb = "<img class=\"card-thumb\" src=\"/images/hero.jpg\" srcset=\"/images/hero-480.jpg 480w, /images/hero-960.jpg 960w, /images/hero.jpg 1600w\" sizes=\"(min-width: 48rem) 10rem, 30vw\" width=\"1600\" height=\"400\" alt=\"\" loading=\"lazy\" decoding=\"async\">";
    // The home page leads with its newest brief's hero, fetched first.
    let home = read_output(&out, "index.html");
    assert!(
        home.contains("<a class=\"lead-art\" href=\"/briefs/first-brief/\" tabindex=\"-1\" aria-hidden=\"true\"><picture><source type=\"image/webp\" srcset=\"/images/hero-480.webp 480w"),
        "{home}"
    );
    assert!(home.contains("sizes=\"(min-width: 48rem) 36rem, 100vw\" width=\"1600\" height=\"400\" alt=\"\" fetchpriority=\"high\""), "{home}");
    for page in ["briefs/index.html", "authors/jane-doe/index.html"] {
        let html = read_output(&out, page);
        assert!(html.contains(thumb), "{page}: {html}");
        assert!(
            html.contains("<article class=\"card has-thumb\">"),
            "{page}: {html}"
        );
    }
    let author = read_output(&out, "authors/jane-doe/index.html");
    assert!(
        author.contains("<img class=\"author-photo\" src=\"/authors/jane.jpg\" srcset=\"/authors/jane.jpg 300w\" sizes=\"8rem\" width=\"300\" height=\"300\" alt=\"\" fetchpriority=\"high\" decoding=\"async\">"),
        "{author}"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&read_output(&out, "search/meta.json")).unwrap();
    let fields = meta["doc_fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f == "thumb"), "{fields:?}");
    let docs = crate::common::files(&out.join("search/docs"));
    let rows = docs
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    assert!(rows.contains("\"/images/hero-480.jpg\""), "{rows}");
}

#[test]
fn a_second_build_reprocesses_no_static_image_hero_card_or_author_photo() {
    let site = site_with_static_images(CONFIG);
    let (_temp, first) = build_site(site.path(), &[]);
    let cache = site.path().join(".brief-cache/images");
    let stamps = || -> Vec<(String, std::time::SystemTime)> {
        let mut files: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, e.metadata().unwrap().modified().unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = stamps();
    // port: 3 widths x 2 formats, hero: 3 x 2, jane: 1 x 2, and the card.
    assert_eq!(before.len(), 6 + 6 + 2 + 1, "{before:?}");
    let (_temp2, second) = build_site(site.path(), &[]);
    assert_eq!(stamps(), before, "a cached image was made again");
    for file in [
        "images/port-480.webp",
        "authors/jane.jpg",
        "briefs/first-brief/hero-card.jpg",
    ] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(second.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn configured_widths_replace_the_defaults_under_a_sub_path() {
    let config = "title = \"Minimal Site\"\nbase_url = \"https://example.org/sub/\"\n\n[images]\nwidths = [600, 300]\n";
    let site = site_with_static_images(config);
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/first-brief/index.html");
    assert!(
        page.contains("<img src=\"/sub/images/port.jpg\" srcset=\"/sub/images/port-300.jpg 300w, /sub/images/port.jpg 600w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"600\" height=\"300\""),
        "{page}"
    );
    assert_eq!(dimensions(&out.join("images/port.jpg")), (600, 300));
    assert!(!out.join("images/port-480.jpg").exists());
}

#[test]
fn wrong_images_settings_and_focal_points_are_errors_at_their_line() {
    let config = "title = \"Minimal Site\"\nbase_url = \"https://example.org/\"\n\n[images]\nwidths = [480, 0]\nmax_size_mb = -2\n";
    let site = site_with_static_images(config);
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "config.toml:5:1: [images] widths has 0, not a width in pixels between 16 and 8192"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "config.toml:6:1: [images] max_size_mb must be a number of megabytes above 0, not -2"
        ),
        "{stderr}"
    );
    std::fs::write(site.path().join("config.toml"), CONFIG).unwrap();
    let bad = BRIEF.replace("\"right\"", "[30, 50]");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), bad).unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("content/briefs/first-brief.md:9:1: focal_point must be two fractions between 0 and 1, not [30, 50]"),
        "{stderr}"
    );
    assert!(stderr.contains("\"top left\""), "{stderr}");
}

#[test]
fn a_corrupt_static_image_fails_the_build_naming_it_and_the_brief() {
    let site = site_with_static_images(CONFIG);
    write(site.path(), "static/images/port.jpg", b"not a jpeg");
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("error: static/images/port.jpg: could not read the image:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(used by content/briefs/first-brief.md)"),
        "{stderr}"
    );
}

#[test]
fn check_warns_of_static_images_over_max_size_mb() {
    let config = format!("{CONFIG}\n[images]\nmax_size_mb = 0.01\n");
    let site = site_with_static_images(&config);
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("static/images/hero.jpg: warning: the image is over 0.01 MB"),
        "{stdout}"
    );
    assert!(
        stdout.contains("static/authors/jane.jpg: warning: the image is over 0.01 MB"),
        "{stdout}"
    );
}

#[test]
fn a_pages_static_image_is_published_in_widths_too() {
    let site = site_with_static_images(CONFIG);
    write(
        site.path(),
        "content/pages/about.md",
        b"+++\ntitle = \"About\"\n+++\n\n![Our office](/images/port.jpg)\n",
    );
    // Only the page uses the image now.
    let plain = BRIEF.replace("![The port at dawn](/images/port.jpg)\n", "");
    std::fs::write(site.path().join("content/briefs/first-brief.md"), plain).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "about/index.html");
    assert!(
        page.contains("<img src=\"/images/port.jpg\" srcset=\"/images/port-480.jpg 480w, /images/port-960.jpg 960w, /images/port.jpg 1000w\""),
        "{page}"
    );
    assert_eq!(dimensions(&out.join("images/port-480.jpg")), (480, 240));
    let bytes = std::fs::read(out.join("images/port.jpg")).unwrap();
    assert!(!contains(&bytes, b"GPS-SECRET"));
}

#[test]
fn a_figure_or_embed_naming_a_static_image_publishes_it_in_widths_under_a_sub_path() {
    let site = site_with_static_images(CONFIG);
    let body = BRIEF.replace(
        "![The port at dawn](/images/port.jpg)\n",
        "```figure\nid = \"fig-port\"\nimage = \"/images/port.jpg\"\nalt = \"The port at dawn\"\nsource = \"Port authority\"\n```\n\n```embed\nurl = \"https://datawrapper.dwcdn.net/AbCdE/1/\"\ntitle = \"Ports\"\nfallback = \"/images/still.jpg\"\nalt = \"A map of ports\"\n```\n",
    );
    std::fs::write(site.path().join("content/briefs/first-brief.md"), body).unwrap();
    write(
        site.path(),
        "static/images/still.jpg",
        &photo(300, 200, gradient),
    );
    let (_temp, out) = build_site(site.path(), &["--base-url", "https://example.org/sub/"]);
    let page = read_output(&out, "briefs/first-brief/index.html");
    assert!(
        page.contains("<picture><source type=\"image/webp\" srcset=\"/sub/images/port-480.webp 480w, /sub/images/port-960.webp 960w, /sub/images/port.webp 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\"><img src=\"/sub/images/port.jpg\" srcset=\"/sub/images/port-480.jpg 480w, /sub/images/port-960.jpg 960w, /sub/images/port.jpg 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1000\" height=\"500\" alt=\"The port at dawn\" loading=\"lazy\" decoding=\"async\"></picture>"),
        "{page}"
    );
    assert_eq!(dimensions(&out.join("images/port-480.webp")), (480, 240));
    assert_eq!(dimensions(&out.join("images/port-960.jpg")), (960, 480));
    for file in ["images/port.jpg", "images/still.jpg"] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(!contains(&bytes, b"GPS-SECRET"), "{file} kept its comment");
    }
    // The embed's still keeps its address (its widest width), now without metadata.
    assert!(
        page.contains("src=\"/sub/images/still.jpg\" alt=\"A map of ports\""),
        "{page}"
    );
    assert!(out.join("images/still.webp").exists());
}

#[test]
fn the_first_image_of_a_brief_without_a_hero_is_fetched_first_and_the_rest_lazily() {
    let site = site_with_static_images(CONFIG);
    let no_hero = BRIEF
        .replace(
            "\n[hero]\nimage = \"/images/hero.jpg\"\nalt = \"A harbour\"\nfocal_point = \"right\"\n",
            "",
        )
        .replace(
            "![The port at dawn](/images/port.jpg)\n",
            "```figure\nimage = \"/images/port.jpg\"\nalt = \"The port at dawn\"\nsource = \"s\"\n```\n\n![The port at dusk](/images/hero.jpg)\n",
        );
    std::fs::write(site.path().join("content/briefs/first-brief.md"), no_hero).unwrap();
    write(
        site.path(),
        "content/pages/about.md",
        b"+++\ntitle = \"About\"\n+++\n\n![Our office](/images/port.jpg)\n\n![Our team](/images/hero.jpg)\n",
    );
    let (_temp, out) = build_site(site.path(), &[]);
    for (page, first, second) in [
        (
            "briefs/first-brief/index.html",
            "The port at dawn",
            "The port at dusk",
        ),
        ("about/index.html", "Our office", "Our team"),
    ] {
        let html = read_output(&out, page);
        assert!(
            html.contains(&format!(
                "alt=\"{first}\" fetchpriority=\"high\" decoding=\"async\">"
            )),
            "{page}: {html}"
        );
        assert!(
            html.contains(&format!(
                "alt=\"{second}\" loading=\"lazy\" decoding=\"async\">"
            )),
            "{page}: {html}"
        );
        assert_eq!(html.matches("fetchpriority=\"high\"").count(), 1, "{page}");
    }
}

/// An EXIF block (after `Exif\0\0`, little-endian as phones write it) with a camera make, the
/// orientation `turn` and text standing for a GPS position.
fn exif_block(turn: u16) -> Vec<u8> {
    let mut t = b"II\x2a\0".to_vec();
    t.extend(8u32.to_le_bytes());
    t.extend(2u16.to_le_bytes());
    t.extend(0x010Fu16.to_le_bytes()); // Make, ASCII, 4 bytes
    t.extend(2u16.to_le_bytes());
    t.extend(4u32.to_le_bytes());
    t.extend(b"Cam\0");
    t.extend(0x0112u16.to_le_bytes()); // Orientation, SHORT
    t.extend(3u16.to_le_bytes());
    t.extend(1u32.to_le_bytes());
    t.extend(turn.to_le_bytes());
    t.extend([0, 0]);
    t.extend(0u32.to_le_bytes());
    t.extend(b"GPS-SECRET 51.5074N 0.1278W");
    t
}

/// A JPEG `w` x `h` as a phone stores a picture it means to be shown turned by `turn`, with
/// EXIF (`turn`, GPS) and XMP.
fn phone_jpeg(w: u32, h: u32, turn: u16) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(w, h, |x, y| image::Rgb(gradient(x, y)));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&pixels)
        .unwrap();
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend(((body.len() + 2) as u16).to_be_bytes());
        s.extend(body);
        s
    };
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_block(turn));
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x>GPS-SECRET</x>",
    ));
    out.extend(&plain[2..]);
    out
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend(kind);
    chunk.extend(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(&chunk[4..]);
    chunk.extend(crc.finalize().to_be_bytes());
    chunk
}

/// `pixels` as a file of `format`.
fn encoded(pixels: image::RgbaImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// A 60x20 PNG with text, time and EXIF chunks (an upright orientation, a GPS position).
fn logo_png() -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(60, 20, |x, y| {
        image::Rgba([x as u8 * 4, y as u8 * 9, 7, 255])
    });
    let plain = encoded(pixels, image::ImageFormat::Png);
    let ihdr_end = 8 + 12 + 13;
    let mut out = plain[..ihdr_end].to_vec();
    out.extend(png_chunk(b"tEXt", b"Author\0GPS-SECRET Jane at home"));
    out.extend(png_chunk(b"tIME", &[7, 234, 1, 2, 3, 4, 5]));
    out.extend(png_chunk(b"eXIf", &exif_block(1)));
    out.extend(&plain[ihdr_end..]);
    out
}

/// A 50x30 WebP in an extended container with EXIF and XMP chunks.
fn banner_webp() -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(50, 30, |x, y| {
        image::Rgba([x as u8 * 5, y as u8 * 8, 99, 255])
    });
    let simple = encoded(pixels, image::ImageFormat::WebP);
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = kind.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend(&49u32.to_le_bytes()[..3]);
    vp8x.extend(&29u32.to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend(&simple[12..]);
    body.extend(chunk(b"EXIF", &exif_block(1)));
    body.extend(chunk(b"XMP ", b"<x:xmpmeta>GPS-SECRET</x:xmpmeta>"));
    let mut out = b"RIFF".to_vec();
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn orientation(bytes: &[u8]) -> image::metadata::Orientation {
    use image::ImageDecoder;
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    decoder.orientation().unwrap()
}

/// The site of [`site_with_static_images`] with a logo, a CSS background and a banner that no
/// content names, and a brief whose raw HTML shows a phone photo of `static/` and one of its
/// own folder.
fn site_with_copies() -> tempfile::TempDir {
    let site = site_with_static_images(CONFIG);
    write(site.path(), "static/logo.png", &logo_png());
    write(
        site.path(),
        "static/images/back.jpg",
        &phone_jpeg(60, 40, 6),
    );
    write(
        site.path(),
        "static/css/extra.css",
        b"body { background: url(/images/back.jpg); }\n",
    );
    write(site.path(), "static/images/banner.webp", &banner_webp());
    write(site.path(), "static/images/raw.jpg", &phone_jpeg(60, 40, 6));
    write(
        site.path(),
        "content/briefs/raw/index.md",
        b"+++\ntitle = \"Raw\"\ndate = 2024-01-16\nauthors = [\"jane-doe\"]\n+++\n\nText.\n\n<div class=\"band\">\n  <img src=\"/images/raw.jpg\"\n       alt=\"A &quot;pier&quot;\">\n</div>\n\nAnd <img src=\"photo.jpg\" alt=\"\" class=\"float\"> inline.\n",
    );
    write(
        site.path(),
        "content/briefs/raw/photo.jpg",
        &phone_jpeg(80, 40, 1),
    );
    site
}

#[test]
fn static_images_copied_as_they_are_lose_their_metadata_but_not_their_turn() {
    let site = site_with_copies();
    let (_temp, out) = build_site(site.path(), &[]);
    for (file, size) in [
        ("logo.png", (60, 20)),
        ("images/back.jpg", (60, 40)),
        ("images/banner.webp", (50, 30)),
    ] {
        let source = std::fs::read(site.path().join("static").join(file)).unwrap();
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(
            !contains(&bytes, b"GPS-SECRET"),
            "{file} kept a GPS position"
        );
        assert!(!contains(&bytes, b"Cam\0"), "{file} kept the camera");
        assert!(
            !contains(&bytes, b"xmpmeta") && !contains(&bytes, b"adobe"),
            "{file} kept XMP"
        );
        assert_eq!(dimensions(&out.join(file)), size, "{file}");
        // The same pixels: nothing was encoded again.
        assert_eq!(
            image::load_from_memory(&source).unwrap().to_rgba8(),
            image::load_from_memory(&bytes).unwrap().to_rgba8(),
            "{file}"
        );
    }
    // The CSS background is still shown turned as the phone meant it.
    let back = std::fs::read(out.join("images/back.jpg")).unwrap();
    assert_eq!(orientation(&back), image::metadata::Orientation::Rotate90);
    for file in ["logo.png", "images/banner.webp"] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(
            !contains(&bytes, b"eXIf") && !contains(&bytes, b"EXIF"),
            "{file}"
        );
    }
    // The stylesheet is copied as it was.
    assert_eq!(
        read_output(&out, "css/extra.css"),
        "body { background: url(/images/back.jpg); }\n"
    );
}

#[test]
fn raw_html_images_are_processed_and_get_their_size() {
    let site = site_with_copies();
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/raw/index.html");
    // Upright, the 60x40 photo turned a quarter is 40 wide and 60 high.
    assert!(
        page.contains("<div class=\"band\">\n  <img src=\"/images/raw.jpg\"\n       alt=\"A &quot;pier&quot;\" width=\"40\" height=\"60\">\n</div>"),
        "{page}"
    );
    assert!(
        page.contains("And <img src=\"photo.jpg\" alt=\"\" class=\"float\" width=\"80\" height=\"40\"> inline."),
        "{page}"
    );
    for (file, size) in [
        ("images/raw.jpg", (40, 60)),
        ("briefs/raw/photo.jpg", (80, 40)),
    ] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(
            !contains(&bytes, b"GPS-SECRET"),
            "{file} kept a GPS position"
        );
        assert!(!contains(&bytes, b"Exif"), "{file} kept its EXIF block");
        assert_eq!(dimensions(&out.join(file)), size, "{file}");
    }
    // Processed, so in widths and WebP too.
    assert!(out.join("images/raw.webp").is_file());
    // The bundle's photo is used by the raw HTML: `brief check` does not call it unused.
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("`photo.jpg`"), "{stdout}");
}

#[test]
fn a_rebuild_rewrites_no_stripped_copy() {
    let site = site_with_copies();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let build = || {
        brief(site.path())
            .args(["build", "--output"])
            .arg(&out)
            .assert()
            .success();
    };
    build();
    let files = [
        "logo.png",
        "images/back.jpg",
        "images/banner.webp",
        "images/raw.jpg",
    ];
    let stamps = || -> Vec<std::time::SystemTime> {
        files
            .iter()
            .map(|f| std::fs::metadata(out.join(f)).unwrap().modified().unwrap())
            .collect()
    };
    let before = stamps();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // An edit, so that the build runs rather than finding nothing changed.
    let brief_file = site.path().join("content/briefs/raw/index.md");
    let text = std::fs::read_to_string(&brief_file).unwrap();
    std::fs::write(&brief_file, text.replace("Text.", "Text, edited.")).unwrap();
    build();
    assert!(read_output(&out, "briefs/raw/index.html").contains("Text, edited."));
    assert_eq!(stamps(), before, "a stripped copy was written again");
}

#[test]
fn a_static_image_whose_metadata_cannot_be_removed_fails_the_build_naming_it() {
    let site = site_with_static_images(CONFIG);
    let mut cut = logo_png();
    cut.truncate(cut.len() - 20);
    write(site.path(), "static/logo.png", &cut);
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("static/logo.png: could not remove the image's metadata (camera, GPS position): it is not a whole PNG file (cut short, or damaged)"),
        "{stderr}"
    );
    // A raw-HTML image that cannot be read is the error a Markdown image gets.
    let site = site_with_copies();
    write(site.path(), "static/images/raw.jpg", b"not a jpeg");
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("error: static/images/raw.jpg: could not read the image:")
            && stderr.contains("(used by content/briefs/raw/index.md)"),
        "{stderr}"
    );
}

#[test]
fn the_pdf_edition_embeds_images_without_their_metadata() {
    let site = site_with_static_images(CONFIG);
    write(
        site.path(),
        "static/images/phone.jpg",
        &phone_jpeg(120, 80, 6),
    );
    let body = BRIEF.replace(
        "![The port at dawn](/images/port.jpg)\n",
        "![A pier](/images/phone.jpg)\n",
    );
    std::fs::write(site.path().join("content/briefs/first-brief.md"), body).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    let pdf = std::fs::read(out.join("briefs/first-brief/first-brief.pdf")).unwrap();
    // The hero and the photo are in it (JPEGs are embedded as they are, so their markers show).
    assert!(contains(&pdf, b"/DCTDecode"), "no JPEG in the PDF");
    assert!(
        !contains(&pdf, b"GPS-SECRET"),
        "the PDF kept a GPS position"
    );
}

/// Files are published under their own names, whatever characters those hold; their
/// addresses percent-encode what a URL would read otherwise (`#` an anchor, `%` an escape,
/// `&` a query's separator) and HTML escapes the rest once: every address leads to the file.
#[test]
fn files_named_with_hash_percent_and_ampersand_are_linked_at_addresses_that_reach_them() {
    let text = "+++\ntitle = \"Ports\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\npdf = \"Report #2.pdf\"\n\n[hero]\nimage = \"map #2.jpg\"\nalt = \"A map\"\ncredit = \"Us\"\n+++\n\nThe port.\n\n```figure\nimage = \"R&D 50%.jpg\"\nalt = \"Spending\"\nsource = \"Us\"\n```\n\n```embed\nurl = \"https://datawrapper.dwcdn.net/AbCdE/1/?dark=false&plain=1\"\ntitle = \"Map\"\n```\n";
    let site = site_with(&[("content/briefs/ports/index.md", text)]);
    std::fs::remove_file(site.path().join("content/briefs/first-brief.md")).unwrap();
    let folder = "content/briefs/ports";
    write(
        site.path(),
        &format!("{folder}/map #2.jpg"),
        &photo(1000, 500, gradient),
    );
    write(
        site.path(),
        &format!("{folder}/R&D 50%.jpg"),
        &photo(1000, 500, gradient),
    );
    write(
        site.path(),
        &format!("{folder}/Report #2.pdf"),
        b"%PDF-1.4\n%%EOF\n",
    );
    let (_temp, out) = build_site(site.path(), &["--no-pdf"]);
    let html = read_output(&out, "briefs/ports/index.html");
    for expected in [
        r#"<meta property="og:image" content="https://example.org/briefs/ports/map%20%232-card.jpg">"#,
        r#"<a href="/briefs/ports/Report%20%232.pdf" download type="application/pdf">"#,
        r#"<img src="R%26D%2050%25.jpg" srcset="R%26D%2050%25-480.jpg 480w, R%26D%2050%25-960.jpg 960w, R%26D%2050%25.jpg 1000w""#,
        r#"<iframe src="https://datawrapper.dwcdn.net/AbCdE/1/?dark=false&amp;plain=1""#,
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    assert!(
        html.contains("src=\"/briefs/ports/map%20%232.jpg\""),
        "{html}"
    );
    // Each address names a file that was written.
    for name in [
        "map #2-card.jpg",
        "Report #2.pdf",
        "R&D 50%-480.jpg",
        "R&D 50%.jpg",
    ] {
        assert!(out.join("briefs/ports").join(name).is_file(), "{name}");
    }
    let check = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.starts_with("0 errors, 0 warnings"), "{stdout}");
    assert_eq!(check.status.code(), Some(0), "{stdout}");
}
