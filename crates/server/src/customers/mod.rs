//! Customers: registering, finding and changing them, with their consents
//! and contact history. The rules are `okno_domain::customers`; this is the
//! service that applies them, stores the result and audits it, for the handlers in
//! `routes/customers.rs`, `routes/cabinet.rs` and the other features that name a customer.

pub mod consents;
pub mod interactions;
mod rows;
mod view;

use chrono::{DateTime, Utc};
use okno_api_types::cabinet::ProfilePatch;
use okno_api_types::customers::{
    Address, Customer, CustomerPatch, CustomerQuery, CustomerSummary, EmailEntry, NewCustomer,
    PhoneEntry, PossibleDuplicate,
};
use okno_api_types::{CustomerStatus, ErrorCode, Page};
use okno_db::auth::CabinetAccountRecord;
use okno_db::customers::{CustomerFilter, CustomerListPosition, CustomerRecord};
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::customers::{DuplicateReason, Identity, check_customer};
use okno_domain::search::SearchQuery;
use okno_domain::validation::{FieldErrorCode, Validator};

pub use rows::CustomerData;
pub use view::{to_card, to_summary};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::pagination::{decode_cursor, encode_cursor, fetch_size, limit, page};
use crate::reference::check_sales_point;
use crate::stored_json::decode;

const CURSOR: &str = "customers";

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<CustomerRecord> {
    CustomerRecord::find(conn, id)
        .or_not_found(ErrorCode::CustomerNotFound, format!("customer {id}"))
}

/// The customer a request names in `field`: one that does not exist is a field error, not a
/// missing resource.
pub fn find_referenced(conn: &mut DbConnection, field: &str, id: i64) -> ApiResult<CustomerRecord> {
    CustomerRecord::find(conn, id).map_err(|error| match error {
        DbError::NotFound => ApiError::field(
            field,
            FieldErrorCode::UnknownReference,
            format!("there is no customer {id}"),
        ),
        other => other.into(),
    })
}

pub fn cabinet_active(conn: &mut DbConnection, customer_id: i64) -> ApiResult<bool> {
    Ok(CabinetAccountRecord::find(conn, customer_id)?.is_some_and(|a| a.active))
}

/// Applies the customer rules to `input`, recording every broken one in `v`.
pub fn check(
    v: &mut Validator,
    input: &NewCustomer,
    status: CustomerStatus,
    sales_point_id: Option<i64>,
) -> CustomerData {
    CustomerData {
        details: check_customer(v, input.as_input()),
        status,
        sales_point_id,
    }
}

/// Candidates of a duplicate check per key: enough for any real family of records.
const DUPLICATE_CANDIDATES: i64 = 20;
/// Most likely duplicates answered.
const MAX_DUPLICATES: usize = 10;

/// Registered customers who are probably the customer `data` describes, with why (R-01,
/// the same tax id, phone or e-mail, or the same name at the same address.
fn likely_duplicates(
    conn: &mut DbConnection,
    data: &CustomerData,
) -> ApiResult<Vec<(CustomerRecord, Vec<DuplicateReason>)>> {
    let details = &data.details;
    let wanted = Identity::new(
        details.tax_id.as_ref().map(|t| t.value()),
        &details.display_name(),
        &details.phones,
        &details.emails,
        &details.addresses,
    );
    let mut found = Vec::new();
    for record in CustomerRecord::containing_any(conn, &wanted.search_keys(), DUPLICATE_CANDIDATES)?
    {
        let stored = Identity::new(
            record.tax_id.as_deref(),
            &record.display_name,
            &decode::<Vec<PhoneEntry>>(&record.phones)?,
            &decode::<Vec<EmailEntry>>(&record.emails)?,
            &decode::<Vec<Address>>(&record.addresses)?,
        );
        let reasons = wanted.reasons(&stored);
        if !reasons.is_empty() {
            found.push((record, reasons));
        }
    }
    found.truncate(MAX_DUPLICATES);
    Ok(found)
}

