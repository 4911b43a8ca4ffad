//! The admin screens' DTOs: editing kit types (and their units and photos).

use serde::{Deserialize, Serialize};

/// A kit type one may edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitListEntry {
    pub slug: String,
    pub title: String,
    pub partner: String,
}

/// One field of a kit type's form, named as the catalogue CSV's column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitField {
    pub name: String,
    pub value: String,
}

/// A kit type's edit screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitEditScreen {
    /// `None`: a new kit type.
    pub slug: Option<String>,
    pub fields: Vec<KitField>,
    /// Partner services the asker manages: (slug, name).
    pub partners: Vec<(String, String)>,
    /// The messages of a refused save, per field (with `fields` as they were typed).
    pub errors: Vec<crate::FieldError>,
    /// Pickup points one may choose, grouped by their partner service.
    pub pickup_points: Vec<KitChoice>,
    /// Training types a kit type may require, grouped by their partner service.
    pub trainings: Vec<KitChoice>,
    /// The contents list, a row per part (and a few empty rows to add parts).
    pub parts: Vec<KitPartRow>,
    /// The units, a row per unit (and a few empty rows to type new codes).
    pub units: Vec<KitUnitRow>,
    pub photos: Vec<KitPhotoRow>,
    /// "Add N units": the typed N (empty) and the code prefix offered.
    pub add_units: String,
    pub unit_prefix: String,
}

/// One choice of a register (a pickup point, a training type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitChoice {
    pub value: String,
    pub label: String,
    /// The partner service's name it belongs to.
    pub group: String,
}

/// One row of a kit type's contents list, as stored or typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitPartRow {
    pub name: String,
    pub count: String,
    /// 1-based position.
    pub pos: String,
    pub remove: bool,
}

/// One unit row, as stored or typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitUnitRow {
    pub code: String,
    /// A `UnitStatus` code.
    pub status: String,
    /// The unit exists: its code is shown, not edited.
    pub existing: bool,
}

/// One photo row, as stored or typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitPhotoRow {
    pub url: String,
    pub alt: String,
    pub remove: bool,
}

/// A register one manages (schools, partner services, pickup points), as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterScreen {
    /// `scholen`, `partners` or `afhaalpunten`.
    pub kind: String,
    pub columns: Vec<String>,
    pub rows: Vec<RegisterRow>,
    /// The asker may add records.
    pub can_add: bool,
}

/// One record of a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRow {
    pub key: String,
    pub cells: Vec<String>,
    pub editable: bool,
}

/// One record's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterEditScreen {
    pub kind: String,
    /// `None`: a new record.
    pub key: Option<String>,
    pub fields: Vec<KitField>,
    pub errors: Vec<crate::FieldError>,
}

/// A person as the user administration lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRow {
    pub id: crate::UserId,
    pub name: String,
    pub email: String,
    pub confirmed: bool,
    pub disabled: bool,
    pub roles: Vec<UserRole>,
}

/// One role someone holds, with where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRole {
    pub id: i64,
    pub role: crate::Role,
    /// The school or partner service's name ("" for admin).
    pub scope: String,
}

/// `/beheer`: what needs a manager's attention now, for the partner services they manage
/// (all services for admins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// Requests waiting for the desk's approval.
    pub awaiting_approval: u32,
    /// Units taken out of service for repair or a check.
    pub in_maintenance: u32,
    /// Loans past their return day.
    pub overdue: u32,
    /// Units whose current label has never been on a printed sheet.
    pub labels_unprinted: u32,
    /// The units in maintenance (the first 100), to open and put back in service.
    pub maintenance: Vec<crate::handover::UnitInfo>,
}
