//! Retention: which records the daily job removes, as instants before which they go.

use chrono::{DateTime, Duration, Utc};
use leenpunt_shared::privacy::Retention;

/// The instants (UTC, RFC 3339) before which each kind of record is removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoffs {
    /// Mails sent before this.
    pub sent_mail: String,
    /// Sessions last used before this.
    pub sessions: String,
    /// Failed sign-ins and mail requests before this.
    pub throttles: String,
    /// Unconfirmed accounts created before this.
    pub unconfirmed: String,
}

/// The cut-offs at `now` for the configured periods.
pub fn cutoffs(now: DateTime<Utc>, r: &Retention) -> Cutoffs {
    let before = |days: u32| (now - Duration::days(i64::from(days))).to_rfc3339();
    Cutoffs {
        sent_mail: before(r.sent_mail_days),
        sessions: before(r.session_days),
        throttles: before(r.throttle_days),
        unconfirmed: before(r.unconfirmed_days),
    }
}

/// What one run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub mails: u64,
    pub sessions: u64,
    pub throttles: u64,
    pub unconfirmed: u64,
    /// Inactive accounts warned by mail.
    pub warned: u64,
    /// Inactive accounts anonymised after their warning.
    pub anonymised: u64,
}

impl Removed {
    /// The audit detail: counts only, no person.
    pub fn detail(&self) -> String {
        format!(
            "mails={} sessions={} throttles={} unconfirmed={} warned={} anonymised={}",
            self.mails,
            self.sessions,
            self.throttles,
            self.unconfirmed,
            self.warned,
            self.anonymised
        )
    }
}

/// The exactly-once key of a day's retention run.
pub fn retention_key(day: chrono::NaiveDate) -> String {
    format!("retention:{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_count_back_from_now() {
        let now = DateTime::parse_from_rfc3339("2026-12-10T03:00:00Z")
            .unwrap()
            .to_utc();
        let c = cutoffs(now, &Retention::default());
        assert_eq!(c.sent_mail, "2026-09-11T03:00:00+00:00");
        assert_eq!(c.sessions, "2026-11-10T03:00:00+00:00");
        assert_eq!(c.throttles, c.sessions);
        assert_eq!(c.unconfirmed, "2026-12-03T03:00:00+00:00");
        assert_eq!(
            Removed {
                mails: 2,
                ..Removed::default()
            }
            .detail(),
            "mails=2 sessions=0 throttles=0 unconfirmed=0 warned=0 anonymised=0"
        );
    }
}

/// One column of `migrations/personal_data.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub table: String,
    pub column: String,
    pub class: String,
}

/// The inventory of personal data, as built into the binary.
pub fn inventory() -> Vec<Classified> {
    parse_inventory(include_str!("../../../migrations/personal_data.csv"))
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
}

/// Parses the inventory (`table,column,class,note`); lines that are not plain identifiers
/// are skipped, so nothing but a table or column name ever reaches SQL.
pub fn parse_inventory(csv: &str) -> Vec<Classified> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.splitn(4, ',');
            let (table, column, class) = (cells.next()?, cells.next()?, cells.next()?);
            (is_identifier(table) && is_identifier(column)).then(|| Classified {
                table: table.to_owned(),
                column: column.to_owned(),
                class: class.to_owned(),
            })
        })
        .collect()
}

/// How a table's rows about a person are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportQuery {
    pub table: String,
    /// Every column but the hashes.
    pub columns: Vec<String>,
    /// A row is about the person when one of these columns holds their id.
    pub by_user: Vec<String>,
    /// …or one of these holds their e-mail address.
    pub by_email: Vec<String>,
    /// …or (the audit log) its subject names them.
    pub by_subject: bool,
}

/// The access export's plan: every table with a column that points to a person or holds
/// an address, in table order.
pub fn export_plan(inventory: &[Classified]) -> Vec<ExportQuery> {
    let mut plan: Vec<ExportQuery> = Vec::new();
    for c in inventory {
        let q = match plan.iter_mut().find(|q| q.table == c.table) {
            Some(q) => q,
            None => {
                plan.push(ExportQuery {
                    table: c.table.clone(),
                    columns: Vec::new(),
                    by_user: Vec::new(),
                    by_email: Vec::new(),
                    by_subject: c.table == "audit_log",
                });
                plan.last_mut().expect("just pushed")
            }
        };
        if c.class != "secret" {
            q.columns.push(c.column.clone());
        }
        match (c.table.as_str(), c.column.as_str(), c.class.as_str()) {
            ("users", "id", _) => q.by_user.push(c.column.clone()),
            ("users", "email", _) => {}
            (_, _, "linked") => q.by_user.push(c.column.clone()),
            (_, column, "direct")
                if column == "email" || column.ends_with("_addr") || column == "target" =>
            {
                q.by_email.push(c.column.clone())
            }
            _ => {}
        }
    }
    plan.retain(|q| !q.by_user.is_empty() || !q.by_email.is_empty() || q.by_subject);
    plan
}

#[cfg(test)]
mod inventory_tests {
    use super::*;

    #[test]
    fn the_plan_finds_people_by_id_and_address_and_never_exports_hashes() {
        let plan = export_plan(&inventory());
        let find = |t: &str| {
            plan.iter()
                .find(|q| q.table == t)
                .unwrap_or_else(|| panic!("{t}"))
        };
        assert_eq!(find("users").by_user, ["id"]);
        assert!(!find("users").columns.contains(&"password_hash".to_owned()));
        assert_eq!(find("outbox").by_email, ["to_addr"]);
        assert_eq!(find("login_failures").by_email, ["email"]);
        assert!(find("audit_log").by_subject);
        assert_eq!(find("loan_lines").by_user, ["handed_out_by", "returned_by"]);
        assert!(find("sessions").columns.iter().all(|c| c != "id_hash"));
        assert!(
            plan.iter().all(|q| q.table != "kit_types"),
            "no person in it"
        );
        assert!(parse_inventory("t,c,none\nx;drop,c,none\n").is_empty());
    }
}

/// `text` with every e-mail address in it masked (`***@***`), for log lines built from
/// outside messages (a mail server's answer, an error): logs carry ids, not addresses.
pub fn mask_addresses(text: &str) -> String {
    let is_addr_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '%');
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let core = word.trim_matches(|c: char| !is_addr_char(c) && c != '@');
        match core.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.contains('@') =>
            {
                out.push_str(&word.replace(core, "***@***"));
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if is_addr_char(c) || c == '@' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn addresses_are_masked_and_the_rest_is_kept() {
        assert_eq!(
            super::mask_addresses("550 <an.peeters@school.be>: no such user (try x@y)"),
            "550 <***@***>: no such user (try x@y)"
        );
        assert_eq!(super::mask_addresses("mail 42 failed"), "mail 42 failed");
    }
}
