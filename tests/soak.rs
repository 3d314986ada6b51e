//! Soak: COBA (N = 4000) for 100 s of simulated time, its spike monitor streamed to disk in
//! 1 s chunks. Every 10 s: no state is NaN or infinite (the run's own check every 100 steps
//! would stop it), the spike count grows, and the resident memory stays where it was after the
//! first 10 s. Ignored by default (about 20 s in release on the reference machine):
//!
//! ```text
//! cargo test --release --test soak -- --ignored --nocapture
//! ```

use neurotype::prelude::*;
use neurotype_benches::networks;

/// The process's resident memory, in KiB (Linux).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
#[ignore = "a long run: cargo test --release --test soak -- --ignored --nocapture"]
fn coba_runs_100_s_with_flat_memory_and_finite_state() {
    let mut bench = networks::by_name("coba", 4000, 2007).unwrap();
    let path = std::env::temp_dir().join(format!("neurotype-soak-{}.stream", std::process::id()));
    let _ = std::fs::remove_file(&path);
    bench
        .net
        .stream_monitor(bench.spikes, &path, 1000.0 * ms)
        .unwrap();
    let mut after_first = None;
    let mut total = 0;
    for k in 1..=10 {
        let stats = bench.net.run(10_000.0 * ms).unwrap();
        total += stats.spikes;
        let rss = resident_kib().unwrap_or(0);
        println!(
            "{:>3} s: {:>8} spikes, {:.2} s wall, resident {} KiB",
            k * 10,
            stats.spikes,
            stats.wall.as_secs_f64(),
            rss
        );
        assert!(stats.spikes > 100_000, "the network stays active");
        for pop in bench.net.populations() {
            for var in pop.state_vars() {
                assert!(var.raw.iter().all(|x| x.is_finite()), "{}", var.name);
            }
        }
        match after_first {
            None => after_first = Some(rss),
            Some(first) => assert!(
                rss <= first + 2048,
                "resident memory grew from {first} KiB to {rss} KiB"
            ),
        }
    }
    let streamed = neurotype::network::stream::read_spikes(&path).unwrap();
    assert_eq!(streamed.steps.len() as u64, total);
    println!(
        "{total} spikes in 100 s, all streamed; warnings: {:?}",
        bench.net.warnings()
    );
    std::fs::remove_file(&path).unwrap();
}
