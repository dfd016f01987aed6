//! Issued documents, kept as issued so that every copy is the same document.

use diesel::prelude::*;
use okno_domain::contracts::DocumentKind;
use okno_domain::customers::Language;

use crate::schema::documents;
use crate::{DbConnection, DbResult, Stored, Timestamp};

/// A document without its content, for lists.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct DocumentRecord {
    pub id: i64,
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    #[diesel(deserialize_as = Stored<DocumentKind>)]
    pub kind: DocumentKind,
    pub title: String,
    #[diesel(deserialize_as = Stored<Language>)]
    pub language: Language,
    pub issued_at: Timestamp,
    pub issued_by: String,
    pub complaint_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocumentRow {
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    #[diesel(serialize_as = Stored<DocumentKind>)]
    pub kind: DocumentKind,
    pub title: String,
    #[diesel(serialize_as = Stored<Language>)]
    pub language: Language,
    pub issued_at: Timestamp,
    pub issued_by: String,
    pub content: Vec<u8>,
    pub complaint_id: Option<i64>,
}

type Columns = (
    documents::id,
    documents::customer_id,
    documents::contract_id,
    documents::kind,
    documents::title,
    documents::language,
    documents::issued_at,
    documents::issued_by,
    documents::complaint_id,
);

const COLUMNS: Columns = (
    documents::id,
    documents::customer_id,
    documents::contract_id,
    documents::kind,
    documents::title,
    documents::language,
    documents::issued_at,
    documents::issued_by,
    documents::complaint_id,
);

impl DocumentRecord {
    pub fn insert(conn: &mut DbConnection, row: NewDocumentRow) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(documents::table)
            .values(row)
            .returning(documents::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(documents::table.find(id).select(COLUMNS).first(conn)?)
    }

    /// The stored PDF.
    pub fn content(conn: &mut DbConnection, id: i64) -> DbResult<Vec<u8>> {
        Ok(documents::table
            .find(id)
            .select(documents::content)
            .first(conn)?)
    }

    pub fn of_customer(conn: &mut DbConnection, customer_id: i64) -> DbResult<Vec<Self>> {
        Ok(documents::table
            .filter(documents::customer_id.eq(customer_id))
            .order((documents::issued_at.desc(), documents::id.desc()))
            .select(COLUMNS)
            .load(conn)?)
    }

    pub fn of_complaint(conn: &mut DbConnection, complaint_id: i64) -> DbResult<Vec<Self>> {
        Ok(documents::table
            .filter(documents::complaint_id.eq(complaint_id))
            .order(documents::id)
            .select(COLUMNS)
            .load(conn)?)
    }

    pub fn of_contract(conn: &mut DbConnection, contract_id: i64) -> DbResult<Vec<Self>> {
        Ok(documents::table
            .filter(documents::contract_id.eq(contract_id))
            .order((documents::issued_at.desc(), documents::id.desc()))
            .select(COLUMNS)
            .load(conn)?)
    }
}
