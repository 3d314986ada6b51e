//! The "Synaptic Dynamics Visualization" of BrainPy's Synapses chapter: Expon (τ = 5 ms),
//! Alpha (τ = 5 ms), AMPA (T = 2 mM) and GABAa (T = 1 mM), one spike at t = 0, 50 ms at
//! dt = 0.1 ms.
//!
//! Writes `output/synapse_comparison.png` and `output/synapse_comparison.csv` and prints each
//! response's peak.
//!
//! `cargo run --release --example synapse_comparison`

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;
use neurotype::units::wide;
use std::io::Write;

fn main() -> Result<(), Report> {
    // ANCHOR: create
    let dt = TimeStep::new(0.1 * ms)?;
    let mut expon = Expon::builder(1).tau(5.0 * ms).build()?;
    let mut alpha = Alpha::builder(1).tau(5.0 * ms).build()?;
    let mut ampa = Ampa::builder(1).t(2.0 * mM).build()?;
    let mut gaba = Gabaa::builder(1).t(1.0 * mM).build()?;
    // ANCHOR_END: create

    // ANCHOR: simulate
    let steps = 500; // 0 .. 50 ms
    let mut responses: [Vec<f64>; 4] = Default::default();
    for i in 0..steps {
        let ctx = StepCtx::new(i, dt);
        // a conductance increment for the exponential synapses (1 mS at t = 0) ...
        let x = if i == 0 { 1.0 * mS } else { 0.0 * mS };
        expon.update(&ctx, &[x]);
        alpha.update(&ctx, &[x]);
        // ... and a presynaptic spike for the kinetic ones
        let spike = i == 0;
        ampa.update(&ctx, &[spike]);
        gaba.update(&ctx, &[spike]);

        responses[0].push(in_units(expon.g().get(0), mS));
        responses[1].push(in_units(alpha.g().get(0), mS));
        responses[2].push(wide(ampa.g().get(0).value)); // open fraction
        responses[3].push(wide(gaba.g().get(0).value));
    }
    // ANCHOR_END: simulate

    let names = ["Expon", "Alpha", "AMPA", "GABAa"];
    let times: Vec<f64> = (0..steps).map(|i| in_units(dt.time_of(i), ms)).collect();
    std::fs::create_dir_all("output")?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create("output/synapse_comparison.csv")?);
    writeln!(csv, "t_ms,Expon_g_mS,Alpha_g_mS,AMPA_g,GABAa_g")?;
    for (k, t) in times.iter().enumerate() {
        writeln!(
            csv,
            "{t},{},{},{},{}",
            responses[0][k], responses[1][k], responses[2][k], responses[3][k]
        )?;
    }
    csv.flush()?;

    line_figure(
        "output/synapse_comparison.png",
        &[Panel {
            title: "Comparison of Synapse Models (Single Spike)",
            x_label: "Time (ms)",
            y_label: "Synaptic variable (normalised)",
            series: names
                .iter()
                .zip(&responses)
                .map(|(name, y)| Series {
                    label: name,
                    x: &times,
                    y,
                })
                .collect(),
        }],
        1000,
        600,
    )?;

    for (name, y) in names.iter().zip(&responses) {
        let (k, peak) = y
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f64::MIN),
                |best, (k, v)| if v > best.1 { (k, v) } else { best },
            );
        println!("{name:<6} peak {peak:.4} at t = {:.1} ms", times[k]);
    }
    println!("wrote output/synapse_comparison.png and output/synapse_comparison.csv");
    Ok(())
}
