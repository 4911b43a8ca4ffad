//! Keeping a cart: its shared dates and its lines. Every change answers the whole cart.

use crate::db::cart::{self as store, LineRow};
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::policy::Actor;
use crate::error::{AppError, Result};
use crate::service::reservations::parse_day;
use crate::texts::Text;
use leenpunt_shared::cart::{Cart, CartDates, NewCartLine, MAX_CART_LINES};
use leenpunt_shared::{FieldError, Lang, UserId};

fn user(actor: &Actor) -> Result<UserId> {
    actor.user.ok_or(AppError::Unauthorized)
}

/// The person's cart (empty when they never filled one).
pub async fn get(db: &Db, actor: &Actor) -> Result<Cart> {
    let user = user(actor)?;
    Ok(store::cart(&mut *db.read().await?, user).await?.0)
}

fn given(d: Option<&str>) -> Option<&str> {
    d.map(str::trim).filter(|d| !d.is_empty())
}

/// Two optional dates, both or neither, each a real day; normalised to `YYYY-MM-DD`.
pub(super) fn dates(
    pickup: Option<&str>,
    return_date: Option<&str>,
    lang: Lang,
) -> Result<(Option<String>, Option<String>)> {
    match (given(pickup), given(return_date)) {
        (None, None) => Ok((None, None)),
        (Some(p), Some(r)) => {
            let mut errors = Vec::new();
            let p = parse_day(p);
            let r = parse_day(r);
            for (field, day) in [("pickup_date", p), ("return_date", r)] {
                if day.is_none() {
                    errors.push(FieldError::new(field, Text::ChooseAValidDate.get(lang)));
                }
            }
            match (p, r) {
                (Some(p), Some(r)) => Ok((Some(p.to_string()), Some(r.to_string()))),
                _ => Err(AppError::Validation(errors)),
            }
        }
        (p, _) => Err(AppError::Validation(vec![FieldError::new(
            if p.is_none() {
                "pickup_date"
            } else {
                "return_date"
            },
            Text::CartDatesBoth.get(lang),
        )])),
    }
}

/// Sets the dates chosen once for every line without dates of its own.
pub async fn set_dates(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &CartDates,
) -> Result<Cart> {
    let user = user(actor)?;
    let (pickup, ret) = dates(
        body.pickup_date.as_deref(),
        body.return_date.as_deref(),
        lang,
    )?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    store::set_dates(&mut tx, user, pickup.as_deref(), ret.as_deref(), &now).await?;
    let (cart, _) = store::cart(&mut tx, user).await?;
    tx.commit().await?;
    Ok(cart)
}

/// A line's content checked: quantity, dates, a reservable kit type picked up at the point.
pub(super) async fn line_row(
    conn: &mut crate::db::Conn,
    lang: Lang,
    body: &NewCartLine,
) -> Result<(LineRow<'static>, Option<String>, Option<String>)> {
    let mut errors = Vec::new();
    if !(1..=999).contains(&body.quantity) {
        errors.push(FieldError::new("quantity", Text::CartQuantity.get(lang)));
    }
    let dates = dates(
        body.pickup_date.as_deref(),
        body.return_date.as_deref(),
        lang,
    );
    if let Err(AppError::Validation(e)) = &dates {
        errors.extend(e.iter().cloned());
    }
    let target = store::line_target(conn, body.kit.trim(), body.pickup_point.trim()).await?;
    match &target {
        None => errors.push(FieldError::new("kit", Text::CartUnknownKit.get(lang))),
        Some((_, kind, _)) if !kind.is_reservable() => errors.push(FieldError::new(
            "kit",
            Text::ThisOfferIsNotBookedThrough.get(lang),
        )),
        Some((_, _, None)) => errors.push(FieldError::new(
            "pickup_point",
            Text::ThisMaterialIsNotPickedUp.get(lang),
        )),
        Some(_) => {}
    }
    let (Some((kit, _, Some(point))), Ok((pickup, ret)), true) = (target, dates, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let row = LineRow {
        kit,
        point,
        quantity: body.quantity,
        pickup: None,
        return_date: None,
    };
    Ok((row, pickup, ret))
}

/// Adds a line. The same kit type at the same point for the same dates adds to that
/// line's quantity instead (one reservation per kit type and dates).
pub async fn add_line(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &NewCartLine,
) -> Result<Cart> {
    let user = user(actor)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    add_in(&mut tx, user, lang, body, &now).await?;
    let (cart, _) = store::cart(&mut tx, user).await?;
    tx.commit().await?;
    Ok(cart)
}

/// `add_line` in the caller's transaction.
pub(super) async fn add_in(
    conn: &mut crate::db::Conn,
    user: UserId,
    lang: Lang,
    body: &NewCartLine,
    now: &str,
) -> Result<()> {
    let (row, pickup, ret) = line_row(conn, lang, body).await?;
    let row = LineRow {
        pickup: pickup.as_deref(),
        return_date: ret.as_deref(),
        ..row
    };
    let (_, lines) = store::cart(conn, user).await?;
    let same = lines.iter().find(|l| {
        l.kit == row.kit
            && l.point == row.point
            && l.line.pickup_date == pickup
            && l.line.return_date == ret
    });
    if let Some(same) = same {
        let merged = LineRow {
            quantity: (same.line.quantity + row.quantity).min(999),
            ..row
        };
        store::update_line(conn, user, same.line.id, &merged, now).await?;
    } else if lines.len() >= MAX_CART_LINES {
        return Err(AppError::Validation(vec![FieldError::new(
            "lines",
            Text::CartTooManyLines {
                max: &MAX_CART_LINES,
            }
            .get(lang),
        )]));
    } else {
        store::add_line(conn, user, &row, now).await?;
    }
    Ok(())
}

/// Replaces a line's content (404 for a line that is not in the person's cart).
pub async fn update_line(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    id: i64,
    body: &NewCartLine,
) -> Result<Cart> {
    let user = user(actor)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let (row, pickup, ret) = line_row(&mut tx, lang, body).await?;
    let row = LineRow {
        pickup: pickup.as_deref(),
        return_date: ret.as_deref(),
        ..row
    };
    if !store::update_line(&mut tx, user, id, &row, &now).await? {
        return Err(AppError::NotFound);
    }
    let (cart, _) = store::cart(&mut tx, user).await?;
    tx.commit().await?;
    Ok(cart)
}

/// Drops a line (404 for a line that is not in the person's cart).
pub async fn remove_line(db: &Db, actor: &Actor, id: i64) -> Result<Cart> {
    let user = user(actor)?;
    let mut tx = db.begin().await?;
    if store::remove_lines(&mut tx, user, &[id]).await? == 0 {
        return Err(AppError::NotFound);
    }
    let (cart, _) = store::cart(&mut tx, user).await?;
    tx.commit().await?;
    Ok(cart)
}

/// Empties the cart.
pub async fn clear(db: &Db, actor: &Actor) -> Result<()> {
    let user = user(actor)?;
    let mut tx = db.begin().await?;
    store::clear(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}
