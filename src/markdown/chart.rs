//! Charts drawn at build time from a CSV of the bundle: a `chart` block's options name the
//! file, the column of categories (`x`) and the columns of values (`y`); the chart is an inline
//! SVG under the figure's caption, followed by a "Show data" disclosure holding the values as a
//! real table and a link to download the CSV (which the build publishes with the bundle).
//!
//! The SVG is written here rather than with `plotters`: its SVG backend writes each colour as a
//! fixed `fill="#rrggbb"` on every shape and has no way to add `role="img"`, `<title>`/`<desc>`
//! or a class, so the chart could neither follow the theme's light and dark colours nor be named
//! for a screen reader without rewriting its output. Here every shape carries a class
//! (`fill-1`, `stroke-2`, `chart-grid`…) that the theme colours with CSS variables, and a
//! presentation attribute with the default colour, which CSS overrides, for readers without
//! the stylesheet (feeds). No JavaScript: the chart works in feeds, print and the PDF.
//!
//! A static SVG scales as a whole, so text sized for a wide screen is too small on a phone and
//! text sized for a phone crowds a wide screen. Each chart is therefore laid out twice
//! ([`WIDE`], [`NARROW`]), and the theme shows the one for the screen's width; the labels are
//! placed from an estimate of each one's width ([`text_width`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::chart_data::{self, Data};
use super::figures::{Caption, Numbered, Problem, Report, attr, file_attr, nonempty, wrap};

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartType {
    /// Horizontal bars, one row per category.
    Bar,
    /// Vertical columns, one group per category.
    Column,
    /// Vertical columns with the series stacked.
    Stacked,
    /// A line per series across the categories.
    Line,
    /// A dot per series on one row per category.
    Dot,
}

/// One column or several: `y = "exports"` or `y = ["exports", "imports"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartOptions {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: ChartType,
    /// The CSV file, a path inside the brief's folder.
    pub data: String,
    pub x: String,
    pub y: Columns,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub source: Option<String>,
    pub credit: Option<String>,
    pub note: Option<String>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    /// The values' unit ("US$ million"), shown with the value axis and in the table.
    pub unit: Option<String>,
    /// What the chart shows, for screen readers; a sentence is made from the data if absent.
    pub alt: Option<String>,
}

/// Colours of series 1–6 without the theme's stylesheet (the theme's `--chart-N` replace them).
const PALETTE: [&str; 6] = [
    "#1f5a96", "#c0392b", "#2e7d4f", "#b7791f", "#6b4c9a", "#4a5568",
];
/// What a chart is laid out for: its width and its text's size, in SVG units, and the height of
/// a column or line chart whose labels take one line.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Its class (`chart-narrow`), for the theme to show it instead of the wide one.
    name: Option<&'static str>,
    width: f64,
    font: f64,
    height: f64,
    /// The most of the width a bar chart's labels may take.
    label_share: f64,
}

/// For screens wider than 40rem, and the PDF: drawn 540 px wide or more, so its 13-unit text is
/// 11 px or more (about 14 px at the widest measure).
const WIDE: Layout = Layout {
    name: None,
    width: 640.0,
    font: 13.0,
    height: 360.0,
    label_share: 0.4,
};
/// For phones, which the theme shows it to (up to 40rem): drawn 288 px wide on a 320 px screen,
/// so its 14-unit text is 11.2 px.
const NARROW: Layout = Layout {
    name: Some("narrow"),
    width: 360.0,
    font: 14.0,
    height: 300.0,
    label_share: 0.45,
};
/// The distance between two lines of a label, in ems.
const LEADING: f64 = 1.2;
/// Room kept between a label and the edge of the SVG.
const EDGE: f64 = 2.0;

/// The figure of a chart block, or nothing and a problem.
pub fn render(
    o: &ChartOptions,
    number: &Numbered,
    data: &BTreeMap<String, String>,
    offset: usize,
    report: &mut Report,
) -> String {
    let file = o.data.trim().trim_start_matches("./");
    report.files.insert(file.to_string());
    let Some(text) = data.get(file) else {
        report.problems.push(Problem {
            offset,
            message: format!("the chart's data file `{file}` is not in the brief's folder"),
            help: "put the CSV file beside index.md (charts need a brief folder, content/briefs/<slug>/index.md) and name it in data = \"…\"".to_string(),
            in_data: None,
        });
        return String::new();
    };
    let y = match &o.y {
        Columns::One(one) => vec![one.clone()],
        Columns::Many(many) => many.clone(),
    };
    if y.is_empty() {
        report.problems.push(Problem {
            offset,
            message: "the chart names no column of values".to_string(),
            help: "name at least one: y = [\"exports\"]".to_string(),
            in_data: None,
        });
        return String::new();
    }
    let data = match chart_data::read(text, o.x.trim(), &y) {
        Ok(data) => data,
        Err(bad) => {
            report.problems.push(Problem {
                offset,
                message: bad.message,
                help: bad.help,
                in_data: Some((file.to_string(), bad.line, bad.column)),
            });
            return String::new();
        }
    };
    let caption = Caption {
        title: o.title.clone(),
        caption: o.caption.clone(),
        source: o.source.clone(),
        credit: o.credit.clone(),
        note: o.note.clone(),
    };
    super::figures::warn_without_source(&caption, &number.label, offset, report);
    let svg_id = number
        .id
        .clone()
        .unwrap_or_else(|| format!("chart-{}", number.label.replace(' ', "-").to_lowercase()));
    let title = nonempty(&o.title)
        .map(super::inline_text)
        .unwrap_or_else(|| number.label.clone());
    let desc = nonempty(&o.alt)
        .map(str::to_string)
        .unwrap_or_else(|| describe(o, &data, number.language));
    let mut content = String::new();
    content.push_str(&svgs(o, &data, &svg_id, &title, &desc, number.language));
    content.push_str(&data_table(o, &data, file, number));
    wrap("chart", number, &caption, &content)
}

/// The chart alone, as a standalone SVG, and the sentence describing it: for the PDF, which
/// draws the same chart (`None` when the block or its data has a problem, which the page's
/// build reports).
pub fn standalone_svg(
    block: &str,
    csv: &str,
    language: &crate::i18n::Language,
) -> Option<(String, String)> {
    let o: ChartOptions = toml::from_str(block).ok()?;
    let y = match &o.y {
        Columns::One(one) => vec![one.clone()],
        Columns::Many(many) => many.clone(),
    };
    let data = chart_data::read(csv, o.x.trim(), &y).ok()?;
    let title = nonempty(&o.title)
        .map(super::inline_text)
        .unwrap_or_default();
    let desc = nonempty(&o.alt)
        .map(str::to_string)
        .unwrap_or_else(|| describe(&o, &data, language));
    let svg = svg(&o, &data, "chart", &title, &desc, language, WIDE);
    Some((svg, desc))
}

