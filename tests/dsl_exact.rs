//! `method exact;`: DSL models whose equations are linear with constant coefficients step by
//! their propagator, and match the analytic solution at any time step.
//!
//! Tolerance: 1e-12 relative, at every step of 2000 (or of 100 ms, whichever is shorter), for
//! every step size from 0.01 ms to 4 ms. Stepping by a propagator multiplies by a rounded
//! `e^{−dt/τ}` once per step (nalgebra's Φ equals `f64::exp` there, bit for bit), so the
//! relative error after `n` steps grows as about `n·2⁻⁵³`: 1e-12 is reached near 10⁴ steps,
//! whatever the method, unless the factor is carried in more than one `f64`.

#![deny(missing_docs)]

use neurotype::models::ModelBuilder;
use neurotype::prelude::*;

// ANCHOR: cuba
neuron! {
    /// A current-based LIF whose synaptic current decays with its own time constant: two
    /// coupled linear equations (Brian2's CUBA neuron), integrated exactly.
    pub ExactCuba {
        params {
            r: ElectricalResistance = 10.0 Mohm,
            tau: Time = 10.0 ms where > 0,
            tau_s: Time = 2.0 ms where > 0,
            v_rest: ElectricPotential = -65.0 mV,
            v_th: ElectricPotential = -50.0 mV,
        }
        state {
            v: ElectricPotential = v_rest,
            i_s: ElectricCurrent = 0.0 nA,
        }
        input i: ElectricCurrent;
        method exact;
        d(v)/dt = (v_rest - v + r * (i_s + i)) / tau;
        d(i_s)/dt = -i_s / tau_s;
        spike v >= v_th;
        reset v = v_rest;
    }
}
// ANCHOR_END: cuba

// ANCHOR: alpha
synapse! {
    /// BrainPy's alpha synapse as a g–h pair, integrated exactly.
    pub ExactAlpha {
        params { tau: Time = 2.0 ms where > 0 }
        state {
            g: ElectricalConductance = 0.0 nS,
            h: ElectricalConductance = 0.0 nS,
        }
        method exact;
        d(g)/dt = (h - g) / tau;
        d(h)/dt = -h / tau;
        on_pre h += w;
        output g;
    }
}
// ANCHOR_END: alpha

const DTS: [f64; 6] = [0.01, 0.1, 0.25, 1.0, 2.5, 4.0];
const TOL: f64 = 1e-12;

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// The CUBA pair under a constant current `i_ext`, from `v0`, `i0`: with `u = v − v∞`,
/// `u(t) = u₀·e^{−t/τ} + (R·i₀/τ)·(e^{−t/τs} − e^{−t/τ})/(1/τ − 1/τs)`, `i_s = i₀·e^{−t/τs}`.
fn cuba_solution(t: f64, v0: f64, i0: f64, i_ext: f64) -> (f64, f64) {
    // stored units: mV, ms, µA, Mohm (Mohm·µA = V: ×1000 for mV)
    let (r, tau, tau_s, v_rest) = (10.0, 10.0, 2.0, -65.0);
    let v_inf = v_rest + r * i_ext * 1e3;
    let coupling =
        (r * i0 * 1e3 / tau) * ((-t / tau_s).exp() - (-t / tau).exp()) / (1.0 / tau - 1.0 / tau_s);
    (
        v_inf + (v0 - v_inf) * (-t / tau).exp() + coupling,
        i0 * (-t / tau_s).exp(),
    )
}

/// Steps per run: 100 ms or 2000 steps, whichever is fewer.
fn steps_for(dt_ms: f64, horizon_ms: f64) -> u64 {
    ((horizon_ms / dt_ms).round() as u64).min(2000)
}

/// Runs `ExactCuba` for 100 ms (at most 2000 steps) at each step size under a constant current and checks every
/// step against the closed form; returns the worst relative error.
fn cuba_against_solution(per_element: bool) -> f64 {
    let (v0, i0, i_ext) = (-70.0, 0.8e-3, 0.6e-3); // mV, µA, µA
    let mut worst: f64 = 0.0;
    for &dt_ms in &DTS {
        let builder = ExactCuba::builder(3)
            .v_init(v0 * mV)
            .i_s_init(i0 * uA)
            .v_th(100.0 * mV);
        let builder = if per_element {
            builder.tau(vec![10.0 * ms; 3])
        } else {
            builder
        };
        let mut lif = builder.build().unwrap();
        let dt = TimeStep::new(dt_ms * ms).unwrap();
        let mut drive = Drive::<ExactCuba>::new(3);
        let steps = steps_for(dt_ms, 100.0);
        for step in 0..steps {
            drive.clear();
            drive.ext_mut().raw_mut().fill(i_ext);
            lif.step(&StepCtx::new(step, dt), &drive);
            let t = (step + 1) as f64 * dt_ms;
            let (v, i_s) = cuba_solution(t, v0, i0, i_ext);
            for k in 0..3 {
                let ev = relative(lif.v().raw()[k], v);
                let ei = relative(lif.i_s().raw()[k], i_s);
                assert!(
                    ev <= TOL && ei <= TOL,
                    "dt {dt_ms} ms, t {t} ms: {ev:e}, {ei:e}"
                );
                worst = worst.max(ev).max(ei);
            }
        }
    }
    worst
}

