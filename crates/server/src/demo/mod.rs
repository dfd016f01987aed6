//! Demo data: a head office with two sales points, one staff user per role (password `demo`),
//! a topic classification in three languages, and customers — people with Polish and Russian
//! names, organisations with valid NIPs — with consents and months of contact history.
//!
//! Everything is generated from a fixed seed, so each run gives the same data relative to its
//! date; customers go through the same validation as the API's.

use chrono::{DateTime, Duration, Utc};
use okno_api_types::customers::{Address, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput};
use okno_api_types::interactions::NewInteraction;
use okno_api_types::{
    AddressKind, Channel, ConsentPurpose, CustomerKind, CustomerStatus, Department, Direction,
    Language, Role, Segment, TaxIdScheme,
};
use okno_db::customers::{ConsentRecord, CustomerRecord};
use okno_db::reference::{NewSalesPointRow, NewTopicRow, SalesPointRecord, TopicRecord};
use okno_db::users::{NewUserRow, UserRecord};
use okno_db::{DbConnection, write_transaction};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod billing;
mod commercial;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::routes::{customers, interactions};
use crate::state::AppState;
use crate::time::to_db;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "demo";

/// Demo logins, in the order the start-up banner lists them.
pub const DEMO_USERS: [(&str, Role, &str, &str); 8] = [
    ("admin", Role::Admin, "Administrator Systemu", "HQ"),
    ("operator", Role::Operator, "Ewa Nowicka", "HQ"),
    ("agent", Role::Agent, "Piotr Zieliński", "WAW-1"),
    ("retention", Role::Retention, "Katarzyna Wójcik", "WAW-1"),
    ("cashier", Role::Cashier, "Marek Kamiński", "WAW-1"),
    ("manager", Role::Manager, "Joanna Lewandowska", "WAW-1"),
    ("technician", Role::Technician, "Tomasz Dąbrowski", "HQ"),
    ("finance", Role::Finance, "Agnieszka Szymańska", "HQ"),
];

const TOPICS: [(&str, &str, &str, &str); 12] = [
    (
        "billing.invoice",
        "Invoice question",
        "Pytanie o fakturę",
        "Вопрос по счёту",
    ),
    ("billing.payment", "Payment", "Płatność", "Оплата"),
    (
        "contract.new",
        "New contract",
        "Nowa umowa",
        "Новый договор",
    ),
    (
        "contract.change",
        "Tariff change",
        "Zmiana taryfy",
        "Смена тарифа",
    ),
    (
        "contract.termination",
        "Termination",
        "Rozwiązanie umowy",
        "Расторжение договора",
    ),
    ("tech.no_service", "No service", "Brak usługi", "Нет услуги"),
    (
        "tech.slow",
        "Slow connection",
        "Wolne połączenie",
        "Медленное соединение",
    ),
    ("tech.equipment", "Equipment", "Sprzęt", "Оборудование"),
    ("complaint", "Complaint", "Reklamacja", "Жалоба"),
    (
        "info.general",
        "General information",
        "Informacja ogólna",
        "Общая информация",
    ),
    (
        "data.consents",
        "Consents and personal data",
        "Zgody i dane osobowe",
        "Согласия и персональные данные",
    ),
    (
        "meter.reading",
        "Meter reading",
        "Odczyt licznika",
        "Показания счётчика",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        customers: usize,
        interactions: usize,
    },
    AlreadySeeded,
    /// The database holds other data; demo data goes into empty databases only.
    NotEmpty,
}

