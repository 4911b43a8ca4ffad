//! Handing units over for a reservation: the training re-check, the scan bound to a
//! line, the receipt once every unit is out, and the refusals desk staff read.

use super::*;

/// The trainings a borrower should hold on `day` for a kit type but does not.
pub(super) async fn missing_trainings(
    conn: &mut crate::db::Conn,
    kit: KitTypeId,
    user: UserId,
    day: chrono::NaiveDate,
) -> Result<Vec<String>> {
    let inputs = crate::db::trainings::gate_for(conn, kit, user, &day.to_string()).await?;
    Ok(match gate(&inputs.required, &inputs.held, &[], day, day) {
        Gate::Missing(m) => m.into_iter().map(|r| r.title).collect(),
        _ => Vec::new(),
    })
}

/// Hands a unit over for a reservation. The borrower's qualifications are checked again
/// (they may have expired or been revoked since booking): missing ones block unless desk
/// staff give a reason to override, which is audited.
pub async fn hand_over(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    reservation: ReservationId,
    body: &HandoverBody,
) -> Result<HandoverOutcome> {
    hand_over_once(db, clock, public_url, actor, lang, reservation, body, None).await
}

/// [`hand_over`] with an `Idempotency-Key`: the first answer that wrote something is kept
/// under the key in the same transaction, and a request with a known key gets that answer
/// again without anything being looked at or written (no second receipt). A refusal
/// writes nothing and keeps nothing, so a retry is judged on the state it then finds.
#[allow(clippy::too_many_arguments)]
pub async fn hand_over_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    reservation: ReservationId,
    body: &HandoverBody,
    idempotency_key: Option<&str>,
) -> Result<HandoverOutcome> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let code = parse_code(&body.code, lang)?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let fingerprint = hash(&format!(
        "{}\n{}\n{}",
        reservation.0,
        code.text(),
        body.override_reason.trim()
    ));
    let mut tx = db.begin().await?;
    let key = idempotency_key.map(|k| (k, DeskWrite::HandOver, fingerprint.as_str()));
    if let Some(first) = first_answer(&mut tx, by, key, lang).await? {
        return Ok(first);
    }
    let (loan, record) = store::loan(&mut tx, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(record.partner)) {
        return Err(hidden(actor));
    }
    let (unit, replaced) = unit_of(&mut tx, &code, lang).await?;
    if replaced {
        return Err(replaced_refusal(lang, &unit.info));
    }
    let outcome = match check_out(&loan, &unit.view, today) {
        Ok(outcome) => outcome,
        Err(r) => return Err(check_out_refused(&mut tx, r, &unit.info, &record, lang).await?),
    };
    let desk = DeskScan {
        by,
        lang,
        today,
        now: &now,
        public_url,
    };
    let answer = bind_unit(&mut tx, &desk, &loan, &record, unit, outcome, body, true).await?;
    if answer.already {
        return Ok(answer);
    }
    keep_answer(&mut tx, by, key, &answer, &now).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Who scans, when, in which language: what binding a unit needs besides the unit.
pub(crate) struct DeskScan<'a> {
    pub by: UserId,
    pub lang: Lang,
    pub today: chrono::NaiveDate,
    pub now: &'a str,
    pub public_url: &'a str,
}

/// Binds a unit to a reservation as `check_out` decided, in the caller's transaction: the
/// qualification re-check (with the desk's override), the loan line, the status, the
/// audit, and (with `receipt`) the borrower's receipt once every unit is out. A repeat
/// scan (`AlreadyHandedOver`) writes nothing and answers `already`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn bind_unit(
    tx: &mut crate::db::Conn,
    desk: &DeskScan<'_>,
    loan: &crate::domain::handover::LoanView,
    record: &ReservationRecord,
    unit: UnitRecord,
    outcome: CheckOut,
    body: &HandoverBody,
    receipt: bool,
) -> Result<HandoverOutcome> {
    let DeskScan {
        by,
        lang,
        today,
        now,
        public_url,
    } = *desk;
    let reservation = loan.id;
    let remaining = match outcome {
        CheckOut::AlreadyHandedOver => {
            let left = loan.quantity.saturating_sub(loan.lines.len() as u32);
            return Ok(HandoverOutcome {
                reservation,
                unit: unit.info.inventory_code,
                kit_title: unit.info.kit_title,
                remaining: left,
                already: true,
            });
        }
        CheckOut::HandedOver { remaining, .. } => remaining,
    };
    let missing = missing_trainings(tx, record.kit, record.user, today).await?;
    let override_reason = body.override_reason.trim();
    if !missing.is_empty() && override_reason.is_empty() {
        let names = missing.join(", ");
        return Err(AppError::refused(
            "qualification-missing",
            Text::QualificationMissing.get(lang),
            Text::QualificationMissingDetail {
                borrower: &record.view.borrower,
                names: &names,
            }
            .get(lang),
        ));
    }
    let override_reason = (!missing.is_empty()).then_some(override_reason);
    store::insert_line(tx, reservation, unit.info.id, by, override_reason, now)
        .await
        .map_err(|e| match AppError::from(e) {
            // Another desk bound it in the same instant: tell the current state.
            AppError::Conflict(_) => {
                let name = unit_name(&unit.info);
                AppError::refused(
                    "unit-on-another-loan",
                    Text::UnitJustHandedOver.get(lang),
                    Text::UnitJustHandedOverDetail { name: &name }.get(lang),
                )
            }
            other => other,
        })?;
    if record.view.status == ReservationStatus::Confirmed {
        reservations_store::set_status(tx, reservation, ReservationStatus::PickedUp, None, now)
            .await?;
    }
    audit(
        tx,
        Some(by),
        "unit.handover",
        &format!("reservation:{}", reservation.0),
        &format!(
            "{}{}",
            unit.info.inventory_code,
            override_reason
                .map(|r| format!(" (zonder kwalificatie: {r})"))
                .unwrap_or_default()
        ),
        now,
    )
    .await?;
    if remaining == 0 && receipt {
        let record = reservations_store::record_by_id(tx, reservation)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::service::reservations::tell(tx, &record, ReservationNews::PickedUp, public_url, now)
            .await?;
    }
    Ok(HandoverOutcome {
        reservation,
        unit: unit.info.inventory_code,
        kit_title: unit.info.kit_title,
        remaining,
        already: false,
    })
}

/// A refused check-out as desk staff read it: naming the unit, the reserved kit and,
/// when the unit is still out, whom it is out with.
pub(super) async fn check_out_refused(
    conn: &mut crate::db::Conn,
    refusal: CheckOutRefusal,
    unit: &UnitInfo,
    record: &ReservationRecord,
    lang: Lang,
) -> Result<AppError> {
    let other = match refusal {
        CheckOutRefusal::OnAnotherLoan { reservation, .. } => {
            reservations_store::record_by_id(conn, reservation)
                .await?
                .map(|o| borrower_of(&o.view))
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    let (unit, borrower) = (unit_name(unit), borrower_of(&record.view));
    let names = Names {
        unit: &unit,
        reserved_kit: &record.view.kit_title,
        borrower: &borrower,
        other_borrower: &other,
    };
    let (kind, title, detail) = refusal.texts(lang, &names);
    Ok(AppError::refused(kind, title, detail))
}
