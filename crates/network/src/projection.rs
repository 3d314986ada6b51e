//! Projections: how spikes of one population reach another.
//!
//! - [`AlignPostProj`]: spikes → connectivity → a synapse sized like the **postsynaptic**
//!   group (Expon, DualExpon, Alpha) → output → neurons. Projections onto the same group with
//!   identical synapse and output share one synapse state, as BrainPy merges them.
//! - [`DeltaProj`]: spikes → connectivity → an instantaneous jump of the postsynaptic
//!   potential (or of CubaLIF/CobaLIF's g).
//! - [`CurrentProj`]: spikes → a synapse sized like the **presynaptic** group (AMPA, GABAa,
//!   BioNMDA, classic NMDA...) → its open fractions through the weights → output → neurons.
//!
//! Every projection reads the presynaptic spikes of the previous step (plus its delay): a
//! spike emitted in step n changes g and V in step n + 1, as in BrainPy and Brian2.

use crate::comm::{Built, Comm};
use crate::delay::{Delay, ResolvedDelay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::{AnyPopulation, Pop, Population};
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::{EventSynapse, IncrementSynapse, Plasticity, SynapticOutput};
use neurotype_models::{Column, ExpChannel, Neuron, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::Ratio;

/// What the network needs of an installed projection.
pub trait Projection: Send {
    /// A name for messages.
    fn name(&self) -> &str;
    /// Index of the presynaptic population.
    fn pre(&self) -> usize;
    /// Largest delay in steps.
    fn max_delay(&self) -> usize;
    /// Delivers this step's spikes: queues increments on shared synapses, or writes the
    /// postsynaptic drive. Returns the number of synaptic events (arriving spikes × their
    /// synapses).
    fn deliver(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
        pops: &mut [Box<dyn AnyPopulation>],
        groups: &mut [Box<dyn SynapseGroup>],
    ) -> u64;
    /// Back to the initial state.
    fn reset(&mut self);
    /// Views of the projection's own state (a presynaptic synapse, plasticity).
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Number of synapses.
    fn n_synapses(&self) -> usize;
    /// The postsynaptic synapse group this projection feeds (align-post projections).
    fn group(&self) -> Option<usize> {
        None
    }
}

/// A synapse state sized like its postsynaptic group, possibly shared by several
/// projections, with its output.
pub trait SynapseGroup: Send {
    /// Index of the postsynaptic population.
    fn post(&self) -> usize;
    /// The merge key (synapse and output parameters).
    fn key(&self) -> &str;
    /// Increments queued for this step (stored numbers).
    fn pending(&mut self) -> &mut [f64];
    /// Steps the synapse and adds its current to the postsynaptic drive.
    fn step(&mut self, ctx: &StepCtx, pops: &mut [Box<dyn AnyPopulation>]);
    /// The synapse as an exponential channel the postsynaptic population advances in its own
    /// loop instead of [`SynapseGroup::step`]; `None` when it is not one.
    fn channel(&mut self, _ctx: &StepCtx) -> Option<ExpChannel<'_>> {
        None
    }
    /// Back to the initial state.
    fn reset(&mut self);
    /// Views of the synapse state (`g`, ...).
    fn state_vars(&self) -> Vec<StateVar<'_>>;
}

pub(crate) struct PostGroup<N: Neuron, S, O> {
    post: usize,
    key: String,
    syn: S,
    out: O,
    _n: core::marker::PhantomData<fn() -> N>,
}

pub(crate) fn post_population<N: Neuron>(
    pops: &mut [Box<dyn AnyPopulation>],
    index: usize,
) -> &mut Population<N> {
    pops[index]
        .as_any_mut()
        .downcast_mut::<Population<N>>()
        .expect("handles are typed: the population at this index has this model")
}

impl<N, S, O> SynapseGroup for PostGroup<N, S, O>
where
    N: Neuron,
    S: IncrementSynapse,
    O: SynapticOutput<N, S::G> + Send + 'static,
{
    fn post(&self) -> usize {
        self.post
    }
    fn key(&self) -> &str {
        &self.key
    }
    fn pending(&mut self) -> &mut [f64] {
        self.syn.pending_mut().raw_mut()
    }
    fn step(&mut self, ctx: &StepCtx, pops: &mut [Box<dyn AnyPopulation>]) {
        let post = post_population::<N>(pops, self.post);
        if let Some(mut channel) = self.channel(ctx) {
            // one pass: decay, add the arrivals, write the current (and conductance)
            channel.apply(&mut post.drive);
            return;
        }
        self.syn.step(ctx);
        self.out
            .apply(self.syn.g(), post.model.potential(), &mut post.drive);
    }
    fn channel(&mut self, ctx: &StepCtx) -> Option<ExpChannel<'_>> {
        let affine = self.out.affine()?;
        self.syn.channel(ctx, affine)
    }
    fn reset(&mut self) {
        self.syn.reset_state();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.syn.state_vars()
    }
}

