//! Server-side rendering of the Leptos app, with the backend the pages read from.

use crate::service::catalogue::Catalogue;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use leenpunt_frontend::ssr::{shell, AssetManifest, Backend, BackendHandle, BoxFuture};
use leenpunt_frontend::{App, CurrentUser};
use leenpunt_shared::{CatalogueQuery, KitDetail, Lang, Problem, SearchResults};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list_with_exclusions_and_ssg_and_context, LeptosRoutes};
use std::sync::Arc;

/// Pages read the same services as the API, without an HTTP round trip.
struct PageBackend {
    catalogue: Catalogue,
}

fn problem(e: crate::db::DbError) -> Problem {
    crate::error::AppError::from(e).problem(Lang::default())
}

impl Backend for PageBackend {
    fn search(&self, query: CatalogueQuery) -> BoxFuture<Result<SearchResults, Problem>> {
        let catalogue = self.catalogue.clone();
        Box::pin(async move { catalogue.search(&query).await.map_err(problem) })
    }

    fn kit(&self, slug: String) -> BoxFuture<Result<Option<KitDetail>, Problem>> {
        let catalogue = self.catalogue.clone();
        Box::pin(async move { catalogue.detail(&slug).await.map_err(problem) })
    }
}

/// Adds the page routes (and the not-found page as fallback) to the router.
pub fn mount(router: Router<()>, state: AppState) -> Router<()> {
    let backend = BackendHandle(Arc::new(PageBackend {
        catalogue: state.catalogue.clone(),
    }));
    let context = move || provide_context(backend.clone());
    let manifest = state.assets.manifest.clone().unwrap_or(AssetManifest {
        js: String::new(),
        wasm: String::new(),
        css: String::new(),
    });
    let app = move || shell(manifest.clone());
    let (routes, _) =
        generate_route_list_with_exclusions_and_ssg_and_context(App, None, context.clone());
    let pages: Router<()> = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), app.clone())
        .fallback(leptos_axum::render_app_async_with_context(context, app))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identify,
        ))
        .with_state(state);
    router.merge(pages)
}

/// Puts the signed-in user's name in page requests, for the header.
async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let name = match super::auth::session_token(request.headers()) {
        Some(token) => current_name(&state, &token).await,
        None => None,
    };
    request.extensions_mut().insert(CurrentUser(name));
    next.run(request).await
}

async fn current_name(state: &AppState, token: &str) -> Option<String> {
    let actor = crate::service::accounts::authenticate(&state.db, state.clock.as_ref(), token)
        .await
        .ok()??;
    Some(state.db.me(actor.user?).await.ok()??.name)
}
