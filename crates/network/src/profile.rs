//! Where a run's time goes: by stage of the step and by population and projection (Brian2's
//! `profile=True`), when [`Network::profile`](crate::Network::profile) is on.
//!
//! Stages are wall time on the thread that runs the step. A population's neuron time is
//! summed over the threads that advance its parts (so, with threads, the neurons row of the
//! populations can exceed the neurons stage, which is their wall time).

use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of [`Network::step`](crate::Network::step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Inputs write drives and states (currents, Poisson backgrounds, noise).
    Inputs,
    /// Projections take in arriving spikes (plasticity, align-pre events) and advance their
    /// own synapses.
    Projections,
    /// Arriving spikes are delivered into the synapse groups and drives of their targets.
    Delivery,
    /// Synapse groups that are not advanced inside a neuron loop step and write their output.
    Synapses,
    /// The neuron loops (with the synapse groups they advance inline), on all threads.
    Neurons,
    /// Spikes enter the histories (and are exchanged between ranks).
    Spikes,
    /// Monitors record.
    Monitors,
    /// Everything else: clearing the workspace, writing streamed records, health checks,
    /// checkpoints, the progress bar.
    Other,
}

impl Stage {
    /// Every stage, in the order of the step.
    pub const ALL: [Stage; 8] = [
        Stage::Inputs,
        Stage::Projections,
        Stage::Delivery,
        Stage::Synapses,
        Stage::Neurons,
        Stage::Spikes,
        Stage::Monitors,
        Stage::Other,
    ];

    /// Its name in a report.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Inputs => "inputs",
            Stage::Projections => "projections",
            Stage::Delivery => "delivery",
            Stage::Synapses => "synapses",
            Stage::Neurons => "neurons",
            Stage::Spikes => "spikes",
            Stage::Monitors => "monitors",
            Stage::Other => "other",
        }
    }
}

/// A population's share of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationTime {
    /// Its name.
    pub name: String,
    /// Delivering the spikes that arrive onto it.
    pub delivery: Duration,
    /// Advancing its synapse groups outside its neuron loop.
    pub synapses: Duration,
    /// Its neuron loop (a source: drawing its spikes), summed over threads.
    pub neurons: Duration,
}

/// A projection's share of a run (taking in spikes, advancing the synapses it owns).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionTime {
    /// Its name.
    pub name: String,
    /// Its time.
    pub time: Duration,
}

/// Where a run's time went.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Wall time of the run.
    pub wall: Duration,
    /// Wall time of each stage, in the order of [`Stage::ALL`]; they add up to `wall`.
    pub stages: Vec<(Stage, Duration)>,
    /// Per population, in the order they were added.
    pub populations: Vec<PopulationTime>,
    /// Per projection, in the order they were connected.
    pub projections: Vec<ProjectionTime>,
}

impl Profile {
    /// The wall time of `stage`.
    pub fn stage(&self, stage: Stage) -> Duration {
        self.stages
            .iter()
            .find(|(s, _)| *s == stage)
            .map_or(Duration::ZERO, |(_, d)| *d)
    }
}

fn share(d: Duration, of: Duration) -> f64 {
    100.0 * d.as_secs_f64() / of.as_secs_f64().max(1e-12)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

impl fmt::Display for Profile {
    /// A table of the stages, then of the populations and projections, in ms and % of the
    /// run's wall time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wall = self.wall;
        writeln!(f, "profile of a run of {:.1} ms wall time", millis(wall))?;
        writeln!(f, "  {:<28} {:>10} {:>7}", "stage", "ms", "%")?;
        for (stage, d) in &self.stages {
            writeln!(
                f,
                "  {:<28} {:>10.2} {:>6.1}%",
                stage.name(),
                millis(*d),
                share(*d, wall)
            )?;
        }
        if !self.populations.is_empty() {
            writeln!(
                f,
                "  {:<28} {:>10} {:>10} {:>10}",
                "population", "delivery", "synapses", "neurons"
            )?;
            for p in &self.populations {
                writeln!(
                    f,
                    "  {:<28} {:>10.2} {:>10.2} {:>10.2}",
                    p.name,
                    millis(p.delivery),
                    millis(p.synapses),
                    millis(p.neurons)
                )?;
            }
        }
        if !self.projections.is_empty() {
            writeln!(f, "  {:<28} {:>10}", "projection", "ms")?;
            for p in &self.projections {
                writeln!(f, "  {:<28} {:>10.2}", p.name, millis(p.time))?;
            }
        }
        Ok(())
    }
}

