//! The interface every neuron population implements.

use crate::column::Column;
use crate::column::StateColumns;
use crate::drive::Drive;
use crate::stepper::{self, Dynamics};
use neurotype_solvers::TimeStep;
use neurotype_units::Real;
use neurotype_units::{InvalidParameter, Time, Unitful};

/// Where a step is: its index `i`, its time `t = i·dt` (a product, never accumulated), and `dt`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepCtx {
    /// Step index.
    pub i: u64,
    /// Time of the step, `i·dt`.
    pub t: Time,
    /// Time step.
    pub dt: TimeStep,
}

impl StepCtx {
    /// The context of step `i`.
    pub fn new(i: u64, dt: TimeStep) -> Self {
        Self {
            i,
            t: dt.time_of(i),
            dt,
        }
    }
}

/// How a LIF-like neuron resets after a spike (applied at the start of the next step, from the
/// stored potential, as in BrainPy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpikeReset {
    /// `V ← V − (V_th − V_reset)`: keeps the overshoot above threshold (BrainPy's default).
    #[default]
    Soft,
    /// `V ← V_reset`.
    Hard,
}

impl core::str::FromStr for SpikeReset {
    type Err = InvalidParameter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "soft" => Ok(SpikeReset::Soft),
            "hard" => Ok(SpikeReset::Hard),
            other => Err(InvalidParameter::new(
                "Neuron",
                "spk_reset",
                format!("\"{other}\""),
                "must be \"soft\" or \"hard\"",
            )),
        }
    }
}

/// A read-only view of one state variable, for monitors and the conformance harness.
#[derive(Clone, Copy)]
pub struct StateVar<'a> {
    /// BrainPy's name of the variable (`"V"`, `"w"`, `"last_spike_time"`).
    pub name: &'static str,
    /// Canonical unit symbol of the stored numbers' quantity kind (`"mV"`).
    pub unit: &'static str,
    /// The stored numbers (base units).
    pub raw: &'a [Real],
    /// Converts a stored number into a named unit (`None` if the unit does not fit).
    pub convert: fn(Real, &str) -> Option<f64>,
}

impl<'a> StateVar<'a> {
    /// A view of a typed column.
    pub fn of<Q: Unitful>(name: &'static str, column: &'a Column<Q>) -> Self {
        Self::of_raw::<Q>(name, column.raw())
    }

    /// A view of stored numbers of quantity kind `Q`.
    pub fn of_raw<Q: Unitful>(name: &'static str, raw: &'a [Real]) -> Self {
        Self {
            name,
            unit: Q::canonical_symbol(),
            raw,
            convert: convert_to::<Q>,
        }
    }

    /// Element `i` expressed in `unit`.
    pub fn value_in(&self, i: usize, unit: &str) -> Option<f64> {
        (self.convert)(self.raw[i], unit)
    }
}

/// A mutable view of one state variable (to set initial states by name).
pub struct StateVarMut<'a> {
    /// BrainPy's name of the variable.
    pub name: &'static str,
    /// The stored numbers (base units).
    pub raw: &'a mut [Real],
    /// Converts a value in a named unit into a stored number (`None` if the unit does not fit).
    pub convert_from: fn(f64, &str) -> Option<Real>,
}

impl<'a> StateVarMut<'a> {
    /// A mutable view of a typed column.
    pub fn of<Q: Unitful>(name: &'static str, column: &'a mut Column<Q>) -> Self {
        Self {
            name,
            raw: column.raw_mut(),
            convert_from: convert_from::<Q>,
        }
    }

    /// Sets every element to `value` given in `unit`; false if the unit does not fit.
    pub fn fill_in(&mut self, value: f64, unit: &str) -> bool {
        match (self.convert_from)(value, unit) {
            Some(raw) => {
                self.raw.fill(raw);
                true
            }
            None => false,
        }
    }
}

/// Converts a value in `unit` into the stored number of kind `Q`.
pub fn convert_from<Q: Unitful>(value: f64, unit: &str) -> Option<Real> {
    let one = neurotype_units::parse_quantity::<Q>(&format!("1 {unit}")).ok()?;
    Some(neurotype_units::narrow(
        value * neurotype_units::wide(one.raw()),
    ))
}

/// Builds a model from BrainPy-style keyword settings: what the conformance harness and
/// configuration files use. Every model builder implements it.
pub trait ModelBuilder: Sized {
    /// The model built.
    type Model;

    /// Sets a parameter or option by its BrainPy keyword from text: a quantity with its unit
    /// (`"tau"`, `"5 ms"`), or an option (`"spk_reset"`, `"hard"`).
    fn set(self, name: &str, text: &str) -> Result<Self, InvalidParameter>;

    /// Validates everything and builds the model.
    fn build(self) -> Result<Self::Model, InvalidParameter>;
}

/// Converts a stored number of kind `Q` into `unit` (one of `Q`'s symbols).
pub fn convert_to<Q: Unitful>(raw: Real, unit: &str) -> Option<f64> {
    let one = neurotype_units::parse_quantity::<Q>(&format!("1 {unit}")).ok()?;
    Some(neurotype_units::wide(raw) / neurotype_units::wide(one.raw()))
}

/// A population of neurons of one model, stored as columns (struct of arrays): what the
/// network needs of it beyond its equations ([`Dynamics`]). Its units ([`NeuronUnits`]:
/// potential, input, conductance, jump) decide which projections may target it, when the
/// program is compiled.
///
/// [`NeuronUnits`]: crate::drive::NeuronUnits
pub trait Neuron: Dynamics {
    /// BrainPy's class name (`"LIF"`, `"LIFRef"`, `"HH"`).
    fn model_name(&self) -> &'static str;

    /// The membrane potentials.
    fn potential(&self) -> &Column<Self::Potential>;

    /// Re-draws the initial state from the initialisers (with the same seed).
    fn reset_state(&mut self);

    /// Number of neurons.
    fn len(&self) -> usize {
        self.core().len()
    }

    /// Whether the population is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Advances every neuron by one step under `drive` and records which spiked (the
    /// stepper's loop over the whole population; see [`stepper`]).
    fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
        let n = self.len();
        self.prepare(ctx);
        stepper::advance_own(self, ctx, drive, &mut [], 0..n);
    }

    /// Which neurons spiked in the last step.
    fn spikes(&self) -> &[bool] {
        &self.core().spikes
    }

    /// Every state variable, for monitors: the state columns, then the refractory
    /// bookkeeping.
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        let core = self.core();
        let mut vars = core.state.vars();
        if let Some(r) = &core.refractory {
            r.push_vars(&mut vars);
        }
        vars
    }

    /// Every state variable, mutable (to set a state by hand or from a file). Handing out
    /// `last_spike_time` makes the next step rebuild the refractory bookkeeping from it.
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        let core = self.core_mut();
        let mut vars = core.state.vars_mut();
        if let Some(r) = &mut core.refractory {
            r.push_vars_mut(&mut vars);
        }
        vars
    }

    /// One state variable by name, mutable: what an input that writes a state in every step
    /// uses (only `last_spike_time` makes the next step rebuild the refractory bookkeeping).
    fn state_var_mut(&mut self, name: &str) -> Option<StateVarMut<'_>> {
        let core = self.core_mut();
        match &mut core.refractory {
            Some(r) if matches!(name, "last_spike_time" | "refractory") => r.var_mut(name),
            _ => core.state.vars_mut().into_iter().find(|v| v.name == name),
        }
    }
}
