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

/// What refractoriness does to a neuron.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefractoryKind {
    /// BrainPy's `...Ref` models: while refractory, the integrated variables keep their
    /// post-reset values, and the spike test sees those.
    Hold,
    /// A detection lock-out (Brian2's `refractory` on a Hodgkin-Huxley threshold): the
    /// variables integrate freely; a threshold crossing counts only `τ_ref − dt/2` or more
    /// after the last spike.
    Lockout,
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

    /// The bookkeeping of the elements in `range`, for one step of a population loop.
    pub fn view(&mut self, range: core::ops::Range<usize>) -> RefractoryView<'_> {
        RefractoryView {
            tau_ref: Some(&self.tau_ref),
            offset: range.start,
            last: &mut self.last_spike_time.raw_mut()[range.clone()],
            flag: self.flag.as_mut().map(|f| &mut f.raw_mut()[range]),
            elapsed: self.elapsed,
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

/// The refractory bookkeeping of a range of elements, sliced for a population loop: element
/// `k` of the view is element `offset + k` of the population.
pub struct RefractoryView<'a> {
    tau_ref: Option<&'a Param<Time>>,
    offset: usize,
    last: &'a mut [f64],
    flag: Option<&'a mut [f64]>,
    elapsed: Elapsed,
}

impl RefractoryView<'_> {
    /// A view of no bookkeeping (for models without refractoriness; never read).
    pub fn none() -> Self {
        RefractoryView {
            tau_ref: None,
            offset: 0,
            last: &mut [],
            flag: None,
            elapsed: Elapsed::Unfused,
        }
    }

    /// Whether the view needs its general form: the `refractory` flag is recorded, or the
    /// elapsed time is rounded as one fused multiply-add. The plain form is a comparison and
    /// a select per element, which the compiler vectorises.
    pub fn is_general(&self) -> bool {
        self.flag.is_some() || self.elapsed != Elapsed::Unfused
    }

    /// τ_ref when every element shares it.
    #[inline(always)]
    pub fn shared_tau_ref(&self) -> Option<Time> {
        self.tau_ref
            .map_or(Some(Time::from_raw(0.0)), Param::scalar)
    }

    /// τ_ref of element `k`.
    #[inline(always)]
    pub fn tau_ref(&self, k: usize) -> Time {
        self.tau_ref
            .map_or(Time::from_raw(0.0), |t| t.at(self.offset + k))
    }

    /// Whether element `k` is refractory in step `ctx`, for a period `tau_ref`:
    /// `t − t_spike < τ_ref`, with `t − t_spike` rounded as [`Refractory::is_refractory`]
    /// rounds it (`general`: as the view's [`Elapsed`] says; else unfused). `general` is a
    /// constant of the loop that calls this.
    #[inline(always)]
    pub fn is_refractory(&self, general: bool, k: usize, ctx: &StepCtx, tau_ref: Time) -> bool {
        let form = if general {
            self.elapsed
        } else {
            Elapsed::Unfused
        };
        elapsed(ctx, Time::from_raw(self.last[k]), form) < tau_ref
    }

    /// Records the outcome of step `ctx` for element `k` (as [`Refractory::record`];
    /// `general`: with the `refractory` flag, if the view has one).
    #[inline(always)]
    pub fn record(&mut self, general: bool, k: usize, ctx: &StepCtx, spiked: bool, tau_ref: Time) {
        if general {
            if let Some(flag) = &mut self.flag {
                let since = Time::from_raw(self.last[k]);
                let refractory = elapsed(ctx, since, Elapsed::Unfused) < tau_ref;
                flag[k] = if refractory || spiked { 1.0 } else { 0.0 };
            }
        }
        self.last[k] = if spiked { ctx.t.raw() } else { self.last[k] };
    }
}
