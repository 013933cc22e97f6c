//! The markup the Markdown passes put into a body (pull quotes, sidenotes, note references,
//! heading self-links), from small templates of the theme, `templates/fragments/*.html`, so a
//! designer can change it like any other template (a site's `templates/fragments/` overrides
//! single ones).
//!
//! Bodies are rendered when content is loaded, before any page, so the fragments are compiled
//! once into a tera instance of their own and handed to the passes in [`Markup`], together with
//! the ids the theme reserves on its pages (theme.toml's `reserved_ids`).

use tera::{Context, Tera};

/// The fragment templates, by name under `templates/`.
pub const PULL_QUOTE: &str = "fragments/pull_quote.html";
pub const SIDENOTE: &str = "fragments/sidenote.html";
pub const NOTE_REF: &str = "fragments/note_ref.html";
pub const HEADING_ANCHOR: &str = "fragments/heading_anchor.html";
pub const NAMES: [&str; 4] = [PULL_QUOTE, SIDENOTE, NOTE_REF, HEADING_ANCHOR];

/// Compiled fragment templates and the ids headings must not take.
pub struct Markup {
    tera: Tera,
    /// Ids the theme writes on pages that show Markdown (theme.toml's `reserved_ids`).
    reserved_ids: Vec<String>,
    /// The theme's interface strings, for the labels of figures ("Figure 1", "Source:").
    i18n: crate::i18n::Catalog,
}

impl std::fmt::Debug for Markup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Markup")
            .field("reserved_ids", &self.reserved_ids)
            .finish_non_exhaustive()
    }
}

impl Default for Markup {
    /// The default theme's fragments, as built into the binary.
    fn default() -> Markup {
        let templates = NAMES.iter().filter_map(|name| {
            let file = crate::theme::DEFAULT_THEME.get_file(format!("templates/{name}"))?;
            Some((name.to_string(), file.contents_utf8()?.to_string()))
        });
        let reserved = crate::theme::Manifest::builtin().reserved_ids();
        Markup::new(templates, &reserved).expect("the default theme's fragments compile")
    }
}

