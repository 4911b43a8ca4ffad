//! The public statements a province must publish: the privacy notice and the
//! accessibility statement, with the controller's contact and the retention periods from
//! the configuration.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use leenpunt_shared::privacy::PrivacyFacts;
use leptos::either::Either;
use leptos::prelude::*;

/// The controller's contact, or what to do when none is configured.
fn contact(f: &PrivacyFacts) -> impl IntoView {
    match f.contact.clone() {
        Some(c) => {
            let href = if c.starts_with("https://") || c.starts_with("http://") {
                Some(c.clone())
            } else {
                (c.contains('@') && !c.contains(' ')).then(|| format!("mailto:{c}"))
            };
            Either::Left(view! {
                <p class="privacy-contact">{t(T::PrivacyContactIs)} " " <a href=href>{c}</a></p>
            })
        }
        None => Either::Right(view! { <p class="privacy-contact">{t(T::PrivacyNoContact)}</p> }),
    }
}

fn list(items: &[T]) -> impl IntoView {
    let items = items.to_vec();
    view! { <ul>{items.into_iter().map(|k| view! { <li>{t(k)}</li> }).collect_view()}</ul> }
}

/// `/privacy`: what is kept, why, how long, whom to ask.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let facts = Resource::new(|| (), |_| api::privacy());
    view! {
        <PageTitle text=t(T::PrivacyTitle)/>
        <article class="statement-page privacy-page">
            <h1>{t(T::PrivacyTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let Ok(f) = facts.await else {
                        return Either::Right(view! { <p class="error" role="alert">{t(T::LoadFailed)}</p> });
                    };
                    let r = f.retention;
                    let kept = [
                        (T::PrivacyKeptMails, r.sent_mail_days),
                        (T::PrivacyKeptSessions, r.session_days),
                        (T::PrivacyKeptThrottles, r.throttle_days),
                        (T::PrivacyKeptUnconfirmed, r.unconfirmed_days),
                    ];
                    Either::Left(view! {
                        <p>{format!("{} {}.", t(T::PrivacyIntro), f.controller)}</p>
                        <h2>{t(T::PrivacyWhoTitle)}</h2>
                        <p>{format!("{} {}.", t(T::PrivacyController), f.controller)}</p>
                        {contact(&f)}
                        <h2>{t(T::PrivacyWhatTitle)}</h2>
                        {list(&[T::PrivacyWhatAccount, T::PrivacyWhatLoans, T::PrivacyWhatTrainings, T::PrivacyWhatFeeds, T::PrivacyWhatMails, T::PrivacyWhatAudit, T::PrivacyWhatThrottles])}
                        <h2>{t(T::PrivacyWhyTitle)}</h2>
                        <p>{t(T::PrivacyWhy)}</p>
                        <h2>{t(T::PrivacyHowLongTitle)}</h2>
                        <ul class="retention">
                            {kept.into_iter().map(|(k, days)| view! {
                                <li>{format!("{}: {days} {}", t(k), t(T::PrivacyDays))}</li>
                            }).collect_view()}
                            <li class="retention-inactive">{format!(
                                "{}: {} {} ({} {} {})",
                                t(T::PrivacyKeptInactive), r.inactive_school_years, t(T::PrivacySchoolYears),
                                t(T::PrivacyWarnedBefore), r.inactive_warning_days, t(T::PrivacyDaysBefore)
                            )}</li>
                            <li>{t(T::PrivacyKeptAccount)}</li>
                        </ul>
                        <p>{t(T::PrivacyJob)}</p>
                        <h2>{t(T::PrivacyWhoSeesTitle)}</h2>
                        <p>{t(T::PrivacyWhoSees)}</p>
                        <h2>{t(T::PrivacyCookiesTitle)}</h2>
                        <p>{t(T::PrivacyCookies)}</p>
                        <h2>{t(T::PrivacyRightsTitle)}</h2>
                        <p>{t(T::PrivacyRights)}</p>
                    })
                })}
            </Suspense>
        </article>
    }
}

