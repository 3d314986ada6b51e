//! CubaLIF and CobaLIF: the LIF with a built-in exponential synapse.

use crate::column::Column;
use crate::core_access;
use crate::drive::InputAt;
use crate::drive::NeuronUnits;
use crate::macros::model_params;
use crate::neuron::SpikeReset;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::state_columns;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_solvers::{FixedStep, Integrator, State, linearised};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

use super::lif_reset;

model_params! {
    /// Parameters of [`CubaLif`] (BrainPy's defaults).
    CubaLifParams / CubaLifScalar for CubaLifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau" where > 0;
        /// Synaptic time constant τ_syn.
        tau_syn: Time = 5.0 * ms, "tau_syn" where > 0;
        /// Threshold.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

model_params! {
    /// Parameters of [`CobaLif`] (BrainPy's defaults).
    CobaLifParams / CobaLifScalar for CobaLifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 5.0 * ms, "tau" where > 0;
        /// Synaptic time constant τ_syn.
        tau_syn: Time = 5.0 * ms, "tau_syn" where > 0;
        /// Synaptic reversal potential E.
        e: ElectricPotential = 0.0 * mV, "E";
        /// Threshold.
        v_th: ElectricPotential = 1.0 * mV, "V_th";
        /// Reset potential.
        v_reset: ElectricPotential = 0.0 * mV, "V_reset" where < v_th;
        /// Resting potential.
        v_rest: ElectricPotential = 0.0 * mV, "V_rest";
    }
}

/// CubaLIF's membrane with its synaptic current `g` frozen over the step:
/// `dV/dt = (−(V − V_rest) + R·(g + I(V)))/τ` and its slope.
#[inline(always)]
fn cuba_membrane(
    p: &CubaLifScalar,
    g: ElectricCurrent,
    v: ElectricPotential,
    (input, g_in): (ElectricCurrent, ElectricalConductance),
) -> (VoltageRate, Frequency) {
    let rate = p.tau.recip();
    (
        (-(v - p.v_rest) + p.r * (g + input)) * rate,
        -(ratio(1.0) + p.r * g_in) * rate,
    )
}

/// CobaLIF's membrane with its conductance `g` frozen over the step:
/// `dV/dt = (−(V − V_rest) + R·(g·(E − V) + I(V)))/τ` and its slope.
#[inline(always)]
fn coba_membrane(
    p: &CobaLifScalar,
    g: ElectricalConductance,
    v: ElectricPotential,
    (input, g_in): (ElectricCurrent, ElectricalConductance),
) -> (VoltageRate, Frequency) {
    let rate = p.tau.recip();
    (
        (-(v - p.v_rest) + p.r * (g * (p.e - v) + input)) * rate,
        -(ratio(1.0) + p.r * (g + g_in)) * rate,
    )
}

macro_rules! synaptic_lif {
    (
        $(#[$doc:meta])*
        $Model:ident, $Builder:ident, $Params:ident, $Scalar:ident, $State:ident / $View:ident / $Keys:ident,
        $membrane:ident, $name:literal, g: $G:ty = $g0:expr, check($p:ident) $extra:block
    ) => {
        state_columns! {
            #[doc = concat!("The state of a [`", stringify!($Model), "`] population.")]
            pub struct $State / $View / $Keys {
                /// Membrane potential.
                v: ElectricPotential => "V",
                /// Synaptic variable.
                g: $G => "g",
            }
        }

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $Model {
            core: NeuronCore<$Model>,
            v_init: Init<ElectricPotential>,
            g_init: Init<$G>,
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
                $p.check_constraints($name, n)?;
                $extra
                self.v_init.check($name, "V_initializer", n)?;
                self.g_init.check($name, "g_initializer", n)?;
                let mut model = $Model {
                    core: NeuronCore::new(n, self.params, self.options.reset, &self.options, None),
                    v_init: self.v_init,
                    g_init: self.g_init,
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
                &self.core.state.g
            }
        }

        impl Dynamics for $Model {
            type Params = $Scalar;
            type ParamSet = $Params;
            type Config = SpikeReset;
            type State = (ElectricPotential, $G);
            type Columns = $State;

            core_access!();

            #[inline(always)]
            fn potential(x: &(ElectricPotential, $G)) -> ElectricPotential {
                x.0
            }

            #[inline(always)]
            fn threshold(_c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, x: &(ElectricPotential, $G)) -> bool {
                x.0 >= p.v_th
            }

            #[inline(always)]
            fn reset(c: &SpikeReset, p: &$Scalar, _ctx: &StepCtx, (v, g): (ElectricPotential, $G)) -> (ElectricPotential, $G) {
                (lif_reset(v, true, p.v_th, p.v_reset, *c), g)
            }

            #[inline(always)]
            fn derivatives<I: InputAt<Self>>(
                _c: &SpikeReset,
                p: &$Scalar, _ctx: &StepCtx,
                _t: Time,
                (v, g): &(ElectricPotential, $G),
                input: &I,
                k: usize,
            ) -> ((VoltageRate, <$G as State>::Rate), (Frequency, Frequency)) {
                let (f, j) = $membrane(p, *g, *v, input.input_at(k, *v));
                ((f, -*g / p.tau_syn), (j, -1.0 / p.tau_syn))
            }

            /// δ-inputs jump g.
            #[inline(always)]
            fn add_jump((v, g): (ElectricPotential, $G), jump: $G) -> (ElectricPotential, $G) {
                (v, g + jump)
            }

            /// g first (it decays exactly, then takes the δ-inputs), then V with the new g
            /// frozen over the step, by the population's integrator.
            #[inline(always)]
            fn integrate<I: InputAt<Self>, M: FixedStep<Self::State>>(
                _c: &SpikeReset,
                p: &$Scalar,
                ctx: &StepCtx,
                _method: &M,
                (v0, g0): (ElectricPotential, $G),
                input: &I,
                k: usize,
                jump: $G,
            ) -> (ElectricPotential, $G) {
                let dt = ctx.dt.get();
                let g1 = g0.exp_advance(dt, &(-g0 / p.tau_syn), &(-1.0 / p.tau_syn)) + jump;
                let membrane = linearised(
                    #[inline(always)]
                    |_t, v: &ElectricPotential| $membrane(p, g1, *v, input.input_at(k, *v)).0,
                    #[inline(always)]
                    |_t, v: &ElectricPotential| $membrane(p, g1, *v, input.input_at(k, *v)).1,
                );
                (Integrator::step(&M::KIND, &membrane, ctx.t, &v0, ctx.dt), g1)
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
            fn potential(&self) -> &Column<ElectricPotential> {
                &self.core.state.v
            }
            fn reset_state(&mut self) {
                let n = self.len();
                self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
                self.core.state.g = Column::from_raw(self.g_init.sample(n, &mut self.core.stream(1)));
                self.core.clear();
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
    CubaLif, CubaLifBuilder, CubaLifParams, CubaLifScalar, CubaLifState / CubaLifView / CubaLifKeys,
    cuba_membrane, "CubaLIF",
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
    CobaLif, CobaLifBuilder, CobaLifParams, CobaLifScalar, CobaLifState / CobaLifView / CobaLifKeys,
    coba_membrane, "CobaLIF",
    g: ElectricalConductance = 0.0 * mS, check(p) {}
}
