//! The teacher's cart (`/mandje`) and what sending it made (`/mandje/verstuurd`). Both
//! are server-rendered without islands: every action is a plain form post to
//! `/mandje/…` (server/src/http/cart_pages.rs) that comes back here with `?ok=` or
//! `?fout=`, so the pages work without the wasm and cost no page weight.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::cart::{Cart, CartLine, CartScreen, CartVerdict};
use leenpunt_shared::labels::human_date;
use leenpunt_shared::query::encode_component;
use leenpunt_shared::{Lang, Reservation};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The check step's address: actions taken there come back to it.
const CHECKING: &str = "/mandje?stap=controle";

fn period(pickup: &str, ret: &str, lang: Lang) -> String {
    format!("{} – {}", human_date(pickup, lang), human_date(ret, lang))
}

/// The outcome of the last action, from the address.
#[component]
fn Outcome() -> impl IntoView {
    let q = use_query_map().get_untracked();
    let ok = q.get("ok").and_then(|action| match action.as_str() {
        "datums" => Some(T::CartOkDates),
        "gewijzigd" => Some(T::CartOkChanged),
        "verwijderd" => Some(T::CartOkRemoved),
        _ => None,
    });
    let error = q.get("fout");
    view! {
        {ok.map(|k| view! { <p class="notice" role="status" id="outcome">{t(k)}</p> })}
        {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let q = use_query_map().get_untracked();
    let checking = q.get("stap").is_some_and(|s| s == "controle");
    // The school a teacher of several schools chose for this cart.
    let school = q.get("school").filter(|s| !s.trim().is_empty());
    let screen = Resource::new(
        move || (checking, school.clone()),
        |(checking, school)| api::cart_screen(checking, school),
    );
    view! {
        <PageTitle text=t(T::CartTitle)/>
        <section class="cart-page">
            <h1>{t(T::CartTitle)}</h1>
            <Outcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! { <CartView screen=s checking/> }),
                        Err(p) => Either::Right({
                            set_status(p.status);
                            view! { <p class="error" role="alert">{t(T::LoadError)}</p> }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CartView(screen: CartScreen, checking: bool) -> impl IntoView {
    let lang = use_lang();
    let cart = screen.cart.clone();
    if cart.lines.is_empty() {
        return Either::Left(view! {
            <p class="empty">{t(T::CartEmpty)}</p>
            <p><a class="button primary" href="/catalogus">{t(T::CartToCatalogue)}</a></p>
        });
    }
    let back = match (checking, &screen.school) {
        (true, Some(s)) => format!("{CHECKING}&school={}", encode_component(s)),
        (true, None) => CHECKING.to_owned(),
        (false, _) => "/mandje".to_owned(),
    };
    let check = screen.check.clone();
    let verdict = move |id: i64| {
        check
            .as_ref()
            .and_then(|c| c.lines.iter().find(|v| v.line == id).cloned())
    };
    let lines = cart
        .lines
        .iter()
        .map(|line| view! { <LineView line=line.clone() cart=cart.clone() verdict=verdict(line.id) back=back.clone()/> })
        .collect_view();
    let next = encode_component("/mandje");
    let step = if !screen.signed_in {
        Either::Left(view! {
            <p class="notice sign-in-to-send">
                <a href=format!("/aanmelden?next={next}") rel="external">{t(T::CartSignInToSend)}</a>
            </p>
        })
    } else {
        Either::Right(view! { <SendStep screen=screen.clone() checking lang/> })
    };
    Either::Right(view! {
        <section class="cart-dates" aria-labelledby="cart-dates-title">
            <h2 id="cart-dates-title">{t(T::CartDatesTitle)}</h2>
            <p>{t(T::CartDatesIntro)}</p>
            <form method="post" action="/mandje/datums" class="inline cart-dates-form">
                <input type="hidden" name="next" value=back/>
                <label>
                    {t(T::CartPickupDate)}
                    <input type="date" name="pickup_date" id="cart-pickup" value=cart.pickup_date.clone().unwrap_or_default() required=true/>
                </label>
                <label>
                    {t(T::CartReturnDate)}
                    <input type="date" name="return_date" id="cart-return" value=cart.return_date.clone().unwrap_or_default() required=true/>
                </label>
                <button type="submit" class="button secondary save-dates">{t(T::CartSaveDates)}</button>
            </form>
        </section>
        <section class="cart-lines" aria-labelledby="cart-lines-title">
            <h2 id="cart-lines-title">{format!("{} ({})", t(T::CartLinesTitle), cart.lines.len())}</h2>
            <ul class="cart-list">{lines}</ul>
        </section>
        {step}
    })
}

/// One line: what, where, when, its verdict when checked, and its actions.
#[component]
fn LineView(
    line: CartLine,
    cart: Cart,
    verdict: Option<CartVerdict>,
    back: String,
) -> impl IntoView {
    let lang = use_lang();
    let id = line.id;
    let own = line.pickup_date.is_some();
    let dates = match (&line.pickup_date, &line.return_date) {
        (Some(p), Some(r)) => Some((p.clone(), r.clone())),
        _ => cart.pickup_date.clone().zip(cart.return_date.clone()),
    };
    let when = dates
        .as_ref()
        .map(|(p, r)| period(p, r, lang))
        .unwrap_or_else(|| t(T::CartNoDates).to_owned());
    let fits = verdict.as_ref().map(|v| if v.fits { "ja" } else { "nee" });
    // Hidden fields that keep the line as it is, for the forms that change one thing.
    let keep = {
        let line = line.clone();
        let back = back.clone();
        move |with_dates: bool| {
            view! {
                <input type="hidden" name="next" value=back.clone()/>
                <input type="hidden" name="kit" value=line.kit.clone()/>
                <input type="hidden" name="pickup_point" value=line.pickup_point.clone()/>
                {with_dates.then(|| view! {
                    <input type="hidden" name="pickup_date" value=line.pickup_date.clone().unwrap_or_default()/>
                    <input type="hidden" name="return_date" value=line.return_date.clone().unwrap_or_default()/>
                })}
            }
        }
    };
    let keep2 = keep.clone();
    let quantity = line.quantity;
    let verdict_view = {
        let back = back.clone();
        verdict.map(
            |v| view! { <Verdict v id kit=line.kit.clone() point=line.pickup_point.clone() back/> },
        )
    };
    view! {
        <li class="cart-line" data-line=id data-kit=line.kit.clone() data-fits=fits>
            <div class="reservation-head">
                <h3><a href=format!("/catalogus/{}", line.kit)>{format!("{} × {}", line.quantity, line.kit_title)}</a></h3>
            </div>
            <dl class="facts">
                <dt>{t(T::CartPoint)}</dt>
                <dd>{line.pickup_point_name.clone()}</dd>
                <dt>{t(T::PeriodLabel)}</dt>
                <dd class="line-dates">{when}{own.then(|| format!(" ({})", t(T::CartOwnDates).to_lowercase()))}</dd>
            </dl>
            {verdict_view}
            <div class="reservation-actions">
                <form method="post" action=format!("/mandje/lijnen/{id}") class="inline quantity-form">
                    {keep(true)}
                    <label for=format!("qty-{id}")>{t(T::CartQuantity)}</label>
                    <input id=format!("qty-{id}") type="number" name="quantity" min="1" max="999" value=quantity required=true/>
                    <button type="submit" class="button secondary change-quantity">{t(T::CartSaveQuantity)}</button>
                </form>
                <form method="post" action=format!("/mandje/lijnen/{id}/verwijderen") class="inline">
                    <input type="hidden" name="next" value=back/>
                    <button type="submit" class="button secondary drop-line">{t(T::CartDrop)}</button>
                </form>
                <details class="own-dates">
                    <summary class="button secondary">{t(T::CartOwnDates)}</summary>
                    <form method="post" action=format!("/mandje/lijnen/{id}") class="inline own-dates-form">
                        {keep2(false)}
                        <input type="hidden" name="quantity" value=quantity/>
                        <label>
                            {t(T::CartPickupDate)}
                            <input type="date" name="pickup_date" value=line.pickup_date.clone().unwrap_or_default()/>
                        </label>
                        <label>
                            {t(T::CartReturnDate)}
                            <input type="date" name="return_date" value=line.return_date.clone().unwrap_or_default()/>
                        </label>
                        <button type="submit" class="button secondary">{t(T::CartOwnDatesSave)}</button>
                    </form>
                </details>
            </div>
        </li>
    }
}

/// Whether a line fits, and if not: why, and what to do about it.
#[component]
fn Verdict(v: CartVerdict, id: i64, kit: String, point: String, back: String) -> impl IntoView {
    let lang = use_lang();
    if v.fits {
        let text = if v.conditional {
            T::CartFitsConditional
        } else if v.status == Some(leenpunt_shared::ReservationStatus::Requested) {
            T::CartFitsApproval
        } else {
            T::CartFits
        };
        return Either::Left(view! { <p class="verdict fits" role="status">{t(text)}</p> });
    }
    let problem = v.problem.unwrap_or_default();
    let reason = problem
        .errors
        .first()
        .map(|e| e.message.clone())
        .or(problem.detail.clone())
        .unwrap_or(problem.title.clone());
    let alternatives = problem.alternatives.clone();
    let trainings = problem.trainings.clone();
    let quantity = v.quantity;
    Either::Right(view! {
        <div class="verdict refused" role="alert">
            <p><strong>{format!("{}: ", t(T::CartDoesNotFit))}</strong><span class="reason">{reason}</span></p>
            {(!alternatives.is_empty()).then(|| view! {
                <p>{t(T::CartNearestDates)}</p>
                <ul class="alternatives">
                    {alternatives.into_iter().map(|a| {
                        view! {
                            <li>
                                <form method="post" action=format!("/mandje/lijnen/{id}") class="inline use-dates">
                                    <input type="hidden" name="next" value=back.clone()/>
                                    <input type="hidden" name="kit" value=kit.clone()/>
                                    <input type="hidden" name="pickup_point" value=point.clone()/>
                                    <input type="hidden" name="quantity" value=quantity/>
                                    <input type="hidden" name="pickup_date" value=a.pickup_date.clone()/>
                                    <input type="hidden" name="return_date" value=a.return_date.clone()/>
                                    <button type="submit" class="button secondary use-alternative">
                                        {format!("{}: {}", t(T::CartUseDates), period(&a.pickup_date, &a.return_date, lang))}
                                    </button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!trainings.is_empty()).then(|| view! {
                <ul class="missing-trainings">
                    {trainings.into_iter().map(|tr| view! {
                        <li data-training=tr.slug.clone()>
                            <strong>{tr.title.clone()}</strong>
                            {(!tr.sessions.is_empty()).then(|| view! {
                                " — " {t(T::CartNextSessions)} " "
                                {tr.sessions.iter().map(|s| view! {
                                    <a href=format!("/opleidingen/sessies/{}", s.id)>{format!("{} {} ({})", human_date(&s.day, lang), s.start_time, s.place)}</a>" "
                                }).collect_view()}
                            })}
                        </li>
                    }).collect_view()}
                </ul>
                <p><a href="/opleidingen">{t(T::CartToTrainings)}</a></p>
            })}
            {v.may_wait.then(|| view! { <p class="may-wait">{t(T::CartMayWait)}</p> })}
        </div>
    })
}

/// "Controleer", then the verdicts' summary and the send form.
#[component]
fn SendStep(screen: CartScreen, checking: bool, lang: Lang) -> impl IntoView {
    let _ = lang;
    let check_button = view! {
        <form method="get" action="/mandje" class="inline check-form">
            <input type="hidden" name="stap" value="controle"/>
            <SchoolChoice schools=screen.schools.clone() chosen=screen.school.clone()/>
            <button type="submit" class="button primary check-cart">{t(T::CartCheckButton)}</button>
        </form>
    };
    if !checking {
        return Either::Left(view! {
            <section class="cart-send" aria-labelledby="cart-send-title">
                <h2 id="cart-send-title">{t(T::CartSendTitle)}</h2>
                <p>{t(T::CartCheckIntro)}</p>
                {check_button}
            </section>
        });
    }
    let problem = screen.check_problem.clone().map(|p| {
        let message = p
            .errors
            .first()
            .map(|e| e.message.clone())
            .or(p.detail)
            .unwrap_or(p.title);
        view! { <p class="error" role="alert" id="check-problem">{message}</p> }
    });
    let check = screen.check.clone();
    let all_fit = check.as_ref().is_some_and(|c| c.all_fit);
    let any_book_or_wait = check
        .as_ref()
        .is_some_and(|c| c.lines.iter().any(|l| l.fits || l.may_wait));
    let (summary_class, summary) = if all_fit {
        ("notice all-fit", T::CartAllFit)
    } else {
        ("warning fix-first", T::CartFixFirst)
    };
    let send = view! {
        <section class="cart-send" aria-labelledby="cart-send-title">
            <h2 id="cart-send-title">{t(T::CartSendTitle)}</h2>
            {problem}
            {check.is_some().then(|| view! {
                <p class=summary_class role="status">{t(summary)}</p>
            })}
            {check.is_some().then(|| view! {
                <form method="post" action="/mandje/versturen" class="send-form">
                    <input type="hidden" name="key" value=screen.send_key.clone()/>
                    {screen.school.clone().map(|s| view! { <input type="hidden" name="school" value=s/> })}
                    <label for="cart-note">{t(T::CartNoteLabel)}</label>
                    <textarea id="cart-note" name="note" maxlength="1000" rows="2"></textarea>
                    <p class="hint">{t(T::CartAllOrNothing)}</p>
                    <div class="send-buttons">
                        <button type="submit" class="button primary send-cart">{t(T::CartSendButton)}</button>
                        {(!all_fit && any_book_or_wait).then(|| view! {
                            <button type="submit" name="partial" value="ja" class="button secondary send-partial">{t(T::CartPartialButton)}</button>
                        })}
                    </div>
                    {(!all_fit && any_book_or_wait).then(|| view! { <p class="hint">{t(T::CartPartialHelp)}</p> })}
                </form>
            })}
            {check_button}
        </section>
    }
    .into_any();
    Either::Right(send)
}

/// For a teacher of several schools: which school the cart is for (checked and sent for
/// it; the per-school limit counts that school's reservations). Nothing for one school.
#[component]
fn SchoolChoice(
    schools: Vec<leenpunt_shared::accounts::SchoolOption>,
    chosen: Option<String>,
) -> impl IntoView {
    (schools.len() > 1).then(|| {
        view! {
            <label for="cart-school">{t(T::CartSchool)}</label>
            <select id="cart-school" name="school" required=true>
                <option value="" selected=chosen.is_none()>{t(T::CartChooseSchool)}</option>
                {schools.into_iter().map(|s| {
                    let selected = chosen.as_deref() == Some(s.number.as_str());
                    view! {
                        <option value=s.number.clone() selected=selected>
                            {format!("{} ({}, {})", s.name, s.municipality, s.number)}
                        </option>
                    }
                }).collect_view()}
            </select>
        }
    })
}

/// What sending made: one request per pickup point with its lines.
#[component]
pub fn SentPage() -> impl IntoView {
    let lang = use_lang();
    let q = use_query_map().get_untracked();
    let ids: Vec<i64> = q
        .get("aanvragen")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let count = |key: &str| {
        q.get(key)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let (waiting, open) = (count("wacht"), count("open"));
    let list = Resource::new(|| (), |_| api::reservations("scope=mine".to_owned()));
    view! {
        <PageTitle text=t(T::CartSentTitle)/>
        <section class="cart-page cart-sent">
            <h1>{t(T::CartSentTitle)}</h1>
            <p>{t(T::CartSentIntro)}</p>
            {(waiting > 0).then(|| view! { <p class="notice sent-waiting">{format!("{} {waiting}", t(T::CartSentWaiting))}</p> })}
            {(open > 0).then(|| view! { <p class="warning sent-open">{format!("{} {open}", t(T::CartSentOpen))} " " <a href="/mandje">{t(T::CartGoTo)}</a></p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let ids = ids.clone();
                    Suspend::new(async move {
                        let mine = list.await.unwrap_or_default();
                        ids.into_iter().map(|id| {
                            let lines: Vec<Reservation> = mine.iter().filter(|r| r.request_id == Some(id)).cloned().collect();
                            view! { <RequestBlock id lines lang/> }
                        }).collect_view()
                    })
                }}
            </Suspense>
            <p><a class="button primary" href="/mijn-reservaties">{t(T::CartToMyReservations)}</a></p>
        </section>
    }
}

/// One request: its pickup point and dates, and each line with its own status.
#[component]
pub fn RequestBlock(id: i64, lines: Vec<Reservation>, lang: Lang) -> impl IntoView {
    let first = lines.first().cloned();
    view! {
        <section class="request" data-request=id aria-labelledby=format!("request-{id}")>
            <h2 id=format!("request-{id}")>
                {format!("{} {id}", t(T::CartRequest))}
                {first.as_ref().map(|r| format!(" · {}", r.pickup_point))}
            </h2>
            {first.map(|r| view! { <p class="request-when">{period(&r.pickup_date, &r.return_date, lang)}</p> })}
            <ul class="request-lines">
                {lines.into_iter().map(|r| view! {
                    <li data-id=r.id.0 data-status=r.status.code()>
                        <a href=format!("/catalogus/{}", r.kit_slug)>{format!("{} × {}", r.quantity, r.kit_title)}</a>
                        " "
                        <span class="status-badge" data-status=r.status.code()>{r.status.label(lang)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
