//! Trainings: training types, sessions, registrations with a waiting list, attendance
//! that grants qualifications, qualifications by hand, and conditional reservations.
//!
//! Writes are one `BEGIN IMMEDIATE` transaction each: two teachers taking the last seat
//! at once are serialised by the database, so exactly `capacity` get a seat.

use crate::db::accounts::audit;
use crate::db::mail::enqueue;
use crate::db::reservations as reservations_store;
use crate::db::trainings::{self as store, GateInputs, NewQualification, QualificationsOf};
use crate::db::Db;
use crate::domain::clock::{brussels_date, brussels_to_utc, today, Clock};
use crate::domain::mail::{session_news, ReservationNews, SessionNews};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::trainings::{
    self as rules, gate, moves_up, settle, Condition, ConditionOutcome, Gate, Placed,
    TrainingInput, ATTENDANCE_GRACE,
};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Duration, NaiveDate, NaiveTime};
use leenpunt_shared::*;

/// The sessions a new reservation waits for (empty: it is not conditional).
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub sessions: Vec<i64>,
    pub described: Vec<ReservationCondition>,
}

/// A rule's refusal (kind, title, detail) as the API answers it.
fn refusal((kind, title, detail): (&'static str, String, String)) -> AppError {
    AppError::refused(kind, title, detail)
}

/// Applies the training gate to a booking: passes when qualified, answers the sessions to
/// wait for when the borrower has seats in time, and refuses naming the missing trainings
/// with their upcoming sessions otherwise.
pub async fn check_gate(
    conn: &mut crate::db::Conn,
    lang: Lang,
    inputs: &GateInputs,
    today: NaiveDate,
    pickup: NaiveDate,
    now: &str,
) -> Result<Conditions> {
    match gate(
        &inputs.required,
        &inputs.held,
        &inputs.registered,
        today,
        pickup,
    ) {
        Gate::Qualified => Ok(Conditions::default()),
        Gate::Conditional { sessions } => {
            let described = sessions
                .iter()
                .filter_map(|s| {
                    let seat = inputs.registered.iter().find(|r| r.session == *s)?;
                    let training = inputs
                        .required
                        .iter()
                        .find(|r| r.training == seat.training)?;
                    Some(ReservationCondition {
                        session: *s,
                        training: training.title.clone(),
                        day: seat.day.to_string(),
                    })
                })
                .collect();
            Ok(Conditions {
                sessions,
                described,
            })
        }
        Gate::Missing(missing) => {
            let ids: Vec<TrainingTypeId> = missing.iter().map(|m| m.training).collect();
            let upcoming = store::upcoming_sessions(conn, &ids, now).await?;
            let names = missing
                .iter()
                .map(|m| format!("“{}”", m.title))
                .collect::<Vec<_>>()
                .join(", ");
            let title = Text::TrainingFirst.get(lang);
            let detail = Text::TrainingFirstDetail { names: &names }.get(lang);
            Err(AppError::TrainingRequired {
                title,
                detail,
                trainings: missing
                    .into_iter()
                    .map(|m| MissingTraining {
                        sessions: upcoming
                            .iter()
                            .filter(|(t, _)| *t == m.training)
                            .map(|(_, b)| b.clone())
                            .take(5)
                            .collect(),
                        slug: m.slug,
                        title: m.title,
                    })
                    .collect(),
            })
        }
    }
}

/// Training types, one partner's when a slug is given.
pub async fn trainings(db: &Db, partner: Option<&str>) -> Result<Vec<Training>> {
    let partner = match partner.filter(|p| !p.is_empty()) {
        Some(slug) => Some(db.partner_id(slug).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    Ok(db.trainings(partner).await?)
}

fn field_errors(errors: Vec<(&'static str, String)>) -> AppError {
    AppError::Validation(
        errors
            .into_iter()
            .map(|(f, m)| FieldError::new(f, m))
            .collect(),
    )
}

/// Creates a training type (`slug` None) or changes one.
pub async fn save_training(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: Option<&str>,
    form: &TrainingForm,
) -> Result<Training> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let fields = rules::check_training(
        &TrainingInput {
            title: &form.title,
            description: &form.description,
            duration_minutes: &form.duration_minutes,
            validity_months: &form.validity_months,
        },
        lang,
    )
    .map_err(field_errors)?;
    let values = store::TrainingValues {
        title: &fields.title,
        description: &fields.description,
        duration_minutes: fields.duration_minutes,
        validity_months: fields.validity_months,
    };
    let mut tx = db.begin().await?;
    let slug = match slug {
        Some(slug) => {
            let row = store::training_row(&mut tx, slug)
                .await?
                .ok_or(AppError::NotFound)?;
            if !allows(actor, Action::ManageTrainingsOf(row.partner)) {
                return Err(AppError::Forbidden);
            }
            store::update_training(&mut tx, row.id, &values).await?;
            audit(
                &mut tx,
                Some(user),
                "training.update",
                &format!("training:{slug}"),
                &fields.title,
                &now,
            )
            .await?;
            slug.to_owned()
        }
        None => {
            let partner = db.partner_id(form.partner.trim()).await?.ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    "partner",
                    if lang == Lang::Nl {
                        "Kies een partnerorganisatie."
                    } else {
                        "Choose a partner service."
                    },
                )])
            })?;
            if !allows(actor, Action::ManageTrainingsOf(partner)) {
                return Err(AppError::Forbidden);
            }
            let slug = Slug::from_title(&fields.title).map_err(|_| {
                AppError::Validation(vec![FieldError::new(
                    "title",
                    if lang == Lang::Nl {
                        "Gebruik letters of cijfers in de titel."
                    } else {
                        "Use letters or digits in the title."
                    },
                )])
            })?;
            store::insert_training(&mut tx, partner, slug.as_str(), &values)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::Conflict(_) => AppError::Validation(vec![FieldError::new(
                        "title",
                        if lang == Lang::Nl {
                            "Er bestaat al een opleiding met die titel."
                        } else {
                            "A training with that title already exists."
                        },
                    )]),
                    other => other,
                })?;
            audit(
                &mut tx,
                Some(user),
                "training.create",
                &format!("training:{slug}"),
                &fields.title,
                &now,
            )
            .await?;
            slug.as_str().to_owned()
        }
    };
    tx.commit().await?;
    Ok(db.training(&slug).await?.ok_or(AppError::NotFound)?.0)
}

