//! Leaky integrate-and-fire family: IF, LIF, LIFRef, ALIF, CubaLIF, CobaLIF.
//!
//! Every model resets at the start of the step that follows a spike, from the stored potential
//! (soft: `V ← V − (V_th − V_reset)`, keeping the overshoot; hard: `V ← V_reset`), integrates
//! its potential with its input `I(V)` evaluated inside the exponential-Euler linearisation
//! (so synaptic conductances enter the Jacobian), adds δ-inputs, and spikes when `V ≥ V_th`.

use crate::column::Column;
use crate::drive::NeuronUnits;
use crate::drive::{Drive, ExpChannel, InputAt};
use crate::kernel::for_each_element;
use crate::macros::model_params;
use crate::neuron::{Neuron, SpikeReset, StateVar, StateVarMut, StepCtx};
use crate::options::{Options, model_builder, option_setters, parse_param};
use crate::param::{Init, Param, check_below};
use crate::refractory::{Elapsed, Refractory};
use crate::rng;
use crate::state_columns;
use crate::stepper::{self, Dynamics, Parts};
use neurotype_solvers::{
    Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Rk4, State,
};
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, Raw};

/// BrainPy's reset: `V − (V_th − V_reset)` (soft) or `V_reset` (hard) after a spike.
///
/// BrainPy writes the hard reset as `V − (V − V_reset)·s`, which equals `V_reset` up to
/// rounding but cancels catastrophically after a runaway (an exponential IF that overshoots
/// to 1e20 mV is "reset" to 0 mV, then to NaN). neurotype assigns `V_reset`: identical
/// results within a few ulps in every ordinary case, and no NaN in the others.
#[inline(always)]
pub(crate) fn lif_reset(
    v: ElectricPotential,
    spiked: bool,
    v_th: ElectricPotential,
    v_reset: ElectricPotential,
    mode: SpikeReset,
) -> ElectricPotential {
    if !spiked {
        return v;
    }
    match mode {
        SpikeReset::Soft => v - (v_th - v_reset),
        SpikeReset::Hard => v_reset,
    }
}