/// Sales points, one user per role, the topics and the price list; nothing if they exist
/// already.
pub fn seed_staff(state: &AppState, conn: &mut DbConnection) -> ApiResult<bool> {
    if SalesPointRecord::find_by_code(conn, "HQ")?.is_some() {
        return Ok(false);
    }
    let now = state.now();
    let password_hash = state.passwords.hash(DEMO_PASSWORD)?;
    write_transaction(conn, |conn| {
        let created_at = to_db(now - Duration::days(400));
        let hq = SalesPointRecord::insert(
            conn,
            &NewSalesPointRow {
                code: "HQ",
                name: "Centrala Okno Telecom",
                kind: "head_office",
                parent_id: None,
                address: "ul. Marszałkowska 100, 00-026 Warszawa",
                phone: Some("+48 22 100 00 00"),
                active: true,
                created_at,
            },
        )?;
        for (code, name, address, phone) in [
            (
                "WAW-1",
                "Punkt Obsługi Klienta Mokotów",
                "ul. Puławska 45, 02-508 Warszawa",
                "+48 22 200 10 10",
            ),
            (
                "KRK-1",
                "Punkt Obsługi Klienta Kraków",
                "ul. Długa 12, 31-147 Kraków",
                "+48 12 300 20 20",
            ),
        ] {
            SalesPointRecord::insert(
                conn,
                &NewSalesPointRow {
                    code,
                    name,
                    kind: "sales_point",
                    parent_id: Some(hq.id),
                    address,
                    phone: Some(phone),
                    active: true,
                    created_at,
                },
            )?;
        }
        for (username, role, display_name, point) in DEMO_USERS {
            let sales_point = SalesPointRecord::find_by_code(conn, point)?.map(|p| p.id);
            UserRecord::insert(
                conn,
                &NewUserRow {
                    username,
                    display_name,
                    role: role.as_str(),
                    sales_point_id: sales_point,
                    password_hash: &password_hash,
                    active: true,
                    created_at,
                    password_changed_at: to_db(now),
                    version: 1,
                },
            )?;
        }
        for (code, en, pl, ru) in TOPICS {
            TopicRecord::insert(
                conn,
                &NewTopicRow {
                    code,
                    name_en: en,
                    name_pl: Some(pl),
                    name_ru: Some(ru),
                    active: true,
                    created_at,
                },
            )?;
        }
        commercial::seed_price_list(conn, now)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(true)
}

/// The whole demo: staff, then customers with consents and contacts. Idempotent: a database
/// that has the demo already is left alone; one with other customers is refused.
pub fn seed_demo(state: &AppState, conn: &mut DbConnection) -> ApiResult<SeedOutcome> {
    if SalesPointRecord::find_by_code(conn, "HQ")?.is_some() {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let has_users = !UserRecord::list(conn, &Default::default(), None, 1)?.is_empty();
    let has_customers = !CustomerRecord::list(conn, &Default::default(), None, 1)?.is_empty();
    if has_users || has_customers {
        return Ok(SeedOutcome::NotEmpty);
    }
    seed_staff(state, conn)?;
    let outcome = seed_customers(state, conn)?;
    let staff = DemoStaff::load(conn)?;
    if let Some((agent, manager)) = commercial::signers(&staff.principals) {
        billing::seed_billing(state, conn, agent, manager)?;
    }
    Ok(outcome)
}

/// The demo customers with their consents and contacts, acting as the demo staff.
pub fn seed_customers(state: &AppState, conn: &mut DbConnection) -> ApiResult<SeedOutcome> {
    let now = state.now();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let staff = DemoStaff::load(conn)?;
    let topics = TopicRecord::list(conn)?;

    let mut people = well_known_customers();
    people.extend((0..52).map(|i| random_customer(&mut rng, i)));
    let mut interaction_count = 0;
    for (index, (input, status)) in people.into_iter().enumerate() {
        let registered = now
            - Duration::days(rng.random_range(150..700))
            - Duration::minutes(rng.random_range(0..600));
        let creator = staff.pick(&mut rng, &[Role::Agent, Role::Operator]);
        let card = customers::create(conn, creator, &input, registered)?;
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
                    index < 6,
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

fn set_status(conn: &mut DbConnection, customer_id: i64, status: CustomerStatus) -> ApiResult<()> {
    use diesel::prelude::*;
    use okno_db::schema::customers::dsl;
    diesel::update(dsl::customers.find(customer_id))
        .set(dsl::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

/// The demo staff as principals, to act in their name.
struct DemoStaff {
    principals: Vec<Principal>,
}

impl DemoStaff {
    fn load(conn: &mut DbConnection) -> ApiResult<Self> {
        let mut principals = Vec::new();
        for (username, ..) in DEMO_USERS {
            if let Some(user) = UserRecord::find_by_username(conn, username)? {
                principals.push(Principal::staff(&user, None));
            }
        }
        Ok(Self { principals })
    }

    fn pick(&self, rng: &mut ChaCha8Rng, roles: &[Role]) -> &Principal {
        let candidates: Vec<&Principal> = self
            .principals
            .iter()
            .filter(|p| roles.contains(&p.role))
            .collect();
        candidates
            .choose(rng)
            .copied()
            .or_else(|| self.principals.first())
            .unwrap_or_else(|| unreachable_staff())
    }
}

#[expect(
    clippy::panic,
    reason = "seed_staff creates the demo users before anyone is picked"
)]
fn unreachable_staff() -> &'static Principal {
    panic!("demo staff missing")
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

const PL_WOMEN: [&str; 12] = [
    "Maria",
    "Krystyna",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Magdalena",
    "Joanna",
    "Małgorzata",
    "Zuzanna",
    "Alicja",
    "Natalia",
    "Łucja",
];
const PL_MEN: [&str; 12] = [
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Michał",
    "Marcin",
    "Łukasz",
    "Jakub",
    "Wojciech",
    "Mateusz",
    "Józef",
];
/// Surnames as (masculine, feminine).
const PL_SURNAMES: [(&str, &str); 14] = [
    ("Nowicki", "Nowicka"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
];
const RU_WOMEN: [&str; 6] = ["Ольга", "Татьяна", "Наталья", "Елена", "Светлана", "Юлия"];
const RU_MEN: [&str; 6] = [
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Николай",
];
const RU_SURNAMES: [(&str, &str); 6] = [
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Соколов", "Соколова"),
    ("Лебедев", "Лебедева"),
    ("Волков", "Волкова"),
];
/// Streets with a postal code and city on them.
const STREETS: [(&str, &str, &str); 14] = [
    ("ul. Marszałkowska", "00-624", "Warszawa"),
    ("ul. Puławska", "02-566", "Warszawa"),
    ("ul. Grójecka", "02-021", "Warszawa"),
    ("al. Niepodległości", "02-653", "Warszawa"),
    ("ul. Wolska", "01-258", "Warszawa"),
    ("ul. Targowa", "03-728", "Warszawa"),
    ("ul. Żelazna", "00-872", "Warszawa"),
    ("ul. Floriańska", "31-019", "Kraków"),
    ("ul. Karmelicka", "31-128", "Kraków"),
    ("ul. Wielicka", "30-552", "Kraków"),
    ("ul. Zakopiańska", "30-418", "Kraków"),
    ("os. Bohaterów Września", "31-621", "Kraków"),
    ("ul. Piotrkowska", "90-410", "Łódź"),
    ("ul. Świętokrzyska", "00-116", "Warszawa"),
];
const COMPANIES: [&str; 8] = [
    "Biuro Rachunkowe Bilans s.c.",
    "Przychodnia Zdrowie Sp. z o.o.",
    "Hurtownia Elektryczna Iskra",
    "Szkoła Językowa Poliglota",
    "Warsztat Samochodowy Auto-Serwis",
    "Kancelaria Notarialna Nowak i Wspólnicy",
    "Apteka Pod Orłem",
    "Hotel Wisła Sp. z o.o.",
];

fn random_nip(rng: &mut ChaCha8Rng) -> String {
    const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
    loop {
        let digits: Vec<u32> = (0..9)
            .map(|i| {
                if i == 0 {
                    rng.random_range(1..10)
                } else {
                    rng.random_range(0..10)
                }
            })
            .collect();
        let check = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum::<u32>() % 11;
        if check < 10 {
            return digits
                .iter()
                .chain([check].iter())
                .map(u32::to_string)
                .collect();
        }
    }
}

fn transliterate(name: &str) -> String {
    okno_domain::search::fold(name)
        .chars()
        .map(|c| {
            match c {
                'а' => "a",
                'б' => "b",
                'в' => "v",
                'г' => "g",
                'д' => "d",
                'е' => "e",
                'ж' => "zh",
                'з' => "z",
                'и' => "i",
                'й' => "y",
                'к' => "k",
                'л' => "l",
                'м' => "m",
                'н' => "n",
                'о' => "o",
                'п' => "p",
                'р' => "r",
                'с' => "s",
                'т' => "t",
                'у' => "u",
                'ф' => "f",
                'х' => "kh",
                'ц' => "ts",
                'ч' => "ch",
                'ш' => "sh",
                'щ' => "shch",
                'ы' => "y",
                'э' => "e",
                'ю' => "yu",
                'я' => "ya",
                'ь' | 'ъ' => "",
                other if other.is_ascii_alphanumeric() => return other.to_string(),
                _ => "",
            }
            .to_owned()
        })
        .collect()
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

fn seed_consents(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    staff: &DemoStaff,
    customer_id: i64,
    registered: DateTime<Utc>,
    index: usize,
) -> ApiResult<()> {
    for purpose in [
        ConsentPurpose::ElectronicCorrespondence,
        ConsentPurpose::Marketing,
    ] {
        // The first customer has both consents, so the guide can show withdrawing one.
        if index != 0 && !rng.random_bool(0.6) {
            continue;
        }
        let by = staff
            .pick(rng, &[Role::Agent, Role::Operator])
            .recorded_by();
        let granted = registered + Duration::minutes(5);
        let consent = ConsentRecord::grant(
            conn,
            customer_id,
            purpose,
            Channel::Visit,
            &by,
            None,
            to_db(granted),
        )?;
        if index != 0 && rng.random_bool(0.15) {
            let withdrawn = granted + Duration::days(rng.random_range(10..120));
            ConsentRecord::withdraw(
                conn,
                consent.id,
                Channel::Phone,
                &by,
                None,
                to_db(withdrawn),
            )?;
        }
    }
    Ok(())
}

/// Summaries of contacts, by topic, as an operator would type them.
fn summary_for(topic: &str, rng: &mut ChaCha8Rng) -> (&'static str, Channel, bool) {
    let options: &[(&str, Channel, bool)] = match topic {
        "billing.invoice" => &[
            (
                "Klient pyta o kwotę na fakturze za ostatni miesiąc; wyjaśniono naliczenie proporcjonalne.",
                Channel::Phone,
                true,
            ),
            (
                "Prośba o duplikat faktury; wysłano e-mailem.",
                Channel::Email,
                true,
            ),
        ],
        "billing.payment" => &[
            (
                "Wpłata gotówkowa w punkcie, potwierdzenie wydane.",
                Channel::Visit,
                true,
            ),
            (
                "Klient zgłasza brak zaksięgowania przelewu; przekazano do działu finansowego.",
                Channel::Phone,
                false,
            ),
        ],
        "contract.new" => &[(
            "Klient zainteresowany ofertą internetu 300 Mb/s; umówiono wizytę w punkcie.",
            Channel::Phone,
            true,
        )],
        "contract.change" => &[(
            "Prośba o zmianę taryfy od przyszłego miesiąca.",
            Channel::Web,
            true,
        )],
        "contract.termination" => &[(
            "Zapytanie o warunki rozwiązania umowy; przekazano ofertę utrzymaniową.",
            Channel::Phone,
            false,
        )],
        "tech.no_service" => &[
            (
                "Brak internetu od rana; zdalny restart modemu pomógł.",
                Channel::Phone,
                true,
            ),
            (
                "Brak sygnału TV; zgłoszono do wsparcia technicznego, wizyta technika.",
                Channel::Phone,
                false,
            ),
        ],
        "tech.slow" => &[(
            "Wolne połączenie wieczorami; zalecono zmianę kanału Wi-Fi.",
            Channel::Phone,
            true,
        )],
        "tech.equipment" => &[(
            "Wymiana uszkodzonego routera w punkcie obsługi.",
            Channel::Visit,
            true,
        )],
        "complaint" => &[(
            "Reklamacja naliczenia opłaty za przerwę w usłudze; przyjęto pisemnie.",
            Channel::Letter,
            false,
        )],
        "data.consents" => &[("Klient zmienia zgody marketingowe.", Channel::Visit, true)],
        "meter.reading" => &[("Podany odczyt licznika przez SMS.", Channel::Sms, true)],
        _ => &[(
            "Informacja o godzinach otwarcia punktu obsługi.",
            Channel::Phone,
            true,
        )],
    };
    *options
        .choose(rng)
        .unwrap_or(&("Kontakt ogólny.", Channel::Phone, true))
}

fn seed_interactions(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    staff: &DemoStaff,
    topics: &[TopicRecord],
    customer_id: i64,
    now: DateTime<Utc>,
    index: usize,
) -> ApiResult<usize> {
    let count = if index == 0 {
        8
    } else {
        rng.random_range(2..10)
    };
    for _ in 0..count {
        let Some(topic) = topics.choose(rng) else {
            break;
        };
        let (summary, channel, settled) = summary_for(&topic.code, rng);
        let roles: &[Role] = match topic.code.split('.').next() {
            Some("tech") => &[Role::Technician, Role::Operator],
            Some("billing") => &[Role::Cashier, Role::Operator, Role::Finance],
            _ => &[Role::Operator, Role::Agent],
        };
        let handler = staff.pick(rng, roles);
        let occurred_at = now
            - Duration::days(rng.random_range(1..120))
            - Duration::minutes(rng.random_range(0..600));
        let input = NewInteraction {
            channel,
            direction: Some(if rng.random_bool(0.85) {
                Direction::Inbound
            } else {
                Direction::Outbound
            }),
            topic_id: Some(topic.id),
            summary: summary.into(),
            outcome: None,
            settled_in_contact: settled,
            department: (!settled).then(|| {
                if topic.code.starts_with("tech") {
                    Department::TechnicalSupport
                } else {
                    Department::SubscriberService
                }
            }),
            duration_seconds: (channel == Channel::Phone).then(|| rng.random_range(60..900)),
            occurred_at: Some(occurred_at),
        };
        interactions::register(conn, handler, customer_id, &input, now)?;
    }
    Ok(count)
}
