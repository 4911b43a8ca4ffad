//! Catalogue search: text matching, filtering, facet counting, ordering and paging over an
//! in-memory index of the catalogue (so it behaves the same on every database engine).

use super::text::sort_key;
use super::text_index::TextIndex;
use leenpunt_shared::query::Facet;
use leenpunt_shared::{
    CatalogueQuery, FacetValue, Facets, KitKind, KitTypeId, Level, PartnerId, PickupPointId, Sort,
    Theme, PAGE_SIZE,
};
use std::collections::{HashMap, HashSet};

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
    /// The searchable text besides the title: summary, description, themes, partner.
    pub text: String,
}

/// A named, slugged facet value that is data rather than an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<Id> {
    pub id: Id,
    pub slug: String,
    pub name: String,
}

/// A kit as stored in the index: enum sets as bit masks and data references as dense
/// positions, so filtering and counting are array operations.
#[derive(Debug, Clone)]
struct Entry {
    kit: IndexedKit,
    themes: u32,
    levels: u32,
    kind: usize,
    partner: usize,
    pickups: Vec<usize>,
}

/// The whole catalogue as the search sees it, built once per catalogue version. Entries
/// are kept in title order, with the "newest first" order precomputed, so most searches
/// need no sorting at all.
#[derive(Debug, Clone, Default)]
pub struct CatalogueIndex {
    entries: Vec<Entry>,
    newest: Vec<usize>,
    partners: Vec<Named<PartnerId>>,
    pickups: Vec<Named<PickupPointId>>,
    /// The entries' words, numbered by position.
    text: TextIndex,
}

fn position<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}

fn mask<T: PartialEq>(all: &[T], values: &[T]) -> u32 {
    values.iter().fold(0, |m, v| m | 1 << position(all, v))
}

impl CatalogueIndex {
    pub fn new(
        kits: Vec<IndexedKit>,
        mut partners: Vec<Named<PartnerId>>,
        mut pickups: Vec<Named<PickupPointId>>,
    ) -> Self {
        partners.sort_by_key(|p| sort_key(&p.name));
        pickups.sort_by_key(|p| sort_key(&p.name));
        let partner_pos: HashMap<PartnerId, usize> = partners
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        let pickup_pos: HashMap<PickupPointId, usize> =
            pickups.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let mut keyed: Vec<(String, Entry)> = kits
            .into_iter()
            .filter(|k| partner_pos.contains_key(&k.partner))
            .map(|kit| {
                let entry = Entry {
                    themes: mask(Theme::ALL, &kit.themes),
                    levels: mask(Level::ALL, &kit.levels),
                    kind: position(KitKind::ALL, &kit.kind),
                    partner: partner_pos[&kit.partner],
                    pickups: kit
                        .pickups
                        .iter()
                        .filter_map(|p| pickup_pos.get(p).copied())
                        .collect(),
                    kit,
                };
                (sort_key(&entry.kit.title), entry)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.kit.id.cmp(&b.1.kit.id)));
        let entries: Vec<Entry> = keyed.into_iter().map(|(_, e)| e).collect();
        let mut newest: Vec<usize> = (0..entries.len()).collect();
        newest.sort_by(|a, b| {
            let (a, b) = (&entries[*a].kit, &entries[*b].kit);
            b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id))
        });
        let text = TextIndex::new(
            entries
                .iter()
                .map(|e| (e.kit.title.as_str(), e.kit.text.as_str())),
        );
        CatalogueIndex {
            entries,
            newest,
            partners,
            pickups,
            text,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The indexed kits, in title order.
    pub fn kits(&self) -> impl Iterator<Item = &IndexedKit> {
        self.entries.iter().map(|e| &e.kit)
    }
}

/// The searchable text of a kit besides its title: the given texts, and its kind, themes
/// and levels named in every language (so "heritage" and "erfgoed" both find it).
pub fn search_text(texts: &[&str], kind: KitKind, themes: &[Theme], levels: &[Level]) -> String {
    let mut out: Vec<&str> = texts.to_vec();
    for lang in leenpunt_shared::Lang::ALL {
        out.push(kind.label(lang));
        out.extend(themes.iter().map(|t| t.label(lang)));
        out.extend(levels.iter().map(|l| l.label(lang)));
    }
    out.join(" \n ")
}

/// A set of kit types a search is limited to (e.g. those free on the asked dates).
pub type KitSet = HashSet<KitTypeId>;

/// One page of results: the ids to show, in order, and the counts around them.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub ids: Vec<KitTypeId>,
    pub total: u32,
    pub page: u32,
    pub page_count: u32,
    pub facets: Facets,
    /// When the words match nothing: the nearest query that does ("did you mean").
    pub suggestion: Option<String>,
}

/// The facet filters of a query as masks and position sets; empty means "no filter".
/// Unknown slugs select nothing, so such a filter matches nothing.
struct Filters {
    themes: u32,
    levels: u32,
    kinds: u32,
    partners: Option<Vec<bool>>,
    pickups: Option<Vec<bool>>,
}

impl Filters {
    fn resolve(index: &CatalogueIndex, q: &CatalogueQuery) -> Filters {
        fn chosen<Id>(all: &[Named<Id>], slugs: &[String]) -> Option<Vec<bool>> {
            (!slugs.is_empty()).then(|| all.iter().map(|n| slugs.contains(&n.slug)).collect())
        }
        Filters {
            themes: mask(Theme::ALL, &q.theme),
            levels: mask(Level::ALL, &q.level),
            kinds: mask(KitKind::ALL, &q.kind),
            partners: chosen(&index.partners, &q.partner),
            pickups: chosen(&index.pickups, &q.pickup),
        }
    }

