//! Typed identifiers: a `KitTypeId` can never be passed where a `UnitId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A partner service (a lending organisation).
    PartnerId
);
id_type!(
    /// A pickup point of a partner service.
    PickupPointId
);
id_type!(
    /// A catalogue entry.
    KitTypeId
);
id_type!(
    /// A physical copy of a kit type.
    UnitId
);
id_type!(
    /// A school.
    SchoolId
);
id_type!(
    /// A kind of training that qualifies teachers for kit types.
    TrainingTypeId
);
