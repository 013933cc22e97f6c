//! Interface strings and dates in a page's language, from the theme's `i18n/<lang>.toml` files.
//!
//! Each file is a flat table of strings (`contents = "Contents"`), plus `months` (twelve names),
//! `date_format` (`"{day} de {month} de {year}"`), a `number` table (`decimal` and `group`
//! separators) and plural forms as tables of CLDR categories
//! (`briefs_count = { one = "{n} brief", other = "{n} briefs" }`). Templates pick a form with
//! `t(key="briefs_count", n=3)`: the category of `n` in the language comes from the CLDR rules
//! ([`intl_pluralrules`]), so French 0 is singular and Polish has its `few` forms. Every
//! language is merged over English, so a missing key shows in English; [`Catalog::warnings`]
//! names the missing keys, once per language a build uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::content::frontmatter::PubDate;
use crate::error::{Diagnostic, Kind, Location, line_col};
use crate::fsutil::read_text;

/// The language every other falls back to.
pub const FALLBACK: &str = "en";
const MONTHS: &str = "months";
const DATE_FORMAT: &str = "date_format";
const NUMBER: &str = "number";
/// Keys that brief's commands read from the default theme's strings and no template uses
/// (`brief import`'s words): a theme of its own that lacks them is not warned of it.
const NOT_FOR_TEMPLATES: [&str; 1] = ["import_old_site"];
/// The CLDR plural categories a plural table may hold; `other` is required.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One language's strings (English filled in where the file has none) and date format.
#[derive(Debug, Clone, Default)]
pub struct Language {
    pub code: String,
    pub strings: BTreeMap<String, String>,
    pub months: Vec<String>,
    pub date_format: String,
    /// Plural forms by key, then by CLDR category.
    pub plurals: BTreeMap<String, BTreeMap<String, String>>,
    /// The separator between groups of three digits ("," in English, "." in German).
    pub group: String,
    /// The decimal separator.
    pub decimal: String,
    /// Keys of English that this language's file lacks.
    missing: Vec<String>,
    /// Where the file is, for warnings.
    origin: String,
}

impl Language {
    /// `date` in this language, e.g. "15 de septiembre de 2023".
    pub fn date(&self, date: PubDate) -> String {
        let month = self
            .months
            .get(usize::from(date.0.month().unsigned_abs()) - 1)
            .cloned()
            .unwrap_or_default();
        self.date_format
            .replace("{day}", &date.0.day().to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.0.year().to_string())
    }

    /// `n` with the language's group separator: 2345 -> "2,345" (English), "2.345" (German).
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() * 2);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.group);
            }
            out.push(c);
        }
        out
    }

    /// The CLDR plural category of `n` in this language ("one", "few", "other"…).
    pub fn category(&self, n: i64) -> &'static str {
        use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
        let primary = self.code.split(['-', '_']).next().unwrap_or(FALLBACK);
        let rules = primary
            .parse::<unic_langid::LanguageIdentifier>()
            .ok()
            .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
        match rules.and_then(|r| r.select(n).ok()) {
            Some(PluralCategory::ZERO) => "zero",
            Some(PluralCategory::ONE) => "one",
            Some(PluralCategory::TWO) => "two",
            Some(PluralCategory::FEW) => "few",
            Some(PluralCategory::MANY) => "many",
            Some(PluralCategory::OTHER) => "other",
            // A language CLDR does not know: English's rule is the likeliest to read well.
            None if n == 1 => "one",
            None => "other",
        }
    }

    /// The string `key`, in the plural form for `n` when given, with `{n}` replaced by `n`
    /// (grouped); the key itself when the language (and English) lacks it.
    pub fn t(&self, key: &str, n: Option<i64>) -> String {
        let text = match (self.plurals.get(key), n) {
            (Some(forms), Some(n)) => forms.get(self.category(n)).or_else(|| forms.get("other")),
            (Some(forms), None) => forms.get("other"),
            (None, _) => self.strings.get(key),
        };
        let text = text.map_or(key, String::as_str);
        match n {
            Some(n) => text.replace("{n}", &self.number(n)),
            None => text.to_string(),
        }
    }

    /// The language's name in itself ("Español"), for the "Read in" switcher.
    pub fn name(&self) -> &str {
        self.strings
            .get("language_name")
            .map_or(self.code.as_str(), String::as_str)
    }
}

