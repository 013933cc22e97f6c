//! Writing the index: from the published briefs' packed terms to the files under `search/`
//! (their layout is described in the module above).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::terms::{self, Vocabulary, Weight};
use super::varint;
use crate::content::Brief;
use crate::site::Site;
use crate::taxonomy::TermKind;

/// How big the index's pieces may grow. A query downloads about one word shard and one postings
/// chunk per word, and the document shards of the results it shows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of a word shard before it is split by the next letter.
    pub word_shard: usize,
    /// Bytes of a postings chunk before the next stem starts a new one (a stem bigger than
    /// this has a chunk of its own).
    pub postings_chunk: usize,
    /// Briefs in one document shard.
    pub docs_per_shard: usize,
    /// Bytes of postings made in one pass over the briefs' terms. A site whose briefs' packed
    /// terms take more is counted first, then its postings are made a group of chunks of about
    /// this size at a time (a pass over the terms each), so that they are never all in memory.
    pub postings_group: usize,
}

/// The limits a build uses: at 10,000 briefs a query for three common words downloads about
/// 150 KB (see the README's search section for measurements).
pub const LIMITS: Limits = Limits {
    word_shard: 8 * 1024,
    postings_chunk: 16 * 1024,
    docs_per_shard: 5,
    postings_group: 32 << 20,
};

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The values of each brief in a document shard, in this order.
pub const DOC_FIELDS: [&str; 9] = [
    "title",
    "path",
    "date",
    "date_display",
    "authors",
    "program",
    "summary",
    "thumb",
    "lang",
];

/// Writes the files of the index with the build's limits, handing each to `emit` (site path,
/// bytes) as soon as it is made; dates are written in each brief's language with the theme's
/// strings (`i18n`).
pub fn write(site: &Site, i18n: &crate::i18n::Catalog, emit: &mut dyn FnMut(&str, &[u8])) {
    write_with(site, i18n, LIMITS, emit);
}

/// Writes the files of the index, handing each to `emit` as soon as it is made, so that a
/// build holds one file at a time and, on a large site, the postings of one group of chunks
/// (see [`Limits::postings_group`]), never the whole index: at 100,000 briefs the index is
/// about 100 MB and its postings in memory were more (a build peaked 290 MiB higher). Drafts
/// are never included, even in a preview build, so that a preview's index can be published by
/// mistake without harm.
pub fn write_with(
    site: &Site,
    i18n: &crate::i18n::Catalog,
    limits: Limits,
    emit: &mut dyn FnMut(&str, &[u8]),
) {
    // Oldest first, so that a new brief adds to the end and leaves most files as they were.
    let docs: Vec<&Brief> = site
        .briefs
        .iter()
        .rev()
        .filter(|b| !b.front.draft)
        .collect();
    let mut vocabulary = site.lexicon.lock();
    let mut scorer = Scorer::new(site, &docs);
    // A site whose briefs' terms fit in one group (10,000 briefs do) has its postings made in
    // one pass, as they come; a larger one is counted first, then made a group at a time.
    let terms: usize = docs.iter().map(|b| b.search.packed_len()).sum();
    let (counted, all) = if terms <= limits.postings_group {
        let (lists, used_words) = all_postings(&mut scorer, &mut vocabulary);
        let sizes = lists.iter().map(|l| l.size).collect();
        (Counted { sizes, used_words }, Some(lists))
    } else {
        (count(&mut scorer, &mut vocabulary), None)
    };
    let plan = plan_chunks(&vocabulary, &counted.sizes, limits.postings_chunk);
    match all {
        Some(mut lists) => write_chunks(&mut lists, 0, &plan.chunks, emit),
        None => {
            for (first, chunks) in groups(&plan, &counted.sizes, limits.postings_group) {
                let mut lists = postings_of(&mut scorer, &mut vocabulary, &counted.sizes, chunks);
                write_chunks(&mut lists, first, chunks, emit);
            }
        }
    }
    let keys = word_shards(
        &vocabulary,
        &counted.used_words,
        &plan.places,
        limits.word_shard,
        emit,
    );
    drop(vocabulary);
    let mut row = Vec::new();
    for (n, shard) in docs.chunks(limits.docs_per_shard.max(1)).enumerate() {
        let rows: Vec<Value> = shard.iter().map(|b| doc_row(site, b, i18n)).collect();
        row.clear();
        serde_json::to_writer(&mut row, &Value::Array(rows)).expect("the index serialises");
        emit(&format!("search/docs/{n}.json"), &row);
    }
    let filters = filters(site, &docs, emit);
    let meta = json!({
        "version": super::FORMAT_VERSION,
        "briefs": docs.len(),
        "docs_per_shard": limits.docs_per_shard.max(1),
        "doc_fields": DOC_FIELDS,
        "words": keys,
        "filters": filters,
    });
    emit(super::INDEX_PATH, &json_bytes(&meta));
}

fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("the index serialises")
}

/// The size of one stem's postings, known before they are made: how many briefs use it, the
/// bytes of their varint gaps, and the last one.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    count: u32,
    gaps: u32,
    last: u32,
}

impl Size {
    fn add(&mut self, doc: u32) {
        let gap = if self.count == 0 {
            doc
        } else {
            doc - self.last
        };
        self.gaps += varint::len(gap) as u32;
        self.last = doc;
        self.count += 1;
    }

    /// Bytes of the stem's encoded postings ([`PostingList::encode`]).
    fn encoded(&self) -> usize {
        let count = varint::len(self.count) + 1 + self.count as usize;
        match bitmap_bytes(self) {
            Some(bitmap) => count + varint::len(bitmap as u32) + bitmap,
            None => count + self.gaps as usize,
        }
    }

    /// Bytes the postings take while they are made (gaps and weights).
    fn in_memory(&self) -> usize {
        self.gaps as usize + self.count as usize
    }
}

/// The bytes of a stem's bitmap when it is written as one: for a stem in more than about one
/// brief in eight, where a bitmap is smaller than the gaps.
fn bitmap_bytes(size: &Size) -> Option<usize> {
    let bitmap = size.last as usize / 8 + 1;
    (bitmap + 2 < size.gaps as usize).then_some(bitmap)
}

/// What the counting pass found: each stem's [`Size`] (by stem number; zero for stems no
/// published brief uses) and which words the published briefs use (by word number).
struct Counted {
    sizes: Vec<Size>,
    used_words: Vec<bool>,
}

/// One stem's briefs (ascending) with the weight of the stem in each, quantised to a byte.
#[derive(Default)]
struct PostingList {
    size: Size,
    docs: Vec<u8>,
    weights: Vec<u8>,
}

impl PostingList {
    /// An empty list with room for exactly the postings of `size`.
    fn with_room(size: &Size) -> PostingList {
        PostingList {
            size: Size::default(),
            docs: Vec::with_capacity(size.gaps as usize),
            weights: Vec::with_capacity(size.count as usize),
        }
    }

    fn push(&mut self, doc: u32, weight: u8) {
        let size = &mut self.size;
        varint::write(
            &mut self.docs,
            if size.count == 0 {
                doc
            } else {
                doc - size.last
            },
        );
        self.weights.push(weight);
        size.add(doc);
    }

    /// The count, how the documents are written (0: varint gaps; 1: a bitmap, for a stem in
    /// more than about one brief in eight, where it is smaller), the documents, then one weight
    /// byte per document.
    fn encode(&self, out: &mut Vec<u8>) {
        let size = &self.size;
        varint::write(out, size.count);
        if let Some(bitmap_bytes) = bitmap_bytes(size) {
            out.push(1);
            varint::write(out, bitmap_bytes as u32);
            let start = out.len();
            out.resize(start + bitmap_bytes, 0);
            let bitmap = &mut out[start..];
            let (mut at, mut doc) = (0, 0);
            for i in 0..size.count {
                let gap = varint::read(&self.docs, &mut at);
                doc = if i == 0 { gap } else { doc + gap };
                bitmap[doc as usize / 8] |= 1 << (doc % 8);
            }
        } else {
            out.push(0);
            out.extend_from_slice(&self.docs);
        }
        out.extend_from_slice(&self.weights);
    }
}

/// A brief's language for stemming: its `lang`, else the site's.
fn language_of<'a>(site: &'a Site, brief: &'a Brief) -> &'a str {
    brief.language(&site.config.language)
}

fn author_names<'a>(site: &'a Site, brief: &'a Brief) -> impl Iterator<Item = &'a str> {
    brief
        .front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id))
        .map(|a| a.front.name.as_str())
}

