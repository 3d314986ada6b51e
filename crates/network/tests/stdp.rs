//! Spike-timing-dependent plasticity in a network: the pair protocol against the analytic
//! window, the soft-bound form, the same weights for any thread count, checkpoints, reset, and
//! the refusals.

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;

const DT: f64 = 0.1;
const A_PLUS: f64 = 0.010; // mS
const A_MINUS: f64 = 0.012; // mS
const W0: f64 = 0.5; // mS

/// One presynaptic spike at `t_pre`, one postsynaptic spike forced at `t_post` (a one-step
/// pulse), one synapse with `rule`, `delay` steps; returns (Δw in mS, pre step, post step).
fn pair(
    t_pre: f64,
    t_post: f64,
    delay: usize,
    rule: Stdp<ElectricalConductance>,
) -> (f64, u64, u64) {
    let mut net = Network::new(DT * ms).unwrap().progress(Progress::Never);
    let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[t_pre * ms]).unwrap());
    let lif = Lif::builder(1)
        .v_th(10.0 * mV)
        .spk_reset(SpikeReset::Hard)
        .build()
        .unwrap();
    let post = net.add("post", lif);
    let pulse = Waveform::Section {
        values: vec![0.0 * mA, 1000.0 * mA],
        durations: vec![t_post * ms, DT * ms],
    };
    net.input(ExternalCurrent::new(post, pulse).unwrap())
        .unwrap();
    // ANCHOR: stdp
    let proj = net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::all_to_all(1, 1, W0 * mS))
            .syn(Expon::builder(1).tau(5.0 * ms).build().unwrap())
            .out(Cuba::new(1.0 * volt).unwrap())
            .delay(Delay::Steps(delay))
            .stdp(rule),
    );
    // ANCHOR_END: stdp
    let proj = proj.unwrap();
    let (sp, sq) = (
        net.monitor_spikes(pre).unwrap(),
        net.monitor_spikes(post).unwrap(),
    );
    net.run((t_pre.max(t_post) + 20.0 + delay as f64 * DT) * ms)
        .unwrap();
    let (p, q) = (
        &net.record(sp).unwrap().steps,
        &net.record(sq).unwrap().steps,
    );
    assert_eq!((p.len(), q.len()), (1, 1), "one spike each: {p:?} {q:?}");
    let w = net.projection_values(proj, "w", "mS").unwrap();
    (w[0] - W0, p[0], q[0])
}

fn rule() -> Stdp<ElectricalConductance> {
    Stdp::builder(A_PLUS * mS, A_MINUS * mS)
        .tau_pre(16.8 * ms)
        .tau_post(33.7 * ms)
        .build()
        .unwrap()
}

#[test]
fn a_pair_changes_the_weight_by_the_analytic_window() {
    let mut seen = (false, false, false);
    for delay in [0usize, 7] {
        for lag in [-80.0, -33.7, -5.0, -0.1, 0.0, 0.1, 2.5, 16.8, 60.0] {
            let t_pre = 100.0;
            let (dw, p, q) = pair(t_pre, t_pre + lag, delay, rule());
            // the spike arrives `delay` steps after it is emitted; Δt is from its arrival
            let k = q as i64 - (p as i64 + delay as i64);
            let dt_ms = k as f64 * DT;
            let expected = match k {
                k if k > 0 => A_PLUS * (-dt_ms / 16.8).exp(),
                k if k < 0 => -A_MINUS * (dt_ms / 33.7).exp(),
                _ => A_PLUS - A_MINUS,
            };
            seen = (seen.0 || k > 0, seen.1 || k < 0, seen.2 || k == 0);
            assert!(
                (dw - expected).abs() <= 1e-12 * A_PLUS,
                "delay {delay}, Δt {dt_ms} ms: Δw {dw} vs {expected}"
            );
        }
    }
    assert_eq!(seen, (true, true, true), "both signs and a tie");
}

