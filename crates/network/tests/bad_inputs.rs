//! Bad inputs get a typed error where they enter, naming the parameter: the cases that were
//! silently accepted, panicked, aborted or hung before (one line each in the table below).

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;
use std::sync::Arc;

/// A small LIF population.
fn lif(n: usize) -> Lif {
    Lif::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .build()
        .unwrap()
}

/// The error's text, which must name `what` (the parameter) and, where given, `value`.
fn names<T>(result: Result<T, impl std::fmt::Display>, what: &str, value: &str) -> String {
    let text = match result {
        Ok(_) => panic!("accepted: {what} = {value}"),
        Err(e) => e.to_string(),
    };
    assert!(
        text.contains(what) && text.contains(value),
        "`{text}` should name `{what}` and `{value}`"
    );
    text
}

#[test]
fn initialisers_and_weights_must_give_finite_values() {
    let nan_init = Init::Func(Arc::new(
        |i: usize| if i == 3 { f64::NAN * mV } else { -60.0 * mV },
    ));
    names(
        Lif::builder(5).v_init(nan_init).build(),
        "V_initializer[3]",
        "NaN",
    );
    names(
        Lif::builder(5)
            .v_init(Init::uniform(-1e308 * mV, 1e308 * mV))
            .build(),
        "V_initializer",
        "overflows",
    );
    let comm = |w: WeightInit<ElectricalConductance>| {
        Comm::<ElectricalConductance>::fixed_prob(4, 4, 0.5, w).build("proj", 1)
    };
    names(
        comm(WeightInit::Values(vec![f64::NAN * nS; 16])),
        "weights[0]",
        "NaN",
    );
    names(
        comm(WeightInit::Uniform(0.0 * nS, f64::INFINITY * nS)),
        "uniform high",
        "inf",
    );
    names(
        comm(WeightInit::Normal(f64::NAN * nS, 1.0 * nS)),
        "normal mean",
        "NaN",
    );
    names(
        comm(WeightInit::LogNormal {
            mu: 0.0,
            sigma: -1.0,
            unit: 1.0 * nS,
        }),
        "sigma",
        "-1",
    );
    // a range 40 standard deviations out: rejection sampling would never end
    names(
        comm(WeightInit::TruncatedNormal {
            mean: 0.0 * nS,
            std: 1.0 * nS,
            low: 40.0 * nS,
            high: 41.0 * nS,
        }),
        "truncation range",
        "holds",
    );
    // std 0 with the mean inside the range is fine
    comm(WeightInit::TruncatedNormal {
        mean: 1.0 * nS,
        std: 0.0 * nS,
        low: 0.0 * nS,
        high: 2.0 * nS,
    })
    .unwrap();
}

#[test]
fn models_need_a_size_and_a_positive_resistance() {
    names(Lif::builder(0).build(), "size", "0");
    names(
        Lif::builder(usize::MAX / 4).build(),
        "size",
        "between 1 and",
    );
    names(Lif::builder(3).r(-100.0 * Mohm).build(), "R", "-100");
    names(PoissonGroup::new(0, 10.0 * Hz, 1), "num", "0");
    let mut net = Network::new(0.1 * ms).unwrap();
    let pop = net.add("E", lif(10));
    names(pop.slice(4..4), "range", "4..4");
}

#[test]
fn waveforms_must_be_finite() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pop = net.add("E", lif(3));
    let current = |w: Waveform<ElectricCurrent>| ExternalCurrent::new(pop, w);
    names(
        current(Waveform::Section {
            values: vec![1.0 * nA, f64::NAN * nA],
            durations: vec![1.0 * ms, 1.0 * ms],
        }),
        "values[1]",
        "NaN",
    );
    names(
        current(Waveform::Step {
            amplitudes: vec![f64::NAN * nA],
            times: vec![0.0 * ms],
        }),
        "amplitudes[0]",
        "NaN",
    );
    names(
        current(Waveform::Ramp {
            start: f64::NAN * nA,
            end: 1.0 * nA,
            duration: 10.0 * ms,
            t_start: 0.0 * ms,
        }),
        "c_start",
        "NaN",
    );
    names(
        current(Waveform::Sinusoidal {
            amplitude: f64::INFINITY * nA,
            frequency: 10.0 * Hz,
            duration: None,
            bias: 0.0 * nA,
        }),
        "amplitude",
        "inf",
    );
    names(
        PoissonInput::spec(pop, "V", u64::MAX, 10.0 * Hz, 0.1 * mV, 1),
        "num_input",
        "18446744073709551615",
    );
}

