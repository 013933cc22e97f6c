//! hayagriva's locales, decoded only for the languages a build formats in.
//!
//! hayagriva ships 64 CSL locales as CBOR and decodes them all at once
//! (`hayagriva::archive::locales`): 60 ms of one core before a build's first citation or
//! "Cite this brief", most of it for languages the site never uses. A formatting in language
//! `L` looks up, in the locale files it is given, the first with `L`, then the first with
//! `L`'s fallback region ("de" → "de-DE"), then en-US (hayagriva's `lookup_locale`); so the
//! files of those three languages, in the archive's order, give it the same answers as all 64.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::archive::LOCALES;
use hayagriva::citationberg::{Locale, LocaleCode};

/// The archive's locales, decoded per language on first use.
#[derive(Debug, Default)]
pub struct Locales {
    /// Each archived locale's language, read from its first bytes (`None`: not readable so,
    /// then always decoded).
    languages: OnceLock<Vec<Option<String>>>,
    by_language: Mutex<HashMap<String, Arc<[Locale]>>>,
}

impl Locales {
    /// The locale files hayagriva reads when it formats in `language`.
    pub fn for_language(&self, language: &LocaleCode) -> Arc<[Locale]> {
        let mut map = self
            .by_language
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Asked several times a brief: the key is copied only the first time.
        if let Some(locales) = map.get(&language.0) {
            return locales.clone();
        }
        let locales = self.decode(language);
        map.insert(language.0.clone(), locales.clone());
        locales
    }

    fn decode(&self, language: &LocaleCode) -> Arc<[Locale]> {
        let languages = self
            .languages
            .get_or_init(|| LOCALES.iter().map(|bytes| language_of(bytes)).collect());
        let wanted = [
            Some(language.0.clone()),
            language.fallback().map(|code| code.0),
            Some(LocaleCode::en_us().0),
        ];
        LOCALES
            .iter()
            .zip(languages)
            .filter(|(_, lang)| lang.is_none() || wanted.contains(lang))
            .filter_map(|(bytes, _)| ciborium::from_reader::<Locale, _>(*bytes).ok())
            .collect()
    }
}

/// The language of an archived locale: the text value of its CBOR map's first key, which
/// is `@xml:lang` in every locale hayagriva ships. Read by hand because decoding the locale
/// to learn it is the cost this module avoids; anything else gives `None`.
fn language_of(bytes: &[u8]) -> Option<String> {
    let rest = match bytes.split_first()? {
        // A map of under 24 pairs, of a one-byte count, or of indefinite length.
        (0xa0..=0xb7 | 0xbf, rest) => rest,
        (0xb8, rest) => rest.get(1..)?,
        _ => return None,
    };
    let (key, rest) = text(rest)?;
    if key != "@xml:lang" {
        return None;
    }
    text(rest).map(|(value, _)| value.to_string())
}

/// A CBOR text string of under 256 bytes at the start of `bytes`, and what follows it.
fn text(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = match bytes.split_first()? {
        (&head @ 0x60..=0x77, rest) => (usize::from(head - 0x60), rest),
        (0x78, rest) => (usize::from(*rest.first()?), rest.get(1..)?),
        _ => return None,
    };
    let value = std::str::from_utf8(rest.get(..len)?).ok()?;
    Some((value, &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_read_by_hand_is_the_decoded_locales() {
        let decoded: Vec<Option<String>> = hayagriva::archive::locales()
            .into_iter()
            .map(|locale| locale.lang.map(|code| code.0))
            .collect();
        let read: Vec<Option<String>> = LOCALES.iter().map(|bytes| language_of(bytes)).collect();
        assert_eq!(read, decoded);
        assert!(read.iter().all(Option::is_some));
    }

    #[test]
    fn a_language_gets_its_own_its_regions_and_en_us() {
        let locales = Locales::default();
        let languages = |code: &str| -> Vec<String> {
            locales
                .for_language(&LocaleCode(code.to_string()))
                .iter()
                .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
                .collect()
        };
        assert_eq!(languages("de-AT"), ["de-AT", "de-DE", "en-US"]);
        assert_eq!(languages("de"), ["de-DE", "en-US"]);
        assert_eq!(languages("en-US"), ["en-US"]);
        // In the archive's order, which hayagriva's lookup does not depend on.
        assert_eq!(languages("pt-BR"), ["en-US", "pt-BR", "pt-PT"]);
        assert_eq!(languages("xx"), ["en-US"]);
    }

    /// A references-list entry and a first note of each fixture work, in each archived style
    /// brief names, formatted with all of hayagriva's locales and with those of the language.
    #[test]
    fn a_languages_locales_format_as_all_of_them_do() {
        let bib = std::fs::read_to_string("tests/fixtures/citations/references.bib").unwrap();
        let library = hayagriva::io::from_biblatex_str(&bib).unwrap();
        let all = hayagriva::archive::locales();
        let subsets = Locales::default();
        let format = |style: &hayagriva::citationberg::IndependentStyle,
                      code: &LocaleCode,
                      locales: &[Locale]| {
            let mut driver = hayagriva::BibliographyDriver::new();
            for entry in library.iter() {
                driver.citation(hayagriva::CitationRequest::new(
                    vec![hayagriva::CitationItem::with_entry(entry)],
                    style,
                    Some(code.clone()),
                    locales,
                    None,
                ));
            }
            let rendered = driver.finish(hayagriva::BibliographyRequest::new(
                style,
                Some(code.clone()),
                locales,
            ));
            format!("{rendered:?}")
        };
        for (_, archived) in crate::bibliography::STYLES {
            let hayagriva::citationberg::Style::Independent(style) = archived.get() else {
                continue;
            };
            for code in [
                "en-US", "en-GB", "de-AT", "fr-FR", "ar", "zh-CN", "pt-BR", "ja", "xx",
            ] {
                let code = LocaleCode(code.to_string());
                let mine = format(&style, &code, &subsets.for_language(&code));
                assert_eq!(mine, format(&style, &code, &all), "{code:?}");
            }
        }
    }
}
