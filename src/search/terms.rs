//! A brief's search terms, made while the brief loads, so that its text need not be kept: each
//! word it uses, weighted by where it appears (title 10, subtitle 6, topics, regions, program,
//! series and authors 5, summary and key takeaways 3, text 1), packed as varints (about 2 KB a
//! brief, where the whole text is 10 KB).
//!
//! Words are numbered in a [`Lexicon`] the site shares between all its briefs (loaded in
//! parallel, so behind a mutex taken once per brief). A word's number is only a handle: the index
//! is written from the words' and stems' spellings, so the order in which threads numbered them
//! does not show in the output.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use rust_stemmers::Algorithm;

use super::varint;
use super::words::{algorithm, stem, words};

/// Weight of a word in the title.
pub const TITLE: u32 = 10;
/// Weight of a word in the subtitle.
pub const SUBTITLE: u32 = 6;
/// Weight of a word in an author's name, a topic, region, program or series.
pub const META: u32 = 5;
/// Weight of a word in the summary or a key takeaway.
pub const SUMMARY: u32 = 3;
/// Weight of a word of the text.
pub const TEXT: u32 = 1;

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
    /// (language, lower-case word) -> word number.
    word_ids: HashMap<(u16, Box<str>), u32>,
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
    pub stem: u32,
}

/// A stem of one language.
#[derive(Clone)]
pub struct Stem {
    pub folded: Box<str>,
    pub language: u16,
}

/// One brief's words with their weights, and its length in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// (word number delta, weight) varint pairs, by word number.
    packed: Vec<u8>,
    /// Words in all fields, each counted once wherever it appears.
    pub length: u32,
}

impl Terms {
    /// (word number, weight) pairs, by word number.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        let mut word = 0u32;
        std::iter::from_fn(move || {
            if at >= self.packed.len() {
                return None;
            }
            word += varint::read(&self.packed, &mut at);
            let weight = varint::read(&self.packed, &mut at);
            Some((word, weight))
        })
    }
}

/// Weighted counts of the words of some texts, before they are numbered.
#[derive(Default)]
pub struct Counts<'t> {
    counts: HashMap<std::borrow::Cow<'t, str>, (std::borrow::Cow<'t, str>, u32)>,
    length: u32,
}

impl<'t> Counts<'t> {
    /// Counts the words of `text`, each `weight` times.
    pub fn add(&mut self, text: &'t str, weight: u32) {
        for (lower, folded) in words(text) {
            self.length += 1;
            let entry = self.counts.entry(lower).or_insert((folded, 0));
            entry.1 = entry.1.saturating_add(weight);
        }
    }
}

impl Lexicon {
    /// Numbers the words of `counts` in `language` (a brief's `lang` or the site's) and packs them.
    pub fn terms(&self, language: &str, counts: Counts) -> Terms {
        let mut vocabulary = self.lock();
        let language = vocabulary.language(language);
        let mut numbered: Vec<(u32, u32)> = counts
            .counts
            .into_iter()
            .map(|(lower, (folded, weight))| {
                (vocabulary.word(language, &lower, &folded), weight)
            })
            .collect();
        drop(vocabulary);
        numbered.sort_unstable();
        let mut packed = Vec::with_capacity(numbered.len() * 3);
        let mut last = 0;
        for (word, weight) in numbered {
            varint::write(&mut packed, word - last);
            varint::write(&mut packed, weight);
            last = word;
        }
        Terms {
            packed,
            length: counts.length,
        }
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
            Some(_) => tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase(),
            None => String::new(),
        };
        if let Some(i) = self.languages.iter().position(|(k, _)| *k == key) {
            return i as u16;
        }
        self.languages.push((key, algorithm));
        (self.languages.len() - 1) as u16
    }

    /// The language key of a language number.
    pub fn language_key(&self, language: u16) -> &str {
        &self.languages[language as usize].0
    }

    /// The number of a word, stemming it the first time it is seen.
    pub fn word(&mut self, language: u16, lower: &str, folded: &str) -> u32 {
        if let Some(id) = self.word_ids.get(&(language, Box::from(lower))) {
            return *id;
        }
        let stemmed = stem(self.languages[language as usize].1, lower);
        let stem = self.stem(language, stemmed);
        let id = self.words.len() as u32;
        self.words.push(Word {
            folded: folded.into(),
            stem,
        });
        self.word_ids.insert((language, lower.into()), id);
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

    /// Counts of `text` numbered at once (for author names, added when the index is made).
    pub fn add(&mut self, language: u16, text: &str, weight: u32, into: &mut Vec<(u32, u32)>) -> u32 {
        let mut length = 0;
        for (lower, folded) in words(text) {
            length += 1;
            into.push((self.word(language, &lower, &folded), weight));
        }
        length
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
        counts.add("The sanctions regime", TEXT);
        let first = lexicon.terms("en", counts);
        assert_eq!(first.length, 6);
        let vocabulary = lexicon.lock();
        let weights: HashMap<&str, u32> = first
            .iter()
            .map(|(w, weight)| (&*vocabulary.words[w as usize].folded, weight))
            .collect();
        assert_eq!(weights["sanctions"], 11);
        assert_eq!(weights["iran"], 10);
        assert_eq!(weights["regime"], 1);
        drop(vocabulary);

        let mut counts = Counts::default();
        counts.add("A sanctioned bank", TEXT);
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
    }
}
