//! What the generated operator's customers look like: persons with Polish names (a quarter
//! with Russian ones, in Cyrillic, who prefer Russian) and organisations with valid NIPs,
//! living in buildings of thirty flats on the streets of a dozen cities, with mobile phones
//! and mostly e-mail addresses. Every customer is a function of its number alone, so each
//! table's rows are made in one pass without holding the customers.

use okno_api_types::customers::{Address, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput};
use okno_domain::customers::{AddressKind, CustomerKind, Language, TaxIdScheme};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::super::names::{PL_MEN, PL_WOMEN, RU_MEN, RU_WOMEN, random_nip, transliterate};

/// Flats per building: a building's residents share its street and number.
pub const FLATS_PER_BUILDING: u64 = 30;

const CITIES: [(&str, &str); 12] = [
    ("Warszawa", "0"),
    ("Kraków", "3"),
    ("Łódź", "9"),
    ("Wrocław", "5"),
    ("Poznań", "6"),
    ("Gdańsk", "8"),
    ("Szczecin", "7"),
    ("Lublin", "2"),
    ("Białystok", "1"),
    ("Katowice", "4"),
    ("Toruń", "8"),
    ("Rzeszów", "3"),
];

const STREETS: [&str; 40] = [
    "ul. Długa",
    "ul. Krótka",
    "ul. Ogrodowa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Szkolna",
    "ul. Lipowa",
    "ul. Brzozowa",
    "ul. Łąkowa",
    "ul. Kwiatowa",
    "ul. Kościelna",
    "ul. Sosnowa",
    "ul. Zielona",
    "ul. Parkowa",
    "ul. Mickiewicza",
    "ul. Kościuszki",
    "ul. Słowackiego",
    "ul. Sienkiewicza",
    "ul. Kopernika",
    "ul. Chopina",
    "ul. Żeromskiego",
    "ul. Reymonta",
    "ul. Konopnickiej",
    "ul. Piłsudskiego",
    "ul. Wojska Polskiego",
    "ul. Armii Krajowej",
    "ul. Kolejowa",
    "ul. Dworcowa",
    "ul. Rynek",
    "ul. Miodowa",
    "ul. Wiśniowa",
    "ul. Jaśminowa",
    "ul. Akacjowa",
    "ul. Klonowa",
    "ul. Topolowa",
    "ul. Graniczna",
    "ul. Nowa",
    "al. Jana Pawła II",
    "al. Niepodległości",
];

/// Surname stems with their masculine and feminine endings, the endings skewed: the most
/// common surname is about 1 % of customers (Nowak is 0.5 % of Poles), most far rarer.
const PL_STEMS: [&str; 48] = [
    "Nowa",
    "Kowal",
    "Wiśniew",
    "Wójci",
    "Kamiń",
    "Lewandow",
    "Zieliń",
    "Szymań",
    "Woźnia",
    "Dąbrow",
    "Kozłow",
    "Jankow",
    "Mazur",
    "Krawczy",
    "Piotrow",
    "Grabow",
    "Pawłow",
    "Michal",
    "Król",
    "Wieczor",
    "Jabłoń",
    "Wróbl",
    "Majew",
    "Olszew",
    "Stępień",
    "Malinow",
    "Jawor",
    "Adamczy",
    "Dudziń",
    "Nowako",
    "Sikor",
    "Baran",
    "Rutkow",
    "Michalak",
    "Szewczy",
    "Ostrow",
    "Tomaszew",
    "Pietrzy",
    "Marciniak",
    "Wróblew",
    "Zalew",
    "Jakubow",
    "Jasiń",
    "Zawadz",
    "Sadow",
    "Bąkow",
    "Chmielew",
    "Włodarczy",
];
const PL_ENDINGS: [(&str, &str); 4] = [
    ("ski", "ska"),
    ("czyk", "czyk"),
    ("ak", "ak"),
    ("ewicz", "ewicz"),
];
const RU_STEMS: [&str; 24] = [
    "Смирн",
    "Кузнец",
    "Поп",
    "Сокол",
    "Лебед",
    "Волк",
    "Козл",
    "Новик",
    "Мороз",
    "Петр",
    "Павл",
    "Семён",
    "Голуб",
    "Виноград",
    "Богдан",
    "Ворон",
    "Фёдор",
    "Михайл",
    "Беляк",
    "Тарас",
    "Бел",
    "Комар",
    "Орл",
    "Кисел",
];
const RU_ENDINGS: [(&str, &str); 3] = [("ов", "ова"), ("ин", "ина"), ("ев", "ева")];
const TRADES: [&str; 12] = [
    "Hurtownia",
    "Apteka",
    "Piekarnia",
    "Warsztat",
    "Biuro Rachunkowe",
    "Kancelaria",
    "Przychodnia",
    "Szkoła Językowa",
    "Hotel",
    "Sklep",
    "Drukarnia",
    "Pracownia",
];
const BRANDS: [&str; 12] = [
    "Iskra",
    "Bilans",
    "Orzeł",
    "Wisła",
    "Polonia",
    "Mazowsze",
    "Słoneczko",
    "Zdrowie",
    "Tęcza",
    "Sokół",
    "Pod Lipami",
    "Centrum",
];
const FORMS: [&str; 4] = ["Sp. z o.o.", "s.c.", "S.A.", "Sp.j."];
const MAIL_DOMAINS: [&str; 5] = [
    "example.pl",
    "poczta.example.pl",
    "mail.example.com",
    "example.ru",
    "firma.example.pl",
];

