//! Blow-up detection. An unstable integration (a time step too long for the model, an input
//! far too strong) makes states NaN or infinite, and the run would go on producing nonsense;
//! BrainPy and Brian2 say nothing. A neurotype run stops instead, with
//! [`NetworkError::Diverged`] naming the population, element, variable, value and step. The
//! check is a vectorised pass over every state (neurons, synapse groups, presynaptic
//! synapses) every [`DEFAULT_EVERY`] steps and at the end of each run, in integer tests of
//! the numbers' bits that vectorise. At N = 4000 it costs 0 % of COBA's run time and 2 % of
//! CUBA's, within the machine's noise (best of 10 alternating runs with and without,
//! `NEUROTYPE_CHECK_EVERY=0 neurotype-bench cuba 4000 2`); in floating-point chains, as it
//! was, it took about 3 % of CUBA's.
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

/// Whether every number is finite: a number is not when its exponent bits are all ones (the
/// exponent bits of +∞). One pass of integer tests that cannot stop early, so the compiler
/// vectorises it for the processor's widest vectors (a floating-point sum of `0·x` cannot be
/// reordered, and took four dependent chains).
fn all_finite(raw: &[Real]) -> bool {
    let exponent = Real::INFINITY.to_bits();
    !neurotype_models::isa::dispatch(
        #[inline(always)]
        || {
            raw.iter()
                .fold(false, |bad, x| bad | (x.to_bits() & exponent == exponent))
        },
    )
}

/// The largest `|x|` of finite numbers (0 for none): the bits of a finite `|x|` (the sign bit
/// cleared) order as the numbers do, and an integer maximum vectorises, where the
/// floating-point one is a chain (its NaN rule keeps it in order).
fn max_abs(raw: &[Real]) -> Real {
    let magnitude = !(-0.0 as Real).to_bits();
    Real::from_bits(neurotype_models::isa::dispatch(
        #[inline(always)]
        || raw.iter().fold(0, |m, x| m.max(x.to_bits() & magnitude)),
    ))
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
            let max = max_abs(var.raw);
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

    /// The integer maximum of the magnitudes is the floating-point one, for every finite
    /// number (negative, zero of both signs, subnormal, the largest), at every length.
    #[test]
    fn max_abs_is_the_largest_magnitude() {
        let values = [
            0.0,
            -0.0,
            -3.5,
            2.25,
            Real::MIN_POSITIVE / 8.0,
            -Real::MIN_POSITIVE,
            1e-300 as Real,
            -Real::MAX,
            Real::MAX / 3.0,
            -65.0,
            64.999,
        ];
        assert_eq!(max_abs(&[]), 0.0);
        for n in 1..=values.len() {
            for start in 0..values.len() {
                let x: Vec<Real> = (0..n).map(|i| values[(start + i) % values.len()]).collect();
                let expected = x.iter().fold(0.0, |m: Real, v| m.max(v.abs()));
                assert_eq!(max_abs(&x).to_bits(), expected.to_bits(), "{x:?}");
            }
        }
    }
}
