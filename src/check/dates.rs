//! Dates an editor would not publish as they are: a brief dated in the future (brief has no
//! embargo: it is published at the next build, at the top of every list and feed), and an
//! `updated` before the `date` it updates. Checked here rather than at load, because the
//! first depends on the day the check runs, which a build (and its cache) must not.

use std::path::Path;

use jiff::civil::Date;

use super::warning_at;
use crate::content::Brief;
use crate::error::Diagnostic;

/// The warnings of one brief's dates, `today` being the check's day.
pub fn warnings(root: &Path, brief: &Brief, today: Date) -> Vec<Diagnostic> {
    let front = &brief.front;
    let text = std::fs::read_to_string(root.join(&brief.source)).unwrap_or_default();
    let mut found = Vec::new();
    if front.date.0 > today {
        found.push(warning_at(
            &brief.source,
            key_line(&text, "date"),
            format!(
                "dated {}, after today: it is published now, first in every list and feed; take it out of content/ (or set draft = true) until that day",
                front.date.iso()
            ),
        ));
    }
    if let Some(updated) = front.updated
        && updated.0 < front.date.0
    {
        found.push(warning_at(
            &brief.source,
            key_line(&text, "updated"),
            format!(
                "updated {} is before its date {}: the page would say it was updated before it was published",
                updated.iso(),
                front.date.iso()
            ),
        ));
    }
    found
}

/// The line of the front matter's `key = …`, if it is on a line of its own.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take_while({
            let mut fences = 0;
            move |line| {
                if line.trim_end() == "+++" {
                    fences += 1;
                }
                fences < 2
            }
        })
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keys_line_is_found_in_the_front_matter_only() {
        let text =
            "+++\ntitle = \"A\"\ndate = 2030-01-01\nupdated= 2029-01-01\n+++\n\ndate = body\n";
        assert_eq!(key_line(text, "date"), Some(3));
        assert_eq!(key_line(text, "updated"), Some(4));
        assert_eq!(key_line(text, "draft"), None);
    }
}
