//! End-to-end behaviour of networks: step order, delays, reproducibility, dense = sparse,
//! inline synapse channels = separate ones, size checks, inputs and monitors.

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;

/// The relative rounding of one stored number (traces are f64 in either precision).
const EPS: f64 = if cfg!(feature = "f32") {
    f32::EPSILON as f64
} else {
    f64::EPSILON
};

/// A small recurrent COBA-like network (LIFRef, two exponential groups).
fn coba_like(
    n: usize,
    seed: u64,
    fusion: bool,
    method: Method,
) -> (Network, MonitorId<SpikeRecord>, Pop<Lif>) {
    coba_like_tau(n, seed, fusion, method, false)
}

/// [`coba_like`], with the synapses' τ given per element (the same value for each) when
/// `per_element`.
fn coba_like_tau(
    n: usize,
    seed: u64,
    fusion: bool,
    method: Method,
    per_element: bool,
) -> (Network, MonitorId<SpikeRecord>, Pop<Lif>) {
    let tau = |t: Time| -> Param<Time> {
        if per_element {
            vec![t; n].into()
        } else {
            t.into()
        }
    };
    let n_exc = n * 4 / 5;
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .seed(seed)
        .inline_synapses(fusion);
    let neurons = LifRef::builder(n)
        .r(100.0 * Mohm)
        .tau(20.0 * ms)
        .tau_ref(5.0 * ms)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .spk_reset(SpikeReset::Hard)
        .method(method)
        .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
        .seed(seed)
        .build()
        .unwrap();
    let all = net.add("E+I", neurons);
    net.input(ExternalCurrent::constant(all, 200.0 * pA).unwrap())
        .unwrap();
    let p = 80.0 / n as f64;
    net.connect(
        AlignPostProj::new(all.slice(0..n_exc).unwrap(), all)
            .comm(Comm::fixed_prob(n_exc, n, p, 6.0 * nS))
            .syn(Expon::builder(n).tau(tau(5.0 * ms)).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap()),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(all.slice(n_exc..n).unwrap(), all)
            .comm(Comm::fixed_prob(n - n_exc, n, p, 67.0 * nS))
            .syn(Expon::builder(n).tau(tau(10.0 * ms)).build().unwrap())
            .out(Coba::new(-80.0 * mV).unwrap()),
    )
    .unwrap();
    let spikes = net.monitor_spikes(all).unwrap();
    (net, spikes, all)
}

fn spike_train(net: &Network, id: MonitorId<SpikeRecord>) -> (Vec<u64>, Vec<u32>) {
    let r = net.record(id).unwrap();
    (r.steps.clone(), r.neurons.clone())
}

#[test]
fn same_seed_gives_identical_spikes_and_another_seed_does_not() {
    let run = |seed| {
        let (mut net, id, _) = coba_like(400, seed, true, Method::Euler);
        net.run(200.0 * ms).unwrap();
        spike_train(&net, id)
    };
    let a = run(7);
    assert!(
        a.0.len() > 100,
        "the network should fire: {} spikes",
        a.0.len()
    );
    assert_eq!(a, run(7));
    assert_ne!(a, run(8));
}

#[test]
fn reset_replays_the_same_run() {
    let (mut net, id, _) = coba_like(200, 3, true, Method::Euler);
    net.run(100.0 * ms).unwrap();
    let first = spike_train(&net, id);
    net.reset();
    net.run(100.0 * ms).unwrap();
    assert_eq!(first, spike_train(&net, id));
}

#[test]
fn fused_synapse_channels_change_nothing() {
    for method in [Method::Euler, Method::ExponentialEuler] {
        let (mut fused, a, pop) = coba_like(400, 11, true, method);
        let (mut plain, b, pop_b) = coba_like(400, 11, false, method);
        fused.run(200.0 * ms).unwrap();
        plain.run(200.0 * ms).unwrap();
        assert!(!fused.record(a).unwrap().is_empty());
        assert_eq!(spike_train(&fused, a), spike_train(&plain, b), "{method:?}");
        // and the synaptic state is bit-identical too
        let g = |net: &Network, pop| -> Vec<Vec<f64>> {
            net.synapse_states(pop)
                .unwrap()
                .iter()
                .map(|vars| vars[0].raw.to_vec())
                .collect()
        };
        assert_eq!(g(&fused, pop), g(&plain, pop_b));
    }
}

