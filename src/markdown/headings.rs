//! Pass: every heading gets a stable id, unique on every page the document appears on, and a
//! self-link.
//!
//! Ids are unique on the page, not only in the document: a heading never takes an id the theme
//! reserves (its theme.toml's `reserved_ids`) or a note's (`note-3`, `ref-3-2`), and a document shown on pages of
//! other documents (an author's bio, in the box of every brief by that author) has all its ids
//! behind a prefix of its own, `bio-<author id>--` (see [`super::RenderSettings::id_prefix`]).
//! An explicit `{#id}` that would clash is an error at its line ([`check_explicit`]).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::text;

/// A heading as found in the document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// Its id on the page, with the document's prefix.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// The start of the id prefix of author bios; see [`bio_prefix`].
const BIO_PREFIX: &str = "bio-";

/// The id prefix of the bio of the author `author_id`: `bio-jane-doe--`. Generated ids never
/// hold `--`, and explicit ids of that shape are refused, so a bio's ids cannot meet a brief's.
pub fn bio_prefix(author_id: &str) -> String {
    format!("{BIO_PREFIX}{author_id}--")
}

/// Note and reference ids (`note-3`, `ref-3-2`) belong to the notes pass.
fn is_note_id(id: &str) -> bool {
    let rest = id.strip_prefix("note-").or_else(|| id.strip_prefix("ref-"));
    rest.is_some_and(|r| {
        r.split('-')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// An explicit heading id that would not be unique on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId {
    pub id: String,
    /// Byte offset of the heading in the Markdown.
    pub offset: usize,
    /// Why, e.g. "the theme uses it for the notes' heading".
    pub why: String,
}

/// The explicit `{#id}`s of a document that clash with another explicit id, an id of the
/// theme, a note's id or the ids of bios.
pub fn check_explicit(events: &[(Event, Range<usize>)], reserved_ids: &[String]) -> Vec<BadId> {
    let mut seen = HashSet::new();
    let mut bad = Vec::new();
    for (event, range) in events {
        let Event::Start(Tag::Heading { id: Some(id), .. }) = event else {
            continue;
        };
        let why = if reserved_ids.iter().any(|r| r == id.as_ref()) {
            Some("the theme already uses this id on the page".to_string())
        } else if is_note_id(id) {
            Some("ids note-N and ref-N are the notes' and their references'".to_string())
        } else if id.starts_with(BIO_PREFIX) && id.contains("--") {
            Some("ids bio-…--… are those of the authors' bios".to_string())
        } else if !seen.insert(id.to_string()) {
            Some("an earlier heading of this document has the same id".to_string())
        } else {
            None
        };
        if let Some(why) = why {
            bad.push(BadId {
                id: id.to_string(),
                offset: range.start,
                why,
            });
        }
    }
    bad
}

/// Errors for the clashing ids of the document `rel` whose body starts at `body_line`.
pub fn diagnostics(
    bad: &[BadId],
    rel: &std::path::Path,
    body: &str,
    body_line: usize,
) -> Vec<crate::error::Diagnostic> {
    use crate::error::{Diagnostic, Kind, Location, line_col};
    bad.iter()
        .map(|b| {
            let (line, column) = line_col(body, b.offset);
            Diagnostic::new(
                Kind::Markdown,
                format!(
                    "heading id `{{#{}}}` is not unique on the page: {}",
                    b.id, b.why
                ),
            )
            .at(Location::at(rel, body_line + line - 1, column))
            .help("choose another id, or remove `{#…}` to let the heading's text make one")
        })
        .collect()
}

/// What [`assign_ids`] found besides the new events.
#[derive(Debug, Default)]
pub struct Found {
    pub headings: Vec<Heading>,
    /// Ids of the document before its prefix, for its own `#` links.
    pub local_ids: HashSet<String>,
    pub warnings: Vec<String>,
}

/// Gives every heading an id (an explicit `{#id}`, else its slugified text with `-1`, `-2` for
/// repeats), with `prefix` in front, and appends a self-link. A heading without text is left
/// out (with a warning): it would be an empty heading and an empty entry of the contents.
pub fn assign_ids<'a>(
    events: Vec<Event<'a>>,
    prefix: &str,
    markup: &super::fragments::Markup,
) -> (Vec<Event<'a>>, Found) {
    let mut used: HashSet<String> = markup.reserved_ids().iter().cloned().collect();
    // Explicit ids are honoured as written, so claim them before generating any.
    for event in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut found = Found::default();
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
        let title = text::collapse_whitespace(&text::plain(&events[i + 1..end]));
        if title.is_empty() && !has_image(&events[i + 1..end]) {
            found.warnings.push(
                "a heading has no text, so it is left out; write its title after the `#`s, or remove the line".to_string(),
            );
            i = end + 1;
            continue;
        }
        let local = match id {
            Some(id) => id.to_string(),
            None => unique_id(&slugify(&title), &mut used),
        };
        let id = format!("{prefix}{local}");
        found.local_ids.insert(local);
        out.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id.clone())),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(events[i + 1..end].iter().cloned());
        out.extend(super::furniture(markup.heading_anchor(&id)));
        out.push(events[end].clone());
        found.headings.push(Heading {
            level: *level as u8,
            id,
            title,
        });
        i = end + 1;
    }
    (out, found)
}

