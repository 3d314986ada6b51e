//! The Izhikevich model (BrainPy `Izhikevich` and `IzhikevichRef`).

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, RefractorySpec, model_builder, option_setters, refractory_setters};
use crate::param::Init;
use crate::state_columns;
use crate::stepper::NeuronCore;
use crate::stepper::{self, Dynamics};
use neurotype_solvers::{FixedStep, Method, State};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

model_params! {
    /// Parameters of [`Izhikevich`] (BrainPy's defaults; `p1`–`p3` are fixed constants of
    /// BrainPy's class, settable here).
    IzhikevichParams / IzhikevichScalar for IzhikevichBuilder {
        /// Recovery rate a.
        a: Frequency = 0.02 * per_ms, "a" where >= 0;
        /// Recovery sensitivity b.
        b: Frequency = 0.2 * per_ms, "b";
        /// Reset potential c.
        c: ElectricPotential = -65.0 * mV, "c" where < v_th;
        /// Recovery increment d.
        d: VoltageRate = 8.0 * mV_per_ms, "d";
        /// Spike threshold (spike peak).
        v_th: ElectricPotential = 30.0 * mV, "V_th";
        /// Quadratic coefficient p1 = 0.04 /(ms·mV).
        p1: InverseVoltageTime = 0.04 * per_mV_per_ms, "p1" where > 0;
        /// Linear coefficient p2 = 5 /ms.
        p2: Frequency = 5.0 * per_ms, "p2";
        /// Constant p3 = 140 mV/ms.
        p3: VoltageRate = 140.0 * mV_per_ms, "p3";
    }
}

/// The joint state (V, u) of one neuron.
type Vu = (ElectricPotential, VoltageRate);

/// The unit of du/dt.
type RecoveryRate = <VoltageRate as core::ops::Div<Time>>::Output;

state_columns! {
    /// The state of an [`Izhikevich`] population.
    pub struct IzhikevichState / IzhikevichView / IzhikevichKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Recovery variable.
        u: VoltageRate => "u",
    }
}

/// Izhikevich (2003) neuron (BrainPy `Izhikevich`; with `tau_ref`, `IzhikevichRef`):
///
/// ```text
/// dV/dt = p1·V² + p2·V + p3 − u + I(V)      (p1 = 0.04 /(ms·mV), p2 = 5 /ms, p3 = 140 mV/ms)
/// du/dt = a·(b·V − u)
/// spike when V ≥ V_th; next step V ← c, u ← u + d  (always a hard reset)
/// ```
///
/// The input is a voltage rate (mV/ms), as in BrainPy; synaptic outputs targeting this model
/// therefore deliver rates (a "conductance" here is a rate, 1/ms). Exponential Euler follows
/// BrainPy: V first, δ-inputs, then u with the **new** V. Defaults: a = 0.02 /ms,
/// b = 0.2 /ms, c = −65 mV, d = 8 mV/ms, V_th = 30 mV, V₀ = −65 mV, u₀ = 0 mV/ms;
/// IzhikevichRef τ_ref = 0 ms (never refractory, as BrainPy's strict `<` makes it).
///
/// ```
/// use neurotype_models::prelude::*;
/// let rs = Izhikevich::builder(1).build()?;          // regular spiking
/// let fs = Izhikevich::builder(1).a(0.1 * per_ms).d(2.0 * mV_per_ms).build()?; // fast spiking
/// assert_eq!(rs.model_name(), "Izhikevich");
/// # let _ = fs;
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Izhikevich {
    core: NeuronCore<Izhikevich>,
    v_init: Init<ElectricPotential>,
    u_init: Init<VoltageRate>,
}

/// Builder of [`Izhikevich`].
#[derive(Clone, Debug)]
pub struct IzhikevichBuilder {
    n: usize,
    params: IzhikevichParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    u_init: Init<VoltageRate>,
    refractory: RefractorySpec,
}

option_setters!(IzhikevichBuilder);

refractory_setters!(IzhikevichBuilder);
model_builder!(IzhikevichBuilder => Izhikevich, owner(b) b.owner(), IzhikevichParams,
extra(b, name, text) {
    let owner = b.owner();
    b.refractory.set(owner, name, text)
});

impl IzhikevichBuilder {
    /// Initial potential (default −65 mV).
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial recovery variable (default 0 mV/ms).
    pub fn u_init(mut self, init: impl Into<Init<VoltageRate>>) -> Self {
        self.u_init = init.into();
        self
    }