#[test]
fn soft_bounds_scale_the_change_by_the_room_left() {
    let soft = Stdp::builder(A_PLUS * mS, A_MINUS * mS)
        .w_min(0.0 * mS)
        .w_max(1.0 * mS)
        .form(StdpForm::SoftBound)
        .build()
        .unwrap();
    let (dw, p, q) = pair(50.0, 60.0, 0, soft);
    let x = (-((q - p) as f64 * DT) / 16.8).exp();
    let expected = A_PLUS * x * (1.0 - W0) / 1.0;
    assert!(
        (dw - expected).abs() <= 1e-12 * A_PLUS,
        "{dw} vs {expected}"
    );
    let (dw, p, q) = pair(60.0, 50.0, 0, soft);
    let y = (-((p - q) as f64 * DT) / 33.7).exp();
    let expected = -A_MINUS * y * (W0 - 0.0) / 1.0;
    assert!(
        (dw - expected).abs() <= 1e-12 * A_PLUS,
        "{dw} vs {expected}"
    );
}

/// 200 Poisson sources onto 40 LIF neurons, random weights, bounded STDP.
fn plastic_network(threads: usize) -> (Network, ProjId, MonitorId<SpikeRecord>) {
    let mut net = Network::new(DT * ms)
        .unwrap()
        .progress(Progress::Never)
        .seed(11)
        .threads(threads)
        .unwrap();
    let src = net.add_source(PoissonGroup::new(200, 20.0 * Hz, 5).unwrap());
    let lif = Lif::builder(40)
        .v_rest(-60.0 * mV)
        .v_reset(-60.0 * mV)
        .v_th(-50.0 * mV)
        .tau(20.0 * ms)
        .r(100.0 * ohm)
        .v_init(Init::Uniform(-60.0 * mV, -50.0 * mV))
        .build()
        .unwrap();
    let post = net.add("E", lif);
    let rule = Stdp::builder(0.02 * mS, 0.021 * mS)
        .w_min(0.0 * mS)
        .w_max(1.0 * mS)
        .build()
        .unwrap();
    let proj = net
        .connect(
            AlignPostProj::new(src, post)
                .comm(Comm::fixed_prob(
                    200,
                    40,
                    0.3,
                    WeightInit::Uniform(0.0 * mS, 1.0 * mS),
                ))
                .syn(Expon::builder(40).tau(5.0 * ms).build().unwrap())
                .out(Coba::new(0.0 * mV).unwrap())
                .stdp(rule),
        )
        .unwrap();
    let spikes = net.monitor_spikes(post).unwrap();
    (net, proj, spikes)
}

#[test]
fn weights_and_spikes_are_the_same_for_any_thread_count() {
    let mut runs = Vec::new();
    for threads in [1, 2, 3] {
        let (mut net, proj, spikes) = plastic_network(threads);
        net.run(300.0 * ms).unwrap();
        let w = net.projection_values(proj, "w", "mS").unwrap();
        let s = net.record(spikes).unwrap();
        runs.push((w, s.steps.clone(), s.neurons.clone()));
    }
    assert!(!runs[0].1.is_empty(), "the network spikes");
    let w0 = &runs[0].0;
    assert!(w0.iter().all(|w| (0.0..=1.0).contains(w)), "bounded");
    let counts = histogram(w0, 0.0, 1.0, 10).unwrap();
    assert_eq!(counts.iter().sum::<usize>(), w0.len());
    for r in &runs[1..] {
        assert!(
            r.0.iter().zip(w0).all(|(a, b)| a.to_bits() == b.to_bits()),
            "weights differ between thread counts"
        );
        assert_eq!((&r.1, &r.2), (&runs[0].1, &runs[0].2));
    }
}

