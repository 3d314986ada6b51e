//! COBA (Vogels & Abbott 2005, the benchmark of Brette et al. 2007) three times: with the
//! built-in LIF and Expon synapses, with the same LIF declared by the equation DSL (`neuron!`)
//! and the built-in Expon, and with both the LIF and the Expon synapses declared by the DSL
//! (`neuron!`, `synapse!`). Runs each for 1 s of biological time at N = 4000, checks that all
//! three produce the same spikes, and prints the wall times and their ratios to the built-in
//! network (medians over rounds that rotate the order of the three runs, so machine drift falls
//! on all of them).
//!
//! `cargo run --release --example dsl_coba [N] [rounds]`

// The networks (and the DSL models) are shared with the `dsl_coba` bench (which also uses
// what this example does not).
#[allow(dead_code)]
#[path = "../benches/src/dsl_coba.rs"]
mod dsl_coba;

use dsl_coba::{Variant, coba_with};
use neurotype::prelude::*;
use std::time::Instant;

fn main() -> Result<(), Report> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(4000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let duration = 1.0 * second;

    // one run each to check that the DSL models reproduce the built-in ones exactly
    let mut reference = None;
    for variant in Variant::ALL {
        let mut net = coba_with(n, 1, variant)?;
        net.net.run(duration)?;
        let r = net.net.record(net.spikes)?;
        let trains = (r.steps.clone(), r.neurons.clone());
        let verdict = match &reference {
            None => "the reference",
            Some(reference) if *reference == trains => "identical to the built-in spike train",
            Some(_) => "spike train DIFFERS from the built-in one",
        };
        println!(
            "COBA, N = {n}, 1 s, {}: {} spikes ({verdict})",
            variant.label(),
            r.len()
        );
        reference.get_or_insert(trains);
    }

    // fresh networks, timed in rotating order
    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..rounds {
        for k in 0..3 {
            let v = (round + k) % 3;
            let mut net = coba_with(n, 1 + round as u64, Variant::ALL[v])?;
            let start = Instant::now();
            net.net.run(duration)?;
            times[v].push(start.elapsed().as_secs_f64());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let t: Vec<f64> = times.iter_mut().map(median).collect();
    println!("wall time (median of {rounds}):");
    for (variant, t) in Variant::ALL.iter().zip(&t) {
        println!("  {:<30} {t:.3} s", variant.label());
    }
    println!("ratio DSL neuron/built-in: {:.3}", t[1] / t[0]);
    println!("ratio DSL neuron and synapses/built-in: {:.3}", t[2] / t[0]);
    Ok(())
}
