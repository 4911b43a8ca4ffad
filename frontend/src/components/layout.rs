//! The page frame: header with language switch, account and navigation, main, footer.

use crate::i18n::{t, use_lang, T};
use crate::CurrentUser;
use leenpunt_shared::query::encode_component;
use leenpunt_shared::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let other = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
    let location = use_location();
    // The switch is a plain server round trip: it sets a cookie and comes back here.
    let switch_href = move || {
        let search = location.search.get();
        let here = if search.is_empty() {
            location.pathname.get()
        } else {
            format!(
                "{}?{}",
                location.pathname.get(),
                search.trim_start_matches('?')
            )
        };
        format!("/taal/{}?next={}", other.code(), encode_component(&here))
    };
    view! {
        <a class="skip-link" href="#main">{t(T::SkipToContent)}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"L"</span>
                    <span class="brand-name">{t(T::SiteName)}</span>
                </a>
                <div class="header-tools">
                    <a
                        class="lang-switch"
                        href=switch_href
                        rel="external"
                        hreflang=other.tag()
                        lang=other.tag()
                        aria-label=t(T::SwitchLanguageLabel)
                    >
                        {t(T::SwitchLanguage)}
                    </a>
                    <crate::components::account::AccountMenu/>
                </div>
            </div>
            <MainNav/>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{t(T::Province)}</p>
                <p class="footer-links">
                    <a href="/in-cijfers" class="footer-stats">{t(T::PublicStatsTitle)}</a>
                    <a href="/privacy" class="footer-privacy">{t(T::FooterPrivacy)}</a>
                    <a href="/toegankelijkheid" class="footer-accessibility">{t(T::FooterAccessibility)}</a>
                </p>
            </div>
        </footer>
    }
}

/// The managers' screens (partner admins and admins) as (address, class, name): the
/// "Beheer" menu and the `/beheer` home list the same ones.
pub fn admin_screens(user: &CurrentUser) -> Vec<(&'static str, &'static str, T)> {
    let mut screens = vec![
        ("/beheer/materiaal", "nav-kits", T::KitsAdminTitle),
        ("/beheer/labels", "nav-labels", T::NavLabels),
        (
            "/beheer/opleidingen",
            "nav-trainings-admin",
            T::NavTrainingsAdmin,
        ),
        (
            "/beheer/sluitingsdagen",
            "nav-closed-days",
            T::NavClosedDays,
        ),
        (
            "/beheer/register/afhaalpunten",
            "nav-registers",
            T::NavRegisters,
        ),
        ("/beheer/gebruikers", "nav-users", T::UsersTitle),
        ("/beheer/uitnodigen", "nav-invite", T::NavInvite),
        ("/beheer/import", "nav-import", T::NavImport),
        ("/beheer/cijfers", "nav-stats", T::StatsTitle),
    ];
    if user.admin {
        screens.push(("/beheer/audit", "nav-audit", T::AuditTitle));
        screens.push(("/beheer/mailbox", "nav-mailbox", T::MailboxTitle));
        screens.push((
            "/beheer/verwijderverzoeken",
            "nav-erasure",
            T::ErasureAdminTitle,
        ));
        screens.push(("/beheer/sleutels", "nav-tokens", T::NavTokens));
    }
    screens
}

/// The navigation: the links of the person's own work side by side, the staff screens in a
/// "Balie" and a "Beheer" menu. The menus are `<details>`, so they open without JavaScript,
/// and the row wraps, so it fits a 360 px phone for every role.
#[component]
fn MainNav() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    let signed_in = user.name.is_some();
    let link = |href: &'static str, class: &'static str, text: T| {
        view! { <li><a href=href class=class>{t(text)}</a></li> }
    };
    let desk = user.desk.then(|| {
        view! {
            <li>
                <details class="nav-menu nav-menu-desk">
                    <summary>{t(T::NavDeskMenu)}</summary>
                    <ul>
                        {link("/balie/vandaag", "nav-today", T::NavToday)}
                        {link("/balie", "nav-desk", T::NavDeskReservations)}
                        {link("/balie/agenda", "nav-desk-agenda", T::DeskAgendaTitle)}
                        {link("/balie/scan", "nav-scan", T::NavScan)}
                        {link("/balie/inname", "nav-returns", T::NavReturns)}
                    </ul>
                </details>
            </li>
        }
    });
    let manage = user.manages.then(|| {
        view! {
            <li>
                <details class="nav-menu nav-menu-admin">
                    <summary>{t(T::NavAdminMenu)}</summary>
                    <ul>
                        {link("/beheer", "nav-overview", T::NavOverview)}
                        {admin_screens(&user).into_iter().map(|(href, class, text)| link(href, class, text)).collect_view()}
                    </ul>
                </details>
            </li>
        }
    });
    view! {
        <nav class="wrap main-nav" aria-label=t(T::NavMain)>
            <ul class="nav-links">
                {link("/catalogus", "nav-catalogue", T::NavCatalogue)}
                {link("/opleidingen", "nav-trainings", T::NavTrainings)}
                {user.teacher.then(|| link("/mijn-reservaties", "nav-reservations", T::NavMyReservations))}
                {(user.teacher || user.trainer).then(|| link("/mijn-opleidingen", "nav-my-trainings", T::NavMyTrainings))}
                {signed_in.then(|| link("/agenda", "nav-agenda", T::NavAgenda))}
                {(user.teacher || !signed_in || user.cart_lines > 0).then(|| view! {
                    <li><a href="/mandje" class="nav-cart">
                        {t(T::CartNav)}
                        {(user.cart_lines > 0).then(|| view! {
                            " " <span class="cart-count" aria-label=format!("{} {}", user.cart_lines, t(T::CartNavCount))>{user.cart_lines}</span>
                        })}
                    </a></li>
                })}
                {desk}
                {manage}
            </ul>
        </nav>
    }
}
