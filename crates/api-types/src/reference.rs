//! Reference data every screen needs: sales points (R-70) and the topic classification (R-03).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SalesPointKind {
    HeadOffice,
    SalesPoint,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SalesPoint {
    pub id: i64,
    /// Short code, e.g. `HQ`, `WAW-1`.
    pub code: String,
    pub name: String,
    pub kind: SalesPointKind,
    /// The head office a sales point reports to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub active: bool,
}

/// A new sales point or head office. The OpenAPI document describes each `kind` on its own
/// ([`NewHeadOffice`], [`NewBranch`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSalesPoint {
    pub code: String,
    pub name: String,
    pub kind: SalesPointKind,
    /// The head office a sales point reports to; required for `sales_point`.
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
}

crate::allowed::schema_by_kind!(NewSalesPoint, "A head office or a sales point, told apart by `kind`.", {
    "head_office" => NewHeadOffice,
    "sales_point" => NewBranch,
});

// The two kinds of [`NewSalesPoint`] as the OpenAPI document shows them; never built.

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum HeadOfficeKind {
    HeadOffice,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum BranchKind {
    SalesPoint,
}

/// A new head office.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewHeadOffice {
    /// 1 to 40 letters, digits, `.`, `_`, `-`; stored in upper case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,40}$")]
    code: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(inline)]
    kind: HeadOfficeKind,
    /// A head office it reports to, if any.
    #[serde(default)]
    #[schema(minimum = 1)]
    parent_id: Option<i64>,
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    address: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    phone: Option<String>,
}

/// A new sales point, reporting to a head office.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewBranch {
    /// 1 to 40 letters, digits, `.`, `_`, `-`; stored in upper case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,40}$")]
    code: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    name: String,
    #[schema(inline)]
    kind: BranchKind,
    /// The head office it reports to.
    #[schema(minimum = 1)]
    parent_id: i64,
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    address: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    phone: Option<String>,
}

/// A name in each interface language; English is required, the others fall back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedName {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub pl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200)]
    pub ru: Option<String>,
}

impl LocalizedName {
    /// The name in `language`, or the English one where there is none.
    pub fn get(&self, language: crate::Language) -> &str {
        let translated = match language {
            crate::Language::En => None,
            crate::Language::Pl => self.pl.as_deref(),
            crate::Language::Ru => self.ru.as_deref(),
        };
        translated.unwrap_or(&self.en)
    }
}

/// A topic of the contact and complaint classification (R-03, R-46).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Topic {
    pub id: i64,
    /// Stable code, e.g. `billing.invoice_question`.
    pub code: String,
    pub name: LocalizedName,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    /// 1 to 40 letters, digits, `.`, `_`, `-`; stored in lower case.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,40}$")]
    pub code: String,
    pub name: LocalizedName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowed::fields_and_properties;

    #[test]
    fn each_kind_of_new_sales_point_has_the_fields_of_new_sales_point() {
        let point = NewSalesPoint {
            code: "WAW-1".into(),
            name: "Warszawa".into(),
            kind: SalesPointKind::SalesPoint,
            parent_id: None,
            address: "ul. Długa 5".into(),
            phone: None,
        };
        let (fields, properties) = fields_and_properties::<_, NewHeadOffice>(&point);
        assert_eq!(properties, fields);
        let (fields, properties) = fields_and_properties::<_, NewBranch>(&point);
        assert_eq!(properties, fields);
    }
}
