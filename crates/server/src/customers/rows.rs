//! A checked customer as stored: the domain's details plus what the service decides (status,
//! sales point), mapped to the database's rows.

use chrono::{DateTime, Utc};
use okno_api_types::CustomerStatus;
use okno_api_types::customers::{CustomerPatch, NewCustomer, TaxIdInput};
use okno_db::customers::{
    CustomerChanges, CustomerColumns, CustomerRecord, NewCustomerRow, search_text,
};
use okno_domain::customers::{CustomerDetails, TaxId};

use crate::error::ApiResult;
use crate::stored_json::{decode, encode};
use crate::time::to_db;

/// A customer that keeps the rules, ready to be stored.
#[derive(Debug, Clone)]
pub struct CustomerData {
    pub details: CustomerDetails,
    pub status: CustomerStatus,
    pub sales_point_id: Option<i64>,
}

impl CustomerData {
    fn columns(&self) -> ApiResult<CustomerColumns> {
        let d = &self.details;
        Ok(CustomerColumns {
            first_name: d.first_name.clone(),
            last_name: d.last_name.clone(),
            organisation_name: d.organisation_name.clone(),
            display_name: d.display_name(),
            tax_id_scheme: d.tax_id.as_ref().map(TaxId::scheme),
            tax_id: d.tax_id.as_ref().map(|t| t.value().to_owned()),
            segment: d.segment,
            preferred_language: d.preferred_language,
            status: self.status,
            sales_point_id: self.sales_point_id,
            emails: encode(&d.emails)?,
            phones: encode(&d.phones)?,
            addresses: encode(&d.addresses)?,
            notes: d.notes.clone(),
            search_text: d.search_text(),
        })
    }

    pub fn new_row(&self, created_by: &str, now: DateTime<Utc>) -> ApiResult<NewCustomerRow> {
        Ok(NewCustomerRow {
            kind: self.details.kind,
            columns: self.columns()?,
            created_by: created_by.into(),
            created_at: to_db(now),
            updated_at: to_db(now),
            version: 1,
        })
    }

    pub fn changes(&self, account_number: &str, now: DateTime<Utc>) -> ApiResult<CustomerChanges> {
        let mut columns = self.columns()?;
        columns.search_text = search_text(account_number, &columns.search_text);
        Ok(CustomerChanges {
            columns,
            updated_at: to_db(now),
        })
    }
}

/// The stored customer with a patch applied, as the input it would take to create it: the
/// whole customer is checked anew, since its rules depend on each other.
pub fn patched_input(record: &CustomerRecord, patch: CustomerPatch) -> ApiResult<NewCustomer> {
    let CustomerPatch {
        version: _,
        status: _,
        first_name,
        last_name,
        organisation_name,
        tax_id,
        segment,
        preferred_language,
        sales_point_id,
        emails,
        phones,
        addresses,
        notes,
    } = patch;
    let stored_tax_id = record.tax_id.clone().map(|value| TaxIdInput {
        scheme: record.tax_id_scheme,
        value,
    });
    Ok(NewCustomer {
        kind: record.kind,
        first_name: first_name.unwrap_or_else(|| record.first_name.clone()),
        last_name: last_name.unwrap_or_else(|| record.last_name.clone()),
        organisation_name: organisation_name.unwrap_or_else(|| record.organisation_name.clone()),
        tax_id: tax_id.unwrap_or(stored_tax_id),
        segment: segment.or(Some(record.segment)),
        preferred_language: preferred_language.or(Some(record.preferred_language)),
        sales_point_id: sales_point_id.unwrap_or(record.sales_point_id),
        emails: emails.map_or_else(|| decode(&record.emails), Ok)?,
        phones: phones.map_or_else(|| decode(&record.phones), Ok)?,
        addresses: addresses.map_or_else(|| decode(&record.addresses), Ok)?,
        notes: notes.unwrap_or_else(|| record.notes.clone()),
    })
}
