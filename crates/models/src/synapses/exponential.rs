//! Synapses driven by conductance increments: Expon, DualExpon, Alpha.
//!
//! Each is a column of synaptic variables whose input is an *increment* of the same kind as
//! its conductance (`Σ w·spike` from a projection). The variable type `G` is generic: a
//! conductance for COBA outputs (the default), or whatever the weights are (a current, a
//! plain number). A spike vector is not an increment, so passing one does not compile.

use crate::column::Column;
use crate::drive::{Affine, Decay, DecayMemo, ExpChannel};
use crate::macros::model_params;
use crate::neuron::{StateVar, StateVarMut, StepCtx};
use crate::param::{Init, Param};
use crate::rng;
use neurotype_solvers::{ClassicMethod, Integrator, State, linearised};
use neurotype_units::InvalidParameter;
use neurotype_units::Real;
use neurotype_units::prelude::*;

/// Quantity types a synaptic variable can have.
pub trait SynapticVariable:
    Unitful + State + PartialOrd + core::fmt::Debug + Send + Sync + 'static
{
}
impl<G: Unitful + State + PartialOrd + core::fmt::Debug + Send + Sync + 'static> SynapticVariable
    for G
{
}

/// `e^{−dt/τ}·x + arrived`: the exact step of `dx/dt = −x/τ` (BrainPy's exponential Euler),
/// then the increments that arrived ([`Decay::step`]).
#[inline(always)]
fn decay(x: Real, dt: Real, tau: Real, arrived: Real) -> Real {
    Decay::new(dt, tau).step(x, arrived)
}

// ---------------------------------------------------------------------------------------------
// Expon

model_params! {
    /// Parameters of [`Expon`] (BrainPy's defaults).
    ExponParams / ExponScalar for ExponBuilder<G: SynapticVariable> {
        /// Decay time constant τ.
        tau: Time = 8.0 * ms, "tau" where > 0;
    }
}

/// Exponential synapse (BrainPy `Expon`): an instantaneous jump, then exponential decay.
///
/// ```text
/// τ dg/dt = −g;   g ← g + Δ   (Δ: the increments received this step)
/// ```
///
/// Per step: `g ← g·e^{−dt/τ}` (exponential Euler, exact), then the increments are added, so
/// the jump is visible in the same step. The impulse response to a unit increment at t = 0 is
/// `g(t) = e^{−t/τ}`. Default τ = 8 ms, g₀ = 0.
///
/// ```
/// use neurotype_models::prelude::*;
/// let dt = TimeStep::new(0.1 * ms)?;
/// let mut syn = Expon::builder(1).tau(5.0 * ms).build()?;
/// syn.update(&StepCtx::new(0, dt), &[1.0 * mS]);
/// assert_eq!(syn.g().get(0), 1.0 * mS);
/// syn.update(&StepCtx::new(1, dt), &[0.0 * mS]);
/// assert!((syn.g().get(0) - exp(-(0.1 * ms) / (5.0 * ms)) * mS).abs() < 1e-15 * mS);
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Expon<G: SynapticVariable = ElectricalConductance> {
    params: ExponParams,
    method: ClassicMethod,
    g_init: Init<G>,
    seed: u64,
    g: Column<G>,
    pending: Column<G>,
    /// The decay factor of a shared τ, computed once per step size.
    decay: DecayMemo,
}

/// Builder of [`Expon`].
#[derive(Clone, Debug)]
pub struct ExponBuilder<G: SynapticVariable = ElectricalConductance> {
    n: usize,
    params: ExponParams,
    method: ClassicMethod,
    g_init: Init<G>,
    seed: u64,
}

impl<G: SynapticVariable + PartialOrd> ExponBuilder<G> {
    /// Classic BrainPy's integrator of the decay (`method=` of `brainpy.synapses.Exponential`):
    /// `exp_auto` (exact, the default), `euler`, `rk2`, `rk4` (see [`Decay::of_method`]).
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// Initial value of g (default 0). BrainPy: `g_initializer`.
    pub fn g_init(mut self, init: impl Into<Init<G>>) -> Self {
        self.g_init = init.into();
        self
    }

