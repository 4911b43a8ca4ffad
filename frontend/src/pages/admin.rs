//! Admin lists: the audit log and the development mailbox. Server-rendered, read-only.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::audit::{describe, subject_label, AuditKind, AuditQuery};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A stored UTC instant as the Brussels local date and time people read ("30 november
/// 2026 10:15"); the raw text when it is not one.
fn local_time(rfc3339: &str, lang: leenpunt_shared::Lang) -> String {
    match leenpunt_shared::time::brussels_local(rfc3339) {
        Some((day, time)) => format!("{} {time}", leenpunt_shared::labels::human_date(&day, lang)),
        None => rfc3339.to_owned(),
    }
}

/// A mail body with its web addresses as links (only http(s) and same-site paths; every
/// other character stays text).
fn linked_text(body: &str) -> impl IntoView {
    let mut parts = Vec::new();
    let mut text = String::new();
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                text.push(' ');
            }
            let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
            let is_link =
                trimmed.starts_with("http") && leenpunt_shared::html::safe_url(trimmed).is_some();
            if is_link {
                parts.push(Either::Left(std::mem::take(&mut text)));
                parts.push(Either::Right(trimmed.to_owned()));
                text.push_str(&word[trimmed.len()..]);
            } else {
                text.push_str(word);
            }
        }
    }
    parts.push(Either::Left(text));
    parts
        .into_iter()
        .map(|p| match p {
            Either::Left(t) => Either::Left(t),
            Either::Right(url) => {
                let href = url.clone();
                Either::Right(view! { <a href=href rel="noopener noreferrer">{url}</a> })
            }
        })
        .collect_view()
}

