//! Phones, e-mails and postal codes as operators type them and as search needs them.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// As entered, trimmed, with runs of spaces collapsed: what the operator sees.
    display: String,
    /// All digits, an international `00` prefix dropped.
    digits: String,
    /// Typed with its country code (`+48 …`, `0048 …`).
    international: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number has 7 to 15 digits")]
    Length,
    #[error("a phone number has digits, spaces, dashes, dots, brackets and a leading + only")]
    Characters,
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        let allowed = trimmed.char_indices().all(|(i, c)| {
            c.is_ascii_digit()
                || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/')
                || (c == '+' && i == 0)
        });
        if !allowed {
            return Err(PhoneError::Characters);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = trimmed.starts_with('+') || digits.starts_with("00");
        let digits = digits
            .strip_prefix("00")
            .map(str::to_owned)
            .unwrap_or(digits);
        if !(7..=15).contains(&digits.len()) {
            return Err(PhoneError::Length);
        }
        let display = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Self {
            display,
            digits,
            international,
        })
    }

    /// The number in E.164 (`+48600100200`), when its country is known: typed with its
    /// country code; a bare nine-digit number is Polish (the operator's country); eleven
    /// digits after the Russian trunk `8` are Russian. Others (a bare number of another
    /// length) have no country to add.
    pub fn e164(&self) -> Option<String> {
        let d = self.digits.as_str();
        if self.international {
            return Some(format!("+{d}"));
        }
        match (d.len(), d.strip_prefix('8')) {
            (9, _) => Some(format!("+48{d}")),
            (11, Some(national)) => Some(format!("+7{national}")),
            (11, None) if d.starts_with("48") || d.starts_with('7') => Some(format!("+{d}")),
            _ => None,
        }
    }

    /// The number as people read it: `+48 600 100 200`, `+7 912 345-67-89`; a number of
    /// another country with its code apart; one without a known country as typed.
    pub fn grouped(&self) -> String {
        let Some(e164) = self.e164() else {
            return self.display.clone();
        };
        let digits = e164.trim_start_matches('+');
        let split = |at: usize| digits.get(..at).zip(digits.get(at..));
        match (split(2), split(1)) {
            (Some(("48", n)), _) if n.len() == 9 => {
                format!("+48 {} {} {}", &n[..3], &n[3..6], &n[6..])
            }
            (_, Some(("7", n))) if n.len() == 10 => {
                format!("+7 {} {}-{}-{}", &n[..3], &n[3..6], &n[6..8], &n[8..])
            }
            _ => e164,
        }
    }

    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The number without its country code or trunk prefix, as customers usually say it:
    /// `+48 600 100 200` → `600100200`, `8 (912) 345-67-89` → `9123456789`.
    pub fn national_digits(&self) -> &str {
        let d = self.digits.as_str();
        match d.len() {
            11 => d
                .strip_prefix("48")
                .or_else(|| d.strip_prefix('7'))
                .or_else(|| d.strip_prefix('8'))
                .unwrap_or(d),
            _ => d,
        }
    }

    /// Every spelling of this number a search should find it by, whether the operator types it
    /// with a country code, with the Russian trunk `8`, or bare.
    pub fn search_forms(&self) -> Vec<String> {
        let national = self.national_digits();
        let mut forms = vec![self.digits.clone(), national.to_owned()];
        match national.len() {
            9 => forms.push(format!("48{national}")),
            10 => {
                forms.push(format!("7{national}"));
                forms.push(format!("8{national}"));
            }
            _ => {}
        }
        forms.sort();
        forms.dedup();
        forms
    }
}

