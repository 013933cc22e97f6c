//! Bibliographies: the works a site and its briefs cite, read from BibTeX/BibLaTeX or Hayagriva
//! YAML files, and formatted in a CSL citation style by hayagriva.
//!
//! - the site's works come from config.toml's `bibliography` (one file or a list) and are read
//!   once; a brief adds its own from front matter `bibliography` and a `references.bib` in its
//!   bundle folder ([`Works`] looks a key up in the brief's works first);
//! - the style is config's `citation_style`: a name from [`STYLES`] or the path of a `.csl`
//!   file in the site; the style is decoded once, when a brief first cites (a site without
//!   citations never pays for it), and hayagriva's locales once per language ([`locales`]);
//! - [`Works`] is the [`Engine`] the Markdown citation pass formats with, in the brief's language.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style, StyleClass};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose,
    ElemChildren, Entry, Library, LocatorPayload, SpecificLocator,
};

use crate::error::{Diagnostic, Kind, Location, did_you_mean, line_col};
use crate::markdown::citations::{Citation, CitationText, Engine, Formatted};

mod html;
mod locales;
mod ranking;
mod shared;
mod shared_format;
pub(crate) use shared::references_of;

pub use html::html;
use html::{capitalized, escaped, without_names};

/// The styles known by name, and the name config.toml uses for each.
pub const STYLES: &[(&str, ArchivedStyle)] = &[
    ("chicago-notes", ArchivedStyle::ChicagoNotes),
    ("chicago-author-date", ArchivedStyle::ChicagoAuthorDate),
    ("apa", ArchivedStyle::AmericanPsychologicalAssociation),
    ("mla", ArchivedStyle::ModernLanguageAssociation),
    ("harvard", ArchivedStyle::HarvardCiteThemRight),
];

/// The style when config.toml names none.
pub const DEFAULT_STYLE: &str = "chicago-notes";

/// A bibliography a brief's bundle folder may hold, read without being named.
pub const BUNDLE_FILE: &str = "references.bib";

/// Where a citation style comes from.
#[derive(Debug, Clone)]
enum StyleSource {
    Archived(ArchivedStyle),
    /// A `.csl` file of the site, parsed when config.toml was read.
    File(Box<IndependentStyle>),
}

/// The site-wide half of citing: the style and the works of config.toml's `bibliography`.
#[derive(Debug)]
pub struct Citations {
    pub library: Library,
    source: StyleSource,
    style: OnceLock<IndependentStyle>,
    locales: locales::Locales,
    /// Formatting shared between the briefs of one build.
    memo: shared::Memo,
    reference_styles: OnceLock<[IndependentStyle; 3]>,
}

impl Default for Citations {
    fn default() -> Self {
        Citations::new(
            Library::new(),
            StyleSource::Archived(ArchivedStyle::ChicagoNotes),
        )
    }
}

impl Citations {
    fn new(library: Library, source: StyleSource) -> Self {
        Citations {
            library,
            source,
            style: OnceLock::new(),
            locales: locales::Locales::default(),
            memo: shared::Memo::default(),
            reference_styles: OnceLock::new(),
        }
    }

    /// The style, decoded on first use.
    pub fn style(&self) -> &IndependentStyle {
        self.style.get_or_init(|| match &self.source {
            StyleSource::File(style) => (**style).clone(),
            StyleSource::Archived(archived) => match archived.get() {
                Style::Independent(style) => style,
                // Every style of `STYLES` is independent.
                Style::Dependent(_) => unreachable!("archived styles in STYLES are independent"),
            },
        })
    }

    /// The hayagriva locales a formatting in `language` reads, decoded on first use.
    pub fn locales(&self, language: &LocaleCode) -> Arc<[Locale]> {
        self.locales.for_language(language)
    }

