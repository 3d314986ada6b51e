//! `method exact` on a saturating synapse: `exp(-g / g_max)` is not linear in `g`.
use neurotype::prelude::*;

synapse! {
    Saturating {
        params {
            tau: Time = 5.0 ms where > 0,
            g_max: ElectricalConductance = 10.0 nS where > 0,
        }
        state { g: ElectricalConductance = 0.0 nS }
        method exact;
        d(g)/dt = -g / tau + g_max * exp(-g / g_max) / tau;
        on_pre g += w;
        output g;
    }
}

fn main() {}
