//! The catalogue search query and its URL form, shared so that a link built by the
//! server, the browser and the tests is the same link.

use crate::catalogue::{KitKind, Level, Theme};
use serde::{Deserialize, Serialize};

/// Results per page.
pub const PAGE_SIZE: u32 = 24;
/// The highest page number accepted (far beyond any real catalogue).
pub const MAX_PAGE: u32 = 10_000;
/// Longest accepted free-text query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Result ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// Best text match first; alphabetical without a text query.
    #[default]
    Relevance,
    Title,
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Title, Sort::Newest];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// What a teacher asked the catalogue. Within one facet values are OR-ed, across facets AND-ed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueQuery {
    pub q: String,
    pub theme: Vec<Theme>,
    pub level: Vec<Level>,
    pub kind: Vec<KitKind>,
    /// Partner slugs.
    pub partner: Vec<String>,
    /// Pickup point slugs.
    pub pickup: Vec<String>,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
    /// Only loan material with a unit free on every day from `from` to `to` (ISO dates,
    /// both included; `to` defaults to `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// The longest date range the catalogue's availability filter takes, in days.
pub const MAX_FREE_RANGE_DAYS: u32 = 366;

/// Days since 1970-01-01 of an ISO date (Howard Hinnant's days-from-civil); `None` if it is
/// not one.
pub fn day_number(s: &str) -> Option<i64> {
    if !is_iso_date(s) {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Whether a text is an ISO calendar date (`YYYY-MM-DD`, a real day of that month).
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A query-string parameter the catalogue does not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub name: String,
    pub value: String,
}

impl CatalogueQuery {
    /// Builds a query from URL pairs (repeated keys allowed). Unknown values are collected
    /// as errors so the API can answer 422; the page simply ignores them.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (CatalogueQuery, Vec<BadParam>) {
        let mut q = CatalogueQuery {
            page: 1,
            ..Default::default()
        };
        let mut bad = Vec::new();
        for (key, value) in pairs {
            let ok = match key {
                "q" => {
                    q.q = value.trim().chars().take(MAX_QUERY_CHARS).collect();
                    true
                }
                "theme" => push_parsed(&mut q.theme, Theme::parse(value)),
                "level" => push_parsed(&mut q.level, Level::parse(value)),
                "kind" => push_parsed(&mut q.kind, KitKind::parse(value)),
                "partner" => push_slug(&mut q.partner, value),
                "pickup" => push_slug(&mut q.pickup, value),
                "sort" => Sort::parse(value).map(|s| q.sort = s).is_some(),
                // Empty date fields come from a form left blank.
                "from" | "to" if value.trim().is_empty() => true,
                "from" | "to" => {
                    let ok = is_iso_date(value.trim());
                    if ok {
                        let v = Some(value.trim().to_owned());
                        if key == "from" {
                            q.from = v;
                        } else {
                            q.to = v;
                        }
                    }
                    ok
                }
                "page" => match value.parse::<u32>() {
                    Ok(p) if (1..=MAX_PAGE).contains(&p) => {
                        q.page = p;
                        true
                    }
                    _ => false,
                },
                // Parameters of other features (e.g. `lang`) are not ours to judge.
                _ => true,
            };
            if !ok {
                bad.push(BadParam {
                    name: key.to_owned(),
                    value: value.to_owned(),
                });
            }
        }
        // A lone end is the same day as its start; a range must run forward.
        if q.to.is_some() && q.from.is_none() {
            q.from = q.to.clone();
        }
        if let (Some(from), Some(to)) = (&q.from, &q.to) {
            let days = day_number(to).unwrap_or(0) - day_number(from).unwrap_or(0);
            if to < from || days > i64::from(MAX_FREE_RANGE_DAYS) {
                bad.push(BadParam {
                    name: "to".into(),
                    value: to.clone(),
                });
                q.to = None;
            }
        }
        (q, bad)
    }

    /// The canonical query string (without `?`), omitting defaults. Stable ordering.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.extend(self.theme.iter().map(|v| ("theme", v.code().to_owned())));
        pairs.extend(self.level.iter().map(|v| ("level", v.code().to_owned())));
        pairs.extend(self.kind.iter().map(|v| ("kind", v.code().to_owned())));
        pairs.extend(self.partner.iter().map(|v| ("partner", v.clone())));
        pairs.extend(self.pickup.iter().map(|v| ("pickup", v.clone())));
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.code().to_owned()));
        }
        if let Some(from) = &self.from {
            pairs.push(("from", from.clone()));
        }
        if let Some(to) = &self.to {
            pairs.push(("to", to.clone()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_component(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same query with one facet value toggled and the page reset.
    pub fn toggled(&self, facet: Facet, value: &str) -> CatalogueQuery {
        let mut next = self.clone();
        next.page = 1;
        match facet {
            Facet::Theme => toggle(&mut next.theme, Theme::parse(value)),
            Facet::Level => toggle(&mut next.level, Level::parse(value)),
            Facet::Kind => toggle(&mut next.kind, KitKind::parse(value)),
            Facet::Partner => toggle(&mut next.partner, Some(value.to_owned())),
            Facet::Pickup => toggle(&mut next.pickup, Some(value.to_owned())),
        }
        next
    }

    /// The same query on another page.
    pub fn with_page(&self, page: u32) -> CatalogueQuery {
        CatalogueQuery {
            page: page.clamp(1, MAX_PAGE),
            ..self.clone()
        }
    }

    /// True when any facet filter is set.
    pub fn has_filters(&self) -> bool {
        !(self.theme.is_empty()
            && self.level.is_empty()
            && self.kind.is_empty()
            && self.partner.is_empty()
            && self.pickup.is_empty()
            && self.from.is_none())
    }

    /// The availability range, when one is asked: (from, to), `to` defaulting to `from`.
    pub fn free_range(&self) -> Option<(&str, &str)> {
        let from = self.from.as_deref()?;
        Some((from, self.to.as_deref().unwrap_or(from)))
    }
}

/// The facets of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Theme,
    Level,
    Kind,
    Partner,
    Pickup,
}

impl Facet {
    pub const ALL: [Facet; 5] = [
        Facet::Theme,
        Facet::Level,
        Facet::Kind,
        Facet::Partner,
        Facet::Pickup,
    ];

    pub fn param(self) -> &'static str {
        match self {
            Facet::Theme => "theme",
            Facet::Level => "level",
            Facet::Kind => "kind",
            Facet::Partner => "partner",
            Facet::Pickup => "pickup",
        }
    }
}

fn push_parsed<T: PartialEq>(list: &mut Vec<T>, value: Option<T>) -> bool {
    match value {
        Some(v) => {
            if !list.contains(&v) {
                list.push(v);
            }
            true
        }
        None => false,
    }
}

fn push_slug(list: &mut Vec<String>, value: &str) -> bool {
    let ok = crate::values::Slug::parse(value).is_ok();
    ok && push_parsed(list, Some(value.to_owned()))
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, value: Option<T>) {
    if let Some(v) = value {
        if let Some(i) = list.iter().position(|x| *x == v) {
            list.remove(i);
        } else {
            list.push(v);
        }
    }
}

/// Percent-encodes a query-string component (RFC 3986 unreserved characters stay).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(qs: &str) -> (CatalogueQuery, Vec<BadParam>) {
        let pairs: Vec<(String, String)> = qs
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn repeated_keys_and_unknown_values() {
        let (q, bad) = parse("q=bee&theme=stem&theme=erfgoed&level=lager&page=2&theme=zz");
        assert_eq!(q.q, "bee");
        assert_eq!(q.theme, vec![Theme::Stem, Theme::Heritage]);
        assert_eq!(q.level, vec![Level::Primary]);
        assert_eq!(q.page, 2);
        assert_eq!(
            bad,
            vec![BadParam {
                name: "theme".into(),
                value: "zz".into()
            }]
        );
    }

    #[test]
    fn toggling_resets_the_page() {
        let (q, _) = parse("theme=stem&page=3");
        let t = q.toggled(Facet::Theme, "stem");
        assert!(t.theme.is_empty());
        assert_eq!(t.page, 1);
        assert_eq!(
            q.toggled(Facet::Partner, "mos").to_query_string(),
            "theme=stem&partner=mos"
        );
    }

    #[test]
    fn date_ranges() {
        let (q, bad) = parse("from=2026-12-07&to=2026-12-10");
        assert!(bad.is_empty());
        assert_eq!(q.free_range(), Some(("2026-12-07", "2026-12-10")));
        assert_eq!(q.to_query_string(), "from=2026-12-07&to=2026-12-10");
        let (q, bad) = parse("from=&to=");
        assert!(bad.is_empty() && q.free_range().is_none());
        let (q, _) = parse("to=2026-12-10");
        assert_eq!(q.free_range(), Some(("2026-12-10", "2026-12-10")));
        let (_, bad) = parse("from=2026-12-10&to=2026-12-07");
        assert_eq!(bad[0].name, "to");
        let (_, bad) = parse("from=2026-02-30");
        assert_eq!(bad[0].name, "from");
        assert!(
            is_iso_date("2028-02-29") && !is_iso_date("2027-02-29") && !is_iso_date("2026-1-01")
        );
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-27"), Some(20_784));
        let (_, bad) = parse("from=2026-01-01&to=2027-06-01");
        assert_eq!(bad[0].name, "to", "more than a year");
    }

    proptest! {
        #[test]
        fn query_string_roundtrips(
            text in "\\PC{0,40}",
            themes in proptest::sample::subsequence(Theme::ALL.to_vec(), 0..4),
            levels in proptest::sample::subsequence(Level::ALL.to_vec(), 0..3),
            partners in proptest::collection::vec("[a-z]{1,8}", 0..3),
            page in 1u32..50,
        ) {
            // from_pairs keeps the first of repeated values.
            let mut partners = partners;
            partners.sort();
            partners.dedup();
            let q = CatalogueQuery {
                q: text.trim().to_owned(),
                theme: themes,
                level: levels,
                partner: partners,
                page,
                ..Default::default()
            };
            let (back, bad) = parse(&q.to_query_string());
            prop_assert!(bad.is_empty());
            prop_assert_eq!(back, q);
        }
    }
}