/// Goes through the published briefs' stems and their weights: for each brief, the BM25F
/// term-frequency part of each of its stems, scaled to 1-255: the weight in the short fields
/// (see [`terms`]) plus the count in the text normalised by the text's length, saturated. The
/// inverse document frequency is left to the browser, which knows each stem's count.
///
/// The index goes through them once to size every stem's postings, then once per group of
/// postings chunks to make those; the scratch space is kept between the passes.
struct Scorer<'a> {
    site: &'a Site,
    docs: &'a [&'a Brief],
    /// The briefs' average text length, in words.
    average: f64,
    /// By stem: its weight in the brief at hand.
    weights: Vec<Weight>,
    /// By stem: 1 + the last brief that used it, so that a stem is listed once per brief.
    seen: Vec<u32>,
    /// The stems of the brief at hand.
    stems: Vec<u32>,
    /// The words of the brief at hand, with their weights.
    words: Vec<(u32, Weight)>,
}

impl<'a> Scorer<'a> {
    fn new(site: &'a Site, docs: &'a [&'a Brief]) -> Scorer<'a> {
        let total: f64 = docs.iter().map(|b| f64::from(b.search.length)).sum();
        Scorer {
            site,
            docs,
            average: (total / docs.len().max(1) as f64).max(1.0),
            weights: Vec::new(),
            seen: Vec::new(),
            stems: Vec::new(),
            words: Vec::new(),
        }
    }

    /// Calls `each(doc, stem, weight byte)` for every stem of every brief, briefs in document
    /// order (a brief's stems in no particular order), marking the words used in `used` if
    /// given. Author names are numbered here, so the vocabulary can grow.
    fn each(
        &mut self,
        vocabulary: &mut Vocabulary,
        mut used: Option<&mut Vec<bool>>,
        mut each: impl FnMut(u32, u32, u8),
    ) {
        let site = self.site;
        // Marks left by the last pass would hide its briefs' stems from this one's.
        self.seen.fill(0);
        for (doc, brief) in self.docs.iter().enumerate() {
            let doc = doc as u32;
            self.words.clear();
            self.words.extend(brief.search.iter());
            let language = vocabulary.language(language_of(site, brief));
            for name in author_names(site, brief) {
                vocabulary.add(language, name, terms::META, &mut self.words);
            }
            if self.weights.len() < vocabulary.stems.len() {
                self.weights
                    .resize(vocabulary.stems.len(), Weight::default());
                self.seen.resize(vocabulary.stems.len(), 0);
            }
            self.stems.clear();
            for &(word, weight) in &self.words {
                if let Some(used) = used.as_deref_mut() {
                    if used.len() <= word as usize {
                        used.resize(vocabulary.words.len().max(word as usize + 1), false);
                    }
                    used[word as usize] = true;
                }
                let stem = vocabulary.words[word as usize].stem as usize;
                if self.seen[stem] != doc + 1 {
                    self.seen[stem] = doc + 1;
                    self.weights[stem] = Weight::default();
                    self.stems.push(stem as u32);
                }
                self.weights[stem].add(weight);
            }
            let text_norm = 1.0 - B + B * f64::from(brief.search.length) / self.average;
            for &stem in &self.stems {
                let weight = self.weights[stem as usize];
                let tf = f64::from(weight.fields) + f64::from(weight.text) / text_norm;
                let saturated = tf / (tf + K1); // BM25's tf·(k1+1)/(tf+k1), over (k1+1)
                let byte = (saturated * 255.0).ceil().clamp(1.0, 255.0) as u8;
                each(doc, stem, byte);
            }
        }
    }
}

/// The counting pass: the size of every stem's postings, and the words used.
fn count(scorer: &mut Scorer, vocabulary: &mut Vocabulary) -> Counted {
    let mut sizes: Vec<Size> = Vec::new();
    let mut used_words = Vec::new();
    scorer.each(vocabulary, Some(&mut used_words), |doc, stem, _| {
        if sizes.len() <= stem as usize {
            sizes.resize(stem as usize + 1, Size::default());
        }
        sizes[stem as usize].add(doc);
    });
    sizes.resize(vocabulary.stems.len(), Size::default());
    used_words.resize(vocabulary.words.len(), false);
    Counted { sizes, used_words }
}

/// Where a stem's postings are: (chunk, position in the chunk, number of briefs).
type Place = (u32, u32, u32);

/// The postings chunks, planned from the stems' sizes before any postings are made: the used
/// stems in the order of their spelling (so that the stems a prefix matches are neighbours),
/// packed into chunks of about `limit` bytes.
struct Plan {
    /// The stems of each chunk, in order.
    chunks: Vec<Vec<u32>>,
    /// Each stem's place, by stem number.
    places: Vec<Option<Place>>,
}

fn plan_chunks(vocabulary: &Vocabulary, sizes: &[Size], limit: usize) -> Plan {
    let mut order: Vec<u32> = (0..sizes.len() as u32)
        .filter(|s| sizes[*s as usize].count > 0)
        .collect();
    order.sort_by(|a, b| {
        let (a, b) = (
            &vocabulary.stems[*a as usize],
            &vocabulary.stems[*b as usize],
        );
        (&a.folded, vocabulary.language_key(a.language))
            .cmp(&(&b.folded, vocabulary.language_key(b.language)))
    });
    let mut places = vec![None; sizes.len()];
    let mut chunks = Vec::new();
    let mut chunk: Vec<u32> = Vec::new();
    let mut size = 0;
    for stem in order {
        let bytes = sizes[stem as usize].encoded();
        if !chunk.is_empty() && size + bytes > limit {
            chunks.push(std::mem::take(&mut chunk));
            size = 0;
        }
        let place = (
            chunks.len() as u32,
            chunk.len() as u32,
            sizes[stem as usize].count,
        );
        places[stem as usize] = Some(place);
        size += bytes + 2;
        chunk.push(stem);
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    Plan { chunks, places }
}

/// Consecutive chunks whose postings take at most about `limit` bytes while they are made (one
/// chunk at least), with the number of the first: each group is one pass over the briefs.
fn groups<'p>(plan: &'p Plan, sizes: &[Size], limit: usize) -> Vec<(usize, &'p [Vec<u32>])> {
    let mut groups = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (n, chunk) in plan.chunks.iter().enumerate() {
        let chunk_bytes: usize = chunk.iter().map(|s| sizes[*s as usize].in_memory()).sum();
        if n > start && bytes + chunk_bytes > limit {
            groups.push((start, &plan.chunks[start..n]));
            (start, bytes) = (n, 0);
        }
        bytes += chunk_bytes;
    }
    if start < plan.chunks.len() {
        groups.push((start, &plan.chunks[start..]));
    }
    groups
}

/// Every stem's postings in one pass, each list growing as its briefs come (by stem number),
/// and which words the published briefs use (by word number).
fn all_postings(scorer: &mut Scorer, vocabulary: &mut Vocabulary) -> (Vec<PostingList>, Vec<bool>) {
    let mut lists: Vec<PostingList> = Vec::new();
    let mut used_words = Vec::new();
    scorer.each(vocabulary, Some(&mut used_words), |doc, stem, byte| {
        if lists.len() <= stem as usize {
            lists.resize_with(stem as usize + 1, PostingList::default);
        }
        lists[stem as usize].push(doc, byte);
    });
    lists.resize_with(vocabulary.stems.len(), PostingList::default);
    used_words.resize(vocabulary.words.len(), false);
    (lists, used_words)
}

/// The postings of the stems of `chunks` (by stem number, empty for the others), made in a
/// pass over the briefs, each list allocated at its exact size.
fn postings_of(
    scorer: &mut Scorer,
    vocabulary: &mut Vocabulary,
    sizes: &[Size],
    chunks: &[Vec<u32>],
) -> Vec<PostingList> {
    let mut lists: Vec<PostingList> = sizes.iter().map(|_| PostingList::default()).collect();
    let mut wanted = vec![false; sizes.len()];
    for &stem in chunks.iter().flatten() {
        wanted[stem as usize] = true;
        lists[stem as usize] = PostingList::with_room(&sizes[stem as usize]);
    }
    scorer.each(vocabulary, None, |doc, stem, byte| {
        if wanted.get(stem as usize) == Some(&true) {
            lists[stem as usize].push(doc, byte);
        }
    });
    lists
}

/// Writes the postings chunks `chunks`, numbered from `first`, as `search/postings/<n>.bin`:
/// the number of stems, each one's byte length, then each one's postings. Each stem's list
/// (in `lists`, by stem number) is freed once written.
fn write_chunks(
    lists: &mut [PostingList],
    first: usize,
    chunks: &[Vec<u32>],
    emit: &mut dyn FnMut(&str, &[u8]),
) {
    let mut out = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        out.clear();
        varint::write(&mut out, chunk.len() as u32);
        for stem in chunk {
            varint::write(&mut out, lists[*stem as usize].size.encoded() as u32);
        }
        for stem in chunk {
            let list = std::mem::take(&mut lists[*stem as usize]);
            let start = out.len();
            list.encode(&mut out);
            debug_assert_eq!(out.len() - start, list.size.encoded());
        }
        emit(&format!("search/postings/{}.bin", first + n), &out);
    }
}

/// Writes the word shards, `search/words/<n>.json`: each maps the folded words starting with its
/// key to the places of their stems (flat triples). Returns the keys, in order: the `n`-th file
/// holds the words whose longest key among them is the `n`-th.
fn word_shards(
    vocabulary: &Vocabulary,
    used: &[bool],
    places: &[Option<Place>],
    limit: usize,
    emit: &mut dyn FnMut(&str, &[u8]),
) -> Vec<String> {
    let mut by_word: BTreeMap<&str, BTreeSet<Place>> = BTreeMap::new();
    for (word, entry) in vocabulary.words.iter().enumerate() {
        if !used.get(word).copied().unwrap_or(false) {
            continue;
        }
        if let Some(place) = places.get(entry.stem as usize).copied().flatten() {
            by_word.entry(&entry.folded).or_default().insert(place);
        }
    }
    let entries: Vec<(&str, String)> = by_word
        .into_iter()
        .map(|(word, places)| {
            let flat: Vec<u32> = places.into_iter().flat_map(|(c, i, n)| [c, i, n]).collect();
            let json = format!(
                "{}:{}",
                serde_json::to_string(word).expect("a string serialises"),
                serde_json::to_string(&flat).expect("numbers serialise")
            );
            (word, json)
        })
        .collect();
    let mut shards = Vec::new();
    split_by_prefix(&entries, String::new(), limit, &mut shards);
    let mut keys = Vec::with_capacity(shards.len());
    for (n, (key, range)) in shards.into_iter().enumerate() {
        let body: Vec<&str> = range.iter().map(|(_, json)| json.as_str()).collect();
        let json = format!("{{{}}}", body.join(","));
        emit(&format!("search/words/{n}.json"), json.as_bytes());
        keys.push(key);
    }
    keys
}

/// Splits sorted `entries` (all starting with `prefix`) into shards of at most about `limit`
/// bytes: a group too big is split by the letter after the prefix, the word equal to the prefix
/// (if any) keeping a shard of its own, so that every word is in the shard of the longest key
/// that starts it.
fn split_by_prefix<'e, 'w>(
    entries: &'e [(&'w str, String)],
    prefix: String,
    limit: usize,
    out: &mut Vec<(String, &'e [(&'w str, String)])>,
) {
    let size: usize = entries.iter().map(|(_, json)| json.len() + 1).sum();
    if size <= limit || entries.len() == 1 {
        out.push((prefix, entries));
        return;
    }
    let mut rest = entries;
    if rest.first().is_some_and(|(word, _)| *word == prefix) {
        out.push((prefix.clone(), &rest[..1]));
        rest = &rest[1..];
    }
    while let Some((word, _)) = rest.first() {
        let next = word[prefix.len()..]
            .chars()
            .next()
            .expect("longer than the prefix");
        let key = format!("{prefix}{next}");
        let end = rest
            .iter()
            .position(|(w, _)| !w.starts_with(&key))
            .unwrap_or(rest.len());
        split_by_prefix(&rest[..end], key, limit, out);
        rest = &rest[end..];
    }
}

