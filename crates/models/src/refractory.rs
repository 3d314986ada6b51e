//! Absolute refractoriness, BrainPy's `...Ref` models.

use core::sync::atomic::{AtomicU64, Ordering};

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
///
/// The neuron loop does not evaluate that test: it reads one byte per neuron, kept by a
/// clock from the spikes as they happen ([`Refractory::view`]): a neuron that spikes is
/// looked at again, with the same test on its spike time, at the first step it is free in
/// (a ring of lists, one per step ahead). Whatever can change the spike times or the step
/// from outside (the mutable view of `last_spike_time`, a restored checkpoint, a reset, a step
/// that does not follow the last one, another range, time step or kind, a list of last
/// step's spikes that is not the one recorded) makes the next step rebuild the bytes from the
/// spike times, so they always equal the test.
#[derive(Clone, Debug)]
pub struct Refractory {
    tau_ref: Param<Time>,
    last_spike_time: Column<Time>,
    flag: Option<Column<Ratio>>,
    clock: Clock,
}

/// The longest ring of lists kept (a longer refractory period is looked at again every
/// `MAX_RING − 1` steps until it ends).
const MAX_RING: usize = 4096;

/// Which neurons are refractory in the coming step, kept from the spikes.
#[derive(Debug, Default)]
struct Clock {
    /// `held[k]`: element `k` is refractory in step `ready.i`.
    held: Vec<bool>,
    /// `ring[c % ring.len()]`: the elements to look at again in step `c`.
    ring: Vec<Vec<u32>>,
    /// `due[k]`: the step (modulo 2³²) element `k` is listed for while `held[k]`; an entry
    /// of the ring for another step is a stale one and passed over.
    due: Vec<u32>,
    /// The step, time step and range the bytes are ready for; `None`: rebuild them.
    ready: Option<Ready>,
    /// The spikes recorded since the last step began (by every part of the population), as
    /// the wrapping sum of [`mix`] of each element.
    recorded: AtomicU64,
}

impl Clone for Clock {
    fn clone(&self) -> Self {
        Self {
            held: self.held.clone(),
            ring: self.ring.clone(),
            ready: self.ready.clone(),
            due: self.due.clone(),
            recorded: AtomicU64::new(self.recorded.load(Ordering::Relaxed)),
        }
    }
}

/// What the refractory bytes were last made ready for.
#[derive(Clone, Debug, PartialEq)]
struct Ready {
    /// The step index.
    i: u64,
    /// The time step (stored number).
    dt: Real,
    /// The elements stepped.
    range: core::ops::Range<usize>,
    /// What refractoriness does.
    kind: RefractoryKind,
}

/// The refractory test of BrainPy's `...Ref` models on stored numbers: fewer than `steps`
/// whole steps from the spike at `last` to the time `t` (`(t − last)/dt < steps − ½`, exact
/// for times on the step grid).
#[inline(always)]
fn refractory_at(last: Real, t: Real, per_dt: Real, steps: Real) -> bool {
    (t - last) * per_dt < steps - 0.5
}

impl Refractory {
    /// Bookkeeping for `n` neurons.
    pub fn new(n: usize, tau_ref: Param<Time>, ref_var: bool) -> Self {
        Self {
            tau_ref,
            last_spike_time: Column::filled(n, NEVER * ms),
            flag: ref_var.then(|| Column::zeros(n)),
            clock: Clock {
                held: vec![false; n],
                due: vec![0; n],
                ..Clock::default()
            },
        }
    }

    /// Validates τ_ref (finite, ≥ 0, right length).
    pub fn check(&self, owner: &str, n: usize) -> Result<(), InvalidParameter> {
        self.tau_ref.check_shape(owner, "tau_ref", n)?;
        self.tau_ref.check_non_negative(owner, "tau_ref")
    }

    /// The refractory period.
    pub fn tau_ref(&self) -> &Param<Time> {
        &self.tau_ref
    }

