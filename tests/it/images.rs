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
    assert_eq!(fields.last().unwrap(), "thumb");
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
