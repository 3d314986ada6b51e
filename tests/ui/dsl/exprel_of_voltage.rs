//! An HH-style rate whose `exprel` was given a voltage (the `/ 10.0 mV` forgotten).
use neurotype::prelude::*;

neuron! {
    Gate {
        params {
            g: ElectricalConductance = 1.0 uS,
            e: ElectricPotential = -77.0 mV,
            c: Capacitance = 1.0 nF where > 0,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            n: Ratio = 0.3,
        }
        input i: ElectricCurrent;
        let alpha: Frequency = 0.1 per_ms / exprel(-(v + 55.0 mV));
        d(v)/dt = (g * powi(n, 4) * (e - v) + i) / c;
        d(n)/dt = alpha * (1.0 - n) - 0.125 per_ms * n;
    }
}

fn main() {}
