//! `/customers`: registering, finding and editing customers; the card
//! read is audited.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use okno_api_types::customers::{
    Address, Customer, CustomerPatch, CustomerQuery, CustomerSummary, EmailEntry, NewCustomer,
    PhoneEntry, TaxIdInput, TaxIdView,
};
use okno_api_types::{
    CustomerKind, CustomerStatus, ErrorCode, Language, Page, Problem, Segment, TaxIdScheme,
};
use okno_db::auth::CabinetAccountRecord;
use okno_db::customers::{
    CustomerChanges, CustomerFilter, CustomerListPosition, CustomerRecord, NewCustomerRow,
};
use okno_db::reference::SalesPointRecord;
use okno_db::{DbConnection, DbError};
use okno_domain::customers::{
    Email, MAX_CONTACT_ENTRIES, NAME_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS, Phone, TaxId,
    display_name, validate_postal_code,
};
use okno_domain::search::{SearchQuery, document};

use crate::audit;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::extract::{Json, Query};
use crate::pagination::{decode_cursor, encode_cursor, fetch_size, limit, page};
use crate::state::AppState;
use crate::stored_json::{decode, encode};
use crate::time::{from_db, to_db};
use crate::validation::Validator;

const CURSOR: &str = "customers";
const NOTES_MAX_CHARS: usize = 4000;
const LABEL_MAX_CHARS: usize = 40;

/// A customer's data after validation, ready to be stored.
#[derive(Debug, Clone)]
pub struct CustomerData {
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_name: Option<String>,
    pub tax_id: Option<TaxId>,
    pub segment: Segment,
    pub preferred_language: Language,
    pub status: CustomerStatus,
    pub sales_point_id: Option<i64>,
    pub emails: Vec<EmailEntry>,
    pub phones: Vec<PhoneEntry>,
    pub parsed_phones: Vec<Phone>,
    pub addresses: Vec<Address>,
    pub notes: Option<String>,
}

impl CustomerData {
    fn display_name(&self) -> String {
        display_name(
            self.kind,
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.organisation_name.as_deref(),
        )
    }

    /// Everything the customer is found by except the account number, which the database adds
    /// when it assigns one.
    fn search_text(&self) -> String {
        let address_texts: Vec<String> = self
            .addresses
            .iter()
            .map(|a| format!("{} {} {} {}", a.street, a.building, a.postal_code, a.city))
            .collect();
        let texts = [
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.organisation_name.as_deref(),
            self.tax_id.as_ref().map(TaxId::value),
        ]
        .into_iter()
        .flatten()
        .chain(self.emails.iter().map(|e| e.value.as_str()))
        .chain(address_texts.iter().map(String::as_str));
        document(texts, &self.parsed_phones)
    }

    fn json(&self) -> ApiResult<(String, String, String)> {
        Ok((
            encode(&self.emails)?,
            encode(&self.phones)?,
            encode(&self.addresses)?,
        ))
    }

