//! What the privacy notice tells, from the configuration: who is responsible, whom to ask,
//! and how long each kind of record is kept.

use serde::{Deserialize, Serialize};

/// How long records are kept before the daily job removes them (days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Mails in the outbox, counted from when they were sent.
    pub sent_mail_days: u32,
    /// Sign-in sessions, counted from their last use.
    pub session_days: u32,
    /// Records of failed sign-ins and mail requests (the throttles' memory).
    pub throttle_days: u32,
    /// Accounts whose sign-up was never confirmed.
    pub unconfirmed_days: u32,
    /// Accounts without a sign-in, reservation or training for this many whole school
    /// years are anonymised (after a warning mail).
    pub inactive_school_years: u32,
    /// Days between the warning mail and the anonymisation (a sign-in in between keeps
    /// the account).
    pub inactive_warning_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            sent_mail_days: 90,
            session_days: 30,
            throttle_days: 30,
            unconfirmed_days: 7,
            inactive_school_years: 3,
            inactive_warning_days: 30,
        }
    }
}

/// The facts of the privacy notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFacts {
    /// The controller: the body responsible for the personal data.
    pub controller: String,
    /// Where to ask about one's data (an e-mail address or a web address); `None` when the
    /// operator has not filled it in.
    pub contact: Option<String>,
    pub retention: Retention,
}

/// Everything Leenpunt holds about one person (the GDPR's right of access): per table, the
/// rows that are about them, every column except hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalData {
    /// When the export was made (RFC 3339).
    pub generated_at: String,
    pub person: crate::UserId,
    pub tables: Vec<PersonalTable>,
}

/// One table's rows about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalTable {
    pub table: String,
    pub columns: Vec<String>,
    /// Values as text, in the order of `columns` (`None`: empty).
    pub rows: Vec<Vec<Option<String>>>,
}

/// Something still running for a person, which keeps their account from being erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Blocker {
    /// Material handed out and not yet back (reservation, kit title, return day).
    OpenLoan {
        reservation: i64,
        kit: String,
        day: String,
    },
    /// A reservation not yet picked up (requested, confirmed or offered): staff cancel it
    /// first (reservation, kit title, pickup day).
    UpcomingReservation {
        reservation: i64,
        kit: String,
        day: String,
    },
    /// A place on a waiting list (kit title, pickup day).
    Waiting { kit: String, day: String },
    /// A seat (or waiting place) at a training session that has not started (session,
    /// training title, start as RFC 3339).
    UpcomingSession {
        session: i64,
        training: String,
        day: String,
    },
}

/// A request to delete an account, as an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureRequest {
    pub id: i64,
    pub person: crate::UserId,
    pub name: String,
    pub email: String,
    /// When it was asked (RFC 3339).
    pub requested_at: String,
    /// What must end first; empty: the erasure can be confirmed.
    pub blockers: Vec<Blocker>,
}

/// The asker's own request, if any: pending, or the latest decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyErasureRequest {
    pub requested_at: String,
    /// `None` while pending; `refused` with the admin's reason.
    pub outcome: Option<String>,
    pub reason: String,
}

/// What the account page and the admins' list show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureScreen {
    pub mine: Option<MyErasureRequest>,
    /// Pending requests (admins only; empty for everyone else).
    pub pending: Vec<ErasureRequest>,
}

/// An admin's refusal of an erasure request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefuseErasure {
    /// Why, told to the person (1–1000 characters).
    pub reason: String,
}
