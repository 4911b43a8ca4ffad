//! What the training gate reads: the trainings a kit type requires and what a person holds
//! or is registered for.

use super::*;

/// The SQL of the gate's inputs for kit type `k.id`, the user bound as `user` and seats in
/// sessions starting from `from` on: a JSON array of [training id, slug, title,
/// [[granted, until, revoked]…], [[session, starts at]…]].
pub fn gate_json(e: crate::db::Engine, user: &str, from: &str) -> String {
    let granted = e.json_value(&format!(
        "SELECT {} FROM qualifications q WHERE q.user_id = {user} AND q.training_type_id = t.id",
        e.json_rows(
            "q.granted_on, q.valid_until, CASE WHEN q.revoked_at IS NOT NULL THEN 1 ELSE 0 END"
        )
    ));
    let seats = e.json_value(&format!(
        "SELECT {} FROM training_registrations g \
           JOIN training_sessions s ON s.id = g.session_id \
           WHERE g.user_id = {user} AND s.training_type_id = t.id AND g.status = 'ingeschreven' \
             AND s.cancelled_at IS NULL AND s.starts_at >= {from}",
        e.json_rows("s.id, s.starts_at")
    ));
    format!(
        "(SELECT {} FROM kit_type_trainings kt JOIN training_types t ON t.id = kt.training_type_id \
         WHERE kt.kit_type_id = k.id)",
        e.json_rows(&format!("t.id, t.slug, t.title, {granted}, {seats}"))
    )
}

/// What the gate needs to know about one borrower and one kit type.
#[derive(Debug, Clone, Default)]
pub struct GateInputs {
    pub required: Vec<Required>,
    pub held: Vec<Held>,
    pub registered: Vec<Registered>,
}

pub(super) type GateRow = (
    i64,
    String,
    String,
    Vec<(String, Option<String>, i64)>,
    Vec<(i64, String)>,
);

/// Reads the JSON `gate_json` produces. Unreadable input is an error, never an open gate.
pub fn gate_inputs(json: Option<&str>) -> DbResult<GateInputs> {
    use crate::domain::clock::brussels_date;
    let rows: Vec<GateRow> = match json {
        Some(j) => serde_json::from_str(j).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        None => Vec::new(),
    };
    let mut inputs = GateInputs::default();
    for (id, slug, title, held, seats) in rows {
        let training = TrainingTypeId(id);
        inputs.required.push(Required {
            training,
            slug,
            title,
        });
        inputs
            .held
            .extend(held.into_iter().map(|(granted, until, revoked)| Held {
                training,
                granted_on: day(&granted),
                valid_until: until.as_deref().map(day),
                revoked: revoked != 0,
            }));
        inputs
            .registered
            .extend(seats.into_iter().map(|(session, starts)| Registered {
                training,
                session,
                day: brussels_date(instant(&starts)),
            }));
    }
    Ok(inputs)
}

/// The gate's inputs for a user and a kit type (by id), with seats in sessions from
/// `from` on.
pub async fn gate_for(
    conn: &mut AnyConnection,
    kit: KitTypeId,
    user: UserId,
    from: &str,
) -> DbResult<GateInputs> {
    let sql = format!(
        "SELECT {} FROM kit_types k WHERE k.id = $3",
        gate_json(crate::db::Engine::of(conn), "$1", "$2")
    );
    let json: Option<String> = sqlx::query_scalar(&sql)
        .bind(user.0)
        .bind(from)
        .bind(kit.0)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    gate_inputs(json.as_deref())
}