    pub fn new_row(
        &self,
        created_by: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ApiResult<NewCustomerRow> {
        let (emails, phones, addresses) = self.json()?;
        Ok(NewCustomerRow {
            kind: self.kind.as_str().into(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            organisation_name: self.organisation_name.clone(),
            display_name: self.display_name(),
            tax_id_scheme: self.tax_id.as_ref().map(|t| t.scheme().as_str().to_owned()),
            tax_id: self.tax_id.as_ref().map(|t| t.value().to_owned()),
            segment: self.segment.as_str().into(),
            preferred_language: self.preferred_language.as_str().into(),
            status: self.status.as_str().into(),
            sales_point_id: self.sales_point_id,
            emails,
            phones,
            addresses,
            notes: self.notes.clone(),
            search_text: self.search_text(),
            created_by: created_by.into(),
            created_at: to_db(now),
            updated_at: to_db(now),
            version: 1,
        })
    }

    fn changes(
        &self,
        account_number: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ApiResult<CustomerChanges> {
        let (emails, phones, addresses) = self.json()?;
        Ok(CustomerChanges {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            organisation_name: self.organisation_name.clone(),
            display_name: self.display_name(),
            tax_id_scheme: self.tax_id.as_ref().map(|t| t.scheme().as_str().to_owned()),
            tax_id: self.tax_id.as_ref().map(|t| t.value().to_owned()),
            segment: self.segment.as_str().into(),
            preferred_language: self.preferred_language.as_str().into(),
            status: self.status.as_str().into(),
            sales_point_id: self.sales_point_id,
            emails,
            phones,
            addresses,
            notes: self.notes.clone(),
            // Same layout as on insert: the account number first.
            search_text: format!("{account_number} | {}", self.search_text()),
            updated_at: to_db(now),
        })
    }
}

/// Checks a customer as a whole: the rules depend on each other (an organisation needs a tax
/// id, a person a first and last name).
pub fn validate(v: &mut Validator, input: &NewCustomer, status: CustomerStatus) -> CustomerData {
    let mut person_name = |field: &str, value: &Option<String>| match input.kind {
        CustomerKind::Person => {
            Some(v.text(field, value.as_deref().unwrap_or_default(), NAME_MAX_CHARS))
        }
        CustomerKind::Organisation => v.optional_text(field, value.as_deref(), NAME_MAX_CHARS),
    };
    let first_name = person_name("first_name", &input.first_name);
    let last_name = person_name("last_name", &input.last_name);
    let organisation_name = match input.kind {
        CustomerKind::Organisation => Some(v.text(
            "organisation_name",
            input.organisation_name.as_deref().unwrap_or_default(),
            ORGANISATION_NAME_MAX_CHARS,
        )),
        CustomerKind::Person => {
            if input
                .organisation_name
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty())
            {
                v.fail(
                    "organisation_name",
                    "not_allowed",
                    "only organisations have one",
                );
            }
            None
        }
    };
    let tax_id = match &input.tax_id {
        Some(TaxIdInput { scheme, value }) => {
            let scheme = scheme.unwrap_or(TaxIdScheme::PlNip);
            let code = match scheme {
                TaxIdScheme::PlNip => "nip_invalid",
                TaxIdScheme::RuInn => "inn_invalid",
                TaxIdScheme::Other => "invalid_value",
            };
            v.check("tax_id.value", code, TaxId::parse(scheme, value))
        }
        None => {
            if input.kind == CustomerKind::Organisation {
                v.fail("tax_id", "required", "an organisation has a tax id");
            }
            None
        }
    };
    let emails = validate_emails(v, &input.emails);
    let (phones, parsed_phones) = validate_phones(v, &input.phones);
    let addresses = validate_addresses(v, &input.addresses);
    let notes = v.optional_text("notes", input.notes.as_deref(), NOTES_MAX_CHARS);
    CustomerData {
        kind: input.kind,
        first_name,
        last_name,
        organisation_name,
        tax_id,
        segment: input.segment.unwrap_or(match input.kind {
            CustomerKind::Person => Segment::Household,
            CustomerKind::Organisation => Segment::Business,
        }),
        preferred_language: input.preferred_language.unwrap_or(Language::Pl),
        status,
        sales_point_id: input.sales_point_id,
        emails,
        phones,
        parsed_phones,
        addresses,
        notes,
    }
}

fn too_many<T>(v: &mut Validator, field: &str, entries: &[T]) {
    if entries.len() > MAX_CONTACT_ENTRIES {
        v.fail(
            field,
            "too_many",
            format!("at most {MAX_CONTACT_ENTRIES} entries"),
        );
    }
}

pub fn validate_emails(v: &mut Validator, entries: &[EmailEntry]) -> Vec<EmailEntry> {
    too_many(v, "emails", entries);
    let mut seen = Vec::new();
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let email = v.check(
                format!("emails[{i}].value"),
                "invalid_email",
                Email::parse(&entry.value),
            )?;
            if seen.contains(&email) {
                v.fail(format!("emails[{i}].value"), "duplicate", "is listed twice");
            }
            seen.push(email.clone());
            let label = v.optional_text(
                &format!("emails[{i}].label"),
                entry.label.as_deref(),
                LABEL_MAX_CHARS,
            );
            Some(EmailEntry {
                value: email.to_string(),
                label,
            })
        })
        .collect()
}

