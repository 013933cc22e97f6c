//! The table of contents: a pure function from the flat list of headings to a tree.

use serde::Serialize;

use super::headings::Heading;

/// One entry of a table of contents, with the entries nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Nests each heading under the nearest earlier heading of a higher rank. A skipped level
/// (h2 then h4) nests directly, and a first heading deeper than later ones stays at the top, so
/// no entry is ever empty.
pub fn build(headings: &[Heading]) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for heading in headings {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.title.clone(),
            children: Vec::new(),
        };
        insert(&mut roots, entry);
    }
    roots
}

/// Ids of the sections the theme renders after the body; reserved in
/// [`super::headings`] so that no heading takes them.
pub const RECOMMENDATIONS_ID: &str = "recommendations-title";
pub const NOTES_ID: &str = "notes-title";
/// Id of the references list's heading (works cited from a bibliography).
pub const REFERENCES_ID: &str = "references-title";

/// Appends "Recommendations" and "Notes" entries for the sections that follow the body, when
/// the brief has them, so the contents list the whole page.
pub fn with_back_matter(
    mut toc: Vec<TocEntry>,
    recommendations: bool,
    notes: bool,
) -> Vec<TocEntry> {
    let entries = [
        (recommendations, RECOMMENDATIONS_ID, "Recommendations"),
        (notes, NOTES_ID, "Notes"),
    ];
    for (present, id, title) in entries {
        if present {
            toc.push(TocEntry {
                level: 2,
                id: id.to_string(),
                title: title.to_string(),
                children: Vec::new(),
            });
        }
    }
    toc
}

/// Appends a "References" entry after the back matter when the brief lists works cited.
pub fn with_references(mut toc: Vec<TocEntry>, present: bool) -> Vec<TocEntry> {
    if present {
        toc.push(TocEntry {
            level: 2,
            id: REFERENCES_ID.to_string(),
            title: "References".to_string(),
            children: Vec::new(),
        });
    }
    toc
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.to_uppercase(),
        }
    }

    /// The tree as "id(children)" for compact assertions.
    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level() {
        let toc = build(&[h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(3, "b1")]);
        assert_eq!(shape(&toc), "a(a1 a2) b(b1)");
    }

    #[test]
    fn skipped_levels_nest_without_empty_items() {
        let toc = build(&[h(2, "a"), h(4, "deep"), h(3, "mid")]);
        assert_eq!(shape(&toc), "a(deep mid)");
    }

    #[test]
    fn deeper_first_heading_stays_at_top() {
        let toc = build(&[h(3, "first"), h(2, "a"), h(3, "a1")]);
        assert_eq!(shape(&toc), "first a(a1)");
    }

    #[test]
    fn back_matter_entries_close_the_toc_when_present() {
        let toc = build(&[h(2, "a"), h(3, "a1")]);
        assert_eq!(
            shape(&with_back_matter(toc.clone(), true, true)),
            "a(a1) recommendations-title notes-title"
        );
        assert_eq!(
            shape(&with_back_matter(toc.clone(), false, true)),
            "a(a1) notes-title"
        );
        assert_eq!(shape(&with_back_matter(toc, false, false)), "a(a1)");
    }

    #[test]
    fn empty_input_gives_empty_toc() {
        assert!(build(&[]).is_empty());
    }
}
