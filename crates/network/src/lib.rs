//! # neurotype-network
//!
//! Everything that connects neuron populations into a network: connectivity generators and
//! weight initialisers, projections (`AlignPostProj`, `DeltaProj`, `AlignPreProj` and the
//! classic `brainpy.synapses` style), transmission delays, inputs, monitors and the runner.
#![deny(missing_docs)]

pub mod checkpoint;
pub mod classic;
pub mod comm;
pub mod connectivity;
pub mod delay;
pub mod error;
pub mod gap;
pub mod health;
pub mod input;
pub mod monitor;
pub mod network;
pub mod noise;
mod pages;
pub mod population;
pub mod profile;
pub mod projection;
pub mod ranks;
pub mod results;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod stream;
pub mod sweep;
pub mod weights;
pub mod wiring;
pub mod workers;

pub use checkpoint::Checkpoint;
pub use comm::{Comm, CompMethod, ConnNum, Connections};
pub use connectivity::{Connectivity, Connector, Count};
pub use delay::{Delay, SpikeHistory};
pub use error::NetworkError;
pub use gap::GapJunction;
pub use input::{
    ExternalCurrent, PoissonGroup, PoissonInput, SpikeTimeGroup, TimeRounding, Waveform,
};
pub use monitor::{MonitorId, Named, RateRecord, SpikeRecord, StateRecord, histogram, stamp_ms};
pub use network::{Network, Progress, ProjId, RunStats};
pub use noise::{MembraneNoise, NoiseCurrent, NoiseProcess};
pub use population::{AnyPopulation, Pop, Population};
pub use profile::{Profile, Stage};
pub use projection::group::SynapseGroup;
pub use projection::{AlignPostProj, AlignPreProj, DeltaProj, Projection, ProjectionSpec};
pub use results::Results;
pub use sweep::Sweep;
pub use weights::{Fan, IntoWeights, WeightInit, Weights};
pub use workers::Spread;

/// An independent seed for component `k` of a network seeded with `seed`.
pub(crate) fn seed_of(seed: u64, k: u64) -> u64 {
    let mut z = seed ^ (k.wrapping_add(1)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^ (z >> 27)
}

/// Networks, projections, inputs, monitors and everything they need.
pub mod prelude {
    pub use crate::classic;
    pub use crate::{
        AlignPostProj, AlignPreProj, Checkpoint, Comm, CompMethod, Connector, Count, Delay,
        DeltaProj, ExternalCurrent, GapJunction, MembraneNoise, MonitorId, Network, NetworkError,
        NoiseCurrent, PoissonGroup, PoissonInput, Pop, Profile, Progress, ProjId, RateRecord,
        Results, SpikeRecord, SpikeTimeGroup, Spread, StateRecord, Sweep, Waveform, WeightInit,
        histogram,
    };
    pub use neurotype_models::StateKey;
}
