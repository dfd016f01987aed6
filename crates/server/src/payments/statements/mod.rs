//! Bank statements as the operator downloads them from the bank: camt.053, MT940 or a CSV
//! export. Reading is pure: the bytes in, the credit lines out, and a malformed line refuses
//! the whole file, so that a half-read statement never books half its payments.

mod camt;
mod csv;
mod mt940;

pub use self::csv::{CsvColumns, CsvMapping, date_format_reads};

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use encoding_rs::{Encoding, ISO_8859_2, UTF_8, WINDOWS_1250};

/// The largest amount one line may carry, in minor units (100 000 000.00): anything above is
/// a misread file rather than a subscriber's payment.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000;

/// The currency of a CSV export that has no currency column.
pub const DEFAULT_CURRENCY: &str = "PLN";

/// One credit line of a statement, as the bank wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// Where the line is in the file: the line of the file (MT940: its `:61:` line; camt: the
    /// `<Ntry>`, or `<TxDtls>` of a batch booking), for error messages and results.
    pub line: usize,
    /// The bank's own reference of the entry, unique per bank.
    pub reference: String,
    pub booked_on: NaiveDate,
    /// Positive, in minor units.
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// The transfer title (remittance information).
    pub title: String,
    pub payer_name: Option<String>,
    /// The payer's account (IBAN), if the bank gave it.
    pub payer_account: Option<String>,
    /// The account the money was sent to (camt.053's creditor account), if the bank gave it:
    /// a customer's virtual account where the operator has them.
    pub beneficiary_account: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementFormat {
    Camt053,
    Mt940,
    Csv,
}

/// A statement's credits; debits are not payments, only counted so that the operator sees
/// the file was read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub format: StatementFormat,
    /// The operator's account (IBAN) the statement is of, where the format names it.
    pub account: Option<String>,
    pub credits: Vec<StatementLine>,
    /// Booked debits: MT940 and CSV lines, camt entries (a batch booking counts once).
    pub debits_skipped: usize,
}

/// Why a file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct StatementError {
    pub line: usize,
    pub reason: String,
}

impl StatementError {
    pub(crate) fn new(line: usize, reason: impl Into<String>) -> Self {
        Self {
            line,
            reason: reason.into(),
        }
    }
}

/// Guesses the format from the first bytes; `None` for an empty file or one that is plainly
/// not text (a spreadsheet or a PDF uploaded by mistake).
pub fn detect(bytes: &[u8]) -> Option<StatementFormat> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let start = bytes.trim_ascii_start();
    if start.is_empty() || looks_binary(start) {
        return None;
    }
    if start.starts_with(b"<") {
        return Some(StatementFormat::Camt053);
    }
    let mt940 =
        start.starts_with(b":20:") || start.starts_with(b"{1:") || contains(bytes, b"\n:61:");
    Some(if mt940 {
        StatementFormat::Mt940
    } else {
        StatementFormat::Csv
    })
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Zip (xlsx, ods), PDF, or a NUL in the first kilobyte.
fn looks_binary(start: &[u8]) -> bool {
    start.starts_with(b"PK\x03\x04")
        || start.starts_with(b"%PDF")
        || start.iter().take(1024).any(|b| *b == 0)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads a statement in the given format; a CSV export needs the bank's column mapping.
pub fn parse(
    bytes: &[u8],
    format: StatementFormat,
    csv_mapping: Option<&CsvMapping>,
) -> Result<Statement, StatementError> {
    let text = text_of(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let statement = match format {
        StatementFormat::Camt053 => camt::parse(text)?,
        StatementFormat::Mt940 => mt940::parse(text)?,
        StatementFormat::Csv => {
            let mapping = csv_mapping.ok_or_else(|| {
                StatementError::new(1, "a CSV statement is read with the bank's column mapping")
            })?;
            csv::parse(text, mapping)?
        }
    };
    check_unique(&statement.credits)?;
    Ok(statement)
}

/// The text of the file. Banks are asked for UTF-8, but Polish banks export MT940 and CSV in
/// Windows-1250 by default and some in ISO 8859-2: a file that is not UTF-8 is read in the
/// encoding its XML declaration names, else in whichever of those two its Polish letters fit
/// (each codes ą, ś, ź and their capitals at bytes the other does not). A file that says it
/// is UTF-8 and is not is refused at its line, rather than garbling names into the books.
fn text_of(bytes: &[u8]) -> Result<Cow<'_, str>, StatementError> {
    let invalid = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(Cow::Borrowed(text)),
        Err(invalid) => invalid,
    };
    let encoding = declared_encoding(bytes).unwrap_or_else(|| polish_encoding(bytes));
    if encoding == UTF_8 {
        let before = bytes.get(..invalid.valid_up_to()).unwrap_or_default();
        return Err(StatementError::new(
            line_of_offset(before, before.len()),
            "the file says it is UTF-8 but is not; export it again from the bank",
        ));
    }
    Ok(encoding.decode_without_bom_handling(bytes).0)
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-2"?>`).
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(256))?;
    let declaration = head.strip_prefix(b"<?xml")?;
    let end = declaration.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(declaration.get(..end)?).ok()?;
    let (_, rest) = declaration.split_once("encoding")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = rest.get(1..)?.split(quote).next()?;
    Encoding::for_label(label.as_bytes())
}

