//! A brief's search terms, made while the brief loads, so that its text need not be kept: each
//! word it uses, with its weight in the short fields (title 10, subtitle 6, topics, regions,
//! program, series and authors 5, summary, key takeaways and recommendations 3) and its count
//! in the text, packed as varints (about 2 KB a brief, where the whole text is 10 KB). The two
//! are kept apart because only the text's count is normalised by the text's length (BM25F with
//! no length normalisation for short fields, so a long text does not dilute a title match).
//!
//! Words are numbered in a [`Lexicon`] the site shares between all its briefs (loaded in
//! parallel, so behind a mutex taken once per brief). A word's number is only a handle: the index
//! is written from the words' and stems' spellings, so the order in which threads numbered them
//! does not show in the output.

use std::sync::{Mutex, MutexGuard};

// FxHash, not SipHash: the keys are the site's own words, hashed for every word of every
// brief (SipHash was a quarter of counting them); no key comes from a request.
use rustc_hash::FxHashMap as HashMap;

use rust_stemmers::Algorithm;

use super::varint;
use super::words::{algorithm, is_plain, stem, tokens, word_forms, words};

/// Weight of a word in the title.
pub const TITLE: u32 = 10;
/// Weight of a word in the subtitle.
pub const SUBTITLE: u32 = 6;
/// Weight of a word in an author's name, a topic, region, program or series.
pub const META: u32 = 5;
/// Weight of a word in the summary or a key takeaway.
pub const SUMMARY: u32 = 3;

/// Every word the site's briefs use, with its stem; shared by the briefs of one site.
#[derive(Default)]
pub struct Lexicon {
    vocabulary: Mutex<Vocabulary>,
}

/// The words and stems numbered so far.
#[derive(Default, Clone)]
pub struct Vocabulary {
    /// Language key (a primary subtag with a stemmer, or "" for none) and its algorithm.
    languages: Vec<(String, Option<Algorithm>)>,
    /// By language: lower-case word -> word number.
    word_ids: Vec<HashMap<Box<str>, u32>>,
    /// By word number.
    pub words: Vec<Word>,
    /// (language, folded stem) -> stem number.
    stem_ids: HashMap<(u16, Box<str>), u32>,
    /// By stem number.
    pub stems: Vec<Stem>,
}

/// A word as the index shows it: folded, with the number of its stem.
#[derive(Clone)]
pub struct Word {
    pub folded: Box<str>,
    /// As the brief has it, lower-cased (the key it is numbered by).
    pub lower: Box<str>,
    pub stem: u32,
}

/// A stem of one language.
#[derive(Clone)]
pub struct Stem {
    pub folded: Box<str>,
    pub language: u16,
}

/// One brief's words with their weights, and the length of its text in words.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    /// (word number delta, field weight, text count) varints, by word number.
    packed: Vec<u8>,
    /// Words in the text.
    pub length: u32,
}

/// A word of a brief: its weight in the short fields and its count in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Weight {
    pub fields: u32,
    pub text: u32,
}

impl Weight {
    pub fn add(&mut self, other: Weight) {
        self.fields = self.fields.saturating_add(other.fields);
        self.text = self.text.saturating_add(other.text);
    }
}

impl Terms {
    /// (word number, weight) pairs, by word number.
    pub fn iter(&self) -> impl Iterator<Item = (u32, Weight)> + '_ {
        let mut at = 0;
        let mut word = 0u32;
        std::iter::from_fn(move || {
            if at >= self.packed.len() {
                return None;
            }
            word += varint::read(&self.packed, &mut at);
            let fields = varint::read(&self.packed, &mut at);
            let text = varint::read(&self.packed, &mut at);
            Some((word, Weight { fields, text }))
        })
    }
}

impl Terms {
    /// Bytes of the packed terms: about what the brief's postings take in the index.
    pub fn packed_len(&self) -> usize {
        self.packed.len()
    }

    /// Whether these terms, read back from a file that may be damaged, are packed soundly and
    /// number only words below `words` (so that [`Terms::iter`] gives words a lexicon of that
    /// many words has).
    pub fn fits(&self, words: usize) -> bool {
        let mut at = 0;
        let mut word = 0u64;
        while at < self.packed.len() {
            let mut next = || varint::read_checked(&self.packed, &mut at);
            let (Some(delta), Some(_), Some(_)) = (next(), next(), next()) else {
                return false;
            };
            word += u64::from(delta);
            if word >= words as u64 {
                return false;
            }
        }
        true
    }
}

/// `(word number, weight)` pairs packed in word order, as [`Terms`] holds them.
fn pack(mut numbered: Vec<(u32, Weight)>, length: u32) -> Terms {
    numbered.sort_unstable_by_key(|(word, _)| *word);
    let mut packed = Vec::with_capacity(numbered.len() * 3);
    let mut last = 0;
    for (word, weight) in numbered {
        varint::write(&mut packed, word - last);
        varint::write(&mut packed, weight.fields);
        varint::write(&mut packed, weight.text);
        last = word;
    }
    Terms { packed, length }
}

