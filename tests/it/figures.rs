//! Figures, tables, charts and embeds (issue 15): the HTML a brief with each gets, the files
//! a build writes, the errors of a chart whose data does not match, and `brief check`'s
//! warnings.

use crate::common::{Site, brief, build_site, built, read_output};
use crate::editorial::site_with;

const FRONT: &str = "+++\ntitle = \"Charts\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n+++\n\n";

fn figures_page() -> String {
    read_output(
        built(Site::Fixture("features"), false),
        "briefs/figures-brief/index.html",
    )
}

#[test]
fn every_kind_of_figure_is_a_numbered_figure_with_caption_and_source() {
    let page = figures_page();
    assert!(page.contains("<figure class=\"figure figure-image\" id=\"fig-port\">\n<figcaption><span class=\"figure-label\">Figure 1</span> <span class=\"figure-title\">The port of <em>Rajin</em></span>"), "{page}");
    assert!(page.contains("<figure class=\"figure figure-table\" id=\"tbl-ports\">\n<figcaption><span class=\"figure-label\">Table 1</span>"));
    assert!(page.contains("<figure class=\"figure figure-chart\" id=\"fig-column\">\n<figcaption><span class=\"figure-label\">Figure 2</span>"));
    for kind in ["column", "bar", "stacked", "line", "dot"] {
        assert_eq!(
            page.matches(&format!("<svg class=\"chart chart-{kind}\""))
                .count(),
            1,
            "{kind}"
        );
    }
    assert_eq!(
        page.matches("<figure class=\"figure figure-embed\">")
            .count(),
        2
    );
    assert!(page.contains("<p class=\"figure-footer\"><span class=\"figure-note\"><span class=\"figure-key\">Note:</span> 2021 exports were not reported.</span> <span class=\"figure-source\"><span class=\"figure-key\">Source:</span> Fixture Statistics Office</span></p>"), "{page}");
}

#[test]
fn cross_references_link_to_their_figure_by_number() {
    let page = figures_page();
    assert!(page.contains("(<a class=\"xref\" href=\"#fig-column\">Figure 2</a>);"));
    assert!(page.contains("<a class=\"xref\" href=\"#tbl-ports\">Table 1</a> lists"));
    assert!(page.contains("A reference to @fig-nothing stays as written."));
}

#[test]
fn a_chart_is_a_named_svg_with_its_data_as_a_table_and_a_download() {
    let out = built(Site::Fixture("features"), false);
    let page = figures_page();
    assert!(page.contains("<svg class=\"chart chart-column\" viewBox=\"0 0 640 360\" role=\"img\" aria-labelledby=\"fig-column-title fig-column-desc\""));
    assert!(page.contains("<title id=\"fig-column-title\">Trade by year</title>"));
    assert!(page.contains("<desc id=\"fig-column-desc\">Column chart of exports and imports by year, from 2019 to 2023, in US$ million."));
    assert!(page.contains("<text class=\"chart-text chart-axis-title\" x=\"4\" y=\"50\" fill=\"#555\">Trade (US$ million)</text>"));
    assert!(page.contains("<details class=\"chart-data\">\n<summary>Show data</summary>"));
    assert!(page.contains("<tr><th scope=\"row\">2023</th><td>12</td><td>1,000</td></tr>"));
    assert!(page.contains("<a href=\"data.csv\" download>Download the data (CSV)</a>"));
    // The colours come from the theme's classes, with a default for readers without CSS.
    assert!(page.contains("<rect class=\"fill-2\" x=\"568\" y=\"64\" width=\"44.8\" height=\"244\" fill=\"#c0392b\"/>"), "{page}");
    let csv = std::fs::read_to_string(out.join("briefs/figures-brief/data.csv")).unwrap();
    assert!(csv.starts_with("year,exports,imports\n"));
    let css = read_output(out, "style.css");
    assert!(css.contains(".chart .fill-2 { fill: var(--chart-2); }"));
    // A phone gets the chart laid out for its width, with text it can read (14 of 360 units).
    assert!(page.contains("<svg class=\"chart chart-column chart-narrow\" viewBox=\"0 0 360 300\" display=\"none\" role=\"img\" aria-labelledby=\"fig-column-narrow-title fig-column-narrow-desc\" font-size=\"14\">"), "{page}");
    assert!(css.contains("@media (max-width: 40rem) {\n  .chart:not(.chart-narrow) { display: none; }\n  .chart-narrow { display: block; }"));
    // A feed reader applies no stylesheet: it gets the chart once.
    let feed = read_output(out, "feed.xml");
    assert!(
        feed.contains("&lt;svg class=&quot;chart chart-column&quot;"),
        "{feed}"
    );
    assert!(!feed.contains("chart-narrow"), "{feed}");
}

