//! The Izhikevich model (BrainPy `Izhikevich` and `IzhikevichRef`).

use crate::column::Column;
use crate::drive::Drive;
use crate::drive::NeuronUnits;
use crate::kernel::for_each_element;
use crate::macros::model_params;
use crate::neuron::{Neuron, StateVar, StateVarMut, StepCtx};
use crate::neurons::lif::with_integrator;
use crate::options::{Options, model_builder, option_setters, parse_bool, parse_param};
use crate::param::{Init, Param};
use crate::refractory::{Elapsed, Refractory};
use crate::rng;
use neurotype_solvers::{
    Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Rk4, State,
};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

/// How BrainPy's compiled step rounds `t − t_spike` for this model (see [`Elapsed`]).
const ELAPSED: Elapsed = Elapsed::Unfused;

model_params! {
    /// Parameters of [`Izhikevich`] (BrainPy's defaults; `p1`–`p3` are fixed constants of
    /// BrainPy's class, settable here).
    IzhikevichParams / IzhikevichScalar for IzhikevichBuilder {
        /// Recovery rate a.
        a: Frequency = 0.02 * per_ms, "a";
        /// Recovery sensitivity b.
        b: Frequency = 0.2 * per_ms, "b";
        /// Reset potential c.
        c: ElectricPotential = -65.0 * mV, "c";
        /// Recovery increment d.
        d: VoltageRate = 8.0 * mV_per_ms, "d";
        /// Spike threshold (spike peak).
        v_th: ElectricPotential = 30.0 * mV, "V_th";
        /// Quadratic coefficient p1 = 0.04 /(ms·mV).
        p1: InverseVoltageTime = 0.04 * per_mV_per_ms, "p1";
        /// Linear coefficient p2 = 5 /ms.
        p2: Frequency = 5.0 * per_ms, "p2";
        /// Constant p3 = 140 mV/ms.
        p3: VoltageRate = 140.0 * mV_per_ms, "p3";
    }
}

/// Joint (V, u) equations with frozen input:
/// `dV/dt = p1·V² + p2·V + p3 − u + I(V)`, `du/dt = a·(b·V − u)`.
pub struct IzhikevichOde<'a> {
    p: &'a IzhikevichScalar,
    drive: &'a Drive<Izhikevich>,
    i: usize,
}

impl IzhikevichOde<'_> {
    #[inline(always)]
    fn membrane(&self, v: ElectricPotential, u: VoltageRate) -> (VoltageRate, Frequency) {
        let p = self.p;
        let (input, g) = self.drive.input_at(self.i, v);
        (
            p.p1 * v * v + p.p2 * v + p.p3 - u + input,
            2.0 * p.p1 * v + p.p2 - g,
        )
    }

    #[inline(always)]
    fn recovery(
        &self,
        v: ElectricPotential,
        u: VoltageRate,
    ) -> (<VoltageRate as core::ops::Div<Time>>::Output, Frequency) {
        let p = self.p;
        (p.a * (p.b * v - u), -p.a)
    }
}

impl Ode for IzhikevichOde<'_> {
    type State = (ElectricPotential, VoltageRate);
    #[inline(always)]
    fn rhs(
        &self,
        _t: Time,
        &(v, u): &(ElectricPotential, VoltageRate),
    ) -> (VoltageRate, <VoltageRate as core::ops::Div<Time>>::Output) {
        (self.membrane(v, u).0, self.recovery(v, u).0)
    }
}

impl Linearised for IzhikevichOde<'_> {
    #[inline(always)]
    fn slope(
        &self,
        _t: Time,
        &(v, u): &(ElectricPotential, VoltageRate),
    ) -> (Frequency, Frequency) {
        (self.membrane(v, u).1, self.recovery(v, u).1)
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
    params: IzhikevichParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    u_init: Init<VoltageRate>,
    refractory: Option<Refractory>,
    v: Column<ElectricPotential>,
    u: Column<VoltageRate>,
    spikes: Vec<bool>,
}

/// Builder of [`Izhikevich`].
#[derive(Clone, Debug)]
pub struct IzhikevichBuilder {
    n: usize,
    params: IzhikevichParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    u_init: Init<VoltageRate>,
    tau_ref: Option<Param<Time>>,
    ref_var: bool,
}

