//! What the training pages show: the sessions list, one session, my trainings, the admin
//! screen.

use super::sessions::runs;
use super::sessions::sessions;
use super::sessions::SessionQuery;
use crate::db::trainings::{self as store, QualificationsOf};
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use chrono::Duration;
use leenpunt_shared::*;

/// The sessions page: upcoming sessions (of one training with `training`) and the
/// trainings.
pub async fn sessions_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    training: Option<String>,
) -> Result<SessionsScreen> {
    let query = SessionQuery {
        training,
        ..SessionQuery::default()
    };
    Ok(SessionsScreen {
        sessions: sessions(db, clock, actor, &query).await?,
        trainings: db.trainings(None).await?,
        can_register: allows(actor, Action::RegisterForTraining),
    })
}

/// One session's page, with the roster for who runs it.
pub async fn session_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<SessionScreen> {
    let s = db
        .training_session(id, actor.user)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = clock.now();
    let runs = runs(actor, &s);
    let roster = if runs {
        db.roster(id).await?
    } else {
        Vec::new()
    };
    Ok(SessionScreen {
        can_call_off: allows(actor, Action::ManageTrainingsOf(s.partner))
            && !s.view.cancelled
            && now < s.starts_at,
        can_register: allows(actor, Action::RegisterForTraining),
        started: now >= s.starts_at,
        open: now >= s.opens && now < s.closes && !s.view.cancelled,
        runs,
        roster,
        session: s.view,
    })
}

/// A person's trainings page: qualifications, sessions, sessions they train, and their
/// colleagues' qualifications per school.
/// The trainings the asker holds today (slugs); empty for anyone not signed in.
pub async fn held_trainings(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<Vec<String>> {
    let Some(user) = actor.user else {
        return Ok(Vec::new());
    };
    Ok(db
        .qualifications(QualificationsOf::User(user), today(clock))
        .await?
        .into_iter()
        .map(|q| q.training_slug)
        .collect())
}

pub async fn my_trainings(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<MyTrainingsScreen> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let today = today(clock);
    let mine = SessionQuery {
        mine: true,
        past: true,
        ..SessionQuery::default()
    };
    let trains = SessionQuery {
        training_me: true,
        past: true,
        ..SessionQuery::default()
    };
    let mut colleagues = Vec::new();
    if let Some(me) = db.me(user).await? {
        for g in me.grants.iter().filter(|g| g.role == Role::Teacher) {
            if let Some(school) = &g.school {
                let list = db
                    .qualifications(QualificationsOf::School(school.id), today)
                    .await?
                    .into_iter()
                    .filter(|q| q.user != user)
                    .collect();
                colleagues.push((school.name.clone(), list));
            }
        }
    }
    Ok(MyTrainingsScreen {
        qualifications: db
            .qualifications(QualificationsOf::User(user), today)
            .await?,
        sessions: sessions(db, clock, actor, &mine).await?,
        trains: sessions(db, clock, actor, &trains).await?,
        colleagues,
    })
}

/// The trainings management page: what the asker manages (every partner for admins).
pub async fn admin_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<TrainingsAdminScreen> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let partners: Vec<(String, String, PartnerId)> = db
        .partners_brief()
        .await?
        .into_iter()
        .filter(|(_, _, id)| allows(actor, Action::ManageTrainingsOf(*id)))
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    let ids: Vec<PartnerId> = partners.iter().map(|p| p.2).collect();
    let trainings = db
        .trainings(None)
        .await?
        .into_iter()
        .filter(|t| partners.iter().any(|p| p.0 == t.partner_slug))
        .collect();
    let now = clock.now();
    let filter = store::SessionFilter {
        partners: Some(ids.clone()),
        from: Some((now - Duration::days(30)).to_rfc3339()),
        include_cancelled: true,
        limit: 200,
        ..store::SessionFilter::default()
    };
    let sessions = db
        .training_sessions(&filter, actor.user)
        .await?
        .into_iter()
        .map(|s| s.view)
        .collect();
    let today = today(clock);
    let mut qualifications = Vec::new();
    if actor.is_admin() {
        qualifications = db.qualifications(QualificationsOf::All, today).await?;
    } else {
        for p in &ids {
            qualifications.extend(
                db.qualifications(QualificationsOf::Partner(*p), today)
                    .await?,
            );
        }
    }
    Ok(TrainingsAdminScreen {
        trainings,
        partners: partners
            .into_iter()
            .map(|(slug, name, _)| (slug, name))
            .collect(),
        sessions,
        qualifications,
    })
}