#[test]
fn embeds_frame_lazily_and_youtube_only_after_a_click() {
    let page = figures_page();
    assert!(page.contains("<iframe src=\"https://datawrapper.dwcdn.net/AbCdE/1/\" title=\"An interactive map of the ports\" height=\"420\" loading=\"lazy\""));
    assert!(
        !page.contains("<iframe src=\"https://www.youtube"),
        "no frame before a click"
    );
    assert!(page.contains("<div class=\"embed-frame embed-video\" data-youtube=\"dQw4w9WgXcQ\"><a class=\"embed-play\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">"));
    assert!(
        page.contains("youtube-nocookie.com/embed/"),
        "the click script"
    );
    // The feed has no frame, only the still linked to the interactive.
    let feed = read_output(built(Site::Fixture("features"), false), "feed.xml");
    assert!(!feed.contains("iframe") && !feed.contains("data-youtube"));
    assert!(feed.contains("embed-fallback"));
}

#[test]
fn a_chart_column_that_is_not_in_the_file_fails_the_build_naming_file_and_line() {
    let site = site_with(&[
        (
            "content/briefs/charts/data.csv",
            "year,value\n2020,1\n2021,n/a\n",
        ),
        (
            "content/briefs/charts/index.md",
            &format!(
                "{FRONT}Text.\n\n```chart\ntype = \"line\"\ndata = \"data.csv\"\nx = \"year\"\ny = \"value\"\nsource = \"s\"\n```\n"
            ),
        ),
    ]);
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("content/briefs/charts/data.csv:3:6"),
        "{stderr}"
    );
    assert!(
        stderr.contains("column 2 (`value`) holds `n/a`, which is not a number"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the chart is at content/briefs/charts/index.md:9:1"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing written");

    let site = site_with(&[
        ("content/briefs/charts/data.csv", "year,value\n2020,1\n"),
        (
            "content/briefs/charts/index.md",
            &format!(
                "{FRONT}```chart\ntype = \"pie\"\ndata = \"data.csv\"\nx = \"year\"\ny = \"exports\"\n```\n"
            ),
        ),
    ]);
    let output = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("content/briefs/charts/index.md:8"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown variant `pie`"), "{stderr}");
}

#[test]
fn a_missing_column_is_named_with_the_columns_the_file_has() {
    let site = site_with(&[
        ("content/briefs/charts/trade.csv", "year,exports\n2020,1\n"),
        (
            "content/briefs/charts/index.md",
            &format!(
                "{FRONT}```chart\ntype = \"bar\"\ndata = \"trade.csv\"\nx = \"year\"\ny = [\"imports\"]\n```\n"
            ),
        ),
    ]);
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("content/briefs/charts/trade.csv:1:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the header has no column `imports`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the columns are `year`, `exports`"),
        "{stderr}"
    );
}

#[test]
fn check_warns_of_figures_without_alt_or_source_unknown_references_and_unused_images() {
    let site = site_with(&[(
        "content/briefs/figs/index.md",
        &format!("{FRONT}See @fig-missing.\n\n```figure\nimage = \"used.png\"\n```\n"),
    )]);
    let images = crate::common::fixture("images");
    let bundle = site.path().join("content/briefs/figs");
    std::fs::copy(images.join("map.png"), bundle.join("used.png")).unwrap();
    std::fs::copy(images.join("turned.jpg"), bundle.join("left-over.jpg")).unwrap();
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "warnings only: {stdout}");
    let p = "content/briefs/figs/index.md";
    for line in [
        format!("{p}:7: warning: `@fig-missing` refers to no figure or table of this document"),
        format!(
            "{p}:9: warning: Figure 1 has no alt text; add alt = \"what the image shows\" to its block"
        ),
        format!(
            "{p}:9: warning: Figure 1 without a source; add source = \"Who published the data\" to its block"
        ),
        format!(
            "{p}: warning: the image `left-over.jpg` in the brief's folder is used by nothing in the brief"
        ),
    ] {
        assert!(stdout.contains(&line), "no {line:?} in\n{stdout}");
    }
    assert!(!stdout.contains("`used.png`"), "{stdout}");
}

#[test]
fn labels_follow_the_brief_language_and_images_follow_the_sub_path() {
    let site = site_with(&[(
        "content/briefs/es.md",
        "+++\ntitle = \"Uno\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nlang = \"es\"\n+++\n\nVéase @tbl-a.\n\n```figure\nimage = \"/images/mapa.png\"\nalt = \"Mapa\"\nsource = \"ONU\"\n```\n\n```table\nid = \"tbl-a\"\nsource = \"ONU\"\n+++\n| a |\n|---|\n| 1 |\n```\n",
    )]);
    let (_temp, out) = build_site(site.path(), &["--base-url", "https://example.org/sub/"]);
    let page = read_output(&out, "briefs/es/index.html");
    assert!(
        page.contains("<a class=\"xref\" href=\"#tbl-a\">Tabla 1</a>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"figure-label\">Figura 1</span>"));
    assert!(page.contains("<span class=\"figure-key\">Fuente:</span> ONU"));
    assert!(
        page.contains("<img src=\"/sub/images/mapa.png\" alt=\"Mapa\""),
        "{page}"
    );
}

/// A bundle brief with the images of tests/fixtures/images, `body` its text.
fn site_with_images(body: &str, images: &[&str]) -> tempfile::TempDir {
    let site = site_with(&[("content/briefs/photos/index.md", &format!("{FRONT}{body}"))]);
    for name in images {
        std::fs::copy(
            crate::common::fixture("images").join(name),
            site.path().join("content/briefs/photos").join(name),
        )
        .unwrap();
    }
    site
}

#[test]
fn bundle_images_are_published_upright_in_several_widths_without_metadata() {
    let site = site_with_images(
        "![A port, upright](turned.jpg)\n\n```figure\nimage = \"map.png\"\nalt = \"A map\"\nsource = \"s\"\n```\n",
        &["turned.jpg", "map.png"],
    );
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/photos/index.html");
    // The JPEG is 40x20 with EXIF orientation 6: upright it is 20 wide and 40 high. The brief
    // has no hero, so its first image is fetched first.
    assert!(page.contains("<picture><source type=\"image/webp\" srcset=\"turned.webp 20w\" sizes=\"(min-width: 48rem) 44rem, 100vw\"><img src=\"turned.jpg\" srcset=\"turned.jpg 20w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"20\" height=\"40\" alt=\"A port, upright\" fetchpriority=\"high\" decoding=\"async\"></picture>"), "{page}");
    assert!(
        page.contains(
            "<picture><source type=\"image/webp\" srcset=\"map-480.webp 480w, map.webp 600w\""
        ),
        "{page}"
    );
    assert!(
        page.contains("width=\"600\" height=\"300\" alt=\"A map\""),
        "{page}"
    );
    let dir = out.join("briefs/photos");
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html" && !name.starts_with("photos."))
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "map-480.png",
            "map-480.webp",
            "map.png",
            "map.webp",
            "turned.jpg",
            "turned.webp"
        ]
    );
    let jpeg = std::fs::read(dir.join("turned.jpg")).unwrap();
    let windows = |needle: &[u8]| jpeg.windows(needle.len()).any(|w| w == needle);
    assert!(!windows(b"Exif") && !windows(b"GPS"), "metadata survived");
    let upright = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((upright.width(), upright.height()), (20, 40));
    // The left half of the source (blue) is the top once turned clockwise.
    let top = image::GenericImageView::get_pixel(&upright, 10, 5);
    assert!(top.0[2] > 100 && top.0[0] < 100, "{top:?}");
    let small = image::load_from_memory(&std::fs::read(dir.join("map-480.webp")).unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (480, 240));
}