/// An exponential synapse with a shared τ takes its arrivals folded into g (each divided by
/// the step's decay factor), one with τ given per element queues them and adds them after
/// the decay, as BrainPy does. With the same τ everywhere the two are the same network: the
/// potentials and conductances agree to rounding, and the spikes exactly.
#[test]
fn folded_arrivals_equal_arrivals_added_after_the_decay() {
    let run = |per_element: bool| {
        let n = 400;
        let (mut net, spikes, all) =
            coba_like_tau(n, 5, true, Method::ExponentialEuler, per_element);
        let v = net.monitor_state(all, "V", (0..n).collect(), 1).unwrap();
        net.run(100.0 * ms).unwrap();
        let g: Vec<f64> = net
            .synapse_states(all)
            .unwrap()
            .iter()
            .flat_map(|vars| vars[0].raw.to_vec())
            .collect();
        (
            spike_train(&net, spikes),
            net.record(v).unwrap().values(),
            g,
        )
    };
    let (folded, queued) = (run(false), run(true));
    assert!(folded.0.0.len() > 100, "{} spikes", folded.0.0.len());
    assert_eq!(folded.0, queued.0, "the spikes");
    let worst = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs() / y.abs().max(1e-300))
            .fold(0.0f64, f64::max)
    };
    assert!(
        worst(&folded.1, &queued.1) < 1e-12,
        "V: {:e}",
        worst(&folded.1, &queued.1)
    );
    assert!(
        worst(&folded.2, &queued.2) < 1e-12,
        "g: {:e}",
        worst(&folded.2, &queued.2)
    );
    assert_ne!(folded.2, queued.2, "two ways to the same numbers, not one");
}

#[test]
fn a_spike_at_step_n_moves_g_at_n_plus_one_plus_the_delay() {
    for delay in [0usize, 3] {
        let mut net = Network::new(0.1 * ms).unwrap();
        // one presynaptic spike at t = 1.0 ms (step 10)
        let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[1.0 * ms]).unwrap());
        let post = net.add("post", Lif::builder(1).build().unwrap());
        let proj = net
            .connect(
                AlignPostProj::new(pre, post)
                    .comm(Comm::all_to_all(1, 1, 0.5 * mS))
                    .syn(Expon::builder(1).tau(5.0 * ms).build().unwrap())
                    .out(Cuba::default())
                    .delay(Delay::Steps(delay)),
            )
            .unwrap();
        let g = net.monitor_projection(proj, "g", vec![0], 1).unwrap();
        let pre_spikes = net.monitor_spikes(pre).unwrap();
        net.run(3.0 * ms).unwrap();
        assert_eq!(net.record(pre_spikes).unwrap().steps, vec![10]);
        let trace = &net.record(g).unwrap().values();
        let first = trace.iter().position(|&x| x != 0.0).unwrap();
        assert_eq!(
            first as u64,
            net.record(g).unwrap().steps[0] + 11 + delay as u64
        );
        // folded into g as 0.5/f before the decay by f: whole, to the last bit or two
        assert!(
            (trace[first] - 0.5).abs() <= 2.0 * EPS * 0.5,
            "the increment arrives whole: {}",
            trace[first]
        );
    }
}

#[test]
fn delays_given_as_time_round_like_brainpy() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    assert_eq!(
        neurotype_network::delay::steps_of(
            "t",
            "delay",
            1.0 * ms,
            dt,
            neurotype_network::delay::MAX_DELAY_STEPS
        )
        .unwrap(),
        10
    );
    assert_eq!(
        neurotype_network::delay::steps_of(
            "t",
            "delay",
            0.3 * ms,
            dt,
            neurotype_network::delay::MAX_DELAY_STEPS
        )
        .unwrap(),
        3
    );
    assert_eq!(
        neurotype_network::delay::steps_of(
            "t",
            "delay",
            0.25 * ms,
            dt,
            neurotype_network::delay::MAX_DELAY_STEPS
        )
        .unwrap(),
        3
    );
    assert!(
        neurotype_network::delay::steps_of(
            "t",
            "delay",
            -1.0 * ms,
            dt,
            neurotype_network::delay::MAX_DELAY_STEPS
        )
        .is_err()
    );
}

