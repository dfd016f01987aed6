//! Customers (R-01, R-04, R-05), their consents (R-02) and disclosures of their data (R-83).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use okno_domain::customers::CustomerInput;
pub use okno_domain::customers::{Address, DuplicateReason, EmailEntry, PhoneEntry};

use crate::{
    Channel, ConsentPurpose, CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme,
};

/// The customer card: everything the one window shows about who the customer is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Customer {
    pub id: i64,
    /// Nine digits with a check digit; printed on invoices.
    pub account_number: String,
    pub kind: CustomerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_name: Option<String>,
    /// "Last First" for people, the organisation's name otherwise.
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<TaxIdView>,
    pub segment: Segment,
    pub preferred_language: Language,
    pub status: CustomerStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_point_id: Option<i64>,
    pub emails: Vec<EmailEntry>,
    pub phones: Vec<PhoneEntry>,
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Whether the customer has activated the self-service cabinet.
    pub cabinet_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send it back with a PATCH; a stale one gets `409 version_conflict`.
    pub version: i64,
}

/// A line of a search result or list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerSummary {
    pub id: i64,
    pub account_number: String,
    pub kind: CustomerKind,
    pub display_name: String,
    pub status: CustomerStatus,
    pub segment: Segment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The residence address on one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

/// A customer already registered who is probably the one being registered (R-01, R-04).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PossibleDuplicate {
    pub customer: CustomerSummary,
    /// What the two have in common.
    pub reasons: Vec<DuplicateReason>,
}

/// Options of registering a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateCustomerQuery {
    /// Refuse with `409 possible_duplicate` when a registered customer is probably the same
    /// one (see `POST /customer-duplicates`); without it the customer is registered and the
    /// likely duplicates are noted in the audit log.
    #[serde(default)]
    pub check_duplicates: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TaxIdView {
    pub scheme: TaxIdScheme,
    /// Canonical compact form (digits only for NIP and INN).
    pub value: String,
    /// As usually printed, e.g. `123-456-32-18`.
    pub formatted: String,
}

/// A tax identifier as entered; checked against its scheme's checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxIdInput {
    /// `pl_nip` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<TaxIdScheme>,
    /// `pl_nip`: 10 digits with a valid check digit (an optional `PL` prefix, spaces and dashes
    /// are ignored); `ru_inn`: 10 or 12 digits with valid check digits; `other`: 1 to 32
    /// letters, digits, spaces, `-` or `/`.
    #[schema(
        min_length = 1,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub value: String,
}

/// A new customer. The OpenAPI document describes each `kind` on its own ([`NewPerson`],
/// [`NewOrganisation`]), since each needs other names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    pub kind: CustomerKind,
    /// Required for people; optional for organisations (a contact person).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Required for people; optional for organisations (a contact person).
    #[serde(default)]
    pub last_name: Option<String>,
    /// Required for organisations; people have none.
    #[serde(default)]
    pub organisation_name: Option<String>,
    /// Required for organisations.
    #[serde(default)]
    pub tax_id: Option<TaxIdInput>,
    /// `household` for people and `business` for organisations when absent.
    #[serde(default)]
    pub segment: Option<Segment>,
    /// `pl` when absent.
    #[serde(default)]
    pub preferred_language: Option<Language>,
    /// The creator's sales point when absent.
    #[serde(default)]
    pub sales_point_id: Option<i64>,
    #[serde(default)]
    pub emails: Vec<EmailEntry>,
    #[serde(default)]
    pub phones: Vec<PhoneEntry>,
    #[serde(default)]
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub notes: Option<String>,
}

crate::allowed::schema_by_kind!(NewCustomer, "A person or an organisation, told apart by `kind`.", {
    "person" => NewPerson,
    "organisation" => NewOrganisation,
});

// The two kinds of [`NewCustomer`] as the OpenAPI document shows them; never built. The rules
// are `okno_domain::customers::check_customer`'s.

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum PersonKind {
    Person,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "a schema only")]
enum OrganisationKind {
    Organisation,
}

/// A new customer who is a person: first and last name required.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewPerson {
    #[schema(inline)]
    kind: PersonKind,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    last_name: String,
    /// People have none: absent, `null` or blank.
    #[serde(default)]
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    organisation_name: Option<String>,
    #[serde(default)]
    tax_id: Option<TaxIdInput>,
    /// `household` for people and `business` for organisations when absent.
    #[serde(default)]
    segment: Option<Segment>,
    /// `pl` when absent.
    #[serde(default)]
    preferred_language: Option<Language>,
    /// The creator's sales point when absent.
    #[serde(default)]
    #[schema(minimum = 1)]
    sales_point_id: Option<i64>,
    /// At most 10, each address once.
    #[serde(default)]
    #[schema(max_items = 10)]
    emails: Vec<EmailEntry>,
    /// At most 10, each number once however it is spelled.
    #[serde(default)]
    #[schema(max_items = 10)]
    phones: Vec<PhoneEntry>,
    #[serde(default)]
    #[schema(max_items = 10)]
    addresses: Vec<Address>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    notes: Option<String>,
}

