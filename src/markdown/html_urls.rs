//! The addresses in a piece of HTML (`href`, `src` and each candidate of a `srcset`), found
//! tag by tag so that
//! text which merely looks like an attribute (`` `<a href="/x/">` `` in a code span, which
//! pulldown-cmark writes as `&lt;a href="/x/"&gt;`) is never touched.
//!
//! Used for raw HTML in Markdown (moved under a sub-path base_url like Markdown links) and for
//! feeds (made absolute). Text outside tags never holds a literal `<`: pulldown-cmark escapes
//! it, so every `<` in its output opens a tag, a comment or a declaration.

/// `html` with the value of every `href` and `src` attribute, and every address of a `srcset`
/// (its width or density descriptors kept), replaced by `f(value)` where that is `Some`. Quotes
/// (double, single or none) are kept as written; a new value is escaped.
pub fn rewrite(html: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    rewrite_attributes(html, &["href", "src", "srcset"], |name, value| {
        if name.eq_ignore_ascii_case("srcset") {
            rewrite_srcset(value, &mut f)
        } else {
            f(value).map(|new| escaped(&new))
        }
    })
}

/// A `srcset` with `f` applied to each candidate's address (`a.webp 480w, b.webp 960w`), each
/// address escaped on its own (escaping the whole list would encode its spaces); `None` when
/// no address changed.
fn rewrite_srcset(srcset: &str, f: &mut impl FnMut(&str) -> Option<String>) -> Option<String> {
    let mut changed = false;
    let candidates: Vec<String> = srcset
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|candidate| {
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .map_or((candidate, ""), |(u, d)| (u, d.trim()));
            let url = match f(url) {
                Some(new) => {
                    changed = true;
                    escaped(&new)
                }
                None => escaped(url),
            };
            if descriptor.is_empty() {
                url
            } else {
                format!("{url} {descriptor}")
            }
        })
        .collect();
    changed.then(|| candidates.join(", "))
}

fn escaped(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    pulldown_cmark_escape::escape_href(&mut out, url).expect("writing to a String cannot fail");
    out
}

/// The values of every `name` attribute in `html` (e.g. all the `id`s of a page), in order,
/// with `&amp;` read as `&`.
pub fn values(html: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    rewrite_attributes(html, &[name], |_, value| {
        found.push(value.to_string());
        None
    });
    found
}

/// `html` with the values of the attributes `names` replaced by `f(name, value)` where that is
/// `Some` (already escaped for an attribute).
fn rewrite_attributes(
    html: &str,
    names: &[&str],
    mut f: impl FnMut(&str, &str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for_each_tag(html, &mut out, |tag, out| {
        rewrite_tag(tag, names, out, &mut f)
    });
    out
}

/// Copies `html` to `out`, text and comments as they are and each tag through `tag`.
fn for_each_tag(html: &str, out: &mut String, mut tag: impl FnMut(&str, &mut String)) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(rest.len(), |e| 4 + e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        tag(&rest[..end], out);
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// Whether `tag` (from its `<`) is an `<img>` start tag, closed by its `>`.
fn is_img(tag: &str) -> bool {
    let name = tag[1..].split(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>');
    name.take(1).any(|n| n.eq_ignore_ascii_case("img")) && tag.ends_with('>')
}

/// The values of the attributes `names` of one tag, by name (lower case), `&amp;` read as `&`.
fn attributes(tag: &str, names: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    rewrite_tag(tag, names, &mut String::new(), &mut |name, value| {
        found.push((name.to_ascii_lowercase(), value.to_string()));
        None
    });
    found
}

/// The `src` of every `<img>` of `html`, in order, with `&amp;` read as `&`.
pub fn img_sources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for_each_tag(html, &mut String::new(), |tag, _| {
        if is_img(tag) {
            let src = attributes(tag, &["src"]).into_iter().next();
            found.extend(src.map(|(_, value)| value));
        }
    });
    found
}

/// `html` with `width` and `height` given to each `<img>` whose `src` has a `size` (width,
/// height) and that lacks them, so that the page does not move when it arrives: both when it
/// has neither, the other one in proportion when it has one in pixels. `None` when no tag
/// changed.
pub fn size_images(html: &str, size: impl Fn(&str) -> Option<(u32, u32)>) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(html.len() + 64);
    for_each_tag(html, &mut out, |tag, out| {
        let added = is_img(tag).then(|| missing_size(tag, &size)).flatten();
        match added {
            Some(added) => {
                changed = true;
                // Before the closing `>` or `/>` and the spaces before it.
                let body = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
                out.push_str(body);
                out.push_str(&added);
                out.push_str(&tag[body.len()..]);
            }
            None => out.push_str(tag),
        }
    });
    changed.then_some(out)
}

/// The attributes to add to one `<img>` tag for [`size_images`], with a space before each.
fn missing_size(tag: &str, size: &impl Fn(&str) -> Option<(u32, u32)>) -> Option<String> {
    let found = attributes(tag, &["src", "width", "height"]);
    let get = |name: &str| found.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim());
    let (width, height) = size(get("src")?)?;
    let pixels = |value: &str| value.parse::<u64>().ok().filter(|v| *v > 0);
    let scaled = |value: u64, from: u32, to: u32| {
        (value * u64::from(to) + u64::from(from) / 2) / u64::from(from.max(1))
    };
    match (get("width"), get("height")) {
        (None, None) => Some(format!(" width=\"{width}\" height=\"{height}\"")),
        (Some(w), None) => pixels(w).map(|w| format!(" height=\"{}\"", scaled(w, width, height))),
        (None, Some(h)) => pixels(h).map(|h| format!(" width=\"{}\"", scaled(h, height, width))),
        (Some(_), Some(_)) => None,
    }
}