#[test]
fn classic_dense_and_sparse_computation_agree_exactly() {
    let run = |method: CompMethod| {
        let mut net = Network::new(0.1 * ms).unwrap().seed(5);
        let pre = net.add_source(PoissonGroup::new(40, 40.0 * Hz, 1).unwrap());
        let post = net.add("post", Hh::builder(10).build().unwrap());
        let syn = net
            .connect(
                classic::ampa(pre, post, Connector::fixed_prob(0.3))
                    .comp_method(method)
                    .seed(9),
            )
            .unwrap();
        let v = net.monitor_state(post, "V", (0..10).collect(), 1).unwrap();
        let g = net
            .monitor_projection(syn, "g_post", (0..10).collect(), 1)
            .unwrap();
        net.run(100.0 * ms).unwrap();
        (
            net.record(v).unwrap().values(),
            net.record(g).unwrap().values(),
        )
    };
    let (v_dense, g_dense) = run(CompMethod::Dense);
    let (v_sparse, g_sparse) = run(CompMethod::Sparse);
    assert!(g_dense.iter().any(|&g| g > 0.0), "the synapses should open");
    assert_eq!(g_dense, g_sparse);
    assert_eq!(v_dense, v_sparse);
}

#[test]
fn a_block_of_neurons_and_scattered_neurons_record_the_same_values() {
    // a contiguous block is recorded as one copy of the column, other sets one by one
    let (mut net, _, all) = coba_like(400, 3, true, Method::Euler);
    let every = net.monitor_state(all, "V", (0..400).collect(), 1).unwrap();
    let block = net
        .monitor_state(all, "V", (100..140).collect(), 1)
        .unwrap();
    let scattered = net
        .monitor_state(all, "V", vec![139, 7, 100, 7], 1)
        .unwrap();
    net.run(20.0 * ms).unwrap();
    let (every, block, scattered) = (
        net.record(every).unwrap(),
        net.record(block).unwrap(),
        net.record(scattered).unwrap(),
    );
    assert_eq!(every.steps.len(), 200);
    for (k, i) in (100..140).enumerate() {
        assert_eq!(block.trace(k).unwrap(), every.trace(i).unwrap());
    }
    for (k, &i) in [139, 7, 100, 7].iter().enumerate() {
        assert_eq!(scattered.trace(k).unwrap(), every.trace(i).unwrap());
    }
    let v = every.trace(7).unwrap();
    assert!(v.windows(2).any(|w| w[0] != w[1]), "V should move");
}

#[test]
fn mismatched_sizes_are_rejected_naming_both_sizes() {
    // seed 000: a projection with 100 postsynaptic targets wired into 50 neurons
    let mut net = Network::new(0.1 * ms).unwrap();
    let pre = net.add("pre", Lif::builder(100).build().unwrap());
    let post = net.add("post", Lif::builder(50).build().unwrap());
    let err = net
        .connect(
            AlignPostProj::new(pre, post)
                .comm(Comm::event_fixed_prob(100, 100, 0.1, 0.5 * mS))
                .syn(Expon::builder(100).tau(5.0 * ms).build().unwrap())
                .out(Cuba::default()),
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("100") && err.contains("50"), "{err}");
    // a synapse sized for the wrong population is caught as well
    let err = net
        .connect(
            AlignPostProj::new(pre, post)
                .comm(Comm::event_fixed_prob(100, 50, 0.1, 0.5 * mS))
                .syn(Expon::builder(100).tau(5.0 * ms).build().unwrap())
                .out(Cuba::default()),
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("100") && err.contains("50"), "{err}");
    // the corrected projection installs
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::event_fixed_prob(100, 50, 0.1, 0.5 * mS))
            .syn(Expon::builder(50).tau(5.0 * ms).build().unwrap())
            .out(Cuba::default()),
    )
    .unwrap();
}

