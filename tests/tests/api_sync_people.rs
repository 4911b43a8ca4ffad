//! The people and kit-type sync collections (issue 18): `GET /api/v1/sync/people` and
//! `GET /api/v1/sync/kit-types` page in change order like the other three; a change an
//! integration sees moves a person or kit type to the end, signing in does not; an
//! erased or removed person comes back as a tombstone; the numbering of a kit type does
//! not touch the catalogue version or the feed stamps.

use leenpunt_server::domain::auth::hash_password;
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
const PEOPLE: &str = "/api/v1/sync/people";
const KITS: &str = "/api/v1/sync/kit-types";

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD).await.unwrap()
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

async fn ids_of(app: &TestApp, query: &str) -> BTreeSet<i64> {
    sqlx::query_scalar(query)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT id FROM users WHERE email = '{email}'"),
    )
    .await
}

/// One page (200, with a weak tag), as a cookie's owner or anonymously (`cookie` empty).
async fn page(app: &TestApp, path: &str, cookie: &str, query: &str) -> Value {
    let url = format!("{path}?{query}");
    let r = if cookie.is_empty() {
        app.get(&url).await
    } else {
        app.get_as(cookie, &url).await
    };
    assert_eq!(r.status(), 200, "{url}");
    assert!(r.headers()["etag"].to_str().unwrap().starts_with("W/\""));
    r.json().await.unwrap()
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().unwrap().clone()
}

/// Every page from `cursor` (the start when `None`), `limit` rows at a time; the items
/// and the last page's `resume_cursor`.
async fn pass(
    app: &TestApp,
    path: &str,
    cookie: &str,
    limit: usize,
    cursor: Option<String>,
) -> (Vec<Value>, String) {
    let mut all = Vec::new();
    let mut cursor = cursor;
    for n in 0.. {
        let q = match &cursor {
            Some(c) => format!("limit={limit}&cursor={c}"),
            None => format!("limit={limit}"),
        };
        let p = page(app, path, cookie, &q).await;
        let got = items(&p);
        assert!(got.len() <= limit, "no more than the limit");
        all.extend(got);
        let resume = p["resume_cursor"].as_str().unwrap().to_owned();
        match p.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (all, resume),
        }
        assert!(n < 200, "paging ends");
    }
    unreachable!()
}

