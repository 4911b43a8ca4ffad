//! Training types: listing, creating and editing, deleting one nobody uses.

use crate::db::accounts::audit;
use crate::db::trainings as store;
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::trainings::{self as rules, TrainingInput};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::*;

/// Training types, one partner's when a slug is given.
pub async fn trainings(db: &Db, partner: Option<&str>) -> Result<Vec<Training>> {
    let partner = match partner.filter(|p| !p.is_empty()) {
        Some(slug) => Some(db.partner_id(slug).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    Ok(db.trainings(partner).await?)
}

fn field_errors(errors: Vec<(&'static str, String)>) -> AppError {
    AppError::Validation(
        errors
            .into_iter()
            .map(|(f, m)| FieldError::new(f, m))
            .collect(),
    )
}

/// Creates a training type (`slug` None) or changes one.
pub async fn save_training(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: Option<&str>,
    form: &TrainingForm,
) -> Result<Training> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let fields = rules::check_training(
        &TrainingInput {
            title: &form.title,
            description: &form.description,
            duration_minutes: &form.duration_minutes,
            validity_months: &form.validity_months,
        },
        lang,
    )
    .map_err(field_errors)?;
    let values = store::TrainingValues {
        title: &fields.title,
        description: &fields.description,
        duration_minutes: fields.duration_minutes,
        validity_months: fields.validity_months,
    };
    let mut tx = db.begin().await?;
    let slug = match slug {
        Some(slug) => {
            let row = store::training_row(&mut tx, slug)
                .await?
                .ok_or(AppError::NotFound)?;
            if !allows(actor, Action::ManageTrainingsOf(row.partner)) {
                return Err(AppError::Forbidden);
            }
            store::update_training(&mut tx, row.id, &values).await?;
            audit(
                &mut tx,
                Some(user),
                "training.update",
                &format!("training:{slug}"),
                &fields.title,
                &now,
            )
            .await?;
            slug.to_owned()
        }
        None => {
            let partner = db.partner_id(form.partner.trim()).await?.ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    "partner",
                    if lang == Lang::Nl {
                        "Kies een partnerorganisatie."
                    } else {
                        "Choose a partner service."
                    },
                )])
            })?;
            if !allows(actor, Action::ManageTrainingsOf(partner)) {
                return Err(AppError::Forbidden);
            }
            let slug = Slug::from_title(&fields.title).map_err(|_| {
                AppError::Validation(vec![FieldError::new(
                    "title",
                    if lang == Lang::Nl {
                        "Gebruik letters of cijfers in de titel."
                    } else {
                        "Use letters or digits in the title."
                    },
                )])
            })?;
            store::insert_training(&mut tx, partner, slug.as_str(), &values)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::Conflict(_) => AppError::Validation(vec![FieldError::new(
                        "title",
                        if lang == Lang::Nl {
                            "Er bestaat al een opleiding met die titel."
                        } else {
                            "A training with that title already exists."
                        },
                    )]),
                    other => other,
                })?;
            audit(
                &mut tx,
                Some(user),
                "training.create",
                &format!("training:{slug}"),
                &fields.title,
                &now,
            )
            .await?;
            slug.as_str().to_owned()
        }
    };
    tx.commit().await?;
    Ok(db.training(&slug).await?.ok_or(AppError::NotFound)?.0)
}

/// Deletes a training type that nothing uses yet; one a kit type requires, or with
/// sessions or holders, is refused.
pub async fn delete_training(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: &str,
) -> Result<()> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mut tx = db.begin().await?;
    let row = store::training_row(&mut tx, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageTrainingsOf(row.partner)) {
        return Err(AppError::Forbidden);
    }
    if store::training_in_use(&mut tx, row.id).await? {
        return Err(AppError::refused(
            "training-in-use",
            Text::ThisTrainingIsInUse.get(lang),
            Text::MaterialRequiresThisTrainingOrIt.get(lang),
        ));
    }
    store::delete_training(&mut tx, row.id).await?;
    audit(
        &mut tx,
        Some(user),
        "training.delete",
        &format!("training:{slug}"),
        &row.title,
        &clock.now().to_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
