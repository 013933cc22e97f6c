//! TOML read with positions, for front matter and config.toml.
//!
//! serde stops at the first problem, so a file with three misspelt keys took three builds to
//! fix. Here the text is first parsed into toml's spanned table ([`toml::de::DeTable`]):
//!
//! 1. every key is compared with the known keys ([`Schema`]), top level and inside the known
//!    tables, and each unknown one is reported at its own position;
//! 2. the unknown keys are blanked out (replaced by spaces, so every offset stays the same) and
//!    the text is deserialized into the typed struct; a wrong value is reported, its key blanked,
//!    and deserializing is tried again, so that every wrong value is reported too;
//! 3. on success, the position of every key and list entry is kept ([`Positions`]) so later
//!    checks point at the key they are about instead of searching the text for it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Location, line_col};

/// The keys a file may set.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    pub keys: &'a [&'a str],
    /// Keys of the tables whose keys are fixed, e.g. `("hero", [...])`. Tables not listed (such
    /// as `extra`) take any key.
    pub tables: &'a [(&'a str, &'a [&'a str])],
}

impl Schema<'_> {
    fn table(&self, name: &str) -> Option<&[&str]> {
        self.tables
            .iter()
            .find(|(table, _)| *table == name)
            .map(|(_, keys)| *keys)
    }
}

/// One thing wrong with a file, with byte offsets into the text that was read.
#[derive(Debug, Clone)]
pub enum Failure {
    /// A key that is not in the schema; `table` is the table it is in, if not the top level.
    UnknownKey {
        key: String,
        table: Option<String>,
        at: usize,
    },
    /// A TOML syntax error, or a value serde could not read (wrong type, missing key).
    Toml(toml::de::Error),
}

impl Failure {
    /// Byte offset into the text the failure is at, if known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Failure::UnknownKey { at, .. } => Some(*at),
            Failure::Toml(err) => err.span().map(|s| s.start),
        }
    }
}

/// Where each key (`slug`, `hero.image`) and list entry (`pull_quotes[1]`) of a file is, as
/// byte offsets into the text that was read. A table written `[hero]` is at its header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions(BTreeMap<String, Range<usize>>);

impl Positions {
    /// Byte range of the key `path` (of the entry, for `name[i]`).
    pub fn get(&self, path: &str) -> Option<Range<usize>> {
        self.0.get(path).cloned()
    }

    /// The positions as (line, column) of `file_text`, of which the text read starts at byte
    /// `offset` (a front matter's first line).
    pub fn in_file(&self, file_text: &str, offset: usize) -> Lines {
        Lines(
            self.0
                .iter()
                .map(|(path, range)| (path.clone(), line_col(file_text, offset + range.start)))
                .collect(),
        )
    }

    fn collect(&mut self, prefix: &str, table: &DeTable) {
        for (key, value) in table.iter() {
            let path = format!("{prefix}{}", key.get_ref());
            self.0.insert(path.clone(), key.span());
            self.collect_value(&path, value);
        }
    }

    fn collect_value(&mut self, path: &str, value: &Spanned<DeValue>) {
        match value.get_ref() {
            DeValue::Table(inner) => self.collect(&format!("{path}."), inner),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let entry = format!("{path}[{i}]");
                    self.0.insert(entry.clone(), item.span());
                    self.collect_value(&entry, item);
                }
            }
            _ => {}
        }
    }
}

/// Where each key and list entry of a file is, as 1-based (line, column); paths as in
/// [`Positions`]. Kept in the build cache with the front matter it locates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lines(BTreeMap<String, (usize, usize)>);

impl Lines {
    pub fn line(&self, path: &str) -> Option<usize> {
        self.0.get(path).map(|(line, _)| *line)
    }

    /// The location of `path` in `file`; the file alone if the key is not set.
    pub fn location(&self, file: &Path, path: &str) -> Location {
        match self.0.get(path) {
            Some((line, column)) => Location::at(file, *line, *column),
            None => Location::file(file),
        }
    }

    /// The entries of the list `path` (`pull_quotes`), in order, with their lines.
    pub fn entries(&self, path: &str) -> Vec<usize> {
        (0..)
            .map_while(|i| self.line(&format!("{path}[{i}]")))
            .collect()
    }
}

/// Where each key of `text` is, whatever the keys; empty if it is not TOML.
pub fn positions(text: &str) -> Positions {
    let mut positions = Positions::default();
    if let Ok(doc) = DeTable::parse(text) {
        positions.collect("", doc.get_ref());
    }
    positions
}

/// Most wrong values reported for one file; a guard against looping, not a limit anyone meets.
const MAX_FAILURES: usize = 50;