/// Presynaptic spikes as seen by a projection: the right history slots for its delay, and
/// optional short-term plasticity.
struct SpikeReader {
    pre: usize,
    /// The presynaptic slice: spikes of elements `offset..offset + n` arrive as `0..n`.
    offset: usize,
    n: usize,
    delay: ResolvedDelay,
    stp: Option<Plasticity>,
    /// What a spike of each element is scaled by (with plasticity).
    efficacy: Column<Ratio>,
    flags: Vec<bool>,
}

impl SpikeReader {
    fn new<A>(pre: Pop<A>, delay: ResolvedDelay, stp: Option<Plasticity>) -> Self {
        Self {
            pre: pre.index,
            offset: pre.offset,
            n: pre.len,
            delay,
            efficacy: Column::filled(
                if stp.is_some() { pre.len } else { 0 },
                neurotype_units::prelude::ratio(1.0),
            ),
            stp,
            flags: vec![false; pre.len],
        }
    }

    /// The slice-local index of a population element, if it belongs to the slice.
    #[inline(always)]
    fn local(&self, i: u32) -> Option<usize> {
        let k = (i as usize).wrapping_sub(self.offset);
        (k < self.n).then_some(k)
    }

    /// Calls `f(i, efficacy)` for every presynaptic neuron whose spike arrives now.
    #[inline]
    fn for_each(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
        mut f: impl FnMut(usize, f64),
    ) {
        let history = &histories[self.pre];
        match &self.stp {
            None => match &self.delay {
                ResolvedDelay::Uniform(d) => {
                    for &i in history.at(*d) {
                        if let Some(k) = self.local(i) {
                            f(k, 1.0);
                        }
                    }
                }
                ResolvedDelay::PerNeuron(delays) => {
                    for age in 0..=self.delay.max() {
                        for &i in history.at(age) {
                            if let Some(k) = self.local(i) {
                                if delays[k] == age {
                                    f(k, 1.0);
                                }
                            }
                        }
                    }
                }
            },
            Some(_) => {
                // plasticity sees every presynaptic neuron every step (recovery)
                arrived(&self.delay, history, self.offset, &mut self.flags);
                let stp = self.stp.as_mut().expect("matched Some");
                stp.update(ctx, &self.flags, &mut self.efficacy);
                for (i, &s) in self.flags.iter().enumerate() {
                    if s {
                        f(i, self.efficacy.raw()[i]);
                    }
                }
                self.flags.fill(false);
            }
        }
    }

    /// The arrival flags of this step (for presynaptic synapses), with plasticity efficacies.
    fn flags(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
    ) -> (&[bool], Option<&Column<Ratio>>) {
        self.flags.fill(false);
        arrived(
            &self.delay,
            &histories[self.pre],
            self.offset,
            &mut self.flags,
        );
        match &mut self.stp {
            Some(stp) => {
                stp.update(ctx, &self.flags, &mut self.efficacy);
                (&self.flags, Some(&self.efficacy))
            }
            None => (&self.flags, None),
        }
    }

    fn reset(&mut self) {
        if let Some(stp) = &mut self.stp {
            stp.reset_state();
        }
        self.flags.fill(false);
    }
}

/// Marks the slice elements whose spike arrives now.
fn arrived(delay: &ResolvedDelay, history: &SpikeHistory, offset: usize, flags: &mut [bool]) {
    let n = flags.len();
    let local = |i: u32| {
        let k = (i as usize).wrapping_sub(offset);
        (k < n).then_some(k)
    };
    match delay {
        ResolvedDelay::Uniform(d) => {
            for &i in history.at(*d) {
                if let Some(k) = local(i) {
                    flags[k] = true;
                }
            }
        }
        ResolvedDelay::PerNeuron(delays) => {
            for age in 0..=delay.max() {
                for &i in history.at(age) {
                    if let Some(k) = local(i) {
                        if delays[k] == age {
                            flags[k] = true;
                        }
                    }
                }
            }
        }
    }
}

