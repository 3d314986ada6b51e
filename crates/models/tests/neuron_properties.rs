//! Properties every neuron model must have, whatever BrainPy's traces say.

use neurotype_models::invariants::{Invariants, convergence_order, spike_count};
use neurotype_models::prelude::*;

/// Runs `steps` steps of 0.1 ms with a constant external input and returns the spike count.
fn count_spikes<N: Neuron>(model: &mut N, x: N::Input, steps: u64) -> usize {
    spike_count(model, x, TimeStep::new(0.1 * ms).unwrap(), steps)
}

/// Runs `steps` steps of 0.1 ms and checks that every state variable stays finite.
fn assert_finite<N: Neuron>(mut model: N, x: N::Input, steps: u64) {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    if let Err(broken) = Invariants::new().run(&mut model, x, dt, steps) {
        panic!("{broken}");
    }
}

/// Properties over parameter sets and inputs drawn by the public strategies (feature
/// `proptest`), checked by the public invariant checks.
#[cfg(feature = "proptest")]
mod drawn {
    use super::count_spikes;
    use neurotype_models::invariants::{Invariants, Violation, monotone_rate};
    use neurotype_models::neurons::*;
    use neurotype_models::prelude::*;
    use neurotype_models::strategy::{
        current, exp_euler_resolves_threshold, log_uniform, time, voltage,
    };
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn fail(v: Violation) -> TestCaseError {
        TestCaseError::fail(v.to_string())
    }

    /// An exponential integrate-and-fire set whose dynamics below threshold exponential Euler
    /// resolves at the tests' dt = 0.1 ms (see [`exp_euler_resolves_threshold`]).
    fn within_reach(
        v_th: ElectricPotential,
        v_t: ElectricPotential,
        delta_t: ElectricPotential,
        tau: Time,
    ) -> bool {
        exp_euler_resolves_threshold(v_th, v_t, delta_t, tau, 0.1 * ms)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Hodgkin-Huxley, Morris-Lecar and Wang-Buzsaki gates stay in [0, 1] for any
        /// parameter set their builders accept, any physiological input and initial potential.
        #[test]
        fn conductance_based_gates_stay_in_unit_interval(
            hh in HhParams::strategy(),
            wb in WangBuzsakiHhParams::strategy(),
            ml in MorrisLecarParams::strategy(),
            i in current(-20.0 * uA..60.0 * uA),
            v0 in voltage(-90.0 * mV..40.0 * mV),
        ) {
            let dt = TimeStep::new(0.01 * ms).unwrap();
            let mut model = Hh::builder(4).params(hh).v_init(v0).build().unwrap();
            Invariants::new().gates(["m", "h", "n"]).run(&mut model, i, dt, 3000).map_err(fail)?;
            let mut model = WangBuzsakiHh::builder(4).params(wb).v_init(v0).build().unwrap();
            Invariants::new().gates(["h", "n"]).run(&mut model, i, dt, 3000).map_err(fail)?;
            // Morris-Lecar is driven in the tens to hundreds of µA (BrainPy's examples use 100)
            let mut model = MorrisLecar::builder(4).params(ml).v_init(v0).build().unwrap();
            Invariants::new().gates(["W"]).run(&mut model, 5.0 * i, dt, 3000).map_err(fail)?;
        }
    }

