//! The reminder job: before a pickup and on the evening before a return, each borrower
//! gets one mail in their language (and participants and trainers the day before a
//! training session), and desk staff a digest of their day each morning — exactly once
//! per occasion, across restarts, missed runs and several server instances (the claim is
//! a database row, written in the same transaction as the mail).

use crate::db::mail::enqueue;
use crate::db::reminders::{self as store, Candidate};
use crate::db::reservations as reservations_store;
use crate::db::Db;
use crate::domain::clock::{brussels_date, brussels_time, Clock};
use crate::domain::reminders::{
    digest_due, digest_key, digest_mail, pickup_reminder_due, reminder_mail, return_reminder_due,
    session_reminder_due, session_reminder_mail, DeskDigest, DigestLinks, Occasion, SessionBrief,
    SessionRole, MAX_PICKUP_REMINDER_DAYS,
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
    // Closed days are read once per pickup point, up to the furthest reach.
    let mut closed_at = std::collections::HashMap::new();
    let tomorrow = today + Duration::days(1);
    let (first, last) = (tomorrow.to_string(), reach.to_string());
    for c in store::pickup_candidates(&mut conn, &first, &last).await? {
        let (Some(pickup), Ok(made)) = (date(&c.day), DateTime::parse_from_rfc3339(&c.created_at))
        else {
            continue;
        };
        let closed = match closed_at.entry(c.point) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                reservations_store::closed_periods(&mut conn, PickupPointId(c.point), today, reach)
                    .await?,
            ),
        };
        let calendar = OpenCalendar::new(c.weekdays, closed);
        let made_on = brussels_date(made.to_utc());
        if pickup_reminder_due(today, pickup, made_on, c.reminder_days, &calendar) {
            due.push((Occasion::Pickup, c));
        }
    }
    for c in store::return_candidates(&mut conn, &today.to_string(), &tomorrow.to_string()).await? {
        if date(&c.day).is_some_and(|d| return_reminder_due(local, d)) {
            due.push((Occasion::Return, c));
        }
    }
    Ok(due)
}

/// Sends every reminder and digest that is due (loans, trainings, desks); returns how many
/// went out. `digest_hour` is the local hour the desks' digests start.
pub async fn send_reminders(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    digest_hour: u32,
) -> Result<usize> {
    Ok(send_loan_reminders(db, clock, public_url).await?
        + send_session_reminders(db, clock, public_url).await?
        + send_desk_digests(db, clock, public_url, digest_hour).await?)
}

/// The desks' morning digest: from `hour` (local), each ambassador and partner admin who
/// wants it gets one mail about today at their partner services' pickup points — pickups,
/// returns, overdue loans, requests awaiting approval and units in maintenance. The day is
/// decided once per person (claimed even when empty, so nothing turns up at noon as a
/// "morning" digest); an empty day sends nothing.
pub async fn send_desk_digests(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    hour: u32,
) -> Result<usize> {
    let now = clock.now();
    let local = brussels_time(now);
    if !digest_due(local, hour) {
        return Ok(0);
    }
    let today = local.date();
    let recipients = {
        let mut conn = db.read().await?;
        store::digest_recipients(&mut conn, &today.to_string()).await?
    };
    let stamp = now.to_rfc3339();
    let base = public_url.trim_end_matches('/');
    let links = (
        format!("{base}/balie/vandaag"),
        format!("{base}/balie?status=aangevraagd"),
        format!("{base}/mijn-account"),
    );
    let links = DigestLinks {
        today: &links.0,
        approvals: &links.1,
        account: &links.2,
    };
    let mut sent = 0;
    // People of the same partner services share one day: it is read once.
    let mut days: std::collections::HashMap<Vec<i64>, DeskDigest> = Default::default();
    for r in recipients {
        let mut key: Vec<i64> = r.partners.iter().map(|p| p.0).collect();
        key.sort_unstable();
        let digest = match days.get(&key) {
            Some(d) => d.clone(),
            None => {
                let day = super::handover::desk_today(db, Some(&r.partners), today).await?;
                let overview = db.overview(Some(&r.partners), today).await?;
                let d = DeskDigest {
                    pickups: day.pickups,
                    returns: day.returns,
                    overdue: day.overdue,
                    awaiting_approval: overview.awaiting_approval,
                    maintenance: overview.maintenance,
                };
                days.insert(key, d.clone());
                d
            }
        };
        let mut tx = db.begin().await?;
        if !store::claim(&mut tx, &digest_key(r.user, today), &stamp).await? {
            continue; // Another run or instance decided this day.
        }
        if let (false, Ok(to)) = (digest.is_empty(), Email::parse(&r.email)) {
            let lang = Lang::parse(&r.lang).unwrap_or(Lang::Nl);
            let mail = digest_mail(lang, &to, &r.name, today, &digest, &links);
            enqueue(&mut tx, &mail, &stamp).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
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
    let account = format!("{base}/mijn-account");
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
            account: &account,
        };
        let lang = Lang::parse(&c.lang).unwrap_or(Lang::Nl);
        let mail = session_reminder_mail(role, lang, &to, &brief, &roster);
        enqueue(&mut tx, &mail, &stamp).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Loan reminders: before a pickup and on the evening before a return.
pub async fn send_loan_reminders(db: &Db, clock: &dyn Clock, public_url: &str) -> Result<usize> {
    let due = due(db, clock).await?;
    let now = clock.now().to_rfc3339();
    let base = public_url.trim_end_matches('/');
    let account = format!("{base}/mijn-account");
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
        let mail = reminder_mail(
            occasion,
            record.user_lang,
            &to,
            r,
            &c.opening_hours,
            (&page, &ics, &account),
        );
        enqueue(&mut tx, &mail, &now).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
