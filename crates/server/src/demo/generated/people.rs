//! Who the generated customers are called. Surnames carry weights close to how many people
//! bear them (thousands, in Poland and in Russia), so searching for a common one finds tens of
//! thousands of a million customers and a rare one a few hundred, as at a real operator.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Picks from `items` in proportion to their weights.
pub fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut left = rng.random_range(0..total.max(1));
    for &(item, weight) in items {
        if left < weight {
            return Some(item);
        }
        left -= weight;
    }
    items.first().map(|&(item, _)| item)
}

pub fn pick<T: Copy + Default>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items
        .get(rng.random_range(0..items.len().max(1)))
        .copied()
        .unwrap_or_default()
}

/// A Polish surname as a woman bears it: the adjectival ones end in -a.
pub fn polish_feminine(surname: &str) -> String {
    match surname.strip_suffix('i') {
        Some(stem) if stem.ends_with("sk") || stem.ends_with("ck") || stem.ends_with("dzk") => {
            format!("{stem}a")
        }
        _ => surname.to_owned(),
    }
}

/// A Russian surname as a woman bears it.
pub fn russian_feminine(surname: &str) -> String {
    let possessive = ["ов", "ев", "ёв", "ин", "ын"]
        .iter()
        .any(|ending| surname.ends_with(ending));
    if possessive {
        format!("{surname}а")
    } else if let Some(stem) = surname.strip_suffix("ий") {
        format!("{stem}ая")
    } else {
        surname.to_owned()
    }
}

pub const PL_WOMEN: [&str; 30] = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Zofia",
    "Magdalena",
    "Joanna",
    "Monika",
    "Aleksandra",
    "Teresa",
    "Danuta",
    "Natalia",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Halina",
    "Jadwiga",
    "Alicja",
    "Zuzanna",
    "Julia",
    "Łucja",
    "Wiktoria",
    "Jolanta",
    "Iwona",
];

pub const PL_MEN: [&str; 30] = [
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Jan",
    "Michał",
    "Marcin",
    "Stanisław",
    "Jakub",
    "Adam",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Mateusz",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Zbigniew",
    "Jerzy",
    "Józef",
    "Kamil",
    "Maciej",
    "Rafał",
    "Robert",
    "Ryszard",
    "Szymon",
    "Bartłomiej",
    "Kacper",
    "Sławomir",
];

pub const RU_WOMEN: [&str; 16] = [
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
    "Юлия",
    "Екатерина",
    "Марина",
    "Людмила",
    "Галина",
    "Анастасия",
    "Дарья",
    "Ксения",
];

pub const RU_MEN: [&str; 16] = [
    "Сергей",
    "Александр",
    "Алексей",
    "Андрей",
    "Дмитрий",
    "Иван",
    "Михаил",
    "Николай",
    "Владимир",
    "Евгений",
    "Максим",
    "Павел",
    "Артём",
    "Виктор",
    "Игорь",
    "Юрий",
];

