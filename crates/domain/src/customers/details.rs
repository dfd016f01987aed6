//! What a customer record holds and the rules it must keep (R-01, R-05): a person has a first
//! and a last name, an organisation a name and a tax id; contacts are well formed and listed
//! once; addresses have their country's postal code.

use serde::{Deserialize, Serialize};

use super::{
    AddressKind, CustomerKind, Email, Language, Phone, Segment, TaxId, TaxIdScheme,
    display_name as display_name_of, validate_postal_code,
};
use crate::search;
use crate::validation::{FieldErrorCode, Validator};

/// Longest personal or organisation name part, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest organisation name, in characters.
pub const ORGANISATION_NAME_MAX_CHARS: usize = 200;
/// Most e-mails, phones or addresses one customer record may carry.
pub const MAX_CONTACT_ENTRIES: usize = 10;
/// Longest note on a customer, in characters.
pub const NOTES_MAX_CHARS: usize = 4000;
/// Longest label of an e-mail or phone (`home`, `work`), in characters.
pub const LABEL_MAX_CHARS: usize = 40;
const STREET_MAX_CHARS: usize = 200;
const BUILDING_MAX_CHARS: usize = 20;
const CITY_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailEntry {
    /// `name@example.com`: at most 254 characters, no white space, one `@`, a domain with a
    /// dot. (The server takes any non-space characters before the `@`, up to 64 bytes; this
    /// schema asks for printable ASCII there.)
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[!-?A-~]{1,64}@[^@.\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+(?:\.[^@.\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+)+[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub value: String,
    /// e.g. `home`, `work`, `billing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhoneEntry {
    /// As the customer gives it: `+48 600 100 200`, `600-100-200`, `8 (912) 345-67-89`.
    /// 7 to 15 digits (not counting an international `00`), with spaces, `-`, `.`, `/`,
    /// brackets and a leading `+`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\+?[ ./()-]*(?:[1-9][ ./()-]*(?:[0-9][ ./()-]*){6,14}|0[ ./()-]*[1-9][ ./()-]*(?:[0-9][ ./()-]*){5,13}|0[ ./()-]*0[ ./()-]*(?:[0-9][ ./()-]*){7,15})[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub kind: AddressKind,
    /// Street with its prefix, e.g. `ul. Długa`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub street: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 20,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub building: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub apartment: Option<String>,
    /// In the country's form: `00-950` in Poland, six digits in Russia, elsewhere 1 to 12
    /// letters, digits, spaces or dashes.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:-*(?:[0-9]-*){5}|[0-9A-Za-z-](?:[0-9A-Za-z -]{0,10}[0-9A-Za-z-])?)[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub postal_code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub city: String,
    /// ISO 3166 alpha-2; `PL` when absent.
    #[serde(default = "default_country")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z]{2}[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub country: String,
}

fn default_country() -> String {
    "PL".to_owned()
}

impl Address {
    /// `ul. Długa 5/3, 00-950 Warszawa`.
    pub fn one_line(&self) -> String {
        let number = match &self.apartment {
            Some(apartment) if !apartment.is_empty() => format!("{}/{}", self.building, apartment),
            _ => self.building.clone(),
        };
        format!(
            "{} {}, {} {}",
            self.street, number, self.postal_code, self.city
        )
    }
}

/// A customer as entered, before the rules are applied.
#[derive(Debug, Clone, Copy)]
pub struct CustomerInput<'a> {
    pub kind: CustomerKind,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub organisation_name: Option<&'a str>,
    /// The scheme (`pl_nip` when not given) and the value as typed.
    pub tax_id: Option<(Option<TaxIdScheme>, &'a str)>,
    pub segment: Option<Segment>,
    pub preferred_language: Option<Language>,
    pub emails: &'a [EmailEntry],
    pub phones: &'a [PhoneEntry],
    pub addresses: &'a [Address],
    pub notes: Option<&'a str>,
}

/// A customer that keeps the rules: names trimmed, contacts in their usual spelling, defaults
/// filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails {
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_name: Option<String>,
    pub tax_id: Option<TaxId>,
    pub segment: Segment,
    pub preferred_language: Language,
    pub emails: Vec<EmailEntry>,
    pub phones: Vec<PhoneEntry>,
    pub addresses: Vec<Address>,
    pub notes: Option<String>,
    parsed_phones: Vec<Phone>,
}

impl CustomerDetails {
    /// R-01: "Last First" for people, the organisation's name otherwise.
    pub fn display_name(&self) -> String {
        display_name_of(
            self.kind,
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.organisation_name.as_deref(),
        )
    }

    /// R-04: everything the customer is found by except the account number, which is
    /// assigned when the customer is stored.
    pub fn search_text(&self) -> String {
        let address_texts: Vec<String> = self
            .addresses
            .iter()
            .map(|a| format!("{} {} {} {}", a.street, a.building, a.postal_code, a.city))
            .collect();
        let texts = [
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.organisation_name.as_deref(),
            self.tax_id.as_ref().map(TaxId::value),
        ]
        .into_iter()
        .flatten()
        .chain(self.emails.iter().map(|e| e.value.as_str()))
        .chain(address_texts.iter().map(String::as_str));
        search::document(texts, &self.parsed_phones)
    }
}

/// R-05: the segment a customer of this kind starts in.
pub fn default_segment(kind: CustomerKind) -> Segment {
    match kind {
        CustomerKind::Person => Segment::Household,
        CustomerKind::Organisation => Segment::Business,
    }
}

/// Checks a customer as a whole, recording every broken rule in `v`: the rules depend on each
/// other (an organisation needs a tax id, a person a first and last name).
pub fn check_customer(v: &mut Validator, input: CustomerInput<'_>) -> CustomerDetails {
    let (first_name, last_name, organisation_name) = check_names(v, input);
    let tax_id = check_tax_id(v, input.kind, input.tax_id);
    let emails = check_emails(v, input.emails);
    let (phones, parsed_phones) = check_phones(v, input.phones);
    let addresses = check_addresses(v, input.addresses);
    let notes = v.optional_text("notes", input.notes, NOTES_MAX_CHARS);
    CustomerDetails {
        kind: input.kind,
        first_name,
        last_name,
        organisation_name,
        tax_id,
        segment: input.segment.unwrap_or(default_segment(input.kind)),
        preferred_language: input.preferred_language.unwrap_or(Language::Pl),
        emails,
        phones,
        addresses,
        notes,
        parsed_phones,
    }
}

type Names = (Option<String>, Option<String>, Option<String>);

/// R-01: a person is named by first and last name; an organisation by its name, with an
/// optional contact person.
fn check_names(v: &mut Validator, input: CustomerInput<'_>) -> Names {
    let mut person_name = |field: &str, value: Option<&str>| match input.kind {
        CustomerKind::Person => Some(v.text(field, value.unwrap_or_default(), NAME_MAX_CHARS)),
        CustomerKind::Organisation => v.optional_text(field, value, NAME_MAX_CHARS),
    };
    let first_name = person_name("first_name", input.first_name);
    let last_name = person_name("last_name", input.last_name);
    let organisation_name = match input.kind {
        CustomerKind::Organisation => Some(v.text(
            "organisation_name",
            input.organisation_name.unwrap_or_default(),
            ORGANISATION_NAME_MAX_CHARS,
        )),
        CustomerKind::Person => {
            if input
                .organisation_name
                .is_some_and(|name| !name.trim().is_empty())
            {
                v.fail(
                    "organisation_name",
                    FieldErrorCode::NotAllowed,
                    "only organisations have one",
                );
            }
            None
        }
    };
    (first_name, last_name, organisation_name)
}

/// R-01: an organisation has a tax id; any tax id given must pass its scheme's checksum.
fn check_tax_id(
    v: &mut Validator,
    kind: CustomerKind,
    tax_id: Option<(Option<TaxIdScheme>, &str)>,
) -> Option<TaxId> {
    match tax_id {
        Some((scheme, value)) => {
            let scheme = scheme.unwrap_or(TaxIdScheme::PlNip);
            let code = match scheme {
                TaxIdScheme::PlNip => FieldErrorCode::NipInvalid,
                TaxIdScheme::RuInn => FieldErrorCode::InnInvalid,
                TaxIdScheme::Other => FieldErrorCode::InvalidValue,
            };
            v.check("tax_id.value", code, TaxId::parse(scheme, value))
        }
        None => {
            if kind == CustomerKind::Organisation {
                v.fail(
                    "tax_id",
                    FieldErrorCode::Required,
                    "an organisation has a tax id",
                );
            }
            None
        }
    }
}

/// E-mails well formed, each once, in lower case.
pub fn check_emails(v: &mut Validator, entries: &[EmailEntry]) -> Vec<EmailEntry> {
    v.at_most("emails", entries, MAX_CONTACT_ENTRIES);
    let mut seen = Vec::new();
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let field = format!("emails[{i}].value");
            let email = v.check(
                &field,
                FieldErrorCode::InvalidEmail,
                Email::parse(&entry.value),
            )?;
            if seen.contains(&email) {
                v.fail(field, FieldErrorCode::Duplicate, "is listed twice");
            }
            let label = v.optional_text(
                &format!("emails[{i}].label"),
                entry.label.as_deref(),
                LABEL_MAX_CHARS,
            );
            let value = email.to_string();
            seen.push(email);
            Some(EmailEntry { value, label })
        })
        .collect()
}

