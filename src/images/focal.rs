//! The point of a hero image that its social card keeps in view: `[hero] focal_point`.
//!
//! Two spellings, one for each habit: WordPress's focal point picker stores a pair of
//! fractions from the top left (`focal_point = [0.3, 0.5]`: 30% across, halfway down), and
//! Hugo's `anchor` names a side or corner (`focal_point = "top left"`, `"TopLeft"`, `"top-left"`
//! and `"center"` all work). Left out, the card is cropped around the centre.

/// A point of an image as fractions of its width and height from the top left corner.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Focal {
    pub x: f64,
    pub y: f64,
}

impl Default for Focal {
    fn default() -> Self {
        Focal { x: 0.5, y: 0.5 }
    }
}

/// What a wrong `focal_point` is told to look like.
pub const FOCAL_HELP: &str = "write focal_point = [x, y] with fractions from the top left (e.g. [0.3, 0.5]), or one of \"center\", \"top\", \"bottom\", \"left\", \"right\", \"top left\", \"top right\", \"bottom left\", \"bottom right\"";

impl Focal {
    /// Reads a `focal_point` value; `Err` says what is wrong with it.
    pub fn parse(value: &toml::Value) -> Result<Focal, String> {
        match value {
            toml::Value::String(name) => Focal::named(name)
                .ok_or_else(|| format!("focal_point `{name}` is not a side, corner or \"center\"")),
            toml::Value::Array(pair) => {
                let numbers: Vec<f64> = pair
                    .iter()
                    .filter_map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                    .collect();
                match numbers[..] {
                    [x, y]
                        if pair.len() == 2
                            && (0.0..=1.0).contains(&x)
                            && (0.0..=1.0).contains(&y) =>
                    {
                        Ok(Focal { x, y })
                    }
                    _ => Err(format!(
                        "focal_point must be two fractions between 0 and 1, not {value}"
                    )),
                }
            }
            other => Err(format!(
                "focal_point must be a pair of fractions or a side's name, not {}",
                other.type_str()
            )),
        }
    }

    /// Hugo's anchor names, in any case, with or without a space or dash between the words.
    fn named(name: &str) -> Option<Focal> {
        let word: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let (x, y) = match word.as_str() {
            "center" | "centre" | "middle" => (0.5, 0.5),
            "top" => (0.5, 0.0),
            "bottom" => (0.5, 1.0),
            "left" => (0.0, 0.5),
            "right" => (1.0, 0.5),
            "topleft" | "lefttop" => (0.0, 0.0),
            "topright" | "righttop" => (1.0, 0.0),
            "bottomleft" | "leftbottom" => (0.0, 1.0),
            "bottomright" | "rightbottom" => (1.0, 1.0),
            _ => return None,
        };
        Some(Focal { x, y })
    }

    /// The part of an image `width` by `height` to keep for a card `to` (width, height): the
    /// largest rectangle of the card's shape, centred on the point as far as the edges allow.
    /// Returns (x, y, width, height).
    pub fn crop(&self, width: u32, height: u32, to: (u32, u32)) -> (u32, u32, u32, u32) {
        let (w, h) = (u64::from(width), u64::from(height));
        let (cw, ch) = (u64::from(to.0), u64::from(to.1));
        // Wider than the card: keep the full height; otherwise the full width.
        let (keep_w, keep_h) = if w * ch > h * cw {
            ((h * cw / ch).max(1), h)
        } else {
            (w, (w * ch / cw).max(1))
        };
        let start = |size: u64, keep: u64, at: f64| -> u32 {
            let centre = (size as f64 * at).round() as i64;
            (centre - keep as i64 / 2).clamp(0, (size - keep) as i64) as u32
        };
        (
            start(w, keep_w, self.x),
            start(h, keep_h, self.y),
            keep_w as u32,
            keep_h as u32,
        )
    }

    /// A short stable name for the point, for cached cards' file names: `30-50`.
    pub fn key(&self) -> String {
        format!(
            "{}-{}",
            (self.x * 1000.0).round() as u32,
            (self.y * 1000.0).round() as u32
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_value: &str) -> Result<Focal, String> {
        let table: toml::Table = toml::from_str(&format!("v = {toml_value}")).unwrap();
        Focal::parse(&table["v"])
    }

    #[test]
    fn pairs_and_hugo_and_css_names_are_read() {
        assert_eq!(parse("[0.3, 0.5]"), Ok(Focal { x: 0.3, y: 0.5 }));
        assert_eq!(parse("[0, 1]"), Ok(Focal { x: 0.0, y: 1.0 }));
        assert_eq!(parse("\"TopLeft\""), Ok(Focal { x: 0.0, y: 0.0 }));
        assert_eq!(parse("\"bottom right\""), Ok(Focal { x: 1.0, y: 1.0 }));
        assert_eq!(parse("\"top-right\""), Ok(Focal { x: 1.0, y: 0.0 }));
        assert_eq!(parse("\"Center\""), Ok(Focal::default()));
    }

    #[test]
    fn wrong_values_say_what_is_wrong() {
        assert!(parse("[30, 50]").unwrap_err().contains("between 0 and 1"));
        assert!(parse("[0.5]").unwrap_err().contains("two fractions"));
        assert!(parse("\"smart\"").unwrap_err().contains("`smart`"));
        assert!(parse("true").unwrap_err().contains("not boolean"));
    }

    #[test]
    fn the_crop_keeps_the_point_in_view_within_the_edges() {
        // 2400x1600 to 1200x630: the full width, 1260 rows high.
        let centre = Focal::default().crop(2400, 1600, (1200, 630));
        assert_eq!(centre, (0, 170, 2400, 1260));
        let top = Focal { x: 0.5, y: 0.0 }.crop(2400, 1600, (1200, 630));
        assert_eq!(top, (0, 0, 2400, 1260));
        // A tall portrait kept at its top third: the window stays inside the image.
        let portrait = Focal { x: 0.5, y: 0.3 }.crop(1000, 3000, (1200, 630));
        assert_eq!(portrait, (0, 638, 1000, 525));
        // A panorama: full height, the window slid left.
        let left = Focal { x: 0.1, y: 0.5 }.crop(4000, 1000, (1200, 630));
        assert_eq!(left, (0, 0, 1904, 1000));
        let right = Focal { x: 0.9, y: 0.5 }.crop(4000, 1000, (1200, 630));
        assert_eq!(right, (2096, 0, 1904, 1000));
    }
}
