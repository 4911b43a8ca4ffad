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
use crate::service::reservations::{
    bookable, bookables, booking_school, parse_day, refusal_error, Bookable,
};
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

/// How much of a kit type's situation a line loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// What deciding needs, as a single booking loads it: the holds from the pickup to a
    /// month after the return, the closures to a year after it.
    Narrow,
    /// 60 days either side, for the nearest dates that fit (lines short of units).
    Wide,
}

/// A first and a last day.
type Span = (NaiveDate, NaiveDate);

/// Lines loaded together: the same pickup point and dates (and so the same windows).
type Group<'a> = (&'a str, Span, Span, Span);

/// A line's dates and the windows it loads (closures, holds), or the error a line
/// without dates carries.
fn windows(
    lang: Lang,
    today: NaiveDate,
    cart: &Cart,
    l: &StoredLine,
    window: Window,
) -> std::result::Result<(Span, Span, Span), AppError> {
    let Some((pickup, return_date)) = line_dates(cart, l) else {
        return Err(AppError::Validation(vec![FieldError::new(
            "pickup_date",
            Text::CartChooseDates.get(lang),
        )]));
    };
    let last = pickup.max(return_date);
    let (closures, holding) = match window {
        Window::Narrow => (
            (today.min(pickup), last + Duration::days(366)),
            (pickup, last + Duration::days(NARROW_DAYS)),
        ),
        Window::Wide => (
            (
                today.min(pickup - Duration::days(61)),
                last + Duration::days(366),
            ),
            (pickup - Duration::days(61), last + Duration::days(200)),
        ),
    };
    Ok(((pickup, return_date), closures, holding))
}

/// Loads one line: its dates and the kit type's situation in a window.
async fn prepare_line(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    who: (SchoolId, UserId),
    cart: &Cart,
    l: &StoredLine,
    window: Window,
) -> Result<std::result::Result<Prepared, AppError>> {
    let ((pickup, return_date), closures, holding) = match windows(lang, today, cart, l, window) {
        Ok(w) => w,
        Err(e) => return Ok(Err(e)),
    };
    let loaded = bookable(
        conn,
        lang,
        &as_form(l, pickup, return_date),
        who,
        closures,
        holding,
        today,
    )
    .await;
    finish(conn, lang, loaded, (pickup, return_date), holding.1, window).await
}

/// Loads the lines in the narrow window, those with the same pickup point and dates
/// together in one query (a cart of five lines for one week reads the database as often
/// as a cart of one).
async fn prepare_narrow(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    who: (SchoolId, UserId),
    cart: &Cart,
    stored: &[StoredLine],
) -> Result<Vec<std::result::Result<Prepared, AppError>>> {
    let mut prepared: Vec<Option<std::result::Result<Prepared, AppError>>> =
        stored.iter().map(|_| None).collect();
    let mut groups: Vec<(Group<'_>, Vec<usize>)> = Vec::new();
    for (i, l) in stored.iter().enumerate() {
        match windows(lang, today, cart, l, Window::Narrow) {
            Err(e) => prepared[i] = Some(Err(e)),
            Ok((dates, closures, holding)) => {
                let key = (l.line.pickup_point.as_str(), dates, closures, holding);
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, members)) => members.push(i),
                    None => groups.push((key, vec![i])),
                }
            }
        }
    }
    for ((point, (pickup, return_date), closures, holding), members) in groups {
        let kits: Vec<&str> = members
            .iter()
            .map(|&i| stored[i].line.kit.as_str())
            .collect();
        let loaded = bookables(conn, lang, (&kits, point), who, closures, holding, today).await?;
        for (i, loaded) in members.into_iter().zip(loaded) {
            prepared[i] = Some(
                finish(
                    conn,
                    lang,
                    loaded,
                    (pickup, return_date),
                    holding.1,
                    Window::Narrow,
                )
                .await?,
            );
        }
    }
    Ok(prepared
        .into_iter()
        .map(|p| p.expect("every line prepared"))
        .collect())
}

/// A loaded line as the cart decides on it; a kit type that is gone or cannot be booked
/// is the line's own error, a database error the cart's.
async fn finish(
    conn: &mut crate::db::Conn,
    lang: Lang,
    loaded: Result<Bookable>,
    (pickup, return_date): (NaiveDate, NaiveDate),
    held_to: NaiveDate,
    window: Window,
) -> Result<std::result::Result<Prepared, AppError>> {
    Ok(match loaded {
        Ok(mut bookable) => {
            // A buffer across long holidays may hold past the narrow window: read the
            // holds again up to the last held day (as a single booking does).
            let held = bookable
                .calendar
                .held_until(return_date, bookable.kit.rules.buffer_days);
            if window == Window::Narrow && held > held_to {
                bookable.holds =
                    crate::db::reservations::holds(conn, bookable.kit.id, pickup, held).await?;
            }
            Ok(Prepared {
                pickup,
                return_date,
                bookable,
            })
        }
        Err(AppError::NotFound) => Err(AppError::Validation(vec![FieldError::new(
            "kit",
            Text::CartUnknownKit.get(lang),
        )])),
        Err(e @ AppError::Validation(_)) => Err(e),
        Err(other) => return Err(other),
    })
}

/// Days after the return the narrow window holds (a single booking's).
const NARROW_DAYS: i64 = 31;

/// Loads and decides every line of the person's cart, in the caller's connection. Each
/// line loads the narrow window a single booking loads; only the lines short of units
/// load the wide one (for the nearest dates that fit) and the cart is decided again with
/// it — lines before them decide the same on either window.
pub(super) async fn evaluate(
    conn: &mut crate::db::Conn,
    lang: Lang,
    today: NaiveDate,
    (school, user): (SchoolId, UserId),
) -> Result<(Cart, Evaluated)> {
    let (cart_row, stored) = store::cart(conn, user).await?;
    let mut prepared =
        prepare_narrow(conn, lang, today, (school, user), &cart_row, &stored).await?;
    let mut verdicts = decide(&prepared, &stored, today, school);
    let short: Vec<usize> = verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| matches!(v, Verdict::Refused(r) if r.may_wait()))
        .map(|(i, _)| i)
        .collect();
    if !short.is_empty() {
        for &i in &short {
            prepared[i] = prepare_line(
                conn,
                lang,
                today,
                (school, user),
                &cart_row,
                &stored[i],
                Window::Wide,
            )
            .await?;
        }
        verdicts = decide(&prepared, &stored, today, school);
    }
    Ok((
        cart_row,
        Evaluated {
            stored,
            prepared,
            verdicts,
        },
    ))
}

/// Decides the loaded lines in cart order (`domain::cart::check`); a line that could not
/// be loaded is refused and holds nothing.
fn decide(
    prepared: &[std::result::Result<Prepared, AppError>],
    stored: &[StoredLine],
    today: NaiveDate,
    school: SchoolId,
) -> Vec<Verdict> {
    let lines: Vec<Line<'_>> = prepared
        .iter()
        .zip(stored)
        .filter_map(|(p, l)| {
            let p = p.as_ref().ok()?;
            let b = &p.bookable;
            Some(Line {
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
            })
        })
        .collect();
    let mut decisions = cart::check(&lines).into_iter();
    prepared
        .iter()
        .map(|p| match p {
            Ok(_) => decisions.next().expect("one decision per loaded line"),
            Err(_) => Verdict::Refused(LineRefusal::Rules(Refusal::Invalid(Vec::new()))),
        })
        .collect()
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
            match crate::service::gate::check_gate(
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
