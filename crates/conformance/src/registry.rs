//! Which neurotype model answers each BrainPy class name.

use crate::case::Case;
use crate::classic;
use crate::neuron;
use crate::plasticity;
use crate::projection;
use crate::synapse;
use crate::trace::Trace;
use neurotype_models::prelude::*;
use neurotype_models::synapses::legacy;

/// Simulates a case with the neurotype model of the same name.
pub fn simulate(case: &Case) -> Result<Trace, String> {
    if case.kind == "classic_projection" {
        return classic::run(case);
    }
    if case.kind == "stdp" {
        return plasticity::run(case);
    }
    if case.kind == "projection" {
        let post = case
            .json
            .get("post")
            .and_then(|p| p.get("model"))
            .and_then(|m| m.as_str())
            .unwrap_or("");
        return match post {
            "LIF" => projection::run(case, Lif::builder(1)),
            "LIFRef" => projection::run(case, LifRef::builder(1)),
            "ExpIF" => projection::run(case, ExpIf::builder(1)),
            "AdExIF" => projection::run(case, AdExIf::builder(1)),
            "QuaIF" => projection::run(case, QuaIf::builder(1)),
            "HH" => projection::run(case, Hh::builder(1)),
            "WangBuzsakiHH" => projection::run(case, WangBuzsakiHh::builder(1)),
            "MorrisLecar" => projection::run(case, MorrisLecar::builder(1)),
            other => Err(format!("projection onto `{other}` is not implemented")),
        };
    }
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
        ("synapse", "Expon") => synapse::run(case, Expon::<ElectricalConductance>::builder(1)),
        // classic BrainPy is unitless: its synaptic variables are plain numbers
        ("synapse", "legacy.Expon") => synapse::run(case, Expon::<Ratio>::builder(1)),
        ("synapse", "DualExpon") => {
            synapse::run(case, DualExpon::<ElectricalConductance>::builder(1))
        }
        ("synapse", "Alpha") => synapse::run(case, Alpha::<ElectricalConductance>::builder(1)),
        // classic Alpha: keyword `tau_decay`, default 10 ms
        ("synapse", "legacy.Alpha") => {
            synapse::run(case, Alpha::<Ratio>::builder(1).tau(10.0 * ms))
        }
        ("synapse", "AMPA" | "legacy.AMPA") => synapse::run(case, Ampa::builder(1)),
        ("synapse", "GABAa" | "legacy.GABAa") => synapse::run(case, Gabaa::builder(1)),
        ("synapse", "BioNMDA") => synapse::run(case, BioNmda::builder(1)),
        ("synapse", "legacy.BioNMDA") => synapse::run(case, legacy::BioNmdaJoint::builder(1)),
        ("synapse", "legacy.NMDA" | "NMDA") => synapse::run(case, legacy::Nmda::builder(1)),
        ("synapse", "legacy.DualExpon" | "legacy.DualExponClassic") => {
            synapse::run(case, legacy::DualExponClassic::builder(1))
        }
        ("stp", "STP") => synapse::run(case, Stp::builder(1)),
        ("stp", "STD") => synapse::run(case, Std::builder(1)),
        (kind, model) => Err(format!(
            "{kind} model `{model}` is not implemented in neurotype"
        )),
    }
}
