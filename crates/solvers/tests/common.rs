//! Test problems with known solutions, shared by the solver tests.
#![allow(dead_code)]

use neurotype_solvers::{Linearised, Ode};
use neurotype_units::prelude::*;

/// dy/dt = −(t/τ²)·y, y(0) = y0: y(t) = y0·exp(−t²/(2τ²)). Linear in y with a time-varying
/// coefficient, so no method is exact and each shows its order.
pub struct Gaussian {
    pub tau: Time,
}

impl Ode for Gaussian {
    type State = ElectricPotential;
    fn rhs(&self, t: Time, y: &ElectricPotential) -> VoltageRate {
        -(t / (self.tau * self.tau)) * *y
    }
}

impl Linearised for Gaussian {
    fn slope(&self, t: Time, _y: &ElectricPotential) -> Frequency {
        -t / (self.tau * self.tau)
    }
}

impl Gaussian {
    pub fn exact(&self, y0: ElectricPotential, t: Time) -> ElectricPotential {
        let z = t / self.tau;
        y0 * exp(-0.5 * z * z)
    }
}

/// dx/dt = x(1 − x)/τ, a nonlinear equation for a dimensionless fraction:
/// x(t) = 1/(1 + (1/x0 − 1)·e^{−t/τ}).
pub struct Logistic {
    pub tau: Time,
}

impl Ode for Logistic {
    type State = Ratio;
    fn rhs(&self, _t: Time, x: &Ratio) -> Frequency {
        *x * (ratio(1.0) - *x) / self.tau
    }
}

impl Linearised for Logistic {
    fn slope(&self, _t: Time, x: &Ratio) -> Frequency {
        (ratio(1.0) - 2.0 * *x) / self.tau
    }
}

impl Logistic {
    pub fn exact(&self, x0: Ratio, t: Time) -> Ratio {
        let one = ratio(1.0);
        one / (one + (one / x0 - one) * exp(-t / self.tau))
    }
}

/// A harmonic oscillator whose two state variables have different units:
/// dx/dt = v (x a voltage, v a voltage per time), dv/dt = −ω²·x.
pub struct Oscillator {
    pub omega: Frequency,
}

impl Ode for Oscillator {
    type State = (ElectricPotential, VoltageRate);
    fn rhs(
        &self,
        _t: Time,
        (x, v): &(ElectricPotential, VoltageRate),
    ) -> (VoltageRate, <VoltageRate as core::ops::Div<Time>>::Output) {
        (*v, -(self.omega * self.omega) * *x)
    }
}

impl Linearised for Oscillator {
    fn slope(&self, _t: Time, _x: &(ElectricPotential, VoltageRate)) -> (Frequency, Frequency) {
        (0.0 * kHz, 0.0 * kHz)
    }
}

impl Oscillator {
    pub fn exact(&self, x0: ElectricPotential, t: Time) -> (ElectricPotential, VoltageRate) {
        let phase = (self.omega * t).value;
        (x0 * phase.cos(), -(x0 * self.omega) * phase.sin())
    }
}
