//! Transmission delays and the spike history they read from.

use neurotype_solvers::TimeStep;
use neurotype_units::{InvalidParameter, Time, Unitful, check};

/// The spikes of the last few steps of one population, newest first.
#[derive(Debug, Clone, Default)]
pub struct SpikeHistory {
    slots: Vec<Vec<u32>>,
    head: usize,
}

impl SpikeHistory {
    /// A history that remembers `depth` steps (at least one).
    pub fn new(depth: usize) -> Self {
        Self {
            slots: vec![Vec::new(); depth.max(1)],
            head: 0,
        }
    }

    /// Number of steps remembered.
    pub fn depth(&self) -> usize {
        self.slots.len()
    }

    /// Remembers at least `depth` steps from now on.
    pub fn ensure_depth(&mut self, depth: usize) {
        let more = depth.saturating_sub(self.slots.len());
        // new slots just before the newest one are, circularly, the oldest: every recorded
        // step keeps its age
        self.slots
            .splice(self.head..self.head, (0..more).map(|_| Vec::new()));
        self.head += more;
    }

    /// Hands the remembered spike lists to `v`, oldest last, for checkpoints.
    pub fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        let n = self.slots.len();
        for age in 0..n {
            v.list_u32(
                &format!("{age} steps ago"),
                &mut self.slots[(self.head + age) % n],
            );
        }
    }

    /// Records the spikes of a new step (reusing the oldest slot's allocation).
    pub fn push(&mut self, spiked: &[u32]) {
        self.head = (self.head + self.slots.len() - 1) % self.slots.len();
        let slot = &mut self.slots[self.head];
        slot.clear();
        slot.extend_from_slice(spiked);
    }

    /// Replaces the spikes of `age` steps ago (a distributed run completes them with the other
    /// ranks' spikes when they arrive).
    pub fn replace(&mut self, age: usize, spiked: &[u32]) {
        let n = self.slots.len();
        debug_assert!(age < n, "the history keeps {n} steps");
        let slot = &mut self.slots[(self.head + age) % n];
        slot.clear();
        slot.extend_from_slice(spiked);
    }

    /// The spikes of `age` steps ago (0 = the most recent step recorded).
    #[inline(always)]
    pub fn at(&self, age: usize) -> &[u32] {
        &self.slots[(self.head + age) % self.slots.len()]
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        for s in &mut self.slots {
            s.clear();
        }
    }
}

/// A transmission delay beyond the one-step latency every projection has (a spike emitted in
/// step n reaches its targets in step n + 1 + d).
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let pre = net.add_source(SpikeTimeGroup::new(1, &[0], &[1.0 * ms])?); // one spike at 1 ms
/// let post = net.add("post", Lif::builder(1).build()?);
/// let proj = net.connect(AlignPostProj::new(pre, post)
///     .comm(Comm::one_to_one(1, 0.5 * mS))
///     .syn(Expon::builder(1).tau(5.0 * ms).build()?)
///     .out(Cuba::default())
///     .delay(Delay::Time(2.0 * ms)))?; // 20 steps of 0.1 ms
/// let g = net.monitor_projection(proj, "g", vec![0], 1)?;
/// net.run(5.0 * ms)?;
/// let rec = net.record(g)?;
/// let first = rec.values().iter().position(|&g| g > 0.0).expect("the spike arrives");
/// // the synapse sees the spike at 1 ms + one step + 2 ms
/// assert!((rec.times_ms()[first] - 3.1).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Delay {
    /// No extra delay (BrainPy's `delay_step=None`).
    #[default]
    None,
    /// `d` extra steps for every presynaptic neuron.
    Steps(usize),
    /// A duration, converted to steps when the network is built.
    Time(Time),
    /// Extra steps per presynaptic neuron.
    PerNeuronSteps(Vec<usize>),
    /// A duration per presynaptic neuron.
    PerNeuronTime(Vec<Time>),
}

/// A duration as a whole number of steps, by BrainPy's rule: `round(d/dt)` when that is
/// within 1e-6 (relative) of `d/dt`, else `ceil(d/dt)`. Fractional delays are not split
/// between two steps (BrainPy's `InputDelay` interpolates; Brian2 and NEST round).
/// `name` is what the duration is (`"delay"`, `"duration"`), `max` the most steps allowed.
pub fn steps_of(
    owner: &str,
    name: &str,
    delay: Time,
    dt: TimeStep,
    max: u64,
) -> Result<usize, InvalidParameter> {
    check::non_negative(owner, name, delay)?;
    let x = neurotype_units::wide((delay / dt.get()).value);
    let r = x.round();
    let steps = if (x - r).abs() <= 1e-6 * r.max(1.0) {
        r
    } else {
        x.ceil()
    };
    if steps.is_nan() || steps > max as f64 {
        return Err(InvalidParameter::new(
            owner,
            name,
            delay.show().to_string(),
            format!(
                "must be at most {max} steps of dt = {} ({x:.3e} steps asked)",
                dt.get().show()
            ),
        ));
    }
    Ok(steps as usize)
}

