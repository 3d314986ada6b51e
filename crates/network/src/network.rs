//! The network: populations, projections, inputs and monitors, stepped in one pipeline.

use crate::delay::SpikeHistory;
use crate::error::NetworkError;
use crate::input::{Input, PoissonInputSpec};
use crate::monitor::{Monitor, Target, World};
use crate::population::{AnyPopulation, Pop, Population};
use crate::profile::{Profile, Stage, Timing, lap};
use crate::projection::{Installer, Landing, Projection, ProjectionSpec};
use crate::ranks::{Exchange, Outbox, owned};
use crate::workers::{Deliveries, PartTasks, Spread, Spreader, Workers, reuse, run_parts};
use neurotype_models::{Neuron, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod long_runs;
mod monitors;
mod saving;
mod threads;

/// When to show a progress bar during [`Network::run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// When standard error is a terminal.
    #[default]
    Auto,
    /// Never.
    Never,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStats {
    /// Steps simulated.
    pub steps: u64,
    /// Wall time of the simulation loop.
    pub wall: Duration,
    /// Spikes emitted by all populations.
    pub spikes: u64,
    /// Synaptic events delivered (spikes × their synapses).
    pub events: u64,
    /// Where the time went, by stage, population and projection, when the network is
    /// profiled ([`Network::profile`]); it prints as a table.
    pub profile: Option<Profile>,
}

/// A spiking network: populations, the projections between them, inputs and monitors.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.seed(42).progress(Progress::Never);
/// let e = net.add("E", Lif::builder(100).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
/// net.input(ExternalCurrent::constant(e, 0.25 * nA)?)?;
/// net.connect(AlignPostProj::new(e, e)
///     .comm(Comm::fixed_prob(100, 100, 0.1, 0.5 * nS))
///     .syn(Expon::builder(100).tau(5.0 * ms).build()?)
///     .out(Coba::new(0.0 * mV)?))?;
/// let spikes = net.monitor_spikes(e)?;
/// net.run(100.0 * ms)?;
/// assert!(net.record(spikes)?.len() > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # One step
///
/// [`Network::step`] runs these stages, for step index i (t = i·dt); each writes only what it
/// names:
///
/// 1. **inputs**: each input writes its population's drive (external current) or, for a
///    Poisson background, its state;
/// 2. **arrive**: each projection takes in the spikes that arrive now (those published in
///    step i − 1 − delay): short-term plasticity updates, an align-pre synapse counts its
///    events;
/// 3. **advance projections**: align-pre projections step their presynaptic synapses and write
///    their output into the postsynaptic drive;
/// 4. **advance populations**, part by part (one part per thread, the parts of every
///    population in one job on the workers, see [`workers`](crate::workers)): the arriving
///    spikes are **delivered** into the part
///    (increments of its align-post synapse groups, jumps of its drive; an exponential group
///    takes its increments into g itself, each divided by the step's decay factor, so that
///    the decay gives BrainPy's `decay(g) + Σw`: see
///    [`ExpChannel`](neurotype_models::drive::ExpChannel)), its synapse groups
///    step (writing their output into its drive) and its neurons, which read the drive; the
///    exponential synapse groups planned as channels (the last [`MAX_CHANNELS`] groups onto a
///    population, when they are all exponential synapses behind affine outputs) are advanced
///    inside the neuron loop instead, with the same arithmetic in the same order (without
///    a conductance, the loop leaves out the input's `− g_syn·V`, an exact zero);
/// 5. **publish**: each population's spikes enter its spike history (the one place spikes
///    leave a population; deliveries read only these histories);
/// 6. **record**: monitors read the state;
/// 7. **clear**: the drives (the step's workspace) are zeroed.
///
/// A spike emitted in step n therefore changes g and V in step n + 1, as in BrainPy and
/// Brian2 (one-dt transmission latency). Which groups are advanced as channels is planned once,
/// in the first step after the network's structure changed.
///
/// [`MAX_CHANNELS`]: neurotype_models::drive::MAX_CHANNELS
pub struct Network {
    id: u64,
    dt: TimeStep,
    step: u64,
    seed: u64,
    pops: Vec<Box<dyn AnyPopulation>>,
    histories: Vec<SpikeHistory>,
    projections: Vec<Box<dyn Projection>>,
    inputs: Vec<Box<dyn Input>>,
    monitors: Vec<Box<dyn Monitor>>,
    progress: Progress,
    spikes: u64,
    events: u64,
    inline: bool,
    planned: bool,
    /// Whether the plan has every population whole (see [`Spreader::one_part`]).
    planned_whole: bool,
    /// Time per stage, population and projection, when profiled.
    timing: Option<Box<Timing>>,
    /// The step at which the monitors of a distributed run were last gathered.
    gathered_at: Option<u64>,
    workers: Workers,
    /// Whether each step's parts run on the workers (see [`Network::spread`]).
    spreader: Spreader,
    /// Per population, the projections that land in it (planned).
    onto: Vec<Vec<usize>>,
    /// The allocation of each step's list of neuron passes (empty between steps).
    passes: Vec<Box<dyn PartTasks + 'static>>,
    /// The other ranks of a distributed run.
    ranks: Option<Box<dyn Exchange>>,
    /// Gathering buffer of the spike exchange.
    gathered: Vec<u32>,
    /// A rank's spikes waiting for the end of the exchange interval.
    outbox: Outbox,
    /// The exchanged spikes of the steps of one interval.
    by_step: Vec<Vec<u32>>,
    /// Periodic checkpoints during runs: every so many steps, to this file.
    autosave: Option<(u64, std::path::PathBuf)>,
    /// Blow-up detection.
    health: crate::health::Health,
    /// Monitors streamed to disk.
    streams: Vec<crate::stream::Stream>,
}

/// A handle to an installed projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjId {
    net: u64,
    index: usize,
}

