//! Populations as the network holds them: a neuron model with its drive and the synapse
//! groups that target it, or a spike source.
//!
//! A [`Population`] owns everything that is advanced for its neurons: their state, the
//! per-step workspace their inputs are written into (the [`Drive`]), and the postsynaptic
//! synapse groups of the align-post projections onto it. Advancing it touches nothing else, so
//! a range of its neurons (with the same range of its synapses and drive) is the unit of work
//! a worker can own.

use crate::profile::{Part, PopClock, timed};
use crate::projection::group::SynapseGroup;
use crate::workers::{
    Deliveries, PartTasks, Spread, Spreader, Targets, for_each_part, reuse, run_parts,
};
use core::any::Any;
use core::marker::PhantomData;
use core::ops::Range;
use neurotype_models::column::StateColumns;
use neurotype_models::drive::MAX_CHANNELS;
use neurotype_models::neuron::{StateVar, StateVarMut};
use neurotype_models::synapses::Writer;
use neurotype_models::{Drive, ExpChannel, Neuron, StepCtx, stepper};
use std::sync::{Mutex, PoisonError};

/// A typed handle to a population of a [`Network`](crate::Network): `Pop<Lif>`,
/// `Pop<PoissonGroup>`. Projections and inputs take handles, so their units are checked
/// against the population's model when the program is compiled.
pub struct Pop<T> {
    pub(crate) net: u64,
    pub(crate) index: usize,
    pub(crate) len: usize,
    pub(crate) offset: usize,
    /// Size of the whole population.
    pub(crate) whole: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T> Pop<T> {
    pub(crate) fn new(net: u64, index: usize, len: usize) -> Self {
        Self {
            net,
            index,
            len,
            offset: 0,
            whole: len,
            _t: PhantomData,
        }
    }

    /// A contiguous part of the population, as the presynaptic side of a projection
    /// (BrainPy's `spk[:3200]`): element k of the slice is element `range.start + k`.
    pub fn slice(&self, range: core::ops::Range<usize>) -> Result<Self, crate::NetworkError> {
        if range.start >= range.end || range.end > self.len {
            return Err(neurotype_units::InvalidParameter::new(
                "Pop::slice",
                "range",
                format!("{}..{}", range.start, range.end),
                format!("must be a non-empty range within 0..{}", self.len),
            )
            .into());
        }
        Ok(Self {
            net: self.net,
            index: self.index,
            len: range.end - range.start,
            offset: self.offset + range.start,
            whole: self.whole,
            _t: PhantomData,
        })
    }

    /// Typed handles to the state variables of these neurons, one field per variable
    /// (`e.state().v`, `hh.state().m`), for [`Network::monitor`](crate::Network::monitor)
    /// and [`PoissonInput::on`](crate::PoissonInput::on): a state the model does not have is
    /// a compile error, and each handle carries its quantity.
    pub fn state(&self) -> <T::Columns as StateColumns<T::State>>::Keys<Pop<T>>
    where
        T: Neuron,
    {
        T::Columns::keys(*self)
    }

    /// Whether this handle covers only part of its population.
    pub fn is_slice(&self) -> bool {
        self.len != self.whole
    }

    /// The population's elements this handle covers.
    pub fn range(&self) -> core::ops::Range<usize> {
        self.offset..self.offset + self.len
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the population is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Position in the network.
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<T> Clone for Pop<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Pop<T> {}
impl<T> core::fmt::Debug for Pop<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Pop#{}[{}..{}]",
            self.index,
            self.offset,
            self.offset + self.len
        )
    }
}

