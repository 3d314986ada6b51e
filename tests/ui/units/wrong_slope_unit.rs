use neurotype::prelude::*;

/// The Jacobian diagonal of dV/dt = (V_rest - V)/tau is -1/tau, a rate; returning -1/mV is
/// rejected.
struct Membrane {
    v_rest: ElectricPotential,
    tau: Time,
}

impl Ode for Membrane {
    type State = ElectricPotential;
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        (self.v_rest - *v) / self.tau
    }
}

impl Linearised for Membrane {
    fn slope(&self, _t: Time, _v: &ElectricPotential) -> InverseVoltage {
        -1.0 / (1.0 * mV)
    }
}

fn main() {}
