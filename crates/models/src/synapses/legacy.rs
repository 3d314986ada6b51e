//! Classic BrainPy 2.x synapse dynamics (`brainpy.dyn`, used by `brainpy.synapses.*`), where
//! they differ from `brainpy.state`: the phenomenological NMDA, the BioNMDA and
//! dual-exponential variants integrated as a joint system with old values, and the classic
//! short-term plasticity. (Classic `Expon`, `Alpha`, `AMPA` and `GABAa` step exactly as their
//! `brainpy.state` twins and are not repeated here.)
//!
//! `exp_auto` integrates a joint system equation by equation, each with its own exact
//! derivative and the **old** values of the other variables (a Jacobi step).

use crate::column::Column;
use crate::macros::model_params;
use crate::neuron::{StateVar, StateVarMut, StepCtx};
use crate::options::plain_builder;
use crate::refractory::NEVER;
use crate::synapses::kinetic::release;
use crate::synapses::plasticity::depression_step;
use neurotype_solvers::{ClassicMethod, Integrator, State, linearised};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

model_params! {
    /// Parameters of the classic [`Nmda`] (BrainPy's defaults).
    NmdaParams / NmdaScalar for NmdaBuilder {
        /// Decay time constant of g.
        tau_decay: Time = 100.0 * ms, "tau_decay" where > 0;
        /// Binding rate a.
        a: Frequency = 0.5 * per_ms, "a" where >= 0;
        /// Decay time constant of x.
        tau_rise: Time = 2.0 * ms, "tau_rise" where > 0;
    }
}

/// The classic phenomenological NMDA synapse (BrainPy `brainpy.dyn.NMDA`, used by
/// `brainpy.synapses.NMDA`):
///
/// ```text
/// dg/dt = −g/τ_decay + a·x·(1 − g)
/// dx/dt = −x/τ_rise,          x ← x + s after each step
/// ```
///
/// g and x are integrated jointly with old values (g sees x from the start of the step),
/// then the presynaptic spike (or its short-term-plasticity weight) is added to x, so a spike
/// first opens channels one step later. Defaults: τ_decay = 100 ms, a = 0.5 /ms,
/// τ_rise = 2 ms. Pair it with an [`MgBlock`](super::MgBlock) output.
#[derive(Clone, Debug)]
pub struct Nmda {
    params: NmdaParams,
    method: ClassicMethod,
    g: Column<Ratio>,
    x: Column<Ratio>,
}

/// Builder of [`Nmda`].
#[derive(Clone, Debug)]
pub struct NmdaBuilder {
    n: usize,
    params: NmdaParams,
    method: ClassicMethod,
}

plain_builder!(NmdaBuilder => Nmda, "NMDA", NmdaParams, method);

impl NmdaBuilder {
    /// Classic BrainPy's integrator (`method=`, `exp_auto` by default: each equation exactly
    /// with the others' old values; `euler`, `rk2`, `rk4` step the joint system).
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Nmda, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("NMDA", n)?;
        p.check_constraints("NMDA", n)?;
        Ok(Nmda {
            params: self.params,
            method: self.method,
            g: Column::zeros(n),
            x: Column::zeros(n),
        })
    }
}

