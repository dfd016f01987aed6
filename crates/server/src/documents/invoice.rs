//! The invoice and the correction note as printed (R-24..R-27): in the customer's language,
//! with totals per VAT rate and a payment slip; printed again at any time, and as a
//! duplicate when asked.

use chrono::NaiveDate;
use okno_api_types::Language;
use okno_api_types::billing::{Invoice, InvoiceKind, InvoiceLine, InvoiceParty};
use okno_domain::format;

use super::pdf::{Align, Layout};
use super::texts::{fill, texts};
use crate::error::ApiError;

struct Words {
    invoice: &'static str,
    correction: &'static str,
    number: &'static str,
    duplicate: &'static str,
    issue_date: &'static str,
    sale_date: &'static str,
    period: &'static str,
    due_date: &'static str,
    corrects: &'static str,
    reason: &'static str,
    lines: &'static str,
    description: &'static str,
    net: &'static str,
    vat_rate: &'static str,
    vat: &'static str,
    gross: &'static str,
    before: &'static str,
    after: &'static str,
    change: &'static str,
    by_rate: &'static str,
    to_pay: &'static str,
    to_refund: &'static str,
    slip: &'static str,
    recipient: &'static str,
    bank_account: &'static str,
    amount: &'static str,
    title: &'static str,
    refund_note: &'static str,
}

const EN: Words = Words {
    invoice: "VAT invoice",
    correction: "Correction note",
    number: "No.",
    duplicate: "DUPLICATE issued on {date}",
    issue_date: "Issued on",
    sale_date: "Date of sale",
    period: "Billing period",
    due_date: "Due by",
    corrects: "Corrects invoice",
    reason: "Reason for the correction",
    lines: "Items",
    description: "Description",
    net: "Net",
    vat_rate: "VAT rate",
    vat: "VAT",
    gross: "Gross",
    before: "Net before",
    after: "Net after",
    change: "Net change",
    by_rate: "By VAT rate",
    to_pay: "Amount due",
    to_refund: "Amount credited",
    slip: "Payment by bank transfer",
    recipient: "Pay to",
    bank_account: "Account",
    amount: "Amount",
    title: "Transfer title",
    refund_note: "The amount is credited to your customer account.",
};

const PL: Words = Words {
    invoice: "Faktura VAT",
    correction: "Faktura korygująca",
    number: "nr",
    duplicate: "DUPLIKAT z dnia {date}",
    issue_date: "Data wystawienia",
    sale_date: "Data sprzedaży",
    period: "Okres rozliczeniowy",
    due_date: "Termin płatności",
    corrects: "Korygowana faktura",
    reason: "Przyczyna korekty",
    lines: "Pozycje",
    description: "Nazwa",
    net: "Netto",
    vat_rate: "Stawka VAT",
    vat: "VAT",
    gross: "Brutto",
    before: "Netto przed",
    after: "Netto po",
    change: "Zmiana netto",
    by_rate: "Według stawek VAT",
    to_pay: "Do zapłaty",
    to_refund: "Do zwrotu",
    slip: "Polecenie przelewu",
    recipient: "Odbiorca",
    bank_account: "Numer rachunku",
    amount: "Kwota",
    title: "Tytuł przelewu",
    refund_note: "Kwota zostanie zaliczona na Twoje konto klienta.",
};

const RU: Words = Words {
    invoice: "Счёт-фактура",
    correction: "Корректировочный счёт-фактура",
    number: "№",
    duplicate: "ДУБЛИКАТ от {date}",
    issue_date: "Дата выставления",
    sale_date: "Дата продажи",
    period: "Расчётный период",
    due_date: "Оплатить до",
    corrects: "Корректируемый счёт",
    reason: "Причина корректировки",
    lines: "Позиции",
    description: "Наименование",
    net: "Без НДС",
    vat_rate: "Ставка НДС",
    vat: "НДС",
    gross: "С НДС",
    before: "До",
    after: "После",
    change: "Изменение",
    by_rate: "По ставкам НДС",
    to_pay: "К оплате",
    to_refund: "К возврату",
    slip: "Платёжное поручение",
    recipient: "Получатель",
    bank_account: "Счёт получателя",
    amount: "Сумма",
    title: "Назначение платежа",
    refund_note: "Сумма будет зачислена на ваш лицевой счёт.",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::Pl => &PL,
        Language::Ru => &RU,
    }
}

fn rate(vat_rate_bp: i32) -> String {
    format!("{} %", vat_rate_bp / 100)
}

fn party(layout: &mut Layout, heading: &str, party: &InvoiceParty, language: Language) {
    let t = texts(language);
    let w = words(language);
    layout.heading(heading);
    layout.paragraph(&party.name);
    let mut facts = vec![(t.address, party.address.clone())];
    if let Some(tax_id) = &party.tax_id {
        facts.push((t.tax_id, tax_id.clone()));
    }
    if let Some(account) = &party.account_number {
        facts.push((t.account_number, account.clone()));
    }
    if let Some(bank) = &party.bank_account {
        facts.push((w.bank_account, bank.clone()));
    }
    layout.facts(&facts);
}

