//! # neurotype-dsl
//!
//! Write a neuron or a synapse as its equations, and let rustc check their units.
//!
//! [`neuron!`] and [`synapse!`] (from `neurotype-macros`, re-exported here and by
//! `neurotype::prelude`) turn a declaration that reads like the maths into a model with the
//! same interface as neurotype's built-in ones: a typed parameter set with defaults, a builder
//! whose `build()` returns the same [`InvalidParameter`](neurotype_units::InvalidParameter)
//! errors, state stored as typed columns, and an implementation of
//! [`Neuron`](neurotype_models::Neuron), [`IncrementSynapse`](neurotype_models::synapses::IncrementSynapse)
//! or [`EventSynapse`](neurotype_models::synapses::EventSynapse). A `synapse!` with `pre`,
//! `post` and `weight` is a spike-timing plasticity rule instead
//! ([`PlasticityRule`](neurotype_models::synapses::PlasticityRule)), and `method exact;` steps
//! linear equations by their propagator.
//!
//! Every right-hand side, threshold, reset and initial value is compiled as a typed `uom`
//! expression built from the modeller's own tokens, so a dimensionally wrong equation is a
//! compile error pointing at it. Exponential Euler uses the exact derivative of each equation
//! with respect to its own variable, obtained by symbolic differentiation inside the macro.
//!
//! The generated code refers to this crate as `::neurotype::dsl`, so a crate using the macros
//! depends on the `neurotype` facade. The book chapter "Writing your own model" describes the
//! grammar.
//!
//! Everything under [`__rt`] is support for the generated code, not API.
#![deny(missing_docs)]

pub use neurotype_macros::{neuron, synapse};

/// Support for the code the macros generate. Not part of the API; may change at any time.
#[doc(hidden)]
pub mod __rt {
    pub use neurotype_models::__constrained_params;
    pub use neurotype_models::column::StateColumns;
    pub use neurotype_models::drive::{Affine, Decay, ExpChannel, InputAt, NeuronUnits};
    pub use neurotype_models::isa;
    pub use neurotype_models::param::ParamSet;
    pub use neurotype_models::refractory::Refractory;
    pub use neurotype_models::rng;
    pub use neurotype_models::snapshot::{Snapshot, StateVisitor, visit_vars};
    pub use neurotype_models::state_columns;
    pub use neurotype_models::stepper::{Dynamics, NeuronCore};
    pub use neurotype_models::synapses::{EventSynapse, IncrementSynapse, PlasticityRule};
    pub use neurotype_models::{
        Column, Drive, Init, ModelBuilder, Neuron, Param, StateVar, StateVarMut, StepCtx,
    };
    pub use neurotype_solvers::{
        Euler, ExponentialEuler, FixedStep, Heun, Integrator, Linearised, Method, Midpoint, Ode,
        Propagator, RateOf, Rk4, SlopeOf, State, TimeStep,
    };
    pub use neurotype_units::math::ratio;
    pub use neurotype_units::{InvalidParameter, Ratio, Raw, Time, Unitful, check};

    /// The smaller of two quantities of one kind (`b` on ties).
    #[inline(always)]
    pub fn min<Q: PartialOrd>(a: Q, b: Q) -> Q {
        if a < b { a } else { b }
    }

    /// The larger of two quantities of one kind (`b` on ties).
    #[inline(always)]
    pub fn max<Q: PartialOrd>(a: Q, b: Q) -> Q {
        if a > b { a } else { b }
    }

    /// `x` kept within `[lo, hi]`: `lo` below it, `hi` above it. The steps of `f64::clamp`
    /// (so the same values, compiled to the same `max`/`min` instructions), without its panic
    /// when `lo > hi`.
    #[inline(always)]
    pub fn clip<Q: PartialOrd>(x: Q, lo: Q, hi: Q) -> Q {
        let mut v = x;
        if v < lo {
            v = lo;
        }
        if v > hi {
            v = hi;
        }
        v
    }

    /// |a|, in a's unit.
    #[inline(always)]
    pub fn abs<Q: Raw>(a: Q) -> Q {
        Q::from_raw(a.raw().abs())
    }

    /// The functions of the generated derivative code, on stored numbers.
    pub mod raw {
        use neurotype_units::Real;

