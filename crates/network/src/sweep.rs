//! Sweeps: many independent networks at once (a parameter scan, seeds for statistics), on
//! all cores.

use crate::error::NetworkError;
use neurotype_units::InvalidParameter;
use rayon::prelude::*;

/// Runs independent jobs (each builds and runs its own network) on a pool of threads and
/// collects their results in the order of the items, whatever order they finish in.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// // the rate of a LIF population for five input currents, on all cores
/// let currents = [0.15, 0.2, 0.25, 0.3, 0.35];
/// let rates = Sweep::all_cores().run(currents, |i_na| {
///     let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
///     let pop = net.add("LIF", Lif::builder(10).tau(20.0 * ms).r(100.0 * Mohm)
///         .v_rest(-60.0 * mV).v_reset(-60.0 * mV).v_th(-50.0 * mV).build()?);
///     net.input(ExternalCurrent::constant(pop, i_na * nA)?)?;
///     let spikes = net.monitor_spikes(pop)?;
///     net.run(200.0 * ms)?;
///     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(net.record(spikes)?.len())
/// })?;
/// assert_eq!(rates.len(), 5);
/// assert!(rates.iter().all(|r| r.is_ok()));
/// assert!(rates[0].as_ref().unwrap() < rates[4].as_ref().unwrap());
/// # Ok::<(), neurotype_network::NetworkError>(())
/// ```
pub struct Sweep {
    threads: usize,
}

impl Sweep {
    /// One thread per core.
    pub fn all_cores() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// `threads` threads (checked: at least 1).
    pub fn threads(threads: usize) -> Result<Self, NetworkError> {
        if threads == 0 {
            return Err(
                InvalidParameter::new("Sweep", "threads", "0", "must be at least 1").into(),
            );
        }
        Ok(Self { threads })
    }

    /// Number of threads.
    pub fn n_threads(&self) -> usize {
        self.threads
    }

    /// Runs `job` on every item, `threads` at a time; returns the results in item order.
    pub fn run<T, R, F>(
        &self,
        items: impl IntoIterator<Item = T>,
        job: F,
    ) -> Result<Vec<R>, NetworkError>
    where
        T: Send,
        R: Send,
        F: Fn(T) -> R + Sync + Send,
    {
        let items: Vec<T> = items.into_iter().collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|k| format!("neurotype-sweep-{k}"))
            .build()
            .map_err(|e| {
                InvalidParameter::new(
                    "Sweep",
                    "threads",
                    self.threads.to_string(),
                    format!("could not start the threads: {e}"),
                )
            })?;
        Ok(pool.install(|| items.into_par_iter().map(&job).collect()))
    }
}