/// A sentence saying what the chart shows, for its `<desc>`, in the page's language.
fn describe(o: &ChartOptions, data: &Data, language: &crate::i18n::Language) -> String {
    let kind = match o.kind {
        ChartType::Bar => "chart_bar",
        ChartType::Column => "chart_column",
        ChartType::Stacked => "chart_stacked",
        ChartType::Line => "chart_line",
        ChartType::Dot => "chart_dot",
    };
    let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
    let first = data.categories.first().map_or("", String::as_str);
    let last = data.categories.last().map_or("", String::as_str);
    let unit = nonempty(&o.unit).map_or(String::new(), |u| {
        crate::i18n::fill(&language.t("chart_unit", None), &[("unit", u)])
    });
    let and = format!(" {} ", language.t("and", None));
    crate::i18n::fill(
        &language.t("chart_description", None),
        &[
            ("kind", &language.t(kind, None)),
            ("series", &names.join(&and)),
            ("x", &data.x),
            ("first", first),
            ("last", last),
            ("unit", &unit),
        ],
    )
}

/// A value of the data as the page's language writes numbers ("1 200,5" in French); a cell
/// that is no plain number (a note, "n/a") as written.
fn cell(text: &str, language: &crate::i18n::Language) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (fraction.is_empty() || !digits.ends_with('.'));
    match whole.parse::<i64>() {
        Ok(n) if plain && fraction.is_empty() => format!("{sign}{}", language.number(n)),
        Ok(n) if plain => format!("{sign}{}{}{fraction}", language.number(n), language.decimal),
        _ => text.to_string(),
    }
}