        pub use neurotype_units::math::scalar::{
            cosh, exp, expm1, exprel, ln, sigmoid, sqrt, tanh,
        };

        /// sinh, the derivative of cosh.
        #[inline(always)]
        pub fn sinh(x: Real) -> Real {
            x.sinh()
        }

        /// x^n.
        #[inline(always)]
        pub fn powi(x: Real, n: i32) -> Real {
            x.powi(n)
        }

        /// x^p.
        #[inline(always)]
        pub fn powf(x: Real, p: Real) -> Real {
            x.powf(p)
        }

        /// As the typed [`super::min`].
        #[inline(always)]
        pub fn min(a: Real, b: Real) -> Real {
            if a < b { a } else { b }
        }

        /// As the typed [`super::max`].
        #[inline(always)]
        pub fn max(a: Real, b: Real) -> Real {
            if a > b { a } else { b }
        }

        /// |a|.
        #[inline(always)]
        pub fn abs(a: Real) -> Real {
            a.abs()
        }

        /// As the typed [`super::clip`].
        #[inline(always)]
        pub fn clip(x: Real, lo: Real, hi: Real) -> Real {
            super::clip(x, lo, hi)
        }

        /// d/dx exprel(x) = (eˣ − exprel(x))/x, with its Taylor series near 0 (where the
        /// difference cancels): Σ n·xⁿ⁻¹/(n+1)!.
        #[inline(always)]
        pub fn exprel_d(x: Real) -> Real {
            if x.abs() < 0.1 {
                // coefficients n/(n+1)! for n = 1..=10, Horner from the top
                let c = [
                    1.0 / 2.0,
                    2.0 / 6.0,
                    3.0 / 24.0,
                    4.0 / 120.0,
                    5.0 / 720.0,
                    6.0 / 5040.0,
                    7.0 / 40320.0,
                    8.0 / 362_880.0,
                    9.0 / 3_628_800.0,
                    10.0 / 39_916_800.0,
                ];
                let mut p = 0.0;
                for &ck in c.iter().rev() {
                    p = p * x + ck;
                }
                p
            } else {
                (x.exp() - exprel(x)) / x
            }
        }
    }

    /// The error for a keyword the model does not have.
    pub fn unknown_parameter(owner: &str, name: &str, known: &[&str]) -> InvalidParameter {
        InvalidParameter::new(
            owner,
            name,
            "(unknown)",
            format!("is not a parameter of {owner}; known: {}", known.join(", ")),
        )
    }

    /// Parses a parameter's text into a quantity, as an `InvalidParameter` on failure.
    pub fn parse_param<Q: Unitful>(
        owner: &str,
        name: &str,
        text: &str,
    ) -> Result<Q, InvalidParameter> {
        Q::parse(text).map_err(|e| InvalidParameter::new(owner, name, text, e.to_string()))
    }

    /// Parses an integrator name, naming `owner` in the error.
    pub fn parse_method(owner: &str, text: &str) -> Result<Method, InvalidParameter> {
        text.parse()
            .map_err(|e: InvalidParameter| InvalidParameter {
                owner: owner.into(),
                ..e
            })
    }

    /// Parses a seed.
    pub fn parse_seed(owner: &str, text: &str) -> Result<u64, InvalidParameter> {
        text.trim()
            .parse()
            .map_err(|_| InvalidParameter::new(owner, "seed", text, "must be a whole number"))
    }
}

#[cfg(test)]
mod tests {
    use super::__rt::raw;

    #[test]
    fn exprel_derivative_is_smooth_and_exact() {
        assert_eq!(raw::exprel_d(0.0), 0.5);
        for &x in &[
            -30.0, -3.0, -0.5, -0.1, -0.0999, -1e-3, 1e-9, 0.05, 0.0999, 0.1, 0.7, 4.0,
        ] {
            // central difference of exprel, only as a test oracle
            let h = 1e-5;
            let fd = (raw::exprel(x + h) - raw::exprel(x - h)) / (2.0 * h);
            assert!(
                (raw::exprel_d(x) - fd).abs() <= 1e-8 * fd.abs().max(1e-3),
                "x = {x}: {} vs {fd}",
                raw::exprel_d(x)
            );
        }
    }
}
