//! A person's cart and the requests a sent cart makes. Placeholders are `$n`, dates travel
//! as `YYYY-MM-DD` strings, so the SQL is the same on both engines.

use super::{classify, Conn, DbResult};
use leenpunt_shared::cart::{Cart, CartLine};
use leenpunt_shared::{KitKind, KitTypeId, PickupPointId, SchoolId, UserId};

/// A cart line with the ids the booking needs.
#[derive(Debug, Clone)]
pub struct StoredLine {
    pub line: CartLine,
    pub kit: KitTypeId,
    pub point: PickupPointId,
}

/// The person's cart: its dates and its lines in the order they were added.
pub async fn cart(conn: &mut Conn, user: UserId) -> DbResult<(Cart, Vec<StoredLine>)> {
    let dates: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT pickup_date, return_date FROM carts WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *conn)
            .await?;
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        i64,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT l.id, k.slug, k.title, pp.slug, pp.name, l.quantity, l.pickup_date, \
           l.return_date, k.id, pp.id \
         FROM cart_lines l JOIN kit_types k ON k.id = l.kit_type_id \
         JOIN pickup_points pp ON pp.id = l.pickup_point_id \
         WHERE l.user_id = $1 ORDER BY l.id",
    )
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    let stored: Vec<StoredLine> = rows
        .into_iter()
        .map(
            |(id, kit, kit_title, point, point_name, quantity, pickup, ret, kit_id, point_id)| {
                StoredLine {
                    line: CartLine {
                        id,
                        kit,
                        kit_title,
                        pickup_point: point,
                        pickup_point_name: point_name,
                        quantity: quantity.max(0) as u32,
                        pickup_date: pickup,
                        return_date: ret,
                    },
                    kit: KitTypeId(kit_id),
                    point: PickupPointId(point_id),
                }
            },
        )
        .collect();
    let (pickup_date, return_date) = dates.unwrap_or_default();
    let cart = Cart {
        pickup_date,
        return_date,
        lines: stored.iter().map(|s| s.line.clone()).collect(),
    };
    Ok((cart, stored))
}

/// Sets the cart's shared dates (creating the cart).
pub async fn set_dates(
    conn: &mut Conn,
    user: UserId,
    pickup: Option<&str>,
    return_date: Option<&str>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO carts (user_id, pickup_date, return_date, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET pickup_date = excluded.pickup_date, \
           return_date = excluded.return_date, updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(pickup)
    .bind(return_date)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Creates the cart if the person has none yet.
async fn ensure(conn: &mut Conn, user: UserId, now: &str) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO carts (user_id, updated_at) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// What a line names: the kit type (with its kind) and, if the kit type is picked up
/// there, the pickup point. `None`: no such kit type.
pub async fn line_target(
    conn: &mut Conn,
    kit: &str,
    point: &str,
) -> DbResult<Option<(KitTypeId, KitKind, Option<PickupPointId>)>> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT k.id, k.kind, (SELECT pp.id FROM pickup_points pp \
           JOIN kit_type_pickup_points x ON x.pickup_point_id = pp.id \
           WHERE x.kit_type_id = k.id AND pp.slug = $2) \
         FROM kit_types k WHERE k.slug = $1",
    )
    .bind(kit)
    .bind(point)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, kind, point)| {
        (
            KitTypeId(id),
            KitKind::parse(&kind).unwrap_or(KitKind::LoanMaterial),
            point.map(PickupPointId),
        )
    }))
}

/// A line's content as stored.
#[derive(Debug, Clone, Copy)]
pub struct LineRow<'a> {
    pub kit: KitTypeId,
    pub point: PickupPointId,
    pub quantity: u32,
    pub pickup: Option<&'a str>,
    pub return_date: Option<&'a str>,
}

/// Adds a line (creating the cart).
pub async fn add_line(
    conn: &mut Conn,
    user: UserId,
    row: &LineRow<'_>,
    now: &str,
) -> DbResult<i64> {
    ensure(conn, user, now).await?;
    sqlx::query_scalar(
        "INSERT INTO cart_lines (user_id, kit_type_id, pickup_point_id, quantity, pickup_date, \
           return_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user.0)
    .bind(row.kit.0)
    .bind(row.point.0)
    .bind(i64::from(row.quantity))
    .bind(row.pickup)
    .bind(row.return_date)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)
}

