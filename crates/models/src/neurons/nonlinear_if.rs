//! Nonlinear integrate-and-fire models: exponential (ExpIF, AdExIF) and quadratic (QuaIF,
//! AdQuaIF), with or without spike-triggered adaptation and refractoriness.
//!
//! The potential obeys `τ dV/dt = ψ(V) − R·w + R·I(V)` where ψ is the model's spike-initiation
//! term (with its leak), and the adaptive models add `τ_w dw/dt = a·(V − V_rest) − w` with
//! `w ← w + b` at each spike. BrainPy's exponential-Euler step order is reproduced exactly:
//! reset V and jump w, integrate V with the jumped w, add δ-inputs, then integrate w using the
//! **new** V. Refractory variants hold V and w at their post-reset values while
//! `t − t_spike < τ_ref`.

use crate::column::Column;
use crate::drive::Drive;
use crate::drive::NeuronUnits;
use crate::kernel::for_each_element;
use crate::macros::model_params;
use crate::neuron::{Neuron, StateVar, StateVarMut, StepCtx};
use crate::neurons::lif::{lif_reset, with_integrator};
use crate::options::{Options, model_builder, option_setters, parse_bool, parse_param};
use crate::param::{Init, Param, check_below};
use crate::refractory::{Elapsed, Refractory};
use crate::rng;
use neurotype_solvers::{
    Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Rk4, State,
};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

/// BrainPy clips the exponent of the ExpIF term at 20 to avoid overflow.
const EXP_CLIP: f64 = 20.0;

/// `ΔT·exp(min((V − V_T)/ΔT, 20))` and its derivative with respect to V.
#[inline(always)]
fn exp_term(
    v: ElectricPotential,
    v_t: ElectricPotential,
    delta_t: ElectricPotential,
) -> (ElectricPotential, Ratio) {
    let z = (v - v_t) / delta_t;
    if z.value < EXP_CLIP {
        let e = exp(z);
        (delta_t * e, e)
    } else {
        (delta_t * exp(ratio(EXP_CLIP)), ratio(0.0))
    }
}