#[test]
fn checkpoints_carry_the_weights_and_reset_restores_them() {
    let (mut net, proj, _) = plastic_network(1);
    let initial = net.projection_values(proj, "w", "mS").unwrap();
    net.run(100.0 * ms).unwrap();
    let saved = net.checkpoint();
    net.run(100.0 * ms).unwrap();
    let straight = net.projection_values(proj, "w", "mS").unwrap();
    assert_ne!(straight, initial, "the weights learned");
    net.restore(&saved).unwrap();
    net.run(100.0 * ms).unwrap();
    assert_eq!(net.projection_values(proj, "w", "mS").unwrap(), straight);
    net.reset();
    assert_eq!(net.projection_values(proj, "w", "mS").unwrap(), initial);
    let traces = net.projection_values(proj, "post_trace", "1").unwrap();
    assert!(traces.iter().all(|&y| y == 0.0));
}

#[test]
fn weight_monitors_sample_every_k_steps() {
    let (mut net, proj, _) = plastic_network(1);
    let m = net
        .monitor_projection(proj, "w", vec![0, 5, 9], 10)
        .unwrap();
    net.run(50.0 * ms).unwrap();
    let r = net.record(m).unwrap();
    assert_eq!(r.steps.len(), 50);
    assert_eq!(r.unit, "mS");
    let last = net.projection_values(proj, "w", "mS").unwrap();
    // the last row is step 490; the weights may still change in the steps after it
    assert_eq!(r.steps.last(), Some(&490));
    assert!(
        r.trace_in(1, "mS")
            .unwrap()
            .iter()
            .all(|w| (0.0..=1.0).contains(w))
    );
    assert_eq!(last.len(), net.n_synapses());
}

#[test]
fn plastic_projections_refuse_what_they_cannot_learn_with() {
    let make = |comm: Comm<ElectricalConductance>| {
        let mut net = Network::new(DT * ms).unwrap().progress(Progress::Never);
        let pre = net.add_source(PoissonGroup::new(10, 5.0 * Hz, 1).unwrap());
        let post = net.add("post", Lif::builder(10).build().unwrap());
        let rule = Stdp::builder(0.1 * mS, 0.1 * mS)
            .w_max(1.0 * mS)
            .build()
            .unwrap();
        net.connect(
            AlignPostProj::new(pre, post)
                .comm(comm)
                .syn(Expon::builder(10).build().unwrap())
                .out(Cuba::new(1.0 * volt).unwrap())
                .stdp(rule),
        )
        .map(|_| ())
        .unwrap_err()
        .to_string()
    };
    let e = make(Comm::all_to_all(10, 10, 0.5 * mS).dense());
    assert!(e.contains("dense") && e.contains("STDP"), "{e}");
    let e = make(Comm::fixed_prob(10, 10, 0.5, 0.5 * mS).procedural());
    assert!(e.contains("procedural"), "{e}");
    let e = make(Comm::all_to_all(10, 10, 1.5 * mS));
    assert!(e.contains("weights[0]") && e.contains("1.5 mS"), "{e}");
}

#[test]
fn classic_synapses_learn_too() {
    let mut net = Network::new(DT * ms).unwrap().progress(Progress::Never);
    let pre = net.add_source(PoissonGroup::new(20, 50.0 * Hz, 3).unwrap());
    let post = net.add(
        "post",
        LifRef::builder(5)
            .v_rest(-65.0 * mV)
            .v_reset(-65.0 * mV)
            .v_th(-55.0 * mV)
            .r(1.0 * kohm)
            .v_init(Init::Constant(-60.0 * mV))
            .build()
            .unwrap(),
    );
    let rule = Stdp::builder(0.05 * mS, 0.05 * mS)
        .w_min(0.0 * mS)
        .w_max(2.0 * mS)
        .build()
        .unwrap();
    let proj = net
        .connect(
            classic::ampa(pre, post, Connector::all_to_all())
                .g_max(1.0 * mS)
                .stdp(rule),
        )
        .unwrap();
    net.run(300.0 * ms).unwrap();
    let w = net.projection_values(proj, "w", "mS").unwrap();
    assert_eq!(w.len(), 100);
    assert!(w.iter().any(|&x| x != 1.0), "weights changed");
    assert!(w.iter().all(|&x| (0.0..=2.0).contains(&x)));
}
