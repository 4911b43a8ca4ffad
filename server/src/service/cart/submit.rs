//! Sending a cart: one transaction that checks every line and books them all, or none
//! (by default), or — when the teacher asks — books what fits and puts the lines short of
//! units on the waiting list. The lines booked become one request per pickup point.

use super::check::{borrower, evaluate, view, Evaluated};
use crate::db::cart::{self as store, NewRequest};
use crate::db::reservations::{self as reservations, NewRow, WaitingRow};
use crate::db::Db;
use crate::domain::cart::mail::{request_news, MailLine, RequestMail};
use crate::domain::cart::{by_pickup_point, plan, Mode, Plan, Verdict};
use crate::domain::clock::{today, Clock};
use crate::domain::policy::Actor;
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::cart::{BookingRequest, CartSubmit, CartSubmitted};
use leenpunt_shared::*;

/// What a sending asked for (all or nothing or partial, the school, the note), for its
/// Idempotency-Key. The lines are not in it: a sent cart loses them, so a retry finds
/// another cart.
fn fingerprint(body: &CartSubmit) -> String {
    let canonical = serde_json::to_string(body).unwrap_or_default();
    crate::service::accounts::token_hash(&canonical)
}

fn idempotency_misuse(lang: Lang) -> AppError {
    AppError::Validation(vec![FieldError::new(
        "Idempotency-Key",
        Text::ThisIdempotencyKeyWasAlreadyUsed.get(lang),
    )])
}

/// Sends the person's cart. With an Idempotency-Key a retry answers the requests the
/// first one made (`true`) instead of booking again.
pub async fn submit(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &CartSubmit,
    idempotency_key: Option<&str>,
) -> Result<(CartSubmitted, bool)> {
    let who @ (school, user) = borrower(db, actor, lang, body.school.as_deref()).await?;
    if body.note.chars().count() > 1000 {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            Text::YourNoteIsTooLong1000.get(lang),
        )]));
    }
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    store::lock_for_sending(&mut tx, user).await?;
    if let Some(key) = idempotency_key {
        let earlier = store::requests_by_key(&mut tx, user, key).await?;
        if !earlier.is_empty() {
            return replay(&mut tx, lang, body, earlier).await;
        }
    }
    let (cart, evaluated) = evaluate(&mut tx, lang, today, who).await?;
    if evaluated.stored.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "lines",
            Text::CartEmpty.get(lang),
        )]));
    }
    let mode = if body.partial {
        Mode::Partial
    } else {
        Mode::AllOrNothing
    };
    let plan = plan(&evaluated.verdicts, mode);
    let mut refused = Vec::with_capacity(plan.refused.len());
    for &i in &plan.refused {
        refused.push(view(&mut tx, lang, today, &now, &cart, &evaluated, i).await?);
    }
    if plan.is_empty() || (mode == Mode::AllOrNothing && !plan.refused.is_empty()) {
        return Err(refused_cart(lang, mode, &refused));
    }
    let fingerprint = idempotency_key.map(|_| fingerprint(body));
    let key = idempotency_key.zip(fingerprint.as_deref());
    let requests = book(&mut tx, (school, user), body, &evaluated, &plan, key, &now).await?;
    let waiting = wait(&mut tx, (school, user), &evaluated, &plan, &now).await?;
    // Booked and waiting lines leave the cart; refused ones stay to be fixed.
    let done: Vec<i64> = plan
        .book
        .iter()
        .chain(&plan.wait)
        .map(|&i| evaluated.stored[i].line.id)
        .collect();
    store::remove_lines(&mut tx, user, &done).await?;
    if plan.refused.is_empty() {
        store::clear(&mut tx, user).await?;
    }
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "cart.submit",
        &format!("user:{}", user.0),
        &format!(
            "{} requests, {} lines booked, {} waiting, {} refused",
            requests.len(),
            plan.book.len(),
            plan.wait.len(),
            plan.refused.len()
        ),
        &now,
    )
    .await?;
    for request in &requests {
        mail(&mut tx, request, &waiting, public_url, &now).await?;
    }
    tx.commit().await?;
    Ok((
        CartSubmitted {
            requests,
            waiting,
            refused,
        },
        false,
    ))
}

