//! Name tables the demo's random customers are drawn from, with valid NIPs and e-mail
//! addresses made from the names.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(super) const PL_WOMEN: [&str; 12] = [
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
pub(super) const PL_MEN: [&str; 12] = [
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
pub(super) const PL_SURNAMES: [(&str, &str); 14] = [
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
pub(super) const RU_WOMEN: [&str; 6] = ["Ольга", "Татьяна", "Наталья", "Елена", "Светлана", "Юлия"];
pub(super) const RU_MEN: [&str; 6] = [
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Николай",
];
pub(super) const RU_SURNAMES: [(&str, &str); 6] = [
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Соколов", "Соколова"),
    ("Лебедев", "Лебедева"),
    ("Волков", "Волкова"),
];
/// Streets with a postal code and city on them.
pub(super) const STREETS: [(&str, &str, &str); 14] = [
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
pub(super) const COMPANIES: [&str; 8] = [
    "Biuro Rachunkowe Bilans s.c.",
    "Przychodnia Zdrowie Sp. z o.o.",
    "Hurtownia Elektryczna Iskra",
    "Szkoła Językowa Poliglota",
    "Warsztat Samochodowy Auto-Serwis",
    "Kancelaria Notarialna Nowak i Wspólnicy",
    "Apteka Pod Orłem",
    "Hotel Wisła Sp. z o.o.",
];

pub(super) fn random_nip(rng: &mut ChaCha8Rng) -> String {
    pub(super) const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
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

/// A Russian organisation's INN: nine random digits and their check digit (10 digits, R-01).
pub(super) fn random_inn(rng: &mut ChaCha8Rng) -> String {
    const WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    let digits: Vec<u32> = (0..9)
        .map(|i| {
            if i == 0 {
                rng.random_range(1..10)
            } else {
                rng.random_range(0..10)
            }
        })
        .collect();
    let check = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum::<u32>() % 11 % 10;
    digits
        .iter()
        .chain([check].iter())
        .map(u32::to_string)
        .collect()
}

pub(super) fn transliterate(name: &str) -> String {
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
