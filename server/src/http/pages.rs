//! Server-side rendering of the Leptos app, with the backend the pages read from.

use crate::domain::policy::Actor;
use crate::service::catalogue::Catalogue;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use leenpunt_frontend::ssr::{shell, AssetManifest, Backend, BackendHandle, BoxFuture};
use leenpunt_frontend::{App, CurrentUser};
use leenpunt_shared::{
    CatalogueQuery, KitDetail, Lang, MonthAvailability, Problem, Reservation, Role, SearchResults,
};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list_with_exclusions_and_ssg_and_context, LeptosRoutes};
use std::sync::Arc;

/// Pages read the same services as the API, without an HTTP round trip.
struct PageBackend {
    catalogue: Catalogue,
    state: AppState,
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

    fn availability(&self, slug: String) -> BoxFuture<Result<MonthAvailability, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let months = crate::service::reservations::availability(
                &state.db,
                state.clock.as_ref(),
                Lang::default(),
                &slug,
                None,
                None,
                1,
            )
            .await
            .map_err(|e| e.problem(Lang::default()))?;
            months
                .into_iter()
                .next()
                .ok_or_else(|| crate::error::AppError::NotFound.problem(Lang::default()))
        })
    }

    fn desk_agenda(
        &self,
        request: axum::http::request::Parts,
        point: Option<String>,
        view: Option<String>,
        date: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::DeskAgenda, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            crate::service::feeds::desk_agenda(
                &state.db,
                state.clock.as_ref(),
                &actor,
                point.as_deref(),
                view.as_deref(),
                date.as_deref(),
            )
            .await
            .map_err(|e| e.problem(lang))
        })
    }

    fn audit(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::accounts::AuditEntry>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            let run = async {
                super::auth::Who(actor).require(crate::domain::policy::Action::ViewAuditLog)?;
                Ok::<_, crate::error::AppError>(state.db.audit_entries(200).await?)
            };
            run.await.map_err(|e| e.problem(lang))
        })
    }

    fn mailbox(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::accounts::MailboxEntry>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            let run = async {
                super::auth::Who(actor).require(crate::domain::policy::Action::ReadMailbox)?;
                Ok::<_, crate::error::AppError>(
                    state
                        .db
                        .mailbox(100)
                        .await?
                        .into_iter()
                        .map(|m| leenpunt_shared::accounts::MailboxEntry {
                            to: m.to,
                            subject: m.subject,
                            body: m.body,
                            created_at: m.created_at,
                            sent_at: m.sent_at,
                        })
                        .collect(),
                )
            };
            run.await.map_err(|e| e.problem(lang))
        })
    }

    fn schools(&self) -> BoxFuture<Result<Vec<leenpunt_shared::accounts::SchoolOption>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move { state.db.school_options().await.map_err(problem) })
    }

    fn invite_screen(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::accounts::InviteScreen, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            crate::service::signup::invite_screen(&state.db, &actor)
                .await
                .map_err(|e| e.problem(lang))
        })
    }

    fn feeds(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::FeedsScreen, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            crate::service::feeds::screen(&state.db, &actor)
                .await
                .map_err(|e| e.problem(lang))
        })
    }

    fn closed_days(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::ClosedDaysScreen, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            crate::service::closed_days::screen(&state.db, state.clock.as_ref(), &actor)
                .await
                .map_err(|e| e.problem(lang))
        })
    }

    fn waitlist(
        &self,
        request: axum::http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::WaitlistEntry>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            crate::service::reservations::my_waitlist(&state.db, &actor)
                .await
                .map_err(|e| e.problem(lang))
        })
    }

    fn reservations(
        &self,
        request: axum::http::request::Parts,
        query: String,
    ) -> BoxFuture<Result<Vec<Reservation>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            let params: super::reservations::ListParams =
                serde_urlencoded::from_str(&query).unwrap_or_default();
            let run = async {
                let (scope, filter) = params.parse(lang)?;
                crate::service::reservations::list(&state.db, &actor, scope, filter).await
            };
            run.await.map_err(|e| e.problem(lang))
        })
    }
}

/// Adds the page routes (and the not-found page as fallback) to the router.
pub fn mount(router: Router<()>, state: AppState) -> Router<()> {
    let backend = BackendHandle(Arc::new(PageBackend {
        catalogue: state.catalogue.clone(),
        state: state.clone(),
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

/// Puts who is asking in page requests: the actor for the backend, and the name and
/// roles for the header.
async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let actor = match super::auth::session_token(request.headers()) {
        Some(token) => {
            crate::service::accounts::authenticate(&state.db, state.clock.as_ref(), &token)
                .await
                .ok()
                .flatten()
        }
        None => None,
    }
    .unwrap_or_default();
    let name = match actor.user {
        Some(user) => state.db.me(user).await.ok().flatten().map(|me| me.name),
        None => None,
    };
    let user = CurrentUser {
        name,
        teacher: actor.grants.iter().any(|g| g.role == Role::Teacher),
        manages: actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin),
        admin: actor.is_admin(),
        desk: actor.is_admin()
            || actor
                .grants
                .iter()
                .any(|g| matches!(g.role, Role::Ambassador | Role::PartnerAdmin)),
    };
    request.extensions_mut().insert(user);
    request.extensions_mut().insert(actor);
    next.run(request).await
}
