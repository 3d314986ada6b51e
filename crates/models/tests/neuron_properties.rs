//! Properties every neuron model must have, whatever BrainPy's traces say.

use neurotype_models::prelude::*;
use proptest::prelude::*;

/// Runs `steps` steps with a constant external input and returns the spike count.
fn count_spikes<N: Neuron>(model: &mut N, x: N::Input, steps: u64) -> usize {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut drive = Drive::<N>::new(model.len());
    let mut spikes = 0;
    for i in 0..steps {
        drive.clear();
        drive.set_external(x);
        model.step(&StepCtx::new(i, dt), &drive);
        spikes += model.spikes().iter().filter(|s| **s).count();
    }
    spikes
}

/// Runs and checks that every state variable stays finite.
fn assert_finite<N: Neuron>(mut model: N, x: N::Input, steps: u64) {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut drive = Drive::<N>::new(model.len());
    for i in 0..steps {
        drive.clear();
        drive.set_external(x);
        model.step(&StepCtx::new(i, dt), &drive);
        if i % 1000 == 999 || i + 1 == steps {
            for var in model.state_vars() {
                assert!(
                    var.raw.iter().all(|x| x.is_finite()),
                    "{}: {} became non-finite at step {i}",
                    model.model_name(),
                    var.name
                );
            }
        }
    }
}

/// Steps with a constant input at dt = 0.01 ms and checks that the gates (every
/// dimensionless state variable but V) stay in [0, 1] after every step.
fn assert_gates_bounded<N: Neuron>(
    mut model: N,
    x: N::Input,
    steps: u64,
) -> Result<(), TestCaseError> {
    let dt = TimeStep::new(0.01 * ms).unwrap();
    let mut drive = Drive::<N>::new(model.len());
    for i in 0..steps {
        drive.clear();
        drive.set_external(x);
        model.step(&StepCtx::new(i, dt), &drive);
        for var in model.state_vars().iter().filter(|v| v.name != "V") {
            prop_assert!(
                var.raw.iter().all(|g| (0.0..=1.0).contains(g)),
                "{}: gate {} left [0, 1] at step {i}: {:?}",
                model.model_name(),
                var.name,
                var.raw
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Hodgkin-Huxley, Morris-Lecar and Wang-Buzsaki gates stay in [0, 1] for any
    /// physiological input and initial potential.
    #[test]
    fn conductance_based_gates_stay_in_unit_interval(
        i_ua in -20.0f64..60.0,
        v0 in -90.0f64..40.0,
    ) {
        assert_gates_bounded(
            Hh::builder(4).v_init(v0 * mV).build().unwrap(),
            i_ua * uA,
            3000,
        )?;
        assert_gates_bounded(
            WangBuzsakiHh::builder(4).v_init(v0 * mV).build().unwrap(),
            i_ua * uA,
            3000,
        )?;
        // Morris-Lecar is driven in the tens to hundreds of µA (BrainPy's examples use 100)
        assert_gates_bounded(
            MorrisLecar::builder(4).v_init(v0 * mV).build().unwrap(),
            5.0 * i_ua * uA,
            3000,
        )?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Below threshold a LIF settles at V_rest + R·I (exponential Euler is exact, so after
    /// many time constants the residual is rounding).
    #[test]
    fn lif_converges_to_rest_plus_ri(
        r_mohm in 10.0f64..500.0,
        i_na in -0.2f64..0.09,
        tau_ms in 2.0f64..30.0,
        v_rest_mv in -80.0f64..-55.0,
    ) {
        let (r, i, v_rest) = (r_mohm * Mohm, i_na * nA, v_rest_mv * mV);
        let v_inf = v_rest + r * i;
        // keep the steady state below threshold
        prop_assume!(v_inf < -41.0 * mV);
        let mut lif = Lif::builder(1)
            .r(r)
            .tau(tau_ms * ms)
            .v_rest(v_rest)
            .v_reset(v_rest)
            .v_th(-40.0 * mV)
            .v_init(v_rest)
            .build()
            .unwrap();
        let steps = (40.0 * tau_ms / 0.1) as u64;
        prop_assert_eq!(count_spikes(&mut lif, i, steps), 0);
        let v = lif.potential().get(0);
        prop_assert!(((v - v_inf) / mV).value.abs() < 1e-9, "V = {}, V_inf = {}", v.show(), v_inf.show());
    }

    /// More input never means fewer spikes.
    #[test]
    fn spike_count_is_monotone_in_input(lo in 0.0f64..40.0, extra in 0.0f64..40.0) {
        let (a, b) = (lo * mA, (lo + extra) * mA);
        let spikes = |x: ElectricCurrent| {
            let mut m = Lif::builder(1).tau(10.0 * ms).v_th(10.0 * mV).build().unwrap();
            count_spikes(&mut m, x, 2000)
        };
        prop_assert!(spikes(a) <= spikes(b));
        let spikes = |x: ElectricCurrent| {
            // hard reset: with BrainPy's default soft reset the clipped exponential overshoot
            // (ΔT·e²⁰ per τ) is never removed by subtracting V_th − V_reset
            let mut m = ExpIf::builder(1).spk_reset(SpikeReset::Hard).build().unwrap();
            count_spikes(&mut m, x, 2000)
        };
        prop_assert!(spikes(a) <= spikes(b));
        let spikes = |x: ElectricCurrent| {
            let mut m = AdExIf::builder(1).build().unwrap();
            count_spikes(&mut m, x, 2000)
        };
        prop_assert!(spikes(a) <= spikes(b));
        let spikes = |x: VoltageRate| {
            let mut m = Izhikevich::builder(1).build().unwrap();
            count_spikes(&mut m, x, 2000)
        };
        prop_assert!(spikes(lo * 0.5 * mV_per_ms) <= spikes((lo + extra) * 0.5 * mV_per_ms));
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
