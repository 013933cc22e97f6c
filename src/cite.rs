//! "Cite this brief": a brief's reference in Chicago, APA and MLA style (as HTML, formatted by
//! hayagriva with CSL styles in the brief's language, [`styled`]), and as BibTeX and RIS files
//! (data formats, written here). Pure functions from a [`Work`] to text; no I/O.

use jiff::civil::Date;

/// A person's name as the citation styles need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// Given names, e.g. "Ankit" or "Martin Luther"; empty for a single name.
    pub given: String,
    /// Family name with its particles, e.g. "Panda", "de Gaulle", "van Beethoven".
    pub family: String,
    /// Generational suffix, e.g. "Jr." or "III"; empty when none.
    pub suffix: String,
    /// Written family name first, as "Xi Jinping": Chicago and MLA then keep that order
    /// without a comma; APA still writes "Xi, J.".
    pub family_first: bool,
}

/// Lower-case words that belong to the family name that follows them.
const PARTICLES: &[&str] = &[
    "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von",
    "den", "ter", "ten", "zu", "af", "av", "bin", "ibn", "al", "el", "st.", "y",
];

const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "V"];

impl Name {
    /// Splits a full name: the last word is the family name, with any particles before it
    /// ("Charles de Gaulle" -> "de Gaulle", "Charles"), and a trailing "Jr." or "III" is a
    /// suffix. "Family, Given" is read as written. Names no rule splits (e.g. "Xi Jinping")
    /// are given with explicit parts through [`Name::explicit`].
    pub fn parse(full: &str) -> Name {
        let full = full.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((family, given)) = full.split_once(',') {
            let given = given.trim();
            // "King, Jr." is not family-given; leave that to the word rules below.
            if !SUFFIXES.contains(&given) {
                let (given, suffix) = match given.split_once(',') {
                    Some((g, s)) => (g.trim(), s.trim()),
                    None => (given, ""),
                };
                return Name {
                    given: given.to_string(),
                    family: family.trim().to_string(),
                    suffix: suffix.to_string(),
                    family_first: false,
                };
            }
        }
        let mut words: Vec<&str> = full
            .split(' ')
            .map(|w| w.trim_end_matches(','))
            .filter(|w| !w.is_empty())
            .collect();
        let mut suffix = String::new();
        if words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
            suffix = words.pop().unwrap_or_default().to_string();
        }
        let Some(last) = words.len().checked_sub(1) else {
            return Name::explicit("", "");
        };
        // Particles before the last word join it, as long as a given name stays before them.
        let mut start = last;
        while start >= 2 && is_particle(words[start - 1]) {
            start -= 1;
        }
        Name {
            given: words[..start].join(" "),
            family: words[start..].join(" "),
            suffix,
            family_first: false,
        }
    }

    /// A name with its parts given by the author, for names the rules cannot split.
    pub fn explicit(given: &str, family: &str) -> Name {
        Name {
            given: given.trim().to_string(),
            family: family.trim().to_string(),
            suffix: String::new(),
            family_first: false,
        }
    }

    /// Explicit parts of the name `full`, noting whether `full` puts the family name first
    /// ("Xi Jinping" with family "Xi").
    pub fn with_parts(full: &str, given: &str, family: &str) -> Name {
        let mut name = Name::explicit(given, family);
        let full = full.trim();
        name.family_first = !name.given.is_empty()
            && full
                .strip_prefix(name.family.as_str())
                .is_some_and(|rest| rest.starts_with(' '));
        name
    }

    /// "Family, Given, Suffix" always: the form RIS reads (BibTeX's is [`bibtex_name`]'s).
    pub fn sorted(&self) -> String {
        join_nonempty(&[&self.family, &self.given, &self.suffix], ", ")
    }
}

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word.to_lowercase().as_str())
}

fn join_nonempty(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(separator)
}

/// A name as BibTeX reads it. BibTeX splits a list of names at every word "and", so a part
/// holding one ("Task Force on Trade and Security") is braced; a name with no given name (an
/// institution) is braced whole, so that it is not read as "Security, Task Force on…".
fn bibtex_name(name: &Name) -> String {
    if name.given.is_empty() && name.suffix.is_empty() {
        return format!("{{{}}}", bibtex_escape(&name.family));
    }
    let part = |text: &str| {
        let escaped = bibtex_escape(text);
        let has_and = text
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"));
        if has_and {
            format!("{{{escaped}}}")
        } else {
            escaped
        }
    };
    // BibTeX's order: "von Last, Jr, First".
    join_nonempty(
        &[&part(&name.family), &part(&name.suffix), &part(&name.given)],
        ", ",
    )
}

/// What a reference to a brief is made of.
#[derive(Debug, Clone)]
pub struct Work {
    pub title: String,
    pub authors: Vec<Name>,
    pub date: Date,
    /// The site's title: the publishing institution.
    pub publisher: String,
    /// The outlet a reprinted article first appeared in (`originally_published`): the work is
    /// then cited as an article in that periodical, at `url` (the original's address), and
    /// `publisher` is not named.
    pub periodical: Option<String>,
    pub url: String,
    /// A validated DOI, `10.1234/abc`.
    pub doi: Option<String>,
    pub report_number: Option<String>,
    /// The brief's language (`en`, `es`, `fr-CA`): the styles' terms and the files' language.
    pub language: String,
}

