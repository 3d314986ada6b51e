//! Exponential synapses advanced inside their postsynaptic population's loop.
//!
//! An exponential synapse (`dg/dt = −g/τ`, increments added after the decay) behind an affine
//! output (COBA, CUBA, a current output) needs nothing from its population but the element's
//! index: its step and its output can run in the neuron loop, one pass over memory instead of
//! one per synapse group. The network plans which groups are lent this way once, when it is
//! built; the arithmetic is the synapse's own ([`Decay::step`]), so the results are the same
//! bits either way.
//!
//! Such a synapse takes its arrivals folded into g: a projection adds `a/f` to g itself,
//! where `f` is the step's decay factor ([`Decay::arrival_scale`]), so that the
//! decay that follows gives `f·g + a`, BrainPy's `decay(g) + a`, without a column of pending
//! increments that every neuron would read and zero every step (the neuron loop moves 16
//! bytes less per neuron and channel).

use crate::drive::{Drive, NeuronUnits};
use neurotype_units::Real;

/// How many exponential channels one population advances in its own loop.
pub const MAX_CHANNELS: usize = 2;

/// An affine synaptic output as stored numbers: `i_syn += g·e` and, for a conductance,
/// `g_syn += g` (so that the current is `g·(e − V)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    /// E (COBA) or the scale (CUBA, 1 for a current output), stored number.
    pub e: Real,
    /// Whether g also multiplies −V (COBA).
    pub conductance: bool,
}

impl Affine {
    /// Adds the output of `g` to the affine sums `(i_syn, g_syn)`.
    #[inline(always)]
    pub fn add(self, g: Real, i_syn: Real, g_syn: Real) -> (Real, Real) {
        (
            g.mul_add(self.e, i_syn),
            if self.conductance { g_syn + g } else { g_syn },
        )
    }
}

/// Exponential decay `dg/dt = j·g` (j = −1/τ) over one step: `g ← f·g`, with the factor `f`
/// by which the step's integrator multiplies a linear equation, computed once per step. For
/// exponential Euler, which is exact on this equation, `f = e^{z}` with `z = dt·j`; for the
/// explicit methods of classic BrainPy, the polynomial of their step (`1 + z` for forward
/// Euler). The increments that arrived are added after the decay ([`Decay::step`]), or were
/// added to g before it, divided by `f` ([`Decay::decay`], [`Decay::arrival_scale`]).
///
/// One multiplication per element and step. BrainPy writes the exponential-Euler step as
/// `g + dt·exprel(z)·(j·g)` (a multiplication and a fused multiply-add); the two are the same
/// number up to the last bit or two (both round the exact `e^{z}·g`), and the neuron loops
/// that advance these synapses are bound by their arithmetic, so the one operation is taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decay {
    /// `f`, the factor g is multiplied by over one step (stored ratio).
    pub factor: Real,
}

/// The [`Decay`] of a shared τ, kept with the bits of the step, τ and method it was computed
/// from: a synapse computes its exponential again only when one of them changes, and gets the
/// factor that computing it every step would give.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DecayMemo {
    last: Option<((u64, u64, neurotype_solvers::ClassicMethod), Decay)>,
}

impl DecayMemo {
    /// [`Decay::of_method`]`(dt, tau, method)`.
    #[inline]
    pub fn get(&mut self, dt: Real, tau: Real, method: neurotype_solvers::ClassicMethod) -> Decay {
        let key = (
            neurotype_units::wide(dt).to_bits(),
            neurotype_units::wide(tau).to_bits(),
            method,
        );
        match self.last {
            Some((k, decay)) if k == key => decay,
            _ => {
                let decay = Decay::of_method(dt, tau, method);
                self.last = Some((key, decay));
                decay
            }
        }
    }
}

impl Decay {
    /// The exact decay with time constant `tau` over a step `dt` (both stored numbers):
    /// `f = e^{−dt/τ}`.
    #[inline(always)]
    pub fn new(dt: Real, tau: Real) -> Self {
        Self::exact(dt * (-1.0 / tau))
    }

    /// The exact decay over a step of `z = dt·j` (exponential Euler): `f = e^{z}`.
    #[inline(always)]
    pub fn exact(z: Real) -> Self {
        Self { factor: z.exp() }
    }

