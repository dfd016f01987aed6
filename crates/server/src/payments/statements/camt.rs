//! camt.053 (ISO 20022 BankToCustomerStatement), versions .02 to .08. The XML is read into a
//! small tree of elements by local name, so namespace prefixes and the versions' differences
//! (`Sts` or `Sts/Cd`, `Dbtr/Nm` or `Dbtr/Pty/Nm`) are a matter of which path is present.
//! Every element keeps its line in the file, for errors that point at it.

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{
    DOT, Statement, StatementError, StatementFormat, StatementLine, check_currency, line_of_offset,
    non_empty, normalize_account, parse_amount,
};

/// Statements are a few levels deep; a far deeper file is not a statement, and a bound keeps
/// the tree (built and dropped recursively) from exhausting the stack.
const MAX_DEPTH: usize = 32;

/// What the `Document` namespace of every camt.053 version starts with.
const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";

/// The bank writes this where the payer gave no end-to-end reference.
const NOT_PROVIDED: &str = "NOTPROVIDED";

pub(super) fn parse(text: &str) -> Result<Statement, StatementError> {
    let document = read_tree(text)?;
    check_document(&document)?;
    let report = document
        .child("BkToCstmrStmt")
        .ok_or_else(|| StatementError::new(document.line, "no <BkToCstmrStmt> in <Document>"))?;
    let mut statement = Statement {
        format: StatementFormat::Camt053,
        account: None,
        credits: Vec::new(),
        debits_skipped: 0,
    };
    for stmt in report.children("Stmt") {
        read_stmt(stmt, &mut statement)?;
    }
    Ok(statement)
}

/// The root is a camt.053 `Document`: a camt.052 or camt.054 has entries of the same shape
/// but is not a statement of booked entries.
fn check_document(document: &Node) -> Result<(), StatementError> {
    if document.name != "Document" {
        return Err(StatementError::new(
            document.line,
            format!("<{}> is not an ISO 20022 <Document>", document.name),
        ));
    }
    let namespaces = document
        .attributes
        .iter()
        .filter(|(key, _)| key == "xmlns" || key.starts_with("xmlns:"));
    let mut declared = None;
    for (_, namespace) in namespaces {
        if namespace.starts_with(NAMESPACE) {
            return Ok(());
        }
        if namespace.starts_with("urn:iso:std:iso:20022:") {
            declared = Some(namespace);
        }
    }
    match declared {
        Some(other) => Err(StatementError::new(
            document.line,
            format!("{other} is not a camt.053 statement"),
        )),
        // Some banks leave the namespace out; the shape then decides.
        None => Ok(()),
    }
}

fn read_stmt(stmt: &Node, statement: &mut Statement) -> Result<(), StatementError> {
    let account = stmt
        .text_at(&["Acct", "Id", "IBAN"])
        .or_else(|| stmt.text_at(&["Acct", "Id", "Othr", "Id"]))
        .map(|a| normalize_account(a).unwrap_or_else(|| a.to_owned()));
    match (&statement.account, account) {
        (Some(first), Some(this)) if *first != this => {
            return Err(StatementError::new(
                stmt.line,
                format!("a statement of another account ({this}) than the first ({first})"),
            ));
        }
        (None, account) => statement.account = account,
        _ => {}
    }
    for entry in stmt.children("Ntry") {
        read_entry(entry, statement)?;
    }
    Ok(())
}

/// Whether an entry is money in, money out, or not booked yet.
enum Direction {
    Credit,
    Debit,
    NotBooked,
}

fn read_entry(entry: &Node, statement: &mut Statement) -> Result<(), StatementError> {
    match direction(entry)? {
        Direction::NotBooked => Ok(()),
        Direction::Debit => {
            statement.debits_skipped = statement.debits_skipped.saturating_add(1);
            Ok(())
        }
        Direction::Credit => {
            statement.credits.extend(credit_lines(entry)?);
            Ok(())
        }
    }
}

