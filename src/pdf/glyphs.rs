//! The letters a typeset PDF shows as empty boxes: those no font of the template has.
//!
//! Typst draws such a letter with glyph 0 (".notdef", a box) of the last font it tried, and
//! the PDF/UA export then refuses the document naming only the first letter and a font. An
//! editor needs all of them and the script they belong to, to know which font to add.

use std::fmt::Write as _;

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use unicode_script::{Script, UnicodeScript};

/// How many different letters the message quotes.
const QUOTED: usize = 12;

/// "its fonts have no letters for "김정은" (Hangul)", or `None` when every letter has one.
pub fn missing(doc: &PagedDocument) -> Option<String> {
    let mut letters: Vec<char> = Vec::new();
    for page in doc.pages() {
        collect(&page.frame, &mut letters);
    }
    if letters.is_empty() {
        return None;
    }
    let mut scripts: Vec<&'static str> = Vec::new();
    for c in &letters {
        let script = c.script();
        if !matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
            let name = script.full_name();
            if !scripts.contains(&name) {
                scripts.push(name);
            }
        }
    }
    let mut message = String::from("its fonts have no letters for \"");
    message.extend(letters.iter().take(QUOTED));
    message.push('"');
    if letters.len() > QUOTED {
        let _ = write!(message, " and {} more", letters.len() - QUOTED);
    }
    if !scripts.is_empty() {
        let _ = write!(message, " ({})", scripts.join(", "));
    }
    message.push_str(
        ", shown as empty boxes: put a font that has them (an .otf or .ttf file, e.g. one of \
         the Noto fonts) in the site's pdf/fonts/ folder",
    );
    Some(message)
}

/// The letters drawn with glyph 0 in this frame and the frames it holds, each once, in the
/// order they first appear.
fn collect(frame: &Frame, letters: &mut Vec<char>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect(&group.frame, letters),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    let shown = text.text.get(glyph.range()).unwrap_or_default();
                    for c in shown.chars().filter(|c| !c.is_whitespace()) {
                        if !letters.contains(&c) {
                            letters.push(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
