//! The trainer's roster: attendance ticks (which grant qualifications) and walk-ins.

use super::conditions::settle_session;
use super::refusal;
use super::sessions::runs;
use crate::db::accounts::audit;
use crate::db::trainings::{self as store, NewQualification};
use crate::db::Db;
use crate::domain::clock::{brussels_date, Clock};
use crate::domain::policy::Actor;
use crate::domain::trainings::{self as rules};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::*;

/// A session's list, for its trainers and the partner's staff.
pub async fn roster(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<(TrainingSession, Vec<RosterEntry>)> {
    let s = db
        .training_session(id, actor.user)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(actor, &s) {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    let list = db.roster(id).await?;
    Ok((s.view, list))
}

/// Grants the qualifications of a session to users marked present and confirms the
/// conditional reservations this completes; takes back those of users no longer marked.
async fn apply_attendance(
    conn: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    s: &store::TrainingSessionRecord,
    by: UserId,
    added: &[UserId],
    removed: &[UserId],
) -> Result<()> {
    let now = clock.now().to_rfc3339();
    let granted_on = brussels_date(s.starts_at);
    for user in added {
        store::grant(
            conn,
            &NewQualification {
                user: *user,
                training: s.training,
                session: Some(s.view.id),
                granted_on,
                valid_until: rules::valid_until(granted_on, s.validity_months),
                granted_by: Some(by),
                reason: "",
            },
            &now,
        )
        .await?;
        audit(
            conn,
            Some(by),
            "session.attended",
            &format!("session:{}", s.view.id),
            &format!("user:{}", user.0),
            &now,
        )
        .await?;
        settle_session(conn, clock, public_url, s.view.id, Some(*user)).await?;
    }
    for user in removed {
        store::revoke(
            conn,
            None,
            Some((*user, s.view.id)),
            Some(by),
            "Aanwezigheid gecorrigeerd door de trainer",
            &now,
        )
        .await?;
        audit(
            conn,
            Some(by),
            "session.absent",
            &format!("session:{}", s.view.id),
            &format!("user:{}", user.0),
            &now,
        )
        .await?;
    }
    Ok(())
}

/// What a trainer sends about attendance.
#[derive(Debug, Clone, Copy)]
pub enum AttendanceChange<'a> {
    /// The whole list: exactly these registrations are present (the page's form).
    Exactly(&'a [i64]),
    /// Ticks as they are made; registrations not named stay as they are.
    Marks(&'a [AttendanceMark]),
}

impl AttendanceChange<'_> {
    fn present(&self, registration: i64, was: bool) -> bool {
        match self {
            Self::Exactly(present) => present.contains(&registration),
            Self::Marks(marks) => marks
                .iter()
                .rev()
                .find(|m| m.registration == registration)
                .map_or(was, |m| m.present),
        }
    }
}

/// Records attendance as the trainer ticked it (from the session's start on).
pub async fn record_attendance(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: i64,
    change: AttendanceChange<'_>,
) -> Result<Vec<RosterEntry>> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let mut tx = db.begin().await?;
    let s = store::session_by_id(&mut tx, id, Some(by))
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(actor, &s) {
        return Err(AppError::Forbidden);
    }
    rules::may_record_attendance(s.starts_at, s.view.cancelled, now_instant)
        .map_err(|r| refusal(r.texts(lang)))?;
    if let AttendanceChange::Marks(marks) = change {
        let seated = store::seated_registrations(&mut tx, id).await?;
        if let Some(i) = marks.iter().position(|m| !seated.contains(&m.registration)) {
            return Err(AppError::Validation(vec![FieldError::new(
                format!("marks[{i}].registration"),
                if lang == Lang::Nl {
                    "Deze persoon heeft geen plaats in deze sessie."
                } else {
                    "This person has no seat in this session."
                },
            )]));
        }
    }
    let (added, removed) =
        store::set_attendance(&mut tx, id, |r, was| change.present(r, was), &now).await?;
    apply_attendance(&mut tx, clock, public_url, &s, by, &added, &removed).await?;
    tx.commit().await?;
    Ok(db.roster(id).await?)
}

/// Adds someone who came without registering, present at once.
pub async fn walk_in(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: i64,
    body: &WalkInBody,
) -> Result<Vec<RosterEntry>> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let mut tx = db.begin().await?;
    let s = store::session_by_id(&mut tx, id, Some(by))
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(actor, &s) {
        return Err(AppError::Forbidden);
    }
    rules::may_record_attendance(s.starts_at, s.view.cancelled, now_instant)
        .map_err(|r| refusal(r.texts(lang)))?;
    let not_found = || {
        AppError::Validation(vec![FieldError::new(
            "email",
            Text::NoTeacherWithThatEMail.get(lang),
        )])
    };
    let email = Email::parse(body.email.trim()).map_err(|_| not_found())?;
    let (user, teacher) = store::user_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(not_found)?;
    if !teacher {
        return Err(not_found());
    }
    let before = store::registration_of(&mut tx, id, user).await?;
    if before
        .as_ref()
        .is_some_and(|(_, st, attended)| st == "ingeschreven" && *attended)
    {
        return Err(AppError::refused(
            "already-present",
            Text::AlreadyPresent.get(lang),
            Text::ThisTeacherIsAlreadyMarkedPresent.get(lang),
        ));
    }
    store::upsert_registration(&mut tx, id, user, "ingeschreven", true, &now).await?;
    apply_attendance(&mut tx, clock, public_url, &s, by, &[user], &[]).await?;
    tx.commit().await?;
    Ok(db.roster(id).await?)
}