    fn owner(&self) -> &'static str {
        self.refractory.owner("Izhikevich", "IzhikevichRef")
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Izhikevich, InvalidParameter> {
        let owner = self.owner();
        let n = self.n;
        self.params.check_shapes(owner, n)?;
        // a is a rate (u decays at a); the quadratic must open upwards (p1 > 0), or V runs to
        // −∞ whatever the threshold; the reset lies below the threshold, as in every
        // integrate-and-fire model
        self.params.check_constraints(owner, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        self.u_init.check(owner, "u_initializer", n)?;
        let refractory = self.refractory.build(owner, n)?;
        let mut model = Izhikevich {
            core: NeuronCore::new(n, self.params, (), &self.options, refractory),
            v_init: self.v_init,
            u_init: self.u_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl Izhikevich {
    /// A builder with BrainPy's `Izhikevich` defaults.
    pub fn builder(n: usize) -> IzhikevichBuilder {
        IzhikevichBuilder {
            n,
            params: IzhikevichParams::default(),
            options: Options::default(),
            v_init: Init::Constant(-65.0 * mV),
            u_init: Init::Constant(0.0 * mV_per_ms),
            refractory: RefractorySpec::default(),
        }
    }

    /// The recovery variables.
    pub fn recovery(&self) -> &Column<VoltageRate> {
        &self.core.state.u
    }
}

impl Dynamics for Izhikevich {
    type Params = IzhikevichScalar;
    type ParamSet = IzhikevichParams;
    type Config = ();
    type State = Vu;
    type Columns = IzhikevichState;

    core_access!();

    #[inline(always)]
    fn potential(x: &Vu) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &IzhikevichScalar, _ctx: &StepCtx, x: &Vu) -> bool {
        x.0 >= p.v_th
    }

    /// Always a hard reset: V ← c, u ← u + d.
    #[inline(always)]
    fn reset(_c: &(), p: &IzhikevichScalar, _ctx: &StepCtx, (_v, u): Vu) -> Vu {
        (p.c, u + p.d)
    }

    /// `dV/dt = p1·V² + p2·V + p3 − u + I(V)`, `du/dt = a·(b·V − u)`.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &IzhikevichScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, u): &Vu,
        input: &I,
        k: usize,
    ) -> ((VoltageRate, RecoveryRate), (Frequency, Frequency)) {
        let (input, g) = input.input_at(k, v);
        (
            (
                p.p1 * v * v + p.p2 * v + p.p3 - u + input,
                p.a * (p.b * v - u),
            ),
            (2.0 * p.p1 * v + p.p2 - g, -p.a),
        )
    }

    #[inline(always)]
    fn add_jump((v, u): Vu, jump: ElectricPotential) -> Vu {
        (v + jump, u)
    }

    /// Exponential Euler in BrainPy's order: V first, δ-inputs, then u with the **new** V;
    /// the other methods integrate [`Dynamics::derivatives`] jointly.
    #[inline(always)]
    fn integrate<I: InputAt<Self>, M: FixedStep<Vu>>(
        c: &(),
        p: &IzhikevichScalar,
        ctx: &StepCtx,
        method: &M,
        x0: Vu,
        input: &I,
        k: usize,
        jump: ElectricPotential,
    ) -> Vu {
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
        let (dt, (v0, u0)) = (ctx.dt.get(), x0);
        let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &x0, input, k);
        let v1 = v0.exp_advance(dt, &f.0, &j.0) + jump;
        let (f, j) = Self::derivatives(c, p, ctx, ctx.t, &(v1, u0), input, k);
        (v1, u0.exp_advance(dt, &f.1, &j.1))
    }
}

impl NeuronUnits for Izhikevich {
    type Potential = ElectricPotential;
    type Input = VoltageRate;
    type Conductance = Frequency;
    type Jump = ElectricPotential;
}

impl Neuron for Izhikevich {
    fn model_name(&self) -> &'static str {
        if self.core.refractory.is_some() {
            "IzhikevichRef"
        } else {
            "Izhikevich"
        }
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
        self.core.state.u = Column::from_raw(self.u_init.sample(n, &mut self.core.stream(1)));
        self.core.clear();
    }
}

/// BrainPy's `IzhikevichRef`: [`Izhikevich`] with a refractory period (default τ_ref = 0 ms).
pub struct IzhikevichRef;

impl IzhikevichRef {
    /// A builder with BrainPy's `IzhikevichRef` defaults.
    pub fn builder(n: usize) -> IzhikevichBuilder {
        Izhikevich::builder(n).tau_ref(0.0 * ms)
    }
}
