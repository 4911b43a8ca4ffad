//! Conditional reservations: confirmed when their sessions were attended, released (and the
//! units offered on) when a session passed without. The one trainings room that calls
//! `reservations` (tell, offer_freed); `reservations` calls only `gate` back.

use crate::db::accounts::audit;
use crate::db::reservations as reservations_store;
use crate::db::trainings as store;
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::mail::ReservationNews;
use crate::domain::trainings::{settle, Condition, ConditionOutcome, ATTENDANCE_GRACE};
use crate::error::{AppError, Result};
use leenpunt_shared::*;

/// Settles the conditional reservations waiting for a session (one borrower's, or all):
/// confirmed when every session they wait for was attended, released when one is over
/// without attendance.
pub(super) async fn settle_session(
    conn: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    session: i64,
    user: Option<UserId>,
) -> Result<usize> {
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let over_before = (now_instant - ATTENDANCE_GRACE).to_rfc3339();
    let mut settled = 0;
    for c in store::conditional_on(conn, session, user, &over_before).await? {
        let conditions: Vec<Condition> = c
            .conditions
            .iter()
            .map(|&(_, attended, over)| Condition { attended, over })
            .collect();
        let news = match settle(&conditions) {
            ConditionOutcome::Pending => continue,
            ConditionOutcome::Met => ReservationNews::ConditionMet,
            ConditionOutcome::Failed => {
                reservations_store::set_status(
                    conn,
                    c.reservation,
                    ReservationStatus::Cancelled,
                    Some(released_reason()),
                    &now,
                )
                .await?;
                ReservationNews::ConditionFailed
            }
        };
        store::clear_conditions(conn, c.reservation).await?;
        let record = reservations_store::record_by_id(conn, c.reservation)
            .await?
            .ok_or(AppError::NotFound)?;
        audit(
            conn,
            None,
            if news == ReservationNews::ConditionMet {
                "reservation.condition-met"
            } else {
                "reservation.released"
            },
            &format!("reservation:{}", c.reservation.0),
            &format!("session:{session}"),
            &now,
        )
        .await?;
        crate::service::reservations::tell(conn, &record, news, public_url, &now).await?;
        if news == ReservationNews::ConditionFailed {
            crate::service::reservations::offer_freed(
                conn,
                clock,
                public_url,
                &record.view.kit_slug,
            )
            .await?;
        }
        settled += 1;
    }
    Ok(settled)
}

fn released_reason() -> &'static str {
    "De opleiding werd niet gevolgd vóór het afhalen."
}

/// The scheduled release: conditional reservations whose session ended more than the
/// grace period ago without attendance (or was called off) are released, and their
/// borrowers told. Returns how many reservations were settled.
pub async fn settle_past_sessions(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    let now_instant = clock.now();
    let before = (now_instant - ATTENDANCE_GRACE).to_rfc3339();
    let mut conn = db.read().await?;
    let due = store::sessions_to_settle(&mut conn, &before).await?;
    drop(conn);
    let mut total = 0;
    for session in due {
        let mut tx = db.begin().await?;
        total += settle_session(&mut tx, clock, public_url, session, None).await?;
        store::mark_settled(&mut tx, session, &now_instant.to_rfc3339()).await?;
        tx.commit().await?;
    }
    Ok(total)
}
