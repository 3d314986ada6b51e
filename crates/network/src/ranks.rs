//! Ranks: one network spread over several processes (MPI).
//!
//! Every rank builds the same network from the same seed and keeps what it owns: a contiguous
//! part of every neuron population (cut like the thread parts, on 64-neuron boundaries) and
//! the synapses that target it. Connectivity and weights are drawn line by line, each line
//! (a presynaptic neuron's targets, or a postsynaptic neuron's sources) from its own stream
//! of the projection's seed ([`Lines`](crate::connectivity::Lines)), so a rank draws the
//! synapses onto its part without drawing or storing the others', and they are the ones the
//! whole network has: the network does not depend on the rank count. (Set the ranks before
//! connecting projections; a projection connected before is drawn whole and cut when the
//! network is planned.) Spike sources and inputs are computed whole on every rank from their
//! seeds, so they agree without communication.
//!
//! The ranks exchange the spikes of their parts with one all-gather per population, in rank
//! order, which is neuron order: every rank then holds the same spike histories (and spike
//! monitors) as a single process would, and the spike trains are identical to it. What is
//! exchanged: the indices of the neurons that spiked (4 bytes each).

use crate::workers::split_range;
use core::ops::Range;

/// How the ranks of a distributed run exchange spikes.
pub trait Exchange: Send {
    /// This process's rank.
    fn rank(&self) -> usize;
    /// Number of ranks.
    fn size(&self) -> usize;
    /// Every rank's `local` concatenated in rank order, into `out` (a collective: every rank
    /// calls it, in the same order).
    fn all_gather(&mut self, local: &[u32], out: &mut Vec<u32>);
    /// [`Exchange::all_gather`] for stored numbers (gathering recorded state).
    fn all_gather_f64(&mut self, local: &[f64], out: &mut Vec<f64>);
    /// Wall time spent in [`Exchange::all_gather`] so far, when the exchange measures it.
    fn time_spent(&self) -> Option<core::time::Duration> {
        None
    }
}

/// The spikes a rank has emitted since the last exchange, kept until the interval between
/// exchanges is over (NEST's scheme: a spike is needed no sooner than the smallest delay
/// after it is emitted, so ranks exchange once per minimum-delay interval).
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    /// Steps between exchanges (the smallest delay in steps, plus one).
    interval: usize,
    /// Steps since the last exchange.
    pending: usize,
    /// Per population: for every pending step, its spike count then its spikes.
    posted: Vec<Vec<u32>>,
    gathered: Vec<u32>,
}

impl Outbox {
    /// Exchanges every `interval` steps (at least 1), for `n_pops` populations.
    pub(crate) fn plan(&mut self, interval: usize, n_pops: usize) {
        debug_assert_eq!(self.pending, 0, "planned between exchanges");
        self.interval = interval.max(1);
        self.posted.resize_with(n_pops, Vec::new);
    }

    /// Whether spikes wait for the end of an interval (more than one step).
    pub(crate) fn batches(&self) -> bool {
        self.interval > 1
    }

    /// Steps emitted since the last exchange.
    pub(crate) fn pending(&self) -> usize {
        self.pending
    }

    /// Keeps this step's spikes of this rank's part of population `pop`.
    pub(crate) fn post(&mut self, pop: usize, spiked: &[u32]) {
        let posted = &mut self.posted[pop];
        posted.push(spiked.len() as u32);
        posted.extend_from_slice(spiked);
    }

    /// Counts a finished step; true when the interval is over.
    pub(crate) fn step_done(&mut self) -> bool {
        self.pending += 1;
        self.pending >= self.interval
    }

    /// All-gathers the pending spikes of population `pop` (a collective) into `steps`: one
    /// list per pending step, oldest first, each with every rank's spikes in rank order (as
    /// an exchange every step gives them).
    pub(crate) fn gather(
        &mut self,
        ranks: &mut dyn Exchange,
        pop: usize,
        steps: &mut Vec<Vec<u32>>,
    ) {
        steps.resize_with(self.pending, Vec::new);
        steps.iter_mut().for_each(Vec::clear);
        ranks.all_gather(&self.posted[pop], &mut self.gathered);
        self.posted[pop].clear();
        // every rank's block holds `pending` (count, spikes) groups
        let mut at = 0;
        for _ in 0..ranks.size() {
            for step in steps.iter_mut() {
                let count = self.gathered[at] as usize;
                step.extend_from_slice(&self.gathered[at + 1..at + 1 + count]);
                at += 1 + count;
            }
        }
        debug_assert_eq!(at, self.gathered.len(), "every rank posted the same steps");
    }

    /// After every population's pending spikes are gathered: a new interval.
    pub(crate) fn exchanged(&mut self) {
        self.pending = 0;
    }

    /// Forgets the pending spikes (a reset).
    pub(crate) fn clear(&mut self) {
        self.pending = 0;
        self.posted.iter_mut().for_each(Vec::clear);
    }
}

/// Ranks as threads of one process: `ThreadRanks::new(k)` returns one exchange per rank, to
/// be moved into `k` threads that each build and run the same network. For testing a
/// distributed network without MPI, and for trying ranks on one machine; MPI's all-gather is
/// replaced by a shared buffer and a barrier.
pub struct ThreadRanks {
    rank: usize,
    shared: std::sync::Arc<Shared>,
}

struct Shared {
    size: usize,
    barrier: std::sync::Barrier,
    ids: std::sync::Mutex<Vec<Vec<u32>>>,
    values: std::sync::Mutex<Vec<Vec<f64>>>,
}