/// Calls `$run` with the integrator named by `$method` (dispatch once, outside the loops).
macro_rules! with_integrator {
    ($method:expr, $m:ident => $body:expr) => {
        match $method {
            Method::ExponentialEuler => {
                let $m = ExponentialEuler;
                $body
            }
            Method::Euler => {
                let $m = Euler;
                $body
            }
            Method::Rk2 => {
                let $m = Heun;
                $body
            }
            Method::Midpoint => {
                let $m = Midpoint;
                $body
            }
            Method::Rk4 => {
                let $m = Rk4;
                $body
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use with_integrator;

// ---------------------------------------------------------------------------------------------
// LIF and LIFRef

model_params! {
    /// Parameters of [`Lif`] (BrainPy's defaults).
    LifParams / LifScalar for LifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau";
        /// Threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential V_reset.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset";
        /// Resting potential V_rest.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

state_columns! {
    /// The state of a [`Lif`] population.
    pub struct LifState / LifView {
        /// Membrane potential.
        v: ElectricPotential => "V",
    }
}

/// Leaky integrate-and-fire neuron (BrainPy `LIF`; with a refractory period, `LIFRef`).
///
/// ```text
/// τ dV/dt = −V + V_rest + R·I(V)
/// spike when V ≥ V_th; at the start of the next step V ← V − (V_th − V_reset) (soft)
/// or V ← V_reset (hard)
/// LIFRef: while t − t_spike < τ_ref, V stays at its post-reset value
/// ```
///
/// Defaults (BrainPy's): R = 1 Ω, τ = 5 ms, V_th = 1 mV, V_reset = V_rest = 0 mV, V₀ = 0 mV,
/// soft reset; LIFRef adds τ_ref = 5 ms. With the default R = 1 Ω, currents are in mA
/// (`R·I` in mV).
///
/// ```
/// use neurotype_models::prelude::*;
/// let lif = Lif::builder(100)
///     .v_rest(-65.0 * mV)
///     .v_th(-50.0 * mV)
///     .v_reset(-65.0 * mV)
///     .tau(10.0 * ms)
///     .build()?;
/// assert_eq!(lif.len(), 100);
/// // a reset above threshold is refused before any simulation:
/// assert!(Lif::builder(1).v_th(-50.0 * mV).v_reset(0.0 * mV).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Lif {
    params: LifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    refractory: Option<Refractory>,
    state: LifState,
    spikes: Vec<bool>,
}

/// Builder of [`Lif`].
#[derive(Clone, Debug)]
pub struct LifBuilder {
    n: usize,
    params: LifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    tau_ref: Option<Param<Time>>,
}

option_setters!(LifBuilder);

impl LifBuilder {
    /// Initial potential (default: constant 0 mV). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Makes the model refractory for `tau_ref` after each spike (BrainPy `LIFRef`).
    pub fn tau_ref(mut self, tau_ref: impl Into<Param<Time>>) -> Self {
        self.tau_ref = Some(tau_ref.into());
        self
    }

    fn owner(&self) -> &'static str {
        if self.tau_ref.is_some() {
            "LIFRef"
        } else {
            "LIF"
        }
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Lif, InvalidParameter> {
        let owner = self.owner();
        let n = self.n;
        let p = &self.params;
        p.check_shapes(owner, n)?;
        p.tau.check_positive(owner, "tau")?;
        check_below(owner, "V_reset", &p.v_reset, "V_th", &p.v_th, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        let refractory = match self.tau_ref {
            Some(tau_ref) => {
                let r = Refractory::new(n, tau_ref, false, Elapsed::Unfused);
                r.check(owner, n)?;
                Some(r)
            }
            None => None,
        };
        let mut lif = Lif {
            params: self.params,
            options: self.options,
            v_init: self.v_init,
            refractory,
            state: LifState::zeros(n),
            spikes: vec![false; n],
        };
        lif.reset_state();
        Ok(lif)
    }
}

model_builder!(LifBuilder => Lif, owner(b) b.owner(), LifParams,
extra(b, name, text) {
    if name == "tau_ref" {
        b.tau_ref = Some(Param::Scalar(parse_param(b.owner(), name, text)?));
        Ok(true)
    } else {
        Ok(false)
    }
});

impl Lif {
    /// A builder for `n` neurons with BrainPy's `LIF` defaults.
    pub fn builder(n: usize) -> LifBuilder {
        LifBuilder {
            n,
            params: LifParams::default(),
            options: Options::default(),
            v_init: Init::Constant(0.0 * mV),
            tau_ref: None,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &LifParams {
        &self.params
    }

    /// Refractory bookkeeping (LIFRef only).
    pub fn refractory(&self) -> Option<&Refractory> {
        self.refractory.as_ref()
    }

    /// The membrane potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<ElectricPotential> {
        &mut self.state.v
    }
}

impl Dynamics for Lif {
    type Params = LifScalar;
    type ParamSet = LifParams;
    type Config = Options;
    type State = ElectricPotential;
    type Columns = LifState;

    fn parts(&mut self) -> Parts<'_, Self> {
        Parts {
            config: self.options,
            method: self.options.method,
            params: &self.params,
            state: &mut self.state,
            refractory: self.refractory.as_mut(),
            spikes: &mut self.spikes,
        }
    }

    #[inline(always)]
    fn potential(v: &ElectricPotential) -> ElectricPotential {
        *v
    }

    #[inline(always)]
    fn threshold(_c: &Options, p: &LifScalar, v: &ElectricPotential) -> bool {
        *v >= p.v_th
    }

    #[inline(always)]
    fn reset(c: &Options, p: &LifScalar, v: ElectricPotential) -> ElectricPotential {
        lif_reset(v, true, p.v_th, p.v_reset, c.reset)
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &Options,
        p: &LifScalar,
        _t: Time,
        v: &ElectricPotential,
        input: &I,
        k: usize,
    ) -> (VoltageRate, Frequency) {
        let (input, g) = input.input_at(k, *v);
        (
            (-*v + p.v_rest + p.r * input) / p.tau,
            -(ratio(1.0) + p.r * g) / p.tau,
        )
    }

    #[inline(always)]
    fn add_jump(v: ElectricPotential, jump: ElectricPotential) -> ElectricPotential {
        v + jump
    }

    #[inline(always)]
    fn shared_slope(_c: &Options, p: &LifScalar) -> Option<Frequency> {
        Some(-(ratio(1.0) + p.r * ElectricalConductance::from_raw(0.0)) / p.tau)
    }
}

impl NeuronUnits for Lif {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for Lif {
    fn model_name(&self) -> &'static str {
        if self.refractory.is_some() {
            "LIFRef"
        } else {
            "LIF"
        }
    }

    fn len(&self) -> usize {
        self.spikes.len()
    }

    fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
        let n = self.len();
        stepper::advance(self, ctx, drive, &mut [], 0..n);
    }

    fn step_with_channels(
        &mut self,
        ctx: &StepCtx,
        drive: &Drive<Self>,
        channels: &mut [ExpChannel<'_>],
    ) -> bool {
        let n = self.len();
        stepper::advance(self, ctx, drive, channels, 0..n)
    }

    fn spikes(&self) -> &[bool] {
        &self.spikes
    }

    fn potential(&self) -> &Column<ElectricPotential> {
        &self.state.v
    }

    fn state_vars(&self) -> Vec<StateVar<'_>> {
        let mut vars = self.state.vars();
        if let Some(r) = &self.refractory {
            r.push_vars(&mut vars);
        }
        vars
    }

    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        let mut vars = self.state.vars_mut();
        if let Some(r) = &mut self.refractory {
            r.push_vars_mut(&mut vars);
        }
        vars
    }

    fn reset_state(&mut self) {
        let n = self.len();
        let mut rng = rng::stream(self.options.seed, 0);
        self.state.v = Column::from_raw(self.v_init.sample(n, &mut rng));
        self.spikes.fill(false);
        if let Some(r) = &mut self.refractory {
            r.reset();
        }
    }
}

/// BrainPy's `LIFRef`: [`Lif`] with a refractory period (default τ_ref = 5 ms).
pub struct LifRef;

impl LifRef {
    /// A builder for `n` neurons with BrainPy's `LIFRef` defaults.
    pub fn builder(n: usize) -> LifBuilder {
        Lif::builder(n).tau_ref(5.0 * ms)
    }
}

// ---------------------------------------------------------------------------------------------
// IF

model_params! {
    /// Parameters of [`If`] (BrainPy's defaults).
    IfParams / IfScalar for IfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Time constant τ.
        tau: Time = 5.0 * ms, "tau";
        /// Threshold V_th.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
    }
}

/// The potential equation of one IF neuron: `dV/dt = (−V + R·I(V))/τ`.
pub struct IfOde<'a> {
    p: &'a IfScalar,
    drive: &'a Drive<If>,
    i: usize,
}

impl Ode for IfOde<'_> {
    type State = ElectricPotential;
    #[inline(always)]
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        let (input, _) = self.drive.input_at(self.i, *v);
        (-*v + self.p.r * input) / self.p.tau
    }
}