/// Replaces a line of the person's cart; `false` when they have no such line.
pub async fn update_line(
    conn: &mut Conn,
    user: UserId,
    id: i64,
    row: &LineRow<'_>,
    now: &str,
) -> DbResult<bool> {
    let changed = sqlx::query(
        "UPDATE cart_lines SET kit_type_id = $1, pickup_point_id = $2, quantity = $3, \
           pickup_date = $4, return_date = $5 WHERE id = $6 AND user_id = $7",
    )
    .bind(row.kit.0)
    .bind(row.point.0)
    .bind(i64::from(row.quantity))
    .bind(row.pickup)
    .bind(row.return_date)
    .bind(id)
    .bind(user.0)
    .execute(&mut *conn)
    .await
    .map_err(classify)?
    .rows_affected();
    if changed > 0 {
        ensure(conn, user, now).await?;
    }
    Ok(changed > 0)
}

/// Removes lines of the person's cart; how many went.
pub async fn remove_lines(conn: &mut Conn, user: UserId, ids: &[i64]) -> DbResult<u64> {
    let mut removed = 0;
    for id in ids {
        removed += sqlx::query("DELETE FROM cart_lines WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// Empties the person's cart (lines and dates).
pub async fn clear(conn: &mut Conn, user: UserId) -> DbResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM carts WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A request to store: the lines of a sent cart at one pickup point.
#[derive(Debug, Clone, Copy)]
pub struct NewRequest<'a> {
    pub user: UserId,
    pub school: SchoolId,
    pub point: PickupPointId,
    /// The client's Idempotency-Key and the fingerprint of the cart it sent.
    pub idempotency_key: Option<(&'a str, &'a str)>,
}

pub async fn insert_request(conn: &mut Conn, r: &NewRequest<'_>, now: &str) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO requests (user_id, school_id, pickup_point_id, idempotency_key, \
           idempotency_fingerprint, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(r.user.0)
    .bind(r.school.0)
    .bind(r.point.0)
    .bind(r.idempotency_key.map(|(key, _)| key))
    .bind(r.idempotency_key.map(|(_, fingerprint)| fingerprint))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)
}

/// The requests a person made with an Idempotency-Key (with the fingerprint of that cart)
/// and, per request, its reservations' ids.
pub async fn requests_by_key(
    conn: &mut Conn,
    user: UserId,
    key: &str,
) -> DbResult<Vec<(i64, String, Option<String>, Vec<i64>)>> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT r.id, pp.slug, r.idempotency_fingerprint FROM requests r \
         JOIN pickup_points pp ON pp.id = r.pickup_point_id \
         WHERE r.user_id = $1 AND r.idempotency_key = $2 ORDER BY r.id",
    )
    .bind(user.0)
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, point, fingerprint) in rows {
        let lines: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM reservations WHERE request_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        out.push((id, point, fingerprint, lines));
    }
    Ok(out)
}

/// A kit type's title and a pickup point's name, for a visitor's cart (`None` when the
/// kit type is no longer picked up there).
pub async fn line_names(
    conn: &mut Conn,
    kit: &str,
    point: &str,
) -> DbResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT k.title, pp.name FROM kit_types k \
         JOIN kit_type_pickup_points x ON x.kit_type_id = k.id \
         JOIN pickup_points pp ON pp.id = x.pickup_point_id \
         WHERE k.slug = $1 AND pp.slug = $2",
    )
    .bind(kit)
    .bind(point)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Before a sending decides, on PostgreSQL (in its write transaction): locks the person's
/// row, so two sendings of one cart (a double click, a retry while the first still runs)
/// take turns and the second finds the first's requests and the emptied cart; then the
/// kit types of the cart's lines **in id order**, so carts wanting the same kit types in
/// different orders wait for each other instead of deadlocking (each line's own lock,
/// `reservations::lock_kit`, is then already held). Nothing on SQLite, where
/// `BEGIN IMMEDIATE` already serialises writers.
pub async fn lock_for_sending(conn: &mut Conn, user: UserId) -> DbResult<()> {
    let Some(lock) = super::row_lock(conn) else {
        return Ok(());
    };
    super::lock_rows(conn, "users", "id", user.0).await?;
    sqlx::query(&format!(
        "SELECT k.id FROM kit_types k WHERE k.id IN \
           (SELECT l.kit_type_id FROM cart_lines l WHERE l.user_id = $1) ORDER BY k.id{lock}"
    ))
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}
