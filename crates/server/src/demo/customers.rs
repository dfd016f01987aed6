//! The demo's customers: a few well-known ones the user guide and the tests name, and
//! random people and organisations, registered through the same checks as the API's, with
//! their consents, contacts and contracts.

use chrono::Duration;
use okno_api_types::customers::{Address, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput};
use okno_api_types::{
    AddressKind, CustomerKind, CustomerStatus, Language, Role, Segment, TaxIdScheme,
};
use okno_db::DbConnection;
use okno_db::customers::CustomerRecord;
use okno_db::reference::TopicRecord;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::contacts::{seed_consents, seed_interactions};
use super::names::{
    COMPANIES, PL_MEN, PL_SURNAMES, PL_WOMEN, RU_MEN, RU_SURNAMES, RU_WOMEN, STREETS, random_nip,
    transliterate,
};
use super::staff::DemoStaff;
use super::{SeedOutcome, commercial};
use crate::customers;
use crate::error::ApiResult;
use crate::state::AppState;

/// The demo customers with their consents and contacts, acting as the demo staff.
pub fn seed_customers(state: &AppState, conn: &mut DbConnection) -> ApiResult<SeedOutcome> {
    let now = state.now();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let staff = DemoStaff::load(conn)?;
    let topics = TopicRecord::list(conn)?;

    let mut people = well_known_customers();
    people.extend((0..52).map(|i| random_customer(&mut rng, i)));
    move_into_the_block(&mut people);
    let mut interaction_count = 0;
    for (index, (input, status)) in people.into_iter().enumerate() {
        // Registered before any contract of theirs was prepared: the oldest demo contract
        // starts some 23 months back.
        let registered = now
            - Duration::days(rng.random_range(720..900))
            - Duration::minutes(rng.random_range(0..600));
        let creator = staff.pick(&mut rng, &[Role::Agent, Role::Operator]);
        let card = customers::create(conn, creator, &input, false, registered)?;
        if status != CustomerStatus::Prospect {
            set_status(conn, card.id, status)?;
        }
        seed_consents(conn, &mut rng, &staff, card.id, registered, index)?;
        if let (Some(kind), Some((agent, manager))) = (
            commercial::contract_for(status, index),
            commercial::signers(&staff.principals),
        ) {
            let record = CustomerRecord::find(conn, card.id)?;
            if let Some(address) = commercial::residence(&record.addresses)? {
                commercial::seed_contract(
                    conn,
                    &state.settings.operator,
                    &mut rng,
                    agent,
                    manager,
                    card.id,
                    &address,
                    kind,
                    // Every signed contract has its document, as a real operator's would.
                    true,
                    now,
                )?;
            }
        }
        interaction_count +=
            seed_interactions(conn, &mut rng, &staff, &topics, card.id, now, index)?;
    }
    Ok(SeedOutcome::Seeded {
        customers: 60,
        interactions: interaction_count,
    })
}

/// The block of flats at ul. Grójecka 44 where the demo's outage happens: some active
/// customers live there, each in their own flat, so their services share a building.
pub(super) const BLOCK: (&str, &str, &str, &str) = ("ul. Grójecka", "44", "02-021", "Warszawa");

fn move_into_the_block(people: &mut [(NewCustomer, CustomerStatus)]) {
    let (street, building, postal_code, city) = BLOCK;
    let movers = people
        .iter_mut()
        .enumerate()
        .skip(12)
        .filter(|(_, (_, status))| *status == CustomerStatus::Active)
        .step_by(3)
        .take(7);
    for (flat, (_, (customer, _))) in movers.enumerate() {
        let apartment = (flat * 4 + 3).to_string();
        customer.addresses = vec![address(
            street,
            building,
            Some(&apartment),
            postal_code,
            city,
        )];
    }
}

