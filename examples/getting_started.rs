//! Getting started: a network of 800 excitatory and 200 inhibitory leaky integrate-and-fire
//! neurons with conductance-based exponential synapses (the Vogels–Abbott COBA network at
//! 1000 neurons), driven by a constant current, run for 200 ms.
//!
//! Prints the spikes and mean rate of each population, writes `output/getting_started.png`
//! (raster and population rate) and saves every record to `output/getting_started.npz` (read
//! it with `examples/load_results.py`). The book's "Getting started" chapter includes its
//! parts.
//!
//! `cargo run --release --example getting_started`

// ANCHOR: import
use neurotype::prelude::*;
// ANCHOR_END: import

// ANCHOR: neurons
/// `n` LIF neurons with a 5 ms refractory period: R = 100 MΩ, τ = 20 ms, rest and reset at
/// −60 mV, threshold −50 mV, initial V drawn from N(−55 mV, 5 mV).
fn lif(n: usize, seed: u64) -> Result<Lif, InvalidParameter> {
    LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .seed(seed)
        .build()
}
// ANCHOR_END: neurons

fn main() -> Result<(), Report> {
    // ANCHOR: network
    let (n_exc, n_inh) = (800, 200);
    let p = 0.08; // connection probability: 80 synapses per neuron on average

    let mut net = Network::new(0.1 * ms)?.seed(42);
    let exc = net.add("E", lif(n_exc, 1)?);
    let inh = net.add("I", lif(n_inh, 2)?);
    // ANCHOR_END: network

    // ANCHOR: projections
    for post in [exc, inh] {
        let n = post.len();
        // excitatory synapses: +6 nS per spike, decaying with τ = 5 ms, reversal at 0 mV
        net.connect(
            AlignPostProj::new(exc, post)
                .comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS))
                .syn(Expon::builder(n).tau(5.0 * ms).build()?)
                .out(Coba::new(0.0 * mV)?),
        )?;
        // inhibitory synapses: +67 nS per spike, τ = 10 ms, reversal at −80 mV
        net.connect(
            AlignPostProj::new(inh, post)
                .comm(Comm::fixed_prob(n_inh, n, p, 67.0 * nS))
                .syn(Expon::builder(n).tau(10.0 * ms).build()?)
                .out(Coba::new(-80.0 * mV)?),
        )?;
    }
    // ANCHOR_END: projections

    // ANCHOR: input
    // 200 pA into every neuron: R·I = 20 mV, which alone would hold V at −40 mV
    net.input(ExternalCurrent::constant(exc, 200.0 * pA)?)?;
    net.input(ExternalCurrent::constant(inh, 200.0 * pA)?)?;
    // ANCHOR_END: input

    // ANCHOR: run
    let exc_spikes = net.monitor_spikes(exc)?;
    let inh_spikes = net.monitor_spikes(inh)?;
    // V of three excitatory neurons every step, by its typed handle
    let v = net.monitor(exc.state().v, vec![0, 1, 2], 1)?;

    let duration = 200.0 * ms;
    let stats = net.run(duration)?;
    println!(
        "{} neurons, {} synapses, {} steps in {:.3} s",
        n_exc + n_inh,
        net.n_synapses(),
        stats.steps,
        stats.wall.as_secs_f64()
    );
    for (name, id) in [("excitatory", exc_spikes), ("inhibitory", inh_spikes)] {
        let record = net.record(id)?;
        let rate = record.mean_rate(0.0 * ms, duration)?;
        println!(
            "{name}: {} spikes, mean rate {:.1} Hz",
            record.len(),
            in_units(rate, Hz)
        );
    }
    // ANCHOR_END: run

    // ANCHOR: plot
    // one raster for both populations, one colour each (the inhibitory neurons above the
    // excitatory ones), and each population's rate below
    let (e, i) = (net.record(exc_spikes)?, net.record(inh_spikes)?);
    std::fs::create_dir_all("output")?;
    neurotype::plot::raster_records(
        "output/getting_started.png",
        "800 E + 200 I LIF neurons, COBA synapses",
        &[("E", e), ("I", i)],
        in_units(duration, ms),
        5.0,
    )?;
    println!("wrote output/getting_started.png");
    // ANCHOR_END: plot

    // ANCHOR: save
    // a trace comes back as quantities; every record goes to one file for numpy or pandas
    let trace: Vec<ElectricPotential> = net.record(v)?.trace(0)?;
    let v_end = trace[trace.len() - 1];
    println!("V of neuron 0 at the end: {:.2}", v_end.show());
    net.save_results("output/getting_started.npz")?;
    println!("wrote output/getting_started.npz");
    // ANCHOR_END: save
    Ok(())
}
