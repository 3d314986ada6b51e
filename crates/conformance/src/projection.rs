//! Replaying projection cases: presynaptic spikes → weights → synapse → output → neuron, in
//! the order of BrainPy's `AlignPostProj` (or `DeltaProj`) followed by the neuron's update.

use crate::case::{Case, column_stem, quantity_parts, quantity_text};
use crate::neuron::{configure, initialise, time_step};
use crate::trace::Trace;
use neurotype_models::StepCtx;
use neurotype_models::neuron::StateVar;
use neurotype_models::prelude::*;
use serde_json::Value;

/// The synapse of an align-post projection.
enum Syn {
    Expon(Expon),
    DualExpon(DualExpon),
    Alpha(Alpha),
}

impl Syn {
    fn build(desc: &Value) -> Result<Syn, String> {
        let model = desc.get("model").and_then(Value::as_str).unwrap_or("");
        let params = desc
            .get("params")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let built = match model {
            "Expon" => Syn::Expon(build(Expon::builder(1), &params)?),
            "DualExpon" => Syn::DualExpon(build(DualExpon::builder(1), &params)?),
            "Alpha" => Syn::Alpha(build(Alpha::builder(1), &params)?),
            other => return Err(format!("projection synapse `{other}` is not implemented")),
        };
        Ok(built)
    }

    fn add(&mut self, x: ElectricalConductance) {
        match self {
            Syn::Expon(s) => s.add(0, x),
            Syn::DualExpon(s) => s.add(0, x),
            Syn::Alpha(s) => s.add(0, x),
        }
    }

    fn step(&mut self, ctx: &StepCtx) {
        match self {
            Syn::Expon(s) => s.step(ctx),
            Syn::DualExpon(s) => s.step(ctx),
            Syn::Alpha(s) => s.step(ctx),
        }
    }

    fn g(&self) -> &Column<ElectricalConductance> {
        match self {
            Syn::Expon(s) => s.g(),
            Syn::DualExpon(s) => s.g(),
            Syn::Alpha(s) => s.g(),
        }
    }

    fn vars(&self) -> Vec<StateVar<'_>> {
        match self {
            Syn::Expon(s) => s.state_vars(),
            Syn::DualExpon(s) => s.state_vars(),
            Syn::Alpha(s) => s.state_vars(),
        }
    }
}

fn build<B: ModelBuilder>(
    builder: B,
    params: &serde_json::Map<String, Value>,
) -> Result<B::Model, String> {
    configure(builder, params)?
        .build()
        .map_err(|e| e.to_string())
}

fn param(desc: &Value, name: &str) -> Option<String> {
    desc.get("params")
        .and_then(|p| p.get(name))
        .and_then(|v| quantity_text(v).ok())
}

/// The output of an align-post projection.
enum Out {
    Coba(Coba),
    Cuba(Cuba),
    Mg(MgBlock),
}

impl Out {
    fn build(desc: &Value) -> Result<Out, String> {
        let model = desc.get("model").and_then(Value::as_str).unwrap_or("");
        let q = |name: &str| param(desc, name);
        let v = |name: &str, default: ElectricPotential| -> Result<ElectricPotential, String> {
            q(name).map_or(Ok(default), |t| {
                ElectricPotential::parse(&t).map_err(|e| e.to_string())
            })
        };
        Ok(match model {
            "COBA" => Out::Coba(Coba::new(v("E", 0.0 * mV)?).map_err(|e| e.to_string())?),
            "CUBA" => Out::Cuba(Cuba::new(v("scale", 1.0 * volt)?).map_err(|e| e.to_string())?),
            "MgBlock" => {
                let d = MgBlock::default();
                let conc = |name: &str, default| -> Result<MolarConcentration, String> {
                    q(name).map_or(Ok(default), |t| {
                        MolarConcentration::parse(&t).map_err(|e| e.to_string())
                    })
                };
                let alpha = q("alpha").map_or(Ok(d.alpha), |t| {
                    InverseVoltage::parse(&t).map_err(|e| e.to_string())
                })?;
                Out::Mg(
                    MgBlock::new(
                        v("E", d.e)?,
                        conc("cc_Mg", d.cc_mg)?,
                        alpha,
                        conc("beta", d.beta)?,
                        v("V_offset", d.v_offset)?,
                    )
                    .map_err(|e| e.to_string())?,
                )
            }
            other => return Err(format!("projection output `{other}` is not implemented")),
        })
    }
}