    /// Chicago, APA and MLA for "Cite this brief" ([`crate::cite::styled`]), decoded on first
    /// use, with empty citation layouts: only their references lists are formatted.
    pub fn reference_styles(&self) -> &[IndependentStyle; 3] {
        self.reference_styles.get_or_init(|| {
            [
                ArchivedStyle::ChicagoNotes,
                ArchivedStyle::AmericanPsychologicalAssociation,
                ArchivedStyle::ModernLanguageAssociation,
            ]
            .map(|archived| {
                let mut style = match archived.get() {
                    Style::Independent(style) => style,
                    Style::Dependent(_) => unreachable!("these archived styles are independent"),
                };
                style.citation.layout.elements.clear();
                style
            })
        })
    }

    /// Whether the style puts citations in notes (Chicago notes) rather than in the text.
    pub fn is_note_style(&self) -> bool {
        self.style().settings.class == StyleClass::Note
    }
}

/// What config.toml says about citing, as written.
pub struct SiteSettings<'a> {
    /// Paths relative to the site root, with their key in config.toml (`bibliography[1]`).
    pub files: Vec<(String, String)>,
    pub style: Option<&'a str>,
}

/// Reads the site's bibliography files and style; every problem is reported, each pointing at
/// its file or at the config.toml line that asks for it.
pub fn load_site(
    root: &Path,
    settings: &SiteSettings,
    key_location: &dyn Fn(&str) -> Location,
) -> Result<Citations, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let source = match style_source(root, settings.style) {
        Ok(source) => source,
        Err(problem) => {
            errors.push(
                Diagnostic::new(Kind::Config, problem.0)
                    .at(key_location("citation_style"))
                    .help(problem.1),
            );
            StyleSource::Archived(ArchivedStyle::ChicagoNotes)
        }
    };
    let mut library = Library::new();
    for (file, key) in &settings.files {
        match read_file(root, Path::new(file), &key_location(key)) {
            Ok(works) => merge(&mut library, works),
            Err(problems) => errors.extend(problems),
        }
    }
    if errors.is_empty() {
        Ok(Citations::new(library, source))
    } else {
        Err(errors)
    }
}

/// The style config.toml names, or (what is wrong, what to do).
fn style_source(root: &Path, name: Option<&str>) -> Result<StyleSource, (String, String)> {
    let name = name.unwrap_or(DEFAULT_STYLE);
    if let Some((_, archived)) = STYLES.iter().find(|(n, _)| *n == name) {
        return Ok(StyleSource::Archived(*archived));
    }
    let names = STYLES
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join("\", \"");
    if !name.ends_with(".csl") {
        let close = did_you_mean(name, STYLES.iter().map(|(n, _)| *n))
            .map(|c| format!("did you mean \"{c}\"? "))
            .unwrap_or_default();
        return Err((
            format!("citation_style `{name}` is not a style brief knows"),
            format!("{close}write one of \"{names}\", or the path of a .csl file in the site"),
        ));
    }
    let path = root.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        (
            format!("citation_style `{name}` cannot be read: {e}"),
            "give the path of a .csl file from the site's folder, e.g. citation_style = \"styles/house.csl\"".to_string(),
        )
    })?;
    match Style::from_xml(&text) {
        Ok(Style::Independent(style)) => Ok(StyleSource::File(Box::new(style))),
        Ok(Style::Dependent(_)) => Err((
            format!("citation_style `{name}` is a dependent style, which only points to another"),
            "use the independent style it names (its <link rel=\"independent-parent\">)"
                .to_string(),
        )),
        Err(e) => Err((
            format!("citation_style `{name}` is not a valid CSL style: {e}"),
            "check the file against the CSL 1.0.2 specification, or use one of the named styles"
                .to_string(),
        )),
    }
}

/// Adds `works` to `library`; a key already there keeps its first entry.
fn merge(library: &mut Library, works: Library) {
    for entry in works.iter() {
        if library.get(entry.key()).is_none() {
            library.push(entry);
        }
    }
}

