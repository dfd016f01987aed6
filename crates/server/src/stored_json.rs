//! Values kept as JSON text in the database (contact entries, tariff rates, addresses).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

pub fn encode<T: Serialize + ?Sized>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value)
        .map_err(|e| ApiError::Internal(format!("encoding stored JSON: {e}")))
}

/// A stored value that no longer reads is a fault on our side, not the client's.
pub fn decode<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::Internal(format!("stored JSON cannot be read: {e}")))
}
