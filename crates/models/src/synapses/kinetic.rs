//! Kinetic (Markov) receptor models driven by presynaptic spikes: AMPA, GABAa, BioNMDA.
//!
//! A spike releases transmitter of concentration `T` for `T_dur`; the open fraction `g` of
//! the receptors follows first-order kinetics. The input is a spike vector — a conductance
//! increment does not compile here, the mirror image of the exponential synapses.

use crate::column::Column;
use crate::macros::model_params;
use crate::neuron::{StateVar, StateVarMut, StepCtx};
use crate::options::plain_builder;
use crate::refractory::NEVER;
use neurotype_solvers::{ClassicMethod, Integrator, State, linearised};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

/// The transmitter concentration during step `ctx` for a synapse whose last presynaptic spike
/// arrived at `arrival`: `T` while `t − arrival < T_dur` (strict), else 0. The difference is
/// taken on the float64 times `i·dt`, as BrainPy takes it: its traces of AMPA, GABAa and
/// BioNMDA are matched to the last bit, window edges included.
#[inline(always)]
pub fn transmitter(
    ctx: &StepCtx,
    arrival: Time,
    t_conc: MolarConcentration,
    t_dur: Time,
) -> MolarConcentration {
    if ctx.t - arrival < t_dur {
        t_conc
    } else {
        0.0 * mM
    }
}

/// Records a spike arriving at synapse `k` now (when `spike`), then gives the transmitter
/// concentration of that synapse in this step ([`transmitter`]).
#[inline(always)]
pub(crate) fn release(
    arrival: &mut Column<Time>,
    k: usize,
    spike: bool,
    ctx: &StepCtx,
    t_conc: MolarConcentration,
    t_dur: Time,
) -> MolarConcentration {
    if spike {
        arrival.set(k, ctx.t);
    }
    transmitter(ctx, arrival.get(k), t_conc, t_dur)
}

/// One step of `dg/dt = α·T·(1 − g) − β·g` with T frozen over the step, by `method`: with
/// exponential Euler (the default), exact relaxation towards `αT/(αT + β)` at rate `αT + β`.
#[inline(always)]
pub fn open_fraction_step(
    g: Ratio,
    (alpha, beta): (ConcentrationRate, Frequency),
    t: MolarConcentration,
    ctx: &StepCtx,
    method: ClassicMethod,
) -> Ratio {
    let binding = alpha * t;
    let kinetics = linearised(
        move |_t, g: &Ratio| binding * (ratio(1.0) - *g) - beta * *g,
        move |_t, _g: &Ratio| -(binding + beta),
    );
    method.step(&kinetics, ctx.t, &g, ctx.dt)
}

model_params! {
    /// Parameters of [`Ampa`] (BrainPy's AMPA defaults; GABAa's via [`Gabaa::builder`]).
    AmpaParams / AmpaScalar for AmpaBuilder {
        /// Binding rate α.
        alpha: ConcentrationRate = 0.98 * per_mM_per_ms, "alpha" where >= 0;
        /// Unbinding rate β.
        beta: Frequency = 0.18 * per_ms, "beta" where >= 0;
        /// Transmitter concentration during a release.
        t: MolarConcentration = 0.5 * mM, "T" where >= 0;
        /// Duration of a release.
        t_dur: Time = 0.5 * ms, "T_dur" where >= 0;
    }
}

/// AMPA receptor kinetics (BrainPy `AMPA`; with GABAa's defaults, `GABAa`):
///
/// ```text
/// dg/dt = α·[T]·(1 − g) − β·g,   [T] = T while t − t_spike < T_dur, else 0
/// ```
///
/// `g` is the open fraction, in [0, 1]; a projection turns it into a conductance with its
/// weights (`g_max`). Per step: record `t_spike ← t` on a presynaptic spike, compute \[T\]
/// (a spike opens the window in its own step), then integrate g exactly with \[T\] frozen.
/// Defaults: α = 0.98 /(mM·ms), β = 0.18 /ms, T = 0.5 mM, T_dur = 0.5 ms (AMPA);
/// α = 0.53 /(mM·ms), β = 0.18 /ms, T = 1 mM, T_dur = 1 ms (GABAa).
///
/// BrainPy stores this fraction in the unit of its `g_initializer` (mS by default), so its
/// traces show g "in mS"; the numbers are the same.
///
/// ```
/// use neurotype_models::prelude::*;
/// let dt = TimeStep::new(0.1 * ms)?;
/// let mut ampa = Ampa::builder(1).t(2.0 * mM).build()?;
/// ampa.update(&StepCtx::new(0, dt), &[true]);
/// assert!(ampa.g().get(0).value > 0.0);
/// // an initial open fraction (BrainPy's g_initializer), in [0, 1]
/// let open = Ampa::builder(1).g_init(ratio(0.3)).build()?;
/// assert_eq!(open.g().get(0).value, 0.3);
/// assert!(Ampa::builder(1).g_init(ratio(1.5)).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct Ampa {
    params: AmpaParams,
    method: ClassicMethod,
    g0: Ratio,
    name: &'static str,
    g: Column<Ratio>,
    arrival: Column<Time>,
    transmitter: Column<MolarConcentration>,
}