/// "000123456 (phone, e-mail)", for the audit log and the refusal.
fn describe_duplicates(found: &[(CustomerRecord, Vec<DuplicateReason>)]) -> String {
    found
        .iter()
        .map(|(record, reasons)| {
            let why: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
            format!("{} ({})", record.account_number, why.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The registered customers who are probably the one `input` describes, before registering
/// it; its details are checked as registering would. The customers shown are audited.
pub fn duplicates(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewCustomer,
    now: DateTime<Utc>,
) -> ApiResult<Vec<PossibleDuplicate>> {
    let mut v = Validator::new();
    let data = check(&mut v, input, CustomerStatus::Prospect, None);
    // Checked as registering checks it, the sales point included.
    check_sales_point(conn, &mut v, input.sales_point_id)?;
    v.finish()?;
    let found = likely_duplicates(conn, &data)?;
    audit::record_read(
        conn,
        principal,
        "customer.duplicates",
        found.iter().map(|(record, _)| record.id),
        now,
    )?;
    found
        .into_iter()
        .map(|(record, reasons)| {
            Ok(PossibleDuplicate {
                customer: to_summary(record)?,
                reasons,
            })
        })
        .collect()
}

/// Registers a customer: checked, numbered and audited in one transaction. A customer
/// registered without a sales point belongs to the registering user's. With
/// `check_duplicates` a likely duplicate refuses it (`409 possible_duplicate`); without, the
/// likely duplicates go into the audit record, so registering one anyway is on record.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewCustomer,
    check_duplicates: bool,
    now: DateTime<Utc>,
) -> ApiResult<Customer> {
    let mut v = Validator::new();
    let data = check(
        &mut v,
        input,
        CustomerStatus::Prospect,
        input.sales_point_id.or(principal.sales_point_id),
    );
    write_transaction(conn, |conn| {
        check_sales_point(conn, &mut v, input.sales_point_id)?;
        v.finish()?;
        let found = likely_duplicates(conn, &data)?;
        if check_duplicates && !found.is_empty() {
            return Err(ApiError::Conflict(
                ErrorCode::PossibleDuplicate,
                format!(
                    "probably registered already: {}",
                    describe_duplicates(&found)
                ),
                Vec::new(),
            ));
        }
        let record =
            CustomerRecord::create(conn, data.new_row(&principal.recorded_by().label, now)?)?;
        let detail = (!found.is_empty()).then(|| {
            format!(
                "registered beside likely duplicates: {}",
                describe_duplicates(&found)
            )
        });
        audit::record(
            conn,
            principal,
            "customer.create",
            Some(record.id),
            detail,
            now,
        )?;
        to_card(record, false)
    })
}

/// customers found by whatever the caller knows, or listed by their attributes, a
/// page at a time, ordered by name. The search is audited.
pub fn search(
    conn: &mut DbConnection,
    principal: &Principal,
    query: &CustomerQuery,
    now: DateTime<Utc>,
) -> ApiResult<Page<CustomerSummary>> {
    let limit = limit(query.limit)?;
    let after = decode_position(query.cursor.as_deref())?;
    let terms = match &query.q {
        Some(q) => SearchQuery::parse(q)
            .map_err(|e| ApiError::field("q", FieldErrorCode::InvalidSearch, e))?
            .terms()
            .to_vec(),
        None => Vec::new(),
    };
    let filter = CustomerFilter {
        terms,
        status: query.status,
        segment: query.segment,
        kind: query.kind,
        sales_point_id: query.sales_point_id,
    };
    let rows = CustomerRecord::list(conn, &filter, after.as_ref(), fetch_size(limit))?;
    audit::record_access(
        conn,
        principal,
        "customer.search",
        None,
        Some(describe_filter(query)),
        now,
    )?;
    let cursor_of =
        |c: &CustomerRecord| encode_cursor(&format!("{CURSOR}:{}:{}", c.id, c.display_name));
    let page = page(rows, limit, cursor_of, to_summary);
    Ok(Page {
        items: page.items.into_iter().collect::<ApiResult<Vec<_>>>()?,
        next_cursor: page.next_cursor,
    })
}

fn describe_filter(query: &CustomerQuery) -> String {
    let parts = [
        query.q.as_ref().map(|q| format!("q={q}")),
        query.status.map(|s| format!("status={s}")),
        query.segment.map(|s| format!("segment={s}")),
        query.kind.map(|k| format!("kind={k}")),
        query
            .sales_point_id
            .map(|id| format!("sales_point_id={id}")),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

fn decode_position(cursor: Option<&str>) -> ApiResult<Option<CustomerListPosition>> {
    let invalid = || {
        ApiError::field(
            "cursor",
            FieldErrorCode::InvalidValue,
            "is not a cursor of this list",
        )
    };
    cursor
        .map(|cursor| {
            let key = decode_cursor(cursor, CURSOR)?;
            let (id, display_name) = key.split_once(':').ok_or_else(invalid)?;
            Ok(CustomerListPosition {
                display_name: display_name.to_owned(),
                id: id.parse().map_err(|_| invalid())?,
            })
        })
        .transpose()
}

/// the card, with its read written to the audit log with the reader's purpose.
pub fn card(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Customer> {
    let (record, cabinet) = CustomerRecord::find_with_cabinet(conn, id)
        .or_not_found(ErrorCode::CustomerNotFound, format!("customer {id}"))?;
    audit::record_read(conn, principal, "customer.read", [id], now)?;
    to_card(record, cabinet)
}

/// A staff member changes a customer: the patch applied to the stored customer, checked as
/// a whole, stored against the version read.
pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    patch: CustomerPatch,
    now: DateTime<Utc>,
) -> ApiResult<Customer> {
    let changed = changed_fields(&patch);
    write_transaction(conn, |conn| {
        let record = find(conn, id)?;
        let version = patch.version;
        let status = patch.status.unwrap_or(record.status);
        let new_sales_point = patch.sales_point_id.flatten();
        let input = rows::patched_input(&record, patch)?;
        let mut v = Validator::new();
        let data = check(&mut v, &input, status, input.sales_point_id);
        check_sales_point(conn, &mut v, new_sales_point)?;
        v.finish()?;
        let updated = store_change(conn, &record, version, &data, now)?;
        audit::record(
            conn,
            principal,
            "customer.update",
            Some(id),
            Some(changed),
            now,
        )?;
        to_card(updated, cabinet_active(conn, id)?)
    })
}

/// The card as subscribers see it: without the operator's internal notes.
pub fn own_card(conn: &mut DbConnection, id: i64) -> ApiResult<Customer> {
    let record = find(conn, id)?;
    let mut card = to_card(record, cabinet_active(conn, id)?)?;
    card.notes = None;
    Ok(card)
}

/// A subscriber changes their own e-mails, phones or language.
pub fn update_own(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    profile: ProfilePatch,
    now: DateTime<Utc>,
) -> ApiResult<Customer> {
    let ProfilePatch {
        version,
        emails,
        phones,
        preferred_language,
    } = profile;
    let patch = CustomerPatch {
        version,
        emails,
        phones,
        preferred_language,
        ..CustomerPatch::default()
    };
    write_transaction(conn, |conn| {
        let record = find(conn, id)?;
        let input = rows::patched_input(&record, patch)?;
        let mut v = Validator::new();
        let data = check(&mut v, &input, record.status, record.sales_point_id);
        v.finish()?;
        store_change(conn, &record, version, &data, now)?;
        audit::record(
            conn,
            principal,
            "customer.update",
            Some(id),
            Some("by the subscriber".into()),
            now,
        )?;
        own_card(conn, id)
    })
}

/// Stores a checked change if the customer is still at `version`; on a conflict the answer
/// carries the fresh card.
fn store_change(
    conn: &mut DbConnection,
    record: &CustomerRecord,
    version: i64,
    data: &CustomerData,
    now: DateTime<Utc>,
) -> ApiResult<CustomerRecord> {
    let changes = data.changes(&record.account_number, now)?;
    CustomerRecord::update(conn, record.id, version, changes).map_err(|e| match e {
        DbError::Stale => match (
            CustomerRecord::find(conn, record.id),
            cabinet_active(conn, record.id),
        ) {
            (Ok(current), Ok(cabinet)) => ApiError::VersionConflict(
                to_card(current, cabinet)
                    .ok()
                    .and_then(|c| serde_json::to_value(c).ok()),
            ),
            _ => ApiError::VersionConflict(None),
        },
        other => other.into(),
    })
}

/// The names of the fields a patch touches, for the audit log.
fn changed_fields(patch: &CustomerPatch) -> String {
    match serde_json::to_value(patch) {
        Ok(serde_json::Value::Object(fields)) => fields
            .keys()
            .filter(|k| k.as_str() != "version")
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}
