//! Hand-over at the desk: scanning labels, handing units over for a reservation, taking
//! them back with the contents checked, maintenance tickets, the desk's day, label
//! sheets, and the daily overdue and no-show jobs.
//!
//! Every scan is one `BEGIN IMMEDIATE` transaction; a repeat scan changes nothing and
//! answers what is already so, and the database refuses a unit on two open loans even if
//! two desks scan it at the same instant.

use crate::db::accounts::audit;
use crate::db::handover::{self as store, DeskWrite, UnitRecord};
use crate::db::reservations as reservations_store;
use crate::db::reservations::ReservationRecord;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::handover::{
    check_in, check_out, desk_lists, no_show, CheckInOutcome, CheckOut, CheckOutRefusal, Due,
    Names, PartCount, NO_SHOW_GRACE_DAYS,
};
use crate::domain::labels::{render_sheet_from, Label, LabelLayout};
use crate::domain::mail::ReservationNews;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::tags::TagCode;
use crate::domain::trainings::{gate, Gate};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::Duration;
use leenpunt_shared::handover::*;
use leenpunt_shared::*;

mod request;
pub use request::*;

/// A typed or scanned code: a label code when it reads as one, and the text as typed
/// (an inventory code such as `BB-K-01` is looked up by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedCode {
    label: Result<TagCode, crate::domain::tags::TagError>,
    text: String,
}

impl TypedCode {
    /// The code as typed (trimmed), for messages.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Reads a typed or scanned code (a full `/s/<code>` URL works too). Only an empty code is
/// refused here: whether it names a label or a unit is for [`unit_of`] to find out.
pub fn parse_code(input: &str, lang: Lang) -> Result<TypedCode> {
    let trimmed = input.trim();
    let code = trimmed
        .rsplit_once("/s/")
        .map_or(trimmed, |(_, c)| c)
        .trim_end_matches('/')
        .trim();
    let label = TagCode::parse(code);
    if code.is_empty() || code.chars().count() > 100 {
        let e = label.err().unwrap_or(crate::domain::tags::TagError::Empty);
        return Err(AppError::Validation(vec![FieldError::new(
            "code",
            e.message(lang),
        )]));
    }
    Ok(TypedCode {
        label,
        text: code.to_owned(),
    })
}

/// The unit behind a code (its label first, then its inventory code), and whether the
/// label was replaced. A code that is neither is refused with a clear message; a label
/// code with a typo (its check symbol fails) is answered at the field.
async fn unit_of(
    conn: &mut crate::db::Conn,
    code: &TypedCode,
    lang: Lang,
) -> Result<(UnitRecord, bool)> {
    if let Ok(label) = &code.label {
        if let Some((unit, replaced)) = store::tag(conn, label).await? {
            if let Some(record) = store::unit_by_id(conn, unit).await? {
                return Ok((record, replaced));
            }
        }
    }
    if let Some(record) = store::unit_by_inventory_code(conn, &code.text).await? {
        return Ok((record, false));
    }
    let shown = &code.text;
    let detail = Text::UnknownCodeDetail { shown }.get(lang);
    // Not even shaped like a label code: answered at the field, as any malformed value.
    match code.label {
        Err(e @ crate::domain::tags::TagError::CheckFailed) => {
            Err(AppError::Validation(vec![FieldError::new(
                "code",
                e.message(lang),
            )]))
        }
        Err(_) => Err(AppError::Validation(vec![FieldError::new("code", detail)])),
        Ok(_) => Err(AppError::refused(
            "unknown-code",
            Text::UnknownCode.get(lang),
            detail,
        )),
    }
}

/// How messages name a unit: its inventory code and its kit type's title.
fn unit_name(unit: &UnitInfo) -> String {
    format!("{} ({})", unit.inventory_code, unit.kit_title)
}

/// The answer to a replaced label: which unit it was and its new label.
pub fn replaced_refusal(lang: Lang, unit: &UnitInfo) -> AppError {
    let label = unit
        .label
        .as_deref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    AppError::refused(
        "label-replaced",
        Text::LabelReplaced.get(lang),
        Text::LabelReplacedDetail {
            unit: &unit_name(unit),
            label: &label,
        }
        .get(lang),
    )
}

/// Where `/s/<code>` leads someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanTarget {
    /// Desk staff of the unit's partner: the unit's page with its actions.
    Desk(UnitId),
    /// Everyone else: the public page of the kit (no private data).
    Kit { slug: String, replaced: bool },
}

