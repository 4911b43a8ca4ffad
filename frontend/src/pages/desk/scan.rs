//! The in-app camera scanner page.

use super::*;

/// What the scanner page is for, from its query: `?reservatie=<id>` hands units over for a
/// reservation, `?aanvraag=<id>` for a request, `?aanvraag=<id>&inname=1` takes a request's
/// units back; without any, it looks units up.
pub(super) fn scan_mode() -> ScanMode {
    let query = use_query_map().get_untracked();
    let id = |k: &str| query.get(k).and_then(|s| s.parse::<i64>().ok());
    match (id("reservatie"), id("aanvraag")) {
        (Some(r), _) => ScanMode::Reservation(r),
        (None, Some(r)) if query.get("inname").is_some() => ScanMode::RequestReturn(r),
        (None, Some(r)) => ScanMode::Request(r),
        (None, None) => ScanMode::Lookup,
    }
}

/// `/balie/scan`: the camera scanner (see `scan_mode` for what it does).
#[component]
pub fn ScanPage() -> impl IntoView {
    let mode = scan_mode();
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    let decoder = decoder_url();
    view! {
        <PageTitle text=t(T::ScannerTitle)/>
        <section class="scan-page">
            {if user.desk {
                Either::Left(view! {
                    <crate::components::scanner::Scanner mode=mode decoder=decoder/>
                    <DeskQueuePanel snapshot=Default::default()/>
                    {match mode {
                        ScanMode::Reservation(id) => Some((format!("/balie/uitgifte/{id}"), T::HandoverTitle)),
                        ScanMode::Request(id) => Some((format!("/balie/aanvraag/{id}"), T::RequestHandoverTitle)),
                        ScanMode::RequestReturn(id) => Some((format!("/balie/aanvraag/{id}/inname"), T::RequestReturnTitle)),
                        ScanMode::Lookup => None,
                    }.map(|(href, text)| view! { <p><a class="back-to-page" href=href>{t(text)}</a></p> })}
                    <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                    <script type="module" src="/desk.js"></script>
                })
            } else {
                Either::Right({
                    set_status(if user.name.is_some() { 403 } else { 401 });
                    view! { <p class="error" role="alert">{if user.name.is_some() { t(T::NotAllowed) } else { t(T::SignInFirst) }}</p> }
                })
            }}
        </section>
    }
}

/// Where the scanner's decoder module is (server render only).
pub(super) fn decoder_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::AssetManifest>()
            .map(|m| m.scanner)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}
