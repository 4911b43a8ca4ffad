//! The request extractors of every handler: `Json`, `Query`, `Path` and `Form` as axum's,
//! except that a request they cannot read is answered as problem+json (400, or 422 for a
//! well-formed JSON/form body whose fields are wrong; 413 for a body over the limit), with a
//! message per part in the requester's language, instead of axum's plain-text rejections.
//!
//! Handlers import these instead of axum's (`use super::extract::{Json, Path};`); as
//! responses `Json` and `Form` behave exactly like axum's.

use super::lang::lang_of;
use crate::error::AppError;
use crate::texts::Text;
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::{BytesRejection, FormRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use leenpunt_shared::{FieldError, Lang};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A JSON request body (`Content-Type: application/json`), or a JSON response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// Query-string parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

/// Path parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

/// A URL-encoded form body (or, for GET, the query string), or a form response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

fn bad_request(field: &str, message: String) -> AppError {
    AppError::BadRequest(vec![FieldError::new(field, message)])
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let lang = lang_of(req.headers());
        if !is_json(req.headers()) {
            return Err(bad_request("Content-Type", Text::SendJson.get(lang)));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| body_error(lang, e))?;
        parse_json(&bytes, lang).map(Json)
    }
}

/// `application/json` or any `application/…+json`, parameters (charset) ignored.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime.strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

fn not_json(lang: Lang, error: &serde_json::Error) -> AppError {
    bad_request("body", Text::NotJson { error: &error }.get(lang))
}

/// A body that could not be read at all: too large, or the connection broke.
fn body_error(lang: Lang, e: BytesRejection) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::PayloadTooLarge;
    }
    bad_request(
        "body",
        Text::BodyUnreadable {
            detail: &e.body_text(),
        }
        .get(lang),
    )
}

/// Parses a JSON body: invalid JSON is a 400, valid JSON of the wrong shape a 422 naming the
/// field (as a dotted path: `units`, `items[0].code`).
fn parse_json<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let error = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => return de.end().map(|()| value).map_err(|e| not_json(lang, &e)),
        Err(error) => error,
    };
    if !error.inner().is_data() {
        return Err(not_json(lang, error.inner()));
    }
    let detail = error.inner().to_string();
    let field = field_of(&error.path().to_string(), &detail);
    Err(AppError::Validation(vec![FieldError::new(
        field,
        Text::FieldWrongShape { detail: &detail }.get(lang),
    )]))
}

/// The field a deserialisation error is about: its path, with the missing field's name
/// appended (serde reports a missing field at its parent); `body` for the whole body.
fn field_of(path: &str, detail: &str) -> String {
    let parent = if path == "." { "" } else { path };
    let missing = detail
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (parent, missing) {
        ("", None) => "body".to_owned(),
        ("", Some(name)) => name.to_owned(),
        (parent, Some(name)) => format!("{parent}.{name}"),
        (parent, None) => parent.to_owned(),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let lang = lang_of(&parts.headers);
        parse_query(parts.uri.query().unwrap_or_default(), lang).map(Query)
    }
}

/// Parses a query string; a value of the wrong type is a 400 naming the parameter.
fn parse_query<T: DeserializeOwned>(query: &str, lang: Lang) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|error| {
        let detail = error.inner().to_string();
        let field = field_of(&error.path().to_string(), &detail);
        let field = if field == "body" {
            "query".into()
        } else {
            field
        };
        bad_request(
            &field,
            Text::BadQueryParameter { detail: &detail }.get(lang),
        )
    })
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let lang = lang_of(&parts.headers);
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_error(lang, rejection)),
        }
    }
}

