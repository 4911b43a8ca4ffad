//! Back to a refused no-JavaScript form with what was typed: the draft itself is kept by
//! [`crate::service::drafts`] (in the database, so any instance can show it).

/// Back to a form after a post: refused for a field's sake, what was typed is kept as a
/// draft (`?concept=<id>`) so the form comes back filled in, with each message at its field.
pub(crate) async fn back(
    state: &crate::state::AppState,
    who: &super::auth::Who,
    target: &str,
    ok: &str,
    lang: leenpunt_shared::Lang,
    fields: Vec<(String, String)>,
    outcome: crate::error::Result<()>,
) -> crate::error::Result<axum::response::Response> {
    use crate::error::AppError;
    match (outcome, who.0.user) {
        (Err(AppError::Validation(errors)), Some(user)) => {
            let draft = state.drafts.keep(user, fields, errors.clone()).await?;
            super::redirect_with_outcome(
                &format!("{target}?concept={draft}"),
                ok,
                lang,
                Err(AppError::Validation(errors)),
            )
        }
        (outcome, _) => super::redirect_with_outcome(target, ok, lang, outcome),
    }
}