/// Builder of [`Ampa`] (and of GABAa).
#[derive(Clone, Debug)]
pub struct AmpaBuilder {
    n: usize,
    params: AmpaParams,
    method: ClassicMethod,
    g0: Ratio,
    name: &'static str,
}

plain_builder!(AmpaBuilder => Ampa, "AMPA", AmpaParams, method);

impl AmpaBuilder {
    /// Classic BrainPy's integrator (`method=`; `exp_auto` by default, exact for this linear
    /// equation with T frozen; `euler`, `rk2`, `rk4` integrate it approximately as BrainPy does).
    pub fn method(mut self, method: ClassicMethod) -> Self {
        self.method = method;
        self
    }

    /// The initial open fraction (BrainPy's `g_initializer`, 0 by default), in [0, 1]; the
    /// state returns to it on reset.
    pub fn g_init(mut self, g: Ratio) -> Self {
        self.g0 = g;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Ampa, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes(self.name, n)?;
        p.check_constraints(self.name, n)?;
        neurotype_units::check::unit_interval(
            self.name,
            "g_initializer",
            neurotype_units::wide(self.g0.value),
        )?;
        Ok(Ampa {
            params: self.params,
            method: self.method,
            g0: self.g0,
            name: self.name,
            g: Column::filled(n, self.g0),
            arrival: Column::filled(n, NEVER * ms),
            transmitter: Column::zeros(n),
        })
    }
}

impl Ampa {
    /// A builder for `n` synapses with BrainPy's AMPA defaults.
    pub fn builder(n: usize) -> AmpaBuilder {
        AmpaBuilder {
            n,
            params: AmpaParams::default(),
            method: ClassicMethod::ExpAuto,
            g0: ratio(0.0),
            name: "AMPA",
        }
    }

    /// BrainPy's class name (`"AMPA"` or `"GABAa"`).
    pub fn model_name(&self) -> &'static str {
        self.name
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// One step with the presynaptic spikes of each synapse.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        assert_eq!(
            spikes.len(),
            self.len(),
            "AMPA::update: one spike flag per synapse"
        );
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &spike) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let tt = release(&mut self.arrival, k, spike, ctx, p.t, p.t_dur);
                    self.transmitter.set(k, tt);
                    let g =
                        open_fraction_step(self.g.get(k), (p.alpha, p.beta), tt, ctx, self.method);
                    self.g.set(k, g);
                }
            },
        );
    }

    /// The open fractions (BrainPy's `g`, returned by `update`).
    pub fn g(&self) -> &Column<Ratio> {
        &self.g
    }

    /// The time of each synapse's last presynaptic spike (−1e7 ms initially).
    pub fn spike_arrival_time(&self) -> &Column<Time> {
        &self.arrival
    }

    /// The transmitter concentration of the last step.
    pub fn transmitter(&self) -> &Column<MolarConcentration> {
        &self.transmitter
    }

    /// Closes every channel and forgets past spikes.
    pub fn reset_state(&mut self) {
        self.g.fill(self.g0);
        self.arrival.fill(NEVER * ms);
        self.transmitter.fill(0.0 * mM);
    }

    /// Views of the state (`g`, `spike_arrival_time`, and the last transmitter `T`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("g", &self.g),
            StateVar::of("spike_arrival_time", &self.arrival),
            StateVar::of("T", &self.transmitter),
        ]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("g", &mut self.g),
            StateVarMut::of("spike_arrival_time", &mut self.arrival),
        ]
    }
}

/// BrainPy's `GABAa`: [`Ampa`]'s kinetics with α = 0.53 /(mM·ms), β = 0.18 /ms, T = 1 mM,
/// T_dur = 1 ms.
pub struct Gabaa;

impl Gabaa {
    /// A builder for `n` synapses with BrainPy's GABAa defaults.
    pub fn builder(n: usize) -> AmpaBuilder {
        AmpaBuilder {
            n,
            params: AmpaParams {
                alpha: (0.53 * per_mM_per_ms).into(),
                beta: (0.18 * per_ms).into(),
                t: (1.0 * mM).into(),
                t_dur: (1.0 * ms).into(),
            },
            method: ClassicMethod::ExpAuto,
            g0: ratio(0.0),
            name: "GABAa",
        }
    }
}

