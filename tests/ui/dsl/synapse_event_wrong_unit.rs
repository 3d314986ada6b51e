//! A kinetic synapse that stores a concentration in its arrival time on a spike.
use neurotype::prelude::*;

synapse! {
    Kinetic {
        params {
            beta: Frequency = 0.18 per_ms where >= 0,
            t_conc: MolarConcentration = 0.5 mM where >= 0,
        }
        state {
            g: Ratio = 0.0,
            arrival: Time = -1e7 ms,
        }
        d(g)/dt = -beta * g;
        on_spike arrival = t_conc;
        output g;
    }
}

fn main() {}
