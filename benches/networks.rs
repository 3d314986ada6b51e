//! The benchmark networks of bench/README.md under criterion: 100 ms of COBA, CUBA and
//! COBA-HH at N = 4000 (the network keeps running between iterations, so every iteration is
//! steady-state activity), and COBA with and without the inlined synapse channels, measured
//! side by side (`inline/separate ratio`).
//!
//! `cargo bench -p neurotype-benches --bench networks`
//!
//! For the comparison with Brian2 run beside it, use `benches/compare_brian2.py`.

use criterion::Criterion;
use neurotype::prelude::*;
use neurotype_benches::interleaved_ratio;
use neurotype_benches::networks as benchmarks;
use std::time::Duration;

fn networks(c: &mut Criterion) {
    let mut group = c.benchmark_group("network_100ms_N4000");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for name in ["coba", "cuba", "coba_hh"] {
        let mut bench = benchmarks::by_name(name, 4000, 1).expect("builds");
        bench.net.run(100.0 * ms).expect("warm-up");
        group.bench_function(name, |b| {
            b.iter(|| bench.net.run(100.0 * ms).expect("runs"));
        });
    }
    group.finish();

    let mut inline = benchmarks::coba(4000, 1).expect("builds");
    let mut separate = benchmarks::coba(4000, 1).expect("builds");
    separate.net.set_inline_synapses(false);
    let (a, b, ratio) = interleaved_ratio(
        10,
        || {
            inline.net.run(100.0 * ms).expect("runs");
        },
        || {
            separate.net.run(100.0 * ms).expect("runs");
        },
    );
    println!(
        "COBA 100 ms: inline channels {:.4} s, separate {:.4} s, inline/separate ratio {ratio:.3}",
        a, b
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    networks(&mut c);
    c.final_summary();
}
