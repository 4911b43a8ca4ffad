//! Catalogue management: the kit types one manages, and a kit type's form (its fields,
//! contents list, units, loan rules, required trainings) with photo upload. Plain form
//! posts, server-rendered (no wasm). The fields and their rules are those of the catalogue
//! CSV, so a screen and an import always agree.

use crate::api;
use crate::components::text::{PageTitle, TextArea};
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::problem_notice;
use leenpunt_shared::Lang;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A field's label and hint, by its CSV column.
pub(crate) fn label(name: &str, lang: Lang) -> (&'static str, &'static str) {
    let nl = lang == Lang::Nl;
    match name {
        "slug" => {
            if nl {
                (
                    "Adres (slug)",
                    "kleine letters, cijfers en koppeltekens; vast na het aanmaken",
                )
            } else {
                (
                    "Address (slug)",
                    "lower case, digits and hyphens; fixed once created",
                )
            }
        }
        "title" => {
            if nl {
                ("Titel", "")
            } else {
                ("Title", "")
            }
        }
        "kind" => {
            if nl {
                ("Soort", "")
            } else {
                ("Kind", "")
            }
        }
        "partner" => {
            if nl {
                ("Partnerdienst", "")
            } else {
                ("Partner service", "")
            }
        }
        "themes" => {
            if nl {
                (
                    "Thema's",
                    "codes gescheiden door ; (bv. stem;natuur-milieu)",
                )
            } else {
                ("Themes", "codes separated by ; (e.g. stem;natuur-milieu)")
            }
        }
        "levels" => {
            if nl {
                ("Niveaus", "codes gescheiden door ; (bv. kleuter;lager)")
            } else {
                ("Levels", "codes separated by ; (e.g. kleuter;lager)")
            }
        }
        "summary" => {
            if nl {
                ("Korte samenvatting", "hoogstens 300 tekens")
            } else {
                ("Summary", "300 characters at most")
            }
        }
        "description" => {
            if nl {
                ("Beschrijving", "")
            } else {
                ("Description", "")
            }
        }
        "parts" => {
            if nl {
                (
                    "Inhoud",
                    "onderdeel:aantal, gescheiden door ; (bv. Bee-Bot robot:6;Laadstation:1)",
                )
            } else {
                (
                    "Contents",
                    "part:count, separated by ; (e.g. Bee-Bot robot:6;Charger:1)",
                )
            }
        }
        "pickup_points" => {
            if nl {
                ("Afhaalpunten", "slugs gescheiden door ;")
            } else {
                ("Pickup points", "slugs separated by ;")
            }
        }
        "trainings" => {
            if nl {
                ("Vereiste opleidingen", "slugs gescheiden door ;")
            } else {
                ("Required trainings", "slugs separated by ;")
            }
        }
        "photos" => {
            if nl {
                (
                    "Foto's",
                    "url|beschrijving, gescheiden door ;  (of laad hieronder een foto op)",
                )
            } else {
                (
                    "Photos",
                    "url|description, separated by ; (or upload one below)",
                )
            }
        }
        "external_url" => {
            if nl {
                (
                    "Externe link",
                    "voor aanbod dat niet via Leenpunt gereserveerd wordt",
                )
            } else {
                ("External link", "for offers not booked through Leenpunt")
            }
        }
        "units" => {
            if nl {
                ("Exemplaren", "inventariscodes gescheiden door ; met =onderhoud of =afgevoerd voor hun toestand")
            } else {
                (
                    "Units",
                    "inventory codes separated by ; with =onderhoud or =afgevoerd for their state",
                )
            }
        }
        "lead_days" => {
            if nl {
                (
                    "Voorbereidingstijd (open dagen)",
                    "leeg: de standaard van de partner",
                )
            } else {
                ("Lead time (open days)", "empty: the partner's default")
            }
        }
        "horizon_days" => {
            if nl {
                ("Vooruit reserveren (dagen)", "leeg: standaard")
            } else {
                ("Booking horizon (days)", "empty: default")
            }
        }
        "min_loan_days" => {
            if nl {
                ("Kortste uitlening (dagen)", "leeg: standaard")
            } else {
                ("Shortest loan (days)", "empty: default")
            }
        }
        "max_loan_days" => {
            if nl {
                ("Langste uitlening (dagen)", "leeg: standaard")
            } else {
                ("Longest loan (days)", "empty: default")
            }
        }
        "buffer_days" => {
            if nl {
                ("Tijd tussen uitleningen (open dagen)", "leeg: standaard")
            } else {
                ("Turnaround (open days)", "empty: default")
            }
        }
        "max_per_school" => {
            if nl {
                ("Hoogstens tegelijk per school", "leeg: standaard")
            } else {
                ("At most at once per school", "empty: default")
            }
        }
        "needs_approval" => {
            if nl {
                ("Goedkeuring nodig", "1 (ja) of 0 (nee); leeg: standaard")
            } else {
                ("Needs approval", "1 (yes) or 0 (no); empty: default")
            }
        }
        "pickup_reminder_days" => {
            if nl {
                (
                    "Herinnering vóór het afhalen (open dagen)",
                    "0 (geen herinnering) tot 10; leeg: 2",
                )
            } else {
                (
                    "Reminder before pickup (open days)",
                    "0 (no reminder) to 10; empty: 2",
                )
            }
        }
        "instellingsnummer" => {
            if nl {
                ("Instellingsnummer", "6 cijfers")
            } else {
                ("School number", "6 digits")
            }
        }
        "name" => {
            if nl {
                ("Naam", "")
            } else {
                ("Name", "")
            }
        }
        "street" => {
            if nl {
                ("Straat en nummer", "")
            } else {
                ("Street and number", "")
            }
        }
        "postcode" => ("Postcode", ""),
        "municipality" => {
            if nl {
                ("Gemeente", "")
            } else {
                ("Municipality", "")
            }
        }
        "network" => {
            if nl {
                (
                    "Onderwijsnet",
                    "go, katholiek, gemeentelijk, provinciaal of privaat",
                )
            } else {
                (
                    "Network",
                    "go, katholiek, gemeentelijk, provinciaal or privaat",
                )
            }
        }
        "website" => ("Website", ""),
        "email" => ("E-mail", ""),
        "phone" => {
            if nl {
                ("Telefoon", "")
            } else {
                ("Phone", "")
            }
        }
        "opening_hours" => {
            if nl {
                ("Openingsuren", "")
            } else {
                ("Opening hours", "")
            }
        }
        _ => ("", ""),
    }
}

