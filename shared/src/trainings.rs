//! Trainings, sessions, registrations and qualifications: the DTOs of the trainings API.
//!
//! Instants travel as UTC RFC 3339 strings, with the Brussels local day and times
//! alongside for display; days are `YYYY-MM-DD`.

use crate::ids::*;
use crate::UserId;
use serde::{Deserialize, Serialize};

/// A training type with what it unlocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Training {
    pub id: TrainingTypeId,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub partner: String,
    pub partner_slug: String,
    pub duration_minutes: u32,
    /// Months a qualification stays valid; `None`: it never expires.
    pub validity_months: Option<u32>,
    /// The kit types it unlocks: (slug, title).
    pub unlocks: Vec<(String, String)>,
}

/// A training type as an admin defines it (form fields as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingForm {
    /// The partner service that gives it (slug); only when creating.
    #[serde(default)]
    pub partner: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub duration_minutes: String,
    /// Months, or empty for "never expires".
    #[serde(default)]
    pub validity_months: String,
}

/// One session of a training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingSession {
    pub id: i64,
    pub training_slug: String,
    pub training_title: String,
    pub partner: String,
    pub starts_at: String,
    pub ends_at: String,
    /// Local (Brussels) day and times, for display.
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub capacity: u32,
    /// Seats taken.
    pub registered: u32,
    /// People on the waiting list.
    pub waiting: u32,
    pub registration_opens: String,
    pub registration_closes: String,
    pub cancelled: bool,
    pub trainers: Vec<String>,
    /// The asker's own place: `ingeschreven`, `wachtlijst`, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_status: Option<String>,
    /// Whether the asker's attendance is recorded.
    #[serde(default)]
    pub my_attended: bool,
}

/// A new session (form fields as typed; day and times are local to Brussels).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSession {
    /// Training type slug.
    pub training: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub capacity: String,
    /// Last day to register (`YYYY-MM-DD`); empty: the day before the session.
    #[serde(default)]
    pub registration_closes: String,
    /// Trainers' e-mail addresses; empty: the person planning it.
    #[serde(default)]
    pub trainers: Vec<String>,
}

/// Someone on a session's list, as the trainer's roster shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub registration: i64,
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub schools: String,
    /// `ingeschreven`, `wachtlijst` or `geannuleerd`.
    pub status: String,
    pub attended: bool,
    pub walk_in: bool,
}

/// Attendance as the trainer ticks it: the registrations present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceBody {
    pub present: Vec<i64>,
}

/// Ticks as the trainer makes them: each names a registration and whether that person is
/// present. Sending the same marks again changes nothing, so a page may resend them until
/// it hears they were saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceMarks {
    pub marks: Vec<AttendanceMark>,
}

/// One tick: a registration, present or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceMark {
    pub registration: i64,
    pub present: bool,
}

/// A walk-in, by the e-mail address of their account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkInBody {
    pub email: String,
}

/// A qualification someone holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Qualification {
    pub id: i64,
    pub user: UserId,
    pub user_name: String,
    pub training_slug: String,
    pub training_title: String,
    pub granted_on: String,
    /// Last valid day; `None`: it never expires.
    pub valid_until: Option<String>,
    /// Who granted it (the trainer recording attendance, or an admin).
    pub granted_by: Option<String>,
    /// For a grant by hand: why.
    pub reason: String,
    /// `geldig`, `verlopen` or `ingetrokken`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
}

/// A qualification granted by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantBody {
    pub email: String,
    /// Training type slug.
    pub training: String,
    /// `YYYY-MM-DD`; empty: today.
    #[serde(default)]
    pub granted_on: String,
    pub reason: String,
}

/// A session one could still register for, as a refusal suggests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionBrief {
    pub id: i64,
    pub day: String,
    pub start_time: String,
    pub place: String,
    /// Seats left (0: registering puts you on the waiting list).
    pub free: u32,
}

/// A training the borrower still needs, with its upcoming sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingTraining {
    pub slug: String,
    pub title: String,
    pub sessions: Vec<SessionBrief>,
}

/// The sessions page: upcoming sessions and the trainings they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsScreen {
    pub sessions: Vec<TrainingSession>,
    pub trainings: Vec<Training>,
    /// The asker may register (a teacher).
    pub can_register: bool,
}

/// One session's page; the roster only for who runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionScreen {
    pub session: TrainingSession,
    pub can_register: bool,
    pub runs: bool,
    /// The session has started (attendance can be recorded).
    pub started: bool,
    /// Registration is open now.
    pub open: bool,
    /// The asker may call the session off (it has not started).
    #[serde(default)]
    pub can_call_off: bool,
    pub roster: Vec<RosterEntry>,
}

/// A teacher's (or trainer's) trainings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTrainingsScreen {
    pub qualifications: Vec<Qualification>,
    /// Sessions the asker is on the list of.
    pub sessions: Vec<TrainingSession>,
    /// Sessions the asker trains (recent and upcoming).
    pub trains: Vec<TrainingSession>,
    /// Colleagues' qualifications, per school: (school name, qualifications).
    pub colleagues: Vec<(String, Vec<Qualification>)>,
}

/// The trainings management page for partner admins and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingsAdminScreen {
    /// Training types the asker manages.
    pub trainings: Vec<Training>,
    /// Partner services the asker may define trainings for: (slug, name).
    pub partners: Vec<(String, String)>,
    /// Upcoming and recent sessions of those trainings.
    pub sessions: Vec<TrainingSession>,
    /// Qualifications of those trainings.
    pub qualifications: Vec<Qualification>,
}
