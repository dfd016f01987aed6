//! Partial updates: in a PATCH body an absent field keeps its value and `null` clears it.

use serde::{Deserialize, Deserializer};

/// Reads a present field (value or `null`) as `Some(..)`; serde's `default` leaves an absent one
/// `None`. Use with `#[serde(default, deserialize_with = "crate::patch::present")]`.
pub fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
