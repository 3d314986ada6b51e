//! BrainPy's `DeltaProj`: each arriving spike jumps the postsynaptic state.

use super::{Arrivals, Installer, Landing, Projection, ProjectionSpec, check_projection, missing};
use crate::comm::{Comm, Connections};
use crate::delay::{Delay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::{AnyPopulation, Pop};
use crate::wiring::CommWeight;
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::ShortTermPlasticity;
use neurotype_models::{Neuron, StepCtx};
use neurotype_units::Real;

/// BrainPy's `DeltaProj`: each arriving spike adds its weight to the postsynaptic jump
/// variable after integration — V for most models (weights in mV), g for CubaLIF/CobaLIF.
pub struct DeltaProj<A, N: Neuron> {
    pre: Pop<A>,
    post: Pop<N>,
    comm: Option<Comm<N::Jump>>,
    delay: Delay,
    stp: Option<ShortTermPlasticity>,
    before_integration: bool,
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
            before_integration: false,
            name: "DeltaProj".into(),
        }
    }

    /// Connectivity and weights (in the postsynaptic model's jump unit).
    pub fn comm<W: CommWeight<N::Jump>>(mut self, comm: Comm<W>) -> Self {
        self.comm = Some(W::into_comm(comm));
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

    /// Classic BrainPy's timing (`brainpy.synapses.Delta`, output `CUBA(target_var='V')`):
    /// the jumps are added to the postsynaptic `V` when the projection updates, before the
    /// neurons integrate the step, so they decay with it; brainpy.state's `DeltaProj` (the
    /// default) adds them after the integration.
    pub fn before_integration(mut self) -> Self {
        self.before_integration = true;
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
    /// Classic timing: this step's jumps, added to the postsynaptic V before integration.
    early: Option<Vec<Real>>,
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
        if self.early.is_some() {
            Landing::Own
        } else {
            Landing::Jumps
        }
    }
    fn arrive(&mut self, ctx: &StepCtx, histories: &[SpikeHistory]) -> u64 {
        let history = &histories[self.arrivals.pre];
        self.arrivals.arrive(ctx, history);
        let Some(jumps) = &mut self.early else {
            return 0;
        };
        jumps.fill(0.0);
        let (mut events, connections) = (0, &self.connections);
        self.arrivals.each_arrived(history, |i, efficacy| {
            events += connections.scatter(i, efficacy, jumps);
        });
        events
    }
    fn advance(&mut self, _ctx: &StepCtx, post: &mut dyn AnyPopulation) {
        let Some(jumps) = &self.early else {
            return;
        };
        if let Some(v) = post.state_var_mut("V") {
            for (x, j) in v.raw.iter_mut().zip(jumps) {
                *x += j;
            }
        }
    }
    fn partition(&mut self, parts: &[core::ops::Range<usize>]) {
        self.connections.partition(parts);
    }
    fn prefetch(&self, histories: &[SpikeHistory]) {
        self.arrivals
            .prefetch(&self.connections, &histories[self.arrivals.pre]);
    }
    fn deliver(&self, history: &SpikeHistory, part: usize, into: &mut [Real], scale: Real) -> u64 {
        self.arrivals
            .scatter(&self.connections, history, part, into, scale)
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
        let post = &net.pops[self.post.index];
        let early = if self.before_integration {
            if !post.state_vars().iter().any(|v| v.name == "V") {
                return Err(neurotype_units::InvalidParameter::new(
                    &what,
                    "before_integration",
                    post.model_name(),
                    "needs a postsynaptic model with a state `V`",
                )
                .into());
            }
            // every synapse is held: the jumps are added to the whole population
            Some(vec![0.0; post.len()])
        } else {
            None
        };
        let connections = match early {
            Some(_) => comm.build(&what, net.seed)?,
            None => comm.build_onto(&what, net.seed, net.owned(&self.post))?,
        };
        Ok(Box::new(DeltaRuntime::<N::Jump> {
            name: what,
            arrivals: Arrivals::new(self.pre, delay, self.stp),
            connections,
            post: self.post.index,
            early,
        }))
    }
}
