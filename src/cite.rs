//! "Cite this brief": a brief's reference in Chicago, APA and MLA style (as HTML), and as
//! BibTeX and RIS files. Pure functions from a [`Work`] to text; no I/O.
//!
//! No crate does this for us: citeproc-rs is unmaintained and would need CSL style files and
//! a JavaScript-free CSL engine far larger than these three fixed formats.

use jiff::civil::Date;
use pulldown_cmark_escape::escape_html;

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

    /// Reading order, e.g. "Charles de Gaulle", "Martin Luther King, Jr.", "Xi Jinping".
    fn natural(&self) -> String {
        if self.family_first {
            return join_nonempty(&[&self.family, &self.given], " ");
        }
        let mut out = join_nonempty(&[&self.given, &self.family], " ");
        if !self.suffix.is_empty() {
            out.push_str(&format!(", {}", self.suffix));
        }
        out
    }

    /// "Family, Given, Suffix" order, e.g. "de Gaulle, Charles"; a family-first name stays
    /// as it is written ("Xi Jinping").
    fn inverted(&self) -> String {
        if self.family_first {
            return self.natural();
        }
        self.sorted()
    }

    /// "Family, Given, Suffix" always: the form BibTeX and RIS read.
    fn sorted(&self) -> String {
        join_nonempty(&[&self.family, &self.given, &self.suffix], ", ")
    }

    /// APA's "Family, G. M., Suffix".
    fn apa(&self) -> String {
        join_nonempty(&[&self.family, &initials(&self.given), &self.suffix], ", ")
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

/// "Martin Luther" -> "M. L.", "Jean-Paul" -> "J.-P.", "J. R." stays "J. R.".
fn initials(given: &str) -> String {
    given
        .split_whitespace()
        .map(|word| {
            word.split('-')
                .filter_map(|part| part.chars().next())
                .map(|c| format!("{c}."))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
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
}

impl Work {
    /// Where the reference points: the DOI as a link when there is one, else the page.
    fn link(&self) -> String {
        match &self.doi {
            Some(doi) => format!("https://doi.org/{doi}"),
            None => self.url.clone(),
        }
    }
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

fn esc(text: &str) -> String {
    let mut out = String::new();
    escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// `text` with a closing period, unless it already ends in one (or in "?" or "!"), so that
/// "Jr." or a title ending in a question takes no second mark.
fn period(text: &str) -> String {
    let text = text.trim_end();
    match text.chars().last() {
        Some('.' | '?' | '!') => text.to_string(),
        _ => format!("{text}."),
    }
}

/// A title in italics followed by a period (none after a title ending in "?" or "!").
fn italic_title(title: &str) -> String {
    let title = title.trim();
    match title.chars().last() {
        Some('.' | '?' | '!') => format!("<i>{}</i>", esc(title)),
        _ => format!("<i>{}</i>.", esc(title)),
    }
}

/// An article title in curly quotes with its period inside them (none after "?" or "!").
fn quoted_title(title: &str) -> String {
    format!("\u{201C}{}\u{201D}", esc(&period(title.trim())))
}

/// "A", "A and B", "A, B, and C": the Chicago and MLA list, first name inverted.
fn list_inverted_first(names: &[&Name]) -> String {
    let parts: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| if i == 0 { n.inverted() } else { n.natural() })
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        // The comma closes an inverted first name; "Xi Jinping and B" needs none.
        [first, second] if names[0].family_first => format!("{first} and {second}"),
        [first, second] => format!("{first}, and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// Chicago (17th ed.) bibliography entry for a report: up to ten authors are listed; more
/// than ten, the first seven and "et al.".
pub fn chicago(work: &Work) -> String {
    let authors: Vec<&Name> = work.authors.iter().collect();
    let date = work.date.strftime("%B %-d, %Y").to_string();
    let listed = if authors.len() > 10 {
        let first_seven: Vec<String> = authors[..7]
            .iter()
            .enumerate()
            .map(|(i, n)| if i == 0 { n.inverted() } else { n.natural() })
            .collect();
        format!("{}, et al.", first_seven.join(", "))
    } else {
        list_inverted_first(&authors)
    };
    let mut out = String::new();
    if !listed.is_empty() {
        out.push_str(&esc(&period(&listed)));
        out.push(' ');
    }
    // A magazine or newspaper article: "Title." in quotes, then the periodical in italics.
    if let Some(periodical) = &work.periodical {
        out.push_str(&format!(
            "{} <i>{}</i>, {date}. {}.",
            quoted_title(&work.title),
            esc(periodical),
            esc(&work.link())
        ));
        return out;
    }
    out.push_str(&italic_title(&work.title));
    if let Some(number) = &work.report_number {
        out.push_str(&format!(
            " {}",
            esc(&period(&format!("Report no. {number}")))
        ));
    }
    out.push_str(&format!(
        " {}, {date}. {}.",
        esc(&work.publisher),
        esc(&work.link())
    ));
    out
}

/// APA (7th ed.) reference for a report: up to twenty authors joined with "&"; more than
/// twenty, the first nineteen, ". . .", and the last.
pub fn apa(work: &Work) -> String {
    let names: Vec<String> = work.authors.iter().map(Name::apa).collect();
    let listed = match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first}, & {second}"),
        all if all.len() > 20 => format!("{}, . . . {}", all[..19].join(", "), all[all.len() - 1]),
        [rest @ .., last] => format!("{}, & {last}", rest.join(", ")),
    };
    let date = work.date.strftime("%Y, %B %-d").to_string();
    let mut out = String::new();
    if !listed.is_empty() {
        out.push_str(&esc(&period(&listed)));
        out.push(' ');
    }
    out.push_str(&format!("({date}). "));
    // An article: its title in plain text, then the periodical in italics.
    if let Some(periodical) = &work.periodical {
        out.push_str(&format!(
            "{} <i>{}</i>. {}",
            esc(&period(work.title.trim())),
            esc(periodical.trim_end_matches('.')),
            esc(&work.link())
        ));
        return out;
    }
    match &work.report_number {
        // The report number goes between the title and its period, in parentheses.
        Some(number) => out.push_str(&format!(
            "<i>{}</i> (Report No. {}).",
            esc(work.title.trim_end_matches('.')),
            esc(number)
        )),
        None => out.push_str(&italic_title(&work.title)),
    }
    // APA puts no period after the DOI or URL.
    out.push_str(&format!(
        " {}. {}",
        esc(work.publisher.trim_end_matches('.')),
        esc(&work.link())
    ));
    out
}

/// MLA (9th ed.) works-cited entry: one author, two with "and", three or more as the first
/// and "et al.".
pub fn mla(work: &Work) -> String {
    let listed = match work.authors.as_slice() {
        [] => String::new(),
        [one] => one.inverted(),
        [first, second] => list_inverted_first(&[first, second]),
        [first, ..] => format!("{}, et al.", first.inverted()),
    };
    let mut out = String::new();
    if !listed.is_empty() {
        out.push_str(&esc(&period(&listed)));
        out.push(' ');
    }
    match &work.periodical {
        // An article: "Title." in quotes, the periodical in italics as the container.
        Some(periodical) => out.push_str(&format!(
            "{} <i>{}</i>, ",
            quoted_title(&work.title),
            esc(periodical)
        )),
        None => {
            out.push_str(&italic_title(&work.title));
            out.push(' ');
            if let Some(number) = &work.report_number {
                out.push_str(&format!("Report no. {}, ", esc(number)));
            }
            out.push_str(&format!("{}, ", esc(&work.publisher)));
        }
    }
    let location = match &work.doi {
        Some(_) => work.link(),
        // MLA 9 recommends leaving out the protocol of a URL.
        None => {
            let url = &work.url;
            url.strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .unwrap_or(url)
                .to_string()
        }
    };
    out.push_str(&format!("{}, {}.", mla_date(work.date), esc(&location)));
    out
}

/// "15 Sept. 2023": MLA abbreviates months longer than four letters.
fn mla_date(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month() as usize - 1],
        date.year()
    )
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

/// A BibTeX entry: `@article` for a reprinted article, `@techreport` when the brief has a
/// report number, else `@misc`.
pub fn bibtex(work: &Work) -> String {
    let key = cite_key(work);
    let kind = match (&work.periodical, &work.report_number) {
        (Some(_), _) => "article",
        (None, Some(_)) => "techreport",
        (None, None) => "misc",
    };
    let authors = work
        .authors
        .iter()
        .map(|n| bibtex_escape(&n.sorted()))
        .collect::<Vec<_>>()
        .join(" and ");
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !authors.is_empty() {
        fields.push(("author", format!("{{{authors}}}")));
    }
    // Double braces keep the title's capitals as written.
    fields.push(("title", format!("{{{{{}}}}}", bibtex_escape(&work.title))));
    match (&work.periodical, &work.report_number) {
        (Some(periodical), _) => {
            fields.push(("journal", format!("{{{}}}", bibtex_escape(periodical))));
        }
        (None, Some(number)) => {
            fields.push((
                "institution",
                format!("{{{}}}", bibtex_escape(&work.publisher)),
            ));
            fields.push(("number", format!("{{{}}}", bibtex_escape(number))));
        }
        (None, None) => fields.push((
            "howpublished",
            format!("{{{}}}", bibtex_escape(&work.publisher)),
        )),
    }
    fields.push(("year", format!("{{{}}}", work.date.year())));
    fields.push(("month", format!("{{{}}}", work.date.month())));
    fields.push(("date", format!("{{{}}}", work.date)));
    // url and doi are verbatim fields (url package, biblatex): escaping would corrupt them.
    fields.push(("url", format!("{{{}}}", work.url)));
    if let Some(doi) = &work.doi {
        fields.push(("doi", format!("{{{doi}}}")));
    }
    let body: String = fields
        .iter()
        .map(|(name, value)| format!("  {name} = {value},\n"))
        .collect();
    format!("@{kind}{{{key},\n{body}}}\n")
}

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
        // In the RIS specification, VL of a report is its report number.
        lines.push(("VL", number.clone()));
    }
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

#[cfg(test)]
mod tests;