/// Reads one bibliography file, `path` relative to `root`; `asked_at` is the line that names it.
pub fn read_file(
    root: &Path,
    path: &Path,
    asked_at: &Location,
) -> Result<Library, Vec<Diagnostic>> {
    let rel = path.to_path_buf();
    let text = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => text,
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "does not exist".to_string(),
                _ => format!("cannot be read: {e}"),
            };
            return Err(vec![
                Diagnostic::new(
                    Kind::MissingFile,
                    format!("bibliography `{}` {why}", rel.display()),
                )
                .at(asked_at.clone())
                .help("give the path of a .bib or .yml file; in config.toml from the site's folder, in front matter from the brief's folder"),
            ]);
        }
    };
    parse(&text, &rel)
}

/// The line of the field whose `{` is left open, and its entry's key, when the parser's error
/// at `at` is that: it reads on into the next entry and fails at its `@` line, which is not
/// where the mistake is. That is so when the entry before never closes: counting braces from
/// its `@type{key,` line (and leaving out a line of a lone `}`, its end), the field is the
/// line where more are open than one and stay so.
fn unclosed_brace(text: &str, at: usize) -> Option<(usize, String)> {
    let before = text.get(..at)?;
    let error_line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let error_line = text[error_line_start..].lines().next().unwrap_or("");
    if !error_line.trim_start().starts_with('@') {
        return None;
    }
    let entry_start = before[..error_line_start]
        .rmatch_indices("\n@")
        .map(|(i, _)| i + 1)
        .next()
        .or_else(|| before.starts_with('@').then_some(0))?;
    let entry = &before[entry_start..error_line_start];
    let balance = |s: &str| s.matches('{').count() as i64 - s.matches('}').count() as i64;
    if balance(entry) <= 0 {
        return None;
    }
    let key = entry
        .split_once('{')
        .and_then(|(_, rest)| rest.split(',').next())
        .map(|k| k.trim().to_string())?;
    let first_line = text[..entry_start].matches('\n').count() + 1;
    let mut lines = entry.lines().enumerate();
    let mut depth = lines.next().map_or(0, |(_, header)| balance(header));
    let mut open_at = None;
    for (n, line) in lines {
        if line.trim() == "}" {
            continue;
        }
        let was = depth;
        depth += balance(line);
        if was <= 1 && depth > 1 {
            open_at = Some(first_line + n);
        } else if depth <= 1 {
            open_at = None;
        }
    }
    open_at.map(|line| (line, key))
}

/// Parses a bibliography by its extension: `.bib` is BibTeX/BibLaTeX, `.yml`/`.yaml` Hayagriva.
pub fn parse(text: &str, rel: &Path) -> Result<Library, Vec<Diagnostic>> {
    let extension = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "bib" => hayagriva::io::from_biblatex_str(text).map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    let (span, what) = match e {
                        hayagriva::io::BibLaTeXError::Parse(e) => (e.span.clone(), e.kind.to_string()),
                        hayagriva::io::BibLaTeXError::Type(e) => (e.span.clone(), e.kind.to_string()),
                    };
                    if let Some((line, key)) = unclosed_brace(text, span.start) {
                        return Diagnostic::new(
                            Kind::Bibliography,
                            format!("bibliography is not valid BibTeX: a `{{` in entry `{key}` is not closed on its line"),
                        )
                        .at(Location::at(rel, line, 1))
                        .help("close it with `}`: title = {The Title},");
                    }
                    let (line, column) = line_col(text, span.start);
                    Diagnostic::new(Kind::Bibliography, format!("bibliography is not valid BibTeX: {what}"))
                        .at(Location::at(rel, line, column))
                        .help("an entry looks like @book{key, author = {Last, First}, title = {Title}, year = {2020}}")
                })
                .collect()
        }),
        "yml" | "yaml" => hayagriva::io::from_yaml_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            vec![
                Diagnostic::new(Kind::Bibliography, format!("bibliography is not valid Hayagriva YAML: {e}"))
                    .at(Location::at(rel, line, column))
                    .help("each entry is a key with a `type`, `title`, `author`… see https://github.com/typst/hayagriva/blob/main/docs/file-format.md"),
            ]
        }),
        _ => Err(vec![
            Diagnostic::new(
                Kind::Bibliography,
                format!("bibliography `{}` is neither a .bib nor a .yml file", rel.display()),
            )
            .in_file(rel)
            .help("export the library from Zotero or Mendeley as BibTeX (.bib), or write Hayagriva YAML (.yml)"),
        ]),
    }
}

