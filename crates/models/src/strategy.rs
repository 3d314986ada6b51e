//! proptest strategies for models' parameters (cargo feature `proptest`), drawn from the
//! constraints the builders check ([`constraint`](crate::constraint)): a strategy never draws a
//! set its builder refuses, and each constraint's values just outside it are what the builder
//! refuses.
//!
//! Every parameter set of a built-in model or a DSL model has `strategy()`: each parameter
//! shared by the population and drawn around BrainPy's default within its constraints —
//!
//! - `> 0`: log-uniform from a tenth to ten times the default (0.5 to 50 ms for τ = 5 ms);
//! - `>= 0`: the same, or exactly 0 one time in eight;
//! - `!= 0`: the same magnitudes with either sign;
//! - `in [0, 1]`: uniform on [0, 1];
//! - no constraint: uniform within 2·(|default| + 1 unit) of the default, both signs
//!   (−197 to 67 mV around −65 mV);
//!
//! then kept only when the relations between parameters hold (`V_reset < V_th`).
//!
//! ```
//! use neurotype_models::neurons::LifParams;
//! use neurotype_models::prelude::*;
//! use proptest::prelude::*;
//!
//! proptest!(ProptestConfig::with_cases(16), |(p in LifParams::strategy())| {
//!     // every drawn set builds
//!     prop_assert!(Lif::builder(10).params(p).build().is_ok());
//! });
//! ```

pub use neurotype_units::strategy::*;
#[doc(hidden)]
pub use proptest;

use crate::constraint::{Constraint, scale_of};
use neurotype_units::{Real, Unitful};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// The stored numbers of one parameter with default `default` and these constraints (a
/// relation to another parameter is left to the set's filter).
pub fn raw_values<Q: Unitful>(default: Q, constraints: &[Constraint]) -> BoxedStrategy<Real> {
    let has = |c: Constraint| constraints.contains(&c);
    let (d, s) = (default.raw(), scale_of(default));
    let magnitudes = || log_uniform_raw(s / 10.0, s * 10.0);
    if has(Constraint::UnitInterval) {
        (0.0 as Real..=1.0).boxed()
    } else if has(Constraint::Positive) {
        magnitudes()
    } else if has(Constraint::NonNegative) {
        prop_oneof![1 => Just(0.0 as Real), 7 => magnitudes()].boxed()
    } else if has(Constraint::NonZero) {
        (any::<bool>(), magnitudes())
            .prop_map(|(negative, x)| if negative { -x } else { x })
            .boxed()
    } else {
        let unit = Q::FAMILY[Q::CANONICAL].1 as Real;
        let span = 2.0 * (d.abs() + unit);
        (d - span..=d + span).boxed()
    }
}
