//! Invariants of synapses and short-term plasticity.

use neurotype_models::prelude::*;

fn dt() -> TimeStep {
    TimeStep::new(0.1 * ms).unwrap()
}

/// A spike train from a bit pattern: step k spikes when bit (k mod 64) of `bits` is set and
/// k < `active`.
#[cfg(feature = "proptest")]
fn train(bits: u64, active: usize, steps: usize) -> Vec<bool> {
    (0..steps)
        .map(|k| k < active && (bits >> (k % 64)) & 1 == 1)
        .collect()
}

#[test]
fn expon_impulse_response_is_exponential() {
    for tau_ms in [0.5, 2.0, 5.0, 8.0, 50.0] {
        let tau = tau_ms * ms;
        let mut syn = Expon::builder(1).tau(tau).build().unwrap();
        let g0 = 0.6 * mS;
        for i in 0..2000u64 {
            let x = if i == 0 { g0 } else { 0.0 * mS };
            syn.update(&StepCtx::new(i, dt()), &[x]);
            let exact = g0 * exp(-dt().time_of(i) / tau);
            let err = ((syn.g().get(0) - exact) / mS).value.abs();
            assert!(err <= 1e-12, "tau {tau_ms} ms, step {i}: error {err:e}");
        }
    }
}

#[test]
fn normalised_dual_exponential_peaks_at_one() {
    for (tau_d, tau_r) in [(10.0, 1.0), (5.0, 2.0), (100.0, 2.0), (3.0, 0.5)] {
        let (d, r) = (tau_d * ms, tau_r * ms);
        // sample exactly at the analytic peak time t* = τd·τr·ln(τd/τr)/(τd − τr)
        let t_peak = d * r * ln(d / r) / (d - r);
        let steps = 1000u64;
        let step = TimeStep::new(t_peak / steps as f64).unwrap();
        let mut syn = DualExpon::builder(1)
            .tau_decay(d)
            .tau_rise(r)
            .build()
            .unwrap();
        let mut peak = f64::MIN;
        for i in 0..=steps + 500 {
            let x = if i == 0 { 1.0 * mS } else { 0.0 * mS };
            syn.update(&StepCtx::new(i, step), &[x]);
            let g = in_units(syn.g().get(0), mS);
            if i == steps {
                assert!(
                    (g - 1.0).abs() < 1e-12,
                    "τd {tau_d}, τr {tau_r}: g(t*) = {g}"
                );
            }
            peak = peak.max(g);
        }
        assert!(peak <= 1.0 + 1e-12, "peak {peak} above 1");
    }
}

/// Properties over parameter sets drawn by the public strategies (feature `proptest`).
#[cfg(feature = "proptest")]
mod drawn {
    use super::{dt, train};
    use neurotype_models::prelude::*;
    use neurotype_models::strategy::{conductance, log_uniform};
    use neurotype_models::synapses::legacy::{Nmda, NmdaParams};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Conductances stay ≥ 0 for any spike train, any non-negative weights and any time
        /// constants the builders accept.
        #[test]
        fn conductances_are_never_negative(
            bits in any::<u64>(),
            weights in prop::collection::vec(conductance(1e-3 * nS, 5.0 * nS), 64),
            expon in ExponParams::strategy(),
            // the amplitude scales the kernel: a negative one (a choice the builder leaves to
            // the user, as BrainPy does) makes a negative conductance
            dual in DualExponParams::strategy().prop_filter("A >= 0", |p| p.amplitude.at(0) >= ratio(0.0)),
            alpha in AlphaParams::strategy(),
        ) {
            let mut expon = Expon::builder(1).params(expon).build().unwrap();
            let mut dual = DualExpon::builder(1).params(dual).build().unwrap();
            let mut alpha = Alpha::builder(1).params(alpha).build().unwrap();
            let spikes = train(bits, 600, 1500);
            for (i, &s) in spikes.iter().enumerate() {
                let x = if s { weights[i % 64] } else { 0.0 * nS };
                let ctx = StepCtx::new(i as u64, dt());
                expon.update(&ctx, &[x]);
                dual.update(&ctx, &[x]);
                alpha.update(&ctx, &[x]);
                prop_assert!(expon.g().get(0).value >= 0.0);
                prop_assert!(dual.g().get(0).value >= 0.0);
                prop_assert!(alpha.g().get(0).value >= 0.0);
            }
        }