    /// Forward Euler's decay over a step of `z = dt·j`: `f = 1 + z`.
    #[inline(always)]
    pub fn euler(z: Real) -> Self {
        Self { factor: 1.0 + z }
    }

    /// The decay over a step as classic BrainPy's `method` integrates `dg/dt = −g/τ`: every
    /// explicit method multiplies g by a polynomial in `z = dt·j`, the Taylor series of `e^{z}`
    /// cut after its order (`exp_auto`: exact, as [`Decay::new`]).
    #[inline]
    pub fn of_method(dt: Real, tau: Real, method: neurotype_solvers::ClassicMethod) -> Self {
        use neurotype_solvers::ClassicMethod as M;
        let z = dt * (-1.0 / tau);
        match method {
            M::ExpAuto => Self::exact(z),
            M::Euler => Self::euler(z),
            // every second-order Runge–Kutta method gives 1 + z + z²/2 on a linear equation
            M::Rk2 | M::Heun2 | M::Midpoint => Self {
                factor: 1.0 + z * (1.0 + z / 2.0),
            },
            M::Rk4 => Self {
                factor: 1.0 + z * (1.0 + z / 2.0 + z * z / 6.0 + z * z * z / 24.0),
            },
        }
    }

    /// `f·g + arrived`.
    #[inline(always)]
    pub fn step(self, g: Real, arrived: Real) -> Real {
        self.decay(g) + arrived
    }

    /// `f·g`: the step of a synapse whose arrivals were folded into g (the bits of
    /// [`Decay::step`] with nothing arrived: the decay of a finite g is never −0).
    #[inline(always)]
    pub fn decay(self, g: Real) -> Real {
        g * self.factor
    }

    /// `1/f`: an increment `a` added to g as `a/f` before the step is `a` after it, as if
    /// added after the decay, to within a few ulp of `f·g + a` (the roundings of `a/f`, of
    /// the sum and of the product). Only a factor of at least ½ is taken (dt ≤ 0.69·τ for the
    /// exact decay; any usual step): for a smaller (or negative) one, `None`, and such a
    /// synapse takes its increments after the decay, as they come.
    #[inline]
    pub fn arrival_scale(self) -> Option<Real> {
        let f = self.factor;
        (f >= 0.5 && f.is_finite()).then(|| 1.0 / f)
    }
}

/// An exponential synapse group lent to its postsynaptic population for one step. Its
/// arrivals are already in g, each divided by the decay factor ([`Decay::arrival_scale`];
/// see the module documentation).
#[derive(Debug)]
pub struct ExpChannel<'a> {
    /// The synaptic variable g, one per postsynaptic element (stored numbers), with this
    /// step's arrivals folded in.
    g: &'a mut [Real],
    /// The decay over this step.
    decay: Decay,
    /// `1/f` of the decay ([`Decay::arrival_scale`]).
    scale: Real,
    /// What g adds to the drive.
    out: Affine,
}

impl<'a> ExpChannel<'a> {
    /// The synapse with variable `g` (stored numbers), stepping by `decay`, as a channel with
    /// output `out`; `None` when its decay cannot take folded arrivals
    /// ([`Decay::arrival_scale`]).
    pub fn new(g: &'a mut [Real], decay: Decay, out: Affine) -> Option<Self> {
        let scale = decay.arrival_scale()?;
        Some(Self {
            g,
            decay,
            scale,
            out,
        })
    }

