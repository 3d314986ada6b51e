//! COBA with the built-in LIF against COBA with the same neuron declared by the equation DSL
//! (`neurotype_benches::dsl_coba`): 100 ms of steady-state activity at N = 4000 each, under
//! criterion, then measured side by side in alternation for the DSL/built-in ratio (robust on
//! a shared machine whose speed drifts).
//!
//! `cargo bench -p neurotype-benches --bench dsl_coba`

use criterion::Criterion;
use neurotype::prelude::*;
use neurotype_benches::dsl_coba::coba;
use neurotype_benches::interleaved_ratio;
use std::time::Duration;

fn dsl_coba(c: &mut Criterion) {
    let mut group = c.benchmark_group("coba_100ms_N4000");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for (name, dsl) in [("builtin", false), ("dsl", true)] {
        let mut bench = coba(4000, 1, dsl).expect("builds");
        bench.net.run(100.0 * ms).expect("warm-up");
        group.bench_function(name, |b| {
            b.iter(|| bench.net.run(100.0 * ms).expect("runs"));
        });
    }
    group.finish();

    let mut dsl = coba(4000, 1, true).expect("builds");
    let mut builtin = coba(4000, 1, false).expect("builds");
    let (a, b, ratio) = interleaved_ratio(
        40,
        || {
            dsl.net.run(100.0 * ms).expect("runs");
        },
        || {
            builtin.net.run(100.0 * ms).expect("runs");
        },
    );
    println!(
        "COBA 100 ms, N = 4000: DSL {a:.4} s, built-in {b:.4} s, DSL/built-in ratio {ratio:.3}"
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    dsl_coba(&mut c);
    c.final_summary();
}
