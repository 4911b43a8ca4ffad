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
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            sent_mail_days: 90,
            session_days: 30,
            throttle_days: 30,
            unconfirmed_days: 7,
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
