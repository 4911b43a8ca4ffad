//! The kit editor's form and the kit API with rows: contents added, moved and removed, units
//! typed and generated, every mistake answered at its field with nothing written, and many
//! saves of one kit at once leaving one consistent kit.

use leenpunt_tests::{schema, TestApp, DEMO_PASSWORD};
use serde_json::{json, Map, Value};

const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const KIT: &str = "mos-afvalsorteerkoffer";

/// The form as the editor shows it for the demo's "Afvalsorteerkoffer": its four parts and
/// three empty rows, its four units and two empty rows.
fn form() -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("title", "Afvalsorteerkoffer 'Wat hoort waar?'"),
        ("kind", "uitleen"),
        ("partner", "mos"),
        ("themes", "natuur-milieu"),
        ("levels", "kleuter"),
        ("levels", "lager"),
        ("summary", "Miniatuurcontainers en verpakkingen."),
        ("description", "Leerlingen sorteren verpakkingen."),
        ("external_url", ""),
        ("pickup_points", "mos-brugge"),
        ("pickup_points", "mos-roeselare"),
        ("photos.0.url", "/assets/kits/natuur.svg"),
        ("photos.0.alt", "Boom naast een vijver"),
        ("add_units", ""),
        ("unit_prefix", "MOS-AF-"),
        ("lead_days", ""),
        ("horizon_days", ""),
        ("min_loan_days", ""),
        ("max_loan_days", ""),
        ("buffer_days", ""),
        ("max_per_school", ""),
        ("needs_approval", ""),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let parts = [
        ("Mini-container", "5"),
        ("Verpakking (gereinigd)", "60"),
        ("Sorteerkaarten", "30"),
        ("Prentenboek over afval", "1"),
        ("", ""),
        ("", ""),
        ("", ""),
    ];
    for (i, (name, count)) in parts.iter().enumerate() {
        f.push((format!("parts.{i}.pos"), (i + 1).to_string()));
        f.push((format!("parts.{i}.name"), (*name).to_owned()));
        f.push((format!("parts.{i}.count"), (*count).to_owned()));
    }
    for (i, code) in ["MOS-AF-01", "MOS-AF-02", "MOS-AF-03", "MOS-AF-04", "", ""]
        .iter()
        .enumerate()
    {
        f.push((format!("units.{i}.code"), (*code).to_owned()));
        f.push((format!("units.{i}.status"), "in-dienst".to_owned()));
    }
    f
}

fn set(f: &mut Vec<(String, String)>, key: &str, value: &str) {
    match f.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_owned(),
        None => f.push((key.to_owned(), value.to_owned())),
    }
}

/// The kit's stored catalogue row, column by column.
async fn stored(app: &TestApp) -> Map<String, Value> {
    let rows = app.state.db.export_catalogue().await.unwrap();
    let row = rows.into_iter().find(|r| r[0] == KIT).unwrap();
    leenpunt_server::domain::import::CATALOGUE_COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| ((*c).to_owned(), Value::String(v)))
        .collect()
}

async fn post_form(app: &TestApp, cookie: &str, form: &[(String, String)]) -> String {
    let r = app
        .client
        .post(app.url(&format!("/beheer/materiaal/{KIT}")))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_form_adds_moves_and_removes_rows_and_adds_units() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let mut f = form();
    set(&mut f, "parts.4.name", "Handschoenen");
    set(&mut f, "parts.4.count", "2");
    set(&mut f, "parts.4.pos", "1");
    set(&mut f, "parts.3.remove", "1");
    set(&mut f, "units.1.status", "onderhoud");
    set(&mut f, "units.4.code", "mos-af-09");
    set(&mut f, "add_units", "2");
    set(&mut f, "trainings", "");
    let back = post_form(&app, &admin, &f).await;
    assert_eq!(back, format!("/beheer/materiaal/{KIT}?ok=opgeslagen"));
    let row = stored(&app).await;
    assert_eq!(
        row["parts"],
        "Handschoenen:2;Mini-container:5;Verpakking (gereinigd):60;Sorteerkaarten:30"
    );
    assert_eq!(
        row["units"],
        "MOS-AF-01;MOS-AF-02=onderhoud;MOS-AF-03;MOS-AF-04;MOS-AF-09;MOS-AF-10;MOS-AF-11"
    );
    assert_eq!(row["pickup_points"], "mos-brugge;mos-roeselare");
    // The saved kit comes back in the form, with the message.
    let page = app.get_as(&admin, &back).await.text().await.unwrap();
    assert!(page.contains("id=\"outcome\""), "success message");
    assert!(page.contains("value=\"Handschoenen\""));
    assert!(page.contains(">MOS-AF-11<"));
    // Kind and unit states are offered from their enums; "leskist" is not among them.
    assert!(page.contains("value=\"lespakket\"") && !page.contains("leskist"));
    assert!(page.contains("value=\"afgevoerd\""));
}