    /// Time of each neuron's last spike (−1e7 ms initially), `i·dt` of its step.
    pub fn last_spike_time(&self) -> &Column<Time> {
        &self.last_spike_time
    }

    /// Sets the time of each neuron's last spike (the next step then rebuilds which are
    /// refractory).
    pub fn last_spike_time_mut(&mut self) -> &mut Column<Time> {
        self.clock.ready = None;
        &mut self.last_spike_time
    }

    /// BrainPy's optional `ref_var` output (state `refractory`): 1 when refractory at the
    /// start of the step or spiking in it, else 0.
    pub fn flag(&self) -> Option<&Column<Ratio>> {
        self.flag.as_ref()
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

    /// Mutable twin of [`Refractory::push_vars`] (the next step then rebuilds which neurons
    /// are refractory from the spike times).
    pub fn push_vars_mut<'a>(&'a mut self, vars: &mut Vec<crate::neuron::StateVarMut<'a>>) {
        self.clock.ready = None;
        vars.push(crate::neuron::StateVarMut::of(
            "last_spike_time",
            &mut self.last_spike_time,
        ));
        if let Some(flag) = &mut self.flag {
            vars.push(crate::neuron::StateVarMut::of("refractory", flag));
        }
    }

    /// One of the refractory state variables by name, mutable (`last_spike_time`: the next
    /// step then rebuilds which neurons are refractory; `refractory`, the `ref_var` output).
    pub fn var_mut(&mut self, name: &str) -> Option<crate::neuron::StateVarMut<'_>> {
        match name {
            "last_spike_time" => {
                self.clock.ready = None;
                Some(crate::neuron::StateVarMut::of(
                    "last_spike_time",
                    &mut self.last_spike_time,
                ))
            }
            "refractory" => self
                .flag
                .as_mut()
                .map(|flag| crate::neuron::StateVarMut::of("refractory", flag)),
            _ => None,
        }
    }

    /// Forgets all spikes.
    pub fn reset(&mut self) {
        self.clock.ready = None;
        self.last_spike_time.fill(NEVER * ms);
        if let Some(flag) = &mut self.flag {
            flag.fill(ratio(0.0));
        }
    }

    /// The bookkeeping of the elements in `range`, for step `ctx` of a population loop of a
    /// model whose refractoriness is `kind`. `previous` lists the elements that spiked in the
    /// step before (`base +` each entry is an element; entries outside `range` are passed
    /// over): they, and the elements whose refractory period ends now, get their byte from
    /// the refractory test. When the bookkeeping cannot vouch for the bytes (see
    /// [`Refractory`]), every element of `range` gets it.
    pub fn view(
        &mut self,
        range: core::ops::Range<usize>,
        ctx: &StepCtx,
        kind: RefractoryKind,
        previous: &[u32],
        base: usize,
    ) -> RefractoryView<'_> {
        self.begin(range.clone(), ctx, kind, previous, base);
        let (start, n) = (range.start, range.len());
        RefractoryView {
            start,
            held: &self.clock.held[start..][..n],
            last_time: &mut self.last_spike_time.raw_mut()[start..][..n],
            flag: self.flag.as_mut().map(|f| &mut f.raw_mut()[start..][..n]),
            recorded: Some(&self.clock.recorded),
        }
    }

    /// Makes the bytes of `range` ready for step `ctx` (see [`Refractory::view`]).
    fn begin(
        &mut self,
        range: core::ops::Range<usize>,
        ctx: &StepCtx,
        kind: RefractoryKind,
        previous: &[u32],
        base: usize,
    ) {
        let ready = Ready {
            i: ctx.i,
            dt: ctx.dt.get().raw(),
            range: range.clone(),
            kind,
        };
        let recorded = self.clock.recorded.swap(0, Ordering::Relaxed);
        let mine = |p: &&u32| range.contains(&(base + **p as usize));
        let listed = previous
            .iter()
            .filter(mine)
            .fold(0u64, |sum, &p| sum.wrapping_add(mix(base + p as usize)));
        let test = Test::new(ctx, kind, &self.tau_ref);
        let (clock, last) = (&mut self.clock, self.last_spike_time.raw());
        if clock.ready.as_ref() != Some(&ready) || listed != recorded {
            clock.rebuild(range.clone(), &test, last);
        } else {
            // the last step's spikes: refractory until the step their period ends in
            for &p in previous.iter().filter(mine) {
                clock.look(base + p as usize, &test, last, true);
            }
            // the elements whose period may end in this step (not the stale entries)
            let slot = (ctx.i % clock.ring.len() as u64) as usize;
            let mut due = core::mem::take(&mut clock.ring[slot]);
            for &k in &due {
                if clock.held[k as usize] && clock.due[k as usize] == ctx.i as u32 {
                    clock.look(k as usize, &test, last, false);
                }
            }
            due.clear();
            clock.ring[slot] = due;
        }
        clock.ready = Some(Ready {
            i: ctx.i + 1,
            ..ready
        });
    }
}