fn long(name: &str) -> bool {
    matches!(
        name,
        "description" | "summary" | "parts" | "units" | "photos" | "opening_hours"
    )
}

/// `/beheer/materiaal`: the kit types one manages.
#[component]
pub fn KitList() -> impl IntoView {
    let screen = Resource::new(|| (), |_| api::editable_kits());
    view! {
        <PageTitle text=t(T::KitsAdminTitle)/>
        <section class="kits-admin-page">
            <h1>{t(T::KitsAdminTitle)}</h1>
            <p><a class="button primary" href="/beheer/materiaal/nieuw">{t(T::NewKit)}</a>" "<a class="button secondary import-link" href="/beheer/import#catalogus">{t(T::ImportLink)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(list) => Either::Left(view! {
                            <ul class="kit-admin-list">
                                {list.into_iter().map(|k| view! {
                                    <li data-kit=k.slug.clone()><a href=format!("/beheer/materiaal/{}", k.slug)>{k.title}</a>{format!(" — {}", k.partner)}</li>
                                }).collect_view()}
                            </ul>
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::KitNotFoundText, T::NotAllowedKit)),
                    }
                })}
            </Suspense>
        </section>
    }
}

pub use super::kit_editor::KitEdit;

fn register_title(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("scholen", Lang::Nl) => "Scholen",
        ("scholen", Lang::En) => "Schools",
        ("partners", Lang::Nl) => "Partnerdiensten",
        ("partners", Lang::En) => "Partner services",
        (_, Lang::Nl) => "Afhaalpunten",
        (_, Lang::En) => "Pickup points",
    }
}

