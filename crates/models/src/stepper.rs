//! The one loop that advances every neuron model.
//!
//! A model states its equations once, element by element ([`Dynamics`]): the spike condition
//! ([`Dynamics::threshold`], diffsol's "root"), what a spike resets ([`Dynamics::reset`]), the
//! right-hand side with its Jacobian diagonal ([`Dynamics::derivatives`]) and, where BrainPy
//! orders the update in its own way, the whole integration step ([`Dynamics::integrate`]).
//! [`step`] runs them over a range of elements, in this order for each element `k`:
//!
//! 1. its synaptic channels advance (when the network lends them: [`ChannelInput`]);
//! 2. the stored state is loaded; if it is above threshold (a spike in the last step), it is
//!    reset;
//! 3. it is integrated over the step with the input `I(V)` of the drive, and jumps are added;
//! 4. while refractory, the post-reset state is held (or, for a lock-out, spikes are not
//!    counted);
//! 5. the spike condition is tested on the new state (a rising crossing, for models that
//!    never reset) and stored with the state.
//!
//! The step is compiled for the input source, the integrator and refractoriness it meets,
//! chosen once per step outside the loop, so every combination is a branch-free loop the
//! compiler vectorises; with shared parameters they are loop constants.

use crate::column::{StateColumns, StateView};
use crate::drive::{
    AffineInput, ChannelInput, Drive, DriveInput, ExpChannel, FrozenInput, InputAt, InputSource,
    MAX_CHANNELS, NeuronUnits,
};
use crate::neuron::StepCtx;
use crate::param::ParamSet;
use crate::refractory::{Refractory, RefractoryKind, RefractoryView};
use neurotype_solvers::{
    Euler, ExponentialEuler, FixedStep, Heun, Linearised, Method, Midpoint, Ode, RateOf, Rk4,
    SharedExponentialEuler, SlopeOf, State,
};
use neurotype_units::{Raw, Time};

/// What the stepper borrows from a model for one step.
pub struct Parts<'a, N: Dynamics> {
    /// Population-wide settings the equations read (reset mode, variant flags).
    pub config: N::Config,
    /// The integrator.
    pub method: Method,
    /// The parameters.
    pub params: &'a N::ParamSet,
    /// The state columns.
    pub state: &'a mut N::Columns,
    /// Refractory bookkeeping, for models that have it.
    pub refractory: Option<&'a mut Refractory>,
    /// Which elements spiked in the last step.
    pub spikes: &'a mut [bool],
}

/// A neuron model's equations, element by element: everything [`step`] needs to advance it.
///
/// Every built-in neuron and every `neuron!` model implements it; see the book's chapter
/// "Neurons" for adding a model.
pub trait Dynamics: NeuronUnits {
    /// The parameters of one element.
    type Params: Copy;
    /// The model's parameter set (shared or per element).
    type ParamSet: ParamSet<Self::Params> + Clone + core::fmt::Debug + Send + Sync;
    /// Population-wide settings the equations read.
    type Config: Copy + core::fmt::Debug + Send;
    /// The state of one element: a quantity, or a tuple of quantities.
    type State: State;
    /// The state columns.
    type Columns: StateColumns<Self::State>;

    /// Whether a spike is a rising crossing of the threshold (models that are not reset).
    const RISING: bool = false;
    /// Whether the input is a current fixed over the step, evaluated at the start-of-step
    /// potential without a slope (BrainPy's Hodgkin-Huxley family), rather than a function of
    /// V inside the integration.
    const FROZEN_INPUT: bool = false;
    /// What refractoriness does, when the model has it.
    const REFRACTORY: RefractoryKind = RefractoryKind::Hold;

    /// What the population stores besides its initialisers (see [`NeuronCore`]).
    fn core(&self) -> &NeuronCore<Self>;

    /// [`Dynamics::core`], mutable.
    fn core_mut(&mut self) -> &mut NeuronCore<Self>;

