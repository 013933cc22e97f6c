//! "Cite this brief" in Chicago, APA and MLA: the brief as a hayagriva entry (a report of the
//! site, or the article it reprints), formatted as a references-list entry with the CSL styles
//! the site's citations use, in the brief's language ("edited by", month names, "Report" come
//! from the style's locale).

use hayagriva::Entry;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode};
use hayagriva::types::{Date, EntryType, FormatString, Person, Publisher, QualifiedUrl};

use super::{Name, Work};
use crate::bibliography::{Citations, html, locale_code, references_of};

/// A brief's reference in each style, as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Styled {
    pub chicago: String,
    pub apa: String,
    pub mla: String,
}

/// The reference to `work` in the three styles of the "Cite this brief" box.
pub fn styled(work: &Work, citations: &Citations) -> Styled {
    let entry = entry(work);
    let locale = LocaleCode(locale_code(&work.language));
    let locales = citations.locales(&locale);
    let locales = &*locales;
    let [chicago, apa, mla] = citations.reference_styles();
    Styled {
        chicago: reference(&entry, chicago, &locale, locales),
        apa: reference(&entry, apa, &locale, locales),
        mla: reference(&entry, mla, &locale, locales),
    }
}

/// `entry` as `style`'s references list shows it.
fn reference(
    entry: &Entry,
    style: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> String {
    references_of([entry], style, locale, locales)
        .bibliography
        .and_then(|b| b.items.into_iter().next())
        .map(|item| html(&item.content))
        .unwrap_or_default()
}

/// The brief as a work to cite: a report published by the site, with its number, DOI and
/// address; a reprint as an article of the periodical it first appeared in.
pub fn entry(work: &Work) -> Entry {
    let kind = if work.periodical.is_some() {
        EntryType::Article
    } else {
        EntryType::Report
    };
    let mut entry = Entry::new("brief", kind);
    entry.set_title(FormatString::from(work.title.clone()));
    if !work.authors.is_empty() {
        entry.set_authors(work.authors.iter().map(person).collect());
    }
    entry.set_date(Date {
        year: work.date.year().into(),
        month: u8::try_from(work.date.month() - 1).ok(),
        day: u8::try_from(work.date.day() - 1).ok(),
        approximate: false,
        season: None,
    });
    // The address the reader follows; a DOI is linked by the styles themselves.
    if let Ok(url) = url::Url::parse(&work.url) {
        entry.set_url(QualifiedUrl::new(url, None));
    }
    if let Some(doi) = &work.doi {
        entry.set_doi(doi.clone());
    }
    match &work.periodical {
        Some(periodical) => {
            // A newspaper's, not a journal's: the styles then give the full date, as they
            // do for magazine and newspaper articles.
            let mut parent = Entry::new("periodical", EntryType::Newspaper);
            parent.set_title(FormatString::from(periodical.clone()));
            entry.set_parents(vec![parent]);
        }
        None => {
            entry.set_publisher(Publisher::new(
                Some(FormatString::from(work.publisher.clone())),
                None,
            ));
            if let Some(number) = &work.report_number {
                entry.set_keyed_serial_number("serial", report_number(number));
            }
        }
    }
    entry
}

/// hayagriva reads a number with hyphens ("PB-23-07") as a range and sets it "PB-23–07":
/// non-breaking hyphens keep it one word, as written.
fn report_number(number: &str) -> String {
    number.replace('-', "\u{2011}")
}

fn person(name: &Name) -> Person {
    // A name written family name first ("Xi Jinping") is kept whole: CSL would invert it.
    if name.family_first {
        return Person {
            name: format!("{} {}", name.family, name.given),
            given_name: None,
            prefix: None,
            suffix: None,
            comma_suffix: false,
            alias: None,
        };
    }
    // Particles stay in the family name ("de Gaulle, Charles"; APA "de Gaulle, C."), as the
    // site writes the author's name.
    Person {
        name: name.family.clone(),
        given_name: (!name.given.is_empty()).then(|| name.given.clone()),
        prefix: None,
        suffix: (!name.suffix.is_empty()).then(|| name.suffix.clone()),
        comma_suffix: true,
        alias: None,
    }
}
