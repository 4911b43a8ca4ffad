//! A catalogue entry in a result list.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::html::safe_url;
use leenpunt_shared::KitSummary;
use leptos::prelude::*;

#[component]
pub fn KitCard(kit: KitSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/catalogus/{}", kit.slug);
    let units = match kit.units_in_service {
        0 => None,
        1 => Some(T::UnitsOne.get(lang).to_owned()),
        n => Some(format!("{n} {}", T::UnitsAvailable.get(lang))),
    };
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
                </div>
            </article>
        </li>
    }
}
