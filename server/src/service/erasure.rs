//! The right to erasure: a person asks, an admin confirms (or refuses); the same erasure
//! anonymises accounts that were inactive for three school years after a warning.

use crate::db::accounts::audit;
use crate::db::erasure::{self as store, Person};
use crate::db::{Db, DbError};
use crate::domain::clock::Clock;
use crate::domain::erasure::{blockers_in_words, mails, may_erase};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::privacy::{ErasureRequest, ErasureScreen, Retention};
use leenpunt_shared::{Email, Lang, UserId};

/// Why an account is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The person asked; an admin confirmed.
    Request,
    /// Inactive for the configured school years, warned, and did not come back.
    Inactive,
}

/// Erases one person in the caller's transaction (the one code path for both reasons,
/// once nothing blocks it): the data, the farewell mail (forgotten once sent) and one
/// audit row that keeps the event without the person.
async fn erase_unblocked(
    conn: &mut crate::db::Conn,
    p: &Person,
    by: Option<UserId>,
    why: Why,
    now: &str,
) -> std::result::Result<(), DbError> {
    let roles = store::roles_described(conn, p.id).await?;
    store::erase(conn, p, now).await?;
    store::close_pending(conn, p.id, now).await?;
    if let Ok(to) = Email::parse(&p.email) {
        let lang = Lang::parse(&p.lang).unwrap_or(Lang::Nl);
        let mail = mails::farewell(lang, &to, why == Why::Inactive);
        // The outbox forgets it as soon as it is sent.
        crate::db::mail::enqueue_kept(conn, &mail, now, false).await?;
    }
    let reason = match why {
        Why::Request => "request",
        Why::Inactive => "inactive",
    };
    audit(
        conn,
        by,
        "privacy.erasure",
        &format!("user:{}", p.id.0),
        format!("{reason} {roles}").trim(),
        now,
    )
    .await
}

/// A signed-in person asks to delete their account; admins are told by mail (the mail
/// names nobody). Asking again while a request is pending changes nothing.
pub async fn request(
    db: &Db,
    clock: &dyn Clock,
    actor: &crate::domain::policy::Actor,
    public_url: &str,
) -> Result<()> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let admins = db.admin_recipients().await?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    if store::insert_request(&mut tx, user, &now).await? {
        for (address, lang) in &admins {
            let Ok(to) = Email::parse(address) else {
                continue;
            };
            let lang = Lang::parse(lang).unwrap_or(Lang::Nl);
            let link = format!("{public_url}/beheer/verwijderverzoeken");
            crate::db::mail::enqueue(&mut tx, &mails::requested(lang, &to, &link), &now).await?;
        }
        audit(
            &mut tx,
            Some(user),
            "privacy.erasure-request",
            &format!("user:{}", user.0),
            "",
            &now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The asker's own request and, for admins, every pending request with what blocks it.
pub async fn screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &crate::domain::policy::Actor,
) -> Result<ErasureScreen> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mine = db.my_erasure_request(user).await?;
    let mut pending = Vec::new();
    if actor.is_admin() {
        let now = clock.now().to_rfc3339();
        for (id, person, name, email, requested_at) in db.pending_erasure_requests().await? {
            pending.push(ErasureRequest {
                id,
                person,
                name,
                email,
                requested_at,
                blockers: db.erasure_blockers(person, &now).await?,
            });
        }
    }
    Ok(ErasureScreen { mine, pending })
}

fn admin_only(actor: &crate::domain::policy::Actor) -> Result<UserId> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    if !actor.is_admin() {
        // Requests reveal who asked: to anyone else they do not exist.
        return Err(AppError::NotFound);
    }
    Ok(by)
}