/// Time accumulated by a population while it steps, from any thread.
#[derive(Debug, Default)]
pub struct PopClock {
    delivery: AtomicU64,
    synapses: AtomicU64,
    neurons: AtomicU64,
}

/// Which part of a population's step a time belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    Delivery,
    Synapses,
    Neurons,
}

impl PopClock {
    /// Adds the time since `since` to `part`.
    pub(crate) fn add(&self, part: Part, since: Instant) {
        let ns = since.elapsed().as_nanos() as u64;
        let slot = match part {
            Part::Delivery => &self.delivery,
            Part::Synapses => &self.synapses,
            Part::Neurons => &self.neurons,
        };
        slot.fetch_add(ns, Ordering::Relaxed);
    }

    /// The times so far: delivery, synapses, neurons.
    pub(crate) fn times(&self) -> [Duration; 3] {
        [&self.delivery, &self.synapses, &self.neurons]
            .map(|a| Duration::from_nanos(a.load(Ordering::Relaxed)))
    }
}

/// Starts a lap when `on`.
#[inline]
pub(crate) fn lap(on: bool) -> Option<Instant> {
    on.then(Instant::now)
}

/// Times `f` into `part` of `clock`, if there is a clock.
#[inline]
pub(crate) fn timed<T>(clock: Option<&PopClock>, part: Part, f: impl FnOnce() -> T) -> T {
    match clock {
        Some(c) => {
            let t = Instant::now();
            let out = f();
            c.add(part, t);
            out
        }
        None => f(),
    }
}

/// What the network accumulates during a profiled run.
#[derive(Debug, Default)]
pub(crate) struct Timing {
    /// Wall time per stage; delivery, synapses and neurons are kept together under
    /// [`Stage::Neurons`] until the report splits them.
    pub(crate) stages: [Duration; 8],
    /// Per population: its step's time outside any clock (a source drawing its spikes).
    pub(crate) sources: Vec<Duration>,
    /// Per projection.
    pub(crate) projections: Vec<Duration>,
}

impl Timing {
    pub(crate) fn new(pops: usize, projections: usize) -> Self {
        Self {
            stages: [Duration::ZERO; 8],
            sources: vec![Duration::ZERO; pops],
            projections: vec![Duration::ZERO; projections],
        }
    }

    /// Makes room for populations and projections added since it was made.
    pub(crate) fn fit(&mut self, pops: usize, projections: usize) {
        if self.sources.len() < pops {
            self.sources.resize(pops, Duration::ZERO);
        }
        if self.projections.len() < projections {
            self.projections.resize(projections, Duration::ZERO);
        }
    }

    /// Adds the time since `t` (a lap started when profiling) to the slot `slot` picks.
    #[inline]
    pub(crate) fn add(
        timing: &mut Option<Box<Timing>>,
        slot: impl FnOnce(&mut Timing) -> &mut Duration,
        t: Option<Instant>,
    ) {
        if let (Some(timing), Some(t)) = (timing.as_deref_mut(), t) {
            *slot(timing) += t.elapsed();
        }
    }

    /// Adds the time since `t` to `stage` and starts the next lap.
    #[inline]
    pub(crate) fn mark(timing: &mut Option<Box<Timing>>, stage: Stage, t: &mut Option<Instant>) {
        if let (Some(timing), Some(start)) = (timing.as_deref_mut(), t.as_mut()) {
            let now = Instant::now();
            timing.stages[stage as usize] += now - *start;
            *start = now;
        }
    }

