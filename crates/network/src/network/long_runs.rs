//! What keeps a long run safe: blow-up checks, monitors streamed to disk and checkpoints
//! (the [`Network`] methods of the book's "Long runs" chapter).

use super::Network;
use crate::checkpoint::{Checkpoint, Saver};
use crate::error::NetworkError;
use crate::monitor::MonitorId;
use neurotype_models::snapshot::StateVisitor;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

impl Network {
    /// `every` as a whole number of steps, at least one (an interval of `owner`).
    fn interval_steps(&self, owner: &str, every: Time) -> Result<u64, NetworkError> {
        let steps = crate::delay::steps_of(owner, "every", every, self.dt, 1 << 53)? as u64;
        if steps == 0 {
            return Err(InvalidParameter::new(
                owner,
                "every",
                every.show().to_string(),
                format!("must be at least one step (dt = {})", self.dt.get().show()),
            )
            .into());
        }
        Ok(steps)
    }

    /// Writes a chunk of every stream whose interval ends at this step (`all`: of every stream).
    pub(super) fn write_streams(&mut self, all: bool) -> Result<(), NetworkError> {
        for s in &mut self.streams {
            if s.written_to < self.step && (all || self.step.is_multiple_of(s.every)) {
                let rows = self.monitors[s.monitor].take_rows();
                s.write(self.step, rows)?;
            }
        }
        Ok(())
    }

