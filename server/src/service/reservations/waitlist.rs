//! The waiting list: joining and leaving it, one's own places, and offers that lapse.

use super::booking::bookable;
use super::booking::offer_freed;
use super::booking::parse_day;
use super::booking::prepare;
use super::booking::refusal_error;
use super::booking::transition_error;
use super::booking::Bookable;
use crate::db::reservations as store;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::Actor;
use crate::domain::reservations::{
    decide, transition, Event, KitSituation, Refusal, Request, TransitionError,
};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::Duration;
use leenpunt_shared::*;

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
    crate::service::gate::check_gate(&mut tx, lang, &gate, today, pickup, &now).await?;
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
