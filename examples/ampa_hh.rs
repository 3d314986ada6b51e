//! The model example of `brainpy.synapses.AMPA` (seed 001): two Hodgkin-Huxley neurons, a
//! classic AMPA synapse from the first to the second (all-to-all, `output=COBA`, g_max
//! 0.42 mS), 5 µA into the presynaptic neuron, monitors on `pre.V`, `post.V` and `syn.g`,
//! and the two-panel figure of the docstring.
//!
//! ```python
//! neu1 = neurons.HH(1)
//! neu2 = neurons.HH(1)
//! syn1 = synapses.AMPA(neu1, neu2, bp.connect.All2All())
//! net = bp.Network(pre=neu1, syn=syn1, post=neu2)
//! runner = bp.DSRunner(net, inputs=[('pre.input', 5.)], monitors=['pre.V', 'post.V', 'syn.g'])
//! runner.run(150.)
//! ```
//!
//! Writes `output/ampa_hh.png` and `output/ampa_hh.csv` and prints spike counts and the peak
//! of g. `cargo run --release --example ampa_hh`

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;
use std::io::Write;

fn main() -> Result<(), Report> {
    // ANCHOR: network
    let mut net = Network::new(0.1 * ms)?;
    let neu1 = net.add("pre", Hh::builder(1).build()?);
    let neu2 = net.add("post", Hh::builder(1).build()?);
    // the classic defaults: α 0.98 /(mM·ms), β 0.18 /ms, T 0.5 mM, T_duration 0.5 ms,
    // COBA with E = 0 mV, g_max 0.42 mS, dense computation, no delay
    // (method='exp_auto', BrainPy's default, written out)
    let syn1 = net.connect(
        classic::ampa(neu1, neu2, Connector::all_to_all()).method(ClassicMethod::ExpAuto),
    )?;
    net.input(ExternalCurrent::constant(neu1, 5.0 * uA)?)?;
    let pre_v = net.monitor_state(neu1, "V", vec![0], 1)?;
    let post_v = net.monitor_state(neu2, "V", vec![0], 1)?;
    let syn_g = net.monitor_projection(syn1, "g", vec![0], 1)?;
    let pre_spikes = net.monitor_spikes(neu1)?;
    let post_spikes = net.monitor_spikes(neu2)?;
    net.run(150.0 * ms)?;
    // ANCHOR_END: network

    let ts = net.record(pre_v)?.times_ms();
    let (pre_v, post_v, g) = (
        &net.record(pre_v)?.values(),
        &net.record(post_v)?.values(),
        &net.record(syn_g)?.values(),
    );
    std::fs::create_dir_all("output")?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create("output/ampa_hh.csv")?);
    writeln!(csv, "t_ms,pre_V_mV,post_V_mV,syn_g")?;
    for k in 0..ts.len() {
        writeln!(csv, "{},{},{},{}", ts[k], pre_v[k], post_v[k], g[k])?;
    }
    csv.flush()?;

    // ANCHOR: figure
    line_figure(
        "output/ampa_hh.png",
        &[
            Panel {
                title: "HH neurons coupled by a classic AMPA synapse",
                x_label: "Time (ms)",
                y_label: "V (mV)",
                series: vec![
                    Series {
                        label: "pre-V",
                        x: &ts,
                        y: pre_v,
                    },
                    Series {
                        label: "post-V",
                        x: &ts,
                        y: post_v,
                    },
                ],
            },
            Panel {
                title: "",
                x_label: "Time (ms)",
                y_label: "open fraction",
                series: vec![Series {
                    label: "g",
                    x: &ts,
                    y: g,
                }],
            },
        ],
        800,
        300,
    )?;
    // ANCHOR_END: figure

    let (k, peak) = g
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::MIN), |a, (k, x)| if x > a.1 { (k, x) } else { a });
    println!(
        "pre: {} spikes, post: {} spikes in 150 ms; syn.g peaks at {peak:.4} at t = {:.1} ms",
        net.record(pre_spikes)?.len(),
        net.record(post_spikes)?.len(),
        ts[k]
    );
    println!("wrote output/ampa_hh.png and output/ampa_hh.csv");
    Ok(())
}
