//! State with a ceiling: what callers send (task ids) or cause (pushes) is kept, but never more
//! than a fixed number of entries; the oldest go first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Counters by key, at most `capacity` keys; the key counted least recently is forgotten first.
#[derive(Debug)]
pub(crate) struct BoundedCounts {
    capacity: usize,
    inner: Mutex<CountsInner>,
}

#[derive(Debug, Default)]
struct CountsInner {
    counts: HashMap<String, (u32, u64)>,
    /// (key, stamp) in the order they were touched; stale stamps are skipped on eviction.
    order: VecDeque<(String, u64)>,
    stamp: u64,
}

impl BoundedCounts {
    /// Room for `capacity` keys (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        BoundedCounts {
            capacity: capacity.max(1),
            inner: Mutex::new(CountsInner::default()),
        }
    }

    /// Adds one to `key`'s counter and returns it.
    pub(crate) fn increment(&self, key: &str) -> u32 {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.stamp += 1;
        let stamp = inner.stamp;
        let count = {
            let entry = inner.counts.entry(key.to_owned()).or_insert((0, 0));
            entry.0 = entry.0.saturating_add(1);
            entry.1 = stamp;
            entry.0
        };
        inner.order.push_back((key.to_owned(), stamp));
        while inner.counts.len() > self.capacity {
            let Some((old, old_stamp)) = inner.order.pop_front() else {
                break;
            };
            if inner.counts.get(&old).is_some_and(|(_, s)| *s == old_stamp) {
                inner.counts.remove(&old);
            }
        }
        // Stale entries of keys touched again; keep the queue within twice the capacity.
        if inner.order.len() > self.capacity.saturating_mul(2) {
            let CountsInner { counts, order, .. } = &mut *inner;
            order.retain(|(k, s)| counts.get(k).is_some_and(|(_, current)| current == s));
        }
        count
    }

    /// How many keys are tracked.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .counts
            .len()
    }
}

/// The last `capacity` records.
#[derive(Debug)]
pub(crate) struct BoundedLog<T> {
    capacity: usize,
    inner: Mutex<VecDeque<T>>,
}

impl<T: Clone> BoundedLog<T> {
    /// Room for `capacity` records (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        BoundedLog {
            capacity: capacity.max(1),
            inner: Mutex::new(VecDeque::new()),
        }
    }

    /// Appends `record`, forgetting the oldest past the capacity.
    pub(crate) fn push(&self, record: T) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.push_back(record);
        while inner.len() > self.capacity {
            inner.pop_front();
        }
    }

    /// The records, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<T> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_forget_the_least_recently_counted_key() {
        let counts = BoundedCounts::new(2);
        assert_eq!(counts.increment("a"), 1);
        assert_eq!(counts.increment("b"), 1);
        assert_eq!(counts.increment("a"), 2);
        assert_eq!(counts.increment("c"), 1);
        assert_eq!(counts.len(), 2);
        // "b" went; "a" was counted more recently and stays.
        assert_eq!(counts.increment("a"), 3);
        assert_eq!(counts.increment("b"), 1);
    }

    #[test]
    fn counts_stay_bounded_under_many_keys() {
        let counts = BoundedCounts::new(100);
        for i in 0..10_000 {
            counts.increment(&format!("task-{i}"));
            counts.increment("hot");
        }
        assert_eq!(counts.len(), 100);
        let inner = counts.inner.lock().expect("lock");
        assert!(inner.order.len() <= 200, "{}", inner.order.len());
    }

    #[test]
    fn the_log_keeps_the_last_records() {
        let log = BoundedLog::new(3);
        for i in 0..10 {
            log.push(i);
        }
        assert_eq!(log.snapshot(), vec![7, 8, 9]);
    }
}
