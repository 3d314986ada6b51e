//! The generalised integrate-and-fire model (Mihalas & Niebur 2009), BrainPy `Gif`/`GifRef`.

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, SpikeReset, StepCtx};
use crate::options::{Options, RefractorySpec, model_builder, option_setters, refractory_setters};
use crate::param::Init;
use crate::rng;
use crate::state_columns;
use crate::stepper::NeuronCore;
use crate::stepper::{self, Dynamics};
use neurotype_solvers::{FixedStep, Method, State};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

model_params! {
    /// Parameters of [`Gif`] (BrainPy's defaults).
    GifParams / GifScalar for GifBuilder {
        /// Membrane resistance R.
        r: ElectricalResistance = 20.0 * ohm, "R" where > 0;
        /// Membrane time constant τ.
        tau: Time = 20.0 * ms, "tau" where > 0;
        /// Resting potential.
        v_rest: ElectricPotential = -70.0 * mV, "V_rest";
        /// Reset potential.
        v_reset: ElectricPotential = -70.0 * mV, "V_reset" where < v_th_inf && < v_th_reset;
        /// Threshold the dynamic threshold relaxes to.
        v_th_inf: ElectricPotential = -50.0 * mV, "V_th_inf";
        /// Floor of the threshold after a spike.
        v_th_reset: ElectricPotential = -60.0 * mV, "V_th_reset";
        /// Threshold adaptation to the potential, a.
        a: Frequency = 0.0 * per_ms, "a";
        /// Threshold relaxation rate, b.
        b: Frequency = 0.01 * per_ms, "b" where >= 0;
        /// Decay rate of the internal current I1.
        k1: Frequency = 0.2 * per_ms, "k1" where >= 0;
        /// Decay rate of the internal current I2.
        k2: Frequency = 0.02 * per_ms, "k2" where >= 0;
        /// Fraction of I1 kept at a spike.
        r1: Ratio = ratio(0.0), "R1";
        /// Fraction of I2 kept at a spike.
        r2: Ratio = ratio(1.0), "R2";
        /// Increment of I1 at a spike.
        a1: ElectricCurrent = 0.0 * mA, "A1";
        /// Increment of I2 at a spike.
        a2: ElectricCurrent = 0.0 * mA, "A2";
    }
}

/// The joint state (V, I1, I2, V_th).
pub type GifState = (
    ElectricPotential,
    ElectricCurrent,
    ElectricCurrent,
    ElectricPotential,
);

state_columns! {
    /// The state of a [`Gif`] population.
    pub struct GifColumns / GifView / GifKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Spike-induced current I1.
        i1: ElectricCurrent => "I1",
        /// Spike-induced current I2.
        i2: ElectricCurrent => "I2",
        /// Dynamic threshold.
        v_th: ElectricPotential => "V_th",
    }
}

/// What a [`Gif`] population's equations read besides the parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GifConfig {
    /// Soft or hard reset of V.
    pub reset: SpikeReset,
    /// `GifRef`: exponential Euler drives V with the post-spike currents, not the decayed ones.
    pub refractory: bool,
}

/// Generalised integrate-and-fire neuron with two spike-induced currents and a dynamic
/// threshold (BrainPy `Gif`; with `tau_ref`, `GifRef`):
///
/// ```text
/// τ dV/dt     = −(V − V_rest) + R·(I1 + I2 + I(V))
/// dI1/dt      = −k1·I1,   dI2/dt = −k2·I2
/// dV_th/dt    = a·(V − V_rest) − b·(V_th − V_th_inf)
/// spike when V ≥ V_th; next step: V reset (soft: V − (V_th − V_reset); hard: V_reset),
///   I1 ← R1·I1 + A1, I2 ← R2·I2 + A2, V_th ← max(V_th_reset, V_th)
/// ```
///
/// Exponential Euler follows BrainPy: I1 and I2 decay from their post-spike values, V_th
/// integrates with the post-reset V, and V integrates with the **new** I1 and I2 (`Gif`) or the
/// post-spike, un-decayed ones (`GifRef`, as BrainPy's `GifRef` does); δ-inputs go to V.
/// GifRef holds V, I1, I2 and V_th at their post-spike values while refractory.
///
/// Defaults: R = 20 Ω, τ = 20 ms, V_rest = V_reset = −70 mV, V_th_inf = −50 mV,
/// V_th_reset = −60 mV, a = 0 /ms, b = 0.01 /ms, k1 = 0.2 /ms, k2 = 0.02 /ms, R1 = 0, R2 = 1,
/// A1 = A2 = 0 mA; V₀ = −70 mV, I1₀ = I2₀ = 0 mA, V_th₀ = −50 mV; GifRef τ_ref = 1.7 ms.
#[derive(Clone, Debug)]
pub struct Gif {
    core: NeuronCore<Gif>,
    v_init: Init<ElectricPotential>,
    i1_init: Init<ElectricCurrent>,
    i2_init: Init<ElectricCurrent>,
    v_th_init: Init<ElectricPotential>,
}

