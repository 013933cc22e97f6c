//! Pass: every heading gets a stable, unique id and a self-link.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

use super::text;

/// A heading as found in the document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// Ids the theme uses on every brief page, so a heading never takes one of them.
const RESERVED_IDS: &[&str] = &[
    "main",
    "toc-title",
    "notes-title",
    "recommendations-title",
    "cite-title",
    "takeaways-title",
    "authors-title",
    "latest-title",
    "author-briefs-title",
];

/// Note and reference ids (`note-3`, `ref-3-2`) belong to the notes pass.
fn is_note_id(id: &str) -> bool {
    let rest = id.strip_prefix("note-").or_else(|| id.strip_prefix("ref-"));
    rest.is_some_and(|r| {
        r.split('-')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Gives every heading an id (an explicit `{#id}`, else its slugified text with `-1`, `-2` for
/// repeats) and appends a self-link; returns the new events and the headings found.
pub fn assign_ids(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Heading>) {
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    // Explicit ids are honoured as written, so claim them before generating any.
    for event in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let end = i + events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len() - i - 1);
        let title = text::plain(&events[i + 1..end]);
        let id = match id {
            Some(id) => id.to_string(),
            None => unique_id(&slugify(&title), &mut used),
        };
        out.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id.clone())),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(events[i + 1..end].iter().cloned());
        out.push(Event::InlineHtml(self_link(&id).into()));
        out.push(events[end].clone());
        headings.push(Heading {
            level: *level as u8,
            id,
            title,
        });
        i = end + 1;
    }
    (out, headings)
}

fn self_link(id: &str) -> String {
    let mut href = String::new();
    escape_href(&mut href, id).expect("writing to a String cannot fail");
    format!(r##"<a class="heading-anchor" href="#{href}" aria-hidden="true" tabindex="-1">#</a>"##)
}

/// The id a heading's text gives: ASCII, lower case, words joined by `-`.
pub fn slugify(title: &str) -> String {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if is_note_id(base) {
        format!("section-{base}")
    } else {
        base.to_string()
    };
    let mut candidate = base.clone();
    let mut n = 0;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parser_options;
    use pulldown_cmark::Parser;

    fn ids(source: &str) -> Vec<String> {
        let events: Vec<Event> = Parser::new_ext(source, parser_options()).collect();
        assign_ids(events).1.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn repeated_titles_get_numbered_ids() {
        assert_eq!(
            ids("## Notes\n## Notes\n## Notes"),
            ["notes", "notes-1", "notes-2"]
        );
    }

    #[test]
    fn explicit_ids_are_honoured_and_not_reused() {
        assert_eq!(ids("## Intro\n## Other {#intro}"), ["intro-1", "intro"]);
    }

    #[test]
    fn ids_are_ascii_slugs_of_the_text() {
        assert_eq!(
            ids("## Kim’s *Choice*: Russia & China"),
            ["kim-s-choice-russia-china"]
        );
        assert_eq!(ids("## ???"), ["section"]);
        assert_eq!(ids("## Main"), ["main-1"]);
        assert_eq!(ids("## Note 1"), ["section-note-1"]);
    }

    #[test]
    fn headings_get_a_self_link() {
        let events: Vec<Event> = Parser::new_ext("## A b", parser_options()).collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, assign_ids(events).0.into_iter());
        assert_eq!(
            html.trim(),
            r##"<h2 id="a-b">A b<a class="heading-anchor" href="#a-b" aria-hidden="true" tabindex="-1">#</a></h2>"##
        );
    }
}
