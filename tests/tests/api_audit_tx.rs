//! Audit rows are written in the transaction of the change they record, stamped with the
//! application's clock: a change that fails leaves no audit row, an audit row that cannot be
//! written undoes the change, and the time is the test clock's, not the wall clock's.
//! Failures are forced with test-only triggers that refuse one insert.

use leenpunt_tests::{schema, TestApp, DEMO_PASSWORD};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const REASON: &str = "Pedagogische studiedag";

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    scalar(
        app,
        "SELECT count(*) FROM audit_log WHERE action = $1",
        action,
    )
    .await
}

async fn periods(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT count(*) FROM closed_periods WHERE reason = $1",
        REASON,
    )
    .await
}

async fn close_a_day(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.post_json(
        cookie,
        "/api/v1/closed-days",
        &json!({ "first_day": "2027-03-10", "reason": REASON }),
    )
    .await
}

async fn reopen(app: &TestApp, cookie: &str, id: i64) -> reqwest::Response {
    app.client
        .delete(app.url(&format!("/api/v1/closed-days/{id}")))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap()
}

async fn disable(app: &TestApp, cookie: &str, user: i64) -> reqwest::StatusCode {
    app.client
        .post(app.url(&format!("/beheer/gebruikers/{user}/uitschakelen")))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .form(&[("next", "/beheer/gebruikers")])
        .send()
        .await
        .unwrap()
        .status()
}

async fn teacher_id(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT id FROM users WHERE email = $1",
        "leerkracht@demo.leenpunt.be",
    )
    .await
}

async fn disabled(app: &TestApp, user: i64) -> bool {
    sqlx::query_scalar::<_, Option<String>>("SELECT disabled_at FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn audit_rows_carry_the_application_clock() {
    let app = TestApp::spawn().await;
    app.set_time("2027-03-01T10:15:00Z");
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = close_a_day(&app, &admin).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(reopen(&app, &admin, id).await.status(), 204);
    let user = teacher_id(&app).await;
    assert!(disable(&app, &admin, user).await.is_redirection());
    assert!(disabled(&app, user).await);
    for action in [
        "login",
        "closed_days.add",
        "closed_days.remove",
        "user.disable",
    ] {
        let at: Vec<String> =
            sqlx::query_scalar("SELECT at FROM audit_log WHERE action = $1 ORDER BY id")
                .bind(action)
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(at, ["2027-03-01T10:15:00+00:00"], "{action}");
    }
}

#[tokio::test]
async fn a_failed_change_writes_no_audit_row() {
    let app = TestApp::spawn().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let db = &app.state.db;
    schema::refusing_trigger(db, "test_refuse_period", "INSERT", "closed_periods", None).await;
    assert!(close_a_day(&app, &admin).await.status().is_server_error());
    assert_eq!(periods(&app).await, 0);
    assert_eq!(audited(&app, "closed_days.add").await, 0);
    schema::drop_trigger(db, "test_refuse_period", "closed_periods").await;

    let user = teacher_id(&app).await;
    schema::refusing_trigger(
        db,
        "test_refuse_disable",
        "UPDATE OF disabled_at",
        "users",
        None,
    )
    .await;
    disable(&app, &admin, user).await;
    assert!(!disabled(&app, user).await);
    assert_eq!(audited(&app, "user.disable").await, 0);
}

#[tokio::test]
async fn an_audit_row_that_cannot_be_written_undoes_the_change() {
    let app = TestApp::spawn().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let db = &app.state.db;
    let refuse = |action: &'static str| async move {
        let when = format!("NEW.action = '{action}'");
        schema::refusing_trigger(db, "test_refuse_audit", "INSERT", "audit_log", Some(&when)).await
    };
    refuse("closed_days.add").await;
    assert!(close_a_day(&app, &admin).await.status().is_server_error());
    assert_eq!(periods(&app).await, 0, "the closed day is not kept");
    schema::drop_trigger(&app.state.db, "test_refuse_audit", "audit_log").await;

    let r = close_a_day(&app, &admin).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    refuse("closed_days.remove").await;
    assert!(reopen(&app, &admin, id).await.status().is_server_error());
    assert_eq!(periods(&app).await, 1, "the closed day stays");
    schema::drop_trigger(&app.state.db, "test_refuse_audit", "audit_log").await;

    let user = teacher_id(&app).await;
    refuse("user.disable").await;
    disable(&app, &admin, user).await;
    assert!(!disabled(&app, user).await, "the account stays enabled");
}