#[test]
fn short_term_plasticity_on_a_projection_stays_in_bounds() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pre = net.add_source(PoissonGroup::new(20, 50.0 * Hz, 4).unwrap());
    let post = net.add("post", Lif::builder(5).build().unwrap());
    let proj = net
        .connect(
            AlignPostProj::new(pre, post)
                .comm(Comm::all_to_all(20, 5, 0.1 * mS))
                .syn(Expon::builder(5).tau(5.0 * ms).build().unwrap())
                .out(Cuba::default())
                .stp(Stp::builder(20).build().unwrap()),
        )
        .unwrap();
    let u = net
        .monitor_projection(proj, "u", (0..20).collect(), 1)
        .unwrap();
    let x = net
        .monitor_projection(proj, "x", (0..20).collect(), 1)
        .unwrap();
    net.run(300.0 * ms).unwrap();
    for &v in net
        .record(u)
        .unwrap()
        .values()
        .iter()
        .chain(&net.record(x).unwrap().values())
    {
        assert!((0.0..=1.0).contains(&v), "{v}");
    }
    // a 50 Hz train depresses the resources
    let x_min = net
        .record(x)
        .unwrap()
        .values()
        .into_iter()
        .fold(1.0, f64::min);
    assert!(x_min < 0.9, "x never dropped: {x_min}");
}

#[test]
fn poisson_sources_fire_at_their_rate() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let src = net.add_source(PoissonGroup::new(1000, 20.0 * Hz, 2).unwrap());
    let spikes = net.monitor_spikes(src).unwrap();
    net.run(1000.0 * ms).unwrap();
    let rate = in_units(
        net.record(spikes)
            .unwrap()
            .mean_rate(0.0 * ms, 1000.0 * ms)
            .unwrap(),
        Hz,
    );
    // 20 000 expected spikes: ±4 σ ≈ ±0.57 Hz
    assert!((rate - 20.0).abs() < 0.6, "{rate} Hz");
}

#[test]
fn spike_time_groups_fire_when_told() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let src = net
        .add_source(SpikeTimeGroup::new(3, &[0, 2, 1], &[0.5 * ms, 1.0 * ms, 2.0 * ms]).unwrap());
    let spikes = net.monitor_spikes(src).unwrap();
    net.run(5.0 * ms).unwrap();
    let r = net.record(spikes).unwrap();
    assert_eq!(r.steps, vec![5, 10, 20]);
    assert_eq!(r.neurons, vec![0, 2, 1]);
}

#[test]
fn constant_input_drives_a_lif_to_its_steady_state() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pop = net.add(
        "lif",
        Lif::builder(2)
            .r(100.0 * Mohm)
            .tau(10.0 * ms)
            .v_rest(-65.0 * mV)
            .v_th(-40.0 * mV)
            .v_reset(-70.0 * mV)
            .build()
            .unwrap(),
    );
    net.input(ExternalCurrent::constant(pop, 100.0 * pA).unwrap())
        .unwrap();
    let v = net.monitor_state(pop, "V", vec![0, 1], 10).unwrap();
    net.run(200.0 * ms).unwrap();
    let last = *net.record(v).unwrap().values().last().unwrap();
    assert!((last - -55.0).abs() < 1e-6, "{last} mV");
}

