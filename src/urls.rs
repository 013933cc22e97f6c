//! The site's public address and the URLs of its pages.
//!
//! Parsed by hand rather than with the `url` crate: we only need to split an absolute http(s)
//! address into origin and path, and `url` would bring an IDNA/ICU stack for that.

/// An absolute `http(s)://host[:port]/path/` address that always ends in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    full: String,
    /// Length of `scheme://host[:port]`; the rest of `full` is the path.
    origin_len: usize,
}

impl BaseUrl {
    pub fn parse(input: &str) -> Result<BaseUrl, String> {
        let input = input.trim();
        let rest = input
            .strip_prefix("https://")
            .or_else(|| input.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url `{input}` must be an absolute address starting with https:// or http://")
            })?;
        if input.contains(char::is_whitespace) || input.contains(char::is_control) {
            return Err(format!(
                "base_url `{input}` contains a space; an address has none (write %20 for a space in the path)"
            ));
        }
        let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if host_len == 0 {
            return Err(format!("base_url `{input}` has no host name"));
        }
        check_host(&rest[..host_len]).map_err(|why| format!("base_url `{input}`: {why}"))?;
        if rest[host_len..].contains(['?', '#']) {
            return Err(format!("base_url `{input}` must not contain `?` or `#`"));
        }
        if rest[host_len..].split('/').any(|s| s == "." || s == "..") {
            return Err(format!(
                "base_url `{input}` has a `.` or `..` folder in its path; write the path as it is published"
            ));
        }
        // `https://example.org//` (a `$URL/` slip in a deploy script) would make every
        // root-relative link `//x/`, which a browser reads as another host.
        if rest[host_len..].contains("//") {
            return Err(format!(
                "base_url `{input}` has an empty folder (`//`) in its path; write each `/` once, e.g. `https://example.org/research/`"
            ));
        }
        let origin_len = input.len() - rest.len() + host_len;
        let mut full = input.to_string();
        if !full.ends_with('/') {
            full.push('/');
        }
        Ok(BaseUrl { full, origin_len })
    }

    /// The whole address, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// The path part, `/` for a domain root or e.g. `/research/`.
    pub fn root_path(&self) -> &str {
        &self.full[self.origin_len..]
    }

    /// `scheme://host[:port]`, without the path: what a root-relative `/x` link resolves against.
    pub fn origin(&self) -> &str {
        &self.full[..self.origin_len]
    }

    /// Root-relative path of a site-relative path such as `briefs/x/`.
    pub fn path_of(&self, site_path: &str) -> String {
        format!("{}{}", self.root_path(), site_path.trim_start_matches('/'))
    }

    /// Absolute URL of a site-relative path.
    pub fn url_of(&self, site_path: &str) -> String {
        format!("{}{}", self.full, site_path.trim_start_matches('/'))
    }

    /// [`BaseUrl::path_of`] a file the site publishes under its own name ([`file_address`]).
    pub fn file_path_of(&self, site_path: &str) -> String {
        self.path_of(&file_address(site_path))
    }

    /// [`BaseUrl::url_of`] a file the site publishes under its own name ([`file_address`]).
    pub fn file_url_of(&self, site_path: &str) -> String {
        self.url_of(&file_address(site_path))
    }
}

/// Bytes of a file's name that its address must percent-encode: those a URL reads otherwise
/// (`#` starts an anchor, `?` a query, `%` an escape), those `srcset` splits on (space and
/// comma), and those HTML would escape, so that the address goes into an attribute as it is.
const FILE_NAME: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b',')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The address of a file named `path` (a site path or a name beside the page, `/`-separated):
/// `map #2.png` is `map%20%232.png`, which a server reads back as the file's name.
pub fn file_address(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, FILE_NAME).to_string()
}

/// A host name (`example.org`, `localhost`), IPv4 or `[IPv6]` address, with an optional port.
fn check_host(host: &str) -> Result<(), String> {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, _)) if !name.ends_with(']') && name.contains(':') => (host, None),
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    if let Some(port) = port
        && (port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err())
    {
        return Err(format!("`{port}` is not a port number"));
    }
    if let Some(ip) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return match ip.parse::<std::net::Ipv6Addr>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("`{name}` is not an IPv6 address")),
        };
    }
    // Letters of any script are allowed (internationalised names); `..`, `@` or `_` are not.
    let name = name.strip_suffix('.').unwrap_or(name);
    for label in name.split('.') {
        if label.is_empty() {
            return Err(format!(
                "the host name `{name}` has an empty part (`..`, or a `.` at its start)"
            ));
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err(format!(
                "the host name `{name}` may only hold letters, digits, `-` and `.`"
            ));
        }
    }
    Ok(())
}

/// The post id of a WordPress address by id (`?p=123`, `?page_id=45`), from the address's
/// query; `&amp;` as an HTML source writes it is read as `&`. Import rewrites such links and
/// check reports those left.
pub fn wordpress_post_id(query: &str) -> Option<&str> {
    wordpress_query_id(query, &["p", "page_id"])
}

/// The attachment id of a WordPress attachment page's address (`?attachment_id=123`), from
/// the address's query, read as [`wordpress_post_id`] reads a post's.
pub fn wordpress_attachment_id(query: &str) -> Option<&str> {
    wordpress_query_id(query, &["attachment_id"])
}

fn wordpress_query_id<'a>(query: &'a str, keys: &[&str]) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        let pair = pair.strip_prefix("amp;").unwrap_or(pair);
        match pair.split_once('=') {
            Some((key, id))
                if keys.contains(&key)
                    && !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(id)
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sub_path() {
        let base = BaseUrl::parse("https://example.org/research").unwrap();
        assert_eq!(base.as_str(), "https://example.org/research/");
        assert_eq!(base.root_path(), "/research/");
        assert_eq!(base.path_of("briefs/x/"), "/research/briefs/x/");
        assert_eq!(
            base.url_of("/style.css"),
            "https://example.org/research/style.css"
        );
    }

    #[test]
    fn domain_root_has_slash_path() {
        let base = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(base.root_path(), "/");
        assert_eq!(base.path_of("404.html"), "/404.html");
    }

    #[test]
    fn rejects_relative_and_hostless() {
        assert!(BaseUrl::parse("/docs/").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn rejects_spaces_bad_hosts_and_dot_segments() {
        for bad in [
            "https://exa mple.org/",
            "https://example..org/",
            "https://.example.org/",
            "https://user@example.org/",
            "https://example.org:port/",
            "https://example.org/a/../b/",
            "https://example.org/./",
            "https://example.org/research /",
            "https://example.org//",
            "https://example.org//think/",
            "https://example.org/think//",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad} was accepted");
        }
        for good in [
            "https://example.org",
            "http://127.0.0.1:1111/",
            "http://[::1]:8080/",
            "http://localhost:1111/x/",
            "https://user.github.io/repo/",
            "https://bücher.example/",
            "https://example.org./",
        ] {
            assert!(BaseUrl::parse(good).is_ok(), "{good} was refused");
        }
    }
}
