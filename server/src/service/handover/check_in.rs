//! Taking units back: the contents checked, damage and shortfalls noted (a maintenance
//! ticket, the unit out of service), and the unit back in service once repaired.

use super::*;

/// Takes a unit back: finds its open loan, checks the contents, notes damage. A shortfall
/// or damage opens a maintenance ticket and puts the unit in maintenance (flagging future
/// reservations that no longer fit).
pub async fn take_back(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
) -> Result<ReturnOutcome> {
    take_back_once(db, clock, public_url, actor, lang, body, None).await
}

/// [`take_back`] with an `Idempotency-Key` (see [`hand_over_once`]): one transaction.
pub async fn take_back_once(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
    idempotency_key: Option<&str>,
) -> Result<ReturnOutcome> {
    let mut tx = db.begin().await?;
    let outcome = take_back_in(
        &mut tx,
        clock,
        public_url,
        actor,
        lang,
        body,
        idempotency_key,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The return itself, in the caller's write transaction (which the caller commits; a
/// refusal or a repeat writes nothing). With `scope` (a request) only for a unit out on
/// (or just back from) one of that request's lines: any other unit is refused. A
/// request's return runs after the caller took the request's lock, so returns of one
/// request decide one after the other.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn take_back_in(
    tx: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &ReturnBody,
    idempotency_key: Option<&str>,
    scope: Option<i64>,
) -> Result<ReturnOutcome> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let code = parse_code(&body.code, lang)?;
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let asked = ReturnBody {
        code: code.text().to_owned(),
        ..body.clone()
    };
    let asked = serde_json::to_string(&asked).unwrap_or_default();
    let fingerprint = hash(&match scope {
        Some(request) => format!("request:{request}\n{asked}"),
        None => asked,
    });
    let key = idempotency_key.map(|k| (k, DeskWrite::Return, fingerprint.as_str()));
    if let Some(first) = first_answer(&mut *tx, by, key, lang).await? {
        return Ok(first);
    }
    let (unit, _) = unit_of(&mut *tx, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(AppError::Forbidden);
    }
    let reservation = match unit.info.open_loan {
        Some(r) => r,
        None => {
            match last_loan(&mut *tx, unit.info.id).await? {
                // A repeat scan of a unit just taken back: nothing to do.
                Some(r) => r,
                None => {
                    return Err(AppError::refused(
                        "unit-not-on-loan",
                        Text::UnitNotOut.get(lang),
                        Text::UnitNotOutNothingBack {
                            name: &unit_name(&unit.info),
                        }
                        .get(lang),
                    ));
                }
            }
        }
    };
    if let Some(request) = scope {
        if store::request_of(&mut *tx, reservation).await? != Some(request) {
            return Err(AppError::refused(
                "unit-not-in-request",
                Text::UnitNotOutOnRequest.get(lang),
                Text::UnitNotOutOnRequestDetail {
                    unit: &unit_name(&unit.info),
                }
                .get(lang),
            ));
        }
    }
    let (loan, record) = store::loan(&mut *tx, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = store::parts(&mut *tx, record.kit).await?;
    let parts: Vec<PartCount> = expected
        .iter()
        .map(|(name, count)| PartCount {
            name: name.clone(),
            expected: *count,
            counted: body
                .parts
                .iter()
                .find(|p| &p.name == name)
                .map_or(i64::from(*count), |p| p.counted),
        })
        .collect();
    let outcome = check_in(&loan, unit.info.id, &parts, &body.damage, today).map_err(|r| {
        let (name, borrower) = (unit_name(&unit.info), borrower_of(&record.view));
        let names = Names {
            unit: &name,
            reserved_kit: &record.view.kit_title,
            borrower: &borrower,
            other_borrower: "",
        };
        let (kind, title, detail) = r.texts(lang, &names);
        AppError::refused(kind, title, detail)
    })?;
    let done = match outcome {
        CheckInOutcome::AlreadyReturned => {
            return Ok(ReturnOutcome {
                reservation,
                unit: unit.info.inventory_code,
                kit_title: unit.info.kit_title,
                shortfall: Vec::new(),
                to_maintenance: false,
                late: false,
                loan_complete: !loan.any_open(),
                already: true,
            })
        }
        CheckInOutcome::Returned(done) => done,
    };
    let counted: Vec<(String, u32, i64)> = parts
        .iter()
        .map(|p| (p.name.clone(), p.expected, p.counted))
        .collect();
    store::return_line(
        &mut *tx,
        &store::Returned {
            reservation,
            unit: unit.info.id,
            by,
            parts: &counted,
            damage: body.damage.trim(),
            late: done.late,
        },
        &now,
    )
    .await?;
    if done.to_maintenance {
        store::open_ticket(
            &mut *tx,
            unit.info.id,
            reservation,
            by,
            &done.shortfall,
            body.damage.trim(),
            &now,
        )
        .await?;
        audit(
            &mut *tx,
            Some(by),
            "unit.maintenance",
            &format!("unit:{}", unit.info.inventory_code),
            &format!("reservation:{}", reservation.0),
            &now,
        )
        .await?;
        crate::service::reservations::recheck_kit(&mut *tx, clock, public_url, &unit.info.kit_slug)
            .await?;
    }
    // The borrower hears at once what came back short (and sees it on the reservation).
    let counted_json = serde_json::to_string(&counted).unwrap_or_else(|_| "[]".into());
    if let Some(note) = crate::domain::handover::return_note(
        unit.info.inventory_code.clone(),
        &counted_json,
        body.damage.clone(),
    ) {
        let mut short = record.clone();
        short.view.return_notes = vec![note];
        crate::service::reservations::tell(
            &mut *tx,
            &short,
            ReservationNews::ReturnedShort,
            public_url,
            &now,
        )
        .await?;
    }
    if done.loan_complete {
        reservations_store::set_status(
            &mut *tx,
            reservation,
            ReservationStatus::Returned,
            None,
            &now,
        )
        .await?;
        crate::service::reservations::tell(
            &mut *tx,
            &record,
            ReservationNews::Returned,
            public_url,
            &now,
        )
        .await?;
    }
    audit(
        &mut *tx,
        Some(by),
        "unit.return",
        &format!("reservation:{}", reservation.0),
        &unit.info.inventory_code,
        &now,
    )
    .await?;
    let answer = ReturnOutcome {
        reservation,
        unit: unit.info.inventory_code,
        kit_title: unit.info.kit_title,
        shortfall: done.shortfall,
        to_maintenance: done.to_maintenance,
        late: done.late,
        loan_complete: done.loan_complete,
        already: false,
    };
    keep_answer(&mut *tx, by, key, &answer, &now).await?;
    Ok(answer)
}

/// The reservation a unit was last handed over for, if it is back.
pub(super) async fn last_loan(
    conn: &mut crate::db::Conn,
    unit: UnitId,
) -> Result<Option<ReservationId>> {
    Ok(crate::db::handover::last_returned_loan(conn, unit).await?)
}

/// Puts a repaired or completed unit back in service and closes its maintenance tickets;
/// its units go to the waiting list (as any unit coming back into service).
pub async fn back_in_service(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    unit: UnitId,
) -> Result<()> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let inventory = {
        let mut conn = db.read().await?;
        store::unit_by_id(&mut conn, unit)
            .await?
            .ok_or(AppError::NotFound)?
            .info
            .inventory_code
    };
    crate::service::reservations::set_unit_status(
        db,
        clock,
        public_url,
        actor,
        lang,
        &inventory,
        UnitStatus::InService,
    )
    .await?;
    let mut tx = db.begin().await?;
    store::close_tickets(&mut tx, unit, by, &clock.now().to_rfc3339()).await?;
    tx.commit().await?;
    Ok(())
}
