//! What the generated operator's customers look like: nine in ten persons (three quarters with
//! Polish names, a quarter with Russian ones in Cyrillic, who prefer Russian), one in ten
//! organisations (Polish firms with a NIP, a few Russian-speaking ones with an INN), thirty to
//! a building on the streets of sixteen cities (`places`), with mobile phones and mostly
//! e-mail addresses. Nine in ten are active; the others are prospects without a contract yet
//! or closed accounts whose contract ended. Every customer is a function of their number
//! alone, so each table's rows are made in one pass without holding the customers.

use okno_api_types::customers::{Address, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput};
use okno_domain::customers::{
    AddressKind, CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::people::{self, pick, weighted};
use super::places::{self, Street};
use crate::demo::names::{random_inn, random_nip, transliterate};

/// Flats per building: a building's residents share its street and number.
pub const FLATS_PER_BUILDING: u64 = 30;

/// A customer's random source: the same for the same number and purpose in every pass.
pub fn rng_for(number: u64, purpose: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(number.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose)
}

/// Where customer `number` stands with the operator. A rule of the number, like the month's
/// other rules (`mod.rs`), so counts are exact: one in twenty closed, one in twenty a
/// prospect; both odd numbers, so never one with a phone line, a pause or a tariff change.
pub fn status_of(number: u64) -> CustomerStatus {
    match number % 20 {
        11 => CustomerStatus::Closed,
        13 => CustomerStatus::Prospect,
        _ => CustomerStatus::Active,
    }
}

/// Whether customer `number` has a contract (a prospect has none yet).
pub fn has_contract(number: u64) -> bool {
    status_of(number) != CustomerStatus::Prospect
}

/// What the rest of a customer follows from, drawn first from their random source.
#[derive(Debug, Clone, Copy)]
struct Profile {
    organisation: bool,
    russian: bool,
    woman: bool,
}

impl Profile {
    fn draw(rng: &mut ChaCha8Rng) -> Self {
        let organisation = rng.random_bool(0.12);
        let russian = rng.random_bool(if organisation { 0.15 } else { 0.25 });
        let woman = rng.random_bool(0.52);
        Self {
            organisation,
            russian,
            woman,
        }
    }

    fn language(self) -> Language {
        if self.russian {
            Language::Ru
        } else {
            Language::Pl
        }
    }
}

/// The language customer `number` prefers, without making the whole customer.
pub fn language_of(number: u64) -> Language {
    Profile::draw(&mut rng_for(number, 1)).language()
}

/// A customer's name: a person's first and last, or an organisation's with its tax id.
enum Name {
    Person {
        first: String,
        last: String,
    },
    Organisation {
        name: String,
        brand: &'static str,
        tax_id: TaxIdInput,
    },
}

/// Customer `number` (from 1) as registering them through the API would describe them.
pub fn customer(number: u64) -> NewCustomer {
    let mut rng = rng_for(number, 1);
    let profile = Profile::draw(&mut rng);
    let home = address(number);
    let (street, _) = places::building(building_of(number));
    let name = name(&mut rng, profile);
    let mut input = NewCustomer {
        kind: CustomerKind::Person,
        first_name: None,
        last_name: None,
        organisation_name: None,
        tax_id: None,
        segment: None,
        preferred_language: Some(profile.language()),
        sales_point_id: None,
        emails: Vec::new(),
        phones: phones(&mut rng, number, profile, &street),
        addresses: vec![home],
        notes: notes(&mut rng, number, profile),
    };
    let mail = mail_address(&mut rng, number, profile, &name);
    match name {
        Name::Person { first, last } => {
            input.first_name = Some(first);
            input.last_name = Some(last);
            input.segment = rng.random_bool(0.01).then_some(Segment::Vip);
        }
        Name::Organisation { name, tax_id, .. } => {
            input.kind = CustomerKind::Organisation;
            input.organisation_name = Some(name);
            input.tax_id = Some(tax_id);
        }
    }
    input
        .emails
        .extend(mail.map(|value| EmailEntry { value, label: None }));
    input
}

fn name(rng: &mut ChaCha8Rng, profile: Profile) -> Name {
    match (profile.organisation, profile.russian) {
        (true, false) => {
            let trade = pick(rng, &people::TRADES);
            let brand = pick(rng, &people::BRANDS);
            let form = weighted(rng, &people::PL_FORMS).unwrap_or("Sp. z o.o.");
            Name::Organisation {
                name: format!("{trade} {brand} {form}"),
                brand,
                tax_id: TaxIdInput {
                    scheme: Some(TaxIdScheme::PlNip),
                    value: random_nip(rng),
                },
            }
        }
        (true, true) => {
            let form = weighted(rng, &people::RU_FORMS).unwrap_or("ООО");
            let brand = pick(rng, &people::RU_BRANDS);
            Name::Organisation {
                name: format!("{form} «{brand}»"),
                brand,
                tax_id: TaxIdInput {
                    scheme: Some(TaxIdScheme::RuInn),
                    value: random_inn(rng),
                },
            }
        }
        (false, false) => {
            let firsts = if profile.woman {
                people::PL_WOMEN
            } else {
                people::PL_MEN
            };
            let first = pick(rng, &firsts);
            let last = weighted(rng, &people::PL_SURNAMES).unwrap_or("Nowak");
            Name::Person {
                first: first.to_owned(),
                last: if profile.woman {
                    people::polish_feminine(last)
                } else {
                    last.to_owned()
                },
            }
        }
        (false, true) => {
            let firsts = if profile.woman {
                people::RU_WOMEN
            } else {
                people::RU_MEN
            };
            let first = pick(rng, &firsts);
            let last = weighted(rng, &people::RU_SURNAMES).unwrap_or("Иванов");
            Name::Person {
                first: first.to_owned(),
                last: if profile.woman {
                    people::russian_feminine(last)
                } else {
                    last.to_owned()
                },
            }
        }
    }
}

/// Seven in ten persons and nine in ten organisations give an e-mail address, made from the
/// name in ASCII, with a number as people add one to get a free address.
fn mail_address(
    rng: &mut ChaCha8Rng,
    number: u64,
    profile: Profile,
    name: &Name,
) -> Option<String> {
    const PERSONAL: [&str; 3] = ["example.pl", "poczta.example.pl", "mail.example.com"];
    const RUSSIAN: [&str; 2] = ["example.ru", "mail.example.com"];
    let given = rng.random_bool(if profile.organisation { 0.9 } else { 0.7 });
    let style = rng.random_range(0..3);
    let personal = pick(rng, if profile.russian { &RUSSIAN } else { &PERSONAL });
    if !given {
        return None;
    }
    Some(match name {
        Name::Person { first, last } => {
            let (first, last) = (transliterate(first), transliterate(last));
            let initial = first.get(..1).unwrap_or_default();
            match style {
                0 => format!("{first}.{last}{}@{personal}", number % 100),
                1 => format!("{initial}{last}{}@{personal}", number % 1000),
                _ => format!("{last}.{first}{}@{personal}", number % 1000),
            }
        }
        Name::Organisation { brand, .. } => {
            let (mailbox, tld) = if profile.russian {
                ("info", "ru")
            } else {
                ("biuro", "pl")
            };
            format!(
                "{mailbox}@{}{}.example.{tld}",
                transliterate(brand),
                number % 10_000
            )
        }
    })
}

/// A mobile for everyone; an office line first for organisations, a home line for a few
/// persons, both in the city's area.
fn phones(rng: &mut ChaCha8Rng, number: u64, profile: Profile, street: &Street) -> Vec<PhoneEntry> {
    let label = |pl: &str, ru: &str| Some(if profile.russian { ru } else { pl }.to_owned());
    let mobile = PhoneEntry {
        value: mobile(number, profile.russian),
        label: None,
    };
    let landline = PhoneEntry {
        value: landline(number, street.area),
        label: None,
    };
    if profile.organisation {
        vec![
            PhoneEntry {
                label: label("biuro", "офис"),
                ..landline
            },
            mobile,
        ]
    } else if rng.random_bool(0.08) {
        vec![
            mobile,
            PhoneEntry {
                label: label("dom", "домашний"),
                ..landline
            },
        ]
    } else {
        vec![mobile]
    }
}

/// A mobile number no other customer has: customer numbers spread over the range by a
/// multiplier prime to its size. Polish mobiles begin with 5 to 8, Russian ones with 9.
fn mobile(number: u64, russian: bool) -> String {
    let spread = number.wrapping_mul(7_919) % 400_000_000;
    if russian {
        let n = 9_000_000_000 + spread;
        format!(
            "+7 {} {:03}-{:02}-{:02}",
            n / 10_000_000,
            n / 10_000 % 1_000,
            n / 100 % 100,
            n % 100
        )
    } else {
        let n = 500_000_000 + spread;
        format!(
            "+48 {} {:03} {:03}",
            n / 1_000_000,
            n / 1_000 % 1_000,
            n % 1_000
        )
    }
}

/// A landline no other customer has, in the city's area: seven digits beginning with 2 to 8.
fn landline(number: u64, area: &str) -> String {
    let n = 2_000_000 + number.wrapping_mul(104_729) % 7_000_000;
    format!(
        "+48 {area} {:03} {:02} {:02}",
        n / 10_000,
        n / 100 % 100,
        n % 100
    )
}

fn notes(rng: &mut ChaCha8Rng, number: u64, profile: Profile) -> Option<String> {
    let pl_ru = |pl: &str, ru: &str| Some(if profile.russian { ru } else { pl }.to_owned());
    if status_of(number) == CustomerStatus::Closed {
        return pl_ru(
            "Umowa rozwiązana na prośbę klienta (wyprowadzka).",
            "Договор расторгнут по просьбе клиента (переезд).",
        );
    }
    if !rng.random_bool(0.04) {
        return None;
    }
    if profile.organisation {
        pl_ru(
            "Faktury prosi wysyłać do księgowości.",
            "Счета просит отправлять в бухгалтерию.",
        )
    } else {
        pl_ru(
            "Preferuje kontakt po godzinie 17.",
            "Просит звонить после 17:00.",
        )
    }
}

fn building_of(number: u64) -> u64 {
    number.saturating_sub(1) / FLATS_PER_BUILDING
}

/// Where customer `number` lives: thirty flats to a building, the buildings spread over the
/// streets of the cities.
fn address(number: u64) -> Address {
    let (street, building) = places::building(building_of(number));
    let flat = number.saturating_sub(1) % FLATS_PER_BUILDING + 1;
    Address {
        kind: AddressKind::Residence,
        street: street.name.to_owned(),
        building: building.to_string(),
        apartment: Some(flat.to_string()),
        postal_code: street.postal_code(),
        city: street.city.to_owned(),
        country: "PL".to_owned(),
    }
}

/// Where customer `number`'s services are delivered: their home, as the stored JSON.
pub fn service_address(number: u64) -> Result<String, String> {
    serde_json::to_string(&Address {
        kind: AddressKind::Service,
        ..address(number)
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_the_same_in_every_pass_and_phones_are_unique() {
        assert_eq!(customer(12_345), customer(12_345));
        let phones: std::collections::HashSet<String> = (1..=20_000)
            .flat_map(|n| customer(n).phones.into_iter().map(|p| p.value))
            .collect();
        let count: usize = (1..=20_000).map(|n| customer(n).phones.len()).sum();
        assert_eq!(phones.len(), count);
    }

    #[test]
    fn thirty_flats_share_a_building_and_no_two_customers_a_flat() {
        let first = customer(31).addresses[0].clone();
        let last = customer(60).addresses[0].clone();
        assert_eq!(
            (&first.street, &first.building, &first.city),
            (&last.street, &last.building, &last.city)
        );
        assert_eq!(first.apartment.as_deref(), Some("1"));
        assert_ne!(customer(61).addresses[0].street, first.street);
        let homes: std::collections::HashSet<String> = (1..=100_000)
            .step_by(7)
            .map(|n| format!("{:?}", address(n)))
            .collect();
        assert_eq!(homes.len(), (1..=100_000).step_by(7).count());
    }

    #[test]
    fn the_language_shortcut_agrees_with_the_customer() {
        for n in 1..=2_000 {
            assert_eq!(Some(language_of(n)), customer(n).preferred_language);
        }
    }
}
