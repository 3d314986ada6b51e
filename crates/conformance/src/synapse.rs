//! Replaying synapse and short-term-plasticity cases: one element, an input at listed steps.

use crate::case::{Case, column_stem, quantity_parts};
use crate::neuron::{configure, time_step};
use crate::trace::Trace;
use neurotype_models::StepCtx;
use neurotype_models::neuron::{StateVar, StateVarMut};
use neurotype_models::prelude::*;
use neurotype_models::synapses::legacy;
use neurotype_units::{narrow, wide};

/// A synapse or plasticity model driven by the harness.
pub trait UnderTest {
    /// One step; `input` is the case's input value this step (0 when there is no event), in
    /// the case's input unit.
    fn step(&mut self, ctx: &StepCtx, input: f64, unit: &str) -> Result<(), String>;
    /// Views of the state.
    fn vars(&self) -> Vec<StateVar<'_>>;
    /// Mutable views of the state.
    fn vars_mut(&mut self) -> Vec<StateVarMut<'_>>;
    /// The value `update()` returned, as a state view (`out` column).
    fn output(&self) -> StateVar<'_>;
    /// Whether the model carries an open fraction where BrainPy's state has the unit of its
    /// `g_initializer` (the "1 mS" quirk of AMPA, GABAa and BioNMDA).
    fn fraction_in_conductance_units(&self) -> bool {
        false
    }
}

fn increment<G: Unitful>(value: f64, unit: &str) -> Result<G, String> {
    G::parse(&format!("{value:?} {unit}")).map_err(|e| format!("input: {e}"))
}

macro_rules! increment_synapse {
    ($T:ident) => {
        impl<G: SynapticVariable + PartialOrd> UnderTest for $T<G> {
            fn step(&mut self, ctx: &StepCtx, input: f64, unit: &str) -> Result<(), String> {
                let x: G = increment(input, unit)?;
                self.update(ctx, &[x]);
                Ok(())
            }
            fn vars(&self) -> Vec<StateVar<'_>> {
                self.state_vars()
            }
            fn vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
                self.state_vars_mut()
            }
            fn output(&self) -> StateVar<'_> {
                StateVar::of("out", self.g())
            }
        }
    };
}

increment_synapse!(Expon);
increment_synapse!(DualExpon);
increment_synapse!(Alpha);

macro_rules! spike_synapse {
    ($T:ty, out = |$s:ident| $out:expr, fraction = $frac:expr) => {
        impl UnderTest for $T {
            fn step(&mut self, ctx: &StepCtx, input: f64, _unit: &str) -> Result<(), String> {
                self.update(ctx, &[input != 0.0]);
                Ok(())
            }
            fn vars(&self) -> Vec<StateVar<'_>> {
                self.state_vars()
            }
            fn vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
                self.state_vars_mut()
            }
            fn output(&self) -> StateVar<'_> {
                let $s = self;
                $out
            }
            fn fraction_in_conductance_units(&self) -> bool {
                $frac
            }
        }
    };
}

spike_synapse!(Ampa, out = |s| StateVar::of("out", s.g()), fraction = true);
spike_synapse!(
    BioNmda,
    out = |s| StateVar::of("out", s.g()),
    fraction = true
);
spike_synapse!(
    legacy::Nmda,
    out = |s| StateVar::of("out", s.g()),
    fraction = false
);
spike_synapse!(
    legacy::BioNmdaJoint,
    out = |s| StateVar::of("out", s.g()),
    fraction = false
);
spike_synapse!(
    legacy::DualExponClassic,
    out = |s| StateVar::of("out", s.g()),
    fraction = false
);

impl UnderTest for Stp {
    fn step(&mut self, ctx: &StepCtx, input: f64, _unit: &str) -> Result<(), String> {
        self.update(ctx, &[input != 0.0]);
        Ok(())
    }
    fn vars(&self) -> Vec<StateVar<'_>> {
        self.state_vars()
    }
    fn vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        self.state_vars_mut()
    }
    fn output(&self) -> StateVar<'_> {
        StateVar::of("out", self.released())
    }
}

impl UnderTest for Std {
    fn step(&mut self, ctx: &StepCtx, input: f64, _unit: &str) -> Result<(), String> {
        self.update(ctx, &[input != 0.0]);
        Ok(())
    }
    fn vars(&self) -> Vec<StateVar<'_>> {
        self.state_vars()
    }
    fn vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        self.state_vars_mut()
    }
    fn output(&self) -> StateVar<'_> {
        StateVar::of("out", self.released())
    }
}

/// Builds the model of a synapse/plasticity case, sets its initial state, replays the
/// input and records the compared columns.
pub fn run<B>(case: &Case, builder: B) -> Result<Trace, String>
where
    B: ModelBuilder,
    B::Model: UnderTest,
{
    let mut model = configure(builder, &case.params)?
        .build()
        .map_err(|e| e.to_string())?;
    for (name, value) in &case.init {
        let (x, unit) = quantity_parts(value)?;
        let fraction = model.fraction_in_conductance_units();
        let mut vars = model.vars_mut();
        let var = vars
            .iter_mut()
            .find(|v| v.name == name)
            .ok_or_else(|| format!("initial state `{name}` is not a state of the model"))?;
        if !var.fill_in(x, &unit) {
            if fraction && ElectricalConductance::parse(&format!("1 {unit}")).is_ok() {
                var.raw.fill(narrow(x));
            } else {
                return Err(format!(
                    "initial state `{name}`: unit `{unit}` does not fit"
                ));
            }
        }
    }
    let dt = time_step(case)?;
    let input = &case.input;
    let (steps, value, unit) = match input.get("kind").and_then(|k| k.as_str()) {
        Some("events") => {
            let steps: Vec<usize> = input
                .get("steps")
                .and_then(|s| s.as_array())
                .ok_or("events input without steps")?
                .iter()
                .filter_map(|v| v.as_u64().map(|k| k as usize))
                .collect();
            let value = input.get("value").and_then(|v| v.as_f64()).unwrap_or(1.0);
            let unit = input.get("unit").and_then(|v| v.as_str()).unwrap_or("1");
            (steps, value, unit.to_string())
        }
        other => return Err(format!("synapse input kind {other:?} is not supported")),
    };
    let mut trace = Trace::for_case(case);
    for step in 0..case.steps {
        let x = if steps.contains(&step) { value } else { 0.0 };
        model.step(&StepCtx::new(step as u64, dt), x, &unit)?;
        trace.record(|column, unit| observe(&model, column, unit))?;
    }
    Ok(trace)
}

fn observe<M: UnderTest>(model: &M, column: &str, unit: &str) -> Result<f64, String> {
    let stem = column_stem(column, unit);
    let vars = model.vars();
    let out = model.output();
    let var = if stem == "out" {
        &out
    } else {
        vars.iter()
            .find(|v| v.name == stem)
            .ok_or_else(|| format!("column `{column}` has no state `{stem}` in the model"))?
    };
    if let Some(v) = var.value_in(0, unit) {
        return Ok(v);
    }
    if model.fraction_in_conductance_units()
        && var.unit.is_empty()
        && ElectricalConductance::parse(&format!("1 {unit}")).is_ok()
    {
        // BrainPy carries this open fraction in the unit of its g_initializer
        return Ok(wide(var.raw[0]));
    }
    Err(format!(
        "column `{column}`: unit `{unit}` does not fit state `{stem}`"
    ))
}