    /// A channel over nothing (to fill fixed-size arrays).
    pub fn empty() -> ExpChannel<'static> {
        ExpChannel {
            g: &mut [],
            decay: Decay { factor: 1.0 },
            scale: 1.0,
            out: Affine {
                e: 0.0,
                conductance: false,
            },
        }
    }

    /// Where this step's arrivals go, and the factor they are multiplied by on the way: g and
    /// `1/f` (see the module documentation).
    pub fn arrivals(&mut self) -> (&mut [Real], Real) {
        (&mut *self.g, self.scale)
    }

    /// [`ExpChannel::arrivals`], taking the channel.
    pub fn into_arrivals(self) -> (&'a mut [Real], Real) {
        (self.g, self.scale)
    }

    /// What g adds to the drive.
    pub fn out(&self) -> Affine {
        self.out
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.g.len()
    }

    /// Whether the channel is over nothing.
    pub fn is_empty(&self) -> bool {
        self.g.is_empty()
    }

    /// Advances element `k` (its arrivals are in g already) and returns its new g.
    #[inline(always)]
    pub fn advance(&mut self, k: usize) -> Real {
        let g = self.decay.decay(self.g[k]);
        self.g[k] = g;
        g
    }

    /// Advances every element and adds the output to `drive` (when the population does not
    /// take the channel in its own loop).
    pub fn apply<N: NeuronUnits>(&mut self, drive: &mut Drive<N>) {
        let n = self.g.len();
        self.apply_range(drive, 0..n);
    }

    /// [`ExpChannel::apply`] for a channel cut to the elements `range` of the drive.
    pub fn apply_range<N: NeuronUnits>(
        &mut self,
        drive: &mut Drive<N>,
        range: core::ops::Range<usize>,
    ) {
        let n = self.g.len();
        let (i_syn, g_syn) = drive.syn_mut(self.out.conductance);
        let (i_syn, g_syn) = (
            &mut i_syn.raw_mut()[range.clone()][..n],
            &mut g_syn.raw_mut()[range][..n],
        );
        crate::isa::dispatch(
            #[inline(always)]
            || {
                for k in 0..n {
                    let g = self.advance(k);
                    (i_syn[k], g_syn[k]) = self.out.add(g, i_syn[k], g_syn[k]);
                }
            },
        );
    }

    /// The channel cut in two at element `mid` (for two workers).
    pub fn split_at(self, mid: usize) -> (Self, Self) {
        let (g0, g1) = self.g.split_at_mut(mid);
        let (decay, scale, out) = (self.decay, self.scale, self.out);
        (
            ExpChannel {
                g: g0,
                decay,
                scale,
                out,
            },
            ExpChannel {
                g: g1,
                decay,
                scale,
                out,
            },
        )
    }
}

/// Up to [`MAX_CHANNELS`] channels as plain slices of one length, for a neuron loop that
/// advances the first `C` of them in place.
pub struct InlineChannels<'a> {
    g: [&'a mut [Real]; MAX_CHANNELS],
    decay: [Decay; MAX_CHANNELS],
    out: [Affine; MAX_CHANNELS],
}