    /// Seed of a random `g_init`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Expon<G>, InvalidParameter> {
        self.params.check_shapes("Expon", self.n)?;
        self.params.check_constraints("Expon", self.n)?;
        self.g_init.check("Expon", "g_initializer", self.n)?;
        let mut syn = Expon {
            params: self.params,
            method: self.method,
            g_init: self.g_init,
            seed: self.seed,
            g: Column::zeros(self.n),
            pending: Column::zeros(self.n),
            decay: DecayMemo::default(),
        };
        syn.reset_state();
        Ok(syn)
    }
}

impl<G: SynapticVariable + PartialOrd> crate::neuron::ModelBuilder for ExponBuilder<G> {
    type Model = Expon<G>;
    fn set(mut self, name: &str, text: &str) -> Result<Self, InvalidParameter> {
        if name == "method" {
            self.method = text.parse()?;
            return Ok(self);
        }
        let known = self
            .params
            .set_by_name(name, text)
            .map_err(|e| InvalidParameter::new("Expon", name, text, e.to_string()))?;
        if known {
            Ok(self)
        } else {
            Err(crate::options::unknown_parameter(
                "Expon",
                name,
                ExponParams::NAMES,
            ))
        }
    }
    fn build(self) -> Result<Expon<G>, InvalidParameter> {
        ExponBuilder::build(self)
    }
}

