//! Reading the audit log: filtered, newest first, in pages. (Entries are appended with
//! [`super::accounts::audit`]; the table refuses updates and deletes.)

use super::{Db, DbResult};
use leenpunt_shared::audit::{AuditFilter, AuditRow, ObjectMatch};
use leenpunt_shared::time::brussels_midnight_utc;

/// `%` and `_` typed by a person match themselves.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

impl Db {
    /// Entries matching `filter`, newest first, at most `limit`.
    pub async fn audit_rows(&self, filter: &AuditFilter, limit: u32) -> DbResult<Vec<AuditRow>> {
        let e = self.engine();
        let like = e.like();
        let mut q = crate::db::SqlBuilder::new(format!(
            "SELECT a.id, a.at, u.name, u.email, a.action, a.subject, su.name, a.detail, tk.name \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             LEFT JOIN access_tokens tk ON tk.id = a.token_id \
             LEFT JOIN users su ON su.id = {} \
             WHERE 1 = 1",
            e.id_after_prefix("a.subject", "user:")
        ));
        if let Some(person) = &filter.person {
            let p = like_pattern(person);
            q.push(format!(" AND (u.name {like} "))
                .push_bind(p.clone())
                .push(format!(" ESCAPE '\\' OR u.email {like} "))
                .push_bind(p)
                .push(" ESCAPE '\\')");
        }
        if let Some(kind) = filter.kind {
            q.push(" AND (1 = 0");
            for pattern in kind.action_patterns() {
                q.push(format!(" OR a.action {like} ")).push_bind(pattern);
            }
            q.push(")");
        }
        match &filter.object {
            Some(ObjectMatch::Exact(subject)) => {
                q.push(" AND a.subject = ").push_bind(subject.clone());
            }
            Some(ObjectMatch::Contains(text)) => {
                let p = like_pattern(text);
                q.push(format!(
                    " AND (substr(a.subject, {} + 1) {like} ",
                    e.instr("a.subject", "':'")
                ))
                .push_bind(p.clone())
                .push(format!(" ESCAPE '\\' OR su.name {like} "))
                .push_bind(p.clone())
                .push(format!(" ESCAPE '\\' OR su.email {like} "))
                .push_bind(p)
                .push(" ESCAPE '\\')");
            }
            None => {}
        }
        if let Some(day) = filter.from_day {
            q.push(" AND a.at >= ")
                .push_bind(brussels_midnight_utc(day));
        }
        if let Some(day) = filter.to_day {
            q.push(" AND a.at < ")
                .push_bind(brussels_midnight_utc(day + 1));
        }
        if let Some(before) = filter.before {
            q.push(" AND a.id < ").push_bind(before);
        }
        q.push(" ORDER BY a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<Row> = q
            .build_query_as()
            .fetch_all(&mut *self.read().await?)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    at,
                    actor_name,
                    actor_email,
                    action,
                    subject,
                    subject_name,
                    detail,
                    via_token,
                )| {
                    AuditRow {
                        id,
                        at,
                        actor_name,
                        actor_email,
                        action,
                        subject,
                        subject_name,
                        detail,
                        via_token,
                    }
                },
            )
            .collect())
    }
}
