//! Languages: `language` in config and `lang` per brief choose `<html lang>`, the theme's words
//! and the date format; translations link to each other; missing strings fall back to English
//! with one warning; images without alt text are warnings naming the file and line.

use std::path::Path;

use crate::common::{Site, brief, built, copy_to_temp, fixture, read_output};

/// Builds a copy of `site` and returns (temp site, stderr).
fn build(site: &tempfile::TempDir) -> String {
    let out = brief(site.path())
        .args(["build", "--output", "out"])
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

fn page(site: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(site.path().join("out").join(path)).unwrap()
}

fn set_language(site: &Path, language: &str) {
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace("language = \"en\"", &format!("language = \"{language}\""));
    std::fs::write(config, text).unwrap();
}

#[test]
fn a_spanish_brief_speaks_spanish_and_dates_in_spanish() {
    let out = built(Site::Fixture("features"), false);
    let html = read_output(out, "briefs/nota-breve/index.html");
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains("<p class=\"byline\">Por <a"), "{html}");
    assert!(
        html.contains("Actualizado el <time datetime=\"2024-02-20\">20 de febrero de 2024</time>"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2024-02-01\">1 de febrero de 2024</time>"));
    assert!(html.contains("min de lectura"), "{html}");
    assert!(html.contains("Saltar al contenido principal"), "{html}");
    // The menu's names are the site's, in English: marked so.
    assert!(html.contains("<ul lang=\"en\">"), "{html}");
    // Its metadata says Spanish too: Google Scholar's tag, JSON-LD and its feed entry.
    assert!(
        html.contains("<meta name=\"citation_language\" content=\"es\">"),
        "{html}"
    );
    assert!(html.contains("\"inLanguage\":\"es\""), "{html}");
    let feed = read_output(out, "feed.xml");
    assert!(feed.contains("<entry xml:lang=\"es\">"), "{feed}");
    // The English pages of the same site stay English.
    let english = read_output(out, "briefs/short-note/index.html");
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("February 1, 2024"));
    assert!(english.contains("<meta name=\"citation_language\" content=\"en\">"));
    assert!(english.contains("\"inLanguage\":\"en\""));
    assert_eq!(
        feed.matches("<entry>").count() + 1,
        feed.matches("<entry").count()
    );
}

#[test]
fn translations_link_to_each_other_with_hreflang() {
    let out = built(Site::Fixture("features"), false);
    let es = read_output(out, "briefs/nota-breve/index.html");
    let en = read_output(out, "briefs/short-note/index.html");
    let es_url = "https://user.example.io/repo/briefs/nota-breve/";
    let en_url = "https://user.example.io/repo/briefs/short-note/";
    for html in [&es, &en] {
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"es\" href=\"{es_url}\">"
        )));
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\">"
        )));
        // A reader of another language is sent to the site's own (English) version.
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{en_url}\">"
        )));
    }
    // Only the Spanish one names the English one; the link back is made for it.
    assert!(
        en.contains(
            "Read in: <a href=\"/repo/briefs/nota-breve/\" hreflang=\"es\" lang=\"es\" dir=\"auto\">Español</a>"
        ),
        "{en}"
    );
    assert!(
        es.contains(
            "Leer en: <a href=\"/repo/briefs/short-note/\" hreflang=\"en\" lang=\"en\" dir=\"auto\">English</a>"
        ),
        "{es}"
    );
    // A brief without translations has no switcher and no alternates.
    let other = read_output(out, "briefs/three-authors/index.html");
    assert!(!other.contains("hreflang") && !other.contains("Read in"));
}

#[test]
fn errors_on_a_translation_that_is_not_a_brief() {
    let site = copy_to_temp(&fixture("features"));
    let file = site.path().join("content/briefs/short-note.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "authors = [",
        "translations = { es = \"nota-brev\" }\nauthors = [",
    );
    std::fs::write(&file, text).unwrap();
    let out = brief(site.path()).arg("build").assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("content/briefs/short-note.md:4"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the es translation `nota-brev` is not a brief of this site"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `nota-breve`?"), "{stderr}");
}

#[test]
fn warns_of_a_translation_named_under_another_language() {
    // nota-breve is Spanish; naming it the French version is a slip.
    let site = copy_to_temp(&fixture("features"));
    let file = site.path().join("content/briefs/short-note.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "authors = [",
        "translations = { fr = \"nota-breve\" }\nauthors = [",
    );
    std::fs::write(&file, text).unwrap();
    let out = brief(site.path()).arg("build").assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: content/briefs/short-note.md:4:18: the fr translation `nota-breve` is in another language: its lang is `es`\n  help: name it by its language, translations = { es = \"nota-breve\" }, or set lang = \"fr\" in its front matter\n"),
        "{stderr}"
    );
}

