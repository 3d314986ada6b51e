//! Absolute refractoriness, BrainPy's `...Ref` models.

use crate::column::Column;
use crate::neuron::StepCtx;
use crate::param::Param;
use neurotype_units::math::ratio;
use neurotype_units::{InvalidParameter, Ratio, Raw, Time, constants::ms};

/// BrainPy's initial `last_spike_time`: far in the past.
pub const NEVER: f64 = -1e7;

/// How BrainPy's compiled step rounds `t_i − since`, where `t_i = i·dt`.
///
/// Strict comparisons of this difference with a duration (`τ_ref`, a transmitter duration)
/// are exact ties whenever the duration is a whole number of steps, and the last bit decides
/// them. XLA compiles `i·dt − since` either as two roundings (product, then difference) or,
/// when it contracts the two into one fused multiply-add, as one rounding of the exact
/// product minus `since`. Which one depends on the model's compiled graph, so each model
/// records the form BrainPy 2.9.0 uses for it (established against BrainPy traces). With
/// τ_ref = 1.7 ms, `27.8 − 26.1` is 1.6999999999999993 (refractory) unfused but
/// 1.7000000000000002 (not refractory) fused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elapsed {
    /// `fl(fl(i·dt) − since)`.
    Unfused,
    /// `fl(i·dt − since)`, one fused multiply-add.
    Fused,
}

/// `t_i − since` for a past time `since`, rounded as `form` prescribes.
#[inline(always)]
pub fn elapsed(ctx: &StepCtx, since: Time, form: Elapsed) -> Time {
    let plain = ctx.t - since;
    if form == Elapsed::Unfused {
        return plain;
    }
    let (dt, s) = (ctx.dt.get().value, since.value);
    // The two forms can only disagree next to a whole number of steps; elsewhere the
    // plain difference is used and no fused multiply-add is evaluated.
    let steps = plain.value / dt;
    if (steps - steps.round()).abs() < 1e-6 {
        Time::from_raw((ctx.i as f64).mul_add(dt, -s))
    } else {
        plain
    }
}

/// Refractory bookkeeping: a neuron is refractory while `t − last_spike_time < τ_ref` (strict,
/// on the float64 times `i·dt`, as BrainPy), and its held variables keep their post-reset
/// values.
#[derive(Clone, Debug)]
pub struct Refractory {
    /// Refractory period.
    pub tau_ref: Param<Time>,
    /// Time of each neuron's last spike (−1e7 ms initially).
    pub last_spike_time: Column<Time>,
    /// BrainPy's optional `ref_var` output (state `refractory`): 1 when refractory at the start
    /// of the step or spiking in it, else 0.
    pub flag: Option<Column<Ratio>>,
    /// How `t − t_spike` is rounded (see [`Elapsed`]).
    pub elapsed: Elapsed,
}

impl Refractory {
    /// Bookkeeping for `n` neurons.
    pub fn new(n: usize, tau_ref: Param<Time>, ref_var: bool, elapsed: Elapsed) -> Self {
        Self {
            tau_ref,
            last_spike_time: Column::filled(n, NEVER * ms),
            flag: ref_var.then(|| Column::zeros(n)),
            elapsed,
        }
    }

    /// Validates τ_ref (finite, ≥ 0, right length).
    pub fn check(&self, owner: &str, n: usize) -> Result<(), InvalidParameter> {
        self.tau_ref.check_shape(owner, "tau_ref", n)?;
        self.tau_ref.check_non_negative(owner, "tau_ref")
    }

    /// Whether neuron `i` is refractory in step `ctx` (decided from the spike time stored
    /// before this step): `t − t_spike < τ_ref`, with `t − t_spike` evaluated as BrainPy's
    /// compiled loop evaluates it (see [`elapsed`]).
    #[inline(always)]
    pub fn is_refractory(&self, i: usize, ctx: &StepCtx) -> bool {
        elapsed(ctx, self.last_spike_time.get(i), self.elapsed) < self.tau_ref.at(i)
    }

    /// Records the outcome of step `ctx` for neuron `i`: its spike time, and the `refractory`
    /// flag. BrainPy's compiled graph evaluates the flag's refractoriness test on its own, with
    /// the unfused difference, even where the held variables used the fused one.
    #[inline(always)]
    pub fn record(&mut self, i: usize, ctx: &StepCtx, spiked: bool) {
        if let Some(flag) = &mut self.flag {
            let since = self.last_spike_time.get(i);
            let refractory = elapsed(ctx, since, Elapsed::Unfused) < self.tau_ref.at(i);
            flag.set(i, ratio(if refractory || spiked { 1.0 } else { 0.0 }));
        }
        if spiked {
            self.last_spike_time.set(i, ctx.t);
        }
    }

    /// Appends the refractory state variables (`last_spike_time`, and `refractory` with
    /// `ref_var`) to a model's views.
    pub fn push_vars<'a>(&'a self, vars: &mut Vec<crate::neuron::StateVar<'a>>) {
        vars.push(crate::neuron::StateVar::of(
            "last_spike_time",
            &self.last_spike_time,
        ));
        if let Some(flag) = &self.flag {
            vars.push(crate::neuron::StateVar::of("refractory", flag));
        }
    }

    /// Mutable twin of [`Refractory::push_vars`].
    pub fn push_vars_mut<'a>(&'a mut self, vars: &mut Vec<crate::neuron::StateVarMut<'a>>) {
        vars.push(crate::neuron::StateVarMut::of(
            "last_spike_time",
            &mut self.last_spike_time,
        ));
        if let Some(flag) = &mut self.flag {
            vars.push(crate::neuron::StateVarMut::of("refractory", flag));
        }
    }

    /// Forgets all spikes.
    pub fn reset(&mut self) {
        self.last_spike_time.fill(NEVER * ms);
        if let Some(flag) = &mut self.flag {
            flag.fill(ratio(0.0));
        }
    }
}
