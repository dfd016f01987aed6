//! The receipt of a payment taken at a sales point or registered otherwise: in the
//! customer's language, with the operator's data and what the payment settled.

use chrono::NaiveDateTime;
use okno_api_types::Language;
use okno_api_types::payments::{Payment, PaymentMethod};
use okno_domain::format;

use super::Party;
use super::pdf::{Align, Layout};
use super::texts::{fill, texts};
use crate::error::ApiError;

/// What the receipt says of where the payment was taken, besides the payment itself.
#[derive(Debug, Clone)]
pub struct ReceiptFacts {
    pub operator: Party,
    pub customer_name: String,
    pub language: Language,
    /// The sales point of the till it went into.
    pub sales_point: Option<String>,
    pub received_at: NaiveDateTime,
}

struct Words {
    title: &'static str,
    received_at: &'static str,
    method: &'static str,
    amount: &'static str,
    taken_by: &'static str,
    sales_point: &'static str,
    reference: &'static str,
    settled: &'static str,
    document: &'static str,
    other_debt: &'static str,
    credit: &'static str,
    reversed: &'static str,
    methods: [&'static str; 5],
}

const EN: Words = Words {
    title: "Payment receipt",
    received_at: "Received on",
    method: "Paid by",
    amount: "Amount",
    taken_by: "Taken by",
    sales_point: "Sales point",
    reference: "Reference",
    settled: "What the payment settled",
    document: "Document",
    other_debt: "Earlier charges",
    credit: "Left in your favour for the next invoice",
    reversed: "REVERSED on {date}: {reason}",
    methods: [
        "cash",
        "bank transfer",
        "card",
        "online payment",
        "prepaid card",
    ],
};

const PL: Words = Words {
    title: "Potwierdzenie wpłaty",
    received_at: "Data wpłaty",
    method: "Forma płatności",
    amount: "Kwota",
    taken_by: "Przyjął(-ęła)",
    sales_point: "Punkt obsługi",
    reference: "Tytuł",
    settled: "Co wpłata rozliczyła",
    document: "Dokument",
    other_debt: "Wcześniejsze należności",
    credit: "Nadpłata na poczet kolejnej faktury",
    reversed: "STORNO z dnia {date}: {reason}",
    methods: [
        "gotówka",
        "przelew",
        "karta",
        "płatność online",
        "karta przedpłacona",
    ],
};

const RU: Words = Words {
    title: "Квитанция об оплате",
    received_at: "Дата оплаты",
    method: "Способ оплаты",
    amount: "Сумма",
    taken_by: "Принял(а)",
    sales_point: "Пункт обслуживания",
    reference: "Назначение",
    settled: "Что погашено платежом",
    document: "Документ",
    other_debt: "Прежняя задолженность",
    credit: "Переплата в счёт следующего счёта",
    reversed: "СТОРНИРОВАН {date}: {reason}",
    methods: [
        "наличные",
        "банковский перевод",
        "карта",
        "онлайн-оплата",
        "карта предоплаты",
    ],
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::Pl => &PL,
        Language::Ru => &RU,
    }
}

/// How a payment was made, in `language` (receipts, messages to customers).
pub fn method_in(language: Language, method: PaymentMethod) -> &'static str {
    method_name(words(language), method)
}

fn method_name(w: &Words, method: PaymentMethod) -> &'static str {
    let index = match method {
        PaymentMethod::Cash => 0,
        PaymentMethod::Transfer => 1,
        PaymentMethod::Card => 2,
        PaymentMethod::Online => 3,
        PaymentMethod::PrepaidCard => 4,
    };
    w.methods.get(index).copied().unwrap_or_default()
}

/// The receipt's number: the payment's, in its own series.
pub fn receipt_number(payment: &Payment) -> String {
    format!("KP/{}/{:06}", payment.received_at.format("%Y"), payment.id)
}

