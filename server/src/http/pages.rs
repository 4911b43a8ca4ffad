//! Server-side rendering of the Leptos app, with the backend the pages read from.

use crate::domain::policy::{Action, Actor};
use crate::error::AppError;
use crate::service::catalogue::Catalogue;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use leenpunt_frontend::ssr::{shell, AssetManifest, Backend, BackendHandle, BoxFuture};
use leenpunt_frontend::{App, CurrentUser};
use leenpunt_shared::accounts::{InviteScreen, MailboxEntry, SchoolOption};
use leenpunt_shared::audit::{AuditPage, AuditQuery};
use leenpunt_shared::reservations::{ClosedDaysScreen, DeskAgenda, FeedsScreen};
use leenpunt_shared::WaitlistEntry;
use leenpunt_shared::{
    CatalogueQuery, KitDetail, Lang, MonthAvailability, Problem, Reservation, Role, SearchResults,
};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes};
use std::future::Future;
use std::sync::{Arc, OnceLock};

/// Pages read the same services as the API, without an HTTP round trip.
struct PageBackend {
    catalogue: Catalogue,
    state: AppState,
}

fn problem(e: crate::db::DbError) -> Problem {
    crate::error::AppError::from(e).problem(Lang::default())
}

impl PageBackend {
    /// Runs a service call as whoever made the page request (the actor `identify` put in
    /// it), answering its problems in their language.
    fn as_asker<T, F, Fut>(&self, request: Parts, call: F) -> BoxFuture<Result<T, Problem>>
    where
        T: Send + 'static,
        F: FnOnce(AppState, Actor) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = super::lang::lang_of(&request.headers);
            let actor = request
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_default();
            call(state, actor).await.map_err(|e| e.problem(lang))
        })
    }
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
        request: Parts,
        point: Option<String>,
        view: Option<String>,
        date: Option<String>,
    ) -> BoxFuture<Result<DeskAgenda, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::feeds::desk_agenda(
                &state.db,
                state.clock.as_ref(),
                &actor,
                point.as_deref(),
                view.as_deref(),
                date.as_deref(),
            )
            .await
        })
    }

    fn audit(&self, request: Parts, query: AuditQuery) -> BoxFuture<Result<AuditPage, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, actor| async move {
            crate::service::audit::page(&state.db, &actor, &query, lang).await
        })
    }

    fn mailbox(&self, request: Parts) -> BoxFuture<Result<Vec<MailboxEntry>, Problem>> {
        self.as_asker(request, |state, actor| async move {
            super::auth::Who(actor).require(Action::ReadMailbox)?;
            Ok(state
                .db
                .mailbox(100)
                .await?
                .into_iter()
                .map(|m| MailboxEntry {
                    to: m.to,
                    subject: m.subject,
                    body: m.body,
                    created_at: m.created_at,
                    sent_at: m.sent_at,
                })
                .collect())
        })
    }

    fn schools(&self) -> BoxFuture<Result<Vec<SchoolOption>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move { state.db.school_options().await.map_err(problem) })
    }

    fn invite_screen(&self, request: Parts) -> BoxFuture<Result<InviteScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::signup::invite_screen(&state.db, &actor).await
        })
    }

    fn feeds(&self, request: Parts) -> BoxFuture<Result<FeedsScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::feeds::screen(&state.db, &actor).await
        })
    }

    fn closed_days(&self, request: Parts) -> BoxFuture<Result<ClosedDaysScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::closed_days::screen(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn training_sessions(
        &self,
        request: Parts,
        training: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::SessionsScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::trainings::sessions_screen(
                &state.db,
                state.clock.as_ref(),
                &actor,
                training,
            )
            .await
        })
    }

    fn training_session(
        &self,
        request: Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::SessionScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::trainings::session_screen(&state.db, state.clock.as_ref(), &actor, id)
                .await
        })
    }

    fn my_trainings(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::MyTrainingsScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::trainings::my_trainings(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn trainings_admin(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::TrainingsAdminScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::trainings::admin_screen(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn desk_today(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::handover::TodayScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::handover::today_screen(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn handover(
        &self,
        request: Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::HandoverScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::handover::handover_screen(
                &state.db,
                state.clock.as_ref(),
                &actor,
                leenpunt_shared::ReservationId(id),
            )
            .await
        })
    }

    fn request_handover(
        &self,
        request: Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::RequestDeskScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::handover::request_screen(&state.db, state.clock.as_ref(), &actor, id)
                .await
        })
    }

    fn return_screen(
        &self,
        request: Parts,
        code: String,
    ) -> BoxFuture<Result<leenpunt_shared::handover::ReturnScreen, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, actor| async move {
            crate::service::handover::return_screen(
                &state.db,
                state.clock.as_ref(),
                &actor,
                lang,
                &code,
            )
            .await
        })
    }

    fn unit(
        &self,
        request: Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::UnitScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::handover::unit_screen(
                &state.db,
                state.clock.as_ref(),
                &actor,
                leenpunt_shared::UnitId(id),
            )
            .await
        })
    }

    fn held_trainings(&self, request: Parts) -> BoxFuture<Result<Vec<String>, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::trainings::held_trainings(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn overview(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::admin::Overview, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::overview::overview(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn stats(
        &self,
        request: Parts,
        from: Option<String>,
        to: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::stats::StatsReport, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, actor| async move {
            crate::service::stats::report(
                &state.db,
                state.clock.as_ref(),
                &state.stats_cache,
                &actor,
                lang,
                from.as_deref(),
                to.as_deref(),
            )
            .await
        })
    }

    fn public_stats(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::stats::PublicStats, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, _| async move {
            crate::service::stats::public(&state.db, state.clock.as_ref(), &state.stats_cache, lang)
                .await
        })
    }

    fn personal_data(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::PersonalData, Problem>> {
        self.as_asker(request, |state, actor| async move {
            let person = actor.user.ok_or(AppError::Unauthorized)?;
            crate::service::privacy::personal_data(&state.db, state.clock.as_ref(), &actor, person)
                .await
        })
    }

    fn erasure_screen(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::ErasureScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::erasure::screen(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn privacy(
        &self,
        _request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::PrivacyFacts, Problem>> {
        let config = &self.state.config;
        let facts = leenpunt_shared::privacy::PrivacyFacts {
            controller: config.controller.clone(),
            contact: config.privacy_contact.clone(),
            retention: config.retention,
        };
        Box::pin(async move { Ok(facts) })
    }

    fn labels(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<leenpunt_shared::handover::LabelsScreen, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::handover::labels_screen(&state.db, state.clock.as_ref(), &actor).await
        })
    }

    fn editable_kits(
        &self,
        request: Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::admin::KitListEntry>, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::kit_admin::editable(&state.db, &actor).await
        })
    }

    fn kit_edit(
        &self,
        request: Parts,
        slug: Option<String>,
        draft: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::admin::KitEditScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            let draft = match draft {
                Some(id) => state.drafts.get(&id, actor.user).await?,
                None => None,
            };
            crate::service::kit_admin::edit_screen(&state.db, &actor, slug.as_deref(), draft).await
        })
    }

    fn register(
        &self,
        request: Parts,
        kind: String,
    ) -> BoxFuture<Result<leenpunt_shared::admin::RegisterScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::registers::screen(&state.db, &actor, &kind).await
        })
    }

    fn register_edit(
        &self,
        request: Parts,
        kind: String,
        key: Option<String>,
        draft: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::admin::RegisterEditScreen, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            let draft = match draft {
                Some(id) => state.drafts.get(&id, actor.user).await?,
                None => None,
            };
            crate::service::registers::edit_screen(&state.db, &actor, &kind, key.as_deref(), draft)
                .await
        })
    }

    fn users(
        &self,
        request: Parts,
        query: String,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::admin::UserRow>, Problem>> {
        self.as_asker(request, move |state, actor| async move {
            crate::service::users::list(&state.db, &actor, &query).await
        })
    }

    fn csv_import(
        &self,
        request: Parts,
        token: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::csv_import::ImportScreen, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, actor| async move {
            crate::service::csv_exchange::screen(
                &state.db,
                state.clock.as_ref(),
                &actor,
                lang,
                token,
            )
            .await
        })
    }

    fn cart_screen(
        &self,
        request: Parts,
        check: bool,
        school: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::cart::CartScreen, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        let anon = super::cart::anonymous_cart(&request.headers).unwrap_or_default();
        self.as_asker(request, move |state, actor| async move {
            super::cart_pages::screen(&state, &actor, lang, &anon, (check, school)).await
        })
    }

    fn waitlist(&self, request: Parts) -> BoxFuture<Result<Vec<WaitlistEntry>, Problem>> {
        self.as_asker(request, |state, actor| async move {
            crate::service::reservations::my_waitlist(&state.db, &actor).await
        })
    }

    fn reservations(
        &self,
        request: Parts,
        query: String,
    ) -> BoxFuture<Result<Vec<Reservation>, Problem>> {
        let lang = super::lang::lang_of(&request.headers);
        self.as_asker(request, move |state, actor| async move {
            let params: super::reservations::ListParams =
                serde_urlencoded::from_str(&query).unwrap_or_default();
            let (scope, filter) = params.parse(lang)?;
            crate::service::reservations::list(&state.db, &actor, scope, filter).await
        })
    }
}

