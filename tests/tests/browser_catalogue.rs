//! The catalogue in a real browser: server-rendered, hydrated, and updated in place.

use fantoccini::Locator;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp};

fn require_site() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
}

async fn total(b: &Browser) -> u64 {
    let v = b
        .js("return document.querySelector('.result-count').dataset.total;")
        .await;
    v.as_str()
        .and_then(|s| s.parse().ok())
        .expect("result total")
}

#[tokio::test]
async fn search_and_facets_update_results_without_a_page_load() {
    require_site();
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client.goto(&app.url("/catalogus")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    let all = total(&b).await;
    assert!(all >= 150);
    // A marker on window disappears if the browser loads a new document.
    b.js("window.__samePage = 42; return null;").await;

    let input = b.wait_for("#search-q").await;
    input.send_keys("bee-bot").await.unwrap();
    b.client
        .find(Locator::Css(".search-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('q=bee-bot')").await;
    b.wait_until(&format!(
        "document.querySelector('.result-count').dataset.total != '{all}'"
    ))
    .await;
    let found = total(&b).await;
    assert!(found >= 4 && found < all);
    assert_eq!(
        b.js("return window.__samePage;").await,
        42,
        "search must not reload the page"
    );

    // Narrow by a level facet.
    let facet = b
        .wait_for("section[data-facet=level] a.facet-value[data-value=kleuter]")
        .await;
    let expected: u64 = facet
        .attr("data-count")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    facet.click().await.unwrap();
    b.wait_until("location.search.includes('level=kleuter')")
        .await;
    b.wait_until(&format!(
        "document.querySelector('.result-count').dataset.total == '{expected}'"
    ))
    .await;
    assert_eq!(
        b.js("return window.__samePage;").await,
        42,
        "facets must not reload the page"
    );
    let selected = b
        .js("return document.querySelector('a.facet-value.selected[data-value=kleuter]') !== null;")
        .await;
    assert_eq!(selected, true);

    // Back restores the earlier results, still without a page load.
    b.js("history.back(); return null;").await;
    b.wait_until("!location.search.includes('level=kleuter')")
        .await;
    b.wait_until(&format!(
        "document.querySelector('.result-count').dataset.total == '{found}'"
    ))
    .await;
    assert_eq!(b.js("return window.__samePage;").await, 42);
    b.wait_for("a.facet-value[data-value=kleuter]:not(.selected)")
        .await;

    // Open a kit from the results.
    b.client
        .find(Locator::Css(".kit-card h3 a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_until("location.pathname.startsWith('/catalogus/')")
        .await;
    let heading = b.wait_for(".kit-detail h1").await.text().await.unwrap();
    assert!(heading.contains("Bee-Bot"), "kit page shows {heading}");
    b.wait_for("table.parts").await;
    b.close().await;
}

#[tokio::test]
async fn language_switch_renders_english() {
    require_site();
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/catalogus?theme=stem"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    assert_eq!(b.js("return document.documentElement.lang").await, "nl-BE");
    b.client
        .find(Locator::Css("a.lang-switch"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_until("document.documentElement.lang === 'en'").await;
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    assert!(b
        .js("return location.search;")
        .await
        .as_str()
        .unwrap()
        .contains("theme=stem"));
    let label = b.wait_for(".search-label").await.text().await.unwrap();
    assert_eq!(label, "Search the catalogue");
    // Results updated in place stay in English.
    b.client
        .find(Locator::Css("section[data-facet=level] a.facet-value"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('level=')").await;
    b.wait_until("document.querySelector('.result-count').textContent.includes('results')")
        .await;
    b.close().await;
}

/// A hydration mismatch leaves a page dead without any visible error: load every page
/// fresh and require the wasm to take over.
#[tokio::test]
async fn every_page_hydrates() {
    require_site();
    let app = TestApp::spawn().await;
    let slug = app.search("q=bee-bot&kind=uitleen").await.items[0]
        .slug
        .clone();
    let b = Browser::start().await;
    let pages = [
        "/",
        "/catalogus",
        "/catalogus?theme=stem&sort=title&page=2",
        &format!("/catalogus/{slug}"),
        "/aanmelden",
        "/aanmelden?fout=ongeldig",
        "/aanmelden?bevestigd=1",
        "/bestaat-niet",
        "/mijn-reservaties",
        "/balie",
        "/beheer/sluitingsdagen",
        "/agenda",
        "/balie/agenda",
        "/wachtwoord-vergeten",
        "/wachtwoord/onbekend?fout=x",
        "/uitnodiging/onbekend",
        "/beheer/uitnodigen",
        "/account-aanmaken",
        "/account-aanmaken?fout_email=x&name=Sara",
        "/beheer/audit",
        "/beheer/mailbox",
        "/opleidingen",
        "/opleidingen?opleiding=bee-bot-in-de-klas&ok=ingeschreven",
        "/opleidingen/sessies/1",
        "/opleidingen/sessies/999999",
        "/mijn-opleidingen",
        "/beheer/opleidingen",
        "/balie/vandaag",
        "/balie/inname",
        "/balie/inname/000000000",
        "/balie/uitgifte/1",
        "/balie/exemplaren/1",
        "/beheer/labels",
        "/balie/scan",
        "/beheer/materiaal",
        "/beheer/materiaal/nieuw",
        "/beheer/materiaal/bee-bot-set-klein",
        "/beheer/register/scholen",
        "/beheer/register/afhaalpunten/nieuw",
        "/beheer/gebruikers",
    ];
    for page in pages {
        b.client.goto(&app.url(page)).await.unwrap();
        b.wait_until("document.body.dataset.hydrated === 'true'")
            .await;
        let islands_live = b
            .js("return [...document.querySelectorAll('leptos-island')].every(i => i.dataset.hydrated === 'true');")
            .await;
        assert_eq!(islands_live, true, "an island on {page} did not hydrate");
    }
    // And with a signed-in user in the header.
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.sign_in("trainer@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await;
    b.wait_for(".account-name").await;
    for page in [
        "/",
        &format!("/catalogus/{slug}"),
        "/mijn-reservaties",
        "/balie",
        "/beheer/sluitingsdagen",
        "/opleidingen",
        "/opleidingen/sessies/1",
        "/mijn-opleidingen",
        "/balie/scan",
    ] {
        b.client.goto(&app.url(page)).await.unwrap();
        b.wait_until("document.body.dataset.hydrated === 'true'")
            .await;
    }
    b.close().await;
}

/// A teacher who signs in from a kit page comes back to it; the "training needed" box
/// shows only for trainings they do not hold.
#[tokio::test]
async fn signing_in_from_a_kit_returns_to_it_and_held_trainings_are_not_asked_for() {
    require_site();
    let app = TestApp::spawn().await;
    let b = Browser::start_phone(360).await;
    b.client
        .goto(&app.url("/catalogus/bee-bot-set-klein"))
        .await
        .unwrap();
    // Anonymous: the box says which training it takes.
    b.wait_for("section.trainings li[data-training='bee-bot-in-de-klas']")
        .await;
    b.wait_for("a.signin-to-reserve")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.pathname === '/aanmelden'").await;
    b.sign_in("leerkracht@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await;
    b.wait_until("location.pathname === '/catalogus/bee-bot-set-klein'")
        .await;
    b.wait_for(".reserve-submit").await;
    // The demo teacher attended the Bee-Bot training: no box.
    assert_eq!(
        b.js("return document.querySelectorAll('section.trainings').length")
            .await,
        0
    );
    // …but not the VR one.
    b.client
        .goto(&app.url("/catalogus/xr-junior-vr-klasset-12"))
        .await
        .unwrap();
    b.wait_for("section.trainings li[data-training='xr-junior-vr-in-de-klas']")
        .await;
    b.close().await;
}

/// A shared "free from … to …" link keeps its dates; a reversed range says so; words that
/// match nothing offer a correction that does.
#[tokio::test]
async fn free_range_links_keep_their_dates_and_typos_get_a_suggestion() {
    require_site();
    let app = TestApp::spawn().await;
    let api = app.search("from=2026-12-07&to=2026-12-11").await;
    let all = app.search("").await;
    assert!(api.total < all.total, "the range narrows the list");
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/catalogus?from=2026-12-07&to=2026-12-11"))
        .await
        .unwrap();
    b.wait_for(".result-count").await;
    assert_eq!(total(&b).await, u64::from(api.total));
    assert_eq!(
        b.js("return document.querySelector('#search-from').value + ' ' + document.querySelector('#search-to').value")
            .await,
        "2026-12-07 2026-12-11"
    );
    b.client.refresh().await.unwrap();
    b.wait_for(".result-count").await;
    assert_eq!(total(&b).await, u64::from(api.total), "a reload keeps them");
    // Reversed: said, not silently dropped.
    b.client
        .goto(&app.url("/catalogus?from=2026-12-11&to=2026-12-07"))
        .await
        .unwrap();
    let note = b.wait_for(".range-note").await.text().await.unwrap();
    assert!(note.contains("vóór de begindatum"), "{note}");
    // A typo too many: "did you mean".
    b.client
        .goto(&app.url("/catalogus?q=vredskofer"))
        .await
        .unwrap();
    b.wait_for(".did-you-mean a").await.click().await.unwrap();
    b.wait_until("location.search.includes('q=vredeskoffer')")
        .await;
    b.wait_until("+document.querySelector('.result-count').dataset.total > 0")
        .await;
    b.close().await;
}
