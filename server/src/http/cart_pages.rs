//! The cart pages' plain form posts (`/mandje/…`): adding a kit type from its page,
//! choosing the dates, changing or dropping a line, sending. They work without the wasm:
//! each calls the same `service::cart` as the JSON API (a visitor's cart in its cookie, a
//! person's on the server) and sends the browser back with `?ok=` or `?fout=` and the
//! message. The page's data (`screen`) is read by the page backend.

use super::auth::Who;
use super::cart::{anonymous_cart, cart_cookie};
use super::extract::{Form, Path};
use super::lang::{safe_next, ReqLang};
use crate::domain::policy::Actor;
use crate::error::{AppError, Result};
use crate::service::cart as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use leenpunt_shared::cart::{AnonymousCart, CartDates, CartScreen, CartSubmit, NewCartLine};
use leenpunt_shared::query::encode_component;
use leenpunt_shared::Lang;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mandje/toevoegen", post(add))
        .route("/mandje/datums", post(dates))
        .route("/mandje/lijnen/{id}", post(change))
        .route("/mandje/lijnen/{id}/verwijderen", post(drop_line))
        .route("/mandje/versturen", post(send))
}

/// The cart page's data: the asker's cart (a visitor's from `anon`), and when `check`
/// is asked and someone is signed in, every line's verdict for `school` (a teacher of
/// several schools chooses one; with one school it is that one).
pub async fn screen(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    anon: &AnonymousCart,
    (check, school): (bool, Option<String>),
) -> Result<CartScreen> {
    let send_key = crate::service::signup::random_token();
    if actor.user.is_none() {
        let cart = service::anonymous::view(&state.db, anon).await?;
        return Ok(CartScreen {
            cart,
            signed_in: false,
            check: None,
            check_problem: None,
            send_key,
            schools: Vec::new(),
            school: None,
        });
    }
    let cart = service::get(&state.db, actor).await?;
    let schools = teacher_schools(state, actor).await?;
    let school = school
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && schools.len() > 1);
    let mut screen = CartScreen {
        signed_in: true,
        send_key,
        schools,
        school: school.clone(),
        ..CartScreen::default()
    };
    if check && !cart.lines.is_empty() {
        let asked = CartSubmit {
            school,
            ..CartSubmit::default()
        };
        match service::check(&state.db, state.clock.as_ref(), actor, lang, &asked).await {
            Ok(verdicts) => screen.check = Some(verdicts),
            Err(e @ (AppError::Db(_) | AppError::Internal(_) | AppError::Busy(_))) => {
                return Err(e)
            }
            Err(e) => screen.check_problem = Some(e.problem(lang)),
        }
    }
    screen.cart = cart;
    Ok(screen)
}

/// The schools the asker books for as a teacher, when there are several (with one, the
/// cart is that school's and nothing is asked).
async fn teacher_schools(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<leenpunt_shared::accounts::SchoolOption>> {
    let mut ids: Vec<_> = actor
        .grants
        .iter()
        .filter(|g| g.role == leenpunt_shared::Role::Teacher)
        .filter_map(|g| g.school)
        .collect();
    ids.sort_by_key(|id| id.0);
    ids.dedup();
    if ids.len() < 2 {
        return Ok(Vec::new());
    }
    Ok(state.db.schools_by_id(&ids).await?)
}

/// How many lines the asker's cart holds, for the header's cart link (0 when it cannot
/// be read: the header never fails a page).
pub async fn line_count(state: &AppState, actor: &Actor, headers: &HeaderMap) -> usize {
    if actor.user.is_none() {
        return anonymous_cart(headers).map_or(0, |c| c.lines.len());
    }
    service::get(&state.db, actor)
        .await
        .map_or(0, |c| c.lines.len())
}

#[derive(Debug, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    kit: String,
    #[serde(default)]
    pickup_point: String,
    /// Absent (a catalogue card's form): one. Present but empty or not a number: refused.
    #[serde(default)]
    quantity: Option<String>,
    #[serde(default)]
    pickup_date: String,
    #[serde(default)]
    return_date: String,
    /// Where to go back to (a local path).
    #[serde(default)]
    next: String,
}

