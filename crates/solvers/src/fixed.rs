//! Fixed-step integrators: explicit Euler, Heun (RK2), midpoint, classical RK4 and
//! exponential Euler.

use crate::ode::{Linearised, Ode};
use crate::state::State;
use neurotype_units::Real;
use neurotype_units::check;
use neurotype_units::{InvalidParameter, Time};

/// A validated time step: finite and strictly positive.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct TimeStep(Time);

impl TimeStep {
    /// Accepts `dt` if it is finite and > 0.
    pub fn new(dt: Time) -> Result<Self, InvalidParameter> {
        check::positive("TimeStep", "dt", dt).map(TimeStep)
    }

    /// The step as a time.
    #[inline(always)]
    pub fn get(self) -> Time {
        self.0
    }

    /// The time of step `i`, `i · dt`, computed as one product (never accumulated), so that
    /// it equals BrainPy's and Brian2's `t_i` to the last bit.
    #[inline(always)]
    pub fn time_of(self, i: u64) -> Time {
        self.0 * (i as Real)
    }
}

/// One step of a fixed-step method.
pub trait Integrator<O: Ode> {
    /// Advances `x` from `t` to `t + dt`.
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State;
}

/// Name and convergence order of a method.
pub trait MethodInfo {
    /// Short name ("rk4").
    const NAME: &'static str;
    /// Global order of accuracy.
    const ORDER: u32;
}

/// Explicit (forward) Euler: `x + dt·f(t, x)`. Order 1.
#[derive(Debug, Clone, Copy, Default)]
pub struct Euler;

/// Heun's method, the trapezoidal RK2 (BrainPy's `ode_rk2_step`, Brian2's `rk2` is midpoint).
/// Order 2.
#[derive(Debug, Clone, Copy, Default)]
pub struct Heun;

/// The explicit midpoint method. Order 2.
#[derive(Debug, Clone, Copy, Default)]
pub struct Midpoint;

/// The classical fourth-order Runge-Kutta method. Order 4.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rk4;

/// Exponential Euler, BrainPy's integrator: each component advances by
/// `x + dt·exprel(dt·J)·f(x)` with `J = ∂f/∂x` exact at the current state.
/// Exact for equations linear in their own variable (decays, LIF with frozen input, gates with
/// frozen rates). Order 2 on a scalar autonomous equation (it is then the exponential
/// Rosenbrock-Euler method); order 1 in general (explicit time dependence, or coupling between
/// variables outside the Jacobian diagonal).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExponentialEuler;

impl MethodInfo for Euler {
    const NAME: &'static str = "euler";
    const ORDER: u32 = 1;
}
impl MethodInfo for Heun {
    const NAME: &'static str = "rk2";
    const ORDER: u32 = 2;
}
impl MethodInfo for Midpoint {
    const NAME: &'static str = "midpoint";
    const ORDER: u32 = 2;
}
impl MethodInfo for Rk4 {
    const NAME: &'static str = "rk4";
    const ORDER: u32 = 4;
}
impl MethodInfo for ExponentialEuler {
    const NAME: &'static str = "exp_euler";
    const ORDER: u32 = 1;
}

impl<O: Ode> Integrator<O> for Euler {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        x.advance(dt.get(), &ode.rhs(t, x))
    }
}

impl<O: Ode> Integrator<O> for Heun {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        let h = dt.get();
        let k1 = ode.rhs(t, x);
        let k2 = ode.rhs(t + h, &x.advance(h, &k1));
        x.advance(h, &O::State::combine([0.5, 0.5], [&k1, &k2]))
    }
}

impl<O: Ode> Integrator<O> for Midpoint {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        let h = dt.get();
        let k1 = ode.rhs(t, x);
        let k2 = ode.rhs(t + 0.5 * h, &x.advance(0.5 * h, &k1));
        x.advance(h, &k2)
    }
}

impl<O: Ode> Integrator<O> for Rk4 {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        let h = dt.get();
        let half = 0.5 * h;
        let k1 = ode.rhs(t, x);
        let k2 = ode.rhs(t + half, &x.advance(half, &k1));
        let k3 = ode.rhs(t + half, &x.advance(half, &k2));
        let k4 = ode.rhs(t + h, &x.advance(h, &k3));
        let w = 1.0 / 6.0;
        x.advance(
            h,
            &O::State::combine([w, 2.0 * w, 2.0 * w, w], [&k1, &k2, &k3, &k4]),
        )
    }
}

impl<O: Linearised> Integrator<O> for ExponentialEuler {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        let (f, j) = ode.rhs_and_slope(t, x);
        x.exp_advance(dt.get(), &f, &j)
    }
}

/// A fixed-step method as a type, for population loops that are generic over their method:
/// the method is chosen once per step, outside the loop, and the loop is compiled for it.
pub trait FixedStep<S: State>: Copy {
    /// Which method this is.
    const KIND: Method;

    /// Advances `x` from `t` to `t + dt`.
    fn advance<O: Linearised<State = S>>(&self, ode: &O, t: Time, x: &S, dt: TimeStep) -> S;
}

macro_rules! fixed_step {
    ($($T:ident => $kind:ident),*) => {$(
        impl<S: State> FixedStep<S> for $T {
            const KIND: Method = Method::$kind;
            #[inline(always)]
            fn advance<O: Linearised<State = S>>(&self, ode: &O, t: Time, x: &S, dt: TimeStep) -> S {
                Integrator::step(self, ode, t, x, dt)
            }
        }
    )*};
}

