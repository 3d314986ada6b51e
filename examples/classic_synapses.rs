//! Every classic `brainpy.synapses` function, as seed 001 writes them: one HH neuron driven by
//! 5 µA projects onto eight HH neurons, one through each of `AMPA`, `GABAa`, `NMDA`, `BioNMDA`,
//! `DualExponential`, `Alpha`, `Exponential` and `Delta` with BrainPy's defaults (the two
//! without an output by default get `COBA(E = 0 mV)`); then AMPA once per integrator
//! (`method=`), as BrainPy's `brainpy.synapses.AMPA(..., method='rk4')`.
//!
//! Prints each target's spike count and peak synaptic variable, and the largest difference of
//! AMPA's g between the methods. `cargo run --release --example classic_synapses`

use neurotype::prelude::*;

fn hh(net: &mut Network, name: &str) -> Result<Pop<Hh>, Report> {
    Ok(net.add(name, Hh::builder(1).build()?))
}

fn main() -> Result<(), Report> {
    // ANCHOR: all
    let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
    let pre = hh(&mut net, "pre")?;
    net.input(ExternalCurrent::constant(pre, 5.0 * uA)?)?;
    let all = Connector::all_to_all;
    let coba = CobaFixedV { e: 0.0 * mV };
    let names = [
        "AMPA",
        "GABAa",
        "NMDA",
        "BioNMDA",
        "DualExponential",
        "Alpha",
        "Exponential",
        "Delta",
    ];
    let posts: Vec<Pop<Hh>> = names
        .iter()
        .map(|n| hh(&mut net, n))
        .collect::<Result<_, _>>()?;
    let projections = [
        net.connect(classic::ampa(pre, posts[0], all()))?,
        net.connect(classic::gabaa(pre, posts[1], all()))?,
        net.connect(classic::nmda(pre, posts[2], all()))?,
        net.connect(classic::bio_nmda(pre, posts[3], all()))?,
        net.connect(classic::dual_exponential(pre, posts[4], all()).output(coba))?,
        net.connect(classic::alpha(pre, posts[5], all()).output(coba))?,
        net.connect(classic::exponential(pre, posts[6], all())?)?,
        net.connect(classic::delta(pre, posts[7], all())?)?,
    ];
    // ANCHOR_END: all
    let g: Vec<_> = projections[..7]
        .iter()
        .map(|&p| net.monitor_projection(p, "g", vec![0], 1))
        .collect::<Result<_, _>>()?;
    let spikes: Vec<_> = posts
        .iter()
        .map(|&p| net.monitor_spikes(p))
        .collect::<Result<_, _>>()?;
    let pre_spikes = net.monitor_spikes(pre)?;
    net.run(150.0 * ms)?;
    println!(
        "presynaptic HH, 5 µA: {} spikes in 150 ms",
        net.record(pre_spikes)?.len()
    );
    println!("{:<16} {:>12} {:>16}", "synapse", "post spikes", "peak g");
    for (k, name) in names.iter().enumerate() {
        let peak = match g.get(k) {
            Some(&m) => {
                let r = net.record(m)?;
                let peak = r.trace(0)?.iter().fold(0.0f64, |a, &b| a.max(b));
                format!("{peak:.4} {}", r.unit).trim_end().to_string()
            }
            None => "(a jump)".to_string(),
        };
        let n = net.record(spikes[k])?.len();
        println!("{name:<16} {n:>12} {peak:>16}");
    }

    // ANCHOR: methods
    // brainpy.synapses.AMPA(pre, post, conn, method=...) for each integrator
    let mut peaks = Vec::new();
    for method in [
        ClassicMethod::ExpAuto,
        ClassicMethod::Euler,
        ClassicMethod::Rk2,
        ClassicMethod::Rk4,
    ] {
        let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
        let (pre, post) = (hh(&mut net, "pre")?, hh(&mut net, "post")?);
        net.input(ExternalCurrent::constant(pre, 5.0 * uA)?)?;
        let syn = classic::ampa(pre, post, Connector::all_to_all()).method(method);
        let syn = net.connect(syn)?;
        let g = net.monitor_projection(syn, "g", vec![0], 1)?;
        net.run(150.0 * ms)?;
        peaks.push((method, net.record(g)?.trace(0)?));
    }
    // ANCHOR_END: methods
    let exact = &peaks[0].1;
    for (method, trace) in &peaks[1..] {
        let diff = trace
            .iter()
            .zip(exact)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        println!(
            "AMPA with method={:<9} largest |g − g(exp_auto)| = {diff:.2e}",
            method.name()
        );
    }
    Ok(())
}
