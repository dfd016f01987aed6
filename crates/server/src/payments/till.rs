//! The cashier's till: opened per shift with a float at the cashier's sales point,
//! cash and card payments taken into it, closed with the cash counted and the difference
//! kept; the tills of a sales point are its manager's to read.

use chrono::{DateTime, Utc};
use okno_api_types::payments::{NewTill, Till, TillClosing, TillQuery};
use okno_api_types::{ErrorCode, Page, Role};
use okno_db::DbConnection;
use okno_db::reference::SalesPointRecord;
use okno_db::tills::{NewTillRow, TillClosingRow, TillFilter, TillRecord};
use okno_db::users::UserRecord;
use okno_db::write_transaction;
use okno_domain::money::is_valid_currency;
use okno_domain::payments::{check_cash, till_difference, till_totals};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, NotFoundExt};
use crate::pagination::{decode_id_cursor, fetch_size, id_cursor, limit, page};
use crate::time::{from_db, start_of_day, to_db};

const CURSOR: &str = "tills";

/// The staff member's own open till, if any: where their cash and card payments go.
pub fn open_till_of(
    conn: &mut DbConnection,
    principal: &Principal,
) -> ApiResult<Option<TillRecord>> {
    // Only staff principals have a user id; subscribers and integrations have no till.
    match principal.user_id() {
        Some(user) => Ok(TillRecord::open_of_cashier(conn, user)?),
        None => Ok(None),
    }
}

/// A cashier opens their till at their sales point; one open till each.
pub fn open(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &NewTill,
    now: DateTime<Utc>,
) -> ApiResult<Till> {
    let mut v = Validator::new();
    check_cash(&mut v, "float_minor", request.float_minor);
    let currency = request.currency.clone().unwrap_or_else(|| "PLN".into());
    if !is_valid_currency(&currency) {
        v.fail(
            "currency",
            FieldErrorCode::InvalidValue,
            "not a currency the system bills in",
        );
    }
    v.finish()?;
    let (Some(cashier), Some(sales_point_id)) = (principal.user_id(), principal.sales_point_id)
    else {
        return Err(ApiError::ForbiddenRecord(
            "a till belongs to a cashier of a sales point; this account has no sales point".into(),
        ));
    };
    write_transaction(conn, |conn| {
        let row = NewTillRow {
            sales_point_id,
            cashier_id: cashier,
            currency: currency.clone(),
            opened_at: to_db(now),
            float_minor: request.float_minor,
        };
        let Some(till) = TillRecord::open(conn, row)? else {
            let open = TillRecord::open_of_cashier(conn, cashier)?;
            return Err(ApiError::Conflict(
                ErrorCode::TillAlreadyOpen,
                format!(
                    "till {} is open; close it before opening another",
                    open.map_or(0, |t| t.id)
                ),
                vec![],
            ));
        };
        audit::record(
            conn,
            principal,
            "till.open",
            None,
            Some(format!("till {}", till.id)),
            now,
        )?;
        till_view(conn, till)
    })
}

/// The caller's open till with what it holds now.
pub fn current(conn: &mut DbConnection, principal: &Principal) -> ApiResult<Till> {
    let till = open_till_of(conn, principal)?
        .ok_or_else(|| ApiError::not_found(ErrorCode::TillNotFound, "an open till of yours"))?;
    till_view(conn, till)
}

/// The cashier closes their till with the cash counted; the difference is kept.
pub fn close(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    request: &TillClosing,
    now: DateTime<Utc>,
) -> ApiResult<Till> {
    let mut v = Validator::new();
    check_cash(&mut v, "counted_minor", request.counted_minor);
    let note = v.optional_text("note", request.note.as_deref(), 500);
    v.finish()?;
    write_transaction(conn, |conn| {
        let till = find(conn, id)?;
        if principal.user_id() != Some(till.cashier_id) {
            return Err(ApiError::ForbiddenRecord(format!(
                "till {id} is another cashier's: only they close it"
            )));
        }
        let totals = totals_of(conn, &till)?;
        let difference = till_difference(request.counted_minor, totals.expected_cash_minor)?;
        let closing = TillClosingRow {
            closed_at: to_db(now),
            closed_by: principal.recorded_by().label,
            counted_minor: request.counted_minor,
            expected_minor: totals.expected_cash_minor,
            difference_minor: difference,
            closing_note: note.clone(),
        };
        if !TillRecord::close(conn, id, closing)? {
            return Err(ApiError::Conflict(
                ErrorCode::TillAlreadyClosed,
                format!("till {id} is closed already"),
                vec![],
            ));
        }
        audit::record(
            conn,
            principal,
            "till.close",
            None,
            Some(format!("till {id}: difference {difference}")),
            now,
        )?;
        let closed = find(conn, id)?;
        till_view(conn, closed)
    })
}

