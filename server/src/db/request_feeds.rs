//! Calendar feeds of requests (issue 20): a sent cart's lines at one pickup point are one
//! request, and a teacher's or school's feed shows it as one event. This reads, for a
//! feed, every line of every request that has a line in it.

use super::feeds::{item, push_scope, FeedScope, ItemRow, SELECT_ITEMS};
use super::{Db, DbResult};
use crate::domain::ical::request::FeedRequest;
use chrono::NaiveDate;
use leenpunt_shared::UserId;

/// `ItemRow` with the request it belongs to at the end.
type RequestItemRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    String,
    i64,
);

impl Db {
    /// The requests of which a feed shows at least one line, each with **all** its lines
    /// (also lines outside the feed's window, so the event's SEQUENCE and period do not
    /// jump when one line leaves the window), by pickup day and id.
    pub async fn feed_requests(
        &self,
        scope: FeedScope,
        owner: UserId,
        since: NaiveDate,
        cancelled_since: &str,
        link: &str,
    ) -> DbResult<Vec<FeedRequest>> {
        let mut q = crate::db::SqlBuilder::new(SELECT_ITEMS.replacen(
            " FROM reservations r",
            ", r.request_id FROM reservations r",
            1,
        ));
        q.push(" WHERE r.request_id IN (SELECT r.request_id FROM reservations r");
        push_scope(&mut q, scope, owner, since, cancelled_since);
        q.push(" AND r.request_id IS NOT NULL) ORDER BY r.request_id, r.id");
        let rows = q
            .build_query_as::<RequestItemRow>()
            .fetch_all(self.pool())
            .await?;
        let mut out: Vec<FeedRequest> = Vec::new();
        for r in rows {
            let request = r.14;
            let line = item(
                (
                    r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13,
                ) as ItemRow,
                link,
            );
            match out.last_mut() {
                Some(last) if last.id == request => last.lines.push(line),
                _ => out.push(FeedRequest {
                    id: request,
                    lines: vec![line],
                }),
            }
        }
        out.sort_by_key(|r| (r.first_pickup(), r.id));
        Ok(out)
    }
}
