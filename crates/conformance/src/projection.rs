//! Replaying projection cases through a real [`Network`]: a spike source → the case's
//! projection (`AlignPostProj`, `DeltaProj`) → the post neuron under its constant input, with
//! monitors on every compared column. The network's own pipeline (delivery, synapse groups,
//! outputs, the neuron stepper) is what is checked against BrainPy, not a copy of it.
//!
//! BrainPy's case feeds the presynaptic spike of step `s` to the projection in step `s`; in a
//! network a spike emitted in step `n` arrives in step `n + 1`, so the source emits each spike
//! one step early (a case with a spike at step 0 cannot be replayed and says so).

use crate::case::{Case, column_stem, quantity_parts, quantity_text};
use crate::neuron::{configure, initialise, time_step};
use crate::trace::Trace;
use neurotype_models::prelude::*;
use neurotype_network::prelude::*;
use neurotype_units::Real;
use serde_json::Value;

/// A synapse of an align-post projection, built from the case.
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
        Ok(match model {
            "Expon" => Syn::Expon(build(Expon::builder(1), &params)?),
            "DualExpon" => Syn::DualExpon(build(DualExpon::builder(1), &params)?),
            "Alpha" => Syn::Alpha(build(Alpha::builder(1), &params)?),
            other => return Err(format!("projection synapse `{other}` is not implemented")),
        })
    }
}

/// An output of an align-post projection, built from the case.
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

/// The post neuron's model type: the quantities of the projection cases (mV, mA, mS).
pub trait Post:
    Neuron<Potential = ElectricPotential, Input = ElectricCurrent, Conductance = ElectricalConductance>
{
}
impl<N> Post for N where
    N: Neuron<
            Potential = ElectricPotential,
            Input = ElectricCurrent,
            Conductance = ElectricalConductance,
        >
{
}

/// Connects the case's align-post projection `src → post`.
fn align_post<N: Post>(
    net: &mut Network,
    src: Pop<SpikeTimeGroup>,
    post: Pop<N>,
    syn: Syn,
    out: Out,
    w: ElectricalConductance,
) -> Result<ProjId, String> {
    fn with<N: Post, S: IncrementSynapse<G = ElectricalConductance>>(
        net: &mut Network,
        src: Pop<SpikeTimeGroup>,
        post: Pop<N>,
        syn: S,
        out: Out,
        w: ElectricalConductance,
    ) -> Result<ProjId, NetworkError> {
        let comm = Comm::all_to_all(1, 1, w);
        macro_rules! connect {
            ($out:expr) => {
                net.connect(AlignPostProj::new(src, post).comm(comm).syn(syn).out($out))
            };
        }
        match out {
            Out::Coba(o) => connect!(o),
            Out::Cuba(o) => connect!(o),
            Out::Mg(o) => connect!(o),
        }
    }
    match syn {
        Syn::Expon(s) => with(net, src, post, s, out, w),
        Syn::DualExpon(s) => with(net, src, post, s, out, w),
        Syn::Alpha(s) => with(net, src, post, s, out, w),
    }
    .map_err(|e| e.to_string())
}

/// Runs a projection case onto a post neuron built by `post_builder`.
pub fn run<B>(case: &Case, post_builder: B) -> Result<Trace, String>
where
    B: ModelBuilder,
    B::Model: Post,
{
    let json = &case.json;
    let post_desc = json.get("post").ok_or("projection without `post`")?;
    let post_params = post_desc
        .get("params")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut model = build(post_builder, &post_params)?;
    if let Some(init) = post_desc.get("init").and_then(Value::as_object) {
        initialise(&mut model, init)?;
    }
    let x = match post_desc.get("input") {
        Some(input) if input.get("kind").and_then(Value::as_str) == Some("current") => {
            let (value, unit) = quantity_parts(input)?;
            ElectricCurrent::parse(&format!("{value:?} {unit}")).map_err(|e| e.to_string())?
        }
        _ => 0.0 * mA,
    };
    let w_text = json
        .get("weight")
        .and_then(|w| param(w, "w"))
        .ok_or("projection without a weight `w`")?;
    let spike_steps: Vec<u64> = case
        .input
        .get("steps")
        .and_then(Value::as_array)
        .ok_or("projection input without `steps`")?
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    if spike_steps.contains(&0) {
        return Err(
            "a presynaptic spike at step 0 cannot reach a network's projection in \
                    step 0 (spikes arrive one step after they are emitted)"
                .into(),
        );
    }
    let dt = time_step(case)?;

    // the network: source → projection → post, with the post's constant input
    let err = |e: NetworkError| e.to_string();
    let mut net = Network::new(dt.get())
        .map_err(err)?
        .progress(Progress::Never);
    let times: Vec<Time> = spike_steps.iter().map(|&s| dt.time_of(s - 1)).collect();
    let source = SpikeTimeGroup::new(1, &vec![0; times.len()], &times).map_err(err)?;
    let src = net.add_source(source);
    let post = net.add("post", model);
    if x != 0.0 * mA {
        net.input(ExternalCurrent::constant(post, x).map_err(err)?)
            .map_err(err)?;
    }
    let proj = match case.model.as_str() {
        "AlignPostProj" => {
            let syn = Syn::build(json.get("syn").ok_or("projection without `syn`")?)?;
            let out = Out::build(json.get("out").ok_or("projection without `out`")?)?;
            let w = ElectricalConductance::parse(&w_text).map_err(|e| e.to_string())?;
            Some(align_post(&mut net, src, post, syn, out, w)?)
        }
        "DeltaProj" => {
            let w = <B::Model as NeuronUnits>::Jump::parse(&w_text).map_err(|e| e.to_string())?;
            net.connect(DeltaProj::new(src, post).comm(Comm::all_to_all(1, 1, w)))
                .map_err(err)?;
            None
        }
        other => return Err(format!("projection `{other}` is not implemented")),
    };

    // one monitor per compared column: the synapse's state, or the post neuron's
    enum Col {
        Spike,
        State(MonitorId<StateRecord>, String),
    }
    let mut cols = Vec::new();
    let spikes = net.monitor_spikes(post).map_err(err)?;
    for spec in case.compared() {
        let stem = column_stem(&spec.name, &spec.unit);
        let col = if spec.name == "spike" {
            Col::Spike
        } else {
            let on_synapse = proj.and_then(|p| {
                net.monitor_projection(p, stem, vec![0], 1)
                    .ok()
                    .map(|m| Col::State(m, spec.unit.clone()))
            });
            match on_synapse {
                Some(c) => c,
                None => Col::State(
                    net.monitor_state(post, stem, vec![0], 1).map_err(err)?,
                    spec.unit.clone(),
                ),
            }
        };
        cols.push(col);
    }
    net.run(dt.get() * case.steps as Real).map_err(err)?;

    // read the monitors back, row by row
    let mut spiked = vec![0.0; case.steps];
    for &s in &net.record(spikes).map_err(err)?.steps {
        spiked[s as usize] = 1.0;
    }
    let traces: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| match c {
            Col::Spike => Ok(spiked.clone()),
            Col::State(m, unit) => net
                .record(*m)
                .and_then(|r| r.trace_in(0, unit))
                .map_err(err),
        })
        .collect::<Result<_, _>>()?;
    let mut trace = Trace::for_case(case);
    for row in 0..case.steps {
        let mut columns = traces.iter();
        trace.record(|name, _| {
            columns
                .next()
                .map(|values| values[row])
                .ok_or_else(|| format!("column `{name}` was not simulated"))
        })?;
    }
    Ok(trace)
}
