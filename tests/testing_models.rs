//! "Testing your models" (book chapter `testing.md`): a DSL model whose gate can leave [0, 1]
//! for some parameters, caught by the invariant check over its parameter strategy, with a
//! shrunk counter-example that names the parameter and its value; the fixed model passes.
#![cfg(feature = "proptest")]

use neurotype::models::invariants::{
    Invariants, Violation, find_counterexample, monotone_rate, same_seed_same_spikes,
};
use neurotype::models::strategy::exp_euler_resolves_threshold;
use neurotype::prelude::*;
use proptest::prelude::*;

// ANCHOR: broken
neuron! {
    /// An AdEx-like neuron with a gated adaptation: `q` opens at rate `alpha` and closes at
    /// rate `beta`, and while open it pulls V down by up to `e_q`.
    pub GatedAdEx {
        params {
            r: ElectricalResistance = 100.0 Mohm where > 0,
            tau: Time = 20.0 ms where > 0,
            v_rest: ElectricPotential = -65.0 mV,
            v_reset: ElectricPotential = -68.0 mV where < v_th,
            v_th: ElectricPotential = -40.0 mV,
            v_t: ElectricPotential = -50.0 mV,
            delta_t: ElectricPotential = 2.0 mV where > 0,
            e_q: ElectricPotential = 10.0 mV where >= 0,
            alpha: Frequency = 0.05 per_ms,
            beta: Frequency = 0.02 per_ms,
        }
        state {
            v: ElectricPotential = v_rest,
            q: Ratio = 0.0,
        }
        input i: ElectricCurrent;
        d(v)/dt = (-(v - v_rest) + delta_t * exp(min((v - v_t) / delta_t, 20.0)) - e_q * q + r * i) / tau;
        d(q)/dt = alpha * (1.0 - q) - beta * q;
        spike v >= v_th;
        reset v = v_reset;
    }
}
// ANCHOR_END: broken

// ANCHOR: check
/// Runs 10 neurons for 200 ms at 0.3 nA: every state finite, the gate `q` in [0, 1].
fn keeps_its_invariants(p: &GatedAdExParams) -> Result<(), Violation> {
    let mut cells = GatedAdEx::builder(10)
        .params(p.clone())
        .build()
        .expect("the strategy draws only sets the builder accepts");
    let dt = TimeStep::new(0.1 * ms).expect("0.1 ms is a valid step");
    Invariants::new()
        .gates(["q"])
        .run(&mut cells, 0.3 * nA, dt, 2000)
}
// ANCHOR_END: check

#[test]
fn a_gate_rate_of_the_wrong_sign_is_found_and_named() {
    // ANCHOR: search
    let found = find_counterexample(GatedAdExParams::strategy(), 256, keeps_its_invariants);
    let counterexample = found.expect_err("some parameter set lets q leave [0, 1]");
    println!("{counterexample}");
    // ANCHOR_END: search
    assert_eq!(counterexample.violation.var, "q");
    assert!(counterexample.violation.rule.contains("[0, 1]"));
    // what is left once every parameter that does not matter is back at its default: a
    // negative opening or closing rate, named with its unit
    let (name, value) = &counterexample.culprits[0];
    assert_eq!(counterexample.culprits.len(), 1, "{counterexample}");
    assert!(["alpha", "beta"].contains(name), "{counterexample}");
    assert!(
        value.starts_with('-') && value.ends_with("Hz"),
        "{counterexample}"
    );
    let shown = counterexample.to_string();
    assert!(shown.contains(&format!("{name} = {value}")), "{shown}");
}

// ANCHOR: fixed
neuron! {
    /// [`GatedAdEx`] with rates that cannot be negative: `q` stays in [0, 1].
    pub GatedAdExFixed {
        params {
            r: ElectricalResistance = 100.0 Mohm where > 0,
            tau: Time = 20.0 ms where > 0,
            v_rest: ElectricPotential = -65.0 mV,
            v_reset: ElectricPotential = -68.0 mV where < v_th,
            v_th: ElectricPotential = -40.0 mV,
            v_t: ElectricPotential = -50.0 mV,
            delta_t: ElectricPotential = 2.0 mV where > 0,
            e_q: ElectricPotential = 10.0 mV where >= 0,
            alpha: Frequency = 0.05 per_ms where >= 0,
            beta: Frequency = 0.02 per_ms where >= 0,
        }
        state {
            v: ElectricPotential = v_rest,
            q: Ratio = 0.0,
        }
        input i: ElectricCurrent;
        d(v)/dt = (-(v - v_rest) + delta_t * exp(min((v - v_t) / delta_t, 20.0)) - e_q * q + r * i) / tau;
        d(q)/dt = alpha * (1.0 - q) - beta * q;
        spike v >= v_th;
        reset v = v_reset;
    }
}
// ANCHOR_END: fixed

// ANCHOR: suite
fn build(p: &GatedAdExFixedParams) -> GatedAdExFixed {
    GatedAdExFixed::builder(10)
        .params(p.clone())
        .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
        .seed(7)
        .build()
        .expect("the strategy draws only sets the builder accepts")
}

/// The sets the model is meant for: those whose dynamics below threshold exponential Euler
/// resolves at dt = 0.1 ms. Further up, V becomes infinite, as it would in BrainPy: a relation
/// between four parameters and dt, which `where` cannot state, so the test states it.
fn within_reach() -> impl Strategy<Value = GatedAdExFixedParams> {
    GatedAdExFixedParams::strategy().prop_filter("lambda(V_th) dt <= 1", |p| {
        let (v_th, v_t, delta_t) = (p.v_th.at(0), p.v_t.at(0), p.delta_t.at(0));
        exp_euler_resolves_threshold(v_th, v_t, delta_t, p.tau.at(0), 0.1 * ms)
    })
}

#[test]
fn the_fixed_model_keeps_its_invariants() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let bounded = find_counterexample(within_reach(), 256, |p| {
        Invariants::new()
            .gates(["q"])
            .run(&mut build(p), 0.3 * nA, dt, 2000)
    });
    assert!(bounded.is_ok(), "{}", bounded.unwrap_err());

    // the rate rises with the input, and the same seed gives the same spikes
    let inputs: Vec<ElectricCurrent> = (0..8).map(|k| k as f64 * 0.1 * nA).collect();
    let show = |i: ElectricCurrent| i.show().to_string();
    let suite = find_counterexample(within_reach(), 32, |p| {
        monotone_rate(|| build(p), &inputs, show, dt, 2000)?;
        same_seed_same_spikes(|| build(p), 0.3 * nA, dt, 2000)
    });
    assert!(suite.is_ok(), "{}", suite.unwrap_err());
}
// ANCHOR_END: suite

#[test]
fn the_fixed_model_refuses_each_value_just_outside_its_constraints() {
    let valid = GatedAdExFixedParams::default();
    let outside = valid.violations();
    for keyword in ["r", "tau", "v_reset", "delta_t", "e_q", "alpha", "beta"] {
        assert!(outside.iter().any(|(k, _)| *k == keyword), "{keyword}");
    }
    for (keyword, set) in outside {
        let refused = GatedAdExFixed::builder(3).params(set.clone()).build();
        let e = refused.expect_err(&format!("{keyword} outside its constraint: {set:?}"));
        assert_eq!(e.name, keyword, "{e}");
    }
}
