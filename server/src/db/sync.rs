//! Reads for the sync collections: rows in change order (`change_seq`, kept by the triggers
//! of migration `20261201000080_sync_changes`), after a cursor, changed at or after an
//! instant, narrowed to what the asker may see.

use super::handover::{unit, UnitRecord, SELECT_UNIT};
use super::reservations::{fill_return_notes, record, select_record, ReservationRecord};
use super::{Db, DbResult};
use leenpunt_shared::PartnerId;
use sqlx::Row;

/// Which changed rows to read. `partners: None` is no restriction (admins).
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only rows with a larger `change_seq` (the cursor; 0 from the start).
    pub after: i64,
    /// Only rows whose `changed_at` is at or after this (`YYYY-MM-DDTHH:MM:SS.sssZ`).
    pub since: Option<String>,
    pub partners: Option<Vec<PartnerId>>,
    pub limit: u32,
}

/// The visible, filtered set as a whole (cursor and limit aside): what the ETag is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeSummary {
    pub count: i64,
    pub max_seq: i64,
}

/// A reservation with its place in the change sequence.
#[derive(Debug, Clone)]
pub struct ChangedReservation {
    pub record: ReservationRecord,
    pub change_seq: i64,
    pub changed_at: String,
}

/// A unit with its place in the change sequence.
#[derive(Debug, Clone)]
pub struct ChangedUnit {
    pub record: UnitRecord,
    pub change_seq: i64,
    pub changed_at: String,
}

/// A school with its place in the change sequence.
#[derive(Debug, Clone)]
pub struct ChangedSchool {
    pub school: leenpunt_shared::accounts::SchoolOption,
    pub change_seq: i64,
    pub changed_at: String,
}

/// The filters; `table` is the alias of the synced table, `k` the kit type's.
fn narrow(q: &mut crate::db::SqlBuilder<'_>, table: &str, f: &ChangeQuery) {
    if let Some(since) = &f.since {
        q.push(format!(" AND {table}.changed_at >= "))
            .push_bind(since.clone());
    }
    if let Some(partners) = &f.partners {
        super::push_in(q, "k.partner_id", partners.iter().map(|p| p.0));
    }
}

impl Db {
    /// One page of reservations in change order, and the summary of the whole filtered
    /// set, read in one snapshot.
    pub async fn changed_reservations(
        &self,
        f: &ChangeQuery,
    ) -> DbResult<(Vec<ChangedReservation>, ChangeSummary)> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let mut summary = crate::db::SqlBuilder::new(
            "SELECT count(*), coalesce(max(r.change_seq), 0) FROM reservations r \
             JOIN kit_types k ON k.id = r.kit_type_id WHERE 1 = 1",
        );
        narrow(&mut summary, "r", f);
        let row = summary.build().fetch_one(&mut *tx).await?;
        let summary = ChangeSummary {
            count: row.get(0),
            max_seq: row.get(1),
        };
        // The record's columns, then the two sync columns at the end.
        let select = select_record(self.engine()).replacen(
            " FROM reservations r",
            ", r.change_seq, r.changed_at FROM reservations r",
            1,
        );
        let mut q = crate::db::SqlBuilder::new(select);
        q.push(" WHERE r.change_seq > ").push_bind(f.after);
        narrow(&mut q, "r", f);
        q.push(" ORDER BY r.change_seq LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 1000)));
        let rows = q.build().fetch_all(&mut *tx).await?;
        let width = rows.first().map(|r| r.len()).unwrap_or(0);
        let mut records: Vec<ReservationRecord> = rows.iter().map(record).collect();
        fill_return_notes(&mut tx, &mut records).await?;
        tx.commit().await?;
        let changed = records
            .into_iter()
            .zip(&rows)
            .map(|(record, row)| ChangedReservation {
                record,
                change_seq: row.get(width - 2),
                changed_at: row.get(width - 1),
            })
            .collect();
        Ok((changed, summary))
    }

    /// One page of units in change order, and the summary of the whole filtered set, read
    /// in one snapshot.
    pub async fn changed_units(
        &self,
        f: &ChangeQuery,
    ) -> DbResult<(Vec<ChangedUnit>, ChangeSummary)> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let mut summary = crate::db::SqlBuilder::new(
            "SELECT count(*), coalesce(max(u.change_seq), 0) FROM units u \
             JOIN kit_types k ON k.id = u.kit_type_id WHERE 1 = 1",
        );
        narrow(&mut summary, "u", f);
        let row = summary.build().fetch_one(&mut *tx).await?;
        let summary = ChangeSummary {
            count: row.get(0),
            max_seq: row.get(1),
        };
        let select = SELECT_UNIT.replacen(
            " FROM units u",
            ", u.change_seq, u.changed_at FROM units u",
            1,
        );
        let mut q = crate::db::SqlBuilder::new(select);
        q.push(" WHERE u.change_seq > ").push_bind(f.after);
        narrow(&mut q, "u", f);
        q.push(" ORDER BY u.change_seq LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 1000)));
        let rows = q.build().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok((
            rows.iter()
                .map(|r| ChangedUnit {
                    record: unit(r),
                    change_seq: r.get(r.len() - 2),
                    changed_at: r.get(r.len() - 1),
                })
                .collect(),
            summary,
        ))
    }

    /// One page of schools in change order, and the summary of the whole filtered set,
    /// read in one snapshot (schools are public: no partner filter applies).
    pub async fn changed_schools(
        &self,
        f: &ChangeQuery,
    ) -> DbResult<(Vec<ChangedSchool>, ChangeSummary)> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let mut summary = crate::db::SqlBuilder::new(
            "SELECT count(*), coalesce(max(s.change_seq), 0) FROM schools s WHERE 1 = 1",
        );
        if let Some(since) = &f.since {
            summary
                .push(" AND s.changed_at >= ")
                .push_bind(since.clone());
        }
        let row = summary.build().fetch_one(&mut *tx).await?;
        let summary = ChangeSummary {
            count: row.get(0),
            max_seq: row.get(1),
        };
        let mut q = crate::db::SqlBuilder::new(
            "SELECT s.instellingsnummer, s.name, s.municipality, s.change_seq, s.changed_at \
             FROM schools s WHERE s.change_seq > ",
        );
        q.push_bind(f.after);
        if let Some(since) = &f.since {
            q.push(" AND s.changed_at >= ").push_bind(since.clone());
        }
        q.push(" ORDER BY s.change_seq LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 1000)));
        let rows = q.build().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok((
            rows.iter()
                .map(|r| ChangedSchool {
                    school: leenpunt_shared::accounts::SchoolOption {
                        number: r.get(0),
                        name: r.get(1),
                        municipality: r.get(2),
                    },
                    change_seq: r.get(3),
                    changed_at: r.get(4),
                })
                .collect(),
            summary,
        ))
    }
}