/// A customer's random source: the same for the same number and purpose in every pass.
pub fn rng_for(number: u64, purpose: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(number.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose)
}

/// Picks from `items`, the first ones more often (about as skewed as surnames are).
fn skewed<T: Copy + Default>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    let x: f64 = rng.random();
    // Truncation is the point: x² in [0, 1) scaled to an index.
    let index = ((x * x) * items.len() as f64) as usize;
    items.get(index).copied().unwrap_or_default()
}

fn pick<T: Copy + Default>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items
        .get(rng.random_range(0..items.len()))
        .copied()
        .unwrap_or_default()
}

/// The language a customer prefers, cheaply, for the passes that need only that.
pub fn language_of(number: u64) -> Language {
    let mut rng = rng_for(number, 1);
    let organisation = rng.random_bool(0.12);
    if !organisation && rng.random_bool(0.25) {
        Language::Ru
    } else {
        Language::Pl
    }
}

/// Customer `number` (from 1) as registering it through the API would describe them.
pub fn customer(number: u64) -> NewCustomer {
    let mut rng = rng_for(number, 1);
    let organisation = rng.random_bool(0.12);
    let russian = !organisation && rng.random_bool(0.25);
    let language = if russian { Language::Ru } else { Language::Pl };
    let mut input = NewCustomer {
        kind: CustomerKind::Person,
        first_name: None,
        last_name: None,
        organisation_name: None,
        tax_id: None,
        segment: None,
        preferred_language: Some(language),
        sales_point_id: None,
        emails: Vec::new(),
        phones: Vec::new(),
        addresses: vec![address(number)],
        notes: None,
    };
    let woman = rng.random_bool(0.5);
    let mail_name = if organisation {
        let trade = pick(&mut rng, &TRADES);
        let brand = skewed(&mut rng, &BRANDS);
        let form = pick(&mut rng, &FORMS);
        input.kind = CustomerKind::Organisation;
        input.organisation_name = Some(format!("{trade} {brand} {form}"));
        input.tax_id = Some(TaxIdInput {
            scheme: Some(TaxIdScheme::PlNip),
            value: random_nip(&mut rng),
        });
        format!("biuro.{}", transliterate(brand).replace(' ', ""))
    } else {
        let (first, last) = if russian {
            let first = pick(
                &mut rng,
                if woman {
                    RU_WOMEN.as_slice()
                } else {
                    RU_MEN.as_slice()
                },
            );
            let (m, f) = pick(&mut rng, &RU_ENDINGS);
            (
                first,
                format!("{}{}", pick(&mut rng, &RU_STEMS), if woman { f } else { m }),
            )
        } else {
            let first = pick(
                &mut rng,
                if woman {
                    PL_WOMEN.as_slice()
                } else {
                    PL_MEN.as_slice()
                },
            );
            let (m, f) = skewed(&mut rng, &PL_ENDINGS);
            (
                first,
                format!("{}{}", pick(&mut rng, &PL_STEMS), if woman { f } else { m }),
            )
        };
        input.first_name = Some(first.to_owned());
        input.last_name = Some(last.clone());
        format!("{}.{}", transliterate(first), transliterate(&last))
    };
    input.phones.push(PhoneEntry {
        value: mobile(number, russian),
        label: None,
    });
    if rng.random_bool(0.7) {
        input.emails.push(EmailEntry {
            value: format!(
                "{mail_name}{}@{}",
                number % 1000,
                pick(&mut rng, &MAIL_DOMAINS)
            ),
            label: None,
        });
    }
    input
}

