//! CSV import and export over the API: every problem per line and column with nothing
//! written, a preview then exactly one import even when confirmed twice at once, exports
//! that round-trip, closed days the same, and who may import which rows.

use leenpunt_server::domain::csv_table::write_table;
use leenpunt_server::domain::import::CATALOGUE_COLUMNS;
use leenpunt_shared::csv_import::{ImportOutcome, ImportPreview, ItemChange};
use leenpunt_shared::reservations::ClosedDay;
use leenpunt_shared::Problem;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const MOS_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const TEACHER: &str = "leerkracht@demo.leenpunt.be";

const HEADER: &str = "slug,title,kind,partner,themes,levels,summary,description,parts,pickup_points,trainings,photos,external_url,units,lead_days,horizon_days,min_loan_days,max_loan_days,buffer_days,max_per_school,needs_approval\n";

const NEW_KIT: &str = "robot-testset,Robot-testset voor de klas,uitleen,stem-rtc,stem,lager,Twee robots om te testen,,Robot:2;Kabel:2,stem-rtc-brugge,,,,RT-01;RT-02,,,,,,,\n";

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD).await.unwrap()
}

async fn upload(app: &TestApp, cookie: &str, kind: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/imports/{kind}")))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .header("content-type", "text/csv; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn preview(app: &TestApp, cookie: &str, kind: &str, body: &str) -> ImportPreview {
    let r = upload(app, cookie, kind, body.as_bytes().to_vec()).await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn confirm(app: &TestApp, cookie: &str, token: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/imports/{token}/confirm")))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap()
}

async fn export(app: &TestApp, cookie: &str, kind: &str) -> String {
    let r = app.get_as(cookie, &format!("/api/v1/exports/{kind}")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename="));
    r.text().await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn two_bad_rows_are_both_named_by_line_and_column_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let before = export(&app, &admin, "catalogue").await;
    let file = format!(
        "{HEADER}{NEW_KIT}\
         kapotte-kist,Kapotte kist,leskist,stem-rtc,stem,lager,,,,stem-rtc-brugge,,,,,,,,,,,\n\
         nog-een,Nog een,uitleen,bestaat-niet,stem,lager,,,,stem-rtc-brugge,,,,,,,,,,,\n"
    );
    let p = preview(&app, &admin, "catalogue", &file).await;
    assert!(!p.can_confirm);
    assert!(p.summary.is_none());
    let at: Vec<(u64, &str)> = p
        .problems
        .iter()
        .map(|x| (x.line, x.column.as_str()))
        .collect();
    assert!(at.contains(&(3, "kind")), "{:?}", p.problems);
    assert!(at.contains(&(4, "partner")), "{:?}", p.problems);
    let kind = p.problems.iter().find(|x| x.line == 3).unwrap();
    assert!(kind.message.contains("leskist"), "{}", kind.message);
    // Confirming a file with problems is refused, and nothing was written.
    let r = confirm(&app, &admin, &p.token).await;
    assert_eq!(r.status(), 422);
    let problem: Problem = r.json().await.unwrap();
    assert_eq!(problem.errors.len(), p.problems.len());
    assert_eq!(export(&app, &admin, "catalogue").await, before);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM units WHERE inventory_code LIKE 'RT-%'"
        )
        .await,
        0
    );
    assert_eq!(
        app.get("/api/v1/catalogue/robot-testset").await.status(),
        404
    );
}

#[tokio::test]
async fn a_good_file_previews_and_is_imported_exactly_once_when_confirmed_twice_at_once() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let p = preview(&app, &admin, "catalogue", &format!("{HEADER}{NEW_KIT}")).await;
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let s = p.summary.clone().unwrap();
    assert_eq!((s.new, s.changed, s.units_added), (1, 0, 2));
    assert_eq!(s.items[0].line, 2);
    assert_eq!(s.items[0].change, ItemChange::New);
    assert!(p.can_confirm);
    assert_eq!(p.sha256.len(), 64);
    // The preview can be read again; still nothing written.
    let again: ImportPreview = app
        .get_as(&admin, &format!("/api/v1/imports/{}", p.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.summary, p.summary);
    assert_eq!(
        app.get("/api/v1/catalogue/robot-testset").await.status(),
        404
    );
    // Someone else cannot see or confirm it.
    let mos = login(&app, MOS_ADMIN).await;
    assert_eq!(confirm(&app, &mos, &p.token).await.status(), 404);

    let (a, b) = tokio::join!(
        confirm(&app, &admin, &p.token),
        confirm(&app, &admin, &p.token)
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let a: ImportOutcome = a.json().await.unwrap();
    let b: ImportOutcome = b.json().await.unwrap();
    assert_eq!(
        [a.already_applied, b.already_applied]
            .iter()
            .filter(|x| !**x)
            .count(),
        1,
        "exactly one of the two wrote: {a:?} {b:?}"
    );
    assert_eq!((a.created, a.updated), (1, 0));
    assert_eq!((b.created, b.updated), (1, 0));
    let retry: ImportOutcome = confirm(&app, &admin, &p.token).await.json().await.unwrap();
    assert!(retry.already_applied);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'catalogue.import' AND subject LIKE 'csv_upload:%'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM units WHERE inventory_code LIKE 'RT-%'"
        )
        .await,
        2
    );
    assert_eq!(
        app.get("/api/v1/catalogue/robot-testset").await.status(),
        200
    );
    let found = app.search("q=testset").await;
    assert!(
        found
            .items
            .iter()
            .any(|k| k.slug.as_str() == "robot-testset"),
        "the search index knows the new kit type: {:?}",
        found
            .items
            .iter()
            .map(|k| k.slug.as_str())
            .collect::<Vec<_>>()
    );

    // The same row again changes nothing; a new title and a third unit are a change.
    let p = preview(&app, &admin, "catalogue", &format!("{HEADER}{NEW_KIT}")).await;
    let s = p.summary.unwrap();
    assert_eq!((s.new, s.changed, s.unchanged), (0, 0, 1), "{s:?}");
    let changed = NEW_KIT
        .replace("Robot-testset voor de klas", "Robot-testset")
        .replace("RT-01;RT-02", "RT-01;RT-02;RT-03");
    let p = preview(&app, &admin, "catalogue", &format!("{HEADER}{changed}")).await;
    let s = p.summary.unwrap();
    assert_eq!(
        (s.new, s.changed, s.unchanged, s.units_added),
        (0, 1, 0, 1),
        "{s:?}"
    );
}