/// The refractory test at one step, with what it needs worked out once.
struct Test<'a> {
    /// The step.
    i: u64,
    dt: neurotype_solvers::TimeStep,
    /// 1/dt (stored number).
    per_dt: Real,
    kind: RefractoryKind,
    tau_ref: &'a Param<Time>,
    /// The steps of a shared τ_ref.
    shared: Option<Real>,
}

impl<'a> Test<'a> {
    fn new(ctx: &StepCtx, kind: RefractoryKind, tau_ref: &'a Param<Time>) -> Self {
        let dt = ctx.dt;
        Test {
            i: ctx.i,
            dt,
            per_dt: 1.0 / dt.get().raw(),
            kind,
            tau_ref,
            shared: tau_ref.scalar().map(|t| kind.steps(t, dt.get())),
        }
    }

    /// The refractory period of element `k` in steps.
    #[inline]
    fn steps(&self, k: usize) -> Real {
        self.shared
            .unwrap_or_else(|| self.kind.steps(self.tau_ref.at(k), self.dt.get()))
    }

    /// Whether an element with refractory period `steps` that spiked at `last` is
    /// refractory in step `c` (at the time `c·dt` a step's context carries).
    #[inline]
    fn at(&self, c: u64, last: Real, steps: Real) -> bool {
        refractory_at(last, self.dt.time_of(c).raw(), self.per_dt, steps)
    }
}

impl Clock {
    /// Every byte of `range` from the refractory test.
    fn rebuild(&mut self, range: core::ops::Range<usize>, test: &Test<'_>, last: &[Real]) {
        let longest = match test.shared {
            Some(steps) => steps,
            None => range.clone().map(|k| test.steps(k)).fold(0.0, Real::max),
        };
        // a ring at least as long as the longest period, so a spike is looked at once
        let len = if longest < MAX_RING as Real {
            (longest as usize).max(2)
        } else {
            MAX_RING
        };
        self.ring.resize_with(len, Vec::new);
        self.ring.iter_mut().for_each(Vec::clear);
        self.held.resize(last.len(), false);
        self.due.resize(last.len(), 0);
        for k in range {
            self.held[k] = false;
            self.look(k, test, last, false);
        }
    }