/// An admin confirms a request: the account is erased in one transaction, or nothing
/// happens and the answer says what must end first.
pub async fn confirm(
    db: &Db,
    clock: &dyn Clock,
    actor: &crate::domain::policy::Actor,
    id: i64,
    lang: Lang,
) -> Result<()> {
    let by = admin_only(actor)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let user = store::pending_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user == by {
        return Err(AppError::refused(
            "erasure-own",
            Text::ErasureOwnTitle.get(lang),
            Text::ErasureOwnDetail.get(lang),
        ));
    }
    let p = store::person(&mut tx, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let blockers = store::blockers(&mut tx, user, &now).await?;
    if let Err(blockers) = may_erase(&blockers) {
        return Err(AppError::refused(
            "erasure-blocked",
            Text::ErasureBlockedTitle.get(lang),
            Text::ErasureBlockedDetail {
                list: &blockers_in_words(blockers, lang),
            }
            .get(lang),
        ));
    }
    store::decide_request(&mut tx, id, Some(by), "erased", "", &now).await?;
    erase_unblocked(&mut tx, &p, Some(by), Why::Request, &now).await?;
    tx.commit().await?;
    tracing::info!(request = id, user = user.0, "account erased on request");
    Ok(())
}

/// An admin refuses a request with a reason, which the person gets by mail.
pub async fn refuse(
    db: &Db,
    clock: &dyn Clock,
    actor: &crate::domain::policy::Actor,
    id: i64,
    reason: &str,
    lang: Lang,
) -> Result<()> {
    let by = admin_only(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::Validation(vec![
            leenpunt_shared::FieldError::new("reason", Text::ErasureReasonNeeded.get(lang)),
        ]));
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let user = store::pending_request(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = store::person(&mut tx, user)
        .await?
        .ok_or(AppError::NotFound)?;
    store::decide_request(&mut tx, id, Some(by), "refused", reason, &now).await?;
    if let Ok(to) = Email::parse(&p.email) {
        let lang = Lang::parse(&p.lang).unwrap_or(Lang::Nl);
        crate::db::mail::enqueue(&mut tx, &mails::refused(lang, &to, reason), &now).await?;
    }
    audit(
        &mut tx,
        Some(by),
        "privacy.erasure-refused",
        &format!("user:{}", user.0),
        "",
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the inactive-account rule did in one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InactiveRun {
    pub warned: u64,
    pub erased: u64,
    /// Inactive but with something still running (skipped; tried again the next day).
    pub blocked: u64,
}

/// In the retention run's transaction: warns accounts inactive for the configured school
/// years (once per stretch of inactivity, claimed in `reminders_sent`), and erases those
/// warned at least the notice period ago that did not sign in since.
pub async fn handle_inactive(
    conn: &mut crate::db::Conn,
    now: chrono::DateTime<chrono::Utc>,
    retention: &Retention,
    public_url: &str,
) -> std::result::Result<InactiveRun, DbError> {
    use crate::domain::erasure::{
        inactive_before, inactive_step, inactive_warning_key, InactiveStep,
    };
    let stamp = now.to_rfc3339();
    let today = crate::domain::clock::brussels_date(now);
    let before = inactive_before(today, retention.inactive_school_years).to_string();
    let mut run = InactiveRun::default();
    for account in store::inactive_accounts(conn, &before).await? {
        let Some(p) = store::person(conn, account.id).await? else {
            continue;
        };
        let key = inactive_warning_key(p.id.0, &account.last_active);
        let warned_at = store::claimed_at(conn, &key)
            .await?
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(&at).ok())
            .map(|at| at.to_utc());
        match inactive_step(warned_at, now, retention.inactive_warning_days) {
            InactiveStep::Wait => {}
            InactiveStep::Warn => {
                crate::db::reminders::claim(conn, &key, &stamp).await?;
                if let Ok(to) = Email::parse(&p.email) {
                    let lang = Lang::parse(&p.lang).unwrap_or(Lang::Nl);
                    let link = format!("{public_url}/aanmelden");
                    let mail =
                        mails::inactive_warning(lang, &to, retention.inactive_warning_days, &link);
                    crate::db::mail::enqueue(conn, &mail, &stamp).await?;
                }
                run.warned += 1;
            }
            InactiveStep::Erase => {
                if store::blockers(conn, p.id, &stamp).await?.is_empty() {
                    erase_unblocked(conn, &p, None, Why::Inactive, &stamp).await?;
                    run.erased += 1;
                } else {
                    run.blocked += 1;
                }
            }
        }
    }
    Ok(run)
}
