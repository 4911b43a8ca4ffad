//! The teacher's cart pages (issue 20) in a real browser at 360 and 1280 px: a visitor
//! fills a cart from three kit pages (one kit type needs a training the teacher lacks,
//! one is short of units on the chosen days), chooses the dates once, signs in and comes
//! back to the cart, checks it, applies the dates offered to the short line, drops the
//! line that needs the training, sends, and finds the request with its lines on "Mijn
//! reservaties". Also the pages' plain form posts without a browser (no JavaScript), and
//! a refused sending that writes nothing. The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::cart::Cart;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
/// A teacher of another school, without any training.
const UNTRAINED: &str = "juf@zeemeeuw.be";
/// Needs the Bee-Bot training.
const BEE_BOT: &str = "bee-bot-set-klein";
/// No training, three units, Brugge.
const PROEF: &str = "proefjeskoffer-elektriciteit";
/// No training, two units, Brugge and Roeselare.
const MAGNET: &str = "ontdekkoffer-magnetisme";
/// No training, two units, picked up at Kortrijk only.
const LICHT: &str = "ontdekkoffer-licht-en-schaduw";

fn require_site() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
}

async fn fits_and_passes_axe(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what}: nothing scrolls sideways"
    );
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

/// Both magnetism kits taken by another school on 8–10 December.
async fn take_both_magnet_kits(app: &TestApp) {
    let other = app.login(TEACHER, DEMO_PASSWORD).await.expect("signs in");
    let r = app
        .post_json(
            &other,
            "/api/v1/reservations",
            &json!({ "kit": MAGNET, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-08",
                     "return_date": "2026-12-10", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Adds a kit type from its page; the page says so.
async fn add_from_kit_page(b: &Browser, app: &TestApp, kit: &str, point: Option<&str>) {
    b.client
        .goto(&app.url(&format!("/catalogus/{kit}")))
        .await
        .unwrap();
    b.wait_for(".add-to-cart-form").await;
    if let Some(point) = point {
        b.js(&format!(
            "document.querySelector('#cart-point').value = '{point}'; return null;"
        ))
        .await;
    }
    b.wait_for(".add-to-cart-button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#cart-added").await;
}

async fn click(b: &Browser, css: &str) {
    b.wait_for(css).await.click().await.unwrap();
}

async fn run(width: u32) {
    require_site();
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    app.untrained_teacher(UNTRAINED, "126763", &hash).await;
    take_both_magnet_kits(&app).await;

    let b = if width < 800 {
        Browser::start_phone(width).await
    } else {
        let b = Browser::start().await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;

    // A visitor fills a cart from three kit pages.
    add_from_kit_page(&b, &app, PROEF, None).await;
    fits_and_passes_axe(&b, "the kit page with its cart form").await;
    assert_eq!(
        b.js("return document.querySelector('.nav-cart .cart-count').textContent")
            .await,
        "1"
    );
    add_from_kit_page(&b, &app, MAGNET, Some("stem-rtc-brugge")).await;
    add_from_kit_page(&b, &app, BEE_BOT, None).await;
    assert_eq!(
        b.js("return document.querySelector('.nav-cart .cart-count').textContent")
            .await,
        "3"
    );

    // The cart: three lines; the dates chosen once.
    click(&b, ".nav-cart").await;
    b.wait_until("location.pathname === '/mandje'").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.cart-line').length")
            .await,
        3
    );
    b.js(
        "document.querySelector('#cart-pickup').value = '2026-12-08'; \
          document.querySelector('#cart-return').value = '2026-12-10'; return null;",
    )
    .await;
    click(&b, ".save-dates").await;
    b.wait_until("location.search.includes('ok=datums')").await;
    let dates = b
        .wait_for("li.cart-line .line-dates")
        .await
        .text()
        .await
        .unwrap();
    assert!(dates.contains("8 december 2026"), "{dates}");
    fits_and_passes_axe(&b, "a visitor's cart").await;

    // Checking needs a person: signing in comes back to the cart, with its lines.
    click(&b, ".sign-in-to-send a").await;
    b.sign_in(UNTRAINED, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/mandje'").await;
    b.wait_for(".account-name").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.cart-line').length")
            .await,
        3
    );

    // The check: the short line offers other dates, the Bee-Bot line names the training.
    click(&b, ".check-cart").await;
    b.wait_until("location.search.includes('stap=controle')")
        .await;
    b.wait_for("li.cart-line[data-kit='proefjeskoffer-elektriciteit'][data-fits=ja]")
        .await;
    let magnet = b
        .wait_for("li.cart-line[data-kit='ontdekkoffer-magnetisme'][data-fits=nee]")
        .await
        .text()
        .await
        .unwrap();
    assert!(magnet.contains("Neem deze data"), "{magnet}");
    let bee = b
        .wait_for("li.cart-line[data-kit='bee-bot-set-klein'][data-fits=nee]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bee.contains("Bee-Bot"),
        "the missing training is named: {bee}"
    );
    b.wait_for("li.cart-line[data-kit='bee-bot-set-klein'] .missing-trainings li[data-training='bee-bot-in-de-klas']")
        .await;
    b.wait_for(".fix-first").await;
    fits_and_passes_axe(&b, "the checked cart with refused lines").await;

    // Sending all or nothing now books nothing and says why.
    click(&b, ".send-cart").await;
    b.wait_for("#outcome-error").await;
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM requests")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap(),
        0,
        "a refused cart writes nothing"
    );

    // Fix it: the offered dates for the short line, and drop the Bee-Bot line.
    click(
        &b,
        "li.cart-line[data-kit='ontdekkoffer-magnetisme'] .use-alternative",
    )
    .await;
    b.wait_until("location.search.includes('ok=gewijzigd')")
        .await;
    b.wait_for("li.cart-line[data-kit='ontdekkoffer-magnetisme'][data-fits=ja]")
        .await;
    click(&b, "li.cart-line[data-kit='bee-bot-set-klein'] .drop-line").await;
    b.wait_until("location.search.includes('ok=verwijderd')")
        .await;
    b.wait_for(".all-fit").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.cart-line').length")
            .await,
        2
    );

    // Send: one request (both lines are picked up in Brugge) with its two lines.
    click(&b, ".send-cart").await;
    b.wait_until("location.pathname === '/mandje/verstuurd'")
        .await;
    let request = b.wait_for("section.request").await.text().await.unwrap();
    assert!(request.contains("Proefjeskoffer"), "{request}");
    assert!(request.contains("magnetisme"), "{request}");
    assert_eq!(
        b.js("return document.querySelectorAll('section.request .request-lines li').length")
            .await,
        2
    );
    fits_and_passes_axe(&b, "the confirmation").await;
    assert_eq!(
        b.js("return document.querySelector('.nav-cart .cart-count')")
            .await,
        serde_json::Value::Null,
        "the cart is empty"
    );

    // "Mijn reservaties" shows the request as one block with its lines.
    click(&b, "a[href='/mijn-reservaties'].button").await;
    b.wait_until("location.pathname === '/mijn-reservaties'")
        .await;
    b.wait_for("li.request").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.request li.reservation').length")
            .await,
        2
    );
    fits_and_passes_axe(&b, "my reservations with a request").await;
    b.close().await;
}

#[tokio::test]
async fn a_cart_is_filled_fixed_and_sent_on_a_phone() {
    run(360).await;
}

#[tokio::test]
async fn a_cart_is_filled_fixed_and_sent_on_a_wide_screen() {
    run(1280).await;
}

/// The cookie a response set, as `name=value` for the next request.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Without JavaScript: the form posts keep a visitor's cart in its cookie, refuse bad
/// input with a message back on the page (nothing written), and send a person's cart
/// once even when the form is sent twice.
#[tokio::test]
async fn the_cart_forms_work_without_javascript() {
    let app = TestApp::spawn().await;
    let http = no_redirects();
    let form = |path: &str, cookie: Option<&str>, fields: &[(&str, &str)]| {
        let mut req = http
            .post(app.url(path))
            .header("Origin", app.url("").trim_end_matches('/').to_owned())
            .form(fields);
        if let Some(c) = cookie {
            req = req.header(reqwest::header::COOKIE, c);
        }
        req.send()
    };

    // A visitor adds a line: back to the kit page, the cart in its cookie.
    let r = form(
        "/mandje/toevoegen",
        None,
        &[
            ("kit", PROEF),
            ("pickup_point", "stem-rtc-brugge"),
            ("quantity", "2"),
            ("next", "/catalogus/proefjeskoffer-elektriciteit"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303, "{}", location(&r));
    assert_eq!(
        location(&r),
        "/catalogus/proefjeskoffer-elektriciteit?mandje=toegevoegd"
    );
    let visitor = set_cookie(&r, "leenpunt_cart").expect("the visitor's cart cookie");

    // A quantity that is not a number comes back with a message; the cookie is unchanged.
    let r = form(
        "/mandje/toevoegen",
        Some(&visitor),
        &[
            ("kit", MAGNET),
            ("pickup_point", "stem-rtc-brugge"),
            ("quantity", "veel"),
            ("next", "/catalogus/ontdekkoffer-magnetisme"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/catalogus/ontdekkoffer-magnetisme?mandje_fout="),
        "{}",
        location(&r)
    );
    assert!(set_cookie(&r, "leenpunt_cart").is_none());

    // The cart page shows the visitor's line and asks to sign in to send it.
    let page = http
        .get(app.url("/mandje"))
        .header(reqwest::header::COOKIE, &visitor)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("2 × Proefjeskoffer"), "{html}");
    assert!(html.contains("/aanmelden?next=%2Fmandje"), "{html}");
    // A visitor cannot send: asked to sign in, nothing written.
    let r = form("/mandje/versturen", Some(&visitor), &[("key", "k1")])
        .await
        .unwrap();
    assert_eq!(location(&r), "/aanmelden?next=/mandje");

    // A person: dates with a mistake come back with the message at the cart.
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let session = t.clone();
    let r = form(
        "/mandje/datums",
        Some(&session),
        &[
            ("pickup_date", "2026-12-08"),
            ("return_date", ""),
            ("next", "/mandje"),
        ],
    )
    .await
    .unwrap();
    assert!(
        location(&r).starts_with("/mandje?fout="),
        "{}",
        location(&r)
    );
    let r = form(
        "/mandje/datums",
        Some(&session),
        &[
            ("pickup_date", "2026-12-08"),
            ("return_date", "2026-12-10"),
            ("next", "/mandje"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(location(&r), "/mandje?ok=datums");
    form(
        "/mandje/toevoegen",
        Some(&session),
        &[
            ("kit", PROEF),
            ("pickup_point", "stem-rtc-brugge"),
            ("quantity", "1"),
        ],
    )
    .await
    .unwrap();
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart.lines.len(), 1);
    let id = cart.lines[0].id.to_string();
    // Change the quantity, then send the same form twice: one request.
    let r = form(
        &format!("/mandje/lijnen/{id}"),
        Some(&session),
        &[
            ("kit", PROEF),
            ("pickup_point", "stem-rtc-brugge"),
            ("quantity", "2"),
            ("next", "/mandje?stap=controle"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(location(&r), "/mandje?stap=controle&ok=gewijzigd");
    let checked = http
        .get(app.url("/mandje?stap=controle"))
        .header(reqwest::header::COOKIE, &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(checked.contains("data-fits=\"ja\""), "{checked}");
    for _ in 0..2 {
        let r = form(
            "/mandje/versturen",
            Some(&session),
            &[("key", "form-key-1"), ("note", "")],
        )
        .await
        .unwrap();
        assert!(
            location(&r).starts_with("/mandje/verstuurd?aanvragen="),
            "{}",
            location(&r)
        );
    }
    let requests: i64 = sqlx::query_scalar("SELECT count(*) FROM requests")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(requests, 1, "the same form sent twice books once");
    let reserved: i64 =
        sqlx::query_scalar("SELECT quantity FROM reservations WHERE request_id IS NOT NULL")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(reserved, 2);
}

async fn browser(width: u32) -> Browser {
    let b = if width < 800 {
        Browser::start_phone(width).await
    } else {
        let b = Browser::start().await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    b
}

/// The card of a kit type in the catalogue's result list.
fn card(kit: &str) -> String {
    format!("li.kit-card:has(h3 a[href='/catalogus/{kit}'])")
}

/// "In mijn mandje" on the catalogue cards: a kit type picked up at one point goes in the
/// cart at once (back to the same search, the header counting it), one picked up at
/// several points links to its page to choose; with the island hydrated, the card's form
/// is not taken for a search.
async fn from_the_catalogue(width: u32) {
    require_site();
    let app = TestApp::spawn().await;
    let b = browser(width).await;
    b.client
        .goto(&app.url("/catalogus?q=schaduw"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    click(&b, &format!("{} form.card-cart button", card(LICHT))).await;
    b.wait_for("#cart-added").await;
    assert_eq!(
        b.js("return location.pathname + location.search").await,
        "/catalogus?q=schaduw&mandje=toegevoegd",
        "back to the same search"
    );
    assert_eq!(
        b.js("return document.querySelector('.nav-cart .cart-count').textContent")
            .await,
        "1"
    );
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    fits_and_passes_axe(&b, "the catalogue with its cart buttons").await;

    // Two pickup points: the card links to the kit page, where the point is chosen.
    b.client
        .goto(&app.url("/catalogus?q=magnetisme"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    assert_eq!(
        b.js(&format!(
            "return document.querySelectorAll(\"{} form.card-cart\").length",
            card(MAGNET)
        ))
        .await,
        0
    );
    click(&b, &format!("{} .card-cart a", card(MAGNET))).await;
    b.wait_until("location.pathname === '/catalogus/ontdekkoffer-magnetisme'")
        .await;
    b.wait_for("#cart-point").await;
    fits_and_passes_axe(&b, "the kit page reached from a card").await;

    // The cart holds the card's line: one kit, from its only pickup point.
    b.client.goto(&app.url("/mandje")).await.unwrap();
    let line = b.wait_for("li.cart-line").await.text().await.unwrap();
    assert!(line.contains("1 × Ontdekkoffer licht"), "{line}");
    assert_eq!(
        b.js("return document.querySelectorAll('li.cart-line').length")
            .await,
        1
    );
    b.close().await;
}

#[tokio::test]
async fn catalogue_cards_fill_the_cart_on_a_phone() {
    from_the_catalogue(360).await;
}

#[tokio::test]
async fn catalogue_cards_fill_the_cart_on_a_wide_screen() {
    from_the_catalogue(1280).await;
}

/// Without JavaScript: the catalogue's cards carry a plain form (or the link to choose a
/// pickup point), and adding from one comes back to the same search.
#[tokio::test]
async fn catalogue_cards_add_without_javascript() {
    let app = TestApp::spawn().await;
    let html = app.get("/catalogus?q=schaduw").await.text().await.unwrap();
    assert!(html.contains("action=\"/mandje/toevoegen\""), "{html}");
    assert!(html.contains("value=\"stem-rtc-kortrijk\""), "{html}");
    let html = app
        .get("/catalogus?q=magnetisme")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/catalogus/ontdekkoffer-magnetisme#add-to-cart-title\""),
        "{html}"
    );
    let r = no_redirects()
        .post(app.url("/mandje/toevoegen"))
        .header("Origin", app.url("").trim_end_matches('/').to_owned())
        .form(&[
            ("kit", LICHT),
            ("pickup_point", "stem-rtc-kortrijk"),
            ("quantity", "1"),
            ("next", "/catalogus?q=schaduw"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/catalogus?q=schaduw&mandje=toegevoegd");
    let visitor = set_cookie(&r, "leenpunt_cart").expect("the visitor's cart cookie");
    let page = app
        .client
        .get(app.url("/catalogus?q=schaduw&mandje=toegevoegd"))
        .header(reqwest::header::COOKIE, &visitor)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"cart-added\""), "{page}");
}

/// A teacher of two schools, signed in to `b`; their cart holds one Proefjeskoffer for
/// 8–10 December. The demo school (012345) already has its one Proefjeskoffer then.
async fn teacher_of_two_schools(app: &TestApp) -> String {
    use leenpunt_server::domain::policy::RoleGrant;
    sqlx::query("UPDATE kit_types SET max_per_school = 1 WHERE slug = $1")
        .bind(PROEF)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let demo = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &demo,
            "/api/v1/reservations",
            &json!({ "kit": PROEF, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-08",
                     "return_date": "2026-12-10", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let hash = hash_password(DEMO_PASSWORD);
    app.untrained_teacher(UNTRAINED, "012345", &hash).await;
    let school = app.state.db.school_id("126763").await.unwrap().unwrap();
    let mut conn = app.state.db.writer().acquire().await.unwrap();
    let (user, _) = leenpunt_server::db::trainings::user_by_email(&mut conn, UNTRAINED)
        .await
        .unwrap()
        .unwrap();
    leenpunt_server::db::accounts::add_grant(
        &mut conn,
        user,
        &RoleGrant {
            role: leenpunt_shared::Role::Teacher,
            school: Some(school),
            partner: None,
        },
    )
    .await
    .unwrap();
    drop(conn);
    let t = app.login(UNTRAINED, DEMO_PASSWORD).await.unwrap();
    let r = app
        .put_json(
            &t,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-08", "return_date": "2026-12-10" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post_json(
            &t,
            "/api/v1/cart/lines",
            &json!({ "kit": PROEF, "pickup_point": "stem-rtc-brugge", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    t
}

/// The school of the one request sent.
async fn request_school(app: &TestApp) -> String {
    sqlx::query_scalar(
        "SELECT s.instellingsnummer FROM requests r JOIN schools s ON s.id = r.school_id",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// A teacher of two schools chooses the school on the cart page: checked for the demo
/// school the line meets its limit, for the other one it fits and is sent for it.
async fn choosing_the_school(width: u32) {
    require_site();
    let app = TestApp::spawn().await;
    teacher_of_two_schools(&app).await;
    let b = browser(width).await;
    b.client
        .goto(&app.url("/aanmelden?next=/mandje"))
        .await
        .unwrap();
    b.sign_in(UNTRAINED, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/mandje'").await;
    // Which school? Asked before checking.
    b.wait_for("#cart-school").await;
    fits_and_passes_axe(&b, "the cart of a teacher of two schools").await;
    b.js("document.querySelector('#cart-school').value = '012345'; return null;")
        .await;
    click(&b, ".check-cart").await;
    b.wait_until("location.search.includes('school=012345')")
        .await;
    let refused = b
        .wait_for("li.cart-line[data-fits=nee] .reason")
        .await
        .text()
        .await
        .unwrap();
    assert!(!refused.is_empty());
    assert_eq!(
        b.js("return document.querySelector('#cart-school').value")
            .await,
        "012345",
        "the choice is kept"
    );
    b.js("document.querySelector('#cart-school').value = '126763'; return null;")
        .await;
    click(&b, ".check-cart").await;
    b.wait_until("location.search.includes('school=126763')")
        .await;
    b.wait_for("li.cart-line[data-fits=ja]").await;
    b.wait_for(".all-fit").await;
    fits_and_passes_axe(&b, "the cart checked for the school chosen").await;
    click(&b, ".send-cart").await;
    b.wait_until("location.pathname === '/mandje/verstuurd'")
        .await;
    b.wait_for("section.request").await;
    assert_eq!(request_school(&app).await, "126763");
    b.close().await;
}

#[tokio::test]
async fn a_teacher_of_two_schools_chooses_on_a_phone() {
    choosing_the_school(360).await;
}

#[tokio::test]
async fn a_teacher_of_two_schools_chooses_on_a_wide_screen() {
    choosing_the_school(1280).await;
}

/// Without JavaScript: the check step asks for the school, and the send form carries the
/// school chosen.
#[tokio::test]
async fn the_school_is_chosen_without_javascript() {
    let app = TestApp::spawn().await;
    let t = teacher_of_two_schools(&app).await;
    let page = |path: &'static str| {
        app.client
            .get(app.url(path))
            .header(reqwest::header::COOKIE, &t)
            .send()
    };
    let html = page("/mandje?stap=controle")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"cart-school\""), "{html}");
    assert!(html.contains("id=\"check-problem\""), "{html}");
    let html = page("/mandje?stap=controle&school=126763")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("name=\"school\" value=\"126763\""),
        "the send form carries the school: {html}"
    );
    let key = html
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the send key")
        .to_owned();
    // Sent for the demo school: refused (its limit), back to its check step.
    let send = |school: &'static str| {
        no_redirects()
            .post(app.url("/mandje/versturen"))
            .header("Origin", app.url("").trim_end_matches('/').to_owned())
            .header(reqwest::header::COOKIE, &t)
            .form(&[("key", key.as_str()), ("school", school)])
            .send()
    };
    let r = send("012345").await.unwrap();
    assert!(
        location(&r).starts_with("/mandje?stap=controle&school=012345&fout="),
        "{}",
        location(&r)
    );
    let r = send("126763").await.unwrap();
    assert!(
        location(&r).starts_with("/mandje/verstuurd?aanvragen="),
        "{}",
        location(&r)
    );
    assert_eq!(request_school(&app).await, "126763");
}