/// Windows-1250 or ISO 8859-2, by the Polish letters only one of them codes where they are.
fn polish_encoding(bytes: &[u8]) -> &'static Encoding {
    let windows = bytes
        .iter()
        .filter(|b| matches!(b, 0x8C | 0x8F | 0x9C | 0x9F | 0xA5 | 0xB9))
        .count();
    let latin2 = bytes
        .iter()
        .filter(|b| matches!(b, 0xA1 | 0xA6 | 0xAC | 0xB1 | 0xB6 | 0xBC))
        .count();
    if latin2 > windows {
        ISO_8859_2
    } else {
        WINDOWS_1250
    }
}

/// The 1-based line the byte at `offset` is on.
pub(crate) fn line_of_offset(text: &[u8], offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_add(1)
}

/// The bank's reference identifies a payment on import; the same one twice in a file means the
/// file (or a CSV mapping) is wrong, and importing it would drop or double a payment.
fn check_unique(credits: &[StatementLine]) -> Result<(), StatementError> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(credits.len());
    for credit in credits {
        if let Some(first) = seen.insert(&credit.reference, credit.line) {
            return Err(StatementError::new(
                credit.line,
                format!(
                    "the reference {} is given already at line {first}",
                    credit.reference
                ),
            ));
        }
    }
    Ok(())
}

/// How a format writes amounts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DecimalStyle {
    /// The decimal separator.
    pub decimal: char,
    /// Digit-group separators accepted in the whole part (CSV exports made for people).
    pub grouping: &'static [char],
}

/// camt: `123.45`.
pub(crate) const DOT: DecimalStyle = DecimalStyle {
    decimal: '.',
    grouping: &[],
};

/// MT940: `123,45` (and `123,` for whole amounts).
pub(crate) const COMMA: DecimalStyle = DecimalStyle {
    decimal: ',',
    grouping: &[],
};

/// Reads a positive amount exactly into minor units: at most two decimals, above zero and
/// not above [`MAX_AMOUNT_MINOR`]. The error says what is wrong with it.
pub(crate) fn parse_amount(text: &str, style: DecimalStyle) -> Result<i64, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!("the amount {trimmed:?} is negative"));
    }
    let (whole, fraction) = match trimmed.split_once(style.decimal) {
        Some((whole, fraction)) => (whole, fraction),
        None => (trimmed, ""),
    };
    let whole = ungrouped(whole, style.grouping)
        .ok_or_else(|| format!("the amount {trimmed:?} is not a number"))?;
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("the amount {trimmed:?} is not a number"));
    }
    if fraction.len() > 2 {
        return Err(format!(
            "the amount {trimmed:?} has more than 2 decimal places"
        ));
    }
    let minor = minor_units(&whole, fraction)
        .filter(|m| *m <= MAX_AMOUNT_MINOR)
        .ok_or_else(|| format!("the amount {trimmed:?} is above 100000000.00"))?;
    if minor == 0 {
        return Err(format!("the amount {trimmed:?} is zero"));
    }
    Ok(minor)
}

/// The whole part's digits with digit-group separators taken out, or `None` when it is not
/// digits grouped by threes (`1.5` with a dot for grouping is a mistake, not 15).
fn ungrouped(whole: &str, grouping: &[char]) -> Option<String> {
    let groups: Vec<&str> = whole.split(|c| grouping.contains(&c)).collect();
    let all_digits = |g: &&str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    if !groups.iter().all(all_digits) {
        return None;
    }
    let (first, rest) = groups.split_first()?;
    let by_threes = first.len() <= 3 && rest.iter().all(|g| g.len() == 3);
    (rest.is_empty() || by_threes).then(|| groups.concat())
}