impl<G: SynapticVariable + PartialOrd> Expon<G> {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> ExponBuilder<G> {
        ExponBuilder {
            method: ClassicMethod::ExpAuto,
            n,
            params: ExponParams::default(),
            g_init: Init::Constant(G::from_raw(0.0)),
            seed: 0,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &ExponParams {
        &self.params
    }

    /// Parameters and initial state: what decides whether two synapses may share one state
    /// (BrainPy compares the describers' arguments, `g_initializer` included).
    pub(crate) fn same_dynamics(&self, other: &Self) -> bool {
        (&self.params, &self.g_init, self.seed, self.method)
            == (&other.params, &other.g_init, other.seed, other.method)
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// Queues an increment for synapse `i`, added after the next decay by [`Expon::step`]
    /// (BrainPy's delta input). A network delivers through [`IncrementSynapse::arrivals`]
    /// instead, which for a shared τ is g itself, scaled (its channel does not read the
    /// queue).
    #[inline(always)]
    pub fn add(&mut self, i: usize, increment: G) {
        self.pending.add(i, increment);
    }

    /// Queued increments, mutable (what [`Expon::step`] adds after the decay).
    pub fn pending_mut(&mut self) -> &mut Column<G> {
        &mut self.pending
    }

    /// One step: decay, then add the queued increments. BrainPy: `syn()`.
    pub fn step(&mut self, ctx: &StepCtx) {
        let dt = ctx.dt.get().value;
        let (g, pending) = (self.g.raw_mut(), self.pending.raw_mut());
        match self.params.tau.scalar() {
            // the decay factor is the same for every synapse: one exponential per step size
            Some(tau) => {
                let decay = self.decay.get(dt, tau.value, self.method);
                crate::isa::dispatch(
                    #[inline(always)]
                    || {
                        for (g, pending) in g.iter_mut().zip(pending.iter_mut()) {
                            *g = decay.step(*g, *pending);
                            *pending = 0.0;
                        }
                    },
                );
            }
            None => {
                crate::isa::dispatch(
                    #[inline(always)]
                    || {
                        for (k, (g, pending)) in g.iter_mut().zip(pending.iter_mut()).enumerate() {
                            let tau = self.params.tau.at(k).value;
                            *g = Decay::of_method(dt, tau, self.method).step(*g, *pending);
                            *pending = 0.0;
                        }
                    },
                );
            }
        }
    }

    /// This synapse as a channel the postsynaptic population advances inside its own loop
    /// (see [`ExpChannel`]); `None` unless τ is shared (and the decay factor at least ½). Its
    /// arrivals are folded into g ([`ExpChannel::arrivals`]); the channel's arithmetic is
    /// that of [`Expon::step`] ([`Decay::step`], with nothing pending), so results are
    /// bit-identical to stepping and then applying the output.
    pub fn channel(&mut self, ctx: &StepCtx, out: Affine) -> Option<ExpChannel<'_>> {
        let tau = self.params.tau.scalar()?;
        let decay = self.decay.get(ctx.dt.get().value, tau.value, self.method);
        ExpChannel::new(self.g.raw_mut(), decay, out)
    }

    /// One step with an explicit increment `x` per synapse (BrainPy: `syn(x)`): decay, add
    /// queued increments, then add `x`.
    pub fn update(&mut self, ctx: &StepCtx, x: &[G]) {
        assert_eq!(
            x.len(),
            self.len(),
            "Expon::update: one increment per synapse"
        );
        self.step(ctx);
        for (k, xk) in x.iter().enumerate() {
            self.g.add(k, *xk);
        }
    }

    /// The synaptic variable g (BrainPy's return value).
    pub fn g(&self) -> &Column<G> {
        &self.g
    }

    /// The state, mutable.
    pub fn g_mut(&mut self) -> &mut Column<G> {
        &mut self.g
    }

    /// Re-draws g from its initialiser and drops queued increments.
    pub fn reset_state(&mut self) {
        self.g = Column::from_raw(
            self.g_init
                .sample(self.g.len(), &mut rng::stream(self.seed, 0)),
        );
        self.pending.fill(G::from_raw(0.0));
    }

    /// Views of the state (`g`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("g", &self.g)]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![StateVarMut::of("g", &mut self.g)]
    }
}

// ---------------------------------------------------------------------------------------------
// DualExpon

model_params! {
    /// Parameters of [`DualExpon`] (BrainPy's defaults).
    DualExponParams / DualExponScalar for DualExponBuilder<G: SynapticVariable> {
        /// Decay time constant.
        tau_decay: Time = 10.0 * ms, "tau_decay" where > 0;
        /// Rise time constant.
        tau_rise: Time = 1.0 * ms, "tau_rise" where > 0 && != tau_decay;
        /// Amplitude of the response (the peak of a unit increment when normalised).
        amplitude: Ratio = ratio(1.0), "amplitude";
    }
}

/// Difference-of-exponentials synapse (BrainPy `DualExpon`):
///
/// ```text
/// τ_rise dg_r/dt = −g_r,   τ_decay dg_d/dt = −g_d,   both ← + Δ
/// g = A·N·(g_d − g_r),   N = τ_d/(τ_d − τ_r)·(τ_r/τ_d)^{τ_r/(τ_r − τ_d)}  (normalize)
/// ```
///
/// With `normalize` (the default) a unit increment peaks at `A`, at
/// `t* = τ_d·τ_r·ln(τ_d/τ_r)/(τ_d − τ_r)`; without it the scale is `A`. Defaults:
/// τ_decay = 10 ms, τ_rise = 1 ms, A = 1, normalize. τ_decay = τ_rise is refused (use
/// [`Alpha`]).
#[derive(Clone, Debug)]
pub struct DualExpon<G: SynapticVariable = ElectricalConductance> {
    params: DualExponParams,
    normalize: bool,
    g_rise: Column<G>,
    g_decay: Column<G>,
    pending: Column<G>,
    out: Column<G>,
    /// The decay factors of a shared τ_rise and τ_decay, computed once per step size.
    rise: DecayMemo,
    fall: DecayMemo,
}

/// Builder of [`DualExpon`].
#[derive(Clone, Debug)]
pub struct DualExponBuilder<G: SynapticVariable = ElectricalConductance> {
    n: usize,
    params: DualExponParams,
    normalize: bool,
    _g: core::marker::PhantomData<G>,
}

impl<G: SynapticVariable> DualExponBuilder<G> {
    /// Whether the peak response to a unit increment is `amplitude` (default true).
    pub fn normalize(mut self, on: bool) -> Self {
        self.normalize = on;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<DualExpon<G>, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("DualExpon", n)?;
        // equal time constants first, with the hint to use Alpha (the declared
        // `tau_rise != tau_decay` names no alternative)
        for i in 0..n {
            if p.tau_decay.at(i) == p.tau_rise.at(i) {
                return Err(InvalidParameter::new(
                    "DualExpon",
                    "tau_rise",
                    p.tau_rise.at(i).show().to_string(),
                    format!(
                        "must differ from `tau_decay` = {} (equal time constants make an alpha \
                         function: use Alpha)",
                        p.tau_decay.at(i).show()
                    ),
                ));
            }
        }
        p.check_constraints("DualExpon", n)?;
        Ok(DualExpon {
            params: self.params,
            normalize: self.normalize,
            g_rise: Column::zeros(n),
            g_decay: Column::zeros(n),
            pending: Column::zeros(n),
            out: Column::zeros(n),
            rise: DecayMemo::default(),
            fall: DecayMemo::default(),
        })
    }
}

impl<G: SynapticVariable> crate::neuron::ModelBuilder for DualExponBuilder<G> {
    type Model = DualExpon<G>;
    fn set(mut self, name: &str, text: &str) -> Result<Self, InvalidParameter> {
        if name == "normalize" {
            self.normalize = crate::options::parse_bool("DualExpon", name, text)?;
            return Ok(self);
        }
        let known = self
            .params
            .set_by_name(name, text)
            .map_err(|e| InvalidParameter::new("DualExpon", name, text, e.to_string()))?;
        if known {
            Ok(self)
        } else {
            Err(crate::options::unknown_parameter(
                "DualExpon",
                name,
                DualExponParams::NAMES,
            ))
        }
    }
    fn build(self) -> Result<DualExpon<G>, InvalidParameter> {
        DualExponBuilder::build(self)
    }
}

/// BrainPy's normalisation of a difference of exponentials, so that its peak is 1.
pub fn dual_exponential_peak_factor(tau_decay: Time, tau_rise: Time) -> Ratio {
    let (d, r) = (tau_decay, tau_rise);
    d / (d - r) * powf(r / d, r / (r - d))
}

impl<G: SynapticVariable> DualExpon<G> {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> DualExponBuilder<G> {
        DualExponBuilder {
            n,
            params: DualExponParams::default(),
            normalize: true,
            _g: core::marker::PhantomData,
        }
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub(crate) fn same_dynamics(&self, other: &Self) -> bool {
        (&self.params, self.normalize) == (&other.params, other.normalize)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Queues an increment for synapse `i` (added to both traces after the next decay).
    #[inline(always)]
    pub fn add(&mut self, i: usize, increment: G) {
        self.pending.add(i, increment);
    }

    /// Queued increments, mutable.
    pub fn pending_mut(&mut self) -> &mut Column<G> {
        &mut self.pending
    }

    /// One step: both traces decay, take the queued increments, and the output is formed.
    pub fn step(&mut self, ctx: &StepCtx) {
        self.advance(ctx, None);
    }

    /// One step with an explicit increment per synapse (BrainPy: `syn(x)`).
    pub fn update(&mut self, ctx: &StepCtx, x: &[G]) {
        assert_eq!(
            x.len(),
            self.len(),
            "DualExpon::update: one increment per synapse"
        );
        self.advance(ctx, Some(x));
    }

    fn advance(&mut self, ctx: &StepCtx, x: Option<&[G]>) {
        let dt = ctx.dt.get().value;
        let (p, n) = (&self.params, self.len());
        // a shared τ: one exponential per step size, not one per synapse and step
        let shared = |tau: &Param<Time>, memo: &mut DecayMemo| {
            tau.scalar()
                .map(|t| memo.get(dt, t.value, ClassicMethod::ExpAuto))
        };
        let (rise, fall) = (
            shared(&p.tau_rise, &mut self.rise),
            shared(&p.tau_decay, &mut self.fall),
        );
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..n {
                    let (tau_r, tau_d) = (p.tau_rise.at(k), p.tau_decay.at(k));
                    let delta = self.pending.raw()[k] + x.map_or(0.0, |x| x[k].raw());
                    let rise = rise.unwrap_or_else(|| Decay::new(dt, tau_r.value));
                    let fall = fall.unwrap_or_else(|| Decay::new(dt, tau_d.value));
                    let r = rise.step(self.g_rise.raw()[k], delta);
                    let d = fall.step(self.g_decay.raw()[k], delta);
                    self.g_rise.raw_mut()[k] = r;
                    self.g_decay.raw_mut()[k] = d;
                    let mut scale = p.amplitude.at(k).value;
                    if self.normalize {
                        scale *= dual_exponential_peak_factor(tau_d, tau_r).value;
                    }
                    self.out.raw_mut()[k] = scale * (d - r);
                }
            },
        );
        self.pending.fill(G::from_raw(0.0));
    }

