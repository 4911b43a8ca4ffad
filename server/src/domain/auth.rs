//! Authentication rules: password policy and hashing, login throttling, session lifetimes.

use crate::texts::Text;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use leenpunt_shared::{Email, Lang};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    SameAsEmail,
}

impl PasswordProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            PasswordProblem::TooShort => Text::PasswordTooShort {
                min: &MIN_PASSWORD_CHARS,
            }
            .get(lang),
            PasswordProblem::SameAsEmail => Text::PasswordIsEmail.get(lang),
        }
    }
}

/// Checks a new password against the policy: long enough, and not the e-mail address.
pub fn check_password(password: &str, email: &Email) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if password.trim().eq_ignore_ascii_case(email.as_str()) {
        return Err(PasswordProblem::SameAsEmail);
    }
    Ok(())
}

/// An argon2id hash in PHC format, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .expect("argon2 with default parameters cannot fail")
}

/// Verifies a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing in particular, verified when an account does not exist, so a wrong
/// e-mail address takes as long to refuse as a wrong password (no account enumeration).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password"))
}

/// Failed logins allowed per account within the window.
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 10;
/// Failed logins allowed per client address within the window: higher, because a whole
/// school often shares one address.
pub const MAX_FAILURES_PER_CLIENT: u32 = 50;
/// How far back failures count.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

pub fn throttle_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(THROTTLE_WINDOW_MINUTES)
}

/// Whether a login attempt must be refused before the password is even checked.
pub fn is_throttled(recent_account_failures: u32, recent_client_failures: u32) -> bool {
    recent_account_failures >= MAX_FAILURES_PER_ACCOUNT
        || recent_client_failures >= MAX_FAILURES_PER_CLIENT
}

/// Mails one address may be sent by anonymous requests (sign-up, forgotten password)
/// within [`MAIL_WINDOW_MINUTES`]: enough to retry, too few to flood someone's mailbox.
pub const MAX_MAILS_PER_ADDRESS: u32 = 3;
/// Mail-sending requests one client address may make within the window; high, because a
/// school (or a whole training's attendance) signs up from one address.
pub const MAX_MAIL_REQUESTS_PER_CLIENT: u32 = 300;
/// How far back mail-sending requests count.
pub const MAIL_WINDOW_MINUTES: i64 = 60;

pub fn mail_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(MAIL_WINDOW_MINUTES)
}

/// Whether an anonymous request that sends mail must be refused.
pub fn is_mail_throttled(recent_to_address: u32, recent_from_client: u32) -> bool {
    recent_to_address >= MAX_MAILS_PER_ADDRESS || recent_from_client >= MAX_MAIL_REQUESTS_PER_CLIENT
}

/// A session ends after this long without a request…
pub const SESSION_IDLE_HOURS: i64 = 24;
/// …and in any case this long after login.
pub const SESSION_ABSOLUTE_DAYS: i64 = 14;
/// `last_seen_at` is written at most this often, to keep reads from becoming writes.
pub const SESSION_TOUCH_MINUTES: i64 = 5;

/// What to do with a session on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    Valid { touch: bool },
    Expired,
}

pub fn check_session(
    now: DateTime<Utc>,
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
) -> SessionCheck {
    if now - created > Duration::days(SESSION_ABSOLUTE_DAYS)
        || now - last_seen > Duration::hours(SESSION_IDLE_HOURS)
    {
        SessionCheck::Expired
    } else {
        SessionCheck::Valid {
            touch: now - last_seen > Duration::minutes(SESSION_TOUCH_MINUTES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("an.peeters@school.be").unwrap()
    }

    #[test]
    fn password_policy() {
        assert_eq!(
            check_password("kort", &email()),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password("An.Peeters@School.be", &email()),
            Err(PasswordProblem::SameAsEmail)
        );
        assert_eq!(check_password("tien tekens", &email()), Ok(()));
        // Counted in characters, not bytes.
        assert_eq!(
            check_password("ééééééééé", &email()),
            Err(PasswordProblem::TooShort)
        );
    }

    #[test]
    fn hashes_verify_and_are_salted() {
        let a = hash_password("geheim wachtwoord");
        let b = hash_password("geheim wachtwoord");
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("geheim wachtwoord", &a));
        assert!(!verify_password("geheim wachtwoorD", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn throttling_limits() {
        assert!(!is_throttled(9, 49));
        assert!(is_throttled(10, 0));
        assert!(is_throttled(0, 50));
    }

    #[test]
    fn mail_throttling_limits() {
        assert!(!is_mail_throttled(2, 299));
        assert!(is_mail_throttled(3, 0));
        assert!(is_mail_throttled(0, 300));
    }

    #[test]
    fn session_lifetimes() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-27T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = |n| t0 + Duration::hours(n);
        assert_eq!(
            check_session(t0 + Duration::minutes(1), t0, t0),
            SessionCheck::Valid { touch: false }
        );
        assert_eq!(
            check_session(h(2), t0, t0),
            SessionCheck::Valid { touch: true }
        );
        assert_eq!(
            check_session(h(25), t0, t0),
            SessionCheck::Expired,
            "idle too long"
        );
        assert_eq!(
            check_session(h(24 * 14 + 1), t0, h(24 * 14)),
            SessionCheck::Expired,
            "absolute limit"
        );
        assert_eq!(
            check_session(h(24 * 13), t0, h(24 * 13 - 1)),
            SessionCheck::Valid { touch: true }
        );
    }
}

/// What a mailed link is for; each kind has its own lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Confirm,
    Reset,
    Invite,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Confirm => "confirm",
            TokenPurpose::Reset => "reset",
            TokenPurpose::Invite => "invite",
        }
    }

    /// How long a link stays valid.
    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Confirm => Duration::hours(48),
            TokenPurpose::Reset => Duration::hours(2),
            TokenPurpose::Invite => Duration::days(7),
        }
    }
}

/// Why a mailed link no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
    Used,
}

/// A link works once, before it expires.
pub fn check_token(
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used: bool,
) -> Result<(), TokenProblem> {
    if used {
        Err(TokenProblem::Used)
    } else if now >= expires_at {
        Err(TokenProblem::Expired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn links_work_once_and_expire() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-27T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let expires = t0 + TokenPurpose::Confirm.lifetime();
        assert_eq!(check_token(t0, expires, false), Ok(()));
        assert_eq!(
            check_token(expires - Duration::seconds(1), expires, false),
            Ok(())
        );
        assert_eq!(
            check_token(expires, expires, false),
            Err(TokenProblem::Expired)
        );
        assert_eq!(check_token(t0, expires, true), Err(TokenProblem::Used));
        assert!(TokenPurpose::Reset.lifetime() < TokenPurpose::Confirm.lifetime());
    }
}
