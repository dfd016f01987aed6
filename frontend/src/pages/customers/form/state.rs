//! What the customer form holds: every input, the rows of its lists, and which rows the last
//! request sent, so that the server's errors (`phones[1].value`) land under the rows they
//! are about.

use leptos::prelude::*;
use okno_api_types::customers::{
    Address, Customer, CustomerPatch, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput,
};
use okno_api_types::{AddressKind, CustomerKind, CustomerStatus, Language, TaxIdScheme};

use crate::pages::customers::blank_address;

static NEXT_KEY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

fn key() -> u32 {
    NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn text(value: Option<String>) -> RwSignal<String> {
    RwSignal::new(value.unwrap_or_default())
}

fn optional(signal: RwSignal<String>) -> Option<String> {
    let value = signal.get_untracked();
    (!value.trim().is_empty()).then_some(value)
}

fn blank(signal: RwSignal<String>) -> bool {
    signal.with_untracked(|v| v.trim().is_empty())
}

/// A row of one of the form's lists. Its key stays with it while rows above it come and go.
pub trait Row: Copy + Send + Sync + 'static {
    fn key(&self) -> u32;
    /// Left empty, so not sent.
    fn is_blank(&self) -> bool;
}

/// A phone number or an e-mail address with its label.
#[derive(Debug, Clone, Copy)]
pub struct ContactRow {
    pub key: u32,
    pub value: RwSignal<String>,
    pub label: RwSignal<String>,
}

impl ContactRow {
    pub fn new(value: String, label: Option<String>) -> Self {
        Self {
            key: key(),
            value: RwSignal::new(value),
            label: text(label),
        }
    }
}

impl Row for ContactRow {
    fn key(&self) -> u32 {
        self.key
    }

    fn is_blank(&self) -> bool {
        blank(self.value)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct AddressRow {
    pub key: u32,
    pub kind: RwSignal<String>,
    pub street: RwSignal<String>,
    pub building: RwSignal<String>,
    pub apartment: RwSignal<String>,
    pub postal_code: RwSignal<String>,
    pub city: RwSignal<String>,
    pub country: RwSignal<String>,
}

impl AddressRow {
    pub fn new(address: Option<Address>) -> Self {
        let a = address.unwrap_or_else(|| blank_address(AddressKind::Residence));
        Self {
            key: key(),
            kind: RwSignal::new(a.kind.as_str().to_owned()),
            street: RwSignal::new(a.street),
            building: RwSignal::new(a.building),
            apartment: text(a.apartment),
            postal_code: RwSignal::new(a.postal_code),
            city: RwSignal::new(a.city),
            country: RwSignal::new(a.country),
        }
    }

    fn to_api(self) -> Address {
        Address {
            kind: self
                .kind
                .get_untracked()
                .parse()
                .unwrap_or(AddressKind::Residence),
            street: self.street.get_untracked(),
            building: self.building.get_untracked(),
            apartment: optional(self.apartment),
            postal_code: self.postal_code.get_untracked(),
            city: self.city.get_untracked(),
            country: self.country.get_untracked(),
        }
    }
}

impl Row for AddressRow {
    fn key(&self) -> u32 {
        self.key
    }

    /// Neither street nor city: the country and kind are filled in for every new row.
    fn is_blank(&self) -> bool {
        blank(self.street) && blank(self.city)
    }
}

/// The rows of `rows` that are sent, in order: all but the blank ones.
fn filled<R: Row>(rows: RwSignal<Vec<R>>) -> Vec<R> {
    rows.get_untracked()
        .into_iter()
        .filter(|r| !r.is_blank())
        .collect()
}

/// The form's lists, named as the server names them in its field errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Phones,
    Emails,
    Addresses,
}

impl List {
    fn name(self) -> &'static str {
        match self {
            Self::Phones => "phones",
            Self::Emails => "emails",
            Self::Addresses => "addresses",
        }
    }
}

