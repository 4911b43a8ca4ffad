//! Finding a school from what a person typed: its instellingsnummer, its name, or its name
//! and municipality (as the sign-up list shows them, "name · municipality").

use leenpunt_shared::accounts::SchoolOption;
use leenpunt_shared::values::fold_diacritics;
use leenpunt_shared::{Lang, SchoolNumber};

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

/// A request to add a school that is not in the list, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SchoolRequestForm {
    /// The requester's name.
    pub name: String,
    /// The requester's e-mail address (the service answers there).
    pub email: String,
    /// The school's name.
    pub school: String,
    pub municipality: String,
    /// The instellingsnummer, if known.
    #[serde(default)]
    pub number: String,
    /// Anything else the service should know.
    #[serde(default)]
    pub message: String,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRequest {
    pub name: String,
    pub email: leenpunt_shared::Email,
    pub school: String,
    pub municipality: String,
    pub number: Option<SchoolNumber>,
    pub message: String,
}

/// What is wrong with a request, per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestProblem {
    Missing,
    TooLong,
    BadEmail,
    BadNumber,
    /// The school is in the list after all.
    Listed,
}

impl RequestProblem {
    pub fn message(self, field: &str, lang: Lang) -> String {
        match (self, lang) {
            (RequestProblem::Missing, Lang::Nl) => match field {
                "name" => "Vul je naam in.",
                "email" => "Vul je e-mailadres in.",
                "school" => "Vul de naam van je school in.",
                _ => "Vul de gemeente van je school in.",
            }
            .into(),
            (RequestProblem::Missing, Lang::En) => match field {
                "name" => "Enter your name.",
                "email" => "Enter your e-mail address.",
                "school" => "Enter your school's name.",
                _ => "Enter your school's municipality.",
            }
            .into(),
            (RequestProblem::TooLong, Lang::Nl) => "Dit is te lang.".into(),
            (RequestProblem::TooLong, Lang::En) => "This is too long.".into(),
            (RequestProblem::BadEmail, Lang::Nl) => {
                "Vul een geldig e-mailadres in, bv. naam@school.be.".into()
            }
            (RequestProblem::BadEmail, Lang::En) => {
                "Enter a valid e-mail address, e.g. name@school.be.".into()
            }
            (RequestProblem::BadNumber, Lang::Nl) => {
                "Een instellingsnummer bestaat uit hoogstens 6 cijfers; laat het leeg als je het niet kent.".into()
            }
            (RequestProblem::BadNumber, Lang::En) => {
                "An institution number has at most 6 digits; leave it empty if you don't know it.".into()
            }
            (RequestProblem::Listed, Lang::Nl) => {
                "Deze school staat al in de lijst: kies ze bij het aanmaken van je account.".into()
            }
            (RequestProblem::Listed, Lang::En) => {
                "This school is already listed: choose it when you create your account.".into()
            }
        }
    }
}

/// Checks a request against the known schools: every required field filled, nothing too
/// long, a valid address, and a school that is not listed yet.
pub fn check_request(
    form: &SchoolRequestForm,
    schools: &[SchoolOption],
) -> Result<SchoolRequest, Vec<(&'static str, RequestProblem)>> {
    let mut problems = Vec::new();
    let mut text = |field: &'static str, value: &str, max: usize, required: bool| {
        let value = value.trim();
        if required && value.is_empty() {
            problems.push((field, RequestProblem::Missing));
        } else if value.chars().count() > max {
            problems.push((field, RequestProblem::TooLong));
        }
        value.to_owned()
    };
    let name = text("name", &form.name, 200, true);
    let school = text("school", &form.school, 200, true);
    let municipality = text("municipality", &form.municipality, 100, true);
    let message = text("message", &form.message, 2000, false);
    let email = match leenpunt_shared::Email::parse(&form.email) {
        Ok(e) => Some(e),
        Err(_) => {
            problems.push((
                "email",
                if form.email.trim().is_empty() {
                    RequestProblem::Missing
                } else {
                    RequestProblem::BadEmail
                },
            ));
            None
        }
    };
    let number = match form.number.trim() {
        "" => None,
        n => match SchoolNumber::parse(n) {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(("number", RequestProblem::BadNumber));
                None
            }
        },
    };
    let by_number = number
        .is_some_and(|n| matches!(find_school(&n.to_string(), schools), SchoolMatch::Found(_)));
    let by_name = schools
        .iter()
        .any(|s| fold(&s.name) == fold(&school) && fold(&s.municipality) == fold(&municipality));
    if by_number {
        problems.push(("number", RequestProblem::Listed));
    } else if by_name {
        problems.push(("school", RequestProblem::Listed));
    }
    match email {
        Some(email) if problems.is_empty() => Ok(SchoolRequest {
            name,
            email,
            school,
            municipality,
            number,
            message,
        }),
        _ => Err(problems),
    }
}

