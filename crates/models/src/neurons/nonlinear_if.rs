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
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::SpikeReset;
use crate::neuron::{Neuron, StepCtx};
use crate::neurons::lif::lif_reset;
use crate::options::{Options, RefractorySpec, model_builder, option_setters, refractory_setters};
use crate::param::Init;
use crate::refractory::Refractory;
use crate::state_columns;
use crate::stepper::NeuronCore;
use crate::stepper::{self, Dynamics};
use neurotype_solvers::{FixedStep, Method, State};
use neurotype_units::InvalidParameter;
use neurotype_units::Real;
use neurotype_units::prelude::*;

/// BrainPy clips the exponent of the ExpIF term at 20 to avoid overflow.
const EXP_CLIP: Real = 20.0;

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
        $Model:ident, $Builder:ident, $Params:ident, $Scalar:ident, $State:ident / $View:ident / $Keys:ident,
        names($name:literal, $name_ref:literal), v0 = $v0:expr,
        psi(|$p:ident, $v:ident| $psi:expr)
    ) => {
        state_columns! {
            #[doc = concat!("The state of a [`", stringify!($Model), "`] population.")]
            pub struct $State / $View / $Keys {
                /// Membrane potential.
                v: ElectricPotential => "V",
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            core: NeuronCore<$Model>,
            v_init: Init<ElectricPotential>,
        }

        #[doc = concat!("Builder of [`", stringify!($Model), "`].")]
        #[derive(Clone, Debug)]
        pub struct $Builder {
            n: usize,
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            refractory: RefractorySpec,
        }

        option_setters!($Builder);

        refractory_setters!($Builder);
        model_builder!($Builder => $Model, owner(b) b.owner(), $Params,
            extra(b, name, text) {
                let owner = b.owner();
                b.refractory.set(owner, name, text)
            });

        impl $Builder {
            /// Initial potential. BrainPy: `V_initializer`.
            pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
                self.v_init = init.into();
                self
            }

            fn owner(&self) -> &'static str {
                self.refractory.owner($name, $name_ref)
            }

            /// Validates and builds the population.
            pub fn build(self) -> Result<$Model, InvalidParameter> {
                let owner = self.owner();
                let n = self.n;
                self.params.check_shapes(owner, n)?;
                self.params.check_constraints(owner, n)?;
                self.v_init.check(owner, "V_initializer", n)?;
                let refractory = self.refractory.build(owner, n)?;
                let mut model = $Model {
                    core: NeuronCore::new(n, self.params, self.options.reset, &self.options, refractory),
                    v_init: self.v_init,
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
                    refractory: RefractorySpec::default(),
                }
            }

            /// The parameters.
            pub fn params(&self) -> &$Params {
                &self.core.params
            }

            /// Refractory bookkeeping (`...Ref` variant only).
            pub fn refractory(&self) -> Option<&Refractory> {
                self.core.refractory.as_ref()
            }
        }

        impl Dynamics for $Model {
            type Params = $Scalar;
            type ParamSet = $Params;
            type Config = SpikeReset;
            type State = ElectricPotential;
            type Columns = $State;

            core_access!();

            #[inline(always)]
            fn potential(v: &ElectricPotential) -> ElectricPotential {
                *v
            }

            #[inline(always)]
            fn threshold(_c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, v: &ElectricPotential) -> bool {
                *v >= p.v_th
            }

            #[inline(always)]
            fn reset(c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, v: ElectricPotential) -> ElectricPotential {
                lif_reset(v, true, p.v_th, p.v_reset, *c)
            }

            /// `τ dV/dt = ψ(V) + R·I(V)`.
            #[inline(always)]
            fn derivatives<I: InputAt<Self>>(
                _c: &SpikeReset,
                $p: &$Scalar, _ctx: &StepCtx,
                _t: Time,
                v: &ElectricPotential,
                input: &I,
                k: usize,
            ) -> (VoltageRate, Frequency) {
                let $v = *v;
                let (psi, dpsi): (ElectricPotential, Ratio) = $psi;
                let (input, g) = input.input_at(k, $v);
                ((psi + $p.r * input) / $p.tau, (dpsi - $p.r * g) / $p.tau)
            }

            #[inline(always)]
            fn add_jump(v: ElectricPotential, jump: ElectricPotential) -> ElectricPotential {
                v + jump
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
                if self.core.refractory.is_some() { $name_ref } else { $name }
            }
            fn potential(&self) -> &Column<ElectricPotential> {
                &self.core.state.v
            }
            fn reset_state(&mut self) {
                let n = self.len();
                self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
                self.core.clear();
            }
        }
    };
}

/// The joint state (V, w) of one neuron of an adaptive model.
type Vw = (ElectricPotential, ElectricCurrent);

