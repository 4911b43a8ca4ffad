//! What the benchmarks share: latency percentiles in milliseconds, the bench data
//! (`data`), the calendar feed fixture (`feed`), and app instances on loopback with
//! teachers booking through them (`bookers`). Each bench uses a part, hence the allows.

#![allow(dead_code, unused_imports)]

mod bookers;
mod data;
mod feed;

pub use bookers::*;
pub use data::*;
pub use feed::*;

use std::time::Duration;

/// The `p` quantile (0–1) of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Prints p50, p95 and p99 of a set of timings.
pub fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label}: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99)
    );
}