/// Adds the page routes (and the not-found page as fallback) to the router.
pub fn mount(router: Router<()>, state: AppState) -> Router<()> {
    let backend = BackendHandle(Arc::new(PageBackend {
        catalogue: state.catalogue.clone(),
        state: state.clone(),
    }));
    let tokens = super::tokens::PageTokens::handle(state.clone());
    let context = move || {
        provide_context(backend.clone());
        provide_context(tokens.clone());
    };
    let manifest = state.assets.manifest.clone().unwrap_or(AssetManifest {
        js: String::new(),
        wasm: String::new(),
        css: String::new(),
        scanner: String::new(),
        roster: String::new(),
        deskqueue: String::new(),
    });
    let app = move || shell(manifest.clone());
    let pages: Router<()> = Router::new()
        .leptos_routes_with_context(&state, routes().to_vec(), context.clone(), app.clone())
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
    let me = match actor.user {
        Some(user) => state.db.me(user).await.ok().flatten(),
        None => None,
    };
    let cart_lines = super::cart_pages::line_count(&state, &actor, request.headers()).await;
    let user = CurrentUser {
        cart_lines,
        name: me.as_ref().map(|me| me.name.clone()),
        email: me.as_ref().map(|me| me.email.clone()),
        mail_lang: me.as_ref().map(|me| me.lang),
        reminders: me.as_ref().is_some_and(|me| me.reminders),
        teacher: actor.grants.iter().any(|g| g.role == Role::Teacher),
        manages: actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin),
        admin: actor.is_admin(),
        trainer: actor.grants.iter().any(|g| g.role == Role::Trainer),
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

/// The paths of every page route, as mounted (`/catalogus/{slug}`): the list the page
/// tests walk, so a new page cannot be left out of them.
pub fn page_paths() -> Vec<String> {
    routes()
        .iter()
        .map(|route| route.path().to_owned())
        .collect()
}

/// The page routes, generated once per process. Generating them runs the app with
/// resource loading switched off for the whole process (a global flag in leptos_server):
/// a page that another app in the same process (tests start many) began rendering at that
/// moment would wait for its data forever (leptos-rs/leptos#4773). Once per process, before
/// any app serves, nothing else can be rendering.
fn routes() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| leptos_axum::generate_route_list(App))
}