/// What a result shows of a brief, in the order of [`DOC_FIELDS`].
fn doc_row(site: &Site, brief: &Brief, i18n: &crate::i18n::Catalog) -> Value {
    let front = &brief.front;
    let program = front
        .program
        .as_deref()
        .map(|p| term_name(site, TermKind::Program, p));
    json!([
        front.title,
        site.config.base_url.path_of(&brief.site_path()),
        front.date.iso(),
        i18n.language(language_of(site, brief)).date(front.date),
        author_names(site, brief).collect::<Vec<_>>(),
        program,
        summary(&brief.summary),
        // The hero's narrowest width, shown beside the result.
        brief
            .hero_picture
            .as_ref()
            .map(|job| site.config.base_url.file_path_of(&job.thumb_path())),
        // A brief in another language than the search page's: its title, date and summary
        // are marked so, for screen readers' voices (null, the shortest, for the rest).
        Some(language_of(site, brief)).filter(|&lang| lang != site.config.language),
    ])
}

/// Characters of a summary shown in a result: a summary taken from a long first paragraph
/// would make the document shards heavy.
const SUMMARY_LIMIT: usize = 200;

fn summary(text: &str) -> String {
    let head = crate::markdown::text::cap(text, SUMMARY_LIMIT);
    if head.len() < text.len() {
        format!("{head} …")
    } else {
        head.to_string()
    }
}