/// The "Show data" disclosure: the values as a table, and the CSV to download.
fn data_table(o: &ChartOptions, data: &Data, file: &str, number: &Numbered) -> String {
    let t = |key: &str| attr(&number.language.t(key, None));
    let unit = nonempty(&o.unit).map_or(String::new(), |u| format!(" ({})", attr(u)));
    let mut table = String::from("<table>\n<thead><tr>");
    let _ = write!(table, "<th scope=\"col\">{}</th>", attr(&data.x));
    for series in &data.series {
        let _ = write!(table, "<th scope=\"col\">{}{unit}</th>", attr(&series.name));
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for (row, category) in data.categories.iter().enumerate() {
        let _ = write!(table, "<tr><th scope=\"row\">{}</th>", attr(category));
        for series in &data.series {
            let _ = write!(
                table,
                "<td>{}</td>",
                attr(&cell(&series.cells[row], number.language))
            );
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</tbody>\n</table>\n");
    format!(
        "<details class=\"chart-data\">\n<summary>{}</summary>\n{}<p class=\"chart-download\"><a href=\"{}\" download>{}</a></p>\n</details>\n",
        t("show_data"),
        table,
        file_attr(file),
        t("download_data"),
    )
}

/// The value axis: its lowest and highest value and the ticks between.
#[derive(Debug, Clone, PartialEq)]
struct Scale {
    min: f64,
    max: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// A scale from 0 (or the lowest value, when below 0) to above the highest, in round steps.
    fn of(low: f64, high: f64) -> Scale {
        let low = low.min(0.0);
        let high = if high <= low { low + 1.0 } else { high };
        let raw = (high - low) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        let min = (low / step).floor() * step;
        let max = (high / step).ceil() * step;
        let count = ((max - min) / step).round() as usize;
        let ticks = (0..=count).map(|i| min + step * i as f64).collect();
        Scale { min, max, ticks }
    }

    /// Where `value` falls between `from` (the scale's min) and `to` (its max).
    fn at(&self, value: f64, from: f64, to: f64) -> f64 {
        from + (value - self.min) / (self.max - self.min) * (to - from)
    }
}

/// A tick's label in the document's language: grouped digits, and decimals only when needed.
fn tick_label(value: f64, language: &crate::i18n::Language) -> String {
    if (value - value.round()).abs() < 1e-9 {
        return language.number(value.round() as i64);
    }
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let sign = if value < 0.0 && whole == 0 { "-" } else { "" };
    format!(
        "{sign}{}{}{fraction}",
        language.number(whole),
        language.decimal
    )
}

/// The lowest and highest value the chart shows (stacked: of the stacks).
fn extent(kind: ChartType, data: &Data) -> (f64, f64) {
    let mut low = f64::INFINITY;
    let mut high = f64::NEG_INFINITY;
    if kind == ChartType::Stacked {
        for row in 0..data.categories.len() {
            let (mut up, mut down) = (0.0, 0.0);
            for series in &data.series {
                match series.values[row] {
                    Some(v) if v >= 0.0 => up += v,
                    Some(v) => down += v,
                    None => {}
                }
            }
            low = low.min(down);
            high = high.max(up);
        }
    } else {
        for value in data.series.iter().flat_map(|s| s.values.iter().flatten()) {
            low = low.min(*value);
            high = high.max(*value);
        }
    }
    if low > high { (0.0, 1.0) } else { (low, high) }
}

/// The plot area inside the SVG.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// The chart's SVGs: one laid out for wide screens (and the only one in the PDF), then one for
/// phones, which the theme shows in its place. The phone's is page furniture
/// ([`super::MARK`]): a feed, read without the theme's stylesheet, has the wide one only (and
/// without any stylesheet the phone's stays hidden by its `display="none"`).
fn svgs(
    o: &ChartOptions,
    data: &Data,
    id: &str,
    title: &str,
    desc: &str,
    language: &crate::i18n::Language,
) -> String {
    let mut out = svg(o, data, id, title, desc, language, WIDE);
    out.push(super::MARK);
    out.push_str(&svg(
        o,
        data,
        &format!("{id}-narrow"),
        title,
        desc,
        language,
        NARROW,
    ));
    out.push(super::MARK);
    out
}

/// The chart's SVG, laid out for `layout`.
fn svg(
    o: &ChartOptions,
    data: &Data,
    id: &str,
    title: &str,
    desc: &str,
    language: &crate::i18n::Language,
    layout: Layout,
) -> String {
    let horizontal = matches!(o.kind, ChartType::Bar | ChartType::Dot);
    let font = layout.font;
    let (legend, legend_rows) = if data.series.len() > 1 {
        legend_svg(data, layout)
    } else {
        (String::new(), 0)
    };
    // Room above the plot for the legend, then the title of the axis drawn beside it.
    let side_title = if horizontal {
        nonempty(&o.x_label).is_some()
    } else {
        nonempty(&o.y_label).is_some() || nonempty(&o.unit).is_some()
    };
    let top =
        16.0 + if legend_rows > 0 {
            26.0 + 22.0 * (legend_rows - 1) as f64
        } else {
            0.0
        } + if side_title { 22.0 } else { 0.0 };
    let (low, high) = extent(o.kind, data);
    let scale = Scale::of(low, high);
    let ticks: Vec<String> = scale
        .ticks
        .iter()
        .map(|&t| tick_label(t, language))
        .collect();
    let (frame, height, axis) = if horizontal {
        let room = layout.width * layout.label_share - 10.0 - EDGE;
        let labels: Vec<Label> = data
            .categories
            .iter()
            .map(|c| side_label(c, room, font))
            .collect();
        let longest = labels.iter().map(|l| l.width(font)).fold(0.0, f64::max);
        let mut band = if o.kind == ChartType::Dot {
            24.0
        } else {
            (12.0 * data.series.len() as f64 + 10.0).max(24.0)
        };
        if labels.iter().any(|l| l.lines.len() > 1) {
            band = band.max(2.0 * LEADING * font + 6.0);
        }
        // The last tick's label is centred on the plot's right edge.
        let last_tick = ticks.last().map_or(0.0, |t| text_width(t, font));
        let bottom = top + band * data.categories.len() as f64;
        let frame = Frame {
            left: (longest + 10.0 + EDGE).max(48.0),
            right: layout.width - (last_tick / 2.0 + EDGE + 2.0).max(24.0),
            top,
            bottom,
        };
        let axis = side_axis(labels, &frame);
        (frame, bottom + 48.0, axis)
    } else {
        let widest_tick = ticks
            .iter()
            .map(|t| text_width(t, font))
            .fold(0.0, f64::max);
        let frame = Frame {
            left: (widest_tick + 12.0).max(layout.width * 0.1),
            right: layout.width - 16.0,
            top,
            bottom: layout.height - 52.0,
        };
        let axis = column_axis(data, &frame, o.kind, layout);
        // Labels deeper than one line make the chart taller, not the plot shorter.
        let height = layout.height + (axis.depth - flat_depth(1, font)).max(0.0);
        (frame, round(height), axis)
    };
    let (class, hidden) = match layout.name {
        Some(name) => (format!(" chart-{name}"), " display=\"none\""),
        None => (String::new(), ""),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart chart-{kind}{class}\" viewBox=\"0 0 {width} {height}\"{hidden} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{font}\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        attr(title),
        attr(desc),
        kind = kind_name(o.kind),
        width = layout.width,
        id = attr(id),
    );
    out.push_str(&legend);
    out.push_str(&value_axis(&scale, &ticks, &frame, horizontal));
    out.push_str(&category_axis(
        &axis,
        &data.categories,
        &frame,
        horizontal,
        font,
    ));
    out.push_str(&marks(o.kind, data, &scale, &frame));
    out.push_str(&axis_titles(o, &frame, height, horizontal, layout));
    out.push_str("</svg>\n");
    out
}

fn kind_name(kind: ChartType) -> &'static str {
    match kind {
        ChartType::Bar => "bar",
        ChartType::Column => "column",
        ChartType::Stacked => "stacked",
        ChartType::Line => "line",
        ChartType::Dot => "dot",
    }
}

/// The class and default colour of series `i`.
fn colour(i: usize) -> (usize, &'static str) {
    (i % PALETTE.len() + 1, PALETTE[i % PALETTE.len()])
}

/// About how wide `text` is at `font` units: by the kind of each character, a little wider than
/// Source Sans 3 and the usual fallback sans-serifs draw it, so a label never runs out of room.
fn text_width(text: &str, font: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '’' | '!' | '|' | ' ' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.38,
            'm' | 'w' | 'M' | 'W' | '%' | '@' | '—' => 0.85,
            c if c.is_ascii_digit() => 0.56,
            c if c.is_uppercase() => 0.68,
            c if c as u32 >= 0x2E80 => 1.0,
            _ => 0.55,
        })
        .sum();
    ems * font
}

/// `text` cut to `room` with an ellipsis, or whole when it fits.
fn shorten(text: &str, room: f64, font: f64) -> String {
    if text_width(text, font) <= room {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let kept: String = chars.iter().collect();
        let kept = kept.trim_end();
        if text_width(kept, font) + text_width("…", font) <= room {
            return format!("{kept}…");
        }
    }
    "…".to_string()
}

/// `text` on two lines of about the same width, each within `room`, split between words; or
/// nothing when no split fits.
fn two_lines(text: &str, room: f64, font: f64) -> Option<Vec<String>> {
    let words: Vec<&str> = text.split(' ').collect();
    (1..words.len())
        .map(|k| vec![words[..k].join(" "), words[k..].join(" ")])
        .filter(|lines| lines.iter().all(|l| !l.is_empty()))
        .map(|lines| {
            let widest = lines
                .iter()
                .map(|l| text_width(l, font))
                .fold(0.0, f64::max);
            (widest, lines)
        })
        .filter(|(widest, _)| *widest <= room)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, lines)| lines)
}

/// A category's label as drawn: its lines, and whether it was shortened to fit (the full name
/// is then its tooltip, and always in the "Show data" table).
#[derive(Debug, Clone, PartialEq)]
struct Label {
    lines: Vec<String>,
    cut: bool,
}

impl Label {
    fn whole(text: &str) -> Label {
        Label {
            lines: vec![text.to_string()],
            cut: false,
        }
    }

    /// The width of its widest line.
    fn width(&self, font: f64) -> f64 {
        self.lines
            .iter()
            .map(|l| text_width(l, font))
            .fold(0.0, f64::max)
    }
}