fn lines_table(layout: &mut Layout, invoice: &Invoice, language: Language) {
    let w = words(language);
    let money = |minor: i64| format::money(minor, &invoice.currency, language);
    let correction = invoice.kind == InvoiceKind::Correction;
    let rows: Vec<Vec<String>> = invoice
        .lines
        .iter()
        .map(|line: &InvoiceLine| {
            let mut row = vec![line.position.to_string(), line.description.clone()];
            if correction {
                row.push(money(line.net_before_minor.unwrap_or(0)));
                row.push(money(line.net_after_minor.unwrap_or(0)));
            }
            row.extend([
                money(line.net_minor),
                rate(line.vat_rate_bp),
                money(line.vat_minor),
                money(line.gross_minor),
            ]);
            row
        })
        .collect();
    if correction {
        layout.table(
            &[
                "#",
                w.description,
                w.before,
                w.after,
                w.change,
                w.vat_rate,
                w.vat,
                w.gross,
            ],
            &[0.04, 0.32, 0.1, 0.1, 0.11, 0.08, 0.1, 0.15],
            &[
                Align::Right,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            &rows,
        );
    } else {
        layout.table(
            &["#", w.description, w.net, w.vat_rate, w.vat, w.gross],
            &[0.05, 0.47, 0.13, 0.09, 0.12, 0.14],
            &[
                Align::Right,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            &rows,
        );
    }
}

/// The invoice or correction note as a PDF; `duplicate_on` prints it as a duplicate issued
/// that day.
pub fn invoice_pdf(
    invoice: &Invoice,
    duplicate_on: Option<NaiveDate>,
) -> Result<Vec<u8>, ApiError> {
    let language = invoice.language;
    let t = texts(language);
    let w = words(language);
    let date = |d: NaiveDate| format::date(d, language);
    let money = |minor: i64| format::money(minor, &invoice.currency, language);
    let title = if invoice.kind == InvoiceKind::Correction {
        w.correction
    } else {
        w.invoice
    };
    let mut layout = Layout::new(format!(
        "{} · {title} {} {}",
        t.footer, w.number, invoice.number
    ));
    layout.title(&format!("{title} {} {}", w.number, invoice.number));
    if let Some(on) = duplicate_on {
        layout.subtitle(&fill(w.duplicate, &[("date", &date(on))]));
    }
    let mut facts = vec![
        (w.issue_date, date(invoice.issue_date)),
        (w.sale_date, date(invoice.sale_date)),
    ];
    if let (Some(start), Some(end)) = (invoice.period_start, invoice.period_end) {
        facts.push((w.period, format!("{} – {}", date(start), date(end))));
    }
    if let Some(corrects) = &invoice.corrects {
        facts.push((w.corrects, corrects.number.clone()));
    }
    if let Some(reason) = &invoice.correction_reason {
        facts.push((w.reason, reason.clone()));
    }
    if invoice.gross_minor > 0 {
        facts.push((w.due_date, date(invoice.due_date)));
    }
    layout.facts(&facts);
    party(&mut layout, t.seller, &invoice.seller, language);
    party(&mut layout, t.customer, &invoice.buyer, language);
    layout.heading(w.lines);
    lines_table(&mut layout, invoice, language);
    layout.heading(w.by_rate);
    let by_rate: Vec<Vec<String>> = invoice
        .vat_totals
        .iter()
        .map(|total| {
            vec![
                rate(total.vat_rate_bp),
                money(total.net_minor),
                money(total.vat_minor),
                money(total.gross_minor),
            ]
        })
        .collect();
    layout.table(
        &[w.vat_rate, w.net, w.vat, w.gross],
        &[0.25, 0.25, 0.25, 0.25],
        &[Align::Left, Align::Right, Align::Right, Align::Right],
        &by_rate,
    );
    if invoice.gross_minor >= 0 {
        layout.total(w.to_pay, &money(invoice.gross_minor));
        if invoice.gross_minor > 0 {
            layout.heading(w.slip);
            layout.facts(&[
                (w.recipient, invoice.seller.name.clone()),
                (
                    w.bank_account,
                    invoice.seller.bank_account.clone().unwrap_or_default(),
                ),
                (w.amount, money(invoice.gross_minor)),
                (w.title, invoice.payment_title.clone()),
                (w.due_date, date(invoice.due_date)),
            ]);
        }
    } else {
        layout.total(w.to_refund, &money(-invoice.gross_minor));
        layout.paragraph(w.refund_note);
    }
    layout.render()
}