/// Only booked entries are payments: a pending (PDNG) or information-only one may never be.
fn direction(entry: &Node) -> Result<Direction, StatementError> {
    let status = entry
        .text_at(&["Sts", "Cd"])
        .or_else(|| entry.text_at(&["Sts"]))
        .ok_or_else(|| StatementError::new(entry.line, "the entry has no status <Sts>"))?;
    if status != "BOOK" {
        return Ok(Direction::NotBooked);
    }
    let indicator = required(entry, "CdtDbtInd")?;
    match indicator.text.trim() {
        "CRDT" => Ok(Direction::Credit),
        "DBIT" => Ok(Direction::Debit),
        other => Err(StatementError::new(
            indicator.line,
            format!("<CdtDbtInd> is {other:?}, neither CRDT nor DBIT"),
        )),
    }
}

/// The entry's facts that its transactions share.
struct EntryFacts {
    booked_on: NaiveDate,
    amount: Money,
    reference: Option<String>,
}

/// A credit entry's lines: one, or one per transaction of a batch booking, each with its own
/// amount, which together must make the entry's.
fn credit_lines(entry: &Node) -> Result<Vec<StatementLine>, StatementError> {
    let facts = EntryFacts {
        booked_on: booking_date(entry)?,
        amount: money(required(entry, "Amt")?)?,
        reference: entry_reference(entry),
    };
    let transactions: Vec<&Node> = entry
        .child("NtryDtls")
        .map(|details| details.children("TxDtls").collect())
        .unwrap_or_default();
    match transactions.as_slice() {
        [] => Ok(vec![line_of(entry, &facts, None, None)?]),
        [single] => Ok(vec![line_of(entry, &facts, Some(single), None)?]),
        batch => batch_lines(entry, &facts, batch),
    }
}

fn batch_lines(
    entry: &Node,
    facts: &EntryFacts,
    batch: &[&Node],
) -> Result<Vec<StatementLine>, StatementError> {
    let mut lines = Vec::with_capacity(batch.len());
    let mut total = 0_i64;
    for (index, tx) in batch.iter().enumerate() {
        let amount = transaction_amount(tx)?.ok_or_else(|| {
            StatementError::new(tx.line, "a transaction of a batch booking has no amount")
        })?;
        if amount.currency != facts.amount.currency {
            return Err(StatementError::new(
                tx.line,
                format!(
                    "the transaction is in {}, its entry in {}",
                    amount.currency, facts.amount.currency
                ),
            ));
        }
        total = total.saturating_add(amount.minor);
        let position = index.saturating_add(1);
        let mut line = line_of(tx, facts, Some(tx), Some(position))?;
        line.amount_minor = amount.minor;
        lines.push(line);
    }
    if total != facts.amount.minor {
        return Err(StatementError::new(
            entry.line,
            "the amounts of the batch's transactions do not add up to the entry's amount",
        ));
    }
    Ok(lines)
}

/// One line: the entry's facts with the transaction's parties and title. `batch_position`
/// is the transaction's place in a batch booking, whose lines need references of their own.
fn line_of(
    at: &Node,
    facts: &EntryFacts,
    tx: Option<&Node>,
    batch_position: Option<usize>,
) -> Result<StatementLine, StatementError> {
    let reference = match batch_position {
        None => facts
            .reference
            .clone()
            .or_else(|| tx.and_then(transaction_reference)),
        Some(position) => tx
            .and_then(|tx| tx.text_at(&["Refs", "AcctSvcrRef"]))
            .map(str::to_owned)
            .or_else(|| facts.reference.as_ref().map(|r| format!("{r}/{position}"))),
    }
    .ok_or_else(|| StatementError::new(at.line, "the entry has no bank reference"))?;
    Ok(StatementLine {
        line: at.line,
        reference,
        booked_on: facts.booked_on,
        amount_minor: facts.amount.minor,
        currency: facts.amount.currency.clone(),
        title: tx.map(title).unwrap_or_default(),
        payer_name: tx.and_then(payer_name),
        payer_account: tx
            .and_then(|tx| tx.text_at(&["RltdPties", "DbtrAcct", "Id", "IBAN"]))
            .and_then(normalize_account),
        // The account the money was sent to: a customer's virtual account, where the operator
        // has them.
        beneficiary_account: tx
            .and_then(|tx| tx.text_at(&["RltdPties", "CdtrAcct", "Id", "IBAN"]))
            .and_then(normalize_account),
    })
}

