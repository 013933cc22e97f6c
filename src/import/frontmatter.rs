//! Writing imported front matter: TOML keys in a fixed, readable order (the order of the
//! README's example), every value quoted and escaped by the toml crate.

use toml::Value;

/// A document's front matter as it will be written, key by key.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Front {
    keys: Vec<(&'static str, Value)>,
    hero: Vec<(&'static str, Value)>,
}

impl Front {
    pub fn set(&mut self, key: &'static str, value: impl Into<Value>) {
        self.keys.push((key, value.into()));
    }

    /// Sets `key` to a string when there is one and it is not blank.
    pub fn set_text(&mut self, key: &'static str, value: Option<&str>) {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.set(key, value.to_string());
        }
    }

    /// Sets `key` to a list of strings when the list is not empty.
    pub fn set_list(&mut self, key: &'static str, values: &[String]) {
        if !values.is_empty() {
            self.set(
                key,
                Value::Array(values.iter().cloned().map(Value::from).collect()),
            );
        }
    }

    /// A date as `YYYY-MM-DD` (the time of day is not shown anywhere by brief).
    pub fn set_date(&mut self, key: &'static str, date: jiff::civil::Date) {
        let value = date
            .to_string()
            .parse::<toml::value::Datetime>()
            .expect("a civil date is a TOML date");
        self.set(key, Value::Datetime(value));
    }

    pub fn hero(&mut self, key: &'static str, value: Option<&str>) {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.hero.push((key, Value::from(value.to_string())));
        }
    }

    /// The front matter between `+++` lines.
    pub fn render(&self) -> String {
        let mut out = String::from("+++\n");
        for (key, value) in &self.keys {
            out.push_str(&format!("{key} = {value}\n"));
        }
        if !self.hero.is_empty() {
            out.push_str("\n[hero]\n");
            for (key, value) in &self.hero {
                out.push_str(&format!("{key} = {value}\n"));
            }
        }
        out.push_str("+++\n");
        out
    }
}

/// A whole document: front matter, a blank line, the body ending in one newline.
pub fn document(front: &Front, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        front.render()
    } else {
        format!("{}\n{body}\n", front.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_keys_in_order_with_hero_last() {
        let mut front = Front::default();
        front.set("title", "Kim \"Jong\" Un's".to_string());
        front.set_date("date", jiff::civil::date(2023, 9, 15));
        front.set_list("authors", &["a".into(), "b".into()]);
        front.set_text("summary", Some("  "));
        front.hero("image", Some("hero.jpg"));
        let title = Value::from("Kim \"Jong\" Un's".to_string()).to_string();
        assert_eq!(
            front.render(),
            format!(
                "+++\ntitle = {title}\ndate = 2023-09-15\nauthors = [\"a\", \"b\"]\n\n[hero]\nimage = \"hero.jpg\"\n+++\n"
            )
        );
        let toml_text = front.render().replace("+++\n", "");
        let table: toml::Table = toml::from_str(&toml_text).unwrap();
        assert_eq!(table["title"].as_str(), Some("Kim \"Jong\" Un's"));
    }
}
