//! Stage 2a: a content file is TOML front matter between `+++` lines, then a Markdown body.
//! This module splits the two and parses the front matter into typed values.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::config::unknown_field;
use crate::error::{Diagnostic, Kind, Location, did_you_mean, line_col};
use crate::tomlkeys::{self, Failure};
pub use crate::tomlkeys::{Lines, Schema};

/// A content file cut at its front-matter delimiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// Byte offset of `front` in the file, to report TOML errors at the file's own lines.
    pub front_offset: usize,
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

/// Cuts `text` into front matter and body; `path` is only used in error messages.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let content = &text[start..];
    if content.contains('\r') && !content.contains('\n') {
        return Err(Diagnostic::new(
            Kind::FrontMatter,
            "lines end with a carriage return only (old Mac OS line endings), so the file reads as one line",
        )
        .at(Location::at(path, 1, 1))
        .help("save the file with Unix (LF) or Windows (CRLF) line endings; most editors offer this under \"line endings\" or \"end of line sequence\""));
    }
    let first_line = content.lines().next().unwrap_or("").trim_end();
    if first_line == "---" {
        return Err(yaml_error(content, path));
    }
    if first_line != "+++" {
        return Err(Diagnostic::new(Kind::FrontMatter, "no front matter found")
            .at(Location::at(path, 1, 1))
            .help("start the file with a line `+++`, then TOML keys such as title = \"...\", then another `+++` line"));
    }
    let front_offset = start + content.find('\n').map_or(content.len(), |i| i + 1);
    let mut offset = front_offset;
    for line in text[front_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok(Split {
                front: &text[front_offset..offset],
                front_offset,
                body: &text[body_start..],
                body_line: line_col(text, body_start).0,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Kind::FrontMatter,
        "the front matter opened here is never closed",
    )
    .at(Location::at(path, 1, 1))
    .help("add a line `+++` after the last front-matter key, before the text"))
}

/// Parses the front matter into `T`, reporting errors at lines of the whole file (the first
/// problem only: for tests of one message; loading uses [`read`]).
#[cfg(test)]
fn parse<T: DeserializeOwned>(
    text: &str,
    split: &Split,
    path: &Path,
    valid_keys: &[&str],
) -> Result<T, Diagnostic> {
    parse_with_tables(text, split, path, valid_keys, &[])
}

/// Like [`parse`], with the keys of the front matter's `[tables]` (e.g. `("hero", [...])`) so
/// that an unknown key inside one is explained with that table's keys.
#[cfg(test)]
fn parse_with_tables<T: DeserializeOwned>(
    text: &str,
    split: &Split,
    path: &Path,
    valid_keys: &[&str],
    tables: &[(&str, &[&str])],
) -> Result<T, Diagnostic> {
    let schema = Schema {
        keys: valid_keys,
        tables,
    };
    read(text, split, path, &schema)
        .map(|(value, _)| value)
        .map_err(|mut problems| problems.remove(0))
}

/// Parses the front matter into `T`, with where each key is; else every unknown key and every
/// wrong value, each at its line and column of the whole file.
pub fn read<T: DeserializeOwned>(
    text: &str,
    split: &Split,
    path: &Path,
    schema: &Schema,
) -> Result<(T, Lines), Vec<Diagnostic>> {
    match tomlkeys::read(split.front, schema) {
        Ok((value, positions)) => Ok((value, positions.in_file(text, split.front_offset))),
        Err(failures) => {
            let mut problems: Vec<Diagnostic> = failures
                .iter()
                .map(|failure| diagnose(failure, text, split, path, schema))
                .collect();
            problems.extend(more_missing::<T>(&failures, split.front, schema, &problems));
            Err(problems)
        }
    }
}