#[tokio::test]
async fn mistakes_come_back_at_their_fields_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let before = stored(&app).await;
    let units_before: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let mut f = form();
    set(&mut f, "title", "Nieuwe titel");
    set(&mut f, "parts.5.name", "Zakjes");
    set(&mut f, "parts.5.count", "nul");
    set(&mut f, "units.4.code", "BB-K-01");
    set(&mut f, "units.5.code", "MOS-AF-02");
    set(&mut f, "add_units", "3");
    let back = post_form(&app, &admin, &f).await;
    assert!(back.contains("concept="), "{back}");
    let page = app.get_as(&admin, &back).await.text().await.unwrap();
    assert!(
        page.contains("id=\"error-units-4-code\"")
            && page.contains("is al een exemplaar van ander materiaal (bee-bot-set-klein)"),
        "a unit of another kit says so"
    );
    assert!(
        page.contains("id=\"error-units-5-code\"") && page.contains("komt meer dan eens voor"),
        "a code twice in the form is a duplicate"
    );
    assert!(page.contains("id=\"error-parts-5-count\""));
    assert!(page.contains("value=\"Zakjes\"") && page.contains("value=\"Nieuwe titel\""));
    assert!(
        page.contains("value=\"3\""),
        "the typed number of units is kept"
    );
    assert_eq!(stored(&app).await, before, "nothing written");
    let units_after: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(units_after, units_before);
}

fn json_form(f: &[(String, String)]) -> Value {
    // JSON objects have one value per name: lists are `;`-joined, as in the CSV.
    let mut map = Map::new();
    for (k, v) in f {
        match map.get_mut(k) {
            Some(Value::String(s)) => {
                s.push(';');
                s.push_str(v);
            }
            _ => {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    Value::Object(map)
}

#[tokio::test]
async fn the_api_answers_bad_rows_with_422_per_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let before = stored(&app).await;
    let mut f = form();
    set(&mut f, "parts.0.count", "0");
    set(&mut f, "units.4.code", "bb-k-01");
    set(&mut f, "units.5.code", "MOS AF 7");
    set(&mut f, "kind", "leskist");
    let r = app
        .put_json(&admin, &format!("/api/v1/admin/kits/{KIT}"), &json_form(&f))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    let at = |field: &str| {
        p.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
            .unwrap_or_else(|| panic!("no message at {field}: {:?}", p.errors))
    };
    assert!(at("parts.0.count").contains("geen aantal"));
    assert!(at("units.4.code").contains("ander materiaal (bee-bot-set-klein)"));
    assert!(at("units.5.code").contains("MOS AF 7"));
    assert!(at("kind").contains("uitleen, lespakket, bezoek"));
    assert_eq!(stored(&app).await, before, "nothing written");

    // The same in English.
    let r = app
        .client
        .put(app.url(&format!("/api/v1/admin/kits/{KIT}")))
        .header("cookie", admin.clone())
        .header("origin", app.base.clone())
        .header("accept-language", "en")
        .json(&json_form(&f))
        .send()
        .await
        .unwrap();
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    assert!(p.errors.iter().any(
        |e| e.field == "units.4.code" && e.message.contains("already a unit of other material")
    ));
}

#[tokio::test]
async fn a_hundred_saves_at_once_leave_one_consistent_kit() {
    let app = TestApp::spawn().await;
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..100 {
        let mut f = form();
        set(&mut f, "title", &format!("Versie {i}"));
        set(&mut f, "parts.4.name", &format!("Deel {i}"));
        set(&mut f, "parts.4.count", &(i + 1).to_string());
        set(&mut f, "add_units", "1");
        let request = app
            .client
            .put(app.url(&format!("/api/v1/admin/kits/{KIT}")))
            .header("cookie", admin.clone())
            .header("origin", app.base.clone())
            .json(&json_form(&f));
        tasks.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.unwrap());
    }
    let saved = statuses.iter().filter(|s| **s == 200).count();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(saved > 0);
    let row = stored(&app).await;
    let title = row["title"].as_str().unwrap();
    let i: usize = title.strip_prefix("Versie ").unwrap().parse().unwrap();
    assert_eq!(
        row["parts"],
        json!(format!(
            "Mini-container:5;Verpakking (gereinigd):60;Sorteerkaarten:30;Prentenboek over afval:1;Deel {i}:{}",
            i + 1
        )),
        "the parts are those of the save whose title stands"
    );
    // Every acknowledged save added exactly one unit, each with its own code.
    let units: Vec<String> = sqlx::query_scalar(
        "SELECT u.inventory_code FROM units u JOIN kit_types k ON k.id = u.kit_type_id WHERE k.slug = $1",
    )
    .bind(KIT)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(units.len(), 4 + saved);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'kit.update'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(audited as usize, saved);
    schema::check_integrity(&app.state.db).await;
}
