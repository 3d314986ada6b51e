//! Threads: how a step's work is cut into parts that workers own.
//!
//! Every neuron population is cut into contiguous parts, one per thread (boundaries on
//! multiples of 64 neurons, so the vectorised loops see whole vectors), and thread `i` always
//! takes part `i`, so a part's state stays in one core's cache from step to step. The worker
//! of a part owns, for one step, the part's neurons, the same range of its synapse groups and
//! drive, and the block of every projection's synapses that targets it: it delivers the
//! spikes that arrive into its part, advances the part's synapses and neurons, lists the
//! part's spikes, and touches nothing else. Nothing is summed across parts, every neuron's
//! arithmetic is the same whatever the cut, and the parts' spike lists are joined in neuron
//! order, so a run gives the same bits on any number of threads.

use crate::delay::SpikeHistory;
use crate::projection::{Landing, Projection};
use core::ops::Range;
use neurotype_units::InvalidParameter;
use neurotype_units::Real;
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Neurons per alignment unit of a part boundary.
const ALIGN: usize = 64;

/// The threads a network runs on.
pub(crate) struct Workers {
    threads: usize,
    pool: Option<pool::Pool>,
}

std::thread_local! {
    /// The pool of the network stepping on this thread (see [`Workers::install`]).
    static CURRENT: Cell<*const pool::Pool> = const { Cell::new(core::ptr::null()) };
}

impl Workers {
    /// One thread (no pool).
    pub(crate) fn one() -> Self {
        Self {
            threads: 1,
            pool: None,
        }
    }

    /// `threads` workers (checked: at least one).
    pub(crate) fn new(threads: usize) -> Result<Self, InvalidParameter> {
        if threads == 0 {
            return Err(InvalidParameter::new(
                "Network",
                "threads",
                "0",
                "must be at least 1",
            ));
        }
        let pool = (threads > 1)
            .then(|| {
                pool::Pool::new(threads - 1).map_err(|e| {
                    InvalidParameter::new(
                        "Network",
                        "threads",
                        threads.to_string(),
                        format!("could not start the threads: {e}"),
                    )
                })
            })
            .transpose()?;
        debug_assert!(pool.as_ref().is_none_or(|p| p.threads() == threads));
        Ok(Self { threads, pool })
    }

    /// Number of threads.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `f` on this thread with the workers' pool as the one [`for_each_part`] uses.
    pub(crate) fn install<R>(&self, f: impl FnOnce() -> R) -> R {
        let pool = self
            .pool
            .as_ref()
            .map_or(core::ptr::null(), |p| p as *const pool::Pool);
        struct Restore(*const pool::Pool);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(CURRENT.with(|c| c.replace(pool)));
        f()
    }

    /// The parts of the neurons `range` of a population: one per thread (fewer when there are
    /// too few neurons). Not more: every part cuts each presynaptic row of the projections
    /// onto it into one more block, and at large N a block's first synapse is a trip to
    /// memory (eight parts on two threads made COBA at N = 64000 a third slower).
    pub(crate) fn parts(&self, range: Range<usize>) -> Vec<Range<usize>> {
        split_range(range, self.threads)
    }
}

/// `range` cut into `k` contiguous parts in order, with boundaries on multiples of 64 from its
/// start (fewer parts when it has fewer than `k` such units; one empty part when it is
/// empty).
pub(crate) fn split_range(range: Range<usize>, k: usize) -> Vec<Range<usize>> {
    let n = range.len();
    let units = n.div_ceil(ALIGN).max(1);
    let k = k.clamp(1, units);
    let bound = |p: usize| range.start + (units * p / k * ALIGN).min(n);
    (0..k).map(|p| bound(p)..bound(p + 1)).collect()
}

