//! The catalogue API against the real router and a fresh database with the demo data.

use leenpunt_shared::{KitDetail, Problem};
use leenpunt_tests::TestApp;

#[tokio::test]
async fn lists_the_whole_demo_catalogue() {
    let app = TestApp::spawn().await;
    let all = app.search("").await;
    assert!(all.total >= 150, "demo has {} entries", all.total);
    assert_eq!(all.items.len(), 24);
    assert_eq!(all.page_count, all.total.div_ceil(24));
    let partners = all.facets.partner.len();
    assert!(partners >= 10, "partners facet: {partners}");
}

#[tokio::test]
async fn text_search_folds_case_and_accents_and_matches_prefixes() {
    let app = TestApp::spawn().await;
    let bee = app.search("q=BEE-BOT").await;
    assert!(bee.total >= 4);
    assert!(bee.items.iter().any(|k| k.title.contains("Bee-Bot")));
    assert_eq!(
        app.search("q=bee+bot").await.total,
        bee.total,
        "punctuation and case do not matter"
    );
    // "hygiene" finds "hygiëne"/"Hygiënisch": diacritics are folded.
    let folded = app.search("q=hygiene").await;
    assert!(folded.total >= 1);
    assert_eq!(app.search("q=hygi%C3%ABne").await.total, folded.total);
    // Prefixes match: "robo" finds robots.
    assert!(app.search("q=robo").await.total >= 1);
    // Theme names are searchable in both languages.
    assert_eq!(
        app.search("q=heritage").await.total,
        app.search("theme=erfgoed&q=heritage").await.total
    );
    assert!(app.search("q=heritage").await.total >= 1);
    assert_eq!(app.search("q=zzqqxx").await.total, 0);
}

#[tokio::test]
async fn facets_narrow_across_and_widen_within() {
    let app = TestApp::spawn().await;
    let stem = app.search("theme=stem").await;
    let stem_kleuter = app.search("theme=stem&level=kleuter").await;
    assert!(stem_kleuter.total < stem.total);
    let kleuter_count = stem
        .facets
        .level
        .iter()
        .find(|v| v.value == "kleuter")
        .map(|v| v.count);
    assert_eq!(
        kleuter_count,
        Some(stem_kleuter.total),
        "facet count equals the result when chosen"
    );
    let two = app.search("theme=stem&theme=erfgoed").await;
    assert!(two.total > stem.total);
    assert!(stem_kleuter
        .items
        .iter()
        .all(|k| k.themes.iter().any(|t| t.code() == "stem")));
}

#[tokio::test]
async fn sorting_and_paging_are_stable() {
    let app = TestApp::spawn().await;
    let p1 = app.search("sort=title").await;
    let p2 = app.search("sort=title&page=2").await;
    let titles: Vec<String> = p1
        .items
        .iter()
        .chain(&p2.items)
        // The server's title order ignores case and accents.
        .map(|k| leenpunt_shared::values::fold_diacritics(&k.title).to_lowercase())
        .collect();
    assert!(
        titles.windows(2).all(|w| w[0] <= w[1]),
        "alphabetical across pages"
    );
    assert!(p1
        .items
        .iter()
        .all(|a| p2.items.iter().all(|b| a.id != b.id)));
}

#[tokio::test]
async fn bad_parameters_get_a_422_problem_in_the_requested_language() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/catalogue?theme=ruimtevaart&page=0").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.kind, "/problems/validation");
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["theme", "page"]);
    assert!(problem.errors[0].message.contains("ruimtevaart"));

    let en = app
        .client
        .get(app.url("/api/v1/catalogue?level=x"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let problem: Problem = en.json().await.unwrap();
    assert_eq!(problem.title, "Some input is not valid");
    assert!(problem.errors[0].message.starts_with("Unknown value"));
}

#[tokio::test]
async fn detail_has_contents_pickup_points_and_trainings() {
    let app = TestApp::spawn().await;
    let bee = app.search("q=bee-bot&kind=uitleen").await;
    let slug = &bee.items[0].slug;
    let response = app.get(&format!("/api/v1/catalogue/{slug}")).await;
    assert_eq!(response.status(), 200);
    let kit: KitDetail = response.json().await.unwrap();
    assert!(!kit.parts.is_empty());
    assert!(!kit.pickup_points.is_empty());
    assert!(kit
        .required_trainings
        .iter()
        .any(|t| t.slug == "bee-bot-in-de-klas"));
    assert!(kit.loan_rules.max_loan_days >= kit.loan_rules.min_loan_days);
    assert!(kit.units_in_service > 0);
}

#[tokio::test]
async fn unknown_kit_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/catalogue/bestaat-niet").await;
    assert_eq!(response.status(), 404);
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.title, "Niet gevonden");
}

/// Search forgives what teachers type: compounds, whole words first, typos, the
/// catalogue's own name, and a "did you mean" when nothing matches.
#[tokio::test]
async fn search_forgives_what_teachers_type() {
    let app = TestApp::spawn().await;
    let slugs = |r: &leenpunt_shared::SearchResults| -> Vec<String> {
        r.items.iter().map(|k| k.slug.clone()).collect()
    };
    // "beebot" is "Bee-Bot": the Bee-Bot kits first.
    let r = app.search("q=beebot").await;
    assert!(r.total >= 5, "{:?}", slugs(&r));
    assert!(
        r.items.iter().take(5).all(|k| k.title.contains("Bee-Bot")),
        "{:?}",
        slugs(&r)
    );
    // "vr": the VR kits before anything about "vroeger".
    let r = app.search("q=vr").await;
    let first: Vec<&str> = r.items.iter().take(5).map(|k| k.title.as_str()).collect();
    assert!(first.iter().all(|t| t.contains("VR")), "{first:?}");
    assert!(slugs(&r).contains(&"xr-junior-vr-klasset-12".to_owned()));
    // One typo in a longer word.
    let r = app.search("q=progammeren").await;
    assert!(
        slugs(&r).contains(&"bee-bot-verhalenset".to_owned()),
        "{:?}",
        slugs(&r)
    );
    // "klasbak" names the whole catalogue.
    let all = app.search("").await;
    let r = app.search("q=klasbak").await;
    assert_eq!(r.total, all.total);
    // Nothing matches: a suggestion that does.
    let r = app.search("q=vredskofer%20soldaat").await;
    assert_eq!(r.total, 0);
    let suggestion = r.suggestion.expect("a suggestion");
    assert_eq!(suggestion, "vredeskoffer soldaat");
    let r = app
        .search(&format!("q={}", suggestion.replace(' ', "%20")))
        .await;
    assert_eq!(
        slugs(&r)[0],
        "vredeskoffer-soldaat-1914-1918",
        "{:?}",
        slugs(&r)
    );
}
