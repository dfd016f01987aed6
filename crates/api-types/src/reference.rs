//! Reference data every screen needs: sales points and the topic classification.

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSalesPoint {
    pub code: String,
    pub name: String,
    pub kind: SalesPointKind,
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A name in each interface language; English is required, the others fall back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedName {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// A topic of the contact and complaint classification.
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
