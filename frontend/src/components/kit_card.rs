//! A catalogue entry in a result list.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::html::safe_url;
use leenpunt_shared::KitSummary;
use leptos::either::Either;
use leptos::prelude::*;

/// A card; `back` is the list it is shown in, where "In mijn mandje" comes back to.
#[component]
pub fn KitCard(kit: KitSummary, back: String) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/catalogus/{}", kit.slug);
    let units = match kit.units_in_service {
        0 => None,
        1 => Some(T::UnitsOne.get(lang).to_owned()),
        n => Some(format!("{n} {}", T::UnitsAvailable.get(lang))),
    };
    let cart = add_to_cart(&kit, &href, back);
    view! {
        <li class="kit-card">
            <article>
                {kit.photo.filter(|p| safe_url(&p.url).is_some()).map(|p| view! { <img src=p.url alt=p.alt loading="lazy" width="400" height="300"/> })}
                <div class="kit-card-body">
                    <p class="kind-badge" data-kind=kit.kind.code()>{kit.kind.label(lang)}</p>
                    <h3><a href=href>{kit.title}</a></h3>
                    <p class="summary">{kit.summary}</p>
                    <p class="meta">
                        <span class="partner">{kit.partner.name}</span>
                        {units.map(|u| view! { <span class="units">{u}</span> })}
                    </p>
                    <ul class="tags" aria-label=t(T::Themes)>
                        {kit.themes.iter().map(|th| view! { <li class="tag">{th.label(lang)}</li> }).collect_view()}
                    </ul>
                    {kit.requires_training.then(|| view! { <p class="training-badge">{t(T::TrainingRequired)}</p> })}
                    {cart}
                </div>
            </article>
        </li>
    }
}

/// "In mijn mandje" on a card: a plain form post (one kit, as the form has no quantity field,
/// from its only pickup point, back to this list), or a link to the kit page when a pickup
/// point must be chosen.
fn add_to_cart(kit: &KitSummary, href: &str, back: String) -> Option<impl IntoView> {
    if !kit.kind.is_reservable() {
        return None;
    }
    let title = kit.title.clone();
    Some(match kit.pickup_points.as_slice() {
        [] => return None,
        [point] => Either::Left(view! {
            <form method="post" action="/mandje/toevoegen" class="card-cart">
                <input type="hidden" name="kit" value=kit.slug.clone()/>
                <input type="hidden" name="pickup_point" value=point.clone()/>
                <input type="hidden" name="next" value=back/>
                <button type="submit" class="button secondary">
                    {t(T::CartAddButton)}<span class="visually-hidden">": " {title}</span>
                </button>
            </form>
        }),
        _ => Either::Right(view! {
            <p class="card-cart">
                <a href=format!("{href}#add-to-cart-title")>
                    {t(T::CartChoosePointFirst)}<span class="visually-hidden">": " {title}</span>
                </a>
            </p>
        }),
    })
}