    /// The synaptic conductance `A·N·(g_decay − g_rise)` (BrainPy's return value).
    pub fn g(&self) -> &Column<G> {
        &self.out
    }

    /// Resets both traces to zero.
    pub fn reset_state(&mut self) {
        for c in [
            &mut self.g_rise,
            &mut self.g_decay,
            &mut self.pending,
            &mut self.out,
        ] {
            c.fill(G::from_raw(0.0));
        }
    }

    /// Views of the state (`g_rise`, `g_decay`, and the output `g`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("g_rise", &self.g_rise),
            StateVar::of("g_decay", &self.g_decay),
            StateVar::of("g", &self.out),
        ]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("g_rise", &mut self.g_rise),
            StateVarMut::of("g_decay", &mut self.g_decay),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Alpha

model_params! {
    /// Parameters of [`Alpha`] (BrainPy's defaults).
    AlphaParams / AlphaScalar for AlphaBuilder<G: SynapticVariable> {
        /// Time constant τ (time of the peak).
        tau: Time = 8.0 * ms, "tau" where > 0;
    }
}

/// Alpha-function synapse (BrainPy `Alpha`):
///
/// ```text
/// τ dh/dt = −h,   τ dg/dt = −g + h,   h ← h + Δ
/// ```
///
/// BrainPy's order is kept: `g` integrates with the **old** h, then h decays and takes the
/// increments, so an increment first shows in g one step later. A unit increment gives
/// `g_k = (1 − a)·k·a^{k−1}`, `a = e^{−dt/τ}` — the discrete alpha function, peaking near
/// `t = τ` at ≈ 1/e (0.3716 for τ = 5 ms at dt = 0.1 ms). Default τ = 8 ms.
#[derive(Clone, Debug)]
pub struct Alpha<G: SynapticVariable = ElectricalConductance> {
    params: AlphaParams,
    method: ClassicMethod,
    g: Column<G>,
    h: Column<G>,
    pending: Column<G>,
}

/// Builder of [`Alpha`].
#[derive(Clone, Debug)]
pub struct AlphaBuilder<G: SynapticVariable = ElectricalConductance> {
    n: usize,
    params: AlphaParams,
    method: ClassicMethod,
    _g: core::marker::PhantomData<G>,
}

impl<G: SynapticVariable> AlphaBuilder<G> {
    /// Classic BrainPy's integrator (`method=`): `exp_auto` by default (g exactly with the
    /// old h, then h); `euler`, `rk2`, `rk4` step (g, h) jointly.
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Alpha<G>, InvalidParameter> {
        self.params.check_shapes("Alpha", self.n)?;
        self.params.check_constraints("Alpha", self.n)?;
        Ok(Alpha {
            params: self.params,
            method: self.method,
            g: Column::zeros(self.n),
            h: Column::zeros(self.n),
            pending: Column::zeros(self.n),
        })
    }
}

impl<G: SynapticVariable> crate::neuron::ModelBuilder for AlphaBuilder<G> {
    type Model = Alpha<G>;
    fn set(mut self, name: &str, text: &str) -> Result<Self, InvalidParameter> {
        // the classic `brainpy.dyn.Alpha` calls its time constant `tau_decay`
        let name = if name == "tau_decay" { "tau" } else { name };
        if name == "method" {
            self.method = text.parse()?;
            return Ok(self);
        }
        let known = self
            .params
            .set_by_name(name, text)
            .map_err(|e| InvalidParameter::new("Alpha", name, text, e.to_string()))?;
        if known {
            Ok(self)
        } else {
            Err(crate::options::unknown_parameter(
                "Alpha",
                name,
                AlphaParams::NAMES,
            ))
        }
    }
    fn build(self) -> Result<Alpha<G>, InvalidParameter> {
        AlphaBuilder::build(self)
    }
}

impl<G: SynapticVariable> Alpha<G> {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> AlphaBuilder<G> {
        AlphaBuilder {
            n,
            params: AlphaParams::default(),
            method: ClassicMethod::ExpAuto,
            _g: core::marker::PhantomData,
        }
    }

