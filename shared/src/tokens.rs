//! Personal access tokens: the contract types of `/api/v1/me/tokens` and `/api/v1/tokens`.

use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// What a token may do: `read` only safe requests (GET, HEAD), `write` everything its
    /// owner may do.
    TokenScope {
        Read = "read",
        Write = "write",
    }
);

/// The expiry a new token gets when none is chosen, in days.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;
/// The longest a token may live, in days.
pub const MAX_TOKEN_DAYS: u32 = 365;
/// The longest a token's name may be, in characters.
pub const MAX_TOKEN_NAME: usize = 80;

/// A request for a new token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    /// What the token is for (1–80 characters), e.g. "Schoolbestuur sync".
    pub name: String,
    pub scope: TokenScope,
    /// Days until it expires: 1–365, 90 when left out.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// A token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    /// UTC instants (RFC 3339).
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Whether it works now: not revoked and not expired.
    pub active: bool,
    /// The owner's name and e-mail address (in the administrators' list only).
    #[serde(default)]
    pub owner_name: Option<String>,
    #[serde(default)]
    pub owner_email: Option<String>,
}

/// The answer to creating a token: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token: AccessToken,
    /// `lp_…`: send it as `Authorization: Bearer lp_…`. Not stored; it cannot be shown again.
    pub secret: String,
}

/// The tokens section of "Mijn account": one's tokens, and a token made just now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokensScreen {
    pub tokens: Vec<AccessToken>,
    /// The secret of the token made a moment ago, shown this once.
    pub fresh: Option<CreatedToken>,
}
