//! Closed days: who may close what, bad input, the yearly import, and the effect on
//! availability. The clock is fixed on Friday 27 November 2026.

use leenpunt_shared::reservations::ClosedDay;
use leenpunt_shared::{MonthAvailability, Problem};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn admins_close_everything_partner_admins_their_own_points() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let mos = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let day = |point: Option<&str>| json!({ "pickup_point": point, "first_day": "2026-12-09", "reason": "Studiedag" });

    let r = app
        .post_json(&admin, "/api/v1/closed-days", &day(None))
        .await;
    assert_eq!(r.status(), 201);
    let everywhere: ClosedDay = r.json().await.unwrap();
    assert_eq!(everywhere.last_day, "2026-12-09");
    assert_eq!(
        app.post_json(&mos, "/api/v1/closed-days", &day(Some("mos-brugge")))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_json(&mos, "/api/v1/closed-days", &day(Some("stem-rtc-brugge")))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_json(&mos, "/api/v1/closed-days", &day(None))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_json(&teacher, "/api/v1/closed-days", &day(Some("mos-brugge")))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_json("", "/api/v1/closed-days", &day(None))
            .await
            .status(),
        401
    );

    // Bad input: every field says what is wrong, nothing is written.
    let r = app
        .post_json(&admin, "/api/v1/closed-days", &json!({ "pickup_point": "nergens", "first_day": "9/12", "last_day": "2026-12-01", "reason": "" }))
        .await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["first_day", "reason", "pickup_point"]);

    // The closure shows in the kit calendar.
    let months: Vec<MonthAvailability> = app
        .get("/api/v1/catalogue/bee-bot-set-klein/availability?month=2026-12")
        .await
        .json()
        .await
        .unwrap();
    let ninth = &months[0].days[8];
    assert!(!ninth.open);
    assert_eq!(ninth.closed_reason.as_deref(), Some("Studiedag"));

    // Listed for everyone; removable only by who may.
    let listed: Vec<ClosedDay> = app
        .get_as(&mos, "/api/v1/closed-days")
        .await
        .json()
        .await
        .unwrap();
    let global = listed.iter().find(|d| d.id == everywhere.id).unwrap();
    assert!(!global.removable);
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/closed-days/{}", everywhere.id)))
        .header("cookie", &mos)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/closed-days/{}", everywhere.id)))
        .header("cookie", &admin)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn the_yearly_import_is_all_or_nothing_and_can_be_repeated() {
    use leenpunt_server::service::import::{import_closed_days, ImportError};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let before = db.closed_period_count().await.unwrap();
    let bad = "pickup_point,first_day,last_day,reason\n,2028-02-28,2028-03-05,Krokusvakantie\nnergens,2028-13-01,,Fout\n";
    match import_closed_days(db, bad).await {
        Err(ImportError::Invalid { errors, .. }) => assert_eq!(errors.len(), 2),
        other => panic!("expected row errors, got {other:?}"),
    }
    assert_eq!(
        db.closed_period_count().await.unwrap(),
        before,
        "nothing written"
    );
    let good = "pickup_point,first_day,last_day,reason\n,2028-02-28,2028-03-05,Krokusvakantie\nmos-brugge,2028-03-10,,Inventaris\n";
    let counts = import_closed_days(db, good).await.unwrap();
    assert_eq!((counts.created, counts.updated), (2, 0));
    let again = import_closed_days(db, good).await.unwrap();
    assert_eq!(
        (again.created, again.updated),
        (0, 2),
        "a repeated import changes nothing"
    );
    assert_eq!(db.closed_period_count().await.unwrap(), before + 2);
}
