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
        rewrite_tag(&rest[..end], names, &mut out, &mut f);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
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
