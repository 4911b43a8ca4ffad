//! Privacy duties: the retention job and the facts of the privacy notice.

use crate::db::accounts::audit;
use crate::db::privacy as store;
use crate::db::reminders::claim;
use crate::db::Db;
use crate::domain::clock::{brussels_date, Clock};
use crate::domain::privacy::{cutoffs, retention_key, Removed};
use crate::error::Result;
use leenpunt_shared::privacy::Retention;

/// Applies the retention periods once per day (the first run of a Brussels day claims it,
/// on any instance), recording what it removed in the audit log. `None` when the day's
/// run was done already.
pub async fn apply_retention(
    db: &Db,
    clock: &dyn Clock,
    retention: &Retention,
) -> Result<Option<Removed>> {
    let now = clock.now();
    let stamp = now.to_rfc3339();
    let mut tx = db.begin().await?;
    if !claim(&mut tx, &retention_key(brussels_date(now)), &stamp).await? {
        return Ok(None);
    }
    let removed = store::apply_retention(&mut tx, &cutoffs(now, retention)).await?;
    audit(
        &mut tx,
        None,
        "privacy.retention",
        "retention",
        &removed.detail(),
        &stamp,
    )
    .await?;
    tx.commit().await.map_err(crate::db::DbError::from)?;
    Ok(Some(removed))
}