impl Nmda {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> NmdaBuilder {
        NmdaBuilder {
            n,
            params: NmdaParams::default(),
            method: ClassicMethod::ExpAuto,
        }
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// One step with presynaptic spikes.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        assert_eq!(
            spikes.len(),
            self.len(),
            "NMDA::update: one spike flag per synapse"
        );
        self.update_with(ctx, |k| ratio(if spikes[k] { 1.0 } else { 0.0 }));
    }

    /// One step where each presynaptic event has a weight (1 for a plain spike, the released
    /// fraction under short-term plasticity).
    pub fn update_weighted(&mut self, ctx: &StepCtx, events: &[Ratio]) {
        assert_eq!(
            events.len(),
            self.len(),
            "NMDA::update: one event per synapse"
        );
        self.update_with(ctx, |k| events[k]);
    }

    /// One step where `event(k)` is the weight of synapse k's event (0 without one).
    pub fn update_with(&mut self, ctx: &StepCtx, event: impl Fn(usize) -> Ratio) {
        let one = ratio(1.0);
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..self.len() {
                    let s = event(k);
                    let p = self.params.at(k);
                    let (tau_d, a, tau_r) = (p.tau_decay, p.a, p.tau_rise);
                    let joint = linearised(
                        move |_t, &(g, x): &(Ratio, Ratio)| {
                            (-g / tau_d + a * x * (one - g), -x / tau_r)
                        },
                        move |_t, &(_, x): &(Ratio, Ratio)| (-1.0 / tau_d - a * x, -1.0 / tau_r),
                    );
                    let (g, x) = (self.g.get(k), self.x.get(k));
                    let (g, x) = self.method.step(&joint, ctx.t, &(g, x), ctx.dt);
                    self.g.set(k, g);
                    self.x.set(k, x + s);
                }
            },
        );
    }

    /// The open fractions g.
    pub fn g(&self) -> &Column<Ratio> {
        &self.g
    }

    /// The auxiliary variables x.
    pub fn x(&self) -> &Column<Ratio> {
        &self.x
    }

    /// g = x = 0.
    pub fn reset_state(&mut self) {
        self.g.fill(ratio(0.0));
        self.x.fill(ratio(0.0));
    }

    /// Views of the state (`g`, `x`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("g", &self.g), StateVar::of("x", &self.x)]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("g", &mut self.g),
            StateVarMut::of("x", &mut self.x),
        ]
    }
}

model_params! {
    /// Parameters of the classic [`BioNmdaJoint`] (BrainPy's defaults).
    BioNmdaJointParams / BioNmdaJointScalar for BioNmdaJointBuilder {
        /// Opening rate of g driven by x.
        alpha1: Frequency = 2.0 * per_ms, "alpha1" where >= 0;
        /// Closing rate of g.
        beta1: Frequency = 0.01 * per_ms, "beta1" where >= 0;
        /// Binding rate of x.
        alpha2: ConcentrationRate = 1.0 * per_mM_per_ms, "alpha2" where >= 0;
        /// Unbinding rate of x.
        beta2: Frequency = 0.5 * per_ms, "beta2" where >= 0;
        /// Transmitter concentration (classic keyword `T_0` in `brainpy.synapses`).
        t: MolarConcentration = 1.0 * mM, "T" where >= 0;
        /// Release duration.
        t_dur: Time = 0.5 * ms, "T_dur" where >= 0;
    }
}

/// The classic second-order NMDA kinetics (BrainPy `brainpy.dyn.BioNMDA`): the equations of
/// [`BioNmda`](super::BioNmda), integrated jointly so that **g uses the old x** (brainpy.state
/// uses the new one).
#[derive(Clone, Debug)]
pub struct BioNmdaJoint {
    params: BioNmdaJointParams,
    method: ClassicMethod,
    g: Column<Ratio>,
    x: Column<Ratio>,
    arrival: Column<Time>,
}

/// Builder of [`BioNmdaJoint`].
#[derive(Clone, Debug)]
pub struct BioNmdaJointBuilder {
    n: usize,
    params: BioNmdaJointParams,
    method: ClassicMethod,
}

plain_builder!(BioNmdaJointBuilder => BioNmdaJoint, "BioNMDA", BioNmdaJointParams, method);

impl BioNmdaJointBuilder {
    /// Classic BrainPy's integrator (`method=`, `exp_auto` by default: each equation exactly
    /// with the others' old values; `euler`, `rk2`, `rk4` step the joint system).
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<BioNmdaJoint, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("BioNMDA", n)?;
        p.check_constraints("BioNMDA", n)?;
        Ok(BioNmdaJoint {
            params: self.params,
            method: self.method,
            g: Column::zeros(n),
            x: Column::zeros(n),
            arrival: Column::filled(n, NEVER * ms),
        })
    }
}

