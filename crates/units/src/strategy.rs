//! [proptest](https://docs.rs/proptest) strategies for quantities (cargo feature `proptest`):
//! a property test draws typed values, so a drawn time can only go where a time belongs.
//!
//! ```
//! use neurotype_units::prelude::*;
//! use neurotype_units::strategy::{log_uniform, time, voltage};
//! use proptest::prelude::*;
//!
//! proptest!(|(tau in time(1.0 * ms..50.0 * ms), v in voltage(-80.0 * mV..-40.0 * mV),
//!             g in log_uniform(0.1 * nS, 100.0 * nS))| {
//!     prop_assert!(tau > 0.0 * ms && v < -39.0 * mV && g >= 0.1 * nS);
//! });
//! ```
//!
//! Values shrink towards the start of their range (a log-uniform one towards its low end).

use crate::system::*;
use crate::{Real, Unitful};
use core::ops::Range;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// Uniform on `[start, end)` for any quantity.
pub fn quantity<Q: Unitful + core::fmt::Debug + 'static>(range: Range<Q>) -> BoxedStrategy<Q> {
    let (a, b) = (range.start.raw(), range.end.raw());
    assert!(a < b, "an empty range of {}", Q::KIND);
    (a..b).prop_map(Q::from_raw).boxed()
}

/// Log-uniform on `[low, high]` (both > 0): as many values between 0.1 and 1 nS as between 10
/// and 100 nS, the right prior for rates, conductances and time constants.
pub fn log_uniform<Q: Unitful + core::fmt::Debug + 'static>(low: Q, high: Q) -> BoxedStrategy<Q> {
    log_uniform_raw(low.raw(), high.raw())
        .prop_map(Q::from_raw)
        .boxed()
}

/// Log-uniform stored numbers on `[low, high]` (both > 0).
pub fn log_uniform_raw(low: Real, high: Real) -> BoxedStrategy<Real> {
    assert!(
        low > 0.0 && high >= low && high.is_finite(),
        "a log-uniform range needs 0 < low <= high"
    );
    if high == low {
        return Just(low).boxed();
    }
    (low.ln()..=high.ln())
        .prop_map(move |x| x.exp().clamp(low, high))
        .boxed()
}

/// Uniform times: `time(0.1 * ms..100.0 * ms)`.
pub fn time(range: Range<Time>) -> BoxedStrategy<Time> {
    quantity(range)
}

/// Uniform potentials: `voltage(-80.0 * mV..-40.0 * mV)`.
pub fn voltage(range: Range<ElectricPotential>) -> BoxedStrategy<ElectricPotential> {
    quantity(range)
}

/// Uniform currents: `current(0.0 * nA..1.0 * nA)`.
pub fn current(range: Range<ElectricCurrent>) -> BoxedStrategy<ElectricCurrent> {
    quantity(range)
}

/// Log-uniform conductances: `conductance(0.1 * nS, 100.0 * nS)`.
pub fn conductance(
    low: ElectricalConductance,
    high: ElectricalConductance,
) -> BoxedStrategy<ElectricalConductance> {
    log_uniform(low, high)
}

/// Log-uniform rates: `rate(1.0 * Hz, 100.0 * Hz)`.
pub fn rate(low: Frequency, high: Frequency) -> BoxedStrategy<Frequency> {
    log_uniform(low, high)
}

/// Uniform dimensionless numbers, e.g. probabilities: `dimensionless(0.0..1.0)` (not called
/// `ratio`, which makes a dimensionless number from a float).
pub fn dimensionless(range: Range<f64>) -> BoxedStrategy<Ratio> {
    let (a, b) = (crate::narrow(range.start), crate::narrow(range.end));
    quantity(crate::math::ratio(a)..crate::math::ratio(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    proptest! {
        #[test]
        fn values_stay_in_their_ranges(
            t in time(0.1 * ms..100.0 * ms),
            g in conductance(0.1 * nS, 100.0 * nS),
            f in rate(1.0 * Hz, 1.0 * kHz),
            p in dimensionless(0.0..1.0),
        ) {
            prop_assert!(t >= 0.1 * ms && t < 100.0 * ms);
            prop_assert!(g >= 0.1 * nS && g <= 100.0 * nS);
            prop_assert!(f >= 1.0 * Hz && f <= 1.0 * kHz);
            prop_assert!((0.0..1.0).contains(&p.value));
        }
    }
}