/// Polish surnames in their masculine form with thousands of bearers, roughly.
pub const PL_SURNAMES: [(&str, u32); 169] = [
    ("Nowak", 200),
    ("Kowalski", 140),
    ("Wiśniewski", 110),
    ("Wójcik", 100),
    ("Kowalczyk", 98),
    ("Kamiński", 95),
    ("Lewandowski", 93),
    ("Zieliński", 91),
    ("Szymański", 89),
    ("Woźniak", 89),
    ("Dąbrowski", 87),
    ("Kozłowski", 76),
    ("Jankowski", 69),
    ("Mazur", 68),
    ("Wojciechowski", 67),
    ("Kwiatkowski", 67),
    ("Krawczyk", 66),
    ("Kaczmarek", 64),
    ("Piotrowski", 63),
    ("Grabowski", 60),
    ("Zając", 57),
    ("Pawłowski", 56),
    ("Michalski", 56),
    ("Król", 55),
    ("Wieczorek", 53),
    ("Jabłoński", 53),
    ("Wróbel", 53),
    ("Nowakowski", 52),
    ("Majewski", 51),
    ("Olszewski", 49),
    ("Stępień", 48),
    ("Malinowski", 48),
    ("Jaworski", 48),
    ("Adamczyk", 47),
    ("Dudek", 47),
    ("Nowicki", 46),
    ("Pawlak", 46),
    ("Górski", 45),
    ("Witkowski", 45),
    ("Walczak", 45),
    ("Sikora", 44),
    ("Baran", 44),
    ("Rutkowski", 43),
    ("Michalak", 43),
    ("Szewczyk", 43),
    ("Ostrowski", 42),
    ("Tomaszewski", 42),
    ("Pietrzak", 42),
    ("Zalewski", 41),
    ("Wróblewski", 41),
    ("Marciniak", 40),
    ("Jasiński", 40),
    ("Zawadzki", 39),
    ("Sadowski", 39),
    ("Bąk", 39),
    ("Chmielewski", 38),
    ("Włodarczyk", 38),
    ("Borkowski", 37),
    ("Czarnecki", 37),
    ("Sawicki", 37),
    ("Sokołowski", 36),
    ("Urbański", 36),
    ("Kubiak", 36),
    ("Maciejewski", 35),
    ("Szczepański", 35),
    ("Kucharski", 35),
    ("Wilk", 34),
    ("Kalinowski", 34),
    ("Lis", 34),
    ("Mazurek", 34),
    ("Wysocki", 33),
    ("Adamski", 33),
    ("Kaźmierczak", 33),
    ("Wasilewski", 33),
    ("Sobczak", 32),
    ("Czerwiński", 32),
    ("Andrzejewski", 32),
    ("Cieślak", 31),
    ("Głowacki", 31),
    ("Zakrzewski", 31),
    ("Kołodziej", 31),
    ("Sikorski", 30),
    ("Krajewski", 30),
    ("Gajewski", 30),
    ("Szymczak", 30),
    ("Szulc", 29),
    ("Baranowski", 29),
    ("Laskowski", 29),
    ("Brzeziński", 29),
    ("Makowski", 28),
    ("Ziółkowski", 28),
    ("Przybylski", 28),
    ("Domański", 27),
    ("Nowacki", 27),
    ("Borowski", 27),
    ("Błaszczyk", 27),
    ("Chojnacki", 27),
    ("Ciesielski", 26),
    ("Mróz", 26),
    ("Szczepaniak", 26),
    ("Wesołowski", 26),
    ("Górecki", 26),
    ("Krupa", 25),
    ("Kaczmarczyk", 25),
    ("Leszczyński", 25),
    ("Lipiński", 25),
    ("Kowalewski", 25),
    ("Urbaniak", 25),
    ("Kozak", 24),
    ("Kania", 24),
    ("Mikołajczyk", 24),
    ("Czajkowski", 24),
    ("Mucha", 24),
    ("Tomczak", 24),
    ("Kozieł", 23),
    ("Markowski", 23),
    ("Kowalik", 23),
    ("Nawrocki", 23),
    ("Brzozowski", 23),
    ("Janik", 23),
    ("Musiał", 22),
    ("Wawrzyniak", 22),
    ("Markiewicz", 22),
    ("Orłowski", 22),
    ("Tomczyk", 22),
    ("Jarosz", 22),
    ("Kołodziejczyk", 22),
    ("Kurek", 21),
    ("Kopeć", 21),
    ("Żak", 21),
    ("Wolski", 21),
    ("Łuczak", 21),
    ("Dziedzic", 21),
    ("Kot", 21),
    ("Stasiak", 20),
    ("Stankiewicz", 20),
    ("Piątek", 20),
    ("Jóźwiak", 20),
    ("Urban", 20),
    ("Dobrowolski", 20),
    ("Pawlik", 20),
    ("Kruk", 20),
    ("Domagała", 19),
    ("Piasecki", 19),
    ("Wierzbicki", 19),
    ("Karpiński", 19),
    ("Jastrzębski", 19),
    ("Polak", 19),
    ("Zięba", 19),
    ("Janicki", 19),
    ("Wójtowicz", 18),
    ("Stefański", 18),
    ("Sosnowski", 18),
    ("Bednarek", 18),
    ("Majchrzak", 18),
    ("Bielecki", 18),
    ("Małecki", 18),
    ("Maj", 18),
    ("Sowa", 18),
    ("Milczarek", 18),
    ("Gajda", 17),
    ("Grzelak", 17),
    ("Romanowski", 17),
    ("Sobolewski", 17),
    ("Kaczor", 17),
    ("Cieślik", 17),
    ("Ryba", 17),
    ("Matuszewski", 17),
    ("Żukowski", 17),
];