/// What a scanned label opens for whoever is asking.
pub async fn scan_target(db: &Db, actor: &Actor, code: &str) -> Result<ScanTarget> {
    let code = parse_code(code, Lang::Nl).map_err(|_| AppError::NotFound)?;
    let mut conn = db.read().await?;
    let (unit, replaced) = unit_of(&mut conn, &code, Lang::Nl)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok(
        if allows(actor, Action::HandleReservationsOf(unit.partner)) && !replaced {
            ScanTarget::Desk(unit.info.id)
        } else {
            ScanTarget::Kit {
                slug: unit.info.kit_slug,
                replaced,
            }
        },
    )
}

/// A scanned code, for desk staff of the unit's partner.
pub async fn scan(db: &Db, actor: &Actor, lang: Lang, code: &str) -> Result<ScanResult> {
    let code = parse_code(code, lang)?;
    let mut conn = db.read().await?;
    let (unit, replaced) = unit_of(&mut conn, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    Ok(ScanResult {
        unit: unit.info,
        replaced,
    })
}

/// The trainings a borrower should hold on `day` for a kit type but does not.
async fn missing_trainings(
    conn: &mut crate::db::Conn,
    kit: KitTypeId,
    user: UserId,
    day: chrono::NaiveDate,
) -> Result<Vec<String>> {
    let inputs = crate::db::trainings::gate_for(conn, kit, user, &day.to_string()).await?;
    Ok(match gate(&inputs.required, &inputs.held, &[], day, day) {
        Gate::Missing(m) => m.into_iter().map(|r| r.title).collect(),
        _ => Vec::new(),
    })
}

/// Hands a unit over for a reservation. The borrower's qualifications are checked again
/// (they may have expired or been revoked since booking): missing ones block unless desk
/// staff give a reason to override, which is audited.
pub async fn hand_over(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    reservation: ReservationId,
    body: &HandoverBody,
) -> Result<HandoverOutcome> {
    hand_over_once(db, clock, public_url, actor, lang, reservation, body, None).await
}

/// [`hand_over`] with an `Idempotency-Key`: the first answer that wrote something is kept
/// under the key in the same transaction, and a request with a known key gets that answer
/// again without anything being looked at or written (no second receipt). A refusal
/// writes nothing and keeps nothing, so a retry is judged on the state it then finds.
#[allow(clippy::too_many_arguments)]
pub async fn hand_over_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    reservation: ReservationId,
    body: &HandoverBody,
    idempotency_key: Option<&str>,
) -> Result<HandoverOutcome> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let code = parse_code(&body.code, lang)?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let fingerprint = hash(&format!(
        "{}\n{}\n{}",
        reservation.0,
        code.text(),
        body.override_reason.trim()
    ));
    let mut tx = db.begin().await?;
    let key = idempotency_key.map(|k| (k, DeskWrite::HandOver, fingerprint.as_str()));
    if let Some(first) = first_answer(&mut tx, by, key, lang).await? {
        return Ok(first);
    }
    let (loan, record) = store::loan(&mut tx, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(record.partner)) {
        return Err(hidden(actor));
    }
    let (unit, replaced) = unit_of(&mut tx, &code, lang).await?;
    if replaced {
        return Err(replaced_refusal(lang, &unit.info));
    }
    let outcome = match check_out(&loan, &unit.view, today) {
        Ok(outcome) => outcome,
        Err(r) => return Err(check_out_refused(&mut tx, r, &unit.info, &record, lang).await?),
    };
    let desk = DeskScan {
        by,
        lang,
        today,
        now: &now,
        public_url,
    };
    let answer = bind_unit(&mut tx, &desk, &loan, &record, unit, outcome, body, true).await?;
    if answer.already {
        return Ok(answer);
    }
    keep_answer(&mut tx, by, key, &answer, &now).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Who scans, when, in which language: what binding a unit needs besides the unit.
pub(crate) struct DeskScan<'a> {
    pub by: UserId,
    pub lang: Lang,
    pub today: chrono::NaiveDate,
    pub now: &'a str,
    pub public_url: &'a str,
}

