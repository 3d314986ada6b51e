//! WangBuzsakiHH: the Wang-Buzsáki (1996) interneuron, BrainPy's `WangBuzsakiHH`.

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
    /// Parameters of [`WangBuzsakiHh`] (BrainPy's defaults).
    WangBuzsakiHhParams / WangBuzsakiHhScalar for WangBuzsakiHhBuilder {
        /// Sodium reversal potential E_Na.
        e_na: ElectricPotential = 55.0 * mV, "ENa";
        /// Maximal sodium conductance g_Na.
        g_na: ElectricalConductance = 35.0 * mS, "gNa" where >= 0;
        /// Potassium reversal potential E_K.
        e_k: ElectricPotential = -90.0 * mV, "EK";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 9.0 * mS, "gK" where >= 0;
        /// Leak reversal potential E_L.
        e_l: ElectricPotential = -65.0 * mV, "EL";
        /// Leak conductance g_L.
        g_l: ElectricalConductance = 0.1 * mS, "gL" where >= 0;
        /// Spike threshold V_th (upward crossing).
        v_th: ElectricPotential = 20.0 * mV, "V_th";
        /// Temperature factor φ of the h and n kinetics.
        phi: Ratio = ratio(5.0), "phi" where > 0;
        /// Membrane capacitance C.
        c: Capacitance = 1.0 * uF, "C" where > 0;
    }
}

/// The rate functions of the Wang-Buzsáki model at one potential. With `u` the potential in mV:
///
/// ```text
/// α_m = 1/exprel(−0.1(u+35))    β_m = 4·e^{−(u+60)/18}           (1/ms)
/// α_h = 0.07·e^{−(u+58)/20}      β_h = 1/(e^{−0.1(u+28)} + 1)
/// α_n = 0.1/exprel(−0.1(u+34))  β_n = 0.125·e^{−(u+44)/80}
/// ```
///
/// The sodium activation is instantaneous, `m = m∞ = α_m/(α_m + β_m)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WangBuzsakiRates {
    /// m∞.
    pub m_inf: Ratio,
    /// α_h.
    pub alpha_h: Frequency,
    /// β_h.
    pub beta_h: Frequency,
    /// α_n.
    pub alpha_n: Frequency,
    /// β_n.
    pub beta_n: Frequency,
}

impl WangBuzsakiRates {
    /// The rates at potential `v`.
    #[inline(always)]
    pub fn at(v: ElectricPotential) -> Self {
        let alpha_m = per_ms / exprel(-0.1 * (v + 35.0 * mV) / mV);
        let beta_m = 4.0 * per_ms * exp(-(v + 60.0 * mV) / (18.0 * mV));
        Self {
            m_inf: alpha_m / (alpha_m + beta_m),
            alpha_h: 0.07 * per_ms * exp(-(v + 58.0 * mV) / (20.0 * mV)),
            beta_h: per_ms / (exp(-0.1 * (v + 28.0 * mV) / mV) + ratio(1.0)),
            alpha_n: 0.1 * per_ms / exprel(-0.1 * (v + 34.0 * mV) / mV),
            beta_n: 0.125 * per_ms * exp(-(v + 44.0 * mV) / (80.0 * mV)),
        }
    }

    /// Steady states `(h∞, n∞)`.
    pub fn steady_state(&self) -> (Ratio, Ratio) {
        (
            self.alpha_h / (self.alpha_h + self.beta_h),
            self.alpha_n / (self.alpha_n + self.beta_n),
        )
    }
}

/// State of one Wang-Buzsáki neuron: `(V, h, n)`.
pub type WangBuzsakiHhState = (ElectricPotential, Ratio, Ratio);

state_columns! {
    /// The state of a [`WangBuzsakiHh`] population.
    pub struct WangBuzsakiHhColumns / WangBuzsakiHhView / WangBuzsakiHhKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Sodium inactivation.
        h: Ratio => "h",
        /// Potassium activation.
        n: Ratio => "n",
    }
}

/// The Wang-Buzsáki model of a fast-spiking interneuron (BrainPy `WangBuzsakiHH`):
///
/// ```text
/// C dV/dt = −g_Na·m∞(V)³h·(V − E_Na) − g_K·n⁴·(V − E_K) − g_L·(V − E_L) + I
/// dx/dt   = φ·(α_x(V)·(1 − x) − β_x(V)·x)          for x ∈ {h, n}   (rates: WangBuzsakiRates)
/// spike when V crosses V_th upwards; no reset
/// ```
///
/// Step order (BrainPy's): `m∞` and the rates at the old `V`, `g_Na·m∞³h` and `g_K·n⁴` with
/// the old gates, the input `I` at the old `V`, all frozen; `V` relaxes exactly; `h` and `n`
/// relax exactly with rates `φ·(α + β)`; δ-inputs are added to `V`; spike if
/// `V_old < V_th ≤ V_new`.
///
/// Defaults: E_Na = 55 mV, g_Na = 35 mS, E_K = −90 mV, g_K = 9 mS, E_L = −65 mV, g_L = 0.1 mS,
/// V_th = 20 mV, φ = 5, C = 1 µF; V₀ = −65 mV, h₀ = 0.6, n₀ = 0.32. Currents in µA. φ must
/// be positive.
///
/// ```
/// use neurotype_models::prelude::*;
/// let wb = WangBuzsakiHh::builder(10).v_init(-64.0 * mV).build()?;
/// assert_eq!(wb.potential().get(3), -64.0 * mV);
/// assert!(WangBuzsakiHh::builder(1).g_k(-1.0 * mS).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct WangBuzsakiHh {
    core: NeuronCore<WangBuzsakiHh>,
    v_init: Init<ElectricPotential>,
    h_init: Init<Ratio>,
    n_init: Init<Ratio>,
}