    /// Which facets the entry satisfies, as a bit per `Facet::ALL` position.
    fn passes(&self, e: &Entry) -> u8 {
        let checks = [
            self.themes == 0 || self.themes & e.themes != 0,
            self.levels == 0 || self.levels & e.levels != 0,
            self.kinds == 0 || self.kinds & (1 << e.kind) != 0,
            self.partners.as_ref().is_none_or(|p| p[e.partner]),
            self.pickups
                .as_ref()
                .is_none_or(|p| e.pickups.iter().any(|x| p[*x])),
        ];
        checks
            .iter()
            .enumerate()
            .fold(0u8, |acc, (i, ok)| if *ok { acc | (1 << i) } else { acc })
    }
}

const ALL_FACETS: u8 = 0b1_1111;

/// Runs a catalogue query: its words (see `text_index`), facets, sort and page. With
/// `only`, kits outside that set never match.
pub fn search(index: &CatalogueIndex, query: &CatalogueQuery, only: Option<&KitSet>) -> SearchPage {
    let filters = Filters::resolve(index, query);
    let mut counts = Counts::new(index);
    let scores = index.text.matches(&query.q);
    let wanted = |p: usize| {
        scores.as_ref().is_none_or(|s| s[p] > 0)
            && only.is_none_or(|o| o.contains(&index.entries[p].kit.id))
    };
    // Candidates in the order the results will be shown.
    let candidates: Vec<usize> = match (&scores, query.sort) {
        (Some(scores), Sort::Relevance) => {
            // Best text match first, then title order.
            let mut ranked: Vec<usize> = (0..index.entries.len()).filter(|p| wanted(*p)).collect();
            ranked.sort_by(|a, b| scores[*b].cmp(&scores[*a]).then(a.cmp(b)));
            ranked
        }
        (_, Sort::Newest) => index
            .newest
            .iter()
            .copied()
            .filter(|p| wanted(*p))
            .collect(),
        (_, Sort::Relevance | Sort::Title) => {
            (0..index.entries.len()).filter(|p| wanted(*p)).collect()
        }
    };
    let suggestion = match &scores {
        Some(s) if s.iter().all(|x| *x == 0) => index.text.suggest(&query.q),
        _ => None,
    };
    let mut matches = Vec::new();
    for p in candidates {
        let entry = &index.entries[p];
        let passes = filters.passes(entry);
        // A facet's counts include kits that pass every *other* facet.
        for (i, facet) in Facet::ALL.iter().enumerate() {
            if passes | (1 << i) == ALL_FACETS {
                counts.add(*facet, entry);
            }
        }
        if passes == ALL_FACETS {
            matches.push(entry.kit.id);
        }
    }
    let total = matches.len() as u32;
    let page_count = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.max(1);
    let ids = matches
        .into_iter()
        .skip((page as usize - 1).saturating_mul(PAGE_SIZE as usize))
        .take(PAGE_SIZE as usize)
        .collect();
    SearchPage {
        ids,
        total,
        page,
        page_count,
        facets: counts.into_facets(index, query),
        suggestion,
    }
}

/// Facet counts by position.
struct Counts {
    theme: [u32; 32],
    level: [u32; 32],
    kind: [u32; 32],
    partner: Vec<u32>,
    pickup: Vec<u32>,
}

impl Counts {
    fn new(index: &CatalogueIndex) -> Counts {
        Counts {
            theme: [0; 32],
            level: [0; 32],
            kind: [0; 32],
            partner: vec![0; index.partners.len()],
            pickup: vec![0; index.pickups.len()],
        }
    }

    fn add(&mut self, facet: Facet, e: &Entry) {
        fn bits(counts: &mut [u32; 32], mut m: u32) {
            while m != 0 {
                counts[m.trailing_zeros() as usize] += 1;
                m &= m - 1;
            }
        }
        match facet {
            Facet::Theme => bits(&mut self.theme, e.themes),
            Facet::Level => bits(&mut self.level, e.levels),
            Facet::Kind => self.kind[e.kind] += 1,
            Facet::Partner => self.partner[e.partner] += 1,
            Facet::Pickup => e.pickups.iter().for_each(|p| self.pickup[*p] += 1),
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
fn coded<T: Copy + PartialEq>(
    all: &[T],
    counts: &[u32],
    selected: &[T],
    code: fn(T) -> &'static str,
) -> Vec<FacetValue> {
    all.iter()
        .enumerate()
        .map(|(i, v)| FacetValue {
            value: code(*v).to_owned(),
            label: String::new(),
            count: counts[i],
            selected: selected.contains(v),
        })
        .filter(|f| f.count > 0 || f.selected)
        .collect()
}

fn named<Id>(all: &[Named<Id>], counts: &[u32], selected: &[String]) -> Vec<FacetValue> {
    all.iter()
        .zip(counts)
        .map(|(n, count)| FacetValue {
            value: n.slug.clone(),
            label: n.name.clone(),
            count: *count,
            selected: selected.contains(&n.slug),
        })
        .filter(|f| f.count > 0 || f.selected)
        .collect()
}

#[cfg(test)]
mod tests;
