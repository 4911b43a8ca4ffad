//! The header's account corner: a sign-in link, or the user's name and a sign-out button.
//! (The links for the person's work are in the navigation, `layout.rs`.)

use crate::i18n::{t, T};
use crate::CurrentUser;
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn AccountMenu() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    match user.name {
        Some(name) => Either::Left(view! {
            <a class="account-name" href="/mijn-account" title=name.clone()>
                <span class="visually-hidden">{format!("{} ", t(T::SignedInAs))}</span>
                {name.clone()}
            </a>
            // A POST form: signing out changes state, so it is not a link.
            <form method="post" action="/afmelden" class="signout">
                <button type="submit" class="nav-button">{t(T::SignOut)}</button>
            </form>
        }),
        None => {
            // Back to this page after signing in (the server accepts same-site paths only).
            let location = leptos_router::hooks::use_location();
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                location.pathname.get_untracked()
            } else {
                format!("{}?{search}", location.pathname.get_untracked())
            };
            let href = if here == "/" || here.starts_with("/aanmelden") {
                "/aanmelden".to_owned()
            } else {
                format!(
                    "/aanmelden?next={}",
                    leenpunt_shared::query::encode_component(&here)
                )
            };
            Either::Right(view! { <a href=href class="signin" rel="external">{t(T::SignIn)}</a> })
        }
    }
}
