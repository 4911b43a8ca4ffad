//! Signing up for a session (a seat or the waiting list) and signing off (the waiting list
//! moves up).

use super::conditions::settle_session;
use super::refusal;
use super::sessions::tell_session;
use crate::db::accounts::audit;
use crate::db::trainings as store;
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::mail::SessionNews;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::trainings::{self as rules, moves_up, Placed};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::*;

/// Registers the asker for a session: a seat while there is one, the waiting list after.
pub async fn register(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: i64,
) -> Result<TrainingSession> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    if !allows(actor, Action::RegisterForTraining) {
        return Err(AppError::Forbidden);
    }
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let mut tx = db.begin().await?;
    let s = store::session_by_id(&mut tx, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    let placed = rules::register(&s.seats(), now_instant, s.view.my_status.is_some())
        .map_err(|r| refusal(r.texts(lang)))?;
    let (status, news) = match placed {
        Placed::Seat => ("ingeschreven", SessionNews::Registered),
        Placed::WaitingList => ("wachtlijst", SessionNews::WaitingList),
    };
    store::upsert_registration(&mut tx, id, user, status, false, &now).await?;
    audit(
        &mut tx,
        Some(user),
        "session.register",
        &format!("session:{id}"),
        status,
        &now,
    )
    .await?;
    let s = store::session_by_id(&mut tx, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    tell_session(&mut tx, user, news, &s.view, public_url, &now).await?;
    tx.commit().await?;
    Ok(s.view)
}

/// Cancels the asker's place. A freed seat goes to the first on the waiting list, and
/// reservations held on the condition of this session are released.
pub async fn unregister(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: i64,
) -> Result<TrainingSession> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let mut tx = db.begin().await?;
    let s = store::session_by_id(&mut tx, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    let Some((registration, status, attended)) = store::registration_of(&mut tx, id, user)
        .await?
        .filter(|(_, st, _)| st != "geannuleerd")
    else {
        return Err(AppError::refused(
            "not-registered",
            Text::YouAreNotRegistered.get(lang),
            Text::YouAreNotOnThisSession.get(lang),
        ));
    };
    if attended || now_instant >= s.starts_at {
        return Err(AppError::refused(
            "session-started",
            Text::TheSessionHasStarted.get(lang),
            Text::YouCanCancelUntilTheSession.get(lang),
        ));
    }
    store::set_registration_status(&mut tx, registration, "geannuleerd", &now).await?;
    audit(
        &mut tx,
        Some(user),
        "session.unregister",
        &format!("session:{id}"),
        &status,
        &now,
    )
    .await?;
    if status == "ingeschreven" {
        let (taken, waiting) = store::waiting_list(&mut tx, id).await?;
        let order: Vec<i64> = waiting.iter().map(|(r, _)| *r).collect();
        if let Some(up) = moves_up(s.view.capacity, taken, &order) {
            store::set_registration_status(&mut tx, up, "ingeschreven", &now).await?;
            if let Some((_, who)) = waiting.iter().find(|(r, _)| *r == up) {
                let fresh = store::session_by_id(&mut tx, id, Some(*who))
                    .await?
                    .ok_or(AppError::NotFound)?;
                tell_session(
                    &mut tx,
                    *who,
                    SessionNews::MovedUp,
                    &fresh.view,
                    public_url,
                    &now,
                )
                .await?;
            }
        }
    }
    // Without the seat, the reservations waiting for it cannot be met.
    settle_session(&mut tx, clock, public_url, id, Some(user)).await?;
    let s = store::session_by_id(&mut tx, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    tell_session(
        &mut tx,
        user,
        SessionNews::Cancelled,
        &s.view,
        public_url,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(s.view)
}