impl<'a> InlineChannels<'a> {
    /// The first `C` of `channels` (each already cut to the `n` elements of the loop).
    pub fn new<const C: usize>(channels: &'a mut [ExpChannel<'_>], n: usize) -> Self {
        let mut f = InlineChannels {
            g: core::array::from_fn(|_| &mut [][..]),
            decay: [Decay { factor: 1.0 }; MAX_CHANNELS],
            out: [Affine {
                e: 0.0,
                conductance: false,
            }; MAX_CHANNELS],
        };
        for (c, ch) in channels.iter_mut().take(C.min(MAX_CHANNELS)).enumerate() {
            assert_eq!(ch.len(), n, "a channel is cut to the loop's elements");
            f.g[c] = &mut ch.g[..];
            f.decay[c] = ch.decay;
            f.out[c] = ch.out;
        }
        f
    }

    /// Advances element `k` of the `C` channels and adds their outputs to `(i_syn, g_syn)`,
    /// in channel order: what [`ExpChannel::apply`] would have added to the drive. Without
    /// `COND` (no channel is a conductance) `g_syn` is returned as it came.
    #[inline(always)]
    pub fn advance<const C: usize, const COND: bool>(
        &mut self,
        k: usize,
        i_syn: Real,
        g_syn: Real,
    ) -> (Real, Real) {
        let (mut i, mut gs) = (i_syn, g_syn);
        for c in 0..C.min(MAX_CHANNELS) {
            let g = self.decay[c].decay(self.g[c][k]);
            self.g[c][k] = g;
            let (i1, gs1) = self.out[c].add(g, i, gs);
            i = i1;
            if COND {
                gs = gs1;
            }
        }
        (i, gs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurotype_solvers::ClassicMethod;
    use proptest::prelude::*;

    proptest! {
        /// An increment folded into g before the decay is the increment added after it, to
        /// within a few ulp of the larger of the two terms, for every classic method.
        #[test]
        fn a_folded_increment_is_the_increment_after_the_decay(
            g in 0.0f64..10.0, a in 0.0f64..10.0, tau in 0.5f64..50.0, m in 0usize..3,
        ) {
            let method = [ClassicMethod::ExpAuto, ClassicMethod::Euler, ClassicMethod::Rk4][m];
            let decay = Decay::of_method(0.1, tau as Real, method);
            let scale = decay.arrival_scale().expect("a decay factor near 1");
            let folded = decay.decay(g as Real + scale * a as Real);
            let after = decay.step(g as Real, a as Real);
            let size = (g + a) as Real;
            prop_assert!((folded - after).abs() <= 4.0 * Real::EPSILON * size, "{folded} vs {after}");
        }
    }

    proptest! {
        /// The decay `f·g` is BrainPy's exponential-Euler step `g + (dt·exprel(z))·(j·g)` of
        /// `dg/dt = j·g` to within 2 ulp (both round the exact `e^{z}·g`), and after n steps it
        /// is the analytic `e^{−n·dt/τ}·g` to within about `n·(1 + |z|)` ulp (the rounding of
        /// each product, and of `z = dt·j`, which the factor raises to the n-th power).
        #[test]
        fn the_factor_is_brainpys_exponential_euler_step_and_the_exact_decay(
            g in 1e-6f64..1e3, tau in 0.5f64..100.0, dt in 0.01f64..1.0, n in 1usize..2000,
        ) {
            let (g, tau, dt) = (g as Real, tau as Real, dt as Real);
            let j = -1.0 / tau;
            let brainpy = g + (dt * neurotype_units::math::scalar::exprel(dt * j)) * (j * g);
            let decay = Decay::new(dt, tau);
            let ours = decay.decay(g);
            prop_assert!((ours - brainpy).abs() <= 2.0 * Real::EPSILON * ours, "{ours} vs {brainpy}");
            // at most 30 time constants: no subnormals
            let n = n.min((30.0 * tau / dt) as usize).max(1);
            let mut x = g;
            for _ in 0..n {
                x = decay.decay(x);
            }
            let wide = neurotype_units::wide;
            let exact = wide(g) * (-(n as f64) * wide(dt) / wide(tau)).exp();
            let z = wide(dt / tau);
            let tol = ((n as f64) * (1.0 + z) + 2.0) * wide(Real::EPSILON) * exact;
            prop_assert!((wide(x) - exact).abs() <= tol, "{x} vs {exact} after {n} steps");
        }
    }

    /// A decay factor below ½ (forward Euler with dt = τ: 0; the exact decay over dt = τ:
    /// 1/e) takes no folded arrivals, and a synapse with it is no channel.
    #[test]
    fn a_small_decay_factor_takes_arrivals_as_they_come() {
        let decay = Decay::of_method(1.0, 1.0, ClassicMethod::Euler);
        assert_eq!(decay.arrival_scale(), None);
        assert_eq!(Decay::new(1.0, 1.0).arrival_scale(), None);
        assert_eq!(
            Decay::of_method(3.0, 1.0, ClassicMethod::Euler).arrival_scale(),
            None
        );
        assert!(Decay::new(0.5, 1.0).arrival_scale().is_some());
        let mut g = [0.0; 2];
        let out = Affine {
            e: 0.0,
            conductance: false,
        };
        assert!(ExpChannel::new(&mut g, decay, out).is_none());
        assert!(ExpChannel::new(&mut g, Decay::new(0.1, 5.0), out).is_some());
    }

    /// The memo gives the factor of the step, τ and method it is asked for, whatever it was
    /// asked before: a change of any of the three is seen.
    #[test]
    fn the_memo_gives_the_factor_of_what_it_is_asked() {
        use neurotype_solvers::ClassicMethod as M;
        let mut memo = DecayMemo::default();
        let asks = [
            (0.1, 5.0, M::ExpAuto),
            (0.1, 5.0, M::ExpAuto),
            (0.05, 5.0, M::ExpAuto),
            (0.05, 10.0, M::ExpAuto),
            (0.05, 10.0, M::Euler),
            (0.05, 10.0, M::Rk4),
            (0.1, 5.0, M::ExpAuto),
        ];
        for (dt, tau, method) in asks {
            assert_eq!(
                memo.get(dt, tau, method),
                Decay::of_method(dt, tau, method),
                "dt {dt}, tau {tau}, {method:?}"
            );
        }
    }
}
