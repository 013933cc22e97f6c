//! Pass: a Markdown image of the brief's bundle (`![A map](map.png)`) or of `static/`
//! (`![A map](/images/map.png)`) that [`crate::images`] publishes in several widths becomes an
//! `<img>` with `srcset`, `sizes`, `width` and `height` (in a `<picture>` with WebP sources
//! where there are some). Other images are left as written.
//!
//! An `<img>` of raw HTML naming such an image (`<img src="map.png" class="float">`) keeps its
//! markup and its address (which now serves the upright file without metadata) and gets the
//! `width` and `height` it lacks, so that the page does not move when it arrives. It gets no
//! `srcset`: raw HTML is how an editor places an image outside the text column (a small logo,
//! a float, a full-width band), and the `sizes` this pass knows (the column's) would make a
//! browser fetch a width too narrow for a full-width band; nor a `<picture>`, which would
//! break the editor's CSS selectors. A Markdown image or `figure` gets both.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::images::{Fetch, Picture};

/// Replaces the images of `events` found in `pictures` (by path in the bundle); the one at
/// byte offset `first` is fetched first, the others lazily.
pub fn replace<'a>(
    events: super::figures::Located<'a>,
    pictures: &BTreeMap<String, Picture>,
    first: Option<usize>,
) -> super::figures::Located<'a> {
    if pictures.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // The picture being read and its alt text so far (the text events inside the image).
    let mut open: Option<(&Picture, String, std::ops::Range<usize>)> = None;
    // The lines of the HTML block being read (a tag may span several).
    let mut block: Option<super::figures::Located<'a>> = None;
    let size = |src: &str| {
        let picture = pictures.get(bundle_name(src))?;
        Some((picture.width, picture.height))
    };
    for (event, range) in events {
        if let Some(lines) = &mut block {
            match event {
                Event::Html(_) => lines.push((event, range)),
                event => {
                    out.extend(sized_block(std::mem::take(lines), &size));
                    block = None;
                    out.push((event, range));
                }
            }
            continue;
        }
        match (&mut open, event) {
            (None, Event::Start(Tag::HtmlBlock)) => {
                out.push((Event::Start(Tag::HtmlBlock), range));
                block = Some(Vec::new());
            }
            (None, Event::InlineHtml(html)) => {
                let html = match super::html_urls::size_images(&html, size) {
                    Some(sized) => CowStr::from(sized),
                    None => html,
                };
                out.push((Event::InlineHtml(html), range));
            }
            (None, Event::Start(Tag::Image { dest_url, .. }))
                if pictures.contains_key(bundle_name(&dest_url)) =>
            {
                open = Some((&pictures[bundle_name(&dest_url)], String::new(), range));
            }
            (Some((_, alt, _)), Event::Text(text) | Event::Code(text)) => alt.push_str(&text),
            (Some(_), Event::End(TagEnd::Image)) => {
                let (picture, alt, start) = open.take().expect("an image is open");
                let fetch = if first == Some(start.start) {
                    Fetch::First
                } else {
                    Fetch::Lazy
                };
                out.push((
                    Event::InlineHtml(CowStr::from(picture.html(&alt, fetch))),
                    start.start..range.end,
                ));
            }
            (Some(_), _) => {}
            (None, event) => out.push((event, range)),
        }
    }
    out
}

/// The lines of one HTML block, as one event when an `<img>` in them got its size.
fn sized_block<'a>(
    lines: super::figures::Located<'a>,
    size: &impl Fn(&str) -> Option<(u32, u32)>,
) -> super::figures::Located<'a> {
    let html: String = lines
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Html(line) => Some(line.as_ref()),
            _ => None,
        })
        .collect();
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return lines;
    };
    let range = first.1.start..last.1.end;
    match super::html_urls::size_images(&html, size) {
        Some(sized) => vec![(Event::Html(CowStr::from(sized)), range)],
        None => lines,
    }
}

/// Reads the `src` of every `<img>` in the raw HTML of a body (blocks and inline) from its
/// events ([`super::scan`]), as written.
#[derive(Debug, Default)]
pub struct RawImageReader {
    found: Vec<String>,
    /// The HTML block being read.
    block: String,
}