/// The longest delay, in steps (the spike history keeps one list per step of delay): 2^20,
/// 105 s at dt = 0.1 ms.
pub const MAX_DELAY_STEPS: u64 = 1 << 20;

/// Checks a delay given in steps against [`MAX_DELAY_STEPS`].
fn checked_steps(owner: &str, d: usize) -> Result<usize, InvalidParameter> {
    if d as u64 <= MAX_DELAY_STEPS {
        Ok(d)
    } else {
        Err(InvalidParameter::new(
            owner,
            "delay_step",
            format!("{d} steps"),
            format!("must be at most {MAX_DELAY_STEPS} steps"),
        ))
    }
}

/// A delay resolved to steps: one value, or one per presynaptic neuron.
#[derive(Debug, Clone, PartialEq)]
pub enum ResolvedDelay {
    /// The same for all.
    Uniform(usize),
    /// Per presynaptic neuron.
    PerNeuron(Vec<usize>),
}

impl ResolvedDelay {
    /// The largest delay (the history depth needed is this + 1).
    pub fn max(&self) -> usize {
        match self {
            ResolvedDelay::Uniform(d) => *d,
            ResolvedDelay::PerNeuron(v) => v.iter().copied().max().unwrap_or(0),
        }
    }

    /// The smallest delay in steps.
    pub fn min(&self) -> usize {
        match self {
            ResolvedDelay::Uniform(d) => *d,
            ResolvedDelay::PerNeuron(v) => v.iter().copied().min().unwrap_or(0),
        }
    }
}

impl Delay {
    /// Resolves to steps for a presynaptic group of `n_pre` neurons.
    pub fn resolve(
        &self,
        owner: &str,
        n_pre: usize,
        dt: TimeStep,
    ) -> Result<ResolvedDelay, crate::NetworkError> {
        let time_steps = |t: Time| steps_of(owner, "delay", t, dt, MAX_DELAY_STEPS);
        let per_neuron = |v: Vec<usize>| -> Result<ResolvedDelay, crate::NetworkError> {
            if v.len() != n_pre {
                return Err(crate::NetworkError::size_mismatch(
                    owner,
                    "delays",
                    v.len(),
                    "pre",
                    n_pre,
                ));
            }
            Ok(ResolvedDelay::PerNeuron(v))
        };
        Ok(match self {
            Delay::None => ResolvedDelay::Uniform(0),
            Delay::Steps(d) => ResolvedDelay::Uniform(checked_steps(owner, *d)?),
            Delay::Time(t) => ResolvedDelay::Uniform(time_steps(*t)?),
            Delay::PerNeuronSteps(v) => per_neuron(
                v.iter()
                    .map(|&d| checked_steps(owner, d))
                    .collect::<Result<Vec<_>, _>>()?,
            )?,
            Delay::PerNeuronTime(v) => per_neuron(
                v.iter()
                    .map(|t| time_steps(*t))
                    .collect::<Result<Vec<_>, _>>()?,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurotype_units::prelude::*;

    #[test]
    fn history_returns_spikes_by_age() {
        let mut h = SpikeHistory::new(3);
        h.push(&[1]);
        h.push(&[2, 3]);
        h.push(&[]);
        assert_eq!(h.at(0), &[] as &[u32]);
        assert_eq!(h.at(1), &[2, 3]);
        assert_eq!(h.at(2), &[1]);
        h.push(&[7]);
        assert_eq!(h.at(0), &[7]);
        assert_eq!(h.at(2), &[2, 3]);
        h.ensure_depth(5);
        assert_eq!(h.at(0), &[7]);
        assert_eq!(h.at(2), &[2, 3]);
    }

    #[test]
    fn durations_round_like_brainpy() {
        let dt = TimeStep::new(0.1 * ms).unwrap();
        assert_eq!(
            steps_of("p", "delay", 1.0 * ms, dt, MAX_DELAY_STEPS).unwrap(),
            10
        );
        assert_eq!(
            steps_of("p", "delay", 0.3 * ms, dt, MAX_DELAY_STEPS).unwrap(),
            3
        ); // 2.9999999999999996 rounds
        assert_eq!(
            steps_of("p", "delay", 0.15 * ms, dt, MAX_DELAY_STEPS).unwrap(),
            2
        ); // ceil
        assert!(steps_of("p", "delay", -1.0 * ms, dt, MAX_DELAY_STEPS).is_err());
        assert!(steps_of("p", "delay", 1e9 * ms, dt, MAX_DELAY_STEPS).is_err());
    }
}
