//! Hand-over at the desk: scanning labels, handing units over for a reservation, taking
//! them back with the contents checked, maintenance tickets, the desk's day, label
//! sheets, and the daily overdue and no-show jobs.
//!
//! Every scan is one `BEGIN IMMEDIATE` transaction; a repeat scan changes nothing and
//! answers what is already so, and the database refuses a unit on two open loans even if
//! two desks scan it at the same instant.
//!
//! One file per use case: [`scan`] (what a code leads to), [`check_out`] (handing over),
//! [`check_in`] (taking back, back in service), [`request`] (a sent cart as one
//! hand-over), [`screens`] (the desk's pages), [`labels`] (QR labels) and [`daily`] (the
//! overdue and no-show job). What they share (reading a typed code, finding a unit, the
//! desk's idempotency keys, refusals) stays here.

use crate::db::accounts::audit;
use crate::db::handover::{self as store, DeskWrite, UnitRecord};
use crate::db::reservations as reservations_store;
use crate::db::reservations::ReservationRecord;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::handover::{
    check_in, check_out, desk_lists, no_show, CheckInOutcome, CheckOut, CheckOutRefusal, Due,
    Names, PartCount, NO_SHOW_GRACE_DAYS,
};
use crate::domain::labels::{render_sheet_from, Label, LabelLayout};
use crate::domain::mail::ReservationNews;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::tags::TagCode;
use crate::domain::trainings::{gate, Gate};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::Duration;
use leenpunt_shared::handover::*;
use leenpunt_shared::*;
mod check_in;
mod check_out;
mod daily;
mod labels;
mod request;
mod scan;
mod screens;
pub use check_in::*;
pub use check_out::*;
pub use daily::*;
pub use labels::*;
pub use request::*;
pub use scan::*;
pub use screens::*;

/// A typed or scanned code: a label code when it reads as one, and the text as typed
/// (an inventory code such as `BB-K-01` is looked up by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedCode {
    label: Result<TagCode, crate::domain::tags::TagError>,
    text: String,
}

impl TypedCode {
    /// The code as typed (trimmed), for messages.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Reads a typed or scanned code (a full `/s/<code>` URL works too). Only an empty code is
/// refused here: whether it names a label or a unit is for [`unit_of`] to find out.
pub fn parse_code(input: &str, lang: Lang) -> Result<TypedCode> {
    let trimmed = input.trim();
    let code = trimmed
        .rsplit_once("/s/")
        .map_or(trimmed, |(_, c)| c)
        .trim_end_matches('/')
        .trim();
    let label = TagCode::parse(code);
    if code.is_empty() || code.chars().count() > 100 {
        let e = label.err().unwrap_or(crate::domain::tags::TagError::Empty);
        return Err(AppError::Validation(vec![FieldError::new(
            "code",
            e.message(lang),
        )]));
    }
    Ok(TypedCode {
        label,
        text: code.to_owned(),
    })
}

/// The unit behind a code (its label first, then its inventory code), and whether the
/// label was replaced. A code that is neither is refused with a clear message; a label
/// code with a typo (its check symbol fails) is answered at the field.
async fn unit_of(
    conn: &mut crate::db::Conn,
    code: &TypedCode,
    lang: Lang,
) -> Result<(UnitRecord, bool)> {
    if let Ok(label) = &code.label {
        if let Some((unit, replaced)) = store::tag(conn, label).await? {
            if let Some(record) = store::unit_by_id(conn, unit).await? {
                return Ok((record, replaced));
            }
        }
    }
    if let Some(record) = store::unit_by_inventory_code(conn, &code.text).await? {
        return Ok((record, false));
    }
    let shown = &code.text;
    let detail = Text::UnknownCodeDetail { shown }.get(lang);
    // Not even shaped like a label code: answered at the field, as any malformed value.
    match code.label {
        Err(e @ crate::domain::tags::TagError::CheckFailed) => {
            Err(AppError::Validation(vec![FieldError::new(
                "code",
                e.message(lang),
            )]))
        }
        Err(_) => Err(AppError::Validation(vec![FieldError::new("code", detail)])),
        Ok(_) => Err(AppError::refused(
            "unknown-code",
            Text::UnknownCode.get(lang),
            detail,
        )),
    }
}

/// How messages name a unit: its inventory code and its kit type's title.
fn unit_name(unit: &UnitInfo) -> String {
    format!("{} ({})", unit.inventory_code, unit.kit_title)
}

/// The answer to a replaced label: which unit it was and its new label.
pub fn replaced_refusal(lang: Lang, unit: &UnitInfo) -> AppError {
    let label = unit
        .label
        .as_deref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    AppError::refused(
        "label-replaced",
        Text::LabelReplaced.get(lang),
        Text::LabelReplacedDetail {
            unit: &unit_name(unit),
            label: &label,
        }
        .get(lang),
    )
}

/// What a key promises: the key, which write, the fingerprint of what was asked.
type Keyed<'a> = Option<(&'a str, DeskWrite, &'a str)>;

/// The SHA-256 of a scan as asked, for its key.
fn hash(asked: &str) -> String {
    crate::service::accounts::token_hash(asked)
}

/// The first answer kept under a key, if the key was used; the same key for a different
/// scan is refused (422), as for bookings.
async fn first_answer<T: serde::de::DeserializeOwned>(
    conn: &mut crate::db::Conn,
    user: UserId,
    key: Keyed<'_>,
    lang: Lang,
) -> Result<Option<T>> {
    let Some((key, write, fingerprint)) = key else {
        return Ok(None);
    };
    let Some((first, answer)) = store::desk_answer(conn, user, key).await? else {
        return Ok(None);
    };
    if first != store::desk_fingerprint(write, fingerprint) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            Text::ThisIdempotencyKeyWasAlreadyUsed.get(lang),
        )]));
    }
    serde_json::from_str(&answer)
        .map(Some)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("kept desk answer: {e}")))
}

/// Keeps an answer under its key (when there is one), in the writing transaction.
async fn keep_answer<T: serde::Serialize>(
    conn: &mut crate::db::Conn,
    user: UserId,
    key: Keyed<'_>,
    answer: &T,
    now: &str,
) -> Result<()> {
    let Some((key, write, fingerprint)) = key else {
        return Ok(());
    };
    let json = serde_json::to_string(answer)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("desk answer: {e}")))?;
    store::keep_desk_answer(conn, user, key, write, fingerprint, &json, now).await?;
    Ok(())
}

/// Whose reservation it is: `borrower, school`.
fn borrower_of(r: &Reservation) -> String {
    format!("{}, {}", r.borrower, r.school)
}

/// The partners whose desks the asker staffs (`None`: all, for admins).
fn desk_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Ambassador | Role::PartnerAdmin))
        .filter_map(|g| g.partner)
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

/// What someone who may not handle a reservation learns about it: to sign in first, or
/// (signed in) that there is no such reservation, the same answer as for a missing id.
fn hidden(actor: &Actor) -> AppError {
    if actor.user.is_none() {
        AppError::Unauthorized
    } else {
        AppError::NotFound
    }
}
