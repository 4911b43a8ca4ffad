//! Catalogue types: themes, levels, kinds, and the DTOs of the catalogue API.

use crate::ids::*;
use serde::{Deserialize, Serialize};

/// Declares an enum with stable kebab-case wire codes used in URLs, CSV and the database.
#[macro_export]
#[doc(hidden)]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        // Written out rather than derived: utoipa's derive does not see a `serde(rename)`
        // whose value comes from a macro fragment, and would list the Rust variant names.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a wire code.
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum!(
    /// The themes across the Klasbakken offer.
    Theme {
        Stem = "stem",
        NatureEnvironment = "natuur-milieu",
        Literacy = "geletterdheid",
        Heritage = "erfgoed",
        Peace = "vrede",
        Agriculture = "landbouw-voeding",
        GlobalCitizenship = "wereldburgerschap",
        Europe = "europa",
        Talent = "talent-loopbaan",
    }
);

coded_enum!(
    /// Education levels in Flanders.
    Level {
        /// Kleuteronderwijs (2.5–6).
        Nursery = "kleuter",
        /// Lager onderwijs (6–12).
        Primary = "lager",
        /// Secundair onderwijs, eerste graad.
        Secondary1 = "so-1",
        /// Secundair onderwijs, tweede graad.
        Secondary2 = "so-2",
        /// Secundair onderwijs, derde graad.
        Secondary3 = "so-3",
        /// Buitengewoon basis- en secundair onderwijs.
        SpecialNeeds = "buitengewoon",
        /// Volwassenenonderwijs and basiseducatie.
        Adult = "volwassenen",
    }
);

coded_enum!(
    /// What a catalogue entry is.
    KitKind {
        /// Uitleenmateriaal: physical units that can be reserved.
        LoanMaterial = "uitleen",
        /// Lespakket: an informative entry with a link.
        LessonPackage = "lespakket",
        /// Bezoekmogelijkheid: a visit option, informative with a link.
        Visit = "bezoek",
    }
);

impl KitKind {
    /// Only loan material has units and can be reserved.
    pub fn is_reservable(self) -> bool {
        matches!(self, KitKind::LoanMaterial)
    }
}

coded_enum!(
    /// The state of a physical unit.
    UnitStatus {
        InService = "in-dienst",
        Maintenance = "onderhoud",
        Retired = "afgevoerd",
    }
);

/// A partner service as shown next to its kits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRef {
    pub id: PartnerId,
    pub slug: String,
    pub name: String,
}

/// A partner service with its contact details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub id: PartnerId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A place where kits are picked up and returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupPoint {
    pub id: PickupPointId,
    pub slug: String,
    pub name: String,
    pub partner_id: PartnerId,
    pub street: String,
    pub postcode: String,
    pub municipality: String,
    /// Human-readable opening hours, e.g. "ma–vr 9.00–12.00 en 13.00–16.30".
    pub opening_hours: String,
}

/// A part in a kit's contents list, with the count expected back at return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    pub name: String,
    pub expected_count: u32,
}

/// A photo of a kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    pub url: String,
    pub alt: String,
}

/// A training a teacher must have followed before borrowing a kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingRef {
    pub id: TrainingTypeId,
    pub slug: String,
    pub title: String,
}

/// The loan rules in force for a kit type (its own, or its partner's defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanRules {
    /// Earliest pickup, in open days from today.
    pub lead_days: u32,
    /// How far ahead a pickup may be booked, in calendar days.
    pub horizon_days: u32,
    pub min_loan_days: u32,
    pub max_loan_days: u32,
    /// Open days a returned unit needs before its next loan.
    pub buffer_days: u32,
    /// Concurrent reservations of this kit type per school.
    pub max_per_school: u32,
    pub needs_approval: bool,
}

/// A catalogue entry in a result list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitSummary {
    pub id: KitTypeId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: KitKind,
    pub partner: PartnerRef,
    pub themes: Vec<Theme>,
    pub levels: Vec<Level>,
    pub photo: Option<Photo>,
    pub requires_training: bool,
    /// Units in service (0 for lesson packages and visits).
    pub units_in_service: u32,
    /// The slugs of the pickup points it is picked up at (by slug), so a card can put it
    /// in the cart at once when there is only one.
    #[serde(default)]
    pub pickup_points: Vec<String>,
}

/// A catalogue entry with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitDetail {
    pub id: KitTypeId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub kind: KitKind,
    pub partner: Partner,
    pub themes: Vec<Theme>,
    pub levels: Vec<Level>,
    pub photos: Vec<Photo>,
    pub parts: Vec<Part>,
    pub pickup_points: Vec<PickupPoint>,
    pub required_trainings: Vec<TrainingRef>,
    pub loan_rules: LoanRules,
    pub external_url: Option<String>,
    pub units_in_service: u32,
}

/// One value of a facet with the number of results it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetValue {
    /// The code or slug used in the query string.
    pub value: String,
    /// A display label for values that are data (partners, pickup points); empty for enums,
    /// whose labels the UI translates.
    pub label: String,
    pub count: u32,
    pub selected: bool,
}

/// Facet counts. Each facet counts over the results filtered by all *other* facets, so
/// choosing a second value in the same facet widens the result (OR within, AND across).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub theme: Vec<FacetValue>,
    pub level: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
    pub partner: Vec<FacetValue>,
    pub pickup: Vec<FacetValue>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub total: u32,
    pub page: u32,
    pub page_count: u32,
    pub items: Vec<KitSummary>,
    pub facets: Facets,
    /// When the words matched nothing: a corrected query that does ("did you mean").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Health of the service's dependencies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Readiness {
    pub status: String,
    pub database: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_roundtrip() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.code()), Some(*t));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(*l));
        }
        for k in KitKind::ALL {
            assert_eq!(KitKind::parse(k.code()), Some(*k));
        }
        assert_eq!(Theme::parse("nope"), None);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_schema_lists_the_wire_codes() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Theme::schema()).unwrap();
        let codes: Vec<&str> = Theme::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(schema["enum"], serde_json::json!(codes));
    }

    #[test]
    fn wire_format_is_the_code() {
        assert_eq!(
            serde_json::to_string(&Level::Secondary1).unwrap(),
            "\"so-1\""
        );
        assert_eq!(
            serde_json::from_str::<KitKind>("\"uitleen\"").unwrap(),
            KitKind::LoanMaterial
        );
    }
}
