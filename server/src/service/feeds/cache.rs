//! Built feed bodies, kept per feed under the digest of the fingerprint they were built
//! from, so an unchanged feed's full GET skips building the iCalendar text (and
//! compressing it). The fingerprint itself is always read from the database, so the cache
//! stays right when several server processes share one database: a process only ever
//! serves a body whose fingerprint the database confirmed on this very request.
//!
//! An entry also remembers the change stamps (`feed_stamps`) its fingerprint was read
//! with: while a request reads the same stamps back from the database, the fingerprint
//! is still the one remembered, and the request skips the fingerprint query too. The
//! stamps are read on every request, so this stays right across processes as well.
//!
//! Bounded by a byte budget; the least recently used feeds go first. One entry per feed:
//! a new fingerprint replaces (drops) the old bodies.

use crate::domain::ical::conditional::Coding;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// The default budget: room for a few hundred large feeds.
pub const DEFAULT_BUDGET: usize = 32 * 1024 * 1024;

/// The cache, shared by all requests of a process.
#[derive(Clone)]
pub struct FeedCache {
    inner: Arc<Mutex<Inner>>,
}

impl Default for FeedCache {
    fn default() -> Self {
        FeedCache::with_budget(DEFAULT_BUDGET)
    }
}

impl std::fmt::Debug for FeedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("FeedCache")
            .field("feeds", &inner.entries.len())
            .field("bytes", &inner.used)
            .field("budget", &inner.budget)
            .finish()
    }
}

#[derive(Debug)]
struct Inner {
    budget: usize,
    used: usize,
    tick: u64,
    entries: HashMap<i64, Entry>,
    /// Last use → feed, oldest first.
    recency: BTreeMap<u64, i64>,
}

#[derive(Debug)]
struct Entry {
    digest: String,
    /// One body per coding, filled as clients ask for them.
    bodies: [Option<Bytes>; 3],
    /// The key (stamps and everything else the digest is made of) the digest was read
    /// with, and the newest dated change the fingerprint named.
    known: Option<(String, Option<DateTime<Utc>>)>,
    tick: u64,
}

/// What an entry costs besides its texts (map slots, recency, the struct itself), so
/// that entries without bodies are bounded too.
const ENTRY_OVERHEAD: usize = 128;

impl Entry {
    fn size(&self) -> usize {
        self.bodies.iter().flatten().map(Bytes::len).sum::<usize>()
            + self.digest.len()
            + self.known.as_ref().map_or(0, |(key, _)| key.len())
            + ENTRY_OVERHEAD
    }
}