option_setters!(IzhikevichBuilder);
model_builder!(IzhikevichBuilder => Izhikevich, owner(b) b.owner(), IzhikevichParams,
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

    /// Refractory period (makes the model `IzhikevichRef`).
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
        if self.tau_ref.is_some() {
            "IzhikevichRef"
        } else {
            "Izhikevich"
        }
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<Izhikevich, InvalidParameter> {
        let owner = self.owner();
        let n = self.n;
        self.params.check_shapes(owner, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        self.u_init.check(owner, "u_initializer", n)?;
        let refractory = match self.tau_ref {
            Some(tau_ref) => {
                let r = Refractory::new(n, tau_ref, self.ref_var, ELAPSED);
                r.check(owner, n)?;
                Some(r)
            }
            None => None,
        };
        let mut model = Izhikevich {
            params: self.params,
            options: self.options,
            v_init: self.v_init,
            u_init: self.u_init,
            refractory,
            v: Column::zeros(n),
            u: Column::zeros(n),
            spikes: vec![false; n],
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
            tau_ref: None,
            ref_var: false,
        }
    }

    /// The recovery variables.
    pub fn recovery(&self) -> &Column<VoltageRate> {
        &self.u
    }

    fn run<M: for<'a> Integrator<IzhikevichOde<'a>>>(
        &mut self,
        m: &M,
        ctx: &StepCtx,
        drive: &Drive<Izhikevich>,
    ) {
        let Self {
            params,
            options,
            refractory,
            v,
            u,
            spikes,
            ..
        } = self;
        let exp_euler = options.method == Method::ExponentialEuler;
        let dt = ctx.dt.get();
        for_each_element(
            v.len(),
            params.uniform(),
            |i| params.at(i),
            |i, p| {
                let (v_old, u_old) = (v.get(i), u.get(i));
                let spiked = v_old >= p.v_th;
                let v0 = if spiked { p.c } else { v_old };
                let u0 = if spiked { u_old + p.d } else { u_old };
                let ode = IzhikevichOde { p, drive, i };
                let (v1, u1) = if exp_euler {
                    let (f, j) = ode.membrane(v0, u0);
                    let v1 = v0.exp_advance(dt, &f, &j) + drive.jump(i);
                    let (f, j) = ode.recovery(v1, u0);
                    (v1, u0.exp_advance(dt, &f, &j))
                } else {
                    let (v1, u1) = m.step(&ode, ctx.t, &(v0, u0), ctx.dt);
                    (v1 + drive.jump(i), u1)
                };
                let (v1, u1) = match refractory {
                    Some(r) => {
                        let held = r.is_refractory(i, ctx);
                        let (v1, u1) = if held { (v0, u0) } else { (v1, u1) };
                        r.record(i, ctx, v1 >= p.v_th);
                        (v1, u1)
                    }
                    None => (v1, u1),
                };
                v.set(i, v1);
                u.set(i, u1);
                spikes[i] = v1 >= p.v_th;
            },
        );
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
        if self.refractory.is_some() {
            "IzhikevichRef"
        } else {
            "Izhikevich"
        }
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
        let mut vars = vec![StateVar::of("V", &self.v), StateVar::of("u", &self.u)];
        if let Some(r) = &self.refractory {
            r.push_vars(&mut vars);
        }
        vars
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        let mut vars = vec![
            StateVarMut::of("V", &mut self.v),
            StateVarMut::of("u", &mut self.u),
        ];
        if let Some(r) = &mut self.refractory {
            r.push_vars_mut(&mut vars);
        }
        vars
    }
    fn reset_state(&mut self) {
        let n = self.v.len();
        self.v = Column::from_raw(
            self.v_init
                .sample(n, &mut rng::stream(self.options.seed, 0)),
        );
        self.u = Column::from_raw(
            self.u_init
                .sample(n, &mut rng::stream(self.options.seed, 1)),
        );
        self.spikes.fill(false);
        if let Some(r) = &mut self.refractory {
            r.reset();
        }
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