/// The works one brief can cite: its own, then the site's; the [`Engine`] it renders with.
pub struct Works<'a> {
    pub site: &'a Citations,
    pub own: Library,
    /// `nocite`: keys listed without being cited, `*` for every work.
    pub nocite: Vec<String>,
    /// The brief's language (`es`, `fr-CA`).
    pub language: String,
}

impl Works<'_> {
    fn get(&self, key: &str) -> Option<&Entry> {
        self.own.get(key).or_else(|| self.site.library.get(key))
    }

    /// Whether there is anything to cite (else the citation pass is not run at all).
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.site.library.is_empty()
    }

    /// The key closest to a mistyped one.
    pub fn suggest(&self, key: &str) -> Option<String> {
        did_you_mean(key, self.own.keys().chain(self.site.library.keys())).map(str::to_string)
    }

    fn locale(&self) -> LocaleCode {
        LocaleCode(locale_code(&self.language))
    }

    /// Every work of the brief and the site, own works first.
    fn all(&self) -> impl Iterator<Item = &Entry> {
        self.own.iter().chain(
            self.site
                .library
                .iter()
                .filter(|e| self.own.get(e.key()).is_none()),
        )
    }

    /// The works cited in the order of the references list, for machine-readable metadata.
    pub fn entries<'k>(&self, keys: &'k [String]) -> Vec<(&'k str, &Entry)> {
        keys.iter()
            .filter_map(|k| self.get(k).map(|e| (k.as_str(), e)))
            .collect()
    }
}

impl Works<'_> {
    /// Errors for citations of keys in no bibliography, at the `@` of each, with the closest key.
    pub fn unknown_keys(
        &self,
        unknown: &[crate::markdown::citations::Unknown],
        rel: &Path,
        body: &str,
        body_line: usize,
    ) -> Vec<Diagnostic> {
        unknown
            .iter()
            .map(|u| {
                let (line, column) = line_col(body, u.offset);
                let close = self
                    .suggest(&u.key)
                    .map(|c| format!("did you mean `@{c}`? "))
                    .unwrap_or_default();
                Diagnostic::new(
                    Kind::Markdown,
                    format!("citation `@{}` names no work of the bibliography", u.key),
                )
                .at(Location::at(rel, body_line + line - 1, column))
                .help(format!(
                    "{close}add the work to the bibliography, fix the key, or write `\\@` for an at sign that is not a citation"
                ))
            })
            .collect()
    }

    /// What metadata says of each work cited, in order of first citation.
    pub fn cited(&self, keys: &[String]) -> Vec<Cited> {
        keys.iter()
            .filter_map(|k| self.get(k))
            .map(Cited::from_entry)
            .collect()
    }
}

/// A work cited, as Google Scholar's `citation_reference` and JSON-LD `citation` describe it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cited {
    pub title: String,
    pub authors: Vec<CitedAuthor>,
    pub year: Option<i32>,
    /// The journal, book or site the work is part of.
    pub container: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
}

/// An author of a work cited.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CitedAuthor {
    /// "Last, First" as Google Scholar reads them.
    pub name: String,
    /// An institution ("World Bank"): a name with no given name, as BibTeX reads one braced
    /// whole, `{{World Bank}}` (the rule `cite::bibtex_name` writes by).
    pub organization: bool,
}

