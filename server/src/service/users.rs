//! The user administration: finding people, disabling and enabling accounts, taking roles
//! away (roles are given by invitation). Admins manage everyone; partner admins see the
//! people of their own partner service and may take those roles away.

use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::admin::UserRow;
use leenpunt_shared::*;

fn may_list(actor: &Actor) -> Result<()> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// People by name or e-mail. Partner admins see only those holding a role at their partner.
pub async fn list(db: &Db, actor: &Actor, query: &str) -> Result<Vec<UserRow>> {
    may_list(actor)?;
    let rows = db.users_overview(query).await?;
    if actor.is_admin() {
        return Ok(rows);
    }
    let mine: Vec<String> = {
        let partners = db.partners_brief().await?;
        partners
            .into_iter()
            .filter(|(_, _, id)| allows(actor, Action::ManageCatalogueOf(*id)))
            .map(|(_, name, _)| name)
            .collect()
    };
    Ok(rows
        .into_iter()
        .filter(|u| {
            u.roles
                .iter()
                .any(|r| r.role != Role::Teacher && mine.contains(&r.scope))
        })
        .collect())
}

/// Disables an account (and ends its sessions) or enables it again; admins only, never
/// one's own.
pub async fn set_disabled(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    user: UserId,
    disabled: bool,
) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    if !allows(actor, Action::ManageUsers) {
        return Err(AppError::Forbidden);
    }
    if user == by {
        return Err(AppError::refused(
            "own-account",
            Text::NotYourOwnAccount.get(lang),
            Text::YouCannotDisableYourOwnAccount.get(lang),
        ));
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    if !crate::db::accounts::set_disabled(&mut tx, user, disabled.then_some(now.as_str())).await? {
        return Err(AppError::NotFound);
    }
    crate::db::accounts::audit(
        &mut tx,
        Some(by),
        if disabled {
            "user.disable"
        } else {
            "user.enable"
        },
        &format!("user:{}", user.0),
        "",
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a role away: admins any, partner admins their own partner's desk staff and trainers.
pub async fn remove_role(db: &Db, clock: &dyn Clock, actor: &Actor, grant: i64) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let (user, role, partner) = db.grant_row(grant).await?.ok_or(AppError::NotFound)?;
    if !allows(actor, Action::Invite(role, partner)) {
        return Err(AppError::Forbidden);
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    crate::db::accounts::delete_grant(&mut tx, grant).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(by),
        "user.role-removed",
        &format!("user:{}", user.0),
        role.code(),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
