//! Dates an editor would not publish as they are: a brief dated in the future (brief has no
//! embargo: it is published at the next build, at the top of every list and feed), and an
//! `updated` before the `date` it updates. Checked here rather than at load, because the
//! first depends on the day the check runs, which a build (and its cache) must not.

use jiff::civil::Date;

use super::warning_at;
use crate::content::Brief;
use crate::error::Diagnostic;

/// The warnings of one brief's dates, `today` being the check's day.
pub fn warnings(brief: &Brief, today: Date) -> Vec<Diagnostic> {
    let front = &brief.front;
    let mut found = Vec::new();
    if front.date.0 > today {
        found.push(warning_at(
            &brief.source,
            brief.keys.line("date"),
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
            brief.keys.line("updated"),
            format!(
                "updated {} is before its date {}: the page would say it was updated before it was published",
                updated.iso(),
                front.date.iso()
            ),
        ));
    }
    found
}
