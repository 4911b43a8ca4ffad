//! Reading CSV tables row by row while collecting *every* problem, so a bad file can be
//! refused as a whole with one complete report.

use crate::texts::Text;
use leenpunt_shared::Lang;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What is wrong with one cell (or the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvIssue {
    NotCsv(String),
    MissingColumn,
    Required,
    NotANumber(String),
    NotYesNo(String),
    UnknownCode {
        value: String,
        allowed: Vec<&'static str>,
    },
    UnknownRef(String),
    WrongPartner(String),
    Invalid(String),
    Duplicate(String),
    BadPart(String),
    NotForKind,
    TooLong(usize),
    /// A control character (NUL and the like) in a cell.
    ControlCharacter,
    /// An inventory code that is already a unit of another kit type (code, that kit's slug).
    UnitOfOtherKit(String, String),
    /// A part's count that is not a whole number from 1 (the kit editor's count field).
    NotACount(String),
    /// A `;` in a value the CSV export joins with `;` (a part's name, a photo's text).
    Semicolon,
}

impl CsvIssue {
    pub fn message(&self, lang: Lang) -> String {
        use CsvIssue::*;
        match self {
            NotCsv(e) => Text::CsvNotCsv { error: e },
            MissingColumn => Text::CsvMissingColumn,
            Required => Text::CsvRequired,
            NotANumber(v) => Text::CsvNotANumber { value: v },
            NotYesNo(v) => Text::CsvNotYesNo { value: v },
            UnknownCode { value, allowed } => {
                return Text::CsvUnknownCode {
                    value,
                    allowed: &allowed.join(", "),
                }
                .get(lang)
            }
            UnknownRef(v) => Text::CsvUnknownRef { value: v },
            WrongPartner(v) => Text::CsvWrongPartner { value: v },
            Invalid(v) => Text::CsvInvalid { value: v },
            Duplicate(v) => Text::CsvDuplicate { value: v },
            BadPart(v) => Text::CsvBadPart { value: v },
            NotForKind => Text::CsvNotForKind,
            TooLong(max) => Text::CsvTooLong { max },
            ControlCharacter => Text::CsvControlCharacter,
            UnitOfOtherKit(code, kit) => Text::CsvUnitOfOtherKit { code, kit },
            NotACount(v) => Text::CsvNotACount { value: v },
            Semicolon => Text::CsvSemicolon,
        }
        .get(lang)
    }
}

/// A problem at a line (1-based, counting the header as line 1) and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub issue: CsvIssue,
}

/// Formats a report with one line per problem.
pub fn report(errors: &[RowError], lang: Lang) -> String {
    let mut out = String::new();
    for e in errors {
        let _ = match lang {
            Lang::Nl => writeln!(
                out,
                "regel {}, kolom '{}': {}",
                e.line,
                e.column,
                e.issue.message(lang)
            ),
            Lang::En => writeln!(
                out,
                "line {}, column '{}': {}",
                e.line,
                e.column,
                e.issue.message(lang)
            ),
        };
    }
    out
}

/// One record being read; problems go to the shared error list.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'a str, usize>,
    errors: &'a mut Vec<RowError>,
}