fn path_error(lang: Lang, rejection: PathRejection) -> AppError {
    let PathRejection::FailedToDeserializePathParams(error) = rejection else {
        // The route and the handler disagree: a programming error, not the client's.
        return AppError::Internal(anyhow::anyhow!(
            "path parameters: {}",
            rejection.body_text()
        ));
    };
    let (field, value) = match error.kind() {
        ErrorKind::ParseErrorAtKey { key, value, .. }
        | ErrorKind::DeserializeError { key, value, .. } => (key.clone(), value.clone()),
        ErrorKind::ParseError { value, .. } | ErrorKind::ParseErrorAtIndex { value, .. } => {
            ("path".to_owned(), value.clone())
        }
        ErrorKind::InvalidUtf8InPathParam { key } => (key.clone(), String::new()),
        ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. } => {
            return AppError::Internal(anyhow::anyhow!("path parameters: {}", error.body_text()));
        }
        _ => ("path".to_owned(), String::new()),
    };
    bad_request(&field, Text::BadPathValue { value: &value }.get(lang))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let lang = lang_of(req.headers());
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(form_error(lang, rejection)),
        }
    }
}

fn form_error(lang: Lang, rejection: FormRejection) -> AppError {
    let detail = rejection.body_text();
    match rejection {
        FormRejection::BytesRejection(e) => body_error(lang, e),
        FormRejection::FailedToDeserializeFormBody(_) => {
            AppError::Validation(vec![FieldError::new(
                "body",
                Text::FormIncomplete { detail: &detail }.get(lang),
            )])
        }
        FormRejection::InvalidFormContentType(_) => {
            bad_request("Content-Type", Text::SendForm.get(lang))
        }
        _ => bad_request(
            "query",
            Text::BadQueryParameters { detail: &detail }.get(lang),
        ),
    }
}

impl<T: Serialize> IntoResponse for Form<T> {
    fn into_response(self) -> Response {
        axum::Form(self.0).into_response()
    }
}

/// Where a refused no-JavaScript form goes back to: its page, with each message at its
/// field (`fout_<field>`) and what was typed kept (passwords are never passed in).
pub fn back_to_form(
    page: &str,
    errors: impl IntoIterator<Item = leenpunt_shared::FieldError>,
    typed: &[(&str, &str)],
) -> String {
    let mut pairs: Vec<(String, String)> = errors
        .into_iter()
        .map(|e| (format!("fout_{}", e.field), e.message))
        .collect();
    pairs.extend(
        typed
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    format!(
        "{page}?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        units: u32,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        code: String,
    }

    fn field_and_status(e: AppError) -> (StatusCode, String) {
        let p = e.problem(Lang::En);
        (e.status(), p.errors[0].field.clone())
    }

    #[test]
    fn json_syntax_is_400_and_shape_is_422_with_the_field() {
        let bad =
            |s: &str| field_and_status(parse_json::<Body>(s.as_bytes(), Lang::En).unwrap_err());
        assert_eq!(bad("{not json"), (StatusCode::BAD_REQUEST, "body".into()));
        assert_eq!(
            bad(r#"{"units":1,"items":[]} x"#),
            (StatusCode::BAD_REQUEST, "body".into())
        );
        assert_eq!(
            bad(r#"{"items":[]}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, "units".into())
        );
        assert_eq!(
            bad(r#"{"units":"two","items":[]}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, "units".into())
        );
        assert_eq!(
            bad(r#"{"units":2,"items":[{"code":1}]}"#),
            (StatusCode::UNPROCESSABLE_ENTITY, "items[0].code".into())
        );
        assert_eq!(bad("[]"), (StatusCode::UNPROCESSABLE_ENTITY, "body".into()));
        assert!(parse_json::<Body>(br#"{"units":2,"items":[{"code":"A"}]}"#, Lang::En).is_ok());
    }

    #[test]
    fn a_query_value_of_the_wrong_type_names_the_parameter() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Params {
            months: Option<u32>,
        }
        let e = parse_query::<Params>("months=abc", Lang::Nl).unwrap_err();
        assert_eq!(
            field_and_status(e),
            (StatusCode::BAD_REQUEST, "months".into())
        );
        assert!(parse_query::<Params>("months=3", Lang::Nl).is_ok());
        assert!(parse_query::<Params>("", Lang::Nl).is_ok());
    }

    #[test]
    fn json_content_types() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(v));
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("application/json; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonp"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
