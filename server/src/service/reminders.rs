//! The reminder job: before a pickup and on the evening before a return, each borrower
//! gets one mail in their language — exactly once per occasion, across restarts, missed
//! runs and several server instances (the claim is a database row, written in the same
//! transaction as the mail).

use crate::db::mail::enqueue;
use crate::db::reminders::{self as store, Candidate};
use crate::db::reservations as reservations_store;
use crate::db::Db;
use crate::domain::clock::{brussels_date, brussels_time, Clock};
use crate::domain::mail::Mail;
use crate::domain::reminders::{
    pickup_reminder_due, reminder_text, return_reminder_due, Occasion, MAX_PICKUP_REMINDER_DAYS,
};
use crate::domain::reservations::OpenCalendar;
use crate::error::Result;
use chrono::{DateTime, Duration, NaiveDate};
use leenpunt_shared::{Email, PickupPointId, ReservationId, ReservationStatus};

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

/// Sends every reminder that is due; returns how many went out.
pub async fn send_reminders(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
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
