//! Holding the OpenAPI document to the server: a `Checker` sends real requests, checks each
//! answer's status, content type and body against the document, and remembers which
//! operations were exercised; a small JSON Schema validator (no dependency) does the body.

use crate::TestApp;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What a request carries.
#[derive(Clone)]
pub enum Body {
    None,
    Json(Value),
    /// A raw body with its content type (or none).
    Raw(Option<&'static str>, &'static str),
}

/// One answer, as the test saw it.
pub struct Answer {
    pub status: u16,
    pub json: Value,
}

/// Sends requests, checks every answer against the document and remembers what was seen.
pub struct Checker<'a> {
    /// None for a checker of answers recorded elsewhere (the TestApp's tap).
    app: Option<&'a TestApp>,
    doc: Value,
    /// (method, path template) → statuses seen.
    seen: BTreeMap<(String, String), BTreeSet<u16>>,
    /// Operations that got at least one malformed request.
    malformed: BTreeSet<(String, String)>,
    /// The least privileged signed-in user (a teacher): every operation that needs a
    /// session and succeeded for someone else is tried again as them, whatever the answer.
    pub probe: Option<String>,
    pub failures: Vec<String>,
}

impl<'a> Checker<'a> {
    pub async fn new(app: &'a TestApp) -> Checker<'a> {
        let r = app.get("/api/openapi.json").await;
        assert_eq!(r.status(), 200);
        let doc: Value = r.json().await.expect("the document is JSON");
        Checker {
            app: Some(app),
            doc,
            seen: BTreeMap::new(),
            malformed: BTreeSet::new(),
            probe: None,
            failures: Vec::new(),
        }
    }

    /// A checker of answers recorded elsewhere: it sends nothing.
    pub fn for_document(doc: Value) -> Checker<'static> {
        Checker {
            app: None,
            doc,
            seen: BTreeMap::new(),
            malformed: BTreeSet::new(),
            probe: None,
            failures: Vec::new(),
        }
    }

    /// Checks an answer the TestApp's tap recorded. Paths the document does not describe
    /// (`/api/openapi.json` itself, unknown paths, other methods) are held only to "a 4xx is
    /// problem+json"; compressed bodies only by status and content type.
    pub fn check_tapped(&mut self, t: &crate::Tapped) {
        let essence = t.content_type.split(';').next().unwrap_or_default().trim();
        if self.template_of(&t.method, &t.path).is_none() {
            if (400..500).contains(&t.status) && essence != "application/problem+json" {
                self.fail(format!(
                    "{} {}: {} answered as {:?}, not problem+json",
                    t.method, t.path, t.status, t.content_type
                ));
            }
            return;
        }
        let json = if t.encoded {
            Value::Null
        } else {
            serde_json::from_slice(&t.body).unwrap_or(Value::Null)
        };
        let body: &[u8] = if t.encoded { &[] } else { &t.body };
        self.check_body(
            &t.method,
            &t.path,
            t.status,
            &t.content_type,
            body,
            &json,
            !t.encoded,
        );
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
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: &Body,
    ) -> Answer {
        let app = self.app.expect("a checker that sends has an app");
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
        self.check_body(method, path, status, content_type, bytes, json, true);
    }

    /// `check`, with the body looked at only when `inspect_body`.
    #[allow(clippy::too_many_arguments)]
    fn check_body(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        content_type: &str,
        bytes: &[u8],
        json: &Value,
        inspect_body: bool,
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
            if inspect_body && !bytes.is_empty() {
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
        if !essence.ends_with("json") || !inspect_body {
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
    pub async fn ok(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: Body,
    ) -> Value {
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
    pub async fn expect_refusal(
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
    pub fn validator_catches_mismatches(&self) {
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
    pub fn coverage_gaps(&self) -> Vec<String> {
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
pub fn resolve<'d>(doc: &'d Value, mut schema: &'d Value) -> &'d Value {
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
pub fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
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
