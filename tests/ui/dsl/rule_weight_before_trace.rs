//! A plasticity rule that changes the weight before its trace takes in the spike: the block
//! order is the order of the step (element first, then its synapses), so the other order is
//! refused.
use neurotype::prelude::*;

synapse! {
    PairStdp {
        params {
            tau_pre: Time = 16.8 ms where > 0,
            tau_post: Time = 33.7 ms where > 0,
            a_plus: ElectricalConductance = 0.01 nS where >= 0,
            a_minus: ElectricalConductance = 0.0105 nS where >= 0,
        }
        pre { x: Ratio = 0.0 }
        post { y: Ratio = 0.0 }
        weight w: ElectricalConductance;
        d(x)/dt = -x / tau_pre;
        d(y)/dt = -y / tau_post;
        on_pre { w = w - a_minus * y; x += 1.0; }
        on_post { y += 1.0; w = w + a_plus * x; }
    }
}

fn main() {}