/// Generates a single-variable nonlinear IF model (V only, optional refractoriness).
macro_rules! nonlinear_if {
    (
        $(#[$doc:meta])*
        $Model:ident, $Builder:ident, $Params:ident, $Scalar:ident, $Ode:ident,
        names($name:literal, $name_ref:literal), v0 = $v0:expr, elapsed = $elapsed:expr,
        psi(|$p:ident, $v:ident| $psi:expr),
        check(|$cp:ident| $check:expr)
    ) => {
        /// Membrane equation with frozen input: `τ dV/dt = ψ(V) + R·I(V)`.
        pub struct $Ode<'a> {
            p: &'a $Scalar,
            drive: &'a Drive<$Model>,
            i: usize,
        }

        impl Ode for $Ode<'_> {
            type State = ElectricPotential;
            #[inline(always)]
            fn rhs(&self, t: Time, v: &ElectricPotential) -> VoltageRate {
                self.rhs_and_slope(t, v).0
            }
        }

        impl Linearised for $Ode<'_> {
            #[inline(always)]
            fn slope(&self, t: Time, v: &ElectricPotential) -> Frequency {
                self.rhs_and_slope(t, v).1
            }
            #[inline(always)]
            fn rhs_and_slope(&self, _t: Time, v: &ElectricPotential) -> (VoltageRate, Frequency) {
                let $p = self.p;
                let $v = *v;
                let (psi, dpsi): (ElectricPotential, Ratio) = $psi;
                let (input, g) = self.drive.input_at(self.i, $v);
                ((psi + $p.r * input) / $p.tau, (dpsi - $p.r * g) / $p.tau)
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            refractory: Option<Refractory>,
            v: Column<ElectricPotential>,
            spikes: Vec<bool>,
        }

        #[doc = concat!("Builder of [`", stringify!($Model), "`].")]
        #[derive(Clone, Debug)]
        pub struct $Builder {
            n: usize,
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            tau_ref: Option<Param<Time>>,
            ref_var: bool,
        }

        option_setters!($Builder);
        model_builder!($Builder => $Model, owner(b) b.owner(), $Params,
            extra(b, name, text) {
                match name {
                    "tau_ref" => {
                        b.tau_ref = Some(Param::Scalar(parse_param(b.owner(), name, text)?));
                        Ok(true)
                    }
                    "ref_var" => {
                        b.ref_var = parse_bool(b.owner(), name, text)?;
                        Ok(true)
                    }
                    _ => Ok(false),
                }
            });

        impl $Builder {
            /// Initial potential. BrainPy: `V_initializer`.
            pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
                self.v_init = init.into();
                self
            }

            /// Refractory period (makes the model the `...Ref` variant).
            pub fn tau_ref(mut self, tau_ref: impl Into<Param<Time>>) -> Self {
                self.tau_ref = Some(tau_ref.into());
                self
            }

            /// Records BrainPy's `refractory` flag (refractory or spiking) each step.
            pub fn ref_var(mut self, on: bool) -> Self {
                self.ref_var = on;
                self
            }

            fn owner(&self) -> &'static str {
                if self.tau_ref.is_some() { $name_ref } else { $name }
            }

            /// Validates and builds the population.
            pub fn build(self) -> Result<$Model, InvalidParameter> {
                let owner = self.owner();
                let n = self.n;
                {
                    let $cp = &self.params;
                    $cp.check_shapes(owner, n)?;
                    $cp.tau.check_positive(owner, "tau")?;
                    check_below(owner, "V_reset", &$cp.v_reset, "V_th", &$cp.v_th, n)?;
                    let extra: Result<(), InvalidParameter> = $check;
                    extra?;
                }
                self.v_init.check(owner, "V_initializer", n)?;
                let refractory = match self.tau_ref {
                    Some(tau_ref) => {
                        let r = Refractory::new(n, tau_ref, self.ref_var, $elapsed);
                        r.check(owner, n)?;
                        Some(r)
                    }
                    None => None,
                };
                let mut model = $Model {
                    params: self.params,
                    options: self.options,
                    v_init: self.v_init,
                    refractory,
                    v: Column::zeros(n),
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
                    v_init: Init::Constant($v0),
                    tau_ref: None,
                    ref_var: false,
                }
            }

            /// The parameters.
            pub fn params(&self) -> &$Params {
                &self.params
            }

            /// Refractory bookkeeping (`...Ref` variant only).
            pub fn refractory(&self) -> Option<&Refractory> {
                self.refractory.as_ref()
            }

            fn run<M: for<'a> Integrator<$Ode<'a>>>(
                &mut self,
                m: &M,
                ctx: &StepCtx,
                drive: &Drive<$Model>,
            ) {
                let Self { params, options, refractory, v, spikes, .. } = self;
                let reset = options.reset;
                for_each_element(v.len(), params.uniform(), |i| params.at(i), |i, p| {
                    let v_old = v.get(i);
                    let v0 = lif_reset(v_old, v_old >= p.v_th, p.v_th, p.v_reset, reset);
                    let ode = $Ode { p, drive, i };
                    let integrated = m.step(&ode, ctx.t, &v0, ctx.dt) + drive.jump(i);
                    let new = match refractory {
                        Some(r) => {
                            let held = r.is_refractory(i, ctx);
                            let new = if held { v0 } else { integrated };
                            r.record(i, ctx, new >= p.v_th);
                            new
                        }
                        None => integrated,
                    };
                    v.set(i, new);
                    spikes[i] = new >= p.v_th;
                });
            }
        }

        impl NeuronUnits for $Model {
            type Potential = ElectricPotential;
            type Input = ElectricCurrent;
            type Conductance = ElectricalConductance;
            type Jump = ElectricPotential;

        }


        impl Neuron for $Model {

            fn model_name(&self) -> &'static str {
                if self.refractory.is_some() { $name_ref } else { $name }
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
                let mut vars = vec![StateVar::of("V", &self.v)];
                if let Some(r) = &self.refractory {
                    r.push_vars(&mut vars);
                }
                vars
            }
            fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
                let mut vars = vec![StateVarMut::of("V", &mut self.v)];
                if let Some(r) = &mut self.refractory {
                    r.push_vars_mut(&mut vars);
                }
                vars
            }
            fn reset_state(&mut self) {
                let n = self.v.len();
                self.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(self.options.seed, 0)));
                self.spikes.fill(false);
                if let Some(r) = &mut self.refractory {
                    r.reset();
                }
            }
        }
    };
}

