//! Errors as values. Every problem a user sees is a [`Diagnostic`]: the file (relative to the
//! site root), the line and column where known, what is wrong, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the site a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// Path relative to the site root, e.g. `content/briefs/x.md`.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// What kind of problem a diagnostic reports; lets tests and callers match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Config,
    FrontMatter,
    Encoding,
    UnknownAuthor,
    DuplicateSlug,
    PullQuote,
    /// A problem in the Markdown body (e.g. a heading id that is not unique on the page).
    Markdown,
    MissingFile,
    /// A bibliography file that cannot be read as BibTeX or Hayagriva YAML.
    Bibliography,
    Template,
    Io,
    Usage,
    /// Found by `brief check` in a built site (links, lengths, leftover boilerplate).
    Check,
}

/// Whether a problem stops the build (an error) or only deserves an editor's look (a warning).
/// Errors sort before warnings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found while loading, building or checking a site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub kind: Kind,
    pub severity: Severity,
    pub location: Option<Box<Location>>,
    pub message: String,
    pub help: Option<String>,
    /// Extra detail shown below the message, e.g. tera's annotated template excerpt.
    pub detail: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            severity: Severity::Error,
            location: None,
            message: message.into(),
            help: None,
            detail: None,
        }
    }

    /// A problem that does not stop the build.
    pub fn warning(kind: Kind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(kind, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path` with `line` if known (no column): where a warning found by searching text is.
    pub fn at_line(self, path: impl Into<PathBuf>, line: Option<usize>) -> Self {
        self.at(Location {
            path: path.into(),
            line,
            column: None,
        })
    }

    /// The one-line form `brief check` prints, `path:line: warning: message` (compiler style,
    /// so editors can jump to it); the column is left out.
    pub fn check_line(&self) -> String {
        let mut line = String::new();
        if let Some(location) = &self.location {
            line.push_str(&location.path.display().to_string());
            if let Some(number) = location.line {
                line.push_str(&format!(":{number}"));
            }
            line.push_str(": ");
        }
        line.push_str(&format!("{}: {}", self.severity.as_str(), self.message));
        line
    }

    /// Key to sort problems by: file, line, column, then message.
    pub fn sort_key(&self) -> (Option<(&Path, usize, usize)>, &str) {
        let location = self
            .location
            .as_ref()
            .map(|l| (l.path.as_path(), l.line.unwrap_or(0), l.column.unwrap_or(0)));
        (location, &self.message)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn in_file(self, path: impl Into<PathBuf>) -> Self {
        self.at(Location::file(path))
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// An I/O failure on `path` (already relative to the site root where possible).
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Diagnostic::new(Kind::Io, format!("could not {action}: {err}")).in_file(path)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity.as_str())?;
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(detail) = &self.detail {
            for line in detail.trim_end().lines() {
                write!(f, "\n    {line}")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// All the problems found in one run, reported together so an editor can fix them in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Ok(value)` when nothing was collected, else all collected problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Errors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Sorts problems by file and line so output is stable whatever the thread order was.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self
    }
}

impl From<Diagnostic> for Errors {
    fn from(diagnostic: Diagnostic) -> Self {
        Errors(vec![diagnostic])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        match self.0.len() {
            1 => write!(f, "1 error; nothing was written."),
            n => write!(f, "{n} errors; nothing was written."),
        }
    }
}

impl std::error::Error for Errors {}

/// Byte offset -> (line, column), both 1-based; columns count characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Suggests the closest candidate to a misspelt name, if one is close enough.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a\nbé\nc";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        assert_eq!(line_col(text, 5), (2, 3));
        assert_eq!(line_col(text, 6), (3, 1));
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["title", "subtitle", "date"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