/// The bank's reference of the entry as a whole.
fn entry_reference(entry: &Node) -> Option<String> {
    entry
        .text_at(&["NtryRef"])
        .or_else(|| entry.text_at(&["AcctSvcrRef"]))
        .map(str::to_owned)
}

/// A transaction's reference, for an entry that has none of its own.
fn transaction_reference(tx: &Node) -> Option<String> {
    tx.text_at(&["Refs", "AcctSvcrRef"])
        .or_else(|| {
            tx.text_at(&["Refs", "EndToEndId"])
                .filter(|id| *id != NOT_PROVIDED)
        })
        .map(str::to_owned)
}

/// The booking date (or, failing that, the value date), from `Dt` or the date of `DtTm`.
fn booking_date(entry: &Node) -> Result<NaiveDate, StatementError> {
    let date = entry
        .child("BookgDt")
        .or_else(|| entry.child("ValDt"))
        .ok_or_else(|| StatementError::new(entry.line, "the entry has no booking date"))?;
    let (node, text) = match (date.child("Dt"), date.child("DtTm")) {
        (Some(dt), _) => (dt, dt.text.trim()),
        (None, Some(dt_tm)) => {
            let text = dt_tm.text.trim();
            (dt_tm, text.split_once('T').map_or(text, |(day, _)| day))
        }
        (None, None) => {
            return Err(StatementError::new(
                date.line,
                format!("<{}> has neither <Dt> nor <DtTm>", date.name),
            ));
        }
    };
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StatementError::new(node.line, format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// An amount with its currency.
struct Money {
    minor: i64,
    currency: String,
}

/// An `<Amt Ccy="PLN">123.45</Amt>` element.
fn money(amount: &Node) -> Result<Money, StatementError> {
    let fail = |reason: String| StatementError::new(amount.line, reason);
    let currency = amount
        .attribute("Ccy")
        .ok_or_else(|| fail("the amount has no currency (Ccy)".into()))?;
    Ok(Money {
        minor: parse_amount(&amount.text, DOT).map_err(fail)?,
        currency: check_currency(currency).map_err(fail)?,
    })
}

/// A transaction's own amount: `Amt` (.08) or `AmtDtls/TxAmt/Amt` (.02).
fn transaction_amount(tx: &Node) -> Result<Option<Money>, StatementError> {
    tx.child("Amt")
        .or_else(|| tx.at(&["AmtDtls", "TxAmt", "Amt"]))
        .map(money)
        .transpose()
}

/// The unstructured remittance lines, or failing them the structured creditor references.
fn title(tx: &Node) -> String {
    let Some(remittance) = tx.child("RmtInf") else {
        return String::new();
    };
    let unstructured: Vec<&str> = remittance
        .children("Ustrd")
        .map(|u| u.text.trim())
        .filter(|u| !u.is_empty())
        .collect();
    if !unstructured.is_empty() {
        return unstructured.join(" ");
    }
    remittance
        .children("Strd")
        .filter_map(|s| s.text_at(&["CdtrRefInf", "Ref"]))
        .collect::<Vec<_>>()
        .join(" ")
}

fn payer_name(tx: &Node) -> Option<String> {
    tx.text_at(&["RltdPties", "Dbtr", "Nm"])
        .or_else(|| tx.text_at(&["RltdPties", "Dbtr", "Pty", "Nm"]))
        .and_then(non_empty)
}

fn required<'a>(node: &'a Node, name: &str) -> Result<&'a Node, StatementError> {
    node.child(name)
        .ok_or_else(|| StatementError::new(node.line, format!("<{}> has no <{name}>", node.name)))
}

