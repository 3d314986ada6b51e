//! Classic BrainPy 2.x's integrator names (`bp.odeint(f, method=…)`, the `method=` argument of
//! the classic `brainpy.synapses` and neurons), mapped to neurotype's methods with BrainPy's
//! meaning of each.

use crate::fixed::{Euler, ExponentialEuler, Heun, Integrator, Midpoint, Rk4, TimeStep};
use crate::ode::{Linearised, Ode};
use crate::state::State;
use neurotype_units::{InvalidParameter, Time};

/// Classic BrainPy's generic second-order Runge–Kutta method with its default β = 2/3
/// (Ralston's method): `k₂ = f(t + β·dt, x + β·dt·k₁)`,
/// `x + dt·((1 − 1/(2β))·k₁ + 1/(2β)·k₂)` = `x + dt·(k₁/4 + 3k₂/4)`. Order 2. (brainpy.state's
/// and braintools' `rk2` is Heun's method instead.)
#[derive(Debug, Clone, Copy, Default)]
pub struct Ralston2;

impl<O: Ode> Integrator<O> for Ralston2 {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        let h = dt.get();
        let beta = 2.0 / 3.0;
        let k1 = ode.rhs(t, x);
        let k2 = ode.rhs(t + beta * h, &x.advance(beta * h, &k1));
        let w2 = 1.0 / (2.0 * beta);
        x.advance(h, &O::State::combine([1.0 - w2, w2], [&k1, &k2]))
    }
}

/// A `method=` of classic BrainPy, with BrainPy's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClassicMethod {
    /// `exp_auto`, `exp_euler`, `exponential_euler` (the default): exponential Euler with the
    /// exact Jacobian diagonal; in a joint system each equation with its own slope and the
    /// others' old values, as BrainPy's `JointEq`.
    #[default]
    ExpAuto,
    /// `euler`: forward Euler.
    Euler,
    /// `rk2`: Ralston's method (BrainPy's RK2 with β = 2/3).
    Rk2,
    /// `heun2`: Heun's method.
    Heun2,
    /// `midpoint`.
    Midpoint,
    /// `rk4`: the classical Runge–Kutta method.
    Rk4,
}

impl ClassicMethod {
    /// BrainPy's name.
    pub fn name(self) -> &'static str {
        match self {
            ClassicMethod::ExpAuto => "exp_auto",
            ClassicMethod::Euler => "euler",
            ClassicMethod::Rk2 => "rk2",
            ClassicMethod::Heun2 => "heun2",
            ClassicMethod::Midpoint => "midpoint",
            ClassicMethod::Rk4 => "rk4",
        }
    }
}

impl core::str::FromStr for ClassicMethod {
    type Err = InvalidParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "exp_auto" | "exp_euler" | "exponential_euler" | "exp_euler_auto" => {
                ClassicMethod::ExpAuto
            }
            "euler" => ClassicMethod::Euler,
            "rk2" => ClassicMethod::Rk2,
            "heun2" => ClassicMethod::Heun2,
            "midpoint" => ClassicMethod::Midpoint,
            "rk4" => ClassicMethod::Rk4,
            other => {
                return Err(InvalidParameter::new(
                    "method",
                    "method",
                    format!("\"{other}\""),
                    "must be one of exp_auto (exp_euler), euler, rk2, heun2, midpoint, rk4",
                ));
            }
        })
    }
}

impl<O: Linearised> Integrator<O> for ClassicMethod {
    #[inline(always)]
    fn step(&self, ode: &O, t: Time, x: &O::State, dt: TimeStep) -> O::State {
        match self {
            ClassicMethod::ExpAuto => ExponentialEuler.step(ode, t, x, dt),
            ClassicMethod::Euler => Euler.step(ode, t, x, dt),
            ClassicMethod::Rk2 => Ralston2.step(ode, t, x, dt),
            ClassicMethod::Heun2 => Heun.step(ode, t, x, dt),
            ClassicMethod::Midpoint => Midpoint.step(ode, t, x, dt),
            ClassicMethod::Rk4 => Rk4.step(ode, t, x, dt),
        }
    }
}
