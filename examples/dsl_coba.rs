//! COBA (Vogels & Abbott 2005, the benchmark of Brette et al. 2007) twice: with the built-in
//! LIF, and with the same LIF declared by the equation DSL (`neuron!`). Runs each for 1 s of
//! biological time at N = 4000, checks that both produce the same spikes, and prints both wall
//! times and their ratio (median of alternating runs, so machine drift falls on both).
//!
//! `cargo run --release --example dsl_coba [N] [rounds]`

// The network (and the DSL neuron) are shared with the `dsl_coba` bench.
#[path = "../benches/src/dsl_coba.rs"]
mod dsl_coba;

use dsl_coba::coba;
use neurotype::prelude::*;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(4000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let duration = 1.0 * second;

    // one run each to check that the DSL neuron reproduces the built-in one exactly
    let mut dsl = coba(n, 1, true)?;
    let mut builtin = coba(n, 1, false)?;
    dsl.net.run(duration)?;
    builtin.net.run(duration)?;
    let (a, b) = (
        dsl.net.record(dsl.spikes),
        builtin.net.record(builtin.spikes),
    );
    println!(
        "COBA, N = {n}, 1 s: {} spikes with the DSL neuron, {} with the built-in one ({})",
        a.len(),
        b.len(),
        if a.steps == b.steps && a.neurons == b.neurons {
            "identical spike trains"
        } else {
            "spike trains differ"
        }
    );

    // fresh networks, timed in alternation
    let mut times = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let time = |dsl: bool| -> Result<f64, Box<dyn std::error::Error>> {
            let mut net = coba(n, 1 + round as u64, dsl)?;
            let start = Instant::now();
            net.net.run(duration)?;
            Ok(start.elapsed().as_secs_f64())
        };
        if round % 2 == 0 {
            times.0.push(time(true)?);
            times.1.push(time(false)?);
        } else {
            times.1.push(time(false)?);
            times.0.push(time(true)?);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (t_dsl, t_builtin) = (median(&mut times.0), median(&mut times.1));
    println!("wall time (median of {rounds}): DSL {t_dsl:.3} s, built-in {t_builtin:.3} s");
    println!("ratio DSL/built-in: {:.3}", t_dsl / t_builtin);
    Ok(())
}
