//! Form drafts: when a long server-rendered form (a kit type's) is refused, what was typed
//! is kept here for half an hour under a random id, so the form comes back filled in with
//! the messages next to their fields instead of losing the work. Per instance, in memory:
//! behind a load balancer without sticky sessions a draft may be missed, and the form then
//! shows the stored values with the messages.

use leenpunt_shared::{FieldError, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEEP: Duration = Duration::from_secs(30 * 60);
const MAX: usize = 1000;

struct Entry {
    at: Instant,
    owner: UserId,
    fields: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

/// What was typed in a refused form, and why it was refused.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub fields: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

#[derive(Clone, Default)]
pub struct FormDrafts(Arc<Mutex<HashMap<String, Entry>>>);

impl FormDrafts {
    /// Keeps a refused form; returns its id.
    pub fn keep(
        &self,
        owner: UserId,
        fields: Vec<(String, String)>,
        errors: Vec<FieldError>,
    ) -> String {
        let id = crate::service::signup::random_token();
        let mut drafts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        drafts.retain(|_, d| d.at.elapsed() < KEEP);
        if drafts.len() >= MAX {
            if let Some(oldest) = drafts
                .iter()
                .min_by_key(|(_, d)| d.at)
                .map(|(k, _)| k.clone())
            {
                drafts.remove(&oldest);
            }
        }
        drafts.insert(
            id.clone(),
            Entry {
                at: Instant::now(),
                owner,
                fields,
                errors,
            },
        );
        id
    }

    /// A draft, for its owner only.
    pub fn get(&self, id: &str, owner: Option<UserId>) -> Option<Draft> {
        let drafts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        drafts
            .get(id)
            .filter(|d| Some(d.owner) == owner && d.at.elapsed() < KEEP)
            .map(|d| Draft {
                fields: d.fields.clone(),
                errors: d.errors.clone(),
            })
    }
}

/// Back to a form after a post: refused for a field's sake, what was typed is kept as a
/// draft (`?concept=<id>`) so the form comes back filled in, with each message at its field.
pub(crate) fn back(
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
            let draft = state.drafts.keep(user, fields, errors.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_for_its_owner_only() {
        let drafts = FormDrafts::default();
        let id = drafts.keep(
            UserId(1),
            vec![("title".into(), "x".into())],
            vec![FieldError::new("title", "te kort")],
        );
        assert_eq!(drafts.get(&id, Some(UserId(1))).unwrap().fields[0].1, "x");
        assert!(drafts.get(&id, Some(UserId(2))).is_none());
        assert!(drafts.get(&id, None).is_none());
        assert!(drafts.get("onbekend", Some(UserId(1))).is_none());
    }
}
