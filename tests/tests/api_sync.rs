//! The sync collections (issue 18): `GET /api/v1/sync/reservations` pages in change order
//! with an opaque cursor, never losing a row that is inserted or changed while a client
//! pages, filters on `updated_since` (the database's clock), answers 304 to a current
//! `If-None-Match`, and shows each person exactly what the policy lets them see.

use leenpunt_shared::tokens::CreatedToken;
use leenpunt_shared::Problem;
use leenpunt_tests::{schema, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const PATH: &str = "/api/v1/sync/reservations";

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD).await.unwrap()
}

/// A confirmed booking of the demo teacher for a kit type, straight into the table.
async fn insert(app: &TestApp, kit: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = '012345'), \
           (SELECT id FROM users WHERE email = $1), 1, '2027-01-11', '2027-01-15', \
           '2027-01-15', 'bevestigd', '2026-11-27T08:00:00+00:00', '2026-11-27T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = $2 RETURNING id",
    )
    .bind(TEACHER)
    .bind(kit)
    .fetch_one(app.state.db.writer())
    .await
    .unwrap()
}

async fn change(app: &TestApp, id: i64, note: &str) {
    sqlx::query("UPDATE reservations SET note = $1 WHERE id = $2")
        .bind(note)
        .bind(id)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

/// The reservation ids in the table, optionally of one partner service (by slug).
async fn ids(app: &TestApp, partner: Option<&str>) -> BTreeSet<i64> {
    sqlx::query_scalar(
        "SELECT r.id FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
         JOIN partners p ON p.id = k.partner_id WHERE $1 IS NULL OR p.slug = $1",
    )
    .bind(partner)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
    .into_iter()
    .collect()
}

async fn page(app: &TestApp, cookie: &str, query: &str) -> Value {
    page_of(app, PATH, cookie, query).await
}

async fn page_of(app: &TestApp, path: &str, cookie: &str, query: &str) -> Value {
    let r = app.get_as(cookie, &format!("{path}?{query}")).await;
    assert_eq!(r.status(), 200, "{query}");
    assert!(r.headers().get("etag").is_some());
    r.json().await.unwrap()
}

fn item_ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reservation"]["id"].as_i64().unwrap())
        .collect()
}

/// Every page up to the last, following `next_cursor`; `between` runs after each page.
async fn all_pages(
    app: &TestApp,
    cookie: &str,
    query: &str,
    between: impl AsyncFnMut(usize),
) -> Vec<Value> {
    all_pages_of(app, PATH, 2, cookie, query, between).await
}

/// The same for any sync collection, with pages of at most `limit` rows.
async fn all_pages_of(
    app: &TestApp,
    path: &str,
    limit: usize,
    cookie: &str,
    query: &str,
    mut between: impl AsyncFnMut(usize),
) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for n in 0.. {
        let q = match &cursor {
            Some(c) => format!("{query}&cursor={c}"),
            None => query.to_owned(),
        };
        let p = page_of(app, path, cookie, &q).await;
        let got = p["items"].as_array().unwrap().clone();
        assert!(got.len() <= limit, "no more than the limit");
        items.extend(got);
        match p.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        between(n).await;
        assert!(n < 100, "paging ends");
    }
    items
}