/// A stored phone as people read it (grouped), or as stored when it does not parse.
pub fn shown_phone(stored: &str) -> String {
    Phone::parse(stored).map_or_else(|_| stored.to_owned(), |p| p.grouped())
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an e-mail address looks like name@example.com")]
    Format,
    #[error("an e-mail address has at most 254 characters")]
    Length,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let value = input.trim();
        if value.chars().count() > 254 {
            return Err(EmailError::Length);
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(EmailError::Format);
        };
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty())
            && !domain.contains('@');
        let local_ok = !local.is_empty() && local.len() <= 64;
        if !domain_ok || !local_ok || value.chars().any(char::is_whitespace) {
            return Err(EmailError::Format);
        }
        Ok(Self(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostalCodeError {
    #[error("a Polish postal code looks like 00-950")]
    Poland,
    #[error("a Russian postal code has 6 digits")]
    Russia,
    #[error("a postal code has 1 to 12 letters, digits, spaces or dashes")]
    Other,
}

/// Checks a postal code against its country's format and returns it in the usual spelling.
/// `country` is an ISO 3166 alpha-2 code.
pub fn validate_postal_code(country: &str, input: &str) -> Result<String, PostalCodeError> {
    let value = input.trim();
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    match country.to_ascii_uppercase().as_str() {
        "PL" => {
            let well_formed =
                value.chars().all(|c| c.is_ascii_digit() || c == '-') && digits.len() == 5;
            let (Some(head), Some(tail)) = (digits.get(..2), digits.get(2..)) else {
                return Err(PostalCodeError::Poland);
            };
            if !well_formed {
                return Err(PostalCodeError::Poland);
            }
            Ok(format!("{head}-{tail}"))
        }
        "RU" => {
            if value.len() != 6 || digits.len() != 6 {
                return Err(PostalCodeError::Russia);
            }
            Ok(digits)
        }
        _ => {
            let ok = !value.is_empty()
                && value.chars().count() <= 12
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-'));
            if ok {
                Ok(value.to_uppercase())
            } else {
                Err(PostalCodeError::Other)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_found_with_or_without_their_prefix() {
        let pl = Phone::parse(" +48 600  100 200 ").unwrap();
        assert_eq!(pl.display(), "+48 600 100 200");
        assert_eq!(pl.national_digits(), "600100200");
        assert_eq!(pl.search_forms(), vec!["48600100200", "600100200"]);

        let bare = Phone::parse("600-100-200").unwrap();
        assert_eq!(bare.search_forms(), vec!["48600100200", "600100200"]);

        let ru = Phone::parse("8 (912) 345-67-89").unwrap();
        assert_eq!(ru.national_digits(), "9123456789");
        assert_eq!(
            ru.search_forms(),
            vec!["79123456789", "89123456789", "9123456789"]
        );

        assert_eq!(
            Phone::parse("0048 600 100 200").unwrap().digits(),
            "48600100200"
        );
    }

    #[test]
    fn phones_are_kept_in_e164_and_shown_grouped() {
        let cases = [
            ("600 555 123", Some("+48600555123"), "+48 600 555 123"),
            ("+48 600-555-123", Some("+48600555123"), "+48 600 555 123"),
            ("0048600555123", Some("+48600555123"), "+48 600 555 123"),
            ("48600555123", Some("+48600555123"), "+48 600 555 123"),
            (
                "8 (912) 345-67-89",
                Some("+79123456789"),
                "+7 912 345-67-89",
            ),
            ("+7 912 3456789", Some("+79123456789"), "+7 912 345-67-89"),
            ("+44 20 7946 0958", Some("+442079460958"), "+442079460958"),
            ("22 123 45 67", Some("+48221234567"), "+48 221 234 567"),
            ("1234 5678", None, "1234 5678"),
        ];
        for (typed, e164, shown) in cases {
            let phone = Phone::parse(typed).unwrap();
            assert_eq!(phone.e164().as_deref(), e164, "{typed}");
            assert_eq!(phone.grouped(), shown, "{typed}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_phone() {
        assert_eq!(Phone::parse("12345"), Err(PhoneError::Length));
        assert_eq!(
            Phone::parse("600 100 200 ext 5"),
            Err(PhoneError::Characters)
        );
        assert_eq!(Phone::parse("600+100200"), Err(PhoneError::Characters));
    }

    #[test]
    fn emails_are_checked_and_lowercased() {
        assert_eq!(
            Email::parse(" Anna.Kowalska@Example.PL ").unwrap().as_str(),
            "anna.kowalska@example.pl"
        );
        for bad in [
            "anna",
            "anna@",
            "@example.pl",
            "anna@example",
            "an na@example.pl",
            "a@b@c.pl",
            "a@.pl",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Format), "{bad}");
        }
    }

    #[test]
    fn postal_codes_follow_their_country() {
        assert_eq!(validate_postal_code("PL", "00-950").unwrap(), "00-950");
        assert_eq!(validate_postal_code("pl", "00950").unwrap(), "00-950");
        assert_eq!(
            validate_postal_code("PL", "0950"),
            Err(PostalCodeError::Poland)
        );
        assert_eq!(validate_postal_code("RU", "101000").unwrap(), "101000");
        assert_eq!(
            validate_postal_code("RU", "10100"),
            Err(PostalCodeError::Russia)
        );
        assert_eq!(validate_postal_code("DE", "10115").unwrap(), "10115");
    }
}
