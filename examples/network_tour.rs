//! A tour of neurotype's network layer: populations, every kind of input, the three monitors,
//! saving results, the runner, and reproducibility from a seed. The book's "Networks" chapter
//! includes the parts of this file.
//!
//! Writes `output/network_tour.png` (the potential of five neurons, one per current waveform)
//! and the records as `.npy` and CSV in `output/`.
//!
//! `cargo run --release --example network_tour`

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;

/// LIF neurons at cortical scale: R = 100 MΩ, τ = 20 ms, rest and reset −70 mV, threshold
/// −50 mV, 2 ms refractory. 200 pA holds V at threshold.
fn cells(n: usize) -> Result<Lif, InvalidParameter> {
    Lif::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .v_rest(-70.0 * mV)
        .v_reset(-70.0 * mV)
        .v_th(-50.0 * mV)
        .v_init(-70.0 * mV)
        .tau_ref(2.0 * ms)
        .build()
}

/// What one run of the network of [`build`] recorded.
struct Handles {
    waves: MonitorId<SpikeRecord>,
    v: MonitorId<StateRecord<ElectricPotential>>,
    targets: MonitorId<SpikeRecord>,
    rate: MonitorId<RateRecord>,
}

fn build(seed: u64) -> Result<(Network, Handles), NetworkError> {
    // ANCHOR: network
    let mut net = Network::new(0.1 * ms)?.seed(seed);
    let waves = net.add("waves", cells(5)?);
    let targets = net.add("targets", cells(100)?);
    // ANCHOR_END: network

    // ANCHOR: currents
    // one waveform per neuron of `waves` (BrainPy's ConstantInput, SectionInput, StepInput,
    // RampInput and SinusoidalInput)
    let shapes = [
        Waveform::constant(250.0 * pA),
        Waveform::Section {
            values: vec![0.0 * pA, 300.0 * pA, 0.0 * pA],
            durations: vec![50.0 * ms, 100.0 * ms, 50.0 * ms],
        },
        Waveform::Step {
            amplitudes: vec![150.0 * pA, 300.0 * pA],
            times: vec![50.0 * ms, 120.0 * ms],
        },
        Waveform::Ramp {
            start: 0.0 * pA,
            end: 400.0 * pA,
            duration: 200.0 * ms,
            t_start: 0.0 * ms,
        },
        Waveform::Sinusoidal {
            amplitude: 200.0 * pA,
            frequency: 10.0 * Hz,
            duration: None,
            bias: 200.0 * pA,
        },
    ];
    for (i, wave) in shapes.into_iter().enumerate() {
        net.input(ExternalCurrent::new(waves, wave)?.indices(vec![i])?)?;
    }
    // ANCHOR_END: currents

    // ANCHOR: spike_sources
    // 200 Poisson sources at 10 Hz through exponential COBA synapses (BrainPy's PoissonSpike)
    let poisson = net.add_source(PoissonGroup::new(200, 10.0 * Hz, seed)?);
    net.connect(
        AlignPostProj::new(poisson, targets)
            .comm(Comm::fixed_prob(200, 100, 0.2, 1.0 * nS))
            .syn(Expon::builder(100).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    // the summed effect of 400 independent 10 Hz sources added straight to V
    // (BrainPy's PoissonInput): every step V += k·0.1 mV, k ~ Binomial(400, 1 − e^{−f·dt})
    net.poisson_input(PoissonInput::on(
        targets.state().v,
        400,
        10.0 * Hz,
        0.1 * mV,
        seed,
    )?)?;
    // a volley at chosen times (BrainPy's SpikeTime): 20 sources at 100 ms, 1 mV each
    let volley = net.add_source(SpikeTimeGroup::new(
        20,
        &(0..20).collect::<Vec<_>>(),
        &[100.0 * ms; 20],
    )?);
    net.connect(DeltaProj::new(volley, targets).comm(Comm::all_to_all(20, 100, 1.0 * mV)))?;
    // ANCHOR_END: spike_sources

    // ANCHOR: monitors
    let handles = Handles {
        waves: net.monitor_spikes(waves)?,
        v: net.monitor(waves.state().v, (0..5).collect(), 1)?, // every step
        targets: net.monitor_spikes(targets)?,
        rate: net.monitor_rate(targets)?,
    };
    // ANCHOR_END: monitors
    Ok((net, handles))
}

fn main() -> Result<(), Report> {
    // ANCHOR: run
    let (mut net, h) = build(1)?;
    let stats = net.run(200.0 * ms)?;
    println!(
        "{} steps in {:.1} ms of wall time: {} spikes, {} synaptic events",
        stats.steps,
        stats.wall.as_secs_f64() * 1e3,
        stats.spikes,
        stats.events
    );
    // ANCHOR_END: run

    // ANCHOR: read
    let names = ["constant", "section", "step", "ramp", "sinusoid"];
    let counts = net.record(h.waves)?.counts();
    for (name, count) in names.iter().zip(&counts) {
        println!("{name:<9} {count:>3} spikes");
    }
    let targets = net.record(h.targets)?;
    println!(
        "targets: {} spikes, {:.1} Hz over the run",
        targets.len(),
        in_units(targets.mean_rate(0.0 * ms, 200.0 * ms)?, Hz)
    );
    let (t, rate) = net.record(h.rate)?.binned_hz(10.0 * ms)?;
    let (k, peak) = rate.iter().enumerate().fold(
        (0, 0.0),
        |best, (k, &r)| if r > best.1 { (k, r) } else { best },
    );
    println!(
        "population rate peaks at {peak:.0} Hz in the 10 ms bin centred on {} ms",
        t[k]
    );
    // ANCHOR_END: read

    // ANCHOR: save
    std::fs::create_dir_all("output")?;
    let (spikes, v, rate) = (net.record(h.waves)?, net.record(h.v)?, net.record(h.rate)?);
    spikes.save_npy("output/network_tour_spikes.npy")?; // rows [time_ms, neuron]
    spikes.save_csv("output/network_tour_spikes.csv")?; // t_ms,neuron
    v.save_npy("output/network_tour_v.npy")?; // rows × neurons, in mV
    v.save_csv("output/network_tour_v.csv")?; // t_ms,V[0]_mV,...,V[4]_mV
    rate.save_csv("output/network_tour_rate.csv")?; // t_ms,rate_Hz
    // ANCHOR_END: save

    let times = v.times_ms();
    let traces = (0..5)
        .map(|k| v.trace_in(k, mV))
        .collect::<Result<Vec<_>, _>>()?;
    line_figure(
        "output/network_tour.png",
        &[Panel {
            title: "One LIF neuron per current waveform",
            x_label: "Time (ms)",
            y_label: "V (mV)",
            series: names
                .iter()
                .zip(&traces)
                .map(|(label, y)| Series {
                    label,
                    x: &times,
                    y,
                })
                .collect(),
        }],
        1000,
        450,
    )?;

    // ANCHOR: reproducible
    let spikes_of = |net: &Network, h: &Handles| {
        let r = net.record(h.targets).expect("a handle of this network");
        (r.steps.clone(), r.neurons.clone())
    };
    let first = spikes_of(&net, &h);
    let (mut again, h2) = build(1)?; // same seed
    again.run(200.0 * ms)?;
    println!(
        "same seed, new network:    identical spikes: {}",
        spikes_of(&again, &h2) == first
    );
    net.reset(); // back to step 0: states, inputs and random streams rewound
    net.run(200.0 * ms)?;
    println!(
        "same network after reset:  identical spikes: {}",
        spikes_of(&net, &h) == first
    );
    let (mut other, h3) = build(2)?; // another seed
    other.run(200.0 * ms)?;
    println!(
        "another seed:              identical spikes: {}",
        spikes_of(&other, &h3) == first
    );
    // ANCHOR_END: reproducible
    println!("wrote output/network_tour.png and output/network_tour_*.{{npy,csv}}");
    Ok(())
}