impl Markup {
    /// Compiles `templates` (name, text) and checks each renders with sample values, so that a
    /// mistake (an unknown variable, say) is reported once, at load, with its line. Fragments
    /// missing from `templates` are the default theme's.
    pub fn new(
        templates: impl IntoIterator<Item = (String, String)>,
        reserved_ids: &[String],
    ) -> Result<Markup, tera::Error> {
        let mut sources: Vec<(String, String)> = templates.into_iter().collect();
        for name in NAMES {
            if !sources.iter().any(|(n, _)| n == name)
                && let Some(text) = crate::theme::DEFAULT_THEME
                    .get_file(format!("templates/{name}"))
                    .and_then(|f| f.contents_utf8())
            {
                sources.push((name.to_string(), text.to_string()));
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources)?;
        let markup = Markup {
            tera,
            reserved_ids: reserved_ids.to_vec(),
            i18n: crate::theme::embedded_catalog(),
        };
        markup.try_pull_quote("q")?;
        markup.try_sidenote(1, "n")?;
        markup.try_note_ref("ref-1", "#note-1", 1, "Note 1")?;
        markup.try_heading_anchor("a")?;
        Ok(markup)
    }

    /// The same markup with the theme's interface strings (the default theme's until then).
    pub fn with_i18n(mut self, catalog: crate::i18n::Catalog) -> Markup {
        self.i18n = catalog;
        self
    }

    /// Interface strings in language `code`, for the labels the passes write.
    pub fn language(&self, code: &str) -> &crate::i18n::Language {
        self.i18n.language(code)
    }

    /// Ids a heading must not take.
    pub fn reserved_ids(&self) -> &[String] {
        &self.reserved_ids
    }

    /// A pull quote, `quote` being its HTML; a block, so it ends with a newline.
    pub fn pull_quote(&self, quote: &str) -> String {
        let mut html = self.try_pull_quote(quote).unwrap_or_default();
        html.push('\n');
        html
    }

    /// The sidenote copy of the note `number`, `content` being phrasing HTML.
    pub fn sidenote(&self, number: usize, content: &str) -> String {
        self.try_sidenote(number, content).unwrap_or_default()
    }

    /// A reference to a note: its own `id`, the note's `href` (`#note-3`), number and
    /// accessible name (`label`, "Note 3" in the page's language).
    pub fn note_ref(&self, id: &str, href: &str, number: usize, label: &str) -> String {
        self.try_note_ref(id, href, number, label)
            .unwrap_or_default()
    }

    /// The self-link of the heading `id`.
    pub fn heading_anchor(&self, id: &str) -> String {
        self.try_heading_anchor(id).unwrap_or_default()
    }

    fn try_pull_quote(&self, quote: &str) -> tera::TeraResult<String> {
        let mut context = Context::new();
        context.insert("quote", quote);
        self.render(PULL_QUOTE, &context)
    }

    fn try_sidenote(&self, number: usize, content: &str) -> tera::TeraResult<String> {
        let mut context = Context::new();
        context.insert("number", &number);
        context.insert("content", content);
        self.render(SIDENOTE, &context)
    }

    fn try_note_ref(
        &self,
        id: &str,
        href: &str,
        number: usize,
        label: &str,
    ) -> tera::TeraResult<String> {
        let mut context = Context::new();
        context.insert("id", id);
        context.insert("href", href);
        context.insert("number", &number);
        context.insert("label", label);
        self.render(NOTE_REF, &context)
    }

    fn try_heading_anchor(&self, id: &str) -> tera::TeraResult<String> {
        let mut href = String::from("#");
        pulldown_cmark_escape::escape_href(&mut href, id).expect("writing to a String cannot fail");
        let mut context = Context::new();
        context.insert("id", id);
        context.insert("href", &href);
        self.render(HEADING_ANCHOR, &context)
    }

    /// Renders a fragment without the newline its file may end with (fragments sit inside a
    /// line of text). Once [`Markup::new`] has rendered every fragment, a render can only fail
    /// on values the sample lacked, which no fragment receives: hence `unwrap_or_default` above.
    fn render(&self, name: &str, context: &Context) -> tera::TeraResult<String> {
        let mut html = self.tera.render(name, context)?;
        html.truncate(html.trim_end().len());
        Ok(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_fragments_write_the_default_markup() {
        let markup = Markup::default();
        assert_eq!(
            markup.note_ref("ref-1", "#note-1", 1, "Note 1"),
            r##"<sup class="note-ref" id="ref-1"><a href="#note-1" aria-label="Note 1">1</a></sup>"##
        );
        assert_eq!(
            markup.heading_anchor("a b"),
            r##"<a class="heading-anchor" href="#a%20b" aria-hidden="true" tabindex="-1">#</a>"##
        );
        assert!(markup.reserved_ids().iter().any(|id| id == "notes-title"));
    }

    #[test]
    fn a_fragment_can_be_replaced() {
        let markup = Markup::new(
            [(
                SIDENOTE.to_string(),
                "<small class=\"side\">{{ number }}. {{ content | safe }}</small>\n".to_string(),
            )],
            &["masthead".to_string()],
        )
        .unwrap();
        assert_eq!(
            markup.sidenote(2, "<em>x</em>"),
            "<small class=\"side\">2. <em>x</em></small>"
        );
        assert_eq!(markup.reserved_ids(), ["masthead"]);
    }

    #[test]
    fn a_fragment_with_an_unknown_variable_is_an_error_at_load() {
        let err = Markup::new(
            [(
                PULL_QUOTE.to_string(),
                "<p>{{ quote_text }}</p>".to_string(),
            )],
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("quote_text"), "{err}");
    }
}