    /// Borrows what a step needs.
    fn parts(&mut self) -> Parts<'_, Self> {
        let core = self.core_mut();
        Parts {
            config: core.config,
            method: core.method,
            params: &core.params,
            state: &mut core.state,
            refractory: core.refractory.as_mut(),
            spikes: &mut core.spikes,
        }
    }

    /// Called once before each step of the population, with the step's context: a model
    /// that derives something from the time step (an exact propagator) refreshes it here
    /// rather than once per element. Nothing by default.
    #[inline(always)]
    fn prepare(&mut self, _ctx: &StepCtx) {}

    /// The membrane potential of a state.
    fn potential(x: &Self::State) -> Self::Potential;

    /// The spike condition.
    fn threshold(c: &Self::Config, p: &Self::Params, ctx: &StepCtx, x: &Self::State) -> bool;

    /// The state at the start of the step that follows a spike (none by default).
    #[inline(always)]
    fn reset(_c: &Self::Config, _p: &Self::Params, _ctx: &StepCtx, x: Self::State) -> Self::State {
        x
    }

    /// `dx/dt` and the diagonal of its Jacobian at `x` and time `t` (within step `ctx`), with
    /// the input of element `k`.
    fn derivatives<I: InputAt<Self>>(
        c: &Self::Config,
        p: &Self::Params,
        ctx: &StepCtx,
        t: Time,
        x: &Self::State,
        input: &I,
        k: usize,
    ) -> (RateOf<Self::State>, SlopeOf<Self::State>);

    /// A δ-input added to the state after integration.
    fn add_jump(x: Self::State, jump: Self::Jump) -> Self::State;

    /// For a model whose Jacobian does not depend on its state: the Jacobian when the input
    /// has no slope (no conductance). With shared parameters, exponential Euler's factors are
    /// then computed once per step instead of once per element.
    #[inline(always)]
    fn shared_slope(_c: &Self::Config, _p: &Self::Params) -> Option<SlopeOf<Self::State>> {
        None
    }

    /// One step of element `k` from `x0` (the post-reset state), its jump included. By
    /// default the integrator advances [`Dynamics::derivatives`] and the jump is added;
    /// models whose BrainPy update is ordered otherwise (one variable after another) say so
    /// here.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn integrate<I: InputAt<Self>, M: FixedStep<Self::State>>(
        c: &Self::Config,
        p: &Self::Params,
        ctx: &StepCtx,
        method: &M,
        x0: Self::State,
        input: &I,
        k: usize,
        jump: Self::Jump,
    ) -> Self::State {
        joint::<Self, I, M>(c, p, ctx, method, x0, input, k, jump)
    }
}

/// The default [`Dynamics::integrate`]: the integrator advances [`Dynamics::derivatives`]
/// jointly, then the jump is added. For models whose own `integrate` orders exponential Euler
/// in their own way and leaves the other methods to this.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn joint<N: Dynamics, I: InputAt<N>, M: FixedStep<N::State>>(
    c: &N::Config,
    p: &N::Params,
    ctx: &StepCtx,
    method: &M,
    x0: N::State,
    input: &I,
    k: usize,
    jump: N::Jump,
) -> N::State {
    let ode = ModelOde::<N, I> {
        c,
        p,
        ctx,
        input,
        k,
    };
    N::add_jump(method.advance(&ode, ctx.t, &x0, ctx.dt), jump)
}

/// What every neuron population stores besides its initialisers: its parameters, the
/// settings its equations read, its integrator, the seed of its random initial state, its
/// state columns, refractory bookkeeping (for models that have it) and the spike flags of the
/// last step. A model holds one and returns it from [`Dynamics::core`].
#[derive(Clone, Debug)]
pub struct NeuronCore<N: Dynamics> {
    /// The parameters.
    pub params: N::ParamSet,
    /// The settings the equations read.
    pub config: N::Config,
    /// The integrator.
    pub method: Method,
    /// Seed of the random initial state.
    pub seed: u64,
    /// The state.
    pub state: N::Columns,
    /// Refractory bookkeeping.
    pub refractory: Option<Refractory>,
    /// Which neurons spiked in the last step.
    pub spikes: Vec<bool>,
    /// Their indices, when the population stepped on its own ([`Neuron::step`]; a network
    /// lists each part's spikes itself).
    ///
    /// [`Neuron::step`]: crate::Neuron::step
    pub spiked: Vec<u32>,
}