#[test]
fn monitors_save_npy_and_csv() {
    let (mut net, spikes, _) = coba_like(200, 1, true, Method::Euler);
    net.run(100.0 * ms).unwrap();
    let dir = std::env::temp_dir().join(format!("neurotype-monitor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let record = net.record(spikes).unwrap();
    record.save_npy(dir.join("spikes.npy")).unwrap();
    record.save_csv(dir.join("spikes.csv")).unwrap();
    let bytes = std::fs::read(dir.join("spikes.npy")).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), &[record.len() as u64, 2]);
    let data: Vec<f64> = npy.into_vec().unwrap();
    assert_eq!(data[1] as u32, record.neurons[0]);
    let csv = std::fs::read_to_string(dir.join("spikes.csv")).unwrap();
    assert_eq!(csv.lines().count(), record.len() + 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_monitor_variables_and_indices_are_errors() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pop = net.add("lif", Lif::builder(3).build().unwrap());
    let err = net
        .monitor_state(pop, "W", vec![0], 1)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`W`") && err.contains('V'), "{err}");
    assert!(net.monitor_state(pop, "V", vec![3], 1).is_err());
}

#[test]
fn every_plasticity_rule_shapes_a_fast_train_on_a_projection() {
    use neurotype_models::synapses::legacy::{StdClassic, StpClassic};
    let rules: Vec<(&str, ShortTermPlasticity)> = vec![
        ("STP", Stp::builder(1).build().unwrap().into()),
        ("STD", Std::builder(1).build().unwrap().into()),
        (
            "classic STP",
            StpClassic::builder(1).build().unwrap().into(),
        ),
        (
            "classic STD",
            StdClassic::builder(1).build().unwrap().into(),
        ),
    ];
    for (name, rule) in rules {
        let mut net = Network::new(0.1 * ms).unwrap();
        // a 100 Hz train: spikes at 1, 11, 21, 31 ms
        let times: Vec<Time> = (0..4).map(|k| (1.0 + 10.0 * k as f64) * ms).collect();
        let pre = net.add_source(SpikeTimeGroup::new(1, &[0; 4], &times).unwrap());
        let post = net.add("post", Lif::builder(1).build().unwrap());
        // τ so long that g only integrates the arrivals
        let proj = net
            .connect(
                AlignPostProj::new(pre, post)
                    .comm(Comm::all_to_all(1, 1, 1.0 * mS))
                    .syn(Expon::builder(1).tau(1e12 * ms).build().unwrap())
                    .out(Cuba::default())
                    .stp(rule),
            )
            .unwrap();
        let g = net.monitor_projection(proj, "g", vec![0], 1).unwrap();
        net.run(40.0 * ms).unwrap();
        let g = &net.record(g).unwrap().values();
        // the increments arrive one step after each spike (steps 11, 111, 211, 311)
        let jumps: Vec<f64> = [11, 111, 211, 311]
            .iter()
            .map(|&s| g[s] - g[s - 1])
            .collect();
        // (folded into g before the decay: whole to within a few ulp)
        assert!(
            jumps[0] > 0.0 && jumps[0] <= 1.0 + 4.0 * EPS,
            "{name}: {jumps:?}"
        );
        if name == "STP" {
            // BrainPy's defaults (U 0.15, τ_f 1.5 s, τ_d 200 ms): the second spike is
            // facilitated, then depression wins
            assert!(
                jumps[1] > jumps[0] && jumps[3] < jumps[1],
                "{name}: {jumps:?}"
            );
        } else {
            assert!(
                jumps.windows(2).all(|w| w[1] < w[0]),
                "{name}: increments should shrink: {jumps:?}"
            );
        }
    }
}

#[test]
fn slices_are_honoured_by_inputs_and_monitors_and_rejected_as_targets() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let all = net.add("lif", Lif::builder(10).v_reset(-70.0 * mV).build().unwrap());
    let part = all.slice(5..10).unwrap();
    assert!(part.is_slice() && all.slice(0..5).unwrap().is_slice() && !all.is_slice());
    assert!(!all.slice(0..10).unwrap().is_slice());
    // an input into the slice moves only the slice
    net.input(ExternalCurrent::constant(part, 0.1 * mA).unwrap())
        .unwrap();
    // an input into element 1 of the slice (element 6 of the population)
    net.input(
        ExternalCurrent::constant(part, 0.1 * mA)
            .unwrap()
            .indices(vec![1])
            .unwrap(),
    )
    .unwrap();
    let v = net.monitor_state(part, "V", vec![0, 1], 1).unwrap();
    let v_all = net.monitor_state(all, "V", (0..10).collect(), 1).unwrap();
    assert!(net.monitor_state(part, "V", vec![5], 1).is_err());
    let spikes = net.monitor_spikes(part).unwrap();
    net.run(10.0 * ms).unwrap();
    let all_v = &net.record(v_all).unwrap().values();
    let whole = all_v[all_v.len() - 10..].to_vec();
    assert!(whole[..5].iter().all(|&x| x == whole[0]), "{whole:?}");
    assert!(whole[5] > whole[0] && whole[6] > whole[5], "{whole:?}");
    let sliced = &net.record(v).unwrap().values();
    assert_eq!(&sliced[sliced.len() - 2..], &whole[5..7]);
    assert!(net.record(spikes).unwrap().neurons.iter().all(|&k| k < 5));
    // a slice cannot be the postsynaptic side of a projection
    let err = net
        .connect(DeltaProj::new(all, part).comm(Comm::all_to_all(10, 5, 1.0 * mV)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("whole population"), "{err}");
}

#[test]
fn plasticity_of_the_wrong_size_is_rejected_by_every_projection() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let pre = net.add_source(PoissonGroup::new(20, 10.0 * Hz, 1).unwrap());
    let post = net.add("post", Hh::builder(4).build().unwrap());
    let stp = || Stp::builder(3).build().unwrap();
    let errors = [
        net.connect(
            DeltaProj::new(pre, post)
                .comm(Comm::all_to_all(20, 4, 1.0 * mV))
                .stp(stp()),
        ),
        net.connect(classic::ampa(pre, post, Connector::all_to_all()).stp(stp())),
        net.connect(
            AlignPostProj::new(pre, post)
                .comm(Comm::all_to_all(20, 4, 0.1 * mS))
                .syn(Expon::builder(4).build().unwrap())
                .out(Coba::new(0.0 * mV).unwrap())
                .stp(stp()),
        ),
    ];
    for e in errors {
        let e = e.unwrap_err().to_string();
        assert!(
            e.contains("stp") && e.contains('3') && e.contains("20"),
            "{e}"
        );
    }
    net.run(1.0 * ms).unwrap();
}

