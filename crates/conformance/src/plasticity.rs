//! Replaying spike-timing-dependent plasticity cases (classic BrainPy's `STDP_Song2000`, kind
//! `stdp`) through a real [`Network`]: the case's presynaptic spike times → an all-to-all
//! [`AlignPostProj`] with [`Stdp`] → Expon → CUBA → LIF neurons whose spikes are forced by the
//! case's one-step current pulses. The spikes, every weight and both traces are compared.
//!
//! neurotype's traces take in a step's spikes at the start of the next step, just before the
//! weight update that reads them; BrainPy's take them in at the end of the same step. The
//! trace BrainPy records after step n is therefore neurotype's after step n + 1, and the
//! runner reads it there (one more step is run). Classic BrainPy is unitless: its weights, A1,
//! A2 and bounds are read as mS (the CUBA current as mA, the potentials as mV).

use crate::case::Case;
use crate::trace::Trace;
use neurotype_models::prelude::*;
use neurotype_network::prelude::*;
use neurotype_units::{Real, narrow};
use serde_json::Value;

fn number(v: &Value, what: &str) -> Result<f64, String> {
    v.get("value")
        .and_then(Value::as_f64)
        .or_else(|| v.as_f64())
        .ok_or_else(|| format!("`{what}` is not a number"))
}

fn list(v: Option<&Value>, what: &str) -> Result<Vec<f64>, String> {
    v.and_then(Value::as_array)
        .ok_or_else(|| format!("stdp case without `{what}`"))?
        .iter()
        .map(|x| {
            x.as_f64()
                .ok_or_else(|| format!("`{what}` holds a non-number"))
        })
        .collect()
}

/// The case's rule: BrainPy's keywords `tau_s`, `tau_t`, `A1`, `A2`, `W_min`, `W_max`.
fn rule(case: &Case) -> Result<Stdp<ElectricalConductance>, String> {
    let p = |name: &str| case.params.get(name).map(|v| number(v, name)).transpose();
    let mut b = Stdp::builder(
        narrow(p("A1")?.unwrap_or(0.96)) * mS,
        narrow(p("A2")?.unwrap_or(0.53)) * mS,
    );
    if let Some(t) = p("tau_s")? {
        b = b.tau_pre(narrow(t) * ms);
    }
    if let Some(t) = p("tau_t")? {
        b = b.tau_post(narrow(t) * ms);
    }
    if let Some(w) = p("W_min")? {
        b = b.w_min(narrow(w) * mS);
    }
    if let Some(w) = p("W_max")? {
        b = b.w_max(narrow(w) * mS);
    }
    b.build().map_err(|e| e.to_string())
}

