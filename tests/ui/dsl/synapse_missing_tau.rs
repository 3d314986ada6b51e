//! A synapse whose decay lacks its /τ: a conductance where a conductance rate is due.
use neurotype::prelude::*;

synapse! {
    Expo {
        params { tau: Time = 5.0 ms where > 0 }
        state { g: ElectricalConductance = 0.0 mS }
        d(g)/dt = -g;
        on_pre g += w;
        output g;
    }
}

fn main() {}
