//! Metadata for machines: what search engines, feed readers and social sites read.
//!
//! Pure functions from the site model to text, used by [`crate::render`] and [`crate::outputs`]:
//! - [`json_ld`]: schema.org JSON-LD for a page, made safe to print inside `<script>`;
//! - [`feed`]: Atom feeds of the latest briefs, for the site and per topic, region, program
//!   and author;
//! - [`citation`]: Google Scholar's `citation_*` tags for a brief;
//! - [`sitemap`]: `sitemap.xml` (split past 50,000 URLs) and `robots.txt`.

pub mod citation;
pub mod feed;
pub mod json_ld;
pub mod sitemap;

use crate::content::Asset;
use crate::outputs::Job;
use crate::urls::BaseUrl;

/// The page's canonical address: a syndicated brief's original, else the page's own `page_url`.
pub fn canonical_url(job: &Job, page_url: String) -> String {
    match job {
        Job::Brief(brief) => brief
            .front
            .originally_published
            .as_ref()
            .map_or(page_url, |original| original.url.clone()),
        _ => page_url,
    }
}

/// Whether search engines are asked not to index the page (`<meta name="robots"
/// content="noindex">`, and no entry in the sitemap): drafts (shown only by a preview build),
/// the 404 page, the search page (nothing but a form until a reader types), and an index of
/// terms that has none ("No briefs name a series yet").
pub fn noindex(site: &crate::site::Site, job: &Job) -> bool {
    match job {
        Job::Brief(brief) => brief.front.draft,
        Job::Page(page) => page.front.draft,
        Job::NotFound | Job::Search => true,
        Job::Terms(kind) => site.taxonomies.terms(*kind).is_empty(),
        _ => false,
    }
}

/// Absolute URL of the site's logo when link previews can show it (PNG, JPEG, WebP or GIF:
/// Facebook, X and LinkedIn show no SVG): the picture of a shared page that has none of its own.
pub fn share_image_url(config: &crate::config::Config) -> Option<String> {
    let logo = config.logo.as_deref()?;
    let extension = logo.rsplit_once('.')?.1.to_ascii_lowercase();
    matches!(extension.as_str(), "png" | "jpg" | "jpeg" | "webp" | "gif")
        .then(|| config.base_url.file_url_of(logo))
}

/// Absolute URL of an image or file field: metadata is read off the site, so never a path.
pub fn asset_url(base: &BaseUrl, asset: &Asset) -> String {
    match asset {
        Asset::External(url) => url.clone(),
        Asset::Local { site_path } => base.file_url_of(site_path),
    }
}

/// Absolute URL of a config value that is either an address or a path under static/.
pub fn config_url(base: &BaseUrl, value: &str) -> String {
    if value.starts_with("http://") || value.starts_with("https://") {
        value.to_string()
    } else {
        base.url_of(value)
    }
}

/// Regions Facebook's locales pair with a language written without one (`fr` is `fr_FR`).
/// Arabic is `ar_AR`, Facebook's own code for it.
const DEFAULT_REGIONS: [(&str, &str); 42] = [
    ("ar", "AR"),
    ("bg", "BG"),
    ("bn", "IN"),
    ("ca", "ES"),
    ("cs", "CZ"),
    ("da", "DK"),
    ("de", "DE"),
    ("el", "GR"),
    ("en", "US"),
    ("es", "ES"),
    ("et", "EE"),
    ("fa", "IR"),
    ("fi", "FI"),
    ("fr", "FR"),
    ("he", "IL"),
    ("hi", "IN"),
    ("hr", "HR"),
    ("hu", "HU"),
    ("hy", "AM"),
    ("id", "ID"),
    ("it", "IT"),
    ("ja", "JP"),
    ("ka", "GE"),
    ("ko", "KR"),
    ("lt", "LT"),
    ("lv", "LV"),
    ("ms", "MY"),
    ("nb", "NO"),
    ("nl", "NL"),
    ("pl", "PL"),
    ("pt", "BR"),
    ("ro", "RO"),
    ("ru", "RU"),
    ("sk", "SK"),
    ("sl", "SI"),
    ("sr", "RS"),
    ("sv", "SE"),
    ("th", "TH"),
    ("tr", "TR"),
    ("uk", "UA"),
    ("vi", "VN"),
    ("zh", "CN"),
];

/// A language tag as Open Graph's `og:locale` writes it, `language_TERRITORY`: "en-GB" is
/// "en_GB", "fr" is "fr_FR" (the region Facebook pairs with it), "zh-Hant" is "zh_TW"; a
/// language without a usual region stays bare ("eo").
pub fn og_locale(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let mut region = None;
    let mut traditional = false;
    for part in parts {
        match part.len() {
            2 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                region = Some(part.to_ascii_uppercase());
                break;
            }
            4 => traditional = part.eq_ignore_ascii_case("hant"),
            _ => {}
        }
    }
    let region = region.or_else(|| {
        if language == "zh" && traditional {
            return Some("TW".to_string());
        }
        DEFAULT_REGIONS
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, r)| r.to_string())
    });
    match region {
        Some(region) => format!("{language}_{region}"),
        None => language,
    }
}

/// Characters XML 1.0 forbids even escaped (most C0 controls); content is text typed by
/// people, where a stray one would make a whole feed unreadable, so they are dropped.
pub(crate) fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if text.chars().all(allowed) {
        text.into()
    } else {
        text.chars()
            .filter(|c| allowed(*c))
            .collect::<String>()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn og_locale_writes_language_and_territory() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("fr"), "fr_FR");
        assert_eq!(og_locale("es-MX"), "es_MX");
        assert_eq!(og_locale("pt_pt"), "pt_PT");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("sr-Latn-RS"), "sr_RS");
        assert_eq!(og_locale("es-419"), "es_ES");
        assert_eq!(og_locale("eo"), "eo");
    }

    #[test]
    fn xml_text_drops_control_characters_only() {
        assert_eq!(xml_text("a\u{1}b\tc é"), "ab\tc é");
    }

    #[test]
    fn local_assets_get_the_full_site_address() {
        let base = BaseUrl::parse("https://e.org/sub/").unwrap();
        let local = Asset::Local {
            site_path: "briefs/x/hero.jpg".into(),
        };
        assert_eq!(
            asset_url(&base, &local),
            "https://e.org/sub/briefs/x/hero.jpg"
        );
        assert_eq!(config_url(&base, "/logo.svg"), "https://e.org/sub/logo.svg");
        assert_eq!(
            config_url(&base, "https://cdn.e.org/l.png"),
            "https://cdn.e.org/l.png"
        );
    }
}
