//! Training sessions: planning one, listing and reading them, calling one off, and the demo
//! trainings.

use super::conditions::settle_session;
use crate::db::accounts::audit;
use crate::db::mail::enqueue;
use crate::db::trainings::{self as store, NewQualification};
use crate::db::Db;
use crate::domain::clock::{brussels_to_utc, today, Clock};
use crate::domain::mail::{session_news, SessionNews};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::trainings::{self as rules};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Duration, NaiveDate, NaiveTime};
use leenpunt_shared::*;

pub(super) fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Plans a session of a training (partner admins of its partner and admins).
pub async fn create_session(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &NewSession,
) -> Result<TrainingSession> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let mut errors = Vec::new();
    let day = parse_day(&body.day);
    if day.is_none() {
        errors.push(FieldError::new("day", Text::ChooseAValidDate.get(lang)));
    }
    let start = parse_time(&body.start_time);
    let end = parse_time(&body.end_time);
    if start.is_none() {
        errors.push(FieldError::new(
            "start_time",
            Text::EnterAStartTimeHhMm.get(lang),
        ));
    }
    if end.is_none() {
        errors.push(FieldError::new(
            "end_time",
            Text::EnterAnEndTimeHhMm.get(lang),
        ));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            errors.push(FieldError::new(
                "end_time",
                Text::TheEndTimeMustBeAfter.get(lang),
            ));
        }
    }
    let place = body.place.trim();
    if place.is_empty() || place.chars().count() > 300 {
        errors.push(FieldError::new(
            "place",
            Text::EnterThePlace1To300.get(lang),
        ));
    }
    let capacity = match body.capacity.trim().parse::<u32>() {
        Ok(c) if (1..=1000).contains(&c) => c,
        _ => {
            errors.push(FieldError::new(
                "capacity",
                Text::SeatsIsANumberFrom1.get(lang),
            ));
            0
        }
    };
    let closes_day = if body.registration_closes.trim().is_empty() {
        day.map(|d| d - Duration::days(1))
    } else {
        let d = parse_day(&body.registration_closes);
        if d.is_none() {
            errors.push(FieldError::new(
                "registration_closes",
                Text::ChooseAValidDate.get(lang),
            ));
        }
        d
    };
    let (Some(day), Some(start), Some(end), Some(closes_day)) = (day, start, end, closes_day)
    else {
        return Err(AppError::Validation(errors));
    };
    let starts_at = brussels_to_utc(day.and_time(start));
    let ends_at = brussels_to_utc(day.and_time(end));
    if starts_at <= now_instant {
        errors.push(FieldError::new("day", Text::ANewSessionLiesInThe.get(lang)));
    }
    // Registration closes at the end of its last day, and at the latest when it starts.
    let closes =
        brussels_to_utc(closes_day.and_hms_opt(23, 59, 0).unwrap_or_default()).min(starts_at);
    if closes <= now_instant && starts_at > now_instant {
        errors.push(FieldError::new(
            "registration_closes",
            Text::RegistrationMustStayOpenAWhile.get(lang),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.begin().await?;
    let training = store::training_row(&mut tx, body.training.trim())
        .await?
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "training",
                Text::ChooseATraining.get(lang),
            )])
        })?;
    if !allows(actor, Action::ManageTrainingsOf(training.partner)) {
        return Err(AppError::Forbidden);
    }
    let mut trainers = Vec::new();
    for email in body
        .trainers
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
    {
        let found = match Email::parse(email) {
            Ok(e) => store::user_by_email(&mut tx, e.as_str()).await?,
            Err(_) => None,
        };
        match found {
            Some((id, _)) => trainers.push(id),
            None => {
                return Err(AppError::Validation(vec![FieldError::new(
                    "trainers",
                    Text::NoAccountWithAddress { email: &email }.get(lang),
                )]))
            }
        }
    }
    if trainers.is_empty() {
        trainers.push(user);
    }
    let id = store::insert_session(
        &mut tx,
        &store::SessionValues {
            training: training.id,
            starts_at: &starts_at.to_rfc3339(),
            ends_at: &ends_at.to_rfc3339(),
            place,
            capacity,
            opens: &now,
            closes: &closes.to_rfc3339(),
            trainers: &trainers,
        },
        &now,
    )
    .await?;
    audit(
        &mut tx,
        Some(user),
        "session.create",
        &format!("session:{id}"),
        &format!("{} {day} {start}", training.title),
        &now,
    )
    .await?;
    let record = store::session_by_id(&mut tx, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(record.view)
}

