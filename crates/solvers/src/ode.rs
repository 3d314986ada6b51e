//! The one trait a model implements: a typed state with a right-hand side.

use crate::state::{RateOf, SlopeOf, State};
use core::marker::PhantomData;
use neurotype_units::Time;

/// An ordinary differential equation dx/dt = f(t, x) over a typed state.
///
/// ```
/// use neurotype_units::prelude::*;
/// use neurotype_solvers::{Ode, State};
///
/// /// Leaky membrane: dV/dt = (V_rest − V + R·I)/τ.
/// struct Membrane { v_rest: ElectricPotential, r: ElectricalResistance, i: ElectricCurrent, tau: Time }
///
/// impl Ode for Membrane {
///     type State = ElectricPotential;
///     fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
///         (self.v_rest - *v + self.r * self.i) / self.tau
///     }
/// }
/// ```
/// Returning anything but a voltage per time from `rhs` is a compile error: the return type
/// is derived from the state's unit.
pub trait Ode {
    /// The state vector (a quantity, or a tuple/array of them).
    type State: State;

    /// dx/dt at time `t` and state `x`.
    fn rhs(&self, t: Time, x: &Self::State) -> RateOf<Self::State>;
}

/// An ODE that also knows the diagonal of its Jacobian, ∂fᵢ/∂xᵢ, exactly. Exponential Euler
/// needs it; it is never estimated by finite differences.
pub trait Linearised: Ode {
    /// ∂fᵢ/∂xᵢ at `(t, x)`; each entry has type 1/time.
    fn slope(&self, t: Time, x: &Self::State) -> SlopeOf<Self::State>;

    /// `rhs` and `slope` together; override when they share work.
    #[inline(always)]
    fn rhs_and_slope(
        &self,
        t: Time,
        x: &Self::State,
    ) -> (RateOf<Self::State>, SlopeOf<Self::State>) {
        (self.rhs(t, x), self.slope(t, x))
    }
}

/// An [`Ode`] made from a closure `|t, x| dx/dt`.
pub struct FnOde<S, F> {
    f: F,
    _state: PhantomData<fn(S)>,
}

/// Wraps a closure as an [`Ode`].
pub fn ode<S: State, F: Fn(Time, &S) -> RateOf<S>>(f: F) -> FnOde<S, F> {
    FnOde {
        f,
        _state: PhantomData,
    }
}

impl<S: State, F: Fn(Time, &S) -> RateOf<S>> Ode for FnOde<S, F> {
    type State = S;
    #[inline(always)]
    fn rhs(&self, t: Time, x: &S) -> RateOf<S> {
        (self.f)(t, x)
    }
}

/// A [`Linearised`] ODE made from two closures: the right-hand side and its exact diagonal
/// Jacobian.
pub struct FnLinearised<S, F, J> {
    f: F,
    j: J,
    _state: PhantomData<fn(S)>,
}

/// Wraps a right-hand side and its Jacobian diagonal as a [`Linearised`] ODE.
pub fn linearised<S, F, J>(f: F, j: J) -> FnLinearised<S, F, J>
where
    S: State,
    F: Fn(Time, &S) -> RateOf<S>,
    J: Fn(Time, &S) -> SlopeOf<S>,
{
    FnLinearised {
        f,
        j,
        _state: PhantomData,
    }
}

impl<S, F, J> Ode for FnLinearised<S, F, J>
where
    S: State,
    F: Fn(Time, &S) -> RateOf<S>,
    J: Fn(Time, &S) -> SlopeOf<S>,
{
    type State = S;
    #[inline(always)]
    fn rhs(&self, t: Time, x: &S) -> RateOf<S> {
        (self.f)(t, x)
    }
}

impl<S, F, J> Linearised for FnLinearised<S, F, J>
where
    S: State,
    F: Fn(Time, &S) -> RateOf<S>,
    J: Fn(Time, &S) -> SlopeOf<S>,
{
    #[inline(always)]
    fn slope(&self, t: Time, x: &S) -> SlopeOf<S> {
        (self.j)(t, x)
    }
}
