//! A unit's page, where a label scanned with a phone's camera app lands.

use super::*;

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

pub(super) fn unit_status(code: &str, lang: Lang) -> &'static str {
    leenpunt_shared::UnitStatus::parse(code)
        .map(|s| s.label(lang))
        .unwrap_or("")
}