impl<N: Dynamics> NeuronCore<N> {
    /// The core of `n` neurons with zero state (the model then draws its initial state).
    pub fn new(
        n: usize,
        params: N::ParamSet,
        config: N::Config,
        options: &crate::options::Options,
        refractory: Option<Refractory>,
    ) -> Self {
        Self {
            params,
            config,
            method: options.method,
            seed: options.seed,
            state: N::Columns::zeros(n),
            refractory,
            spikes: vec![false; n],
            spiked: Vec::new(),
        }
    }

    /// Number of neurons.
    pub fn len(&self) -> usize {
        self.spikes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.spikes.is_empty()
    }

    /// A fresh random stream for initial-state variable `k`.
    pub fn stream(&self, k: u64) -> crate::rng::Rng {
        crate::rng::stream(self.seed, k)
    }

    /// Forgets spikes and refractoriness (the model then redraws its state).
    pub fn clear(&mut self) {
        self.spikes.fill(false);
        self.spiked.clear();
        if let Some(r) = &mut self.refractory {
            r.reset();
        }
    }
}

/// The [`Dynamics::core`] and [`Dynamics::core_mut`] of a model that keeps its
/// [`NeuronCore`] in a field `core`.
#[macro_export]
macro_rules! core_access {
    () => {
        fn core(&self) -> &$crate::stepper::NeuronCore<Self> {
            &self.core
        }
        fn core_mut(&mut self) -> &mut $crate::stepper::NeuronCore<Self> {
            &mut self.core
        }
    };
}

/// The equations of one element as an [`Ode`], for the integrators.
pub struct ModelOde<'a, N: Dynamics, I> {
    /// Population-wide settings.
    pub c: &'a N::Config,
    /// The element's parameters.
    pub p: &'a N::Params,
    /// The step.
    pub ctx: &'a StepCtx,
    /// Its input.
    pub input: &'a I,
    /// Its index in the loop.
    pub k: usize,
}

impl<N: Dynamics, I: InputAt<N>> Ode for ModelOde<'_, N, I> {
    type State = N::State;
    #[inline(always)]
    fn rhs(&self, t: Time, x: &N::State) -> RateOf<N::State> {
        N::derivatives(self.c, self.p, self.ctx, t, x, self.input, self.k).0
    }
}

impl<N: Dynamics, I: InputAt<N>> Linearised for ModelOde<'_, N, I> {
    #[inline(always)]
    fn slope(&self, t: Time, x: &N::State) -> SlopeOf<N::State> {
        N::derivatives(self.c, self.p, self.ctx, t, x, self.input, self.k).1
    }
    #[inline(always)]
    fn rhs_and_slope(&self, t: Time, x: &N::State) -> (RateOf<N::State>, SlopeOf<N::State>) {
        N::derivatives(self.c, self.p, self.ctx, t, x, self.input, self.k)
    }
}

/// The elements of a population one worker advances: `start..start + len` of its state,
/// refractory bookkeeping and spike flags, with the population's parameters and settings.
/// [`Chunk::split_at`] cuts it for two workers; what a chunk computes for an element does not
/// depend on where it was cut.
pub struct Chunk<'a, N: Dynamics> {
    config: N::Config,
    method: Method,
    params: &'a N::ParamSet,
    view: <N::Columns as StateColumns<N::State>>::View<'a>,
    /// `None`: the model has no refractoriness; `Some(general)`: it has, with (`true`) or
    /// without BrainPy's `refractory` flag.
    refractory_kind: Option<bool>,
    refractory: RefractoryView<'a>,
    spikes: &'a mut [bool],
    start: usize,
}

impl<'a, N: Dynamics> Parts<'a, N> {
    /// The elements `range`, as one chunk for step `ctx`. `previous` lists the elements that
    /// spiked in the step before (`base +` each entry is an element of the population), for
    /// the refractory bookkeeping ([`Refractory::view`]).
    pub fn chunk(
        self,
        range: core::ops::Range<usize>,
        ctx: &StepCtx,
        previous: &[u32],
        base: usize,
    ) -> Chunk<'a, N> {
        let (start, n) = (range.start, range.len());
        let refractory_kind = self.refractory.as_ref().map(|r| r.flag().is_some());
        Chunk {
            config: self.config,
            method: self.method,
            params: self.params,
            view: self.state.view(start, n),
            refractory_kind,
            refractory: self.refractory.map_or_else(RefractoryView::none, |r| {
                r.view(range, ctx, N::REFRACTORY, previous, base)
            }),
            spikes: &mut self.spikes[start..][..n],
            start,
        }
    }
}

