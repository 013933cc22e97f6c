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

/// C0 controls but tab and line ends, DEL, the C1 controls (U+0080 to U+009F: Windows-1252
/// punctuation of an old page read as Latin-1, "U+0092" for "’"), and the noncharacters
/// U+FFFE and U+FFFF.
fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `bytes` (UTF-8) hold a character [`is_control`] takes, in one pass without decoding:
/// those of C0 and DEL are ASCII bytes, C1's are 0xC2 0x80-0x9F, U+FFFE/U+FFFF 0xEF 0xBF 0xBE/BF.
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// What a C1 control stood for in Windows-1252, the encoding of the page it came from.
fn windows_1252(c: char) -> Option<char> {
    const TABLE: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let at = (c as u32).checked_sub(0x80).filter(|at| *at < 32)?;
    Some(TABLE[at as usize]).filter(|c| *c != '\0')
}

/// `text` with each C1 control replaced by the Windows-1252 character it stood for (and the
/// five that stand for none removed): what an import does with an old page's text.
pub fn repair_windows_1252(text: String) -> String {
    if !text.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)) {
        return text;
    }
    text.chars()
        .filter_map(|c| match c {
            '\u{80}'..='\u{9F}' => windows_1252(c),
            _ => Some(c),
        })
        .collect()
}

/// Errors for the control characters of the content file `text`.
pub fn errors(text: &str, split: &Split, keys: &Lines, rel: &Path) -> Vec<Diagnostic> {
    // The usual file, checked byte by byte ([`has_control`]) and without parsing its front
    // matter again: a value can hold a control character the text does not only through an
    // escape, which starts with `\`.
    if !has_control(text.as_bytes()) && !split.front.contains('\\') {
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
    let help = match windows_1252(c) {
        Some(meant) => format!(
            "it is the `{meant}` of an old page read in the wrong encoding: replace it with {meant}"
        ),
        None => "delete it (it often comes from pasting out of a PDF or a word processor)".into(),
    };
    Diagnostic::new(
        Kind::Encoding,
        format!("invisible control character U+{:04X} in the text", c as u32),
    )
    .at(at)
    .help(help)
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

    #[test]
    fn c1_controls_and_noncharacters_are_found_and_an_import_repairs_c1() {
        assert!(has_control("It\u{92}s".as_bytes()));
        assert!(has_control("end\u{FFFF}".as_bytes()));
        assert!(!has_control("Ünïcödé – “quoted” ’ €".as_bytes()));
        assert_eq!(
            repair_windows_1252("It\u{92}s \u{93}so\u{94}\u{85}\u{81}".to_string()),
            "It’s “so”…"
        );
        let shown = error('\u{92}', Location::file("x.md")).to_string();
        assert!(shown.contains("replace it with ’"), "{shown}");
    }

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