fn refused(status: u16) -> impl IntoView {
    set_status(status);
    view! { <p class="error" role="alert">{if status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
}

/// The audit log filter as given in the address.
fn audit_query() -> AuditQuery {
    let params = use_query_map().get_untracked();
    let text = |k: &str| params.get(k).filter(|v| !v.trim().is_empty());
    AuditQuery {
        person: text("wie"),
        kind: text("soort"),
        object: text("object"),
        from: text("van"),
        to: text("tot"),
        before: params.get("voor").and_then(|v| v.parse().ok()),
    }
}

/// The audit log as people read it: who did what to which object, when (Brussels time),
/// filtered by person, kind, object and dates, fifty at a time, and downloadable as CSV
/// with the same filter.
#[component]
pub fn AuditLog() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let query = audit_query();
    let entries = Resource::new(
        {
            let query = query.clone();
            move || query.clone()
        },
        api::audit,
    );
    let filter = AuditQuery {
        before: None,
        ..query.clone()
    };
    let export = format!("/api/v1/audit/export.csv?{}", filter.to_query_string());
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let kind = value(&query.kind);
    let filtered = filter != AuditQuery::default();
    let paged = query.before.is_some();
    view! {
        <PageTitle text=t(T::AuditTitle)/>
        <section class="admin-page audit-page">
            <h1>{t(T::AuditTitle)}</h1>
            <p class="hint">{t(T::AuditIntro)}</p>
            <form method="get" action="/beheer/audit" class="audit-filter" role="search">
                <p>
                    <label for="audit-who">{t(T::AuditWho)}</label>
                    <input id="audit-who" name="wie" value=value(&query.person) maxlength="200" autocomplete="off"/>
                </p>
                <p>
                    <label for="audit-kind">{t(T::AuditKindLabel)}</label>
                    <select id="audit-kind" name="soort">
                        <option value="" selected=kind.is_empty()>{t(T::AuditAllKinds)}</option>
                        {AuditKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=kind == k.code()>{k.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </p>
                <p>
                    <label for="audit-object">{t(T::AuditObject)}</label>
                    <input id="audit-object" name="object" value=value(&query.object) maxlength="200" placeholder=t(T::AuditObjectPlaceholder) autocomplete="off"/>
                </p>
                <p>
                    <label for="audit-from">{t(T::AuditFrom)}</label>
                    <input id="audit-from" name="van" type="date" value=value(&query.from)/>
                </p>
                <p>
                    <label for="audit-to">{t(T::AuditTo)}</label>
                    <input id="audit-to" name="tot" type="date" value=value(&query.to)/>
                </p>
                <p class="audit-actions">
                    <button type="submit" class="button primary">{t(T::AuditFilter)}</button>
                    {filtered.then(|| view! { <a href="/beheer/audit" class="button secondary">{t(T::ClearFilters)}</a> })}
                    <a href=export class="button secondary" download="leenpunt-audit.csv" id="audit-export">{t(T::AuditExport)}</a>
                </p>
            </form>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                    match entries.await {
                        Ok(page) if page.entries.is_empty() => Either::Left(view! {
                            <p class="empty">{t(T::AuditNothing)}</p>
                        }.into_any()),
                        Ok(page) => {
                            let next = page.next_before.map(|before| {
                                format!("/beheer/audit?{}", AuditQuery { before: Some(before), ..filter.clone() }.to_query_string())
                            });
                            Either::Left(view! {
                            <table class="audit-table">
                                <thead><tr>
                                    <th scope="col">{t(T::When)}</th>
                                    <th scope="col">{t(T::Who)}</th>
                                    <th scope="col">{t(T::What)}</th>
                                    <th scope="col">{t(T::AuditObject)}</th>
                                    <th scope="col">{t(T::AuditDetail)}</th>
                                </tr></thead>
                                <tbody>
                                    {page.entries.into_iter().map(|e| {
                                        let object = e.subject_name.clone().unwrap_or_else(|| subject_label(&e.subject, lang));
                                        let object_link = format!(
                                            "/beheer/audit?{}",
                                            AuditQuery { object: Some(subject_label(&e.subject, lang)), ..AuditQuery::default() }.to_query_string()
                                        );
                                        view! {
                                        <tr data-action=e.action.clone()>
                                            <td data-label=t(T::When)>{local_time(&e.at, lang)}</td>
                                            <td data-label=t(T::Who)>
                                                {e.actor_name.clone().unwrap_or_else(|| t(T::System).to_owned())}
                                                {e.actor_email.clone().map(|m| view! { <br/><small>{m}</small> })}
                                                {e.via_token.clone().map(|n| view! { <br/><small class="via-token">{format!("{} {n}", t(T::ViaToken))}</small> })}
                                            </td>
                                            <td data-label=t(T::What) class="audit-what">{describe(&e.action, lang)}</td>
                                            <td data-label=t(T::AuditObject)><a href=object_link>{object}</a></td>
                                            <td data-label=t(T::AuditDetail)>{e.detail.clone()}</td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager audit-pager" aria-label=t(T::AuditPages)>
                                {paged.then(|| view! {
                                    <a href=format!("/beheer/audit?{}", filter.to_query_string()) class="button secondary">{t(T::AuditNewest)}</a>
                                })}
                                {next.map(|href| view! { <a href=href class="button secondary" rel="next" id="audit-older">{t(T::AuditOlder)}</a> })}
                            </nav>
                        }.into_any())
                        }
                        Err(p) if p.status == 422 => Either::Left({ set_status(422); view! {
                            <div class="error" role="alert">
                                {p.errors.iter().map(|e| view! { <p>{e.message.clone()}</p> }).collect_view()}
                            </div>
                        }.into_any() }),
                        Err(p) => Either::Right(refused(p.status)),
                    }
                })}}
            </Suspense>
        </section>
    }
}

#[component]
pub fn Mailbox() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let mails = Resource::new(|| (), |_| api::mailbox());
    view! {
        <PageTitle text=t(T::MailboxTitle)/>
        <section class="admin-page">
            <h1>{t(T::MailboxTitle)}</h1>
            <p class="hint">{t(T::MailboxIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match mails.await {
                        Ok(list) if list.is_empty() => Either::Left(view! { <p class="empty">{t(T::NoMail)}</p> }.into_any()),
                        Ok(list) => Either::Left(view! {
                            <ul class="mailbox">
                                {list.into_iter().map(|m| view! {
                                    <li class="mail">
                                        <details>
                                            <summary>
                                                <strong>{m.subject.clone()}</strong>
                                                {format!(" → {} · {}", m.to, local_time(&m.created_at, lang))}
                                                {m.sent_at.is_none().then(|| format!(" · {}", t(T::NotSent)))}
                                            </summary>
                                            <pre class="mail-body">{linked_text(&m.body)}</pre>
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()),
                        Err(p) => Either::Right(refused(p.status)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/beheer`: the managers' home. What needs attention now (each count opens the screen
/// where it is dealt with), the units in maintenance, and every management screen.
#[component]
pub fn Overview() -> impl IntoView {
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    let overview = Resource::new(|| (), |_| api::overview());
    let screens = crate::components::layout::admin_screens(&user);
    view! {
        <PageTitle text=t(T::OverviewTitle)/>
        <section class="admin-page overview-page">
            <h1>{t(T::OverviewTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let screens = screens.clone();
                    Suspend::new(async move {
                        match overview.await {
                            Ok(o) => Either::Left(view! {
                                <p class="hint">{t(T::OverviewIntro)}</p>
                                <h2>{t(T::OverviewAttention)}</h2>
                                <ul class="tiles">
                                    {tile("/balie?status=aangevraagd", "awaiting", o.awaiting_approval, T::OverviewAwaiting)}
                                    {tile("#onderhoud", "maintenance", o.in_maintenance, T::OverviewMaintenance)}
                                    {tile("/balie/vandaag#te-laat", "overdue", o.overdue, T::OverviewOverdue)}
                                    {tile("/beheer/labels?nieuw=1", "labels", o.labels_unprinted, T::OverviewLabels)}
                                </ul>
                                {(!o.maintenance.is_empty()).then(|| view! {
                                    <h2 id="onderhoud">{t(T::OverviewMaintenance)}</h2>
                                    <ul class="maintenance-list">
                                        {o.maintenance.into_iter().map(|u| view! {
                                            <li data-unit=u.id.0>
                                                <a href=format!("/balie/exemplaren/{}", u.id.0)>{u.inventory_code}</a>
                                                {format!(" — {} · {}", u.kit_title, u.partner)}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                                <h2>{t(T::OverviewScreens)}</h2>
                                <ul class="screen-links">
                                    {screens.into_iter().map(|(href, class, text)| view! {
                                        <li><a href=href class=class>{t(text)}</a></li>
                                    }).collect_view()}
                                </ul>
                            }),
                            Err(p) => Either::Right(refused(p.status)),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// A count that needs attention, linking to where it is dealt with; zero looks calm.
fn tile(href: &'static str, kind: &'static str, count: u32, text: T) -> impl IntoView {
    view! {
        <li class="tile" data-kind=kind data-count=count class:calm=count == 0>
            <a href=href>
                <strong class="tile-count">{count}</strong>
                <span class="tile-text">{t(text)}</span>
            </a>
        </li>
    }
}