/// Generates an adaptive nonlinear IF model (V and w, optional refractoriness).
macro_rules! adaptive_if {
    (
        $(#[$doc:meta])*
        $Model:ident, $Builder:ident, $Params:ident, $Scalar:ident, $State:ident / $View:ident / $Keys:ident,
        names($name:literal, $name_ref:literal), v0 = $v0:expr,
        psi(|$p:ident, $v:ident| $psi:expr)
    ) => {
        state_columns! {
            #[doc = concat!("The state of a [`", stringify!($Model), "`] population.")]
            pub struct $State / $View / $Keys {
                /// Membrane potential.
                v: ElectricPotential => "V",
                /// Adaptation current.
                w: ElectricCurrent => "w",
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            core: NeuronCore<$Model>,
            v_init: Init<ElectricPotential>,
            w_init: Init<ElectricCurrent>,
        }

        #[doc = concat!("Builder of [`", stringify!($Model), "`].")]
        #[derive(Clone, Debug)]
        pub struct $Builder {
            n: usize,
            params: $Params,
            options: Options,
            v_init: Init<ElectricPotential>,
            w_init: Init<ElectricCurrent>,
            refractory: RefractorySpec,
        }

        option_setters!($Builder);

        refractory_setters!($Builder);
        model_builder!($Builder => $Model, owner(b) b.owner(), $Params,
            extra(b, name, text) {
                let owner = b.owner();
                b.refractory.set(owner, name, text)
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

            fn owner(&self) -> &'static str {
                self.refractory.owner($name, $name_ref)
            }

            /// Validates and builds the population.
            pub fn build(self) -> Result<$Model, InvalidParameter> {
                let owner = self.owner();
                let n = self.n;
                self.params.check_shapes(owner, n)?;
                self.params.check_constraints(owner, n)?;
                self.v_init.check(owner, "V_initializer", n)?;
                self.w_init.check(owner, "w_initializer", n)?;
                let refractory = self.refractory.build(owner, n)?;
                let mut model = $Model {
                    core: NeuronCore::new(n, self.params, self.options.reset, &self.options, refractory),
                    v_init: self.v_init,
                    w_init: self.w_init,
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
                    refractory: RefractorySpec::default(),
                }
            }

            /// The parameters.
            pub fn params(&self) -> &$Params {
                &self.core.params
            }

            /// The adaptation currents.
            pub fn adaptation(&self) -> &Column<ElectricCurrent> {
                &self.core.state.w
            }

            /// Refractory bookkeeping (`...Ref` variant only).
            pub fn refractory(&self) -> Option<&Refractory> {
                self.core.refractory.as_ref()
            }
        }

        impl Dynamics for $Model {
            type Params = $Scalar;
            type ParamSet = $Params;
            type Config = SpikeReset;
            type State = Vw;
            type Columns = $State;

            core_access!();

            #[inline(always)]
            fn potential(x: &Vw) -> ElectricPotential {
                x.0
            }

            #[inline(always)]
            fn threshold(_c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, x: &Vw) -> bool {
                x.0 >= p.v_th
            }

            /// V reset (soft or hard), `w ← w + b`.
            #[inline(always)]
            fn reset(c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, (v, w): Vw) -> Vw {
                (lif_reset(v, true, p.v_th, p.v_reset, *c), w + p.b)
            }

            /// `τ dV/dt = ψ(V) − R·w + R·I(V)`, `τ_w dw/dt = a·(V − V_rest) − w`.
            #[inline(always)]
            fn derivatives<I: InputAt<Self>>(
                _c: &SpikeReset,
                $p: &$Scalar, _ctx: &StepCtx,
                _t: Time,
                &(v, w): &Vw,
                input: &I,
                k: usize,
            ) -> ((VoltageRate, CurrentRate), (Frequency, Frequency)) {
                let $v = v;
                let (psi, dpsi): (ElectricPotential, Ratio) = $psi;
                let (input, g) = input.input_at(k, $v);
                (
                    (
                        (psi - $p.r * w + $p.r * input) / $p.tau,
                        ($p.a * ($v - $p.v_rest) - w) / $p.tau_w,
                    ),
                    ((dpsi - $p.r * g) / $p.tau, -1.0 / $p.tau_w),
                )
            }

            #[inline(always)]
            fn add_jump((v, w): Vw, jump: ElectricPotential) -> Vw {
                (v + jump, w)
            }

            /// Exponential Euler in BrainPy's order: V with the jumped w, δ-inputs, then w
            /// with the **new** V; the other methods integrate [`Dynamics::derivatives`]
            /// jointly.
            #[inline(always)]
            fn integrate<I: InputAt<Self>, M: FixedStep<Vw>>(
                c: &SpikeReset,
                p: &$Scalar,
                ctx: &StepCtx,
                method: &M,
                x0: Vw,
                input: &I,
                k: usize,
                jump: ElectricPotential,
            ) -> Vw {
                if M::KIND != Method::ExponentialEuler {
                    let ode = stepper::ModelOde::<Self, I> { c, p, ctx, input, k };
                    return Self::add_jump(method.advance(&ode, ctx.t, &x0, ctx.dt), jump);
                }
                let (dt, (v0, w0)) = (ctx.dt.get(), x0);
                let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &x0, input, k);
                let v1 = v0.exp_advance(dt, &f.0, &j.0) + jump;
                let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &(v1, w0), input, k);
                (v1, w0.exp_advance(dt, &f.1, &j.1))
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
                if self.core.refractory.is_some() { $name_ref } else { $name }
            }
            fn potential(&self) -> &Column<ElectricPotential> {
                &self.core.state.v
            }
            fn reset_state(&mut self) {
                let n = self.len();
                self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
                self.core.state.w = Column::from_raw(self.w_init.sample(n, &mut self.core.stream(1)));
                self.core.clear();
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
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau" where > 0;
        /// Numerical spike threshold (BrainPy's V_th, far above V_T).
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Spike-initiation threshold V_T.
        v_t: ElectricPotential = -59.9 * mV, "V_T";
        /// Slope factor ΔT.
        delta_t: ElectricPotential = 3.48 * mV, "delta_T" where > 0;
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
    ExpIf, ExpIfBuilder, ExpIfParams, ExpIfScalar, ExpIfState / ExpIfView / ExpIfKeys,
    names("ExpIF", "ExpIFRef"), v0 = -65.0 * mV,
    psi(|p, v| {
        let (e, de) = exp_term(v, p.v_t, p.delta_t);
        (-(v - p.v_rest) + e, de - ratio(1.0))
    })
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
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau" where > 0;
        /// Adaptation time constant τ_w.
        tau_w: Time = 30.0 * ms, "tau_w" where > 0;
        /// Numerical spike threshold.
        v_th: ElectricPotential = -55.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Spike-initiation threshold V_T.
        v_t: ElectricPotential = -59.9 * mV, "V_T";
        /// Slope factor ΔT.
        delta_t: ElectricPotential = 3.48 * mV, "delta_T" where > 0;
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
    AdExIf, AdExIfBuilder, AdExIfParams, AdExIfScalar, AdExIfState / AdExIfView / AdExIfKeys,
    names("AdExIF", "AdExIFRef"), v0 = -65.0 * mV,
    psi(|p, v| {
        let (e, de) = exp_term(v, p.v_t, p.delta_t);
        (-(v - p.v_rest) + e, de - ratio(1.0))
    })
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
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau" where > 0;
        /// Spike threshold.
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Critical potential V_c.
        v_c: ElectricPotential = -50.0 * mV, "V_c";
        /// Curvature c.
        c: InverseVoltage = 0.07 * per_mV, "c" where > 0;
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
    QuaIf, QuaIfBuilder, QuaIfParams, QuaIfScalar, QuaIfState / QuaIfView / QuaIfKeys,
    names("QuaIF", "QuaIFRef"), v0 = -65.0 * mV,
    psi(|p, v| (p.c * (v - p.v_rest) * (v - p.v_c), p.c * ((v - p.v_c) + (v - p.v_rest))))
}

model_params! {
    /// Parameters of [`AdQuaIf`] (BrainPy's defaults).
    AdQuaIfParams / AdQuaIfScalar for AdQuaIfBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 10.0 * ms, "tau" where > 0;
        /// Adaptation time constant τ_w.
        tau_w: Time = 10.0 * ms, "tau_w" where > 0;
        /// Spike threshold.
        v_th: ElectricPotential = -30.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = -68.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = -65.0 * mV, "V_rest";
        /// Critical potential V_c.
        v_c: ElectricPotential = -50.0 * mV, "V_c";
        /// Curvature c.
        c: InverseVoltage = 0.07 * per_mV, "c" where > 0;
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
    AdQuaIf, AdQuaIfBuilder, AdQuaIfParams, AdQuaIfScalar, AdQuaIfState / AdQuaIfView / AdQuaIfKeys,
    names("AdQuaIF", "AdQuaIFRef"), v0 = -65.0 * mV,
    psi(|p, v| (p.c * (v - p.v_rest) * (v - p.v_c), p.c * ((v - p.v_c) + (v - p.v_rest))))
}

/// BrainPy's `AdQuaIFRef`: [`AdQuaIf`] with a refractory period (default τ_ref = 1.7 ms).
pub struct AdQuaIfRef;

impl AdQuaIfRef {
    /// A builder with BrainPy's `AdQuaIFRef` defaults.
    pub fn builder(n: usize) -> AdQuaIfBuilder {
        AdQuaIf::builder(n).tau_ref(1.7 * ms)
    }
}
