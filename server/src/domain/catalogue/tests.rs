use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

fn kit(
    id: i64,
    title: &str,
    kind: KitKind,
    partner: i64,
    themes: &[Theme],
    levels: &[Level],
    pickups: &[i64],
) -> IndexedKit {
    IndexedKit {
        id: KitTypeId(id),
        title: title.to_owned(),
        kind,
        partner: PartnerId(partner),
        themes: themes.to_vec(),
        levels: levels.to_vec(),
        pickups: pickups.iter().map(|p| PickupPointId(*p)).collect(),
        created_at: format!("2026-01-{:02}T00:00:00Z", id % 28 + 1),
        text: String::new(),
    }
}

fn named<Id>(id: Id, slug: &str) -> Named<Id> {
    Named {
        id,
        slug: slug.to_owned(),
        name: slug.to_uppercase(),
    }
}

fn sample() -> CatalogueIndex {
    CatalogueIndex::new(
        vec![
            kit(
                1,
                "Bee-Bot set",
                KitKind::LoanMaterial,
                1,
                &[Theme::Stem],
                &[Level::Nursery, Level::Primary],
                &[1],
            ),
            kit(
                2,
                "Creatool",
                KitKind::LoanMaterial,
                1,
                &[Theme::Stem],
                &[Level::Primary],
                &[1, 2],
            ),
            kit(
                3,
                "Érfgoedkoffer",
                KitKind::LoanMaterial,
                2,
                &[Theme::Heritage, Theme::Peace],
                &[Level::Secondary1],
                &[3],
            ),
            kit(
                4,
                "Boerderijbezoek",
                KitKind::Visit,
                3,
                &[Theme::Agriculture],
                &[Level::Primary],
                &[],
            ),
        ],
        vec![
            named(PartnerId(1), "stem-rtc"),
            named(PartnerId(2), "erfgoed"),
            named(PartnerId(3), "inagro"),
        ],
        vec![
            named(PickupPointId(1), "brugge"),
            named(PickupPointId(2), "kortrijk"),
            named(PickupPointId(3), "ieper"),
        ],
    )
}

fn query(f: impl FnOnce(&mut CatalogueQuery)) -> CatalogueQuery {
    let mut q = CatalogueQuery {
        page: 1,
        ..Default::default()
    };
    f(&mut q);
    q
}

fn count(values: &[FacetValue], value: &str) -> Option<u32> {
    values.iter().find(|v| v.value == value).map(|v| v.count)
}

#[test]
fn no_query_lists_everything_alphabetically() {
    let page = search(&sample(), &query(|_| {}), None);
    assert_eq!(page.total, 4);
    assert_eq!(
        page.ids,
        vec![KitTypeId(1), KitTypeId(4), KitTypeId(2), KitTypeId(3)]
    );
    assert_eq!(count(&page.facets.theme, "stem"), Some(2));
    assert_eq!(count(&page.facets.level, "lager"), Some(3));
}

#[test]
fn values_within_a_facet_widen_and_facets_narrow() {
    let idx = sample();
    let one = search(&idx, &query(|q| q.theme = vec![Theme::Stem]), None);
    assert_eq!(one.total, 2);
    // The theme facet still counts the other themes, as if stem were not chosen.
    assert_eq!(count(&one.facets.theme, "erfgoed"), Some(1));
    assert!(one
        .facets
        .theme
        .iter()
        .any(|v| v.value == "stem" && v.selected));
    // Levels count only within the stem results.
    assert_eq!(count(&one.facets.level, "so-1"), None);

    let two = search(
        &idx,
        &query(|q| q.theme = vec![Theme::Stem, Theme::Heritage]),
        None,
    );
    assert_eq!(two.total, 3);
    let across = search(
        &idx,
        &query(|q| {
            q.theme = vec![Theme::Stem];
            q.pickup = vec!["kortrijk".into()];
        }),
        None,
    );
    assert_eq!(across.ids, vec![KitTypeId(2)]);
}

#[test]
fn unknown_partner_slug_matches_nothing() {
    let page = search(
        &sample(),
        &query(|q| q.partner = vec!["bestaat-niet".into()]),
        None,
    );
    assert_eq!(page.total, 0);
    assert_eq!(page.page_count, 1);
    // The other facets still count as if no partner were chosen.
    assert_eq!(count(&page.facets.partner, "stem-rtc"), Some(2));
    assert_eq!(page.facets.theme, Vec::new());
}

#[test]
fn huge_page_numbers_do_not_overflow() {
    let page = search(&sample(), &query(|q| q.page = u32::MAX), None);
    assert!(page.ids.is_empty());
}