impl<N: Dynamics> Chunk<'_, N> {
    /// The population elements the chunk covers.
    pub fn range(&self) -> core::ops::Range<usize> {
        self.start..self.start + self.spikes.len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.spikes.len()
    }

    /// Whether it covers no element.
    pub fn is_empty(&self) -> bool {
        self.spikes.is_empty()
    }

    /// The chunk cut in two at its element `mid`.
    pub fn split_at(self, mid: usize) -> (Self, Self) {
        let (v0, v1) = self.view.split_at(mid);
        let (r0, r1) = self.refractory.split_at(mid);
        let (s0, s1) = self.spikes.split_at_mut(mid);
        (
            Chunk {
                config: self.config,
                method: self.method,
                params: self.params,
                view: v0,
                refractory_kind: self.refractory_kind,
                refractory: r0,
                spikes: s0,
                start: self.start,
            },
            Chunk {
                config: self.config,
                method: self.method,
                params: self.params,
                view: v1,
                refractory_kind: self.refractory_kind,
                refractory: r1,
                spikes: s1,
                start: self.start + mid,
            },
        )
    }
}

/// Advances the elements `range` of `model` by one step under `drive`, with exponential
/// synaptic `channels` (each cut to `range`) advanced in the same loop when the input allows
/// it ([`inlines`]), and applied to the drive first otherwise. The indices of the elements
/// that spiked (within `range`) are left in [`NeuronCore::spiked`].
pub fn step<N: Dynamics>(
    model: &mut N,
    ctx: &StepCtx,
    drive: &mut Drive<N>,
    channels: &mut [ExpChannel<'_>],
    range: core::ops::Range<usize>,
) {
    let channels = if inlines(model, drive, channels.len()) {
        channels
    } else {
        // the general path: the channels write the drive, the neurons read it
        for channel in channels.iter_mut() {
            channel.apply_range(drive, range.clone());
        }
        &mut []
    };
    model.prepare(ctx);
    advance_own(model, ctx, drive, channels, range);
}

/// [`advance`] over the elements `range` of `model`, listing their spikes in the model's own
/// [`NeuronCore::spiked`] (a population stepped on its own, not by a network).
pub fn advance_own<N: Dynamics>(
    model: &mut N,
    ctx: &StepCtx,
    drive: &Drive<N>,
    channels: &mut [ExpChannel<'_>],
    range: core::ops::Range<usize>,
) {
    let mut spiked = core::mem::take(&mut model.core_mut().spiked);
    let base = range.start;
    advance(
        model.parts().chunk(range, ctx, &spiked, base),
        ctx,
        drive,
        channels,
        &mut spiked,
    );
    model.core_mut().spiked = spiked;
}

/// Whether `model` can advance `n` channels in its own loop under `drive`: at most
/// [`MAX_CHANNELS`] of them, an affine drive (no Mg²⁺ block) and exponential or forward
/// Euler.
pub fn inlines<N: Dynamics>(model: &N, drive: &Drive<N>, n: usize) -> bool {
    let method = model.core().method;
    n == 0
        || (matches!(method, Method::ExponentialEuler | Method::Euler)
            && drive.mg_block().is_empty()
            && n <= MAX_CHANNELS)
}

/// Advances `chunk` by one step under `drive`, with `channels` (each cut to the chunk's
/// elements, and only when [`inlines`] allows them) advanced in the same loop. Returns the
/// chunk's spike flags and lists the elements that spiked in `spiked` (indices within the
/// chunk, in increasing order).
pub fn advance<'c, N: Dynamics>(
    chunk: Chunk<'c, N>,
    ctx: &StepCtx,
    drive: &Drive<N>,
    channels: &mut [ExpChannel<'_>],
    spiked: &mut Vec<u32>,
) -> &'c [bool] {
    let fast = matches!(chunk.method, Method::ExponentialEuler | Method::Euler);
    let affine = drive.mg_block().is_empty();
    debug_assert!(channels.is_empty() || (fast && affine && channels.len() <= MAX_CHANNELS));
    if !fast || !affine {
        return with_refractory::<N, DriveInput<'_, N>>(chunk, ctx, drive, channels, spiked);
    }
    // nothing written to the drive's columns this step: they are not read
    let quiet = drive.columns_clean();
    // a conductance this step (the drive's, or an inline channel's)
    let cond = !current_only(drive, channels);
    macro_rules! inline {
        ($c:literal, $q:literal, $g:literal) => {
            with_refractory::<N, ChannelInput<'_, $c, $q, $g>>(chunk, ctx, drive, channels, spiked)
        };
    }
    match (channels.len(), quiet, cond) {
        (0, false, _) => {
            with_refractory::<N, AffineInput<'_, false>>(chunk, ctx, drive, channels, spiked)
        }
        (0, true, _) => {
            with_refractory::<N, AffineInput<'_, true>>(chunk, ctx, drive, channels, spiked)
        }
        (1, false, false) => inline!(1, false, false),
        (1, false, true) => inline!(1, false, true),
        (1, true, false) => inline!(1, true, false),
        (1, true, true) => inline!(1, true, true),
        (_, false, false) => inline!(2, false, false),
        (_, false, true) => inline!(2, false, true),
        (_, true, false) => inline!(2, true, false),
        (_, true, true) => inline!(2, true, true),
    }
}

/// Whether no conductance enters this step: none in the drive, and no channel is one.
fn current_only<N: Dynamics>(drive: &Drive<N>, channels: &[ExpChannel<'_>]) -> bool {
    drive.is_current_only() && channels.iter().all(|c| !c.out().conductance)
}

/// Refractoriness as the loop is compiled for it: none, the plain form, the general form
/// (see [`RefractoryView::is_general`]).
const REF_NONE: u8 = 0;
const REF_PLAIN: u8 = 1;
const REF_GENERAL: u8 = 2;

fn with_refractory<'c, 'd, N: Dynamics, In: InputSource<'d, N>>(
    chunk: Chunk<'c, N>,
    ctx: &StepCtx,
    drive: &'d Drive<N>,
    channels: &'d mut [ExpChannel<'_>],
    spiked: &mut Vec<u32>,
) -> &'c [bool] {
    match chunk.refractory_kind {
        None => with_method::<N, In, REF_NONE>(chunk, ctx, drive, channels, spiked),
        Some(false) => with_method::<N, In, REF_PLAIN>(chunk, ctx, drive, channels, spiked),
        Some(true) => with_method::<N, In, REF_GENERAL>(chunk, ctx, drive, channels, spiked),
    }
}

