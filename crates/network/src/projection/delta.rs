//! BrainPy's `DeltaProj`: each arriving spike jumps the postsynaptic state.

use super::{Arrivals, Installer, Landing, Projection, ProjectionSpec, check_projection, missing};
use crate::comm::{Comm, Connections};
use crate::delay::{Delay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::Pop;
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::ShortTermPlasticity;
use neurotype_models::{Neuron, StepCtx};

/// BrainPy's `DeltaProj`: each arriving spike adds its weight to the postsynaptic jump
/// variable after integration — V for most models (weights in mV), g for CubaLIF/CobaLIF.
pub struct DeltaProj<A, N: Neuron> {
    pre: Pop<A>,
    post: Pop<N>,
    comm: Option<Comm<N::Jump>>,
    delay: Delay,
    stp: Option<ShortTermPlasticity>,
    name: String,
}

impl<A, N: Neuron> DeltaProj<A, N> {
    /// A projection from `pre` to `post`; set `comm`.
    pub fn new(pre: Pop<A>, post: Pop<N>) -> Self {
        Self {
            pre,
            post,
            comm: None,
            delay: Delay::None,
            stp: None,
            name: "DeltaProj".into(),
        }
    }

    /// Connectivity and weights (in the postsynaptic model's jump unit).
    pub fn comm(mut self, comm: Comm<N::Jump>) -> Self {
        self.comm = Some(comm);
        self
    }

    /// A transmission delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (any [`ShortTermPlasticity`]; scales
    /// each event's weights).
    pub fn stp(mut self, stp: impl Into<ShortTermPlasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// A name for messages.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

struct DeltaRuntime<W> {
    name: String,
    arrivals: Arrivals,
    connections: Connections<W>,
    post: usize,
}

impl<W: neurotype_units::Unitful + Send + Sync + 'static> Projection for DeltaRuntime<W> {
    fn name(&self) -> &str {
        &self.name
    }
    fn pre(&self) -> usize {
        self.arrivals.pre
    }
    fn post(&self) -> usize {
        self.post
    }
    fn max_delay(&self) -> usize {
        self.arrivals.delay.max()
    }
    fn min_delay(&self) -> usize {
        self.arrivals.delay.min()
    }
    fn landing(&self) -> Landing {
        Landing::Jumps
    }
    fn arrive(&mut self, ctx: &StepCtx, histories: &[SpikeHistory]) -> u64 {
        self.arrivals.arrive(ctx, &histories[self.arrivals.pre]);
        0
    }
    fn partition(&mut self, parts: &[core::ops::Range<usize>]) {
        self.connections.partition(parts);
    }
    fn deliver(&self, history: &SpikeHistory, part: usize, into: &mut [f64]) -> u64 {
        self.arrivals
            .scatter(&self.connections, history, part, into)
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        self.arrivals.visit_state(v);
    }
    fn reset(&mut self) {
        self.arrivals.reset();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.arrivals.state_vars()
    }
    fn n_synapses(&self) -> usize {
        self.connections.n_synapses()
    }
    fn synapse_bytes(&self) -> usize {
        self.connections.bytes()
    }
}

impl<A: 'static, N: Neuron> ProjectionSpec for DeltaProj<A, N>
where
    N::Jump: PartialOrd + Send + 'static,
{
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let what = self.name.clone();
        let comm = self.comm.ok_or_else(|| missing(&what, "comm"))?;
        check_projection(
            &what,
            (comm.n_pre, comm.n_post),
            &self.pre,
            &self.post,
            &net,
            self.stp.as_ref(),
        )?;
        let delay = self.delay.resolve(&what, self.pre.len(), net.dt)?;
        let connections = comm.build_onto(&what, net.seed, net.owned(&self.post))?;
        Ok(Box::new(DeltaRuntime::<N::Jump> {
            name: what,
            arrivals: Arrivals::new(self.pre, delay, self.stp),
            connections,
            post: self.post.index,
        }))
    }
}