/// Checks the shape of a DOI (`10.<registrant>/<suffix>`) and takes off a `https://doi.org/`
/// or `doi:` prefix an editor may have pasted with it.
pub fn normalize_doi(value: &str) -> Result<String, String> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let bare = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find(|p| lower.starts_with(*p))
    .map_or(value, |p| value[p.len()..].trim_start());
    let shaped = bare
        .strip_prefix("10.")
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(registrant, suffix)| {
            !registrant.is_empty()
                && registrant
                    .split('.')
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                && !suffix.is_empty()
        })
        && !bare.contains(char::is_whitespace);
    if shaped {
        Ok(bare.to_string())
    } else {
        Err(format!("`{value}` is not a DOI"))
    }
}

/// Escapes LaTeX's special characters in a BibTeX field value.
pub fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
    out
}

/// A BibTeX entry: `@article` for a reprinted article, else `@techreport` (a report of the
/// site, its institution, with its number when it has one).
pub fn bibtex(work: &Work) -> String {
    let key = cite_key(work);
    let kind = match &work.periodical {
        Some(_) => "article",
        None => "techreport",
    };
    let authors = work
        .authors
        .iter()
        .map(bibtex_name)
        .collect::<Vec<_>>()
        .join(" and ");
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !authors.is_empty() {
        fields.push(("author", format!("{{{authors}}}")));
    }
    // Double braces keep the title's capitals as written.
    fields.push(("title", format!("{{{{{}}}}}", bibtex_escape(&work.title))));
    match &work.periodical {
        Some(periodical) => {
            fields.push(("journal", format!("{{{}}}", bibtex_escape(periodical))));
        }
        None => {
            fields.push((
                "institution",
                format!("{{{}}}", bibtex_escape(&work.publisher)),
            ));
            if let Some(number) = &work.report_number {
                fields.push(("number", format!("{{{}}}", bibtex_escape(number))));
            }
        }
    }
    fields.push(("year", format!("{{{}}}", work.date.year())));
    // BibTeX's month macros (jan, feb…), unbraced: every style then names the month itself.
    fields.push(("month", MONTHS[work.date.month() as usize - 1].to_string()));
    fields.push(("date", format!("{{{}}}", work.date)));
    // url and doi are verbatim fields (url package, biblatex): escaping would corrupt them.
    fields.push(("url", format!("{{{}}}", work.url)));
    if let Some(doi) = &work.doi {
        fields.push(("doi", format!("{{{doi}}}")));
    }
    // biblatex's language of the work (a babel name), which selects hyphenation and terms.
    if let Some(language) = babel_name(&work.language) {
        fields.push(("langid", format!("{{{language}}}")));
    }
    let body: String = fields
        .iter()
        .map(|(name, value)| format!("  {name} = {value},\n"))
        .collect();
    format!("@{kind}{{{key},\n{body}}}\n")
}

/// The babel name biblatex's `langid` takes for a language code, for the common languages.
fn babel_name(code: &str) -> Option<&'static str> {
    let base = code.split(['-', '_']).next().unwrap_or(code);
    Some(match base.to_ascii_lowercase().as_str() {
        "en" => "english",
        "es" => "spanish",
        "fr" => "french",
        "de" => "ngerman",
        "pt" => "portuguese",
        "it" => "italian",
        "nl" => "dutch",
        "ru" => "russian",
        "pl" => "polish",
        "sv" => "swedish",
        "tr" => "turkish",
        "uk" => "ukrainian",
        _ => return None,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `panda2023nuclear`: first author's family name, year, first long word of the title.
fn cite_key(work: &Work) -> String {
    let family = work
        .authors
        .first()
        .map(|n| slug::slugify(&n.family).replace('-', ""))
        .unwrap_or_default();
    let word = slug::slugify(&work.title)
        .split('-')
        .find(|w| w.len() > 3)
        .unwrap_or("brief")
        .to_string();
    format!("{family}{}{word}", work.date.year())
}

/// A RIS record (type RPRT, or MGZN for a reprinted article), with CRLF line ends as the RIS
/// specification writes them.
pub fn ris(work: &Work) -> String {
    let kind = if work.periodical.is_some() {
        "MGZN"
    } else {
        "RPRT"
    };
    let mut lines: Vec<(&str, String)> = vec![("TY", kind.into())];
    for author in &work.authors {
        lines.push(("AU", author.sorted()));
    }
    lines.push(("TI", work.title.clone()));
    lines.push(("PY", work.date.year().to_string()));
    lines.push(("DA", work.date.strftime("%Y/%m/%d").to_string()));
    match &work.periodical {
        // T2 is the periodical's title for a magazine article.
        Some(periodical) => lines.push(("T2", periodical.clone())),
        None => lines.push(("PB", work.publisher.clone())),
    }
    if let Some(number) = work
        .report_number
        .as_ref()
        .filter(|_| work.periodical.is_none())
    {
        // SN is a report's number (VL would be read as a volume).
        lines.push(("SN", number.clone()));
    }
    lines.push(("LA", work.language.clone()));
    lines.push(("UR", work.url.clone()));
    if let Some(doi) = &work.doi {
        lines.push(("DO", doi.clone()));
    }
    lines.push(("ER", String::new()));
    lines
        .iter()
        // A value must stay on its tag's line.
        .map(|(tag, value)| format!("{tag}  - {}\r\n", value.replace(['\r', '\n'], " ")))
        .collect()
}

mod styled;
pub use styled::{Styled, styled};

#[cfg(test)]
mod tests;