/// serde names one missing key of a struct; the others, all reported by one build, are found
/// by filling each in turn with a value of its type and reading again. Each is reported where
/// the first is (the front matter they are missing from).
fn more_missing<T: DeserializeOwned>(
    failures: &[Failure],
    front: &str,
    schema: &Schema,
    reported: &[Diagnostic],
) -> Vec<Diagnostic> {
    let first = failures.iter().find_map(|f| match f {
        Failure::Toml(err) => crate::config::missing_field(err.message()).map(String::from),
        Failure::UnknownKey { .. } => None,
    });
    let (Some(mut missing), Ok(mut table)) = (first, front.parse::<toml::Table>()) else {
        return Vec::new();
    };
    let Some(at) = reported
        .iter()
        .find(|d| d.message.contains(&format!("`{missing}` is missing")))
        .and_then(|d| d.location.clone())
    else {
        return Vec::new();
    };
    // Unknown keys are reported already, and a struct that refuses them would stop here.
    table.retain(|key, _| {
        let key: &str = key;
        schema.keys.contains(&key)
    });
    let date = "2024-01-15".parse::<toml::value::Datetime>().ok();
    let candidates: Vec<toml::Value> = [
        Some(toml::Value::String("x".into())),
        date.map(toml::Value::Datetime),
        Some(toml::Value::Array(vec![toml::Value::String("x".into())])),
        Some(toml::Value::Boolean(true)),
        Some(toml::Value::Integer(1)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut found = Vec::new();
    // At most as many rounds as there are keys.
    for _ in 0..schema.keys.len() {
        let next = candidates.iter().find_map(|value| {
            table.insert(missing.clone(), value.clone());
            match toml::Value::Table(table.clone()).try_into::<T>() {
                Ok(_) => Some(None),
                Err(err) => crate::config::missing_field(&err.to_string())
                    .filter(|key| *key != missing)
                    .map(|key| Some(key.to_string())),
            }
        });
        match next.flatten() {
            Some(key) => {
                found.push(key.clone());
                missing = key;
            }
            None => break,
        }
    }
    found
        .into_iter()
        .map(|key| {
            Diagnostic::new(
                Kind::FrontMatter,
                format!("required key `{key}` is missing"),
            )
            .at(*at.clone())
            .help(format!("add a line such as {}", example_for(&key)))
        })
        .collect()
}

fn diagnose(
    failure: &Failure,
    text: &str,
    split: &Split,
    path: &Path,
    schema: &Schema,
) -> Diagnostic {
    let err = match failure {
        Failure::Toml(err) => err,
        Failure::UnknownKey { key, table, at } => {
            let (line, column) = line_col(text, split.front_offset + at);
            let (message, help) = unknown_key(key, table.as_deref(), schema);
            return Diagnostic::new(Kind::FrontMatter, message)
                .at(Location::at(path, line, column))
                .help(help);
        }
    };
    let (valid_keys, tables) = (schema.keys, schema.tables);
    let offset = split.front_offset + err.span().map_or(0, |s| s.start);
    let (line, column) = line_col(text, offset);
    if let Some((c, column)) = super::control::on_line(text, line) {
        return super::control::error(c, Location::at(path, line, column));
    }
    if let Some(above) = unclosed_list_above(err.message(), text, line, column) {
        return Diagnostic::new(Kind::FrontMatter, "the list on this line is not closed")
            .at(Location::at(path, above.0, above.1))
            .help("end it with `]`: key = [\"one\", \"two\"]");
    }
    // The key and table come from the parser's spans; only when the front matter is not TOML
    // at all (a syntax error) are they guessed from the text of the line.
    // A missing key's span is the table it is missing from, not an entry.
    let missing = crate::config::missing_field(err.message()).is_some();
    let spanned = err
        .span()
        .filter(|_| !missing)
        .and_then(|s| tomlkeys::key_at(split.front, s.start));
    let (table, key) = match spanned {
        Some((table, key)) => (table, key),
        None => {
            let key = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim().to_string())
                .unwrap_or_default();
            let first_line = line_col(text, split.front_offset).0;
            let table = table_at(split.front, line.saturating_sub(first_line)).map(String::from);
            (table, key)
        }
    };
    let table = table.as_deref();
    let date = match is_date_key(&key) && split.front.parse::<toml::Table>().is_err() {
        true => date_syntax(&key, text.lines().nth(line - 1).unwrap_or("")),
        false => None,
    };
    let (message, help) = match (date, tables.iter().find(|(name, _)| Some(*name) == table)) {
        (Some(explained), _) => explained,
        (None, Some((name, _))) => match unknown_field(err.message().trim()) {
            Some(field) => {
                let (message, help) = unknown_key(field, Some(name), schema);
                (message, Some(help))
            }
            None => {
                let (message, help) = explain(err.message().trim(), &key, valid_keys);
                (format!("{message} in [{name}]"), help)
            }
        },
        (None, None) => explain(err.message().trim(), &key, valid_keys),
    };
    let diagnostic =
        Diagnostic::new(Kind::FrontMatter, message).at(Location::at(path, line, column));
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// Where a list left open ends (line, column just after it), when the parser, reading on,
/// met the next line's key as a list item without a comma: it reports that line, which is
/// not where the mistake is.
fn unclosed_list_above(
    message: &str,
    text: &str,
    line: usize,
    column: usize,
) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let at_start = here
        .get(..column.saturating_sub(1))
        .is_some_and(|before| before.trim().is_empty());
    if !message
        .trim()
        .starts_with("missing comma between array elements")
        || !at_start
    {
        return None;
    }
    let (n, above) = lines[..line - 1]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| !l.trim().is_empty())?;
    (above.matches('[').count() > above.matches(']').count())
        .then(|| (n + 1, above.trim_end().chars().count() + 1))
}

