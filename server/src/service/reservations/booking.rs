//! Booking a kit type, and the pieces the other reservation rooms share: reading the form
//! (`prepare`, `bookable`), wording a refusal, telling the borrower, and offering freed
//! units to the waiting list. The only room that (with `waitlist`) asks the training gate.

use super::availability::calendar;
use crate::db::mail::enqueue;
use crate::db::reservations::{self as store, NewRow, ReservationRecord};
use crate::db::Db;
use crate::domain::cart::{self, LineRefusal, Verdict};
use crate::domain::clock::{today, Clock};
use crate::domain::mail::{reservation_news, ReservationNews};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::reservations::{KitSituation, OpenCalendar, Refusal, Request, TransitionError};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Duration, NaiveDate};
use leenpunt_shared::*;

pub(crate) fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

pub(super) fn bad_date(field: &str, lang: Lang) -> FieldError {
    FieldError::new(field, Text::ChooseAValidDate.get(lang))
}

/// A refusal as the API answers it, in the requester's language.
pub fn refusal_error(refusal: Refusal, lang: Lang, quantity: u32) -> AppError {
    let (title, detail) = refusal.texts(lang, quantity);
    match refusal {
        Refusal::Invalid(fields) => AppError::Validation(
            fields
                .into_iter()
                .map(|(f, why)| FieldError::new(f.name(), why.message(lang)))
                .collect(),
        ),
        Refusal::NotEnoughUnits { alternatives, .. } => AppError::Refused {
            kind: "not-enough-units",
            title,
            detail,
            alternatives: alternatives
                .into_iter()
                .map(|(p, r)| DateRange {
                    pickup_date: p.to_string(),
                    return_date: r.to_string(),
                })
                .collect(),
        },
        Refusal::SchoolLimit { .. } => AppError::refused("school-limit", title, detail),
    }
}

pub(super) fn transition_error(e: TransitionError, lang: Lang) -> AppError {
    let (kind, title, detail) = match e {
        TransitionError::TooLateToCancel => (
            "too-late-to-cancel",
            Text::ItIsTooLateToCancel.get(lang),
            Text::YouCanCancelUntilTheDay.get(lang),
        ),
        TransitionError::NotNow(_) => (
            "wrong-state",
            Text::ThatIsNoLongerPossible.get(lang),
            Text::TheReservationHasChangedInThe.get(lang),
        ),
    };
    AppError::refused(kind, title, detail)
}

/// The school a teacher books for: the one named, or their only school.
pub(crate) async fn booking_school(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    named: Option<&str>,
) -> Result<SchoolId> {
    let schools: Vec<SchoolId> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::Teacher)
        .filter_map(|g| g.school)
        .collect();
    let school = match named.map(str::trim).filter(|s| !s.is_empty()) {
        Some(number) => db.school_id(number).await?,
        None if schools.len() == 1 => Some(schools[0]),
        None if schools.is_empty() && !actor.is_admin() => return Err(AppError::Forbidden),
        None => None,
    };
    school.ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "school",
            Text::ChooseTheSchoolYouAreBooking.get(lang),
        )])
    })
}

fn link(public_url: &str) -> String {
    format!("{}/mijn-reservaties", public_url.trim_end_matches('/'))
}

pub(crate) async fn tell(
    conn: &mut crate::db::Conn,
    record: &ReservationRecord,
    news: ReservationNews,
    public_url: &str,
    now: &str,
) -> Result<()> {
    if let Ok(to) = Email::parse(&record.user_email) {
        let mail = reservation_news(
            record.user_lang,
            &to,
            news,
            &record.view,
            &link(public_url),
            now,
        );
        enqueue(conn, &mail, now).await?;
    }
    Ok(())
}

/// What a booking request asks for, as a fingerprint for its Idempotency-Key.
fn request_fingerprint(body: &NewReservation) -> String {
    let canonical = serde_json::to_vec(body).unwrap_or_default();
    crate::service::accounts::token_hash(&String::from_utf8_lossy(&canonical))
}

