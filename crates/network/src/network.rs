//! The network: populations, projections, inputs and monitors, stepped in one pipeline.

use crate::delay::SpikeHistory;
use crate::error::NetworkError;
use crate::input::{Input, PoissonInputSpec};
use crate::monitor::{Monitor, MonitorId, RateRecord, SpikeRecord, StateRecord, Target, World};
use crate::population::{AnyPopulation, Pop, Population};
use crate::projection::{Installer, Projection, ProjectionSpec, SynapseGroup};
use neurotype_models::{ExpChannel, Neuron, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunStats {
    /// Steps simulated.
    pub steps: u64,
    /// Wall time of the simulation loop.
    pub wall: Duration,
    /// Spikes emitted by all populations.
    pub spikes: u64,
    /// Synaptic events delivered (spikes × their synapses).
    pub events: u64,
}

/// A spiking network: populations, the projections between them, inputs and monitors.
///
/// One step, for every step index i (t = i·dt):
/// 1. inputs write this step's currents (and Poisson background) into the populations;
/// 2. projections deliver the spikes of the previous step (plus their delays): increments to
///    postsynaptic synapses, jumps, presynaptic synapse updates;
/// 3. postsynaptic synapses decay, take their increments and pass their conductance through
///    their outputs into the neurons' drive;
/// 4. every population integrates one step and emits its spikes;
/// 5. monitors record; inputs are cleared.
///
/// Steps 3 and 4 are fused where they can be: the last [`MAX_CHANNELS`] synapse groups onto a
/// population, when they are exponential synapses with COBA/CUBA/current outputs, are lent
/// to it as [`ExpChannel`]s and advanced inside its own loop (the same operations in the same
/// order, so the same bits; one pass over memory).
///
/// A spike emitted in step n therefore changes g and V in step n + 1, as in BrainPy and
/// Brian2 (one-dt transmission latency).
pub struct Network {
    dt: TimeStep,
    step: u64,
    seed: u64,
    pops: Vec<Box<dyn AnyPopulation>>,
    histories: Vec<SpikeHistory>,
    groups: Vec<Box<dyn SynapseGroup>>,
    projections: Vec<Box<dyn Projection>>,
    inputs: Vec<Box<dyn Input>>,
    monitors: Vec<Box<dyn Monitor>>,
    progress: Progress,
    spikes: u64,
    events: u64,
    /// Per synapse group: advanced by its postsynaptic population this step.
    fused: Vec<bool>,
    /// Per population: how many channels it takes this step.
    n_channels: Vec<usize>,
    /// Per population: an earlier group (in reverse order) could not be fused.
    closed: Vec<bool>,
    fusion: bool,
}

/// A handle to an installed projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjId(pub(crate) usize);

/// How many exponential synapse groups a population advances in its own loop.
pub const MAX_CHANNELS: usize = 2;

impl Network {
    /// An empty network with time step `dt` (checked: finite and > 0).
    pub fn new(dt: Time) -> Result<Self, NetworkError> {
        Ok(Self {
            dt: TimeStep::new(dt)?,
            step: 0,
            seed: 0,
            pops: Vec::new(),
            histories: Vec::new(),
            groups: Vec::new(),
            projections: Vec::new(),
            inputs: Vec::new(),
            monitors: Vec::new(),
            progress: Progress::Auto,
            spikes: 0,
            events: 0,
            fused: Vec::new(),
            n_channels: Vec::new(),
            closed: Vec::new(),
            fusion: true,
        })
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

    /// Whether populations may advance their exponential synapse groups in their own loop
    /// (default true). The results are the same either way (tested); turning it off is for
    /// checking that, and for measuring what fusion saves.
    pub fn fusion(mut self, on: bool) -> Self {
        self.fusion = on;
        self
    }

    /// [`Network::fusion`] on a built network.
    pub fn set_fusion(&mut self, on: bool) {
        self.fusion = on;
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

    /// Adds a population of neurons.
    pub fn add<N: Neuron>(&mut self, name: impl Into<String>, model: N) -> Pop<N> {
        let n = model.len();
        self.pops.push(Box::new(Population::new(name, model)));
        self.histories.push(SpikeHistory::new(1));
        Pop::new(self.pops.len() - 1, n)
    }

    /// Adds a spike source (a [`PoissonGroup`](crate::PoissonGroup), a
    /// [`SpikeTimeGroup`](crate::SpikeTimeGroup), or any other [`AnyPopulation`]).
    pub fn add_source<S: AnyPopulation>(&mut self, source: S) -> Pop<S> {
        let n = source.len();
        self.pops.push(Box::new(source));
        self.histories.push(SpikeHistory::new(1));
        Pop::new(self.pops.len() - 1, n)
    }

    /// Installs a projection (checks sizes and units, draws connectivity) and returns its
    /// handle (for [`Network::monitor_projection`]).
    pub fn connect(&mut self, spec: impl ProjectionSpec) -> Result<ProjId, NetworkError> {
        let seed = crate::seed_of(self.seed, self.projections.len() as u64);
        let proj = spec.install(Installer {
            pops: &self.pops,
            groups: &mut self.groups,
            dt: self.dt,
            seed,
        })?;
        let pre = proj.pre();
        self.histories[pre].ensure_depth(proj.max_delay() + 1);
        self.projections.push(proj);
        Ok(ProjId(self.projections.len() - 1))
    }

    /// Adds an input applied before every step.
    pub fn input(&mut self, input: impl Input + 'static) {
        self.inputs.push(Box::new(input));
    }

    /// Adds a Poisson background input (its unit is checked against the target state).
    pub fn poisson_input(&mut self, spec: PoissonInputSpec) -> Result<(), NetworkError> {
        spec.validate(&self.pops)?;
        self.inputs.push(Box::new(spec.input));
        Ok(())
    }

    /// Records every spike of a population.
    pub fn monitor_spikes<T>(&mut self, pop: Pop<T>) -> MonitorId<SpikeRecord> {
        self.monitors
            .push(Box::new(SpikeRecord::new(pop.index, pop.range(), self.dt)));
        MonitorId::new(self.monitors.len() - 1)
    }

    /// Records state `var` (BrainPy's name, e.g. `"V"`) of neurons `indices` every `every`
    /// steps, in the variable's canonical unit. For a slice, index k is element `start + k`
    /// of the population.
    pub fn monitor_state<T>(
        &mut self,
        pop: Pop<T>,
        var: &str,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord>, NetworkError> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= pop.len) {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "indices",
                bad.to_string(),
                format!("must be below the size of the monitored group, {}", pop.len),
            )
            .into());
        }
        let indices = indices.into_iter().map(|i| i + pop.offset).collect();
        self.monitor_target(Target::Population(pop.index), var, indices, every)
    }

    /// Records state `var` of a projection's synapses (BrainPy's `syn.g`: e.g. `"g"` of an
    /// align-post projection's synapse, sized like the postsynaptic population; `"g"` and
    /// `"g_post"` of a classic or align-pre one; `"u"`, `"x"`, `"released"` of its short-term
    /// plasticity) at `indices` every `every` steps.
    pub fn monitor_projection(
        &mut self,
        proj: ProjId,
        var: &str,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord>, NetworkError> {
        self.monitor_target(Target::Projection(proj.0), var, indices, every)
    }

    fn monitor_target(
        &mut self,
        target: Target,
        var: &str,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord>, NetworkError> {
        let world = World {
            pops: &self.pops,
            projections: &self.projections,
            groups: &self.groups,
        };
        let vars = world.state_vars(target);
        let owner = match target {
            Target::Population(p) => self.pops[p].model_name(),
            Target::Projection(p) => self.projections[p].name(),
        };
        let v = vars.iter().find(|v| v.name == var).ok_or_else(|| {
            let known: Vec<&str> = vars.iter().map(|v| v.name).collect();
            NetworkError::NotFound(format!(
                "monitor: {owner} has no state `{var}` (it has {})",
                known.join(", ")
            ))
        })?;
        let len = v.raw.len();
        if let Some(&bad) = indices.iter().find(|&&i| i >= len) {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "indices",
                bad.to_string(),
                format!("must be below the size of `{var}`, {len}"),
            )
            .into());
        }
        let unit = v.unit;
        drop(vars);
        self.monitors.push(Box::new(StateRecord::new(
            target, var, unit, indices, every, self.dt,
        )));
        Ok(MonitorId::new(self.monitors.len() - 1))
    }

    /// Records the spike count of a population each step.
    pub fn monitor_rate<T>(&mut self, pop: Pop<T>) -> MonitorId<RateRecord> {
        self.monitors
            .push(Box::new(RateRecord::new(pop.index, pop.range(), self.dt)));
        MonitorId::new(self.monitors.len() - 1)
    }

    /// A monitor's record.
    pub fn record<R: 'static>(&self, id: MonitorId<R>) -> &R {
        self.monitors[id.index]
            .as_any()
            .downcast_ref::<R>()
            .expect("monitor handles are typed")
    }

    /// A population of neurons.
    pub fn population<N: Neuron>(&self, pop: Pop<N>) -> &Population<N> {
        self.pops[pop.index]
            .as_any()
            .downcast_ref::<Population<N>>()
            .expect("population handles are typed")
    }

    /// A population of neurons, mutable (to change its state between runs).
    pub fn population_mut<N: Neuron>(&mut self, pop: Pop<N>) -> &mut Population<N> {
        self.pops[pop.index]
            .as_any_mut()
            .downcast_mut::<Population<N>>()
            .expect("population handles are typed")
    }

    /// Any population, type-erased.
    pub fn any_population<T>(&self, pop: Pop<T>) -> &dyn AnyPopulation {
        self.pops[pop.index].as_ref()
    }

    /// The state of the synapses shared by the align-post projections onto `post`
    /// (e.g. `"g"`), one entry per distinct synapse.
    pub fn synapse_states<T>(&self, post: Pop<T>) -> Vec<Vec<neurotype_models::StateVar<'_>>> {
        self.groups
            .iter()
            .filter(|g| g.post() == post.index)
            .map(|g| g.state_vars())
            .collect()
    }

    /// Number of distinct postsynaptic synapse states (after merging).
    pub fn n_synapse_groups(&self) -> usize {
        self.groups.len()
    }

    /// Total number of synapses.
    pub fn n_synapses(&self) -> usize {
        self.projections.iter().map(|p| p.n_synapses()).sum()
    }

    /// Advances the network by one step.
    pub fn step(&mut self) {
        let ctx = StepCtx::new(self.step, self.dt);
        for input in &mut self.inputs {
            input.apply(&ctx, &mut self.pops);
        }
        for proj in &mut self.projections {
            self.events += proj.deliver(&ctx, &self.histories, &mut self.pops, &mut self.groups);
        }
        // which groups the populations advance themselves: the last (at most MAX_CHANNELS)
        // groups of each population, if they can all be channels. The others add their
        // current to the drive first, so every sum is taken in group order, as unfused.
        self.fused.resize(self.groups.len(), false);
        self.n_channels.clear();
        self.n_channels.resize(self.pops.len(), 0);
        self.closed.clear();
        self.closed.resize(self.pops.len(), false);
        for (group, fused) in self.groups.iter_mut().zip(&mut self.fused).rev() {
            let post = group.post();
            *fused = self.fusion
                && !self.closed[post]
                && self.n_channels[post] < MAX_CHANNELS
                && group.channel(&ctx).is_some();
            self.n_channels[post] += usize::from(*fused);
            self.closed[post] |= !*fused;
        }
        for (group, &fused) in self.groups.iter_mut().zip(&self.fused) {
            if !fused {
                group.step(&ctx, &mut self.pops);
            }
        }
        for (p, (pop, history)) in self.pops.iter_mut().zip(&mut self.histories).enumerate() {
            let mut channels: [ExpChannel<'_>; MAX_CHANNELS] =
                core::array::from_fn(|_| ExpChannel::empty());
            let mut n = 0;
            if self.n_channels[p] > 0 {
                for (group, &fused) in self.groups.iter_mut().zip(&self.fused) {
                    if fused && group.post() == p {
                        channels[n] = group.channel(&ctx).expect("checked above");
                        n += 1;
                    }
                }
            }
            pop.step_with(&ctx, &mut channels[..n]);
            let spiked = pop.spiked();
            history.push(spiked);
            self.spikes += spiked.len() as u64;
        }
        let world = World {
            pops: &self.pops,
            projections: &self.projections,
            groups: &self.groups,
        };
        for m in &mut self.monitors {
            m.record(&ctx, &world);
        }
        for pop in &mut self.pops {
            pop.clear_inputs();
        }
        self.step += 1;
    }

    /// Runs for `duration` (a whole number of steps, by BrainPy's rounding rule), with a
    /// progress bar when standard error is a terminal. Runs continue from where the last one
    /// stopped.
    pub fn run(&mut self, duration: Time) -> Result<RunStats, NetworkError> {
        let steps = crate::delay::steps_of("Network::run", duration, self.dt)? as u64;
        for m in &mut self.monitors {
            m.reserve(steps as usize);
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
        let start = Instant::now();
        for k in 0..steps {
            self.step();
            if let Some(bar) = &bar {
                if (k + 1) % chunk == 0 {
                    bar.set_position(k + 1);
                }
            }
        }
        let wall = start.elapsed();
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        Ok(RunStats {
            steps,
            wall,
            spikes: self.spikes - spikes0,
            events: self.events - events0,
        })
    }

    /// Back to step 0: every population, synapse, projection and input to its initial state
    /// (random initial states are redrawn from their seeds), monitors emptied.
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
        for g in &mut self.groups {
            g.reset();
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
    }
}
