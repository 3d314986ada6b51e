//! Projections: how spikes of one population reach another.
//!
//! - [`AlignPostProj`]: spikes → connectivity → a synapse sized like the **postsynaptic**
//!   group (Expon, DualExpon, Alpha) → output → neurons. Projections onto the same group with
//!   identical synapse and output share one synapse state, as BrainPy merges them; the state
//!   is a [`SynapseGroup`](group::SynapseGroup) owned by the postsynaptic population.
//! - [`DeltaProj`]: spikes → connectivity → an instantaneous jump of the postsynaptic
//!   potential (or of CubaLIF/CobaLIF's g).
//! - [`AlignPreProj`] (BrainPy's `CurrentProj`): spikes → a synapse sized like the
//!   **presynaptic** group (AMPA, GABAa, BioNMDA, classic NMDA...) → its open fractions
//!   through the weights → output → neurons.
//!
//! Every projection does the same two things in a step ([`Projection`]): it **delivers** the
//! spikes that arrive now to what its synapses hold (increments of an align-post group, jumps,
//! events of a presynaptic synapse), then, if it owns synapses of its own (align-pre), it
//! **advances** them and writes their output. Every projection reads the presynaptic spikes
//! of the previous step (plus its delay): a spike emitted in step n changes g and V in step
//! n + 1, as in BrainPy and Brian2.

mod align_post;
mod align_pre;
mod delta;
pub mod group;
mod learning;

pub use align_post::AlignPostProj;
pub use align_pre::AlignPreProj;
pub use delta::DeltaProj;

use crate::delay::{ResolvedDelay, SpikeHistory};
use crate::error::NetworkError;
use crate::population::{AnyPopulation, Pop, Population};
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::ShortTermPlasticity;
use neurotype_models::{Column, Neuron, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::Ratio;
use neurotype_units::Real;

/// Where a projection's spikes land.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// Increments of the postsynaptic population's synapse group (align-post).
    Group(usize),
    /// Jumps of the postsynaptic population's drive (δ).
    Jumps,
    /// Events of the projection's own presynaptic synapses (align-pre).
    Own,
}

/// What the network needs of an installed projection.
///
/// A step asks two things of it. [`Projection::arrive`] (once, in projection order) takes in
/// the spikes that arrive now: presynaptic plasticity, and the events of an align-pre
/// projection's own synapses. Then, for projections that land in their postsynaptic
/// population, [`Projection::deliver`] adds the arrivals into that population's buffers, one
/// part of the population at a time: the part's owner calls it, and it reads nothing but the
/// projection and the spike history, so parts can be delivered by different workers.
pub trait Projection: Send + Sync {
    /// A name for messages.
    fn name(&self) -> &str;
    /// Index of the presynaptic population.
    fn pre(&self) -> usize;
    /// Index of the postsynaptic population.
    fn post(&self) -> usize;
    /// Largest delay in steps.
    fn max_delay(&self) -> usize;
    /// Smallest delay in steps (a distributed run exchanges spikes once per smallest delay).
    fn min_delay(&self) -> usize {
        0
    }
    /// Where its spikes land.
    fn landing(&self) -> Landing;
    /// Takes in the spikes that arrive this step (read from `histories`, one per population):
    /// plasticity, an align-pre projection's events. Returns the synaptic events counted here
    /// (align-pre).
    fn arrive(&mut self, ctx: &StepCtx, histories: &[SpikeHistory]) -> u64;
    /// Cuts the synapse storage by the postsynaptic population's parts.
    fn partition(&mut self, _parts: &[core::ops::Range<usize>]) {}
    /// Adds the spikes that arrive this step into `into`, the landing buffer of part `part`
    /// of the postsynaptic population (stored numbers, one per element of the part), each
    /// increment multiplied by `scale` (1, or the `1/f` of a synapse that takes its arrivals
    /// folded into g). Returns the number of synaptic events (arriving spikes × their
    /// synapses in the part).
    fn deliver(
        &self,
        _history: &SpikeHistory,
        _part: usize,
        _into: &mut [Real],
        _scale: Real,
    ) -> u64 {
        0
    }
    /// Asks the processor to fetch the synapse rows of the spikes that arrive in the next
    /// step, called as soon as this step's spikes are in `histories` (a hint: it changes no
    /// result). The rest of the step then hides the trip to memory that the delivery would
    /// otherwise wait for.
    fn prefetch(&self, _histories: &[SpikeHistory]) {}
    /// Advances the synapses the projection owns (align-pre) and writes their output into
    /// the postsynaptic drive. Projections whose synapses the population owns do nothing.
    fn advance(&mut self, _ctx: &StepCtx, _post: &mut dyn AnyPopulation) {}
    /// Back to the initial state.
    fn reset(&mut self);
    /// Hands its run-time state (plasticity, presynaptic synapses) to `v`, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor);
    /// Views of the projection's own state (a presynaptic synapse, plasticity).
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Number of synapses held.
    fn n_synapses(&self) -> usize;
    /// Bytes of synapse storage held.
    fn synapse_bytes(&self) -> usize;
}