/// What the network needs of any population, neuron group or spike source.
pub trait AnyPopulation: Any + Send {
    /// The name given when added.
    fn name(&self) -> &str;
    /// The model's name (`"LIF"`, `"PoissonSpike"`).
    fn model_name(&self) -> &'static str;
    /// Number of elements.
    fn len(&self) -> usize;
    /// Whether empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Advances one step with nothing arriving (a source: draws its spikes).
    fn advance(&mut self, ctx: &StepCtx);
    /// Advances one step part by part (see [`workers`](crate::workers)): the spikes that
    /// arrive are delivered into each part, then its synapse groups and neurons advance.
    /// Returns the synaptic events delivered. A source just draws its spikes.
    fn step(&mut self, ctx: &StepCtx, deliveries: Deliveries<'_>) -> u64 {
        match self.begin_step(ctx, deliveries) {
            Some((events, parts)) => {
                events + run_parts(&mut vec![parts], &mut Spreader::new(Spread::Threads))
            }
            None => 0,
        }
    }
    /// The first half of [`AnyPopulation::step`]: what runs before the neuron pass, and then
    /// the pass itself cut into parts, for the network to run with every other population's
    /// in one job on the workers (`run_parts`). Returns the events delivered so far. A
    /// source draws its spikes here and returns `None`.
    fn begin_step<'a>(
        &'a mut self,
        ctx: &'a StepCtx,
        _deliveries: Deliveries<'a>,
    ) -> Option<(u64, Box<dyn PartTasks + 'a>)> {
        self.advance(ctx);
        None
    }
    /// Indices that spiked in the last step.
    fn spiked(&self) -> &[u32];
    /// Whether its elements are shared out among ranks (neuron populations): each rank then
    /// advances its own part, and the spikes of all ranks are gathered into
    /// [`AnyPopulation::spiked_mut`]. Sources are advanced whole on every rank.
    fn is_partitioned(&self) -> bool {
        false
    }
    /// The spike list, for the gathering of a distributed run.
    fn spiked_mut(&mut self) -> &mut Vec<u32> {
        unreachable!("{} is advanced whole on every rank", self.model_name())
    }
    /// Zeroes this step's inputs.
    fn clear_inputs(&mut self);
    /// Views of the state.
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Mutable views of the state.
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>>;
    /// The mutable view of the state variable `name` (for inputs that write it every step:
    /// unlike [`AnyPopulation::state_vars_mut`], it leaves the refractory bookkeeping valid
    /// unless `name` is `last_spike_time`).
    fn state_var_mut(&mut self, name: &str) -> Option<StateVarMut<'_>> {
        self.state_vars_mut().into_iter().find(|v| v.name == name)
    }
    /// Back to the initial state.
    fn reset(&mut self);
    /// Hands its run-time state (neurons, synapse groups, spike list; a source's random
    /// generator) to `v`, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor);
    /// For downcasting to the concrete type.
    fn as_any(&self) -> &dyn Any;
    /// For downcasting to the concrete type.
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// Number of synapse groups it owns.
    fn n_groups(&self) -> usize {
        0
    }
    /// Views of synapse group `group`'s state.
    fn group_state_vars(&self, _group: usize) -> Vec<StateVar<'_>> {
        Vec::new()
    }
    /// Decides, once (in the first step after its synapses changed), which of its synapse
    /// groups it advances inside its own neuron loop (`inline`: whether any may be), and takes
    /// the parts its workers own.
    fn plan(&mut self, _inline: bool, _ctx: &StepCtx, _parts: Vec<Range<usize>>) {}
    /// Starts (or stops) timing its delivery, synapses and neurons for a profile.
    fn set_profiling(&mut self, _on: bool) {}
    /// Its times so far, when profiled.
    fn clock(&self) -> Option<&PopClock> {
        None
    }
}

/// A group of neurons of model `N`, the input it receives each step and the synapse groups
/// that target it.
pub struct Population<N: Neuron> {
    name: String,
    /// The neurons.
    pub model: N,
    /// This step's input (a workspace: written by inputs, projections and synapse groups,
    /// read by the neurons, cleared after every step).
    pub drive: Drive<N>,
    /// The postsynaptic synapse groups of the align-post projections onto it, in order of
    /// installation.
    pub(crate) groups: Vec<Box<dyn SynapseGroup<N>>>,
    /// How many of the last groups the neuron loop advances itself (planned once).
    inline: usize,
    /// How many writers (synapse groups, align-pre projections) its drive has.
    writers: usize,
    /// The parts its workers own (planned with the inline groups).
    parts: Vec<Range<usize>>,
    /// Each part's spikes of the last step (collected by its worker).
    part_spikes: Vec<Vec<u32>>,
    spiked: Vec<u32>,
    /// Its times, when the network is profiled.
    clock: Option<Box<PopClock>>,
    /// The allocations of each step's parts and part lists (empty between steps).
    slots: Slots<N>,
}