/// Phones that parse, each once whatever its spelling, in E.164 where the country is known.
pub fn check_phones(v: &mut Validator, entries: &[PhoneEntry]) -> (Vec<PhoneEntry>, Vec<Phone>) {
    v.at_most("phones", entries, MAX_CONTACT_ENTRIES);
    let mut parsed: Vec<Phone> = Vec::new();
    let mut phones = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let field = format!("phones[{i}].value");
        let Some(phone) = v.check(
            &field,
            FieldErrorCode::InvalidPhone,
            Phone::parse(&entry.value),
        ) else {
            continue;
        };
        if parsed
            .iter()
            .any(|p| p.national_digits() == phone.national_digits())
        {
            v.fail(field, FieldErrorCode::Duplicate, "is listed twice");
        }
        let label = v.optional_text(
            &format!("phones[{i}].label"),
            entry.label.as_deref(),
            LABEL_MAX_CHARS,
        );
        // Kept in E.164, so every number reads the same wherever it was typed; shown grouped.
        phones.push(PhoneEntry {
            value: phone.e164().unwrap_or_else(|| phone.display().to_owned()),
            label,
        });
        parsed.push(phone);
    }
    (phones, parsed)
}

fn check_addresses(v: &mut Validator, entries: &[Address]) -> Vec<Address> {
    v.at_most("addresses", entries, MAX_CONTACT_ENTRIES);
    entries
        .iter()
        .enumerate()
        .map(|(i, a)| check_address(v, &format!("addresses[{i}]"), a))
        .collect()
}

