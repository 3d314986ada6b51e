//! Conductance-based neurons of the Hodgkin-Huxley family: HH, MorrisLecar, WangBuzsakiHH.
//!
//! All three follow BrainPy 2.9.0's step, in which every variable is advanced from the values
//! at the start of the step (a Jacobi sweep):
//!
//! 1. the ionic conductances come from the old gates, the rate functions from the old `V`;
//! 2. the input `I = x + Σ synaptic currents` is evaluated **once**, at the old `V` (so a
//!    conductance-based synapse is explicit here, unlike the LIF family: it is not in the
//!    exponential-Euler Jacobian);
//! 3. `V` is advanced by its membrane equation, which is linear in `V` once the conductances
//!    are frozen, so exponential Euler is the exact relaxation with rate `Σg/C`;
//! 4. every gate relaxes towards its steady state with the rates at the old `V`, exactly;
//! 5. δ-inputs are added to `V`;
//! 6. the neuron spikes when `V` crosses `V_th` upwards in this step (`V_new ≥ V_th` and
//!    `V_old < V_th`). There is no reset; `spk_reset` is accepted and ignored, as in BrainPy.
//!
//! Each model states its equations once ([`Dynamics`]): one joint right-hand side over
//! `(V, gates…)` with the input frozen at its start-of-step value ([`Dynamics::FROZEN_INPUT`]),
//! and the spike as a rising crossing ([`Dynamics::RISING`]). Exponential Euler evaluates it
//! (and its Jacobian diagonal) at the start of the step, which is exactly the sweep above; the
//! other integrators (Euler, RK2, midpoint, RK4) integrate the coupled system, re-evaluating
//! conductances and rates at each stage.
//!
//! BrainPy tests a spike as `H((V − V_th)/V_th)`, which means `V ≥ V_th` only when `V_th > 0`
//! (every default is); neurotype tests `V ≥ V_th` directly, whatever the sign of `V_th`.

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::{Init, Param};
use crate::rng;
use crate::state_columns;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

/// Requires every value of a slope factor (a divisor) to be nonzero.
fn check_nonzero<Q: Unitful>(
    param: &Param<Q>,
    owner: &str,
    name: &str,
) -> Result<(), InvalidParameter> {
    param.check_each(owner, name, |o, n, q| {
        if q.raw() != 0.0 {
            Ok(())
        } else {
            Err(InvalidParameter::new(
                o,
                n,
                q.show().to_string(),
                "must be nonzero (it divides the potential)",
            ))
        }
    })
}

/// Draws a gate: from its initialiser if there is one, else the steady state at each `V`.
fn draw_gate(
    init: &Option<Init<Ratio>>,
    v: &Column<ElectricPotential>,
    seed: u64,
    stream: u64,
    steady: impl Fn(ElectricPotential) -> Ratio,
) -> Column<Ratio> {
    match init {
        Some(init) => Column::from_raw(init.sample(v.len(), &mut rng::stream(seed, stream))),
        None => Column::from_values(v.iter().map(steady)),
    }
}

// ---------------------------------------------------------------------------------------------
// HH

