//! Reference data other features point at: sales points and contact topics.

use okno_api_types::reference::{LocalizedName, Topic};
use okno_db::DbConnection;
use okno_db::reference::{SalesPointRecord, TopicRecord};
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

/// A contact topic as the API shows it, its name in the three languages.
pub fn topic_to_api(record: TopicRecord) -> Topic {
    Topic {
        id: record.id,
        code: record.code,
        name: LocalizedName {
            en: record.name_en,
            pl: record.name_pl,
            ru: record.name_ru,
        },
        active: record.active,
    }
}
