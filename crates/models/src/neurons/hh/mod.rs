//! Conductance-based neurons of the Hodgkin-Huxley family: HH, MorrisLecar, WangBuzsakiHH.
//!
//! All three follow BrainPy 2.9.0's step, in which every variable is advanced from the values
//! at the start of the step (a Jacobi sweep):
//!
//! 1. the ionic conductances come from the old gates, the rate functions from the old `V`;
//! 2. the input `I = x + Σ synaptic currents` is evaluated **once**, at the old `V` (so a
//!    conductance-based synapse is explicit here, unlike the LIF family: it is not in the
//!    exponential-Euler Jacobian);
//! 3. `V` is advanced by its membrane equation, which is linear in `V` once the conductances
//!    are frozen, so exponential Euler is the exact relaxation with rate `Σg/C`;
//! 4. every gate relaxes towards its steady state with the rates at the old `V`, exactly;
//! 5. δ-inputs are added to `V`;
//! 6. the neuron spikes when `V` crosses `V_th` upwards in this step (`V_new ≥ V_th` and
//!    `V_old < V_th`). There is no reset; `spk_reset` is accepted and ignored, as in BrainPy.
//!
//! Each model states its equations once ([`Dynamics`](crate::stepper::Dynamics)): one joint right-hand side over
//! `(V, gates…)` with the input frozen at its start-of-step value ([`Dynamics::FROZEN_INPUT`](crate::stepper::Dynamics::FROZEN_INPUT)),
//! and the spike as a rising crossing ([`Dynamics::RISING`](crate::stepper::Dynamics::RISING)). Exponential Euler evaluates it
//! (and its Jacobian diagonal) at the start of the step, which is exactly the sweep above; the
//! other integrators (Euler, RK2, midpoint, RK4) integrate the coupled system, re-evaluating
//! conductances and rates at each stage.
//!
//! BrainPy tests a spike as `H((V − V_th)/V_th)`, which means `V ≥ V_th` only when `V_th > 0`
//! (every default is); neurotype tests `V ≥ V_th` directly, whatever the sign of `V_th`.

mod hodgkin_huxley;
mod morris_lecar;
mod wang_buzsaki;

pub use hodgkin_huxley::{Hh, HhBuilder, HhColumns, HhParams, HhRates, HhScalar, HhState};
pub use morris_lecar::{
    MorrisLecar, MorrisLecarBuilder, MorrisLecarColumns, MorrisLecarParams, MorrisLecarScalar,
    MorrisLecarState,
};
pub use wang_buzsaki::{
    WangBuzsakiHh, WangBuzsakiHhBuilder, WangBuzsakiHhColumns, WangBuzsakiHhParams,
    WangBuzsakiHhScalar, WangBuzsakiHhState, WangBuzsakiRates,
};

use crate::column::Column;
use crate::param::Init;
use crate::rng;
use neurotype_units::prelude::*;