fn person_ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
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
async fn people_page_through_everyone_and_resume_with_exactly_what_changed() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let everyone = ids_of(&app, "SELECT id FROM users").await;
    assert!(everyone.len() >= 5, "the demo has people to page through");

    // Two at a time: everyone exactly once, with the user administration's row.
    let (all, resume) = pass(&app, PEOPLE, &admin, 2, None).await;
    let seen = person_ids(&all);
    assert_eq!(seen.len(), everyone.len(), "each person once");
    assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), everyone);
    let teacher_id = user_id(&app, TEACHER).await;
    let teacher = all.iter().find(|i| i["id"] == teacher_id).unwrap();
    assert_eq!(teacher["deleted"], false);
    assert_eq!(teacher["person"]["email"], TEACHER);
    assert_eq!(teacher["person"]["roles"][0]["role"], "teacher");
    assert!(teacher["updated_at"].as_str().unwrap().ends_with('Z'));

    // Signing in is bookkeeping, not a change an integration sees.
    let before = scalar(
        &app,
        &format!(
            "SELECT count(*) FROM users WHERE id = {teacher_id} AND last_sign_in_at IS NOT NULL"
        ),
    )
    .await;
    sql(
        &app,
        &format!("UPDATE users SET last_sign_in_at = NULL WHERE id = {teacher_id}"),
    )
    .await;
    login(&app, TEACHER).await;
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT count(*) FROM users WHERE id = {teacher_id} AND last_sign_in_at IS NOT NULL"),
        )
        .await,
        1,
        "signing in stamped last_sign_in_at (was set: {before})"
    );
    sql(
        &app,
        &format!("UPDATE users SET lang = 'en', reminders_off = 1 WHERE id = {teacher_id}"),
    )
    .await;
    let (quiet, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert!(quiet.is_empty(), "nothing changed: {quiet:?}");

    // A new name: exactly that person, with the new name.
    sql(
        &app,
        &format!("UPDATE users SET name = 'Nieuwe Naam' WHERE id = {teacher_id}"),
    )
    .await;
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(person_ids(&changed), [teacher_id]);
    assert_eq!(changed[0]["person"]["name"], "Nieuwe Naam");

    // A role taken away through the API: that person, without the role.
    let desk_id = user_id(&app, DESK).await;
    let role: i64 = scalar(
        &app,
        &format!("SELECT id FROM user_roles WHERE user_id = {desk_id} ORDER BY id LIMIT 1"),
    )
    .await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/roles/{role}")))
        .header("cookie", &admin)
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(person_ids(&changed), [desk_id]);
    let roles: Vec<i64> = changed[0]["person"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(!roles.contains(&role), "{roles:?}");

    // Disabled through the API: that person, disabled.
    let r = app
        .post_json(
            &admin,
            &format!("/api/v1/users/{teacher_id}/disable"),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(person_ids(&changed), [teacher_id]);
    assert_eq!(changed[0]["person"]["disabled"], true);

    // A school renamed: everyone holding a role there, each once, with the new name.
    let school: i64 = scalar(
        &app,
        &format!(
            "SELECT school_id FROM user_roles WHERE user_id = {teacher_id} AND role = 'teacher'"
        ),
    )
    .await;
    let members = ids_of(
        &app,
        &format!("SELECT DISTINCT user_id FROM user_roles WHERE school_id = {school}"),
    )
    .await;
    sql(
        &app,
        &format!("UPDATE schools SET name = 'Hernoemde school' WHERE id = {school}"),
    )
    .await;
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    let got = person_ids(&changed);
    assert_eq!(got.len(), members.len());
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), members);
    assert!(changed.iter().all(|i| i["person"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["scope"] == "Hernoemde school")));

    // A partner service renamed: its staff.
    let partner_staff = ids_of(
        &app,
        "SELECT DISTINCT r.user_id FROM user_roles r JOIN partners p ON p.id = r.partner_id \
         WHERE p.slug = 'mos'",
    )
    .await;
    assert!(!partner_staff.is_empty());
    sql(
        &app,
        "UPDATE partners SET name = 'MOS hernoemd' WHERE slug = 'mos'",
    )
    .await;
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(
        person_ids(&changed).into_iter().collect::<BTreeSet<_>>(),
        partner_staff
    );

    // A role given: that person.
    sql(
        &app,
        &format!(
            "INSERT INTO user_roles (user_id, role, partner_id) \
             SELECT {teacher_id}, 'trainer', id FROM partners WHERE slug = 'mos'"
        ),
    )
    .await;
    let (changed, _) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(person_ids(&changed), [teacher_id]);

    // A second pass from the start still sees everyone exactly once.
    let (again, _) = pass(&app, PEOPLE, &admin, 500, None).await;
    assert_eq!(
        person_ids(&again).into_iter().collect::<BTreeSet<_>>(),
        everyone
    );
    assert_eq!(again.len(), everyone.len());
}

