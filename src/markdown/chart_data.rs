//! The data of a `chart` block: a CSV file of the brief's bundle, read with the `csv` crate,
//! with the columns the block names checked against its header and every value a number.
//! A problem names the file's line and column, as an editor looking at a spreadsheet needs.

/// The columns a chart draws, in the block's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    /// The `x` column's header and its values (the categories), as written.
    pub x: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// As written in the file, for the data table.
    pub cells: Vec<String>,
    /// `None` for an empty cell (a gap).
    pub values: Vec<Option<f64>>,
}

/// A problem in the file: 1-based line and column, message, help.
#[derive(Debug, Clone, PartialEq)]
pub struct BadData {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// Reads `text` (the CSV file) and picks the column `x` and the columns `y`.
pub fn read(text: &str, x: &str, y: &[String]) -> Result<Data, BadData> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(BadData {
            line: 1,
            column: 1,
            message: "the file is empty: it has no header line".to_string(),
            help: format!(
                "write a header naming the columns, then one row a line: {x},{}",
                y.join(",")
            ),
        });
    }
    let find =
        |name: &str| -> Result<usize, BadData> {
            header.iter().position(|h| h == name).ok_or_else(|| BadData {
            line: 1,
            column: 1,
            message: format!("the header has no column `{name}`"),
            help: format!(
                "the columns are {}; name one of them in the chart block, or add the column",
                header
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        };
    let x_at = find(x)?;
    let y_at: Vec<usize> = y.iter().map(|name| find(name)).collect::<Result<_, _>>()?;
    let mut data = Data {
        x: x.to_string(),
        categories: Vec::new(),
        series: y
            .iter()
            .map(|name| Series {
                name: name.clone(),
                cells: Vec::new(),
                values: Vec::new(),
            })
            .collect(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        data.categories
            .push(record.get(x_at).unwrap_or_default().to_string());
        for (series, &at) in data.series.iter_mut().zip(&y_at) {
            let cell = record.get(at).unwrap_or_default();
            let value = number(cell).ok_or_else(|| BadData {
                line,
                column: column_of(text, line, at),
                message: format!(
                    "column {} (`{}`) holds `{cell}`, which is not a number",
                    at + 1,
                    series.name
                ),
                help: "write plain numbers (1234.5, no units or footnote marks), or leave the cell empty for a gap".to_string(),
            })?;
            series.cells.push(cell.to_string());
            series.values.push(value);
        }
    }
    if data.categories.is_empty() {
        return Err(BadData {
            line: 1,
            column: 1,
            message: "the file has a header but no rows".to_string(),
            help: "add a row of values under the header".to_string(),
        });
    }
    Ok(data)
}

/// A cell's number: `Some(None)` for an empty cell, `None` for text that is not one. Digits may
/// be grouped with commas or spaces ("1,234").
fn number(cell: &str) -> Option<Option<f64>> {
    if cell.is_empty() {
        return Some(None);
    }
    let plain: String = cell.chars().filter(|c| *c != ',' && *c != ' ').collect();
    plain
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
}

/// The 1-based character column where field `index` starts on `line` of `text` (fields
/// counted by commas; a quoted field with a comma in it shifts the count, so such a line gives
/// column 1).
fn column_of(text: &str, line: usize, index: usize) -> usize {
    let Some(raw) = text.lines().nth(line.saturating_sub(1)) else {
        return 1;
    };
    if raw.contains('"') {
        return 1;
    }
    let mut column = 1;
    for (i, field) in raw.split(',').enumerate() {
        if i == index {
            return column + (field.chars().count() - field.trim_start().chars().count());
        }
        column += field.chars().count() + 1;
    }
    1
}

fn csv_error(e: &csv::Error) -> BadData {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let (message, help) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("this row has {len} fields, the header has {expected_len}"),
            "give every row as many comma-separated fields as the header (quote a value that holds a comma: \"1,5\")".to_string(),
        ),
        csv::ErrorKind::Utf8 { .. } => (
            "the file is not UTF-8 text".to_string(),
            "save the file as CSV UTF-8".to_string(),
        ),
        _ => (e.to_string(), "save the file as CSV, comma-separated".to_string()),
    };
    BadData {
        line,
        column: 1,
        message,
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_named_columns() {
        let data = read(
            "year,exports,imports,note\n2020, 1.5 ,\"1,200\",x\n2021,,3,y\n",
            "year",
            &names(&["imports", "exports"]),
        )
        .unwrap();
        assert_eq!(data.categories, ["2020", "2021"]);
        assert_eq!(data.series[0].values, [Some(1200.0), Some(3.0)]);
        assert_eq!(data.series[1].values, [Some(1.5), None]);
        assert_eq!(data.series[1].cells, ["1.5", ""]);
    }

    #[test]
    fn an_empty_file_is_said_to_be_empty_with_the_header_to_write() {
        for text in ["", "\n", " \n\n"] {
            let err = read(text, "year", &["exports".into(), "imports".into()]).unwrap_err();
            assert_eq!(err.message, "the file is empty: it has no header line");
            assert_eq!(
                err.help,
                "write a header naming the columns, then one row a line: year,exports,imports"
            );
        }
    }

    #[test]
    fn a_missing_column_is_named_with_the_columns_there_are() {
        let err = read("year,value\n2020,1\n", "year", &names(&["exports"])).unwrap_err();
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.message.contains("`exports`"), "{}", err.message);
        assert!(err.help.contains("`year`, `value`"), "{}", err.help);
    }

    #[test]
    fn a_value_that_is_not_a_number_is_found_by_line_and_column() {
        let err = read(
            "year,value\n2020,1\n2021, n/a\n",
            "year",
            &names(&["value"]),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (3, 7));
        assert!(
            err.message.contains("column 2 (`value`) holds `n/a`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_short_row_is_found_by_line() {
        let err = read("year,value\n2020,1\n2021\n", "year", &names(&["value"])).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.contains("1 fields, the header has 2"),
            "{}",
            err.message
        );
    }
}