impl Cited {
    fn from_entry(entry: &Entry) -> Cited {
        let title = entry.title().map(|t| t.to_string()).unwrap_or_default();
        let authors = entry
            .authors()
            .unwrap_or_default()
            .iter()
            .map(|p| CitedAuthor {
                name: p.name_first(false, true),
                organization: p.given_name.is_none(),
            })
            .collect();
        let container = entry
            .parents()
            .first()
            .and_then(|p| p.title())
            .map(|t| t.to_string());
        Cited {
            title,
            authors,
            year: entry.date_any().map(|d| d.year),
            container,
            doi: entry.keyed_serial_number("doi").map(str::to_string),
            url: entry.url_any().map(|u| u.value.to_string()),
        }
    }

    /// The `content` of a `<meta name="citation_reference">`: `key=value` pairs joined by `; `.
    pub fn scholar(&self) -> String {
        // The fields are joined by "; " and nothing escapes one inside a value, so a title's
        // own semicolon ("Final Report; Annex 5") becomes a comma, or it would end the title.
        let field = |name: &str, value: &str| format!("{name}={}", value.replace(';', ","));
        let mut parts = vec![field("citation_title", &self.title)];
        for author in &self.authors {
            parts.push(field("citation_author", &author.name));
        }
        if let Some(year) = self.year {
            parts.push(format!("citation_publication_date={year}"));
        }
        if let Some(container) = &self.container {
            parts.push(field("citation_journal_title", container));
        }
        if let Some(doi) = &self.doi {
            parts.push(field("citation_doi", doi));
        }
        parts.join("; ")
    }
}

/// hayagriva's locales are per region; a bare language takes its main region's.
pub(crate) fn locale_code(language: &str) -> String {
    match language {
        "en" => "en-US",
        "es" => "es-ES",
        "fr" => "fr-FR",
        "de" => "de-DE",
        "pt" => "pt-PT",
        "it" => "it-IT",
        "nl" => "nl-NL",
        "ja" => "ja-JP",
        "zh" => "zh-CN",
        "ru" => "ru-RU",
        "ar" => "ar",
        other => other,
    }
    .to_string()
}

/// One citation hayagriva formats: its works, and its note's number in a note style.
struct Planned<'c> {
    items: Vec<PlannedItem<'c>>,
    note_number: Option<usize>,
}

struct PlannedItem<'c> {
    entry: &'c Entry,
    /// What follows the key, of which hayagriva formats the locator.
    suffix: &'c str,
    purpose: Option<CitePurpose>,
    /// A `nocite` work: in the references list, not in the text.
    hidden: bool,
    /// `[-@key]` in a note style: the note leaves out the author's name.
    no_author: bool,
}

impl Planned<'_> {
    /// A formatted citation as HTML, without the author's name for `[-@key]` in a note.
    fn html(&self, citation: &ElemChildren) -> String {
        if self.items.iter().any(|i| i.no_author) {
            html(&without_names(citation))
        } else {
            html(citation)
        }
    }
}

impl PlannedItem<'_> {
    fn citation_item(&self) -> CitationItem<'_, Entry> {
        CitationItem::new(
            self.entry,
            locator(self.suffix),
            None,
            self.hidden,
            self.purpose,
        )
    }
}

