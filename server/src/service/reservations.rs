//! Reservations: availability, booking, the life cycle and the at-risk check.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction: load the kit type's situation, let
//! the pure domain decide, store the result, audit it and queue the mail. Two people
//! clicking at once are serialised by the database, so neither can overbook.

use crate::db::mail::enqueue;
use crate::db::reservations::{self as store, NewRow, ReservationFilter, ReservationRecord};
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::mail::{reservation_news, ReservationNews};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::reservations::{
    decide, decide_extension, decide_with_alternatives, earliest_pickup, free_per_day_of,
    latest_pickup, transition, Event, KitSituation, OpenCalendar, Refusal, Request,
    TransitionError,
};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Datelike, Duration, NaiveDate};
use leenpunt_shared::*;

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn bad_date(field: &str, lang: Lang) -> FieldError {
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

fn transition_error(e: TransitionError, lang: Lang) -> AppError {
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

/// The calendar of a pickup point over a range, with the closures loaded.
async fn calendar(
    conn: &mut crate::db::Conn,
    point: &store::BookablePoint,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<OpenCalendar> {
    let closed = store::closed_periods(conn, point.id, from, to).await?;
    Ok(OpenCalendar::new(point.weekdays, &closed))
}

/// Parses `YYYY-MM` into the month's first day.
fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

fn month_code(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn add_months(first: NaiveDate, n: i32) -> NaiveDate {
    let total = first.year() * 12 + first.month0() as i32 + n;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(first)
}

/// Availability of a kit type at a pickup point, month by month (1 to 12 months).
pub async fn availability(
    db: &Db,
    clock: &dyn Clock,
    lang: Lang,
    slug: &str,
    point: Option<&str>,
    month: Option<&str>,
    months: u32,
) -> Result<Vec<MonthAvailability>> {
    let today = today(clock);
    let mut conn = db.read().await?;
    let kit = store::bookable_kit(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let points = store::kit_points(&mut conn, kit.id).await?;
    let point = match point.filter(|p| !p.is_empty()) {
        Some(slug) => points.iter().find(|p| p.slug == slug),
        None => points.first(),
    }
    .ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "pickup",
            Text::ThisMaterialIsNotPickedUp.get(lang),
        )])
    })?;
    let first = match month.filter(|m| !m.is_empty()) {
        Some(m) => parse_month(m).ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "month",
                Text::ChooseAMonthAsYyyyMm.get(lang),
            )])
        })?,
        None => today.with_day(1).unwrap_or(today),
    };
    let asked = month.is_some_and(|m| !m.is_empty());
    let (months_out, earliest) = months_from(&mut conn, &kit, point, first, today, months).await?;
    // Unless a month was asked for, open on the first month with a day that can be
    // booked (lead times can push it past the end of this month).
    let first_bookable = earliest.with_day(1).unwrap_or(earliest);
    if !asked && first_bookable > first && !months_out[0].days.iter().any(|d| d.bookable) {
        return Ok(
            months_from(&mut conn, &kit, point, first_bookable, today, months)
                .await?
                .0,
        );
    }
    Ok(months_out)
}