/// The keys of the rows a request sent, in its order. The server names a row by its place
/// in the request, which is not its place on the screen when blank rows were left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentRows {
    phones: Vec<u32>,
    emails: Vec<u32>,
    addresses: Vec<u32>,
}

impl SentRows {
    fn keys(&self, list: List) -> &[u32] {
        match list {
            List::Phones => &self.phones,
            List::Emails => &self.emails,
            List::Addresses => &self.addresses,
        }
    }
}

/// Every input of the form.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    pub kind: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub organisation_name: RwSignal<String>,
    pub tax_scheme: RwSignal<String>,
    pub tax_value: RwSignal<String>,
    pub segment: RwSignal<String>,
    pub language: RwSignal<String>,
    pub status: RwSignal<String>,
    pub sales_point: RwSignal<String>,
    pub notes: RwSignal<String>,
    pub phones: RwSignal<Vec<ContactRow>>,
    pub emails: RwSignal<Vec<ContactRow>>,
    pub addresses: RwSignal<Vec<AddressRow>>,
    version: RwSignal<i64>,
    /// The rows the last request sent.
    sent: RwSignal<SentRows>,
}

impl FormState {
    pub fn new() -> Self {
        Self {
            kind: RwSignal::new(CustomerKind::Person.as_str().into()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            organisation_name: RwSignal::new(String::new()),
            tax_scheme: RwSignal::new(TaxIdScheme::PlNip.as_str().into()),
            tax_value: RwSignal::new(String::new()),
            segment: RwSignal::new(String::new()),
            language: RwSignal::new(Language::Pl.as_str().into()),
            status: RwSignal::new(CustomerStatus::Prospect.as_str().into()),
            sales_point: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            phones: RwSignal::new(vec![ContactRow::new(String::new(), None)]),
            emails: RwSignal::new(vec![ContactRow::new(String::new(), None)]),
            addresses: RwSignal::new(vec![AddressRow::new(None)]),
            version: RwSignal::new(0),
            sent: RwSignal::new(SentRows::default()),
        }
    }

    pub fn fill(&self, c: &Customer) {
        self.kind.set(c.kind.as_str().into());
        self.first_name
            .set(c.first_name.clone().unwrap_or_default());
        self.last_name.set(c.last_name.clone().unwrap_or_default());
        self.organisation_name
            .set(c.organisation_name.clone().unwrap_or_default());
        self.tax_scheme.set(
            c.tax_id
                .as_ref()
                .map_or(TaxIdScheme::PlNip, |t| t.scheme)
                .as_str()
                .into(),
        );
        self.tax_value.set(
            c.tax_id
                .as_ref()
                .map(|t| t.formatted.clone())
                .unwrap_or_default(),
        );
        self.segment.set(c.segment.as_str().into());
        self.language.set(c.preferred_language.as_str().into());
        self.status.set(c.status.as_str().into());
        self.sales_point.set(
            c.sales_point_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        self.notes.set(c.notes.clone().unwrap_or_default());
        self.phones.set(
            c.phones
                .iter()
                .map(|p| ContactRow::new(p.value.clone(), p.label.clone()))
                .collect(),
        );
        self.emails.set(
            c.emails
                .iter()
                .map(|e| ContactRow::new(e.value.clone(), e.label.clone()))
                .collect(),
        );
        self.addresses.set(
            c.addresses
                .iter()
                .cloned()
                .map(|a| AddressRow::new(Some(a)))
                .collect(),
        );
        self.version.set(c.version);
    }

    pub fn kind(&self) -> CustomerKind {
        self.kind
            .get_untracked()
            .parse()
            .unwrap_or(CustomerKind::Person)
    }

    fn tax_id(&self) -> Option<TaxIdInput> {
        optional(self.tax_value).map(|value| TaxIdInput {
            scheme: self.tax_scheme.get_untracked().parse().ok(),
            value,
        })
    }

    /// The new customer as typed, without blank rows.
    pub fn new_customer(&self) -> NewCustomer {
        let person = self.kind() == CustomerKind::Person;
        let contacts = |rows| {
            filled(rows)
                .into_iter()
                .map(|r: ContactRow| (r.value.get_untracked(), optional(r.label)))
        };
        NewCustomer {
            kind: self.kind(),
            first_name: if person {
                optional(self.first_name)
            } else {
                None
            },
            last_name: if person {
                optional(self.last_name)
            } else {
                None
            },
            organisation_name: if person {
                None
            } else {
                optional(self.organisation_name)
            },
            tax_id: self.tax_id(),
            segment: self.segment.get_untracked().parse().ok(),
            preferred_language: self.language.get_untracked().parse().ok(),
            sales_point_id: self.sales_point.get_untracked().parse().ok(),
            emails: contacts(self.emails)
                .map(|(value, label)| EmailEntry { value, label })
                .collect(),
            phones: contacts(self.phones)
                .map(|(value, label)| PhoneEntry { value, label })
                .collect(),
            addresses: filled(self.addresses)
                .into_iter()
                .map(AddressRow::to_api)
                .collect(),
            notes: optional(self.notes),
        }
    }

    /// The changes to the customer as typed: every field, the lists without blank rows.
    pub fn patch(&self) -> CustomerPatch {
        let new = self.new_customer();
        CustomerPatch {
            version: self.version.get_untracked(),
            first_name: Some(new.first_name),
            last_name: Some(new.last_name),
            organisation_name: Some(new.organisation_name),
            tax_id: Some(new.tax_id),
            segment: new.segment,
            preferred_language: new.preferred_language,
            status: self.status.get_untracked().parse().ok(),
            sales_point_id: Some(new.sales_point_id),
            emails: Some(new.emails),
            phones: Some(new.phones),
            addresses: Some(new.addresses),
            notes: Some(new.notes),
        }
    }

    /// The rows a request built now sends ([`Self::new_customer`], [`Self::patch`]).
    pub fn rows_sent(&self) -> SentRows {
        fn keys<R: Row>(rows: RwSignal<Vec<R>>) -> Vec<u32> {
            filled(rows).iter().map(Row::key).collect()
        }
        SentRows {
            phones: keys(self.phones),
            emails: keys(self.emails),
            addresses: keys(self.addresses),
        }
    }

    /// The server answered the request that sent `rows`: its errors name those rows.
    pub fn answered(&self, rows: SentRows) {
        self.sent.set(rows);
    }

    /// How the server names `field` of the row with `key` in `list`, by the row's place in
    /// the last request: `phones[0].value` for the first phone sent, wherever it stands on
    /// the screen. None for a row that request did not send (blank then, or added since).
    pub fn row_field(&self, list: List, key: u32, field: &str) -> Option<String> {
        let index = self
            .sent
            .with(|sent| sent.keys(list).iter().position(|k| *k == key))?;
        Some(format!("{}[{index}].{field}", list.name()))
    }
}

#[cfg(test)]
mod tests {
    use okno_api_types::{ErrorCode, FieldError, FieldErrorCode, Problem};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::api::Failure;

    fn contact(value: &str) -> ContactRow {
        ContactRow::new(value.to_owned(), None)
    }

    fn address(street: &str, city: &str) -> AddressRow {
        let row = AddressRow::new(None);
        row.street.set(street.to_owned());
        row.city.set(city.to_owned());
        row.building.set("1".to_owned());
        row.postal_code.set("00-950".to_owned());
        row
    }

    /// What the server answers when it refuses these fields.
    fn refused(fields: &[&str]) -> Failure {
        Failure::Refused(Problem {
            type_uri: "about:blank".to_owned(),
            title: "Validation failed".to_owned(),
            status: 422,
            detail: None,
            code: ErrorCode::ValidationFailed,
            errors: fields
                .iter()
                .map(|f| FieldError::new(*f, FieldErrorCode::InvalidPhone, "7 to 15 digits"))
                .collect(),
            instance: None,
            current: None,
        })
    }

    /// The field error shown under the row with `key`, the way the form looks it up.
    fn shown(form: &FormState, failure: &Failure, list: List, key: u32, field: &str) -> bool {
        form.row_field(list, key, field)
            .and_then(|path| failure.problem()?.field_error(&path).cloned())
            .is_some()
    }

    #[wasm_bindgen_test]
    fn blank_rows_are_not_sent() {
        let form = FormState::new();
        form.last_name.set("Wrona".to_owned());
        form.phones
            .set(vec![contact(""), contact("+48 600 100 200"), contact("  ")]);
        form.emails.set(vec![contact("a@example.pl"), contact("")]);
        form.addresses
            .set(vec![address("", ""), address("ul. Długa", "Warszawa")]);
        let customer = form.new_customer();
        let phones: Vec<_> = customer.phones.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(phones, ["+48 600 100 200"]);
        assert_eq!(customer.emails.len(), 1);
        assert_eq!(customer.addresses.len(), 1);
        assert_eq!(
            customer.addresses.first().map(|a| a.city.as_str()),
            Some("Warszawa")
        );
        assert_eq!(form.patch().phones, Some(customer.phones));
    }

    #[wasm_bindgen_test]
    fn an_error_shows_under_the_row_it_is_about_when_a_blank_row_stands_above() {
        let form = FormState::new();
        let (empty, wrong) = (contact(""), contact("12"));
        form.phones.set(vec![empty, wrong]);
        form.new_customer();
        form.answered(form.rows_sent());
        // The server saw one phone, the wrong one, and names it by its place in the request.
        let failure = refused(&["phones[0].value"]);
        assert!(shown(&form, &failure, List::Phones, wrong.key, "value"));
        assert!(!shown(&form, &failure, List::Phones, empty.key, "value"));
        assert_eq!(form.row_field(List::Phones, empty.key, "value"), None);
    }

    #[wasm_bindgen_test]
    fn errors_stay_with_their_rows_when_rows_are_removed_or_added_after_sending() {
        let form = FormState::new();
        let (first, blank_row, second) = (
            address("ul. Długa", "Warszawa"),
            address("", ""),
            address("ul. Krótka", "Kraków"),
        );
        form.addresses.set(vec![first, blank_row, second]);
        form.answered(form.rows_sent());
        let failure = refused(&["addresses[1].postal_code"]);
        let flagged =
            |row: AddressRow| shown(&form, &failure, List::Addresses, row.key, "postal_code");
        assert!(flagged(second));
        assert!(!flagged(first));

        // The first address is removed and a new row added: the error stays with Kraków.
        let added = address("", "");
        form.addresses.set(vec![second, added]);
        assert!(flagged(second));
        assert!(!flagged(added));
    }

    #[wasm_bindgen_test]
    fn each_list_keeps_its_own_places() {
        let form = FormState::new();
        let phone = contact("600 100 200");
        let (blank_email, email) = (contact(""), contact("not an address"));
        form.phones.set(vec![phone]);
        form.emails.set(vec![blank_email, email]);
        form.answered(form.rows_sent());
        assert_eq!(
            form.row_field(List::Emails, email.key, "value").as_deref(),
            Some("emails[0].value")
        );
        assert_eq!(
            form.row_field(List::Phones, phone.key, "value").as_deref(),
            Some("phones[0].value")
        );
        // A key of another list is not found in this one.
        assert_eq!(form.row_field(List::Phones, email.key, "value"), None);
    }

    #[wasm_bindgen_test]
    fn nothing_is_placed_before_the_first_request() {
        let form = FormState::new();
        let phone = contact("12");
        form.phones.set(vec![phone]);
        assert_eq!(form.row_field(List::Phones, phone.key, "value"), None);
    }
}
