//! Replaying a neuron case: constant input `x`, one neuron, every state variable recorded.

use crate::case::{Case, column_stem, quantity_parts, quantity_text};
use crate::trace::{Ties, Trace};
use neurotype_models::{Drive, ModelBuilder, Neuron, NeuronUnits, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::{Time, Unitful};

/// Applies a case's parameters to a builder.
pub fn configure<B: ModelBuilder>(
    mut builder: B,
    params: &serde_json::Map<String, serde_json::Value>,
) -> Result<B, String> {
    for (name, value) in params {
        builder = builder
            .set(name, &quantity_text(value)?)
            .map_err(|e| e.to_string())?;
    }
    Ok(builder)
}

/// Sets a model's initial state from `init` (state name → quantity).
pub fn initialise<N: Neuron>(
    model: &mut N,
    init: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), String> {
    for (name, value) in init {
        let (x, unit) = quantity_parts(value)?;
        let mut vars = model.state_vars_mut();
        let var = vars
            .iter_mut()
            .find(|v| v.name == name)
            .ok_or_else(|| format!("initial state `{name}` is not a state of the model"))?;
        if !var.fill_in(x, &unit) {
            return Err(format!(
                "initial state `{name}`: unit `{unit}` does not fit"
            ));
        }
    }
    Ok(())
}

/// The value of a compared column for neuron 0 after a step.
pub fn observe<N: Neuron>(model: &N, column: &str, unit: &str) -> Result<f64, String> {
    if column == "spike" {
        return Ok(if model.spikes()[0] { 1.0 } else { 0.0 });
    }
    let stem = column_stem(column, unit);
    let vars = model.state_vars();
    let var = vars
        .iter()
        .find(|v| v.name == stem)
        .ok_or_else(|| format!("column `{column}` has no state `{stem}` in the model"))?;
    var.value_in(0, unit)
        .ok_or_else(|| format!("column `{column}`: unit `{unit}` does not fit state `{stem}`"))
}

/// Parses the case's time step.
pub fn time_step(case: &Case) -> Result<TimeStep, String> {
    let dt = Time::parse(&case.dt).map_err(|e| e.to_string())?;
    TimeStep::new(dt).map_err(|e| e.to_string())
}

/// Runs a neuron case with the model `builder` configures.
pub fn run<B>(case: &Case, builder: B) -> Result<Trace, String>
where
    B: ModelBuilder,
    B::Model: Neuron,
{
    let mut model = configure(builder, &case.params)?
        .build()
        .map_err(|e| e.to_string())?;
    initialise(&mut model, &case.init)?;
    let dt = time_step(case)?;
    let input = &case.input;
    let x = match input.get("kind").and_then(|k| k.as_str()) {
        Some("current") => {
            let (value, unit) = quantity_parts(input)?;
            <B::Model as NeuronUnits>::Input::parse(&format!("{value:?} {unit}"))
                .map_err(|e| format!("input: {e}"))?
        }
        other => return Err(format!("neuron input kind {other:?} is not supported")),
    };
    let ties = refractory_ties(case, &model, dt);
    let mut drive = Drive::<B::Model>::new(model.len());
    let mut trace = Trace::for_case(case);
    trace.ties = ties;
    for step in 0..case.steps {
        drive.clear();
        drive.set_external(x);
        model.step(&StepCtx::new(step as u64, dt), &drive);
        trace.record(|column, unit| observe(&model, column, unit))?;
    }
    Ok(trace)
}

/// The rows an exact tie decides, for a refractory model whose τ_ref is a whole number R of
/// steps: R steps after each of the reference's spikes, where the neuron's refractoriness ends
/// exactly (BrainPy's `t − t_spike < τ_ref` is then decided by rounding; neurotype counts R
/// steps).
pub fn refractory_ties<N: Neuron>(case: &Case, model: &N, dt: TimeStep) -> Option<Ties> {
    let tau_ref = model.core().refractory.as_ref()?.tau_ref().scalar()?;
    let x = (tau_ref / dt.get()).value;
    let r = x.round();
    if (x - r).abs() > 1e-9 * r.max(1.0) || r < 1.0 {
        return None;
    }
    let spikes = case.columns.iter().find(|c| c.name == "spike")?;
    let rows: Vec<usize> = (0..spikes.expected.len())
        .filter(|&k| spikes.expected[k] != 0.0)
        .map(|k| k + r as usize)
        .collect();
    Some(Ties {
        rows,
        why: format!(
            "tau_ref = {} is exactly {r} steps: a refractory period ends exactly here, where \
             BrainPy's t - t_spike < tau_ref is decided by the last bit of the rounded times",
            tau_ref.show()
        ),
    })
}
