//! Scheduled work: the jobs that run by themselves, once a minute. Each job is an ordinary
//! service function (tests call them with a clock of their choosing); this only loops.

use crate::db::Db;
use crate::domain::clock::{Clock, SharedClock};
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60);

/// Starts the scheduler: lapses waiting-list offers that were not accepted in time (and
/// offers their units to the next in line), and releases conditional reservations whose
/// training passed without attendance; marks overdue loans (mailing their borrowers and
/// warning the next ones) and no-shows; reminds borrowers before a pickup and a return, participants and trainers before a session, and sends the desks' morning digest; once a day removes what is kept past its retention period. Each step is idempotent, so running every minute
/// costs a few small queries and a restart never misses a day.
/// What the jobs need from the configuration.
#[derive(Debug, Clone)]
pub struct JobSettings {
    pub public_url: String,
    pub digest_hour: u32,
    pub retention: leenpunt_shared::privacy::Retention,
}

impl JobSettings {
    pub fn from_config(config: &crate::config::Config) -> JobSettings {
        JobSettings {
            public_url: config.public_url(),
            digest_hour: config.digest_hour,
            retention: config.retention,
        }
    }
}

pub fn spawn_scheduler(db: Db, clock: SharedClock, settings: JobSettings) {
    tokio::spawn(async move {
        loop {
            run_once(&db, clock.as_ref(), &settings).await;
            tokio::time::sleep(EVERY).await;
        }
    });
}

/// Claims `job` for this pass (`None`: another instance is running it right now, or the
/// claim failed, which is logged; the job then waits for the next pass).
async fn claim(db: &Db, job: &str) -> Option<crate::db::jobs::JobClaim> {
    match db.claim_job(job).await {
        Ok(Some(claim)) => Some(claim),
        Ok(None) => {
            tracing::debug!(job, "running on another instance; skipped this pass");
            None
        }
        Err(e) => {
            tracing::error!(job, error = %e, "claiming a job");
            None
        }
    }
}

/// Lets a job's claim go once the job has run.
async fn release(job: &str, claim: crate::db::jobs::JobClaim) {
    if let Err(e) = claim.release().await {
        tracing::error!(job, error = %e, "releasing a job's claim");
    }
}

/// One pass of every job, logging what each did (a failing job does not stop the others).
/// Each job runs under its claim ([`Db::claim_job`]), so with several instances on one
/// database a job runs on one of them at a time and each occasion is handled once.
pub async fn run_once(db: &Db, clock: &dyn Clock, settings: &JobSettings) {
    let public_url = settings.public_url.as_str();
    if let Some(c) = claim(db, "lapse-offers").await {
        match super::reservations::lapse_offers(db, clock, public_url).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(lapsed = n, "waiting-list offers lapsed"),
            Err(e) => tracing::error!(error = %e, "lapsing offers"),
        }
        release("lapse-offers", c).await;
    }
    if let Some(c) = claim(db, "overdue-no-shows").await {
        match super::handover::daily(db, clock, public_url).await {
            Ok((0, 0)) => {}
            Ok((overdue, no_shows)) => tracing::info!(overdue, no_shows, "loans checked"),
            Err(e) => tracing::error!(error = %e, "checking overdue loans and no-shows"),
        }
        release("overdue-no-shows", c).await;
    }
    if let Some(c) = claim(db, "conditional-releases").await {
        match super::trainings::settle_past_sessions(db, clock, public_url).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(settled = n, "conditional reservations settled"),
            Err(e) => tracing::error!(error = %e, "settling conditional reservations"),
        }
        release("conditional-releases", c).await;
    }
    if let Some(c) = claim(db, "reminders").await {
        match super::reminders::send_reminders(db, clock, public_url, settings.digest_hour).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "reminders sent"),
            Err(e) => tracing::error!(error = %e, "sending reminders"),
        }
        release("reminders", c).await;
    }
    if let Some(c) = claim(db, "retention").await {
        match super::privacy::apply_retention(db, clock, &settings.retention, public_url).await {
            Ok(None) => {}
            Ok(Some(removed)) => tracing::info!(removed = %removed.detail(), "retention applied"),
            Err(e) => tracing::error!(error = %e, "applying retention"),
        }
        release("retention", c).await;
    }
}