/// The allocations a population's neuron pass takes for the parts of one step and gives back
/// when it finishes (see [`reuse`]).
struct Slots<N: Neuron> {
    pieces: Vec<Mutex<Option<NeuronPart<'static, N>>>>,
    lists: Vec<Mutex<Vec<u32>>>,
}

impl<N: Neuron> Population<N> {
    /// Wraps a model.
    pub fn new(name: impl Into<String>, model: N) -> Self {
        let n = model.len();
        Self {
            name: name.into(),
            model,
            drive: Drive::new(n),
            groups: Vec::new(),
            inline: 0,
            writers: 0,
            parts: core::iter::once(0..n).collect(),
            // one list per part, also before the first plan
            part_spikes: vec![Vec::new()],
            spiked: Vec::with_capacity(n / 8 + 8),
            clock: None,
            slots: Slots {
                pieces: Vec::new(),
                lists: Vec::new(),
            },
        }
    }

    /// A new identity among the writers of its drive.
    pub(crate) fn new_writer(&mut self) -> Writer {
        self.writers += 1;
        Writer(self.writers - 1)
    }

    /// Number of synapse groups.
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// How many synapse groups its neuron loop advances inline (see [`Network::inline_synapses`]).
    ///
    /// [`Network::inline_synapses`]: crate::Network::inline_synapses
    pub fn inline_groups(&self) -> usize {
        self.inline
    }
}

/// What the worker of a part of a population advances: its neurons and lent channels.
type NeuronPart<'a, N> = (stepper::Chunk<'a, N>, [ExpChannel<'a>; MAX_CHANNELS]);

/// Cuts a [`NeuronPart`] at element `mid`.
fn split_neurons<N: Neuron>(
    (chunk, channels): NeuronPart<'_, N>,
    mid: usize,
) -> (NeuronPart<'_, N>, NeuronPart<'_, N>) {
    let (c0, c1) = chunk.split_at(mid);
    let (h0, h1) = split_channels(channels, mid);
    ((c0, h0), (c1, h1))
}

/// A population's neuron pass for one step, cut into parts: each part delivers its
/// arriving spikes (when they go into the loop), advances its neurons and lent channels and
/// lists its spikes; [`PartTasks::finish`] joins the lists in part order.
struct NeuronPass<'a, N: Neuron> {
    pieces: Vec<Mutex<Option<NeuronPart<'a, N>>>>,
    /// Each part's spike list (the population's, lent for the step).
    lists: Vec<Mutex<Vec<u32>>>,
    /// Where the two lists above go back when the pass finishes.
    slots: &'a mut Slots<N>,
    part_spikes: &'a mut Vec<Vec<u32>>,
    spiked: &'a mut Vec<u32>,
    parts: &'a [Range<usize>],
    ctx: &'a StepCtx,
    drive: &'a Drive<N>,
    deliveries: Deliveries<'a>,
    n_lent: usize,
    deliver_in_loop: bool,
    clock: Option<&'a PopClock>,
}

impl<N: Neuron> PartTasks for NeuronPass<'_, N> {
    fn parts(&self) -> usize {
        self.pieces.len()
    }

    fn run(&self, part: usize) -> u64 {
        let piece = self.pieces[part]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some((chunk, mut channels)) = piece else {
            return 0;
        };
        let channels = &mut channels[..self.n_lent];
        let mut events = 0;
        if self.deliver_in_loop {
            let mut targets = Targets {
                part,
                arrivals: channels.iter_mut().map(ExpChannel::arrivals).collect(),
                jumps: None,
            };
            events = timed(self.clock, Part::Delivery, || {
                self.deliveries.deliver(&mut targets)
            });
        }
        let mut list = self.lists[part]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        timed(self.clock, Part::Neurons, || {
            stepper::advance(chunk, self.ctx, self.drive, channels, &mut list)
        });
        let start = self.parts[part].start as u32;
        if start > 0 {
            list.iter_mut().for_each(|i| *i += start);
        }
        events
    }

    fn finish(self: Box<Self>) {
        let NeuronPass {
            pieces,
            mut lists,
            slots,
            part_spikes,
            spiked,
            ..
        } = *self;
        let open = |l: Mutex<Vec<u32>>| l.into_inner().unwrap_or_else(PoisonError::into_inner);
        if lists.len() == 1 {
            // one part: its list is the population's
            let only = open(lists.pop().expect("one list"));
            part_spikes.push(core::mem::replace(spiked, only));
        } else {
            spiked.clear();
            for list in lists.drain(..).map(open) {
                spiked.extend_from_slice(&list);
                part_spikes.push(list);
            }
        }
        slots.pieces = reuse(pieces);
        slots.lists = lists;
    }
}