fn with_method<'c, 'd, N: Dynamics, In: InputSource<'d, N>, const REF: u8>(
    chunk: Chunk<'c, N>,
    ctx: &StepCtx,
    drive: &'d Drive<N>,
    channels: &'d mut [ExpChannel<'_>],
    spiked: &mut Vec<u32>,
) -> &'c [bool] {
    let current_only = current_only(drive, channels);
    let input = In::new(drive, channels, chunk.range());
    match chunk.method {
        Method::ExponentialEuler => {
            // and a state-independent Jacobian: exponential Euler's factors once per step
            let shared = if current_only {
                chunk
                    .params
                    .uniform()
                    .and_then(|p| N::shared_slope(&chunk.config, &p))
            } else {
                None
            };
            match shared {
                Some(j) => kernel::<N, In, _, REF>(
                    chunk,
                    ctx,
                    SharedExponentialEuler::<N::State>::new(ctx.dt, &j),
                    input,
                    spiked,
                ),
                None => kernel::<N, In, _, REF>(chunk, ctx, ExponentialEuler, input, spiked),
            }
        }
        Method::Euler => kernel::<N, In, _, REF>(chunk, ctx, Euler, input, spiked),
        // channels go into the loop only under the two methods above: the other loops are
        // not compiled for an inline input
        _ if In::INLINE => unreachable!("inline channels under {:?}", chunk.method),
        Method::Rk2 => kernel::<N, In, _, REF>(chunk, ctx, Heun, input, spiked),
        Method::Midpoint => kernel::<N, In, _, REF>(chunk, ctx, Midpoint, input, spiked),
        Method::Rk4 => kernel::<N, In, _, REF>(chunk, ctx, Rk4, input, spiked),
    }
}

