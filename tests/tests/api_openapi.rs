//! The OpenAPI document tells the truth. Every operation in `/api/openapi.json` is called for
//! real (as the right role, with demo data), and also anonymously and with malformed input;
//! each answer's status must be documented for that operation, its content type must match,
//! and its body must validate against the documented schema. Request bodies the server
//! accepts must validate against the documented request schema too. The coded enums in the
//! document are what serde sends, and no 4xx under `/api/` is ever plain text.
//! The clock starts on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{KitKind, Lang, Level, ReservationStatus, Role, Sort, Theme, UnitStatus};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
/// A second teacher, at GO! Basisschool De Zeemeeuw, without any training.
const OTHER_TEACHER: &str = "juf@zeemeeuw.be";
const BEE_BOT: &str = "bee-bot-set-klein";
/// One unit, at Kortrijk (open Monday, Wednesday, Friday), needs approval.
const CAMERA: &str = "koffer-warmtecamera-energieverlies";

/// What a request carries.
#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    /// A raw body with its content type (or none).
    Raw(Option<&'static str>, &'static str),
}

/// One answer, as the test saw it.
struct Answer {
    status: u16,
    json: Value,
}

/// Sends requests, checks every answer against the document and remembers what was seen.
struct Checker<'a> {
    app: &'a TestApp,
    doc: Value,
    /// (method, path template) → statuses seen.
    seen: BTreeMap<(String, String), BTreeSet<u16>>,
    /// Operations that got at least one malformed request.
    malformed: BTreeSet<(String, String)>,
    /// The least privileged signed-in user (a teacher): every operation that needs a
    /// session and succeeded for someone else is tried again as them, whatever the answer.
    probe: Option<String>,
    failures: Vec<String>,
}

impl<'a> Checker<'a> {
    async fn new(app: &'a TestApp) -> Checker<'a> {
        let r = app.get("/api/openapi.json").await;
        assert_eq!(r.status(), 200);
        let doc: Value = r.json().await.expect("the document is JSON");
        Checker {
            app,
            doc,
            seen: BTreeMap::new(),
            malformed: BTreeSet::new(),
            probe: None,
            failures: Vec::new(),
        }
    }

    /// Every (method, template) in the document.
    fn operations(&self) -> Vec<(String, String)> {
        let mut ops = Vec::new();
        for (template, item) in self.doc["paths"].as_object().expect("paths") {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_some() {
                    ops.push((method.to_uppercase(), template.clone()));
                }
            }
        }
        ops
    }

    fn operation(&self, method: &str, template: &str) -> &Value {
        &self.doc["paths"][template][method.to_lowercase()]
    }

    /// The document's template for a concrete path: the one with the method whose segments
    /// match, preferring literal segments over parameters.
    fn template_of(&self, method: &str, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        self.operations()
            .into_iter()
            .filter(|(m, _)| m == method)
            .filter_map(|(_, t)| {
                let ts: Vec<&str> = t.split('/').collect();
                if ts.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (t, s) in ts.iter().zip(&segments) {
                    if t.starts_with('{') && t.ends_with('}') {
                        if s.is_empty() {
                            return None;
                        }
                    } else if t == s {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, t))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, t)| t)
    }