    /// Streams monitor `id` to the file `path` in chunks of `every` (a whole number of steps,
    /// at least one) while runs go on, and at the end of each run; the monitor keeps only the
    /// rows of the chunk being filled, so memory stays flat however long the run, and a crash
    /// loses at most that chunk. Read the file with [`stream::read_spikes`] or
    /// [`stream::read_states`](crate::stream::read_states). An existing file of the same
    /// monitor is appended to (a run resumed from a checkpoint then replaces what the killed
    /// run wrote after the checkpoint). Spike and state monitors can be streamed.
    ///
    /// [`stream::read_spikes`]: crate::stream::read_spikes
    pub fn stream_monitor<R: 'static>(
        &mut self,
        id: MonitorId<R>,
        path: impl AsRef<std::path::Path>,
        every: Time,
    ) -> Result<(), NetworkError> {
        let owner = "Network::stream_monitor";
        if id.net != self.id {
            return Err(NetworkError::ForeignHandle(format!(
                "{owner}: the monitor is one of another network"
            )));
        }
        let steps = self.interval_steps(owner, every)?;
        let Some(header) = self.monitors[id.index].stream_header() else {
            return Err(NetworkError::Stream(format!(
                "monitor {} cannot be streamed (spike and state monitors can)",
                id.index
            )));
        };
        if self.streams.iter().any(|s| s.monitor == id.index) {
            return Err(NetworkError::Stream(format!(
                "monitor {} is already streamed",
                id.index
            )));
        }
        let mut stream = crate::stream::Stream::open(id.index, path.as_ref(), &header, steps)?;
        stream.written_to = self.step;
        self.streams.push(stream);
        Ok(())
    }

    /// No input of a rank reads neurons other ranks own (a gap junction would read stale
    /// potentials there).
    pub(super) fn check_inputs_fit_ranks(&self) -> Result<(), NetworkError> {
        if self.ranks.is_some() && self.inputs.iter().any(|i| i.reads_other_neurons()) {
            return Err(NetworkError::Unsupported(
                "input: a gap junction reads the potentials of neurons other ranks own, which \
                 a rank does not have; run it on threads of one process"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Every state of every population, synapse group and projection is finite (else a
    /// [`NetworkError::Diverged`]); potentials beyond the bound are noted as warnings.
    pub(super) fn check_health(&mut self) -> Result<(), NetworkError> {
        let step = self.step;
        let dt = self.dt;
        let t = || dt.time_of(step).show().to_string();
        for pop in &self.pops {
            let name = || format!("{} `{}`", pop.model_name(), pop.name());
            self.health.check(&name, &pop.state_vars(), step, &t)?;
            for g in 0..pop.n_groups() {
                let name = || format!("synapse group {g} of `{}`", pop.name());
                self.health
                    .check(&name, &pop.group_state_vars(g), step, &t)?;
            }
        }
        for proj in &self.projections {
            let name = || format!("projection `{}`", proj.name());
            self.health.check(&name, &proj.state_vars(), step, &t)?;
        }
        Ok(())
    }

    /// Checks every state for NaN and infinities every `steps` steps of a run and at its end
    /// (default [`health::DEFAULT_EVERY`](crate::health::DEFAULT_EVERY); 0 turns the check
    /// off). A run that finds one stops with [`NetworkError::Diverged`].
    pub fn check_finite_every(&mut self, steps: u64) {
        self.health.every = steps;
    }

    /// The bound on |V| (every state measured in volts) beyond which a run warns, once per
    /// population and variable (default ±1000 mV; `None`: no warnings). Checked with the
    /// finiteness check.
    pub fn set_potential_bound(
        &mut self,
        bound: Option<ElectricPotential>,
    ) -> Result<(), NetworkError> {
        if let Some(b) = bound {
            neurotype_units::check::positive("Network::set_potential_bound", "bound", b)?;
        }
        self.health.bound = bound.map(|b| b.value);
        Ok(())
    }

    /// The warnings of the runs so far (implausible potentials), each also printed to
    /// standard error when it was found.
    pub fn warnings(&self) -> &[crate::health::Warning] {
        &self.health.warnings
    }

    /// Hands the whole run-time state to `v`: the step and counters, then per population its
    /// state and its spike history, per projection, input and monitor theirs.
    pub(super) fn visit_state(&mut self, v: &mut dyn StateVisitor) {
        let mut counters = [self.step, self.spikes, self.events];
        v.counters("step, spikes, synaptic events", &mut counters);
        [self.step, self.spikes, self.events] = counters;
        for (k, (pop, history)) in self.pops.iter_mut().zip(&mut self.histories).enumerate() {
            v.enter(&format!("population {k} `{}`", pop.name()));
            pop.visit_state(v);
            v.enter("spike history");
            history.visit_state(v);
            v.leave();
            v.leave();
        }
        for (k, p) in self.projections.iter_mut().enumerate() {
            v.enter(&format!("projection {k} `{}`", p.name()));
            p.visit_state(v);
            v.leave();
        }
        for (k, i) in self.inputs.iter_mut().enumerate() {
            v.enter(&format!("input {k}"));
            i.visit_state(v);
            v.leave();
        }
        for (k, m) in self.monitors.iter_mut().enumerate() {
            v.enter(&format!("monitor {k}"));
            m.visit_state(v);
            v.leave();
        }
        for s in &mut self.streams {
            let mut written = [s.written_to];
            v.counters(
                &format!("stream of monitor {}: written up to step", s.monitor),
                &mut written,
            );
            s.written_to = written[0];
        }
    }

    /// The run-time state now (see [`checkpoint`](crate::checkpoint)): load it with
    /// [`Network::restore`] into a network built by the same code, and it goes on as this one
    /// would. A rank of a distributed run first completes its spike exchange and takes its own
    /// part (each rank keeps its own checkpoint).
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.plan();
        self.exchange_spikes();
        let mut c = Checkpoint::new(self.dt.get(), self.step);
        self.visit_state(&mut Saver::new(&mut c));
        c
    }

    /// Loads a [`Checkpoint`] of a network of the same structure (same populations, sizes,
    /// models, projections, inputs and monitors, added in the same order, and the same dt).
    /// When anything differs, returns [`NetworkError::Checkpoint`] naming it, and nothing is
    /// changed. The thread count may differ: it does not change the results.
    pub fn restore(&mut self, checkpoint: &Checkpoint) -> Result<(), NetworkError> {
        self.plan();
        self.exchange_spikes();
        checkpoint.restore_into(self.dt.get(), |v| self.visit_state(v))
    }

    /// Saves [`Network::checkpoint`] to `path` (written beside it, then renamed: a crash while
    /// writing leaves the previous file whole).
    pub fn save_checkpoint(
        &mut self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<(), NetworkError> {
        self.checkpoint().save(path)
    }

    /// Loads the checkpoint in `path` (see [`Network::restore`]).
    pub fn load_checkpoint(
        &mut self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<(), NetworkError> {
        let checkpoint = Checkpoint::load(path)?;
        self.restore(&checkpoint)
    }

    /// During every later run, saves a checkpoint to `path` each time the step count reaches
    /// a multiple of `every` (a whole number of steps, at least one), replacing the last one: a
    /// run that is killed resumes from it with [`Network::load_checkpoint`].
    pub fn checkpoint_every(
        &mut self,
        every: Time,
        path: impl Into<std::path::PathBuf>,
    ) -> Result<(), NetworkError> {
        let owner = "Network::checkpoint_every";
        let steps = self.interval_steps(owner, every)?;
        self.autosave = Some((steps, path.into()));
        Ok(())
    }
}
