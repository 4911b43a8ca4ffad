//! Every stored value is inert in every HTML context (issue 12): hostile strings go into
//! every text field a user can set (through the API, the management forms and, for the
//! rest, straight into the database as an import or an older version could have left
//! them), then every server-rendered page is fetched as every role and must show them as
//! text: no raw tag from a stored value, nothing inside `<title>` or `<textarea>` but
//! text, no `javascript:` link, nothing escaped twice.
//!
//! Each field gets its own marker `⟦table.column⟧`, so a failure names the field and the
//! page.

use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";

/// What an attacker would store: it closes `<title>` and `<textarea>`, breaks out of a
/// double-quoted attribute, runs a script and redirects with a meta refresh. Short enough
/// for the 200-character columns.
fn hostile(field: &str) -> String {
    format!(
        "⟦{field}⟧</title></textarea><script>x</script>\
         <meta http-equiv=\"refresh\" content=\"0;url=/x\">\"><img src=x onerror=alert(1)>"
    )
}

/// A URL an attacker would store where a link or image source is built from it.
fn hostile_url(field: &str) -> String {
    format!("javascript:alert('⟦{field}⟧')")
}

/// Raw (unescaped) pieces of the hostile strings: none may ever reach a page.
const RAW: &[&str] = &[
    "⟧<",
    "<script>x",
    "<meta http-equiv=\"refresh\"",
    "<img src=x onerror",
];

/// The stored free-text columns set straight in the database (after the API and form
/// steps below have created the rows they live in), with the URL columns apart.
const TEXT_COLUMNS: &[(&str, &str)] = &[
    ("partners", "name"),
    ("partners", "description"),
    ("partners", "email"),
    ("partners", "phone"),
    ("pickup_points", "street"),
    ("pickup_points", "postcode"),
    ("pickup_points", "municipality"),
    ("training_types", "title"),
    ("training_types", "description"),
    ("kit_parts", "name"),
    ("kit_photos", "alt"),
    ("schools", "name"),
    ("schools", "street"),
    ("schools", "postcode"),
    ("schools", "municipality"),
    ("users", "name"),
    ("reservations", "reason"),
    ("qualifications", "reason"),
    ("qualifications", "revoke_reason"),
    ("loan_lines", "override_reason"),
    ("maintenance_tickets", "note"),
];
const URL_COLUMNS: &[(&str, &str)] = &[
    ("partners", "website"),
    ("kit_types", "external_url"),
    ("kit_photos", "url"),
];

/// Fields that are stored but shown on no page (so the marker is expected nowhere).
const NOT_SHOWN: &[&str] = &[
    // Kept for the record and the API; no page shows them.
    "training_types.description",
    "qualifications.reason",
    // The sign-up mail no longer repeats the name typed at sign-up, and the stored name is
    // overwritten by the `users.name` marker below (which pages do show).
    "signup.name",
];

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

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD).await.unwrap()
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// A kit type's fields as the export writes them (what the edit API takes).
async fn kit_fields(app: &TestApp, slug: &str) -> serde_json::Map<String, serde_json::Value> {
    let rows = app.state.db.export_catalogue().await.unwrap();
    let row = rows.into_iter().find(|r| r[0] == slug).unwrap();
    leenpunt_server::domain::import::CATALOGUE_COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| ((*c).to_owned(), serde_json::Value::String(v)))
        .collect()
}

