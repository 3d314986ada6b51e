//! `sqrt` of a time has no unit.
use neurotype::prelude::*;

neuron! {
    Lif {
        params {
            v_rest: ElectricPotential = -65.0 mV,
            v_reset: ElectricPotential = -70.0 mV,
            v_th: ElectricPotential = -50.0 mV,
            r: ElectricalResistance = 10.0 Mohm,
            tau: Time = 10.0 ms where > 0,
        }
        state { v: ElectricPotential = v_rest }
        input i: ElectricCurrent;
        d(v)/dt = (v_rest - v + r * i) / sqrt(tau);
        spike v >= v_th;
        reset v = v_reset;
    }
}

fn main() {}
