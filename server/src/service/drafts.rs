//! Form drafts: when a long server-rendered form (a kit type's, a register's) is refused,
//! what was typed is kept for half an hour under a random id, so the form comes back filled
//! in with the messages next to their fields instead of losing the work. Kept in the
//! database, so the page that shows the draft may be served by another instance than the
//! one that refused the form.

use crate::db::drafts::StoredDraft;
use crate::db::Db;
use crate::domain::clock::SharedClock;
use crate::error::Result;
use crate::service::accounts::token_hash;
use chrono::Duration;
use leenpunt_shared::{FieldError, UserId};

/// How long a draft is kept.
const KEEP: Duration = Duration::minutes(30);
/// Drafts kept per person at most: a new one pushes out the oldest.
const PER_OWNER: u32 = 20;
/// The most of what was typed that one draft keeps (JSON bytes); past it only the messages
/// are kept and the form shows the stored values next to them.
const MAX_FIELDS_BYTES: usize = 256 * 1024;

/// What was typed in a refused form, and why it was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub fields: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

/// The drafts, in the database, stamped with the application's clock.
#[derive(Clone)]
pub struct FormDrafts {
    db: Db,
    clock: SharedClock,
}

impl FormDrafts {
    pub fn new(db: Db, clock: SharedClock) -> Self {
        FormDrafts { db, clock }
    }

    /// Keeps a refused form; returns its id (for the `?concept=` of the form's address).
    pub async fn keep(
        &self,
        owner: UserId,
        fields: Vec<(String, String)>,
        errors: Vec<FieldError>,
    ) -> Result<String> {
        let id = crate::service::signup::random_token();
        let now = self.clock.now();
        let stored = StoredDraft {
            fields: bounded_fields(&fields),
            errors: serde_json::to_string(&errors).map_err(anyhow::Error::from)?,
        };
        self.db
            .keep_draft(
                &token_hash(&id),
                owner,
                &stored,
                &now.to_rfc3339(),
                &(now - KEEP).to_rfc3339(),
                PER_OWNER,
            )
            .await?;
        Ok(id)
    }

    /// A draft, for its owner only, while it is kept.
    pub async fn get(&self, id: &str, owner: Option<UserId>) -> Result<Option<Draft>> {
        let Some(owner) = owner else {
            return Ok(None);
        };
        let not_before = (self.clock.now() - KEEP).to_rfc3339();
        let Some(stored) = self.db.draft(&token_hash(id), owner, &not_before).await? else {
            return Ok(None);
        };
        // Written by `keep` above; a row that does not read back is treated as no draft.
        Ok(Some(Draft {
            fields: serde_json::from_str(&stored.fields).unwrap_or_default(),
            errors: serde_json::from_str(&stored.errors).unwrap_or_default(),
        }))
    }
}

/// What was typed, as JSON, or nothing when it is larger than a draft keeps.
fn bounded_fields(fields: &[(String, String)]) -> String {
    match serde_json::to_string(fields) {
        Ok(json) if json.len() <= MAX_FIELDS_BYTES => json,
        _ => "[]".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_form_keeps_no_fields() {
        let small = vec![("title".to_owned(), "Bee-Bots".to_owned())];
        assert_eq!(bounded_fields(&small), r#"[["title","Bee-Bots"]]"#);
        let big = vec![("body".to_owned(), "x".repeat(MAX_FIELDS_BYTES))];
        assert_eq!(bounded_fields(&big), "[]");
    }

    #[tokio::test]
    async fn a_draft_is_its_owners_for_half_an_hour() {
        use crate::domain::clock::{FixedClock, SettableClock};
        let db = Db::open("sqlite::memory:").await.unwrap();
        for id in 1..=2 {
            db.exec_for_test(&format!(
                "INSERT INTO users (id, email, name, created_at) VALUES ({id}, 'u{id}@school.be', 'X', '')"
            ))
            .await;
        }
        let start = FixedClock::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).0;
        let clock = std::sync::Arc::new(SettableClock::new(start));
        let drafts = FormDrafts::new(db.clone(), clock.clone());
        let fields = vec![("title".to_owned(), "x".to_owned())];
        let errors = vec![FieldError::new("title", "te kort")];
        let id = drafts
            .keep(UserId(1), fields.clone(), errors.clone())
            .await
            .unwrap();
        let kept = drafts.get(&id, Some(UserId(1))).await.unwrap().unwrap();
        assert_eq!(kept, Draft { fields, errors });
        assert!(drafts.get(&id, Some(UserId(2))).await.unwrap().is_none());
        assert!(drafts.get(&id, None).await.unwrap().is_none());
        assert!(drafts
            .get("onbekend", Some(UserId(1)))
            .await
            .unwrap()
            .is_none());
        // Only the hash of the id is stored.
        let stored = db
            .scalar_for_test(&format!(
                "SELECT count(*) FROM form_drafts WHERE id_hash = '{id}'"
            ))
            .await;
        assert_eq!(stored, 0);

        clock.set(start + Duration::minutes(29));
        assert!(drafts.get(&id, Some(UserId(1))).await.unwrap().is_some());
        clock.set(start + Duration::minutes(31));
        assert!(drafts.get(&id, Some(UserId(1))).await.unwrap().is_none());

        // A new draft removes the expired one, and a person keeps at most PER_OWNER.
        let mut ids = Vec::new();
        for _ in 0..PER_OWNER + 3 {
            ids.push(
                drafts
                    .keep(UserId(1), Vec::new(), Vec::new())
                    .await
                    .unwrap(),
            );
        }
        let rows = db.scalar_for_test("SELECT count(*) FROM form_drafts").await;
        assert_eq!(rows, i64::from(PER_OWNER));
        assert!(drafts
            .get(&ids[0], Some(UserId(1)))
            .await
            .unwrap()
            .is_none());
        let last = ids.last().unwrap();
        assert!(drafts.get(last, Some(UserId(1))).await.unwrap().is_some());
    }
}