/// Runs `task` on every part of `parts`, part `i` on thread `i` of the installed pool (see
/// [`Workers::install`]; in order on this thread when there is none, or it is already
/// running): `item` is cut at the part boundaries by `split` (which cuts at an offset
/// relative to the item's start), so each part gets its own piece. Returns the sum of what
/// the tasks return (an integer count: the order of the sum does not matter).
pub(crate) fn for_each_part<T: Send>(
    parts: &[Range<usize>],
    item: T,
    split: &(impl Fn(T, usize) -> (T, T) + Sync),
    task: &(impl Fn(usize, T) -> u64 + Sync),
) -> u64 {
    // the pieces, in part order
    let mut pieces = Vec::with_capacity(parts.len());
    let mut rest = item;
    for w in parts.windows(2) {
        let (piece, tail) = split(rest, w[1].start - w[0].start);
        pieces.push(piece);
        rest = tail;
    }
    pieces.push(rest);
    match installed() {
        Some(pool) if pieces.len() > 1 && pieces.len() <= pool.threads() && !pool.busy() => {
            let slots: Vec<Mutex<Option<T>>> =
                pieces.into_iter().map(|p| Mutex::new(Some(p))).collect();
            let total = AtomicU64::new(0);
            pool.run(&|w| {
                let piece = slots.get(w).and_then(|s| {
                    s.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .take()
                });
                if let Some(piece) = piece {
                    total.fetch_add(task(w, piece), Ordering::Relaxed);
                }
            });
            total.into_inner()
        }
        _ => pieces
            .into_iter()
            .enumerate()
            .map(|(i, piece)| task(i, piece))
            .sum(),
    }
}

/// A step of one population cut into parts (see
/// [`AnyPopulation::begin_step`](crate::population::AnyPopulation::begin_step)).
pub trait PartTasks: Sync {
    /// Number of parts.
    fn parts(&self) -> usize;
    /// Runs part `part` (once per step, on any thread); returns the synaptic events it
    /// delivered.
    fn run(&self, part: usize) -> u64;
    /// Completes the step once every part has run (the spike lists are joined).
    fn finish(self: Box<Self>);
}

/// Runs the parts of every population's step, then finishes them in order; returns the
/// synaptic events. The parts run in one job on the installed pool, part `i` of each on
/// thread `i`, or population after population on this thread when there is no pool or
/// `spreader` says that this is faster (the same parts either way, so the same bits).
pub(crate) fn run_parts(steps: &mut Vec<Box<dyn PartTasks + '_>>, spreader: &mut Spreader) -> u64 {
    let most = steps.iter().map(|s| s.parts()).max().unwrap_or(0);
    let pool = installed().filter(|p| most > 1 && most <= p.threads() && !p.busy());
    let here = |steps: &[Box<dyn PartTasks + '_>]| {
        steps
            .iter()
            .map(|s| (0..s.parts()).map(|i| s.run(i)).sum::<u64>())
            .sum()
    };
    let events = match pool {
        Some(pool) if spreader.begin_step(std::time::Instant::now) => {
            let total = AtomicU64::new(0);
            pool.run(&|w| {
                let mut sum = 0;
                for step in steps.iter().filter(|s| w < s.parts()) {
                    sum += step.run(w);
                }
                total.fetch_add(sum, Ordering::Relaxed);
            });
            total.into_inner()
        }
        Some(pool) => {
            // the workers sleep now instead of spinning 200 µs for a job that will not come
            // soon (a trial's block here, or the steps after its verdict): a spinning worker
            // only takes a core from whatever else runs
            pool.rest();
            here(steps)
        }
        None => here(steps),
    };
    steps.drain(..).for_each(|s| s.finish());
    events
}

/// Where the parts of a step run on a network with more than one thread (see
/// [`Network::spread`](crate::Network::spread)). Every choice runs the same parts, each with
/// the same arithmetic, so the spikes and state are the same bits whichever is taken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Spread {
    /// Measured (the default): after its first 256 steps, and every few thousand steps
    /// after that, the network times a few dozen whole steps with the parts on the threads
    /// and as many on the calling thread. Once the calling thread is faster, the network goes
    /// on as on one thread, its populations whole (one part each), until the threads or the
    /// structure change (on MPI ranks the parts stay as planned, one after another). Handing
    /// a step of a few microseconds (a few thousand LIF neurons) to a second core and
    /// waiting for it can cost more than the step.
    #[default]
    Measured,
    /// On the threads, part `i` on thread `i`, every step.
    Threads,
    /// On the calling thread, each population whole, as on one thread (the other threads
    /// wait).
    Caller,
}

