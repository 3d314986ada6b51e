//! Pair STDP declared with `synapse!` against the built-in `Stdp`
//! (`neurotype_benches::dsl_stdp`), measured side by side in alternation: the DSL/built-in
//! ratio of wall times, for the one-neuron experiment of Song et al. (2000) and for a plastic
//! all-to-all projection of 2000 inputs onto 200 neurons (400 000 plastic synapses).
//!
//! `cargo bench -p neurotype-benches --bench dsl_stdp`

use neurotype::prelude::*;
use neurotype_benches::dsl_stdp::{Rule, song2000};
use neurotype_benches::interleaved_ratio;

fn main() {
    for (n_in, n_post, run_ms) in [(1000, 1, 1000.0), (2000, 200, 200.0)] {
        let mut ratios = Vec::new();
        // which network is built second changes its memory layout: both orders
        for dsl_first in [true, false] {
            let build = |rule| song2000(n_in, n_post, 3, rule).expect("builds");
            let (mut dsl, mut builtin) = if dsl_first {
                let dsl = build(Rule::Dsl);
                (dsl, build(Rule::Builtin))
            } else {
                let builtin = build(Rule::Builtin);
                (build(Rule::Dsl), builtin)
            };
            let (a, b, ratio) = interleaved_ratio(
                10,
                || {
                    dsl.net.run(run_ms * ms).expect("runs");
                },
                || {
                    builtin.net.run(run_ms * ms).expect("runs");
                },
            );
            println!(
                "STDP {n_in} -> {n_post}, {run_ms} ms, {} built first: DSL {a:.4} s, \
                 built-in {b:.4} s, DSL/built-in {ratio:.3}",
                if dsl_first { "DSL" } else { "built-in" }
            );
            ratios.push(ratio);
        }
        println!(
            "STDP {n_in} -> {n_post}: DSL/built-in ratio (geometric mean of both orders) {:.3}",
            (ratios[0] * ratios[1]).sqrt()
        );
    }
}
