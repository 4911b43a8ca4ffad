//! Qualifications: granted by attendance or by hand, revoked.

use super::*;

/// A new qualification.
pub struct NewQualification<'a> {
    pub user: UserId,
    pub training: TrainingTypeId,
    pub session: Option<i64>,
    pub granted_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub granted_by: Option<UserId>,
    pub reason: &'a str,
}

/// Grants a qualification; one per attended session (a repeat is ignored). Returns its id
/// when it is new.
pub async fn grant(
    conn: &mut AnyConnection,
    q: &NewQualification<'_>,
    now: &str,
) -> DbResult<Option<i64>> {
    if let Some(session) = q.session {
        // Attendance ticked again after a correction: the revoked grant comes back.
        let revived = sqlx::query(
            "UPDATE qualifications SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL \
             WHERE user_id = $1 AND session_id = $2 RETURNING id",
        )
        .bind(q.user.0)
        .bind(session)
        .fetch_optional(&mut *conn)
        .await?;
        if revived.is_some() {
            return Ok(None);
        }
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO qualifications (user_id, training_type_id, session_id, granted_on, \
         valid_until, granted_by, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(q.user.0)
    .bind(q.training.0)
    .bind(q.session)
    .bind(q.granted_on.to_string())
    .bind(q.valid_until.map(|d| d.to_string()))
    .bind(q.granted_by.map(|u| u.0))
    .bind(q.reason)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Revokes a qualification (by id, or the one an attended session granted). Returns
/// whether something was revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: Option<i64>,
    by_session: Option<(UserId, i64)>,
    by: Option<UserId>,
    reason: &str,
    now: &str,
) -> DbResult<bool> {
    let (user, session) = by_session.map_or((None, None), |(u, s)| (Some(u.0), Some(s)));
    let done = sqlx::query(
        "UPDATE qualifications SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 \
         WHERE revoked_at IS NULL AND (id = $4 OR (user_id = $5 AND session_id = $6))",
    )
    .bind(now)
    .bind(by.map(|u| u.0))
    .bind(reason)
    .bind(id)
    .bind(user)
    .bind(session)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A qualification's owner and training partner, for the policy.
pub async fn qualification_owner(
    conn: &mut AnyConnection,
    id: i64,
) -> DbResult<Option<(UserId, PartnerId)>> {
    Ok(sqlx::query(
        "SELECT q.user_id, t.partner_id FROM qualifications q \
         JOIN training_types t ON t.id = q.training_type_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (UserId(r.get(0)), PartnerId(r.get(1)))))
}

/// Whose qualifications to list.
#[derive(Debug, Clone, Copy)]
pub enum QualificationsOf {
    User(UserId),
    /// Every teacher of a school.
    School(SchoolId),
    /// Everyone holding one of a partner's trainings.
    Partner(PartnerId),
    All,
}

impl Db {
    /// Qualifications, by holder name then training; `today` decides "expired".
    pub async fn qualifications(
        &self,
        of: QualificationsOf,
        today: NaiveDate,
    ) -> DbResult<Vec<Qualification>> {
        let (clause, id) = match of {
            QualificationsOf::User(u) => ("q.user_id = $1", u.0),
            QualificationsOf::School(s) => (
                "q.user_id IN (SELECT user_id FROM user_roles WHERE role = 'teacher' AND school_id = $1)",
                s.0,
            ),
            QualificationsOf::Partner(p) => ("t.partner_id = $1", p.0),
            QualificationsOf::All => ("$1 = 0", 0),
        };
        let sql = format!(
            "SELECT q.id, u.id, u.name, t.slug, t.title, q.granted_on, q.valid_until, g.name, \
               q.reason, q.revoked_at, q.revoke_reason \
             FROM qualifications q JOIN users u ON u.id = q.user_id \
             JOIN training_types t ON t.id = q.training_type_id \
             LEFT JOIN users g ON g.id = q.granted_by \
             WHERE {clause} ORDER BY u.name, u.id, t.title, q.granted_on DESC LIMIT 2000"
        );
        let today = today.to_string();
        Ok(sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let valid_until: Option<String> = r.get(6);
                let revoked = r.get::<Option<String>, _>(9).is_some();
                let state = if revoked {
                    "ingetrokken"
                } else if valid_until.as_deref().is_some_and(|u| u < today.as_str()) {
                    "verlopen"
                } else {
                    "geldig"
                };
                Qualification {
                    id: r.get(0),
                    user: UserId(r.get(1)),
                    user_name: r.get(2),
                    training_slug: r.get(3),
                    training_title: r.get(4),
                    granted_on: r.get(5),
                    valid_until,
                    granted_by: r.get(7),
                    reason: r.get(8),
                    state: state.to_owned(),
                    revoke_reason: r.get(10),
                }
            })
            .collect())
    }
}