/// Steps a trial runs one way before it turns to the other.
const BLOCK: u32 = 32;
/// The first steps of each block, not timed: the threads wake, the parts' state moves to
/// the cores that now run them, and a thread that ran the last block still spins for a
/// while (on this machine the first 8 steps after a switch were up to twice as slow).
const WARM: u32 = 8;
/// Blocks each way in a trial (alternating, threads first).
const ROUNDS: u32 = 2;
/// Steps of one trial.
const TRIAL: u32 = 2 * ROUNDS * BLOCK;
/// Timed steps each way in a trial.
const SAMPLES: usize = (ROUNDS * (BLOCK - WARM)) as usize;
/// Steps on the threads before the first trial: a run's first steps are slow either way
/// (caches fill; on this machine the threads of a new pool took up to 0.2 ms a step for the
/// first 16 steps), and would decide nothing.
const FIRST: u32 = 256;
/// Steps between the end of one trial and the start of the next (activity changes, and with
/// it the work of a step).
const EVERY: u32 = 4096;

/// Decides, for [`Spread::Measured`], whether a step's parts run on the threads: alternating
/// blocks of steps run each way, each step timed from its start to the next step's start
/// (the whole step: what waiting threads cost the rest of it counts too). When the threads'
/// median is the smaller by a fifth ([`threads_win`]), they keep the parts until the next
/// trial; otherwise the calling thread takes over for good ([`Spreader::one_part`]), and the
/// network then plans its populations whole (parts on one thread cost more than one part:
/// each cuts every presynaptic row and runs its own loop).
#[derive(Clone, Debug)]
pub(crate) struct Spreader {
    spread: Spread,
    phase: Phase,
    /// When the step before began, during a trial.
    started: Option<std::time::Instant>,
    /// Times of the trial's steps (nanoseconds): `[0]` on this thread, `[1]` on the threads.
    samples: [[u32; SAMPLES]; 2],
    /// The last trial's outcome (until one finds the calling thread faster).
    threads_faster: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The next step is step `s` of a trial (`s == TRIAL`: the trial is over).
    Trial(u32),
    /// Steps left before the next trial.
    Decided(u32),
}

impl Spreader {
    pub(crate) fn new(spread: Spread) -> Self {
        Self {
            spread,
            phase: Phase::Decided(FIRST),
            started: None,
            samples: [[0; SAMPLES]; 2],
            threads_faster: true,
        }
    }

    pub(crate) fn spread(&self) -> Spread {
        self.spread
    }

    /// A trial's verdict for the calling thread, without the trial (for tests).
    #[cfg(test)]
    pub(crate) fn settle_on_caller(&mut self) {
        self.threads_faster = false;
    }

    /// Whether the populations are better stepped whole, on the calling thread.
    pub(crate) fn one_part(&self) -> bool {
        match self.spread {
            Spread::Threads => false,
            Spread::Caller => true,
            Spread::Measured => !self.threads_faster,
        }
    }

    /// Starts a step whose parts can run either way: returns whether they run on the
    /// threads. `now` is read only during a trial.
    pub(crate) fn begin_step(&mut self, now: impl FnOnce() -> std::time::Instant) -> bool {
        match self.spread {
            Spread::Threads => return true,
            Spread::Caller => return false,
            Spread::Measured => {}
        }
        match self.phase {
            Phase::Trial(s) => {
                let t = now();
                if let (Some(started), Some(before)) = (self.started, s.checked_sub(1)) {
                    if before % BLOCK >= WARM {
                        let way = usize::from(trial_on_threads(before));
                        let at = (before / (2 * BLOCK) * (BLOCK - WARM) + before % BLOCK - WARM)
                            as usize;
                        let took = t.saturating_duration_since(started).as_nanos();
                        self.samples[way][at] = u32::try_from(took).unwrap_or(u32::MAX);
                    }
                }
                if s == TRIAL {
                    let [here, threads] = &mut self.samples;
                    self.threads_faster = threads_win(median(here), median(threads));
                    self.started = None;
                    self.phase = Phase::Decided(EVERY);
                    return self.threads_faster;
                }
                self.started = Some(t);
                self.phase = Phase::Trial(s + 1);
                trial_on_threads(s)
            }
            Phase::Decided(_) if !self.threads_faster => false,
            Phase::Decided(0) => {
                self.phase = Phase::Trial(0);
                self.begin_step(now)
            }
            Phase::Decided(left) => {
                self.phase = Phase::Decided(left - 1);
                self.threads_faster
            }
        }
    }
}