/// A new customer that is an organisation: its name and tax id required.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "a schema only")]
struct NewOrganisation {
    #[schema(inline)]
    kind: OrganisationKind,
    /// A contact person.
    #[serde(default)]
    #[schema(max_length = 100)]
    first_name: Option<String>,
    /// A contact person.
    #[serde(default)]
    #[schema(max_length = 100)]
    last_name: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    organisation_name: String,
    tax_id: TaxIdInput,
    /// `household` for people and `business` for organisations when absent.
    #[serde(default)]
    segment: Option<Segment>,
    /// `pl` when absent.
    #[serde(default)]
    preferred_language: Option<Language>,
    /// The creator's sales point when absent.
    #[serde(default)]
    #[schema(minimum = 1)]
    sales_point_id: Option<i64>,
    /// At most 10, each address once.
    #[serde(default)]
    #[schema(max_items = 10)]
    emails: Vec<EmailEntry>,
    /// At most 10, each number once however it is spelled.
    #[serde(default)]
    #[schema(max_items = 10)]
    phones: Vec<PhoneEntry>,
    #[serde(default)]
    #[schema(max_items = 10)]
    addresses: Vec<Address>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    notes: Option<String>,
}

impl NewCustomer {
    /// The customer as the domain's rules read it.
    pub fn as_input(&self) -> CustomerInput<'_> {
        CustomerInput {
            kind: self.kind,
            first_name: self.first_name.as_deref(),
            last_name: self.last_name.as_deref(),
            organisation_name: self.organisation_name.as_deref(),
            tax_id: self.tax_id.as_ref().map(|t| (t.scheme, t.value.as_str())),
            segment: self.segment,
            preferred_language: self.preferred_language,
            emails: &self.emails,
            phones: &self.phones,
            addresses: &self.addresses,
            notes: self.notes.as_deref(),
        }
    }
}

/// Changes to a customer; absent fields stay, lists given replace the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    /// The `version` the change is based on.
    pub version: i64,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub first_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub last_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub organisation_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<TaxIdInput>)]
    pub tax_id: Option<Option<TaxIdInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Segment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub sales_point_id: Option<Option<i64>>,
    /// At most 10, each address once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10)]
    pub emails: Option<Vec<EmailEntry>>,
    /// At most 10, each number once however it is spelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10)]
    pub phones: Option<Vec<PhoneEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 10)]
    pub addresses: Option<Vec<Address>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub notes: Option<Option<String>>,
}

/// Search and filters of the customer list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CustomerQuery {
    /// Account number, any part of a name, phone (spaces and `+48` ignored), e-mail, address
    /// or tax id; words must all match. At most 200 characters, with a word of two or more
    /// (words are split at white space, `,` and `|`); a search of only digits and phone
    /// punctuation (`+48 600 100`) is one number of two or more digits.
    #[param(
        max_length = 200,
        pattern = r"[^0-9 .()/+,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000-][^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^0-9 .()/+,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000-]|[^0-9 .()/+\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000-][\s\S]*[^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\s\S]*[^0-9 .()/+\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000-]|[^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\s\S]*[\t-\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[\t-\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\s\S]*[^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^,|\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[ .()/+-]*(?:[1-9][ .()/+-]*[0-9]|0[ .()/+-]*[1-9]|0[ .()/+-]*0[ .()/+-]*[0-9][ .()/+-]*[0-9])[0-9 .()/+-]*[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub segment: Option<Segment>,
    pub kind: Option<CustomerKind>,
    pub sales_point_id: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A consent and, once withdrawn, its withdrawal (R-02). Granting again makes a new record,
/// so the list of consents is their full history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Consent {
    pub id: i64,
    pub customer_id: i64,
    pub purpose: ConsentPurpose,
    /// In force: granted and not withdrawn.
    pub active: bool,
    pub granted_at: DateTime<Utc>,
    pub granted_channel: Channel,
    /// Who recorded the grant: a user's display name, or `subscriber` for the cabinet.
    pub granted_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantConsent {
    pub purpose: ConsentPurpose,
    /// How the customer gave it; `web` for whatever a subscriber does in the cabinet.
    pub channel: Channel,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawConsent {
    /// How the customer withdrew it; `web` for whatever a subscriber does in the cabinet.
    pub channel: Channel,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// A disclosure of the customer's data to a third party (R-83).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Disclosure {
    pub id: i64,
    pub customer_id: i64,
    /// Who received the data (authority, court, bailiff, partner).
    pub recipient: String,
    /// The legal basis, e.g. the article of the act or the court order.
    pub legal_basis: String,
    /// Which data were disclosed.
    pub data_scope: String,
    /// Reference of the written protocol.
    pub protocol_reference: String,
    pub disclosed_at: DateTime<Utc>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisclosure {
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub recipient: String,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub legal_basis: String,
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub data_scope: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub protocol_reference: String,
    /// Now when absent; not in the future.
    #[serde(default)]
    pub disclosed_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowed::fields_and_properties;

    #[test]
    fn each_kind_of_new_customer_has_the_fields_of_new_customer() {
        let customer = NewCustomer {
            kind: CustomerKind::Person,
            first_name: None,
            last_name: None,
            organisation_name: None,
            tax_id: None,
            segment: None,
            preferred_language: None,
            sales_point_id: None,
            emails: Vec::new(),
            phones: Vec::new(),
            addresses: Vec::new(),
            notes: None,
        };
        let (fields, properties) = fields_and_properties::<_, NewPerson>(&customer);
        assert_eq!(properties, fields);
        let (fields, properties) = fields_and_properties::<_, NewOrganisation>(&customer);
        assert_eq!(properties, fields);
    }
}