    pub(crate) fn same_dynamics(&self, other: &Self) -> bool {
        self.params == other.params && self.method == other.method
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// Queues an increment of h for synapse `i`.
    #[inline(always)]
    pub fn add(&mut self, i: usize, increment: G) {
        self.pending.add(i, increment);
    }

    /// Queued increments, mutable.
    pub fn pending_mut(&mut self) -> &mut Column<G> {
        &mut self.pending
    }

    /// One step with the queued increments.
    pub fn step(&mut self, ctx: &StepCtx) {
        self.advance(ctx, None);
    }

    /// One step with an explicit increment of h per synapse (BrainPy: `syn(x)`).
    pub fn update(&mut self, ctx: &StepCtx, x: &[G]) {
        assert_eq!(
            x.len(),
            self.len(),
            "Alpha::update: one increment per synapse"
        );
        self.update_with(ctx, |k| x[k]);
    }

    /// One step where `x(k)` is the increment of synapse k's h.
    pub fn update_with(&mut self, ctx: &StepCtx, x: impl Fn(usize) -> G) {
        self.advance(ctx, Some(&x));
    }

    fn advance(&mut self, ctx: &StepCtx, x: Option<&dyn Fn(usize) -> G>) {
        if self.method != ClassicMethod::ExpAuto {
            return self.advance_jointly(ctx, x);
        }
        let dt = ctx.dt.get().value;
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..self.len() {
                    let tau = self.params.tau.at(k).value;
                    let (g, h) = (self.g.raw()[k], self.h.raw()[k]);
                    let j = -1.0 / tau;
                    // g with the old h: dg/dt = (−g + h)/τ, slope −1/τ
                    let f = (-g + h) / tau;
                    let g_new = g + (dt * neurotype_units::math::scalar::exprel(dt * j)) * f;
                    let h_new =
                        decay(h, dt, tau, self.pending.raw()[k]) + x.map_or(0.0, |x| x(k).raw());
                    self.g.raw_mut()[k] = g_new;
                    self.h.raw_mut()[k] = h_new;
                }
            },
        );
        self.pending.fill(G::from_raw(0.0));
    }

