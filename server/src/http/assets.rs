//! Serves the built front end (wasm, js, css) and static images (`crate::site::Assets`).
//! Files have precompressed `.br`/`.gz` siblings, chosen by `Accept-Encoding`.

use super::extract::Path;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pkg/{*file}", get(|s, p, h| serve(s, "pkg", p, h)))
        .route("/assets/{*file}", get(|s, p, h| serve(s, "assets", p, h)))
        .route("/manifest.webmanifest", get(web_app_manifest))
}

/// What a phone needs to install Leenpunt to its home screen. The theme colour is the
/// header's teal; the icons are committed PNGs (`frontend/public/assets/icon-*.png`).
const WEB_APP_MANIFEST: &str = r##"{
  "name": "Leenpunt",
  "short_name": "Leenpunt",
  "description": "Leermiddelen en uitleenmateriaal voor West-Vlaamse scholen",
  "lang": "nl-BE",
  "start_url": "/",
  "scope": "/",
  "display": "standalone",
  "background_color": "#f6f8f9",
  "theme_color": "#0b5563",
  "icons": [
    { "src": "/assets/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
    { "src": "/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
    { "src": "/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
  ]
}
"##;

async fn web_app_manifest() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        WEB_APP_MANIFEST,
    )
        .into_response()
}

async fn serve(
    State(state): State<AppState>,
    folder: &'static str,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let rel = format!("{folder}/{file}");
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let variants = [("br", ".br"), ("gzip", ".gz"), ("", "")];
    let found = variants
        .iter()
        .filter(|(enc, _)| enc.is_empty() || accepts_encoding(accepts, enc))
        .find_map(|(enc, ext)| {
            state
                .assets
                .read(&format!("{rel}{ext}"))
                .map(|bytes| (*enc, bytes))
        });
    let Some((encoding, bytes)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = mime_guess::from_path(&file).first_or_octet_stream();
    // Files under /pkg carry a content hash in their name, so they never change.
    let cache = if folder == "pkg" {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    let mut response = (StatusCode::OK, bytes.into_owned()).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !encoding.is_empty() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

/// Whether an `Accept-Encoding` header allows a coding (a `q=0` refuses it).
fn accepts_encoding(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let q = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        (name.eq_ignore_ascii_case(coding) || name == "*") && q > 0.0
    })
}

#[cfg(test)]
mod tests {
    use super::accepts_encoding;

    #[test]
    fn the_web_app_manifest_is_json() {
        let manifest: serde_json::Value = serde_json::from_str(super::WEB_APP_MANIFEST).unwrap();
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["icons"][1]["sizes"], "512x512");
    }

    #[test]
    fn q_zero_refuses_a_coding() {
        assert!(accepts_encoding("gzip, deflate, br", "br"));
        assert!(!accepts_encoding("gzip, br;q=0", "br"));
        assert!(accepts_encoding("br;q=0.5", "br"));
        assert!(!accepts_encoding("identity", "gzip"));
    }
}