/// Binds a unit to a reservation as `check_out` decided, in the caller's transaction: the
/// qualification re-check (with the desk's override), the loan line, the status, the
/// audit, and (with `receipt`) the borrower's receipt once every unit is out. A repeat
/// scan (`AlreadyHandedOver`) writes nothing and answers `already`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn bind_unit(
    tx: &mut crate::db::Conn,
    desk: &DeskScan<'_>,
    loan: &crate::domain::handover::LoanView,
    record: &ReservationRecord,
    unit: UnitRecord,
    outcome: CheckOut,
    body: &HandoverBody,
    receipt: bool,
) -> Result<HandoverOutcome> {
    let DeskScan {
        by,
        lang,
        today,
        now,
        public_url,
    } = *desk;
    let reservation = loan.id;
    let remaining = match outcome {
        CheckOut::AlreadyHandedOver => {
            let left = loan.quantity.saturating_sub(loan.lines.len() as u32);
            return Ok(HandoverOutcome {
                reservation,
                unit: unit.info.inventory_code,
                kit_title: unit.info.kit_title,
                remaining: left,
                already: true,
            });
        }
        CheckOut::HandedOver { remaining, .. } => remaining,
    };
    let missing = missing_trainings(tx, record.kit, record.user, today).await?;
    let override_reason = body.override_reason.trim();
    if !missing.is_empty() && override_reason.is_empty() {
        let names = missing.join(", ");
        return Err(AppError::refused(
            "qualification-missing",
            Text::QualificationMissing.get(lang),
            Text::QualificationMissingDetail {
                borrower: &record.view.borrower,
                names: &names,
            }
            .get(lang),
        ));
    }
    let override_reason = (!missing.is_empty()).then_some(override_reason);
    store::insert_line(tx, reservation, unit.info.id, by, override_reason, now)
        .await
        .map_err(|e| match AppError::from(e) {
            // Another desk bound it in the same instant: tell the current state.
            AppError::Conflict(_) => {
                let name = unit_name(&unit.info);
                AppError::refused(
                    "unit-on-another-loan",
                    Text::UnitJustHandedOver.get(lang),
                    Text::UnitJustHandedOverDetail { name: &name }.get(lang),
                )
            }
            other => other,
        })?;
    if record.view.status == ReservationStatus::Confirmed {
        reservations_store::set_status(tx, reservation, ReservationStatus::PickedUp, None, now)
            .await?;
    }
    audit(
        tx,
        Some(by),
        "unit.handover",
        &format!("reservation:{}", reservation.0),
        &format!(
            "{}{}",
            unit.info.inventory_code,
            override_reason
                .map(|r| format!(" (zonder kwalificatie: {r})"))
                .unwrap_or_default()
        ),
        now,
    )
    .await?;
    if remaining == 0 && receipt {
        let record = reservations_store::record_by_id(tx, reservation)
            .await?
            .ok_or(AppError::NotFound)?;
        super::reservations::tell(tx, &record, ReservationNews::PickedUp, public_url, now).await?;
    }
    Ok(HandoverOutcome {
        reservation,
        unit: unit.info.inventory_code,
        kit_title: unit.info.kit_title,
        remaining,
        already: false,
    })
}

/// What a key promises: the key, which write, the fingerprint of what was asked.
type Keyed<'a> = Option<(&'a str, DeskWrite, &'a str)>;

/// The SHA-256 of a scan as asked, for its key.
fn hash(asked: &str) -> String {
    crate::service::accounts::token_hash(asked)
}

/// The first answer kept under a key, if the key was used; the same key for a different
/// scan is refused (422), as for bookings.
async fn first_answer<T: serde::de::DeserializeOwned>(
    conn: &mut crate::db::Conn,
    user: UserId,
    key: Keyed<'_>,
    lang: Lang,
) -> Result<Option<T>> {
    let Some((key, write, fingerprint)) = key else {
        return Ok(None);
    };
    let Some((first, answer)) = store::desk_answer(conn, user, key).await? else {
        return Ok(None);
    };
    if first != store::desk_fingerprint(write, fingerprint) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            Text::ThisIdempotencyKeyWasAlreadyUsed.get(lang),
        )]));
    }
    serde_json::from_str(&answer)
        .map(Some)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("kept desk answer: {e}")))
}

