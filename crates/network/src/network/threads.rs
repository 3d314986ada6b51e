//! The threads a network runs on and where a step's parts run on them (the [`Network`]
//! methods of the book's "Running in parallel" chapter).

use super::Network;
use crate::error::NetworkError;
use crate::workers::{Spread, Spreader, Workers};

impl Network {
    /// Runs on `threads` threads (default 1; checked: at least 1). Every population is cut
    /// into one part per thread, and the worker of a part delivers, advances and publishes
    /// only its part (see [`workers`](crate::workers)): the spikes and state are the same
    /// bits for any number of threads.
    pub fn threads(mut self, threads: usize) -> Result<Self, NetworkError> {
        self.set_threads(threads)?;
        Ok(self)
    }

    /// [`Network::threads`] on a built network.
    pub fn set_threads(&mut self, threads: usize) -> Result<(), NetworkError> {
        self.workers = Workers::new(threads)?;
        self.restructured();
        Ok(())
    }

    /// Where each step's parts run on more than one thread: [`Spread::Measured`] (the
    /// default) times the steps both ways now and then and takes the faster, so that a
    /// network too small to share (a step of a few microseconds) does not wait on the other
    /// threads every step (it still pays for the steps before the verdict: one thread stays
    /// the fastest for a network known to be small); [`Spread::Threads`] and
    /// [`Spread::Caller`] fix the choice. The spikes and state are the same bits whichever
    /// way the parts run.
    pub fn spread(mut self, spread: Spread) -> Self {
        self.set_spread(spread);
        self
    }

    /// [`Network::spread`] on a built network.
    pub fn set_spread(&mut self, spread: Spread) {
        self.spreader = Spreader::new(spread);
        self.planned = false;
    }

    /// Number of threads it runs on.
    pub fn n_threads(&self) -> usize {
        self.workers.threads()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use neurotype_models::prelude::*;

    /// A recurrent LIF network of 300 neurons with a COBA projection, on two threads spread
    /// as `spread`.
    fn small(spread: Spread) -> (Network, MonitorId<SpikeRecord>, Pop<Lif>) {
        let n = 300;
        let mut net = Network::new(0.1 * ms)
            .unwrap()
            .seed(5)
            .progress(Progress::Never)
            .threads(2)
            .unwrap()
            .spread(spread);
        let neurons = LifRef::builder(n)
            .r(100.0 * Mohm)
            .tau(20.0 * ms)
            .tau_ref(2.0 * ms)
            .v_rest(-60.0 * mV)
            .v_reset(-60.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::normal(-55.0 * mV, 5.0 * mV))
            .seed(5)
            .build()
            .unwrap();
        let all = net.add("E", neurons);
        net.input(ExternalCurrent::constant(all, 120.0 * pA).unwrap())
            .unwrap();
        net.connect(
            AlignPostProj::new(all, all)
                .comm(Comm::fixed_prob(n, n, 0.05, 1.0 * nS))
                .syn(Expon::builder(n).tau(5.0 * ms).build().unwrap())
                .out(Coba::new(0.0 * mV).unwrap()),
        )
        .unwrap();
        let spikes = net.monitor_spikes(all).unwrap();
        (net, spikes, all)
    }

    /// The spikes and every stored number of the population, as bits.
    fn outcome(net: &Network, spikes: MonitorId<SpikeRecord>) -> (Vec<u64>, Vec<u32>, Vec<u64>) {
        let r = net.record(spikes).unwrap();
        let mut state = Vec::new();
        for pop in net.populations() {
            for var in pop.state_vars() {
                state.extend(var.raw.iter().map(|&x| neurotype_units::bits(x)));
            }
            for g in 0..pop.n_groups() {
                for var in pop.group_state_vars(g) {
                    state.extend(var.raw.iter().map(|&x| neurotype_units::bits(x)));
                }
            }
        }
        (r.steps.clone(), r.neurons.clone(), state)
    }

    /// A trial that finds the calling thread faster mid-run makes the network plan its
    /// populations whole from the next step, and the run gives the bits of one that kept
    /// its parts on the threads throughout.
    #[test]
    fn taking_the_work_back_from_the_threads_mid_run_changes_no_bit() {
        let (mut threads, spikes, _) = small(Spread::Threads);
        threads.run(40.0 * ms).unwrap();
        let want = outcome(&threads, spikes);
        assert!(want.0.len() > 20, "{} spikes", want.0.len());

        // measured, and stopped before its first trial
        let (mut net, spikes, _) = small(Spread::Measured);
        net.run(5.0 * ms).unwrap();
        assert!(!net.planned_whole);
        net.spreader.settle_on_caller();
        net.run(35.0 * ms).unwrap();
        assert!(net.planned_whole, "planned whole after the verdict");
        assert!(outcome(&net, spikes) == want);
    }
}
