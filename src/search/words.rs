//! Words of a text as the search sees them, the same way `search.js` splits a query: runs of
//! letters and digits (Unicode `Alphabetic` or `Numeric`), compared with accents removed and in
//! lower case ("Économie" and "economie" are one word). Stemming is per language, with the
//! Snowball algorithms of `rust-stemmers`, applied to the word with its accents (Snowball's
//! French and Spanish rules need them) and folded afterwards.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Whether `c` belongs to a word. Combining accents are kept inside a word so that a decomposed
/// "é" (e + U+0301) does not split it; folding removes them.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_accent(c)
}

/// The combining marks that `search.js` strips after `normalize("NFD")`.
fn is_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// A word as (lower case with accents, folded).
pub type Forms<'t> = (Cow<'t, str>, Cow<'t, str>);

/// The words of `text`, each as (lower case with accents, folded), in order.
pub fn words(text: &str) -> impl Iterator<Item = Forms<'_>> {
    tokens(text).flat_map(word_forms)
}

/// The runs of letters, digits and accents of `text`, as written.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// See [`tokens`]: an ASCII byte is tested as a byte, and only other characters are decoded
/// (splitting on a `char` predicate decoded every character, a third of counting a brief's
/// words).
pub struct Tokens<'t> {
    text: &'t str,
    /// Where the search for the next token starts.
    at: usize,
}

impl<'t> Iterator for Tokens<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut start = None;
        let mut i = self.at;
        while i < bytes.len() {
            let (word, len) = match bytes[i] {
                b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
                _ => {
                    let c = self.text[i..].chars().next().unwrap_or(' ');
                    (in_word(c), c.len_utf8())
                }
            };
            match (start, word) {
                (None, true) => start = Some(i),
                (Some(from), false) => {
                    self.at = i + len;
                    return Some(&self.text[from..i]);
                }
                _ => {}
            }
            i += len;
        }
        self.at = bytes.len();
        start.map(|from| &self.text[from..])
    }
}

/// Whether a token is its own lower-case and folded form (most words of an English text), so
/// that it can be used as it is.
pub fn is_plain(token: &str) -> bool {
    token
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The words of one token: one, or in a rare case several (see [`word_forms`]), without a
/// list allocated for the one.
pub enum TokenForms<'t> {
    One(Option<Forms<'t>>),
    Several(std::vec::IntoIter<Forms<'t>>),
}

impl<'t> Iterator for TokenForms<'t> {
    type Item = Forms<'t>;

    fn next(&mut self) -> Option<Forms<'t>> {
        match self {
            TokenForms::One(one) => one.take(),
            TokenForms::Several(several) => several.next(),
        }
    }
}

/// A raw token as (lower, folded) words: one pair, or several in the rare case where folding
/// leaves a character that is not a letter or digit (which `search.js` would split at).
pub fn word_forms(token: &str) -> TokenForms<'_> {
    if is_plain(token) {
        return TokenForms::One(Some((Cow::Borrowed(token), Cow::Borrowed(token))));
    }
    if token.is_ascii() {
        let lower = token.to_ascii_lowercase();
        return TokenForms::One(Some((Cow::Owned(lower.clone()), Cow::Owned(lower))));
    }
    let folded = fold(token);
    if folded.chars().all(char::is_alphanumeric) {
        let lower: String = token.nfc().collect::<String>().to_lowercase();
        return TokenForms::One(Some((Cow::Owned(lower), Cow::Owned(folded))));
    }
    let several: Vec<Forms> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (Cow::Owned(w.to_string()), Cow::Owned(w.to_string())))
        .collect();
    TokenForms::Several(several.into_iter())
}

/// Lower case, accents removed, `ß` as `ss` (its capital form, and Swiss German's spelling):
/// what `fold()` in `search.js` does (NFD, drop U+0300-U+036F, lower case, `ß` to `ss`).
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let folded = word
        .nfd()
        .filter(|c| !is_accent(*c))
        .collect::<String>()
        .to_lowercase();
    match folded.contains('ß') {
        true => folded.replace('ß', "ss"),
        false => folded,
    }
}

/// The Snowball algorithm for a language tag ("en", "es-MX", "pt_BR"); `None` for languages
/// without one (their words are matched as they are).
pub fn algorithm(language: &str) -> Option<Algorithm> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// The folded stem of a lower-case word.
pub fn stem(algorithm: Option<Algorithm>, lower: &str) -> String {
    match algorithm {
        Some(algorithm) => fold(&Stemmer::create(algorithm).stem(lower)),
        None => fold(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(text).map(|(_, f)| f.into_owned()).collect()
    }

    #[test]
    fn words_are_folded_runs_of_letters_and_digits() {
        assert_eq!(
            folded("Défense économique de l’Europe, 2022!"),
            ["defense", "economique", "de", "l", "europe", "2022"]
        );
        // A decomposed accent stays inside its word.
        assert_eq!(folded("Cafe\u{301} noir"), ["cafe", "noir"]);
        assert_eq!(folded("Αθήνα Москва"), ["αθηνα", "москва"]);
        // ß matches its capital form SS and the Swiss spelling.
        assert_eq!(
            folded("Außenhandel AUSSENHANDEL Aussenhandel GROẞ"),
            ["aussenhandel", "aussenhandel", "aussenhandel", "gross"]
        );
    }

    #[test]
    fn tokens_split_where_a_char_predicate_does() {
        let text = "  Défense—économique: l’Europe's 2022\u{a0}café\u{301}s ½ x²\tΑθήνα, a ";
        let by_char: Vec<&str> = text
            .split(|c: char| !in_word(c))
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(tokens(text).collect::<Vec<_>>(), by_char);
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("end").collect::<Vec<_>>(), ["end"]);
    }

    #[test]
    fn stems_follow_the_language() {
        let en = algorithm("en-GB");
        assert_eq!(stem(en, "sanctions"), stem(en, "sanctioned"));
        let es = algorithm("es");
        assert_eq!(stem(es, "sanciones"), stem(es, "sanción"));
        let fr = algorithm("fr");
        assert_eq!(stem(fr, "économiques"), stem(fr, "économique"));
        let de = algorithm("de");
        assert_eq!(stem(de, "sanktionen"), stem(de, "sanktion"));
        assert_eq!(algorithm("xx"), None);
        assert_eq!(stem(None, "Wörter"), "worter");
    }
}
