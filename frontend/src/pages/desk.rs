//! The lending desk's hand-over pages: "Vandaag", handing a reservation over by scanning
//! (USB or Bluetooth scanners type the code and Enter into the focused field; typing the
//! code works the same), taking units back with the contents checked, a unit's page
//! (where a label scanned with a phone's camera app lands), and label printing. Plain
//! form posts, server-rendered; the desk queue's own wasm (`components::desk_queue`,
//! `frontend/deskqueue`) keeps hand-overs and returns made offline and sends them later.

use crate::api;
use crate::components::desk_queue::{snapshot_of, DeskQueuePanel};
use crate::components::scanner::ScanMode;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::{problem_notice, set_status};
use leenpunt_shared::handover::LoanLine;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Lang, Reservation};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `?ok=` / `?fout=` outcome of a scan, as a notice that screen readers announce and
/// a sound-free visual cue (green / red).
#[component]
fn ScanOutcome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").filter(|s| !s.is_empty()).map(|code| {
        // `what:unit[:flags[:kit title]]`; the title comes last since it may hold colons.
        let mut parts = code.splitn(4, ':');
        let what = parts.next().unwrap_or_default();
        let code_part = parts.next().unwrap_or_default().to_owned();
        let flags: Vec<&str> = parts.next().unwrap_or_default().split(',').collect();
        let unit = match parts.next().filter(|k| !k.is_empty()) {
            Some(kit) => format!("{code_part} ({kit})"),
            None => code_part.clone(),
        };
        let text = match what {
            "meegegeven" => format!("{} {unit}.", T::HandedOver.get(lang)),
            "al-meegegeven" => format!("{} {unit}.", T::AlreadyHandedOver.get(lang)),
            "terug" => {
                let mut s = format!("{} {unit}.", T::TakenBack.get(lang));
                if flags.contains(&"onderhoud") {
                    s.push(' ');
                    s.push_str(T::ToMaintenance.get(lang));
                }
                if flags.contains(&"laat") {
                    s.push(' ');
                    s.push_str(T::ReturnedLate.get(lang));
                }
                s
            }
            "label" => format!("{} {code_part}.", T::NewLabelIssued.get(lang)),
            "in-dienst" => format!("{}.", T::BackInService.get(lang)),
            _ => T::Saved.get(lang).to_owned(),
        };
        view! { <p class="notice scan-ok" role="status" id="outcome">{text}</p> }
    });
    let error = query
        .get("fout")
        .map(|e| view! { <p class="error scan-error" role="alert" id="outcome-error">{e}</p> });
    view! { {ok}{error} }
}

/// A code field that a USB scanner fills (code + Enter submits the form).
#[component]
fn CodeField(#[prop(into)] label: String, #[prop(optional, into)] value: String) -> impl IntoView {
    view! {
        <label for="scan-code">{label}</label>
        <input id="scan-code" name="code" class="scan-code" autofocus=true autocomplete="off"
            autocapitalize="characters" spellcheck="false" inputmode="text" required=true value=value/>
    }
}

/// "1 van 2 meegegeven": how far a reservation picked up in part is.
fn handed_over_text(handed: u32, quantity: u32, lang: Lang) -> String {
    format!(
        "{handed} {} {quantity} {}",
        T::HandedOverOf.get(lang),
        T::HandedOverCount.get(lang)
    )
}

fn reservation_row(r: &Reservation, lang: Lang, handed: Option<u32>) -> impl IntoView {
    let link = format!("/balie/uitgifte/{}", r.id);
    let partly = handed
        .filter(|h| *h > 0)
        .map(|h| view! { <span class="handed-over">{format!(" · {}", handed_over_text(h, r.quantity, lang))}</span> });
    view! {
        <li class="desk-row" data-id=r.id.0>
            <a href=link>
                <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
            </a>
            {partly}
            <span>{format!(" — {}, {}", r.borrower, r.school)}</span>
            <span class="dates">{format!(" ({} – {})", human_date(&r.pickup_date, lang), human_date(&r.return_date, lang))}</span>
            <span class="pickup-point">{format!(" · {}", r.pickup_point)}</span>
        </li>
    }
}