#[tokio::test]
async fn the_export_round_trips_through_the_import() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let exported = export(&app, &admin, "catalogue").await;
    let cli = write_table(
        CATALOGUE_COLUMNS,
        app.state.db.export_catalogue().await.unwrap(),
    );
    assert_eq!(exported, cli, "the download is the command line's export");
    let kits = exported.lines().filter(|l| l.contains(",uitleen,")).count() as u32;
    let p = preview(&app, &admin, "catalogue", &exported).await;
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let s = p.summary.unwrap();
    assert_eq!(
        (s.new, s.changed, s.units_added, s.units_changed),
        (0, 0, 0, 0),
        "{:?}",
        s.items
            .iter()
            .filter(|i| i.change != ItemChange::Unchanged)
            .collect::<Vec<_>>()
    );
    assert!(s.unchanged >= kits && kits > 10);
    // Importing it changes nothing either.
    let done: ImportOutcome = confirm(&app, &admin, &p.token).await.json().await.unwrap();
    assert_eq!(done.created, 0);
    assert_eq!(export(&app, &admin, "catalogue").await, exported);

    let days = export(&app, &admin, "closed-days").await;
    assert!(days.starts_with("pickup_point,first_day,last_day,reason\n"));
    assert!(days.contains(",2026-12-21,2027-01-03,Kerstvakantie"));
    let p = preview(&app, &admin, "closed-days", &days).await;
    let s = p.summary.unwrap();
    assert_eq!((s.new, s.changed), (0, 0));
    assert!(s.unchanged > 5);
}

#[tokio::test]
async fn closed_days_preview_their_problems_then_import_once() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let bad = "pickup_point,first_day,last_day,reason\n\
               nergens,2027-05-03,,Studiedag\n\
               ,2027-05-10,2027-05-09,Andersom\n";
    let p = preview(&app, &admin, "closed-days", bad).await;
    let at: Vec<(u64, &str)> = p
        .problems
        .iter()
        .map(|x| (x.line, x.column.as_str()))
        .collect();
    assert_eq!(
        at,
        [(2, "pickup_point"), (3, "last_day")],
        "{:?}",
        p.problems
    );
    assert_eq!(confirm(&app, &admin, &p.token).await.status(), 422);

    let good = "pickup_point,first_day,last_day,reason\n\
                mos-brugge,2027-05-03,,Studiedag MOS\n\
                ,2026-12-21,2027-01-03,Kerstvakantie\n\
                ,2027-02-15,2027-02-21,Krokusvakantie (aangepast)\n";
    let p = preview(&app, &admin, "closed-days", good).await;
    let s = p.summary.unwrap();
    assert_eq!((s.new, s.changed, s.unchanged), (1, 1, 1), "{s:?}");
    let done: ImportOutcome = confirm(&app, &admin, &p.token).await.json().await.unwrap();
    assert_eq!((done.created, done.updated), (1, 2));
    let days: Vec<ClosedDay> = app.get("/api/v1/closed-days").await.json().await.unwrap();
    assert!(days
        .iter()
        .any(|d| d.first_day == "2027-05-03" && d.reason == "Studiedag MOS"));
    assert!(days
        .iter()
        .any(|d| d.reason == "Krokusvakantie (aangepast)"));
    assert!(
        confirm(&app, &admin, &p.token)
            .await
            .json::<ImportOutcome>()
            .await
            .unwrap()
            .already_applied
    );
}