/// Generates an adaptive nonlinear IF model (V and w, optional refractoriness).
macro_rules! adaptive_if {
    (
        $(#[$doc:meta])*
        $Model:ident, $Builder:ident, $Params:ident, $Scalar:ident, $Ode:ident,
        names($name:literal, $name_ref:literal), v0 = $v0:expr, elapsed = $elapsed:expr,
        psi(|$p:ident, $v:ident| $psi:expr),
        check(|$cp:ident| $check:expr)
    ) => {
        /// Joint (V, w) equations with frozen input:
        /// `τ dV/dt = ψ(V) − R·w + R·I(V)`, `τ_w dw/dt = a·(V − V_rest) − w`.
        pub struct $Ode<'a> {
            p: &'a $Scalar,
            drive: &'a Drive<$Model>,
            i: usize,
        }

        impl $Ode<'_> {
            /// dV/dt and its slope at (v, w).
            #[inline(always)]
            fn membrane(&self, v: ElectricPotential, w: ElectricCurrent) -> (VoltageRate, Frequency) {
                let $p = self.p;
                let $v = v;
                let (psi, dpsi): (ElectricPotential, Ratio) = $psi;
                let (input, g) = self.drive.input_at(self.i, $v);
                (
                    (psi - $p.r * w + $p.r * input) / $p.tau,
                    (dpsi - $p.r * g) / $p.tau,
                )
            }

            /// dw/dt and its slope at (v, w).
            #[inline(always)]
            fn adaptation(&self, v: ElectricPotential, w: ElectricCurrent) -> (CurrentRate, Frequency) {
                let p = self.p;
                ((p.a * (v - p.v_rest) - w) / p.tau_w, -1.0 / p.tau_w)
            }
        }

        impl Ode for $Ode<'_> {
            type State = (ElectricPotential, ElectricCurrent);
            #[inline(always)]
            fn rhs(&self, _t: Time, &(v, w): &(ElectricPotential, ElectricCurrent)) -> (VoltageRate, CurrentRate) {
                (self.membrane(v, w).0, self.adaptation(v, w).0)
            }
        }

        impl Linearised for $Ode<'_> {
            #[inline(always)]
            fn slope(&self, _t: Time, &(v, w): &(ElectricPotential, ElectricCurrent)) -> (Frequency, Frequency) {
                (self.membrane(v, w).1, self.adaptation(v, w).1)
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            w_init: Init<ElectricCurrent>,
            refractory: Option<Refractory>,
            v: Column<ElectricPotential>,
            w: Column<ElectricCurrent>,
            spikes: Vec<bool>,
        }

        #[doc = concat!("Builder of [`", stringify!($Model), "`].")]
        #[derive(Clone, Debug)]
        pub struct $Builder {
            n: usize,
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            w_init: Init<ElectricCurrent>,
            tau_ref: Option<Param<Time>>,
            ref_var: bool,
        }

        option_setters!($Builder);
        model_builder!($Builder => $Model, owner(b) b.owner(), $Params,
            extra(b, name, text) {
                match name {
                    "tau_ref" => {
                        b.tau_ref = Some(Param::Scalar(parse_param(b.owner(), name, text)?));
                        Ok(true)
                    }
                    "ref_var" => {
                        b.ref_var = parse_bool(b.owner(), name, text)?;
                        Ok(true)
                    }
                    _ => Ok(false),
                }
            });

        impl $Builder {
            /// Initial potential. BrainPy: `V_initializer`.
            pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
                self.v_init = init.into();
                self
            }

            /// Initial adaptation current (default 0 mA). BrainPy: `w_initializer`.
            pub fn w_init(mut self, init: impl Into<Init<ElectricCurrent>>) -> Self {
                self.w_init = init.into();
                self
            }

            /// Refractory period (makes the model the `...Ref` variant).
            pub fn tau_ref(mut self, tau_ref: impl Into<Param<Time>>) -> Self {
                self.tau_ref = Some(tau_ref.into());
                self
            }

            /// Records BrainPy's `refractory` flag each step.
            pub fn ref_var(mut self, on: bool) -> Self {
                self.ref_var = on;
                self
            }

            fn owner(&self) -> &'static str {
                if self.tau_ref.is_some() { $name_ref } else { $name }
            }

            /// Validates and builds the population.
            pub fn build(self) -> Result<$Model, InvalidParameter> {
                let owner = self.owner();
                let n = self.n;
                {
                    let $cp = &self.params;
                    $cp.check_shapes(owner, n)?;
                    $cp.tau.check_positive(owner, "tau")?;
                    $cp.tau_w.check_positive(owner, "tau_w")?;
                    check_below(owner, "V_reset", &$cp.v_reset, "V_th", &$cp.v_th, n)?;
                    let extra: Result<(), InvalidParameter> = $check;
                    extra?;
                }
                self.v_init.check(owner, "V_initializer", n)?;
                self.w_init.check(owner, "w_initializer", n)?;
                let refractory = match self.tau_ref {
                    Some(tau_ref) => {
                        let r = Refractory::new(n, tau_ref, self.ref_var, $elapsed);
                        r.check(owner, n)?;
                        Some(r)
                    }
                    None => None,
                };
                let mut model = $Model {
                    params: self.params,
                    options: self.options,
                    v_init: self.v_init,
                    w_init: self.w_init,
                    refractory,
                    v: Column::zeros(n),
                    w: Column::zeros(n),
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
                    v_init: Init::Constant($v0),
                    w_init: Init::Constant(0.0 * mA),
                    tau_ref: None,
                    ref_var: false,
                }
            }

            /// The parameters.
            pub fn params(&self) -> &$Params {
                &self.params
            }

            /// The adaptation currents.
            pub fn adaptation(&self) -> &Column<ElectricCurrent> {
                &self.w
            }

            /// Refractory bookkeeping (`...Ref` variant only).
            pub fn refractory(&self) -> Option<&Refractory> {
                self.refractory.as_ref()
            }

            fn run<M: for<'a> Integrator<$Ode<'a>>>(
                &mut self,
                m: &M,
                ctx: &StepCtx,
                drive: &Drive<$Model>,
            ) {
                let Self { params, options, refractory, v, w, spikes, .. } = self;
                let reset = options.reset;
                let exp_euler = options.method == Method::ExponentialEuler;
                let dt = ctx.dt.get();
                for_each_element(v.len(), params.uniform(), |i| params.at(i), |i, p| {
                    let (v_old, w_old) = (v.get(i), w.get(i));
                    let spiked = v_old >= p.v_th;
                    let v0 = lif_reset(v_old, spiked, p.v_th, p.v_reset, reset);
                    let w0 = if spiked { w_old + p.b } else { w_old };
                    let ode = $Ode { p, drive, i };
                    let (v1, w1) = if exp_euler {
                        // BrainPy's order: V with the jumped w, δ-inputs, then w with the new V
                        let (f, j) = ode.membrane(v0, w0);
                        let v1 = v0.exp_advance(dt, &f, &j) + drive.jump(i);
                        let (f, j) = ode.adaptation(v1, w0);
                        (v1, w0.exp_advance(dt, &f, &j))
                    } else {
                        let (v1, w1) = m.step(&ode, ctx.t, &(v0, w0), ctx.dt);
                        (v1 + drive.jump(i), w1)
                    };
                    let (v1, w1) = match refractory {
                        Some(r) => {
                            let held = r.is_refractory(i, ctx);
                            let (v1, w1) = if held { (v0, w0) } else { (v1, w1) };
                            r.record(i, ctx, v1 >= p.v_th);
                            (v1, w1)
                        }
                        None => (v1, w1),
                    };
                    v.set(i, v1);
                    w.set(i, w1);
                    spikes[i] = v1 >= p.v_th;
                });
            }
        }

        impl NeuronUnits for $Model {
            type Potential = ElectricPotential;
            type Input = ElectricCurrent;
            type Conductance = ElectricalConductance;
            type Jump = ElectricPotential;

        }


        impl Neuron for $Model {

            fn model_name(&self) -> &'static str {
                if self.refractory.is_some() { $name_ref } else { $name }
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
                let mut vars = vec![StateVar::of("V", &self.v), StateVar::of("w", &self.w)];
                if let Some(r) = &self.refractory {
                    r.push_vars(&mut vars);
                }
                vars
            }
            fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
                let mut vars = vec![StateVarMut::of("V", &mut self.v), StateVarMut::of("w", &mut self.w)];
                if let Some(r) = &mut self.refractory {
                    r.push_vars_mut(&mut vars);
                }
                vars
            }
            fn reset_state(&mut self) {
                let n = self.v.len();
                self.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(self.options.seed, 0)));
                self.w = Column::from_raw(self.w_init.sample(n, &mut rng::stream(self.options.seed, 1)));
                self.spikes.fill(false);
                if let Some(r) = &mut self.refractory {
                    r.reset();
                }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Exponential integrate-and-fire