    /// A step of (g, h) as one system by the method (then h takes the increments), in the
    /// stored numbers of g's unit.
    fn advance_jointly(&mut self, ctx: &StepCtx, x: Option<&dyn Fn(usize) -> G>) {
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..self.len() {
                    let tau = self.params.tau.at(k);
                    let alpha = linearised(
                        move |_t, &(g, h): &(Ratio, Ratio)| ((h - g) / tau, -h / tau),
                        move |_t, _: &(Ratio, Ratio)| (-1.0 / tau, -1.0 / tau),
                    );
                    let at = (
                        Ratio::from_raw(self.g.raw()[k]),
                        Ratio::from_raw(self.h.raw()[k]),
                    );
                    let (g, h) = self.method.step(&alpha, ctx.t, &at, ctx.dt);
                    self.g.raw_mut()[k] = g.raw();
                    self.h.raw_mut()[k] =
                        h.raw() + self.pending.raw()[k] + x.map_or(0.0, |x| x(k).raw());
                }
            },
        );
        self.pending.fill(G::from_raw(0.0));
    }

    /// The synaptic variable g.
    pub fn g(&self) -> &Column<G> {
        &self.g
    }

    /// The auxiliary variable h.
    pub fn h(&self) -> &Column<G> {
        &self.h
    }

    /// Resets g and h to zero.
    pub fn reset_state(&mut self) {
        for c in [&mut self.g, &mut self.h, &mut self.pending] {
            c.fill(G::from_raw(0.0));
        }
    }

    /// Views of the state (`g`, `h`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("g", &self.g), StateVar::of("h", &self.h)]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("g", &mut self.g),
            StateVarMut::of("h", &mut self.h),
        ]
    }
}

crate::snapshot::snapshot_columns!(for [G: SynapticVariable] Expon<G>; g => "g", pending => "pending");
crate::snapshot::snapshot_columns!(
    for [G: SynapticVariable] DualExpon<G>;
    g_rise => "g_rise", g_decay => "g_decay", pending => "pending", out => "g",
);
crate::snapshot::snapshot_columns!(
    for [G: SynapticVariable] Alpha<G>;
    g => "g", h => "h", pending => "pending",
);
