//! Personal access tokens, the pure rules: the secret's format and hash, the name, the
//! expiry, whether a token works now, what a scope allows, and when its last use is
//! worth writing down.
//!
//! A secret is `lp_` + 32 random bytes in base64url (43 characters): 256 bits, so a plain
//! SHA-256 of it is a safe thing to store (no salt or slow hash needed: nobody can guess
//! it, unlike a password).

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use leenpunt_shared::tokens::{TokenScope, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, MAX_TOKEN_NAME};
use sha2::{Digest, Sha256};

/// What every secret starts with, so people and secret scanners recognise one.
pub const PREFIX: &str = "lp_";
/// Random bytes in a secret.
pub const SECRET_BYTES: usize = 32;
/// Characters after the prefix: 32 bytes in unpadded base64url.
const ENCODED_LEN: usize = 43;
/// A token's last use is written down at most this often.
pub const TOUCH_EVERY_SECS: i64 = 60;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A token's secret, as shown to its owner once.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(lp_…)")
    }
}

impl Secret {
    /// The secret made of these random bytes.
    pub fn from_bytes(bytes: [u8; SECRET_BYTES]) -> Secret {
        Secret(format!("{PREFIX}{}", B64.encode(bytes)))
    }

    /// Reads a secret: the prefix and exactly 32 bytes of base64url, nothing else.
    pub fn parse(text: &str) -> Option<Secret> {
        let rest = text.strip_prefix(PREFIX)?;
        let bytes = B64.decode(rest).ok()?;
        (rest.len() == ENCODED_LEN && bytes.len() == SECRET_BYTES).then(|| Secret(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored: the SHA-256 of the secret, in hex.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }

    fn bytes(&self) -> [u8; SECRET_BYTES] {
        let mut out = [0u8; SECRET_BYTES];
        if let Ok(b) = B64.decode(&self.0[PREFIX.len()..]) {
            out.copy_from_slice(&b);
        }
        out
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why an `Authorization` header is not a usable token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not `Bearer lp_…` with a well-formed secret.
    Malformed,
    /// No token has this secret.
    Unknown,
    Expired,
    Revoked,
    /// Its owner's account is disabled.
    OwnerDisabled,
}

/// Reads an `Authorization` header value: the `Bearer` scheme (any case) and a secret.
pub fn parse_bearer(header: &str) -> Result<Secret, Refusal> {
    let (scheme, rest) = header.trim().split_once(' ').ok_or(Refusal::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Refusal::Malformed);
    }
    Secret::parse(rest.trim()).ok_or(Refusal::Malformed)
}

/// A token's name: trimmed, 1–80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong,
    ControlCharacter,
}

impl TokenName {
    pub fn parse(text: &str) -> Result<TokenName, NameProblem> {
        let name = text.trim();
        if name.is_empty() {
            Err(NameProblem::Empty)
        } else if name.chars().count() > MAX_TOKEN_NAME {
            Err(NameProblem::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(NameProblem::ControlCharacter)
        } else {
            Ok(TokenName(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When a token made `now` expires: after `days` (1–365; 90 when not chosen).
pub fn expiry(now: DateTime<Utc>, days: Option<u32>) -> Option<DateTime<Utc>> {
    let days = days.unwrap_or(DEFAULT_TOKEN_DAYS);
    (1..=MAX_TOKEN_DAYS)
        .contains(&days)
        .then(|| now + Duration::days(i64::from(days)))
}

/// A stored token, as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub owner_disabled: bool,
}

/// Whether a stored token works at `now`; a revoked token says so even when it also
/// expired since.
pub fn check(token: &Stored, now: DateTime<Utc>) -> Result<(), Refusal> {
    if token.owner_disabled {
        Err(Refusal::OwnerDisabled)
    } else if token.revoked_at.is_some_and(|r| r <= now) {
        Err(Refusal::Revoked)
    } else if now >= token.expires_at {
        Err(Refusal::Expired)
    } else {
        Ok(())
    }
}

/// Whether a token listed at `now` still works (for lists: not revoked, not expired).
pub fn active(expires_at: DateTime<Utc>, revoked: bool, now: DateTime<Utc>) -> bool {
    !revoked && now < expires_at
}

/// Whether a scope allows a request: `read` only the safe methods (GET, HEAD, OPTIONS).
pub fn allows(scope: TokenScope, safe_method: bool) -> bool {
    match scope {
        TokenScope::Write => true,
        TokenScope::Read => safe_method,
    }
}

/// Whether the last use is old enough to write down again (at most once a minute, so a
/// busy integration does not queue a write per request).
pub fn touch_due(last_used: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_used.is_none_or(|at| now - at >= Duration::seconds(TOUCH_EVERY_SECS))
}

/// The pad that hides a fresh secret in the address the account page is sent to after
/// making a token: SHA-256 of the browser's session cookie (a 256-bit secret the server
/// never stores) and the token's id. Each token id is sealed once, so the pad is never
/// reused; without the session cookie the address shows nothing.
fn pad(session: &str, id: i64) -> [u8; SECRET_BYTES] {
    let mut h = Sha256::new();
    h.update(b"leenpunt/token-reveal/v1\0");
    h.update(session.as_bytes());
    h.update(b"\0");
    h.update(id.to_be_bytes());
    h.finalize().into()
}

/// Seals a fresh secret for the address (base64url).
pub fn seal(secret: &Secret, session: &str, id: i64) -> String {
    let pad = pad(session, id);
    let mut bytes = secret.bytes();
    bytes.iter_mut().zip(pad).for_each(|(b, p)| *b ^= p);
    B64.encode(bytes)
}

/// Opens a sealed secret with the same session and id; the caller checks it against the
/// stored hash.
pub fn unseal(sealed: &str, session: &str, id: i64) -> Option<Secret> {
    let bytes = B64.decode(sealed).ok()?;
    let mut bytes: [u8; SECRET_BYTES] = bytes.try_into().ok()?;
    bytes
        .iter_mut()
        .zip(pad(session, id))
        .for_each(|(b, p)| *b ^= p);
    Some(Secret::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, s).unwrap()
    }

    #[test]
    fn a_secret_is_the_prefix_and_43_base64url_characters() {
        let s = Secret::from_bytes([0xfb; 32]);
        assert!(s.as_str().starts_with("lp_"));
        assert_eq!(s.as_str().len(), 3 + 43);
        assert!(s.as_str()[3..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(Secret::parse(s.as_str()), Some(s.clone()));
        assert_eq!(s.hash().len(), 64);
        assert_ne!(s.hash(), Secret::from_bytes([0xfa; 32]).hash());
        assert_eq!(format!("{s:?}"), "Secret(lp_…)", "never printed");
    }

    #[test]
    fn malformed_secrets_and_headers_are_refused() {
        let good = Secret::from_bytes([7; 32]);
        for bad in [
            "",
            "lp_",
            "lp_abc",
            &good.as_str()[3..],
            &format!("xx_{}", &good.as_str()[3..]),
            &format!("{}A", good.as_str()),
            &format!("{}=", good.as_str()),
            &good.as_str().replace('_', "/"),
        ] {
            assert_eq!(Secret::parse(bad), None, "{bad}");
        }
        assert_eq!(
            parse_bearer(&format!("Bearer {}", good.as_str())),
            Ok(good.clone())
        );
        assert_eq!(
            parse_bearer(&format!("bearer  {} ", good.as_str())),
            Ok(good.clone())
        );
        for bad in [
            good.as_str().to_owned(),
            format!("Basic {}", good.as_str()),
            "Bearer".to_owned(),
            "Bearer nope".to_owned(),
        ] {
            assert_eq!(parse_bearer(&bad), Err(Refusal::Malformed), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(TokenName::parse("  Sync  ").unwrap().as_str(), "Sync");
        assert_eq!(TokenName::parse("   "), Err(NameProblem::Empty));
        assert!(TokenName::parse(&"é".repeat(80)).is_ok());
        assert_eq!(TokenName::parse(&"é".repeat(81)), Err(NameProblem::TooLong));
        assert_eq!(
            TokenName::parse("a\u{0}b"),
            Err(NameProblem::ControlCharacter)
        );
    }

    #[test]
    fn expiry_defaults_to_90_days_and_is_at_most_a_year() {
        let now = at(9, 0, 0);
        assert_eq!(expiry(now, None), Some(now + Duration::days(90)));
        assert_eq!(expiry(now, Some(1)), Some(now + Duration::days(1)));
        assert_eq!(expiry(now, Some(365)), Some(now + Duration::days(365)));
        assert_eq!(expiry(now, Some(366)), None);
        assert_eq!(expiry(now, Some(0)), None);
    }

    #[test]
    fn a_token_works_until_it_expires_or_is_revoked() {
        let token = Stored {
            expires_at: at(10, 0, 0),
            revoked_at: None,
            last_used_at: None,
            owner_disabled: false,
        };
        assert_eq!(check(&token, at(9, 59, 59)), Ok(()));
        assert_eq!(check(&token, at(10, 0, 0)), Err(Refusal::Expired));
        let revoked = Stored {
            revoked_at: Some(at(9, 0, 0)),
            ..token.clone()
        };
        assert_eq!(check(&revoked, at(9, 30, 0)), Err(Refusal::Revoked));
        assert_eq!(check(&revoked, at(11, 0, 0)), Err(Refusal::Revoked));
        let disabled = Stored {
            owner_disabled: true,
            ..token
        };
        assert_eq!(check(&disabled, at(9, 0, 0)), Err(Refusal::OwnerDisabled));
        assert!(active(at(10, 0, 0), false, at(9, 0, 0)));
        assert!(!active(at(10, 0, 0), true, at(9, 0, 0)));
        assert!(!active(at(10, 0, 0), false, at(10, 0, 0)));
    }

    #[test]
    fn a_read_token_only_reads() {
        assert!(allows(TokenScope::Read, true));
        assert!(!allows(TokenScope::Read, false));
        assert!(allows(TokenScope::Write, true));
        assert!(allows(TokenScope::Write, false));
    }

    #[test]
    fn the_last_use_is_written_at_most_once_a_minute() {
        assert!(touch_due(None, at(9, 0, 0)));
        assert!(!touch_due(Some(at(9, 0, 0)), at(9, 0, 59)));
        assert!(touch_due(Some(at(9, 0, 0)), at(9, 1, 0)));
    }

    #[test]
    fn a_sealed_secret_opens_only_with_the_same_session_and_id() {
        let secret = Secret::from_bytes([42; 32]);
        let sealed = seal(&secret, "session-a", 7);
        assert!(!sealed.contains(&secret.as_str()[3..]));
        assert_eq!(unseal(&sealed, "session-a", 7), Some(secret.clone()));
        assert_ne!(unseal(&sealed, "session-b", 7), Some(secret.clone()));
        assert_ne!(unseal(&sealed, "session-a", 8), Some(secret.clone()));
        assert_eq!(unseal("not base64!", "session-a", 7), None);
        assert_eq!(unseal("AAAA", "session-a", 7), None);
    }
}