model_params! {
    /// Parameters of [`ExpIf`] (BrainPy's defaults).
    ExpIfParams / ExpIfScalar for ExpIfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau";
        /// Numerical spike threshold (BrainPy's V_th, far above V_T).
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Spike-initiation threshold V_T.
        v_t: ElectricPotential = -59.9 * mV, "V_T";
        /// Slope factor ΔT.
        delta_t: ElectricPotential = 3.48 * mV, "delta_T";
    }
}

nonlinear_if! {
    /// Exponential integrate-and-fire neuron (BrainPy `ExpIF`; with `tau_ref`, `ExpIFRef`):
    ///
    /// ```text
    /// τ dV/dt = −(V − V_rest) + ΔT·exp(min((V − V_T)/ΔT, 20)) + R·I(V)
    /// spike when V ≥ V_th; next step V reset (soft or hard, as LIF)
    /// ```
    ///
    /// The exponent is clipped at 20 as in BrainPy, which then drops the term from the
    /// Jacobian. Defaults: R = 1 Ω, τ = 10 ms, V_th = −30 mV, V_reset = −68 mV,
    /// V_rest = −65 mV, V_T = −59.9 mV, ΔT = 3.48 mV, V₀ = −65 mV; ExpIFRef τ_ref = 1.7 ms.
    ///
    /// ```
    /// use neurotype_models::prelude::*;
    /// let neurons = ExpIf::builder(10).spk_reset(SpikeReset::Hard).build()?;
    /// assert_eq!(neurons.model_name(), "ExpIF");
    /// # Ok::<(), InvalidParameter>(())
    /// ```
    ExpIf, ExpIfBuilder, ExpIfParams, ExpIfScalar, ExpIfOde,
    names("ExpIF", "ExpIFRef"), v0 = -65.0 * mV, elapsed = Elapsed::Fused,
    psi(|p, v| {
        let (e, de) = exp_term(v, p.v_t, p.delta_t);
        (-(v - p.v_rest) + e, de - ratio(1.0))
    }),
    check(|p| p.delta_t.check_positive("ExpIF", "delta_T"))
}

