//! The audit log for people: filtered pages and the CSV export of a filter.

use crate::db::Db;
use crate::domain::csv_table::write_table;
use crate::domain::policy::{Action, Actor};
use crate::error::{AppError, Result};
use leenpunt_shared::audit::{
    describe, subject_label, AuditFilter, AuditPage, AuditQuery, AUDIT_EXPORT_MAX, AUDIT_PAGE,
};
use leenpunt_shared::{FieldError, Lang};

fn checked(actor: &Actor, query: &AuditQuery, lang: Lang) -> Result<AuditFilter> {
    super::require(actor, Action::ViewAuditLog)?;
    query.check().map_err(|problems| {
        AppError::Validation(
            problems
                .into_iter()
                .map(|(field, p)| FieldError::new(field, p.message(lang)))
                .collect(),
        )
    })
}

/// One page of entries matching the query, newest first.
pub async fn page(db: &Db, actor: &Actor, query: &AuditQuery, lang: Lang) -> Result<AuditPage> {
    let filter = checked(actor, query, lang)?;
    let mut entries = db.audit_rows(&filter, AUDIT_PAGE + 1).await?;
    let next_before = if entries.len() > AUDIT_PAGE as usize {
        entries.truncate(AUDIT_PAGE as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage {
        entries,
        next_before,
    })
}

/// Every entry matching the query (from its page position on, at most
/// [`AUDIT_EXPORT_MAX`]) as a spreadsheet: local time, person, sentence, object, detail and
/// the raw codes.
pub async fn export_csv(db: &Db, actor: &Actor, query: &AuditQuery, lang: Lang) -> Result<String> {
    let filter = checked(actor, query, lang)?;
    let rows = db.audit_rows(&filter, AUDIT_EXPORT_MAX).await?;
    let columns: &[&str] = match lang {
        Lang::Nl => &[
            "nr",
            "datum",
            "tijd",
            "wie",
            "e-mail",
            "wat",
            "object",
            "detail",
            "actie",
            "onderwerp",
        ],
        Lang::En => &[
            "no", "date", "time", "who", "e-mail", "what", "object", "detail", "action", "subject",
        ],
    };
    Ok(write_table(
        columns,
        rows.into_iter().map(|r| {
            let (day, time) = leenpunt_shared::time::brussels_local(&r.at)
                .unwrap_or_else(|| (r.at.clone(), String::new()));
            vec![
                r.id.to_string(),
                day,
                time,
                r.actor_name.clone().unwrap_or_else(|| {
                    match lang {
                        Lang::Nl => "systeem",
                        Lang::En => "system",
                    }
                    .to_owned()
                }),
                r.actor_email.clone().unwrap_or_default(),
                describe(&r.action, lang),
                r.subject_name
                    .clone()
                    .unwrap_or_else(|| subject_label(&r.subject, lang)),
                r.detail.clone(),
                r.action.clone(),
                r.subject.clone(),
            ]
        }),
    ))
}

#[cfg(test)]
mod tests {
    use leenpunt_shared::audit::is_known;
    use std::path::Path;

    /// Every `"action.code"` literal written next to an `audit(` call in the server's
    /// source, and in the migrations' triggers.
    fn recorded_actions() -> Vec<(String, String)> {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "sql") {
                    out.push(path);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        files.retain(|f| !f.ends_with("service/audit.rs"));
        walk(&root.join("../migrations"), &mut files);
        const PREFIXES: &[&str] = &[
            "reservation.",
            "waitlist.",
            "unit.",
            "kit.",
            "training.",
            "session.",
            "qualification.",
            "user.",
            "closed_days.",
            "catalogue.",
        ];
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let near_audit = lines[i.saturating_sub(12)..=i]
                    .iter()
                    .any(|l| l.contains("audit(") || l.contains("INSERT INTO audit_log"));
                let mut rest = *line;
                while let Some(start) = rest.find(['"', '\'']) {
                    let quote = rest.as_bytes()[start] as char;
                    let after = &rest[start + 1..];
                    let Some(end) = after.find(quote) else { break };
                    let literal = &after[..end];
                    let code_like = !literal.is_empty()
                        && literal
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || matches!(c, '.' | '-' | '_'));
                    let dotted = PREFIXES
                        .iter()
                        .any(|p| literal.len() > p.len() && literal.starts_with(p));
                    let plain = near_audit
                        && (literal.len() > 1 && literal.contains('-')
                            || matches!(literal, "login" | "invited"));
                    if code_like && (dotted || plain) {
                        found.push((literal.to_owned(), file.display().to_string()));
                    }
                    rest = &after[end + 1..];
                }
            }
        }
        found
    }

    #[test]
    fn every_recorded_action_has_a_sentence() {
        let found = recorded_actions();
        assert!(
            found.iter().any(|(a, _)| a == "reservation.cancel"),
            "the scan finds the audit calls"
        );
        let unknown: Vec<_> = found
            .iter()
            .filter(|(a, _)| !is_known(a))
            // Register actions are built as `{kind}.create` / `{kind}.update`.
            .filter(|(a, _)| !matches!(a.as_str(), "update" | "create"))
            .collect();
        assert!(
            unknown.is_empty(),
            "actions without a sentence: {unknown:?}"
        );
    }
}