fn check_sizes(
    what: &str,
    comm_pre: usize,
    comm_post: usize,
    pre: usize,
    pre_model: &str,
    post: usize,
    post_model: &str,
) -> Result<(), NetworkError> {
    if comm_pre != pre {
        return Err(NetworkError::size_mismatch(
            what,
            "comm (presynaptic side)",
            comm_pre,
            format!("pre ({pre_model})"),
            pre,
        ));
    }
    if comm_post != post {
        return Err(NetworkError::size_mismatch(
            what,
            "comm (postsynaptic side)",
            comm_post,
            format!("post ({post_model})"),
            post,
        ));
    }
    Ok(())
}

/// Everything every projection checks before it installs: the postsynaptic side is a whole
/// population (slices select presynaptic elements), the connectivity fits both sides, and a
/// plasticity filter has one element per presynaptic element.
fn check_projection<A, N>(
    what: &str,
    comm: (usize, usize),
    pre: &Pop<A>,
    post: &Pop<N>,
    pops: &[Box<dyn AnyPopulation>],
    stp: Option<&Plasticity>,
) -> Result<(), NetworkError> {
    let (pre_pop, post_pop) = (&pops[pre.index], &pops[post.index]);
    if post.is_slice() {
        return Err(neurotype_units::InvalidParameter::new(
            what,
            "post",
            format!("{post:?}"),
            format!(
                "must be a whole population ({} has {} elements); slices select presynaptic elements",
                post_pop.model_name(),
                post_pop.len()
            ),
        )
        .into());
    }
    check_sizes(
        what,
        comm.0,
        comm.1,
        pre.len(),
        pre_pop.model_name(),
        post_pop.len(),
        post_pop.model_name(),
    )?;
    if let Some(stp) = stp {
        if stp.len() != pre.len() {
            return Err(NetworkError::size_mismatch(
                what,
                format!("stp ({})", stp.model_name()),
                stp.len(),
                format!("pre ({})", pre_pop.model_name()),
                pre.len(),
            ));
        }
    }
    Ok(())
}

/// Everything a projection spec needs from the network while it is installed.
pub struct Installer<'a> {
    pub(crate) pops: &'a [Box<dyn AnyPopulation>],
    pub(crate) groups: &'a mut Vec<Box<dyn SynapseGroup>>,
    pub(crate) dt: TimeStep,
    pub(crate) seed: u64,
}

/// A projection description that can be installed in a network.
pub trait ProjectionSpec {
    /// Validates sizes and units, draws connectivity, and returns the runtime projection.
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError>;
}

// ---------------------------------------------------------------------------------------------

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
/// single synapse state (their increments add), which is BrainPy's merging behaviour.
pub struct AlignPostProj<A, N: Neuron, S: IncrementSynapse, O> {
    pre: Pop<A>,
    post: Pop<N>,
    comm: Option<Comm<S::G>>,
    syn: Option<S>,
    out: Option<O>,
    delay: Delay,
    stp: Option<Plasticity>,
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
            name: "AlignPostProj".into(),
        }
    }

    /// Connectivity and weights (weights have the synapse variable's unit: conductances of
    /// the postsynaptic model for COBA and CUBA outputs).
    pub fn comm(mut self, comm: Comm<S::G>) -> Self {
        self.comm = Some(comm);
        self
    }

    /// The postsynaptic synapse.
    pub fn syn(mut self, syn: S) -> Self {
        self.syn = Some(syn);
        self
    }

    /// The output.
    pub fn out(mut self, out: O) -> Self {
        self.out = Some(out);
        self
    }

    /// A transmission delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (scales each event's weights): [`Stp`],
    /// [`Std`] or their classic forms (see [`Plasticity`]).
    ///
    /// [`Stp`]: neurotype_models::synapses::Stp
    /// [`Std`]: neurotype_models::synapses::Std
    pub fn stp(mut self, stp: impl Into<Plasticity>) -> Self {
        self.stp = Some(stp.into());
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
    reader: SpikeReader,
    comm: Built<W>,
    group: usize,
}

impl<W: neurotype_units::Unitful + Send + Sync + 'static> Projection for AlignPostRuntime<W> {
    fn name(&self) -> &str {
        &self.name
    }
    fn group(&self) -> Option<usize> {
        Some(self.group)
    }
    fn pre(&self) -> usize {
        self.reader.pre
    }
    fn max_delay(&self) -> usize {
        self.reader.delay.max()
    }
    fn deliver(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
        _pops: &mut [Box<dyn AnyPopulation>],
        groups: &mut [Box<dyn SynapseGroup>],
    ) -> u64 {
        let pending = groups[self.group].pending();
        let comm = &self.comm;
        let mut events = 0;
        self.reader.for_each(ctx, histories, |i, efficacy| {
            events += comm.conn.row(i).len() as u64;
            comm.scatter(i, efficacy, pending)
        });
        events
    }
    fn reset(&mut self) {
        self.reader.reset();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.reader
            .stp
            .as_ref()
            .map(Plasticity::state_vars)
            .unwrap_or_default()
    }
    fn n_synapses(&self) -> usize {
        self.comm.conn.n_synapses()
    }
}

