//! Data access for pages. In the browser it calls the JSON API; during server rendering
//! it calls the server's backend directly (same types, no HTTP round trip).

use leenpunt_shared::{
    CatalogueQuery, KitDetail, MonthAvailability, Problem, Reservation, SearchResults,
};
use std::future::Future;

/// Searches the catalogue.
pub fn search(
    query: CatalogueQuery,
) -> impl Future<Output = Result<SearchResults, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.search(query).await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::get_json(format!("/api/v1/catalogue?{}", query.to_query_string()))
    }
}

/// One catalogue entry by slug; `Ok(None)` when it does not exist.
pub fn kit(
    slug: String,
) -> impl Future<Output = Result<Option<KitDetail>, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.kit(slug).await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let url = format!(
            "/api/v1/catalogue/{}",
            leenpunt_shared::query::encode_component(&slug)
        );
        async move {
            match client::get_json::<KitDetail>(url).await {
                Ok(kit) => Ok(Some(kit)),
                Err(p) if p.status == 404 => Ok(None),
                Err(p) => Err(p),
            }
        }
    }
}

/// This month's availability of a kit type at its first pickup point.
pub fn availability(
    slug: String,
) -> impl Future<Output = Result<MonthAvailability, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.availability(slug).await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        availability_month(slug, String::new(), String::new())
    }
}

/// One month of availability at a pickup point (browser only: the reservation island).
#[cfg(not(feature = "ssr"))]
pub fn availability_month(
    slug: String,
    point: String,
    month: String,
) -> impl Future<Output = Result<MonthAvailability, Problem>> + Send + 'static {
    use leenpunt_shared::query::encode_component as enc;
    let url = format!(
        "/api/v1/catalogue/{}/availability?pickup={}&month={}",
        enc(&slug),
        enc(&point),
        enc(&month)
    );
    async move {
        client::get_json::<Vec<MonthAvailability>>(url)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| client::network_problem(200))
    }
}

/// Reservations for whoever is asking, by an API query string.
pub fn reservations(
    query: String,
) -> impl Future<Output = Result<Vec<Reservation>, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.reservations(parts, query).await,
                None => Ok(Vec::new()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::get_json(format!("/api/v1/reservations?{query}"))
    }
}

/// The closed-days screen for whoever is asking (server-rendered page only).
pub fn closed_days(
) -> impl Future<Output = Result<leenpunt_shared::reservations::ClosedDaysScreen, Problem>>
       + Send
       + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.closed_days(parts).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(client_free_problem()) }
    }
}

/// The calendar page's data for whoever is asking (server-rendered page only).
pub fn feeds(
) -> impl Future<Output = Result<leenpunt_shared::reservations::FeedsScreen, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.feeds(parts).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(client_free_problem()) }
    }
}

/// The desk agenda for whoever is asking (server-rendered page only).
pub fn desk_agenda(
    point: Option<String>,
    view: Option<String>,
    date: Option<String>,
) -> impl Future<Output = Result<leenpunt_shared::reservations::DeskAgenda, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.desk_agenda(parts, point, view, date).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (point, view, date);
        async { Err(client_free_problem()) }
    }
}

/// The invitation screen for whoever is asking (server-rendered page only).
pub fn invite_screen(
) -> impl Future<Output = Result<leenpunt_shared::accounts::InviteScreen, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.invite_screen(parts).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(client_free_problem()) }
    }
}

/// The newest audit entries (server-rendered page only; admins).
pub fn audit(
    query: leenpunt_shared::audit::AuditQuery,
) -> impl Future<Output = Result<leenpunt_shared::audit::AuditPage, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.audit(parts, query).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = query;
        async { Err(client_free_problem()) }
    }
}

/// The development mailbox (server-rendered page only; admins).
pub fn mailbox(
) -> impl Future<Output = Result<Vec<leenpunt_shared::accounts::MailboxEntry>, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.mailbox(parts).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(client_free_problem()) }
    }
}

/// The schools to choose from when signing up (server-rendered page only).
pub fn schools(
) -> impl Future<Output = Result<Vec<leenpunt_shared::accounts::SchoolOption>, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.schools().await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(client_free_problem()) }
    }
}

/// The answer for data that only the server render reads.
fn client_free_problem() -> Problem {
    Problem {
        kind: "/problems/not-found".into(),
        title: "Not found".into(),
        status: 404,
        detail: None,
        ..Problem::default()
    }
}

/// The open waiting-list entries of whoever is asking.
pub fn waitlist(
) -> impl Future<Output = Result<Vec<leenpunt_shared::WaitlistEntry>, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.waitlist(parts).await,
                None => Ok(Vec::new()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::get_json("/api/v1/waitlist".into())
    }
}