/// Whether the threads keep the parts, given the median step on this thread (`here`) and on
/// the threads (ns): only when faster by a fifth. The trial runs the parts one after another
/// on this thread, but the calling thread, once it wins, steps each population whole, and
/// that is faster again: parts on one thread cost 21 % (COBA, N = 4000) to 27 % (N = 1000)
/// more than one part (every presynaptic row is cut once more, every part runs its own
/// loop and lists).
fn threads_win(here: u32, threads: u32) -> bool {
    u64::from(threads) * 5 < u64::from(here) * 4
}

/// Whether step `s` of a trial runs on the threads: blocks alternate, threads first.
fn trial_on_threads(s: u32) -> bool {
    (s / BLOCK).is_multiple_of(2)
}

/// The median of `times` (the upper one of an even count), sorting them.
fn median(times: &mut [u32]) -> u32 {
    times.sort_unstable();
    times[times.len() / 2]
}

/// `v` emptied, as a vector of another element type of the same size and alignment, with its
/// allocation: per-step lists of borrowed parts, whose lifetimes end with the step, keep one
/// allocation from step to step instead of a new one each step. (The standard library
/// collects a `vec::IntoIter` into the same allocation when the layouts agree; the element
/// type only changes its lifetimes here, and no element is ever converted.)
pub(crate) fn reuse<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| unreachable!("emptied")).collect()
}

/// The pool [`Workers::install`] made current on this thread, if any.
fn installed<'a>() -> Option<&'a pool::Pool> {
    let pool = CURRENT.with(Cell::get);
    // SAFETY: `install` keeps the pool alive, and not moved, while it is current
    (!pool.is_null()).then(|| unsafe { &*pool })
}

/// Where the spikes that arrive in one part of a population land: its part of each synapse
/// group's increments, and of its jumps.
pub struct Targets<'a> {
    /// Index of the part.
    pub part: usize,
    /// Per synapse group, where the increments of the part's neurons go (stored numbers),
    /// and the factor they are multiplied by (see
    /// [`SynapseGroup::arrivals`](crate::SynapseGroup::arrivals)).
    pub arrivals: Vec<(&'a mut [Real], Real)>,
    /// The jumps of the part's neurons (stored numbers), when deliveries may write them.
    pub jumps: Option<&'a mut [Real]>,
}

impl Targets<'_> {
    /// Cuts every buffer at element `mid` of the part.
    pub(crate) fn split_at(self, mid: usize) -> (Self, Self) {
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for (p, scale) in self.arrivals {
            let (a, b) = p.split_at_mut(mid);
            left.push((a, scale));
            right.push((b, scale));
        }
        let (j0, j1) = match self.jumps {
            Some(j) => {
                let (a, b) = j.split_at_mut(mid);
                (Some(a), Some(b))
            }
            None => (None, None),
        };
        (
            Targets {
                part: self.part,
                arrivals: left,
                jumps: j0,
            },
            Targets {
                part: self.part,
                arrivals: right,
                jumps: j1,
            },
        )
    }
}

/// The deliveries into one population: the projections that land in it, in installation
/// order, with the spike histories they read.
#[derive(Clone, Copy)]
pub struct Deliveries<'a> {
    pub(crate) projections: &'a [Box<dyn Projection>],
    /// Indices of the projections onto the population.
    pub(crate) onto: &'a [usize],
    pub(crate) histories: &'a [SpikeHistory],
}

