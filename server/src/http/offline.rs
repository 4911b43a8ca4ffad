//! The desk's offline support: the service worker (`/sw.js`) and the desk pages' script
//! that registers it (`/desk.js`). Both are compiled into the binary and answered with
//! `no-cache`, so a new version is picked up at the next online visit. The worker is
//! registered with scope `/balie/` (below its own path, so no `Service-Worker-Allowed`
//! is needed): it never sees a page outside the desk. See `docs/offline-desk.md`.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

const SERVICE_WORKER: &str = include_str!("../../../frontend/scripts/desk-sw.js");
const DESK_SCRIPT: &str = include_str!("../../../frontend/scripts/desk.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sw.js", get(|| async { script(SERVICE_WORKER) }))
        .route("/desk.js", get(|| async { script(DESK_SCRIPT) }))
}

fn script(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// What the sign-out answers carry: the browser forgets the desk's kept pages, the queue
/// and the service worker (`"storage"` covers Cache Storage, IndexedDB, localStorage and
/// worker registrations; `"cache"` the HTTP cache).
pub const CLEAR_SITE_DATA: &str = "\"cache\", \"storage\"";
