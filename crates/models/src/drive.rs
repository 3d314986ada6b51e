//! What a population receives in one step: external input, synaptic current, jumps.

use crate::column::Column;
use crate::neuron::Neuron;
use neurotype_units::Raw;

/// A voltage-dependent synaptic current with a Mg²⁺ block (NMDA-like):
/// `I = g·(E − V) / (1 + (cc_Mg/β)·exp(α·(V_offset − V)))`.
#[derive(Clone, Debug)]
pub struct MgBlockTerm<N: Neuron> {
    /// Which output this term belongs to.
    pub id: usize,
    /// Conductance per element.
    pub g: Column<N::Conductance>,
    /// Reversal potential.
    pub e: N::Potential,
    /// cc_Mg/β (dimensionless: two concentrations).
    pub mg_over_beta: f64,
    /// α in 1/(stored potential unit), i.e. per mV.
    pub alpha: f64,
    /// V_offset.
    pub v_offset: N::Potential,
}

impl<N: Neuron> MgBlockTerm<N> {
    /// Current and its negative slope −dI/dV at `v` for element `i`, as stored numbers.
    #[inline(always)]
    fn at(&self, i: usize, v: f64) -> (f64, f64) {
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
pub struct Drive<N: Neuron> {
    ext: Column<N::Input>,
    ext_uniform: f64,
    i_syn: Column<N::Input>,
    g_syn: Column<N::Conductance>,
    mg_block: Vec<MgBlockTerm<N>>,
    delta: Column<N::Jump>,
    ext_dirty: bool,
    syn_dirty: bool,
    g_dirty: bool,
    delta_dirty: bool,
}

impl<N: Neuron> Drive<N> {
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
    pub fn ext_uniform(&self) -> f64 {
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

    /// Both synaptic columns, to write.
    pub fn syn_mut(&mut self) -> (&mut Column<N::Input>, &mut Column<N::Conductance>) {
        self.syn_dirty = true;
        self.g_dirty = true;
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
            + (self.i_syn.raw()[i] - self.g_syn.raw()[i] * v);
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

/// An exponentially decaying synaptic variable with an affine output (an [`crate::synapses::Expon`]
/// with a shared τ behind COBA, CUBA or a current output), lent to the postsynaptic
/// population for one step so that the decay, the arrivals and the output happen inside the
/// neuron's own loop: one pass over memory instead of one per synapse group, and no
/// synaptic-current columns to clear. The arithmetic is that of the synapse's own step.
#[derive(Debug)]
pub struct ExpChannel<'a> {
    /// The synaptic variable g, one per postsynaptic element (stored numbers).
    pub g: &'a mut [f64],
    /// Increments that arrived this step, zeroed once taken.
    pub pending: &'a mut [f64],
    /// Exponential-Euler factor `φ = dt·exprel(dt·j)`.
    pub phi: f64,
    /// Decay rate `j = −1/τ`: `g ← g + φ·(j·g) + pending`.
    pub j: f64,
    /// What g adds to the drive.
    pub out: crate::synapses::outputs::Affine,
}

impl ExpChannel<'_> {
    /// A channel over nothing (to fill fixed-size arrays).
    pub fn empty() -> ExpChannel<'static> {
        ExpChannel {
            g: &mut [],
            pending: &mut [],
            phi: 0.0,
            j: 0.0,
            out: crate::synapses::outputs::Affine {
                e: 0.0,
                conductance: false,
            },
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether the channel is over nothing.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// Advances element `k` and returns its new g.
    #[inline(always)]
    pub fn advance(&mut self, k: usize) -> f64 {
        let g = self.g[k] + self.phi * (self.j * self.g[k]) + self.pending[k];
        self.g[k] = g;
        self.pending[k] = 0.0;
        g
    }

    /// The unfused path: advances every element and adds the output to `drive`.
    pub fn apply<N: Neuron>(&mut self, drive: &mut Drive<N>) {
        let n = self.g.len();
        if self.out.conductance {
            let (i_syn, g_syn) = drive.syn_mut();
            let (i_syn, g_syn) = (&mut i_syn.raw_mut()[..n], &mut g_syn.raw_mut()[..n]);
            for k in 0..n {
                let g = self.advance(k);
                i_syn[k] += g * self.out.e;
                g_syn[k] += g;
            }
        } else {
            let i_syn = &mut drive.i_syn_mut().raw_mut()[..n];
            for (k, i) in i_syn.iter_mut().enumerate() {
                *i += self.advance(k) * self.out.e;
            }
        }
    }
}

/// Up to two [`ExpChannel`]s as plain slices of one length, for a neuron loop that advances
/// them in place (`C` of them; the rest are empty and never touched).
pub struct FusedChannels<'a> {
    g: [&'a mut [f64]; 2],
    pending: [&'a mut [f64]; 2],
    phi: [f64; 2],
    j: [f64; 2],
    e: [f64; 2],
    conductance: [bool; 2],
}

impl<'a> FusedChannels<'a> {
    /// The first `C` ≤ 2 of `channels`, each cut to `n` elements (it must have at least `n`).
    pub fn new<const C: usize>(channels: &'a mut [ExpChannel<'_>], n: usize) -> Self {
        let mut f = FusedChannels {
            g: [&mut [], &mut []],
            pending: [&mut [], &mut []],
            phi: [0.0; 2],
            j: [0.0; 2],
            e: [0.0; 2],
            conductance: [false; 2],
        };
        for (c, ch) in channels.iter_mut().take(C.min(2)).enumerate() {
            f.g[c] = &mut ch.g[..n];
            f.pending[c] = &mut ch.pending[..n];
            f.phi[c] = ch.phi;
            f.j[c] = ch.j;
            f.e[c] = ch.out.e;
            f.conductance[c] = ch.out.conductance;
        }
        f
    }

    /// Advances element `k` of the `C` channels and adds their outputs to `(i_syn, g_syn)`,
    /// in channel order: what [`ExpChannel::apply`] would have added to the drive.
    #[inline(always)]
    pub fn advance<const C: usize>(&mut self, k: usize, i_syn: f64, g_syn: f64) -> (f64, f64) {
        let (mut i, mut gs) = (i_syn, g_syn);
        for c in 0..C.min(2) {
            let g = self.g[c][k] + self.phi[c] * (self.j[c] * self.g[c][k]) + self.pending[c][k];
            self.g[c][k] = g;
            self.pending[c][k] = 0.0;
            i += g * self.e[c];
            gs = if self.conductance[c] { gs + g } else { gs };
        }
        (i, gs)
    }
}