/// Length of the tag at the start of `html` (up to and including its `>`, or all of `html`),
/// skipping `>` inside quoted attribute values.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Copies one tag to `out`, rewriting the values of its attributes `names`.
fn rewrite_tag(
    tag: &str,
    names: &[&str],
    out: &mut String,
    f: &mut impl FnMut(&str, &str) -> Option<String>,
) {
    let bytes = tag.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        // An attribute name starts after whitespace.
        if !bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let name_start = i + 1;
        let name_end = name_start
            + tag[name_start..]
                .find(|c: char| c == '=' || c == '>' || c == '/' || c.is_ascii_whitespace())
                .unwrap_or(tag.len() - name_start);
        let name = &tag[name_start..name_end];
        i = name_end;
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        let (value_start, value_end, next) = match bytes.get(i + 1) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 2;
                let len = tag[start..].find(q as char).unwrap_or(tag.len() - start);
                (start, start + len, start + len + 1)
            }
            _ => {
                let start = i + 1;
                let len = tag[start..]
                    .find(|c: char| c == '>' || c.is_ascii_whitespace())
                    .unwrap_or(tag.len() - start);
                (start, start + len, start + len)
            }
        };
        if names.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            let value = &tag[value_start..value_end];
            if let Some(new) = f(name, &unescape(value)) {
                out.push_str(&tag[copied..value_start]);
                out.push_str(&new);
                copied = value_end;
            }
        }
        i = next.min(tag.len());
    }
    out.push_str(&tag[copied..]);
}

/// The `&amp;` an attribute value may hold, as the character (enough for URLs).
fn unescape(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains("&amp;") {
        value.replace("&amp;", "&").into()
    } else {
        value.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn img_sources_are_those_of_img_tags_only() {
        let html = r#"<p><img alt="a > b" src="a.jpg?x=1&amp;y=2"><IMG SRC=/b.png/><script src="c.js"></script><imgx src="d.jpg"><!-- <img src="e.jpg"> --><img src='f.webp' /></p>"#;
        assert_eq!(img_sources(html), ["a.jpg?x=1&y=2", "/b.png/", "f.webp"]);
    }

    #[test]
    fn images_without_a_size_get_theirs_and_others_are_left_alone() {
        let size = |src: &str| match src {
            "a.jpg" => Some((1600, 900)),
            "/s/b.png" => Some((400, 300)),
            _ => None,
        };
        assert_eq!(
            size_images(r#"<img src="a.jpg" alt="x">"#, size).as_deref(),
            Some(r#"<img src="a.jpg" alt="x" width="1600" height="900">"#)
        );
        assert_eq!(
            size_images(
                "<img src=/s/b.png />\n<img\n  src='a.jpg'\n  width=\"800\"/>",
                size
            )
            .as_deref(),
            Some(
                "<img src=/s/b.png width=\"400\" height=\"300\" />\n<img\n  src='a.jpg'\n  width=\"800\" height=\"450\"/>"
            )
        );
        assert_eq!(
            size_images(r#"<img height="150" src="/s/b.png">"#, size).as_deref(),
            Some(r#"<img height="150" src="/s/b.png" width="200">"#)
        );
        for unchanged in [
            r#"<img src="a.jpg" width="10" height="10">"#,
            r#"<img src="a.jpg" width="50%">"#,
            r#"<img src="other.jpg">"#,
            r#"<source src="a.jpg">"#,
            r#"<img src="a.jpg""#,
            r#"<p>an <code>&lt;img src="a.jpg"&gt;</code></p>"#,
        ] {
            assert_eq!(size_images(unchanged, size), None, "{unchanged}");
        }
    }

    fn upper(html: &str) -> String {
        rewrite(html, |v| v.starts_with('/').then(|| format!("/sub{v}")))
    }

    #[test]
    fn rewrites_href_and_src_in_any_quotes() {
        assert_eq!(
            upper(
                r#"<a href="/x/" title="a > b">x</a> <img alt='y' src='/y.png'> <a href=/z/>z</a>"#
            ),
            r#"<a href="/sub/x/" title="a > b">x</a> <img alt='y' src='/sub/y.png'> <a href=/sub/z/>z</a>"#
        );
    }

    #[test]
    fn text_and_comments_are_left_alone() {
        let html =
            r#"<p>write href="/x" <code>&lt;a href="/docs/"&gt;</code></p><!-- <a href="/c/"> -->"#;
        assert_eq!(upper(html), html);
    }

    #[test]
    fn other_attributes_and_relative_values_are_kept() {
        let html = r#"<a data-href="/x/" href="rel/" class="k">x</a>"#;
        assert_eq!(upper(html), html);
    }

    #[test]
    fn each_address_of_a_srcset_is_rewritten_and_its_descriptors_kept() {
        let html = concat!(
            r#"<picture><source type="image/webp" srcset="/a-480.webp 480w, /a-960.webp 960w">"#,
            r#"<img srcset="rel.jpg 1x,/b.jpg 2x" src="/b.jpg"></picture>"#,
        );
        assert_eq!(
            upper(html),
            concat!(
                r#"<picture><source type="image/webp" srcset="/sub/a-480.webp 480w, /sub/a-960.webp 960w">"#,
                r#"<img srcset="rel.jpg 1x, /sub/b.jpg 2x" src="/sub/b.jpg"></picture>"#,
            )
        );
        let untouched = r#"<img srcset="a.jpg 1x, b.jpg 2x">"#;
        assert_eq!(upper(untouched), untouched);
    }
}