impl BioNmdaJoint {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> BioNmdaJointBuilder {
        BioNmdaJointBuilder {
            n,
            params: BioNmdaJointParams::default(),
            method: ClassicMethod::ExpAuto,
        }
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// One step with presynaptic spikes.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        assert_eq!(
            spikes.len(),
            self.len(),
            "BioNMDA::update: one spike flag per synapse"
        );
        let one = ratio(1.0);
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &spike) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let tt = release(&mut self.arrival, k, spike, ctx, p.t, p.t_dur);
                    let (alpha1, beta1, binding, beta2) =
                        (p.alpha1, p.beta1, p.alpha2 * tt, p.beta2);
                    let joint = linearised(
                        move |_t, &(g, x): &(Ratio, Ratio)| {
                            (
                                alpha1 * x * (one - g) - beta1 * g,
                                binding * (one - x) - beta2 * x,
                            )
                        },
                        move |_t, &(_, x): &(Ratio, Ratio)| {
                            (-(alpha1 * x + beta1), -(binding + beta2))
                        },
                    );
                    let (g, x) = (self.g.get(k), self.x.get(k));
                    let (g, x) = self.method.step(&joint, ctx.t, &(g, x), ctx.dt);
                    self.g.set(k, g);
                    self.x.set(k, x);
                }
            },
        );
    }

    /// The open fractions g.
    pub fn g(&self) -> &Column<Ratio> {
        &self.g
    }

    /// Closes every channel and forgets past spikes.
    pub fn reset_state(&mut self) {
        self.g.fill(ratio(0.0));
        self.x.fill(ratio(0.0));
        self.arrival.fill(NEVER * ms);
    }

    /// Views of the state (`g`, `x`, `spike_arrival_time`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("g", &self.g),
            StateVar::of("x", &self.x),
            StateVar::of("spike_arrival_time", &self.arrival),
        ]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("g", &mut self.g),
            StateVarMut::of("x", &mut self.x),
            StateVarMut::of("spike_arrival_time", &mut self.arrival),
        ]
    }
}

model_params! {
    /// Parameters of the classic [`DualExponClassic`] (BrainPy's defaults).
    DualExponClassicParams / DualExponClassicScalar for DualExponClassicBuilder {
        /// Decay time constant.
        tau_decay: Time = 10.0 * ms, "tau_decay" where > 0;
        /// Rise time constant.
        tau_rise: Time = 1.0 * ms, "tau_rise" where > 0;
    }
}

/// The classic dual-exponential synapse (BrainPy `brainpy.dyn.DualExpon`, used by
/// `brainpy.synapses.DualExponential`):
///
/// ```text
/// dh/dt = −h/τ_rise,   dg/dt = −g/τ_decay + h,   h ← h + a·s after each step
/// a = (τ_r/τ_d)^{τ_r/(τ_r − τ_d)}/τ_r  (peak g = 1),  or (τ_d − τ_r)/(τ_r·τ_d)·A  given A
/// ```
///
/// g integrates with the old h. Defaults τ_decay = 10 ms, τ_rise = 1 ms, A unset.
#[derive(Clone, Debug)]
pub struct DualExponClassic {
    params: DualExponClassicParams,
    method: ClassicMethod,
    amplitude: Option<Ratio>,
    g: Column<Ratio>,
    h: Column<Frequency>,
}

/// Builder of [`DualExponClassic`].
#[derive(Clone, Debug)]
pub struct DualExponClassicBuilder {
    n: usize,
    params: DualExponClassicParams,
    method: ClassicMethod,
    amplitude: Option<Ratio>,
}

impl crate::neuron::ModelBuilder for DualExponClassicBuilder {
    type Model = DualExponClassic;
    fn set(mut self, name: &str, text: &str) -> Result<Self, InvalidParameter> {
        if name == "A" {
            if text != "None" {
                self.amplitude = Some(crate::options::parse_param("DualExponential", name, text)?);
            }
            return Ok(self);
        }
        if name == "method" {
            self.method = text.parse()?;
            return Ok(self);
        }
        let known = self
            .params
            .set_by_name(name, text)
            .map_err(|e| InvalidParameter::new("DualExponential", name, text, e.to_string()))?;
        if known {
            Ok(self)
        } else {
            Err(crate::options::unknown_parameter(
                "DualExponential",
                name,
                DualExponClassicParams::NAMES,
            ))
        }
    }
    fn build(self) -> Result<DualExponClassic, InvalidParameter> {
        DualExponClassicBuilder::build(self)
    }
}

