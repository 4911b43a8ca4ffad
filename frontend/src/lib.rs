//! The Leenpunt web application: pages rendered on the server and hydrated in the browser.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leenpunt_shared::Lang;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The page language: negotiated on the server, read back from `<html lang>` in the browser.
pub(crate) fn page_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        ssr::request_lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
}

/// The signed-in user's display name, if any. Pages are rendered on the server only
/// (islands mode), so this is plain context from the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrentUser {
    /// The display name; `None` when nobody is signed in.
    pub name: Option<String>,
    /// Teaches at a school, so may reserve.
    pub teacher: bool,
    /// Works at a lending desk (or is an admin).
    pub desk: bool,
    /// Manages a partner service's data (partner admin or admin).
    pub manages: bool,
    /// A global administrator.
    pub admin: bool,
    /// Gives trainings for a partner service.
    pub trainer: bool,
    /// The signed-in person's e-mail address.
    pub email: Option<String>,
    /// The language the signed-in person's mails are written in.
    pub mail_lang: Option<leenpunt_shared::Lang>,
    /// Whether the signed-in person gets reminders and digests.
    pub reminders: bool,
    /// How many lines the asker's cart holds (a visitor's too).
    pub cart_lines: usize,
}

fn page_user() -> CurrentUser {
    #[cfg(feature = "ssr")]
    {
        ssr::request_user()
    }
    #[cfg(not(feature = "ssr"))]
    {
        CurrentUser::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(page_lang());
    provide_context(page_user());
    view! {
        <Router>
            <components::layout::Layout>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/catalogus") view=pages::catalogue::CataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalogus/:slug") view=pages::kit::KitPage ssr=SsrMode::Async/>
                    <Route path=path!("/aanmelden") view=pages::signin::SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/wachtwoord-vergeten") view=pages::password::ForgotPassword ssr=SsrMode::Async/>
                    <Route path=path!("/account-aanmaken") view=pages::password::SignUp ssr=SsrMode::Async/>
                    <Route path=path!("/account-aanmaken/school") view=pages::password::SchoolRequest ssr=SsrMode::Async/>
                    <Route path=path!("/wachtwoord/:token") view=pages::password::NewPassword ssr=SsrMode::Async/>
                    <Route path=path!("/uitnodiging/:token") view=pages::password::AcceptInvitation ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/uitnodigen") view=pages::password::Invite ssr=SsrMode::Async/>
                    <Route path=path!("/beheer") view=pages::admin::Overview ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/audit") view=pages::admin::AuditLog ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/mailbox") view=pages::admin::Mailbox ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/verwijderverzoeken") view=pages::erasure::ErasureRequests ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/sleutels") view=pages::tokens::AdminTokens ssr=SsrMode::Async/>
                    <Route path=path!("/mandje") view=pages::cart::CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandje/verstuurd") view=pages::cart::SentPage ssr=SsrMode::Async/>
                    <Route path=path!("/mijn-reservaties") view=pages::reservations::MyReservations ssr=SsrMode::Async/>
                    <Route path=path!("/mijn-account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/mijn-account/gegevens") view=pages::privacy::PersonalDataPage ssr=SsrMode::Async/>
                    <Route path=path!("/balie") view=pages::reservations::Desk ssr=SsrMode::Async/>
                    <Route path=path!("/agenda") view=pages::agenda::Agenda ssr=SsrMode::Async/>
                    <Route path=path!("/balie/agenda") view=pages::agenda::DeskAgendaPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/sluitingsdagen") view=pages::closed_days::ClosedDays ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/import") view=pages::import::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/opleidingen") view=pages::trainings::Sessions ssr=SsrMode::Async/>
                    <Route path=path!("/code") view=pages::code::CodeLookup ssr=SsrMode::Async/>
                    <Route path=path!("/balie/vandaag") view=pages::desk::Today ssr=SsrMode::Async/>
                    <Route path=path!("/balie/scan") view=pages::desk::ScanPage ssr=SsrMode::Async/>
                    <Route path=path!("/balie/uitgifte/:id") view=pages::desk::Handover ssr=SsrMode::Async/>
                    <Route path=path!("/balie/aanvraag/:id") view=pages::desk::RequestHandover ssr=SsrMode::Async/>
                    <Route path=path!("/balie/aanvraag/:id/inname") view=pages::desk::RequestReturn ssr=SsrMode::Async/>
                    <Route path=path!("/balie/inname") view=pages::desk::ReturnStart ssr=SsrMode::Async/>
                    <Route path=path!("/balie/inname/:code") view=pages::desk::ReturnCheck ssr=SsrMode::Async/>
                    <Route path=path!("/balie/exemplaren/:id") view=pages::desk::UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/labels") view=pages::desk::Labels ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/materiaal") view=pages::kits::KitList ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/gebruikers") view=pages::kits::Users ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/register/:kind") view=pages::kits::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/register/:kind/:key") view=pages::kits::RegisterEdit ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/materiaal/nieuw") view=pages::kits::KitEdit ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/materiaal/:slug") view=pages::kits::KitEdit ssr=SsrMode::Async/>
                    <Route path=path!("/opleidingen/sessies/:id") view=pages::trainings::SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/mijn-opleidingen") view=pages::trainings::MyTrainings ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/opleidingen") view=pages::trainings::TrainingsAdmin ssr=SsrMode::Async/>
                    <Route path=path!("/beheer/cijfers") view=pages::stats::StatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/in-cijfers") view=pages::stats::PublicStatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/privacy") view=pages::privacy::PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/toegankelijkheid") view=pages::privacy::AccessibilityPage ssr=SsrMode::Async/>
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}

/// The browser entry point, called by the boot script once the wasm is loaded. Pages are
/// server-rendered; only `#[island]` components are hydrated (and only their code is in
/// the wasm). The boot script then hydrates each `<leptos-island>` and marks the body.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
