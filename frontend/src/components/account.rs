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
            <span class="account-name" title=name.clone()>
                <span class="visually-hidden">{format!("{} ", t(T::SignedInAs))}</span>
                {name.clone()}
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