/// The message and help for `key`, unknown at the top level or in `[table]`.
fn unknown_key(key: &str, table: Option<&str>, schema: &Schema) -> (String, String) {
    let Some(name) = table else {
        let (message, help) = explain(&format!("unknown field `{key}`"), key, schema.keys);
        return (message, help.unwrap_or_default());
    };
    let keys = schema
        .tables
        .iter()
        .find(|(table, _)| *table == name)
        .map_or(&[][..], |(_, keys)| *keys);
    let message = format!("unknown key `{key}` in [{name}]");
    // A key of the brief written below `[hero]` belongs to the table for TOML.
    if schema.keys.contains(&key) {
        return (
            message,
            format!(
                "`{key}` is a key of the brief, but it comes after the [{name}] line, so TOML reads it as part of [{name}]: move it above [{name}]"
            ),
        );
    }
    let mut help = String::new();
    if let Some(close) = did_you_mean(key, keys.iter().copied()) {
        help.push_str(&format!("did you mean `{close}`? "));
    }
    help.push_str(&format!("[{name}] takes {}", keys.join(", ")));
    (message, help)
}

fn is_date_key(key: &str) -> bool {
    matches!(key, "date" | "updated")
}

/// A date TOML cannot read (`date = Sept 15 2023`, `15/09/2023`, or Hugo's
/// `2023-09-15 10:00:00 -0400`): say how to write it instead of the parser's message. `None`
/// for a date written right that does not exist (`2023-13-45`): TOML's message names the
/// bad month or day.
fn date_syntax(key: &str, line: &str) -> Option<(String, Option<String>)> {
    let value = line.split_once('=').map_or("", |(_, v)| v.trim());
    let value = value.split(" #").next().unwrap_or(value).trim();
    let shaped = value.len() >= 10
        && value.bytes().take(10).enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let example = match value.get(..10).map(str::parse::<jiff::civil::Date>) {
        Some(Ok(date)) => date.to_string(),
        Some(Err(_)) if shaped => return None,
        _ => "2023-09-15".to_string(),
    };
    Some((
        format!("`{key}` must be a date written YYYY-MM-DD, not `{value}`"),
        Some(format!(
            "write {key} = {example} (no quotes needed); to keep the time of day, write {key} = {example}T10:00:00-04:00, with a `T` and a colon in the offset"
        )),
    ))
}