    fn takes(&self, method: &str, template: &str, place: &str) -> Vec<(String, String)> {
        self.operation(method, template)["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == place)
            .map(|p| {
                let schema = resolve(&self.doc, &p["schema"]);
                let kind = schema_types(schema).into_iter().next().unwrap_or_default();
                (p["name"].as_str().unwrap_or_default().to_owned(), kind)
            })
            .collect()
    }

    fn has_body(&self, method: &str, template: &str) -> bool {
        !self.operation(method, template)["requestBody"].is_null()
    }

    fn needs_session(&self, method: &str, template: &str) -> bool {
        self.operation(method, template)["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    }

    /// Sends one request and checks the answer against the document.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: &Body,
    ) -> Answer {
        let app = self.app;
        let mut request = app
            .client
            .request(method.parse().expect("method"), app.url(path));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if method != "GET" {
            request = request.header("origin", app.base.clone());
        }
        request = match body {
            Body::None => request,
            Body::Json(v) => request.json(v),
            Body::Raw(Some(ct), text) => request.header("content-type", *ct).body(*text),
            Body::Raw(None, text) => request.body(*text),
        };
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        self.check(method, path, status, &content_type, &bytes, &json);
        Answer { status, json }
    }

    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    fn check(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        content_type: &str,
        bytes: &[u8],
        json: &Value,
    ) {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if path.starts_with("/api/")
            && (400..500).contains(&status)
            && essence != "application/problem+json"
        {
            self.fail(format!(
                "{method} {path}: {status} answered as {content_type:?}, not problem+json"
            ));
        }
        let Some(template) = self.template_of(method, path) else {
            self.fail(format!(
                "{method} {path}: no such operation in the document"
            ));
            return;
        };
        let label = format!("{method} {template} ({path}) → {status}");
        self.seen
            .entry((method.to_owned(), template.clone()))
            .or_default()
            .insert(status);
        let responses = self.operation(method, &template)["responses"].clone();
        let Some(documented) = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"))
        else {
            let listed: Vec<&String> = responses
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            self.fail(format!(
                "{label}: status not documented (documented: {listed:?}); body {}",
                snippet(bytes)
            ));
            return;
        };
        let documented = resolve(&self.doc, documented).clone();
        let Some(content) = documented.get("content").and_then(Value::as_object) else {
            if !bytes.is_empty() {
                self.fail(format!(
                    "{label}: documented without a body, but got {content_type:?}: {}",
                    snippet(bytes)
                ));
            }
            return;
        };
        let Some(media) = content.get(&essence) else {
            let listed: Vec<&String> = content.keys().collect();
            self.fail(format!(
                "{label}: content type {essence:?} not documented (documented: {listed:?})"
            ));
            return;
        };
        if !essence.ends_with("json") {
            return;
        }
        if json.is_null() && !bytes.is_empty() {
            self.fail(format!("{label}: {essence} body is not JSON"));
            return;
        }
        if let Some(schema) = media.get("schema") {
            let mut errors = Vec::new();
            validate(&self.doc, schema, json, "$", &mut errors);
            for e in errors {
                self.fail(format!("{label}: body does not match the schema at {e}"));
            }
        }
    }

    /// A request that must succeed (2xx): first sent anonymously when the operation needs a
    /// session (must be 401), then as `cookie`; the accepted JSON body must match the
    /// documented request schema. Then the operation's malformed variants are sent.
    async fn ok(&mut self, method: &str, path: &str, cookie: Option<&str>, body: Body) -> Value {
        let template = self
            .template_of(method, path)
            .unwrap_or_else(|| panic!("{method} {path}: not in the document"));
        if self.needs_session(method, &template) {
            let anonymous = self.send(method, path, None, &body).await;
            if anonymous.status != 401 {
                self.fail(format!(
                    "{method} {template}: documented as needing a session, but anonymously {}",
                    anonymous.status
                ));
            }
        }
        self.malformed_variants(method, path, &template, cookie, &body)
            .await;
        let answer = self.send(method, path, cookie, &body).await;
        assert!(
            (200..300).contains(&answer.status),
            "{method} {path} should succeed with the demo data: {} {}",
            answer.status,
            answer.json
        );
        let probe = self.probe.clone();
        if let (Some(probe), Some(cookie)) = (probe, cookie) {
            if probe != cookie && self.needs_session(method, &template) {
                self.send(method, path, Some(&probe), &body).await;
            }
        }
        if matches!(body, Body::None)
            && self.operation(method, &template)["requestBody"]["required"] == true
        {
            self.fail(format!(
                "{method} {template}: accepted without a body, but the document requires one"
            ));
        }
        if let Body::Json(sent) = &body {
            let op = self.operation(method, &template).clone();
            match op["requestBody"]["content"]["application/json"].get("schema") {
                Some(schema) => {
                    let mut errors = Vec::new();
                    validate(&self.doc, schema, sent, "$", &mut errors);
                    for e in errors {
                        self.fail(format!("{method} {template}: an accepted request body does not match the documented request schema at {e}"));
                    }
                }
                None => self.fail(format!(
                    "{method} {template}: accepts a JSON body the document does not describe"
                )),
            }
        }
        answer.json
    }

    /// Malformed requests every operation gets from its shape alone: a garbage JSON body and
    /// a well-formed one of the wrong shape, a non-numeric integer path parameter, a path
    /// parameter naming nothing. Each must be refused with a documented problem+json 4xx.
    async fn malformed_variants(
        &mut self,
        method: &str,
        path: &str,
        template: &str,
        cookie: Option<&str>,
        body: &Body,
    ) {
        if self.has_body(method, template) {
            self.expect_refusal(
                method,
                path,
                cookie,
                &Body::Raw(Some("application/json"), "{\"oops\": ["),
                &[400, 422],
            )
            .await;
            self.expect_refusal(
                method,
                path,
                cookie,
                &Body::Json(json!([1, 2])),
                &[400, 422],
            )
            .await;
        }
        let (path_only, query) = path.split_once('?').unwrap_or((path, ""));
        let segments: Vec<&str> = path_only.split('/').collect();
        let names: Vec<&str> = template.split('/').collect();
        for (name, kind) in self.takes(method, template, "path") {
            let Some(index) = names.iter().position(|s| *s == format!("{{{name}}}")) else {
                self.fail(format!(
                    "{method} {template}: path parameter {name} is not in the path"
                ));
                continue;
            };
            let mut bad = segments.clone();
            let (replacement, expected): (&str, &[u16]) = if kind == "integer" {
                ("abc", &[400])
            } else {
                ("bestaat-niet-zz9", &[400, 404, 422])
            };
            bad[index] = replacement;
            let mut bad_path = bad.join("/");
            if !query.is_empty() {
                bad_path = format!("{bad_path}?{query}");
            }
            self.expect_refusal(method, &bad_path, cookie, body, expected)
                .await;
        }
    }

    /// A request that must be refused with one of `expected`, as a documented problem+json.
    async fn expect_refusal(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: &Body,
        expected: &[u16],
    ) -> Answer {
        let answer = self.send(method, path, cookie, body).await;
        if !expected.contains(&answer.status) {
            self.fail(format!(
                "{method} {path}: malformed request answered {} (expected one of {expected:?}): {}",
                answer.status, answer.json
            ));
        } else if answer.json["status"] != answer.status {
            self.fail(format!(
                "{method} {path}: the problem's status is not {}: {}",
                answer.status, answer.json
            ));
        }
        if let Some(template) = self.template_of(method, path) {
            self.malformed.insert((method.to_owned(), template));
        }
        answer
    }

    /// The validator is not a yes-machine: a reservation with a Rust enum name, a missing
    /// field and a wrong type are each caught, at the right place.
    fn validator_catches_mismatches(&self) {
        let schema = json!({ "$ref": "#/components/schemas/Reservation" });
        let errors = |value: &Value| {
            let mut e = Vec::new();
            validate(&self.doc, &schema, value, "$", &mut e);
            e
        };
        let properties = resolve(&self.doc, &schema)["properties"]
            .as_object()
            .expect("Reservation has properties");
        assert!(properties.contains_key("status") && properties.contains_key("id"));
        let e = errors(&json!({ "id": 1, "status": "Confirmed" }));
        assert!(e.iter().any(|e| e.starts_with("$.status")), "{e:?}");
        assert!(e.iter().any(|e| e.contains("required field")), "{e:?}");
        let e = errors(&json!([]));
        assert!(e.iter().any(|e| e.starts_with("$: expected")), "{e:?}");
    }

    /// The operations that were never answered 2xx, or that take parameters or a body but
    /// never got a malformed request.
    fn coverage_gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        for (method, template) in self.operations() {
            let key = (method.clone(), template.clone());
            let statuses = self.seen.get(&key).cloned().unwrap_or_default();
            if !statuses.iter().any(|s| (200..300).contains(s)) {
                gaps.push(format!(
                    "{method} {template}: never answered 2xx (seen {statuses:?})"
                ));
            }
            let takes_input = self.has_body(&method, &template)
                || !self.takes(&method, &template, "path").is_empty()
                || !self.takes(&method, &template, "query").is_empty();
            if takes_input && !self.malformed.contains(&key) {
                gaps.push(format!("{method} {template}: no malformed request sent"));
            }
        }
        gaps
    }
}

/// The start of a body, for messages.
fn snippet(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(300).collect()
}

/// Follows `$ref`s into `components`.
fn resolve<'d>(doc: &'d Value, mut schema: &'d Value) -> &'d Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        schema = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    schema
}