/// One element's step, as the module documentation describes.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn element<'d, N, In, M, V, const REF: u8>(
    c: &N::Config,
    p: &N::Params,
    ctx: &StepCtx,
    method: &M,
    input: &mut In,
    view: &mut V,
    refr: &mut RefractoryView<'_>,
    spikes: &mut [bool],
    k: usize,
) where
    N: Dynamics,
    In: InputSource<'d, N>,
    M: FixedStep<N::State>,
    V: StateView<N::State>,
{
    input.begin(k);
    let old = view.load(k);
    let x0 = if N::threshold(c, p, ctx, &old) {
        N::reset(c, p, ctx, old)
    } else {
        old
    };
    let jump = N::Jump::from_raw(input.jump(k));
    let x1 = if N::FROZEN_INPUT {
        let frozen = FrozenInput::<N>(input.input_at(k, N::potential(&x0)).0);
        N::integrate(c, p, ctx, method, x0, &frozen, k, jump)
    } else {
        N::integrate(c, p, ctx, method, x0, &*input, k, jump)
    };
    let rising =
        |x: &N::State| N::threshold(c, p, ctx, x) && !(N::RISING && N::threshold(c, p, ctx, &old));
    let (new, spiked) = if REF == REF_NONE {
        (x1, rising(&x1))
    } else {
        let refractory = refr.is_refractory(k);
        let (new, spiked) = match N::REFRACTORY {
            RefractoryKind::Hold => {
                let new = if refractory { x0 } else { x1 };
                (new, rising(&new))
            }
            RefractoryKind::Lockout => (x1, rising(&x1) && !refractory),
        };
        refr.record(REF == REF_GENERAL, k, spiked);
        (new, spiked)
    };
    view.store(k, new);
    spikes[k] = spiked;
}

/// The loop over `n` elements from `start`, as one function per case so that each gets
/// the registers to itself: shared parameters (loop constants) or gathered ones.
/// Returns the chunk's spike flags, as the step left them.
fn kernel<'c, 'd, N: Dynamics, In: InputSource<'d, N>, M: FixedStep<N::State>, const REF: u8>(
    chunk: Chunk<'c, N>,
    ctx: &StepCtx,
    method: M,
    input: In,
    spiked: &mut Vec<u32>,
) -> &'c [bool] {
    let Chunk {
        config,
        params,
        view,
        refractory,
        spikes,
        start,
        ..
    } = chunk;
    let n = spikes.len();
    let l = Loop::<'_, 'd, N, In, M> {
        c: config,
        ctx: *ctx,
        method,
        input,
        view,
        refractory,
        spikes,
        _d: core::marker::PhantomData,
    };
    match params.uniform() {
        Some(p) => shared_loop::<N, In, M, REF>(l, n, &p, spiked),
        None => gathered_loop::<N, In, M, REF>(l, n, params, start, spiked),
    }
}

/// What a loop over a range of elements holds.
struct Loop<'a, 'd, N: Dynamics, In, M> {
    c: N::Config,
    ctx: StepCtx,
    method: M,
    input: In,
    view: <N::Columns as StateColumns<N::State>>::View<'a>,
    refractory: RefractoryView<'a>,
    spikes: &'a mut [bool],
    _d: core::marker::PhantomData<&'d ()>,
}

/// The loop with shared parameters: they are loop constants (refractoriness is a byte per
/// element, whatever τ_ref is), and the compiler vectorises the loop (compiled for the best instruction set, [`isa::dispatch`]).
///
/// [`isa::dispatch`]: crate::isa::dispatch
#[inline(never)]
fn shared_loop<'c, 'd, N, In, M, const REF: u8>(
    l: Loop<'c, 'd, N, In, M>,
    n: usize,
    p: &N::Params,
    spiked: &mut Vec<u32>,
) -> &'c [bool]
where
    N: Dynamics,
    In: InputSource<'d, N>,
    M: FixedStep<N::State>,
{
    crate::isa::dispatch(
        #[inline(always)]
        || shared_loop_body::<N, In, M, REF>(l, n, p, spiked),
    )
}