/// `whole`.`fraction` in hundredths; `None` on overflow.
fn minor_units(whole: &str, fraction: &str) -> Option<i64> {
    let units = digits_value(whole)?;
    let cents = match fraction.len() {
        0 => 0,
        1 => digits_value(fraction)?.checked_mul(10)?,
        _ => digits_value(fraction)?,
    };
    units.checked_mul(100)?.checked_add(cents)
}

fn digits_value(digits: &str) -> Option<i64> {
    digits.chars().try_fold(0_i64, |acc, c| {
        let digit = i64::from(c.to_digit(10)?);
        acc.checked_mul(10)?.checked_add(digit)
    })
}

/// An ISO 4217 code: three capital letters.
pub(crate) fn check_currency(code: &str) -> Result<String, String> {
    let code = code.trim();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code.to_owned())
    } else {
        Err(format!("{code:?} is not a currency code"))
    }
}

/// A payer's or the operator's account as banks write it: an IBAN with or without spaces,
/// or a Polish account number (NRB, 26 digits) without its `PL`. Anything else is not an
/// account the books can use, so `None`.
pub(crate) fn normalize_account(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.len() == 26 && compact.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("PL{compact}"));
    }
    let mut chars = compact.chars();
    let country = chars.by_ref().take(2).all(|c| c.is_ascii_uppercase());
    let check = chars.by_ref().take(2).all(|c| c.is_ascii_digit());
    let iban = country
        && check
        && (15..=34).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric());
    iban.then_some(compact)
}

