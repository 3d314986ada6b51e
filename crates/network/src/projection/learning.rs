//! Spike-timing-dependent plasticity as a projection applies it: the traces, and the weight
//! updates at presynaptic arrivals and postsynaptic spikes (the rule and its equations are
//! [`Stdp`]).

use super::Arrivals;
use crate::comm::Connections;
use crate::delay::SpikeHistory;
use crate::error::NetworkError;
use neurotype_models::neuron::StateVar;
use neurotype_models::snapshot::StateVisitor;
use neurotype_models::synapses::{Stdp, StdpKernel};
use neurotype_solvers::TimeStep;
use neurotype_units::{Ratio, Unitful};

/// A projection's STDP state: one trace per presynaptic element of its slice and one per
/// postsynaptic neuron, and the initial weights (for a reset).
pub(crate) struct Learning {
    kernel: StdpKernel,
    post: usize,
    /// x_i, the presynaptic traces.
    pre_trace: Vec<f64>,
    /// y_j, the postsynaptic traces.
    post_trace: Vec<f64>,
    /// The weights the projection was built with.
    initial: Vec<f64>,
}

impl Learning {
    /// Makes `connections`' weights plastic under `rule`; the weights must lie within its
    /// bounds.
    pub(crate) fn new<W: Unitful + PartialOrd>(
        owner: &str,
        rule: &Stdp<W>,
        dt: TimeStep,
        post: (usize, usize),
        connections: &mut Connections<W>,
    ) -> Result<Self, NetworkError> {
        connections.make_plastic(owner)?;
        let w = connections
            .plastic_weights()
            .expect("just made plastic")
            .to_vec();
        for (k, &x) in w.iter().enumerate() {
            rule.check_weight(owner, &format!("weights[{k}]"), W::from_raw(x))?;
        }
        Ok(Self {
            kernel: rule.kernel(dt.get()),
            post: post.0,
            pre_trace: vec![0.0; connections.n_pre()],
            post_trace: vec![0.0; post.1],
            initial: w,
        })
    }

    /// One step, before delivery: the traces decay and take in this step's presynaptic
    /// arrivals and the postsynaptic spikes of the last step; the arrivals depress their
    /// synapses (by the postsynaptic traces), then the postsynaptic spikes potentiate their
    /// afferent synapses (by the presynaptic traces). BrainPy's order; the spikes are then
    /// delivered with the new weights.
    pub(crate) fn step<W: Unitful>(
        &mut self,
        arrivals: &Arrivals,
        histories: &[SpikeHistory],
        connections: &mut Connections<W>,
    ) {
        let k = self.kernel;
        let pre_history = &histories[arrivals.pre];
        let post_spikes = histories[self.post].at(0);
        for x in &mut self.pre_trace {
            *x *= k.decay_pre;
        }
        for y in &mut self.post_trace {
            *y *= k.decay_post;
        }
        for &j in post_spikes {
            self.post_trace[j as usize] = k.bump(self.post_trace[j as usize]);
        }
        // one pass over the arrivals: each takes in its spike and depresses its synapses (by
        // the postsynaptic traces, already complete)
        let (pre_trace, post_trace) = (&mut self.pre_trace, &self.post_trace);
        arrivals.each(pre_history, |i| {
            pre_trace[i] = k.bump(pre_trace[i]);
            connections.update_row(i, |w, j| k.depress(w, post_trace[j]));
        });
        let pre_trace = &self.pre_trace;
        for &j in post_spikes {
            connections.update_afferents(j as usize, |w, i| k.potentiate(w, pre_trace[i]));
        }
    }

    /// Back to the initial weights and empty traces.
    pub(crate) fn reset<W: Unitful>(&mut self, connections: &mut Connections<W>) {
        self.pre_trace.fill(0.0);
        self.post_trace.fill(0.0);
        if let Some(w) = connections.plastic_weights_mut() {
            w.copy_from_slice(&self.initial);
        }
    }

    /// The traces and weights, for checkpoints.
    pub(crate) fn visit_state<W: Unitful>(
        &mut self,
        v: &mut dyn StateVisitor,
        connections: &mut Connections<W>,
    ) {
        v.enter("stdp");
        v.floats("pre_trace", &mut self.pre_trace);
        v.floats("post_trace", &mut self.post_trace);
        if let Some(w) = connections.plastic_weights_mut() {
            v.floats("w", w);
        }
        v.leave();
    }

    /// Views: `w` (one per synapse, connectivity order), `pre_trace`, `post_trace`.
    pub(crate) fn state_vars<'a, W: Unitful>(
        &'a self,
        connections: &'a Connections<W>,
    ) -> Vec<StateVar<'a>> {
        let mut vars = Vec::with_capacity(3);
        if let Some(w) = connections.plastic_weights() {
            vars.push(StateVar::of_raw::<W>("w", w));
        }
        vars.push(StateVar::of_raw::<Ratio>("pre_trace", &self.pre_trace));
        vars.push(StateVar::of_raw::<Ratio>("post_trace", &self.post_trace));
        vars
    }
}