/// Russian surnames in their masculine form, weighted like the Polish ones.
pub const RU_SURNAMES: [(&str, u32); 40] = [
    ("Иванов", 130),
    ("Смирнов", 120),
    ("Кузнецов", 100),
    ("Попов", 90),
    ("Васильев", 80),
    ("Петров", 80),
    ("Соколов", 75),
    ("Михайлов", 70),
    ("Новиков", 65),
    ("Фёдоров", 60),
    ("Морозов", 58),
    ("Волков", 56),
    ("Алексеев", 54),
    ("Лебедев", 52),
    ("Семёнов", 50),
    ("Егоров", 48),
    ("Павлов", 46),
    ("Козлов", 45),
    ("Степанов", 44),
    ("Николаев", 43),
    ("Орлов", 42),
    ("Андреев", 41),
    ("Макаров", 40),
    ("Никитин", 39),
    ("Захаров", 38),
    ("Зайцев", 37),
    ("Соловьёв", 36),
    ("Борисов", 35),
    ("Яковлев", 34),
    ("Григорьев", 33),
    ("Романов", 32),
    ("Воробьёв", 31),
    ("Сергеев", 30),
    ("Кузьмин", 29),
    ("Фролов", 28),
    ("Александров", 27),
    ("Дмитриев", 26),
    ("Королёв", 25),
    ("Гусев", 24),
    ("Киселёв", 23),
];

/// What Polish firms do, as their names say.
pub const TRADES: [&str; 14] = [
    "Hurtownia",
    "Apteka",
    "Piekarnia",
    "Warsztat Samochodowy",
    "Biuro Rachunkowe",
    "Kancelaria Prawna",
    "Przychodnia",
    "Szkoła Językowa",
    "Hotel",
    "Sklep Spożywczy",
    "Drukarnia",
    "Pracownia Architektoniczna",
    "Zakład Stolarski",
    "Gabinet Stomatologiczny",
];

pub const BRANDS: [&str; 16] = [
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
    "Jantar",
    "Żagiel",
    "Klon",
    "Pegaz",
];

/// Legal forms with how often they occur among small business customers.
pub const PL_FORMS: [(&str, u32); 5] = [
    ("Sp. z o.o.", 60),
    ("s.c.", 15),
    ("Sp.j.", 10),
    ("Sp.k.", 8),
    ("S.A.", 7),
];

/// Russian-speaking firms: the brand in quotes after the legal form, as registered.
pub const RU_BRANDS: [&str; 12] = [
    "Ромашка",
    "Вектор",
    "Альянс",
    "Сфера",
    "Гранит",
    "Восход",
    "Надежда",
    "Спектр",
    "Меридиан",
    "Прогресс",
    "Янтарь",
    "Северный ветер",
];

pub const RU_FORMS: [(&str, u32); 2] = [("ООО", 85), ("АО", 15)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn women_bear_the_feminine_forms() {
        assert_eq!(polish_feminine("Kowalski"), "Kowalska");
        assert_eq!(polish_feminine("Wysocki"), "Wysocka");
        assert_eq!(polish_feminine("Zawadzki"), "Zawadzka");
        assert_eq!(polish_feminine("Wójcik"), "Wójcik");
        assert_eq!(polish_feminine("Sowa"), "Sowa");
        assert_eq!(russian_feminine("Иванов"), "Иванова");
        assert_eq!(russian_feminine("Соловьёв"), "Соловьёва");
        assert_eq!(russian_feminine("Никитин"), "Никитина");
    }
}
