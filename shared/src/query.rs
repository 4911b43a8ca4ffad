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
            && self.pickup.is_empty())
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