/// Books a reservation. With an idempotency key, a retry returns the first answer's
/// reservation (`replayed = true`) instead of booking twice.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &NewReservation,
    idempotency_key: Option<&str>,
) -> Result<(Reservation, bool)> {
    let (user, school, pickup, return_date) = prepare(db, actor, lang, body).await?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let today = today(clock);
    // Only a request with an Idempotency-Key keeps a fingerprint of what it asked.
    let fingerprint = idempotency_key.map(|_| request_fingerprint(body));
    let mut tx = db.begin().await?;
    if let (Some(key), Some(fingerprint)) = (idempotency_key, fingerprint.as_deref()) {
        if let Some((id, first)) = store::by_idempotency_key(&mut tx, user, key).await? {
            if first.is_some_and(|first| first != fingerprint) {
                return Err(AppError::Validation(vec![FieldError::new(
                    "Idempotency-Key",
                    Text::ThisIdempotencyKeyWasAlreadyUsed.get(lang),
                )]));
            }
            let record = store::record_by_id(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok((record.view, true));
        }
    }
    // Only the request's own days are loaded: the holds up to a month after the return
    // (the buffer after it is a few open days, so this covers it but across the longest
    // holidays, when the holds up to the real last day are read again below), and the
    // closures up to a year after it (a few rows), so the last held day is computed
    // right. A refusal for lack of units loads 60 days either way to find alternatives.
    let loaded = pickup.max(return_date) + Duration::days(31);
    let Bookable {
        kit,
        point,
        names,
        calendar: calendar_now,
        mut holds,
        gate,
    } = bookable(
        &mut tx,
        lang,
        body,
        (school, user),
        (
            today.min(pickup),
            pickup.max(return_date) + Duration::days(366),
        ),
        (pickup, loaded),
        today,
    )
    .await?;
    let last_held = calendar_now.held_until(return_date, kit.rules.buffer_days);
    if last_held > loaded {
        holds = store::holds(&mut tx, kit.id, pickup, last_held).await?;
    }
    let request = Request {
        school,
        pickup,
        return_date,
        quantity: body.quantity,
    };
    let situation = KitSituation {
        today,
        rules: kit.rules,
        calendar: &calendar_now,
        in_service: kit.in_service,
        owned: kit.owned,
        holds: &holds,
    };
    // A single booking is a cart of one line: the cart's rule decides it (the training
    // gate first, since without it dates do not matter yet; then the booking rules).
    let training = gate_of(&gate, today, pickup);
    let ids = (kit.id.0, point.id.0);
    let accepted = match one_line(situation.clone(), ids, request, &training) {
        Verdict::Fits { accepted, .. } => accepted,
        Verdict::Refused(LineRefusal::Training(_)) => {
            // Worded with the upcoming sessions (as a cart's line is).
            return Err(crate::service::gate::check_gate(
                &mut tx, lang, &gate, today, pickup, &now,
            )
            .await
            .err()
            .unwrap_or(AppError::Forbidden));
        }
        Verdict::Refused(LineRefusal::Rules(Refusal::NotEnoughUnits { .. })) => {
            // Units short: the nearest dates that fit, from 60 days either way.
            let from = today.min(pickup - Duration::days(61));
            let to = pickup.max(return_date) + Duration::days(200);
            let wide_calendar = calendar(&mut tx, &point, from, to).await?;
            let wide_holds = store::holds(&mut tx, kit.id, from, to).await?;
            let wide = KitSituation {
                calendar: &wide_calendar,
                holds: &wide_holds,
                ..situation
            };
            let refusal = match one_line(wide, ids, request, &training) {
                Verdict::Refused(LineRefusal::Rules(refusal)) => refusal,
                _ => Refusal::NotEnoughUnits {
                    day: pickup,
                    free: 0,
                    alternatives: Vec::new(),
                },
            };
            return Err(refusal_error(refusal, lang, body.quantity));
        }
        Verdict::Refused(LineRefusal::Rules(refusal)) => {
            return Err(refusal_error(refusal, lang, body.quantity))
        }
    };
    // The sessions it waits for, described for the answer (the gate let it through).
    let conditions =
        crate::service::gate::check_gate(&mut tx, lang, &gate, today, pickup, &now).await?;
    let id = store::insert(
        &mut tx,
        &NewRow {
            kit: kit.id,
            point: point.id,
            school,
            user,
            quantity: body.quantity,
            pickup,
            return_date,
            held_until: accepted.held_until,
            status: accepted.status,
            note: body.note.trim(),
            idempotency_key: idempotency_key.zip(fingerprint.as_deref()),
            offer_expires_at: None,
            request: None,
        },
        &now,
    )
    .await?;
    // The insert audited itself (trigger `reservations_audit_insert`).
    crate::db::trainings::add_conditions(&mut tx, id, &conditions.sessions).await?;
    // Built from what is known already: one round trip less than reading it back.
    let record = ReservationRecord {
        view: Reservation {
            id,
            status: accepted.status,
            kit_slug: body.kit.clone(),
            kit_title: kit.title.clone(),
            partner: names.partner,
            pickup_point: names.point,
            pickup_point_address: names.point_address,
            school: names.school,
            borrower: names.user,
            quantity: body.quantity,
            pickup_date: pickup.to_string(),
            return_date: return_date.to_string(),
            held_until: accepted.held_until.to_string(),
            note: body.note.trim().to_owned(),
            reason: None,
            at_risk: false,
            created_at: now.clone(),
            offer_expires_at: None,
            waiting_for: conditions.described,
            return_notes: Vec::new(),
            request_id: None,
        },
        kit: kit.id,
        partner: kit.partner,
        point: point.id,
        school,
        user,
        user_email: names.user_email,
        user_lang: names.user_lang,
        revision: 0,
        updated_at: now.clone(),
    };
    let news = if !conditions.sessions.is_empty() {
        ReservationNews::Conditional
    } else if accepted.status == ReservationStatus::Requested {
        ReservationNews::Requested
    } else {
        ReservationNews::Confirmed
    };
    tell(&mut tx, &record, news, public_url, &now).await?;
    tx.commit().await?;
    Ok((record.view, false))
}

/// A booking decided as a cart of one line.
fn one_line(
    situation: KitSituation<'_>,
    (kit, point): (i64, i64),
    request: Request,
    training: &crate::domain::trainings::Gate,
) -> Verdict {
    cart::check_one(&cart::Line {
        kit,
        point,
        situation,
        request,
        training: training.clone(),
    })
}

/// The training gate for a borrower's standing and a pickup day.
fn gate_of(
    inputs: &crate::db::trainings::GateInputs,
    today: NaiveDate,
    pickup: NaiveDate,
) -> crate::domain::trainings::Gate {
    crate::domain::trainings::gate(
        &inputs.required,
        &inputs.held,
        &inputs.registered,
        today,
        pickup,
    )
}

/// Checks a booking form's fields and who books for which school.
pub(super) async fn prepare(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    body: &NewReservation,
) -> Result<(UserId, SchoolId, NaiveDate, NaiveDate)> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mut errors = Vec::new();
    let pickup = parse_day(&body.pickup_date);
    let return_date = parse_day(&body.return_date);
    if pickup.is_none() {
        errors.push(bad_date("pickup_date", lang));
    }
    if return_date.is_none() {
        errors.push(bad_date("return_date", lang));
    }
    if body.note.chars().count() > 1000 {
        errors.push(FieldError::new(
            "note",
            Text::YourNoteIsTooLong1000.get(lang),
        ));
    }
    let (Some(pickup), Some(return_date)) = (pickup, return_date) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let school = booking_school(db, actor, lang, body.school.as_deref()).await?;
    if !allows(actor, Action::ReserveFor(school)) {
        return Err(AppError::Forbidden);
    }
    Ok((user, school, pickup, return_date))
}

