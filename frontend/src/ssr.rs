//! Server-side rendering glue: what the server provides to the app, and the HTML shell.

use crate::App;
use leenpunt_shared::{CatalogueQuery, KitDetail, Lang, Problem, SearchResults};
use leptos::prelude::*;
use leptos_meta::MetaTags;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// What pages need from the server while rendering. Implemented by the server crate.
pub trait Backend: Send + Sync + 'static {
    fn search(&self, query: CatalogueQuery) -> BoxFuture<Result<SearchResults, Problem>>;
    fn kit(&self, slug: String) -> BoxFuture<Result<Option<KitDetail>, Problem>>;
}

/// The backend, provided as context for every server render.
#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);

pub(crate) fn backend() -> Arc<dyn Backend> {
    expect_context::<BackendHandle>().0
}

/// The per-request CSP nonce, set by the server's security middleware.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The signed-in user of a page request, put in the request by the server.
pub fn request_user() -> crate::CurrentUser {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::CurrentUser>().cloned())
        .unwrap_or_default()
}

/// The hashed file names of the built front end.
#[derive(Debug, Clone, Deserialize)]
pub struct AssetManifest {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

/// The request's language: explicit choice (cookie) first, then the browser's.
pub fn request_lang() -> Lang {
    use_context::<http::request::Parts>()
        .map(|parts| {
            let header = |name: http::header::HeaderName| {
                parts.headers.get(name).and_then(|v| v.to_str().ok())
            };
            Lang::negotiate(
                header(http::header::COOKIE),
                header(http::header::ACCEPT_LANGUAGE),
            )
        })
        .unwrap_or_default()
}

/// The HTML document around the app.
pub fn shell(assets: AssetManifest) -> impl IntoView {
    let lang = request_lang();
    let nonce = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned())
        .map(|n| n.0)
        .unwrap_or_default();
    // Leptos's own inline scripts (resource data for hydration) read this.
    provide_context(leptos::nonce::Nonce::from_value(nonce.clone()));
    // Without a built front end (API tests, `cargo run` before a build) pages still render.
    let hydration = (!assets.js.is_empty()).then(|| {
        let boot = format!(
            "import init, {{ hydrate }} from '{}'; init({{ module_or_path: '{}' }}).then(() => hydrate());",
            assets.js, assets.wasm
        );
        view! {
            <link rel="modulepreload" href=assets.js.clone()/>
            <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/>
            <script type="module" nonce=nonce>{boot}</script>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5563"/>
                // Read back by the browser build, so both render the same header.
                {request_user().0.map(|name| view! { <meta name="leenpunt-user" content=name/> })}
                <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=assets.css.clone()/>
                {hydration}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}
