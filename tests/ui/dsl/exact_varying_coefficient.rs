//! `method exact` on a conductance that is a state variable without an equation: the
//! coefficient of `v` changes during the run, so no propagator is constant.
use neurotype::prelude::*;

neuron! {
    Gated {
        params {
            c: Capacitance = 200.0 pF,
            e_l: ElectricPotential = -65.0 mV,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            g: ElectricalConductance = 10.0 nS,
        }
        input i: ElectricCurrent;
        method exact;
        d(v)/dt = (g * (e_l - v) + i) / c;
        spike v >= -50.0 mV;
        reset g = g + 1.0 nS;
    }
}

fn main() {}