/// The 409 of a cart that books nothing, naming each line that does not fit and why.
fn refused_cart(
    lang: Lang,
    mode: Mode,
    refused: &[leenpunt_shared::cart::CartVerdict],
) -> AppError {
    let list = refused
        .iter()
        .map(|v| {
            let why = v
                .problem
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_default();
            format!("{} ({why})", v.kit_title)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let detail = match mode {
        Mode::AllOrNothing => Text::CartRefusedDetail { list: &list }.get(lang),
        Mode::Partial => Text::CartNothingFitsDetail { list: &list }.get(lang),
    };
    AppError::refused("cart-refused", Text::CartRefusedTitle.get(lang), detail)
}

/// Stores the lines to book: one request per pickup point, one reservation per line.
async fn book(
    conn: &mut crate::db::Conn,
    (school, user): (SchoolId, UserId),
    body: &CartSubmit,
    e: &Evaluated,
    plan: &Plan,
    key: Option<(&str, &str)>,
    now: &str,
) -> Result<Vec<BookingRequest>> {
    let points: Vec<i64> = plan.book.iter().map(|&i| e.stored[i].point.0).collect();
    let mut out = Vec::new();
    for (point, members) in by_pickup_point(&points) {
        let request = store::insert_request(
            conn,
            &NewRequest {
                user,
                school,
                point: PickupPointId(point),
                idempotency_key: key,
            },
            now,
        )
        .await?;
        let mut booked = Vec::with_capacity(members.len());
        for m in members {
            let i = plan.book[m];
            let (Ok(p), Verdict::Fits { accepted, sessions }) = (&e.prepared[i], &e.verdicts[i])
            else {
                continue;
            };
            let id = reservations::insert(
                conn,
                &NewRow {
                    kit: p.bookable.kit.id,
                    point: p.bookable.point.id,
                    school,
                    user,
                    quantity: e.stored[i].line.quantity,
                    pickup: p.pickup,
                    return_date: p.return_date,
                    held_until: accepted.held_until,
                    status: accepted.status,
                    note: body.note.trim(),
                    idempotency_key: None,
                    offer_expires_at: None,
                    request: Some(request),
                },
                now,
            )
            .await?;
            crate::db::trainings::add_conditions(conn, id, sessions).await?;
            let record = reservations::record_by_id(conn, id)
                .await?
                .ok_or(AppError::NotFound)?;
            booked.push(record.view);
        }
        out.push(BookingRequest {
            id: request,
            pickup_point: e.stored[plan.book[0]].line.pickup_point.clone(),
            reservations: booked,
        });
        let last = out.last_mut().expect("just pushed");
        if let Some(first) = last.reservations.first() {
            last.pickup_point = first.pickup_point.clone();
        }
    }
    Ok(out)
}

/// Puts the lines short of units on the waiting list.
async fn wait(
    conn: &mut crate::db::Conn,
    (school, user): (SchoolId, UserId),
    e: &Evaluated,
    plan: &Plan,
    now: &str,
) -> Result<Vec<WaitlistEntry>> {
    let mut out = Vec::with_capacity(plan.wait.len());
    for &i in &plan.wait {
        let Ok(p) = &e.prepared[i] else { continue };
        let row = WaitingRow {
            id: 0,
            point: p.bookable.point.id,
            school,
            user,
            quantity: e.stored[i].line.quantity,
            pickup: p.pickup,
            return_date: p.return_date,
        };
        let id = reservations::insert_waiting(conn, &row, p.bookable.kit.id, now).await?;
        crate::db::accounts::audit(
            conn,
            Some(user),
            "waitlist.join",
            &format!("waitlist:{id}"),
            &format!(
                "{} × {} {}..{} (cart)",
                row.quantity, e.stored[i].line.kit, p.pickup, p.return_date
            ),
            now,
        )
        .await?;
        if let Some((entry, _)) = reservations::waiting_entry(conn, id).await? {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Tells the borrower about one request in one mail: every booked line with its news
/// (bevestigd, aangevraagd, voorwaardelijk) and the lines at the same pickup point that
/// went on the waiting list. Waiting lines at a point where nothing was booked get no
/// mail, as joining the waiting list on its own gets none.
async fn mail(
    conn: &mut crate::db::Conn,
    request: &BookingRequest,
    waiting: &[WaitlistEntry],
    public_url: &str,
    now: &str,
) -> Result<()> {
    let Some(first) = request.reservations.first() else {
        return Ok(());
    };
    let Some(record) = reservations::record_by_id(conn, first.id).await? else {
        return Ok(());
    };
    let Ok(to) = Email::parse(&record.user_email) else {
        return Ok(());
    };
    let lines: Vec<MailLine> = request
        .reservations
        .iter()
        .map(MailLine::booked)
        .chain(
            waiting
                .iter()
                .filter(|w| w.pickup_point == first.pickup_point)
                .map(MailLine::waiting),
        )
        .collect();
    let link = format!("{}/mijn-reservaties", public_url.trim_end_matches('/'));
    let mail = request_news(
        RequestMail {
            lang: record.user_lang,
            to: &to,
            borrower: &first.borrower,
            point: &first.pickup_point,
            address: &first.pickup_point_address,
            sent_at: now,
            link: &link,
        },
        &lines,
    );
    crate::db::mail::enqueue(conn, &mail, now).await?;
    Ok(())
}

/// The answer to a retried Idempotency-Key: the requests the first sending made, as they
/// are now (a different cart under the same key is refused).
async fn replay(
    conn: &mut crate::db::Conn,
    lang: Lang,
    body: &CartSubmit,
    earlier: Vec<(i64, String, Option<String>, Vec<i64>)>,
) -> Result<(CartSubmitted, bool)> {
    let asked = fingerprint(body);
    if earlier
        .iter()
        .any(|(_, _, first, _)| first.as_deref() != Some(asked.as_str()))
    {
        return Err(idempotency_misuse(lang));
    }
    let mut requests = Vec::with_capacity(earlier.len());
    for (id, point, _, lines) in earlier {
        let mut booked = Vec::with_capacity(lines.len());
        for line in lines {
            if let Some(record) = reservations::record_by_id(conn, ReservationId(line)).await? {
                booked.push(record.view);
            }
        }
        requests.push(BookingRequest {
            id,
            pickup_point: booked
                .first()
                .map(|r| r.pickup_point.clone())
                .unwrap_or(point),
            reservations: booked,
        });
    }
    Ok((
        CartSubmitted {
            requests,
            waiting: Vec::new(),
            refused: Vec::new(),
        },
        true,
    ))
}
