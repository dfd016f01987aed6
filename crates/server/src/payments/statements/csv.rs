//! CSV exports, which every bank lays out its own way: a [`CsvMapping`], kept per bank,
//! says which column holds what and how dates and amounts are written.

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

use super::{
    DEFAULT_CURRENCY, DecimalStyle, Statement, StatementError, StatementFormat, StatementLine,
    check_currency, line_of_offset, non_empty, normalize_account, parse_amount,
};

/// How a bank's CSV export is laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// The field separator, e.g. `b';'`.
    pub delimiter: u8,
    /// Whether the first row names the columns (and is skipped).
    pub has_header: bool,
    /// A chrono format of the booking date, e.g. `%Y-%m-%d` or `%d.%m.%Y`.
    pub date_format: String,
    /// `123,45` rather than `123.45`.
    pub decimal_comma: bool,
    pub columns: CsvColumns,
}

/// The 0-based column of each fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    pub reference: usize,
    pub booked_on: usize,
    /// Signed: a negative amount is a debit.
    pub amount: usize,
    /// Without it, every amount is in PLN.
    pub currency: Option<usize>,
    pub title: usize,
    pub payer_name: Option<usize>,
    pub payer_account: Option<usize>,
}

impl CsvMapping {
    /// Whether the mapping can read a file at all: a usable separator and a date format that
    /// writes and reads back a date. The error says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if matches!(self.delimiter, b'"' | b'\r' | b'\n') || !self.delimiter.is_ascii() {
            return Err(format!(
                "{:?} cannot separate fields",
                char::from(self.delimiter)
            ));
        }
        if !date_format_reads(&self.date_format) {
            return Err(format!(
                "{:?} is not a date format such as %d.%m.%Y",
                self.date_format
            ));
        }
        Ok(())
    }

    /// Grouped digits are accepted with the separator that is not the decimal one, and
    /// spaces: exports made for people write `1 234,56` or `1.234,56`.
    fn decimal_style(&self) -> DecimalStyle {
        const SPACES_AND_DOT: &[char] = &['.', ' ', '\u{a0}', '\u{202f}'];
        const SPACES_AND_COMMA: &[char] = &[',', ' ', '\u{a0}', '\u{202f}'];
        if self.decimal_comma {
            DecimalStyle {
                decimal: ',',
                grouping: SPACES_AND_DOT,
            }
        } else {
            DecimalStyle {
                decimal: '.',
                grouping: SPACES_AND_COMMA,
            }
        }
    }
}

/// Whether a date written with `format` reads back as the same date: a format of a date, not
/// of a time or of nothing.
pub fn date_format_reads(format: &str) -> bool {
    let example = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    date_text(example, format).and_then(|text| NaiveDate::parse_from_str(&text, format).ok())
        == Some(example)
}

/// The date in the format, or `None` when the format has fields a date cannot fill (a time)
/// or is no format: chrono reports those only when writing.
fn date_text(date: NaiveDate, format: &str) -> Option<String> {
    if format.is_empty() || StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return None;
    }
    let mut text = String::new();
    write!(text, "{}", date.format(format)).ok()?;
    Some(text)
}

pub(super) fn parse(text: &str, mapping: &CsvMapping) -> Result<Statement, StatementError> {
    mapping
        .check()
        .map_err(|e| StatementError::new(1, format!("the CSV mapping: {e}")))?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(mapping.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut statement = Statement {
        format: StatementFormat::Csv,
        account: None,
        credits: Vec::new(),
        debits_skipped: 0,
    };
    let mut record = ::csv::StringRecord::new();
    let mut header = mapping.has_header;
    while read_record(&mut reader, &mut record, text)? {
        // The header row is skipped once; a row of empty fields is no row.
        if std::mem::take(&mut header) || record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let row = Row {
            record: &record,
            line: record.position().map_or(1, |p| line_at(text, p)),
            mapping,
        };
        match row.read()? {
            Some(line) => statement.credits.push(line),
            None => statement.debits_skipped = statement.debits_skipped.saturating_add(1),
        }
    }
    Ok(statement)
}

fn read_record(
    reader: &mut ::csv::Reader<&[u8]>,
    record: &mut ::csv::StringRecord,
    text: &str,
) -> Result<bool, StatementError> {
    reader.read_record(record).map_err(|e| {
        let line = e.position().map_or(1, |p| line_at(text, p));
        StatementError::new(line, format!("the CSV is malformed: {e}"))
    })
}

/// The line a record starts on. The reader's own line count is taken before it passes the
/// previous row's line break and any blank lines (and counts a CR LF late), so the line is
/// found from the byte offset past those breaks instead.
fn line_at(text: &str, position: &::csv::Position) -> usize {
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let breaks = text.as_bytes().get(start..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count()
    });
    line_of_offset(text.as_bytes(), start.saturating_add(breaks))
}

