//! # neurotype-units
//!
//! Physical quantities for spiking-network models, with dimensions checked by the compiler and
//! no cost at run time.
//!
//! ```
//! use neurotype_units::prelude::*;
//!
//! let v_rest = -65.0 * mV;
//! let tau = 10.0 * ms;
//! let r = 10.0 * Mohm;
//! let i = 0.5 * nA;
//! let dv_dt = (v_rest - (-70.0 * mV) + r * i) / tau; // a voltage per time
//! let dt = 0.1 * ms;
//! let dv: ElectricPotential = dv_dt * dt;
//! assert!((dv - 0.1 * mV).abs() < 1e-12 * mV); // (5 mV + 5 mV) / 10 ms × 0.1 ms
//! // exp takes only a dimensionless ratio:
//! let decay = exp(-dt / tau);
//! assert!((decay.value - (-0.01f64).exp()).abs() < 1e-15);
//! ```
//!
//! Adding a voltage to a time, or taking `exp` of a voltage, does not compile. See the book's
//! "Units" chapter for how to read the resulting error messages.
#![deny(missing_docs)]

pub mod check;
pub mod constants;
pub mod decode;
pub mod dimension;
pub mod format;
pub mod math;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod system;

pub use check::InvalidParameter;
pub use format::{ParseQuantityError, Show, Unitful, parse_quantity};
pub use system::*;

/// The floating-point type every quantity stores: `f64`, or `f32` in a build with the cargo
/// feature `f32` (single precision throughout: state, weights and arithmetic, as BrainPy and
/// GeNN default to). Hot loops that work on raw columns are written over `Real`, so each
/// equation is written once for both.
#[cfg(not(feature = "f32"))]
pub type Real = f64;
/// The floating-point type every quantity stores (this build: `f32`, cargo feature `f32`).
#[cfg(feature = "f32")]
pub type Real = f32;

/// A stored number widened to `f64`, for code at the edges of a run that keeps double
/// precision whatever the build (formatting, parsing, statistics, files).
#[inline(always)]
#[allow(clippy::useless_conversion)]
pub fn wide(x: Real) -> f64 {
    f64::from(x)
}

/// An `f64` from the edges of a run (a parsed or computed value) as a stored number, rounded to
/// nearest in an `f32` build.
#[inline(always)]
#[allow(clippy::unnecessary_cast)]
pub fn narrow(x: f64) -> Real {
    x as Real
}

/// The bit pattern of a stored number, as a `u64` in either precision: for checking that two
/// runs agree bit for bit.
#[inline(always)]
#[allow(clippy::useless_conversion)]
pub fn bits(x: Real) -> u64 {
    u64::from(x.to_bits())
}

/// Access to the stored number ([`Real`]) of any quantity of this system, in neurotype's base units
/// (ms, mV, mS, µA, ...). For integrators' error norms, recording and hot loops that work on
/// raw columns; arithmetic that has a typed form should use it instead.
pub trait Raw: Copy {
    /// The stored number.
    fn raw(self) -> Real;
    /// A quantity from its stored number.
    fn from_raw(value: Real) -> Self;
}

impl<D: uom::si::Dimension + ?Sized> Raw for Quantity<D> {
    #[inline(always)]
    fn raw(self) -> Real {
        self.value
    }

    #[inline(always)]
    fn from_raw(value: Real) -> Self {
        Quantity {
            dimension: core::marker::PhantomData,
            units: core::marker::PhantomData,
            value,
        }
    }
}

/// `Self` is `T`. A generic impl states `Q: Same<N::Input>` in its where-clause instead of
/// writing `N::Input` in its header: a value of the wrong kind then fails a trait bound, which
/// the compiler reports with the trait's own message, rather than an equality of two lists of
/// type-level dimension exponents.
pub trait Same<T>: Sized {
    /// The value as `T`.
    fn same(self) -> T;
}

impl<T> Same<T> for T {
    #[inline(always)]
    fn same(self) -> T {
        self
    }
}

/// The value of `q` counted in `unit` (`in_units(20.0 * ms, second) == 0.02`), as an `f64`
/// whatever the build's precision: for printing, plotting and files.
#[inline(always)]
pub fn in_units<Q>(q: Q, unit: Q) -> f64
where
    Q: core::ops::Div<Q, Output = Ratio>,
{
    wide((q / unit).value)
}

/// Everything a model author needs: quantity types, unit constants, dimensionless maths,
/// display and parsing.
pub mod prelude {
    pub use crate::constants::*;
    pub use crate::format::{Show, Unitful};
    pub use crate::in_units;
    pub use crate::math::{cosh, exp, expm1, exprel, ln, powf, powi, ratio, sigmoid, sqrt, tanh};
    pub use crate::system::{
        Area, Capacitance, CapacitanceDensity, ConcentrationPerTime, ConcentrationRate,
        ConductanceDensity, ConductanceRate, CurrentDensity, CurrentRate, ElectricCharge,
        ElectricCurrent, ElectricPotential, ElectricalConductance, ElectricalResistance, Frequency,
        InverseVoltage, InverseVoltageTime, MolarConcentration, Rate, Ratio, Time, VoltageRate,
    };
    pub use crate::{InvalidParameter, Raw, Real, Same};
}
