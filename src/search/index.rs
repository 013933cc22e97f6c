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
}

/// The limits a build uses: at 10,000 briefs a query for three common words downloads about
/// 150 KB (see the README's search section for measurements).
pub const LIMITS: Limits = Limits {
    word_shard: 8 * 1024,
    postings_chunk: 16 * 1024,
    docs_per_shard: 5,
};

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The values of each brief in a document shard, in this order.
pub const DOC_FIELDS: [&str; 8] = [
    "title",
    "path",
    "date",
    "date_display",
    "authors",
    "program",
    "summary",
    "thumb",
];

/// The files of the index as (site path, bytes), with the build's limits; dates are written
/// in each brief's language with the theme's strings (`i18n`).
pub fn files(site: &Site, i18n: &crate::i18n::Catalog) -> Vec<(String, Vec<u8>)> {
    files_with(site, i18n, LIMITS)
}

/// The files of the index as (site path, bytes). Drafts are never included, even in a preview
/// build, so that a preview's index can be published by mistake without harm.
pub fn files_with(
    site: &Site,
    i18n: &crate::i18n::Catalog,
    limits: Limits,
) -> Vec<(String, Vec<u8>)> {
    // Oldest first, so that a new brief adds to the end and leaves most files as they were.
    let docs: Vec<&Brief> = site
        .briefs
        .iter()
        .rev()
        .filter(|b| !b.front.draft)
        .collect();
    let mut vocabulary = site.lexicon.lock();
    let postings = postings(site, &docs, &mut vocabulary);
    let mut files = Vec::new();
    let chunks = chunk_stems(&vocabulary, &postings, limits.postings_chunk, &mut files);
    let keys = word_shards(
        &vocabulary,
        &postings.used_words,
        &chunks,
        limits.word_shard,
        &mut files,
    );
    drop(vocabulary);
    for (n, shard) in docs.chunks(limits.docs_per_shard.max(1)).enumerate() {
        let rows: Vec<Value> = shard.iter().map(|b| doc_row(site, b, i18n)).collect();
        files.push((
            format!("search/docs/{n}.json"),
            json_bytes(&Value::Array(rows)),
        ));
    }
    let filters = filters(site, &docs, &mut files);
    let meta = json!({
        "version": super::FORMAT_VERSION,
        "briefs": docs.len(),
        "docs_per_shard": limits.docs_per_shard.max(1),
        "doc_fields": DOC_FIELDS,
        "words": keys,
        "filters": filters,
    });
    files.push((super::INDEX_PATH.to_string(), json_bytes(&meta)));
    files
}

fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("the index serialises")
}

/// Every stem's postings, and which words the published briefs use.
struct Postings {
    /// By stem number; empty for stems no published brief uses.
    lists: Vec<PostingList>,
    /// By word number.
    used_words: Vec<bool>,
}

/// One stem's briefs (ascending) with the weight of the stem in each, quantised to a byte.
#[derive(Default)]
struct PostingList {
    count: u32,
    last: u32,
    docs: Vec<u8>,
    weights: Vec<u8>,
}

impl PostingList {
    fn push(&mut self, doc: u32, weight: u8) {
        varint::write(
            &mut self.docs,
            if self.count == 0 {
                doc
            } else {
                doc - self.last
            },
        );
        self.weights.push(weight);
        self.last = doc;
        self.count += 1;
    }

    /// The count, how the documents are written (0: varint gaps; 1: a bitmap, for a stem in
    /// more than about one brief in eight, where it is smaller), the documents, then one weight
    /// byte per document.
    fn encode(&self) -> Vec<u8> {
        let bitmap_bytes = self.last as usize / 8 + 1;
        let mut out =
            Vec::with_capacity(self.docs.len().min(bitmap_bytes) + self.weights.len() + 8);
        varint::write(&mut out, self.count);
        if bitmap_bytes + 2 < self.docs.len() {
            out.push(1);
            varint::write(&mut out, bitmap_bytes as u32);
            let mut bitmap = vec![0u8; bitmap_bytes];
            let (mut at, mut doc) = (0, 0);
            for i in 0..self.count {
                let gap = varint::read(&self.docs, &mut at);
                doc = if i == 0 { gap } else { doc + gap };
                bitmap[doc as usize / 8] |= 1 << (doc % 8);
            }
            out.extend_from_slice(&bitmap);
        } else {
            out.push(0);
            out.extend_from_slice(&self.docs);
        }
        out.extend_from_slice(&self.weights);
        out
    }
}

/// A brief's language for stemming: its `lang`, else the site's.
fn language_of<'a>(site: &'a Site, brief: &'a Brief) -> &'a str {
    brief.front.lang.as_deref().unwrap_or(&site.config.language)
}

fn author_names<'a>(site: &'a Site, brief: &'a Brief) -> impl Iterator<Item = &'a str> {
    brief
        .front
        .authors
        .iter()
        .filter_map(|id| site.authors.get(id))
        .map(|a| a.front.name.as_str())
}

