//! One parse of a body for what loading must know before rendering it: the images it names
//! (Markdown images, `figure` and `embed` blocks, raw HTML `<img>`s), which
//! [`crate::images::uses`] probes so that the rendered markup has their widths, and the images
//! without alt text, which get a warning. Each reader lives beside the pass it serves; this
//! feeds them one parse (a body used to be parsed once per reader, four times, before it was
//! rendered).

use pulldown_cmark::Parser;

use super::figures::BlockImageReader;
use super::images::MissingAltReader;
use super::links::ReferenceReader;
use super::responsive::RawImageReader;

/// What one parse of a body found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The destination of every Markdown image, as written, in order.
    pub markdown_images: Vec<String>,
    /// The `image` of every `figure` block and the `fallback` of every `embed` block.
    pub block_images: Vec<String>,
    /// The `src` of every `<img>` of raw HTML.
    pub raw_images: Vec<String>,
    /// 1-based lines (within the body) of the images whose alt text is empty.
    pub missing_alt: Vec<usize>,
}

impl Scan {
    /// Every image the body names, Markdown images first, then blocks', then raw HTML's.
    pub fn images(&self) -> impl Iterator<Item = &str> {
        let markdown = self.markdown_images.iter();
        let blocks = self.block_images.iter();
        markdown
            .chain(blocks)
            .chain(&self.raw_images)
            .map(String::as_str)
    }
}

/// Reads `body` once for every [`Scan`] field.
pub fn scan(body: &str) -> Scan {
    let mut references = ReferenceReader::default();
    let mut blocks = BlockImageReader::default();
    let mut raw = RawImageReader::default();
    let mut alt = MissingAltReader::new(body);
    for (event, range) in Parser::new_ext(body, super::parser_options()).into_offset_iter() {
        references.read(&event, range.start);
        blocks.read(&event);
        raw.read(&event);
        alt.read(&event, range.start);
    }
    Scan {
        markdown_images: references
            .finish()
            .into_iter()
            .filter(|r| r.image)
            .map(|r| r.dest)
            .collect(),
        block_images: blocks.finish(),
        raw_images: raw.finish(),
        missing_alt: alt.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_finds_every_kind_of_image_and_the_lines_without_alt() {
        let body = concat!(
            "Intro with [a link](/x/) and ![A map](/images/map.png).\n\n",
            "![](blank.png)\n\n",
            "```figure\nimage = \"/images/chart.png\"\nalt = \"A chart\"\n```\n\n",
            "<div><img src=\"/images/logo.png\"></div>\n\n",
            "Inline <img src=\"x.jpg\"> too.\n",
        );
        let scanned = scan(body);
        assert_eq!(
            scanned,
            Scan {
                markdown_images: vec!["/images/map.png".into(), "blank.png".into()],
                block_images: vec!["/images/chart.png".into()],
                raw_images: vec!["/images/logo.png".into(), "x.jpg".into()],
                missing_alt: vec![3],
            }
        );
        let all: Vec<&str> = scanned.images().collect();
        assert_eq!(
            all,
            [
                "/images/map.png",
                "blank.png",
                "/images/chart.png",
                "/images/logo.png",
                "x.jpg"
            ]
        );
    }
}