/// Which sessions a list shows.
#[derive(Debug, Clone, Default)]
pub struct SessionQuery {
    pub training: Option<String>,
    pub partner: Option<String>,
    /// Past sessions too (for trainers and staff looking back).
    pub past: bool,
    pub mine: bool,
    pub training_me: bool,
}

/// Sessions, soonest first: upcoming ones (and the last 60 days with `past`).
pub async fn sessions(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    q: &SessionQuery,
) -> Result<Vec<TrainingSession>> {
    let now = clock.now();
    let partners = match q.partner.as_deref().filter(|p| !p.is_empty()) {
        Some(slug) => Some(vec![db
            .partner_id(slug)
            .await?
            .ok_or(AppError::NotFound)?]),
        None => None,
    };
    if (q.mine || q.training_me) && actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let from = if q.past {
        now - Duration::days(60)
    } else {
        now - Duration::hours(12)
    };
    let filter = store::SessionFilter {
        training: q.training.clone().filter(|t| !t.is_empty()),
        partners,
        from: Some(from.to_rfc3339()),
        until: None,
        mine: q.mine,
        trainer: q.training_me.then_some(actor.user).flatten(),
        include_cancelled: q.past,
        limit: 200,
    };
    Ok(db
        .training_sessions(&filter, actor.user)
        .await?
        .into_iter()
        .map(|s| s.view)
        .collect())
}

/// Whether someone may see a session's list and record attendance.
pub(super) fn runs(actor: &Actor, s: &store::TrainingSessionRecord) -> bool {
    allows(actor, Action::RunSessionsOf(s.partner))
        || actor.user.is_some_and(|u| s.trainer_ids.contains(&u))
}

/// One session, as the asker sees it, with whether they run it.
pub async fn session(db: &Db, actor: &Actor, id: i64) -> Result<(TrainingSession, bool)> {
    let s = db
        .training_session(id, actor.user)
        .await?
        .ok_or(AppError::NotFound)?;
    let runs = runs(actor, &s);
    Ok((s.view, runs))
}

fn session_link(public_url: &str, id: i64) -> String {
    format!(
        "{}/opleidingen/sessies/{id}",
        public_url.trim_end_matches('/')
    )
}

pub(super) async fn tell_session(
    conn: &mut crate::db::Conn,
    user: UserId,
    news: SessionNews,
    s: &TrainingSession,
    public_url: &str,
    now: &str,
) -> Result<()> {
    if let Some((email, lang)) = store::user_contact(conn, user).await? {
        if let Ok(to) = Email::parse(&email) {
            let mail = session_news(lang, &to, news, s, &session_link(public_url, s.id));
            enqueue(conn, &mail, now).await?;
        }
    }
    Ok(())
}

