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

/// Whether exponential Euler resolves an exponential integrate-and-fire model's dynamics below
/// threshold at step `dt`: the linearised rate at V_th, λ = (exp((V_th − V_T)/Δ_T) − 1)/τ, at
/// most 1/dt. Integration starts at or below V_th, and exponential Euler multiplies a step's
/// drive by up to exp(λ·dt): with λ·dt in the tens one step overshoots by tens of orders of
/// magnitude (AdEx's w, integrated from the new V, carries it into the next step), and with
/// λ·dt in the hundreds exp(λ·dt) overflows; V becomes infinite, as in BrainPy. A relation
/// between four parameters and dt, which no `where` can state and no builder can refuse (it
/// depends on dt), so property tests filter drawn sets with it.
pub fn exp_euler_resolves_threshold(
    v_th: neurotype_units::ElectricPotential,
    v_t: neurotype_units::ElectricPotential,
    delta_t: neurotype_units::ElectricPotential,
    tau: neurotype_units::Time,
    dt: neurotype_units::Time,
) -> bool {
    let slope_factors = ((v_th - v_t) / delta_t).value;
    slope_factors.exp_m1() * (dt / tau).value <= 1.0
}