#[tokio::test]
async fn partner_admins_import_and_export_only_their_own_rows() {
    let app = TestApp::spawn().await;
    let mos = login(&app, MOS_ADMIN).await;
    let mine = export(&app, &mos, "catalogue").await;
    assert!(mine.contains("\nmos-afvalsorteerkoffer,"));
    assert!(!mine.contains("\nbee-bot-set-klein,"));
    // Their own export comes back unchanged.
    let p = preview(&app, &mos, "catalogue", &mine).await;
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    // Another partner's rows are refused at the right line and column.
    let file = format!(
        "{HEADER}{NEW_KIT}\
         bee-bot-set-klein,Overgenomen,uitleen,mos,stem,lager,,,,mos-brugge,,,,,,,,,,,\n"
    );
    let p = preview(&app, &mos, "catalogue", &file).await;
    let at: Vec<(u64, &str)> = p
        .problems
        .iter()
        .map(|x| (x.line, x.column.as_str()))
        .collect();
    assert_eq!(at, [(2, "partner"), (3, "slug")], "{:?}", p.problems);
    assert!(!p.can_confirm);
    // Closed days: their own pickup points only, never "all".
    let p = preview(
        &app,
        &mos,
        "closed-days",
        "pickup_point,first_day,last_day,reason\nmos-brugge,2027-05-03,,Studiedag\n,2027-05-04,,Alles dicht\nstem-rtc-brugge,2027-05-05,,Niet van ons\n",
    )
    .await;
    let at: Vec<(u64, &str)> = p
        .problems
        .iter()
        .map(|x| (x.line, x.column.as_str()))
        .collect();
    assert_eq!(
        at,
        [(3, "pickup_point"), (4, "pickup_point")],
        "{:?}",
        p.problems
    );
    let days = export(&app, &mos, "closed-days").await;
    assert_eq!(days, "pickup_point,first_day,last_day,reason\n");
}

#[tokio::test]
async fn files_that_are_not_csv_and_people_who_may_not_are_refused_clearly() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let teacher = login(&app, TEACHER).await;
    // Not UTF-8 (Windows-1252 "é"), a workbook, an empty file: 422 at `file`, said plainly.
    let latin1 = b"pickup_point,first_day,last_day,reason\n,2027-05-03,,F\xEAte\n".to_vec();
    let r = upload(&app, &admin, "closed-days", latin1).await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "file");
    assert!(
        p.errors[0].message.contains("UTF-8"),
        "{}",
        p.errors[0].message
    );
    assert!(
        p.errors[0].message.contains("regel 2"),
        "{}",
        p.errors[0].message
    );
    let r = upload(&app, &admin, "catalogue", b"PK\x03\x04xlsx".to_vec()).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        upload(&app, &admin, "catalogue", Vec::new()).await.status(),
        422
    );
    // Too large.
    let big = vec![b'a'; 2 * 1024 * 1024 + 1];
    assert_eq!(upload(&app, &admin, "catalogue", big).await.status(), 413);
    // A spreadsheet's ';' separator: said once, besides the missing columns.
    let p = preview(
        &app,
        &admin,
        "closed-days",
        "pickup_point;first_day;last_day;reason\n;2027-05-03;;Studiedag\n",
    )
    .await;
    assert!(p.problems[0].message.contains("';'"), "{:?}", p.problems);
    assert!(p.problems.iter().any(|x| x.column == "first_day"));
    // A wrong header names each missing column.
    let p = preview(&app, &admin, "catalogue", "naam,titel\nx,y\n").await;
    assert!(p.problems.iter().any(|x| x.line == 1 && x.column == "slug"));
    // Wrong content type.
    let r = app
        .client
        .post(app.url("/api/v1/imports/catalogue"))
        .header("cookie", admin.as_str())
        .header("origin", app.base.clone())
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Teachers and anonymous visitors.
    assert_eq!(
        upload(&app, &teacher, "catalogue", HEADER.as_bytes().to_vec())
            .await
            .status(),
        403
    );
    assert_eq!(
        upload(&app, "", "catalogue", HEADER.as_bytes().to_vec())
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_as(&teacher, "/api/v1/exports/catalogue")
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/api/v1/exports/closed-days").await.status(), 401);
    assert_eq!(confirm(&app, &admin, "bestaat-niet").await.status(), 404);
}
