//! Okno's printable documents: the contract, the customer's statement of withdrawal
//! and the notice of changed terms, in the customer's language, kept as issued.

pub mod complaint;
pub mod invoice;
pub mod pdf;
pub mod receipt;
mod texts;

use chrono::NaiveDate;
use okno_api_types::Language;
use okno_domain::format;

use self::pdf::{Align, Layout};
use self::texts::{fill, texts};
use crate::config::OperatorDetails;
use crate::error::ApiError;

/// A stored document as the API shows it: staff and subscribers download it at different
/// addresses.
pub fn view(
    record: okno_db::documents::DocumentRecord,
    subscriber: bool,
) -> okno_api_types::contracts::Document {
    let pdf_url = if subscriber {
        format!("/api/v1/me/documents/{}/pdf", record.id)
    } else {
        format!("/api/v1/documents/{}/pdf", record.id)
    };
    okno_api_types::contracts::Document {
        id: record.id,
        customer_id: record.customer_id,
        contract_id: record.contract_id,
        complaint_id: record.complaint_id,
        kind: record.kind,
        title: record.title,
        language: record.language,
        issued_at: crate::time::from_db(record.issued_at),
        issued_by: record.issued_by,
        pdf_url,
    }
}

/// A party to a document as printed: frozen when the document is issued.
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub address: String,
    pub tax_id: Option<String>,
    pub account_number: Option<String>,
}

impl Party {
    pub fn operator(details: &OperatorDetails) -> Self {
        Self {
            name: details.name.clone(),
            address: details.address.clone(),
            tax_id: Some(details.tax_id.clone()),
            account_number: None,
        }
    }
}

/// A service of the contract as printed.
#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub tariff: String,
    pub address: String,
    pub meter: Option<String>,
    pub monthly_fee_minor: i64,
    pub one_off_minor: i64,
    pub vat_rate_bp: i32,
    pub currency: String,
}

#[derive(Debug, Clone)]
pub struct ContractPaper {
    pub language: Language,
    pub number: String,
    pub operator: Party,
    pub customer: Party,
    pub distance: bool,
    pub concluded_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub services: Vec<ServiceLine>,
    /// A draft printed for the customer to read before signing: marked as such.
    pub draft: bool,
}

fn party_facts(layout: &mut Layout, heading: &str, party: &Party, language: Language) {
    let t = texts(language);
    layout.heading(heading);
    let mut facts = vec![(t.address, party.address.clone())];
    if let Some(tax_id) = &party.tax_id {
        facts.push((t.tax_id, tax_id.clone()));
    }
    if let Some(account) = &party.account_number {
        facts.push((t.account_number, account.clone()));
    }
    layout.paragraph(&party.name);
    layout.facts(&facts);
}

fn services_table(layout: &mut Layout, services: &[ServiceLine], language: Language) {
    let t = texts(language);
    let rows: Vec<Vec<String>> = services
        .iter()
        .map(|s| {
            let address = match &s.meter {
                Some(meter) => format!("{} ({} {meter})", s.address, t.meter),
                None => s.address.clone(),
            };
            vec![
                s.tariff.clone(),
                address,
                format::money(s.monthly_fee_minor, &s.currency, language),
                format::money(s.one_off_minor, &s.currency, language),
                format!("{} %", f64::from(s.vat_rate_bp) / 100.0),
            ]
        })
        .collect();
    layout.table(
        &[
            t.service,
            t.service_address,
            t.monthly_fee,
            t.one_off_fees,
            t.vat,
        ],
        &[0.2, 0.31, 0.19, 0.19, 0.11],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
    );
}

/// The contract as the customer signs it.
pub fn contract(paper: &ContractPaper) -> Result<Vec<u8>, ApiError> {
    let language = paper.language;
    let t = texts(language);
    let date = |d: NaiveDate| format::date(d, language);
    let mut layout = Layout::new(format!(
        "{} · {} {}",
        t.footer, t.contract_number, paper.number
    ));
    if paper.draft {
        layout.title(&format!("{} · {}", t.draft_mark, t.contract_title));
        layout.subtitle(&format!("{} {}", t.contract_number, paper.number));
        layout.paragraph(t.draft_note);
    } else {
        layout.title(t.contract_title);
        layout.subtitle(&format!("{} {}", t.contract_number, paper.number));
    }
    let concluded = if paper.draft {
        t.not_signed.to_owned()
    } else {
        date(paper.concluded_on)
    };
    let term = match paper.end_date {
        Some(end) => fill(
            t.from_to,
            &[("from", &date(paper.start_date)), ("to", &date(end))],
        ),
        None => fill(t.indefinite, &[("from", &date(paper.start_date))]),
    };
    layout.facts(&[
        (t.concluded_on, concluded),
        (
            t.concluded_by,
            if paper.distance {
                t.channel_distance
            } else {
                t.channel_premises
            }
            .to_owned(),
        ),
        (t.term, term),
    ]);
    party_facts(&mut layout, t.seller, &paper.operator, language);
    party_facts(&mut layout, t.customer, &paper.customer, language);
    layout.heading(t.services);
    services_table(&mut layout, &paper.services, language);
    for clause in t.clauses {
        layout.paragraph(clause);
    }
    if paper.distance {
        layout.paragraph(t.withdrawal_clause);
    }
    layout.signatures(t.signature_customer, t.signature_seller);
    layout.render()
}

