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
        (kind, model) => Err(format!(
            "{kind} model `{model}` is not implemented in neurotype"
        )),
    }
}