pub fn receipt_pdf(payment: &Payment, facts: &ReceiptFacts) -> Result<Vec<u8>, ApiError> {
    let language = facts.language;
    let t = texts(language);
    let w = words(language);
    let money = |minor: i64| format::money(minor, &payment.currency, language);
    let number = receipt_number(payment);
    let mut layout = Layout::new(format!("{} · {} {number}", t.footer, w.title));
    layout.title(&format!("{} {number}", w.title));
    if let Some(reversal) = &payment.reversal {
        layout.subtitle(&fill(
            w.reversed,
            &[
                (
                    "date",
                    &format::date(reversal.reversed_at.date_naive(), language),
                ),
                ("reason", &reversal.reason),
            ],
        ));
    }
    let mut lines = vec![
        (
            w.received_at,
            format::date_time(facts.received_at, language),
        ),
        (w.method, method_name(w, payment.method).to_owned()),
        (w.amount, money(payment.amount_minor)),
        (w.taken_by, payment.registered_by.clone()),
    ];
    if let Some(point) = &facts.sales_point {
        lines.push((w.sales_point, point.clone()));
    }
    if let Some(reference) = &payment.payer_reference {
        lines.push((w.reference, reference.clone()));
    }
    layout.facts(&lines);
    layout.heading(t.seller);
    layout.paragraph(&facts.operator.name);
    let mut operator = vec![(t.address, facts.operator.address.clone())];
    if let Some(tax_id) = &facts.operator.tax_id {
        operator.push((t.tax_id, tax_id.clone()));
    }
    layout.facts(&operator);
    layout.heading(t.customer);
    layout.paragraph(&facts.customer_name);
    layout.facts(&[(t.account_number, payment.account_number.clone())]);
    layout.heading(w.settled);
    let rows: Vec<Vec<String>> = payment
        .allocations
        .iter()
        .map(|a| {
            vec![
                a.invoice
                    .as_ref()
                    .map_or_else(|| w.other_debt.to_owned(), |i| i.number.clone()),
                money(a.amount_minor),
            ]
        })
        .collect();
    layout.table(
        &[w.document, w.amount],
        &[0.7, 0.3],
        &[Align::Left, Align::Right],
        &rows,
    );
    if payment.credit_minor > 0 {
        layout.total(w.credit, &money(payment.credit_minor));
    }
    layout.render()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use okno_api_types::billing::InvoiceRef;
    use okno_api_types::payments::PaymentAllocation;

    use super::*;
    use crate::config::OperatorDetails;

    #[test]
    fn a_receipt_renders_in_every_language() {
        let at: DateTime<Utc> = "2026-12-05T10:15:00Z".parse().unwrap();
        let payment = Payment {
            id: 17,
            customer_id: 1,
            account_number: "100000017".into(),
            amount_minor: 20_000,
            currency: "PLN".into(),
            method: PaymentMethod::Cash,
            payer_reference: Some("FV/2026/11/000001".into()),
            external_reference: None,
            received_at: at,
            registered_by: "Kasjer Demo".into(),
            registered_at: at,
            allocations: vec![PaymentAllocation {
                invoice: Some(InvoiceRef {
                    id: 1,
                    number: "FV/2026/11/000001".into(),
                }),
                amount_minor: 6_149,
            }],
            credit_minor: 13_851,
            reversal: None,
            till_id: Some(3),
            receipt_url: "/api/v1/payments/17/receipt".into(),
        };
        assert_eq!(receipt_number(&payment), "KP/2026/000017");
        for language in [Language::En, Language::Pl, Language::Ru] {
            let facts = ReceiptFacts {
                operator: Party::operator(&OperatorDetails::default()),
                customer_name: "Łukasz Żółkiewski".into(),
                language,
                sales_point: Some("Punkt Warszawa Centrum".into()),
                received_at: at.naive_utc(),
            };
            let pdf = receipt_pdf(&payment, &facts).unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
        }
    }
}