/// Builder of [`WangBuzsakiHh`].
#[derive(Clone, Debug)]
pub struct WangBuzsakiHhBuilder {
    n: usize,
    params: WangBuzsakiHhParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    h_init: Init<Ratio>,
    n_init: Init<Ratio>,
}

option_setters!(WangBuzsakiHhBuilder);
model_builder!(WangBuzsakiHhBuilder => WangBuzsakiHh, owner(_b) "WangBuzsakiHH",
    WangBuzsakiHhParams);

impl WangBuzsakiHhBuilder {
    /// Initial potential (default −65 mV). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial `h` (default 0.6). BrainPy: `h_initializer`.
    pub fn h_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.h_init = init.into();
        self
    }

    /// Initial `n` (default 0.32). BrainPy: `n_initializer`.
    pub fn n_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.n_init = init.into();
        self
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<WangBuzsakiHh, InvalidParameter> {
        const OWNER: &str = "WangBuzsakiHH";
        let n = self.n;
        let p = &self.params;
        p.check_shapes(OWNER, n)?;
        p.check_constraints(OWNER, n)?;
        self.v_init.check(OWNER, "V_initializer", n)?;
        self.h_init.check(OWNER, "h_initializer", n)?;
        self.n_init.check(OWNER, "n_initializer", n)?;
        let mut model = WangBuzsakiHh {
            core: NeuronCore::new(n, self.params, (), &self.options, None),
            v_init: self.v_init,
            h_init: self.h_init,
            n_init: self.n_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl WangBuzsakiHh {
    /// A builder for `n` neurons with BrainPy's `WangBuzsakiHH` defaults.
    pub fn builder(n: usize) -> WangBuzsakiHhBuilder {
        WangBuzsakiHhBuilder {
            n,
            params: WangBuzsakiHhParams::default(),
            options: Options::default(),
            v_init: Init::Constant(-65.0 * mV),
            h_init: Init::Constant(ratio(0.6)),
            n_init: Init::Constant(ratio(0.32)),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &WangBuzsakiHhParams {
        &self.core.params
    }

    /// The membrane potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<ElectricPotential> {
        &mut self.core.state.v
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

impl Dynamics for WangBuzsakiHh {
    type Params = WangBuzsakiHhScalar;
    type ParamSet = WangBuzsakiHhParams;
    type Config = ();
    type State = WangBuzsakiHhState;
    type Columns = WangBuzsakiHhColumns;
    const RISING: bool = true;
    const FROZEN_INPUT: bool = true;

    core_access!();

    #[inline(always)]
    fn potential(x: &WangBuzsakiHhState) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &WangBuzsakiHhScalar, _ctx: &StepCtx, x: &WangBuzsakiHhState) -> bool {
        x.0 >= p.v_th
    }

    /// The membrane and gate equations with BrainPy's linearisation:
    /// `∂V̇/∂V = −(g_Na·m∞³h + g_K·n⁴ + g_L)/C` (m∞ frozen) and `∂ẋ/∂x = −φ·(α_x + β_x)`
    /// for h and n.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &WangBuzsakiHhScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, h, n): &WangBuzsakiHhState,
        input: &I,
        k: usize,
    ) -> (
        (VoltageRate, Frequency, Frequency),
        (Frequency, Frequency, Frequency),
    ) {
        let input = input.input_at(k, v).0;
        let r = WangBuzsakiRates::at(v);
        let m = r.m_inf;
        let n2 = n * n;
        let g_na = p.g_na * (m * m * m) * h;
        let g_k = p.g_k * (n2 * n2);
        let dv = (-(g_na * (v - p.e_na)) - g_k * (v - p.e_k) - p.g_l * (v - p.e_l) + input) / p.c;
        let one = ratio(1.0);
        (
            (
                dv,
                p.phi * (r.alpha_h * (one - h) - r.beta_h * h),
                p.phi * (r.alpha_n * (one - n) - r.beta_n * n),
            ),
            (
                -(g_na + g_k + p.g_l) / p.c,
                -(r.alpha_h * p.phi) - r.beta_h * p.phi,
                -(r.alpha_n * p.phi) - r.beta_n * p.phi,
            ),
        )
    }

    /// δ-inputs are added to `V` after integration.
    #[inline(always)]
    fn add_jump((v, h, n): WangBuzsakiHhState, jump: ElectricPotential) -> WangBuzsakiHhState {
        (v + jump, h, n)
    }
}

impl NeuronUnits for WangBuzsakiHh {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for WangBuzsakiHh {
    fn model_name(&self) -> &'static str {
        "WangBuzsakiHH"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        self.core.state.h = Column::from_raw(self.h_init.sample(n, &mut rng::stream(seed, 1)));
        self.core.state.n = Column::from_raw(self.n_init.sample(n, &mut rng::stream(seed, 2)));
        self.core.clear();
    }
}
