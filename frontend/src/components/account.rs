//! The header's account corner: a sign-in link, or the user's name and a sign-out button.

use crate::i18n::{t, T};
use crate::CurrentUser;
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn AccountMenu() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    match user.name {
        Some(name) => Either::Left(view! {
            {user.teacher.then(|| view! { <a href="/mijn-reservaties" class="nav-reservations">{t(T::NavMyReservations)}</a> })}
            {(user.teacher || user.trainer).then(|| view! { <a href="/mijn-opleidingen" class="nav-my-trainings">{t(T::NavMyTrainings)}</a> })}
            <a href="/agenda" class="nav-agenda">{t(T::NavAgenda)}</a>
            {user.desk.then(|| view! { <a href="/balie/vandaag" class="nav-today">{t(T::NavToday)}</a> })}
            {user.desk.then(|| view! { <a href="/balie" class="nav-desk">{t(T::NavDesk)}</a> })}
            {user.desk.then(|| view! { <a href="/balie/agenda" class="nav-desk-agenda">{t(T::DeskAgendaTitle)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/sluitingsdagen" class="nav-closed-days">{t(T::NavClosedDays)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/uitnodigen" class="nav-invite">{t(T::NavInvite)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/opleidingen" class="nav-trainings-admin">{t(T::NavTrainingsAdmin)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/labels" class="nav-labels">{t(T::NavLabels)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/materiaal" class="nav-kits">{t(T::KitsAdminTitle)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/register/afhaalpunten" class="nav-registers">{t(T::NavRegisters)}</a> })}
            {user.manages.then(|| view! { <a href="/beheer/gebruikers" class="nav-users">{t(T::UsersTitle)}</a> })}
            {user.admin.then(|| view! { <a href="/beheer/audit" class="nav-audit">{t(T::AuditTitle)}</a> })}
            {user.admin.then(|| view! { <a href="/beheer/mailbox" class="nav-mailbox">{t(T::MailboxTitle)}</a> })}
            <span class="account-name">
                <span class="visually-hidden">{format!("{} ", t(T::SignedInAs))}</span>
                {name}
            </span>
            // A POST form: signing out changes state, so it is not a link.
            <form method="post" action="/afmelden" class="signout">
                <button type="submit" class="nav-button">{t(T::SignOut)}</button>
            </form>
        }),
        None => Either::Right(
            view! { <a href="/aanmelden" class="signin" rel="external">{t(T::SignIn)}</a> },
        ),
    }
}