type Cow<'t> = std::borrow::Cow<'t, str>;

/// Weighted counts of the words of some texts, before they are numbered.
#[derive(Default)]
pub struct Counts<'t> {
    counts: HashMap<Cow<'t>, (Cow<'t>, Weight)>,
    length: u32,
    /// A word being lower-cased, kept between words.
    lower: String,
}

impl<'t> Counts<'t> {
    /// Counts with room for the words of a text of `bytes` bytes (about one new word in 16
    /// bytes of an English brief), so that the map is not grown again and again as it fills.
    pub fn for_text(bytes: usize) -> Self {
        Counts {
            counts: HashMap::with_capacity_and_hasher(bytes / 16, Default::default()),
            ..Counts::default()
        }
    }

    /// Counts the words of a short field (title, summary...), each `weight` times.
    pub fn add(&mut self, text: &'t str, weight: u32) {
        self.count(
            text,
            Weight {
                fields: weight,
                text: 0,
            },
        );
    }

    /// Counts the words of the text.
    pub fn add_text(&mut self, text: &'t str) {
        self.count(text, Weight { fields: 0, text: 1 });
    }

    /// Counts each word of `text` with `weight`. A word seen before in these texts costs no
    /// allocation: a plain word (lower-case ASCII) is counted as the text spells it, and an
    /// ASCII word with capitals is looked up lower-cased in a buffer kept between words.
    fn count(&mut self, text: &'t str, weight: Weight) {
        for token in tokens(text) {
            if is_plain(token) {
                self.length += weight.text;
                let entry = self
                    .counts
                    .entry(Cow::Borrowed(token))
                    .or_insert((Cow::Borrowed(token), Weight::default()));
                entry.1.add(weight);
            } else if token.is_ascii() {
                self.length += weight.text;
                self.lower.clear();
                self.lower.push_str(token);
                self.lower.make_ascii_lowercase();
                match self.counts.get_mut(self.lower.as_str()) {
                    Some(entry) => entry.1.add(weight),
                    None => {
                        let lower = Cow::Owned(self.lower.clone());
                        self.counts.insert(lower.clone(), (lower, weight));
                    }
                }
            } else {
                for (lower, folded) in word_forms(token) {
                    self.length += weight.text;
                    let entry = self
                        .counts
                        .entry(lower)
                        .or_insert((folded, Weight::default()));
                    entry.1.add(weight);
                }
            }
        }
    }
}

impl Lexicon {
    /// Numbers the words of `counts` in `language` (a brief's `lang` or the site's) and packs them.
    pub fn terms(&self, language: &str, counts: Counts) -> Terms {
        let mut vocabulary = self.lock();
        let language = vocabulary.language(language);
        let numbered: Vec<(u32, Weight)> = counts
            .counts
            .into_iter()
            .map(|(lower, (folded, weight))| (vocabulary.word(language, &lower, &folded), weight))
            .collect();
        drop(vocabulary);
        pack(numbered, counts.length)
    }

    /// The words and stems numbered so far (the lexicon is locked while the guard lives).
    pub fn lock(&self) -> MutexGuard<'_, Vocabulary> {
        self.vocabulary.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Vocabulary {
    /// The number of a language key: the primary subtag when Snowball has a stemmer for it,
    /// otherwise "" (words matched as they are).
    pub fn language(&mut self, tag: &str) -> u16 {
        let algorithm = algorithm(tag);
        let key = match algorithm {
            Some(_) => tag
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase(),
            None => String::new(),
        };
        if let Some(i) = self.languages.iter().position(|(k, _)| *k == key) {
            return i as u16;
        }
        self.languages.push((key, algorithm));
        self.word_ids.push(HashMap::default());
        (self.languages.len() - 1) as u16
    }

    /// The language key of a language number.
    pub fn language_key(&self, language: u16) -> &str {
        &self.languages[language as usize].0
    }

    /// The number of a word, stemming it the first time it is seen.
    pub fn word(&mut self, language: u16, lower: &str, folded: &str) -> u32 {
        if let Some(id) = self.word_ids[language as usize].get(lower) {
            return *id;
        }
        let stemmed = stem(self.languages[language as usize].1, lower);
        let stem = self.stem(language, stemmed);
        let id = self.words.len() as u32;
        let lower: Box<str> = lower.into();
        self.words.push(Word {
            folded: folded.into(),
            lower: lower.clone(),
            stem,
        });
        self.word_ids[language as usize].insert(lower, id);
        id
    }

    fn stem(&mut self, language: u16, folded: String) -> u32 {
        let key = (language, folded.into_boxed_str());
        if let Some(id) = self.stem_ids.get(&key) {
            return *id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(Stem {
            folded: key.1.clone(),
            language,
        });
        self.stem_ids.insert(key, id);
        id
    }

    /// The words of a short field numbered at once, each `weight` times (for author names,
    /// added when the index is made).
    pub fn add(&mut self, language: u16, text: &str, weight: u32, into: &mut Vec<(u32, Weight)>) {
        for (lower, folded) in words(text) {
            let word = self.word(language, &lower, &folded);
            into.push((
                word,
                Weight {
                    fields: weight,
                    text: 0,
                },
            ));
        }
    }
}

impl Lexicon {
    /// A lexicon that starts with the words and stems of `vocabulary`, numbered as there.
    pub fn with(vocabulary: Vocabulary) -> Lexicon {
        Lexicon {
            vocabulary: Mutex::new(vocabulary),
        }
    }
}

/// A [`Vocabulary`] as the build cache stores it between builds, every word and stem in number
/// order, so that the terms of a brief kept in the cache keep their numbers
/// ([`crate::build_cache::loads`]).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    /// Language keys, by language number.
    languages: Vec<String>,
    /// (lower-case, folded, stem number), by word number.
    words: Vec<(Box<str>, Box<str>, u32)>,
    /// (folded, language number), by stem number.
    stems: Vec<(Box<str>, u16)>,
}

impl Vocabulary {
    /// How many languages, words and stems are numbered.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.languages.len(), self.words.len(), self.stems.len())
    }

