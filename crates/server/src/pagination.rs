//! Page sizes and opaque cursors: a cursor is the base64url of the last item's sort key, so
//! clients cannot depend on its shape and pages stay stable while rows are added.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use okno_api_types::Page;
use okno_api_types::pagination::{DEFAULT_LIMIT, MAX_LIMIT};

use crate::error::ApiError;
use okno_domain::validation::FieldErrorCode;

/// The page size asked for, checked against the maximum.
pub fn limit(requested: Option<u32>) -> Result<usize, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit as usize),
        Some(_) => Err(ApiError::field(
            "limit",
            FieldErrorCode::OutOfRange,
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

/// The sort key inside a cursor, checked to be one this list handed out (`kind` prefix).
pub fn decode_cursor(cursor: &str, kind: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::field(
            "cursor",
            FieldErrorCode::InvalidValue,
            "is not a cursor of this list",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let key = String::from_utf8(bytes).map_err(|_| invalid())?;
    key.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .map(str::to_owned)
        .ok_or_else(invalid)
}

/// A cursor holding only an id.
pub fn decode_id_cursor(cursor: Option<&str>, kind: &str) -> Result<Option<i64>, ApiError> {
    cursor
        .map(|c| {
            decode_cursor(c, kind)?.parse().map_err(|_| {
                ApiError::field(
                    "cursor",
                    FieldErrorCode::InvalidValue,
                    "is not a cursor of this list",
                )
            })
        })
        .transpose()
}

pub fn id_cursor(kind: &str, id: i64) -> String {
    encode_cursor(&format!("{kind}:{id}"))
}

/// Builds a page from rows fetched with `limit + 1`: the extra row only tells that more follow.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: usize,
    cursor_of: impl Fn(&R) -> String,
    map: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(cursor_of)
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(map).collect(),
        next_cursor,
    }
}

/// `limit + 1` as the database wants it.
pub fn fetch_size(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None).unwrap(), 50);
        assert_eq!(limit(Some(500)).unwrap(), 500);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(501)).is_err());
    }

    #[test]
    fn cursors_round_trip_and_refuse_foreign_ones() {
        let cursor = id_cursor("users", 42);
        assert_eq!(decode_id_cursor(Some(&cursor), "users").unwrap(), Some(42));
        assert!(decode_id_cursor(Some(&cursor), "audit").is_err());
        assert!(decode_id_cursor(Some("not base64!"), "users").is_err());
    }

    #[test]
    fn pages_know_when_more_follow() {
        let full = page(vec![1, 2, 3], 2, |n| n.to_string(), |n| n * 10);
        assert_eq!(full.items, vec![10, 20]);
        assert_eq!(full.next_cursor.as_deref(), Some("2"));
        let last = page(vec![1, 2], 2, |n| n.to_string(), |n| n);
        assert_eq!(last.next_cursor, None);
    }
}
