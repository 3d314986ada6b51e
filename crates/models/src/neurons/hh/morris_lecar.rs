//! MorrisLecar: the Morris-Lecar (1981) barnacle-muscle neuron, BrainPy's `MorrisLecar`.

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::rng;
use crate::state_columns;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

model_params! {
    /// Parameters of [`MorrisLecar`] (BrainPy's defaults).
    MorrisLecarParams / MorrisLecarScalar for MorrisLecarBuilder {
        /// Calcium reversal potential V_Ca.
        v_ca: ElectricPotential = 130.0 * mV, "V_Ca";
        /// Maximal calcium conductance g_Ca.
        g_ca: ElectricalConductance = 4.4 * mS, "g_Ca" where >= 0;
        /// Potassium reversal potential V_K.
        v_k: ElectricPotential = -84.0 * mV, "V_K";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 8.0 * mS, "g_K" where >= 0;
        /// Leak reversal potential V_leak.
        v_leak: ElectricPotential = -60.0 * mV, "V_leak";
        /// Leak conductance g_leak.
        g_leak: ElectricalConductance = 2.0 * mS, "g_leak" where >= 0;
        /// Membrane capacitance C.
        c: Capacitance = 20.0 * uF, "C" where > 0;
        /// Half-activation potential of M∞, V1.
        v1: ElectricPotential = -1.2 * mV, "V1";
        /// Slope factor of M∞, V2.
        v2: ElectricPotential = 18.0 * mV, "V2" where != 0;
        /// Half-activation potential of W∞, V3.
        v3: ElectricPotential = 2.0 * mV, "V3";
        /// Slope factor of W∞, V4.
        v4: ElectricPotential = 30.0 * mV, "V4" where != 0;
        /// Rate scale φ of the recovery variable.
        phi: Frequency = 0.04 * per_ms, "phi" where > 0;
        /// Spike threshold V_th (upward crossing).
        v_th: ElectricPotential = 10.0 * mV, "V_th";
    }
}

/// State of one Morris-Lecar neuron: `(V, W)`.
pub type MorrisLecarState = (ElectricPotential, Ratio);

state_columns! {
    /// The state of a [`MorrisLecar`] population.
    pub struct MorrisLecarColumns / MorrisLecarView / MorrisLecarKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Recovery variable (fraction of open K⁺ channels).
        w: Ratio => "W",
    }
}

/// The Morris-Lecar neuron (BrainPy `MorrisLecar`):
///
/// ```text
/// C dV/dt = −g_Ca·M∞(V)·(V − V_Ca) − g_K·W·(V − V_K) − g_leak·(V − V_leak) + I
/// dW/dt   = (W∞(V) − W)/τ_W(V)
/// M∞ = ½(1 + tanh((V − V1)/V2))   W∞ = ½(1 + tanh((V − V3)/V4))
/// τ_W = 1/(φ·cosh((V − V3)/(2·V4)))
/// spike when V crosses V_th upwards; no reset
/// ```
///
/// Step order (BrainPy's): `M∞`, `W∞`, `τ_W` at the old `V`, `g_K·W` with the old `W`, the
/// input `I` at the old `V`; `V` relaxes exactly (a linear equation with these frozen);
/// `W` relaxes exactly towards `W∞`; δ-inputs are added to `V`; spike if
/// `V_old < V_th ≤ V_new`.
///
/// Defaults: V_Ca = 130 mV, g_Ca = 4.4 mS, V_K = −84 mV, g_K = 8 mS, V_leak = −60 mV,
/// g_leak = 2 mS, C = 20 µF, V1 = −1.2 mV, V2 = 18 mV, V3 = 2 mV, V4 = 30 mV, φ = 0.04 /ms,
/// V_th = 10 mV; V₀ ~ Uniform(−70, −60) mV, W₀ = 0.02. Currents in µA. φ must be > 0 and the
/// slope factors V2, V4 nonzero.
///
/// ```
/// use neurotype_models::prelude::*;
/// let ml = MorrisLecar::builder(10).phi(0.067 * per_ms).build()?;
/// assert_eq!(ml.recovery().get(0), ratio(0.02));
/// assert!(MorrisLecar::builder(1).v2(0.0 * mV).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct MorrisLecar {
    core: NeuronCore<MorrisLecar>,
    v_init: Init<ElectricPotential>,
    w_init: Init<Ratio>,
}

