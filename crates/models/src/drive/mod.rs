//! What a population receives in one step, and how its neurons read it.
//!
//! - [`Drive`]: the per-step input workspace of a population: external input, the affine
//!   synaptic current `i_syn − g_syn·V`, Mg²⁺-blocked terms, jumps.
//! - [`channel`]: exponential synapses lent to a population so that they advance inside its
//!   own loop ([`ExpChannel`]), and the affine outputs ([`Affine`]) they write through.
//! - [`source`]: where a neuron reads `I(V)` element by element ([`InputSource`]): the drive
//!   in general, its affine columns, or those plus channels.

pub mod channel;
pub mod source;

pub use channel::{Affine, Decay, DecayMemo, ExpChannel, InlineChannels, MAX_CHANNELS};
pub use source::{AffineInput, ChannelInput, DriveInput, FrozenInput, InputAt, InputSource};

use crate::column::Column;
use neurotype_units::Real;
use neurotype_units::{Raw, Unitful};

/// The quantities a neuron population exchanges with its inputs; every [`Neuron`] names them.
///
/// A projection can only target a population whose units match its output: that is checked
/// when the program is compiled.
///
/// [`Neuron`]: crate::Neuron
pub trait NeuronUnits: Send + Sized + 'static {
    /// Membrane potential (a voltage; dimensionless for FitzHugh-Nagumo and Hindmarsh-Rose).
    type Potential: Unitful + PartialOrd + core::fmt::Debug + Send + Sync + 'static;
    /// Input (a current; a voltage rate for Izhikevich; dimensionless for the reduced models):
    /// what BrainPy passes as `update(x)` and what synaptic outputs deliver.
    type Input: Unitful + PartialOrd + core::fmt::Debug + Send + Sync + 'static;
    /// Input per potential (a conductance for current-input models). Conductance × potential
    /// must be an input: a model whose units do not fit together does not compile.
    type Conductance: Unitful
        + PartialOrd
        + core::fmt::Debug
        + Send
        + Sync
        + 'static
        + core::ops::Mul<Self::Potential, Output = Self::Input>;
    /// What a δ-input adds (to V for most models, to `g` for CubaLIF/CobaLIF).
    type Jump: Unitful + PartialOrd + core::fmt::Debug + Send + Sync + 'static;
}

/// A voltage-dependent synaptic current with a Mg²⁺ block (NMDA-like):
/// `I = g·(E − V) / (1 + (cc_Mg/β)·exp(α·(V_offset − V)))`.
#[derive(Clone, Debug)]
pub struct MgBlockTerm<N: NeuronUnits> {
    /// Which writer of the drive (synapse group or projection) this term belongs to.
    pub writer: usize,
    /// Conductance per element.
    pub g: Column<N::Conductance>,
    /// Reversal potential.
    pub e: N::Potential,
    /// cc_Mg/β (dimensionless: two concentrations).
    pub mg_over_beta: Real,
    /// α in 1/(stored potential unit), i.e. per mV.
    pub alpha: Real,
    /// V_offset.
    pub v_offset: N::Potential,
}

impl<N: NeuronUnits> MgBlockTerm<N> {
    /// Current and its negative slope −dI/dV at `v` for element `i`, as stored numbers.
    #[inline(always)]
    fn at(&self, i: usize, v: Real) -> (Real, Real) {
        let g = self.g.raw()[i];
        let e = self.e.raw();
        let k = self.mg_over_beta * (self.alpha * (self.v_offset.raw() - v)).exp();
        let block = 1.0 / (1.0 + k);
        let current = g * (e - v) * block;
        // d/dv [g (E − v) B(v)] = −g B + g (E − v) B'(v),  B' = α k B²
        let slope = -g * block + g * (e - v) * self.alpha * k * block * block;
        (current, -slope)
    }
}

/// The input a population receives in one step, element by element.
///
/// Synaptic outputs are affine in the membrane potential (COBA: `g·(E − V)`, CUBA: `g·scale`),
/// so all of them together are `I_syn(V) = i_syn − g_syn·V`; a Mg²⁺-blocked output adds a
/// nonlinear term. Models evaluate `I(V) = ext + I_syn(V)` where BrainPy evaluates its current
/// inputs: inside the exponential-Euler linearisation for the LIF family (so conductances enter
/// the Jacobian), once at the start-of-step potential for the Hodgkin-Huxley family. Jumps
/// (δ-inputs) are added after integration.
///
/// Writers go through the `*_mut` accessors, which record what was written, so that
/// [`Drive::clear`] only zeroes what is dirty; an input that is the same for every element is
/// kept as one number ([`Drive::add_external_uniform`]).
#[derive(Clone, Debug)]
pub struct Drive<N: NeuronUnits> {
    ext: Column<N::Input>,
    ext_uniform: Real,
    i_syn: Column<N::Input>,
    g_syn: Column<N::Conductance>,
    mg_block: Vec<MgBlockTerm<N>>,
    delta: Column<N::Jump>,
    ext_dirty: bool,
    syn_dirty: bool,
    g_dirty: bool,
    delta_dirty: bool,
}

