//! Short-term plasticity of `brainpy.state`: STP (Tsodyks-Markram) and STD.
//!
//! A filter on presynaptic spikes: each spike is scaled by the fraction of resources it
//! releases, and depletes (and, for STP, facilitates) what the next spike finds.

use crate::column::Column;
use crate::macros::model_params;
use crate::neuron::{StateVar, StateVarMut, StepCtx};
use crate::options::plain_builder;
use neurotype_solvers::State;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

/// One STD step of the resources `x`: recovery over the step by `dx/dt = (1 − x)/τ` with
/// exponential Euler (exact for this linear equation), then, on a spike, depletion by `U·x`
/// (x before the step). Returns the new x and the released fraction (the recovered x on a
/// spike, 0 otherwise).
#[inline(always)]
pub(crate) fn depression_step(
    x: Ratio,
    tau: Time,
    u: Ratio,
    dt: Time,
    spike: bool,
) -> (Ratio, Ratio) {
    let recovered = x.exp_advance(dt, &((ratio(1.0) - x) / tau), &(-1.0 / tau));
    if spike {
        (recovered - u * x, recovered)
    } else {
        (recovered, ratio(0.0))
    }
}

model_params! {
    /// Parameters of [`Stp`] (BrainPy's defaults).
    StpParams / StpScalar for StpBuilder {
        /// Utilisation increment U.
        u: Ratio = ratio(0.15), "U" where in [0, 1];
        /// Facilitation time constant τ_f.
        tau_f: Time = 1500.0 * ms, "tau_f" where > 0;
        /// Depression (recovery) time constant τ_d.
        tau_d: Time = 200.0 * ms, "tau_d" where > 0;
    }
}

/// Tsodyks-Markram short-term plasticity (BrainPy `STP`):
///
/// ```text
/// du/dt = −u/τ_f,   dx/dt = (1 − x)/τ_d
/// on a spike s: u⁺ = u_dec + U·(1 − u⁻),  released = u⁺·x_dec,  x⁺ = x_dec − u⁺·x⁻
/// ```
///
/// brainpy.state's exact order, including its use of the **old** u and x in the jump terms
/// (`u⁻`, `x⁻`) and a release computed before depletion. The filter returns `released·s`.
/// Defaults: U = 0.15, τ_f = 1500 ms, τ_d = 200 ms; x₀ = 1, u₀ = U.
#[derive(Clone, Debug)]
pub struct Stp {
    params: StpParams,
    u: Column<Ratio>,
    x: Column<Ratio>,
    released: Column<Ratio>,
}

/// Builder of [`Stp`].
#[derive(Clone, Debug)]
pub struct StpBuilder {
    n: usize,
    params: StpParams,
}

plain_builder!(StpBuilder => Stp, "STP", StpParams);

impl StpBuilder {
    /// Validates and builds.
    pub fn build(self) -> Result<Stp, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("STP", n)?;
        p.check_constraints("STP", n)?;
        let mut stp = Stp {
            params: self.params,
            u: Column::zeros(n),
            x: Column::zeros(n),
            released: Column::zeros(n),
        };
        stp.reset_state();
        Ok(stp)
    }
}