/// Reads `text` into `T`, reporting every unknown key and every wrong value it can.
pub fn read<T: DeserializeOwned>(
    text: &str,
    schema: &Schema,
) -> Result<(T, Positions), Vec<Failure>> {
    let doc = DeTable::parse(text).map_err(|err| vec![Failure::Toml(err)])?;
    let doc = doc.get_ref();
    let mut failures = unknown_keys(doc, schema);
    let mut readable = text.to_string();
    for failure in &failures {
        if let Some((_, range)) = failure.offset().and_then(|at| entry_at(doc, at)) {
            blank(&mut readable, range);
        }
    }
    let mut blanked: Vec<String> = Vec::new();
    loop {
        let err = match toml::from_str::<T>(&readable) {
            Ok(value) if failures.is_empty() => {
                let mut positions = Positions::default();
                positions.collect("", doc);
                return Ok((value, positions));
            }
            Ok(_) => break,
            Err(err) => err,
        };
        // A missing key is not at an entry that blanking could remove: report it and stop. A
        // key blanked for its wrong value is then missing too: that is not news.
        if let Some(field) = crate::config::missing_field(err.message()) {
            if !blanked.iter().any(|b| b == field) {
                failures.push(Failure::Toml(err));
            }
            break;
        }
        let entry = err.span().and_then(|s| entry_at(doc, s.start));
        failures.push(Failure::Toml(err));
        match entry {
            Some((path, range))
                if failures.len() < MAX_FAILURES && !blank_is_noop(&readable, &range) =>
            {
                blank(&mut readable, range);
                blanked.extend(path.last().cloned());
                // Blanking a dotted key (`hero.alt = 1`) can leave text TOML cannot read.
                if DeTable::parse(&readable).is_err() {
                    break;
                }
            }
            _ => break,
        }
    }
    failures.sort_by_key(|f| f.offset());
    Err(failures)
}

/// Every key not in the schema, at the top level and in the schema's tables.
fn unknown_keys(doc: &DeTable, schema: &Schema) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        if !schema.keys.contains(&name) {
            failures.push(Failure::UnknownKey {
                key: name.to_string(),
                table: None,
                at: key.span().start,
            });
            continue;
        }
        let Some(keys) = schema.table(name) else {
            continue;
        };
        // A table (`[hero]`), or an array of tables (`[[menu]]`).
        let tables: Vec<&DeTable> = match value.get_ref() {
            DeValue::Table(table) => vec![table],
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| i.get_ref().as_table())
                .collect(),
            _ => Vec::new(),
        };
        for (inner, _) in tables.iter().flat_map(|t| t.iter()) {
            if !keys.contains(&inner.get_ref().as_ref()) {
                failures.push(Failure::UnknownKey {
                    key: inner.get_ref().to_string(),
                    table: Some(name.to_string()),
                    at: inner.span().start,
                });
            }
        }
    }
    failures
}

/// A value of the wrong type, from serde's "invalid type: string \"3\", expected u8": what
/// was found and what is wanted, in an editor's words, and a value of the wanted type for an
/// example line (`None` when the type is not one of these).
pub struct WrongType {
    pub found: String,
    pub wanted: String,
    pub example: Option<&'static str>,
}

impl WrongType {
    pub fn of(message: &str) -> Option<WrongType> {
        let (found, expected) = message
            .trim()
            .strip_prefix("invalid type: ")?
            .rsplit_once(", expected ")?;
        let (wanted, example) = match expected {
            "a boolean" => ("true or false", Some("true")),
            "a sequence" => ("a list", Some("[\"...\"]")),
            "a string" => ("text in quotes", Some("\"...\"")),
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
            | "an integer" => ("a whole number", Some("3")),
            "f32" | "f64" | "a float" => ("a number", Some("1.5")),
            // serde names a struct by its Rust type ("struct RawImages").
            other if other.starts_with("struct ") || other == "a map" => ("a table", None),
            other => (other, None),
        };
        let wanted = wanted.to_string();
        // Only serde's words, not the value: "string \"substring\"".
        let found = match found.strip_prefix("string ") {
            Some(value) => format!("the text {value}"),
            None if found == "sequence" => "a list".to_string(),
            None => found.to_string(),
        };
        Some(WrongType {
            found,
            wanted,
            example,
        })
    }
}

/// The key of `text` whose entry holds byte `offset` (e.g. a wrong value's), with the table
/// it is in if not the top level: `(Some("hero"), "alt")`. `None` if `text` is not TOML.
pub fn key_at(text: &str, offset: usize) -> Option<(Option<String>, String)> {
    let doc = DeTable::parse(text).ok()?;
    let (mut path, _) = entry_at(doc.get_ref(), offset)?;
    let key = path.pop()?;
    Some((path.first().cloned(), key))
}