/// The `[table]` whose keys line `index` (0-based, within the front matter) belongs to.
fn table_at(front: &str, index: usize) -> Option<&str> {
    front
        .lines()
        .take(index + 1)
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix('[')?.strip_suffix(']')
        })
        .last()
        .map(str::trim)
}

/// Rewords serde's message for an editor, with advice for the key on the failing line.
fn explain(message: &str, key: &str, valid_keys: &[&str]) -> (String, Option<String>) {
    if let Some(field) = unknown_field(message) {
        let mut help = String::new();
        if let Some(close) = did_you_mean(field, valid_keys.iter().copied()) {
            help.push_str(&format!("did you mean `{close}`? "));
        }
        help.push_str(&format!(
            "valid keys are {}; put anything else under [extra]",
            valid_keys.join(", ")
        ));
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return (
            format!("required key `{field}` is missing"),
            Some(format!("add a line such as {}", example_for(field))),
        );
    }
    // "invalid type: string \"x\", expected a sequence"
    if let Some(wrong) = crate::tomlkeys::WrongType::of(message) {
        let subject = if key.is_empty() {
            "this value".to_string()
        } else {
            format!("`{key}`")
        };
        // An example of the wanted type: `featured = "yes"` is helped by `featured = true`,
        // not by a line that repeats the mistake.
        let example = match wrong.example {
            Some(value @ ("true" | "3" | "1.5")) => format!("{key} = {value}"),
            // A list of what, only the key can say; failing that, a list.
            Some(list) if list.starts_with('[') && example_for(key).ends_with("\"...\"") => {
                format!("{key} = {list}")
            }
            _ => example_for(key),
        };
        return (
            format!(
                "{subject} must be {}, but found {}",
                wrong.wanted, wrong.found
            ),
            (!key.is_empty()).then(|| format!("write it as {example}")),
        );
    }
    if let Some((message, help)) = crate::tomlkeys::syntax(message) {
        return (message.to_string(), Some(help.to_string()));
    }
    if message.trim() == "duplicate key" && !key.is_empty() {
        return (
            format!("`{key}` is set twice"),
            Some(format!(
                "a key is set once: remove one of the `{key} = ...` lines"
            )),
        );
    }
    (message.to_string(), None)
}

/// An example line for a front-matter key, for help texts.
fn example_for(key: &str) -> String {
    let value = match key {
        "title" => "\"A Clear Title\"",
        "name" => "\"Jane Doe\"",
        "date" | "updated" => "2024-01-15",
        "authors" => "[\"jane-doe\"]",
        "topics" => "[\"Arms Control\", \"Sanctions\"]",
        "regions" => "[\"East Asia\"]",
        "key_takeaways" | "pull_quotes" => "[\"First.\", \"Second.\"]",
        "toc" | "draft" | "featured" => "true",
        _ => "\"...\"",
    };
    format!("{key} = {value}")
}

/// The error for a file that starts with YAML front matter, showing the TOML it should be.
fn yaml_error(content: &str, path: &Path) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Kind::FrontMatter,
        "front matter is YAML (`---`), but brief reads TOML between `+++` lines",
    )
    .at(Location::at(path, 1, 1));
    let yaml = content
        .split_inclusive('\n')
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .collect::<String>();
    match yaml_to_toml(&yaml) {
        Some(toml) => diagnostic
            .help("replace the front matter with the TOML shown above")
            .detail(format!("+++\n{}+++", toml)),
        None => diagnostic.help(
            "replace both `---` lines with `+++` and write the keys as TOML, e.g. title = \"...\"",
        ),
    }
}