/// The loop with parameters gathered per element, compiled for the best instruction set.
#[inline(never)]
fn gathered_loop<'c, 'd, N, In, M, const REF: u8>(
    l: Loop<'c, 'd, N, In, M>,
    n: usize,
    params: &N::ParamSet,
    start: usize,
    spiked: &mut Vec<u32>,
) -> &'c [bool]
where
    N: Dynamics,
    In: InputSource<'d, N>,
    M: FixedStep<N::State>,
{
    crate::isa::dispatch(
        #[inline(always)]
        || gathered_loop_body::<N, In, M, REF>(l, n, params, start, spiked),
    )
}

/// [`gathered_loop`]'s body, inlined into each instruction set's version.
#[inline(always)]
fn gathered_loop_body<'c, 'd, N, In, M, const REF: u8>(
    mut l: Loop<'c, 'd, N, In, M>,
    n: usize,
    params: &N::ParamSet,
    start: usize,
    spiked: &mut Vec<u32>,
) -> &'c [bool]
where
    N: Dynamics,
    In: InputSource<'d, N>,
    M: FixedStep<N::State>,
{
    let ctx = l.ctx;
    for k in 0..n {
        let p = params.at(start + k);
        element::<N, In, M, _, REF>(
            &l.c,
            &p,
            &ctx,
            &l.method,
            &mut l.input,
            &mut l.view,
            &mut l.refractory,
            l.spikes,
            k,
        );
    }
    finish::<REF>(l.spikes, &ctx, &mut l.refractory, spiked)
}

/// [`shared_loop`]'s body, inlined into each instruction set's version.
#[inline(always)]
fn shared_loop_body<'c, 'd, N, In, M, const REF: u8>(
    l: Loop<'c, 'd, N, In, M>,
    n: usize,
    p: &N::Params,
    spiked: &mut Vec<u32>,
) -> &'c [bool]
where
    N: Dynamics,
    In: InputSource<'d, N>,
    M: FixedStep<N::State>,
{
    // unpacked into locals, the step and the parameters copied: the loop body then keeps its
    // pointers and constants in registers (nothing it stores can alias a local copy)
    let Loop {
        c,
        ctx,
        method,
        mut input,
        mut view,
        refractory: mut refr,
        spikes,
        ..
    } = l;
    let p = *p;
    for k in 0..n {
        element::<N, In, M, _, REF>(
            &c, &p, &ctx, &method, &mut input, &mut view, &mut refr, spikes, k,
        );
    }
    finish::<REF>(spikes, &ctx, &mut refr, spiked)
}

/// After a loop: lists the elements that spiked (one scan of the flags, compiled for the
/// loop's instruction set) and records their spike times for refractoriness from the list.
#[inline(always)]
fn finish<'c, const REF: u8>(
    spikes: &'c [bool],
    ctx: &StepCtx,
    refr: &mut RefractoryView<'_>,
    spiked: &mut Vec<u32>,
) -> &'c [bool] {
    spiked.clear();
    each_spike(spikes, |k| spiked.push(k as u32));
    if REF != REF_NONE {
        refr.record_spikes(ctx, spiked);
    }
    spikes
}

/// Calls `f(k)` for every `k` with `flags[k]` set, in increasing order. Spikes are sparse: the
/// flags are read in blocks, silent blocks are skipped by a loop that does nothing else, and a
/// block's spikes are found from the set bits of a mask without a branch per element. With
/// AVX2 (see [`crate::isa::level`]) a block is 128 flags, tested with four 32-byte loads and
/// turned into two 64-bit masks; otherwise 32, as four 64-bit words.
#[inline]
pub fn each_spike(flags: &[bool], f: impl FnMut(usize)) {
    #[cfg(target_arch = "x86_64")]
    if crate::isa::level() != crate::isa::Level::Base {
        // SAFETY: every level above the baseline has AVX2
        return unsafe { each_spike_avx2(flags, f) };
    }
    each_spike_words(flags, f)
}