pub fn validate_phones(v: &mut Validator, entries: &[PhoneEntry]) -> (Vec<PhoneEntry>, Vec<Phone>) {
    too_many(v, "phones", entries);
    let mut parsed: Vec<Phone> = Vec::new();
    let mut phones = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(phone) = v.check(
            format!("phones[{i}].value"),
            "invalid_phone",
            Phone::parse(&entry.value),
        ) else {
            continue;
        };
        if parsed
            .iter()
            .any(|p| p.national_digits() == phone.national_digits())
        {
            v.fail(format!("phones[{i}].value"), "duplicate", "is listed twice");
        }
        let label = v.optional_text(
            &format!("phones[{i}].label"),
            entry.label.as_deref(),
            LABEL_MAX_CHARS,
        );
        phones.push(PhoneEntry {
            value: phone.display().to_owned(),
            label,
        });
        parsed.push(phone);
    }
    (phones, parsed)
}

fn validate_addresses(v: &mut Validator, entries: &[Address]) -> Vec<Address> {
    too_many(v, "addresses", entries);
    entries
        .iter()
        .enumerate()
        .map(|(i, a)| validate_address(v, &format!("addresses[{i}]"), a))
        .collect()
}

/// Checks one address; `prefix` is its path in the request (`addresses[0]`).
pub fn validate_address(v: &mut Validator, prefix: &str, a: &Address) -> Address {
    let field = |name: &str| format!("{prefix}.{name}");
    let country = a.country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        v.fail(
            field("country"),
            "invalid_value",
            "an ISO 3166 two-letter code, e.g. PL",
        );
    }
    let postal_code = v
        .check(
            field("postal_code"),
            "invalid_postal_code",
            validate_postal_code(&country, &a.postal_code),
        )
        .unwrap_or_default();
    Address {
        kind: a.kind,
        street: v.text(&field("street"), &a.street, 200),
        building: v.text(&field("building"), &a.building, 20),
        apartment: v.optional_text(&field("apartment"), a.apartment.as_deref(), 20),
        postal_code,
        city: v.text(&field("city"), &a.city, 100),
        country,
    }
}