impl Stp {
    /// A builder for `n` presynaptic neurons with BrainPy's defaults.
    pub fn builder(n: usize) -> StpBuilder {
        StpBuilder {
            n,
            params: StpParams::default(),
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

    /// One step: recover, then apply the spikes. Returns the released fraction of each
    /// element (0 where there was no spike).
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) -> &Column<Ratio> {
        assert_eq!(
            spikes.len(),
            self.len(),
            "STP::update: one spike flag per element"
        );
        let dt = ctx.dt.get();
        let one = ratio(1.0);
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &s) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let (u_old, x_old) = (self.u.get(k), self.x.get(k));
                    let u_dec = u_old.exp_advance(dt, &(-u_old / p.tau_f), &(-1.0 / p.tau_f));
                    let x_dec =
                        x_old.exp_advance(dt, &((one - x_old) / p.tau_d), &(-1.0 / p.tau_d));
                    let (u_new, x_new, released) = if s {
                        let u_new = u_dec + p.u * (one - u_old);
                        (u_new, x_dec - u_new * x_old, u_new * x_dec)
                    } else {
                        (u_dec, x_dec, ratio(0.0))
                    };
                    self.u.set(k, u_new);
                    self.x.set(k, x_new);
                    self.released.set(k, released);
                }
            },
        );
        &self.released
    }

    /// Utilisation u.
    pub fn u(&self) -> &Column<Ratio> {
        &self.u
    }

    /// Available resources x.
    pub fn x(&self) -> &Column<Ratio> {
        &self.x
    }

    /// What the last step released (`u⁺·x_dec` at spikes, else 0).
    pub fn released(&self) -> &Column<Ratio> {
        &self.released
    }

    /// x = 1, u = U.
    pub fn reset_state(&mut self) {
        for k in 0..self.len() {
            self.u.set(k, self.params.u.at(k));
        }
        self.x.fill(ratio(1.0));
        self.released.fill(ratio(0.0));
    }

    /// Views of the state (`u`, `x`, `released`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("u", &self.u),
            StateVar::of("x", &self.x),
            StateVar::of("released", &self.released),
        ]
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
    /// Parameters of [`Std`] (BrainPy's defaults).
    StdParams / StdScalar for StdBuilder {
        /// Recovery time constant τ.
        tau: Time = 200.0 * ms, "tau" where > 0;
        /// Fraction of resources used per spike U.
        u: Ratio = ratio(0.07), "U" where in [0, 1];
    }
}

/// Short-term depression (BrainPy `STD`):
///
/// ```text
/// dx/dt = (1 − x)/τ;   on a spike: released = x_dec,  x⁺ = x_dec − U·x⁻
/// ```
///
/// The release is the recovered x before depletion (U does not scale it), and the depletion
/// uses the **old** x, as in brainpy.state. Defaults: τ = 200 ms, U = 0.07, x₀ = 1.
#[derive(Clone, Debug)]
pub struct Std {
    params: StdParams,
    x: Column<Ratio>,
    released: Column<Ratio>,
}

/// Builder of [`Std`].
#[derive(Clone, Debug)]
pub struct StdBuilder {
    n: usize,
    params: StdParams,
}

plain_builder!(StdBuilder => Std, "STD", StdParams);

impl StdBuilder {
    /// Validates and builds.
    pub fn build(self) -> Result<Std, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        p.check_shapes("STD", n)?;
        p.check_constraints("STD", n)?;
        Ok(Std {
            params: self.params,
            x: Column::filled(n, ratio(1.0)),
            released: Column::zeros(n),
        })
    }
}

impl Std {
    /// A builder for `n` presynaptic neurons with BrainPy's defaults.
    pub fn builder(n: usize) -> StdBuilder {
        StdBuilder {
            n,
            params: StdParams::default(),
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

    /// One step: recover, then apply the spikes. Returns the released fraction of each
    /// element (0 where there was no spike).
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool]) -> &Column<Ratio> {
        assert_eq!(
            spikes.len(),
            self.len(),
            "STD::update: one spike flag per element"
        );
        let dt = ctx.dt.get();
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for (k, &s) in spikes.iter().enumerate() {
                    let p = self.params.at(k);
                    let (x, released) = depression_step(self.x.get(k), p.tau, p.u, dt, s);
                    self.x.set(k, x);
                    self.released.set(k, released);
                }
            },
        );
        &self.released
    }

    /// Available resources x.
    pub fn x(&self) -> &Column<Ratio> {
        &self.x
    }

    /// What the last step released.
    pub fn released(&self) -> &Column<Ratio> {
        &self.released
    }

    /// x = 1.
    pub fn reset_state(&mut self) {
        self.x.fill(ratio(1.0));
        self.released.fill(ratio(0.0));
    }

    /// Views of the state (`x`, `released`).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("x", &self.x),
            StateVar::of("released", &self.released),
        ]
    }

    /// Mutable views of the state.
    pub fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![StateVarMut::of("x", &mut self.x)]
    }
}

/// Any short-term plasticity filter a projection can apply to its presynaptic spikes:
/// `brainpy.state`'s [`Stp`] and [`Std`] (release fraction after the spike's update), or the
/// classic 2.x rules [`StpClassic`](crate::synapses::legacy::StpClassic) (`u·x`) and
/// [`StdClassic`](crate::synapses::legacy::StdClassic) (x). Every presynaptic element is
/// advanced every step (recovery between spikes); a spike is then scaled by its element's
/// efficacy, which [`ShortTermPlasticity::update`] writes.
#[derive(Clone, Debug)]
pub enum ShortTermPlasticity {
    /// Tsodyks-Markram facilitation and depression (`brainpy.state.STP`).
    Stp(Stp),
    /// Depression only (`brainpy.state.STD`).
    Std(Std),
    /// Classic `brainpy.dyn.STP`.
    StpClassic(crate::synapses::legacy::StpClassic),
    /// Classic `brainpy.dyn.STD`.
    StdClassic(crate::synapses::legacy::StdClassic),
}

