//! One request (a sent cart, issue 20) is one hand-over at the desk: scanning units of
//! any of its lines fills the right line (`domain::request_handover`), the borrower gets
//! one receipt listing every line once the whole request is handed over, and the units
//! may come back in parts. Each line stays an ordinary reservation, handed over and taken
//! back with the single reservation's rules ([`super::bind_unit`],
//! [`super::take_back_in`]), so every write here is the same as for a single booking.

use super::{
    check_out_refused, first_answer, hash, hidden, keep_answer, missing_trainings, parse_code,
    replaced_refusal, store, take_back_in, unit_name, unit_of, DeskScan, DeskWrite,
};
use crate::db::mail::enqueue;
use crate::db::reservations::ReservationRecord;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::handover::LoanView;
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::request_handover::{
    check_out_request, progress, receipt_mail, ReceiptLine, RequestRefusal,
};
use crate::error::{AppError, Result};
use leenpunt_shared::handover::*;
use leenpunt_shared::*;

/// A request's lines, if the asker may handle every one of them (otherwise as if there
/// were no such request).
async fn lines_of(
    conn: &mut crate::db::Conn,
    actor: &Actor,
    request: i64,
) -> Result<Vec<(LoanView, ReservationRecord)>> {
    let lines = store::request_loans(conn, request).await?;
    if lines.is_empty() {
        return Err(AppError::NotFound);
    }
    if !lines
        .iter()
        .all(|(_, r)| allows(actor, Action::HandleReservationsOf(r.partner)))
    {
        return Err(hidden(actor));
    }
    Ok(lines)
}

/// Hands a unit over on a request: the unit fills the first line of its kit type still
/// short. A repeat scan answers `already`; with an `Idempotency-Key` a retry gets the
/// first answer again (as for a single reservation). When this scan completes the
/// request, the borrower is mailed one receipt listing every line and its units.
#[allow(clippy::too_many_arguments)]
pub async fn hand_over_request_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    request: i64,
    body: &HandoverBody,
    idempotency_key: Option<&str>,
) -> Result<RequestHandoverOutcome> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let code = parse_code(&body.code, lang)?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let fingerprint = hash(&format!(
        "request:{request}\n{}\n{}",
        code.text(),
        body.override_reason.trim()
    ));
    let mut tx = db.begin().await?;
    crate::db::handover::lock_request(&mut tx, request).await?;
    let key = idempotency_key.map(|k| (k, DeskWrite::HandOver, fingerprint.as_str()));
    if let Some(first) = first_answer(&mut tx, by, key, lang).await? {
        return Ok(first);
    }
    let lines = lines_of(&mut tx, actor, request).await?;
    let (unit, replaced) = unit_of(&mut tx, &code, lang).await?;
    if replaced {
        return Err(replaced_refusal(lang, &unit.info));
    }
    let mut views: Vec<LoanView> = lines.iter().map(|(l, _)| l.clone()).collect();
    let fill = match check_out_request(&views, &unit.view, today) {
        Ok(fill) => fill,
        Err(RequestRefusal::NotInRequest { .. }) => {
            let mut kits: Vec<&str> = lines
                .iter()
                .map(|(_, r)| r.view.kit_title.as_str())
                .collect();
            kits.dedup();
            let (kind, title, detail) = RequestRefusal::not_in_request_texts(
                lang,
                &unit_name(&unit.info),
                &kits.join(", "),
            );
            return Err(AppError::refused(kind, title, detail));
        }
        Err(RequestRefusal::Line { line, refusal }) => {
            return Err(
                check_out_refused(&mut tx, refusal, &unit.info, &lines[line].1, lang).await?,
            )
        }
    };
    let (loan, record) = &lines[fill.line];
    let desk = DeskScan {
        by,
        lang,
        today,
        now: &now,
        public_url,
    };
    let unit_id = unit.info.id;
    // No receipt per line: the request's receipt goes once it is handed over as a whole.
    let line = super::bind_unit(
        &mut tx,
        &desk,
        loan,
        record,
        unit,
        fill.outcome,
        body,
        false,
    )
    .await?;
    let before = progress(&views);
    if !line.already {
        views[fill.line].lines.push(crate::domain::handover::Line {
            unit: unit_id,
            returned: false,
        });
    }
    let after = progress(&views);
    let answer = RequestHandoverOutcome {
        request,
        reservation: line.reservation,
        unit: line.unit,
        kit_title: line.kit_title,
        line_remaining: line.remaining,
        remaining: after.missing,
        handed_over: after.handed_over,
        already: line.already,
    };
    if line.already {
        return Ok(answer);
    }
    if after.handed_over && !before.handed_over {
        send_receipt(&mut tx, &lines, public_url, &now).await?;
    }
    keep_answer(&mut tx, by, key, &answer, &now).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Queues the borrower's receipt of a request: every line with the units handed over on it.
