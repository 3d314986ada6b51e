//! Absolute refractoriness, BrainPy's `...Ref` models.

use crate::column::Column;
use crate::neuron::StepCtx;
use crate::param::Param;
use neurotype_units::Real;
use neurotype_units::math::ratio;
use neurotype_units::{InvalidParameter, Ratio, Raw, Time, constants::ms};

/// BrainPy's initial `last_spike_time`: far in the past.
pub const NEVER: Real = -1e7;

/// How close (relative) `d/dt` must be to a whole number to count as one: 1e-9, or 1e-5 in an
/// `f32` build (whose quotients of times carry errors of a few 1e-7).
const WHOLE: Real = if cfg!(feature = "f32") { 1e-5 } else { 1e-9 };

/// How many steps `d` spans: `round(d/dt)` when `d/dt` is within `WHOLE` (1e-9 in f64, 1e-5 in f32; relative) of a
/// whole number, `ceil(d/dt)` otherwise. A duration given as a whole number of steps (1.7 ms at
/// 0.1 ms, 0.3 ms at 0.01 ms) is that number, whatever the last bit of the quotient is.
#[inline]
pub fn whole_steps(d: Time, dt: Time) -> Real {
    let x = (d / dt).value;
    let r = x.round();
    if (x - r).abs() <= WHOLE * r.abs().max(1.0) {
        r
    } else {
        x.ceil()
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

impl RefractoryKind {
    /// The number of steps after a spike during which a neuron is refractory, for a period
    /// `tau_ref`: it is refractory while `steps since the spike < this`. Held: the exact
    /// `(i − i_spike)·dt < τ_ref`; lock-out: `(i − i_spike)·dt < τ_ref − dt/2`.
    #[inline]
    pub fn steps(self, tau_ref: Time, dt: Time) -> Real {
        match self {
            RefractoryKind::Hold => whole_steps(tau_ref, dt),
            RefractoryKind::Lockout => whole_steps(tau_ref - 0.5 * dt, dt),
        }
    }
}

/// Refractory bookkeeping: a neuron is refractory for a whole number of steps after each
/// spike (see [`RefractoryKind::steps`]), and its held variables keep their post-reset values.
/// The steps since a spike are read off the spike time: `(t − t_spike)/dt` is within 1e-12 of
/// the whole number of steps between them (both are products `i·dt`), so comparing it with
/// `steps − ½` counts steps exactly.
///
/// BrainPy decides `t − t_spike < τ_ref` on the float64 times `i·dt`; when τ_ref is a whole
/// number of steps that comparison is an exact tie, which the last bit of the rounded times
/// (and whether XLA fused the product into the difference) decides. neurotype counts steps
/// instead: a neuron with τ_ref = 17 steps is refractory in the 16 steps after its spike and
/// free in the 17th, always.
#[derive(Clone, Debug)]
pub struct Refractory {
    /// Refractory period.
    pub tau_ref: Param<Time>,
    /// Time of each neuron's last spike (−1e7 ms initially), `i·dt` of its step.
    pub last_spike_time: Column<Time>,
    /// BrainPy's optional `ref_var` output (state `refractory`): 1 when refractory at the start
    /// of the step or spiking in it, else 0.
    pub flag: Option<Column<Ratio>>,
}

impl Refractory {
    /// Bookkeeping for `n` neurons.
    pub fn new(n: usize, tau_ref: Param<Time>, ref_var: bool) -> Self {
        Self {
            tau_ref,
            last_spike_time: Column::filled(n, NEVER * ms),
            flag: ref_var.then(|| Column::zeros(n)),
        }
    }

    /// Validates τ_ref (finite, ≥ 0, right length).
    pub fn check(&self, owner: &str, n: usize) -> Result<(), InvalidParameter> {
        self.tau_ref.check_shape(owner, "tau_ref", n)?;
        self.tau_ref.check_non_negative(owner, "tau_ref")
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

    /// The bookkeeping of the elements in `range`, for one step of a population loop.
    pub fn view(&mut self, range: core::ops::Range<usize>, dt: Time) -> RefractoryView<'_> {
        let (start, n) = (range.start, range.len());
        RefractoryView {
            tau_ref: Some(&self.tau_ref),
            offset: start,
            last_time: &mut self.last_spike_time.raw_mut()[start..][..n],
            flag: self.flag.as_mut().map(|f| &mut f.raw_mut()[start..][..n]),
            per_dt: 1.0 / dt.raw(),
        }
    }
}

/// The refractory bookkeeping of a range of elements, sliced for a population loop: element
/// `k` of the view is element `offset + k` of the population.
pub struct RefractoryView<'a> {
    tau_ref: Option<&'a Param<Time>>,
    offset: usize,
    last_time: &'a mut [Real],
    flag: Option<&'a mut [Real]>,
    /// 1/dt (stored number).
    per_dt: Real,
}

impl<'a> RefractoryView<'a> {
    /// The view cut in two at element `mid` (for two workers).
    pub fn split_at(self, mid: usize) -> (Self, Self) {
        if self.last_time.is_empty() {
            // no bookkeeping: both halves read nothing
            let none = |offset| RefractoryView {
                offset,
                last_time: &mut [],
                flag: None,
                ..self
            };
            return (none(self.offset), none(self.offset + mid));
        }
        let (t0, t1) = self.last_time.split_at_mut(mid);
        let (f0, f1) = match self.flag {
            Some(f) => {
                let (a, b) = f.split_at_mut(mid);
                (Some(a), Some(b))
            }
            None => (None, None),
        };
        (
            RefractoryView {
                tau_ref: self.tau_ref,
                offset: self.offset,
                last_time: t0,
                flag: f0,
                per_dt: self.per_dt,
            },
            RefractoryView {
                tau_ref: self.tau_ref,
                offset: self.offset + mid,
                last_time: t1,
                flag: f1,
                per_dt: self.per_dt,
            },
        )
    }

    /// A view of no bookkeeping (for models without refractoriness; never read).
    pub fn none() -> Self {
        RefractoryView {
            tau_ref: None,
            offset: 0,
            last_time: &mut [],
            flag: None,
            per_dt: 0.0,
        }
    }

    /// Whether the view records BrainPy's `refractory` flag: the loop is then compiled for
    /// it. Without it, the refractory test is a comparison and a select per element, which
    /// the compiler vectorises.
    pub fn is_general(&self) -> bool {
        self.flag.is_some()
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

    /// Whether element `k` is refractory in step `ctx`: fewer than `steps` whole steps since
    /// its last spike (`(t − t_spike)/dt < steps − ½`, exact for times on the step grid).
    #[inline(always)]
    pub fn is_refractory(&self, k: usize, ctx: &StepCtx, steps: Real) -> bool {
        (ctx.t.raw() - self.last_time[k]) * self.per_dt < steps - 0.5
    }

    /// Records the outcome of step `ctx` for element `k` (`general`: when the view has one):
    /// BrainPy's `refractory` flag. The spike times are recorded after the loop, by
    /// [`RefractoryView::record_spikes`].
    #[inline(always)]
    pub fn record(&mut self, general: bool, k: usize, ctx: &StepCtx, spiked: bool, steps: Real) {
        if general {
            let refractory = self.is_refractory(k, ctx, steps);
            if let Some(flag) = &mut self.flag {
                flag[k] = if refractory || spiked { 1.0 } else { 0.0 };
            }
        }
    }

    /// Records step `ctx` as the last spike time of the elements `spiked` (after the loop
    /// that found them: inside it, the conditional store would become a masked vector store,
    /// which AVX2 makes slow on AMD processors).
    #[inline(always)]
    pub fn record_spikes(&mut self, ctx: &StepCtx, spiked: &[u32]) {
        let t = ctx.t.raw();
        for &k in spiked {
            self.last_time[k as usize] = t;
        }
    }
}