/// The innermost `key = value` entry holding byte `offset`: its key's path from the top (`hero`,
/// `alt`) and its range from the key to the end of the value.
fn entry_at(doc: &DeTable, offset: usize) -> Option<(Vec<String>, Range<usize>)> {
    let mut best: Option<(Vec<String>, Range<usize>)> = None;
    for (key, value) in doc.iter() {
        let range = key.span().start..value.span().end.max(key.span().end);
        if range.contains(&offset) && best.as_ref().is_none_or(|(_, b)| range.len() < b.len()) {
            best = Some((vec![key.get_ref().to_string()], range));
        }
        // A table written `[hero]` has its entries below the header, outside the header's span.
        let inner: Vec<&DeTable> = match value.get_ref() {
            DeValue::Table(table) => vec![table],
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| i.get_ref().as_table())
                .collect(),
            _ => Vec::new(),
        };
        for table in inner {
            if let Some((path, range)) = entry_at(table, offset)
                && best.as_ref().is_none_or(|(_, b)| range.len() < b.len())
            {
                let path = std::iter::once(key.get_ref().to_string()).chain(path);
                best = Some((path.collect(), range));
            }
        }
    }
    best
}

fn blank_is_noop(text: &str, range: &Range<usize>) -> bool {
    text.get(range.clone())
        .is_none_or(|s| s.bytes().all(|b| b == b' ' || b == b'\n' || b == b'\r'))
}

/// Replaces an entry by spaces, keeping line breaks so that every offset stays the same.
fn blank(text: &mut String, range: Range<usize>) {
    let Some(part) = text.get(range.clone()) else {
        return;
    };
    let spaces: String = part
        .chars()
        .flat_map(|c| match c {
            '\n' | '\r' => vec![c],
            _ => vec![' '; c.len_utf8()],
        })
        .collect();
    text.replace_range(range, &spaces);
}

/// A TOML syntax error in plain words, with how to fix it (the parser's message names what it
/// expected, not what the writer left out); `None` for other messages.
pub fn syntax(message: &str) -> Option<(&'static str, &'static str)> {
    // (the parser's message starts so, what it means, how to fix it)
    const EXPLAINED: [(&str, &str, &str); 6] = [
        (
            "unclosed array",
            "a list is not closed",
            "end the list with `]`: key = [\"one\", \"two\"]",
        ),
        (
            "missing comma between array elements",
            "two items of a list have no comma between them",
            "separate the items with commas and end the list with `]`: key = [\"one\", \"two\"]",
        ),
        (
            "invalid basic string",
            "a text value has no closing `\"` on its line",
            "end it on the same line: key = \"text\" (a `\"` inside is written \\\", or use three quotes \"\"\"...\"\"\" for text over several lines)",
        ),
        (
            "string values must be quoted",
            "a text value is not in quotes",
            "put it in double quotes: key = \"text\"",
        ),
        (
            "key with no value",
            "a key has no `=` and value",
            "write key = value (TOML takes `=`, where YAML takes `:`)",
        ),
        (
            "unexpected key or value",
            "something follows the value on this line",
            "one key = value a line; a `\"` inside a text value is written \\\"",
        ),
    ];
    let message = message.trim();
    EXPLAINED
        .iter()
        .find(|(start, ..)| message.starts_with(start))
        .map(|&(_, explained, help)| (explained, help))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        #[serde(default)]
        topics: Vec<String>,
        toc: Option<bool>,
        hero: Option<Hero>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Hero {
        image: Option<String>,
    }

    const SCHEMA: Schema = Schema {
        keys: &["title", "topics", "toc", "hero"],
        tables: &[("hero", &["image"])],
    };

    #[test]
    fn reports_every_unknown_key_and_wrong_value() {
        let text = "titel = \"A\"\ntitle = \"A\"\ntopics = \"x\"\ntoc = 3\ntags = []\n[hero]\nimag = \"x\"\n";
        let failures = read::<Fm>(text, &SCHEMA).unwrap_err();
        let shown: Vec<String> = failures
            .iter()
            .map(|f| match f {
                Failure::UnknownKey { key, table, .. } => format!("{key} {table:?}"),
                Failure::Toml(err) => err.message().to_string(),
            })
            .collect();
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert_eq!(shown[0], "titel None");
        assert!(shown[1].contains("invalid type"), "{shown:?}");
        assert!(shown[2].contains("invalid type"), "{shown:?}");
        assert_eq!(shown[3], "tags None");
        assert_eq!(shown[4], "imag Some(\"hero\")");
    }

    #[test]
    fn a_blanked_required_key_is_not_reported_missing() {
        let failures = read::<Fm>("title = 3\n", &SCHEMA).unwrap_err();
        assert_eq!(failures.len(), 1, "{failures:?}");
    }

    #[test]
    fn keeps_positions_of_keys_and_entries() {
        let text = "title = \"A\"\ntopics = [\"a\", \"b\"]\n[hero]\nimage = \"x\"\n";
        let (_, positions) = read::<Fm>(text, &SCHEMA).unwrap();
        assert_eq!(positions.get("title"), Some(0..5));
        assert_eq!(&text[positions.get("topics[1]").unwrap()], "\"b\"");
        assert_eq!(&text[positions.get("hero").unwrap()], "hero");
        assert_eq!(&text[positions.get("hero.image").unwrap()], "image");
    }
}
