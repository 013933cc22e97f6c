//! The few helpers through which site files are read, so every I/O error carries its path.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Kind, Location, line_col};

/// Reads a UTF-8 text file; `display` is the path shown to the user (relative to the site root).
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io("read the file", display, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        // Locate the bad byte using the valid prefix, which is text we can count lines in.
        let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, prefix.len());
        Diagnostic::new(
            Kind::Encoding,
            format!("the file is not valid UTF-8 (bad byte at offset {valid})"),
        )
        .at(Location::at(display, line, column))
        .help("save the file with UTF-8 encoding (most editors offer it under \"Save with encoding\")")
    })
}

/// `path` relative to `root` for messages; the path itself when it is not below `root`.
pub fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