/// An element: its local name, where it starts, its attributes, and its text.
#[derive(Debug)]
struct Node {
    name: String,
    line: usize,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, name| node.child(name))
    }

    /// The trimmed text at the path, if there is any.
    fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path)
            .map(|node| node.text.trim())
            .filter(|text| !text.is_empty())
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Reads the XML into a tree of elements.
fn read_tree(text: &str) -> Result<Node, StatementError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines::new(text);
    let mut open: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        // Text is not trimmed, so the next event starts right where the last one ended.
        let start = offset(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            let at = lines.at(offset(reader.error_position()));
            StatementError::new(at, format!("the XML is malformed: {e}"))
        })?;
        let line = lines.at(start);
        match event {
            Event::Start(tag) => {
                if open.len() >= MAX_DEPTH {
                    return Err(StatementError::new(line, "the XML is nested too deep"));
                }
                open.push(element(&tag, line)?);
            }
            Event::Empty(tag) => attach(&mut open, &mut root, element(&tag, line)?)?,
            Event::End(_) => {
                let closed = open
                    .pop()
                    .ok_or_else(|| StatementError::new(line, "a closing tag closes nothing"))?;
                attach(&mut open, &mut root, closed)?;
            }
            Event::Text(text) => push_text(&mut open, &text.xml10_content()),
            Event::CData(data) => push_text(&mut open, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = entity(&reference).map_err(|e| StatementError::new(line, e))?;
                push_text(&mut open, &resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(StatementError::new(
            unclosed.line,
            format!("the XML ends before <{}> is closed", unclosed.name),
        ));
    }
    root.ok_or_else(|| StatementError::new(1, "the file has no XML element"))
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn element(tag: &BytesStart, line: usize) -> Result<Node, StatementError> {
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute
            .map_err(|e| StatementError::new(line, format!("a malformed attribute: {e}")))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| StatementError::new(line, format!("a malformed attribute: {e}")))?;
        attributes.push((attribute.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(Node {
        name: tag.local_name().as_ref().to_owned(),
        line,
        attributes,
        text: String::new(),
        children: Vec::new(),
    })
}

fn attach(open: &mut [Node], root: &mut Option<Node>, node: Node) -> Result<(), StatementError> {
    if let Some(parent) = open.last_mut() {
        parent.children.push(node);
    } else if root.is_none() {
        *root = Some(node);
    } else {
        return Err(StatementError::new(
            node.line,
            "a second root element; a statement is one XML document",
        ));
    }
    Ok(())
}

fn push_text(open: &mut [Node], text: &str) {
    // Text outside the root element can only be whitespace.
    if let Some(node) = open.last_mut() {
        node.text.push_str(text);
    }
}

/// `&amp;` and the other predefined entities, and character references.
fn entity(reference: &BytesRef) -> Result<String, String> {
    if let Some(c) = reference
        .resolve_char_ref()
        .map_err(|e| format!("a malformed character reference: {e}"))?
    {
        return Ok(c.to_string());
    }
    let name: &str = reference;
    quick_xml::escape::resolve_predefined_entity(name)
        .map(str::to_owned)
        .ok_or_else(|| format!("an unknown entity &{name};"))
}

/// Line numbers of byte offsets that come in increasing order, counted once.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> usize {
        if offset < self.offset {
            return line_of_offset(self.text, offset);
        }
        let between = self.text.get(self.offset..offset).unwrap_or_default();
        let newlines = between.iter().filter(|b| **b == b'\n').count();
        self.line = self.line.saturating_add(newlines);
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::data;
    use super::super::{StatementFormat, parse as parse_file};
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn read(bytes: &[u8]) -> Result<Statement, StatementError> {
        parse_file(bytes, StatementFormat::Camt053, None)
    }

    #[test]
    fn reads_a_camt_053_001_02_statement() {
        let statement = read(data::CAMT_02).unwrap();
        assert_eq!(statement.format, StatementFormat::Camt053);
        assert_eq!(
            statement.account.as_deref(),
            Some("PL61109010140000071219812874")
        );
        assert_eq!(statement.debits_skipped, 1);
        assert_eq!(
            statement.credits,
            vec![
                StatementLine {
                    line: 71,
                    reference: "SBP2612010000101".into(),
                    booked_on: day(1),
                    amount_minor: 15_000,
                    currency: "PLN".into(),
                    title: "Abonament internet 100000017 grudzień 2026".into(),
                    payer_name: Some("Jan Kowalski".into()),
                    payer_account: Some("PL56102028920000120201234567".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 145,
                    reference: "SBP2612010000102-1".into(),
                    booked_on: day(1),
                    amount_minor: 19_999,
                    currency: "PLN".into(),
                    title: "fv 2026-11-000001 oplata".into(),
                    payer_name: Some("Kowalczyk & Syn s.c.".into()),
                    payer_account: Some("PL35114020040000390212345678".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 169,
                    reference: "SBP2612010000102/2".into(),
                    booked_on: day(1),
                    amount_minor: 12_001,
                    currency: "PLN".into(),
                    title: "Faktura FV 2026/11/000002".into(),
                    payer_name: Some("Anna Nowak".into()),
                    payer_account: Some("PL51105014451000009031234567".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 222,
                    reference: "2612010000104".into(),
                    booked_on: day(1),
                    amount_minor: 5_000,
                    currency: "PLN".into(),
                    title: "Wpłata na konto 100000025 za grudzień".into(),
                    payer_name: Some("PAWEŁ WIŚNIEWSKI".into()),
                    payer_account: None,
                    beneficiary_account: None,
                },
            ]
        );
    }

    #[test]
    fn reads_a_camt_053_001_08_statement() {
        let statement = read(data::CAMT_08).unwrap();
        assert_eq!(
            statement.account.as_deref(),
            Some("PL26114020040000320212345601")
        );
        // The pending entry is neither a credit nor a skipped debit.
        assert_eq!(statement.debits_skipped, 1);
        assert_eq!(
            statement.credits,
            vec![
                StatementLine {
                    line: 51,
                    reference: "MBK261203000451".into(),
                    booked_on: day(3),
                    amount_minor: 25_000,
                    currency: "PLN".into(),
                    title: "100 000 041 abonament".into(),
                    payer_name: Some("Katarzyna Wójcik".into()),
                    payer_account: Some("PL50249010440000420012345678".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 173,
                    reference: "MBK261203000454-01".into(),
                    booked_on: day(3),
                    amount_minor: 6_000,
                    currency: "PLN".into(),
                    title: "FV-2026-11-000004".into(),
                    payer_name: Some("Tomasz Lewandowski".into()),
                    payer_account: Some("PL31116022020000000312345678".into()),
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 196,
                    reference: "MBK261203000454-02".into(),
                    booked_on: day(3),
                    amount_minor: 9_000,
                    currency: "PLN".into(),
                    title: "faktura nr FV/2026/11/000005".into(),
                    payer_name: Some("Ewa Kamińska".into()),
                    payer_account: None,
                    beneficiary_account: None,
                },
                StatementLine {
                    line: 216,
                    reference: "MBK261203000455".into(),
                    booked_on: day(3),
                    amount_minor: 30_000,
                    currency: "PLN".into(),
                    title: "FV/2026/11/000006".into(),
                    payer_name: Some("Zakład Usługowy MAJSTER Sp. z o.o.".into()),
                    payer_account: Some("PL69194010760000456712340001".into()),
                    beneficiary_account: None,
                },
            ]
        );
    }

    #[test]
    fn refuses_an_amount_with_three_decimals_at_its_line() {
        let err = read(data::CAMT_BAD_AMOUNT).unwrap_err();
        assert_eq!(err.line, 33);
        assert_eq!(
            err.reason,
            "the amount \"12.345\" has more than 2 decimal places"
        );
    }

    /// A minimal statement around the given entries.
    fn statement_with(namespace: &str, entries: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<Document xmlns=\"{namespace}\"><BkToCstmrStmt><Stmt>\n\
             <Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id></Acct>\n{entries}\n\
             </Stmt></BkToCstmrStmt></Document>\n"
        )
    }

    const V02: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";

    fn entry(amount: &str, extra: &str) -> String {
        format!(
            "<Ntry><Amt Ccy=\"PLN\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>2026-12-01</Dt></BookgDt>{extra}</Ntry>"
        )
    }

    fn refused(xml: &str) -> StatementError {
        read(xml.as_bytes()).unwrap_err()
    }

    #[test]
    fn ignores_namespace_prefixes() {
        let xml = "<ns2:Document xmlns:ns2=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\
            <ns2:BkToCstmrStmt><ns2:Stmt><ns2:Ntry><ns2:Amt Ccy=\"EUR\">61.50</ns2:Amt>\
            <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd><ns2:Sts><ns2:Cd>BOOK</ns2:Cd></ns2:Sts>\
            <ns2:BookgDt><ns2:Dt>2026-12-05</ns2:Dt></ns2:BookgDt>\
            <ns2:AcctSvcrRef>X-1</ns2:AcctSvcrRef></ns2:Ntry></ns2:Stmt></ns2:BkToCstmrStmt>\
            </ns2:Document>";
        let statement = read(xml.as_bytes()).unwrap();
        let [line] = statement.credits.as_slice() else {
            panic!("{statement:?}")
        };
        assert_eq!(line.reference, "X-1");
        assert_eq!(line.amount_minor, 6_150);
        assert_eq!(line.currency, "EUR");
        assert_eq!(line.booked_on, day(5));
        assert_eq!(line.title, "");
        assert_eq!(statement.account, None);
    }

    #[test]
    fn takes_the_reference_from_the_transaction_when_the_entry_has_none() {
        let tx = |refs: &str| {
            entry(
                "10.00",
                &format!("<NtryDtls><TxDtls><Refs>{refs}</Refs></TxDtls></NtryDtls>"),
            )
        };
        let reference = |refs: &str| {
            let xml = statement_with(V02, &tx(refs));
            read(xml.as_bytes())
                .map(|s| s.credits.first().unwrap().reference.clone())
                .map_err(|e| e.reason)
        };
        assert_eq!(
            reference("<AcctSvcrRef>TX-1</AcctSvcrRef><EndToEndId>E2E</EndToEndId>").as_deref(),
            Ok("TX-1")
        );
        assert_eq!(
            reference("<EndToEndId>E2E</EndToEndId>").as_deref(),
            Ok("E2E")
        );
        assert_eq!(
            reference("<EndToEndId>NOTPROVIDED</EndToEndId>"),
            Err("the entry has no bank reference".into())
        );
    }

    #[test]
    fn refuses_a_batch_that_does_not_add_up() {
        let batch = entry(
            "100.00",
            "<AcctSvcrRef>B-1</AcctSvcrRef><NtryDtls>\n\
             <TxDtls><Amt Ccy=\"PLN\">60.00</Amt></TxDtls>\n\
             <TxDtls><Amt Ccy=\"PLN\">30.00</Amt></TxDtls></NtryDtls>",
        );
        let err = refused(&statement_with(V02, &batch));
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("do not add up"), "{err}");

        let no_amount = entry(
            "100.00",
            "<AcctSvcrRef>B-1</AcctSvcrRef><NtryDtls>\n\
             <TxDtls><Amt Ccy=\"PLN\">60.00</Amt></TxDtls>\n\
             <TxDtls></TxDtls></NtryDtls>",
        );
        let err = refused(&statement_with(V02, &no_amount));
        assert_eq!(err.line, 6);
        assert!(err.reason.contains("has no amount"), "{err}");
    }

    #[test]
    fn refuses_malformed_entries_naming_what_is_wrong() {
        let cases = [
            (entry("-5.00", "<AcctSvcrRef>R</AcctSvcrRef>"), "negative"),
            (entry("0.00", "<AcctSvcrRef>R</AcctSvcrRef>"), "zero"),
            (
                entry("100000000.01", "<AcctSvcrRef>R</AcctSvcrRef>"),
                "above",
            ),
            (entry("5.00", ""), "no bank reference"),
            (
                entry("5.00", "<AcctSvcrRef>R</AcctSvcrRef>").replace("2026-12-01", "2026-02-30"),
                "\"2026-02-30\" is not a date",
            ),
            (
                entry("5.00", "<AcctSvcrRef>R</AcctSvcrRef>").replace("CRDT", "CRED"),
                "neither CRDT nor DBIT",
            ),
            (
                entry("5.00", "<AcctSvcrRef>R</AcctSvcrRef>").replace("Ccy=\"PLN\"", "Ccy=\"zł\""),
                "not a currency code",
            ),
            (
                entry("5.00", "<AcctSvcrRef>R</AcctSvcrRef>").replace(" Ccy=\"PLN\"", ""),
                "no currency",
            ),
            (
                entry("5.00", "<AcctSvcrRef>R</AcctSvcrRef>").replace("<Sts>BOOK</Sts>", ""),
                "no status",
            ),
        ];
        for (ntry, why) in cases {
            let err = refused(&statement_with(V02, &ntry));
            assert_eq!(err.line, 4, "{ntry}: {err}");
            assert!(err.reason.contains(why), "{ntry}: {err}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_camt_053_statement() {
        let camt054 = statement_with("urn:iso:std:iso:20022:tech:xsd:camt.054.001.02", "");
        assert!(refused(&camt054).reason.contains("not a camt.053"));
        assert!(
            refused("<html><body/></html>")
                .reason
                .contains("not an ISO 20022")
        );
        let broken = "<Document>\n<BkToCstmrStmt>\n<Stmt></BkToCstmrStmt></Document>";
        let err = refused(broken);
        assert_eq!(err.line, 3, "{err}");
        assert!(err.reason.contains("malformed"), "{err}");
        let unclosed = "<Document>\n<BkToCstmrStmt>\n";
        assert_eq!(refused(unclosed).line, 2);
        let deep = format!("<Document>{}", "<a>".repeat(40));
        assert!(refused(&deep).reason.contains("too deep"));
        assert!(
            refused("<Document>&nbsp;</Document>")
                .reason
                .contains("unknown entity")
        );
        let two_accounts = "<Document><BkToCstmrStmt>\n\
             <Stmt><Acct><Id><IBAN>PL61109010140000071219812874</IBAN></Id></Acct></Stmt>\n\
             <Stmt><Acct><Id><IBAN>PL26114020040000320212345601</IBAN></Id></Acct></Stmt>\n\
             </BkToCstmrStmt></Document>";
        let err = refused(two_accounts);
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("another account"), "{err}");
    }

    #[test]
    fn resolves_character_references_and_cdata() {
        let xml = statement_with(
            V02,
            &entry(
                "5.00",
                "<AcctSvcrRef>R&#45;1</AcctSvcrRef><NtryDtls><TxDtls><RmtInf>\
                 <Ustrd><![CDATA[FV/2026/11/<1>]]></Ustrd></RmtInf></TxDtls></NtryDtls>",
            ),
        );
        let statement = read(xml.as_bytes()).unwrap();
        let line = statement.credits.first().unwrap();
        assert_eq!(line.reference, "R-1");
        assert_eq!(line.title, "FV/2026/11/<1>");
    }
}
