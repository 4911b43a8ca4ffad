//! A reservation after it is made: reading one, listing them (mine, the desk's), and the
//! life-cycle changes (cancel, approve, reject, extend, accept an offer).

use super::availability::calendar;
use super::booking::bad_date;
use super::booking::offer_freed;
use super::booking::parse_day;
use super::booking::refusal_error;
use super::booking::tell;
use super::booking::transition_error;
use crate::db::reservations::{self as store, ReservationFilter, ReservationRecord};
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::mail::ReservationNews;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::reservations::{
    decide_extension, transition, Event, KitSituation, TransitionError,
};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::Duration;
use leenpunt_shared::*;

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
