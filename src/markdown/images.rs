//! Images without alt text: a reader who cannot see them gets nothing, so the build warns.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// 1-based lines (within `source`) of the images whose alt text is empty, `![](chart.png)`.
pub fn missing_alt(source: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    // The alt text is the text events between an image's start and end.
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(source, super::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => open = Some((range.start, String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = &mut open {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, alt)) = open.take()
                    && alt.trim().is_empty()
                {
                    lines.push(source[..start].matches('\n').count() + 1);
                }
            }
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_images_with_empty_alt_by_line() {
        let source = "Intro.\n\n![A chart of exports](a.png)\n\n![](b.png)\n\nText ![ ](c.png).\n";
        assert_eq!(missing_alt(source), [5, 7]);
    }

    #[test]
    fn alt_made_of_code_or_emphasis_counts() {
        assert!(missing_alt("![*Figure* `1`](a.png)\n").is_empty());
    }
}