fn has_image(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { .. })))
}

/// Puts `prefix` in the `#fragment` links of a prefixed document that point at its own
/// headings (`local_ids`) or notes, so they still arrive once the ids carry the prefix.
pub fn prefix_anchors<'a>(
    events: Vec<Event<'a>>,
    prefix: &str,
    local_ids: &HashSet<String>,
) -> Vec<Event<'a>> {
    if prefix.is_empty() {
        return events;
    }
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match dest_url.strip_prefix('#') {
                    Some(fragment) if local_ids.contains(fragment) || is_note_id(fragment) => {
                        CowStr::from(format!("#{prefix}{fragment}"))
                    }
                    _ => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        })
        .collect()
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
        assign_ids(events, "", &Default::default())
            .1
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect()
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
        assert_eq!(ids("## Related title"), ["related-title-1"]);
        assert_eq!(ids("## Note 1"), ["section-note-1"]);
    }

    #[test]
    fn headings_get_a_self_link() {
        let events: Vec<Event> = Parser::new_ext("## A b", parser_options()).collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            assign_ids(events, "", &Default::default()).0.into_iter(),
        );
        assert_eq!(
            html.trim().replace(crate::markdown::MARK, ""),
            r##"<h2 id="a-b">A b<a class="heading-anchor" href="#a-b" aria-hidden="true" tabindex="-1">#</a></h2>"##
        );
    }

    fn bad(source: &str) -> Vec<(String, usize)> {
        let events: Vec<_> = Parser::new_ext(source, parser_options())
            .into_offset_iter()
            .collect();
        check_explicit(
            &events,
            crate::markdown::fragments::Markup::default().reserved_ids(),
        )
        .into_iter()
        .map(|b| (b.id, b.offset))
        .collect()
    }

    #[test]
    fn explicit_ids_that_clash_on_the_page_are_refused() {
        assert_eq!(
            bad(
                "## A {#same}\n\n## B {#same}\n\n## C {#main}\n\n## D {#toc-title}\n\n## E {#note-1}\n\n## F {#bio-jane--x}\n\n## G {#fine}\n"
            ),
            [
                ("same".to_string(), 14),
                ("main".to_string(), 28),
                ("toc-title".to_string(), 42),
                ("note-1".to_string(), 61),
                ("bio-jane--x".to_string(), 77),
            ]
        );
    }

    #[test]
    fn a_heading_without_text_is_left_out_with_a_warning() {
        let events: Vec<Event> =
            Parser::new_ext("## A\n\n##\n\n### #\n", parser_options()).collect();
        let (events, found) = assign_ids(events, "", &Default::default());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        assert_eq!(found.headings.len(), 1, "{html}");
        assert_eq!(html.matches("<h2").count(), 1, "{html}");
        assert_eq!(found.warnings.len(), 2);
    }

    #[test]
    fn a_prefix_goes_before_ids_and_the_documents_own_anchors() {
        let events: Vec<Event> =
            Parser::new_ext("## Intro\n\n[up](#intro) [out](#main)", parser_options()).collect();
        let (events, found) = assign_ids(events, "bio-jane--", &Default::default());
        let events = prefix_anchors(events, "bio-jane--", &found.local_ids);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        assert!(html.contains(r#"<h2 id="bio-jane--intro">"#), "{html}");
        assert!(html.contains(r##"href="#bio-jane--intro">up"##), "{html}");
        assert!(html.contains(r##"href="#main">out"##), "{html}");
    }

    #[test]
    fn every_literal_id_of_the_default_theme_is_reserved() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let reserved = crate::theme::Manifest::builtin().reserved_ids();
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.unwrap();
            // The search page shows no Markdown, so its form's ids cannot meet a heading.
            if !entry.file_type().is_file() || entry.file_name() == "search.html" {
                continue;
            }
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for (at, _) in html.match_indices(" id=\"") {
                let value = &html[at + 5..];
                let value = &value[..value.find('"').unwrap()];
                if !value.contains("{{") && !reserved.iter().any(|r| r == value) {
                    missing.push(value.to_string());
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in theme.toml's reserved_ids: {missing:?}"
        );
    }
}
