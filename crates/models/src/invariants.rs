//! Invariants a model must keep, checked by running it: every state finite, gating variables
//! in [0, 1], conductances non-negative, no spike inside the refractory period, a firing rate
//! that rises with the input, the same spikes from the same seed, and the integrator's order
//! of convergence. Each check returns a [`Violation`] naming the model, the step, the variable,
//! the element and the value with its unit.
//!
//! With the cargo feature `proptest`, [`find_counterexample`] runs a check over a parameter
//! set's `strategy()` and returns the smallest failing set it can find, each parameter that
//! matters named with its value and unit:
//!
//! ```
//! use neurotype_models::invariants::Invariants;
//! use neurotype_models::prelude::*;
//!
//! let mut hh = Hh::builder(4).build()?;
//! let dt = TimeStep::new(0.01 * ms)?;
//! let run = Invariants::new().gates(["m", "h", "n"]).run(&mut hh, 10.0 * uA, dt, 5000);
//! assert!(run.is_ok(), "{}", run.unwrap_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::drive::Drive;
use crate::neuron::{Neuron, StateVar, StepCtx};

/// How far a gate may stray beyond [0, 1] by rounding (see [`Invariants::gates`]): 4ε.
pub const GATE_SLACK: Real = 4.0 * Real::EPSILON;
use neurotype_solvers::TimeStep;
use neurotype_units::{Real, Time, wide};

/// What went wrong, where and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The model (`"HH"`, or a DSL model's name).
    pub model: String,
    /// The step after which it was seen.
    pub step: u64,
    /// The state variable (or `"spikes"`, `"rate"`).
    pub var: String,
    /// The element.
    pub element: usize,
    /// The value with its unit (`"1.02"`, `"-0.3 nS"`).
    pub value: String,
    /// What was required (`"must stay in [0, 1]"`).
    pub rule: String,
}

impl core::fmt::Display for Violation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{}: `{}` of element {} is {} after step {}: it {}",
            self.model, self.var, self.element, self.value, self.step, self.rule
        )
    }
}

impl std::error::Error for Violation {}

/// The invariants to check after every step: every state variable finite, and those named as
/// gates or as non-negative within their bounds.
#[derive(Clone, Debug, Default)]
pub struct Invariants {
    gates: Vec<String>,
    non_negative: Vec<String>,
    refractory: Option<Time>,
}

/// A stored number with the variable's canonical unit (`-0.3 nS`, `1.02`).
fn shown(var: &StateVar<'_>, raw: Real) -> String {
    let value = (var.convert)(raw, var.unit).unwrap_or(wide(raw));
    if var.unit.is_empty() {
        format!("{value}")
    } else {
        format!("{value} {}", var.unit)
    }
}

impl Invariants {
    /// Every state variable finite after every step.
    pub fn new() -> Self {
        Self::default()
    }

    /// These state variables (by name, as `state_vars` lists them) stay in [0, 1], up to
    /// rounding: [−4ε, 1 + 4ε] with ε the machine epsilon of a stored number
    /// ([`GATE_SLACK`]). A gate's exponential-Euler step `x + φ·(x∞ − x)/τ` is a convex
    /// combination of x and x∞ in exact arithmetic, but when the step is stiff (φ/τ = 1 to
    /// the last bit) and x∞ sits on a bound, rounding can leave the result an ulp-sized
    /// amount beyond it, in BrainPy as here (a property test found a Morris-Lecar `W` of
    /// −7.7e-70 from W ≈ 1e-54 with the product `φ·f` fused; rounded apart, the residue has
    /// either sign just the same).
    pub fn gates<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.gates.extend(names.into_iter().map(Into::into));
        self
    }

    /// These state variables (a conductance, a concentration) stay ≥ 0.
    pub fn non_negative<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.non_negative.extend(names.into_iter().map(Into::into));
        self
    }

    /// No element spikes twice within `tau_ref` (a spike at step k forbids another before
    /// the step at k·dt + tau_ref). BrainPy's `...Ref` models hold the reset potential while
    /// refractory and test the threshold on it: with the default soft reset a large overshoot
    /// leaves V above threshold after the reset, and they spike again inside the period. Check
    /// them with a hard reset.
    pub fn refractory(mut self, tau_ref: Time) -> Self {
        self.refractory = Some(tau_ref);
        self
    }

    /// Runs `model` for `steps` steps of `dt` with the constant external input `input` and
    /// checks every invariant after each step. A name given to [`gates`](Self::gates) or
    /// [`non_negative`](Self::non_negative) that the model does not have is itself a
    /// violation (a misspelt name must not pass silently).
    pub fn run<N: Neuron>(
        &self,
        model: &mut N,
        input: N::Input,
        dt: TimeStep,
        steps: u64,
    ) -> Result<(), Violation> {
        let name = model.model_name().to_string();
        let known: Vec<&str> = model.state_vars().iter().map(|v| v.name).collect();
        for wanted in self.gates.iter().chain(&self.non_negative) {
            if !known.contains(&wanted.as_str()) {
                return Err(Violation {
                    model: name,
                    step: 0,
                    var: wanted.clone(),
                    element: 0,
                    value: "(absent)".into(),
                    rule: format!(
                        "is not a state variable; the model has {}",
                        known.join(", ")
                    ),
                });
            }
        }
        let mut drive = Drive::<N>::new(model.len());
        let mut last_spike: Vec<Option<u64>> = vec![None; model.len()];
        let lockout = self
            .refractory
            .map(|t| wide(t.value) / wide(dt.get().value));
        for i in 0..steps {
            drive.clear();
            drive.set_external(input);
            model.step(&StepCtx::new(i, dt), &drive);
            for var in model.state_vars() {
                let bounds = if self.gates.iter().any(|g| g == var.name) {
                    Some((-GATE_SLACK, 1.0 + GATE_SLACK, "must stay in [0, 1]"))
                } else if self.non_negative.iter().any(|g| g == var.name) {
                    Some((0.0, Real::INFINITY, "must stay >= 0"))
                } else {
                    None
                };
                for (k, &x) in var.raw.iter().enumerate() {
                    let rule = if !x.is_finite() {
                        "must stay finite"
                    } else {
                        match bounds {
                            Some((lo, hi, rule)) if x < lo || x > hi => rule,
                            _ => continue,
                        }
                    };
                    return Err(Violation {
                        model: name,
                        step: i,
                        var: var.name.to_string(),
                        element: k,
                        value: shown(&var, x),
                        rule: rule.into(),
                    });
                }
            }
            if let Some(lockout) = lockout {
                for (k, &s) in model.spikes().iter().enumerate() {
                    if !s {
                        continue;
                    }
                    if let Some(j) = last_spike[k]
                        && ((i - j) as f64) < lockout - 1e-9
                    {
                        return Err(Violation {
                            model: name,
                            step: i,
                            var: "spikes".into(),
                            element: k,
                            value: format!("a spike {} steps after the last", i - j),
                            rule: format!("must not spike within {lockout} steps"),
                        });
                    }
                    last_spike[k] = Some(i);
                }
            }
        }
        Ok(())
    }
}