/// BrainPy's `ExpIFRef`: [`ExpIf`] with a refractory period (default τ_ref = 1.7 ms).
pub struct ExpIfRef;

impl ExpIfRef {
    /// A builder with BrainPy's `ExpIFRef` defaults.
    pub fn builder(n: usize) -> ExpIfBuilder {
        ExpIf::builder(n).tau_ref(1.7 * ms)
    }
}

model_params! {
    /// Parameters of [`AdExIf`] (BrainPy's defaults).
    AdExIfParams / AdExIfScalar for AdExIfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau";
        /// Adaptation time constant τ_w.
        tau_w: Time = 30.0 * ms, "tau_w";
        /// Numerical spike threshold.
        v_th: ElectricPotential = -55.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Spike-initiation threshold V_T.
        v_t: ElectricPotential = -59.9 * mV, "V_T";
        /// Slope factor ΔT.
        delta_t: ElectricPotential = 3.48 * mV, "delta_T";
        /// Subthreshold adaptation coupling a.
        a: ElectricalConductance = 1.0 * siemens, "a";
        /// Spike-triggered adaptation increment b.
        b: ElectricCurrent = 1.0 * mA, "b";
    }
}

adaptive_if! {
    /// Adaptive exponential integrate-and-fire neuron (BrainPy `AdExIF`; with `tau_ref`,
    /// `AdExIFRef`):
    ///
    /// ```text
    /// τ dV/dt   = −(V − V_rest) + ΔT·exp(min((V − V_T)/ΔT, 20)) − R·w + R·I(V)
    /// τ_w dw/dt = a·(V − V_rest) − w
    /// spike when V ≥ V_th; next step V reset, w ← w + b
    /// ```
    ///
    /// Exponential Euler follows BrainPy: V first (with the jumped w), then w from the new V.
    /// Defaults: R = 1 Ω, τ = 10 ms, τ_w = 30 ms, V_th = −55 mV, V_reset = −68 mV,
    /// V_rest = −65 mV, V_T = −59.9 mV, ΔT = 3.48 mV, a = 1 S, b = 1 mA, V₀ = −65 mV,
    /// w₀ = 0 mA; AdExIFRef τ_ref = 1.7 ms (V and w held while refractory).
    AdExIf, AdExIfBuilder, AdExIfParams, AdExIfScalar, AdExIfOde,
    names("AdExIF", "AdExIFRef"), v0 = -65.0 * mV, elapsed = Elapsed::Unfused,
    psi(|p, v| {
        let (e, de) = exp_term(v, p.v_t, p.delta_t);
        (-(v - p.v_rest) + e, de - ratio(1.0))
    }),
    check(|p| p.delta_t.check_positive("AdExIF", "delta_T"))
}