/// Every network gets its own identity, which its handles carry.
static NEXT_NETWORK: AtomicU64 = AtomicU64::new(1);

/// Checks that a handle belongs to network `net`.
pub(crate) fn check_handle<T>(
    net: u64,
    what: &str,
    side: &str,
    pop: &Pop<T>,
) -> Result<(), NetworkError> {
    if pop.net == net {
        Ok(())
    } else {
        Err(NetworkError::ForeignHandle(format!(
            "{what}: `{side}` ({pop:?}) is a handle of another network"
        )))
    }
}

impl Network {
    /// An empty network with time step `dt` (checked: finite and > 0).
    pub fn new(dt: Time) -> Result<Self, NetworkError> {
        Ok(Self {
            id: NEXT_NETWORK.fetch_add(1, Ordering::Relaxed),
            dt: TimeStep::new(dt)?,
            step: 0,
            seed: 0,
            pops: Vec::new(),
            histories: Vec::new(),
            projections: Vec::new(),
            inputs: Vec::new(),
            monitors: Vec::new(),
            progress: Progress::Auto,
            spikes: 0,
            events: 0,
            inline: true,
            planned: false,
            planned_whole: false,
            timing: None,
            gathered_at: None,
            workers: Workers::one(),
            spreader: Spreader::new(Spread::default()),
            onto: Vec::new(),
            passes: Vec::new(),
            ranks: None,
            gathered: Vec::new(),
            outbox: Outbox::default(),
            by_step: Vec::new(),
            autosave: None,
            health: Default::default(),
            streams: Vec::new(),
        })
    }

    /// Runs as one rank of a distributed run (see [`ranks`](crate::ranks)): this process
    /// advances its part of every neuron population and holds the synapses that target it
    /// (give the ranks before connecting projections, so that it draws only those), and the
    /// ranks exchange spikes once per minimum-delay interval (every step when a projection
    /// has no delay; the last interval of a run is exchanged when it ends). Every rank must
    /// build the same network and call the same methods in the same order. Spike trains, spike
    /// monitors and spike counts are those of the whole network on every rank (after a run;
    /// stepping by hand, spike monitors lag by up to one interval); state monitors record the rank's
    /// own neurons until [`Network::gather_monitors`] completes them; the state itself is
    /// advanced only for the rank's own neurons; synaptic event counts are the rank's.
    pub fn ranks(mut self, ranks: impl Exchange + 'static) -> Self {
        self.set_ranks(ranks);
        self
    }

