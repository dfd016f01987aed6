//! The documents a contract produces: built from the contract as it is when issued,
//! rendered in the customer's language, and kept as issued.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::customers::Address;
use okno_db::DbConnection;
use okno_db::contracts::{ContractRecord, SubscriptionRecord, SubscriptionTariffRecord};
use okno_db::customers::CustomerRecord;
use okno_db::documents::{DocumentRecord, NewDocumentRow};
use okno_db::tariffs::TariffVersionRecord;
use okno_domain::contracts::{ContractStatus, DocumentKind, is_distance_channel};
use okno_domain::customers::{AddressKind, TaxId};
use okno_domain::tariffs::{OneOffFee, version_in_force};

use crate::audit;
use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::documents;
use crate::documents::{ContractPaper, Party, ServiceLine};
use crate::error::{ApiError, ApiResult};
use crate::stored_json::decode;
use crate::time::to_db;

pub fn customer_party(customer: &CustomerRecord) -> ApiResult<Party> {
    let addresses: Vec<Address> = decode(&customer.addresses)?;
    let address = addresses
        .iter()
        .find(|a| a.kind == AddressKind::Residence)
        .or_else(|| addresses.first())
        .map(Address::one_line)
        .unwrap_or_default();
    let tax_id = match (customer.tax_id_scheme, &customer.tax_id) {
        (Some(scheme), Some(value)) => {
            Some(TaxId::parse(scheme, value).map_or_else(|_| value.clone(), |t| t.to_string()))
        }
        _ => None,
    };
    Ok(Party {
        name: customer.display_name.clone(),
        address,
        tax_id,
        account_number: Some(customer.account_number.clone()),
    })
}

/// The contract as printed on `on`: its services at the tariffs in force then (or at the start,
/// for a contract that has not started).
pub fn paper(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    contract: &ContractRecord,
    on: chrono::NaiveDate,
) -> ApiResult<ContractPaper> {
    let reference = on.max(contract.start_date);
    let customer = CustomerRecord::find(conn, contract.customer_id)?;
    let subscriptions = SubscriptionRecord::of_contract(conn, contract.id)?;
    let ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
    let tariffs = SubscriptionTariffRecord::of_subscriptions(conn, &ids)?;
    let mut services = Vec::new();
    for subscription in &subscriptions {
        let own: Vec<_> = tariffs
            .iter()
            .filter(|(t, _, _)| t.subscription_id == subscription.id)
            .collect();
        let current = own
            .iter()
            .rev()
            .find(|(t, _, _)| t.effective_from <= reference)
            .or_else(|| own.first());
        let Some((period, _, name)) = current else {
            continue;
        };
        let versions = TariffVersionRecord::of_tariff(conn, period.tariff_id)?;
        let Some(version) = version_in_force(&versions, |v| v.effective_from, reference)
            .or_else(|| versions.first())
        else {
            continue;
        };
        let fees: Vec<OneOffFee> = decode(&version.one_off_fees)?;
        let address: Address = decode(&subscription.service_address)?;
        services.push(ServiceLine {
            tariff: name.clone(),
            address: address.one_line(),
            meter: subscription.meter_number.clone(),
            monthly_fee_minor: version.monthly_fee_minor,
            one_off_minor: fees.iter().map(|f| f.amount_minor).sum(),
            vat_rate_bp: version.vat_rate_bp,
            currency: version.currency.clone(),
        });
    }
    Ok(ContractPaper {
        language: customer.preferred_language,
        number: contract.number.clone(),
        operator: Party::operator(operator),
        customer: customer_party(&customer)?,
        distance: is_distance_channel(contract.channel),
        concluded_on: contract.signed_on.unwrap_or(contract.start_date),
        start_date: contract.start_date,
        end_date: contract.end_date,
        services,
        draft: contract.status == ContractStatus::Draft,
    })
}

/// A draft printed for the customer to read before signing: rendered from the draft
/// as it stands, marked as a draft, and not kept. A contract past its draft has its
/// documents instead. Reading it is audited, as reading a contract is.
pub fn draft_pdf(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<(String, Vec<u8>)> {
    let contract = super::view::find_contract(conn, id)?;
    if contract.status != ContractStatus::Draft {
        return Err(ApiError::Conflict(
            ErrorCode::IllegalTransition,
            format!(
                "a {} contract is printed from its documents; only a draft is printed as one",
                contract.status
            ),
            Vec::new(),
        ));
    }
    audit::record_access(
        conn,
        principal,
        "contract.draft_pdf",
        Some(contract.customer_id),
        Some(contract.number.clone()),
        now,
    )?;
    let printed = paper(conn, operator, &contract, now.date_naive())?;
    let pdf = documents::contract(&printed)?;
    Ok((format!("draft {}", contract.number), pdf))
}

/// Keeps an issued document.
pub fn keep(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    paper: &ContractPaper,
    kind: DocumentKind,
    pdf: Vec<u8>,
    issued_by: &str,
    now: DateTime<Utc>,
) -> ApiResult<DocumentRecord> {
    let title = format!(
        "{} {}",
        document_title(kind, paper.language),
        contract.number
    );
    Ok(DocumentRecord::insert(
        conn,
        NewDocumentRow {
            customer_id: contract.customer_id,
            contract_id: Some(contract.id),
            kind,
            title,
            language: paper.language,
            issued_at: to_db(now),
            issued_by: issued_by.into(),
            content: pdf,
            complaint_id: None,
        },
    )?)
}

pub fn document_title(kind: DocumentKind, language: okno_api_types::Language) -> &'static str {
    use okno_api_types::Language::{En, Pl, Ru};
    match (kind, language) {
        (DocumentKind::Contract, En) => "Contract",
        (DocumentKind::Contract, Pl) => "Umowa",
        (DocumentKind::Contract, Ru) => "Договор",
        (DocumentKind::WithdrawalStatement, En) => "Statement of withdrawal from",
        (DocumentKind::WithdrawalStatement, Pl) => "Oświadczenie o odstąpieniu od umowy",
        (DocumentKind::WithdrawalStatement, Ru) => "Заявление об отказе от договора",
        (DocumentKind::TermsChangeNotice, En) => "Notice of changed terms of",
        (DocumentKind::TermsChangeNotice, Pl) => "Zawiadomienie o zmianie warunków umowy",
        (DocumentKind::TermsChangeNotice, Ru) => "Уведомление об изменении условий договора",
        (DocumentKind::TerminationStatement, En) => "Termination of",
        (DocumentKind::TerminationStatement, Pl) => "Rozwiązanie umowy",
        (DocumentKind::TerminationStatement, Ru) => "Расторжение договора",
        (DocumentKind::ComplaintAcknowledgement, En) => "Confirmation of receipt of complaint",
        (DocumentKind::ComplaintAcknowledgement, Pl) => "Potwierdzenie przyjęcia reklamacji",
        (DocumentKind::ComplaintAcknowledgement, Ru) => "Подтверждение получения претензии",
        (DocumentKind::ComplaintAnswer, En) => "Answer to complaint",
        (DocumentKind::ComplaintAnswer, Pl) => "Odpowiedź na reklamację",
        (DocumentKind::ComplaintAnswer, Ru) => "Ответ на претензию",
    }
}
