//! Server-side rendering glue: what the server provides to the app, and the HTML shell.

use crate::App;
use leenpunt_shared::{
    CatalogueQuery, KitDetail, Lang, MonthAvailability, Problem, Reservation, SearchResults,
};
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
    /// This month's availability at the kit type's first pickup point.
    fn availability(&self, slug: String) -> BoxFuture<Result<MonthAvailability, Problem>>;
    /// Reservations for whoever made the request (`request` carries who that is), filtered
    /// by a query string as the API takes it (`scope=desk&status=…`).
    fn reservations(
        &self,
        request: http::request::Parts,
        query: String,
    ) -> BoxFuture<Result<Vec<Reservation>, Problem>>;
    /// The desk agenda (`point`, `view`, `date` from the page's query).
    fn desk_agenda(
        &self,
        request: http::request::Parts,
        point: Option<String>,
        view: Option<String>,
        date: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::DeskAgenda, Problem>>;
    /// The newest audit entries (admins).
    fn audit(
        &self,
        request: http::request::Parts,
        query: leenpunt_shared::audit::AuditQuery,
    ) -> BoxFuture<Result<leenpunt_shared::audit::AuditPage, Problem>>;
    /// The development mailbox (admins).
    fn mailbox(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::accounts::MailboxEntry>, Problem>>;
    /// The schools to choose from when signing up.
    fn schools(&self) -> BoxFuture<Result<Vec<leenpunt_shared::accounts::SchoolOption>, Problem>>;
    /// The invitation screen for whoever made the request.
    fn invite_screen(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::accounts::InviteScreen, Problem>>;
    /// The calendar page for whoever made the request.
    fn feeds(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::FeedsScreen, Problem>>;
    /// The closed-days screen for whoever made the request.
    fn closed_days(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::reservations::ClosedDaysScreen, Problem>>;
    /// Upcoming training sessions (of one training when given).
    fn training_sessions(
        &self,
        request: http::request::Parts,
        training: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::SessionsScreen, Problem>>;
    /// One training session's page for whoever made the request.
    fn training_session(
        &self,
        request: http::request::Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::SessionScreen, Problem>>;
    /// The trainings page of whoever made the request.
    fn my_trainings(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::MyTrainingsScreen, Problem>>;
    /// The trainings management page.
    fn trainings_admin(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::TrainingsAdminScreen, Problem>>;
    /// The desk's day.
    fn desk_today(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::handover::TodayScreen, Problem>>;
    /// A reservation's hand-over screen.
    fn handover(
        &self,
        request: http::request::Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::HandoverScreen, Problem>>;
    /// A request's hand-over and return screen (a sent cart at the desk).
    fn request_handover(
        &self,
        request: http::request::Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::RequestDeskScreen, Problem>>;
    /// A unit's return screen, by label code.
    fn return_screen(
        &self,
        request: http::request::Parts,
        code: String,
    ) -> BoxFuture<Result<leenpunt_shared::handover::ReturnScreen, Problem>>;
    /// A unit's page for desk staff.
    fn unit(
        &self,
        request: http::request::Parts,
        id: i64,
    ) -> BoxFuture<Result<leenpunt_shared::handover::UnitScreen, Problem>>;
    /// The trainings the asker holds today (slugs).
    fn held_trainings(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<Vec<String>, Problem>>;
    /// The managers' home: what needs attention.
    fn overview(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::admin::Overview, Problem>>;
    /// "In cijfers": the report of a period (`from`/`to` as typed) for whoever asks.
    fn stats(
        &self,
        request: http::request::Parts,
        from: Option<String>,
        to: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::stats::StatsReport, Problem>>;
    /// The public figures of the last school year.
    fn public_stats(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::stats::PublicStats, Problem>>;
    /// Everything held about the asker.
    fn personal_data(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::PersonalData, Problem>>;
    /// The asker's erasure request and, for admins, the pending ones.
    fn erasure_screen(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::ErasureScreen, Problem>>;
    /// The facts of the privacy notice (from the configuration).
    fn privacy(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::privacy::PrivacyFacts, Problem>>;
    /// The units one may print labels for.
    fn labels(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<leenpunt_shared::handover::LabelsScreen, Problem>>;
    /// The kit types one may edit.
    fn editable_kits(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::admin::KitListEntry>, Problem>>;
    /// A kit type's edit screen (`None`: a new one).
    fn kit_edit(
        &self,
        request: http::request::Parts,
        slug: Option<String>,
        draft: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::admin::KitEditScreen, Problem>>;
    /// A register (schools, partner services, pickup points) as a table.
    fn register(
        &self,
        request: http::request::Parts,
        kind: String,
    ) -> BoxFuture<Result<leenpunt_shared::admin::RegisterScreen, Problem>>;
    /// One record's form.
    fn register_edit(
        &self,
        request: http::request::Parts,
        kind: String,
        key: Option<String>,
        draft: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::admin::RegisterEditScreen, Problem>>;
    /// People, for the user administration.
    fn users(
        &self,
        request: http::request::Parts,
        query: String,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::admin::UserRow>, Problem>>;
    /// The open waiting-list entries of whoever made the request.
    fn waitlist(
        &self,
        request: http::request::Parts,
    ) -> BoxFuture<Result<Vec<leenpunt_shared::WaitlistEntry>, Problem>>;
    /// The CSV import screen, with the upload named by `token` checked now.
    fn csv_import(
        &self,
        request: http::request::Parts,
        token: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::csv_import::ImportScreen, Problem>>;
    /// The cart page: the asker's cart (a visitor's from its cookie), checked when asked,
    /// for the school chosen (a teacher of several schools).
    fn cart_screen(
        &self,
        request: http::request::Parts,
        check: bool,
        school: Option<String>,
    ) -> BoxFuture<Result<leenpunt_shared::cart::CartScreen, Problem>>;
}

/// The current request, for backend calls that depend on who is asking.
pub(crate) fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
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
    /// The camera scanner's decoder module (loaded by the scanner page on demand).
    #[serde(default)]
    pub scanner: String,
    /// The trainer's roster script (saves each tick as it is made; no wasm).
    #[serde(default)]
    pub roster: String,
    /// The desk's offline queue (its own wasm, loaded by the desk pages only).
    #[serde(default)]
    pub deskqueue: String,
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

/// Hydrates every island on the page, then marks the body `data-hydrated="true"` (each
/// island gets the same mark), so people and browser tests can tell a live page from a
/// server-rendered one. Island functions are the wasm exports named in `data-component`.
/// A page without islands has nothing to hydrate: it loads neither the JS glue nor the wasm
/// (most of a first load) and is marked at once. A module script runs after parsing, so
/// every island is in the document when it looks.
const BOOT_SCRIPT: &str = r#"const islands = document.querySelectorAll('leptos-island');
if (islands.length === 0) {
  document.body.dataset.hydrated = 'true';
} else {
  const app = await import('__JS__');
  await app.default({ module_or_path: '__WASM__' });
  app.hydrate();
  for (const island of islands) {
    const hydrateIsland = app[island.dataset.component];
    if (!hydrateIsland) { console.warn('no island', island.dataset.component); continue; }
    await hydrateIsland(island);
    island.dataset.hydrated = 'true';
  }
  document.body.dataset.hydrated = 'true';
}"#;

/// The HTML document around the app.
pub fn shell(assets: AssetManifest) -> impl IntoView {
    let lang = request_lang();
    let nonce = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned())
        .map(|n| n.0)
        .unwrap_or_default();
    // Pages that load modules on demand (the camera scanner) read the asset names.
    provide_context(assets.clone());
    // Leptos's own inline scripts (resource data for hydration) read this.
    provide_context(leptos::nonce::Nonce::from_value(nonce.clone()));
    // Islands mode: the page itself is not hydrated, only its islands (as `HydrationScripts`
    // does in islands mode). Without this, server-only resources would be serialized.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // Without a built front end (API tests, `cargo run` before a build) pages still render.
    let hydration = (!assets.js.is_empty()).then(|| {
        let boot = BOOT_SCRIPT
            .replace("__JS__", &assets.js)
            .replace("__WASM__", &assets.wasm);
        // No preload links: they would fetch the wasm on pages without islands too.
        view! { <script type="module" nonce=nonce>{boot}</script> }
    });
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5563"/>
                <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/assets/icon-192.png"/>
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