impl Engine for Works<'_> {
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn format(&self, citations: &[Citation]) -> Formatted {
        let localized = self.localized(citations);
        let citations = localized.as_deref().unwrap_or(citations);
        let style = self.site.style();
        let locales = self.site.locales(&self.locale());
        let locales = &*locales;
        let note_style = self.site.is_note_style();
        let layout = &style.citation.layout;
        let (planned, plans) = self.plan(citations);
        let (texts, references) = self
            .format_shared(&planned)
            .unwrap_or_else(|| self.format_whole(&planned));
        let pull = html::punctuation_in_quote(style, locales, &self.locale());
        let pulled = |text: String| {
            if pull {
                html::punctuation_into_quotes(&text)
            } else {
                text
            }
        };
        let mut out = Vec::with_capacity(citations.len());
        for (citation, pieces) in citations.iter().zip(plans) {
            let direct = pieces.len() == 1 && citation.cites.iter().all(|c| c.is_plain());
            let text = if direct {
                texts.get(pieces[0]).cloned().unwrap_or_default()
            } else {
                assemble(citation, &pieces, &texts, layout, note_style)
            };
            let text = pulled(text);
            out.push(if note_style {
                CitationText {
                    inline: if citation.narrative {
                        self.author(&citation.cites[0].key, style, locales)
                    } else {
                        String::new()
                    },
                    // A note of its own starts a sentence; one inside the brief's own note
                    // is in the writer's sentence.
                    note: Some(if citation.in_note {
                        text
                    } else {
                        capitalized(&text)
                    }),
                }
            } else {
                CitationText {
                    inline: text,
                    note: None,
                }
            });
        }
        Formatted {
            texts: out,
            references: references.into_iter().map(pulled).collect(),
        }
    }
}

