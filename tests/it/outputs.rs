//! The list of outputs (`brief::outputs::OUTPUTS`) is what a build publishes, and an
//! incremental rebuild writes only the part of it an edit changes.

use std::collections::BTreeMap;
use std::sync::Mutex;

use brief::outputs::{self, OutputFile, Scope, Sink};
use brief::theme::StaticFile;

use crate::common::{Site, built, files, fixture};

/// A sink that keeps the site paths it is handed (and how often), writing nothing.
#[derive(Default)]
struct Recorder(Mutex<BTreeMap<String, usize>>);

impl Recorder {
    fn record(&self, site_path: &str) {
        *self
            .0
            .lock()
            .unwrap()
            .entry(site_path.to_string())
            .or_default() += 1;
    }

    fn paths(self) -> BTreeMap<String, usize> {
        self.0.into_inner().unwrap()
    }
}

impl Sink for Recorder {
    fn write(&self, file: OutputFile, _bytes: &[u8]) -> Result<(), brief::Diagnostic> {
        self.record(file.site_path);
        Ok(())
    }

    fn copy(&self, file: &StaticFile) -> Result<(), brief::Diagnostic> {
        self.record(&file.site_path);
        Ok(())
    }
}

fn record(name: &str, scope: &Scope) -> BTreeMap<String, usize> {
    let options = brief::BuildOptions {
        root: fixture(name),
        ..brief::BuildOptions::default()
    };
    let (mut site, theme) = brief::build::load(&options).expect("the fixture loads");
    // As `brief build` does before writing: the PDFs are typeset (or taken from the cache).
    brief::pdf::typeset_site(&mut site, &theme.i18n, None, brief::pdf::Mode::Typeset)
        .expect("the PDFs typeset");
    let cx = outputs::Inputs::new(&site, &theme, false).expect("assets load");
    let recorder = Recorder::default();
    outputs::write(&cx, scope, &recorder).expect("every output renders");
    recorder.paths()
}

#[test]
fn the_list_of_outputs_is_exactly_what_a_build_publishes_each_file_once() {
    for name in ["features", "structure"] {
        let listed = record(name, &Scope::All);
        let twice: Vec<_> = listed.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{name}: written twice: {twice:?}");
        let mut published: Vec<String> = files(built(Site::Fixture(name), false))
            .into_keys()
            .filter(|path| path != brief::output::MANIFEST)
            .collect();
        published.sort();
        let listed: Vec<String> = listed.into_keys().collect();
        assert_eq!(listed, published, "{name}");
    }
}

#[test]
fn an_edit_in_place_writes_the_pages_and_feeds_showing_it_and_the_lists_of_every_brief_only() {
    let all = record("features", &Scope::All);
    let brief_page = all
        .keys()
        .find(|p| {
            p.starts_with("briefs/") && p.ends_with("/index.html") && p != &"briefs/index.html"
        })
        .expect("a brief page")
        .clone();
    let folder = brief_page.trim_end_matches("index.html").to_string();
    let shown = record("features", &Scope::Shown([brief_page.clone()].into()));
    let written: Vec<&String> = shown.keys().collect();
    // The brief's page and its citation files, not the other pages or their citation files.
    assert!(shown.contains_key(&brief_page), "{written:?}");
    assert!(
        shown
            .keys()
            .any(|p| p.starts_with(&folder) && p.ends_with(".bib")),
        "{written:?}"
    );
    // Nor the home page or the other briefs' pages (the scope names only this one).
    assert!(!shown.contains_key("index.html"), "{written:?}");
    let other_briefs = shown
        .keys()
        .filter(|p| p.starts_with("briefs/") && !p.starts_with(&folder))
        .count();
    assert_eq!(other_briefs, 0, "{written:?}");
    // The sitemap and the search index list every brief: written again.
    for path in ["sitemap.xml", "search/meta.json"] {
        assert!(shown.contains_key(path), "{path} in {written:?}");
    }
    // Feeds carry full texts, so only those the scope names (the ones listing the edit, see
    // `outputs::affected`) are written.
    assert!(
        !shown.keys().any(|p| p.ends_with("feed.xml")),
        "{written:?}"
    );
    let with_feed = record(
        "features",
        &Scope::Shown([brief_page.clone(), "feed.xml".to_string()].into()),
    );
    let feeds: Vec<&String> = with_feed
        .keys()
        .filter(|p| p.ends_with("feed.xml"))
        .collect();
    assert_eq!(feeds, ["feed.xml"]);
    // Static files and robots.txt change only with config, theme or static files.
    assert!(!shown.contains_key("robots.txt"), "{written:?}");
    assert!(!shown.keys().any(|p| p.ends_with(".css")), "{written:?}");
    // Everything written is part of the full build.
    assert!(shown.keys().all(|p| all.contains_key(p)), "{written:?}");
}

#[test]
fn a_page_may_not_take_a_listing_s_address_or_a_reserved_name() {
    let site = crate::common::copy_to_temp(&fixture("minimal"));
    let pages = site.path().join("content/pages");
    std::fs::create_dir_all(&pages).unwrap();
    for slug in ["briefs", "regions", "static"] {
        std::fs::write(
            pages.join(format!("{slug}.md")),
            "+++\ntitle = \"A page\"\n+++\nText.\n",
        )
        .unwrap();
    }
    let output = crate::common::brief(site.path())
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // One rule, derived from the routes: the same message whichever list a slug was on before.
    for line in [
        "error: content/pages/briefs.md: page slug `briefs` is the address of the site's /briefs/ listing",
        "error: content/pages/regions.md: page slug `regions` is the address of the site's /regions/ listing",
        "error: content/pages/static.md: page slug `static` is the name of the site's static/ folder",
    ] {
        assert!(stderr.contains(line), "{line}\nnot in:\n{stderr}");
    }
    assert!(!site.path().join("public").exists(), "nothing written");
}