/// Stores hostile values through the ways users store them: the kit edit API, the
/// register forms, a booking, hand-over and return, sign-up, closed days and sessions.
/// Returns the drafts (`?concept=` pages) the refused forms came back with.
async fn store_through_the_api(app: &TestApp) -> Vec<String> {
    let admin = login(app, ADMIN).await;
    let partner_admin = login(app, PARTNER_ADMIN).await;

    // Kit text through the edit API (it is audited, so the audit log gets it too).
    let mut f = kit_fields(app, BEE_BOT).await;
    for field in ["title", "summary", "description"] {
        f.insert(field.into(), json!(hostile(&format!("kit_types.{field}"))));
    }
    let r = app
        .put_json(&admin, &format!("/api/v1/admin/kits/{BEE_BOT}"), &json!(f))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // A `javascript:` link is refused at input.
    let mut f = kit_fields(app, BEE_BOT).await;
    f.insert("external_url".into(), json!("javascript:alert(1)"));
    let r = app
        .put_json(&admin, &format!("/api/v1/admin/kits/{BEE_BOT}"), &json!(f))
        .await;
    assert_eq!(r.status(), 422, "javascript: external_url refused");

    // A pickup point's name and opening hours through the register form.
    let name = hostile("pickup_points.name");
    let hours = hostile("pickup_points.opening_hours");
    let point = [
        ("slug", "mos-brugge"),
        ("partner", "mos"),
        ("name", name.as_str()),
        ("street", "Markt 1"),
        ("postcode", "8000"),
        ("municipality", "Brugge"),
        ("opening_hours", hours.as_str()),
    ];
    let saved = post_form(
        app,
        &partner_admin,
        "/beheer/register/afhaalpunten/mos-brugge",
        &point,
    )
    .await;
    assert!(saved.contains("ok="), "{saved}");

    // A booking with a note (its confirmation mail carries the kit title), one later.
    let teacher = login(app, TEACHER).await;
    let mut ids = Vec::new();
    for (pickup, ret) in [("2026-12-02", "2026-12-09"), ("2026-12-16", "2026-12-18")] {
        let r = app
            .post_json(
                &teacher,
                "/api/v1/reservations",
                &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": pickup,
                         "return_date": ret, "quantity": 1, "note": hostile("reservations.note") }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let r: leenpunt_shared::Reservation = r.json().await.unwrap();
        ids.push(r.id.0);
    }

    // A cart sent as one request (the desk's request pages show its lines and note).
    for kit in ["proefjeskoffer-elektriciteit", "ontdekkoffer-magnetisme"] {
        let r = app
            .post_json(
                &teacher,
                "/api/v1/cart/lines",
                &json!({ "kit": kit, "pickup_point": "stem-rtc-brugge", "quantity": 1,
                         "pickup_date": "2026-12-14", "return_date": "2026-12-15" }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = app
        .post_json(
            &teacher,
            "/api/v1/cart/submit",
            &json!({ "note": hostile("reservations.note") }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    // A sign-up with a hostile name (stored as the account's name).
    let r = app
        .client
        .post(app.url("/api/v1/signup"))
        .json(
            &json!({ "email": "nieuw@school.be", "name": hostile("signup.name"),
                       "password": "een-lang-wachtwoord", "school": "012345" }),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "sign-up: {}", r.status());

    // A closed day and a training session.
    let r = app
        .post_json(
            &admin,
            "/api/v1/closed-days",
            &json!({ "pickup_point": null, "first_day": "2026-12-23",
                     "reason": hostile("closed_periods.reason") }),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let r = app
        .post_json(
            &admin,
            "/api/v1/training-sessions",
            &json!({ "training": "bee-bot-in-de-klas", "day": "2026-12-10", "start_time": "14:00",
                     "end_time": "16:30", "place": hostile("training_sessions.place"),
                     "capacity": "10", "trainers": [TRAINER] }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    // Hand the first booking over and take it back with a part missing and a damage note.
    app.set_time("2026-12-02T09:00:00Z");
    let desk = login(app, DESK).await;
    let code = app.label_code("BB-K-01").await;
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/handover", ids[0]),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .post_json(
            &desk,
            "/api/v1/returns",
            &json!({ "code": code, "parts": [{ "name": "Bee-Bot robot", "counted": 5 }],
                     "damage": hostile("loan_lines.damage_note") }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // The refused forms last, on the day their drafts are looked at: a draft is kept for
    // half an hour of the application's clock.
    let admin = login(app, ADMIN).await;
    let partner_admin = login(app, PARTNER_ADMIN).await;
    // A partner's website must be a web link; the refused form comes back as a draft
    // holding what was typed (hostile text in a textarea).
    let description = hostile("draft.partners.description");
    let mut refused = String::new();
    for website in ["https://mos.example/klas", "javascript:alert(1)"] {
        let form = [
            ("slug", "mos"),
            ("name", "MOS"),
            ("description", description.as_str()),
            ("website", website),
        ];
        let back = post_form(app, &partner_admin, "/beheer/register/partners/mos", &form).await;
        if website.starts_with("https:") {
            assert!(back.contains("ok="), "a web link is accepted: {back}");
        } else {
            assert!(
                back.contains("concept="),
                "javascript: website refused: {back}"
            );
            refused = back;
        }
    }
    let website: String = sqlx::query_scalar("SELECT website FROM partners WHERE slug = 'mos'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(website, "https://mos.example/klas");
    // A school name that does not validate, kept in a draft.
    let school = hostile("draft.schools.name");
    let draft_school = post_form(
        app,
        &admin,
        "/beheer/register/scholen",
        &[
            ("instellingsnummer", "12a456"),
            ("name", school.as_str()),
            ("network", "katholiek"),
        ],
    )
    .await;
    assert!(draft_school.contains("concept="), "{draft_school}");
    vec![refused, draft_school]
}

/// Overwrites every other stored text column with its marker.
async fn store_in_the_database(app: &TestApp) {
    let pool = app.state.db.writer();
    for (table, column) in TEXT_COLUMNS {
        sqlx::query(&format!("UPDATE {table} SET {column} = $1"))
            .bind(hostile(&format!("{table}.{column}")))
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
    }
    for (table, column) in URL_COLUMNS {
        sqlx::query(&format!("UPDATE {table} SET {column} = $1"))
            .bind(hostile_url(&format!("{table}.{column}")))
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
    }
    // Revoke the demo teacher's qualification so the revoke reason is shown somewhere.
    sqlx::query("UPDATE qualifications SET revoked_at = '2026-12-01T09:00:00+00:00' WHERE id = (SELECT max(id) FROM qualifications)")
        .execute(pool)
        .await
        .unwrap();
}

/// Every page to render: each route of the router with its parameters filled in from the
/// stored data (a few of each), plus the pages that are not Leptos routes.
async fn pages(app: &TestApp, drafts: &[String]) -> Vec<String> {
    let few = |sql: &str| format!("{sql} LIMIT 3");
    let kits = strings(
        app,
        &few(&format!(
            "SELECT slug FROM kit_types ORDER BY slug = '{BEE_BOT}' DESC, id"
        )),
    )
    .await;
    let reservations = strings(app, "SELECT CAST(id AS TEXT) FROM reservations").await;
    let requests = strings(app, "SELECT CAST(id AS TEXT) FROM requests").await;
    let codes = strings(app, "SELECT t.code FROM unit_tags t JOIN units u ON u.id = t.unit_id \
        JOIN kit_types k ON k.id = u.kit_type_id WHERE t.retired_at IS NULL AND k.slug = 'bee-bot-set-klein' LIMIT 2").await;
    let units = strings(
        app,
        "SELECT CAST(u.id AS TEXT) FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
        WHERE k.slug = 'bee-bot-set-klein' \
        ORDER BY EXISTS (SELECT 1 FROM maintenance_tickets m WHERE m.unit_id = u.id) DESC, u.id LIMIT 2",
    )
    .await;
    let sessions = strings(
        app,
        &few("SELECT CAST(id AS TEXT) FROM training_sessions ORDER BY id DESC"),
    )
    .await;
    let mut out = Vec::new();
    for route in leenpunt_server::http::pages::page_paths() {
        let filled: Vec<String> = match route.as_str() {
            "/catalogus/{slug}" | "/beheer/materiaal/{slug}" => {
                kits.iter().map(|s| route.replace("{slug}", s)).collect()
            }
            "/wachtwoord/{token}" | "/uitnodiging/{token}" => {
                vec![route.replace("{token}", "onbekend")]
            }
            "/balie/uitgifte/{id}" => reservations
                .iter()
                .map(|s| route.replace("{id}", s))
                .collect(),
            "/balie/aanvraag/{id}" | "/balie/aanvraag/{id}/inname" => {
                requests.iter().map(|s| route.replace("{id}", s)).collect()
            }
            "/balie/inname/{code}" => codes.iter().map(|s| route.replace("{code}", s)).collect(),
            "/balie/exemplaren/{id}" => units.iter().map(|s| route.replace("{id}", s)).collect(),
            "/opleidingen/sessies/{id}" => {
                sessions.iter().map(|s| route.replace("{id}", s)).collect()
            }
            "/beheer/register/{kind}" => ["scholen", "partners", "afhaalpunten"]
                .iter()
                .map(|k| route.replace("{kind}", k))
                .collect(),
            "/beheer/register/{kind}/{key}" => {
                let mut v = vec![
                    "/beheer/register/scholen/012345".to_owned(),
                    "/beheer/register/partners/mos".to_owned(),
                    "/beheer/register/partners/stem-rtc".to_owned(),
                    "/beheer/register/afhaalpunten/mos-brugge".to_owned(),
                    "/beheer/register/afhaalpunten/stem-rtc-brugge".to_owned(),
                ];
                v.extend(drafts.iter().cloned());
                v
            }
            r if r.contains('{') || r.contains('*') => {
                panic!("no parameters for the new page {r}: add them here")
            }
            r => vec![r.to_owned()],
        };
        assert!(!filled.is_empty(), "nothing stored to show on {route}");
        out.extend(filled);
    }
    out.extend(
        [
            "/catalogus?q=bee",
            "/catalogus?q=%E2%9F%A6",
            "/balie?status=alle",
            "/balie/agenda?view=maand",
            "/balie/agenda?punt=stem-rtc-brugge&datum=2026-12-02",
            "/beheer/gebruikers?q=demo",
            "/opleidingen?opleiding=bee-bot-in-de-klas",
            "/bestaat-niet",
            "/beheer/labels/blad?layout=small&kit=bee-bot-set-klein",
            "/beheer/labels/blad?layout=large&kit=bee-bot-set-klein",
        ]
        .map(str::to_owned),
    );
    for unit in &units {
        out.push(format!("/beheer/labels/blad?layout=large&unit={unit}"));
    }
    out
}

/// The marker nearest before `at`: which field a raw piece came from.
fn field_before(html: &str, at: usize) -> &str {
    let start = html[..at]
        .rfind('⟦')
        .map(|i| i + '⟦'.len_utf8())
        .unwrap_or(0);
    let end = html[start..].find('⟧').map(|i| start + i).unwrap_or(start);
    &html[start..end]
}

/// The contents of every `<tag …>…</tag>` element.
fn contents<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let body = &after[gt + 1..];
        let end = body.find(&close).unwrap_or(body.len());
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// Decodes the character references an attribute value may hide a scheme behind.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match name {
                    "amp" => Some('&' as u32),
                    "colon" => Some(':' as u32),
                    "quot" => Some('"' as u32),
                    "lt" => Some('<' as u32),
                    "gt" => Some('>' as u32),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whatever is wrong with one page, as messages naming the field.
fn problems(page: &str, html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in RAW {
        for (at, _) in html.match_indices(raw) {
            out.push(format!(
                "{page}: raw `{raw}` from ⟦{}⟧",
                field_before(html, at)
            ));
        }
    }
    for (at, _) in html.match_indices("&amp;lt;") {
        out.push(format!(
            "{page}: escaped twice, from ⟦{}⟧",
            field_before(html, at)
        ));
    }
    // The document's own title is in the head; a chart's SVG `<title>` (its accessible
    // name) is in the body and must hold text only.
    let (head, body) = html.split_at(html.find("</head>").unwrap_or(0));
    let titles = contents(head, "title");
    if html.contains("<html") && titles.len() != 1 {
        out.push(format!("{page}: {} <title> elements", titles.len()));
    }
    for title in titles {
        if title.contains('<') || !title.ends_with("Leenpunt") {
            out.push(format!(
                "{page}: <title> holds markup or is cut short: {title}"
            ));
        }
    }
    for title in contents(body, "title") {
        if title.contains('<') {
            out.push(format!("{page}: an SVG <title> holds markup: {title}"));
        }
    }
    for area in contents(html, "textarea") {
        if area.contains('<') {
            out.push(format!("{page}: <textarea> holds markup: {area}"));
        }
    }
    for attr in [" href=\"", " src=\"", " action=\"", " formaction=\""] {
        for (at, _) in html.match_indices(attr) {
            let value = &html[at + attr.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let url: String = decode(value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if ["javascript:", "data:", "vbscript:"]
                .iter()
                .any(|s| url.starts_with(s))
            {
                out.push(format!(
                    "{page}: {}{value}\" from ⟦{}⟧",
                    attr.trim(),
                    field_before(value, value.len())
                ));
            }
        }
    }
    out
}

/// The markers shown (escaped) on a page.
fn shown(html: &str) -> BTreeSet<String> {
    html.split('⟦')
        .skip(1)
        .filter_map(|s| s.split_once('⟧').map(|(f, _)| f.to_owned()))
        .collect()
}

#[tokio::test]
async fn stored_values_are_inert_on_every_page_for_every_role() {
    let app = TestApp::spawn().await;
    let drafts = store_through_the_api(&app).await;
    store_in_the_database(&app).await;
    // Sessions expire, the clock moved: sign everyone in now.
    let mut roles = vec![("anonymous", None)];
    for (role, email) in [
        ("teacher", TEACHER),
        ("desk", DESK),
        ("trainer", TRAINER),
        ("partner admin", PARTNER_ADMIN),
        ("admin", ADMIN),
    ] {
        roles.push((role, Some(login(&app, email).await)));
    }
    let pages = pages(&app, &drafts).await;
    let mut failures = Vec::new();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut rendered = 0;
    for (role, cookie) in &roles {
        for path in &pages {
            let r = match cookie {
                Some(c) => app.get_as(c, path).await,
                None => app.get(path).await,
            };
            let html_page = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            let status = r.status();
            assert!(!status.is_server_error(), "{path} as {role}: {status}");
            if !html_page {
                continue;
            }
            rendered += 1;
            let html = r.text().await.unwrap();
            let page = format!("{path} as {role} ({status})");
            failures.extend(problems(&page, &html));
            for field in shown(&html) {
                seen.entry(field).or_default().insert(page.clone());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(rendered > 100, "only {rendered} pages rendered");

    // Every field that was set is actually shown somewhere (else the test proves nothing
    // about it), apart from those no page shows.
    let mut expected: BTreeSet<String> = TEXT_COLUMNS
        .iter()
        .chain(URL_COLUMNS)
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    expected.extend(
        [
            "kit_types.title",
            "kit_types.summary",
            "kit_types.description",
            "pickup_points.name",
            "pickup_points.opening_hours",
            "draft.partners.description",
            "draft.schools.name",
            "reservations.note",
            "signup.name",
            "closed_periods.reason",
            "training_sessions.place",
            "loan_lines.damage_note",
        ]
        .map(str::to_owned),
    );
    for field in NOT_SHOWN {
        expected.remove(*field);
    }
    let missing: Vec<&String> = expected.iter().filter(|f| !seen.contains_key(*f)).collect();
    assert!(missing.is_empty(), "set but shown on no page: {missing:?}");
}
