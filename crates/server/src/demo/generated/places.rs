//! Where the generated customers live: sixteen cities, each with its own share of the streets
//! (the common names in every city, the rarer ones only in the large ones), each street with
//! its postal code. Buildings fill the streets in turn, so at a million customers a street of
//! a city has about seven hundred residents, a building thirty, and no two customers share a
//! flat.

use std::sync::LazyLock;

/// A city, the first two digits of its postal codes and how many streets it has.
struct City {
    name: &'static str,
    postal_regions: &'static [&'static str],
    streets: usize,
    /// The landline area code.
    area: &'static str,
}

const CITIES: [City; 16] = [
    city("Warszawa", &["00", "01", "02", "03", "04"], 200, "22"),
    city("Kraków", &["30", "31"], 160, "12"),
    city("Łódź", &["90", "91", "92", "93", "94"], 130, "42"),
    city("Wrocław", &["50", "51", "52", "53", "54"], 130, "71"),
    city("Poznań", &["60", "61"], 110, "61"),
    city("Gdańsk", &["80"], 100, "58"),
    city("Szczecin", &["70", "71"], 90, "91"),
    city("Bydgoszcz", &["85"], 80, "52"),
    city("Lublin", &["20"], 80, "81"),
    city("Białystok", &["15"], 70, "85"),
    city("Katowice", &["40"], 70, "32"),
    city("Gdynia", &["81"], 60, "58"),
    city("Częstochowa", &["42"], 50, "34"),
    city("Radom", &["26"], 50, "48"),
    city("Toruń", &["87"], 50, "56"),
    city("Rzeszów", &["35"], 50, "17"),
];

const fn city(
    name: &'static str,
    postal_regions: &'static [&'static str],
    streets: usize,
    area: &'static str,
) -> City {
    City {
        name,
        postal_regions,
        streets,
        area,
    }
}

/// Street names, the ones found in every town first: a city has the first `streets` of them.
const STREETS: [&str; 200] = [
    "ul. Długa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Krótka",
    "ul. Szkolna",
    "ul. Ogrodowa",
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
    "ul. Miodowa",
    "ul. Wiśniowa",
    "ul. Jaśminowa",
    "ul. Akacjowa",
    "ul. Klonowa",
    "ul. Topolowa",
    "ul. Graniczna",
    "ul. Nowa",
    "ul. 3 Maja",
    "ul. 11 Listopada",
    "al. Jana Pawła II",
    "ul. Spacerowa",
    "ul. Cicha",
    "ul. Wąska",
    "ul. Rzeczna",
    "ul. Młyńska",
    "ul. Dębowa",
    "ul. Bukowa",
    "ul. Świerkowa",
    "ul. Jarzębinowa",
    "ul. Kasztanowa",
    "ul. Różana",
    "ul. Wrzosowa",
    "ul. Malinowa",
    "ul. Orzechowa",
    "ul. Wierzbowa",
    "ul. Sadowa",
    "ul. Krzywa",
    "ul. Południowa",
    "ul. Górna",
    "ul. Przemysłowa",
    "ul. Fabryczna",
    "ul. Targowa",
    "ul. Zamkowa",
    "ul. Szpitalna",
    "ul. Pocztowa",
    "ul. Sportowa",
    "ul. Kilińskiego",
    "ul. Traugutta",
    "ul. Moniuszki",
    "ul. Matejki",
    "ul. Wyspiańskiego",
    "ul. Norwida",
    "ul. Orzeszkowej",
    "ul. Fredry",
    "ul. Kraszewskiego",
    "ul. Staszica",
    "ul. Kołłątaja",
    "ul. Reja",
    "ul. Kasprowicza",
    "ul. Tuwima",
    "ul. Asnyka",
    "ul. Batorego",
    "ul. Chrobrego",
    "ul. Mieszka I",
    "ul. Kazimierza Wielkiego",
    "ul. Jagiellońska",
    "ul. Piastowska",
    "ul. Królowej Jadwigi",
    "ul. Sobieskiego",
    "ul. Pułaskiego",
    "ul. Dąbrowskiego",
    "ul. Sikorskiego",
    "ul. Andersa",
    "ul. Hallera",
    "ul. Bema",
    "ul. Skargi",
    "ul. Wyszyńskiego",
    "ul. Korczaka",
    "ul. Paderewskiego",
    "ul. Witosa",
    "ul. Legionów",
    "ul. Ułańska",
    "ul. Partyzantów",
    "ul. Grunwaldzka",
    "ul. Warszawska",
    "ul. Krakowska",
    "ul. Poznańska",
    "ul. Gdańska",
    "ul. Toruńska",
    "ul. Lubelska",
    "ul. Wrocławska",
    "ul. Łódzka",
    "ul. Katowicka",
    "ul. Szczecińska",
    "ul. Białostocka",
    "ul. Radomska",
    "ul. Kielecka",
    "ul. Opolska",
    "ul. Olsztyńska",
    "ul. Kaliska",
    "ul. Mazowiecka",
    "ul. Śląska",
    "ul. Pomorska",
    "ul. Kujawska",
    "ul. Tatrzańska",
    "ul. Karpacka",
    "ul. Bałtycka",
    "ul. Wiślana",
    "ul. Bursztynowa",
    "ul. Srebrna",
    "ul. Złota",
    "ul. Miedziana",
    "ul. Stalowa",
    "ul. Hutnicza",
    "ul. Górnicza",
    "ul. Kolejarzy",
    "ul. Akademicka",
    "ul. Uniwersytecka",
    "ul. Studencka",
    "ul. Artystyczna",
    "ul. Teatralna",
    "al. Niepodległości",
    "al. Solidarności",
    "al. Zwycięstwa",
    "os. Tysiąclecia",
    "os. Słoneczne",
    "pl. Wolności",
    "ul. Okrężna",
    "ul. Boczna",
    "ul. Prosta",
    "ul. Wschodnia",
    "ul. Zachodnia",
    "ul. Północna",
    "ul. Dolna",
    "ul. Środkowa",
    "ul. Handlowa",
    "ul. Rynkowa",
    "ul. Klasztorna",
    "ul. Strażacka",
    "ul. Harcerska",
    "ul. Lotnicza",
    "ul. Żeglarska",
    "ul. Rybacka",
    "ul. Myśliwska",
    "ul. Wesoła",
    "ul. Spokojna",
    "ul. Pogodna",
    "ul. Tęczowa",
    "ul. Gwiaździsta",
    "ul. Księżycowa",
    "ul. Olchowa",
    "ul. Cisowa",
    "ul. Grabowa",
    "ul. Modrzewiowa",
    "ul. Tulipanowa",
    "ul. Konwaliowa",
    "ul. Makowa",
    "ul. Żytnia",
    "ul. Pszenna",
    "ul. Poziomkowa",
    "ul. Jagodowa",
    "ul. Rolna",
    "ul. Ogrodnicza",
    "ul. Składowa",
    "ul. Wodna",
    "ul. Morska",
    "ul. Powstańców Śląskich",
    "ul. Powstańców Wielkopolskich",
    "ul. Obrońców Westerplatte",
    "al. Jerozolimskie",
    "ul. Marszałkowska",
    "ul. Puławska",
    "ul. Grójecka",
    "ul. Chmielna",
    "ul. Nowy Świat",
    "ul. Krakowskie Przedmieście",
    "ul. Świętokrzyska",
    "ul. Koszykowa",
    "ul. Hoża",
    "ul. Mokotowska",
];

