//! # neurotype-models
//!
//! The modelling layer of BrainPy's `brainpy.state`, typed: neuron populations (LIF family,
//! exponential and quadratic IF, AdEx, GIF, Hodgkin-Huxley family, Izhikevich, reduced
//! models), synapses, synaptic outputs and short-term plasticity. Every parameter is a typed
//! quantity with BrainPy's default; every state variable is a column of the population.
#![deny(missing_docs)]

pub mod column;
pub mod constraint;
pub mod drive;
pub mod invariants;
pub mod isa;
pub mod kernel;
mod macros;
pub mod neuron;
pub mod neurons;
pub mod options;
pub mod param;
pub mod refractory;
pub mod rng;
pub mod snapshot;
pub mod state_key;
pub mod stepper;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod synapses;

#[doc(hidden)]
pub mod __private {
    pub use neurotype_units as units;
    pub use neurotype_units::{Raw, Real};
}

pub use column::Column;
pub use drive::{Drive, ExpChannel, MgBlockTerm, NeuronUnits};
pub use neuron::{ModelBuilder, Neuron, SpikeReset, StateVar, StateVarMut, StepCtx};
pub use param::{Init, Param};
pub use state_key::StateKey;

/// Models, builders and the types they need.
pub mod prelude {
    pub use crate::neurons::*;
    pub use crate::synapses::*;
    pub use crate::{
        Column, Drive, Init, ModelBuilder, Neuron, NeuronUnits, Param, SpikeReset, StateKey,
        StateVar, StateVarMut, StepCtx,
    };
    pub use neurotype_solvers::{ClassicMethod, Method, TimeStep};
    pub use neurotype_units::prelude::*;
}