/// Keeps an answer under its key (when there is one), in the writing transaction.
async fn keep_answer<T: serde::Serialize>(
    conn: &mut crate::db::Conn,
    user: UserId,
    key: Keyed<'_>,
    answer: &T,
    now: &str,
) -> Result<()> {
    let Some((key, write, fingerprint)) = key else {
        return Ok(());
    };
    let json = serde_json::to_string(answer)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("desk answer: {e}")))?;
    store::keep_desk_answer(conn, user, key, write, fingerprint, &json, now).await?;
    Ok(())
}

/// A refused check-out as desk staff read it: naming the unit, the reserved kit and,
/// when the unit is still out, whom it is out with.
async fn check_out_refused(
    conn: &mut crate::db::Conn,
    refusal: CheckOutRefusal,
    unit: &UnitInfo,
    record: &ReservationRecord,
    lang: Lang,
) -> Result<AppError> {
    let other = match refusal {
        CheckOutRefusal::OnAnotherLoan { reservation, .. } => {
            reservations_store::record_by_id(conn, reservation)
                .await?
                .map(|o| borrower_of(&o.view))
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    let (unit, borrower) = (unit_name(unit), borrower_of(&record.view));
    let names = Names {
        unit: &unit,
        reserved_kit: &record.view.kit_title,
        borrower: &borrower,
        other_borrower: &other,
    };
    let (kind, title, detail) = refusal.texts(lang, &names);
    Ok(AppError::refused(kind, title, detail))
}

/// Whose reservation it is: `borrower, school`.
fn borrower_of(r: &Reservation) -> String {
    format!("{}, {}", r.borrower, r.school)
}

/// Takes a unit back: finds its open loan, checks the contents, notes damage. A shortfall
/// or damage opens a maintenance ticket and puts the unit in maintenance (flagging future
/// reservations that no longer fit).
pub async fn take_back(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
) -> Result<ReturnOutcome> {
    take_back_once(db, clock, public_url, actor, lang, body, None).await
}

/// [`take_back`] with an `Idempotency-Key` (see [`hand_over_once`]): one transaction.
pub async fn take_back_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
    idempotency_key: Option<&str>,
) -> Result<ReturnOutcome> {
    let mut tx = db.begin().await?;
    let outcome = take_back_in(
        &mut tx,
        clock,
        public_url,
        actor,
        lang,
        body,
        idempotency_key,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The return itself, in the caller's write transaction (which the caller commits; a
/// refusal or a repeat writes nothing). With `scope` (a request) only for a unit out on
/// (or just back from) one of that request's lines: any other unit is refused. A
/// request's return runs after the caller took the request's lock, so returns of one
/// request decide one after the other.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn take_back_in(
    tx: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
    idempotency_key: Option<&str>,
    scope: Option<i64>,
) -> Result<ReturnOutcome> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let code = parse_code(&body.code, lang)?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let asked = ReturnBody {
        code: code.text().to_owned(),
        ..body.clone()
    };
    let asked = serde_json::to_string(&asked).unwrap_or_default();
    let fingerprint = hash(&match scope {
        Some(request) => format!("request:{request}\n{asked}"),
        None => asked,
    });
    let key = idempotency_key.map(|k| (k, DeskWrite::Return, fingerprint.as_str()));
    if let Some(first) = first_answer(&mut *tx, by, key, lang).await? {
        return Ok(first);
    }
    let (unit, _) = unit_of(&mut *tx, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(AppError::Forbidden);
    }
    let reservation = match unit.info.open_loan {
        Some(r) => r,
        None => {
            match last_loan(&mut *tx, unit.info.id).await? {
                // A repeat scan of a unit just taken back: nothing to do.
                Some(r) => r,
                None => {
                    return Err(AppError::refused(
                        "unit-not-on-loan",
                        Text::UnitNotOut.get(lang),
                        Text::UnitNotOutNothingBack {
                            name: &unit_name(&unit.info),
                        }
                        .get(lang),
                    ));
                }
            }
        }
    };
    if let Some(request) = scope {
        if store::request_of(&mut *tx, reservation).await? != Some(request) {
            return Err(AppError::refused(
                "unit-not-in-request",
                Text::UnitNotOutOnRequest.get(lang),
                Text::UnitNotOutOnRequestDetail {
                    unit: &unit_name(&unit.info),
                }
                .get(lang),
            ));
        }
    }
    let (loan, record) = store::loan(&mut *tx, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = store::parts(&mut *tx, record.kit).await?;
    let parts: Vec<PartCount> = expected
        .iter()
        .map(|(name, count)| PartCount {
            name: name.clone(),
            expected: *count,
            counted: body
                .parts
                .iter()
                .find(|p| &p.name == name)
                .map_or(i64::from(*count), |p| p.counted),
        })
        .collect();
    let outcome = check_in(&loan, unit.info.id, &parts, &body.damage, today).map_err(|r| {
        let (name, borrower) = (unit_name(&unit.info), borrower_of(&record.view));
        let names = Names {
            unit: &name,
            reserved_kit: &record.view.kit_title,
            borrower: &borrower,
            other_borrower: "",
        };
        let (kind, title, detail) = r.texts(lang, &names);
        AppError::refused(kind, title, detail)
    })?;
    let done = match outcome {
        CheckInOutcome::AlreadyReturned => {
            return Ok(ReturnOutcome {
                reservation,
                unit: unit.info.inventory_code,
                kit_title: unit.info.kit_title,
                shortfall: Vec::new(),
                to_maintenance: false,
                late: false,
                loan_complete: !loan.any_open(),
                already: true,
            })
        }
        CheckInOutcome::Returned(done) => done,
    };
    let counted: Vec<(String, u32, i64)> = parts
        .iter()
        .map(|p| (p.name.clone(), p.expected, p.counted))
        .collect();
    store::return_line(
        &mut *tx,
        &store::Returned {
            reservation,
            unit: unit.info.id,
            by,
            parts: &counted,
            damage: body.damage.trim(),
            late: done.late,
        },
        &now,
    )
    .await?;
    if done.to_maintenance {
        store::open_ticket(
            &mut *tx,
            unit.info.id,
            reservation,
            by,
            &done.shortfall,
            body.damage.trim(),
            &now,
        )
        .await?;
        audit(
            &mut *tx,
            Some(by),
            "unit.maintenance",
            &format!("unit:{}", unit.info.inventory_code),
            &format!("reservation:{}", reservation.0),
            &now,
        )
        .await?;
        super::reservations::recheck_kit(&mut *tx, clock, public_url, &unit.info.kit_slug).await?;
    }
    // The borrower hears at once what came back short (and sees it on the reservation).
    let counted_json = serde_json::to_string(&counted).unwrap_or_else(|_| "[]".into());
    if let Some(note) = crate::domain::handover::return_note(
        unit.info.inventory_code.clone(),
        &counted_json,
        body.damage.clone(),
    ) {
        let mut short = record.clone();
        short.view.return_notes = vec![note];
        super::reservations::tell(
            &mut *tx,
            &short,
            ReservationNews::ReturnedShort,
            public_url,
            &now,
        )
        .await?;
    }
    if done.loan_complete {
        reservations_store::set_status(
            &mut *tx,
            reservation,
            ReservationStatus::Returned,
            None,
            &now,
        )
        .await?;
        super::reservations::tell(
            &mut *tx,
            &record,
            ReservationNews::Returned,
            public_url,
            &now,
        )
        .await?;
    }
    audit(
        &mut *tx,
        Some(by),
        "unit.return",
        &format!("reservation:{}", reservation.0),
        &unit.info.inventory_code,
        &now,
    )
    .await?;
    let answer = ReturnOutcome {
        reservation,
        unit: unit.info.inventory_code,
        kit_title: unit.info.kit_title,
        shortfall: done.shortfall,
        to_maintenance: done.to_maintenance,
        late: done.late,
        loan_complete: done.loan_complete,
        already: false,
    };
    keep_answer(&mut *tx, by, key, &answer, &now).await?;
    Ok(answer)
}

/// The reservation a unit was last handed over for, if it is back.
async fn last_loan(conn: &mut crate::db::Conn, unit: UnitId) -> Result<Option<ReservationId>> {
    Ok(crate::db::handover::last_returned_loan(conn, unit).await?)
}

/// The partners whose desks the asker staffs (`None`: all, for admins).
fn desk_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Ambassador | Role::PartnerAdmin))
        .filter_map(|g| g.partner)
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

