//! A catalogue entry's page.

use crate::api;
use crate::components::reserve::{PointChoice, ReservePanel};
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::{set_not_found_status, Missing};
use leenpunt_shared::html::safe_url;
use leenpunt_shared::{KitDetail, Lang, LoanRules};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn KitPage() -> impl IntoView {
    let params = use_params_map();
    let kit = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::kit,
    );
    // Someone scanned a label that was replaced by a new one.
    let replaced = use_query_map()
        .get_untracked()
        .get("label")
        .is_some_and(|v| v == "vervangen");
    view! {
        {replaced.then(|| view! { <p class="warning label-replaced" role="status">{t(T::LabelReplacedNotice)}</p> })}
        <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match kit.await {
                    Ok(Some(k)) => EitherOf3::A(view! { <KitView kit=k/> }),
                    Ok(None) => {
                        set_not_found_status();
                        EitherOf3::B(view! { <Missing text=T::KitNotFoundText/> })
                    }
                    Err(_) => {
                        crate::pages::not_found::set_status(500);
                        EitherOf3::C(view! { <p class="error" role="alert">{t(T::LoadError)}</p> })
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn KitView(kit: KitDetail) -> impl IntoView {
    let lang = use_lang();
    let paragraphs: Vec<String> = kit
        .description
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let photo = kit.photos.first().cloned();
    let reservable = kit.kind.is_reservable();
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    let teacher = user.teacher;
    // The calendar opens on this month's availability, loaded with the page.
    let booking = (reservable && !kit.pickup_points.is_empty()).then(|| {
        let points: Vec<PointChoice> = kit
            .pickup_points
            .iter()
            .map(|p| PointChoice {
                slug: p.slug.clone(),
                name: p.name.clone(),
            })
            .collect();
        let month = Resource::new(|| (), {
            let slug = kit.slug.clone();
            move |_| api::availability(slug.clone())
        });
        let kit_slug = kit.slug.clone();
        let rules = kit.loan_rules;
        let max_quantity = kit.units_in_service.max(1);
        view! {
            <Suspense>
                {move || {
                    let points = points.clone();
                    let kit_slug = kit_slug.clone();
                    Suspend::new(async move {
                        month.await.ok().map(|month| view! {
                            <ReservePanel
                                kit=kit_slug
                                points
                                month
                                can_book=user.teacher
                                needs_approval=rules.needs_approval
                                max_quantity
                            />
                        })
                    })
                }}
            </Suspense>
        }
    });
    let add_to_cart = (reservable && !kit.pickup_points.is_empty()).then(|| {
        let points: Vec<(String, String)> = kit
            .pickup_points
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect();
        view! { <AddToCart kit=kit.slug.clone() points max=kit.units_in_service.max(1)/> }
    });
    view! {
        <PageTitle text=kit.title.clone()/>
        <Meta name="description" content=kit.summary.clone()/>
        <nav class="breadcrumb" aria-label=t(T::Breadcrumb)>
            <a href="/catalogus">{t(T::CatalogueTitle)}</a>
            <span aria-hidden="true">" › "</span>
            <span aria-current="page">{kit.title.clone()}</span>
        </nav>
        <article class="kit-detail">
            <header class="kit-head">
                <p class="kind-badge" data-kind=kit.kind.code()>{kit.kind.label(lang)}</p>
                <h1>{kit.title.clone()}</h1>
                <p class="lead">{kit.summary.clone()}</p>
            </header>
            <div class="kit-columns">
                <div class="kit-main">
                    // The booking panel first: on a phone it is seen without scrolling.
                    {booking}
                    {add_to_cart}
                    {photo.filter(|p| safe_url(&p.url).is_some()).map(|p| view! { <img class="kit-photo" src=p.url alt=p.alt width="800" height="600"/> })}
                    <section aria-labelledby="about">
                        <h2 id="about">{t(T::Description)}</h2>
                        {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </section>
                    {(!kit.parts.is_empty()).then(|| view! {
                        <section aria-labelledby="contents">
                            <h2 id="contents">{t(T::Contents)}</h2>
                            <table class="parts" tabindex="0">
                                <thead><tr><th scope="col">{t(T::PartName)}</th><th scope="col" class="num">{t(T::PartCount)}</th></tr></thead>
                                <tbody>
                                    {kit.parts.iter().map(|p| view! {
                                        <tr><td>{p.name.clone()}</td><td class="num">{p.expected_count}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    })}
                    {(!kit.required_trainings.is_empty()).then(|| {
                        // A teacher who holds every required training needs no reminder.
                        let required = kit.required_trainings.clone();
                        let held = Resource::new(|| (), move |_| {
                            let ask = teacher.then(api::held_trainings);
                            async move {
                                match ask {
                                    Some(ask) => ask.await.unwrap_or_default(),
                                    None => Vec::new(),
                                }
                            }
                        });
                        view! {
                            <Suspense>
                                {move || {
                                    let required = required.clone();
                                    Suspend::new(async move {
                                        let held = held.await;
                                        (!required.iter().all(|tr| held.contains(&tr.slug))).then(|| view! {
                                            <section class="trainings" aria-labelledby="trainings">
                                                <h2 id="trainings">{t(T::RequiredTrainings)}</h2>
                                                <p>{t(T::RequiredTrainingsIntro)}</p>
                                                <ul>{required.iter().map(|tr| view! { <li data-training=tr.slug.clone()>{tr.title.clone()}</li> }).collect_view()}</ul>
                                            </section>
                                        })
                                    })
                                }}
                            </Suspense>
                        }
                    })}
                </div>
                <aside class="kit-side">
                    <dl class="facts">
                        <dt>{if reservable { t(T::LentBy) } else { t(T::OfferedBy) }}</dt>
                        <dd>{kit.partner.name.clone()}</dd>
                        <dt>{t(T::Levels)}</dt>
                        <dd>{kit.levels.iter().map(|l| l.label(lang)).collect::<Vec<_>>().join(", ")}</dd>
                        <dt>{t(T::Themes)}</dt>
                        <dd>{kit.themes.iter().map(|th| th.label(lang)).collect::<Vec<_>>().join(", ")}</dd>
                        {reservable.then(|| view! {
                            <dt>{t(T::Units)}</dt>
                            <dd>{kit.units_in_service}</dd>
                        })}
                    </dl>
                    {reservable.then(|| view! { <Rules rules=kit.loan_rules lang/> })}
                    {(!kit.pickup_points.is_empty()).then(|| view! {
                        <section aria-labelledby="pickup">
                            <h2 id="pickup">{t(T::PickupPoints)}</h2>
                            <ul class="pickup-points">
                                {kit.pickup_points.iter().map(|pp| view! {
                                    <li>
                                        <strong>{pp.name.clone()}</strong>
                                        <address>{pp.street.clone()}<br/>{format!("{} {}", pp.postcode, pp.municipality)}</address>
                                        {(!pp.opening_hours.is_empty()).then(|| view! {
                                            <p class="hours"><span>{format!("{}: ", t(T::OpeningHours))}</span>{pp.opening_hours.clone()}</p>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {kit.external_url.clone().filter(|url| safe_url(url).is_some()).map(|url| view! {
                        <p><a class="button primary" href=url rel="external noopener">{t(T::MoreInfo)}</a></p>
                    })}
                    <section aria-labelledby="contact">
                        <h2 id="contact">{t(T::Contact)}</h2>
                        <p>{kit.partner.name.clone()}</p>
                        {kit.partner.email.clone().map(|e| view! { <p><a href=format!("mailto:{e}")>{e.clone()}</a></p> })}
                        {kit.partner.phone.clone().map(|p| view! { <p>{p}</p> })}
                    </section>
                </aside>
            </div>
        </article>
    }
}

#[component]
fn Rules(rules: LoanRules, lang: Lang) -> impl IntoView {
    let tx = |k: T| k.get(lang);
    view! {
        <section aria-labelledby="rules">
            <h2 id="rules">{tx(T::LoanRules)}</h2>
            <dl class="facts">
                <dt>{tx(T::RuleLead)}</dt>
                <dd>{format!("{} {}", rules.lead_days, tx(T::OpenDays))}</dd>
                <dt>{tx(T::RuleLoan)}</dt>
                <dd>{format!("{}–{} {}", rules.min_loan_days, rules.max_loan_days, tx(T::Days))}</dd>
                <dt>{tx(T::RuleHorizon)}</dt>
                <dd>{format!("{} {}", rules.horizon_days, tx(T::DaysAhead))}</dd>
                <dt>{tx(T::RulePerSchool)}</dt>
                <dd>{rules.max_per_school}</dd>
                <dt>{tx(T::RuleApproval)}</dt>
                <dd>{if rules.needs_approval { tx(T::Yes) } else { tx(T::No) }}</dd>
            </dl>
        </section>
    }
}

/// "In mijn mandje": a plain form post (works without the wasm, for a visitor too), back
/// here with `?mandje=toegevoegd` or `?mandje_fout=` and the reason.
#[component]
fn AddToCart(kit: String, points: Vec<(String, String)>, max: u32) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let added = q.get("mandje").is_some_and(|v| v == "toegevoegd");
    let error = q.get("mandje_fout");
    let here = format!("/catalogus/{kit}");
    let point = match points.as_slice() {
        [(slug, _)] => {
            EitherOf3::A(view! { <input type="hidden" name="pickup_point" value=slug.clone()/> })
        }
        [] => EitherOf3::B(()),
        _ => EitherOf3::C(view! {
            <label for="cart-point">{t(T::CartPoint)}</label>
            <select id="cart-point" name="pickup_point">
                {points.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
            </select>
        }),
    };
    view! {
        <section class="add-to-cart" aria-labelledby="add-to-cart-title">
            <h2 id="add-to-cart-title">{t(T::CartAddTitle)}</h2>
            <p>{t(T::CartAddIntro)}</p>
            {added.then(|| view! {
                <p class="notice" role="status" id="cart-added">{t(T::CartAdded)} " " <a href="/mandje">{t(T::CartGoTo)}</a></p>
            })}
            {error.map(|e| view! { <p class="error" role="alert" id="cart-error">{e}</p> })}
            <form method="post" action="/mandje/toevoegen" class="inline add-to-cart-form">
                <input type="hidden" name="kit" value=kit.clone()/>
                <input type="hidden" name="next" value=here/>
                {point}
                <label for="cart-quantity">{t(T::CartQuantity)}</label>
                <input id="cart-quantity" type="number" name="quantity" min="1" max=max value="1" required=true/>
                <button type="submit" class="button secondary add-to-cart-button">{t(T::CartAddButton)}</button>
            </form>
        </section>
    }
}