#[test]
fn words_match_title_and_text_and_title_matches_rank_first() {
    let mut kits: Vec<IndexedKit> = sample().kits().cloned().collect();
    let creatool = kits.iter_mut().find(|k| k.id == KitTypeId(2)).unwrap();
    creatool.text = "Bouw een erfgoed-monument uit karton.".into();
    let index = CatalogueIndex::new(
        kits,
        vec![
            named(PartnerId(1), "stem-rtc"),
            named(PartnerId(2), "erfgoed"),
            named(PartnerId(3), "inagro"),
        ],
        vec![named(PickupPointId(1), "brugge")],
    );
    // "Érfgoedkoffer" (3) has it in its title, Creatool (2) in its text.
    let page = search(&index, &query(|q| q.q = "erfgoed".into()), None);
    assert_eq!(page.ids, vec![KitTypeId(3), KitTypeId(2)]);
    let by_title = search(
        &index,
        &query(|q| {
            q.q = "erfgoed".into();
            q.sort = Sort::Title;
        }),
        None,
    );
    assert_eq!(by_title.ids, vec![KitTypeId(2), KitTypeId(3)]);
    // Limited to a set (e.g. free on the asked dates).
    let only: KitSet = [KitTypeId(2)].into_iter().collect();
    let page = search(&index, &query(|q| q.q = "erfgoed".into()), Some(&only));
    assert_eq!(page.ids, vec![KitTypeId(2)]);
    assert_eq!(page.suggestion, None);
}

#[test]
fn words_that_match_nothing_get_a_suggestion() {
    let page = search(&sample(), &query(|q| q.q = "creatol".into()), None);
    assert_eq!(page.ids, vec![KitTypeId(2)], "one typo is forgiven");
    let page = search(&sample(), &query(|q| q.q = "boerdreijbzoek".into()), None);
    assert_eq!(page.total, 0);
    assert_eq!(page.suggestion.as_deref(), Some("boerderijbezoek"));
}

#[test]
fn newest_first() {
    let page = search(&sample(), &query(|q| q.sort = Sort::Newest), None);
    assert_eq!(page.ids.first(), Some(&KitTypeId(4)));
}

#[test]
fn page_past_the_end_is_empty() {
    let page = search(&sample(), &query(|q| q.page = 9), None);
    assert!(page.ids.is_empty());
    assert_eq!(page.total, 4);
}

// --- property tests against a brute-force oracle ---------------------------------

fn arb_kit(id: i64) -> impl Strategy<Value = IndexedKit> {
    (
        proptest::sample::select(KitKind::ALL.to_vec()),
        1i64..4,
        proptest::sample::subsequence(Theme::ALL.to_vec(), 0..3),
        proptest::sample::subsequence(Level::ALL.to_vec(), 0..3),
        proptest::sample::subsequence(vec![1i64, 2, 3, 4], 0..3),
        "[a-e]{1,4}",
    )
        .prop_map(move |(kind, partner, themes, levels, pickups, title)| {
            kit(id, &title, kind, partner, &themes, &levels, &pickups)
        })
}

fn arb_index() -> impl Strategy<Value = CatalogueIndex> {
    (0usize..60)
        .prop_flat_map(|n| (0..n as i64).map(arb_kit).collect::<Vec<_>>())
        .prop_map(|kits| {
            CatalogueIndex::new(
                kits,
                (1..4)
                    .map(|i| named(PartnerId(i), &format!("p{i}")))
                    .collect(),
                (1..5)
                    .map(|i| named(PickupPointId(i), &format!("pp{i}")))
                    .collect(),
            )
        })
}

fn arb_query() -> impl Strategy<Value = CatalogueQuery> {
    (
        proptest::sample::subsequence(Theme::ALL.to_vec(), 0..2),
        proptest::sample::subsequence(Level::ALL.to_vec(), 0..2),
        proptest::sample::subsequence(KitKind::ALL.to_vec(), 0..2),
        proptest::sample::subsequence(vec!["p1", "p2", "p3", "zz"], 0..2),
        proptest::sample::subsequence(vec!["pp1", "pp2", "pp3", "pp4"], 0..2),
        proptest::sample::select(Sort::ALL.to_vec()),
    )
        .prop_map(
            |(theme, level, kind, partner, pickup, sort)| CatalogueQuery {
                theme,
                level,
                kind,
                partner: partner.into_iter().map(String::from).collect(),
                pickup: pickup.into_iter().map(String::from).collect(),
                sort,
                page: 1,
                q: String::new(),
                from: None,
                to: None,
            },
        )
}

