//! Holding under ordinary bursts of traffic: cancelled writes never wedge the writer,
//! bursts of sign-ups and bookings are either written or cleanly refused, throttles hold
//! when attempts arrive at once, and slow or idle connections are closed.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_server::domain::clock::Clock;
use leenpunt_tests::{schema, TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BEE_BOT: &str = "bee-bot-set-klein";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// A write on the writer must succeed within a second: nothing is wedged.
async fn writes_within_a_second(app: &TestApp) {
    let started = Instant::now();
    let mut tx = tokio::time::timeout(Duration::from_secs(1), app.state.db.begin())
        .await
        .expect("the writer answers within a second")
        .expect("begin");
    sqlx::query(
        "INSERT INTO login_failures (email, client, at) VALUES ('probe', 'probe', '2000-01-01')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200, "readyz after the burst");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_dropped_at_any_point_never_wedge_the_writer() {
    let app = TestApp::spawn().await;
    // Begin, write, commit, each cut off after a random short time: some are dropped
    // waiting, some in BEGIN, some mid-transaction, some in COMMIT.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..300u64 {
        let db = app.state.db.clone();
        set.spawn(async move {
            let cut = Duration::from_micros((i * 37) % 3000);
            let _ = tokio::time::timeout(cut, async {
                let mut tx = db.begin().await?;
                sqlx::query(
                    "INSERT INTO login_failures (email, client, at) VALUES ($1, 'x', '2000-01-01')",
                )
                .bind(format!("cut{i}"))
                .execute(&mut *tx)
                .await
                .map_err(leenpunt_server::db::DbError::from)?;
                tokio::task::yield_now().await;
                tx.commit().await
            })
            .await;
        });
    }
    while set.join_next().await.is_some() {}
    writes_within_a_second(&app).await;
    schema::check_integrity(&app.state.db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_hanging_up_mid_request_leave_no_trace_and_no_wedge() {
    let app = TestApp::spawn().await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..120u64 {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(1 + (i * 7) % 60))
            .build()
            .unwrap();
        let url = app.url("/api/v1/signup");
        set.spawn(async move {
            let _ = client
                .post(url)
                .json(&json!({
                    "email": format!("weg{i}@school.be"),
                    "name": "Weg",
                    "password": "een lang wachtwoord",
                    "school": "012345",
                }))
                .send()
                .await;
        });
    }
    while set.join_next().await.is_some() {}
    // Give sign-ups that were already inside their write a moment to finish.
    tokio::time::sleep(Duration::from_millis(300)).await;
    writes_within_a_second(&app).await;
    // A sign-up is all or nothing: an account always has its confirmation mail.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users u WHERE u.email LIKE 'weg%' \
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.to_addr = u.email)"
        )
        .await,
        0
    );
    let r = app
        .client
        .post(app.url("/api/v1/signup"))
        .json(&json!({ "email": "na@school.be", "name": "Na", "password": "een lang wachtwoord", "school": "012345" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202, "sign-up works after the hang-ups");
}

/// Holds a TCP connection open, having sent only part of a request.
async fn slow_client(addr: std::net::SocketAddr, partial: &'static [u8]) -> Duration {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(partial).await.unwrap();
    let mut buf = [0u8; 512];
    // The server closes it (0 bytes or a reset) once the header timeout passes.
    let _ = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sign_ups_and_bookings_is_written_or_cleanly_refused() {
    let app = TestApp::spawn_configured(|c| c.header_timeout_secs = 2).await;
    let hash = hash_password(DEMO_PASSWORD);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT 20")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    let mut bookers = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        bookers.push(
            app.teacher(&format!("boeker{i}@school.be"), school, &hash)
                .await,
        );
    }
    let started = Instant::now();
    let until = started + Duration::from_secs(4);
    // Slow and idle connections alongside.
    let mut slow = tokio::task::JoinSet::new();
    for i in 0..40 {
        let partial: &'static [u8] = if i % 2 == 0 {
            b""
        } else {
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
        };
        slow.spawn(slow_client(app.addr, partial));
    }
    // 150 sign-ups at once.
    let mut signups = tokio::task::JoinSet::new();
    for i in 0..150 {
        let client = app.client.clone();
        let url = app.url("/api/v1/signup");
        signups.spawn(async move {
            let email = format!("golf{i}@school.be");
            let r = client
                .post(url)
                .json(&json!({ "email": email, "name": format!("Golf {i}"), "password": "een lang wachtwoord", "school": "012345" }))
                .send()
                .await
                .unwrap();
            (email, r.status().as_u16())
        });
    }
    // 20 bookers booking and cancelling until the time is up.
    let mut booking = tokio::task::JoinSet::new();
    for (i, cookie) in bookers.into_iter().enumerate() {
        let client = app.client.clone();
        let base = app.base.clone();
        booking.spawn(async move {
            let mut acknowledged = Vec::new();
            let mut statuses = Vec::new();
            let mut n = 0;
            while Instant::now() < until {
                n += 1;
                let day = 7 + (i + n) % 10;
                let r = client
                    .post(format!("{base}/api/v1/reservations"))
                    .header("cookie", &cookie)
                    .header("origin", &base)
                    .json(&json!({
                        "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
                        "pickup_date": format!("2026-12-{day:02}"),
                        "return_date": format!("2026-12-{:02}", day + 3),
                        "quantity": 1
                    }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                statuses.push(status);
                if status == 201 {
                    let body: serde_json::Value = r.json().await.unwrap();
                    let id = body["id"].as_i64().unwrap();
                    acknowledged.push(id);
                    let c = client
                        .post(format!("{base}/api/v1/reservations/{id}/cancel"))
                        .header("cookie", &cookie)
                        .header("origin", &base)
                        .send()
                        .await
                        .unwrap();
                    statuses.push(c.status().as_u16());
                }
            }
            (acknowledged, statuses)
        });
    }
    let mut accepted = HashSet::new();
    let mut signup_statuses = Vec::new();
    while let Some(r) = signups.join_next().await {
        let (email, status) = r.unwrap();
        signup_statuses.push(status);
        if status == 202 {
            accepted.insert(email);
        }
    }
    let mut booked = Vec::new();
    let mut booking_statuses = Vec::new();
    while let Some(r) = booking.join_next().await {
        let (ids, statuses) = r.unwrap();
        booked.extend(ids);
        booking_statuses.extend(statuses);
    }
    let clean = |s: &u16| matches!(*s, 200 | 201 | 202 | 204 | 409 | 422 | 429 | 503);
    assert!(
        signup_statuses.iter().all(clean),
        "sign-ups answered {signup_statuses:?}"
    );
    assert!(
        booking_statuses.iter().all(clean),
        "bookings answered {booking_statuses:?}"
    );
    assert!(
        accepted.len() >= 140,
        "nearly all sign-ups go through: {} of 150 ({signup_statuses:?})",
        accepted.len()
    );
    assert!(!booked.is_empty(), "bookings went through during the burst");
    // Every acknowledged write is there.
    let users: HashSet<String> =
        sqlx::query_scalar("SELECT email FROM users WHERE email LIKE 'golf%'")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert!(accepted.is_subset(&users));
    for id in &booked {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged reservation {id} is stored");
    }
    writes_within_a_second(&app).await;
    schema::check_integrity(&app.state.db).await;
    // The slow and idle connections were closed by the header timeout, not kept forever.
    while let Some(r) = slow.join_next().await {
        let held = r.unwrap();
        assert!(
            held < Duration::from_secs(6),
            "a slow connection was held {held:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_connections_are_closed_and_capped() {
    let app = TestApp::spawn_configured(|c| {
        c.header_timeout_secs = 1;
        c.max_connections = 8;
    })
    .await;
    // Eight idle sockets take every slot…
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(app.addr).await.unwrap());
    }
    // …a ninth client still gets an answer once the idle ones are closed (not never).
    let started = Instant::now();
    let r = tokio::time::timeout(Duration::from_secs(10), app.get("/healthz"))
        .await
        .expect("answered while idle sockets held every slot");
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    // An idle kept-alive connection is closed too.
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the idle kept-alive connection was closed");
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Sends `count` logins for `email` at once; the one at `right` (if any) has the right
/// password. Returns the statuses.
async fn login_burst(app: &TestApp, email: &str, count: usize, right: Option<usize>) -> Vec<u16> {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..count {
        let client = app.client.clone();
        let url = app.url("/api/v1/session");
        let email = email.to_owned();
        let password = if Some(i) == right {
            DEMO_PASSWORD
        } else {
            "fout-wachtwoord"
        };
        set.spawn(async move {
            client
                .post(url)
                .json(&json!({ "email": email, "password": password }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = set.join_next().await {
        statuses.push(s.unwrap());
    }
    assert!(
        statuses.iter().all(|s| matches!(s, 204 | 401 | 429)),
        "{statuses:?}"
    );
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_sent_at_once_are_throttled_like_one_by_one() {
    let app = TestApp::spawn().await;
    let email = "leerkracht@demo.leenpunt.be";
    let statuses = login_burst(&app, email, 40, None).await;
    let checked = statuses.iter().filter(|s| **s != 429).count();
    assert_eq!(
        checked, 10,
        "exactly ten passwords are checked: {statuses:?}"
    );
    // Even the right password now waits out the window.
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_right_password_in_a_burst_forgives_only_the_failures_before_it() {
    let app = TestApp::spawn().await;
    // One by one, a success at place k (k <= 10) clears the k-1 failures before it and
    // ten more may follow: at most 9 + 1 + 10 checked. (The test before this one expected
    // at most ten with the right password in the burst, and failed on CI when it came early.)
    for round in 0..3 {
        let email = "trainer@demo.leenpunt.be";
        let statuses = login_burst(&app, email, 40, Some(39 - round)).await;
        let wrong = statuses.iter().filter(|s| **s == 401).count();
        let right = statuses.iter().filter(|s| **s == 204).count();
        assert!(right <= 1, "{statuses:?}");
        assert!(
            wrong <= 19 && (right == 1 || wrong == 10),
            "checked like one by one: {statuses:?}"
        );
        if right == 1 {
            // The failures counted after the success still count: ten more at most.
            let after = login_burst(&app, email, 20, None).await;
            let more = after.iter().filter(|s| **s == 401).count();
            assert!(wrong + more <= 19, "{statuses:?} then {after:?}");
        }
        // Start the next round with a clean slate (the window is 15 minutes).
        app.clock
            .set(app.clock.now() + chrono::Duration::minutes(16));
    }
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Without trusted proxies a forged X-Forwarded-For changes nothing: the 51st failure
    // from this socket is throttled whatever the header says.
    let app = TestApp::spawn().await;
    for i in 0..50 {
        let r = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .json(
                &json!({ "email": format!("niemand{i}@school.be"), "password": "fout-wachtwoord" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", "198.51.100.200")
        .json(&json!({ "email": "nog-iemand@school.be", "password": "fout-wachtwoord" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);

    // Behind a trusted proxy, 50 failures from made-up client addresses lock out those
    // addresses only: another client signs in.
    let app = TestApp::spawn_configured(|c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    for i in 0..50 {
        let r = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", "203.0.113.66")
            .json(
                &json!({ "email": format!("niemand{i}@school.be"), "password": "fout-wachtwoord" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let blocked = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", "203.0.113.66")
        .json(&json!({ "email": "leerkracht@demo.leenpunt.be", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 429, "the failing client is throttled");
    let other = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", "6.6.6.6, 192.0.2.10")
        .json(&json!({ "email": "leerkracht@demo.leenpunt.be", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        204,
        "another client behind the proxy signs in"
    );
}

#[tokio::test]
async fn mail_sending_endpoints_are_throttled_per_address() {
    let app = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let r = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({ "email": "leerkracht@demo.leenpunt.be" }))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        3,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| matches!(s, 202 | 429)));
    let problem: serde_json::Value = app
        .client
        .post(app.url("/api/v1/password-reset"))
        .json(&json!({ "email": "leerkracht@demo.leenpunt.be" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(problem["type"], "/problems/too-many-mails");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE to_addr = 'leerkracht@demo.leenpunt.be'"
        )
        .await,
        3
    );
    // The same limit for an address without an account: the answers do not tell them apart.
    let mut unknown = Vec::new();
    for _ in 0..5 {
        let r = app
            .client
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({ "email": "niemand@school.be" }))
            .send()
            .await
            .unwrap();
        unknown.push(r.status().as_u16());
    }
    assert_eq!(unknown, [202, 202, 202, 429, 429]);
    // Sign-up mails carry nothing the requester typed.
    let r = app
        .client
        .post(app.url("/api/v1/signup"))
        .json(&json!({ "email": "doelwit@school.be", "name": "Win een prijs op evil.example", "password": "een lang wachtwoord", "school": "012345" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE to_addr = 'doelwit@school.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(!body.contains("evil.example"), "{body}");
}

#[tokio::test]
async fn granting_qualifications_reveals_no_accounts_to_others() {
    let app = TestApp::spawn().await;
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    for email in ["ambassadeur@demo.leenpunt.be", "bestaat-niet@school.be"] {
        let r = app
            .post_json(
                &teacher,
                "/api/v1/qualifications",
                &json!({ "email": email, "training": "bee-bot-in-de-klas", "reason": "elders gevolgd" }),
            )
            .await;
        assert_eq!(r.status(), 403, "{email}");
    }
}

#[tokio::test]
async fn signing_in_again_ends_the_browsers_previous_session() {
    let app = TestApp::spawn().await;
    let first = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .header("cookie", &first)
        .json(&json!({ "email": "leerkracht@demo.leenpunt.be", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get_as(&first, "/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn state_changes_from_another_scheme_are_refused() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let https_origin = app.base.replace("http://", "https://");
    let r = app
        .client
        .delete(app.url("/api/v1/sessions"))
        .header("cookie", &cookie)
        .header("origin", https_origin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(app.get_as(&cookie, "/api/v1/me").await.status(), 200);
}

/// The newer write paths (access tokens, erasure requests, the reminders choice) under a
/// burst in which half the clients hang up: every answer is a success or a clean refusal,
/// the writer stays free, an erasure request is made at most once (with its audit row and
/// its mails to the admins), and every path works afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tokens_erasure_requests_and_reminders_hold_under_a_burst_with_hang_ups() {
    const TEACHER: &str = "leerkracht@demo.leenpunt.be";
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let outbox_before = count(&app, "SELECT count(*) FROM outbox").await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..150u64 {
        // Every other client hangs up after 1–60 ms; the rest wait for the answer.
        let timeout = if i % 2 == 0 {
            Duration::from_millis(1 + (i * 7) % 60)
        } else {
            Duration::from_secs(60)
        };
        let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
        let request = match i % 3 {
            0 => client
                .post(app.url("/api/v1/me/tokens"))
                .json(&json!({ "name": format!("burst {i}"), "scope": "read" })),
            1 => client
                .post(app.url("/api/v1/me/erasure-request"))
                .json(&json!({})),
            _ => client
                .put(app.url("/api/v1/me/reminders"))
                .json(&json!({ "on": i % 4 == 0 })),
        };
        let request = request
            .header("cookie", cookie.clone())
            .header("origin", app.url(""));
        set.spawn(async move {
            let waited = i % 2 == 1;
            (
                waited,
                i % 3,
                request.send().await.map(|r| r.status().as_u16()),
            )
        });
    }
    let mut tokens_made = 0;
    while let Some(done) = set.join_next().await {
        let (waited, kind, answer) = done.unwrap();
        match answer {
            Ok(status) => {
                assert!(
                    matches!(status, 200 | 201 | 202 | 204 | 409 | 429 | 503),
                    "kind {kind}: {status}"
                );
                if kind == 0 && status == 201 {
                    tokens_made += 1;
                }
            }
            Err(e) => assert!(!waited, "a waiting client got no answer: {e}"),
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    writes_within_a_second(&app).await;

    let user = "(SELECT id FROM users WHERE email = 'leerkracht@demo.leenpunt.be')";
    let requests = count(
        &app,
        &format!("SELECT count(*) FROM erasure_requests WHERE user_id = {user}"),
    )
    .await;
    assert!(requests <= 1, "{requests} erasure requests");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'privacy.erasure-request'"
        )
        .await,
        requests,
        "one audit row per request, none without it"
    );
    let admins = app.state.db.admin_recipients().await.unwrap().len() as i64;
    assert!(admins > 0);
    assert_eq!(
        count(&app, "SELECT count(*) FROM outbox").await - outbox_before,
        requests * admins,
        "the admins are told once per request, and nothing else is sent"
    );
    let tokens = count(
        &app,
        &format!("SELECT count(*) FROM access_tokens WHERE user_id = {user}"),
    )
    .await;
    assert!(
        tokens >= tokens_made && tokens <= 50,
        "{tokens} tokens stored, {tokens_made} acknowledged"
    );
    schema::check_integrity(&app.state.db).await;

    // Every path works afterwards.
    let made = app
        .post_json(
            &cookie,
            "/api/v1/me/tokens",
            &json!({ "name": "na de drukte", "scope": "read" }),
        )
        .await;
    assert_eq!(made.status(), 201);
    let secret = made.json::<serde_json::Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the new token works");
    let asked = app
        .post_json(&cookie, "/api/v1/me/erasure-request", &json!({}))
        .await;
    assert_eq!(asked.status(), 202);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM erasure_requests WHERE user_id = {user}"),
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sync_reads_with_hang_ups_answers_no_500_and_stays_consistent() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let made = app
        .post_json(
            &admin,
            "/api/v1/me/tokens",
            &json!({ "name": "sync", "scope": "read" }),
        )
        .await;
    assert_eq!(made.status(), 201);
    let secret = made.json::<serde_json::Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let paths = [
        "/api/v1/sync/people?limit=3",
        "/api/v1/sync/kit-types?limit=5",
        "/api/v1/sync/reservations?limit=4",
        "/api/v1/sync/units?limit=7",
        "/api/v1/sync/schools?limit=2",
    ];
    let mut set = tokio::task::JoinSet::new();
    for i in 0..150u64 {
        // Every other client hangs up after 1–60 ms; the rest wait for the answer.
        let timeout = if i % 2 == 0 {
            Duration::from_millis(1 + (i * 7) % 60)
        } else {
            Duration::from_secs(60)
        };
        let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
        let request = client
            .get(app.url(paths[i as usize % paths.len()]))
            .bearer_auth(&secret);
        set.spawn(async move {
            (
                i % 2 == 1,
                request.send().await.map(|r| r.status().as_u16()),
            )
        });
        if i % 30 == 0 {
            // People change while the reads run.
            sqlx::query(
                "UPDATE users SET name = name || '.' WHERE email = 'leerkracht@demo.leenpunt.be'",
            )
            .execute(app.state.db.writer())
            .await
            .unwrap();
        }
    }
    while let Some(done) = set.join_next().await {
        let (waited, answer) = done.unwrap();
        match answer {
            Ok(status) => assert!(matches!(status, 200 | 429 | 503), "{status}"),
            Err(e) => assert!(!waited, "a waiting client got no answer: {e}"),
        }
    }
    writes_within_a_second(&app).await;
    // Afterwards a full pass sees everyone exactly once.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: serde_json::Value = app
            .client
            .get(app.url(&format!("/api/v1/sync/people?limit=2{cursor}")))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    let everyone = count(&app, "SELECT count(*) FROM users").await as usize;
    assert_eq!(seen.len(), everyone);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), everyone);
}

/// Pages keep rendering while other apps in the same process start and list their pages.
/// Listing the page routes runs the app with data loading switched off for the whole
/// process for a moment (leptos-rs/leptos#4773); a page whose data began loading in that
/// moment used to wait for the 30-second request timeout and answer 503. The routes are
/// now listed once per process, before any app serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_render_while_other_apps_start_and_list_their_pages() {
    let app = TestApp::spawn().await;
    let starting = tokio::spawn(async {
        for _ in 0..3 {
            drop(TestApp::spawn().await);
        }
    });
    let listing = tokio::task::spawn_blocking(|| {
        for _ in 0..40 {
            assert!(!leenpunt_server::http::pages::page_paths().is_empty());
        }
    });
    let mut set = tokio::task::JoinSet::new();
    for i in 0..90 {
        let path = ["/", "/catalogus", "/catalogus/bee-bot-set-klein"][i % 3];
        let request = app.client.get(app.url(path));
        set.spawn(async move {
            let answer = tokio::time::timeout(Duration::from_secs(15), request.send()).await;
            (
                path,
                answer
                    .ok()
                    .and_then(|r| r.ok())
                    .map(|r| r.status().as_u16()),
            )
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for (path, answer) in set.join_all().await {
        assert_eq!(answer, Some(200), "{path} answered in time");
    }
    listing.await.unwrap();
    starting.await.unwrap();
}

/// A desk's offline queue coming back on a stuttering network: its two scans are replayed
/// 150 times at once, a third of the requests hung up on mid-way. Each scan is recorded
/// once and the reservation gets one receipt; every answer is the scan's first answer or
/// a clean 503 to retry, never a 500 and never "someone else has this key".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keyed_desk_scans_replayed_in_a_burst_with_hang_ups_are_recorded_once() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.teacher("juf@school.be", "126763", &hash).await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-02", "return_date": "2026-12-09", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let codes = [
        app.label_code("BB-K-01").await,
        app.label_code("BB-K-02").await,
    ];
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app
        .login("ambassadeur@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let path = format!("/api/v1/reservations/{id}/handover");
    let scan = |i: usize| {
        app.client
            .post(app.url(&path))
            .header("cookie", desk.clone())
            .header("origin", app.base.clone())
            .header("idempotency-key", format!("scan-{}", i % 2))
            .json(&json!({ "code": codes[i % 2] }))
    };

    let mut set = tokio::task::JoinSet::new();
    for i in 0..150 {
        let request = scan(i);
        set.spawn(async move {
            if i % 3 == 0 {
                // Hung up on after a few milliseconds, wherever the server was.
                let wait = Duration::from_millis((i % 20) as u64);
                let _ = tokio::time::timeout(wait, request.send()).await;
                return None;
            }
            let answer = request.send().await.expect("answered");
            let status = answer.status().as_u16();
            Some((i % 2, status, answer.text().await.unwrap()))
        });
    }
    let mut firsts: [Option<String>; 2] = [None, None];
    for (scan, status, body) in set.join_all().await.into_iter().flatten() {
        match status {
            200 => {
                let outcome: serde_json::Value = serde_json::from_str(&body).unwrap();
                let outcome = outcome.to_string();
                let first = firsts[scan].get_or_insert(outcome.clone());
                assert_eq!(*first, outcome, "a replay answers the scan's first answer");
            }
            503 => {}
            other => panic!("scan {scan}: {other} {body}"),
        }
    }
    // The queue replays what it has not seen answered; the answers are the first ones.
    for (i, first) in firsts.iter().enumerate() {
        let answer = scan(i).send().await.unwrap();
        assert_eq!(answer.status(), 200);
        let outcome = answer
            .json::<serde_json::Value>()
            .await
            .unwrap()
            .to_string();
        if let Some(first) = first {
            assert_eq!(*first, outcome);
        }
        assert!(outcome.contains("\"already\":false"), "{outcome}");
    }
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 2);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'unit.handover'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE to_addr = 'juf@school.be' \
             AND subject LIKE 'Ontvangstbewijs%'"
        )
        .await,
        1,
        "one receipt"
    );
    writes_within_a_second(&app).await;
}

#[tokio::test]
async fn a_login_forgives_the_failures_before_it_not_those_alongside() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let email = "leerkracht@demo.leenpunt.be";
    let (since, now) = ("2000-01-01T00:00:00+00:00", "2026-12-01T08:00:00+00:00");
    let before = db
        .reserve_login_attempt(email, "c", since, now)
        .await
        .unwrap()
        .unwrap();
    let right = db
        .reserve_login_attempt(email, "c", since, now)
        .await
        .unwrap()
        .unwrap();
    // A wrong password counted while the right one is still being verified.
    let alongside = db
        .reserve_login_attempt(email, "c", since, now)
        .await
        .unwrap()
        .unwrap();
    assert!(before < right && right < alongside);
    let record = leenpunt_shared::Email::parse(email).unwrap();
    let user = db.login_record(&record).await.unwrap().unwrap().id;
    db.start_session(user, &record, right, "hash-of-a-session", None, now)
        .await
        .unwrap();
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM login_failures WHERE email = $1")
        .bind(email)
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert_eq!(left, vec![alongside]);
}
