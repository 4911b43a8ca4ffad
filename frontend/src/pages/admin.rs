//! Admin lists: the audit log and the development mailbox. Server-rendered, read-only.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use crate::pages::not_found::set_status;
use leptos::either::Either;
use leptos::prelude::*;

fn refused(status: u16) -> impl IntoView {
    set_status(status);
    view! { <p class="error" role="alert">{if status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let entries = Resource::new(|| (), |_| api::audit());
    view! {
        <PageTitle text=t(T::AuditTitle)/>
        <section class="admin-page">
            <h1>{t(T::AuditTitle)}</h1>
            <p class="hint">{t(T::AuditIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => Either::Left(view! {
                            <table class="closed-days audit" tabindex="0">
                                <thead><tr>
                                    <th scope="col">{t(T::When)}</th>
                                    <th scope="col">{t(T::Who)}</th>
                                    <th scope="col">{t(T::What)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.at.get(0..16).unwrap_or_default().replace('T', " ")}</td>
                                            <td>{e.actor.unwrap_or_else(|| t(T::System).to_owned())}</td>
                                            <td>{format!("{} {} {}", e.action, e.subject, e.detail)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }),
                        Err(p) => Either::Right(refused(p.status)),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn Mailbox() -> impl IntoView {
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
                                                {format!(" → {} · {}", m.to, m.created_at.get(0..16).unwrap_or_default().replace('T', " "))}
                                                {m.sent_at.is_none().then(|| format!(" · {}", t(T::NotSent)))}
                                            </summary>
                                            <pre class="mail-body">{m.body.clone()}</pre>
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