impl Linearised for IfOde<'_> {
    #[inline(always)]
    fn slope(&self, _t: Time, v: &ElectricPotential) -> Frequency {
        let (_, g) = self.drive.input_at(self.i, *v);
        -(ratio(1.0) + self.p.r * g) / self.p.tau
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
    params: IfParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    v: Column<ElectricPotential>,
    spikes: Vec<bool>,
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
        p.tau.check_positive("IF", "tau")?;
        p.v_th.check_positive("IF", "V_th")?;
        self.v_init.check("IF", "V_initializer", n)?;
        let mut model = If {
            params: self.params,
            options: self.options,
            v_init: self.v_init,
            v: Column::zeros(n),
            spikes: vec![false; n],
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

    fn run<M: for<'a> Integrator<IfOde<'a>>>(&mut self, m: &M, ctx: &StepCtx, drive: &Drive<If>) {
        let Self {
            params,
            options,
            v,
            spikes,
            ..
        } = self;
        let reset = options.reset;
        for_each_element(
            v.len(),
            params.uniform(),
            |i| params.at(i),
            |i, p| {
                let v_old = v.get(i);
                let v0 = lif_reset(v_old, v_old >= p.v_th, p.v_th, 0.0 * mV, reset);
                let ode = IfOde { p, drive, i };
                let new = m.step(&ode, ctx.t, &v0, ctx.dt) + drive.jump(i);
                v.set(i, new);
                spikes[i] = new >= p.v_th;
            },
        );
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
    fn len(&self) -> usize {
        self.v.len()
    }
    fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
        with_integrator!(self.options.method, m => self.run(&m, ctx, drive))
    }
    fn spikes(&self) -> &[bool] {
        &self.spikes
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.v
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("V", &self.v)]
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![StateVarMut::of("V", &mut self.v)]
    }
    fn reset_state(&mut self) {
        let mut rng = rng::stream(self.options.seed, 0);
        self.v = Column::from_raw(self.v_init.sample(self.v.len(), &mut rng));
        self.spikes.fill(false);
    }
}