/// Cuts every channel at element `mid` (empty slots stay empty).
fn split_channels<'a>(
    channels: [ExpChannel<'a>; MAX_CHANNELS],
    mid: usize,
) -> (
    [ExpChannel<'a>; MAX_CHANNELS],
    [ExpChannel<'a>; MAX_CHANNELS],
) {
    let mut left: [ExpChannel<'a>; MAX_CHANNELS] = core::array::from_fn(|_| ExpChannel::empty());
    let mut right: [ExpChannel<'a>; MAX_CHANNELS] = core::array::from_fn(|_| ExpChannel::empty());
    for (k, channel) in channels.into_iter().enumerate() {
        if !channel.is_empty() {
            (left[k], right[k]) = channel.split_at(mid);
        }
    }
    (left, right)
}

/// Collects the indices of `true` entries (spikes are sparse: see [`stepper::each_spike`]).
pub(crate) fn collect_spikes(flags: &[bool], out: &mut Vec<u32>) {
    out.clear();
    stepper::each_spike(flags, |k| out.push(k as u32));
}

impl<N: Neuron> AnyPopulation for Population<N> {
    fn name(&self) -> &str {
        &self.name
    }
    fn model_name(&self) -> &'static str {
        self.model.model_name()
    }
    fn len(&self) -> usize {
        self.model.len()
    }
    fn advance(&mut self, ctx: &StepCtx) {
        self.step(ctx, Deliveries::none());
    }
    fn begin_step<'a>(
        &'a mut self,
        ctx: &'a StepCtx,
        deliveries: Deliveries<'a>,
    ) -> Option<(u64, Box<dyn PartTasks + 'a>)> {
        let Population {
            model,
            drive,
            groups,
            inline,
            parts,
            part_spikes,
            spiked,
            clock,
            slots,
            ..
        } = self;
        let clock = clock.as_deref();
        let own = groups.len() - *inline;
        let jumps = deliveries.has_jumps();
        // the neurons this process advances: all, or its rank's range
        let mine = parts[0].start..parts[parts.len() - 1].end;
        // the deliveries go into the neuron pass when nothing reads them before the neurons do
        let deliver_in_loop = own == 0 && !jumps && stepper::inlines(&*model, drive, *inline);
        let mut events = 0;
        if !deliver_in_loop {
            let targets = Targets {
                part: 0,
                arrivals: groups
                    .iter_mut()
                    .map(|g| {
                        let (into, scale) = g.arrivals(ctx);
                        (&mut into[mine.clone()], scale)
                    })
                    .collect(),
                jumps: jumps.then(|| &mut drive.delta_mut().raw_mut()[mine.clone()]),
            };
            events += timed(clock, Part::Delivery, || {
                for_each_part(parts, targets, &|t, mid| t.split_at(mid), &|part, mut t| {
                    t.part = part;
                    deliveries.deliver(&mut t)
                })
            });
            // synapse groups not lent to the neuron loop: step, and write their output
            timed(clock, Part::Synapses, || {
                for group in &mut groups[..own] {
                    group.advance(ctx, model.potential(), drive);
                }
            });
        }
        // the planned channels go into the neuron loop when the model can take them under
        // this drive; otherwise they write it first
        let lend = stepper::inlines(&*model, drive, *inline);
        if !lend {
            timed(clock, Part::Synapses, || {
                for group in &mut groups[own..] {
                    group.advance(ctx, model.potential(), drive);
                }
            });
        }
        let n_lent = if lend { *inline } else { 0 };
        let mut channels: [ExpChannel<'_>; MAX_CHANNELS] =
            core::array::from_fn(|_| ExpChannel::empty());
        for (slot, group) in channels.iter_mut().zip(&mut groups[own..]).take(n_lent) {
            let channel = group
                .channel(ctx)
                .expect("planned: a lent group is an exponential channel");
            let (_, rest) = channel.split_at(mine.start);
            *slot = rest.split_at(mine.len()).0;
        }
        // the neuron pass, cut at the part boundaries
        let mut pieces = reuse(core::mem::take(&mut slots.pieces));
        model.prepare(ctx);
        // the last step's spikes (population indices) tell the refractory bookkeeping who to look at
        let mut rest = (model.parts().chunk(mine.clone(), ctx, spiked, 0), channels);
        for w in parts.windows(2) {
            let (piece, tail) = split_neurons(rest, w[1].start - w[0].start);
            pieces.push(Mutex::new(Some(piece)));
            rest = tail;
        }
        pieces.push(Mutex::new(Some(rest)));
        let mut lists = core::mem::take(&mut slots.lists);
        lists.extend(part_spikes.drain(..).map(Mutex::new));
        let pass = NeuronPass {
            pieces,
            lists,
            slots,
            part_spikes,
            spiked,
            parts,
            ctx,
            drive,
            deliveries,
            n_lent,
            deliver_in_loop,
            clock,
        };
        Some((events, Box::new(pass)))
    }
    fn spiked(&self) -> &[u32] {
        &self.spiked
    }
    fn is_partitioned(&self) -> bool {
        true
    }
    fn spiked_mut(&mut self) -> &mut Vec<u32> {
        &mut self.spiked
    }
    fn clear_inputs(&mut self) {
        self.drive.clear();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.model.state_vars()
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        self.model.state_vars_mut()
    }
    fn state_var_mut(&mut self, name: &str) -> Option<StateVarMut<'_>> {
        self.model.state_var_mut(name)
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        use neurotype_models::snapshot::Snapshot;
        self.model.core_mut().visit_state(v);
        for (k, g) in self.groups.iter_mut().enumerate() {
            v.enter(&format!("synapse group {k}"));
            g.visit_state(v);
            v.leave();
        }
        v.list_u32("spiked", &mut self.spiked);
    }
    fn reset(&mut self) {
        self.model.reset_state();
        self.drive.clear();
        for g in &mut self.groups {
            g.reset();
        }
        self.spiked.clear();
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn n_groups(&self) -> usize {
        self.groups.len()
    }
    fn group_state_vars(&self, group: usize) -> Vec<StateVar<'_>> {
        self.groups[group].state_vars()
    }
    fn plan(&mut self, inline: bool, ctx: &StepCtx, parts: Vec<Range<usize>>) {
        self.part_spikes.resize_with(parts.len(), Vec::new);
        self.parts = parts;
        // the last groups (at most MAX_CHANNELS) when they can all be channels: the others
        // write the drive first, so every sum is taken in group order either way
        self.inline = if inline {
            let mut count = 0;
            for g in self.groups.iter_mut().rev().take(MAX_CHANNELS) {
                if g.channel(ctx).is_none() {
                    break;
                }
                count += 1;
            }
            count
        } else {
            0
        };
    }
    fn set_profiling(&mut self, on: bool) {
        self.clock = on.then(Box::default);
    }
    fn clock(&self) -> Option<&PopClock> {
        self.clock.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurotype_models::neurons::Lif;
    use neurotype_units::prelude::*;

    /// A population stepped on its own, before any network planned its parts, advances its
    /// neurons and lists their spikes.
    #[test]
    fn a_population_steps_before_it_is_planned() {
        // resting above threshold: every neuron reaches it after a few steps
        let lif = Lif::builder(8)
            .v_init(-60.0 * mV)
            .v_rest(-40.0 * mV)
            .v_reset(-60.0 * mV)
            .v_th(-50.0 * mV)
            .build()
            .unwrap();
        let mut pop = Population::new("P", lif);
        let dt = neurotype_solvers::TimeStep::new(0.1 * ms).unwrap();
        let mut spikes = 0;
        for i in 0..400 {
            pop.advance(&StepCtx::new(i, dt));
            let spiked = pop.spiked();
            assert!(spiked.is_empty() || spiked == (0..8).collect::<Vec<u32>>());
            spikes += spiked.len();
        }
        assert!(spikes >= 8, "{spikes} spikes");
    }
}