/// Text a bank wrote, trimmed; `None` when nothing is left.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed example statements, shared by the format's tests.
    pub(crate) mod data {
        pub const CAMT_02: &[u8] =
            include_bytes!("../../../../../tests/data/statements/camt053_001_02.xml");
        pub const CAMT_08: &[u8] =
            include_bytes!("../../../../../tests/data/statements/camt053_001_08.xml");
        pub const CAMT_BAD_AMOUNT: &[u8] =
            include_bytes!("../../../../../tests/data/statements/camt053_bad_amount.xml");
        pub const MT940: &[u8] =
            include_bytes!("../../../../../tests/data/statements/mt940_pl.sta");
        pub const MT940_BAD_LINE: &[u8] =
            include_bytes!("../../../../../tests/data/statements/mt940_bad_line.sta");
        pub const CSV: &[u8] = include_bytes!("../../../../../tests/data/statements/bank.csv");
    }

    #[test]
    fn detects_each_committed_file() {
        use StatementFormat::*;
        assert_eq!(detect(data::CAMT_02), Some(Camt053));
        assert_eq!(detect(data::CAMT_08), Some(Camt053));
        assert_eq!(detect(data::CAMT_BAD_AMOUNT), Some(Camt053));
        assert_eq!(detect(data::MT940), Some(Mt940));
        assert_eq!(detect(data::MT940_BAD_LINE), Some(Mt940));
        assert_eq!(detect(data::CSV), Some(Csv));
    }

    #[test]
    fn detects_by_the_first_bytes() {
        use StatementFormat::*;
        assert_eq!(
            detect(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>"),
            Some(Camt053)
        );
        assert_eq!(detect(b"  \r\n<Document xmlns=\"x\">"), Some(Camt053));
        assert_eq!(detect(b"<ns2:Document>"), Some(Camt053));
        assert_eq!(detect(b":20:STMT\r\n:25:/PL61"), Some(Mt940));
        assert_eq!(detect(b"{1:F01BPKOPLPWAXXX}"), Some(Mt940));
        assert_eq!(detect(b"header\r\n:61:2612"), Some(Mt940));
        assert_eq!(detect(b"Data;Kwota\n01.12.2026;1,00"), Some(Csv));
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b" \r\n "), None);
        assert_eq!(detect(b"PK\x03\x04\x14\x00"), None);
        assert_eq!(detect(b"%PDF-1.7"), None);
        assert_eq!(detect(b"a\x00b"), None);
    }

    #[test]
    fn reads_amounts_exactly() {
        assert_eq!(parse_amount("0.01", DOT), Ok(1));
        assert_eq!(parse_amount("123.45", DOT), Ok(12_345));
        assert_eq!(parse_amount("123.4", DOT), Ok(12_340));
        assert_eq!(parse_amount("123", DOT), Ok(12_300));
        assert_eq!(parse_amount(" 150.00 ", DOT), Ok(15_000));
        assert_eq!(parse_amount("100000000.00", DOT), Ok(MAX_AMOUNT_MINOR));
        assert_eq!(parse_amount("0100000000.00", DOT), Ok(MAX_AMOUNT_MINOR));
        assert_eq!(parse_amount("1,5", COMMA), Ok(150));
        assert_eq!(parse_amount("150,", COMMA), Ok(15_000));
        assert_eq!(parse_amount("0,07", COMMA), Ok(7));
    }

    #[test]
    fn refuses_amounts_that_are_not_exact_positive_and_in_range() {
        let refused = |text: &str, style: DecimalStyle, why: &str| {
            let reason = parse_amount(text, style).unwrap_err();
            assert!(reason.contains(why), "{text}: {reason}");
        };
        refused("12.345", DOT, "more than 2 decimal places");
        refused("100000000.01", DOT, "above 100000000.00");
        refused("99999999999999999999999.00", DOT, "above 100000000.00");
        refused("0.00", DOT, "zero");
        refused("0,", COMMA, "zero");
        refused("-5.00", DOT, "negative");
        refused("", DOT, "not a number");
        refused(".50", DOT, "not a number");
        refused("1.234,56", COMMA, "not a number");
        refused("1,5", DOT, "not a number");
        refused("1.5", COMMA, "not a number");
        refused("12a,00", COMMA, "not a number");
        refused("12,0a", COMMA, "not a number");
        refused("1e3", DOT, "not a number");
        refused("+5.00", DOT, "not a number");
        refused("١٢.٠٠", DOT, "not a number");
    }

    #[test]
    fn reads_grouped_amounts_only_when_grouped_by_threes() {
        let style = DecimalStyle {
            decimal: ',',
            grouping: &['.', ' ', '\u{a0}'],
        };
        assert_eq!(parse_amount("1.234,56", style), Ok(123_456));
        assert_eq!(parse_amount("1 234,56", style), Ok(123_456));
        assert_eq!(parse_amount("1\u{a0}234\u{a0}567", style), Ok(123_456_700));
        assert_eq!(parse_amount("1.234", style), Ok(123_400));
        assert!(parse_amount("1.5", style).is_err());
        assert!(parse_amount("1.2345,00", style).is_err());
        assert!(parse_amount("1234.567,00", style).is_err());
        assert!(parse_amount("1..234,00", style).is_err());
        assert!(parse_amount(".234,00", style).is_err());
    }

    #[test]
    fn reads_the_polish_banks_encodings_and_refuses_false_utf8_at_its_line() {
        // "Przelew Łódź, Śląsk, źle" in each encoding.
        let windows = b"Przelew \xa3\xf3d\x9f, \x8cl\xb9sk, \x9fle";
        let latin2 = b"Przelew \xa3\xf3d\xbc, \xa6l\xb1sk, \xbcle";
        for bytes in [&windows[..], &latin2[..]] {
            assert_eq!(text_of(bytes).unwrap(), "Przelew Łódź, Śląsk, źle");
        }
        let declared = b"<?xml version='1.0' encoding='ISO-8859-2'?>\n<T>\xa3\xf3d\xbc</T>";
        assert!(text_of(declared).unwrap().ends_with("<T>Łódź</T>"));
        let false_utf8 = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<A>\n<T>\xb3\xf3d\xbc</T>";
        let err = parse(false_utf8, StatementFormat::Camt053, None).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.reason.contains("not UTF-8") || err.reason.contains("is not"),
            "{err}"
        );
        assert!(err.to_string().starts_with("line 3: "));
    }

    #[test]
    fn a_csv_statement_needs_a_mapping() {
        let err = parse(data::CSV, StatementFormat::Csv, None).unwrap_err();
        assert!(err.reason.contains("column mapping"), "{err}");
    }

    #[test]
    fn normalizes_accounts() {
        assert_eq!(
            normalize_account("PL61 1090 1014 0000 0712 1981 2874").as_deref(),
            Some("PL61109010140000071219812874")
        );
        assert_eq!(
            normalize_account("61109010140000071219812874").as_deref(),
            Some("PL61109010140000071219812874")
        );
        assert_eq!(
            normalize_account("de89370400440532013000").as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(normalize_account("Jan Kowalski"), None);
        assert_eq!(normalize_account("1234"), None);
        assert_eq!(normalize_account(""), None);
    }

    #[test]
    fn refuses_a_reference_given_twice() {
        let line = |line: usize| StatementLine {
            line,
            reference: "REF-1".into(),
            booked_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            amount_minor: 100,
            currency: "PLN".into(),
            title: String::new(),
            payer_name: None,
            payer_account: None,
            beneficiary_account: None,
        };
        let err = check_unique(&[line(3), line(7)]).unwrap_err();
        assert_eq!(err.line, 7);
        assert!(err.reason.contains("REF-1 is given already at line 3"));
    }
}
