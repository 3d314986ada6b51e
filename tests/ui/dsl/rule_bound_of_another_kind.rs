//! A plasticity rule whose weight is clipped to a time constant: `clip` keeps a quantity
//! between two bounds of its own kind.
use neurotype::prelude::*;

synapse! {
    PairStdp {
        params {
            tau_pre: Time = 16.8 ms where > 0,
            tau_post: Time = 33.7 ms where > 0,
            a_plus: ElectricalConductance = 0.01 nS where >= 0,
            a_minus: ElectricalConductance = 0.0105 nS where >= 0,
            w_max: ElectricalConductance = 1.0 nS where > 0,
        }
        pre { x: Ratio = 0.0 }
        post { y: Ratio = 0.0 }
        weight w: ElectricalConductance;
        d(x)/dt = -x / tau_pre;
        d(y)/dt = -y / tau_post;
        on_pre { x += 1.0; w = clip(w - a_minus * y, 0.0 nS, tau_pre); }
        on_post { y += 1.0; w = clip(w + a_plus * x, 0.0 nS, w_max); }
    }
}

fn main() {}
