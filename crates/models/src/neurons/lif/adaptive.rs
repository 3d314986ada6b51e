//! ALIF: the LIF with a spike-triggered adaptive threshold.

use crate::column::Column;
use crate::drive::InputAt;
use crate::drive::NeuronUnits;
use crate::macros::model_params;
use crate::neuron::{Neuron, StateVar, StateVarMut, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::{Init, check_below};
use crate::rng;
use crate::state_columns;
use crate::stepper::{Dynamics, Parts};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

use super::lif_reset;

model_params! {
    /// Parameters of [`Alif`] (BrainPy's defaults).
    AlifParams / AlifScalar for AlifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau";
        /// Adaptation time constant τ_a.
        tau_a: Time = 100.0 * ms, "tau_a";
        /// Baseline threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
        /// Threshold increment per unit of adaptation β.
        beta: ElectricPotential = 0.1 * mV, "beta";
    }
}

state_columns! {
    /// The state of an [`Alif`] population.
    pub struct AlifState / AlifView {
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
    params: AlifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    a_init: Init<Ratio>,
    state: AlifState,
    spikes: Vec<bool>,
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
        p.tau.check_positive("ALIF", "tau")?;
        p.tau_a.check_positive("ALIF", "tau_a")?;
        check_below("ALIF", "V_reset", &p.v_reset, "V_th", &p.v_th, n)?;
        self.v_init.check("ALIF", "V_initializer", n)?;
        self.a_init.check("ALIF", "a_initializer", n)?;
        let mut model = Alif {
            params: self.params,
            options: self.options,
            v_init: self.v_init,
            a_init: self.a_init,
            state: AlifState::zeros(n),
            spikes: vec![false; n],
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
        &self.state.a
    }
}

impl Dynamics for Alif {
    type Params = AlifScalar;
    type ParamSet = AlifParams;
    type Config = Options;
    type State = (ElectricPotential, Ratio);
    type Columns = AlifState;

    fn parts(&mut self) -> Parts<'_, Self> {
        Parts {
            config: self.options,
            method: self.options.method,
            params: &self.params,
            state: &mut self.state,
            refractory: None,
            spikes: &mut self.spikes,
        }
    }

    #[inline(always)]
    fn potential(x: &(ElectricPotential, Ratio)) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(
        _c: &Options,
        p: &AlifScalar,
        _ctx: &StepCtx,
        (v, a): &(ElectricPotential, Ratio),
    ) -> bool {
        *v >= p.v_th + p.beta * *a
    }

    /// V is reset as LIF's (from the baseline threshold), a ← a + 1.
    #[inline(always)]
    fn reset(
        c: &Options,
        p: &AlifScalar,
        _ctx: &StepCtx,
        (v, a): (ElectricPotential, Ratio),
    ) -> (ElectricPotential, Ratio) {
        (
            lif_reset(v, true, p.v_th, p.v_reset, c.reset),
            a + ratio(1.0),
        )
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &Options,
        p: &AlifScalar,
        _ctx: &StepCtx,
        _t: Time,
        (v, a): &(ElectricPotential, Ratio),
        input: &I,
        k: usize,
    ) -> ((VoltageRate, Frequency), (Frequency, Frequency)) {
        let (input, g) = input.input_at(k, *v);
        (
            ((-*v + p.v_rest + p.r * input) / p.tau, -*a / p.tau_a),
            (-(ratio(1.0) + p.r * g) / p.tau, -1.0 / p.tau_a),
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
    fn len(&self) -> usize {
        self.spikes.len()
    }
    fn spikes(&self) -> &[bool] {
        &self.spikes
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.state.v
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.state.vars()
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        self.state.vars_mut()
    }
    fn reset_state(&mut self) {
        let n = self.len();
        self.state.v = Column::from_raw(
            self.v_init
                .sample(n, &mut rng::stream(self.options.seed, 0)),
        );
        self.state.a = Column::from_raw(
            self.a_init
                .sample(n, &mut rng::stream(self.options.seed, 1)),
        );
        self.spikes.fill(false);
    }
}