/// One till, for its cashier or for whoever reads the tills of its sales point.
pub fn read(conn: &mut DbConnection, principal: &Principal, id: i64) -> ApiResult<Till> {
    let till = find(conn, id)?;
    let own = principal.user_id() == Some(till.cashier_id);
    if !own {
        readable_point(principal, Some(till.sales_point_id))?;
    }
    till_view(conn, till)
}

/// Tills, newest first: a manager's of their own sales point; finance's and admins' of any.
pub fn page_of(
    conn: &mut DbConnection,
    principal: &Principal,
    query: &TillQuery,
) -> ApiResult<Page<Till>> {
    let limit = limit(query.limit)?;
    let sales_point_id = readable_point(principal, query.sales_point_id)?;
    let filter = TillFilter {
        sales_point_id,
        cashier_id: query.cashier_id,
        open: query.open,
        opened_from: query.opened_from.map(start_of_day),
        opened_before: query.opened_to.and_then(|d| d.succ_opt()).map(start_of_day),
        before: decode_id_cursor(query.cursor.as_deref(), CURSOR)?,
    };
    let rows = TillRecord::list(
        conn,
        &filter,
        usize::try_from(fetch_size(limit)).unwrap_or(limit),
    )?;
    let mut tills = Vec::with_capacity(rows.len());
    for row in rows {
        tills.push(till_view(conn, row)?);
    }
    Ok(page(tills, limit, |t| id_cursor(CURSOR, t.id), |t| t))
}

/// The sales point whose tills the principal may read, given the one asked for: a manager
/// reads only their own point's; others with the permission read any.
fn readable_point(principal: &Principal, asked: Option<i64>) -> ApiResult<Option<i64>> {
    if principal.role != Role::Manager {
        return Ok(asked);
    }
    let own = principal.sales_point_id;
    match asked {
        None => Ok(own.or(Some(-1))),
        Some(point) if Some(point) == own => Ok(Some(point)),
        Some(point) => Err(ApiError::ForbiddenRecord(format!(
            "sales point {point} is not yours: a manager reads the tills of their own point"
        ))),
    }
}

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<TillRecord> {
    TillRecord::find(conn, id).or_not_found(ErrorCode::TillNotFound, format!("till {id}"))
}

fn totals_of(
    conn: &mut DbConnection,
    till: &TillRecord,
) -> ApiResult<okno_domain::payments::TillTotals> {
    let takings = TillRecord::takings(conn, till.id)?;
    Ok(till_totals(
        till.float_minor,
        takings
            .into_iter()
            .map(|t| (t.method, t.amount_minor, t.reversed)),
    )?)
}

pub fn till_view(conn: &mut DbConnection, till: TillRecord) -> ApiResult<Till> {
    let totals = totals_of(conn, &till)?;
    let point = SalesPointRecord::find(conn, till.sales_point_id)?;
    let cashier = UserRecord::find(conn, till.cashier_id)?;
    Ok(Till {
        id: till.id,
        sales_point_id: till.sales_point_id,
        sales_point_name: point.name,
        cashier_id: till.cashier_id,
        cashier_name: cashier.display_name,
        currency: till.currency,
        opened_at: from_db(till.opened_at),
        float_minor: till.float_minor,
        cash_minor: totals.cash_minor,
        card_minor: totals.card_minor,
        payments: u32::try_from(totals.payments).unwrap_or(u32::MAX),
        expected_cash_minor: till.expected_minor.unwrap_or(totals.expected_cash_minor),
        closed_at: till.closed_at.map(from_db),
        closed_by: till.closed_by,
        counted_minor: till.counted_minor,
        difference_minor: till.difference_minor,
        closing_note: till.closing_note,
    })
}
