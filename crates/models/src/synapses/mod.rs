//! Synapses, synaptic outputs and short-term plasticity of `brainpy.state`, and the classic
//! BrainPy 2.x synapse dynamics in [`legacy`].

pub mod exponential;
pub mod kinetic;
pub mod legacy;
pub mod outputs;
pub mod plasticity;
pub mod rule;
pub mod stdp;
pub mod traits;

pub use exponential::{
    Alpha, AlphaBuilder, DualExpon, DualExponBuilder, Expon, ExponBuilder, SynapticVariable,
    dual_exponential_peak_factor,
};
pub use kinetic::{Ampa, AmpaBuilder, BioNmda, BioNmdaBuilder, Gabaa};
pub use outputs::{
    Coba, CobaFixedV, Cuba, MgBlock, MgBlockFixedV, SynapticCurrent, SynapticOutput, Writer,
};
pub use plasticity::{ShortTermPlasticity, Std, StdBuilder, Stp, StpBuilder};
pub use rule::PlasticityRule;

/// The parameter sets (`Expon::builder(n).params(set)`, `ExponParams::strategy()`).
pub use self::{
    exponential::{AlphaParams, DualExponParams, ExponParams},
    kinetic::{AmpaParams, BioNmdaParams},
    plasticity::{StdParams, StpParams},
};
pub use stdp::{Pairing, Stdp, StdpBuilder, StdpForm, StdpKernel};
pub use traits::{EventSynapse, IncrementSynapse};