impl ThreadRanks {
    /// The exchanges of `size` ranks (checked: at least 1), in rank order.
    pub fn new(size: usize) -> Result<Vec<ThreadRanks>, crate::NetworkError> {
        if size == 0 {
            return Err(neurotype_units::InvalidParameter::new(
                "ThreadRanks",
                "size",
                "0",
                "must be at least 1",
            )
            .into());
        }
        let shared = std::sync::Arc::new(Shared {
            size,
            barrier: std::sync::Barrier::new(size),
            ids: std::sync::Mutex::new(vec![Vec::new(); size]),
            values: std::sync::Mutex::new(vec![Vec::new(); size]),
        });
        Ok((0..size)
            .map(|rank| ThreadRanks {
                rank,
                shared: shared.clone(),
            })
            .collect())
    }

    /// Every rank's `local` into its slot; after all have written, the slots in rank order.
    fn gather<T: Clone>(
        &self,
        slots: &std::sync::Mutex<Vec<Vec<T>>>,
        local: &[T],
        out: &mut Vec<T>,
    ) {
        let lock = || {
            slots
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        lock()[self.rank] = local.to_vec();
        self.shared.barrier.wait();
        out.clear();
        for slot in lock().iter() {
            out.extend_from_slice(slot);
        }
        // nobody overwrites a slot before every rank has read them all
        self.shared.barrier.wait();
    }
}

impl Exchange for ThreadRanks {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        self.shared.size
    }
    fn all_gather(&mut self, local: &[u32], out: &mut Vec<u32>) {
        self.gather(&self.shared.ids, local, out);
    }
    fn all_gather_f64(&mut self, local: &[f64], out: &mut Vec<f64>) {
        self.gather(&self.shared.values, local, out);
    }
}

/// The neurons of a population of `n` that `rank` of `size` owns.
pub fn owned(n: usize, rank: usize, size: usize) -> Range<usize> {
    let parts = split_range(0..n, size);
    parts.get(rank).cloned().unwrap_or(n..n)
}

/// MPI ranks over the `mpi` crate (the system's MPI library; cargo feature `mpi`).
#[cfg(feature = "mpi")]
pub mod mpi_ranks {
    use super::Exchange;
    /// The `mpi` crate, for the user's own collectives (gathering results to rank 0).
    pub use mpi;
    use mpi::Count;
    use mpi::datatype::{Equivalence, PartitionMut};
    use mpi::topology::SimpleCommunicator;
    use mpi::traits::*;

    /// The ranks of `MPI_COMM_WORLD`. Keep the [`mpi::environment::Universe`] that
    /// [`MpiRanks::init`] returns alive for the whole run: dropping it finalises MPI.
    pub struct MpiRanks {
        world: SimpleCommunicator,
        counts: Vec<Count>,
        displs: Vec<Count>,
        spent: core::time::Duration,
    }

    impl MpiRanks {
        /// Initialises MPI (serialised threading: one thread calls MPI at a time, whichever
        /// worker runs the exchange) and returns the universe with the world's ranks. A panic
        /// on any rank aborts every rank instead of leaving the others waiting.
        pub fn init() -> Option<(mpi::environment::Universe, MpiRanks)> {
            let (universe, _) = mpi::initialize_with_threading(mpi::Threading::Serialized)?;
            let world = universe.world();
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                hook(info);
                SimpleCommunicator::world().abort(101);
            }));
            Some((
                universe,
                MpiRanks {
                    world,
                    counts: Vec::new(),
                    displs: Vec::new(),
                    spent: core::time::Duration::ZERO,
                },
            ))
        }

        /// MPI_Allgather of the counts, then MPI_Allgatherv of the items, timed.
        fn gather<T: Equivalence + Default + Clone>(&mut self, local: &[T], out: &mut Vec<T>) {
            let start = std::time::Instant::now();
            let size = self.world.size() as usize;
            self.counts.resize(size, 0);
            self.world
                .all_gather_into(&(local.len() as Count), &mut self.counts[..]);
            self.displs.clear();
            let mut total: Count = 0;
            for &c in &self.counts {
                self.displs.push(total);
                total += c;
            }
            out.clear();
            out.resize(total as usize, T::default());
            let mut part = PartitionMut::new(&mut out[..], &self.counts[..], &self.displs[..]);
            self.world.all_gather_varcount_into(local, &mut part);
            self.spent += start.elapsed();
        }

        /// The world communicator (for the user's own collectives: gathering results).
        pub fn world(&self) -> &SimpleCommunicator {
            &self.world
        }
    }

    // SAFETY: MPI is initialised with `Threading::Serialized`, under which any thread may
    // call MPI as long as no two do at once. An `MpiRanks` is only used through `&mut self`
    // (the network's exchange runs on one worker at a time, between the parallel stages), so
    // moving it to another thread cannot make two calls overlap.
    unsafe impl Send for MpiRanks {}

    impl Exchange for MpiRanks {
        fn rank(&self) -> usize {
            self.world.rank() as usize
        }
        fn size(&self) -> usize {
            self.world.size() as usize
        }
        fn all_gather(&mut self, local: &[u32], out: &mut Vec<u32>) {
            self.gather(local, out);
        }
        fn all_gather_f64(&mut self, local: &[f64], out: &mut Vec<f64>) {
            self.gather(local, out);
        }
        fn time_spent(&self) -> Option<core::time::Duration> {
            Some(self.spent)
        }
    }
}
