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
/// on any instance), recording what it removed in the audit log: old records go, farewell
/// mails never delivered go after a day, and accounts inactive for the configured school
/// years are warned, then anonymised (`super::erasure::handle_inactive`). `None` when the
/// day's run was done already. `public_url` is for the warning mail's sign-in link.
pub async fn apply_retention(
    db: &Db,
    clock: &dyn Clock,
    retention: &Retention,
    public_url: &str,
) -> Result<Option<Removed>> {
    let now = clock.now();
    let stamp = now.to_rfc3339();
    let mut tx = db.begin().await?;
    if !claim(&mut tx, &retention_key(brussels_date(now)), &stamp).await? {
        return Ok(None);
    }
    let mut removed = store::apply_retention(&mut tx, &cutoffs(now, retention)).await?;
    let a_day_ago = (now - chrono::Duration::days(1)).to_rfc3339();
    removed.mails += crate::db::erasure::forget_undelivered_farewells(&mut tx, &a_day_ago).await?;
    let inactive = super::erasure::handle_inactive(&mut tx, now, retention, public_url).await?;
    removed.warned = inactive.warned;
    removed.anonymised = inactive.erased;
    audit(
        &mut tx,
        None,
        "privacy.retention",
        "retention",
        &removed.detail(),
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(removed))
}

/// Everything held about a person: the asker's own, or anyone's for an admin (on request).
pub async fn personal_data(
    db: &Db,
    clock: &dyn Clock,
    actor: &crate::domain::policy::Actor,
    person: leenpunt_shared::UserId,
) -> Result<leenpunt_shared::privacy::PersonalData> {
    use crate::error::AppError;
    let own = actor.user == Some(person);
    if !own && !actor.is_admin() {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::NotFound
        });
    }
    let me = db.me(person).await?.ok_or(AppError::NotFound)?;
    let plan = crate::domain::privacy::export_plan(&crate::domain::privacy::inventory());
    let tables = db.personal_data(person, &me.email, &plan).await?;
    Ok(leenpunt_shared::privacy::PersonalData {
        generated_at: clock.now().to_rfc3339(),
        person,
        tables,
    })
}
