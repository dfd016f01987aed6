//! Reference data other features point at: sales points and contact topics.

use okno_db::DbConnection;
use okno_db::reference::SalesPointRecord;
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::error::ApiResult;

/// A request's `sales_point_id`, when given, names a sales point that exists.
pub fn check_sales_point(
    conn: &mut DbConnection,
    v: &mut Validator,
    sales_point_id: Option<i64>,
) -> ApiResult<()> {
    if let Some(id) = sales_point_id
        && !SalesPointRecord::exists(conn, id)?
    {
        v.fail(
            "sales_point_id",
            FieldErrorCode::UnknownReference,
            format!("there is no sales point {id}"),
        );
    }
    Ok(())
}