impl ShortTermPlasticity {
    /// Number of presynaptic elements.
    pub fn len(&self) -> usize {
        match self {
            ShortTermPlasticity::Stp(p) => p.len(),
            ShortTermPlasticity::Std(p) => p.len(),
            ShortTermPlasticity::StpClassic(p) => p.len(),
            ShortTermPlasticity::StdClassic(p) => p.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// BrainPy's class name.
    pub fn model_name(&self) -> &'static str {
        match self {
            ShortTermPlasticity::Stp(_) | ShortTermPlasticity::StpClassic(_) => "STP",
            ShortTermPlasticity::Std(_) | ShortTermPlasticity::StdClassic(_) => "STD",
        }
    }

    /// One step with this step's arriving spikes; writes every element's efficacy (what a
    /// spike of that element is scaled by) into `efficacies`.
    pub fn update(&mut self, ctx: &StepCtx, spikes: &[bool], efficacies: &mut Column<Ratio>) {
        match self {
            ShortTermPlasticity::Stp(p) => efficacies
                .raw_mut()
                .copy_from_slice(p.update(ctx, spikes).raw()),
            ShortTermPlasticity::Std(p) => efficacies
                .raw_mut()
                .copy_from_slice(p.update(ctx, spikes).raw()),
            ShortTermPlasticity::StpClassic(p) => {
                p.update(ctx, spikes);
                for k in 0..p.len() {
                    efficacies.set(k, p.efficacy(k));
                }
            }
            ShortTermPlasticity::StdClassic(p) => {
                p.update(ctx, spikes);
                for k in 0..p.len() {
                    efficacies.set(k, p.efficacy(k));
                }
            }
        }
    }

    /// Back to the initial state.
    pub fn reset_state(&mut self) {
        match self {
            ShortTermPlasticity::Stp(p) => p.reset_state(),
            ShortTermPlasticity::Std(p) => p.reset_state(),
            ShortTermPlasticity::StpClassic(p) => p.reset_state(),
            ShortTermPlasticity::StdClassic(p) => p.reset_state(),
        }
    }

    /// Views of the state (`u`, `x`, ...).
    pub fn state_vars(&self) -> Vec<StateVar<'_>> {
        match self {
            ShortTermPlasticity::Stp(p) => p.state_vars(),
            ShortTermPlasticity::Std(p) => p.state_vars(),
            ShortTermPlasticity::StpClassic(p) => p.state_vars(),
            ShortTermPlasticity::StdClassic(p) => p.state_vars(),
        }
    }
}

impl From<Stp> for ShortTermPlasticity {
    fn from(p: Stp) -> Self {
        ShortTermPlasticity::Stp(p)
    }
}

impl From<Std> for ShortTermPlasticity {
    fn from(p: Std) -> Self {
        ShortTermPlasticity::Std(p)
    }
}

impl From<crate::synapses::legacy::StpClassic> for ShortTermPlasticity {
    fn from(p: crate::synapses::legacy::StpClassic) -> Self {
        ShortTermPlasticity::StpClassic(p)
    }
}

impl From<crate::synapses::legacy::StdClassic> for ShortTermPlasticity {
    fn from(p: crate::synapses::legacy::StdClassic) -> Self {
        ShortTermPlasticity::StdClassic(p)
    }
}

crate::snapshot::snapshot_columns!(Stp; u => "u", x => "x", released => "released");
crate::snapshot::snapshot_columns!(Std; x => "x", released => "released");

impl crate::snapshot::Snapshot for ShortTermPlasticity {
    fn visit_state(&mut self, v: &mut dyn crate::snapshot::StateVisitor) {
        match self {
            ShortTermPlasticity::Stp(p) => p.visit_state(v),
            ShortTermPlasticity::Std(p) => p.visit_state(v),
            ShortTermPlasticity::StpClassic(p) => p.visit_state(v),
            ShortTermPlasticity::StdClassic(p) => p.visit_state(v),
        }
    }
}