// ---------------------------------------------------------------------------------------------
// ALIF

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

/// Joint (V, a) equations of one ALIF neuron.
pub struct AlifOde<'a> {
    p: &'a AlifScalar,
    drive: &'a Drive<Alif>,
    i: usize,
}

impl Ode for AlifOde<'_> {
    type State = (ElectricPotential, Ratio);
    #[inline(always)]
    fn rhs(&self, t: Time, x: &(ElectricPotential, Ratio)) -> (VoltageRate, Frequency) {
        self.rhs_and_slope(t, x).0
    }
}

impl Linearised for AlifOde<'_> {
    #[inline(always)]
    fn slope(&self, t: Time, x: &(ElectricPotential, Ratio)) -> (Frequency, Frequency) {
        self.rhs_and_slope(t, x).1
    }
    #[inline(always)]
    fn rhs_and_slope(
        &self,
        _t: Time,
        (v, a): &(ElectricPotential, Ratio),
    ) -> ((VoltageRate, Frequency), (Frequency, Frequency)) {
        let p = self.p;
        let (input, g) = self.drive.input_at(self.i, *v);
        (
            ((-*v + p.v_rest + p.r * input) / p.tau, -*a / p.tau_a),
            (-(ratio(1.0) + p.r * g) / p.tau, -1.0 / p.tau_a),
        )
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
    v: Column<ElectricPotential>,
    a: Column<Ratio>,
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
            v: Column::zeros(n),
            a: Column::zeros(n),
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
        &self.a
    }

    fn run<M: for<'a> Integrator<AlifOde<'a>>>(
        &mut self,
        m: &M,
        ctx: &StepCtx,
        drive: &Drive<Alif>,
    ) {
        let Self {
            params,
            options,
            v,
            a,
            spikes,
            ..
        } = self;
        let reset = options.reset;
        let exp_euler = options.method == Method::ExponentialEuler;
        for_each_element(
            v.len(),
            params.uniform(),
            |i| params.at(i),
            |i, p| {
                let (v_old, a_old) = (v.get(i), a.get(i));
                let spiked = v_old >= p.v_th + p.beta * a_old;
                let v0 = lif_reset(v_old, spiked, p.v_th, p.v_reset, reset);
                let a0 = if spiked { a_old + ratio(1.0) } else { a_old };
                let ode = AlifOde { p, drive, i };
                let (v1, a1) = if exp_euler {
                    // BrainPy: V then a, each with its own exact-Jacobian step (a is independent of V)
                    let (f, j) = ode.rhs_and_slope(ctx.t, &(v0, a0));
                    (
                        v0.exp_advance(ctx.dt.get(), &f.0, &j.0),
                        a0.exp_advance(ctx.dt.get(), &f.1, &j.1),
                    )
                } else {
                    m.step(&ode, ctx.t, &(v0, a0), ctx.dt)
                };
                let v1 = v1 + drive.jump(i);
                v.set(i, v1);
                a.set(i, a1);
                spikes[i] = v1 >= p.v_th + p.beta * a1;
            },
        );
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
        self.v.len()
    }
    fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
        with_integrator!(self.options.method, m => self.run(&m, ctx, drive))
    }
    fn spikes(&self) -> &[bool] {
        &self.spikes
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.v
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("V", &self.v), StateVar::of("a", &self.a)]
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("V", &mut self.v),
            StateVarMut::of("a", &mut self.a),
        ]
    }
    fn reset_state(&mut self) {
        let n = self.v.len();
        self.v = Column::from_raw(
            self.v_init
                .sample(n, &mut rng::stream(self.options.seed, 0)),
        );
        self.a = Column::from_raw(
            self.a_init
                .sample(n, &mut rng::stream(self.options.seed, 1)),
        );
        self.spikes.fill(false);
    }
}

// ---------------------------------------------------------------------------------------------
// CubaLIF and CobaLIF