/// `pattern` with each `{name}` of `values` replaced in one pass: a value that itself holds
/// `{x}` (a chart column named "Budget {x} share", a topic "The {site} question") stays as
/// written, where replacing one name after another would replace inside it.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Languages written right to left, by their primary subtag: Arabic, Hebrew, Persian, Urdu,
/// Pashto, Yiddish, Dhivehi, Sorani Kurdish, Sindhi, Uyghur, Syriac.
const RIGHT_TO_LEFT: [&str; 12] = [
    "ar", "he", "iw", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug", "syr",
];

/// The writing direction of a language tag, for `dir`: "rtl" or "ltr".
pub fn direction(code: &str) -> &'static str {
    let primary = code.split(['-', '_']).next().unwrap_or("");
    if RIGHT_TO_LEFT
        .iter()
        .any(|r| primary.eq_ignore_ascii_case(r))
    {
        "rtl"
    } else {
        "ltr"
    }
}

/// A language tag as BCP 47 writes it ("FR" is "fr", "es-mx" is "es-MX"); a tag that is none
/// is left as it is (its error is [`language_tag_problem`]'s).
pub fn canonical_tag(code: &str) -> String {
    match code
        .replace('_', "-")
        .parse::<unic_langid::LanguageIdentifier>()
    {
        Ok(tag) if language_tag_problem(code).is_none() => tag.to_string(),
        _ => code.to_string(),
    }
}

/// What is wrong with `code` as a language tag of `<html lang>` and `hreflang` ("fr",
/// "es-MX", "zh-Hant"), and what to write instead; `None` when it is one.
pub fn language_tag_problem(code: &str) -> Option<(String, String)> {
    let primary = code.split(['-', '_']).next().unwrap_or(code);
    let tag = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && code.parse::<unic_langid::LanguageIdentifier>().is_ok();
    if tag {
        return None;
    }
    // Language names written out, the usual mistake.
    const NAMES: [(&str, &str); 18] = [
        ("english", "en"),
        ("french", "fr"),
        ("german", "de"),
        ("spanish", "es"),
        ("russian", "ru"),
        ("chinese", "zh"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("arabic", "ar"),
        ("portuguese", "pt"),
        ("italian", "it"),
        ("ukrainian", "uk"),
        ("polish", "pl"),
        ("dutch", "nl"),
        ("turkish", "tr"),
        ("persian", "fa"),
        ("hebrew", "he"),
        ("hindi", "hi"),
    ];
    let lower = code.to_lowercase();
    let help = match NAMES.iter().find(|(name, _)| *name == lower) {
        Some((_, tag)) => format!("write the language's code: \"{tag}\""),
        None => "write the language's code: \"en\", \"fr\", \"es-MX\" (a two- or three-letter code, then an optional region)".to_string(),
    };
    Some((format!("`{code}` is not a language code"), help))
}

/// All the languages a theme ships.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    languages: BTreeMap<String, Language>,
    /// Where the theme's files are, for the warning about a language it lacks.
    folder: String,
}

/// One i18n file as read: its language code, where it is (for messages) and its text.
pub struct File {
    pub code: String,
    pub origin: String,
    pub text: String,
}

impl Catalog {
    /// Builds the catalog from the theme's files; `english` is used when they have no en.toml
    /// (a theme of the site's own, say), so that every key always has a value.
    pub fn new(
        files: Vec<File>,
        english: Option<File>,
        folder: &str,
    ) -> Result<Catalog, Diagnostic> {
        let default_english = match english {
            Some(file) => Some((file.origin.clone(), parse(&file)?)),
            None => None,
        };
        let mut tables = BTreeMap::new();
        for file in files {
            if tables.contains_key(&file.code) {
                continue;
            }
            let table = parse(&file)?;
            tables.insert(file.code.clone(), (file.origin, table));
        }
        // The theme's English over the default theme's, so that a key added to brief since
        // the theme was written shows in English (with the warning about missing keys), not
        // as its name; without an en.toml, the default theme's alone.
        let base = default_english
            .as_ref()
            .map(|(origin, table)| language(FALLBACK, origin, table, None));
        let english = match (tables.get(FALLBACK), base) {
            (Some((origin, table)), base) => language(FALLBACK, origin, table, base.as_ref()),
            (None, Some(base)) => base,
            (None, None) => {
                return Err(
                    Diagnostic::new(Kind::Template, "the theme has no English strings")
                        .in_file(format!("{folder}/{FALLBACK}.toml"))
                        .help("add i18n/en.toml to the theme; copy it from the default theme"),
                );
            }
        };
        let mut languages: BTreeMap<String, Language> = tables
            .iter()
            .filter(|(code, _)| code.as_str() != FALLBACK)
            .map(|(code, (origin, table))| {
                (code.clone(), language(code, origin, table, Some(&english)))
            })
            .collect();
        languages.insert(FALLBACK.to_string(), english);
        Ok(Catalog {
            languages,
            folder: folder.to_string(),
        })
    }

