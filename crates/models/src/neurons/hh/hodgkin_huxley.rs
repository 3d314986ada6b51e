//! HH: the Hodgkin-Huxley (1952) squid-axon neuron, BrainPy's `HH`.

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

use super::draw_gate;

model_params! {
    /// Parameters of [`Hh`] (BrainPy's defaults).
    HhParams / HhScalar for HhBuilder {
        /// Sodium reversal potential E_Na.
        e_na: ElectricPotential = 50.0 * mV, "ENa";
        /// Maximal sodium conductance g_Na.
        g_na: ElectricalConductance = 120.0 * mS, "gNa" where >= 0;
        /// Potassium reversal potential E_K.
        e_k: ElectricPotential = -77.0 * mV, "EK";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 36.0 * mS, "gK" where >= 0;
        /// Leak reversal potential E_L.
        e_l: ElectricPotential = -54.387 * mV, "EL";
        /// Leak conductance g_L.
        g_l: ElectricalConductance = 0.03 * mS, "gL" where >= 0;
        /// Membrane capacitance C.
        c: Capacitance = 1.0 * uF, "C" where > 0;
        /// Spike threshold V_th (upward crossing).
        v_th: ElectricPotential = 20.0 * mV, "V_th";
    }
}

/// The six rate functions of the HH gates at one potential (Hodgkin & Huxley 1952, shifted
/// to a resting potential of −65 mV). With `u` the potential in mV:
///
/// ```text
/// α_m = 1/exprel(−(u+40)/10)   β_m = 4·e^{−(u+65)/18}         (1/ms)
/// α_h = 0.07·e^{−(u+65)/20}     β_h = 1/(1 + e^{−(u+35)/10})
/// α_n = 0.1/exprel(−(u+55)/10)  β_n = 0.125·e^{−(u+65)/80}
/// ```
///
/// `k/exprel(−x)` is `k·x/(1 − e^{−x})` with its removable singularity filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HhRates {
    /// α_m.
    pub alpha_m: Frequency,
    /// β_m.
    pub beta_m: Frequency,
    /// α_h.
    pub alpha_h: Frequency,
    /// β_h.
    pub beta_h: Frequency,
    /// α_n.
    pub alpha_n: Frequency,
    /// β_n.
    pub beta_n: Frequency,
}

impl HhRates {
    /// The rates at potential `v`.
    #[inline(always)]
    pub fn at(v: ElectricPotential) -> Self {
        Self {
            alpha_m: per_ms / exprel(-(v + 40.0 * mV) / (10.0 * mV)),
            beta_m: 4.0 * per_ms * exp(-(v + 65.0 * mV) / (18.0 * mV)),
            alpha_h: 0.07 * per_ms * exp(-(v + 65.0 * mV) / (20.0 * mV)),
            beta_h: per_ms / (ratio(1.0) + exp(-(v + 35.0 * mV) / (10.0 * mV))),
            alpha_n: 0.1 * per_ms / exprel(-(v + 55.0 * mV) / (10.0 * mV)),
            beta_n: 0.125 * per_ms * exp(-(v + 65.0 * mV) / (80.0 * mV)),
        }
    }

    /// Steady states `(m∞, h∞, n∞)`, each `α/(α + β)`.
    #[inline(always)]
    pub fn steady_state(&self) -> (Ratio, Ratio, Ratio) {
        (
            self.alpha_m / (self.alpha_m + self.beta_m),
            self.alpha_h / (self.alpha_h + self.beta_h),
            self.alpha_n / (self.alpha_n + self.beta_n),
        )
    }
}

/// State of one HH neuron: `(V, m, h, n)`.
pub type HhState = (ElectricPotential, Ratio, Ratio, Ratio);

state_columns! {
    /// The state of an [`Hh`] population.
    pub struct HhColumns / HhView / HhKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Sodium activation.
        m: Ratio => "m",
        /// Sodium inactivation.
        h: Ratio => "h",
        /// Potassium activation.
        n: Ratio => "n",
    }
}

/// The Hodgkin-Huxley neuron (BrainPy `HH`):
///
/// ```text
/// C dV/dt = −g_Na·m³h·(V − E_Na) − g_K·n⁴·(V − E_K) − g_L·(V − E_L) + I
/// dx/dt   = α_x(V)·(1 − x) − β_x(V)·x          for x ∈ {m, h, n}   (rates: HhRates)
/// spike when V crosses V_th upwards; no reset
/// ```
///
/// Step order (BrainPy's): conductances `g_Na·m³h`, `g_K·n⁴` from the old gates and the input
/// `I` at the old `V`, all frozen; `V` relaxes exactly (exponential Euler on a linear equation,
/// rate `(g_Na·m³h + g_K·n⁴ + g_L)/C`); each gate relaxes exactly towards `α/(α+β)` with the
/// rates at the old `V`; δ-inputs are added to `V`; spike if `V_old < V_th ≤ V_new`.
///
/// Defaults: E_Na = 50 mV, g_Na = 120 mS, E_K = −77 mV, g_K = 36 mS, E_L = −54.387 mV,
/// g_L = 0.03 mS, C = 1 µF, V_th = 20 mV; V₀ ~ Uniform(−70, −60) mV and each gate at its
/// steady state `x∞(V₀)` unless given an initialiser. Currents are in µA (`I/C` in mV/ms).
/// `V_th` may have any sign (see the module notes).
///
/// ```
/// use neurotype_models::prelude::*;
/// let hh = Hh::builder(100).g_na(100.0 * mS).build()?;
/// assert_eq!(hh.len(), 100);
/// // the gates start at their steady states:
/// let (m_inf, _, _) = HhRates::at(hh.potential().get(0)).steady_state();
/// assert_eq!(hh.m().get(0), m_inf);
/// // a zero capacitance is refused before any simulation:
/// assert!(Hh::builder(1).c(0.0 * uF).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Hh {
    core: NeuronCore<Hh>,
    v_init: Init<ElectricPotential>,
    m_init: Option<Init<Ratio>>,
    h_init: Option<Init<Ratio>>,
    n_init: Option<Init<Ratio>>,
}