#[test]
fn fusion_keeps_the_group_order_with_more_groups_than_channels() {
    let run = |fusion: bool| {
        let mut net = Network::new(0.1 * ms)
            .unwrap()
            .seed(3)
            .inline_synapses(fusion);
        let pop = net.add(
            "lif",
            Lif::builder(200)
                .r(100.0 * Mohm)
                .tau(20.0 * ms)
                .v_rest(-60.0 * mV)
                .v_reset(-60.0 * mV)
                .v_th(-50.0 * mV)
                .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
                .seed(3)
                .build()
                .unwrap(),
        );
        net.input(ExternalCurrent::constant(pop, 200.0 * pA).unwrap())
            .unwrap();
        for (k, (tau, e, w)) in [(5.0, 0.0, 6.0), (10.0, -80.0, 67.0), (3.0, 0.0, 3.0)]
            .into_iter()
            .enumerate()
        {
            net.connect(
                AlignPostProj::new(pop, pop)
                    .comm(Comm::fixed_prob(200, 200, 0.1, w * nS).seed(k as u64))
                    .syn(Expon::builder(200).tau(tau * ms).build().unwrap())
                    .out(Coba::new(e * mV).unwrap()),
            )
            .unwrap();
        }
        let v = net.monitor_state(pop, "V", (0..200).collect(), 10).unwrap();
        net.run(200.0 * ms).unwrap();
        net.record(v).unwrap().values()
    };
    let fused = run(true);
    assert_eq!(fused, run(false));
    assert!(fused.iter().any(|&v| v != fused[0]));
}

#[test]
fn rate_monitors_added_later_label_their_own_times() {
    let mut net = Network::new(0.1 * ms).unwrap();
    let src = net.add_source(PoissonGroup::new(100, 50.0 * Hz, 1).unwrap());
    net.run(5.0 * ms).unwrap();
    let rate = net.monitor_rate(src).unwrap();
    net.run(5.0 * ms).unwrap();
    let (t, _) = net.record(rate).unwrap().binned_hz(1.0 * ms).unwrap();
    assert!((t[0] - 5.5).abs() < 1e-9, "{t:?}");
}