#[test]
fn a_linear_neuron_matches_its_analytic_solution_at_any_step() {
    let worst = cuba_against_solution(false);
    eprintln!("ExactCuba: worst relative error {worst:e}");
}

#[test]
fn per_element_parameters_take_the_same_propagator() {
    let worst = cuba_against_solution(true);
    eprintln!("ExactCuba, per-element tau: worst relative error {worst:e}");
    // the per-element path computes the shared path's propagator, to the bit
    let build = |tau: Param<Time>| {
        ExactCuba::builder(2)
            .tau(tau)
            .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
            .build()
            .unwrap()
    };
    let (mut a, mut b) = (build((10.0 * ms).into()), build(vec![10.0 * ms; 2].into()));
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut drive = Drive::<ExactCuba>::new(2);
    for step in 0..3000 {
        drive.clear();
        drive.ext_mut().raw_mut().fill(1.8e-3);
        a.step(&StepCtx::new(step, dt), &drive);
        b.step(&StepCtx::new(step, dt), &drive);
        assert_eq!(a.spikes(), b.spikes(), "step {step}");
        for (x, y) in a.v().raw().iter().zip(b.v().raw()) {
            assert_eq!(x.to_bits(), y.to_bits(), "step {step}");
        }
    }
}

/// An E/I network of exact neurons and exact alpha synapses on `threads` threads: its spikes.
fn exact_network(threads: usize) -> Vec<(u64, u32)> {
    let (n, n_exc) = (400, 320);
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .seed(5)
        .threads(threads)
        .unwrap();
    let neurons = ExactCuba::builder(n)
        .v_init(Init::uniform(-65.0 * mV, -50.0 * mV))
        .seed(5)
        .build()
        .unwrap();
    let all = net.add("E/I", neurons);
    net.input(ExternalCurrent::constant(all, 1.55 * nA).unwrap())
        .unwrap();
    for (range, w, e) in [
        (0..n_exc, 0.6 * nS, 0.0 * mV),
        (n_exc..n, 4.0 * nS, -80.0 * mV),
    ] {
        let m = range.len();
        net.connect(
            AlignPostProj::new(all.slice(range).unwrap(), all)
                .comm(Comm::fixed_prob(m, n, 0.05, w))
                .syn(ExactAlpha::builder(n).build().unwrap())
                .out(Coba::new(e).unwrap()),
        )
        .unwrap();
    }
    let spikes = net.monitor_spikes(all).unwrap();
    net.run(200.0 * ms).unwrap();
    let r = net.record(spikes).unwrap();
    r.steps
        .iter()
        .copied()
        .zip(r.neurons.iter().copied())
        .collect()
}

#[test]
fn exact_models_run_in_a_network_with_the_same_spikes_on_any_thread_count() {
    let one = exact_network(1);
    assert!(one.len() > 200, "{} spikes", one.len());
    for threads in [2, 3] {
        assert!(exact_network(threads) == one, "{threads} threads");
    }
}

#[test]
fn an_alpha_pair_matches_its_analytic_solution_at_any_step() {
    // g(t) = (g₀ + h₀·t/τ)·e^{−t/τ}, h(t) = h₀·e^{−t/τ}
    let (g0, h0, tau) = (1.0, 4.0, 2.0); // nS, nS, ms
    let mut worst: f64 = 0.0;
    for &dt_ms in &DTS {
        let mut syn = ExactAlpha::builder(2)
            .g_init(g0 * nS)
            .h_init(h0 * nS)
            .build()
            .unwrap();
        let dt = TimeStep::new(dt_ms * ms).unwrap();
        let steps = steps_for(dt_ms, 40.0);
        for step in 0..steps {
            syn.step(&StepCtx::new(step, dt));
            let t = (step + 1) as f64 * dt_ms;
            let g = (g0 + h0 * t / tau) * (-t / tau).exp();
            let h = h0 * (-t / tau).exp();
            let (gs, hs) = ((syn.g().get(0) / nS).value, (syn.h().get(0) / nS).value);
            let (eg, eh) = (relative(gs, g), relative(hs, h));
            assert!(
                eg <= TOL && eh <= TOL,
                "dt {dt_ms} ms, t {t} ms: {eg:e}, {eh:e}"
            );
            worst = worst.max(eg).max(eh);
        }
    }
    eprintln!("ExactAlpha: worst relative error {worst:e}");
}

#[test]
fn an_increment_arrives_after_the_exact_step() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut syn = ExactAlpha::builder(1).build().unwrap();
    syn.update(&StepCtx::new(0, dt), &[2.0 * nS]);
    assert_eq!(syn.h().get(0), 2.0 * nS);
    assert_eq!(syn.g().get(0), 0.0 * nS);
    syn.step(&StepCtx::new(1, dt));
    let expected = 2.0 * (0.1 / 2.0) * (-0.1f64 / 2.0).exp();
    assert!(relative((syn.g().get(0) / nS).value, expected) <= TOL);
}