/// Draws a gate: from its initialiser if there is one, else the steady state at each `V`.
pub(super) fn draw_gate(
    init: &Option<Init<Ratio>>,
    v: &Column<ElectricPotential>,
    seed: u64,
    stream: u64,
    steady: impl Fn(ElectricPotential) -> Ratio,
) -> Column<Ratio> {
    match init {
        Some(init) => Column::from_raw(init.sample(v.len(), &mut rng::stream(seed, stream))),
        None => Column::from_values(v.iter().map(steady)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;
    use crate::neuron::{ModelBuilder, Neuron, StepCtx};
    use crate::param::Param;
    use neurotype_solvers::{Method, TimeStep};
    use neurotype_units::Real;

    fn step_of(dt_ms: Real) -> TimeStep {
        TimeStep::new(dt_ms * ms).unwrap()
    }

    /// Runs `steps` steps under a constant external input, calling `each` after every step;
    /// returns the spike count of each neuron.
    fn simulate<N: Neuron>(
        model: &mut N,
        x: N::Input,
        dt: TimeStep,
        steps: u64,
        mut each: impl FnMut(&N),
    ) -> Vec<usize> {
        let mut drive = Drive::<N>::new(model.len());
        let mut counts = vec![0; model.len()];
        for k in 0..steps {
            drive.clear();
            drive.set_external(x);
            model.step(&StepCtx::new(k, dt), &drive);
            for (c, &s) in counts.iter_mut().zip(model.spikes()) {
                *c += usize::from(s);
            }
            each(model);
        }
        counts
    }

    fn close(a: Real, b: Real, rtol: Real) -> bool {
        (a - b).abs() <= rtol * b.abs().max(1e-300)
    }

    #[test]
    fn rates_match_the_textbook_forms_and_fill_the_singularities() {
        for k in 0..=200 {
            let u = -100.0 + 0.7 * k as Real + 0.013; // avoids −40 and −55 exactly
            let r = HhRates::at(u * mV);
            let am = 0.1 * (u + 40.0) / (1.0 - (-(u + 40.0) / 10.0).exp());
            let an = 0.01 * (u + 55.0) / (1.0 - (-(u + 55.0) / 10.0).exp());
            let bh = 1.0 / (1.0 + (-(u + 35.0) / 10.0).exp());
            assert!(close(r.alpha_m.raw(), am, 1e-9), "alpha_m at {u}");
            assert!(close(r.alpha_n.raw(), an, 1e-9), "alpha_n at {u}");
            assert!(close(r.beta_h.raw(), bh, 1e-14), "beta_h at {u}");
        }
        // the removable singularities: x/(1 − e^{−x}) → 1
        assert_eq!(HhRates::at(-40.0 * mV).alpha_m, 1.0 * per_ms);
        assert_eq!(HhRates::at(-55.0 * mV).alpha_n, 0.1 * per_ms);
        assert_eq!(WangBuzsakiRates::at(-34.0 * mV).alpha_n, 0.1 * per_ms);
    }

    #[test]
    fn default_state_is_random_potential_with_gates_at_steady_state() {
        let hh = Hh::builder(50).seed(7).build().unwrap();
        let mut distinct = hh.potential().raw().to_vec();
        distinct.dedup();
        assert!(distinct.len() > 1, "V₀ is drawn per neuron");
        for i in 0..hh.len() {
            let v = hh.potential().get(i);
            assert!(v >= -70.0 * mV && v < -60.0 * mV);
            let (m, h, n) = HhRates::at(v).steady_state();
            assert_eq!((hh.m().get(i), hh.h().get(i), hh.n().get(i)), (m, h, n));
        }
        // BrainPy's steady state at −65 mV (the reference trace's initial gates)
        let (m, h, n) = HhRates::at(-65.0 * mV).steady_state();
        assert!(close(m.value, 0.052932485257249584, 1e-14));
        assert!(close(h.value, 0.5961207535084603, 1e-14));
        assert!(close(n.value, 0.31767691406069737, 1e-14));
        // same seed, same draw; an initialiser replaces the steady state
        let again = Hh::builder(50).seed(7).build().unwrap();
        assert_eq!(hh.potential(), again.potential());
        let other = Hh::builder(50).seed(8).build().unwrap();
        assert_ne!(hh.potential(), other.potential());
        let given = Hh::builder(3).m_init(ratio(0.25)).build().unwrap();
        assert_eq!(given.m().to_vec(), vec![ratio(0.25); 3]);
        assert_ne!(given.h().get(0), ratio(0.25));
    }

    #[test]
    fn first_steps_match_the_brainpy_trace() {
        // neuron_HH_supra_I10uA: rows 0 and 1 (dt = 0.1 ms, x = 10 uA)
        let mut hh = Hh::builder(1)
            .v_init(-65.0 * mV)
            .m_init(ratio(0.052932485257249584))
            .h_init(ratio(0.5961207535084603))
            .n_init(ratio(0.31767691406069737))
            .build()
            .unwrap();
        let expected = [
            [
                -64.30046962542477,
                0.052932485257249584,
                0.5961207535084603,
                0.31767691406069737,
            ],
            [
                -63.628855571119715,
                0.05445124799960104,
                0.5958308307828886,
                0.3178738560944214,
            ],
        ];
        let mut rows = Vec::new();
        simulate(&mut hh, 10.0 * uA, step_of(0.1), 2, |m| {
            rows.push([
                m.potential().raw()[0],
                m.m().raw()[0],
                m.h().raw()[0],
                m.n().raw()[0],
            ])
        });
        for (row, want) in rows.iter().zip(&expected) {
            for (a, b) in row.iter().zip(want) {
                assert!(close(*a, *b, 1e-12), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn exponential_euler_step_is_the_exact_relaxation_with_frozen_rates() {
        let (v0, m0, h0, n0, input, dt) = (-60.0, 0.3, 0.4, 0.5, 5.0, 0.1);
        let mut hh = Hh::builder(1)
            .v_init(v0 * mV)
            .m_init(ratio(m0))
            .h_init(ratio(h0))
            .n_init(ratio(n0))
            .build()
            .unwrap();
        simulate(&mut hh, input * uA, step_of(dt), 1, |_| {});
        let r = HhRates::at(v0 * mV);
        let relax = |x0: Real, a: Frequency, b: Frequency| {
            let (a, b) = (a.raw(), b.raw());
            let inf = a / (a + b);
            inf + (x0 - inf) * (-(a + b) * dt).exp()
        };
        assert!(close(
            hh.m().raw()[0],
            relax(m0, r.alpha_m, r.beta_m),
            1e-13
        ));
        assert!(close(
            hh.h().raw()[0],
            relax(h0, r.alpha_h, r.beta_h),
            1e-13
        ));
        assert!(close(
            hh.n().raw()[0],
            relax(n0, r.alpha_n, r.beta_n),
            1e-13
        ));
        // V: linear relaxation towards the conductance-weighted reversal potential
        let (g_na, g_k, g_l) = (120.0 * m0.powi(3) * h0, 36.0 * n0.powi(4), 0.03);
        let g = g_na + g_k + g_l;
        let v_inf = (g_na * 50.0 + g_k * -77.0 + g_l * -54.387 + input) / g;
        let v1 = v_inf + (v0 - v_inf) * (-g * dt / 1.0).exp();
        assert!(close(hh.potential().raw()[0], v1, 1e-13));
    }

    #[test]
    fn gates_stay_in_unit_interval_and_firing_needs_input() {
        let dt = step_of(0.01);
        let mut hh = Hh::builder(8).seed(3).build().unwrap();
        let mut v_max = Real::NEG_INFINITY;
        let counts = simulate(&mut hh, 10.0 * uA, dt, 10_000, |m| {
            for g in [m.m(), m.h(), m.n()] {
                assert!(g.raw().iter().all(|&x| (0.0..=1.0).contains(&x)));
            }
            v_max = v_max.max(
                m.potential()
                    .raw()
                    .iter()
                    .copied()
                    .fold(Real::MIN, Real::max),
            );
        });
        // ~70 Hz at 10 uA: 6 or 7 spikes in 100 ms, for every initial potential
        assert!(counts.iter().all(|&c| (5..=8).contains(&c)), "{counts:?}");
        assert!(v_max > 30.0, "action potentials overshoot: {v_max}");

        let mut hh = Hh::builder(8).seed(3).build().unwrap();
        let mut v_max = Real::NEG_INFINITY;
        let counts = simulate(&mut hh, 0.0 * uA, dt, 10_000, |m| {
            v_max = v_max.max(
                m.potential()
                    .raw()
                    .iter()
                    .copied()
                    .fold(Real::MIN, Real::max),
            );
        });
        assert_eq!(counts, vec![0; 8]);
        assert!(v_max < -55.0, "stays near rest: {v_max}");
    }

    #[test]
    fn spike_is_an_upward_crossing_not_a_level() {
        // starts above threshold, Na-dominated, and stays there for the first step: no spike
        let mut hh = Hh::builder(1)
            .v_init(30.0 * mV)
            .m_init(ratio(0.9))
            .h_init(ratio(0.6))
            .n_init(ratio(0.3))
            .build()
            .unwrap();
        let mut above = Vec::new();
        let counts = simulate(&mut hh, 0.0 * uA, step_of(0.01), 1, |m| {
            above.push(m.potential().get(0) >= 20.0 * mV)
        });
        assert_eq!(above, vec![true]);
        assert_eq!(counts, vec![0]);
        // from below, a δ-input that carries V across V_th is a spike
        let mut hh = Hh::builder(1).v_init(-65.0 * mV).build().unwrap();
        let mut drive = Drive::<Hh>::new(1);
        drive.delta_mut().set(0, 90.0 * mV);
        hh.step(&StepCtx::new(0, step_of(0.01)), &drive);
        assert!(hh.potential().get(0) >= 20.0 * mV, "{:?}", hh.potential());
        assert!(hh.spikes()[0]);
    }

    #[test]
    fn input_is_taken_at_the_old_potential_and_jumps_come_last() {
        let dt = step_of(0.1);
        let build = || Hh::builder(1).v_init(-62.0 * mV).build().unwrap();
        // a conductance-based synaptic current g·(E − V): evaluated once at V_old, so the
        // step equals one with the constant current g·(E − V_old)
        let (g, e) = (0.5 * mS, 0.0 * mV);
        let mut syn = build();
        let mut drive = Drive::<Hh>::new(1);
        let (i_syn, g_syn) = drive.syn_mut(true);
        g_syn.set(0, g);
        i_syn.set(0, g * e);
        syn.step(&StepCtx::new(0, dt), &drive);
        let mut frozen = build();
        let mut drive = Drive::<Hh>::new(1);
        drive.ext_mut().set(0, g * (e - -62.0 * mV));
        frozen.step(&StepCtx::new(0, dt), &drive);
        assert_eq!(syn.state_vars()[0].raw, frozen.state_vars()[0].raw);
        // a δ-input adds to V after integration and does not touch the gates this step
        let mut kicked = build();
        let mut drive = Drive::<Hh>::new(1);
        drive.ext_mut().set(0, g * (e - -62.0 * mV));
        drive.delta_mut().set(0, 5.0 * mV);
        kicked.step(&StepCtx::new(0, dt), &drive);
        let dv = kicked.potential().get(0) - frozen.potential().get(0);
        assert!((dv - 5.0 * mV).abs() < 1e-12 * mV);
        assert_eq!(kicked.m(), frozen.m());
        assert_eq!(kicked.h(), frozen.h());
        assert_eq!(kicked.n(), frozen.n());
    }

    #[test]
    fn every_method_integrates_the_coupled_system() {
        let dt = step_of(0.005);
        let mut first_spike = Vec::new();
        for method in Method::ALL {
            let mut hh = Hh::builder(1)
                .v_init(-65.0 * mV)
                .method(method)
                .build()
                .unwrap();
            let mut k = 0u64;
            let mut first = None;
            let counts = simulate(&mut hh, 10.0 * uA, dt, 20_000, |m| {
                if m.spikes()[0] && first.is_none() {
                    first = Some(k);
                }
                k += 1;
            });
            assert!((5..=8).contains(&counts[0]), "{method:?}: {counts:?}");
            first_spike.push(first.expect("spikes") as Real * 0.005);
        }
        let lo = first_spike.iter().copied().fold(Real::MAX, Real::min);
        let hi = first_spike.iter().copied().fold(Real::MIN, Real::max);
        assert!(hi - lo < 0.1, "first spike times (ms): {first_spike:?}");
    }

    #[test]
    fn invalid_parameters_are_refused_by_name() {
        let err = Hh::builder(1).c(0.0 * uF).build().unwrap_err();
        assert_eq!((err.owner.as_str(), err.name.as_str()), ("HH", "C"));
        let err = Hh::builder(1).g_na(-1.0 * mS).build().unwrap_err();
        assert_eq!(err.name, "gNa");
        let err = Hh::builder(3)
            .g_k(vec![36.0 * mS, 36.0 * mS])
            .build()
            .unwrap_err();
        assert_eq!(err.name, "gK");
        let err = Hh::builder(3)
            .n_init(Init::values(vec![ratio(0.3); 2]))
            .build()
            .unwrap_err();
        assert_eq!(err.name, "n_initializer");
        let err = MorrisLecar::builder(1).c(-1.0 * uF).build().unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("MorrisLecar", "C")
        );
        let err = MorrisLecar::builder(1)
            .phi(0.0 * per_ms)
            .build()
            .unwrap_err();
        assert_eq!(err.name, "phi");
        let err = MorrisLecar::builder(1).v4(0.0 * mV).build().unwrap_err();
        assert_eq!(err.name, "V4");
        let err = WangBuzsakiHh::builder(1).c(0.0 * uF).build().unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("WangBuzsakiHH", "C")
        );
        let err = WangBuzsakiHh::builder(1)
            .g_l(-0.1 * mS)
            .build()
            .unwrap_err();
        assert_eq!(err.name, "gL");
    }

    #[test]
    fn keywords_are_brainpys() {
        let hh = Hh::builder(1)
            .set("ENa", "55 mV")
            .and_then(|b| b.set("gNa", "0.1 S"))
            .and_then(|b| b.set("spk_reset", "hard"))
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(hh.params().e_na, Param::Scalar(55.0 * mV));
        assert_eq!(hh.params().g_na, Param::Scalar(100.0 * mS));
        assert!(Hh::builder(1).set("V_reset", "0 mV").is_err());
        let ml = MorrisLecar::builder(1)
            .set("phi", "0.067 1/ms")
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(ml.params().phi, Param::Scalar(0.067 * per_ms));
        let wb = WangBuzsakiHh::builder(1)
            .set("phi", "3")
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(wb.params().phi, Param::Scalar(ratio(3.0)));
        let names =
            |vars: Vec<crate::StateVar<'_>>| vars.iter().map(|v| v.name).collect::<Vec<_>>();
        assert_eq!(names(hh.state_vars()), ["V", "m", "h", "n"]);
        assert_eq!(names(ml.state_vars()), ["V", "W"]);
        assert_eq!(names(wb.state_vars()), ["V", "h", "n"]);
    }

    #[test]
    fn per_element_parameters_match_scalar_runs() {
        let dt = step_of(0.05);
        let mut mixed = Hh::builder(2)
            .v_init(-65.0 * mV)
            .g_na(vec![120.0 * mS, 100.0 * mS])
            .build()
            .unwrap();
        let mut a = Hh::builder(1).v_init(-65.0 * mV).build().unwrap();
        let mut b = Hh::builder(1)
            .v_init(-65.0 * mV)
            .g_na(100.0 * mS)
            .build()
            .unwrap();
        simulate(&mut mixed, 8.0 * uA, dt, 400, |_| {});
        simulate(&mut a, 8.0 * uA, dt, 400, |_| {});
        simulate(&mut b, 8.0 * uA, dt, 400, |_| {});
        assert_eq!(mixed.potential().get(0), a.potential().get(0));
        assert_eq!(mixed.potential().get(1), b.potential().get(0));
        assert_ne!(a.potential().get(0), b.potential().get(0));
    }

    #[test]
    fn morris_lecar_defaults_relaxation_and_firing() {
        let ml = MorrisLecar::builder(20).seed(1).build().unwrap();
        assert!(ml.recovery().iter().all(|w| w == ratio(0.02)));
        assert!(
            ml.potential()
                .iter()
                .all(|v| v >= -70.0 * mV && v < -60.0 * mV)
        );
        // one step: W relaxes exactly towards W∞(V_old) with τ_W(V_old)
        let (v0, w0, dt) = (-20.0, 0.3, 0.1);
        let mut one = MorrisLecar::builder(1)
            .v_init(v0 * mV)
            .w_init(ratio(w0))
            .build()
            .unwrap();
        simulate(&mut one, 0.0 * uA, step_of(dt), 1, |_| {});
        let w_inf = 0.5 * (1.0 + ((v0 - 2.0) / 30.0).tanh());
        let tau_w = 1.0 / (0.04 * ((v0 - 2.0) / 60.0).cosh());
        let w1 = w_inf + (w0 - w_inf) * (-dt / tau_w).exp();
        assert!(close(one.recovery().raw()[0], w1, 1e-13));
        // repetitive firing at 100 uA, none without input
        let dt = step_of(0.1);
        let mut ml = MorrisLecar::builder(4).seed(2).build().unwrap();
        let counts = simulate(&mut ml, 100.0 * uA, dt, 5_000, |m| {
            assert!(m.recovery().raw().iter().all(|&w| (0.0..=1.0).contains(&w)));
        });
        assert!(counts.iter().all(|&c| c >= 4), "{counts:?}");
        let mut ml = MorrisLecar::builder(4).seed(2).build().unwrap();
        assert_eq!(simulate(&mut ml, 0.0 * uA, dt, 5_000, |_| {}), vec![0; 4]);
    }

    #[test]
    fn wang_buzsaki_defaults_relaxation_and_firing() {
        let wb = WangBuzsakiHh::builder(2).build().unwrap();
        assert_eq!(wb.potential().get(1), -65.0 * mV);
        assert_eq!((wb.h().get(1), wb.n().get(1)), (ratio(0.6), ratio(0.32)));
        // one step: h and n relax exactly with the φ-scaled rates at V_old
        let dt = 0.1;
        let mut one = WangBuzsakiHh::builder(1).build().unwrap();
        simulate(&mut one, 0.0 * uA, step_of(dt), 1, |_| {});
        let r = WangBuzsakiRates::at(-65.0 * mV);
        let relax = |x0: Real, a: Frequency, b: Frequency| {
            let (a, b) = (5.0 * a.raw(), 5.0 * b.raw());
            let inf = a / (a + b);
            inf + (x0 - inf) * (-(a + b) * dt).exp()
        };
        assert!(close(
            one.h().raw()[0],
            relax(0.6, r.alpha_h, r.beta_h),
            1e-13
        ));
        assert!(close(
            one.n().raw()[0],
            relax(0.32, r.alpha_n, r.beta_n),
            1e-13
        ));
        // fast spiking at 1 uA, silent at 0
        let dt = step_of(0.05);
        let mut wb = WangBuzsakiHh::builder(1).build().unwrap();
        let counts = simulate(&mut wb, 1.0 * uA, dt, 4_000, |m| {
            assert!(m.h().raw()[0] >= 0.0 && m.h().raw()[0] <= 1.0);
            assert!(m.n().raw()[0] >= 0.0 && m.n().raw()[0] <= 1.0);
        });
        assert!(counts[0] >= 5, "{counts:?}");
        let mut wb = WangBuzsakiHh::builder(1).build().unwrap();
        assert_eq!(simulate(&mut wb, 0.0 * uA, dt, 4_000, |_| {}), vec![0]);
    }
}