impl Deliveries<'_> {
    /// No deliveries (a population no projection lands in).
    pub fn none() -> Deliveries<'static> {
        Deliveries {
            projections: &[],
            onto: &[],
            histories: &[],
        }
    }

    /// Whether some projection lands in the population's jumps.
    pub fn has_jumps(&self) -> bool {
        self.landings().any(|l| l == Landing::Jumps)
    }

    fn landings(&self) -> impl Iterator<Item = Landing> + '_ {
        self.onto.iter().map(|&k| self.projections[k].landing())
    }

    /// Delivers the arriving spikes of every projection into `targets`, in installation
    /// order; returns the synaptic events.
    pub fn deliver(&self, targets: &mut Targets<'_>) -> u64 {
        let mut events = 0;
        for &k in self.onto {
            let proj = &self.projections[k];
            let history = &self.histories[proj.pre()];
            let (into, scale): (&mut [Real], Real) = match proj.landing() {
                Landing::Group(g) => {
                    let (into, scale) = &mut targets.arrivals[g];
                    (into, *scale)
                }
                Landing::Jumps => (
                    targets
                        .jumps
                        .as_deref_mut()
                        .expect("planned: jumps are handed out when a projection lands in them"),
                    1.0,
                ),
                Landing::Own => continue,
            };
            events += proj.deliver(history, targets.part, into, scale);
        }
        events
    }
}