/// A bar chart's label, within `room`: on one line, or two, or failing that two lines and an
/// ellipsis.
fn side_label(text: &str, room: f64, font: f64) -> Label {
    if text_width(text, font) <= room {
        return Label::whole(text);
    }
    if let Some(lines) = two_lines(text, room, font) {
        return Label { lines, cut: false };
    }
    let words: Vec<&str> = text.split(' ').collect();
    let first = (1..=words.len())
        .take_while(|&k| text_width(&words[..k].join(" "), font) <= room)
        .last();
    let lines = match first {
        Some(k) => vec![
            words[..k].join(" "),
            shorten(&words[k..].join(" "), room, font),
        ],
        None => vec![shorten(text, room, font)],
    };
    Label { lines, cut: true }
}

/// The category labels of an axis, placed.
struct Axis {
    /// Each category's label and where it is written (for turned labels, where it ends), or
    /// nothing where the axis is thinned.
    labels: Vec<Option<(Label, f64)>>,
    /// Written at 45°, reading upwards to the category.
    turned: bool,
    /// How far below the plot the labels reach.
    depth: f64,
}

/// How far below the plot labels of `lines` lines reach.
fn flat_depth(lines: usize, font: f64) -> f64 {
    first_baseline(font) + (lines - 1) as f64 * LEADING * font + 0.3 * font
}

/// The baseline of a column chart's labels, below the plot.
fn first_baseline(font: f64) -> f64 {
    8.0 + 0.77 * font
}

/// The labels of a bar chart: each beside its bar, ending left of the plot.
fn side_axis(labels: Vec<Label>, f: &Frame) -> Axis {
    Axis {
        labels: labels
            .into_iter()
            .map(|label| Some((label, f.left - 8.0)))
            .collect(),
        turned: false,
        depth: 0.0,
    }
}

/// The labels of a column or line chart: every category named on one line under its column if
/// they all fit; years (see [`is_sequence`]) then every few, level; other names on two lines,
/// else turned at 45° (shortened with an ellipsis past a length), and thinned to every few
/// only when even turned labels would overlap and level ones would show more.
fn column_axis(data: &Data, f: &Frame, kind: ChartType, layout: Layout) -> Axis {
    let font = layout.font;
    let count = data.categories.len();
    let centres: Vec<f64> = (0..count)
        .map(|i| band_centre(i, count, f, false, kind))
        .collect();
    let step = if count > 1 {
        centres[1] - centres[0]
    } else {
        f.right - f.left
    };
    let room = step - 0.5 * font;
    let whole: Vec<Label> = data.categories.iter().map(|c| Label::whole(c)).collect();
    if let Some(axis) = level_axis(&whole, &centres, 1, layout) {
        return axis;
    }
    // A sequence of whole numbers (years) reads as well with every second or fifth one named,
    // level, as print draws years; names are another matter: each is needed.
    if is_sequence(&data.categories)
        && let Some(axis) =
            (2..=count).find_map(|every| level_axis(&whole, &centres, every, layout))
    {
        return axis;
    }
    // Two lines for the labels too long for one; failing that (a label at the edge may still
    // run into its neighbour), two lines for every label that has a space.
    for all in [false, true] {
        let wrapped: Option<Vec<Label>> = data
            .categories
            .iter()
            .map(|c| {
                let split = two_lines(c, room, font).map(|lines| Label { lines, cut: false });
                if text_width(c, font) > room {
                    split
                } else if all {
                    split.or_else(|| Some(Label::whole(c)))
                } else {
                    Some(Label::whole(c))
                }
            })
            .collect();
        if let Some(axis) = wrapped.and_then(|labels| level_axis(&labels, &centres, 1, layout)) {
            return axis;
        }
    }
    // Turned labels need a line's height between them, measured across the slant.
    let turned_every = ((1.55 * font / step).ceil() as usize).max(1);
    let widest = whole.iter().map(|l| l.width(font)).fold(0.0, f64::max);
    let level_every = (((widest + 0.5 * font) / step).ceil() as usize).max(1);
    if level_every <= turned_every
        && let Some(axis) =
            (level_every..=count).find_map(|every| level_axis(&whole, &centres, every, layout))
    {
        return axis;
    }
    turned_axis(data, &centres, turned_every, layout)
}

/// Whether the categories are whole numbers rising by one (2006, 2007, …), whose skipped
/// values a reader fills in.
fn is_sequence(categories: &[String]) -> bool {
    let numbers: Option<Vec<i64>> = categories.iter().map(|c| c.trim().parse().ok()).collect();
    numbers.is_some_and(|n| n.len() > 2 && n.windows(2).all(|w| w[1] == w[0] + 1))
}

/// Level labels under every `every`th category, each centred on it but kept inside the SVG;
/// nothing if two would overlap.
fn level_axis(labels: &[Label], centres: &[f64], every: usize, layout: Layout) -> Option<Axis> {
    let font = layout.font;
    let mut placed: Vec<Option<(Label, f64)>> = Vec::new();
    let mut previous_end = f64::NEG_INFINITY;
    let mut lines = 1;
    for (i, (label, &centre)) in labels.iter().zip(centres).enumerate() {
        if i % every != 0 {
            placed.push(None);
            continue;
        }
        let half = label.width(font) / 2.0;
        if 2.0 * half > layout.width - 2.0 * EDGE {
            return None;
        }
        let x = centre.clamp(EDGE + half, layout.width - EDGE - half);
        if x - half < previous_end + 0.5 * font {
            return None;
        }
        previous_end = x + half;
        lines = lines.max(label.lines.len());
        placed.push(Some((label.clone(), x)));
    }
    Some(Axis {
        labels: placed,
        turned: false,
        depth: flat_depth(lines, font),
    })
}

/// Labels at 45° under every `every`th category, ending at it; each shortened to stay inside
/// the SVG on the left and to no more than 40% of its width.
fn turned_axis(data: &Data, centres: &[f64], every: usize, layout: Layout) -> Axis {
    let font = layout.font;
    let mut longest: f64 = 0.0;
    let labels = data
        .categories
        .iter()
        .zip(centres)
        .enumerate()
        .map(|(i, (category, &centre))| {
            if i % every != 0 {
                return None;
            }
            let end = centre + 0.25 * font;
            // The label runs down to the left: its start, and the top of its letters, must
            // stay right of the SVG's edge.
            let room = ((end - EDGE) / SLANT - 0.75 * font).min(0.4 * layout.width);
            let shown = shorten(category, room, font);
            longest = longest.max(text_width(&shown, font));
            let cut = shown != *category;
            Some((
                Label {
                    lines: vec![shown],
                    cut,
                },
                end,
            ))
        })
        .collect();
    Axis {
        labels,
        turned: true,
        depth: TURN_DROP + SLANT * (longest + 0.25 * font) + 2.0,
    }
}

