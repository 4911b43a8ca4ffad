//! Validated value types: built only through `parse`, so an invalid one cannot exist.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value was refused. The message keys are translated by the UI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("value is empty")]
    Empty,
    #[error("value is too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("value has characters that are not allowed: {0}")]
    BadCharacters(String),
    #[error("value is not in the expected format: {0}")]
    BadFormat(&'static str),
}

macro_rules! string_value {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                $name::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);
string_value!(Slug);

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(s: &str) -> Result<Slug, ValueError> {
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong { max: Self::MAX_LEN });
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(ValueError::BadCharacters(bad.to_string()));
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(ValueError::BadFormat(
                "no leading, trailing or double hyphens",
            ));
        }
        Ok(Slug(s.to_owned()))
    }

    /// Derives a slug from a human title: "Bee-Bot® set (6 stuks)" → "bee-bot-set-6-stuks".
    pub fn from_title(title: &str) -> Result<Slug, ValueError> {
        let mut out = String::with_capacity(title.len());
        for c in fold_diacritics(title).chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        let trimmed: String = out
            .trim_end_matches('-')
            .chars()
            .take(Self::MAX_LEN)
            .collect();
        Slug::parse(trimmed.trim_end_matches('-'))
    }
}

/// Replaces the accented Latin letters used in Dutch, French and German by their base letter.
pub fn fold_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'ç' => 'c',
            'Ç' => 'C',
            'ñ' => 'n',
            'Ñ' => 'N',
            'ÿ' | 'ý' => 'y',
            other => other,
        })
        .collect()
}

/// A Flemish school's *instellingsnummer*: one to six digits, shown zero-padded to six.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct SchoolNumber(u32);

impl SchoolNumber {
    pub fn parse(s: &str) -> Result<SchoolNumber, ValueError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.len() > 6 {
            return Err(ValueError::TooLong { max: 6 });
        }
        if let Some(bad) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(ValueError::BadCharacters(bad.to_string()));
        }
        match s.parse::<u32>() {
            Ok(0) => Err(ValueError::BadFormat("an instellingsnummer is never 0")),
            Ok(n) => Ok(SchoolNumber(n)),
            Err(_) => Err(ValueError::BadFormat("digits only")),
        }
    }

    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for SchoolNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}
impl TryFrom<String> for SchoolNumber {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        SchoolNumber::parse(&s)
    }
}
impl From<SchoolNumber> for String {
    fn from(v: SchoolNumber) -> String {
        v.to_string()
    }
}

/// The inventory code painted on a physical unit, e.g. `BB-SET-03`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct InventoryCode(String);
string_value!(InventoryCode);

impl InventoryCode {
    pub const MAX_LEN: usize = 32;

    /// Upper-cases and trims; accepts letters, digits, `-`, `_` and `.`.
    pub fn parse(s: &str) -> Result<InventoryCode, ValueError> {
        let s = s.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong { max: Self::MAX_LEN });
        }
        if let Some(bad) = s.chars().find(|c| {
            !(c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        }) {
            return Err(ValueError::BadCharacters(bad.to_string()));
        }
        Ok(InventoryCode(s))
    }
}

/// An e-mail address, trimmed and lower-cased, with a plausible `local@domain.tld` shape.
/// (Whether it exists is proven by the confirmation mail, not by parsing.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
string_value!(Email);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(s: &str) -> Result<Email, ValueError> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong { max: Self::MAX_LEN });
        }
        if let Some(bad) = s.chars().find(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        }) {
            return Err(ValueError::BadCharacters(bad.to_string()));
        }
        let (local, domain) = s
            .split_once('@')
            .ok_or(ValueError::BadFormat("name@domain"))?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain.split('.').all(|part| !part.is_empty());
        if local.is_empty() || !domain_ok {
            return Err(ValueError::BadFormat("name@domain"));
        }
        Ok(Email(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_rules() {
        assert_eq!(
            Email::parse(" An.Peeters@School.BE ").unwrap().as_str(),
            "an.peeters@school.be"
        );
        assert!(matches!(Email::parse("an"), Err(ValueError::BadFormat(_))));
        assert!(matches!(
            Email::parse("an@school"),
            Err(ValueError::BadFormat(_))
        ));
        assert!(matches!(
            Email::parse("an@@school.be"),
            Err(ValueError::BadFormat(_))
        ));
        assert!(matches!(
            Email::parse("a n@school.be"),
            Err(ValueError::BadCharacters(_))
        ));
        assert_eq!(Email::parse(""), Err(ValueError::Empty));
    }

    #[test]
    fn slug_rules() {
        assert!(Slug::parse("bee-bot-set").is_ok());
        assert_eq!(Slug::parse(""), Err(ValueError::Empty));
        assert!(matches!(
            Slug::parse("Bee"),
            Err(ValueError::BadCharacters(_))
        ));
        assert!(matches!(Slug::parse("-a"), Err(ValueError::BadFormat(_))));
        assert!(matches!(Slug::parse("a--b"), Err(ValueError::BadFormat(_))));
    }

    #[test]
    fn slug_from_title_folds_dutch_text() {
        assert_eq!(
            Slug::from_title("Bee-Bot® set (6 stuks)").unwrap().as_str(),
            "bee-bot-set-6-stuks"
        );
        assert_eq!(
            Slug::from_title("Natuurbeleving à la carte")
                .unwrap()
                .as_str(),
            "natuurbeleving-a-la-carte"
        );
        assert_eq!(Slug::from_title("   ").unwrap_err(), ValueError::Empty);
    }

    #[test]
    fn school_number_rules() {
        assert_eq!(SchoolNumber::parse("1412").unwrap().to_string(), "001412");
        assert_eq!(SchoolNumber::parse(" 126763 ").unwrap().value(), 126763);
        assert!(matches!(
            SchoolNumber::parse("1234567"),
            Err(ValueError::TooLong { .. })
        ));
        assert!(matches!(
            SchoolNumber::parse("12a"),
            Err(ValueError::BadCharacters(_))
        ));
        assert!(matches!(
            SchoolNumber::parse("000"),
            Err(ValueError::BadFormat(_))
        ));
        assert_eq!(SchoolNumber::parse(""), Err(ValueError::Empty));
    }

    #[test]
    fn inventory_code_normalises_case() {
        assert_eq!(InventoryCode::parse(" bb-03 ").unwrap().as_str(), "BB-03");
        assert!(InventoryCode::parse("BB 03").is_err());
    }

    proptest! {
        #[test]
        fn from_title_always_yields_a_valid_slug_or_empty(title in "\\PC{0,120}") {
            match Slug::from_title(&title) {
                Ok(slug) => prop_assert!(Slug::parse(slug.as_str()).is_ok()),
                Err(e) => prop_assert_eq!(e, ValueError::Empty),
            }
        }

        #[test]
        fn school_number_roundtrips(n in 1u32..=999_999) {
            let parsed = SchoolNumber::parse(&n.to_string()).unwrap();
            prop_assert_eq!(SchoolNumber::parse(&parsed.to_string()).unwrap(), parsed);
        }
    }
}
