//! Checking a cart: every line against the single-booking rules, in order, each line that
//! fits holding its units for the lines after it (`domain::cart::check`).

use crate::db::cart::{self as store, StoredLine};
use crate::db::Db;
use crate::domain::cart::{self, Line, LineRefusal, Verdict};
use crate::domain::clock::{today, Clock};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::reservations::{KitSituation, Refusal, Request};
use crate::domain::trainings::gate;
use crate::error::{AppError, Result};
use crate::service::reservations::{bookable, booking_school, parse_day, refusal_error, Bookable};
use crate::texts::Text;
use chrono::{Duration, NaiveDate};
use leenpunt_shared::cart::{Cart, CartCheck, CartSubmit, CartVerdict};
use leenpunt_shared::{FieldError, Lang, NewReservation, SchoolId, UserId};

/// A line that could be loaded: its dates and the kit type's situation at its point.
pub(super) struct Prepared {
    pub(super) pickup: NaiveDate,
    pub(super) return_date: NaiveDate,
    pub(super) bookable: Bookable,
}

/// Every line of a cart with its verdict; lines that could not be loaded (no dates, a kit
/// type gone) carry the error a single booking would answer.
pub(super) struct Evaluated {
    pub(super) stored: Vec<StoredLine>,
    pub(super) prepared: Vec<std::result::Result<Prepared, AppError>>,
    pub(super) verdicts: Vec<Verdict>,
}

/// The dates a line asks for: its own, or the cart's.
fn line_dates(cart: &Cart, l: &StoredLine) -> Option<(NaiveDate, NaiveDate)> {
    let (p, r) = match (&l.line.pickup_date, &l.line.return_date) {
        (Some(p), Some(r)) => (p, r),
        _ => (cart.pickup_date.as_ref()?, cart.return_date.as_ref()?),
    };
    Some((parse_day(p)?, parse_day(r)?))
}

/// The booking form a line amounts to (`bookable` reads kit type and point from it).
pub(super) fn as_form(l: &StoredLine, pickup: NaiveDate, return_date: NaiveDate) -> NewReservation {
    NewReservation {
        kit: l.line.kit.clone(),
        pickup_point: l.line.pickup_point.clone(),
        pickup_date: pickup.to_string(),
        return_date: return_date.to_string(),
        quantity: l.line.quantity,
        school: None,
        note: String::new(),
    }
}

/// Loads one line: its dates and the kit type's situation 60 days either side (for the
/// nearest dates that fit).
async fn prepare_line(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    (school, user): (SchoolId, UserId),
    cart: &Cart,
    l: &StoredLine,
) -> Result<std::result::Result<Prepared, AppError>> {
    let Some((pickup, return_date)) = line_dates(cart, l) else {
        return Ok(Err(AppError::Validation(vec![FieldError::new(
            "pickup_date",
            Text::CartChooseDates.get(lang),
        )])));
    };
    let last = pickup.max(return_date);
    let loaded = bookable(
        conn,
        lang,
        &as_form(l, pickup, return_date),
        (school, user),
        (
            today.min(pickup - Duration::days(61)),
            last + Duration::days(366),
        ),
        (pickup - Duration::days(61), last + Duration::days(200)),
        today,
    )
    .await;
    Ok(match loaded {
        Ok(bookable) => Ok(Prepared {
            pickup,
            return_date,
            bookable,
        }),
        Err(AppError::NotFound) => Err(AppError::Validation(vec![FieldError::new(
            "kit",
            Text::CartUnknownKit.get(lang),
        )])),
        Err(e @ AppError::Validation(_)) => Err(e),
        Err(other) => return Err(other),
    })
}