model_params! {
    /// Parameters of [`BioNmda`] (BrainPy's defaults).
    BioNmdaParams / BioNmdaScalar for BioNmdaBuilder {
        /// Opening rate of g driven by x, α1.
        alpha1: Frequency = 2.0 * per_ms, "alpha1" where >= 0;
        /// Closing rate of g, β1.
        beta1: Frequency = 0.01 * per_ms, "beta1" where >= 0;
        /// Binding rate of x, α2.
        alpha2: ConcentrationRate = 1.0 * per_mM_per_ms, "alpha2" where >= 0;
        /// Unbinding rate of x, β2.
        beta2: Frequency = 0.5 * per_ms, "beta2" where >= 0;
        /// Transmitter concentration during a release.
        t: MolarConcentration = 1.0 * mM, "T" where >= 0;
        /// Duration of a release.
        t_dur: Time = 0.5 * ms, "T_dur" where >= 0;
    }
}

/// Second-order NMDA receptor kinetics (BrainPy `BioNMDA`):
///
/// ```text
/// dx/dt = α2·[T]·(1 − x) − β2·x
/// dg/dt = α1·x·(1 − g) − β1·g
/// ```
///
/// Per step (brainpy.state's order): arrival time and \[T\] as AMPA, then x, then g using the
/// **new** x. Defaults: α1 = 2 /ms, β1 = 0.01 /ms, α2 = 1 /(mM·ms), β2 = 0.5 /ms,
/// T = 1 mM, T_dur = 0.5 ms. Pair it with an `MgBlock` output.
#[derive(Clone, Debug)]
pub struct BioNmda {
    params: BioNmdaParams,
    g: Column<Ratio>,
    x: Column<Ratio>,
    arrival: Column<Time>,
    transmitter: Column<MolarConcentration>,
}

/// Builder of [`BioNmda`].
#[derive(Clone, Debug)]
pub struct BioNmdaBuilder {
    n: usize,
    params: BioNmdaParams,
}

plain_builder!(BioNmdaBuilder => BioNmda, "BioNMDA", BioNmdaParams);

impl BioNmdaBuilder {
    /// Validates and builds.
    pub fn build(self) -> Result<BioNmda, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("BioNMDA", n)?;
        p.check_constraints("BioNMDA", n)?;
        Ok(BioNmda {
            params: self.params,
            g: Column::zeros(n),
            x: Column::zeros(n),
            arrival: Column::filled(n, NEVER * ms),
            transmitter: Column::zeros(n),
        })
    }
}

impl BioNmda {
    /// A builder for `n` synapses with BrainPy's defaults.
    pub fn builder(n: usize) -> BioNmdaBuilder {
        BioNmdaBuilder {
            n,
            params: BioNmdaParams::default(),
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

    /// One step with the presynaptic spikes of each synapse.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) {
        assert_eq!(
            spikes.len(),
            self.len(),
            "BioNMDA::update: one spike flag per synapse"
        );
        let dt = ctx.dt.get();
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &spike) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let tt = release(&mut self.arrival, k, spike, ctx, p.t, p.t_dur);
                    self.transmitter.set(k, tt);
                    let x = open_fraction_step(
                        self.x.get(k),
                        (p.alpha2, p.beta2),
                        tt,
                        ctx,
                        ClassicMethod::ExpAuto,
                    );
                    self.x.set(k, x);
                    // g with the new x: dg/dt = α1·x·(1 − g) − β1·g
                    let g = self.g.get(k);
                    let f = p.alpha1 * x * (ratio(1.0) - g) - p.beta1 * g;
                    let j = -(p.alpha1 * x + p.beta1);
                    self.g.set(k, g.exp_advance(dt, &f, &j));
                }
            },
        );
    }

    /// The open fractions g.
    pub fn g(&self) -> &Column<Ratio> {
        &self.g
    }

    /// The bound fractions x.
    pub fn x(&self) -> &Column<Ratio> {
        &self.x
    }

    /// Closes every channel and forgets past spikes.
    pub fn reset_state(&mut self) {
        self.g.fill(ratio(0.0));
        self.x.fill(ratio(0.0));
        self.arrival.fill(NEVER * ms);
        self.transmitter.fill(0.0 * mM);
    }

    /// Views of the state (`g`, `x`, `spike_arrival_time`, `T`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("g", &self.g),
            StateVar::of("x", &self.x),
            StateVar::of("spike_arrival_time", &self.arrival),
            StateVar::of("T", &self.transmitter),
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

crate::snapshot::snapshot_columns!(
    Ampa;
    g => "g", arrival => "spike_arrival_time", transmitter => "T",
);
crate::snapshot::snapshot_columns!(
    BioNmda;
    g => "g", x => "x", arrival => "spike_arrival_time", transmitter => "T",
);
