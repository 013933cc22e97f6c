//! Images without alt text: a reader who cannot see them gets nothing, so the build warns.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Reads the 1-based lines (within the body) of the images whose alt text is empty,
/// `![](chart.png)`, from the body's events ([`super::scan`]).
#[derive(Debug)]
pub struct MissingAltReader<'s> {
    source: &'s str,
    lines: Vec<usize>,
    /// The image being read: its offset and its alt text so far (the text events between its
    /// start and end).
    open: Option<(usize, String)>,
}

impl<'s> MissingAltReader<'s> {
    pub fn new(source: &'s str) -> Self {
        MissingAltReader {
            source,
            lines: Vec::new(),
            open: None,
        }
    }

    /// Takes the next event, which starts at byte `offset`.
    pub fn read(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(Tag::Image { .. }) => self.open = Some((offset, String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = &mut self.open {
                    alt.push_str(text);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, alt)) = self.open.take()
                    && alt.trim().is_empty()
                {
                    self.lines
                        .push(self.source[..start].matches('\n').count() + 1);
                }
            }
            _ => {}
        }
    }

    pub fn finish(self) -> Vec<usize> {
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::scan;

    #[test]
    fn finds_images_with_empty_alt_by_line() {
        let source = "Intro.\n\n![A chart of exports](a.png)\n\n![](b.png)\n\nText ![ ](c.png).\n";
        assert_eq!(scan(source).missing_alt, [5, 7]);
    }

    #[test]
    fn alt_made_of_code_or_emphasis_counts() {
        assert!(scan("![*Figure* `1`](a.png)\n").missing_alt.is_empty());
    }
}
