//! MT940 as Polish banks export it: `:61:` lines with the amount, `:86:` with the title and
//! the payer in subfields (`~20`..`~25` title, `~27`/`~28` name, `~38` IBAN; some banks
//! mark them with `<`, `^` or `?` instead of `~`). A file may hold several statements
//! (one a day), all of one account.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

use super::{
    COMMA, Statement, StatementError, StatementFormat, StatementLine, check_currency, non_empty,
    normalize_account, parse_amount,
};

/// What a bank writes as the customer reference when there is none.
const NO_REFERENCE: &str = "NONREF";

/// Subfield markers of a structured `:86:`, after the three-digit transaction code.
const MARKERS: [char; 4] = ['~', '<', '^', '?'];

pub(super) fn parse(text: &str) -> Result<Statement, StatementError> {
    let mut reader = Statements {
        statement: Statement {
            format: StatementFormat::Mt940,
            account: None,
            credits: Vec::new(),
            debits_skipped: 0,
        },
        currency: None,
        pending: None,
        balance: None,
    };
    for field in fields(text) {
        reader.field(&field)?;
    }
    reader.flush();
    Ok(reader.statement)
}

/// A field: its tag, the line it starts on, and its lines (the first without the tag).
struct Field<'a> {
    tag: &'a str,
    line: usize,
    lines: Vec<&'a str>,
}

/// The file's fields. A line that starts no field continues the one before; block
/// headers (`{1:`...), the `-` closing a statement and blank lines are not fields.
fn fields(text: &str) -> Vec<Field<'_>> {
    let mut fields: Vec<Field> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((tag, rest)) = tag_of(line) {
            fields.push(Field {
                tag,
                line: index.saturating_add(1),
                lines: vec![rest],
            });
        } else if is_separator(line) {
            continue;
        } else if let Some(field) = fields.last_mut() {
            field.lines.push(line);
        }
    }
    fields
}

/// `:61:` → (`61`, the rest); a tag is two letters or digits and maybe a letter (`:28C:`,
/// and the `:NS:` some Polish banks add).
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix(':')?;
    let (tag, rest) = body.split_once(':')?;
    let well_formed = (2..=3).contains(&tag.len())
        && tag.chars().take(2).all(|c| c.is_ascii_alphanumeric())
        && tag.chars().skip(2).all(|c| c.is_ascii_uppercase());
    well_formed.then_some((tag, rest))
}

fn is_separator(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed == "-" || trimmed == "-}" || trimmed.starts_with('{')
}

/// The reading state: the statement so far, the currency of the statement being read, and a
/// `:61:` line waiting for the `:86:` that describes it.
struct Statements {
    statement: Statement,
    currency: Option<String>,
    pending: Option<StatementLine>,
    /// The opening balance with the movements read since, to check the closing balance.
    balance: Option<i64>,
}

impl Statements {
    fn field(&mut self, field: &Field) -> Result<(), StatementError> {
        match field.tag {
            "61" => {
                self.flush();
                self.movement(field)
            }
            "86" => {
                if let Some(mut line) = self.pending.take() {
                    describe(&mut line, &field.lines.concat());
                    self.statement.credits.push(line);
                }
                Ok(())
            }
            tag => {
                self.flush();
                match tag {
                    "20" => {
                        self.currency = None;
                        self.balance = None;
                        Ok(())
                    }
                    "25" => self.account(field),
                    "60F" | "60M" => self.opening_balance(field),
                    "62F" | "62M" => self.closing_balance(field),
                    _ => Ok(()),
                }
            }
        }
    }

    /// A credit without a `:86:` has no title.
    fn flush(&mut self) {
        if let Some(line) = self.pending.take() {
            self.statement.credits.push(line);
        }
    }

    fn account(&mut self, field: &Field) -> Result<(), StatementError> {
        let text = field.lines.concat();
        let Some(account) = account_of(&text) else {
            return Ok(());
        };
        match &self.statement.account {
            Some(first) if *first != account => Err(StatementError::new(
                field.line,
                format!("a statement of another account ({account}) than the first ({first})"),
            )),
            _ => {
                self.statement.account = Some(account);
                Ok(())
            }
        }
    }