    /// Draws 16 (parameter set, input) pairs; each model built from them stays finite for
    /// 200 ms (and, with `refractory`, keeps its refractory period).
    fn stays_finite<P, N>(
        params: impl Strategy<Value = P>,
        input: impl Strategy<Value = N::Input>,
        build: impl Fn(P) -> N,
        refractory: Option<Time>,
    ) where
        P: core::fmt::Debug,
        N: Neuron,
        N::Input: core::fmt::Debug,
    {
        let dt = TimeStep::new(0.1 * ms).unwrap();
        let mut check = Invariants::new();
        if let Some(t) = refractory {
            check = check.refractory(t);
        }
        let mut runner = TestRunner::new(Config::with_cases(16));
        runner
            .run(&(params, input), |(p, i)| {
                check.run(&mut build(p), i, dt, 2000).map_err(fail)
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn drive() -> impl Strategy<Value = ElectricCurrent> {
        current(0.0 * mA..40.0 * mA)
    }

    // Hard resets where the overshoot matters: with BrainPy's default soft reset the overshoot
    // of a spike is kept (V <- V - (V_th - V_reset)), so LIFRef can spike again while
    // refractory, and an exponential or quadratic model that overshoots by volts in one step
    // starts the next step so far up that exponential Euler's propagator overflows (V = inf,
    // as in BrainPy).

    #[test]
    fn lif_ref_stays_finite_and_refractory() {
        let tau_ref = 2.0 * ms;
        let build = |p| {
            LifRef::builder(4)
                .params(p)
                .tau_ref(tau_ref)
                .spk_reset(SpikeReset::Hard)
                .build()
                .unwrap()
        };
        stays_finite(LifParams::strategy(), drive(), build, Some(tau_ref));
    }

    #[test]
    fn alif_stays_finite() {
        stays_finite(
            AlifParams::strategy(),
            drive(),
            |p| Alif::builder(4).params(p).build().unwrap(),
            None,
        );
    }

    #[test]
    fn gif_stays_finite() {
        // with R1 or R2 above 1 the spike-triggered currents grow at every spike and V runs
        // away: the model's own behaviour, not the integrator's
        let params = GifParams::strategy().prop_filter("R1, R2 <= 1", |p| {
            p.r1.at(0) <= ratio(1.0) && p.r2.at(0) <= ratio(1.0)
        });
        stays_finite(
            params,
            drive(),
            |p| Gif::builder(4).params(p).build().unwrap(),
            None,
        );
    }

    #[test]
    fn exponential_models_within_reach_stay_finite() {
        let params = ExpIfParams::strategy().prop_filter("in reach", |p| {
            within_reach(p.v_th.at(0), p.v_t.at(0), p.delta_t.at(0), p.tau.at(0))
        });
        let build = |p| {
            ExpIf::builder(4)
                .params(p)
                .spk_reset(SpikeReset::Hard)
                .build()
                .unwrap()
        };
        stays_finite(params, drive(), build, None);
        let params = AdExIfParams::strategy().prop_filter("in reach", |p| {
            within_reach(p.v_th.at(0), p.v_t.at(0), p.delta_t.at(0), p.tau.at(0))
        });
        let build = |p| {
            AdExIf::builder(4)
                .params(p)
                .spk_reset(SpikeReset::Hard)
                .build()
                .unwrap()
        };
        stays_finite(params, drive(), build, None);
    }

    #[test]
    fn quadratic_models_stay_finite() {
        let build = |p| {
            QuaIf::builder(4)
                .params(p)
                .spk_reset(SpikeReset::Hard)
                .build()
                .unwrap()
        };
        stays_finite(QuaIfParams::strategy(), drive(), build, None);
        let drive = current(0.0 * mA..40.0 * mA).prop_map(|i| i / mA * 0.5 * mV_per_ms);
        let build = |p| Izhikevich::builder(4).params(p).build().unwrap();
        stays_finite(IzhikevichParams::strategy(), drive, build, None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Below threshold a LIF settles at V_rest + R·I (exponential Euler is exact, so after
        /// many time constants the residual is rounding).
        #[test]
        fn lif_converges_to_rest_plus_ri(
            r in log_uniform(10.0 * Mohm, 500.0 * Mohm),
            i in current(-0.2 * nA..0.09 * nA),
            tau in time(2.0 * ms..30.0 * ms),
            v_rest in voltage(-80.0 * mV..-55.0 * mV),
        ) {
            let v_inf = v_rest + r * i;
            // keep the steady state below threshold
            prop_assume!(v_inf < -41.0 * mV);
            let mut lif = Lif::builder(1)
                .r(r)
                .tau(tau)
                .v_rest(v_rest)
                .v_reset(v_rest)
                .v_th(-40.0 * mV)
                .v_init(v_rest)
                .build()
                .unwrap();
            let steps = (40.0 * (tau / ms).value / 0.1) as u64;
            prop_assert_eq!(count_spikes(&mut lif, i, steps), 0);
            let v = lif.potential().get(0);
            prop_assert!(((v - v_inf) / mV).value.abs() < 1e-9, "V = {}, V_inf = {}", v.show(), v_inf.show());
        }

        /// More input never means fewer spikes.
        #[test]
        fn spike_count_is_monotone_in_input(lo in current(0.0 * mA..40.0 * mA), extra in current(0.0 * mA..40.0 * mA)) {
            let dt = TimeStep::new(0.1 * ms).unwrap();
            let inputs = [lo, lo + extra];
            let show = |x: ElectricCurrent| x.show().to_string();
            let lif = || Lif::builder(1).tau(10.0 * ms).v_th(10.0 * mV).build().unwrap();
            monotone_rate(lif, &inputs, show, dt, 2000).map_err(fail)?;
            // hard reset: with BrainPy's default soft reset the clipped exponential overshoot
            // (ΔT·e²⁰ per τ) is never removed by subtracting V_th − V_reset
            let exp_if = || ExpIf::builder(1).spk_reset(SpikeReset::Hard).build().unwrap();
            monotone_rate(exp_if, &inputs, show, dt, 2000).map_err(fail)?;
            let adex = || AdExIf::builder(1).build().unwrap();
            monotone_rate(adex, &inputs, show, dt, 2000).map_err(fail)?;
            let drive = [lo / mA * 0.5 * mV_per_ms, (lo + extra) / mA * 0.5 * mV_per_ms];
            let izh = || Izhikevich::builder(1).build().unwrap();
            monotone_rate(izh, &drive, |x| x.show().to_string(), dt, 2000).map_err(fail)?;
        }
    }
}

#[test]
fn no_nan_over_a_hundred_thousand_steps() {
    let steps = 100_000;
    assert_finite(Lif::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(LifRef::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(If::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(Alif::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(ExpIf::builder(4).build().unwrap(), 20.0 * mA, steps);
    assert_finite(ExpIfRef::builder(4).build().unwrap(), 20.0 * mA, steps);
    assert_finite(AdExIf::builder(4).build().unwrap(), 20.0 * mA, steps);
    assert_finite(AdExIfRef::builder(4).build().unwrap(), 20.0 * mA, steps);
    assert_finite(QuaIf::builder(4).build().unwrap(), 5.0 * mA, steps);
    assert_finite(AdQuaIf::builder(4).build().unwrap(), 5.0 * mA, steps);
    assert_finite(AdQuaIfRef::builder(4).build().unwrap(), 5.0 * mA, steps);
    assert_finite(Gif::builder(4).build().unwrap(), 1.5 * mA, steps);
    assert_finite(GifRef::builder(4).build().unwrap(), 1.5 * mA, steps);
    assert_finite(CubaLif::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(CobaLif::builder(4).build().unwrap(), 2.0 * mA, steps);
    assert_finite(
        Izhikevich::builder(4).build().unwrap(),
        10.0 * mV_per_ms,
        steps,
    );
    assert_finite(
        IzhikevichRef::builder(4).tau_ref(2.0 * ms).build().unwrap(),
        10.0 * mV_per_ms,
        steps,
    );
}

#[test]
fn every_integrator_runs_every_model() {
    for method in Method::ALL {
        let mut lif = Lif::builder(1).method(method).build().unwrap();
        assert!(
            count_spikes(&mut lif, 2.0 * mA, 2000) > 0,
            "{}",
            method.name()
        );
        let mut adex = AdExIf::builder(1).method(method).build().unwrap();
        assert!(
            count_spikes(&mut adex, 20.0 * mA, 2000) > 0,
            "{}",
            method.name()
        );
        let mut izh = Izhikevich::builder(1).method(method).build().unwrap();
        assert!(
            count_spikes(&mut izh, 10.0 * mV_per_ms, 2000) > 0,
            "{}",
            method.name()
        );
        let mut gif = Gif::builder(1).method(method).build().unwrap();
        assert!(
            count_spikes(&mut gif, 1.5 * mA, 5000) > 0,
            "{}",
            method.name()
        );
    }
}

#[test]
fn fixed_step_methods_agree_on_the_lif_trajectory() {
    // Subthreshold LIF under constant input: all methods approach the same solution and
    // higher orders are closer to the exact one (which exponential Euler gives).
    let run = |method| {
        let mut lif = Lif::builder(1)
            .tau(10.0 * ms)
            .v_th(100.0 * mV)
            .method(method)
            .build()
            .unwrap();
        count_spikes(&mut lif, 5.0 * mA, 50);
        lif.potential().get(0)
    };
    let exact = run(Method::ExponentialEuler);
    let expected = 5.0 * mV * (1.0 - (-0.5f64).exp());
    assert!(((exact - expected) / mV).value.abs() < 1e-12);
    let err = |m| ((run(m) - exact) / mV).value.abs();
    assert!(err(Method::Euler) > err(Method::Rk2));
    assert!(err(Method::Rk2) > err(Method::Rk4));
    assert!(err(Method::Rk4) < 1e-8);
}

#[test]
fn per_neuron_parameters_match_shared_ones() {
    let shared = |n| {
        Lif::builder(n)
            .tau(8.0 * ms)
            .v_th(0.8 * mV)
            .build()
            .unwrap()
    };
    let mut a = shared(3);
    let mut b = Lif::builder(3)
        .tau(vec![8.0 * ms; 3])
        .v_th(vec![0.8 * mV; 3])
        .build()
        .unwrap();
    assert_eq!(
        count_spikes(&mut a, 2.0 * mA, 500),
        count_spikes(&mut b, 2.0 * mA, 500)
    );
    assert_eq!(a.potential(), b.potential());
    // and a genuinely heterogeneous population fires at different rates
    let mut c = Lif::builder(3)
        .tau(vec![4.0 * ms, 8.0 * ms, 16.0 * ms])
        .build()
        .unwrap();
    count_spikes(&mut c, 2.0 * mA, 10);
    let v = c.potential().to_vec();
    assert!(v[0] > v[1] && v[1] > v[2]);
}

#[test]
fn impossible_parameters_are_typed_errors() {
    let e = Lif::builder(10)
        .v_rest(-65.0 * mV)
        .v_th(-50.0 * mV)
        .v_reset(0.0 * mV)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "LIF: `V_reset` = 0 mV is not allowed: must be below `V_th` = -50 mV"
    );
    let e = Lif::builder(10).tau(0.0 * ms).build().unwrap_err();
    assert_eq!(
        e.to_string(),
        "LIF: `tau` = 0 ms is not allowed: must be finite and > 0 ms"
    );
    let e = LifRef::builder(3).tau_ref(-1.0 * ms).build().unwrap_err();
    assert_eq!(e.owner, "LIFRef");
    assert_eq!(e.name, "tau_ref");
    let e = Lif::builder(3).tau(vec![5.0 * ms; 2]).build().unwrap_err();
    assert_eq!(
        e.to_string(),
        "LIF: `tau` = a vector of 2 values is not allowed: must hold 1 value (shared) or 3 (one per element)"
    );
    let e = Lif::builder(3)
        .tau(vec![5.0 * ms, -1.0 * ms, 5.0 * ms])
        .build()
        .unwrap_err();
    assert_eq!(e.name, "tau[1]");
    let e = Lif::builder(1).v_rest(f64::NAN * mV).build().unwrap_err();
    assert_eq!(e.value, "NaN mV");
    let e = AdExIf::builder(1).tau_w(-30.0 * ms).build().unwrap_err();
    assert_eq!(e.name, "tau_w");
    let e = ExpIf::builder(1).delta_t(0.0 * mV).build().unwrap_err();
    assert_eq!(e.name, "delta_T");
    let e = Gif::builder(1).v_th_inf(-80.0 * mV).build().unwrap_err();
    assert!(
        e.to_string().contains("must be below `V_th_inf` = -80 mV"),
        "{e}"
    );
    let e = Lif::builder(2)
        .v_init(Init::values(vec![0.0 * mV; 3]))
        .build()
        .unwrap_err();
    assert_eq!(e.name, "V_initializer");
}

#[test]
fn keyword_configuration_uses_brainpy_names() {
    let lif = Lif::builder(1)
        .set("V_th", "-50 mV")
        .and_then(|b| b.set("V_reset", "-65 mV"))
        .and_then(|b| b.set("spk_reset", "hard"))
        .and_then(|b| b.build())
        .unwrap();
    assert_eq!(lif.params().v_th, Param::Scalar(-50.0 * mV));
    let e = Lif::builder(1).set("tau_w", "5 ms").unwrap_err();
    assert!(
        e.to_string()
            .contains("known: R, tau, V_th, V_reset, V_rest"),
        "{e}"
    );
    let e = Lif::builder(1).set("tau", "5 mV").unwrap_err();
    assert!(e.to_string().contains("is not a unit of time"), "{e}");
    let e = Lif::builder(1).set("spk_reset", "medium").unwrap_err();
    assert_eq!(e.owner, "LIF");
}

#[test]
fn initialisers_are_seeded_and_reproducible() {
    let build = |seed| {
        Lif::builder(100)
            .v_init(Init::normal(-55.0 * mV, 2.0 * mV))
            .seed(seed)
            .build()
            .unwrap()
    };
    assert_eq!(build(7).potential(), build(7).potential());
    assert_ne!(build(7).potential(), build(8).potential());
    let v = build(7).potential().to_vec();
    let mean = v.iter().map(|x| (*x / mV).value).sum::<f64>() / 100.0;
    assert!((mean + 55.0).abs() < 1.0, "mean {mean}");
    let mut m = build(7);
    let before = m.potential().clone();
    count_spikes(&mut m, 2.0 * mA, 10);
    m.reset_state();
    assert_eq!(m.potential(), &before);
}

#[test]
fn refractory_neurons_hold_their_reset_potential() {
    let mut m = LifRef::builder(1).tau_ref(2.0 * ms).build().unwrap();
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut drive = Drive::<Lif>::new(1);
    let mut spike_at = None;
    let mut held = 0;
    for i in 0..400u64 {
        drive.clear();
        drive.set_external(2.0 * mA);
        let before = m.potential().get(0);
        m.step(&StepCtx::new(i, dt), &drive);
        if spike_at.is_some() && m.potential().get(0) == before {
            held += 1;
        }
        if m.spikes()[0] && spike_at.is_none() {
            spike_at = Some(i);
        }
    }
    assert!(spike_at.is_some());
    // 2 ms at 0.1 ms: the reset step plus the following held steps (t − t_spike < τ_ref)
    assert!(held >= 19, "held {held} steps");
}

#[test]
fn each_integrator_converges_at_its_order_on_hodgkin_huxley() {
    // a transient from V = -60 mV with the gates at rest: smooth, no spike in 2 ms
    for method in [Method::Euler, Method::Rk2, Method::Midpoint, Method::Rk4] {
        let build = || {
            Hh::builder(1)
                .v_init(-60.0 * mV)
                .method(method)
                .build()
                .unwrap()
        };
        let order = convergence_order(build, 0.0 * uA, "V", 0.02 * ms, 2.0 * ms).unwrap();
        let expected = method.order() as f64;
        assert!(
            (order - expected).abs() < 0.3,
            "{method:?}: observed order {order:.2}, expected {expected}"
        );
    }
}