fn yaml_to_toml(yaml: &str) -> Option<String> {
    let table: toml::Table = serde_yaml_ng::from_str(yaml).ok()?;
    toml::to_string(&table).ok()
}

/// A publication date: a TOML date (`2023-09-15`), datetime, or a string holding either. A
/// datetime's time of day (`2024-03-15T09:00:00Z`) orders the briefs of one day (the later
/// first in lists) and goes into feeds' timestamps; pages show the date alone. Dates compare
/// as the moments they name in UTC ([`PubDate::instant`]).
#[derive(Debug, Clone, Copy)]
pub struct PubDate(pub jiff::civil::Date, pub Option<TimeOfDay>);

/// The time of a datetime as written: clock time, and its offset when it has one (`Z`,
/// `+02:00`); a local time is taken as UTC in feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay {
    pub time: jiff::civil::Time,
    /// Seconds east of UTC.
    pub offset: Option<i32>,
}

impl PubDate {
    pub fn parse(text: &str) -> Result<PubDate, String> {
        let wrong = || format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2023-09-15");
        let date_part = text.get(..10).unwrap_or(text);
        let date = date_part
            .parse::<jiff::civil::Date>()
            .map_err(|_| wrong())?;
        let rest = text.get(10..).unwrap_or("");
        // A time that cannot be read leaves the date alone, as before times were kept.
        Ok(PubDate(date, time_of_day(rest)))
    }

    /// The moment in UTC: a date alone is its midnight, a time without offset is UTC (as in
    /// feeds), so that `18:00+09:00` comes before `10:00Z` of the same day.
    pub fn instant(&self) -> jiff::civil::DateTime {
        let Some(t) = &self.1 else {
            return self.0.to_datetime(jiff::civil::Time::midnight());
        };
        let local = self.0.to_datetime(t.time);
        let offset = jiff::SignedDuration::from_secs(i64::from(t.offset.unwrap_or(0)));
        local.checked_sub(offset).unwrap_or(local)
    }

    /// ISO form of the date, `2023-09-15`.
    pub fn iso(&self) -> String {
        self.0.to_string()
    }

    /// RFC 3339, for feeds: the time of day when given, else midnight UTC.
    pub fn timestamp(&self) -> String {
        match &self.1 {
            None => format!("{}T00:00:00Z", self.0),
            Some(t) => {
                let offset = match t.offset {
                    None | Some(0) => "Z".to_string(),
                    Some(seconds) => {
                        let sign = if seconds < 0 { '-' } else { '+' };
                        let minutes = seconds.unsigned_abs() / 60;
                        format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
                    }
                };
                format!("{}T{}{offset}", self.0, t.time.strftime("%H:%M:%S"))
            }
        }
    }

    /// Reader-facing English form, `September 15, 2023`.
    pub fn display(&self) -> String {
        self.0.strftime("%B %-d, %Y").to_string()
    }
}

/// The time after a datetime's date: `T09:00:00Z`, `T18:30:00+02:00`, or Hugo's
/// ` 10:00:00 -0400`.
fn time_of_day(rest: &str) -> Option<TimeOfDay> {
    let clock = rest.strip_prefix(['T', 't', ' '])?.trim();
    // The clock time ends where its offset starts: `Z`, `+hh:mm` or `-hh:mm`.
    let end = clock.find(['Z', 'z', '+', '-']).unwrap_or(clock.len());
    let time = clock[..end].trim().parse::<jiff::civil::Time>().ok()?;
    let offset = match &clock[end..] {
        "" => None,
        "Z" | "z" => Some(0),
        other => Some(offset_seconds(other)?),
    };
    Some(TimeOfDay { time, offset })
}

impl PartialEq for PubDate {
    fn eq(&self, other: &Self) -> bool {
        self.instant() == other.instant()
    }
}

impl Eq for PubDate {}

impl PartialOrd for PubDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PubDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant().cmp(&other.instant())
    }
}

impl std::hash::Hash for PubDate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant().hash(state);
    }
}

