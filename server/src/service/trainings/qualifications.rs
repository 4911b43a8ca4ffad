//! Qualifications: granted by hand, taken back, and listed.

use super::sessions::parse_day;
use crate::db::accounts::audit;
use crate::db::trainings::{self as store, NewQualification, QualificationsOf};
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::trainings::{self as rules};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::*;

/// Grants a qualification by hand (trained elsewhere), with a reason; audited.
pub async fn grant_by_hand(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &GrantBody,
) -> Result<i64> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    // Only those who may grant some qualification learn anything from this endpoint (such
    // as whether an address has an account): everyone else is refused before any lookup.
    let may_grant_some = actor.is_admin()
        || actor.grants.iter().any(|g| {
            g.partner
                .is_some_and(|p| allows(actor, Action::GrantQualificationsOf(p)))
        });
    if !may_grant_some {
        return Err(AppError::Forbidden);
    }
    let now = clock.now().to_rfc3339();
    let mut errors = Vec::new();
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.push(FieldError::new(
            "reason",
            Text::GiveAReasonForExampleWhere.get(lang),
        ));
    }
    let granted_on = if body.granted_on.trim().is_empty() {
        Some(today(clock))
    } else {
        parse_day(&body.granted_on).filter(|d| *d <= today(clock))
    };
    if granted_on.is_none() {
        errors.push(FieldError::new(
            "granted_on",
            Text::ChooseADateTodayOrEarlier.get(lang),
        ));
    }
    let mut tx = db.begin().await?;
    let training = store::training_row(&mut tx, body.training.trim()).await?;
    if let Some(t) = &training {
        if !allows(actor, Action::GrantQualificationsOf(t.partner)) {
            return Err(AppError::Forbidden);
        }
    }
    if training.is_none() {
        errors.push(FieldError::new("training", Text::ChooseATraining.get(lang)));
    }
    let user = match Email::parse(body.email.trim()) {
        Ok(e) => store::user_by_email(&mut tx, e.as_str()).await?,
        Err(_) => None,
    };
    if user.is_none() {
        errors.push(FieldError::new(
            "email",
            Text::NoAccountWithThatEMail.get(lang),
        ));
    }
    let (Some(training), Some((user, _)), Some(granted_on), true) =
        (training, user, granted_on, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    if !allows(actor, Action::GrantQualificationsOf(training.partner)) {
        return Err(AppError::Forbidden);
    }
    let id = store::grant(
        &mut tx,
        &NewQualification {
            user,
            training: training.id,
            session: None,
            granted_on,
            valid_until: rules::valid_until(granted_on, training.validity_months),
            granted_by: Some(by),
            reason,
        },
        &now,
    )
    .await?
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("grant by hand inserted nothing")))?;
    audit(
        &mut tx,
        Some(by),
        "qualification.grant",
        &format!("qualification:{id}"),
        &format!("user:{} {}: {reason}", user.0, training.title),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a qualification, with a reason; audited.
pub async fn revoke(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    id: i64,
    reason: &str,
) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            Text::GiveAReasonForRevokingIt.get(lang),
        )]));
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let (_, partner) = store::qualification_owner(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::GrantQualificationsOf(partner)) {
        return Err(AppError::Forbidden);
    }
    if !store::revoke(&mut tx, Some(id), None, Some(by), reason, &now).await? {
        return Err(AppError::refused(
            "already-revoked",
            Text::AlreadyRevoked.get(lang),
            Text::ThisQualificationWasAlreadyRevoked.get(lang),
        ));
    }
    audit(
        &mut tx,
        Some(by),
        "qualification.revoke",
        &format!("qualification:{id}"),
        reason,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Qualifications: one's own; a school's teachers' (for its teachers); a partner's (for
/// its staff); everyone's (admins).
pub async fn qualifications(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    of: QualificationsOf,
) -> Result<Vec<Qualification>> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let allowed = match of {
        QualificationsOf::User(u) => u == user || actor.is_admin(),
        QualificationsOf::School(s) => allows(actor, Action::ViewSchool(s)),
        QualificationsOf::Partner(p) => {
            allows(actor, Action::GrantQualificationsOf(p))
                || allows(actor, Action::RunSessionsOf(p))
        }
        QualificationsOf::All => actor.is_admin(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok(db.qualifications(of, today(clock)).await?)
}
