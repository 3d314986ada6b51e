//! The neuron models of `brainpy.state`, one file per family.

pub mod lif;

pub use lif::{
    Alif, AlifBuilder, CobaLif, CobaLifBuilder, CubaLif, CubaLifBuilder, If, IfBuilder, Lif,
    LifBuilder, LifRef,
};
