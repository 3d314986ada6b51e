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

    // Which of two networks is built second changes its memory layout, and with it the
    // speed by a few percent either way: measure both orders and take the geometric mean.
    let mut ratios = Vec::new();
    for dsl_first in [true, false] {
        let (mut dsl, mut builtin) = if dsl_first {
            let dsl = coba(4000, 1, true).expect("builds");
            (dsl, coba(4000, 1, false).expect("builds"))
        } else {
            let builtin = coba(4000, 1, false).expect("builds");
            (coba(4000, 1, true).expect("builds"), builtin)
        };
        let (a, b, ratio) = interleaved_ratio(
            20,
            || {
                dsl.net.run(100.0 * ms).expect("runs");
            },
            || {
                builtin.net.run(100.0 * ms).expect("runs");
            },
        );
        println!(
            "COBA 100 ms, N = 4000, {} built first: DSL {a:.4} s, built-in {b:.4} s, \
             DSL/built-in {ratio:.3}",
            if dsl_first { "DSL" } else { "built-in" }
        );
        ratios.push(ratio);
    }
    println!(
        "DSL/built-in ratio (geometric mean of both orders): {:.3}",
        (ratios[0] * ratios[1]).sqrt()
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    dsl_coba(&mut c);
    c.final_summary();
}
