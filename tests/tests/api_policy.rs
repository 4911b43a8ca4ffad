//! Every operation in `/api/openapi.json`, called through a bearer token (write scope) as a
//! role the policy allows (never 401/403) and as every role it does not allow (403 or 404
//! problem+json, and nothing written). The policy table below is keyed by operation id: an
//! operation the document lists without an entry fails the test, so the table cannot drift
//! from the document. The clock starts on Friday 27 November 2026.

use leenpunt_tests::openapi::resolve;
use leenpunt_tests::{schema, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const ROLES: [(&str, &str); 5] = [
    ("teacher", "leerkracht@demo.leenpunt.be"),
    ("desk", "ambassadeur@demo.leenpunt.be"),
    ("trainer", "trainer@demo.leenpunt.be"),
    ("partner_admin", "partnerbeheer@demo.leenpunt.be"),
    ("admin", "beheerder@demo.leenpunt.be"),
];

/// Who may call an operation (with the demo thing `concrete` names).
#[derive(Clone, Copy, Debug)]
enum Allowed {
    /// Every role (public operations, and one's own things: me, cart, feeds, waitlist).
    Everyone,
    /// Only these roles (by name in `ROLES`); the others get 403 or 404.
    Roles(&'static [&'static str]),
    /// Only these roles, but the body or query is validated before the role check: the
    /// others get 400/422 (still nothing written).
    ValidatesFirst(&'static [&'static str]),
    /// Decided per object (owner, partner scope); the demo id in the path names no object
    /// any role sees (404 for all), so only "never 401/403" is checked.
    Object,
    /// Never with a token: signing in and out and making tokens need a browser session (403).
    SessionOnly,
}

use Allowed::*;

/// "METHOD /template" → who may call it. Keyed by method and path, not operation id: the
/// document's operation ids are handler names and not unique (`list`, `create`, …).
fn policy() -> BTreeMap<&'static str, Allowed> {
    POLICY.iter().copied().collect()
}

