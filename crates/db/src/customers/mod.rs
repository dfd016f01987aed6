//! Customers, their consents and disclosures of their data.

use diesel::prelude::*;
use okno_domain::contacts::{Channel, ConsentPurpose};
use okno_domain::customers::{
    AccountNumber, CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme,
};

use crate::schema::{cabinet_accounts, consents, customers, disclosures};
use crate::{DbConnection, DbError, DbResult, Stored, StoredOpt, Timestamp, sequences};

mod search;

const ACCOUNT_NUMBER_SEQUENCE: &str = "customer_account_number";

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct CustomerRecord {
    pub id: i64,
    pub account_number: String,
    #[diesel(deserialize_as = Stored<CustomerKind>)]
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_name: Option<String>,
    pub display_name: String,
    #[diesel(deserialize_as = StoredOpt<TaxIdScheme>)]
    pub tax_id_scheme: Option<TaxIdScheme>,
    pub tax_id: Option<String>,
    #[diesel(deserialize_as = Stored<Segment>)]
    pub segment: Segment,
    #[diesel(deserialize_as = Stored<Language>)]
    pub preferred_language: Language,
    #[diesel(deserialize_as = Stored<CustomerStatus>)]
    pub status: CustomerStatus,
    pub sales_point_id: Option<i64>,
    /// JSON array of e-mail entries.
    pub emails: String,
    /// JSON array of phone entries.
    pub phones: String,
    /// JSON array of addresses.
    pub addresses: String,
    pub notes: Option<String>,
    pub search_text: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// The columns a customer's details fill: written when the customer is registered and, all
/// of them, on every change (the search text depends on all of them together).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = customers, treat_none_as_null = true)]
pub struct CustomerColumns {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_name: Option<String>,
    pub display_name: String,
    #[diesel(serialize_as = StoredOpt<TaxIdScheme>)]
    pub tax_id_scheme: Option<TaxIdScheme>,
    pub tax_id: Option<String>,
    #[diesel(serialize_as = Stored<Segment>)]
    pub segment: Segment,
    #[diesel(serialize_as = Stored<Language>)]
    pub preferred_language: Language,
    #[diesel(serialize_as = Stored<CustomerStatus>)]
    pub status: CustomerStatus,
    pub sales_point_id: Option<i64>,
    /// JSON arrays of the e-mail entries, phone entries and addresses.
    pub emails: String,
    pub phones: String,
    pub addresses: String,
    pub notes: Option<String>,
    /// Everything the customer is found by; the account number is put in front of it.
    pub search_text: String,
}

/// A new customer; the account number is assigned on insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customers)]
pub struct NewCustomerRow {
    #[diesel(serialize_as = Stored<CustomerKind>)]
    pub kind: CustomerKind,
    #[diesel(embed)]
    pub columns: CustomerColumns,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// A full replacement of the editable columns, computed by the caller from the current record
/// and the requested changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = customers)]
pub struct CustomerChanges {
    #[diesel(embed)]
    pub columns: CustomerColumns,
    pub updated_at: Timestamp,
}

#[derive(Debug, Default, Clone)]
pub struct CustomerFilter {
    /// Folded terms that must all occur in the search text.
    pub terms: Vec<String>,
    pub status: Option<CustomerStatus>,
    pub segment: Option<Segment>,
    pub kind: Option<CustomerKind>,
    pub sales_point_id: Option<i64>,
}

/// Position in the customer list, which is ordered by display name, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerListPosition {
    pub display_name: String,
    pub id: i64,
}

/// Escapes `LIKE` wildcards in user input, so `50%` searches for itself.
pub(crate) fn like_contains(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The stored search text: the account number first, then everything else.
pub fn search_text(account_number: &str, rest: &str) -> String {
    format!("{account_number} | {rest}")
}

impl CustomerRecord {
    /// Inserts the customer with the next account number. Run it inside a write transaction,
    /// so the number is not consumed by a failed insert.
    pub fn create(conn: &mut DbConnection, row: NewCustomerRow) -> DbResult<Self> {
        let sequence = sequences::take_next(conn, ACCOUNT_NUMBER_SEQUENCE)?;
        let sequence = u64::try_from(sequence)
            .map_err(|_| DbError::Corrupt("negative account sequence".into()))?;
        let account_number = AccountNumber::from_sequence(sequence)
            .map_err(|e| DbError::Corrupt(e.to_string()))?
            .to_string();
        let mut row = row;
        row.columns.search_text = search_text(&account_number, &row.columns.search_text);
        diesel::insert_into(customers::table)
            .values((row, customers::account_number.eq(&account_number)))
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("account_number"))
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(customers::table.find(id).first(conn)?)
    }

    /// The customer and whether their cabinet account is active, in one round trip: what the
    /// card shows.
    pub fn find_with_cabinet(conn: &mut DbConnection, id: i64) -> DbResult<(Self, bool)> {
        let (record, active): (Self, Option<bool>) = customers::table
            .left_join(cabinet_accounts::table)
            .filter(customers::id.eq(id))
            .select((customers::all_columns, cabinet_accounts::active.nullable()))
            .first(conn)?;
        Ok((record, active.unwrap_or(false)))
    }

    /// The customers of `ids` that exist, in no particular order.
    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> DbResult<Vec<Self>> {
        let mut all = Vec::new();
        for chunk in ids.chunks(1_000) {
            all.extend(
                customers::table
                    .filter(customers::id.eq_any(chunk))
                    .load::<Self>(conn)?,
            );
        }
        Ok(all)
    }

    pub fn exists(conn: &mut DbConnection, id: i64) -> DbResult<bool> {
        Ok(diesel::select(diesel::dsl::exists(customers::table.find(id))).get_result(conn)?)
    }

    pub fn find_by_account_number(
        conn: &mut DbConnection,
        account_number: &str,
    ) -> DbResult<Option<Self>> {
        Ok(customers::table
            .filter(customers::account_number.eq(account_number))
            .first(conn)
            .optional()?)
    }

    /// Customers whose search document contains one of `keys` (folded), at most `limit`
    /// for each: the candidates of a duplicate check.
    pub fn containing_any(
        conn: &mut DbConnection,
        keys: &[String],
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        let mut found: Vec<Self> = Vec::new();
        for key in keys {
            let rows: Vec<Self> = customers::table
                .filter(customers::search_text.like(like_contains(key)).escape('\\'))
                .order(customers::id)
                .limit(limit)
                .load(conn)?;
            for row in rows {
                if !found.iter().any(|f| f.id == row.id) {
                    found.push(row);
                }
            }
        }
        Ok(found)
    }

    /// Customers matching `filter`, ordered by name, after `after`, at most `limit`.
    ///
    /// Without search terms the name index gives the page. With terms, the rows come from
    /// [`matching_ids`]; then they are read by id.
    pub fn list(
        conn: &mut DbConnection,
        filter: &CustomerFilter,
        after: Option<&CustomerListPosition>,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        if filter.terms.is_empty() {
            let mut query = customers::table
                .order((customers::display_name, customers::id))
                .limit(limit)
                .into_boxed();
            if let Some(status) = filter.status {
                query = query.filter(customers::status.eq(status.as_str()));
            }
            if let Some(segment) = filter.segment {
                query = query.filter(customers::segment.eq(segment.as_str()));
            }
            if let Some(kind) = filter.kind {
                query = query.filter(customers::kind.eq(kind.as_str()));
            }
            if let Some(sales_point_id) = filter.sales_point_id {
                query = query.filter(customers::sales_point_id.eq(sales_point_id));
            }
            if let Some(after) = after {
                query = query.filter(
                    customers::display_name.gt(after.display_name.clone()).or(
                        customers::display_name
                            .eq(after.display_name.clone())
                            .and(customers::id.gt(after.id)),
                    ),
                );
            }
            return Ok(query.load(conn)?);
        }
        let ids = search::matching_ids(conn, filter, after, limit)?;
        Ok(customers::table
            .filter(customers::id.eq_any(ids))
            .order((customers::display_name, customers::id))
            .load(conn)?)
    }

    /// Moves the customer from `from` to `to` status (a prospect becomes active with their
    /// first active contract); `false` if they were not in `from`.
    pub fn set_status_if(
        conn: &mut DbConnection,
        id: i64,
        from: CustomerStatus,
        to: CustomerStatus,
        now: Timestamp,
    ) -> DbResult<bool> {
        let changed = diesel::update(
            customers::table
                .find(id)
                .filter(customers::status.eq(from.as_str())),
        )
        .set((
            customers::status.eq(to.as_str()),
            customers::updated_at.eq(now),
            customers::version.eq(customers::version + 1),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Kinds of the given customers, for contract views.
    pub fn kinds_of(conn: &mut DbConnection, ids: &[i64]) -> DbResult<Vec<(i64, CustomerKind)>> {
        let rows: Vec<(i64, Stored<CustomerKind>)> = customers::table
            .filter(customers::id.eq_any(ids))
            .select((customers::id, customers::kind))
            .load(conn)?;
        Ok(rows.into_iter().map(|(id, kind)| (id, kind.0)).collect())
    }

    /// Applies `changes` if the customer is still at `version`; [`DbError::Stale`] otherwise.
    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i64,
        changes: CustomerChanges,
    ) -> DbResult<Self> {
        let updated = diesel::update(
            customers::table
                .find(id)
                .filter(customers::version.eq(version)),
        )
        .set((changes, customers::version.eq(customers::version + 1)))
        .get_result(conn)
        .optional()?;
        match updated {
            Some(customer) => Ok(customer),
            None => Err(crate::users::stale_or_missing(Self::find(conn, id))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ConsentRecord {
    pub id: i64,
    pub customer_id: i64,
    #[diesel(deserialize_as = Stored<ConsentPurpose>)]
    pub purpose: ConsentPurpose,
    pub granted_at: Timestamp,
    #[diesel(deserialize_as = Stored<Channel>)]
    pub granted_channel: Channel,
    pub granted_by: String,
    pub granted_by_user_id: Option<i64>,
    pub withdrawn_at: Option<Timestamp>,
    #[diesel(deserialize_as = StoredOpt<Channel>)]
    pub withdrawn_channel: Option<Channel>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_by_user_id: Option<i64>,
    pub note: Option<String>,
}

/// Who recorded a change: a staff user, or the customer themself in the cabinet.
#[derive(Debug, Clone)]
pub struct RecordedBy {
    pub label: String,
    pub user_id: Option<i64>,
}

impl ConsentRecord {
    /// Grants a consent; [`DbError::Duplicate`] if one for the purpose is in force.
    pub fn grant(
        conn: &mut DbConnection,
        customer_id: i64,
        purpose: ConsentPurpose,
        channel: Channel,
        by: &RecordedBy,
        note: Option<&str>,
        now: Timestamp,
    ) -> DbResult<Self> {
        diesel::insert_into(consents::table)
            .values((
                consents::customer_id.eq(customer_id),
                consents::purpose.eq(purpose.as_str()),
                consents::granted_at.eq(now),
                consents::granted_channel.eq(channel.as_str()),
                consents::granted_by.eq(&by.label),
                consents::granted_by_user_id.eq(by.user_id),
                consents::note.eq(note),
            ))
            .get_result(conn)
            .map_err(|e| DbError::from(e).duplicate_of("purpose"))
    }

    pub fn find(conn: &mut DbConnection, customer_id: i64, id: i64) -> DbResult<Self> {
        Ok(consents::table
            .find(id)
            .filter(consents::customer_id.eq(customer_id))
            .first(conn)?)
    }

    /// Withdraws a consent in force; `None` if it was withdrawn already.
    pub fn withdraw(
        conn: &mut DbConnection,
        id: i64,
        channel: Channel,
        by: &RecordedBy,
        note: Option<&str>,
        now: Timestamp,
    ) -> DbResult<Option<Self>> {
        let mut changes = diesel::update(
            consents::table
                .find(id)
                .filter(consents::withdrawn_at.is_null()),
        )
        .set((
            consents::withdrawn_at.eq(now),
            consents::withdrawn_channel.eq(channel.as_str()),
            consents::withdrawn_by.eq(&by.label),
            consents::withdrawn_by_user_id.eq(by.user_id),
        ))
        .get_result::<Self>(conn)
        .optional()?;
        if let (Some(consent), Some(note)) = (changes.as_mut(), note) {
            let combined = match &consent.note {
                Some(earlier) => format!("{earlier}\n{note}"),
                None => note.to_owned(),
            };
            diesel::update(consents::table.find(id))
                .set(consents::note.eq(&combined))
                .execute(conn)?;
            consent.note = Some(combined);
        }
        Ok(changes)
    }

    /// All consents of a customer, newest first: the grant and withdrawal history.
    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(consents::table
            .filter(consents::customer_id.eq(customer_id))
            .order((consents::granted_at.desc(), consents::id.desc()))
            .load(conn)?)
    }

    /// The consents in force of each of `customer_ids`.
    pub fn in_force_of(
        conn: &mut DbConnection,
        customer_ids: &[i64],
    ) -> DbResult<Vec<(i64, ConsentPurpose)>> {
        let mut all = Vec::new();
        for chunk in customer_ids.chunks(1_000) {
            let rows: Vec<(i64, Stored<ConsentPurpose>)> = consents::table
                .filter(consents::customer_id.eq_any(chunk))
                .filter(consents::withdrawn_at.is_null())
                .select((consents::customer_id, consents::purpose))
                .load(conn)?;
            all.extend(rows.into_iter().map(|(id, purpose)| (id, purpose.0)));
        }
        Ok(all)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct DisclosureRecord {
    pub id: i64,
    pub customer_id: i64,
    pub recipient: String,
    pub legal_basis: String,
    pub data_scope: String,
    pub protocol_reference: String,
    pub disclosed_at: Timestamp,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
    pub recorded_at: Timestamp,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = disclosures)]
pub struct NewDisclosureRow {
    pub customer_id: i64,
    pub recipient: String,
    pub legal_basis: String,
    pub data_scope: String,
    pub protocol_reference: String,
    pub disclosed_at: Timestamp,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<i64>,
    pub recorded_at: Timestamp,
}

impl DisclosureRecord {
    pub fn insert(conn: &mut DbConnection, row: &NewDisclosureRow) -> DbResult<Self> {
        Ok(diesel::insert_into(disclosures::table)
            .values(row)
            .get_result(conn)?)
    }

    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(disclosures::table
            .filter(disclosures::customer_id.eq(customer_id))
            .order((disclosures::disclosed_at.desc(), disclosures::id.desc()))
            .load(conn)?)
    }
}

#[cfg(test)]
mod tests {
    use super::like_contains;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains("kowal"), "%kowal%");
        assert_eq!(like_contains("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
