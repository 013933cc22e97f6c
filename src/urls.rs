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
        let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if host_len == 0 {
            return Err(format!("base_url `{input}` has no host name"));
        }
        if rest[host_len..].contains(['?', '#']) {
            return Err(format!("base_url `{input}` must not contain `?` or `#`"));
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
}