/// Where customer `number` lives: thirty flats to a building, buildings spread over the
/// streets of the cities.
fn address(number: u64) -> Address {
    let building = (number - 1) / FLATS_PER_BUILDING;
    let flat = (number - 1) % FLATS_PER_BUILDING + 1;
    let mut rng = rng_for(building, 2);
    let (city, region) = skewed(&mut rng, &CITIES);
    let street_index = rng.random_range(0..STREETS.len());
    let street = STREETS.get(street_index).copied().unwrap_or_default();
    Address {
        kind: AddressKind::Residence,
        street: street.to_owned(),
        building: (building % 180 + 1).to_string(),
        apartment: Some(flat.to_string()),
        postal_code: format!(
            "{region}{}-{:03}",
            street_index % 10,
            (street_index * 37) % 1000
        ),
        city: city.to_owned(),
        country: "PL".to_owned(),
    }
}

/// A mobile number no other customer has: customer numbers spread over the range by a
/// multiplier prime to its size.
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

/// Where customer `number`'s internet is delivered: their home, as the stored JSON.
pub fn service_address(number: u64) -> Result<String, String> {
    let home = address(number);
    serde_json::to_string(&Address {
        kind: AddressKind::Service,
        apartment: None,
        ..home
    })
    .map_err(|e| e.to_string())
}

/// What a contact was about, in the customer's language.
pub fn contact_summary(rng: &mut ChaCha8Rng, language: Language) -> &'static str {
    const PL: [&str; 6] = [
        "Pytanie o kwotę na fakturze; wyjaśniono naliczenie.",
        "Zgłoszenie wolnego internetu wieczorami.",
        "Prośba o zmianę taryfy na szybszą.",
        "Płatność zaksięgowana z opóźnieniem; potwierdzono wpłatę.",
        "Zmiana adresu korespondencyjnego.",
        "Pytanie o ofertę telewizji.",
    ];
    const RU: [&str; 6] = [
        "Вопрос по сумме в счёте; объяснили начисление.",
        "Медленный интернет по вечерам.",
        "Просьба сменить тариф на более быстрый.",
        "Платёж зачислен с задержкой; подтвердили оплату.",
        "Смена адреса для писем.",
        "Вопрос о телевидении.",
    ];
    match language {
        Language::Ru => pick(rng, &RU),
        _ => pick(rng, &PL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_the_same_in_every_pass_and_phones_are_unique() {
        assert_eq!(customer(12_345), customer(12_345));
        let phones: std::collections::HashSet<String> = (1..=20_000)
            .map(|n| customer(n).phones[0].value.clone())
            .collect();
        assert_eq!(phones.len(), 20_000);
    }

    #[test]
    fn thirty_flats_share_a_building() {
        let first = customer(31).addresses[0].clone();
        let last = customer(60).addresses[0].clone();
        assert_eq!(
            (first.street.clone(), first.building.clone()),
            (last.street, last.building)
        );
        assert_eq!(first.apartment.as_deref(), Some("1"));
        assert_ne!(customer(61).addresses[0], first);
    }

    #[test]
    fn the_language_shortcut_agrees_with_the_customer() {
        for n in 1..=2_000 {
            assert_eq!(Some(language_of(n)), customer(n).preferred_language);
        }
    }
}