/// Deletes a training type that nothing uses yet; one a kit type requires, or with
/// sessions or holders, is refused.
pub async fn delete_training(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: &str,
) -> Result<()> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mut tx = db.begin().await?;
    let row = store::training_row(&mut tx, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageTrainingsOf(row.partner)) {
        return Err(AppError::Forbidden);
    }
    if store::training_in_use(&mut tx, row.id).await? {
        return Err(AppError::refused(
            "training-in-use",
            Text::ThisTrainingIsInUse.get(lang),
            Text::MaterialRequiresThisTrainingOrIt.get(lang),
        ));
    }
    store::delete_training(&mut tx, row.id).await?;
    audit(
        &mut tx,
        Some(user),
        "training.delete",
        &format!("training:{slug}"),
        &row.title,
        &clock.now().to_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn parse_day(s: &str) -> Option<NaiveDate> {
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
fn runs(actor: &Actor, s: &store::TrainingSessionRecord) -> bool {
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

async fn tell_session(
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

/// Settles the conditional reservations waiting for a session (one borrower's, or all):
/// confirmed when every session they wait for was attended, released when one is over
/// without attendance.
async fn settle_session(
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
        super::reservations::tell(conn, &record, news, public_url, &now).await?;
        if news == ReservationNews::ConditionFailed {
            super::reservations::offer_freed(conn, clock, public_url, &record.view.kit_slug)
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

/// Grants a qualification by hand (trained elsewhere), with a reason; audited.
pub async fn grant_by_hand(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &GrantBody,
) -> Result<i64> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    // Only those who may grant some qualification learn anything from this endpoint (such
    // as whether an address has an account): everyone else is refused before any lookup.
    let may_grant_some = actor.is_admin()
        || actor.grants.iter().any(|g| {
            g.partner
                .is_some_and(|p| allows(actor, Action::GrantQualificationsOf(p)))
        });
    if !may_grant_some {
        return Err(AppError::Forbidden);
    }
    let now = clock.now().to_rfc3339();
    let mut errors = Vec::new();
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.push(FieldError::new(
            "reason",
            Text::GiveAReasonForExampleWhere.get(lang),
        ));
    }
    let granted_on = if body.granted_on.trim().is_empty() {
        Some(today(clock))
    } else {
        parse_day(&body.granted_on).filter(|d| *d <= today(clock))
    };
    if granted_on.is_none() {
        errors.push(FieldError::new(
            "granted_on",
            Text::ChooseADateTodayOrEarlier.get(lang),
        ));
    }
    let mut tx = db.begin().await?;
    let training = store::training_row(&mut tx, body.training.trim()).await?;
    if let Some(t) = &training {
        if !allows(actor, Action::GrantQualificationsOf(t.partner)) {
            return Err(AppError::Forbidden);
        }
    }
    if training.is_none() {
        errors.push(FieldError::new("training", Text::ChooseATraining.get(lang)));
    }
    let user = match Email::parse(body.email.trim()) {
        Ok(e) => store::user_by_email(&mut tx, e.as_str()).await?,
        Err(_) => None,
    };
    if user.is_none() {
        errors.push(FieldError::new(
            "email",
            Text::NoAccountWithThatEMail.get(lang),
        ));
    }
    let (Some(training), Some((user, _)), Some(granted_on), true) =
        (training, user, granted_on, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    if !allows(actor, Action::GrantQualificationsOf(training.partner)) {
        return Err(AppError::Forbidden);
    }
    let id = store::grant(
        &mut tx,
        &NewQualification {
            user,
            training: training.id,
            session: None,
            granted_on,
            valid_until: rules::valid_until(granted_on, training.validity_months),
            granted_by: Some(by),
            reason,
        },
        &now,
    )
    .await?
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("grant by hand inserted nothing")))?;
    audit(
        &mut tx,
        Some(by),
        "qualification.grant",
        &format!("qualification:{id}"),
        &format!("user:{} {}: {reason}", user.0, training.title),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a qualification, with a reason; audited.
pub async fn revoke(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    id: i64,
    reason: &str,
) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            Text::GiveAReasonForRevokingIt.get(lang),
        )]));
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let (_, partner) = store::qualification_owner(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::GrantQualificationsOf(partner)) {
        return Err(AppError::Forbidden);
    }
    if !store::revoke(&mut tx, Some(id), None, Some(by), reason, &now).await? {
        return Err(AppError::refused(
            "already-revoked",
            Text::AlreadyRevoked.get(lang),
            Text::ThisQualificationWasAlreadyRevoked.get(lang),
        ));
    }
    audit(
        &mut tx,
        Some(by),
        "qualification.revoke",
        &format!("qualification:{id}"),
        reason,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Qualifications: one's own; a school's teachers' (for its teachers); a partner's (for
/// its staff); everyone's (admins).
pub async fn qualifications(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    of: QualificationsOf,
) -> Result<Vec<Qualification>> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let allowed = match of {
        QualificationsOf::User(u) => u == user || actor.is_admin(),
        QualificationsOf::School(s) => allows(actor, Action::ViewSchool(s)),
        QualificationsOf::Partner(p) => {
            allows(actor, Action::GrantQualificationsOf(p))
                || allows(actor, Action::RunSessionsOf(p))
        }
        QualificationsOf::All => actor.is_admin(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok(db.qualifications(of, today(clock)).await?)
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