fixed_step!(ExponentialEuler => ExponentialEuler, Euler => Euler, Heun => Rk2, Midpoint => Midpoint, Rk4 => Rk4);

/// Exponential Euler whose factors `dt·exprel(dt·J)` were computed once, for a Jacobian that
/// every state of a loop shares (a linear equation with shared parameters and no
/// conductance input): the same arithmetic as [`ExponentialEuler`] without one `exprel` per
/// state.
#[derive(Debug, Clone, Copy)]
pub struct SharedExponentialEuler<S: State> {
    /// `dt·exprel(dt·J)` per component.
    pub factors: S::Factors,
}

impl<S: State> SharedExponentialEuler<S> {
    /// The factors of the shared slope `j` for a step of `dt`.
    #[inline(always)]
    pub fn new(dt: TimeStep, j: &S::Slope) -> Self {
        Self {
            factors: S::exp_factors(dt.get(), j),
        }
    }
}

impl<S: State> FixedStep<S> for SharedExponentialEuler<S> {
    const KIND: Method = Method::ExponentialEuler;
    #[inline(always)]
    fn advance<O: Linearised<State = S>>(&self, ode: &O, t: Time, x: &S, _dt: TimeStep) -> S {
        x.advance_by(&self.factors, &ode.rhs(t, x))
    }
}

/// A method chosen at run time (per population). Dispatch happens once per call, outside any
/// per-neuron loop that is generic over an [`Integrator`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Method {
    /// [`ExponentialEuler`] (BrainPy's default and neurotype's).
    #[default]
    ExponentialEuler,
    /// [`Euler`].
    Euler,
    /// [`Heun`].
    Rk2,
    /// [`Midpoint`].
    Midpoint,
    /// [`Rk4`].
    Rk4,
}

impl Method {
    /// Every method, in a fixed order.
    pub const ALL: [Method; 5] = [
        Method::ExponentialEuler,
        Method::Euler,
        Method::Rk2,
        Method::Midpoint,
        Method::Rk4,
    ];

    /// The short name (`"exp_euler"`, `"euler"`, `"rk2"`, `"midpoint"`, `"rk4"`).
    pub fn name(self) -> &'static str {
        match self {
            Method::ExponentialEuler => ExponentialEuler::NAME,
            Method::Euler => Euler::NAME,
            Method::Rk2 => Heun::NAME,
            Method::Midpoint => Midpoint::NAME,
            Method::Rk4 => Rk4::NAME,
        }
    }

    /// Global order of accuracy.
    pub fn order(self) -> u32 {
        match self {
            Method::ExponentialEuler => ExponentialEuler::ORDER,
            Method::Euler => Euler::ORDER,
            Method::Rk2 => Heun::ORDER,
            Method::Midpoint => Midpoint::ORDER,
            Method::Rk4 => Rk4::ORDER,
        }
    }
}

impl core::str::FromStr for Method {
    type Err = InvalidParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "exp_euler" | "exponential_euler" | "exp_auto" | "exponential" => {
                Ok(Method::ExponentialEuler)
            }
            "euler" => Ok(Method::Euler),
            "rk2" | "heun" | "heun2" => Ok(Method::Rk2),
            "midpoint" => Ok(Method::Midpoint),
            "rk4" => Ok(Method::Rk4),
            other => Err(InvalidParameter::new(
                "Method",
                "method",
                format!("\"{other}\""),
                "must be one of exp_euler, euler, rk2, midpoint, rk4",
            )),
        }
    }
}

impl<O: Linearised> Integrator<O> for Method {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        match self {
            Method::ExponentialEuler => ExponentialEuler.step(ode, t, x, dt),
            Method::Euler => Euler.step(ode, t, x, dt),
            Method::Rk2 => Heun.step(ode, t, x, dt),
            Method::Midpoint => Midpoint.step(ode, t, x, dt),
            Method::Rk4 => Rk4.step(ode, t, x, dt),
        }
    }
}

/// Advances `x0` from `t0` by `steps` steps of `dt` and returns the final state. Step `i`
/// starts at `t0 + i·dt` (computed, not accumulated).
pub fn integrate<O: Ode, I: Integrator<O>>(
    integrator: &I,
    ode: &O,
    t0: Time,
    x0: O::State,
    dt: TimeStep,
    steps: u64,
) -> O::State {
    let mut x = x0;
    for i in 0..steps {
        x = integrator.step(ode, t0 + dt.time_of(i), &x, dt);
    }
    x
}

/// Like [`integrate`], but returns every state, starting with `(t0, x0)`.
pub fn trajectory<O: Ode, I: Integrator<O>>(
    integrator: &I,
    ode: &O,
    t0: Time,
    x0: O::State,
    dt: TimeStep,
    steps: u64,
) -> Vec<(Time, O::State)> {
    let mut out = Vec::with_capacity(steps as usize + 1);
    let mut x = x0;
    out.push((t0, x));
    for i in 0..steps {
        x = integrator.step(ode, t0 + dt.time_of(i), &x, dt);
        out.push((t0 + dt.time_of(i + 1), x));
    }
    out
}
