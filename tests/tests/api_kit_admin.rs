//! Managing the catalogue over HTTP: a partner admin edits their own kit types (with the
//! catalogue CSV's rules and messages, nothing half-written), adds units, uploads photos
//! with type and size checks, and is refused another partner's kit types.

use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";

/// A kit type's current fields, as the export writes them.
async fn fields(app: &TestApp, slug: &str) -> serde_json::Map<String, serde_json::Value> {
    let rows = app.state.db.export_catalogue().await.unwrap();
    let row = rows.into_iter().find(|r| r[0] == slug).unwrap();
    leenpunt_server::domain::import::CATALOGUE_COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| ((*c).to_owned(), serde_json::Value::String(v)))
        .collect()
}

#[tokio::test]
async fn a_partner_admin_edits_their_own_kit_types_and_only_those() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let mut f = fields(&app, "mos-afvalsorteerkoffer").await;
    f.insert("title".into(), json!("Afvalsorteerkoffer (nieuw)"));
    f.insert(
        "units".into(),
        json!(format!("{};MOS-AF-05", f["units"].as_str().unwrap())),
    );
    f.insert("parts".into(), json!("Sorteerbakjes:4;Afvalkaarten:40"));
    let r = app
        .put_json(
            &admin,
            "/api/v1/admin/kits/mos-afvalsorteerkoffer",
            &serde_json::Value::Object(f),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let kit: leenpunt_shared::KitDetail = app
        .get("/api/v1/catalogue/mos-afvalsorteerkoffer")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kit.title, "Afvalsorteerkoffer (nieuw)");
    assert_eq!(kit.parts.len(), 2);
    let units: i64 =
        sqlx::query_scalar("SELECT count(*) FROM units WHERE inventory_code = 'MOS-AF-05'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(units, 1);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'kit.update'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);

    // Bad input: per-field messages, nothing written.
    let mut f = fields(&app, "mos-afvalsorteerkoffer").await;
    f.insert("title".into(), json!(""));
    f.insert("parts".into(), json!("Sorteerbakjes:nul"));
    f.insert("lead_days".into(), json!("-2"));
    let r = app
        .put_json(
            &admin,
            "/api/v1/admin/kits/mos-afvalsorteerkoffer",
            &serde_json::Value::Object(f),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    let names: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        names.contains(&"title") && names.contains(&"parts") && names.contains(&"lead_days"),
        "{names:?}"
    );
    let kit: leenpunt_shared::KitDetail = app
        .get("/api/v1/catalogue/mos-afvalsorteerkoffer")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kit.title, "Afvalsorteerkoffer (nieuw)", "unchanged");

    // Another partner's kit type: refused, and it cannot be moved to one's own partner.
    let other = fields(&app, "bee-bot-set-klein").await;
    let r = app
        .put_json(
            &admin,
            "/api/v1/admin/kits/bee-bot-set-klein",
            &serde_json::Value::Object(other.clone()),
        )
        .await;
    assert_eq!(r.status(), 403);
    let mut moved = other;
    moved.insert("partner".into(), json!("mos"));
    moved.insert("pickup_points".into(), json!("mos-brugge"));
    let r = app
        .put_json(
            &admin,
            "/api/v1/admin/kits/bee-bot-set-klein",
            &serde_json::Value::Object(moved),
        )
        .await;
    assert_eq!(r.status(), 403);
    // Teachers manage nothing.
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let f = fields(&app, "mos-afvalsorteerkoffer").await;
    assert_eq!(
        app.put_json(
            &teacher,
            "/api/v1/admin/kits/mos-afvalsorteerkoffer",
            &serde_json::Value::Object(f)
        )
        .await
        .status(),
        403
    );

    // A new kit type of one's own partner.
    let mut new = fields(&app, "mos-afvalsorteerkoffer").await;
    new.insert("slug".into(), json!("mos-regenmeter"));
    new.insert("title".into(), json!("Regenmeterset"));
    new.insert("units".into(), json!("MOS-RM-01"));
    let r = app
        .post_json(
            &admin,
            "/api/v1/admin/kits",
            &serde_json::Value::Object(new),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(
        app.get("/api/v1/catalogue/mos-regenmeter").await.status(),
        200
    );
}

fn multipart(file: &[u8], name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part(
            "photo",
            reqwest::multipart::Part::bytes(file.to_vec()).file_name(name.to_owned()),
        )
        .text("alt", "De koffer open op een tafel")
}

