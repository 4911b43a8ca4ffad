//! HTTP validators for calendar feeds (RFC 9110 §8.8, §13.1): which content coding a
//! client gets, the entity tag of each coding, and whether a conditional GET is answered
//! 304 Not Modified. Pure: the handler passes header values in, the service decides.

use chrono::{DateTime, NaiveDateTime, Utc};

/// The content coding of a feed body. Each has its own entity tag, because a gzip body
/// and an identity body are different representations (RFC 9110 §8.8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    /// The `Content-Encoding` value, none for identity.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }

    /// What the entity tag of this coding ends in.
    fn suffix(self) -> &'static str {
        match self {
            Coding::Identity => "",
            Coding::Gzip => "-gz",
            Coding::Brotli => "-br",
        }
    }

    /// Index for per-coding storage.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The coding a client gets from its `Accept-Encoding` values: the highest q-value wins,
/// br before gzip before identity on a tie; `q=0` refuses. This is exactly the rule of
/// tower-http's `CompressionLayer` (gzip, br), so a body we send uncompressed is one the
/// layer would not have compressed either; `*` and unknown codings are ignored like there.
pub fn negotiate<'a>(accept_encoding: impl IntoIterator<Item = &'a str>) -> Coding {
    accept_encoding
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.splitn(2, ';');
            let name = parts.next().unwrap_or_default().trim();
            let coding = if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip")
            {
                Coding::Gzip
            } else if name.eq_ignore_ascii_case("br") {
                Coding::Brotli
            } else if name.eq_ignore_ascii_case("identity") {
                Coding::Identity
            } else {
                return None;
            };
            let q = match parts.next() {
                Some(q) => qvalue(q.trim())?,
                None => 1000,
            };
            Some((coding, q))
        })
        .filter(|(_, q)| *q > 0)
        .max_by_key(|&(coding, q)| (q, coding))
        .map_or(Coding::Identity, |(coding, _)| coding)
}

/// `q=0.5` as thousandths; `None` when malformed (the item is then ignored).
fn qvalue(s: &str) -> Option<u16> {
    let rest = s.strip_prefix(['q', 'Q'])?.strip_prefix('=')?;
    let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let whole = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = format!("{frac:0<3}").parse::<u16>().ok()?;
    let value = whole + frac;
    (value <= 1000).then_some(value)
}

/// The strong entity tag of a feed version in one coding: `"<digest>"`, `"<digest>-gz"`,
/// `"<digest>-br"`.
pub fn etag(digest: &str, coding: Coding) -> String {
    format!("\"{digest}{}\"", coding.suffix())
}

/// The validator headers of a request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Conditions<'a> {
    /// Every `If-None-Match` field line, joined by commas (a list may span lines).
    pub if_none_match: Option<&'a str>,
    pub if_modified_since: Option<&'a str>,
}

/// Whether a GET with these conditions is answered 304 for the representation with this
/// entity tag and modification time (RFC 9110 §13.2.2): `If-None-Match` first, with the
/// weak comparison and `*`; `If-Modified-Since` only when there is no `If-None-Match`, and
/// ignored when it is not a valid HTTP-date.
pub fn not_modified(conditions: &Conditions, etag: &str, last_modified: DateTime<Utc>) -> bool {
    if let Some(list) = conditions.if_none_match {
        return none_match_fails(list, etag);
    }
    match conditions.if_modified_since.and_then(parse_http_date) {
        Some(since) => last_modified.timestamp() <= since.timestamp(),
        None => false,
    }
}

/// `If-None-Match` is false ("the client has it") when it is `*` or lists a tag that
/// weakly matches ours: the same opaque tag, either of them possibly `W/`.
fn none_match_fails(list: &str, etag: &str) -> bool {
    if list.trim() == "*" {
        return true;
    }
    let ours = opaque(etag);
    entity_tags(list).any(|tag| Some(tag) == ours)
}

/// The quoted part of an entity tag, without `W/`.
fn opaque(tag: &str) -> Option<&str> {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    (tag.len() >= 2
        && tag.starts_with('"')
        && tag.ends_with('"')
        && !tag[1..tag.len() - 1].contains('"'))
    .then_some(tag)
}

/// The opaque tags of an `If-None-Match` list (`W/"a", "b"`), quotes included. Commas may
/// occur inside a tag; a malformed list ends where it stops making sense.
fn entity_tags(list: &str) -> impl Iterator<Item = &str> {
    let mut rest = list;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let body = rest.strip_prefix("W/").unwrap_or(rest);
        let inner = body.strip_prefix('"')?;
        let end = inner.find('"')?;
        let tag = &body[..end + 2];
        rest = &inner[end + 1..];
        Some(tag)
    })
}

/// An HTTP-date in any of the three forms a recipient must accept (RFC 9110 §5.6.7):
/// IMF-fixdate, the obsolete RFC 850 form and asctime.
pub fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    [
        "%a, %d %b %Y %H:%M:%S GMT",
        "%A, %d-%b-%y %H:%M:%S GMT",
        "%a %b %e %H:%M:%S %Y",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
    .map(|t| t.and_utc())
}