/// "Vandaag": what the desk hands over, gets back and waits for.
pub async fn today_screen(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<TodayScreen> {
    let partners = desk_partners(actor)?;
    desk_today(db, partners.as_deref(), today(clock)).await
}

/// The desk's day for some partner services (`None`: all): the lists of "Vandaag" and of
/// the morning digest.
pub(crate) async fn desk_today(
    db: &Db,
    partners: Option<&[PartnerId]>,
    today: chrono::NaiveDate,
) -> Result<TodayScreen> {
    let records = db.desk_day(partners, today).await?;
    let (mut pickups, mut returns, mut overdue) = (Vec::new(), Vec::new(), Vec::new());
    for (r, handed_over) in records {
        let (pickup, due) = desk_lists(
            r.view.status,
            handed_over,
            r.view.quantity,
            day_of(&r.view.return_date).unwrap_or(today),
            today,
        );
        match due {
            Some(Due::Overdue) => overdue.push(r.view.clone()),
            Some(Due::Today) => returns.push(r.view.clone()),
            None => {}
        }
        if pickup {
            pickups.push(DeskPickup {
                reservation: r.view,
                handed_over,
            });
        }
    }
    let listed: Vec<ReservationId> = pickups
        .iter()
        .map(|p| p.reservation.id)
        .chain(returns.iter().chain(&overdue).map(|r| r.id))
        .collect();
    Ok(TodayScreen {
        day: today.to_string(),
        requests: request_refs(db, &listed).await?,
        pickups,
        returns,
        overdue,
    })
}

fn day_of(date: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// The hand-over screen of a reservation.
pub async fn handover_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    id: ReservationId,
) -> Result<HandoverScreen> {
    let mut conn = db.read().await?;
    let (loan, record) = store::loan(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(record.partner)) {
        return Err(hidden(actor));
    }
    let today = today(clock);
    Ok(HandoverScreen {
        parts: store::parts(&mut conn, record.kit).await?,
        lines: store::lines_of_reservation(&mut conn, id).await?,
        remaining: loan.quantity.saturating_sub(loan.lines.len() as u32),
        missing_trainings: missing_trainings(&mut conn, record.kit, record.user, today).await?,
        reservation: record.view,
    })
}

/// A unit's return screen: its open loan and the contents list.
pub async fn return_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    code: &str,
) -> Result<ReturnScreen> {
    let code = parse_code(code, lang)?;
    let mut conn = db.read().await?;
    let (unit, _) = unit_of(&mut conn, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(AppError::Forbidden);
    }
    let Some(reservation) = unit.info.open_loan else {
        return Err(AppError::refused(
            "unit-not-on-loan",
            Text::UnitNotOut.get(lang),
            Text::UnitNotOutDetail {
                name: &unit_name(&unit.info),
            }
            .get(lang),
        ));
    };
    let (_, record) = store::loan(&mut conn, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ReturnScreen {
        late: record.view.return_date < today(clock).to_string(),
        parts: store::parts(&mut conn, record.kit).await?,
        reservation: record.view,
        unit: unit.info,
    })
}

