//! Display names of the shared enums, in every UI language.

use crate::{KitKind, Lang, Level, Theme, UnitStatus};

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