#[test]
fn a_second_build_takes_every_image_from_the_cache() {
    let site = site_with_images("![A map](map.png)\n", &["map.png"]);
    let (_temp, first) = build_site(site.path(), &[]);
    let cache = site.path().join(".brief-cache/images");
    let stamps = || -> Vec<(String, std::time::SystemTime)> {
        let mut files: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = stamps();
    assert_eq!(before.len(), 4, "{before:?}");
    let (_temp2, second) = build_site(site.path(), &[]);
    assert_eq!(stamps(), before, "a cached image was made again");
    assert_eq!(
        std::fs::read(first.join("briefs/photos/map-480.webp")).unwrap(),
        std::fs::read(second.join("briefs/photos/map-480.webp")).unwrap()
    );
}

#[test]
fn a_corrupt_image_fails_the_build_naming_the_file() {
    let site = site_with_images("Text.\n", &["corrupt.jpg"]);
    let output = brief(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("error: content/briefs/photos/corrupt.jpg: could not read the image:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("save it again as JPEG, PNG or WebP"),
        "{stderr}"
    );
}

#[test]
fn a_hero_of_the_bundle_gives_a_1200x630_social_card() {
    let site = site_with(&[(
        "content/briefs/photos/index.md",
        "+++\ntitle = \"Photos\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\n\n[hero]\nimage = \"map.png\"\nalt = \"A map\"\ncredit = \"Agency\"\n+++\n\nText.\n",
    )]);
    std::fs::copy(
        crate::common::fixture("images/map.png"),
        site.path().join("content/briefs/photos/map.png"),
    )
    .unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/photos/index.html");
    assert!(
        page.contains("<meta property=\"og:image\" content=\"https://example.org/briefs/photos/map-card.jpg\">"),
        "{page}"
    );
    let card = image::open(out.join("briefs/photos/map-card.jpg")).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
}

#[test]
fn check_warns_of_an_image_over_20_mb() {
    let site = site_with_images("![A map](map.png)\n", &["map.png"]);
    // A real PNG, padded after its end with bytes that decoders ignore.
    let path = site.path().join("content/briefs/photos/map.png");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.resize(bytes.len() + 20_000_000, 0);
    std::fs::write(&path, bytes).unwrap();
    let output = brief(site.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("content/briefs/photos/map.png: warning: the image is over 20 MB"),
        "{stdout}"
    );
}

#[test]
fn a_webp_gets_its_widths_in_webp_alone_and_an_svg_is_copied_as_it_is() {
    let site = site_with_images("![A map](map.webp)\n\n![A diagram](diagram.svg)\n", &[]);
    let dir = site.path().join("content/briefs/photos");
    let pixels = image::RgbImage::from_fn(1000, 500, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    pixels.save(dir.join("map.webp")).unwrap();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><!-- kept --><rect width=\"10\" height=\"10\"/></svg>";
    std::fs::write(dir.join("diagram.svg"), svg).unwrap();
    let (_temp, out) = build_site(site.path(), &[]);
    let page = read_output(&out, "briefs/photos/index.html");
    assert!(
        page.contains("<img src=\"map.webp\" srcset=\"map-480.webp 480w, map-960.webp 960w, map.webp 1000w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1000\" height=\"500\" alt=\"A map\" fetchpriority=\"high\" decoding=\"async\">"),
        "{page}"
    );
    assert!(
        !page.contains("<picture>"),
        "a WebP needs no WebP source: {page}"
    );
    assert!(
        page.contains("<img src=\"diagram.svg\" alt=\"A diagram\""),
        "{page}"
    );
    let written = out.join("briefs/photos");
    for (file, size) in [("map-480.webp", (480, 240)), ("map.webp", (1000, 500))] {
        let image = image::open(written.join(file)).unwrap();
        assert_eq!((image.width(), image.height()), size, "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(written.join("diagram.svg")).unwrap(),
        svg
    );
}