/// Why an open day cannot be a pickup day, if it cannot.
fn day_limit(
    d: NaiveDate,
    today: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Option<DayLimit> {
    if d < today {
        Some(DayLimit::Past)
    } else if d < earliest {
        Some(DayLimit::TooSoon)
    } else if d > latest {
        Some(DayLimit::NotYet)
    } else {
        None
    }
}

/// `months` months of availability from the month starting on `first`.
async fn months_from(
    conn: &mut crate::db::Conn,
    kit: &store::BookableKit,
    point: &store::BookablePoint,
    first: NaiveDate,
    today: NaiveDate,
    months: u32,
) -> Result<(Vec<MonthAvailability>, NaiveDate)> {
    let months = months.clamp(1, 12) as i32;
    let last = add_months(first, months) - Duration::days(1);
    let calendar = calendar(conn, point, first.min(today), last).await?;
    let held = store::held_spans(conn, kit.id, first, last).await?;
    // The pickup window depends on the calendar and the rules, not on the holds.
    let situation = KitSituation {
        today,
        rules: kit.rules,
        calendar: &calendar,
        in_service: kit.in_service,
        owned: kit.owned,
        holds: &[],
    };
    let earliest = earliest_pickup(&situation);
    let latest = latest_pickup(&situation);
    let free = free_per_day_of(kit.in_service, held, first, last);
    let mut out = Vec::new();
    for i in 0..months {
        let start = add_months(first, i);
        let end = add_months(first, i + 1) - Duration::days(1);
        let offset = (start - first).num_days() as usize;
        let days = (0..=(end - start).num_days())
            .map(|n| {
                let d = start + Duration::days(n);
                let open = calendar.is_open(d);
                DayAvailability {
                    date: d.to_string(),
                    day: d.day() as u8,
                    free: free[offset + n as usize],
                    open,
                    closed_reason: calendar.closed_reason(d).map(str::to_owned),
                    bookable: open && d >= earliest && d <= latest && kit.kind.is_reservable(),
                    limit: day_limit(d, today, earliest, latest)
                        .filter(|_| open && kit.kind.is_reservable()),
                }
            })
            .collect();
        out.push(MonthAvailability {
            month: month_code(start),
            prev_month: month_code(add_months(start, -1)),
            next_month: month_code(add_months(start, 1)),
            first_weekday: start.weekday().num_days_from_monday() as u8,
            units_in_service: kit.in_service,
            pickup_point: point.id,
            days,
        });
    }
    Ok((out, earliest))
}

/// The school a teacher books for: the one named, or their only school.
async fn booking_school(
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
    // The training gate first: without it, dates do not matter yet.
    let conditions =
        super::trainings::check_gate(&mut tx, lang, &gate, today, pickup, &now).await?;
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
    let accepted = match decide(&situation, &request) {
        Ok(accepted) => accepted,
        Err(Refusal::NotEnoughUnits { .. }) => {
            let from = today.min(pickup - Duration::days(61));
            let to = pickup.max(return_date) + Duration::days(200);
            let wide_calendar = calendar(&mut tx, &point, from, to).await?;
            let wide_holds = store::holds(&mut tx, kit.id, from, to).await?;
            let wide = KitSituation {
                calendar: &wide_calendar,
                holds: &wide_holds,
                ..situation
            };
            let refusal = decide_with_alternatives(&wide, &request).err().unwrap_or(
                Refusal::NotEnoughUnits {
                    day: pickup,
                    free: 0,
                    alternatives: Vec::new(),
                },
            );
            return Err(refusal_error(refusal, lang, body.quantity));
        }
        Err(refusal) => return Err(refusal_error(refusal, lang, body.quantity)),
    };
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

/// Checks a booking form's fields and who books for which school.
async fn prepare(
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
struct Bookable {
    kit: store::BookableKit,
    point: store::BookablePoint,
    names: store::BookingNames,
    calendar: OpenCalendar,
    holds: Vec<crate::domain::reservations::Hold>,
    gate: crate::db::trainings::GateInputs,
}

/// The kit type and pickup point a form names, if they can be booked, with the names a
/// new reservation shows and the borrower's standing against the required trainings.
async fn bookable(
    conn: &mut crate::db::Conn,
    lang: Lang,
    body: &NewReservation,
    (school, user): (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holding: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> Result<Bookable> {
    let store::BookingContext {
        kit,
        point,
        names,
        closed,
        holds,
        gate,
    } = store::booking_context(
        conn,
        &body.kit,
        &body.pickup_point,
        (school, user),
        closures,
        holding,
        seats_from,
    )
    .await?
    .ok_or(AppError::NotFound)?;
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

/// Whether someone may see a reservation at all.
/// Borrowers see their school's reservations while they teach there (a teacher who left
/// the school no longer sees, changes or cancels even their own); desk staff their
/// partner's.
fn can_see(actor: &Actor, r: &ReservationRecord) -> bool {
    allows(actor, Action::ViewSchool(r.school))
        || allows(actor, Action::HandleReservationsOf(r.partner))
}

/// One reservation, for someone who may see it (404 otherwise: no hint it exists).
pub async fn get(db: &Db, actor: &Actor, id: ReservationId) -> Result<Reservation> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let r = db.reservation(id).await?.ok_or(AppError::NotFound)?;
    if !can_see(actor, &r) {
        return Err(AppError::NotFound);
    }
    Ok(r.view)
}

/// A change to an existing reservation.
#[derive(Debug, Clone)]
pub enum Change {
    Cancel {
        reason: String,
    },
    Approve,
    Reject {
        reason: String,
    },
    Extend {
        return_date: String,
    },
    /// The borrower takes an offer from the waiting list.
    Accept,
}

impl Change {
    /// What the audit log keeps besides the action: the reason or the new return date.
    fn audit_detail(&self) -> String {
        match self {
            Change::Cancel { reason } | Change::Reject { reason } => reason.clone(),
            Change::Extend { return_date } => return_date.clone(),
            Change::Approve | Change::Accept => String::new(),
        }
    }
}

fn reason_required(lang: Lang) -> AppError {
    AppError::Validation(vec![FieldError::new(
        "reason",
        Text::GiveAReasonTheTeacherWill.get(lang),
    )])
}

/// Applies a change, checked by the policy and the life cycle, in one transaction.
pub async fn change(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: ReservationId,
    change: Change,
) -> Result<Reservation> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let today = today(clock);
    let mut tx = db.begin().await?;
    let record = store::record_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_see(actor, &record) {
        return Err(AppError::NotFound);
    }
    let borrower_side = allows(actor, Action::ReserveFor(record.school));
    let desk = allows(actor, Action::HandleReservationsOf(record.partner));
    let pickup = parse_day(&record.view.pickup_date).unwrap_or(today);
    let status = record.view.status;
    let (news, action) = match &change {
        Change::Cancel { reason } => {
            let event = if borrower_side {
                Event::CancelByBorrower
            } else if desk {
                if reason.trim().is_empty() {
                    return Err(reason_required(lang));
                }
                Event::CancelByStaff
            } else {
                return Err(AppError::Forbidden);
            };
            // Staff may cancel even on the day itself, borrowers until the day before.
            let next = match transition(status, event, today, pickup) {
                Err(TransitionError::TooLateToCancel) if desk && !reason.trim().is_empty() => {
                    transition(status, Event::CancelByStaff, today, pickup)
                }
                other => other,
            }
            .map_err(|e| transition_error(e, lang))?;
            let reason = (!reason.trim().is_empty()).then(|| reason.trim());
            store::set_status(&mut tx, id, next, reason, &now).await?;
            if status == ReservationStatus::Offered {
                store::set_waiting_status_of_offer(&mut tx, id, "ingetrokken", &now).await?;
            }
            (ReservationNews::Cancelled, "reservation.cancel")
        }
        Change::Accept => {
            if !borrower_side {
                return Err(AppError::Forbidden);
            }
            let lapsed = record
                .view
                .offer_expires_at
                .as_deref()
                .is_some_and(|until| until <= now.as_str());
            if lapsed {
                return Err(AppError::refused(
                    "offer-lapsed",
                    Text::OfferLapsed.get(lang),
                    Text::OfferLapsedDetail.get(lang),
                ));
            }
            let kit = store::bookable_kit(&mut tx, &record.view.kit_slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let event = Event::Accept {
                needs_approval: kit.rules.needs_approval,
            };
            let next =
                transition(status, event, today, pickup).map_err(|e| transition_error(e, lang))?;
            store::set_status(&mut tx, id, next, None, &now).await?;
            let news = if next == ReservationStatus::Requested {
                ReservationNews::Requested
            } else {
                ReservationNews::Confirmed
            };
            (news, "reservation.accept")
        }
        Change::Approve | Change::Reject { .. } => {
            if !desk {
                return Err(AppError::Forbidden);
            }
            let (event, reason, news, action) = match &change {
                Change::Reject { reason } => {
                    if reason.trim().is_empty() {
                        return Err(reason_required(lang));
                    }
                    (
                        Event::Reject,
                        Some(reason.trim()),
                        ReservationNews::Rejected,
                        "reservation.reject",
                    )
                }
                _ => (
                    Event::Approve,
                    None,
                    ReservationNews::Approved,
                    "reservation.approve",
                ),
            };
            let next =
                transition(status, event, today, pickup).map_err(|e| transition_error(e, lang))?;
            store::set_status(&mut tx, id, next, reason, &now).await?;
            (news, action)
        }
        Change::Extend { return_date } => {
            if !borrower_side && !desk {
                return Err(AppError::Forbidden);
            }
            if !status.holds_units() {
                return Err(transition_error(TransitionError::NotNow(status), lang));
            }
            let new_return = parse_day(return_date)
                .ok_or_else(|| AppError::Validation(vec![bad_date("return_date", lang)]))?;
            let kit = store::bookable_kit(&mut tx, &record.view.kit_slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let points = store::kit_points(&mut tx, kit.id).await?;
            let point = points
                .iter()
                .find(|p| p.id == record.point)
                .ok_or(AppError::NotFound)?;
            let to = new_return + Duration::days(200);
            let calendar = calendar(&mut tx, point, today.min(pickup), to).await?;
            let holds = store::holds(&mut tx, kit.id, pickup, to).await?;
            let hold = holds
                .iter()
                .find(|h| h.id == id.0)
                .copied()
                .ok_or(AppError::NotFound)?;
            let situation = KitSituation {
                today,
                rules: kit.rules,
                calendar: &calendar,
                in_service: kit.in_service,
                owned: kit.owned,
                holds: &holds,
            };
            let held_until = decide_extension(&situation, &hold, pickup, new_return)
                .map_err(|r| refusal_error(r, lang, hold.quantity))?;
            store::set_return(&mut tx, id, new_return, held_until, &now).await?;
            (ReservationNews::Extended, "reservation.extend")
        }
    };
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        action,
        &format!("reservation:{id}"),
        &change.audit_detail(),
        &now,
    )
    .await?;
    let updated = store::record_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tell(&mut tx, &updated, news, public_url, &now).await?;
    // Units that came free go to the waiting list, in the same transaction.
    if status.holds_units() && !updated.view.status.holds_units() {
        offer_freed(&mut tx, clock, public_url, &updated.view.kit_slug).await?;
    }
    tx.commit().await?;
    Ok(updated.view)
}

/// Which list to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The signed-in teacher's own reservations.
    Mine,
    /// Everything of the partners whose desk the person runs (all for admins).
    Desk,
}

/// Lists reservations for someone, narrowed to what they may see.
pub async fn list(
    db: &Db,
    actor: &Actor,
    scope: Scope,
    mut filter: ReservationFilter,
) -> Result<Vec<Reservation>> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    match scope {
        Scope::Mine => {
            // Only bookings of schools one still teaches at.
            filter.user = Some(user);
            filter.schools = Some(
                actor
                    .grants
                    .iter()
                    .filter(|g| g.role == Role::Teacher)
                    .filter_map(|g| g.school)
                    .collect(),
            );
        }
        Scope::Desk => {
            if !actor.is_admin() {
                let partners: Vec<PartnerId> = actor
                    .grants
                    .iter()
                    .filter(|g| matches!(g.role, Role::Ambassador | Role::PartnerAdmin))
                    .filter_map(|g| g.partner)
                    .collect();
                if partners.is_empty() {
                    return Err(AppError::Forbidden);
                }
                filter.partners = Some(partners);
            }
        }
    }
    if filter.limit == 0 {
        filter.limit = 200;
    }
    Ok(db
        .reservations(&filter)
        .await?
        .into_iter()
        .map(|r| r.view)
        .collect())
}

/// Re-checks a kit type's future reservations after its units changed: the ones that no
/// longer fit are flagged (and their borrowers told), the ones that fit again unflagged.
pub async fn recheck_kit(
    conn: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    slug: &str,
) -> Result<Vec<ReservationId>> {
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let Some(kit) = store::bookable_kit(conn, slug).await? else {
        return Ok(Vec::new());
    };
    let mut holds = store::holds(conn, kit.id, today, today + Duration::days(3 * 366)).await?;
    // Units still out past their return day are not there for the next loans either
    // (counted once: as missing units, not also as their loan's hold).
    let (overdue, late_loans) = crate::db::handover::overdue_units(conn, kit.id, today).await?;
    holds.retain(|h| !late_loans.contains(&h.id));
    let available = kit.in_service.saturating_sub(overdue);
    let risky = crate::domain::reservations::at_risk(&holds, available, today);
    let newly = store::flag_at_risk(conn, kit.id, &risky, &now).await?;
    for id in &newly {
        if let Some(record) = store::record_by_id(conn, *id).await? {
            tell(conn, &record, ReservationNews::AtRisk, public_url, &now).await?;
        }
    }
    Ok(newly)
}

/// Closes every pickup point on the Belgian public holidays of `years`, and loads the demo
/// closed days (school holidays) through the same import an admin uses each year.
pub async fn seed_closed_days(db: &Db, years: std::ops::RangeInclusive<i32>) -> Result<()> {
    use crate::domain::reservations::{public_holidays, ClosedPeriod};
    for year in years {
        for (date, name) in public_holidays(year) {
            let period = ClosedPeriod {
                first: date,
                last: date,
                reason: name.to_owned(),
            };
            db.add_closed_period(None, &period).await?;
        }
    }
    crate::service::import::import_closed_days(db, crate::service::import::DEMO_CLOSED_DAYS)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo closed days: {e}")))?;
    Ok(())
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

/// Lets offers that were not accepted in time lapse, and offers their units to the next
/// people waiting. Run periodically by the scheduler.
pub async fn lapse_offers(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    let now = clock.now().to_rfc3339();
    let today = today(clock);
    // Nothing lapsed (most minutes): no write lock taken.
    if store::lapsed_offers(&mut *db.read().await?, &now)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let lapsed = store::lapsed_offers(&mut tx, &now).await?;
    let mut kits = std::collections::BTreeSet::new();
    for id in &lapsed {
        let Some(record) = store::record_by_id(&mut tx, *id).await? else {
            continue;
        };
        let pickup = parse_day(&record.view.pickup_date).unwrap_or(today);
        let next = transition(record.view.status, Event::Lapse, today, pickup)
            .map_err(|e| transition_error(e, Lang::Nl))?;
        store::set_status(
            &mut tx,
            *id,
            next,
            Some("Aanbod verlopen: niet binnen 48 uur aanvaard"),
            &now,
        )
        .await?;
        store::set_waiting_status_of_offer(&mut tx, *id, "vervallen", &now).await?;
        crate::db::accounts::audit(
            &mut tx,
            None,
            "waitlist.lapse",
            &format!("reservation:{id}"),
            "",
            &now,
        )
        .await?;
        kits.insert(record.view.kit_slug.clone());
    }
    for slug in kits {
        offer_freed(&mut tx, clock, public_url, &slug).await?;
    }
    tx.commit().await?;
    Ok(lapsed.len())
}

/// Puts a teacher on the waiting list for dates that do not fit now.
pub async fn join_waitlist(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &NewReservation,
) -> Result<WaitlistEntry> {
    let (user, school, pickup, return_date) = prepare(db, actor, lang, body).await?;
    let now = clock.now().to_rfc3339();
    let today = today(clock);
    let mut tx = db.begin().await?;
    let end = pickup.max(return_date) + Duration::days(60);
    let Bookable {
        kit,
        point,
        calendar,
        holds,
        gate,
        ..
    } = bookable(
        &mut tx,
        lang,
        body,
        (school, user),
        (today.min(pickup), end),
        (pickup, end),
        today,
    )
    .await?;
    super::trainings::check_gate(&mut tx, lang, &gate, today, pickup, &now).await?;
    let situation = KitSituation {
        today,
        rules: kit.rules,
        calendar: &calendar,
        in_service: kit.in_service,
        owned: kit.owned,
        holds: &holds,
    };
    let request = Request {
        school,
        pickup,
        return_date,
        quantity: body.quantity,
    };
    match decide(&situation, &request) {
        Ok(_) => {
            return Err(AppError::refused(
                "fits-now",
                Text::FitsNow.get(lang),
                Text::FitsNowDetail.get(lang),
            ))
        }
        Err(Refusal::NotEnoughUnits { .. }) => {}
        Err(other) => return Err(refusal_error(other, lang, body.quantity)),
    }
    let row = store::WaitingRow {
        id: 0,
        point: point.id,
        school,
        user,
        quantity: body.quantity,
        pickup,
        return_date,
    };
    let id = match store::insert_waiting(&mut tx, &row, kit.id, &now).await {
        Ok(id) => id,
        Err(crate::db::DbError::Conflict(_)) => {
            return Err(AppError::refused(
                "already-waiting",
                Text::AlreadyWaiting.get(lang),
                Text::AlreadyWaitingDetail.get(lang),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "waitlist.join",
        &format!("waitlist:{id}"),
        &format!("{} × {} {pickup}..{return_date}", body.quantity, body.kit),
        &now,
    )
    .await?;
    let (entry, _) = store::waiting_entry(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(entry)
}

/// Takes someone off a waiting list (only their own entries, only while waiting).
pub async fn leave_waitlist(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    id: i64,
) -> Result<WaitlistEntry> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let (entry, owner) = store::waiting_entry(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if owner != user {
        return Err(AppError::NotFound);
    }
    if entry.status != "wachtend" {
        return Err(transition_error(
            TransitionError::NotNow(ReservationStatus::Offered),
            lang,
        ));
    }
    store::set_waiting_status(&mut tx, id, "ingetrokken", None, &now).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "waitlist.leave",
        &format!("waitlist:{id}"),
        "",
        &now,
    )
    .await?;
    let (entry, _) = store::waiting_entry(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(entry)
}

/// A person's open waiting-list entries.
pub async fn my_waitlist(db: &Db, actor: &Actor) -> Result<Vec<WaitlistEntry>> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    Ok(db.waitlist_of(user).await?)
}

/// What changing a unit's status did to the reservations of its kit type.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct UnitStatusOutcome {
    /// Reservations newly flagged at risk (their borrowers are mailed).
    pub flagged: Vec<ReservationId>,
    /// Offers made to the waiting list with units that came back.
    pub offered: Vec<ReservationId>,
}

/// Moves a unit into maintenance, back into service, or out (retired); future
/// reservations that no longer fit are flagged to staff and borrowers, and units that come
/// back go to the waiting list. One transaction.
pub async fn set_unit_status(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    code: &str,
    status: UnitStatus,
) -> Result<UnitStatusOutcome> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let code = InventoryCode::parse(code).map_err(|_| AppError::NotFound)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let unit = crate::db::catalogue::unit_by_code(&mut tx, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(unit.partner))
        && !allows(actor, Action::HandleReservationsOf(unit.partner))
    {
        return Err(AppError::Forbidden);
    }
    if unit.status == UnitStatus::Retired && status != UnitStatus::Retired {
        return Err(AppError::refused(
            "unit-retired",
            Text::UnitRetired.get(lang),
            Text::RetiredStaysRetired.get(lang),
        ));
    }
    crate::db::catalogue::set_unit_status(&mut tx, code.as_str(), status).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "unit.status",
        &format!("unit:{}", code.as_str()),
        &format!("{} -> {}", unit.status.code(), status.code()),
        &now,
    )
    .await?;
    let flagged = recheck_kit(&mut tx, clock, public_url, &unit.kit_slug).await?;
    let offered = if status == UnitStatus::InService && unit.status != UnitStatus::InService {
        offer_freed(&mut tx, clock, public_url, &unit.kit_slug).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(UnitStatusOutcome { flagged, offered })
}
