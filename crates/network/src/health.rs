//! Blow-up detection. An unstable integration (a time step too long for the model, an input
//! far too strong) makes states NaN or infinite, and the run would go on producing nonsense;
//! BrainPy and Brian2 say nothing. A neurotype run stops instead, with
//! [`NetworkError::Diverged`] naming the population, element, variable, value and step. The
//! check is a vectorised pass over every state (neurons, synapse groups, presynaptic
//! synapses) every [`DEFAULT_EVERY`] steps and at the end of each run. On COBA (N = 4000) it
//! costs 0.8 % of the run time, within the machine's noise (10 paired runs with and without,
//! `NEUROTYPE_CHECK_EVERY=0 neurotype-bench coba 4000 2`).
//!
//! A membrane potential beyond a plausible bound (default ±[`DEFAULT_BOUND_MV`] mV) is not an
//! error, since a model may use unusual units or offsets, but it is reported once per
//! population and variable as a [`Warning`] ([`Network::warnings`](crate::Network::warnings)),
//! also printed to standard error.

use crate::error::NetworkError;
use neurotype_models::StateVar;
use neurotype_units::Real;
use neurotype_units::{ElectricPotential, Raw, Unitful};

/// Steps between two checks by default.
pub const DEFAULT_EVERY: u64 = 100;

/// The default bound on |V|, in mV.
pub const DEFAULT_BOUND_MV: f64 = 1000.0;

/// A physically implausible value, found while a run went on.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The population.
    pub population: String,
    /// The variable.
    pub variable: String,
    /// The element (neuron) index.
    pub element: usize,
    /// Its value, with its unit.
    pub value: String,
    /// The step at which it was seen.
    pub step: u64,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "warning: {}: `{}` of element {} is {} at step {}, beyond any physiological value \
             (the run goes on; Network::set_potential_bound changes the bound)",
            self.population, self.variable, self.element, self.value, self.step
        )
    }
}

/// The checks' settings and what they have found.
#[derive(Debug, Clone)]
pub(crate) struct Health {
    /// Steps between checks (0: never).
    pub(crate) every: u64,
    /// The bound on |V| (stored number), if any.
    pub(crate) bound: Option<Real>,
    pub(crate) warnings: Vec<Warning>,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            every: DEFAULT_EVERY,
            bound: Some(
                neurotype_units::narrow(DEFAULT_BOUND_MV) * neurotype_units::constants::mV.raw(),
            ),
            warnings: Vec::new(),
        }
    }
}

/// Whether every number is finite: one pass that cannot stop early, so it vectorises
/// (0·x is 0 for a finite x and NaN otherwise).
fn all_finite(raw: &[Real]) -> bool {
    let mut acc: [Real; 4] = [0.0; 4];
    let mut chunks = raw.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            acc[k] += c[k] * 0.0;
        }
    }
    let tail: Real = chunks.remainder().iter().map(|x| x * 0.0).sum();
    (acc[0] + acc[1] + acc[2] + acc[3] + tail).is_finite()
}

impl Health {
    /// Checks the variables `vars` of `owner` (a population, a synapse group of one, a
    /// projection's synapses), found at step `step`.
    pub(crate) fn check(
        &mut self,
        owner: &dyn Fn() -> String,
        vars: &[StateVar<'_>],
        step: u64,
        t: &dyn Fn() -> String,
    ) -> Result<(), NetworkError> {
        for var in vars {
            if !all_finite(var.raw) {
                let (element, &value) = var
                    .raw
                    .iter()
                    .enumerate()
                    .find(|(_, x)| !x.is_finite())
                    .expect("a number that is not finite");
                return Err(NetworkError::Diverged {
                    owner: owner(),
                    variable: var.name.to_string(),
                    element,
                    value: neurotype_units::wide(value),
                    step,
                    time: t(),
                });
            }
            let Some(bound) = self.bound else { continue };
            if var.unit != ElectricPotential::canonical_symbol() {
                continue;
            }
            let max = var.raw.iter().fold(0.0, |m: Real, x| m.max(x.abs()));
            if max > bound {
                let owner = owner();
                let seen = self
                    .warnings
                    .iter()
                    .any(|w| w.population == owner && w.variable == var.name);
                if !seen {
                    let element = var.raw.iter().position(|x| x.abs() == max).unwrap_or(0);
                    let value = var
                        .value_in(element, var.unit)
                        .map_or_else(|| max.to_string(), |x| format!("{x} {}", var.unit));
                    let w = Warning {
                        population: owner,
                        variable: var.name.to_string(),
                        element,
                        value,
                        step,
                    };
                    eprintln!("{w}");
                    self.warnings.push(w);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_finite_finds_any_nan_or_infinity() {
        for n in 0..11 {
            let mut x = vec![1.5; n];
            assert!(all_finite(&x));
            for k in 0..n {
                for bad in [Real::NAN, Real::INFINITY, Real::NEG_INFINITY] {
                    x[k] = bad;
                    assert!(!all_finite(&x), "n = {n}, k = {k}, {bad}");
                    x[k] = 1.5;
                }
            }
        }
        assert!(all_finite(&[
            Real::MAX,
            -Real::MAX,
            Real::MIN_POSITIVE / 2.0
        ]));
    }
}