/// A street of a city, where buildings stand.
#[derive(Debug, Clone, Copy)]
pub struct Street {
    pub city: &'static str,
    pub name: &'static str,
    pub area: &'static str,
    /// The postal code's two parts, formatted when an address is made.
    postal: (&'static str, u16),
}

impl Street {
    pub fn postal_code(&self) -> String {
        format!("{}-{:03}", self.postal.0, self.postal.1)
    }
}

/// Every street of every city, the cities one after another.
static ALL_STREETS: LazyLock<Vec<Street>> = LazyLock::new(|| {
    CITIES
        .iter()
        .enumerate()
        .flat_map(|(c, city)| {
            STREETS
                .iter()
                .take(city.streets)
                .enumerate()
                .map(move |(s, name)| Street {
                    city: city.name,
                    name,
                    area: city.area,
                    postal: (
                        city.postal_regions
                            .get(s % city.postal_regions.len().max(1))
                            .copied()
                            .unwrap_or("00"),
                        u16::try_from((s * 389 + c * 71) % 1000).unwrap_or(0),
                    ),
                })
        })
        .collect()
});

/// A step through the streets prime to their number, so that consecutive buildings stand in
/// different cities and every street gets one before any gets two.
const STRIDE: usize = 617;

/// Building `building` (from 0): its street and its number there.
pub fn building(building: u64) -> (Street, u64) {
    let streets = ALL_STREETS.len().max(1);
    let b = usize::try_from(building).unwrap_or(0);
    let street = ALL_STREETS
        .get(b.wrapping_mul(STRIDE) % streets)
        .copied()
        .unwrap_or(Street {
            city: "Warszawa",
            name: "ul. Długa",
            area: "22",
            postal: ("00", 1),
        });
    (street, building / streets as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stride_visits_every_street_before_any_twice() {
        let streets = ALL_STREETS.len();
        assert_eq!(streets, 1_480);
        let first_round: std::collections::HashSet<(&str, &str)> = (0..streets as u64)
            .map(|b| {
                let (street, number) = building(b);
                assert_eq!(number, 1);
                (street.city, street.name)
            })
            .collect();
        assert_eq!(first_round.len(), streets);
        assert_eq!(building(streets as u64).1, 2);
    }

    #[test]
    fn street_names_are_listed_once() {
        let names: std::collections::HashSet<&str> = STREETS.iter().copied().collect();
        assert_eq!(names.len(), STREETS.len());
    }
}