model_params! {
    /// Parameters of [`Hh`] (BrainPy's defaults).
    HhParams / HhScalar for HhBuilder {
        /// Sodium reversal potential E_Na.
        e_na: ElectricPotential = 50.0 * mV, "ENa";
        /// Maximal sodium conductance g_Na.
        g_na: ElectricalConductance = 120.0 * mS, "gNa";
        /// Potassium reversal potential E_K.
        e_k: ElectricPotential = -77.0 * mV, "EK";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 36.0 * mS, "gK";
        /// Leak reversal potential E_L.
        e_l: ElectricPotential = -54.387 * mV, "EL";
        /// Leak conductance g_L.
        g_l: ElectricalConductance = 0.03 * mS, "gL";
        /// Membrane capacitance C.
        c: Capacitance = 1.0 * uF, "C";
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
    pub struct HhColumns / HhView {
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
        p.c.check_positive(OWNER, "C")?;
        p.g_na.check_non_negative(OWNER, "gNa")?;
        p.g_k.check_non_negative(OWNER, "gK")?;
        p.g_l.check_non_negative(OWNER, "gL")?;
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

// ---------------------------------------------------------------------------------------------
// MorrisLecar

model_params! {
    /// Parameters of [`MorrisLecar`] (BrainPy's defaults).
    MorrisLecarParams / MorrisLecarScalar for MorrisLecarBuilder {
        /// Calcium reversal potential V_Ca.
        v_ca: ElectricPotential = 130.0 * mV, "V_Ca";
        /// Maximal calcium conductance g_Ca.
        g_ca: ElectricalConductance = 4.4 * mS, "g_Ca";
        /// Potassium reversal potential V_K.
        v_k: ElectricPotential = -84.0 * mV, "V_K";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 8.0 * mS, "g_K";
        /// Leak reversal potential V_leak.
        v_leak: ElectricPotential = -60.0 * mV, "V_leak";
        /// Leak conductance g_leak.
        g_leak: ElectricalConductance = 2.0 * mS, "g_leak";
        /// Membrane capacitance C.
        c: Capacitance = 20.0 * uF, "C";
        /// Half-activation potential of M∞, V1.
        v1: ElectricPotential = -1.2 * mV, "V1";
        /// Slope factor of M∞, V2.
        v2: ElectricPotential = 18.0 * mV, "V2";
        /// Half-activation potential of W∞, V3.
        v3: ElectricPotential = 2.0 * mV, "V3";
        /// Slope factor of W∞, V4.
        v4: ElectricPotential = 30.0 * mV, "V4";
        /// Rate scale φ of the recovery variable.
        phi: Frequency = 0.04 * per_ms, "phi";
        /// Spike threshold V_th (upward crossing).
        v_th: ElectricPotential = 10.0 * mV, "V_th";
    }
}

/// State of one Morris-Lecar neuron: `(V, W)`.
pub type MorrisLecarState = (ElectricPotential, Ratio);

state_columns! {
    /// The state of a [`MorrisLecar`] population.
    pub struct MorrisLecarColumns / MorrisLecarView {
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
        p.c.check_positive(OWNER, "C")?;
        p.phi.check_positive(OWNER, "phi")?;
        p.g_ca.check_non_negative(OWNER, "g_Ca")?;
        p.g_k.check_non_negative(OWNER, "g_K")?;
        p.g_leak.check_non_negative(OWNER, "g_leak")?;
        check_nonzero(&p.v2, OWNER, "V2")?;
        check_nonzero(&p.v4, OWNER, "V4")?;
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

// ---------------------------------------------------------------------------------------------
// WangBuzsakiHH

model_params! {
    /// Parameters of [`WangBuzsakiHh`] (BrainPy's defaults).
    WangBuzsakiHhParams / WangBuzsakiHhScalar for WangBuzsakiHhBuilder {
        /// Sodium reversal potential E_Na.
        e_na: ElectricPotential = 55.0 * mV, "ENa";
        /// Maximal sodium conductance g_Na.
        g_na: ElectricalConductance = 35.0 * mS, "gNa";
        /// Potassium reversal potential E_K.
        e_k: ElectricPotential = -90.0 * mV, "EK";
        /// Maximal potassium conductance g_K.
        g_k: ElectricalConductance = 9.0 * mS, "gK";
        /// Leak reversal potential E_L.
        e_l: ElectricPotential = -65.0 * mV, "EL";
        /// Leak conductance g_L.
        g_l: ElectricalConductance = 0.1 * mS, "gL";
        /// Spike threshold V_th (upward crossing).
        v_th: ElectricPotential = 20.0 * mV, "V_th";
        /// Temperature factor φ of the h and n kinetics.
        phi: Ratio = ratio(5.0), "phi";
        /// Membrane capacitance C.
        c: Capacitance = 1.0 * uF, "C";
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
    pub struct WangBuzsakiHhColumns / WangBuzsakiHhView {
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
        p.c.check_positive(OWNER, "C")?;
        p.phi.check_positive(OWNER, "phi")?;
        p.g_na.check_non_negative(OWNER, "gNa")?;
        p.g_k.check_non_negative(OWNER, "gK")?;
        p.g_l.check_non_negative(OWNER, "gL")?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;
    use crate::neuron::ModelBuilder;
    use neurotype_solvers::{Method, TimeStep};

    fn step_of(dt_ms: f64) -> TimeStep {
        TimeStep::new(dt_ms * ms).unwrap()
    }

    /// Runs `steps` steps under a constant external input, calling `each` after every step;
    /// returns the spike count of each neuron.
    fn simulate<N: Neuron>(
        model: &mut N,
        x: N::Input,
        dt: TimeStep,
        steps: u64,
        mut each: impl FnMut(&N),
    ) -> Vec<usize> {
        let mut drive = Drive::<N>::new(model.len());
        let mut counts = vec![0; model.len()];
        for k in 0..steps {
            drive.clear();
            drive.set_external(x);
            model.step(&StepCtx::new(k, dt), &drive);
            for (c, &s) in counts.iter_mut().zip(model.spikes()) {
                *c += usize::from(s);
            }
            each(model);
        }
        counts
    }

    fn close(a: f64, b: f64, rtol: f64) -> bool {
        (a - b).abs() <= rtol * b.abs().max(1e-300)
    }

    #[test]
    fn rates_match_the_textbook_forms_and_fill_the_singularities() {
        for k in 0..=200 {
            let u = -100.0 + 0.7 * k as f64 + 0.013; // avoids −40 and −55 exactly
            let r = HhRates::at(u * mV);
            let am = 0.1 * (u + 40.0) / (1.0 - (-(u + 40.0) / 10.0).exp());
            let an = 0.01 * (u + 55.0) / (1.0 - (-(u + 55.0) / 10.0).exp());
            let bh = 1.0 / (1.0 + (-(u + 35.0) / 10.0).exp());
            assert!(close(r.alpha_m.raw(), am, 1e-9), "alpha_m at {u}");
            assert!(close(r.alpha_n.raw(), an, 1e-9), "alpha_n at {u}");
            assert!(close(r.beta_h.raw(), bh, 1e-14), "beta_h at {u}");
        }
        // the removable singularities: x/(1 − e^{−x}) → 1
        assert_eq!(HhRates::at(-40.0 * mV).alpha_m, 1.0 * per_ms);
        assert_eq!(HhRates::at(-55.0 * mV).alpha_n, 0.1 * per_ms);
        assert_eq!(WangBuzsakiRates::at(-34.0 * mV).alpha_n, 0.1 * per_ms);
    }

    #[test]
    fn default_state_is_random_potential_with_gates_at_steady_state() {
        let hh = Hh::builder(50).seed(7).build().unwrap();
        let mut distinct = hh.potential().raw().to_vec();
        distinct.dedup();
        assert!(distinct.len() > 1, "V₀ is drawn per neuron");
        for i in 0..hh.len() {
            let v = hh.potential().get(i);
            assert!(v >= -70.0 * mV && v < -60.0 * mV);
            let (m, h, n) = HhRates::at(v).steady_state();
            assert_eq!((hh.m().get(i), hh.h().get(i), hh.n().get(i)), (m, h, n));
        }
        // BrainPy's steady state at −65 mV (the reference trace's initial gates)
        let (m, h, n) = HhRates::at(-65.0 * mV).steady_state();
        assert!(close(m.value, 0.052932485257249584, 1e-14));
        assert!(close(h.value, 0.5961207535084603, 1e-14));
        assert!(close(n.value, 0.31767691406069737, 1e-14));
        // same seed, same draw; an initialiser replaces the steady state
        let again = Hh::builder(50).seed(7).build().unwrap();
        assert_eq!(hh.potential(), again.potential());
        let other = Hh::builder(50).seed(8).build().unwrap();
        assert_ne!(hh.potential(), other.potential());
        let given = Hh::builder(3).m_init(ratio(0.25)).build().unwrap();
        assert_eq!(given.m().to_vec(), vec![ratio(0.25); 3]);
        assert_ne!(given.h().get(0), ratio(0.25));
    }

    #[test]
    fn first_steps_match_the_brainpy_trace() {
        // neuron_HH_supra_I10uA: rows 0 and 1 (dt = 0.1 ms, x = 10 uA)
        let mut hh = Hh::builder(1)
            .v_init(-65.0 * mV)
            .m_init(ratio(0.052932485257249584))
            .h_init(ratio(0.5961207535084603))
            .n_init(ratio(0.31767691406069737))
            .build()
            .unwrap();
        let expected = [
            [
                -64.30046962542477,
                0.052932485257249584,
                0.5961207535084603,
                0.31767691406069737,
            ],
            [
                -63.628855571119715,
                0.05445124799960104,
                0.5958308307828886,
                0.3178738560944214,
            ],
        ];
        let mut rows = Vec::new();
        simulate(&mut hh, 10.0 * uA, step_of(0.1), 2, |m| {
            rows.push([
                m.potential().raw()[0],
                m.m().raw()[0],
                m.h().raw()[0],
                m.n().raw()[0],
            ])
        });
        for (row, want) in rows.iter().zip(&expected) {
            for (a, b) in row.iter().zip(want) {
                assert!(close(*a, *b, 1e-12), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn exponential_euler_step_is_the_exact_relaxation_with_frozen_rates() {
        let (v0, m0, h0, n0, input, dt) = (-60.0, 0.3, 0.4, 0.5, 5.0, 0.1);
        let mut hh = Hh::builder(1)
            .v_init(v0 * mV)
            .m_init(ratio(m0))
            .h_init(ratio(h0))
            .n_init(ratio(n0))
            .build()
            .unwrap();
        simulate(&mut hh, input * uA, step_of(dt), 1, |_| {});
        let r = HhRates::at(v0 * mV);
        let relax = |x0: f64, a: Frequency, b: Frequency| {
            let (a, b) = (a.raw(), b.raw());
            let inf = a / (a + b);
            inf + (x0 - inf) * (-(a + b) * dt).exp()
        };
        assert!(close(
            hh.m().raw()[0],
            relax(m0, r.alpha_m, r.beta_m),
            1e-13
        ));
        assert!(close(
            hh.h().raw()[0],
            relax(h0, r.alpha_h, r.beta_h),
            1e-13
        ));
        assert!(close(
            hh.n().raw()[0],
            relax(n0, r.alpha_n, r.beta_n),
            1e-13
        ));
        // V: linear relaxation towards the conductance-weighted reversal potential
        let (g_na, g_k, g_l) = (120.0 * m0.powi(3) * h0, 36.0 * n0.powi(4), 0.03);
        let g = g_na + g_k + g_l;
        let v_inf = (g_na * 50.0 + g_k * -77.0 + g_l * -54.387 + input) / g;
        let v1 = v_inf + (v0 - v_inf) * (-g * dt / 1.0).exp();
        assert!(close(hh.potential().raw()[0], v1, 1e-13));
    }

    #[test]
    fn gates_stay_in_unit_interval_and_firing_needs_input() {
        let dt = step_of(0.01);
        let mut hh = Hh::builder(8).seed(3).build().unwrap();
        let mut v_max = f64::NEG_INFINITY;
        let counts = simulate(&mut hh, 10.0 * uA, dt, 10_000, |m| {
            for g in [m.m(), m.h(), m.n()] {
                assert!(g.raw().iter().all(|&x| (0.0..=1.0).contains(&x)));
            }
            v_max = v_max.max(m.potential().raw().iter().copied().fold(f64::MIN, f64::max));
        });
        // ~70 Hz at 10 uA: 6 or 7 spikes in 100 ms, for every initial potential
        assert!(counts.iter().all(|&c| (5..=8).contains(&c)), "{counts:?}");
        assert!(v_max > 30.0, "action potentials overshoot: {v_max}");

        let mut hh = Hh::builder(8).seed(3).build().unwrap();
        let mut v_max = f64::NEG_INFINITY;
        let counts = simulate(&mut hh, 0.0 * uA, dt, 10_000, |m| {
            v_max = v_max.max(m.potential().raw().iter().copied().fold(f64::MIN, f64::max));
        });
        assert_eq!(counts, vec![0; 8]);
        assert!(v_max < -55.0, "stays near rest: {v_max}");
    }

    #[test]
    fn spike_is_an_upward_crossing_not_a_level() {
        // starts above threshold, Na-dominated, and stays there for the first step: no spike
        let mut hh = Hh::builder(1)
            .v_init(30.0 * mV)
            .m_init(ratio(0.9))
            .h_init(ratio(0.6))
            .n_init(ratio(0.3))
            .build()
            .unwrap();
        let mut above = Vec::new();
        let counts = simulate(&mut hh, 0.0 * uA, step_of(0.01), 1, |m| {
            above.push(m.potential().get(0) >= 20.0 * mV)
        });
        assert_eq!(above, vec![true]);
        assert_eq!(counts, vec![0]);
        // from below, a δ-input that carries V across V_th is a spike
        let mut hh = Hh::builder(1).v_init(-65.0 * mV).build().unwrap();
        let mut drive = Drive::<Hh>::new(1);
        drive.delta_mut().set(0, 90.0 * mV);
        hh.step(&StepCtx::new(0, step_of(0.01)), &drive);
        assert!(hh.potential().get(0) >= 20.0 * mV, "{:?}", hh.potential());
        assert!(hh.spikes()[0]);
    }

    #[test]
    fn input_is_taken_at_the_old_potential_and_jumps_come_last() {
        let dt = step_of(0.1);
        let build = || Hh::builder(1).v_init(-62.0 * mV).build().unwrap();
        // a conductance-based synaptic current g·(E − V): evaluated once at V_old, so the
        // step equals one with the constant current g·(E − V_old)
        let (g, e) = (0.5 * mS, 0.0 * mV);
        let mut syn = build();
        let mut drive = Drive::<Hh>::new(1);
        let (i_syn, g_syn) = drive.syn_mut(true);
        g_syn.set(0, g);
        i_syn.set(0, g * e);
        syn.step(&StepCtx::new(0, dt), &drive);
        let mut frozen = build();
        let mut drive = Drive::<Hh>::new(1);
        drive.ext_mut().set(0, g * (e - -62.0 * mV));
        frozen.step(&StepCtx::new(0, dt), &drive);
        assert_eq!(syn.state_vars()[0].raw, frozen.state_vars()[0].raw);
        // a δ-input adds to V after integration and does not touch the gates this step
        let mut kicked = build();
        let mut drive = Drive::<Hh>::new(1);
        drive.ext_mut().set(0, g * (e - -62.0 * mV));
        drive.delta_mut().set(0, 5.0 * mV);
        kicked.step(&StepCtx::new(0, dt), &drive);
        let dv = kicked.potential().get(0) - frozen.potential().get(0);
        assert!((dv - 5.0 * mV).abs() < 1e-12 * mV);
        assert_eq!(kicked.m(), frozen.m());
        assert_eq!(kicked.h(), frozen.h());
        assert_eq!(kicked.n(), frozen.n());
    }

    #[test]
    fn every_method_integrates_the_coupled_system() {
        let dt = step_of(0.005);
        let mut first_spike = Vec::new();
        for method in Method::ALL {
            let mut hh = Hh::builder(1)
                .v_init(-65.0 * mV)
                .method(method)
                .build()
                .unwrap();
            let mut k = 0u64;
            let mut first = None;
            let counts = simulate(&mut hh, 10.0 * uA, dt, 20_000, |m| {
                if m.spikes()[0] && first.is_none() {
                    first = Some(k);
                }
                k += 1;
            });
            assert!((5..=8).contains(&counts[0]), "{method:?}: {counts:?}");
            first_spike.push(first.expect("spikes") as f64 * 0.005);
        }
        let lo = first_spike.iter().copied().fold(f64::MAX, f64::min);
        let hi = first_spike.iter().copied().fold(f64::MIN, f64::max);
        assert!(hi - lo < 0.1, "first spike times (ms): {first_spike:?}");
    }

    #[test]
    fn invalid_parameters_are_refused_by_name() {
        let err = Hh::builder(1).c(0.0 * uF).build().unwrap_err();
        assert_eq!((err.owner.as_str(), err.name.as_str()), ("HH", "C"));
        let err = Hh::builder(1).g_na(-1.0 * mS).build().unwrap_err();
        assert_eq!(err.name, "gNa");
        let err = Hh::builder(3)
            .g_k(vec![36.0 * mS, 36.0 * mS])
            .build()
            .unwrap_err();
        assert_eq!(err.name, "gK");
        let err = Hh::builder(3)
            .n_init(Init::values(vec![ratio(0.3); 2]))
            .build()
            .unwrap_err();
        assert_eq!(err.name, "n_initializer");
        let err = MorrisLecar::builder(1).c(-1.0 * uF).build().unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("MorrisLecar", "C")
        );
        let err = MorrisLecar::builder(1)
            .phi(0.0 * per_ms)
            .build()
            .unwrap_err();
        assert_eq!(err.name, "phi");
        let err = MorrisLecar::builder(1).v4(0.0 * mV).build().unwrap_err();
        assert_eq!(err.name, "V4");
        let err = WangBuzsakiHh::builder(1).c(0.0 * uF).build().unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("WangBuzsakiHH", "C")
        );
        let err = WangBuzsakiHh::builder(1)
            .g_l(-0.1 * mS)
            .build()
            .unwrap_err();
        assert_eq!(err.name, "gL");
    }

    #[test]
    fn keywords_are_brainpys() {
        let hh = Hh::builder(1)
            .set("ENa", "55 mV")
            .and_then(|b| b.set("gNa", "0.1 S"))
            .and_then(|b| b.set("spk_reset", "hard"))
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(hh.params().e_na, Param::Scalar(55.0 * mV));
        assert_eq!(hh.params().g_na, Param::Scalar(100.0 * mS));
        assert!(Hh::builder(1).set("V_reset", "0 mV").is_err());
        let ml = MorrisLecar::builder(1)
            .set("phi", "0.067 1/ms")
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(ml.params().phi, Param::Scalar(0.067 * per_ms));
        let wb = WangBuzsakiHh::builder(1)
            .set("phi", "3")
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(wb.params().phi, Param::Scalar(ratio(3.0)));
        let names =
            |vars: Vec<crate::StateVar<'_>>| vars.iter().map(|v| v.name).collect::<Vec<_>>();
        assert_eq!(names(hh.state_vars()), ["V", "m", "h", "n"]);
        assert_eq!(names(ml.state_vars()), ["V", "W"]);
        assert_eq!(names(wb.state_vars()), ["V", "h", "n"]);
    }

    #[test]
    fn per_element_parameters_match_scalar_runs() {
        let dt = step_of(0.05);
        let mut mixed = Hh::builder(2)
            .v_init(-65.0 * mV)
            .g_na(vec![120.0 * mS, 100.0 * mS])
            .build()
            .unwrap();
        let mut a = Hh::builder(1).v_init(-65.0 * mV).build().unwrap();
        let mut b = Hh::builder(1)
            .v_init(-65.0 * mV)
            .g_na(100.0 * mS)
            .build()
            .unwrap();
        simulate(&mut mixed, 8.0 * uA, dt, 400, |_| {});
        simulate(&mut a, 8.0 * uA, dt, 400, |_| {});
        simulate(&mut b, 8.0 * uA, dt, 400, |_| {});
        assert_eq!(mixed.potential().get(0), a.potential().get(0));
        assert_eq!(mixed.potential().get(1), b.potential().get(0));
        assert_ne!(a.potential().get(0), b.potential().get(0));
    }

    #[test]
    fn morris_lecar_defaults_relaxation_and_firing() {
        let ml = MorrisLecar::builder(20).seed(1).build().unwrap();
        assert!(ml.recovery().iter().all(|w| w == ratio(0.02)));
        assert!(
            ml.potential()
                .iter()
                .all(|v| v >= -70.0 * mV && v < -60.0 * mV)
        );
        // one step: W relaxes exactly towards W∞(V_old) with τ_W(V_old)
        let (v0, w0, dt) = (-20.0, 0.3, 0.1);
        let mut one = MorrisLecar::builder(1)
            .v_init(v0 * mV)
            .w_init(ratio(w0))
            .build()
            .unwrap();
        simulate(&mut one, 0.0 * uA, step_of(dt), 1, |_| {});
        let w_inf = 0.5 * (1.0 + ((v0 - 2.0) / 30.0).tanh());
        let tau_w = 1.0 / (0.04 * ((v0 - 2.0) / 60.0).cosh());
        let w1 = w_inf + (w0 - w_inf) * (-dt / tau_w).exp();
        assert!(close(one.recovery().raw()[0], w1, 1e-13));
        // repetitive firing at 100 uA, none without input
        let dt = step_of(0.1);
        let mut ml = MorrisLecar::builder(4).seed(2).build().unwrap();
        let counts = simulate(&mut ml, 100.0 * uA, dt, 5_000, |m| {
            assert!(m.recovery().raw().iter().all(|&w| (0.0..=1.0).contains(&w)));
        });
        assert!(counts.iter().all(|&c| c >= 4), "{counts:?}");
        let mut ml = MorrisLecar::builder(4).seed(2).build().unwrap();
        assert_eq!(simulate(&mut ml, 0.0 * uA, dt, 5_000, |_| {}), vec![0; 4]);
    }

    #[test]
    fn wang_buzsaki_defaults_relaxation_and_firing() {
        let wb = WangBuzsakiHh::builder(2).build().unwrap();
        assert_eq!(wb.potential().get(1), -65.0 * mV);
        assert_eq!((wb.h().get(1), wb.n().get(1)), (ratio(0.6), ratio(0.32)));
        // one step: h and n relax exactly with the φ-scaled rates at V_old
        let dt = 0.1;
        let mut one = WangBuzsakiHh::builder(1).build().unwrap();
        simulate(&mut one, 0.0 * uA, step_of(dt), 1, |_| {});
        let r = WangBuzsakiRates::at(-65.0 * mV);
        let relax = |x0: f64, a: Frequency, b: Frequency| {
            let (a, b) = (5.0 * a.raw(), 5.0 * b.raw());
            let inf = a / (a + b);
            inf + (x0 - inf) * (-(a + b) * dt).exp()
        };
        assert!(close(
            one.h().raw()[0],
            relax(0.6, r.alpha_h, r.beta_h),
            1e-13
        ));
        assert!(close(
            one.n().raw()[0],
            relax(0.32, r.alpha_n, r.beta_n),
            1e-13
        ));
        // fast spiking at 1 uA, silent at 0
        let dt = step_of(0.05);
        let mut wb = WangBuzsakiHh::builder(1).build().unwrap();
        let counts = simulate(&mut wb, 1.0 * uA, dt, 4_000, |m| {
            assert!(m.h().raw()[0] >= 0.0 && m.h().raw()[0] <= 1.0);
            assert!(m.n().raw()[0] >= 0.0 && m.n().raw()[0] <= 1.0);
        });
        assert!(counts[0] >= 5, "{counts:?}");
        let mut wb = WangBuzsakiHh::builder(1).build().unwrap();
        assert_eq!(simulate(&mut wb, 0.0 * uA, dt, 4_000, |_| {}), vec![0]);
    }
}
