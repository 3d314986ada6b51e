//! BrainPy's `CurrentProj` (align-pre): a presynaptic synapse projected through the weights.

use super::learning::{Learn, MakeLearning};
use super::{
    Arrivals, Installer, Landing, Projection, ProjectionSpec, check_projection, missing,
    post_population,
};
use crate::comm::{Comm, Connections};
use crate::delay::{Delay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::{AnyPopulation, Pop};
use crate::wiring::{CommWeight, RuleFor, StdpWeight};
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::{
    EventSynapse, PlasticityRule, ShortTermPlasticity, Stdp, SynapticOutput, Writer,
};
use neurotype_models::{Column, Neuron, StepCtx};
use neurotype_units::Real;

/// An align-pre projection (BrainPy's `CurrentProj`): a synapse sized like the presynaptic
/// group (AMPA, GABAa, BioNMDA, classic NMDA, ...) integrates the presynaptic spikes; its open
/// fractions go through the weights (`g_post,j = Σ_i w_ij·g_i`, weights are conductances) to
/// `out`.
pub struct AlignPreProj<A, N: Neuron, S, O> {
    pre: Pop<A>,
    post: Pop<N>,
    syn: Option<S>,
    comm: Option<Comm<N::Conductance>>,
    out: Option<O>,
    delay: Delay,
    stp: Option<ShortTermPlasticity>,
    rule: Option<Box<dyn MakeLearning<N::Conductance>>>,
    name: String,
}

impl<A, N: Neuron, S, O> AlignPreProj<A, N, S, O> {
    /// A projection from `pre` to `post`; set `syn`, `comm` and `out`.
    pub fn new(pre: Pop<A>, post: Pop<N>) -> Self {
        Self {
            pre,
            post,
            syn: None,
            comm: None,
            out: None,
            delay: Delay::None,
            stp: None,
            rule: None,
            name: "AlignPreProj".into(),
        }
    }

    /// The presynaptic synapse (as many elements as `pre`).
    pub fn syn(mut self, syn: S) -> Self {
        self.syn = Some(syn);
        self
    }

    /// Connectivity and maximal conductances (`g_max`).
    pub fn comm<W: CommWeight<N::Conductance>>(mut self, comm: Comm<W>) -> Self {
        self.comm = Some(W::into_comm(comm));
        self
    }

    /// The output (optional: without one the conductance reaches nobody, as with classic
    /// BrainPy's `output=None`).
    pub fn out(mut self, out: O) -> Self
    where
        O: SynapticOutput<N>,
    {
        self.out = Some(out);
        self
    }

    /// A transmission delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (any [`ShortTermPlasticity`]). The
    /// kinetic receptors (AMPA, GABAa, BioNMDA) use only the spike itself, as brainpy.state
    /// does; the classic NMDA, DualExponClassic and Alpha scale the event they add.
    pub fn stp(mut self, stp: impl Into<ShortTermPlasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// Spike-timing-dependent plasticity of the weights (BrainPy's `STDP_Song2000` on an
    /// align-pre projection), as [`AlignPostProj::stdp`](super::AlignPostProj::stdp): the
    /// changed weights carry the presynaptic open fractions from this step on.
    pub fn stdp<W: StdpWeight<N::Conductance>>(self, rule: Stdp<W>) -> Self
    where
        Stdp<N::Conductance>: PlasticityRule<W = N::Conductance>,
    {
        self.plasticity(W::into_rule(rule))
    }

    /// Any spike-timing plasticity rule (a [`PlasticityRule`]: the built-in [`Stdp`], or a
    /// rule declared with `synapse!` and `pre`/`post`/`weight`), applied in the order of
    /// [`neurotype_models::synapses::rule`]. Its variables can be monitored on the projection
    /// by their names, its weights as `w`.
    pub fn plasticity<R: RuleFor<N::Conductance>>(mut self, rule: R) -> Self {
        self.rule = Some(Box::new(rule));
        self
    }

    /// A name for messages and monitors.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

struct AlignPreRuntime<N: Neuron, S, O> {
    name: String,
    arrivals: Arrivals,
    syn: S,
    connections: Connections<N::Conductance>,
    learning: Option<Box<dyn Learn<N::Conductance>>>,
    out: Option<O>,
    writer: Writer,
    post: usize,
    g_post: Column<N::Conductance>,
}

impl<N, S, O> Projection for AlignPreRuntime<N, S, O>
where
    N: Neuron,
    S: EventSynapse,
    O: SynapticOutput<N> + Send + Sync + 'static,
{
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
        Landing::Own
    }
    fn arrive(&mut self, ctx: &StepCtx, histories: &[SpikeHistory]) -> u64 {
        self.arrivals.mark(ctx, &histories[self.arrivals.pre]);
        if let Some(learning) = &mut self.learning {
            learning.step(&self.arrivals, histories, &mut self.connections);
        }
        let (flags, _) = self.arrivals.marked();
        flags
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| self.connections.row_len(i) as u64)
            .sum()
    }
    fn advance(&mut self, ctx: &StepCtx, post: &mut dyn AnyPopulation) {
        let (flags, efficacy) = self.arrivals.marked();
        self.syn.update(ctx, flags, efficacy);
        let g = self.g_post.raw_mut();
        let open = self.syn.open().raw();
        match self.connections.all_to_all_weight() {
            // all-to-all with one weight: one sum for every target (O(n_pre + n_post))
            Some(w) => g.fill(w * open.iter().sum::<Real>()),
            None => {
                g.fill(0.0);
                for (i, &open) in open.iter().enumerate() {
                    if open != 0.0 {
                        self.connections.scatter(i, open, g);
                    }
                }
            }
        }
        if let Some(out) = &self.out {
            let post = post_population::<N>(post);
            out.apply(
                &self.g_post,
                post.model.potential(),
                &mut post.drive,
                self.writer,
            );
        }
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        self.arrivals.visit_state(v);
        v.enter("synapses");
        neurotype_models::snapshot::Snapshot::visit_state(&mut self.syn, v);
        v.leave();
        v.floats("g_post", self.g_post.raw_mut());
        if let Some(learning) = &mut self.learning {
            learning.visit_state(v, &mut self.connections);
        }
    }
    fn reset(&mut self) {
        self.arrivals.reset();
        self.syn.reset_state();
        if let Some(learning) = &mut self.learning {
            learning.reset(&mut self.connections);
        }
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        let mut vars = self.syn.state_vars();
        vars.push(StateVar::of("g_post", &self.g_post));
        vars.extend(self.arrivals.state_vars());
        if let Some(learning) = &self.learning {
            vars.extend(learning.state_vars(&self.connections));
        }
        vars
    }
    fn n_synapses(&self) -> usize {
        self.connections.n_synapses()
    }
    fn synapse_bytes(&self) -> usize {
        self.connections.bytes()
    }
}

impl<A: 'static, N, S, O> ProjectionSpec for AlignPreProj<A, N, S, O>
where
    N: Neuron,
    S: EventSynapse,
    O: SynapticOutput<N> + Send + Sync + 'static,
    N::Conductance: PartialOrd,
{
    fn install(self, mut net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let what = self.name.clone();
        let comm = self.comm.ok_or_else(|| missing(&what, "comm"))?;
        let syn = self.syn.ok_or_else(|| missing(&what, "syn"))?;
        check_projection(
            &what,
            (comm.n_pre, comm.n_post),
            &self.pre,
            &self.post,
            &net,
            self.stp.as_ref(),
        )?;
        let pre_pop = &net.pops[self.pre.index];
        if syn.len() != self.pre.len() {
            return Err(NetworkError::size_mismatch(
                &what,
                format!("syn ({})", syn.model_name()),
                syn.len(),
                format!("pre ({})", pre_pop.model_name()),
                self.pre.len(),
            ));
        }
        let delay = self.delay.resolve(&what, self.pre.len(), net.dt)?;
        let mut connections = comm.build(&what, net.seed)?;
        let conductance = self.out.as_ref().is_some_and(|o| o.conductance());
        crate::comm::check_conductance_weights(&what, conductance, &connections)?;
        let n_post = net.pops[self.post.index].len();
        let learning = match &self.rule {
            Some(rule) => {
                Some(rule.make(&what, net.dt, (self.post.index, n_post), &mut connections)?)
            }
            None => None,
        };
        let post = net.post_population(&self.post);
        let writer = post.new_writer();
        Ok(Box::new(AlignPreRuntime::<N, S, O> {
            name: what,
            arrivals: Arrivals::new(self.pre, delay, self.stp),
            syn,
            connections,
            learning,
            out: self.out,
            writer,
            post: self.post.index,
            g_post: Column::zeros(n_post),
        }))
    }
}