    /// [`Network::ranks`] on a built network.
    pub fn set_ranks(&mut self, ranks: impl Exchange + 'static) {
        self.ranks = Some(Box::new(ranks));
        self.restructured();
    }

    /// Completes every state monitor of a distributed run with the values the other ranks
    /// recorded of their own neurons, so that every rank holds the whole record, as one
    /// process would (spike monitors are whole already). A collective: call it on every rank,
    /// after the run. Without ranks it does nothing. State monitors of projections keep the
    /// rank's own values.
    pub fn gather_monitors(&mut self) {
        let Some(ranks) = self.ranks.as_deref_mut() else {
            return;
        };
        let shared: Vec<Option<usize>> = self
            .pops
            .iter()
            .map(|p| p.is_partitioned().then(|| p.len()))
            .collect();
        let mut gathering = crate::monitor::Gathering {
            ranks,
            shared: &shared,
        };
        for m in &mut self.monitors {
            m.gather(&mut gathering);
        }
        self.gathered_at = Some(self.step);
    }

    /// Wall time this rank has spent exchanging spikes (in the all-gathers, waiting for the
    /// slowest rank included), when it runs on ranks whose exchange measures it.
    pub fn exchange_time(&self) -> Option<Duration> {
        self.ranks.as_ref().and_then(|r| r.time_spent())
    }

    /// The neurons of a population this process advances: all of them, or its rank's part.
    pub fn owned<T>(&self, pop: Pop<T>) -> Result<core::ops::Range<usize>, NetworkError> {
        check_handle(self.id, "Network::owned", "pop", &pop)?;
        let n = self.pops[pop.index].len();
        Ok(match &self.ranks {
            Some(r) if self.pops[pop.index].is_partitioned() => owned(n, r.rank(), r.size()),
            _ => 0..n,
        })
    }

    /// The structure changed: plan again, and time the ways to spread the parts again.
    fn restructured(&mut self) {
        self.planned = false;
        self.spreader = Spreader::new(self.spreader.spread());
    }

    /// Profiles the runs: [`RunStats::profile`] then splits each run's wall time by stage of
    /// the step (inputs, projections, delivery, synapses, neurons, spikes, monitors) and by
    /// population and projection, as Brian2's `profile=True` does. Timing costs a few clock
    /// reads per population and projection each step; off by default.
    pub fn profile(mut self, on: bool) -> Self {
        self.set_profile(on);
        self
    }

    /// Profiles the runs from now on (see [`Network::profile`]).
    pub fn set_profile(&mut self, on: bool) {
        self.timing = on.then(|| Box::new(Timing::new(self.pops.len(), self.projections.len())));
        for pop in &mut self.pops {
            pop.set_profiling(on);
        }
    }

    /// The seed from which projections without their own seed draw connectivity and weights
    /// (each projection gets its own stream). Set it before adding projections.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Progress-bar behaviour of [`Network::run`].
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Whether populations may advance their exponential synapse groups inside their own
    /// neuron loop (default true). The results are the same either way (tested); turning it
    /// off is for checking that, and for measuring what it saves.
    pub fn inline_synapses(mut self, on: bool) -> Self {
        self.set_inline_synapses(on);
        self
    }

    /// [`Network::inline_synapses`] on a built network.
    pub fn set_inline_synapses(&mut self, on: bool) {
        self.inline = on;
        self.restructured();
    }

    /// The time step.
    pub fn dt(&self) -> TimeStep {
        self.dt
    }

    /// The index of the next step.
    pub fn step_index(&self) -> u64 {
        self.step
    }

    /// The time of the next step.
    pub fn t(&self) -> Time {
        self.dt.time_of(self.step)
    }

    /// How records, results files and profiles name projection `k`: `pre->post#k`.
    pub(crate) fn projection_label(&self, k: usize) -> String {
        let p = &self.projections[k];
        let (pre, post) = (self.pops[p.pre()].name(), self.pops[p.post()].name());
        format!("{pre}->{post}#{k}")
    }

    /// Checks that `pop` is a handle of this network.
    fn owns<T>(&self, what: &str, pop: &Pop<T>) -> Result<(), NetworkError> {
        check_handle(self.id, what, "handle", pop)
    }

