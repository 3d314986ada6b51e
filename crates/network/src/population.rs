//! Populations as the network holds them: a neuron model with its drive, or a spike source.

use core::any::Any;
use core::marker::PhantomData;
use neurotype_models::neuron::{StateVar, StateVarMut};
use neurotype_models::{Drive, ExpChannel, Neuron, StepCtx};

/// A typed handle to a population of a [`Network`](crate::Network): `Pop<Lif>`,
/// `Pop<PoissonGroup>`. Projections and inputs take handles, so their units are checked
/// against the population's model when the program is compiled.
pub struct Pop<T> {
    pub(crate) index: usize,
    pub(crate) len: usize,
    pub(crate) offset: usize,
    /// Size of the whole population.
    pub(crate) whole: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T> Pop<T> {
    pub(crate) fn new(index: usize, len: usize) -> Self {
        Self {
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
        if range.start > range.end || range.end > self.len {
            return Err(neurotype_units::InvalidParameter::new(
                "Pop::slice",
                "range",
                format!("{}..{}", range.start, range.end),
                format!("must lie within 0..{}", self.len),
            )
            .into());
        }
        Ok(Self {
            index: self.index,
            len: range.end - range.start,
            offset: self.offset + range.start,
            whole: self.whole,
            _t: PhantomData,
        })
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
    /// Advances one step.
    fn step(&mut self, ctx: &StepCtx);
    /// [`AnyPopulation::step`] with exponential synaptic channels to advance first (in the
    /// same loop where the model supports it; see [`Neuron::step_with_channels`]). Sources
    /// without a drive take no channels.
    fn step_with(&mut self, ctx: &StepCtx, channels: &mut [ExpChannel<'_>]) {
        assert!(channels.is_empty(), "a spike source has no synaptic input");
        self.step(ctx);
    }
    /// Indices that spiked in the last step.
    fn spiked(&self) -> &[u32];
    /// Zeroes this step's inputs.
    fn clear_inputs(&mut self);
    /// Views of the state.
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Mutable views of the state.
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>>;
    /// Back to the initial state.
    fn reset(&mut self);
    /// For downcasting to the concrete type.
    fn as_any(&self) -> &dyn Any;
    /// For downcasting to the concrete type.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// A group of neurons of model `N` and the input it receives each step.
pub struct Population<N: Neuron> {
    name: String,
    /// The neurons.
    pub model: N,
    /// This step's input.
    pub drive: Drive<N>,
    spiked: Vec<u32>,
}

impl<N: Neuron> Population<N> {
    /// Wraps a model.
    pub fn new(name: impl Into<String>, model: N) -> Self {
        let n = model.len();
        Self {
            name: name.into(),
            model,
            drive: Drive::new(n),
            spiked: Vec::with_capacity(n / 8 + 8),
        }
    }
}

/// Collects the indices of `true` entries, skipping silent blocks of 32 at once (spikes are
/// sparse: most blocks are empty).
pub(crate) fn collect_spikes(flags: &[bool], out: &mut Vec<u32>) {
    out.clear();
    const BLOCK: usize = 32;
    for (b, block) in flags.chunks(BLOCK).enumerate() {
        if block.iter().fold(false, |any, &s| any | s) {
            for (k, &s) in block.iter().enumerate() {
                if s {
                    out.push((b * BLOCK + k) as u32);
                }
            }
        }
    }
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
    fn step(&mut self, ctx: &StepCtx) {
        self.model.step(ctx, &self.drive);
        collect_spikes(self.model.spikes(), &mut self.spiked);
    }
    fn step_with(&mut self, ctx: &StepCtx, channels: &mut [ExpChannel<'_>]) {
        if channels.is_empty() || !self.model.step_with_channels(ctx, &self.drive, channels) {
            for channel in channels.iter_mut() {
                channel.apply(&mut self.drive);
            }
            self.model.step(ctx, &self.drive);
        }
        collect_spikes(self.model.spikes(), &mut self.spiked);
    }
    fn spiked(&self) -> &[u32] {
        &self.spiked
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
    fn reset(&mut self) {
        self.model.reset_state();
        self.drive.clear();
        self.spiked.clear();
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