/// A pool of persistent worker threads that run one job at a time, all together.
///
/// A step hands its workers a few microseconds of work each, once per population, so the
/// cost of waking a thread decides whether threads pay at all. Workers here spin on an epoch
/// counter for 200 µs after each job and only then sleep on a condition variable; a job
/// posted within that window starts without a system call. (They do not yield while they
/// wait: two threads of a pool that the system put on one core would then pass it back and
/// forth for many steps, a run at one thread's speed.) (A work-stealing pool's `join` costs about 17 µs a
/// step on this machine, more than the COBA network's whole step on one thread.)
mod pool {
    use std::any::Any;
    use std::cell::UnsafeCell;
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Condvar, Mutex, PoisonError};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// A job: called once with every worker index, `0` on the posting thread.
    type Job = dyn Fn(usize) + Sync;

    /// Spins before the posting thread, waiting for the workers, starts yielding.
    const SPINS: u32 = 1 << 12;
    /// How long a waiting worker spins before it sleeps.
    const AWAKE: Duration = Duration::from_micros(200);

    struct Shared {
        /// Bumped once per posted job (and to stop).
        epoch: AtomicUsize,
        /// The current job, valid while its epoch runs (lifetime erased: `run` does not
        /// return before every worker is done with it).
        job: UnsafeCell<Option<&'static Job>>,
        /// Workers done with the current job.
        done: AtomicUsize,
        stop: AtomicBool,
        /// The first panic of a worker in the current job.
        panic: Mutex<Option<Box<dyn Any + Send>>>,
        /// Workers asleep (or about to sleep) on `wake`.
        sleeping: AtomicUsize,
        /// Set by [`Pool::rest`]: waiting workers sleep without spinning first; cleared by
        /// the next job.
        rest: AtomicBool,
        lock: Mutex<()>,
        wake: Condvar,
    }

    // SAFETY: `job` is written only by the posting thread while no worker reads it (before the
    // epoch is bumped, after every worker has reported done), and read by workers only after
    // they have seen the new epoch (acquire), so accesses never overlap.
    unsafe impl Sync for Shared {}
    unsafe impl Send for Shared {}

    pub(super) struct Pool {
        shared: Arc<Shared>,
        handles: Vec<JoinHandle<()>>,
        busy: AtomicBool,
    }

    impl Pool {
        /// Starts `workers` threads besides the calling one.
        pub(super) fn new(workers: usize) -> std::io::Result<Self> {
            let shared = Arc::new(Shared {
                epoch: AtomicUsize::new(0),
                job: UnsafeCell::new(None),
                done: AtomicUsize::new(0),
                stop: AtomicBool::new(false),
                panic: Mutex::new(None),
                sleeping: AtomicUsize::new(0),
                rest: AtomicBool::new(false),
                lock: Mutex::new(()),
                wake: Condvar::new(),
            });
            let mut pool = Self {
                shared,
                handles: Vec::with_capacity(workers),
                busy: AtomicBool::new(false),
            };
            for w in 0..workers {
                let shared = Arc::clone(&pool.shared);
                let handle = std::thread::Builder::new()
                    .name(format!("neurotype-{}", w + 1))
                    .spawn(move || work(&shared, w + 1))?;
                // on an error, the workers already started are stopped by `drop`
                pool.handles.push(handle);
            }
            Ok(pool)
        }

        /// Number of threads, the caller included.
        pub(super) fn threads(&self) -> usize {
            self.handles.len() + 1
        }

        /// Whether a job runs (a job that posts another runs it on its own thread).
        pub(super) fn busy(&self) -> bool {
            self.busy.load(Ordering::Relaxed)
        }

        /// Sends the waiting workers to sleep now, not after their 200 µs of spinning: the
        /// caller goes on alone for a while (the next job wakes them).
        pub(super) fn rest(&self) {
            if !self.shared.rest.load(Ordering::Relaxed) {
                self.shared.rest.store(true, Ordering::Relaxed);
            }
        }

        /// Runs `job(i)` for every thread `i` at once (`0` here) and returns when all are
        /// done; a panic in any of them is raised again here.
        pub(super) fn run(&self, job: &(dyn Fn(usize) + Sync + '_)) {
            assert!(
                !self.busy.load(Ordering::Relaxed),
                "a pool runs one job at a time"
            );
            let shared = &*self.shared;
            // SAFETY: only the lifetime is erased; `Finish` below waits, even when `job(0)`
            // panics, until no worker can touch the job again.
            let job: &'static Job =
                unsafe { core::mem::transmute::<&(dyn Fn(usize) + Sync + '_), &'static Job>(job) };
            shared.done.store(0, Ordering::Relaxed);
            if shared.rest.load(Ordering::Relaxed) {
                shared.rest.store(false, Ordering::Relaxed);
            }
            // SAFETY: every worker is done with the previous job and waits for a new epoch.
            unsafe { *shared.job.get() = Some(job) };
            self.busy.store(true, Ordering::Relaxed);
            shared.epoch.fetch_add(1, Ordering::SeqCst);
            if shared.sleeping.load(Ordering::SeqCst) > 0 {
                let _lock = shared.lock.lock().unwrap_or_else(PoisonError::into_inner);
                shared.wake.notify_all();
            }
            struct Finish<'a>(&'a Pool);
            impl Drop for Finish<'_> {
                fn drop(&mut self) {
                    let shared = &*self.0.shared;
                    let workers = self.0.handles.len();
                    let mut spins = 0u32;
                    while shared.done.load(Ordering::Acquire) < workers {
                        if spins < SPINS {
                            spins += 1;
                            core::hint::spin_loop();
                        } else {
                            std::thread::yield_now();
                        }
                    }
                    // SAFETY: no worker reads the job any more.
                    unsafe { *shared.job.get() = None };
                    self.0.busy.store(false, Ordering::Relaxed);
                }
            }
            let finish = Finish(self);
            job(0);
            drop(finish);
            let panic = shared
                .panic
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(panic) = panic {
                resume_unwind(panic);
            }
        }
    }

    impl Drop for Pool {
        fn drop(&mut self) {
            let shared = &*self.shared;
            shared.stop.store(true, Ordering::SeqCst);
            shared.epoch.fetch_add(1, Ordering::SeqCst);
            {
                let _lock = shared.lock.lock().unwrap_or_else(PoisonError::into_inner);
                shared.wake.notify_all();
            }
            for handle in self.handles.drain(..) {
                let _ = handle.join();
            }
        }
    }

    /// A worker's life: wait for a new epoch, run the job with index `w`, report done.
    fn work(shared: &Shared, w: usize) {
        // the epoch of a new pool (not read here: the first job may be posted before this
        // thread starts)
        let mut seen = 0;
        loop {
            seen = wait(shared, seen);
            if shared.stop.load(Ordering::Acquire) {
                return;
            }
            // SAFETY: the job was written before the epoch this worker has seen (acquire)
            // and stays until this worker reports done.
            let job = unsafe { *shared.job.get() };
            if let Some(job) = job {
                if let Err(panic) = catch_unwind(AssertUnwindSafe(|| job(w))) {
                    let mut first = shared.panic.lock().unwrap_or_else(PoisonError::into_inner);
                    first.get_or_insert(panic);
                }
            }
            shared.done.fetch_add(1, Ordering::Release);
        }
    }

    /// Waits until the epoch differs from `seen`; returns the new epoch.
    fn wait(shared: &Shared, seen: usize) -> usize {
        let start = Instant::now();
        loop {
            for _ in 0..64 {
                let now = shared.epoch.load(Ordering::Acquire);
                if now != seen {
                    return now;
                }
                core::hint::spin_loop();
            }
            if start.elapsed() > AWAKE || shared.rest.load(Ordering::Relaxed) {
                break;
            }
        }
        let mut lock = shared.lock.lock().unwrap_or_else(PoisonError::into_inner);
        shared.sleeping.fetch_add(1, Ordering::SeqCst);
        let now = loop {
            let now = shared.epoch.load(Ordering::SeqCst);
            if now != seen {
                break now;
            }
            lock = shared
                .wake
                .wait(lock)
                .unwrap_or_else(PoisonError::into_inner);
        };
        shared.sleeping.fetch_sub(1, Ordering::SeqCst);
        drop(lock);
        now
    }
}