const POLICY: &[(&str, Allowed)] = &[
    (
        "POST /api/v1/admin/kits",
        ValidatesFirst(&["partner_admin", "admin"]),
    ),
    (
        "PUT /api/v1/admin/kits/{slug}",
        ValidatesFirst(&["partner_admin", "admin"]),
    ),
    ("POST /api/v1/admin/kits/{slug}/photos", Roles(&["admin"])),
    ("GET /api/v1/audit", Roles(&["admin"])),
    ("GET /api/v1/audit/export.csv", Roles(&["admin"])),
    ("DELETE /api/v1/cart", Everyone),
    ("GET /api/v1/cart", Everyone),
    ("PUT /api/v1/cart", Everyone),
    ("POST /api/v1/cart/check", Roles(&["teacher", "admin"])),
    ("POST /api/v1/cart/lines", Everyone),
    ("DELETE /api/v1/cart/lines/{id}", Roles(&["teacher"])),
    ("PUT /api/v1/cart/lines/{id}", Roles(&["teacher"])),
    ("POST /api/v1/cart/submit", Roles(&["teacher", "admin"])),
    ("GET /api/v1/catalogue", Everyone),
    ("GET /api/v1/catalogue/{slug}", Everyone),
    ("GET /api/v1/catalogue/{slug}/availability", Everyone),
    ("GET /api/v1/closed-days", Everyone),
    ("POST /api/v1/closed-days", Roles(&["admin"])),
    ("DELETE /api/v1/closed-days/{id}", Roles(&["admin"])),
    (
        "GET /api/v1/desk/agenda",
        Roles(&["desk", "partner_admin", "admin"]),
    ),
    (
        "GET /api/v1/desk/today",
        Roles(&["desk", "partner_admin", "admin"]),
    ),
    ("GET /api/v1/erasure-requests", Roles(&["admin"])),
    ("POST /api/v1/erasure-requests/{id}/confirm", Object),
    ("POST /api/v1/erasure-requests/{id}/refuse", Object),
    (
        "GET /api/v1/exports/catalogue",
        Roles(&["partner_admin", "admin"]),
    ),
    (
        "GET /api/v1/exports/closed-days",
        Roles(&["partner_admin", "admin"]),
    ),
    ("GET /api/v1/feeds", Everyone),
    ("POST /api/v1/feeds", Everyone),
    ("DELETE /api/v1/feeds/{id}", Roles(&["teacher"])),
    ("POST /api/v1/feeds/{id}/regenerate", Object),
    (
        "POST /api/v1/imports/catalogue",
        Roles(&["partner_admin", "admin"]),
    ),
    (
        "POST /api/v1/imports/closed-days",
        Roles(&["partner_admin", "admin"]),
    ),
    (
        "GET /api/v1/imports/{token}",
        Roles(&["partner_admin", "admin"]),
    ),
    (
        "POST /api/v1/imports/{token}/confirm",
        Roles(&["partner_admin", "admin"]),
    ),
    ("POST /api/v1/invitations", Roles(&["admin"])),
    ("POST /api/v1/invitations/{token}/accept", Everyone),
    ("GET /api/v1/labels", Roles(&["partner_admin", "admin"])),
    (
        "GET /api/v1/labels/sheet",
        Roles(&["partner_admin", "admin"]),
    ),
    ("GET /api/v1/mailbox", Roles(&["admin"])),
    ("GET /api/v1/me", Everyone),
    ("POST /api/v1/me/erasure-request", Everyone),
    ("PUT /api/v1/me/lang", Everyone),
    ("GET /api/v1/me/personal-data", Everyone),
    ("PUT /api/v1/me/reminders", Everyone),
    ("GET /api/v1/me/tokens", Everyone),
    ("POST /api/v1/me/tokens", SessionOnly),
    ("DELETE /api/v1/me/tokens/{id}", Roles(&["teacher"])),
    ("GET /api/v1/overview", Roles(&["partner_admin", "admin"])),
    ("POST /api/v1/password-reset", Everyone),
    ("POST /api/v1/password-reset/{token}", Everyone),
    ("GET /api/v1/qualifications", Everyone),
    ("POST /api/v1/qualifications", Roles(&["admin"])),
    ("POST /api/v1/qualifications/{id}/revoke", Roles(&["admin"])),
    ("GET /api/v1/registers/{kind}", Roles(&["admin"])),
    ("POST /api/v1/registers/{kind}", ValidatesFirst(&["admin"])),
    ("GET /api/v1/registers/{kind}/{key}", Roles(&["admin"])),
    (
        "PUT /api/v1/registers/{kind}/{key}",
        ValidatesFirst(&["admin"]),
    ),
    ("GET /api/v1/reservations", Everyone),
    ("POST /api/v1/reservations", Roles(&["teacher", "admin"])),
    ("GET /api/v1/reservations/{id}", Object),
    ("POST /api/v1/reservations/{id}/accept", Object),
    ("POST /api/v1/reservations/{id}/approve", Object),
    ("POST /api/v1/reservations/{id}/cancel", Object),
    ("POST /api/v1/reservations/{id}/extend", Object),
    ("POST /api/v1/reservations/{id}/handover", Object),
    ("GET /api/v1/reservations/{id}/ics", Object),
    ("POST /api/v1/reservations/{id}/reject", Object),
    ("GET /api/v1/requests/{id}/handover", Object),
    ("POST /api/v1/requests/{id}/handover", Object),
    ("POST /api/v1/requests/{id}/returns", Object),
    ("POST /api/v1/returns", ValidatesFirst(&["desk", "admin"])),
    ("DELETE /api/v1/roles/{id}", Roles(&["admin"])),
    ("GET /api/v1/scan/{code}", Roles(&["desk", "admin"])),
    ("POST /api/v1/school-requests", Everyone),
    ("GET /api/v1/schools", Everyone),
    ("DELETE /api/v1/session", SessionOnly),
    ("POST /api/v1/session", SessionOnly),
    ("DELETE /api/v1/sessions", Everyone),
    ("POST /api/v1/signup", Everyone),
    ("GET /api/v1/stats", Roles(&["partner_admin", "admin"])),
    (
        "GET /api/v1/stats/csv",
        ValidatesFirst(&["partner_admin", "admin"]),
    ),
    ("GET /api/v1/stats/public", Everyone),
    ("GET /api/v1/sync/kit-types", Everyone),
    (
        "GET /api/v1/sync/people",
        Roles(&["partner_admin", "admin"]),
    ),
    (
        "GET /api/v1/sync/reservations",
        Roles(&["desk", "partner_admin", "admin"]),
    ),
    ("GET /api/v1/sync/schools", Everyone),
    (
        "GET /api/v1/sync/units",
        Roles(&["desk", "partner_admin", "admin"]),
    ),
    ("GET /api/v1/tokens", Roles(&["admin"])),
    ("DELETE /api/v1/tokens/{id}", Roles(&["admin"])),
    ("GET /api/v1/training-sessions", Everyone),
    ("POST /api/v1/training-sessions", Roles(&["admin"])),
    ("GET /api/v1/training-sessions/{id}", Everyone),
    (
        "PATCH /api/v1/training-sessions/{id}/attendance",
        Roles(&["admin"]),
    ),
    (
        "PUT /api/v1/training-sessions/{id}/attendance",
        Roles(&["admin"]),
    ),
    (
        "POST /api/v1/training-sessions/{id}/cancel",
        Roles(&["admin"]),
    ),
    (
        "DELETE /api/v1/training-sessions/{id}/registration",
        Everyone,
    ),
    (
        "POST /api/v1/training-sessions/{id}/registration",
        Roles(&["teacher", "admin"]),
    ),
    (
        "GET /api/v1/training-sessions/{id}/roster",
        Roles(&["admin"]),
    ),
    (
        "POST /api/v1/training-sessions/{id}/walk-ins",
        Roles(&["admin"]),
    ),
    ("GET /api/v1/trainings", Everyone),
    ("POST /api/v1/trainings", Roles(&["admin"])),
    ("DELETE /api/v1/trainings/{slug}", Roles(&["admin"])),
    ("PUT /api/v1/trainings/{slug}", Roles(&["admin"])),
    (
        "POST /api/v1/units/{code}/status",
        Roles(&["desk", "admin"]),
    ),
    ("GET /api/v1/units/{id}", Roles(&["desk", "admin"])),
    (
        "POST /api/v1/units/{id}/back-in-service",
        Roles(&["desk", "admin"]),
    ),
    ("GET /api/v1/units/{id}/history", Roles(&["desk", "admin"])),
    ("GET /api/v1/units/{id}/qr.png", Roles(&["desk", "admin"])),
    ("GET /api/v1/units/{id}/qr.svg", Roles(&["desk", "admin"])),
    ("POST /api/v1/units/{id}/retag", Roles(&["admin"])),
    ("GET /api/v1/users", Roles(&["partner_admin", "admin"])),
    ("POST /api/v1/users/{id}/disable", Roles(&["admin"])),
    ("POST /api/v1/users/{id}/enable", Roles(&["admin"])),
    (
        "GET /api/v1/users/{id}/personal-data",
        Roles(&["teacher", "admin"]),
    ),
    ("GET /api/v1/waitlist", Everyone),
    ("POST /api/v1/waitlist", Roles(&["admin", "teacher"])),
    ("POST /api/v1/waitlist/{id}/withdraw", Object),
];