impl<'c> Works<'c> {
    /// The citations hayagriva formats for `citations` (a citation with prefixes or suffixes
    /// is formatted work by work, then assembled), the `nocite` works last; and for each
    /// citation, the indexes of its pieces.
    fn plan(&'c self, citations: &'c [Citation]) -> (Vec<Planned<'c>>, Vec<Vec<usize>>) {
        let note_style = self.site.is_note_style();
        let mut planned = Vec::new();
        let mut plans = Vec::with_capacity(citations.len());
        let mut notes_made = 0;
        for citation in citations {
            let note_number = (note_style && !citation.in_note).then(|| {
                notes_made += 1;
                citation.notes_before + notes_made
            });
            let item = |cite: &'c crate::markdown::citations::Cite, purpose| {
                self.get(&cite.key).map(|entry| PlannedItem {
                    entry,
                    suffix: &cite.suffix,
                    purpose,
                    hidden: false,
                    no_author: note_style && cite.suppress_author,
                })
            };
            let plain = citation.cites.iter().all(|c| c.is_plain());
            let mut pieces = Vec::new();
            if plain && !citation.narrative {
                pieces.push(planned.len());
                planned.push(Planned {
                    items: citation
                        .cites
                        .iter()
                        .filter_map(|c| item(c, None))
                        .collect(),
                    note_number,
                });
            } else {
                for cite in &citation.cites {
                    let purpose = (citation.narrative && !note_style).then_some(CitePurpose::Prose);
                    pieces.push(planned.len());
                    planned.push(Planned {
                        items: item(cite, purpose).into_iter().collect(),
                        note_number,
                    });
                }
            }
            plans.push(pieces);
        }
        for entry in self.uncited() {
            planned.push(Planned {
                items: vec![PlannedItem {
                    entry,
                    suffix: "",
                    purpose: None,
                    hidden: true,
                    no_author: false,
                }],
                note_number: None,
            });
        }
        (planned, plans)
    }

    /// Formats the whole document with hayagriva: each citation's HTML, and the references.
    fn format_whole(&self, planned: &[Planned]) -> (Vec<String>, Vec<String>) {
        let style = self.site.style();
        let locales = self.site.locales(&self.locale());
        let locales = &*locales;
        let mut driver = BibliographyDriver::new();
        for request in planned {
            driver.citation(CitationRequest::new(
                request
                    .items
                    .iter()
                    .map(PlannedItem::citation_item)
                    .collect(),
                style,
                Some(self.locale()),
                locales,
                request.note_number,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(
            style,
            Some(self.locale()),
            locales,
        ));
        let texts = rendered
            .citations
            .iter()
            .zip(planned)
            .map(|(c, request)| request.html(&c.citation))
            .collect();
        let references = rendered
            .bibliography
            .map(|b| b.items.iter().map(|item| html(&item.content)).collect())
            .unwrap_or_default();
        (texts, references)
    }
}

impl crate::markdown::citations::Cite {
    /// The suffix when it is more than a locator hayagriva formats itself.
    fn suffix_text(&self) -> Option<&str> {
        (!self.suffix.is_empty() && locator(&self.suffix).is_none()).then_some(self.suffix.as_str())
    }

    fn is_plain(&self) -> bool {
        self.prefix.is_empty() && self.suffix_text().is_none() && !self.suppress_author
    }
}

impl Works<'_> {
    /// `citations` with locators written with the brief's language's labels ("S. 33" in
    /// German, as the style's locale spells them) rewritten to the labels [`locator`] reads;
    /// `None` when there are none.
    fn localized(&self, citations: &[Citation]) -> Option<Vec<Citation>> {
        let code = self.locale();
        if code.0.starts_with("en") {
            return None;
        }
        let locales = self.site.locales(&code);
        let locale = locales.iter().find(|l| l.lang.as_ref() == Some(&code))?;
        let terms = &locale.terms.as_ref()?.terms;
        let rewrite = |suffix: &str| -> Option<String> {
            if suffix.is_empty() || locator(suffix).is_some() {
                return None;
            }
            let (label, rest) = suffix.trim().split_once(' ')?;
            let kind = terms.iter().find_map(|term| match term.name {
                hayagriva::citationberg::taxonomy::Term::Locator(kind)
                    if term.single() == Some(label) || term.multiple() == Some(label) =>
                {
                    Some(kind)
                }
                _ => None,
            })?;
            let (english, _) = LABELS.iter().find(|(_, k)| *k == kind)?;
            let written = format!("{english} {rest}");
            locator(&written).is_some().then_some(written)
        };
        let mut changed = false;
        let out = citations
            .iter()
            .map(|citation| {
                let mut citation = citation.clone();
                for cite in &mut citation.cites {
                    if let Some(suffix) = rewrite(&cite.suffix) {
                        cite.suffix = suffix;
                        changed = true;
                    }
                }
                citation
            })
            .collect();
        changed.then_some(out)
    }

    /// Works listed in `nocite` that no citation names (all of them for `*`).
    fn uncited(&self) -> Vec<&Entry> {
        if self.nocite.iter().any(|k| k == "*") {
            return self.all().collect();
        }
        self.nocite.iter().filter_map(|k| self.get(k)).collect()
    }

    /// The author of a work as the style names them in the text (a narrative citation in a
    /// note style), rendered on its own so that it does not count as a citation of the work.
    fn author(&self, key: &str, style: &IndependentStyle, locales: &[Locale]) -> String {
        let Some(entry) = self.get(key) else {
            return String::new();
        };
        if self.own.get(key).is_some() {
            return self.author_of(entry, style, locales);
        }
        let made = || self.author_of(entry, style, locales);
        (*self.site.memo.author(entry, &self.locale(), made)).clone()
    }

    fn author_of(&self, entry: &Entry, style: &IndependentStyle, locales: &[Locale]) -> String {
        // In a copy of the style without the brackets and period around a citation: the
        // name alone, "Acemoglu et al." with its period.
        let request = CitationRequest::new(
            vec![CitationItem::new(
                entry,
                None,
                None,
                false,
                Some(CitePurpose::Author),
            )],
            self.site.memo.unaffixed(style),
            Some(self.locale()),
            locales,
            None,
        );
        html(&hayagriva::standalone_citation(request))
            .trim()
            .to_string()
    }
}

