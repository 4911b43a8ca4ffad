//! Built feed bodies, kept per feed under the digest of the fingerprint they were built
//! from, so an unchanged feed's full GET skips building the iCalendar text (and
//! compressing it). The fingerprint itself is always read from the database, so the cache
//! stays right when several server processes share one database: a process only ever
//! serves a body whose fingerprint the database confirmed on this very request.
//!
//! Bounded by a byte budget; the least recently used feeds go first. One entry per feed:
//! a new fingerprint replaces (drops) the old bodies.

use crate::domain::ical::conditional::Coding;
use axum::body::Bytes;
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
    tick: u64,
}

impl Entry {
    fn size(&self) -> usize {
        self.bodies.iter().flatten().map(Bytes::len).sum::<usize>() + self.digest.len()
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
        let mut guard = self.lock();
        let inner = &mut *guard;
        if body.len() + digest.len() > inner.budget {
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
            tick,
        });
        let old_tick = std::mem::replace(&mut entry.tick, tick);
        entry.bodies[coding.index()] = Some(body);
        let after = entry.size();
        inner.recency.remove(&old_tick);
        inner.recency.insert(tick, feed);
        inner.used = inner.used - before + after;
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
        assert_eq!(cache.usage(), (1, 112));
        cache.put(1, "bb", Coding::Gzip, body(20));
        assert_eq!(cache.usage(), (1, 22));
        assert_eq!(cache.get(1, "bb", Coding::Brotli), None);
        assert_eq!(cache.get(1, "bb", Coding::Gzip), Some(body(20)));
    }

    #[test]
    fn the_budget_holds_and_the_least_recently_used_goes_first() {
        let cache = FeedCache::with_budget(300);
        cache.put(1, "aa", Coding::Identity, body(98));
        cache.put(2, "aa", Coding::Identity, body(98));
        cache.put(3, "aa", Coding::Identity, body(98));
        assert_eq!(cache.usage(), (3, 300));
        // Feed 1 is read, so feed 2 is now the oldest.
        assert!(cache.get(1, "aa", Coding::Identity).is_some());
        cache.put(4, "aa", Coding::Identity, body(98));
        assert_eq!(cache.usage(), (3, 300));
        assert!(cache.get(2, "aa", Coding::Identity).is_none());
        for feed in [1, 3, 4] {
            assert!(cache.get(feed, "aa", Coding::Identity).is_some(), "{feed}");
        }
        // A body larger than the whole budget is not kept, and takes nothing with it.
        cache.put(5, "aa", Coding::Identity, body(400));
        assert_eq!(cache.usage(), (3, 300));
        // Growing one entry past the budget evicts others, not itself.
        cache.put(4, "aa", Coding::Gzip, body(150));
        assert!(cache.usage().1 <= 300);
        assert!(cache.get(4, "aa", Coding::Gzip).is_some());
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
