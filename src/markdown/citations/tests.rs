use super::*;
use pulldown_cmark::Parser;

fn keys(text: &str) -> Vec<Vec<String>> {
    scan(text)
        .into_iter()
        .map(|(_, c, _)| c.cites.into_iter().map(|c| c.key).collect())
        .collect()
}

#[test]
fn finds_every_syntax() {
    assert_eq!(keys("As shown [@panda2020]."), [["panda2020"]]);
    assert_eq!(keys("@smith04 argues that"), [["smith04"]]);
    assert_eq!(keys("[see @a, chap. 2; @b]"), [vec!["a", "b"]]);
    let (_, c, _) = &scan("[see @a, chap. 2; -@b, p. 33]")[0];
    assert_eq!(c.cites[0].prefix, "see");
    assert_eq!(c.cites[0].suffix, "chap. 2");
    assert!(!c.cites[0].suppress_author);
    assert!(c.cites[1].suppress_author);
    assert_eq!(c.cites[1].suffix, "p. 33");
    assert!(!c.narrative);
    assert!(scan("@x said")[0].1.narrative);
}

#[test]
fn an_email_address_is_not_a_citation() {
    assert!(keys("write to jane@example.org or [jane@example.org]").is_empty());
}

#[test]
fn a_key_ends_before_closing_punctuation() {
    assert_eq!(keys("as @doe:2020. argued"), [["doe:2020"]]);
    assert_eq!(keys("(@doe2020)"), [["doe2020"]]);
}

#[test]
fn figure_and_table_references_are_left_to_the_figures_pass() {
    assert!(keys("see @fig-growth and [@tbl-costs]").is_empty());
}

struct Fake;

impl Engine for Fake {
    fn has(&self, key: &str) -> bool {
        key != "nope"
    }
    fn format(&self, citations: &[Citation]) -> Formatted {
        Formatted {
            texts: citations
                .iter()
                .map(|c| CitationText {
                    // A narrative citation names the author in the text, as in a note style.
                    inline: match c.cites[0].key.as_str() {
                        _ if !c.narrative => String::new(),
                        "ace" => "Acemoglu et al.".to_string(),
                        key => key.to_uppercase(),
                    },
                    note: Some(
                        c.cites
                            .iter()
                            .map(|c| c.key.as_str())
                            .collect::<Vec<_>>()
                            .join("+"),
                    ),
                })
                .collect(),
            references: vec!["ref".into()],
        }
    }
}

fn applied(markdown: &str) -> (Vec<Event<'_>>, Found) {
    let events = Parser::new_ext(markdown, super::super::parser_options())
        .into_offset_iter()
        .collect();
    let (events, found) = apply(events, markdown, &Fake);
    (events.into_iter().map(|(e, _)| e).collect(), found)
}

#[test]
fn code_and_escaped_at_signs_are_left_alone() {
    let (_, found) = applied("`[@a]` and\n\n```\n@b\n```\n\n\\@c and [@d]\n");
    assert_eq!(found.cited, ["d"]);
}

#[test]
fn a_note_style_citation_becomes_a_footnote() {
    let (events, found) = applied("Text [@a; @b] and @c.\n");
    let refs = events
        .iter()
        .filter(|e| matches!(e, Event::FootnoteReference(_)))
        .count();
    assert_eq!(refs, 2);
    assert_eq!(found.cited, ["a", "b", "c"]);
}

#[test]
fn unknown_keys_are_reported_at_their_at_sign() {
    let source = "One.\n\nSee [@a; @nope].\n";
    let (_, found) = applied(source);
    assert_eq!(found.unknown.len(), 1);
    assert_eq!(&source[found.unknown[0].offset..][..5], "@nope");
}

/// The HTML of the events, footnote references as `^label`.
fn written(markdown: &str) -> String {
    let (events, _) = applied(markdown);
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(text) | Event::InlineHtml(text) => out.push_str(&text),
            Event::FootnoteReference(label) => {
                out.push('^');
                out.push_str(label.trim_start_matches('\u{1}'));
            }
            Event::Start(Tag::FootnoteDefinition(_)) => break,
            _ => {}
        }
    }
    out
}

#[test]
fn a_citation_notes_number_goes_after_the_punctuation_that_follows() {
    assert_eq!(written("A market [@a]. Next"), "A market.^cite-0 Next");
    assert_eq!(written("Data from @wb."), "Data from WB.^cite-0");
    assert_eq!(written("As @wb, and more"), "As WB,^cite-0 and more");
    // The name's own period ends the sentence.
    assert_eq!(written("As @ace."), "As Acemoglu et al.^cite-0");
    assert_eq!(written("As @ace, too"), "As Acemoglu et al.,^cite-0 too");
    // The brief's own notes stay where the author put them.
    assert_eq!(written("Own[^1]. Text\n\n[^1]: A note.\n"), "Own^1. Text");
}

#[test]
fn a_replay_gives_the_kept_texts_for_the_same_citations_and_formats_others() {
    let (_, found) = applied("Text [@a; @b] and @c.\n");
    let mut made = found.made.clone();
    made.texts[0].note = Some("kept".to_string());
    let replay = Replay {
        engine: &Fake,
        made: &made,
        references: &found.references,
    };
    let again = replay.format(&found.made.citations);
    assert_eq!(again.texts[0].note.as_deref(), Some("kept"));
    assert_eq!(again.references, found.references);
    let other = &found.made.citations[1..];
    assert_eq!(replay.format(other), Fake.format(other));
}
