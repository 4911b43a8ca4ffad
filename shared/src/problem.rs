//! RFC 9457 problem details: the one error shape of the JSON API.

use serde::{Deserialize, Serialize};

/// A problem+json body. `title` and `detail` are in the requester's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the problem type, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field messages for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension member of reservation conflicts: the nearest dates that would work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<crate::reservations::DateRange>,
    /// Extension member of "training required" refusals: what is missing and its sessions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trainings: Vec<crate::trainings::MissingTraining>,
}

/// One field's validation message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field (query parameter, JSON pointer or CSV column) the message is about.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
