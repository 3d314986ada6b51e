//! Short-term plasticity: depression (STD) and facilitation-depression (STP, Tsodyks-Markram)
//! under a 50 Hz train of 10 spikes, then a recovery spike 500 ms later.
//!
//! Writes `output/stp.png` and `output/stp.csv` and prints the release of each spike.
//!
//! `cargo run --release --example stp`

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;
use neurotype::units::wide;
use std::io::Write;

fn main() -> Result<(), Report> {
    let dt = TimeStep::new(0.1 * ms)?;
    // ANCHOR: create
    // depression only: each spike uses 30% of the resources, which recover with τ = 200 ms
    let mut std = Std::builder(1).u(ratio(0.3)).tau(200.0 * ms).build()?;
    // facilitating synapse: low initial release, slow facilitation, fast recovery
    let mut facilitating = Stp::builder(1)
        .u(ratio(0.1))
        .tau_f(750.0 * ms)
        .tau_d(50.0 * ms)
        .build()?;
    // depressing synapse: high release, fast facilitation decay, slow recovery
    let mut depressing = Stp::builder(1)
        .u(ratio(0.5))
        .tau_f(50.0 * ms)
        .tau_d(750.0 * ms)
        .build()?;
    // ANCHOR_END: create

    // ANCHOR: run
    let spike_steps: Vec<u64> = (0..10).map(|k| 100 + 200 * k).chain([7000]).collect();
    let steps = 8000; // 800 ms
    // time, STD x, facilitating u and x, depressing u and x
    let mut traces: [Vec<f64>; 6] = Default::default();
    let mut releases: [Vec<f64>; 3] = Default::default();
    for i in 0..steps {
        let ctx = StepCtx::new(i, dt);
        let spike = [spike_steps.contains(&i)];
        let r = [
            std.update(&ctx, &spike).get(0),
            facilitating.update(&ctx, &spike).get(0),
            depressing.update(&ctx, &spike).get(0),
        ];
        if spike[0] {
            for (k, rk) in r.iter().enumerate() {
                releases[k].push(wide(rk.value));
            }
        }
        // plotted and written as f64 whatever the build's precision
        let row = [
            in_units(dt.time_of(i), ms),
            wide(std.x().get(0).value),
            wide(facilitating.u().get(0).value),
            wide(facilitating.x().get(0).value),
            wide(depressing.u().get(0).value),
            wide(depressing.x().get(0).value),
        ];
        for (trace, value) in traces.iter_mut().zip(row) {
            trace.push(value);
        }
    }
    // ANCHOR_END: run

    std::fs::create_dir_all("output")?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create("output/stp.csv")?);
    writeln!(
        csv,
        "t_ms,std_x,facilitating_u,facilitating_x,depressing_u,depressing_x"
    )?;
    for k in 0..traces[0].len() {
        let row: Vec<String> = traces.iter().map(|c| c[k].to_string()).collect();
        writeln!(csv, "{}", row.join(","))?;
    }
    csv.flush()?;

    let [t, std_x, fu, fx, du, dx] = &traces;
    let n_spike: Vec<f64> = (1..=releases[0].len()).map(|k| k as f64).collect();
    line_figure(
        "output/stp.png",
        &[
            Panel {
                title: "Release per spike (50 Hz train, then a spike 500 ms later)",
                x_label: "spike number",
                y_label: "released fraction",
                series: vec![
                    Series {
                        label: "STD (U 0.3)",
                        x: &n_spike,
                        y: &releases[0],
                    },
                    Series {
                        label: "STP facilitating (U 0.1)",
                        x: &n_spike,
                        y: &releases[1],
                    },
                    Series {
                        label: "STP depressing (U 0.5)",
                        x: &n_spike,
                        y: &releases[2],
                    },
                ],
            },
            Panel {
                title: "Resources x and utilisation u",
                x_label: "Time (ms)",
                y_label: "fraction",
                series: vec![
                    Series {
                        label: "STD x",
                        x: t,
                        y: std_x,
                    },
                    Series {
                        label: "facilitating u",
                        x: t,
                        y: fu,
                    },
                    Series {
                        label: "facilitating x",
                        x: t,
                        y: fx,
                    },
                    Series {
                        label: "depressing u",
                        x: t,
                        y: du,
                    },
                    Series {
                        label: "depressing x",
                        x: t,
                        y: dx,
                    },
                ],
            },
        ],
        1000,
        380,
    )?;

    println!("spike  STD     STP-facilitating  STP-depressing");
    let [std_r, fac_r, dep_r] = &releases;
    for (k, ((a, b), c)) in std_r.iter().zip(fac_r).zip(dep_r).enumerate() {
        println!("{:>5}  {a:.4}  {b:.4}            {c:.4}", k + 1);
    }
    println!("wrote output/stp.png and output/stp.csv");
    Ok(())
}
