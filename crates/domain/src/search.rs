//! Finding a customer by whatever the caller has at hand: an account number, any part of
//! a name, a phone typed any way, an e-mail, a street, a tax id.
//!
//! Each customer carries one *search document*: the folded text of everything it can be found
//! by. A query is folded the same way and becomes substring terms that must all occur in the
//! document, so the same rule runs as `LIKE` on SQLite and on PostgreSQL (where a trigram index
//! serves it).

use crate::customers::Phone;

/// Lower-cases and strips the diacritics an operator may or may not type: `Łódź` → `lodz`,
/// `Ёлкин` → `елкин`. Other letters (Cyrillic included) pass through lower-cased.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            'ё' => 'е',
            other => other,
        })
        .collect()
}

/// Builds a search document from the customer's texts and phones.
pub fn document<'a>(texts: impl IntoIterator<Item = &'a str>, phones: &[Phone]) -> String {
    let mut parts: Vec<String> = texts
        .into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(fold)
        .collect();
    parts.extend(phones.iter().flat_map(Phone::search_forms));
    // A separator no query term can contain keeps terms from matching across two fields.
    parts.join(" | ")
}

/// Fewest characters a search needs; shorter ones match half the database.
pub const MIN_QUERY_CHARS: usize = 2;
/// Most characters a search may have.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    #[error("type something to search for")]
    Empty,
    #[error("type at least {MIN_QUERY_CHARS} characters")]
    TooShort,
    #[error("a search has at most {MAX_QUERY_CHARS} characters")]
    TooLong,
}

impl SearchQuery {
    /// A query made only of digits and phone punctuation (`+48 600 100`, `100-000-017`) is one
    /// term of its digits, so a phone or account number is found however it is spaced. Any
    /// other query is split into words that must all occur.
    pub fn parse(input: &str) -> Result<Self, SearchQueryError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SearchQueryError::Empty);
        }
        if trimmed.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchQueryError::TooLong);
        }
        let numeric = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+'));
        let terms: Vec<String> = if numeric {
            let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
            let digits = digits
                .strip_prefix("00")
                .map(str::to_owned)
                .unwrap_or(digits);
            vec![digits]
        } else {
            let folded = fold(trimmed);
            folded
                .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let longest = terms.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        if longest < MIN_QUERY_CHARS {
            return Err(SearchQueryError::TooShort);
        }
        Ok(Self { terms })
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Whether a document matches; the database runs the same rule as `LIKE '%term%'`.
    pub fn matches(&self, document: &str) -> bool {
        self.terms.iter().all(|t| document.contains(t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc() -> String {
        let phones = [Phone::parse("+48 600 100 200").unwrap()];
        document(
            [
                "100000017",
                "Kowalska",
                "Zofia",
                "ul. Łąkowa 5",
                "Łódź",
                "zofia@example.pl",
            ],
            &phones,
        )
    }

    #[test]
    fn finds_by_any_part_of_what_the_operator_knows() {
        let document = doc();
        for query in [
            "100000017",
            "1000-0001-7",
            "kowal",
            "KOWALSKA zofia",
            "łąkowa",
            "lakowa",
            "Lodz",
            "600 100",
            "+48 600 100 200",
            "0048600100200",
            "100 200",
            "@example",
        ] {
            assert!(
                SearchQuery::parse(query).unwrap().matches(&document),
                "{query}"
            );
        }
        for query in ["Nowak", "kowalska anna", "601"] {
            assert!(
                !SearchQuery::parse(query).unwrap().matches(&document),
                "{query}"
            );
        }
    }

    #[test]
    fn refuses_empty_and_too_short_queries() {
        assert_eq!(SearchQuery::parse("  "), Err(SearchQueryError::Empty));
        assert_eq!(SearchQuery::parse("a"), Err(SearchQueryError::TooShort));
        assert_eq!(SearchQuery::parse("+"), Err(SearchQueryError::TooShort));
        assert_eq!(
            SearchQuery::parse(&"x".repeat(201)),
            Err(SearchQueryError::TooLong)
        );
    }

    #[test]
    fn folds_polish_and_russian_letters() {
        assert_eq!(fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ"), "zazolc gesla jazn");
        assert_eq!(fold("Ёлкин Пётр"), "елкин петр");
    }

    proptest! {
        #[test]
        fn any_substring_of_a_name_finds_it(name in "[a-zA-ZąęłóśżźćńĄĘŁÓŚŻŹĆŃ]{3,20}", start in 0usize..20, len in 2usize..20) {
            let document = document([name.as_str()], &[]);
            let chars: Vec<char> = name.chars().collect();
            let start = start.min(chars.len() - 2);
            let end = (start + len).min(chars.len());
            let fragment: String = chars[start..end].iter().collect();
            prop_assert!(SearchQuery::parse(&fragment).unwrap().matches(&document));
        }
    }
}