/// The schema's `type`, as a list (OpenAPI 3.1 allows `["string", "null"]`).
fn schema_types(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// A loose JSON Schema check: `$ref`, `type`, `nullable`, `enum`, `properties`, `required`,
/// `additionalProperties`, `items`, `allOf`, `oneOf`, `anyOf` and the date formats. Errors
/// name the JSON path (`$.days[3].free`).
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            validate(doc, part, value, at, errors);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let mut reasons = Vec::new();
            let fits = options.iter().any(|option| {
                let mut e = Vec::new();
                validate(doc, option, value, at, &mut e);
                reasons.extend(e.iter().cloned());
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: fits none of {key} ({})", reasons.join("; ")));
            }
        }
    }
    let types = schema_types(schema);
    if value.is_null()
        && (schema.get("nullable") == Some(&Value::Bool(true)) || types.iter().any(|t| t == "null"))
    {
        return;
    }
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        errors.push(format!("{at}: expected {types:?}, got {value}"));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Some(format), Some(text)) =
        (schema.get("format").and_then(Value::as_str), value.as_str())
    {
        let fits = match format {
            "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
            "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            _ => true,
        };
        if !fits {
            errors.push(format!("{at}: {text:?} is not a {format}"));
        }
    }
    if let Value::Object(fields) = value {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                errors.push(format!("{at}: required field {name:?} is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, field) in fields {
            let here = format!("{at}.{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(field_schema), _) => validate(doc, field_schema, field, &here, errors),
                (None, Some(Value::Bool(false))) => {
                    errors.push(format!("{here}: not in the schema"))
                }
                (None, Some(extra)) if extra.is_object() => {
                    validate(doc, extra, field, &here, errors)
                }
                (None, _) if properties.is_some() => {
                    errors.push(format!("{here}: not in the schema"))
                }
                (None, _) => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(doc, item_schema, item, &format!("{at}[{i}]"), errors);
        }
    }
}

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD)
        .await
        .unwrap_or_else(|s| panic!("{email} signs in: {s}"))
}