/// One row being read.
struct Row<'a> {
    record: &'a ::csv::StringRecord,
    line: usize,
    mapping: &'a CsvMapping,
}

impl Row<'_> {
    /// The credit the row is, or `None` for a debit.
    fn read(&self) -> Result<Option<StatementLine>, StatementError> {
        let columns = &self.mapping.columns;
        let (credit, amount_minor) = self.amount()?;
        let booked_on = self.date()?;
        if !credit {
            return Ok(None);
        }
        let reference = non_empty(self.field(columns.reference, "reference")?)
            .ok_or_else(|| self.fail("the reference is empty".into()))?;
        Ok(Some(StatementLine {
            line: self.line,
            reference,
            booked_on,
            amount_minor,
            currency: self.currency()?,
            title: self.field(columns.title, "title")?.trim().to_owned(),
            payer_name: self
                .optional(columns.payer_name, "payer name")?
                .and_then(non_empty),
            payer_account: self
                .optional(columns.payer_account, "payer account")?
                .and_then(normalize_account),
            beneficiary_account: None,
        }))
    }

    /// Whether the amount is a credit, and its size.
    fn amount(&self) -> Result<(bool, i64), StatementError> {
        let text = self.field(self.mapping.columns.amount, "amount")?.trim();
        let (credit, unsigned) = match text.strip_prefix('-') {
            Some(unsigned) => (false, unsigned),
            None => (true, text.strip_prefix('+').unwrap_or(text)),
        };
        let minor =
            parse_amount(unsigned, self.mapping.decimal_style()).map_err(|e| self.fail(e))?;
        Ok((credit, minor))
    }

    fn date(&self) -> Result<NaiveDate, StatementError> {
        let text = self
            .field(self.mapping.columns.booked_on, "booking date")?
            .trim();
        let format = &self.mapping.date_format;
        NaiveDate::parse_from_str(text, format)
            .map_err(|_| self.fail(format!("{text:?} is not a date written as {format}")))
    }

    fn currency(&self) -> Result<String, StatementError> {
        match self.optional(self.mapping.columns.currency, "currency")? {
            None => Ok(DEFAULT_CURRENCY.to_owned()),
            Some(code) => {
                check_currency(&code.trim().to_ascii_uppercase()).map_err(|e| self.fail(e))
            }
        }
    }

    fn field(&self, column: usize, what: &str) -> Result<&str, StatementError> {
        self.record.get(column).ok_or_else(|| {
            self.fail(format!(
                "the row has {} columns; the {what} is mapped to column {column} (counting from 0)",
                self.record.len()
            ))
        })
    }

    fn optional(&self, column: Option<usize>, what: &str) -> Result<Option<&str>, StatementError> {
        column.map(|c| self.field(c, what)).transpose()
    }

    fn fail(&self, reason: String) -> StatementError {
        StatementError::new(self.line, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::data;
    use super::super::{StatementFormat, parse as parse_file};
    use super::*;

    /// The layout of the committed `bank.csv`.
    fn bank_mapping() -> CsvMapping {
        CsvMapping {
            delimiter: b';',
            has_header: true,
            date_format: "%d.%m.%Y".into(),
            decimal_comma: true,
            columns: CsvColumns {
                reference: 7,
                booked_on: 1,
                amount: 5,
                currency: Some(6),
                title: 3,
                payer_name: Some(2),
                payer_account: Some(4),
            },
        }
    }

    fn read(text: &str, mapping: &CsvMapping) -> Result<Statement, StatementError> {
        parse_file(text.as_bytes(), StatementFormat::Csv, Some(mapping))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn reads_a_bank_csv_export() {
        let statement = parse_file(data::CSV, StatementFormat::Csv, Some(&bank_mapping())).unwrap();
        assert_eq!(statement.format, StatementFormat::Csv);
        assert_eq!(statement.account, None);
        assert_eq!(statement.debits_skipped, 1);
        assert_eq!(
            statement.credits,
            vec![
                StatementLine {
                    line: 2,
                    reference: "ING-20261201-0001".into(),
                    booked_on: day(1),
                    amount_minor: 12_900,
                    currency: "PLN".into(),
                    title: "Abonament 100000090 grudzień".into(),
                    payer_name: Some("Marek Zając".into()),
                    payer_account: Some("PL60105010121000009876543210".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 3,
                    reference: "ING-20261202-0002".into(),
                    booked_on: day(2),
                    amount_minor: 25_000,
                    currency: "PLN".into(),
                    title: "FV/2026/11/000007; dopłata".into(),
                    payer_name: Some("Kowalczyk & Syn s.c.".into()),
                    payer_account: None,
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 5,
                    reference: "ING-20261203-0004".into(),
                    booked_on: day(3),
                    amount_minor: 20_000,
                    currency: "PLN".into(),
                    title: "fv2026/11/000008 i 100000108".into(),
                    payer_name: Some("Barbara Szymańska".into()),
                    payer_account: Some("PL69194010760000456712340001".into()),
                    beneficiary_account: None,
                },
            ]
        );
    }

    /// A minimal layout: reference, date, amount, title.
    fn plain_mapping() -> CsvMapping {
        CsvMapping {
            delimiter: b',',
            has_header: false,
            date_format: "%Y-%m-%d".into(),
            decimal_comma: false,
            columns: CsvColumns {
                reference: 0,
                booked_on: 1,
                amount: 2,
                currency: None,
                title: 3,
                payer_name: None,
                payer_account: None,
            },
        }
    }

    #[test]
    fn reads_a_plain_layout_with_the_default_currency() {
        let text = "R1,2026-12-01,+50.5,\"multi\nline title\"\n\n R2 ,2026-12-02,\"1,234.56\",x\n";
        let statement = read(text, &plain_mapping()).unwrap();
        let lines: Vec<(usize, &str, i64, &str, &str)> = statement
            .credits
            .iter()
            .map(|l| {
                (
                    l.line,
                    l.reference.as_str(),
                    l.amount_minor,
                    l.currency.as_str(),
                    l.title.as_str(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (1, "R1", 5_050, "PLN", "multi\nline title"),
                (4, "R2", 123_456, "PLN", "x"),
            ]
        );
    }

    #[test]
    fn refuses_a_malformed_row_at_its_line() {
        let cases = [
            (
                "R1,2026-12-01,12.345,t",
                "\"12.345\" has more than 2 decimal places",
            ),
            (
                "R1,2026-12-01,-12.345,t",
                "\"12.345\" has more than 2 decimal places",
            ),
            ("R1,2026-12-01,0.00,t", "zero"),
            ("R1,2026-12-01,1.5.0,t", "not a number"),
            ("R1,2026-12-01,\"1,5\",t", "not a number"),
            ("R1,2026-12-01,100000000.01,t", "above"),
            (
                "R1,01.12.2026,5.00,t",
                "\"01.12.2026\" is not a date written as %Y-%m-%d",
            ),
            ("R1,2026-02-30,5.00,t", "is not a date"),
            (" ,2026-12-01,5.00,t", "the reference is empty"),
            (
                "R1,2026-12-01",
                "the row has 2 columns; the amount is mapped to column 2",
            ),
        ];
        for (row, why) in cases {
            let text = format!("R0,2026-12-01,1.00,ok\n{row}\n");
            let err = read(&text, &plain_mapping()).unwrap_err();
            assert_eq!(err.line, 2, "{row}: {err}");
            assert!(err.reason.contains(why), "{row}: {err}");
        }
    }

    #[test]
    fn reads_the_currency_column() {
        let mapping = CsvMapping {
            columns: CsvColumns {
                currency: Some(4),
                ..plain_mapping().columns
            },
            ..plain_mapping()
        };
        let statement = read("R1,2026-12-01,5.00,t,eur\n", &mapping).unwrap();
        assert_eq!(statement.credits.first().unwrap().currency, "EUR");
        let err = read("R1,2026-12-01,5.00,t,\n", &mapping).unwrap_err();
        assert!(err.reason.contains("not a currency code"), "{err}");
    }

    #[test]
    fn refuses_an_unusable_mapping() {
        let with = |delimiter: u8, date_format: &str| CsvMapping {
            delimiter,
            date_format: date_format.into(),
            ..plain_mapping()
        };
        assert!(with(b';', "%d.%m.%Y").check().is_ok());
        assert!(with(b'\t', "%d/%m/%y").check().is_ok());
        assert!(with(b'"', "%Y-%m-%d").check().is_err());
        assert!(with(b';', "").check().is_err());
        assert!(with(b';', "%Q").check().is_err());
        assert!(with(b';', "%H:%M").check().is_err());
        assert!(with(b';', "%m/%Y").check().is_err());
        let err = read("R1,2026-12-01,5.00,t\n", &with(b',', "%Y")).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.reason.starts_with("the CSV mapping: "), "{err}");
    }

    #[test]
    fn the_mapping_is_stored_as_json_and_refuses_unknown_fields() {
        let json = serde_json::to_value(bank_mapping()).unwrap();
        assert_eq!(json["delimiter"], 59);
        assert_eq!(json["columns"]["currency"], 6);
        let back: CsvMapping = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, bank_mapping());
        let mut unknown = json;
        unknown["columns"]["iban"] = 4.into();
        assert!(serde_json::from_value::<CsvMapping>(unknown).is_err());
    }
}