/// A unit's page for desk staff: its state, history and today's pickups of its kit.
pub async fn unit_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    id: UnitId,
) -> Result<UnitScreen> {
    let mut conn = db.read().await?;
    let unit = store::unit_by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    let tickets = store::open_tickets(&mut conn, id).await?;
    drop(conn);
    let today = today(clock);
    let pickups = db
        .desk_day(Some(&[unit.partner]), today)
        .await?
        .into_iter()
        .filter(|(r, handed)| {
            r.kit == unit.view.kit_type
                && desk_lists(
                    r.view.status,
                    *handed,
                    r.view.quantity,
                    day_of(&r.view.return_date).unwrap_or(today),
                    today,
                )
                .0
        })
        .map(|(r, handed_over)| DeskPickup {
            reservation: r.view,
            handed_over,
        })
        .collect();
    Ok(UnitScreen {
        history: db.unit_history(id).await?,
        pickups,
        tickets,
        unit: unit.info,
    })
}

/// The units the asker may print labels for (their partners' kit types).
pub async fn labels_screen(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<LabelsScreen> {
    let partners = label_partners(actor)?;
    db.ensure_tags(&clock.now().to_rfc3339()).await?;
    let units = db.units_for_labels(partners.as_deref(), None).await?;
    let mut kits: Vec<(String, String, Vec<UnitInfo>)> = Vec::new();
    for u in units {
        match kits.last_mut() {
            Some(k) if k.0 == u.info.kit_slug => k.2.push(u.info),
            _ => kits.push((
                u.info.kit_slug.clone(),
                u.info.kit_title.clone(),
                vec![u.info],
            )),
        }
    }
    let unprinted = db.unprinted_labels(partners.as_deref()).await?;
    Ok(LabelsScreen { kits, unprinted })
}

/// The partners whose catalogue the asker manages (`None`: all, for admins).
pub(crate) fn label_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::PartnerAdmin)
        .filter_map(|g| g.partner)
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