    /// Sets the byte of element `k` from the refractory test; while it is refractory, lists
    /// it for the first step it is free in (or the ring's last step, if that comes first).
    /// `spiked`: `k` spiked in the step before; if it was refractory then (a held model can
    /// spike from its post-reset state), it stays listed where it was unless its period now
    /// ends sooner, so that a neuron spiking every step is listed once.
    #[inline]
    fn look(&mut self, k: usize, test: &Test<'_>, last: &[Real], spiked: bool) {
        let (last, steps) = (last[k], test.steps(k));
        let held = test.at(test.i, last, steps);
        let listed = core::mem::replace(&mut self.held[k], held);
        if !held {
            return;
        }
        let (now, horizon) = (test.i, test.i + self.ring.len() as u64 - 1);
        // the test is monotone in the step: start from where it turns, then step to it
        let guess = (last * test.per_dt + steps - 0.5).ceil();
        let mut c = if guess <= now as Real {
            now + 1
        } else if guess < horizon as Real {
            guess as u64
        } else {
            horizon
        };
        while c > now + 1 && !test.at(c - 1, last, steps) {
            c -= 1;
        }
        while c < horizon && test.at(c, last, steps) {
            c += 1;
        }
        // listed already (for a step in [now, horizon]), and not later than now needed
        let ahead = |step: u32| step.wrapping_sub(now as u32);
        if spiked && listed && ahead(self.due[k]) <= ahead(c as u32) {
            return;
        }
        self.due[k] = c as u32;
        let slot = (c % self.ring.len() as u64) as usize;
        self.ring[slot].push(k as u32);
    }
}