/// Runs `model` for `steps` steps with a constant input and returns the number of spikes of
/// all its elements.
pub fn spike_count<N: Neuron>(model: &mut N, input: N::Input, dt: TimeStep, steps: u64) -> usize {
    let mut drive = Drive::<N>::new(model.len());
    let mut count = 0;
    for i in 0..steps {
        drive.clear();
        drive.set_external(input);
        model.step(&StepCtx::new(i, dt), &drive);
        count += model.spikes().iter().filter(|&&s| s).count();
    }
    count
}

/// Checks that the number of spikes does not fall as the input rises: `inputs` in increasing
/// order, a fresh model from `build` for each. The violation names the two inputs (as
/// `show` prints them) and their counts.
pub fn monotone_rate<N: Neuron>(
    build: impl Fn() -> N,
    inputs: &[N::Input],
    show: impl Fn(N::Input) -> String,
    dt: TimeStep,
    steps: u64,
) -> Result<(), Violation> {
    let mut last: Option<(N::Input, usize)> = None;
    for &x in inputs {
        let mut model = build();
        let count = spike_count(&mut model, x, dt, steps);
        if let Some((before, c)) = last
            && count < c
        {
            return Err(Violation {
                model: model.model_name().to_string(),
                step: steps,
                var: "rate".into(),
                element: 0,
                value: format!("{count} spikes at input {}", show(x)),
                rule: format!(
                    "must not fall below the {c} spikes at input {}",
                    show(before)
                ),
            });
        }
        last = Some((x, count));
    }
    Ok(())
}

/// Checks that two models built alike (same parameters, same seed) spike at the same steps
/// and end in the same state, bit for bit.
pub fn same_seed_same_spikes<N: Neuron>(
    build: impl Fn() -> N,
    input: N::Input,
    dt: TimeStep,
    steps: u64,
) -> Result<(), Violation> {
    let (mut a, mut b) = (build(), build());
    let (mut da, mut db) = (Drive::<N>::new(a.len()), Drive::<N>::new(b.len()));
    for i in 0..steps {
        for (m, d) in [(&mut a, &mut da), (&mut b, &mut db)] {
            d.clear();
            d.set_external(input);
            m.step(&StepCtx::new(i, dt), d);
        }
        if let Some(k) = (0..a.len()).find(|&k| a.spikes()[k] != b.spikes()[k]) {
            return Err(Violation {
                model: a.model_name().to_string(),
                step: i,
                var: "spikes".into(),
                element: k,
                value: format!(
                    "{} in one run, {} in the other",
                    a.spikes()[k],
                    b.spikes()[k]
                ),
                rule: "must spike alike in two runs with the same seed".into(),
            });
        }
    }
    for (va, vb) in a.state_vars().iter().zip(b.state_vars()) {
        if let Some(k) = (0..va.raw.len()).find(|&k| va.raw[k].to_bits() != vb.raw[k].to_bits()) {
            return Err(Violation {
                model: a.model_name().to_string(),
                step: steps,
                var: va.name.to_string(),
                element: k,
                value: format!(
                    "{} in one run, {} in the other",
                    shown(va, va.raw[k]),
                    shown(&vb, vb.raw[k])
                ),
                rule: "must end alike in two runs with the same seed".into(),
            });
        }
    }
    Ok(())
}