/// The current label code of a unit, by inventory code.
async fn code_of(app: &TestApp, inventory: &str) -> String {
    sqlx::query_scalar(
        "SELECT t.code FROM unit_tags t JOIN units u ON u.id = t.unit_id \
         WHERE u.inventory_code = ? AND t.retired_at IS NULL",
    )
    .bind(inventory)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn unit_id(app: &TestApp, inventory: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = ?")
        .bind(inventory)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The link token in the newest mail to an address whose subject starts with `subject`.
async fn mailed_token(app: &TestApp, to: &str, subject: &str, marker: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE to_addr = ? AND subject LIKE ? ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .bind(format!("{subject}%"))
    .fetch_one(app.state.db.pool())
    .await
    .unwrap_or_else(|e| panic!("a mail to {to} ({subject}): {e}"));
    let start = body.find(marker).expect("a link") + marker.len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

/// A kit type's current fields, as the export writes them.
async fn kit_fields(app: &TestApp, slug: &str) -> serde_json::Map<String, Value> {
    let rows = app.state.db.export_catalogue().await.unwrap();
    let row = rows.into_iter().find(|r| r[0] == slug).unwrap();
    leenpunt_server::domain::import::CATALOGUE_COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| ((*c).to_owned(), Value::String(v)))
        .collect()
}

fn booking(kit: &str, point: &str, pickup: &str, ret: &str) -> Body {
    Body::Json(
        json!({ "kit": kit, "pickup_point": point, "pickup_date": pickup, "return_date": ret, "quantity": 1 }),
    )
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("an id in {v}"))
}

#[tokio::test]
async fn every_operation_answers_as_the_document_says() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    app.untrained_teacher(OTHER_TEACHER, "126763", &hash).await;
    let mut c = Checker::new(&app).await;
    c.validator_catches_mismatches();
    let teacher = login(&app, TEACHER).await;
    let desk = login(&app, DESK).await;
    let trainer = login(&app, TRAINER).await;
    let partner_admin = login(&app, PARTNER_ADMIN).await;
    let admin = login(&app, ADMIN).await;
    let other = login(&app, OTHER_TEACHER).await;
    let (t, d, tr, pa, a, o) = (
        Some(teacher.as_str()),
        Some(desk.as_str()),
        Some(trainer.as_str()),
        Some(partner_admin.as_str()),
        Some(admin.as_str()),
        Some(other.as_str()),
    );

    c.probe = Some(teacher.clone());

    // Probes, catalogue, schools.
    c.ok("GET", "/healthz", None, Body::None).await;
    c.ok("GET", "/readyz", None, Body::None).await;
    c.ok(
        "GET",
        "/api/v1/catalogue?q=robot&theme=stem&sort=title",
        None,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/catalogue?sort=nergens&page=x",
        None,
        &Body::None,
        &[400, 422],
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}"),
        None,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?month=2026-12&months=2"),
        None,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?months=twee"),
        None,
        &Body::None,
        &[400],
    )
    .await;
    c.expect_refusal(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?month=december"),
        None,
        &Body::None,
        &[422],
    )
    .await;
    c.ok("GET", "/api/v1/schools", None, Body::None).await;
    c.ok("GET", "/api/v1/trainings", None, Body::None).await;
    c.expect_refusal(
        "GET",
        "/api/v1/trainings?partner=a&partner=b",
        None,
        &Body::None,
        &[400],
    )
    .await;

    // Accounts.
    c.ok("GET", "/api/v1/me", t, Body::None).await;
    c.ok("GET", "/api/v1/audit", a, Body::None).await;
    c.ok("GET", "/api/v1/mailbox", a, Body::None).await;
    c.ok("POST", "/api/v1/signup", None, Body::Json(json!({ "email": "nieuw@school.be", "name": "Nieuwe Leerkracht", "password": "een-lang-wachtwoord", "school": "012345" }))).await;
    c.ok("POST", "/api/v1/invitations", a, Body::Json(json!({ "email": "balie@stem.be", "name": "Nieuwe collega", "role": "ambassador", "partner": "stem-rtc" }))).await;
    let invitation = mailed_token(
        &app,
        "balie@stem.be",
        "Je bent uitgenodigd",
        "/uitnodiging/",
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/invitations/{invitation}/accept"),
        None,
        Body::Json(json!({ "password": "mijn-eerste-wachtwoord" })),
    )
    .await;

    // Reservations: a Bee-Bot set for the demo teacher, the camera (one unit, approval).
    let bee = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-02", "2026-12-09"),
        )
        .await;
    let bee = id_of(&bee);
    c.ok(
        "GET",
        "/api/v1/reservations?scope=mine&at_risk=false",
        t,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/reservations?at_risk=misschien",
        t,
        &Body::None,
        &[400],
    )
    .await;
    c.ok("GET", &format!("/api/v1/reservations/{bee}"), t, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{bee}/extend"),
        t,
        Body::Json(json!({ "return_date": "2026-12-11" })),
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/reservations/{bee}/ics"),
        t,
        Body::None,
    )
    .await;
    let camera = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-01-11", "2027-01-15"),
        )
        .await;
    let camera = id_of(&camera);
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{camera}/approve"),
        d,
        Body::None,
    )
    .await;
    let later = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-02-01", "2027-02-05"),
        )
        .await;
    let later = id_of(&later);
    // The other school waits for both; withdraws one, and is offered the other.
    let waiting = c
        .ok(
            "POST",
            "/api/v1/waitlist",
            o,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-01-11", "2027-01-15"),
        )
        .await;
    assert!(waiting["id"].is_i64());
    let second = c
        .ok(
            "POST",
            "/api/v1/waitlist",
            o,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-02-01", "2027-02-05"),
        )
        .await;
    c.ok("GET", "/api/v1/waitlist", o, Body::None).await;
    c.ok(
        "POST",
        &format!("/api/v1/waitlist/{}/withdraw", id_of(&second)),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{later}/reject"),
        d,
        Body::Json(json!({ "reason": "De camera is dan op herstelling." })),
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{camera}/cancel"),
        t,
        Body::Json(json!({ "reason": "Uitstap verplaatst" })),
    )
    .await;
    let mine = c
        .ok("GET", "/api/v1/reservations?scope=mine", o, Body::None)
        .await;
    let offered = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "aangeboden")
        .unwrap_or_else(|| panic!("an offer from the waiting list in {mine}"));
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{}/accept", id_of(offered)),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/units/BB-K-05/status",
        d,
        Body::Json(json!({ "status": "onderhoud" })),
    )
    .await;

    // A borrower cancels without giving a reason (no body at all).
    let spring = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(BEE_BOT, "stem-rtc-brugge", "2027-03-01", "2027-03-05"),
        )
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{}/cancel", id_of(&spring)),
        t,
        Body::None,
    )
    .await;
    // Query values of the right type that name nothing: whatever the answer, it is documented.
    for path in [
        "/api/v1/reservations?scope=alles&status=zoek&from=gisteren&to=morgen",
        "/api/v1/reservations?scope=desk&kit=bestaat-niet&pickup=nergens",
        "/api/v1/trainings?partner=bestaat-niet",
        "/api/v1/training-sessions?partner=bestaat-niet&training=geen",
        "/api/v1/qualifications?school=999999&partner=nergens",
        "/api/v1/catalogue?theme=geen&level=geen&kind=geen&page=999",
    ] {
        c.send("GET", path, t, &Body::None).await;
    }
    // Repeats that no longer fit the state: whatever the answer, it is documented.
    c.send(
        "POST",
        &format!("/api/v1/reservations/{camera}/approve"),
        d,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{later}/cancel"),
        t,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{}/accept", id_of(offered)),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/waitlist/{}/withdraw", id_of(&second)),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        "/api/v1/reservations",
        t,
        &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-02", "2026-12-09"),
    )
    .await;
    c.send(
        "POST",
        "/api/v1/waitlist",
        o,
        &booking(BEE_BOT, "stem-rtc-brugge", "2027-03-01", "2027-03-05"),
    )
    .await;

    // Calendar feeds and closed days.
    c.ok("GET", "/api/v1/feeds", t, Body::None).await;
    let feed = c
        .ok(
            "POST",
            "/api/v1/feeds",
            t,
            Body::Json(json!({ "scope": "user" })),
        )
        .await;
    let feed = c
        .ok(
            "POST",
            &format!("/api/v1/feeds/{}/regenerate", id_of(&feed)),
            t,
            Body::None,
        )
        .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/feeds/{}", id_of(&feed)),
        t,
        Body::None,
    )
    .await;
    c.ok("GET", "/api/v1/closed-days", a, Body::None).await;
    let day = c
        .ok(
            "POST",
            "/api/v1/closed-days",
            a,
            Body::Json(json!({ "first_day": "2027-03-10", "reason": "Studiedag" })),
        )
        .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/closed-days/{}", id_of(&day)),
        a,
        Body::None,
    )
    .await;

    // Trainings, sessions, attendance, qualifications.
    let form = json!({ "partner": "stem-rtc", "title": "Robotica voor gevorderden", "duration_minutes": "120", "validity_months": "24" });
    let training = c
        .ok("POST", "/api/v1/trainings", a, Body::Json(form.clone()))
        .await;
    let slug = training["slug"].as_str().expect("a slug").to_owned();
    let mut renamed = form;
    renamed["title"] = json!("Robotica voor gevorderden (vernieuwd)");
    c.ok(
        "PUT",
        &format!("/api/v1/trainings/{slug}"),
        a,
        Body::Json(renamed),
    )
    .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/trainings/{slug}"),
        a,
        Body::None,
    )
    .await;
    let session = c.ok("POST", "/api/v1/training-sessions", a, Body::Json(json!({ "training": "bee-bot-in-de-klas", "day": "2026-12-15", "start_time": "14:00", "end_time": "16:30", "place": "STEM-uitleendienst Brugge", "capacity": "10", "trainers": [TRAINER] }))).await;
    let session = id_of(&session);
    c.ok(
        "GET",
        "/api/v1/training-sessions?training=bee-bot-in-de-klas&past=false",
        o,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/training-sessions?past=misschien",
        o,
        &Body::None,
        &[400],
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/training-sessions/{session}"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/training-sessions/{session}/roster"),
        tr,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{session}/cancel"),
        a,
        Body::None,
    )
    .await;
    // The creatool session that started this morning, with the demo teacher on its list.
    let today = c
        .ok(
            "GET",
            "/api/v1/training-sessions?training=creatool-bouwen&past=true",
            tr,
            Body::None,
        )
        .await;
    let today = today
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == "2026-11-27")
        .unwrap_or_else(|| panic!("today's creatool session in {today}"));
    let today = id_of(today);
    let roster = c
        .ok(
            "GET",
            &format!("/api/v1/training-sessions/{today}/roster"),
            tr,
            Body::None,
        )
        .await;
    let registration = roster[0]["registration"].as_i64().expect("a registration");
    c.ok(
        "PUT",
        &format!("/api/v1/training-sessions/{today}/attendance"),
        tr,
        Body::Json(json!({ "present": [registration] })),
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{today}/walk-ins"),
        tr,
        Body::Json(json!({ "email": OTHER_TEACHER })),
    )
    .await;
    c.ok("GET", "/api/v1/qualifications?school=126763", a, Body::None)
        .await;
    c.expect_refusal(
        "GET",
        "/api/v1/qualifications?all=misschien",
        a,
        &Body::None,
        &[400],
    )
    .await;
    c.ok("POST", "/api/v1/qualifications", a, Body::Json(json!({ "email": OTHER_TEACHER, "training": "microbit-programmeren", "reason": "Opleiding bij Mediawijs" }))).await;
    let granted = c
        .ok("GET", "/api/v1/qualifications?school=126763", a, Body::None)
        .await;
    let granted = granted
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["training_slug"] == "microbit-programmeren")
        .unwrap_or_else(|| panic!("the granted qualification in {granted}"));
    c.ok(
        "POST",
        &format!("/api/v1/qualifications/{}/revoke", id_of(granted)),
        a,
        Body::Json(json!({ "reason": "Vergissing" })),
    )
    .await;

    c.send(
        "POST",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/training-sessions/{session}/cancel"),
        a,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/qualifications/{}/revoke", id_of(granted)),
        a,
        &Body::Json(json!({ "reason": "Nog eens" })),
    )
    .await;
    c.send("POST", "/api/v1/qualifications", a, &Body::Json(json!({ "email": "niemand@nergens.be", "training": "microbit-programmeren", "reason": "Opleiding bij Mediawijs" }))).await;

    // Managing kit types.
    let mut fields = kit_fields(&app, "mos-afvalsorteerkoffer").await;
    fields.insert("title".into(), json!("Afvalsorteerkoffer (nieuw)"));
    c.ok(
        "PUT",
        "/api/v1/admin/kits/mos-afvalsorteerkoffer",
        pa,
        Body::Json(Value::Object(fields.clone())),
    )
    .await;
    fields.insert("slug".into(), json!("mos-regenmeter"));
    fields.insert("title".into(), json!("Regenmeterset"));
    fields.insert("units".into(), json!("MOS-RM-01"));
    c.ok(
        "POST",
        "/api/v1/admin/kits",
        pa,
        Body::Json(Value::Object(fields)),
    )
    .await;

    // Hand-over day: labels, scanning, hand-over, return.
    app.set_time("2026-12-02T09:00:00Z");
    let desk = login(&app, DESK).await;
    let admin = login(&app, ADMIN).await;
    let teacher = login(&app, TEACHER).await;
    let (d, a, t) = (
        Some(desk.as_str()),
        Some(admin.as_str()),
        Some(teacher.as_str()),
    );
    c.probe = Some(teacher.clone());
    let code = code_of(&app, "BB-K-01").await;
    c.ok("GET", &format!("/api/v1/scan/{code}"), d, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{bee}/handover"),
        d,
        Body::Json(json!({ "code": code })),
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/returns",
        d,
        Body::Json(json!({ "code": code, "damage": "" })),
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{bee}/handover"),
        d,
        &Body::Json(json!({ "code": code })),
    )
    .await;
    c.send(
        "POST",
        "/api/v1/returns",
        d,
        &Body::Json(json!({ "code": code })),
    )
    .await;
    let unit = unit_id(&app, "BB-K-01").await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/history"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/qr.svg"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/qr.png"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/units/{}/retag", unit_id(&app, "BB-K-04").await),
        a,
        Body::None,
    )
    .await;
    c.ok("GET", &format!("/api/v1/reservations/{bee}"), t, Body::None)
        .await;

    // Passwords, and signing in and out (last: these end sessions).
    c.ok(
        "POST",
        "/api/v1/password-reset",
        None,
        Body::Json(json!({ "email": OTHER_TEACHER })),
    )
    .await;
    let reset = mailed_token(
        &app,
        OTHER_TEACHER,
        "Kies een nieuw wachtwoord",
        "/wachtwoord/",
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/password-reset/{reset}"),
        None,
        Body::Json(json!({ "password": "een-nieuw-wachtwoord" })),
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/session",
        None,
        Body::Json(json!({ "email": TRAINER, "password": DEMO_PASSWORD })),
    )
    .await;
    let throwaway = login(&app, TRAINER).await;
    c.ok("DELETE", "/api/v1/session", Some(&throwaway), Body::None)
        .await;
    let everywhere = login(&app, PARTNER_ADMIN).await;
    c.ok("DELETE", "/api/v1/sessions", Some(&everywhere), Body::None)
        .await;

    let mut problems = c.failures.clone();
    problems.extend(c.coverage_gaps());
    assert!(
        problems.is_empty(),
        "the document and the server disagree:\n{}",
        problems.join("\n")
    );
}

