//! The daily job: overdue loans and no-shows, each in a short transaction of its own, and
//! forgetting old desk idempotency keys.

use super::*;

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
pub(super) async fn mark_overdue(
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
        crate::service::reservations::tell(
            &mut tx,
            &record,
            ReservationNews::Overdue,
            public_url,
            &now,
        )
        .await?;
        crate::service::reservations::recheck_kit(
            &mut tx,
            clock,
            public_url,
            &record.view.kit_slug,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Marks reservation `id` a no-show, mails its borrower and offers the freed units to the
/// waiting list, in one transaction; `false` when it is no longer a candidate.
pub(super) async fn mark_no_show(
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
    crate::service::reservations::tell(&mut tx, &record, ReservationNews::NoShow, public_url, &now)
        .await?;
    crate::service::reservations::offer_freed(&mut tx, clock, public_url, &record.view.kit_slug)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Desk idempotency keys are kept a week: long enough for a queue that waited over a
/// weekend to replay. Looked for on a read connection first, as the rest of the job.
pub(super) async fn forget_desk_keys(db: &Db, clock: &dyn Clock) -> Result<()> {
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