/// An instant as an IMF-fixdate, the form `Last-Modified` is sent in.
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, s).unwrap()
    }

    fn inm(list: &str) -> Conditions<'_> {
        Conditions {
            if_none_match: Some(list),
            if_modified_since: None,
        }
    }

    fn ims(date: &str) -> Conditions<'_> {
        Conditions {
            if_none_match: None,
            if_modified_since: Some(date),
        }
    }

    const TAG: &str = "\"abc123\"";

    #[test]
    fn strong_weak_lists_and_star_match() {
        let lm = at(10, 0, 0);
        assert!(not_modified(&inm("\"abc123\""), TAG, lm));
        assert!(
            not_modified(&inm("W/\"abc123\""), TAG, lm),
            "weak comparison for GET"
        );
        assert!(not_modified(&inm("\"x\", W/\"abc123\" ,\"y\""), TAG, lm));
        assert!(
            not_modified(&inm("\"a,b\",\"abc123\""), TAG, lm),
            "commas inside a tag"
        );
        assert!(not_modified(&inm("*"), TAG, lm));
        assert!(not_modified(&inm(" * "), TAG, lm));
        assert!(
            not_modified(&inm("\"q\""), "W/\"q\"", lm),
            "our tag weak, theirs strong"
        );
    }

    #[test]
    fn other_tags_and_garbage_do_not_match() {
        let lm = at(10, 0, 0);
        assert!(!not_modified(&inm("\"abc12\""), TAG, lm));
        assert!(
            !not_modified(&inm("\"abc123-gz\""), TAG, lm),
            "another coding's tag"
        );
        assert!(!not_modified(&inm("abc123"), TAG, lm), "unquoted");
        assert!(
            !not_modified(&inm("\"x\", abc123, \"abc123\""), TAG, lm),
            "list ends at garbage"
        );
        assert!(!not_modified(&inm(""), TAG, lm));
        assert!(!not_modified(&inm("W/"), TAG, lm));
        assert!(!not_modified(&inm("\"unterminated"), TAG, lm));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let c = Conditions {
            if_none_match: Some("\"other\""),
            if_modified_since: Some("Fri, 27 Nov 2026 12:00:00 GMT"),
        };
        assert!(
            !not_modified(&c, TAG, at(10, 0, 0)),
            "IMS is ignored when INM is present"
        );
    }

    #[test]
    fn if_modified_since_compares_whole_seconds() {
        let lm = at(10, 0, 0) + chrono::Duration::milliseconds(700);
        assert!(
            not_modified(&ims("Fri, 27 Nov 2026 10:00:00 GMT"), TAG, lm),
            "equal"
        );
        assert!(
            not_modified(&ims("Fri, 27 Nov 2026 10:00:01 GMT"), TAG, lm),
            "later"
        );
        assert!(
            !not_modified(&ims("Fri, 27 Nov 2026 09:59:59 GMT"), TAG, lm),
            "earlier"
        );
        assert!(
            !not_modified(&ims("gisteren"), TAG, lm),
            "not a date: ignored"
        );
        assert!(!not_modified(&Conditions::default(), TAG, lm));
    }

    #[test]
    fn the_three_http_date_forms() {
        let want = Some(at(8, 49, 37));
        assert_eq!(parse_http_date("Fri, 27 Nov 2026 08:49:37 GMT"), want);
        assert_eq!(parse_http_date("Friday, 27-Nov-26 08:49:37 GMT"), want);
        assert_eq!(parse_http_date("Fri Nov 27 08:49:37 2026"), want);
        let single = Utc.with_ymd_and_hms(2026, 11, 6, 8, 49, 37).unwrap();
        assert_eq!(parse_http_date("Fri Nov  6 08:49:37 2026"), Some(single));
        assert_eq!(http_date(at(8, 49, 37)), "Fri, 27 Nov 2026 08:49:37 GMT");
        let lm = at(8, 49, 37);
        assert_eq!(parse_http_date(&http_date(lm)), Some(lm));
    }

    #[test]
    fn one_tag_per_coding() {
        assert_eq!(etag("ab", Coding::Identity), "\"ab\"");
        assert_eq!(etag("ab", Coding::Gzip), "\"ab-gz\"");
        assert_eq!(etag("ab", Coding::Brotli), "\"ab-br\"");
    }

    #[test]
    fn negotiation_follows_q_values_then_br_gzip_identity() {
        let n = |v: &str| negotiate([v]);
        assert_eq!(negotiate([]), Coding::Identity);
        assert_eq!(n("gzip, deflate, br"), Coding::Brotli);
        assert_eq!(n("gzip"), Coding::Gzip);
        assert_eq!(n("x-gzip"), Coding::Gzip);
        assert_eq!(n("br;q=0.5, gzip"), Coding::Gzip);
        assert_eq!(n("br;q=0, gzip;q=0"), Coding::Identity);
        assert_eq!(n("identity"), Coding::Identity);
        assert_eq!(n("gzip;q=0.5, identity"), Coding::Identity);
        assert_eq!(
            n("deflate, *"),
            Coding::Identity,
            "* is ignored, like tower-http does"
        );
        assert_eq!(
            n("br;q=2, gzip;q=0.001"),
            Coding::Gzip,
            "a bad q-value drops the item"
        );
        assert_eq!(n("BR;Q=1.000"), Coding::Brotli);
        assert_eq!(
            negotiate(["gzip", "br;q=0.9"]),
            Coding::Gzip,
            "several field lines"
        );
    }
}