#[test]
fn poisson_input_adds_binomial_counts_of_its_sources() {
    // (num_input, weight): a small mean (binomial draws) and a large one (normal approximation)
    for (num_input, w) in [(100u64, 0.01), (10_000, 0.001)] {
        let mut net = Network::new(0.1 * ms).unwrap();
        // a membrane that neither leaks (τ = 1e12 ms) nor fires: V sums the kicks
        let pop = net.add(
            "lif",
            Lif::builder(200)
                .tau(1e12 * ms)
                .v_rest(0.0 * mV)
                .v_reset(-1.0 * mV)
                .v_th(1e9 * mV)
                .build()
                .unwrap(),
        );
        let driven = pop.slice(0..100).unwrap();
        net.poisson_input(
            PoissonInput::spec(driven, "V", num_input, 10.0 * Hz, w * mV, 3).unwrap(),
        )
        .unwrap();
        net.run(100.0 * ms).unwrap();
        let v = net
            .population(pop)
            .unwrap()
            .model
            .potential()
            .raw()
            .to_vec();
        // 1000 steps × num_input × p (p = 1 − e^{−10 Hz·0.1 ms} ≈ 1e-3) × w
        let p = -(-(10.0f64 * 1e-4)).exp_m1();
        let expected = 1000.0 * num_input as f64 * p * w;
        let mean = v[..100].iter().sum::<f64>() / 100.0;
        assert!(
            (mean / expected - 1.0).abs() < 0.05,
            "{mean} vs {expected} mV"
        );
        assert!(
            v[100..].iter().all(|&x| x == 0.0),
            "only the slice is driven"
        );
    }
}

/// What a rank holds of a projection does not depend on how many ranks there are: rank 0 of
/// 2 draws exactly the synapses (targets and weights, row by row) that ranks 0 and 1 of 4
/// draw together, and every rank's synapses are those of the whole network onto its neurons.
/// For every way connectivity is drawn: by rows (Bernoulli, fixed out-degree), by columns
/// (fixed in-degree, also with explicit weights) and whole (fixed total).
#[test]
fn connectivity_of_a_rank_is_the_same_whatever_the_rank_count() {
    use neurotype_network::connectivity::{Connector, Count};
    use neurotype_network::ranks::owned;
    let (n_pre, n_post) = (300, 1000);
    let uniform = || WeightInit::Uniform(0.1 * nS, 1.0 * nS);
    let in_degree = Connector::FixedPreNum {
        num: Count::Exactly(7),
        with_replacement: false,
        include_self: true,
    };
    let comms: Vec<Comm<ElectricalConductance>> = vec![
        Comm::fixed_prob(n_pre, n_post, 0.05, uniform()).seed(9),
        Comm::event_fixed_prob(n_pre, n_post, 20, WeightInit::Normal(1.0 * nS, 0.1 * nS)),
        Comm::new(n_pre, n_post, in_degree.clone(), uniform()),
        Comm::new(
            n_pre,
            n_post,
            in_degree,
            WeightInit::Values((0..7 * n_post).map(|k| k as f64 * nS).collect()),
        ),
        Comm::new(
            n_pre,
            n_post,
            Connector::FixedTotalNum {
                num: 5000,
                with_replacement: true,
            },
            uniform(),
        ),
    ];
    for comm in comms {
        let name = comm.connector.name();
        let whole = comm.build("test", 3).unwrap();
        // the synapses rank `rank` of `size` draws, as per-target weight sums by row
        let held = |rank: usize, size: usize| {
            let mine = owned(n_post, rank, size);
            let c = comm.build_onto("test", 3, mine.clone()).unwrap();
            assert!(c.n_synapses() < whole.n_synapses() || size == 1, "{name}");
            (0..n_pre)
                .map(|i| {
                    let mut out = vec![0.0; n_post];
                    c.scatter(i, 1.0, &mut out);
                    assert!(
                        out.iter()
                            .enumerate()
                            .all(|(j, &w)| w == 0.0 || mine.contains(&j)),
                        "{name}"
                    );
                    out
                })
                .collect::<Vec<_>>()
        };
        let add = |a: Vec<Vec<f64>>, b: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
            a.into_iter()
                .zip(b)
                .map(|(x, y)| x.iter().zip(&y).map(|(p, q)| p + q).collect())
                .collect()
        };
        assert_eq!(held(0, 2), add(held(0, 4), held(1, 4)), "{name}");
        assert_eq!(held(1, 2), add(held(2, 4), held(3, 4)), "{name}");
        let all = add(held(0, 2), held(1, 2));
        assert_eq!(all, held(0, 1), "{name}");
        for (i, row) in all.iter().enumerate() {
            let mut out = vec![0.0; n_post];
            whole.scatter(i, 1.0, &mut out);
            assert_eq!(row, &out, "{name}, row {i}");
        }
    }
}