#[tokio::test]
async fn erased_and_removed_people_come_back_as_tombstones() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let (_, resume) = pass(&app, PEOPLE, &admin, 500, None).await;
    let (_, manager_resume) =
        pass(&app, PEOPLE, &login(&app, PARTNER_ADMIN).await, 500, None).await;

    // Erased through the API (asked by the person, confirmed by an admin).
    const LEAVING: &str = "vertrekt@school.be";
    let leaving = app
        .untrained_teacher(LEAVING, "012345", &hash_password(DEMO_PASSWORD))
        .await;
    let id = user_id(&app, LEAVING).await;
    let r = app
        .post_json(&leaving, "/api/v1/me/erasure-request", &json!({}))
        .await;
    assert_eq!(r.status(), 202);
    let pending: Vec<leenpunt_shared::privacy::ErasureRequest> = app
        .get_as(&admin, "/api/v1/erasure-requests")
        .await
        .json()
        .await
        .unwrap();
    let request = pending.iter().find(|p| p.email == LEAVING).unwrap().id;
    let r = app
        .post_json(
            &admin,
            &format!("/api/v1/erasure-requests/{request}/confirm"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());

    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    // Created (with their role), then erased: the last word is the tombstone.
    let last = changed.iter().rev().find(|i| i["id"] == id).unwrap();
    assert_eq!(last["deleted"], true);
    assert!(last.get("person").is_none(), "{last}");
    let text = last.to_string();
    assert!(
        !text.contains("vertrekt") && !text.contains("Leerkracht"),
        "{text}"
    );
    assert_eq!(changed.last().unwrap()["id"], id);

    // An account removed outright (an unconfirmed one the retention rules delete).
    sql(
        &app,
        "INSERT INTO users (email, name, created_at) \
         VALUES ('nooit@school.be', 'Nooit Bevestigd', '2026-01-01T00:00:00+00:00')",
    )
    .await;
    let gone = user_id(&app, "nooit@school.be").await;
    sql(&app, &format!("DELETE FROM users WHERE id = {gone}")).await;
    let (changed, resume) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert_eq!(
        person_ids(&changed),
        [gone],
        "created and removed: one tombstone"
    );
    assert_eq!(changed[0]["deleted"], true);
    assert!(changed[0].get("person").is_none());
    let (quiet, _) = pass(&app, PEOPLE, &admin, 2, Some(resume)).await;
    assert!(quiet.is_empty());

    // A partner admin never saw either person, and still does not.
    let (changed, _) = pass(
        &app,
        PEOPLE,
        &login(&app, PARTNER_ADMIN).await,
        500,
        Some(manager_resume),
    )
    .await;
    assert!(
        changed.iter().all(|i| i["id"] != id && i["id"] != gone),
        "{changed:?}"
    );
}

#[tokio::test]
async fn each_person_sees_the_people_the_user_administration_shows_them() {
    let app = TestApp::spawn().await;
    for who in [ADMIN, PARTNER_ADMIN] {
        let cookie = login(&app, who).await;
        let listed: Vec<leenpunt_shared::admin::UserRow> = app
            .get_as(&cookie, "/api/v1/users")
            .await
            .json()
            .await
            .unwrap();
        let (synced, _) = pass(&app, PEOPLE, &cookie, 3, None).await;
        let synced: BTreeMap<i64, leenpunt_shared::admin::UserRow> = synced
            .into_iter()
            .map(|i| {
                (
                    i["id"].as_i64().unwrap(),
                    serde_json::from_value(i["person"].clone()).unwrap(),
                )
            })
            .collect();
        let listed: BTreeMap<i64, leenpunt_shared::admin::UserRow> =
            listed.into_iter().map(|u| (u.id.0, u)).collect();
        assert!(!listed.is_empty());
        assert_eq!(synced, listed, "{who}");
    }
    let manager = login(&app, PARTNER_ADMIN).await;
    let (mine, _) = pass(&app, PEOPLE, &manager, 500, None).await;
    assert!(
        mine.len() < scalar(&app, "SELECT count(*) FROM users").await as usize,
        "a partner admin sees only their service's people"
    );
}

