//! Threads: how a step's work is cut into parts that workers own.
//!
//! Every neuron population is cut into as many contiguous parts as the network has threads
//! (boundaries on multiples of 64 neurons, so the vectorised loops see whole vectors). The
//! worker of a part owns, for one step, the part's neurons, the same range of its synapse
//! groups and drive, and the block of every projection's synapses that targets it: it
//! delivers the spikes that arrive into its part, advances the part's synapses and neurons,
//! and touches nothing else. Nothing is summed across parts, every neuron's arithmetic is the
//! same whatever the cut, and spikes are published in neuron order afterwards, so a run gives
//! the same bits on any number of threads.

use crate::delay::SpikeHistory;
use crate::projection::{Landing, Projection};
use core::ops::Range;
use neurotype_units::InvalidParameter;

/// Neurons per alignment unit of a part boundary.
const ALIGN: usize = 64;

/// The threads a network runs on.
pub(crate) struct Workers {
    threads: usize,
    pool: Option<rayon::ThreadPool>,
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
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|k| format!("neurotype-{k}"))
                    .build()
                    .map_err(|e| {
                        InvalidParameter::new(
                            "Network",
                            "threads",
                            threads.to_string(),
                            format!("could not start the threads: {e}"),
                        )
                    })
            })
            .transpose()?;
        Ok(Self { threads, pool })
    }

    /// Number of threads.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `f` on the workers' pool (directly, with one thread).
    pub(crate) fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// The parts of the neurons `range` of a population: one per thread (fewer when there are
    /// too few neurons).
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

/// Runs `task` on every part of `parts`, on the current pool's workers: `item` is cut at the
/// part boundaries by `split` (which cuts at an offset relative to the item's start), so
/// each worker gets its own piece. Returns the sum of what the tasks return (an integer
/// count: the order of the sum does not matter).
pub(crate) fn for_each_part<T: Send>(
    parts: &[Range<usize>],
    first: usize,
    item: T,
    split: &(impl Fn(T, usize) -> (T, T) + Sync),
    task: &(impl Fn(usize, T) -> u64 + Sync),
) -> u64 {
    if parts.len() <= 1 {
        return task(first, item);
    }
    let half = parts.len() / 2;
    let mid = parts[half].start - parts[0].start;
    let (a, b) = split(item, mid);
    let (x, y) = rayon::join(
        || for_each_part(&parts[..half], first, a, split, task),
        || for_each_part(&parts[half..], first + half, b, split, task),
    );
    x + y
}

/// Where the spikes that arrive in one part of a population land: its part of each synapse
/// group's increments, and of its jumps.
pub struct Targets<'a> {
    /// Index of the part.
    pub part: usize,
    /// Per synapse group, the increments of the part's neurons (stored numbers).
    pub pending: Vec<&'a mut [f64]>,
    /// The jumps of the part's neurons (stored numbers), when deliveries may write them.
    pub jumps: Option<&'a mut [f64]>,
}

impl Targets<'_> {
    /// Cuts every buffer at element `mid` of the part.
    pub(crate) fn split_at(self, mid: usize) -> (Self, Self) {
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for p in self.pending {
            let (a, b) = p.split_at_mut(mid);
            left.push(a);
            right.push(b);
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
                pending: left,
                jumps: j0,
            },
            Targets {
                part: self.part,
                pending: right,
                jumps: j1,
            },
        )
    }
}

/// The deliveries into one population: the projections that land in it, in installation
/// order, with the spike histories they read.
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
            let into: &mut [f64] = match proj.landing() {
                Landing::Group(g) => targets.pending[g],
                Landing::Jumps => targets
                    .jumps
                    .as_deref_mut()
                    .expect("planned: jumps are handed out when a projection lands in them"),
                Landing::Own => continue,
            };
            events += proj.deliver(history, targets.part, into);
        }
        events
    }
}