/// Loads and decides every line of the person's cart, in the caller's connection.
pub(super) async fn evaluate(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    (school, user): (SchoolId, UserId),
) -> Result<(Cart, Evaluated)> {
    let (cart_row, stored) = store::cart(conn, user).await?;
    let mut prepared = Vec::with_capacity(stored.len());
    for l in &stored {
        prepared.push(prepare_line(conn, lang, today, (school, user), &cart_row, l).await?);
    }
    let decided: Vec<(usize, Line<'_>)> = prepared
        .iter()
        .zip(&stored)
        .enumerate()
        .filter_map(|(i, (p, l))| {
            let p = p.as_ref().ok()?;
            let b = &p.bookable;
            Some((
                i,
                Line {
                    kit: b.kit.id.0,
                    point: b.point.id.0,
                    situation: KitSituation {
                        today,
                        rules: b.kit.rules,
                        calendar: &b.calendar,
                        in_service: b.kit.in_service,
                        owned: b.kit.owned,
                        holds: &b.holds,
                    },
                    request: Request {
                        school,
                        pickup: p.pickup,
                        return_date: p.return_date,
                        quantity: l.line.quantity,
                    },
                    training: gate(
                        &b.gate.required,
                        &b.gate.held,
                        &b.gate.registered,
                        today,
                        p.pickup,
                    ),
                },
            ))
        })
        .collect();
    let lines: Vec<Line<'_>> = decided.iter().map(|(_, l)| l.clone()).collect();
    let mut decisions = cart::check(&lines).into_iter();
    // A line that could not be loaded is refused and holds nothing.
    let verdicts: Vec<Verdict> = prepared
        .iter()
        .map(|p| match p {
            Ok(_) => decisions.next().expect("one decision per loaded line"),
            Err(_) => Verdict::Refused(LineRefusal::Rules(Refusal::Invalid(Vec::new()))),
        })
        .collect();
    drop(lines);
    drop(decided);
    Ok((
        cart_row,
        Evaluated {
            stored,
            prepared,
            verdicts,
        },
    ))
}

/// One line's verdict as the API answers it; a refusal is worded exactly as the single
/// booking would word it (the training gate's with its upcoming sessions).
pub(super) async fn view(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    now: &str,
    cart: &Cart,
    e: &Evaluated,
    i: usize,
) -> Result<CartVerdict> {
    let l = &e.stored[i];
    let dates = line_dates(cart, l);
    let mut v = CartVerdict {
        line: l.line.id,
        kit: l.line.kit.clone(),
        kit_title: l.line.kit_title.clone(),
        pickup_point: l.line.pickup_point.clone(),
        quantity: l.line.quantity,
        pickup_date: dates.map(|(p, _)| p.to_string()),
        return_date: dates.map(|(_, r)| r.to_string()),
        fits: false,
        status: None,
        conditional: false,
        problem: None,
        may_wait: false,
    };
    let error = match (&e.prepared[i], &e.verdicts[i]) {
        (Err(error), _) => clone_error(error),
        (Ok(_), Verdict::Fits { accepted, sessions }) => {
            v.fits = true;
            v.status = Some(accepted.status);
            v.conditional = !sessions.is_empty();
            return Ok(v);
        }
        (Ok(p), Verdict::Refused(LineRefusal::Training(_))) => {
            match crate::service::trainings::check_gate(
                conn,
                lang,
                &p.bookable.gate,
                today,
                p.pickup,
                now,
            )
            .await
            {
                Err(AppError::Db(db)) => return Err(AppError::Db(db)),
                Err(error) => error,
                Ok(_) => AppError::Forbidden,
            }
        }
        (Ok(_), Verdict::Refused(LineRefusal::Rules(refusal))) => {
            v.may_wait = matches!(refusal, Refusal::NotEnoughUnits { .. });
            refusal_error(refusal.clone(), lang, l.line.quantity)
        }
    };
    v.problem = Some(error.problem(lang));
    Ok(v)
}

/// The user-facing errors a line can carry (never a database error).
fn clone_error(e: &AppError) -> AppError {
    match e {
        AppError::Validation(fields) => AppError::Validation(fields.clone()),
        _ => AppError::NotFound,
    }
}

/// Who sends the cart, for which school (as a single booking: the named school, or the
/// teacher's only one).
pub(super) async fn borrower(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    school: Option<&str>,
) -> Result<(SchoolId, UserId)> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let school = booking_school(db, actor, lang, school).await?;
    if !allows(actor, Action::ReserveFor(school)) {
        return Err(AppError::Forbidden);
    }
    Ok((school, user))
}

/// Every line's verdict, before sending (nothing is written or held).
pub async fn check(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &CartSubmit,
) -> Result<CartCheck> {
    let who = borrower(db, actor, lang, body.school.as_deref()).await?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let mut conn = db.read().await?;
    let (cart, evaluated) = evaluate(&mut conn, lang, today, who).await?;
    let mut lines = Vec::with_capacity(evaluated.stored.len());
    for i in 0..evaluated.stored.len() {
        lines.push(view(&mut conn, lang, today, &now, &cart, &evaluated, i).await?);
    }
    Ok(CartCheck {
        all_fit: lines.iter().all(|l| l.fits),
        lines,
    })
}