/// A citation whose works are formatted one by one (for their prefixes and suffixes): each
/// without the style's brackets, joined by its delimiter, in its brackets again.
fn assemble(
    citation: &Citation,
    pieces: &[usize],
    texts: &[String],
    layout: &hayagriva::citationberg::Layout,
    note_style: bool,
) -> String {
    let open = layout.prefix.as_deref().unwrap_or("");
    let close = layout.suffix.as_deref().unwrap_or("");
    let delimiter = layout.delimiter.as_deref().unwrap_or("; ");
    let mut parts = Vec::new();
    for (cite, &piece) in citation.cites.iter().zip(pieces) {
        let text = texts.get(piece).map(String::as_str).unwrap_or("");
        let mut text = text.strip_prefix(open).unwrap_or(text);
        text = text.strip_suffix(close).unwrap_or(text);
        let mut part = String::new();
        if !cite.prefix.is_empty() {
            part.push_str(&escaped(&cite.prefix));
            part.push(' ');
        }
        if cite.suppress_author && !note_style {
            part.push_str(&without_author(text));
        } else {
            part.push_str(text);
        }
        if let Some(suffix) = cite.suffix_text() {
            part.push_str(", ");
            part.push_str(&escaped(suffix));
        }
        parts.push(part);
    }
    format!("{open}{}{close}", parts.join(delimiter))
}

/// An author-date citation without its author: "Doe 2020, 33" -> "2020, 33".
fn without_author(text: &str) -> String {
    match text.find(|c: char| c.is_ascii_digit()) {
        Some(at) => text[at..].to_string(),
        None => text.to_string(),
    }
}

/// The locator labels read in any language, with the kind of locator each names.
const LABELS: &[(&str, Locator)] = &[
    ("p.", Locator::Page),
    ("pp.", Locator::Page),
    ("page", Locator::Page),
    ("pages", Locator::Page),
    ("chap.", Locator::Chapter),
    ("chapter", Locator::Chapter),
    ("sec.", Locator::Section),
    ("section", Locator::Section),
    ("§", Locator::Section),
    ("§§", Locator::Section),
    ("para.", Locator::Paragraph),
    ("¶", Locator::Paragraph),
    ("vol.", Locator::Volume),
    ("fig.", Locator::Figure),
    ("n.", Locator::Note),
    ("l.", Locator::Line),
    ("col.", Locator::Column),
    ("pt.", Locator::Part),
    ("bk.", Locator::Book),
];

/// A locator hayagriva formats: "p. 33", "pp. 3-5", "chap. 2", "sec. 4", or a bare page number.
fn locator(suffix: &str) -> Option<SpecificLocator<'_>> {
    let suffix = suffix.trim();
    let is_number = |s: &str| {
        !s.is_empty()
            && s.chars().any(|c| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '–' | ',' | ' '))
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c.is_lowercase() && "ivxlc".contains(c))
    };
    if let Some((label, rest)) = suffix.split_once(' ')
        && let Some((_, kind)) = LABELS.iter().find(|(l, _)| *l == label)
        && is_number(rest.trim())
    {
        return Some(SpecificLocator(*kind, LocatorPayload::Str(rest.trim())));
    }
    if suffix
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–'))
        && is_number(suffix)
    {
        return Some(SpecificLocator(Locator::Page, LocatorPayload::Str(suffix)));
    }
    None
}

/// Front matter's `bibliography` and a bundle's references.bib, read for one brief. Paths in
/// front matter are relative to `folder`, the brief's folder (from the site root);
/// `asked_at(i)` is the front-matter line of the `i`th file.
pub fn read_brief_files(
    root: &Path,
    folder: &Path,
    files: &[String],
    bundle: bool,
    asked_at: &dyn Fn(usize) -> Location,
) -> Result<Library, Vec<Diagnostic>> {
    let mut library = Library::new();
    let mut errors = Vec::new();
    let mut paths: Vec<(PathBuf, Location)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (folder.join(f), asked_at(i)))
        .collect();
    let own = folder.join(BUNDLE_FILE);
    if bundle && root.join(&own).is_file() && !paths.iter().any(|(p, _)| *p == own) {
        paths.push((own.clone(), Location::file(own)));
    }
    for (path, at) in paths {
        match read_file(root, &path, &at) {
            Ok(works) => merge(&mut library, works),
            Err(problems) => errors.extend(problems),
        }
    }
    if errors.is_empty() {
        Ok(library)
    } else {
        Err(errors)
    }
}

/// Shared between the site's briefs.
pub type Shared = Arc<Citations>;

#[cfg(test)]
mod tests;