/// An element index scrambled (SplitMix64's finaliser), for checking a list of spikes
/// against the spikes recorded by their wrapping sum: two different sets of elements have the
/// same sum only by chance.
#[inline]
fn mix(k: usize) -> u64 {
    let mut z = (k as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The refractory bookkeeping of a range of elements, sliced for a population loop: element
/// `k` of the view is element `start + k` of the population, for the `start` of its range.
pub struct RefractoryView<'a> {
    /// The population index of the view's first element.
    start: usize,
    /// Whether each element is refractory in this step.
    held: &'a [bool],
    last_time: &'a mut [Real],
    flag: Option<&'a mut [Real]>,
    /// Where the spikes recorded are summed (see [`mix`]).
    recorded: Option<&'a AtomicU64>,
}

impl<'a> RefractoryView<'a> {
    /// The view cut in two at element `mid` (for two workers).
    pub fn split_at(self, mid: usize) -> (Self, Self) {
        if self.held.is_empty() {
            // no bookkeeping: both halves read nothing
            return (RefractoryView::none(), RefractoryView::none());
        }
        let (h0, h1) = self.held.split_at(mid);
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
                start: self.start,
                held: h0,
                last_time: t0,
                flag: f0,
                recorded: self.recorded,
            },
            RefractoryView {
                start: self.start + mid,
                held: h1,
                last_time: t1,
                flag: f1,
                recorded: self.recorded,
            },
        )
    }

    /// A view of no bookkeeping (for models without refractoriness; never read).
    pub fn none() -> Self {
        RefractoryView {
            start: 0,
            held: &[],
            last_time: &mut [],
            flag: None,
            recorded: None,
        }
    }

    /// Whether the view records BrainPy's `refractory` flag: the loop is then compiled for
    /// it. Without it, the refractory test is a byte read and a select per element, which
    /// the compiler vectorises.
    pub fn is_general(&self) -> bool {
        self.flag.is_some()
    }

    /// Whether element `k` is refractory in this step: fewer than `steps` whole steps since
    /// its last spike (`(t − t_spike)/dt < steps − ½`, exact for times on the step grid), as
    /// [`Refractory::view`] made it ready.
    #[inline(always)]
    pub fn is_refractory(&self, k: usize) -> bool {
        self.held[k]
    }

    /// Records the outcome of this step for element `k` (`general`: when the view has one):
    /// BrainPy's `refractory` flag. The spike times are recorded after the loop, by
    /// [`RefractoryView::record_spikes`].
    #[inline(always)]
    pub fn record(&mut self, general: bool, k: usize, spiked: bool) {
        if general {
            let refractory = self.is_refractory(k);
            if let Some(flag) = &mut self.flag {
                flag[k] = if refractory || spiked { 1.0 } else { 0.0 };
            }
        }
    }

    /// Records step `ctx` as the last spike time of the elements `spiked` (after the loop
    /// that found them: inside it, the conditional store would become a masked vector store,
    /// which AVX2 makes slow on AMD processors). The next step's [`Refractory::view`] takes
    /// them from the population's list of spikes, and checks it against their sum here.
    #[inline(always)]
    pub fn record_spikes(&mut self, ctx: &StepCtx, spiked: &[u32]) {
        let t = ctx.t.raw();
        for &k in spiked {
            self.last_time[k as usize] = t;
        }
        if let Some(recorded) = self.recorded {
            let sum = spiked.iter().fold(0u64, |sum, &k| {
                sum.wrapping_add(mix(self.start + k as usize))
            });
            recorded.fetch_add(sum, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod clock_tests {
    use super::*;
    use neurotype_solvers::TimeStep;
    use proptest::prelude::*;

    /// What happens before one step of the harness.
    #[derive(Clone, Debug)]
    enum Event {
        /// Nothing: the next step.
        Step,
        /// A spike time set by hand (index, time in ms) through the mutable state views.
        SetTime(usize, f64),
        /// Every spike forgotten.
        Reset,
        /// Steps skipped.
        Skip(u64),
        /// Another time step (ms).
        Dt(f64),
        /// Another range stepped (from, to, as fractions of n).
        Range(u8, u8),
        /// The list of the last step's spikes lost.
        Lose,
        /// The list of the last step's spikes replaced by as many other elements.
        Swap,
    }

    fn event() -> impl Strategy<Value = Event> {
        let time = prop_oneof![
            (-50i32..200).prop_map(|s| f64::from(s) * 0.1),
            -5.0..20.0f64,
            Just(-1e7), // NEVER
            Just(f64::NAN),
            Just(f64::INFINITY),
        ];
        prop_oneof![
            30 => Just(Event::Step),
            3 => (0..40usize, time).prop_map(|(k, t)| Event::SetTime(k, t)),
            1 => Just(Event::Reset),
            1 => (1..30u64).prop_map(Event::Skip),
            1 => prop_oneof![Just(0.1), Just(0.05), Just(0.3), Just(0.025)].prop_map(Event::Dt),
            1 => (0..4u8, 4..8u8).prop_map(|(a, b)| Event::Range(a, b)),
            1 => Just(Event::Lose),
            1 => Just(Event::Swap),
        ]
    }

    fn tau_ref(n: usize) -> impl Strategy<Value = Param<Time>> {
        let ms_value = prop_oneof![
            Just(0.0),
            Just(0.1),
            Just(0.2),
            Just(0.25),
            Just(1.7),
            Just(5.0),
            0.0..3.0f64
        ];
        prop_oneof![
            ms_value
                .clone()
                .prop_map(|t| Param::Scalar((t as Real) * ms)),
            proptest::collection::vec(ms_value, n).prop_map(|v| {
                Param::PerElement(v.into_iter().map(|t| (t as Real) * ms).collect())
            }),
        ]
    }

    proptest! {
        /// At every step, whatever happened before it, the byte the loop reads is the
        /// refractory test on the spike times; and the ring lists each element at most twice
        /// (a held neuron that spikes every step is listed once).
        #[test]
        fn the_bytes_are_the_test(
            (n, tau) in (1..40usize).prop_flat_map(|n| (Just(n), tau_ref(n))),
            lockout in any::<bool>(),
            events in proptest::collection::vec(event(), 1..300),
            spikes in proptest::collection::vec(proptest::collection::vec(any::<prop::sample::Index>(), 0..4), 300),
        ) {
            let kind = if lockout { RefractoryKind::Lockout } else { RefractoryKind::Hold };
            let mut r = Refractory::new(n, tau.clone(), false);
            let (mut i, mut dt, mut range) = (0u64, 0.1, 0..n);
            let mut previous: Vec<u32> = Vec::new();
            for (event, spikes) in events.iter().zip(&spikes) {
                match event {
                    Event::Step => {}
                    Event::SetTime(k, t) => {
                        let mut vars = Vec::new();
                        r.push_vars_mut(&mut vars);
                        vars[0].raw[k % n] = ((*t as Real) * ms).raw();
                    }
                    Event::Reset => r.reset(),
                    Event::Skip(s) => i += s,
                    Event::Dt(d) => {
                        // the same time on the new grid
                        i = ((i as f64) * dt / d).round() as u64;
                        dt = *d;
                    }
                    Event::Range(a, b) => {
                        let (a, b) = (usize::from(*a) * n / 8, usize::from(*b) * n / 8 + 1);
                        range = a.min(n - 1)..b.min(n).max(a.min(n - 1) + 1);
                    }
                    Event::Lose => previous.clear(),
                    Event::Swap => {
                        for p in &mut previous {
                            *p = ((*p as usize + 1) % n) as u32;
                        }
                    }
                }
                let ctx = StepCtx::new(i, TimeStep::new((dt as Real) * ms).unwrap());
                let want: Vec<bool> = range
                    .clone()
                    .map(|k| {
                        let steps = kind.steps(tau.at(k), ctx.dt.get());
                        let last = r.last_spike_time().raw()[k];
                        refractory_at(last, ctx.t.raw(), 1.0 / ctx.dt.get().raw(), steps)
                    })
                    .collect();
                let mut view = r.view(range.clone(), &ctx, kind, &previous, 0);
                let got: Vec<bool> = (0..range.len()).map(|k| view.is_refractory(k)).collect();
                prop_assert_eq!(&got, &want, "step {} dt {} range {:?}", i, dt, range);
                // spikes, held or not (a held model can spike from its post-reset state)
                let mut spiked: Vec<u32> = spikes
                    .iter()
                    .map(|s| s.index(range.len()) as u32)
                    .collect();
                spiked.sort_unstable();
                spiked.dedup();
                view.record_spikes(&ctx, &spiked);
                let listed: usize = r.clock.ring.iter().map(Vec::len).sum();
                prop_assert!(listed <= 2 * n, "{} entries for {} elements", listed, n);
                previous = spiked.iter().map(|&k| k + range.start as u32).collect();
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod spiking_while_held {
    use super::*;
    use neurotype_solvers::TimeStep;

    /// A held neuron that spikes in every step (its post-reset state above threshold) stays
    /// refractory and is listed once, however long it goes on.
    #[test]
    fn is_listed_once() {
        let mut r = Refractory::new(3, Param::Scalar(5.0 * ms), false);
        let dt = TimeStep::new(0.1 * ms).unwrap();
        let mut previous: Vec<u32> = Vec::new();
        for i in 0..2000 {
            let ctx = StepCtx::new(i, dt);
            let mut view = r.view(0..3, &ctx, RefractoryKind::Hold, &previous, 0);
            assert_eq!(view.is_refractory(0), i > 0, "step {i}");
            assert!(!view.is_refractory(1));
            view.record_spikes(&ctx, &[0]);
            previous = vec![0];
            let listed: usize = r.clock.ring.iter().map(Vec::len).sum();
            assert!(listed <= 1, "step {i}: {listed} entries");
        }
    }
}

#[cfg(test)]
mod views {
    use super::*;
    use neurotype_solvers::TimeStep;

    /// Handing out `last_spike_time` makes the next step rebuild the bytes; the `refractory`
    /// output does not.
    #[test]
    fn only_the_spike_times_invalidate() {
        let mut r = Refractory::new(4, Param::Scalar(1.0 * ms), true);
        let ctx = StepCtx::new(0, TimeStep::new(0.1 * ms).unwrap());
        r.view(0..4, &ctx, RefractoryKind::Hold, &[], 0);
        assert!(r.clock.ready.is_some());
        assert!(r.var_mut("refractory").is_some());
        assert!(r.var_mut("V").is_none());
        assert!(r.clock.ready.is_some());
        assert!(r.var_mut("last_spike_time").is_some());
        assert!(r.clock.ready.is_none());
    }
}