impl Row<'_> {
    pub fn error(&mut self, column: &str, issue: CsvIssue) {
        self.errors.push(RowError {
            line: self.line,
            column: column.to_owned(),
            issue,
        });
    }

    /// The trimmed cell (empty when the column is absent; that is reported once per file),
    /// without the quote our export puts before a value a spreadsheet would run.
    pub fn text(&self, column: &str) -> String {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(|s| unguard(s.trim()).to_owned())
            .unwrap_or_default()
    }

    pub fn required(&mut self, column: &str, max_len: usize) -> Option<String> {
        let v = self.text(column);
        if v.is_empty() {
            self.error(column, CsvIssue::Required);
            None
        } else if v.chars().count() > max_len {
            self.error(column, CsvIssue::TooLong(max_len));
            None
        } else {
            Some(v)
        }
    }

    pub fn optional(&self, column: &str) -> Option<String> {
        Some(self.text(column)).filter(|v| !v.is_empty())
    }

    /// `;`-separated values, trimmed, empties dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.text(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// An optional whole number ≥ 0.
    pub fn number(&mut self, column: &str) -> Option<u32> {
        let v = self.text(column);
        if v.is_empty() {
            return None;
        }
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(column, CsvIssue::NotANumber(v));
                None
            }
        }
    }

    /// An optional 0/1 flag.
    pub fn flag(&mut self, column: &str) -> Option<bool> {
        match self.text(column).as_str() {
            "" => None,
            "0" => Some(false),
            "1" => Some(true),
            other => {
                let other = other.to_owned();
                self.error(column, CsvIssue::NotYesNo(other));
                None
            }
        }
    }

    /// A list of enum codes; unknown ones are reported.
    pub fn codes<T: Copy>(
        &mut self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for v in self.list(column) {
            match parse(&v) {
                Some(c) => out.push(c),
                None => {
                    let allowed = all.iter().map(|c| code(*c)).collect();
                    self.error(column, CsvIssue::UnknownCode { value: v, allowed });
                }
            }
        }
        out
    }
}

/// Reads a whole table. Returns the parsed rows only when no row had a problem.
pub fn read_table<T>(
    input: &str,
    columns: &[&str],
    mut parse_row: impl FnMut(&mut Row) -> Option<T>,
) -> Result<Vec<T>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                column: String::new(),
                issue: CsvIssue::NotCsv(e.to_string()),
            }])
        }
    };
    let index: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for col in columns {
        if !index.contains_key(col) {
            errors.push(RowError {
                line: 1,
                column: (*col).to_owned(),
                issue: CsvIssue::MissingColumn,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let before = errors.len();
                for (i, cell) in record.iter().enumerate() {
                    if cell.chars().any(is_forbidden_control) {
                        errors.push(RowError {
                            line,
                            column: headers.get(i).unwrap_or_default().trim().to_owned(),
                            issue: CsvIssue::ControlCharacter,
                        });
                    }
                }
                let mut row = Row {
                    line,
                    record: &record,
                    columns: &index,
                    errors: &mut errors,
                };
                let parsed = parse_row(&mut row);
                if let (Some(v), true) = (parsed, errors.len() == before) {
                    rows.push(v);
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError {
                    line,
                    column: String::new(),
                    issue: CsvIssue::NotCsv(e.to_string()),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Control characters a text cell may not hold (tab and line breaks may).
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as exported: one that a spreadsheet would run as a formula gets a leading `'`
/// (OWASP's advice against CSV injection); [`unguard`] takes it off on import.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The reverse of [`guard`].
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// Writes a table for people (spreadsheets): values are quoted by the csv writer where
/// needed and guarded against formula injection.
pub fn write_table(columns: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(columns);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| guard(c).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_on_export_and_restored_on_import() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx"] {
            assert!(guard(cell).starts_with('\''), "{cell}");
            assert_eq!(unguard(&guard(cell)), cell);
        }
        assert_eq!(guard("Bee-Bot"), "Bee-Bot");
        assert_eq!(unguard("'quoted on purpose"), "'quoted on purpose");
        let csv = write_table(&["a", "b"], [vec!["=1+1".to_owned(), "ok".to_owned()]]);
        assert_eq!(csv, "a,b\n'=1+1,ok\n");
        let rows = read_table(&csv, &["a", "b"], |row| Some(row.text("a"))).unwrap();
        assert_eq!(rows, ["=1+1"]);
    }

    #[test]
    fn control_characters_are_refused_with_their_column() {
        let errors =
            read_table("a,b\nx,y\u{0}z\n", &["a", "b"], |row| Some(row.text("a"))).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, "b");
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[0].issue, CsvIssue::ControlCharacter);
        assert!(read_table("a\n\"line\nbreak\"\n", &["a"], |row| Some(row.text("a"))).is_ok());
    }
}