/// A list of the desk's day: a reservation on its own, or a request (a sent cart) as one
/// entry with its lines below it, at the place of its first line.
fn desk_entries<'a>(
    rows: impl Iterator<Item = (&'a Reservation, Option<u32>)>,
    refs: &[leenpunt_shared::handover::RequestLineRef],
    lang: Lang,
    returning: bool,
) -> Vec<AnyView> {
    let request_of = |r: &Reservation| {
        refs.iter()
            .find(|x| x.reservation == r.id)
            .map(|x| x.request)
    };
    let rows: Vec<(&Reservation, Option<u32>)> = rows.collect();
    let mut done: Vec<i64> = Vec::new();
    let mut entries = Vec::new();
    for (r, handed) in &rows {
        match request_of(r) {
            None => entries.push(reservation_row(r, lang, *handed).into_any()),
            Some(request) if !done.contains(&request) => {
                done.push(request);
                let lines: Vec<(&Reservation, Option<u32>)> = rows
                    .iter()
                    .filter(|(x, _)| request_of(x) == Some(request))
                    .copied()
                    .collect();
                entries.push(request_row(request, &lines, lang, returning).into_any());
            }
            Some(_) => {}
        }
    }
    entries
}

/// One request on the desk's day: who, when, where, and its lines.
fn request_row(
    request: i64,
    lines: &[(&Reservation, Option<u32>)],
    lang: Lang,
    returning: bool,
) -> impl IntoView {
    let first = lines[0].0;
    let link = if returning {
        format!("/balie/aanvraag/{request}/inname")
    } else {
        format!("/balie/aanvraag/{request}")
    };
    view! {
        <li class="desk-row desk-request" data-request=request>
            <a href=link>
                <strong>{format!("{} {request} · {} {}", T::RequestTitle.get(lang), lines.len(), T::RequestLineCount.get(lang))}</strong>
            </a>
            <span>{format!(" — {}, {}", first.borrower, first.school)}</span>
            <span class="dates">{format!(" ({} – {})", human_date(&first.pickup_date, lang), human_date(&first.return_date, lang))}</span>
            <span class="pickup-point">{format!(" · {}", first.pickup_point)}</span>
            <ul class="request-lines">
                {lines.iter().map(|(r, handed)| {
                    let partly = handed.filter(|h| *h > 0).map(|h| format!(" · {}", handed_over_text(h, r.quantity, lang)));
                    view! { <li class="request-line" data-id=r.id.0>{format!("{} × {}{}", r.quantity, r.kit_title, partly.unwrap_or_default())}</li> }
                }).collect_view()}
            </ul>
        </li>
    }
}

/// `/balie/vandaag`: pickups, returns due and overdue loans, with a scan field.
#[component]
pub fn Today() -> impl IntoView {
    let lang = use_lang();
    let screen = Resource::new(|| (), |_| api::desk_today());
    view! {
        <PageTitle text=t(T::TodayTitle)/>
        <section class="today-page">
            <h1>{t(T::TodayTitle)}</h1>
            <ScanOutcome/>
            <form method="post" action="/balie/zoek" class="scan-form">
                <CodeField label=t(T::ScanAnyLabel)/>
                <button type="submit" class="button primary">{t(T::Look)}</button>
            </form>
            <p>
                <a href="/balie/inname" class="button secondary">{t(T::TakeBackTitle)}</a>" "
                <a href="/balie/scan" class="button secondary">{t(T::ScanWithCamera)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <DeskQueuePanel snapshot=snapshot_of(&s.day, s.pickups.iter().map(|p| (&p.reservation, p.handed_over)))/>
                            {
                                let refs = &s.requests;
                                let pickups = desk_entries(s.pickups.iter().map(|p| (&p.reservation, Some(p.handed_over))), refs, lang, false);
                                let returns = desk_entries(s.returns.iter().map(|r| (r, None)), refs, lang, true);
                                let overdue = desk_entries(s.overdue.iter().map(|r| (r, None)), refs, lang, true);
                                view! {
                                    <h2>{format!("{} ({})", T::PickupsToday.get(lang), pickups.len())}</h2>
                                    {if pickups.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list pickups">{pickups}</ul> })
                                    }}
                                    <h2>{format!("{} ({})", T::ReturnsToday.get(lang), returns.len())}</h2>
                                    {if returns.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list returns">{returns}</ul> })
                                    }}
                                    <h2 id="te-laat">{format!("{} ({})", T::OverdueTitle.get(lang), overdue.len())}</h2>
                                    {if overdue.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list overdue">{overdue}</ul> })
                                    }}
                                }
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
            // Registers the desk's service worker (docs/offline-desk.md); no wasm.
            <script type="module" src="/desk.js"></script>
        </section>
    }
}

