//! Song, Miller & Abbott (2000): 1000 Poisson inputs at 20 Hz onto one integrate-and-fire
//! neuron through conductance synapses with additive STDP. Depression slightly outweighs
//! potentiation (A₋/A₊ = 1.05); the inputs compete, the weights split towards the two bounds
//! (a bimodal distribution) and the output rate settles. The paper's parameters (its
//! excitatory inputs; the 200 inhibitory ones are left out, as in Brian2's `STDP` example).
//!
//! Writes `output/stdp_song2000.png` (final weight histogram, output rate, two weights over
//! time) and `output/stdp_song2000_weights.csv`, and prints the share of weights near a bound
//! and the rate. When `output/brian2_stdp_weights.csv` and `output/brian2_stdp_rates.csv` exist
//! (written by `tools/peers/brian2_stdp_song2000.py`, Brian2's run of the same experiment),
//! the figure draws them beside neurotype's (and the `_brainpy_order` files of its
//! `--brainpy-order` run, where present).
//!
//! `cargo run --release --example stdp_song2000 [duration_s] [seed]` (1000 s by default, about
//! 20 s of wall time)

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;
use std::io::Write;

fn main() -> Result<(), Report> {
    let args: Vec<String> = std::env::args().collect();
    let duration_s: Real = args.get(1).map_or(Ok(1000.0), |s| s.parse())?;
    let seed: u64 = args.get(2).map_or(Ok(2000), |s| s.parse())?;

    // ANCHOR: model
    let n = 1000;
    let g_max = 0.015 * mS; // with R = 1 kΩ, R·g is g relative to the leak conductance
    let mut net = Network::new(0.1 * ms)?.seed(seed);
    let input = net.add_source(PoissonGroup::new(n, 20.0 * Hz, seed)?);
    // dV/dt = (E_L − V + R·g·(E_e − V))/τ_m, threshold −54 mV, reset −60 mV
    let neuron = Lif::builder(1)
        .v_rest(-70.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-54.0 * mV)
        .tau(20.0 * ms)
        .r(1.0 * kohm)
        .spk_reset(SpikeReset::Hard)
        .v_init(Init::Constant(-60.0 * mV))
        .build()?;
    let post = net.add("neuron", neuron);
    // additive STDP, τ = 20 ms on both sides; depression 5% stronger than potentiation
    let stdp = Stdp::builder(0.005 * g_max, 0.00525 * g_max)
        .tau_pre(20.0 * ms)
        .tau_post(20.0 * ms)
        .w_min(0.0 * mS)
        .w_max(g_max)
        .build()?;
    let proj = net.connect(
        AlignPostProj::new(input, post)
            .comm(Comm::all_to_all(n, 1, WeightInit::Uniform(0.0 * mS, g_max)))
            .syn(Expon::builder(1).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?)
            .stdp(stdp),
    )?;
    // ANCHOR_END: model

    // ANCHOR: run
    let spikes = net.monitor_spikes(post)?;
    let sampled = net.monitor_projection(proj, "w", vec![0, 1], 10_000)?;
    let stats = net.run(duration_s * second)?;
    let w = net.projection_values(proj, "w", "mS")?;
    let relative: Vec<f64> = w.iter().map(|x| x / in_units(g_max, mS)).collect();
    let near_bound = relative
        .iter()
        .filter(|&&x| !(0.1..=0.9).contains(&x))
        .count();
    // ANCHOR_END: run

    let record = net.record(spikes)?;
    let per_second = |times: &[f64]| -> Vec<f64> {
        let mut r = vec![0.0; duration_s.ceil() as usize];
        for t in times {
            if let Some(c) = r.get_mut((t / 1000.0) as usize) {
                *c += 1.0;
            }
        }
        r
    };
    let rates = per_second(&record.times_ms());
    let tail = rates.len().saturating_sub(100);
    let settled = rates[tail..].iter().sum::<f64>() / (rates.len() - tail) as f64;
    println!(
        "STDP (Song et al. 2000): {n} inputs, {duration_s} s simulated in {:.1} s",
        stats.wall.as_secs_f64()
    );
    println!(
        "  weights within 10% of a bound: {:.1}% ({} near 0, {} near g_max)",
        100.0 * near_bound as f64 / n as f64,
        relative.iter().filter(|&&x| x < 0.1).count(),
        relative.iter().filter(|&&x| x > 0.9).count()
    );
    println!(
        "  output rate: {:.1} Hz in the first second, {settled:.1} Hz over the last 100 s",
        rates[0]
    );

    std::fs::create_dir_all("output")?;
    let mut csv =
        std::io::BufWriter::new(std::fs::File::create("output/stdp_song2000_weights.csv")?);
    writeln!(csv, "w_over_gmax")?;
    for x in &relative {
        writeln!(csv, "{x}")?;
    }
    csv.flush()?;

    // the histogram as a step line, and Brian2's run of the same experiment where present
    let bins = 20;
    let steps = |counts: &[usize]| -> (Vec<f64>, Vec<f64>) {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for (k, &c) in counts.iter().enumerate() {
            let share = c as f64 / counts.iter().sum::<usize>().max(1) as f64;
            x.extend([k as f64 / bins as f64, (k + 1) as f64 / bins as f64]);
            y.extend([share, share]);
        }
        (x, y)
    };
    let (hx, hy) = steps(&histogram(&relative, 0.0, 1.0, bins)?);
    let read = |path: &str| -> Option<Vec<f64>> {
        let text = std::fs::read_to_string(path).ok()?;
        text.lines()
            .skip(1)
            .map(|l| l.trim().parse().ok())
            .collect()
    };
    let brian2_w = read("output/brian2_stdp_weights.csv");
    let brian2_rates = read("output/brian2_stdp_rates.csv");
    let (bx, by) = match &brian2_w {
        Some(w) => steps(&histogram(w, 0.0, 1.0, bins)?),
        None => (Vec::new(), Vec::new()),
    };
    // Brian2 with BrainPy's order within a step (the script's --brainpy-order)
    let ordered_w = read("output/brian2_stdp_weights_brainpy_order.csv");
    let ordered_rates = read("output/brian2_stdp_rates_brainpy_order.csv");
    let (ox, oy) = match &ordered_w {
        Some(w) => steps(&histogram(w, 0.0, 1.0, bins)?),
        None => (Vec::new(), Vec::new()),
    };
    // rates averaged over 10 s windows, drawn at each window's middle
    let windows = |r: &[f64]| -> (Vec<f64>, Vec<f64>) {
        r.chunks(10)
            .enumerate()
            .map(|(k, c)| {
                (
                    10.0 * k as f64 + c.len() as f64 / 2.0,
                    c.iter().sum::<f64>() / c.len() as f64,
                )
            })
            .unzip()
    };
    let (seconds, rates_10) = windows(&rates);
    let (b_seconds, b_rates_10) = windows(brian2_rates.as_deref().unwrap_or_default());
    let (o_seconds, o_rates_10) = windows(ordered_rates.as_deref().unwrap_or_default());
    let sampled = net.record(sampled)?;
    let t_s: Vec<f64> = sampled.times_ms().iter().map(|t| t / 1000.0).collect();
    let (w0, w1) = (
        sampled
            .trace_in(0, "mS")?
            .iter()
            .map(|x| x / in_units(g_max, mS))
            .collect::<Vec<_>>(),
        sampled
            .trace_in(1, "mS")?
            .iter()
            .map(|x| x / in_units(g_max, mS))
            .collect::<Vec<_>>(),
    );
    let mut histograms = vec![Series {
        label: "neurotype",
        x: &hx,
        y: &hy,
    }];
    let mut rate_lines = vec![Series {
        label: "neurotype",
        x: &seconds,
        y: &rates_10,
    }];
    if let (Some(_), Some(_)) = (&brian2_w, &brian2_rates) {
        histograms.push(Series {
            label: "Brian2",
            x: &bx,
            y: &by,
        });
        rate_lines.push(Series {
            label: "Brian2",
            x: &b_seconds,
            y: &b_rates_10,
        });
    }
    if let (Some(_), Some(_)) = (&ordered_w, &ordered_rates) {
        histograms.push(Series {
            label: "Brian2, BrainPy's order",
            x: &ox,
            y: &oy,
        });
        rate_lines.push(Series {
            label: "Brian2, BrainPy's order",
            x: &o_seconds,
            y: &o_rates_10,
        });
    }
    line_figure(
        "output/stdp_song2000.png",
        &[
            Panel {
                title: "Final weights (share per bin)",
                x_label: "w / g_max",
                y_label: "share of synapses",
                series: histograms,
            },
            Panel {
                title: "Output rate (10 s windows)",
                x_label: "Time (s)",
                y_label: "Rate (Hz)",
                series: rate_lines,
            },
            Panel {
                title: "Two weights during learning",
                x_label: "Time (s)",
                y_label: "w / g_max",
                series: vec![
                    Series {
                        label: "synapse 0",
                        x: &t_s,
                        y: &w0,
                    },
                    Series {
                        label: "synapse 1",
                        x: &t_s,
                        y: &w1,
                    },
                ],
            },
        ],
        900,
        300,
    )?;
    println!(
        "wrote output/stdp_song2000.png{} and output/stdp_song2000_weights.csv",
        if brian2_w.is_some() {
            " (with Brian2's run)"
        } else {
            ""
        }
    );
    Ok(())
}
