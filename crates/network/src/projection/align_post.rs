//! BrainPy's `AlignPostProj`: spikes → connectivity → a postsynaptic synapse → output.

use super::group::PostGroup;
use super::learning::{Learn, MakeLearning};
use super::{Arrivals, Installer, Landing, Projection, ProjectionSpec, check_projection, missing};
use crate::comm::{Comm, Connections};
use crate::delay::{Delay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::Pop;
use crate::wiring::{CommWeight, RuleFor, StdpWeight};
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::{
    IncrementSynapse, PlasticityRule, ShortTermPlasticity, Stdp, SynapticOutput,
};
use neurotype_models::{Neuron, StepCtx};
use neurotype_units::Real;

/// BrainPy's `AlignPostProj`: spikes → `comm` → postsynaptic synapse `syn` → `out` → `post`.
///
/// ```text
/// AlignPostProj::new(pre, post)
///     .comm(Comm::event_fixed_prob(3200, 4000, 0.02, 0.6 * mS))
///     .syn(Expon::builder(4000).tau(5.0 * ms).build()?)
///     .out(Coba::new(0.0 * mV)?)
/// ```
///
/// `syn` must have as many elements as `post`; `comm` must go from `pre` to `post`. Several
/// projections onto one population whose synapses and outputs have equal parameters share a
/// single synapse state (their increments add), which is BrainPy's merging behaviour. The
/// state is owned by the postsynaptic population, which advances it (inside its own neuron
/// loop when it is an exponential synapse behind an affine output).
pub struct AlignPostProj<A, N: Neuron, S: IncrementSynapse, O> {
    pre: Pop<A>,
    post: Pop<N>,
    comm: Option<Comm<S::G>>,
    syn: Option<S>,
    out: Option<O>,
    delay: Delay,
    stp: Option<ShortTermPlasticity>,
    rule: Option<Box<dyn MakeLearning<S::G>>>,
    name: String,
}

impl<A, N: Neuron, S: IncrementSynapse, O> AlignPostProj<A, N, S, O> {
    /// A projection from `pre` to `post`; set `comm`, `syn` and `out`.
    pub fn new(pre: Pop<A>, post: Pop<N>) -> Self {
        Self {
            pre,
            post,
            comm: None,
            syn: None,
            out: None,
            delay: Delay::None,
            stp: None,
            rule: None,
            name: "AlignPostProj".into(),
        }
    }

    /// Connectivity and weights (weights have the synapse variable's unit: conductances of
    /// the postsynaptic model for COBA and CUBA outputs).
    pub fn comm<W: CommWeight<S::G>>(mut self, comm: Comm<W>) -> Self {
        self.comm = Some(W::into_comm(comm));
        self
    }

    /// The postsynaptic synapse.
    pub fn syn(mut self, syn: S) -> Self {
        self.syn = Some(syn);
        self
    }

    /// The output.
    pub fn out(mut self, out: O) -> Self
    where
        O: SynapticOutput<N, S::G>,
    {
        self.out = Some(out);
        self
    }

    /// A transmission delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (scales each event's weights): [`Stp`],
    /// [`Std`] or their classic forms (see [`ShortTermPlasticity`]).
    ///
    /// [`Stp`]: neurotype_models::synapses::Stp
    /// [`Std`]: neurotype_models::synapses::Std
    pub fn stp(mut self, stp: impl Into<ShortTermPlasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// Spike-timing-dependent plasticity of the weights (BrainPy's `STDP_Song2000` on an
    /// align-post projection): each synapse gets its own weight, which the rule changes at
    /// presynaptic arrivals and postsynaptic spikes before the step's spikes are delivered.
    /// The weights (`w`, connectivity order) and traces (`pre_trace`, `post_trace`) can be
    /// monitored on the projection. Needs stored sparse connectivity; the initial weights
    /// must lie within the rule's bounds.
    pub fn stdp<W: StdpWeight<S::G>>(self, rule: Stdp<W>) -> Self
    where
        Stdp<S::G>: PlasticityRule<W = S::G>,
    {
        self.plasticity(W::into_rule(rule))
    }

    /// Any spike-timing plasticity rule (a [`PlasticityRule`]: the built-in [`Stdp`], or a
    /// rule declared with `synapse!` and `pre`/`post`/`weight`), applied in the order of
    /// [`neurotype_models::synapses::rule`]. Its variables can be monitored on the projection
    /// by their names, its weights as `w`.
    pub fn plasticity<R: RuleFor<S::G>>(mut self, rule: R) -> Self {
        self.rule = Some(Box::new(rule));
        self
    }

    /// A name for messages and monitors.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

struct AlignPostRuntime<W> {
    name: String,
    arrivals: Arrivals,
    post: usize,
    connections: Connections<W>,
    learning: Option<Box<dyn Learn<W>>>,
    group: usize,
}

impl<W: neurotype_units::Unitful + Send + Sync + 'static> Projection for AlignPostRuntime<W> {
    fn name(&self) -> &str {
        &self.name
    }
    fn landing(&self) -> Landing {
        Landing::Group(self.group)
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
    fn arrive(&mut self, ctx: &StepCtx, histories: &[SpikeHistory]) -> u64 {
        self.arrivals.arrive(ctx, &histories[self.arrivals.pre]);
        if let Some(learning) = &mut self.learning {
            learning.step(&self.arrivals, histories, &mut self.connections);
        }
        0
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
        if let Some(learning) = &mut self.learning {
            learning.visit_state(v, &mut self.connections);
        }
    }
    fn reset(&mut self) {
        self.arrivals.reset();
        if let Some(learning) = &mut self.learning {
            learning.reset(&mut self.connections);
        }
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        let mut vars = self.arrivals.state_vars();
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

impl<A: 'static, N, S, O> ProjectionSpec for AlignPostProj<A, N, S, O>
where
    N: Neuron,
    S: IncrementSynapse,
    O: SynapticOutput<N, S::G> + PartialEq + Send + 'static,
{
    fn install(self, mut net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let what = self.name.clone();
        let comm = self.comm.ok_or_else(|| missing(&what, "comm"))?;
        let syn = self.syn.ok_or_else(|| missing(&what, "syn"))?;
        let out = self.out.ok_or_else(|| missing(&what, "out"))?;
        check_projection(
            &what,
            (comm.n_pre, comm.n_post),
            &self.pre,
            &self.post,
            &net,
            self.stp.as_ref(),
        )?;
        let post_pop = &net.pops[self.post.index];
        if syn.len() != post_pop.len() {
            return Err(NetworkError::size_mismatch(
                &what,
                format!("syn ({})", syn.model_name()),
                syn.len(),
                format!("post ({})", post_pop.model_name()),
                post_pop.len(),
            ));
        }
        let delay = self.delay.resolve(&what, self.pre.len(), net.dt)?;
        let mut connections = comm.build_onto(&what, net.seed, net.owned(&self.post))?;
        crate::comm::check_conductance_weights(&what, out.conductance(), &connections)?;
        let learning = match &self.rule {
            Some(rule) => Some(rule.make(
                &what,
                net.dt,
                (self.post.index, post_pop.len()),
                &mut connections,
            )?),
            None => None,
        };
        // the synapse state: an equal one of the population's, or a new group
        let post = net.post_population(&self.post);
        let group = match post.groups.iter().position(|g| g.merges(&syn, &out)) {
            Some(k) => k,
            None => {
                let writer = post.new_writer();
                post.groups.push(Box::new(PostGroup { syn, out, writer }));
                post.groups.len() - 1
            }
        };
        Ok(Box::new(AlignPostRuntime {
            name: what,
            arrivals: Arrivals::new(self.pre, delay, self.stp),
            post: self.post.index,
            connections,
            learning,
            group,
        }))
    }
}