/// What a booking form names, once it is known to be bookable.
pub(crate) struct Bookable {
    pub(crate) kit: store::BookableKit,
    pub(crate) point: store::BookablePoint,
    pub(crate) names: store::BookingNames,
    pub(crate) calendar: OpenCalendar,
    pub(crate) holds: Vec<crate::domain::reservations::Hold>,
    pub(crate) gate: crate::db::trainings::GateInputs,
}

/// The kit type and pickup point a form names, if they can be booked, with the names a
/// new reservation shows and the borrower's standing against the required trainings.
pub(crate) async fn bookable(
    conn: &mut crate::db::Conn,
    lang: Lang,
    body: &NewReservation,
    who: (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holding: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> Result<Bookable> {
    let context = store::booking_context(
        conn,
        &body.kit,
        &body.pickup_point,
        who,
        closures,
        holding,
        seats_from,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    into_bookable(context, lang)
}

/// [`bookable`] for several kit types at one pickup point with the same windows, in one
/// query: one answer per slug, in the order given (`NotFound` for a kit type that does not
/// exist).
pub(crate) async fn bookables(
    conn: &mut crate::db::Conn,
    lang: Lang,
    (kits, point): (&[&str], &str),
    who: (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holding: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> Result<Vec<Result<Bookable>>> {
    let found =
        store::booking_contexts(conn, kits, point, who, closures, holding, seats_from).await?;
    Ok(kits
        .iter()
        .map(|slug| match found.iter().find(|(s, _)| s == slug) {
            Some((_, context)) => into_bookable(context.clone(), lang),
            None => Err(AppError::NotFound),
        })
        .collect())
}

/// What a booking context allows: the kit type must be booked through Leenpunt and picked
/// up at the named point.
fn into_bookable(context: store::BookingContext, lang: Lang) -> Result<Bookable> {
    let store::BookingContext {
        kit,
        point,
        names,
        closed,
        holds,
        gate,
    } = context;
    if !kit.kind.is_reservable() {
        return Err(AppError::Validation(vec![FieldError::new(
            "kit",
            Text::ThisOfferIsNotBookedThrough.get(lang),
        )]));
    }
    let point = point.ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "pickup_point",
            Text::ThisMaterialIsNotPickedUp.get(lang),
        )])
    })?;
    let calendar = OpenCalendar::new(point.weekdays, &closed);
    Ok(Bookable {
        kit,
        point,
        names,
        calendar,
        holds,
        gate,
    })
}

