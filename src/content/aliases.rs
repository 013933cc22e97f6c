//! The `aliases` front-matter key: old addresses of a brief or page (`/2023/09/15/old-slug/`),
//! each of which gets a redirect page ([`crate::redirects`]). An alias is a path of this site,
//! root-relative like a link in the text: under a `base_url` with a path, it is put under it.

use std::path::Path;

use crate::error::{Diagnostic, Kind, Location};

/// Problems in a file's `aliases`, each at the line that holds the alias.
pub fn errors(aliases: &[String], line_of: impl Fn(&str) -> usize, rel: &Path) -> Vec<Diagnostic> {
    aliases
        .iter()
        .filter_map(|alias| {
            let (problem, help) = problem(alias)?;
            Some(
                Diagnostic::new(Kind::FrontMatter, format!("alias `{alias}` {problem}"))
                    .at(Location::at(rel, line_of(alias), 1))
                    .help(help),
            )
        })
        .collect()
}

/// What is wrong with `alias`, with what to do, or `None` if it is a usable path.
fn problem(alias: &str) -> Option<(&'static str, &'static str)> {
    const PATH_ONLY: &str =
        "write the old address as a path of this site, e.g. \"/2023/09/15/old-slug/\"";
    if alias.contains("://") || alias.starts_with("//") {
        return Some((
            "is a full address",
            "write only its path, starting with `/`: \"/2023/09/15/old-slug/\" (an alias is always on this site)",
        ));
    }
    if !alias.starts_with('/') {
        return Some(("does not start with `/`", PATH_ONLY));
    }
    if alias.contains(['?', '#']) {
        return Some((
            "has a query (`?`) or fragment (`#`)",
            "a redirect page can only be published at a path: remove the part from `?` or `#` on",
        ));
    }
    let unsafe_char =
        |c: char| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '<' | '>');
    if alias.contains(unsafe_char) {
        return Some((
            "has a space, a backslash, a quote or `<`/`>`",
            "write the old address as it appeared in the browser's address bar, with %20 for spaces",
        ));
    }
    let Some(path) = site_path(alias) else {
        return Some((
            "has a `%` escape that is not valid UTF-8",
            "write the path's characters as they are, or as valid %-escapes of UTF-8",
        ));
    };
    // Escaped, a space is a folder name's (`%20`); the rest is no file name on some hosts.
    if path.contains(|c: char| c != ' ' && unsafe_char(c)) {
        return Some((
            "has an escaped control character, backslash, quote or `<`/`>`",
            "remove it from the old address; a redirect page cannot be published at it",
        ));
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if segment.starts_with('.') {
            return Some((
                "has a `.` or `..` part, or a hidden (dot) name",
                "write the old address without `./`, `../` or names starting with `.`",
            ));
        }
        if segment.is_empty() && i != last {
            return Some(("has an empty part (`//`)", PATH_ONLY));
        }
    }
    None
}

/// The alias as a path in the output folder, without its leading `/` and with `%` escapes
/// decoded (a host maps a request to a file by the decoded path); `None` if they are not UTF-8.
pub fn site_path(alias: &str) -> Option<String> {
    let path = alias.strip_prefix('/').unwrap_or(alias);
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|p| p.into_owned())
}

/// The file a redirect page for `alias` is written to: `<alias>/index.html`, or the alias itself
/// when it names an `.html` file. `None` for an alias with a [`problem`].
pub fn output_path(alias: &str) -> Option<String> {
    problem(alias).is_none().then_some(())?;
    let path = site_path(alias)?;
    Some(match path.ends_with(".html") || path.ends_with(".htm") {
        true => path,
        false if path.is_empty() || path.ends_with('/') => format!("{path}index.html"),
        false => format!("{path}/index.html"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_site_are_accepted() {
        for alias in [
            "/2023/09/15/old-slug/",
            "/old",
            "/blog/old.html",
            "/caf%C3%A9/",
            "/with%20space/",
            "/",
        ] {
            assert_eq!(problem(alias), None, "{alias}");
        }
    }

    #[test]
    fn addresses_that_are_not_paths_of_the_site_are_refused() {
        for (alias, start) in [
            ("https://old.example.org/x/", "is a full address"),
            ("//old.example.org/x/", "is a full address"),
            ("old/x/", "does not start"),
            ("/x/?p=12", "has a query"),
            ("/x/#top", "has a query"),
            ("/a/../b/", "has a `.`"),
            ("/a/%2e%2e/b/", "has a `.`"),
            ("/.git/", "has a `.`"),
            ("/a//b/", "has an empty part"),
            ("/a b/", "has a space"),
            ("/a%0Ab/", "has an escaped control character"),
            ("/a%22b/", "has an escaped control character"),
            ("/a%FF/", "has a `%` escape"),
        ] {
            let (message, _) = problem(alias).unwrap_or_else(|| panic!("{alias} accepted"));
            assert!(message.starts_with(start), "{alias}: {message}");
        }
    }

    #[test]
    fn the_redirect_page_is_an_index_unless_the_alias_names_an_html_file() {
        assert_eq!(
            output_path("/2023/old/").as_deref(),
            Some("2023/old/index.html")
        );
        assert_eq!(output_path("/old").as_deref(), Some("old/index.html"));
        assert_eq!(output_path("/old.html").as_deref(), Some("old.html"));
        assert_eq!(
            output_path("/caf%C3%A9/").as_deref(),
            Some("café/index.html")
        );
        assert_eq!(
            output_path("/with%20space/").as_deref(),
            Some("with space/index.html")
        );
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(output_path("/../x/"), None);
    }
}
