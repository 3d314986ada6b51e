use neurotype::prelude::*;

/// dV/dt written without dividing by tau: the right-hand side is a voltage, not a voltage
/// per time.
struct Membrane {
    v_rest: ElectricPotential,
}

impl Ode for Membrane {
    type State = ElectricPotential;
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        self.v_rest - *v
    }
}

fn main() {}