    /// The report of a run of `wall`. The populations' wall time is split into delivery,
    /// synapses and neurons in proportion to their clocks (on one thread the clocks cover all
    /// but the bookkeeping between them, which is shared out in the same proportion; with
    /// threads the clocks sum the threads' time).
    pub(crate) fn report(
        &self,
        wall: Duration,
        pops: Vec<(String, Option<[Duration; 3]>)>,
        projections: Vec<String>,
    ) -> Profile {
        let mut populations = Vec::with_capacity(pops.len());
        let mut sums = [Duration::ZERO; 3];
        for ((name, clock), source) in pops.into_iter().zip(&self.sources) {
            let [delivery, synapses, neurons] = clock.unwrap_or_default();
            let neurons = neurons + *source;
            for (sum, d) in sums.iter_mut().zip([delivery, synapses, neurons]) {
                *sum += d;
            }
            populations.push(PopulationTime {
                name,
                delivery,
                synapses,
                neurons,
            });
        }
        let pooled = self.stages[Stage::Neurons as usize];
        let total: f64 = sums.iter().map(Duration::as_secs_f64).sum();
        let part = |d: Duration| {
            if total > 0.0 {
                pooled.mul_f64(d.as_secs_f64() / total)
            } else {
                Duration::ZERO
            }
        };
        let mut stages: Vec<(Stage, Duration)> = Stage::ALL
            .iter()
            .map(|&s| (s, self.stages[s as usize]))
            .collect();
        stages[Stage::Delivery as usize].1 = part(sums[0]);
        stages[Stage::Synapses as usize].1 = part(sums[1]);
        stages[Stage::Neurons as usize].1 = pooled.saturating_sub(part(sums[0]) + part(sums[1]));
        let counted: Duration = stages[..Stage::Other as usize]
            .iter()
            .map(|(_, d)| *d)
            .sum();
        stages[Stage::Other as usize].1 = wall.saturating_sub(counted);
        Profile {
            wall,
            stages,
            populations,
            projections: projections
                .into_iter()
                .zip(&self.projections)
                .map(|(name, &time)| ProjectionTime { name, time })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use neurotype_models::prelude::*;

    /// The stages add up to the run's wall time, every population and projection has its
    /// row, and a profiled run gives the spikes of an unprofiled one.
    #[test]
    fn a_profile_accounts_for_the_whole_run() -> Result<(), Box<dyn std::error::Error>> {
        let build = |profile: bool| -> Result<_, Box<dyn std::error::Error>> {
            let mut net = Network::new(0.1 * ms)?.seed(5).progress(Progress::Never);
            net.set_profile(profile);
            let e = net.add("E", Lif::builder(200).v_init(-60.0 * mV).build()?);
            let poisson = net.add_source(PoissonGroup::new(100, 20.0 * Hz, 3)?);
            net.connect(
                AlignPostProj::new(poisson, e)
                    .comm(Comm::fixed_prob(100, 200, 0.2, 3.0 * nS))
                    .syn(Expon::builder(200).tau(5.0 * ms).build()?)
                    .out(Coba::new(0.0 * mV)?),
            )?;
            let spikes = net.monitor_spikes(e)?;
            Ok((net, spikes))
        };
        let (mut net, spikes) = build(true)?;
        let stats = net.run(50.0 * ms)?;
        let profile = stats.profile.expect("profiled");
        assert_eq!(profile.wall, stats.wall);
        let sum: Duration = profile.stages.iter().map(|(_, d)| *d).sum();
        let slack = Duration::from_micros(1);
        assert!(sum <= profile.wall + slack && profile.wall <= sum + slack);
        assert!(profile.stage(Stage::Neurons) > Duration::ZERO);
        let names: Vec<&str> = profile
            .populations
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names.len(), 2);
        assert!(
            profile
                .populations
                .iter()
                .all(|p| p.neurons > Duration::ZERO)
        );
        assert_eq!(profile.projections.len(), 1);
        assert_eq!(
            profile.projections[0].name,
            "PoissonSpike->E#0 (AlignPostProj)"
        );
        let table = profile.to_string();
        for row in ["inputs", "delivery", "neurons", "monitors", "E"] {
            assert!(table.contains(row), "{table}");
        }
        // stepping by hand with profiling on, also after adding to the network, is fine too
        net.add("late", Lif::builder(3).build()?);
        net.step();
        assert!(
            net.run(1.0 * ms)?
                .profile
                .is_some_and(|p| p.populations.len() == 3)
        );
        // timing changes nothing
        let (mut plain, plain_spikes) = build(false)?;
        assert!(plain.run(50.0 * ms)?.profile.is_none());
        assert_eq!(net.record(spikes)?.steps, plain.record(plain_spikes)?.steps);
        assert_eq!(
            net.record(spikes)?.neurons,
            plain.record(plain_spikes)?.neurons
        );
        Ok(())
    }
}