/// Presynaptic spikes as a projection sees them: the history slots of its delay, restricted to
/// its presynaptic slice, and optional short-term plasticity. The one place where spikes
/// arrive.
pub(crate) struct Arrivals {
    pre: usize,
    /// The presynaptic slice: spikes of elements `offset..offset + n` arrive as `0..n`.
    offset: usize,
    n: usize,
    delay: ResolvedDelay,
    stp: Option<ShortTermPlasticity>,
    /// What a spike of each element is scaled by (with plasticity).
    efficacy: Column<Ratio>,
    /// Which elements' spikes arrived this step (kept between delivery and advance).
    flags: Vec<bool>,
}

impl Arrivals {
    fn new<A>(pre: Pop<A>, delay: ResolvedDelay, stp: Option<ShortTermPlasticity>) -> Self {
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

    /// Calls `f(k)` for every slice element `k` whose spike arrives now, in history order.
    #[inline]
    fn each(&self, history: &SpikeHistory, f: impl FnMut(usize)) {
        self.each_ahead(history, f, |_| {});
    }

    /// [`Arrivals::each`], also calling `soon(k)` a few arrivals before `f(k)` (where the
    /// arrivals are known in advance: a uniform delay), so that `soon` can fetch what `f`
    /// will read.
    #[inline]
    fn each_ahead(
        &self,
        history: &SpikeHistory,
        mut f: impl FnMut(usize),
        mut soon: impl FnMut(usize),
    ) {
        /// How many arrivals ahead `soon` runs.
        const AHEAD: usize = 4;
        match &self.delay {
            ResolvedDelay::Uniform(d) => {
                let arrivals = history.at(*d);
                for (n, &i) in arrivals.iter().enumerate() {
                    if let Some(k) = arrivals.get(n + AHEAD).and_then(|&j| self.local(j)) {
                        soon(k);
                    }
                    if let Some(k) = self.local(i) {
                        f(k);
                    }
                }
            }
            ResolvedDelay::PerNeuron(delays) => {
                for age in 0..=self.delay.max() {
                    for &i in history.at(age) {
                        if let Some(k) = self.local(i) {
                            if delays[k] == age {
                                f(k);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Fetches, for every part, the rows of the elements whose spikes arrive in the next step
    /// (a uniform delay; see [`Projection::prefetch`]). No spike is recorded between this
    /// step's spikes and the next delivery, so the next step's arrivals are `history.at(d)`
    /// now.
    fn prefetch<W: neurotype_units::Unitful>(
        &self,
        connections: &crate::comm::Connections<W>,
        history: &SpikeHistory,
    ) {
        if let ResolvedDelay::Uniform(d) = &self.delay {
            for k in history.at(*d).iter().filter_map(|&i| self.local(i)) {
                for part in 0..connections.n_blocks() {
                    connections.prefetch_block(k, part);
                }
            }
        }
    }

    /// Takes in this step's arrivals: with plasticity, marks them and updates the
    /// efficacies (plasticity sees every presynaptic element every step, for recovery).
    fn arrive(&mut self, ctx: &StepCtx, history: &SpikeHistory) {
        if self.stp.is_some() {
            self.mark(ctx, history);
        }
    }

    /// Calls `f(k, efficacy)` for every presynaptic element whose spike arrives now (after
    /// [`Arrivals::arrive`]), in history order.
    #[inline]
    fn each_arrived(&self, history: &SpikeHistory, mut f: impl FnMut(usize, Real)) {
        if self.stp.is_none() {
            self.each(history, |k| f(k, 1.0));
            return;
        }
        for (k, &s) in self.flags.iter().enumerate() {
            if s {
                f(k, self.efficacy.raw()[k]);
            }
        }
    }

    /// Adds this step's arrivals through `connections` into `into`, the buffer of part
    /// `part` of the postsynaptic population, each weight multiplied by `scale` (and by its
    /// efficacy under short-term plasticity); returns the synaptic events.
    fn scatter<W: neurotype_units::Unitful>(
        &self,
        connections: &crate::comm::Connections<W>,
        history: &SpikeHistory,
        part: usize,
        into: &mut [Real],
        scale: Real,
    ) -> u64 {
        let mut events = 0;
        if self.stp.is_none() {
            // rows fetched again a few spikes ahead: `Arrivals::prefetch` asked for them a
            // step early, but with many spikes the neuron loop has since pushed them out of the
            // first-level cache (best of 6 runs at N = 64000 without this second fetch: COBA
            // 2 %, CUBA 3 % slower)
            self.each_ahead(
                history,
                |i| events += connections.scatter_block(i, scale, part, into),
                |i| connections.prefetch_block(i, part),
            );
        } else {
            self.each_arrived(history, |i, efficacy| {
                events += connections.scatter_block(i, efficacy * scale, part, into);
            });
        }
        events
    }

    /// Marks this step's arrivals in `flags` and updates the plasticity efficacies.
    fn mark(&mut self, ctx: &StepCtx, history: &SpikeHistory) {
        let mut flags = core::mem::take(&mut self.flags);
        flags.fill(false);
        self.each(history, |k| flags[k] = true);
        self.flags = flags;
        if let Some(stp) = &mut self.stp {
            stp.update(ctx, &self.flags, &mut self.efficacy);
        }
    }

    /// This step's arrival flags (after [`Arrivals::mark`]), with plasticity efficacies.
    fn marked(&self) -> (&[bool], Option<&Column<Ratio>>) {
        (&self.flags, self.stp.as_ref().map(|_| &self.efficacy))
    }

    /// The short-term plasticity state (efficacies and flags are rewritten every step).
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        if let Some(stp) = &mut self.stp {
            v.enter("stp");
            neurotype_models::snapshot::Snapshot::visit_state(stp, v);
            v.leave();
        }
    }

    fn reset(&mut self) {
        if let Some(stp) = &mut self.stp {
            stp.reset_state();
        }
        self.flags.fill(false);
    }

    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.stp
            .as_ref()
            .map(ShortTermPlasticity::state_vars)
            .unwrap_or_default()
    }
}

/// Everything a projection spec needs from the network while it is installed.
pub struct Installer<'a> {
    pub(crate) net: u64,
    pub(crate) pops: &'a mut [Box<dyn AnyPopulation>],
    pub(crate) dt: TimeStep,
    pub(crate) seed: u64,
    /// `(rank, size)` of a distributed run.
    pub(crate) ranks: Option<(usize, usize)>,
}

impl Installer<'_> {
    /// Checks that `pop` belongs to this network.
    fn owns<T>(&self, what: &str, side: &str, pop: &Pop<T>) -> Result<(), NetworkError> {
        crate::network::check_handle(self.net, what, side, pop)
    }

    /// The neurons of `post` this process advances (its rank's part of a distributed run):
    /// the only targets whose synapses it draws and holds.
    fn owned<N>(&self, post: &Pop<N>) -> core::ops::Range<usize> {
        let pop = &self.pops[post.index];
        match self.ranks {
            Some((rank, size)) if pop.is_partitioned() => {
                crate::ranks::owned(pop.len(), rank, size)
            }
            _ => 0..pop.len(),
        }
    }

    /// The postsynaptic population as its model.
    fn post_population<N: Neuron>(&mut self, post: &Pop<N>) -> &mut Population<N> {
        post_population(self.pops[post.index].as_mut())
    }
}

/// A projection description that can be installed in a network.
pub trait ProjectionSpec {
    /// Validates sizes and units, draws connectivity, and returns the runtime projection.
    fn install(self, net: Installer<'_>) -> Result<Box<dyn Projection>, NetworkError>;
}

/// A population as its model (handles are typed: the population at a handle's index has the
/// handle's model).
pub(crate) fn post_population<N: Neuron>(pop: &mut dyn AnyPopulation) -> &mut Population<N> {
    pop.as_any_mut()
        .downcast_mut::<Population<N>>()
        .expect("handles are typed: the population at this index has this model")
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

/// Everything every projection checks before it installs: both handles belong to the
/// network, the postsynaptic side is a whole population (slices select presynaptic elements),
/// the connectivity fits both sides, and a plasticity filter has one element per presynaptic
/// element.
fn check_projection<A, N>(
    what: &str,
    comm: (usize, usize),
    pre: &Pop<A>,
    post: &Pop<N>,
    net: &Installer<'_>,
    stp: Option<&ShortTermPlasticity>,
) -> Result<(), NetworkError> {
    net.owns(what, "pre", pre)?;
    net.owns(what, "post", post)?;
    let (pre_pop, post_pop) = (&net.pops[pre.index], &net.pops[post.index]);
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

fn missing(what: &str, part: &str) -> NetworkError {
    NetworkError::NotFound(format!("{what}: `{part}` was not given"))
}