/// Offers freed capacity of a kit type to its waiting list, first come first served, in
/// the caller's transaction. Each offer is a reservation in the `aangeboden` state that
/// holds its units for 48 hours; the borrower is mailed.
pub async fn offer_freed(
    conn: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    slug: &str,
) -> Result<Vec<ReservationId>> {
    use crate::domain::reservations::{offers, Hold, Waiting, OFFER_HOURS};
    let today = today(clock);
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let expires = (now_instant + Duration::hours(OFFER_HOURS)).to_rfc3339();
    let Some(kit) = store::bookable_kit(conn, slug).await? else {
        return Ok(Vec::new());
    };
    let waiting = store::waiting(conn, kit.id).await?;
    let (Some(first), Some(last)) = (
        waiting.iter().map(|w| w.pickup).min(),
        waiting.iter().map(|w| w.return_date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let points = store::kit_points(conn, kit.id).await?;
    let mut holds: Vec<Hold> = store::holds(conn, kit.id, first, last + Duration::days(60)).await?;
    let mut offered = Vec::new();
    for w in waiting {
        let Some(point) = points.iter().find(|p| p.id == w.point) else {
            store::set_waiting_status(conn, w.id, "vervallen", None, &now).await?;
            continue;
        };
        let calendar = calendar(
            conn,
            point,
            today.min(w.pickup),
            w.return_date + Duration::days(60),
        )
        .await?;
        let situation = KitSituation {
            today,
            rules: kit.rules,
            calendar: &calendar,
            in_service: kit.in_service,
            owned: kit.owned,
            holds: &holds,
        };
        let request = Request {
            school: w.school,
            pickup: w.pickup,
            return_date: w.return_date,
            quantity: w.quantity,
        };
        let result = offers(&situation, &[Waiting { id: w.id, request }]);
        if result.lapsed.contains(&w.id) {
            store::set_waiting_status(conn, w.id, "vervallen", None, &now).await?;
            continue;
        }
        let Some((_, accepted)) = result.offered.first() else {
            continue;
        };
        let id = store::insert(
            conn,
            &NewRow {
                kit: kit.id,
                point: w.point,
                school: w.school,
                user: w.user,
                quantity: w.quantity,
                pickup: w.pickup,
                return_date: w.return_date,
                held_until: accepted.held_until,
                status: ReservationStatus::Offered,
                note: "",
                idempotency_key: None,
                offer_expires_at: Some(&expires),
                request: None,
            },
            &now,
        )
        .await?;
        store::set_waiting_status(conn, w.id, "aangeboden", Some(id), &now).await?;
        holds.push(Hold {
            id: id.0,
            school: w.school,
            first: w.pickup,
            last: accepted.held_until,
            quantity: w.quantity,
        });
        if let Some(record) = store::record_by_id(conn, id).await? {
            tell(conn, &record, ReservationNews::Offered, public_url, &now).await?;
        }
        offered.push(id);
    }
    Ok(offered)
}
