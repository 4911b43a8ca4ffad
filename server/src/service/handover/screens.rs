//! The desk's screens: the day's pickups and returns, a reservation's hand-over and return
//! pages, and a unit's page.

use super::*;

/// "Vandaag": what the desk hands over, gets back and waits for.
pub async fn today_screen(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<TodayScreen> {
    let partners = desk_partners(actor)?;
    desk_today(db, partners.as_deref(), today(clock)).await
}

/// The desk's day for some partner services (`None`: all): the lists of "Vandaag" and of
/// the morning digest.
pub(crate) async fn desk_today(
    db: &Db,
    partners: Option<&[PartnerId]>,
    today: chrono::NaiveDate,
) -> Result<TodayScreen> {
    let records = db.desk_day(partners, today).await?;
    let (mut pickups, mut returns, mut overdue) = (Vec::new(), Vec::new(), Vec::new());
    for (r, handed_over) in records {
        let (pickup, due) = desk_lists(
            r.view.status,
            handed_over,
            r.view.quantity,
            day_of(&r.view.return_date).unwrap_or(today),
            today,
        );
        match due {
            Some(Due::Overdue) => overdue.push(r.view.clone()),
            Some(Due::Today) => returns.push(r.view.clone()),
            None => {}
        }
        if pickup {
            pickups.push(DeskPickup {
                reservation: r.view,
                handed_over,
            });
        }
    }
    let listed: Vec<ReservationId> = pickups
        .iter()
        .map(|p| p.reservation.id)
        .chain(returns.iter().chain(&overdue).map(|r| r.id))
        .collect();
    Ok(TodayScreen {
        day: today.to_string(),
        requests: request_refs(db, &listed).await?,
        pickups,
        returns,
        overdue,
    })
}

pub(super) fn day_of(date: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// The hand-over screen of a reservation.
pub async fn handover_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    id: ReservationId,
) -> Result<HandoverScreen> {
    let mut conn = db.read().await?;
    let (loan, record) = store::loan(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(record.partner)) {
        return Err(hidden(actor));
    }
    let today = today(clock);
    Ok(HandoverScreen {
        parts: store::parts(&mut conn, record.kit).await?,
        lines: store::lines_of_reservation(&mut conn, id).await?,
        remaining: loan.quantity.saturating_sub(loan.lines.len() as u32),
        missing_trainings: missing_trainings(&mut conn, record.kit, record.user, today).await?,
        reservation: record.view,
    })
}

/// A unit's return screen: its open loan and the contents list.
pub async fn return_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    code: &str,
) -> Result<ReturnScreen> {
    let code = parse_code(code, lang)?;
    let mut conn = db.read().await?;
    let (unit, _) = unit_of(&mut conn, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(AppError::Forbidden);
    }
    let Some(reservation) = unit.info.open_loan else {
        return Err(AppError::refused(
            "unit-not-on-loan",
            Text::UnitNotOut.get(lang),
            Text::UnitNotOutDetail {
                name: &unit_name(&unit.info),
            }
            .get(lang),
        ));
    };
    let (_, record) = store::loan(&mut conn, reservation)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ReturnScreen {
        late: record.view.return_date < today(clock).to_string(),
        parts: store::parts(&mut conn, record.kit).await?,
        reservation: record.view,
        unit: unit.info,
    })
}

/// A unit's page for desk staff: its state, history and today's pickups of its kit.
pub async fn unit_screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    id: UnitId,
) -> Result<UnitScreen> {
    let mut conn = db.read().await?;
    let unit = store::unit_by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    let tickets = store::open_tickets(&mut conn, id).await?;
    drop(conn);
    let today = today(clock);
    let pickups = db
        .desk_day(Some(&[unit.partner]), today)
        .await?
        .into_iter()
        .filter(|(r, handed)| {
            r.kit == unit.view.kit_type
                && desk_lists(
                    r.view.status,
                    *handed,
                    r.view.quantity,
                    day_of(&r.view.return_date).unwrap_or(today),
                    today,
                )
                .0
        })
        .map(|(r, handed_over)| DeskPickup {
            reservation: r.view,
            handed_over,
        })
        .collect();
    Ok(UnitScreen {
        history: db.unit_history(id).await?,
        pickups,
        tickets,
        unit: unit.info,
    })
}