impl RawImageReader {
    pub fn read(&mut self, event: &Event) {
        match event {
            Event::Html(line) => self.block.push_str(line),
            Event::End(TagEnd::HtmlBlock) => {
                self.found
                    .extend(super::html_urls::img_sources(&self.block));
                self.block.clear();
            }
            Event::InlineHtml(html) => self.found.extend(super::html_urls::img_sources(html)),
            _ => {}
        }
    }

    pub fn finish(self) -> Vec<String> {
        self.found
    }
}

/// A destination as a path in the bundle: `./map.png` is `map.png`.
pub fn bundle_name(dest: &str) -> &str {
    dest.trim_start_matches("./")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_images_get_their_variants_and_others_stay() {
        let pictures = BTreeMap::from([(
            "map.jpg".to_string(),
            crate::images::Picture::probe_free("map.jpg", 800, 400),
        )]);
        let source = "![A *big* map](./map.jpg) and ![x](/static/y.jpg)\n";
        let events: Vec<_> = pulldown_cmark::Parser::new(source)
            .into_offset_iter()
            .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            replace(events, &pictures, None).into_iter().map(|(e, _)| e),
        );
        assert!(
            html.contains("<img src=\"map.jpg\" srcset=\"map-480.jpg 480w, map.jpg 800w\""),
            "{html}"
        );
        assert!(html.contains("alt=\"A big map\""), "{html}");
        assert!(
            html.contains("<img src=\"/static/y.jpg\" alt=\"x\" />"),
            "{html}"
        );
    }

    fn rendered(source: &str, pictures: &BTreeMap<String, Picture>) -> String {
        let events: Vec<_> =
            pulldown_cmark::Parser::new_ext(source, crate::markdown::parser_options())
                .into_offset_iter()
                .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            replace(events, pictures, None).into_iter().map(|(e, _)| e),
        );
        html
    }

    #[test]
    fn raw_html_images_get_their_size_in_blocks_and_inline() {
        let pictures = BTreeMap::from([
            (
                "map.jpg".to_string(),
                Picture::probe_free("map.jpg", 800, 400),
            ),
            (
                "/images/logo.png".to_string(),
                Picture::probe_free("/sub/images/logo.png", 200, 100),
            ),
        ]);
        let source = "<figure class=\"wide\">\n  <img\n    src=\"./map.jpg\" alt=\"A &quot;map&quot;\">\n</figure>\n\nOur <img src=\"/images/logo.png\" width=\"50\"> logo and <img src=\"x.jpg\">.\n\n<div><img src=\"other.png\"></div>\n";
        let html = rendered(source, &pictures);
        assert!(
            html.contains("<figure class=\"wide\">\n  <img\n    src=\"./map.jpg\" alt=\"A &quot;map&quot;\" width=\"800\" height=\"400\">\n</figure>\n"),
            "{html}"
        );
        assert!(
            html.contains("Our <img src=\"/images/logo.png\" width=\"50\" height=\"25\"> logo and <img src=\"x.jpg\">."),
            "{html}"
        );
        assert!(
            html.contains("<div><img src=\"other.png\"></div>"),
            "{html}"
        );
        assert_eq!(
            super::super::scan::scan(source).raw_images,
            ["./map.jpg", "/images/logo.png", "x.jpg", "other.png"]
        );
    }

    #[test]
    fn the_image_at_the_first_offset_is_fetched_first_and_the_others_lazily() {
        let pictures = BTreeMap::from([(
            "map.jpg".to_string(),
            crate::images::Picture::probe_free("map.jpg", 800, 400),
        )]);
        let source = "![One](map.jpg)\n\n![Two](map.jpg)\n";
        let events: Vec<_> = pulldown_cmark::Parser::new(source)
            .into_offset_iter()
            .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            replace(events, &pictures, Some(0))
                .into_iter()
                .map(|(e, _)| e),
        );
        assert!(
            html.contains("alt=\"One\" fetchpriority=\"high\" decoding=\"async\">"),
            "{html}"
        );
        assert!(
            html.contains("alt=\"Two\" loading=\"lazy\" decoding=\"async\">"),
            "{html}"
        );
    }
}
