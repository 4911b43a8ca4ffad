//! Display names of the shared enums, in every UI language.

use crate::{DayLimit, KitKind, Lang, Level, Theme, UnitStatus};

impl DayLimit {
    /// What the calendar cell shows instead of the free count.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DayLimit::Past, Lang::Nl) => "voorbij",
            (DayLimit::Past, Lang::En) => "past",
            (DayLimit::TooSoon, Lang::Nl) => "te kort",
            (DayLimit::TooSoon, Lang::En) => "too soon",
            (DayLimit::NotYet, Lang::Nl) => "nog niet",
            (DayLimit::NotYet, Lang::En) => "not yet",
        }
    }

    /// Why, in a sentence (the cell's tooltip).
    pub fn explanation(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DayLimit::Past, Lang::Nl) => "Deze dag is voorbij.",
            (DayLimit::Past, Lang::En) => "This day is over.",
            (DayLimit::TooSoon, Lang::Nl) => {
                "Te kort dag: de uitleendienst heeft meer dagen nodig om het materiaal klaar te zetten."
            }
            (DayLimit::TooSoon, Lang::En) => {
                "Too soon: the lending service needs more days to get the material ready."
            }
            (DayLimit::NotYet, Lang::Nl) => "Zo ver vooruit kan je nog niet reserveren.",
            (DayLimit::NotYet, Lang::En) => "You cannot book this far ahead yet.",
        }
    }
}

impl Theme {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Theme::Stem, _) => "STEM",
            (Theme::NatureEnvironment, Lang::Nl) => "Natuur en milieu",
            (Theme::NatureEnvironment, Lang::En) => "Nature and environment",
            (Theme::Literacy, Lang::Nl) => "Geletterdheid",
            (Theme::Literacy, Lang::En) => "Literacy",
            (Theme::Heritage, Lang::Nl) => "Erfgoed",
            (Theme::Heritage, Lang::En) => "Heritage",
            (Theme::Peace, Lang::Nl) => "Vredeseducatie",
            (Theme::Peace, Lang::En) => "Peace education",
            (Theme::Agriculture, Lang::Nl) => "Landbouw en voeding",
            (Theme::Agriculture, Lang::En) => "Agriculture and food",
            (Theme::GlobalCitizenship, Lang::Nl) => "Wereldburgerschap",
            (Theme::GlobalCitizenship, Lang::En) => "Global citizenship",
            (Theme::Europe, Lang::Nl) => "Europa",
            (Theme::Europe, Lang::En) => "Europe",
            (Theme::Talent, Lang::Nl) => "Talent en loopbaan",
            (Theme::Talent, Lang::En) => "Talent and careers",
        }
    }
}

impl Level {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::Nursery, Lang::Nl) => "Kleuteronderwijs",
            (Level::Nursery, Lang::En) => "Nursery school",
            (Level::Primary, Lang::Nl) => "Lager onderwijs",
            (Level::Primary, Lang::En) => "Primary school",
            (Level::Secondary1, Lang::Nl) => "Secundair, 1e graad",
            (Level::Secondary1, Lang::En) => "Secondary, 1st grade",
            (Level::Secondary2, Lang::Nl) => "Secundair, 2e graad",
            (Level::Secondary2, Lang::En) => "Secondary, 2nd grade",
            (Level::Secondary3, Lang::Nl) => "Secundair, 3e graad",
            (Level::Secondary3, Lang::En) => "Secondary, 3rd grade",
            (Level::SpecialNeeds, Lang::Nl) => "Buitengewoon onderwijs",
            (Level::SpecialNeeds, Lang::En) => "Special needs education",
            (Level::Adult, Lang::Nl) => "Volwassenenonderwijs",
            (Level::Adult, Lang::En) => "Adult education",
        }
    }
}

impl KitKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KitKind::LoanMaterial, Lang::Nl) => "Uitleenmateriaal",
            (KitKind::LoanMaterial, Lang::En) => "Loan material",
            (KitKind::LessonPackage, Lang::Nl) => "Lespakket",
            (KitKind::LessonPackage, Lang::En) => "Lesson package",
            (KitKind::Visit, Lang::Nl) => "Bezoekmogelijkheid",
            (KitKind::Visit, Lang::En) => "Visit",
        }
    }
}

impl UnitStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UnitStatus::InService, Lang::Nl) => "In dienst",
            (UnitStatus::InService, Lang::En) => "In service",
            (UnitStatus::Maintenance, Lang::Nl) => "In onderhoud",
            (UnitStatus::Maintenance, Lang::En) => "In maintenance",
            (UnitStatus::Retired, Lang::Nl) => "Afgevoerd",
            (UnitStatus::Retired, Lang::En) => "Retired",
        }
    }
}

impl crate::ReservationStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        use crate::ReservationStatus as S;
        match (self, lang) {
            (S::Offered, Lang::Nl) => "Aangeboden van de wachtlijst",
            (S::Offered, Lang::En) => "Offered from the waiting list",
            (S::Requested, Lang::Nl) => "Wacht op goedkeuring",
            (S::Requested, Lang::En) => "Awaiting approval",
            (S::Confirmed, Lang::Nl) => "Bevestigd",
            (S::Confirmed, Lang::En) => "Confirmed",
            (S::PickedUp, Lang::Nl) => "Afgehaald",
            (S::PickedUp, Lang::En) => "Picked up",
            (S::Returned, Lang::Nl) => "Teruggebracht",
            (S::Returned, Lang::En) => "Returned",
            (S::Cancelled, Lang::Nl) => "Geannuleerd",
            (S::Cancelled, Lang::En) => "Cancelled",
            (S::Rejected, Lang::Nl) => "Geweigerd",
            (S::Rejected, Lang::En) => "Rejected",
            (S::NoShow, Lang::Nl) => "Niet afgehaald",
            (S::NoShow, Lang::En) => "Not picked up",
        }
    }
}

/// A month's name, 1–12.
pub fn month_name(month: u32, lang: Lang) -> &'static str {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Nl => NL[i],
        Lang::En => EN[i],
    }
}

/// An ISO date (`YYYY-MM-DD`) as people write it: "7 december 2026"; unchanged if it is not
/// one.
pub fn human_date(iso: &str, lang: Lang) -> String {
    let mut parts = iso.splitn(3, '-');
    match (
        parts.next(),
        parts.next().and_then(|m| m.parse::<u32>().ok()),
        parts.next().and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
            format!("{d} {} {y}", month_name(m, lang))
        }
        _ => iso.to_owned(),
    }
}

impl crate::Role {
    pub fn label(self, lang: Lang) -> &'static str {
        use crate::Role as R;
        match (self, lang) {
            (R::Teacher, Lang::Nl) => "Leerkracht",
            (R::Teacher, Lang::En) => "Teacher",
            (R::Ambassador, Lang::Nl) => "Ambassadeur aan de uitleenbalie",
            (R::Ambassador, Lang::En) => "Lending desk ambassador",
            (R::Trainer, Lang::Nl) => "Trainer",
            (R::Trainer, Lang::En) => "Trainer",
            (R::PartnerAdmin, Lang::Nl) => "Beheerder van een uitleendienst",
            (R::PartnerAdmin, Lang::En) => "Partner service admin",
            (R::Admin, Lang::Nl) => "Beheerder",
            (R::Admin, Lang::En) => "Administrator",
        }
    }
}