/// The enum values in the document, by schema name.
fn schema_enum(doc: &Value, name: &str) -> Vec<String> {
    let schema = &doc["components"]["schemas"][name];
    schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("schema {name} with an enum list: {schema}"))
        .iter()
        .map(|v| v.as_str().expect("a string value").to_owned())
        .collect()
}

/// What serde sends for each value.
fn wire<T: serde::Serialize>(values: &[T]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn enums_in_the_document_are_the_codes_serde_sends() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let cases: [(&str, Vec<String>); 8] = [
        ("Theme", wire(Theme::ALL)),
        ("Level", wire(Level::ALL)),
        ("KitKind", wire(KitKind::ALL)),
        ("UnitStatus", wire(UnitStatus::ALL)),
        ("ReservationStatus", wire(ReservationStatus::ALL)),
        ("Role", wire(&Role::ALL)),
        ("Lang", wire(&Lang::ALL)),
        ("Sort", wire(&Sort::ALL)),
    ];
    assert!(wire(KitKind::ALL).contains(&"uitleen".to_owned()));
    for (name, sent) in cases {
        if doc["components"]["schemas"].get(name).is_none() {
            // Not part of the API's contract: nothing to lie about. The coded enums are.
            assert!(
                ![
                    "Theme",
                    "Level",
                    "KitKind",
                    "UnitStatus",
                    "ReservationStatus",
                    "Role"
                ]
                .contains(&name),
                "{name} is missing from the document"
            );
            continue;
        }
        assert_eq!(schema_enum(&doc, name), sent, "{name}");
    }
}

