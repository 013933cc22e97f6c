//! Control characters (NUL, backspace, form feed, … : C0 except tab, line feed and carriage
//! return, and DEL) in a content file. They are invisible in an editor, arrive by pasting from
//! PDFs and word processors, and would reach the HTML pages and the `.bib`/`.ris` files, where
//! some readers refuse them. So they are an error at their line, whether typed in the text or
//! written as a TOML escape (`"\u0000"`, `"\b"`) in the front matter.

use std::path::Path;

use super::frontmatter::{Lines, Split};
use crate::error::{Diagnostic, Kind, Location, line_col};

/// Errors reported per file at most; a file full of them needs one fix, not a screenful.
const MAX_REPORTED: usize = 5;

fn is_control(c: char) -> bool {
    (c.is_control() && c < '\u{80}') && !matches!(c, '\t' | '\n' | '\r')
}

/// [`is_control`] of an ASCII byte.
fn is_control_byte(b: u8) -> bool {
    b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Errors for the control characters of the content file `text`.
pub fn errors(text: &str, split: &Split, keys: &Lines, rel: &Path) -> Vec<Diagnostic> {
    // The usual file, checked byte by byte (these characters are ASCII, and no byte of a
    // longer UTF-8 character is) and without parsing its front matter again: a value can hold
    // a control character the text does not only through an escape, which starts with `\`.
    if !text.bytes().any(is_control_byte) && !split.front.contains('\\') {
        return Vec::new();
    }
    let mut errors: Vec<Diagnostic> = text
        .char_indices()
        .filter(|(_, c)| is_control(*c))
        .take(MAX_REPORTED)
        .map(|(offset, c)| {
            let (line, column) = line_col(text, offset);
            error(c, Location::at(rel, line, column))
        })
        .collect();
    if errors.is_empty()
        && let Ok(table) = split.front.parse::<toml::Table>()
    {
        for (key, value) in &table {
            if let Some(c) = first_control(value) {
                errors.push(error(c, keys.location(rel, key)));
            }
        }
    }
    errors
}

/// The first control character of the 1-based `line` of `text`, with its column: TOML refuses
/// one in a string ("invalid basic string", which reads as an unclosed quote), so a syntax
/// error on its line is this one.
pub fn on_line(text: &str, line: usize) -> Option<(char, usize)> {
    let shown = text.lines().nth(line.checked_sub(1)?)?;
    shown
        .chars()
        .enumerate()
        .find(|(_, c)| is_control(*c))
        .map(|(at, c)| (c, at + 1))
}

pub fn error(c: char, at: Location) -> Diagnostic {
    Diagnostic::new(
        Kind::Encoding,
        format!("invisible control character U+{:04X} in the text", c as u32),
    )
    .at(at)
    .help("delete it (it often comes from pasting out of a PDF or a word processor)")
}

/// The first control character in the strings of a TOML value.
fn first_control(value: &toml::Value) -> Option<char> {
    match value {
        toml::Value::String(s) => s.chars().find(|c| is_control(*c)),
        toml::Value::Array(items) => items.iter().find_map(first_control),
        toml::Value::Table(table) => table.values().find_map(first_control),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::split;

    fn found(text: &str) -> Vec<String> {
        let rel = Path::new("content/briefs/x.md");
        let parts = split(text, rel).unwrap();
        let schema = crate::tomlkeys::Schema {
            keys: &["title", "summary"],
            tables: &[],
        };
        let (_, positions) = crate::tomlkeys::read::<toml::Table>(parts.front, &schema).unwrap();
        let keys = positions.in_file(text, parts.front_offset);
        errors(text, &parts, &keys, rel)
            .iter()
            .map(|d| d.to_string().lines().next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn control_characters_are_errors_at_their_line() {
        let errors = found("+++\ntitle = \"T\"\n+++\n\nText\u{0}here.\n\tTabbed\r\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("content/briefs/x.md:5:5: invisible control character U+0000"),
            "{errors:?}"
        );
    }

    #[test]
    fn toml_escapes_of_control_characters_are_errors_too() {
        let errors = found("+++\ntitle = \"T\"\nsummary = \"a\\bb\"\n+++\n\nText.\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("x.md:3:1:"), "{errors:?}");
        assert!(found("+++\ntitle = \"T\\tx\"\n+++\n\nText.\n").is_empty());
    }
}