    /// The opening balance (`C261130PLN1234,56`) gives the statement's currency.
    fn opening_balance(&mut self, field: &Field) -> Result<(), StatementError> {
        let text = field.lines.concat();
        let code: String = text.chars().skip(7).take(3).collect();
        let currency = check_currency(&code).map_err(|e| {
            StatementError::new(field.line, format!("the opening balance's currency: {e}"))
        })?;
        self.currency = Some(currency);
        self.balance = Some(balance_of(&text).map_err(|e| StatementError::new(field.line, e))?);
        Ok(())
    }

    /// The closing balance is the opening one with the movements between: a file cut short or
    /// altered on the way does not add up, and is refused rather than half-booked.
    fn closing_balance(&mut self, field: &Field) -> Result<(), StatementError> {
        let text = field.lines.concat();
        let closing = balance_of(&text).map_err(|e| StatementError::new(field.line, e))?;
        if let Some(counted) = self.balance.take()
            && counted != closing
        {
            return Err(StatementError::new(
                field.line,
                format!(
                    "the closing balance is {}, but the opening balance and the movements make {}: the file is incomplete or altered",
                    minor_text(closing),
                    minor_text(counted)
                ),
            ));
        }
        Ok(())
    }

    fn movement(&mut self, field: &Field) -> Result<(), StatementError> {
        let text = field.lines.first().copied().unwrap_or_default();
        let fail = |reason: String| StatementError::new(field.line, reason);
        let movement = read_movement(text).map_err(fail)?;
        let signed = if movement.credit {
            movement.amount_minor
        } else {
            movement.amount_minor.saturating_neg()
        };
        self.balance = self.balance.map(|b| b.saturating_add(signed));
        if !movement.credit {
            self.statement.debits_skipped = self.statement.debits_skipped.saturating_add(1);
            return Ok(());
        }
        let currency = self.currency.clone().ok_or_else(|| {
            fail("no opening balance (:60F:) before this line gives the currency".into())
        })?;
        let reference = movement
            .reference
            .ok_or_else(|| fail("the line has no bank reference".into()))?;
        self.pending = Some(StatementLine {
            line: field.line,
            reference,
            booked_on: movement.booked_on,
            amount_minor: movement.amount_minor,
            currency,
            title: String::new(),
            payer_name: None,
            payer_account: None,
            beneficiary_account: None,
        });
        Ok(())
    }
}

/// A balance, `C261130PLN1234,56` (D for a debit balance), in signed minor units.
fn balance_of(text: &str) -> Result<i64, String> {
    let sign = match text.get(..1) {
        Some("C") => 1,
        Some("D") => -1,
        _ => return Err(format!("a balance starts with C or D: {text:?}")),
    };
    let amount = text.get(10..).ok_or_else(|| {
        format!("a balance is C/D, YYMMDD, the currency and the amount: {text:?}")
    })?;
    let minor = balance_amount(amount.trim())
        .ok_or_else(|| format!("the balance's amount {amount:?} is not a number like 1234,56"))?;
    Ok(sign * minor)
}