fn missing(what: &str, part: &str) -> NetworkError {
    NetworkError::NotFound(format!("{what}: `{part}` was not given"))
}

impl<A: 'static, N, S, O> ProjectionSpec for AlignPostProj<A, N, S, O>
where
    N: Neuron,
    S: IncrementSynapse,
    O: SynapticOutput<N, S::G> + core::fmt::Debug + Send + 'static,
{
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let what = self.name.clone();
        let comm = self.comm.ok_or_else(|| missing(&what, "comm"))?;
        let syn = self.syn.ok_or_else(|| missing(&what, "syn"))?;
        let out = self.out.ok_or_else(|| missing(&what, "out"))?;
        check_projection(
            &what,
            (comm.n_pre, comm.n_post),
            &self.pre,
            &self.post,
            net.pops,
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
        let built = comm.build(&what, net.seed)?;
        let key = format!("{}|{:?}", syn.merge_key(), out);
        let post = self.post.index;
        let group = match net
            .groups
            .iter()
            .position(|g| g.post() == post && g.key() == key)
        {
            Some(k) => k,
            None => {
                net.groups.push(Box::new(PostGroup::<N, S, O> {
                    post,
                    key,
                    syn,
                    out,
                    _n: core::marker::PhantomData,
                }));
                net.groups.len() - 1
            }
        };
        Ok(Box::new(AlignPostRuntime {
            name: what,
            reader: SpikeReader::new(self.pre, delay, self.stp),
            comm: built,
            group,
        }))
    }
}

// ---------------------------------------------------------------------------------------------

/// BrainPy's `DeltaProj`: each arriving spike adds its weight to the postsynaptic jump
/// variable after integration — V for most models (weights in mV), g for CubaLIF/CobaLIF.
pub struct DeltaProj<A, N: Neuron> {
    pre: Pop<A>,
    post: Pop<N>,
    comm: Option<Comm<N::Jump>>,
    delay: Delay,
    stp: Option<Plasticity>,
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

    /// Short-term plasticity on the presynaptic spikes (any [`Plasticity`]; scales each
    /// event's weights).
    pub fn stp(mut self, stp: impl Into<Plasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// A name for messages.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

struct DeltaRuntime<N: Neuron> {
    name: String,
    reader: SpikeReader,
    comm: Built<N::Jump>,
    post: usize,
}

impl<N: Neuron> Projection for DeltaRuntime<N>
where
    N::Jump: Send + 'static,
{
    fn name(&self) -> &str {
        &self.name
    }
    fn pre(&self) -> usize {
        self.reader.pre
    }
    fn max_delay(&self) -> usize {
        self.reader.delay.max()
    }
    fn deliver(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
        pops: &mut [Box<dyn AnyPopulation>],
        _groups: &mut [Box<dyn SynapseGroup>],
    ) -> u64 {
        let post = post_population::<N>(pops, self.post);
        let delta = post.drive.delta_mut().raw_mut();
        let comm = &self.comm;
        let mut events = 0;
        self.reader.for_each(ctx, histories, |i, efficacy| {
            events += comm.conn.row(i).len() as u64;
            comm.scatter(i, efficacy, delta)
        });
        events
    }
    fn reset(&mut self) {
        self.reader.reset();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.reader
            .stp
            .as_ref()
            .map(Plasticity::state_vars)
            .unwrap_or_default()
    }
    fn n_synapses(&self) -> usize {
        self.comm.conn.n_synapses()
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
            net.pops,
            self.stp.as_ref(),
        )?;
        let delay = self.delay.resolve(&what, self.pre.len(), net.dt)?;
        let built = comm.build(&what, net.seed)?;
        Ok(Box::new(DeltaRuntime::<N> {
            name: what,
            reader: SpikeReader::new(self.pre, delay, self.stp),
            comm: built,
            post: self.post.index,
        }))
    }
}

// ---------------------------------------------------------------------------------------------

/// BrainPy's `CurrentProj` (align-pre): a synapse sized like the presynaptic group (AMPA,
/// GABAa, BioNMDA, classic NMDA, ...) integrates the presynaptic spikes; its open fractions go
/// through the weights (`g_post,j = Σ_i w_ij·g_i`, weights are conductances) to `out`.
pub struct CurrentProj<A, N: Neuron, S, O> {
    pre: Pop<A>,
    post: Pop<N>,
    syn: Option<S>,
    comm: Option<Comm<N::Conductance>>,
    out: Option<O>,
    delay: Delay,
    stp: Option<Plasticity>,
    name: String,
}

impl<A, N: Neuron, S, O> CurrentProj<A, N, S, O> {
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
            name: "CurrentProj".into(),
        }
    }

    /// The presynaptic synapse (as many elements as `pre`).
    pub fn syn(mut self, syn: S) -> Self {
        self.syn = Some(syn);
        self
    }

    /// Connectivity and maximal conductances (`g_max`).
    pub fn comm(mut self, comm: Comm<N::Conductance>) -> Self {
        self.comm = Some(comm);
        self
    }

    /// The output (optional: without one the conductance reaches nobody, as with classic
    /// BrainPy's `output=None`).
    pub fn out(mut self, out: O) -> Self {
        self.out = Some(out);
        self
    }

    /// A transmission delay.
    pub fn delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// Short-term plasticity on the presynaptic spikes (any [`Plasticity`]). The kinetic
    /// receptors (AMPA, GABAa, BioNMDA) use only the spike itself, as brainpy.state does; the
    /// classic NMDA, DualExponential and Alpha scale the event they add.
    pub fn stp(mut self, stp: impl Into<Plasticity>) -> Self {
        self.stp = Some(stp.into());
        self
    }

    /// A name for messages and monitors.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

