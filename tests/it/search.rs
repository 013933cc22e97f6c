//! Search without a server: the index a build writes (`search/meta.json` and its shards), read
//! here the way the page's script reads it, and the search page. The script in a real browser
//! is tested in tests/browser_tests/search.rs.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Site, brief, built, copy_to_temp, fixture, read_output};

/// The search fixture's output (`--drafts` when asked), built once for all the tests that
/// only read it.
fn search_site(drafts: bool) -> &'static Path {
    built(Site::Fixture("search"), drafts)
}

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join("public").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The index a build wrote, searched the way `search.js` searches it: the metadata first, then
/// only the files a query needs, each counted in `fetched` (path -> bytes).
struct Index {
    dir: PathBuf,
    meta: Value,
    fetched: RefCell<BTreeMap<String, usize>>,
}

/// Reads the varint at `*at` (the index's binary files are LEB128 varints).
fn varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut n, mut shift) = (0u32, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// A count, then the gaps between ascending document numbers.
fn doc_list(bytes: &[u8], at: &mut usize) -> Vec<u32> {
    let count = varint(bytes, at);
    let mut doc = 0;
    (0..count)
        .map(|i| {
            let gap = varint(bytes, at);
            doc = if i == 0 { gap } else { doc + gap };
            doc
        })
        .collect()
}

/// A stem's documents in a postings chunk: the count, then 0 and the gaps, or 1 and a bitmap.
fn postings(bytes: &[u8], at: &mut usize) -> Vec<u32> {
    let count = varint(bytes, at);
    let mode = bytes[*at];
    *at += 1;
    if mode == 0 {
        let mut doc = 0;
        return (0..count)
            .map(|i| {
                let gap = varint(bytes, at);
                doc = if i == 0 { gap } else { doc + gap };
                doc
            })
            .collect();
    }
    let size = varint(bytes, at) as usize;
    let bitmap = &bytes[*at..*at + size];
    *at += size;
    let docs: Vec<u32> = (0..size as u32 * 8)
        .filter(|d| bitmap[*d as usize / 8] & (1 << (d % 8)) != 0)
        .collect();
    assert_eq!(docs.len(), count as usize);
    docs
}

impl Index {
    fn open(public: &Path) -> Index {
        let dir = public.join("search");
        let text = std::fs::read_to_string(dir.join("meta.json")).expect("search/meta.json");
        let index = Index {
            dir,
            meta: serde_json::from_str(&text).unwrap(),
            fetched: Default::default(),
        };
        index
            .fetched
            .borrow_mut()
            .insert("meta.json".into(), text.len());
        index
    }

    fn get(&self, path: &str) -> Vec<u8> {
        let bytes = std::fs::read(self.dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        self.fetched
            .borrow_mut()
            .insert(path.to_string(), bytes.len());
        bytes
    }

    fn json(&self, path: &str) -> Value {
        serde_json::from_slice(&self.get(path)).unwrap()
    }

    fn downloaded(&self) -> usize {
        self.fetched.borrow().values().sum()
    }

    /// The word shard files that may hold `word` and, for a prefix, the words it starts.
    fn shards_for(&self, word: &str, prefix: bool) -> Vec<usize> {
        let keys: Vec<&str> = self.meta["words"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        let chars: Vec<char> = word.chars().collect();
        let mut shards: Vec<usize> = (0..=chars.len())
            .rev()
            .map(|len| chars[..len].iter().collect::<String>())
            .find_map(|key| keys.iter().position(|k| *k == key))
            .into_iter()
            .collect();
        if prefix {
            let deeper = (0..keys.len())
                .filter(|n| keys[*n].len() > word.len() && keys[*n].starts_with(word));
            shards.extend(deeper.take(4));
        }
        shards
    }

    /// Document -> score of one query word: the best of its stems, or, for a word no brief
    /// uses, of the stems of the words it starts, counting 0.7.
    fn scores(&self, word: &str) -> HashMap<u32, f64> {
        let prefix = word.chars().count() >= 3;
        let shards: Vec<Value> = self
            .shards_for(word, prefix)
            .into_iter()
            .map(|shard| self.json(&format!("words/{shard}.json")))
            .collect();
        let exact = shards.iter().any(|s| s.get(word).is_some());
        let mut places: BTreeMap<(u64, u64), f64> = BTreeMap::new();
        for words in &shards {
            for (w, triples) in words.as_object().unwrap() {
                let factor = if w == word {
                    1.0
                } else if prefix && !exact && w.starts_with(word) {
                    0.7
                } else {
                    continue;
                };
                for t in triples.as_array().unwrap().chunks(3) {
                    let place = (t[0].as_u64().unwrap(), t[1].as_u64().unwrap());
                    let best = places.entry(place).or_insert(0.0);
                    *best = best.max(factor);
                }
            }
        }
        let briefs = self.meta["briefs"].as_f64().unwrap();
        let mut out = HashMap::new();
        for ((chunk, position), factor) in places {
            let bytes = self.get(&format!("postings/{chunk}.bin"));
            let mut at = 0;
            let stems = varint(&bytes, &mut at);
            let lengths: Vec<u32> = (0..stems).map(|_| varint(&bytes, &mut at)).collect();
            let start = at + lengths[..position as usize].iter().sum::<u32>() as usize;
            let mut at = start;
            let docs = postings(&bytes, &mut at);
            let weights = &bytes[at..at + docs.len()];
            assert_eq!(at + docs.len(), start + lengths[position as usize] as usize);
            let df = docs.len() as f64;
            let idf = (1.0 + (briefs - df + 0.5) / (df + 0.5)).ln();
            for (doc, weight) in docs.iter().zip(weights) {
                let score = idf * factor * f64::from(*weight) / 255.0;
                let best = out.entry(*doc).or_insert(0.0f64);
                *best = best.max(score);
            }
        }
        out
    }

    /// Document numbers matching every word of `query`, best first (newest first among equals).
    fn search(&self, query: &str) -> Vec<u32> {
        let words: Vec<String> = brief::search::words::words(query)
            .map(|(_, folded)| folded.into_owned())
            .collect();
        let per_word: Vec<_> = words.iter().map(|w| self.scores(w)).collect();
        let Some(first) = per_word.first() else {
            return Vec::new();
        };
        let mut hits: Vec<(u32, f64)> = first
            .keys()
            .filter_map(|doc| {
                let scores: Option<Vec<f64>> =
                    per_word.iter().map(|s| s.get(doc).copied()).collect();
                Some((*doc, scores?.iter().sum()))
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        hits.into_iter().map(|(doc, _)| doc).collect()
    }

    /// A document's row, as an object keyed by the metadata's field names.
    fn row(&self, doc: u32) -> serde_json::Map<String, Value> {
        let per = self.meta["docs_per_shard"].as_u64().unwrap() as u32;
        let shard = self.json(&format!("docs/{}.json", doc / per));
        let row = shard[(doc % per) as usize].as_array().unwrap().clone();
        let fields = self.meta["doc_fields"].as_array().unwrap();
        assert_eq!(row.len(), fields.len(), "one value per field");
        fields
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .zip(row)
            .collect()
    }

    /// Titles of the briefs matching `query`, best first.
    fn titles(&self, query: &str) -> Vec<String> {
        self.search(query)
            .into_iter()
            .map(|doc| self.row(doc)["title"].as_str().unwrap().to_string())
            .collect()
    }

    /// The briefs of one filter choice (`kind`, with its value as in the address).
    fn filter(&self, kind: &str, value: &str) -> Vec<u32> {
        let choices = self.meta["filters"][kind].as_array().unwrap();
        let n = choices
            .iter()
            .position(|c| c[0] == value)
            .unwrap_or_else(|| panic!("no {kind} {value}"));
        doc_list(&self.get(&format!("filters/{kind}-{n}.bin")), &mut 0)
    }
}

/// Adds a brief by Ana García to a site: front matter lines, then the body.
fn add_brief(site: &Path, slug: &str, front: &str, body: &str) {
    std::fs::write(
        site.join(format!("content/briefs/{slug}.md")),
        format!("+++\n{front}\nauthors = [\"ana-garcia\"]\n+++\n\n{body}\n"),
    )
    .unwrap();
}

#[test]
fn index_holds_each_brief_with_its_metadata_and_filters_by_slug() {
    let out = search_site(false);
    let index = Index::open(out);
    assert_eq!(index.meta["version"], 2);
    assert_eq!(index.meta["briefs"], 5);
    // Document numbers count the briefs oldest first.
    let titles: Vec<String> = (0..5)
        .map(|doc| index.row(doc)["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "Cyber <script>alert(1)</script> Norms & Rules",
            "Water Security in the Sahel",
            "European Sanctions Policy After 2022",
            "Défense économique de l’Europe",
            "Sanctions on Iran: What Comes Next",
        ]
    );
    let iran = index.row(4);
    assert_eq!(iran["authors"], serde_json::json!(["Ana García"]));
    assert_eq!(iran["program"], "Economics Program");
    assert_eq!(iran["date"], "2024-05-10");
    assert_eq!(iran["path"], "/research/briefs/iran-sanctions/");
    assert_eq!(
        iran["summary"],
        "Where the sanctions regime goes after the latest round."
    );
    // Filters: the value in the address (slug, author id, year), the name shown, the count.
    assert_eq!(
        index.meta["filters"]["topic"],
        serde_json::json!([
            ["climate", "Climate", 1],
            ["defense", "Defense", 1],
            ["energy", "Energy", 1],
            ["sanctions", "Sanctions", 2],
            ["technology", "Technology", 1]
        ])
    );
    assert_eq!(
        index.meta["filters"]["author"][0],
        serde_json::json!(["ana-garcia", "Ana García", 3])
    );
    assert_eq!(
        index.meta["filters"]["year"][0],
        serde_json::json!(["2024", "2024", 1])
    );
    assert_eq!(index.filter("topic", "sanctions"), [2, 4]);
    assert_eq!(index.filter("region", "europe"), [2, 3]);
    assert_eq!(index.filter("year", "2022"), [0, 1]);
    // The single file of the old index is gone.
    assert!(!out.join("search/index.json").exists());
}

#[test]
fn drafts_are_never_in_the_index_even_in_a_preview_build() {
    let out = search_site(true);
    assert!(
        out.join("briefs/secret-draft/index.html").is_file(),
        "the preview build has the draft's page"
    );
    let index = Index::open(out);
    assert_eq!(index.meta["briefs"], 5);
    for (path, bytes) in crate::common::files(&out.join("search")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Secret Sanctions Draft"), "{path}");
        assert!(
            !text.contains("unpublished"),
            "{path}: a word only the draft uses"
        );
    }
    assert!(index.titles("unpublished").is_empty());
}

#[test]
fn every_word_of_a_long_text_is_found() {
    let site = copy_to_temp(&fixture("search"));
    let body: String = (0..3000).map(|i| format!("word{i} ")).collect();
    add_brief(
        site.path(),
        "long",
        "title = \"Long\"\ndate = 2020-01-01",
        &body,
    );
    brief(site.path()).arg("build").assert().success();
    let index = Index::open(&site.path().join("public"));
    assert_eq!(
        index.titles("word2999"),
        ["Long"],
        "the last of 3,000 words"
    );
    assert_eq!(index.titles("word0"), ["Long"]);
}

/// A topic's filter value is its page's slug: "C++", "C#" and "C" are three topics, as their
/// pages are, not one "c" holding all three.
#[test]
fn topic_filters_use_the_topic_pages_slugs() {
    let site = copy_to_temp(&fixture("search"));
    for (slug, topic) in [("plus", "C++"), ("sharp", "C#"), ("plain", "C")] {
        add_brief(
            site.path(),
            slug,
            &format!("title = \"About {topic}\"\ndate = 2020-01-01\ntopics = [\"{topic}\"]"),
            "Text.",
        );
    }
    brief(site.path()).arg("build").assert().success();
    let out = site.path().join("public");
    for page in ["c", "c-plus-plus", "c-sharp"] {
        assert!(
            out.join(format!("topics/{page}/index.html")).is_file(),
            "{page}"
        );
    }
    let index = Index::open(&out);
    let choices: Vec<&Value> = index.meta["filters"]["topic"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c[0].as_str().unwrap().starts_with('c') && c[1].as_str().unwrap().starts_with('C')
        })
        .filter(|c| c[1].as_str().unwrap().len() <= 3)
        .collect();
    assert_eq!(
        choices,
        [
            &serde_json::json!(["c", "C", 1]),
            &serde_json::json!(["c-sharp", "C#", 1]),
            &serde_json::json!(["c-plus-plus", "C++", 1])
        ]
    );
}

#[test]
fn snapback_in_a_key_takeaway_of_the_example_brief_is_found() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_temp, out) = crate::common::build_site(root, &[]);
    let index = Index::open(&out);
    assert_eq!(
        index.titles("snapback"),
        ["What Putin and Kim Want From Each Other"]
    );
    // Authors' names are searched too.
    assert!(
        index
            .titles("panda")
            .contains(&"What Putin and Kim Want From Each Other".to_string())
    );
}

#[test]
fn a_word_finds_the_other_forms_of_its_stem_in_each_language() {
    let site = copy_to_temp(&fixture("search"));
    add_brief(
        site.path(),
        "banks",
        "title = \"Banks Under Pressure\"\ndate = 2021-01-01",
        "Two banks were sanctioned last year.",
    );
    add_brief(
        site.path(),
        "sanciones",
        "title = \"Las sanciones y el petróleo\"\ndate = 2021-02-01\nlang = \"es\"",
        "Un análisis del mercado.",
    );
    add_brief(
        site.path(),
        "sancion",
        "title = \"Una sanción más\"\ndate = 2021-03-01\nlang = \"es\"",
        "Otra medida.",
    );
    add_brief(
        site.path(),
        "politiques",
        "title = \"Politiques économiques\"\ndate = 2021-04-01\nlang = \"fr\"",
        "Un texte.",
    );
    add_brief(
        site.path(),
        "relance",
        "title = \"La relance\"\ndate = 2021-05-01\nlang = \"fr\"",
        "Une politique économique commune.",
    );
    brief(site.path()).arg("build").assert().success();
    let index = Index::open(&site.path().join("public"));
    let sorted = |query: &str| {
        let mut titles = index.titles(query);
        titles.sort();
        titles
    };
    // "sanctioned" is a form of "sanctions": English stemming.
    assert_eq!(
        sorted("sanctioned"),
        [
            "Banks Under Pressure",
            "European Sanctions Policy After 2022",
            "Sanctions on Iran: What Comes Next",
            "Water Security in the Sahel",
        ]
    );
    // "sanction", a word no brief uses, matches the words it starts.
    assert_eq!(sorted("sanction"), sorted("sanctioned"));
    // Spanish: "sanción" and "sanciones" are one stem; accents may be left out.
    assert_eq!(
        sorted("sanciones"),
        ["Las sanciones y el petróleo", "Una sanción más"]
    );
    assert_eq!(sorted("sancion"), sorted("sanciones"));
    // French: "économiques" and "économique" (and the English brief that uses the word,
    // where it is stemmed as English).
    assert_eq!(
        sorted("économique"),
        [
            "Défense économique de l’Europe",
            "La relance",
            "Politiques économiques"
        ]
    );
    assert_eq!(
        sorted("economiques"),
        ["La relance", "Politiques économiques"]
    );
}

#[test]
fn results_are_ranked_title_words_first_and_every_word_must_match() {
    let out = search_site(false);
    let index = Index::open(out);
    // Title, summary and topic; title and topic; only the text.
    assert_eq!(
        index.titles("sanctions"),
        [
            "Sanctions on Iran: What Comes Next",
            "European Sanctions Policy After 2022",
            "Water Security in the Sahel",
        ]
    );
    assert_eq!(
        index.titles("sanctions brussels"),
        ["European Sanctions Policy After 2022"]
    );
    assert!(index.titles("sanctions nowhere").is_empty());
    // An author's name finds their briefs.
    let mut dupont = index.titles("dupont");
    dupont.sort();
    assert_eq!(
        dupont,
        [
            "Défense économique de l’Europe",
            "European Sanctions Policy After 2022"
        ]
    );
}

/// The search fixture with `n` generated briefs of 600 words drawn from 3,000 (a few frequent,
/// most rare, as in prose): "w0x", "w1x"...
fn generated_site(n: usize) -> tempfile::TempDir {
    let site = copy_to_temp(&fixture("search"));
    let vocabulary: Vec<String> = (0..3000).map(|i| format!("w{i}x")).collect();
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for n in 0..n {
        let body: Vec<&str> = (0..600)
            .map(|_| {
                // The square of a uniform draw favours the first words.
                let r = next() % 3000;
                vocabulary[r * r / 3000].as_str()
            })
            .collect();
        add_brief(
            site.path(),
            &format!("gen-{n}"),
            &format!(
                "title = \"Generated {n}\"\ndate = 2019-01-01\ntopics = [\"Topic {}\"]",
                n % 7
            ),
            &body.join(" "),
        );
    }
    site
}

#[test]
fn a_query_downloads_a_small_part_of_the_index() {
    // 400 generated briefs. A query downloads a few shards of fixed size (about 8 KB of words
    // and 16 KB of postings a word, the document shards of 20 results): under 150 KB, and a
    // small part of the index.
    let site = generated_site(400);
    brief(site.path()).arg("build").assert().success();
    let public = site.path().join("public");
    let all = crate::common::files(&public.join("search"));
    let total: usize = all.values().map(Vec::len).sum();
    for (path, bytes) in &all {
        // A word shard may pass 8 KB by its last entry; a postings chunk holding one stem may
        // pass 16 KB (not here: 405 briefs).
        let limit = if path.starts_with("words/") {
            8 * 1024 + 200
        } else if path.starts_with("docs/") {
            3 * 1024
        } else {
            16 * 1024 + 200
        };
        assert!(bytes.len() <= limit, "{path}: {} bytes", bytes.len());
    }
    let chunks = all.keys().filter(|p| p.starts_with("postings/")).count();
    assert!(chunks > 10, "postings are split: {chunks} chunks");
    for query in ["w0x", "w1x w2x", "w2990x", "w10x w500x generated"] {
        let index = Index::open(&public);
        let hits = index.search(query);
        assert!(!hits.is_empty(), "{query}");
        for doc in hits.iter().take(20) {
            index.row(*doc);
        }
        let bytes = index.downloaded();
        assert!(
            bytes < 150 * 1024 && bytes * 4 < total,
            "{query}: {bytes} of {total} bytes"
        );
    }
}

#[test]
fn search_page_is_a_get_form_that_works_under_a_sub_path() {
    let out = search_site(false);
    let html = read_output(out, "search/index.html");
    for needle in [
        r#"<form class="search-form" role="search" action="/research/search/" method="get">"#,
        r#"<label class="search-label" for="search-q">"#,
        r#"id="search-q" name="q" type="search""#,
        r#"data-index="/research/search/meta.json""#,
        r#"<script src="/research/search.js" defer></script>"#,
        r#"<label>Topic <select id="search-topic" name="topic">"#,
        r#"role="status" aria-live="polite""#,
        "Search needs JavaScript",
        r#"<a href="/research/briefs/">all briefs</a>"#,
        r#"<a href="/research/topics/">by topic</a>"#,
    ] {
        assert!(html.contains(needle), "search page lacks {needle}");
    }
    assert!(out.join("search.js").is_file());
    // The default menu links to it on every page.
    let home = read_output(out, "index.html");
    assert!(
        home.contains(r#"<li><a href="/research/search/">Search</a></li>"#),
        "menu"
    );
}

#[test]
fn a_page_may_not_take_the_search_address() {
    let site = copy_to_temp(&fixture("search"));
    std::fs::create_dir_all(site.path().join("content/pages")).unwrap();
    std::fs::write(
        site.path().join("content/pages/search.md"),
        "+++\ntitle = \"Search\"\n+++\n\nMine.\n",
    )
    .unwrap();
    let output = brief(site.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("page slug `search` is the address of the site's /search/ listing"),
        "{stderr}"
    );
}

#[test]
fn a_theme_written_before_search_gets_the_built_in_search_page_and_script() {
    let site = copy_to_temp(&fixture("search"));
    let theme = site.path().join("themes/old");
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&default)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = theme.join(entry.path().strip_prefix(&default).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    std::fs::remove_file(theme.join("templates/search.html")).unwrap();
    std::fs::remove_file(theme.join("static/search.js")).unwrap();
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"old\"\n{text}")).unwrap();
    brief(site.path()).arg("build").assert().success();
    assert!(read(site.path(), "search/index.html").contains("id=\"search-q\""));
    assert_eq!(
        read(site.path(), "search.js"),
        std::fs::read_to_string(default.join("static/search.js")).unwrap()
    );
}

#[test]
fn the_index_is_the_same_whether_its_postings_are_made_in_one_pass_or_many() {
    // A large site's postings are made a group of chunks at a time (one pass over the briefs'
    // words each), so that they are never all in memory; the files must not depend on it.
    let site = generated_site(120);
    let options = brief::BuildOptions {
        root: site.path().to_path_buf(),
        no_pdf: true,
        ..brief::BuildOptions::default()
    };
    let (loaded, theme) = brief::build::load(&options).unwrap();
    let made = |postings_group| {
        let limits = brief::search::Limits {
            postings_group,
            ..brief::search::LIMITS
        };
        let mut files = BTreeMap::new();
        brief::search::write_with(&loaded, &theme.i18n, limits, &mut |path, bytes| {
            let earlier = files.insert(path.to_string(), bytes.to_vec());
            assert!(earlier.is_none(), "{path} written twice");
        });
        files
    };
    let one_pass = made(usize::MAX);
    let chunks = one_pass.keys().filter(|p| p.contains("/postings/")).count();
    assert!(chunks > 3, "{chunks} postings chunks");
    assert_eq!(made(1), one_pass, "a pass per chunk");
    assert_eq!(made(40 * 1024), one_pass, "a few chunks a pass");
    // And they are what a build publishes.
    brief(site.path()).arg("build").assert().success();
    let mut published = crate::common::files(&site.path().join("public/search"));
    published.remove("index.html").expect("the search page");
    let made: BTreeMap<String, Vec<u8>> = one_pass
        .into_iter()
        .map(|(path, bytes)| (path["search/".len()..].to_string(), bytes))
        .collect();
    assert_eq!(published, made);
}