async fn send_receipt(
    conn: &mut crate::db::Conn,
    lines: &[(LoanView, ReservationRecord)],
    public_url: &str,
    now: &str,
) -> Result<()> {
    let Some((_, first)) = lines.first() else {
        return Ok(());
    };
    let Ok(to) = Email::parse(&first.user_email) else {
        return Ok(());
    };
    let mut receipt = Vec::with_capacity(lines.len());
    for (loan, record) in lines {
        receipt.push(ReceiptLine {
            kit_title: record.view.kit_title.clone(),
            quantity: record.view.quantity,
            units: store::lines_of_reservation(conn, loan.id)
                .await?
                .into_iter()
                .map(|l| l.unit)
                .collect(),
        });
    }
    let mail = receipt_mail(
        first.user_lang,
        &to,
        &first.view,
        &receipt,
        &format!("{}/mijn-reservaties", public_url.trim_end_matches('/')),
        now,
    );
    enqueue(conn, &mail, now).await?;
    Ok(())
}

/// Takes a unit of a request back (a return may come in parts): the same as
/// `POST /api/v1/returns`, but only for a unit out on one of the request's lines, and
/// answering what of the request is still out.
#[allow(clippy::too_many_arguments)]
pub async fn take_back_request_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    request: i64,
    body: &ReturnBody,
    idempotency_key: Option<&str>,
) -> Result<RequestReturnOutcome> {
    // One transaction holding the request's lock (on PostgreSQL; SQLite's write lock
    // already orders them), as hand-overs do: returns of one request decide one after the
    // other, and what is still out is read in the same transaction.
    let mut tx = db.begin().await?;
    crate::db::handover::lock_request(&mut tx, request).await?;
    // The request must exist and be the asker's to handle before any unit is looked at.
    lines_of(&mut tx, actor, request).await?;
    let outcome = take_back_in(
        &mut tx,
        clock,
        public_url,
        actor,
        lang,
        body,
        idempotency_key,
        Some(request),
    )
    .await?;
    let lines = lines_of(&mut tx, actor, request).await?;
    tx.commit().await?;
    let views: Vec<LoanView> = lines.into_iter().map(|(l, _)| l).collect();
    let now = progress(&views);
    Ok(RequestReturnOutcome {
        request,
        outcome,
        still_out: now.out,
        all_back: now.all_back,
    })
}

/// A request at the desk: its lines with what is still to hand over and what is out, the
/// trainings the borrower lacks, and the receipt.
pub async fn request_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    request: i64,
) -> Result<RequestDeskScreen> {
    let mut conn = db.read().await?;
    let lines = lines_of(&mut conn, actor, request).await?;
    let views: Vec<LoanView> = lines.iter().map(|(l, _)| l.clone()).collect();
    let p = progress(&views);
    let today = today(clock);
    let mut missing_trainings_all: Vec<String> = Vec::new();
    let mut receipt = Vec::new();
    for (loan, record) in &lines {
        for t in missing_trainings(&mut conn, record.kit, record.user, today).await? {
            if !missing_trainings_all.contains(&t) {
                missing_trainings_all.push(t);
            }
        }
        receipt.extend(store::lines_of_reservation(&mut conn, loan.id).await?);
    }
    let first = &lines[0].1.view;
    Ok(RequestDeskScreen {
        request,
        borrower: first.borrower.clone(),
        school: first.school.clone(),
        pickup_point: first.pickup_point.clone(),
        lines: lines
            .iter()
            .zip(&p.lines)
            .map(|((_, r), l)| RequestDeskLine {
                reservation: r.view.clone(),
                missing: l.missing,
                out: l.out,
                back: l.back,
            })
            .collect(),
        missing: p.missing,
        out: p.out,
        handed_over: p.handed_over,
        all_back: p.all_back,
        missing_trainings: missing_trainings_all,
        receipt,
    })
}

/// Which of the desk day's reservations are lines of a request.
pub(crate) async fn request_refs(
    db: &Db,
    reservations: &[ReservationId],
) -> Result<Vec<RequestLineRef>> {
    if reservations.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = db.read().await?;
    Ok(store::requests_of(&mut conn, reservations)
        .await?
        .into_iter()
        .map(|(reservation, request)| RequestLineRef {
            reservation,
            request,
        })
        .collect())
}

/// A unit's return screen on a request's return page: only for a unit out on one of the
/// request's lines.
pub async fn request_return_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    request: i64,
    code: &str,
) -> Result<ReturnScreen> {
    lines_of(&mut *db.read().await?, actor, request).await?;
    let screen = super::return_screen(db, clock, actor, lang, code).await?;
    let on = store::request_of(&mut *db.read().await?, screen.reservation.id).await?;
    if on != Some(request) {
        return Err(AppError::refused(
            "unit-not-in-request",
            crate::texts::Text::UnitNotOutOnRequest.get(lang),
            crate::texts::Text::UnitNotOutOnRequestDetail {
                unit: &unit_name(&screen.unit),
            }
            .get(lang),
        ));
    }
    Ok(screen)
}
