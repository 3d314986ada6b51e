//! Leaky integrate-and-fire family: IF, LIF, LIFRef, ALIF, CubaLIF, CobaLIF.
//!
//! Every model resets at the start of the step that follows a spike, from the stored potential
//! (soft: `V ← V − (V_th − V_reset)`, keeping the overshoot; hard: `V ← V_reset`), integrates
//! its potential with its input `I(V)` evaluated inside the exponential-Euler linearisation
//! (so synaptic conductances enter the Jacobian), adds δ-inputs, and spikes when `V ≥ V_th`.

mod adaptive;
mod integrate_and_fire;
mod leaky;
mod synaptic;

pub use adaptive::{Alif, AlifBuilder, AlifParams, AlifScalar, AlifState};
pub use integrate_and_fire::{If, IfBuilder, IfParams, IfScalar};
pub use leaky::{Lif, LifBuilder, LifParams, LifRef, LifScalar};
pub use synaptic::{
    CobaLif, CobaLifBuilder, CobaLifParams, CobaLifScalar, CobaLifState, CubaLif, CubaLifBuilder,
    CubaLifParams, CubaLifScalar, CubaLifState,
};

use crate::neuron::SpikeReset;
use crate::state_columns;
use neurotype_units::prelude::*;

/// BrainPy's reset: `V − (V_th − V_reset)` (soft) or `V_reset` (hard) after a spike.
///
/// BrainPy writes the hard reset as `V − (V − V_reset)·s`, which equals `V_reset` up to
/// rounding but cancels catastrophically after a runaway (an exponential IF that overshoots
/// to 1e20 mV is "reset" to 0 mV, then to NaN). neurotype assigns `V_reset`: identical
/// results within a few ulps in every ordinary case, and no NaN in the others.
#[inline(always)]
pub(crate) fn lif_reset(
    v: ElectricPotential,
    spiked: bool,
    v_th: ElectricPotential,
    v_reset: ElectricPotential,
    mode: SpikeReset,
) -> ElectricPotential {
    if !spiked {
        return v;
    }
    match mode {
        SpikeReset::Soft => v - (v_th - v_reset),
        SpikeReset::Hard => v_reset,
    }
}

state_columns! {
    /// The state of a [`Lif`] population.
    pub struct LifState / LifView / LifKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
    }
}
