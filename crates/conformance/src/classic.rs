//! Replaying the classic `brainpy.synapses` functions (kind `classic_projection`) through a
//! real [`Network`]: the case's presynaptic spikes → `classic::<function>(pre, post,
//! all_to_all())` with its `method` and `output` → a LIF held below threshold by a constant
//! input. The postsynaptic V and the synapse's `g` are compared.
//!
//! Classic BrainPy is unitless. Its implied units are mV, ms, mS and µA with resistances in
//! kΩ (g in mS times a voltage in mV is a current in µA), so the post LIF has R = 1 kΩ and the
//! input is 5 µA; `Exponential`'s `g_max` of 1 is 1 µA, `Delta`'s 1 mV.

use crate::case::Case;
use crate::trace::Trace;
use neurotype_models::prelude::*;
use neurotype_network::prelude::*;
use neurotype_units::{Real, narrow};
use serde_json::Value;

/// Runs a `classic_projection` case.
pub fn run(case: &Case) -> Result<Trace, String> {
    let err = |e: NetworkError| e.to_string();
    let text = |name: &str| case.params.get(name).and_then(Value::as_str);
    let method: Option<ClassicMethod> = text("method")
        .map(str::parse)
        .transpose()
        .map_err(|e: InvalidParameter| e.to_string())?;
    // a transmitter window given by the case (BrainPy's T_duration, BioNMDA's T_dur)
    let window = ["T_duration", "T_dur"]
        .iter()
        .find_map(|k| case.params.get(*k))
        .map(|v| {
            v.get("value")
                .and_then(Value::as_f64)
                .map(|x| narrow(x) * ms)
        })
        .map(|w| w.ok_or("a window without a value"))
        .transpose()?;
    let coba = match text("output") {
        None => false,
        Some("COBA") => true,
        Some(other) => return Err(format!("classic output `{other}` is not replayed")),
    };
    let spikes = &case
        .columns
        .iter()
        .find(|c| c.name == "pre_spike")
        .ok_or("classic case without `pre_spike`")?
        .expected;
    let dt = 0.1 * ms;
    let times: Vec<Time> = (0..spikes.len())
        .filter(|&k| spikes[k] != 0.0)
        .map(|k| dt * k as Real)
        .collect();

    let mut net = Network::new(dt).map_err(err)?.progress(Progress::Never);
    let pre = net.add_source(SpikeTimeGroup::new(1, &vec![0; times.len()], &times).map_err(err)?);
    // bp.neurons.LIF's defaults, R in kΩ so that mS·mV currents (µA) give mV
    let lif = Lif::builder(1)
        .v_rest(0.0 * mV)
        .v_reset(-5.0 * mV)
        .v_th(20.0 * mV)
        .tau(10.0 * ms)
        .r(1.0 * kohm)
        .spk_reset(SpikeReset::Hard)
        .v_init(Init::Constant(0.0 * mV))
        .build()
        .map_err(|e| e.to_string())?;
    let post = net.add("post", lif);
    net.input(ExternalCurrent::constant(post, 5.0 * uA).map_err(err)?)
        .map_err(err)?;
    let all = Connector::all_to_all;
    let out = CobaFixedV { e: 0.0 * mV };
    macro_rules! with_method {
        ($proj:expr) => {{
            let proj = $proj;
            let proj = match method {
                Some(m) => proj.method(m),
                None => proj,
            };
            net.connect(proj).map_err(err)?
        }};
    }
    let proj = match (case.model.as_str(), coba) {
        ("AMPA", false) => with_method!(classic::ampa(pre, post, all()).syn(|b| match window {
            Some(w) => b.t_dur(w),
            None => b,
        })),
        ("GABAa", false) => with_method!(classic::gabaa(pre, post, all()).syn(|b| match window {
            Some(w) => b.t_dur(w),
            None => b,
        })),
        ("NMDA", false) => with_method!(classic::nmda(pre, post, all())),
        ("BioNMDA", false) => {
            with_method!(classic::bio_nmda(pre, post, all()).syn(|b| match window {
                Some(w) => b.t_dur(w),
                None => b,
            }))
        }
        ("DualExponential", true) => {
            with_method!(classic::dual_exponential(pre, post, all()).output(out))
        }
        ("Alpha", true) => with_method!(classic::alpha(pre, post, all()).output(out)),
        ("Exponential", false) => {
            // brainpy.synapses.Exponential's method= is its synapse's integrator
            let syn = Expon::builder(1)
                .tau(8.0 * ms)
                .method(method.unwrap_or_default())
                .build()
                .map_err(|e| e.to_string())?;
            net.connect(
                classic::exponential(pre, post, all())
                    .map_err(err)?
                    .comm(Comm::all_to_all(1, 1, 1.0 * uA))
                    .syn(syn),
            )
            .map_err(err)?
        }
        ("Delta", false) => net
            .connect(classic::delta(pre, post, all()).map_err(err)?)
            .map_err(err)?,
        (other, _) => return Err(format!("classic function `{other}` is not replayed")),
    };
    let v = net.monitor_state(post, "V", vec![0], 1).map_err(err)?;
    let g = case
        .compared()
        .any(|c| c.name == "g")
        .then(|| net.monitor_projection(proj, "g", vec![0], 1))
        .transpose()
        .map_err(err)?;
    net.run(dt * case.steps as Real).map_err(err)?;
    let v = net
        .record(v)
        .and_then(|r| r.trace_in(0, "mV"))
        .map_err(err)?;
    // Exponential's g is a current (µA); the others' a fraction or a number
    let g = match g {
        Some(m) => {
            let r = net.record(m).map_err(err)?;
            let unit = if case.model == "Exponential" {
                "uA"
            } else {
                r.unit
            };
            Some(r.trace_in(0, unit).map_err(err)?)
        }
        None => None,
    };
    let mut trace = Trace::for_case(case);
    for row in 0..case.steps {
        trace.record(|name, _| match (name, &g) {
            ("V_mV", _) => Ok(v[row]),
            ("g", Some(g)) => Ok(g[row]),
            _ => Err(format!("column `{name}` is not simulated")),
        })?;
    }
    Ok(trace)
}