/// Builder of [`Hh`].
#[derive(Clone, Debug)]
pub struct HhBuilder {
    n: usize,
    params: HhParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    m_init: Option<Init<Ratio>>,
    h_init: Option<Init<Ratio>>,
    n_init: Option<Init<Ratio>>,
}

option_setters!(HhBuilder);
model_builder!(HhBuilder => Hh, owner(_b) "HH", HhParams);

impl HhBuilder {
    /// Initial potential (default: Uniform(−70, −60) mV). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial `m` (default: `m∞(V₀)`). BrainPy: `m_initializer`.
    pub fn m_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.m_init = Some(init.into());
        self
    }

    /// Initial `h` (default: `h∞(V₀)`). BrainPy: `h_initializer`.
    pub fn h_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.h_init = Some(init.into());
        self
    }

    /// Initial `n` (default: `n∞(V₀)`). BrainPy: `n_initializer`.
    pub fn n_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.n_init = Some(init.into());
        self
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Hh, InvalidParameter> {
        const OWNER: &str = "HH";
        let n = self.n;
        let p = &self.params;
        p.check_shapes(OWNER, n)?;
        p.check_constraints(OWNER, n)?;
        self.v_init.check(OWNER, "V_initializer", n)?;
        for (init, name) in [
            (&self.m_init, "m_initializer"),
            (&self.h_init, "h_initializer"),
            (&self.n_init, "n_initializer"),
        ] {
            if let Some(init) = init {
                init.check(OWNER, name, n)?;
            }
        }
        let mut model = Hh {
            core: NeuronCore::new(n, self.params, (), &self.options, None),
            v_init: self.v_init,
            m_init: self.m_init,
            h_init: self.h_init,
            n_init: self.n_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl Hh {
    /// A builder for `n` neurons with BrainPy's `HH` defaults.
    pub fn builder(n: usize) -> HhBuilder {
        HhBuilder {
            n,
            params: HhParams::default(),
            options: Options::default(),
            v_init: Init::Uniform(-70.0 * mV, -60.0 * mV),
            m_init: None,
            h_init: None,
            n_init: None,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &HhParams {
        &self.core.params
    }

    /// The membrane potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<ElectricPotential> {
        &mut self.core.state.v
    }

    /// Sodium activation `m`.
    pub fn m(&self) -> &Column<Ratio> {
        &self.core.state.m
    }

    /// Sodium inactivation `h`.
    pub fn h(&self) -> &Column<Ratio> {
        &self.core.state.h
    }

    /// Potassium activation `n`.
    pub fn n(&self) -> &Column<Ratio> {
        &self.core.state.n
    }
}

impl Dynamics for Hh {
    type Params = HhScalar;
    type ParamSet = HhParams;
    type Config = ();
    type State = HhState;
    type Columns = HhColumns;
    const RISING: bool = true;
    const FROZEN_INPUT: bool = true;

    core_access!();

    #[inline(always)]
    fn potential(x: &HhState) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &HhScalar, _ctx: &StepCtx, x: &HhState) -> bool {
        x.0 >= p.v_th
    }

    /// The membrane and gate equations with BrainPy's linearisation:
    /// `∂V̇/∂V = −(g_Na·m³h + g_K·n⁴ + g_L)/C` and `∂ẋ/∂x = −(α_x + β_x)` for each gate.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &HhScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, m, h, n): &HhState,
        input: &I,
        k: usize,
    ) -> (
        (VoltageRate, Frequency, Frequency, Frequency),
        (Frequency, Frequency, Frequency, Frequency),
    ) {
        let input = input.input_at(k, v).0;
        let r = HhRates::at(v);
        let n2 = n * n;
        let g_na = p.g_na * (m * m * m) * h;
        let g_k = p.g_k * (n2 * n2);
        let dv = (-(g_na * (v - p.e_na)) - g_k * (v - p.e_k) - p.g_l * (v - p.e_l) + input) / p.c;
        let one = ratio(1.0);
        (
            (
                dv,
                r.alpha_m * (one - m) - r.beta_m * m,
                r.alpha_h * (one - h) - r.beta_h * h,
                r.alpha_n * (one - n) - r.beta_n * n,
            ),
            (
                -(g_na + g_k + p.g_l) / p.c,
                -(r.alpha_m + r.beta_m),
                -(r.alpha_h + r.beta_h),
                -(r.alpha_n + r.beta_n),
            ),
        )
    }

    /// δ-inputs are added to `V` after integration.
    #[inline(always)]
    fn add_jump((v, m, h, n): HhState, jump: ElectricPotential) -> HhState {
        (v + jump, m, h, n)
    }
}

impl NeuronUnits for Hh {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for Hh {
    fn model_name(&self) -> &'static str {
        "HH"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        let s = &mut self.core.state;
        s.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        s.m = draw_gate(&self.m_init, &s.v, seed, 1, |v| {
            HhRates::at(v).steady_state().0
        });
        s.h = draw_gate(&self.h_init, &s.v, seed, 2, |v| {
            HhRates::at(v).steady_state().1
        });
        s.n = draw_gate(&self.n_init, &s.v, seed, 3, |v| {
            HhRates::at(v).steady_state().2
        });
        self.core.clear();
    }
}