    /// Adds a population of neurons.
    pub fn add<N: Neuron>(&mut self, name: impl Into<String>, model: N) -> Pop<N> {
        let n = model.len();
        self.add_population(Box::new(Population::new(name, model)), n)
    }

    /// Adds a spike source (a [`PoissonGroup`](crate::PoissonGroup), a
    /// [`SpikeTimeGroup`](crate::SpikeTimeGroup), or any other [`AnyPopulation`]).
    pub fn add_source<S: AnyPopulation>(&mut self, source: S) -> Pop<S> {
        let n = source.len();
        self.add_population(Box::new(source), n)
    }

    fn add_population<T>(&mut self, mut pop: Box<dyn AnyPopulation>, n: usize) -> Pop<T> {
        pop.set_profiling(self.timing.is_some());
        log::debug!(
            "added population `{}`: {} × {n}",
            pop.name(),
            pop.model_name()
        );
        self.pops.push(pop);
        self.histories.push(SpikeHistory::new(1));
        self.restructured();
        Pop::new(self.id, self.pops.len() - 1, n)
    }

    /// Installs a projection (checks handles, sizes and units, draws connectivity) and
    /// returns its handle (for [`Network::monitor_projection`]).
    pub fn connect(&mut self, spec: impl ProjectionSpec) -> Result<ProjId, NetworkError> {
        let seed = crate::seed_of(self.seed, self.projections.len() as u64);
        let proj = spec.install(Installer {
            net: self.id,
            pops: &mut self.pops,
            dt: self.dt,
            seed,
            ranks: self.ranks.as_ref().map(|r| (r.rank(), r.size())),
        })?;
        let pre = proj.pre();
        log::debug!(
            "connected {} `{}` → `{}`: {} synapses, {} bytes, delays up to {} steps",
            proj.name(),
            self.pops[pre].name(),
            self.pops[proj.post()].name(),
            proj.n_synapses(),
            proj.synapse_bytes(),
            proj.max_delay()
        );
        self.histories[pre].ensure_depth(proj.max_delay() + 1);
        self.projections.push(proj);
        self.restructured();
        Ok(ProjId {
            net: self.id,
            index: self.projections.len() - 1,
        })
    }

    /// Adds an input applied before every step.
    pub fn input(&mut self, input: impl Input + 'static) -> Result<(), NetworkError> {
        if input.network() != self.id {
            return Err(NetworkError::ForeignHandle(
                "input: its target is a handle of another network".into(),
            ));
        }
        self.inputs.push(Box::new(input));
        if let Err(e) = self.check_inputs_fit_ranks() {
            self.inputs.pop();
            return Err(e);
        }
        Ok(())
    }

    /// Adds a Poisson background input (its unit is checked against the target state).
    pub fn poisson_input(&mut self, spec: PoissonInputSpec) -> Result<(), NetworkError> {
        if spec.input.network() != self.id {
            return Err(NetworkError::ForeignHandle(
                "PoissonInput: its target is a handle of another network".into(),
            ));
        }
        spec.validate(&self.pops)?;
        self.inputs.push(Box::new(spec.input));
        Ok(())
    }

    /// A population of neurons.
    pub fn population<N: Neuron>(&self, pop: Pop<N>) -> Result<&Population<N>, NetworkError> {
        self.owns("population", &pop)?;
        Ok(self.pops[pop.index]
            .as_any()
            .downcast_ref::<Population<N>>()
            .expect("population handles are typed"))
    }

    /// A population of neurons, mutable (to change its state between runs).
    pub fn population_mut<N: Neuron>(
        &mut self,
        pop: Pop<N>,
    ) -> Result<&mut Population<N>, NetworkError> {
        self.owns("population_mut", &pop)?;
        Ok(self.pops[pop.index]
            .as_any_mut()
            .downcast_mut::<Population<N>>()
            .expect("population handles are typed"))
    }

    /// Any population, type-erased.
    pub fn any_population<T>(&self, pop: Pop<T>) -> Result<&dyn AnyPopulation, NetworkError> {
        self.owns("any_population", &pop)?;
        Ok(self.pops[pop.index].as_ref())
    }

