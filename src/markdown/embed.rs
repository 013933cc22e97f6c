//! An `embed` block: an external interactive (Datawrapper, Flourish, YouTube, any page that may
//! be framed) as a numbered figure.
//!
//! - The frame is page furniture ([`super::MARK`]): a feed leaves it out and shows the fallback
//!   image (a still of the interactive, in the bundle) with a link to the original; on the page,
//!   the fallback is shown only in print (the PDF), where a frame cannot be.
//! - Frames load only when scrolled near (`loading="lazy"`).
//! - YouTube is never framed before the reader asks: the page shows the fallback image (or the
//!   title) as a link to the video, and the theme's script swaps in a youtube-nocookie.com frame
//!   on click; without JavaScript the link opens YouTube. Nothing is requested from Google
//!   before that click.

use serde::Deserialize;

use super::figures::{
    Caption, Numbered, Problem, Report, attr, file_attr, nonempty, note_file, url_attr, wrap,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbedOptions {
    pub id: Option<String>,
    /// The page to frame: https only.
    pub url: String,
    /// What the frame holds, for screen readers (required).
    pub title: String,
    /// A still of the interactive, a path in the bundle or from static/.
    pub fallback: Option<String>,
    /// The fallback image's alt text.
    pub alt: Option<String>,
    /// The frame's height in pixels, for a frame whose width does not set it (default 400;
    /// YouTube is always 16:9).
    pub height: Option<u32>,
    pub caption: Option<String>,
    pub source: Option<String>,
    pub credit: Option<String>,
    pub note: Option<String>,
}

const DEFAULT_HEIGHT: u32 = 400;

/// The figure of an embed block.
pub fn render(o: &EmbedOptions, number: &Numbered, offset: usize, report: &mut Report) -> String {
    let url = o.url.trim();
    if !url.starts_with("https://")
        || url.len() <= "https://".len()
        || url.contains(char::is_whitespace)
    {
        report.problems.push(Problem {
            offset,
            message: format!("the embed's url `{url}` is not an https address"),
            help: "give the address of the interactive as its site shares it for embedding: url = \"https://datawrapper.dwcdn.net/AbCdE/1/\"".to_string(),
            in_data: None,
        });
        return String::new();
    }
    if o.title.trim().is_empty() {
        report.problems.push(Problem {
            offset,
            message: "the embed has an empty title".to_string(),
            help: "say what the frame holds: title = \"Map of rail links between Russia and North Korea\"".to_string(),
            in_data: None,
        });
        return String::new();
    }
    if let Some(fallback) = nonempty(&o.fallback) {
        note_file(&file_attr(fallback), &mut report.files);
    }
    let caption = Caption {
        title: Some(o.title.clone()),
        caption: o.caption.clone(),
        source: o.source.clone(),
        credit: o.credit.clone(),
        note: o.note.clone(),
    };
    let title = attr(o.title.trim());
    let still = |class: &str, alt: &str| {
        nonempty(&o.fallback).map(|image| {
            format!(
                "<img class=\"{class}\" src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
                file_attr(image),
                attr(alt)
            )
        })
    };
    let alt = nonempty(&o.alt).unwrap_or(o.title.trim());
    let frame = match youtube_id(url) {
        Some(video) => {
            let watch = format!("https://www.youtube.com/watch?v={video}");
            let play = attr(&number.language.t("play_video", None));
            // The link's label names the video, so the poster is decoration.
            let inner = still("embed-poster", "").unwrap_or_default();
            format!(
                "<div class=\"embed-frame embed-video\" data-youtube=\"{}\"><a class=\"embed-play\" href=\"{}\">{inner}<span class=\"embed-play-label\">{play}: {title}</span></a></div>\n",
                attr(video),
                url_attr(&watch),
            )
        }
        None => format!(
            "<div class=\"embed-frame\"><iframe src=\"{}\" title=\"{title}\" height=\"{}\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" allowfullscreen></iframe></div>\n",
            url_attr(url),
            o.height.unwrap_or(DEFAULT_HEIGHT),
        ),
    };
    // Feeds and print show the still, linked to the interactive; the page shows the frame.
    let open = attr(&number.language.t("open_interactive", None));
    let fallback = match still("embed-still", alt) {
        Some(img) => format!(
            "<p class=\"embed-fallback\"><a href=\"{}\">{img}<span class=\"embed-open\">{open}</span></a></p>\n",
            url_attr(url)
        ),
        None => format!(
            "<p class=\"embed-fallback\"><a href=\"{}\">{open}</a></p>\n",
            url_attr(url)
        ),
    };
    let content = format!("{m}{frame}{m}\n{fallback}", m = super::MARK);
    wrap("embed", number, &caption, &content)
}

/// The video id of a YouTube address (watch, youtu.be, embed or shorts), if it is one.
fn youtube_id(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.strip_prefix("m.").unwrap_or(rest);
    let id = if let Some(path) = rest.strip_prefix("youtu.be/") {
        path.split(['?', '&', '#']).next()?
    } else if let Some(query) = rest.strip_prefix("youtube.com/watch?") {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("v="))?
            .split('#')
            .next()?
    } else {
        let path = rest
            .strip_prefix("youtube.com/embed/")
            .or_else(|| rest.strip_prefix("youtube-nocookie.com/embed/"))
            .or_else(|| rest.strip_prefix("youtube.com/shorts/"))?;
        path.split(['?', '&', '#', '/']).next()?
    };
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_addresses_give_their_video_id() {
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1",
            "https://youtu.be/dQw4w9WgXcQ?si=x",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(youtube_id(url), Some("dQw4w9WgXcQ"), "{url}");
        }
        assert_eq!(youtube_id("https://datawrapper.dwcdn.net/AbC/1/"), None);
        assert_eq!(youtube_id("https://youtu.be/a\"b"), None);
    }
}