#[test]
fn projections_refuse_negative_conductances_and_endless_delays() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let e = net.add("E", lif(10));
    let coba = |w: ElectricalConductance, delay: Delay| {
        AlignPostProj::new(e, e)
            .comm(Comm::fixed_prob(10, 10, 0.5, w))
            .syn(Expon::builder(10).tau(5.0 * ms).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(delay)
    };
    names(
        net.connect(coba(-1.0 * nS, Delay::None)),
        "weights[0]",
        "-1",
    );
    names(
        net.connect(coba(1.0 * nS, Delay::Steps(usize::MAX))),
        "delay_step",
        "18446744073709551615",
    );
    names(
        net.connect(coba(1.0 * nS, Delay::Time(1e12 * ms))),
        "delay",
        "at most",
    );
    net.connect(coba(1.0 * nS, Delay::Steps(3))).unwrap();
    // a handle of another network
    let mut other = Network::new(0.1 * ms).unwrap();
    let foreign = other.add("F", lif(10));
    let e2 = net.add("E2", lif(10));
    let wrong = AlignPostProj::new(foreign, e2)
        .comm(Comm::fixed_prob(10, 10, 0.5, 1.0 * nS))
        .syn(Expon::builder(10).tau(5.0 * ms).build().unwrap())
        .out(Coba::new(0.0 * mV).unwrap());
    assert!(matches!(
        net.connect(wrong),
        Err(NetworkError::ForeignHandle(_))
    ));
}

#[test]
fn monitors_and_runs_check_their_sizes() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pop = net.add("E", lif(100));
    names(
        net.monitor_state(pop, "V", vec![0, 1], 0),
        "every",
        "0 steps",
    );
    names(net.monitor_state(pop, "V", vec![], 1), "indices", "none");
    let spikes = net.monitor_spikes(pop).unwrap();
    let rate = net.monitor_rate(pop).unwrap();
    net.run(1.0 * ms).unwrap();
    names(
        net.record(spikes).unwrap().mean_rate(1.0 * ms, 1.0 * ms),
        "from",
        "1 ms",
    );
    names(net.record(rate).unwrap().binned_hz(0.0 * ms), "bin", "0 ms");
    names(
        net.record(rate).unwrap().binned_hz(0.01 * ms),
        "bin",
        "one step",
    );
    // a run whose step count overflows, or whose record cannot be allocated
    names(net.run(1e25 * ms), "duration", "at most");
    let v = net.monitor_state(pop, "V", (0..100).collect(), 1).unwrap();
    names(net.run(1e12 * ms), "duration", "GiB");
    net.run(1.0 * ms).unwrap();
    assert_eq!(net.record(v).unwrap().steps.len(), 10);
    let mut tiny = Network::new(1e-30 * ms).unwrap();
    tiny.add("E", lif(1));
    names(tiny.run(1.0 * ms), "duration", "at most");
}

/// A network of one population driven by a constant current `i`.
fn driven<N: Neuron<Input = ElectricCurrent>>(model: N, i: ElectricCurrent) -> Network {
    let mut net = Network::new(0.1 * ms).unwrap().progress(Progress::Never);
    let p = net.add("P", model);
    net.input(
        ExternalCurrent::new(
            p,
            Waveform::Constant {
                value: i,
                duration: None,
            },
        )
        .unwrap(),
    )
    .unwrap();
    net
}

