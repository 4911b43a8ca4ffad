//! Periodic jobs run by one instance at a time (issue 17, docs/postgres.md "Jobs").
//!
//! Every job is idempotent: it reads what is due and writes that it was done, so running
//! it twice one after the other does nothing the second time. What must not happen is two
//! instances running the same job at the same moment, both reading the same occasion as
//! still due. A [`JobClaim`] rules that out: on PostgreSQL it is a transaction holding the
//! job's row in `job_claims`, taken with `FOR UPDATE SKIP LOCKED` (an instance that finds
//! it held skips the job for this pass: the holder does the work). Row claims, unlike
//! advisory locks, also work on the PostgreSQL-compatible distributed engines. On SQLite,
//! where instances share one file and the job's writes serialise on the write lock and
//! re-check what is due, there is nothing to hold.

use super::{Db, DbResult, Engine, Tx};

/// A job claimed by this instance until the claim is dropped (or [`JobClaim::release`]d).
pub struct JobClaim {
    tx: Option<Tx>,
}

impl JobClaim {
    /// Lets the job go (the claim's transaction wrote nothing; it ends here).
    pub async fn release(self) -> DbResult<()> {
        match self.tx {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}

impl Db {
    /// Claims `job` for this instance: `None` when another instance is running it now.
    pub async fn claim_job(&self, job: &str) -> DbResult<Option<JobClaim>> {
        if self.engine() == Engine::Sqlite {
            return Ok(Some(JobClaim { tx: None }));
        }
        // A job added after the migration that lists them gets its row here (committed
        // on its own, so no claim waits on it).
        sqlx::query("INSERT INTO job_claims (job) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(job)
            .execute(self.pool())
            .await?;
        let mut tx = self.begin().await?;
        let held: Option<String> = sqlx::query_scalar(&format!(
            "SELECT job FROM job_claims WHERE job = $1 {}",
            self.engine().skip_locked()
        ))
        .bind(job)
        .fetch_optional(&mut *tx)
        .await?;
        let got = held.is_some();
        if got {
            Ok(Some(JobClaim { tx: Some(tx) }))
        } else {
            tx.rollback().await?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn on_sqlite_a_job_is_always_claimed() {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let a = db.claim_job("reminders").await.unwrap();
        let b = db.claim_job("reminders").await.unwrap();
        assert!(a.is_some() && b.is_some());
        a.unwrap().release().await.unwrap();
    }
}