#[tokio::test]
async fn paging_sees_every_row_and_changed_rows_again_later() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        insert(&app, "bee-bot-set-klein").await;
    }
    let before = ids(&app, None).await;
    assert!(before.len() >= 5);
    let first = *before.first().unwrap();
    let last = *before.last().unwrap();
    let admin = login(&app, ADMIN).await;
    let mut added = Vec::new();
    let items = all_pages(&app, &admin, "limit=2", async |n| {
        if n == 0 {
            // A row already seen changes, a row not yet seen changes, a row is added.
            change(&app, first, "seen, then changed").await;
            change(&app, last, "changed before it was seen").await;
            added.push(insert(&app, "mos-afvalsorteerkoffer").await);
        }
    })
    .await;
    let seen: Vec<i64> = items
        .iter()
        .map(|i| i["reservation"]["id"].as_i64().unwrap())
        .collect();
    let mut times: BTreeMap<i64, usize> = BTreeMap::new();
    for id in &seen {
        *times.entry(*id).or_default() += 1;
    }
    let expected: BTreeSet<i64> = before.iter().copied().chain(added.clone()).collect();
    assert_eq!(
        times.keys().copied().collect::<BTreeSet<_>>(),
        expected,
        "every row, none lost"
    );
    for (id, n) in &times {
        let want = if *id == first { 2 } else { 1 };
        assert_eq!(*n, want, "reservation {id} seen {n} times");
    }
    // The changed rows come again at the end, with their new contents, in change order.
    let tail = &items[items.len() - 3..];
    assert_eq!(tail[0]["reservation"]["id"], first);
    assert_eq!(tail[0]["reservation"]["note"], "seen, then changed");
    assert_eq!(tail[1]["reservation"]["id"], last);
    assert_eq!(tail[1]["reservation"]["note"], "changed before it was seen");
    assert_eq!(tail[2]["reservation"]["id"], added[0]);
    let stamps: Vec<&str> = items
        .iter()
        .map(|i| i["updated_at"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");

    // A second pass over unchanged rows: each exactly once.
    let again = all_pages(&app, &admin, "limit=2", async |_| {}).await;
    let again: Vec<i64> = again
        .iter()
        .map(|i| i["reservation"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(again.len(), expected.len());
    assert_eq!(again.iter().copied().collect::<BTreeSet<_>>(), expected);

    // A change through the application (a cancellation) moves the row to the end too.
    let teacher = login(&app, TEACHER).await;
    let booked = insert(&app, "bee-bot-set-klein").await;
    let after = insert(&app, "bee-bot-set-klein").await;
    let full = page(&app, &admin, "limit=500").await;
    assert_eq!(item_ids(&full).last(), Some(&after));
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{booked}/cancel"),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "cancel: {}", r.status());
    let full = page(&app, &admin, "limit=500").await;
    assert_eq!(item_ids(&full).last(), Some(&booked));
    assert_eq!(
        full["items"].as_array().unwrap().last().unwrap()["reservation"]["status"],
        "geannuleerd"
    );
    assert!(
        full.get("next_cursor").is_none(),
        "the last page has no cursor"
    );

    // The last page's resume cursor is a delta token: asked later, it answers exactly what
    // changed since, and an empty answer keeps the same token.
    let resume = full["resume_cursor"].as_str().unwrap().to_owned();
    let quiet = page(&app, &admin, &format!("cursor={resume}")).await;
    assert!(item_ids(&quiet).is_empty());
    assert_eq!(quiet["resume_cursor"], resume.as_str());
    change(&app, after, "later").await;
    let fresh = insert(&app, "bee-bot-set-klein").await;
    let delta = page(&app, &admin, &format!("cursor={resume}")).await;
    assert_eq!(item_ids(&delta), vec![after, fresh]);
    let next = delta["resume_cursor"].as_str().unwrap();
    assert_ne!(next, resume);
    assert!(item_ids(&page(&app, &admin, &format!("cursor={next}")).await).is_empty());
}

#[tokio::test]
async fn updated_since_is_exactly_the_rows_changed_at_or_after_the_instant() {
    let app = TestApp::spawn().await;
    let a = insert(&app, "bee-bot-set-klein").await;
    let b = insert(&app, "bee-bot-set-klein").await;
    let c = insert(&app, "bee-bot-set-klein").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let instant: String = schema::now(&app.state.db).await;
    change(&app, a, "later").await;
    let d = insert(&app, "bee-bot-set-klein").await;
    let admin = login(&app, ADMIN).await;
    let since = page(&app, &admin, &format!("updated_since={instant}")).await;
    assert_eq!(item_ids(&since), vec![a, d]);
    assert!(!item_ids(&since).contains(&b) && !item_ids(&since).contains(&c));
    for item in since["items"].as_array().unwrap() {
        assert!(item["updated_at"].as_str().unwrap() >= instant.as_str());
    }
    // The same instant in another offset is the same filter.
    let utc = chrono::DateTime::parse_from_rfc3339(&instant).unwrap();
    let local = utc
        .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
        .to_rfc3339();
    let encoded: String = url::form_urlencoded::byte_serialize(local.as_bytes()).collect();
    let same = page(&app, &admin, &format!("updated_since={encoded}")).await;
    assert_eq!(item_ids(&same), vec![a, d]);
    // With a cursor and a small limit, the filter still holds on every page.
    let paged = all_pages(
        &app,
        &admin,
        &format!("limit=1&updated_since={instant}"),
        async |_| {},
    )
    .await;
    assert_eq!(paged.len(), 2);
    // Nothing has changed since a moment in the future.
    let none = page(&app, &admin, "updated_since=2100-01-01T00:00:00Z").await;
    assert!(item_ids(&none).is_empty());
    assert!(none.get("next_cursor").is_none());
}

#[tokio::test]
async fn etags_answer_304_until_something_changes() {
    let app = TestApp::spawn().await;
    let id = insert(&app, "bee-bot-set-klein").await;
    let admin = login(&app, ADMIN).await;
    let get = |tag: Option<String>| {
        let mut request = app
            .client
            .get(app.url(&format!("{PATH}?limit=50")))
            .header("cookie", admin.clone());
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with("W/\""), "{tag}");
    let unchanged = get(Some(tag.clone())).await.unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), tag);
    assert!(unchanged.bytes().await.unwrap().is_empty(), "no body");
    // A list of tags, one of them ours, and `*`.
    let listed = get(Some(format!("\"other\", {tag}"))).await.unwrap();
    assert_eq!(listed.status(), 304);
    assert_eq!(get(Some("*".into())).await.unwrap().status(), 304);
    assert_eq!(get(Some("W/\"other\"".into())).await.unwrap().status(), 200);

    change(&app, id, "new").await;
    let changed = get(Some(tag.clone())).await.unwrap();
    assert_eq!(changed.status(), 200);
    let new_tag = changed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_tag, tag);
    // Another person's view or another query has its own tag.
    let desk = login(&app, DESK).await;
    let theirs = app
        .client
        .get(app.url(&format!("{PATH}?limit=50")))
        .header("cookie", desk)
        .header("if-none-match", new_tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 200);
    let other_query = app
        .client
        .get(app.url(&format!("{PATH}?limit=49")))
        .header("cookie", admin.clone())
        .header("if-none-match", new_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(other_query.status(), 200);
}

#[tokio::test]
async fn each_person_sees_what_the_policy_allows() {
    let app = TestApp::spawn().await;
    insert(&app, "bee-bot-set-klein").await;
    insert(&app, "mos-afvalsorteerkoffer").await;
    let all = |cookie: String| {
        let app = &app;
        async move {
            item_ids(&page(app, &cookie, "limit=500").await)
                .into_iter()
                .collect::<BTreeSet<_>>()
        }
    };
    let admin = all(login(&app, ADMIN).await).await;
    assert_eq!(admin, ids(&app, None).await);
    let desk = all(login(&app, DESK).await).await;
    assert_eq!(desk, ids(&app, Some("stem-rtc")).await);
    assert!(!desk.is_empty());
    let manager = all(login(&app, PARTNER_ADMIN).await).await;
    assert_eq!(manager, ids(&app, Some("mos")).await);
    assert!(!manager.is_empty());
    assert!(desk.is_disjoint(&manager));
}

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn refusals_are_problems() {
    let app = TestApp::spawn().await;
    problem(app.get(PATH).await, 401).await;
    for who in [TEACHER, TRAINER] {
        let cookie = login(&app, who).await;
        problem(app.get_as(&cookie, PATH).await, 403).await;
    }
    let admin = login(&app, ADMIN).await;
    for (query, status, field) in [
        ("cursor=!!!", 400, "cursor"),
        ("cursor=dW5pdHM6Mw", 400, "cursor"), // "units:3": another collection's
        ("updated_since=gisteren", 400, "updated_since"),
        ("updated_since=2026-12-01", 400, "updated_since"),
        ("limit=0", 422, "limit"),
        ("limit=501", 422, "limit"),
        ("limit=veel", 400, "limit"),
    ] {
        let p = problem(app.get_as(&admin, &format!("{PATH}?{query}")).await, status).await;
        assert!(
            p.errors.iter().any(|e| e.field == field),
            "{query}: {:?}",
            p.errors
        );
    }
    // The edges of the range are fine.
    page(&app, &admin, "limit=1").await;
    page(&app, &admin, "limit=500").await;
}

#[tokio::test]
async fn works_with_a_bearer_token() {
    let app = TestApp::spawn().await;
    insert(&app, "bee-bot-set-klein").await;
    let admin = login(&app, ADMIN).await;
    let r = app
        .post_json(
            &admin,
            "/api/v1/me/tokens",
            &json!({ "name": "sync", "scope": "read", "expires_in_days": 7 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let token: CreatedToken = r.json().await.unwrap();
    let with_cookie = page(&app, &admin, "limit=500").await;
    let r = app
        .client
        .get(app.url(&format!("{PATH}?limit=500")))
        .header("authorization", format!("Bearer {}", token.secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_none());
    let tag = r.headers()["etag"].to_str().unwrap().to_owned();
    let with_token: Value = r.json().await.unwrap();
    assert_eq!(item_ids(&with_token), item_ids(&with_cookie));
    let again = app
        .client
        .get(app.url(&format!("{PATH}?limit=500")))
        .header("authorization", format!("Bearer {}", token.secret))
        .header("if-none-match", tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

const UNITS: &str = "/api/v1/sync/units";

async fn unit_ids(app: &TestApp, partner: Option<&str>) -> BTreeSet<i64> {
    sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
         JOIN partners p ON p.id = k.partner_id WHERE $1 IS NULL OR p.slug = $1",
    )
    .bind(partner)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
    .into_iter()
    .collect()
}

fn unit_of(item: &Value) -> i64 {
    item["unit"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn units_page_in_change_order_and_a_new_label_moves_a_unit() {
    let app = TestApp::spawn().await;
    let before = unit_ids(&app, None).await;
    let first = *before.first().unwrap();
    let admin = login(&app, ADMIN).await;
    let mut added = Vec::new();
    let items = all_pages_of(&app, UNITS, 7, &admin, "limit=7", async |n| {
        if n == 0 {
            sqlx::query("UPDATE units SET status = 'onderhoud' WHERE id = $1")
                .bind(first)
                .execute(app.state.db.writer())
                .await
                .unwrap();
            added.push(
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO units (kit_type_id, inventory_code, created_at) \
                     SELECT id, 'SYNC-01', '2026-11-27T08:00:00+00:00' FROM kit_types \
                     WHERE slug = 'bee-bot-set-klein' RETURNING id",
                )
                .fetch_one(app.state.db.writer())
                .await
                .unwrap(),
            );
        }
    })
    .await;
    let mut times: BTreeMap<i64, usize> = BTreeMap::new();
    for item in &items {
        *times.entry(unit_of(item)).or_default() += 1;
    }
    let expected: BTreeSet<i64> = before.iter().copied().chain(added.clone()).collect();
    assert_eq!(times.keys().copied().collect::<BTreeSet<_>>(), expected);
    for (id, n) in &times {
        assert_eq!(*n, if *id == first { 2 } else { 1 }, "unit {id}");
    }
    let tail = &items[items.len() - 2..];
    assert_eq!(unit_of(&tail[0]), first);
    assert_eq!(tail[0]["unit"]["status"], "onderhoud");
    assert_eq!(unit_of(&tail[1]), added[0]);

    // A new label (through the API) is a change of the unit: it comes last, with the label.
    let bb: i64 = sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = 'BB-K-01'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let old = page_of(&app, UNITS, &admin, "limit=500").await;
    let old_label = old["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| unit_of(i) == bb)
        .unwrap()["unit"]["label"]
        .clone();
    let tag_before = app
        .client
        .get(app.url(&format!("{UNITS}?limit=500")))
        .header("cookie", admin.clone())
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let r = app
        .post_json(&admin, &format!("/api/v1/units/{bb}/retag"), &json!({}))
        .await;
    assert!(r.status().is_success(), "retag: {}", r.status());
    let now = page_of(&app, UNITS, &admin, "limit=500").await;
    let last = now["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(unit_of(&last), bb);
    assert_ne!(last["unit"]["label"], old_label);
    let after = app
        .client
        .get(app.url(&format!("{UNITS}?limit=500")))
        .header("cookie", admin.clone())
        .header("if-none-match", tag_before.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "the tag changed with the label");
    let tag_after = after.headers()["etag"].to_str().unwrap().to_owned();
    let same = app
        .client
        .get(app.url(&format!("{UNITS}?limit=500")))
        .header("cookie", admin.clone())
        .header("if-none-match", tag_after)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 304);
}

#[tokio::test]
async fn units_are_shown_by_the_policy_and_refusals_are_problems() {
    let app = TestApp::spawn().await;
    let all = |email: &'static str| {
        let app = &app;
        async move {
            let cookie = login(app, email).await;
            page_of(app, UNITS, &cookie, "limit=500").await["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(unit_of)
                .collect::<BTreeSet<_>>()
        }
    };
    assert_eq!(all(ADMIN).await, unit_ids(&app, None).await);
    let desk = all(DESK).await;
    assert_eq!(desk, unit_ids(&app, Some("stem-rtc")).await);
    assert!(!desk.is_empty());
    let manager = all(PARTNER_ADMIN).await;
    assert_eq!(manager, unit_ids(&app, Some("mos")).await);
    assert!(!manager.is_empty());

    problem(app.get(UNITS).await, 401).await;
    for who in [TEACHER, TRAINER] {
        let cookie = login(&app, who).await;
        problem(app.get_as(&cookie, UNITS).await, 403).await;
    }
    let admin = login(&app, ADMIN).await;
    // A reservations cursor ("reservations:1") is not a units cursor.
    let cursor = "cmVzZXJ2YXRpb25zOjE";
    for (query, status, field) in [
        (format!("cursor={cursor}"), 400, "cursor"),
        ("updated_since=morgen".to_owned(), 400, "updated_since"),
        ("limit=501".to_owned(), 422, "limit"),
    ] {
        let p = problem(
            app.get_as(&admin, &format!("{UNITS}?{query}")).await,
            status,
        )
        .await;
        assert!(p.errors.iter().any(|e| e.field == field), "{query}");
    }
}

const SCHOOLS: &str = "/api/v1/sync/schools";

/// One anonymous page of the school collection.
async fn school_page(app: &TestApp, query: &str) -> Value {
    let r = app.get(&format!("{SCHOOLS}?{query}")).await;
    assert_eq!(r.status(), 200, "{query}");
    assert!(r.headers()["etag"].to_str().unwrap().starts_with("W/\""));
    r.json().await.unwrap()
}

fn school_numbers(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["school"]["number"].as_str().unwrap().to_owned())
        .collect()
}

async fn all_school_numbers(app: &TestApp) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT instellingsnummer FROM schools")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

async fn sql(app: &TestApp, statement: &str) {
    sqlx::query(statement)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn scalar(app: &TestApp, query: &str) -> i64 {
    sqlx::query_scalar(query)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn schools_page_in_change_order_for_anyone_and_a_change_moves_a_school_last() {
    let app = TestApp::spawn().await;
    let before = all_school_numbers(&app).await;
    assert!(before.len() >= 3, "the demo has schools to page through");
    // Anonymous paging, two at a time; after the first page one school is added and a
    // school of that first page is renamed.
    let mut items: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    for n in 0.. {
        let q = match &cursor {
            Some(c) => format!("limit=2&cursor={c}"),
            None => "limit=2".to_owned(),
        };
        let p = school_page(&app, &q).await;
        let got = p["items"].as_array().unwrap().clone();
        assert!(got.len() <= 2);
        if n == 0 {
            let first = got[0]["school"]["number"].as_str().unwrap().to_owned();
            sql(
                &app,
                &format!(
                    "UPDATE schools SET name = 'Hernoemd' WHERE instellingsnummer = '{first}'"
                ),
            )
            .await;
            sql(
                &app,
                "INSERT INTO schools (instellingsnummer, name, municipality, network) \
                 VALUES ('990001', 'Nieuwe school', 'Gent', 'go')",
            )
            .await;
        }
        items.extend(got);
        match p.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(n < 100, "paging ends");
    }
    let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for item in &items {
        seen.entry(item["school"]["number"].as_str().unwrap().to_owned())
            .or_default()
            .push(item.clone());
    }
    let now = all_school_numbers(&app).await;
    assert_eq!(now.len(), before.len() + 1);
    assert_eq!(
        seen.keys().cloned().collect::<BTreeSet<_>>(),
        now,
        "nothing skipped"
    );
    let renamed: Vec<&String> = seen
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(renamed.len(), 1, "only the renamed school comes twice");
    let twice = &seen[renamed[0]];
    assert_ne!(twice[0]["school"]["name"], "Hernoemd");
    assert_eq!(twice[1]["school"]["name"], "Hernoemd");
    // The renamed school and the new one come last (the rename happened first).
    let last: Vec<String> = items[items.len() - 2..]
        .iter()
        .map(|i| i["school"]["number"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(last, vec![renamed[0].clone(), "990001".to_owned()]);
    assert_eq!(items.last().unwrap()["school"]["municipality"], "Gent");
    // A second pass sees each school once, signed in or not.
    let admin = login(&app, ADMIN).await;
    let again = all_pages_of(&app, SCHOOLS, 500, &admin, "limit=500", async |_| {}).await;
    let numbers: Vec<String> = again
        .iter()
        .map(|i| i["school"]["number"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(numbers.len(), now.len());
    assert_eq!(numbers.into_iter().collect::<BTreeSet<_>>(), now);
}

#[tokio::test]
async fn schools_since_an_instant_etags_and_refusals() {
    let app = TestApp::spawn().await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let instant: String = schema::now(&app.state.db).await;
    assert!(
        school_numbers(&school_page(&app, &format!("updated_since={instant}")).await).is_empty()
    );
    let get = |tag: Option<String>| {
        let mut request = app.client.get(app.url(&format!("{SCHOOLS}?limit=50")));
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let tag = get(None).await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let unchanged = get(Some(tag.clone())).await.unwrap();
    assert_eq!(unchanged.status(), 304);
    assert!(unchanged.bytes().await.unwrap().is_empty());

    // A rename counts as one change: the statistics version and the feeds' stamp move as
    // before (the sync trigger's own update of the row does not fire them again).
    let stats = scalar(&app, "SELECT version FROM stats_version").await;
    let seq = scalar(&app, "SELECT seq FROM sync_counter").await;
    let stamp = scalar(
        &app,
        "SELECT stamp FROM feed_stamps WHERE scope = '*' AND id = 0",
    )
    .await;
    sql(
        &app,
        "UPDATE schools SET municipality = 'Kortrijk' WHERE instellingsnummer = '012345'",
    )
    .await;
    assert_eq!(
        scalar(&app, "SELECT version FROM stats_version").await,
        stats + 1
    );
    assert_eq!(scalar(&app, "SELECT seq FROM sync_counter").await, seq + 1);
    assert_ne!(
        scalar(
            &app,
            "SELECT stamp FROM feed_stamps WHERE scope = '*' AND id = 0"
        )
        .await,
        stamp
    );
    let since = school_page(&app, &format!("updated_since={instant}")).await;
    assert_eq!(school_numbers(&since), vec!["012345".to_owned()]);
    assert!(since["items"][0]["updated_at"].as_str().unwrap() >= instant.as_str());
    assert_eq!(since["items"][0]["school"]["municipality"], "Kortrijk");
    let changed = get(Some(tag.clone())).await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);

    // Another collection's cursor, a malformed date, a limit out of range.
    let reservations_cursor = app
        .client
        .get(app.url(&format!(
            "{SCHOOLS}?cursor={}",
            // A reservations cursor taken from a real page.
            {
                let admin = login(&app, ADMIN).await;
                insert(&app, "bee-bot-set-klein").await;
                insert(&app, "bee-bot-set-klein").await;
                page(&app, &admin, "limit=1")
                    .await
                    .get("next_cursor")
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_owned()
            }
        )))
        .send()
        .await
        .unwrap();
    problem(reservations_cursor, 400).await;
    problem(
        app.get(&format!("{SCHOOLS}?updated_since=gisteren")).await,
        400,
    )
    .await;
    problem(app.get(&format!("{SCHOOLS}?limit=0")).await, 422).await;
    problem(app.get(&format!("{SCHOOLS}?limit=501")).await, 422).await;
}
