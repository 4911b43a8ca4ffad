//! The cart of a visitor who has not signed in: kept in their browser (the HTTP layer
//! keeps it in a cookie), checked with the same line rules as a person's cart, and added
//! to the person's own cart when they sign in.

use super::lines::{add_in, dates, line_row};
use crate::db::cart as store;
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::cart::{
    AnonymousCart, Cart, CartDates, CartLine, NewCartLine, MAX_ANONYMOUS_LINES,
};
use leenpunt_shared::{FieldError, Lang, UserId};

/// The visitor's cart as a person's cart looks (line ids are positions, from 1); lines
/// whose kit type is no longer picked up at their point are left out.
pub async fn view(db: &Db, anon: &AnonymousCart) -> Result<Cart> {
    let mut conn = db.read().await?;
    let mut lines = Vec::with_capacity(anon.lines.len());
    for (i, l) in anon.lines.iter().enumerate() {
        if let Some((kit_title, point_name)) =
            store::line_names(&mut conn, &l.kit, &l.pickup_point).await?
        {
            lines.push(CartLine {
                id: i as i64 + 1,
                kit: l.kit.clone(),
                kit_title,
                pickup_point: l.pickup_point.clone(),
                pickup_point_name: point_name,
                quantity: l.quantity,
                pickup_date: l.pickup_date.clone(),
                return_date: l.return_date.clone(),
            });
        }
    }
    Ok(Cart {
        pickup_date: anon.pickup_date.clone(),
        return_date: anon.return_date.clone(),
        lines,
    })
}

/// A line checked like a person's line, with its dates normalised.
async fn checked(db: &Db, lang: Lang, body: &NewCartLine) -> Result<NewCartLine> {
    let mut conn = db.read().await?;
    let (_, pickup_date, return_date) = line_row(&mut conn, lang, body).await?;
    Ok(NewCartLine {
        kit: body.kit.trim().to_owned(),
        pickup_point: body.pickup_point.trim().to_owned(),
        quantity: body.quantity,
        pickup_date,
        return_date,
    })
}

/// Adds a line (the same kit type, point and dates add to that line).
pub async fn add(
    db: &Db,
    lang: Lang,
    mut anon: AnonymousCart,
    body: &NewCartLine,
) -> Result<AnonymousCart> {
    let line = checked(db, lang, body).await?;
    let full = anon.lines.len() >= MAX_ANONYMOUS_LINES;
    let same = anon.lines.iter_mut().find(|l| {
        l.kit == line.kit
            && l.pickup_point == line.pickup_point
            && l.pickup_date == line.pickup_date
            && l.return_date == line.return_date
    });
    match same {
        Some(same) => same.quantity = (same.quantity + line.quantity).min(999),
        None if full => {
            return Err(AppError::Validation(vec![FieldError::new(
                "lines",
                Text::CartTooManyLines {
                    max: &MAX_ANONYMOUS_LINES,
                }
                .get(lang),
            )]))
        }
        None => anon.lines.push(line),
    }
    Ok(anon)
}

/// Replaces line `id` (a position from 1).
pub async fn update(
    db: &Db,
    lang: Lang,
    mut anon: AnonymousCart,
    id: i64,
    body: &NewCartLine,
) -> Result<AnonymousCart> {
    let line = checked(db, lang, body).await?;
    let slot = usize::try_from(id - 1)
        .ok()
        .and_then(|i| anon.lines.get_mut(i))
        .ok_or(AppError::NotFound)?;
    *slot = line;
    Ok(anon)
}

/// Drops line `id` (a position from 1).
pub fn remove(mut anon: AnonymousCart, id: i64) -> Result<AnonymousCart> {
    let i = usize::try_from(id - 1)
        .ok()
        .filter(|i| *i < anon.lines.len())
        .ok_or(AppError::NotFound)?;
    anon.lines.remove(i);
    Ok(anon)
}

/// Sets the shared dates.
pub fn set_dates(lang: Lang, mut anon: AnonymousCart, body: &CartDates) -> Result<AnonymousCart> {
    let (pickup, ret) = dates(
        body.pickup_date.as_deref(),
        body.return_date.as_deref(),
        lang,
    )?;
    anon.pickup_date = pickup;
    anon.return_date = ret;
    Ok(anon)
}

/// Adds a visitor's cart to the person's own cart as they sign in, in one transaction:
/// every line that is still valid (equal lines add up), and the visitor's dates when the
/// person's cart has none. Lines no longer valid (a kit type gone) are left out.
pub async fn merge(db: &Db, clock: &dyn Clock, user: UserId, anon: &AnonymousCart) -> Result<()> {
    if anon.lines.is_empty() && anon.pickup_date.is_none() {
        return Ok(());
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let (mine, _) = store::cart(&mut tx, user).await?;
    if mine.pickup_date.is_none() && anon.pickup_date.is_some() {
        store::set_dates(
            &mut tx,
            user,
            anon.pickup_date.as_deref(),
            anon.return_date.as_deref(),
            &now,
        )
        .await?;
    }
    for line in anon.lines.iter().take(MAX_ANONYMOUS_LINES) {
        match add_in(&mut tx, user, Lang::Nl, line, &now).await {
            Ok(()) | Err(AppError::Validation(_)) => {}
            Err(other) => return Err(other),
        }
    }
    tx.commit().await?;
    Ok(())
}