#[tokio::test]
async fn photos_upload_with_type_and_size_checks() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let upload = |form: reqwest::multipart::Form, slug: &'static str| {
        app.client
            .post(app.url(&format!("/beheer/materiaal/{slug}/foto")))
            .header("cookie", admin.clone())
            .header("origin", app.base.clone())
            .multipart(form)
            .send()
    };
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().unwrap().to_owned();
    // A real PNG.
    let png = leenpunt_server::domain::labels::qr_png("foto", 4);
    let r = upload(multipart(&png, "koffer.png"), "mos-afvalsorteerkoffer")
        .await
        .unwrap();
    assert!(location(&r).contains("ok=foto"), "{}", location(&r));
    let kit: leenpunt_shared::KitDetail = app
        .get("/api/v1/catalogue/mos-afvalsorteerkoffer")
        .await
        .json()
        .await
        .unwrap();
    let photo = kit.photos.last().unwrap();
    assert_eq!(photo.alt, "De koffer open op een tafel");
    let r = app.get(&photo.url).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().as_ref(), png.as_slice());
    // Not an image, whatever its name says.
    let r = upload(
        multipart(b"<html>niet echt</html>", "foto.png"),
        "mos-afvalsorteerkoffer",
    )
    .await
    .unwrap();
    assert!(location(&r).contains("fout="), "{}", location(&r));
    // Too large.
    let mut big = png.clone();
    big.resize(2 * 1024 * 1024 + 1, 0);
    let r = upload(multipart(&big, "groot.png"), "mos-afvalsorteerkoffer")
        .await
        .unwrap();
    assert!(location(&r).contains("fout="), "{}", location(&r));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM kit_photos p JOIN kit_types k ON k.id = p.kit_type_id WHERE k.slug = 'mos-afvalsorteerkoffer'")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(
        count as usize,
        kit.photos.len(),
        "refused uploads add nothing"
    );
    // Another partner's kit type: refused, with the reason on the page.
    let r = upload(multipart(&png, "x.png"), "bee-bot-set-klein")
        .await
        .unwrap();
    assert!(location(&r).contains("fout="), "{}", location(&r));
    let beebot: i64 = sqlx::query_scalar("SELECT count(*) FROM kit_photos p JOIN kit_types k ON k.id = p.kit_type_id WHERE k.slug = 'bee-bot-set-klein' AND p.url LIKE '/fotos/%'")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(beebot, 0);
    // Paths that are not photos.
    assert_eq!(app.get("/fotos/..%2Fleenpunt.db").await.status(), 404);
}