/// Which labels to print, and how.
#[derive(Debug, Clone, Copy)]
pub struct SheetRequest<'a> {
    /// Chosen units; empty: every unit (of `kit` when given) the asker manages.
    pub units: &'a [UnitId],
    pub kit: Option<&'a str>,
    pub layout: LabelLayout,
    /// The position (1-based) on the first sheet to start at.
    pub first: usize,
}

/// A printable sheet of labels for units (all of a kit type, or chosen ones) the asker
/// manages.
pub async fn label_sheet(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    sheet: &SheetRequest<'_>,
    base_url: &str,
    nonce: Option<&str>,
) -> Result<String> {
    let SheetRequest {
        units,
        kit,
        layout,
        first,
    } = *sheet;
    let partners = label_partners(actor)?;
    let records = if units.is_empty() {
        db.units_for_labels(partners.as_deref(), kit).await?
    } else {
        db.units_by_ids(units).await?
    };
    let mut labels = Vec::new();
    for u in records {
        if partners.as_ref().is_some_and(|p| !p.contains(&u.partner)) {
            return Err(AppError::Forbidden);
        }
        let Some(code) = u.info.label.as_deref().and_then(|l| TagCode::parse(l).ok()) else {
            continue;
        };
        labels.push(Label {
            code,
            kit_title: u.info.kit_title,
            owner: u.info.partner,
            unit_label: u.info.inventory_code,
        });
    }
    let title = Text::LabelsLeenpunt.get(lang);
    let codes: Vec<String> = labels.iter().map(|l| l.code.as_str().to_owned()).collect();
    db.mark_labels_printed(&codes, &clock.now().to_rfc3339())
        .await?;
    Ok(render_sheet_from(
        layout, first, &labels, base_url, lang, &title, nonce,
    ))
}

/// Gives a unit a new label; the old code then says "this label was replaced".
pub async fn retag(db: &Db, clock: &dyn Clock, actor: &Actor, unit: UnitId) -> Result<String> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let record = store::unit_by_id(&mut tx, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(record.partner)) {
        return Err(AppError::Forbidden);
    }
    store::retire_tag(&mut tx, unit, &now).await?;
    let code = store::insert_tag(&mut tx, unit, &now).await?;
    audit(
        &mut tx,
        Some(by),
        "unit.retag",
        &format!("unit:{}", record.info.inventory_code),
        code.as_str(),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(code.to_string())
}

