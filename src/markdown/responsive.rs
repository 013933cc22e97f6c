//! Pass: a Markdown image of the brief's bundle (`![A map](map.png)`) or of `static/`
//! (`![A map](/images/map.png)`) that [`crate::images`] publishes in several widths becomes an
//! `<img>` with `srcset`, `sizes`, `width` and `height` (in a `<picture>` with WebP sources
//! where there are some). Other images are left as written.

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
    for (event, range) in events {
        match (&mut open, event) {
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