/// Demo sessions: for every training two upcoming sessions, a session of creatool that
/// started this morning (the demo teacher is on its list, for the trainer to tick), and
/// a past Bee-Bot session the demo teacher attended — so the demo teacher may borrow the
/// Bee-Bot sets and can try the rest of the loop.
pub async fn load_demo_trainings(db: &Db, clock: &dyn Clock) -> Result<()> {
    use crate::domain::clock::brussels_to_utc;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let today = today(clock);
    let trainings = db.trainings(None).await?;
    let mut tx = db.begin().await?;
    let teacher = store::user_by_email(&mut tx, "leerkracht@demo.leenpunt.be")
        .await?
        .map(|u| u.0);
    let trainer = store::user_by_email(&mut tx, "trainer@demo.leenpunt.be")
        .await?
        .map(|u| u.0);
    let at = |day: NaiveDate, h: u32, m: u32| {
        brussels_to_utc(day.and_hms_opt(h, m, 0).unwrap_or_default())
    };
    for (n, t) in trainings.iter().enumerate() {
        let row = store::training_row(&mut tx, &t.slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let trainers: Vec<UserId> = if t.partner_slug == "stem-rtc" {
            trainer.into_iter().collect()
        } else {
            Vec::new()
        };
        let place = format!("{} — vergaderzaal", t.partner);
        for (i, offset) in [9i64 + n as i64, 23 + n as i64].into_iter().enumerate() {
            let day = today + Duration::days(offset);
            let starts = at(day, if i == 0 { 14 } else { 9 }, 0);
            let ends = starts + Duration::minutes(i64::from(t.duration_minutes));
            let closes = at(day - Duration::days(1), 23, 59);
            store::insert_session(
                &mut tx,
                &store::SessionValues {
                    training: row.id,
                    starts_at: &starts.to_rfc3339(),
                    ends_at: &ends.to_rfc3339(),
                    place: &place,
                    capacity: 12 + 3 * i as u32,
                    opens: &(now_instant - Duration::days(30)).to_rfc3339(),
                    closes: &closes.to_rfc3339(),
                    trainers: &trainers,
                },
                &now,
            )
            .await?;
        }
        let (Some(teacher), true) = (
            teacher,
            matches!(t.slug.as_str(), "bee-bot-in-de-klas" | "creatool-bouwen"),
        ) else {
            continue;
        };
        let past = t.slug == "bee-bot-in-de-klas";
        let day = if past {
            today - Duration::days(40)
        } else {
            today
        };
        let starts = at(day, 8, 30);
        let id = store::insert_session(
            &mut tx,
            &store::SessionValues {
                training: row.id,
                starts_at: &starts.to_rfc3339(),
                ends_at: &(starts + Duration::minutes(i64::from(t.duration_minutes))).to_rfc3339(),
                place: &place,
                capacity: 12,
                opens: &(starts - Duration::days(60)).to_rfc3339(),
                closes: &(starts - Duration::days(1)).to_rfc3339(),
                trainers: &trainers,
            },
            &now,
        )
        .await?;
        store::upsert_registration(&mut tx, id, teacher, "ingeschreven", past, &now).await?;
        if past {
            store::grant(
                &mut tx,
                &NewQualification {
                    user: teacher,
                    training: row.id,
                    session: Some(id),
                    granted_on: day,
                    valid_until: rules::valid_until(day, row.validity_months),
                    granted_by: trainer,
                    reason: "",
                },
                &now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Calls a session off (the training's partner admins and admins, before it starts): the
/// people on its list are told, and reservations held on the condition of it are released
/// at once.
pub async fn call_off(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: i64,
) -> Result<TrainingSession> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let now_instant = clock.now();
    let now = now_instant.to_rfc3339();
    let people = db.roster(id).await?;
    let mut tx = db.begin().await?;
    let s = store::session_by_id(&mut tx, id, Some(by))
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageTrainingsOf(s.partner)) {
        return Err(AppError::Forbidden);
    }
    if s.view.cancelled {
        return Err(AppError::refused(
            "session-cancelled",
            Text::ThisSessionIsAlreadyCalledOff.get(lang),
            "",
        ));
    }
    if now_instant >= s.starts_at {
        return Err(AppError::refused(
            "session-started",
            Text::TheSessionHasStarted.get(lang),
            Text::ASessionThatHasStartedCannot.get(lang),
        ));
    }
    store::cancel_session(&mut tx, id, &now).await?;
    audit(
        &mut tx,
        Some(by),
        "session.call-off",
        &format!("session:{id}"),
        &s.view.training_title,
        &now,
    )
    .await?;
    let fresh = store::session_by_id(&mut tx, id, None)
        .await?
        .ok_or(AppError::NotFound)?;
    for person in people.iter().filter(|p| p.status != "geannuleerd") {
        tell_session(
            &mut tx,
            person.user,
            SessionNews::CalledOff,
            &fresh.view,
            public_url,
            &now,
        )
        .await?;
    }
    settle_session(&mut tx, clock, public_url, id, None).await?;
    store::mark_settled(&mut tx, id, &now).await?;
    tx.commit().await?;
    Ok(fresh.view)
}