impl FeedCache {
    pub fn with_budget(budget: usize) -> Self {
        FeedCache {
            inner: Arc::new(Mutex::new(Inner {
                budget,
                used: 0,
                tick: 0,
                entries: HashMap::new(),
                recency: BTreeMap::new(),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map stays consistent even if a holder panicked: every change is one step.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The body of `feed` in `coding` if it was built from the fingerprint `digest`. An
    /// entry of another fingerprint is stale: it is dropped.
    pub fn get(&self, feed: i64, digest: &str, coding: Coding) -> Option<Bytes> {
        let mut inner = self.lock();
        let fresh = inner.entries.get(&feed).map(|e| e.digest == digest)?;
        if !fresh {
            inner.remove(feed);
            return None;
        }
        let body = inner.entries.get(&feed)?.bodies[coding.index()].clone()?;
        inner.touch(feed);
        Some(body)
    }

    /// Keeps `body` as the `coding` body of `feed` at fingerprint `digest`.
    pub fn put(&self, feed: i64, digest: &str, coding: Coding, body: Bytes) {
        let size = body.len();
        self.update(feed, digest, size, |e| {
            e.bodies[coding.index()] = Some(body)
        });
    }

    /// The digest and newest change of `feed`'s fingerprint, if it was read under `key`
    /// (the feed's change stamps with everything else its digest is made of).
    pub fn known(&self, feed: i64, key: &str) -> Option<(String, Option<DateTime<Utc>>)> {
        let mut inner = self.lock();
        let entry = inner.entries.get(&feed)?;
        let (known, newest) = entry.known.as_ref()?;
        if known != key {
            return None;
        }
        let answer = (entry.digest.clone(), *newest);
        inner.touch(feed);
        Some(answer)
    }

    /// Remembers that `feed`'s fingerprint read under `key` has `digest`. Bodies of
    /// another digest are dropped.
    pub fn know(&self, feed: i64, key: &str, digest: &str, newest: Option<DateTime<Utc>>) {
        self.update(feed, digest, key.len(), |e| {
            e.known = Some((key.to_owned(), newest))
        });
    }

    /// Changes `feed`'s entry at fingerprint `digest` with `change`, which adds about
    /// `adds` bytes: an entry of another digest is dropped first, the entry becomes the
    /// most recently used, and the least recently used others go while over budget. Too
    /// big for the budget on its own: the feed is not kept at all.
    fn update(&self, feed: i64, digest: &str, adds: usize, change: impl FnOnce(&mut Entry)) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        if adds + digest.len() + ENTRY_OVERHEAD > inner.budget {
            inner.remove(feed);
            return;
        }
        if inner.entries.get(&feed).is_some_and(|e| e.digest != digest) {
            inner.remove(feed);
        }
        inner.tick += 1;
        let tick = inner.tick;
        let before = inner.entries.get(&feed).map_or(0, Entry::size);
        let entry = inner.entries.entry(feed).or_insert_with(|| Entry {
            digest: digest.to_owned(),
            bodies: [None, None, None],
            known: None,
            tick,
        });
        let old_tick = std::mem::replace(&mut entry.tick, tick);
        change(entry);
        let after = entry.size();
        inner.recency.remove(&old_tick);
        inner.recency.insert(tick, feed);
        inner.used = inner.used + after - before;
        inner.evict(feed);
    }

    /// (feeds, bytes) held now.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.used)
    }
}

impl Inner {
    fn remove(&mut self, feed: i64) {
        if let Some(e) = self.entries.remove(&feed) {
            self.used -= e.size();
            self.recency.remove(&e.tick);
        }
    }

    fn touch(&mut self, feed: i64) {
        self.tick += 1;
        let tick = self.tick;
        if let Some(e) = self.entries.get_mut(&feed) {
            let old = std::mem::replace(&mut e.tick, tick);
            self.recency.remove(&old);
            self.recency.insert(tick, feed);
        }
    }

    /// Drops the least recently used feeds until the budget holds, never `keep`.
    fn evict(&mut self, keep: i64) {
        while self.used > self.budget {
            let Some(oldest) = self.recency.values().copied().find(|f| *f != keep) else {
                break;
            };
            self.remove(oldest);
        }
    }
}

/// A body compressed for a coding: gzip at level 6 and brotli at quality 5, close to what
/// the compression layer does for other responses but done once per feed version.
pub fn compress(body: &[u8], coding: Coding) -> std::io::Result<Bytes> {
    Ok(Bytes::from(match coding {
        Coding::Identity => body.to_vec(),
        Coding::Gzip => {
            let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            w.write_all(body)?;
            w.finish()?
        }
        Coding::Brotli => {
            let mut out = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                w.write_all(body)?;
                w.flush()?;
            }
            out
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn a_body_is_served_only_for_its_fingerprint() {
        let cache = FeedCache::with_budget(1000);
        cache.put(1, "aa", Coding::Identity, body(10));
        assert_eq!(cache.get(1, "aa", Coding::Identity), Some(body(10)));
        assert_eq!(
            cache.get(1, "aa", Coding::Gzip),
            None,
            "not built in that coding yet"
        );
        assert_eq!(cache.get(2, "aa", Coding::Identity), None, "another feed");
        assert_eq!(
            cache.get(1, "bb", Coding::Identity),
            None,
            "a new fingerprint"
        );
        assert_eq!(cache.usage(), (0, 0), "the stale entry is dropped");
        assert_eq!(cache.get(1, "aa", Coding::Identity), None);
    }

    #[test]
    fn codings_share_one_entry_and_a_new_fingerprint_replaces_them() {
        let cache = FeedCache::with_budget(1000);
        cache.put(1, "aa", Coding::Identity, body(100));
        cache.put(1, "aa", Coding::Brotli, body(10));
        assert_eq!(cache.usage(), (1, 112 + ENTRY_OVERHEAD));
        cache.put(1, "bb", Coding::Gzip, body(20));
        assert_eq!(cache.usage(), (1, 22 + ENTRY_OVERHEAD));
        assert_eq!(cache.get(1, "bb", Coding::Brotli), None);
        assert_eq!(cache.get(1, "bb", Coding::Gzip), Some(body(20)));
    }

    #[test]
    fn the_budget_holds_and_the_least_recently_used_goes_first() {
        // Room for three entries of a 98-byte body.
        let one = 98 + 2 + ENTRY_OVERHEAD;
        let cache = FeedCache::with_budget(3 * one);
        cache.put(1, "aa", Coding::Identity, body(98));
        cache.put(2, "aa", Coding::Identity, body(98));
        cache.put(3, "aa", Coding::Identity, body(98));
        assert_eq!(cache.usage(), (3, 3 * one));
        // Feed 1 is read, so feed 2 is now the oldest.
        assert!(cache.get(1, "aa", Coding::Identity).is_some());
        cache.put(4, "aa", Coding::Identity, body(98));
        assert_eq!(cache.usage(), (3, 3 * one));
        assert!(cache.get(2, "aa", Coding::Identity).is_none());
        for feed in [1, 3, 4] {
            assert!(cache.get(feed, "aa", Coding::Identity).is_some(), "{feed}");
        }
        // A body larger than the whole budget is not kept, and takes nothing with it.
        cache.put(5, "aa", Coding::Identity, body(3 * one));
        assert_eq!(cache.usage(), (3, 3 * one));
        // Growing one entry past the budget evicts others, not itself.
        cache.put(4, "aa", Coding::Gzip, body(150));
        assert!(cache.usage().1 <= 3 * one);
        assert!(cache.get(4, "aa", Coding::Gzip).is_some());
    }

    #[test]
    fn a_fingerprint_is_known_only_under_the_stamps_it_was_read_with() {
        let cache = FeedCache::with_budget(10_000);
        let newest = DateTime::parse_from_rfc3339("2026-11-20T10:00:00+00:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(cache.known(1, "s1"), None);
        cache.know(1, "s1", "aa", Some(newest));
        assert_eq!(cache.known(1, "s1"), Some(("aa".to_owned(), Some(newest))));
        assert_eq!(cache.known(1, "s2"), None, "other stamps");
        assert_eq!(cache.known(2, "s1"), None, "another feed");
        cache.put(1, "aa", Coding::Identity, body(10));
        // New stamps, same fingerprint: the bodies stay.
        cache.know(1, "s2", "aa", Some(newest));
        assert_eq!(cache.known(1, "s1"), None);
        assert_eq!(cache.get(1, "aa", Coding::Identity), Some(body(10)));
        // New stamps and a new fingerprint: the old bodies go.
        cache.know(1, "s3", "bb", None);
        assert_eq!(cache.known(1, "s3"), Some(("bb".to_owned(), None)));
        assert_eq!(cache.get(1, "aa", Coding::Identity), None);
        assert_eq!(cache.get(1, "bb", Coding::Identity), None);
        // Entries without bodies count against the budget too.
        let small = FeedCache::with_budget(3 * (2 + 2 + ENTRY_OVERHEAD));
        for feed in 0..10 {
            small.know(feed, "s1", "aa", None);
        }
        assert_eq!(small.usage().0, 3);
        assert!(small.known(9, "s1").is_some() && small.known(0, "s1").is_none());
    }

    #[test]
    fn compressed_bodies_decompress_to_the_original() {
        use std::io::Read;
        let text = "BEGIN:VCALENDAR\r\n".repeat(200);
        let gz = compress(text.as_bytes(), Coding::Gzip).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = compress(text.as_bytes(), Coding::Brotli).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 10);
    }
}