/// Procedural connectivity draws, at each spike, the synapses and weights a stored
/// `FixedProb` holds: the same sums row by row, whole, cut into parts, and on a rank's range
/// (constant and random weights, with and without self-connections).
#[test]
fn procedural_rows_are_the_stored_rows() {
    let (n_pre, n_post) = (300, 300);
    let comms: Vec<Comm<ElectricalConductance>> = vec![
        Comm::fixed_prob(n_pre, n_post, 0.05, 2.0 * nS),
        Comm::fixed_prob(200, n_post, 0.2, WeightInit::Normal(1.0 * nS, 0.3 * nS)),
        Comm::new(
            n_pre,
            n_post,
            Connector::FixedProb {
                p: 0.1,
                include_self: false,
            },
            WeightInit::Uniform(0.5 * nS, 1.5 * nS),
        ),
        Comm::fixed_prob(n_pre, n_post, 1.0, 1.0 * nS),
        Comm::fixed_prob(n_pre, n_post, 0.0, 1.0 * nS),
    ];
    for comm in comms {
        let stored = comm.build("test", 11).unwrap();
        let regenerated = comm.clone().procedural();
        let mut procedural = regenerated.build("test", 11).unwrap();
        assert_eq!(procedural.bytes(), 0);
        let rows = |c: &neurotype_network::Connections<ElectricalConductance>| {
            (0..comm.n_pre)
                .map(|i| {
                    let mut out = vec![0.0; n_post];
                    let k = c.scatter(i, 0.5, &mut out);
                    assert_eq!(k as usize, c.row_len(i));
                    (k, out)
                })
                .collect::<Vec<_>>()
        };
        let want = rows(&stored);
        assert_eq!(rows(&procedural), want);
        let expected = procedural.n_synapses() as f64;
        let total: u64 = want.iter().map(|r| r.0).sum();
        assert!((total as f64 - expected).abs() <= 4.0 * expected.sqrt() + 1.0);
        let weights: Vec<f64> = stored.weights().map(|w| w.value).collect();
        let drawn: Vec<f64> = procedural.weights().map(|w| w.value).collect();
        assert_eq!(drawn, weights);
        // cut into parts, as threads cut it, and on a rank's range
        procedural.partition(&[0..64, 64..192, 192..n_post]);
        assert_eq!(rows(&procedural), want);
        let mine = 128..256;
        let rank = regenerated.build_onto("test", 11, mine.clone()).unwrap();
        for (i, (_, row)) in want.iter().enumerate() {
            let mut out = vec![0.0; n_post];
            rank.scatter(i, 0.5, &mut out);
            for (j, (&got, &all)) in out.iter().zip(row).enumerate() {
                assert_eq!(got, if mine.contains(&j) { all } else { 0.0 });
            }
        }
    }
}

/// Procedural connectivity is for Bernoulli connectivity with constant or random weights:
/// anything else is a typed error at construction.
#[test]
fn procedural_needs_fixed_prob_and_drawn_weights() {
    let err = |comm: Comm<ElectricalConductance>| {
        comm.procedural().build("proj", 1).unwrap_err().to_string()
    };
    let e = err(Comm::all_to_all(10, 10, 1.0 * nS));
    assert!(e.contains("FixedProb") && e.contains("AllToAll"), "{e}");
    let e = err(Comm::event_fixed_prob(10, 10, 0.5, 1.0 * nS));
    assert!(e.contains("FixedProb"), "{e}");
    let e = err(Comm::fixed_prob(
        2,
        2,
        0.5,
        WeightInit::Values(vec![1.0 * nS; 4]),
    ));
    assert!(e.contains("weights") && e.contains("explicit"), "{e}");
    let e = err(Comm::fixed_prob(10, 10, 1.5, 1.0 * nS));
    assert!(e.contains("prob") && e.contains("1.5"), "{e}");
    assert_eq!(
        "procedural".parse::<CompMethod>().unwrap(),
        CompMethod::Procedural
    );
}