/// The postings of every stem: for each brief, the BM25F term-frequency part of each of its
/// stems, scaled to 1-255: the weight in the short fields (see [`terms`]) plus the count in the
/// text normalised by the text's length, saturated. The inverse document frequency is left to
/// the browser, which knows each stem's count.
fn postings(site: &Site, docs: &[&Brief], vocabulary: &mut Vocabulary) -> Postings {
    let total: f64 = docs.iter().map(|b| f64::from(b.search.length)).sum();
    let average = (total / docs.len().max(1) as f64).max(1.0);
    let mut lists: Vec<PostingList> = Vec::new();
    let mut used_words = Vec::new();
    let mut words: Vec<(u32, Weight)> = Vec::new();
    let mut stems: Vec<(u32, Weight)> = Vec::new();
    for (doc, brief) in docs.iter().enumerate() {
        words.clear();
        words.extend(brief.search.iter());
        let language = vocabulary.language(language_of(site, brief));
        for name in author_names(site, brief) {
            vocabulary.add(language, name, terms::META, &mut words);
        }
        stems.clear();
        for &(word, weight) in &words {
            if used_words.len() <= word as usize {
                used_words.resize(vocabulary.words.len().max(word as usize + 1), false);
            }
            used_words[word as usize] = true;
            stems.push((vocabulary.words[word as usize].stem, weight));
        }
        stems.sort_unstable_by_key(|(stem, _)| *stem);
        let text_norm = 1.0 - B + B * f64::from(brief.search.length) / average;
        let mut i = 0;
        while i < stems.len() {
            let stem = stems[i].0;
            let mut weight = Weight::default();
            while i < stems.len() && stems[i].0 == stem {
                weight.add(stems[i].1);
                i += 1;
            }
            let tf = f64::from(weight.fields) + f64::from(weight.text) / text_norm;
            let saturated = tf / (tf + K1); // BM25's tf·(k1+1)/(tf+k1), over (k1+1)
            let byte = (saturated * 255.0).ceil().clamp(1.0, 255.0) as u8;
            if lists.len() <= stem as usize {
                lists.resize_with(
                    vocabulary.stems.len().max(stem as usize + 1),
                    Default::default,
                );
            }
            lists[stem as usize].push(doc as u32, byte);
        }
    }
    used_words.resize(vocabulary.words.len(), false);
    Postings { lists, used_words }
}

/// Where a stem's postings are: (chunk, position in the chunk, number of briefs).
type Place = (u32, u32, u32);

/// Packs the used stems, in the order of their spelling (so that the stems a prefix matches are
/// neighbours), into chunks of about `limit` bytes, written as `search/postings/<n>.bin`:
/// the number of stems, each one's byte length, then each one's postings. Returns each stem's
/// place, by stem number.
fn chunk_stems(
    vocabulary: &Vocabulary,
    postings: &Postings,
    limit: usize,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<Option<Place>> {
    let mut order: Vec<u32> = (0..postings.lists.len() as u32)
        .filter(|s| postings.lists[*s as usize].count > 0)
        .collect();
    order.sort_by(|a, b| {
        let (a, b) = (
            &vocabulary.stems[*a as usize],
            &vocabulary.stems[*b as usize],
        );
        (&a.folded, vocabulary.language_key(a.language))
            .cmp(&(&b.folded, vocabulary.language_key(b.language)))
    });
    let mut places = vec![None; postings.lists.len()];
    let mut chunk: Vec<Vec<u8>> = Vec::new();
    let mut size = 0;
    let mut number = 0u32;
    for stem in order {
        let list = &postings.lists[stem as usize];
        let blob = list.encode();
        if !chunk.is_empty() && size + blob.len() > limit {
            files.push((
                format!("search/postings/{number}.bin"),
                chunk_file(&mut chunk),
            ));
            number += 1;
            size = 0;
        }
        places[stem as usize] = Some((number, chunk.len() as u32, list.count));
        size += blob.len() + 2;
        chunk.push(blob);
    }
    if !chunk.is_empty() {
        files.push((
            format!("search/postings/{number}.bin"),
            chunk_file(&mut chunk),
        ));
    }
    places
}

/// A postings chunk: the number of stems, each one's byte length, then their postings.
fn chunk_file(chunk: &mut Vec<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(chunk.iter().map(|b| b.len() + 2).sum::<usize>() + 4);
    varint::write(&mut out, chunk.len() as u32);
    for blob in chunk.iter() {
        varint::write(&mut out, blob.len() as u32);
    }
    for blob in chunk.drain(..) {
        out.extend_from_slice(&blob);
    }
    out
}

/// Writes the word shards, `search/words/<n>.json`: each maps the folded words starting with its
/// key to the places of their stems (flat triples). Returns the keys, in order: the `n`-th file
/// holds the words whose longest key among them is the `n`-th.
fn word_shards(
    vocabulary: &Vocabulary,
    used: &[bool],
    places: &[Option<Place>],
    limit: usize,
    files: &mut Vec<(String, Vec<u8>)>,
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
        files.push((
            format!("search/words/{n}.json"),
            format!("{{{}}}", body.join(",")).into_bytes(),
        ));
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
            .map(|job| site.config.base_url.path_of(&job.thumb_path())),
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
fn filters(site: &Site, docs: &[&Brief], files: &mut Vec<(String, Vec<u8>)>) -> Value {
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
                add(filter, slug::slugify(value), name, doc);
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
            files.push((format!("search/filters/{kind}-{n}.bin"), bytes));
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