impl LineForm {
    fn line(&self) -> NewCartLine {
        let day = |d: &str| Some(d.trim().to_owned()).filter(|d| !d.is_empty());
        NewCartLine {
            kit: self.kit.trim().to_owned(),
            pickup_point: self.pickup_point.trim().to_owned(),
            // Not a number: 0, which the line rule refuses with its own message.
            quantity: self
                .quantity
                .as_deref()
                .map_or(Some(1), |q| q.trim().parse().ok())
                .unwrap_or(0),
            pickup_date: day(&self.pickup_date),
            return_date: day(&self.return_date),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DatesForm {
    #[serde(default)]
    pickup_date: String,
    #[serde(default)]
    return_date: String,
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    /// Present (any value) for "book what fits, wait-list the rest".
    #[serde(default)]
    partial: Option<String>,
    #[serde(default)]
    note: String,
    /// The form's Idempotency-Key: sending the same form twice books once.
    #[serde(default)]
    key: String,
    /// The school chosen on the page (a teacher of several schools); empty: their only one.
    #[serde(default)]
    school: String,
}

/// What a form post did to a visitor's cart: its new cookie.
type Kept = Option<HeaderValue>;

/// Adds a kit type from its page (or the catalogue); back there with `?mandje=…`.
pub async fn add(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(form): Form<LineForm>,
) -> Result<Response> {
    let body = form.line();
    let outcome: Result<Kept> = match who.0.user {
        None => {
            let anon = anonymous_cart(&headers).unwrap_or_default();
            match service::anonymous::add(&state.db, lang, anon, &body).await {
                Ok(anon) => Ok(Some(cart_cookie(&state, &anon))),
                Err(e) => Err(e),
            }
        }
        Some(_) => service::add_line(&state.db, state.clock.as_ref(), &who.0, lang, &body)
            .await
            .map(|_| None),
    };
    let back = back_to(&form.next, "/mandje");
    redirect(&back, "mandje", "toegevoegd", "mandje_fout", lang, outcome)
}

/// Sets the dates chosen once for the whole cart.
pub async fn dates(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(form): Form<DatesForm>,
) -> Result<Response> {
    let body = CartDates {
        pickup_date: Some(form.pickup_date.trim().to_owned()).filter(|d| !d.is_empty()),
        return_date: Some(form.return_date.trim().to_owned()).filter(|d| !d.is_empty()),
    };
    let outcome: Result<Kept> = match who.0.user {
        None => {
            let anon = anonymous_cart(&headers).unwrap_or_default();
            service::anonymous::set_dates(lang, anon, &body).map(|a| Some(cart_cookie(&state, &a)))
        }
        Some(_) => service::set_dates(&state.db, state.clock.as_ref(), &who.0, lang, &body)
            .await
            .map(|_| None),
    };
    let back = back_to(&form.next, "/mandje");
    redirect(&back, "ok", "datums", "fout", lang, outcome)
}

/// Changes a line: its quantity, or its own dates (an offered alternative).
pub async fn change(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<LineForm>,
) -> Result<Response> {
    let body = form.line();
    let outcome: Result<Kept> = match who.0.user {
        None => {
            let anon = anonymous_cart(&headers).unwrap_or_default();
            service::anonymous::update(&state.db, lang, anon, id, &body)
                .await
                .map(|a| Some(cart_cookie(&state, &a)))
        }
        Some(_) => service::update_line(&state.db, state.clock.as_ref(), &who.0, lang, id, &body)
            .await
            .map(|_| None),
    };
    let back = back_to(&form.next, "/mandje");
    redirect(&back, "ok", "gewijzigd", "fout", lang, outcome)
}

/// Drops a line.
pub async fn drop_line(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<DatesForm>,
) -> Result<Response> {
    let outcome: Result<Kept> = match who.0.user {
        None => {
            let anon = anonymous_cart(&headers).unwrap_or_default();
            service::anonymous::remove(anon, id).map(|a| Some(cart_cookie(&state, &a)))
        }
        Some(_) => service::remove_line(&state.db, &who.0, id)
            .await
            .map(|_| None),
    };
    let back = back_to(&form.next, "/mandje");
    redirect(&back, "ok", "verwijderd", "fout", lang, outcome)
}

/// Sends the cart: all or nothing, or (asked) what fits plus the waiting list. On to the
/// confirmation, or back to the checked cart with the reason.
pub async fn send(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<SendForm>,
) -> Result<Response> {
    if who.0.user.is_none() {
        return Ok(Redirect::to("/aanmelden?next=/mandje").into_response());
    }
    let school = Some(form.school.trim().to_owned()).filter(|s| !s.is_empty());
    let body = CartSubmit {
        partial: form.partial.is_some(),
        school: school.clone(),
        note: form.note.trim().to_owned(),
    };
    let key = Some(form.key.trim()).filter(|k| (1..=200).contains(&k.len()));
    let sent = service::submit(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        &body,
        key,
    )
    .await;
    match sent {
        Ok((sent, _)) => {
            let ids: Vec<String> = sent.requests.iter().map(|r| r.id.to_string()).collect();
            Ok(Redirect::to(&format!(
                "/mandje/verstuurd?aanvragen={}&wacht={}&open={}",
                ids.join(","),
                sent.waiting.len(),
                sent.refused.len()
            ))
            .into_response())
        }
        Err(e) => {
            // Back to the check step, for the school that was chosen.
            let back = match &school {
                Some(s) => format!("/mandje?stap=controle&school={}", encode_component(s)),
                None => "/mandje?stap=controle".to_owned(),
            };
            redirect(&back, "ok", "", "fout", lang, Err(e))
        }
    }
}

/// A local path to go back to, or `fallback`.
fn back_to(next: &str, fallback: &str) -> String {
    if next.is_empty() {
        fallback.to_owned()
    } else {
        safe_next(Some(next.to_owned()))
    }
}

/// Back to `back` with `ok_key=ok` or `error_key=<message>`, keeping a visitor's cart in
/// its cookie. Server faults stay errors (500, logged); a visitor whose session ended is
/// asked to sign in.
fn redirect(
    back: &str,
    ok_key: &str,
    ok: &str,
    error_key: &str,
    lang: Lang,
    outcome: Result<Kept>,
) -> Result<Response> {
    let sep = if back.contains('?') { '&' } else { '?' };
    let (target, cookie) = match outcome {
        Ok(cookie) => (format!("{back}{sep}{ok_key}={ok}"), cookie),
        Err(AppError::Unauthorized) => {
            (format!("/aanmelden?next={}", encode_component(back)), None)
        }
        Err(e @ (AppError::Db(_) | AppError::Internal(_) | AppError::Busy(_))) => return Err(e),
        Err(e) => {
            let problem = e.problem(lang);
            let message = problem
                .errors
                .first()
                .map(|f| f.message.clone())
                .or(problem.detail)
                .unwrap_or(problem.title);
            (
                format!("{back}{sep}{error_key}={}", encode_component(&message)),
                None,
            )
        }
    };
    let mut response = Redirect::to(&target).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
