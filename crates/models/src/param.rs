//! Parameters that are one value for a whole population or one value per element.

use crate::constraint::Constraint;
use crate::rng::Rng;
use neurotype_units::Real;
use neurotype_units::{InvalidParameter, Unitful, check};
use rand_distr::{Distribution, Normal, Uniform};
use std::sync::Arc;

/// The fewest bytes a neuron takes in a network (its potential, its input, its spike flag and
/// its place in a spike list, rounded up): what a population's size is checked against,
/// before anything is allocated, so that one far too large is a typed error.
pub const MIN_BYTES_PER_ELEMENT: f64 = 24.0;

/// A model parameter: shared by all elements, or one value each.
///
/// Anything that converts into a `Param` is accepted by builders: a quantity (`5.0 * ms`), a
/// `Vec` of quantities, or a slice.
#[derive(Clone, Debug, PartialEq)]
pub enum Param<Q> {
    /// One value for every element.
    Scalar(Q),
    /// One value per element (length checked when the model is built).
    PerElement(Vec<Q>),
}

impl<Q: Copy> Param<Q> {
    /// The value for element `i`.
    #[inline(always)]
    pub fn at(&self, i: usize) -> Q {
        match self {
            Param::Scalar(q) => *q,
            Param::PerElement(v) => v[i],
        }
    }

    /// The shared value, if there is one.
    #[inline(always)]
    pub fn scalar(&self) -> Option<Q> {
        match self {
            Param::Scalar(q) => Some(*q),
            Param::PerElement(_) => None,
        }
    }

    /// The value with its unit (`10 ms`), or the values of a per-element parameter.
    pub fn shown(&self) -> String
    where
        Q: Unitful,
    {
        match self {
            Param::Scalar(q) => q.show().to_string(),
            Param::PerElement(v) => {
                let all: Vec<String> = v.iter().take(4).map(|q| q.show().to_string()).collect();
                let more = if v.len() > 4 { ", …" } else { "" };
                format!("[{}{more}] ({} values)", all.join(", "), v.len())
            }
        }
    }

    /// Every value (one for a scalar).
    pub fn values(&self) -> &[Q] {
        match self {
            Param::Scalar(q) => core::slice::from_ref(q),
            Param::PerElement(v) => v,
        }
    }
}

impl<Q: Unitful> Param<Q> {
    /// Checks the length against the population size and that every value is finite.
    pub fn check_shape(&self, owner: &str, name: &str, n: usize) -> Result<(), InvalidParameter> {
        if let Param::PerElement(v) = self {
            check::length(owner, name, v.len(), n)?;
        }
        self.check_each(owner, name, |owner, name, q| {
            check::finite(owner, name, q).map(|_| ())
        })
    }

    /// Applies a check to every value, naming element `k` as `name[k]` when per element.
    pub fn check_each(
        &self,
        owner: &str,
        name: &str,
        f: impl Fn(&str, &str, Q) -> Result<(), InvalidParameter>,
    ) -> Result<(), InvalidParameter> {
        match self {
            Param::Scalar(q) => f(owner, name, *q),
            Param::PerElement(v) => {
                for (k, q) in v.iter().enumerate() {
                    f(owner, &format!("{name}[{k}]"), *q)?;
                }
                Ok(())
            }
        }
    }

    /// Requires every value to be finite and > 0 ([`Constraint::Positive`]).
    pub fn check_positive(&self, owner: &str, name: &str) -> Result<(), InvalidParameter> {
        Constraint::Positive.check(self, owner, name)
    }

    /// Requires every value to be finite and ≥ 0 ([`Constraint::NonNegative`]).
    pub fn check_non_negative(&self, owner: &str, name: &str) -> Result<(), InvalidParameter> {
        Constraint::NonNegative.check(self, owner, name)
    }
}

impl<Q> From<Q> for Param<Q> {
    fn from(q: Q) -> Self {
        Param::Scalar(q)
    }
}

impl<Q> From<Vec<Q>> for Param<Q> {
    fn from(v: Vec<Q>) -> Self {
        Param::PerElement(v)
    }
}

impl<Q: Clone> From<&[Q]> for Param<Q> {
    fn from(v: &[Q]) -> Self {
        Param::PerElement(v.to_vec())
    }
}

/// How a state variable is initialised: BrainPy's `braintools.init` initialisers.
#[derive(Clone)]
pub enum Init<Q> {
    /// The same value everywhere (`Constant`).
    Constant(Q),
    /// Uniform on `[low, high)` (`Uniform`).
    Uniform(Q, Q),
    /// Normal with mean and standard deviation (`Normal`).
    Normal(Q, Q),
    /// Explicit per-element values.
    Values(Vec<Q>),
    /// A closure of the element index.
    Func(Arc<dyn Fn(usize) -> Q + Send + Sync>),
}

