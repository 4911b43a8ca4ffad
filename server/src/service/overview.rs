//! The managers' home (`/beheer`): what needs attention now.

use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::Actor;
use crate::error::Result;
use crate::service::handover::label_partners;
use leenpunt_shared::admin::Overview;

/// Counts for the partner services the asker manages (all of them for admins).
pub async fn overview(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<Overview> {
    let partners = label_partners(actor)?;
    Ok(db.overview(partners.as_deref(), today(clock)).await?)
}