impl DualExponClassicBuilder {
    /// Classic BrainPy's integrator (`method=`, `exp_auto` by default: each equation exactly
    /// with the others' old values; `euler`, `rk2`, `rk4` step the joint system).
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// Scales the increment to `(τ_d − τ_r)/(τ_r·τ_d)·A` instead of normalising the peak.
    pub fn amplitude(mut self, a: Ratio) -> Self {
        self.amplitude = Some(a);
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<DualExponClassic, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("DualExponential", n)?;
        p.check_constraints("DualExponential", n)?;
        Ok(DualExponClassic {
            params: self.params,
            method: self.method,
            amplitude: self.amplitude,
            g: Column::zeros(n),
            h: Column::zeros(n),
        })
    }
}

impl DualExponClassic {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> DualExponClassicBuilder {
        DualExponClassicBuilder {
            n,
            params: DualExponClassicParams::default(),
            method: ClassicMethod::ExpAuto,
            amplitude: None,
        }
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// The increment of h per unit event.
    pub fn jump(&self, k: usize) -> Frequency {
        let (d, r) = (self.params.tau_decay.at(k), self.params.tau_rise.at(k));
        match self.amplitude {
            Some(a) => (d - r) / (r * d) * a,
            None if d == r => exp(ratio(1.0)) / r,
            None => powf(r / d, r / (r - d)) / r,
        }
    }

    /// One step where each presynaptic event has a weight.
    pub fn update_weighted(&mut self, ctx: &StepCtx, events: &[Ratio]) {
        assert_eq!(
            events.len(),
            self.len(),
            "DualExponential::update: one event per synapse"
        );
        self.update_with(ctx, |k| events[k]);
    }

    /// One step where `event(k)` is the weight of synapse k's event (0 without one).
    pub fn update_with(&mut self, ctx: &StepCtx, event: impl Fn(usize) -> Ratio) {
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..self.len() {
                    let s = event(k);
                    let p = self.params.at(k);
                    let (tau_d, tau_r) = (p.tau_decay, p.tau_rise);
                    let joint = linearised(
                        move |_t, &(g, h): &(Ratio, Frequency)| (-g / tau_d + h, -h / tau_r),
                        move |_t, _: &(Ratio, Frequency)| (-1.0 / tau_d, -1.0 / tau_r),
                    );
                    let (g, h) = (self.g.get(k), self.h.get(k));
                    let (g, h) = self.method.step(&joint, ctx.t, &(g, h), ctx.dt);
                    self.g.set(k, g);
                    self.h.set(k, h + self.jump(k) * s);
                }
            },
        );
    }

    /// One step with presynaptic spikes.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        assert_eq!(
            spikes.len(),
            self.len(),
            "DualExponential::update: one spike flag per synapse"
        );
        self.update_with(ctx, |k| ratio(if spikes[k] { 1.0 } else { 0.0 }));
    }

    /// The synaptic variable g.
    pub fn g(&self) -> &Column<Ratio> {
        &self.g
    }

    /// g = h = 0.
    pub fn reset_state(&mut self) {
        self.g.fill(ratio(0.0));
        self.h.fill(0.0 * per_ms);
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

model_params! {
    /// Parameters of the classic [`StpClassic`] (BrainPy's defaults).
    StpClassicParams / StpClassicScalar for StpClassicBuilder {
        /// Utilisation increment U.
        u: Ratio = ratio(0.15), "U" where in [0, 1];
        /// Facilitation time constant.
        tau_f: Time = 1500.0 * ms, "tau_f" where > 0;
        /// Recovery time constant.
        tau_d: Time = 200.0 * ms, "tau_d" where > 0;
    }
}

/// Classic Tsodyks-Markram plasticity (BrainPy `brainpy.dyn.STP`): jumps on the **decayed**
/// values, `u ← u + U·(1 − u)`, `x ← x − u·x`, and the filter value `u·x` after them.
#[derive(Clone, Debug)]
pub struct StpClassic {
    params: StpClassicParams,
    u: Column<Ratio>,
    x: Column<Ratio>,
}

/// Builder of [`StpClassic`].
#[derive(Clone, Debug)]
pub struct StpClassicBuilder {
    n: usize,
    params: StpClassicParams,
}

plain_builder!(StpClassicBuilder => StpClassic, "STP", StpClassicParams);

impl StpClassicBuilder {
    /// Validates and builds.
    pub fn build(self) -> Result<StpClassic, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("STP", n)?;
        p.check_constraints("STP", n)?;
        let u = Column::from_values((0..n).map(|k| p.u.at(k)));
        Ok(StpClassic {
            params: self.params,
            u,
            x: Column::filled(n, ratio(1.0)),
        })
    }
}