/// BrainPy's `AdExIFRef`: [`AdExIf`] with a refractory period (default τ_ref = 1.7 ms).
pub struct AdExIfRef;

impl AdExIfRef {
    /// A builder with BrainPy's `AdExIFRef` defaults.
    pub fn builder(n: usize) -> AdExIfBuilder {
        AdExIf::builder(n).tau_ref(1.7 * ms)
    }
}

// ---------------------------------------------------------------------------------------------
// Quadratic integrate-and-fire

model_params! {
    /// Parameters of [`QuaIf`] (BrainPy's defaults).
    QuaIfParams / QuaIfScalar for QuaIfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau";
        /// Spike threshold.
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Critical potential V_c.
        v_c: ElectricPotential = -50.0 * mV, "V_c";
        /// Curvature c.
        c: InverseVoltage = 0.07 * per_mV, "c";
    }
}

nonlinear_if! {
    /// Quadratic integrate-and-fire neuron (BrainPy `QuaIF`):
    ///
    /// ```text
    /// τ dV/dt = c·(V − V_rest)·(V − V_c) + R·I(V)
    /// spike when V ≥ V_th; next step V reset (soft or hard)
    /// ```
    ///
    /// Defaults: R = 1 Ω, τ = 10 ms, V_th = −30 mV, V_reset = −68 mV, V_rest = −65 mV,
    /// V_c = −50 mV, c = 0.07 /mV, V₀ = −65 mV.
    QuaIf, QuaIfBuilder, QuaIfParams, QuaIfScalar, QuaIfOde,
    names("QuaIF", "QuaIFRef"), v0 = -65.0 * mV, elapsed = Elapsed::Unfused,
    psi(|p, v| (p.c * (v - p.v_rest) * (v - p.v_c), p.c * ((v - p.v_c) + (v - p.v_rest)))),
    check(|_p| Ok(()))
}

model_params! {
    /// Parameters of [`AdQuaIf`] (BrainPy's defaults).
    AdQuaIfParams / AdQuaIfScalar for AdQuaIfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R";
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau";
        /// Adaptation time constant τ_w.
        tau_w: Time = 10.0 * ms, "tau_w";
        /// Spike threshold.
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset";
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Critical potential V_c.
        v_c: ElectricPotential = -50.0 * mV, "V_c";
        /// Curvature c.
        c: InverseVoltage = 0.07 * per_mV, "c";
        /// Subthreshold adaptation coupling a.
        a: ElectricalConductance = 1.0 * siemens, "a";
        /// Spike-triggered adaptation increment b.
        b: ElectricCurrent = 0.1 * mA, "b";
    }
}

adaptive_if! {
    /// Adaptive quadratic integrate-and-fire neuron (BrainPy `AdQuaIF`; with `tau_ref`,
    /// `AdQuaIFRef`):
    ///
    /// ```text
    /// τ dV/dt   = c·(V − V_rest)·(V − V_c) − R·w + R·I(V)
    /// τ_w dw/dt = a·(V − V_rest) − w
    /// spike when V ≥ V_th; next step V reset, w ← w + b
    /// ```
    ///
    /// Defaults: R = 1 Ω, τ = 10 ms, τ_w = 10 ms, V_th = −30 mV, V_reset = −68 mV,
    /// V_rest = −65 mV, V_c = −50 mV, c = 0.07 /mV, a = 1 S, b = 0.1 mA, V₀ = −65 mV, w₀ = 0;
    /// AdQuaIFRef τ_ref = 1.7 ms.
    AdQuaIf, AdQuaIfBuilder, AdQuaIfParams, AdQuaIfScalar, AdQuaIfOde,
    names("AdQuaIF", "AdQuaIFRef"), v0 = -65.0 * mV, elapsed = Elapsed::Unfused,
    psi(|p, v| (p.c * (v - p.v_rest) * (v - p.v_c), p.c * ((v - p.v_c) + (v - p.v_rest)))),
    check(|_p| Ok(()))
}

/// BrainPy's `AdQuaIFRef`: [`AdQuaIf`] with a refractory period (default τ_ref = 1.7 ms).
pub struct AdQuaIfRef;

impl AdQuaIfRef {
    /// A builder with BrainPy's `AdQuaIFRef` defaults.
    pub fn builder(n: usize) -> AdQuaIfBuilder {
        AdQuaIf::builder(n).tau_ref(1.7 * ms)
    }
}