#[tokio::test]
async fn people_etags_tokens_and_refusals() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;

    // 304 while nothing changed; 200 after a change.
    let r = app.get_as(&admin, &format!("{PEOPLE}?limit=3")).await;
    assert_eq!(r.status(), 200);
    let tag = r.headers()["etag"].to_str().unwrap().to_owned();
    let ask = |tag: String| {
        app.client
            .get(app.url(&format!("{PEOPLE}?limit=3")))
            .header("cookie", &admin)
            .header("if-none-match", tag)
            .send()
    };
    let r = ask(tag.clone()).await.unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), tag);
    login(&app, TEACHER).await;
    assert_eq!(ask(tag.clone()).await.unwrap().status(), 304, "signing in");
    sql(
        &app,
        &format!("UPDATE users SET email = 'ander@demo.leenpunt.be' WHERE email = '{TRAINER}'"),
    )
    .await;
    assert_eq!(ask(tag).await.unwrap().status(), 200);

    // Anonymous 401; teachers, desk staff and trainers 403, as for the people list.
    problem(app.get(PEOPLE).await, 401).await;
    for who in [TEACHER, DESK] {
        let cookie = login(&app, who).await;
        problem(app.get_as(&cookie, PEOPLE).await, 403).await;
        problem(app.get_as(&cookie, "/api/v1/users").await, 403).await;
    }
    for (query, status, field) in [
        ("cursor=!!!", 400, "cursor"),
        ("cursor=c2Nob29sczoz", 400, "cursor"), // "schools:3": another collection's
        ("updated_since=gisteren", 400, "updated_since"),
        ("limit=0", 422, "limit"),
        ("limit=501", 422, "limit"),
    ] {
        let p = problem(
            app.get_as(&admin, &format!("{PEOPLE}?{query}")).await,
            status,
        )
        .await;
        assert!(p.errors.iter().any(|e| e.field == field), "{query}");
    }

    // A read token: the same rows, no cookie set. A teacher's token: 403.
    let token = |cookie: String| {
        let app = &app;
        async move {
            let r = app
                .post_json(
                    &cookie,
                    "/api/v1/me/tokens",
                    &json!({ "name": "sync", "scope": "read", "expires_in_days": 7 }),
                )
                .await;
            assert_eq!(r.status(), 201);
            r.json::<CreatedToken>().await.unwrap().secret
        }
    };
    let admins = token(admin.clone()).await;
    let r = app
        .client
        .get(app.url(&format!("{PEOPLE}?limit=500")))
        .header("authorization", format!("Bearer {admins}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_none());
    let with_token: Value = r.json().await.unwrap();
    let with_cookie = page(&app, PEOPLE, &admin, "limit=500").await;
    assert_eq!(with_token["items"], with_cookie["items"]);
    let teachers = token(login(&app, TEACHER).await).await;
    let r = app
        .client
        .get(app.url(PEOPLE))
        .header("authorization", format!("Bearer {teachers}"))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
}

fn kit_ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|i| i["kit_type"]["id"].as_i64().unwrap())
        .collect()
}

async fn catalogue_version(app: &TestApp) -> i64 {
    scalar(app, "SELECT version FROM catalogue_version").await
}

async fn everything_stamp(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT stamp FROM feed_stamps WHERE scope = '*' AND id = 0",
    )
    .await
}

