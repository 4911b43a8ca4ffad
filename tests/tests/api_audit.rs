//! The audit log for people: sentences, filters, paging and the CSV export.

use leenpunt_shared::audit::AuditPage;
use leenpunt_shared::{Me, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";

async fn page(app: &TestApp, cookie: &str, query: &str) -> AuditPage {
    let r = app.get_as(cookie, &format!("/api/v1/audit?{query}")).await;
    assert_eq!(r.status(), 200, "{query}");
    r.json().await.unwrap()
}

/// The teacher books and cancels with a reason; returns the reservation id and the
/// teacher's name.
async fn book_and_cancel(app: &TestApp) -> (i64, String) {
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let me: Me = app
        .get_as(&teacher, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: Reservation = r.json().await.unwrap();
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{}/cancel", created.id),
            &json!({ "reason": "Uitstap verplaatst" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    (created.id.0, me.name)
}

#[tokio::test]
async fn entries_read_as_sentences_and_filter_by_person_kind_object_and_date() {
    let app = TestApp::spawn().await;
    let (id, teacher_name) = book_and_cancel(&app).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();

    // The reservation's own entries: created, then cancelled with the reason as detail.
    let p = page(&app, &admin, &format!("object=reservatie%20{id}")).await;
    let actions: Vec<&str> = p.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["reservation.cancel", "reservation.create"]);
    let cancel = &p.entries[0];
    assert_eq!(
        cancel.detail, "Uitstap verplaatst",
        "a reason, not Debug output"
    );
    assert_eq!(cancel.actor_name.as_deref(), Some(teacher_name.as_str()));
    assert_eq!(
        cancel.sentence(leenpunt_shared::Lang::Nl),
        format!("{teacher_name} annuleerde een reservatie (reservatie {id})")
    );

    // By person (part of the name, any case), and by kind.
    let first_name = teacher_name.split(' ').next().unwrap().to_lowercase();
    let p = page(&app, &admin, &format!("wie={first_name}&soort=reservatie")).await;
    assert!(!p.entries.is_empty());
    assert!(p
        .entries
        .iter()
        .all(|e| e.actor_name.as_deref() == Some(teacher_name.as_str())
            && (e.action.starts_with("reservation.") || e.action.starts_with("waitlist."))));
    let p = page(&app, &admin, "soort=account").await;
    assert!(p.entries.iter().any(|e| e.action == "login"));
    assert!(p
        .entries
        .iter()
        .all(|e| !e.action.starts_with("reservation.")));

    // By Brussels date: the clock says 2026-11-27 10:00 in Brussels.
    let p = page(
        &app,
        &admin,
        &format!("object=reservatie%20{id}&van=2026-11-27&tot=2026-11-27"),
    )
    .await;
    assert_eq!(p.entries.len(), 2);
    let p = page(
        &app,
        &admin,
        &format!("object=reservatie%20{id}&tot=2026-11-26"),
    )
    .await;
    assert!(p.entries.is_empty());
    let p = page(
        &app,
        &admin,
        &format!("object=reservatie%20{id}&van=2026-11-28"),
    )
    .await;
    assert!(p.entries.is_empty());

    // `%` and `_` are letters here, not wildcards.
    let p = page(&app, &admin, "wie=%25").await;
    assert!(p.entries.is_empty());

    // Bad filters are named per field.
    let r = app
        .get_as(
            &admin,
            "/api/v1/audit?soort=geheim&van=2026-12-01&tot=2026-11-01",
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["soort", "tot"]);

    // Only admins read it.
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    assert_eq!(app.get_as(&teacher, "/api/v1/audit").await.status(), 403);
    assert_eq!(app.get("/api/v1/audit/export.csv").await.status(), 401);
}

#[tokio::test]
async fn pages_of_fifty_follow_each_other_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let mut tx = app.state.db.begin().await.unwrap();
    for n in 0..120 {
        leenpunt_server::db::accounts::audit(
            &mut tx,
            None,
            "unit.status",
            &format!("unit:PAGE-{n:03}"),
            "beschikbaar -> onderhoud",
            "2026-11-27T08:00:00+00:00",
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let mut seen = Vec::new();
    let mut query = "object=PAGE-".to_owned();
    let mut pages = 0;
    loop {
        let p = page(&app, &admin, &query).await;
        pages += 1;
        assert!(p.entries.len() <= 50);
        seen.extend(p.entries.iter().map(|e| e.subject.clone()));
        match p.next_before {
            Some(before) => query = format!("object=PAGE-&voor={before}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..120)
        .rev()
        .map(|n| format!("unit:PAGE-{n:03}"))
        .collect();
    assert_eq!(seen, expected, "newest first, each once");
}

#[tokio::test]
async fn the_export_is_the_filtered_log_as_a_spreadsheet() {
    let app = TestApp::spawn().await;
    let (id, teacher_name) = book_and_cancel(&app).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .get_as(
            &admin,
            &format!("/api/v1/audit/export.csv?object=reservatie%20{id}"),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let body = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "nr",
            "datum",
            "tijd",
            "wie",
            "e-mail",
            "wat",
            "object",
            "detail",
            "actie",
            "onderwerp"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][1], "2026-11-27");
    assert_eq!(&rows[0][2], "10:00", "Brussels time, not UTC");
    assert_eq!(&rows[0][3], teacher_name);
    assert_eq!(&rows[0][5], "annuleerde een reservatie");
    assert_eq!(&rows[0][6], format!("reservatie {id}"));
    assert_eq!(&rows[0][7], "Uitstap verplaatst");
    assert_eq!(&rows[1][8], "reservation.create");
}
