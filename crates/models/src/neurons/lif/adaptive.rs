//! ALIF: the LIF with a spike-triggered adaptive threshold.

use crate::column::Column;
use crate::core_access;
use crate::drive::InputAt;
use crate::drive::NeuronUnits;
use crate::macros::model_params;
use crate::neuron::SpikeReset;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::state_columns;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

use super::lif_reset;

model_params! {
    /// Parameters of [`Alif`] (BrainPy's defaults).
    AlifParams / AlifScalar for AlifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau" where > 0;
        /// Adaptation time constant τ_a.
        tau_a: Time = 100.0 * ms, "tau_a" where > 0;
        /// Baseline threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
        /// Threshold increment per unit of adaptation β.
        beta: ElectricPotential = 0.1 * mV, "beta";
    }
}

state_columns! {
    /// The state of an [`Alif`] population.
    pub struct AlifState / AlifView / AlifKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Adaptation.
        a: Ratio => "a",
    }
}

/// Adaptive LIF with a spike-triggered threshold (BrainPy `ALIF`):
///
/// ```text
/// τ dV/dt = −V + V_rest + R·I(V)
/// τ_a da/dt = −a
/// spike when V ≥ V_th + β·a; next step: V reset as LIF, a ← a + 1
/// ```
///
/// Defaults: R = 1 Ω, τ = 5 ms, τ_a = 100 ms, V_th = 1 mV, V_reset = V_rest = 0 mV,
/// β = 0.1 mV, V₀ = 0 mV, a₀ = 0, soft reset.
#[derive(Clone, Debug)]
pub struct Alif {
    core: NeuronCore<Alif>,
    v_init: Init<ElectricPotential>,
    a_init: Init<Ratio>,
}

/// Builder of [`Alif`].
#[derive(Clone, Debug)]
pub struct AlifBuilder {
    n: usize,
    params: AlifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    a_init: Init<Ratio>,
}

option_setters!(AlifBuilder);
model_builder!(AlifBuilder => Alif, owner(_b) "ALIF", AlifParams);

impl AlifBuilder {
    /// Initial potential (default 0 mV).
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }
    /// Initial adaptation (default 0).
    pub fn a_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.a_init = init.into();
        self
    }
    /// Validates and builds.
    pub fn build(self) -> Result<Alif, InvalidParameter> {
        let n = self.n;
        let p = &self.params;
        p.check_shapes("ALIF", n)?;
        p.check_constraints("ALIF", n)?;
        self.v_init.check("ALIF", "V_initializer", n)?;
        self.a_init.check("ALIF", "a_initializer", n)?;
        let mut model = Alif {
            core: NeuronCore::new(n, self.params, self.options.reset, &self.options, None),
            v_init: self.v_init,
            a_init: self.a_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl Alif {
    /// A builder with BrainPy's `ALIF` defaults.
    pub fn builder(n: usize) -> AlifBuilder {
        AlifBuilder {
            n,
            params: AlifParams::default(),
            options: Options::default(),
            v_init: Init::Constant(0.0 * mV),
            a_init: Init::Constant(ratio(0.0)),
        }
    }

    /// The adaptation variable.
    pub fn adaptation(&self) -> &Column<Ratio> {
        &self.core.state.a
    }
}

impl Dynamics for Alif {
    type Params = AlifScalar;
    type ParamSet = AlifParams;
    type Config = SpikeReset;
    type State = (ElectricPotential, Ratio);
    type Columns = AlifState;

    core_access!();

    #[inline(always)]
    fn potential(x: &(ElectricPotential, Ratio)) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(
        _c: &SpikeReset,
        p: &AlifScalar,
        _ctx: &StepCtx,
        (v, a): &(ElectricPotential, Ratio),
    ) -> bool {
        *v >= p.v_th + p.beta * *a
    }

    /// V is reset as LIF's (from the baseline threshold), a ← a + 1.
    #[inline(always)]
    fn reset(
        c: &SpikeReset,
        p: &AlifScalar,
        _ctx: &StepCtx,
        (v, a): (ElectricPotential, Ratio),
    ) -> (ElectricPotential, Ratio) {
        (lif_reset(v, true, p.v_th, p.v_reset, *c), a + ratio(1.0))
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &SpikeReset,
        p: &AlifScalar,
        _ctx: &StepCtx,
        _t: Time,
        (v, a): &(ElectricPotential, Ratio),
        input: &I,
        k: usize,
    ) -> ((VoltageRate, Frequency), (Frequency, Frequency)) {
        let (input, g) = input.input_at(k, *v);
        let rate = p.tau.recip();
        (
            ((-*v + p.v_rest + p.r * input) * rate, -*a / p.tau_a),
            (-(ratio(1.0) + p.r * g) * rate, -1.0 / p.tau_a),
        )
    }

    #[inline(always)]
    fn add_jump(
        (v, a): (ElectricPotential, Ratio),
        jump: ElectricPotential,
    ) -> (ElectricPotential, Ratio) {
        (v + jump, a)
    }
}

impl NeuronUnits for Alif {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for Alif {
    fn model_name(&self) -> &'static str {
        "ALIF"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
        self.core.state.a = Column::from_raw(self.a_init.sample(n, &mut self.core.stream(1)));
        self.core.clear();
    }
}