/// The customer as a full card.
pub fn to_card(record: CustomerRecord, cabinet_active: bool) -> ApiResult<Customer> {
    let tax_id = match (record.tax_id_scheme, record.tax_id) {
        (Some(scheme), Some(value)) => {
            let formatted = TaxId::parse(scheme, &value)
                .map(|t| t.to_string())
                .unwrap_or_else(|_| value.clone());
            Some(TaxIdView {
                scheme,
                value,
                formatted,
            })
        }
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

fn to_summary(record: CustomerRecord) -> ApiResult<CustomerSummary> {
    let phones: Vec<PhoneEntry> = decode(&record.phones)?;
    let emails: Vec<EmailEntry> = decode(&record.emails)?;
    let addresses: Vec<Address> = decode(&record.addresses)?;
    let address = addresses
        .iter()
        .find(|a| a.kind == okno_api_types::AddressKind::Residence)
        .or_else(|| addresses.first())
        .map(Address::one_line);
    let tax_id = match (record.tax_id_scheme, record.tax_id) {
        (Some(scheme), Some(value)) => Some(
            TaxId::parse(scheme, &value)
                .map(|t| t.to_string())
                .unwrap_or(value),
        ),
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

/// The stored customer, as the input it would take to create it again: the base a PATCH is
/// applied to before the whole customer is validated anew.
fn as_input(record: &CustomerRecord) -> ApiResult<NewCustomer> {
    Ok(NewCustomer {
        kind: record.kind,
        first_name: record.first_name.clone(),
        last_name: record.last_name.clone(),
        organisation_name: record.organisation_name.clone(),
        tax_id: record.tax_id.clone().map(|value| TaxIdInput {
            scheme: record.tax_id_scheme,
            value,
        }),
        segment: Some(record.segment),
        preferred_language: Some(record.preferred_language),
        sales_point_id: record.sales_point_id,
        emails: decode(&record.emails)?,
        phones: decode(&record.phones)?,
        addresses: decode(&record.addresses)?,
        notes: record.notes.clone(),
    })
}

pub fn find_customer(conn: &mut DbConnection, id: i64) -> ApiResult<CustomerRecord> {
    CustomerRecord::find(conn, id)
        .or_not_found(ErrorCode::CustomerNotFound, format!("customer {id}"))
}

pub fn cabinet_active(conn: &mut DbConnection, customer_id: i64) -> ApiResult<bool> {
    Ok(CabinetAccountRecord::find(conn, customer_id)?.is_some_and(|a| a.active))
}

fn check_sales_point(
    conn: &mut DbConnection,
    v: &mut Validator,
    sales_point_id: Option<i64>,
) -> ApiResult<()> {
    if let Some(id) = sales_point_id
        && !SalesPointRecord::exists(conn, id)?
    {
        v.fail(
            "sales_point_id",
            "unknown_reference",
            format!("there is no sales point {id}"),
        );
    }
    Ok(())
}

/// Registers a customer: validation, account number, audit, in one transaction.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &NewCustomer,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Customer> {
    let mut v = Validator::new();
    let mut data = validate(&mut v, input, CustomerStatus::Prospect);
    data.sales_point_id = data.sales_point_id.or(principal.sales_point_id);
    okno_db::write_transaction(conn, |conn| {
        check_sales_point(conn, &mut v, input.sales_point_id)?;
        v.finish()?;
        let record =
            CustomerRecord::create(conn, &data.new_row(&principal.recorded_by().label, now)?)?;
        audit::record(
            conn,
            principal,
            "customer.create",
            Some(record.id),
            None,
            now,
        )?;
        to_card(record, false)
    })
}

fn describe_filter(query: &CustomerQuery) -> String {
    let mut parts = Vec::new();
    if let Some(q) = &query.q {
        parts.push(format!("q={q}"));
    }
    if let Some(status) = query.status {
        parts.push(format!("status={status}"));
    }
    if let Some(segment) = query.segment {
        parts.push(format!("segment={segment}"));
    }
    if let Some(kind) = query.kind {
        parts.push(format!("kind={kind}"));
    }
    if let Some(sales_point_id) = query.sales_point_id {
        parts.push(format!("sales_point_id={sales_point_id}"));
    }
    parts.join(" ")
}

fn decode_position(cursor: Option<&str>) -> ApiResult<Option<CustomerListPosition>> {
    cursor
        .map(|cursor| {
            let key = decode_cursor(cursor, CURSOR)?;
            let (id, display_name) = key.split_once(':').ok_or_else(|| {
                ApiError::field("cursor", "invalid_value", "is not a cursor of this list")
            })?;
            let id = id.parse().map_err(|_| {
                ApiError::field("cursor", "invalid_value", "is not a cursor of this list")
            })?;
            Ok(CustomerListPosition {
                display_name: display_name.to_owned(),
                id,
            })
        })
        .transpose()
}

/// Find customers by account number, any part of a name, phone (spaces and country prefix
/// ignored), e-mail, address or tax id; or list them by status, segment, kind and sales
/// point. Ordered by name. The search is audited.
#[utoipa::path(
    tag = "customers",
    params(CustomerQuery),
    responses((status = 200, body = Page<CustomerSummary>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers")]
pub async fn list_customers(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    query: Query<CustomerQuery>,
) -> ApiResult<web::Json<Page<CustomerSummary>>> {
    let query = query.into_inner()?;
    let limit = limit(query.limit)?;
    let after = decode_position(query.cursor.as_deref())?;
    let terms = match &query.q {
        Some(q) => SearchQuery::parse(q)
            .map_err(|e| ApiError::field("q", "invalid_search", e.to_string()))?
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
    let detail = describe_filter(&query);
    let now = state.now();
    let principal = auth.principal;
    let rows = state
        .run(move |conn| {
            let rows = CustomerRecord::list(conn, &filter, after.as_ref(), fetch_size(limit))?;
            audit::record(conn, &principal, "customer.search", None, Some(detail), now)?;
            Ok(rows)
        })
        .await?;
    let cursor_of =
        |c: &CustomerRecord| encode_cursor(&format!("{CURSOR}:{}:{}", c.id, c.display_name));
    let page = page(rows, limit, cursor_of, to_summary);
    let items = page.items.into_iter().collect::<ApiResult<Vec<_>>>()?;
    Ok(web::Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// Register a customer. The account number is assigned here.
#[utoipa::path(
    tag = "customers",
    request_body = NewCustomer,
    responses((status = 201, body = Customer), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[post("/customers")]
pub async fn create_customer(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    body: Json<NewCustomer>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .run(move |conn| create(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(customer))
}

/// The customer card. Every read is written to the audit log with the reader and the purpose
/// given in the `X-Access-Purpose` header.
#[utoipa::path(
    tag = "customers",
    params(
        ("id" = i64, Path, description = "Customer id"),
        ("X-Access-Purpose" = Option<String>, Header, description = "Why the card is opened; recorded in the audit log"),
    ),
    responses((status = 200, body = Customer), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    req: HttpRequest,
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Customer>> {
    let id = id.into_inner();
    let purpose = audit::purpose_of(&req);
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .run(move |conn| {
            let record = find_customer(conn, id)?;
            let cabinet = cabinet_active(conn, id)?;
            audit::record(conn, &principal, "customer.read", Some(id), purpose, now)?;
            to_card(record, cabinet)
        })
        .await?;
    Ok(web::Json(customer))
}

/// Applies a patch to a stored customer and validates the result as a whole.
pub fn apply_patch(
    v: &mut Validator,
    record: &CustomerRecord,
    patch: CustomerPatch,
) -> ApiResult<CustomerData> {
    let mut input = as_input(record)?;
    let CustomerPatch {
        version: _,
        first_name,
        last_name,
        organisation_name,
        tax_id,
        segment,
        preferred_language,
        status,
        sales_point_id,
        emails,
        phones,
        addresses,
        notes,
    } = patch;
    if let Some(value) = first_name {
        input.first_name = value;
    }
    if let Some(value) = last_name {
        input.last_name = value;
    }
    if let Some(value) = organisation_name {
        input.organisation_name = value;
    }
    if let Some(value) = tax_id {
        input.tax_id = value;
    }
    if let Some(value) = sales_point_id {
        input.sales_point_id = value;
    }
    if let Some(value) = notes {
        input.notes = value;
    }
    input.segment = segment.or(input.segment);
    input.preferred_language = preferred_language.or(input.preferred_language);
    input.emails = emails.unwrap_or(input.emails);
    input.phones = phones.unwrap_or(input.phones);
    input.addresses = addresses.unwrap_or(input.addresses);
    Ok(validate(v, &input, status.unwrap_or(record.status)))
}

/// Stores a validated change if the customer is still at `version`; on a conflict the answer
/// carries the fresh card.
pub fn store_change(
    conn: &mut DbConnection,
    record: &CustomerRecord,
    version: i64,
    data: &CustomerData,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<CustomerRecord> {
    let changes = data.changes(&record.account_number, now)?;
    CustomerRecord::update(conn, record.id, version, &changes).map_err(|e| match e {
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

/// Change a customer. Send the `version` you read; if someone changed the customer since,
/// the answer is `409 version_conflict` with the fresh card in `current`. Lists given replace
/// the whole list; `null` clears a field.
#[utoipa::path(
    tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = CustomerPatch,
    responses(
        (status = 200, body = Customer),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("customers_write"))),
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    auth: Authorized<perm::CustomersWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CustomerPatch>,
) -> ApiResult<web::Json<Customer>> {
    let id = id.into_inner();
    let patch = body.into_inner()?;
    let changed = changed_fields(&patch);
    let now = state.now();
    let principal = auth.principal;
    let customer = state
        .write(move |conn| {
            let record = find_customer(conn, id)?;
            let version = patch.version;
            let mut v = Validator::new();
            let new_sales_point = patch.sales_point_id.flatten();
            let data = apply_patch(&mut v, &record, patch)?;
            check_sales_point(conn, &mut v, new_sales_point)?;
            v.finish()?;
            let updated = store_change(conn, &record, version, &data, now)?;
            audit::record(
                conn,
                &principal,
                "customer.update",
                Some(id),
                Some(changed),
                now,
            )?;
            let cabinet = cabinet_active(conn, id)?;
            to_card(updated, cabinet)
        })
        .await?;
    Ok(web::Json(customer))
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