/// `1234,56` in minor units; zero and any size a bank account holds are fine here, unlike in a
/// payment.
fn balance_amount(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once(',').unwrap_or((text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || fraction.len() > 2 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// `-1234,56` for a message.
fn minor_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// `:25:` as banks write it: `/PL61...`, `PL61...`, 26 digits, or `BIC/account`.
fn account_of(text: &str) -> Option<String> {
    text.split('/').find_map(normalize_account)
}

/// What a `:61:` line says.
#[derive(Debug, PartialEq, Eq)]
struct Movement {
    booked_on: NaiveDate,
    /// `C` and `RD` (a reversed debit) bring money in; `D` and `RC` take it out.
    credit: bool,
    amount_minor: i64,
    reference: Option<String>,
}

/// `YYMMDD[MMDD](C|D|RC|RD)[funds code]amount(N|F|S)xxx[customer ref][//bank ref]`.
fn read_movement(text: &str) -> Result<Movement, String> {
    let (value_date, rest) = take_date(text)?;
    let (entry_date, rest) = take_entry_date(rest, value_date)?;
    let (credit, rest) = take_mark(rest)?;
    // A funds code (the currency's last letter) may stand before the amount.
    let rest = rest
        .strip_prefix(|c: char| c.is_ascii_uppercase())
        .unwrap_or(rest);
    let type_at = transaction_type_at(rest)
        .ok_or_else(|| format!("no transaction type (N and three characters) in {text:?}"))?;
    let (amount, references) = rest.split_at_checked(type_at).unwrap_or((rest, ""));
    let amount_minor = parse_amount(amount, COMMA)?;
    let references = references.get(4..).unwrap_or_default();
    Ok(Movement {
        booked_on: entry_date.unwrap_or(value_date),
        credit,
        amount_minor,
        reference: reference_of(references),
    })
}

fn take_date(text: &str) -> Result<(NaiveDate, &str), String> {
    let (digits, rest) = text
        .split_at_checked(6)
        .filter(|(d, _)| d.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| format!("{text:?} does not start with a value date (YYMMDD)"))?;
    let date = NaiveDate::parse_from_str(&format!("20{digits}"), "%Y%m%d")
        .map_err(|_| format!("the value date {digits} is not a date"))?;
    Ok((date, rest))
}

/// The optional entry (booking) date, `MMDD`, in the year that puts it nearest the value
/// date: a payment valued on 31 December may be booked on 2 January.
fn take_entry_date(text: &str, value_date: NaiveDate) -> Result<(Option<NaiveDate>, &str), String> {
    let Some((digits, rest)) = text
        .split_at_checked(4)
        .filter(|(d, _)| d.chars().all(|c| c.is_ascii_digit()))
    else {
        return Ok((None, text));
    };
    let year = value_date.year();
    let nearest = [year.saturating_sub(1), year, year.saturating_add(1)]
        .into_iter()
        .filter_map(|y| NaiveDate::parse_from_str(&format!("{y:04}{digits}"), "%Y%m%d").ok())
        .min_by_key(|d| d.signed_duration_since(value_date).num_days().abs())
        .ok_or_else(|| format!("the entry date {digits} is not a date"))?;
    Ok((Some(nearest), rest))
}

fn take_mark(text: &str) -> Result<(bool, &str), String> {
    [("RC", false), ("RD", true), ("C", true), ("D", false)]
        .into_iter()
        .find_map(|(mark, credit)| text.strip_prefix(mark).map(|rest| (credit, rest)))
        .ok_or_else(|| format!("{text:?} does not start with C, D, RC or RD"))
}

/// Where the transaction type starts: the first `N`, `F` or `S` followed by three letters or
/// digits. Everything before it is the amount, so a garbled amount is reported whole.
fn transaction_type_at(text: &str) -> Option<usize> {
    text.char_indices().find_map(|(at, c)| {
        let code = text.get(at.saturating_add(1)..)?;
        let typed = matches!(c, 'N' | 'F' | 'S')
            && code
                .chars()
                .take(3)
                .filter(char::is_ascii_alphanumeric)
                .count()
                == 3;
        typed.then_some(at)
    })
}

/// The bank's reference after `//`, or else the customer's reference unless it is NONREF.
fn reference_of(references: &str) -> Option<String> {
    let (customer, bank) = references.split_once("//").unwrap_or((references, ""));
    non_empty(bank).or_else(|| non_empty(customer).filter(|r| r != NO_REFERENCE))
}

/// Puts what `:86:` says into the line: structured subfields where the bank uses them, else
/// the whole text as the title.
fn describe(line: &mut StatementLine, text: &str) {
    let Some(fields) = subfields(text) else {
        line.title = text.trim().to_owned();
        return;
    };
    let joined = |codes: &[u8]| -> String {
        codes
            .iter()
            .filter_map(|code| fields.get(code))
            .map(String::as_str)
            .collect()
    };
    line.title = joined(&[20, 21, 22, 23, 24, 25]).trim().to_owned();
    line.payer_name = non_empty(&joined(&[27, 28])).or_else(|| non_empty(&joined(&[32, 33])));
    line.payer_account = fields
        .get(&38)
        .and_then(|iban| normalize_account(iban))
        .or_else(|| {
            fields
                .get(&31)
                .and_then(|account| normalize_account(account))
        });
}

/// The subfields of a structured `:86:` by number, or `None` when it is free text. The
/// lines were joined without a separator: banks cut subfields at a fixed width, mid-word.
fn subfields(text: &str) -> Option<BTreeMap<u8, String>> {
    let marker = marker_of(text)?;
    let mut fields: BTreeMap<u8, String> = BTreeMap::new();
    let mut current: Option<u8> = None;
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, from_marker) = rest.split_at_checked(at)?;
        append(&mut fields, current, before);
        let after = from_marker.get(marker.len_utf8()..)?;
        match subfield_code(after) {
            Some(code) => {
                current = Some(code);
                rest = after.get(2..)?;
            }
            // A marker not followed by two digits is part of the text.
            None => {
                append(&mut fields, current, from_marker.get(..marker.len_utf8())?);
                rest = after;
            }
        }
    }
    append(&mut fields, current, rest);
    Some(fields)
}

/// The marker of a structured `:86:`: the character after the three-digit code (`240~20...`),
/// or the first one when the bank leaves the code out (`~00...`).
fn marker_of(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let first = chars.next()?;
    if MARKERS.contains(&first) {
        return subfield_code(chars.as_str()).map(|_| first);
    }
    let code_then_marker = text.get(..3)?.chars().all(|c| c.is_ascii_digit());
    let marker = text.get(3..)?.chars().next()?;
    (code_then_marker && MARKERS.contains(&marker)).then_some(marker)
}

fn subfield_code(text: &str) -> Option<u8> {
    let digits = text.get(..2)?;
    if digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Text before the first subfield (the transaction code) belongs to none.
fn append(fields: &mut BTreeMap<u8, String>, code: Option<u8>, text: &str) {
    if let Some(code) = code {
        fields.entry(code).or_default().push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::data;
    use super::super::{StatementFormat, parse as parse_file};
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn read(bytes: &[u8]) -> Result<Statement, StatementError> {
        parse_file(bytes, StatementFormat::Mt940, None)
    }

    #[test]
    fn reads_a_polish_mt940_statement() {
        let statement = read(data::MT940).unwrap();
        assert_eq!(statement.format, StatementFormat::Mt940);
        assert_eq!(
            statement.account.as_deref(),
            Some("PL78102055610000123456789012")
        );
        assert_eq!(statement.debits_skipped, 1);
        assert_eq!(
            statement.credits,
            vec![
                StatementLine {
                    line: 5,
                    reference: "PKO-20261201-0001".into(),
                    booked_on: day(12, 1),
                    amount_minor: 15_000,
                    currency: "PLN".into(),
                    title: "Abonament 100000058 grudzień 2026".into(),
                    payer_name: Some("JAN KOWALSKI".into()),
                    payer_account: Some("PL56102028920000120201234567".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 11,
                    reference: "PKO-20261202-0003".into(),
                    booked_on: day(12, 2),
                    amount_minor: 9_999,
                    currency: "PLN".into(),
                    title: "fv 2026/11/000003".into(),
                    payer_name: Some("PRZEDSIĘBIORSTWO USŁUGOWE ABC SP. Z O.O.".into()),
                    payer_account: None,
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 16,
                    reference: "261203KR000457".into(),
                    booked_on: day(12, 3),
                    amount_minor: 30_000,
                    currency: "PLN".into(),
                    title: "Wpłata 100000074".into(),
                    payer_name: Some("EWA KAMIŃSKA".into()),
                    payer_account: Some("PL72102040270000180212345678".into()),
                    beneficiary_account: None,
                },
            ]
        );
    }

    #[test]
    fn refuses_a_garbled_amount_at_its_line() {
        let err = read(data::MT940_BAD_LINE).unwrap_err();
        assert_eq!(err.line, 7);
        assert_eq!(err.reason, "the amount \"1O5,00\" is not a number");
    }

    #[test]
    fn reads_the_parts_of_a_61_line() {
        let movement = |text: &str| read_movement(text);
        assert_eq!(
            movement("2612011201C150,00N240NONREF//PKO-1"),
            Ok(Movement {
                booked_on: day(12, 1),
                credit: true,
                amount_minor: 15_000,
                reference: Some("PKO-1".into()),
            })
        );
        // Reversals: RD gives money back to the account, RC takes it.
        assert!(movement("261201RD5,NTRFREF").unwrap().credit);
        assert!(!movement("261201RC5,NTRFREF").unwrap().credit);
        assert!(!movement("261201D5,NTRFREF").unwrap().credit);
        // No entry date: booked on the value date; a funds code before the amount.
        let plain = movement("261205CR1234,5NTRFCUST-9").unwrap();
        assert_eq!(plain.booked_on, day(12, 5));
        assert_eq!(plain.amount_minor, 123_450);
        assert_eq!(plain.reference.as_deref(), Some("CUST-9"));
        // Valued on 31 December, booked on 2 January.
        assert_eq!(
            movement("2612310102C1,00N240NONREF//X").unwrap().booked_on,
            NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()
        );
        assert_eq!(
            movement("2701020102C1,00N240NONREF//X").unwrap().booked_on,
            NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()
        );
        assert_eq!(movement("261201C1,00N240NONREF").unwrap().reference, None);
        assert_eq!(movement("261201C1,00N240NONREF//").unwrap().reference, None);
    }

    #[test]
    fn refuses_malformed_61_lines_naming_what_is_wrong() {
        let refused = |text: &str, why: &str| {
            let reason = read_movement(text).unwrap_err();
            assert!(reason.contains(why), "{text}: {reason}");
        };
        refused("26120C1,00N240X", "value date");
        refused("261301C1,00N240X", "value date 261301 is not a date");
        refused("2612011231X1,00N240X", "C, D, RC or RD");
        refused("2612011301C1,00N240X", "entry date 1301 is not a date");
        refused("261201C1,00", "no transaction type");
        refused("261201C1,005N240X", "more than 2 decimal places");
        refused("261201C0,00N240X", "zero");
        refused("261201C1.50N240X", "not a number");
        refused("261201C100000000,01N240X", "above");
    }

    fn file(body: &str) -> String {
        format!(":20:S1\r\n:25:/PL78102055610000123456789012\r\n:60F:C261130PLN0,00\r\n{body}-\r\n")
    }

    #[test]
    fn refuses_a_credit_without_a_reference_or_currency() {
        let err = read(file(":61:261201C10,00N240NONREF\r\n").as_bytes()).unwrap_err();
        assert_eq!(
            (err.line, err.reason.as_str()),
            (4, "the line has no bank reference")
        );
        let no_balance = ":20:S1\n:61:261201C10,00N240NONREF//R\n";
        let err = read(no_balance.as_bytes()).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains(":60F:"), "{err}");
    }

    #[test]
    fn a_closing_balance_that_the_movements_do_not_make_refuses_the_file() {
        let movements = ":61:261201C10,00N240NONREF//R1\r\n:61:261201D2,50N641NONREF//R2\r\n";
        let adds_up = file(&format!("{movements}:62F:C261201PLN7,50\r\n"));
        assert_eq!(read(adds_up.as_bytes()).unwrap().credits.len(), 1);
        // The second line lost on the way: 10,00 booked, 7,50 the bank says.
        let cut = file(":61:261201C10,00N240NONREF//R1\r\n:62F:C261201PLN7,50\r\n");
        let err = read(cut.as_bytes()).unwrap_err();
        assert_eq!(err.line, 5);
        assert!(err.reason.contains("the closing balance is 7,50"), "{err}");
        assert!(err.reason.contains("make 10,00"), "{err}");
        let debit =
            ":20:S1\n:60F:D261130PLN5,00\n:61:261201C10,00N240NONREF//R1\n:62F:C261201PLN5,00\n";
        assert!(
            read(debit.as_bytes()).is_ok(),
            "a debit opening balance counts negative"
        );
        let unreadable = file(":62F:X261201PLN7,50\r\n");
        assert!(
            read(unreadable.as_bytes())
                .unwrap_err()
                .reason
                .contains("C or D")
        );
    }

    #[test]
    fn reads_other_subfield_markers_and_free_text() {
        let body = ":61:261201C10,00N240NONREF//R1\r\n\
                    :86:240<00PRZELEW<20FV/2026/<2111/000001<32ANNA <33NOWAK\r\n\
                    :61:261201C11,00N240NONREF//R2\r\n\
                    :86:020^20Abonament 100000017^38PL56 1020 2892 0000 1202 0123 4567\r\n\
                    :61:261201C12,00N240NONREF//R3\r\n\
                    :86:Wplata za internet konto 1000\r\n00025\r\n\
                    :61:261201C13,00N240NONREF//R4\r\n\
                    :86:~20cena 5~ zl~3156102028920000120201234567\r\n\
                    :61:261201C14,00N240NONREF//R5\r\n";
        let statement = read(file(body).as_bytes()).unwrap();
        let described: Vec<(&str, &str, Option<&str>, Option<&str>)> = statement
            .credits
            .iter()
            .map(|l| {
                (
                    l.reference.as_str(),
                    l.title.as_str(),
                    l.payer_name.as_deref(),
                    l.payer_account.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            described,
            vec![
                ("R1", "FV/2026/11/000001", Some("ANNA NOWAK"), None),
                (
                    "R2",
                    "Abonament 100000017",
                    None,
                    Some("PL56102028920000120201234567")
                ),
                ("R3", "Wplata za internet konto 100000025", None, None),
                (
                    "R4",
                    "cena 5~ zl",
                    None,
                    Some("PL56102028920000120201234567")
                ),
                ("R5", "", None, None),
            ]
        );
    }

    #[test]
    fn reads_several_statements_of_one_account_but_not_of_two() {
        let two_days = ":20:S1\n:25:/PL78102055610000123456789012\n:60F:C261130PLN0,00\n\
                        :61:261201C10,00N240NONREF//R1\n:62F:C261201PLN10,00\n-\n\
                        :20:S2\n:25:PL78102055610000123456789012\n:60F:C261201EUR10,00\n\
                        :61:261202C20,00N240NONREF//R2\n:86:~20x\n:62F:C261202PLN30,00\n-\n";
        let statement = read(two_days.as_bytes()).unwrap();
        let currencies: Vec<&str> = statement
            .credits
            .iter()
            .map(|l| l.currency.as_str())
            .collect();
        assert_eq!(currencies, ["PLN", "EUR"]);
        let other = two_days.replacen(
            "PL78102055610000123456789012\n:60F:C261201",
            "PL26114020040000320212345601\n:60F:C261201",
            1,
        );
        let err = read(other.as_bytes()).unwrap_err();
        assert_eq!(err.line, 8);
        assert!(err.reason.contains("another account"), "{err}");
    }

    #[test]
    fn reads_the_account_as_banks_write_it() {
        for written in [
            "/PL78102055610000123456789012",
            "PL78102055610000123456789012",
            "78102055610000123456789012",
            "BPKOPLPW/PL78102055610000123456789012",
            "/PL78 1020 5561 0000 1234 5678 9012",
        ] {
            assert_eq!(
                account_of(written).as_deref(),
                Some("PL78102055610000123456789012"),
                "{written}"
            );
        }
    }
}
