//! Catalogue search: filtering, facet counting, ordering and paging over an in-memory
//! index of the catalogue. Full-text matching happens in storage; everything else here.

use super::text::sort_key;
use leenpunt_shared::query::Facet;
use leenpunt_shared::{
    CatalogueQuery, FacetValue, Facets, KitKind, KitTypeId, Level, PartnerId, PickupPointId, Sort,
    Theme, PAGE_SIZE,
};
use std::collections::HashMap;

/// What the search needs to know of one catalogue entry.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedKit {
    pub id: KitTypeId,
    pub title: String,
    pub kind: KitKind,
    pub partner: PartnerId,
    pub themes: Vec<Theme>,
    pub levels: Vec<Level>,
    pub pickups: Vec<PickupPointId>,
    /// ISO-8601; sorts chronologically as text.
    pub created_at: String,
}

/// A named, slugged facet value that is data rather than an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<Id> {
    pub id: Id,
    pub slug: String,
    pub name: String,
}

/// The whole catalogue as the search sees it, built once per catalogue version.
#[derive(Debug, Clone, Default)]
pub struct CatalogueIndex {
    kits: Vec<(IndexedKit, String)>,
    partners: Vec<Named<PartnerId>>,
    pickups: Vec<Named<PickupPointId>>,
}

impl CatalogueIndex {
    pub fn new(
        kits: Vec<IndexedKit>,
        mut partners: Vec<Named<PartnerId>>,
        mut pickups: Vec<Named<PickupPointId>>,
    ) -> Self {
        partners.sort_by_key(|p| sort_key(&p.name));
        pickups.sort_by_key(|p| sort_key(&p.name));
        let kits = kits
            .into_iter()
            .map(|k| {
                let key = sort_key(&k.title);
                (k, key)
            })
            .collect();
        CatalogueIndex {
            kits,
            partners,
            pickups,
        }
    }

    pub fn len(&self) -> usize {
        self.kits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kits.is_empty()
    }
}

/// Full-text hits: kit id → rank (lower is better, as FTS5's bm25).
pub type TextHits = HashMap<KitTypeId, f64>;

/// One page of results: the ids to show, in order, and the counts around them.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub ids: Vec<KitTypeId>,
    pub total: u32,
    pub page: u32,
    pub page_count: u32,
    pub facets: Facets,
}

/// The facet filters of a query, resolved to ids. Unknown slugs match nothing.
struct Filters {
    theme: Vec<Theme>,
    level: Vec<Level>,
    kind: Vec<KitKind>,
    partner: Option<Vec<PartnerId>>,
    pickup: Option<Vec<PickupPointId>>,
}

impl Filters {
    fn resolve(index: &CatalogueIndex, q: &CatalogueQuery) -> Filters {
        fn ids<Id: Copy>(all: &[Named<Id>], slugs: &[String]) -> Option<Vec<Id>> {
            (!slugs.is_empty()).then(|| {
                all.iter()
                    .filter(|n| slugs.contains(&n.slug))
                    .map(|n| n.id)
                    .collect()
            })
        }
        Filters {
            theme: q.theme.clone(),
            level: q.level.clone(),
            kind: q.kind.clone(),
            partner: ids(&index.partners, &q.partner),
            pickup: ids(&index.pickups, &q.pickup),
        }
    }

    /// Which facets the kit satisfies, as a bit per `Facet::ALL` position.
    fn passes(&self, kit: &IndexedKit) -> u8 {
        let any =
            |set: &[Theme], have: &[Theme]| set.is_empty() || have.iter().any(|t| set.contains(t));
        let checks = [
            any(&self.theme, &kit.themes),
            self.level.is_empty() || kit.levels.iter().any(|l| self.level.contains(l)),
            self.kind.is_empty() || self.kind.contains(&kit.kind),
            self.partner
                .as_ref()
                .is_none_or(|p| p.contains(&kit.partner)),
            self.pickup
                .as_ref()
                .is_none_or(|p| kit.pickups.iter().any(|x| p.contains(x))),
        ];
        checks
            .iter()
            .enumerate()
            .fold(0u8, |acc, (i, ok)| if *ok { acc | (1 << i) } else { acc })
    }
}

const ALL_FACETS: u8 = 0b1_1111;