/// A malformed request: method, path, body (content type, text), the expected status.
type Malformed = (
    &'static str,
    String,
    Option<(&'static str, &'static str)>,
    u16,
);

#[tokio::test]
async fn malformed_requests_get_problem_json_never_plain_text() {
    let app = TestApp::spawn().await;
    let teacher = login(&app, TEACHER).await;
    let cases: [Malformed; 9] = [
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("application/json", "{\"kit\": ")),
            400,
        ),
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("application/json", "{\"kit\": 5}")),
            422,
        ),
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("text/plain", "kit=bee-bot")),
            400,
        ),
        (
            "POST",
            "/api/v1/signup".into(),
            Some(("application/json", "nonsense")),
            400,
        ),
        ("GET", "/api/v1/reservations/abc".into(), None, 400),
        ("POST", "/api/v1/reservations/12x/cancel".into(), None, 400),
        ("GET", "/api/v1/training-sessions/%FF".into(), None, 400),
        (
            "GET",
            format!("/api/v1/catalogue/{BEE_BOT}/availability?months=-1"),
            None,
            400,
        ),
        ("GET", "/api/v1/reservations?at_risk=2".into(), None, 400),
    ];
    for (method, path, body, expected) in cases {
        let mut request = app
            .client
            .request(method.parse().unwrap(), app.url(&path))
            .header("cookie", &teacher)
            .header("origin", app.base.clone())
            .header("accept-language", "en");
        if let Some((content_type, text)) = body {
            request = request.header("content-type", content_type).body(text);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
        let problem: leenpunt_shared::Problem = r.json().await.unwrap_or_else(|e| {
            panic!("{method} {path}: {status} {content_type} is not a problem: {e}")
        });
        assert_eq!(
            (status, content_type.as_str()),
            (expected, "application/problem+json"),
            "{method} {path}"
        );
        assert_eq!(problem.status, expected);
        assert!(
            !problem.errors.is_empty(),
            "{method} {path}: says what is wrong"
        );
        assert!(problem.errors.iter().all(|e| !e.message.is_empty()));
    }
    // A method a route does not have: 405 as a problem, with the methods it does have.
    let r = app
        .client
        .delete(app.url("/api/v1/me"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert!(r.headers().contains_key("allow"));
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(
        (problem.status, problem.title.as_str()),
        (405, "This method is not allowed here")
    );
    // The field is named, in the requester's language.
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?months=twee"
        )))
        .header("accept-language", "nl")
        .send()
        .await
        .unwrap();
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "months");
    assert!(
        problem.errors[0]
            .message
            .starts_with("Deze zoekparameter is ongeldig"),
        "{:?}",
        problem.errors
    );
    assert_eq!(problem.title, "Deze aanvraag kan niet gelezen worden");
    let r = app
        .post_json(&teacher, "/api/v1/reservations", &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02", "return_date": "2026-12-09" }))
        .await;
    assert_eq!(r.status(), 422);
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "quantity");
}
