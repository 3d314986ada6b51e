//! # neurotype-solvers
//!
//! Integrators for typed ODEs. A model describes its state (one quantity, or a tuple of
//! quantities of any units) and its right-hand side through the [`Ode`] trait; the derivative's
//! type is derived from the state's (a voltage's derivative is a voltage per time), and so is
//! the type of the Jacobian diagonal (always 1/time), which is what lets exponential Euler
//! evaluate `exprel(dt·J)` only on a dimensionless argument.
//!
//! Fixed-step methods: [`Euler`], [`Heun`] (RK2), [`Midpoint`], [`Rk4`] and
//! [`ExponentialEuler`] (BrainPy's integrator; needs [`Linearised`]). Linear equations with
//! constant coefficients: the exact [`Propagator`]. Adaptive: [`Dopri5`].
//! Stochastic ([`Sde`], diagonal noise): [`EulerMaruyama`] and [`ExpEulerMaruyama`].
//!
//! ```
//! use neurotype_units::prelude::*;
//! use neurotype_solvers::{ExponentialEuler, Integrator, TimeStep, linearised, integrate};
//!
//! // dV/dt = (V_inf − V)/τ, whose slope ∂f/∂V = −1/τ
//! let (v_inf, tau) = (-50.0 * mV, 10.0 * ms);
//! let membrane = linearised(
//!     move |_t, v: &ElectricPotential| (v_inf - *v) / tau,
//!     move |_t, _v: &ElectricPotential| -1.0 / tau,
//! );
//! let dt = TimeStep::new(0.1 * ms).unwrap();
//! let v = integrate(&ExponentialEuler, &membrane, 0.0 * ms, -65.0 * mV, dt, 100);
//! // exponential Euler is exact for this linear equation:
//! let exact = v_inf + (-65.0 * mV - v_inf) * exp(-(10.0 * ms) / tau);
//! assert!((v - exact).abs() < 1e-12 * mV);
//! ```
#![deny(missing_docs)]

pub mod adaptive;
pub mod classic;
pub mod exact;
pub mod fixed;
pub mod ode;
pub mod sde;
pub mod state;

pub use adaptive::{Dopri5, SolveStats, SolverError};
pub use classic::{ClassicMethod, Ralston2};
pub use exact::Propagator;
pub use fixed::{
    Euler, ExponentialEuler, FixedStep, Heun, Integrator, Method, MethodInfo, Midpoint, Rk4,
    SharedExponentialEuler, TimeStep, integrate, trajectory,
};
pub use neurotype_units::Raw;
pub use ode::{FnLinearised, FnOde, Linearised, Ode, linearised, ode};
pub use sde::{EulerMaruyama, ExpEulerMaruyama, FnSde, Sde, SdeIntegrator, sde};
pub use state::{RateOf, SlopeOf, State};
