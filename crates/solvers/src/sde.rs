//! Stochastic differential equations with diagonal noise, integrated by Euler–Maruyama and
//! exponential Euler–Maruyama (Itô).
//!
//! An [`Sde`] is an [`Ode`] (the drift `f`) plus a noise amplitude `σ(t, x)` with the state's
//! own unit and a noise time scale `τ_n`:
//!
//! ```text
//! dxᵢ = fᵢ(t, x)·dt + σᵢ(t, x)·dWᵢ/√τ_n        (Brian2 writes σ·ξ/√τ_n; ξ = dW/dt)
//! ```
//!
//! Writing the noise as "an amplitude in x's unit per √τ_n" keeps every quantity's unit whole:
//! a Wiener increment over a step is `√(dt/τ_n)` times a standard normal number, and
//! `√(dt/τ_n)` is dimensionless. A Brian2 equation `dv/dt = (v0 − v)/τ + σ·√(2/τ)·ξ` is
//! `σ(t, v) = √2·σ` with `τ_n = τ`.
//!
//! - [`EulerMaruyama`]: `x + f·dt + σ·√(dt/τ_n)·z`; strong order ½ (order 1 when σ does
//!   not depend on x);
//! - [`ExpEulerMaruyama`]: the drift by exponential Euler (exact when `f` is linear in x, as a
//!   membrane's leak), then the same noise increment (BrainPy's `sdeint(method='exp_euler')`).
//!
//! The normal numbers come from the caller (`normal()` returns one N(0, 1) draw per call),
//! so a network draws them from its own seeded streams.

use crate::fixed::TimeStep;
use crate::ode::{Linearised, Ode};
use crate::state::State;
use neurotype_units::Real;
use neurotype_units::Time;

/// An Itô SDE with diagonal noise: drift [`Ode::rhs`], noise `σ(t, x)·dW/√τ_n`.
pub trait Sde: Ode {
    /// σ(t, x): the noise amplitude of each component, in the component's unit.
    fn sigma(&self, t: Time, x: &Self::State) -> Self::State;
    /// τ_n: the time scale that turns σ into a per-√time amplitude.
    fn noise_time(&self) -> Time;
}

/// A fixed-step SDE method.
pub trait SdeIntegrator<O: Sde> {
    /// One step from `(t, x)`; `normal` gives standard normal draws, one per scalar component
    /// and step, taken in component order.
    fn step(
        &self,
        sde: &O,
        t: Time,
        x: &O::State,
        dt: TimeStep,
        normal: &mut impl FnMut() -> Real,
    ) -> O::State;
}

/// Euler–Maruyama: `x + f(t, x)·dt + σ(t, x)·√(dt/τ_n)·z`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EulerMaruyama;

/// Exponential Euler–Maruyama: `x + dt·exprel(dt·J)·f(t, x) + σ(t, x)·√(dt/τ_n)·z` with
/// `J = ∂f/∂x` (the drift exact when it is linear in x).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExpEulerMaruyama;

/// `x + σ·√(dt/τ_n)·z` with one draw per component.
#[inline(always)]
fn add_noise<O: Sde>(
    sde: &O,
    t: Time,
    at: &O::State,
    to: &O::State,
    dt: TimeStep,
    normal: &mut impl FnMut() -> Real,
) -> O::State {
    let root = (dt.get() / sde.noise_time()).value.sqrt();
    to.add_scaled(&sde.sigma(t, at), &mut |_| root * normal())
}

impl<O: Sde> SdeIntegrator<O> for EulerMaruyama {
    #[inline(always)]
    fn step(
        &self,
        sde: &O,
        t: Time,
        x: &O::State,
        dt: TimeStep,
        normal: &mut impl FnMut() -> Real,
    ) -> O::State {
        let drift = x.advance(dt.get(), &sde.rhs(t, x));
        add_noise(sde, t, x, &drift, dt, normal)
    }
}

impl<O: Sde + Linearised> SdeIntegrator<O> for ExpEulerMaruyama {
    #[inline(always)]
    fn step(
        &self,
        sde: &O,
        t: Time,
        x: &O::State,
        dt: TimeStep,
        normal: &mut impl FnMut() -> Real,
    ) -> O::State {
        let (f, j) = sde.rhs_and_slope(t, x);
        let drift = x.exp_advance(dt.get(), &f, &j);
        add_noise(sde, t, x, &drift, dt, normal)
    }
}

/// An [`Sde`] from closures: the drift `f(t, x)`, its Jacobian diagonal `j(t, x)` (for
/// [`ExpEulerMaruyama`]) and the noise amplitude `σ(t, x)`, with noise time scale `tau_n`.
pub struct FnSde<S, F, J, G> {
    f: F,
    j: J,
    sigma: G,
    tau_n: Time,
    _s: core::marker::PhantomData<fn() -> S>,
}

/// An SDE `dx = f(t, x)·dt + σ(t, x)·dW/√τ_n` with the drift's slope `j` (see the module).
///
/// ```
/// use neurotype_units::prelude::*;
/// use neurotype_solvers::{ExpEulerMaruyama, SdeIntegrator, TimeStep, sde};
///
/// // a membrane with white-noise input: dV = (V_rest − V)/τ dt + σ·√(2/τ)·dW
/// let (v_rest, tau, sigma) = (-65.0 * mV, 10.0 * ms, 2.0 * mV);
/// let membrane = sde(
///     move |_t, v: &ElectricPotential| (v_rest - *v) / tau,
///     move |_t, _v: &ElectricPotential| -1.0 / tau,
///     move |_t, _v: &ElectricPotential| sigma * 2f64.sqrt(),
///     tau,
/// );
/// let dt = TimeStep::new(0.1 * ms).unwrap();
/// let mut normal = || 0.5; // a generator of N(0, 1) numbers in a real run
/// let v = ExpEulerMaruyama.step(&membrane, 0.0 * ms, &v_rest, dt, &mut normal);
/// let expected = v_rest + sigma * 2f64.sqrt() * (0.1f64 / 10.0).sqrt() * 0.5;
/// assert!((v - expected).abs() < 1e-12 * mV);
/// ```
pub fn sde<S, F, J, G>(f: F, j: J, sigma: G, tau_n: Time) -> FnSde<S, F, J, G>
where
    S: State,
    F: Fn(Time, &S) -> S::Rate,
    J: Fn(Time, &S) -> S::Slope,
    G: Fn(Time, &S) -> S,
{
    FnSde {
        f,
        j,
        sigma,
        tau_n,
        _s: core::marker::PhantomData,
    }
}

impl<S, F, J, G> Ode for FnSde<S, F, J, G>
where
    S: State,
    F: Fn(Time, &S) -> S::Rate,
{
    type State = S;
    fn rhs(&self, t: Time, x: &S) -> S::Rate {
        (self.f)(t, x)
    }
}

impl<S, F, J, G> Linearised for FnSde<S, F, J, G>
where
    S: State,
    F: Fn(Time, &S) -> S::Rate,
    J: Fn(Time, &S) -> S::Slope,
{
    fn slope(&self, t: Time, x: &S) -> S::Slope {
        (self.j)(t, x)
    }
}

impl<S, F, J, G> Sde for FnSde<S, F, J, G>
where
    S: State,
    F: Fn(Time, &S) -> S::Rate,
    G: Fn(Time, &S) -> S,
{
    fn sigma(&self, t: Time, x: &S) -> S {
        (self.sigma)(t, x)
    }
    fn noise_time(&self) -> Time {
        self.tau_n
    }
}
