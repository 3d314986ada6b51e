//! An increment synapse that adds a time to its conductance.
use neurotype::prelude::*;

synapse! {
    Expo {
        params { tau: Time = 5.0 ms where > 0 }
        state { g: ElectricalConductance = 0.0 nS }
        d(g)/dt = -g / tau;
        on_pre g += tau;
        output g;
    }
}

fn main() {}