/// The CSV import screen (server-rendered page only).
pub fn csv_import(
    token: Option<String>,
) -> impl Future<Output = Result<leenpunt_shared::csv_import::ImportScreen, Problem>> + Send + 'static
{
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        let parts = crate::ssr::request_parts();
        async move {
            match parts {
                Some(parts) => backend.csv_import(parts, token).await,
                None => Err(client_free_problem()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = token;
        async { Err(client_free_problem()) }
    }
}

/// Joins the waiting list for dates that are full (browser only: the reservation island).
#[cfg(not(feature = "ssr"))]
pub fn join_waitlist(
    body: leenpunt_shared::NewReservation,
    idempotency_key: String,
) -> impl Future<Output = Result<leenpunt_shared::WaitlistEntry, Problem>> + Send + 'static {
    client::post_json("/api/v1/waitlist".into(), body, idempotency_key)
}

/// Books a reservation (browser only: the reservation island).
#[cfg(not(feature = "ssr"))]
pub fn reserve(
    body: leenpunt_shared::NewReservation,
    idempotency_key: String,
) -> impl Future<Output = Result<Reservation, Problem>> + Send + 'static {
    client::post_json("/api/v1/reservations".into(), body, idempotency_key)
}

/// Registers the asker for a training session (browser only: the reservation island's
/// "you need a training" answer).
#[cfg(not(feature = "ssr"))]
pub fn register_for_session(
    id: i64,
) -> impl Future<Output = Result<leenpunt_shared::TrainingSession, Problem>> + Send + 'static {
    client::post_json(
        format!("/api/v1/training-sessions/{id}/registration"),
        serde_json::json!({}),
        String::new(),
    )
}

/// Hands a scanned unit over (browser only: the scanner island).
#[cfg(not(feature = "ssr"))]
pub fn hand_over_scanned(
    reservation: i64,
    code: String,
) -> impl Future<Output = Result<leenpunt_shared::handover::HandoverOutcome, Problem>> + Send + 'static
{
    client::post_json(
        format!("/api/v1/reservations/{reservation}/handover"),
        leenpunt_shared::handover::HandoverBody {
            code,
            override_reason: String::new(),
        },
        String::new(),
    )
}

/// Hands a scanned unit over on a request: it fills the line of its kit type (browser
/// only: the scanner island).
#[cfg(not(feature = "ssr"))]
pub fn hand_over_request_scanned(
    request: i64,
    code: String,
) -> impl Future<Output = Result<leenpunt_shared::handover::RequestHandoverOutcome, Problem>>
       + Send
       + 'static {
    client::post_json(
        format!("/api/v1/requests/{request}/handover"),
        leenpunt_shared::handover::HandoverBody {
            code,
            override_reason: String::new(),
        },
        String::new(),
    )
}

/// Looks a scanned code up (browser only: the scanner island).
#[cfg(not(feature = "ssr"))]
pub fn scan_code(
    code: String,
) -> impl Future<Output = Result<leenpunt_shared::handover::ScanResult, Problem>> + Send + 'static {
    client::get_json(format!(
        "/api/v1/scan/{}",
        leenpunt_shared::query::encode_component(&code)
    ))
}

#[cfg(not(feature = "ssr"))]
mod client {
    use leenpunt_shared::Problem;
    use serde::de::DeserializeOwned;
    use std::future::Future;

    pub fn network_problem(status: u16) -> Problem {
        Problem {
            kind: "/problems/network".into(),
            title: "Network error".into(),
            status,
            detail: None,
            ..Problem::default()
        }
    }

    /// GETs JSON from our own API; errors come back as the server's problem+json.
    pub fn get_json<T: DeserializeOwned + 'static>(
        url: String,
    ) -> impl Future<Output = Result<T, Problem>> + Send + 'static {
        send_wrapper::SendWrapper::new(async move {
            let window = web_sys::window().ok_or_else(|| network_problem(0))?;
            read(window.fetch_with_str(&url)).await
        })
    }

    /// POSTs JSON with an idempotency key (so a retry cannot book twice).
    pub fn post_json<B: serde::Serialize, T: DeserializeOwned + 'static>(
        url: String,
        body: B,
        idempotency_key: String,
    ) -> impl Future<Output = Result<T, Problem>> + Send + 'static {
        let body = serde_json::to_string(&body).unwrap_or_default();
        send_wrapper::SendWrapper::new(async move {
            let window = web_sys::window().ok_or_else(|| network_problem(0))?;
            let headers = web_sys::Headers::new().map_err(|_| network_problem(0))?;
            let _ = headers.set("content-type", "application/json");
            let _ = headers.set("idempotency-key", &idempotency_key);
            let init = web_sys::RequestInit::new();
            init.set_method("POST");
            init.set_headers(&headers);
            init.set_body(&wasm_bindgen::JsValue::from_str(&body));
            read(window.fetch_with_str_and_init(&url, &init)).await
        })
    }

    async fn read<T: DeserializeOwned>(fetch: js_sys::Promise) -> Result<T, Problem> {
        {
            use wasm_bindgen::JsCast;
            use wasm_bindgen_futures::JsFuture;
            let response = JsFuture::from(fetch)
                .await
                .map_err(|_| network_problem(0))?;
            let response: web_sys::Response =
                response.dyn_into().map_err(|_| network_problem(0))?;
            let text_promise = response
                .text()
                .map_err(|_| network_problem(response.status()))?;
            let text = JsFuture::from(text_promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            if response.ok() {
                serde_json::from_str(&text).map_err(|_| network_problem(response.status()))
            } else {
                Err(serde_json::from_str(&text)
                    .unwrap_or_else(|_| network_problem(response.status())))
            }
        }
    }
}