/// Runs a catalogue query. `text` is `None` when the query has no words; otherwise only
/// kits among the hits can match.
pub fn search(
    index: &CatalogueIndex,
    query: &CatalogueQuery,
    text: Option<&TextHits>,
) -> SearchPage {
    let filters = Filters::resolve(index, query);
    let mut counts = Counts::default();
    let mut hits: Vec<(&IndexedKit, &str, f64)> = Vec::new();

    for (kit, key) in &index.kits {
        let rank = match text {
            Some(h) => match h.get(&kit.id) {
                Some(r) => *r,
                None => continue,
            },
            None => 0.0,
        };
        let passes = filters.passes(kit);
        // A facet's counts include kits that pass every *other* facet.
        for (i, facet) in Facet::ALL.iter().enumerate() {
            if passes | (1 << i) == ALL_FACETS {
                counts.add(*facet, kit);
            }
        }
        if passes == ALL_FACETS {
            hits.push((kit, key.as_str(), rank));
        }
    }

    order(&mut hits, query.sort, text.is_some());
    let total = hits.len() as u32;
    let page_count = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.max(1);
    let ids = hits
        .iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|(k, _, _)| k.id)
        .collect();
    SearchPage {
        ids,
        total,
        page,
        page_count,
        facets: counts.into_facets(index, query),
    }
}

fn order(hits: &mut [(&IndexedKit, &str, f64)], sort: Sort, has_text: bool) {
    match sort {
        Sort::Relevance if has_text => hits.sort_by(|a, b| {
            a.2.total_cmp(&b.2)
                .then_with(|| a.1.cmp(b.1))
                .then(a.0.id.cmp(&b.0.id))
        }),
        Sort::Relevance | Sort::Title => {
            hits.sort_by(|a, b| a.1.cmp(b.1).then(a.0.id.cmp(&b.0.id)))
        }
        Sort::Newest => hits.sort_by(|a, b| {
            b.0.created_at
                .cmp(&a.0.created_at)
                .then(b.0.id.cmp(&a.0.id))
        }),
    }
}

#[derive(Default)]
struct Counts {
    theme: HashMap<Theme, u32>,
    level: HashMap<Level, u32>,
    kind: HashMap<KitKind, u32>,
    partner: HashMap<PartnerId, u32>,
    pickup: HashMap<PickupPointId, u32>,
}

impl Counts {
    fn add(&mut self, facet: Facet, kit: &IndexedKit) {
        match facet {
            Facet::Theme => kit
                .themes
                .iter()
                .for_each(|t| *self.theme.entry(*t).or_default() += 1),
            Facet::Level => kit
                .levels
                .iter()
                .for_each(|l| *self.level.entry(*l).or_default() += 1),
            Facet::Kind => *self.kind.entry(kit.kind).or_default() += 1,
            Facet::Partner => *self.partner.entry(kit.partner).or_default() += 1,
            Facet::Pickup => kit
                .pickups
                .iter()
                .for_each(|p| *self.pickup.entry(*p).or_default() += 1),
        }
    }

    fn into_facets(self, index: &CatalogueIndex, q: &CatalogueQuery) -> Facets {
        Facets {
            theme: coded(Theme::ALL, &self.theme, &q.theme, Theme::code),
            level: coded(Level::ALL, &self.level, &q.level, Level::code),
            kind: coded(KitKind::ALL, &self.kind, &q.kind, KitKind::code),
            partner: named(&index.partners, &self.partner, &q.partner),
            pickup: named(&index.pickups, &self.pickup, &q.pickup),
        }
    }
}

/// Enum facets list every value that has results or is selected, in declaration order.
fn coded<T: Copy + Eq + std::hash::Hash>(
    all: &[T],
    counts: &HashMap<T, u32>,
    selected: &[T],
    code: fn(T) -> &'static str,
) -> Vec<FacetValue> {
    all.iter()
        .map(|v| FacetValue {
            value: code(*v).to_owned(),
            label: String::new(),
            count: counts.get(v).copied().unwrap_or(0),
            selected: selected.contains(v),
        })
        .filter(|f| f.count > 0 || f.selected)
        .collect()
}

fn named<Id: Copy + Eq + std::hash::Hash>(
    all: &[Named<Id>],
    counts: &HashMap<Id, u32>,
    selected: &[String],
) -> Vec<FacetValue> {
    all.iter()
        .map(|n| FacetValue {
            value: n.slug.clone(),
            label: n.name.clone(),
            count: counts.get(&n.id).copied().unwrap_or(0),
            selected: selected.contains(&n.slug),
        })
        .filter(|f| f.count > 0 || f.selected)
        .collect()
}

#[cfg(test)]
mod tests;