/// Bodies that pass validation, where a schema sample would not (so the policy decides).
const BODIES: &[(&str, &str)] = &[
    (
        "POST /api/v1/cart/lines",
        r#"{"kit":"mos-afvalsorteerkoffer","pickup_point":"mos-brugge","quantity":1}"#,
    ),
    (
        "PUT /api/v1/cart/lines/{id}",
        r#"{"kit":"mos-afvalsorteerkoffer","pickup_point":"mos-brugge","quantity":2}"#,
    ),
    (
        "POST /api/v1/closed-days",
        r#"{"first_day":"2027-03-10","reason":"Studiedag"}"#,
    ),
    (
        "POST /api/v1/invitations",
        r#"{"email":"balie@stem.be","name":"Nieuwe collega","role":"ambassador","partner":"stem-rtc"}"#,
    ),
    (
        "POST /api/v1/trainings",
        r#"{"partner":"stem-rtc","title":"Robotica voor gevorderden","duration_minutes":"120","validity_months":"24"}"#,
    ),
    (
        "PUT /api/v1/trainings/{slug}",
        r#"{"partner":"stem-rtc","title":"Bee-Bot in de klas","duration_minutes":"120","validity_months":"24"}"#,
    ),
    (
        "POST /api/v1/training-sessions",
        r#"{"training":"bee-bot-in-de-klas","day":"2026-12-15","start_time":"14:00","end_time":"16:30","place":"STEM-uitleendienst Brugge","capacity":"10","trainers":["trainer@demo.leenpunt.be"]}"#,
    ),
    (
        "POST /api/v1/waitlist",
        r#"{"kit":"koffer-warmtecamera-energieverlies","pickup_point":"stem-rtc-kortrijk","pickup_date":"2027-01-11","return_date":"2027-01-15","quantity":1}"#,
    ),
    (
        "POST /api/v1/reservations",
        r#"{"kit":"bee-bot-set-klein","pickup_point":"stem-rtc-brugge","pickup_date":"2026-12-07","return_date":"2026-12-11","quantity":1}"#,
    ),
    ("POST /api/v1/returns", r#"{"code":"x","damage":""}"#),
    (
        "POST /api/v1/qualifications/{id}/revoke",
        r#"{"reason":"Vergissing"}"#,
    ),
    (
        "POST /api/v1/qualifications",
        r#"{"email":"leerkracht@demo.leenpunt.be","training":"microbit-programmeren","reason":"Opleiding"}"#,
    ),
    (
        "POST /api/v1/registers/{kind}",
        r#"{"number":"999999","name":"Nieuwe school","street":"Markt 1","postcode":"8000","municipality":"Brugge"}"#,
    ),
    (
        "PUT /api/v1/registers/{kind}/{key}",
        r#"{"number":"012345","name":"School","street":"Markt 1","postcode":"8000","municipality":"Brugge"}"#,
    ),
];

/// A minimal instance of a schema: required fields only, the first enum value, plausible
/// formats. Enough to get past deserialisation so the policy decides.
fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if depth > 6 {
        return Value::Null;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema[key].as_array().and_then(|a| {
            a.iter()
                .find(|s| resolve(doc, s)["type"] != "null")
                .or(a.first())
        }) {
            return sample(doc, first, depth + 1);
        }
    }
    if let Some(e) = schema["enum"].as_array().and_then(|a| a.first()) {
        return e.clone();
    }
    let kind = match &schema["type"] {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_owned(),
        _ if schema.get("properties").is_some() => "object".to_owned(),
        _ => "null".to_owned(),
    };
    match kind.as_str() {
        "object" => {
            let mut out = serde_json::Map::new();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if let Some(props) = schema["properties"].as_object() {
                for (name, prop) in props {
                    if required.contains(&name.as_str()) {
                        out.insert(name.clone(), sample(doc, prop, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        "array" => json!([]),
        "integer" => json!(1),
        "number" => json!(1),
        "boolean" => json!(false),
        "string" => match schema["format"].as_str() {
            Some("date") => json!("2026-12-07"),
            Some("date-time") => json!("2026-12-07T09:00:00Z"),
            Some("email") => json!("iemand@example.be"),
            _ => json!("x"),
        },
        _ => Value::Null,
    }
}

/// A concrete path for a template: demo things where the names say what they are.
fn concrete(template: &str) -> String {
    let slug = if template.starts_with("/api/v1/trainings/") {
        "bee-bot-in-de-klas"
    } else {
        "bee-bot-set-klein"
    };
    template
        .replace("{id}", "1")
        .replace("{slug}", slug)
        .replace("{code}", "BB-K-01")
        .replace("{kind}", "scholen")
        .replace("{key}", "012345")
        .replace("{token}", "x")
}

async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let tables = schema::tables(&app.state.db).await;
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM \"{t}\""))
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

struct Op {
    id: String,
    method: String,
    template: String,
    body: Option<Value>,
}

impl Op {
    fn key(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

async fn call(app: &TestApp, op: &Op, token: &str) -> (u16, Value) {
    let mut request = app
        .client
        .request(op.method.parse().unwrap(), app.url(&concrete(&op.template)))
        .header("authorization", format!("Bearer {token}"));
    if let Some(body) = &op.body {
        request = request.json(body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = r.bytes().await.unwrap();
    let json = if ct.starts_with("application/problem+json") || ct.starts_with("application/json") {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    } else {
        json!({ "content_type": ct })
    };
    (status, json)
}

#[tokio::test]
async fn every_operation_by_token_as_allowed_and_refused_roles() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut tokens = BTreeMap::new();
    for (role, email) in ROLES {
        let cookie = app.login(email, DEMO_PASSWORD).await.unwrap();
        let r = app
            .post_json(
                &cookie,
                "/api/v1/me/tokens",
                &json!({ "name": "policy", "scope": "write", "expires_in_days": 30 }),
            )
            .await;
        assert_eq!(r.status(), 201, "{role} makes a token");
        let made: Value = r.json().await.unwrap();
        tokens.insert(role, made["secret"].as_str().unwrap().to_owned());
    }

    let mut ops = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        if !template.starts_with("/api/") {
            continue;
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let key = format!("{} {template}", method.to_uppercase());
            let body = BODIES
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, b)| serde_json::from_str(b).expect("a JSON body"))
                .or_else(|| {
                    op["requestBody"]["content"]["application/json"]
                        .get("schema")
                        .map(|s| sample(&doc, s, 0))
                });
            ops.push(Op {
                id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                method: method.to_uppercase(),
                template: template.clone(),
                body,
            });
        }
    }

    // Operations that end a token or its owner's access (or role) run last.
    ops.sort_by_key(|o| {
        o.template.contains("/tokens/{id}")
            || o.template.ends_with("/disable")
            || o.template.starts_with("/api/v1/roles/")
    });
    if std::env::var_os("LEENPUNT_POLICY_DISCOVER").is_some() {
        for op in &ops {
            let mut line = format!("{} {} {}:", op.id, op.method, op.template);
            for (role, _) in ROLES {
                let (s, _) = call(&app, op, &tokens[role]).await;
                line.push_str(&format!(" {role}={s}"));
            }
            println!("{line}");
        }
        return;
    }

    let table = policy();
    let missing: Vec<String> = ops
        .iter()
        .filter(|o| !table.contains_key(o.key().as_str()))
        .map(|o| format!("{} ({} {})", o.id, o.method, o.template))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an entry in the policy table: {missing:#?}"
    );
    let stale: Vec<&&str> = table
        .keys()
        .filter(|k| !ops.iter().any(|o| o.key() == **k))
        .collect();
    assert!(
        stale.is_empty(),
        "policy entries for no operation: {stale:?}"
    );

    let mut failures = Vec::new();
    // First every refused call (each must write nothing), then the allowed ones.
    for op in &ops {
        let (refused, statuses): (Vec<&str>, &[u16]) = match table[op.key().as_str()] {
            Everyone | Object => (vec![], &[]),
            SessionOnly => (ROLES.iter().map(|(r, _)| *r).collect(), &[403]),
            Roles(allowed) => (
                ROLES
                    .iter()
                    .map(|(r, _)| *r)
                    .filter(|r| !allowed.contains(r))
                    .collect(),
                &[403, 404],
            ),
            ValidatesFirst(allowed) => (
                ROLES
                    .iter()
                    .map(|(r, _)| *r)
                    .filter(|r| !allowed.contains(r))
                    .collect(),
                &[400, 403, 404, 422],
            ),
        };
        for role in refused {
            let before = fingerprint(&app).await;
            let (status, problem) = call(&app, op, &tokens[role]).await;
            let after = fingerprint(&app).await;
            if !statuses.contains(&status) || problem["status"] != status {
                failures.push(format!(
                    "{} {} {} as {role}: expected one of {statuses:?} as problem+json, got {status} {problem}",
                    op.id, op.method, op.template
                ));
            }
            if before != after {
                failures.push(format!(
                    "{} as {role}: refused, but something was written",
                    op.id
                ));
            }
        }
    }
    for op in &ops {
        let role = match table[op.key().as_str()] {
            SessionOnly => continue,
            Everyone | Object => "teacher",
            Roles(allowed) | ValidatesFirst(allowed) => allowed[0],
        };
        let (status, body) = call(&app, op, &tokens[role]).await;
        if status == 401 || status == 403 {
            failures.push(format!(
                "{} {} {} as {role} (allowed): {status} {body}",
                op.id, op.method, op.template
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The contract check over every answer (the TestApp's tap) is not a yes-machine: an answer
/// with a wrong body, an undocumented status or a plain-text 4xx is reported; a CSV is held
/// to its status and content type only.
#[tokio::test]
async fn the_contract_check_catches_mismatches() {
    use leenpunt_tests::openapi::Checker;
    use leenpunt_tests::Tapped;
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let tapped = |method: &str, path: &str, status: u16, ct: &str, body: &'static str| Tapped {
        method: method.to_owned(),
        path: path.to_owned(),
        status,
        content_type: ct.to_owned(),
        encoded: false,
        body: body.as_bytes().to_vec().into(),
    };
    let failures = |t: Tapped| {
        let mut c = Checker::for_document(doc.clone());
        c.check_tapped(&t);
        c.failures
    };
    let json = "application/json";
    assert!(!failures(tapped("GET", "/api/v1/me", 200, json, r#"{"id":"x"}"#)).is_empty());
    assert!(!failures(tapped("GET", "/api/v1/me", 299, json, "{}")).is_empty());
    assert!(!failures(tapped("GET", "/api/v1/nergens", 404, "text/plain", "nee")).is_empty());
    let problem = r#"{"type":"/problems/not-signed-in","title":"Meld je aan","status":401}"#;
    let f = failures(tapped(
        "GET",
        "/api/v1/me",
        401,
        "application/problem+json",
        problem,
    ));
    assert!(f.is_empty(), "{f:?}");
    let csv = "text/csv; charset=utf-8";
    let f = failures(tapped("GET", "/api/v1/audit/export.csv", 200, csv, "a;b\n"));
    assert!(f.is_empty(), "{f:?}");
    // The real answers so far (the document, sent through the tap) match.
    assert!(app.contract_failures().is_empty());
}
