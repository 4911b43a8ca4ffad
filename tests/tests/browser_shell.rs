//! The shell fits a phone: every route of the router, signed in as each role, at 360 px
//! (mobile emulation) and at 1280 px, scrolls no page sideways and has no serious or
//! critical axe-core violation of WCAG 2.1 A/AA; pages without islands fetch no islands'
//! wasm (the desk pages load only the offline queue's own small one); the booking
//! calendar's day buttons are named by what they show; the header's menus open and fit
//! too; the web app manifest makes Leenpunt installable.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

/// Who walks the pages (`None`: nobody signed in).
const ROLES: [Option<&str>; 6] = [
    None,
    Some("leerkracht@demo.leenpunt.be"),
    Some("ambassadeur@demo.leenpunt.be"),
    Some("trainer@demo.leenpunt.be"),
    Some("partnerbeheer@demo.leenpunt.be"),
    Some("beheerder@demo.leenpunt.be"),
];

#[tokio::test]
async fn every_page_fits_a_phone_and_a_desktop_for_every_role() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn().await;
    // A sent cart, so the desk's request pages show a request of two lines.
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await
        .unwrap();
    for kit in ["proefjeskoffer-elektriciteit", "ontdekkoffer-magnetisme"] {
        let line = serde_json::json!({ "kit": kit, "pickup_point": "stem-rtc-brugge",
            "quantity": 1, "pickup_date": "2026-12-14", "return_date": "2026-12-15" });
        let r = app.post_json(&teacher, "/api/v1/cart/lines", &line).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = app
        .post_json(&teacher, "/api/v1/cart/submit", &serde_json::json!({}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let pages = pages(&app).await;
    let started = std::time::Instant::now();
    let mut problems = Vec::new();
    let mut calendars = 0;
    let mut in_axe = std::time::Duration::ZERO;
    for role in ROLES {
        for phone in [true, false] {
            let b = if phone {
                Browser::start_phone(360).await
            } else {
                Browser::start().await
            };
            if let Some(email) = role {
                b.client.goto(&app.url("/aanmelden")).await.unwrap();
                b.sign_in(email, DEMO_PASSWORD).await;
                b.wait_for(".account-name").await;
            }
            b.inject_axe().await;
            let who = format!("{} at {}", role.unwrap_or("anonymous"), width(phone));
            problems.extend(menus_fit(&b, &app, &who, phone).await);
            for page in &pages {
                problems.extend(page_fits(&b, &app, page, &who, phone).await);
                let axe_started = std::time::Instant::now();
                problems.extend(
                    b.axe_violations()
                        .await
                        .into_iter()
                        .map(|v| format!("{page} ({who}): axe: {v}")),
                );
                in_axe += axe_started.elapsed();
                if page.starts_with("/catalogus/") {
                    let (checked, mismatches) = day_names(&b).await;
                    calendars += usize::from(checked > 0);
                    problems.extend(
                        mismatches
                            .into_iter()
                            .map(|m| format!("{page} ({who}): {m}")),
                    );
                }
            }
            b.close().await;
        }
    }
    println!(
        "walked {} pages as {} roles at 2 widths in {:.0?}, of which axe {:.0?}",
        pages.len(),
        ROLES.len(),
        started.elapsed(),
        in_axe
    );
    assert!(calendars > 0, "no booking calendar was checked");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn width(phone: bool) -> &'static str {
    if phone {
        "360 px"
    } else {
        "1280 px"
    }
}

/// Loads a page, waits for the boot script, and reports what does not fit.
async fn page_fits(b: &Browser, app: &TestApp, page: &str, who: &str, phone: bool) -> Vec<String> {
    b.client.goto(&app.url(page)).await.unwrap();
    b.wait_until("document.body && document.body.dataset.hydrated === 'true'")
        .await;
    let seen = b
        .js("const d = document.documentElement; \
             const wasm = performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm') && !e.name.includes('/pkg/deskqueue_bg.')); \
             const name = (e) => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''); \
             const wide = [...document.body.querySelectorAll('*')].filter(e => \
               !e.closest('details:not([open])') && \
               e.getBoundingClientRect().right > d.clientWidth + 1 && \
               e.parentElement.getBoundingClientRect().right <= d.clientWidth + 1).slice(0, 4) \
               .map(e => name(e.parentElement) + ' > ' + name(e)); \
             const spills = [...document.body.querySelectorAll('*')].filter(e => \
               !e.closest('details:not([open])') && e.clientWidth > 0 && \
               getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && \
               e.getBoundingClientRect().left + e.scrollWidth > d.clientWidth + 1).slice(-3).map(name); \
             return { scroll: d.scrollWidth, client: d.clientWidth, wide, spills, \
                      islands: document.querySelectorAll('leptos-island').length, wasm };")
        .await;
    if phone && page == "/balie/vandaag" {
        screenshot(b, &format!("today-{}", who.replace([' ', '@'], "-"))).await;
    }
    let mut problems = Vec::new();
    let (scroll, client) = (seen["scroll"].as_u64(), seen["client"].as_u64());
    if scroll > client {
        problems.push(format!(
            "{page} ({who}): {scroll:?} px wide in a {client:?} px window; too wide: {}; spills over: {}",
            seen["wide"], seen["spills"]
        ));
    }
    if phone && client != Some(360) {
        problems.push(format!(
            "{page} ({who}): the layout viewport is {client:?} px"
        ));
    }
    let islands = seen["islands"].as_u64().unwrap_or_default();
    if islands == 0 && seen["wasm"] == true {
        problems.push(format!("{page} ({who}): fetched wasm without an island"));
    }
    problems
}

/// The booking calendar's day buttons (once the island has drawn them): each one's accessible
/// name must contain the text it shows (WCAG 2.5.3, "label in name"), or a person who says
/// what they see cannot use it by voice. Returns how many were checked and the mismatches.
async fn day_names(b: &Browser) -> (u64, Vec<String>) {
    let seen = b
        .js("const days = [...document.querySelectorAll('.reserve button.day')]; \
             const words = (s) => s.replace(/\\s+/g, ' ').trim().toLowerCase(); \
             const shown = (e) => [...e.querySelectorAll('*')].filter(c => c.children.length === 0 && \
               c.getBoundingClientRect().width > 1 && c.getBoundingClientRect().height > 1) \
               .map(c => c.textContent).join(' '); \
             axe.setup(document); \
             const bad = days.map(d => ({ shown: words(shown(d)), name: words(axe.commons.text.accessibleText(d)) })) \
               .filter(d => !d.name.includes(d.shown)).slice(0, 3) \
               .map(d => `day button named \"${d.name}\" shows \"${d.shown}\"`); \
             axe.teardown(); \
             return { checked: days.length, bad };")
        .await;
    (
        seen["checked"].as_u64().unwrap_or_default(),
        serde_json::from_value(seen["bad"].clone()).unwrap_or_default(),
    )
}

/// Opens each menu of the header in turn (as a person would: a click on its summary) and
/// checks that its links show and that the page still does not scroll sideways.
async fn menus_fit(b: &Browser, app: &TestApp, who: &str, phone: bool) -> Vec<String> {
    b.client.goto(&app.url("/")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    let count = b
        .js("return document.querySelectorAll('details.nav-menu').length")
        .await
        .as_u64()
        .unwrap_or_default();
    let mut problems = Vec::new();
    for i in 1..=count {
        let summary = format!("li:nth-child({i} of :has(> details.nav-menu)) > details > summary");
        b.wait_for(&summary).await.click().await.unwrap();
        let seen = b
            .js(&format!(
                "const menu = document.querySelector('{summary}').parentElement; \
                 const r = menu.querySelector('ul').getBoundingClientRect(); \
                 const d = document.documentElement; \
                 return {{ open: menu.open, left: r.left, right: r.right, \
                          scroll: d.scrollWidth, client: d.clientWidth, \
                          links: [...menu.querySelectorAll('a')].every(a => a.offsetWidth > 0) }};"
            ))
            .await;
        let fits = seen["open"] == true
            && seen["links"] == true
            && seen["left"].as_f64() >= Some(0.0)
            && seen["right"].as_f64() <= seen["client"].as_f64()
            && seen["scroll"].as_u64() <= seen["client"].as_u64();
        if !fits {
            problems.push(format!("menu {i} ({who}) does not fit: {seen}"));
        }
        screenshot(b, &format!("menu-{i}-{}", who.replace([' ', '@'], "-"))).await;
        // Closed again by its summary, so the next menu opens alone.
        b.wait_for(&summary).await.click().await.unwrap();
    }
    if phone && count > 0 {
        screenshot(b, &format!("header-{}", who.replace([' ', '@'], "-"))).await;
    }
    problems
}

/// Saves a screenshot when `LEENPUNT_TEST_SCREENSHOTS` names a folder (to look at, not to
/// compare).
async fn screenshot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("LEENPUNT_TEST_SCREENSHOTS") {
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// Every route of the router, its parameters filled in from the demo data.
async fn pages(app: &TestApp) -> Vec<String> {
    let one = |sql: &'static str| async move {
        let value: String = sqlx::query_scalar(sql)
            .fetch_optional(app.state.db.pool())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no demo data for {sql}"));
        value
    };
    let kit = one("SELECT slug FROM kit_types ORDER BY id LIMIT 1").await;
    let unit = one("SELECT CAST(id AS TEXT) FROM units ORDER BY id LIMIT 1").await;
    let code =
        one("SELECT code FROM unit_tags WHERE retired_at IS NULL ORDER BY code LIMIT 1").await;
    let session = one("SELECT CAST(id AS TEXT) FROM training_sessions ORDER BY id LIMIT 1").await;
    let reservation = match sqlx::query_scalar::<_, String>(
        "SELECT CAST(id AS TEXT) FROM reservations ORDER BY id LIMIT 1",
    )
    .fetch_optional(app.state.db.pool())
    .await
    .unwrap()
    {
        Some(id) => id,
        // Without a stored reservation the page is the "not found" one: still a page to fit.
        None => "1".to_owned(),
    };
    // A sent cart's request (the desk's request pages), or the "not found" page without one.
    let request = sqlx::query_scalar::<_, String>(
        "SELECT CAST(id AS TEXT) FROM requests ORDER BY id LIMIT 1",
    )
    .fetch_optional(app.state.db.pool())
    .await
    .unwrap()
    .unwrap_or_else(|| "1".to_owned());
    leenpunt_server::http::pages::page_paths()
        .into_iter()
        .map(|route| match route.as_str() {
            "/catalogus/{slug}" | "/beheer/materiaal/{slug}" => route.replace("{slug}", &kit),
            "/wachtwoord/{token}" | "/uitnodiging/{token}" => route.replace("{token}", "onbekend"),
            "/balie/uitgifte/{id}" => route.replace("{id}", &reservation),
            "/balie/inname/{code}" => route.replace("{code}", &code),
            "/balie/aanvraag/{id}" | "/balie/aanvraag/{id}/inname" => {
                route.replace("{id}", &request)
            }
            "/balie/exemplaren/{id}" => route.replace("{id}", &unit),
            "/opleidingen/sessies/{id}" => route.replace("{id}", &session),
            "/beheer/register/{kind}" => route.replace("{kind}", "scholen"),
            "/beheer/register/{kind}/{key}" => "/beheer/register/afhaalpunten/mos-brugge".into(),
            r if r.contains('{') || r.contains('*') => {
                panic!("no parameters for the new page {r}: add them here")
            }
            r => r.to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn leenpunt_can_be_installed() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn().await;
    let b = Browser::start_phone(390).await;
    b.client.goto(&app.url("/opleidingen")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    let fetched = b
        .js("const get = async (url) => { const r = await fetch(url); \
               return { status: r.status, type: r.headers.get('content-type'), \
                        size: (await r.arrayBuffer()).byteLength }; }; \
             const manifest = document.querySelector('link[rel=manifest]').href; \
             const m = await (await fetch(manifest)).json(); \
             return Promise.all([get(manifest), ...m.icons.map(i => get(i.src))]).then(all => \
               ({ all, name: m.name, short: m.short_name, start: m.start_url, display: m.display, \
                  theme: m.theme_color, sizes: m.icons.map(i => i.sizes), \
                  header: getComputedStyle(document.querySelector('.site-header')).backgroundColor }));")
        .await;
    let all = fetched["all"].as_array().unwrap();
    assert_eq!(all[0]["status"], 200, "{fetched}");
    assert_eq!(all[0]["type"], "application/manifest+json", "{fetched}");
    for icon in &all[1..] {
        assert_eq!(icon["status"], 200, "{fetched}");
        assert_eq!(icon["type"], "image/png", "{fetched}");
    }
    assert_eq!(fetched["name"], "Leenpunt");
    assert_eq!(fetched["short"], "Leenpunt");
    assert_eq!(fetched["start"], "/");
    assert_eq!(fetched["display"], "standalone");
    assert_eq!(fetched["theme"], "#0b5563");
    assert_eq!(fetched["header"], "rgb(11, 85, 99)", "the header's teal");
    let sizes = fetched["sizes"].as_array().unwrap();
    assert!(sizes.contains(&"192x192".into()) && sizes.contains(&"512x512".into()));
    // Chromium's own check: what would keep it from offering "Install app".
    let errors = b
        .cdp("Page.getInstallabilityErrors", serde_json::json!({}))
        .await;
    assert_eq!(
        errors["installabilityErrors"],
        serde_json::json!([]),
        "{errors}"
    );
    b.close().await;
}
