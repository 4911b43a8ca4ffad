//! The languages of the user interface.

use serde::{Deserialize, Serialize};

/// A UI language. Dutch (nl-BE) is the default; English is the second language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl-BE",
            Lang::En => "en",
        }
    }

    /// The short code used in cookies and query strings.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Accepts `nl`, `nl-BE`, `en`, `en-GB`, … (case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The cookie that holds a visitor's explicit language choice.
    pub const COOKIE: &'static str = "leenpunt_lang";

    /// The language for a request: an explicit choice (cookie) wins over the browser's
    /// `Accept-Language`; Dutch otherwise.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Lang {
        let chosen = cookie_header.and_then(|h| {
            h.split(';')
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == Self::COOKIE)
                .and_then(|(_, v)| Lang::parse(v))
        });
        chosen
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }

    /// Picks the first supported language of an `Accept-Language` header, in the
    /// order the browser gave (quality values are already ordered by browsers).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Lang::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn cookie_beats_accept_language() {
        assert_eq!(
            Lang::negotiate(Some("a=1; leenpunt_lang=en"), Some("nl")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(Some("leenpunt_lang=xx"), Some("en-US")),
            Lang::En
        );
        assert_eq!(Lang::negotiate(None, None), Lang::Nl);
    }

    #[test]
    fn accept_language_takes_first_supported() {
        assert_eq!(
            Lang::from_accept_language("fr-BE,fr;q=0.9,en;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