/// Runs an `stdp` case.
pub fn run(case: &Case) -> Result<Trace, String> {
    let err = |e: NetworkError| e.to_string();
    let input = &case.input;
    let pre_idx: Vec<usize> = list(input.get("pre_indices"), "pre_indices")?
        .into_iter()
        .map(|i| i as usize)
        .collect();
    let pre_t = list(input.get("pre_times_ms"), "pre_times_ms")?;
    let pulses: Vec<Vec<f64>> = input
        .get("post_pulse_times_ms")
        .and_then(Value::as_array)
        .ok_or("stdp case without `post_pulse_times_ms`")?
        .iter()
        .map(|ts| list(Some(ts), "post_pulse_times_ms"))
        .collect::<Result<_, _>>()?;
    let pulse = number(
        input.get("post_pulse").ok_or("no `post_pulse`")?,
        "post_pulse",
    )?;
    let w0 = list(case.init.get("w"), "init.w")?;
    let (n_pre, n_post) = (pre_idx.iter().max().map_or(0, |m| m + 1), pulses.len());
    let dt = 0.1 * ms;
    if case.dt != "0.1 ms" {
        return Err(format!(
            "stdp cases are replayed at dt = 0.1 ms, not {}",
            case.dt
        ));
    }

    let mut net = Network::new(dt).map_err(err)?.progress(Progress::Never);
    let times: Vec<Time> = pre_t.iter().map(|&t| narrow(t) * ms).collect();
    let pre = net.add_source(SpikeTimeGroup::new(n_pre, &pre_idx, &times).map_err(err)?);
    // bp.dyn.Lif's defaults; a pulse lifts V far above threshold in its own step
    let lif = Lif::builder(n_post)
        .v_rest(0.0 * mV)
        .v_reset(-5.0 * mV)
        .v_th(20.0 * mV)
        .tau(10.0 * ms)
        .r(1.0 * ohm)
        .spk_reset(SpikeReset::Hard)
        .build()
        .map_err(|e| e.to_string())?;
    let post = net.add("post", lif);
    for (j, ts) in pulses.iter().enumerate() {
        // one step of `pulse` mA at each time (section starts rounded to whole steps)
        let mut values = Vec::new();
        let mut durations = Vec::new();
        let mut at = 0.0;
        for &t in ts {
            let start = (t / 0.1).round() * 0.1;
            values.extend([0.0 * mA, narrow(pulse) * mA]);
            durations.extend([narrow(start - at) * ms, dt]);
            at = start + 0.1;
        }
        let wave = Waveform::Section { values, durations };
        let input = ExternalCurrent::new(post, wave)
            .map_err(err)?
            .indices(vec![j])
            .map_err(err)?;
        net.input(input).map_err(err)?;
    }
    let weights = WeightInit::Values(w0.iter().map(|&w| narrow(w) * mS).collect());
    let proj = net
        .connect(
            AlignPostProj::new(pre, post)
                .comm(Comm::all_to_all(n_pre, n_post, weights))
                .syn(
                    Expon::builder(n_post)
                        .tau(5.0 * ms)
                        .build()
                        .map_err(|e| e.to_string())?,
                )
                .out(Cuba::new(1.0 * volt).map_err(|e| e.to_string())?)
                .stdp(rule(case)?)
                .name("STDP_Song2000"),
        )
        .map_err(err)?;
    let mut every = |v: &str, n: usize| net.monitor_projection(proj, v, (0..n).collect(), 1);
    let (w, x, y) = (
        every("w", w0.len()).map_err(err)?,
        every("pre_trace", n_pre).map_err(err)?,
        every("post_trace", n_post).map_err(err)?,
    );
    let (pre_spikes, post_spikes) = (
        net.monitor_spikes(pre).map_err(err)?,
        net.monitor_spikes(post).map_err(err)?,
    );
    net.run(dt * (case.steps + 1) as Real).map_err(err)?;

    let spiked = |m: MonitorId<SpikeRecord>, n: usize| -> Result<Vec<Vec<f64>>, String> {
        let mut s = vec![vec![0.0; case.steps + 1]; n];
        let r = net.record(m).map_err(err)?;
        for (&step, &i) in r.steps.iter().zip(&r.neurons) {
            s[i as usize][step as usize] = 1.0;
        }
        Ok(s)
    };
    let (pre_s, post_s) = (spiked(pre_spikes, n_pre)?, spiked(post_spikes, n_post)?);
    let read = |m: MonitorId<StateRecord>, n: usize, unit: &str| -> Result<Vec<Vec<f64>>, String> {
        let r = net.record(m).map_err(err)?;
        (0..n).map(|k| r.trace_in(k, unit).map_err(err)).collect()
    };
    let (w, x, y) = (
        read(w, w0.len(), "mS")?,
        read(x, n_pre, "1")?,
        read(y, n_post, "1")?,
    );
    let mut trace = Trace::for_case(case);
    for row in 0..case.steps {
        trace.record(|name, _| {
            let (stem, k) = name
                .rsplit_once('_')
                .and_then(|(s, k)| Some((s, k.parse::<usize>().ok()?)))
                .ok_or_else(|| format!("column `{name}` is not `<name>_<index>`"))?;
            let column = match stem {
                "pre_spike" => &pre_s,
                "post_spike" => &post_s,
                "w" => &w,
                // the traces as BrainPy records them after step `row`: see the module
                "pre_trace" => return Ok(x[k][row + 1]),
                "post_trace" => return Ok(y[k][row + 1]),
                _ => return Err(format!("column `{name}` is not simulated")),
            };
            Ok(column[k][row])
        })?;
    }
    Ok(trace)
}
