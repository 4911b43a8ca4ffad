//! Password hashing and checking on a bounded pool.
//!
//! argon2 is expensive on purpose (about 19 MiB and tens of milliseconds per hash). Left
//! unbounded, a burst of sign-ups or logins runs hundreds at once, takes gigabytes and
//! starves everything else. Here at most one hash per core runs at a time, the rest wait
//! in line (first come, first served), and a request that would wait too long, or find
//! the line too long, is turned away (503 + Retry-After) instead.

use crate::db::DbError;
use crate::domain::auth::{hash_password, verify_password};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Hashes allowed to wait for a core at once.
const QUEUE_LIMIT: usize = 512;
/// The longest a request waits for a core.
const WAIT: Duration = Duration::from_secs(20);

struct Pool {
    cores: Arc<Semaphore>,
    waiting: AtomicUsize,
}

static POOL: LazyLock<Pool> = LazyLock::new(|| Pool {
    cores: Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    )),
    waiting: AtomicUsize::new(0),
});

/// Hashes a new password (argon2id).
pub async fn hash(password: &str) -> Result<String, DbError> {
    let password = password.to_owned();
    run(move || hash_password(&password)).await
}

/// Checks a password against a stored hash.
pub async fn verify(password: &str, hash: &str) -> Result<bool, DbError> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    run(move || verify_password(&password, &hash)).await
}

async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, DbError> {
    let pool = &*POOL;
    let before = pool.waiting.fetch_add(1, Ordering::AcqRel);
    let permit = if before >= QUEUE_LIMIT {
        Err(DbError::Busy("too many password checks waiting"))
    } else {
        match tokio::time::timeout(WAIT, pool.cores.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(DbError::Busy("password checks queued too long")),
        }
    };
    pool.waiting.fetch_sub(1, Ordering::AcqRel);
    let permit = permit?;
    // The permit travels with the work: a caller that is dropped meanwhile does not free
    // the core before the hash is done.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| DbError::Task(format!("password task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies_through_the_pool() {
        let h = hash("een lang wachtwoord").await.unwrap();
        assert!(verify("een lang wachtwoord", &h).await.unwrap());
        assert!(!verify("een ander wachtwoord", &h).await.unwrap());
    }
}