model_params! {
    /// Parameters of [`CubaLif`] (BrainPy's defaults).
    CubaLifParams / CubaLifScalar for CubaLifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau";
        /// Synaptic time constant τ_syn.
        tau_syn: Time = 5.0 * ms, "tau_syn";
        /// Threshold.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

model_params! {
    /// Parameters of [`CobaLif`] (BrainPy's defaults).
    CobaLifParams / CobaLifScalar for CobaLifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau";
        /// Synaptic time constant τ_syn.
        tau_syn: Time = 5.0 * ms, "tau_syn";
        /// Synaptic reversal potential E.
        e: ElectricPotential = 0.0 * mV, "E";
        /// Threshold.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

/// Membrane equation of one CubaLIF neuron with its synaptic current frozen:
/// `dV/dt = (−(V − V_rest) + R·(g + I(V)))/τ`.
pub struct CubaLifOde<'a> {
    p: &'a CubaLifScalar,
    g: ElectricCurrent,
    drive: &'a Drive<CubaLif>,
    i: usize,
}

impl Ode for CubaLifOde<'_> {
    type State = ElectricPotential;
    #[inline(always)]
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        let (input, _) = self.drive.input_at(self.i, *v);
        (-(*v - self.p.v_rest) + self.p.r * (self.g + input)) / self.p.tau
    }
}

impl Linearised for CubaLifOde<'_> {
    #[inline(always)]
    fn slope(&self, _t: Time, v: &ElectricPotential) -> Frequency {
        let (_, g) = self.drive.input_at(self.i, *v);
        -(ratio(1.0) + self.p.r * g) / self.p.tau
    }
}

/// Membrane equation of one CobaLIF neuron with its conductance frozen:
/// `dV/dt = (−(V − V_rest) + R·(g·(E − V) + I(V)))/τ`.
pub struct CobaLifOde<'a> {
    p: &'a CobaLifScalar,
    g: ElectricalConductance,
    drive: &'a Drive<CobaLif>,
    i: usize,
}

impl Ode for CobaLifOde<'_> {
    type State = ElectricPotential;
    #[inline(always)]
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        let (input, _) = self.drive.input_at(self.i, *v);
        let p = self.p;
        (-(*v - p.v_rest) + p.r * (self.g * (p.e - *v) + input)) / p.tau
    }
}

impl Linearised for CobaLifOde<'_> {
    #[inline(always)]
    fn slope(&self, _t: Time, v: &ElectricPotential) -> Frequency {
        let (_, g) = self.drive.input_at(self.i, *v);
        -(ratio(1.0) + self.p.r * (self.g + g)) / self.p.tau
    }
}