/// The name a term's listing shows, so that "Arms control" and "Arms Control" are one choice.
fn term_name<'a>(site: &'a Site, kind: TermKind, value: &'a str) -> &'a str {
    site.taxonomies
        .term(kind, value)
        .map_or(value, |t| t.name.as_str())
}

/// One choice of a filter: the value in the address (a slug, an author id or a year), the name
/// shown, and the briefs (document numbers, ascending).
struct Choice {
    value: String,
    name: String,
    docs: Vec<u32>,
}

/// The filters' choices, for the metadata file, and one list of briefs per choice,
/// `search/filters/<kind>-<n>.bin` (count, then gaps between document numbers).
fn filters(site: &Site, docs: &[&Brief], emit: &mut dyn FnMut(&str, &[u8])) -> Value {
    let mut kinds: BTreeMap<&str, BTreeMap<String, Choice>> = BTreeMap::new();
    let mut add = |kind: &'static str, value: String, name: &str, doc: u32| {
        let choice = kinds
            .entry(kind)
            .or_default()
            .entry(value.clone())
            .or_insert_with(|| Choice {
                value,
                name: name.to_string(),
                docs: Vec::new(),
            });
        if choice.docs.last() != Some(&doc) {
            choice.docs.push(doc);
        }
    };
    for (doc, brief) in docs.iter().enumerate() {
        let doc = doc as u32;
        for (filter, kind) in [
            ("topic", TermKind::Topic),
            ("region", TermKind::Region),
            ("program", TermKind::Program),
        ] {
            for value in kind.values(brief) {
                let name = term_name(site, kind, value);
                add(filter, crate::taxonomy::term_slug(value), name, doc);
            }
        }
        for id in &brief.front.authors {
            if let Some(author) = site.authors.get(id) {
                add("author", id.clone(), &author.front.name, doc);
            }
        }
        let year = brief.front.date.0.year().to_string();
        add("year", year.clone(), &year, doc);
    }
    let mut out = serde_json::Map::new();
    for kind in ["topic", "region", "program", "author", "year"] {
        let mut choices: Vec<Choice> = kinds
            .remove(kind)
            .unwrap_or_default()
            .into_values()
            .collect();
        if kind == "year" {
            choices.sort_by(|a, b| b.value.cmp(&a.value));
        } else {
            choices.sort_by(|a, b| {
                (a.name.to_lowercase(), &a.name).cmp(&(b.name.to_lowercase(), &b.name))
            });
        }
        let mut listed = Vec::new();
        for (n, choice) in choices.into_iter().enumerate() {
            let mut bytes = Vec::with_capacity(choice.docs.len() + 2);
            varint::write(&mut bytes, choice.docs.len() as u32);
            let mut last = 0;
            for (i, doc) in choice.docs.iter().enumerate() {
                varint::write(&mut bytes, if i == 0 { *doc } else { doc - last });
                last = *doc;
            }
            emit(&format!("search/filters/{kind}-{n}.bin"), &bytes);
            listed.push(json!([choice.value, choice.name, choice.docs.len()]));
        }
        out.insert(kind.to_string(), Value::Array(listed));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_groups_split_by_the_next_letter_and_the_prefix_word_keeps_its_own_shard() {
        let words = ["sa", "sanction", "sanctions", "security", "state", "tariff"];
        let entries: Vec<(&str, String)> = words.iter().map(|w| (*w, "x".repeat(10))).collect();
        let mut out = Vec::new();
        split_by_prefix(&entries, String::new(), 25, &mut out);
        let shards: Vec<(&str, Vec<&str>)> = out
            .iter()
            .map(|(k, e)| (k.as_str(), e.iter().map(|(w, _)| *w).collect()))
            .collect();
        assert_eq!(
            shards,
            [
                ("sa", vec!["sa"]),
                ("san", vec!["sanction", "sanctions"]),
                ("se", vec!["security"]),
                ("st", vec!["state"]),
                ("t", vec!["tariff"]),
            ]
        );
    }
}