/// Builder of [`Gif`].
#[derive(Clone, Debug)]
pub struct GifBuilder {
    n: usize,
    params: GifParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    i1_init: Init<ElectricCurrent>,
    i2_init: Init<ElectricCurrent>,
    v_th_init: Init<ElectricPotential>,
    refractory: RefractorySpec,
}

option_setters!(GifBuilder);

refractory_setters!(GifBuilder);
model_builder!(GifBuilder => Gif, owner(b) b.owner(), GifParams,
extra(b, name, text) {
    let owner = b.owner();
    b.refractory.set(owner, name, text)
});

impl GifBuilder {
    /// Initial potential (default −70 mV).
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }
    /// Initial I1 (default 0 mA).
    pub fn i1_init(mut self, init: impl Into<Init<ElectricCurrent>>) -> Self {
        self.i1_init = init.into();
        self
    }
    /// Initial I2 (default 0 mA).
    pub fn i2_init(mut self, init: impl Into<Init<ElectricCurrent>>) -> Self {
        self.i2_init = init.into();
        self
    }
    /// Initial threshold (default −50 mV). BrainPy: `V_th_initializer`.
    pub fn v_th_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_th_init = init.into();
        self
    }

    fn owner(&self) -> &'static str {
        self.refractory.owner("Gif", "GifRef")
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Gif, InvalidParameter> {
        let owner = self.owner();
        let n = self.n;
        let p = &self.params;
        p.check_shapes(owner, n)?;
        // The spike test divides by V_th − V_reset: every threshold the model can reach must
        // lie above the reset (V_reset < V_th_inf, V_reset < V_th_reset).
        p.check_constraints(owner, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        self.i1_init.check(owner, "I1_initializer", n)?;
        self.i2_init.check(owner, "I2_initializer", n)?;
        self.v_th_init.check(owner, "V_th_initializer", n)?;
        let refractory = self.refractory.build(owner, n)?;
        let config = GifConfig {
            reset: self.options.reset,
            refractory: refractory.is_some(),
        };
        let mut model = Gif {
            core: NeuronCore::new(n, self.params, config, &self.options, refractory),
            v_init: self.v_init,
            i1_init: self.i1_init,
            i2_init: self.i2_init,
            v_th_init: self.v_th_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl Gif {
    /// A builder with BrainPy's `Gif` defaults.
    pub fn builder(n: usize) -> GifBuilder {
        GifBuilder {
            n,
            params: GifParams::default(),
            options: Options::default(),
            v_init: Init::Constant(-70.0 * mV),
            i1_init: Init::Constant(0.0 * mA),
            i2_init: Init::Constant(0.0 * mA),
            v_th_init: Init::Constant(-50.0 * mV),
            refractory: RefractorySpec::default(),
        }
    }

    /// The dynamic thresholds.
    pub fn threshold(&self) -> &Column<ElectricPotential> {
        &self.core.state.v_th
    }
}

impl Dynamics for Gif {
    type Params = GifScalar;
    type ParamSet = GifParams;
    type Config = GifConfig;
    type State = GifState;
    type Columns = GifColumns;

    core_access!();

    #[inline(always)]
    fn potential(x: &GifState) -> ElectricPotential {
        x.0
    }

    /// V ≥ V_th, the dynamic threshold.
    #[inline(always)]
    fn threshold(_c: &GifConfig, _p: &GifScalar, _ctx: &StepCtx, x: &GifState) -> bool {
        x.0 >= x.3
    }

    /// V reset (soft or hard), `I1 ← R1·I1 + A1`, `I2 ← R2·I2 + A2`,
    /// `V_th ← max(V_th_reset, V_th)`, each written as BrainPy's increments.
    #[inline(always)]
    fn reset(c: &GifConfig, p: &GifScalar, _ctx: &StepCtx, (v, i1, i2, th): GifState) -> GifState {
        let v0 = match c.reset {
            SpikeReset::Soft => v - (th - p.v_reset),
            SpikeReset::Hard => p.v_reset,
        };
        let th_floor = if p.v_th_reset > th { p.v_th_reset } else { th };
        (
            v0,
            i1 + (p.r1 * i1 + p.a1 - i1),
            i2 + (p.r2 * i2 + p.a2 - i2),
            th + (th_floor - th),
        )
    }

    /// `τ dV/dt = −(V − V_rest) + R·(I1 + I2 + I(V))`, `dIk/dt = −k_k·Ik`,
    /// `dV_th/dt = a·(V − V_rest) − b·(V_th − V_th_inf)`.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &GifConfig,
        p: &GifScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, i1, i2, th): &GifState,
        input: &I,
        k: usize,
    ) -> (
        (VoltageRate, CurrentRate, CurrentRate, VoltageRate),
        (Frequency, Frequency, Frequency, Frequency),
    ) {
        let (input, g) = input.input_at(k, v);
        (
            (
                (-(v - p.v_rest) + p.r * ((i1 + i2) + input)) / p.tau,
                -p.k1 * i1,
                -p.k2 * i2,
                p.a * (v - p.v_rest) - p.b * (th - p.v_th_inf),
            ),
            (-(ratio(1.0) + p.r * g) / p.tau, -p.k1, -p.k2, -p.b),
        )
    }

    #[inline(always)]
    fn add_jump((v, i1, i2, th): GifState, jump: ElectricPotential) -> GifState {
        (v + jump, i1, i2, th)
    }

    /// Exponential Euler in BrainPy's order: I1, I2 and V_th from the post-spike state, then
    /// V with the decayed currents (`Gif`) or the post-spike ones (`GifRef`), and δ-inputs;
    /// the other methods integrate [`Dynamics::derivatives`] jointly.
    #[inline(always)]
    fn integrate<I: InputAt<Self>, M: FixedStep<GifState>>(
        c: &GifConfig,
        p: &GifScalar,
        ctx: &StepCtx,
        method: &M,
        x0: GifState,
        input: &I,
        k: usize,
        jump: ElectricPotential,
    ) -> GifState {
        if M::KIND != Method::ExponentialEuler {
            let ode = stepper::ModelOde::<Self, I> {
                c,
                p,
                ctx,
                input,
                k,
            };
            return Self::add_jump(method.advance(&ode, ctx.t, &x0, ctx.dt), jump);
        }
        let (dt, (v0, i10, i20, th0)) = (ctx.dt.get(), x0);
        let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &x0, input, k);
        let i11 = i10.exp_advance(dt, &f.1, &j.1);
        let i21 = i20.exp_advance(dt, &f.2, &j.2);
        let th1 = th0.exp_advance(dt, &f.3, &j.3);
        let (fv, jv) = if c.refractory {
            (f.0, j.0)
        } else {
            let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &(v0, i11, i21, th0), input, k);
            (f.0, j.0)
        };
        (v0.exp_advance(dt, &fv, &jv) + jump, i11, i21, th1)
    }
}

impl NeuronUnits for Gif {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for Gif {
    fn model_name(&self) -> &'static str {
        if self.core.refractory.is_some() {
            "GifRef"
        } else {
            "Gif"
        }
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        let s = &mut self.core.state;
        s.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        s.i1 = Column::from_raw(self.i1_init.sample(n, &mut rng::stream(seed, 1)));
        s.i2 = Column::from_raw(self.i2_init.sample(n, &mut rng::stream(seed, 2)));
        s.v_th = Column::from_raw(self.v_th_init.sample(n, &mut rng::stream(seed, 3)));
        self.core.clear();
    }
}

/// BrainPy's `GifRef`: [`Gif`] with a refractory period (default τ_ref = 1.7 ms).
pub struct GifRef;

impl GifRef {
    /// A builder with BrainPy's `GifRef` defaults.
    pub fn builder(n: usize) -> GifBuilder {
        Gif::builder(n).tau_ref(1.7 * ms)
    }
}