#[cfg(test)]
mod tests {
    use super::pool::Pool;
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Runs `steps` steps of a spreader on a clock that a step moves by `here` ns on this
    /// thread and `threads` ns on the threads (`stall(k, on)`: extra ns for step `k`); returns
    /// which way each step ran.
    fn spread_steps(
        s: &mut Spreader,
        clock: &mut std::time::Instant,
        steps: u32,
        (here, threads): (u64, u64),
        stall: impl Fn(u32, bool) -> u64,
    ) -> Vec<bool> {
        (0..steps)
            .map(|k| {
                let on = s.begin_step(|| *clock);
                let ns = if on { threads } else { here } + stall(k, on);
                *clock += std::time::Duration::from_nanos(ns);
                on
            })
            .collect()
    }

    /// A measured spreader at its first trial (after its first steps, all on the threads),
    /// with its clock.
    fn at_first_trial() -> (Spreader, std::time::Instant) {
        let mut s = Spreader::new(Spread::Measured);
        let mut clock = std::time::Instant::now();
        let first = spread_steps(&mut s, &mut clock, FIRST, (3000, 5000), |_, _| 0);
        assert!(first.iter().all(|&on| on));
        assert_eq!(s.phase, Phase::Decided(0));
        (s, clock)
    }

    /// A trial alternates blocks of steps each way, threads first. The threads, when faster,
    /// keep the parts until the next trial, `EVERY` steps later; the calling thread, once
    /// faster, keeps them for good.
    #[test]
    fn the_measured_spread_takes_the_faster_way_until_the_next_trial() {
        let (mut s, mut clock) = at_first_trial();
        let clock = &mut clock;
        let none = |_, _| 0;
        let trial = spread_steps(&mut s, clock, TRIAL, (5000, 3000), none);
        let block = BLOCK as usize;
        assert!(trial.chunks(block).all(|b| b.iter().all(|&x| x == b[0])));
        let blocks: Vec<bool> = trial.chunks(block).map(|b| b[0]).collect();
        assert_eq!(blocks, [true, false, true, false]);
        // faster on the threads: they keep the parts until the next trial
        assert!(!s.one_part());
        let decided = spread_steps(&mut s, clock, EVERY + 1, (5000, 3000), none);
        assert!(decided.iter().all(|&on| on));
        assert_eq!(s.phase, Phase::Decided(0));
        // the next trial (and the step that decides it) finds this thread faster now: it
        // keeps the work for good
        spread_steps(&mut s, clock, TRIAL + 1, (3000, 5000), none);
        assert!(s.one_part());
        let after = spread_steps(&mut s, clock, 2 * (EVERY + TRIAL), (3000, 5000), none);
        assert!(after.iter().all(|&on| !on));
    }

    /// A step is timed to the start of the next, so what a way costs outside the parts'
    /// job counts; and the medians decide, not single steps: one long stall in each block
    /// of the faster way does not turn it into the slower one.
    #[test]
    fn a_stall_in_a_trial_does_not_decide_it() {
        let (mut s, mut clock) = at_first_trial();
        let clock = &mut clock;
        let stall = |k: u32, on: bool| {
            if on && k % BLOCK == WARM {
                1_000_000
            } else {
                0
            }
        };
        spread_steps(&mut s, clock, TRIAL, (3000, 2000), stall);
        assert!(
            spread_steps(&mut s, clock, 10, (3000, 2000), stall)
                .iter()
                .all(|&on| on)
        );
    }