    /// The state of the synapse groups of `post` (one per distinct synapse of the align-post
    /// projections onto it; e.g. `"g"`).
    pub fn synapse_states<T>(
        &self,
        post: Pop<T>,
    ) -> Result<Vec<Vec<neurotype_models::StateVar<'_>>>, NetworkError> {
        self.owns("synapse_states", &post)?;
        let pop = &self.pops[post.index];
        Ok((0..pop.n_groups())
            .map(|g| pop.group_state_vars(g))
            .collect())
    }

    /// The state of a projection (its own: short-term plasticity `u`, `x`; STDP `w`,
    /// `pre_trace`, `post_trace`; an align-pre synapse's `g`, ...; then the synapse group it
    /// feeds), as [`Network::monitor_projection`] names it.
    pub fn projection_states(
        &self,
        proj: ProjId,
    ) -> Result<Vec<neurotype_models::StateVar<'_>>, NetworkError> {
        if proj.net != self.id {
            return Err(NetworkError::ForeignHandle(
                "projection_states: the projection handle is of another network".into(),
            ));
        }
        let world = World {
            pops: &self.pops,
            projections: &self.projections,
        };
        Ok(world.state_vars(Target::Projection(proj.index)))
    }

    /// State `var` of a projection expressed in `unit`, e.g. the weights of an STDP
    /// projection in mS: `net.projection_values(proj, "w", "mS")?`.
    pub fn projection_values(
        &self,
        proj: ProjId,
        var: &str,
        unit: &str,
    ) -> Result<Vec<f64>, NetworkError> {
        let vars = self.projection_states(proj)?;
        let name = self.projections[proj.index].name();
        let known = || vars.iter().map(|v| v.name).collect::<Vec<_>>().join(", ");
        let v = vars.iter().find(|v| v.name == var).ok_or_else(|| {
            NetworkError::NotFound(format!("{name} has no state `{var}` (it has {})", known()))
        })?;
        (0..v.raw.len())
            .map(|i| v.value_in(i, unit))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| {
                InvalidParameter::new(
                    name,
                    "unit",
                    format!("\"{unit}\""),
                    format!("must be a unit of `{var}`, whose unit is {}", v.unit),
                )
                .into()
            })
    }

    /// Number of distinct postsynaptic synapse states (after merging), over all populations.
    pub fn n_synapse_groups(&self) -> usize {
        self.pops.iter().map(|p| p.n_groups()).sum()
    }

    /// Total number of synapses.
    pub fn n_synapses(&self) -> usize {
        self.projections.iter().map(|p| p.n_synapses()).sum()
    }

    /// Bytes of synapse storage (targets, row offsets, weights) held by this process (on a
    /// rank of a distributed run: the synapses onto its neurons, once the first step has cut
    /// them).
    pub fn synapse_bytes(&self) -> usize {
        self.projections.iter().map(|p| p.synapse_bytes()).sum()
    }

    /// Every population (neuron groups and sources), in the order added: for reading the
    /// whole state without handles.
    pub fn populations(&self) -> impl Iterator<Item = &dyn AnyPopulation> + '_ {
        self.pops.iter().map(|p| p.as_ref())
    }

    /// Advances the network by one step (the stages are listed on [`Network`]).
    pub fn step(&mut self) {
        self.plan();
        let workers = core::mem::replace(&mut self.workers, Workers::one());
        workers.install(|| self.stages());
        self.workers = workers;
    }

    /// One step's stages, on the current thread pool.
    fn stages(&mut self) {
        let ctx = StepCtx::new(self.step, self.dt);
        debug_assert!(self.planned, "planned before the stages run");
        // laps of a profiled run (nothing is timed otherwise)
        if let Some(timing) = self.timing.as_deref_mut() {
            // populations or projections added since profiling began (a step without a run)
            timing.fit(self.pops.len(), self.projections.len());
        }
        let mut t = lap(self.timing.is_some());
        self.apply_inputs(&ctx);
        Timing::mark(&mut self.timing, Stage::Inputs, &mut t);
        self.arrive(&ctx);
        self.advance_projections(&ctx);
        Timing::mark(&mut self.timing, Stage::Projections, &mut t);
        self.advance_populations(&ctx);
        Timing::mark(&mut self.timing, Stage::Neurons, &mut t);
        self.publish_spikes();
        for proj in &self.projections {
            proj.prefetch(&self.histories);
        }
        Timing::mark(&mut self.timing, Stage::Spikes, &mut t);
        self.record_monitors(&ctx);
        Timing::mark(&mut self.timing, Stage::Monitors, &mut t);
        self.clear_workspace();
        self.step += 1;
        if self.spreader.one_part() != self.planned_whole && self.ranks.is_none() {
            // the calling thread was found faster: the populations whole from the next step
            // (the same bits: no element's arithmetic depends on the parts). Only this way
            // round: the plan then needs no workers (they are lent out while the stages run).
            debug_assert!(self.spreader.one_part());
            self.planned = false;
            self.plan();
        }
        if self.outbox.batches() && self.outbox.step_done() {
            self.exchange_spikes();
            Timing::mark(&mut self.timing, Stage::Spikes, &mut t);
        }
    }

    /// Prepares the network for stepping: plans which synapse groups each population advances
    /// inline, the parts of each population its workers own, and cuts the synapses of the
    /// projections that land in each by those parts. A run does it itself, once per structure
    /// and before its clock starts; call it to count that set-up with the build.
    pub fn prepare(&mut self) {
        self.plan();
    }

    /// Plans, once per structure, which synapse groups each population advances inline, the
    /// parts of each population its workers own, and the projections that land in each (their
    /// synapses cut by those parts).
    fn plan(&mut self) {
        if self.planned {
            return;
        }
        self.exchange_spikes();
        let interval = self.exchange_interval();
        self.outbox.plan(interval, self.pops.len());
        for (pop, history) in self.pops.iter().zip(&mut self.histories) {
            if pop.is_partitioned() {
                history.ensure_depth(interval);
            }
        }
        let ctx = &StepCtx::new(self.step, self.dt);
        self.onto = vec![Vec::new(); self.pops.len()];
        for (k, proj) in self.projections.iter().enumerate() {
            if proj.landing() != Landing::Own {
                self.onto[proj.post()].push(k);
            }
        }
        for (pop, onto) in self.pops.iter_mut().zip(&self.onto) {
            let mine = match &self.ranks {
                Some(r) if pop.is_partitioned() => owned(pop.len(), r.rank(), r.size()),
                _ => 0..pop.len(),
            };
            // whole on the calling thread, when that is the faster way (not on ranks: their
            // plan is kept for the whole run)
            let parts = if self.spreader.one_part() && self.ranks.is_none() {
                vec![mine]
            } else {
                self.workers.parts(mine)
            };
            for &k in onto {
                self.projections[k].partition(&parts);
            }
            pop.plan(self.inline, ctx, parts);
        }
        self.planned_whole = self.spreader.one_part() && self.ranks.is_none();
        self.planned = true;
    }

    /// Steps between spike exchanges of a distributed run: the smallest delay of a projection
    /// from a population shared out among the ranks, plus one (a spike emitted in step n is
    /// read in step n + 1 + delay at the earliest); one step without ranks or such projections.
    fn exchange_interval(&self) -> usize {
        if self.ranks.is_none() {
            return 1;
        }
        self.projections
            .iter()
            .filter(|p| self.pops[p.pre()].is_partitioned())
            .map(|p| p.min_delay() + 1)
            .min()
            .unwrap_or(1)
    }

    /// The exchange at the end of an interval: every population's pending spikes are
    /// gathered from all ranks, complete the spike histories, and are handed to the spike
    /// monitors, step by step, as an exchange every step would have.
    fn exchange_spikes(&mut self) {
        let (Some(ranks), pending) = (self.ranks.as_deref_mut(), self.outbox.pending()) else {
            return;
        };
        if pending == 0 {
            return;
        }
        for p in 0..self.pops.len() {
            if !self.pops[p].is_partitioned() {
                continue;
            }
            self.outbox.gather(ranks, p, &mut self.by_step);
            for (s, spiked) in self.by_step.iter_mut().enumerate() {
                self.histories[p].replace(pending - 1 - s, spiked);
                self.spikes += spiked.len() as u64;
                core::mem::swap(self.pops[p].spiked_mut(), spiked);
                let ctx = StepCtx::new(self.step - (pending - s) as u64, self.dt);
                let world = World {
                    pops: &self.pops,
                    projections: &self.projections,
                };
                for m in &mut self.monitors {
                    if m.spike_source() == Some(p) {
                        m.record(&ctx, &world);
                    }
                }
            }
        }
        self.outbox.exchanged();
    }

    /// Stage 1: inputs write their populations' drives (or states).
    fn apply_inputs(&mut self, ctx: &StepCtx) {
        for input in &mut self.inputs {
            input.apply_to_network(ctx, &mut self.pops);
        }
    }

    /// Stage 2: projections take in the spikes that arrive now (read from the presynaptic
    /// spike histories): plasticity, and the events of align-pre synapses.
    fn arrive(&mut self, ctx: &StepCtx) {
        for (k, proj) in self.projections.iter_mut().enumerate() {
            let t = lap(self.timing.is_some());
            self.events += proj.arrive(ctx, &self.histories);
            Timing::add(&mut self.timing, |timing| &mut timing.projections[k], t);
        }
    }

    /// Stage 3: projections that own synapses (align-pre) advance them and write the
    /// postsynaptic drive.
    fn advance_projections(&mut self, ctx: &StepCtx) {
        for (k, proj) in self.projections.iter_mut().enumerate() {
            let t = lap(self.timing.is_some());
            let post = proj.post();
            proj.advance(ctx, self.pops[post].as_mut());
            Timing::add(&mut self.timing, |timing| &mut timing.projections[k], t);
        }
    }

    /// Stage 4: every population, part by part on the workers: the arriving spikes are
    /// delivered into the part (increments of its synapse groups, jumps), then its synapse
    /// groups and neurons advance.
    fn advance_populations(&mut self, ctx: &StepCtx) {
        // what each population does before its neuron pass, then every neuron pass in one
        // job on the workers (the list keeps its allocation from step to step)
        let mut passes = reuse(core::mem::take(&mut self.passes));
        for (p, (pop, onto)) in self.pops.iter_mut().zip(&self.onto).enumerate() {
            let deliveries = Deliveries {
                projections: &self.projections,
                onto,
                histories: &self.histories,
            };
            // a source's spikes are drawn here, outside any clock
            let t = lap(self.timing.is_some() && pop.clock().is_none());
            if let Some((events, pass)) = pop.begin_step(ctx, deliveries) {
                self.events += events;
                passes.push(pass);
            }
            Timing::add(&mut self.timing, |timing| &mut timing.sources[p], t);
        }
        self.events += run_parts(&mut passes, &mut self.spreader);
        self.passes = reuse(passes);
    }

    /// Stage 5: every population's spikes enter its spike history.
    fn publish_spikes(&mut self) {
        for (p, (pop, history)) in self.pops.iter_mut().zip(&mut self.histories).enumerate() {
            if let Some(ranks) = &mut self.ranks {
                if pop.is_partitioned() && self.outbox.batches() {
                    // the other ranks' spikes complete the history at the exchange
                    self.outbox.post(p, pop.spiked());
                    history.push(pop.spiked());
                    continue;
                }
                if pop.is_partitioned() {
                    // every rank's part, in rank order: the whole population's spikes
                    ranks.all_gather(pop.spiked(), &mut self.gathered);
                    core::mem::swap(pop.spiked_mut(), &mut self.gathered);
                }
            }
            let spiked = pop.spiked();
            history.push(spiked);
            self.spikes += spiked.len() as u64;
        }
    }

    /// Stage 6: monitors read the state.
    fn record_monitors(&mut self, ctx: &StepCtx) {
        let world = World {
            pops: &self.pops,
            projections: &self.projections,
        };
        let deferred = |p: usize| self.outbox.batches() && world.pops[p].is_partitioned();
        for m in &mut self.monitors {
            // spike monitors of a shared-out population record at the exchange
            if !m.spike_source().is_some_and(deferred) {
                m.record(ctx, &world);
            }
        }
    }

    /// Stage 7: the step's workspace (every drive) is zeroed.
    fn clear_workspace(&mut self) {
        for pop in &mut self.pops {
            pop.clear_inputs();
        }
    }

    /// Runs for `duration` (a whole number of steps, by BrainPy's rounding rule), with a
    /// progress bar when standard error is a terminal. Runs continue from where the last one
    /// stopped.
    pub fn run(&mut self, duration: Time) -> Result<RunStats, NetworkError> {
        // ranks may have been given after the inputs
        self.check_inputs_fit_ranks()?;
        // times are step × dt in f64: exact up to 2^53 steps
        let left = (1u64 << 53).saturating_sub(self.step);
        let steps =
            crate::delay::steps_of("Network::run", "duration", duration, self.dt, left)? as u64;
        for (k, m) in self.monitors.iter_mut().enumerate() {
            // a streamed monitor holds one chunk at most
            let rows = match self.streams.iter().find(|s| s.monitor == k) {
                Some(s) => s.every.min(steps),
                None => steps,
            };
            m.reserve(rows as usize)?;
        }
        let show =
            self.progress == Progress::Auto && std::io::stderr().is_terminal() && steps > 1000;
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new(steps);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} steps, {elapsed} elapsed, {eta} left",
                )
                .expect("valid template"),
            );
            bar
        });
        let (spikes0, events0) = (self.spikes, self.events);
        let chunk = (steps / 100).max(1);
        if self.timing.is_some() {
            self.timing = Some(Box::new(Timing::new(
                self.pops.len(),
                self.projections.len(),
            )));
            for pop in &mut self.pops {
                pop.set_profiling(true);
            }
        }
        // planning (which synapse groups go inline, the parts of each population, every
        // projection's synapses cut by them) is set-up, once per structure: not run time
        self.plan();
        let start = Instant::now();
        let workers = core::mem::replace(&mut self.workers, Workers::one());
        let done: Result<(), NetworkError> = workers.install(|| {
            for k in 0..steps {
                self.stages();
                if let Some(bar) = &bar {
                    if (k + 1) % chunk == 0 {
                        bar.set_position(k + 1);
                    }
                }
                self.write_streams(false)?;
                if self.health.every != 0 && self.step.is_multiple_of(self.health.every) {
                    self.check_health()?;
                }
                if let Some((every, path)) = &self.autosave {
                    if self.step.is_multiple_of(*every) {
                        let path = path.clone();
                        self.save_checkpoint(path)?;
                    }
                }
            }
            Ok(())
        });
        self.workers = workers;
        done?;
        self.write_streams(true)?;
        if self.health.every != 0 {
            self.check_health()?;
        }
        // the last interval's spikes, so that records and counts are complete
        self.exchange_spikes();
        let wall = start.elapsed();
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        log::debug!(
            "ran {steps} steps ({}) in {:.3} s: {} spikes, {} synaptic events",
            self.dt.time_of(steps).show(),
            wall.as_secs_f64(),
            self.spikes - spikes0,
            self.events - events0
        );
        let profile = self.timing.as_deref().map(|timing| {
            let pops = self.pops.iter().map(|p| {
                let clock = p.clock().map(|c| c.times());
                (p.name().to_string(), clock)
            });
            let projections = (0..self.projections.len()).map(|k| {
                let kind = self.projections[k].name();
                format!("{} ({kind})", self.projection_label(k))
            });
            timing.report(wall, pops.collect(), projections.collect())
        });
        Ok(RunStats {
            steps,
            wall,
            spikes: self.spikes - spikes0,
            events: self.events - events0,
            profile,
        })
    }

    /// its initial state (random initial states are redrawn from their seeds), monitors
    /// emptied.
    pub fn reset(&mut self) {
        self.step = 0;
        self.spikes = 0;
        self.events = 0;
        for p in &mut self.pops {
            p.reset();
        }
        for h in &mut self.histories {
            h.clear();
        }
        for p in &mut self.projections {
            p.reset();
        }
        for i in &mut self.inputs {
            i.reset();
        }
        for m in &mut self.monitors {
            m.clear();
        }
        self.outbox.clear();
    }
}