fn lines_table(lines: Vec<LoanLine>, lang: Lang) -> impl IntoView {
    view! {
        <table class="loan-lines" tabindex="0">
            <thead><tr>
                <th scope="col">{t(T::UnitLabel)}</th>
                <th scope="col">{t(T::HandedOutLabel)}</th>
                <th scope="col">{t(T::ReturnedLabel)}</th>
                <th scope="col">{t(T::NotesLabel)}</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|l| {
                    let out = leenpunt_shared::time::brussels_local(&l.handed_out_at)
                        .map(|(d, t)| format!("{} {t}", human_date(&d, lang))).unwrap_or_default();
                    let back = l.returned_at.as_deref().and_then(leenpunt_shared::time::brussels_local)
                        .map(|(d, t)| format!("{} {t}", human_date(&d, lang)));
                    let missing: Vec<String> = l.parts_counted.iter().filter(|(_, e, c)| *c < i64::from(*e))
                        .map(|(n, e, c)| format!("{n}: {c}/{e}")).collect();
                    let mut notes = Vec::new();
                    if l.late { notes.push(T::ReturnedLate.get(lang).to_owned()); }
                    if !missing.is_empty() { notes.push(missing.join(", ")); }
                    if !l.damage_note.is_empty() { notes.push(l.damage_note.clone()); }
                    if let Some(r) = &l.override_reason { notes.push(format!("{}: {r}", T::OverrideLabel.get(lang))); }
                    let returned = back.is_some().to_string();
                    view! {
                        <tr class="loan-line" data-unit=l.unit.clone() data-returned=returned>
                            <td>{l.unit.clone()}</td>
                            <td>{out}{l.handed_out_by.clone().map(|b| format!(" ({b})"))}</td>
                            <td>{back.unwrap_or_else(|| "—".to_owned())}</td>
                            <td>{notes.join(" · ")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/balie/uitgifte/:id`: hand a reservation over, one scan per unit.
#[component]
pub fn Handover() -> impl IntoView {
    let lang = use_lang();
    let id: i64 = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let kept_code = use_query_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || id, api::handover);
    view! {
        <PageTitle text=t(T::HandoverTitle)/>
        <section class="handover-page">
            <h1>{t(T::HandoverTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let kept_code = kept_code.clone();
                    Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let r = s.reservation.clone();
                            let done = s.remaining == 0;
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
                                    {format!(" — {}, {} · {} – {}", r.borrower, r.school, human_date(&r.pickup_date, lang), human_date(&r.return_date, lang))}
                                </p>
                                <p class="remaining" data-remaining=s.remaining>
                                    {if done { T::AllHandedOver.get(lang).to_owned() } else { format!("{}: {}", T::StillToHandOver.get(lang), s.remaining) }}
                                </p>
                                {(!s.missing_trainings.is_empty()).then(|| view! {
                                    <p class="warning qualification-warning" role="alert">
                                        {format!("{} {}", T::QualificationMissingWarning.get(lang), s.missing_trainings.join(", "))}
                                    </p>
                                })}
                                <DeskQueuePanel snapshot=snapshot_of("", std::iter::once((&r, r.quantity - s.remaining)))/>
                                {(!done).then(|| view! {
                                    <p><a class="button secondary camera-link" href=format!("/balie/scan?reservatie={}", r.id)>{t(T::ScanWithCamera)}</a></p>
                                    <form method="post" action=format!("/balie/uitgifte/{}", r.id) class="scan-form handover-form"
                                        data-offline="handover" data-reservation=r.id.0>
                                        <CodeField label=t(T::ScanUnitLabel) value=kept_code.clone()/>
                                        {(!s.missing_trainings.is_empty()).then(|| view! {
                                            <label for="override-reason">{t(T::OverrideReasonLabel)}</label>
                                            <input id="override-reason" name="override_reason" maxlength="500"/>
                                        })}
                                        <button type="submit" class="button primary hand-over">{t(T::HandOver)}</button>
                                    </form>
                                })}
                                {(r.status == leenpunt_shared::ReservationStatus::PickedUp).then(|| view! {
                                    <p><a class="button secondary take-back" href="/balie/inname">{t(T::TakeBackTitle)}</a></p>
                                })}
                                {(!s.parts.is_empty()).then(|| view! {
                                    <h2>{t(T::ContentsTitle)}</h2>
                                    <ul class="parts">{s.parts.iter().map(|(n, c)| view! { <li>{format!("{c} × {n}")}</li> }).collect_view()}</ul>
                                })}
                                {(!s.lines.is_empty()).then(|| view! {
                                    <h2>{t(T::ReceiptTitle)}</h2>
                                    {lines_table(s.lines.clone(), lang)}
                                })}
                                <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// `/balie/inname`: scan a unit that comes back.
#[component]
pub fn ReturnStart() -> impl IntoView {
    view! {
        <PageTitle text=t(T::TakeBackTitle)/>
        <section class="return-page">
            <h1>{t(T::TakeBackTitle)}</h1>
            <ScanOutcome/>
            <form method="post" action="/balie/inname" class="scan-form return-form">
                <CodeField label=t(T::ScanUnitLabel)/>
                <button type="submit" class="button primary">{t(T::Look)}</button>
            </form>
            <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
        </section>
    }
}

/// `/balie/inname/:code`: check the contents and note damage.
#[component]
pub fn ReturnCheck() -> impl IntoView {
    let lang = use_lang();
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || code.clone(), api::return_screen);
    // Opened from a request's return page: the take-back is for that request and leads
    // back to it (offline, the queue sends it to the request's return endpoint).
    let request: Option<i64> = use_query_map()
        .get_untracked()
        .get("aanvraag")
        .and_then(|r| r.parse().ok());
    view! {
        <PageTitle text=t(T::TakeBackTitle)/>
        <section class="return-page">
            <h1>{t(T::TakeBackTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let r = s.reservation.clone();
                            let label = s.unit.label.clone().unwrap_or_default().replace('-', "");
                            let late = s.late;
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} — {}", s.unit.inventory_code, s.unit.kit_title)}</strong>
                                    {format!(" · {}, {} · {} {}", r.borrower, r.school, T::ReturnDate.get(lang), human_date(&r.return_date, lang))}
                                </p>
                                {late.then(|| view! { <p class="warning">{t(T::ReturnedLate)}</p> })}
                                <DeskQueuePanel snapshot=Default::default()/>
                                <form method="post" action=format!("/balie/inname/{label}") class="return-check"
                                    data-offline="return" data-code=label.clone() data-request=request>
                                    {request.map(|r| view! { <input type="hidden" name="aanvraag" value=r.to_string()/> })}
                                    <fieldset>
                                        <legend>{t(T::CountTheContents)}</legend>
                                        {s.parts.iter().enumerate().map(|(i, (name, expected))| view! {
                                            <p class="part-count">
                                                <input type="hidden" name=format!("name_{i}") value=name.clone()/>
                                                <label for=format!("count-{i}")>{format!("{name} ({} {expected})", T::ExpectedLabel.get(lang))}</label>
                                                <input id=format!("count-{i}") type="number" name=format!("count_{i}") min="0" max=expected.to_string() value=expected.to_string() required=true/>
                                            </p>
                                        }).collect_view()}
                                    </fieldset>
                                    <p>
                                        <label for="damage">{t(T::DamageLabel)}</label>
                                        <textarea id="damage" name="damage" rows="2" maxlength="1000"></textarea>
                                    </p>
                                    <button type="submit" class="button primary take-back">{t(T::TakeBack)}</button>
                                </form>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/balie/exemplaren/:id`: where a scanned label leads desk staff.
#[component]
pub fn UnitPage() -> impl IntoView {
    let lang = use_lang();
    let id: i64 = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let screen = Resource::new(move || id, api::unit);
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    view! {
        <PageTitle text=t(T::UnitTitle)/>
        <section class="unit-page">
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let u = s.unit.clone();
                            let label = u.label.clone().unwrap_or_default();
                            view! {
                                <h1>{format!("{} — {}", u.inventory_code, u.kit_title)}</h1>
                                <dl class="session-facts">
                                    <dt>{t(T::LabelCode)}</dt><dd class="label-code">{label.clone()}</dd>
                                    <dt>{t(T::StateLabel)}</dt><dd class="unit-status" data-status=u.status.clone()>{unit_status(&u.status, lang)}</dd>
                                    <dt>{t(T::PartnerLabel)}</dt><dd>{u.partner.clone()}</dd>
                                </dl>
                                {u.open_loan.map(|_| {
                                    let code = label.replace('-', "");
                                    view! { <p><a class="button primary" href=format!("/balie/inname/{code}")>{t(T::TakeBack)}</a></p> }
                                })}
                                {(u.open_loan.is_none() && !s.pickups.is_empty()).then(|| view! {
                                    <h2>{t(T::HandOverFor)}</h2>
                                    <ul class="desk-list pickups">
                                        {s.pickups.iter().map(|p| {
                                            let code = label.clone();
                                            let r = &p.reservation;
                                            let partly = (p.handed_over > 0).then(|| format!(" ({})", handed_over_text(p.handed_over, r.quantity, lang)));
                                            view! {
                                                <li class="desk-row" data-id=r.id.0>
                                                    <form method="post" action=format!("/balie/uitgifte/{}", r.id) class="inline">
                                                        <input type="hidden" name="code" value=code/>
                                                        <button type="submit" class="button secondary hand-over">{format!("{} — {}, {}{}", T::HandOver.get(lang), r.borrower, r.school, partly.unwrap_or_default())}</button>
                                                    </form>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {user.manages.then(|| view! {
                                    <form method="post" action=format!("/balie/exemplaren/{}/nieuw-label", u.id.0) class="inline">
                                        <button type="submit" class="button secondary retag">{t(T::NewLabel)}</button>
                                    </form>
                                    " "
                                    <a class="button secondary" href=format!("/beheer/labels/blad?layout=large&unit={}", u.id.0) rel="external" target="_blank">{t(T::PrintLabel)}</a>
                                })}
                                {(!s.tickets.is_empty()).then(|| view! {
                                    <h2>{t(T::OpenTickets)}</h2>
                                    <ul class="tickets">
                                        {s.tickets.iter().map(|tk| {
                                            let missing = tk.shortfall.iter().map(|(p, n)| format!("{n} × {p}")).collect::<Vec<_>>().join(", ");
                                            let opened = leenpunt_shared::time::brussels_local(&tk.opened_at).map(|(d, _)| human_date(&d, lang)).unwrap_or_default();
                                            view! { <li class="ticket">{format!("{opened}: {missing} {}", tk.note)}</li> }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(u.status == "onderhoud").then(|| view! {
                                    <form method="post" action=format!("/balie/exemplaren/{}/in-dienst", u.id.0) class="inline">
                                        <button type="submit" class="button primary back-in-service">{t(T::BackInService)}</button>
                                    </form>
                                })}
                                <h2>{t(T::HistoryTitle)}</h2>
                                {if s.history.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else { Either::Right(lines_table(s.history.clone(), lang)) }}
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn unit_status(code: &str, lang: Lang) -> &'static str {
    leenpunt_shared::UnitStatus::parse(code)
        .map(|s| s.label(lang))
        .unwrap_or("")
}

/// `/beheer/labels`: choose units and a layout, open a printable sheet.
#[component]
pub fn Labels() -> impl IntoView {
    let screen = Resource::new(|| (), |_| api::labels());
    let params = use_query_map().get_untracked();
    // `?nieuw=1` (from `/beheer`): the labels never printed come ticked.
    let only_new = params.get("nieuw").is_some();
    // `?zoek=`: only units whose code, label or kit type has these letters.
    let filter = params.get("zoek").unwrap_or_default();
    let fold = |s: &str| {
        leenpunt_shared::values::fold_diacritics(s)
            .to_lowercase()
            .replace(['-', ' '], "")
    };
    let wanted = fold(&filter);
    view! {
        <PageTitle text=t(T::LabelsTitle)/>
        <section class="labels-page">
            <h1>{t(T::LabelsTitle)}</h1>
            <p class="hint">{t(T::LabelsIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || { let filter = filter.clone(); let wanted = wanted.clone(); Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let unprinted = s.unprinted.clone();
                            let kits: Vec<_> = s.kits.into_iter().filter_map(|(slug, title, units)| {
                                let title_hit = fold(&title).contains(&wanted);
                                let units: Vec<_> = units.into_iter().filter(|u| {
                                    title_hit
                                        || fold(&u.inventory_code).contains(&wanted)
                                        || u.label.as_deref().is_some_and(|l| fold(l).contains(&wanted))
                                }).collect();
                                (!units.is_empty()).then_some((slug, title, units))
                            }).collect();
                            let nothing = kits.is_empty();
                            view! {
                            <form method="get" action="/beheer/labels" class="labels-filter" role="search">
                                <label for="label-filter">{t(T::LabelFilter)}</label>
                                <input id="label-filter" name="zoek" value=filter.clone() placeholder="BB-K"/>
                                <button type="submit" class="button secondary">{t(T::SearchButton)}</button>
                            </form>
                            {nothing.then(|| view! { <p class="empty">{t(T::NothingHere)}</p> })}
                            <form method="get" action="/beheer/labels/blad" target="_blank" class="labels-form">
                                <p>
                                    <label for="label-layout">{t(T::LayoutLabel)}</label>
                                    <select id="label-layout" name="layout">
                                        <option value="small">{t(T::LayoutSmall)}</option>
                                        <option value="large">{t(T::LayoutLarge)}</option>
                                    </select>
                                </p>
                                <p>
                                    <label for="label-start">{t(T::StartAtLabel)}</label>
                                    <input id="label-start" name="start" type="number" min="1" max="24" value="1" inputmode="numeric"/>
                                    <span class="hint">{t(T::StartAtLabelHint)}</span>
                                </p>
                                {kits.into_iter().map(|(slug, title, units)| view! {
                                    <fieldset class="label-kit" data-kit=slug>
                                        <legend>{title}</legend>
                                        {units.into_iter().map(|u| {
                                            let id = format!("unit-{}", u.id.0);
                                            let new = unprinted.contains(&u.id);
                                            view! {
                                                <span class="label-unit" class:unprinted=new>
                                                    <input type="checkbox" id=id.clone() name="unit" value=u.id.0.to_string() checked=only_new && new/>
                                                    <label for=id>
                                                        {format!("{} ({})", u.inventory_code, u.label.clone().unwrap_or_default())}
                                                        {new.then(|| view! { <span class="badge">{t(T::LabelNotPrinted)}</span> })}
                                                    </label>
                                                </span>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                }).collect_view()}
                                <button type="submit" class="button primary">{t(T::PrintLabels)}</button>
                                {(!only_new && !s.unprinted.is_empty()).then(|| view! {
                                    " "<a href="/beheer/labels?nieuw=1" class="button secondary select-unprinted">{t(T::SelectUnprinted)}</a>
                                })}
                            </form>
                        }}),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// What the scanner page is for, from its query: `?reservatie=<id>` hands units over for a
/// reservation, `?aanvraag=<id>` for a request, `?aanvraag=<id>&inname=1` takes a request's
/// units back; without any, it looks units up.
fn scan_mode() -> ScanMode {
    let query = use_query_map().get_untracked();
    let id = |k: &str| query.get(k).and_then(|s| s.parse::<i64>().ok());
    match (id("reservatie"), id("aanvraag")) {
        (Some(r), _) => ScanMode::Reservation(r),
        (None, Some(r)) if query.get("inname").is_some() => ScanMode::RequestReturn(r),
        (None, Some(r)) => ScanMode::Request(r),
        (None, None) => ScanMode::Lookup,
    }
}

/// `/balie/scan`: the camera scanner (see `scan_mode` for what it does).
#[component]
pub fn ScanPage() -> impl IntoView {
    let mode = scan_mode();
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    let decoder = decoder_url();
    view! {
        <PageTitle text=t(T::ScannerTitle)/>
        <section class="scan-page">
            {if user.desk {
                Either::Left(view! {
                    <crate::components::scanner::Scanner mode=mode decoder=decoder/>
                    <DeskQueuePanel snapshot=Default::default()/>
                    {match mode {
                        ScanMode::Reservation(id) => Some((format!("/balie/uitgifte/{id}"), T::HandoverTitle)),
                        ScanMode::Request(id) => Some((format!("/balie/aanvraag/{id}"), T::RequestHandoverTitle)),
                        ScanMode::RequestReturn(id) => Some((format!("/balie/aanvraag/{id}/inname"), T::RequestReturnTitle)),
                        ScanMode::Lookup => None,
                    }.map(|(href, text)| view! { <p><a class="back-to-page" href=href>{t(text)}</a></p> })}
                    <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                    <script type="module" src="/desk.js"></script>
                })
            } else {
                Either::Right({
                    set_status(if user.name.is_some() { 403 } else { 401 });
                    view! { <p class="error" role="alert">{if user.name.is_some() { t(T::NotAllowed) } else { t(T::SignInFirst) }}</p> }
                })
            }}
        </section>
    }
}

/// Where the scanner's decoder module is (server render only).
fn decoder_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::AssetManifest>()
            .map(|m| m.scanner)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The lines of a request with, per line, what is still to hand over, out and back.
fn request_lines_table(
    s: &leenpunt_shared::handover::RequestDeskScreen,
    lang: Lang,
) -> impl IntoView {
    view! {
        <ul class="request-lines desk-list">
            {s.lines.iter().map(|l| {
                let r = &l.reservation;
                let units: Vec<String> = s.receipt.iter().filter(|x| x.reservation == r.id).map(|x| {
                    if x.returned_at.is_some() { format!("{} ({})", x.unit, T::RequestBack.get(lang)) } else { x.unit.clone() }
                }).collect();
                view! {
                    <li class="request-line" data-id=r.id.0 data-missing=l.missing data-out=l.out>
                        <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
                        <span class="line-state">{format!(" — {} {} · {} {} · {} {}",
                            l.missing, T::RequestMissing.get(lang),
                            l.out, T::RequestOut.get(lang),
                            l.back, T::RequestBack.get(lang))}</span>
                        {(r.status != leenpunt_shared::ReservationStatus::Confirmed && r.status != leenpunt_shared::ReservationStatus::PickedUp)
                            .then(|| view! { <span class="line-status">{format!(" · {}", r.status.label(lang))}</span> })}
                        {(!units.is_empty()).then(|| view! { <span class="line-units">{format!(": {}", units.join(", "))}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What the offline queue checks a request's scans against: its lines as the page shows
/// them (handed over = booked − still missing).
fn request_snapshot(
    s: &leenpunt_shared::handover::RequestDeskScreen,
) -> leenpunt_shared::offline::DeskSnapshot {
    let mut snapshot = snapshot_of(
        "",
        s.lines.iter().map(|l| {
            (
                &l.reservation,
                l.reservation.quantity.saturating_sub(l.missing),
            )
        }),
    );
    for r in &mut snapshot.reservations {
        r.request = Some(s.request);
    }
    snapshot
}

fn request_id_param() -> i64 {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// `/balie/aanvraag/:id`: hand a whole request (a sent cart) over: each scanned unit fills
/// the line of its kit type; per line what is still missing; the receipt lists every line.
#[component]
pub fn RequestHandover() -> impl IntoView {
    let lang = use_lang();
    let id = request_id_param();
    let kept_code = use_query_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || id, api::request_handover);
    view! {
        <PageTitle text=t(T::RequestHandoverTitle)/>
        <section class="handover-page request-handover">
            <h1>{t(T::RequestHandoverTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let kept_code = kept_code.clone();
                    Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let done = s.missing == 0;
                            let first = s.lines[0].reservation.clone();
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} {}", T::RequestTitle.get(lang), s.request)}</strong>
                                    {format!(" — {}, {} · {} – {} · {}", s.borrower, s.school, human_date(&first.pickup_date, lang), human_date(&first.return_date, lang), s.pickup_point)}
                                </p>
                                <p class="remaining" data-remaining=s.missing>
                                    {if s.handed_over { T::RequestAllHandedOver.get(lang).to_owned() } else { format!("{}: {}", T::StillToHandOver.get(lang), s.missing) }}
                                </p>
                                {(!s.missing_trainings.is_empty()).then(|| view! {
                                    <p class="warning qualification-warning" role="alert">
                                        {format!("{} {}", T::QualificationMissingWarning.get(lang), s.missing_trainings.join(", "))}
                                    </p>
                                })}
                                <DeskQueuePanel snapshot=request_snapshot(&s)/>
                                {(!done).then(|| view! {
                                    <p><a class="button secondary camera-link" href=format!("/balie/scan?aanvraag={}", s.request)>{t(T::ScanWithCamera)}</a></p>
                                    <form method="post" action=format!("/balie/aanvraag/{}", s.request) class="scan-form handover-form request-form"
                                        data-offline="request-handover" data-request=s.request>
                                        <CodeField label=t(T::RequestScanAny) value=kept_code.clone()/>
                                        {(!s.missing_trainings.is_empty()).then(|| view! {
                                            <label for="override-reason">{t(T::OverrideReasonLabel)}</label>
                                            <input id="override-reason" name="override_reason" maxlength="500"/>
                                        })}
                                        <button type="submit" class="button primary hand-over">{t(T::HandOver)}</button>
                                    </form>
                                })}
                                <h2>{t(T::RequestLines)}</h2>
                                {request_lines_table(&s, lang)}
                                {(s.out > 0).then(|| view! {
                                    <p><a class="button secondary take-back" href=format!("/balie/aanvraag/{}/inname", s.request)>{t(T::RequestTakeBack)}</a></p>
                                })}
                                {(!s.receipt.is_empty()).then(|| view! {
                                    <h2 id="ontvangstbewijs">{t(T::ReceiptTitle)}</h2>
                                    {lines_table(s.receipt.clone(), lang)}
                                })}
                                <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// `/balie/aanvraag/:id/inname`: take a request back, in parts: what is still out per
/// line, and a scan field for the next unit (which goes on to the contents check).
#[component]
pub fn RequestReturn() -> impl IntoView {
    let lang = use_lang();
    let id = request_id_param();
    let screen = Resource::new(move || id, api::request_handover);
    view! {
        <PageTitle text=t(T::RequestReturnTitle)/>
        <section class="return-page request-return">
            <h1>{t(T::RequestReturnTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <p class="handover-summary">
                                <strong>{format!("{} {}", T::RequestTitle.get(lang), s.request)}</strong>
                                {format!(" — {}, {} · {}", s.borrower, s.school, s.pickup_point)}
                            </p>
                            <p class="still-out" data-out=s.out>
                                {if s.all_back { T::RequestAllBack.get(lang).to_owned() } else { format!("{}: {}", T::RequestStillOut.get(lang), s.out) }}
                            </p>
                            <DeskQueuePanel snapshot=request_snapshot(&s)/>
                            {(s.out > 0).then(|| view! {
                                <p><a class="button secondary camera-link" href=format!("/balie/scan?aanvraag={}&inname=1", s.request)>{t(T::ScanWithCamera)}</a></p>
                                <form method="post" action=format!("/balie/aanvraag/{}/inname", s.request) class="scan-form return-form">
                                    <CodeField label=t(T::RequestScanReturn)/>
                                    <button type="submit" class="button primary">{t(T::Look)}</button>
                                </form>
                            })}
                            <h2>{t(T::RequestLines)}</h2>
                            {request_lines_table(&s, lang)}
                            <p><a href=format!("/balie/aanvraag/{}", s.request)>{t(T::RequestBackToHandover)}</a></p>
                            <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}