#[test]
fn config_language_sets_the_whole_site_words_and_dates() {
    let site = copy_to_temp(&fixture("features"));
    set_language(site.path(), "de");
    let stderr = build(&site);
    assert!(!stderr.contains("i18n"), "German is complete: {stderr}");
    let html = page(&site, "briefs/short-note/index.html");
    assert!(html.contains("<html lang=\"de\">"));
    assert!(html.contains("1. Februar 2024"), "{html}");
    assert!(html.contains("Zum Hauptinhalt springen"));
    let home = page(&site, "index.html");
    assert!(
        home.contains(">Analysen</a>"),
        "the default menu is translated: {home}"
    );
    let topics = page(&site, "topics/index.html");
    assert!(
        topics.contains("<h1 class=\"page-title\">Themen</h1>"),
        "{topics}"
    );
    let search = page(&site, "search/index.html");
    assert!(
        search.contains(">Die Analysen durchsuchen</label>"),
        "{search}"
    );
    assert!(
        search.contains(r#"data-msg-many="{n} Ergebnisse{for}.""#),
        "the script's words too"
    );
}

#[test]
fn a_missing_string_falls_back_to_english_with_one_warning() {
    let site = copy_to_temp(&fixture("features"));
    let theme = site.path().join("themes/default");
    let repo_theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let copied = copy_to_temp(&repo_theme);
    std::fs::create_dir_all(theme.parent().unwrap()).unwrap();
    std::fs::rename(copied.path(), &theme).unwrap();
    let fr = theme.join("i18n/fr.toml");
    let text = std::fs::read_to_string(&fr).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("key_takeaways") && !l.starts_with("share ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&fr, text).unwrap();
    set_language(site.path(), "fr");
    let stderr = build(&site);
    let line = "warning: themes/default/i18n/fr.toml: missing key_takeaways, share; English is used for them";
    assert_eq!(stderr.matches(line).count(), 1, "{stderr}");
    let html = page(&site, "briefs/bundle-brief/index.html");
    assert!(html.contains(">Key takeaways</h2>"), "{html}");
    assert!(html.contains(">Sommaire</h2>"), "{html}");
}

#[test]
fn an_unknown_language_is_english_with_a_warning() {
    let site = copy_to_temp(&fixture("features"));
    set_language(site.path(), "xx");
    let stderr = build(&site);
    assert!(
        stderr.contains("the theme has no strings for language `xx`"),
        "{stderr}"
    );
    let html = page(&site, "briefs/short-note/index.html");
    assert!(html.contains("<html lang=\"xx\">"));
    assert!(html.contains("February 1, 2024"));
}

#[test]
fn images_without_alt_text_are_warnings_naming_file_and_line() {
    let site = copy_to_temp(&fixture("features"));
    let file = site.path().join("content/briefs/short-note.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n![](/images/ada.svg)\n")).unwrap();
    let bundle = site.path().join("content/briefs/bundle-brief/index.md");
    let text = std::fs::read_to_string(&bundle).unwrap();
    std::fs::write(
        &bundle,
        text.replace("alt = \"A diagram of the engine\"\n", ""),
    )
    .unwrap();
    let stderr = build(&site);
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(
        stderr.contains(&format!(
            "warning: content/briefs/short-note.md:{lines}: image without alt text"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: content/briefs/bundle-brief/index.md:19: the hero image has no alt text"
        ),
        "{stderr}"
    );
}

/// A brief of `words` words on the topic "Energy", written into `site`.
fn write_long_brief(site: &Path, words: usize) {
    let body = "word ".repeat(words);
    let text = format!(
        "+++\ntitle = \"Long\"\ndate = 2024-03-01\nauthors = [\"ada-lovelace\"]\ntopics = [\"Energy\"]\n+++\n\n{body}\n"
    );
    std::fs::write(site.join("content/briefs/long.md"), text).unwrap();
}

#[test]
fn spanish_and_german_group_digits_with_a_dot_and_feed_titles_and_search_dates_are_translated() {
    let site = copy_to_temp(&fixture("features"));
    set_language(site.path(), "es");
    write_long_brief(site.path(), 2345);
    build(&site);
    let html = page(&site, "briefs/long/index.html");
    assert!(html.contains(">2.345 palabras</span>"), "{html}");
    let feed = page(&site, "topics/energy/feed.xml");
    assert!(feed.contains("<title>Tema: Energy | "), "{feed}");
    // The index is split into files of a few documents each; the brief may be in any.
    let docs: String = (0..4)
        .filter_map(|n| {
            std::fs::read_to_string(site.path().join(format!("out/search/docs/{n}.json"))).ok()
        })
        .collect();
    assert!(docs.contains("\"1 de marzo de 2024\""), "{docs}");

    std::fs::write(
        site.path().join("config.toml"),
        std::fs::read_to_string(site.path().join("config.toml"))
            .unwrap()
            .replace("language = \"es\"", "language = \"de\""),
    )
    .unwrap();
    build(&site);
    let html = page(&site, "briefs/long/index.html");
    assert!(html.contains(">2.345 Wörter</span>"), "{html}");
}

#[test]
fn french_counts_zero_and_one_in_the_singular() {
    let site = copy_to_temp(&fixture("features"));
    set_language(site.path(), "fr");
    std::fs::write(
        site.path().join("content/authors/nobody-yet.md"),
        "+++\nname = \"Nobody Yet\"\n+++\n\nNo briefs yet.\n",
    )
    .unwrap();
    build(&site);
    let authors = page(&site, "authors/index.html");
    assert!(authors.contains(">0 note</span>"), "{authors}");
    assert!(!authors.contains(">0 notes</span>"), "{authors}");
}

#[test]
fn every_version_lists_all_the_others_even_through_a_third() {
    // es names fr; fr names en and de: each of the four lists the three others.
    let site = copy_to_temp(&fixture("minimal"));
    let briefs = site.path().join("content/briefs");
    let write = |slug: &str, lang: &str, translations: &str| {
        std::fs::write(
            briefs.join(format!("{slug}.md")),
            format!("+++\ntitle = \"{slug}\"\ndate = 2024-01-15\nauthors = [\"jane-doe\"]\nlang = \"{lang}\"\ntranslations = {{ {translations} }}\n+++\n\nText.\n"),
        )
        .unwrap();
    };
    write("v-es", "es", "fr = \"v-fr\"");
    write("v-fr", "fr", "en = \"v-en\", de = \"v-de\"");
    write("v-en", "en", "");
    write("v-de", "de", "");
    // Another English brief naming the same French one is no translation of v-en.
    write("w-en", "en", "fr = \"v-fr\"");
    brief(site.path()).arg("build").assert().success();
    for (slug, others) in [
        ("v-es", ["de", "en", "fr"]),
        ("v-en", ["de", "es", "fr"]),
        ("v-de", ["en", "es", "fr"]),
    ] {
        let html =
            std::fs::read_to_string(site.path().join(format!("public/briefs/{slug}/index.html")))
                .unwrap();
        for lang in others {
            assert!(
                html.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{lang}\" href=\""
                )),
                "{slug} lacks {lang}:\n{html}"
            );
        }
        assert!(!html.contains("/briefs/w-en/"), "{slug}:\n{html}");
    }
}

