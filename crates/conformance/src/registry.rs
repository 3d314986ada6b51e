//! Which neurotype model answers each BrainPy class name.

use crate::case::Case;
use crate::neuron;
use crate::trace::Trace;
use neurotype_models::prelude::*;

/// Simulates a case with the neurotype model of the same name.
pub fn simulate(case: &Case) -> Result<Trace, String> {
    match (case.kind.as_str(), case.model.as_str()) {
        ("neuron", "IF") => neuron::run(case, If::builder(1)),
        ("neuron", "LIF") => neuron::run(case, Lif::builder(1)),
        ("neuron", "LIFRef") => neuron::run(case, LifRef::builder(1)),
        ("neuron", "ALIF") => neuron::run(case, Alif::builder(1)),
        ("neuron", "CubaLIF") => neuron::run(case, CubaLif::builder(1)),
        ("neuron", "CobaLIF") => neuron::run(case, CobaLif::builder(1)),
        ("neuron", "ExpIF") => neuron::run(case, ExpIf::builder(1)),
        ("neuron", "ExpIFRef") => neuron::run(case, ExpIfRef::builder(1)),
        ("neuron", "AdExIF") => neuron::run(case, AdExIf::builder(1)),
        ("neuron", "AdExIFRef") => neuron::run(case, AdExIfRef::builder(1)),
        ("neuron", "QuaIF") => neuron::run(case, QuaIf::builder(1)),
        ("neuron", "AdQuaIF") => neuron::run(case, AdQuaIf::builder(1)),
        ("neuron", "AdQuaIFRef") => neuron::run(case, AdQuaIfRef::builder(1)),
        ("neuron", "Gif") => neuron::run(case, Gif::builder(1)),
        ("neuron", "GifRef") => neuron::run(case, GifRef::builder(1)),
        ("neuron", "Izhikevich") => neuron::run(case, Izhikevich::builder(1)),
        ("neuron", "IzhikevichRef") => neuron::run(case, IzhikevichRef::builder(1)),
        ("neuron", "HH") => neuron::run(case, Hh::builder(1)),
        ("neuron", "MorrisLecar") => neuron::run(case, MorrisLecar::builder(1)),
        ("neuron", "WangBuzsakiHH") => neuron::run(case, WangBuzsakiHh::builder(1)),
        ("neuron", "FitzHughNagumo") => neuron::run(case, FitzHughNagumo::builder(1)),
        ("neuron", "HindmarshRose") => neuron::run(case, HindmarshRose::builder(1)),
        (kind, model) => Err(format!(
            "{kind} model `{model}` is not implemented in neurotype"
        )),
    }
}