/// `/beheer/register/:kind`: schools, partner services or pickup points, as a table.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let kind = use_params_map()
        .get_untracked()
        .get("kind")
        .unwrap_or_default();
    let title = register_title(&kind, lang);
    let screen = Resource::new(move || kind.clone(), api::register);
    view! {
        <PageTitle text=title/>
        <section class="register-page">
            <h1>{title}</h1>
            <nav class="register-nav">
                <a href="/beheer/register/scholen">{register_title("scholen", lang)}</a>" · "
                <a href="/beheer/register/partners">{register_title("partners", lang)}</a>" · "
                <a href="/beheer/register/afhaalpunten">{register_title("afhaalpunten", lang)}</a>
            </nav>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let kind = s.kind.clone();
                            view! {
                                {s.can_add.then(|| view! { <p><a class="button primary new-record" href=format!("/beheer/register/{kind}/nieuw")>{t(T::NewRecord)}</a></p> })}
                                <table class="register">
                                    <thead><tr>
                                        {s.columns.iter().take(4).map(|c| view! { <th scope="col">{label(c, lang).0}</th> }).collect_view()}
                                        <th scope="col"><span class="visually-hidden">{t(T::Edit)}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {s.rows.into_iter().map(|r| {
                                            let href = format!("/beheer/register/{}/{}", s.kind, r.key);
                                            view! {
                                                <tr data-key=r.key.clone()>
                                                    {r.cells.iter().take(4).map(|c| view! { <td>{c.clone()}</td> }).collect_view()}
                                                    <td>{r.editable.then(|| view! { <a href=href class="edit">{t(T::Edit)}</a> })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::KitNotFoundText, T::NotAllowedKit)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/beheer/register/:kind/:key` (and `…/nieuw`): one record's form.
#[component]
pub fn RegisterEdit() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map().get_untracked();
    let kind = params.get("kind").unwrap_or_default();
    let key = params.get("key").filter(|k| k != "nieuw");
    let query = use_query_map().get_untracked();
    let ok = query.get("ok");
    let error = query.get("fout");
    let draft = query.get("concept");
    let title = register_title(&kind, lang);
    let screen = Resource::new(
        move || (kind.clone(), key.clone(), draft.clone()),
        |(kind, key, draft)| api::register_edit(kind, key, draft),
    );
    view! {
        <PageTitle text=title/>
        <section class="register-edit-page">
            <h1>{title}</h1>
            {ok.map(|_| view! { <p class="notice" role="status" id="outcome">{t(T::Saved)}</p> })}
            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let action = match &s.key {
                                Some(key) => format!("/beheer/register/{}/{key}", s.kind),
                                None => format!("/beheer/register/{}", s.kind),
                            };
                            let existing = s.key.is_some();
                            let back = format!("/beheer/register/{}", s.kind);
                            view! {
                                <form method="post" action=action class="kit-form register-form">
                                    {s.fields.into_iter().enumerate().filter(|(i, _)| !(*i == 0 && existing)).map(|(_, f)| {
                                        let (text, hint) = label(&f.name, lang);
                                        let message = s.errors.iter().filter(|e| e.field == f.name).map(|e| e.message.clone()).collect::<Vec<_>>().join(" ");
                                        let id = format!("field-{}", f.name);
                                        view! {
                                            <p class="kit-field" data-field=f.name.clone()>
                                                <label for=id.clone()>{text}</label>
                                                {if long(&f.name) {
                                                    view! { <TextArea id=id name=f.name.clone() value=f.value.clone()/> }.into_any()
                                                } else {
                                                    view! { <input id=id name=f.name.clone() value=f.value.clone()/> }.into_any()
                                                }}
                                                {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
                                                {(!message.is_empty()).then(|| view! { <span class="field-error" id=format!("error-{}", f.name)>{message}</span> })}
                                            </p>
                                        }
                                    }).collect_view()}
                                    <button type="submit" class="button primary save-record">{t(T::Save)}</button>
                                </form>
                                <p><a href=back>{t(T::BackToList)}</a></p>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::KitNotFoundText, T::NotAllowedKit)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/beheer/gebruikers`: people, their roles, disabling accounts and taking roles away.
#[component]
pub fn Users() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let q = query.get("q").unwrap_or_default();
    let ok = query.get("ok");
    let error = query.get("fout");
    let next = if q.is_empty() {
        "/beheer/gebruikers".to_owned()
    } else {
        format!(
            "/beheer/gebruikers?q={}",
            leenpunt_shared::query::encode_component(&q)
        )
    };
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    let q2 = q.clone();
    let screen = Resource::new(move || q2.clone(), api::users);
    view! {
        <PageTitle text=t(T::UsersTitle)/>
        <section class="users-page">
            <h1>{t(T::UsersTitle)}</h1>
            {ok.map(|_| view! { <p class="notice" role="status" id="outcome">{t(T::Saved)}</p> })}
            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
            <form method="get" action="/beheer/gebruikers" class="training-filter">
                <label for="users-q">{t(T::FindPerson)}</label>
                <input id="users-q" name="q" value=q/>
                <button type="submit" class="button secondary">{t(T::SearchButton)}</button>
            </form>
            <p><a href="/beheer/uitnodigen">{t(T::NavInvite)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let next = next.clone();
                    let admin = user.admin;
                    Suspend::new(async move {
                    match screen.await {
                        Ok(list) => Either::Left(view! {
                            <table class="users">
                                <thead><tr>
                                    <th scope="col">{t(T::PersonLabel)}</th>
                                    <th scope="col">{t(T::RolesLabel)}</th>
                                    <th scope="col">{t(T::StateLabel)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|u| {
                                        let next = next.clone();
                                        view! {
                                            <tr data-user=u.id.0 data-disabled=u.disabled.to_string()>
                                                <td>{u.name.clone()}<br/><small>{u.email.clone()}</small></td>
                                                <td>
                                                    <ul class="roles">
                                                        {u.roles.iter().map(|r| {
                                                            let next = next.clone();
                                                            view! {
                                                                <li>
                                                                    {format!("{} {}", r.role.label(lang), r.scope)}" "
                                                                    <form method="post" action=format!("/beheer/rollen/{}/intrekken", r.id) class="inline">
                                                                        <input type="hidden" name="next" value=next/>
                                                                        <button type="submit" class="link-button remove-role">{t(T::Remove)}</button>
                                                                    </form>
                                                                </li>
                                                            }
                                                        }).collect_view()}
                                                    </ul>
                                                </td>
                                                <td>
                                                    {if u.disabled { t(T::Disabled) } else if u.confirmed { t(T::Active) } else { t(T::NotConfirmed) }}
                                                    {admin.then(|| {
                                                        let (action, text, class) = if u.disabled {
                                                            ("inschakelen", t(T::Enable), "enable")
                                                        } else {
                                                            ("uitschakelen", t(T::Disable), "disable")
                                                        };
                                                        view! {
                                                            <form method="post" action=format!("/beheer/gebruikers/{}/{action}", u.id.0) class="inline">
                                                                <input type="hidden" name="next" value=next.clone()/>
                                                                <button type="submit" class=format!("button secondary {class}")>{text}</button>
                                                            </form>
                                                        }
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::KitNotFoundText, T::NotAllowedKit)),
                    }
                })}}
            </Suspense>
        </section>
    }
}