/// cos 45°: how much of a turned label's length is across, and how much down.
const SLANT: f64 = std::f64::consts::FRAC_1_SQRT_2;
/// How far below the plot a turned label ends.
const TURN_DROP: f64 = 8.0;

/// A `<text>` of one line or several (as `<tspan>`s), with the full name as its tooltip when it
/// was shortened.
fn text_element(
    x: f64,
    y: f64,
    anchor: &str,
    transform: &str,
    label: &Label,
    full: &str,
    font: f64,
) -> String {
    let mut out = format!(
        "<text class=\"chart-text\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\"{transform} fill=\"#555\">"
    );
    if label.cut {
        let _ = write!(out, "<title>{}</title>", attr(full));
    }
    if let [line] = label.lines.as_slice() {
        out.push_str(&attr(line));
    } else {
        for (k, line) in label.lines.iter().enumerate() {
            let _ = write!(
                out,
                "<tspan x=\"{x}\" y=\"{}\">{}</tspan>",
                round(y + k as f64 * LEADING * font),
                attr(line)
            );
        }
    }
    out.push_str("</text>\n");
    out
}

/// The legend, in rows as wide as the chart, and how many rows it takes.
fn legend_svg(data: &Data, layout: Layout) -> (String, usize) {
    let font = layout.font;
    let mut out = String::from("<g class=\"chart-legend\">\n");
    let mut x = 8.0;
    let mut row = 0;
    for (i, series) in data.series.iter().enumerate() {
        let (n, fill) = colour(i);
        let room = layout.width - EDGE - 8.0 - 17.0;
        let name = shorten(&series.name, room, font);
        let width = text_width(&name, font);
        if x > 8.0 && x + 17.0 + width > layout.width - EDGE {
            x = 8.0;
            row += 1;
        }
        let y = 22.0 * row as f64;
        let tooltip = if name == series.name {
            String::new()
        } else {
            format!("<title>{}</title>", attr(&series.name))
        };
        let _ = writeln!(
            out,
            "<rect class=\"fill-{n}\" x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{fill}\"/><text class=\"chart-text\" x=\"{}\" y=\"{}\" fill=\"#555\">{tooltip}{}</text>",
            10.0 + y,
            round(x + 17.0),
            20.5 + y,
            attr(&name)
        );
        x = round(x + 17.0 + width + 20.0);
    }
    out.push_str("</g>\n");
    (out, row + 1)
}

/// Grid lines and tick labels of the value axis.
fn value_axis(scale: &Scale, labels: &[String], f: &Frame, horizontal: bool) -> String {
    let mut out = String::from("<g class=\"chart-axis\">\n");
    for (&tick, label) in scale.ticks.iter().zip(labels) {
        let label = attr(label);
        let zero = if tick == 0.0 { " chart-zero" } else { "" };
        if horizontal {
            let x = round(scale.at(tick, f.left, f.right));
            let _ = writeln!(
                out,
                "<line class=\"chart-grid{zero}\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#ccc\"/><text class=\"chart-text\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{label}</text>",
                f.top,
                f.bottom,
                f.bottom + 18.0
            );
        } else {
            let y = round(scale.at(tick, f.bottom, f.top));
            let _ = writeln!(
                out,
                "<line class=\"chart-grid{zero}\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#ccc\"/><text class=\"chart-text\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">{label}</text>",
                round(f.left),
                f.right,
                round(f.left - 6.0),
                y + 4.5
            );
        }
    }
    out.push_str("</g>\n");
    out
}

/// The category labels, placed by [`column_axis`] or [`side_axis`].
fn category_axis(
    axis: &Axis,
    categories: &[String],
    f: &Frame,
    horizontal: bool,
    font: f64,
) -> String {
    let mut out = String::from("<g class=\"chart-axis\">\n");
    let count = axis.labels.len();
    for (i, placed) in axis.labels.iter().enumerate() {
        let Some((label, x)) = placed else { continue };
        let full = &categories[i];
        let x = round(*x);
        if horizontal {
            let centre = band_centre(i, count, f, true, ChartType::Bar);
            // Lines of a label centred on its band.
            let first =
                centre + 0.35 * font - (label.lines.len() - 1) as f64 * LEADING * font / 2.0;
            out.push_str(&text_element(x, round(first), "end", "", label, full, font));
        } else if axis.turned {
            let y = round(f.bottom + TURN_DROP);
            let turn = format!(" transform=\"rotate(-45 {x} {y})\"");
            out.push_str(&text_element(x, y, "end", &turn, label, full, font));
        } else {
            let y = round(f.bottom + first_baseline(font));
            out.push_str(&text_element(x, y, "middle", "", label, full, font));
        }
    }
    out.push_str("</g>\n");
    out
}

/// The middle of category `i`'s band (for a line, its point).
fn band_centre(i: usize, count: usize, f: &Frame, horizontal: bool, kind: ChartType) -> f64 {
    if horizontal {
        let band = (f.bottom - f.top) / count as f64;
        return f.top + band * (i as f64 + 0.5);
    }
    if kind == ChartType::Line {
        let inset = 12.0;
        if count == 1 {
            return (f.left + f.right) / 2.0;
        }
        return f.left + inset + (f.right - f.left - 2.0 * inset) * i as f64 / (count - 1) as f64;
    }
    let band = (f.right - f.left) / count as f64;
    f.left + band * (i as f64 + 0.5)
}

