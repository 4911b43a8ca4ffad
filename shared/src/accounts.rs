//! People, roles and sessions: the contract types.

use crate::ids::{PartnerId, SchoolId};
use serde::{Deserialize, Serialize};

/// A user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct UserId(pub i64);

/// What a person may do. A user can hold several roles; roles are data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Member of a school; finds and reserves material.
    Teacher,
    /// Lending-desk staff of a partner service: hand-over and return.
    Ambassador,
    /// Runs trainings of a partner service and records attendance.
    Trainer,
    /// Manages one partner service's catalogue, units and rules.
    PartnerAdmin,
    /// Manages everything.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Teacher,
        Role::Ambassador,
        Role::Trainer,
        Role::PartnerAdmin,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Ambassador => "ambassador",
            Role::Trainer => "trainer",
            Role::PartnerAdmin => "partner-admin",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Where the role applies: a school for teachers, a partner service for desk roles.
    pub fn scope(self) -> Scope {
        match self {
            Role::Teacher => Scope::School,
            Role::Ambassador | Role::Trainer | Role::PartnerAdmin => Scope::Partner,
            Role::Admin => Scope::Everything,
        }
    }
}

/// What a role is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    School,
    Partner,
    Everything,
}

/// One role held by a user, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    pub school: Option<NamedRef<SchoolId>>,
    pub partner: Option<NamedRef<PartnerId>>,
}

/// An id with the name to show for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedRef<Id> {
    pub id: Id,
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub grants: Vec<Grant>,
    /// The language the person's mails are written in (the last one they chose).
    #[serde(default)]
    pub lang: crate::Lang,
    /// Whether the person gets the non-essential mails: reminders before a pickup, a return
    /// or a training session, and the desk's daily digest. Confirmations, waiting-list offers
    /// and overdue notices always go.
    #[serde(default = "yes")]
    pub reminders: bool,
}

fn yes() -> bool {
    true
}

/// A person's choice about reminders and digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemindersChoice {
    /// `true`: send reminders and digests; `false`: only the mails that always go.
    pub on: bool,
}

/// A person's choice of language for their mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LangChoice {
    pub lang: crate::Lang,
}

/// A login attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A school to choose from when signing up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolOption {
    /// The instellingsnummer, six digits.
    pub number: String,
    pub name: String,
    pub municipality: String,
}

/// The invitation screen: the partner services one may invite staff for, and whether one
/// may invite teachers and admins (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InviteScreen {
    /// (slug, name).
    pub partners: Vec<(String, String)>,
    pub admin: bool,
}

/// A mail in the development mailbox (kept when no SMTP server is configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEntry {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}
