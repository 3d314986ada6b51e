//! Absolute refractoriness, BrainPy's `...Ref` models.

use crate::column::Column;
use crate::param::Param;
use neurotype_units::{InvalidParameter, Time, constants::ms};

/// BrainPy's initial `last_spike_time`: far in the past.
pub const NEVER: f64 = -1e7;

/// Refractory bookkeeping: a neuron is refractory while `t − last_spike_time < τ_ref` (strict,
/// on the float64 times `i·dt`, as BrainPy), and its held variables keep their post-reset
/// values.
#[derive(Clone, Debug)]
pub struct Refractory {
    /// Refractory period.
    pub tau_ref: Param<Time>,
    /// Time of each neuron's last spike (−1e7 ms initially).
    pub last_spike_time: Column<Time>,
    /// BrainPy's optional `ref_var` output: refractory at the start of the step, or spiked in it.
    pub flag: Option<Vec<bool>>,
}

impl Refractory {
    /// Bookkeeping for `n` neurons.
    pub fn new(n: usize, tau_ref: Param<Time>, ref_var: bool) -> Self {
        Self {
            tau_ref,
            last_spike_time: Column::filled(n, NEVER * ms),
            flag: ref_var.then(|| vec![false; n]),
        }
    }

    /// Validates τ_ref (finite, ≥ 0, right length).
    pub fn check(&self, owner: &str, n: usize) -> Result<(), InvalidParameter> {
        self.tau_ref.check_shape(owner, "tau_ref", n)?;
        self.tau_ref.check_non_negative(owner, "tau_ref")
    }

    /// Whether neuron `i` is refractory at time `t` (decided from the spike time stored before
    /// this step).
    #[inline(always)]
    pub fn is_refractory(&self, i: usize, t: Time) -> bool {
        (t - self.last_spike_time.get(i)) < self.tau_ref.at(i)
    }

    /// Records the outcome of the step for neuron `i`.
    #[inline(always)]
    pub fn record(&mut self, i: usize, t: Time, refractory: bool, spiked: bool) {
        if spiked {
            self.last_spike_time.set(i, t);
        }
        if let Some(flag) = &mut self.flag {
            flag[i] = refractory || spiked;
        }
    }

    /// Forgets all spikes.
    pub fn reset(&mut self) {
        self.last_spike_time.fill(NEVER * ms);
        if let Some(flag) = &mut self.flag {
            flag.fill(false);
        }
    }
}