impl StpClassic {
    /// A builder with BrainPy's defaults.
    pub fn builder(n: usize) -> StpClassicBuilder {
        StpClassicBuilder {
            n,
            params: StpClassicParams::default(),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.u.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.u.is_empty()
    }

    /// One step; afterwards [`StpClassic::efficacy`] is `u·x`.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        let dt = ctx.dt.get();
        let one = ratio(1.0);
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &s) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let (u, x) = (self.u.get(k), self.x.get(k));
                    let mut u = u.exp_advance(dt, &(-u / p.tau_f), &(-1.0 / p.tau_f));
                    let mut x = x.exp_advance(dt, &((one - x) / p.tau_d), &(-1.0 / p.tau_d));
                    if s {
                        u = u + p.u * (one - u);
                        x = x - u * x;
                    }
                    self.u.set(k, u);
                    self.x.set(k, x);
                }
            },
        );
    }

    /// The filter value `u·x` of element `k`.
    pub fn efficacy(&self, k: usize) -> Ratio {
        self.u.get(k) * self.x.get(k)
    }

    /// Back to the initial state (u = U, x = 1).
    pub fn reset_state(&mut self) {
        for k in 0..self.len() {
            self.u.set(k, self.params.u.at(k));
        }
        self.x.raw_mut().fill(1.0);
    }

    /// Views of the state (`u`, `x`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("u", &self.u), StateVar::of("x", &self.x)]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("u", &mut self.u),
            StateVarMut::of("x", &mut self.x),
        ]
    }
}

model_params! {
    /// Parameters of the classic [`StdClassic`] (BrainPy's defaults).
    StdClassicParams / StdClassicScalar for StdClassicBuilder {
        /// Recovery time constant.
        tau: Time = 200.0 * ms, "tau" where > 0;
        /// Fraction used per spike.
        u: Ratio = ratio(0.07), "U" where in [0, 1];
    }
}

/// Classic short-term depression (BrainPy `brainpy.dyn.STD`): `x ← x_dec − U·x_old` on a spike;
/// the filter value is the updated x.
#[derive(Clone, Debug)]
pub struct StdClassic {
    params: StdClassicParams,
    x: Column<Ratio>,
}

/// Builder of [`StdClassic`].
#[derive(Clone, Debug)]
pub struct StdClassicBuilder {
    n: usize,
    params: StdClassicParams,
}

plain_builder!(StdClassicBuilder => StdClassic, "STD", StdClassicParams);

impl StdClassicBuilder {
    /// Validates and builds.
    pub fn build(self) -> Result<StdClassic, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("STD", n)?;
        p.check_constraints("STD", n)?;
        Ok(StdClassic {
            params: self.params,
            x: Column::filled(n, ratio(1.0)),
        })
    }
}

impl StdClassic {
    /// A builder with BrainPy's defaults.
    pub fn builder(n: usize) -> StdClassicBuilder {
        StdClassicBuilder {
            n,
            params: StdClassicParams::default(),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// One step; afterwards [`StdClassic::efficacy`] is x.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        let dt = ctx.dt.get();
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &s) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let (x, _) = depression_step(self.x.get(k), p.tau, p.u, dt, s);
                    self.x.set(k, x);
                }
            },
        );
    }

    /// Back to the initial state (x = 1).
    pub fn reset_state(&mut self) {
        self.x.raw_mut().fill(1.0);
    }

    /// The filter value (x) of element `k`.
    pub fn efficacy(&self, k: usize) -> Ratio {
        self.x.get(k)
    }

    /// Views of the state (`x`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("x", &self.x)]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![StateVarMut::of("x", &mut self.x)]
    }
}

crate::snapshot::snapshot_columns!(Nmda; g => "g", x => "x");
crate::snapshot::snapshot_columns!(
    BioNmdaJoint;
    g => "g", x => "x", arrival => "spike_arrival_time",
);
crate::snapshot::snapshot_columns!(DualExponClassic; g => "g", h => "h");
crate::snapshot::snapshot_columns!(StpClassic; u => "u", x => "x");
crate::snapshot::snapshot_columns!(StdClassic; x => "x");