/// Two initialisers are equal when they draw the same values: same variant and parameters; a
/// closure equals only itself (the same `Arc`), as BrainPy compares describers' arguments.
impl<Q: PartialEq> PartialEq for Init<Q> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Init::Constant(a), Init::Constant(b)) => a == b,
            (Init::Uniform(a, b), Init::Uniform(c, d))
            | (Init::Normal(a, b), Init::Normal(c, d)) => a == c && b == d,
            (Init::Values(a), Init::Values(b)) => a == b,
            (Init::Func(a), Init::Func(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<Q: core::fmt::Debug> core::fmt::Debug for Init<Q> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Init::Constant(q) => write!(f, "Constant({q:?})"),
            Init::Uniform(a, b) => write!(f, "Uniform({a:?}, {b:?})"),
            Init::Normal(m, s) => write!(f, "Normal({m:?}, {s:?})"),
            Init::Values(v) => write!(f, "Values(len {})", v.len()),
            Init::Func(_) => write!(f, "Func(..)"),
        }
    }
}

impl<Q> Init<Q> {
    /// A constant.
    pub fn constant(q: Q) -> Self {
        Init::Constant(q)
    }
    /// Uniform on `[low, high)`.
    pub fn uniform(low: Q, high: Q) -> Self {
        Init::Uniform(low, high)
    }
    /// Normal(mean, std).
    pub fn normal(mean: Q, std: Q) -> Self {
        Init::Normal(mean, std)
    }
    /// Per-element values.
    pub fn values(v: Vec<Q>) -> Self {
        Init::Values(v)
    }
    /// A function of the element index.
    pub fn func(f: impl Fn(usize) -> Q + Send + Sync + 'static) -> Self {
        Init::Func(Arc::new(f))
    }
}

impl<Q> From<Q> for Init<Q> {
    fn from(q: Q) -> Self {
        Init::Constant(q)
    }
}

impl<Q: Unitful + PartialOrd> Init<Q> {
    /// Checks the initialiser for `n` elements without drawing.
    pub fn check(&self, owner: &str, name: &str, n: usize) -> Result<(), InvalidParameter> {
        match self {
            Init::Constant(q) => check::finite(owner, name, *q).map(|_| ()),
            Init::Uniform(lo, hi) => {
                check::finite(owner, name, *lo)?;
                check::finite(owner, name, *hi)?;
                check::less_than(owner, &format!("{name} (uniform low)"), *lo, "high", *hi)?;
                check::finite_span(owner, name, *lo, *hi)
            }
            Init::Normal(m, s) => {
                check::finite(owner, name, *m)?;
                let std = format!("{name} (normal std)");
                check::non_negative(owner, &std, *s)?;
                // every draw (|z| < 40 in practice) must be a finite number
                if (m.raw().abs() + 40.0 * s.raw()).is_finite() {
                    Ok(())
                } else {
                    Err(InvalidParameter::new(
                        owner,
                        std,
                        s.show().to_string(),
                        "must be small enough that mean ± 40·std is finite",
                    ))
                }
            }
            Init::Values(v) => {
                if v.len() != n {
                    return Err(InvalidParameter::new(
                        owner,
                        name,
                        format!("{} values", v.len()),
                        format!("must hold one value per element ({n})"),
                    ));
                }
                for (k, q) in v.iter().enumerate() {
                    check::finite(owner, &format!("{name}[{k}]"), *q)?;
                }
                Ok(())
            }
            // a function is checked on every element it will give
            Init::Func(f) => (0..n)
                .try_for_each(|k| check::finite(owner, &format!("{name}[{k}]"), f(k)).map(|_| ())),
        }
    }

    /// Draws `n` values (random initialisers use `rng`).
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Vec<Real> {
        match self {
            Init::Constant(q) => vec![q.raw(); n],
            Init::Uniform(lo, hi) => {
                let d = Uniform::new(lo.raw(), hi.raw()).expect("checked: low < high");
                (0..n).map(|_| d.sample(rng)).collect()
            }
            Init::Normal(m, s) => {
                let d = Normal::new(m.raw(), s.raw()).expect("checked: std >= 0");
                (0..n).map(|_| d.sample(rng)).collect()
            }
            Init::Values(v) => v.iter().map(|q| q.raw()).collect(),
            Init::Func(f) => (0..n).map(|i| f(i).raw()).collect(),
        }
    }
}

/// A model's parameter set as the stepper reads it: one value of `P` (the parameters of one
/// element) shared by every element, or gathered per element.
pub trait ParamSet<P: Copy> {
    /// The shared parameters, when no parameter differs between elements.
    fn uniform(&self) -> Option<P>;
    /// The parameters of element `i`.
    fn at(&self, i: usize) -> P;
}
