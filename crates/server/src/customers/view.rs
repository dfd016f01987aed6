//! Customers as the API shows them: the full card and a line of a list.

use okno_api_types::customers::{
    Address, Customer, CustomerSummary, EmailEntry, PhoneEntry, TaxIdView,
};
use okno_api_types::{AddressKind, TaxIdScheme};
use okno_db::customers::CustomerRecord;
use okno_domain::customers::TaxId;

use crate::error::ApiResult;
use crate::stored_json::decode;
use crate::time::from_db;

/// The customer as a full card.
pub fn to_card(record: CustomerRecord, cabinet_active: bool) -> ApiResult<Customer> {
    let tax_id = match (record.tax_id_scheme, record.tax_id) {
        (Some(scheme), Some(value)) => Some(TaxIdView {
            scheme,
            formatted: formatted_tax_id(scheme, &value),
            value,
        }),
        _ => None,
    };
    Ok(Customer {
        id: record.id,
        account_number: record.account_number,
        kind: record.kind,
        first_name: record.first_name,
        last_name: record.last_name,
        organisation_name: record.organisation_name,
        display_name: record.display_name,
        tax_id,
        segment: record.segment,
        preferred_language: record.preferred_language,
        status: record.status,
        sales_point_id: record.sales_point_id,
        emails: decode(&record.emails)?,
        phones: decode(&record.phones)?,
        addresses: decode(&record.addresses)?,
        notes: record.notes,
        cabinet_active,
        created_at: from_db(record.created_at),
        updated_at: from_db(record.updated_at),
        version: record.version,
    })
}

/// The customer as a line of a search result: the first phone and e-mail, the residence.
pub fn to_summary(record: CustomerRecord) -> ApiResult<CustomerSummary> {
    let phones: Vec<PhoneEntry> = decode(&record.phones)?;
    let emails: Vec<EmailEntry> = decode(&record.emails)?;
    let addresses: Vec<Address> = decode(&record.addresses)?;
    let address = addresses
        .iter()
        .find(|a| a.kind == AddressKind::Residence)
        .or_else(|| addresses.first())
        .map(Address::one_line);
    let tax_id = match (record.tax_id_scheme, record.tax_id) {
        (Some(scheme), Some(value)) => Some(formatted_tax_id(scheme, &value)),
        _ => None,
    };
    Ok(CustomerSummary {
        id: record.id,
        account_number: record.account_number,
        kind: record.kind,
        display_name: record.display_name,
        status: record.status,
        segment: record.segment,
        phone: phones.into_iter().next().map(|p| p.value),
        email: emails.into_iter().next().map(|e| e.value),
        address,
        tax_id,
    })
}

/// A stored tax id as it is usually printed; as stored if it no longer parses.
fn formatted_tax_id(scheme: TaxIdScheme, value: &str) -> String {
    TaxId::parse(scheme, value)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| value.to_owned())
}
