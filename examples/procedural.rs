//! Procedural connectivity: the COBA network with a million neurons and 80 million synapses,
//! none of them stored. Each spike's targets and weights are drawn again from their seeds
//! when the neuron spikes (BrainPy's `jitconn`, GeNN's procedural connectivity), so the
//! network fits in a few tens of megabytes, and it spikes exactly as the stored network
//! would (`tests/threads.rs` checks that bit for bit).
//!
//! `cargo run --release --example procedural -- [N] [duration_ms] [threads]`

use neurotype::prelude::*;
use neurotype::units::wide;

fn main() -> Result<(), Report> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().map_or(Ok(1_000_000), |s| s.parse())?;
    let duration: Real = args.get(1).map_or(Ok(50.0), |s| s.parse())?;
    let threads: usize = args.get(2).map_or(Ok(2), |s| s.parse())?;

    // ANCHOR: procedural
    let (n_exc, p) = (n * 4 / 5, 80.0 / n as f64);
    let mut net = Network::new(0.1 * ms)?.seed(2007).threads(threads)?;
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .method(Method::Euler)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .build()?;
    let all = net.add("COBA", neurons);
    net.input(ExternalCurrent::constant(all, 200.0 * pA)?)?;
    net.connect(
        AlignPostProj::new(all.slice(0..n_exc)?, all)
            // Bernoulli(p) rows, drawn again at every spike instead of stored
            .comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS).procedural())
            .syn(Expon::builder(n).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(all.slice(n_exc..n)?, all)
            .comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS).procedural())
            .syn(Expon::builder(n).tau(10.0 * ms).build()?)
            .out(Coba::new(-80.0 * mV)?),
    )?;
    let stats = net.run(duration * ms)?;
    // ANCHOR_END: procedural

    println!(
        "COBA N={n}, {threads} thread(s), {duration} ms: {} spikes ({:.1} Hz), {:.2e} synapses \
         expected, {} bytes of synapse storage, {:.1} s wall, peak memory {} MiB",
        stats.spikes,
        stats.spikes as f64 / n as f64 / (wide(duration) * 1e-3),
        net.n_synapses() as f64,
        net.synapse_bytes(),
        stats.wall.as_secs_f64(),
        peak_mib().map_or("?".into(), |m| format!("{m:.0}")),
    );
    Ok(())
}

/// The peak resident memory of this process in MiB (Linux), if it can be read.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}
