//! Where a neuron reads its input, element by element.
//!
//! A neuron's equations see their input as a function of the potential, `I(V)`, with its
//! negative slope `−dI/dV` (a conductance), which enters exponential Euler's Jacobian. The
//! stepper picks the cheapest source that is exact for this step, once per step:
//!
//! | source | when |
//! |---|---|
//! | [`DriveInput`] | in general: every Mg²⁺-block term is evaluated at V |
//! | [`AffineInput`] | no Mg²⁺ block: `I(V) = ext + i_syn − g_syn·V` read from raw columns |
//! | [`ChannelInput`] | as [`AffineInput`], with exponential channels advanced in the loop |
//! | [`FrozenInput`] | models that take their input as a current fixed over the step |
//!
//! Each computes exactly what [`Drive::input_at`] computes (same operations, same order), so
//! the choice never changes a number. Two liberties, which can only change the sign of an
//! exact zero: a quiet column reads as −0.0 ([`AffineInput`]), and with no conductance the
//! zero `g_syn·V` is not subtracted ([`ChannelInput`]).

use crate::drive::channel::{ExpChannel, InlineChannels};
use crate::drive::{Drive, NeuronUnits};
use core::ops::Range;
use neurotype_units::Raw;
use neurotype_units::Real;

/// The input `I(V)` of element `k` and its negative slope `−dI/dV`.
pub trait InputAt<N: NeuronUnits> {
    /// The input of element `k` at potential `v`, and its negative slope.
    fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance);
}

/// An [`InputAt`] built from a drive (and the channels lent to the population for this step)
/// over a range of elements; element `k` of the source is element `range.start + k` of the
/// population.
pub trait InputSource<'d, N: NeuronUnits>: InputAt<N> + Sized {
    /// Whether it advances channels in the loop (then the method is exponential or forward
    /// Euler: see [`inlines`](crate::stepper::inlines)).
    const INLINE: bool = false;

    /// Views `drive` and `channels` over `range`.
    fn new(drive: &'d Drive<N>, channels: &'d mut [ExpChannel<'_>], range: Range<usize>) -> Self;

    /// Called once per element, before any `input_at(k, ..)` of that element.
    #[inline(always)]
    fn begin(&mut self, _k: usize) {}

    /// The δ-input (jump) of element `k`, as a stored number.
    fn jump(&self, k: usize) -> Real;
}

/// The general input: [`Drive::input_at`], with every Mg²⁺-block term.
pub struct DriveInput<'d, N: NeuronUnits> {
    drive: &'d Drive<N>,
    offset: usize,
}

impl<N: NeuronUnits> InputAt<N> for DriveInput<'_, N> {
    #[inline(always)]
    fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
        self.drive.input_at(self.offset + k, v)
    }
}

impl<'d, N: NeuronUnits> InputSource<'d, N> for DriveInput<'d, N> {
    #[inline(always)]
    fn new(drive: &'d Drive<N>, _channels: &'d mut [ExpChannel<'_>], range: Range<usize>) -> Self {
        DriveInput {
            drive,
            offset: range.start,
        }
    }

    #[inline(always)]
    fn jump(&self, k: usize) -> Real {
        self.drive.delta().raw()[self.offset + k]
    }
}

/// The common input: affine in V (no Mg²⁺ block), read from raw columns sliced to the range,
/// so that a loop over them has no bounds checks. With `QUIET` (nothing was written to the
/// drive's columns this step: [`Drive::columns_clean`]) the columns are known to be zero and
/// are not read: they read as −0.0, the additive identity (`x + (−0.0)` is `x` for every x,
/// while `x + 0.0` turns −0.0 into +0.0), so the compiler drops the additions of the empty
/// columns and of the jump from the loop. The results are the same numbers as with the
/// stored zeros; only an exact zero can keep its sign.
pub struct AffineInput<'d, const QUIET: bool> {
    ext: &'d [Real],
    ext_uniform: Real,
    i_syn: &'d [Real],
    g_syn: &'d [Real],
    delta: &'d [Real],
}

impl<const QUIET: bool> AffineInput<'_, QUIET> {
    /// External input, synaptic current and conductance of element `k`.
    #[inline(always)]
    fn columns(&self, k: usize) -> (Real, Real, Real) {
        if QUIET {
            (-0.0, -0.0, -0.0)
        } else {
            (self.ext[k], self.i_syn[k], self.g_syn[k])
        }
    }

    /// `I(V)` and its slope from the affine sums: `(ext + ext_uniform) + (i_syn − g_syn·V)`.
    #[inline(always)]
    fn affine<N: NeuronUnits>(
        &self,
        ext: Real,
        i_syn: Real,
        g_syn: Real,
        v: N::Potential,
    ) -> (N::Input, N::Conductance) {
        (
            N::Input::from_raw((ext + self.ext_uniform) + (-g_syn).mul_add(v.raw(), i_syn)),
            N::Conductance::from_raw(g_syn),
        )
    }
}