#[test]
fn the_exact_neuron_spikes_and_resets() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut lif = ExactCuba::builder(1).build().unwrap();
    let mut drive = Drive::<ExactCuba>::new(1);
    let mut spikes = 0;
    for step in 0..2000 {
        drive.clear();
        drive.ext_mut().raw_mut().fill(2.0e-3); // 2 nA: v∞ = −45 mV, above threshold
        lif.step(&StepCtx::new(step, dt), &drive);
        spikes += usize::from(lif.spikes()[0]);
    }
    // period τ·ln((v∞ − v_rest)/(v∞ − v_th)) = 10·ln(4) ≈ 13.9 ms: 14 spikes in 200 ms
    assert_eq!(spikes, 14);
}

#[test]
fn parameters_that_make_the_matrix_infinite_are_refused() {
    synapse! {
        /// A decay whose time constant may be zero.
        pub Unchecked {
            params { tau: Time = 2.0 ms }
            state { g: ElectricalConductance = 0.0 nS }
            method exact;
            d(g)/dt = -g / tau;
            on_pre g += w;
            output g;
        }
    }
    let e = Unchecked::builder(2).tau(0.0 * ms).build().unwrap_err();
    let text = e.to_string();
    assert!(text.contains("method exact"), "{text}");
    assert!(text.contains("∂(d(g)/dt)/∂g"), "{text}");
    assert!(Unchecked::builder(2).build().is_ok());
    let e = Unchecked::builder(2)
        .set("method", "rk4")
        .unwrap_err()
        .to_string();
    assert!(e.contains("method exact"), "{e}");
}

neuron! {
    /// Ten passive compartments in a row, current injected into the first: ten coupled linear
    /// equations (more than a tuple of eight), integrated exactly.
    pub Cable10 {
        params {
            tau: Time = 10.0 ms where > 0,
            tau_c: Time = 2.0 ms where > 0,
            r: ElectricalResistance = 10.0 Mohm,
            v_rest: ElectricPotential = -65.0 mV,
        }
        state {
            v0: ElectricPotential = v_rest, v1: ElectricPotential = v_rest,
            v2: ElectricPotential = v_rest, v3: ElectricPotential = v_rest,
            v4: ElectricPotential = v_rest, v5: ElectricPotential = v_rest,
            v6: ElectricPotential = v_rest, v7: ElectricPotential = v_rest,
            v8: ElectricPotential = v_rest, v9: ElectricPotential = v_rest,
        }
        input i: ElectricCurrent;
        method exact;
        d(v0)/dt = (v_rest - v0 + r * i) / tau + (v1 - v0) / tau_c;
        d(v1)/dt = (v_rest - v1) / tau + (v0 - 2.0 * v1 + v2) / tau_c;
        d(v2)/dt = (v_rest - v2) / tau + (v1 - 2.0 * v2 + v3) / tau_c;
        d(v3)/dt = (v_rest - v3) / tau + (v2 - 2.0 * v3 + v4) / tau_c;
        d(v4)/dt = (v_rest - v4) / tau + (v3 - 2.0 * v4 + v5) / tau_c;
        d(v5)/dt = (v_rest - v5) / tau + (v4 - 2.0 * v5 + v6) / tau_c;
        d(v6)/dt = (v_rest - v6) / tau + (v5 - 2.0 * v6 + v7) / tau_c;
        d(v7)/dt = (v_rest - v7) / tau + (v6 - 2.0 * v7 + v8) / tau_c;
        d(v8)/dt = (v_rest - v8) / tau + (v7 - 2.0 * v8 + v9) / tau_c;
        d(v9)/dt = (v_rest - v9) / tau + (v8 - v9) / tau_c;
    }
}

#[test]
fn ten_coupled_compartments_step_exactly_at_any_step() {
    // exact at any dt: 20 ms in steps of 0.5 ms and of 0.05 ms end in the same state
    let run = |dt_ms: f64| -> Vec<f64> {
        let mut cable = Cable10::builder(1).build().unwrap();
        let dt = TimeStep::new(dt_ms * ms).unwrap();
        let mut drive = Drive::<Cable10>::new(1);
        for step in 0..(20.0 / dt_ms).round() as u64 {
            drive.clear();
            drive.ext_mut().raw_mut().fill(1.0e-3); // 1 nA
            cable.step(&StepCtx::new(step, dt), &drive);
        }
        cable.state_vars().iter().map(|v| v.raw[0]).collect()
    };
    let (coarse, fine) = (run(0.5), run(0.05));
    assert_eq!(coarse.len(), 10);
    // the far end has moved, the near end most
    assert!(
        coarse[0] > coarse[9] && coarse[9] > -65.0 + 1e-3,
        "{coarse:?}"
    );
    for (a, b) in coarse.iter().zip(&fine) {
        assert!(relative(*a, *b) <= 1e-12, "{a} vs {b}");
    }
}
