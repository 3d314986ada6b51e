//! # neurotype
//!
//! Spiking neural networks whose physical units are checked by the compiler.
//!
//! neurotype re-creates the modelling layer of BrainPy's `brainpy.state` (neurons, synapses,
//! synaptic outputs, projections, inputs, monitors, a runner) in Rust. Every parameter and
//! state variable is a typed quantity: a millivolt never adds to a millisecond, and `exp` or
//! `exprel` only accept dimensionless ratios, so the unit mistakes BrainPy reports at run time
//! are compile errors here, at no run-time cost.
//!
//! ```
//! use neurotype::prelude::*;
//!
//! let tau = 20.0 * ms;
//! let dt = TimeStep::new(0.1 * ms)?;
//! let decay = exp(-dt.get() / tau);
//! assert!((decay.value - (-0.005f64).exp()).abs() < 1e-15);
//! # Ok::<(), InvalidParameter>(())
//! ```
//!
//! Crates: [`units`] (quantities, unit constants, dimensionless maths), [`solvers`]
//! (integrators), [`models`] (neurons, synapses, outputs, plasticity) and [`network`]
//! (connectivity, projections, delays, inputs, monitors, runner); [`dsl`] declares new models
//! from their equations (`neuron!`, `synapse!`).
#![deny(missing_docs)]

pub use neurotype_dsl as dsl;
pub use neurotype_models as models;
pub use neurotype_network as network;
pub use neurotype_solvers as solvers;
pub use neurotype_units as units;

#[cfg(feature = "plot")]
pub mod plot;
pub mod report;

pub use report::Report;

/// The README's example is compiled and run as a doctest, so it cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Everything a modeller needs, in one import: `use neurotype::prelude::*;`.
pub mod prelude {
    pub use crate::Report;
    pub use neurotype_dsl::{neuron, synapse};
    pub use neurotype_models::prelude::*;
    pub use neurotype_network::prelude::*;
    pub use neurotype_solvers::{
        Dopri5, Euler, EulerMaruyama, ExpEulerMaruyama, ExponentialEuler, Heun, Integrator,
        Linearised, Midpoint, Ode, Rk4, Sde, SdeIntegrator, State, integrate, linearised, ode, sde,
        trajectory,
    };
}
