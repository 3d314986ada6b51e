//! The COBA benchmark network (Vogels & Abbott 2005; Brette et al. 2007, benchmark 1), exactly
//! as specified in the project's bench/README.md: 4000 leaky integrate-and-fire neurons (3200
//! excitatory, 800 inhibitory) with exponential conductances, Bernoulli(0.02) connectivity, a
//! constant 20 mV drive, forward Euler at dt = 0.1 ms.
//!
//! Writes `output/coba_raster.png` and `output/coba_spikes.npy` and prints the rates.
//!
//! `cargo run --release --example coba [N] [duration_s]`

use neurotype::plot::raster;
use neurotype::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(Ok(4000), |s| s.parse())?;
    let duration = args.get(2).map_or(Ok(1.0), |s| s.parse::<f64>())? * second;
    let n_exc = n * 4 / 5;
    let p = 80.0 / n as f64; // 0.02 at N = 4000: 80 inputs per neuron on average

    // ANCHOR: network
    let mut net = Network::new(0.1 * ms)?.seed(2007);

    // Brian2's `dv/dt = (ge*(Ee-v) + gi*(Ei-v) - (v-El) + I)/taum` with ge, gi in units of
    // g_L = 10 nS is a LIF with R = 1/g_L, conductance synapses and a 200 pA drive.
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .spk_reset(SpikeReset::Hard)
        .method(Method::Euler)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .seed(1)
        .build()?;
    let all = net.add("neurons", neurons);
    net.input(CurrentInput::constant(all, 200.0 * pA)?);

    // the first 3200 neurons excite (ge += we), the last 800 inhibit (gi += wi): two
    // projections from slices of the group onto exponential conductances with COBA outputs
    let exc = all.slice(0..n_exc)?;
    let inh = all.slice(n_exc..n)?;
    net.connect(
        AlignPostProj::new(exc, all)
            .comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS))
            .syn(Expon::builder(n).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    net.connect(
        AlignPostProj::new(inh, all)
            .comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS))
            .syn(Expon::builder(n).tau(10.0 * ms).build()?)
            .out(Coba::new(-80.0 * mV)?),
    )?;
    let spikes = net.monitor_spikes(all);
    // ANCHOR_END: network

    // ANCHOR: run
    let stats = net.run(duration)?;
    let record = net.record(spikes);
    let rate = record.mean_rate(0.0 * ms, duration);
    // ANCHOR_END: run

    std::fs::create_dir_all("output")?;
    record.save_npy("output/coba_spikes.npy")?;
    let times: Vec<f64> = record.times().map(|t| in_units(t, ms)).collect();
    raster(
        "output/coba_raster.png",
        &format!("COBA, {n} neurons: {:.1} Hz", in_units(rate, Hz)),
        &times,
        &record.neurons,
        n,
        in_units(duration, ms),
        5.0,
    )?;

    let sim_s = in_units(duration, second);
    println!(
        "COBA: N = {n}, {} synapses, {} s simulated",
        net.n_synapses(),
        sim_s
    );
    println!("  spikes       {}", stats.spikes);
    println!("  mean rate    {:.2} Hz", in_units(rate, Hz));
    println!(
        "  wall time    {:.3} s ({:.3} s per simulated second)",
        stats.wall.as_secs_f64(),
        stats.wall.as_secs_f64() / sim_s
    );
    println!(
        "  events/s     {:.3e}",
        stats.events as f64 / stats.wall.as_secs_f64()
    );
    println!("wrote output/coba_raster.png and output/coba_spikes.npy");
    Ok(())
}