/// The bars, columns, lines or dots.
fn marks(kind: ChartType, data: &Data, scale: &Scale, f: &Frame) -> String {
    let mut out = String::from("<g class=\"chart-marks\">\n");
    let count = data.categories.len();
    let series = data.series.len();
    match kind {
        ChartType::Column | ChartType::Bar => {
            let horizontal = kind == ChartType::Bar;
            let span = if horizontal {
                f.bottom - f.top
            } else {
                f.right - f.left
            };
            let band = span / count as f64;
            let inner = band * 0.8;
            let bar = inner / series as f64;
            for (s, values) in data.series.iter().enumerate() {
                let (n, fill) = colour(s);
                for (i, value) in values.values.iter().enumerate() {
                    let Some(value) = value else { continue };
                    let start = if horizontal { f.top } else { f.left };
                    let along = round(start + band * i as f64 + band * 0.1 + bar * s as f64);
                    out.push_str(&rect(
                        horizontal, along, bar, *value, 0.0, scale, f, n, fill,
                    ));
                }
            }
        }
        ChartType::Stacked => {
            let band = (f.right - f.left) / count as f64;
            for i in 0..count {
                let (mut up, mut down) = (0.0, 0.0);
                for (s, values) in data.series.iter().enumerate() {
                    let Some(value) = values.values[i] else {
                        continue;
                    };
                    let base = if value >= 0.0 { up } else { down };
                    let (n, fill) = colour(s);
                    let along = round(f.left + band * i as f64 + band * 0.15);
                    out.push_str(&rect(
                        false,
                        along,
                        band * 0.7,
                        value,
                        base,
                        scale,
                        f,
                        n,
                        fill,
                    ));
                    if value >= 0.0 {
                        up += value;
                    } else {
                        down += value;
                    }
                }
            }
        }
        ChartType::Line => {
            for (s, values) in data.series.iter().enumerate() {
                let (n, fill) = colour(s);
                let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for (i, value) in values.values.iter().enumerate() {
                    match value {
                        Some(v) => {
                            let x = round(band_centre(i, count, f, false, kind));
                            let y = round(scale.at(*v, f.bottom, f.top));
                            runs.last_mut().expect("never empty").push((x, y));
                        }
                        None => runs.push(Vec::new()),
                    }
                }
                for run in runs.iter().filter(|r| r.len() > 1) {
                    let points: Vec<String> = run.iter().map(|(x, y)| format!("{x},{y}")).collect();
                    let _ = writeln!(
                        out,
                        "<polyline class=\"stroke-{n}\" points=\"{}\" fill=\"none\" stroke=\"{fill}\" stroke-width=\"2.5\"/>",
                        points.join(" ")
                    );
                }
                for (x, y) in runs.iter().flatten() {
                    let _ = writeln!(
                        out,
                        "<circle class=\"fill-{n}\" cx=\"{x}\" cy=\"{y}\" r=\"3.5\" fill=\"{fill}\"/>"
                    );
                }
            }
        }
        ChartType::Dot => {
            for i in 0..count {
                let y = round(band_centre(i, count, f, true, kind));
                let xs: Vec<f64> = data
                    .series
                    .iter()
                    .filter_map(|s| s.values[i])
                    .map(|v| round(scale.at(v, f.left, f.right)))
                    .collect();
                if let (Some(low), Some(high)) = (
                    xs.iter().cloned().reduce(f64::min),
                    xs.iter().cloned().reduce(f64::max),
                ) && xs.len() > 1
                {
                    let _ = writeln!(
                        out,
                        "<line class=\"chart-grid\" x1=\"{low}\" x2=\"{high}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#ccc\" stroke-width=\"2\"/>"
                    );
                }
                for (s, values) in data.series.iter().enumerate() {
                    let Some(value) = values.values[i] else {
                        continue;
                    };
                    let (n, fill) = colour(s);
                    let x = round(scale.at(value, f.left, f.right));
                    let _ = writeln!(
                        out,
                        "<circle class=\"fill-{n}\" cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"{fill}\"/>"
                    );
                }
            }
        }
    }
    out.push_str("</g>\n");
    out
}

/// A bar from `base` to `base + value`, `thickness` wide, starting at `along` on the category
/// axis.
#[allow(clippy::too_many_arguments)]
fn rect(
    horizontal: bool,
    along: f64,
    thickness: f64,
    value: f64,
    base: f64,
    scale: &Scale,
    f: &Frame,
    n: usize,
    fill: &str,
) -> String {
    let thickness = round(thickness.max(1.0));
    if horizontal {
        let a = scale.at(base, f.left, f.right);
        let b = scale.at(base + value, f.left, f.right);
        format!(
            "<rect class=\"fill-{n}\" x=\"{}\" y=\"{along}\" width=\"{}\" height=\"{thickness}\" fill=\"{fill}\"/>\n",
            round(a.min(b)),
            round((b - a).abs())
        )
    } else {
        let a = scale.at(base, f.bottom, f.top);
        let b = scale.at(base + value, f.bottom, f.top);
        format!(
            "<rect class=\"fill-{n}\" x=\"{along}\" y=\"{}\" width=\"{thickness}\" height=\"{}\" fill=\"{fill}\"/>\n",
            round(a.min(b)),
            round((b - a).abs())
        )
    }
}

/// The axis titles: the category axis's `x_label`, the value axis's `y_label` with its unit;
/// shortened with an ellipsis (the whole title as tooltip) if wider than the chart.
fn axis_titles(
    o: &ChartOptions,
    f: &Frame,
    height: f64,
    horizontal: bool,
    layout: Layout,
) -> String {
    let value_title = match (nonempty(&o.y_label), nonempty(&o.unit)) {
        (Some(label), Some(unit)) => Some(format!("{label} ({unit})")),
        (Some(label), None) => Some(label.to_string()),
        (None, Some(unit)) => Some(unit.to_string()),
        (None, None) => None,
    };
    let category_title = nonempty(&o.x_label).map(str::to_string);
    let (below, beside) = if horizontal {
        (value_title, category_title)
    } else {
        (category_title, value_title)
    };
    let font = layout.font;
    let fit = |text: &str, room: f64| {
        let shown = shorten(text, room, font);
        let tooltip = if shown == text {
            String::new()
        } else {
            format!("<title>{}</title>", attr(text))
        };
        (tooltip, attr(&shown), text_width(&shown, font))
    };
    let mut out = String::new();
    if let Some(text) = below {
        let (tooltip, shown, width) = fit(&text, layout.width - 2.0 * EDGE);
        let half = width / 2.0;
        let x = ((f.left + f.right) / 2.0).clamp(EDGE + half, layout.width - EDGE - half);
        let _ = writeln!(
            out,
            "<text class=\"chart-text chart-axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{tooltip}{shown}</text>",
            round(x),
            height - 8.0,
        );
    }
    if let Some(text) = beside {
        // Written above the plot, at its left edge: turned text is hard to read on a phone.
        let (tooltip, shown, _) = fit(&text, layout.width - 4.0 - EDGE);
        let _ = writeln!(
            out,
            "<text class=\"chart-text chart-axis-title\" x=\"4\" y=\"{}\" fill=\"#555\">{tooltip}{shown}</text>",
            f.top - 14.0,
        );
    }
    out
}