impl<N: NeuronUnits> Drive<N> {
    /// An empty drive for `n` elements.
    pub fn new(n: usize) -> Self {
        Self {
            ext: Column::zeros(n),
            ext_uniform: 0.0,
            i_syn: Column::zeros(n),
            g_syn: Column::zeros(n),
            mg_block: Vec::new(),
            delta: Column::zeros(n),
            ext_dirty: false,
            syn_dirty: false,
            g_dirty: false,
            delta_dirty: false,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.ext.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.ext.is_empty()
    }

    /// External input `x` per element (BrainPy's `update(x)` argument), without the uniform
    /// part.
    pub fn ext(&self) -> &Column<N::Input> {
        &self.ext
    }

    /// External input per element, to write.
    pub fn ext_mut(&mut self) -> &mut Column<N::Input> {
        self.ext_dirty = true;
        &mut self.ext
    }

    /// The part of the external input shared by every element (stored number).
    #[inline(always)]
    pub fn ext_uniform(&self) -> Real {
        self.ext_uniform
    }

    /// Adds the same external input to every element (one number, not a column).
    pub fn add_external_uniform(&mut self, x: N::Input) {
        self.ext_uniform += x.raw();
    }

    /// Sets the same external input for every element.
    pub fn set_external(&mut self, x: N::Input) {
        self.ext_uniform = x.raw();
    }

    /// Synaptic current at V = 0 (Σ g·E for COBA, Σ g·scale for CUBA).
    pub fn i_syn(&self) -> &Column<N::Input> {
        &self.i_syn
    }

    /// Total synaptic conductance multiplying −V (Σ g for COBA).
    pub fn g_syn(&self) -> &Column<N::Conductance> {
        &self.g_syn
    }

    /// Both synaptic columns, to write; `conductance`: whether the writer adds to `g_syn`
    /// (a COBA output) or only to `i_syn`.
    pub fn syn_mut(
        &mut self,
        conductance: bool,
    ) -> (&mut Column<N::Input>, &mut Column<N::Conductance>) {
        self.syn_dirty = true;
        self.g_dirty |= conductance;
        (&mut self.i_syn, &mut self.g_syn)
    }

    /// The synaptic current only, to write (current outputs: nothing multiplies −V).
    pub fn i_syn_mut(&mut self) -> &mut Column<N::Input> {
        self.syn_dirty = true;
        &mut self.i_syn
    }

    /// Whether nothing was written to the per-element columns this step (external input,
    /// synaptic current and conductance, jumps): they are all zero. The uniform external
    /// input and Mg²⁺-block terms are separate.
    #[inline]
    pub fn columns_clean(&self) -> bool {
        !self.ext_dirty && !self.syn_dirty && !self.delta_dirty
    }

    /// Whether this step's input is independent of V (no conductance, no Mg²⁺ block): then
    /// `g_syn` is zero everywhere and a linear model's propagator is the same for every
    /// element.
    #[inline]
    pub fn is_current_only(&self) -> bool {
        !self.g_dirty && self.mg_block.is_empty()
    }

    /// Mg²⁺-blocked outputs.
    pub fn mg_block(&self) -> &[MgBlockTerm<N>] {
        &self.mg_block
    }

    /// Mg²⁺-blocked outputs, to register or write.
    pub fn mg_block_mut(&mut self) -> &mut Vec<MgBlockTerm<N>> {
        self.syn_dirty = true;
        &mut self.mg_block
    }

    /// Jumps (δ-inputs) added after integration: to V for most models, to the synaptic
    /// variable for CubaLIF/CobaLIF.
    pub fn delta(&self) -> &Column<N::Jump> {
        &self.delta
    }

    /// Jumps, to write.
    pub fn delta_mut(&mut self) -> &mut Column<N::Jump> {
        self.delta_dirty = true;
        &mut self.delta
    }

    /// Total input `I(V)` of element `i` at potential `v`, and its negative slope `−dI/dV`
    /// (a conductance), which enters exponential Euler's Jacobian.
    #[inline(always)]
    pub fn input_at(&self, i: usize, v: N::Potential) -> (N::Input, N::Conductance) {
        let v = v.raw();
        let mut current = (self.ext.raw()[i] + self.ext_uniform)
            + (-self.g_syn.raw()[i]).mul_add(v, self.i_syn.raw()[i]);
        let mut g = self.g_syn.raw()[i];
        for term in &self.mg_block {
            let (c, s) = term.at(i, v);
            current += c;
            g += s;
        }
        (N::Input::from_raw(current), N::Conductance::from_raw(g))
    }

    /// Total input of element `i` at `v` (without the slope).
    #[inline(always)]
    pub fn current_at(&self, i: usize, v: N::Potential) -> N::Input {
        self.input_at(i, v).0
    }

    /// The jump of element `i`.
    #[inline(always)]
    pub fn jump(&self, i: usize) -> N::Jump {
        self.delta.get(i)
    }

    /// Zeroes every input written this step. Mg²⁺-block terms stay registered (their owners
    /// rewrite the conductances every step); nothing is allocated or freed.
    pub fn clear(&mut self) {
        self.ext_uniform = 0.0;
        if self.ext_dirty {
            self.ext.raw_mut().fill(0.0);
            self.ext_dirty = false;
        }
        if self.syn_dirty {
            self.i_syn.raw_mut().fill(0.0);
            self.g_syn.raw_mut().fill(0.0);
            for term in &mut self.mg_block {
                term.g.raw_mut().fill(0.0);
            }
            self.syn_dirty = false;
            self.g_dirty = false;
        }
        if self.delta_dirty {
            self.delta.raw_mut().fill(0.0);
            self.delta_dirty = false;
        }
    }
}