struct CurrentRuntime<N: Neuron, S, O> {
    name: String,
    reader: SpikeReader,
    syn: S,
    comm: Built<N::Conductance>,
    out: Option<O>,
    post: usize,
    g_post: Column<N::Conductance>,
}

impl<N, S, O> Projection for CurrentRuntime<N, S, O>
where
    N: Neuron,
    S: EventSynapse,
    O: SynapticOutput<N> + Send + 'static,
    N::Conductance: Send + 'static,
{
    fn name(&self) -> &str {
        &self.name
    }
    fn pre(&self) -> usize {
        self.reader.pre
    }
    fn max_delay(&self) -> usize {
        self.reader.delay.max()
    }
    fn deliver(
        &mut self,
        ctx: &StepCtx,
        histories: &[SpikeHistory],
        pops: &mut [Box<dyn AnyPopulation>],
        _groups: &mut [Box<dyn SynapseGroup>],
    ) -> u64 {
        let (flags, efficacy) = self.reader.flags(ctx, histories);
        let events = flags
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| self.comm.conn.row(i).len() as u64)
            .sum();
        self.syn.update(ctx, flags, efficacy);
        let g = self.g_post.raw_mut();
        g.fill(0.0);
        for (i, &open) in self.syn.open().raw().iter().enumerate() {
            if open != 0.0 {
                self.comm.scatter(i, open, g);
            }
        }
        if let Some(out) = &self.out {
            let post = post_population::<N>(pops, self.post);
            out.apply(&self.g_post, post.model.potential(), &mut post.drive);
        }
        events
    }
    fn reset(&mut self) {
        self.reader.reset();
        self.syn.reset_state();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        let mut vars = self.syn.state_vars();
        vars.push(StateVar::of("g_post", &self.g_post));
        if let Some(stp) = &self.reader.stp {
            vars.extend(stp.state_vars());
        }
        vars
    }
    fn n_synapses(&self) -> usize {
        self.comm.conn.n_synapses()
    }
}

impl<A: 'static, N, S, O> ProjectionSpec for CurrentProj<A, N, S, O>
where
    N: Neuron,
    S: EventSynapse,
    O: SynapticOutput<N> + Send + 'static,
    N::Conductance: PartialOrd + Send + 'static,
{
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError> {
        let what = self.name.clone();
        let comm = self.comm.ok_or_else(|| missing(&what, "comm"))?;
        let syn = self.syn.ok_or_else(|| missing(&what, "syn"))?;
        check_projection(
            &what,
            (comm.n_pre, comm.n_post),
            &self.pre,
            &self.post,
            net.pops,
            self.stp.as_ref(),
        )?;
        let (pre_pop, post_pop) = (&net.pops[self.pre.index], &net.pops[self.post.index]);
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
        let built = comm.build(&what, net.seed)?;
        Ok(Box::new(CurrentRuntime::<N, S, O> {
            name: what,
            reader: SpikeReader::new(self.pre, delay, self.stp),
            syn,
            comm: built,
            out: self.out,
            post: self.post.index,
            g_post: Column::zeros(post_pop.len()),
        }))
    }
}