/// Data only a server render reads, for whoever made the page request: calls a backend
/// method with the request (and the given arguments); the browser build answers 404.
macro_rules! server_screen {
    ($(#[$meta:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $out:ty => $method:ident) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) -> impl Future<Output = Result<$out, Problem>> + Send + 'static {
            #[cfg(feature = "ssr")]
            {
                let backend = crate::ssr::backend();
                let parts = crate::ssr::request_parts();
                async move {
                    match parts {
                        Some(parts) => backend.$method(parts $(, $arg)*).await,
                        None => Err(client_free_problem()),
                    }
                }
            }
            #[cfg(not(feature = "ssr"))]
            {
                $(let _ = $arg;)*
                async { Err(client_free_problem()) }
            }
        }
    };
}

server_screen!(
    /// Upcoming training sessions (of one training when given).
    training_sessions(training: Option<String>) -> leenpunt_shared::SessionsScreen => training_sessions
);
server_screen!(
    /// One session's page.
    training_session(id: i64) -> leenpunt_shared::SessionScreen => training_session
);
server_screen!(
    /// The asker's trainings page.
    my_trainings() -> leenpunt_shared::MyTrainingsScreen => my_trainings
);
server_screen!(
    /// The trainings management page.
    trainings_admin() -> leenpunt_shared::TrainingsAdminScreen => trainings_admin
);
server_screen!(
    /// The desk's day.
    desk_today() -> leenpunt_shared::handover::TodayScreen => desk_today
);
server_screen!(
    /// A reservation's hand-over screen.
    handover(id: i64) -> leenpunt_shared::handover::HandoverScreen => handover
);
server_screen!(
    /// A request's hand-over and return screen.
    request_handover(id: i64) -> leenpunt_shared::handover::RequestDeskScreen => request_handover
);
server_screen!(
    /// A unit's return screen.
    return_screen(code: String) -> leenpunt_shared::handover::ReturnScreen => return_screen
);
server_screen!(
    /// A unit's page for desk staff.
    unit(id: i64) -> leenpunt_shared::handover::UnitScreen => unit
);
server_screen!(
    /// The trainings the asker holds today (slugs).
    held_trainings() -> Vec<String> => held_trainings
);
server_screen!(
    /// The managers' home: what needs attention.
    overview() -> leenpunt_shared::admin::Overview => overview
);
server_screen!(
    /// The units one may print labels for.
    labels() -> leenpunt_shared::handover::LabelsScreen => labels
);
server_screen!(
    /// The kit types one may edit.
    editable_kits() -> Vec<leenpunt_shared::admin::KitListEntry> => editable_kits
);
server_screen!(
    /// A kit type's edit screen.
    kit_edit(slug: Option<String>, draft: Option<String>) -> leenpunt_shared::admin::KitEditScreen => kit_edit
);
server_screen!(
    /// A register as a table.
    register(kind: String) -> leenpunt_shared::admin::RegisterScreen => register
);
server_screen!(
    /// One record's form.
    register_edit(kind: String, key: Option<String>, draft: Option<String>) -> leenpunt_shared::admin::RegisterEditScreen => register_edit
);
server_screen!(
    /// People, for the user administration.
    users(query: String) -> Vec<leenpunt_shared::admin::UserRow> => users
);
server_screen!(
    /// "In cijfers": the report of a period.
    stats(from: Option<String>, to: Option<String>) -> leenpunt_shared::stats::StatsReport => stats
);
server_screen!(
    /// Everything Leenpunt holds about the asker.
    personal_data() -> leenpunt_shared::privacy::PersonalData => personal_data
);
server_screen!(
    /// The asker's erasure request and, for admins, the pending ones.
    erasure_screen() -> leenpunt_shared::privacy::ErasureScreen => erasure_screen
);
server_screen!(
    /// The facts of the privacy notice and the accessibility statement.
    privacy() -> leenpunt_shared::privacy::PrivacyFacts => privacy
);
server_screen!(
    /// The public figures of the last school year.
    public_stats() -> leenpunt_shared::stats::PublicStats => public_stats
);
server_screen!(
    /// The cart page: the asker's cart, with every line's verdict when `check` (for
    /// `school`, chosen by a teacher of several schools).
    cart_screen(check: bool, school: Option<String>) -> leenpunt_shared::cart::CartScreen => cart_screen
);