async fn post_form(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> String {
    let r = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{path}: {}", r.status());
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn registers_schools_partners_and_pickup_points_through_screens() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let partner_admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let school = [
        ("instellingsnummer", "12a456"),
        ("name", "Vrije Basisschool De Regenboog"),
        ("street", "Schoolstraat 1"),
        ("postcode", "8000"),
        ("municipality", "Brugge"),
        ("network", "katholiek"),
        ("levels", "kleuter;lager"),
    ];
    // An invalid instellingsnummer: refused, the form comes back with what was typed.
    let back = post_form(&app, &admin, "/beheer/register/scholen", &school).await;
    assert!(
        back.starts_with("/beheer/register/scholen/nieuw?concept="),
        "{back}"
    );
    let page = app.get_as(&admin, &back).await.text().await.unwrap();
    assert!(page.contains("Vrije Basisschool De Regenboog"), "kept");
    assert!(
        page.contains("id=\"error-instellingsnummer\""),
        "the message sits at its field"
    );
    let mut good = school;
    good[0] = ("instellingsnummer", "123456");
    let done = post_form(&app, &admin, "/beheer/register/scholen", &good).await;
    assert_eq!(done, "/beheer/register/scholen/123456?ok=aangemaakt");
    // "New" never overwrites: 12345 is read as the demo school 012345, which exists.
    let mut existing = good;
    existing[0] = ("instellingsnummer", "12345");
    let refused = post_form(&app, &admin, "/beheer/register/scholen", &existing).await;
    assert!(refused.contains("concept="), "{refused}");
    let name: String =
        sqlx::query_scalar("SELECT name FROM schools WHERE instellingsnummer = '012345'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(name, "Vrije Basisschool Sint-Lodewijk");
    assert!(app.state.db.school_id("123456").await.unwrap().is_some());
    // Partner admins do not manage schools.
    assert_eq!(
        app.get_as(&partner_admin, "/beheer/register/scholen/123456")
            .await
            .status(),
        403
    );
    let refused = post_form(
        &app,
        &partner_admin,
        "/beheer/register/scholen/123456",
        &good,
    )
    .await;
    assert!(refused.contains("fout="), "{refused}");

    // A partner admin changes their own pickup point's hours, not another partner's.
    let point = |slug: &'static str, partner: &'static str, hours: &'static str| {
        vec![
            ("slug", slug),
            ("partner", partner),
            ("name", "Afhaalpunt"),
            ("street", "Markt 1"),
            ("postcode", "8000"),
            ("municipality", "Brugge"),
            ("opening_hours", hours),
        ]
    };
    let ok = post_form(
        &app,
        &partner_admin,
        "/beheer/register/afhaalpunten/mos-brugge",
        &point("mos-brugge", "mos", "ma–vr 9–12 u."),
    )
    .await;
    assert!(ok.contains("ok=opgeslagen"), "{ok}");
    let hours: String =
        sqlx::query_scalar("SELECT opening_hours FROM pickup_points WHERE slug = 'mos-brugge'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(hours, "ma–vr 9–12 u.");
    let refused = post_form(
        &app,
        &partner_admin,
        "/beheer/register/afhaalpunten/stem-rtc-brugge",
        &point("stem-rtc-brugge", "stem-rtc", "nooit"),
    )
    .await;
    assert!(refused.contains("fout="), "{refused}");
    // A new pickup point can only belong to one's own partner.
    let refused = post_form(
        &app,
        &partner_admin,
        "/beheer/register/afhaalpunten",
        &point("mos-oostende", "stem-rtc", ""),
    )
    .await;
    assert!(refused.contains("concept="), "{refused}");
    let created = post_form(
        &app,
        &partner_admin,
        "/beheer/register/afhaalpunten",
        &point("mos-oostende", "mos", ""),
    )
    .await;
    assert!(created.contains("ok=aangemaakt"), "{created}");
    let hours: String = sqlx::query_scalar(
        "SELECT opening_hours FROM pickup_points WHERE slug = 'stem-rtc-brugge'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_ne!(hours, "nooit");
    // The list shows a partner admin their own records to edit.
    let page = app
        .get_as(&partner_admin, "/beheer/register/afhaalpunten")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("mos-oostende") && !page.contains("stem-rtc-brugge"));
}

#[tokio::test]
async fn admins_disable_and_enable_accounts_partner_admins_see_their_staff() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let teacher: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'leerkracht@demo.leenpunt.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let session = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let back = post_form(
        &app,
        &admin,
        &format!("/beheer/gebruikers/{teacher}/uitschakelen"),
        &[("next", "/beheer/gebruikers?q=lotte")],
    )
    .await;
    assert_eq!(back, "/beheer/gebruikers?q=lotte&ok=uitgeschakeld");
    assert!(
        app.login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
            .await
            .is_err(),
        "cannot sign in"
    );
    assert_eq!(
        app.get_as(&session, "/api/v1/me").await.status(),
        401,
        "sessions ended"
    );
    let page = app
        .get_as(&admin, "/beheer/gebruikers?q=lotte")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("data-user=\"{teacher}\" data-disabled=\"true\"")),
        "{page}"
    );
    post_form(
        &app,
        &admin,
        &format!("/beheer/gebruikers/{teacher}/inschakelen"),
        &[],
    )
    .await;
    assert!(app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .is_ok());
    // Not one's own account.
    let own: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'beheerder@demo.leenpunt.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let refused = post_form(
        &app,
        &admin,
        &format!("/beheer/gebruikers/{own}/uitschakelen"),
        &[],
    )
    .await;
    assert!(refused.contains("fout="), "{refused}");
    // A partner admin sees their partner's people only, and disables nobody.
    let partner_admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let page = app
        .get_as(&partner_admin, "/beheer/gebruikers")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("partnerbeheer@demo.leenpunt.be"));
    assert!(!page.contains("leerkracht@demo.leenpunt.be"));
    let refused = post_form(
        &app,
        &partner_admin,
        &format!("/beheer/gebruikers/{teacher}/uitschakelen"),
        &[],
    )
    .await;
    assert!(refused.contains("fout="), "{refused}");
    // Teachers do not see the administration.
    let teacher_session = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&teacher_session, "/beheer/gebruikers")
            .await
            .status(),
        403
    );
}