        /// Open fractions of the kinetic receptors stay in [0, 1] for any parameter set the
        /// builders accept.
        #[test]
        fn open_fractions_stay_in_unit_interval(
            bits in any::<u64>(),
            ampa in AmpaParams::strategy(),
            gaba in AmpaParams::strategy(),
            bionmda in BioNmdaParams::strategy(),
            nmda in NmdaParams::strategy(),
        ) {
            let mut ampa = Ampa::builder(1).params(ampa).build().unwrap();
            let mut gaba = Gabaa::builder(1).params(gaba).build().unwrap();
            let mut bionmda = BioNmda::builder(1).params(bionmda).build().unwrap();
            let mut nmda = Nmda::builder(1).params(nmda).build().unwrap();
            let spikes = train(bits, 1000, 3000);
            for (i, &s) in spikes.iter().enumerate() {
                let ctx = StepCtx::new(i as u64, dt());
                ampa.update(&ctx, &[s]);
                gaba.update(&ctx, &[s]);
                bionmda.update(&ctx, &[s]);
                nmda.update(&ctx, &[s]);
                for g in [ampa.g().get(0), gaba.g().get(0), bionmda.g().get(0), bionmda.x().get(0), nmda.g().get(0)] {
                    prop_assert!((0.0..=1.0).contains(&g.value), "fraction {} at step {i}", g.value);
                }
            }
        }

        /// Short-term plasticity's u, x and released fraction stay in [0, 1].
        #[test]
        fn plasticity_stays_in_unit_interval(
            bits in any::<u64>(),
            stp in StpParams::strategy(),
            std in StdParams::strategy(),
            tau in log_uniform(1.0 * ms, 2000.0 * ms),
        ) {
            let mut stp = Stp::builder(1).params(stp).build().unwrap();
            let mut std = Std::builder(1).params(std).tau(tau).build().unwrap();
            let spikes = train(bits, 2000, 2500);
            for (i, &s) in spikes.iter().enumerate() {
                let ctx = StepCtx::new(i as u64, dt());
                let released = stp.update(&ctx, &[s]).get(0).value;
                prop_assert!((0.0..=1.0).contains(&released));
                prop_assert!((0.0..=1.0).contains(&stp.u().get(0).value));
                prop_assert!((0.0..=1.0).contains(&stp.x().get(0).value));
                std.update(&ctx, &[s]);
                prop_assert!((0.0..=1.0).contains(&std.x().get(0).value));
            }
        }
    }
}

#[test]
fn bad_synapse_parameters_are_typed_errors() {
    let e = Expon::<ElectricalConductance>::builder(1)
        .tau(0.0 * ms)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Expon: `tau` = 0 ms is not allowed: must be finite and > 0 ms"
    );
    let e = DualExpon::<ElectricalConductance>::builder(1)
        .tau_decay(2.0 * ms)
        .tau_rise(2.0 * ms)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("use Alpha"), "{e}");
    let e = Stp::builder(1).u(ratio(1.5)).build().unwrap_err();
    assert_eq!(
        e.to_string(),
        "STP: `U` = 1.5 is not allowed: must be a probability in [0, 1]"
    );
    let e = Ampa::builder(1).beta(-0.1 * per_ms).build().unwrap_err();
    assert_eq!(e.name, "beta");
    let e = MgBlock::new(0.0 * mV, 1.2 * mM, 0.062 * per_mV, 0.0 * mM, 0.0 * mV).unwrap_err();
    assert_eq!(e.name, "beta");
}

#[test]
fn mg_block_with_defaults_works_in_millivolts() {
    let mg = MgBlock::default();
    // at −60 mV: 1/(1 + 1.2/3.57·e^{0.062·60})
    let expected = 1.0 / (1.0 + 1.2 / 3.57 * (0.062f64 * 60.0).exp());
    assert!((mg.unblocked(-60.0 * mV).value - expected).abs() < 1e-15);
    // BrainPy's worked example: g = 1 mS at −60 mV gives 4.03 µA
    let current = 1.0 * mS * (mg.e - (-60.0) * mV) * mg.unblocked(-60.0 * mV);
    assert!(
        (in_units(current, uA) - 4.03).abs() < 0.01,
        "{}",
        current.show()
    );
}
