//! Periodic jobs run by one instance at a time (issue 17, docs/postgres.md "Jobs").
//!
//! Every job is idempotent: it reads what is due and writes that it was done, so running
//! it twice one after the other does nothing the second time. What must not happen is two
//! instances running the same job at the same moment, both reading the same occasion as
//! still due. A [`JobClaim`] rules that out: on PostgreSQL it is a transaction holding the
//! job's transaction-level advisory lock, taken with `pg_try_advisory_xact_lock` (an
//! instance that finds it held skips the job for this pass: the holder does the work); on
//! SQLite, where instances share one file and the job's writes serialise on the write lock
//! and re-check what is due, there is nothing to hold.

use super::{Db, DbResult, Engine, Flag, Tx};

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

/// The advisory lock key of a job: a fixed 64-bit FNV-1a hash of its name.
fn job_key(job: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"leenpunt-job:".iter().chain(job.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

impl Db {
    /// Claims `job` for this instance: `None` when another instance is running it now.
    pub async fn claim_job(&self, job: &str) -> DbResult<Option<JobClaim>> {
        if self.engine() == Engine::Sqlite {
            return Ok(Some(JobClaim { tx: None }));
        }
        let mut tx = self.begin().await?;
        let Flag(got) = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(job_key(job))
            .fetch_one(&mut *tx)
            .await?;
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

    #[test]
    fn each_job_has_its_own_fixed_key() {
        assert_eq!(job_key("lapse-offers"), job_key("lapse-offers"));
        assert_ne!(job_key("lapse-offers"), job_key("reminders"));
    }

    #[tokio::test]
    async fn on_sqlite_a_job_is_always_claimed() {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let a = db.claim_job("reminders").await.unwrap();
        let b = db.claim_job("reminders").await.unwrap();
        assert!(a.is_some() && b.is_some());
        a.unwrap().release().await.unwrap();
    }
}