#[tokio::test]
async fn kit_types_page_for_anyone_and_a_change_shows_without_touching_the_catalogue() {
    let app = TestApp::spawn().await;
    let every_kit = ids_of(&app, "SELECT id FROM kit_types").await;
    assert!(every_kit.len() >= 3);
    let (all, resume) = pass(&app, KITS, "", 2, None).await;
    assert_eq!(kit_ids(&all).len(), every_kit.len(), "each kit type once");
    assert_eq!(
        kit_ids(&all).into_iter().collect::<BTreeSet<_>>(),
        every_kit
    );
    let beebot = all
        .iter()
        .find(|i| i["kit_type"]["slug"] == "bee-bot-set-klein")
        .unwrap();
    let kit = &beebot["kit_type"];
    assert!(!kit["pickup_point_ids"].as_array().unwrap().is_empty());
    assert!(!kit["themes"].as_array().unwrap().is_empty());
    assert!(!kit["required_training_ids"].as_array().unwrap().is_empty());
    let id = kit["id"].as_i64().unwrap();

    // A part added: the numbering alone changes neither the catalogue version nor the
    // feed stamps (the contents list is in neither).
    let (version, stamp) = (catalogue_version(&app).await, everything_stamp(&app).await);
    sql(
        &app,
        &format!(
            "INSERT INTO kit_parts (kit_type_id, position, name, expected_count) \
             VALUES ({id}, 99, 'Reservekabel', 2)"
        ),
    )
    .await;
    assert_eq!(catalogue_version(&app).await, version);
    assert_eq!(everything_stamp(&app).await, stamp);
    let (changed, resume) = pass(&app, KITS, "", 2, Some(resume)).await;
    assert_eq!(kit_ids(&changed), [id]);
    let parts = changed[0]["kit_type"]["parts"].as_array().unwrap();
    assert_eq!(parts.last().unwrap()["name"], "Reservekabel");

    // A theme added: the catalogue's own trigger raises the version once, not twice.
    sql(
        &app,
        &format!(
            "INSERT INTO kit_type_themes (kit_type_id, theme) VALUES ({id}, 'erfgoed') \
             ON CONFLICT DO NOTHING"
        ),
    )
    .await;
    assert_eq!(catalogue_version(&app).await, version + 1);
    assert_eq!(everything_stamp(&app).await, stamp);
    let (changed, resume) = pass(&app, KITS, "", 2, Some(resume)).await;
    assert_eq!(kit_ids(&changed), [id]);
    assert!(changed[0]["kit_type"]["themes"]
        .as_array()
        .unwrap()
        .contains(&json!("erfgoed")));

    // The kit type's own edit: the catalogue version and the statistics once each, the
    // feeds stamped, and the kit type last with its new title.
    let stats = scalar(&app, "SELECT version FROM stats_version").await;
    sql(
        &app,
        &format!("UPDATE kit_types SET title = 'Bee-Bot mini' WHERE id = {id}"),
    )
    .await;
    assert_eq!(catalogue_version(&app).await, version + 2);
    assert_eq!(
        scalar(&app, "SELECT version FROM stats_version").await,
        stats + 1
    );
    assert_ne!(everything_stamp(&app).await, stamp);
    let (changed, resume) = pass(&app, KITS, "", 2, Some(resume)).await;
    assert_eq!(kit_ids(&changed), [id]);
    assert_eq!(changed[0]["kit_type"]["title"], "Bee-Bot mini");

    // Signed in or not, the same; nothing more changed.
    let admin = login(&app, ADMIN).await;
    let (quiet, _) = pass(&app, KITS, &admin, 2, Some(resume)).await;
    assert!(quiet.is_empty());
}

#[tokio::test]
async fn kit_types_etags_and_refusals() {
    let app = TestApp::spawn().await;
    let r = app.get(&format!("{KITS}?limit=5")).await;
    assert_eq!(r.status(), 200);
    let tag = r.headers()["etag"].to_str().unwrap().to_owned();
    let ask = |tag: String| {
        app.client
            .get(app.url(&format!("{KITS}?limit=5")))
            .header("if-none-match", tag)
            .send()
    };
    assert_eq!(ask(tag.clone()).await.unwrap().status(), 304);
    assert_eq!(ask("*".into()).await.unwrap().status(), 304);
    sql(
        &app,
        "UPDATE kit_types SET summary = 'Anders' WHERE slug = 'bee-bot-set-klein'",
    )
    .await;
    assert_eq!(ask(tag).await.unwrap().status(), 200);
    for (query, status, field) in [
        ("cursor=!!!", 400, "cursor"),
        ("cursor=cGVvcGxlOjM", 400, "cursor"), // "people:3": another collection's
        ("updated_since=2026-12-01", 400, "updated_since"),
        ("limit=0", 422, "limit"),
        ("limit=veel", 400, "limit"),
    ] {
        let p = problem(app.get(&format!("{KITS}?{query}")).await, status).await;
        assert!(p.errors.iter().any(|e| e.field == field), "{query}");
    }
    // updated_since: exactly the kit types changed at or after the database's instant.
    let now: String = schema::now(&app.state.db).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    sql(
        &app,
        "UPDATE kit_types SET summary = 'Nog anders' WHERE slug = 'bee-bot-set-klein'",
    )
    .await;
    let p = page(&app, KITS, "", &format!("updated_since={now}")).await;
    let slugs: Vec<&str> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kit_type"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["bee-bot-set-klein"]);
}