/// Runs a projection case onto a post neuron built by `post_builder`.
pub fn run<B>(case: &Case, post_builder: B) -> Result<Trace, String>
where
    B: ModelBuilder,
    B::Model: Neuron<
            Potential = ElectricPotential,
            Input = ElectricCurrent,
            Conductance = ElectricalConductance,
        >,
{
    let json = &case.json;
    let post_desc = json.get("post").ok_or("projection without `post`")?;
    let post_params = post_desc
        .get("params")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut post = build(post_builder, &post_params)?;
    if let Some(init) = post_desc.get("init").and_then(Value::as_object) {
        initialise(&mut post, init)?;
    }
    let x = match post_desc.get("input") {
        Some(input) if input.get("kind").and_then(Value::as_str) == Some("current") => {
            let (value, unit) = quantity_parts(input)?;
            ElectricCurrent::parse(&format!("{value:?} {unit}")).map_err(|e| e.to_string())?
        }
        _ => 0.0 * mA,
    };
    let weight = json.get("weight").ok_or("projection without `weight`")?;
    let w_text = param(weight, "w").ok_or("weight without `w`")?;
    let spikes: Vec<usize> = case
        .input
        .get("steps")
        .and_then(Value::as_array)
        .ok_or("projection input without `steps`")?
        .iter()
        .filter_map(|v| v.as_u64().map(|k| k as usize))
        .collect();
    let dt = time_step(case)?;
    let mut drive = Drive::<B::Model>::new(1);
    let mut trace = Trace::for_case(case);

    match case.model.as_str() {
        "AlignPostProj" => {
            let mut syn = Syn::build(json.get("syn").ok_or("projection without `syn`")?)?;
            let out = Out::build(json.get("out").ok_or("projection without `out`")?)?;
            let w = ElectricalConductance::parse(&w_text).map_err(|e| e.to_string())?;
            for step in 0..case.steps {
                let ctx = StepCtx::new(step as u64, dt);
                if spikes.contains(&step) {
                    syn.add(w);
                }
                syn.step(&ctx);
                drive.clear();
                drive.set_external(x);
                let v = post.potential().clone();
                match &out {
                    Out::Coba(o) => o.apply(syn.g(), &v, &mut drive),
                    Out::Cuba(o) => o.apply(syn.g(), &v, &mut drive),
                    Out::Mg(o) => o.apply(syn.g(), &v, &mut drive),
                }
                post.step(&ctx, &drive);
                trace.record(|column, unit| {
                    let stem = column_stem(column, unit);
                    let syn_vars = syn.vars();
                    if let Some(var) = syn_vars.iter().find(|v| v.name == stem) {
                        return var.value_in(0, unit).ok_or(format!("unit of `{column}`"));
                    }
                    crate::neuron::observe(&post, column, unit)
                })?;
            }
        }
        "DeltaProj" => {
            let w = <B::Model as NeuronUnits>::Jump::parse(&w_text).map_err(|e| e.to_string())?;
            for step in 0..case.steps {
                let ctx = StepCtx::new(step as u64, dt);
                drive.clear();
                drive.set_external(x);
                if spikes.contains(&step) {
                    drive.delta_mut().add(0, w);
                }
                post.step(&ctx, &drive);
                trace.record(|column, unit| crate::neuron::observe(&post, column, unit))?;
            }
        }
        other => return Err(format!("projection `{other}` is not implemented")),
    }
    Ok(trace)
}