/// Coordinates to a tenth of a pixel: shorter SVG, same picture.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_include_zero() {
        assert_eq!(
            Scale::of(3.0, 87.0).ticks,
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let scale = Scale::of(-12.0, 30.0);
        assert_eq!((scale.min, scale.max), (-20.0, 30.0));
        assert_eq!(Scale::of(0.0, 0.0).max, 1.0);
    }

    #[test]
    fn tick_labels_group_digits_and_drop_needless_decimals() {
        let markup = super::super::fragments::Markup::default();
        let en = markup.language("en");
        assert_eq!(tick_label(25000.0, en), "25,000");
        assert_eq!(tick_label(2.5, en), "2.5");
        assert_eq!(tick_label(-0.5, en), "-0.5");
    }

    fn options(kind: ChartType) -> ChartOptions {
        toml::from_str::<ChartOptions>(&format!(
            "type = \"{}\"\ndata = \"d.csv\"\nx = \"year\"\ny = [\"a\", \"b\"]\nunit = \"US$ m\"\n",
            kind_name(kind)
        ))
        .unwrap()
    }

    #[test]
    fn every_kind_draws_one_mark_per_value_in_an_accessible_svg() {
        let data = chart_data::read(
            "year,a,b\n2020,1,2\n2021,3,\n2022,5,6\n",
            "year",
            &["a".to_string(), "b".to_string()],
        )
        .unwrap();
        let markup = super::super::fragments::Markup::default();
        let en = markup.language("en");
        for kind in [
            ChartType::Bar,
            ChartType::Column,
            ChartType::Stacked,
            ChartType::Dot,
        ] {
            let out = svg(&options(kind), &data, "fig-x", "T", "D", en, WIDE);
            assert!(out.starts_with("<svg class=\"chart"), "{out}");
            assert!(out.contains("role=\"img\" aria-labelledby=\"fig-x-title fig-x-desc\""));
            let marks = out.split("chart-marks").nth(1).unwrap();
            let count = marks.matches("class=\"fill-").count();
            assert_eq!(count, 5, "{kind:?}: {out}");
        }
        let line = svg(
            &options(ChartType::Line),
            &data,
            "fig-x",
            "T",
            "D",
            en,
            WIDE,
        );
        // Series b has a gap in 2021, so only a's line has more than one point in a row.
        assert_eq!(line.matches("<polyline").count(), 1, "{line}");
        assert_eq!(line.matches("<circle").count(), 5, "{line}");
    }

    /// What a reader gets of an SVG's `<text>`s: for each, the text shown (its lines joined by
    /// a space), its tooltip, and whether all of it lies inside the viewBox, computed from the
    /// attributes (`x`, `y`, `text-anchor`, `rotate(…)`) and the size of its text.
    fn texts(svg: &str) -> Vec<(String, Option<String>, bool)> {
        let number = |tag: &str, name: &str| -> Option<f64> {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            tag[start..].split('"').next()?.parse().ok()
        };
        let text_of = |s: &str| s.replace("&#39;", "'").replace("&amp;", "&");
        let head = &svg[..svg.find('>').unwrap()];
        let view: Vec<f64> = head
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let font = number(head, "font-size").unwrap();
        let mut out = Vec::new();
        for piece in svg.split("<text ").skip(1) {
            let (tag, rest) = piece.split_once('>').unwrap();
            let body = rest.split("</text>").next().unwrap();
            let (tooltip, body) = match body.strip_prefix("<title>") {
                Some(after) => {
                    let (title, body) = after.split_once("</title>").unwrap();
                    (Some(text_of(title)), body)
                }
                None => (None, body),
            };
            let (x, y) = (number(tag, "x").unwrap(), number(tag, "y").unwrap());
            let mut lines: Vec<(f64, f64, String)> = body
                .split("<tspan ")
                .skip(1)
                .map(|span| {
                    let (attrs, text) = span.split_once('>').unwrap();
                    let attrs = format!(" {attrs}");
                    let text = text.split("</tspan>").next().unwrap();
                    let (lx, ly) = (number(&attrs, "x").unwrap(), number(&attrs, "y").unwrap());
                    (lx, ly, text_of(text))
                })
                .collect();
            if lines.is_empty() {
                lines.push((x, y, text_of(body)));
            }
            let turn = tag.contains("rotate(-45");
            let mut inside = true;
            for (lx, ly, line) in &lines {
                let width = text_width(line, font);
                let start = match tag.split("text-anchor=\"").nth(1).map(|a| &a[..3]) {
                    Some("end") => lx - width,
                    Some("mid") => lx - width / 2.0,
                    _ => *lx,
                };
                for (cx, cy) in [
                    (start, ly - 0.75 * font),
                    (start + width, ly - 0.75 * font),
                    (start, ly + 0.25 * font),
                    (start + width, ly + 0.25 * font),
                ] {
                    let (cx, cy) = if turn {
                        let (dx, dy) = (cx - x, cy - y);
                        (x + SLANT * (dx + dy), y + SLANT * (dy - dx))
                    } else {
                        (cx, cy)
                    };
                    inside &= cx >= view[0] && cx <= view[2] && cy >= view[1] && cy <= view[3];
                }
            }
            let shown: Vec<String> = lines.into_iter().map(|(_, _, t)| t).collect();
            out.push((shown.join(" "), tooltip, inside));
        }
        out
    }

    /// Whether `category` is named by one of `texts`: written whole, or shortened with its
    /// full name as the tooltip.
    fn named(texts: &[(String, Option<String>, bool)], category: &str) -> bool {
        texts.iter().any(|(shown, tooltip, _)| {
            shown == category
                || (tooltip.as_deref() == Some(category)
                    && shown.ends_with('…')
                    && category.starts_with(shown.trim_end_matches('…')))
        })
    }

    fn chart(kind: ChartType, csv: &str, layout: Layout) -> String {
        let header: Vec<String> = csv
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        let data = chart_data::read(csv, &header[0], &header[1..]).unwrap();
        let o = toml::from_str::<ChartOptions>(&format!(
            "type = \"{}\"\ndata = \"d.csv\"\nx = \"{}\"\ny = {:?}\nx_label = \"Member state of the European Union as of the first of January 2024\"\nunit = \"US$ million\"\n",
            kind_name(kind),
            header[0],
            &header[1..]
        ))
        .unwrap();
        let markup = super::super::fragments::Markup::default();
        svg(&o, &data, "fig-x", "T", "D", markup.language("en"), layout)
    }

    const SIX: &str = "country,exports\nGermany,1500\nFrance,600\nItaly,550\nSpain,400\nNetherlands,700\nPoland,350\n";
    const LONG: &str = "country,share,growth of the share over the five years\nDemocratic People's Republic of Korea,12.5,3\nRussian Federation,40,1.2\nPeople's Republic of China,35,-2\nUnited States of America,12.5,0.5\n";
    const KINDS: [ChartType; 5] = [
        ChartType::Column,
        ChartType::Line,
        ChartType::Stacked,
        ChartType::Bar,
        ChartType::Dot,
    ];

    fn categories(csv: &str) -> Vec<&str> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect()
    }

    #[test]
    fn six_short_names_are_all_written_whole_and_level_on_a_wide_screen() {
        for kind in KINDS {
            let out = chart(kind, SIX, WIDE);
            let texts = texts(&out);
            for country in categories(SIX) {
                assert!(
                    texts
                        .iter()
                        .any(|(shown, tip, _)| shown == country && tip.is_none()),
                    "{kind:?} {country}: {out}"
                );
            }
            assert!(!out.contains("rotate("), "{kind:?}: {out}");
        }
    }

    #[test]
    fn every_category_is_named_and_no_text_leaves_the_svg_at_either_width() {
        let many = format!(
            "country,value\n{}",
            (0..20)
                .map(|i| format!("Member state number {i},{i}\n"))
                .collect::<String>()
        );
        // The check itself: a label centred on the edge runs out.
        let edge = "<svg viewBox=\"0 0 100 50\" font-size=\"10\">\n<text class=\"chart-text\" x=\"2\" y=\"20\" text-anchor=\"middle\">Germany</text>";
        assert!(!texts(edge)[0].2);
        for layout in [WIDE, NARROW] {
            for csv in [SIX, LONG, many.as_str()] {
                for kind in KINDS {
                    let out = chart(kind, csv, layout);
                    let texts = texts(&out);
                    // Twenty columns on a phone are thinned (the table names them all).
                    let thinned = layout.width < WIDE.width
                        && csv == many
                        && kind != ChartType::Bar
                        && kind != ChartType::Dot;
                    let named = categories(csv)
                        .into_iter()
                        .filter(|c| named(&texts, c))
                        .count();
                    let all = categories(csv).len();
                    if thinned {
                        assert!(named >= all / 2, "{kind:?}: {out}");
                    } else {
                        assert_eq!(named, all, "{kind:?}: {out}");
                    }
                    for (shown, _, inside) in &texts {
                        assert!(
                            inside,
                            "{kind:?} at {}: `{shown}` leaves {out}",
                            layout.width
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_names_wrap_onto_two_lines_where_there_is_room() {
        let out = chart(ChartType::Line, LONG, WIDE);
        assert!(
            out.contains(">Democratic People&#39;s</tspan><tspan"),
            "{out}"
        );
        assert!(!out.contains('…'), "{out}");
        let bar = chart(ChartType::Bar, LONG, NARROW);
        assert!(bar.contains(">Republic of Korea</tspan>"), "{bar}");
    }

    #[test]
    fn months_are_all_named_and_many_years_every_few_level() {
        let years = format!(
            "year,value\n{}",
            (1990..2025)
                .map(|y| format!("{y},{}\n", y % 7))
                .collect::<String>()
        );
        let twelve = format!(
            "month,value\n{}",
            (1..=12)
                .map(|m| format!("2024-{m:02},{m}\n"))
                .collect::<String>()
        );
        for layout in [WIDE, NARROW] {
            let months = texts(&chart(ChartType::Column, &twelve, layout));
            assert!(categories(&twelve).iter().all(|m| named(&months, m)));
            let out = chart(ChartType::Column, &years, layout);
            let labels = texts(&out);
            let shown = categories(&years)
                .iter()
                .filter(|y| named(&labels, y))
                .count();
            // 35 columns in 300 or 560 units cannot all be named; years are named every few,
            // level, as a reader fills in those between.
            assert!((5..35).contains(&shown), "{shown}: {out}");
            assert!(!out.contains("rotate("), "{out}");
        }
    }

    #[test]
    fn the_phone_layout_is_hidden_without_the_stylesheet_and_named_apart() {
        let data = chart_data::read(SIX, "country", &["exports".to_string()]).unwrap();
        let markup = super::super::fragments::Markup::default();
        let out = svgs(
            &options(ChartType::Column),
            &data,
            "fig-x",
            "T",
            "D",
            markup.language("en"),
        );
        assert_eq!(out.matches("<svg ").count(), 2);
        assert!(out.contains("<svg class=\"chart chart-column chart-narrow\" viewBox=\"0 0 360 "));
        assert!(out.contains(" display=\"none\" role=\"img\" aria-labelledby=\"fig-x-narrow-title fig-x-narrow-desc\" font-size=\"14\">"));
    }

    #[test]
    fn the_description_says_what_is_drawn_in_the_pages_language() {
        let markup = super::super::fragments::Markup::default();
        let data = chart_data::read(
            "year,a,b\n2020,1,2\n2022,5,6\n",
            "year",
            &["a".into(), "b".into()],
        )
        .unwrap();
        assert_eq!(
            describe(&options(ChartType::Column), &data, markup.language("en")),
            "Column chart of a and b by year, from 2020 to 2022, in US$ m. The data is in the table below."
        );
        assert_eq!(
            describe(&options(ChartType::Line), &data, markup.language("fr")),
            "Graphique linéaire de a et b par year, de 2020 à 2022, en US$ m. Les données sont dans le tableau ci-dessous."
        );
    }

    #[test]
    fn the_data_tables_numbers_are_written_as_the_language_writes_them() {
        let markup = super::super::fragments::Markup::default();
        let (fr, en) = (markup.language("fr"), markup.language("en"));
        assert_eq!(cell("1200.5", fr), "1\u{202f}200,5");
        assert_eq!(cell("-1200", en), "-1,200");
        assert_eq!(cell("0.25", en), "0.25");
        for as_written in ["n/a", "1e5", "1,200", "12 %", ""] {
            assert_eq!(cell(as_written, fr), as_written);
        }
    }
}