/// Checks one address; `prefix` is its path in the request (`addresses[0]`). The country is
/// an ISO 3166 alpha-2 code, and the postal code has that country's form.
pub fn check_address(v: &mut Validator, prefix: &str, a: &Address) -> Address {
    let field = |name: &str| format!("{prefix}.{name}");
    let country = a.country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        v.fail(
            field("country"),
            FieldErrorCode::InvalidValue,
            "an ISO 3166 two-letter code, e.g. PL",
        );
    }
    let postal_code = v
        .check(
            field("postal_code"),
            FieldErrorCode::InvalidPostalCode,
            validate_postal_code(&country, &a.postal_code),
        )
        .unwrap_or_default();
    Address {
        kind: a.kind,
        street: v.text(&field("street"), &a.street, STREET_MAX_CHARS),
        building: v.text(&field("building"), &a.building, BUILDING_MAX_CHARS),
        apartment: v.optional_text(
            &field("apartment"),
            a.apartment.as_deref(),
            BUILDING_MAX_CHARS,
        ),
        postal_code,
        city: v.text(&field("city"), &a.city, CITY_MAX_CHARS),
        country,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{FieldErrorCode as Code, Invalid};

    fn person<'a>(first: &'a str, last: &'a str) -> CustomerInput<'a> {
        CustomerInput {
            kind: CustomerKind::Person,
            first_name: Some(first),
            last_name: Some(last),
            organisation_name: None,
            tax_id: None,
            segment: None,
            preferred_language: None,
            emails: &[],
            phones: &[],
            addresses: &[],
            notes: None,
        }
    }

    fn errors_of(input: CustomerInput<'_>) -> Vec<(String, Code)> {
        let mut v = Validator::new();
        check_customer(&mut v, input);
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn address(postal_code: &str, country: &str) -> Address {
        Address {
            kind: AddressKind::Residence,
            street: " ul. Długa ".into(),
            building: "5".into(),
            apartment: Some(" ".into()),
            postal_code: postal_code.into(),
            city: "Warszawa".into(),
            country: country.into(),
        }
    }

    #[test]
    fn a_person_needs_both_names_and_no_organisation_name() {
        assert_eq!(errors_of(person("Anna", "Kowalska")), []);
        assert_eq!(
            errors_of(CustomerInput {
                organisation_name: Some("ZUK"),
                ..person(" ", "")
            }),
            [
                ("first_name".into(), Code::Required),
                ("last_name".into(), Code::Required),
                ("organisation_name".into(), Code::NotAllowed),
            ]
        );
    }

    #[test]
    fn an_organisation_needs_a_name_and_a_valid_tax_id() {
        let organisation = CustomerInput {
            kind: CustomerKind::Organisation,
            first_name: None,
            last_name: None,
            organisation_name: Some("ZUK Sp. z o.o."),
            ..person("", "")
        };
        assert_eq!(errors_of(organisation), [("tax_id".into(), Code::Required)]);
        assert_eq!(
            errors_of(CustomerInput {
                tax_id: Some((None, "123-456-32-19")),
                ..organisation
            }),
            [("tax_id.value".into(), Code::NipInvalid)]
        );
        assert_eq!(
            errors_of(CustomerInput {
                tax_id: Some((Some(TaxIdScheme::RuInn), "7707083894")),
                ..organisation
            }),
            [("tax_id.value".into(), Code::InnInvalid)]
        );
        let mut v = Validator::new();
        let details = check_customer(
            &mut v,
            CustomerInput {
                tax_id: Some((None, "123-456-32-18")),
                ..organisation
            },
        );
        assert!(v.is_valid());
        assert_eq!(details.display_name(), "ZUK Sp. z o.o.");
        assert_eq!(details.segment, Segment::Business);
        assert_eq!(
            details.tax_id.map(|t| t.value().to_owned()),
            Some("1234563218".into())
        );
    }

    #[test]
    fn contacts_are_normalised_and_listed_once() {
        let emails = [
            EmailEntry {
                value: " Anna@Example.PL ".into(),
                label: Some(" home ".into()),
            },
            EmailEntry {
                value: "anna@example.pl".into(),
                label: None,
            },
            EmailEntry {
                value: "not-an-email".into(),
                label: None,
            },
        ];
        let phones = [
            PhoneEntry {
                value: "+48 600 100 200".into(),
                label: None,
            },
            PhoneEntry {
                value: "600-100-200".into(),
                label: None,
            },
        ];
        let input = CustomerInput {
            emails: &emails,
            phones: &phones,
            ..person("Anna", "Kowalska")
        };
        assert_eq!(
            errors_of(input),
            [
                ("emails[1].value".into(), Code::Duplicate),
                ("emails[2].value".into(), Code::InvalidEmail),
                ("phones[1].value".into(), Code::Duplicate),
            ]
        );
        let mut v = Validator::new();
        let details = check_customer(&mut v, input);
        assert_eq!(
            details.emails.first(),
            Some(&EmailEntry {
                value: "anna@example.pl".into(),
                label: Some("home".into())
            })
        );
    }

    #[test]
    fn too_many_contacts_are_refused() {
        let phones: Vec<PhoneEntry> = (0..=MAX_CONTACT_ENTRIES)
            .map(|i| PhoneEntry {
                value: format!("600 100 2{i:02}"),
                label: None,
            })
            .collect();
        assert_eq!(
            errors_of(CustomerInput {
                phones: &phones,
                ..person("Anna", "Kowalska")
            }),
            [("phones".into(), Code::TooMany)]
        );
    }

    #[test]
    fn an_address_has_its_countrys_postal_code() {
        let mut v = Validator::new();
        let checked = check_address(&mut v, "addresses[0]", &address("00950", "pl"));
        assert!(v.is_valid());
        assert_eq!(checked.postal_code, "00-950");
        assert_eq!(checked.country, "PL");
        assert_eq!(checked.street, "ul. Długa");
        assert_eq!(checked.apartment, None);
        let addresses = [address("101000", "PL"), address("101000", "RUS")];
        assert_eq!(
            errors_of(CustomerInput {
                addresses: &addresses,
                ..person("Anna", "Kowalska")
            }),
            [
                ("addresses[0].postal_code".into(), Code::InvalidPostalCode),
                ("addresses[1].country".into(), Code::InvalidValue),
            ]
        );
    }

    #[test]
    fn a_person_is_found_by_name_phone_and_street() {
        let phones = [PhoneEntry {
            value: "600 100 200".into(),
            label: None,
        }];
        let addresses = [address("00-950", "PL")];
        let mut v = Validator::new();
        let details = check_customer(
            &mut v,
            CustomerInput {
                phones: &phones,
                addresses: &addresses,
                ..person("Łucja", "Żak")
            },
        );
        assert_eq!(details.display_name(), "Żak Łucja");
        assert_eq!(details.segment, Segment::Household);
        assert_eq!(details.preferred_language, Language::Pl);
        let query = search::SearchQuery::parse("zak 600100200 dluga").expect("a query");
        assert!(query.matches(&details.search_text()));
    }
}
