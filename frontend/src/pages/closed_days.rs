//! Closed days for partner admins and admins: upcoming closures, add and remove. Plain
//! form posts, server-rendered (no wasm).

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::labels::human_date;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ClosedDays() -> impl IntoView {
    let lang = use_lang();
    let screen = Resource::new(|| (), |_| api::closed_days());
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").is_some();
    let error = query.get("fout");
    view! {
        <PageTitle text=t(T::ClosedDaysTitle)/>
        <section class="closed-days-page">
            <h1>{t(T::ClosedDaysTitle)}</h1>
            <p class="hint">{t(T::ClosedDaysIntro)}" "<a class="import-link" href="/beheer/import#sluitingsdagen">{t(T::ImportLink)}</a></p>
            {ok.then(|| view! { <p class="notice" role="status" id="outcome">{t(T::Saved)}</p> })}
            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <form method="post" action="/sluitingsdagen" class="closed-day-form">
                                <p>
                                    <label for="closed-point">{t(T::PickupPoint)}</label>
                                    <select id="closed-point" name="pickup_point">
                                        {s.can_close_all.then(|| view! { <option value="">{t(T::AllPickupPoints)}</option> })}
                                        {s.points.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                </p>
                                <p>
                                    <label for="closed-first">{t(T::FirstDay)}</label>
                                    <input id="closed-first" type="date" name="first_day" required=true/>
                                </p>
                                <p>
                                    <label for="closed-last">{t(T::LastDay)}</label>
                                    <input id="closed-last" type="date" name="last_day"/>
                                </p>
                                <p>
                                    <label for="closed-reason">{t(T::Reason)}</label>
                                    <input id="closed-reason" name="reason" required=true maxlength="200"/>
                                </p>
                                <button type="submit" class="button primary">{t(T::AddClosedDay)}</button>
                            </form>
                            {if s.days.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::NoClosedDays)}</p> })
                            } else {
                                Either::Right(view! {
                                    <table class="closed-days" tabindex="0">
                                        <thead><tr>
                                            <th scope="col">{t(T::PeriodLabel)}</th>
                                            <th scope="col">{t(T::PickupPoint)}</th>
                                            <th scope="col">{t(T::Reason)}</th>
                                            <th scope="col"><span class="visually-hidden">{t(T::Remove)}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {s.days.into_iter().map(|d| {
                                                let period = if d.first_day == d.last_day {
                                                    human_date(&d.first_day, lang)
                                                } else {
                                                    format!("{} – {}", human_date(&d.first_day, lang), human_date(&d.last_day, lang))
                                                };
                                                view! {
                                                    <tr data-id=d.id>
                                                        <td>{period}</td>
                                                        <td>{d.pickup_point_name.clone().unwrap_or_else(|| T::AllPickupPoints.get(lang).to_owned())}</td>
                                                        <td>{d.reason.clone()}</td>
                                                        <td>{d.removable.then(|| view! {
                                                            <form method="post" action=format!("/sluitingsdagen/{}/verwijderen", d.id)>
                                                                <button type="submit" class="button secondary remove">{t(T::Remove)}</button>
                                                            </form>
                                                        })}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                })
                            }}
                        }),
                        Err(p) => Either::Right({
                            set_status(p.status);
                            view! { <p class="error" role="alert">{if p.status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}