macro_rules! synaptic_lif {
    (
        $(#[$doc:meta])*
        $Model:ident, $Builder:ident, $Params:ident, $Ode:ident, $name:literal,
        g: $G:ty = $g0:expr, check($p:ident) $extra:block
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            g_init: Init<$G>,
            v: Column<ElectricPotential>,
            g: Column<$G>,
            spikes: Vec<bool>,
        }

        #[doc = concat!("Builder of [`", stringify!($Model), "`].")]
        #[derive(Clone, Debug)]
        pub struct $Builder {
            n: usize,
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            g_init: Init<$G>,
        }

        option_setters!($Builder);
        model_builder!($Builder => $Model, owner(_b) $name, $Params);

        impl $Builder {
            /// Initial potential (default 0 mV).
            pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
                self.v_init = init.into();
                self
            }
            /// Initial synaptic variable (default 0).
            pub fn g_init(mut self, init: impl Into<Init<$G>>) -> Self {
                self.g_init = init.into();
                self
            }
            /// Validates and builds.
            pub fn build(self) -> Result<$Model, InvalidParameter> {
                let n = self.n;
                let $p = &self.params;
                $p.check_shapes($name, n)?;
                $p.tau.check_positive($name, "tau")?;
                $p.tau_syn.check_positive($name, "tau_syn")?;
                check_below($name, "V_reset", &$p.v_reset, "V_th", &$p.v_th, n)?;
                $extra
                self.v_init.check($name, "V_initializer", n)?;
                self.g_init.check($name, "g_initializer", n)?;
                let mut model = $Model {
                    params: self.params,
                    options: self.options,
                    v_init: self.v_init,
                    g_init: self.g_init,
                    v: Column::zeros(n),
                    g: Column::zeros(n),
                    spikes: vec![false; n],
                };
                model.reset_state();
                Ok(model)
            }
        }

        impl $Model {
            #[doc = concat!("A builder with BrainPy's `", $name, "` defaults.")]
            pub fn builder(n: usize) -> $Builder {
                $Builder {
                    n,
                    params: $Params::default(),
                    options: Options::default(),
                    v_init: Init::Constant(0.0 * mV),
                    g_init: Init::Constant($g0),
                }
            }

            /// The synaptic variable g.
            pub fn synaptic(&self) -> &Column<$G> {
                &self.g
            }

            fn run<M: for<'a> Integrator<$Ode<'a>>>(
                &mut self,
                m: &M,
                ctx: &StepCtx,
                drive: &Drive<$Model>,
            ) {
                let Self { params, options, v, g, spikes, .. } = self;
                let reset = options.reset;
                let dt = ctx.dt.get();
                for_each_element(v.len(), params.uniform(), |i| params.at(i), |i, p| {
                    let v_old = v.get(i);
                    let v0 = lif_reset(v_old, v_old >= p.v_th, p.v_th, p.v_reset, reset);
                    // the synaptic variable decays exactly, then takes the δ-inputs
                    let g_old = g.get(i);
                    let g_new = g_old.exp_advance(dt, &(-g_old / p.tau_syn), &(-1.0 / p.tau_syn))
                        + drive.jump(i);
                    g.set(i, g_new);
                    let ode = $Ode { p, g: g_new, drive, i };
                    let new = m.step(&ode, ctx.t, &v0, ctx.dt);
                    v.set(i, new);
                    spikes[i] = new >= p.v_th;
                });
            }
        }

        impl NeuronUnits for $Model {
            type Potential = ElectricPotential;
            type Input = ElectricCurrent;
            type Conductance = ElectricalConductance;
            type Jump = $G;

        }


        impl Neuron for $Model {

            fn model_name(&self) -> &'static str {
                $name
            }
            fn len(&self) -> usize {
                self.v.len()
            }
            fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
                with_integrator!(self.options.method, m => self.run(&m, ctx, drive))
            }
            fn spikes(&self) -> &[bool] {
                &self.spikes
            }
            fn potential(&self) -> &Column<ElectricPotential> {
                &self.v
            }
            fn state_vars(&self) -> Vec<StateVar<'_>> {
                vec![StateVar::of("V", &self.v), StateVar::of("g", &self.g)]
            }
            fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
                vec![StateVarMut::of("V", &mut self.v), StateVarMut::of("g", &mut self.g)]
            }
            fn reset_state(&mut self) {
                let n = self.v.len();
                self.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(self.options.seed, 0)));
                self.g = Column::from_raw(self.g_init.sample(n, &mut rng::stream(self.options.seed, 1)));
                self.spikes.fill(false);
            }
        }
    };
}

synaptic_lif! {
    /// LIF with a built-in current-based exponential synapse (BrainPy `CubaLIF`):
    ///
    /// ```text
    /// τ_syn dg/dt = −g                      (g a current; δ-inputs jump g)
    /// τ dV/dt = −(V − V_rest) + R·(g + I(V))
    /// ```
    ///
    /// Order per step: reset V, decay g and add δ-inputs to g, integrate V with the new g.
    /// Defaults: R = 1 Ω, τ = τ_syn = 5 ms, V_th = 1 mV, V_reset = V_rest = 0 mV, g₀ = 0 mA.
    CubaLif, CubaLifBuilder, CubaLifParams, CubaLifOde, "CubaLIF",
    g: ElectricCurrent = 0.0 * mA, check(p) {}
}

synaptic_lif! {
    /// LIF with a built-in conductance-based exponential synapse (BrainPy `CobaLIF`):
    ///
    /// ```text
    /// τ_syn dg/dt = −g                              (g a conductance; δ-inputs jump g)
    /// τ dV/dt = −(V − V_rest) + R·(g·(E − V) + I(V))
    /// ```
    ///
    /// The conductance is inside the exponential-Euler Jacobian, `−(1 + R·g)/τ`.
    /// Defaults: R = 1 Ω, τ = τ_syn = 5 ms, E = 0 mV, V_th = 1 mV, V_reset = V_rest = 0 mV.
    CobaLif, CobaLifBuilder, CobaLifParams, CobaLifOde, "CobaLIF",
    g: ElectricalConductance = 0.0 * mS, check(p) {}
}