    /// The threads must win by a fifth: a tenth faster on the threads than the parts one
    /// after another here is slower than the population whole.
    #[test]
    fn the_threads_keep_the_parts_only_when_a_fifth_faster() {
        for (threads, win) in [(2700, false), (2450, false), (2350, true), (1000, true)] {
            let (mut s, mut clock) = at_first_trial();
            spread_steps(&mut s, &mut clock, TRIAL + 1, (3000, threads), |_, _| 0);
            assert_eq!(
                s.one_part(),
                !win,
                "{threads} ns on the threads against 3000 here"
            );
        }
    }

    /// The fixed choices never read the clock and never change.
    #[test]
    fn fixed_spreads_keep_their_way() {
        for (spread, on) in [(Spread::Threads, true), (Spread::Caller, false)] {
            let mut s = Spreader::new(spread);
            for _ in 0..2 * (TRIAL + EVERY) {
                assert_eq!(s.begin_step(|| unreachable!("no clock")), on);
                assert_eq!(s.one_part(), !on);
            }
        }
    }

    /// Every index runs exactly once per job, for jobs posted right after the pool starts
    /// (before its threads may have started) and in quick succession.
    #[test]
    fn every_thread_runs_every_job_once() {
        for _ in 0..20 {
            let pool = Pool::new(2).unwrap();
            let counts: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
            for _ in 0..500 {
                pool.run(&|i| {
                    counts[i].fetch_add(1, Ordering::Relaxed);
                });
            }
            let counts: Vec<usize> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
            assert_eq!(counts, [500, 500, 500]);
        }
    }

    /// A job posted after the workers went to sleep wakes them.
    #[test]
    fn sleeping_workers_wake_for_a_job() {
        let pool = Pool::new(1).unwrap();
        let ran = AtomicUsize::new(0);
        for _ in 0..3 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            pool.run(&|_| {
                ran.fetch_add(1, Ordering::Relaxed);
            });
        }
        assert_eq!(ran.load(Ordering::Relaxed), 6);
    }

    /// Workers sent to rest (between jobs, and while one is being posted) still run every
    /// next job, each index once.
    #[test]
    fn resting_workers_run_the_next_job() {
        let pool = Pool::new(2).unwrap();
        let counts: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        for k in 0..300 {
            if k % 3 != 0 {
                pool.rest();
            }
            if k % 50 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            pool.run(&|i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            });
        }
        let counts: Vec<usize> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        assert_eq!(counts, [300, 300, 300]);
    }

    /// A worker's panic reaches the caller, and the pool goes on working.
    #[test]
    fn a_panic_on_a_worker_is_raised_on_the_caller() {
        let pool = Pool::new(1).unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.run(&|i| assert!(i == 0, "worker {i} fails"));
        }));
        let message = caught.unwrap_err();
        assert_eq!(message.downcast_ref::<String>().unwrap(), "worker 1 fails");
        let ran = AtomicUsize::new(0);
        pool.run(&|_| {
            ran.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(ran.load(Ordering::Relaxed), 2);
    }

    /// `for_each_part` hands each part its own piece, on the installed pool or without one,
    /// and sums what the tasks return.
    #[test]
    fn parts_get_their_own_pieces() {
        let parts = split_range(0..1000, 3);
        assert_eq!(parts, [0..320, 320..640, 640..1000]);
        for workers in [Workers::one(), Workers::new(3).unwrap()] {
            let mut data = vec![0usize; 1000];
            let total = workers.install(|| {
                for_each_part(
                    &parts,
                    &mut data[..],
                    &|d: &mut [usize], mid| d.split_at_mut(mid),
                    &|part, d| {
                        d.iter_mut().for_each(|x| *x = part);
                        d.len() as u64
                    },
                )
            });
            assert_eq!(total, 1000);
            for (p, range) in parts.iter().enumerate() {
                assert!(data[range.clone()].iter().all(|&x| x == p));
            }
        }
    }
}