/// The customer's statement of withdrawal.
pub fn withdrawal_statement(
    paper: &ContractPaper,
    made_on: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let language = paper.language;
    let t = texts(language);
    let mut layout = Layout::new(format!(
        "{} · {} {}",
        t.footer, t.contract_number, paper.number
    ));
    layout.title(t.withdrawal_title);
    layout.facts(&[(t.statement_made, format::date(made_on, language))]);
    party_facts(&mut layout, t.customer, &paper.customer, language);
    party_facts(&mut layout, t.seller, &paper.operator, language);
    layout.space(8.0);
    layout.paragraph(&fill(
        t.withdrawal_body,
        &[
            ("number", &paper.number),
            ("date", &format::date(paper.concluded_on, language)),
        ],
    ));
    services_table(&mut layout, &paper.services, language);
    layout.signatures(t.signature_customer, t.signature_seller);
    layout.render()
}

/// The operator's notice of changed terms, which opens the customer's withdrawal window.
pub fn terms_change_notice(
    paper: &ContractPaper,
    description: &str,
    effective_from: NaiveDate,
    withdraw_until: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let language = paper.language;
    let t = texts(language);
    let mut layout = Layout::new(format!(
        "{} · {} {}",
        t.footer, t.contract_number, paper.number
    ));
    layout.title(t.terms_title);
    party_facts(&mut layout, t.customer, &paper.customer, language);
    layout.space(8.0);
    layout.paragraph(&fill(t.terms_body, &[("number", &paper.number)]));
    layout.paragraph(description);
    layout.facts(&[(t.terms_effective, format::date(effective_from, language))]);
    layout.paragraph(&fill(
        t.terms_right,
        &[("date", &format::date(withdraw_until, language))],
    ));
    layout.signatures("", t.signature_seller);
    layout.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample(language: Language) -> ContractPaper {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        ContractPaper {
            language,
            number: "UM/2026/000017".into(),
            operator: Party::operator(&OperatorDetails::default()),
            customer: Party {
                name: "Łukasz Żółkiewski".into(),
                address: "ul. Źródlana 5/3, 00-238 Warszawa".into(),
                tax_id: None,
                account_number: Some("100000017".into()),
            },
            distance: true,
            concluded_on: day(11, 23),
            start_date: day(12, 1),
            end_date: Some(NaiveDate::from_ymd_opt(2028, 11, 30).unwrap()),
            services: vec![ServiceLine {
                tariff: "Światłowód 600".into(),
                address: "ul. Źródlana 5/3, 00-238 Warszawa".into(),
                meter: None,
                monthly_fee_minor: 6_999,
                one_off_minor: 9_900,
                vat_rate_bp: 2300,
                currency: "PLN".into(),
            }],
            draft: false,
        }
    }

    #[test]
    fn every_document_renders_in_every_language() {
        for language in [Language::En, Language::Pl, Language::Ru] {
            let paper = sample(language);
            let day = paper.concluded_on;
            let draft = ContractPaper {
                draft: true,
                ..paper.clone()
            };
            for pdf in [
                contract(&paper).unwrap(),
                contract(&draft).unwrap(),
                withdrawal_statement(&paper, day).unwrap(),
                terms_change_notice(&paper, "Nowa cena abonamentu: 74,99 zł netto.", day, day)
                    .unwrap(),
            ] {
                assert!(pdf.starts_with(b"%PDF-"));
            }
            if let Ok(dir) = std::env::var("OKNO_SAMPLE_PDF_DIR") {
                std::fs::write(
                    format!("{dir}/contract-{language}.pdf"),
                    contract(&paper).unwrap(),
                )
                .unwrap();
            }
        }
    }
}