/// The obvious, slow definition of a match.
fn oracle_matches(k: &IndexedKit, q: &CatalogueQuery, skip: Option<Facet>) -> bool {
    let pslug = format!("p{}", k.partner.0);
    let ok = |f: Facet, cond: bool| skip == Some(f) || cond;
    ok(
        Facet::Theme,
        q.theme.is_empty() || k.themes.iter().any(|t| q.theme.contains(t)),
    ) && ok(
        Facet::Level,
        q.level.is_empty() || k.levels.iter().any(|l| q.level.contains(l)),
    ) && ok(Facet::Kind, q.kind.is_empty() || q.kind.contains(&k.kind))
        && ok(
            Facet::Partner,
            q.partner.is_empty() || q.partner.contains(&pslug),
        )
        && ok(
            Facet::Pickup,
            q.pickup.is_empty()
                || k.pickups
                    .iter()
                    .any(|p| q.pickup.contains(&format!("pp{}", p.0))),
        )
}

proptest! {
    #[test]
    fn matches_and_counts_agree_with_the_oracle(index in arb_index(), q in arb_query()) {
        let kits: Vec<&IndexedKit> = index.kits().collect();
        let expected: HashSet<KitTypeId> =
            kits.iter().filter(|k| oracle_matches(k, &q, None)).map(|k| k.id).collect();

        // Walk every page: together they are exactly the matches, each once.
        let first = search(&index, &q, None);
        prop_assert_eq!(first.total as usize, expected.len());
        let mut seen = Vec::new();
        for p in 1..=first.page_count {
            let page = search(&index, &q.with_page(p), None);
            prop_assert!(page.ids.len() <= PAGE_SIZE as usize);
            seen.extend(page.ids);
        }
        let seen_set: HashSet<KitTypeId> = seen.iter().copied().collect();
        prop_assert_eq!(seen.len(), seen_set.len());
        prop_assert_eq!(seen_set, expected);

        // Each theme count is what the oracle finds when the theme facet is ignored.
        for t in Theme::ALL {
            let n = kits
                .iter()
                .filter(|k| k.themes.contains(t) && oracle_matches(k, &q, Some(Facet::Theme)))
                .count() as u32;
            prop_assert_eq!(count(&first.facets.theme, t.code()).unwrap_or(0), n);
        }
        for p in 1..4 {
            let n = kits
                .iter()
                .filter(|k| k.partner.0 == p && oracle_matches(k, &q, Some(Facet::Partner)))
                .count() as u32;
            prop_assert_eq!(count(&first.facets.partner, &format!("p{p}")).unwrap_or(0), n);
        }
    }

    #[test]
    fn choosing_a_facet_value_gives_its_count(index in arb_index(), q in arb_query()) {
        let base = CatalogueQuery { level: vec![], ..q };
        let page = search(&index, &base, None);
        for v in &page.facets.level {
            let chosen = base.toggled(Facet::Level, &v.value);
            prop_assert_eq!(search(&index, &chosen, None).total, v.count);
        }
    }
}

proptest! {
    #[test]
    fn words_a_set_and_every_sort_agree_with_the_oracle(
        index in arb_index(),
        q in arb_query(),
        picks in proptest::collection::vec(0i64..60, 0..40),
        text in "[a-e]{0,2}( [a-e]{1,2})?",
    ) {
        let q = CatalogueQuery { q: text, ..q };
        let only: KitSet = picks.into_iter().map(KitTypeId).collect();
        let kits: Vec<&IndexedKit> = index.kits().collect();
        // Titles are one word of a–e, at most 4 letters, and terms at most 2: a term
        // matches a title it begins (no endings, typos, compounds or synonyms apply).
        let terms = crate::domain::text_index::TextIndex::terms(&q.q);
        let text_matches = |k: &IndexedKit| terms.iter().all(|t| k.title.starts_with(t.as_str()));
        let expected: HashSet<KitTypeId> = kits
            .iter()
            .filter(|k| only.contains(&k.id) && text_matches(k) && oracle_matches(k, &q, None))
            .map(|k| k.id)
            .collect();
        let first = search(&index, &q, Some(&only));
        prop_assert_eq!(first.total as usize, expected.len());
        let mut seen = Vec::new();
        for p in 1..=first.page_count {
            seen.extend(search(&index, &q.with_page(p), Some(&only)).ids);
        }
        prop_assert_eq!(seen.iter().copied().collect::<HashSet<_>>(), expected);
        let by_id: std::collections::HashMap<KitTypeId, &IndexedKit> = kits.iter().map(|k| (k.id, *k)).collect();
        // A whole-word title match outranks a prefix.
        let score = |k: &IndexedKit| terms.iter().map(|t| if k.title == *t { 8 } else { 6 }).sum::<u32>();
        for w in seen.windows(2) {
            let (a, b) = (by_id[&w[0]], by_id[&w[1]]);
            match q.sort {
                Sort::Relevance if !terms.is_empty() => prop_assert!(score(a) >= score(b)),
                Sort::Relevance | Sort::Title => prop_assert!(sort_key(&a.title) <= sort_key(&b.title)),
                Sort::Newest => prop_assert!(a.created_at >= b.created_at),
            }
        }
    }
}