/// The mail to an admin: who asks for which school, and where to add it and invite them.
pub fn school_request_mail(
    lang: Lang,
    to: &leenpunt_shared::Email,
    request: &SchoolRequest,
    public_url: &str,
) -> super::mail::Mail {
    let number = request
        .number
        .map(|n| n.to_string())
        .unwrap_or_else(|| "?".into());
    let (subject, body) = match lang {
        Lang::Nl => (
            format!("Aanvraag: school toevoegen ({})", request.school),
            format!(
                "Dag,\n\n{} ({}) wil een account maken, maar de school staat niet in de lijst:\n\n\
                 School: {}\nGemeente: {}\nInstellingsnummer: {number}\nBericht: {}\n\n\
                 Voeg de school toe via {public_url}/beheer/register/scholen en nodig de \
                 leerkracht daarna uit via {public_url}/beheer/uitnodigen, of antwoord op \
                 dit adres als er iets niet klopt.\n\nLeenpunt\n",
                request.name,
                request.email.as_str(),
                request.school,
                request.municipality,
                request.message,
            ),
        ),
        Lang::En => (
            format!("Request: add a school ({})", request.school),
            format!(
                "Hello,\n\n{} ({}) wants to create an account, but the school is not listed:\n\n\
                 School: {}\nMunicipality: {}\nInstitution number: {number}\nMessage: {}\n\n\
                 Add the school at {public_url}/beheer/register/scholen and then invite the \
                 teacher at {public_url}/beheer/uitnodigen, or reply to this address if \
                 something is not right.\n\nLeenpunt\n",
                request.name,
                request.email.as_str(),
                request.school,
                request.municipality,
                request.message,
            ),
        ),
    };
    super::mail::Mail {
        to: to.clone(),
        subject,
        body,
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

    fn request(school: &str, municipality: &str, number: &str) -> SchoolRequestForm {
        SchoolRequestForm {
            name: "Els Jansens".into(),
            email: "els@school.be".into(),
            school: school.into(),
            municipality: municipality.into(),
            number: number.into(),
            message: String::new(),
        }
    }

    #[test]
    fn a_request_names_every_problem_and_refuses_a_listed_school() {
        let all = schools();
        let ok = check_request(&request("Basisschool Nieuw", "Roeselare", ""), &all).unwrap();
        assert_eq!(ok.school, "Basisschool Nieuw");
        assert_eq!(ok.number, None);
        let empty = check_request(&SchoolRequestForm::default(), &all).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "school", "municipality", "email"]);
        assert_eq!(
            check_request(&request("Nieuw", "Roeselare", "12a"), &all).unwrap_err(),
            [("number", RequestProblem::BadNumber)]
        );
        assert_eq!(
            check_request(&request("Iets", "Ergens", "123456"), &all).unwrap_err(),
            [("number", RequestProblem::Listed)]
        );
        assert_eq!(
            check_request(&request("Sint-Jozefscollege", "Torhout", ""), &all).unwrap_err(),
            [("school", RequestProblem::Listed)]
        );
        // A known name in another municipality is a new school.
        assert!(check_request(&request("Sint-Jozefscollege", "Brugge", ""), &all).is_ok());
        assert!(check_request(
            &request("Gemeentelijke Basisschool De Regenboog", "Brugge", ""),
            &all
        )
        .is_ok());
    }

    #[test]
    fn nothing_typed_or_an_unknown_number_is_unknown() {
        let all = schools();
        for typed in ["", "  ", "999999", "--", "Atheneum Nergens"] {
            assert_eq!(find_school(typed, &all), SchoolMatch::Unknown, "{typed}");
        }
    }
}