    /// The strings for `code` ("es", or "es-MX" falling back to "es"), else English.
    pub fn language(&self, code: &str) -> &Language {
        self.find(code)
            .or_else(|| self.languages.get(FALLBACK))
            .expect("the catalog always holds English")
    }

    fn find(&self, code: &str) -> Option<&Language> {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        self.languages
            .get(code)
            .or_else(|| self.languages.get(&primary.to_lowercase()))
    }

    /// Warnings for the languages a build uses: one naming the keys a language's file lacks,
    /// or one saying the theme has no file for it.
    pub fn warnings<'a>(&self, used: impl IntoIterator<Item = &'a str>) -> Vec<Diagnostic> {
        let used: BTreeSet<&str> = used.into_iter().collect();
        let mut warnings = Vec::new();
        for code in used {
            match self.find(code) {
                None => warnings.push(
                    Diagnostic::warning(
                        Kind::Config,
                        format!("the theme has no strings for language `{code}`; its pages use English words and dates"),
                    )
                    .in_file(format!("{}/{code}.toml", self.folder)),
                ),
                Some(lang) if !lang.missing.is_empty() => warnings.push(
                    Diagnostic::warning(
                        Kind::Config,
                        format!(
                            "missing {}; English is used for {}",
                            lang.missing.join(", "),
                            if lang.missing.len() == 1 { "it" } else { "them" }
                        ),
                    )
                    .in_file(&lang.origin),
                ),
                Some(_) => {}
            }
        }
        warnings
    }
}

/// Parses one file into its strings, with `months` kept as an array.
fn parse(file: &File) -> Result<toml::Table, Diagnostic> {
    let table: toml::Table = toml::from_str(&file.text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(&file.text, s.start));
        Diagnostic::new(Kind::Template, e.message().trim().to_string())
            .at(Location::at(&file.origin, line, col))
            .help("an i18n file is a flat list of `key = \"text\"` lines, plus months = [...]")
    })?;
    for (key, value) in &table {
        let ok = match key.as_str() {
            MONTHS => value
                .as_array()
                .is_some_and(|a| a.len() == 12 && a.iter().all(|m| m.is_str())),
            NUMBER => value.as_table().is_some_and(|t| {
                t.iter()
                    .all(|(k, v)| matches!(k.as_str(), "decimal" | "group") && v.is_str())
            }),
            _ => match value.as_table() {
                Some(forms) => {
                    forms.contains_key("other")
                        && forms
                            .iter()
                            .all(|(k, v)| CATEGORIES.contains(&k.as_str()) && v.is_str())
                }
                None => value.is_str(),
            },
        };
        if !ok {
            let at = crate::tomlkeys::positions(&file.text).in_file(&file.text, 0);
            return Err(Diagnostic::new(
                Kind::Template,
                format!(
                    "`{key}` must be {}",
                    match key.as_str() {
                        MONTHS => "a list of the twelve month names",
                        NUMBER => "a table of `decimal` and `group` separators",
                        _ => "a string, or a table of plural forms with at least `other` (zero, one, two, few, many, other)",
                    }
                ),
            )
            .at(at.location(Path::new(&file.origin), key))
            .help(
                "write e.g. contents = \"Contents\", briefs_count = { one = \"{n} brief\", other = \"{n} briefs\" }, or months = [\"January\", …, \"December\"]",
            ));
        }
    }
    Ok(table)
}