/// `+02:00`, `-0530` or `+02` in seconds east of UTC.
fn offset_seconds(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

impl Serialize for PubDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            None => serializer.serialize_str(&self.iso()),
            Some(_) => serializer.serialize_str(&self.timestamp()),
        }
    }
}

impl<'de> Deserialize<'de> for PubDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = PubDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2023-09-15")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<PubDate, E> {
                PubDate::parse(text).map_err(E::custom)
            }
            // TOML datetimes reach serde as a one-entry map that toml's own type knows how to read.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PubDate, A::Error> {
                let datetime =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if datetime.date.is_none() {
                    return Err(de::Error::custom(format!(
                        "`{datetime}` is a time of day, not a date; write it as YYYY-MM-DD"
                    )));
                }
                PubDate::parse(&datetime.to_string()).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "content/briefs/x.md";

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"A\"\n+++\n\nBody\n";
        let split = split(text, Path::new(P)).unwrap();
        assert_eq!(split.front, "title = \"A\"\n");
        assert_eq!(split.body, "\nBody\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn missing_and_unterminated_front_matter_are_errors() {
        let err = split("# Just text\n", Path::new(P)).unwrap_err();
        assert!(err.to_string().contains("no front matter found"), "{err}");
        let err = split("+++\ntitle = \"A\"\nBody", Path::new(P)).unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn yaml_front_matter_error_shows_the_toml() {
        let err = split(
            "---\ntitle: Hello\ntopics:\n  - Arms\n---\nBody",
            Path::new(P),
        )
        .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("TOML"), "{shown}");
        assert!(shown.contains("title = \"Hello\""), "{shown}");
        assert!(shown.contains("topics = [\"Arms\"]"), "{shown}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        date: PubDate,
    }

    #[test]
    fn toml_errors_point_at_the_file_line() {
        let text = "+++\ntitle = \"A\"\ndate = 2023-09-15\ntitel = \"B\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let err = parse::<Fm>(text, &s, Path::new(P), &["title", "date"]).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("content/briefs/x.md:4:1"), "{shown}");
        assert!(shown.contains("did you mean `title`"), "{shown}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithHero {
        title: String,
        hero: Option<Hero>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Hero {
        image: Option<String>,
    }

    #[test]
    fn unknown_key_in_a_table_lists_that_tables_keys() {
        let text = "+++\ntitle = \"A\"\n[hero]\nimag = \"x.jpg\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let tables: &[(&str, &[&str])] = &[("hero", &["image", "alt"])];
        let err = parse_with_tables::<WithHero>(text, &s, Path::new(P), &["title", "hero"], tables)
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains(":4:1: unknown key `imag` in [hero]"),
            "{shown}"
        );
        assert!(
            shown.contains("did you mean `image`? [hero] takes image, alt"),
            "{shown}"
        );
    }

    #[test]
    fn dates_accept_toml_dates_datetimes_and_strings() {
        for value in ["2023-09-15", "2023-09-15T10:00:00Z", "\"2023-09-15\""] {
            let text = format!("+++\ntitle = \"A\"\ndate = {value}\n+++\n");
            let s = split(&text, Path::new(P)).unwrap();
            let fm: Fm = parse(&text, &s, Path::new(P), &["title", "date"]).unwrap();
            assert_eq!(fm.date.display(), "September 15, 2023");
        }
        let text = "+++\ntitle = \"A\"\ndate = \"Sept 15\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let err = parse::<Fm>(text, &s, Path::new(P), &["title", "date"]).unwrap_err();
        assert!(err.to_string().contains(":3:"), "{err}");
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn dates_toml_cannot_read_are_explained_at_their_line() {
        for (value, example) in [
            ("Sept 15 2023", "date = 2023-09-15"),
            ("15/09/2023", "date = 2023-09-15"),
            ("2023-09-20 10:00:00 -0400", "date = 2023-09-20"),
        ] {
            let text = format!("+++\ntitle = \"A\"\ndate = {value}\n+++\n");
            let s = split(&text, Path::new(P)).unwrap();
            let err = parse::<Fm>(&text, &s, Path::new(P), &["title", "date"]).unwrap_err();
            let shown = err.to_string();
            assert!(
                shown.contains(":3:")
                    && shown.contains(&format!(
                        "`date` must be a date written YYYY-MM-DD, not `{value}`"
                    )),
                "{shown}"
            );
            assert!(shown.contains(example), "{shown}");
        }
        // Quoted, the Hugo form is read for its date.
        let text = "+++\ntitle = \"A\"\ndate = \"2023-09-15 10:00:00 -0400\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let fm: Fm = parse(text, &s, Path::new(P), &["title", "date"]).unwrap();
        assert_eq!(fm.date.display(), "September 15, 2023");
        assert_eq!(fm.date.timestamp(), "2023-09-15T10:00:00-04:00");
    }

    #[test]
    fn a_datetimes_time_is_kept_for_feeds_and_order() {
        let at = |text: &str| PubDate::parse(text).unwrap();
        assert_eq!(at("2024-03-15").timestamp(), "2024-03-15T00:00:00Z");
        assert_eq!(
            at("2024-03-15T09:00:00Z").timestamp(),
            "2024-03-15T09:00:00Z"
        );
        assert_eq!(
            at("2024-03-15T18:30:00+02:00").timestamp(),
            "2024-03-15T18:30:00+02:00"
        );
        assert_eq!(
            at("2024-03-15T18:30:00").timestamp(),
            "2024-03-15T18:30:00Z"
        );
        assert_eq!(
            at("2024-03-15Tnonsense").timestamp(),
            "2024-03-15T00:00:00Z"
        );
        assert!(at("2024-03-15T09:00:00Z") > at("2024-03-15"));
        assert!(at("2024-03-15T18:00:00Z") > at("2024-03-15T09:00:00Z"));
        // In UTC: 18:00 in Tokyo is 09:00Z, before 10:00Z; 01:00 the next day there is 16:00Z.
        assert!(at("2024-03-15T18:00:00+09:00") < at("2024-03-15T10:00:00Z"));
        assert!(at("2024-03-16T01:00:00+09:00") < at("2024-03-15T20:00:00Z"));
        assert_eq!(at("2024-03-15T12:00:00+02:00"), at("2024-03-15T10:00:00Z"));
        assert_eq!(at("2024-03-15T18:00:00Z").iso(), "2024-03-15");
    }

    #[test]
    fn a_brief_key_written_below_hero_is_explained() {
        let text = "+++\ntitle = \"A\"\n[hero]\nimage = \"x.jpg\"\ntitle = \"B\"\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let tables: &[(&str, &[&str])] = &[("hero", &["image", "alt"])];
        let err = parse_with_tables::<WithHero>(text, &s, Path::new(P), &["title", "hero"], tables)
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains(":5:1: unknown key `title` in [hero]"),
            "{shown}"
        );
        assert!(shown.contains("move it above [hero]"), "{shown}");
    }

    #[test]
    fn a_wrong_value_inside_a_list_spread_over_lines_names_its_key() {
        let text = "+++\ntitle = \"A\"\ntopics = [\n  \"a\",\n  3,\n]\n+++\n";
        let s = split(text, Path::new(P)).unwrap();
        let err = parse::<WithTopics>(text, &s, Path::new(P), &["title", "topics"]).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(":5:3: `topics` must be"), "{shown}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithTopics {
        title: String,
        topics: Vec<String>,
    }

    #[test]
    fn carriage_return_line_endings_are_named() {
        let err = split("+++\rtitle = \"A\"\r+++\rBody\r", Path::new(P)).unwrap_err();
        assert!(err.to_string().contains("carriage return"), "{err}");
    }
}
