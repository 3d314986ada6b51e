//! IF: BrainPy's integrate-and-fire neuron, a leaky integrator towards 0.

use crate::column::Column;
use crate::core_access;
use crate::drive::InputAt;
use crate::drive::NeuronUnits;
use crate::macros::model_params;
use crate::neuron::SpikeReset;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, Raw};

use super::{LifState, lif_reset};

model_params! {
    /// Parameters of [`If`] (BrainPy's defaults).
    IfParams / IfScalar for IfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Time constant τ.
        tau: Time = 5.0 * ms, "tau" where > 0;
        /// Threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th" where > 0;
    }
}

/// BrainPy's integrate-and-fire neuron `IF` — a leaky integrator towards 0:
///
/// ```text
/// τ dV/dt = −V + R·I(V)
/// spike when V ≥ V_th; next step V ← V − V_th (soft) or V ← 0 (hard)
/// ```
///
/// Defaults: R = 1 Ω, τ = 5 ms, V_th = 1 mV, V₀ = 0 mV, soft reset. BrainPy's spike test
/// `(V − V_th)/V_th ≥ 0` only means `V ≥ V_th` for a positive threshold, so `V_th` must be > 0.
#[derive(Clone, Debug)]
pub struct If {
    core: NeuronCore<If>,
    v_init: Init<ElectricPotential>,
}

/// Builder of [`If`].
#[derive(Clone, Debug)]
pub struct IfBuilder {
    n: usize,
    params: IfParams,
    options: Options,
    v_init: Init<ElectricPotential>,
}

option_setters!(IfBuilder);
model_builder!(IfBuilder => If, owner(_b) "IF", IfParams);

impl IfBuilder {
    /// Initial potential (default 0 mV).
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<If, InvalidParameter> {
        let n = self.n;
        let p = &self.params;
        p.check_shapes("IF", n)?;
        p.check_constraints("IF", n)?;
        self.v_init.check("IF", "V_initializer", n)?;
        let mut model = If {
            core: NeuronCore::new(n, self.params, self.options.reset, &self.options, None),
            v_init: self.v_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl If {
    /// A builder with BrainPy's `IF` defaults.
    pub fn builder(n: usize) -> IfBuilder {
        IfBuilder {
            n,
            params: IfParams::default(),
            options: Options::default(),
            v_init: Init::Constant(0.0 * mV),
        }
    }
}

impl Dynamics for If {
    type Params = IfScalar;
    type ParamSet = IfParams;
    type Config = SpikeReset;
    type State = ElectricPotential;
    type Columns = LifState;

    core_access!();

    #[inline(always)]
    fn potential(v: &ElectricPotential) -> ElectricPotential {
        *v
    }

    #[inline(always)]
    fn threshold(_c: &SpikeReset, p: &IfScalar, _ctx: &StepCtx, v: &ElectricPotential) -> bool {
        *v >= p.v_th
    }

    #[inline(always)]
    fn reset(
        c: &SpikeReset,
        p: &IfScalar,
        _ctx: &StepCtx,
        v: ElectricPotential,
    ) -> ElectricPotential {
        lif_reset(v, true, p.v_th, 0.0 * mV, *c)
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &SpikeReset,
        p: &IfScalar,
        _ctx: &StepCtx,
        _t: Time,
        v: &ElectricPotential,
        input: &I,
        k: usize,
    ) -> (VoltageRate, Frequency) {
        let (input, g) = input.input_at(k, *v);
        let rate = p.tau.recip();
        ((-*v + p.r * input) * rate, -(ratio(1.0) + p.r * g) * rate)
    }

    #[inline(always)]
    fn add_jump(v: ElectricPotential, jump: ElectricPotential) -> ElectricPotential {
        v + jump
    }

    #[inline(always)]
    fn shared_slope(_c: &SpikeReset, p: &IfScalar) -> Option<Frequency> {
        Some(-(ratio(1.0) + p.r * ElectricalConductance::from_raw(0.0)) * p.tau.recip())
    }
}

impl NeuronUnits for If {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for If {
    fn model_name(&self) -> &'static str {
        "IF"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let mut rng = self.core.stream(0);
        self.core.state.v = Column::from_raw(self.v_init.sample(self.len(), &mut rng));
        self.core.clear();
    }
}