/// `/toegankelijkheid`: the accessibility statement.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let facts = Resource::new(|| (), |_| api::privacy());
    view! {
        <PageTitle text=t(T::AccessibilityTitle)/>
        <article class="statement-page accessibility-page">
            <h1>{t(T::AccessibilityTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let Ok(f) = facts.await else {
                        return Either::Right(view! { <p class="error" role="alert">{t(T::LoadFailed)}</p> });
                    };
                    Either::Left(view! {
                        <p>{format!("{} {}", f.controller, t(T::AccessibilityIntro))}</p>
                        <h2>{t(T::AccessibilityStatusTitle)}</h2>
                        <p>{t(T::AccessibilityStatus)}</p>
                        <p>{t(T::AccessibilityTested)}</p>
                        <h2>{t(T::AccessibilityGapsTitle)}</h2>
                        {list(&[T::AccessibilityGapAudit, T::AccessibilityGapCamera, T::AccessibilityGapCharts])}
                        <h2>{t(T::AccessibilityContactTitle)}</h2>
                        <p>{t(T::AccessibilityContact)}</p>
                        {contact(&f)}
                        <p class="hint">{t(T::AccessibilityDated)}</p>
                    })
                })}
            </Suspense>
        </article>
    }
}

/// A table's name in words (the raw name for the rare ones).
fn table_label(table: &str) -> &'static str {
    let key = match table {
        "users" => T::DataUsers,
        "user_roles" => T::DataRoles,
        "reservations" => T::DataReservations,
        "waitlist" => T::DataWaitlist,
        "loan_lines" => T::DataLoans,
        "training_registrations" => T::DataRegistrations,
        "training_session_trainers" => T::DataTrainerOf,
        "qualifications" => T::DataQualifications,
        "calendar_feeds" => T::DataFeeds,
        "outbox" => T::DataMails,
        "audit_log" => T::DataAudit,
        "sessions" => T::DataSessions,
        "login_failures" => T::DataLoginFailures,
        _ => return "",
    };
    t(key)
}

/// `/mijn-account/gegevens`: everything Leenpunt holds about the signed-in person, per
/// table (each record a list of its filled-in fields, so it reads on a phone), with the
/// JSON download.
#[component]
pub fn PersonalDataPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api::personal_data());
    view! {
        <PageTitle text=t(T::PersonalDataTitle)/>
        <article class="statement-page personal-data-page">
            <h1>{t(T::PersonalDataTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let Ok(d) = data.await else {
                        crate::pages::not_found::set_status(401);
                        return Either::Right(view! {
                            <p class="error" role="alert">{t(T::SignInFirst)}</p>
                            <p><a href="/aanmelden?next=/mijn-account/gegevens" rel="external">{t(T::SignIn)}</a></p>
                        });
                    };
                    Either::Left(view! {
                        <p>{t(T::PersonalDataIntro)}</p>
                        <p><a class="button primary" href="/api/v1/me/personal-data" rel="external" download="">{t(T::PersonalDataDownload)}</a></p>
                        {d.tables.into_iter().map(|table| {
                            let label = match table_label(&table.table) {
                                "" => table.table.clone(),
                                l => l.to_owned(),
                            };
                            let count = table.rows.len();
                            let name = table.table.clone();
                            view! {
                                <section class="personal-table" data-table=name>
                                    <h2>{format!("{label} ({count})")}</h2>
                                    {table.rows.into_iter().map(|row| {
                                        let cells: Vec<(String, String)> = table.columns.iter().cloned()
                                            .zip(row.into_iter().map(Option::unwrap_or_default))
                                            .filter(|(_, v)| !v.is_empty())
                                            .collect();
                                        view! {
                                            <dl class="personal-row">
                                                {cells.into_iter().map(|(c, v)| view! { <dt>{c}</dt><dd>{v}</dd> }).collect_view()}
                                            </dl>
                                        }
                                    }).collect_view()}
                                </section>
                            }
                        }).collect_view()}
                    })
                })}
            </Suspense>
        </article>
    }
}