#[test]
fn a_run_whose_state_becomes_nan_stops_with_an_error_naming_it() {
    // HH at −1e6 nA: V runs to −∞ and the gates' rates to NaN within a few steps
    let mut net = driven(Hh::builder(3).build().unwrap(), -1e6 * nA);
    let err = net.run(50.0 * ms).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, NetworkError::Diverged { owner, variable, step, .. }
            if owner.contains("HH") && owner.contains("`P`") && variable == "V" && *step <= 200),
        "{text}"
    );
    assert!(text.contains("t = "), "{text}");
    // found at a check every 100 steps, not at the end of the 500-step run
    assert!(net.step_index() <= 200);

    // turned off, the run goes on (and the user has asked for what they get)
    let mut net = driven(Hh::builder(3).build().unwrap(), -1e6 * nA);
    net.check_finite_every(0);
    net.run(30.0 * ms).unwrap();
    assert!(net.populations().next().unwrap().state_vars()[0].raw[0].is_nan());
}

#[test]
fn an_implausible_potential_is_a_warning() {
    // LIF at −1e6 nA: V heads for V_rest + R·I = −1e8 mV, finite but absurd (a potential
    // driven far past threshold is reset within its step, and never seen)
    let mut net = driven(lif(2), -1e6 * nA);
    net.run(20.0 * ms).unwrap();
    let w = net.warnings();
    assert_eq!(w.len(), 1, "once per population and variable: {w:?}");
    assert_eq!(
        (w[0].population.as_str(), w[0].variable.as_str()),
        ("LIF `P`", "V")
    );
    assert!(w[0].to_string().contains("mV"), "{}", w[0]);

    // a plausible run warns of nothing; the bound can be lowered or removed
    let mut net = driven(lif(2), 0.3 * nA);
    net.run(20.0 * ms).unwrap();
    assert!(net.warnings().is_empty());
    // (this LIF rests at 0 mV and sits near 0.9 mV)
    net.set_potential_bound(Some(0.1 * mV)).unwrap();
    net.run(1.0 * ms).unwrap();
    assert_eq!(net.warnings().len(), 1);
    names(net.set_potential_bound(Some(-1.0 * mV)), "bound", "-1 mV");
}

#[test]
fn sizes_beyond_the_machines_memory_are_refused_before_allocating() {
    let available = neurotype_units::check::available_memory().unwrap_or(f64::MAX);
    // 4·10^9 LIF neurons need at least 96 GB: refused where that does not fit
    let huge = 4_000_000_000usize;
    if available < huge as f64 * 24.0 {
        let text = names(Lif::builder(huge).build(), "size", "GiB");
        assert!(text.contains("can still give"), "{text}");
        println!("{text}");
        names(PoissonGroup::new(huge, 5.0 * Hz, 1), "num", "GiB");
    }
    // a dense 100k × 100k matrix: 80 GB
    let mut net = Network::new(0.1 * ms).unwrap();
    let a = net.add("A", lif(100_000));
    let b = net.add("B", lif(100_000));
    if available < 8e10 {
        names(
            net.connect(
                AlignPostProj::new(a, b)
                    .comm(Comm::new(100_000, 100_000, Connector::all_to_all(), 1.0 * nS).dense())
                    .syn(Expon::builder(100_000).build().unwrap())
                    .out(Coba::new(0.0 * mV).unwrap()),
            ),
            "synapses",
            "GiB",
        );
    }
    // nothing was installed by the refused projection
    assert_eq!(net.n_synapses(), 0);
}

#[test]
fn a_connection_probability_below_double_precision_draws_no_synapse_and_ends() {
    // 1 − 1e-30 rounds to 1: the row's geometric skips were −∞ and the row never ended
    for p in [1e-30, f64::MIN_POSITIVE / 4.0] {
        for procedural in [false, true] {
            let mut net = Network::new(0.1 * ms).unwrap().progress(Progress::Never);
            let src = net.add_source(PoissonGroup::new(3, 500.0 * Hz, 1).unwrap());
            let post = net.add("P", lif(9));
            let mut comm = Comm::fixed_prob(3, 9, p, 1.0 * nS);
            if procedural {
                comm = comm.procedural();
            }
            net.connect(
                AlignPostProj::new(src, post)
                    .comm(comm)
                    .syn(Expon::builder(9).build().unwrap())
                    .out(Coba::new(0.0 * mV).unwrap()),
            )
            .unwrap();
            net.run(5.0 * ms).unwrap();
            assert!(net.n_synapses() <= 1);
        }
    }
}
