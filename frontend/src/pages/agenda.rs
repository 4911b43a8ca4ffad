//! "Leenpunt in your calendar": secret subscription links per scope, each renewable and
//! revocable. Server-rendered with plain form posts; a new link is shown once.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::query::encode_component;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The subscribe links for a freshly made feed URL.
#[component]
fn NewLink(url: String) -> impl IntoView {
    let webcal = match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.clone(),
    };
    let google = format!(
        "https://calendar.google.com/calendar/render?cid={}",
        encode_component(&webcal)
    );
    let outlook = format!(
        "https://outlook.live.com/calendar/0/addfromweb?url={}&name=Leenpunt",
        encode_component(&url)
    );
    view! {
        <div class="notice new-feed" role="status">
            <label for="feed-url">{t(T::NewFeedLink)}</label>
            <input id="feed-url" readonly=true value=url.clone()/>
            <p class="feed-actions">
                <a class="button primary" href=webcal>{t(T::SubscribeWebcal)}</a>
                <a class="button secondary" href=google rel="external noopener">{t(T::AddToGoogle)}</a>
                <a class="button secondary" href=outlook rel="external noopener">{t(T::AddToOutlook)}</a>
            </p>
        </div>
    }
}

#[component]
pub fn Agenda() -> impl IntoView {
    let lang = use_lang();
    let screen = Resource::new(|| (), |_| api::feeds());
    let query = use_query_map().get_untracked();
    let fresh = query.get("nieuw").filter(|u| u.starts_with("http"));
    let revoked = query.get("ingetrokken").is_some();
    let error = query.get("fout");
    view! {
        <PageTitle text=t(T::AgendaTitle)/>
        <section class="agenda-page">
            <h1>{t(T::AgendaTitle)}</h1>
            <p class="hint">{t(T::AgendaIntro)}</p>
            {fresh.map(|url| view! { <NewLink url/> })}
            {revoked.then(|| view! { <p class="notice" role="status" id="outcome">{t(T::Revoked)}</p> })}
            {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <div class="feed-create">
                                <form method="post" action="/agenda-links" class="inline">
                                    <input type="hidden" name="scope" value="user"/>
                                    <button type="submit" class="button primary make-feed-user">{format!("{}: {}", t(T::MakeLink), t(T::FeedMine))}</button>
                                </form>
                                {(!s.schools.is_empty()).then(|| view! {
                                    <form method="post" action="/agenda-links" class="inline">
                                        <input type="hidden" name="scope" value="school"/>
                                        <label for="feed-school">{t(T::FeedForSchool)}</label>
                                        <select id="feed-school" name="school">
                                            {s.schools.iter().map(|(n, name)| view! { <option value=n.clone()>{name.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="button secondary">{t(T::MakeLink)}</button>
                                    </form>
                                })}
                                {(!s.kits.is_empty()).then(|| view! {
                                    <form method="post" action="/agenda-links" class="inline">
                                        <input type="hidden" name="scope" value="kit"/>
                                        <label for="feed-kit">{t(T::FeedForKit)}</label>
                                        <select id="feed-kit" name="kit">
                                            {s.kits.iter().map(|(slug, title)| view! { <option value=slug.clone()>{title.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="button secondary make-feed-kit">{t(T::MakeLink)}</button>
                                    </form>
                                })}
                                {(!s.points.is_empty()).then(|| view! {
                                    <form method="post" action="/agenda-links" class="inline">
                                        <input type="hidden" name="scope" value="pickup"/>
                                        <label for="feed-point">{t(T::FeedForPoint)}</label>
                                        <select id="feed-point" name="pickup">
                                            {s.points.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="button secondary">{t(T::MakeLink)}</button>
                                    </form>
                                })}
                            </div>
                            {if s.feeds.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::NoFeeds)}</p> })
                            } else {
                                Either::Right(view! {
                                    <ul class="feeds">
                                        {s.feeds.into_iter().map(|f| {
                                            let label = if f.scope == "user" { T::FeedMine.get(lang).to_owned() } else { f.label.clone() };
                                            // The Brussels day it was made, not the UTC one.
                                            let day = leenpunt_shared::time::brussels_local(&f.created_at).map(|(day, _)| day);
                                            let since = human_date(day.as_deref().or(f.created_at.get(0..10)).unwrap_or_default(), lang);
                                            view! {
                                                <li class="feed" data-id=f.id data-scope=f.scope.clone()>
                                                    <strong>{label}</strong>
                                                    <span class="since">{format!(" · {since}")}</span>
                                                    <form method="post" action=format!("/agenda-links/{}/vernieuwen", f.id) class="inline">
                                                        <button type="submit" class="button secondary renew">{t(T::RenewLink)}</button>
                                                    </form>
                                                    <form method="post" action=format!("/agenda-links/{}/intrekken", f.id) class="inline">
                                                        <button type="submit" class="button secondary revoke">{t(T::RevokeLink)}</button>
                                                    </form>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                        }),
                        Err(p) => Either::Right({
                            set_status(p.status);
                            view! {
                                <p class="notice"><a href="/aanmelden?next=%2Fagenda" rel="external">{t(T::SignInFirst)}</a></p>
                            }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The desk agenda: a week or a month of one pickup point's pickups and returns.
#[component]
pub fn DeskAgendaPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let (point, view, date) = (
        query.get("afhaalpunt"),
        query.get("weergave"),
        query.get("datum"),
    );
    let agenda = Resource::new(
        move || (point.clone(), view.clone(), date.clone()),
        |(p, v, d)| {
            api::desk_agenda(
                p,
                v.map(|v| if v == "maand" { "month".to_owned() } else { v }),
                d,
            )
        },
    );
    let entry = move |e: leenpunt_shared::reservations::AgendaEntry| {
        view! {
            <li class="agenda-entry" data-status=e.status.code()>
                {format!("{} × {} · {} ({})", e.quantity, e.kit_title, e.school, e.borrower)}
                <span class="status-badge" data-status=e.status.code()>{e.status.label(lang)}</span>
            </li>
        }
    };
    view! {
        <PageTitle text=t(T::DeskAgendaTitle)/>
        <section class="desk-agenda-page">
            <h1>{t(T::DeskAgendaTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match agenda.await {
                        Ok(a) => {
                            let link = |date: &str, view: &str| {
                                format!("/balie/agenda?afhaalpunt={}&weergave={view}&datum={date}", encode_component(&a.point))
                            };
                            let this = if a.view == "month" { "maand" } else { "week" };
                            Either::Left(view! {
                                <form method="get" action="/balie/agenda" class="desk-filter">
                                    <label for="agenda-point">{t(T::PickupPoint)}</label>
                                    <select id="agenda-point" name="afhaalpunt">
                                        {a.points.iter().map(|(slug, name)| view! {
                                            <option value=slug.clone() selected=*slug == a.point>{name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                    <input type="hidden" name="weergave" value=this/>
                                    <input type="hidden" name="datum" value=a.first.clone()/>
                                    <button type="submit" class="button secondary">{t(T::FilterButton)}</button>
                                </form>
                                <nav class="agenda-nav" aria-label=t(T::DeskAgendaTitle)>
                                    <a href=link(&a.prev, this) class="agenda-prev">{t(T::Earlier)}</a>
                                    <strong class="agenda-range">{format!("{} – {}", human_date(&a.first, lang), human_date(&a.last, lang))}</strong>
                                    <a href=link(&a.next, this) class="agenda-next">{t(T::Later)}</a>
                                    <a href=link(&a.first, "week") class="agenda-week" aria-current=(this == "week").then_some("true")>{t(T::Week)}</a>
                                    <a href=link(&a.first, "maand") class="agenda-month" aria-current=(this == "maand").then_some("true")>{t(T::Month)}</a>
                                </nav>
                                {a.hours.clone().map(|h| view! { <p class="hint">{format!("{}: {h}", t(T::HandoverHours))}</p> })}
                                <ol class="agenda-days" data-view=a.view.clone()>
                                    {a.days.into_iter().map(|d| {
                                        let empty = d.pickups.is_empty() && d.returns.is_empty();
                                        view! {
                                            <li class="agenda-day" data-date=d.date.clone() class:empty=empty>
                                                <h2>{human_date(&d.date, lang)}</h2>
                                                {(!d.pickups.is_empty()).then(|| view! {
                                                    <h3>{t(T::Pickups)}</h3>
                                                    <ul class="agenda-pickups">{d.pickups.into_iter().map(entry).collect_view()}</ul>
                                                })}
                                                {(!d.returns.is_empty()).then(|| view! {
                                                    <h3>{t(T::Returns)}</h3>
                                                    <ul class="agenda-returns">{d.returns.into_iter().map(entry).collect_view()}</ul>
                                                })}
                                                {empty.then(|| view! { <p class="empty">{t(T::NothingThisDay)}</p> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            })
                        }
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