    /// The vocabulary as stored.
    pub fn stored(&self) -> Stored {
        Stored {
            languages: self.languages.iter().map(|(key, _)| key.clone()).collect(),
            words: self
                .words
                .iter()
                .map(|w| (w.lower.clone(), w.folded.clone(), w.stem))
                .collect(),
            stems: self
                .stems
                .iter()
                .map(|s| (s.folded.clone(), s.language))
                .collect(),
        }
    }

    /// The vocabulary `stored` holds; `None` when it is not one a vocabulary could have been
    /// (a number out of range, a word or stem twice).
    pub fn from_stored(stored: Stored) -> Option<Vocabulary> {
        let mut vocabulary = Vocabulary::default();
        for key in stored.languages {
            let algorithm = if key.is_empty() {
                None
            } else {
                algorithm(&key)
            };
            if algorithm.is_none() != key.is_empty()
                || vocabulary.languages.iter().any(|(k, _)| *k == key)
            {
                return None;
            }
            vocabulary.languages.push((key, algorithm));
            vocabulary.word_ids.push(HashMap::default());
        }
        for (id, (folded, language)) in stored.stems.into_iter().enumerate() {
            if usize::from(language) >= vocabulary.languages.len() {
                return None;
            }
            let key = (language, folded.clone());
            if vocabulary.stem_ids.insert(key, id as u32).is_some() {
                return None;
            }
            vocabulary.stems.push(Stem { folded, language });
        }
        for (id, (lower, folded, stem)) in stored.words.into_iter().enumerate() {
            let language = vocabulary.stems.get(stem as usize)?.language;
            let ids = &mut vocabulary.word_ids[usize::from(language)];
            if ids.insert(lower.clone(), id as u32).is_some() {
                return None;
            }
            vocabulary.words.push(Word {
                folded,
                lower,
                stem,
            });
        }
        Some(vocabulary)
    }
}

impl Clone for Lexicon {
    fn clone(&self) -> Lexicon {
        Lexicon {
            vocabulary: Mutex::new(self.lock().clone()),
        }
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lexicon({} words)", self.lock().words.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_weigh_words_by_field_and_share_numbers_across_briefs() {
        let lexicon = Lexicon::default();
        let mut counts = Counts::default();
        counts.add("Sanctions on Iran", TITLE);
        counts.add_text("The sanctions regime, the sanctions");
        let first = lexicon.terms("en", counts);
        assert_eq!(first.length, 5, "words of the text");
        let vocabulary = lexicon.lock();
        let weights: HashMap<&str, (u32, u32)> = first
            .iter()
            .map(|(w, weight)| {
                (
                    &*vocabulary.words[w as usize].folded,
                    (weight.fields, weight.text),
                )
            })
            .collect();
        assert_eq!(weights["sanctions"], (10, 2));
        assert_eq!(weights["iran"], (10, 0));
        assert_eq!(weights["regime"], (0, 1));
        drop(vocabulary);

        let mut counts = Counts::default();
        counts.add_text("A sanctioned bank");
        let second = lexicon.terms("en-US", counts);
        let vocabulary = lexicon.lock();
        let stem_of = |terms: &Terms, word: &str| {
            terms
                .iter()
                .map(|(w, _)| &vocabulary.words[w as usize])
                .find(|w| &*w.folded == word)
                .map(|w| w.stem)
        };
        assert_eq!(
            stem_of(&first, "sanctions"),
            stem_of(&second, "sanctioned"),
            "one stem"
        );
        // Terms read back from a damaged file are refused, not trusted.
        let words = vocabulary.words.len();
        assert!(first.fits(words) && second.fits(words));
        assert!(!second.fits(words - 1), "a word past the lexicon");
        let mut cut = second.clone();
        cut.packed.pop();
        assert!(!cut.fits(words), "cut short");
    }
}
