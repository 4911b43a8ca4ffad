//! The reminder job: before a pickup and on the evening before a return, each borrower
//! gets one mail in their language (and participants and trainers the day before a
//! training session) — exactly once per occasion, across restarts, missed
//! runs and several server instances (the claim is a database row, written in the same
//! transaction as the mail).

use crate::db::mail::enqueue;
use crate::db::reminders::{self as store, Candidate};
use crate::db::reservations as reservations_store;
use crate::db::Db;
use crate::domain::clock::{brussels_date, brussels_time, Clock};
use crate::domain::mail::Mail;
use crate::domain::reminders::{
    pickup_reminder_due, reminder_text, return_reminder_due, session_reminder_due,
    session_reminder_text, Occasion, SessionBrief, SessionRole, MAX_PICKUP_REMINDER_DAYS,
};
use crate::domain::reservations::OpenCalendar;
use crate::error::Result;
use chrono::{DateTime, Duration, NaiveDate};
use leenpunt_shared::{Email, Lang, PickupPointId, ReservationId, ReservationStatus};

fn date(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()
}

/// The reminders due now, found on a read connection (most minutes there are none, and
/// the job then never takes the write lock).
async fn due(db: &Db, clock: &dyn Clock) -> Result<Vec<(Occasion, Candidate)>> {
    let now = clock.now();
    let today = brussels_date(now);
    let local = brussels_time(now);
    let mut conn = db.read().await?;
    // Ten open days reach at most this far, even around the longest holidays.
    let reach = today + Duration::days(i64::from(MAX_PICKUP_REMINDER_DAYS) * 3 + 21);
    let mut due = Vec::new();
    for c in store::pickup_candidates(&mut conn, &today.to_string(), &reach.to_string()).await? {
        let (Some(pickup), Ok(made)) = (date(&c.day), DateTime::parse_from_rfc3339(&c.created_at))
        else {
            continue;
        };
        let closed =
            reservations_store::closed_periods(&mut conn, PickupPointId(c.point), today, pickup)
                .await?;
        let calendar = OpenCalendar::new(c.weekdays, &closed);
        let made_on = brussels_date(made.to_utc());
        if pickup_reminder_due(today, pickup, made_on, c.reminder_days, &calendar) {
            due.push((Occasion::Pickup, c));
        }
    }
    let tomorrow = today + Duration::days(1);
    for c in store::return_candidates(&mut conn, &today.to_string(), &tomorrow.to_string()).await? {
        if date(&c.day).is_some_and(|d| return_reminder_due(local, d)) {
            due.push((Occasion::Return, c));
        }
    }
    Ok(due)
}

/// Sends every reminder that is due (loans and trainings); returns how many went out.
pub async fn send_reminders(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    Ok(send_loan_reminders(db, clock, public_url).await?
        + send_session_reminders(db, clock, public_url).await?)
}

/// Training reminders: participants and trainers, the day before (from 08:00).
pub async fn send_session_reminders(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    let now = clock.now();
    let local = brussels_time(now);
    let from = now.to_rfc3339();
    let until = (now + Duration::days(2)).to_rfc3339();
    let mut due = Vec::new();
    {
        let mut conn = db.read().await?;
        for (role, trainers) in [
            (SessionRole::Participant, false),
            (SessionRole::Trainer, true),
        ] {
            for c in store::session_candidates(&mut conn, trainers, &from, &until).await? {
                let Ok(starts) = DateTime::parse_from_rfc3339(&c.starts_at) else {
                    continue;
                };
                if session_reminder_due(local, brussels_time(starts.to_utc())) {
                    due.push((role, c));
                }
            }
        }
    }
    let stamp = now.to_rfc3339();
    let base = public_url.trim_end_matches('/');
    let mut sent = 0;
    for (role, c) in due {
        let (Ok(to), Ok(starts), Ok(ends)) = (
            Email::parse(&c.email),
            DateTime::parse_from_rfc3339(&c.starts_at),
            DateTime::parse_from_rfc3339(&c.ends_at),
        ) else {
            continue;
        };
        let mut tx = db.begin().await?;
        if !store::claim(&mut tx, &role.key(c.session, c.user, &c.starts_at), &stamp).await? {
            continue;
        }
        let trainer = role == SessionRole::Trainer;
        if !store::session_still(&mut tx, &c, trainer).await? {
            continue;
        }
        let roster = if trainer {
            store::roster(&mut tx, c.session).await?
        } else {
            Vec::new()
        };
        let link = if trainer {
            format!("{base}/opleidingen/sessies/{}", c.session)
        } else {
            format!("{base}/mijn-opleidingen")
        };
        let brief = SessionBrief {
            person: &c.name,
            title: &c.title,
            starts: brussels_time(starts.to_utc()),
            ends: brussels_time(ends.to_utc()),
            place: &c.place,
            link: &link,
        };
        let lang = Lang::parse(&c.lang).unwrap_or(Lang::Nl);
        let (subject, body) = session_reminder_text(role, lang, &brief, &roster);
        enqueue(&mut tx, &Mail { to, subject, body }, &stamp).await?;
        tx.commit().await.map_err(crate::db::DbError::from)?;
        sent += 1;
    }
    Ok(sent)
}

/// Loan reminders: before a pickup and on the evening before a return.
pub async fn send_loan_reminders(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    let due = due(db, clock).await?;
    let now = clock.now().to_rfc3339();
    let base = public_url.trim_end_matches('/');
    let mut sent = 0;
    for (occasion, c) in due {
        let Some(day) = date(&c.day) else { continue };
        let mut tx = db.begin().await?;
        if !store::claim(&mut tx, &occasion.key(c.id, day), &now).await? {
            continue; // Another run or instance sent it.
        }
        // Read again under the write lock: a reservation cancelled, moved or picked up
        // since gets nothing (the claim rolls back with the transaction).
        let Some(record) = reservations_store::record_by_id(&mut tx, ReservationId(c.id)).await?
        else {
            continue;
        };
        let r = &record.view;
        let still = match occasion {
            Occasion::Pickup => r.status == ReservationStatus::Confirmed && r.pickup_date == c.day,
            Occasion::Return => r.status == ReservationStatus::PickedUp && r.return_date == c.day,
        };
        let Ok(to) = Email::parse(&record.user_email) else {
            continue;
        };
        if !still {
            continue;
        }
        let page = format!("{base}/mijn-reservaties");
        let ics = format!("{base}/api/v1/reservations/{}/ics", c.id);
        let (subject, body) = reminder_text(
            occasion,
            record.user_lang,
            r,
            &c.opening_hours,
            (&page, &ics),
        );
        enqueue(&mut tx, &Mail { to, subject, body }, &now).await?;
        tx.commit().await.map_err(crate::db::DbError::from)?;
        sent += 1;
    }
    Ok(sent)
}