/// A language from its table, with the keys it lacks taken from `english`.
fn language(code: &str, origin: &str, table: &toml::Table, english: Option<&Language>) -> Language {
    let mut strings: BTreeMap<String, String> = table
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let months: Vec<String> = table
        .get(MONTHS)
        .and_then(|m| m.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut plurals: BTreeMap<String, BTreeMap<String, String>> = table
        .iter()
        .filter(|(k, _)| k.as_str() != NUMBER)
        .filter_map(|(k, v)| {
            let forms = v.as_table()?;
            let forms = forms
                .iter()
                .filter_map(|(c, f)| Some((c.clone(), f.as_str()?.to_string())))
                .collect();
            Some((k.clone(), forms))
        })
        .collect();
    let separator = |name: &str| {
        table
            .get(NUMBER)
            .and_then(|n| n.get(name))
            .and_then(|s| s.as_str())
            .map(String::from)
    };
    let (group, decimal) = (separator("group"), separator("decimal"));
    let mut missing = Vec::new();
    let mut lang = Language {
        code: code.to_string(),
        date_format: strings.remove(DATE_FORMAT).unwrap_or_default(),
        months,
        plurals: BTreeMap::new(),
        group: group.clone().unwrap_or_else(|| ",".into()),
        decimal: decimal.clone().unwrap_or_else(|| ".".into()),
        strings: BTreeMap::new(),
        missing: Vec::new(),
        origin: origin.to_string(),
    };
    if let Some(en) = english {
        for (key, value) in &en.strings {
            let plural = plurals.contains_key(key) || en.plurals.contains_key(key);
            if !strings.contains_key(key) && !plural {
                if !NOT_FOR_TEMPLATES.contains(&key.as_str()) {
                    missing.push(key.clone());
                }
                strings.insert(key.clone(), value.clone());
            }
        }
        if lang.months.is_empty() {
            missing.push(MONTHS.into());
            lang.months = en.months.clone();
        }
        if lang.date_format.is_empty() {
            missing.push(DATE_FORMAT.into());
            lang.date_format = en.date_format.clone();
        }
        for (key, forms) in &en.plurals {
            // A plain string of the language's own beats English's forms.
            if !plurals.contains_key(key) && !strings.contains_key(key) {
                missing.push(key.clone());
                plurals.insert(key.clone(), forms.clone());
            }
        }
        if code != FALLBACK && (group.is_none() || decimal.is_none()) {
            missing.push(NUMBER.into());
            lang.group = group.unwrap_or_else(|| en.group.clone());
            lang.decimal = decimal.unwrap_or_else(|| en.decimal.clone());
        }
    }
    // `t.key` in a template still reads a plural key, in its `other` form.
    for (key, forms) in &plurals {
        if let Some(other) = forms.get("other") {
            strings.entry(key.clone()).or_insert_with(|| other.clone());
        }
    }
    lang.plurals = plurals;
    missing.sort();
    lang.strings = strings;
    lang.missing = missing;
    lang
}

/// The i18n files in a theme folder on disk, `<dir>/<lang>.toml`, sorted.
pub fn disk_files(root: &Path, dir: &Path) -> Result<Vec<File>, Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let origin = crate::fsutil::relative(&path, root);
            Ok(File {
                code: path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                text: read_text(&path, &origin)?,
                origin: origin.display().to_string().replace('\\', "/"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_name_once_and_never_inside_a_value() {
        assert_eq!(
            fill(
                "{kind} of {x}, {first} to {last}",
                &[
                    ("kind", "Line chart"),
                    ("x", "Budget {x} {last}"),
                    ("first", "2019"),
                    ("last", "2024")
                ]
            ),
            "Line chart of Budget {x} {last}, 2019 to 2024"
        );
        assert_eq!(fill("{unknown} {", &[("x", "1")]), "{unknown} {");
    }

    #[test]
    fn language_tags_are_written_as_bcp_47_writes_them() {
        assert_eq!(canonical_tag("FR"), "fr");
        assert_eq!(canonical_tag("es-mx"), "es-MX");
        assert_eq!(canonical_tag("pt_BR"), "pt-BR");
        assert_eq!(canonical_tag("zh-hant"), "zh-Hant");
        assert_eq!(canonical_tag("french"), "french");
    }

    fn file(code: &str, text: &str) -> File {
        File {
            code: code.into(),
            origin: format!("i18n/{code}.toml"),
            text: text.into(),
        }
    }

    const EN: &str = "date_format = \"{month} {day}, {year}\"\nmonths = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]\ncontents = \"Contents\"\nby = \"By\"\n";

    fn catalog(files: Vec<File>) -> Catalog {
        Catalog::new(files, None, "themes/x/i18n").unwrap()
    }

    #[test]
    fn dates_follow_the_language_format() {
        let es = "date_format = \"{day} de {month} de {year}\"\nmonths = [\"enero\",\"febrero\",\"marzo\",\"abril\",\"mayo\",\"junio\",\"julio\",\"agosto\",\"septiembre\",\"octubre\",\"noviembre\",\"diciembre\"]\ncontents = \"Contenido\"\nby = \"Por\"\n";
        let c = catalog(vec![file("en", EN), file("es", es)]);
        let date = PubDate::parse("2023-09-15").unwrap();
        assert_eq!(c.language("es").date(date), "15 de septiembre de 2023");
        assert_eq!(c.language("en").date(date), "September 15, 2023");
        assert_eq!(c.language("es-MX").strings["by"], "Por");
    }

    #[test]
    fn missing_keys_fall_back_to_english_with_one_warning() {
        let c = catalog(vec![
            file("en", EN),
            file("fr", "contents = \"Sommaire\"\n"),
        ]);
        let fr = c.language("fr");
        assert_eq!(fr.strings["contents"], "Sommaire");
        assert_eq!(fr.strings["by"], "By");
        let warnings = c.warnings(["fr", "fr", "en"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .to_string()
                .starts_with("warning: i18n/fr.toml: missing by, date_format, months"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_theme_is_not_warned_of_keys_no_template_uses() {
        let english = File {
            code: "en".into(),
            origin: "(default) en.toml".into(),
            text: format!("{EN}import_old_site = \"(old site)\"\n"),
        };
        let c = Catalog::new(vec![file("en", EN)], Some(english), "themes/x/i18n").unwrap();
        assert_eq!(c.language("en").strings["import_old_site"], "(old site)");
        assert!(c.warnings(["en"]).is_empty());
    }

    #[test]
    fn unknown_language_is_english_with_a_warning() {
        let c = catalog(vec![file("en", EN)]);
        assert_eq!(c.language("xx").strings["contents"], "Contents");
        let warnings = c.warnings(["xx"]);
        assert!(
            warnings[0].message.contains("no strings for language `xx`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn plural_forms_follow_cldr_and_numbers_the_language() {
        let en = format!(
            "{EN}number = {{ decimal = \".\", group = \",\" }}\nbriefs_count = {{ one = \"{{n}} brief\", other = \"{{n}} briefs\" }}\n"
        );
        let fr = "number = { decimal = \",\", group = \" \" }\nbriefs_count = { one = \"{n} note\", other = \"{n} notes\" }\n";
        let de = "number = { decimal = \",\", group = \".\" }\n";
        let c = catalog(vec![file("en", &en), file("fr", fr), file("de", de)]);
        let (en, fr, de) = (c.language("en"), c.language("fr"), c.language("de"));
        assert_eq!(en.t("briefs_count", Some(0)), "0 briefs");
        assert_eq!(en.t("briefs_count", Some(1)), "1 brief");
        assert_eq!(en.t("briefs_count", Some(2345)), "2,345 briefs");
        // CLDR: French uses `one` for 0 and 1.
        assert_eq!(fr.t("briefs_count", Some(0)), "0 note");
        assert_eq!(fr.t("briefs_count", Some(1)), "1 note");
        assert_eq!(fr.t("briefs_count", Some(2)), "2 notes");
        assert_eq!(de.number(1_234_567), "1.234.567");
        // German has no forms of its own: English's, with German digits.
        assert_eq!(de.t("briefs_count", Some(2345)), "2.345 briefs");
        let language = |code: &str| Language {
            code: code.into(),
            ..Language::default()
        };
        assert_eq!(language("pl").category(3), "few");
        assert_eq!(language("ru").category(5), "many");
        assert_eq!(fr.strings["briefs_count"], "{n} notes");
    }

    #[test]
    fn a_plural_table_without_other_is_an_error_with_its_line() {
        let err = Catalog::new(
            vec![
                file("en", EN),
                file(
                    "fr",
                    "by = \"Par\"\nbriefs_count = { one = \"{n} note\" }\n",
                ),
            ],
            None,
            "i",
        )
        .unwrap_err();
        assert!(err.to_string().contains("i18n/fr.toml:2"), "{err}");
    }

    #[test]
    fn a_string_that_is_not_text_is_an_error_with_its_line() {
        let err = Catalog::new(
            vec![file("en", EN), file("de", "by = \"Von\"\ncontents = 3\n")],
            None,
            "i",
        )
        .unwrap_err();
        assert!(err.to_string().contains("i18n/de.toml:2"), "{err}");
    }
}