/// [`each_spike`] with AVX2: blocks of 128 flags, four 32-byte loads tested at once; each half
/// of a block with a spike becomes a 64-bit mask (bit `j` for flag `j`: a `bool` is the byte 0
/// or 1, shifted to the byte's top bit, which `vpmovmskb` collects).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn each_spike_avx2(flags: &[bool], mut f: impl FnMut(usize)) {
    use core::arch::x86_64::{
        __m256i, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256, _mm256_slli_epi64,
        _mm256_testz_si256,
    };
    const BLOCK: usize = 128;
    let mut blocks = flags.chunks_exact(BLOCK);
    let mut start = 0;
    for block in blocks.by_ref() {
        let p = block.as_ptr().cast::<__m256i>();
        // SAFETY: a block is 128 bytes, read as four unaligned 32-byte vectors
        let v: [__m256i; 4] = core::array::from_fn(|j| unsafe { _mm256_loadu_si256(p.add(j)) });
        let any = _mm256_or_si256(_mm256_or_si256(v[0], v[1]), _mm256_or_si256(v[2], v[3]));
        if _mm256_testz_si256(any, any) == 0 {
            let bits = |v| u64::from(_mm256_movemask_epi8(_mm256_slli_epi64::<7>(v)) as u32);
            for half in 0..2 {
                let mut mask = bits(v[2 * half]) | bits(v[2 * half + 1]) << 32;
                while mask != 0 {
                    f(start + 64 * half + mask.trailing_zeros() as usize);
                    mask &= mask - 1;
                }
            }
        }
        start += BLOCK;
    }
    // the last 0 to 127 flags as words
    each_spike_words(blocks.remainder(), |j| f(start + j));
}

/// [`each_spike`] without vector instructions: blocks of 32 flags as four 64-bit words.
fn each_spike_words(flags: &[bool], mut f: impl FnMut(usize)) {
    const BLOCK: usize = 32;
    // SAFETY: a `bool` is one byte holding 0 or 1, a valid `u8`
    let bytes = unsafe { core::slice::from_raw_parts(flags.as_ptr().cast::<u8>(), flags.len()) };
    // blocks of exactly 32 bytes, so that the words are read without bounds checks
    let words = |block: &[u8]| -> [u64; 4] {
        let block: &[u8; BLOCK] = block.try_into().expect("a whole block");
        core::array::from_fn(|j| {
            u64::from_le_bytes(block[8 * j..8 * j + 8].try_into().expect("8 bytes"))
        })
    };
    let silent = |block: &[u8]| words(block).iter().fold(0, |acc, w| acc | w) == 0;
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut start = 0;
    while let Some(skipped) = blocks.position(|block| !silent(block)) {
        start += skipped * BLOCK;
        for (j, mut bits) in words(&bytes[start..start + BLOCK]).into_iter().enumerate() {
            while bits != 0 {
                f(start + 8 * j + bits.trailing_zeros() as usize / 8);
                bits &= bits - 1;
            }
        }
        start += BLOCK;
    }
    let tail = bytes.len() / BLOCK * BLOCK;
    for (j, &b) in bytes[tail..].iter().enumerate() {
        if b != 0 {
            f(tail + j);
        }
    }
}

#[cfg(test)]
mod each_spike_tests {
    use super::{each_spike, each_spike_words};
    use proptest::prelude::*;

    proptest! {
        /// The set flags, in order, whatever the length and pattern (blocks and tail), dense
        /// or as sparse as spikes (most blocks silent).
        #[test]
        fn lists_exactly_the_set_flags(
            flags in prop_oneof![
                proptest::collection::vec(any::<bool>(), 0..300),
                proptest::collection::vec(proptest::bool::weighted(0.01), 0..300),
                proptest::collection::vec(proptest::bool::weighted(0.001), 0..3000),
            ]
        ) {
            let want: Vec<usize> = (0..flags.len()).filter(|&k| flags[k]).collect();
            let mut got = Vec::new();
            each_spike(&flags, |k| got.push(k));
            prop_assert_eq!(&got, &want);
            got.clear();
            each_spike_words(&flags, |k| got.push(k));
            prop_assert_eq!(&got, &want);
        }
    }
}
