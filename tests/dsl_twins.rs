//! DSL twins of built-in models: each is declared with `neuron!`/`synapse!` in the algebraic
//! form the built-in model's code uses, stepped side by side with it for 10⁴ steps under the
//! same input, and compared on every state variable at every step.
//!
//! Tolerance: |dsl − builtin| ≤ 1e-12 · max(1, |builtin|) in stored units (mV, µA, ms, ...), i.e.
//! relative for values above 1 and absolute below. In practice the twins agree bit for bit,
//! which the tests also report.

use neurotype::prelude::*;

const STEPS: u64 = 10_000;
const TOL: f64 = 1e-12;

/// Worst difference seen between two models, over every variable, element and step.
#[derive(Default, Debug)]
struct Worst {
    abs: f64,
    scaled: f64,
    spikes: usize,
    differing_bits: usize,
    compared: usize,
}

impl Worst {
    fn see(&mut self, a: f64, b: f64) {
        let d = (a - b).abs();
        self.abs = self.abs.max(d);
        self.scaled = self.scaled.max(d / b.abs().max(1.0));
        if a.to_bits() != b.to_bits() {
            self.differing_bits += 1;
        }
        self.compared += 1;
    }

    fn check(&self, what: &str) {
        eprintln!(
            "{what}: worst |Δ| = {:e}, worst |Δ|/max(1,|x|) = {:e}, {} of {} values not bit-identical, {} spikes",
            self.abs, self.scaled, self.differing_bits, self.compared, self.spikes
        );
        assert!(self.scaled <= TOL, "{what}: {:e} > {TOL:e}", self.scaled);
    }
}

/// Compares the named state variables of two populations.
fn compare_vars<A: Neuron, B: Neuron>(a: &A, b: &B, names: &[(&str, &str)], worst: &mut Worst) {
    let (va, vb) = (a.state_vars(), b.state_vars());
    for (na, nb) in names {
        let x = va
            .iter()
            .find(|v| v.name == *na)
            .expect("variable of the DSL model");
        let y = vb
            .iter()
            .find(|v| v.name == *nb)
            .expect("variable of the built-in model");
        assert_eq!(x.raw.len(), y.raw.len());
        for (p, q) in x.raw.iter().zip(y.raw) {
            worst.see(*p, *q);
        }
    }
}

/// The same input for both drives, as stored numbers: a constant current per element, and
/// (when `conductance`) a time-varying conductance `g` towards `e` through the synaptic
/// columns (`I_syn = g·E − g·V`).
fn fill_drive<N: Neuron>(
    d: &mut Drive<N>,
    step: u64,
    current: &[f64],
    conductance: Option<(f64, f64)>,
) {
    d.clear();
    d.ext_mut().raw_mut().copy_from_slice(current);
    if let Some((g0, e)) = conductance {
        let (i_syn, g_syn) = d.syn_mut();
        for k in 0..current.len() {
            let g = g0 * (1.0 + (0.001 * step as f64 + k as f64).sin());
            i_syn.raw_mut()[k] = g * e;
            g_syn.raw_mut()[k] = g;
        }
    }
}

/// Steps two neuron populations side by side and compares them at every step.
fn twin_neurons<A: Neuron, B: Neuron>(
    what: &str,
    mut a: A,
    mut b: B,
    names: &[(&str, &str)],
    current: &[f64],
    conductance: Option<(f64, f64)>,
) -> Worst {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let n = a.len();
    assert_eq!(n, b.len());
    let (mut da, mut db) = (Drive::<A>::new(n), Drive::<B>::new(n));
    let mut worst = Worst::default();
    compare_vars(&a, &b, names, &mut worst);
    for step in 0..STEPS {
        let ctx = StepCtx::new(step, dt);
        fill_drive(&mut da, step, current, conductance);
        fill_drive(&mut db, step, current, conductance);
        a.step(&ctx, &da);
        b.step(&ctx, &db);
        assert_eq!(
            a.spikes(),
            b.spikes(),
            "{what}: spikes differ at step {step}"
        );
        worst.spikes += a.spikes().iter().filter(|s| **s).count();
        compare_vars(&a, &b, names, &mut worst);
    }
    worst.check(what);
    worst
}

// ------------------------------------------------------------------------------------------
// LIF

neuron! {
    /// The built-in LIF, as equations: soft reset, BrainPy's defaults.
    pub DslLif {
        params {
            /// Membrane resistance.
            r: ElectricalResistance = 1.0 ohm,
            tau: Time = 5.0 ms where > 0,
            v_th: ElectricPotential = 1.0 mV,
            v_reset: ElectricPotential = 0.0 mV where < v_th,
            v_rest: ElectricPotential = 0.0 mV,
        }
        state { v: ElectricPotential = 0.0 mV }
        input i: ElectricCurrent;
        d(v)/dt = (-v + v_rest + r * i) / tau;
        spike v >= v_th;
        reset v = v - (v_th - v_reset);
    }
}

neuron! {
    /// The built-in LIFRef with a hard reset.
    pub DslLifRef {
        params {
            r: ElectricalResistance = 1.0 ohm,
            tau: Time = 5.0 ms where > 0,
            v_th: ElectricPotential = 1.0 mV,
            v_reset: ElectricPotential = 0.0 mV where < v_th,
            v_rest: ElectricPotential = 0.0 mV,
        }
        state { v: ElectricPotential = v_rest }
        input i: ElectricCurrent;
        d(v)/dt = (-v + v_rest + r * i) / tau;
        spike v >= v_th;
        reset v = v_reset;
        refractory tau_ref: Time = 5.0 ms;
    }
}

const LIF_CURRENT: [f64; 6] = [1.0e-3, 1.6e-3, 2.0e-3, 2.5e-3, 3.5e-3, 6.0e-3]; // µA: 1 to 6 nA

#[test]
fn lif_twin_matches_every_method() {
    for method in Method::ALL {
        let dsl = DslLif::builder(6)
            .r(10.0 * Mohm)
            .tau(10.0 * ms)
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
            .seed(3)
            .method(method)
            .build()
            .unwrap();
        let builtin = Lif::builder(6)
            .r(10.0 * Mohm)
            .tau(10.0 * ms)
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
            .seed(3)
            .method(method)
            .build()
            .unwrap();
        let w = twin_neurons(
            &format!("LIF {}", method.name()),
            dsl,
            builtin,
            &[("v", "V")],
            &LIF_CURRENT,
            Some((5e-6, 0.0)), // 5 nS towards 0 mV
        );
        assert!(w.spikes > 100);
    }
}

#[test]
fn lif_ref_twin_matches_with_per_element_parameters() {
    let taus: Vec<Time> = (0..6).map(|k| (8.0 + k as f64) * ms).collect();
    for method in [Method::ExponentialEuler, Method::Euler, Method::Rk4] {
        let dsl = DslLifRef::builder(6)
            .r(10.0 * Mohm)
            .tau(taus.clone())
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .tau_ref(2.0 * ms)
            .method(method)
            .build()
            .unwrap();
        let builtin = Lif::builder(6)
            .r(10.0 * Mohm)
            .tau(taus.clone())
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(-65.0 * mV)
            .tau_ref(2.0 * ms)
            .spk_reset(SpikeReset::Hard)
            .method(method)
            .build()
            .unwrap();
        let w = twin_neurons(
            &format!("LIFRef {}", method.name()),
            dsl,
            builtin,
            &[("v", "V"), ("last_spike_time", "last_spike_time")],
            &LIF_CURRENT,
            Some((5e-6, 0.0)),
        );
        assert!(w.spikes > 100);
    }
}