/// A brief in a language written right to left is marked so (the theme's layout, written in
/// logical properties, then mirrors itself), and the site's English menu and footer on it
/// left to right; pages written left to right carry no `dir`.
#[test]
fn a_right_to_left_brief_is_marked_dir_rtl() {
    let site = copy_to_temp(&fixture("minimal"));
    std::fs::write(
        site.path().join("content/briefs/arabic.md"),
        "+++\ntitle = \"ما الذي يريده بوتين وكيم\"\ndate = 2024-06-20\nauthors = [\"jane-doe\"]\nlang = \"ar\"\n+++\n\nوقع الزعيمان معاهدة.\n",
    )
    .unwrap();
    let (_temp, out) = crate::common::build_site(site.path(), &["--no-pdf"]);
    let arabic = read_output(&out, "briefs/arabic/index.html");
    assert!(
        arabic.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{arabic}"
    );
    // The site's own texts, in English, keep their direction on the Arabic page.
    assert!(arabic.contains("<ul lang=\"en\" dir=\"ltr\">"), "{arabic}");
    assert!(
        arabic.contains("<footer class=\"site-footer\" dir=\"ltr\">"),
        "{arabic}"
    );
    let english = read_output(&out, "briefs/first-brief/index.html");
    assert!(english.contains("<html lang=\"en\">"), "{english}");
}

#[test]
fn text_in_another_language_than_the_pages_is_marked_with_its_own() {
    let out = built(Site::Fixture("features"), false);
    // On the English archive, the Spanish brief's card speaks Spanish, summary included.
    let archive = read_output(out, "briefs/index.html");
    let card = &archive[archive.find("Una nota breve").expect("the Spanish card")..];
    assert!(
        card.contains(
            "<p class=\"card-summary\" lang=\"es\" dir=\"auto\">Una nota breve con un solo encabezado"
        ),
        "{card}"
    );
    // On the Spanish page, the author's bio is the site's English.
    let spanish = read_output(out, "briefs/nota-breve/index.html");
    assert!(
        spanish.contains("<div class=\"author-bio\" lang=\"en\">"),
        "{spanish}"
    );
    let english = read_output(out, "briefs/short-note/index.html");
    assert!(english.contains("<div class=\"author-bio\">"), "{english}");
    // Search results come from the index: the Spanish brief's row names its language.
    let docs: String = (0..4)
        .filter_map(|n| std::fs::read_to_string(out.join(format!("search/docs/{n}.json"))).ok())
        .collect();
    let row = docs
        .split("],[")
        .find(|row| row.contains("/nota-breve/"))
        .expect("the Spanish brief's row");
    assert!(
        row.ends_with(",\"es\"") || row.contains(",\"es\"]"),
        "{row}"
    );
    let row = docs
        .split("],[")
        .find(|row| row.contains("/short-note/"))
        .expect("the English brief's row");
    assert!(row.ends_with(",null") || row.contains(",null]"), "{row}");
}