/// Builder of [`MorrisLecar`].
#[derive(Clone, Debug)]
pub struct MorrisLecarBuilder {
    n: usize,
    params: MorrisLecarParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    w_init: Init<Ratio>,
}

option_setters!(MorrisLecarBuilder);
model_builder!(MorrisLecarBuilder => MorrisLecar, owner(_b) "MorrisLecar", MorrisLecarParams);

impl MorrisLecarBuilder {
    /// Initial potential (default: Uniform(−70, −60) mV). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial recovery variable W (default 0.02). BrainPy: `W_initializer`.
    pub fn w_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.w_init = init.into();
        self
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<MorrisLecar, InvalidParameter> {
        const OWNER: &str = "MorrisLecar";
        let n = self.n;
        let p = &self.params;
        p.check_shapes(OWNER, n)?;
        p.check_constraints(OWNER, n)?;
        self.v_init.check(OWNER, "V_initializer", n)?;
        self.w_init.check(OWNER, "W_initializer", n)?;
        let mut model = MorrisLecar {
            core: NeuronCore::new(n, self.params, (), &self.options, None),
            v_init: self.v_init,
            w_init: self.w_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl MorrisLecar {
    /// A builder for `n` neurons with BrainPy's `MorrisLecar` defaults.
    pub fn builder(n: usize) -> MorrisLecarBuilder {
        MorrisLecarBuilder {
            n,
            params: MorrisLecarParams::default(),
            options: Options::default(),
            v_init: Init::Uniform(-70.0 * mV, -60.0 * mV),
            w_init: Init::Constant(ratio(0.02)),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &MorrisLecarParams {
        &self.core.params
    }

    /// The membrane potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<ElectricPotential> {
        &mut self.core.state.v
    }

    /// The recovery variable `W` (fraction of open K⁺ channels).
    pub fn recovery(&self) -> &Column<Ratio> {
        &self.core.state.w
    }
}

impl Dynamics for MorrisLecar {
    type Params = MorrisLecarScalar;
    type ParamSet = MorrisLecarParams;
    type Config = ();
    type State = MorrisLecarState;
    type Columns = MorrisLecarColumns;
    const RISING: bool = true;
    const FROZEN_INPUT: bool = true;

    core_access!();

    #[inline(always)]
    fn potential(x: &MorrisLecarState) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &MorrisLecarScalar, _ctx: &StepCtx, x: &MorrisLecarState) -> bool {
        x.0 >= p.v_th
    }

    /// The membrane and recovery equations with BrainPy's linearisation:
    /// `∂V̇/∂V = −(g_Ca·M∞ + g_K·W + g_leak)/C` (M∞ frozen) and `∂Ẇ/∂W = −1/τ_W`.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &MorrisLecarScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, w): &MorrisLecarState,
        input: &I,
        k: usize,
    ) -> ((VoltageRate, Frequency), (Frequency, Frequency)) {
        let input = input.input_at(k, v).0;
        let half = 0.5;
        let m_inf = half * (ratio(1.0) + tanh((v - p.v1) / p.v2));
        let w_inf = half * (ratio(1.0) + tanh((v - p.v3) / p.v4));
        let tau_w: Time = 1.0 / (p.phi * cosh((v - p.v3) / (2.0 * p.v4)));
        let g_ca = p.g_ca * m_inf;
        let g_k = p.g_k * w;
        let dv =
            (-(g_ca * (v - p.v_ca)) - g_k * (v - p.v_k) - p.g_leak * (v - p.v_leak) + input) / p.c;
        (
            (dv, (w_inf - w) / tau_w),
            (-(g_ca + g_k + p.g_leak) / p.c, -1.0 / tau_w),
        )
    }

    /// δ-inputs are added to `V` after integration.
    #[inline(always)]
    fn add_jump((v, w): MorrisLecarState, jump: ElectricPotential) -> MorrisLecarState {
        (v + jump, w)
    }
}

impl NeuronUnits for MorrisLecar {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for MorrisLecar {
    fn model_name(&self) -> &'static str {
        "MorrisLecar"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        self.core.state.w = Column::from_raw(self.w_init.sample(n, &mut rng::stream(seed, 1)));
        self.core.clear();
    }
}
