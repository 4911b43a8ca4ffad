//! Finding a school from what a person typed: its instellingsnummer, its name, or its name
//! and municipality (as the sign-up list shows them, "name · municipality").

use leenpunt_shared::accounts::SchoolOption;
use leenpunt_shared::values::fold_diacritics;
use leenpunt_shared::SchoolNumber;

/// Why no single school matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchoolMatch {
    /// Exactly one school.
    Found(String),
    /// Nothing matches.
    Unknown,
    /// Several schools have this name: the municipalities to choose from.
    Ambiguous(Vec<String>),
}

/// Lower case, no accents, punctuation and hyphens as spaces, single spaces.
fn fold(s: &str) -> String {
    fold_diacritics(s)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The school a person means. A six-digit run anywhere is taken as the number; otherwise
/// the name must match a school's name in full (case, accents and punctuation aside),
/// optionally followed by its municipality.
pub fn find_school(typed: &str, schools: &[SchoolOption]) -> SchoolMatch {
    let typed = typed.trim();
    let by_number = |n: SchoolNumber| {
        schools
            .iter()
            .find(|s| SchoolNumber::parse(&s.number).ok() == Some(n))
            .map(|s| SchoolMatch::Found(s.number.clone()))
    };
    if let Ok(n) = SchoolNumber::parse(typed) {
        return by_number(n).unwrap_or(SchoolMatch::Unknown);
    }
    let digits: Vec<&str> = typed
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 6)
        .collect();
    if let [one] = digits.as_slice() {
        if let Some(found) = SchoolNumber::parse(one).ok().and_then(by_number) {
            return found;
        }
    }
    let wanted = fold(typed);
    if wanted.is_empty() {
        return SchoolMatch::Unknown;
    }
    let with_place: Vec<&SchoolOption> = schools
        .iter()
        .filter(|s| wanted == format!("{} {}", fold(&s.name), fold(&s.municipality)))
        .collect();
    let matches = if with_place.is_empty() {
        schools.iter().filter(|s| fold(&s.name) == wanted).collect()
    } else {
        with_place
    };
    match matches.as_slice() {
        [] => SchoolMatch::Unknown,
        [one] => SchoolMatch::Found(one.number.clone()),
        many => {
            let mut places: Vec<String> = many.iter().map(|s| s.municipality.clone()).collect();
            places.sort();
            places.dedup();
            SchoolMatch::Ambiguous(places)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(number: &str, name: &str, municipality: &str) -> SchoolOption {
        SchoolOption {
            number: number.into(),
            name: name.into(),
            municipality: municipality.into(),
        }
    }

    fn schools() -> Vec<SchoolOption> {
        vec![
            school("123456", "Vrije Basisschool Sint-Lodewijk", "Brugge"),
            school(
                "234567",
                "Gemeentelijke Basisschool De Regenboog",
                "Kortrijk",
            ),
            school("345678", "Gemeentelijke Basisschool De Regenboog", "Ieper"),
            school("4567", "Sint-Jozefscollege", "Torhout"),
        ]
    }

    #[test]
    fn a_number_a_name_or_the_list_label_finds_the_school() {
        let all = schools();
        for typed in [
            "123456",
            " 123456 ",
            "vrije basisschool sint lodewijk",
            "Vrije Basisschool Sint-Lodewijk",
            "Vrije Basisschool Sint-Lodewijk · Brugge",
            "VBS Sint-Lodewijk (123456)",
        ] {
            assert_eq!(
                find_school(typed, &all),
                SchoolMatch::Found("123456".into()),
                "{typed}"
            );
        }
        assert_eq!(find_school("4567", &all), SchoolMatch::Found("4567".into()));
        assert_eq!(
            find_school("sint-jozefscollege torhout", &all),
            SchoolMatch::Found("4567".into())
        );
    }

    #[test]
    fn a_shared_name_asks_for_the_municipality() {
        let all = schools();
        assert_eq!(
            find_school("De Regenboog", &all),
            SchoolMatch::Unknown,
            "part of a name is not a school"
        );
        assert_eq!(
            find_school("Gemeentelijke Basisschool De Regenboog", &all),
            SchoolMatch::Ambiguous(vec!["Ieper".into(), "Kortrijk".into()])
        );
        assert_eq!(
            find_school("Gemeentelijke Basisschool De Regenboog · Ieper", &all),
            SchoolMatch::Found("345678".into())
        );
    }

    #[test]
    fn nothing_typed_or_an_unknown_number_is_unknown() {
        let all = schools();
        for typed in ["", "  ", "999999", "--", "Atheneum Nergens"] {
            assert_eq!(find_school(typed, &all), SchoolMatch::Unknown, "{typed}");
        }
    }
}
