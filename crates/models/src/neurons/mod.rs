//! The neuron models of `brainpy.state`, one file per family.

pub mod gif;
pub mod hh;
pub mod izhikevich;
pub mod lif;
pub mod nonlinear_if;
pub mod reduced;
pub mod traub;

pub use gif::{Gif, GifBuilder, GifRef};
pub use hh::{
    Hh, HhBuilder, HhRates, MorrisLecar, MorrisLecarBuilder, WangBuzsakiHh, WangBuzsakiHhBuilder,
    WangBuzsakiRates,
};
pub use izhikevich::{Izhikevich, IzhikevichBuilder, IzhikevichRef};
pub use lif::{
    Alif, AlifBuilder, CobaLif, CobaLifBuilder, CubaLif, CubaLifBuilder, If, IfBuilder, Lif,
    LifBuilder, LifRef,
};
pub use nonlinear_if::{
    AdExIf, AdExIfBuilder, AdExIfRef, AdQuaIf, AdQuaIfBuilder, AdQuaIfRef, ExpIf, ExpIfBuilder,
    ExpIfRef, QuaIf, QuaIfBuilder,
};
pub use reduced::{FitzHughNagumo, FitzHughNagumoBuilder, HindmarshRose, HindmarshRoseBuilder};
pub use traub::{TraubHh, TraubHhBuilder};

/// The parameter sets (`Lif::builder(n).params(set)`, `LifParams::strategy()`).
pub use self::{
    gif::GifParams,
    hh::{HhParams, MorrisLecarParams, WangBuzsakiHhParams},
    izhikevich::IzhikevichParams,
    lif::{AlifParams, CobaLifParams, CubaLifParams, IfParams, LifParams},
    nonlinear_if::{AdExIfParams, AdQuaIfParams, ExpIfParams, QuaIfParams},
    reduced::{FitzHughNagumoParams, HindmarshRoseParams},
    traub::TraubHhParams,
};