fn set_status(conn: &mut DbConnection, customer_id: i64, status: CustomerStatus) -> ApiResult<()> {
    use diesel::prelude::*;
    use okno_db::schema::customers::dsl;
    diesel::update(dsl::customers.find(customer_id))
        .set(dsl::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

fn person(first: &str, last: &str, language: Language) -> NewCustomer {
    NewCustomer {
        kind: CustomerKind::Person,
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        organisation_name: None,
        tax_id: None,
        segment: None,
        preferred_language: Some(language),
        sales_point_id: None,
        emails: vec![],
        phones: vec![],
        addresses: vec![],
        notes: None,
    }
}

fn address(
    street: &str,
    building: &str,
    apartment: Option<&str>,
    postal_code: &str,
    city: &str,
) -> Address {
    Address {
        kind: AddressKind::Residence,
        street: street.into(),
        building: building.into(),
        apartment: apartment.map(Into::into),
        postal_code: postal_code.into(),
        city: city.into(),
        country: "PL".into(),
    }
}

fn phone(value: &str) -> PhoneEntry {
    PhoneEntry {
        value: value.into(),
        label: Some("komórka".into()),
    }
}

fn email(value: &str) -> EmailEntry {
    EmailEntry {
        value: value.into(),
        label: None,
    }
}

/// Customers that the user guide and the tests refer to by name.
fn well_known_customers() -> Vec<(NewCustomer, CustomerStatus)> {
    let mut anna = person("Anna", "Kowalska", Language::Pl);
    anna.phones = vec![phone("+48 600 100 200")];
    anna.emails = vec![email("anna.kowalska@example.pl")];
    anna.addresses = vec![address("ul. Długa", "5", Some("3"), "00-238", "Warszawa")];

    let mut jan = person("Jan", "Nowak", Language::Pl);
    jan.phones = vec![
        phone("+48 601 234 567"),
        PhoneEntry {
            value: "22 654 32 10".into(),
            label: Some("domowy".into()),
        },
    ];
    jan.emails = vec![email("jan.nowak@example.pl")];
    jan.addresses = vec![address("ul. Łąkowa", "17", None, "02-495", "Warszawa")];
    jan.segment = Some(Segment::Vip);

    let mut ivan = person("Иван", "Петров", Language::Ru);
    ivan.phones = vec![phone("+48 512 345 678")];
    ivan.emails = vec![email("ivan.petrov@example.com")];
    ivan.addresses = vec![address(
        "ul. Grochowska",
        "210",
        Some("14"),
        "04-357",
        "Warszawa",
    )];

    let mut olga = person("Ольга", "Смирнова", Language::Ru);
    olga.phones = vec![phone("+7 912 345 67 89")];
    olga.addresses = vec![address("ul. Pańska", "73", Some("8"), "00-834", "Warszawa")];

    let mut bakery = NewCustomer {
        kind: CustomerKind::Organisation,
        organisation_name: Some("Piekarnia Złoty Kłos Sp. z o.o.".into()),
        tax_id: Some(TaxIdInput {
            scheme: Some(TaxIdScheme::PlNip),
            value: "526-000-12-46".into(),
        }),
        ..person("", "", Language::Pl)
    };
    bakery.first_name = None;
    bakery.last_name = None;
    bakery.phones = vec![phone("+48 22 811 22 33")];
    bakery.emails = vec![email("biuro@zlotyklos.example.pl")];
    bakery.addresses = vec![address("ul. Chlebowa", "4", None, "03-120", "Warszawa")];

    let mut suspended = person("Grzegorz", "Wiśniewski", Language::Pl);
    suspended.phones = vec![phone("+48 698 777 111")];
    suspended.addresses = vec![address(
        "ul. Krakowska",
        "101",
        Some("2"),
        "30-001",
        "Kraków",
    )];

    vec![
        (anna, CustomerStatus::Active),
        (jan, CustomerStatus::Active),
        (ivan, CustomerStatus::Active),
        (olga, CustomerStatus::Active),
        (bakery, CustomerStatus::Active),
        (suspended, CustomerStatus::Suspended),
        (prospect(), CustomerStatus::Prospect),
        (closed(), CustomerStatus::Closed),
    ]
}

fn prospect() -> NewCustomer {
    let mut c = person("Zofia", "Mazur", Language::Pl);
    c.phones = vec![phone("+48 733 000 123")];
    c.addresses = vec![address("ul. Ogrodowa", "9", None, "31-155", "Kraków")];
    c
}

fn closed() -> NewCustomer {
    let mut c = person("Stanisław", "Krawczyk", Language::Pl);
    c.addresses = vec![address("ul. Polna", "22", Some("1"), "00-635", "Warszawa")];
    c.notes = Some("Wyprowadzka za granicę; konto zamknięte na prośbę klienta.".into());
    c
}

fn random_customer(rng: &mut ChaCha8Rng, index: usize) -> (NewCustomer, CustomerStatus) {
    let (street, postal_code, city) = *STREETS.choose(rng).unwrap_or(&STREETS[0]);
    let building = rng.random_range(1..180).to_string();
    let apartment = rng
        .random_bool(0.7)
        .then(|| rng.random_range(1..90).to_string());
    let mobile = format!(
        "+48 {} {:03} {:03}",
        [501, 502, 600, 601, 691, 698, 720, 733, 784, 886]
            .choose(rng)
            .unwrap_or(&600),
        rng.random_range(0..1000),
        rng.random_range(0..1000)
    );
    let mut customer = if index % 7 == 3 && index / 7 < COMPANIES.len() {
        let name = COMPANIES.get(index / 7).copied().unwrap_or("Firma");
        NewCustomer {
            kind: CustomerKind::Organisation,
            first_name: None,
            last_name: None,
            organisation_name: Some(name.into()),
            tax_id: Some(TaxIdInput {
                scheme: Some(TaxIdScheme::PlNip),
                value: random_nip(rng),
            }),
            segment: Some(Segment::Business),
            preferred_language: Some(Language::Pl),
            sales_point_id: None,
            emails: vec![email(&format!("kontakt{index}@firma.example.pl"))],
            phones: vec![phone(&mobile)],
            addresses: vec![address(street, &building, None, postal_code, city)],
            notes: None,
        }
    } else {
        let russian = index % 5 == 1;
        let woman = rng.random_bool(0.5);
        let (first, last, language) = if russian {
            let first = if woman {
                RU_WOMEN.choose(rng)
            } else {
                RU_MEN.choose(rng)
            }
            .copied()
            .unwrap_or("Иван");
            let (m, f) = *RU_SURNAMES.choose(rng).unwrap_or(&RU_SURNAMES[0]);
            (first, if woman { f } else { m }, Language::Ru)
        } else {
            let first = if woman {
                PL_WOMEN.choose(rng)
            } else {
                PL_MEN.choose(rng)
            }
            .copied()
            .unwrap_or("Jan");
            let (m, f) = *PL_SURNAMES.choose(rng).unwrap_or(&PL_SURNAMES[0]);
            (first, if woman { f } else { m }, Language::Pl)
        };
        let mut c = person(first, last, language);
        c.phones = vec![phone(&mobile)];
        if rng.random_bool(0.8) {
            c.emails = vec![email(&format!(
                "{}.{}{}@example.pl",
                transliterate(first),
                transliterate(last),
                index
            ))];
        }
        c.addresses = vec![address(
            street,
            &building,
            apartment.as_deref(),
            postal_code,
            city,
        )];
        if rng.random_bool(0.1) {
            c.segment = Some(Segment::Vip);
        }
        c
    };
    if index % 11 == 5 {
        customer.notes = Some("Preferuje kontakt po godzinie 17.".into());
    }
    let status = match index % 13 {
        0 => CustomerStatus::Suspended,
        7 => CustomerStatus::Prospect,
        _ => CustomerStatus::Active,
    };
    (customer, status)
}