/// The daily job: loans past their return day are marked overdue and their borrowers
/// mailed (once), and reservations that the overdue units leave short are flagged and
/// their borrowers warned; confirmed reservations not picked up within the grace days
/// become no-shows and their units go to the waiting list. Returns (overdue, no-shows).
pub async fn daily(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<(usize, usize)> {
    let today = today(clock);
    forget_desk_keys(db, clock).await?;
    let no_show_before = today - Duration::days(NO_SHOW_GRACE_DAYS);
    // The candidates are read on a read connection (most minutes there are none, and the
    // job then takes no write lock), and each is handled in a short transaction of its own
    // that checks it again under the reservation's lock. One transaction for the whole pass
    // held the kit types' locks for as long as the pass took: a second instance starting
    // on a database with thousands of unmarked no-shows stalled every booking for seconds
    // (the engines bench).
    let (overdue, candidates) = {
        let mut conn = db.read().await?;
        (
            store::newly_overdue(&mut conn, today).await?,
            store::no_show_candidates(&mut conn, no_show_before).await?,
        )
    };
    let mut marked = 0;
    for id in overdue {
        if mark_overdue(db, clock, public_url, id, today).await? {
            marked += 1;
        }
    }
    let mut no_shows = 0;
    for id in candidates {
        if mark_no_show(db, clock, public_url, id, no_show_before, today).await? {
            no_shows += 1;
        }
    }
    Ok((marked, no_shows))
}

/// Marks loan `id` overdue, mails its borrower and warns the next borrowers of the kit
/// type, in one transaction; `false` when it is no longer newly overdue.
async fn mark_overdue(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    id: ReservationId,
    today: chrono::NaiveDate,
) -> Result<bool> {
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    if !store::lock_if_newly_overdue(&mut tx, id, today).await? {
        return Ok(false);
    }
    store::mark_overdue(&mut tx, id, &now).await?;
    if let Some(record) = reservations_store::record_by_id(&mut tx, id).await? {
        super::reservations::tell(&mut tx, &record, ReservationNews::Overdue, public_url, &now)
            .await?;
        super::reservations::recheck_kit(&mut tx, clock, public_url, &record.view.kit_slug).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Marks reservation `id` a no-show, mails its borrower and offers the freed units to the
/// waiting list, in one transaction; `false` when it is no longer a candidate.
async fn mark_no_show(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    id: ReservationId,
    before: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<bool> {
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    if !store::lock_if_no_show_candidate(&mut tx, id, before).await? {
        return Ok(false);
    }
    let Some(record) = reservations_store::record_by_id(&mut tx, id).await? else {
        return Ok(false);
    };
    let pickup =
        chrono::NaiveDate::parse_from_str(&record.view.pickup_date, "%Y-%m-%d").unwrap_or(today);
    if !no_show(record.view.status, pickup, today, true) {
        return Ok(false);
    }
    reservations_store::set_status(&mut tx, id, ReservationStatus::NoShow, None, &now).await?;
    audit(
        &mut tx,
        None,
        "reservation.no-show",
        &format!("reservation:{}", id.0),
        &record.view.kit_slug,
        &now,
    )
    .await?;
    super::reservations::tell(&mut tx, &record, ReservationNews::NoShow, public_url, &now).await?;
    super::reservations::offer_freed(&mut tx, clock, public_url, &record.view.kit_slug).await?;
    tx.commit().await?;
    Ok(true)
}

/// Desk idempotency keys are kept a week: long enough for a queue that waited over a
/// weekend to replay. Looked for on a read connection first, as the rest of the job.
async fn forget_desk_keys(db: &Db, clock: &dyn Clock) -> Result<()> {
    let before = (clock.now() - Duration::days(DESK_KEY_DAYS)).to_rfc3339();
    if !store::has_desk_answers_before(&mut *db.read().await?, &before).await? {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    store::forget_desk_answers(&mut tx, &before).await?;
    tx.commit().await?;
    Ok(())
}

/// How many days a desk scan's idempotency key is kept.
pub const DESK_KEY_DAYS: i64 = 7;

/// Puts a repaired or completed unit back in service and closes its maintenance tickets;
/// its units go to the waiting list (as any unit coming back into service).
pub async fn back_in_service(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    unit: UnitId,
) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let inventory = {
        let mut conn = db.read().await?;
        store::unit_by_id(&mut conn, unit)
            .await?
            .ok_or(AppError::NotFound)?
            .info
            .inventory_code
    };
    super::reservations::set_unit_status(
        db,
        clock,
        public_url,
        actor,
        lang,
        &inventory,
        UnitStatus::InService,
    )
    .await?;
    let mut tx = db.begin().await?;
    store::close_tickets(&mut tx, unit, by, &clock.now().to_rfc3339()).await?;
    tx.commit().await?;
    Ok(())
}

/// What someone who may not handle a reservation learns about it: to sign in first, or
/// (signed in) that there is no such reservation, the same answer as for a missing id.
fn hidden(actor: &Actor) -> AppError {
    if actor.user.is_none() {
        AppError::Unauthorized
    } else {
        AppError::NotFound
    }
}