/// The observed order of convergence of a model's integrator: the model built by `build`
/// for each time step `dt`, `dt/2`, `dt/4` and a reference at `dt/64` is run over
/// `duration` with a constant input, and the order is log₂ of the ratio of successive errors
/// of state variable `var` of element 0 (run below threshold: a spike is a discontinuity).
/// Exponential Euler gives about 1, RK2 about 2, RK4 about 4.
pub fn convergence_order<N: Neuron>(
    build: impl Fn() -> N,
    input: N::Input,
    var: &str,
    dt: Time,
    duration: Time,
) -> Result<f64, Violation> {
    let end_value = |h: Time| -> Result<f64, Violation> {
        let dt = TimeStep::new(h).map_err(|e| Violation {
            model: "?".into(),
            step: 0,
            var: "dt".into(),
            element: 0,
            value: e.value.clone(),
            rule: e.allowed.clone(),
        })?;
        let steps = (wide(duration.value) / wide(h.value)).round() as u64;
        let mut m = build();
        spike_count(&mut m, input, dt, steps);
        let vars = m.state_vars();
        let v = vars
            .iter()
            .find(|v| v.name == var)
            .ok_or_else(|| Violation {
                model: m.model_name().to_string(),
                step: 0,
                var: var.to_string(),
                element: 0,
                value: "(absent)".into(),
                rule: "is not a state variable".into(),
            })?;
        Ok(wide(v.raw[0]))
    };
    let reference = end_value(dt / 64.0)?;
    let errors: Vec<f64> = [1.0, 2.0, 4.0]
        .iter()
        .map(|&k| end_value(dt / k).map(|x| (x - reference).abs()))
        .collect::<Result<_, _>>()?;
    Ok(((errors[0] / errors[1]).log2() + (errors[1] / errors[2]).log2()) / 2.0)
}

#[cfg(feature = "proptest")]
pub use search::{CounterExample, find_counterexample};

#[cfg(feature = "proptest")]
mod search {
    use super::Violation;
    use crate::constraint::ConstrainedParams;
    use proptest::strategy::Strategy;
    use proptest::test_runner::{
        Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
    };

    /// The smallest failing parameter set found, and what failed.
    #[derive(Clone, Debug)]
    pub struct CounterExample<P> {
        /// The parameter set, shrunk by proptest, then every parameter that does not matter
        /// put back to its default.
        pub params: P,
        /// The parameters that differ from their defaults: `(keyword, value with unit)`.
        pub culprits: Vec<(&'static str, String)>,
        /// What failed, for this set.
        pub violation: Violation,
    }

    impl<P: core::fmt::Debug> core::fmt::Display for CounterExample<P> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            let named: Vec<String> = self
                .culprits
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            write!(f, "{}\n  when {}", self.violation, named.join(", "))?;
            write!(f, "\n  (the whole set: {:?})", self.params)
        }
    }

    /// Runs `check` on `cases` parameter sets drawn by `strategy` (a fixed seed: the same
    /// sets every run), and returns the counter-example found, if any (boxed: it holds a
    /// whole parameter set).
    ///
    /// # Panics
    ///
    /// When the strategy cannot draw `cases` sets: a `prop_filter` that almost never passes
    /// is a mistake in the test, reported as proptest reports it. On a failure, proptest shrinks the set; then each parameter that is
    /// not needed for the failure is put back to its default, so that what is left names the
    /// parameters that matter.
    pub fn find_counterexample<P, S>(
        strategy: S,
        cases: u32,
        check: impl Fn(&P) -> Result<(), Violation>,
    ) -> Result<(), Box<CounterExample<P>>>
    where
        P: ConstrainedParams + 'static,
        S: Strategy<Value = P>,
    {
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let outcome = runner.run(&strategy, |p| {
            check(&p).map_err(|v| TestCaseError::fail(v.to_string()))
        });
        let mut params = match outcome {
            Ok(()) => return Ok(()),
            Err(TestError::Fail(_, p)) => p,
            Err(TestError::Abort(why)) => {
                panic!("the strategy could not draw enough parameter sets: {why}")
            }
        };
        // put back every parameter that is not needed for the failure
        for (field, _, _) in P::CONSTRAINTS {
            let mut tried = params.clone();
            tried.set_default(field);
            let valid = tried.check_constraints("", 1).is_ok();
            if tried != params && valid && check(&tried).is_err() {
                params = tried;
            }
        }
        let violation = check(&params).expect_err("the shrunk set fails");
        let defaults = P::default();
        let culprits = P::CONSTRAINTS
            .iter()
            .filter(|(f, _, _)| params.shown(f) != defaults.shown(f))
            .map(|(f, k, _)| (*k, params.shown(f)))
            .collect();
        Err(Box::new(CounterExample {
            params,
            culprits,
            violation,
        }))
    }
}
