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
}
