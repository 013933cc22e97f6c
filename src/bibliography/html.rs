//! hayagriva's formatted output as HTML, and the few changes made to it on the way.

use hayagriva::{Elem, ElemChild, ElemChildren, Formatted as Text};
use pulldown_cmark_escape::{escape_href, escape_html};

/// hayagriva's formatted output as HTML: text escaped (hayagriva's own HTML writer does not),
/// italics, bold and small caps as elements, links (DOIs, URLs) as links. A period right after
/// a title's own "?", "!" or "." (inside its quotes or italics) is dropped, as CSL's
/// punctuation rules ask and hayagriva misses across formatting: "<i>Who Wants War?</i>".
pub fn html(children: &ElemChildren) -> String {
    let mut writer = Writer::default();
    writer.children(children);
    writer.out
}

/// `http:`, `https:` or `ftp:` (DOIs come as `https://doi.org/…`), in any case.
fn is_web(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "ftp://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// A citation item's HTML written once, to be put into each citation of the work without
/// walking its tree again ([`Joiner`]); what [`html`] writes for the item depends on the text
/// before it only through a leading period, so that is recorded too.
#[derive(Debug, Clone, Default)]
pub struct Piece {
    html: String,
    /// A text of the item starts with a period before any of its text set `last`: after a
    /// "?" it would be dropped, so the item is written again in place.
    leading_period: bool,
    last: Option<char>,
}

/// The item as [`html`] writes it at the start of a citation.
pub fn piece(children: &ElemChildren) -> Piece {
    let mut writer = Writer::default();
    writer.children(children);
    Piece {
        html: writer.out,
        leading_period: writer.leading_period,
        last: writer.last,
    }
}

/// Writes a citation from its affixes and its items' [`Piece`]s: the HTML [`html`] writes for
/// the tree of the same texts and items.
#[derive(Default)]
pub struct Joiner {
    writer: Writer,
}

impl Joiner {
    pub fn text(&mut self, text: &Text) {
        self.writer.text(text);
    }

    /// The item whose tree is `children` and whose piece is `piece`.
    pub fn item(&mut self, piece: &Piece, children: &ElemChildren) {
        if piece.leading_period && matches!(self.writer.last, Some('.' | '?' | '!')) {
            self.writer.children(children);
            return;
        }
        self.writer.out.push_str(&piece.html);
        if piece.last.is_some() {
            self.writer.last = piece.last;
        }
    }

    pub fn finish(self) -> String {
        self.writer.out
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    /// The last character of text written, closing quotes aside.
    last: Option<char>,
    /// A text started with a period while `last` was not yet set (see [`Piece`]).
    leading_period: bool,
}

impl Writer {
    fn children(&mut self, children: &ElemChildren) {
        for child in &children.0 {
            match child {
                ElemChild::Text(text) => self.text(text),
                ElemChild::Elem(Elem { children, .. }) => self.children(children),
                ElemChild::Markup(markup) => self.plain(markup),
                // A work's address is a link only when it is a web address: a bibliography
                // exported from a page that said `javascript:` must not put code on ours.
                ElemChild::Link { text, url } if is_web(url) => {
                    self.out.push_str("<a href=\"");
                    escape_href(&mut self.out, url).ok();
                    self.out.push_str("\">");
                    self.text(text);
                    self.out.push_str("</a>");
                }
                ElemChild::Link { text, .. } => self.text(text),
                ElemChild::Transparent { .. } => {}
            }
        }
    }

    /// `text` without a period that would double the sentence's end, after this text's own
    /// "?" or "!" ("Question?." inside the quotes) or the text before.
    fn trimmed<'t>(&mut self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.last.is_none() && text.starts_with('.') {
            self.leading_period = true;
        }
        let text = match text.strip_prefix('.') {
            Some(rest) if matches!(self.last, Some('.' | '?' | '!')) => rest,
            _ => text,
        };
        let text = if text.contains("?.") || text.contains("!.") {
            std::borrow::Cow::Owned(text.replace("?.", "?").replace("!.", "!"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        if let Some(c) = text
            .chars()
            .rev()
            .find(|c| !matches!(c, '\u{201D}' | '\u{2019}' | '"' | '\''))
        {
            self.last = Some(c);
        }
        text
    }

    fn plain(&mut self, text: &str) {
        let text = self.trimmed(text);
        self.out.push_str(&escaped(&text));
    }

    fn text(&mut self, text: &Text) {
        use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, VerticalAlign};
        let content = self.trimmed(&text.text);
        if content.is_empty() {
            return;
        }
        let f = &text.formatting;
        let mut close = Vec::new();
        let out = &mut self.out;
        let mut open = |tag: &'static str, end: &'static str| {
            out.push_str(tag);
            close.push(end);
        };
        if f.font_style == FontStyle::Italic {
            open("<i>", "</i>");
        }
        if f.font_weight == FontWeight::Bold {
            open("<b>", "</b>");
        }
        if f.font_variant == FontVariant::SmallCaps {
            open("<span class=\"small-caps\">", "</span>");
        }
        match f.vertical_align {
            VerticalAlign::Sup => open("<sup>", "</sup>"),
            VerticalAlign::Sub => open("<sub>", "</sub>"),
            _ => {}
        }
        out.push_str(&escaped(&content));
        for end in close.iter().rev() {
            out.push_str(end);
        }
    }
}

/// A citation without its first list of names, and the comma that followed it: "Ostrom,
/// *Governing the Commons*, 33." becomes "*Governing the Commons*, 33." (hayagriva has no way
/// to ask a note style for this).
pub(super) fn without_names(citation: &ElemChildren) -> ElemChildren {
    fn remove(children: &mut Vec<ElemChild>) -> bool {
        if let Some(at) = children.iter().position(
            |c| matches!(c, ElemChild::Elem(e) if matches!(e.meta, Some(hayagriva::ElemMeta::Names(..)))),
        ) {
            children.remove(at);
            return true;
        }
        children.iter_mut().any(|c| match c {
            ElemChild::Elem(e) => remove(&mut e.children.0),
            _ => false,
        })
    }
    fn first_text(children: &mut [ElemChild]) -> Option<&mut Text> {
        for child in children {
            match child {
                ElemChild::Text(text) if !text.text.is_empty() => return Some(text),
                ElemChild::Elem(e) => {
                    if let Some(text) = first_text(&mut e.children.0) {
                        return Some(text);
                    }
                }
                ElemChild::Link { .. } | ElemChild::Markup(_) => return None,
                _ => {}
            }
        }
        None
    }
    let mut out = citation.clone();
    if remove(&mut out.0)
        && let Some(text) = first_text(&mut out.0)
        && text.text.starts_with([',', ';', ':'])
    {
        text.text = text.text[1..].trim_start().to_string();
    }
    out
}

/// `text` escaped for HTML.
pub(super) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html(&mut out, text).ok();
    out
}

/// A note's HTML with its first letter capitalized, as a note starts a sentence ("See Ostrom,
/// …" from `[see @ostrom1990]`; Pandoc does the same). Tags before it are skipped; a note
/// that starts otherwise (a digit, an entity, a quote) is left as it is.
pub(super) fn capitalized(note: &str) -> String {
    let mut rest = note;
    while rest.starts_with('<') {
        match rest.find('>') {
            Some(end) => rest = &rest[end + 1..],
            None => return note.to_string(),
        }
    }
    let at = note.len() - rest.len();
    match rest.chars().next() {
        Some(first) if first.is_lowercase() => {
            let mut out = String::with_capacity(note.len() + 2);
            out.push_str(&note[..at]);
            out.extend(first.to_uppercase());
            out.push_str(&rest[first.len_utf8()..]);
            out
        }
        _ => note.to_string(),
    }
}

/// Whether the locale puts a period or comma after a closing quote inside it (American
/// English: `“Title.”`), looked up as hayagriva looks up its locale options: the style's own
/// `<locale>` for the language, its base language, or any language; then the locale files
/// for the language, its main region, or en-US.
pub(super) fn punctuation_in_quote(
    style: &hayagriva::citationberg::IndependentStyle,
    files: &[hayagriva::citationberg::Locale],
    code: &hayagriva::citationberg::LocaleCode,
) -> bool {
    use hayagriva::citationberg::{BaseLanguage, Locale, LocaleCode};
    let option = |list: &[Locale], lang: Option<&LocaleCode>| {
        list.iter()
            .find(|l| l.lang.as_ref() == lang)
            .and_then(|l| l.style_options.as_ref()?.punctuation_in_quote)
    };
    let base = code.parse_base().and_then(|base| match base {
        BaseLanguage::Iso639_1(lang) => Some(LocaleCode(String::from_utf8(lang.to_vec()).ok()?)),
        BaseLanguage::Iana(lang) => Some(LocaleCode(lang)),
        _ => None,
    });
    let en_us = LocaleCode::en_us();
    option(&style.locale, Some(code))
        .or_else(|| base.as_ref().and_then(|b| option(&style.locale, Some(b))))
        .or_else(|| option(&style.locale, None))
        .or_else(|| option(files, Some(code)))
        .or_else(|| code.fallback().and_then(|f| option(files, Some(&f))))
        .or_else(|| option(files, Some(&en_us)))
        .unwrap_or(false)
}

/// A period or comma right after a closing double quote moved inside it: hayagriva does so
/// within a work's text in a locale that asks for it, but not for the period the style adds
/// after a whole citation (`Acemoglu et al., “Democracy Does Cause Growth.”`).
pub(super) fn punctuation_into_quotes(text: &str) -> String {
    text.replace("\u{201D}.", ".\u{201D}")
        .replace("\u{201D},", ",\u{201D}")
}
