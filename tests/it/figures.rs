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
    let site = site_with(&[
        ("content/briefs/figs/used.png", "not really a png"),
        ("content/briefs/figs/left-over.jpg", "not really a jpeg"),
        (
            "content/briefs/figs/index.md",
            &format!("{FRONT}See @fig-missing.\n\n```figure\nimage = \"used.png\"\n```\n"),
        ),
    ]);
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
