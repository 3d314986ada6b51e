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
//! or [`EventSynapse`](neurotype_models::synapses::EventSynapse).
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

pub use neurotype_macros::{neuron, synapse};

/// Support for the code the macros generate. Not part of the API; may change at any time.
#[doc(hidden)]
pub mod __rt {
    pub use neurotype_models::drive::{ExpChannel, FusedChannels};
    pub use neurotype_models::kernel::for_each_element;
    pub use neurotype_models::param::check_below;
    pub use neurotype_models::rng;
    pub use neurotype_models::synapses::outputs::Affine;
    pub use neurotype_models::synapses::{EventSynapse, IncrementSynapse};
    pub use neurotype_models::{
        Column, Drive, Init, ModelBuilder, Neuron, Param, StateVar, StateVarMut, StepCtx,
    };
    pub use neurotype_solvers::{
        Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Rk4, State,
        TimeStep,
    };
    pub use neurotype_units::math::ratio;
    pub use neurotype_units::{InvalidParameter, Ratio, Raw, Time, Unitful, check};

    use neurotype_models::Neuron as N_;

    /// BrainPy's initial `last_spike_time` (ms): far in the past.
    pub const NEVER: f64 = neurotype_models::refractory::NEVER;

    /// Where a generated neuron reads its input `I(V)` and `−dI/dV`.
    pub trait InputAt<N: N_> {
        /// The input of element `k` at potential `v` and its negative slope.
        fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance);
    }

    /// An [`InputAt`] built from a drive (and the synaptic channels lent to the population
    /// for this step) for `n` elements.
    pub trait InputSource<'d, N: N_>: InputAt<N> + Sized {
        /// Views `drive` and `channels` for a population of `n`.
        fn new(drive: &'d Drive<N>, channels: &'d mut [ExpChannel<'_>], n: usize) -> Self;

        /// Called once per element, before any `input_at(k, ..)` of that element.
        #[inline(always)]
        fn begin(&mut self, _k: usize) {}

        /// The δ-input (jump) of element `k`, as a stored number.
        fn jump(&self, k: usize) -> f64;
    }

    /// The general input: [`Drive::input_at`], with every Mg²⁺-block term.
    pub struct DriveInput<'d, N: N_>(&'d Drive<N>);

    impl<N: N_> InputAt<N> for DriveInput<'_, N> {
        #[inline(always)]
        fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
            self.0.input_at(k, v)
        }
    }

    impl<'d, N: N_> InputSource<'d, N> for DriveInput<'d, N> {
        #[inline(always)]
        fn new(drive: &'d Drive<N>, _channels: &'d mut [ExpChannel<'_>], _n: usize) -> Self {
            DriveInput(drive)
        }

        #[inline(always)]
        fn jump(&self, k: usize) -> f64 {
            self.0.delta().raw()[k]
        }
    }

    /// The common input: affine in V (no Mg²⁺ block), read from raw columns sliced to the
    /// population size so that a loop over them has no bounds checks. Computes exactly what
    /// [`Drive::input_at`] computes when there is no Mg²⁺ block. With `QUIET` (nothing was
    /// written to the drive's columns this step: [`Drive::columns_clean`]) the columns are
    /// known to be zero and are not read; adding an exact zero changes no bit.
    pub struct AffineInput<'d, const QUIET: bool> {
        ext: &'d [f64],
        ext_uniform: f64,
        i_syn: &'d [f64],
        g_syn: &'d [f64],
        delta: &'d [f64],
    }

    impl<const QUIET: bool> AffineInput<'_, QUIET> {
        /// External input, synaptic current and conductance of element `k`.
        #[inline(always)]
        fn columns(&self, k: usize) -> (f64, f64, f64) {
            if QUIET {
                (0.0, 0.0, 0.0)
            } else {
                (self.ext[k], self.i_syn[k], self.g_syn[k])
            }
        }
    }

    impl<N: N_, const QUIET: bool> InputAt<N> for AffineInput<'_, QUIET> {
        #[inline(always)]
        fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
            let (ext, i_syn, g) = self.columns(k);
            (
                N::Input::from_raw((ext + self.ext_uniform) + (i_syn - g * v.raw())),
                N::Conductance::from_raw(g),
            )
        }
    }

    impl<'d, N: N_, const QUIET: bool> InputSource<'d, N> for AffineInput<'d, QUIET> {
        #[inline(always)]
        fn new(drive: &'d Drive<N>, _channels: &'d mut [ExpChannel<'_>], n: usize) -> Self {
            AffineInput {
                ext: &drive.ext().raw()[..n],
                ext_uniform: drive.ext_uniform(),
                i_syn: &drive.i_syn().raw()[..n],
                g_syn: &drive.g_syn().raw()[..n],
                delta: &drive.delta().raw()[..n],
            }
        }

        #[inline(always)]
        fn jump(&self, k: usize) -> f64 {
            if QUIET { 0.0 } else { self.delta[k] }
        }
    }

    /// [`AffineInput`] with `C` exponential synaptic channels advanced in the neuron's loop:
    /// at the start of each element its channels step and add their outputs to the synaptic
    /// columns, exactly as [`ExpChannel::apply`] followed by [`Drive::input_at`] would.
    pub struct FusedInput<'d, const C: usize, const QUIET: bool> {
        affine: AffineInput<'d, QUIET>,
        channels: FusedChannels<'d>,
        i_syn: f64,
        g_syn: f64,
    }

    impl<N: N_, const C: usize, const QUIET: bool> InputAt<N> for FusedInput<'_, C, QUIET> {
        #[inline(always)]
        fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
            let a = &self.affine;
            let (ext, _, _) = a.columns(k);
            (
                N::Input::from_raw((ext + a.ext_uniform) + (self.i_syn - self.g_syn * v.raw())),
                N::Conductance::from_raw(self.g_syn),
            )
        }
    }

    impl<'d, N: N_, const C: usize, const QUIET: bool> InputSource<'d, N> for FusedInput<'d, C, QUIET> {
        #[inline(always)]
        fn new(drive: &'d Drive<N>, channels: &'d mut [ExpChannel<'_>], n: usize) -> Self {
            FusedInput {
                affine: <AffineInput<'d, QUIET> as InputSource<'d, N>>::new(drive, &mut [], n),
                channels: FusedChannels::new::<C>(channels, n),
                i_syn: 0.0,
                g_syn: 0.0,
            }
        }

        #[inline(always)]
        fn begin(&mut self, k: usize) {
            let (_, i_syn, g_syn) = self.affine.columns(k);
            let (i, g) = self.channels.advance::<C>(k, i_syn, g_syn);
            self.i_syn = i;
            self.g_syn = g;
        }

        #[inline(always)]
        fn jump(&self, k: usize) -> f64 {
            <AffineInput<'d, QUIET> as InputSource<'d, N>>::jump(&self.affine, k)
        }
    }

    /// Whether a population of `n` can take `channels` in its own loop.
    pub fn fusable<N: N_>(drive: &Drive<N>, channels: &[ExpChannel<'_>], n: usize) -> bool {
        drive.mg_block().is_empty()
            && channels.len() <= 2
            && channels
                .iter()
                .all(|c| c.g.len() == n && c.pending.len() == n)
    }

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

    /// |a|, in a's unit.
    #[inline(always)]
    pub fn abs<Q: Raw>(a: Q) -> Q {
        Q::from_raw(a.raw().abs())
    }

    /// The functions of the generated derivative code, on stored numbers.
    pub mod raw {
        pub use neurotype_units::math::scalar::{
            cosh, exp, expm1, exprel, ln, sigmoid, sqrt, tanh,
        };

        /// sinh, the derivative of cosh.
        #[inline(always)]
        pub fn sinh(x: f64) -> f64 {
            x.sinh()
        }

        /// x^n.
        #[inline(always)]
        pub fn powi(x: f64, n: i32) -> f64 {
            x.powi(n)
        }

        /// As the typed [`super::min`].
        #[inline(always)]
        pub fn min(a: f64, b: f64) -> f64 {
            if a < b { a } else { b }
        }

        /// As the typed [`super::max`].
        #[inline(always)]
        pub fn max(a: f64, b: f64) -> f64 {
            if a > b { a } else { b }
        }

        /// |a|.
        #[inline(always)]
        pub fn abs(a: f64) -> f64 {
            a.abs()
        }

        /// d/dx exprel(x) = (eˣ − exprel(x))/x, with its Taylor series near 0 (where the
        /// difference cancels): Σ n·xⁿ⁻¹/(n+1)!.
        #[inline(always)]
        pub fn exprel_d(x: f64) -> f64 {
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

    /// Requires every value of `param` to be nonzero.
    pub fn check_nonzero<Q: Unitful>(
        param: &Param<Q>,
        owner: &str,
        name: &str,
    ) -> Result<(), InvalidParameter> {
        param.check_each(owner, name, |o, n, q| {
            if q.raw() != 0.0 {
                Ok(())
            } else {
                Err(InvalidParameter::new(
                    o,
                    n,
                    q.show().to_string(),
                    "must be nonzero",
                ))
            }
        })
    }

    /// Requires `low[i] op high[i]` for every element, where `op` is `"<"`, `"<="`, `">"` or
    /// `">="`; the error names both parameters, like [`check_below`].
    pub fn check_relation<Q: Unitful + PartialOrd>(
        owner: &str,
        name: &str,
        value: &Param<Q>,
        op: &str,
        other_name: &str,
        other: &Param<Q>,
        n: usize,
    ) -> Result<(), InvalidParameter> {
        let count = match (value, other) {
            (Param::Scalar(_), Param::Scalar(_)) => 1,
            _ => n,
        };
        for i in 0..count {
            let (a, b) = (value.at(i), other.at(i));
            let ok = match op {
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                _ => a >= b,
            };
            if !ok {
                let shown = if count == 1 {
                    name.to_string()
                } else {
                    format!("{name}[{i}]")
                };
                let relation = match op {
                    "<" => "below",
                    "<=" => "at most",
                    ">" => "above",
                    _ => "at least",
                };
                return Err(InvalidParameter::new(
                    owner,
                    shown,
                    a.show().to_string(),
                    format!("must be {relation} `{other_name}` = {}", b.show()),
                ));
            }
        }
        Ok(())
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
