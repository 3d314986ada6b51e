//! `method exact` on Izhikevich's quadratic membrane equation: `v * v` is not linear.
use neurotype::prelude::*;

neuron! {
    Izhikevich {
        params {
            a: Frequency = 0.02 per_ms,
            b: Frequency = 0.2 per_ms,
            k: Frequency = 0.04 per_ms,
            v_th: ElectricPotential = 30.0 mV,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            u: ElectricPotential = -13.0 mV,
        }
        input i: ElectricCurrent;
        method exact;
        d(v)/dt = k * v * v / mV + 5.0 * v / ms + 140.0 mV / ms - u / ms + i * Mohm / ms;
        d(u)/dt = a * (b * v * ms - u);
        spike v >= v_th;
        reset v = -65.0 mV;
    }
}

fn main() {}