impl<N: NeuronUnits, const QUIET: bool> InputAt<N> for AffineInput<'_, QUIET> {
    #[inline(always)]
    fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
        let (ext, i_syn, g_syn) = self.columns(k);
        self.affine::<N>(ext, i_syn, g_syn, v)
    }
}

impl<'d, N: NeuronUnits, const QUIET: bool> InputSource<'d, N> for AffineInput<'d, QUIET> {
    #[inline(always)]
    fn new(drive: &'d Drive<N>, _channels: &'d mut [ExpChannel<'_>], range: Range<usize>) -> Self {
        AffineInput {
            ext: &drive.ext().raw()[range.clone()],
            ext_uniform: drive.ext_uniform(),
            i_syn: &drive.i_syn().raw()[range.clone()],
            g_syn: &drive.g_syn().raw()[range.clone()],
            delta: &drive.delta().raw()[range],
        }
    }

    #[inline(always)]
    fn jump(&self, k: usize) -> Real {
        if QUIET { -0.0 } else { self.delta[k] }
    }
}

/// [`AffineInput`] with `C` exponential channels advanced in the neuron's loop: at the start
/// of each element its channels step and add their outputs to the synaptic sums, exactly as
/// [`ExpChannel::apply`] followed by [`Drive::input_at`] would.
///
/// Without `COND` there is no conductance this step (the drive's `g_syn` is zero and no
/// channel is a conductance: [`Drive::is_current_only`]): the input is `ext + i_syn`, without
/// the `− g_syn·V` that would subtract an exact zero (the same number, but for the sign of
/// a zero; the compiler cannot drop `− 0·V` itself, since V could be infinite or NaN).
pub struct ChannelInput<'d, const C: usize, const QUIET: bool, const COND: bool> {
    affine: AffineInput<'d, QUIET>,
    channels: InlineChannels<'d>,
    i_syn: Real,
    g_syn: Real,
}

impl<N: NeuronUnits, const C: usize, const QUIET: bool, const COND: bool> InputAt<N>
    for ChannelInput<'_, C, QUIET, COND>
{
    #[inline(always)]
    fn input_at(&self, k: usize, v: N::Potential) -> (N::Input, N::Conductance) {
        let (ext, _, _) = self.affine.columns(k);
        if COND {
            self.affine.affine::<N>(ext, self.i_syn, self.g_syn, v)
        } else {
            (
                N::Input::from_raw((ext + self.affine.ext_uniform) + self.i_syn),
                N::Conductance::from_raw(-0.0),
            )
        }
    }
}

impl<'d, N: NeuronUnits, const C: usize, const QUIET: bool, const COND: bool> InputSource<'d, N>
    for ChannelInput<'d, C, QUIET, COND>
{
    const INLINE: bool = true;

    #[inline(always)]
    fn new(drive: &'d Drive<N>, channels: &'d mut [ExpChannel<'_>], range: Range<usize>) -> Self {
        ChannelInput {
            affine: <AffineInput<'d, QUIET> as InputSource<'d, N>>::new(
                drive,
                &mut [],
                range.clone(),
            ),
            channels: InlineChannels::new::<C>(channels, range.len()),
            i_syn: 0.0,
            g_syn: 0.0,
        }
    }

    #[inline(always)]
    fn begin(&mut self, k: usize) {
        let (_, i_syn, g_syn) = self.affine.columns(k);
        (self.i_syn, self.g_syn) = self.channels.advance::<C, COND>(k, i_syn, g_syn);
    }

    #[inline(always)]
    fn jump(&self, k: usize) -> Real {
        <AffineInput<'d, QUIET> as InputSource<'d, N>>::jump(&self.affine, k)
    }
}

/// A current fixed over the step (evaluated once, at the start-of-step potential), with no
/// slope: how the Hodgkin-Huxley family of BrainPy takes its input.
pub struct FrozenInput<N: NeuronUnits>(pub N::Input);

impl<N: NeuronUnits> InputAt<N> for FrozenInput<N> {
    #[inline(always)]
    fn input_at(&self, _k: usize, _v: N::Potential) -> (N::Input, N::Conductance) {
        (self.0, N::Conductance::from_raw(0.0))
    }
}
