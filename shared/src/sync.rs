//! What the sync collections (`/api/v1/sync/…`) answer for people and kit types: the
//! other three collections carry the DTOs of their own read APIs.

use crate::admin::UserRow;
use crate::{
    KitKind, KitTypeId, Level, Part, PartnerId, Photo, PickupPointId, Theme, TrainingTypeId, UserId,
};
use serde::{Deserialize, Serialize};

/// A person as synced: the user administration's row, or a tombstone when the person
/// was erased or their account removed (then only the id: delete your copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncedPerson {
    pub id: UserId,
    /// The person was erased or their account removed: nothing else is told.
    pub deleted: bool,
    /// As `GET /api/v1/users` lists them; absent when `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<UserRow>,
    /// When it last changed (RFC 3339, UTC, milliseconds, the database's clock).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated_at: String,
}

/// A kit type's own loan rules; `None` is the partner service's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanRuleOverrides {
    pub lead_days: Option<u32>,
    pub horizon_days: Option<u32>,
    pub min_loan_days: Option<u32>,
    pub max_loan_days: Option<u32>,
    pub buffer_days: Option<u32>,
    pub max_per_school: Option<u32>,
    pub needs_approval: Option<bool>,
}

/// A kit type as synced: its own record, pointing to its partner service, pickup points
/// and required trainings by id (their names live in their own APIs), and its own loan
/// rules (`null`: the partner's default). Units are their own collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitTypeRecord {
    pub id: KitTypeId,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub kind: KitKind,
    pub partner_id: PartnerId,
    pub external_url: Option<String>,
    pub themes: Vec<Theme>,
    pub levels: Vec<Level>,
    /// In their order on the kit's page.
    pub photos: Vec<Photo>,
    /// The contents list, in order.
    pub parts: Vec<Part>,
    pub pickup_point_ids: Vec<PickupPointId>,
    pub required_training_ids: Vec<TrainingTypeId>,
    pub loan_rules: LoanRuleOverrides,
}

/// A kit type as synced, and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncedKitType {
    pub kit_type: KitTypeRecord,
    /// When it last changed (RFC 3339, UTC, milliseconds, the database's clock).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated_at: String,
}
